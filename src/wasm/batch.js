//# allFunctionsCalledOnLoad
// (V8's compile hint, which must come first: see COMPILE_HINT in scripts/build.mjs.)
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

// An encoder for JS values: tokens in pairs (kind, payload) in a growable Uint32Array,
// numbers and strings by index into their tables. `limits` = [max depth, max nodes, max
// string length in UTF-16 units], at least as strict as the wasm reader's, so that a value
// the encoder accepts is one the reader accepts.
// Strings scanned for before a dictionary of them is built.
const SCAN = 24;
const SURROGATE = /[\uD800-\uDFFF]/;

// Buffers at most this long are kept from call to call; growth by doubling stops there, so
// that a batch needing a little more than half of it does not get a buffer it then drops.
const KEEP = 65536;

class Encoder {
  constructor() {
    this.tokens = new Uint32Array(256);
    this.len = 0;
    // Rows of a batch, and the packed result (see `pack`), reused from call to call: wasm
    // copies the result out before anything else runs.
    this.rows = new Uint32Array(256);
    this.out = new Uint32Array(256);
    this.strings = [];
    // Distinct strings are found by a scan of `strings` while there are few, then by an
    // object without prototype used as a dictionary: any string is a key of its own there
    // (`__proto__` included), and in V8 its lookups are much faster than a Map's.
    this.stringIds = null;
    this.nums = [];
    this.nodes = 0;
    this.maxDepth = 0;
    this.maxNodes = 0;
    this.maxUnits = 0;
    // Whether each string is checked for lone surrogates as it is interned (the second
    // try, after the whole table failed the check).
    this.checkEach = false;
    this.busy = false;
  }

  reset(limits, checkEach) {
    // A huge batch's buffers are not kept for good.
    if (this.tokens.length > KEEP) this.tokens = new Uint32Array(256);
    if (this.rows.length > KEEP) this.rows = new Uint32Array(256);
    if (this.out.length > KEEP) this.out = new Uint32Array(256);
    this.len = 0;
    this.strings.length = 0;
    this.stringIds = null;
    this.nums.length = 0;
    this.maxDepth = limits[0];
    this.maxNodes = limits[1];
    this.maxUnits = limits[2];
    this.checkEach = checkEach;
  }

  push(kind, payload) {
    if (this.len + 2 > this.tokens.length) {
      const bigger = new Uint32Array(this.tokens.length * 2);
      bigger.set(this.tokens);
      this.tokens = bigger;
    }
    this.tokens[this.len++] = kind;
    this.tokens[this.len++] = payload;
  }

  // Each distinct string once: its table index + 1, or 0 when it has lone surrogates
  // (checked when `checkEach`; the wasm reader then reads the value and reports them).
  str(s) {
    const strings = this.strings;
    let ids = this.stringIds;
    if (ids === null) {
      for (let i = 0; i < strings.length; i++) if (strings[i] === s) return i + 1;
      if (strings.length < SCAN) return this.add(s);
      ids = this.stringIds = Object.create(null);
      for (let i = 0; i < strings.length; i++) ids[strings[i]] = i + 1;
    }
    let id = ids[s];
    if (id === undefined) {
      id = this.add(s);
      ids[s] = id;
    }
    return id;
  }

  // A new string's id (0 for a lone surrogate when checking each string).
  add(s) {
    if (this.checkEach && !s.isWellFormed()) return 0;
    return this.strings.push(s);
  }

  // Writes the tokens of `v`; false when the wasm reader must read it (odd types, lone
  // surrogates, limits...).
  put(v, depth) {
    if (++this.nodes > this.maxNodes) return false;
    switch (typeof v) {
      case 'string': {
        const id = v.length > this.maxUnits ? 0 : this.str(v);
        if (!id) return false;
        this.push(T_STR, id);
        return true;
      }
      case 'number':
        this.push(T_NUM, this.nums.push(v) - 1);
        return true;
      case 'boolean':
        this.push(v ? T_TRUE : T_FALSE, 0);
        return true;
      case 'undefined':
        this.push(T_NULL, 0);
        return true;
      case 'object': {
        if (v === null) {
          this.push(T_NULL, 0);
          return true;
        }
        if (depth >= this.maxDepth) return false;
        if (Array.isArray(v)) {
          this.push(T_ARR, v.length);
          for (let i = 0; i < v.length; i++) if (!this.put(v[i], depth + 1)) return false;
          return true;
        }
        if (Object.getPrototypeOf(v) !== Object.prototype) return false;
        const keys = Object.keys(v);
        this.push(T_OBJ, keys.length);
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i];
          const id = k.length > this.maxUnits ? 0 : this.str(k);
          if (++this.nodes > this.maxNodes || !id) return false;
          this.push(T_STR, id);
          if (!this.put(v[k], depth + 1)) return false;
        }
        return true;
      }
      default:
        return false;
    }
  }

  // One whole value: true with its tokens written at [start, this.len), or false (tokens
  // rolled back) when the reader must read it, proxies and getters that throw included.
  value(v) {
    const start = this.len;
    this.nodes = 0;
    let ok;
    try {
      ok = this.put(v, 0);
    } catch {
      ok = false;
    }
    if (!ok) this.len = start;
    return ok;
  }

  // The string table as one string: one UTF-8 conversion crossing into wasm instead of one
  // per string. Strings are separated by U+0000 so that a lone surrogate at the end of one
  // and at the start of the next cannot make a pair; null when the text is not
  // well-formed (some string has a lone surrogate).
  text() {
    const text = this.strings.join('\0');
    return !SURROGATE.test(text) || text.isWellFormed() ? text : null;
  }
}

// One shared encoder, reset for each call; a call made while it is in use (a getter that
// calls back into the gate) gets a fresh one.
const shared = new Encoder();

function withEncoder(f) {
  if (shared.busy) return f(new Encoder());
  shared.busy = true;
  try {
    return f(shared);
  } finally {
    shared.busy = false;
  }
}

// A Uint32Array of at least `size` elements: `buffer` or a bigger one.
const atLeast = (buffer, size) => (buffer.length >= size ? buffer : new Uint32Array(Math.max(size, Math.min(buffer.length * 2, KEEP))));

// The encoded result as wasm reads it: `data` = a header of 8 counts, then the sections
// rows, tokens, viewers, contexts, facts (a view of the encoder's reusable buffer);
// `text` = the string table as UTF-8 bytes; `nums` only when there are numbers.
//   header: [rows, strings, tokens, viewers, contexts, facts, nums, 0]
function pack(e, text, rowCount, spans) {
  const strings = e.strings;
  const size = 8 + rowCount + e.len + spans[0].length + spans[1].length + spans[2].length;
  const data = (e.out = atLeast(e.out, size));
  data[0] = rowCount;
  data[1] = strings.length;
  data[2] = e.len;
  data[3] = spans[0].length;
  data[4] = spans[1].length;
  data[5] = spans[2].length;
  data[6] = e.nums.length;
  data[7] = 0;
  let at = 8;
  if (rowCount) data.set(e.rows.subarray(0, rowCount), at);
  at += rowCount;
  data.set(e.tokens.subarray(0, e.len), at);
  at += e.len;
  for (let k = 0; k < 3; k++) {
    const list = spans[k];
    for (let i = 0; i < list.length; i++) data[at + i] = list[i];
    at += list.length;
  }
  return { data: data.subarray(0, size), text: utf8.encode(text), nums: e.nums.length ? Float64Array.from(e.nums) : null };
}

// The string table crosses as bytes: the glue's own string passing copies ASCII one
// character at a time in JS, which a cold page runs in the interpreter (about 0.15 ms of
// the first `new Gate`), where `TextEncoder` converts it natively.
const utf8 = new TextEncoder();

const NO_SPANS = [[], [], []];

// One value (a config, a viewer...) as tokens, or null when the reader must walk it.
export function encodeValue(v, limits) {
  const once = (e, checkEach) => {
    e.reset(limits, checkEach);
    if (!e.value(v)) return null;
    const text = e.text();
    return text === null ? undefined : pack(e, text, 0, NO_SPANS);
  };
  return withEncoder((e) => {
    const r = once(e, false);
    return r === undefined ? (once(e, true) ?? null) : r;
  });
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
  return withEncoder((e) => {
    const r = encodeRows(e, requests, limits, false);
    // Rare: some string has a lone surrogate. Again, checking each string, so that only
    // the requests holding one go to the reader.
    return r ?? encodeRows(e, requests, limits, true);
  });
}

function encodeRows(e, requests, limits, checkEach) {
  e.reset(limits, checkEach);
  // With enumerable keys on `Object.prototype` (prototype pollution), `for...in` and
  // `r.space` could see keys the reader, which reads own keys only, does not: then nothing
  // is fast.
  let polluted = false;
  for (const _ in Object.prototype) {
    polluted = true;
    break;
  }
  const n = requests.length;
  const rows = (e.rows = atLeast(e.rows, n * COLS));
  const spans = [[], [], []]; // viewers, contexts, facts: [start, end) in tokens, or SLOW
  const ids = [new Map(), new Map(), new Map()];
  // Consecutive requests of one page view share their space and their viewer, context and
  // facts objects: the last one of each kind is remembered.
  const last = [undefined, undefined, undefined];
  const lastId = [0, 0, 0];
  let lastSpace;
  let lastSpaceId = 0;
  const obj = (t, o) => {
    if (o === last[t]) return lastId[t];
    let id = ids[t].get(o);
    if (id === undefined) {
      const start = e.len;
      if (e.value(o)) spans[t].push(start, e.len);
      else spans[t].push(SLOW, SLOW);
      id = spans[t].length / 2;
      ids[t].set(o, id);
    }
    last[t] = o;
    lastId[t] = id;
    return id;
  };
  // The keys seen at each position of `for...in`, with their bits: most requests have the
  // same keys in the same order as the one before, and a comparison with it is cheaper
  // than a lookup of each key.
  const keys = [undefined, undefined, undefined, undefined, undefined, undefined, undefined];
  const bits = [0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const at = i * COLS;
    rows[at] = SLOW;
    rows[at + 1] = rows[at + 2] = rows[at + 3] = rows[at + 4] = rows[at + 5] = 0;
    if (polluted) continue;
    const r = requests[i];
    if (typeof r !== 'object' || r === null || Object.getPrototypeOf(r) !== Object.prototype) continue;
    // Own enumerable string keys: `for...in` adds inherited ones, and there are none.
    let seen = 0;
    let j = 0;
    for (const k in r) {
      if (k === keys[j]) seen |= bits[j];
      else {
        const bit = keyBit(k);
        if (bit === 0) {
          seen = 0;
          break;
        }
        seen |= bits[j] = bit;
        keys[j] = k;
      }
      j++;
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
    const app = e.str(appName);
    const module = e.str(moduleName);
    if (space !== undefined && space !== lastSpace) {
      lastSpace = space;
      lastSpaceId = e.str(space);
    }
    const spaceId = space === undefined ? -1 : lastSpaceId;
    if (!app || !module || !spaceId) continue;
    rows[at + 1] = module;
    rows[at + 2] = spaceId === -1 ? 0 : spaceId;
    rows[at + 3] = obj(0, viewer);
    rows[at + 4] = context === undefined ? 0 : obj(1, context);
    rows[at + 5] = facts === undefined ? 0 : obj(2, facts);
    rows[at] = app;
  }
  const text = e.text();
  return text === null ? null : pack(e, text, n * COLS, spans);
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
