//! Fuzz target `connect_conditions`: see `fuzz/src/lib.rs` for what it checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| render_gate_fuzz::connect_conditions(data));
