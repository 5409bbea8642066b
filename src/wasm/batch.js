// The JS half of a page batch (src/wasm/batch.rs is the other): requests go into wasm as
// columns of indices into tables of distinct strings and objects, and decisions come back
// as codes that become plain objects here, so a page crosses the JS/wasm boundary a few
// times instead of dozens of times per module.

const COLS = 6;
const SLOW = 0xffffffff;

const isPlainObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

// Token kinds of the object encoding (batch.rs reads them back into values).
const T_NULL = 0;
const T_FALSE = 1;
const T_TRUE = 2;
const T_NUM = 3;
const T_STR = 4;
const T_ARR = 5;
const T_OBJ = 6;

// An encoder for JS values: tokens in pairs (kind, payload), numbers and strings by index.
// `limits` = [max depth, max nodes, max string length in UTF-16 units], at least as strict
// as the wasm reader's, so that a value the encoder accepts is one the reader accepts.
function encoder(limits) {
  const [maxDepth, maxNodes, maxUnits] = limits;
  const strings = [];
  const stringIds = new Map();
  const tokens = [];
  const nums = [];
  // Each distinct string once: its table index + 1, or 0 when it has lone surrogates
  // (the wasm reader then reads the value and reports them).
  const str = (s) => {
    let id = stringIds.get(s);
    if (id === undefined) {
      id = s.isWellFormed() ? strings.push(s) : 0;
      stringIds.set(s, id);
    }
    return id;
  };
  let nodes = 0;
  // Writes the tokens of `v`; false when the wasm reader must read it (odd types, lone
  // surrogates, limits...).
  const put = (v, depth) => {
    if (++nodes > maxNodes) return false;
    switch (typeof v) {
      case 'string': {
        const id = v.length > maxUnits ? 0 : str(v);
        if (!id) return false;
        tokens.push(T_STR, id);
        return true;
      }
      case 'number':
        tokens.push(T_NUM, nums.push(v) - 1);
        return true;
      case 'boolean':
        tokens.push(v ? T_TRUE : T_FALSE, 0);
        return true;
      case 'undefined':
        tokens.push(T_NULL, 0);
        return true;
      case 'object': {
        if (v === null) {
          tokens.push(T_NULL, 0);
          return true;
        }
        if (depth >= maxDepth) return false;
        if (Array.isArray(v)) {
          tokens.push(T_ARR, v.length);
          for (let i = 0; i < v.length; i++) if (!put(v[i], depth + 1)) return false;
          return true;
        }
        if (Object.getPrototypeOf(v) !== Object.prototype) return false;
        const keys = Object.keys(v);
        tokens.push(T_OBJ, keys.length);
        for (const k of keys) {
          const id = k.length > maxUnits ? 0 : str(k);
          if (++nodes > maxNodes || !id) return false;
          tokens.push(T_STR, id);
          if (!put(v[k], depth + 1)) return false;
        }
        return true;
      }
      default:
        return false;
    }
  };
  // One whole value: its [start, end) in `tokens`, or null (tokens rolled back) when the
  // reader must read it, proxies and getters that throw included.
  const value = (v) => {
    const start = tokens.length;
    nodes = 0;
    let ok;
    try {
      ok = put(v, 0);
    } catch {
      ok = false;
    }
    if (ok) return [start, tokens.length];
    tokens.length = start;
    return null;
  };
  return { str, value, strings, tokens, nums };
}

// One value (a config, a viewer...) as tokens, or null when the reader must walk it.
export function encodeValue(v, limits) {
  const e = encoder(limits);
  if (!e.value(v)) return null;
  return { strings: e.strings, tokens: new Uint32Array(e.tokens), nums: new Float64Array(e.nums) };
}

// The request keys the fast path takes, as bits (the reader rejects any other key).
const VIEWER = 1;
const APP = 2;
const MODULE = 4;
const SPACE = 8;
const CONTEXT = 16;
const FACTS = 32;
const REQUIRED = VIEWER | APP | MODULE;

const keyBit = (k) => {
  switch (k) {
    case 'viewer': return VIEWER;
    case 'app': return APP;
    case 'module': return MODULE;
    case 'space': return SPACE;
    case 'context': return CONTEXT;
    case 'facts': return FACTS;
    default: return 0;
  }
};

// Requests as rows of indices. The fast path takes a plain object whose own enumerable
// keys (what the reader sees) are viewer, app, module and optionally space, context and
// facts, none null or undefined, with string values for the keys and plain objects for
// viewer / context / facts; it reads each field once. Anything else gets SLOW in its first
// column and is read whole by the reader in wasm (same answer, with its error messages).
export function encodeRequests(requests, limits) {
  // With enumerable keys on `Object.prototype` (prototype pollution), `for...in` and
  // `r.space` could see keys the reader, which reads own keys only, does not: then nothing
  // is fast.
  let polluted = false;
  for (const _ in Object.prototype) {
    polluted = true;
    break;
  }
  const n = requests.length;
  const rows = new Uint32Array(n * COLS);
  const e = encoder(limits);
  const { str } = e;
  const spans = [[], [], []]; // viewers, contexts, facts: [start, end) in tokens, or SLOW
  const ids = [new Map(), new Map(), new Map()];
  // Consecutive requests of one page view share their viewer, context and facts objects:
  // the last one of each kind is remembered.
  const last = [undefined, undefined, undefined];
  const lastId = [0, 0, 0];
  const obj = (t, o) => {
    if (o === last[t]) return lastId[t];
    let id = ids[t].get(o);
    if (id === undefined) {
      const span = e.value(o);
      spans[t].push(...(span ?? [SLOW, SLOW]));
      id = spans[t].length / 2;
      ids[t].set(o, id);
    }
    last[t] = o;
    lastId[t] = id;
    return id;
  };
  for (let i = 0; i < n; i++) {
    const at = i * COLS;
    rows[at] = SLOW;
    if (polluted) continue;
    const r = requests[i];
    if (typeof r !== 'object' || r === null || Object.getPrototypeOf(r) !== Object.prototype) continue;
    // Own enumerable string keys: `for...in` adds inherited ones, and there are none.
    let seen = 0;
    for (const k in r) {
      const bit = keyBit(k);
      if (bit === 0) {
        seen = 0;
        break;
      }
      seen |= bit;
    }
    if ((seen & REQUIRED) !== REQUIRED) continue;
    const viewer = r.viewer;
    const appName = r.app;
    const moduleName = r.module;
    const space = seen & SPACE ? r.space : undefined;
    const context = seen & CONTEXT ? r.context : undefined;
    const facts = seen & FACTS ? r.facts : undefined;
    if (typeof appName !== 'string' || typeof moduleName !== 'string' || !isPlainObject(viewer)) continue;
    if (seen & SPACE && typeof space !== 'string') continue;
    if (seen & CONTEXT && !isPlainObject(context)) continue;
    if (seen & FACTS && !isPlainObject(facts)) continue;
    const app = str(appName);
    const module = str(moduleName);
    const spaceId = space === undefined ? -1 : str(space);
    if (!app || !module || !spaceId) continue;
    rows[at + 1] = module;
    rows[at + 2] = spaceId === -1 ? 0 : spaceId;
    rows[at + 3] = obj(0, viewer);
    rows[at + 4] = context === undefined ? 0 : obj(1, context);
    rows[at + 5] = facts === undefined ? 0 : obj(2, facts);
    rows[at] = app;
  }
  return {
    rows,
    strings: e.strings,
    tokens: new Uint32Array(e.tokens),
    nums: new Float64Array(e.nums),
    viewers: new Uint32Array(spans[0]),
    contexts: new Uint32Array(spans[1]),
    facts: new Uint32Array(spans[2]),
  };
}

// Decision codes: per decision [outcome | reason << 8 | layer << 16 | rendersUi=false << 24,
// message, policy, missing] (each `index + 1` into its table, 0 = absent), or
// [SLOW, index into `full`] for decisions built whole in wasm (traces, errors).
export function decodeDecisions(codes, strings, lists, full, names) {
  const [outcomes, reasons, layers] = names;
  const n = codes.length / 4;
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const at = i * 4;
    const head = codes[at];
    if (head === SLOW) {
      out[i] = full[codes[at + 1]];
      continue;
    }
    const d = { outcome: outcomes[head & 0xff], reason: reasons[(head >>> 8) & 0xff], layer: layers[(head >>> 16) & 0xff] };
    if (codes[at + 1]) d.message = strings[codes[at + 1] - 1];
    if (codes[at + 2]) d.policy = strings[codes[at + 2] - 1];
    if (codes[at + 3]) d.missing = lists[codes[at + 3] - 1].slice();
    if (head >>> 24) d.rendersUi = false;
    out[i] = d;
  }
  return out;
}
