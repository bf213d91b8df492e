//! Looking up addresses for a mail client (`kith query`): who matches, best first. The formats
//! mutt and aerc read are in `interop::query`.

use crate::domain::Contact;
use crate::search::{keep_strong, Matcher, Score};
use crate::store::{Result, Store};

/// Contacts matching `query` on name, nickname, any email address, title or parent name, best first (strong matches
/// only when there are any, as for titles). Only contacts with an email can be addressed.
pub fn lookup(store: &Store, query: &str) -> Result<Vec<Contact>> {
    let matcher = Matcher::default();
    let mut scored: Vec<(Contact, Score)> = store
        .contacts_containing_in_order(query)?
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
    scored.sort_by(|a, b| {
        b.1.cmp(&a.1).then_with(|| {
            a.0.full_name()
                .to_lowercase()
                .cmp(&b.0.full_name().to_lowercase())
        })
    });
    Ok(scored.into_iter().map(|(c, _)| c).collect())
}
