//! Replays every seed of `fuzz/corpus/<target>/` through the fuzz targets' own code
//! (`fuzz/src/lib.rs`, included below), so CI checks the corpus and the fail-closed
//! invariants without a fuzzer or a nightly toolchain. Run the fuzzers themselves with
//! `node scripts/fuzz.mjs`.
//!
//! Regressions for what fuzzing found are at the end, named after what they reproduce.

#![cfg(not(target_arch = "wasm32"))]
// Tests may panic: a failed assertion is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "../fuzz/src/lib.rs"]
mod targets;

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join("corpus").join(target)
}

fn seeds(target: &str) -> Vec<PathBuf> {
    let dir = corpus_dir(target);
    let mut out: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

/// Runs every seed of `target`; fails naming every seed that panicked.
fn replay(target: &str) {
    let files = seeds(target);
    assert!(!files.is_empty(), "no seeds in {}", corpus_dir(target).display());
    let mut failures = Vec::new();
    for f in &files {
        let data = fs::read(f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        if let Err(e) =
            catch_unwind(AssertUnwindSafe(|| assert!(targets::run(target, &data), "unknown target {target}")))
        {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            failures.push(format!("{target}/{name}: {msg}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} seeds failed:\n{}", failures.len(), files.len(), failures.join("\n"));
}

#[test]
fn every_target_has_a_corpus() {
    for t in targets::TARGETS {
        assert!(!seeds(t).is_empty(), "fuzz/corpus/{t} is empty");
    }
    let dirs: Vec<String> = fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for d in dirs {
        assert!(targets::TARGETS.contains(&d.as_str()), "fuzz/corpus/{d} is not a fuzz target");
    }
}

#[test]
fn corpus_config() {
    replay("config");
}

#[test]
fn corpus_connect_conditions() {
    replay("connect_conditions");
}

#[test]
fn corpus_forge_conditions() {
    replay("forge_conditions");
}

#[test]
fn corpus_decide() {
    replay("decide");
}

/// The targets never panic on bytes that are not JSON, or on nothing at all.
#[test]
fn targets_skip_non_json() {
    for t in targets::TARGETS {
        for data in [&b""[..], b"\0", b"\xff\xfe", b"{", b"[[[[[[[[", b"\0\0{}", b"null\0null"] {
            assert!(targets::run(t, data));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Regressions, named after what they reproduce.
// ---------------------------------------------------------------------------------------

/// The keys of a Forge `displayConditions` object and the items of an array value used to
/// become leaves without being counted against `MAX_NODES` (1,000): an object with 1,001
/// (or 300,000) keys compiled without a `too-large` error, and compiling and deciding took
/// time quadratic in the number of keys (20,000 keys: 7 s to compile, 3.5 s per decision).
#[test]
fn forge_object_with_more_keys_than_max_nodes_is_too_large() {
    for seed in ["hand-many-keys-1001.json", "hand-array-value-1001.json"] {
        let data = fs::read(corpus_dir("forge_conditions").join(seed)).unwrap();
        targets::forge_conditions(&data);
        let mut diags = render_gate::Diagnostics::default();
        let v = targets::parse(&data, render_gate::Limits::CONFIG).unwrap();
        render_gate::parse_forge(&v, &render_gate::Path::root(), &mut diags);
        assert!(diags.items.iter().any(|d| d.code == "too-large"), "{seed}: no too-large error");
    }
}
