//! Data-driven tests: every row of `tests/scenarios/*.json` (one decision each) and of
//! `tests/lints/*.json` (one validation each), run against the native core.
//! `tests/node/scenarios.test.mjs` runs the same files against the built wasm package.

#![cfg(not(target_arch = "wasm32"))]
// Tests may panic: a failed assertion is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use render_gate::{validate, value_error_code, BoundedValue, Diagnostic, Gate, Limits, Validation, Value};
use serde::de::DeserializeSeed;
use serde_json::Value as Json;

fn files(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(dir);
    let mut out: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no test files in {}", root.display());
    out
}

fn load(path: &Path) -> Json {
    let text = fs::read_to_string(path).unwrap();
    // Test files may nest deeper than serde_json's default limit (the limit cases do).
    let mut de = serde_json::Deserializer::from_str(&text);
    de.disable_recursion_limit();
    serde::Deserialize::deserialize(&mut de).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reads a test value the way the wasm layer reads a JS value: within the limits.
fn bounded(j: &Json, limits: Limits) -> Result<Value, Diagnostic> {
    BoundedValue::new(limits).deserialize(j).map_err(|e| {
        let message = e.to_string();
        Diagnostic::error(value_error_code(&message), &render_gate::Path::root(), message)
    })
}

fn value(j: &Json) -> Value {
    bounded(j, Limits::CONFIG).unwrap()
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// Compares one decision with a row's `expect`; returns what differs.
fn check(decision: &serde_json::Map<String, Json>, expect: &serde_json::Map<String, Json>) -> Vec<String> {
    let mut diffs = Vec::new();
    for (k, want) in expect {
        match k.as_str() {
            "messageContains" => {
                let got = decision.get("message").and_then(Json::as_str).unwrap_or("");
                if !got.contains(want.as_str().unwrap()) {
                    diffs.push(format!("message {got:?} does not contain {want}"));
                }
            }
            "missing" => {
                let mut got: Vec<String> = decision
                    .get("missing")
                    .and_then(Json::as_array)
                    .map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
                    .unwrap_or_default();
                let mut want: Vec<String> =
                    want.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect();
                got.sort();
                want.sort();
                if got != want {
                    diffs.push(format!("missing {got:?}, expected {want:?}"));
                }
            }
            "noMessage" => {
                if decision.contains_key("message") {
                    diffs.push("unexpected message".to_owned());
                }
            }
            _ => {
                let got = decision.get(k).unwrap_or(&Json::Null);
                if got != want {
                    diffs.push(format!("{k} = {got}, expected {want}"));
                }
            }
        }
    }
    diffs
}

#[test]
fn scenarios() {
    let mut failures = Vec::new();
    let mut rows = 0;
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for path in files("scenarios") {
        let doc = load(&path);
        let mut gates = BTreeMap::new();
        for (cname, cfg) in doc["configs"].as_object().unwrap() {
            match Gate::new(&value(cfg)) {
                Ok(g) => {
                    gates.insert(cname.clone(), g);
                }
                Err(errs) => failures.push(format!("{}: config {cname} does not compile: {errs:?}", name(&path))),
            }
        }
        for case in doc["cases"].as_array().unwrap() {
            rows += 1;
            let label = format!("{}: {}", name(&path), case["name"].as_str().unwrap());
            let Some(gate) = gates.get(case["config"].as_str().unwrap()) else {
                failures.push(format!("{label}: no config {}", case["config"]));
                continue;
            };
            let decision = match bounded(&case["request"], Limits::REQUEST) {
                Ok(v) => gate.decide_value(&v),
                Err(d) => render_gate::Decision::invalid_request(vec![d]),
            };
            let decision = serde_json::to_value(decision).unwrap();
            let decision = decision.as_object().unwrap();
            *reasons.entry(decision["reason"].as_str().unwrap().to_owned()).or_default() += 1;
            let diffs = check(decision, case["expect"].as_object().unwrap());
            if !diffs.is_empty() {
                failures.push(format!("{label}: {}", diffs.join("; ")));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {rows} scenario rows failed:\n{}", failures.len(), failures.join("\n"));
    // Every reason code is reached by some row.
    for r in render_gate::Reason::ALL {
        assert!(reasons.contains_key(r.code()), "no scenario row reaches reason `{}`", r.code());
    }
    eprintln!("{rows} scenario rows passed");
}

#[test]
fn lints() {
    let mut failures = Vec::new();
    let mut rows = 0;
    for path in files("lints") {
        let doc = load(&path);
        for case in doc["cases"].as_array().unwrap() {
            rows += 1;
            let label = format!("{}: {}", name(&path), case["name"].as_str().unwrap());
            let result = match bounded(&case["config"], Limits::CONFIG) {
                Ok(v) => validate(&v),
                Err(d) => Validation { errors: vec![d], warnings: Vec::new() },
            };
            for (kind, got) in [("errors", &result.errors), ("warnings", &result.warnings)] {
                let mut got: Vec<&str> = got.iter().map(|d| d.code).collect();
                let mut want: Vec<&str> = case["expect"][kind]
                    .as_array()
                    .map(|a| a.iter().map(|c| c.as_str().unwrap()).collect())
                    .unwrap_or_default();
                got.sort();
                want.sort();
                if got != want {
                    let detail: Vec<String> = if kind == "errors" { &result.errors } else { &result.warnings }
                        .iter()
                        .map(|d| d.line())
                        .collect();
                    failures.push(format!("{label}: {kind} {got:?}, expected {want:?} ({})", detail.join(" | ")));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {rows} lint rows failed:\n{}", failures.len(), failures.join("\n"));
    eprintln!("{rows} lint rows passed");
}
