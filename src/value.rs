//! A small, bounded data tree for untrusted input.
//!
//! Every input (config, request, descriptor, manifest) first becomes a [`Value`]. Building
//! one is bounded in depth, node count and string length, so a hostile input fails with a
//! clear error instead of exhausting the stack or the heap. The rest of the core reads
//! `Value`s with paths, which is how every diagnostic can say *where* the problem is.
//!
//! `Value` implements `serde::Deserialize`, so any serde data format can produce one (the
//! wasm layer uses `serde-wasm-bindgen`, the native tests `serde_json`); the core itself
//! never depends on a particular format.

use core::cell::Cell;
use core::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

/// Input limits. Exceeding one is an error, never a crash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of arrays/objects in one input.
    pub max_depth: usize,
    /// Most nodes (scalars, arrays, objects, keys) in one input.
    pub max_nodes: usize,
    /// Longest string (and object key), in bytes.
    pub max_string: usize,
}

impl Limits {
    /// Limits for a gate configuration (descriptors and manifests included).
    pub const CONFIG: Limits = Limits { max_depth: 128, max_nodes: 1_000_000, max_string: 65_536 };
    /// Limits for one decision request.
    pub const REQUEST: Limits = Limits { max_depth: 16, max_nodes: 20_000, max_string: 4_096 };
}

/// Turns a result type into a [`Value`] (the wasm layer hands such values to JS as JSON).
pub trait ToValue {
    fn to_value(&self) -> Value;
}

impl<T: ToValue> ToValue for [T] {
    fn to_value(&self) -> Value {
        Value::Array(self.iter().map(ToValue::to_value).collect())
    }
}

impl<T: ToValue> ToValue for Vec<T> {
    fn to_value(&self) -> Value {
        self.as_slice().to_value()
    }
}

/// Builds an object from fields, leaving out the absent ones.
pub fn object<const N: usize>(fields: [(&str, Option<Value>); N]) -> Value {
    Value::Object(fields.into_iter().filter_map(|(k, v)| v.map(|v| (k.to_owned(), v))).collect())
}

/// A string value.
pub fn text(s: &str) -> Option<Value> {
    Some(Value::String(s.to_owned()))
}

/// An array of strings.
pub fn texts(items: &[String]) -> Option<Value> {
    Some(Value::Array(items.iter().map(|s| Value::String(s.clone())).collect()))
}

/// The diagnostic code for an error raised while building a bounded [`Value`].
pub fn error_code(message: &str) -> &'static str {
    if message.contains("nested too deeply") {
        "too-deep"
    } else if message.contains("too large") || message.contains("too long") {
        "too-large"
    } else {
        "invalid-type"
    }
}

/// A JSON-like value whose objects keep their key order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The name of this value's type, as used in diagnostics.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// Looks a key up in an object (first match); `None` for other kinds.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// Compact text of a scalar, the way Connect compares property values given as
    /// strings (`"true"`, `"42"`, `"\"text\""` all name a JSON value).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_json(self, &mut out);
        out
    }

    /// Loose equality used by property conditions: a string parameter matches a
    /// non-string value whose JSON text it is, and a JSON-quoted string matches the
    /// plain string.
    pub fn loosely_equals(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => {
                a == b || strip_quotes(a) == Some(b.as_str()) || strip_quotes(b) == Some(a.as_str())
            }
            (Value::String(s), v) | (v, Value::String(s)) => *s == v.to_json(),
            (a, b) => a == b,
        }
    }
}

fn strip_quotes(s: &str) -> Option<&str> {
    s.strip_prefix('"').and_then(|s| s.strip_suffix('"'))
}

/// Prints a non-whole number as its shortest decimal with at most six fraction digits
/// (`1.5`, `-0.25`), like `JSON.stringify` for such numbers. Anything else (huge, tiny,
/// NaN, infinite, or needing more digits) prints as `0x` and its bits: still a unique
/// text, without pulling the float formatter (about 6 KB of gzipped wasm) in.
fn write_fraction(n: f64, out: &mut String) {
    if n.is_finite() && n.abs() < 1e9 {
        let mut scale = 1.0;
        for digits in 1..=6usize {
            scale *= 10.0;
            let scaled = (n * scale).round();
            if scaled / scale == n {
                let sign = if n < 0.0 { "-" } else { "" };
                let abs = scaled.abs() as u64;
                let pow = 10u64.pow(digits as u32);
                let frac = (abs % pow).to_string();
                out.push_str(sign);
                out.push_str(&(abs / pow).to_string());
                out.push('.');
                for _ in frac.len()..digits {
                    out.push('0');
                }
                out.push_str(frac.trim_end_matches('0'));
                return;
            }
        }
    }
    out.push_str("0x");
    out.push_str(&format!("{:x}", n.to_bits()));
}

/// Appends the JSON text of `v` (see [`Value::to_json`]).
pub(crate) fn write_json(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // JSON has no NaN or infinities; JSON.stringify writes them as null.
        Value::Number(n) if !n.is_finite() => out.push_str("null"),
        Value::Number(n) => {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                // Whole numbers print without a fraction, like JSON.stringify.
                out.push_str(&(*n as i64).to_string());
            } else {
                write_fraction(*n, out);
            }
        }
        Value::String(s) => write_json_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Object(entries) => write_object_json(entries, out),
    }
}

/// Appends the JSON text of an object's entries, in their order.
pub(crate) fn write_object_json(entries: &[(String, Value)], out: &mut String) {
    out.push('{');
    for (i, (k, item)) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_json_string(k, out);
        out.push(':');
        write_json(item, out);
    }
    out.push('}');
}

/// Appends a JSON string literal.
fn write_json_string(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                let hex = b"0123456789abcdef";
                for shift in [4u32, 0] {
                    let digit = ((c as u32) >> shift) & 0xf;
                    out.push(hex.get(digit as usize).map_or('0', |&b| b as char));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Reads the JSON text of an array of scalars (`["a", "b", 1, true, null]`), the form
/// Connect uses for list parameters. `None` for anything else (nested values and
/// fractional numbers included).
pub fn parse_scalar_array(text: &str) -> Option<Vec<Value>> {
    let mut chars = text.trim().chars().peekable();
    let mut out = Vec::new();
    if chars.next()? != '[' {
        return None;
    }
    let skip_ws = |c: &mut core::iter::Peekable<core::str::Chars<'_>>| {
        while c.peek().is_some_and(|ch| ch.is_whitespace()) {
            c.next();
        }
    };
    skip_ws(&mut chars);
    if chars.peek() == Some(&']') {
        chars.next();
        return chars.next().is_none().then_some(out);
    }
    loop {
        skip_ws(&mut chars);
        match chars.peek()? {
            '"' => {
                chars.next();
                let mut s = String::new();
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            'n' => s.push('\n'),
                            't' => s.push('\t'),
                            'r' => s.push('\r'),
                            'b' => s.push('\u{8}'),
                            'f' => s.push('\u{c}'),
                            'u' => {
                                let hex: String = (0..4).filter_map(|_| chars.next()).collect();
                                let code = u32::from_str_radix(&hex, 16).ok()?;
                                s.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                            }
                            other => s.push(other),
                        },
                        c => s.push(c),
                    }
                }
                out.push(Value::String(s));
            }
            _ => {
                let mut word = String::new();
                while chars.peek().is_some_and(|c| !matches!(c, ',' | ']') && !c.is_whitespace()) {
                    word.extend(chars.next());
                }
                out.push(match word.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" => Value::Null,
                    // Whole numbers only: parsing fractions would pull float parsing (about
                    // 14 KB of gzipped wasm) in for a form no real descriptor uses.
                    w => Value::Number(w.parse::<i64>().ok()? as f64),
                });
            }
        }
        skip_ws(&mut chars);
        match chars.next()? {
            ',' => continue,
            ']' => return chars.next().is_none().then_some(out),
            _ => return None,
        }
    }
}

/// Deserializes a [`Value`] from any serde format within `limits`.
///
/// ```
/// use render_gate::{BoundedValue, Limits};
/// use serde::de::DeserializeSeed;
/// # fn main() -> Result<(), serde_json::Error> {
/// let mut de = serde_json::Deserializer::from_str(r#"{"a": [1, true]}"#);
/// let v = BoundedValue::new(Limits::REQUEST).deserialize(&mut de)?;
/// assert_eq!(v.get("a").map(|a| a.kind()), Some("an array"));
/// # Ok(())
/// # }
/// ```
pub struct BoundedValue {
    limits: Limits,
    nodes: Cell<usize>,
}

impl BoundedValue {
    pub fn new(limits: Limits) -> Self {
        BoundedValue { limits, nodes: Cell::new(0) }
    }
}

impl<'de> DeserializeSeed<'de> for BoundedValue {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Level { limits: &self.limits, nodes: &self.nodes, depth: 0 }.deserialize(d)
    }
}

impl<'de> serde::Deserialize<'de> for Value {
    /// Unbounded only in the sense that it uses [`Limits::CONFIG`].
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        BoundedValue::new(Limits::CONFIG).deserialize(d)
    }
}

#[derive(Clone, Copy)]
struct Level<'a> {
    limits: &'a Limits,
    nodes: &'a Cell<usize>,
    depth: usize,
}

impl Level<'_> {
    fn count<E: de::Error>(&self) -> Result<(), E> {
        let n = self.nodes.get() + 1;
        self.nodes.set(n);
        if n > self.limits.max_nodes {
            return Err(E::custom(format_args!("input is too large: more than {} values", self.limits.max_nodes)));
        }
        Ok(())
    }
    fn string<E: de::Error>(&self, s: &str) -> Result<(), E> {
        if s.len() > self.limits.max_string {
            return Err(E::custom(format_args!(
                "string of {} bytes is too long: the limit is {}",
                s.len(),
                self.limits.max_string
            )));
        }
        Ok(())
    }
    fn nested<E: de::Error>(&self) -> Result<Level<'_>, E> {
        if self.depth >= self.limits.max_depth {
            return Err(E::custom(format_args!(
                "input is nested too deeply: more than {} levels",
                self.limits.max_depth
            )));
        }
        Ok(Level { limits: self.limits, nodes: self.nodes, depth: self.depth + 1 })
    }
}

impl<'de> DeserializeSeed<'de> for Level<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Level<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON-like value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.count()?;
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.count()?;
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.count()?;
        Ok(Value::Number(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.count()?;
        Ok(Value::Number(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.count()?;
        Ok(Value::Number(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.count()?;
        self.string(v)?;
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.count()?;
        self.string(&v)?;
        Ok(Value::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.count()?;
        let inner = self.nested()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.count()?;
        let inner = self.nested()?;
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            inner.count()?;
            inner.string(&key)?;
            let value = map.next_value_seed(inner)?;
            entries.push((key, value));
        }
        Ok(Value::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalar_arrays_parse_like_json() {
        let v = parse_scalar_array(r#" ["a", "b\"c", 1, -2, true, null, "\u00e9"] "#).unwrap();
        assert_eq!(
            v,
            vec![
                Value::String("a".into()),
                Value::String("b\"c".into()),
                Value::Number(1.0),
                Value::Number(-2.0),
                Value::Bool(true),
                Value::Null,
                Value::String("é".into()),
            ]
        );
        assert_eq!(parse_scalar_array("[]"), Some(vec![]));
        for bad in ["", "a,b", "[", "[1,", "[[1]]", "[{\"a\":1}]", "[1] x", "[nope]", "[\"open]", "[1.5]"] {
            assert_eq!(parse_scalar_array(bad), None, "{bad}");
        }
        // Agrees with serde_json on what it accepts.
        for text in [r#"["x","y"]"#, "[1,2,3]", r#"[true,"1",null]"#] {
            let expected: Value = serde_json::from_str(text).unwrap();
            assert_eq!(Some(expected), parse_scalar_array(text).map(Value::Array));
        }
    }

    #[test]
    fn fractions_print_like_json() {
        for (n, text) in [
            (1.5, "1.5"),
            (-0.25, "-0.25"),
            (2.0625, "2.0625"),
            (0.1, "0.1"),
            (100.05, "100.05"),
            (-7.000001, "-7.000001"),
        ] {
            assert_eq!(Value::Number(n).to_json(), text);
            assert_eq!(serde_json::to_string(&n).unwrap(), text);
        }
        assert_eq!(Value::Number(f64::NAN).to_json(), "null");
        assert!(Value::Number(1e-9).to_json().starts_with("0x"));
    }

    #[test]
    fn to_json_is_json() {
        let v = Value::Object(vec![
            ("a\u{1}\"\\".into(), Value::String("x\ny\t\u{7f}é\u{1F512}".into())),
            (
                "n".into(),
                Value::Array(vec![Value::Number(f64::NAN), Value::Number(-3.0), Value::Bool(false), Value::Null]),
            ),
        ]);
        let back: serde_json::Value = serde_json::from_str(&v.to_json()).unwrap();
        assert_eq!(back, serde_json::json!({"a\u{1}\"\\": "x\ny\t\u{7f}é\u{1F512}", "n": [null, -3, false, null]}));
    }

    #[test]
    fn numbers_compare_loosely_with_their_text() {
        assert!(Value::String("1.5".into()).loosely_equals(&Value::Number(1.5)));
        assert!(Value::String("2".into()).loosely_equals(&Value::Number(2.0)));
        assert!(Value::Number(42.0).loosely_equals(&Value::String("42".into())));
        assert!(Value::String("true".into()).loosely_equals(&Value::Bool(true)));
        assert!(!Value::String("1.6".into()).loosely_equals(&Value::Number(1.5)));
    }
}
