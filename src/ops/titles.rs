//! Finding people by title, the one way the command line, the TUI and the benchmarks do it.
//!
//! The titles in use are few however many people hold them, so each query ranks the distinct
//! titles, then lists their people. People are read from the store only for titles no earlier
//! query needed, so typing in the TUI costs the number of titles, not of contacts.

use crate::domain::Contact;
use crate::search::TitleSearch;
use crate::store::{Result, Store};
use std::collections::{BTreeMap, HashMap};

pub struct TitleFinder {
    ranker: TitleSearch,
    /// Every distinct title exactly as written, read once.
    titles: Vec<String>,
    /// The people read so far, in no order; `find` answers with indices into it.
    people: Vec<Contact>,
    /// Title -> its people in `people`, by lower-cased full name, then id.
    by_title: HashMap<String, Vec<usize>>,
}

impl TitleFinder {
    /// `aliases` as in the config's `[titles.aliases]`.
    pub fn new(store: &Store, aliases: &BTreeMap<String, Vec<String>>) -> Result<TitleFinder> {
        Ok(TitleFinder {
            ranker: TitleSearch::new(aliases),
            titles: store
                .distinct_titles()?
                .into_iter()
                .map(|t| t.title)
                .collect(),
            people: Vec::new(),
            by_title: HashMap::new(),
        })
    }

    /// The people whose title matches `query`, best title first, as indices for
    /// [`TitleFinder::contact`].
    pub fn find(&mut self, store: &Store, query: &str) -> Result<Vec<usize>> {
        let ranked: Vec<&str> = self
            .ranker
            .rank(query, self.titles.iter().map(String::as_str))
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        let missing: Vec<String> = ranked
            .iter()
            .filter(|t| !self.by_title.contains_key(**t))
            .map(|t| t.to_string())
            .collect();
        if !missing.is_empty() {
            let start = self.people.len();
            self.people.extend(store.contacts_with_titles(&missing)?);
            // A title whose people left since `new` is remembered as empty, not asked again.
            for t in &missing {
                self.by_title.entry(t.clone()).or_default();
            }
            for i in start..self.people.len() {
                if let Some(t) = self.people[i].fields.title.as_deref() {
                    self.by_title.entry(t.to_string()).or_default().push(i);
                }
            }
            for t in &missing {
                let people = &self.people;
                if let Some(group) = self.by_title.get_mut(t) {
                    group.sort_by_cached_key(|&i| {
                        (people[i].full_name().to_lowercase(), people[i].id)
                    });
                }
            }
        }
        Ok(ranked
            .iter()
            .filter_map(|t| self.by_title.get(*t))
            .flatten()
            .copied()
            .collect())
    }

    pub fn contact(&self, i: usize) -> &Contact {
        &self.people[i]
    }

    /// False when no contact has a title: there is nothing to search.
    pub fn has_titles(&self) -> bool {
        !self.titles.is_empty()
    }
}

/// The people whose title matches `query`: best title first, then by name.
pub fn people_by_title(
    store: &Store,
    aliases: &BTreeMap<String, Vec<String>>,
    query: &str,
) -> Result<Vec<Contact>> {
    let mut finder = TitleFinder::new(store, aliases)?;
    let found = finder.find(store, query)?;
    Ok(found
        .into_iter()
        .map(|i| finder.contact(i).clone())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::TitlesConfig;
    use crate::domain::{ContactFields, ParentKind};
    use crate::ops::testing::{parent, temp_store};

    fn person(store: &mut Store, parent_id: i64, name: &str, title: &str) -> i64 {
        let fields = ContactFields {
            full_name: Some(name.to_string()),
            title: Some(title.to_string()),
            ..Default::default()
        };
        store.add_contact(parent_id, &fields).unwrap()
    }

    fn names(finder: &TitleFinder, found: &[usize]) -> Vec<String> {
        found
            .iter()
            .map(|&i| finder.contact(i).full_name().to_string())
            .collect()
    }

    #[test]
    fn people_come_by_title_rank_then_name_then_id() {
        let (_dir, mut store) = temp_store();
        let acme = parent(&mut store, ParentKind::Customer, "Acme");
        person(&mut store, acme, "Zoe Founder", "CTO & Co-founder");
        person(&mut store, acme, "bob Zed", "CTO");
        let first = person(&mut store, acme, "Alice B", "CTO");
        let second = person(&mut store, acme, "alice b", "CTO");
        person(&mut store, acme, "Dan Director", "Director of Sales");
        person(&mut store, acme, "Nobody", "");

        let aliases = TitlesConfig::default().aliases;
        let found = people_by_title(&store, &aliases, "cto").unwrap();
        let ids: Vec<i64> = found.iter().map(|c| c.id).collect();
        assert_eq!(&ids[..2], [first, second]);
        assert_eq!(
            found.iter().map(|c| c.full_name()).collect::<Vec<_>>(),
            ["Alice B", "alice b", "bob Zed", "Zoe Founder"]
        );
        assert!(people_by_title(&store, &aliases, "xyzzy")
            .unwrap()
            .is_empty());
    }

    #[test]
    fn people_are_read_once_per_title_and_has_titles_says_whether_there_are_any() {
        let (_dir, mut store) = temp_store();
        let aliases = BTreeMap::new();
        assert!(!TitleFinder::new(&store, &aliases).unwrap().has_titles());

        let acme = parent(&mut store, ParentKind::Lead, "Acme");
        person(&mut store, acme, "Ada", "Engineer");
        person(&mut store, acme, "Carl", "CEO");
        let mut finder = TitleFinder::new(&store, &aliases).unwrap();
        assert!(finder.has_titles());

        let engineers = finder.find(&store, "engineer").unwrap();
        assert_eq!(names(&finder, &engineers), ["Ada"]);
        // A second engineer after the first query: the finder answers from what it read, and
        // reads only the titles it had not needed yet.
        person(&mut store, acme, "Bea", "Engineer");
        assert_eq!(finder.find(&store, "engineer").unwrap(), engineers);
        let everyone = finder.find(&store, "").unwrap();
        assert_eq!(everyone.len(), 2, "{:?}", names(&finder, &everyone));
        assert_eq!(finder.people.len(), 2, "no title read twice");

        let fresh = people_by_title(&store, &aliases, "engineer").unwrap();
        assert_eq!(fresh.len(), 2);
    }
}
