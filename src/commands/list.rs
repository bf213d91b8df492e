//! Listing contacts and titles.

use super::{Env, Outcome};
use crate::cli::{ListFormat, ShowFormat};
use crate::interop::{json, table};
use crate::ops::filter::ContactFilter;
use crate::ops::titles::people_by_title;
use anyhow::Result;

/// Which contacts `kith contacts` lists: every filter given must hold.
pub struct Which<'a> {
    pub title: Option<&'a str>,
    pub parent: Option<&'a str>,
    pub tag: Option<&'a str>,
    /// A field-scoped query (`--where`).
    pub query: Option<&'a str>,
}

pub fn contacts(env: &Env, which: Which, format: ListFormat, vcard_version: u8) -> Result<Outcome> {
    let store = env.open()?;
    let parent_id = match which.parent {
        Some(r) => Some(store.resolve_parent(r)?.id),
        None => None,
    };
    // A `--where` naming a title starts from the people with that title: the title index
    // finds them without reading everyone.
    let scoped_title = which
        .query
        .map(crate::search::scoped::parse)
        .and_then(|q| q.title.first().cloned());
    let title = which.title.or(scoped_title.as_deref());
    let mut list = match (title, which.tag) {
        (Some(q), _) => people_by_title(&store, &env.config.titles.aliases, q)?,
        (None, Some(tag)) => store.contacts_tagged(tag)?,
        (None, None) => store.list_contacts(parent_id)?,
    };
    if let Some(pid) = parent_id {
        list.retain(|c| c.parent_id == pid);
    }
    // The tag was the query itself unless a title was.
    if let (Some(_), Some(tag)) = (title, which.tag) {
        list.retain(|c| c.fields.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)));
    }
    if let Some(q) = which.query {
        let due = if ContactFilter::needs_due(q) {
            let cadences = super::touch::cadences(&env.config);
            crate::ops::due::due(&store, &cadences, crate::clock::now())?
                .into_iter()
                .map(|d| d.contact.id)
                .collect()
        } else {
            Default::default()
        };
        let filter = ContactFilter::new(q, &env.config.titles.aliases, due);
        list.retain(|c| filter.matches(c));
    }
    Ok(Outcome::listing(super::Listing {
        contacts: list,
        format,
        vcard_version,
    }))
}

pub fn titles(env: &Env, format: ShowFormat) -> Result<Outcome> {
    let store = env.open()?;
    let titles = store.titles()?;
    Ok(Outcome::ok(match format {
        ShowFormat::Json => json::to_string(&titles) + "\n",
        ShowFormat::Text => {
            let rows: Vec<Vec<String>> = titles
                .iter()
                .map(|t| vec![t.count.to_string(), t.title.clone()])
                .collect();
            table::render(&["COUNT", "TITLE"], &rows, &[8, 60])
        }
    }))
}

pub fn pipeline(env: &Env) -> Result<Outcome> {
    let store = env.open()?;
    let counts = store.status_counts()?;
    let rows: Vec<Vec<String>> = counts
        .iter()
        .map(|(s, n)| vec![s.kind().to_string(), s.label().to_string(), n.to_string()])
        .collect();
    Ok(Outcome::ok(table::render(
        &["KIND", "STATUS", "COUNT"],
        &rows,
        &[8, 20, 8],
    )))
}
