//! `kith sync`: the store and a vdir folder in step, and the report of what moved which way.

use super::{shown, Env, Outcome};
use crate::cli::ShowFormat;
use crate::domain::validate::terminal_safe;
use crate::ops::sync::{plural, Keep, SyncOptions, SyncReport};
use anyhow::{bail, Result};
use std::path::Path;

pub fn sync(
    env: &Env,
    vdir: Option<&Path>,
    keep_kith: Option<String>,
    keep_file: Option<String>,
    force_delete: bool,
    format: ShowFormat,
) -> Result<Outcome> {
    let Some(folder) = crate::config::vdir_path(vdir, &env.config) else {
        bail!("no vdir folder: give --vdir DIR, or set path in the [vdir] section of the config");
    };
    let keep = match (keep_kith, keep_file) {
        (Some(uid), _) => Some((uid, Keep::Kith)),
        (None, Some(uid)) => Some((uid, Keep::File)),
        (None, None) => None,
    };
    let options = SyncOptions {
        keep,
        force_delete,
        ..SyncOptions::from_config(&env.config.vdir)
    };
    let mut store = env.open()?;
    let report = crate::ops::sync::sync(&mut store, &folder, &options)?;
    let code = u8::from(!report.conflict_list.is_empty() || !report.bad_file_list.is_empty());
    let stdout = match format {
        ShowFormat::Json => crate::interop::json::to_string(&report) + "\n",
        ShowFormat::Text => text(&report, options.keep.map(|k| k.1)),
    };
    Ok(Outcome {
        stdout,
        code,
        listing: None,
    })
}

/// The report: one line of counts, then a line per conflict and per bad file.
fn text(r: &SyncReport, keep: Option<Keep>) -> String {
    let mut out = String::new();
    if let (Some(uid), Some(keep)) = (&r.resolved, keep) {
        let side = match keep {
            Keep::Kith => "kith's version",
            Keep::File => "the file's version",
        };
        out.push_str(&format!(
            "Settled the conflict of UID {} with {side}\n",
            terminal_safe(uid, false)
        ));
    }
    out.push_str(&crate::ops::sync::summary(r));
    out.push('\n');
    if r.deferred > 0 {
        out.push_str(&format!(
            "{} changed while the sync ran; the next `kith sync` takes them\n",
            plural(r.deferred, "card", "cards")
        ));
    }
    for k in &r.conflict_list {
        let what = k.kind.map_or("changed on both sides", |k| k.describe());
        let kith = match k.contact_id {
            Some(id) => format!("kith's version is contact #{id}"),
            None => "kith deleted it".to_string(),
        };
        let file = match &k.theirs {
            Some(_) => format!("the file's is {}", shown(&k.file)),
            None => format!("the file {} was deleted", shown(&k.file)),
        };
        out.push_str(&format!(
            "conflict: UID {} ({}): {what}; {kith}, {file}; keep one with `kith sync --keep-kith {uid}` or `kith sync --keep-file {uid}`\n",
            terminal_safe(&k.uid, false),
            terminal_safe(&k.name, false),
            uid = terminal_safe(&k.uid, false),
        ));
    }
    for b in &r.bad_file_list {
        let at = match b.line {
            0 => String::new(),
            n => format!(":{n}"),
        };
        out.push_str(&format!(
            "bad file: {}{at}: {}\n",
            shown(&b.file),
            terminal_safe(&b.message, false)
        ));
    }
    out
}
