//! `validate(config)`: every error and warning, without throwing.

use wasm_bindgen::prelude::*;

use super::convert::{to_js_as, to_value};
use super::types::{GateConfig, ValidationResult};
use super::JsResult;
use crate::{Limits, Validation};

/// Checks a config without compiling it. Never throws for bad input: problems come back
/// as `errors` (the config would not compile) and `warnings` (lints).
#[wasm_bindgen]
pub fn validate(config: &GateConfig) -> JsResult<ValidationResult> {
    let result = match to_value(config, Limits::CONFIG) {
        Ok(v) => crate::validate(&v),
        Err(d) => Validation { errors: vec![d], warnings: Vec::new() },
    };
    to_js_as(&result)
}
