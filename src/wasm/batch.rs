//! Deciding a page in one crossing: the Rust half of `batch.js`.
//!
//! `batch.js` turns the requests into columns of indices into tables of distinct strings
//! and objects; each distinct viewer, context and facts object is read once here; the
//! core decides the compact batch; requests the fast path does not take are read whole.
//! Decisions go back as codes plus tables, and `batch.js` builds the objects.

use js_sys::{Array, Float64Array, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;

use super::convert::{js_limits, to_js, to_value};
use super::JsResult;
use crate::{
    CompactBatch, CompactDecisions, Decision, Gate, Layer, Limits, Outcome, Reason, Tokens, Value, Verdict,
    COMPACT_COLS as COLS,
};

#[wasm_bindgen(module = "/src/wasm/batch.js")]
extern "C" {
    type Encoded;
    #[wasm_bindgen(catch, js_name = encodeRequests)]
    fn encode_requests(requests: &Array, limits: &[u32]) -> Result<Option<Encoded>, JsValue>;
    #[wasm_bindgen(catch, js_name = encodeValue)]
    fn encode_value(value: &JsValue, limits: &[u32]) -> Result<Option<Encoded>, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn data(this: &Encoded) -> Uint32Array;
    #[wasm_bindgen(method, getter)]
    fn text(this: &Encoded) -> Uint8Array;
    #[wasm_bindgen(method, getter)]
    fn nums(this: &Encoded) -> Option<Float64Array>;
    #[wasm_bindgen(js_name = decodeDecisions)]
    fn decode_decisions(codes: &[u32], strings: &Array, lists: &Array, full: &Array, names: &Array) -> Array;
}

/// What `batch.js` encoded, copied into wasm: one `Uint32Array` (a header of counts, then
/// the sections), the string table as one text (it crosses as UTF-8 bytes), and the numbers.
struct Packed {
    data: Vec<u32>,
    text: String,
    nums: Vec<f64>,
}

/// The sections of [`Packed::data`], in order.
struct Sections<'a> {
    rows: &'a [u32],
    tokens: &'a [u32],
    viewers: &'a [u32],
    contexts: &'a [u32],
    facts: &'a [u32],
}

impl Packed {
    fn new(encoded: &Encoded) -> Option<Packed> {
        let data = encoded.data().to_vec();
        let nums = match data.get(6) {
            Some(0) | None => Vec::new(),
            Some(_) => encoded.nums()?.to_vec(),
        };
        Some(Packed { data, text: String::from_utf8(encoded.text().to_vec()).ok()?, nums })
    }

    /// The string table, cut out of `text` (no copies). The text crossed with the strings
    /// separated by U+0000 (`batch.js` sends only well-formed strings, so the UTF-8
    /// conversion kept every character). `None` when some string holds a U+0000 of its own:
    /// then the whole batch goes to the reader, which gives the same answers, more slowly.
    fn strings(&self) -> Option<Vec<&str>> {
        let count = *self.data.get(1)? as usize;
        if count == 0 {
            return Some(Vec::new());
        }
        let strings: Vec<&str> = self.text.split('\0').collect();
        (strings.len() == count).then_some(strings)
    }

    fn sections(&self) -> Option<Sections<'_>> {
        let (header, mut rest) = self.data.split_at_checked(8)?;
        let mut take = |i: usize| -> Option<&[u32]> {
            let (section, tail) = rest.split_at_checked(*header.get(i)? as usize)?;
            rest = tail;
            Some(section)
        };
        // `header[1]` counts the strings, which come as `text`.
        Some(Sections { rows: take(0)?, tokens: take(2)?, viewers: take(3)?, contexts: take(4)?, facts: take(5)? })
    }

    /// A reader of `tokens` (a section of this batch) with its numbers and `strings`.
    fn tokens<'a>(&'a self, tokens: &'a [u32], strings: &'a [&'a str], max_depth: usize) -> Tokens<'a> {
        Tokens { tokens, nums: &self.nums, strings, max_depth }
    }
}

/// A value the JS encoder could take whole (a config, a viewer...), from its tokens, with
/// the number of nodes the limits counted; `None` when the walker must read it.
pub fn decode_value(js: &JsValue, limits: Limits) -> Option<(Value, usize)> {
    let packed = Packed::new(&encode_value(js, &js_limits(limits)).ok()??)?;
    let strings = packed.strings()?;
    let tokens = packed.sections()?.tokens;
    packed.tokens(tokens, &strings, limits.max_depth).decode(0, tokens.len())
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

/// The answer tables (referred to by `index + 1`): placeholder texts and policy ids, each
/// sent once per page; missing-fact lists; decisions sent whole.
struct Tables<'g> {
    gate: &'g Gate,
    strings: Vec<String>,
    /// Placeholder texts by app, then by reason and policy (a handful per app); policy ids
    /// by policy: a verdict's texts are rendered and sent once per page, never hashed.
    /// (Vecs, not HashMaps: each HashMap type costs about 1 KB of wasm.)
    message_ids: Vec<Vec<(Reason, Option<usize>, u32)>>,
    policy_ids: Vec<u32>,
    lists: Vec<Vec<String>>,
    full: Vec<JsValue>,
}

impl<'g> Tables<'g> {
    fn new(gate: &'g Gate) -> Tables<'g> {
        Tables {
            gate,
            strings: Vec::new(),
            message_ids: Vec::new(),
            policy_ids: Vec::new(),
            lists: Vec::new(),
            full: Vec::new(),
        }
    }

    fn push(&mut self, s: String) -> u32 {
        self.strings.push(s);
        self.strings.len() as u32
    }

    /// A decision made the slow way (a request the batch could not take), sent whole: such
    /// requests are rare, and one path for them keeps the wasm small.
    fn whole(&mut self, decision: Decision) -> JsResult<[u32; 4]> {
        self.full.push(to_js(&decision)?);
        Ok([SLOW, self.full.len() as u32 - 1, 0, 0])
    }

    /// The four codes of a verdict.
    fn encode_verdict(&mut self, v: Verdict) -> [u32; 4] {
        let message = match v.message_key() {
            None => 0,
            Some((reason, app, policy)) => {
                let known = self.message_ids.get(app).and_then(|l| l.iter().find(|k| k.0 == reason && k.1 == policy));
                match known {
                    Some(k) => k.2,
                    None => {
                        let id = self.gate.message_of(&v).map_or(0, |m| self.push(m));
                        if let Some(l) = slot(&mut self.message_ids, app) {
                            l.push((reason, policy, id));
                        }
                        id
                    }
                }
            }
        };
        // 0 in `policy_ids`: not sent yet.
        let policy = match v.policy_index() {
            None => 0,
            Some(p) => match self.policy_ids.get(p) {
                Some(&id) if id != 0 => id,
                _ => {
                    let id = self.gate.policy_of(&v).map_or(0, |s| self.push(s.to_owned()));
                    if let Some(sent) = slot(&mut self.policy_ids, p) {
                        *sent = id;
                    }
                    id
                }
            },
        };
        [head(v.outcome, v.reason, v.layer, v.renders_ui), message, policy, self.list(v.missing)]
    }

    /// Missing-fact lists are rare and short: no interning.
    fn list(&mut self, l: Option<Vec<String>>) -> u32 {
        let Some(l) = l else { return 0 };
        self.lists.push(l);
        self.lists.len() as u32
    }
}

/// The `i`th entry of `v`, after growing `v` with default entries if it is shorter.
fn slot<T: Default>(v: &mut Vec<T>, i: usize) -> Option<&mut T> {
    if v.len() <= i {
        v.resize_with(i + 1, T::default);
    }
    v.get_mut(i)
}

/// The first code of a decision: outcome, reason, layer, and `rendersUi: false`.
fn head(outcome: Outcome, reason: Reason, layer: Layer, renders_ui: Option<bool>) -> u32 {
    outcome as u32 | (reason as u32) << 8 | (layer as u32) << 16 | u32::from(renders_ui == Some(false)) << 24
}

/// Rows decided at a time: the decisions of one chunk are encoded and dropped before the
/// next, so a huge batch does not hold a `Decision` per request (wasm memory never shrinks).
const CHUNK_ROWS: usize = 4096;

/// Decides every request; `result[i]` answers `requests[i]`.
pub fn decide_page(gate: &Gate, requests: &Array) -> JsResult<Array> {
    let mut tables = Tables::new(gate);
    let mut codes: Vec<u32> = Vec::with_capacity(requests.length() as usize * 4);
    // Answers one chunk's rows: the codes of each distinct decision are encoded once and
    // copied per request; requests the batch could not take are read whole.
    let mut answer = |answers: CompactDecisions, first: usize, tables: &mut Tables| -> JsResult<()> {
        let distinct: Vec<[u32; 4]> = answers.distinct.into_iter().map(|v| tables.encode_verdict(v)).collect();
        for (i, row) in answers.rows.iter().enumerate() {
            let four = match row.and_then(|r| distinct.get(r as usize)) {
                Some(four) => *four,
                None => tables.whole(slow(gate, &requests.get((first + i) as u32)))?,
            };
            codes.extend(four);
        }
        Ok(())
    };
    // A request whose getters throw makes the encoder throw: then every request takes the
    // slow path, which reads each one with exceptions caught.
    let limits = CompactBatch::object_limits();
    let packed = encode_requests(requests, &js_limits(limits)).ok().flatten().and_then(|e| Packed::new(&e));
    match packed.as_ref().and_then(|p| Some((p, p.sections()?, p.strings()?))) {
        Some((packed, sections, strings)) => {
            let rows = sections.rows;
            let batch = CompactBatch {
                rows,
                strings: &strings,
                tokens: packed.tokens(sections.tokens, &strings, limits.max_depth),
                viewers: sections.viewers,
                contexts: sections.contexts,
                facts: sections.facts,
            };
            let mut page = gate.compact_page(batch);
            for (k, chunk) in rows.chunks(CHUNK_ROWS * COLS).enumerate() {
                answer(page.decide_rows(chunk), k * CHUNK_ROWS, &mut tables)?;
            }
        }
        None => {
            let all = CompactDecisions { distinct: Vec::new(), rows: vec![None; requests.length() as usize] };
            answer(all, 0, &mut tables)?;
        }
    }
    let strings: Array = tables.strings.iter().map(|s| JsValue::from_str(s)).collect();
    let lists: Array =
        tables.lists.iter().map(|l| JsValue::from(l.iter().map(|s| JsValue::from_str(s)).collect::<Array>())).collect();
    let full: Array = tables.full.iter().collect();
    Ok(NAMES.with(|names| decode_decisions(&codes, &strings, &lists, &full, names)))
}

/// The full reader, for requests the fast path does not take.
pub fn slow(gate: &Gate, request: &JsValue) -> Decision {
    match to_value(request, Limits::REQUEST) {
        Ok(v) => gate.decide_value(&v),
        Err(d) => Decision::invalid_request(vec![d]),
    }
}
