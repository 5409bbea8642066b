// Bad input through the JS API, from Node, against the built pkg/.
//
// Every bad config must throw a plain `Error` that names the problem by path (and
// `validate` must report the same problems without throwing); every bad request must fail
// closed (`hide`, reason `invalid-request`, errors with paths) and never `render` where the
// spec says otherwise; nothing may trap (`WebAssembly.RuntimeError`, "unreachable"), and
// after every bad input the same Gate must still answer a known-good request correctly.
//
// The last tests are regressions for the defects this file found; the ones that could crash
// Node or break the wasm instance run in a child process.
import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import rg, { Gate, validate } from './helpers.mjs';

let tried = 0;
after(() => console.log(`bad-input: ${tried} distinct bad inputs tried`));

// ---------------------------------------------------------------------------------------
// A known-good config and request, and the health check run after every bad input
// ---------------------------------------------------------------------------------------

const CONFIG = {
  product: 'confluence',
  guestMode: 'opt-in',
  onMissingFacts: 'hide',
  locale: 'en',
  messages: { en: { 'guest-blocked': '{product} keeps this from guests' } },
  apps: [
    {
      key: 'com.acme.charts', name: 'Acme Charts', framework: 'connect', guestAccess: 'allow',
      descriptor: {
        key: 'com.acme.charts', baseUrl: 'https://charts.example',
        modules: {
          dynamicContentMacros: [{ key: 'chart', url: '/chart' }],
          webItems: [{
            key: 'item', location: 'system.content.action',
            conditions: [
              { condition: 'user_is_logged_in' },
              { or: [{ condition: 'has_project_permission', params: { permission: 'BROWSE_PROJECTS' } }, { condition: 'user_is_admin' }] },
              { condition: 'flag_a' },
              { condition: 'content_property_equal_to', params: { propertyKey: 'k', value: 'v' } },
            ],
          }],
        },
      },
    },
    {
      key: 'io.forge.notes', name: 'Notes', framework: 'forge',
      manifest: {
        app: { id: 'ari:cloud:ecosystem::app/notes' },
        modules: {
          macro: [{ key: 'note', displayConditions: { isLoggedIn: true, or: [{ isAdmin: true }, { issueType: ['Bug'] }] }, unlicensedAccess: ['anonymous'], allowGuests: true }],
        },
      },
    },
  ],
  policies: [{ id: 'fin', name: 'Finance', spaces: ['FIN'], appAccess: 'block-all-except', apps: ['io.forge.notes'] }],
};

// Renders: every condition of `item` holds, and each field of the request matters.
const REQUEST = {
  viewer: { type: 'licensed', accountId: 'u1', siteAdmin: false, productAdmin: false, spaceAdmin: false, permissions: ['BROWSE_PROJECTS'] },
  app: 'com.acme.charts',
  module: 'item',
  space: 'ENG',
  context: { issueType: 'Bug', issueKey: 'ENG-1', projectType: 'software', contentType: 'page', properties: { content: { k: 'v' } } },
  facts: { flag_a: true },
  explain: false,
};
const RENDER = { outcome: 'render', reason: 'allowed', layer: 'conditions' };
const BLOCKED = { viewer: { type: 'licensed' }, app: 'com.acme.charts', module: 'chart', space: 'FIN' };

const gate = new Gate(CONFIG);

/** The gate still answers correctly (and so does a fresh one). */
function healthy(label) {
  assert.deepEqual(gate.decide(REQUEST), RENDER, `gate broken after ${label}`);
  const d = gate.decide(BLOCKED);
  assert.equal(d.reason, 'blocked-by-policy', `gate broken after ${label}`);
  assert.match(gate.placeholderHtml(d), /^<div class="rg-placeholder"/);
}

/** The placeholder markup without its icon (fixed markup of the gate's own). */
const withoutIcon = (html) => html.replace(/(<span class="rg-placeholder__icon"[^>]*>)[\s\S]*?(<\/span>)/, '$1$2');

const isTrap = (e) => e instanceof WebAssembly.RuntimeError || /unreachable|out of bounds|RuntimeError/.test(String(e?.message));

function describe(v) {
  if (typeof v === 'string') return v.length > 40 ? `string(${v.length})` : JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol' || typeof v === 'function') return String(v).slice(0, 30);
  if (v === undefined) return 'undefined';
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 60)}...` : s;
  } catch {
    return Object.prototype.toString.call(v);
  }
}

// ---------------------------------------------------------------------------------------
// What a bad config and a bad request must do
// ---------------------------------------------------------------------------------------

/** `new Gate(config)`: an Error naming every problem by path, or a working gate. */
function compileOutcome(config, label) {
  tried++;
  let g = null;
  let error = null;
  try {
    g = new Gate(config);
  } catch (e) {
    error = e;
  }
  const v = validate(config);
  assert.ok(Array.isArray(v.errors) && Array.isArray(v.warnings), `validate shape for ${label}`);
  if (error) {
    assert.ok(!isTrap(error), `trap for ${label}: ${error}`);
    assert.ok(error instanceof Error, `not an Error for ${label}: ${error}`);
    assert.match(error.message, /^invalid render-gate config:/, label);
    assert.ok(Array.isArray(error.diagnostics) && error.diagnostics.length > 0, `no diagnostics for ${label}`);
    for (const d of error.diagnostics) {
      assert.equal(typeof d.code, 'string', label);
      assert.equal(typeof d.path, 'string', label);
      assert.ok(typeof d.message === 'string' && d.message.length > 0, label);
      assert.ok(error.message.includes(d.path ? `${d.path}: ${d.message}` : d.message), `message lacks "${d.path}: ${d.message}" for ${label}`);
    }
    assert.deepEqual(v.errors, error.diagnostics, `validate and new Gate disagree for ${label}`);
  } else {
    assert.deepEqual(v.errors, [], `validate rejects what new Gate accepts for ${label}`);
    const d = g.decide(REQUEST);
    assert.ok(['render', 'placeholder', 'hide', 'pending'].includes(d.outcome), label);
    g.free();
  }
  healthy(label);
  return error;
}

/** The same as `compileOutcome`, and it must throw; returns the diagnostics. */
function rejects(config, label) {
  const e = compileOutcome(config, label);
  assert.ok(e, `config accepted: ${label}`);
  return e.diagnostics;
}

/** `gate.decide(request)`: a decision, never a throw; `invalid-request` is `hide` with errors. */
function decideOutcome(request, label) {
  tried++;
  let d;
  try {
    d = gate.decide(request);
  } catch (e) {
    assert.fail(`decide threw for ${label}: ${e?.constructor?.name} ${e?.message}`);
  }
  assert.ok(['render', 'placeholder', 'hide', 'pending'].includes(d.outcome), label);
  assert.equal(typeof d.reason, 'string', label);
  if (d.reason === 'invalid-request') {
    assert.equal(d.outcome, 'hide', label);
    assert.equal(d.layer, 'input', label);
    assert.ok(Array.isArray(d.errors) && d.errors.length > 0, `invalid-request without errors: ${label}`);
    for (const e of d.errors) assert.ok(typeof e.path === 'string' && typeof e.message === 'string' && e.message, label);
  } else {
    assert.equal(d.errors, undefined, label);
  }
  assert.deepEqual(gate.decideAll([request]), [d], `decideAll differs from decide for ${label}`);
  healthy(label);
  return d;
}

function invalid(request, label) {
  const d = decideOutcome(request, label);
  assert.equal(d.reason, 'invalid-request', `not invalid-request for ${label}: ${JSON.stringify(d)}`);
  return d;
}

// ---------------------------------------------------------------------------------------
// Walking a valid input slot by slot
// ---------------------------------------------------------------------------------------

/** Every path to a value inside `v` (object keys and array indexes), outermost first. */
function paths(v, prefix = []) {
  const out = [];
  if (v && typeof v === 'object') {
    for (const k of Array.isArray(v) ? v.keys() : Object.keys(v)) {
      const p = [...prefix, k];
      out.push(p, ...paths(v[k], p));
    }
  }
  return out;
}

const at = (v, p) => p.reduce((x, k) => x[k], v);
const DELETE = Symbol('delete');

/** A deep copy of `v` with the value at `p` replaced (or deleted). */
function replaced(v, p, value) {
  const copy = structuredClone(v);
  const parent = at(copy, p.slice(0, -1));
  const k = p[p.length - 1];
  if (value === DELETE) {
    if (Array.isArray(parent)) parent.splice(k, 1);
    else delete parent[k];
  } else {
    parent[k] = value;
  }
  return copy;
}

/** The path as diagnostics print it: `a.b[0]`, odd keys as `["..."]`. */
const pathText = (p) =>
  p.reduce((s, k) => (typeof k === 'number' ? `${s}[${k}]` : /^[A-Za-z0-9_:-]+$/.test(k) ? (s ? `${s}.${k}` : k) : `${s}["${k}"]`), '');

const kindOf = (v) =>
  v === null || v === undefined ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v;

const HUGE = 'x'.repeat(70_000); // over both string limits (64 KiB configs, 4 KiB requests)

/** Values to put in every slot. */
const JUNK = [
  null, undefined, NaN, Infinity, -Infinity, -0, 0, 1.5, Number.MAX_SAFE_INTEGER + 2,
  '', ' \t\n', HUGE, '\uD800', '😀𝒳', '<img src=x onerror=alert(1)>', '__proto__', 'constructor',
  true, false, [], [null], [[[]]], {}, JSON.parse('{"__proto__":{"polluted":1}}'),
  10n, Symbol('s'), () => 1, new Date(0), new Map([['a', 1]]), new Set([1]), /x/, new Uint8Array(2),
  Object.create(null), new String('x'), new Error('e'), new Proxy({}, {}), Promise.resolve(1),
];

// ---------------------------------------------------------------------------------------
// Configs
// ---------------------------------------------------------------------------------------

/** Inside an app's descriptor or manifest only `modules` and each module's key,
 *  conditions, unlicensedAccess and allowGuests are read: the rest is the app's own. */
function freeConfigSlot(p) {
  if (p[0] !== 'apps' || !['descriptor', 'manifest'].includes(p[2]) || p.length < 4) return false;
  if (p[3] !== 'modules') return true;
  if (p.length >= 7 && !['key', 'conditions', 'displayConditions', 'unlicensedAccess', 'allowGuests'].includes(p[6])) return true;
  // Connect `params.value` (compared loosely) takes any JSON value.
  const params = p.lastIndexOf('params');
  return params >= 0 && p[params + 1] === 'value';
}

/** Maps from names to values (locales, messages): their entries are not optional fields. */
const mapLikeConfig = (p) =>
  (p[0] === 'messages' && p.length <= 2) || (p[0] === 'apps' && p[3] === 'modules' && p.length === 4) || freeConfigSlot(p);

/** Forge `displayConditions` take objects and lists, and values of many types. */
const forgeConditions = (p) => p.includes('displayConditions');

/** In Connect `conditions`, a list and a condition object may stand for each other. */
const nestedConnectCondition = (p, orig, junk) =>
  p.includes('conditions') && ['array', 'object'].includes(kindOf(orig)) && ['array', 'object'].includes(kindOf(junk));

/** Objects whose unknown keys are read as something else (module types, locales,
 *  Forge condition names, the app's own fields). */
function openConfigObject(p) {
  if (p.length === 1 && p[0] === 'messages') return true;
  if (p[0] !== 'apps' || !['descriptor', 'manifest'].includes(p[2])) return false;
  if (p[3] !== 'modules') return true;
  if (p.length === 4) return true; // `modules`: keys are module types
  if (p.length === 6) return true; // a module: its own fields
  if (p.includes('params')) return true;
  return p.includes('displayConditions');
}

test('every slot of a valid config, replaced by junk, deleted, or given an unknown field', () => {
  assert.deepEqual(validate(CONFIG).errors, []);
  const slots = paths(CONFIG);
  assert.ok(slots.length > 60, `only ${slots.length} slots`);
  for (const p of slots) {
    const orig = at(CONFIG, p);
    const deletedError = compileOutcome(replaced(CONFIG, p, DELETE), `config.${pathText(p)} deleted`);
    for (const junk of JUNK) {
      if (Object.is(junk, orig)) continue;
      const label = `config.${pathText(p)} = ${describe(junk)}`;
      const error = compileOutcome(replaced(CONFIG, p, junk), label);
      const free = freeConfigSlot(p);
      if (junk === HUGE) {
        assert.ok(error, `over-long string accepted: ${label}`);
        assert.ok(error.diagnostics.some((d) => d.code === 'too-large'), label);
      } else if (junk === null || junk === undefined) {
        if (typeof p[p.length - 1] === 'number') {
          if (!free && !forgeConditions(p)) assert.ok(error, `null array item accepted: ${label}`);
        } else if (!free && !forgeConditions(p) && !mapLikeConfig(p.slice(0, -1))) {
          // null and undefined count as absent (in maps, a null entry may be an error).
          assert.equal(Boolean(error), Boolean(deletedError), `null differs from absent: ${label}`);
        }
      } else if (!free && !forgeConditions(p) && !nestedConnectCondition(p, orig, junk) && kindOf(junk) !== kindOf(orig)) {
        assert.ok(error, `wrong type accepted: ${label}`);
        const where = pathText(p);
        assert.ok(
          error.diagnostics.some((d) => d.path === where || where.startsWith(d.path)),
          `no diagnostic at ${where} for ${label}: ${JSON.stringify(error.diagnostics)}`,
        );
      }
    }
  }
  // An unknown field in every object.
  for (const p of [[], ...slots.filter((p) => kindOf(at(CONFIG, p)) === 'object')]) {
    const config = structuredClone(CONFIG);
    const target = p.length ? at(config, p) : config;
    target.zzz = { unknown: true };
    const label = `unknown field in config${p.length ? `.${pathText(p)}` : ''}`;
    const error = compileOutcome(config, label);
    if (!openConfigObject(p) && !freeConfigSlot(p)) {
      assert.ok(error, `unknown field accepted: ${label}`);
    }
  }
});

test('configs that are not configs', () => {
  for (const junk of [...JUNK, [], [CONFIG], 'confluence', JSON.stringify(CONFIG)]) {
    const label = `config = ${describe(junk)}`;
    const diags = rejects(junk, label);
    assert.ok(diags.length > 0, label);
  }
  // Missing each required field of the root and of an app and a policy.
  for (const k of ['product', 'apps']) rejects(replaced(CONFIG, [k], DELETE), `no ${k}`);
  for (const k of ['key', 'name', 'framework']) {
    const d = rejects(replaced(CONFIG, ['apps', 0, k], DELETE), `no apps[0].${k}`);
    assert.ok(d.some((x) => x.code === 'missing-field' && x.path === 'apps[0]' && x.message.includes(k)), JSON.stringify(d));
  }
  for (const k of ['id', 'name', 'spaces', 'appAccess', 'apps']) rejects(replaced(CONFIG, ['policies', 0, k], DELETE), `no policies[0].${k}`);
  // A Map is read like an object; a transparent Proxy like its target.
  assert.equal(compileOutcome(new Map(Object.entries(CONFIG)), 'config as a Map'), null);
  assert.equal(compileOutcome(new Proxy(structuredClone(CONFIG), {}), 'config as a Proxy'), null);
  assert.deepEqual(new Gate(new Proxy(structuredClone(CONFIG), {})).decide(REQUEST), RENDER);
  // Inherited and non-enumerable properties are not read.
  rejects(Object.create(CONFIG), 'config fields inherited');
  rejects(Object.defineProperty({ product: 'confluence' }, 'apps', { value: [], enumerable: false }), 'apps not enumerable');
});

/** A config with one Connect web item whose conditions are `conditions`. */
const withConnect = (conditions) => ({
  product: 'confluence',
  apps: [{ key: 'a', name: 'A', framework: 'connect', descriptor: { modules: { webItems: [{ key: 'w', conditions }] } } }],
});
const withForge = (displayConditions) => ({
  product: 'jira',
  apps: [{ key: 'f', name: 'F', framework: 'forge', manifest: { modules: { 'jira:issuePanel': [{ key: 'p', displayConditions }] } } }],
});

/** Builds `depth` levels of `wrap` around `leaf` without recursion. */
function nest(depth, wrap, leaf) {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = wrap(v);
  return v;
}

test('100,000-deep nesting is rejected by path, never overflows a stack', () => {
  const N = 100_000;
  const cases = [
    ['Connect or', withConnect([nest(N, (v) => ({ or: [v] }), { condition: 'user_is_logged_in' })])],
    ['Connect arrays', withConnect(nest(N, (v) => [v], { condition: 'user_is_logged_in' }))],
    ['Connect type/conditions', withConnect(nest(N, (v) => ({ type: 'AND', conditions: [v] }), { condition: 'flag_a' }))],
    ['Forge not', withForge(nest(N, (v) => ({ not: v }), { isAdmin: true }))],
    ['Forge or object', withForge(nest(N, (v) => ({ or: { a: true, and: v } }), { isAdmin: true }))],
    ['Forge list form', withForge(nest(N, (v) => [{ or: [v] }], { condition: 'isJiraGuest', invert: true }))],
    ['descriptor field', { product: 'confluence', apps: [{ key: 'a', name: 'A', framework: 'connect', descriptor: { modules: {}, x: nest(N, (v) => ({ a: v }), 0) } }] }],
    ['config itself', nest(N, (v) => [v], CONFIG)],
  ];
  for (const [label, config] of cases) {
    const t0 = Date.now();
    const diags = rejects(config, `${N}-deep ${label}`);
    assert.ok(diags.some((d) => d.code === 'too-deep'), `${label}: ${JSON.stringify(diags).slice(0, 300)}`);
    assert.ok(Date.now() - t0 < 5000, `${label} took ${Date.now() - t0} ms`);
  }
  // 33 levels of conditions: over the condition limit (32), under the input limit (128).
  const d = rejects(withConnect([nest(33, (v) => ({ and: [v] }), { condition: 'flag_a' })]), '33-deep conditions');
  assert.ok(d.some((x) => x.code === 'too-deep' && x.path.startsWith('apps[0].descriptor.modules.webItems[0].conditions')), JSON.stringify(d));
  assert.equal(compileOutcome(withConnect([nest(20, (v) => ({ and: [v] }), { condition: 'flag_a' })]), '20-deep conditions'), null);
  // Requests, viewers and decisions are bounded too.
  const deep = nest(N, (v) => [v], 1);
  const r = invalid({ ...REQUEST, context: { properties: { content: { k: deep } } } }, 'deep request');
  assert.ok(r.errors.some((e) => e.code === 'too-deep' && e.path.startsWith('context.properties.content.k')), JSON.stringify(r.errors).slice(0, 300));
  invalid(nest(N, (v) => ({ viewer: v }), REQUEST), 'deep request root');
  tried++;
  assert.throws(() => gate.discoverableMacros({ type: 'licensed', permissions: deep }, 'ENG'), (e) => !isTrap(e) && /invalid viewer/.test(e.message));
  tried++;
  assert.throws(() => gate.placeholderHtml({ outcome: 'placeholder', reason: 'guest-blocked', message: deep }), (e) => !isTrap(e) && /invalid decision/.test(e.message));
  healthy('deep inputs');
});

test('10 MB descriptors and 1,000,000 modules', () => {
  const app = (descriptor) => ({ product: 'confluence', apps: [{ key: 'a', name: 'A', framework: 'connect', descriptor }] });
  // One 10 MB string: over the string limit, named by path.
  let d = rejects(app({ modules: {}, blob: 'x'.repeat(10 * 1024 * 1024) }), '10 MB string');
  assert.ok(d.some((x) => x.code === 'too-large' && x.path === 'apps[0].descriptor.blob'), JSON.stringify(d));
  // 10 MB in 200,000 strings: within the limits; the gate compiles and decides.
  const parts = Array.from({ length: 200_000 }, (_, i) => `${'y'.repeat(45)}${String(i).padStart(6, '0')}`);
  let t0 = Date.now();
  const g = new Gate(app({ modules: { dynamicContentMacros: [{ key: 'm' }] }, i18n: parts }));
  tried++;
  assert.deepEqual(g.decide({ viewer: { type: 'licensed' }, app: 'a', module: 'm', space: 'S' }), RENDER);
  assert.ok(Date.now() - t0 < 10_000, `10 MB descriptor took ${Date.now() - t0} ms`);
  g.free();
  // 1,000,000 modules: over the node limit of one input, named by path.
  const million = Array.from({ length: 1_000_000 }, (_, i) => ({ key: `w${i}` }));
  t0 = Date.now();
  d = rejects(app({ modules: { webItems: million } }), '1,000,000 modules');
  assert.ok(d.some((x) => x.code === 'too-large' && x.path.startsWith('apps[0].descriptor.modules.webItems')), JSON.stringify(d));
  assert.ok(Date.now() - t0 < 30_000, `1,000,000 modules took ${Date.now() - t0} ms`);
  // 10,001 modules in one app: within the node limit, over the module limit.
  d = rejects(app({ modules: { webItems: million.slice(0, 10_001) } }), '10,001 modules');
  assert.ok(d.some((x) => x.code === 'too-large' && x.path === 'apps[0].descriptor.modules'), JSON.stringify(d));
  // 1,001 condition leaves in Connect: over the condition-size limit.
  d = rejects(withConnect(Array.from({ length: 1001 }, () => ({ condition: 'flag_a' }))), '1,001 condition leaves');
  assert.ok(d.some((x) => x.code === 'too-large'), JSON.stringify(d));
});

test('odd keys: empty, huge, non-BMP, __proto__ / constructor / prototype', () => {
  let d = rejects({ ...CONFIG, '': 1 }, 'empty key');
  assert.ok(d.some((x) => x.code === 'unknown-field' && x.path === '[""]'), JSON.stringify(d));
  d = rejects({ ...CONFIG, ['k'.repeat(1_000_000)]: 1 }, 'huge key');
  assert.ok(d.some((x) => x.code === 'too-large'), JSON.stringify(d));
  for (const bad of ['', ' ', 'k'.repeat(256), '😀'.repeat(256)]) {
    d = rejects(replaced(CONFIG, ['apps', 0, 'key'], bad), `app key ${describe(bad)}`);
    assert.ok(d.some((x) => x.path === 'apps[0].key'), JSON.stringify(d));
  }
  // Non-BMP keys work as keys (255 characters is the limit, not 255 bytes).
  const emoji = {
    product: 'confluence',
    apps: [{ key: '📊'.repeat(255), name: '図表 😀', framework: 'connect', descriptor: { modules: { dynamicContentMacros: [{ key: '𝒳' }] } } }],
    policies: [{ id: '🔒', name: '🔒', spaces: ['ΣPACE'], appAccess: 'block-all' }],
  };
  assert.equal(compileOutcome(emoji, 'non-BMP keys'), null);
  const eg = new Gate(emoji);
  assert.deepEqual(eg.decide({ viewer: { type: 'licensed' }, app: '📊'.repeat(255), module: '𝒳', space: '😀' }), RENDER);
  const blocked = eg.decide({ viewer: { type: 'licensed' }, app: '📊'.repeat(255), module: '𝒳', space: 'ΣPACE' });
  assert.equal(blocked.policy, '🔒');
  assert.match(blocked.message, /図表 😀/);
  eg.free();
  // Own `__proto__` keys (JSON.parse makes them) are plain unknown fields, never prototypes.
  const proto = (text) => JSON.parse(text);
  d = rejects(proto('{"product":"confluence","apps":[],"__proto__":{"policies":[]}}'), 'own __proto__ at the root');
  assert.ok(d.some((x) => x.code === 'unknown-field' && x.path === '__proto__'), JSON.stringify(d));
  d = rejects(proto('{"product":"confluence","apps":[{"key":"a","name":"A","framework":"connect","__proto__":{"guestAccess":"allow"}}]}'), 'own __proto__ in an app');
  assert.ok(d.some((x) => x.path === 'apps[0].__proto__'), JSON.stringify(d));
  const names = proto(`{"product":"confluence","apps":[{"key":"__proto__","name":"constructor","framework":"connect",
    "descriptor":{"__proto__":{"x":1},"modules":{"__proto__":[{"key":"p"}],"dynamicContentMacros":[{"key":"prototype","__proto__":{"conditions":[]}}]}}}],
    "policies":[{"id":"constructor","name":"__proto__","spaces":["hasOwnProperty"],"appAccess":"block-only","apps":["__proto__"]}]}`);
  assert.equal(compileOutcome(names, '__proto__ / constructor / prototype as names'), null);
  const pg = new Gate(names);
  assert.deepEqual(pg.decide({ viewer: { type: 'licensed' }, app: '__proto__', module: 'prototype', space: 'ENG' }), RENDER);
  assert.equal(pg.decide({ viewer: { type: 'licensed' }, app: '__proto__', module: 'prototype', space: 'hasOwnProperty' }).policy, 'constructor');
  assert.equal(pg.decide({ viewer: { type: 'licensed' }, app: 'toString', module: 'valueOf', space: 'ENG' }).reason, 'app-not-installed');
  assert.equal(pg.decide({ viewer: { type: 'licensed' }, app: '__proto__', module: 'constructor', space: 'ENG' }).reason, 'module-not-found');
  assert.deepEqual(pg.warnings.map((w) => w.code), ['unknown-module-type']);
  pg.free();
  tried += 6;
  assert.equal({}.polluted, undefined);
  assert.equal(Object.prototype.x, undefined);
});

test('HTML and script in names, keys and messages come out escaped', () => {
  const evil = '"><img src=x onerror=alert(1)><script>alert(2)</script>\'`&amp;';
  const config = {
    product: 'confluence',
    messages: { en: { 'blocked-by-policy': `${evil} {app} {policy}`, 'guest-blocked': `${evil} {product}` } },
    apps: [{ key: `app${evil}`, name: evil, framework: 'connect', descriptor: { modules: { dynamicContentMacros: [{ key: `m${evil}` }] } } }],
    policies: [{ id: `p${evil}`, name: evil, spaces: [`S${evil}`], appAccess: 'block-all' }],
  };
  assert.equal(compileOutcome(config, 'HTML everywhere'), null);
  const g = new Gate(config);
  for (const viewer of [{ type: 'licensed' }, { type: 'guest', guestSpace: `S${evil}` }]) {
    tried++;
    const d = g.decide({ viewer, app: `app${evil}`, module: `m${evil}`, space: `S${evil}` });
    assert.equal(d.outcome, 'placeholder');
    assert.ok(d.message.includes(evil), 'the decision carries the text as text');
    const html = g.placeholderHtml(d);
    assert.ok(!/[<>]/.test(withoutIcon(html).replace(/<\/?(div|span)\b[^<>]*>/g, '')), `raw markup in ${html}`);
    assert.ok(!/'|`/.test(html), html);
  }
  // Decisions handed back by the caller are data too.
  for (const junk of JUNK) {
    tried++;
    let html;
    try {
      html = gate.placeholderHtml({ outcome: 'placeholder', reason: 'guest-blocked', message: junk, policy: junk });
    } catch (e) {
      assert.ok(!isTrap(e) && /^invalid decision:/.test(e.message), `${describe(junk)}: ${e.message}`);
      continue;
    }
    assert.ok(!/<(?!\/?(div|span)\b)/.test(withoutIcon(html)), `${describe(junk)}: ${html}`);
  }
  for (const junk of [...JUNK, { outcome: 'placeholder' }, { outcome: 'boom', reason: 'allowed' }, { outcome: 'placeholder', reason: '__proto__' }]) {
    tried++;
    try {
      const html = gate.placeholderHtml(junk);
      assert.equal(typeof html, 'string');
    } catch (e) {
      assert.ok(!isTrap(e) && /^invalid decision:/.test(e.message), `${describe(junk)}: ${e.message}`);
    }
  }
  g.free();
  healthy('placeholder junk');
});

test('NaN, Infinity and -0 in property values and conditions', () => {
  for (const value of [NaN, Infinity, -Infinity, -0, 0, 1e308, Number.MIN_VALUE]) {
    const config = {
      product: 'jira',
      apps: [{ key: 'f', name: 'F', framework: 'forge', manifest: { modules: { 'jira:issuePanel': [{ key: 'p', displayConditions: { entityPropertyEqualTo: { entity: 'issue', propertyKey: 'n', value } } }] } } }],
    };
    assert.equal(compileOutcome(config, `property value ${value}`), null);
    const g = new Gate(config);
    for (const actual of [NaN, Infinity, -0, 0, '0', 'NaN', null]) {
      tried++;
      const d = g.decide({ viewer: { type: 'licensed' }, app: 'f', module: 'p', space: 'E', context: { properties: { issue: { n: actual } } } });
      assert.ok(['render', 'hide'].includes(d.outcome), JSON.stringify(d));
      if (Number.isNaN(value) && Number.isNaN(actual)) assert.equal(d.outcome, 'hide', 'NaN equals nothing');
    }
    g.free();
  }
});

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

/** Request slots whose value is free JSON (property values). */
const freeRequestSlot = (p) => p[0] === 'context' && p[1] === 'properties' && p.length >= 4;
/** Request slots that may hold another value of the same type and still render. */
const RENDER_OK = new Set(['space', 'viewer.accountId', 'viewer.siteAdmin', 'viewer.productAdmin', 'viewer.spaceAdmin', 'context.issueType', 'context.issueKey', 'context.projectType', 'context.contentType', 'explain']);

test('every slot of a valid request, replaced by junk, deleted, or given an unknown field', () => {
  assert.deepEqual(gate.decide(REQUEST), RENDER);
  const slots = paths(REQUEST);
  for (const p of slots) {
    const where = pathText(p);
    const orig = at(REQUEST, p);
    const deleted = decideOutcome(replaced(REQUEST, p, DELETE), `${where} deleted`);
    if (deleted.outcome === 'render') assert.ok(RENDER_OK.has(where) || freeRequestSlot(p), `renders without ${where}`);
    for (const junk of JUNK) {
      if (Object.is(junk, orig)) continue;
      const label = `request.${where} = ${describe(junk)}`;
      const d = decideOutcome(replaced(REQUEST, p, junk), label);
      const free = freeRequestSlot(p);
      if (junk === HUGE) {
        assert.equal(d.reason, 'invalid-request', label);
        assert.ok(d.errors.some((e) => e.code === 'too-large'), label);
      } else if (free || (p[0] === 'context' && p[1] === 'properties')) {
        // Any JSON value is a property value; entities are a map.
      } else if (junk === null || junk === undefined) {
        if (typeof p[p.length - 1] === 'number') assert.equal(d.reason, 'invalid-request', label);
        // null and undefined count as absent.
        else assert.deepEqual(d, deleted, `null differs from absent: ${label}`);
      } else if (free) {
        // Any JSON value is a property value.
      } else if (kindOf(junk) !== kindOf(orig)) {
        assert.equal(d.reason, 'invalid-request', label);
        assert.ok(d.errors.some((e) => e.path === where || where.startsWith(e.path)), `no error at ${where}: ${JSON.stringify(d.errors)}`);
      } else if (d.outcome === 'render') {
        assert.ok(RENDER_OK.has(where), `renders with ${label}`);
      }
    }
  }
  for (const p of [[], ...slots.filter((p) => kindOf(at(REQUEST, p)) === 'object')]) {
    const where = pathText(p);
    const d = decideOutcome(replaced(REQUEST, [...p, 'zzz'], { unknown: true }), `unknown field in request.${where}`);
    if (p[0] === 'context' && p[1] === 'properties') continue; // entities and property names are free
    assert.equal(d.reason, 'invalid-request', where);
    if (where !== 'facts') assert.ok(d.errors.some((e) => e.code === 'unknown-field'), `${where}: ${JSON.stringify(d.errors)}`);
  }
});

test('requests that are not requests', () => {
  for (const junk of [...JUNK, [], [REQUEST], 'render please', JSON.stringify(REQUEST)]) {
    const d = decideOutcome(junk, `request = ${describe(junk)}`);
    assert.notEqual(d.outcome, 'render', describe(junk));
  }
  // Read like objects: a Map and a transparent Proxy decide like the request itself.
  assert.deepEqual(decideOutcome(new Map(Object.entries(REQUEST)), 'request as a Map'), RENDER);
  assert.deepEqual(decideOutcome(new Proxy(structuredClone(REQUEST), {}), 'request as a Proxy'), RENDER);
  // Inherited fields are not read.
  invalid(Object.create(REQUEST), 'inherited request');
  invalid({ ...REQUEST, viewer: Object.create(REQUEST.viewer) }, 'inherited viewer');
  // Empty, huge, non-BMP and lone-surrogate keys.
  let d = invalid({ ...REQUEST, '': 1 }, 'empty key');
  assert.ok(d.errors.some((e) => e.code === 'unknown-field' && e.path === '[""]'), JSON.stringify(d.errors));
  d = invalid({ ...REQUEST, ['k'.repeat(1_000_000)]: 1 }, 'huge key');
  assert.ok(d.errors.some((e) => e.code === 'too-large'), JSON.stringify(d.errors));
  for (const key of ['😀', '\uD800', '\uDFFF', 'constructor', 'toString']) invalid({ ...REQUEST, [key]: 1 }, `unknown key ${describe(key)}`);
  for (const field of ['app', 'module', 'space']) {
    for (const bad of ['', ' ', 'k'.repeat(256)]) {
      d = invalid({ ...REQUEST, [field]: bad }, `${field} = ${describe(bad)}`);
      assert.ok(d.errors.some((e) => e.path === field), JSON.stringify(d.errors));
    }
  }
  // A fact named like a prototype property is just a fact.
  assert.equal(decideOutcome({ ...REQUEST, facts: JSON.parse('{"flag_a":true,"__proto__":true,"constructor":false}') }, 'facts with __proto__').outcome, 'render');
  assert.equal(decideOutcome({ ...REQUEST, facts: JSON.parse('{"__proto__":{"flag_a":true}}') }, 'facts via __proto__').reason, 'invalid-request');
  assert.equal(decideOutcome({ ...REQUEST, viewer: JSON.parse('{"type":"guest","guestSpace":"ENG","__proto__":{"type":"licensed"}}') }, 'viewer via __proto__').reason, 'invalid-request');
  // `space` and `project` must agree.
  invalid({ ...REQUEST, project: 'OPS' }, 'space and project disagree');
  assert.equal({}.polluted, undefined);
});

test('decideAll: non-arrays, junk items, holes, and the 200,000 cap', () => {
  for (const junk of [null, undefined, 5, 'abc', {}, { length: 2, 0: REQUEST }, new Set([REQUEST]), new Map([[0, REQUEST]]), new Uint8Array(3), REQUEST]) {
    tried++;
    assert.throws(() => gate.decideAll(junk), (e) => e instanceof TypeError && !isTrap(e) && /array/.test(e.message), describe(junk));
    healthy(`decideAll(${describe(junk)})`);
  }
  const items = [REQUEST, ...JUNK, BLOCKED, [], REQUEST];
  tried += items.length;
  const all = gate.decideAll(items);
  assert.equal(all.length, items.length);
  items.forEach((r, i) => assert.deepEqual(all[i], gate.decide(r), `item ${i}: ${describe(r)}`));
  // Holes read as undefined.
  // eslint-disable-next-line no-sparse-arrays
  const holes = gate.decideAll([, REQUEST, ,]);
  assert.deepEqual(holes.map((d) => d.reason), ['invalid-request', 'allowed', 'invalid-request']);
  tried += 3;
  // The cap: 200,000 decide, 200,001 and 1,000,000 are a RangeError before any work.
  const many = new Array(200_000).fill(REQUEST);
  let t0 = Date.now();
  const out = gate.decideAll(many);
  assert.equal(out.length, 200_000);
  assert.deepEqual(out[199_999], RENDER);
  assert.ok(Date.now() - t0 < 20_000, `200,000 decisions took ${Date.now() - t0} ms`);
  for (const n of [200_001, 1_000_000]) {
    tried++;
    t0 = Date.now();
    assert.throws(() => gate.decideAll(new Array(n).fill(REQUEST)), (e) => e instanceof RangeError && /200000/.test(e.message));
    assert.ok(Date.now() - t0 < 2000, `rejecting ${n} took ${Date.now() - t0} ms`);
    healthy(`decideAll of ${n}`);
  }
  // 200,000 bad requests at once (counted as one bad input).
  tried++;
  const bad = gate.decideAll(new Array(200_000).fill(7));
  assert.ok(bad.every((d) => d.reason === 'invalid-request'));
  healthy('200,000 bad requests');
});

test('discoverableMacros and the context adapters with junk', () => {
  for (const junk of [...JUNK, { type: 'root' }, { type: 'licensed', permissions: 'all' }]) {
    tried++;
    assert.throws(() => gate.discoverableMacros(junk, 'ENG'), (e) => e instanceof Error && !isTrap(e) && /^invalid viewer:/.test(e.message), describe(junk));
    healthy(`discoverableMacros(${describe(junk)})`);
  }
  for (const [name, fn] of [['viewerFromForgeContext', rg.viewerFromForgeContext], ['viewerFromConnectContext', rg.viewerFromConnectContext]]) {
    if (typeof fn !== 'function') continue;
    for (const junk of [...JUNK, { user: JUNK }, { user: { isJiraGuest: 'yes' } }, { accountType: 5 }, { extension: { project: { key: 7 } } }]) {
      tried++;
      let out;
      try {
        out = fn(junk);
      } catch (e) {
        assert.ok(e instanceof Error && !isTrap(e), `${name}(${describe(junk)}): ${e}`);
        continue;
      }
      assert.ok(['licensed', 'guest', 'anonymous', 'customer', 'unlicensed'].includes(out.viewer.type), `${name}(${describe(junk)}) => ${JSON.stringify(out)}`);
    }
    healthy(name);
  }
});

test('a few inputs that throw while being read do not break the gate', () => {
  // 2,000 rounds of these run in a child process below.
  const throwers = [
    () => ({ get viewer() { throw new Error('getter'); }, app: 'a', module: 'm' }),
    () => new Proxy({}, { ownKeys() { throw new Error('ownKeys trap'); } }),
    () => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; },
    () => ({ ...REQUEST, context: { get properties() { throw new Error('nested getter'); } } }),
  ];
  for (const make of throwers) {
    tried += 3;
    for (const call of [() => gate.decide(make()), () => new Gate({ ...CONFIG, apps: [make()] }), () => validate({ ...CONFIG, policies: [make()] })]) {
      try {
        call();
      } catch (e) {
        assert.ok(!isTrap(e), String(e));
      }
      healthy('an input that throws while read');
    }
  }
});

// ---------------------------------------------------------------------------------------
// Regressions for defects this file found. The ones that could crash Node or break the
// wasm instance run in a child process.
// ---------------------------------------------------------------------------------------

const HELPERS = new URL('./helpers.mjs', import.meta.url).href;

/** Runs `body` in a fresh Node with `Gate`, `validate`, `gate`, `good` set up; it prints `ok` when fine. */
function child(body) {
  const code = `
    import rg, { Gate, validate } from ${JSON.stringify(HELPERS)};
    const gate = new Gate({ product: 'confluence', apps: [{ key: 'a', name: 'A', framework: 'connect', descriptor: { modules: { dynamicContentMacros: [{ key: 'm' }] } } }] });
    const good = { viewer: { type: 'licensed' }, app: 'a', module: 'm', space: 'ENG' };
    const check = (label) => { const d = gate.decide(good); if (d.outcome !== 'render') throw new Error('gate broken after ' + label + ': ' + JSON.stringify(d)); };
    ${body}
    console.log('ok');
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000 });
  const thrown = r.stderr.match(/^\w*Error: .*$/m);
  return { ok: r.status === 0 && r.stdout.trim().endsWith('ok'), status: r.status, signal: r.signal, out: thrown ? thrown[0] : `${r.stdout}\n${r.stderr}`.trim().slice(-800) };
}

// `discoverableMacros(viewer, space)` took `space: &str`: the generated glue copied any
// value into wasm memory as a string, so a number, boolean, object, Symbol or BigInt
// trapped ("RuntimeError: memory access out of bounds"), and about 360 such calls
// interleaved with `decide` crashed Node 20 with SIGSEGV.
test('discoverableMacros with a non-string space throws a TypeError, never traps or crashes', () => {
  tried += 7;
  const r = child(`
    let traps = 0, others = 0;
    // One type at a time: 1,000 numbers interleaved with decide crash Node 20 (SIGSEGV).
    for (const space of [5, true, {}, [], Symbol('s'), 10n, null]) {
      for (let i = 0; i < 1000; i++) {
        try { gate.discoverableMacros({ type: 'licensed' }, space); }
        catch (e) { if (e instanceof WebAssembly.RuntimeError) traps++; else if (!(e instanceof TypeError)) others++; }
        check('discoverableMacros(' + typeof space + ')');
      }
    }
    if (traps || others) throw new Error(traps + ' wasm traps, ' + others + ' errors that are not TypeErrors');
  `);
  assert.ok(r.ok, `exit ${r.status} ${r.signal ?? ''}: ${r.out}`);
});

// A getter or Proxy trap that threw while the input was read escaped from `decide` and
// `validate` (documented never to throw for bad input), and unwound through the wasm
// frame before the wasm-bindgen shim restored its externref stack slot: after 1,024 such
// calls every call on every Gate of the instance trapped ("RuntimeError: table index is
// out of bounds").
test('inputs that throw while read fail closed, and 2,000 of them leave the instance working', () => {
  tried += 5;
  const r = child(`
    let escaped = 0;
    const throws = (f) => { try { f(); return false; } catch { return true; } };
    for (let i = 0; i < 2000; i++) {
      // decide and validate never throw for bad input; the others throw an Error by design.
      if (throws(() => gate.decide({ get viewer() { throw new Error('getter'); }, app: 'a', module: 'm' }))) escaped++;
      if (throws(() => validate(new Proxy({}, { ownKeys() { throw new Error('trap'); } })))) escaped++;
      throws(() => new Gate({ get product() { throw new Error('x'); } }));
      throws(() => gate.placeholderHtml({ get outcome() { throw new Error('x'); } }));
      throws(() => rg.viewerFromForgeContext({ get accountId() { throw new Error('x'); } }));
    }
    let after = 'ok';
    try { check('2,000 rounds of inputs that throw'); new Gate({ product: 'jira', apps: [] }); }
    catch (e) { after = e.constructor.name + ': ' + e.message; }
    if (escaped || after !== 'ok') throw new Error(escaped + ' exceptions escaped from decide/validate; afterwards: ' + after);
  `);
  assert.ok(r.ok, `exit ${r.status} ${r.signal ?? ''}: ${r.out}`);
});

// Strings were converted lossily (every lone surrogate became U+FFFD), so different JS
// strings became the same key: a guest whose guest space is 'A\uD800' got `render` in the
// different space 'A\uDC00' (rule 5 failed open).
test('lone surrogates never make two different spaces the same', () => {
  const g = new Gate({ product: 'confluence', guestMode: 'allow', apps: [{ key: 'a', name: 'A', framework: 'connect', descriptor: { modules: { dynamicContentMacros: [{ key: 'm' }] } } }] });
  for (const space of ['A\uDC00', 'A\uFFFD', 'A\uDBFF']) {
    tried++;
    const d = g.decide({ viewer: { type: 'guest', guestSpace: 'A\uD800' }, app: 'a', module: 'm', space });
    assert.notEqual(d.outcome, 'render', `guest of 'A\\uD800' rendered in ${JSON.stringify(space)}`);
  }
});

// The space of `discoverableMacros` was not checked like a request's (not blank, at most
// 255 characters): `discoverableMacros(viewer, '')` listed macros that
// `decide({ ..., space: '' })` hides as `invalid-request`.
test('discoverableMacros rejects a space that decide would reject', () => {
  for (const space of ['', '   ', 'k'.repeat(256)]) {
    tried++;
    let listed = [];
    try {
      listed = gate.discoverableMacros({ type: 'licensed' }, space);
    } catch (e) {
      assert.ok(!isTrap(e));
    }
    assert.deepEqual(listed, [], `listed for space ${describe(space)}`);
  }
});
