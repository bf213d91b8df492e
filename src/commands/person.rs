//! `kith person`: one person's card, whole.

use super::{Env, Outcome};
use crate::cli::ShowFormat;
use crate::interop::json;
use crate::ops::person;
use anyhow::Result;
use std::fmt::Write;

pub fn person(env: &Env, id: i64, format: ShowFormat) -> Result<Outcome> {
    let store = env.open()?;
    let card = person::card(&store, id)?;
    if format == ShowFormat::Json {
        return Ok(Outcome::ok(
            json::to_string(&json::PersonJson::new(&card)) + "\n",
        ));
    }
    let mut out = String::new();
    let _ = writeln!(out, "{} (contact #{})", card.name(), card.contact.id);
    for (label, value) in card.rows() {
        let _ = writeln!(out, "  {label:<15}{value}");
    }
    if let Some(notes) = card.contact.fields.notes.as_deref() {
        let _ = writeln!(out, "  Notes");
        for line in crate::domain::validate::terminal_safe(notes, true).lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    let _ = writeln!(out, "\nNotes and emails ({})", card.activities.len());
    for a in &card.activities {
        let (_, lines) = person::entry_lines(a);
        let _ = writeln!(out, "  {}", person::entry_head(a));
        // The headers are in the line above; the body follows the blank line.
        let body = lines.iter().skip_while(|l| !l.is_empty()).skip(1);
        for line in body {
            let _ = writeln!(out, "    {line}");
        }
    }
    let _ = writeln!(out, "\nHistory");
    for line in card.history_lines() {
        let _ = writeln!(out, "  {line}");
    }
    Ok(Outcome::ok(out))
}
