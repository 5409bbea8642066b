//! Connect `conditions`: an array is AND; `{condition, invert?, params?}` leaves;
//! `{and: [...]}` / `{or: [...]}` and `{type: "AND"|"OR", conditions: [...]}` composites.

use super::facts::{leaf, Args};
use super::{Cond, ParseCx};
use crate::diag::{quote, At, Diagnostics, Path};
use crate::read::wrong_type;
use crate::value::Value;

/// Parses a module's `conditions` value into a tree; problems go to `diags`.
pub fn parse_connect(v: &Value, path: &Path, diags: &mut Diagnostics) -> Cond {
    parse_connect_at(v, path.into(), diags)
}

/// [`parse_connect`] at a path that is not text yet.
pub(crate) fn parse_connect_at(v: &Value, path: At<'_>, diags: &mut Diagnostics) -> Cond {
    let mut cx = ParseCx::new(diags);
    node(v, &path, 0, &mut cx)
}

fn node(v: &Value, path: &At<'_>, depth: usize, cx: &mut ParseCx<'_>) -> Cond {
    if !cx.enter(depth, path) {
        return Cond::Const(false);
    }
    match v {
        // Only the module's `conditions` itself is a list; inside it, every item is a
        // condition object.
        Value::Array(items) if depth == 0 => list(items, path, depth, cx, Cond::All),
        Value::Object(entries) => {
            let has = |k: &str| entries.iter().any(|(key, _)| key == k);
            if has("condition") {
                condition(v, entries, path, cx)
            } else if has("and") || has("or") {
                let allowed = ["and", "or"];
                if let Some((k, _)) = entries.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
                    unknown_field(cx.diags, &path.key(k), k, &allowed);
                }
                if has("and") && has("or") {
                    cx.diags.error(
                        "invalid-value",
                        &path.path(),
                        "a composite condition has either `and` or `or`, not both",
                    );
                    return Cond::Const(false);
                }
                let (key, make): (&str, fn(Vec<Cond>) -> Cond) =
                    if has("and") { ("and", Cond::All) } else { ("or", Cond::Any) };
                match v.get(key) {
                    Some(Value::Array(items)) => list(items, &path.key(key), depth, cx, make),
                    Some(other) => {
                        wrong_type::<()>(other, &path.key(key).path(), "an array of conditions", cx.diags);
                        Cond::Const(false)
                    }
                    None => Cond::Const(false),
                }
            } else if has("conditions") {
                let allowed = ["type", "conditions"];
                if let Some((k, _)) = entries.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
                    unknown_field(cx.diags, &path.key(k), k, &allowed);
                }
                let make: fn(Vec<Cond>) -> Cond = match v.get("type").and_then(Value::as_str) {
                    Some(t) if t.eq_ignore_ascii_case("or") => Cond::Any,
                    Some(t) if t.eq_ignore_ascii_case("and") => Cond::All,
                    None => Cond::All,
                    Some(t) => {
                        cx.diags.error(
                            "invalid-value",
                            &path.key("type").path(),
                            format!("unknown composite type {}, expected `AND` or `OR`", quote(t)),
                        );
                        return Cond::Const(false);
                    }
                };
                match v.get("conditions") {
                    Some(Value::Array(items)) => list(items, &path.key("conditions"), depth, cx, make),
                    Some(other) => {
                        wrong_type::<()>(other, &path.key("conditions").path(), "an array of conditions", cx.diags);
                        Cond::Const(false)
                    }
                    None => Cond::Const(false),
                }
            } else {
                cx.diags.error(
                    "invalid-value",
                    &path.path(),
                    "expected a condition: `{condition, invert?, params?}`, `{and: [...]}`, `{or: [...]}` or `{type, conditions}`",
                );
                Cond::Const(false)
            }
        }
        other => {
            wrong_type::<()>(other, &path.path(), "a condition object or array", cx.diags);
            Cond::Const(false)
        }
    }
}

fn list(items: &[Value], path: &At<'_>, depth: usize, cx: &mut ParseCx<'_>, make: fn(Vec<Cond>) -> Cond) -> Cond {
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        out.push(node(item, &path.index(i), depth + 1, cx));
    }
    make(out)
}

/// A named leaf `{condition, invert?, params?}` (shared with the Forge list form).
pub(crate) fn condition(v: &Value, entries: &[(String, Value)], path: &At<'_>, cx: &mut ParseCx<'_>) -> Cond {
    let allowed = ["condition", "invert", "params"];
    for (k, _) in entries {
        if !allowed.contains(&k.as_str()) {
            unknown_field(cx.diags, &path.key(k), k, &allowed);
        }
    }
    let Some(name) = v.get("condition").and_then(Value::as_str) else {
        cx.diags.error("invalid-type", &path.key("condition").path(), "the condition name must be a string");
        return Cond::Const(false);
    };
    let invert = match v.get("invert") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => wrong_type(other, &path.key("invert").path(), "a boolean", cx.diags).unwrap_or(false),
    };
    let params = match v.get("params") {
        None | Some(Value::Null) => None,
        Some(Value::Object(p)) => Some(p.as_slice()),
        Some(other) => wrong_type(other, &path.key("params").path(), "an object", cx.diags),
    };
    let node = leaf(name, Args::Params(params), path, cx);
    if invert {
        Cond::Not(Box::new(node))
    } else {
        node
    }
}

#[cold]
#[inline(never)]
pub(crate) fn unknown_field(diags: &mut Diagnostics, path: &At<'_>, key: &str, allowed: &[&str]) {
    diags.push(
        crate::diag::Diagnostic::error("unknown-field", &path.path(), format!("unknown field {}", quote(key)))
            .with_help(format!("expected one of {}", crate::diag::one_of(allowed))),
    );
}
