//! # render-gate
//!
//! Decides, inside a host product's page and before any app code loads, whether a
//! third-party app's UI module (a macro, a web panel, an issue glance...) may render for
//! the current viewer: `render`, a `placeholder` that says the product or the
//! organization blocked it (never the app), `hide`, or `pending`.
//!
//! ## Overview
//!
//! A [`Gate`] is compiled once from a configuration (product, guest mode, installed apps
//! with their Connect descriptors or Forge manifests, admin policies) and then answers
//! [`Request`]s with [`Decision`]s through a fixed precedence pipeline: catalog, policy,
//! guest, licence, conditions. Conditions from both Connect `conditions` and Forge
//! `displayConditions` become one tree evaluated with three-valued logic, so an unknown
//! fact is never mistaken for a true one.
//!
//! This crate is the pure core: no I/O, no JavaScript, no DOM. The WebAssembly binding
//! (compiled for `wasm32` only) is a thin layer over it.
//!
//! ## Examples
//!
//! ```
//! use render_gate::{Gate, Outcome, Reason, Value};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//!
//! let config: Value = serde_json::from_str(r#"{
//!     "product": "confluence",
//!     "apps": [{ "key": "com.acme.charts", "name": "Acme Charts", "framework": "connect",
//!                "descriptor": { "modules": { "dynamicContentMacros": [{ "key": "chart" }] } } }]
//! }"#)?;
//! let gate = Gate::new(&config).map_err(|errors| format!("{errors:?}"))?;
//!
//! let request: Value = serde_json::from_str(r#"{
//!     "viewer": { "type": "guest", "guestSpace": "ENG" },
//!     "app": "com.acme.charts", "module": "chart", "space": "ENG"
//! }"#)?;
//! let decision = gate.decide_value(&request);
//! assert_eq!(decision.outcome, Outcome::Placeholder);
//! assert_eq!(decision.reason, Reason::GuestBlocked);
//! assert_eq!(decision.message.as_deref(),
//!            Some("Confluence does not allow access to this content for guest users"));
//! # Ok(())
//! # }
//! ```
//!
//! ## Untrusted input
//!
//! Configs and requests come from host pages and app descriptors, so every input is
//! treated as hostile: building a [`Value`] is bounded in depth, node count and string
//! length ([`Limits`]); condition trees are bounded in depth and size; keys are bounded in
//! length. Bad input yields diagnostics with paths (configs) or a fail-closed `hide` with
//! reason `invalid-request` (requests); the library never panics and never answers
//! `render` for input it could not read.

#![forbid(unsafe_code)]

mod adapter;
mod batch;
mod catalog;
mod condition;
mod config;
mod decide;
mod diag;
mod lint;
mod messages;
mod model;
pub(crate) mod read;
mod request;
mod tokens;
mod value;

/// DOM gating through web-sys, compiled for `wasm32` only.
#[cfg(target_arch = "wasm32")]
mod dom;
/// The JavaScript API (wasm-bindgen), compiled for `wasm32` only.
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use adapter::{from_connect_context, from_forge_context, HostView};
pub use batch::{
    CompactBatch, CompactDecisions, CompactPage, ABSENT as COMPACT_ABSENT, COLS as COMPACT_COLS, SLOW as COMPACT_SLOW,
};
pub use catalog::{lookup as lookup_module_type, Admin, ModuleType, Scope, Shape, MODULE_TYPES};
pub use condition::{parse_connect, parse_forge, Cond, Env, Fact, Leaf, Tri, MAX_DEPTH, MAX_NODES};
pub use decide::{Decision, LeafValue, RequestEnv, Step, Trace, Verdict};
pub use diag::{Diagnostic, Diagnostics, Path, Severity};
pub use messages::{escape_html, why_label, LOCALES};
pub use model::{
    AppAccess, Framework, GuestAccess, GuestMode, Layer, OnMissingFacts, Outcome, Product, Reason, Viewer, ViewerType,
};
pub use request::{Context, Facts, Request, RequestRef};
pub use tokens::Tokens;
pub use value::{error_code as value_error_code, BoundedValue, Limits, ToValue, Value};

use serde::Serialize;

/// Most requests in one [`Gate::decide_all`] batch.
pub const MAX_BATCH: usize = 200_000;

/// A compiled gate: the config's tables, ready to answer requests.
#[derive(Debug)]
pub struct Gate {
    config: config::Config,
    /// Warnings found while reading the config.
    read_warnings: Vec<Diagnostic>,
    /// Those and the lint warnings, computed on first use: a page that only decides never
    /// pays for the lints.
    warnings: std::sync::OnceLock<Vec<Diagnostic>>,
}

/// The result of [`validate`]: problems that stop a config, and warnings that do not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Validation {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// A macro the viewer may insert (see [`Gate::discoverable_macros`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MacroRef {
    pub app: String,
    pub module: String,
}

impl ToValue for Validation {
    fn to_value(&self) -> Value {
        value::object([("errors", Some(self.errors.to_value())), ("warnings", Some(self.warnings.to_value()))])
    }
}

impl ToValue for MacroRef {
    fn to_value(&self) -> Value {
        value::object([("app", value::text(&self.app)), ("module", value::text(&self.module))])
    }
}

/// Checks a config without compiling it: every error and every lint warning.
pub fn validate(config: &Value) -> Validation {
    let mut diags = Diagnostics::default();
    if let Some(cfg) = config::read(config, &mut diags) {
        lint::lint(&cfg, &mut diags);
    }
    let (errors, warnings) = diags.split();
    Validation { errors, warnings }
}

impl Gate {
    /// Compiles a config. On error, returns every error found (warnings are kept on the
    /// gate, see [`Gate::warnings`]).
    pub fn new(config: &Value) -> Result<Gate, Vec<Diagnostic>> {
        let mut diags = Diagnostics::default();
        match config::read(config, &mut diags) {
            Some(cfg) => Ok(Gate { config: cfg, read_warnings: diags.split().1, warnings: std::sync::OnceLock::new() }),
            None => Err(diags.split().0),
        }
    }

    /// The config's warnings, in the order [`validate`] gives them (lints computed on first
    /// call).
    pub fn warnings(&self) -> &[Diagnostic] {
        self.warnings.get_or_init(|| {
            let mut diags = Diagnostics { items: self.read_warnings.clone() };
            lint::lint(&self.config, &mut diags);
            diags.split().1
        })
    }

    pub fn product(&self) -> Product {
        self.config.product
    }

    pub fn guest_mode(&self) -> GuestMode {
        self.config.guest_mode
    }

    pub fn locale(&self) -> &str {
        &self.config.locale
    }

    /// Decides one request that was already read.
    pub fn decide(&self, request: &Request) -> Decision {
        self.config.decide(request.as_ref())
    }

    /// Decides one borrowed request (batches share viewers, contexts and facts).
    pub fn decide_ref(&self, request: RequestRef<'_>) -> Decision {
        self.config.decide(request)
    }

    /// Reads and decides one request; an unreadable request fails closed as `hide` with
    /// reason `invalid-request` and its diagnostics.
    pub fn decide_value(&self, request: &Value) -> Decision {
        let mut diags = Diagnostics::default();
        match request::read_request(request, &mut diags) {
            Some(req) => self.decide(&req),
            None => Decision::invalid_request(diags.split().0),
        }
    }

    /// Decides a page: one decision per request, in order.
    pub fn decide_all(&self, requests: &[Value]) -> Vec<Decision> {
        requests.iter().map(|r| self.decide_value(r)).collect()
    }

    /// The macros `viewer` may find in the macro browser of `space`: exactly those whose
    /// decision there would be `render` (RFC-14: blocked apps' macros are not listed).
    pub fn discoverable_macros(&self, viewer: &Viewer, space: &str) -> Vec<MacroRef> {
        let mut out = Vec::new();
        for app in &self.config.apps {
            for module in &app.modules {
                let req = RequestRef {
                    viewer,
                    app: &app.key,
                    module: &module.key,
                    space: Some(space),
                    context: &request::NO_CONTEXT,
                    facts: request::Facts::NONE,
                    explain: false,
                };
                if self.config.is_discoverable(module, req) {
                    out.push(MacroRef { app: app.key.clone(), module: module.key.clone() });
                }
            }
        }
        out
    }

    /// Reads a viewer (for [`Gate::discoverable_macros`] from untrusted input).
    pub fn read_viewer(viewer: &Value) -> Result<Viewer, Vec<Diagnostic>> {
        let mut diags = Diagnostics::default();
        let path = Path::root().key("viewer");
        match request::read_viewer(viewer, &path, &mut diags) {
            Some(v) if !diags.has_errors() => Ok(v),
            _ => Err(diags.split().0),
        }
    }

    /// The placeholder markup for a decision; empty unless its outcome is `placeholder`.
    pub fn placeholder_html(&self, decision: &Decision) -> String {
        let text = decision
            .message
            .clone()
            .or_else(|| self.config.message_for(decision.reason, "this app", ""))
            .unwrap_or_default();
        messages::placeholder_html(
            decision.outcome,
            decision.reason.code(),
            &text,
            decision.policy.as_deref(),
            &self.config.locale,
        )
    }

    /// [`Gate::placeholder_html`] for a decision given as untrusted data (as JS passes it
    /// back): `outcome` and `reason` are required, `message` and `policy` optional.
    pub fn placeholder_html_value(&self, decision: &Value) -> Result<String, Vec<Diagnostic>> {
        let mut diags = Diagnostics::default();
        let root = Path::root();
        let Some(obj) = read::object(decision, &root, "the decision", &mut diags) else {
            return Err(diags.split().0);
        };
        let outcome = obj.enum_req("outcome", &["render", "placeholder", "hide", "pending"], &mut diags);
        let reason = obj.str_req("reason", &mut diags);
        let message = obj.str_opt("message", &mut diags);
        let policy = obj.str_opt("policy", &mut diags);
        let reason = reason.and_then(|r| match Reason::from_code(r) {
            Some(r) => Some(r),
            None => {
                diags.error("invalid-value", &obj.at("reason"), format!("unknown reason {}", diag::quote(r)));
                None
            }
        });
        if diags.has_errors() {
            return Err(diags.split().0);
        }
        let (Some(outcome), Some(reason)) = (outcome, reason) else { return Err(diags.split().0) };
        let outcome = [Outcome::Render, Outcome::Placeholder, Outcome::Hide, Outcome::Pending]
            .get(outcome)
            .copied()
            .unwrap_or(Outcome::Hide);
        let mut d = Decision::invalid_request(Vec::new());
        d.outcome = outcome;
        d.reason = reason;
        d.errors = None;
        d.message = message.map(str::to_owned);
        d.policy = policy.map(str::to_owned);
        Ok(self.placeholder_html(&d))
    }
}
