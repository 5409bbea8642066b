// The playground's scenario: every control's value, the config and viewer built from it,
// and its encoding in the URL hash (`#s=` + base64url of compact JSON, defaults left out).
import { DEFAULT_PRESET, presetById } from './presets.js';

export const PRODUCTS = ['confluence', 'jira'];
export const VIEWER_TYPES = ['licensed', 'guest', 'anonymous', 'customer', 'unlicensed'];
export const ADMIN_RIGHTS = ['none', 'space', 'product', 'site'];
export const GUEST_MODES = ['default', 'block-ui', 'opt-in', 'allow'];
export const MISSING_FACTS = ['hide', 'pending'];
export const LOCALES = ['en', 'de', 'fr', 'es', 'ja'];
export const WHY = ['admins', 'always', 'never'];
export const APP_ACCESS = ['allow-all', 'block-all', 'block-all-except', 'block-only'];
/** Policies whose `appAccess` takes an app list. */
export const ACCESS_WITH_APPS = ['block-all-except', 'block-only'];

export const SPACES = [
  { key: 'ENG', name: 'Engineering' },
  { key: 'FIN', name: 'Finance' },
  { key: 'MKT', name: 'Marketing' },
];

/** Viewer types that can hold admin rights (the engine ignores the flags for the others). */
export const CAN_BE_ADMIN = ['licensed', 'unlicensed'];

export function defaultState(product = 'confluence') {
  return {
    product,
    viewer: 'licensed',
    admin: 'none',
    guestSpace: 'ENG',
    space: 'ENG',
    guestMode: 'default',
    onMissingFacts: 'hide',
    locale: 'en',
    why: 'admins',
    outline: false,
    preset: DEFAULT_PRESET[product],
    /** `null`: the preset's apps, untouched. Otherwise the edited apps (any JSON value). */
    apps: null,
    /** Editor text that is not valid JSON (so that a link still reproduces it). */
    appsText: null,
    policies: [],
    facts: {},
  };
}

// ---------------------------------------------------------------------------------------
// Config and viewer

export function presetApps(state) {
  return structuredClone(presetById(state.preset)?.apps ?? []);
}

/** The editor's text for a state. */
export function appsTextOf(state) {
  if (state.appsText != null) return state.appsText;
  return JSON.stringify(state.apps ?? presetApps(state), null, 2);
}

export function policyForConfig(p) {
  const out = { id: p.id, name: p.name, spaces: [...p.spaces], appAccess: p.appAccess };
  if (ACCESS_WITH_APPS.includes(p.appAccess)) out.apps = [...p.apps];
  return out;
}

/** The render-gate config for a state and the apps read from the editor. */
export function buildConfig(state, apps) {
  const config = { product: state.product };
  if (state.guestMode !== 'default') config.guestMode = state.guestMode;
  if (state.onMissingFacts !== 'hide') config.onMissingFacts = state.onMissingFacts;
  if (state.locale !== 'en') config.locale = state.locale;
  config.apps = apps;
  if (state.policies.length) config.policies = state.policies.map(policyForConfig);
  return config;
}

export function buildViewer(state) {
  const viewer = { type: state.viewer, accountId: `demo-${state.viewer}` };
  if (state.viewer === 'guest') viewer.guestSpace = state.guestSpace;
  if (CAN_BE_ADMIN.includes(state.viewer)) {
    if (state.admin === 'site') viewer.siteAdmin = true;
    if (state.admin === 'product') viewer.productAdmin = true;
    if (state.admin === 'space') viewer.spaceAdmin = true;
  }
  return viewer;
}

/** Every module an apps array declares: `{ app, appName, framework, type, key, title }`. */
export function modulesOf(apps) {
  const out = [];
  if (!Array.isArray(apps)) return out;
  for (const app of apps) {
    if (!app || typeof app !== 'object' || typeof app.key !== 'string') continue;
    const doc = app.framework === 'forge' ? app.manifest : app.descriptor ?? app.manifest;
    const modules = doc && typeof doc === 'object' ? doc.modules : null;
    if (!modules || typeof modules !== 'object') continue;
    for (const [type, list] of Object.entries(modules)) {
      for (const m of Array.isArray(list) ? list : [list]) {
        if (!m || typeof m !== 'object' || typeof m.key !== 'string') continue;
        const title = typeof m.title === 'string' ? m.title : typeof m.name?.value === 'string' ? m.name.value : m.key;
        out.push({ app: app.key, appName: typeof app.name === 'string' ? app.name : app.key, framework: app.framework, type, key: m.key, title });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// URL hash

const HASH_PREFIX = '#s=';

function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s) {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** `#s=...` for a state: only what differs from the product's defaults. */
export function encodeHash(state) {
  const defaults = defaultState(state.product);
  const out = { product: state.product };
  for (const [k, v] of Object.entries(state)) {
    if (k === 'product' || v == null || same(v, defaults[k])) continue;
    out[k] = v;
  }
  return HASH_PREFIX + toBase64Url(JSON.stringify(out));
}

const oneOf = (list, v, fallback) => (list.includes(v) ? v : fallback);
const isStr = (v) => typeof v === 'string';

function readPolicy(p, i) {
  if (!p || typeof p !== 'object') return null;
  return {
    id: isStr(p.id) ? p.id : `policy-${i + 1}`,
    name: isStr(p.name) ? p.name : `Policy ${i + 1}`,
    spaces: Array.isArray(p.spaces) ? p.spaces.filter(isStr) : [],
    appAccess: oneOf(APP_ACCESS, p.appAccess, 'block-all'),
    apps: Array.isArray(p.apps) ? p.apps.filter(isStr) : [],
  };
}

/**
 * The state a hash describes, or `null` when there is no scenario in it. Values that do
 * not fit a control fall back to its default and are listed in `problems`.
 */
export function decodeHash(hash) {
  if (!hash || !hash.startsWith(HASH_PREFIX)) return null;
  const problems = [];
  let raw;
  try {
    raw = JSON.parse(fromBase64Url(hash.slice(HASH_PREFIX.length)));
  } catch {
    return { state: defaultState(), problems: ['the link\u2019s scenario could not be read; showing the defaults'] };
  }
  if (!raw || typeof raw !== 'object') return { state: defaultState(), problems: ['the link holds no scenario'] };
  const product = oneOf(PRODUCTS, raw.product, 'confluence');
  const s = defaultState(product);
  const pick = (key, list) => {
    if (raw[key] === undefined) return;
    if (list.includes(raw[key])) s[key] = raw[key];
    else problems.push(`${key}: \`${String(raw[key]).slice(0, 40)}\` is not an option`);
  };
  pick('viewer', VIEWER_TYPES);
  pick('admin', ADMIN_RIGHTS);
  pick('guestSpace', SPACES.map((x) => x.key));
  pick('space', SPACES.map((x) => x.key));
  pick('guestMode', GUEST_MODES);
  pick('onMissingFacts', MISSING_FACTS);
  pick('locale', LOCALES);
  pick('why', WHY);
  if (raw.outline !== undefined) s.outline = raw.outline === true;
  if (raw.preset !== undefined) {
    const p = presetById(raw.preset);
    if (p && p.product === product) s.preset = p.id;
    else problems.push(`preset: \`${String(raw.preset).slice(0, 40)}\` is not a ${product} preset`);
  }
  if (raw.apps !== undefined) s.apps = raw.apps;
  if (isStr(raw.appsText)) s.appsText = raw.appsText;
  if (Array.isArray(raw.policies)) s.policies = raw.policies.map(readPolicy).filter(Boolean);
  if (raw.facts && typeof raw.facts === 'object' && !Array.isArray(raw.facts)) s.facts = raw.facts;
  return { state: s, problems };
}
