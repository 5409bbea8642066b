//! JS values in, core values out, and back.
//!
//! Inputs are walked with js-sys directly into a bounded [`Value`]: one pass, no
//! intermediate serde data model, and the path of the first value over a limit. (Going
//! through serde-wasm-bindgen here cost about a tenth of the wasm and a serde round trip
//! per request.) Outputs go through serde-wasm-bindgen.

use js_sys::{Array, Object};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use super::JsResult;
use crate::{Diagnostic, Limits, Path, Value};

/// A problem found while walking, with the path built on the way back up.
struct WalkError {
    code: &'static str,
    message: String,
    /// Path segments, innermost first.
    segments: Vec<Segment>,
}

enum Segment {
    Key(String),
    Index(usize),
}

struct Walker {
    limits: Limits,
    nodes: usize,
}

impl Walker {
    fn fail(code: &'static str, message: String) -> WalkError {
        WalkError { code, message, segments: Vec::new() }
    }

    fn string(&self, s: String) -> Result<String, WalkError> {
        if s.len() > self.limits.max_string {
            return Err(Self::fail(
                "too-large",
                format!("string of {} bytes is too long: the limit is {}", s.len(), self.limits.max_string),
            ));
        }
        Ok(s)
    }

    fn walk(&mut self, js: &JsValue, depth: usize) -> Result<Value, WalkError> {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            return Err(Self::fail("too-large", format!("input is too large: more than {} values", self.limits.max_nodes)));
        }
        if js.is_null() || js.is_undefined() {
            return Ok(Value::Null);
        }
        if let Some(b) = js.as_bool() {
            return Ok(Value::Bool(b));
        }
        if let Some(n) = js.as_f64() {
            return Ok(Value::Number(n));
        }
        if let Some(s) = js.as_string() {
            return self.string(s).map(Value::String);
        }
        if !js.is_object() || js.is_function() {
            let what = if js.is_bigint() {
                "a bigint"
            } else if js.is_symbol() {
                "a symbol"
            } else if js.is_function() {
                "a function"
            } else {
                "an unsupported value"
            };
            return Err(Self::fail("invalid-type", format!("expected JSON-like data, found {what}")));
        }
        if depth >= self.limits.max_depth {
            return Err(Self::fail(
                "too-deep",
                format!("input is nested too deeply: more than {} levels", self.limits.max_depth),
            ));
        }
        if Array::is_array(js) {
            let array: &Array = js.unchecked_ref();
            let mut items = Vec::with_capacity(array.length().min(1024) as usize);
            for (i, item) in array.iter().enumerate() {
                let v = self.walk(&item, depth + 1).map_err(|mut e| {
                    e.segments.push(Segment::Index(i));
                    e
                })?;
                items.push(v);
            }
            return Ok(Value::Array(items));
        }
        // A Map reads like an object; any other object by its own enumerable string keys.
        let entries = match js.dyn_ref::<js_sys::Map>() {
            Some(map) => Array::from(map),
            None => Object::entries(js.unchecked_ref()),
        };
        let mut out = Vec::with_capacity(entries.length().min(1024) as usize);
        for entry in entries.iter() {
            let pair: &Array = entry.unchecked_ref();
            let Some(key) = pair.get(0).as_string() else {
                return Err(Self::fail("invalid-type", "object keys must be strings".to_owned()));
            };
            self.nodes += 1;
            let key = self.string(key)?;
            let v = self.walk(&pair.get(1), depth + 1).map_err(|mut e| {
                e.segments.push(Segment::Key(key.clone()));
                e
            })?;
            out.push((key, v));
        }
        Ok(Value::Object(out))
    }
}

/// Reads a JS value into a bounded [`Value`]; a limit or type problem becomes one
/// diagnostic with the path of the offending value.
pub fn to_value(js: &JsValue, limits: Limits) -> Result<Value, Diagnostic> {
    Walker { limits, nodes: 0 }.walk(js, 0).map_err(|e| {
        let path = e.segments.iter().rev().fold(Path::root(), |p, s| match s {
            Segment::Key(k) => p.key(k),
            Segment::Index(i) => p.index(*i),
        });
        Diagnostic::error(e.code, &path, e.message)
    })
}

/// Serializes to plain JS objects and arrays.
pub fn to_js<T: Serialize + ?Sized>(v: &T) -> JsResult<JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(JsValue::from)
}

/// Serializes to a typed JS value (the TypeScript type is declared in `types`).
pub fn to_js_as<T: Serialize + ?Sized, J: JsCast>(v: &T) -> JsResult<J> {
    to_js(v).map(JsCast::unchecked_into)
}

/// A JS `Error` whose message lists every diagnostic (`path: message`, one per line) and
/// whose `diagnostics` property holds them as objects.
pub fn error(title: &str, diags: &[Diagnostic]) -> JsValue {
    let mut message = String::from(title);
    for d in diags {
        message.push_str("\n  ");
        message.push_str(&d.line());
    }
    let err = js_sys::Error::new(&message);
    if let Ok(list) = to_js(diags) {
        // Setting a property on a fresh Error object cannot fail; ignore the result anyway.
        let _ = js_sys::Reflect::set(&err, &JsValue::from_str("diagnostics"), &list);
    }
    err.into()
}
