//! JS values in, core values out, and back.
//!
//! Inputs are walked with js-sys directly into a bounded [`Value`]: one pass, no
//! intermediate serde data model, and the path of the first value over a limit. (Going
//! through serde-wasm-bindgen here cost about a tenth of the wasm and a serde round trip
//! per request.) Outputs become core [`Value`]s and cross as one JSON text each, which
//! `JSON.parse` turns into plain objects.

use js_sys::{Array, JsString};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use super::JsResult;
use crate::{Diagnostic, Limits, Path, ToValue, Value};

// Reading an object can run its code (getters, proxies). These bindings catch what that
// code throws, so an exception never unwinds through wasm frames.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    fn try_entries(object: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Array, js_name = from)]
    fn try_array_from(iterable: &JsValue) -> Result<Array, JsValue>;
    /// A JS string seen through `String.prototype.isWellFormed`: one call instead of
    /// js-sys's per-character check.
    #[wasm_bindgen(js_name = String)]
    type WellFormed;
    #[wasm_bindgen(method, js_name = isWellFormed)]
    fn is_well_formed(this: &WellFormed) -> bool;
}

/// A JS string as Rust text; `None` for lone surrogates, which a lossy conversion would
/// turn into U+FFFD and so make two different keys equal.
pub fn js_string(js: &JsValue) -> Option<String> {
    let _: &JsString = js.dyn_ref()?;
    if js.unchecked_ref::<WellFormed>().is_well_formed() {
        js.as_string()
    } else {
        None
    }
}

/// Limits as the JS encoder takes them; it measures strings in UTF-16 units, so a third of
/// the byte limit keeps every string it accepts within the reader's limit.
pub fn js_limits(limits: Limits) -> [u32; 3] {
    [limits.max_depth as u32, limits.max_nodes as u32, (limits.max_string / 3) as u32]
}

/// A value the JS encoder could take whole, read from its tokens: a few crossings instead
/// of several per property. `None` when the walker must read it (and report what is wrong).
fn from_tokens(js: &JsValue, limits: Limits) -> Option<(Value, usize)> {
    super::batch::decode_value(js, limits)
}

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
            return Err(Self::fail(
                "too-large",
                format!("input is too large: more than {} values", self.limits.max_nodes),
            ));
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
        if js.is_string() {
            return match js_string(js) {
                Some(s) => self.string(s).map(Value::String),
                None => Err(Self::fail("invalid-value", "string is not valid UTF-16 (lone surrogate)".to_owned())),
            };
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
        let thrown = |e: JsValue| {
            let why = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default();
            Self::fail("invalid-value", format!("reading this value threw an exception: {why}"))
        };
        if Array::is_array(js) {
            // By index, like the JS encoder, and with the length checked against the budget
            // before anything is read (a sparse array can claim billions of elements).
            let length = js_sys::Reflect::get(js, &JsValue::from_str("length")).map_err(thrown)?;
            let length = length.as_f64().filter(|n| *n >= 0.0).unwrap_or(f64::INFINITY);
            if length > self.limits.max_nodes.saturating_sub(self.nodes) as f64 {
                return Err(Self::fail(
                    "too-large",
                    format!("input is too large: more than {} values", self.limits.max_nodes),
                ));
            }
            let length = length as u32;
            let mut items = Vec::with_capacity(length.min(1024) as usize);
            for i in 0..length {
                let item = js_sys::Reflect::get_u32(js, i).map_err(thrown)?;
                let v = self.walk(&item, depth + 1).map_err(|mut e| {
                    e.segments.push(Segment::Index(i as usize));
                    e
                })?;
                items.push(v);
            }
            return Ok(Value::Array(items));
        }
        // A Map reads like an object; any other object by its own enumerable string keys.
        let entries = match js.dyn_ref::<js_sys::Map>() {
            Some(map)
                if js_sys::Reflect::get(map, &JsValue::from_str("size"))
                    .map_err(thrown)?
                    .as_f64()
                    .unwrap_or(f64::INFINITY)
                    > self.limits.max_nodes.saturating_sub(self.nodes) as f64 =>
            {
                return Err(Self::fail(
                    "too-large",
                    format!("input is too large: more than {} values", self.limits.max_nodes),
                ))
            }
            Some(map) => try_array_from(map),
            None => try_entries(js),
        }
        .map_err(thrown)?;
        if entries.length() as usize > self.limits.max_nodes.saturating_sub(self.nodes) {
            return Err(Self::fail(
                "too-large",
                format!("input is too large: more than {} values", self.limits.max_nodes),
            ));
        }
        let mut out = Vec::with_capacity(entries.length().min(1024) as usize);
        for entry in entries.iter() {
            let pair: &Array = entry.unchecked_ref();
            let Some(key) = js_string(&pair.get(0)) else {
                return Err(Self::fail("invalid-type", "object keys must be valid strings".to_owned()));
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
    to_value_counted(js, limits).map(|(v, _)| v)
}

/// [`to_value`], also giving the number of nodes the limits counted.
pub fn to_value_counted(js: &JsValue, limits: Limits) -> Result<(Value, usize), Diagnostic> {
    if let Some(found) = from_tokens(js, limits) {
        return Ok(found);
    }
    let mut walker = Walker { limits, nodes: 0 };
    walker.walk(js, 0).map(|v| (v, walker.nodes)).map_err(|e| {
        let path = e.segments.iter().rev().fold(Path::root(), |p, s| match s {
            Segment::Key(k) => p.key(k),
            Segment::Index(i) => p.index(*i),
        });
        Diagnostic::error(e.code, &path, e.message)
    })
}

/// A result as plain JS objects and arrays.
pub fn to_js<T: ToValue + ?Sized>(v: &T) -> JsResult<JsValue> {
    js_sys::JSON::parse(&v.to_value().to_json())
}

/// [`to_js`], typed (the TypeScript type is declared in `types`).
pub fn to_js_as<T: ToValue + ?Sized, J: JsCast>(v: &T) -> JsResult<J> {
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
