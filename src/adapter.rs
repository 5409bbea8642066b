//! Custom UI adapters: the context objects apps already receive, turned into a viewer and
//! a space for the gate.
//!
//! - Forge Custom UI / UI Kit `view.getContext()`: `accountId`, `accountType`, `locale`,
//!   `extension.space.key` / `extension.project.key`, `user.isJiraGuest` (RFC-112).
//! - Connect `AP.context.getContext()`: `confluence.space.key` / `jira.project.key`,
//!   `user.external_collaborator` (Confluence guests) or `user.isJiraGuest`.
//!
//! Only the fields above are read; everything else in a context belongs to the product and
//! is ignored. A field that is missing when it matters, or has the wrong type, is an
//! error: the adapter never guesses a viewer (fail closed).

use crate::diag::{quote, Diagnostics, Path};
use crate::model::{Viewer, ViewerType};
use crate::value::Value;

/// What a context says about who is looking and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostView {
    pub viewer: Viewer,
    pub space: Option<String>,
    pub locale: Option<String>,
}

/// Guest flags, in the order they are looked for under `user`.
const GUEST_FLAGS: [&str; 3] = ["isJiraGuest", "external_collaborator", "isExternalCollaborator"];

fn at<'v>(v: &'v Value, keys: &[&str]) -> Option<&'v Value> {
    keys.iter().try_fold(v, |cur, k| cur.get(k)).filter(|v| !matches!(v, Value::Null))
}

fn string_at(v: &Value, keys: &[&str], diags: &mut Diagnostics) -> Option<String> {
    match at(v, keys)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        other => {
            let path = keys.iter().fold(Path::root(), |p, k| p.key(k));
            diags.error("invalid-type", &path, format!("expected a non-empty string, found {}", other.kind()));
            None
        }
    }
}

/// The guest flag under `user`: `Some(true/false)`, `None` when absent.
fn guest_flag(ctx: &Value, diags: &mut Diagnostics) -> Option<bool> {
    let mut found = None;
    for flag in GUEST_FLAGS {
        match at(ctx, &["user", flag]) {
            None => {}
            Some(Value::Bool(b)) => found = Some(found.unwrap_or(false) || *b),
            Some(other) => diags.error(
                "invalid-type",
                &Path::root().key("user").key(flag),
                format!("expected a boolean, found {}", other.kind()),
            ),
        }
    }
    found
}

/// Two container keys that must agree when both are present.
fn container(ctx: &Value, a: &[&str], b: &[&str], diags: &mut Diagnostics) -> Option<String> {
    let x = string_at(ctx, a, diags);
    let y = string_at(ctx, b, diags);
    match (x, y) {
        (Some(x), Some(y)) if x != y => {
            diags.error(
                "invalid-value",
                &Path::root(),
                format!("the context names two containers, {} and {}", quote(&x), quote(&y)),
            );
            None
        }
        (x, y) => x.or(y),
    }
}

fn finish(
    kind: Option<ViewerType>,
    account_id: Option<String>,
    space: Option<String>,
    locale: Option<String>,
    diags: Diagnostics,
) -> Result<HostView, Vec<crate::diag::Diagnostic>> {
    let (errors, _) = diags.split();
    match kind {
        Some(kind) if errors.is_empty() => {
            let mut viewer = Viewer::new(kind);
            viewer.account_id = account_id;
            if kind == ViewerType::Guest {
                // A guest looking at a space is in their guest space.
                viewer.guest_space = space.clone();
            }
            Ok(HostView { viewer, space, locale })
        }
        _ => Err(errors),
    }
}

/// Reads a Forge `view.getContext()` object.
pub fn from_forge_context(ctx: &Value) -> Result<HostView, Vec<crate::diag::Diagnostic>> {
    let mut diags = Diagnostics::default();
    if !matches!(ctx, Value::Object(_)) {
        diags.error("invalid-type", &Path::root(), format!("the context must be an object, found {}", ctx.kind()));
        return Err(diags.split().0);
    }
    let space = container(ctx, &["extension", "space", "key"], &["extension", "project", "key"], &mut diags);
    let account_id = string_at(ctx, &["accountId"], &mut diags);
    let locale = string_at(ctx, &["locale"], &mut diags);
    let guest = guest_flag(ctx, &mut diags);
    let account_type = string_at(ctx, &["accountType"], &mut diags);
    let kind = match (guest, account_type.as_deref(), &account_id) {
        (Some(true), _, _) => Some(ViewerType::Guest),
        (_, Some("anonymous"), _) => Some(ViewerType::Anonymous),
        (_, Some("customer"), _) => Some(ViewerType::Customer),
        (Some(false), Some("licensed"), _) => Some(ViewerType::Licensed),
        (Some(false), Some("unlicensed"), _) => Some(ViewerType::Unlicensed),
        (None, Some("licensed" | "unlicensed"), _) => {
            diags.error(
                "missing-field",
                &Path::root().key("user"),
                "missing `user.isJiraGuest`: cannot tell whether the viewer is a guest",
            );
            None
        }
        (_, Some(other), _) => {
            diags.error(
                "invalid-value",
                &Path::root().key("accountType"),
                format!(
                    "unknown account type {}, expected `licensed`, `unlicensed`, `customer` or `anonymous`",
                    quote(other)
                ),
            );
            None
        }
        (_, None, _) => {
            diags.error("missing-field", &Path::root(), "missing field `accountType`");
            None
        }
    };
    finish(kind, account_id, space, locale, diags)
}

/// Reads a Connect `AP.context.getContext()` object (optionally with `user.accountId` or
/// `user.atlassianAccountId` merged in from `AP.user.getCurrentUser()`).
pub fn from_connect_context(ctx: &Value) -> Result<HostView, Vec<crate::diag::Diagnostic>> {
    let mut diags = Diagnostics::default();
    if !matches!(ctx, Value::Object(_)) {
        diags.error("invalid-type", &Path::root(), format!("the context must be an object, found {}", ctx.kind()));
        return Err(diags.split().0);
    }
    let space = container(ctx, &["confluence", "space", "key"], &["jira", "project", "key"], &mut diags);
    let account_id = string_at(ctx, &["user", "accountId"], &mut diags)
        .or_else(|| string_at(ctx, &["user", "atlassianAccountId"], &mut diags));
    let kind = match (guest_flag(ctx, &mut diags), &account_id) {
        (Some(true), _) => Some(ViewerType::Guest),
        (Some(false), Some(_)) => Some(ViewerType::Licensed),
        // No account: not logged in.
        (Some(false), None) => Some(ViewerType::Anonymous),
        (None, _) => {
            diags.error(
                "missing-field",
                &Path::root().key("user"),
                "missing `user.external_collaborator` (Confluence) or `user.isJiraGuest` (Jira): cannot tell whether the viewer is a guest",
            );
            None
        }
    };
    finish(kind, account_id, space, None, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(json: &str) -> Value {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn forge_jira_guest() {
        let h = from_forge_context(&v(r#"{"accountId":"a","accountType":"licensed","locale":"de_DE",
            "extension":{"type":"jira:issuePanel","project":{"key":"ENG"}},"user":{"isJiraGuest":true}}"#))
        .unwrap();
        assert_eq!(h.viewer.kind, ViewerType::Guest);
        assert_eq!(h.viewer.guest_space.as_deref(), Some("ENG"));
        assert_eq!(h.space.as_deref(), Some("ENG"));
    }

    #[test]
    fn forge_without_guest_flag_fails_closed() {
        let e =
            from_forge_context(&v(r#"{"accountId":"a","accountType":"licensed","extension":{"space":{"key":"X"}}}"#))
                .unwrap_err();
        assert_eq!(e[0].code, "missing-field");
    }

    #[test]
    fn forge_anonymous_and_bad_types() {
        assert_eq!(
            from_forge_context(&v(r#"{"accountType":"anonymous"}"#)).unwrap().viewer.kind,
            ViewerType::Anonymous
        );
        // Forge always says who is looking; a context that does not is not trusted.
        assert!(from_forge_context(&v(r#"{"extension":{}}"#)).is_err());
        assert!(from_forge_context(&v(r#"{"accountType":"root","user":{"isJiraGuest":false}}"#)).is_err());
        assert!(from_forge_context(&v(r#"{"accountType":"licensed","user":{"isJiraGuest":"no"}}"#)).is_err());
        assert!(from_forge_context(&v(r#"[]"#)).is_err());
    }

    #[test]
    fn connect_external_collaborator() {
        let h = from_connect_context(&v(
            r#"{"confluence":{"space":{"key":"DOCS"}},"user":{"external_collaborator":true}}"#,
        ))
        .unwrap();
        assert_eq!(h.viewer.kind, ViewerType::Guest);
        assert_eq!(h.viewer.guest_space.as_deref(), Some("DOCS"));
        let h = from_connect_context(&v(
            r#"{"jira":{"project":{"key":"P"}},"user":{"isJiraGuest":false,"accountId":"u"}}"#,
        ))
        .unwrap();
        assert_eq!(h.viewer.kind, ViewerType::Licensed);
        assert!(
            from_connect_context(&v(r#"{"confluence":{"space":{"key":"DOCS"}},"user":{"accountId":"u"}}"#)).is_err()
        );
        assert!(from_connect_context(&v(r#"{"confluence":{}}"#)).is_err());
        let h = from_connect_context(&v(r#"{"confluence":{},"user":{"external_collaborator":false}}"#)).unwrap();
        assert_eq!(h.viewer.kind, ViewerType::Anonymous);
    }
}
