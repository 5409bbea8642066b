//! Deciding a page in one crossing: the Rust half of `batch.js`.
//!
//! `batch.js` turns the requests into columns of indices into tables of distinct strings
//! and objects; each distinct viewer, context and facts object is read once here; the
//! core decides the compact batch; requests the fast path does not take are read whole.
//! Decisions go back as codes plus tables, and `batch.js` builds the objects.

use rustc_hash::FxHashMap as HashMap;

use js_sys::{Array, Float64Array, Uint32Array};
use wasm_bindgen::prelude::*;

use super::convert::{js_limits, to_js, to_value, Tokens};
use super::JsResult;
use crate::{CompactBatch, CompactDecisions, Decision, Layer, Limits, Outcome, Reason, Value};

#[wasm_bindgen(module = "/src/wasm/batch.js")]
extern "C" {
    type Encoded;
    #[wasm_bindgen(catch, js_name = encodeRequests)]
    fn encode_requests(requests: &Array, limits: &[u32]) -> Result<Encoded, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn rows(this: &Encoded) -> Uint32Array;
    #[wasm_bindgen(method, getter)]
    fn strings(this: &Encoded) -> Array;
    #[wasm_bindgen(method, getter)]
    fn tokens(this: &Encoded) -> Uint32Array;
    #[wasm_bindgen(method, getter)]
    fn nums(this: &Encoded) -> Float64Array;
    #[wasm_bindgen(method, getter)]
    fn viewers(this: &Encoded) -> Uint32Array;
    #[wasm_bindgen(method, getter)]
    fn contexts(this: &Encoded) -> Uint32Array;
    #[wasm_bindgen(method, getter)]
    fn facts(this: &Encoded) -> Uint32Array;
    #[wasm_bindgen(js_name = decodeDecisions)]
    fn decode_decisions(codes: &[u32], strings: &Array, lists: &Array, full: &Array, names: &Array) -> Array;
}

const SLOW: u32 = u32::MAX;

thread_local! {
    /// Outcome, reason and layer names, indexed by their codes.
    static NAMES: Array = {
        let names = Array::new();
        names.push(&Outcome::ALL.iter().map(|o| JsValue::from_str(o.name())).collect::<Array>());
        names.push(&Reason::ALL.iter().map(|r| JsValue::from_str(r.code())).collect::<Array>());
        names.push(&Layer::ALL.iter().map(|l| JsValue::from_str(l.name())).collect::<Array>());
        names
    };
}

/// The objects of one table, from their token spans. An object the encoder left to the
/// reader becomes `null`, which the core's readers reject: its requests go the slow way.
fn objects(t: &Tokens<'_>, spans: &[u32]) -> Vec<(Value, usize)> {
    spans
        .chunks_exact(2)
        .map(|span| {
            let (start, end) = (span.first().copied().unwrap_or(SLOW), span.get(1).copied().unwrap_or(SLOW));
            (start != SLOW).then(|| t.decode(start as usize, end as usize)).flatten().unwrap_or((Value::Null, 0))
        })
        .collect()
}

/// Interns strings and lists for the answer tables (`index + 1`).
#[derive(Default)]
struct Tables {
    strings: Vec<String>,
    string_ids: HashMap<String, u32>,
    lists: Vec<Vec<String>>,
    full: Vec<JsValue>,
}

impl Tables {
    fn string(&mut self, s: Option<String>) -> u32 {
        let Some(s) = s else { return 0 };
        if let Some(&id) = self.string_ids.get(&s) {
            return id;
        }
        let id = self.strings.len() as u32 + 1;
        self.string_ids.insert(s.clone(), id);
        self.strings.push(s);
        id
    }
    /// The four codes of a decision; one with errors or a trace is kept whole.
    fn encode(&mut self, decision: Decision) -> JsResult<[u32; 4]> {
        if decision.errors.is_some() || decision.trace.is_some() {
            self.full.push(to_js(&decision)?);
            return Ok([SLOW, self.full.len() as u32 - 1, 0, 0]);
        }
        let head = decision.outcome as u32
            | (decision.reason as u32) << 8
            | (decision.layer as u32) << 16
            | u32::from(decision.renders_ui == Some(false)) << 24;
        Ok([head, self.string(decision.message), self.string(decision.policy), self.list(decision.missing)])
    }

    /// Missing-fact lists are rare and short: no interning.
    fn list(&mut self, l: Option<Vec<String>>) -> u32 {
        let Some(l) = l else { return 0 };
        self.lists.push(l);
        self.lists.len() as u32
    }
}

/// Decides every request; `result[i]` answers `requests[i]`.
pub fn decide_page(gate: &crate::Gate, requests: &Array) -> JsResult<Array> {
    // A request whose getters throw makes the encoder throw: then every request takes the
    // slow path, which reads each one with exceptions caught.
    let limits = CompactBatch::object_limits();
    let answers = match encode_requests(requests, &js_limits(limits)) {
        Ok(encoded) => {
            let rows = encoded.rows().to_vec();
            // Every string in the table was checked well-formed by the encoder.
            let strings: Vec<String> = encoded.strings().iter().map(|s| s.as_string().unwrap_or_default()).collect();
            let tokens = encoded.tokens().to_vec();
            let nums = encoded.nums().to_vec();
            let t = Tokens { tokens: &tokens, nums: &nums, strings: &strings, max_depth: limits.max_depth };
            let viewers = objects(&t, &encoded.viewers().to_vec());
            let contexts = objects(&t, &encoded.contexts().to_vec());
            let facts = objects(&t, &encoded.facts().to_vec());
            let batch =
                CompactBatch { rows: &rows, strings: &strings, viewers: &viewers, contexts: &contexts, facts: &facts };
            gate.decide_compact(batch)
        }
        Err(_) => CompactDecisions { distinct: Vec::new(), rows: vec![None; requests.length() as usize] },
    };

    let mut tables = Tables::default();
    // The codes of each distinct decision, encoded once and copied per request.
    let distinct: Vec<[u32; 4]> = answers.distinct.into_iter().map(|d| tables.encode(d)).collect::<JsResult<_>>()?;
    let mut codes = Vec::with_capacity(answers.rows.len() * 4);
    for (i, row) in answers.rows.iter().enumerate() {
        let four = match row.and_then(|r| distinct.get(r as usize)) {
            Some(four) => *four,
            None => tables.encode(slow(gate, &requests.get(i as u32)))?,
        };
        codes.extend(four);
    }
    let strings: Array = tables.strings.iter().map(|s| JsValue::from_str(s)).collect();
    let lists: Array =
        tables.lists.iter().map(|l| JsValue::from(l.iter().map(|s| JsValue::from_str(s)).collect::<Array>())).collect();
    let full: Array = tables.full.iter().collect();
    Ok(NAMES.with(|names| decode_decisions(&codes, &strings, &lists, &full, names)))
}

/// The full reader, for requests the fast path does not take.
pub fn slow(gate: &crate::Gate, request: &JsValue) -> Decision {
    match to_value(request, Limits::REQUEST) {
        Ok(v) => gate.decide_value(&v),
        Err(d) => Decision::invalid_request(vec![d]),
    }
}
