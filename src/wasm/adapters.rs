//! Custom UI adapters: product context objects to a viewer and a space.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::convert::{error, to_js_as, to_value};
use super::types::HostViewJs;
use super::JsResult;
use crate::{HostView, Limits};

#[derive(Serialize)]
struct ViewerOut {
    #[serde(rename = "type")]
    kind: crate::ViewerType,
    #[serde(rename = "accountId", skip_serializing_if = "Option::is_none")]
    account_id: Option<String>,
    #[serde(rename = "guestSpace", skip_serializing_if = "Option::is_none")]
    guest_space: Option<String>,
}

#[derive(Serialize)]
struct HostViewOut {
    viewer: ViewerOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    space: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locale: Option<String>,
}

fn out(h: HostView) -> HostViewOut {
    HostViewOut {
        viewer: ViewerOut { kind: h.viewer.kind, account_id: h.viewer.account_id, guest_space: h.viewer.guest_space },
        space: h.space,
        locale: h.locale,
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
    to_js_as(&out(view))
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
