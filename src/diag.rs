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
        Diagnostic { code, message: message.into(), path: path.to_string(), help: None, severity: Severity::Error }
    }
    pub fn warning(code: &'static str, path: &Path, message: impl Into<String>) -> Self {
        Diagnostic { code, message: message.into(), path: path.to_string(), help: None, severity: Severity::Warning }
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
        let plain =
            !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':' || c == '-');
        if plain {
            if self.0.is_empty() {
                Path(key.to_owned())
            } else {
                Path(format!("{}.{}", self.0, key))
            }
        } else {
            let quoted: String = key.chars().take(64).flat_map(char::escape_default).collect();
            Path(format!("{}[\"{}\"]", self.0, quoted))
        }
    }
    pub fn index(&self, i: usize) -> Path {
        Path(format!("{}[{}]", self.0, i))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Display for Path {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Quotes user input for a message: backticks, shortened when long.
pub fn quote(s: &str) -> String {
    const MAX: usize = 80;
    if s.chars().count() > MAX {
        let short: String = s.chars().take(MAX).collect();
        format!("`{short}...`")
    } else {
        format!("`{s}`")
    }
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
