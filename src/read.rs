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
        other => not_object(other, &path, what, d),
    }
}

// The error branches below are out of line and cold: reading valid input runs (and a
// cold start compiles) only the success paths.

#[cold]
#[inline(never)]
fn not_object<T>(v: &Value, path: &At<'_>, what: &str, d: &mut Diagnostics) -> Option<T> {
    d.error("invalid-type", &path.path(), format!("{what} must be an object, found {}", v.kind()));
    None
}

/// `invalid-type`: "expected `expected`, found ...".
#[cold]
#[inline(never)]
pub(crate) fn wrong_type<T>(v: &Value, path: &Path, expected: &str, d: &mut Diagnostics) -> Option<T> {
    d.error("invalid-type", path, format!("expected {expected}, found {}", v.kind()));
    None
}

#[cold]
#[inline(never)]
fn unknown_field(path: &At<'_>, k: &str, allowed: &[&str], d: &mut Diagnostics) {
    d.push(
        crate::diag::Diagnostic::error("unknown-field", &path.key(k).path(), format!("unknown field {}", quote(k)))
            .with_help(format!("expected one of {}", one_of(allowed))),
    );
}

#[cold]
#[inline(never)]
fn missing<T>(path: &At<'_>, key: &str, d: &mut Diagnostics) -> Option<T> {
    d.error("missing-field", &path.path(), format!("missing field {}", quote(key)));
    None
}

#[cold]
#[inline(never)]
fn unknown_value<T>(s: &str, path: &Path, options: &[&str], d: &mut Diagnostics) -> Option<T> {
    d.error("invalid-value", path, format!("unknown value {}, expected {}", quote(s), one_of(options)));
    None
}

#[cold]
#[inline(never)]
fn bad_key<T>(s: &str, path: &Path, d: &mut Diagnostics) -> Option<T> {
    if s.trim().is_empty() {
        d.error("invalid-value", path, "must not be empty");
    } else {
        d.error("too-large", path, format!("key is longer than {MAX_KEY_CHARS} characters"));
    }
    None
}

impl<'a> Obj<'a> {
    /// Reports `unknown-field` for every key not in `allowed`.
    pub fn deny_unknown(&self, allowed: &[&str], d: &mut Diagnostics) {
        for (k, _) in self.entries {
            if !allowed.contains(&k.as_str()) {
                unknown_field(&self.path, k, allowed, d);
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
        match self.get(key) {
            None => missing(&self.path, key, d),
            v => v,
        }
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
            other => wrong_type(other, &self.at(key), "a boolean", d),
        }
    }

    /// An optional string that must be one of `options`; returns its index.
    pub fn enum_opt(&self, key: &str, options: &[&str], d: &mut Diagnostics) -> Option<usize> {
        let s = self.str_opt(key, d)?;
        match options.iter().position(|o| *o == s) {
            Some(i) => Some(i),
            None => unknown_value(s, &self.at(key), options, d),
        }
    }

    pub fn enum_req(&self, key: &str, options: &[&str], d: &mut Diagnostics) -> Option<usize> {
        if self.get(key).is_none() {
            return missing(&self.path, key, d);
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
        other => wrong_type(other, &path(), "a string", d),
    }
}

/// A usable key (non-blank, at most [`MAX_KEY_CHARS`] characters), or a problem at `path`.
pub fn check_key<'a>(s: &'a str, path: impl FnOnce() -> Path, d: &mut Diagnostics) -> Option<&'a str> {
    if s.trim().is_empty() || (s.len() > MAX_KEY_CHARS && s.char_indices().nth(MAX_KEY_CHARS).is_some()) {
        bad_key(s, &path(), d)
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
        other => wrong_type(other, &path.path(), "an array of strings", d),
    }
}
