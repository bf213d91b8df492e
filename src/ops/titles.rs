//! Finding people by title, the one way the command line, the TUI and the benchmarks do it.
//!
//! The titles in use are few however many people hold them, so each query ranks the distinct
//! titles (with how many hold each), then lists their people. A title's people are read from
//! the store only when they are wanted: the TUI asks for the people in view, so opening the
//! search and typing read the few titles on screen, not every person with a title.

use crate::domain::Contact;
use crate::search::TitleSearch;
use crate::store::{Result, Store, TitleCount};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

pub struct TitleFinder {
    ranker: TitleSearch,
    /// Every distinct title exactly as written, with how many hold it.
    titles: Vec<TitleCount>,
    /// The places each title's people take among the places ([`TitleFinder::find`] answers
    /// with places), once the title was first found; as many as its count until its people
    /// are read, then as many as they are.
    places: Vec<Option<Range<usize>>>,
    /// Place -> its title.
    title_of: Vec<u32>,
    /// Each title's people once read: their ids, by lower-cased full name, then id.
    members: Vec<Option<Vec<i64>>>,
    /// The people read in full so far: those that were in view.
    people: HashMap<i64, Contact>,
}

impl TitleFinder {
    /// A finder over `titles` (every distinct title with its count, as
    /// [`Store::distinct_titles`] gives them); `aliases` as in the config's `[titles.aliases]`.
    pub fn new(titles: Vec<TitleCount>, aliases: &BTreeMap<String, Vec<String>>) -> TitleFinder {
        let n = titles.len();
        TitleFinder {
            ranker: TitleSearch::new(aliases),
            titles,
            places: vec![None; n],
            title_of: Vec::new(),
            members: vec![None; n],
            people: HashMap::new(),
        }
    }

    /// A finder over the titles in use now.
    pub fn open(store: &Store, aliases: &BTreeMap<String, Vec<String>>) -> Result<TitleFinder> {
        Ok(TitleFinder::new(store.distinct_titles()?, aliases))
    }

    /// The people whose title matches `query`, best title first, then by name: as places for
    /// [`TitleFinder::contact`]. Nothing is read: a place's person is there once
    /// [`TitleFinder::read`] read it.
    pub fn find(&mut self, query: &str) -> Vec<usize> {
        let mut found = Vec::new();
        for k in self.ranked(query) {
            let places = match &self.places[k] {
                Some(p) => p.clone(),
                None => {
                    let count = usize::try_from(self.titles[k].count).unwrap_or(0);
                    self.reserve(k, count)
                }
            };
            found.extend(places);
        }
        found
    }

    /// The titles that match `query`, best first, as indices into `titles`.
    fn ranked(&self, query: &str) -> Vec<usize> {
        let index: HashMap<&str, usize> = self
            .titles
            .iter()
            .enumerate()
            .map(|(i, t)| (t.title.as_str(), i))
            .collect();
        self.ranker
            .rank(query, self.titles.iter().map(|t| t.title.as_str()))
            .into_iter()
            .map(|(t, _)| index[t])
            .collect()
    }

    /// New places for `n` people of title `k`.
    fn reserve(&mut self, k: usize, n: usize) -> Range<usize> {
        let start = self.title_of.len();
        self.title_of.resize(start + n, k as u32);
        self.places[k] = Some(start..start + n);
        start..start + n
    }

    /// The id of the person at `place`, once its title's people were read.
    fn id_at(&self, place: usize) -> Option<i64> {
        let k = *self.title_of.get(place)? as usize;
        let offset = place - self.places[k].as_ref()?.start;
        self.members[k].as_ref()?.get(offset).copied()
    }

    /// Reads the people at `places`: first who holds each of their titles not read yet (all
    /// in one query of the title index), then each person in full. True when a title turned out to have more or
    /// fewer people than counted (others changed the store): then its places moved, and what
    /// [`TitleFinder::find`] answered before must be asked again.
    pub fn read(&mut self, store: &Store, places: &[usize]) -> Result<bool> {
        let mut unread: Vec<usize> = places
            .iter()
            .map(|&p| self.title_of[p] as usize)
            .filter(|&k| self.members[k].is_none())
            .collect();
        unread.sort_unstable();
        unread.dedup();
        let mut moved = false;
        if !unread.is_empty() {
            let names: Vec<String> = unread
                .iter()
                .map(|&k| self.titles[k].title.clone())
                .collect();
            let mut by_title: HashMap<String, Vec<(String, i64)>> = HashMap::new();
            for m in store.title_members(&names)? {
                let key = m.full_name.to_lowercase();
                by_title.entry(m.title).or_default().push((key, m.id));
            }
            for (&k, name) in unread.iter().zip(&names) {
                let mut group = by_title.remove(name.as_str()).unwrap_or_default();
                group.sort_unstable();
                let reserved = self.places[k].clone().unwrap_or(0..0);
                if group.len() != reserved.len() {
                    moved = true;
                    if group.len() < reserved.len() {
                        self.places[k] = Some(reserved.start..reserved.start + group.len());
                    } else {
                        self.reserve(k, group.len());
                    }
                }
                self.members[k] = Some(group.into_iter().map(|(_, id)| id).collect());
            }
        }
        if moved {
            return Ok(true);
        }
        let wanted: Vec<i64> = places
            .iter()
            .filter_map(|&p| self.id_at(p))
            .filter(|id| !self.people.contains_key(id))
            .collect();
        if !wanted.is_empty() {
            for c in store.contacts_by_ids(&wanted)? {
                self.people.insert(c.id, c);
            }
        }
        Ok(false)
    }

    /// The person at `place`, once read.
    pub fn get(&self, place: usize) -> Option<&Contact> {
        self.people.get(&self.id_at(place)?)
    }

    /// The person at `place`, which must have been read (see [`TitleFinder::read`]).
    pub fn contact(&self, place: usize) -> &Contact {
        self.get(place)
            .expect("the people of a title are read before they are shown")
    }

    /// False when no contact has a title: there is nothing to search.
    pub fn has_titles(&self) -> bool {
        !self.titles.is_empty()
    }

    /// How many people were read in full so far.
    pub fn people_read(&self) -> usize {
        self.people.len()
    }
}

/// The people whose title matches `query`: best title first, then by name. Every one of them
/// is read, in one query.
pub fn people_by_title(
    store: &Store,
    aliases: &BTreeMap<String, Vec<String>>,
    query: &str,
) -> Result<Vec<Contact>> {
    let finder = TitleFinder::open(store, aliases)?;
    let ranked = finder.ranked(query);
    let names: Vec<String> = ranked
        .iter()
        .map(|&k| finder.titles[k].title.clone())
        .collect();
    let place: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i))
        .collect();
    // Sorted where they were read: thousands of contacts are not moved into groups and back.
    let mut found = store.contacts_with_titles(&names)?;
    found.sort_by_cached_key(|c| {
        let title = c.fields.title.as_deref().unwrap_or_default();
        let rank = place.get(title).copied().unwrap_or(usize::MAX);
        (rank, c.full_name().to_lowercase(), c.id)
    });
    Ok(found)
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
    fn people_are_read_once_per_title_only_when_wanted() {
        let (_dir, mut store) = temp_store();
        let aliases = BTreeMap::new();
        assert!(!TitleFinder::open(&store, &aliases).unwrap().has_titles());

        let acme = parent(&mut store, ParentKind::Lead, "Acme");
        person(&mut store, acme, "Ada", "Engineer");
        person(&mut store, acme, "Carl", "CEO");
        let mut finder = TitleFinder::open(&store, &aliases).unwrap();
        assert!(finder.has_titles());

        let engineers = finder.find("engineer");
        assert_eq!(engineers.len(), 1, "counted, not read");
        assert!(finder.get(engineers[0]).is_none());
        assert!(!finder.read(&store, &engineers).unwrap());
        assert_eq!(names(&finder, &engineers), ["Ada"]);
        // A second engineer after the first read: the finder answers from what it read, and
        // reads only the titles it had not read yet.
        person(&mut store, acme, "Bea", "Engineer");
        assert_eq!(finder.find("engineer"), engineers);
        let everyone = finder.find("");
        assert_eq!(everyone.len(), 2);
        assert!(!finder.read(&store, &everyone).unwrap());
        assert_eq!(names(&finder, &everyone), ["Carl", "Ada"]);
        assert_eq!(finder.people_read(), 2, "no title read twice");

        let fresh = people_by_title(&store, &aliases, "engineer").unwrap();
        assert_eq!(fresh.len(), 2);
    }

    #[test]
    fn a_title_whose_people_changed_since_they_were_counted_moves() {
        let (_dir, mut store) = temp_store();
        let aliases = BTreeMap::new();
        let acme = parent(&mut store, ParentKind::Lead, "Acme");
        person(&mut store, acme, "Ada", "Engineer");
        person(&mut store, acme, "Carl", "CEO");
        let mut finder = TitleFinder::open(&store, &aliases).unwrap();
        person(&mut store, acme, "Bea", "Engineer");
        person(&mut store, acme, "Abe", "Engineer");
        let counted = finder.find("");
        assert_eq!(counted.len(), 2, "one CEO and one engineer when counted");
        assert!(
            finder.read(&store, &counted).unwrap(),
            "three engineers when read"
        );
        let found = finder.find("");
        assert!(!finder.read(&store, &found).unwrap());
        assert_eq!(names(&finder, &found), ["Carl", "Abe", "Ada", "Bea"]);
    }
}
