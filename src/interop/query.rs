//! The answers of an address lookup, as mail clients read them: mutt / neomutt `query_command`
//! and aerc `address-book-cmd`. Who matches is `ops::lookup`'s to say.

use crate::domain::validate::sanitize;
use crate::domain::Contact;

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
