//! Property tests: the gate fails closed for generated configs, viewers and requests.
//!
//! Every property builds configs as JSON (the way hosts write them), compiles them with
//! [`Gate::new`] and decides generated requests with [`Gate::decide_value`]. What is
//! checked, and the number of generated cases for each (see `cases`):
//!
//! | property | cases |
//! |---|---|
//! | a guest never gets `render` in a space other than their guest space | 256 |
//! | an app blocked by a covering policy never gets `render` there, for any viewer | 256 |
//! | adding a blocking policy never turns a non-`render` into `render` | 256 |
//! | a stricter guest mode (allow -> opt-in -> block-ui) never adds a `render` | 256 |
//! | removing a fact from `facts` never turns a non-`render` into `render` | 256 |
//! | `decide_all` equals `decide_value` one by one; decisions are deterministic | 256 |
//! | `discoverable_macros` is exactly the macros that would `render` | 256 |
//! | Connect and Forge syntaxes of the same tree decide the same | 512 |
//! | placeholder HTML never carries unescaped input | 256 |
//!
//! Each case decides tens to hundreds of requests (every module of the config, for every
//! generated viewer, in every space and outside any space).

#![cfg(not(target_arch = "wasm32"))]
// Tests may panic: a failed assertion is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::test_runner::Config as PropConfig;
use render_gate::{
    lookup_module_type, Decision, Framework, Gate, Outcome, Product, Reason, Scope, Value, MODULE_TYPES,
};
use serde_json::{json, Map, Value as Json};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

const SPACES: [&str; 3] = ["ENG", "FIN", "OPS"];
/// Names a request's `facts` may answer: host facts, and the two spellings of a built-in
/// condition that is unknown without a permissions list.
const FACT_NAMES: [&str; 5] = ["flag_a", "flag_b", "flag_c", "has_project_permission", "hasProjectPermission"];
const PERMISSIONS: [&str; 3] = ["BROWSE_PROJECTS", "EDIT_ISSUES", "ADMINISTER"];

fn cases(n: u32) -> PropConfig {
    // No regression files: failures are turned into named tests by hand.
    PropConfig { cases: n, failure_persistence: None, ..PropConfig::default() }
}

fn to_value(j: &Json) -> Value {
    serde_json::from_value(j.clone()).unwrap()
}

fn compile(config: &Json) -> Gate {
    Gate::new(&to_value(config)).unwrap_or_else(|e| panic!("generated config does not compile: {e:?}\n{config:#}"))
}

/// A tiny deterministic generator for syntax choices (which spelling of AND, etc.).
struct Style(u64);

impl Style {
    fn next(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.0 | 1;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33
    }
    fn pick(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn coin(&mut self) -> bool {
        self.pick(2) == 0
    }
}

// ---------------------------------------------------------------------------------------
// Condition trees, written in both syntaxes
// ---------------------------------------------------------------------------------------

/// A logical condition tree over [`LEAVES`].
#[derive(Debug, Clone)]
enum T {
    Leaf(usize),
    Not(Box<T>),
    And(Vec<T>),
    Or(Vec<T>),
}

/// How a leaf takes its argument.
#[derive(Clone, Copy)]
enum Arg {
    /// A boolean built-in (Forge `name: true`; `name: false` negates).
    Bool,
    /// A host fact (Forge `name: true`).
    Host,
    /// A parameter object: Connect `params`, Forge `name: {params}`.
    Params(&'static str),
}

/// One leaf: Connect name, Forge name, argument.
const LEAVES: [(&str, &str, Arg); 13] = [
    ("user_is_logged_in", "isLoggedIn", Arg::Bool),
    ("user_is_anonymous", "isAnonymous", Arg::Bool),
    ("is_jira_guest", "isJiraGuest", Arg::Bool),
    ("user_is_external_collaborator", "userIsExternalCollaborator", Arg::Bool),
    ("user_is_admin", "isAdmin", Arg::Bool),
    ("user_is_sysadmin", "isSiteAdmin", Arg::Bool),
    ("user_is_space_admin", "isSpaceAdmin", Arg::Bool),
    ("can_use_application", "isLicensed", Arg::Bool),
    ("has_project_permission", "hasProjectPermission", Arg::Params(r#"{"permission":"BROWSE_PROJECTS"}"#)),
    ("issue_type", "issueType", Arg::Params(r#"{"issueType":"Bug"}"#)),
    (
        "entity_property_equal_to",
        "entityPropertyEqualTo",
        Arg::Params(r#"{"entity":"issue","propertyKey":"acme-enabled","value":"true"}"#),
    ),
    ("flag_a", "flag_a", Arg::Host),
    ("flag_b", "flag_b", Arg::Host),
];

fn tree() -> impl Strategy<Value = T> {
    let leaf = (0..LEAVES.len()).prop_map(T::Leaf);
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|t| T::Not(Box::new(t))),
            prop::collection::vec(inner.clone(), 1..4).prop_map(T::And),
            prop::collection::vec(inner, 1..4).prop_map(T::Or),
        ]
    })
}

fn params(arg: Arg) -> Option<Json> {
    match arg {
        Arg::Params(p) => Some(serde_json::from_str(p).unwrap()),
        _ => None,
    }
}

/// Connect `conditions`: negation only on leaves (`invert`), so push `not` down with De
/// Morgan (valid in three-valued logic too). A bare list (AND) only at the top.
fn connect(t: &T, negate: bool, s: &mut Style) -> Json {
    connect_at(t, negate, s, true)
}

fn connect_at(t: &T, negate: bool, s: &mut Style, top: bool) -> Json {
    match t {
        T::Leaf(i) => {
            let (name, _, arg) = LEAVES[*i];
            let mut o = Map::new();
            o.insert("condition".into(), json!(name));
            if negate || s.coin() {
                o.insert("invert".into(), json!(negate));
            }
            if let Some(p) = params(arg) {
                o.insert("params".into(), p);
            }
            Json::Object(o)
        }
        T::Not(x) => connect_at(x, !negate, s, top),
        T::And(xs) | T::Or(xs) => {
            let is_and = matches!(t, T::And(_)) != negate;
            let items: Vec<Json> = xs.iter().map(|x| connect_at(x, negate, s, false)).collect();
            if is_and {
                match s.pick(3) {
                    0 if top => Json::Array(items),
                    0 => json!({ "and": items }),
                    1 => json!({ "and": items }),
                    _ => json!({ "type": "AND", "conditions": items }),
                }
            } else {
                match s.pick(3) {
                    0 => json!({ "or": items }),
                    1 => json!({ "type": "OR", "conditions": items }),
                    _ => json!({ "type": "or", "conditions": items }),
                }
            }
        }
    }
}

/// Forge `displayConditions`, with `not`, `name: false` (booleans and host facts), the list form
/// (`{condition, invert}`) and both spellings of AND.
fn forge(t: &T, s: &mut Style) -> Json {
    match t {
        T::Leaf(i) => forge_leaf(*i, false, s),
        T::Not(x) => match &**x {
            T::Leaf(i) if s.coin() => forge_leaf(*i, true, s),
            inner => json!({ "not": forge(inner, s) }),
        },
        T::And(xs) => {
            let items: Vec<Json> = xs.iter().map(|x| forge(x, s)).collect();
            if s.coin() {
                Json::Array(items)
            } else {
                json!({ "and": items })
            }
        }
        T::Or(xs) => json!({ "or": xs.iter().map(|x| forge(x, s)).collect::<Vec<_>>() }),
    }
}

fn forge_leaf(i: usize, negate: bool, s: &mut Style) -> Json {
    let (_, name, arg) = LEAVES[i];
    // The list form of RFC-112's examples.
    if s.pick(4) == 0 {
        let mut o = Map::new();
        o.insert("condition".into(), json!(name));
        if negate || s.coin() {
            o.insert("invert".into(), json!(negate));
        }
        if let Some(p) = params(arg) {
            o.insert("params".into(), p);
        }
        return Json::Object(o);
    }
    let positive = match arg {
        Arg::Bool => {
            if negate {
                // `isAdmin: false` is the Forge spelling of "not an admin".
                return json!({ name: false });
            }
            json!({ name: true })
        }
        Arg::Host => {
            if negate && s.coin() {
                // A host fact is a boolean too: `flag: false` means "flag is false".
                return json!({ name: false });
            }
            json!({ name: true })
        }
        Arg::Params(_) => json!({ name: params(arg).unwrap() }),
    };
    if negate {
        json!({ "not": positive })
    } else {
        positive
    }
}

// ---------------------------------------------------------------------------------------
// Generated configs
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct ModSpec {
    type_pick: usize,
    unknown_type: bool,
    cond: Option<T>,
    allow_guests: Option<bool>,
    unlicensed: Vec<usize>,
    style: u64,
}

#[derive(Debug, Clone)]
struct AppSpec {
    forge: bool,
    name: String,
    guest_access: Option<usize>,
    modules: Vec<ModSpec>,
}

#[derive(Debug, Clone)]
struct PolicySpec {
    spaces: Vec<usize>,
    access: usize,
    apps: Vec<usize>,
}

#[derive(Debug, Clone)]
struct ConfigSpec {
    product: usize,
    guest_mode: Option<usize>,
    pending: bool,
    apps: Vec<AppSpec>,
    policies: Vec<PolicySpec>,
}

/// A module type: one in three from the whole catalog of the framework (any product, so
/// some are unknown in the config's product), else one the product gates for guests.
fn module_type(forge: bool, product: usize, pick: usize, unknown: bool) -> String {
    if unknown {
        return if forge { "acme:madeUpModule".into() } else { "madeUpModules".into() };
    }
    const CURATED: [[&[&str]; 2]; 2] = [
        [
            &[
                "dynamicContentMacros",
                "staticContentMacros",
                "webItems",
                "webPanels",
                "generalPages",
                "customContent",
                "contentBylineItems",
            ],
            &["webItems", "webPanels", "generalPages", "customContent", "jiraIssueGlances", "jiraProjectPages"],
        ],
        [
            &[
                "macro",
                "confluence:globalPage",
                "confluence:contentBylineItem",
                "confluence:spacePage",
                "confluence:contextMenu",
            ],
            &["jira:issuePanel", "jira:issueAction", "jira:globalPage", "jira:projectPage", "jira:issueGlance"],
        ],
    ];
    let fw = if forge { Framework::Forge } else { Framework::Connect };
    if pick % 3 == 0 {
        let all: Vec<&str> = MODULE_TYPES.iter().filter(|m| m.framework == fw).map(|m| m.name).collect();
        all[(pick / 3) % all.len()].to_owned()
    } else {
        let list = CURATED[usize::from(forge)][product];
        list[(pick / 3) % list.len()].to_owned()
    }
}

const ACCESS: [&str; 4] = ["allow-all", "block-all", "block-all-except", "block-only"];

impl PolicySpec {
    fn json(&self, id: &str) -> Json {
        let spaces: Vec<&str> = self.spaces.iter().map(|&i| SPACES[i]).collect();
        let mut p =
            json!({ "id": id, "name": format!("Policy {id}"), "spaces": spaces, "appAccess": ACCESS[self.access] });
        if self.access >= 2 {
            p["apps"] = json!(self.apps.iter().map(|&a| app_key(a)).collect::<Vec<_>>());
        }
        p
    }
    /// Whether this policy blocks `app` in `space` (RFC-14), computed here independently.
    fn blocks(&self, app: &str, space: &str) -> bool {
        if !self.spaces.iter().any(|&i| SPACES[i] == space) {
            return false;
        }
        let listed = self.access >= 2 && self.apps.iter().any(|&a| app_key(a) == app);
        match self.access {
            0 => false,
            1 => true,
            2 => !listed,
            _ => listed,
        }
    }
}

fn app_key(i: usize) -> String {
    if i >= 4 {
        "ghost.app".to_owned()
    } else {
        format!("com.acme.app{i}")
    }
}

impl ConfigSpec {
    fn product(&self) -> Product {
        if self.product == 0 {
            Product::Confluence
        } else {
            Product::Jira
        }
    }

    fn json_with(&self, guest_mode: Option<&str>, extra_policy: Option<&PolicySpec>) -> Json {
        let mut cfg = json!({ "product": (["confluence", "jira"][self.product]), "apps": [] });
        if let Some(m) = guest_mode {
            cfg["guestMode"] = json!(m);
        }
        if self.pending {
            cfg["onMissingFacts"] = json!("pending");
        }
        let apps: Vec<Json> = self.apps.iter().enumerate().map(|(i, a)| a.json(&app_key(i), self.product)).collect();
        cfg["apps"] = Json::Array(apps);
        let mut policies: Vec<Json> = self.policies.iter().enumerate().map(|(i, p)| p.json(&format!("p{i}"))).collect();
        if let Some(p) = extra_policy {
            policies.push(p.json("added"));
        }
        if !policies.is_empty() || self.product == 1 {
            cfg["policies"] = Json::Array(policies);
        }
        cfg
    }

    fn json(&self) -> Json {
        let mode = self.guest_mode.map(|m| ["block-ui", "opt-in", "allow"][m]);
        self.json_with(mode, None)
    }

    /// Every (app key, module key, type name, framework) of the config, plus two that do
    /// not exist.
    fn targets(&self) -> Vec<Target> {
        let mut out = Vec::new();
        for (i, a) in self.apps.iter().enumerate() {
            for (j, m) in a.modules.iter().enumerate() {
                out.push(Target {
                    app: app_key(i),
                    module: format!("m{j}"),
                    type_name: Some(module_type(a.forge, self.product, m.type_pick, m.unknown_type)),
                    framework: if a.forge { Framework::Forge } else { Framework::Connect },
                });
            }
        }
        out.push(Target {
            app: "ghost.app".into(),
            module: "m0".into(),
            type_name: None,
            framework: Framework::Connect,
        });
        out.push(Target { app: app_key(0), module: "nope".into(), type_name: None, framework: Framework::Connect });
        out
    }
}

impl AppSpec {
    fn json(&self, key: &str, product: usize) -> Json {
        let mut modules = Map::new();
        for (j, m) in self.modules.iter().enumerate() {
            let t = module_type(self.forge, product, m.type_pick, m.unknown_type);
            let mut s = Style(m.style);
            let mut mj = json!({ "key": format!("m{j}") });
            if let Some(c) = &m.cond {
                if self.forge {
                    mj["displayConditions"] = forge(c, &mut s);
                } else {
                    mj["conditions"] = connect(c, false, &mut s);
                }
            }
            if let Some(g) = m.allow_guests {
                mj["allowGuests"] = json!(g);
            }
            if self.forge && !m.unlicensed.is_empty() {
                let kinds = ["anonymous", "customer", "unlicensed"];
                mj["unlicensedAccess"] = json!(m.unlicensed.iter().map(|&k| kinds[k]).collect::<Vec<_>>());
            }
            modules.entry(t).or_insert_with(|| json!([])).as_array_mut().unwrap().push(mj);
        }
        let doc = json!({ "modules": modules });
        let mut a = json!({ "key": key, "name": self.name, "framework": if self.forge { "forge" } else { "connect" } });
        a[if self.forge { "manifest" } else { "descriptor" }] = doc;
        if let Some(g) = self.guest_access {
            a["guestAccess"] = json!(["allow", "block"][g]);
        }
        a
    }
}

#[derive(Debug, Clone)]
struct Target {
    app: String,
    module: String,
    type_name: Option<String>,
    framework: Framework,
}

fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 <>&\"'`=/{}é😀]{1,24}",
        Just("<script>alert(1)</script>".to_owned()),
        Just("\"><img src=x onerror=alert(1)>".to_owned()),
        Just("' onmouseover='alert(1)".to_owned()),
        Just("&lt;b&gt; &amp;amp; &#60;".to_owned()),
        Just("{app} {policy} {product} <{app}>".to_owned()),
        Just("`${alert(1)}`".to_owned()),
    ]
}

fn module_spec() -> impl Strategy<Value = ModSpec> {
    (
        any::<usize>(),
        prop::bool::weighted(0.05),
        prop::option::weighted(0.6, tree()),
        prop::option::of(any::<bool>()),
        prop::collection::vec(0..3usize, 0..3),
        any::<u64>(),
    )
        .prop_map(|(type_pick, unknown_type, cond, allow_guests, unlicensed, style)| ModSpec {
            type_pick,
            unknown_type,
            cond,
            allow_guests,
            unlicensed,
            style,
        })
}

fn app_spec() -> impl Strategy<Value = AppSpec> {
    (any::<bool>(), nasty_text(), prop::option::of(0..2usize), prop::collection::vec(module_spec(), 1..4))
        .prop_map(|(forge, name, guest_access, modules)| AppSpec { forge, name, guest_access, modules })
}

fn policy_spec() -> impl Strategy<Value = PolicySpec> {
    (prop::collection::vec(0..3usize, 1..3), 0..4usize, prop::collection::vec(0..5usize, 0..3))
        .prop_map(|(spaces, access, apps)| PolicySpec { spaces, access, apps })
}

fn blocking_policy() -> impl Strategy<Value = PolicySpec> {
    policy_spec().prop_map(|mut p| {
        if p.access == 0 {
            p.access = 1;
        }
        p
    })
}

fn config_spec() -> impl Strategy<Value = ConfigSpec> {
    (
        0..2usize,
        prop::option::of(0..3usize),
        any::<bool>(),
        prop::collection::vec(app_spec(), 1..4),
        prop::collection::vec(policy_spec(), 0..3),
    )
        .prop_map(|(product, guest_mode, pending, apps, policies)| ConfigSpec {
            product,
            guest_mode,
            pending,
            apps,
            policies,
        })
}

// ---------------------------------------------------------------------------------------
// Generated viewers and requests
// ---------------------------------------------------------------------------------------

const VIEWER_TYPES: [&str; 5] = ["licensed", "guest", "anonymous", "customer", "unlicensed"];

fn viewer() -> impl Strategy<Value = Json> {
    (
        0..5usize,
        prop::option::of(0..3usize),
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
        prop::option::of(prop::collection::vec(0..3usize, 0..3)),
        any::<bool>(),
    )
        .prop_map(|(t, guest_space, site, product, space, perms, alias)| {
            let mut v = json!({ "type": VIEWER_TYPES[t] });
            if let Some(g) = guest_space {
                v[if alias { "guestProject" } else { "guestSpace" }] = json!(SPACES[g]);
            }
            for (k, b) in [("siteAdmin", site), ("productAdmin", product), ("spaceAdmin", space)] {
                if let Some(b) = b {
                    v[k] = json!(b);
                }
            }
            if let Some(p) = perms {
                v["permissions"] = json!(p.iter().map(|&i| PERMISSIONS[i]).collect::<Vec<_>>());
            }
            v
        })
}

fn facts() -> impl Strategy<Value = Map<String, Json>> {
    prop::collection::vec((0..FACT_NAMES.len(), any::<bool>()), 0..5).prop_map(|fs| {
        let mut m = Map::new();
        for (i, b) in fs {
            m.insert(FACT_NAMES[i].to_owned(), json!(b));
        }
        m
    })
}

fn context() -> impl Strategy<Value = Option<Json>> {
    prop::option::of((prop::option::of(0..2usize), prop::option::of(0..3usize))).prop_map(|c| {
        c.map(|(issue_type, prop)| {
            let mut ctx = json!({});
            if let Some(t) = issue_type {
                ctx["issueType"] = json!(["Bug", "Task"][t]);
            }
            if let Some(p) = prop {
                ctx["properties"] =
                    json!({ "issue": { "acme-enabled": ([json!(true), json!(false), json!("true")][p].clone()) } });
            }
            ctx
        })
    })
}

/// The things every request of a case shares besides its target.
#[derive(Debug, Clone)]
struct Extras {
    viewers: Vec<Json>,
    facts: Map<String, Json>,
    context: Option<Json>,
    space_alias: bool,
}

fn extras() -> impl Strategy<Value = Extras> {
    (prop::collection::vec(viewer(), 1..4), facts(), context(), any::<bool>())
        .prop_map(|(viewers, facts, context, space_alias)| Extras { viewers, facts, context, space_alias })
}

/// One request with what the properties need to know about it.
#[derive(Debug, Clone)]
struct Case {
    json: Json,
    viewer: Json,
    target: Target,
    space: Option<&'static str>,
}

impl Case {
    fn is_guest(&self) -> bool {
        self.viewer["type"] == "guest"
    }
    fn guest_space(&self) -> Option<&str> {
        self.viewer.get("guestSpace").or_else(|| self.viewer.get("guestProject")).and_then(Json::as_str)
    }
    /// The catalog scope of the target's module type, when the product knows it.
    fn scope(&self, product: Product) -> Option<Scope> {
        let t = self.target.type_name.as_deref()?;
        lookup_module_type(self.target.framework, t, product).map(|m| m.scope)
    }
}

fn requests(spec: &ConfigSpec, ex: &Extras) -> Vec<Case> {
    let mut out = Vec::new();
    for target in spec.targets() {
        for viewer in &ex.viewers {
            for space in [None, Some(SPACES[0]), Some(SPACES[1]), Some(SPACES[2])] {
                let mut r = json!({ "viewer": viewer, "app": target.app, "module": target.module });
                if let Some(s) = space {
                    r[if ex.space_alias { "project" } else { "space" }] = json!(s);
                }
                if !ex.facts.is_empty() {
                    r["facts"] = Json::Object(ex.facts.clone());
                }
                if let Some(c) = &ex.context {
                    r["context"] = c.clone();
                }
                out.push(Case { json: r, viewer: viewer.clone(), target: target.clone(), space });
            }
        }
    }
    out
}

fn decide(gate: &Gate, r: &Json) -> Decision {
    gate.decide_value(&to_value(r))
}

/// Outcomes a viewer may act on: only `render` mounts the module.
fn renders(d: &Decision) -> bool {
    d.outcome == Outcome::Render
}

/// Arbitrary small JSON, for requests that are not requests.
fn junk() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)),
        "[a-z<>\"]{0,6}".prop_map(Json::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            prop::collection::vec(
                (prop_oneof![Just("viewer".to_owned()), Just("app".to_owned()), "[a-z]{1,5}"], inner),
                0..4
            )
            .prop_map(|kv| Json::Object(kv.into_iter().collect())),
        ]
    })
}

/// A valid request with one slot replaced by junk: most are invalid.
fn mangle(r: &Json, slot: usize, with: Json) -> Json {
    let mut r = r.clone();
    let paths: [&[&str]; 8] = [
        &["viewer"],
        &["app"],
        &["module"],
        &["space"],
        &["facts"],
        &["context"],
        &["viewer", "type"],
        &["viewer", "permissions"],
    ];
    let path = paths[slot % paths.len()];
    let mut cur = &mut r;
    for (i, k) in path.iter().enumerate() {
        if i + 1 == path.len() {
            if let Some(o) = cur.as_object_mut() {
                o.insert((*k).to_owned(), with.clone());
            }
        } else {
            match cur.get_mut(*k) {
                Some(next) => cur = next,
                None => break,
            }
        }
    }
    r
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(cases(256))]

    /// Rule 5: a guest never gets `render` for a module in a space other than their
    /// guest space (modules outside any space, such as global pages, are not in one).
    #[test]
    fn guest_never_renders_outside_their_guest_space(spec in config_spec(), ex in extras()) {
        let gate = compile(&spec.json());
        for case in requests(&spec, &ex) {
            let Some(space) = case.space else { continue };
            if !case.is_guest() || case.guest_space() == Some(space) || case.scope(spec.product()) == Some(Scope::Global) {
                continue;
            }
            let d = decide(&gate, &case.json);
            prop_assert!(
                !matches!(d.outcome, Outcome::Render | Outcome::Pending),
                "guest of {:?} got {:?} in {space}: {:?}\nrequest {}", case.guest_space(), d.outcome, d, case.json
            );
        }
    }

    /// Rule 4: an app blocked by a policy covering the space never gets `render` there,
    /// whoever the viewer is; only rules 1-3 may decide first.
    #[test]
    fn policy_blocked_app_never_renders_in_the_space(spec in config_spec(), ex in extras()) {
        let gate = compile(&spec.json());
        for case in requests(&spec, &ex) {
            let Some(space) = case.space else { continue };
            if case.scope(spec.product()) == Some(Scope::Global) {
                continue;
            }
            if !spec.policies.iter().any(|p| p.blocks(&case.target.app, space)) {
                continue;
            }
            let d = decide(&gate, &case.json);
            prop_assert!(!renders(&d), "blocked app rendered: {:?}\nrequest {}", d, case.json);
            prop_assert!(
                matches!(d.reason, Reason::BlockedByPolicy | Reason::AppNotInstalled | Reason::ModuleNotFound | Reason::NotAUiModule | Reason::AdminOnly),
                "blocked app decided by a later rule: {:?}\nrequest {}", d, case.json
            );
        }
    }

    /// Monotonicity: adding a blocking policy never adds a `render`.
    #[test]
    fn adding_a_blocking_policy_never_adds_a_render(spec in config_spec(), extra in blocking_policy(), ex in extras()) {
        let mode = spec.guest_mode.map(|m| ["block-ui", "opt-in", "allow"][m]);
        let before = compile(&spec.json_with(mode, None));
        let after = compile(&spec.json_with(mode, Some(&extra)));
        for case in requests(&spec, &ex) {
            let (b, a) = (decide(&before, &case.json), decide(&after, &case.json));
            prop_assert!(renders(&b) || !renders(&a), "policy {:?} turned {:?} into {:?}\nrequest {}", extra, b, a, case.json);
        }
    }

    /// Monotonicity: allow -> opt-in -> block-ui only takes `render`s away.
    #[test]
    fn a_stricter_guest_mode_never_adds_a_render(spec in config_spec(), ex in extras()) {
        let gates: Vec<Gate> = ["allow", "opt-in", "block-ui"].iter().map(|m| compile(&spec.json_with(Some(m), None))).collect();
        for case in requests(&spec, &ex) {
            let ds: Vec<Decision> = gates.iter().map(|g| decide(g, &case.json)).collect();
            for w in ds.windows(2) {
                prop_assert!(renders(&w[0]) || !renders(&w[1]), "stricter mode rendered: {:?} -> {:?}\nrequest {}", w[0], w[1], case.json);
            }
        }
    }

    /// Monotonicity: knowing less never adds a `render`.
    #[test]
    fn removing_a_fact_never_adds_a_render(spec in config_spec(), ex in extras()) {
        let gate = compile(&spec.json());
        for case in requests(&spec, &ex) {
            let before = decide(&gate, &case.json);
            if renders(&before) {
                continue;
            }
            for name in ex.facts.keys() {
                let mut fewer = case.json.clone();
                fewer["facts"].as_object_mut().unwrap().remove(name);
                let after = decide(&gate, &fewer);
                prop_assert!(!renders(&after), "removing fact {name} turned {:?} into render\nrequest {}", before, case.json);
            }
        }
    }

    /// `decide_all` is `decide_value` one by one, in order, for good and bad requests; the
    /// same config and request always give the same decision; unreadable requests hide.
    #[test]
    fn decide_all_equals_decide_and_is_deterministic(
        spec in config_spec(),
        ex in extras(),
        bad in prop::collection::vec((any::<usize>(), any::<usize>(), junk()), 0..12),
    ) {
        let config = spec.json();
        let gate = compile(&config);
        let again = compile(&config);
        let mut reqs: Vec<Json> = requests(&spec, &ex).into_iter().map(|c| c.json).collect();
        let valid = reqs.len();
        for (at, slot, j) in &bad {
            let base = reqs[at % valid].clone();
            reqs.push(mangle(&base, *slot, j.clone()));
            reqs.push(j.clone());
        }
        let values: Vec<Value> = reqs.iter().map(to_value).collect();
        let all = gate.decide_all(&values);
        prop_assert_eq!(all.len(), values.len());
        for (i, v) in values.iter().enumerate() {
            let one = gate.decide_value(v);
            prop_assert_eq!(&all[i], &one, "request {}: {}", i, reqs[i]);
            prop_assert_eq!(&gate.decide_value(v), &one, "not deterministic: {}", reqs[i]);
            prop_assert_eq!(&again.decide_value(v), &one, "another compile decides differently: {}", reqs[i]);
            if one.reason == Reason::InvalidRequest {
                prop_assert_eq!(one.outcome, Outcome::Hide);
                prop_assert!(one.errors.as_ref().is_some_and(|e| !e.is_empty()), "invalid request without errors: {}", reqs[i]);
            }
        }
    }

    /// The macro browser lists exactly the macros whose plain decision (same viewer, same
    /// space, no context or facts) is `render`.
    #[test]
    fn discoverable_macros_are_exactly_the_rendering_macros(spec in config_spec(), viewers in prop::collection::vec(viewer(), 1..4)) {
        let gate = compile(&spec.json());
        for v in &viewers {
            let viewer = Gate::read_viewer(&to_value(v)).unwrap();
            for space in SPACES {
                let listed: BTreeSet<(String, String)> =
                    gate.discoverable_macros(&viewer, space).into_iter().map(|m| (m.app, m.module)).collect();
                let mut expected = BTreeSet::new();
                for t in spec.targets() {
                    let Some(type_name) = &t.type_name else { continue };
                    if !matches!(type_name.as_str(), "dynamicContentMacros" | "staticContentMacros" | "macro") {
                        continue;
                    }
                    let d = decide(&gate, &json!({ "viewer": v, "app": t.app, "module": t.module, "space": space }));
                    if renders(&d) {
                        expected.insert((t.app.clone(), t.module.clone()));
                    }
                }
                prop_assert_eq!(&listed, &expected, "viewer {} in {}", v, space);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Connect and Forge say the same thing
// ---------------------------------------------------------------------------------------

/// Module types of the two frameworks with the same catalog row (product, shape, scope,
/// admin right, guest gating): `(product, connect type, forge type)`.
const PAIRS: [(usize, &str, &str); 5] = [
    (0, "contentBylineItems", "confluence:contentBylineItem"),
    (0, "customContent", "confluence:customContent"),
    (0, "generalPages", "confluence:globalPage"),
    (1, "customContent", "jira:customContent"),
    (1, "generalPages", "jira:globalPage"),
];

#[test]
fn pairs_have_the_same_catalog_rows() {
    for (p, c, f) in PAIRS {
        let product = if p == 0 { Product::Confluence } else { Product::Jira };
        let c = lookup_module_type(Framework::Connect, c, product).unwrap();
        let f = lookup_module_type(Framework::Forge, f, product).unwrap();
        assert_eq!(
            (c.ui, c.shape, c.scope, c.admin, c.guest_gated(product)),
            (f.ui, f.shape, f.scope, f.admin, f.guest_gated(product)),
            "{} / {}",
            c.name,
            f.name
        );
    }
}

proptest! {
    #![proptest_config(cases(512))]

    /// The same logical tree written as Connect `conditions` and as Forge
    /// `displayConditions`, on module types with the same catalog row, decides the same for
    /// every viewer (the Forge module lists every viewer type in `unlicensedAccess`, so
    /// rule 7, which is Forge-only, does not apply).
    #[test]
    fn connect_and_forge_syntaxes_decide_the_same(
        pair in 0..PAIRS.len(),
        t in tree(),
        style in any::<u64>(),
        guest_mode in prop::option::of(0..3usize),
        guest_access in prop::option::of(0..2usize),
        allow_guests in prop::option::of(any::<bool>()),
        policy in prop::option::of((prop::collection::vec(0..3usize, 1..3), 0..4usize)),
        pending in any::<bool>(),
        ex in extras(),
    ) {
        let (product, ctype, ftype) = PAIRS[pair];
        let mut s = Style(style);
        let mut cmod = json!({ "key": "m", "conditions": connect(&t, false, &mut s) });
        let mut fmod = json!({ "key": "m", "displayConditions": forge(&t, &mut s), "unlicensedAccess": ["anonymous", "customer", "unlicensed"] });
        if let Some(g) = allow_guests {
            cmod["allowGuests"] = json!(g);
            fmod["allowGuests"] = json!(g);
        }
        let mut capp = json!({ "key": "c.app", "name": "Same App", "framework": "connect", "descriptor": { "modules": { ctype: [cmod] } } });
        let mut fapp = json!({ "key": "f.app", "name": "Same App", "framework": "forge", "manifest": { "modules": { ftype: [fmod] } } });
        if let Some(g) = guest_access {
            capp["guestAccess"] = json!(["allow", "block"][g]);
            fapp["guestAccess"] = json!(["allow", "block"][g]);
        }
        let mut config = json!({ "product": (["confluence", "jira"][product]), "apps": [capp, fapp] });
        if let Some(m) = guest_mode {
            config["guestMode"] = json!(["block-ui", "opt-in", "allow"][m]);
        }
        if pending {
            config["onMissingFacts"] = json!("pending");
        }
        if let Some((spaces, access)) = policy {
            // The policy treats both apps alike.
            let mut p = json!({ "id": "p", "name": "P", "spaces": spaces.iter().map(|&i| SPACES[i]).collect::<Vec<_>>(), "appAccess": ACCESS[access] });
            if access == 2 {
                p["apps"] = json!([]);
            } else if access == 3 {
                p["apps"] = json!(["c.app", "f.app"]);
            }
            config["policies"] = json!([p]);
        }
        let gate = compile(&config);
        for viewer in &ex.viewers {
            for space in [None, Some(SPACES[0]), Some(SPACES[1]), Some(SPACES[2])] {
                let mut r = json!({ "viewer": viewer, "module": "m" });
                if let Some(sp) = space {
                    r["space"] = json!(sp);
                }
                if !ex.facts.is_empty() {
                    let mut f = ex.facts.clone();
                    // The host answers the unknown permission condition under both names.
                    let perm = f.get("has_project_permission").or_else(|| f.get("hasProjectPermission")).cloned();
                    if let Some(b) = perm {
                        f.insert("has_project_permission".into(), b.clone());
                        f.insert("hasProjectPermission".into(), b);
                    }
                    r["facts"] = Json::Object(f);
                }
                if let Some(c) = &ex.context {
                    r["context"] = c.clone();
                }
                let mut rc = r.clone();
                rc["app"] = json!("c.app");
                let mut rf = r;
                rf["app"] = json!("f.app");
                let (dc, df) = (decide(&gate, &rc), decide(&gate, &rf));
                prop_assert_eq!(&dc, &df, "tree {:?}\nconfig {}\nrequest {}", t, config, rc);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Placeholder markup
// ---------------------------------------------------------------------------------------

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#96;", "`")
        .replace("&amp;", "&")
}

fn attr<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let start = html.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = html[start..].find('"')?;
    Some(&html[start..start + len])
}

/// The markup is the gate's own: only its `div` and `span` tags outside the icon (an
/// icon of fixed markup, skipped here), attributes that no input breaks out of, every `&`
/// an entity, no raw quote or angle bracket from the input; and the text and the policy
/// read back exactly.
fn check_placeholder(html: &str, text: &str, policy: Option<&str>) -> Result<(), TestCaseError> {
    prop_assert!(html.starts_with("<div class=\"rg-placeholder\" role=\"note\" data-reason=\""), "{}", html);
    prop_assert!(!html.contains('\'') && !html.contains('`'), "raw quote: {}", html);
    for (i, _) in html.match_indices('&') {
        let rest = &html[i..];
        prop_assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#96;", "&#128274;"].iter().any(|e| rest.starts_with(e)),
            "bare ampersand at {}: {}",
            i,
            html
        );
    }
    // Drop the icon's own markup.
    let icon = "<span class=\"rg-placeholder__icon\" aria-hidden=\"true\">";
    let outside = match html.find(icon) {
        Some(i) => {
            let after = i + icon.len();
            let close = html[after..].find("</span>").map_or(html.len(), |j| after + j);
            format!("{}{}", &html[..after], &html[close..])
        }
        None => html.to_owned(),
    };
    for (i, _) in outside.match_indices('<') {
        let rest = &outside[i..];
        prop_assert!(
            ["<div ", "</div>", "<span ", "</span>"].iter().any(|t| rest.starts_with(t)),
            "a tag that is not the gate's at {}: {}",
            i,
            html
        );
    }
    // Attributes: name="value" pairs, values without quotes or angle brackets.
    for tag in outside.split('<').skip(1) {
        let Some(end) = tag.find('>') else { return Err(TestCaseError::fail(format!("unclosed tag: {html}"))) };
        let inner = tag[..end].trim_end_matches('/');
        let attrs = inner.split_once(' ').map_or("", |(_, a)| a);
        prop_assert_eq!(attrs.matches('"').count() % 2, 0, "attribute broken out of: {}", html);
        for part in attrs.split('"').step_by(2) {
            let name = part.trim().trim_end_matches('=');
            prop_assert!(
                name.is_empty() || name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "odd attribute {:?} in {}",
                name,
                html
            );
        }
    }
    let open = "<span class=\"rg-placeholder__text\">";
    let start = html.find(open).unwrap() + open.len();
    let len = html[start..].find('<').unwrap();
    prop_assert_eq!(unescape(&html[start..start + len]), text);
    prop_assert_eq!(attr(html, "data-policy").map(unescape), policy.map(str::to_owned));
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    /// App names, policy ids and names, host message overrides, module keys, and anything
    /// a caller passes back in a decision come out escaped.
    #[test]
    fn placeholder_html_never_carries_unescaped_input(
        app_name in nasty_text(),
        policy_id in nasty_text().prop_map(|s| format!("p{s}")),
        policy_name in nasty_text(),
        module_key in nasty_text().prop_map(|s| format!("k{s}")),
        guest_text in prop::option::of(nasty_text().prop_map(|s| format!("g {s}"))),
        policy_text in prop::option::of(nasty_text().prop_map(|s| format!("p {s} {{app}} {{policy}}"))),
        locale in prop_oneof![Just("en"), Just("de-CH"), Just("ja"), Just("fr")],
        product in 0..2usize,
        caller_message in nasty_text(),
        caller_policy in prop::option::of(nasty_text()),
    ) {
        let (ptype, mtype) = if product == 0 { ("confluence", "dynamicContentMacros") } else { ("jira", "generalPages") };
        let mut texts = Map::new();
        if let Some(g) = &guest_text {
            texts.insert("guest-blocked".into(), json!(g));
        }
        if let Some(p) = &policy_text {
            texts.insert("blocked-by-policy".into(), json!(p));
        }
        let config = json!({
            "product": ptype, "guestMode": "block-ui", "locale": locale,
            "messages": { locale: texts },
            "apps": [{ "key": "com.acme.x", "name": app_name, "framework": "connect",
                       "descriptor": { "modules": { mtype: [{ "key": module_key }] } } }],
            "policies": [{ "id": policy_id, "name": policy_name, "spaces": ["FIN"], "appAccess": "block-all" }],
        });
        let gate = compile(&config);
        let space = if product == 0 { "FIN" } else { "ENG" };
        // Jira general pages are global: no policy covers them, so only the guest text shows.
        for (viewer, sp) in [(json!({ "type": "licensed" }), "FIN"), (json!({ "type": "guest", "guestSpace": space }), space)] {
            let d = decide(&gate, &json!({ "viewer": viewer, "app": "com.acme.x", "module": module_key, "space": sp }));
            if d.outcome != Outcome::Placeholder {
                prop_assert!(product == 1 && viewer["type"] == "licensed", "no placeholder: {:?}", d);
                prop_assert_eq!(gate.placeholder_html(&d), "");
                continue;
            }
            let message = d.message.clone().unwrap();
            if d.reason == Reason::BlockedByPolicy && locale == "en" && policy_text.is_none() {
                prop_assert!(message.contains(&app_name), "{}", message);
            }
            check_placeholder(&gate.placeholder_html(&d), &message, d.policy.as_deref())?;
        }
        // A decision handed back by a caller (as JS does) is data too.
        for outcome in ["placeholder", "hide", "render", "pending"] {
            let mut d = json!({ "outcome": outcome, "reason": "blocked-by-policy", "message": caller_message });
            if let Some(p) = &caller_policy {
                d["policy"] = json!(p);
            }
            let html = gate.placeholder_html_value(&to_value(&d)).unwrap();
            if outcome == "placeholder" {
                check_placeholder(&html, &caller_message, caller_policy.as_deref())?;
            } else {
                prop_assert_eq!(html, "");
            }
        }
    }
}

/// Regression: the template was filled by successive `replace` calls, so an app name
/// (app-controlled text) holding `{policy}` had the policy name put into it, and one
/// holding `{product}` kept the token. The message shows the app name exactly as written.
#[test]
fn app_name_with_template_tokens_is_shown_verbatim() {
    let config = json!({
        "product": "confluence",
        "apps": [{ "key": "com.acme.x", "name": "Evil {policy} {product}", "framework": "connect",
                   "descriptor": { "modules": { "dynamicContentMacros": [{ "key": "m" }] } } }],
        "policies": [{ "id": "p", "name": "Secret policy name", "spaces": ["FIN"], "appAccess": "block-all" }],
    });
    let gate = compile(&config);
    let d =
        decide(&gate, &json!({ "viewer": { "type": "licensed" }, "app": "com.acme.x", "module": "m", "space": "FIN" }));
    assert_eq!(d.outcome, Outcome::Placeholder);
    let message = d.message.unwrap();
    assert!(message.contains("Evil {policy} {product}"), "{message}");
}

/// Regression: in Forge's object form `name: false` means "must be false", as for
/// built-ins (`isAdmin: false` is `not isAdmin`); for a host fact the value used to be
/// ignored, so `displayConditions: { flag_a: false }` rendered when the host said `flag_a`
/// is true (fail open).
#[test]
fn forge_host_fact_false_means_false() {
    let config = json!({
        "product": "jira",
        "apps": [{ "key": "f.app", "name": "F", "framework": "forge",
                   "manifest": { "modules": { "jira:issuePanel": [{ "key": "m", "displayConditions": { "flag_a": false } }] } } }],
    });
    let gate = compile(&config);
    let d = decide(
        &gate,
        &json!({ "viewer": { "type": "licensed" }, "app": "f.app", "module": "m", "space": "ENG", "facts": { "flag_a": true } }),
    );
    assert_ne!(d.outcome, Outcome::Render, "flag_a is true, the manifest asks for flag_a false: {d:?}");
}
