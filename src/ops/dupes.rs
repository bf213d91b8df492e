//! Finding likely duplicates: records are grouped by the keys of `domain::likeness` (an email,
//! a phone in E.164, a name at a company, a name with an email domain; a company's domain or
//! name without its legal form), never compared pair by pair. Pairs a user said are distinct
//! stay apart.

use crate::domain::likeness::{
    company_name_key, email_domain, is_free_mail, person_name_key, website_host,
};
use crate::store::{MergeKind, Result, Store};
use std::collections::{BTreeSet, HashMap, HashSet};

/// A key held by more records than this is a shared one (a switchboard number, an info@
/// address), not evidence that they are one person.
pub const MAX_SHARED: usize = 5;

/// Two records that look like one, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DupePair {
    /// The lower id first: the older record, the one a merge keeps by default.
    pub ids: [i64; 2],
    /// Why, strongest first.
    pub reasons: Vec<String>,
    /// How sure: the weights of the reasons, added.
    pub score: u32,
    /// The `--keep FIELD=ID` choices a merge of the two needs to run: `parent=` the first's
    /// for people at two companies (the merge keeps the first's other values too).
    pub keep: Vec<String>,
}

impl DupePair {
    /// The `kith merge` command that merges the pair as it stands, choices included.
    pub fn merge_command(&self, kind: MergeKind) -> String {
        let mut command = String::from("kith merge");
        if kind == MergeKind::Parent {
            command.push_str(" --kind parent");
        }
        command.push_str(&format!(" {} {}", self.ids[0], self.ids[1]));
        for choice in &self.keep {
            command.push_str(&format!(" --keep {choice}"));
        }
        command
    }
}

/// Records joined by pairs that look alike: a group of two is one pair; a bigger one is each
/// pair that joined it (one person imported three times, or two duplicates and a third record
/// sharing a phone with one of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DupeGroup {
    pub kind: MergeKind,
    /// Lowest first.
    pub ids: Vec<i64>,
    /// Each record's name (and, for people, company), in the order of `ids`.
    pub names: Vec<String>,
    /// The pairs, most likely first: the first is the one to merge first.
    pub pairs: Vec<DupePair>,
    /// Why they look alike: the reasons of a group of two; in a bigger group each pair's,
    /// named ("#3 and #9: same email ...").
    pub reasons: Vec<String>,
    /// The score of the most likely pair.
    pub score: u32,
}

/// A key with what it says when records share it.
struct Evidence {
    weight: u32,
    reason: String,
}

/// Records grouped by what they share, then joined into groups.
struct Grouping {
    by_key: HashMap<String, (Evidence, Vec<usize>)>,
}

impl Grouping {
    fn new() -> Grouping {
        Grouping {
            by_key: HashMap::new(),
        }
    }

    fn add(&mut self, key: String, record: usize, weight: u32, reason: impl FnOnce() -> String) {
        let entry = self.by_key.entry(key).or_insert_with(|| {
            (
                Evidence {
                    weight,
                    reason: reason(),
                },
                Vec::new(),
            )
        });
        if entry.1.last() != Some(&record) {
            entry.1.push(record);
        }
    }

    /// The groups: records joined by every key they share with at most `MAX_SHARED` others,
    /// except pairs marked distinct (`ids[i]` is record i's id).
    fn groups(
        self,
        kind: MergeKind,
        ids: &[i64],
        names: &[String],
        distinct: &HashSet<(i64, i64)>,
    ) -> Vec<DupeGroup> {
        let mut root: Vec<usize> = (0..ids.len()).collect();
        fn find(root: &mut [usize], mut i: usize) -> usize {
            while root[i] != i {
                root[i] = root[root[i]];
                i = root[i];
            }
            i
        }
        // Each pair's reasons, so that a group gets the reasons of the pairs that made it.
        let mut pair_reasons: HashMap<(usize, usize), Vec<(u32, String)>> = HashMap::new();
        for (evidence, members) in self.by_key.into_values() {
            if members.len() < 2 || members.len() > MAX_SHARED {
                continue;
            }
            for (n, &a) in members.iter().enumerate() {
                for &b in &members[n + 1..] {
                    let (lo, hi) = (a.min(b), a.max(b));
                    if distinct.contains(&(ids[lo].min(ids[hi]), ids[lo].max(ids[hi]))) {
                        continue;
                    }
                    pair_reasons
                        .entry((lo, hi))
                        .or_default()
                        .push((evidence.weight, evidence.reason.clone()));
                    let (ra, rb) = (find(&mut root, lo), find(&mut root, hi));
                    root[ra.max(rb)] = ra.min(rb);
                }
            }
        }
        let mut members: HashMap<usize, BTreeSet<usize>> = HashMap::new();
        let mut pairs: HashMap<usize, Vec<DupePair>> = HashMap::new();
        for ((a, b), mut rs) in pair_reasons {
            let r = find(&mut root, a);
            members.entry(r).or_default().extend([a, b]);
            rs.sort_by(|x, y| y.0.cmp(&x.0).then_with(|| x.1.cmp(&y.1)));
            rs.dedup();
            pairs.entry(r).or_default().push(DupePair {
                ids: [ids[a].min(ids[b]), ids[a].max(ids[b])],
                score: rs.iter().map(|(w, _)| w).sum(),
                reasons: rs.into_iter().map(|(_, text)| text).collect(),
                keep: Vec::new(),
            });
        }
        let mut groups: Vec<DupeGroup> = members
            .into_iter()
            .map(|(r, set)| {
                let mut pairs = pairs.remove(&r).unwrap_or_default();
                pairs.sort_by(|x, y| y.score.cmp(&x.score).then_with(|| x.ids.cmp(&y.ids)));
                let reasons = if pairs.len() == 1 {
                    pairs[0].reasons.clone()
                } else {
                    pairs
                        .iter()
                        .map(|p| {
                            format!("#{} and #{}: {}", p.ids[0], p.ids[1], p.reasons.join(", "))
                        })
                        .collect()
                };
                DupeGroup {
                    kind,
                    ids: set.iter().map(|&i| ids[i]).collect(),
                    names: set.iter().map(|&i| names[i].clone()).collect(),
                    score: pairs.first().map_or(0, |p| p.score),
                    pairs,
                    reasons,
                }
            })
            .collect();
        groups.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.ids.cmp(&b.ids)));
        groups
    }
}

/// Likely duplicate people, best first.
pub fn people(store: &Store) -> Result<Vec<DupeGroup>> {
    let people = store.person_facts()?;
    let distinct = store.distinct_pairs(MergeKind::Contact)?;
    let mut g = Grouping::new();
    for (i, p) in people.iter().enumerate() {
        for e in &p.emails {
            let address = e.to_lowercase();
            g.add(format!("email\0{address}"), i, 100, || {
                format!("same email {address}")
            });
        }
        for phone in &p.phones {
            g.add(format!("phone\0{phone}"), i, 60, || {
                format!("same phone {phone}")
            });
        }
        let Some(name) = person_name_key(&p.full_name) else {
            continue;
        };
        g.add(
            format!("name@parent\0{name}\0{}", p.parent_id),
            i,
            70,
            || format!("same name at {}", p.parent_name),
        );
        let domains: BTreeSet<String> = p
            .emails
            .iter()
            .filter_map(|e| email_domain(e))
            .filter(|d| !is_free_mail(d))
            .collect();
        for d in domains {
            g.add(format!("name@domain\0{name}\0{d}"), i, 50, || {
                format!("same name and email domain {d}")
            });
        }
    }
    let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    let names: Vec<String> = people
        .iter()
        .map(|p| format!("{} ({})", p.full_name, p.parent_name))
        .collect();
    let mut groups = g.groups(MergeKind::Contact, &ids, &names, &distinct);
    // A merge of people at two companies must be told which: the first's, as it keeps the
    // first's other values.
    let parent_of: HashMap<i64, i64> = people.iter().map(|p| (p.id, p.parent_id)).collect();
    for pair in groups.iter_mut().flat_map(|g| g.pairs.iter_mut()) {
        if parent_of.get(&pair.ids[0]) != parent_of.get(&pair.ids[1]) {
            pair.keep.push(format!("parent={}", pair.ids[0]));
        }
    }
    Ok(groups)
}

/// Likely duplicate leads and customers, best first.
pub fn companies(store: &Store) -> Result<Vec<DupeGroup>> {
    let companies = store.company_facts()?;
    let distinct = store.distinct_pairs(MergeKind::Parent)?;
    let mut g = Grouping::new();
    for (i, c) in companies.iter().enumerate() {
        let mut domains = BTreeSet::new();
        domains.extend(c.website.as_deref().and_then(website_host));
        domains.extend(
            c.email
                .as_deref()
                .and_then(email_domain)
                .filter(|d| !is_free_mail(d)),
        );
        for d in domains {
            g.add(format!("domain\0{d}"), i, 80, || {
                format!("same website or email domain {d}")
            });
        }
        if let Some(name) = company_name_key(&c.name) {
            g.add(format!("name\0{name}"), i, 70, || {
                format!("same name once case, punctuation and legal form are set aside ({name})")
            });
        }
    }
    let ids: Vec<i64> = companies.iter().map(|c| c.id).collect();
    let names: Vec<String> = companies.iter().map(|c| c.name.clone()).collect();
    Ok(g.groups(MergeKind::Parent, &ids, &names, &distinct))
}

/// Both kinds, or the one asked for, best first.
pub fn find(store: &Store, kind: Option<MergeKind>) -> Result<Vec<DupeGroup>> {
    let mut all = Vec::new();
    if kind != Some(MergeKind::Parent) {
        all.extend(people(store)?);
    }
    if kind != Some(MergeKind::Contact) {
        all.extend(companies(store)?);
    }
    all.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.ids.cmp(&b.ids)));
    Ok(all)
}

/// The groups of people that hold anyone added after contact `since` (what an import reports).
pub fn people_added_after(store: &Store, since: i64) -> Result<Vec<DupeGroup>> {
    Ok(people(store)?
        .into_iter()
        .filter(|g| g.ids.iter().any(|&id| id > since))
        .collect())
}
