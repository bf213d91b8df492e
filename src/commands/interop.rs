//! Moving data in and out: import, export, and address lookup for mail clients.

use super::{shown, Env, Outcome};
use crate::cli::{ExportFormat, ImportFormat, KindArg, ListFormat, QueryFormat};
use crate::domain::{Contact, ParentKind};
use crate::interop::{csv, json, query, table, vcard};
use crate::ops;
use crate::ops::import::{Format, ImportOptions, ImportReport};
use anyhow::{anyhow, bail, Context, Result};
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Contacts in one of the list formats.
/// Writes `list` in `format` to `out`, contact by contact where the format allows (a table
/// needs every row first, for its column widths).
pub fn render_to(
    out: &mut dyn Write,
    list: &[Contact],
    format: ListFormat,
    vcard_version: u8,
) -> std::io::Result<()> {
    match format {
        ListFormat::Table => out.write_all(table::contacts(list).as_bytes()),
        ListFormat::Json => json::write_contacts(out, list),
        ListFormat::Csv => csv::write_contacts(out, list).map_err(std::io::Error::other),
        ListFormat::Vcard => vcard::write_to(out, list, version(vcard_version)),
    }
}

fn version(v: u8) -> vcard::Version {
    if v == 4 {
        vcard::Version::V4
    } else {
        vcard::Version::V3
    }
}

/// The most one import reads into memory: ten times a file of 100,000 contacts.
const IMPORT_LIMIT: u64 = 1 << 30;

fn guess_format(file: &Path) -> Result<Format> {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("vcf" | "vcard") => Ok(Format::Vcard),
        Some("csv") => Ok(Format::Csv),
        _ => bail!(
            "{}: cannot tell the format from the name; give --format vcard or --format csv",
            file.display()
        ),
    }
}

pub fn import(
    env: &Env,
    file: &Path,
    format: Option<ImportFormat>,
    as_kind: KindArg,
    all_or_nothing: bool,
    update: bool,
) -> Result<Outcome> {
    let format = match format {
        Some(ImportFormat::Vcard) => Format::Vcard,
        Some(ImportFormat::Csv) => Format::Csv,
        None => guess_format(file)?,
    };
    let bytes = crate::files::read_regular(file, IMPORT_LIMIT).with_context(|| shown(file))?;
    let rows = ops::import::read_rows(&bytes, format)
        .map_err(|(line, message)| anyhow!("{}:{line}: {message}", shown(file)))?;
    let mut store = env.open()?;
    let options = ImportOptions {
        default_kind: match as_kind {
            KindArg::Lead => ParentKind::Lead,
            KindArg::Customer => ParentKind::Customer,
        },
        all_or_nothing,
        update,
    };
    // Progress only where a person watches, on stderr so that stdout stays clean.
    let tty = std::io::stderr().is_terminal();
    let mut progress = |done: usize, total: usize| {
        if tty && total >= 1000 {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\rimporting {done}/{total}");
            if done == total {
                let _ = writeln!(err);
            }
        }
    };
    let mut report = ImportReport::default();
    let last_before = store.last_contact_id()?;
    let result = ops::import::import(&mut store, rows, options, &mut report, &mut progress);
    let name = shown(file);
    let mut err = std::io::stderr().lock();
    // Errors and warnings in file order, each with its line, so that an editor can jump there.
    let mut said: Vec<(usize, &str, &String)> = report
        .errors
        .iter()
        .map(|(l, m)| (*l, "", m))
        .chain(report.warnings.iter().map(|(l, m)| (*l, "warning: ", m)))
        .collect();
    said.sort_by_key(|s| s.0);
    for (line, what, message) in said {
        let _ = writeln!(
            err,
            "kith: {name}:{line}: {what}{}",
            crate::domain::validate::terminal_safe(message, false)
        );
    }
    result?;
    let mut summary = format!(
        "Imported {} contact(s) from {name}: {} duplicate(s) skipped,{} {} new lead(s)/customer(s), {} bad row(s)\n",
        report.imported,
        report.duplicates,
        if update {
            format!(" {} updated,", report.updated)
        } else {
            String::new()
        },
        report.parents_created,
        report.errors.len()
    );
    summary.push_str(&likely_duplicates(&store, last_before)?);
    Ok(Outcome {
        listing: None,
        stdout: summary,
        code: u8::from(!report.errors.is_empty()),
    })
}

/// The most groups an import lists; `kith dupes` lists them all.
const DUPES_SHOWN: usize = 10;

/// People the import added who look like people already here (or like each other): not
/// merged, only said, so that the user decides.
fn likely_duplicates(store: &crate::store::Store, last_before: i64) -> Result<String> {
    let groups = ops::dupes::people_added_after(store, last_before)?;
    if groups.is_empty() {
        return Ok(String::new());
    }
    let mut out = format!(
        "{} group(s) of likely duplicates among the people imported; `kith dupes` lists them all, `kith merge` merges them:\n",
        groups.len()
    );
    out.push_str(&super::merge::describe_groups(
        &groups[..groups.len().min(DUPES_SHOWN)],
    ));
    Ok(out)
}

pub fn export(
    env: &Env,
    format: ExportFormat,
    output: Option<&Path>,
    vcard_version: u8,
) -> Result<Outcome> {
    let store = env.open()?;
    let format = match format {
        ExportFormat::Vcard => ListFormat::Vcard,
        ExportFormat::Csv => ListFormat::Csv,
        ExportFormat::Json => ListFormat::Json,
    };
    let list = store.list_contacts(None)?;
    match output {
        None => Ok(Outcome::listing(super::Listing {
            contacts: list,
            format,
            vcard_version,
        })),
        Some(path) => {
            write_whole(path, |w| render_to(w, &list, format, vcard_version))?;
            Ok(Outcome::ok(format!(
                "Exported {} contact(s) to {}\n",
                list.len(),
                shown(path)
            )))
        }
    }
}

/// Writes a file whole or not at all: to a temporary file beside it, then renamed over it.
fn write_whole(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    if path.file_name().is_none() {
        bail!("{}: not a file name", shown(path));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // A temporary file of a random name made with O_EXCL (mode 0600) beside the target, renamed
    // over it once whole: a link planted in the folder is never written through, and a reader
    // sees the old file or the new one, never half of one. Dropped unrenamed, it is removed.
    let result = (|| -> std::io::Result<()> {
        let tmp = tempfile::Builder::new()
            .prefix(".kith-export-")
            .tempfile_in(dir)?;
        let mut f = std::io::BufWriter::new(tmp);
        write(&mut f)?;
        let tmp = f.into_inner().map_err(|e| e.into_error())?;
        tmp.as_file().sync_all()?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    })();
    result.with_context(|| shown(path))
}

pub fn lookup(env: &Env, format: QueryFormat, q: &str, moved: bool) -> Result<Outcome> {
    let store = env.open()?;
    let mut found = ops::lookup::lookup(&store, q)?;
    if !moved {
        found = ops::lookup::current(&store, found)?;
    }
    Ok(match format {
        QueryFormat::Mutt if found.is_empty() => Outcome {
            listing: None,
            stdout: format!(
                "kith: no contact matches {:?}\n",
                crate::domain::validate::sanitize(q, false)
            ),
            code: 1,
        },
        QueryFormat::Mutt => Outcome::ok(query::mutt(q, &found)),
        QueryFormat::Aerc => Outcome::ok(query::aerc(&found)),
        QueryFormat::Json => {
            let ids: Vec<i64> = found.iter().map(|a| a.id).collect();
            Outcome::listing(super::Listing {
                contacts: store.contacts_by_ids(&ids)?,
                format: ListFormat::Json,
                vcard_version: 3,
            })
        }
    })
}
