//! Looking up addresses for a mail client (`kith query`): who matches, best first. The formats
//! mutt and aerc read are in `interop::query`.

use crate::search::{keep_strong, Matcher, Score};
use crate::store::{trigrams, Addressee, Result, Store};
use std::collections::BTreeSet;

/// People matching `query` on name, nickname, any email address, title or company, best first
/// (strong matches only when there are any, as for titles). Only people with an email can be
/// addressed.
///
/// A strong match (exact, or word by word) contains every word of the query, so the trigram
/// index finds all of them. When it finds none strong, the query likely holds a typo: the
/// candidates are then the people who share at least half of its trigrams, which the fuzzy
/// scorer ranks. Only a query with a word shorter than three characters, which trigrams
/// cannot look up, reads every entry.
pub fn lookup(store: &Store, query: &str) -> Result<Vec<Addressee>> {
    let mut found = matching(store, query)?;
    by_closeness(store, &mut found)?;
    Ok(found)
}

/// Among the people who match, those the user writes to more, and more recently, first; the
/// rest keep the order of the match.
pub fn by_closeness(store: &Store, found: &mut [Addressee]) -> Result<()> {
    let ids: Vec<i64> = found.iter().map(|a| a.id).collect();
    let close = crate::ops::due::closeness_of(store, &ids, crate::clock::now())?;
    crate::ops::views::rank_by_closeness(found, &close, |a| a.id);
    Ok(())
}

fn matching(store: &Store, query: &str) -> Result<Vec<Addressee>> {
    let words = crate::search::words(query);
    if words.is_empty() || words.iter().any(|w| w.chars().count() < 3) {
        return lookup_by_scan(store, query);
    }
    let found = rank(query, store.addressees_with_words(&words)?);
    if found.strong {
        return Ok(found.people);
    }
    let pieces: BTreeSet<String> = words
        .iter()
        .flat_map(|w| trigrams(&w.to_lowercase()))
        .collect();
    let pieces: Vec<String> = pieces.into_iter().collect();
    let min = pieces.len().div_ceil(2);
    Ok(rank(query, store.addressees_sharing(&pieces, min)?).people)
}

/// `found` without the people who moved on: mail goes to the contact that continues them.
pub fn current(store: &Store, mut found: Vec<Addressee>) -> Result<Vec<Addressee>> {
    let moved = store.moved_on()?;
    if !moved.is_empty() {
        found.retain(|a| !moved.contains(&a.id));
    }
    Ok(found)
}

/// What a scan of every entry answers: the reference for strong matches, and the fallback for
/// queries the index cannot serve.
pub fn lookup_by_scan(store: &Store, query: &str) -> Result<Vec<Addressee>> {
    Ok(rank(query, store.addressees_containing_in_order(query)?).people)
}

/// People ranked against a query, and whether they are strong matches.
struct Ranked {
    people: Vec<Addressee>,
    strong: bool,
}

fn rank(query: &str, candidates: Vec<Addressee>) -> Ranked {
    let matcher = Matcher::default();
    let mut scored: Vec<(Addressee, Score)> = candidates
        .into_iter()
        .filter(|a| a.email.is_some())
        .filter_map(|a| {
            let texts = [
                Some(a.full_name.as_str()),
                a.title.as_deref(),
                a.nickname.as_deref(),
                Some(a.parent_name.as_str()),
            ];
            // Any of a person's addresses finds them; the preferred one is among them, and is
            // looked at alone only for a store whose address list is missing.
            let addresses = a.emails.iter().map(|e| e.value.as_str());
            let preferred = a.email.as_deref().filter(|_| a.emails.is_empty());
            let all = texts
                .into_iter()
                .flatten()
                .chain(addresses)
                .chain(preferred);
            let score = matcher.best(query, all);
            score.map(|s| (a, s))
        })
        .collect();
    keep_strong(&mut scored);
    let strong = scored.first().is_some_and(|(_, s)| s.is_strong());
    scored.sort_by_cached_key(|(a, s)| (std::cmp::Reverse(*s), a.full_name.to_lowercase()));
    Ranked {
        people: scored.into_iter().map(|(a, _)| a).collect(),
        strong,
    }
}
