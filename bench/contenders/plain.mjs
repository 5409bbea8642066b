// Contender: a hand-written plain-JS evaluator of the benchmark's rules, the practical
// lower bound. It compiles the config once into Maps and one closure per condition leaf,
// then decides each request with the same ten-rule pipeline as render-gate (bench/README.md
// lists what it does not do: validation, bounded input, messages, traces).
import { R, compileModel, guestModeBlocks, outcomeOf } from '../model.mjs';
import { jsColdStart } from '../util.mjs';

export const name = 'plain JS';

const T = 1;
const F = 0;
const U = 2;

const canAdmin = (v) => v.type === 'licensed' || v.type === 'unlicensed';

function leafFn(l) {
  const name = l.name;
  // An unknown built-in, or a host fact: the host may answer it by name in `facts`.
  const fallback = (r) => {
    const f = r.facts === undefined ? undefined : r.facts[name];
    return f === true ? T : f === false ? F : U;
  };
  switch (l.kind) {
    case 'viewer':
      switch (l.test) {
        case 'loggedIn': return (r) => (r.viewer.type !== 'anonymous' ? T : F);
        case 'anonymous': return (r) => (r.viewer.type === 'anonymous' ? T : F);
        case 'guest': return (r) => (r.viewer.type === 'guest' ? T : F);
        case 'licensed': return (r) => (r.viewer.type === 'licensed' ? T : F);
        case 'siteAdmin': return (r) => (canAdmin(r.viewer) && r.viewer.siteAdmin === true ? T : F);
        case 'admin': return (r) => (canAdmin(r.viewer) && (r.viewer.productAdmin === true || r.viewer.siteAdmin === true) ? T : F);
        case 'spaceAdmin': return (r) => (canAdmin(r.viewer) && r.viewer.spaceAdmin === true ? T : F);
      }
      break;
    case 'permission': {
      const p = l.permission;
      return (r) => {
        const list = r.viewer.permissions;
        if (list === undefined) return fallback(r);
        return list.includes(p) ? T : F;
      };
    }
    case 'context': {
      const { field, values } = l;
      return (r) => {
        const x = field === 'space' ? r.space : r.context === undefined ? undefined : r.context[field];
        if (x === undefined) return fallback(r);
        return values.includes(x) ? T : F;
      };
    }
    case 'property': {
      const { entity, key, value } = l;
      return (r) => {
        const props = r.context === undefined ? undefined : r.context.properties;
        const e = props === undefined ? undefined : props[entity];
        return e !== undefined && e[key] === value ? T : F;
      };
    }
    case 'host':
      return fallback;
  }
  throw new Error(`plain: unknown leaf ${JSON.stringify(l)}`);
}

/** A condition tree as one closure returning T, F or U (short-circuits like render-gate). */
function treeFn(t) {
  switch (t.op) {
    case 'const': return t.value ? () => T : () => F;
    case 'leaf': return leafFn(t.leaf);
    case 'not': {
      const k = treeFn(t.kid);
      return (r) => {
        const x = k(r);
        return x === U ? U : x === T ? F : T;
      };
    }
    case 'and': {
      const ks = t.kids.map(treeFn);
      return (r) => {
        let acc = T;
        for (let i = 0; i < ks.length; i++) {
          const x = ks[i](r);
          if (x === F) return F;
          if (x === U) acc = U;
        }
        return acc;
      };
    }
    case 'or': {
      const ks = t.kids.map(treeFn);
      return (r) => {
        let acc = F;
        for (let i = 0; i < ks.length; i++) {
          const x = ks[i](r);
          if (x === T) return T;
          if (x === U) acc = U;
        }
        return acc;
      };
    }
  }
  throw new Error(`plain: unknown node ${t.op}`);
}

export function prepare(_lib, config) {
  const model = compileModel(config);
  const pending = model.pending;
  const apps = new Map();
  for (const [key, app] of model.apps) {
    const mods = new Map();
    for (const [mk, m] of app.modules) {
      mods.set(mk, {
        slot: m.slot,
        global: m.scope === 'global',
        needsSpace: m.scope === 'space',
        admin: m.admin === 'product' ? 1 : m.admin === 'space' ? 2 : 0,
        guestBlocked: m.guestGated && guestModeBlocks(model.guestMode, m),
        forge: m.framework === 'forge',
        unlicensed: m.unlicensedAccess,
        cond: m.tree ? treeFn(m.tree) : null,
        app: key,
      });
    }
    apps.set(key, mods);
  }
  // space -> the policies covering it, in config order, as "does it block app X?" closures.
  const bySpace = new Map();
  for (const p of model.policies) {
    const listed = new Set(p.apps);
    const blocks =
      p.access === 'block-all' ? () => true
      : p.access === 'block-all-except' ? (app) => !listed.has(app)
      : p.access === 'block-only' ? (app) => listed.has(app)
      : () => false;
    for (const s of p.spaces) {
      if (!bySpace.has(s)) bySpace.set(s, []);
      bySpace.get(s).push(blocks);
    }
  }

  let slot = false; // the last decided module's shape (placeholder vs hide)
  const decide = (r) => {
    slot = false;
    const mods = apps.get(r.app);
    if (mods === undefined) return R.appNotInstalled;
    const m = mods.get(r.module);
    if (m === undefined) return R.moduleNotFound;
    slot = m.slot;
    const v = r.viewer;
    const space = m.global ? undefined : r.space;
    let missing = m.needsSpace && space === undefined;
    if (m.admin === 1 && !(canAdmin(v) && (v.productAdmin === true || v.siteAdmin === true))) return R.adminOnly;
    if (m.admin === 2 && !(canAdmin(v) && (v.spaceAdmin === true || v.productAdmin === true || v.siteAdmin === true))) return R.adminOnly;
    if (space !== undefined) {
      const ps = bySpace.get(space);
      if (ps !== undefined) for (let i = 0; i < ps.length; i++) if (ps[i](m.app)) return R.blockedByPolicy;
    }
    if (v.type === 'guest') {
      if (space !== undefined && v.guestSpace !== space) return R.outsideGuestSpace;
      if (m.guestBlocked) return R.guestBlocked;
    }
    if (m.forge && (v.type === 'anonymous' || v.type === 'customer' || v.type === 'unlicensed') && !m.unlicensed.includes(v.type)) {
      return R.unlicensedAccess;
    }
    if (m.cond !== null) {
      const t = m.cond(r);
      if (t === F) return R.conditionsFalse;
      if (t === U) missing = true;
    }
    return missing ? R.missingFacts : R.allowed;
  };

  const run = (requests) => {
    const out = new Array(requests.length);
    for (let i = 0; i < requests.length; i++) {
      const rank = decide(requests[i]);
      out[i] = { outcome: outcomeOf(rank, slot, pending), reason: rank };
    }
    return out;
  };
  return { run };
}

export async function load() {
  return {};
}

/** One cold start: build the rules from the config, then a first small page. */
export const coldStart = (_env, config, firstRequests) => jsColdStart(prepare, config, firstRequests);
