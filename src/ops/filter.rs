//! Which contacts a field-scoped query (`title:cto org:acme tag:investor due:yes`, see
//! `search::scoped`) keeps: every field named must hold, and the free words must match the
//! name, an address, the title or the company as a search does.

use crate::domain::likeness::fold;
use crate::domain::Contact;
use crate::search::scoped::{self, Scoped};
use crate::search::{Matcher, TitleSearch};
use std::collections::{BTreeMap, HashSet};

pub struct ContactFilter {
    query: Scoped,
    titles: TitleSearch,
    matcher: Matcher,
    /// The ids of the people due now, when the query asks `due:`.
    due: HashSet<i64>,
}

impl ContactFilter {
    /// `due` is who is due now; read only when the query names `due:` (see
    /// [`ContactFilter::needs_due`]).
    pub fn new(
        query: &str,
        aliases: &BTreeMap<String, Vec<String>>,
        due: HashSet<i64>,
    ) -> ContactFilter {
        ContactFilter {
            query: scoped::parse(query),
            titles: TitleSearch::new(aliases),
            matcher: Matcher::default(),
            due,
        }
    }

    /// True when the query asks who is due: the caller reads them first.
    pub fn needs_due(query: &str) -> bool {
        scoped::parse(query).due.is_some()
    }

    pub fn query(&self) -> &Scoped {
        &self.query
    }

    pub fn matches(&self, c: &Contact) -> bool {
        let q = &self.query;
        let f = &c.fields;
        let title_ok = q.title.iter().all(|t| {
            f.title
                .as_deref()
                .and_then(|title| self.titles.score(t, title))
                .is_some_and(|s| s.is_strong())
        });
        let org_ok = q.org.iter().all(|o| holds(&c.parent_name, o));
        let tag_ok = q
            .tag
            .iter()
            .all(|t| f.tags.iter().any(|have| have.eq_ignore_ascii_case(t)));
        // An address is matched as written (`email:@acme` is not "acme" anywhere in it).
        let email_ok = q.email.iter().all(|e| {
            let e = e.to_lowercase();
            f.emails
                .iter()
                .map(|have| have.value.as_str())
                .chain(f.email.as_deref())
                .any(|have| have.to_lowercase().contains(&e))
        });
        let due_ok = q.due.is_none_or(|want| self.due.contains(&c.id) == want);
        let free_ok = q.free.is_empty() || {
            let texts = [
                Some(c.full_name()),
                f.title.as_deref(),
                f.nickname.as_deref(),
                Some(c.parent_name.as_str()),
            ];
            let all = texts
                .into_iter()
                .flatten()
                .chain(f.emails.iter().map(|e| e.value.as_str()));
            self.matcher
                .best(&q.free, all)
                .is_some_and(|s| s.is_strong())
        };
        title_ok && org_ok && tag_ok && email_ok && due_ok && free_ok
    }
}

/// True when `hay` holds `needle`, case, accents and punctuation set aside ("acme inc" finds
/// "ACME, Inc."). A needle of punctuation alone (`%`, `_`, `\`) is looked for as written, case
/// set aside: folded it would be the empty text, which every name holds.
fn holds(hay: &str, needle: &str) -> bool {
    let folded = fold(needle);
    if folded.is_empty() {
        return hay.to_lowercase().contains(&needle.to_lowercase());
    }
    fold(hay).contains(&folded)
}
