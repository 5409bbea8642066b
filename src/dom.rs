//! DOM gating through web-sys (wasm32 only).
//!
//! Host markup declares modules without loading them:
//!
//! ```html
//! <div data-rg-app="com.acme.charts" data-rg-module="chart-macro"
//!      data-rg-src="https://charts.example/macro?page=1" data-rg-title="Sales chart"></div>
//! ```
//!
//! [`mount`] decides every undecided element under a root in one batch, then: `render`
//! creates the iframe (only now does the browser fetch `data-rg-src`); `placeholder`
//! inserts the placeholder element; `hide` and `pending` hide the element. Every element
//! gets `data-rg-outcome` and `data-rg-reason` (and `data-rg-policy`, `data-rg-missing`),
//! and a bubbling `rg:decision` event whose `detail` is the decision.
//!
//! **Invariant:** decides nothing itself; every outcome comes from the core, and an
//! element that could not be read is decided as an invalid request (hidden).

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement};

use crate::messages::{why_label, LOCK_SVG, STYLE};
use crate::{Decision, Gate, Outcome, Value, ViewerType};

/// Elements still to decide: declared and not decided, or waiting for facts.
pub const SELECTOR: &str = "[data-rg-app]:not([data-rg-outcome]),[data-rg-app][data-rg-outcome=\"pending\"]";
/// Every element render-gate has touched.
const DECIDED: &str = "[data-rg-app][data-rg-outcome]";
const ATTRS: [&str; 5] = ["data-rg-outcome", "data-rg-reason", "data-rg-policy", "data-rg-missing", "data-rg-error"];

/// Who sees the placeholder's "Why?" disclosure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Site, product and space admins (the default): they can act on it.
    Admins,
    Always,
    Never,
}

/// What one mount did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub total: u32,
    pub render: u32,
    pub placeholder: u32,
    pub hide: u32,
    pub pending: u32,
}

impl crate::ToValue for Summary {
    fn to_value(&self) -> Value {
        let n = |x: u32| Some(Value::Number(f64::from(x)));
        crate::value::object([
            ("total", n(self.total)),
            ("render", n(self.render)),
            ("placeholder", n(self.placeholder)),
            ("hide", n(self.hide)),
            ("pending", n(self.pending)),
        ])
    }
}

/// Everything a mount needs besides the root.
pub struct MountCx<'a> {
    pub gate: &'a Gate,
    /// The viewer as given (already validated), reused in every request.
    pub viewer: &'a Value,
    pub viewer_kind: ViewerType,
    pub viewer_is_admin: bool,
    pub space: Option<&'a str>,
    pub why: Why,
}

impl MountCx<'_> {
    fn show_why(&self) -> bool {
        match self.why {
            Why::Always => true,
            Why::Never => false,
            Why::Admins => self.viewer_is_admin && self.viewer_kind.can_be_admin(),
        }
    }
}

/// `root` (when it matches) and every element under it that matches `selector`.
fn select(root: &Element, selector: &str) -> Result<Vec<Element>, JsValue> {
    let mut elements = Vec::new();
    if root.matches(selector)? {
        elements.push(root.clone());
    }
    let list = root.query_selector_all(selector)?;
    for i in 0..list.length() {
        if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            elements.push(el);
        }
    }
    Ok(elements)
}

/// Decides and applies every undecided module element under `root` (and `root` itself).
pub fn mount(cx: &MountCx<'_>, root: &Element) -> Result<Summary, JsValue> {
    let elements = select(root, SELECTOR)?;
    let explain = cx.show_why();
    let requests: Vec<Value> = elements.iter().map(|el| request_for(cx, el, explain)).collect();
    let decisions = cx.gate.decide_all(&requests);
    let doc = root.owner_document().ok_or_else(|| JsValue::from_str("the root is not in a document"))?;
    let mut summary = Summary::default();
    for (el, decision) in elements.iter().zip(decisions) {
        apply(cx, &doc, el, decision, &mut summary)?;
    }
    Ok(summary)
}

/// Removes what render-gate added under `root` so that it can be mounted again.
pub fn reset(root: &Element) -> Result<(), JsValue> {
    for el in select(root, DECIDED)? {
        let added = el.query_selector_all(":scope > [data-rg-added]")?;
        for i in 0..added.length() {
            if let Some(node) = added.item(i) {
                el.remove_child(&node)?;
            }
        }
        for a in ATTRS {
            el.remove_attribute(a)?;
        }
        el.remove_attribute("hidden")?;
    }
    Ok(())
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// An element seen through `getAttribute` without the lossy string conversion of
    /// web-sys's binding.
    #[wasm_bindgen(js_name = Element)]
    type RawElement;
    #[wasm_bindgen(method, js_name = getAttribute)]
    fn get_attribute(this: &RawElement, name: &str) -> JsValue;
}

/// An attribute: `None` when absent, `Some(None)` when it holds lone surrogates (which a
/// lossy conversion would turn into another, possibly valid, key).
fn attr(el: &Element, name: &str) -> Option<Option<String>> {
    let raw = el.unchecked_ref::<RawElement>().get_attribute(name);
    if raw.is_null() || raw.is_undefined() {
        None
    } else {
        Some(crate::wasm::convert::js_string(&raw))
    }
}

/// An attribute as a request value; one that cannot be read becomes a value of the wrong
/// type, which the request reader rejects (fail closed).
fn attr_value(el: &Element, name: &str) -> Value {
    match attr(el, name) {
        None => Value::Null,
        Some(Some(s)) => Value::String(s),
        Some(None) => Value::Bool(false),
    }
}

/// A JSON attribute (`data-rg-context`, `data-rg-facts`) as a bounded value; text that is
/// not JSON stays a string, which the request reader rejects (fail closed).
fn json_attr(el: &Element, name: &str) -> Value {
    match attr(el, name) {
        None => Value::Null,
        Some(None) => Value::Bool(false),
        Some(Some(text)) => match js_sys::JSON::parse(&text) {
            Ok(js) => crate::wasm::convert::to_value(&js, crate::Limits::REQUEST).unwrap_or(Value::String(text)),
            Err(_) => Value::String(text),
        },
    }
}

fn request_for(cx: &MountCx<'_>, el: &Element, explain: bool) -> Value {
    let space = match attr_value(el, "data-rg-space") {
        Value::Null => cx.space.map_or(Value::Null, |s| Value::String(s.to_owned())),
        v => v,
    };
    Value::Object(vec![
        ("viewer".to_owned(), cx.viewer.clone()),
        ("app".to_owned(), attr_value(el, "data-rg-app")),
        ("module".to_owned(), attr_value(el, "data-rg-module")),
        ("space".to_owned(), space),
        ("context".to_owned(), json_attr(el, "data-rg-context")),
        ("facts".to_owned(), json_attr(el, "data-rg-facts")),
        ("explain".to_owned(), Value::Bool(explain)),
    ])
}

/// Only web URLs (absolute http(s) or relative) may become an iframe.
fn safe_src(src: &str) -> bool {
    let s = src.trim_start().to_ascii_lowercase();
    match s.split_once(':') {
        None => true,
        // A colon after a path or query character is not a scheme separator.
        Some((scheme, _)) => scheme.contains(['/', '?', '#']) || scheme == "https" || scheme == "http",
    }
}

fn set_hidden(el: &Element, hidden: bool) -> Result<(), JsValue> {
    match el.dyn_ref::<HtmlElement>() {
        Some(h) => {
            h.set_hidden(hidden);
            Ok(())
        }
        None if hidden => el.set_attribute("hidden", ""),
        None => el.remove_attribute("hidden"),
    }
}

fn apply(
    cx: &MountCx<'_>,
    doc: &Document,
    el: &Element,
    mut d: Decision,
    summary: &mut Summary,
) -> Result<(), JsValue> {
    summary.total += 1;
    // A render with an unsafe URL never loads: fail closed.
    // An unreadable URL is as unsafe as a `javascript:` one.
    let src = attr(el, "data-rg-src").map(|s| s.unwrap_or_else(|| "unreadable:".to_owned()));
    if d.outcome == Outcome::Render && src.as_deref().is_some_and(|s| !safe_src(s)) {
        el.set_attribute("data-rg-error", "unsafe-src")?;
        d.outcome = Outcome::Hide;
    }
    el.set_attribute("data-rg-outcome", d.outcome.name())?;
    el.set_attribute("data-rg-reason", d.reason.code())?;
    if let Some(p) = &d.policy {
        el.set_attribute("data-rg-policy", p)?;
    }
    match d.outcome {
        Outcome::Render => {
            summary.render += 1;
            set_hidden(el, false)?;
            if let Some(src) = src {
                let frame = doc.create_element("iframe")?;
                frame.set_attribute("data-rg-added", "")?;
                frame.set_attribute("class", "rg-frame")?;
                // Restrictions first: the frame must never load without them.
                for name in FRAME_ATTRS {
                    if let Some(v) = el.get_attribute(&format!("data-rg-{name}")) {
                        frame.set_attribute(name, &v)?;
                    }
                }
                let title = el
                    .get_attribute("data-rg-title")
                    .unwrap_or_else(|| el.get_attribute("data-rg-module").unwrap_or_default());
                frame.set_attribute("title", &title)?;
                frame.set_attribute("src", &src)?;
                el.append_child(&frame)?;
            }
        }
        Outcome::Placeholder => {
            summary.placeholder += 1;
            set_hidden(el, false)?;
            let note = placeholder_element(doc, &d, cx.gate.locale())?;
            el.append_child(&note)?;
        }
        Outcome::Hide => {
            summary.hide += 1;
            set_hidden(el, true)?;
        }
        Outcome::Pending => {
            summary.pending += 1;
            if let Some(missing) = &d.missing {
                el.set_attribute("data-rg-missing", &missing.join(" "))?;
            }
            set_hidden(el, true)?;
        }
    }
    dispatch(el, &d)
}

fn dispatch(el: &Element, d: &Decision) -> Result<(), JsValue> {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_detail(&crate::wasm::convert::to_js(d)?);
    let event = web_sys::CustomEvent::new_with_event_init_dict("rg:decision", &init)?;
    el.dispatch_event(&event)?;
    Ok(())
}

/// Trace details quote input in backticks; on screen, typographic quotes read better.
fn plain(detail: &str) -> String {
    let mut open = true;
    detail
        .chars()
        .map(|c| match c {
            '`' => {
                open = !open;
                if open {
                    '\u{201D}'
                } else {
                    '\u{201C}'
                }
            }
            c => c,
        })
        .collect()
}

/// Iframe attributes a host may set on the module element (`data-rg-sandbox`...).
const FRAME_ATTRS: [&str; 4] = ["sandbox", "allow", "loading", "referrerpolicy"];

/// The placeholder as DOM nodes (text is set as text, never parsed as markup), with the
/// "Why?" disclosure when the decision carries a trace.
fn placeholder_element(doc: &Document, d: &Decision, locale: &str) -> Result<Element, JsValue> {
    let note = doc.create_element("div")?;
    note.set_attribute("data-rg-added", "")?;
    note.set_attribute("class", "rg-placeholder")?;
    note.set_attribute("role", "note")?;
    note.set_attribute("data-reason", d.reason.code())?;
    if let Some(p) = &d.policy {
        note.set_attribute("data-policy", p)?;
    }
    note.set_attribute("lang", locale)?;
    note.set_attribute("style", STYLE)?;
    let icon = doc.create_element("span")?;
    icon.set_attribute("class", "rg-placeholder__icon")?;
    icon.set_attribute("aria-hidden", "true")?;
    // A constant of ours, never input.
    icon.set_inner_html(LOCK_SVG);
    note.append_child(&icon)?;
    let body = doc.create_element("div")?;
    let text = doc.create_element("p")?;
    text.set_attribute("class", "rg-placeholder__text")?;
    text.set_attribute("style", "margin:0")?;
    text.set_text_content(d.message.as_deref());
    body.append_child(&text)?;
    if let Some(trace) = &d.trace {
        let details = doc.create_element("details")?;
        details.set_attribute("class", "rg-placeholder__why")?;
        let summary = doc.create_element("summary")?;
        summary.set_text_content(Some(why_label(locale)));
        details.append_child(&summary)?;
        let list = doc.create_element("ol")?;
        for step in &trace.steps {
            let item = doc.create_element("li")?;
            item.set_attribute("data-result", step.result)?;
            let mark = match step.result {
                "pass" => "\u{2713}",
                "fail" => "\u{2717}",
                "unknown" => "?",
                _ => "\u{2013}",
            };
            item.set_text_content(Some(&format!("{mark} rule {}: {}", step.rule, plain(&step.detail))));
            list.append_child(&item)?;
        }
        details.append_child(&list)?;
        body.append_child(&details)?;
    }
    note.append_child(&body)?;
    Ok(note)
}

#[cfg(test)]
mod tests {
    use super::safe_src;

    #[test]
    fn only_web_urls_are_safe() {
        for ok in ["https://a.example/x", "http://a", "/relative?x=1:2", "frame.html", "//cdn.example/x"] {
            assert!(safe_src(ok), "{ok}");
        }
        for bad in ["javascript:alert(1)", " JavaScript:x", "data:text/html,x", "vbscript:x", "blob:https://a/x"] {
            assert!(!safe_src(bad), "{bad}");
        }
    }
}
