//! Placeholder text and markup.
//!
//! The words always say that the *product or the organization* blocked the content, never
//! the app. Texts are keyed by reason and locale, fall back from `de-CH` to `de` to `en`,
//! and can be overridden by the host.

use crate::config::MessageOverrides;
use crate::model::{Outcome, Product, Reason};

/// Built-in texts: `(locale, reason, text)`. `{product}`, `{app}` and `{policy}` are filled in.
const CATALOG: &[(&str, Reason, &str)] = &[
    ("en", Reason::GuestBlocked, "{product} does not allow access to this content for guest users"),
    (
        "en",
        Reason::BlockedByPolicy,
        "Your organization's data security policy blocks {app} in this space. To get access, contact your organization admin.",
    ),
    ("de", Reason::GuestBlocked, "{product} erlaubt Gastbenutzern keinen Zugriff auf diesen Inhalt"),
    (
        "de",
        Reason::BlockedByPolicy,
        "Die Datensicherheitsrichtlinie Ihrer Organisation blockiert {app} in diesem Bereich. Wenden Sie sich für den Zugriff an den Administrator Ihrer Organisation.",
    ),
    ("fr", Reason::GuestBlocked, "{product} n'autorise pas les utilisateurs invités à accéder à ce contenu"),
    (
        "fr",
        Reason::BlockedByPolicy,
        "La politique de sécurité des données de votre organisation bloque {app} dans cet espace. Pour y accéder, contactez l'administrateur de votre organisation.",
    ),
    ("es", Reason::GuestBlocked, "{product} no permite el acceso a este contenido a los usuarios invitados"),
    (
        "es",
        Reason::BlockedByPolicy,
        "La política de seguridad de datos de tu organización bloquea {app} en este espacio. Para obtener acceso, ponte en contacto con el administrador de tu organización.",
    ),
    ("ja", Reason::GuestBlocked, "{product} では、ゲスト ユーザーはこのコンテンツにアクセスできません"),
    (
        "ja",
        Reason::BlockedByPolicy,
        "組織のデータ セキュリティ ポリシーにより、このスペースでは {app} がブロックされています。アクセスするには、組織の管理者にお問い合わせください。",
    ),
];

/// The locales with built-in texts.
pub const LOCALES: [&str; 5] = ["en", "de", "fr", "es", "ja"];

/// Values for a message's placeholders.
pub struct MessageArgs<'a> {
    pub product: Product,
    pub app: &'a str,
    pub policy: &'a str,
}

/// The template for `reason` in `locale`: host override, then built-in, each from the
/// exact tag to its language; then English.
fn template<'a>(overrides: &'a MessageOverrides, locale: &str, reason: Reason) -> Option<&'a str> {
    let lang = locale.split('-').next().unwrap_or(locale);
    let find_override = |tag: &str| {
        overrides
            .iter()
            .filter(|(l, _)| l.eq_ignore_ascii_case(tag))
            .flat_map(|(_, m)| m.iter())
            .find(|(r, _)| *r == reason)
            .map(|(_, t)| t.as_str())
    };
    let find_builtin =
        |tag: &str| CATALOG.iter().find(|(l, r, _)| l.eq_ignore_ascii_case(tag) && *r == reason).map(|(_, _, t)| *t);
    find_override(locale)
        .or_else(|| find_override(lang))
        .or_else(|| find_builtin(lang))
        .or_else(|| find_override("en"))
        .or_else(|| find_builtin("en"))
}

/// A piece of a message template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Text(String),
    Product,
    App,
    Policy,
}

impl Part {
    fn text<'a>(&'a self, args: &MessageArgs<'a>) -> &'a str {
        match self {
            Part::Text(t) => t,
            Part::Product => args.product.display_name(),
            Part::App => args.app,
            Part::Policy => args.policy,
        }
    }
}

/// Splits a template at `{product}`, `{app}` and `{policy}`; other braces stay text.
pub fn parse_template(template: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        // `open` is a char boundary (`{` is ASCII); `get` just never panics.
        let (before, from) = (rest.get(..open).unwrap_or(""), rest.get(open..).unwrap_or(""));
        text.push_str(before);
        let hole = [("{product}", Part::Product), ("{app}", Part::App), ("{policy}", Part::Policy)]
            .into_iter()
            .find(|(name, _)| from.starts_with(name));
        match hole {
            Some((name, part)) => {
                if !text.is_empty() {
                    parts.push(Part::Text(core::mem::take(&mut text)));
                }
                parts.push(part);
                rest = from.get(name.len()..).unwrap_or("");
            }
            None => {
                text.push('{');
                rest = from.get(1..).unwrap_or("");
            }
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    parts
}

/// The placeholder templates of one config (product and locale fixed), resolved once
/// so that a decision fills holes instead of searching text.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    /// The guest text, already filled (it names only the product).
    pub guest: Option<String>,
    pub policy: Vec<Part>,
    pub product: Option<Product>,
}

impl Templates {
    pub fn new(overrides: &MessageOverrides, locale: &str, product: Product) -> Templates {
        let args = MessageArgs { product, app: "", policy: "" };
        let template = |reason| template(overrides, locale, reason).map(parse_template).unwrap_or_default();
        let guest: Vec<Part> = template(Reason::GuestBlocked);
        Templates {
            guest: (!guest.is_empty()).then(|| guest.iter().map(|p| p.text(&args)).collect()),
            policy: template(Reason::BlockedByPolicy),
            product: Some(product),
        }
    }

    /// The text for a placeholder reason, or `None` for other reasons.
    pub fn render(&self, reason: Reason, app: &str, policy: &str) -> Option<String> {
        match reason {
            Reason::GuestBlocked => self.guest.clone(),
            Reason::BlockedByPolicy => {
                let args = MessageArgs { product: self.product?, app, policy };
                let mut out = String::with_capacity(160);
                for part in &self.policy {
                    out.push_str(part.text(&args));
                }
                Some(out)
            }
            _ => None,
        }
    }
}

/// The label of the placeholder's "Why?" disclosure.
pub fn why_label(locale: &str) -> &'static str {
    match locale.split('-').next().unwrap_or(locale) {
        "de" => "Warum?",
        "fr" => "Pourquoi ?",
        "es" => "¿Por qué?",
        "ja" => "理由",
        _ => "Why?",
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '`' => out.push_str("&#96;"),
            c => out.push(c),
        }
    }
    out
}

/// A lock drawn in SVG (an emoji needs an emoji font, which many systems lack); it takes
/// the text colour unless `--rg-placeholder-icon` says otherwise.
pub(crate) const LOCK_SVG: &str = "<svg width=\"1em\" height=\"1em\" viewBox=\"0 0 16 16\" \
style=\"display:block;fill:var(--rg-placeholder-icon,currentColor)\" focusable=\"false\">\
<path d=\"M8 1a3.5 3.5 0 0 0-3.5 3.5V7H4a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-.5V4.5A3.5 3.5 0 0 0 8 1Zm-2 3.5a2 2 0 1 1 4 0V7H6V4.5Z\"/></svg>";

/// The default look, all themable through CSS custom properties.
pub(crate) const STYLE: &str = "display:flex;gap:var(--rg-placeholder-gap,.5em);align-items:flex-start;\
box-sizing:border-box;padding:var(--rg-placeholder-padding,.75em 1em);\
border:var(--rg-placeholder-border,1px solid #c1c7d0);border-radius:var(--rg-placeholder-radius,3px);\
background:var(--rg-placeholder-bg,#f4f5f7);color:var(--rg-placeholder-fg,#172b4d);\
font:var(--rg-placeholder-font,inherit)";

/// The placeholder markup for a decision: an accessible note (`role="note"`) carrying
/// `data-reason` (and `data-policy`), with every piece of input escaped. Empty for any
/// outcome other than `placeholder`.
pub fn placeholder_html(outcome: Outcome, reason: &str, text: &str, policy: Option<&str>, locale: &str) -> String {
    if outcome != Outcome::Placeholder {
        return String::new();
    }
    let mut html = String::with_capacity(512 + text.len());
    html.push_str("<div class=\"rg-placeholder\" role=\"note\" data-reason=\"");
    html.push_str(&escape_html(reason));
    html.push('"');
    if let Some(p) = policy {
        html.push_str(" data-policy=\"");
        html.push_str(&escape_html(p));
        html.push('"');
    }
    html.push_str(" lang=\"");
    html.push_str(&escape_html(locale));
    html.push_str("\" style=\"");
    html.push_str(STYLE);
    html.push_str("\"><span class=\"rg-placeholder__icon\" aria-hidden=\"true\">");
    html.push_str(LOCK_SVG);
    html.push_str("</span>");
    html.push_str("<span class=\"rg-placeholder__text\">");
    html.push_str(&escape_html(text));
    html.push_str("</span></div>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_has_every_placeholder_reason() {
        for locale in LOCALES {
            for reason in [Reason::GuestBlocked, Reason::BlockedByPolicy] {
                assert!(CATALOG.iter().any(|(l, r, _)| *l == locale && *r == reason), "{locale} {reason:?}");
            }
        }
    }

    #[test]
    fn templates_fill_their_holes_and_keep_other_braces() {
        let args = MessageArgs { product: Product::Jira, app: "A{pp}", policy: "P" };
        let filled: String =
            parse_template("{product}: {app} in {policy} {x} {").iter().map(|p| p.text(&args)).collect();
        assert_eq!(filled, "Jira: A{pp} in P {x} {");
        let t = Templates::new(&Vec::new(), "de", Product::Confluence);
        assert_eq!(
            t.render(Reason::GuestBlocked, "x", "y").as_deref(),
            Some("Confluence erlaubt Gastbenutzern keinen Zugriff auf diesen Inhalt")
        );
        assert!(t.render(Reason::BlockedByPolicy, "Acme", "p").unwrap().contains("Acme"));
        assert_eq!(t.render(Reason::Allowed, "x", "y"), None);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(escape_html("<a href=\"x\">'&`"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#96;");
    }
}
