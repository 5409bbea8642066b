//! The JS API in a real browser (headless Chromium through `wasm-pack test --headless --chrome`).
#![cfg(target_arch = "wasm32")]
// Tests may panic: a failed assertion is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use js_sys::{Array, Reflect, JSON};
use render_gate::wasm::types::{Decision, DecisionRequest, DecisionRequestArray, GateConfig, Viewer};
use render_gate::wasm::{validate, Gate};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn js(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn s(v: &JsValue, key: &str) -> String {
    get(v, key).as_string().unwrap_or_default()
}

const CONFIG: &str = r#"{
  "product": "confluence",
  "apps": [
    { "key": "com.acme.charts", "name": "Acme <Charts>", "framework": "connect",
      "descriptor": { "modules": {
        "dynamicContentMacros": [{ "key": "chart" }],
        "webItems": [{ "key": "item", "conditions": [{ "condition": "user_is_logged_in" }] }] } } }
  ],
  "policies": [{ "id": "fin", "name": "Finance", "spaces": ["FIN"], "appAccess": "block-all" }]
}"#;

fn gate() -> Gate {
    Gate::new(&js(CONFIG).unchecked_into::<GateConfig>()).unwrap()
}

fn decide(g: &Gate, req: &str) -> JsValue {
    g.decide(&js(req).unchecked_into::<DecisionRequest>()).unwrap().into()
}

#[wasm_bindgen_test]
fn licensed_viewer_renders_and_guest_sees_placeholder() {
    let g = gate();
    let d = decide(&g, r#"{"viewer":{"type":"licensed"},"app":"com.acme.charts","module":"chart","space":"ENG"}"#);
    assert_eq!(s(&d, "outcome"), "render");
    let d = decide(
        &g,
        r#"{"viewer":{"type":"guest","guestSpace":"ENG"},"app":"com.acme.charts","module":"chart","space":"ENG"}"#,
    );
    assert_eq!(s(&d, "outcome"), "placeholder");
    assert_eq!(s(&d, "reason"), "guest-blocked");
    assert_eq!(s(&d, "message"), "Confluence does not allow access to this content for guest users");
}

#[wasm_bindgen_test]
fn placeholder_html_is_escaped_and_accessible() {
    let g = gate();
    let d = decide(&g, r#"{"viewer":{"type":"licensed"},"app":"com.acme.charts","module":"chart","space":"FIN"}"#);
    assert_eq!(s(&d, "policy"), "fin");
    let html = g.placeholder_html(&d.unchecked_into::<Decision>()).unwrap();
    assert!(html.contains(r#"role="note""#), "{html}");
    assert!(html.contains(r#"data-reason="blocked-by-policy""#), "{html}");
    assert!(html.contains("Acme &lt;Charts&gt;"), "{html}");
    assert!(!html.contains("<Charts>"), "{html}");
    // The markup parses into one note element in a real document.
    let doc = web_sys_document();
    let div = Reflect::get(&doc, &"createElement".into()).unwrap();
    let div: js_sys::Function = div.unchecked_into();
    let el = div.call1(&doc, &"div".into()).unwrap();
    Reflect::set(&el, &"innerHTML".into(), &html.into()).unwrap();
    let count = Reflect::get(&get(&el, "children"), &"length".into()).unwrap().as_f64().unwrap();
    assert_eq!(count, 1.0);
}

fn web_sys_document() -> JsValue {
    Reflect::get(&js_sys::global(), &"document".into()).unwrap()
}

#[wasm_bindgen_test]
fn decide_all_matches_decide() {
    let g = gate();
    let reqs = js(r#"[
      {"viewer":{"type":"licensed"},"app":"com.acme.charts","module":"chart","space":"ENG"},
      {"viewer":{"type":"anonymous"},"app":"com.acme.charts","module":"item","space":"ENG"},
      {"viewer":{"type":"guest","guestSpace":"ENG"},"app":"com.acme.charts","module":"chart","space":"OPS"},
      {"viewer":{"type":"licensed"},"app":"nope","module":"chart"},
      42
    ]"#);
    let all: Array = g.decide_all(&reqs.clone().unchecked_into::<DecisionRequestArray>()).unwrap().unchecked_into();
    let reqs: Array = reqs.unchecked_into();
    assert_eq!(all.length(), reqs.length());
    for i in 0..reqs.length() {
        let one: JsValue = g.decide(&reqs.get(i).unchecked_into::<DecisionRequest>()).unwrap().into();
        assert_eq!(JSON::stringify(&one).unwrap(), JSON::stringify(&all.get(i)).unwrap());
    }
    assert_eq!(s(&all.get(1), "reason"), "conditions-false");
    assert_eq!(s(&all.get(2), "reason"), "outside-guest-space");
    assert_eq!(s(&all.get(3), "reason"), "app-not-installed");
    assert_eq!(s(&all.get(4), "reason"), "invalid-request");
}

#[wasm_bindgen_test]
fn invalid_config_throws_an_error_naming_every_problem() {
    let bad = js(r#"{"product":"trello","apps":[{"key":"","name":1,"framework":"connect"}],"extra":true}"#);
    let err = match Gate::new(&bad.unchecked_into::<GateConfig>()) {
        Ok(_) => panic!("a bad config compiled"),
        Err(e) => e,
    };
    assert!(err.is_instance_of::<js_sys::Error>());
    let message = s(&err, "message");
    for needle in ["product", "apps[0].key", "apps[0].name", "extra"] {
        assert!(message.contains(needle), "{needle} not in {message}");
    }
    let diags: Array = get(&err, "diagnostics").unchecked_into();
    assert!(diags.length() >= 4);
}

#[wasm_bindgen_test]
fn validate_never_throws_and_reports_lints() {
    let result: JsValue = validate(
        &js(r#"{"product":"jira","apps":[{"key":"a","name":"A","framework":"forge",
      "manifest":{"modules":{"jira:issuePanel":[{"key":"p","displayConditions":[{"condition":"isJiraGuest"}]}]}}}]}"#)
        .unchecked_into::<GateConfig>(),
    )
    .unwrap()
    .into();
    let warnings: Array = get(&result, "warnings").unchecked_into();
    assert!(warnings.iter().any(|w| s(&w, "code") == "guest-condition-alone"));
    let result: JsValue = validate(&JsValue::from_str("not a config").unchecked_into::<GateConfig>()).unwrap().into();
    let errors: Array = get(&result, "errors").unchecked_into();
    assert_eq!(errors.length(), 1);
}

#[wasm_bindgen_test]
fn deep_request_fails_closed_and_the_gate_keeps_working() {
    let g = gate();
    let mut deep = String::new();
    for _ in 0..10_000 {
        deep.push('[');
    }
    for _ in 0..10_000 {
        deep.push(']');
    }
    let req = js(&format!(
        r#"{{"viewer":{{"type":"licensed"}},"app":"com.acme.charts","module":"chart","space":"ENG","context":{{"properties":{{"x":{{"y":{deep}}}}}}}}}"#
    ));
    let d: JsValue = g.decide(&req.unchecked_into::<DecisionRequest>()).unwrap().into();
    assert_eq!(s(&d, "outcome"), "hide");
    assert_eq!(s(&d, "reason"), "invalid-request");
    let d = decide(&g, r#"{"viewer":{"type":"licensed"},"app":"com.acme.charts","module":"chart","space":"ENG"}"#);
    assert_eq!(s(&d, "outcome"), "render");
}

#[wasm_bindgen_test]
fn discoverable_macros_follow_decisions() {
    let g = gate();
    let viewer = js(r#"{"type":"licensed"}"#).unchecked_into::<Viewer>();
    let open: Array =
        g.discoverable_macros(&viewer, &JsValue::from_str("ENG").unchecked_into()).unwrap().unchecked_into();
    assert_eq!(open.length(), 1);
    assert_eq!(s(&open.get(0), "module"), "chart");
    let blocked: Array =
        g.discoverable_macros(&viewer, &JsValue::from_str("FIN").unchecked_into()).unwrap().unchecked_into();
    assert_eq!(blocked.length(), 0);
}

// ---- DOM layer: gate.mount / observe / reset in a real document ----

mod dom {
    use super::*;
    use render_gate::wasm::types::{MountOptions, SpaceKey};
    use wasm_bindgen::closure::Closure;
    use web_sys::{Element, HtmlElement};

    const PAGE_CONFIG: &str = r#"{
      "product": "confluence",
      "apps": [
        { "key": "acme", "name": "Acme", "framework": "connect",
          "descriptor": { "modules": {
            "dynamicContentMacros": [{ "key": "chart" }],
            "webItems": [{ "key": "item" }] } } },
        { "key": "beta", "name": "Beta", "framework": "forge",
          "manifest": { "modules": { "macro": [{ "key": "note" }] } } }
      ],
      "policies": [{ "id": "fin", "name": "Finance", "spaces": ["FIN"], "appAccess": "block-only", "apps": ["beta"] }]
    }"#;

    fn doc() -> web_sys::Document {
        web_sys::window().unwrap().document().unwrap()
    }

    fn page(html: &str) -> Element {
        let root = doc().create_element("section").unwrap();
        root.set_inner_html(html);
        doc().body().unwrap().append_child(&root).unwrap();
        root
    }

    fn gate() -> Gate {
        Gate::new(&js(PAGE_CONFIG).unchecked_into::<GateConfig>()).unwrap()
    }

    fn sp(key: &str) -> SpaceKey {
        JsValue::from_str(key).unchecked_into()
    }

    fn no_space() -> SpaceKey {
        JsValue::UNDEFINED.unchecked_into()
    }

    fn viewer(json: &str) -> Viewer {
        js(json).unchecked_into::<Viewer>()
    }

    fn q(root: &Element, sel: &str) -> Element {
        root.query_selector(sel).unwrap().unwrap_or_else(|| panic!("no {sel}"))
    }

    fn attr(el: &Element, name: &str) -> String {
        el.get_attribute(name).unwrap_or_default()
    }

    fn hidden(el: &Element) -> bool {
        el.dyn_ref::<HtmlElement>().unwrap().hidden()
    }

    const MARKUP: &str = r#"
      <div id="a" data-rg-app="acme" data-rg-module="chart" data-rg-src="/never/acme.html" data-rg-title="Acme chart"></div>
      <div id="b" data-rg-app="beta" data-rg-module="note" data-rg-src="/never/beta.html"></div>
      <span id="c" data-rg-app="acme" data-rg-module="item" data-rg-src="/never/item.html"></span>
      <div id="d" data-rg-app="ghost" data-rg-module="x" data-rg-src="/never/ghost.html"></div>"#;

    #[wasm_bindgen_test]
    fn mount_applies_every_outcome_in_one_batch() {
        let g = gate();
        let root = page(MARKUP);
        let summary: JsValue = g.mount(&root, &viewer(r#"{"type":"licensed"}"#), &sp("FIN"), None).unwrap().into();
        assert_eq!(get(&summary, "total").as_f64(), Some(4.0));
        assert_eq!(get(&summary, "render").as_f64(), Some(2.0));
        assert_eq!(get(&summary, "placeholder").as_f64(), Some(1.0));
        assert_eq!(get(&summary, "hide").as_f64(), Some(1.0));
        let a = q(&root, "#a");
        assert_eq!(attr(&a, "data-rg-outcome"), "render");
        let frame = q(&a, "iframe");
        assert_eq!(attr(&frame, "src"), "/never/acme.html");
        assert_eq!(attr(&frame, "title"), "Acme chart");
        let b = q(&root, "#b");
        assert_eq!(attr(&b, "data-rg-reason"), "blocked-by-policy");
        assert_eq!(attr(&b, "data-rg-policy"), "fin");
        assert!(b.query_selector("iframe").unwrap().is_none(), "a blocked app got an iframe");
        let note = q(&b, "[role=note]");
        assert_eq!(attr(&note, "data-policy"), "fin");
        assert!(note.text_content().unwrap().contains("Beta"));
        assert!(note.query_selector("details").unwrap().is_none(), "non-admins see no trace");
        let d = q(&root, "#d");
        assert_eq!(attr(&d, "data-rg-reason"), "app-not-installed");
        assert!(hidden(&d));
        assert!(d.query_selector("iframe").unwrap().is_none());
        // A second mount finds nothing left to decide.
        let again: JsValue = g.mount(&root, &viewer(r#"{"type":"licensed"}"#), &sp("FIN"), None).unwrap().into();
        assert_eq!(get(&again, "total").as_f64(), Some(0.0));
        assert_eq!(root.query_selector_all("iframe").unwrap().length(), 2);
    }

    #[wasm_bindgen_test]
    fn guests_get_the_product_placeholder_and_fragments_vanish() {
        let g = gate();
        let root = page(MARKUP);
        g.mount(&root, &viewer(r#"{"type":"guest","guestSpace":"ENG"}"#), &sp("ENG"), None).unwrap();
        let a = q(&root, "#a");
        assert_eq!(attr(&a, "data-rg-reason"), "guest-blocked");
        assert_eq!(
            q(&a, ".rg-placeholder__text").text_content().unwrap(),
            "Confluence does not allow access to this content for guest users"
        );
        let c = q(&root, "#c");
        assert_eq!(attr(&c, "data-rg-outcome"), "hide");
        assert!(hidden(&c));
        assert_eq!(root.query_selector_all("iframe").unwrap().length(), 0);
    }

    #[wasm_bindgen_test]
    fn admins_see_why_and_reset_allows_a_new_viewer() {
        let g = gate();
        let root = page(MARKUP);
        g.mount(&root, &viewer(r#"{"type":"licensed","siteAdmin":true}"#), &sp("FIN"), None).unwrap();
        let why = q(&root, "#b details.rg-placeholder__why");
        let text = why.text_content().unwrap();
        assert!(text.contains("Why?") && text.contains("\u{201C}fin\u{201D}"), "{text}");
        g.reset(&root).unwrap();
        assert_eq!(root.query_selector_all("[data-rg-outcome]").unwrap().length(), 0);
        assert_eq!(root.query_selector_all("iframe, .rg-placeholder").unwrap().length(), 0);
        let never = js(r#"{"why":"never"}"#).unchecked_into::<MountOptions>();
        g.mount(&root, &viewer(r#"{"type":"licensed","siteAdmin":true}"#), &sp("FIN"), Some(never)).unwrap();
        assert!(root.query_selector("details").unwrap().is_none());
        let bad = js(r#"{"why":"sometimes"}"#).unchecked_into::<MountOptions>();
        assert!(g.mount(&root, &viewer(r#"{"type":"licensed"}"#), &no_space(), Some(bad)).is_err());
        assert!(g.mount(&root, &viewer(r#"{"type":"boss"}"#), &no_space(), None).is_err());
    }

    #[wasm_bindgen_test]
    fn unsafe_urls_and_unreadable_attributes_fail_closed() {
        let g = gate();
        let root = page(
            r#"<div id="js" data-rg-app="acme" data-rg-module="chart" data-rg-src="javascript:alert(1)"></div>
               <div id="ctx" data-rg-app="acme" data-rg-module="chart" data-rg-src="/x" data-rg-context="{not json"></div>
               <div id="nomod" data-rg-app="acme"></div>"#,
        );
        g.mount(&root, &viewer(r#"{"type":"licensed"}"#), &sp("ENG"), None).unwrap();
        let js_el = q(&root, "#js");
        assert_eq!(attr(&js_el, "data-rg-outcome"), "hide");
        assert_eq!(attr(&js_el, "data-rg-error"), "unsafe-src");
        assert_eq!(attr(&q(&root, "#ctx"), "data-rg-reason"), "invalid-request");
        assert_eq!(attr(&q(&root, "#nomod"), "data-rg-reason"), "invalid-request");
        assert_eq!(root.query_selector_all("iframe").unwrap().length(), 0);
    }

    #[wasm_bindgen_test]
    fn every_element_reports_its_decision_in_an_event() {
        let g = gate();
        let root = page(MARKUP);
        let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let sink = seen.clone();
        let listener = Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
            sink.borrow_mut().push(s(&e.detail(), "reason"));
        });
        root.add_event_listener_with_callback("rg:decision", listener.as_ref().unchecked_ref()).unwrap();
        g.mount(&root, &viewer(r#"{"type":"licensed"}"#), &sp("FIN"), None).unwrap();
        assert_eq!(*seen.borrow(), ["allowed", "blocked-by-policy", "allowed", "app-not-installed"]);
    }

    async fn tick() {
        let p = js_sys::Promise::resolve(&JsValue::NULL);
        wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
    }

    #[wasm_bindgen_test]
    async fn observe_gates_modules_added_later_until_disconnected() {
        let g = gate();
        let root = page("");
        let handle = g.observe(&root, &viewer(r#"{"type":"guest","guestSpace":"ENG"}"#), &sp("ENG"), None).unwrap();
        let late = doc().create_element("div").unwrap();
        late.set_attribute("data-rg-app", "acme").unwrap();
        late.set_attribute("data-rg-module", "chart").unwrap();
        late.set_attribute("data-rg-src", "/never/late.html").unwrap();
        root.append_child(&late).unwrap();
        tick().await;
        assert_eq!(attr(&late, "data-rg-reason"), "guest-blocked");
        assert!(late.query_selector("iframe").unwrap().is_none());
        handle.disconnect();
        let later = late.clone_node().unwrap().dyn_into::<Element>().unwrap();
        for a in ["data-rg-outcome", "data-rg-reason"] {
            later.remove_attribute(a).unwrap();
        }
        root.append_child(&later).unwrap();
        tick().await;
        assert_eq!(later.get_attribute("data-rg-outcome"), None);
    }

    #[wasm_bindgen_test]
    fn custom_ui_adapters_turn_contexts_into_viewers() {
        use render_gate::wasm::{viewer_from_connect_context, viewer_from_forge_context};
        let forge: JsValue = viewer_from_forge_context(&js(
            r#"{"accountId":"u","accountType":"licensed","locale":"en-US","extension":{"project":{"key":"ENG"}},"user":{"isJiraGuest":true}}"#,
        ))
        .unwrap()
        .into();
        assert_eq!(s(&get(&forge, "viewer"), "type"), "guest");
        assert_eq!(s(&get(&forge, "viewer"), "guestSpace"), "ENG");
        assert_eq!(s(&forge, "space"), "ENG");
        let connect: JsValue = viewer_from_connect_context(&js(
            r#"{"confluence":{"space":{"key":"DOCS"}},"user":{"external_collaborator":false,"accountId":"u"}}"#,
        ))
        .unwrap()
        .into();
        assert_eq!(s(&get(&connect, "viewer"), "type"), "licensed");
        let err = viewer_from_forge_context(&js(r#"{"accountType":"licensed"}"#)).err().unwrap();
        assert!(s(&err, "message").contains("isJiraGuest"));
    }
}
