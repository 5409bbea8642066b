//! Reading [`Value`]s into typed data, collecting every problem with its path.

use crate::diag::{one_of, quote, At, Diagnostics, Path};
use crate::value::Value;

/// Longest key (app key, module key, space key, policy id...) accepted, in characters.
pub const MAX_KEY_CHARS: usize = 255;

/// An object being read. `null` fields count as absent (JS `undefined` arrives as `null`).
pub struct Obj<'a> {
    pub entries: &'a [(String, Value)],
    /// Where the object is (text only when a diagnostic needs it).
    pub path: At<'a>,
}

/// Reads `v` as an object, or reports `invalid-type`.
pub fn object<'a>(v: &'a Value, path: impl Into<At<'a>>, what: &str, d: &mut Diagnostics) -> Option<Obj<'a>> {
    object_at(v, path.into(), what, d)
}

fn object_at<'a>(v: &'a Value, path: At<'a>, what: &str, d: &mut Diagnostics) -> Option<Obj<'a>> {
    match v {
        Value::Object(entries) => Some(Obj { entries, path }),
        other => {
            d.error("invalid-type", &path.path(), format!("{what} must be an object, found {}", other.kind()));
            None
        }
    }
}

impl<'a> Obj<'a> {
    /// Reports `unknown-field` for every key not in `allowed`.
    pub fn deny_unknown(&self, allowed: &[&str], d: &mut Diagnostics) {
        for (k, _) in self.entries {
            if !allowed.contains(&k.as_str()) {
                d.push(
                    crate::diag::Diagnostic::error(
                        "unknown-field",
                        &self.path.key(k).path(),
                        format!("unknown field {}", quote(k)),
                    )
                    .with_help(format!("expected one of {}", one_of(allowed))),
                );
            }
        }
    }

    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v).filter(|v| !matches!(v, Value::Null))
    }

    /// The path of field `key`, as text.
    pub fn at(&self, key: &str) -> Path {
        self.path.key(key).path()
    }

    /// The path of field `key`, not built yet.
    pub fn here<'s>(&'s self, key: &'s str) -> At<'s> {
        self.path.key(key)
    }

    pub fn require(&self, key: &str, d: &mut Diagnostics) -> Option<&'a Value> {
        let v = self.get(key);
        if v.is_none() {
            d.error("missing-field", &self.path.path(), format!("missing field {}", quote(key)));
        }
        v
    }

    pub fn str_opt(&self, key: &str, d: &mut Diagnostics) -> Option<&'a str> {
        let v = self.get(key)?;
        string(v, || self.at(key), d)
    }

    pub fn str_req(&self, key: &str, d: &mut Diagnostics) -> Option<&'a str> {
        let v = self.require(key, d)?;
        string(v, || self.at(key), d)
    }

    /// A required identifier: non-empty, at most [`MAX_KEY_CHARS`] characters.
    pub fn key_req(&self, key: &str, d: &mut Diagnostics) -> Option<&'a str> {
        let s = self.str_req(key, d)?;
        check_key(s, || self.at(key), d)
    }

    pub fn key_opt(&self, key: &str, d: &mut Diagnostics) -> Option<&'a str> {
        let s = self.str_opt(key, d)?;
        check_key(s, || self.at(key), d)
    }

    pub fn bool_opt(&self, key: &str, d: &mut Diagnostics) -> Option<bool> {
        let v = self.get(key)?;
        match v {
            Value::Bool(b) => Some(*b),
            other => {
                d.error("invalid-type", &self.at(key), format!("expected a boolean, found {}", other.kind()));
                None
            }
        }
    }

    /// An optional string that must be one of `options`; returns its index.
    pub fn enum_opt(&self, key: &str, options: &[&str], d: &mut Diagnostics) -> Option<usize> {
        let s = self.str_opt(key, d)?;
        match options.iter().position(|o| *o == s) {
            Some(i) => Some(i),
            None => {
                d.error(
                    "invalid-value",
                    &self.at(key),
                    format!("unknown value {}, expected {}", quote(s), one_of(options)),
                );
                None
            }
        }
    }

    pub fn enum_req(&self, key: &str, options: &[&str], d: &mut Diagnostics) -> Option<usize> {
        if self.get(key).is_none() {
            d.error("missing-field", &self.path.path(), format!("missing field {}", quote(key)));
            return None;
        }
        self.enum_opt(key, options, d)
    }

    /// An optional array of keys.
    pub fn keys_opt(&self, key: &str, d: &mut Diagnostics) -> Option<Vec<String>> {
        let v = self.get(key)?;
        key_list(v, self.here(key), d)
    }
}

/// A string, or `invalid-type` at `path` (built only when there is a problem: reading
/// valid input allocates no paths).
pub fn string<'a>(v: &'a Value, path: impl FnOnce() -> Path, d: &mut Diagnostics) -> Option<&'a str> {
    match v {
        Value::String(s) => Some(s),
        other => {
            d.error("invalid-type", &path(), format!("expected a string, found {}", other.kind()));
            None
        }
    }
}

/// A usable key (non-blank, at most [`MAX_KEY_CHARS`] characters), or a problem at `path`.
pub fn check_key<'a>(s: &'a str, path: impl FnOnce() -> Path, d: &mut Diagnostics) -> Option<&'a str> {
    if s.trim().is_empty() {
        d.error("invalid-value", &path(), "must not be empty");
        None
    } else if s.len() > MAX_KEY_CHARS && s.char_indices().nth(MAX_KEY_CHARS).is_some() {
        d.error("too-large", &path(), format!("key is longer than {MAX_KEY_CHARS} characters"));
        None
    } else {
        Some(s)
    }
}

pub fn key_list(v: &Value, path: At<'_>, d: &mut Diagnostics) -> Option<Vec<String>> {
    match v {
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            let mut ok = true;
            for (i, item) in items.iter().enumerate() {
                let p = || path.index(i).path();
                match string(item, p, d).and_then(|s| check_key(s, p, d)) {
                    Some(s) => out.push(s.to_owned()),
                    None => ok = false,
                }
            }
            ok.then_some(out)
        }
        other => {
            d.error("invalid-type", &path.path(), format!("expected an array of strings, found {}", other.kind()));
            None
        }
    }
}
