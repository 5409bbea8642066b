//! The decision pipeline (spec section 3): ten rules, first match wins.

use serde::Serialize;

use crate::catalog::{Admin, Scope, Shape};
use crate::condition::{ContextField, Env, Fact, Leaf, PropTest, Tri};
use crate::config::{Config, Module};
use crate::diag::{quote, Diagnostic};
use crate::model::{Framework, GuestAccess, GuestMode, Layer, OnMissingFacts, Outcome, Reason, ViewerType};
use crate::request::RequestRef;
use crate::value::{object, text, texts, ToValue, Value};

/// The answer for one module.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    pub outcome: Outcome,
    pub reason: Reason,
    pub layer: Layer,
    /// Placeholder text in the configured locale (only with outcome `placeholder`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Id of the blocking policy (`blocked-by-policy`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// Facts the host must supply (`missing-facts`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<String>>,
    /// `false` for modules that draw no UI (`not-a-ui-module`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renders_ui: Option<bool>,
    /// What was wrong with the request (`invalid-request`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<Diagnostic>>,
    /// Every rule and condition leaf evaluated, when the request asked (`explain: true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Trace>,
}

impl Decision {
    fn new(outcome: Outcome, reason: Reason, layer: Layer) -> Decision {
        Decision {
            outcome,
            reason,
            layer,
            message: None,
            policy: None,
            missing: None,
            renders_ui: None,
            errors: None,
            trace: None,
        }
    }

    /// The fail-closed answer to a request that could not be read.
    pub fn invalid_request(errors: Vec<Diagnostic>) -> Decision {
        let mut d = Decision::new(Outcome::Hide, Reason::InvalidRequest, Layer::Input);
        d.errors = Some(errors);
        d
    }
}

/// What the pipeline decides, before the texts: the placeholder message and the policy id
/// are still indices into the config. [`Config::finish`] turns it into a [`Decision`]; a
/// page batch keeps verdicts and renders each distinct text once.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub outcome: Outcome,
    pub reason: Reason,
    pub layer: Layer,
    /// `Some(false)` for modules that draw no UI.
    pub renders_ui: Option<bool>,
    /// Facts the host must supply (`missing-facts`).
    pub missing: Option<Vec<String>>,
    /// The app whose placeholder text this is (placeholders only).
    message_app: Option<usize>,
    /// The blocking policy (`blocked-by-policy`).
    policy: Option<usize>,
}

impl Verdict {
    fn new(outcome: Outcome, reason: Reason, layer: Layer) -> Verdict {
        Verdict { outcome, reason, layer, renders_ui: None, missing: None, message_app: None, policy: None }
    }

    /// What the placeholder text depends on: equal keys, equal texts (`None`: no text).
    pub fn message_key(&self) -> Option<(Reason, usize, Option<usize>)> {
        self.message_app.map(|app| (self.reason, app, self.policy))
    }

    /// The blocking policy's index in the config.
    pub fn policy_index(&self) -> Option<usize> {
        self.policy
    }
}

impl ToValue for Decision {
    fn to_value(&self) -> Value {
        object([
            ("outcome", text(self.outcome.name())),
            ("reason", text(self.reason.code())),
            ("layer", text(self.layer.name())),
            ("message", self.message.as_deref().and_then(text)),
            ("policy", self.policy.as_deref().and_then(text)),
            ("missing", self.missing.as_deref().and_then(texts)),
            ("rendersUi", self.renders_ui.map(Value::Bool)),
            ("errors", self.errors.as_ref().map(ToValue::to_value)),
            ("trace", self.trace.as_ref().map(ToValue::to_value)),
        ])
    }
}

impl ToValue for Trace {
    fn to_value(&self) -> Value {
        object([
            ("steps", Some(self.steps.to_value())),
            ("conditions", Some(self.conditions.to_value())),
            ("whyNot", self.why_not.as_deref().and_then(text)),
        ])
    }
}

impl ToValue for Step {
    fn to_value(&self) -> Value {
        object([
            ("rule", Some(Value::Number(f64::from(self.rule)))),
            ("layer", text(self.layer.name())),
            ("check", text(self.check)),
            ("result", text(self.result)),
            ("detail", text(&self.detail)),
        ])
    }
}

impl ToValue for LeafValue {
    fn to_value(&self) -> Value {
        object([("path", text(&self.path)), ("condition", text(&self.condition)), ("value", text(self.value.name()))])
    }
}

/// Why a decision came out as it did, step by step, in plain words.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Trace {
    pub steps: Vec<Step>,
    /// Each condition leaf with its value, in tree order.
    pub conditions: Vec<LeafValue>,
    /// The smallest failing part of a false condition tree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why_not: Option<String>,
}

/// One rule of the pipeline as it was checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub rule: u8,
    pub layer: Layer,
    pub check: &'static str,
    /// `pass`, `fail`, `unknown` or `skip`.
    pub result: &'static str,
    pub detail: String,
}

/// A condition leaf and its value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeafValue {
    pub path: String,
    pub condition: String,
    pub value: Tri,
}

struct Tracer {
    steps: Option<Vec<Step>>,
}

impl Tracer {
    fn step(
        &mut self,
        rule: u8,
        layer: Layer,
        check: &'static str,
        result: &'static str,
        detail: impl FnOnce() -> String,
    ) {
        if let Some(steps) = &mut self.steps {
            steps.push(Step { rule, layer, check, result, detail: detail() });
        }
    }
}

/// Knobs for [`Config::run`]: lints evaluate modules without policies.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RunOpts {
    pub skip_policies: bool,
}

/// Leaf values from a request: the viewer, the context and the host's facts.
pub struct RequestEnv<'a> {
    pub req: RequestRef<'a>,
}

impl Env for RequestEnv<'_> {
    fn leaf(&self, leaf: &Leaf) -> Tri {
        let req = self.req;
        let v = req.viewer;
        let value = match &leaf.fact {
            Fact::LoggedIn => Tri::from_bool(v.kind != ViewerType::Anonymous),
            Fact::Anonymous => Tri::from_bool(v.kind == ViewerType::Anonymous),
            Fact::Guest => Tri::from_bool(v.kind == ViewerType::Guest),
            Fact::SiteAdmin => Tri::from_bool(v.is_site_admin()),
            Fact::Admin => Tri::from_bool(v.is_product_admin()),
            // The condition reads the space-admin flag itself; rule 3 also lets product and
            // site admins into space settings.
            Fact::SpaceAdmin => Tri::from_bool(v.kind.can_be_admin() && v.space_admin),
            Fact::Licensed => Tri::from_bool(v.kind == ViewerType::Licensed),
            Fact::Permission(p) => match &v.permissions {
                None => Tri::Unknown,
                Some(list) => Tri::from_bool(list.iter().any(|q| q.eq_ignore_ascii_case(p))),
            },
            Fact::Context(field, values) => {
                let actual = match field {
                    ContextField::ProjectType => req.context.project_type.as_deref(),
                    ContextField::IssueType => req.context.issue_type.as_deref(),
                    ContextField::IssueKey => req.context.issue_key.as_deref(),
                    ContextField::ContentType => req.context.content_type.as_deref(),
                    ContextField::Space => req.space,
                };
                match actual {
                    None => Tri::Unknown,
                    Some(a) => Tri::from_bool(values.iter().any(|x| x.eq_ignore_ascii_case(a))),
                }
            }
            Fact::Property { entity, key, object_name, test } => {
                let found = req.context.property(entity, key).and_then(|v| select(v, object_name.as_deref()));
                Tri::from_bool(found.is_some_and(|v| property_test(v, test)))
            }
            Fact::Host => Tri::Unknown,
        };
        if value == Tri::Unknown {
            // The host may answer any condition by name.
            if let Some(b) = req.fact(&leaf.name) {
                return Tri::from_bool(b);
            }
        }
        value
    }
}

/// `objectName` picks a field (dot-separated path) out of an object property.
fn select<'v>(v: &'v Value, object_name: Option<&str>) -> Option<&'v Value> {
    match object_name {
        None => Some(v),
        Some(path) => path.split('.').try_fold(v, |cur, part| cur.get(part)),
    }
}

fn property_test(v: &Value, test: &PropTest) -> bool {
    match test {
        PropTest::Exists => true,
        PropTest::Equals(expected) => v.loosely_equals(expected),
        PropTest::ContainsAny(wanted) => match v {
            Value::Array(items) => wanted.iter().any(|w| items.iter().any(|i| i.loosely_equals(w))),
            scalar => wanted.iter().any(|w| scalar.loosely_equals(w)),
        },
        PropTest::ContainsAll(wanted) => match v {
            Value::Array(items) => wanted.iter().all(|w| items.iter().any(|i| i.loosely_equals(w))),
            scalar => wanted.iter().all(|w| scalar.loosely_equals(w)),
        },
    }
}

/// The name a host uses to supply an unknown leaf.
pub fn missing_name(leaf: &Leaf) -> String {
    match &leaf.fact {
        Fact::Permission(_) => "viewer.permissions".to_owned(),
        Fact::Context(field, _) => field.request_field().to_owned(),
        _ => leaf.name.clone(),
    }
}

/// Where a request's app and module sit in a config's tables: rule 1's two lookups, which
/// a page batch does once per distinct app and module name instead of once per request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    NoApp,
    /// The app's index; it declares no such module.
    NoModule(usize),
    /// The app's and the module's indices.
    Module(usize, usize),
}

impl Config {
    /// Decides one request.
    pub fn decide(&self, req: RequestRef<'_>) -> Decision {
        self.run(req, &RequestEnv { req }, RunOpts::default())
    }

    /// The app's index.
    pub(crate) fn find_app(&self, app: &str) -> Option<usize> {
        self.app_index.get(app).copied()
    }

    /// The module's place, given its app's index.
    pub(crate) fn find_module(&self, app: Option<usize>, module: &str) -> Found {
        match app {
            None => Found::NoApp,
            Some(a) => match self.apps.get(a).and_then(|app| app.module_index.get(module)) {
                Some(&m) => Found::Module(a, m),
                None => Found::NoModule(a),
            },
        }
    }

    /// Decides a request (no trace) whose app and module were looked up already: `found`
    /// must be what `find_module(find_app(req.app), req.module)` gives.
    pub(crate) fn decide_found(&self, req: RequestRef<'_>, found: Found) -> Verdict {
        let env = RequestEnv { req };
        self.pipeline(req, found, &env, RunOpts::default(), &mut Tracer { steps: None })
    }

    /// The decision a verdict stands for, texts filled in.
    pub(crate) fn finish(&self, v: Verdict) -> Decision {
        let message = self.message_of(&v);
        let policy = self.policy_of(&v).map(str::to_owned);
        Decision {
            outcome: v.outcome,
            reason: v.reason,
            layer: v.layer,
            message,
            policy,
            missing: v.missing,
            renders_ui: v.renders_ui,
            errors: None,
            trace: None,
        }
    }

    /// A verdict's placeholder text.
    pub(crate) fn message_of(&self, v: &Verdict) -> Option<String> {
        let (reason, app, policy) = v.message_key()?;
        let policy = policy.and_then(|p| self.policies.get(p)).map_or("", |p| p.name.as_str());
        self.message_for(reason, &self.apps.get(app)?.name, policy)
    }

    /// The id of a verdict's blocking policy.
    pub(crate) fn policy_of(&self, v: &Verdict) -> Option<&str> {
        v.policy.and_then(|p| self.policies.get(p)).map(|p| p.id.as_str())
    }

    /// The pipeline, with leaf values from `env`.
    pub(crate) fn run(&self, req: RequestRef<'_>, env: &dyn Env, opts: RunOpts) -> Decision {
        let mut t = Tracer { steps: req.explain.then(Vec::new) };
        let found = self.find_module(self.find_app(req.app), req.module);
        let mut d = self.finish(self.pipeline(req, found, env, opts, &mut t));
        if let Some(steps) = t.steps {
            let mut trace = Trace { steps, conditions: Vec::new(), why_not: None };
            if let Some(cond) = self.app(req.app).and_then(|a| a.module(req.module)).and_then(|m| m.conditions.as_ref())
            {
                let mut leaves = Vec::new();
                cond.leaf_values(env, &mut leaves);
                trace.conditions =
                    leaves.into_iter().map(|(path, condition, value)| LeafValue { path, condition, value }).collect();
                if d.reason == Reason::ConditionsFalse {
                    trace.why_not = Some(cond.why_not(env));
                }
            }
            d.trace = Some(trace);
        }
        d
    }

    #[inline(never)]
    fn pipeline(&self, req: RequestRef<'_>, found: Found, env: &dyn Env, opts: RunOpts, t: &mut Tracer) -> Verdict {
        use Layer::*;
        let viewer = req.viewer;

        // Rule 1: the app and the module exist.
        let (app, module) = match found {
            Found::NoApp => (None, None),
            Found::NoModule(a) => (self.apps.get(a).map(|app| (a, app)), None),
            Found::Module(a, m) => {
                let app = self.apps.get(a);
                (app.map(|app| (a, app)), app.and_then(|app| app.modules.get(m)))
            }
        };
        let Some((app_index, app)) = app else {
            t.step(1, Catalog, "app-installed", "fail", || format!("app {} is not installed", quote(req.app)));
            return Verdict::new(Outcome::Hide, Reason::AppNotInstalled, Catalog);
        };
        t.step(1, Catalog, "app-installed", "pass", || {
            format!("{} app {} is installed", app.framework.display_name(), quote(&app.key))
        });
        let Some(module) = module else {
            t.step(1, Catalog, "module-found", "fail", || {
                format!("app {} declares no module {}", quote(&app.key), quote(req.module))
            });
            return Verdict::new(Outcome::Hide, Reason::ModuleNotFound, Catalog);
        };
        let Some(kind) = module.kind else {
            t.step(1, Catalog, "module-found", "fail", || {
                format!(
                    "module {} has type {}, which {} does not know",
                    quote(&module.key),
                    quote(&module.type_name),
                    self.product.display_name()
                )
            });
            return Verdict::new(Outcome::Hide, Reason::ModuleNotFound, Catalog);
        };
        t.step(1, Catalog, "module-found", "pass", || {
            format!("module {} is a {}", quote(&module.key), quote(kind.name))
        });

        // Rule 2: only UI modules are gated as UI.
        if !kind.ui {
            t.step(2, Catalog, "ui-module", "fail", || format!("{} draws no UI", quote(kind.name)));
            let mut d = Verdict::new(Outcome::Hide, Reason::NotAUiModule, Catalog);
            d.renders_ui = Some(false);
            return d;
        }
        t.step(2, Catalog, "ui-module", "pass", || format!("{} draws UI", quote(kind.name)));

        let space = match kind.scope {
            Scope::Global => None,
            Scope::Space | Scope::Any => req.space,
        };
        // Rule 9's list is built only when something is missing: most decisions need none,
        // and an empty `Vec` still costs a drop call in this size-optimized build.
        let space_missing = kind.scope == Scope::Space && space.is_none();

        // Rule 3: admin-only modules.
        let (admin_ok, needs) = match kind.admin {
            Admin::None => (true, ""),
            Admin::Product => (viewer.is_product_admin(), "a site or product admin"),
            Admin::Space => (viewer.is_space_admin(), "a space admin"),
        };
        if !admin_ok {
            t.step(3, Catalog, "admin-only", "fail", || {
                format!("{} is for {needs}, and the {} viewer is not one", quote(kind.name), viewer.kind.name())
            });
            return Verdict::new(Outcome::Hide, Reason::AdminOnly, Catalog);
        }
        t.step(3, Catalog, "admin-only", "pass", || {
            if needs.is_empty() {
                format!("{} is open to every viewer", quote(kind.name))
            } else {
                format!("the viewer is {needs}")
            }
        });

        // Rule 4: admin policies covering the space.
        if opts.skip_policies {
            t.step(4, Policy, "policy", "skip", || "policies are not checked here".to_owned());
        } else if let Some(space) = space {
            if let Some((i, p)) = self.policies.iter().enumerate().find(|(_, p)| p.covers(space) && p.blocks(&app.key))
            {
                t.step(4, Policy, "policy", "fail", || {
                    format!(
                        "policy {} ({}) covers space {} and blocks app {} ({})",
                        quote(&p.id),
                        p.name,
                        quote(space),
                        quote(&app.key),
                        p.access.name()
                    )
                });
                let mut v = self.blocked(kind.shape, Reason::BlockedByPolicy, Policy, app_index);
                v.policy = Some(i);
                return v;
            }
            t.step(4, Policy, "policy", "pass", || {
                format!("no policy covering space {} blocks app {}", quote(space), quote(&app.key))
            });
        } else if kind.scope == Scope::Space {
            t.step(4, Policy, "policy", "unknown", || {
                "the request names no space, so policies cannot be checked".to_owned()
            });
        } else {
            t.step(4, Policy, "policy", "skip", || {
                format!("{} is not in a space: space policies do not apply", quote(kind.name))
            });
        }

        // Rules 5 and 6: guests.
        if viewer.kind == ViewerType::Guest {
            match (kind.scope, space) {
                (Scope::Global, _) => {
                    t.step(5, Guest, "guest-space", "skip", || format!("{} is outside any space", quote(kind.name)))
                }
                (_, Some(space)) if viewer.guest_space.as_deref() != Some(space) => {
                    t.step(5, Guest, "guest-space", "fail", || match &viewer.guest_space {
                        Some(g) => format!("the guest may see space {} only, not {}", quote(g), quote(space)),
                        None => format!("the guest has no guest space, so space {} is outside it", quote(space)),
                    });
                    return Verdict::new(Outcome::Hide, Reason::OutsideGuestSpace, Guest);
                }
                (_, Some(space)) => {
                    t.step(5, Guest, "guest-space", "pass", || format!("space {} is the guest's space", quote(space)))
                }
                (_, None) if kind.scope == Scope::Space => {
                    t.step(5, Guest, "guest-space", "unknown", || "the request names no space".to_owned())
                }
                (_, None) => t.step(5, Guest, "guest-space", "skip", || "the module is not in a space".to_owned()),
            }
            if kind.guest_gated(self.product) {
                let opted_out = module.allow_guests == Some(false) || app.guest_access == Some(GuestAccess::Block);
                let opted_in = module.allow_guests == Some(true)
                    || app.guest_access == Some(GuestAccess::Allow)
                    || module.positive_guest_condition;
                let blocked = match self.guest_mode {
                    GuestMode::BlockUi => true,
                    GuestMode::OptIn => opted_out || !opted_in,
                    GuestMode::Allow => opted_out,
                };
                if blocked {
                    t.step(6, Guest, "guest-mode", "fail", || {
                        let why = match self.guest_mode {
                            GuestMode::BlockUi => "never render for guests",
                            GuestMode::OptIn if opted_out => {
                                "render for guests only when allowed, and the app blocks guests"
                            }
                            GuestMode::OptIn => "render for guests only when the app allows guests, and it does not",
                            GuestMode::Allow => "render for guests unless the app opts out, and it does",
                        };
                        format!("in guest mode {}, {} modules {why}", quote(self.guest_mode.name()), quote(kind.name))
                    });
                    return self.blocked(kind.shape, Reason::GuestBlocked, Guest, app_index);
                }
                t.step(6, Guest, "guest-mode", "pass", || {
                    format!("guest mode {} lets guests see this module", quote(self.guest_mode.name()))
                });
            } else {
                t.step(6, Guest, "guest-mode", "skip", || {
                    format!("{} is open to guests in {}", quote(kind.name), self.product.display_name())
                });
            }
        }

        // Rule 7: Forge modules and viewers without a licence.
        if app.framework == Framework::Forge
            && matches!(viewer.kind, ViewerType::Anonymous | ViewerType::Customer | ViewerType::Unlicensed)
        {
            if !module.unlicensed_access.contains(&viewer.kind) {
                t.step(7, Licence, "unlicensed-access", "fail", || {
                    format!("the module's `unlicensedAccess` does not list {}", quote(viewer.kind.name()))
                });
                return Verdict::new(Outcome::Hide, Reason::UnlicensedAccess, Licence);
            }
            t.step(7, Licence, "unlicensed-access", "pass", || {
                format!("the module's `unlicensedAccess` lists {}", quote(viewer.kind.name()))
            });
        }

        // Rules 8 and 9: the module's own conditions.
        let mut unknown = None;
        if let Some(cond) = &module.conditions {
            match cond.eval(env) {
                Tri::False => {
                    t.step(8, Conditions, "conditions", "fail", || "the module's conditions are false".to_owned());
                    return Verdict::new(Outcome::Hide, Reason::ConditionsFalse, Conditions);
                }
                Tri::Unknown => {
                    unknown = Some(cond);
                    t.step(8, Conditions, "conditions", "unknown", || {
                        "the module's conditions depend on unknown facts".to_owned()
                    });
                }
                Tri::True => {
                    t.step(8, Conditions, "conditions", "pass", || "the module's conditions are true".to_owned())
                }
            }
        }
        if space_missing || unknown.is_some() {
            let mut missing: Vec<String> = Vec::new();
            if space_missing {
                missing.push("space".to_owned());
            }
            if let Some(cond) = unknown {
                let mut leaves = Vec::new();
                cond.unknown_leaves(env, &mut leaves);
                for leaf in leaves {
                    let name = missing_name(leaf);
                    if !missing.contains(&name) {
                        missing.push(name);
                    }
                }
            }
            t.step(9, Conditions, "facts", "fail", || format!("unknown: {}", missing.join(", ")));
            let outcome = match self.on_missing_facts {
                OnMissingFacts::Hide => Outcome::Hide,
                OnMissingFacts::Pending => Outcome::Pending,
            };
            let mut d = Verdict::new(outcome, Reason::MissingFacts, Conditions);
            d.missing = Some(missing);
            return d;
        }
        t.step(10, Conditions, "allowed", "pass", || "no rule blocks the module".to_owned());
        Verdict::new(Outcome::Render, Reason::Allowed, Conditions)
    }

    /// A block: slots get a placeholder with its message, fragments vanish.
    fn blocked(&self, shape: Shape, reason: Reason, layer: Layer, app: usize) -> Verdict {
        match shape {
            Shape::Fragment => Verdict::new(Outcome::Hide, reason, layer),
            Shape::Slot => {
                let mut v = Verdict::new(Outcome::Placeholder, reason, layer);
                v.message_app = Some(app);
                v
            }
        }
    }

    /// The placeholder text for `reason`.
    pub fn message_for(&self, reason: Reason, app: &str, policy: &str) -> Option<String> {
        self.templates.render(reason, app, policy)
    }

    /// Whether `module` is a macro that would render for `req` (the macro browser).
    pub(crate) fn is_discoverable(&self, module: &Module, req: RequestRef<'_>) -> bool {
        module.kind.is_some_and(|k| k.is_macro()) && self.decide(req).outcome == Outcome::Render
    }
}
