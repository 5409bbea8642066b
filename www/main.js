// render-gate playground: a mock Confluence page or Jira issue view whose app modules are
// gated live with `gate.mount`, plus the decision traces, validation, the macro browser and
// a decideAll bench. The whole scenario lives in the URL hash.
import init, { Gate, validate } from '../pkg/render_gate.js';
import { $, $$, h } from './lib/dom.js';
import { buildHostPage } from './lib/hostpage.js';
import { benchRow, markLoaded, renderDecisions, renderMacroBrowser, renderValidation, runBench } from './lib/panels.js';
import { DEFAULT_PRESET, PRESETS, presetById } from './lib/presets.js';
import {
  ACCESS_WITH_APPS,
  APP_ACCESS,
  CAN_BE_ADMIN,
  SPACES,
  appsTextOf,
  buildConfig,
  buildViewer,
  decodeHash,
  defaultState,
  encodeHash,
  modulesOf,
  presetApps,
} from './lib/state.js';

/** The scenario: the single source of truth; controls mirror it. */
let state = defaultState();
/** Per-product editor content and policies, so switching product and back loses nothing. */
const memory = { confluence: null, jira: null };
let gate = null;
let gateKey = null;
/** `app/module` of frames that loaded and reported back. */
const loaded = new Set();
let generation = 0;

const hostRoot = $('#host-root');
const appsEditor = $('#apps-editor');
const factsEditor = $('#facts-editor');

// ---------------------------------------------------------------------------------------
// Reading the editors

function parseJson(text) {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: e.message };
  }
}

/** The apps the editor holds: `{ apps }` or `{ jsonError }`. */
function currentApps() {
  if (state.appsText != null) {
    const r = parseJson(state.appsText);
    return r.error ? { jsonError: r.error } : { apps: r.value };
  }
  return { apps: state.apps ?? presetApps(state) };
}

function onAppsInput() {
  const text = appsEditor.value;
  const r = parseJson(text);
  if (r.error) {
    state.appsText = text;
  } else {
    state.appsText = null;
    state.apps = JSON.stringify(r.value) === JSON.stringify(presetApps(state)) ? null : r.value;
  }
  renderPolicies(); // the app checkboxes follow the installed apps
  render();
}

function onFactsInput() {
  const text = factsEditor.value.trim();
  const r = text ? parseJson(text) : { value: {} };
  const status = $('#facts-status');
  if (r.error || !r.value || typeof r.value !== 'object' || Array.isArray(r.value)) {
    status.textContent = r.error ? `Not valid JSON (${r.error}); the last valid facts stay in use.` : 'Expected an object such as {"insights_enabled": true}.';
    status.dataset.error = '';
    return;
  }
  delete status.dataset.error;
  status.textContent = 'Condition names the host can answer, e.g. {"insights_enabled": true}.';
  state.facts = r.value;
  render();
}

// ---------------------------------------------------------------------------------------
// Controls <-> state

function fillSelect(select, options, value) {
  select.replaceChildren(...options.map(([v, label]) => h('option', { value: v }, label)));
  select.value = value;
}

function syncControls() {
  const isJira = state.product === 'jira';
  $('#product').value = state.product;
  $('#space-label').textContent = isJira ? 'Current project' : 'Current space';
  $('label[for="guest-space"]').textContent = isJira ? 'Guest project' : 'Guest space';
  fillSelect($('#space'), SPACES.map((s) => [s.key, `${s.name} (${s.key})`]), state.space);
  fillSelect($('#guest-space'), SPACES.map((s) => [s.key, `${s.name} (${s.key})`]), state.guestSpace);
  $('#viewer-type').value = state.viewer;
  $('#guest-space').disabled = state.viewer !== 'guest';
  $('#admin').value = state.admin;
  $('#admin').disabled = !CAN_BE_ADMIN.includes(state.viewer);
  $('#guest-mode').value = state.guestMode;
  $('#guest-mode option[value="default"]').textContent = `Product default (${isJira ? 'allow' : 'block-ui'})`;
  $('#missing-facts').value = state.onMissingFacts;
  $('#locale').value = state.locale;
  $('#why').value = state.why;
  $('#outline').checked = state.outline;
  const groups = ['confluence', 'jira'].map((p) =>
    h('optgroup', { label: p === 'jira' ? 'Jira' : 'Confluence' }, PRESETS.filter((x) => x.product === p).map((x) => h('option', { value: x.id }, x.label))),
  );
  $('#preset').replaceChildren(...groups);
  $('#preset').value = state.preset;
  $('#preset-hint').replaceChildren(...hintText(presetById(state.preset)?.hint ?? ''));
  if (appsEditor.value !== appsTextOf(state)) appsEditor.value = appsTextOf(state);
  const factsText = Object.keys(state.facts).length ? JSON.stringify(state.facts) : '';
  if (document.activeElement !== factsEditor) factsEditor.value = factsText;
  renderPolicies();
}

function hintText(text) {
  return text.split('`').map((p, i) => (i % 2 ? h('code', {}, p) : p));
}

function remember() {
  memory[state.product] = structuredClone({ preset: state.preset, apps: state.apps, appsText: state.appsText, policies: state.policies, facts: state.facts });
}

function switchProduct(product, preset) {
  if (product === state.product) return;
  remember();
  const saved = memory[product];
  state.product = product;
  if (saved && !preset) Object.assign(state, structuredClone(saved));
  else Object.assign(state, { preset: preset ?? DEFAULT_PRESET[product], apps: null, appsText: null, policies: [], facts: {} });
}

function bindControls() {
  const on = (sel, type, fn) => $(sel).addEventListener(type, fn);
  on('#product', 'change', (e) => {
    switchProduct(e.target.value);
    syncControls();
    render();
  });
  const simple = { '#space': 'space', '#guest-space': 'guestSpace', '#admin': 'admin', '#guest-mode': 'guestMode', '#missing-facts': 'onMissingFacts', '#locale': 'locale', '#why': 'why' };
  for (const [sel, key] of Object.entries(simple)) {
    on(sel, 'change', (e) => {
      state[key] = e.target.value;
      render();
    });
  }
  on('#viewer-type', 'change', (e) => {
    state.viewer = e.target.value;
    syncControls();
    render();
  });
  on('#outline', 'change', (e) => {
    state.outline = e.target.checked;
    render();
  });
  on('#preset', 'change', (e) => {
    const preset = presetById(e.target.value);
    if (!preset) return;
    if (preset.product !== state.product) switchProduct(preset.product, preset.id);
    Object.assign(state, { preset: preset.id, apps: null, appsText: null });
    syncControls();
    render();
  });
  let appsTimer;
  on('#apps-editor', 'input', () => {
    clearTimeout(appsTimer);
    appsTimer = setTimeout(onAppsInput, 350);
  });
  let factsTimer;
  on('#facts-editor', 'input', () => {
    clearTimeout(factsTimer);
    factsTimer = setTimeout(onFactsInput, 350);
  });
  on('#format-apps', 'click', () => {
    const r = parseJson(appsEditor.value);
    if (r.error) return;
    appsEditor.value = JSON.stringify(r.value, null, 2);
    onAppsInput();
  });
  on('#reset-apps', 'click', () => {
    Object.assign(state, { apps: null, appsText: null });
    syncControls();
    render();
  });
  on('#add-policy', 'click', () => {
    let n = state.policies.length + 1;
    while (state.policies.some((p) => p.id === `policy-${n}`)) n++;
    state.policies.push({ id: `policy-${n}`, name: `Policy ${n}`, spaces: [state.space], appAccess: 'block-all', apps: [] });
    renderPolicies();
    render();
    $$('#policies .policy').at(-1)?.querySelector('select')?.focus();
  });
  on('#reset', 'click', () => {
    memory.confluence = memory.jira = null;
    state = defaultState();
    syncControls();
    render();
  });
  on('#copy-link', 'click', async () => {
    const status = $('#link-status');
    try {
      await navigator.clipboard.writeText(location.href);
      status.textContent = 'Link copied.';
    } catch {
      status.textContent = 'Copy the address bar: it holds the whole scenario.';
    }
    setTimeout(() => (status.textContent = ''), 4000);
  });
  on('#macro-search', 'input', () => renderMacros());
  on('#bench-run', 'click', onBench);
  window.addEventListener('hashchange', () => {
    const decoded = decodeHash(location.hash);
    if (!decoded) return;
    restore(decoded);
  });
  window.addEventListener('message', onFrameMessage);
  bindTabs();
}

// ---------------------------------------------------------------------------------------
// Policies editor

function installedApps() {
  const { apps } = currentApps();
  return (Array.isArray(apps) ? apps : []).filter((a) => a && typeof a.key === 'string').map((a) => ({ key: a.key, name: typeof a.name === 'string' ? a.name : a.key }));
}

function renderPolicies() {
  const box = $('#policies');
  const installed = installedApps();
  box.replaceChildren(
    ...state.policies.map((p, i) => policyCard(p, i, installed)),
  );
  if (!state.policies.length) box.append(h('p', { class: 'empty empty--small' }, 'No policy: every app is allowed in every space.'));
}

function policyCard(p, i, installed) {
  const id = (s) => `policy-${i}-${s}`;
  let timer;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(render, 250);
  };
  const spaces = [...new Set([...SPACES.map((s) => s.key), ...p.spaces])];
  const appOptions = [...installed];
  for (const key of p.apps) if (!appOptions.some((a) => a.key === key)) appOptions.push({ key, name: `${key} (not installed)` });
  const needsApps = ACCESS_WITH_APPS.includes(p.appAccess);
  const appsLegend = () => (p.appAccess === 'block-only' ? 'Apps to block' : 'Apps still allowed');

  const appsBox = h(
    'fieldset',
    { class: 'policy__apps', hidden: !needsApps },
    h('legend', {}, appsLegend()),
    appOptions.length
      ? appOptions.map((a) =>
          h(
            'label',
            { class: 'check' },
            h('input', {
              type: 'checkbox',
              class: 'policy-app',
              value: a.key,
              checked: p.apps.includes(a.key),
              onchange: (e) => {
                const set = new Set(p.apps);
                if (e.target.checked) set.add(a.key);
                else set.delete(a.key);
                p.apps = appOptions.map((o) => o.key).filter((k) => set.has(k));
                render();
              },
            }),
            h('span', {}, a.name, ' ', h('code', {}, a.key)),
          ),
        )
      : h('p', { class: 'hint' }, 'No app installed.'),
  );

  return h(
    'div',
    { class: 'policy', dataset: { index: i, policyId: p.id }, role: 'group', 'aria-labelledby': id('title') },
    h(
      'div',
      { class: 'policy__head' },
      h('h3', { id: id('title'), class: 'policy__title' }, `Policy ${i + 1}`),
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn--small btn--quiet policy-remove',
          'aria-label': `Remove policy ${i + 1}`,
          onclick: () => {
            state.policies.splice(i, 1);
            renderPolicies();
            render();
            $('#add-policy').focus();
          },
        },
        'Remove',
      ),
    ),
    h(
      'div',
      { class: 'field-row' },
      h(
        'div',
        { class: 'field' },
        h('label', { for: id('id') }, 'Id'),
        h('input', { id: id('id'), class: 'policy-id', value: p.id, oninput: (e) => ((p.id = e.target.value), later()) }),
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: id('name') }, 'Name'),
        h('input', { id: id('name'), class: 'policy-name', value: p.name, oninput: (e) => ((p.name = e.target.value), later()) }),
      ),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: id('access') }, 'App access'),
      h(
        'select',
        {
          id: id('access'),
          class: 'policy-access',
          onchange: (e) => {
            p.appAccess = e.target.value;
            appsBox.hidden = !ACCESS_WITH_APPS.includes(p.appAccess);
            appsBox.querySelector('legend').textContent = appsLegend();
            render();
          },
        },
        APP_ACCESS.map((a) => h('option', { value: a, selected: a === p.appAccess }, a)),
      ),
    ),
    h(
      'fieldset',
      { class: 'policy__spaces' },
      h('legend', {}, state.product === 'jira' ? 'Projects covered' : 'Spaces covered'),
      spaces.map((key) =>
        h(
          'label',
          { class: 'check check--inline' },
          h('input', {
            type: 'checkbox',
            class: 'policy-space',
            value: key,
            checked: p.spaces.includes(key),
            onchange: (e) => {
              const set = new Set(p.spaces);
              if (e.target.checked) set.add(key);
              else set.delete(key);
              p.spaces = spaces.filter((k) => set.has(k));
              render();
            },
          }),
          h('span', {}, key),
        ),
      ),
    ),
    appsBox,
  );
}

// ---------------------------------------------------------------------------------------
// Rendering

const HOST_URL = {
  confluence: (s) => `https://acme.atlassian.example/wiki/spaces/${s}/pages/40213/`,
  jira: (s) => `https://acme.atlassian.example/browse/${s}-42`,
};

function render() {
  generation++;
  const { apps, jsonError } = currentApps();
  const config = buildConfig(state, jsonError ? [] : apps);
  const result = jsonError ? null : validate(config);
  const compiles = !jsonError && result.errors.length === 0;
  const key = JSON.stringify(config);
  let compileError = null;
  if (!compiles) {
    gate?.free();
    gate = null;
    gateKey = null;
  } else if (key !== gateKey) {
    gate?.free();
    gate = null;
    gateKey = null;
    try {
      gate = new Gate(config);
      gateKey = key;
    } catch (e) {
      compileError = e.message; // validate and new Gate disagree: worth reporting
    }
  }
  const viewer = buildViewer(state);
  const modules = jsonError ? [] : modulesOf(apps);

  // The page: declared modules, then one mount for all of them.
  loaded.clear();
  hostRoot.replaceChildren(buildHostPage(state, modules, state.facts));
  hostRoot.classList.toggle('show-hidden', state.outline);
  hostRoot.dataset.gated = gate ? 'true' : 'false';
  $('#host-product-name').textContent = state.product === 'jira' ? 'Jira issue view' : 'Confluence page';
  $('#host-url').textContent = HOST_URL[state.product](state.space);

  const status = $('#mount-status');
  delete status.dataset.error;
  let summary = null;
  if (gate) {
    try {
      const t0 = performance.now();
      summary = gate.mount(hostRoot, viewer, state.space, { why: state.why });
      const ms = performance.now() - t0;
      status.replaceChildren(
        `gate.mount: ${summary.total} modules in ${ms.toFixed(1)} ms \u2014 `,
        h('span', { class: 'count count--render' }, `${summary.render} render`),
        ' \u00b7 ',
        h('span', { class: 'count count--placeholder' }, `${summary.placeholder} placeholder`),
        ' \u00b7 ',
        h('span', { class: 'count count--hide' }, `${summary.hide} hidden`),
        ...(summary.pending ? [' \u00b7 ', h('span', { class: 'count count--pending' }, `${summary.pending} pending`)] : []),
      );
    } catch (e) {
      status.dataset.error = '';
      status.textContent = `gate.mount failed: ${e.message}`;
    }
  } else {
    status.dataset.error = '';
    status.textContent = compileError
      ? `new Gate failed although validate found no error: ${compileError}`
      : 'Not gated: the config does not compile, so no module loads. See Validation.';
  }
  Object.assign(window.playground, { summary, generation });

  // Panels.
  const errors = jsonError ? 1 : result.errors.length;
  const warnings = jsonError ? 0 : result.warnings.length;
  const count = $('#validation-count');
  count.textContent = errors ? String(errors) : warnings ? String(warnings) : '';
  count.dataset.severity = errors ? 'error' : warnings ? 'warning' : '';
  count.title = errors ? `${errors} errors` : warnings ? `${warnings} warnings` : '';
  renderValidation($('#validation'), { result, jsonError, config });
  renderDecisions($('#decisions'), { gate, hostRoot, viewer, space: state.space, loaded });
  renderMacros();
  $('#guest-mode-hint').textContent = guestModeHint();
  updateEditorStatus(jsonError);
  writeHash();
}

function guestModeHint() {
  const effective = gate?.guestMode ?? (state.guestMode === 'default' ? (state.product === 'jira' ? 'allow' : 'block-ui') : state.guestMode);
  return {
    'block-ui': 'In effect: block-ui. Guests never see app UI modules, whatever the app says.',
    'opt-in': 'In effect: opt-in. Guests see a module only when the app allows guests.',
    allow: 'In effect: allow. Guests see modules like anyone else unless the app opts out.',
  }[effective];
}

function updateEditorStatus(jsonError) {
  const status = $('#apps-status');
  if (jsonError) {
    status.dataset.error = '';
    status.textContent = `Not valid JSON: ${jsonError}`;
    appsEditor.setAttribute('aria-invalid', 'true');
    return;
  }
  delete status.dataset.error;
  appsEditor.removeAttribute('aria-invalid');
  status.textContent = state.apps == null ? 'As in the preset. Edit freely: the page follows.' : 'Edited: differs from the preset (the link keeps your edits).';
}

function renderMacros() {
  const { apps } = currentApps();
  renderMacroBrowser($('#macro-browser'), { gate, state, apps: apps ?? [], viewer: buildViewer(state), filter: $('#macro-search').value });
}

function writeHash() {
  const hash = encodeHash(state);
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

function restore({ state: next, problems }) {
  memory.confluence = memory.jira = null;
  state = next;
  syncControls();
  render();
  $('#link-status').textContent = problems.length ? `Some of the link could not be used: ${problems.join('; ')}` : '';
}

// ---------------------------------------------------------------------------------------
// Frames, tabs, bench

const INLINE_REGIONS = ['byline', 'toolbar', 'actions'];

function onFrameMessage(e) {
  if (e.origin !== location.origin || e.data?.source !== 'rg-demo-app') return;
  const frame = [...hostRoot.querySelectorAll('iframe[data-rg-added]')].find((f) => f.contentWindow === e.source);
  if (!frame) return;
  const slot = frame.parentElement;
  if (e.data.kind === 'size' && Number.isFinite(e.data.height) && e.data.height > 0) {
    frame.style.height = `${Math.min(Math.max(Math.ceil(e.data.height), 20), 600)}px`;
    // Inline slots (byline items, actions) take the width of what the app draws.
    if (INLINE_REGIONS.includes(slot.dataset.region) && Number.isFinite(e.data.width) && e.data.width > 0) {
      slot.style.width = `${Math.min(Math.max(Math.ceil(e.data.width) + 2, 40), 320)}px`;
    }
  }
  const key = `${slot.dataset.rgApp}/${slot.dataset.rgModule}`;
  if (!loaded.has(key)) {
    loaded.add(key);
    markLoaded($('#decisions'), slot.dataset.rgApp, slot.dataset.rgModule);
  }
}

function bindTabs() {
  const tabs = $$('[role="tab"]');
  const select = (tab, focus) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      $(`#${t.getAttribute('aria-controls')}`).hidden = !on;
    }
    if (focus) tab.focus();
  };
  for (const [i, tab] of tabs.entries()) {
    tab.addEventListener('click', () => select(tab, false));
    tab.addEventListener('keydown', (e) => {
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      select(tabs[(next + tabs.length) % tabs.length], true);
    });
  }
}

function onBench() {
  const button = $('#bench-run');
  const status = $('#bench-status');
  if (!gate) {
    status.textContent = 'The config does not compile: nothing to time.';
    return;
  }
  const n = Number($('#bench-n').value);
  button.disabled = true;
  status.textContent = `Timing decideAll on ${n.toLocaleString('en-US')} modules\u2026`;
  // Let the status paint before the main thread is busy.
  setTimeout(() => {
    try {
      const { apps } = currentApps();
      const r = runBench(gate, n, { apps, product: state.product });
      $('#bench-results').prepend(benchRow(r));
      status.textContent = `${n.toLocaleString('en-US')} decisions in ${r.ms.toFixed(1)} ms (${Math.round(r.nsPerDecision)} ns each).`;
      window.playground.bench = [r, ...(window.playground.bench ?? [])];
    } catch (e) {
      status.textContent = `Bench failed: ${e.message}`;
    } finally {
      button.disabled = false;
    }
  }, 30);
}

// ---------------------------------------------------------------------------------------

async function main() {
  // The playground is a page, never an app frame: a mistyped app URL falls back to this
  // page in Vite, and it must not nest itself.
  if (window.self !== window.top) {
    document.body.replaceChildren(h('p', {}, 'No such app page.'));
    return;
  }
  window.playground = { get state() { return structuredClone(state); }, generation: 0, summary: null };
  const status = $('#mount-status');
  try {
    await init();
  } catch (e) {
    status.dataset.error = '';
    status.textContent = `Could not load the engine: ${e.message}. Run \`npm start\` (it builds pkg/).`;
    return;
  }
  const decoded = decodeHash(location.hash);
  if (decoded) state = decoded.state;
  bindControls();
  syncControls();
  render();
  if (decoded?.problems.length) $('#link-status').textContent = `Some of the link could not be used: ${decoded.problems.join('; ')}`;
  document.documentElement.dataset.ready = 'true';
}

main();
