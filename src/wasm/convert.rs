//! JS values in, core values out, and back.

use serde::de::DeserializeSeed;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use super::JsResult;
use crate::{value_error_code, BoundedValue, Diagnostic, Limits, Path, Value};

/// Reads a JS value into a bounded [`Value`]; a limit or type problem becomes one diagnostic.
pub fn to_value(js: &JsValue, limits: Limits) -> Result<Value, Diagnostic> {
    let de = serde_wasm_bindgen::Deserializer::from(js.clone());
    BoundedValue::new(limits).deserialize(de).map_err(|e| {
        let message = e.to_string();
        Diagnostic::error(value_error_code(&message), &Path::root(), lowercase_first(&message))
    })
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
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
