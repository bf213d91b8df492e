//! Looking up addresses for a mail client (`kith query`): who matches, best first. The formats
//! mutt and aerc read are in `interop::query`.

use crate::domain::Contact;
use crate::search::{keep_strong, Matcher, Score};
use crate::store::{Result, Store};

/// Contacts matching `query` on name, nickname, any email address, title or parent name, best first (strong matches
/// only when there are any, as for titles). Only contacts with an email can be addressed.
///
/// A strong match (exact, or word by word) contains every word of the query, so the trigram
/// index finds all of them; only when it finds none strong is every contact scanned for the
/// scattered matches that forgive a typo. Either way the answer is what a scan would give.
pub fn lookup(store: &Store, query: &str) -> Result<Vec<Contact>> {
    let words = crate::search::words(query);
    if !words.is_empty() && words.iter().all(|w| w.len() >= 3 && w.is_ascii()) {
        let found = rank(query, store.contacts_containing_words(&words)?);
        if found.strong {
            return Ok(found.contacts);
        }
    }
    lookup_by_scan(store, query)
}

/// What [`lookup`] answers, found by reading every contact: the reference the index must match.
pub fn lookup_by_scan(store: &Store, query: &str) -> Result<Vec<Contact>> {
    Ok(rank(query, store.contacts_containing_in_order(query)?).contacts)
}

/// Contacts ranked against a query, and whether they are strong matches.
struct Ranked {
    contacts: Vec<Contact>,
    strong: bool,
}

fn rank(query: &str, candidates: Vec<Contact>) -> Ranked {
    let matcher = Matcher::default();
    let mut scored: Vec<(Contact, Score)> = candidates
        .into_iter()
        .filter(|c| c.fields.email.is_some())
        .filter_map(|c| {
            let f = &c.fields;
            let texts = [
                f.full_name.as_deref(),
                f.title.as_deref(),
                f.nickname.as_deref(),
                Some(c.parent_name.as_str()),
            ];
            // Any of a person's addresses finds them.
            let addresses = f.emails.iter().map(|e| e.value.as_str());
            let all = texts
                .into_iter()
                .flatten()
                .chain(addresses)
                .chain(f.email.as_deref());
            let score = matcher.best(query, all);
            score.map(|s| (c, s))
        })
        .collect();
    keep_strong(&mut scored);
    let strong = scored.first().is_some_and(|(_, s)| s.is_strong());
    scored.sort_by(|a, b| {
        b.1.cmp(&a.1).then_with(|| {
            a.0.full_name()
                .to_lowercase()
                .cmp(&b.0.full_name().to_lowercase())
        })
    });
    Ranked {
        contacts: scored.into_iter().map(|(c, _)| c).collect(),
        strong,
    }
}
