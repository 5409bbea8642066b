//! The bodies of the fuzz targets, and the fail-closed invariants they check.
//!
//! Each `fuzz_targets/*.rs` calls one function here. `tests/fuzz_corpus.rs` (a normal
//! native test of the main crate) includes this same file with `#[path]` and replays every
//! file of `fuzz/corpus/**` through it, so CI checks the corpus without a fuzzer.
//!
//! Inputs are JSON read the way the wasm binding reads JS values: a config within
//! `Limits::CONFIG`, a request within `Limits::REQUEST`. Bytes that are not JSON are
//! skipped (there is nothing to decide).
//!
//! Invariants (a panic is a finding):
//! - nothing panics, whatever the input;
//! - `validate` and `Gate::new` agree (same errors, same warnings);
//! - a request that cannot be read is `hide` / `invalid-request` with its errors;
//! - outcome and reason agree (`render` iff `allowed`, `placeholder` only for the two
//!   placeholder reasons, with a message; `missing-facts` lists what is missing);
//! - a `render` passes every rule when checked again here from the config itself: the app
//!   and module exist, the type draws UI, the admin right, no covering policy blocks the
//!   app, a guest is in their space and the guest mode lets them in, Forge
//!   `unlicensedAccess`, a space-scoped module has a space, and the module's conditions,
//!   parsed and evaluated directly, are true;
//! - `explain` changes nothing but the trace, and a `render` trace has no failed step;
//! - `decide_all` equals `decide_value` one by one; the macro browser lists only macros
//!   that render;
//! - condition trees that parse without errors respect the depth and size limits, and
//!   three-valued evaluation is consistent (a definite value with every leaf unknown stays
//!   the same under any assignment; an unknown value names unknown leaves).

use render_gate::{
    lookup_module_type, parse_connect, parse_forge, validate, Admin, BoundedValue, Cond, Context, Decision, Diagnostic,
    Diagnostics, Env, Framework, Gate, Leaf, Limits, Outcome, Path, Product, Reason, Request, RequestEnv, Scope, Tri,
    Value, Viewer, ViewerType, MAX_DEPTH, MAX_NODES,
};
use serde::de::DeserializeSeed;

/// The fuzz targets, by name (as in `fuzz/Cargo.toml` and `fuzz/corpus/<name>/`).
pub const TARGETS: [&str; 4] = ["config", "connect_conditions", "forge_conditions", "decide"];

/// Runs the target called `name` on `data`; `false` for an unknown name.
pub fn run(name: &str, data: &[u8]) -> bool {
    match name {
        "config" => config(data),
        "connect_conditions" => connect_conditions(data),
        "forge_conditions" => forge_conditions(data),
        "decide" => decide(data),
        _ => return false,
    }
    true
}

/// JSON within `limits`, as the wasm binding would build it; `None` when it is not JSON
/// or breaks a limit (the binding turns that into an error or an `invalid-request`).
pub fn parse(data: &[u8], limits: Limits) -> Option<Value> {
    let mut de = serde_json::Deserializer::from_slice(data);
    let v = BoundedValue::new(limits).deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(v)
}

// ---------------------------------------------------------------------------------------
// Target: config
// ---------------------------------------------------------------------------------------

/// `validate` and `Gate::new` on a config; then every module of a config that compiles is
/// decided for a set of standard viewers.
pub fn config(data: &[u8]) {
    let Some(v) = parse(data, Limits::CONFIG) else { return };
    let validation = validate(&v);
    for d in validation.errors.iter().chain(&validation.warnings) {
        check_diagnostic(d);
    }
    match Gate::new(&v) {
        Ok(gate) => {
            assert!(
                validation.errors.is_empty(),
                "Gate::new accepted a config validate rejects: {:?}",
                validation.errors
            );
            assert_eq!(gate.warnings(), validation.warnings.as_slice(), "Gate::new and validate warn differently");
            probe(&gate, &v);
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "Gate::new failed without an error");
            assert_eq!(errors, validation.errors, "Gate::new and validate disagree");
        }
    }
}

fn check_diagnostic(d: &Diagnostic) {
    assert!(
        !d.code.is_empty() && d.code.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
        "bad diagnostic code {:?}",
        d.code
    );
    assert!(!d.message.is_empty(), "empty diagnostic message at {:?}", d.path);
    assert!(!d.message.ends_with('.'), "diagnostic message ends with a period: {:?}", d.message);
}

/// Decides every module of the config for standard viewers, in every space the config
/// names and outside any space.
fn probe(gate: &Gate, config: &Value) {
    let mut spaces: Vec<String> = vec!["ENG".to_owned()];
    for p in items(field(config, "policies")) {
        for s in items(field(p, "spaces").or_else(|| field(p, "projects"))) {
            if let Some(s) = s.as_str() {
                if !spaces.iter().any(|x| x == s) && spaces.len() < 4 {
                    spaces.push(s.to_owned());
                }
            }
        }
    }
    let mut targets: Vec<(String, String)> = Vec::new();
    for app in items(field(config, "apps")) {
        let Some(key) = field(app, "key").and_then(Value::as_str) else { continue };
        for doc in [field(app, "descriptor"), field(app, "manifest")].into_iter().flatten() {
            for (_, list) in entries(field(doc, "modules")) {
                for m in one_or_many(list) {
                    if let Some(mk) = field(m, "key").and_then(Value::as_str) {
                        targets.push((key.to_owned(), mk.to_owned()));
                    }
                }
            }
        }
    }
    targets.push(("ghost.app".to_owned(), "ghost".to_owned()));
    targets.truncate(64);
    let first_space = spaces.first().cloned().unwrap_or_default();
    let viewers: Vec<Value> = vec![
        obj(vec![("type", s("licensed"))]),
        obj(vec![("type", s("licensed")), ("siteAdmin", Value::Bool(true)), ("permissions", Value::Array(vec![]))]),
        obj(vec![("type", s("guest")), ("guestSpace", s(&first_space))]),
        obj(vec![("type", s("anonymous"))]),
        obj(vec![("type", s("customer"))]),
        obj(vec![("type", s("unlicensed")), ("spaceAdmin", Value::Bool(true))]),
    ];
    let mut reqs = Vec::new();
    for (app, module) in &targets {
        for viewer in &viewers {
            let mut space_opts: Vec<Option<&str>> = vec![None];
            space_opts.extend(spaces.iter().map(|s| Some(s.as_str())));
            for space in space_opts {
                let mut r = vec![("viewer", viewer.clone()), ("app", s(app)), ("module", s(module))];
                if let Some(sp) = space {
                    r.push(("space", s(sp)));
                }
                reqs.push(obj(r));
            }
        }
    }
    check_batch(gate, config, &reqs);
    for viewer in &viewers {
        check_macros(gate, config, viewer, &first_space);
    }
}

// ---------------------------------------------------------------------------------------
// Targets: connect_conditions, forge_conditions
// ---------------------------------------------------------------------------------------

/// A module's Connect `conditions` value.
pub fn connect_conditions(data: &[u8]) {
    conditions(data, Framework::Connect);
}

/// A module's Forge `displayConditions` value.
pub fn forge_conditions(data: &[u8]) {
    conditions(data, Framework::Forge);
}

fn conditions(data: &[u8], framework: Framework) {
    let Some(v) = parse(data, Limits::CONFIG) else { return };
    let mut diags = Diagnostics::default();
    let tree = parse_tree(&v, framework, &mut diags);
    for d in &diags.items {
        check_diagnostic(d);
    }
    let (depth, nodes, leaves) = measure(&tree);
    if !diags.has_errors() {
        // A leaf adds at most a `not` (invert / `name: false`) and an `any` (array value).
        assert!(depth <= MAX_DEPTH + 3, "a tree without errors is {depth} levels deep (limit {MAX_DEPTH})");
        assert!(leaves <= MAX_NODES, "a tree without errors has {leaves} leaves and {nodes} nodes (limit {MAX_NODES})");
    }
    check_tree(&tree, data);
}

fn parse_tree(v: &Value, framework: Framework, diags: &mut Diagnostics) -> Cond {
    if framework == Framework::Forge {
        parse_forge(v, &Path::root(), diags)
    } else {
        parse_connect(v, &Path::root(), diags)
    }
}

/// `(depth, nodes, leaves)` of a tree.
fn measure(c: &Cond) -> (usize, usize, usize) {
    match c {
        Cond::Const(_) => (1, 1, 0),
        Cond::Leaf(_) => (1, 1, 1),
        Cond::Not(x) => {
            let (d, n, l) = measure(x);
            (d + 1, n + 1, l)
        }
        Cond::All(xs) | Cond::Any(xs) => {
            xs.iter().map(measure).fold((1, 1, 0), |(d, n, l), (d2, n2, l2)| (d.max(d2 + 1), n + n2, l + l2))
        }
    }
}

/// Leaf values for evaluation: all one value, or a hash of the leaf's key.
enum TestEnv {
    All(Tri),
    Hashed(u64),
}

impl Env for TestEnv {
    fn leaf(&self, leaf: &Leaf) -> Tri {
        match self {
            TestEnv::All(t) => *t,
            TestEnv::Hashed(seed) => {
                let mut h = *seed ^ 0xcbf2_9ce4_8422_2325;
                for b in leaf.key.bytes() {
                    h ^= u64::from(b);
                    h = h.wrapping_mul(0x0000_0100_0000_01b3);
                }
                [Tri::True, Tri::False, Tri::Unknown][(h % 3) as usize]
            }
        }
    }
}

fn check_tree(tree: &Cond, data: &[u8]) {
    let unknown = tree.eval(&TestEnv::All(Tri::Unknown));
    let seed = data.iter().fold(17u64, |h, &b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    let envs =
        [TestEnv::All(Tri::True), TestEnv::All(Tri::False), TestEnv::Hashed(seed), TestEnv::Hashed(seed ^ 0x5555)];
    for env in &envs {
        let value = tree.eval(env);
        if unknown != Tri::Unknown {
            assert_eq!(value, unknown, "a value known with every leaf unknown changed under an assignment");
        }
        let mut missing = Vec::new();
        tree.unknown_leaves(env, &mut missing);
        assert_eq!(
            value == Tri::Unknown,
            !missing.is_empty(),
            "unknown leaves {} for a tree that is {value:?}",
            missing.len()
        );
        if value == Tri::False {
            assert!(!tree.why_not(env).is_empty());
        }
        let mut values = Vec::new();
        tree.leaf_values(env, &mut values);
        let (_, _, leaves) = measure(tree);
        assert_eq!(values.len(), leaves);
    }
}

// ---------------------------------------------------------------------------------------
// Target: decide
// ---------------------------------------------------------------------------------------

/// `config NUL requests`: a config, then one request or an array of requests. Without a
/// NUL byte the whole input is the request(s), decided against a built-in config.
pub fn decide(data: &[u8]) {
    let (config, reqs) = match data.iter().position(|&b| b == 0) {
        Some(i) => {
            let Some(c) = parse(data.get(..i).unwrap_or_default(), Limits::CONFIG) else { return };
            (c, data.get(i + 1..).unwrap_or_default())
        }
        None => (builtin_config(data.len() % 2 == 1), data),
    };
    let Ok(gate) = Gate::new(&config) else { return };
    let Some(req) = parse(reqs, Limits::REQUEST) else { return };
    let batch = match &req {
        Value::Array(items) => items.clone(),
        _ => Vec::new(),
    };
    check_batch(&gate, &config, std::slice::from_ref(&req));
    if !batch.is_empty() {
        check_batch(&gate, &config, &batch);
    }
    for r in std::iter::once(&req).chain(batch.iter()) {
        if let Some(viewer) = field(r, "viewer") {
            let space = space_of(r).unwrap_or("ENG").to_owned();
            check_macros(&gate, &config, viewer, &space);
        }
    }
}

/// Decides a batch, checks it equals one by one, and checks every decision.
fn check_batch(gate: &Gate, config: &Value, reqs: &[Value]) {
    let all = gate.decide_all(reqs);
    assert_eq!(all.len(), reqs.len());
    for (r, d) in reqs.iter().zip(&all) {
        let one = gate.decide_value(r);
        assert_eq!(d, &one, "decide_all and decide_value differ");
        check_decision(gate, config, r, d);
    }
}

/// The macro browser lists only macros that render for the viewer in the space.
fn check_macros(gate: &Gate, config: &Value, viewer: &Value, space: &str) {
    // `discoverable_macros` takes the space as given; requests only take valid keys.
    if space.trim().is_empty() || space.chars().count() > 255 {
        return;
    }
    let Ok(v) = Gate::read_viewer(viewer) else { return };
    for m in gate.discoverable_macros(&v, space) {
        let r =
            obj(vec![("viewer", viewer.clone()), ("app", s(&m.app)), ("module", s(&m.module)), ("space", s(space))]);
        let d = gate.decide_value(&r);
        assert_eq!(d.outcome, Outcome::Render, "macro {}/{} is listed but decides {d:?}", m.app, m.module);
        let found = find_module(config, &m.app, &m.module);
        assert!(
            found.is_some_and(|f| matches!(f.type_name, "dynamicContentMacros" | "staticContentMacros" | "macro")),
            "{}/{} is listed but is not a macro",
            m.app,
            m.module
        );
    }
}

fn check_decision(gate: &Gate, config: &Value, r: &Value, d: &Decision) {
    // Outcome and reason agree.
    assert_eq!(
        d.outcome == Outcome::Render,
        d.reason == Reason::Allowed,
        "outcome {:?} with reason {:?}",
        d.outcome,
        d.reason
    );
    if d.reason == Reason::InvalidRequest {
        assert_eq!(d.outcome, Outcome::Hide, "an unreadable request must hide");
        assert!(d.errors.as_ref().is_some_and(|e| !e.is_empty()), "invalid-request without errors");
        for e in d.errors.iter().flatten() {
            check_diagnostic(e);
        }
        return;
    }
    assert!(d.errors.is_none(), "errors on a readable request: {d:?}");
    match d.outcome {
        Outcome::Placeholder => {
            assert!(
                matches!(d.reason, Reason::BlockedByPolicy | Reason::GuestBlocked),
                "placeholder for {:?}",
                d.reason
            );
            assert!(d.message.as_ref().is_some_and(|m| !m.is_empty()), "placeholder without a message");
            let html = gate.placeholder_html(d);
            assert!(html.starts_with("<div class=\"rg-placeholder\" role=\"note\""), "placeholder markup: {html}");
        }
        Outcome::Pending => {
            assert_eq!(d.reason, Reason::MissingFacts);
            assert!(
                field(config, "onMissingFacts").and_then(Value::as_str) == Some("pending"),
                "pending without opting in"
            );
        }
        _ => assert_eq!(gate.placeholder_html(d), "", "markup for a {:?} decision", d.outcome),
    }
    assert_eq!(
        d.reason == Reason::MissingFacts,
        d.missing.as_ref().is_some_and(|m| !m.is_empty()),
        "missing facts list: {d:?}"
    );
    assert_eq!(d.reason == Reason::BlockedByPolicy, d.policy.is_some(), "policy id: {d:?}");
    let explain = field(r, "explain").and_then(Value::as_bool) == Some(true);
    assert_eq!(explain, d.trace.is_some(), "trace present iff explain: {d:?}");

    // `explain` changes nothing else.
    let flipped = with_explain(r, d.trace.is_none());
    let mut e = gate.decide_value(&flipped);
    if let Some(trace) = e.trace.take().or_else(|| d.trace.clone()) {
        if d.outcome == Outcome::Render {
            for step in &trace.steps {
                assert!(
                    step.result == "pass" || step.result == "skip",
                    "render with a {} step: {:?}",
                    step.result,
                    step
                );
            }
        }
    }
    let mut plain = d.clone();
    plain.trace = None;
    assert_eq!(e, plain, "explain changed the decision");

    if d.outcome == Outcome::Render {
        check_render(config, r);
    }
    if d.reason == Reason::ConditionsFalse {
        let (tree, req) = tree_and_request(config, r);
        assert_eq!(
            tree.map(|t| t.eval(&RequestEnv { req: req.as_ref() })),
            Some(Tri::False),
            "conditions-false, yet the tree is not false"
        );
    }
}

/// A `render` must pass every rule, checked here again from the config.
fn check_render(config: &Value, r: &Value) {
    let product = match field(config, "product").and_then(Value::as_str) {
        Some("jira") => Product::Jira,
        _ => Product::Confluence,
    };
    let app_key = field(r, "app").and_then(Value::as_str).unwrap_or_default();
    let module_key = field(r, "module").and_then(Value::as_str).unwrap_or_default();
    let found = find_module(config, app_key, module_key);
    let Some(found) = found else { panic!("render for {app_key}/{module_key}, which the config does not declare") };
    let Some(kind) = lookup_module_type(found.framework, found.type_name, product) else {
        panic!("render for a module of unknown type {}", found.type_name)
    };
    assert!(kind.ui, "render for {}, which draws no UI", kind.name);
    let viewer = field(r, "viewer").and_then(|v| Gate::read_viewer(v).ok());
    let Some(viewer) = viewer else { panic!("render for a request whose viewer cannot be read") };
    match kind.admin {
        Admin::None => {}
        Admin::Product => assert!(viewer.is_product_admin(), "{} rendered for a non-admin", kind.name),
        Admin::Space => assert!(viewer.is_space_admin(), "{} rendered for a non-space-admin", kind.name),
    }
    let space = match kind.scope {
        Scope::Global => None,
        _ => space_of(r),
    };
    if kind.scope == Scope::Space {
        assert!(space.is_some(), "{} rendered without a space", kind.name);
    }
    if let Some(space) = space {
        for p in items(field(config, "policies")) {
            assert!(!policy_blocks(p, app_key, space), "render although a policy covering {space} blocks {app_key}");
        }
    }
    if viewer.kind == ViewerType::Guest {
        if let Some(space) = space {
            assert_eq!(viewer.guest_space.as_deref(), Some(space), "guest rendered outside their space");
        }
        if kind.guest_gated(product) {
            let mode = field(config, "guestMode").and_then(Value::as_str).unwrap_or(match product {
                Product::Confluence => "block-ui",
                Product::Jira => "allow",
            });
            let module_says = field(found.module, "allowGuests").and_then(Value::as_bool);
            let app_says = field(found.app, "guestAccess").and_then(Value::as_str);
            let opted_out = module_says == Some(false) || app_says == Some("block");
            let may_opt_in = module_says == Some(true) || app_says == Some("allow") || found.conditions().is_some();
            match mode {
                "block-ui" => panic!("guest rendered {} in block-ui mode", kind.name),
                "opt-in" => {
                    assert!(!opted_out && may_opt_in, "guest rendered {} in opt-in mode without opting in", kind.name)
                }
                _ => assert!(!opted_out, "guest rendered {} although the app opted out", kind.name),
            }
        }
    }
    if found.framework == Framework::Forge
        && matches!(viewer.kind, ViewerType::Anonymous | ViewerType::Customer | ViewerType::Unlicensed)
    {
        let listed = items(field(found.module, "unlicensedAccess")).any(|v| v.as_str() == Some(viewer.kind.name()));
        assert!(listed, "Forge module rendered for {} without unlicensedAccess", viewer.kind.name());
    }
    let (tree, req) = tree_and_request(config, r);
    if let Some(tree) = tree {
        assert_eq!(
            tree.eval(&RequestEnv { req: req.as_ref() }),
            Tri::True,
            "render although the conditions are not true"
        );
    }
}

/// The module's condition tree (parsed again) and the request as the gate reads it.
// `..Context::default()` keeps this compiling when the context gains a field.
#[allow(clippy::needless_update)]
fn tree_and_request(config: &Value, r: &Value) -> (Option<Cond>, Request) {
    let app_key = field(r, "app").and_then(Value::as_str).unwrap_or_default();
    let module_key = field(r, "module").and_then(Value::as_str).unwrap_or_default();
    let viewer = field(r, "viewer")
        .and_then(|v| Gate::read_viewer(v).ok())
        .unwrap_or_else(|| Viewer::new(ViewerType::Anonymous));
    let mut req = Request::new(viewer, app_key, module_key, space_of(r));
    if let Some(ctx) = field(r, "context") {
        let text = |k: &str| field(ctx, k).and_then(Value::as_str).map(str::to_owned);
        let mut properties = Vec::new();
        for (entity, props) in entries(field(ctx, "properties")) {
            if let Value::Object(p) = props {
                properties.push((entity.clone(), p.clone()));
            }
        }
        req.context = Context {
            issue_type: text("issueType"),
            issue_key: text("issueKey"),
            project_type: text("projectType"),
            content_type: text("contentType"),
            properties,
            ..Context::default()
        };
    }
    for (name, v) in entries(field(r, "facts")) {
        if let Value::Bool(b) = v {
            req.facts.push((name.clone(), *b));
        }
    }
    let tree = find_module(config, app_key, module_key).and_then(|f| {
        let c = f.conditions()?;
        let mut diags = Diagnostics::default();
        Some(parse_tree(c, f.framework, &mut diags))
    });
    (tree, req)
}

fn with_explain(r: &Value, explain: bool) -> Value {
    match r {
        Value::Object(entries) => {
            let mut e: Vec<(String, Value)> = entries.iter().filter(|(k, _)| k != "explain").cloned().collect();
            e.push(("explain".to_owned(), Value::Bool(explain)));
            Value::Object(e)
        }
        other => other.clone(),
    }
}

/// Whether a (valid) policy blocks `app` in `space`.
fn policy_blocks(p: &Value, app: &str, space: &str) -> bool {
    let spaces = field(p, "spaces").or_else(|| field(p, "projects"));
    if !items(spaces).any(|s| s.as_str() == Some(space)) {
        return false;
    }
    let listed = items(field(p, "apps")).any(|a| a.as_str() == Some(app));
    match field(p, "appAccess").and_then(Value::as_str) {
        Some("block-all") => true,
        Some("block-all-except") => !listed,
        Some("block-only") => listed,
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------
// Reading configs and requests (as the gate does: `null` counts as absent, first key wins)
// ---------------------------------------------------------------------------------------

fn field<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get(key).filter(|x| !matches!(x, Value::Null))
}

fn items(v: Option<&Value>) -> impl Iterator<Item = &Value> {
    match v {
        Some(Value::Array(xs)) => xs.iter(),
        _ => [].iter(),
    }
}

fn entries(v: Option<&Value>) -> impl Iterator<Item = &(String, Value)> {
    match v {
        Some(Value::Object(xs)) => xs.iter(),
        _ => [].iter(),
    }
}

fn one_or_many(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(xs) => xs.iter().collect(),
        Value::Object(_) => vec![v],
        _ => Vec::new(),
    }
}

fn space_of(r: &Value) -> Option<&str> {
    field(r, "space").or_else(|| field(r, "project")).and_then(Value::as_str)
}

struct Found<'a> {
    app: &'a Value,
    module: &'a Value,
    framework: Framework,
    type_name: &'a str,
}

impl<'a> Found<'a> {
    fn conditions(&self) -> Option<&'a Value> {
        field(self.module, if self.framework == Framework::Forge { "displayConditions" } else { "conditions" })
    }
}

/// The module `module` of app `app` in a config that compiled.
fn find_module<'a>(config: &'a Value, app: &str, module: &str) -> Option<Found<'a>> {
    let a = items(field(config, "apps")).find(|a| field(a, "key").and_then(Value::as_str) == Some(app))?;
    let (framework, doc) = match field(a, "framework").and_then(Value::as_str) {
        Some("connect") => (Framework::Connect, field(a, "descriptor")?),
        Some("forge") => (Framework::Forge, field(a, "manifest")?),
        _ => return None,
    };
    for (type_name, list) in entries(field(doc, "modules")) {
        for m in one_or_many(list) {
            if field(m, "key").and_then(Value::as_str) == Some(module) {
                return Some(Found { app: a, module: m, framework, type_name });
            }
        }
    }
    None
}

fn s(text: &str) -> Value {
    Value::String(text.to_owned())
}

fn obj(entries: Vec<(&str, Value)>) -> Value {
    Value::Object(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// The config requests are decided against when the input has no config of its own.
fn builtin_config(jira: bool) -> Value {
    let text = if jira { BUILTIN_JIRA } else { BUILTIN_CONFLUENCE };
    parse(text.as_bytes(), Limits::CONFIG).unwrap_or(Value::Null)
}

const BUILTIN_CONFLUENCE: &str = r#"{
  "product": "confluence", "guestMode": "opt-in", "onMissingFacts": "pending",
  "apps": [
    {"key": "com.acme.charts", "name": "Acme <Charts>", "framework": "connect", "guestAccess": "allow",
     "descriptor": {"modules": {
       "dynamicContentMacros": [{"key": "chart"}, {"key": "chart-guarded", "conditions": [{"condition": "user_is_logged_in"}, {"condition": "flag_a"}]}],
       "webItems": [{"key": "item", "conditions": [{"or": [{"condition": "user_is_admin"}, {"condition": "user_is_external_collaborator", "invert": true}]}]}],
       "generalPages": [{"key": "page"}],
       "adminPages": [{"key": "admin"}],
       "spaceToolsTabs": [{"key": "tools"}],
       "webhooks": [{"key": "hook", "event": "page_created"}]}}},
    {"key": "io.forge.notes", "name": "Notes", "framework": "forge",
     "manifest": {"modules": {
       "macro": [{"key": "note", "displayConditions": {"isLoggedIn": true}, "unlicensedAccess": ["anonymous"]},
                 {"key": "note-prop", "displayConditions": {"contentPropertyEqualTo": {"propertyKey": "notes", "value": "on"}}}],
       "confluence:globalPage": [{"key": "global", "allowGuests": true}],
       "confluence:contentBylineItem": [{"key": "byline", "displayConditions": {"or": [{"isJiraGuest": true}, {"isAdmin": true}]}}]}}}
  ],
  "policies": [
    {"id": "fin", "name": "Finance", "spaces": ["FIN"], "appAccess": "block-all-except", "apps": ["io.forge.notes"]},
    {"id": "ops", "name": "Ops", "spaces": ["OPS"], "appAccess": "block-only", "apps": ["com.acme.charts"]}
  ]
}"#;

const BUILTIN_JIRA: &str = r#"{
  "product": "jira",
  "apps": [
    {"key": "io.acme.panel", "name": "Acme Panel", "framework": "forge",
     "manifest": {"modules": {
       "jira:issuePanel": [{"key": "panel", "displayConditions": {"or": [{"isJiraGuest": true}, {"isLoggedIn": true}]}, "unlicensedAccess": ["anonymous", "customer"]}],
       "jira:issueGlance": [{"key": "glance", "displayConditions": {"issueType": ["Bug", "Task"], "hasProjectPermission": {"permission": "BROWSE_PROJECTS"}}}],
       "jira:issueAction": [{"key": "action", "displayConditions": [{"condition": "isJiraGuest", "invert": true}]}],
       "jira:projectSettingsPage": [{"key": "settings"}],
       "jira:globalPage": [{"key": "global"}]}}},
    {"key": "com.acme.connect", "name": "Acme Connect", "framework": "connect", "guestAccess": "block",
     "descriptor": {"modules": {
       "webPanels": [{"key": "panel", "conditions": [{"condition": "entity_property_equal_to", "params": {"entity": "issue", "propertyKey": "acme-enabled", "value": "true"}}]}],
       "jiraIssueGlances": [{"key": "glance", "conditions": [{"condition": "has_project_permission", "params": {"permission": "EDIT_ISSUES"}}]}],
       "generalPages": [{"key": "page"}]}}}
  ],
  "policies": [{"id": "sec", "name": "Security", "projects": ["SEC"], "appAccess": "block-all"}]
}"#;
