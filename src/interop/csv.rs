//! kith's CSV: one contact a row, with its parent by name and kind.

use crate::domain::validate::sanitize;
use crate::domain::Contact;

pub const HEADER: [&str; 9] = [
    "parent",
    "parent_kind",
    "first_name",
    "last_name",
    "full_name",
    "email",
    "phone",
    "title",
    "notes",
];

/// Writes contacts as RFC 4180 CSV (CRLF line ends, quotes where needed). Values from the store
/// are passed through [`sanitize`] so that no control sequence leaves kith; notes keep their
/// line breaks, inside quotes.
pub fn write_contacts<W: std::io::Write>(out: W, list: &[Contact]) -> csv::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(HEADER)?;
    for c in list {
        let f = &c.fields;
        let opt = |v: &Option<String>| sanitize(v.as_deref().unwrap_or(""), false);
        w.write_record([
            sanitize(&c.parent_name, false),
            c.parent_kind.key().to_string(),
            opt(&f.first_name),
            opt(&f.last_name),
            opt(&f.full_name),
            opt(&f.email),
            opt(&f.phone),
            opt(&f.title),
            sanitize(f.notes.as_deref().unwrap_or(""), true),
        ])?;
    }
    w.flush()?;
    Ok(())
}
