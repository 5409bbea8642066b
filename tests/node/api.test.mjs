// The JS API contract, exercised from Node against the built pkg/.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Gate, validate } from './helpers.mjs';

const confluence = {
  product: 'confluence',
  apps: [
    {
      key: 'com.acme.charts', name: 'Acme <Charts> & "Co"', framework: 'connect',
      descriptor: {
        key: 'com.acme.charts', baseUrl: 'https://charts.example', // the app's own fields are ignored
        modules: {
          dynamicContentMacros: [{ key: 'chart', url: '/chart' }],
          staticContentMacros: [{ key: 'static-chart' }],
          webItems: [{ key: 'item', conditions: [{ condition: 'user_is_logged_in' }] }],
          webhooks: [{ key: 'hook', event: 'page_created' }],
        },
      },
    },
    {
      key: 'io.forge.notes', name: 'Notes', framework: 'forge',
      manifest: { modules: { macro: [{ key: 'note', displayConditions: { isLoggedIn: true } }] } },
    },
  ],
  policies: [{ id: 'fin', name: 'Finance lockdown', spaces: ['FIN'], appAccess: 'block-all-except', apps: ['io.forge.notes'] }],
};

const licensed = { type: 'licensed', accountId: 'u1' };
const guest = { type: 'guest', guestSpace: 'ENG' };

test('new Gate compiles once and decides', () => {
  const gate = new Gate(confluence);
  assert.equal(gate.product, 'confluence');
  assert.equal(gate.guestMode, 'block-ui');
  assert.deepEqual(gate.decide({ viewer: licensed, app: 'com.acme.charts', module: 'chart', space: 'ENG' }),
    { outcome: 'render', reason: 'allowed', layer: 'conditions' });
});

test('guest sees the product placeholder, never the app blamed', () => {
  const gate = new Gate(confluence);
  const d = gate.decide({ viewer: guest, app: 'com.acme.charts', module: 'chart', space: 'ENG' });
  assert.equal(d.outcome, 'placeholder');
  assert.equal(d.reason, 'guest-blocked');
  assert.equal(d.message, 'Confluence does not allow access to this content for guest users');
});

test('policy placeholder names the app and the policy id', () => {
  const gate = new Gate(confluence);
  const d = gate.decide({ viewer: licensed, app: 'com.acme.charts', module: 'chart', space: 'FIN' });
  assert.equal(d.reason, 'blocked-by-policy');
  assert.equal(d.policy, 'fin');
  assert.match(d.message, /Acme <Charts>/);
  assert.match(d.message, /organization/);
  const allowed = gate.decide({ viewer: licensed, app: 'io.forge.notes', module: 'note', space: 'FIN' });
  assert.equal(allowed.outcome, 'render');
});

test('placeholderHtml escapes input and is accessible', () => {
  const gate = new Gate(confluence);
  const d = gate.decide({ viewer: licensed, app: 'com.acme.charts', module: 'chart', space: 'FIN' });
  const html = gate.placeholderHtml(d);
  assert.match(html, /^<div class="rg-placeholder" role="note" data-reason="blocked-by-policy" data-policy="fin"/);
  assert.ok(html.includes('Acme &lt;Charts&gt; &amp; &quot;Co&quot;'));
  assert.ok(!html.includes('<Charts>'));
  assert.ok(html.includes('var(--rg-placeholder-bg'));
  // Anything the caller puts in the decision is escaped too.
  const evil = gate.placeholderHtml({ outcome: 'placeholder', reason: 'guest-blocked', message: '<img src=x onerror=alert(1)>', policy: '"><script>' });
  assert.ok(!/<img|<script/.test(evil), evil);
  assert.equal(gate.placeholderHtml({ outcome: 'hide', reason: 'admin-only' }), '');
  assert.throws(() => gate.placeholderHtml({ outcome: 'placeholder', reason: 'nope' }), /unknown reason `nope`/);
});

test('decideAll equals decide, in order, in one call', () => {
  const gate = new Gate(confluence);
  const reqs = [];
  for (const viewer of [licensed, guest, { type: 'anonymous' }, { type: 'guest', guestSpace: 'OPS' }]) {
    for (const module of ['chart', 'static-chart', 'item', 'hook', 'missing']) {
      for (const space of ['ENG', 'FIN', undefined]) reqs.push({ viewer, app: 'com.acme.charts', module, space });
    }
  }
  reqs.push(null, 7, 'x', { viewer: licensed });
  const all = gate.decideAll(reqs);
  assert.equal(all.length, reqs.length);
  reqs.forEach((r, i) => assert.deepEqual(all[i], gate.decide(r), `request ${i}`));
  assert.throws(() => gate.decideAll({ length: 1 }), TypeError);
});

test('invalid config throws one Error naming every problem', () => {
  const bad = { product: 'trello', apps: [{ key: 'a', name: 'A', framework: 'connect', extra: 1 }], policies: [{ id: 'p' }] };
  assert.throws(() => new Gate(bad), (e) => {
    assert.ok(e instanceof Error);
    assert.match(e.message, /^invalid render-gate config:/);
    assert.match(e.message, /product: unknown value `trello`/);
    assert.match(e.message, /apps\[0\]\.extra: unknown field `extra`/);
    assert.match(e.message, /policies\[0\]: missing field `name`/);
    assert.ok(e.diagnostics.every((d) => typeof d.code === 'string' && typeof d.path === 'string' && typeof d.message === 'string'));
    return true;
  });
});

test('validate reports errors and warnings without throwing', () => {
  assert.deepEqual(validate(confluence), { errors: [], warnings: [] });
  for (const junk of [undefined, null, 1, 'x', [], { product: 'jira' }]) {
    const r = validate(junk);
    assert.ok(r.errors.length > 0, JSON.stringify(junk));
  }
  const r = validate({ product: 'jira', apps: [], policies: [{ id: 'p', name: 'P', spaces: ['A'], appAccess: 'block-only', apps: ['ghost'] }] });
  assert.deepEqual(r.warnings.map((w) => w.code), ['policy-unknown-app']);
  assert.equal(r.warnings[0].path, 'policies[0].apps[0]');
});

test('a bad request fails closed as hide / invalid-request with its errors', () => {
  const gate = new Gate(confluence);
  for (const bad of [undefined, null, 0, 'chart', [], { viewer: { type: 'root' }, app: 'com.acme.charts', module: 'chart' },
    { viewer: licensed, app: 'com.acme.charts', module: 'chart', space: 7 },
    { viewer: licensed, app: 'com.acme.charts', module: 'chart', facts: { x: 'yes' } }]) {
    const d = gate.decide(bad);
    assert.equal(d.outcome, 'hide', JSON.stringify(bad));
    assert.equal(d.reason, 'invalid-request');
    assert.equal(d.layer, 'input');
    assert.ok(d.errors.length > 0);
  }
  assert.equal(gate.decide({ viewer: licensed, app: 'com.acme.charts', module: 'chart', space: 'ENG' }).outcome, 'render');
});

test('explain attaches a trace with every rule and leaf, and why-not', () => {
  const gate = new Gate(confluence);
  const d = gate.decide({ viewer: { type: 'anonymous' }, app: 'com.acme.charts', module: 'item', space: 'ENG', explain: true });
  assert.equal(d.reason, 'conditions-false');
  assert.deepEqual(d.trace.steps.map((s) => s.rule), [1, 1, 2, 3, 4, 8]);
  assert.deepEqual(d.trace.conditions, [{ path: 'apps[0].descriptor.modules.webItems[0].conditions[0]', condition: 'user_is_logged_in', value: 'false' }]);
  assert.match(d.trace.whyNot, /user_is_logged_in/);
  assert.equal(gate.decide({ viewer: licensed, app: 'com.acme.charts', module: 'item', space: 'ENG' }).trace, undefined);
});

test('discoverableMacros lists exactly the macros that would render', () => {
  const gate = new Gate(confluence);
  assert.deepEqual(gate.discoverableMacros(licensed, 'ENG'), [
    { app: 'com.acme.charts', module: 'chart' },
    { app: 'com.acme.charts', module: 'static-chart' },
    { app: 'io.forge.notes', module: 'note' },
  ]);
  assert.deepEqual(gate.discoverableMacros(licensed, 'FIN'), [{ app: 'io.forge.notes', module: 'note' }]);
  assert.deepEqual(gate.discoverableMacros(guest, 'ENG'), []);
  assert.throws(() => gate.discoverableMacros({ type: 'wizard' }, 'ENG'), /invalid viewer/);
});

test('messages follow the locale with fallback, and host overrides win', () => {
  const req = { viewer: guest, app: 'com.acme.charts', module: 'chart', space: 'ENG' };
  const msg = (extra) => new Gate({ ...confluence, ...extra }).decide(req).message;
  assert.equal(msg({ locale: 'de' }), 'Confluence erlaubt Gastbenutzern keinen Zugriff auf diesen Inhalt');
  assert.equal(msg({ locale: 'de-CH' }), msg({ locale: 'de' }));
  assert.match(msg({ locale: 'fr' }), /invités/);
  assert.match(msg({ locale: 'es' }), /invitados/);
  assert.match(msg({ locale: 'ja' }), /ゲスト/);
  assert.equal(msg({ locale: 'pt-BR' }), msg({ locale: 'en' }));
  assert.equal(msg({ locale: 'de', messages: { de: { 'guest-blocked': '{product}: nur für Mitglieder' } } }), 'Confluence: nur für Mitglieder');
  assert.throws(() => new Gate({ ...confluence, messages: { en: { allowed: 'x' } } }), /messages\.en\.allowed/);
});

test('warnings of a compiled gate are exposed', () => {
  const gate = new Gate({ product: 'jira', apps: [{ key: 'a', name: 'A', framework: 'forge', manifest: { modules: { 'jira:issuePanel': [{ key: 'p', displayConditions: [{ condition: 'isJiraGuest' }] }], 'jira:madeUp': [{ key: 'x' }] } } }] });
  assert.deepEqual(gate.warnings.map((w) => w.code).sort(), ['guest-condition-alone', 'unknown-module-type']);
});

// Regressions from review: the page batch's fast path must read a request exactly as the
// full reader does (it sees own enumerable keys, reads arrays by index, bounds lengths).
test('the fast path reads hidden keys, iterators and huge arrays like the reader', () => {
  const gate = new Gate({
    product: 'jira',
    guestMode: 'allow',
    apps: [{ key: 'a', name: 'A', framework: 'connect', descriptor: { modules: {
      webPanels: [{ key: 'w' }, { key: 'p', conditions: [{ condition: 'has_project_permission', params: { permission: 'ADMINISTER_PROJECTS' } }] }],
      jiraIssueGlances: [{ key: 'g' }],
    } } }],
    policies: [{ id: 'fin', name: 'Finance', spaces: ['FIN'], appAccess: 'block-all' }],
  });
  const slow = (r) => gate.decide({ ...r, explain: true }); // explain forces the full reader
  const same = (r) => {
    const { trace, ...fast } = gate.decide(r);
    const { trace: _, ...full } = slow(Object.fromEntries(Object.entries(r)));
    assert.deepEqual(fast, full);
    assert.deepEqual(gate.decideAll([r])[0], fast);
    return fast;
  };
  // A non-enumerable viewer is not there for the reader.
  const hidden = { app: 'a', module: 'w', space: 'ENG' };
  Object.defineProperty(hidden, 'viewer', { value: { type: 'licensed' }, enumerable: false });
  assert.equal(gate.decide(hidden).reason, 'invalid-request');
  // A hidden `space` must not stand in for the visible `project`.
  const guest = { viewer: { type: 'guest', guestSpace: 'ENG' }, app: 'a', module: 'g', project: 'FIN' };
  Object.defineProperty(guest, 'space', { value: 'ENG', enumerable: false });
  assert.equal(gate.decide(guest).reason, 'blocked-by-policy');
  // Arrays are read by index on both paths, whatever their iterator says.
  const perms = ['ADMINISTER_PROJECTS'];
  perms[Symbol.iterator] = function* () { yield 'BROWSE_PROJECTS'; };
  assert.equal(same({ viewer: { type: 'licensed', permissions: perms }, app: 'a', module: 'p', space: 'X' }).outcome, 'render');
  // A sparse array claiming 100 million elements is refused at once, not walked.
  const huge = [];
  huge.length = 1e8;
  const t0 = Date.now();
  const d = gate.decide({ viewer: { type: 'licensed', permissions: huge }, app: 'a', module: 'p', space: 'X', explain: true });
  assert.equal(d.reason, 'invalid-request');
  assert.equal(d.errors[0].path, 'viewer.permissions');
  assert.ok(Date.now() - t0 < 1000, `took ${Date.now() - t0} ms`);
});

test('a polluted Object.prototype cannot lend a request its keys', () => {
  const gate = new Gate({
    product: 'confluence',
    apps: [{ key: 'a', name: 'A', framework: 'connect', descriptor: { modules: { webItems: [{ key: 'w' }] } } }],
    policies: [{ id: 'fin', name: 'Finance', spaces: ['FIN'], appAccess: 'block-all' }],
  });
  const req = { viewer: { type: 'licensed' }, app: 'a', module: 'w', space: 'FIN' };
  assert.equal(gate.decideAll([req])[0].reason, 'blocked-by-policy');
  // An inherited key is invisible to the reader, so the fast path must not read it either.
  Object.prototype.context = { issueType: 'Bug' }; // eslint-disable-line no-extend-native
  try {
    const [d] = gate.decideAll([req]);
    assert.equal(d.reason, 'blocked-by-policy');
    assert.deepEqual(d, gate.decide(req));
  } finally {
    delete Object.prototype.context;
  }
});

// The string table crosses into wasm as one text with the strings separated by U+0000:
// two neighbouring strings must never pair their lone surrogates into one character, and
// strings holding U+0000 themselves must come back whole.
test('the string table keeps lone surrogates, neighbours and U+0000 apart', () => {
  const gate = new Gate({
    product: 'confluence',
    guestMode: 'allow',
    apps: [{ key: 'a', name: 'A', framework: 'connect', descriptor: { modules: { dynamicContentMacros: [{ key: 'm' }] } } }],
  });
  const full = (r) => {
    const { trace, ...d } = gate.decide({ ...r, explain: true }); // explain: the full reader
    return d;
  };
  const cases = [
    // 'A\uD800' and '\uDC00B' are neighbours in the table: together they are a valid pair.
    { viewer: { type: 'licensed', permissions: ['A\uD800', '\uDC00B'] }, app: 'a', module: 'm', space: 'S' },
    { viewer: { type: 'guest', guestSpace: 'X\uD800' }, app: 'a', module: 'm', space: '\uDC00' },
    { viewer: { type: 'guest', guestSpace: 'A\u0000B' }, app: 'a', module: 'm', space: 'A\u0000B' },
    { viewer: { type: 'guest', guestSpace: 'A' }, app: 'a', module: 'm', space: 'A\u0000B' },
    { viewer: { type: 'guest', guestSpace: '\u0000' }, app: 'a', module: 'm', space: '\u0000' },
    { viewer: { type: 'guest', guestSpace: 'é\u0000😀' }, app: 'a', module: 'm', space: 'é\u0000😀' },
  ];
  const expected = ['invalid-request', 'invalid-request', 'allowed', 'outside-guest-space', 'allowed', 'allowed'];
  const all = gate.decideAll(cases);
  cases.forEach((r, i) => {
    assert.equal(all[i].reason, expected[i], `case ${i}`);
    assert.deepEqual(all[i], full(r), `case ${i}: decideAll and the reader differ`);
    assert.deepEqual(gate.decide(r), all[i], `case ${i}: decide and decideAll differ`);
  });
  // The lone surrogate sends only its own request to the reader, not its neighbours.
  const mixed = gate.decideAll([cases[2], cases[0], cases[3]]);
  assert.deepEqual(mixed.map((d) => d.reason), ['allowed', 'invalid-request', 'outside-guest-space']);
});

// The encoder is shared between calls; a getter that calls back into the gate while a page
// is being encoded must get an encoder of its own.
test('a getter that decides while its page is encoded does not disturb the page', () => {
  const gate = new Gate(confluence);
  const plain = { viewer: licensed, app: 'com.acme.charts', module: 'chart', space: 'FIN' };
  const inner = [];
  const sneaky = {
    get viewer() {
      inner.push(gate.decideAll([{ viewer: guest, app: 'io.forge.notes', module: 'note', space: 'HR' }])[0]);
      return licensed;
    },
    app: 'com.acme.charts',
    module: 'chart',
    space: 'ENG',
  };
  const out = gate.decideAll([plain, sneaky, plain]);
  assert.deepEqual(out.map((d) => d.reason), ['blocked-by-policy', 'allowed', 'blocked-by-policy']);
  assert.ok(inner.length >= 1);
  for (const d of inner) assert.equal(d.reason, 'outside-guest-space');
});

// Pages are decided in chunks of rows; the answers must not depend on where a chunk ends.
test('a page of many thousands of requests answers each one like decide', () => {
  const gate = new Gate(confluence);
  const viewers = [licensed, guest, { type: 'anonymous' }, { type: 'licensed', siteAdmin: true }];
  const modules = [['com.acme.charts', 'chart'], ['com.acme.charts', 'item'], ['io.forge.notes', 'note'], ['nope', 'x']];
  const spaces = ['ENG', 'FIN', 'HR', undefined];
  const requests = [];
  for (let i = 0; i < 9000; i++) {
    const [app, module] = modules[i % 4];
    const r = { viewer: viewers[(i >> 2) % 4], app, module };
    const space = spaces[(i >> 4) % 4];
    if (space !== undefined) r.space = space;
    requests.push(i % 997 === 0 ? { ...r, bogus: 1 } : r);
  }
  const all = gate.decideAll(requests);
  assert.equal(all.length, requests.length);
  requests.forEach((r, i) => {
    if (i % 61 === 0 || i % 4096 < 2 || i % 4096 > 4093) assert.deepEqual(all[i], gate.decide(r), `request ${i}`);
  });
  assert.equal(all[997].reason, 'invalid-request');
});
