//! The `Gate` class.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::batch;
use super::convert::{error, to_js_as, to_value};
use std::rc::Rc;

use super::observer::Observer;
use super::types::{
    Decision, DecisionArray, DecisionRequest, DecisionRequestArray, DiagnosticArray, GateConfig, MacroRefArray,
    MountOptions, MountSummary, RequiredSpaceKey, SpaceKey, Viewer,
};
use super::JsResult;
use crate::dom::{self, MountCx, Why};
use crate::{Limits, Value, MAX_BATCH};

/// A compiled gate. Build it once per page from the config, then decide every module
/// on the page with `decideAll`.
#[wasm_bindgen]
pub struct Gate {
    // Shared with the observers this gate starts.
    inner: Rc<crate::Gate>,
}

#[wasm_bindgen]
impl Gate {
    /// Compiles `config`. Throws an `Error` naming every problem (`path: message`), with
    /// the same problems as objects in its `diagnostics` property.
    #[wasm_bindgen(constructor)]
    pub fn new(config: &GateConfig) -> JsResult<Gate> {
        let value = to_value(config, Limits::CONFIG).map_err(|d| error("invalid render-gate config:", &[d]))?;
        crate::Gate::new(&value)
            .map(|inner| Gate { inner: Rc::new(inner) })
            .map_err(|errs| error("invalid render-gate config:", &errs))
    }

    /// Decides one module. Never throws for a bad request: it fails closed with
    /// `{ outcome: "hide", reason: "invalid-request", errors }`.
    pub fn decide(&self, request: &DecisionRequest) -> JsResult<Decision> {
        // A page of one: the same encoding and answers as `decideAll`.
        Ok(batch::decide_page(&self.inner, &js_sys::Array::of1(request))?.get(0).unchecked_into())
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
        Ok(batch::decide_page(&self.inner, array)?.unchecked_into())
    }

    /// The macros `viewer` may insert in `space`: exactly those that would render there.
    #[wasm_bindgen(js_name = discoverableMacros)]
    pub fn discoverable_macros(&self, viewer: &Viewer, space: &RequiredSpaceKey) -> JsResult<MacroRefArray> {
        let value = to_value(viewer, Limits::REQUEST).map_err(|d| error("invalid viewer:", &[d]))?;
        let viewer = crate::Gate::read_viewer(&value).map_err(|errs| error("invalid viewer:", &errs))?;
        let space = space_key(space)?.ok_or_else(|| js_sys::TypeError::new("discoverableMacros needs a space key"))?;
        to_js_as(&self.inner.discoverable_macros(&viewer, &space))
    }

    /// Escaped, accessible placeholder markup for a decision (`role="note"`,
    /// `data-reason`); an empty string unless the outcome is `placeholder`.
    #[wasm_bindgen(js_name = placeholderHtml)]
    pub fn placeholder_html(&self, decision: &Decision) -> JsResult<String> {
        let value = to_value(decision, Limits::REQUEST).map_err(|d| error("invalid decision:", &[d]))?;
        self.inner.placeholder_html_value(&value).map_err(|errs| error("invalid decision:", &errs))
    }

    /// Gates every module declared under `root` (`data-rg-app`, `data-rg-module`,
    /// `data-rg-src`...) for `viewer` in `space`, in one batch: `render` creates the
    /// iframe, `placeholder` inserts the placeholder, `hide` / `pending` hide the element.
    /// Already decided elements are skipped (pending ones are decided again).
    pub fn mount(
        &self,
        root: &web_sys::Element,
        viewer: &Viewer,
        space: &SpaceKey,
        options: Option<MountOptions>,
    ) -> JsResult<MountSummary> {
        let args = MountArgs::read(viewer, space_key(space)?, options)?;
        let summary = dom::mount(&args.cx(&self.inner), root)?;
        to_js_as(&summary)
    }

    /// Mounts `root` now, then gates every module added under it later (a
    /// `MutationObserver`). Returns a handle whose `disconnect()` stops it.
    pub fn observe(
        &self,
        root: &web_sys::Element,
        viewer: &Viewer,
        space: &SpaceKey,
        options: Option<MountOptions>,
    ) -> JsResult<Observer> {
        let args = MountArgs::read(viewer, space_key(space)?, options)?;
        dom::mount(&args.cx(&self.inner), root)?;
        let gate = Rc::clone(&self.inner);
        let watched = root.clone();
        let callback = Closure::<dyn FnMut(js_sys::Array, web_sys::MutationObserver)>::new(
            move |_records: js_sys::Array, _observer: web_sys::MutationObserver| {
                // Nothing to report to: an element that fails to mount stays undecided,
                // and an undecided element never loads anything.
                let _ = dom::mount(&args.cx(&gate), &watched);
            },
        );
        let observer = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref())?;
        let init = web_sys::MutationObserverInit::new();
        init.set_child_list(true);
        init.set_subtree(true);
        observer.observe_with_options(root, &init)?;
        Ok(Observer::new(observer, callback))
    }

    /// Removes everything `mount` added under `root` (iframes, placeholders, attributes)
    /// so that it can be mounted again, say for another viewer.
    pub fn reset(&self, root: &web_sys::Element) -> JsResult<()> {
        dom::reset(root)
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

/// A space key argument: `undefined` / `null` for none, else a key the request reader
/// would accept (a `TypeError` otherwise).
fn space_key(space: &JsValue) -> JsResult<Option<String>> {
    if space.is_undefined() || space.is_null() {
        return Ok(None);
    }
    let text = super::convert::js_string(space)
        .ok_or_else(|| js_sys::TypeError::new("the space must be a string of valid UTF-16"))?;
    let mut diags = crate::Diagnostics::default();
    match crate::read::check_key(&text, || crate::Path::root().key("space"), &mut diags) {
        Some(_) => Ok(Some(text)),
        None => Err(error("invalid space:", &diags.split().0)),
    }
}

/// A validated viewer and the mount options, owned so an observer can keep them.
struct MountArgs {
    viewer: Value,
    kind: crate::ViewerType,
    is_admin: bool,
    space: Option<String>,
    why: Why,
}

impl MountArgs {
    fn read(viewer: &Viewer, space: Option<String>, options: Option<MountOptions>) -> JsResult<MountArgs> {
        let value = to_value(viewer, Limits::REQUEST).map_err(|d| error("invalid viewer:", &[d]))?;
        let parsed = crate::Gate::read_viewer(&value).map_err(|errs| error("invalid viewer:", &errs))?;
        let why = match options.map(|o| js_sys::Reflect::get(&o, &JsValue::from_str("why"))).transpose()? {
            None => Why::Admins,
            Some(v) if v.is_undefined() => Why::Admins,
            Some(v) => match v.as_string().as_deref() {
                Some("admins") => Why::Admins,
                Some("always") => Why::Always,
                Some("never") => Why::Never,
                _ => return Err(js_sys::TypeError::new("options.why must be `admins`, `always` or `never`").into()),
            },
        };
        let is_admin = parsed.is_space_admin();
        Ok(MountArgs { viewer: value, kind: parsed.kind, is_admin, space, why })
    }

    fn cx<'a>(&'a self, gate: &'a crate::Gate) -> MountCx<'a> {
        MountCx {
            gate,
            viewer: &self.viewer,
            viewer_kind: self.kind,
            viewer_is_admin: self.is_admin,
            space: self.space.as_deref(),
            why: self.why,
        }
    }
}
