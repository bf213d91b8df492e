//! Commands that look after the store as a whole: demo data, backup, check.

use super::{shown, Env, Outcome};
use anyhow::{bail, Context, Result};
use std::path::Path;

pub fn demo(env: &Env, contacts: usize) -> Result<Outcome> {
    let mut store = env.open()?;
    if !store.is_empty()? {
        bail!(
            "{}: the store already has data; `kith demo` only fills an empty store (use --db with a new file)",
            shown(&env.db)
        );
    }
    let s = crate::demo::fill(&mut store, contacts)?;
    Ok(Outcome::ok(format!(
        "Added {} leads, {} customers, {} contacts and {} notes to {}\n",
        s.leads,
        s.customers,
        s.contacts,
        s.activities,
        shown(&env.db)
    )))
}

/// Removes a backup's unfinished files when a signal stops the process mid-copy, then lets the
/// signal do what it does by default. Undone when dropped.
struct RemovedOnSignal(Vec<signal_hook::SigId>);

impl RemovedOnSignal {
    fn install(files: &[std::path::PathBuf]) -> Result<RemovedOnSignal> {
        use std::os::unix::ffi::OsStrExt;
        let names: Vec<std::ffi::CString> = files
            .iter()
            .filter_map(|f| std::ffi::CString::new(f.as_os_str().as_bytes()).ok())
            .collect();
        let names = std::sync::Arc::new(names);
        let mut ids = Vec::new();
        use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
            let names = std::sync::Arc::clone(&names);
            let remove = move || {
                for name in names.iter() {
                    // SAFETY: unlink is async-signal-safe; the names were made beforehand.
                    unsafe { libc::unlink(name.as_ptr()) };
                }
                let _ = signal_hook::low_level::emulate_default_handler(signal);
            };
            // SAFETY: the handler only unlinks files and re-raises the signal, both
            // async-signal-safe; it allocates nothing.
            let id = unsafe { signal_hook::low_level::register(signal, remove) }
                .context("installing signal handlers")?;
            ids.push(id);
        }
        Ok(RemovedOnSignal(ids))
    }
}

impl Drop for RemovedOnSignal {
    fn drop(&mut self) {
        for id in self.0.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

pub fn backup(env: &Env, file: &Path) -> Result<Outcome> {
    let store = env.open()?;
    let scratch = crate::store::backup_scratch(file);
    let _cleanup = scratch
        .as_ref()
        .map(|f| RemovedOnSignal::install(f))
        .transpose()?;
    store.backup_to(file).map_err(|e| match e {
        // These name the backup's file already.
        crate::store::StoreError::Rule(_) | crate::store::StoreError::Io { .. } => {
            anyhow::Error::from(e)
        }
        e => anyhow::Error::from(e).context(format!("backup to {} failed", shown(file))),
    })?;
    Ok(Outcome::ok(format!(
        "Backed up {} to {}\n",
        shown(&env.db),
        shown(file)
    )))
}

pub fn import_store(env: &Env, source: &Path) -> Result<Outcome> {
    if !source.exists() && !crate::store::is_url(source) {
        bail!("{}: no such file", shown(source));
    }
    let from = super::open_store(source, &env.store_options())?;
    let mut store = env.open()?;
    let counts = store.import_store(&from)?;
    let mut out = format!("Moved {} into {}:\n", shown(source), shown(&env.db));
    for (table, n) in counts.iter().filter(|(_, n)| *n > 0) {
        out.push_str(&format!("  {n:>8}  {table}\n"));
    }
    Ok(Outcome::ok(out))
}

pub fn check(env: &Env) -> Result<Outcome> {
    let store = env.open()?;
    let problems = store.check()?;
    if problems.is_empty() {
        return Ok(Outcome::ok(format!("{}: ok\n", shown(&env.db))));
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
