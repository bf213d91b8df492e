//! Commands that look after the store as a whole: demo data, backup, check.

use super::{Env, Outcome};
use anyhow::{bail, Context, Result};
use std::path::Path;

pub fn demo(env: &Env, contacts: usize) -> Result<Outcome> {
    let mut store = env.open()?;
    if !store.is_empty()? {
        bail!(
            "{}: the store already has data; `kith demo` only fills an empty store (use --db with a new file)",
            env.db.display()
        );
    }
    let s = crate::demo::fill(&mut store, contacts)?;
    Ok(Outcome::ok(format!(
        "Added {} leads, {} customers, {} contacts and {} notes to {}\n",
        s.leads,
        s.customers,
        s.contacts,
        s.activities,
        env.db.display()
    )))
}

pub fn backup(env: &Env, file: &Path) -> Result<Outcome> {
    let store = env.open()?;
    store
        .backup_to(file)
        .with_context(|| format!("backup to {} failed", file.display()))?;
    Ok(Outcome::ok(format!(
        "Backed up {} to {}\n",
        env.db.display(),
        file.display()
    )))
}

pub fn check(env: &Env) -> Result<Outcome> {
    let store = env.open()?;
    let problems = store.check()?;
    if problems.is_empty() {
        return Ok(Outcome::ok(format!("{}: ok\n", env.db.display())));
    }
    let mut out = String::new();
    for p in &problems {
        out.push_str(&crate::domain::validate::terminal_safe(p, false));
        out.push('\n');
    }
    out.push_str(&format!("{} problem(s) found\n", problems.len()));
    Ok(Outcome {
        listing: None,
        stdout: out,
        code: 1,
    })
}
