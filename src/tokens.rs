//! Values encoded as tokens: the form in which a page batch's shared objects (and a single
//! value, such as a config) cross from JS into wasm.
//!
//! A value is a run of token pairs `(kind, payload)`: `null`, `false`, `true`, a number
//! (payload: index into the numbers), a string (payload: index + 1 into the strings), an
//! array (payload: item count, the items follow) or an object (payload: entry count, then
//! per entry a string token for the key and the value's tokens). Every pair counts one node,
//! the way [`crate::Limits`] counts them.
//!
//! Viewers, contexts and facts are read straight from their tokens when they are valid and
//! plain ([`Tokens::viewer`], [`Tokens::context`], [`Tokens::facts`]); anything else is
//! decoded into a [`Value`] for the ordinary readers, which name the problem.
//!
//! **Invariant:** a direct read gives exactly what decoding and the ordinary reader give
//! (`tests` compare them on generated input), or `None`.

use crate::model::{Viewer, ViewerType};
use crate::read::check_key;
use crate::request::{Context, CONTEXT_FIELDS, VIEWER_FIELDS};
use crate::{Diagnostics, Path, Value};

pub const T_NULL: u32 = 0;
pub const T_FALSE: u32 = 1;
pub const T_TRUE: u32 = 2;
pub const T_NUM: u32 = 3;
pub const T_STR: u32 = 4;
pub const T_ARR: u32 = 5;
pub const T_OBJ: u32 = 6;

/// Encoded values: token pairs, and the numbers and strings they refer to.
#[derive(Debug, Clone, Copy)]
pub struct Tokens<'a> {
    pub tokens: &'a [u32],
    pub nums: &'a [f64],
    pub strings: &'a [&'a str],
    /// Containers may start at depths below this (the reader's limit).
    pub max_depth: usize,
}

/// A cursor over the token pairs of one value.
struct Cursor<'t, 'a> {
    t: &'t Tokens<'a>,
    at: usize,
}

impl<'a> Cursor<'_, 'a> {
    fn next(&mut self) -> Option<(u32, u32)> {
        let pair = (*self.t.tokens.get(self.at)?, *self.t.tokens.get(self.at + 1)?);
        self.at += 2;
        Some(pair)
    }

    /// The next token, which must be a string.
    fn str(&mut self) -> Option<&'a str> {
        match self.next()? {
            (T_STR, id) => self.t.str(id),
            _ => None,
        }
    }

    /// The next key, as its index in `fields`; `None` for an unknown key, or a key already
    /// in `seen` (with a repeated key, which one counts is the ordinary reader's call).
    fn field(&mut self, fields: &[&str], seen: &mut u32) -> Option<usize> {
        let name = self.str()?;
        let i = fields.iter().position(|f| *f == name)?;
        if *seen & 1 << i != 0 {
            return None;
        }
        *seen |= 1 << i;
        Some(i)
    }

    /// The next value, as an optional string (`null` is absent).
    fn str_opt(&mut self) -> Option<Option<&'a str>> {
        match self.next()? {
            (T_STR, id) => self.t.str(id).map(Some),
            (T_NULL, _) => Some(None),
            _ => None,
        }
    }

    /// The next value, as an optional boolean (`null` is absent).
    fn bool_opt(&mut self) -> Option<Option<bool>> {
        match self.next()? {
            (T_TRUE, _) => Some(Some(true)),
            (T_FALSE, _) => Some(Some(false)),
            (T_NULL, _) => Some(None),
            _ => None,
        }
    }
}

/// A usable key (what the ordinary reader's key check accepts).
fn key(s: &str) -> Option<&str> {
    check_key(s, Path::root, &mut Diagnostics::default())
}

impl<'a> Tokens<'a> {
    fn str(&self, id: u32) -> Option<&'a str> {
        self.strings.get((id as usize).checked_sub(1)?).copied()
    }

    /// One value from `at`; its nodes are counted like the reader's limits count them.
    fn value(&self, at: &mut usize, depth: usize, nodes: &mut usize) -> Option<Value> {
        let kind = *self.tokens.get(*at)?;
        let payload = *self.tokens.get(*at + 1)?;
        *at += 2;
        *nodes += 1;
        Some(match kind {
            T_NULL => Value::Null,
            T_FALSE => Value::Bool(false),
            T_TRUE => Value::Bool(true),
            T_NUM => Value::Number(*self.nums.get(payload as usize)?),
            T_STR => Value::String(self.str(payload)?.to_owned()),
            T_ARR if depth < self.max_depth => {
                let mut items = Vec::with_capacity((payload as usize).min(1024));
                for _ in 0..payload {
                    items.push(self.value(at, depth + 1, nodes)?);
                }
                Value::Array(items)
            }
            T_OBJ if depth < self.max_depth => {
                let mut entries = Vec::with_capacity((payload as usize).min(1024));
                for _ in 0..payload {
                    let (kind, id) = (*self.tokens.get(*at)?, *self.tokens.get(*at + 1)?);
                    *at += 2;
                    *nodes += 1;
                    if kind != T_STR {
                        return None;
                    }
                    entries.push((self.str(id)?.to_owned(), self.value(at, depth + 1, nodes)?));
                }
                Value::Object(entries)
            }
            _ => return None,
        })
    }

    /// The value in `[start, end)` and its node count, if the tokens are exactly one value.
    pub fn decode(&self, start: usize, end: usize) -> Option<(Value, usize)> {
        let mut at = start;
        let mut nodes = 0;
        let v = self.value(&mut at, 0, &mut nodes)?;
        (at == end).then_some((v, nodes))
    }

    /// The entries of the object in `[start, end)`: a cursor at the first key, the entry
    /// count, and the object's node count (one per token pair).
    fn object(&self, start: usize, end: usize) -> Option<(Cursor<'_, 'a>, u32, usize)> {
        let mut c = Cursor { t: self, at: start };
        match c.next()? {
            (T_OBJ, n) if end >= start && self.max_depth > 0 => Some((c, n, (end - start) / 2)),
            _ => None,
        }
    }

    /// A viewer read straight from its tokens, with its node count; `None` when it is not
    /// plainly valid (then the ordinary reader reads it and names the problem).
    pub fn viewer(&self, start: usize, end: usize) -> Option<(Viewer, usize)> {
        let (mut c, n, nodes) = self.object(start, end)?;
        let mut v = Viewer::new(ViewerType::Licensed);
        let mut kind = None;
        // guestSpace, guestProject.
        let mut guest = [None, None];
        let mut seen = 0;
        for _ in 0..n {
            let i = c.field(&VIEWER_FIELDS, &mut seen)?;
            match i {
                0 => {
                    kind = match c.str_opt()? {
                        Some(s) => Some(ViewerType::from_index(ViewerType::NAMES.iter().position(|t| *t == s)?)),
                        None => None,
                    }
                }
                1 => v.account_id = c.str_opt()?.map(str::to_owned),
                2 | 3 => {
                    let slot = guest.get_mut(i - 2)?;
                    *slot = match c.str_opt()? {
                        Some(s) => Some(key(s)?),
                        None => None,
                    };
                }
                4 => v.site_admin = c.bool_opt()?.unwrap_or(false),
                5 => v.product_admin = c.bool_opt()?.unwrap_or(false),
                6 => v.space_admin = c.bool_opt()?.unwrap_or(false),
                _ => {
                    v.permissions = match c.next()? {
                        (T_NULL, _) => None,
                        (T_ARR, len) if self.max_depth > 1 => {
                            let mut out = Vec::with_capacity((len as usize).min(64));
                            for _ in 0..len {
                                out.push(key(c.str()?)?.to_owned());
                            }
                            Some(out)
                        }
                        _ => return None,
                    }
                }
            }
        }
        if c.at != end {
            return None;
        }
        v.kind = kind?;
        v.guest_space = match guest {
            [Some(a), Some(b)] if a != b => return None,
            [a, b] => a.or(b).map(str::to_owned),
        };
        Some((v, nodes))
    }

    /// A context read straight from its tokens, with its node count; `None` when it is not
    /// plainly valid.
    pub fn context(&self, start: usize, end: usize) -> Option<(Context, usize)> {
        let (mut c, n, nodes) = self.object(start, end)?;
        let mut ctx = Context::default();
        let mut seen = 0;
        for _ in 0..n {
            let slot = match c.field(&CONTEXT_FIELDS, &mut seen)? {
                0 => &mut ctx.issue_type,
                1 => &mut ctx.issue_key,
                2 => &mut ctx.project_type,
                3 => &mut ctx.content_type,
                _ => {
                    match c.next()? {
                        (T_NULL, _) => {}
                        (T_OBJ, entities) if self.max_depth > 1 => {
                            for _ in 0..entities {
                                let entity = c.str()?;
                                match c.next()? {
                                    (T_NULL, _) => {}
                                    (T_OBJ, count) if self.max_depth > 2 => {
                                        let mut props = Vec::with_capacity((count as usize).min(64));
                                        for _ in 0..count {
                                            let k = c.str()?.to_owned();
                                            props.push((k, self.value(&mut c.at, 3, &mut 0)?));
                                        }
                                        ctx.properties.push((entity.to_owned(), props));
                                    }
                                    _ => return None,
                                }
                            }
                        }
                        _ => return None,
                    }
                    continue;
                }
            };
            *slot = c.str_opt()?.map(str::to_owned);
        }
        (c.at == end).then_some((ctx, nodes))
    }

    /// Facts read straight from their tokens, with their node count; `None` when they are
    /// not plainly valid.
    pub fn facts(&self, start: usize, end: usize) -> Option<(Vec<(&'a str, bool)>, usize)> {
        let (mut c, n, nodes) = self.object(start, end)?;
        let mut out = Vec::with_capacity((n as usize).min(64));
        for _ in 0..n {
            let name = c.str()?;
            if let Some(b) = c.bool_opt()? {
                out.push((name, b));
            }
        }
        (c.at == end).then_some((out, nodes))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::request::read_context;

    /// Encodes `v` the way `batch.js` does, appending to `tokens`, `nums` and `strings`
    /// (each string gets its own entry: ids need not be distinct).
    pub fn encode(v: &Value, tokens: &mut Vec<u32>, nums: &mut Vec<f64>, strings: &mut Vec<String>) {
        fn string(s: &str, tokens: &mut Vec<u32>, strings: &mut Vec<String>) {
            strings.push(s.to_owned());
            tokens.extend([T_STR, strings.len() as u32]);
        }
        match v {
            Value::Null => tokens.extend([T_NULL, 0]),
            Value::Bool(false) => tokens.extend([T_FALSE, 0]),
            Value::Bool(true) => tokens.extend([T_TRUE, 0]),
            Value::Number(n) => {
                nums.push(*n);
                tokens.extend([T_NUM, nums.len() as u32 - 1]);
            }
            Value::String(s) => string(s, tokens, strings),
            Value::Array(items) => {
                tokens.extend([T_ARR, items.len() as u32]);
                for item in items {
                    encode(item, tokens, nums, strings);
                }
            }
            Value::Object(entries) => {
                tokens.extend([T_OBJ, entries.len() as u32]);
                for (k, item) in entries {
                    string(k, tokens, strings);
                    encode(item, tokens, nums, strings);
                }
            }
        }
    }

    /// The tokens of `v` as a reader with the batch's object limits.
    fn read<T>(v: &Value, f: impl FnOnce(&Tokens<'_>, usize) -> T) -> T {
        let (mut tokens, mut nums, mut strings) = (Vec::new(), Vec::new(), Vec::new());
        encode(v, &mut tokens, &mut nums, &mut strings);
        let strings: Vec<&str> = strings.iter().map(String::as_str).collect();
        let max_depth = crate::CompactBatch::object_limits().max_depth;
        f(&Tokens { tokens: &tokens, nums: &nums, strings: &strings, max_depth }, tokens.len())
    }

    /// What the ordinary path makes of the same tokens: decode, then read without errors.
    fn slow<T>(v: &Value, reader: impl FnOnce(&Value, &Path, &mut Diagnostics) -> Option<T>) -> Option<(T, usize)> {
        let (decoded, nodes) = read(v, |t, end| t.decode(0, end))?;
        let mut diags = Diagnostics::default();
        reader(&decoded, &Path::root(), &mut diags).filter(|_| !diags.has_errors()).map(|x| (x, nodes))
    }

    fn json(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    /// Property values nested up to the object limits' depth are read directly, one level
    /// more is left to the reader (which rejects it), like decoding.
    #[test]
    fn context_depth_is_limited_like_decoding() {
        let max = crate::CompactBatch::object_limits().max_depth;
        for depth in max - 4..=max + 1 {
            // `properties.page.k` sits at depth 3; below it, `depth - 3` nested arrays.
            let nested = (3..depth).fold(json("1"), |v, _| Value::Array(vec![v]));
            let v = Value::Object(vec![(
                "properties".into(),
                Value::Object(vec![("page".into(), Value::Object(vec![("k".into(), nested)]))]),
            )]);
            let fast = read(&v, |t, end| t.context(0, end));
            assert_eq!(fast, slow(&v, read_context), "depth {depth}");
            assert_eq!(fast.is_some(), depth <= max, "depth {depth}");
        }
    }

    /// A span must hold exactly one value: trailing tokens make each reader decline, like
    /// decoding.
    #[test]
    fn spans_with_trailing_tokens_are_not_read() {
        type Reader = fn(&Tokens<'_>, usize, usize) -> bool;
        let cases: [(&str, Reader); 3] = [
            (r#"{"type":"licensed"}"#, |t, s, e| t.viewer(s, e).is_some()),
            (r#"{"issueType":"Bug"}"#, |t, s, e| t.context(s, e).is_some()),
            (r#"{"a":true}"#, |t, s, e| t.facts(s, e).is_some()),
        ];
        for (text, reads) in cases {
            let (mut tokens, mut nums, mut strings) = (Vec::new(), Vec::new(), Vec::new());
            encode(&json(text), &mut tokens, &mut nums, &mut strings);
            let end = tokens.len();
            tokens.extend([T_TRUE, 0]);
            let strings: Vec<&str> = strings.iter().map(String::as_str).collect();
            let t = Tokens { tokens: &tokens, nums: &nums, strings: &strings, max_depth: 15 };
            assert!(t.decode(0, end).is_some() && reads(&t, 0, end), "{text}");
            assert!(t.decode(0, end + 2).is_none() && !reads(&t, 0, end + 2), "{text}");
        }
        let facts = json(r#"{"a":true}"#);
        assert_eq!(read(&facts, |t, end| t.facts(0, end).map(|(f, n)| (f == [("a", true)], n))), Some((true, 3)));
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod generated {
        use super::*;
        use crate::request::read_facts;
        use proptest::prelude::*;
        use proptest::strategy::ValueTree;

        fn repeats_a_key(v: &Value) -> bool {
            let Value::Object(entries) = v else { return false };
            entries.iter().enumerate().any(|(i, (k, _))| entries.iter().skip(i + 1).any(|(k2, _)| k == k2))
        }

        fn text() -> impl Strategy<Value = String> {
            prop_oneof![
                Just("licensed"),
                Just("guest"),
                Just("anonymous"),
                Just("customer"),
                Just("Licensed"),
                Just("ENG"),
                Just("DOCS"),
                Just(""),
                Just("  "),
                Just("VIEWSPACE"),
                Just("acme-status"),
            ]
            .prop_map(str::to_owned)
            .boxed()
            .prop_union(Just("x".repeat(300)).boxed())
        }

        /// Any value, nested up to a little past the object limits' depth.
        fn any_value() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                (-3i32..3).prop_map(|n| Value::Number(f64::from(n) / 2.0)),
                text().prop_map(Value::String),
            ];
            leaf.prop_recursive(18, 64, 3, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                    prop::collection::vec((text(), inner), 0..3).prop_map(Value::Object),
                ]
            })
        }

        /// An object: sometimes a first entry from `base`, then entries with keys from `keys`
        /// (now and then an unknown one) and values from `value`.
        fn object_of(
            base: BoxedStrategy<Option<(String, Value)>>,
            keys: &'static [&'static str],
            value: BoxedStrategy<Value>,
        ) -> impl Strategy<Value = Value> {
            let key =
                prop_oneof![12 => prop::sample::select(keys).prop_map(str::to_owned), 1 => Just("other".to_owned())];
            (base, prop::collection::vec((key, value), 0..5))
                .prop_map(|(first, rest)| Value::Object(first.into_iter().chain(rest).collect()))
        }

        fn viewer_type() -> BoxedStrategy<Option<(String, Value)>> {
            prop_oneof![
                8 => prop::sample::select(&crate::model::ViewerType::NAMES[..])
                    .prop_map(|t| Some(("type".to_owned(), Value::String(t.to_owned())))),
                1 => Just(None),
                1 => any_value().prop_map(|v| Some(("type".to_owned(), v))),
            ]
            .boxed()
        }

        fn viewer_value() -> BoxedStrategy<Value> {
            prop_oneof![
                4 => text().prop_map(Value::String),
                3 => any::<bool>().prop_map(Value::Bool),
                1 => Just(Value::Null),
                3 => prop::collection::vec(prop_oneof![8 => text().prop_map(Value::String), 1 => any_value()], 0..4)
                    .prop_map(Value::Array),
                1 => any_value(),
            ]
            .boxed()
        }

        fn properties() -> BoxedStrategy<Value> {
            let entity = prop_oneof![
                1 => Just(Value::Null),
                6 => prop::collection::vec((text(), any_value()), 0..3).prop_map(Value::Object),
                1 => any_value(),
            ];
            prop_oneof![
                6 => prop::collection::vec((text(), entity), 0..3).prop_map(Value::Object),
                1 => any_value(),
            ]
            .boxed()
        }

        const VIEWER_KEYS: &[&str] =
            &["accountId", "guestSpace", "guestProject", "siteAdmin", "productAdmin", "spaceAdmin", "permissions"];
        const CONTEXT_KEYS: &[&str] = &["issueType", "issueKey", "projectType", "contentType", "properties"];
        const FACT_NAMES: &[&str] = &["addon_is_licensed", "user_is_admin", "notesEnabled"];

        /// Runs `check` on `cases` objects drawn from `objects`: a direct read must equal
        /// decoding plus the ordinary reader whenever it reads anything, and whenever no
        /// key repeats. Returns how many objects were read directly.
        fn compare<T: PartialEq + std::fmt::Debug>(
            objects: impl Strategy<Value = Value>,
            direct: impl Fn(&Tokens<'_>, usize) -> Option<(T, usize)>,
            reader: impl Fn(&Value, &Path, &mut Diagnostics) -> Option<T>,
        ) -> usize {
            let mut runner = proptest::test_runner::TestRunner::deterministic();
            let mut direct_reads = 0;
            for _ in 0..4096 {
                let v = objects.new_tree(&mut runner).unwrap().current();
                let fast = read(&v, &direct);
                let slow = slow(&v, &reader);
                if fast.is_some() || !repeats_a_key(&v) {
                    assert_eq!(fast, slow, "{v:?}");
                }
                direct_reads += usize::from(fast.is_some());
            }
            direct_reads
        }

        /// Direct reads agree with the ordinary reader, and take a good share of the
        /// generated objects (so the comparison covers them).
        #[test]
        fn viewers_read_from_tokens_like_the_reader() {
            let n = compare(
                object_of(viewer_type(), VIEWER_KEYS, viewer_value()),
                |t, end| t.viewer(0, end),
                crate::request::read_viewer,
            );
            assert!(n > 600, "only {n} of 4096 viewers were read directly");
        }

        #[test]
        fn contexts_read_from_tokens_like_the_reader() {
            let value = prop_oneof![3 => text().prop_map(Value::String), 1 => Just(Value::Null), 3 => properties(), 1 => any_value()];
            let n = compare(
                object_of(Just(None).boxed(), CONTEXT_KEYS, value.boxed()),
                |t, end| t.context(0, end),
                read_context,
            );
            assert!(n > 600, "only {n} of 4096 contexts were read directly");
        }

        #[test]
        fn facts_read_from_tokens_like_the_reader() {
            let value = prop_oneof![6 => any::<bool>().prop_map(Value::Bool), 1 => Just(Value::Null), 1 => any_value()];
            let n = compare(
                object_of(Just(None).boxed(), FACT_NAMES, value.boxed()),
                |t, end| t.facts(0, end).map(|(f, n)| (f.into_iter().map(|(k, b)| (k.to_owned(), b)).collect(), n)),
                read_facts,
            );
            assert!(n > 600, "only {n} of 4096 facts were read directly");
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1024))]

            /// Anything that is not an object is never read directly.
            #[test]
            fn non_objects_are_left_to_the_reader(v in any_value()) {
                if !matches!(v, Value::Object(_)) {
                    prop_assert!(read(&v, |t, end| t.viewer(0, end)).is_none());
                    prop_assert!(read(&v, |t, end| t.context(0, end)).is_none());
                    prop_assert!(read(&v, |t, end| t.facts(0, end).is_none()));
                }
            }
        }
    }
}
