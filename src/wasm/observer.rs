//! The `Observer` class: the handle `gate.observe()` returns.

use wasm_bindgen::prelude::*;

/// Gates modules added under a root after `observe()`; `disconnect()` stops it.
#[wasm_bindgen]
pub struct Observer {
    observer: web_sys::MutationObserver,
    // Kept alive as long as the observer: the browser calls it on every mutation batch.
    _callback: Closure<dyn FnMut(js_sys::Array, web_sys::MutationObserver)>,
}

impl Observer {
    pub(crate) fn new(
        observer: web_sys::MutationObserver,
        callback: Closure<dyn FnMut(js_sys::Array, web_sys::MutationObserver)>,
    ) -> Observer {
        Observer { observer, _callback: callback }
    }
}

#[wasm_bindgen]
impl Observer {
    /// Stops gating new modules. Modules already decided keep their outcome.
    pub fn disconnect(&self) {
        self.observer.disconnect();
    }
}
