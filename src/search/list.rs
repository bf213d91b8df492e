//! A list's `/` filter kept from one keystroke to the next, for lists of tens of thousands of
//! rows: what it shows is exactly what [`super::filter_positions`] gives, but a keystroke does
//! only the work its view needs.
//!
//! - Each distinct text of the rows is prepared once (normalized as the matcher reads it, with
//!   bit sets of its letters and of its words' first letters), when the rows are given.
//! - A query typed on is looked for among the rows the last one kept ([`Query::narrows`]).
//! - A text lacking the query's letters is passed over at once; every other text is classed
//!   (exact, words, scattered) without skim, and each distinct text once per keystroke.
//! - The rows are put in order only as far as the view asks ([`ListFilter::settle`]): a row's
//!   place is decided by its best class first, so skim scores only the rows of the classes in
//!   view, and only the texts of the row's best class; within a class, it stops as soon as the
//!   rows in view have skim's highest possible score (that of a text starting with the query).
//! - A query whose skim score can depend on skim's previous call ([`remembers`]) is scored as
//!   `filter_positions` scores it: every text of every row, in turn.

use fuzzy_matcher::FuzzyMatcher;

use super::{holds_in_order, normalize_into, word_iter, words_match, Matcher, Query};

/// See the module's comment.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Every distinct text of the rows, prepared, one after the other.
    arena: String,
    /// Every distinct text of the rows.
    texts: Vec<Text>,
    /// Each row's texts, as indices into `texts`, one row after the other.
    refs: Vec<u32>,
    /// Row `r`'s texts are `refs[ends[r - 1]..ends[r]]` (from 0 for the first).
    ends: Vec<usize>,
    /// What the query `memo_of` found of each text so far.
    memo: Vec<Memo>,
    memo_of: Option<Query>,
    /// The candidates of the filterings in `typed`.
    candidates: Vec<usize>,
    /// The rows each query typed found, each query the one before typed on, the last one's in
    /// view: a backspace goes back to the one before.
    typed: Vec<Found>,
    /// Scratch, one per row: whether the row is among those looked at.
    marks: Vec<bool>,
}

#[derive(Debug, Clone)]
struct Text {
    /// Where it is in the arena.
    start: u32,
    end: u32,
    /// [`letters`] of the whole text.
    letters: u64,
    /// [`letters`] of its words' first bytes.
    initials: u64,
    ascii: bool,
}

/// What the query in hand found of one text: its class (0 for no match) and, once needed, its
/// skim score.
#[derive(Debug, Clone, Copy)]
struct Memo {
    class: Option<u8>,
    fuzzy: Option<Option<i64>>,
}

const UNKNOWN: Memo = Memo {
    class: None,
    fuzzy: None,
};

/// How many queries typed on a backspace can go back through.
const TYPED: usize = 32;

/// The rows one filtering found.
#[derive(Debug, Clone)]
struct Found {
    query: Query,
    /// Every row found. `rows[..sorted]` are in their final order; after that, each class's
    /// rows that are not yet placed, in the list's order, best class first.
    rows: Vec<usize>,
    /// (class, where its rows end in `rows`), best class first.
    classes: Vec<(u8, usize)>,
    sorted: usize,
}

/// FNV-1a: hashing the texts of a list to find the ones it holds twice, quicker than the
/// standard library's hasher for short strings.
#[derive(Default)]
struct Fnv(u64);

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { FNV_START } else { self.0 };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        }
        self.0 = h;
    }
}

impl std::hash::BuildHasher for Fnv {
    type Hasher = Fnv;

    fn build_hasher(&self) -> Fnv {
        Fnv::default()
    }
}

/// The ASCII letters and digits among `bytes` as bits (case ignored), with one more bit for
/// any other ASCII byte and one for any byte past ASCII: a text lacking one of the bits of a
/// query's letters cannot hold them.
fn letters(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0, |m, b| m | BITS[usize::from(b)])
}

/// Each byte's bit in [`letters`].
const BITS: [u64; 256] = {
    let mut bits = [0; 256];
    let mut b = 0;
    while b < 256 {
        let l = (b as u8).to_ascii_lowercase();
        bits[b] = match l {
            b'a'..=b'z' => 1 << (l - b'a'),
            b'0'..=b'9' => 1 << (26 + l - b'0'),
            0x80.. => 1 << 36,
            _ => 1 << 37,
        };
        b += 1;
    }
    bits
};

/// [`letters`] of the first byte of each word.
fn initials(s: &str) -> u64 {
    letters(word_iter(s).map(|w| w.as_bytes()[0]))
}

impl Text {
    /// Text `s`, at `start` in the arena, with its hash: for ASCII, all in one pass.
    fn new(s: &str, start: usize) -> (Text, u64) {
        let mut hash = FNV_START;
        let (mut letters, mut initials, mut in_word, mut ascii) = (0, 0, false, true);
        for &b in s.as_bytes() {
            hash = (hash ^ u64::from(b)).wrapping_mul(FNV_PRIME);
            let bit = BITS[usize::from(b)];
            letters |= bit;
            // For ASCII, a word is a run of letters and digits (char::is_alphanumeric).
            let alnum = b.is_ascii_alphanumeric();
            if alnum && !in_word {
                initials |= bit;
            }
            in_word = alnum;
            ascii &= b.is_ascii();
        }
        if !ascii {
            initials = self::initials(s);
        }
        let text = Text {
            start: start as u32,
            end: (start + s.len()) as u32,
            letters,
            initials,
            ascii,
        };
        (text, hash)
    }
}

/// A query with what the texts are first checked against.
struct Pattern<'a> {
    query: &'a Query,
    letters: u64,
    initials: u64,
    ascii: bool,
    /// No text's skim score is higher (see [`Pattern::new`]).
    highest: i64,
}

impl Pattern<'_> {
    fn new(query: &Query) -> Pattern<'_> {
        Pattern {
            letters: letters(query.key.iter().copied()),
            initials: initials(&query.text),
            ascii: query.text.is_ascii(),
            highest: highest_skim_score(&query.text),
            query,
        }
    }

    /// The text's class, as [`Matcher::score`] classes it; 0 when it does not match.
    fn class(&self, t: &Text, s: &str) -> u8 {
        let q = self.query;
        if t.letters & self.letters != self.letters || !holds_in_order(s.as_bytes(), &q.key) {
            0
        } else if s == q.text {
            3
        } else if t.initials & self.initials == self.initials && words_match(&q.text, s) {
            2
        } else if self.skim_finds(t, s) {
            1
        } else {
            0
        }
    }

    /// True when skim finds the query's characters in the text in order, which is when it
    /// scores it at all (fuzzy-matcher's `cheap_matches`, ASCII case ignored as [`Matcher`]
    /// asks).
    fn skim_finds(&self, t: &Text, s: &str) -> bool {
        let q = self.query.text.as_str();
        if t.ascii && self.ascii {
            return holds_in_order(s.as_bytes(), q.as_bytes());
        }
        let mut rest = s.chars();
        q.chars().all(|p| rest.any(|c| c.eq_ignore_ascii_case(&p)))
    }
}

/// The highest score fuzzy-matcher 0.3's skim (its default scores, case ignored) gives `q` over
/// any prepared text (lower-cased: no ASCII capital, so no camel-case bonus), for a `q` that
/// skim does not score with a memory of its last call (see [`remembers`]); a text starting with
/// `q` reaches it.
///
/// Skim's table has a row per pattern character. The first row scores a match 16, plus the
/// bonus of where it falls (a word's head 8, doubled at the text's start), minus 1: at most 31.
/// Each further row adds 16 to one of two: the row before's score at the character before plus
/// a run bonus (the larger of 4 and the bonus of the character's place, which in a run is fixed
/// by the pattern's character before: 8 after a separator like space or `/`, 7 after other
/// punctuation, else 0; the bonus skim carries along the run is 0 for such a pattern), or the
/// row before's best after a gap (at least 4 less) plus a head bonus (at most 8). So each row
/// adds at most 16 + max(4, that bonus). Cells that skim's two-row table keeps from rows further
/// back hold lower scores, as these bounds rise row by row.
fn highest_skim_score(q: &str) -> i64 {
    let chars: Vec<char> = q.chars().collect();
    if chars.is_empty() {
        return 0;
    }
    let run_bonus = |before: char| match before {
        ' ' | '/' | '\\' | '|' | '(' | ')' | '[' | ']' | '{' | '}' => 8,
        '!'..='\'' | '*'..='.' | ':'..='@' | '^'..='`' | '~' => 7,
        _ => 0,
    };
    31 + chars
        .windows(2)
        .map(|w| 16 + run_bonus(w[0]).max(4))
        .sum::<i64>()
}

/// True when skim's score for `q` may depend on its previous call. fuzzy-matcher 0.3 reuses
/// its score table from call to call, and the bonus of a run is read from a cell that, for the
/// third pattern character on, can hold what an earlier call left: where two equal characters
/// follow each other in the pattern and more come after them ("anna", "aab"). Such a query is
/// scored as [`super::filter_positions`] scores it, every text in turn.
fn remembers(q: &str) -> bool {
    let chars: Vec<char> = q.chars().collect();
    chars.windows(3).any(|w| w[0].eq_ignore_ascii_case(&w[1]))
}

impl ListFilter {
    /// The filter of a list whose row `r` is matched on the texts `rows[r]`.
    /// `rows` rows with no text: what a list's filter stands on until its owner gives it the
    /// texts, before the filter is used; were they missing then, no row would match rather
    /// than a panic.
    pub fn without_texts(rows: usize) -> Self {
        ListFilter::new((0..rows).map(|_| std::iter::empty::<&str>()))
    }

    pub fn new<'a, R: IntoIterator<Item = &'a str>>(rows: impl IntoIterator<Item = R>) -> Self {
        let mut f = ListFilter::default();
        // Each distinct text once: by its hash, and a text whose hash another text has is simply
        // kept twice.
        let mut ids: std::collections::HashMap<u64, u32, Fnv> = Default::default();
        for row in rows {
            for text in row {
                let start = f.arena.len();
                normalize_into(text, &mut f.arena);
                let prepared = &f.arena[start..];
                let (new, hash) = Text::new(prepared, start);
                let id = match ids.get(&hash) {
                    Some(&id) if f.text(id as usize) == prepared => {
                        f.arena.truncate(start);
                        id
                    }
                    seen => {
                        let id = f.texts.len() as u32;
                        f.texts.push(new);
                        if seen.is_none() {
                            ids.insert(hash, id);
                        }
                        id
                    }
                };
                f.refs.push(id);
            }
            f.ends.push(f.refs.len());
        }
        f
    }

    /// Text `id`, prepared.
    fn text(&self, id: usize) -> &str {
        let t = &self.texts[id];
        &self.arena[t.start as usize..t.end as usize]
    }

    /// How many rows the list has.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn texts_of(&self, r: usize) -> std::ops::Range<usize> {
        (if r == 0 { 0 } else { self.ends[r - 1] })..self.ends[r]
    }

    /// Filters the rows `candidates` (rows of this list, in increasing order) with `query`.
    /// The rows found are then [`ListFilter::rows`], put in order as far as
    /// [`ListFilter::settle`] is asked to.
    pub fn filter(&mut self, query: &str, candidates: &[usize]) {
        debug_assert!(candidates.windows(2).all(|w| w[0] < w[1]));
        let query = Query::new(query);
        if self.candidates != candidates {
            self.candidates = candidates.to_vec();
            self.typed.clear();
        }
        // The same query, or one typed before this one (a backspace): its rows are kept.
        if let Some(k) = self.typed.iter().rposition(|f| f.query == query) {
            self.typed.truncate(k + 1);
            return;
        }
        let typed_on = self
            .typed
            .last()
            .is_some_and(|last| query.narrows(&last.query));
        if !typed_on {
            self.typed.clear();
        }
        let found = if query.is_empty() {
            Found {
                rows: self.candidates.clone(),
                classes: vec![(0, self.candidates.len())],
                sorted: self.candidates.len(),
                query,
            }
        } else {
            // The rows to look at, in the list's order.
            let looked_at: Vec<usize> = match self.typed.last() {
                None => self.candidates.clone(),
                Some(last) => {
                    self.marks.clear();
                    self.marks.resize(self.ends.len(), false);
                    for &r in &last.rows {
                        self.marks[r] = true;
                    }
                    self.candidates
                        .iter()
                        .copied()
                        .filter(|&r| self.marks[r])
                        .collect()
                }
            };
            self.found(query, looked_at)
        };
        if self.typed.len() == TYPED {
            self.typed.remove(0);
        }
        self.typed.push(found);
    }

    /// The rows among `looked_at` (in the list's order) that match `query`, not empty.
    fn found(&mut self, query: Query, looked_at: Vec<usize>) -> Found {
        if remembers(&query.text) {
            let rows = self.replay(&query, &looked_at);
            return Found {
                classes: vec![(0, rows.len())],
                sorted: rows.len(),
                rows,
                query,
            };
        }
        self.memo_for(&query);
        let pattern = Pattern::new(&query);
        let mut by_class: [Vec<usize>; 3] = Default::default();
        for r in looked_at {
            let class = self.row_class(&pattern, r);
            if class > 0 {
                by_class[3 - class as usize].push(r);
            }
        }
        let mut rows = Vec::with_capacity(by_class.iter().map(Vec::len).sum());
        let mut classes = Vec::new();
        for (k, found) in by_class.into_iter().enumerate() {
            if !found.is_empty() {
                rows.extend(found);
                classes.push((3 - k as u8, rows.len()));
            }
        }
        Found {
            query,
            rows,
            classes,
            sorted: 0,
        }
    }

    /// Makes `memo` that of `query`.
    fn memo_for(&mut self, query: &Query) {
        if self.memo_of.as_ref() != Some(query) {
            self.memo.clear();
            self.memo.resize(self.texts.len(), UNKNOWN);
            self.memo_of = Some(query.clone());
        }
    }

    /// The rows found by the last filtering, in their final order as far as the last
    /// [`ListFilter::settle`] asked (after that, in no set order).
    pub fn rows(&self) -> &[usize] {
        self.typed.last().map_or(&[], |f| &f.rows)
    }

    /// True when the row found at `pos` is in its final place.
    pub fn is_settled(&self, pos: usize) -> bool {
        self.typed.last().is_none_or(|f| pos < f.sorted)
    }

    /// Puts the first `upto` rows found in their final order (all of them, for `usize::MAX`):
    /// best score first, ties in the list's order. True when it moved any row.
    pub fn settle(&mut self, matcher: &Matcher, upto: usize) -> bool {
        let Some(mut found) = self.typed.pop() else {
            return false;
        };
        let upto = upto.min(found.rows.len());
        let moved = found.sorted < upto;
        if moved {
            self.memo_for(&found.query);
        }
        while found.sorted < upto {
            let start = found.sorted;
            let &(class, end) = found
                .classes
                .iter()
                .find(|c| c.1 > start)
                .expect("a class holds every row");
            let pattern = Pattern::new(&found.query);
            let placed = self.place(
                matcher,
                &pattern,
                class,
                &mut found.rows[start..end],
                upto - start,
            );
            found.sorted += placed;
        }
        self.typed.push(found);
        moved
    }

    /// Puts the best `want` of `rows` (rows of one class not yet placed, in the list's order)
    /// first, in order, keeping the others after them in the list's order; returns how many it
    /// placed. Rows tie in the list's order, so once `want` rows reach skim's highest score
    /// the rows after them cannot pass them, and are not scored.
    fn place(
        &mut self,
        matcher: &Matcher,
        pattern: &Pattern,
        class: u8,
        rows: &mut [usize],
        want: usize,
    ) -> usize {
        let want = want.min(rows.len());
        let mut best: Vec<(i64, usize)> = Vec::new();
        let mut full = 0;
        for (k, &r) in rows.iter().enumerate() {
            let f = self.row_fuzzy(matcher, pattern, class, r);
            best.push((f, k));
            if want < rows.len() && f == pattern.highest {
                full += 1;
                if full == want {
                    break;
                }
            }
        }
        // Best score first, then the list's order (`k` follows it).
        best.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        best.truncate(want);
        let mut chosen = vec![false; rows.len()];
        let mut placed: Vec<usize> = Vec::with_capacity(rows.len());
        for &(_, k) in &best {
            chosen[k] = true;
            placed.push(rows[k]);
        }
        placed.extend(
            rows.iter()
                .enumerate()
                .filter(|(k, _)| !chosen[*k])
                .map(|(_, &r)| r),
        );
        rows.copy_from_slice(&placed);
        want
    }

    /// [`super::filter_positions`] over `rows` (in the list's order) with a new [`Matcher`],
    /// call for call: every text of every row scored in turn, so that skim's memory of its
    /// last call (see [`remembers`]) is what it would be there.
    fn replay(&self, query: &Query, rows: &[usize]) -> Vec<usize> {
        let matcher = Matcher::default();
        let mut scored: Vec<(usize, super::Score)> = rows
            .iter()
            .filter_map(|&r| {
                self.texts_of(r)
                    .filter_map(|k| {
                        let t = self.text(self.refs[k] as usize);
                        // A text without the query's letters in order is not scored by skim,
                        // which then leaves its table alone.
                        holds_in_order(t.as_bytes(), &query.key)
                            .then(|| matcher.score_both_normalized(&query.text, t))
                            .flatten()
                    })
                    .max()
                    .map(|s| (r, s))
            })
            .collect();
        scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.into_iter().map(|(r, _)| r).collect()
    }

    /// A row's best class over its texts (0 when none matches).
    fn row_class(&mut self, pattern: &Pattern, r: usize) -> u8 {
        let mut class = 0;
        for k in self.texts_of(r) {
            class = class.max(self.text_class(pattern, self.refs[k] as usize));
        }
        class
    }

    /// Text `id`'s class (0 when it does not match), through the memo.
    fn text_class(&mut self, pattern: &Pattern, id: usize) -> u8 {
        if let Some(c) = self.memo[id].class {
            return c;
        }
        let c = pattern.class(&self.texts[id], self.text(id));
        self.memo[id].class = Some(c);
        c
    }

    /// A row's skim score: the best over its texts of its best class (exact and word matches
    /// without a skim score count 0, as [`Matcher::score`] counts them).
    fn row_fuzzy(&mut self, matcher: &Matcher, pattern: &Pattern, class: u8, r: usize) -> i64 {
        let mut best = None;
        for k in self.texts_of(r) {
            let id = self.refs[k] as usize;
            if self.text_class(pattern, id) != class {
                continue;
            }
            let f = match self.memo[id].fuzzy {
                Some(f) => f,
                None => {
                    let f = matcher.skim.fuzzy_match(self.text(id), &pattern.query.text);
                    self.memo[id].fuzzy = Some(f);
                    f
                }
            };
            debug_assert!(class >= 2 || f.is_some(), "skim scores what it finds");
            best = best.max(Some(f.unwrap_or(0)));
        }
        best.unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{filter_positions, normalize};
    use proptest::prelude::*;

    fn filter_of(rows: &[Vec<String>]) -> ListFilter {
        ListFilter::new(rows.iter().map(|r| r.iter().map(String::as_str)))
    }

    fn reference(rows: &[Vec<String>], query: &str, candidates: &[usize]) -> Vec<usize> {
        filter_positions(
            &Matcher::default(),
            query,
            candidates
                .iter()
                .map(|&i| (i, rows[i].iter().map(String::as_str).collect())),
        )
    }

    /// Texts with capitals, repeated words, separators and a non-ASCII letter, so that rows
    /// match in every class and often tie.
    fn text() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[abcAB É.@/-]{0,10}").unwrap()
    }

    /// A keystroke: a character typed, or a backspace (None).
    fn keystroke() -> impl Strategy<Value = Option<char>> {
        prop_oneof![
            4 => proptest::sample::select(vec!['a', 'b', 'c', 'é', ' ', '.', '-', 'x'])
                .prop_map(Some),
            1 => Just(None),
        ]
    }

    proptest! {
        #[test]
        fn typed_key_by_key_it_gives_what_filter_positions_gives(
            rows in proptest::collection::vec(proptest::collection::vec(text(), 0..4), 0..40),
            keys in proptest::collection::vec(keystroke(), 1..12),
            some in proptest::collection::vec(any::<bool>(), 40),
            shown in 0usize..8,
        ) {
            let matcher = Matcher::default();
            let mut f = filter_of(&rows);
            let all: Vec<usize> = (0..rows.len()).collect();
            let part: Vec<usize> = all.iter().copied().filter(|&i| some[i]).collect();
            let mut query = String::new();
            for (n, key) in keys.iter().enumerate() {
                match key {
                    Some(c) => query.push(*c),
                    None => {
                        query.pop();
                    }
                }
                // Now and then the candidates change, as the kind tabs change them.
                let candidates = if n % 5 == 4 { &part } else { &all };
                f.filter(&query, candidates);
                let want = reference(&rows, &query, candidates);
                prop_assert_eq!(f.rows().len(), want.len(), "{:?}", query);
                // Put in order only as far as asked: that far it is right already.
                f.settle(&matcher, shown);
                let k = shown.min(want.len());
                prop_assert_eq!(&f.rows()[..k], &want[..k], "{:?} first {}", query, k);
                f.settle(&matcher, usize::MAX);
                prop_assert_eq!(f.rows(), &want[..], "{:?}", query);
            }
        }

        #[test]
        fn no_text_scores_past_the_highest_score(
            texts in proptest::collection::vec(text(), 1..30),
            query in "[abcé .@/-]{1,6}",
        ) {
            // One matcher for all, as skim keeps what its last call left in its table.
            let m = Matcher::default();
            let q = normalize(&query);
            if remembers(&q) {
                // Scored every text in turn: the bound is not used.
                return Ok(());
            }
            for t in &texts {
                if let Some(f) = m.skim.fuzzy_match(&normalize(t), &q) {
                    prop_assert!(f <= highest_skim_score(&q), "{t:?} {q:?} {f}");
                }
            }
        }

        #[test]
        fn normalize_into_appends_what_normalize_gives(s in "[aB \t\r\n\u{b}\u{c}.É]{0,12}") {
            let mut out = String::from("x");
            normalize_into(&s, &mut out);
            prop_assert_eq!(&out[1..], normalize(&s));
        }
    }

    #[test]
    fn texts_starting_with_a_short_query_reach_the_highest_score() {
        let m = Matcher::default();
        for (text, q) in [
            ("acme", "a"),
            ("contact@acme.com", "co"),
            ("no", "no"),
            ("contact@acme.com", "contact@a"),
            ("ab c/d-e", "ab c/d-e"),
        ] {
            let f = m.skim.fuzzy_match(text, q);
            assert_eq!(f, Some(highest_skim_score(q)), "{text} {q}");
        }
    }

    #[test]
    fn a_query_without_a_word_is_not_narrowed() {
        // "-a" matches "a b" by its word alone; "-" does not match it at all.
        let rows = vec![vec!["a b".to_string()], vec!["-a".to_string()]];
        let mut f = filter_of(&rows);
        let all = [0, 1];
        f.filter("-", &all);
        assert_eq!(f.rows(), [1]);
        f.filter("-a", &all);
        f.settle(&Matcher::default(), usize::MAX);
        assert_eq!(f.rows(), &reference(&rows, "-a", &all)[..]);
        assert_eq!(f.rows().len(), 2);
    }

    #[test]
    fn the_same_text_in_many_rows_is_kept_once() {
        let rows: Vec<Vec<String>> = (0..100)
            .map(|i| vec![format!("Name {i}"), "Retail".to_string()])
            .collect();
        let f = filter_of(&rows);
        assert_eq!(f.len(), 100);
        assert_eq!(f.texts.len(), 101);
    }
}
