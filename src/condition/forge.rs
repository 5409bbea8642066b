//! Forge `displayConditions`: an object whose keys AND together; `and` / `or` / `not`
//! nest; an array value matches any element; `{}` is true. The list form of RFC-112's
//! examples (`- condition: isJiraGuest` / `invert: true`) is accepted too.

use super::connect::condition as list_leaf;
use super::facts::{leaf, Args};
use super::{Cond, ParseCx};
use crate::diag::{At, Diagnostics, Path};
use crate::value::Value;

/// Parses a module's `displayConditions` value into a tree; problems go to `diags`.
pub fn parse_forge(v: &Value, path: &Path, diags: &mut Diagnostics) -> Cond {
    parse_forge_at(v, path.into(), diags)
}

/// [`parse_forge`] at a path that is not text yet.
pub(crate) fn parse_forge_at(v: &Value, path: At<'_>, diags: &mut Diagnostics) -> Cond {
    let mut cx = ParseCx::new(diags);
    node(v, &path, 0, &mut cx)
}

fn node(v: &Value, path: &At<'_>, depth: usize, cx: &mut ParseCx<'_>) -> Cond {
    if !cx.enter(depth, path) {
        return Cond::Const(false);
    }
    match v {
        // The list form: every item must hold.
        Value::Array(items) => {
            Cond::All(items.iter().enumerate().map(|(i, item)| node(item, &path.index(i), depth + 1, cx)).collect())
        }
        Value::Object(entries) if entries.iter().any(|(k, _)| k == "condition") => list_leaf(v, entries, path, cx),
        Value::Object(entries) => {
            let mut all = Vec::with_capacity(entries.len());
            for (k, val) in entries {
                let p = path.key(k);
                // Every key is a node of the tree, counted against the limits.
                if !cx.enter(depth + 1, &p) {
                    return Cond::Const(false);
                }
                all.push(entry(k, val, &p, depth + 1, cx));
            }
            if all.len() == 1 {
                all.pop().unwrap_or(Cond::Const(true))
            } else {
                Cond::All(all)
            }
        }
        other => {
            crate::read::wrong_type::<()>(other, &path.path(), "display conditions as an object or a list", cx.diags);
            Cond::Const(false)
        }
    }
}

/// One `key: value` entry of the object form.
fn entry(key: &str, val: &Value, path: &At<'_>, depth: usize, cx: &mut ParseCx<'_>) -> Cond {
    match key {
        "and" | "or" => {
            let items: Vec<Cond> = match val {
                Value::Array(items) => {
                    items.iter().enumerate().map(|(i, item)| node(item, &path.index(i), depth + 1, cx)).collect()
                }
                // `or: {a: x, b: y}`: each key is one alternative.
                Value::Object(entries) => entries
                    .iter()
                    .map(|(k, v)| {
                        let p = path.key(k);
                        if cx.enter(depth + 1, &p) {
                            entry(k, v, &p, depth + 1, cx)
                        } else {
                            Cond::Const(false)
                        }
                    })
                    .collect(),
                other => {
                    cx.diags.error(
                        "invalid-type",
                        &path.path(),
                        format!("`{key}` takes a list or an object of conditions, found {}", other.kind()),
                    );
                    return Cond::Const(false);
                }
            };
            if key == "and" {
                Cond::All(items)
            } else {
                Cond::Any(items)
            }
        }
        "not" => Cond::Not(Box::new(node(val, path, depth + 1, cx))),
        // An array value matches any element: `issueType: [Bug, Task]`.
        name => match val {
            Value::Array(items) => {
                let mut any = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let p = path.index(i);
                    if !cx.enter(depth + 1, &p) {
                        return Cond::Const(false);
                    }
                    any.push(leaf(name, Args::Value(item), &p, cx));
                }
                Cond::Any(any)
            }
            v => leaf(name, Args::Value(v), path, cx),
        },
    }
}
