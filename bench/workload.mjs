// The benchmark workload: a seeded, reproducible "site" with a Confluence page and a Jira
// page of module instances, written in render-gate's own config and request format.
//
//   import { makeWorkload } from './workload.mjs';
//   const w = makeWorkload({ n: 10_000, seed: 1 });
//   // w.pages = [{ name: 'confluence', config, requests }, { name: 'jira', config, requests }]
//
// Runs unchanged in Node and in the browser (no imports). Every contender is fed exactly
// these objects; the same seed always gives the same configs and requests.
//
// What is in it (see bench/README.md for the restrictions every contender can express):
// - M apps per product (default 24, so M = 48 for the site), Connect and Forge, each with
//   2-7 modules: macros, byline items, web items, web panels, dialogs, custom content,
//   general / space / global pages, issue panels, glances, actions, activity, project pages,
//   admin, configure and settings pages;
// - Connect `conditions` and Forge `displayConditions` of 2-4 levels (and / or / not /
//   invert, Forge object and list forms), whose leaves are built-in viewer facts
//   (user_is_logged_in, isJiraGuest, user_is_admin, ...), permissions, context fields,
//   entity / content properties, and host facts passed in `facts`;
// - policies: block-all, block-all-except, block-only (and an allow-all that never blocks);
// - page views, each with one viewer (licensed, space / product / site admins, guests in
//   and out of their guest space, anonymous, customers, unlicensed users), one space or
//   none (global and admin pages), a context and the host's facts (about 1 in 10 unknown);
//   a page of N module instances is the concatenation of such views, split evenly between
//   the Confluence and the Jira page.

/** mulberry32: a small, fast, seedable PRNG (32-bit state). */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    /** Picks from [[weight, value], ...]. */
    weighted: (pairs) => {
      let total = 0;
      for (const [w] of pairs) total += w;
      let x = next() * total;
      for (const [w, v] of pairs) {
        if ((x -= w) < 0) return v;
      }
      return pairs[pairs.length - 1][1];
    },
    subset: (arr, p) => arr.filter(() => next() < p),
  };
  return r;
}

const CONFLUENCE_SPACES = ['ENG', 'OPS', 'FIN', 'HR', 'SEC', 'MKT', 'SALES', 'PUB', 'DOCS', 'SUP', 'LEGAL', 'DESIGN'];
const JIRA_SPACES = ['CORE', 'WEB', 'MOB', 'PAY', 'HRX', 'SECU', 'SD', 'OPSX', 'DATA', 'INFRA', 'GROW', 'QA'];

const PRODUCTS = {
  confluence: {
    spaces: CONFLUENCE_SPACES,
    guestMode: 'opt-in',
    onMissingFacts: 'hide',
    hostFacts: ['addon_is_licensed', 'user_favourited_page', 'following_target_user', 'can_edit_space_styles'],
    permissions: ['VIEWSPACE', 'EDITSPACE', 'COMMENT', 'EXPORTSPACE'],
    connect: [
      // [weight, module type, view kinds it appears on]
      [5, 'dynamicContentMacros', ['page']],
      [2, 'staticContentMacros', ['page']],
      [2, 'contentBylineItems', ['page']],
      [4, 'webItems', ['page', 'global', 'space-tools']],
      [3, 'webPanels', ['page', 'global']],
      [1, 'dialogs', ['page']],
      [1, 'customContent', ['page']],
      [1, 'generalPages', ['global']],
      [1, 'spaceToolsTabs', ['space-tools']],
      [1, 'adminPages', ['admin']],
      [1, 'configurePage', ['admin']],
    ],
    forge: [
      [5, 'macro', ['page']],
      [2, 'confluence:contentBylineItem', ['page']],
      [1, 'confluence:contextMenu', ['page']],
      [1, 'confluence:pageBanner', ['page']],
      [1, 'confluence:spacePage', ['page']],
      [1, 'confluence:globalPage', ['global']],
      [1, 'confluence:spaceSettings', ['space-tools']],
      [1, 'confluence:globalSettings', ['admin']],
    ],
    views: [
      [80, 'page'],
      [8, 'global'],
      [6, 'space-tools'],
      [6, 'admin'],
    ],
  },
  jira: {
    spaces: JIRA_SPACES,
    guestMode: undefined, // Jira's default: allow (RFC-112 as resolved)
    onMissingFacts: 'pending',
    hostFacts: ['addon_is_licensed', 'voting_enabled', 'time_tracking_enabled', 'is_issue_assigned_to_current_user', 'linking_enabled'],
    permissions: ['BROWSE_PROJECTS', 'EDIT_ISSUES', 'CREATE_ISSUES', 'ASSIGN_ISSUES', 'ADMINISTER_PROJECTS'],
    connect: [
      [4, 'webItems', ['issue', 'project', 'global', 'project-settings']],
      [3, 'webPanels', ['issue', 'project']],
      [3, 'jiraIssueGlances', ['issue']],
      [2, 'jiraIssueTabPanels', ['issue']],
      [1, 'jiraProjectPages', ['project']],
      [1, 'generalPages', ['global']],
      [1, 'jiraProjectAdminTabPanels', ['project-settings']],
      [1, 'adminPages', ['admin']],
      [1, 'configurePage', ['admin']],
    ],
    forge: [
      [5, 'jira:issuePanel', ['issue']],
      [3, 'jira:issueGlance', ['issue']],
      [3, 'jira:issueAction', ['issue']],
      [1, 'jira:issueContext', ['issue']],
      [1, 'jira:issueActivity', ['issue']],
      [1, 'jira:projectPage', ['project']],
      [1, 'jira:projectSettingsPage', ['project-settings']],
      [1, 'jira:globalPage', ['global']],
      [1, 'jira:adminPage', ['admin']],
    ],
    views: [
      [70, 'issue'],
      [12, 'project'],
      [8, 'global'],
      [5, 'project-settings'],
      [5, 'admin'],
    ],
  },
};

// ---------------------------------------------------------------------------------------
// Condition trees.

/** A leaf in both syntaxes: `connect` is `{condition, params?}`, `forge` is `[key, value]`. */
function leafPool(product) {
  const common = [
    // [weight, connect name, connect params, forge key, forge value]
    [6, 'user_is_logged_in', null, 'isLoggedIn', true],
    [2, 'user_is_anonymous', null, 'isAnonymous', true],
    [4, product === 'jira' ? 'is_jira_guest' : 'user_is_external_collaborator', null, 'isJiraGuest', true],
    [3, 'user_is_admin', null, 'isAdmin', true],
    [1, 'user_is_sysadmin', null, 'isSiteAdmin', true],
    [2, product === 'jira' ? 'user_is_project_admin' : 'user_is_space_admin', null, product === 'jira' ? 'isProjectAdmin' : 'isSpaceAdmin', true],
    [2, 'can_use_application', null, 'isLicensed', true],
  ];
  if (product === 'jira') {
    return [
      ...common,
      [3, 'has_project_permission', { permission: 'EDIT_ISSUES' }, 'hasProjectPermission', 'EDIT_ISSUES'],
      [1, 'has_issue_permission', { permission: 'ASSIGN_ISSUES' }, 'hasIssuePermission', 'ASSIGN_ISSUES'],
      [2, 'project_type', { projectTypeKey: 'software' }, 'projectType', 'software'],
      [2, 'issue_type', { issueType: ['Bug', 'Story'] }, 'issueType', ['Bug', 'Story']],
      [2, 'entity_property_equal_to', { entity: 'issue', propertyKey: 'acme-mode', value: 'advanced' },
        'entityPropertyEqualTo', { entity: 'issue', propertyKey: 'acme-enabled', value: true }],
      [2, 'addon_is_licensed', null, null, null],
      [1, 'voting_enabled', null, null, null],
      [1, 'time_tracking_enabled', null, null, null],
      [1, 'is_issue_assigned_to_current_user', null, null, null],
      [1, 'linking_enabled', null, null, null],
    ];
  }
  return [
    ...common,
    [2, 'has_space_permission', { permission: 'EDITSPACE' }, 'hasSpacePermission', 'EDITSPACE'],
    [2, 'content_type', { contentType: 'page' }, 'contentType', 'page'],
    [2, 'content_property_equal_to', { propertyKey: 'acme-status', value: 'approved' },
      'entityPropertyEqualTo', { entity: 'content', propertyKey: 'acme-status', value: 'approved' }],
    [2, 'addon_is_licensed', null, null, null],
    [1, 'user_favourited_page', null, null, null],
    [1, 'following_target_user', null, null, null],
    [1, 'can_edit_space_styles', null, null, null],
  ];
}

/**
 * An abstract tree: { op: 'and'|'or', kids } | { op: 'not', kid } | { op: 'leaf', leaf }.
 * `levels` counts the leaf level: 2 = a composite of leaves, 4 = three composites deep.
 */
function abstractTree(rng, pool, levels, forge) {
  const leaves = forge ? pool.filter((l) => l[3] !== null) : pool;
  const leaf = () => ({ op: 'leaf', leaf: rng.weighted(leaves.map((l) => [l[0], l])) });
  const node = (lv, mustReach) => {
    if (lv <= 1) return leaf();
    const n = rng.int(2, 3);
    const kids = [];
    const deep = rng.int(0, n - 1);
    for (let i = 0; i < n; i++) {
      kids.push(i === deep || (!mustReach && rng.chance(0.4)) ? node(lv - 1, i === deep && mustReach) : maybeNot(leaf()));
    }
    const c = { op: rng.chance(0.5) ? 'and' : 'or', kids };
    return lv < levels && rng.chance(0.15) ? { op: 'not', kid: c } : c;
  };
  const maybeNot = (l) => (rng.chance(0.2) ? { op: 'not', kid: l } : l);
  return node(levels, true);
}

function connectLeaf(l, invert) {
  const [, name, params] = l.leaf;
  const out = { condition: name };
  if (invert) out.invert = true;
  if (params) out.params = params;
  return out;
}

/** Connect syntax: top-level array (AND), `{or: []}` / `{and: []}` / `{type, conditions}`, invert. */
function toConnect(rng, t) {
  const node = (t) => {
    if (t.op === 'leaf') return connectLeaf(t, false);
    if (t.op === 'not' && t.kid.op === 'leaf') return connectLeaf(t.kid, true);
    if (t.op === 'not') {
      // Connect has no `not` composite: push it down with De Morgan.
      const k = t.kid;
      return node({ op: k.op === 'and' ? 'or' : 'and', kids: k.kids.map((c) => negate(c)) });
    }
    const kids = t.kids.map(node);
    if (rng.chance(0.25)) return { type: t.op.toUpperCase(), conditions: kids };
    return { [t.op]: kids };
  };
  const negate = (c) => (c.op === 'not' ? c.kid : { op: 'not', kid: c });
  if (t.op === 'and') return t.kids.map(node);
  return [node(t)];
}

/** Forge displayConditions: object keys AND, `and` / `or` lists, `not`, list form sometimes. */
function toForge(rng, t) {
  const leafEntry = (t, negated) => {
    const [, , , key, value] = t.leaf;
    if (typeof value === 'boolean') return [key, negated ? !value : value];
    return negated ? ['not', { [key]: value }] : [key, value];
  };
  const obj = (entries) => {
    // One object per entry when keys repeat: `and` of single-key objects.
    const keys = new Set(entries.map((e) => e[0]));
    if (keys.size === entries.length) return Object.fromEntries(entries);
    return { and: entries.map((e) => ({ [e[0]]: e[1] })) };
  };
  const entry = (t) => {
    if (t.op === 'leaf') return leafEntry(t, false);
    if (t.op === 'not' && t.kid.op === 'leaf') return leafEntry(t.kid, true);
    if (t.op === 'not') return ['not', node(t.kid)];
    return [t.op, t.kids.map(node)];
  };
  const node = (t) => {
    if (t.op === 'and' && rng.chance(0.5)) return obj(t.kids.map(entry));
    return obj([entry(t)]);
  };
  // The RFC-112 list form for a simple top-level AND of (possibly inverted) boolean leaves.
  if (
    t.op === 'and' &&
    rng.chance(0.2) &&
    t.kids.every((k) => {
      const l = k.op === 'not' ? k.kid : k;
      return l.op === 'leaf' && l.leaf[4] === true;
    })
  ) {
    return t.kids.map((k) => {
      const l = k.op === 'not' ? k.kid : k;
      const out = { condition: l.leaf[3] };
      if (k.op === 'not') out.invert = true;
      return out;
    });
  }
  return node(t);
}

// ---------------------------------------------------------------------------------------
// Configs.

const WORDS = ['Acme', 'Nimbus', 'Orbit', 'Quill', 'Vertex', 'Lumen', 'Pixel', 'Harbor', 'Atlas', 'Cobalt', 'Delta', 'Ember',
  'Falcon', 'Granite', 'Helix', 'Ion', 'Juniper', 'Kite', 'Lattice', 'Meridian', 'Nova', 'Onyx', 'Prism', 'Quartz'];
const NOUNS = ['Charts', 'Diagrams', 'Tables', 'Docs', 'Sync', 'Timesheets', 'Approvals', 'Roadmaps', 'Forms', 'Metrics',
  'Checklists', 'Notes', 'Tests', 'Assets', 'Insights', 'Boards'];

function makeConfig(rng, product, appCount) {
  const p = PRODUCTS[product];
  const pool = leafPool(product);
  const apps = [];
  for (let i = 0; i < appCount; i++) {
    const forge = rng.chance(0.45);
    const key = `${forge ? 'io' : 'com'}.${WORDS[i % WORDS.length].toLowerCase()}.${product}${i}`;
    const name = `${WORDS[i % WORDS.length]} ${rng.pick(NOUNS)}`;
    const modules = {};
    const count = rng.int(2, 7);
    const types = forge ? p.forge : p.connect;
    for (let j = 0; j < count; j++) {
      const type = rng.weighted(types.map(([w, t]) => [w, t]));
      const m = { key: `${type.replace(/[^a-z]/gi, '').toLowerCase()}-${j}` };
      if (rng.chance(0.55)) {
        const levels = rng.weighted([[3, 2], [3, 3], [2, 4]]);
        const tree = abstractTree(rng, pool, levels, forge);
        if (forge) m.displayConditions = toForge(rng, tree);
        else m.conditions = toConnect(rng, tree);
      }
      if (rng.chance(0.1)) m.allowGuests = rng.chance(0.6);
      if (forge && rng.chance(0.3)) m.unlicensedAccess = rng.subset(['anonymous', 'customer', 'unlicensed'], 0.5);
      (modules[type] ||= []).push(m);
    }
    const app = { key, name, framework: forge ? 'forge' : 'connect' };
    if (rng.chance(0.2)) app.guestAccess = rng.chance(0.6) ? 'allow' : 'block';
    if (forge) app.manifest = { app: { id: `ari:cloud:ecosystem::app/${i}` }, modules };
    else app.descriptor = { key, baseUrl: `https://${key}.example`, modules };
    apps.push(app);
  }
  const keys = apps.map((a) => a.key);
  const s = p.spaces;
  const policies = [
    { id: 'lockdown', name: 'Security lockdown', spaces: [s[4]], appAccess: 'block-all' },
    { id: 'finance', name: 'Finance and HR', spaces: [s[2], s[3]], appAccess: 'block-all-except', apps: rng.subset(keys, 0.25) },
    { id: 'legal', name: 'Legal review', spaces: [s[10]], appAccess: 'block-all-except', apps: rng.subset(keys, 0.4) },
    { id: 'vendors', name: 'Vendor risk', spaces: [s[0], s[1], s[9]], appAccess: 'block-only', apps: rng.subset(keys, 0.12) },
    { id: 'public', name: 'Public spaces', spaces: [s[7]], appAccess: 'allow-all' },
  ];
  const config = { product, apps, policies };
  if (p.guestMode) config.guestMode = p.guestMode;
  if (p.onMissingFacts !== 'hide') config.onMissingFacts = p.onMissingFacts;
  return config;
}

// ---------------------------------------------------------------------------------------
// Page views and requests.

function makeViewer(rng, product, space, view, seq) {
  const p = PRODUCTS[product];
  const admin = view === 'admin' || view === 'space-tools' || view === 'project-settings';
  const kind = rng.weighted([
    [admin ? 20 : 55, 'licensed'],
    [admin ? 30 : 5, 'space-admin'],
    [admin ? 20 : 3, 'product-admin'],
    [admin ? 10 : 2, 'site-admin'],
    [10, 'guest-in'],
    [5, 'guest-out'],
    [7, 'anonymous'],
    [product === 'jira' ? 4 : 1, 'customer'],
    [3, 'unlicensed'],
  ]);
  const v = { type: kind.startsWith('guest') ? 'guest' : kind.endsWith('admin') ? 'licensed' : kind };
  if (v.type !== 'anonymous') v.accountId = `5b10ac8d82e05b22cc7d${(seq * 7919 + 1000).toString(16)}`;
  if (kind === 'space-admin') v.spaceAdmin = true;
  if (kind === 'product-admin') v.productAdmin = true;
  if (kind === 'site-admin') v.siteAdmin = true;
  if (kind === 'unlicensed' && rng.chance(0.2)) v.siteAdmin = true; // site admins need no product licence
  if (kind === 'guest-in') v.guestSpace = space || rng.pick(p.spaces);
  if (kind === 'guest-out') v.guestSpace = rng.pick(p.spaces.filter((x) => x !== space));
  v.permissions =
    v.type === 'anonymous' || v.type === 'customer' ? [] : rng.subset(p.permissions, v.type === 'guest' ? 0.3 : 0.6);
  return v;
}

function makeContext(rng, product, view) {
  if (product === 'jira') {
    if (view === 'issue') {
      const ctx = {
        issueType: rng.pick(['Bug', 'Task', 'Story', 'Epic']),
        issueKey: `CORE-${rng.int(1, 9999)}`,
        projectType: rng.pick(['software', 'software', 'business', 'service_desk']),
      };
      if (rng.chance(0.7)) {
        ctx.properties = { issue: { 'acme-mode': rng.pick(['advanced', 'basic']), 'acme-enabled': rng.chance(0.7) } };
      }
      return ctx;
    }
    if (view === 'project' || view === 'project-settings') {
      return { projectType: rng.pick(['software', 'business', 'service_desk']) };
    }
    return undefined;
  }
  if (view === 'page') {
    const ctx = { contentType: rng.chance(0.8) ? 'page' : 'blogpost' };
    if (rng.chance(0.5)) ctx.properties = { content: { 'acme-status': rng.pick(['approved', 'draft']) } };
    return ctx;
  }
  return undefined;
}

function makeFacts(rng, product) {
  const facts = {};
  for (const name of PRODUCTS[product].hostFacts) {
    if (rng.chance(0.9)) facts[name] = rng.chance(0.8);
  }
  return facts;
}

function modulesByView(config, product) {
  const p = PRODUCTS[product];
  const where = new Map();
  for (const [, type, views] of [...p.connect, ...p.forge]) where.set(type, views);
  const byView = new Map();
  for (const app of config.apps) {
    const mods = (app.descriptor || app.manifest).modules;
    for (const [type, list] of Object.entries(mods)) {
      for (const view of where.get(type)) {
        if (!byView.has(view)) byView.set(view, []);
        for (const m of list) byView.get(view).push([app.key, m.key]);
      }
    }
  }
  return byView;
}

function makeRequests(rng, product, config, n) {
  const p = PRODUCTS[product];
  const byView = modulesByView(config, product);
  const requests = [];
  let seq = 0;
  while (requests.length < n) {
    const view = rng.weighted(p.views);
    const candidates = byView.get(view);
    if (!candidates || candidates.length === 0) continue;
    const inSpace = view !== 'global' && view !== 'admin';
    const space = inSpace ? rng.pick(p.spaces) : undefined;
    const viewer = makeViewer(rng, product, space, view, seq++);
    const context = makeContext(rng, product, view);
    const facts = makeFacts(rng, product);
    const count = Math.min(n - requests.length, view === 'page' || view === 'issue' ? rng.int(8, 40) : rng.int(3, 12));
    for (let i = 0; i < count; i++) {
      let [app, module] = rng.pick(candidates);
      // A few stale references: an uninstalled app's macro, a module the app dropped.
      const stale = rng.next();
      if (stale < 0.005) app = `com.removed.app${rng.int(1, 9)}`;
      else if (stale < 0.01) module = `${module}-old`;
      const r = { viewer, app, module };
      if (space !== undefined) r.space = space;
      if (context !== undefined) r.context = context;
      r.facts = facts;
      requests.push(r);
    }
  }
  return requests;
}

/**
 * The workload for a page of `n` module instances (split evenly between the Confluence and
 * the Jira page) over `apps` apps per product.
 */
export function makeWorkload({ n, seed = 20260401, apps = 24 } = {}) {
  const pages = [];
  for (const [i, product] of ['confluence', 'jira'].entries()) {
    const cfgRng = prng(seed * 31 + i);
    const config = makeConfig(cfgRng, product, apps);
    const reqRng = prng(seed * 131 + i * 17 + n);
    const size = i === 0 ? Math.ceil(n / 2) : Math.floor(n / 2);
    pages.push({ name: product, config, requests: makeRequests(reqRng, product, config, size) });
  }
  return { n, seed, apps: apps * 2, pages };
}
