//! What the TUI's views read beside the records themselves: the Today screen's week at a
//! glance, and which rows a field-scoped query (`title:cto org:acme`) keeps in a list.

use crate::domain::touch::Cadences;
use crate::domain::{Activity, Contact, Status};
use crate::ops::filter::ContactFilter;
use crate::search::scoped::Scoped;
use crate::store::{Result, Store};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, HashSet};

/// How far ahead the Today screen looks for birthdays.
pub const BIRTHDAY_DAYS: i64 = 14;
/// How many of the latest notes and emails the Today screen lists.
pub const RECENT: usize = 20;

/// The `[cadence]` defaults of the config.
pub fn cadences(config: &crate::config::Config) -> Cadences {
    Cadences {
        tags: config.cadence.tags.clone(),
        statuses: config.cadence.statuses.clone(),
    }
}

/// The week at a glance.
#[derive(Debug, Clone, Default)]
pub struct TodayData {
    /// Most overdue first.
    pub due: Vec<crate::ops::due::Due>,
    /// Within [`BIRTHDAY_DAYS`], soonest first.
    pub birthdays: Vec<(Contact, NaiveDate)>,
    /// Newest first, with the company's name.
    pub recent: Vec<(Activity, String)>,
    /// Open leads at each step, in the pipeline's order.
    pub pipeline: Vec<(Status, i64)>,
}

pub fn today(store: &Store, cadences: &Cadences, now: DateTime<Utc>) -> Result<TodayData> {
    Ok(TodayData {
        due: crate::ops::due::due(store, cadences, now)?,
        birthdays: crate::ops::today::birthdays(store, now, BIRTHDAY_DAYS)?,
        recent: crate::ops::today::recent(store, RECENT)?,
        pipeline: crate::ops::today::pipeline(store)?,
    })
}

/// Which field terms of a query to keep when writing them back as a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    pub title: bool,
    pub org: bool,
}

/// The field terms of `s` written back as a query, without its free words (and without its
/// `title:` or `org:` terms when `keep` says so): what a [`ContactFilter`] is built from when
/// the free words go to another matcher.
pub fn fields_only(s: &Scoped, keep: Terms) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut push = |field: &str, values: &[String]| {
        out.extend(values.iter().map(|v| format!("{field}:\"{v}\"")));
    };
    if keep.title {
        push("title", &s.title);
    }
    if keep.org {
        push("org", &s.org);
    }
    push("tag", &s.tag);
    push("email", &s.email);
    if let Some(due) = s.due {
        out.push(format!("due:{}", if due { "yes" } else { "no" }));
    }
    out.join(" ")
}

/// The people who are due now, when `query` asks (`due:`); empty otherwise.
pub fn due_ids(
    store: &Store,
    cadences: &Cadences,
    now: DateTime<Utc>,
    query: &str,
) -> Result<HashSet<i64>> {
    if !ContactFilter::needs_due(query) {
        return Ok(HashSet::new());
    }
    Ok(crate::ops::due::due(store, cadences, now)?
        .into_iter()
        .map(|d| d.contact.id)
        .collect())
}

/// The ids of `contacts` that every field term of `s` holds for (its free words aside).
pub fn contacts_matching(
    s: &Scoped,
    contacts: &[Contact],
    aliases: &BTreeMap<String, Vec<String>>,
    due: HashSet<i64>,
) -> HashSet<i64> {
    let all = Terms {
        title: true,
        org: true,
    };
    let filter = ContactFilter::new(&fields_only(s, all), aliases, due);
    contacts
        .iter()
        .filter(|c| filter.matches(c))
        .map(|c| c.id)
        .collect()
}

/// The ids of the leads and customers (`parents`: id and name) that the field terms of `s`
/// keep: `org:` is the company's own name; the other fields (`title:`, `tag:`, `email:`,
/// `due:`) hold when at least one of its people matches all of them.
pub fn parents_matching<'a>(
    s: &Scoped,
    parents: impl IntoIterator<Item = (i64, &'a str)>,
    contacts: &[Contact],
    aliases: &BTreeMap<String, Vec<String>>,
    due: HashSet<i64>,
) -> HashSet<i64> {
    let fold = crate::domain::likeness::fold;
    let org: Vec<String> = s.org.iter().map(|o| fold(o)).collect();
    let people_terms = Scoped {
        org: Vec::new(),
        free: String::new(),
        ..s.clone()
    };
    let with_people: Option<HashSet<i64>> = people_terms.has_fields().then(|| {
        let keep = Terms {
            title: true,
            org: false,
        };
        let filter = ContactFilter::new(&fields_only(&people_terms, keep), aliases, due);
        contacts
            .iter()
            .filter(|c| filter.matches(c))
            .map(|c| c.parent_id)
            .collect()
    });
    parents
        .into_iter()
        .filter(|(id, name)| {
            let name = fold(name);
            org.iter().all(|o| name.contains(o.as_str()))
                && with_people.as_ref().is_none_or(|ids| ids.contains(id))
        })
        .map(|(id, _)| id)
        .collect()
}

/// Among people who match a search, in the order of the match, those the user is closer to
/// (by the mail exchanged, see [`crate::ops::due::closeness`]) first; ties keep the match's
/// order. `id` gives each item's person.
pub fn rank_by_closeness<T>(
    found: &mut [T],
    close: &std::collections::HashMap<i64, f64>,
    id: impl Fn(&T) -> i64,
) {
    if close.is_empty() {
        return;
    }
    let of = |t: &T| close.get(&id(t)).copied().unwrap_or(0.0);
    found.sort_by(|a, b| of(b).total_cmp(&of(a)));
}

/// Everything the detail view shows, read from the store in one go.
pub struct DetailData {
    pub parent: crate::domain::Parent,
    pub converted_from: Option<i64>,
    pub contacts: Vec<Contact>,
    pub activities: Vec<crate::domain::Activity>,
    pub links: std::collections::HashMap<i64, String>,
}

/// Everything the detail view of lead or customer `id` shows, read now.
pub fn detail(store: &Store, id: i64) -> Result<DetailData> {
    let parent = store.parent(id)?;
    let converted_from = match parent.kind {
        crate::domain::ParentKind::Customer => store.converted_from(id)?,
        crate::domain::ParentKind::Lead => None,
    };
    Ok(DetailData {
        converted_from,
        contacts: store.list_contacts(Some(id))?,
        activities: store.list_activities(id, None)?,
        links: store.moved_links(id)?.into_iter().collect(),
        parent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::scoped::parse;

    #[test]
    fn field_terms_are_written_back_without_the_free_words() {
        let s = parse(r#"ada title:"vp eng" org:acme tag:investor due:no"#);
        let all = Terms {
            title: true,
            org: true,
        };
        let back = fields_only(&s, all);
        assert_eq!(back, r#"title:"vp eng" org:"acme" tag:"investor" due:no"#);
        assert_eq!(parse(&back).free, "");
        assert_eq!(parse(&back).title, ["vp eng"]);
        let none = Terms {
            title: false,
            org: false,
        };
        assert_eq!(fields_only(&s, none), r#"tag:"investor" due:no"#);
    }
}
