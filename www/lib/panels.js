// The playground's panels: decisions with their trace, validation, the macro browser and
// the decideAll bench. Each function fills its container from scratch.
import { h, richText } from './dom.js';
import { modulesOf } from './state.js';

const OUTCOME_LABEL = { render: 'Render', placeholder: 'Placeholder', hide: 'Hide', pending: 'Pending' };

export function outcomeBadge(outcome) {
  return h('span', { class: `badge badge--${outcome ?? 'none'}` }, OUTCOME_LABEL[outcome] ?? 'Not decided');
}

/** The request `gate.mount` builds for a declared element, with `explain: true`. */
export function requestFor(el, viewer, space) {
  const parse = (text) => {
    if (text == null) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return text; // the engine rejects it: fail closed, as mount does
    }
  };
  const req = { viewer, app: el.dataset.rgApp, module: el.dataset.rgModule, explain: true };
  const s = el.dataset.rgSpace ?? space;
  if (s != null) req.space = s;
  const context = parse(el.dataset.rgContext);
  if (context !== undefined) req.context = context;
  const facts = parse(el.dataset.rgFacts);
  if (facts !== undefined) req.facts = facts;
  return req;
}

function traceView(d) {
  const t = d.trace;
  if (!t) return null;
  const mark = { pass: '\u2713', fail: '\u2717', unknown: '?', skip: '\u2013' };
  return h(
    'div',
    { class: 'trace' },
    h(
      'ol',
      { class: 'trace__steps' },
      t.steps.map((s) =>
        h(
          'li',
          { class: `trace__step trace__step--${s.result}`, dataset: { result: s.result, rule: s.rule } },
          h('span', { class: 'trace__mark', 'aria-hidden': 'true' }, mark[s.result] ?? '\u2013'),
          h('span', { class: 'trace__rule' }, `Rule ${s.rule} \u00b7 ${s.layer}`),
          h('span', { class: 'visually-hidden' }, ` ${s.result}: `),
          h('span', { class: 'trace__detail' }, richText(s.detail)),
        ),
      ),
    ),
    t.whyNot ? h('p', { class: 'trace__whynot' }, h('strong', {}, 'Why not: '), richText(t.whyNot)) : null,
    t.conditions.length
      ? h(
          'table',
          { class: 'trace__conditions' },
          h('caption', {}, 'Condition leaves'),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Condition'), h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, 'Path'))),
          h(
            'tbody',
            {},
            t.conditions.map((c) =>
              h('tr', {}, h('td', {}, h('code', {}, c.condition)), h('td', {}, h('span', { class: `tri tri--${c.value}` }, c.value)), h('td', { class: 'trace__path' }, c.path)),
            ),
          ),
        )
      : null,
  );
}

/**
 * Decides every declared element under `hostRoot` again with `explain: true` and lists the
 * decisions next to what `mount` applied. Returns the number of mismatches (an engine bug
 * if ever non-zero).
 */
export function renderDecisions(container, { gate, hostRoot, viewer, space, loaded }) {
  container.replaceChildren();
  const elements = [...hostRoot.querySelectorAll('[data-rg-app]')];
  if (!gate) {
    container.append(h('p', { class: 'empty' }, 'No decisions: the config does not compile, so no module on the page is gated and none loads. See the Validation tab.'));
    return 0;
  }
  if (!elements.length) {
    container.append(h('p', { class: 'empty' }, 'The apps declare no module.'));
    return 0;
  }
  const decisions = gate.decideAll(elements.map((el) => requestFor(el, viewer, space)));
  const counts = { render: 0, placeholder: 0, hide: 0, pending: 0 };
  let mismatches = 0;
  const items = elements.map((el, i) => {
    const d = decisions[i];
    counts[d.outcome]++;
    const mounted = el.dataset.rgOutcome;
    const mismatch = mounted !== d.outcome || el.dataset.rgReason !== d.reason;
    if (mismatch) mismatches++;
    const key = `${el.dataset.rgApp}/${el.dataset.rgModule}`;
    const extra = [];
    if (d.message) extra.push(h('p', { class: 'decision__message' }, '\u201c', d.message, '\u201d'));
    if (d.policy) extra.push(h('p', { class: 'decision__meta' }, 'Policy: ', h('code', {}, d.policy)));
    if (d.missing) extra.push(h('p', { class: 'decision__meta' }, 'Missing facts: ', d.missing.map((m, j) => [j ? ', ' : '', h('code', {}, m)])));
    if (d.errors) extra.push(h('ul', { class: 'decision__errors' }, d.errors.map((e) => h('li', {}, h('code', {}, e.path || '(request)'), ': ', richText(e.message)))));
    if (mismatch) extra.push(h('p', { class: 'decision__mismatch', role: 'alert' }, `mount applied ${mounted}/${el.dataset.rgReason}, decide says ${d.outcome}/${d.reason}`));
    return h(
      'li',
      { class: 'decision', dataset: { app: el.dataset.rgApp, module: el.dataset.rgModule, outcome: d.outcome, reason: d.reason, loaded: loaded.has(key) ? 'true' : null } },
      h(
        'div',
        { class: 'decision__head' },
        outcomeBadge(d.outcome),
        h('span', { class: 'decision__title' }, el.dataset.rgTitle ?? key),
        h('code', { class: 'decision__type' }, el.dataset.type ?? ''),
        h('code', { class: 'decision__reason' }, d.reason),
        h('span', { class: 'decision__loaded', title: 'The app\u2019s iframe loaded and reported back' }, 'frame loaded'),
      ),
      extra,
      h('details', { class: 'decision__why' }, h('summary', {}, 'Why this decision'), traceView(d)),
    );
  });
  container.append(
    h(
      'p',
      { class: 'panel-summary' },
      `${elements.length} modules: `,
      ['render', 'placeholder', 'hide', 'pending'].map((o, i) => [i ? ' \u00b7 ' : '', h('strong', {}, String(counts[o])), ` ${o}`]),
      mismatches ? h('strong', { class: 'danger' }, ` \u00b7 ${mismatches} differ from what mount applied`) : null,
    ),
    h('ol', { class: 'decision-list' }, items),
  );
  return mismatches;
}

/** Marks a decision card as loaded when its frame reports back. */
export function markLoaded(container, app, module) {
  for (const li of container.querySelectorAll('.decision')) {
    if (li.dataset.app === app && li.dataset.module === module) li.dataset.loaded = 'true';
  }
}

function diagItem(d, severity) {
  return h(
    'li',
    { class: `diag diag--${severity}`, dataset: { code: d.code, severity } },
    h('div', { class: 'diag__head' }, h('span', { class: `badge badge--${severity}` }, severity), h('code', { class: 'diag__code' }, d.code), d.path ? h('code', { class: 'diag__path' }, d.path) : null),
    h('p', { class: 'diag__message' }, richText(d.message)),
    d.help ? h('p', { class: 'diag__help' }, richText(d.help)) : null,
  );
}

export function renderValidation(container, { result, jsonError, config }) {
  container.replaceChildren();
  if (jsonError) {
    container.append(
      h('p', { class: 'panel-summary danger' }, 'The apps editor does not hold valid JSON, so nothing on the page is gated and nothing loads.'),
      h('ul', { class: 'diag-list' }, diagItem({ code: 'json-syntax', message: jsonError, path: 'apps editor' }, 'error')),
    );
    return;
  }
  const { errors, warnings } = result;
  const summary = errors.length
    ? h('p', { class: 'panel-summary danger' }, `${errors.length} error${errors.length > 1 ? 's' : ''}: the config does not compile, so no module on the page is gated and none loads (fail closed).`)
    : h('p', { class: 'panel-summary' }, `The config compiles. ${warnings.length ? `${warnings.length} lint warning${warnings.length > 1 ? 's' : ''}.` : 'No lint warnings.'}`);
  container.append(
    summary,
    errors.length || warnings.length ? h('ul', { class: 'diag-list' }, errors.map((d) => diagItem(d, 'error')), warnings.map((d) => diagItem(d, 'warning'))) : null,
    h('details', { class: 'config-json' }, h('summary', {}, 'The config passed to new Gate()'), h('pre', { tabindex: '0' }, JSON.stringify(config, null, 2))),
  );
}

/** The macro browser: what `discoverableMacros` offers, and what it leaves out and why. */
export function renderMacroBrowser(container, { gate, state, apps, viewer, filter }) {
  const list = container.querySelector('.macro-results');
  list.replaceChildren();
  if (state.product !== 'confluence') {
    list.append(h('p', { class: 'empty' }, 'Jira has no macro browser: switch the product to Confluence.'));
    return;
  }
  if (!gate) {
    list.append(h('p', { class: 'empty' }, 'The config does not compile: no macro is offered.'));
    return;
  }
  const refs = gate.discoverableMacros(viewer, state.space);
  const macroTypes = ['dynamicContentMacros', 'staticContentMacros', 'macro'];
  const all = modulesOf(apps).filter((m) => macroTypes.includes(m.type));
  const isOffered = (m) => refs.some((r) => r.app === m.app && r.module === m.key);
  const q = filter.trim().toLowerCase();
  const matches = (m) => !q || `${m.title} ${m.appName} ${m.key}`.toLowerCase().includes(q);
  const offered = all.filter((m) => isOffered(m) && matches(m));
  const withheld = all.filter((m) => !isOffered(m) && matches(m));
  list.append(
    h('p', { class: 'panel-summary', role: 'status' }, `${refs.length} of ${all.length} macros offered to this viewer in ${state.space}.`),
    offered.length
      ? h(
          'ul',
          { class: 'macro-grid', 'aria-label': 'Macros you can insert' },
          offered.map((m) =>
            h('li', { class: 'macro-card', dataset: { app: m.app, module: m.key } }, h('span', { class: 'macro-card__icon', 'aria-hidden': 'true' }, m.title.slice(0, 1).toUpperCase()), h('span', { class: 'macro-card__title' }, m.title), h('span', { class: 'macro-card__app' }, m.appName)),
          ),
        )
      : h('p', { class: 'empty' }, q ? 'No offered macro matches the search.' : 'No macro is offered to this viewer here.'),
    withheld.length
      ? h(
          'details',
          { class: 'macro-withheld', open: true },
          h('summary', {}, `Not offered (${withheld.length})`),
          h(
            'ul',
            {},
            withheld.map((m) => {
              const d = gate.decide({ viewer, app: m.app, module: m.key, space: state.space });
              return h('li', { dataset: { app: m.app, module: m.key } }, h('span', {}, `${m.title} \u00b7 ${m.appName}`), ' ', outcomeBadge(d.outcome), ' ', h('code', {}, d.reason));
            }),
          ),
        )
      : null,
  );
}

// ---------------------------------------------------------------------------------------
// Bench

const BENCH_VIEWERS = [
  { type: 'licensed' },
  { type: 'licensed', spaceAdmin: true },
  { type: 'guest', guestSpace: 'ENG' },
  { type: 'anonymous' },
  { type: 'customer' },
];

/** `n` requests cycling over every module, viewer and space (no trace). */
export function benchRequests(n, { apps, product }) {
  const mods = modulesOf(apps);
  const pool = mods.length ? mods : [{ app: 'not.installed', key: 'x' }];
  const spaces = ['ENG', 'FIN', 'MKT'];
  const context = product === 'jira' ? { issueType: 'Bug', issueKey: 'ENG-42', projectType: 'software' } : { contentType: 'page' };
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const m = pool[i % pool.length];
    out[i] = { viewer: BENCH_VIEWERS[i % BENCH_VIEWERS.length], app: m.app, module: m.key, space: spaces[i % spaces.length], context };
  }
  return out;
}

/** Times one `decideAll` over `n` generated requests (after a small warm-up). */
export function runBench(gate, n, opts) {
  const requests = benchRequests(n, opts);
  gate.decideAll(requests.slice(0, Math.min(n, 1000)));
  const t0 = performance.now();
  const decisions = gate.decideAll(requests);
  const ms = performance.now() - t0;
  const counts = { render: 0, placeholder: 0, hide: 0, pending: 0 };
  for (const d of decisions) counts[d.outcome]++;
  return { n, ms, nsPerDecision: (ms * 1e6) / n, counts };
}

export function benchRow(r) {
  const fmt = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  return h(
    'tr',
    { class: 'bench-row', dataset: { n: r.n } },
    h('td', {}, fmt(r.n)),
    h('td', { class: 'bench-ms' }, fmt(r.ms, 1)),
    h('td', { class: 'bench-ns' }, fmt(r.nsPerDecision)),
    h('td', {}, fmt(r.n / (r.ms / 1000))),
    h('td', {}, `${fmt(r.counts.render)} / ${fmt(r.counts.placeholder)} / ${fmt(r.counts.hide)} / ${fmt(r.counts.pending)}`),
  );
}
