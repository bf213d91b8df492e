//! Listing contacts and titles.

use super::{Env, Outcome};
use crate::cli::{ListFormat, ShowFormat};
use crate::domain::Contact;
use crate::interop::{csv, json, table};
use crate::search::TitleSearch;
use crate::store::Store;
use anyhow::Result;
use std::collections::HashMap;

/// Contacts whose title matches `query`, best match first; ties by name.
pub fn by_title(store: &Store, search: &TitleSearch, query: &str) -> Result<Vec<Contact>> {
    let titles = store.distinct_titles()?;
    let ranked = search.rank(query, titles.iter().map(|t| t.title.as_str()));
    let order: HashMap<&str, usize> = ranked
        .iter()
        .enumerate()
        .map(|(i, (t, _))| (*t, i))
        .collect();
    let wanted: Vec<String> = ranked.iter().map(|(t, _)| t.to_string()).collect();
    let mut found = store.contacts_with_titles(&wanted)?;
    found.sort_by_cached_key(|c| {
        (
            c.fields
                .title
                .as_deref()
                .and_then(|t| order.get(t).copied())
                .unwrap_or(usize::MAX),
            c.full_name().to_lowercase(),
            c.id,
        )
    });
    Ok(found)
}

pub fn contacts(
    env: &Env,
    title: Option<&str>,
    parent: Option<&str>,
    format: ListFormat,
) -> Result<Outcome> {
    let store = env.open()?;
    let parent_id = match parent {
        Some(r) => Some(store.resolve_parent(r)?.id),
        None => None,
    };
    let mut list = match title {
        Some(q) => {
            let search = TitleSearch::new(&env.config.titles.aliases);
            by_title(&store, &search, q)?
        }
        None => store.list_contacts(parent_id)?,
    };
    if let Some(pid) = parent_id {
        list.retain(|c| c.parent_id == pid);
    }
    let out = match format {
        ListFormat::Table => table::contacts(&list),
        ListFormat::Json => json::contacts(&list) + "\n",
        ListFormat::Csv => {
            let mut buf = Vec::new();
            csv::write_contacts(&mut buf, &list)?;
            String::from_utf8(buf)?
        }
    };
    Ok(Outcome::ok(out))
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
