// The rules of bench/README.md as plain data, shared by the contenders that are not
// render-gate (Cedar, CASL, the hand-written evaluator): a module catalog, a reader for the
// Connect / Forge condition syntaxes of the workload, and the one mapping from a reason to
// an outcome (placeholder vs hide comes from the catalog shape, pending from the config).
//
// Each contender compiles this model into its own rules (Cedar policies, CASL rules, JS
// closures); render-gate reads the same config itself. The harness then checks that all of
// them answer every request alike.

/** Reasons in precedence order: a lower rank wins (spec section 3). */
export const REASONS = [
  'app-not-installed', // 0   rule 1
  'module-not-found', //  1   rule 1
  'not-a-ui-module', //   2   rule 2 (not in the workload)
  'admin-only', //        3   rule 3
  'blocked-by-policy', // 4   rule 4
  'outside-guest-space', // 5 rule 5
  'guest-blocked', //     6   rule 6
  'unlicensed-access', // 7   rule 7
  'conditions-false', //  8   rule 8
  'missing-facts', //     9   rule 9
  'allowed', //           10  rule 10
];
export const R = Object.fromEntries(REASONS.map((r, i) => [r.replace(/-([a-z])/g, (_, c) => c.toUpperCase()), i]));

/** The outcome for a reason: the same mapping for every contender. */
export function outcomeOf(rank, slot, pending) {
  switch (rank) {
    case R.allowed:
      return 'render';
    case R.blockedByPolicy:
    case R.guestBlocked:
      return slot ? 'placeholder' : 'hide';
    case R.missingFacts:
      return pending ? 'pending' : 'hide';
    default:
      return 'hide';
  }
}

// ---------------------------------------------------------------------------------------
// Catalog: the module types of the workload (a subset of render-gate's src/catalog.rs).
// [framework, name, shape, scope, admin, guest-gated in confluence, guest-gated in jira]

const CATALOG_ROWS = [
  ['connect', 'dynamicContentMacros', 'slot', 'space', '', 1, 0],
  ['connect', 'staticContentMacros', 'slot', 'space', '', 1, 0],
  ['connect', 'contentBylineItems', 'fragment', 'space', '', 1, 0],
  ['connect', 'customContent', 'slot', 'space', '', 1, 1],
  ['connect', 'spaceToolsTabs', 'slot', 'space', 'space', 0, 0],
  ['connect', 'generalPages', 'slot', 'global', '', 1, 1],
  ['connect', 'webItems', 'fragment', 'any', '', 1, 1],
  ['connect', 'webPanels', 'fragment', 'any', '', 1, 1],
  ['connect', 'webSections', 'fragment', 'any', '', 1, 1],
  ['connect', 'dialogs', 'fragment', 'any', '', 1, 1],
  ['connect', 'adminPages', 'slot', 'global', 'product', 0, 0],
  ['connect', 'configurePage', 'slot', 'global', 'product', 0, 0],
  ['connect', 'postInstallPage', 'slot', 'global', 'product', 0, 0],
  ['connect', 'jiraIssueGlances', 'slot', 'space', '', 0, 0],
  ['connect', 'jiraProjectPages', 'slot', 'space', '', 0, 0],
  ['connect', 'jiraIssueTabPanels', 'slot', 'space', '', 0, 0],
  ['connect', 'jiraProjectAdminTabPanels', 'slot', 'space', 'space', 0, 0],
  ['forge', 'macro', 'slot', 'space', '', 1, 0],
  ['forge', 'confluence:contentBylineItem', 'fragment', 'space', '', 1, 0],
  ['forge', 'confluence:contextMenu', 'fragment', 'space', '', 1, 0],
  ['forge', 'confluence:pageBanner', 'fragment', 'space', '', 1, 0],
  ['forge', 'confluence:spacePage', 'slot', 'space', '', 1, 0],
  ['forge', 'confluence:globalPage', 'slot', 'global', '', 1, 0],
  ['forge', 'confluence:spaceSettings', 'slot', 'space', 'space', 0, 0],
  ['forge', 'confluence:globalSettings', 'slot', 'global', 'product', 0, 0],
  ['forge', 'jira:issuePanel', 'slot', 'space', '', 0, 1],
  ['forge', 'jira:issueGlance', 'slot', 'space', '', 0, 1],
  ['forge', 'jira:issueAction', 'fragment', 'space', '', 0, 1],
  ['forge', 'jira:issueContext', 'slot', 'space', '', 0, 0],
  ['forge', 'jira:issueActivity', 'slot', 'space', '', 0, 0],
  ['forge', 'jira:projectPage', 'slot', 'space', '', 0, 1],
  ['forge', 'jira:projectSettingsPage', 'slot', 'space', 'space', 0, 1],
  ['forge', 'jira:globalPage', 'slot', 'global', '', 0, 1],
  ['forge', 'jira:adminPage', 'slot', 'global', 'product', 0, 0],
];
export const CATALOG = new Map(
  CATALOG_ROWS.map(([fw, name, shape, scope, admin, gc, gj]) => [
    `${fw}:${name}`,
    { shape, scope, admin, guest: { confluence: !!gc, jira: !!gj } },
  ]),
);

// ---------------------------------------------------------------------------------------
// Condition trees: { op: 'and'|'or', kids } | { op: 'not', kid } | { op: 'const', value }
// | { op: 'leaf', leaf }, with leaves
//   { kind: 'viewer', test: 'loggedIn'|'anonymous'|'guest'|'licensed'|'siteAdmin'|'admin'|'spaceAdmin' }
//   { kind: 'permission', permission }
//   { kind: 'context', field: 'issueType'|'issueKey'|'projectType'|'contentType'|'space', values }
//   { kind: 'property', entity, key, value }    (equality; false when absent)
//   { kind: 'host' }                             (read from `facts` by name)
// and every leaf has `name`: when its value is unknown, `facts[name]` answers it.

const BOOL_LEAVES = {
  user_is_logged_in: 'loggedIn', isLoggedIn: 'loggedIn',
  user_is_anonymous: 'anonymous', isAnonymous: 'anonymous',
  user_is_external_collaborator: 'guest', userIsExternalCollaborator: 'guest', is_jira_guest: 'guest', isJiraGuest: 'guest',
  user_is_sysadmin: 'siteAdmin', isSiteAdmin: 'siteAdmin',
  user_is_admin: 'admin', isAdmin: 'admin', user_is_confluence_administrator: 'admin',
  user_is_project_admin: 'spaceAdmin', isProjectAdmin: 'spaceAdmin', user_is_space_admin: 'spaceAdmin', isSpaceAdmin: 'spaceAdmin',
  user_can_use_confluence: 'licensed', can_use_application: 'licensed', isLicensed: 'licensed',
};
const PERMISSION_LEAVES = new Set([
  'has_project_permission', 'hasProjectPermission', 'has_issue_permission', 'hasIssuePermission', 'has_global_permission',
  'hasGlobalPermission', 'space_function_permission', 'has_space_permission', 'hasSpacePermission',
]);
const CONTEXT_LEAVES = {
  project_type: ['projectType', ['projectTypeKey', 'projectType', 'value']],
  projectType: ['projectType', ['projectTypeKey', 'projectType', 'value']],
  issue_type: ['issueType', ['issueType', 'value']],
  issueType: ['issueType', ['issueType', 'value']],
  issue_key: ['issueKey', ['issueKey', 'value']],
  issueKey: ['issueKey', ['issueKey', 'value']],
  content_type: ['contentType', ['contentType', 'value']],
  contentType: ['contentType', ['contentType', 'value']],
  space_key: ['space', ['spaceKey', 'projectKey', 'key', 'value']],
  spaceKey: ['space', ['spaceKey', 'projectKey', 'key', 'value']],
  project_key: ['space', ['spaceKey', 'projectKey', 'key', 'value']],
  projectKey: ['space', ['spaceKey', 'projectKey', 'key', 'value']],
};
const PROPERTY_LEAVES = {
  entity_property_equal_to: null, entityPropertyEqualTo: null,
  content_property_equal_to: 'content', contentPropertyEqualTo: 'content',
  space_property_equal_to: 'space', spacePropertyEqualTo: 'space',
};

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `args` is a params object (Connect / list form), or `{ value }` for the Forge object form. */
function param(args, names) {
  if (args.params) {
    for (const n of names) if (n in args.params) return args.params[n];
    return undefined;
  }
  if ('value' in args) {
    const v = args.value;
    if (isObj(v)) {
      for (const n of names) if (n in v) return v[n];
      return undefined;
    }
    return names.includes('value') ? v : undefined;
  }
  return undefined;
}

function unsupported(name, why) {
  throw new Error(`bench model: condition \`${name}\` ${why} (outside the benchmark's rule subset, see bench/README.md)`);
}

function leaf(name, args) {
  let negate = false;
  let l;
  if (name in BOOL_LEAVES) {
    if ('value' in args) {
      if (typeof args.value !== 'boolean') unsupported(name, 'takes true or false');
      negate = !args.value;
    }
    l = { kind: 'viewer', test: BOOL_LEAVES[name], name };
  } else if (PERMISSION_LEAVES.has(name)) {
    const p = param(args, ['permission', 'value']);
    if (typeof p !== 'string') unsupported(name, 'needs a permission');
    l = { kind: 'permission', permission: p, name };
  } else if (name in CONTEXT_LEAVES) {
    const [field, names] = CONTEXT_LEAVES[name];
    const v = param(args, names);
    const values = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(values) || !values.every((x) => typeof x === 'string')) unsupported(name, 'needs strings');
    l = { kind: 'context', field, values, name };
  } else if (name in PROPERTY_LEAVES) {
    const entity = PROPERTY_LEAVES[name] ?? param(args, ['entity']);
    const key = param(args, ['propertyKey']);
    const value = param(args, ['value']);
    if (param(args, ['objectName']) !== undefined) unsupported(name, 'uses objectName');
    if (typeof value !== 'string' && typeof value !== 'boolean') unsupported(name, 'compares a non-scalar');
    l = { kind: 'property', entity, key, value, name };
  } else {
    l = { kind: 'host', name };
  }
  const node = { op: 'leaf', leaf: l };
  return negate ? { op: 'not', kid: node } : node;
}

function listLeaf(v) {
  const node = leaf(v.condition, { params: isObj(v.params) ? v.params : undefined });
  return v.invert === true ? { op: 'not', kid: node } : node;
}

/** Connect `conditions`. */
export function parseConnect(v) {
  if (Array.isArray(v)) return { op: 'and', kids: v.map(parseConnect) };
  if ('condition' in v) return listLeaf(v);
  if ('and' in v) return { op: 'and', kids: v.and.map(parseConnect) };
  if ('or' in v) return { op: 'or', kids: v.or.map(parseConnect) };
  if ('conditions' in v) {
    const t = (v.type ?? 'AND').toLowerCase();
    return { op: t === 'or' ? 'or' : 'and', kids: v.conditions.map(parseConnect) };
  }
  throw new Error('bench model: not a Connect condition');
}

/** Forge `displayConditions`. */
export function parseForge(v) {
  if (Array.isArray(v)) return { op: 'and', kids: v.map(parseForge) };
  if ('condition' in v) return listLeaf(v);
  const all = Object.entries(v).map(([k, val]) => forgeEntry(k, val));
  if (all.length === 0) return { op: 'const', value: true };
  return all.length === 1 ? all[0] : { op: 'and', kids: all };
}

function forgeEntry(key, val) {
  if (key === 'and' || key === 'or') {
    const kids = Array.isArray(val) ? val.map(parseForge) : Object.entries(val).map(([k, x]) => forgeEntry(k, x));
    return { op: key, kids };
  }
  if (key === 'not') return { op: 'not', kid: parseForge(val) };
  if (Array.isArray(val)) return { op: 'or', kids: val.map((x) => leaf(key, { value: x })) };
  return leaf(key, { value: val });
}

/** Calls f(leaf, positive) on every leaf. */
export function walkLeaves(t, f, positive = true) {
  if (t.op === 'leaf') f(t.leaf, positive);
  else if (t.op === 'not') walkLeaves(t.kid, f, !positive);
  else if (t.op === 'and' || t.op === 'or') for (const k of t.kids) walkLeaves(k, f, positive);
}

// ---------------------------------------------------------------------------------------
// The compiled config.

/**
 * Reads a render-gate config (the workload's subset) into
 * `{ product, guestMode, pending, apps: Map, modules: [], policies }`.
 */
export function compileModel(config) {
  const product = config.product;
  const guestMode = config.guestMode ?? (product === 'confluence' ? 'block-ui' : 'allow');
  const pending = config.onMissingFacts === 'pending';
  const apps = new Map();
  const modules = [];
  for (const a of config.apps) {
    const app = { key: a.key, name: a.name, framework: a.framework, guestAccess: a.guestAccess, modules: new Map() };
    const doc = a.framework === 'connect' ? a.descriptor : a.manifest;
    for (const [type, list] of Object.entries(doc?.modules ?? {})) {
      const kind = CATALOG.get(`${a.framework}:${type}`);
      if (!kind) throw new Error(`bench model: module type ${type} is not in the bench catalog`);
      for (const m of Array.isArray(list) ? list : [list]) {
        const raw = a.framework === 'connect' ? m.conditions : m.displayConditions;
        const tree = raw === undefined ? null : a.framework === 'connect' ? parseConnect(raw) : parseForge(raw);
        let positiveGuest = false;
        if (tree) walkLeaves(tree, (l, pos) => { if (pos && l.kind === 'viewer' && l.test === 'guest') positiveGuest = true; });
        const optedOut = m.allowGuests === false || a.guestAccess === 'block';
        const optedIn = m.allowGuests === true || a.guestAccess === 'allow' || positiveGuest;
        const mod = {
          id: `${a.key}/${m.key}`,
          app: a.key,
          key: m.key,
          type,
          framework: a.framework,
          shape: kind.shape,
          slot: kind.shape === 'slot',
          scope: kind.scope,
          admin: kind.admin,
          guestGated: kind.guest[product],
          optedIn,
          optedOut,
          unlicensedAccess: a.framework === 'forge' ? (m.unlicensedAccess ?? []) : [],
          tree,
        };
        app.modules.set(m.key, mod);
        modules.push(mod);
      }
    }
    apps.set(a.key, app);
  }
  const policies = (config.policies ?? []).map((p) => ({
    id: p.id,
    spaces: p.spaces ?? p.projects,
    access: p.appAccess,
    apps: p.apps ?? [],
  }));
  return { product, guestMode, pending, apps, modules, policies };
}

/** Whether the guest mode blocks a guest-gated module (rule 6). */
export function guestModeBlocks(mode, mod) {
  if (mode === 'block-ui') return true;
  if (mode === 'opt-in') return mod.optedOut || !mod.optedIn;
  return mod.optedOut;
}
