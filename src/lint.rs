//! Lints: warnings an app or host author sees (spec section 6).
//!
//! Structural problems are found while reading (`unknown-module-type`,
//! `unknown-condition`); the checks here look at the compiled config as a whole.

use crate::condition::{is_guest_condition, Cond, Env, Fact, Leaf, Tri};
use crate::config::{App, Config, Module};
use crate::decide::RunOpts;
use crate::diag::{quote, Diagnostic, Diagnostics};
use crate::model::{AppAccess, Framework, Outcome, Reason, Viewer, ViewerType};
use crate::request::Request;

/// Allowlists longer than this draw a warning (RFC-14 caps them at 20 apps).
pub const MAX_ALLOWLIST: usize = 20;
/// Trees with at most this many distinct leaves are checked for always true / false.
const MAX_EXHAUSTIVE_LEAVES: usize = 12;

/// Runs every lint over a compiled config.
pub fn lint(cfg: &Config, diags: &mut Diagnostics) {
    for app in &cfg.apps {
        for module in &app.modules {
            lint_module(cfg, app, module, diags);
        }
    }
    for (i, p) in cfg.policies.iter().enumerate() {
        let path = crate::diag::Path::root().key("policies").index(i);
        if p.access == AppAccess::BlockAllExcept && p.apps.len() > MAX_ALLOWLIST {
            diags.push(
                Diagnostic::warning(
                    "policy-allowlist-large",
                    &path.key("apps"),
                    format!(
                        "policy {} allows {} apps; admins can list at most {MAX_ALLOWLIST}",
                        quote(&p.id),
                        p.apps.len()
                    ),
                )
                .with_help("block fewer apps with `block-only`, or split the spaces across policies"),
            );
        }
        for (j, key) in p.apps.iter().enumerate() {
            if cfg.app(key).is_none() {
                diags.warning(
                    "policy-unknown-app",
                    &path.key("apps").index(j),
                    format!("policy {} names app {}, which is not installed", quote(&p.id), quote(key)),
                );
            }
        }
    }
}

fn lint_module(cfg: &Config, app: &App, module: &Module, diags: &mut Diagnostics) {
    let Some(kind) = module.kind else { return };
    let cond_field = if app.framework == Framework::Forge { "displayConditions" } else { "conditions" };
    let cpath = module.path.key(cond_field);
    let mut always_false = false;
    if let Some(cond) = &module.conditions {
        if !kind.conditions {
            diags.push(
                Diagnostic::warning(
                    "conditions-unsupported",
                    &cpath,
                    format!(
                        "{} does not support conditions on {} modules",
                        cfg.product.display_name(),
                        quote(kind.name)
                    ),
                )
                .with_help("the product ignores them; render-gate still evaluates them, failing closed"),
            );
        }
        match constant(cond) {
            Some(true) => diags.warning(
                "condition-always-true",
                &cpath,
                format!("the conditions of module {} are always true", quote(&module.key)),
            ),
            Some(false) => {
                always_false = true;
                diags.warning(
                    "condition-always-false",
                    &cpath,
                    format!("the conditions of module {} are always false: it never renders", quote(&module.key)),
                );
            }
            None => {}
        }
        if !always_false && module.positive_guest_condition {
            let licensed = ProfileEnv::licensed();
            if cond.eval(&licensed) == Tri::False {
                let mut name = String::new();
                cond.walk_leaves(true, &mut |l, positive| {
                    if positive && name.is_empty() && is_guest_condition(&l.name) {
                        name = l.name.clone();
                    }
                });
                diags.push(
                    Diagnostic::warning(
                        "guest-condition-alone",
                        &cpath,
                        format!("{} is not inverted, so module {} is hidden from every licensed user", quote(&name), quote(&module.key)),
                    )
                    .with_help(format!(
                        "to let guests in too, put it in an `or` with the condition licensed users meet; to block guests, invert it ({} with `invert: true`)",
                        quote(&name)
                    )),
                );
            }
        }
    }
    if kind.ui && !can_render(cfg, app, module) {
        diags.warning(
            "never-renders",
            &module.path,
            format!("module {} cannot render for any kind of viewer", quote(&module.key)),
        );
    }
}

/// `Some(b)` when the tree is `b` under every assignment of its distinct leaves.
fn constant(cond: &Cond) -> Option<bool> {
    let keys = cond.distinct_leaf_keys();
    if keys.is_empty() || keys.len() > MAX_EXHAUSTIVE_LEAVES {
        return None;
    }
    let mut seen_true = false;
    let mut seen_false = false;
    for bits in 0u32..(1u32 << keys.len()) {
        match cond.eval(&Assignment { keys: &keys, bits }) {
            Tri::True => seen_true = true,
            Tri::False => seen_false = true,
            Tri::Unknown => return None,
        }
        if seen_true && seen_false {
            return None;
        }
    }
    Some(seen_true)
}

struct Assignment<'a> {
    keys: &'a [&'a str],
    bits: u32,
}

impl Env for Assignment<'_> {
    fn leaf(&self, leaf: &Leaf) -> Tri {
        match self.keys.iter().position(|k| *k == leaf.key) {
            Some(i) => Tri::from_bool(self.bits & (1 << i) != 0),
            None => Tri::Unknown,
        }
    }
}

/// A kind of viewer, with everything but who they are left unknown.
struct ProfileEnv {
    viewer: Viewer,
    /// Admin flags are facts of the profile (`None`: unknown).
    admin: Option<bool>,
}

impl ProfileEnv {
    fn licensed() -> ProfileEnv {
        ProfileEnv { viewer: Viewer::new(ViewerType::Licensed), admin: None }
    }
}

impl Env for ProfileEnv {
    fn leaf(&self, leaf: &Leaf) -> Tri {
        let kind = self.viewer.kind;
        let admin = |b: Option<bool>| match b {
            Some(b) => Tri::from_bool(b && kind.can_be_admin()),
            None if kind.can_be_admin() => Tri::Unknown,
            None => Tri::False,
        };
        match &leaf.fact {
            Fact::LoggedIn => Tri::from_bool(kind != ViewerType::Anonymous),
            Fact::Anonymous => Tri::from_bool(kind == ViewerType::Anonymous),
            Fact::Guest => Tri::from_bool(kind == ViewerType::Guest),
            Fact::Licensed => Tri::from_bool(kind == ViewerType::Licensed),
            Fact::SiteAdmin | Fact::Admin | Fact::SpaceAdmin => admin(self.admin),
            _ => Tri::Unknown,
        }
    }
}

/// Whether some kind of viewer could see the module (policies aside).
fn can_render(cfg: &Config, app: &App, module: &Module) -> bool {
    const SPACE: &str = "\u{1}lint";
    ViewerType::ALL.iter().flat_map(|&k| [(k, false), (k, true)]).any(|(kind, is_admin)| {
        let mut viewer = Viewer::new(kind);
        viewer.site_admin = is_admin;
        viewer.product_admin = is_admin;
        viewer.space_admin = is_admin;
        viewer.guest_space = Some(SPACE.to_owned());
        let env = ProfileEnv { viewer: viewer.clone(), admin: Some(is_admin) };
        let req = Request::new(viewer, &app.key, &module.key, Some(SPACE));
        let d = cfg.run(req.as_ref(), &env, RunOpts { skip_policies: true });
        d.outcome == Outcome::Render || d.reason == Reason::MissingFacts
    })
}
