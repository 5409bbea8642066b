//! Conditions: one tree for Connect `conditions` and Forge `displayConditions`, evaluated
//! with three-valued logic (true / false / unknown).

mod connect;
mod facts;
mod forge;

pub use connect::parse_connect;
pub(crate) use connect::parse_connect_at;
pub use facts::{is_guest_condition, ContextField, Fact, PropTest};
pub use forge::parse_forge;
pub(crate) use forge::parse_forge_at;

use serde::Serialize;

use crate::diag::{At, Diagnostics};

/// Deepest condition nesting accepted; deeper trees are a validation error.
pub const MAX_DEPTH: usize = 32;
/// Most nodes in one module's condition tree.
pub const MAX_NODES: usize = 1_000;

/// A truth value that may be unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    pub fn from_bool(b: bool) -> Tri {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Tri::True => "true",
            Tri::False => "false",
            Tri::Unknown => "unknown",
        }
    }
}

impl core::ops::Not for Tri {
    type Output = Tri;
    fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }
}

/// One condition leaf.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    /// The condition name as written.
    pub name: String,
    /// What the leaf tests.
    pub fact: Fact,
    /// Name plus parameters, in one canonical text: two leaves with the same `key` always
    /// have the same value.
    pub key: String,
    /// Where the leaf is in the descriptor or manifest.
    pub path: String,
    /// The leaf in words: `` `issueType` is `Bug` ``, `` `has_project_permission` (permission `BROWSE_PROJECTS`) ``.
    pub label: String,
}

/// A condition tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// `{}` in Forge, an empty list in Connect.
    Const(bool),
    Leaf(Box<Leaf>),
    Not(Box<Cond>),
    All(Vec<Cond>),
    Any(Vec<Cond>),
}

/// Where leaf values come from: the request (decisions) or a profile (lints).
pub trait Env {
    fn leaf(&self, leaf: &Leaf) -> Tri;
}

impl Cond {
    /// Three-valued evaluation; short-circuits.
    pub fn eval(&self, env: &dyn Env) -> Tri {
        match self {
            Cond::Const(b) => Tri::from_bool(*b),
            Cond::Leaf(l) => env.leaf(l),
            Cond::Not(c) => !c.eval(env),
            Cond::All(cs) => {
                let mut acc = Tri::True;
                for c in cs {
                    match c.eval(env) {
                        Tri::False => return Tri::False,
                        Tri::Unknown => acc = Tri::Unknown,
                        Tri::True => {}
                    }
                }
                acc
            }
            Cond::Any(cs) => {
                let mut acc = Tri::False;
                for c in cs {
                    match c.eval(env) {
                        Tri::True => return Tri::True,
                        Tri::Unknown => acc = Tri::Unknown,
                        Tri::False => {}
                    }
                }
                acc
            }
        }
    }

    /// Calls `f` on every leaf with its polarity (`true` when under an even number of `not`s).
    pub fn walk_leaves<'a>(&'a self, positive: bool, f: &mut dyn FnMut(&'a Leaf, bool)) {
        match self {
            Cond::Const(_) => {}
            Cond::Leaf(l) => f(l, positive),
            Cond::Not(c) => c.walk_leaves(!positive, f),
            Cond::All(cs) | Cond::Any(cs) => {
                for c in cs {
                    c.walk_leaves(positive, f);
                }
            }
        }
    }

    /// Leaves whose value keeps an unknown result unknown: the facts the host must supply.
    pub fn unknown_leaves<'a>(&'a self, env: &dyn Env, out: &mut Vec<&'a Leaf>) {
        if self.eval(env) != Tri::Unknown {
            return;
        }
        match self {
            Cond::Const(_) => {}
            Cond::Leaf(l) => out.push(l),
            Cond::Not(c) => c.unknown_leaves(env, out),
            Cond::All(cs) | Cond::Any(cs) => {
                for c in cs {
                    c.unknown_leaves(env, out);
                }
            }
        }
    }

    /// Every leaf with its value, in tree order (for traces).
    pub fn leaf_values(&self, env: &dyn Env, out: &mut Vec<(String, String, Tri)>) {
        self.walk_leaves(true, &mut |l, _| out.push((l.path.clone(), l.name.clone(), env.leaf(l))));
    }

    /// The smallest sub-tree that makes a false tree false, in plain words ("why not").
    pub fn why_not(&self, env: &dyn Env) -> String {
        match self {
            Cond::Const(_) => "the condition is always false".to_owned(),
            Cond::Leaf(l) => format!("{} is false", describe(l)),
            Cond::Not(c) => match &**c {
                Cond::Leaf(l) => format!("{} is true, and the condition is inverted", describe(l)),
                inner => format!("this must not hold, but it does: {}", inner.why(env)),
            },
            Cond::All(cs) => cs
                .iter()
                .find(|c| c.eval(env) == Tri::False)
                .map(|c| c.why_not(env))
                .unwrap_or_else(|| "the condition is false".to_owned()),
            Cond::Any(cs) => {
                let parts: Vec<String> = cs.iter().map(|c| c.why_not(env)).collect();
                format!("none of the alternatives holds: {}", parts.join("; "))
            }
        }
    }

    /// Why a true tree is true, briefly (used under `not`).
    fn why(&self, env: &dyn Env) -> String {
        match self {
            Cond::Const(_) => "the condition is always true".to_owned(),
            Cond::Leaf(l) => format!("{} is true", describe(l)),
            Cond::Not(c) => c.why_not(env),
            Cond::All(cs) => {
                let parts: Vec<String> = cs.iter().map(|c| c.why(env)).collect();
                parts.join(" and ")
            }
            Cond::Any(cs) => cs
                .iter()
                .find(|c| c.eval(env) == Tri::True)
                .map(|c| c.why(env))
                .unwrap_or_else(|| "the condition is true".to_owned()),
        }
    }

    /// Number of distinct leaves (by key) and the keys, in first-seen order.
    pub fn distinct_leaf_keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = Vec::new();
        self.walk_leaves(true, &mut |l, _| {
            if !keys.contains(&l.key.as_str()) {
                keys.push(&l.key);
            }
        });
        keys
    }
}

fn describe(l: &Leaf) -> String {
    l.label.clone()
}

/// State shared by both parsers: limits and diagnostics.
pub(crate) struct ParseCx<'d> {
    pub diags: &'d mut Diagnostics,
    pub nodes: usize,
    pub too_large_reported: bool,
}

impl<'d> ParseCx<'d> {
    pub fn new(diags: &'d mut Diagnostics) -> Self {
        ParseCx { diags, nodes: 0, too_large_reported: false }
    }

    /// Counts a node and checks depth; `false` means stop descending.
    pub fn enter(&mut self, depth: usize, path: &At<'_>) -> bool {
        if depth > MAX_DEPTH {
            self.diags.error(
                "too-deep",
                &path.path(),
                format!("conditions are nested more than {MAX_DEPTH} levels deep"),
            );
            return false;
        }
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            if !self.too_large_reported {
                self.too_large_reported = true;
                self.diags.error(
                    "too-large",
                    &path.path(),
                    format!("the condition tree has more than {MAX_NODES} nodes"),
                );
            }
            return false;
        }
        true
    }
}
