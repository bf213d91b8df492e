//! Fuzzy matching and ranking, shared by the command line and the TUI.
//!
//! Skim's algorithm alone ranks "Director" for the query "cto" (d-i-r-e-c-t-o-r), which is not
//! what someone asking for "all the CTOs" wants. So a match is first classed: the exact title (or
//! one of its aliases), then every query word starting a word of the title in order, and only
//! then a scattered fuzzy match. When any title matches at word level, scattered matches are left
//! out; they are shown only when nothing better exists, to forgive a typo.

mod list;
pub mod scoped;

pub use list::ListFilter;

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use std::collections::BTreeMap;

/// How well a query matches a text, comparable: higher is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Score {
    /// 3 exact, 2 words, 1 scattered, 0 the empty query.
    pub class: u8,
    pub fuzzy: i64,
}

impl Score {
    pub fn is_strong(self) -> bool {
        self.class >= 2
    }
}

pub struct Matcher {
    skim: SkimMatcherV2,
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher {
            skim: SkimMatcherV2::default().ignore_case(),
        }
    }
}

fn normalize(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// True when an ASCII text's spaces need [`normalize`]'s work: a space at either end, one
/// doubled, or other whitespace (char::is_whitespace, for ASCII: tab to carriage return).
fn needs_spacing(b: &[u8]) -> bool {
    b.first() == Some(&b' ')
        || b.last() == Some(&b' ')
        || b.windows(2).any(|w| w == b"  ")
        || b.iter().any(|&c| (b'\t'..=b'\r').contains(&c))
}

/// Appends [`normalize`]`(s)` to `out`: for ASCII, with no allocation of its own.
fn normalize_into(s: &str, out: &mut String) {
    if !s.is_ascii() {
        out.push_str(&normalize(s));
        return;
    }
    let start = out.len();
    if needs_spacing(s.as_bytes()) {
        for word in s.split_whitespace() {
            if out.len() > start {
                out.push(' ');
            }
            out.push_str(word);
        }
    } else {
        out.push_str(s);
    }
    out[start..].make_ascii_lowercase();
}

/// [`normalize`], without a copy for the common text that is already lower-case ASCII with
/// single spaces.
fn normalized(s: &str) -> std::borrow::Cow<'_, str> {
    let b = s.as_bytes();
    if s.is_ascii() && !b.iter().any(u8::is_ascii_uppercase) && !needs_spacing(b) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    std::borrow::Cow::Owned(out)
}

/// The words of a text as the matcher reads them: runs of letters and digits.
pub fn words(s: &str) -> Vec<&str> {
    word_iter(s).collect()
}

/// [`words`], as an iterator.
fn word_iter(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// True when each query word starts a word of `text`, in order.
fn words_match(query: &str, text: &str) -> bool {
    let mut q = word_iter(query).peekable();
    if q.peek().is_none() {
        return false;
    }
    let mut t = word_iter(text);
    q.all(|qw| t.any(|tw| tw.starts_with(qw)))
}

/// True when `needle`'s bytes occur in `hay` in order (ASCII case ignored, as skim does).
fn holds_in_order(hay: &[u8], needle: &[u8]) -> bool {
    let mut rest = hay.iter();
    needle
        .iter()
        .all(|n| rest.any(|h| h.eq_ignore_ascii_case(n)))
}

impl Matcher {
    /// Scores `text` against `query` (both compared ignoring case); `None` when it does not
    /// match at all. An empty query matches everything, equally.
    pub fn score(&self, query: &str, text: &str) -> Option<Score> {
        self.score_normalized(&normalize(query), text)
    }

    /// [`Matcher::score`] for a query already normalized.
    fn score_normalized(&self, q: &str, text: &str) -> Option<Score> {
        if q.is_empty() {
            return Some(Score { class: 0, fuzzy: 0 });
        }
        self.score_both_normalized(q, &normalized(text))
    }

    /// [`Matcher::score`] for a query and a text both already normalized, the query not empty.
    fn score_both_normalized(&self, q: &str, t: &str) -> Option<Score> {
        let fuzzy = self.skim.fuzzy_match(t, q);
        if t == q {
            return Some(Score {
                class: 3,
                fuzzy: fuzzy.unwrap_or(0),
            });
        }
        if words_match(q, t) {
            return Some(Score {
                class: 2,
                fuzzy: fuzzy.unwrap_or(0),
            });
        }
        fuzzy.map(|f| Score { class: 1, fuzzy: f })
    }

    /// The best score of `query` over several texts (a record's name, email, title, ...).
    pub fn best<'a>(&self, query: &str, texts: impl IntoIterator<Item = &'a str>) -> Option<Score> {
        let q = normalize(query);
        texts
            .into_iter()
            .filter_map(|t| self.score_normalized(&q, t))
            .max()
    }
}

/// The positions of the candidates that match `query` on any of their texts, best first (ties
/// keep their order); for an empty query, all of them in their order. What every `/` filter of
/// a list does.
pub fn filter_positions<'a>(
    matcher: &Matcher,
    query: &str,
    candidates: impl IntoIterator<Item = (usize, Vec<&'a str>)>,
) -> Vec<usize> {
    let q = query.trim();
    if q.is_empty() {
        return candidates.into_iter().map(|(i, _)| i).collect();
    }
    let mut scored: Vec<(usize, Score)> = candidates
        .into_iter()
        .filter_map(|(i, texts)| matcher.best(q, texts).map(|s| (i, s)))
        .collect();
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.into_iter().map(|(i, _)| i).collect()
}

/// A query as the matcher reads it, prepared once for all the texts it is matched against.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Query {
    text: String,
    /// The letters and digits of its words, run together. Whenever a text matches at all, it
    /// holds these bytes in this order: a scattered or exact match holds every character of the
    /// query in order, and a match by words holds each word, in order. A text without them is
    /// passed over before any scoring.
    key: Box<[u8]>,
}

impl Query {
    fn new(query: &str) -> Query {
        let text = normalize(query);
        let key = word_iter(&text).collect::<String>().into_bytes().into();
        Query { text, key }
    }

    /// True for a query of nothing but spaces: it matches everything, equally.
    fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// True when every text matching `self` matches `shorter` too, so that `self`'s matches need
    /// only be looked for among `shorter`'s: when `self` is `shorter` typed on. A scattered
    /// match of `self` (its characters in order) holds `shorter`'s too, and so does an exact
    /// one; a match by words has each word of `self` start a word of the text, in order, and
    /// `shorter`'s words are those words, the last one perhaps cut short, so they start the
    /// same words. The one exception is a `shorter` with no word at all ("-"), which no match by
    /// words can serve; its matches are not narrowed.
    fn narrows(&self, shorter: &Query) -> bool {
        !shorter.key.is_empty() && self.text.starts_with(&shorter.text)
    }
}

/// Ranks titles against a query, counting title aliases from the config.
pub struct TitleSearch {
    matcher: Matcher,
    /// Lower-cased title -> every name it goes by (itself included).
    names: BTreeMap<String, Vec<String>>,
}

impl TitleSearch {
    /// `aliases` maps a title to its other names, as in the config's `[titles.aliases]`.
    pub fn new(aliases: &BTreeMap<String, Vec<String>>) -> TitleSearch {
        let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (title, others) in aliases {
            let mut group: Vec<String> = std::iter::once(title)
                .chain(others)
                .map(|s| normalize(s))
                .collect();
            group.dedup();
            for member in &group {
                let entry = names.entry(member.clone()).or_default();
                for g in &group {
                    if !entry.contains(g) {
                        entry.push(g.clone());
                    }
                }
            }
        }
        TitleSearch {
            matcher: Matcher::default(),
            names,
        }
    }

    /// The score of one title: its best over the title and its aliases.
    pub fn score(&self, query: &str, title: &str) -> Option<Score> {
        let key = normalize(title);
        let own = self.matcher.score(query, title);
        let aliased = self
            .names
            .get(&key)
            .and_then(|names| self.matcher.best(query, names.iter().map(String::as_str)));
        own.max(aliased)
    }

    /// The titles that match, best first: strong matches only when there are any (see the
    /// module's comment).
    pub fn rank<'a>(
        &self,
        query: &str,
        titles: impl IntoIterator<Item = &'a str>,
    ) -> Vec<(&'a str, Score)> {
        let mut found: Vec<(&str, Score)> = titles
            .into_iter()
            .filter_map(|t| self.score(query, t).map(|s| (t, s)))
            .collect();
        keep_strong(&mut found);
        found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        found
    }
}

/// The rule of the module's comment, for every ranked list: when anything matches strongly, the
/// weak (scattered) matches go; when nothing does, they all stay, to forgive a typo.
pub fn keep_strong<T>(found: &mut Vec<(T, Score)>) {
    if found.iter().any(|(_, s)| s.is_strong()) {
        found.retain(|(_, s)| s.is_strong());
    }
}

/// Titles already in use that fit what is `typed` in a title field, best first, at most
/// `limit`; the typed title itself is left out, since suggesting it again helps nobody. With
/// nothing typed, every title, in the order given.
pub fn suggestions(matcher: &Matcher, typed: &str, titles: &[String], limit: usize) -> Vec<String> {
    let mut found: Vec<(&String, Score)> = titles
        .iter()
        .filter(|t| !t.eq_ignore_ascii_case(typed.trim()))
        .filter_map(|t| matcher.score(typed, t).map(|s| (t, s)))
        .collect();
    keep_strong(&mut found);
    // Stable, so equal scores (all of them, for an empty field) keep the titles' order.
    found.sort_by_key(|f| std::cmp::Reverse(f.1));
    found
        .into_iter()
        .take(limit)
        .map(|(t, _)| t.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::TitlesConfig;

    fn search() -> TitleSearch {
        TitleSearch::new(&TitlesConfig::default().aliases)
    }

    #[test]
    fn cto_finds_ctos_and_their_aliases_not_directors() {
        let titles = [
            "Director of Sales",
            "CTO",
            "Chief Technology Officer",
            "CTO & Co-founder",
            "IT Director",
            "CEO",
        ];
        let ranked: Vec<&str> = search()
            .rank("cto", titles)
            .into_iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(
            ranked[..2]
                .iter()
                .filter(|t| ["CTO", "Chief Technology Officer"].contains(t))
                .count(),
            2
        );
        assert!(ranked.contains(&"CTO & Co-founder"));
        assert!(!ranked.contains(&"Director of Sales"));
        assert!(!ranked.contains(&"IT Director"));
        assert!(!ranked.contains(&"CEO"));
    }

    #[test]
    fn the_long_form_finds_the_short_one() {
        let ranked = search().rank("chief technology officer", ["CTO", "CFO"]);
        assert_eq!(ranked.len(), 1);
        assert_eq!(ranked[0].0, "CTO");
    }

    #[test]
    fn words_in_order_are_strong_and_typos_fall_back_to_fuzzy() {
        let s = search();
        let ranked = s.rank("vp eng", ["VP of Engineering", "VP Sales", "Engineer"]);
        assert_eq!(
            ranked.iter().map(|r| r.0).collect::<Vec<_>>(),
            ["VP of Engineering"]
        );
        let ranked = s.rank("engnr", ["Software Engineer", "Buyer"]);
        assert_eq!(
            ranked.iter().map(|r| r.0).collect::<Vec<_>>(),
            ["Software Engineer"]
        );
    }

    #[test]
    fn empty_query_matches_everything() {
        assert_eq!(search().rank("", ["A", "B"]).len(), 2);
    }

    fn score(class: u8, fuzzy: i64) -> Score {
        Score { class, fuzzy }
    }

    #[test]
    fn keep_strong_drops_weak_matches_only_when_a_strong_one_exists() {
        let mut mixed = vec![("a", score(1, 90)), ("b", score(2, 10)), ("c", score(3, 0))];
        keep_strong(&mut mixed);
        assert_eq!(mixed.iter().map(|f| f.0).collect::<Vec<_>>(), ["b", "c"]);

        let mut weak = vec![("a", score(1, 90)), ("b", score(0, 0))];
        keep_strong(&mut weak);
        assert_eq!(weak.len(), 2, "a typo still finds something");

        let mut none: Vec<(&str, Score)> = Vec::new();
        keep_strong(&mut none);
        assert!(none.is_empty());
    }

    fn titles(list: &[&str]) -> Vec<String> {
        list.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn suggestions_fit_what_is_typed_best_first_without_itself() {
        let m = Matcher::default();
        let in_use = titles(&["Sales Engineer", "Engineer", "CEO", "VP Engineering"]);
        let got = suggestions(&m, "engineer", &in_use, 5);
        assert!(!got.contains(&"Engineer".to_string()), "{got:?}");
        assert!(!got.contains(&"CEO".to_string()), "{got:?}");
        assert_eq!(got[0], "Sales Engineer", "{got:?}");
        assert!(got.contains(&"VP Engineering".to_string()), "{got:?}");
        // Scattered matches only when nothing fits by words.
        assert_eq!(suggestions(&m, "engnr", &in_use, 5).len(), 3);
        assert!(suggestions(&m, "zzz", &in_use, 5).is_empty());
    }

    #[test]
    fn suggestions_for_an_empty_field_are_every_title_in_order_up_to_the_limit() {
        let m = Matcher::default();
        let in_use = titles(&["B", "A", "C", "E", "D", "F"]);
        assert_eq!(
            suggestions(&m, "", &in_use, 5),
            titles(&["B", "A", "C", "E", "D"])
        );
        assert_eq!(suggestions(&m, "  ", &in_use, 2), titles(&["B", "A"]));
    }
}
