//! Address lookup for mail clients: mutt / neomutt `query_command` and aerc `address-book-cmd`.

use crate::domain::validate::sanitize;
use crate::domain::Contact;
use crate::search::{Matcher, Score};
use crate::store::{Result, Store};

/// Contacts matching `query` on name, email, title or parent name, best first (strong matches
/// only when there are any, as for titles). Only contacts with an email can be addressed.
pub fn lookup(store: &Store, query: &str) -> Result<Vec<Contact>> {
    let matcher = Matcher::default();
    let mut scored: Vec<(Score, Contact)> = store
        .contacts_containing_in_order(query)?
        .into_iter()
        .filter(|c| c.fields.email.is_some())
        .filter_map(|c| {
            let f = &c.fields;
            let texts = [
                f.full_name.as_deref(),
                f.email.as_deref(),
                f.title.as_deref(),
                Some(c.parent_name.as_str()),
            ];
            matcher
                .best(query, texts.into_iter().flatten())
                .map(|s| (s, c))
        })
        .collect();
    if scored.iter().any(|(s, _)| s.is_strong()) {
        scored.retain(|(s, _)| s.is_strong());
    }
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0).then_with(|| {
            a.1.full_name()
                .to_lowercase()
                .cmp(&b.1.full_name().to_lowercase())
        })
    });
    Ok(scored.into_iter().map(|(_, c)| c).collect())
}

/// Tabs and line breaks would break the one-line, tab-separated formats.
fn field(s: &str) -> String {
    sanitize(s, false).replace('\t', " ")
}

/// mutt's format: a status line, then `email<TAB>name<TAB>title, parent` per match.
pub fn mutt(query: &str, found: &[Contact]) -> String {
    let mut out = format!(
        "kith: {} match{} for {:?}\n",
        found.len(),
        if found.len() == 1 { "" } else { "es" },
        field(query)
    );
    for c in found {
        let f = &c.fields;
        let extra = match f.title.as_deref() {
            Some(t) => format!("{}, {}", field(t), field(&c.parent_name)),
            None => field(&c.parent_name),
        };
        out.push_str(&format!(
            "{}\t{}\t{}\n",
            field(f.email.as_deref().unwrap_or("")),
            field(c.full_name()),
            extra
        ));
    }
    out
}

/// aerc's format: `email<TAB>name`, no status line, at most 100 lines.
pub fn aerc(found: &[Contact]) -> String {
    found
        .iter()
        .take(100)
        .map(|c| {
            format!(
                "{}\t{}\n",
                field(c.fields.email.as_deref().unwrap_or("")),
                field(c.full_name())
            )
        })
        .collect()
}
