// Contender: CASL (@casl/ability) with MongoDB-style conditions.
//
// One ability for the page, built once from the config: `can('render', 'all')`, then one
// `cannot` rule per blocking rule, in reverse precedence order (CASL gives later rules
// priority, and `relevantRuleFor` returns the highest-priority matching rule, whose `rank`
// is the reason). Each module is its own subject type, so CASL's rule index hands a module
// only the shared rules plus its own condition rules. The subject is built per request from
// the request's own objects (viewer, context, facts) and the module's catalog attributes.
//
// CASL's default matcher has no $and / $or / $nor: the documented way to add them is
// `buildMongoQueryMatcher` with @ucast/mongo2js's instructions and interpreters (done here).
// Mongo queries cannot compare two fields of the subject, so the one such test, "is the
// guest outside their guest space" (rule 5), is computed while building the subject.
import { createMongoAbility, buildMongoQueryMatcher } from '@casl/ability';
import { $and, $or, $nor, and, or, nor } from '@ucast/mongo2js';
import { R, compileModel, outcomeOf } from '../model.mjs';
import { jsColdStart } from '../util.mjs';

export async function load() {
  return {};
}

const CAN_ADMIN = { 'v.type': { $in: ['licensed', 'unlicensed'] } };
const not = (q) => ({ $nor: [q] });

/** Mongo queries for "the leaf is true" and "the leaf is false" (three-valued logic). */
function leafTF(l) {
  const fact = `facts.${l.name}`;
  // An unknown built-in is answered by the host's `facts[name]`, if present.
  const known = (field, t, f) => [
    { $or: [t, { [field]: { $exists: false }, [fact]: true }] },
    { $or: [f, { [field]: { $exists: false }, [fact]: false }] },
  ];
  switch (l.kind) {
    case 'viewer': {
      const t = {
        loggedIn: { 'v.type': { $ne: 'anonymous' } },
        anonymous: { 'v.type': 'anonymous' },
        guest: { 'v.type': 'guest' },
        licensed: { 'v.type': 'licensed' },
        siteAdmin: { ...CAN_ADMIN, 'v.siteAdmin': true },
        admin: { ...CAN_ADMIN, $or: [{ 'v.productAdmin': true }, { 'v.siteAdmin': true }] },
        spaceAdmin: { ...CAN_ADMIN, 'v.spaceAdmin': true },
      }[l.test];
      return [t, not(t)];
    }
    case 'permission':
      return known(
        'v.permissions',
        { 'v.permissions': l.permission },
        { 'v.permissions': { $exists: true, $ne: l.permission } },
      );
    case 'context': {
      const field = l.field === 'space' ? 'rawSpace' : `ctx.${l.field}`;
      return known(field, { [field]: { $in: l.values } }, { [field]: { $exists: true, $nin: l.values } });
    }
    case 'property': {
      const t = { [`ctx.properties.${l.entity}.${l.key}`]: l.value };
      return [t, not(t)];
    }
    case 'host':
      return [{ [fact]: true }, { [fact]: false }];
  }
  throw new Error(`casl: unknown leaf ${l.kind}`);
}

function treeTF(t) {
  switch (t.op) {
    case 'leaf': return leafTF(t.leaf);
    case 'not': {
      const [a, b] = treeTF(t.kid);
      return [b, a];
    }
    case 'and':
    case 'or': {
      const kids = t.kids.map(treeTF);
      const ts = kids.map((k) => k[0]);
      const fs = kids.map((k) => k[1]);
      return t.op === 'and' ? [{ $and: ts }, { $or: fs }] : [{ $or: ts }, { $and: fs }];
    }
  }
  throw new Error(`casl: unsupported node ${t.op}`);
}

/** Raw CASL rules, lowest priority first. */
export function rulesFor(model) {
  const rules = [];
  const cannot = (rank, subject, conditions) =>
    rules.push({ action: 'render', subject, inverted: true, conditions, rank, reason: REASON[rank] });
  rules.push({ action: 'render', subject: 'all', rank: R.allowed, reason: 'allowed' });
  // Rules 9 and 8, per module (its own subject type).
  cannot(R.missingFacts, 'all', { 'm.scope': 'space', space: { $exists: false } });
  for (const m of model.modules) {
    if (!m.tree) continue;
    const [t, f] = treeTF(m.tree);
    cannot(R.missingFacts, m.id, { $nor: [t, f] });
    cannot(R.conditionsFalse, m.id, f);
  }
  // Rule 7: a Forge module for a viewer without a licence that `unlicensedAccess` does not list.
  for (const type of ['anonymous', 'customer', 'unlicensed']) {
    cannot(R.unlicensedAccess, 'all', { 'm.framework': 'forge', 'v.type': type, 'm.unlicensedAccess': { $nin: [type] } });
  }
  // Rule 6: the guest mode.
  const mode = {
    'block-ui': {},
    'opt-in': { $or: [{ 'm.optedOut': true }, { 'm.optedIn': false }] },
    allow: { 'm.optedOut': true },
  }[model.guestMode];
  cannot(R.guestBlocked, 'all', { 'v.type': 'guest', 'm.guestGated': true, ...mode });
  // Rule 5.
  cannot(R.outsideGuestSpace, 'all', { guestOutside: true });
  // Rule 4, in reverse config order so that the first blocking policy has priority.
  for (const p of [...model.policies].reverse()) {
    const covers = { space: { $in: p.spaces } };
    if (p.access === 'block-all') cannot(R.blockedByPolicy, 'all', covers);
    if (p.access === 'block-all-except') cannot(R.blockedByPolicy, 'all', { ...covers, 'm.app': { $nin: p.apps } });
    if (p.access === 'block-only') cannot(R.blockedByPolicy, 'all', { ...covers, 'm.app': { $in: p.apps } });
  }
  // Rule 3.
  cannot(R.adminOnly, 'all', { 'm.admin': 'space', ...not({ ...CAN_ADMIN, $or: [{ 'v.spaceAdmin': true }, { 'v.productAdmin': true }, { 'v.siteAdmin': true }] }) });
  cannot(R.adminOnly, 'all', { 'm.admin': 'product', ...not({ ...CAN_ADMIN, $or: [{ 'v.productAdmin': true }, { 'v.siteAdmin': true }] }) });
  // Rule 1.
  cannot(R.moduleNotFound, 'all', { 'm.catalog': 'no-module' });
  cannot(R.appNotInstalled, 'all', { 'm.catalog': 'no-app' });
  return rules;
}

const REASON = ['app-not-installed', 'module-not-found', 'not-a-ui-module', 'admin-only', 'blocked-by-policy',
  'outside-guest-space', 'guest-blocked', 'unlicensed-access', 'conditions-false', 'missing-facts', 'allowed'];

const conditionsMatcher = buildMongoQueryMatcher({ $and, $or, $nor }, { and, or, nor });

export function prepare(_lib, config) {
  const model = compileModel(config);
  const ability = createMongoAbility(rulesFor(model), { conditionsMatcher, detectSubjectType: (s) => s.type });
  const modules = new Map();
  for (const [key, app] of model.apps) {
    const mods = new Map();
    for (const [mk, m] of app.modules) {
      mods.set(mk, {
        type: m.id,
        global: m.scope === 'global',
        slot: m.slot,
        attrs: {
          catalog: 'ok', app: key, framework: m.framework, scope: m.scope, admin: m.admin,
          guestGated: m.guestGated, optedIn: m.optedIn, optedOut: m.optedOut, unlicensedAccess: m.unlicensedAccess,
        },
      });
    }
    modules.set(key, mods);
  }
  const stale = (catalog) => ({ type: 'stale', global: false, slot: false, attrs: { catalog, app: '', scope: 'any', admin: '' } });
  const NO_APP = stale('no-app');
  const NO_MODULE = stale('no-module');

  const decide = (r) => {
    const mods = modules.get(r.app);
    const m = mods === undefined ? NO_APP : mods.get(r.module) ?? NO_MODULE;
    const v = r.viewer;
    const subject = {
      type: m.type,
      v,
      m: m.attrs,
      ctx: r.context,
      facts: r.facts,
      guestOutside: v.type === 'guest' && !m.global && r.space !== undefined && v.guestSpace !== r.space,
    };
    // ucast's $exists tests for the key, so absent values must be absent keys.
    if (r.space !== undefined) {
      subject.rawSpace = r.space;
      if (!m.global) subject.space = r.space;
    }
    const rule = ability.relevantRuleFor('render', subject);
    const rank = rule.origin.rank;
    return { outcome: outcomeOf(rank, m.slot, model.pending), reason: rank };
  };
  return {
    run: (requests) => {
      const out = new Array(requests.length);
      for (let i = 0; i < requests.length; i++) out[i] = decide(requests[i]);
      return out;
    },
  };
}

/** One cold start: build the ability from the config, then a first small page. */
export const coldStart = (_env, config, firstRequests) => jsColdStart(prepare, config, firstRequests);
