//! Condition names and what they test.

use super::{Cond, Leaf, ParseCx};
use crate::diag::{push_quoted, quote, At};
use crate::value::Value;

/// Request fields a leaf can read besides the viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContextField {
    ProjectType,
    IssueType,
    IssueKey,
    ContentType,
    Space,
}

impl ContextField {
    /// The request field a host fills in, named in `missing`.
    pub fn request_field(self) -> &'static str {
        match self {
            ContextField::ProjectType => "context.projectType",
            ContextField::IssueType => "context.issueType",
            ContextField::IssueKey => "context.issueKey",
            ContextField::ContentType => "context.contentType",
            ContextField::Space => "space",
        }
    }
}

/// How an entity property is tested.
#[derive(Debug, Clone, PartialEq)]
pub enum PropTest {
    Exists,
    Equals(Value),
    ContainsAny(Vec<Value>),
    ContainsAll(Vec<Value>),
}

/// What a condition leaf tests.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    LoggedIn,
    Anonymous,
    /// Free single-space guest (Confluence external collaborator, Jira guest).
    Guest,
    SiteAdmin,
    /// Product or site admin.
    Admin,
    /// Space (project) admin.
    SpaceAdmin,
    /// Holds a product licence.
    Licensed,
    /// The viewer holds this permission key (unknown when the request lists no permissions).
    Permission(String),
    /// A context field equals one of these values (unknown when the field is absent).
    Context(ContextField, Vec<String>),
    /// An entity property from `context.properties` (false when absent).
    Property {
        entity: String,
        key: String,
        object_name: Option<String>,
        test: PropTest,
    },
    /// Not built in: looked up in the request's `facts` by condition name.
    Host,
}

enum Kind {
    Bool(Fact),
    Permission,
    Context(ContextField, &'static [&'static str]),
    Property(Option<&'static str>, PropKind),
}

#[derive(Clone, Copy)]
enum PropKind {
    Exists,
    Equals,
    ContainsAny,
    ContainsAll,
}

fn kind(name: &str) -> Option<Kind> {
    use Fact::*;
    use PropKind::*;
    Some(match name {
        "user_is_logged_in" | "isLoggedIn" => Kind::Bool(LoggedIn),
        "user_is_anonymous" | "isAnonymous" => Kind::Bool(Anonymous),
        "user_is_external_collaborator" | "userIsExternalCollaborator" | "is_jira_guest" | "isJiraGuest" => {
            Kind::Bool(Guest)
        }
        "user_is_sysadmin" | "isSiteAdmin" => Kind::Bool(SiteAdmin),
        "user_is_admin" | "isAdmin" | "user_is_confluence_administrator" => Kind::Bool(Admin),
        "user_is_project_admin" | "isProjectAdmin" | "user_is_space_admin" | "isSpaceAdmin" => Kind::Bool(SpaceAdmin),
        "user_can_use_confluence" | "can_use_application" | "isLicensed" => Kind::Bool(Licensed),
        "has_project_permission"
        | "hasProjectPermission"
        | "has_issue_permission"
        | "hasIssuePermission"
        | "has_global_permission"
        | "hasGlobalPermission"
        | "space_function_permission"
        | "has_space_permission"
        | "hasSpacePermission" => Kind::Permission,
        "project_type" | "projectType" => {
            Kind::Context(ContextField::ProjectType, &["projectTypeKey", "projectType", "value"])
        }
        "issue_type" | "issueType" => Kind::Context(ContextField::IssueType, &["issueType", "value"]),
        "issue_key" | "issueKey" => Kind::Context(ContextField::IssueKey, &["issueKey", "value"]),
        "content_type" | "contentType" => Kind::Context(ContextField::ContentType, &["contentType", "value"]),
        "space_key" | "spaceKey" | "project_key" | "projectKey" => {
            Kind::Context(ContextField::Space, &["spaceKey", "projectKey", "key", "value"])
        }
        "entity_property_equal_to" | "entityPropertyEqualTo" => Kind::Property(None, Equals),
        "entity_property_exists" | "entityPropertyExists" => Kind::Property(None, Exists),
        "entity_property_contains_any" | "entityPropertyContainsAny" => Kind::Property(None, ContainsAny),
        "entity_property_contains_all" | "entityPropertyContainsAll" => Kind::Property(None, ContainsAll),
        "content_property_equal_to" | "contentPropertyEqualTo" => Kind::Property(Some("content"), Equals),
        "content_property_exists" | "contentPropertyExists" => Kind::Property(Some("content"), Exists),
        "content_property_contains_any" => Kind::Property(Some("content"), ContainsAny),
        "content_property_contains_all" => Kind::Property(Some("content"), ContainsAll),
        "space_property_equal_to" | "spacePropertyEqualTo" => Kind::Property(Some("space"), Equals),
        "space_property_exists" | "spacePropertyExists" => Kind::Property(Some("space"), Exists),
        "space_property_contains_any" => Kind::Property(Some("space"), ContainsAny),
        "space_property_contains_all" => Kind::Property(Some("space"), ContainsAll),
        _ => return None,
    })
}

/// Whether `name` is one of the guest-status conditions.
pub fn is_guest_condition(name: &str) -> bool {
    matches!(kind(name), Some(Kind::Bool(Fact::Guest)))
}

/// How a leaf's arguments were written.
pub(crate) enum Args<'a> {
    /// Connect `params` object, or Forge list-form `params` (may be absent).
    Params(Option<&'a [(String, Value)]>),
    /// Forge object form: `name: value`.
    Value(&'a Value),
}

impl<'a> Args<'a> {
    fn param(&self, names: &[&str]) -> Option<&'a Value> {
        match self {
            Args::Params(Some(entries)) => {
                names.iter().find_map(|n| entries.iter().find(|(k, _)| k == n).map(|(_, v)| v))
            }
            Args::Params(None) => None,
            Args::Value(Value::Object(entries)) => {
                names.iter().find_map(|n| entries.iter().find(|(k, _)| k == n).map(|(_, v)| v))
            }
            Args::Value(v) => names.contains(&"value").then_some(*v),
        }
    }
    /// Appends the leaf in words, for explanations: `` `name` ``, `` `name` (k `v`, ...) ``
    /// or `` `name` is `v` ``.
    fn push_label(&self, name: &str, out: &mut String) {
        // A string argument is shown as written, anything else as its JSON text.
        let value = |v: &Value, out: &mut String| match v {
            Value::String(s) => push_quoted(out, s),
            other => push_quoted(out, &other.to_json()),
        };
        let entries = match self {
            Args::Params(Some(entries)) if !entries.is_empty() => entries,
            Args::Value(Value::Bool(_)) | Args::Params(_) => return push_quoted(out, name),
            Args::Value(Value::Object(entries)) => entries.as_slice(),
            Args::Value(v) => {
                push_quoted(out, name);
                out.push_str(" is ");
                return value(v, out);
            }
        };
        push_quoted(out, name);
        out.push_str(" (");
        for (i, (k, v)) in entries.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(k);
            out.push(' ');
            value(v, out);
        }
        out.push(')');
    }

    /// Appends the arguments as canonical text (JSON), or nothing when there are none.
    fn push_text(&self, out: &mut String) {
        match self {
            Args::Params(Some(entries)) if !entries.is_empty() => crate::value::write_object_json(entries, out),
            Args::Params(_) => {}
            Args::Value(Value::Bool(_)) => {}
            Args::Value(v) => crate::value::write_json(v, out),
        }
    }
}

/// Builds the tree for one named condition. A Forge `name: false` becomes `not(name)`.
pub(crate) fn leaf(name: &str, args: Args<'_>, path: &At<'_>, cx: &mut ParseCx<'_>) -> Cond {
    let mut negate = false;
    let fact = match kind(name) {
        None => {
            // A host fact is a boolean: Forge `flag: false` means "flag is false".
            if let Args::Value(Value::Bool(b)) = &args {
                negate = !b;
            }
            // Common in real descriptors, so built without the formatting machinery.
            let mut message = String::with_capacity(name.len() + 64);
            message.push_str("unknown condition ");
            push_quoted(&mut message, name);
            message.push_str(": it is looked up in the request's `facts`");
            cx.diags.push(
                crate::diag::Diagnostic::warning("unknown-condition", &path.path(), message)
                    .with_help("pass its value in `facts`, or it counts as unknown (rule 9)"),
            );
            Fact::Host
        }
        Some(Kind::Bool(f)) => {
            if let Args::Value(v) = &args {
                match v {
                    Value::Bool(b) => negate = !b,
                    other => cx.diags.error(
                        "invalid-value",
                        &path.path(),
                        format!("condition {} takes `true` or `false`, found {}", quote(name), other.kind()),
                    ),
                }
            }
            f
        }
        Some(Kind::Permission) => match args.param(&["permission", "value"]).and_then(Value::as_str) {
            Some(p) => Fact::Permission(p.to_owned()),
            None => {
                cx.diags.error(
                    "invalid-value",
                    &path.path(),
                    format!("condition {} needs a `permission` parameter", quote(name)),
                );
                Fact::Permission(String::new())
            }
        },
        Some(Kind::Context(field, names)) => {
            let values = match args.param(names) {
                Some(Value::String(s)) => vec![s.clone()],
                Some(Value::Array(items)) if items.iter().all(|i| i.as_str().is_some()) => {
                    items.iter().filter_map(Value::as_str).map(str::to_owned).collect()
                }
                _ => {
                    cx.diags.error(
                        "invalid-value",
                        &path.path(),
                        format!("condition {} needs a string value (or a list of strings)", quote(name)),
                    );
                    Vec::new()
                }
            };
            Fact::Context(field, values)
        }
        Some(Kind::Property(fixed_entity, pk)) => property(name, fixed_entity, pk, &args, path, cx),
    };
    let mut key = String::with_capacity(name.len());
    key.push_str(name);
    args.push_text(&mut key);
    let mut label = String::with_capacity(name.len() + 2);
    args.push_label(name, &mut label);
    let path = path.path().into_string();
    let node = Cond::Leaf(Box::new(Leaf { name: name.to_owned(), fact, key, path, label }));
    if negate {
        Cond::Not(Box::new(node))
    } else {
        node
    }
}

fn property(
    name: &str,
    fixed_entity: Option<&'static str>,
    pk: PropKind,
    args: &Args<'_>,
    path: &At<'_>,
    cx: &mut ParseCx<'_>,
) -> Fact {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    let entity = match fixed_entity {
        Some(e) => Some(e.to_owned()),
        None => text(args.param(&["entity"])),
    };
    let key = text(args.param(&["propertyKey"]));
    let object_name = text(args.param(&["objectName"]));
    let (Some(entity), Some(key)) = (entity, key) else {
        let needs = if fixed_entity.is_some() { "`propertyKey`" } else { "`entity` and `propertyKey`" };
        cx.diags.error("invalid-value", &path.path(), format!("condition {} needs {needs}", quote(name)));
        return Fact::Property { entity: String::new(), key: String::new(), object_name, test: PropTest::Exists };
    };
    let value = args.param(&["value"]);
    let test = match (pk, value) {
        (PropKind::Exists, _) => PropTest::Exists,
        (PropKind::Equals, Some(v)) => PropTest::Equals(v.clone()),
        (PropKind::ContainsAny | PropKind::ContainsAll, Some(v)) => {
            let items = match v {
                Value::Array(items) => items.clone(),
                Value::String(s) => parse_list(s),
                other => vec![other.clone()],
            };
            if matches!(pk, PropKind::ContainsAny) {
                PropTest::ContainsAny(items)
            } else {
                PropTest::ContainsAll(items)
            }
        }
        (_, None) => {
            cx.diags.error("invalid-value", &path.path(), format!("condition {} needs a `value`", quote(name)));
            PropTest::Exists
        }
    };
    Fact::Property { entity, key, object_name, test }
}

/// Connect passes list values as JSON text (`"[\"a\",\"b\"]"`); anything else is one value.
fn parse_list(s: &str) -> Vec<Value> {
    crate::value::parse_scalar_array(s).unwrap_or_else(|| vec![Value::String(s.to_owned())])
}
