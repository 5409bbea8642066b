//! Compact batches: a page's requests as columns of indices into shared tables.
//!
//! A page asks about hundreds of modules for one viewer, a handful of spaces and few
//! distinct contexts. A compact batch sends each distinct string, viewer, context and
//! facts object once, and one row of indices per request; the viewer and friends are read
//! once per batch instead of once per module.
//!
//! **Invariant:** the fast path takes only requests it can read completely; any request
//! with a problem (or a shape it does not cover) is answered `None`, and the caller
//! decides it through the ordinary reader, so every answer, error messages included, is
//! exactly what `Gate::decide_value` gives.

use rustc_hash::FxHashMap as HashMap;

use crate::config::Config;
use crate::decide::Found;
use crate::decide::Verdict;
use crate::diag::{Diagnostics, Path};
use crate::model::Viewer;
use crate::read::check_key;
use crate::request::{read_context, read_facts, read_viewer, Context, Facts, RequestRef, NO_CONTEXT};
use crate::{Decision, Gate, Tokens, Value};

/// Columns per request: app, module, space, viewer, context, facts.
pub const COLS: usize = 6;
/// "Absent" in an optional column (space, context, facts).
pub const ABSENT: u32 = 0;
/// In the first column: the fast path does not take this request.
pub const SLOW: u32 = u32::MAX;

/// A compact batch. Every column holds `index + 1` into its table (`0` = absent).
///
/// The viewer, context and facts tables are spans of `tokens`: per object, `[start, end)`
/// in token pairs' `u32`s, or `[SLOW, SLOW]` for an object the encoder left out. `tokens`
/// must limit depth to [`CompactBatch::object_limits`]; each object's node count (one per
/// token pair) lets the fast path tell when a whole request would exceed
/// [`Limits::REQUEST`](crate::Limits::REQUEST).
#[derive(Debug, Clone, Copy)]
pub struct CompactBatch<'a> {
    /// `COLS` values per request.
    pub rows: &'a [u32],
    pub strings: &'a [&'a str],
    pub tokens: Tokens<'a>,
    pub viewers: &'a [u32],
    pub contexts: &'a [u32],
    pub facts: &'a [u32],
}

impl CompactBatch<'_> {
    /// Limits for each shared object: one level less deep than a request, since each sits
    /// one level inside its request.
    pub const fn object_limits() -> crate::Limits {
        let r = crate::Limits::REQUEST;
        crate::Limits { max_depth: r.max_depth - 1, max_nodes: r.max_nodes, max_string: r.max_string }
    }
}

/// Each object of a table, with its node count: read straight from its tokens when it is
/// plainly valid, else decoded and read by the ordinary reader; `None` when it has
/// problems (its requests go the slow way, which reports them).
fn read_each<'a, T>(
    tokens: &Tokens<'a>,
    spans: &[u32],
    direct: fn(&Tokens<'a>, usize, usize) -> Option<(T, usize)>,
    read: &dyn Fn(&Value, &mut Diagnostics) -> Option<T>,
) -> Vec<Option<(T, usize)>> {
    spans
        .chunks_exact(2)
        .map(|span| {
            let (start, end) = (*span.first()?, *span.get(1)?);
            if start == SLOW {
                return None;
            }
            let (start, end) = (start as usize, end as usize);
            direct(tokens, start, end).or_else(|| {
                let (v, nodes) = tokens.decode(start, end)?;
                let mut diags = Diagnostics::default();
                read(&v, &mut diags).filter(|_| !diags.has_errors()).map(|t| (t, nodes))
            })
        })
        .collect()
}

/// A facts object as the batch read it: straight from its tokens (names borrowed from the
/// string table), or by the ordinary reader.
enum FactSet<'a> {
    Borrowed(Vec<(&'a str, bool)>),
    Owned(Vec<(String, bool)>),
}

impl FactSet<'_> {
    fn facts(&self) -> Facts<'_> {
        match self {
            FactSet::Borrowed(list) => Facts::Borrowed(list),
            FactSet::Owned(list) => Facts::Owned(list),
        }
    }
}

/// `None`: unusable (the request goes the slow way); `Some(None)`: absent.
fn table<T>(items: &[Option<T>], col: u32) -> Option<Option<&T>> {
    match col {
        ABSENT => Some(None),
        i => items.get(i as usize - 1).and_then(Option::as_ref).map(Some),
    }
}

/// The answers to a compact batch: each distinct verdict once, and per request the index
/// of its verdict (`None`: decide that request with [`Gate::decide_value`]). Verdicts
/// keep their texts as indices ([`Gate::message_of`], [`Gate::policy_of`]), so that a page
/// renders each distinct placeholder text once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompactDecisions {
    pub distinct: Vec<Verdict>,
    pub rows: Vec<Option<u32>>,
}

impl Gate {
    /// The decision a verdict stands for, texts filled in.
    pub fn finish(&self, v: Verdict) -> Decision {
        self.config.finish(v)
    }

    /// A verdict's placeholder text; equal [`Verdict::message_key`]s give equal texts.
    pub fn message_of(&self, v: &Verdict) -> Option<String> {
        self.config.message_of(v)
    }

    /// The id of a verdict's blocking policy; equal [`Verdict::policy_index`]es, equal ids.
    pub fn policy_of(&self, v: &Verdict) -> Option<&str> {
        self.config.policy_of(v)
    }

    /// Decides a compact batch. Requests with the same row in one page view (a page shows
    /// the same module to the same viewer many times) are decided once.
    pub fn decide_compact(&self, batch: CompactBatch<'_>) -> CompactDecisions {
        self.compact_page(batch).decide_rows(batch.rows)
    }

    /// Reads what a batch's rows share (its strings, viewers, contexts and facts), once, so
    /// that its rows can be decided in chunks with [`CompactPage::decide_rows`].
    pub fn compact_page<'a>(&'a self, batch: CompactBatch<'a>) -> CompactPage<'a> {
        // Only the strings used as app, module or space keys need the key check.
        let mut used = vec![false; batch.strings.len()];
        for row in batch.rows.chunks_exact(COLS) {
            for &col in row.iter().take(3) {
                if let Some(u) = (col as usize).checked_sub(1).and_then(|i| used.get_mut(i)) {
                    *u = true;
                }
            }
        }
        let strings: Vec<Option<&str>> = batch
            .strings
            .iter()
            .zip(&used)
            .map(|(s, &used)| {
                let mut diags = Diagnostics::default();
                if used {
                    check_key(s, Path::root, &mut diags)
                } else {
                    None
                }
            })
            .collect();
        let config = &self.config;
        // Rule 1's lookups: once per distinct app name here, once per distinct app and
        // module name in `decide_rows`.
        let apps = strings.iter().map(|s| s.and_then(|s| config.find_app(s))).collect();
        let viewer_path = Path::root().key("viewer");
        let context_path = Path::root().key("context");
        let facts_path = Path::root().key("facts");
        CompactPage {
            config,
            strings,
            apps,
            viewers: read_each(&batch.tokens, batch.viewers, Tokens::viewer, &|v, d| read_viewer(v, &viewer_path, d)),
            contexts: read_each(&batch.tokens, batch.contexts, Tokens::context, &|v, d| {
                read_context(v, &context_path, d)
            }),
            facts: read_each(
                &batch.tokens,
                batch.facts,
                |t, start, end| t.facts(start, end).map(|(f, n)| (FactSet::Borrowed(f), n)),
                &|v, d| read_facts(v, &facts_path, d).map(FactSet::Owned),
            ),
            modules: HashMap::default(),
            chunk: 0,
        }
    }
}

/// A compact batch whose shared parts are read, ready to decide its rows.
pub struct CompactPage<'a> {
    config: &'a Config,
    /// Each string of the batch, when it is a valid key and some row uses it as one.
    strings: Vec<Option<&'a str>>,
    /// Per string: the index of the app it names.
    apps: Vec<Option<usize>>,
    viewers: Vec<Option<(Viewer, usize)>>,
    contexts: Vec<Option<(Context, usize)>>,
    facts: Vec<Option<(FactSet<'a>, usize)>>,
    /// Per app string and module string (`app << 32 | module`): where the module sits, and
    /// the verdict of the last page view that showed it.
    modules: HashMap<u64, Slot>,
    /// Counts `decide_rows` calls: a slot's verdict index is into one call's `distinct`.
    chunk: u32,
}

/// What a page knows about one app and module pair.
#[derive(Clone, Copy)]
struct Slot {
    found: Found,
    /// The space, viewer, context and facts (`space << 32 | viewer`, `context << 32 |
    /// facts`) of the last row decided for this pair, and that row's verdict.
    view: (u64, u64),
    chunk: u32,
    index: Option<u32>,
}

const fn pair(a: u32, b: u32) -> u64 {
    (a as u64) << 32 | b as u64
}

impl CompactPage<'_> {
    /// Decides rows of the batch (`COLS` values each), in order. A row equal to the last row
    /// decided for its app and module (same space, viewer, context and facts: rows of one
    /// page view come together) takes that row's verdict; the memo is the module table
    /// itself, one lookup per row.
    pub fn decide_rows(&mut self, rows: &[u32]) -> CompactDecisions {
        let count = rows.len() / COLS;
        let mut out = CompactDecisions { distinct: Vec::new(), rows: Vec::with_capacity(count) };
        self.chunk = self.chunk.wrapping_add(1);
        for chunk in rows.chunks_exact(COLS) {
            let Ok(row) = <[u32; COLS]>::try_from(chunk) else { continue };
            let index = self.decide_row(row, &mut out.distinct);
            out.rows.push(index);
        }
        out
    }

    /// One row: the index of its verdict in `distinct` (pushed there unless the row equals
    /// the last one of its app and module); `None` when the request must be read whole.
    fn decide_row(&mut self, row: [u32; COLS], distinct: &mut Vec<Verdict>) -> Option<u32> {
        let [app, module, space, viewer, context, fact_set] = row;
        if app == SLOW {
            return None;
        }
        let CompactPage { config, strings, apps, viewers, contexts, facts, modules, chunk } = self;
        let key = |col: u32| table(strings, col).map(|s| s.copied());
        let (app_name, module_name) = (key(app)??, key(module)??);
        let slot = modules.entry(pair(app, module)).or_insert_with(|| {
            let app = (app as usize).checked_sub(1).and_then(|i| apps.get(i)).copied().flatten();
            Slot { found: config.find_module(app, module_name), view: (u64::MAX, u64::MAX), chunk: 0, index: None }
        });
        let view = (pair(space, viewer), pair(context, fact_set));
        if slot.view == view && slot.chunk == *chunk {
            return slot.index;
        }
        let verdict = (|| {
            let (viewer, viewer_nodes) = table(viewers, viewer)??;
            let context = table(contexts, context)?;
            let fact_set = table(facts, fact_set)?;
            let space = key(space)?;
            // The request object, its keys and strings, and its objects, counted the way
            // the request reader's limits count them.
            let nodes = 1
                + 4
                + if space.is_some() { 2 } else { 0 }
                + 1
                + viewer_nodes
                + context.map_or(0, |(_, n)| 1 + n)
                + fact_set.map_or(0, |(_, n)| 1 + n);
            if nodes > crate::Limits::REQUEST.max_nodes {
                return None;
            }
            let req = RequestRef {
                app: app_name,
                module: module_name,
                space,
                viewer,
                context: context.map_or(&NO_CONTEXT, |(c, _)| c),
                facts: fact_set.map_or(Facts::NONE, |(f, _)| f.facts()),
                explain: false,
            };
            Some(config.decide_found(req, slot.found))
        })();
        let index = verdict.map(|d| {
            distinct.push(d);
            distinct.len() as u32 - 1
        });
        slot.view = view;
        slot.chunk = *chunk;
        slot.index = index;
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    /// Viewer objects as a token table: the tokens, and each object's span.
    struct Objects {
        tokens: Vec<u32>,
        nums: Vec<f64>,
        strings: Vec<String>,
        spans: Vec<u32>,
    }

    impl Objects {
        fn new(texts: &[&str]) -> Objects {
            let mut o = Objects { tokens: Vec::new(), nums: Vec::new(), strings: Vec::new(), spans: Vec::new() };
            for text in texts {
                let start = o.tokens.len() as u32;
                crate::tokens::tests::encode(&json(text), &mut o.tokens, &mut o.nums, &mut o.strings);
                o.spans.extend([start, o.tokens.len() as u32]);
            }
            o
        }

        /// A batch of `rows` whose viewers are these objects.
        fn decide(&self, gate: &Gate, rows: &[u32], strings: &[&str]) -> CompactDecisions {
            self.decide_in_chunks(gate, rows, strings, 1).remove(0)
        }

        /// The same, its rows decided `times` times over by one page, as chunks are.
        fn decide_in_chunks(&self, gate: &Gate, rows: &[u32], strings: &[&str], times: usize) -> Vec<CompactDecisions> {
            let table: Vec<&str> = self.strings.iter().map(String::as_str).collect();
            let max_depth = CompactBatch::object_limits().max_depth;
            let tokens = Tokens { tokens: &self.tokens, nums: &self.nums, strings: &table, max_depth };
            let batch = CompactBatch { rows, strings, tokens, viewers: &self.spans, contexts: &[], facts: &[] };
            let mut page = gate.compact_page(batch);
            (0..times).map(|_| page.decide_rows(rows)).collect()
        }
    }

    /// A compact batch answers like `decide_value`, texts included, and equal message keys
    /// always carry equal texts (so a page may render each key's text once). The policy text
    /// names the policy, so a key without it would be caught.
    #[test]
    fn compact_verdicts_finish_like_single_decisions() {
        let gate = Gate::new(&json(
            r#"{
            "product": "confluence",
            "guestMode": "block-ui",
            "messages": { "en": { "blocked-by-policy": "{policy} blocks {app} here" } },
            "apps": [
                { "key": "a.charts", "name": "Charts", "framework": "connect",
                  "descriptor": { "modules": { "dynamicContentMacros": [{ "key": "chart" }],
                                               "webItems": [{ "key": "item" }] } } },
                { "key": "b.notes", "name": "Notes", "framework": "connect",
                  "descriptor": { "modules": { "dynamicContentMacros": [{ "key": "note" }] } } }
            ],
            "policies": [
                { "id": "p-fin", "name": "Finance lockdown", "spaces": ["FIN"], "appAccess": "block-all" },
                { "id": "p-hr", "name": "HR", "spaces": ["HR"], "appAccess": "block-only", "apps": ["b.notes"] }
            ]
        }"#,
        ))
        .unwrap();
        let strings = ["a.charts", "chart", "item", "b.notes", "note", "FIN", "HR", "ENG", "nope"];
        let viewers = Objects::new(&[r#"{ "type": "licensed" }"#, r#"{ "type": "guest", "guestSpace": "ENG" }"#]);
        // app, module, space (index + 1 into `strings`), viewer (index + 1), no context or facts.
        let mut rows = Vec::new();
        let mut requests = Vec::new();
        for (app, module) in [(1, 2), (1, 3), (4, 5), (4, 2), (9, 2)] {
            for space in [6, 7, 8] {
                for viewer in [1, 2] {
                    rows.extend([app, module, space, viewer, ABSENT, ABSENT]);
                    let name = |i: u32| strings[i as usize - 1];
                    let viewer_json =
                        if viewer == 1 { r#"{"type":"licensed"}"# } else { r#"{"type":"guest","guestSpace":"ENG"}"# };
                    requests.push(json(&format!(
                        r#"{{"viewer":{viewer_json},"app":"{}","module":"{}","space":"{}"}}"#,
                        name(app),
                        name(module),
                        name(space)
                    )));
                }
            }
        }
        let answers = viewers.decide(&gate, &rows, &strings);
        type Key = (crate::Reason, usize, Option<usize>);
        let mut texts: Vec<(Key, Option<String>)> = Vec::new();
        let mut placeholders = 0;
        for (row, request) in answers.rows.iter().zip(&requests) {
            let verdict = answers.distinct[row.expect("every row is fast") as usize].clone();
            if let Some(key) = verdict.message_key() {
                let text = gate.message_of(&verdict);
                match texts.iter().find(|(k, _)| *k == key) {
                    Some((_, seen)) => assert_eq!(*seen, text, "one key, two texts"),
                    None => texts.push((key, text)),
                }
                placeholders += 1;
            }
            assert_eq!(gate.finish(verdict), gate.decide_value(request), "{request:?}");
        }
        // Both placeholder texts (guest and policy, two policies) were reached.
        assert!(placeholders >= 4, "{texts:?}");
        for expected in
            ["Finance lockdown blocks Charts here", "Finance lockdown blocks Notes here", "HR blocks Notes here"]
        {
            assert!(texts.iter().any(|(_, t)| t.as_deref() == Some(expected)), "no {expected:?} in {texts:?}");
        }
    }

    /// One app with two macros, and the string table of its rows: app 1, modules 2 and 3,
    /// space 4.
    fn charts() -> (Gate, [&'static str; 4]) {
        let gate = Gate::new(&json(
            r#"{ "product": "confluence", "apps": [
                { "key": "a.charts", "name": "Charts", "framework": "connect",
                  "descriptor": { "modules": { "dynamicContentMacros": [{ "key": "chart" }, { "key": "pie" }] } } }
            ] }"#,
        ))
        .unwrap();
        (gate, ["a.charts", "chart", "pie", "ENG"])
    }

    /// A row repeated within a page view is decided once, and every row, a view that comes
    /// back after another included, answers like `decide_value`.
    #[test]
    fn rows_repeated_in_a_view_are_decided_once() {
        let (gate, strings) = charts();
        let viewers = Objects::new(&[r#"{ "type": "licensed" }"#, r#"{ "type": "anonymous" }"#]);
        let row = |module: u32, viewer: u32| [1, module, 4, viewer, ABSENT, ABSENT];
        let rows: Vec<u32> = [row(2, 1), row(2, 1), row(3, 1), row(2, 2), row(2, 1)].concat();
        let answers = viewers.decide(&gate, &rows, &strings);
        assert_eq!(answers.rows[..3], [Some(0), Some(0), Some(1)]);
        assert!(answers.distinct.len() <= 4, "{answers:?}");
        for (row, (module, viewer)) in answers.rows.iter().zip([
            ("chart", "licensed"),
            ("chart", "licensed"),
            ("pie", "licensed"),
            ("chart", "anonymous"),
            ("chart", "licensed"),
        ]) {
            let request = json(&format!(
                r#"{{"viewer":{{"type":"{viewer}"}},"app":"a.charts","module":"{module}","space":"ENG"}}"#
            ));
            assert_eq!(gate.finish(answers.distinct[row.unwrap() as usize].clone()), gate.decide_value(&request));
        }
    }

    /// A page decides its rows in chunks, each with its own list of distinct verdicts: a
    /// row that repeats the last row of its module in an earlier chunk is decided again, so
    /// that its index points into its own chunk's list.
    #[test]
    fn chunks_do_not_share_verdict_indices() {
        let (gate, strings) = charts();
        let viewers = Objects::new(&[r#"{ "type": "licensed" }"#]);
        let rows: Vec<u32> = [[1, 3, 4, 1, ABSENT, ABSENT], [1, 2, 4, 1, ABSENT, ABSENT]].concat();
        let request = json(r#"{"viewer":{"type":"licensed"},"app":"a.charts","module":"chart","space":"ENG"}"#);
        for answers in viewers.decide_in_chunks(&gate, &rows, &strings, 2) {
            let chart = answers.rows[1].expect("fast") as usize;
            assert_eq!(answers.distinct.len(), 2, "{answers:?}");
            assert_eq!(gate.finish(answers.distinct[chart].clone()), gate.decide_value(&request));
        }
    }
}
