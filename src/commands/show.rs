//! `kith show`: one lead or customer, whole.

use super::{Env, Outcome};
use crate::cli::ShowFormat;
use crate::domain::validate::terminal_safe;
use crate::domain::ParentKind;
use crate::interop::{json, table};
use anyhow::Result;
use std::fmt::Write;

pub fn show(env: &Env, reference: &str, format: ShowFormat) -> Result<Outcome> {
    let store = env.open()?;
    let p = store.resolve_parent(reference)?;
    let contacts = store.list_contacts(Some(p.id))?;
    let activities = store.list_activities(p.id, None)?;
    let converted_from = match p.kind {
        ParentKind::Customer => store.converted_from(p.id)?,
        ParentKind::Lead => None,
    };
    if format == ShowFormat::Json {
        let doc = json::ParentJson::new(&p, converted_from, &contacts, &activities);
        return Ok(Outcome::ok(json::to_string(&doc) + "\n"));
    }

    let safe = |s: &str| terminal_safe(s, false);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({} #{}, {})",
        safe(&p.fields.name),
        p.kind,
        p.id,
        p.status_label()
    );
    let f = &p.fields;
    let mut rows: Vec<(&str, String)> = vec![
        ("Contact name", f.contact_name.clone().unwrap_or_default()),
        ("Email", f.email.clone().unwrap_or_default()),
        ("Phone", f.phone.clone().unwrap_or_default()),
        ("Website", f.website.clone().unwrap_or_default()),
        ("Industry", f.industry.clone().unwrap_or_default()),
        ("Source", f.source.clone().unwrap_or_default()),
    ];
    if p.kind == ParentKind::Customer {
        rows.retain(|(k, _)| *k != "Contact name" && *k != "Source");
    }
    if let Some(c) = p.converted_to {
        rows.push(("Converted to", format!("customer #{c}")));
    }
    if let Some(l) = converted_from {
        rows.push(("Converted from", format!("lead #{l}")));
    }
    for (label, value) in rows.iter().filter(|(_, v)| !v.is_empty()) {
        let _ = writeln!(out, "  {label:<15}{}", safe(value));
    }
    if let Some(notes) = &f.notes {
        let _ = writeln!(out, "  Notes");
        for line in terminal_safe(notes, true).lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    let _ = writeln!(out, "\nContacts ({})", contacts.len());
    if !contacts.is_empty() {
        for line in table::contacts(&contacts).lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    let _ = writeln!(out, "\nNotes and emails ({})", activities.len());
    for a in &activities {
        let about = a
            .people()
            .map(|n| format!(", about {}", safe(&n)))
            .unwrap_or_default();
        let subject = a
            .subject
            .as_deref()
            .map(|s| format!(": {}", safe(s)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} {} by {}{about}{subject}",
            a.created_at,
            a.kind.key(),
            safe(&a.author)
        );
        for line in terminal_safe(&a.body, true).lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    let history = store.history("parent", p.id)?;
    let _ = writeln!(out, "\nHistory");
    for h in &history {
        let _ = writeln!(out, "  {}", crate::ops::person::history_line(p.id, h));
    }
    Ok(Outcome::ok(out))
}
