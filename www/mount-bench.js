// gate.mount on a page of N declared modules (default 1,000): ten kinds of module in
// turn, chosen so that for a licensed user half render, a tenth get a placeholder and the
// rest hide, and for a guest of ENG none render. Each viewer: `runs` mounts (default 5),
// `gate.reset` in between, median reported. Results land in `window.__mountBench`.
//
// Query: ?n=1000&runs=5&manual (manual: wait for the button).
import init, { Gate } from '../pkg/render_gate.js';

const params = new URLSearchParams(location.search);
const N = Math.max(10, Math.min(Number(params.get('n')) || 1000, 200000));
const RUNS = Math.max(1, Math.min(Number(params.get('runs')) || 5, 51));
const SPACE = 'ENG';

const CONFIG = {
  product: 'confluence',
  apps: [
    {
      key: 'com.acme.charts',
      name: 'Acme Charts',
      framework: 'connect',
      descriptor: {
        modules: {
          dynamicContentMacros: [{ key: 'chart-macro' }],
          contentBylineItems: [{ key: 'chart-count', conditions: [{ condition: 'user_is_logged_in' }] }],
        },
      },
    },
    {
      key: 'io.zen.diagrams',
      name: 'Zen Diagrams',
      framework: 'forge',
      manifest: { modules: { macro: [{ key: 'diagram' }] } },
    },
    {
      key: 'com.pageinsights.analytics',
      name: 'Page Insights',
      framework: 'connect',
      descriptor: {
        modules: {
          webPanels: [
            { key: 'insights', conditions: [{ condition: 'user_is_space_admin' }] },
            { key: 'flagged', conditions: [{ condition: 'bench_flag' }] },
          ],
          webItems: [{ key: 'export-pdf' }],
        },
      },
    },
  ],
  policies: [{ id: 'fin-policy', name: 'Finance', spaces: ['FIN'], appAccess: 'block-only', apps: ['com.acme.charts'] }],
};

/** The ten kinds, with the outcome each viewer must get. */
const KINDS = [
  { app: 'com.acme.charts', module: 'chart-macro', licensed: 'render', guest: 'placeholder' }, // guest-blocked
  { app: 'com.acme.charts', module: 'chart-macro', space: 'FIN', licensed: 'placeholder', guest: 'placeholder' }, // policy
  { app: 'com.acme.charts', module: 'chart-count', space: 'FIN', licensed: 'hide', guest: 'hide' }, // policy, fragment
  { app: 'io.zen.diagrams', module: 'diagram', licensed: 'render', guest: 'placeholder' },
  { app: 'io.zen.diagrams', module: 'diagram', space: 'FIN', licensed: 'render', guest: 'hide' }, // outside-guest-space
  { app: 'com.pageinsights.analytics', module: 'insights', licensed: 'hide', guest: 'hide' }, // conditions-false / guest-blocked
  { app: 'com.pageinsights.analytics', module: 'export-pdf', licensed: 'render', guest: 'hide' },
  { app: 'com.pageinsights.analytics', module: 'flagged', facts: { bench_flag: true }, licensed: 'render', guest: 'hide' },
  { app: 'com.pageinsights.analytics', module: 'flagged', licensed: 'hide', guest: 'hide' }, // missing-facts
  { app: 'com.acme.charts', module: 'no-such-module', licensed: 'hide', guest: 'hide' }, // module-not-found
];

const VIEWERS = [
  { id: 'guest', label: 'Guest of ENG', viewer: { type: 'guest', guestSpace: 'ENG', accountId: 'bench-guest' } },
  { id: 'licensed', label: 'Licensed user', viewer: { type: 'licensed', accountId: 'bench-licensed' } },
];

function expected(viewerId) {
  const out = { total: N, render: 0, placeholder: 0, hide: 0, pending: 0 };
  for (let i = 0; i < N; i++) out[KINDS[i % KINDS.length][viewerId]]++;
  return out;
}

function buildPage(root) {
  const frag = document.createDocumentFragment();
  for (let i = 0; i < N; i++) {
    const k = KINDS[i % KINDS.length];
    const el = document.createElement('div');
    el.dataset.rgApp = k.app;
    el.dataset.rgModule = k.module;
    el.dataset.rgSrc = `/bench/frame.html?i=${i}`;
    el.dataset.rgTitle = `Module ${i}`;
    if (k.space) el.dataset.rgSpace = k.space;
    if (k.facts) el.dataset.rgFacts = JSON.stringify(k.facts);
    frag.append(el);
  }
  root.replaceChildren(frag);
}

/** The requests mount builds, for timing decideAll alone. */
function requests(viewer) {
  return Array.from({ length: N }, (_, i) => {
    const k = KINDS[i % KINDS.length];
    const req = { viewer, app: k.app, module: k.module, space: k.space ?? SPACE };
    if (k.facts) req.facts = k.facts;
    return req;
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

async function measure(gate, root, { id, viewer }, keepMounted) {
  const mountMs = [];
  const withLayoutMs = [];
  let summary = null;
  for (let r = 0; r < RUNS; r++) {
    gate.reset(root);
    void root.offsetHeight; // start from a laid-out page
    await pause(20);
    const t0 = performance.now();
    summary = gate.mount(root, viewer, SPACE, { why: 'never' });
    const t1 = performance.now();
    void root.offsetHeight; // the layout the mount causes
    const t2 = performance.now();
    mountMs.push(t1 - t0);
    withLayoutMs.push(t2 - t0);
    // Removed in the same task: the frames never get to load.
    gate.reset(root);
  }
  const reqs = requests(viewer);
  const decideMs = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    gate.decideAll(reqs);
    decideMs.push(performance.now() - t0);
  }
  // Baseline: the same iframes created by plain DOM calls, without render-gate, so that the
  // browser's own cost of an iframe can be told apart from the gate's (median of up to 3).
  const baselineMs = [];
  const renders = [...root.children].filter((_, i) => KINDS[i % KINDS.length][id] === 'render');
  if (renders.length) {
    for (let r = 0; r < Math.min(RUNS, 3); r++) {
      void root.offsetHeight;
      await pause(20);
      const t0 = performance.now();
      const frames = renders.map((el) => {
        const f = document.createElement('iframe');
        f.setAttribute('src', el.dataset.rgSrc);
        f.setAttribute('title', el.dataset.rgTitle);
        f.setAttribute('style', 'width:100%;border:0');
        el.append(f);
        return f;
      });
      baselineMs.push(performance.now() - t0);
      for (const f of frames) f.remove();
    }
  }
  // The page left on screen, and counted by the e2e test.
  if (keepMounted) gate.mount(root, viewer, SPACE, { why: 'never' });
  const want = expected(id);
  const ok = Object.keys(want).every((k) => summary[k] === want[k]);
  return {
    viewer: id,
    summary,
    expected: want,
    countsOk: ok,
    mountRunsMs: mountMs,
    medianMountMs: median(mountMs),
    medianMountWithLayoutMs: median(withLayoutMs),
    medianDecideAllMs: median(decideMs),
    iframes: renders.length,
    medianPlainIframesMs: baselineMs.length ? median(baselineMs) : null,
  };
}

const fmt = (x) => x.toFixed(2);

function show(results) {
  const tbody = document.getElementById('results');
  tbody.replaceChildren(
    ...results.map((r) => {
      const tr = document.createElement('tr');
      tr.dataset.viewer = r.viewer;
      const s = r.summary;
      for (const [text, cls] of [
        [VIEWERS.find((v) => v.id === r.viewer).label],
        [fmt(r.medianMountMs)],
        [fmt(r.medianMountWithLayoutMs)],
        [fmt(r.medianDecideAllMs)],
        [r.medianPlainIframesMs == null ? '\u2013' : `${fmt(r.medianPlainIframesMs)} (${r.iframes})`],
        [`${s.render} / ${s.placeholder} / ${s.hide} / ${s.pending}`],
        [r.countsOk ? 'yes' : `no (expected ${r.expected.render} / ${r.expected.placeholder} / ${r.expected.hide})`, r.countsOk ? 'ok' : 'bad'],
      ]) {
        const td = document.createElement('td');
        td.textContent = text;
        if (cls) td.className = cls;
        tr.append(td);
      }
      return tr;
    }),
  );
  document.getElementById('runs').textContent = results.map((r) => `${r.viewer}: ${r.mountRunsMs.map(fmt).join(', ')}`).join(' \u2014 ');
}

async function run(gate, root) {
  const status = document.getElementById('status');
  const button = document.getElementById('run');
  button.disabled = true;
  status.textContent = `Mounting ${N.toLocaleString('en-US')} modules, ${RUNS} runs per viewer\u2026`;
  window.__mountBench = { done: false };
  await pause(50);
  const results = [];
  for (const [i, v] of VIEWERS.entries()) results.push(await measure(gate, root, v, i === VIEWERS.length - 1));
  const report = { modules: N, runs: RUNS, space: SPACE, results, userAgent: navigator.userAgent, date: new Date().toISOString() };
  window.__mountBench = { done: true, ...report };
  show(results);
  const main = results.find((r) => r.viewer === 'licensed');
  status.textContent = `Done: gate.mount of ${N.toLocaleString('en-US')} modules takes ${fmt(main.medianMountMs)} ms for a licensed user (median of ${RUNS}).`;
  console.log(`mount-bench: ${N} modules, median gate.mount ${results.map((r) => `${r.viewer} ${fmt(r.medianMountMs)} ms`).join(', ')}`);
  button.disabled = false;
}

async function main() {
  document.getElementById('n-label').textContent = N.toLocaleString('en-US');
  document.getElementById('runs-label').textContent = String(RUNS);
  const status = document.getElementById('status');
  try {
    await init();
  } catch (e) {
    status.textContent = `Could not load the engine: ${e.message}`;
    return;
  }
  const gate = new Gate(CONFIG);
  const root = document.getElementById('modules');
  buildPage(root);
  const button = document.getElementById('run');
  button.addEventListener('click', () => run(gate, root));
  if (params.has('manual')) {
    button.disabled = false;
    status.textContent = 'Ready.';
  } else {
    await run(gate, root);
  }
}

main();
