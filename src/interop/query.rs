//! The answers of an address lookup, as mail clients read them: mutt / neomutt `query_command`
//! and aerc `address-book-cmd`. Who matches is `ops::lookup`'s to say.

use crate::domain::validate::sanitize;
use crate::store::Addressee;

/// Tabs and line breaks would break the one-line, tab-separated formats.
fn field(s: &str) -> String {
    // sanitize drops tabs with the other control characters.
    sanitize(s, false)
}

/// Every address of a contact, the preferred one first, each with its label.
fn addresses(f: &Addressee) -> Vec<(&str, Option<&str>)> {
    let mut all: Vec<(&str, Option<&str>)> = f
        .emails
        .iter()
        .filter(|e| e.preferred)
        .chain(f.emails.iter().filter(|e| !e.preferred))
        .map(|e| (e.value.as_str(), e.label.as_deref()))
        .collect();
    if all.is_empty() {
        all.extend(f.email.as_deref().map(|e| (e, None)));
    }
    all
}

/// mutt's format: a status line, then `email<TAB>name<TAB>title, parent` per address (a person
/// with three addresses gives three lines, so that any of them can be completed).
pub fn mutt(query: &str, found: &[Addressee]) -> String {
    let lines: Vec<String> = found
        .iter()
        .flat_map(|c| {
            let about = match c.title.as_deref() {
                Some(t) => format!("{}, {}", field(t), field(&c.parent_name)),
                None => field(&c.parent_name),
            };
            addresses(c).into_iter().map(move |(address, label)| {
                let label = label
                    .map(|l| format!(" ({})", field(l)))
                    .unwrap_or_default();
                format!(
                    "{}\t{}\t{about}{label}\n",
                    field(address),
                    field(&c.full_name)
                )
            })
        })
        .collect();
    let mut out = format!(
        "kith: {} match{} for {:?}\n",
        lines.len(),
        if lines.len() == 1 { "" } else { "es" },
        field(query)
    );
    out.extend(lines);
    out
}

/// aerc's format: `email<TAB>name` per address, no status line, at most 100 lines.
pub fn aerc(found: &[Addressee]) -> String {
    found
        .iter()
        .flat_map(|c| {
            addresses(c)
                .into_iter()
                .map(move |(address, _)| format!("{}\t{}\n", field(address), field(&c.full_name)))
        })
        .take(100)
        .collect()
}
