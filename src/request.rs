//! Reading one decision request.

use crate::diag::{Diagnostics, Path};
use crate::model::{Viewer, ViewerType};
use crate::read::{check_key, object};
use crate::value::Value;

/// What the host knows about where the module would render.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    pub issue_type: Option<String>,
    pub issue_key: Option<String>,
    pub project_type: Option<String>,
    pub content_type: Option<String>,
    /// `entity -> (propertyKey -> value)`.
    pub properties: Vec<(String, Vec<(String, Value)>)>,
}

impl Context {
    pub fn property(&self, entity: &str, key: &str) -> Option<&Value> {
        self.properties
            .iter()
            .find(|(e, _)| e == entity)
            .and_then(|(_, props)| props.iter().find(|(k, _)| k == key).map(|(_, v)| v))
    }
}

/// One question: may this module render here for this viewer?
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub viewer: Viewer,
    pub app: String,
    pub module: String,
    /// The container (space or project key); `None` for global and admin pages.
    pub space: Option<String>,
    pub context: Context,
    /// Host-supplied condition values, by condition name.
    pub facts: Vec<(String, bool)>,
    pub explain: bool,
}

/// Host facts by condition name: a request's own, or read by a batch straight from its
/// string table (no copy of each name).
#[derive(Debug, Clone, Copy)]
pub enum Facts<'a> {
    Owned(&'a [(String, bool)]),
    Borrowed(&'a [(&'a str, bool)]),
}

impl Facts<'_> {
    /// None at all.
    pub const NONE: Facts<'static> = Facts::Borrowed(&[]);

    /// The value the host gave for `name`: the first entry with that name.
    pub fn get(&self, name: &str) -> Option<bool> {
        match self {
            Facts::Owned(list) => list.iter().find(|(n, _)| n == name).map(|(_, b)| *b),
            Facts::Borrowed(list) => list.iter().find(|(n, _)| *n == name).map(|(_, b)| *b),
        }
    }
}

/// A borrowed request: what the pipeline reads. Batches build these without copying the
/// shared viewer, context or facts.
#[derive(Debug, Clone, Copy)]
pub struct RequestRef<'a> {
    pub viewer: &'a Viewer,
    pub app: &'a str,
    pub module: &'a str,
    pub space: Option<&'a str>,
    pub context: &'a Context,
    pub facts: Facts<'a>,
    pub explain: bool,
}

impl RequestRef<'_> {
    pub fn fact(&self, name: &str) -> Option<bool> {
        self.facts.get(name)
    }
}

/// The empty context, for requests that carry none.
pub static NO_CONTEXT: Context =
    Context { issue_type: None, issue_key: None, project_type: None, content_type: None, properties: Vec::new() };

impl Request {
    /// Borrows the request for the pipeline.
    pub fn as_ref(&self) -> RequestRef<'_> {
        RequestRef {
            viewer: &self.viewer,
            app: &self.app,
            module: &self.module,
            space: self.space.as_deref(),
            context: &self.context,
            facts: Facts::Owned(&self.facts),
            explain: self.explain,
        }
    }

    /// A request with no context, facts or trace.
    pub fn new(viewer: Viewer, app: &str, module: &str, space: Option<&str>) -> Request {
        Request {
            viewer,
            app: app.to_owned(),
            module: module.to_owned(),
            space: space.map(str::to_owned),
            context: Context::default(),
            facts: Vec::new(),
            explain: false,
        }
    }

    pub fn fact(&self, name: &str) -> Option<bool> {
        self.facts.iter().find(|(n, _)| n == name).map(|(_, b)| *b)
    }
}

const REQUEST_FIELDS: [&str; 8] = ["viewer", "app", "module", "space", "project", "context", "facts", "explain"];
pub(crate) const VIEWER_FIELDS: [&str; 8] =
    ["type", "accountId", "guestSpace", "guestProject", "siteAdmin", "productAdmin", "spaceAdmin", "permissions"];
pub(crate) const CONTEXT_FIELDS: [&str; 5] = ["issueType", "issueKey", "projectType", "contentType", "properties"];

/// Reads a request; `None` when it has errors (all of them are in `diags`).
pub fn read_request(v: &Value, diags: &mut Diagnostics) -> Option<Request> {
    let root = Path::root();
    let obj = object(v, &root, "the request", diags)?;
    obj.deny_unknown(&REQUEST_FIELDS, diags);
    let viewer = obj.require("viewer", diags).and_then(|vv| read_viewer(vv, &obj.at("viewer"), diags));
    let app = obj.key_req("app", diags);
    let module = obj.key_req("module", diags);
    let space = alias(&obj, "space", "project", diags);
    let context = match obj.get("context") {
        Some(c) => read_context(c, &obj.at("context"), diags),
        None => Some(Context::default()),
    };
    let facts = match obj.get("facts") {
        Some(f) => read_facts(f, &obj.at("facts"), diags),
        None => Some(Vec::new()),
    };
    let explain = obj.bool_opt("explain", diags).unwrap_or(false);
    if diags.has_errors() {
        return None;
    }
    Some(Request {
        viewer: viewer?,
        app: app?.to_owned(),
        module: module?.to_owned(),
        space,
        context: context?,
        facts: facts?,
        explain,
    })
}

/// An optional key given under either of two names (`space` / `project`).
fn alias(obj: &crate::read::Obj<'_>, a: &str, b: &str, diags: &mut Diagnostics) -> Option<String> {
    let x = obj.key_opt(a, diags);
    let y = obj.key_opt(b, diags);
    match (x, y) {
        (Some(x), Some(y)) if x != y => {
            diags.error("invalid-value", &obj.at(b), format!("`{a}` and `{b}` name different containers"));
            None
        }
        (x, y) => x.or(y).map(str::to_owned),
    }
}

/// Reads a viewer object (also used by `discoverableMacros`).
pub fn read_viewer(v: &Value, path: &Path, diags: &mut Diagnostics) -> Option<Viewer> {
    let obj = object(v, path, "`viewer`", diags)?;
    obj.deny_unknown(&VIEWER_FIELDS, diags);
    let kind = obj.enum_req("type", &ViewerType::NAMES, diags).map(ViewerType::from_index);
    let account_id = obj.str_opt("accountId", diags).map(str::to_owned);
    let guest_space = alias(&obj, "guestSpace", "guestProject", diags);
    let site_admin = obj.bool_opt("siteAdmin", diags).unwrap_or(false);
    let product_admin = obj.bool_opt("productAdmin", diags).unwrap_or(false);
    let space_admin = obj.bool_opt("spaceAdmin", diags).unwrap_or(false);
    let permissions = match obj.get("permissions") {
        None => None,
        Some(Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let p = || obj.at("permissions").index(i);
                match item {
                    Value::String(s) => {
                        if let Some(s) = check_key(s, p, diags) {
                            out.push(s.to_owned());
                        }
                    }
                    other => diags.error("invalid-type", &p(), format!("expected a string, found {}", other.kind())),
                }
            }
            Some(out)
        }
        Some(other) => {
            diags.error(
                "invalid-type",
                &obj.at("permissions"),
                format!("expected an array of permission keys, found {}", other.kind()),
            );
            None
        }
    };
    Some(Viewer { kind: kind?, account_id, guest_space, site_admin, product_admin, space_admin, permissions })
}

pub(crate) fn read_context(v: &Value, path: &Path, diags: &mut Diagnostics) -> Option<Context> {
    let obj = object(v, path, "`context`", diags)?;
    obj.deny_unknown(&CONTEXT_FIELDS, diags);
    let mut ctx = Context {
        issue_type: obj.str_opt("issueType", diags).map(str::to_owned),
        issue_key: obj.str_opt("issueKey", diags).map(str::to_owned),
        project_type: obj.str_opt("projectType", diags).map(str::to_owned),
        content_type: obj.str_opt("contentType", diags).map(str::to_owned),
        properties: Vec::new(),
    };
    if let Some(props) = obj.get("properties") {
        let ppath = obj.at("properties");
        let pobj = object(props, &ppath, "`context.properties`", diags)?;
        for (entity, values) in pobj.entries {
            if matches!(values, Value::Null) {
                continue;
            }
            let epath = ppath.key(entity);
            if let Some(eobj) = object(values, &epath, "the properties of an entity", diags) {
                ctx.properties.push((entity.clone(), eobj.entries.to_vec()));
            }
        }
    }
    Some(ctx)
}

pub(crate) fn read_facts(v: &Value, path: &Path, diags: &mut Diagnostics) -> Option<Vec<(String, bool)>> {
    let obj = object(v, path, "`facts`", diags)?;
    let mut out = Vec::with_capacity(obj.entries.len());
    for (name, val) in obj.entries {
        match val {
            Value::Bool(b) => out.push((name.clone(), *b)),
            // `undefined` / `null`: the host does not know yet.
            Value::Null => {}
            other => diags.error(
                "invalid-type",
                &path.key(name),
                format!("a fact is `true` or `false`, found {}", other.kind()),
            ),
        }
    }
    Some(out)
}
