//! Diagnostics: what is wrong with an input, and where.
//!
//! Messages follow one style: lowercase, no final period, user input in backticks.

use serde::Serialize;

/// Whether a diagnostic stops the config from compiling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable, kebab-case code (`unknown-field`, `guest-condition-alone`...).
    pub code: &'static str,
    /// What is wrong, in one lowercase sentence without a final period.
    pub message: String,
    /// Where: `apps[0].descriptor.modules.webItems[1].conditions[0]`; empty for the root.
    pub path: String,
    /// How to fix it, when there is something useful to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip)]
    pub severity: Severity,
}

impl Diagnostic {
    pub fn error(code: &'static str, path: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            path: path.as_str().to_owned(),
            help: None,
            severity: Severity::Error,
        }
    }
    pub fn warning(code: &'static str, path: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            path: path.as_str().to_owned(),
            help: None,
            severity: Severity::Warning,
        }
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    /// `path: message`, or just the message at the root.
    pub fn line(&self) -> String {
        if self.path.is_empty() {
            self.message.clone()
        } else {
            format!("{}: {}", self.path, self.message)
        }
    }
}

impl crate::value::ToValue for Diagnostic {
    fn to_value(&self) -> crate::Value {
        use crate::value::{object, text};
        object([
            ("code", text(self.code)),
            ("message", text(&self.message)),
            ("path", text(&self.path)),
            ("help", self.help.as_deref().and_then(text)),
        ])
    }
}

/// A path into an input, built as the reader descends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Path(String);

impl Path {
    pub fn root() -> Self {
        Path(String::new())
    }
    /// `parent.key`, or `parent["odd key"]` when the key is not a plain name.
    pub fn key(&self, key: &str) -> Path {
        let mut out = String::with_capacity(self.0.len() + key.len() + 5);
        out.push_str(&self.0);
        push_key(&mut out, key);
        Path(out)
    }
    pub fn index(&self, i: usize) -> Path {
        let mut out = String::with_capacity(self.0.len() + 8);
        out.push_str(&self.0);
        push_index(&mut out, i);
        Path(out)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The path as text.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl core::fmt::Display for Path {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Appends `.key` (no dot at the root), or `["odd key"]` when the key is not a plain name.
fn push_key(out: &mut String, key: &str) {
    let plain = !key.is_empty() && key.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'-'));
    if plain {
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(key);
    } else {
        out.push_str("[\"");
        for c in key.chars().take(64) {
            push_escaped(out, c);
        }
        out.push_str("\"]");
    }
}

/// Appends `c` as [`char::escape_default`] writes it (`\t`, `\"`, `\u{e9}`...), in less code.
fn push_escaped(out: &mut String, c: char) {
    let short = match c {
        '\t' => 't',
        '\r' => 'r',
        '\n' => 'n',
        '\'' | '"' | '\\' => c,
        ' '..='~' => return out.push(c),
        _ => {
            out.push_str("\\u{");
            let n = c as u32;
            // Hex digits without leading zeros (at least one).
            let mut shift = 20;
            while shift > 0 && (n >> shift) & 0xf == 0 {
                shift -= 4;
            }
            loop {
                out.extend(char::from_digit((n >> shift) & 0xf, 16));
                if shift == 0 {
                    break;
                }
                shift -= 4;
            }
            return out.push('}');
        }
    };
    out.push('\\');
    out.push(short);
}

/// Appends `[i]`.
fn push_index(out: &mut String, i: usize) {
    out.push('[');
    push_digits(out, i);
    out.push(']');
}

/// Appends the decimal digits of `n` (the formatting machinery is far slower on first use).
fn push_digits(out: &mut String, n: usize) {
    if n >= 10 {
        push_digits(out, n / 10);
    }
    out.extend(char::from_digit((n % 10) as u32, 10));
}

/// A path being descended that is not text yet: each level borrows its parent, so reading
/// valid input allocates no paths. [`At::path`] builds the text (exactly what the same
/// [`Path::key`] / [`Path::index`] calls give) when a diagnostic or a stored path needs it.
#[derive(Debug, Clone, Copy)]
pub enum At<'a> {
    /// A path that is text already (the root, or where a caller started).
    Path(&'a Path),
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl<'a> At<'a> {
    /// `self.key`, lazily.
    pub fn key(&'a self, key: &'a str) -> At<'a> {
        At::Key(self, key)
    }
    /// `self[i]`, lazily.
    pub fn index(&'a self, i: usize) -> At<'a> {
        At::Index(self, i)
    }
    /// The path as text.
    pub fn path(&self) -> Path {
        let mut out = String::with_capacity(self.len_hint());
        self.write(&mut out);
        Path(out)
    }
    /// The length of the text: exact unless a key needs quoting.
    fn len_hint(&self) -> usize {
        match self {
            At::Path(p) => p.0.len(),
            At::Key(parent, k) => parent.len_hint() + k.len() + 1,
            At::Index(parent, i) => {
                let mut digits = 1;
                let mut n = *i;
                while n >= 10 {
                    n /= 10;
                    digits += 1;
                }
                parent.len_hint() + digits + 2
            }
        }
    }
    fn write(&self, out: &mut String) {
        match self {
            At::Path(p) => out.push_str(&p.0),
            At::Key(parent, k) => {
                parent.write(out);
                push_key(out, k);
            }
            At::Index(parent, i) => {
                parent.write(out);
                push_index(out, *i);
            }
        }
    }
}

impl<'a> From<&'a Path> for At<'a> {
    fn from(p: &'a Path) -> At<'a> {
        At::Path(p)
    }
}

/// Quotes user input for a message: backticks, shortened when long.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(4 * QUOTE_MAX) + 5);
    push_quoted(&mut out, s);
    out
}

/// Longest user input [`quote`] shows whole, in characters.
const QUOTE_MAX: usize = 80;

/// Appends [`quote`]`(s)` to `out`.
pub(crate) fn push_quoted(out: &mut String, s: &str) {
    out.push('`');
    // No more bytes than QUOTE_MAX: no more characters either.
    let cut = if s.len() <= QUOTE_MAX { None } else { s.char_indices().nth(QUOTE_MAX) };
    match cut {
        // More than QUOTE_MAX characters: the first QUOTE_MAX of them.
        Some((cut, _)) => {
            out.push_str(s.get(..cut).unwrap_or_default());
            out.push_str("...");
        }
        None => out.push_str(s),
    }
    out.push('`');
}

/// `` `a`, `b` or `c` ``.
pub fn one_of(options: &[&str]) -> String {
    let quoted: Vec<String> = options.iter().map(|o| format!("`{o}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {}", rest.join(", "), last),
    }
}

/// Collects diagnostics while reading an input.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    pub fn error(&mut self, code: &'static str, path: &Path, message: impl Into<String>) {
        self.items.push(Diagnostic::error(code, path, message));
    }
    pub fn warning(&mut self, code: &'static str, path: &Path, message: impl Into<String>) {
        self.items.push(Diagnostic::warning(code, path, message));
    }
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }
    /// Splits into `(errors, warnings)`.
    pub fn split(self) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        self.items.into_iter().partition(|d| d.severity == Severity::Error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_escape_default() {
        let samples = (0u32..0x3000).chain([0xfeff, 0xffff, 0x1_0000, 0x1_f512, 0x10_ffff]).filter_map(char::from_u32);
        for c in samples {
            let mut out = String::new();
            push_escaped(&mut out, c);
            assert_eq!(out, c.escape_default().to_string(), "{:x}", c as u32);
        }
    }

    #[test]
    fn lazy_paths_read_like_eager_ones() {
        let root = Path::root();
        let at = At::from(&root);
        let keys = ["apps", "odd key", "", "ü", "a\"b\\c\n", "x:y-z_1", &"k".repeat(100)];
        for k in keys {
            for i in [0, 7, 1234] {
                let lazy = at.key(k);
                let lazy = lazy.index(i);
                let lazy = lazy.key("conditions");
                let eager = root.key(k).index(i).key("conditions");
                assert_eq!(lazy.path(), eager);
                let base = Path::root().key("apps").index(3);
                let from = At::from(&base);
                assert_eq!(from.key(k).path(), base.key(k));
            }
        }
        assert_eq!(root.key("apps").index(3).key("descriptor").as_str(), "apps[3].descriptor");
        assert_eq!(root.key("a b").key("c").as_str(), "[\"a b\"].c");
    }

    #[test]
    fn quotes_shorten_long_input() {
        assert_eq!(quote("abc"), "`abc`");
        let long = "é".repeat(81);
        assert_eq!(quote(&long), format!("`{}...`", "é".repeat(80)));
        assert_eq!(quote(&"é".repeat(80)), format!("`{}`", "é".repeat(80)));
    }
}
