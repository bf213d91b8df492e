//! Find everything (`kith find`, `f` in the TUI): people, companies and timeline entries
//! matching what is typed, in one ranked list. People and companies that match by name, email
//! or the like come first, ranked as every list of kith ranks names; then notes and emails:
//! of the latest that match, the most relevant first (the store's full-text ranking).

use crate::domain::validate::terminal_safe;
use crate::domain::{ActivityKind, ParentKind};
use crate::search::{keep_strong, Matcher, Score};
use crate::store::{ActivityHit, Addressee, ParentHit, Result, Store};
use serde::Serialize;

/// At most this many people and companies: a find is for picking one.
const NAMES: usize = 20;
/// At most this many notes and emails...
const ENTRIES: usize = 30;
/// ...the most relevant of the latest this many that match: a word found in every other note
/// costs no more than a rare one.
const ENTRY_WINDOW: usize = 300;
/// Candidates read for a query of words too short for the trigram index.
const SHORT_CANDIDATES: usize = 300;
/// At most this many people are scored (the fuzzy scorer is the dear part), those named by
/// the query first.
const SCORED_PEOPLE: usize = 200;
/// Candidate companies read before ranking.
const COMPANY_CANDIDATES: usize = 300;
/// Characters of a note or email shown around the first word matched.
const SNIPPET_CHARS: usize = 100;
/// At most this many of them before the word matched.
const LEAD_CHARS: usize = 12;

/// What a found row is: the `kind` of `kith find --format json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Contact,
    Parent,
    Activity,
}

/// One row of the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    pub id: i64,
    /// A person's or company's name; an email's subject; for a note, whose it is.
    pub title: String,
    /// What tells it apart (title and company, kind and address) or, for an entry, its text
    /// around the first word matched; one line, terminal-safe.
    pub snippet: String,
    /// What it is, in a word: person, lead, customer, note, email.
    pub label: &'static str,
    /// Where it is kept: the company of a person or an entry (the company itself for one).
    pub place: Place,
}

/// Where a found row opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A person: their company is read when they are opened.
    Person,
    Company,
    Entry {
        parent_id: i64,
        parent_name: String,
        created_at: String,
    },
}

/// `kith find --format json`: exactly these fields.
#[derive(Serialize)]
pub struct FoundJson<'a> {
    pub kind: Kind,
    pub id: i64,
    pub title: &'a str,
    pub snippet: &'a str,
}

impl Found {
    pub fn json(&self) -> FoundJson<'_> {
        FoundJson {
            kind: self.kind,
            id: self.id,
            title: &self.title,
            snippet: &self.snippet,
        }
    }
}

/// Everything matching `query`, best first (see the module's comment). An empty query finds
/// nothing; no query text is read as syntax by any index.
pub fn find(store: &Store, query: &str) -> Result<Vec<Found>> {
    let words = crate::search::words(query);
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = names(store, query)?;
    out.extend(entries(store, query)?);
    Ok(out)
}

/// The notes and emails of [`find`]: most relevant first, at most [`ENTRIES`].
pub fn entries(store: &Store, query: &str) -> Result<Vec<Found>> {
    let words = crate::search::words(query);
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    Ok(store
        .activities_matching(&words, ENTRY_WINDOW, ENTRIES)?
        .into_iter()
        .map(|a| entry(a, &lower))
        .collect())
}

/// The people and companies of [`find`], best first, at most [`NAMES`].
pub fn names(store: &Store, query: &str) -> Result<Vec<Found>> {
    let words = crate::search::words(query);
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let words = words.as_slice();
    let matcher = Matcher::default();
    // The trigram index serves the words of three characters or more; the shorter ones are
    // left to the ranking. Only a query of short words alone reads names one by one, and
    // stops at a few hundred.
    let long: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| w.chars().count() >= 3)
        .collect();
    let people = if long.is_empty() {
        store.addressees_named(words, SHORT_CANDIDATES)?
    } else {
        store.addressees_with_words(&long)?
    };
    let moved = if people.is_empty() {
        Default::default()
    } else {
        store.moved_on()?
    };
    // The fuzzy scorer is dear and a common trigram brings thousands: when some candidates
    // have every word starting one of theirs, only those are scored, since the others' weak
    // matches would be dropped anyway (see `keep_strong`).
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let started: Vec<bool> = people
        .iter()
        .map(|a| words_start(&lower, texts_of(a)))
        .collect();
    let any_started = started.contains(&true);
    // A word common to thousands ("north", a big company's name) would still have them all
    // scored: those named by it come first, and scoring stops a good way past what is shown.
    let mut by_name: Vec<(bool, Addressee)> = people
        .into_iter()
        .zip(started)
        .filter(|(_, started)| *started || !any_started)
        .map(|(a, _)| {
            (
                words_start(&lower, std::iter::once(a.full_name.as_str())),
                a,
            )
        })
        .collect();
    if by_name.len() > SCORED_PEOPLE {
        by_name.sort_by_key(|(named, _)| !named);
        by_name.truncate(SCORED_PEOPLE);
    }
    // Who is named by the query comes before who only works there or has it in an address:
    // "patel" finds Sam Patel before the 250 people of Patel Foods.
    let mut scored: Vec<((Found, bool), Score)> = Vec::new();
    for (_, a) in by_name {
        let name = [Some(a.full_name.as_str()), a.nickname.as_deref()];
        let named = matcher
            .best(query, name.into_iter().flatten())
            .is_some_and(Score::is_strong);
        if let Some(score) = matcher.best(query, texts_of(&a)) {
            let moved_on = moved.contains(&a.id);
            scored.push(((person(a, moved_on), named), score));
        }
    }
    for p in store.parents_holding(words, COMPANY_CANDIDATES)? {
        let named = matcher
            .best(query, [p.name.as_str()])
            .is_some_and(Score::is_strong);
        let texts = [
            Some(p.name.as_str()),
            p.email.as_deref(),
            p.website.as_deref(),
        ];
        if let Some(score) = matcher.best(query, texts.into_iter().flatten()) {
            scored.push(((company(p), named), score));
        }
    }
    keep_strong(&mut scored);
    scored.sort_by_cached_key(|((f, named), s)| {
        (!named, std::cmp::Reverse(*s), f.title.to_lowercase(), f.id)
    });
    Ok(scored
        .into_iter()
        .take(NAMES)
        .map(|((f, _), _)| f)
        .collect())
}

/// What a person is found by: name, nickname, title, company, every address.
fn texts_of(a: &Addressee) -> impl Iterator<Item = &str> {
    [
        Some(a.full_name.as_str()),
        a.nickname.as_deref(),
        a.title.as_deref(),
        Some(a.parent_name.as_str()),
    ]
    .into_iter()
    .flatten()
    .chain(a.emails.iter().map(|e| e.value.as_str()))
    .chain(a.email.as_deref().filter(|_| a.emails.is_empty()))
}

/// True when each of `words` (lower case) starts a word of one of `texts`: what every strong
/// match has, cheap to tell (no copy of an ASCII text is made).
fn words_start<'a>(words: &[String], texts: impl Iterator<Item = &'a str>) -> bool {
    let mut found = vec![false; words.len()];
    let mut left = words.len();
    for text in texts {
        for word in crate::search::words(text) {
            for (w, done) in words.iter().zip(found.iter_mut()) {
                if !*done && starts_with_folded(word, w) {
                    *done = true;
                    left -= 1;
                }
            }
            if left == 0 {
                return true;
            }
        }
    }
    false
}

/// `word` starts with `prefix` (lower case), case ignored.
fn starts_with_folded(word: &str, prefix: &str) -> bool {
    if word.is_ascii() && prefix.is_ascii() {
        return word.len() >= prefix.len()
            && word.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes());
    }
    word.to_lowercase().starts_with(prefix)
}

fn person(a: Addressee, moved_on: bool) -> Found {
    let at = match a.title.as_deref() {
        Some(t) => format!("{t} at {}", a.parent_name),
        None => a.parent_name.clone(),
    };
    let email = a
        .email
        .or_else(|| a.emails.first().map(|e| e.value.clone()));
    let mut parts = vec![at];
    parts.extend(email);
    if moved_on {
        parts.push("moved on".into());
    }
    Found {
        kind: Kind::Contact,
        id: a.id,
        title: a.full_name,
        snippet: one_line(&parts.join(" · ")),
        label: "person",
        place: Place::Person,
    }
}

fn company(p: ParentHit) -> Found {
    let mut parts = vec![p.kind.key().to_string()];
    parts.extend(p.email.or(p.website));
    parts.extend(p.industry);
    Found {
        kind: Kind::Parent,
        id: p.id,
        title: p.name,
        snippet: one_line(&parts.join(" · ")),
        label: match p.kind {
            ParentKind::Lead => "lead",
            ParentKind::Customer => "customer",
        },
        place: Place::Company,
    }
}

fn entry(a: ActivityHit, words: &[String]) -> Found {
    let (label, title) = match a.kind {
        ActivityKind::Email => (
            "email",
            a.subject
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .unwrap_or("(no subject)")
                .to_string(),
        ),
        ActivityKind::Note => (
            "note",
            match &a.contact_name {
                Some(who) => format!("Note on {} about {who}", a.parent_name),
                None => format!("Note on {}", a.parent_name),
            },
        ),
    };
    Found {
        kind: Kind::Activity,
        id: a.id,
        title: one_line(&title),
        snippet: snippet(&a.body, words, SNIPPET_CHARS),
        label,
        place: Place::Entry {
            parent_id: a.parent_id,
            parent_name: a.parent_name,
            created_at: a.created_at,
        },
    }
}

/// Text on one line, terminal-safe: runs of whitespace (line breaks among them) become one
/// space.
fn one_line(s: &str) -> String {
    terminal_safe(&s.split_whitespace().collect::<Vec<_>>().join(" "), false)
}

/// About `width` characters of `text` around the first word that starts with one of `words`
/// (lower case), on one line, `…` where it was cut; the text's start when no word is found
/// as typed (the index also ignores accents).
pub fn snippet(text: &str, words: &[String], width: usize) -> String {
    let flat = one_line(text);
    let chars: Vec<char> = flat.chars().collect();
    let hit = first_hit(&flat, words).unwrap_or(0);
    // A few words before the word, so that it reads in its sentence, and not more: a narrow
    // column shows the start of the snippet only.
    let mut start = hit.saturating_sub((width / 3).min(LEAD_CHARS));
    if start > 0 {
        // Start at a word, not inside one.
        while start < hit && !chars[start - 1].is_whitespace() {
            start += 1;
        }
    }
    let end = (start + width).min(chars.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    out
}

/// The char index of the first word of `text` starting with one of `words`.
fn first_hit(text: &str, words: &[String]) -> Option<usize> {
    let mut word = String::new();
    let mut word_start = 0;
    for (at, c) in text.chars().chain(std::iter::once(' ')).enumerate() {
        if c.is_alphanumeric() {
            if word.is_empty() {
                word_start = at;
            }
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            if words.iter().any(|w| word.starts_with(w.as_str())) {
                return Some(word_start);
            }
            word.clear();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(words: &[&str]) -> Vec<String> {
        words.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_snippet_shows_the_word_in_its_sentence_on_one_line() {
        let text = "Call went well.\nThey asked about our pricing for the enterprise tier and \
                    whether annual billing is possible.";
        let s = snippet(text, &w(&["pric"]), 40);
        assert!(s.starts_with('…'), "{s}");
        assert!(s.contains("our pricing for"), "{s}");
        assert!(s.ends_with('…'), "{s}");
        assert!(!s.contains('\n'));
        assert_eq!(snippet("short note", &w(&["zzz"]), 40), "short note");
    }

    #[test]
    fn every_word_must_start_a_word_of_some_text() {
        let texts = ["Sam Patel", "CTO", "sam@initech.test"];
        assert!(words_start(&w(&["pat", "init"]), texts.into_iter()));
        assert!(words_start(&w(&["cto"]), texts.into_iter()));
        assert!(!words_start(&w(&["atel"]), texts.into_iter()));
        assert!(!words_start(&w(&["sam", "zed"]), texts.into_iter()));
        assert!(words_start(&w(&["müll"]), ["Hans MÜLLER"].into_iter()));
    }

    #[test]
    fn a_snippet_never_carries_control_characters() {
        let s = snippet("evil \u{1b}[2J pricing \u{202e}text", &w(&["pricing"]), 40);
        assert!(!s.contains('\u{1b}') && !s.contains('\u{202e}'), "{s:?}");
    }
}
