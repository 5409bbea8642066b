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

/// The text for `reason` in `locale`: host override, then built-in, each from the exact
/// tag to its language; then English.
pub fn message(overrides: &MessageOverrides, locale: &str, reason: Reason, args: &MessageArgs<'_>) -> Option<String> {
    let lang = locale.split('-').next().unwrap_or(locale);
    let find_override = |tag: &str| {
        overrides
            .iter()
            .filter(|(l, _)| l.eq_ignore_ascii_case(tag))
            .flat_map(|(_, m)| m.iter())
            .find(|(r, _)| *r == reason)
            .map(|(_, t)| t.as_str())
    };
    let find_builtin = |tag: &str| {
        CATALOG.iter().find(|(l, r, _)| l.eq_ignore_ascii_case(tag) && *r == reason).map(|(_, _, t)| *t)
    };
    let template = find_override(locale)
        .or_else(|| find_override(lang))
        .or_else(|| find_builtin(lang))
        .or_else(|| find_override("en"))
        .or_else(|| find_builtin("en"))?;
    Some(fill(template, args))
}

fn fill(template: &str, args: &MessageArgs<'_>) -> String {
    template
        .replace("{product}", args.product.display_name())
        .replace("{app}", args.app)
        .replace("{policy}", args.policy)
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
    html.push_str("\"><span class=\"rg-placeholder__icon\" aria-hidden=\"true\">&#128274;</span>");
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
    fn escapes_markup() {
        assert_eq!(escape_html("<a href=\"x\">'&`"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#96;");
    }
}
