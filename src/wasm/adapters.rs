//! Custom UI adapters: product context objects to a viewer and a space.

use wasm_bindgen::prelude::*;

use super::convert::{error, to_js_as, to_value};
use super::types::HostViewJs;
use super::JsResult;
use crate::value::{object, text};
use crate::{HostView, Limits, ToValue, Value};

/// `{ viewer: { type, accountId?, guestSpace? }, space?, locale? }`.
struct HostViewOut(HostView);

impl ToValue for HostViewOut {
    fn to_value(&self) -> Value {
        let h = &self.0;
        let viewer = object([
            ("type", text(h.viewer.kind.name())),
            ("accountId", h.viewer.account_id.as_deref().and_then(text)),
            ("guestSpace", h.viewer.guest_space.as_deref().and_then(text)),
        ]);
        object([
            ("viewer", Some(viewer)),
            ("space", h.space.as_deref().and_then(text)),
            ("locale", h.locale.as_deref().and_then(text)),
        ])
    }
}

fn convert(
    context: &JsValue,
    what: &str,
    read: fn(&crate::Value) -> Result<HostView, Vec<crate::Diagnostic>>,
) -> JsResult<HostViewJs> {
    let title = format!("cannot gate from this {what} context:");
    let value = to_value(context, Limits::CONFIG).map_err(|d| error(&title, &[d]))?;
    let view = read(&value).map_err(|errs| error(&title, &errs))?;
    to_js_as(&HostViewOut(view))
}

/// `{ viewer, space, locale }` from a Forge `view.getContext()` object. Throws when the
/// context cannot tell who the viewer is (for example no `user.isJiraGuest`).
#[wasm_bindgen(js_name = viewerFromForgeContext)]
pub fn viewer_from_forge_context(context: &JsValue) -> JsResult<HostViewJs> {
    convert(context, "Forge", crate::from_forge_context)
}

/// `{ viewer, space }` from a Connect `AP.context.getContext()` object. Throws when the
/// context cannot tell who the viewer is (no `user.external_collaborator` / `user.isJiraGuest`).
#[wasm_bindgen(js_name = viewerFromConnectContext)]
pub fn viewer_from_connect_context(context: &JsValue) -> JsResult<HostViewJs> {
    convert(context, "Connect", crate::from_connect_context)
}
