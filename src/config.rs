//! Reading and compiling a gate configuration.
//!
//! A config is read in one pass that collects *every* problem with its path. Apps,
//! modules and policies are compiled into indexed tables so that a decision is a few
//! lookups and one condition evaluation.

use rustc_hash::FxHashMap as HashMap;

use crate::catalog::{self, ModuleType};
use crate::condition::{parse_connect_at, parse_forge_at, Cond};
use crate::diag::{quote, At, Diagnostic, Diagnostics, Path};
use crate::model::{AppAccess, Framework, GuestAccess, GuestMode, OnMissingFacts, Product, Reason, ViewerType};
use crate::read::{object, Obj};
use crate::value::Value;

/// Most apps in one config.
pub const MAX_APPS: usize = 10_000;
/// Most modules in one app.
pub const MAX_MODULES_PER_APP: usize = 10_000;
/// Most policies in one config.
pub const MAX_POLICIES: usize = 10_000;

/// One module of an installed app.
#[derive(Debug)]
pub struct Module {
    pub key: String,
    /// The descriptor/manifest module type as written.
    pub type_name: String,
    /// The catalog row; `None` when the type is unknown for this product (fails closed).
    pub kind: Option<&'static ModuleType>,
    pub conditions: Option<Cond>,
    /// Module-level `allowGuests`.
    pub allow_guests: Option<bool>,
    /// Forge `unlicensedAccess`: viewer types allowed without a licence.
    pub unlicensed_access: Vec<ViewerType>,
    /// The tree holds a guest condition that is not inverted (an opt-in signal).
    pub positive_guest_condition: bool,
    pub path: Path,
}

/// One installed app.
#[derive(Debug)]
pub struct App {
    pub key: String,
    pub name: String,
    pub framework: Framework,
    pub guest_access: Option<GuestAccess>,
    pub modules: Vec<Module>,
    pub module_index: HashMap<String, usize>,
}

impl App {
    pub fn module(&self, key: &str) -> Option<&Module> {
        self.module_index.get(key).and_then(|&i| self.modules.get(i))
    }
}

/// One admin policy (RFC-14 app access rule).
#[derive(Debug)]
pub struct Policy {
    pub id: String,
    pub name: String,
    pub spaces: Vec<String>,
    pub access: AppAccess,
    pub apps: Vec<String>,
}

impl Policy {
    pub fn covers(&self, space: &str) -> bool {
        self.spaces.iter().any(|s| s == space)
    }
    /// Whether this policy blocks `app` in the spaces it covers.
    pub fn blocks(&self, app: &str) -> bool {
        let listed = self.apps.iter().any(|a| a == app);
        match self.access {
            AppAccess::AllowAll => false,
            AppAccess::BlockAll => true,
            AppAccess::BlockAllExcept => !listed,
            AppAccess::BlockOnly => listed,
        }
    }
}

/// Host message overrides: locale -> reason -> text.
pub type MessageOverrides = Vec<(String, Vec<(Reason, String)>)>;

/// A compiled configuration: the tables every decision reads.
#[derive(Debug)]
pub struct Config {
    pub product: Product,
    pub guest_mode: GuestMode,
    pub on_missing_facts: OnMissingFacts,
    pub locale: String,
    pub apps: Vec<App>,
    pub app_index: HashMap<String, usize>,
    pub policies: Vec<Policy>,
    /// Placeholder templates for this product and locale, resolved once.
    pub templates: crate::messages::Templates,
}

impl Config {
    pub fn app(&self, key: &str) -> Option<&App> {
        self.app_index.get(key).and_then(|&i| self.apps.get(i))
    }
}

const CONFIG_FIELDS: [&str; 7] = ["product", "guestMode", "onMissingFacts", "locale", "messages", "apps", "policies"];
const APP_FIELDS: [&str; 6] = ["key", "name", "framework", "guestAccess", "descriptor", "manifest"];
const POLICY_FIELDS: [&str; 6] = ["id", "name", "spaces", "projects", "appAccess", "apps"];

/// Reasons whose text a host may override: the ones that show a placeholder.
pub const MESSAGE_REASONS: [&str; 2] = ["guest-blocked", "blocked-by-policy"];

/// Reads a config. Returns `None` when it has errors; `diags` holds every problem.
pub fn read(v: &Value, diags: &mut Diagnostics) -> Option<Config> {
    let root = Path::root();
    let obj = object(v, &root, "the config", diags)?;
    obj.deny_unknown(&CONFIG_FIELDS, diags);

    let product = obj.enum_req("product", &Product::NAMES, diags).map(Product::from_index);
    let guest_mode = obj.enum_opt("guestMode", &GuestMode::NAMES, diags).map(GuestMode::from_index);
    let on_missing = match obj.enum_opt("onMissingFacts", &["hide", "pending"], diags) {
        Some(1) => OnMissingFacts::Pending,
        _ => OnMissingFacts::Hide,
    };
    let locale = match obj.str_opt("locale", diags) {
        Some(l) => check_locale(l, &obj.at("locale"), diags).unwrap_or_else(|| "en".to_owned()),
        None => "en".to_owned(),
    };
    let messages = obj.get("messages").map(|m| read_messages(m, &obj.at("messages"), diags)).unwrap_or_default();

    let mut apps = Vec::new();
    let mut app_index = HashMap::default();
    match obj.get("apps") {
        None => diags.error("missing-field", &root, "missing field `apps`"),
        Some(Value::Array(items)) => {
            if items.len() > MAX_APPS {
                diags.error("too-large", &obj.at("apps"), format!("more than {MAX_APPS} apps"));
            } else {
                apps.reserve(items.len());
                app_index.reserve(items.len());
                let apps_at = obj.here("apps");
                // Apps are read even when `product` is bad, so that every problem is named.
                for (i, item) in items.iter().enumerate() {
                    let path = apps_at.index(i);
                    if let Some(app) = read_app(item, path, product, diags) {
                        if app_index.contains_key(&app.key) {
                            diags.error(
                                "duplicate-key",
                                &path.key("key").path(),
                                format!("app {} is listed twice", quote(&app.key)),
                            );
                        } else {
                            app_index.insert(app.key.clone(), apps.len());
                            apps.push(app);
                        }
                    }
                }
            }
        }
        Some(other) => {
            diags.error("invalid-type", &obj.at("apps"), format!("expected an array of apps, found {}", other.kind()))
        }
    }

    let mut policies = Vec::new();
    match obj.get("policies") {
        None => {}
        Some(Value::Array(items)) => {
            if items.len() > MAX_POLICIES {
                diags.error("too-large", &obj.at("policies"), format!("more than {MAX_POLICIES} policies"));
            } else {
                let policies_at = obj.here("policies");
                for (i, item) in items.iter().enumerate() {
                    let path = policies_at.index(i);
                    if let Some(p) = read_policy(item, path, diags) {
                        if policies.iter().any(|q: &Policy| q.id == p.id) {
                            diags.error(
                                "duplicate-key",
                                &path.key("id").path(),
                                format!("policy id {} is used twice", quote(&p.id)),
                            );
                        } else {
                            policies.push(p);
                        }
                    }
                }
            }
        }
        Some(other) => diags.error(
            "invalid-type",
            &obj.at("policies"),
            format!("expected an array of policies, found {}", other.kind()),
        ),
    }

    let product = product?;
    if diags.has_errors() {
        return None;
    }
    let templates = crate::messages::Templates::new(&messages, &locale, product);
    Some(Config {
        product,
        guest_mode: guest_mode.unwrap_or_else(|| product.default_guest_mode()),
        on_missing_facts: on_missing,
        locale,
        apps,
        app_index,
        policies,
        templates,
    })
}

fn check_locale(l: &str, path: &Path, diags: &mut Diagnostics) -> Option<String> {
    let ok = !l.is_empty() && l.len() <= 35 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Some(l.replace('_', "-"))
    } else {
        diags.error("invalid-value", path, format!("{} is not a locale tag such as `en` or `de-CH`", quote(l)));
        None
    }
}

fn read_messages(v: &Value, path: &Path, diags: &mut Diagnostics) -> MessageOverrides {
    let mut out = Vec::new();
    let Some(obj) = object(v, path, "`messages`", diags) else { return out };
    for (locale, texts) in obj.entries {
        let lpath = path.key(locale);
        let Some(locale) = check_locale(locale, &lpath, diags) else { continue };
        let Some(tobj) = object(texts, &lpath, "the messages of a locale", diags) else { continue };
        let mut entries = Vec::new();
        for (reason, text) in tobj.entries {
            // `null` / `undefined` entries are absent, as everywhere else.
            if matches!(text, Value::Null) {
                continue;
            }
            let rpath = lpath.key(reason);
            match Reason::from_code(reason) {
                Some(r) if MESSAGE_REASONS.contains(&reason.as_str()) => match text {
                    Value::String(s) if !s.trim().is_empty() => entries.push((r, s.clone())),
                    Value::String(_) => diags.error("invalid-value", &rpath, "message text must not be empty"),
                    other => diags.error("invalid-type", &rpath, format!("expected a string, found {}", other.kind())),
                },
                _ => diags.push(
                    Diagnostic::error(
                        "invalid-value",
                        &rpath,
                        format!("no placeholder shows a message for reason {}", quote(reason)),
                    )
                    .with_help(format!("messages can be set for {}", crate::diag::one_of(&MESSAGE_REASONS))),
                ),
            }
        }
        out.push((locale, entries));
    }
    out
}

fn read_app(v: &Value, path: At<'_>, product: Option<Product>, diags: &mut Diagnostics) -> Option<App> {
    let obj = object(v, path, "an app", diags)?;
    obj.deny_unknown(&APP_FIELDS, diags);
    let key = obj.key_req("key", diags);
    let name = obj.str_req("name", diags);
    let framework = obj.enum_req("framework", &Framework::NAMES, diags).map(Framework::from_index);
    let guest_access = obj.enum_opt("guestAccess", &["allow", "block"], diags).map(|i| {
        if i == 0 {
            GuestAccess::Allow
        } else {
            GuestAccess::Block
        }
    });
    let framework = framework?;
    let (field, other) = match framework {
        Framework::Connect => ("descriptor", "manifest"),
        Framework::Forge => ("manifest", "descriptor"),
        Framework::OAuth3lo => ("", ""),
    };
    for f in ["descriptor", "manifest"] {
        if obj.get(f).is_some() && (framework == Framework::OAuth3lo || f == other) {
            diags.error(
                "invalid-value",
                &obj.at(f),
                format!("`{f}` does not go with framework `{}`", framework.name()),
            );
        }
    }
    let mut modules = Vec::new();
    let mut module_index = HashMap::default();
    if !field.is_empty() {
        if let Some(doc) = obj.get(field) {
            read_modules(doc, obj.here(field), framework, product, &mut modules, &mut module_index, diags);
        }
    }
    Some(App { key: key?.to_owned(), name: name?.to_owned(), framework, guest_access, modules, module_index })
}

/// Reads `modules` of a Connect descriptor or Forge manifest; everything else in the
/// document belongs to the app and is ignored.
fn read_modules(
    doc: &Value,
    path: At<'_>,
    framework: Framework,
    product: Option<Product>,
    modules: &mut Vec<Module>,
    index: &mut HashMap<String, usize>,
    diags: &mut Diagnostics,
) {
    let what = if framework == Framework::Connect { "a Connect descriptor" } else { "a Forge manifest" };
    let Some(doc) = object(doc, path, what, diags) else { return };
    let Some(mods) = doc.get("modules") else { return };
    let mpath = doc.here("modules");
    let Some(mods) = object(mods, mpath, "`modules`", diags) else { return };
    for (type_name, list) in mods.entries {
        if matches!(list, Value::Null) {
            continue;
        }
        let tpath = mpath.key(type_name);
        let kind = product.and_then(|p| catalog::lookup(framework, type_name, p));
        if let (None, Some(product)) = (kind, product) {
            let why = if catalog::other_product(framework, type_name, product) {
                format!("module type {} does not exist in {}", quote(type_name), product.display_name())
            } else {
                format!("unknown {} module type {}", framework.display_name(), quote(type_name))
            };
            diags.push(
                Diagnostic::warning("unknown-module-type", &tpath.path(), why)
                    .with_help("its modules are hidden for every viewer (fail closed)"),
            );
        }
        // Connect allows a single object for single-instance modules (configurePage...).
        let (items, single) = match list {
            Value::Array(items) => (items.as_slice(), false),
            Value::Object(_) => (core::slice::from_ref(list), true),
            other => {
                diags.error(
                    "invalid-type",
                    &tpath.path(),
                    format!("expected an array of modules, found {}", other.kind()),
                );
                continue;
            }
        };
        modules.reserve(items.len());
        index.reserve(items.len());
        for (i, item) in items.iter().enumerate() {
            let indexed = tpath.index(i);
            let mp = if single { tpath } else { indexed };
            if modules.len() >= MAX_MODULES_PER_APP {
                diags.error("too-large", &mpath.path(), format!("more than {MAX_MODULES_PER_APP} modules in one app"));
                return;
            }
            let Some(module) = read_module(item, mp, type_name, kind, framework, diags) else { continue };
            if index.contains_key(&module.key) {
                diags.error(
                    "duplicate-key",
                    &mp.key("key").path(),
                    format!("module key {} is used twice in this app", quote(&module.key)),
                );
                continue;
            }
            index.insert(module.key.clone(), modules.len());
            modules.push(module);
        }
    }
}

fn read_module(
    v: &Value,
    path: At<'_>,
    type_name: &str,
    kind: Option<&'static ModuleType>,
    framework: Framework,
    diags: &mut Diagnostics,
) -> Option<Module> {
    let obj: Obj<'_> = object(v, path, "a module", diags)?;
    let key = obj.key_req("key", diags)?.to_owned();
    // Kept on the module (lints), and the prefix of every leaf's path: built once here
    // rather than from the whole chain of parents for each leaf.
    let module_path = path.path();
    let allow_guests = obj.bool_opt("allowGuests", diags);
    let cond_field = if framework == Framework::Connect { "conditions" } else { "displayConditions" };
    let conditions = obj.get(cond_field).map(|c| {
        let cpath = module_path.key(cond_field);
        if framework == Framework::Connect {
            parse_connect_at(c, At::Path(&cpath), diags)
        } else {
            parse_forge_at(c, At::Path(&cpath), diags)
        }
    });
    let mut unlicensed_access = Vec::new();
    if framework == Framework::Forge {
        if let Some(list) = obj.get("unlicensedAccess") {
            let upath = obj.here("unlicensedAccess");
            match list {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        match item.as_str() {
                            Some("anonymous") => unlicensed_access.push(ViewerType::Anonymous),
                            Some("customer") => unlicensed_access.push(ViewerType::Customer),
                            Some("unlicensed") => unlicensed_access.push(ViewerType::Unlicensed),
                            Some(other) => diags.error(
                                "invalid-value",
                                &upath.index(i).path(),
                                format!(
                                    "unknown viewer type {}, expected `anonymous`, `customer` or `unlicensed`",
                                    quote(other)
                                ),
                            ),
                            None => diags.error(
                                "invalid-type",
                                &upath.index(i).path(),
                                format!("expected a string, found {}", item.kind()),
                            ),
                        }
                    }
                }
                other => diags.error(
                    "invalid-type",
                    &upath.path(),
                    format!("expected an array of viewer types, found {}", other.kind()),
                ),
            }
        }
    }
    let mut positive_guest_condition = false;
    if let Some(c) = &conditions {
        c.walk_leaves(true, &mut |l, positive| {
            // A guest condition's leaf tests `Fact::Guest` (`is_guest_condition` by name).
            if positive && matches!(l.fact, crate::condition::Fact::Guest) {
                positive_guest_condition = true;
            }
        });
    }
    Some(Module {
        key,
        type_name: type_name.to_owned(),
        kind,
        conditions,
        allow_guests,
        unlicensed_access,
        positive_guest_condition,
        path: module_path,
    })
}

fn read_policy(v: &Value, path: At<'_>, diags: &mut Diagnostics) -> Option<Policy> {
    let obj = object(v, path, "a policy", diags)?;
    obj.deny_unknown(&POLICY_FIELDS, diags);
    let id = obj.key_req("id", diags);
    let name = obj.str_req("name", diags);
    let spaces = match (obj.get("spaces"), obj.get("projects")) {
        (Some(_), Some(_)) => {
            diags.error("invalid-value", &obj.at("projects"), "give `spaces` or `projects`, not both");
            None
        }
        (Some(_), None) => obj.keys_opt("spaces", diags),
        (None, Some(_)) => obj.keys_opt("projects", diags),
        (None, None) => {
            diags.error("missing-field", &path.path(), "missing field `spaces`");
            None
        }
    };
    let access = obj.enum_req("appAccess", &AppAccess::NAMES, diags).map(AppAccess::from_index);
    let apps = obj.keys_opt("apps", diags);
    if let Some(access) = access {
        let needs_apps = matches!(access, AppAccess::BlockAllExcept | AppAccess::BlockOnly);
        if needs_apps && obj.get("apps").is_none() {
            diags.error(
                "missing-field",
                &path.path(),
                format!("missing field `apps`: `{}` needs a list of app keys", access.name()),
            );
        }
        if !needs_apps && obj.get("apps").is_some() {
            diags.error("invalid-value", &obj.at("apps"), "`apps` goes only with `block-all-except` or `block-only`");
        }
    }
    Some(Policy {
        id: id?.to_owned(),
        name: name?.to_owned(),
        spaces: spaces?,
        access: access?,
        apps: apps.unwrap_or_default(),
    })
}
