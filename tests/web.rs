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
    let d = decide(&g, r#"{"viewer":{"type":"guest","guestSpace":"ENG"},"app":"com.acme.charts","module":"chart","space":"ENG"}"#);
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
    let result: JsValue = validate(&js(r#"{"product":"jira","apps":[{"key":"a","name":"A","framework":"forge",
      "manifest":{"modules":{"jira:issuePanel":[{"key":"p","displayConditions":[{"condition":"isJiraGuest"}]}]}}}]}"#)
        .unchecked_into::<GateConfig>())
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
    let req = js(&format!(r#"{{"viewer":{{"type":"licensed"}},"app":"com.acme.charts","module":"chart","space":"ENG","context":{{"properties":{{"x":{{"y":{deep}}}}}}}}}"#));
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
    let open: Array = g.discoverable_macros(&viewer, "ENG").unwrap().unchecked_into();
    assert_eq!(open.length(), 1);
    assert_eq!(s(&open.get(0), "module"), "chart");
    let blocked: Array = g.discoverable_macros(&viewer, "FIN").unwrap().unchecked_into();
    assert_eq!(blocked.length(), 0);
}
