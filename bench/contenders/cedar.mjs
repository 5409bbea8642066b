// Contender: Cedar (@cedar-policy/cedar-wasm), the rules written as Cedar policies over a
// User principal entity and a request context.
//
// Fastest documented path of cedar-wasm 4.x: policy sets are parsed once with
// `preparsePolicySet` (kept inside the wasm) and every decision is one
// `statefulIsAuthorized` call with `validateRequest: false` and no schema. Three ways to lay
// the rules out, all giving the same answers (measured in bench/README.md):
//   shard 'specialized' (default, the fastest): one preparsed set per module, with that
//     module's catalog facts folded in (the rules that cannot apply to it are left out, so
//     the others test only the principal and the context); entities: the principal only;
//   shard 'module': one set per module, the generic rules plus that module's own condition
//     rules, reading a Module resource entity (app, scope, admin, guest flags...);
//   shard 'none': one set for the page, the same generic rules and every module's rules.
// A host keeps one principal entity per viewer (cached here per viewer object) and one
// resource per module (built at compile time); only the call object is made per decision.
//
// Precedence: every rule is a `forbid` whose id starts with its rank (r03-..., r08-...),
// plus one `permit`; Cedar's answer lists the forbids that were satisfied
// (diagnostics.reason), and the lowest rank among them is the reason.
import { R, compileModel, guestModeBlocks, outcomeOf } from '../model.mjs';
import { now, withNonce } from '../util.mjs';

const GLUE_URL = import.meta.resolve('@cedar-policy/cedar-wasm/web');
const WASM_URL = new URL('./cedar_wasm_bg.wasm', GLUE_URL).href;

export async function load(env) {
  const cedar = await import(GLUE_URL);
  const module = await WebAssembly.compile(await env.readBytes(WASM_URL));
  const exports = await cedar.default({ module_or_path: module });
  return { cedar, exports };
}

export function memoryBytes(lib) {
  return lib.exports.memory.buffer.byteLength;
}

export function version(lib) {
  return lib.cedar.getCedarVersion();
}

const str = (s) => JSON.stringify(s); // Cedar string literals escape like JSON for these keys
const set = (xs) => `[${xs.map(str).join(', ')}]`;
const CAN_ADMIN = '(principal.type == "licensed" || principal.type == "unlicensed")';

/** Cedar expressions for "the leaf is true" and "the leaf is false" (three-valued logic). */
function leafTF(l) {
  const known = (k, t, f) => {
    // An unknown built-in is answered by the host's `facts[name]`, if present.
    const has = `context.facts has ${str(l.name)}`;
    const fact = `context.facts[${str(l.name)}]`;
    return [`((${k} && ${t}) || (!(${k}) && ${has} && ${fact}))`, `((${k} && ${f}) || (!(${k}) && ${has} && !${fact}))`];
  };
  switch (l.kind) {
    case 'viewer': {
      const t = {
        loggedIn: 'principal.type != "anonymous"',
        anonymous: 'principal.type == "anonymous"',
        guest: 'principal.type == "guest"',
        licensed: 'principal.type == "licensed"',
        siteAdmin: `(${CAN_ADMIN} && principal.siteAdmin)`,
        admin: `(${CAN_ADMIN} && (principal.productAdmin || principal.siteAdmin))`,
        spaceAdmin: `(${CAN_ADMIN} && principal.spaceAdmin)`,
      }[l.test];
      return [t, `!(${t})`];
    }
    case 'permission': {
      const c = `principal.permissions.contains(${str(l.permission)})`;
      return known('principal has permissions', c, `!${c}`);
    }
    case 'context': {
      const x = `context[${str(l.field)}]`;
      const c = `${set(l.values)}.contains(${x})`;
      return known(`context has ${str(l.field)}`, c, `!${c}`);
    }
    case 'property': {
      const t =
        `(context has properties && context.properties has ${str(l.entity)} && ` +
        `context.properties[${str(l.entity)}] has ${str(l.key)} && ` +
        `context.properties[${str(l.entity)}][${str(l.key)}] == ${typeof l.value === 'string' ? str(l.value) : l.value})`;
      return [t, `!${t}`];
    }
    case 'host': {
      const has = `context.facts has ${str(l.name)}`;
      const fact = `context.facts[${str(l.name)}]`;
      return [`(${has} && ${fact})`, `(${has} && !${fact})`];
    }
  }
  throw new Error(`cedar: unknown leaf ${l.kind}`);
}

function treeTF(t) {
  switch (t.op) {
    case 'const': return t.value ? ['true', 'false'] : ['false', 'true'];
    case 'leaf': return leafTF(t.leaf);
    case 'not': {
      const [a, b] = treeTF(t.kid);
      return [b, a];
    }
    case 'and':
    case 'or': {
      const kids = t.kids.map(treeTF);
      const and = (xs) => `(${xs.join(' && ')})`;
      const or = (xs) => `(${xs.join(' || ')})`;
      const ts = kids.map((k) => k[0]);
      const fs = kids.map((k) => k[1]);
      return t.op === 'and' ? [and(ts), or(fs)] : [or(ts), and(fs)];
    }
  }
  throw new Error(`cedar: unknown node ${t.op}`);
}

const forbid = (when, resource = 'resource') => `forbid(principal, action, ${resource}) when { ${when} };`;

/** The page's policies: the shared rules, and each module's own condition rules. */
export function policiesFor(model) {
  const shared = {
    'r10-permit': 'permit(principal, action, resource);',
    'r00-app-not-installed': forbid('resource.catalog == "no-app"'),
    'r01-module-not-found': forbid('resource.catalog == "no-module"'),
    'r03-admin-product': forbid(`resource.admin == "product" && !(${CAN_ADMIN} && (principal.productAdmin || principal.siteAdmin))`),
    'r03-admin-space': forbid(
      `resource.admin == "space" && !(${CAN_ADMIN} && (principal.spaceAdmin || principal.productAdmin || principal.siteAdmin))`,
    ),
  };
  for (const p of model.policies) {
    const covers = `resource.scope != "global" && context has space && ${set(p.spaces)}.contains(context.space)`;
    if (p.access === 'block-all') shared[`r04-policy-${p.id}`] = forbid(covers);
    if (p.access === 'block-all-except') shared[`r04-policy-${p.id}`] = forbid(`${covers} && !${set(p.apps)}.contains(resource.app)`);
    if (p.access === 'block-only') shared[`r04-policy-${p.id}`] = forbid(`${covers} && ${set(p.apps)}.contains(resource.app)`);
  }
  shared['r05-outside-guest-space'] = forbid(
    'principal.type == "guest" && resource.scope != "global" && context has space && ' +
      '!(principal has guestSpace && principal.guestSpace == context.space)',
  );
  const mode = { 'block-ui': '', 'opt-in': ' && (resource.optedOut || !resource.optedIn)', allow: ' && resource.optedOut' }[model.guestMode];
  shared['r06-guest-blocked'] = forbid(`principal.type == "guest" && resource.guestGated${mode}`);
  shared['r07-unlicensed-access'] = forbid(
    'resource.framework == "forge" && ["anonymous", "customer", "unlicensed"].contains(principal.type) && ' +
      '!resource.unlicensedAccess.contains(principal.type)',
  );
  shared['r09-missing-space'] = forbid('resource.scope == "space" && !(context has space)');
  const own = new Map();
  model.modules.forEach((m, i) => {
    if (!m.tree) return;
    const [t, f] = treeTF(m.tree);
    const res = `resource == Module::${str(m.id)}`;
    own.set(m.id, {
      [`r08-conditions-${i}`]: forbid(f, res),
      [`r09-missing-facts-${i}`]: forbid(`!(${t}) && !(${f})`, res),
    });
  });
  return { shared, own };
}

/**
 * The policy set of one module with its catalog facts folded in (what partial evaluation
 * against the module would give): rules that cannot apply to it are left out, the others
 * test only the principal and the context, so a call needs no resource entity.
 */
export function moduleSpecificPolicies(model, m, own) {
  const ps = { 'r10-permit': 'permit(principal, action, resource);' };
  if (m.admin === 'product') ps['r03-admin-product'] = forbid(`!(${CAN_ADMIN} && (principal.productAdmin || principal.siteAdmin))`);
  if (m.admin === 'space') ps['r03-admin-space'] = forbid(`!(${CAN_ADMIN} && (principal.spaceAdmin || principal.productAdmin || principal.siteAdmin))`);
  if (m.scope !== 'global') {
    for (const p of model.policies) {
      const listed = p.apps.includes(m.app);
      const blocks = p.access === 'block-all' || (p.access === 'block-all-except' && !listed) || (p.access === 'block-only' && listed);
      if (blocks) ps[`r04-policy-${p.id}`] = forbid(`context has space && ${set(p.spaces)}.contains(context.space)`);
    }
    ps['r05-outside-guest-space'] = forbid(
      'principal.type == "guest" && context has space && !(principal has guestSpace && principal.guestSpace == context.space)',
    );
  }
  if (m.guestGated && guestModeBlocks(model.guestMode, m)) ps['r06-guest-blocked'] = forbid('principal.type == "guest"');
  if (m.framework === 'forge') {
    const denied = ['anonymous', 'customer', 'unlicensed'].filter((t) => !m.unlicensedAccess.includes(t));
    if (denied.length) ps['r07-unlicensed-access'] = forbid(`${set(denied)}.contains(principal.type)`);
  }
  if (m.scope === 'space') ps['r09-missing-space'] = forbid('!(context has space)');
  if (m.tree) {
    const [t, f] = treeTF(m.tree);
    ps['r08-conditions'] = forbid(f);
    ps['r09-missing-facts'] = forbid(`!(${t}) && !(${f})`);
  }
  return ps;
}

let psetCounter = 0;

/** Viewer object -> Cedar `User` principal entity, built once per viewer object. */
function principalCache() {
  const principals = new WeakMap();
  let anon = 0;
  return (v) => {
    let p = principals.get(v);
    if (p === undefined) {
      const uid = { type: 'User', id: v.accountId ?? `anonymous-${++anon}` };
      const attrs = { type: v.type, siteAdmin: v.siteAdmin === true, productAdmin: v.productAdmin === true, spaceAdmin: v.spaceAdmin === true };
      if (v.guestSpace !== undefined) attrs.guestSpace = v.guestSpace;
      if (v.permissions !== undefined) attrs.permissions = v.permissions;
      p = { uid, attrs, parents: [] };
      principals.set(v, p);
    }
    return p;
  };
}

export function prepare(lib, config, { shard = 'specialized' } = {}) {
  if (shard === 'specialized') return prepareSpecialized(lib, config);
  const { cedar } = lib;
  const model = compileModel(config);
  const { shared, own } = policiesFor(model);
  const preparse = (policies) => {
    const id = `pset-${++psetCounter}`;
    const ans = cedar.preparsePolicySet(id, { staticPolicies: policies });
    if (ans.type !== 'success') throw new Error(`cedar: policies do not parse: ${JSON.stringify(ans.errors)}`);
    return id;
  };
  const all = { ...shared };
  for (const p of own.values()) Object.assign(all, p);
  const wholeSet = preparse(all);
  const sharedSet = shard === 'module' ? preparse(shared) : wholeSet;

  const modules = new Map(); // app -> module key -> { uid, entity, slot, pset }
  for (const [key, app] of model.apps) {
    const mods = new Map();
    for (const [mk, m] of app.modules) {
      const uid = { type: 'Module', id: m.id };
      const entity = {
        uid,
        attrs: {
          catalog: 'ok', app: key, framework: m.framework, scope: m.scope, admin: m.admin,
          guestGated: m.guestGated, optedIn: m.optedIn, optedOut: m.optedOut, unlicensedAccess: m.unlicensedAccess,
        },
        parents: [],
      };
      const pset = shard === 'module' ? (own.has(m.id) ? preparse({ ...shared, ...own.get(m.id) }) : sharedSet) : wholeSet;
      mods.set(mk, { uid, entity, slot: m.slot, pset });
    }
    modules.set(key, mods);
  }
  const stale = (r, catalog) => {
    const uid = { type: 'Module', id: `${r.app}/${r.module}` };
    return {
      uid, slot: false, pset: sharedSet,
      entity: {
        uid,
        attrs: { catalog, app: r.app, framework: 'none', scope: 'any', admin: '', guestGated: false, optedIn: false, optedOut: false, unlicensedAccess: [] },
        parents: [],
      },
    };
  };

  const principalOf = principalCache();
  const ACTION = { type: 'Action', id: 'render' };
  const rankOf = new Map();
  const rank = (id) => {
    let x = rankOf.get(id);
    if (x === undefined) rankOf.set(id, (x = Number(id.slice(1, 3))));
    return x;
  };

  const decide = (r) => {
    const mods = modules.get(r.app);
    const m = mods === undefined ? stale(r, 'no-app') : mods.get(r.module) ?? stale(r, 'no-module');
    const p = principalOf(r.viewer);
    const context = { facts: r.facts ?? {} };
    if (r.space !== undefined) context.space = r.space;
    const c = r.context;
    if (c !== undefined) {
      if (c.issueType !== undefined) context.issueType = c.issueType;
      if (c.issueKey !== undefined) context.issueKey = c.issueKey;
      if (c.projectType !== undefined) context.projectType = c.projectType;
      if (c.contentType !== undefined) context.contentType = c.contentType;
      if (c.properties !== undefined) context.properties = c.properties;
    }
    const ans = cedar.statefulIsAuthorized({
      principal: p.uid,
      action: ACTION,
      resource: m.uid,
      context,
      preparsedPolicySetId: m.pset,
      validateRequest: false,
      entities: [p, m.entity],
    });
    if (ans.type !== 'success') throw new Error(`cedar: ${JSON.stringify(ans.errors)}`);
    const d = ans.response.diagnostics;
    if (d.errors.length) throw new Error(`cedar: policy error ${JSON.stringify(d.errors[0])}`);
    let best = R.allowed;
    if (ans.response.decision === 'deny') for (const id of d.reason) best = Math.min(best, rank(id));
    return { outcome: outcomeOf(best, m.slot, model.pending), reason: best };
  };

  return {
    run: (requests) => {
      const out = new Array(requests.length);
      for (let i = 0; i < requests.length; i++) out[i] = decide(requests[i]);
      return out;
    },
  };
}

/** One preparsed set per module with its catalog facts folded in; entities: the principal only. */
function prepareSpecialized(lib, config) {
  const { cedar } = lib;
  const model = compileModel(config);
  const preparse = (policies) => {
    const id = `pset-${++psetCounter}`;
    const ans = cedar.preparsePolicySet(id, { staticPolicies: policies });
    if (ans.type !== 'success') throw new Error(`cedar: policies do not parse: ${JSON.stringify(ans.errors)}`);
    return id;
  };
  const permit = 'permit(principal, action, resource);';
  const noApp = { uid: { type: 'Module', id: 'not-installed' }, slot: false, pset: preparse({ 'r10-permit': permit, 'r00-app-not-installed': forbid('true') }) };
  const noModule = { uid: { type: 'Module', id: 'not-found' }, slot: false, pset: preparse({ 'r10-permit': permit, 'r01-module-not-found': forbid('true') }) };
  const modules = new Map();
  for (const [key, app] of model.apps) {
    const mods = new Map();
    for (const [mk, m] of app.modules) {
      mods.set(mk, { uid: { type: 'Module', id: m.id }, slot: m.slot, pset: preparse(moduleSpecificPolicies(model, m)) });
    }
    modules.set(key, mods);
  }
  const principalOf = principalCache();
  const ACTION = { type: 'Action', id: 'render' };
  const decide = (r) => {
    const mods = modules.get(r.app);
    const m = mods === undefined ? noApp : mods.get(r.module) ?? noModule;
    const p = principalOf(r.viewer);
    const context = { facts: r.facts ?? {} };
    if (r.space !== undefined) context.space = r.space;
    const c = r.context;
    if (c !== undefined) {
      if (c.issueType !== undefined) context.issueType = c.issueType;
      if (c.issueKey !== undefined) context.issueKey = c.issueKey;
      if (c.projectType !== undefined) context.projectType = c.projectType;
      if (c.contentType !== undefined) context.contentType = c.contentType;
      if (c.properties !== undefined) context.properties = c.properties;
    }
    const ans = cedar.statefulIsAuthorized({
      principal: p.uid, action: ACTION, resource: m.uid, context,
      preparsedPolicySetId: m.pset, validateRequest: false, entities: [p],
    });
    if (ans.type !== 'success') throw new Error(`cedar: ${JSON.stringify(ans.errors)}`);
    const d = ans.response.diagnostics;
    if (d.errors.length) throw new Error(`cedar: policy error ${JSON.stringify(d.errors[0])}`);
    let best = R.allowed;
    if (ans.response.decision === 'deny') for (const id of d.reason) best = Math.min(best, Number(id.slice(1, 3)));
    return { outcome: outcomeOf(best, m.slot, model.pending), reason: best };
  };
  return {
    run: (requests) => {
      const out = new Array(requests.length);
      for (let i = 0; i < requests.length; i++) out[i] = decide(requests[i]);
      return out;
    },
  };
}

/** One cold start (fetch excluded): compile + instantiate the wasm, preparse the policies. */
export async function coldStart(env, config, firstRequests, k) {
  const glue = await import(`${GLUE_URL}?cold=${k}`);
  const bytes = withNonce(await env.readBytes(WASM_URL), k);
  const t0 = now();
  const module = await WebAssembly.compile(bytes);
  const t1 = now();
  const exports = await glue.default({ module_or_path: module });
  const t2 = now();
  const runner = prepare({ cedar: glue, exports }, config);
  const t3 = now();
  runner.run(firstRequests);
  const t4 = now();
  prepare({ cedar: glue, exports }, config);
  const t5 = now();
  return { compile: t1 - t0, instantiate: t2 - t1, build: t3 - t2, ready: t3 - t0, first: t4 - t3, buildAgain: t5 - t4 };
}
