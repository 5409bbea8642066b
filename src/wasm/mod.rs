//! The JavaScript API: a thin wasm-bindgen layer over the core.
//!
//! One file per exported JS class or function; conversions live in `convert`. Nothing
//! here decides anything: it turns JS values into core values and back.
//!
//! **Invariant:** every exported function catches bad input and returns a JS `Error` or
//! a fail-closed decision; none can trap.

mod adapters;
mod batch;
pub(crate) mod convert;
mod gate;
mod observer;
pub mod types;
mod validate;

pub use adapters::{viewer_from_connect_context, viewer_from_forge_context};
pub use gate::Gate;
pub use observer::Observer;
pub use validate::validate;

/// Result type of every exported function: errors are thrown JS values.
pub type JsResult<T> = Result<T, wasm_bindgen::JsValue>;

/// The global allocator: talc instead of std's dlmalloc. A cold start (the first
/// `new Gate` of a page) makes about 4,700 allocations while V8 still runs this module's
/// baseline (Liftoff) code, and dlmalloc's `malloc` is large and branchy there: with talc
/// the first `new Gate` of the bench's Confluence config went from 5.9 to 4.3 ms in
/// Chromium (median of 48 fresh copies), close to a never-freeing bump allocator's 4.1.
/// The wasm is also about 2 KB smaller gzipped, and `decideAll` is as fast (a same-page
/// A/B at N = 10,000: 320 and 317 ns per decision).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
