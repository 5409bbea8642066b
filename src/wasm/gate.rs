//! The `Gate` class.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert::{error, to_js, to_js_as, to_value};
use super::types::{Decision, DecisionArray, DecisionRequest, DecisionRequestArray, DiagnosticArray, GateConfig, MacroRefArray, Viewer};
use super::JsResult;
use crate::{Limits, MAX_BATCH};

/// A compiled gate. Build it once per page from the config, then decide every module
/// on the page with `decideAll`.
#[wasm_bindgen]
pub struct Gate {
    inner: crate::Gate,
}

#[wasm_bindgen]
impl Gate {
    /// Compiles `config`. Throws an `Error` naming every problem (`path: message`), with
    /// the same problems as objects in its `diagnostics` property.
    #[wasm_bindgen(constructor)]
    pub fn new(config: &GateConfig) -> JsResult<Gate> {
        let value = to_value(config, Limits::CONFIG).map_err(|d| error("invalid render-gate config:", &[d]))?;
        crate::Gate::new(&value).map(|inner| Gate { inner }).map_err(|errs| error("invalid render-gate config:", &errs))
    }

    /// Decides one module. Never throws for a bad request: it fails closed with
    /// `{ outcome: "hide", reason: "invalid-request", errors }`.
    pub fn decide(&self, request: &DecisionRequest) -> JsResult<Decision> {
        to_js_as(&self.decide_js(request))
    }

    /// Decides every module of a page in one call; `result[i]` answers `requests[i]`.
    #[wasm_bindgen(js_name = decideAll)]
    pub fn decide_all(&self, requests: &DecisionRequestArray) -> JsResult<DecisionArray> {
        let Some(array) = requests.dyn_ref::<js_sys::Array>() else {
            return Err(js_sys::TypeError::new("decideAll expects an array of requests").into());
        };
        let len = array.length() as usize;
        if len > MAX_BATCH {
            return Err(js_sys::RangeError::new(&format!(
                "decideAll takes at most {MAX_BATCH} requests, got {len}: split the page into batches"
            ))
            .into());
        }
        let out = js_sys::Array::new_with_length(array.length());
        for (i, request) in array.iter().enumerate() {
            out.set(i as u32, to_js(&self.decide_js(&request))?);
        }
        Ok(out.unchecked_into())
    }

    /// The macros `viewer` may insert in `space`: exactly those that would render there.
    #[wasm_bindgen(js_name = discoverableMacros)]
    pub fn discoverable_macros(&self, viewer: &Viewer, space: &str) -> JsResult<MacroRefArray> {
        let value = to_value(viewer, Limits::REQUEST).map_err(|d| error("invalid viewer:", &[d]))?;
        let viewer = crate::Gate::read_viewer(&value).map_err(|errs| error("invalid viewer:", &errs))?;
        to_js_as(&self.inner.discoverable_macros(&viewer, space))
    }

    /// Escaped, accessible placeholder markup for a decision (`role="note"`,
    /// `data-reason`); an empty string unless the outcome is `placeholder`.
    #[wasm_bindgen(js_name = placeholderHtml)]
    pub fn placeholder_html(&self, decision: &Decision) -> JsResult<String> {
        let value = to_value(decision, Limits::REQUEST).map_err(|d| error("invalid decision:", &[d]))?;
        self.inner.placeholder_html_value(&value).map_err(|errs| error("invalid decision:", &errs))
    }

    /// Lint warnings found while compiling the config.
    #[wasm_bindgen(getter)]
    pub fn warnings(&self) -> JsResult<DiagnosticArray> {
        to_js_as(self.inner.warnings())
    }

    /// The configured product, `"confluence"` or `"jira"`.
    #[wasm_bindgen(getter)]
    pub fn product(&self) -> String {
        match self.inner.product() {
            crate::Product::Confluence => "confluence".to_owned(),
            crate::Product::Jira => "jira".to_owned(),
        }
    }

    /// The effective guest mode (the product's default when the config names none).
    #[wasm_bindgen(getter, js_name = guestMode)]
    pub fn guest_mode(&self) -> String {
        self.inner.guest_mode().name().to_owned()
    }
}

impl Gate {
    fn decide_js(&self, request: &JsValue) -> crate::Decision {
        match to_value(request, Limits::REQUEST) {
            Ok(v) => self.inner.decide_value(&v),
            Err(d) => crate::Decision::invalid_request(vec![d]),
        }
    }
}
