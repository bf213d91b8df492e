//! Importing contacts read from vCard or CSV files: parents found or created by name, duplicates
//! skipped, bad rows reported by line, all in one transaction.

use crate::domain::{ContactFields, ParentFields, ParentKind};
use crate::interop::{csv, vcard};
use crate::store::{Result, Store, StoreError};
use std::collections::HashMap;

/// The parent of contacts whose file names no organisation.
pub const UNFILED: &str = "Unfiled";

/// One contact to import, whatever file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: usize,
    pub parent: Option<String>,
    pub parent_kind: Option<ParentKind>,
    pub fields: ContactFields,
    /// Oddities the reader noticed; reported with the row's line, the row still imported.
    pub warnings: Vec<String>,
}

/// What a file to import holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Vcard,
    Csv,
}

/// A row that could not be read: (line, message).
pub type BadRow = (usize, String);

/// The rows of a file in `format`. A bad card or row is an error of its own, imported by
/// nobody but reported with the rest; a CSV header kith cannot read fails the whole file.
pub fn read_rows(
    bytes: &[u8],
    format: Format,
) -> std::result::Result<Vec<std::result::Result<ImportRow, BadRow>>, BadRow> {
    Ok(match format {
        Format::Vcard => vcard::parse(bytes)
            .into_iter()
            .map(|card| {
                card.map(|c| ImportRow {
                    line: c.line,
                    parent: c.org,
                    parent_kind: c.parent_kind,
                    fields: c.fields,
                    warnings: c.warnings,
                })
                .map_err(|e| (e.line, e.message))
            })
            .collect(),
        Format::Csv => {
            let (_, rows) = csv::read(bytes).map_err(|e| (e.line, e.message))?;
            rows.into_iter()
                .map(|row| {
                    row.map(|r| ImportRow {
                        line: r.line,
                        parent: r.parent,
                        parent_kind: r.parent_kind,
                        fields: r.fields,
                        warnings: r.warnings,
                    })
                    .map_err(|e| (e.line, e.message))
                })
                .collect()
        }
    })
}

#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    /// The kind of the parents created for rows that do not say.
    pub default_kind: ParentKind,
    /// Any bad row cancels the whole import.
    pub all_or_nothing: bool,
    /// A row that is a contact already in the store (same UID or email) fills in what the
    /// contact lacks, instead of being skipped.
    pub update: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub imported: usize,
    pub duplicates: usize,
    /// Contacts already in the store that a row added something to (with `update`).
    pub updated: usize,
    pub parents_created: usize,
    /// Every row that could not be imported.
    pub errors: Vec<BadRow>,
    /// Oddities of rows that were imported all the same: (line, message).
    pub warnings: Vec<BadRow>,
}

/// Imports `rows` (parse errors included, to be reported with the rest). `progress` is called
/// with (done, total) every thousand rows. With `all_or_nothing`, a bad row makes this return
/// `Err` with nothing written; the report's errors are still filled in.
pub fn import(
    store: &mut Store,
    rows: Vec<std::result::Result<ImportRow, BadRow>>,
    options: ImportOptions,
    report: &mut ImportReport,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<()> {
    let total = rows.len();
    store.batch(|b| {
        // Names compare ignoring case; a converted lead gives way to the customer it became.
        let mut parents: HashMap<String, i64> = HashMap::new();
        for (id, name, converted) in b.parent_names()? {
            let key = name.to_lowercase();
            if !converted || !parents.contains_key(&key) {
                parents.insert(key, id);
            }
        }
        // Who is here already: by UID, by any email address, by name at a parent.
        let mut uids: HashMap<String, i64> = HashMap::new();
        let mut names: HashMap<(i64, String), i64> = HashMap::new();
        for k in b.contact_keys()? {
            if let Some(uid) = k.uid {
                uids.insert(uid, k.id);
            }
            names.insert((k.parent_id, k.full_name.to_lowercase()), k.id);
        }
        let mut emails: HashMap<String, i64> = HashMap::new();
        for (id, address) in b.email_keys()? {
            emails.insert(address.to_lowercase(), id);
        }

        // Rows are validated ahead of the writes a few thousand at a time, on every core: all
        // at once would hold a second copy of the whole file.
        const AHEAD: usize = 4096;
        let mut rows = rows;
        let mut checks = Vec::new().into_iter();
        for done in 0..total {
            if done % 1000 == 0 {
                progress(done, total);
            }
            if done % AHEAD == 0 {
                let fields: Vec<&ContactFields> = rows[done..total.min(done + AHEAD)]
                    .iter()
                    .filter_map(|r| r.as_ref().ok().map(|r| &r.fields))
                    .collect();
                checks = b.check_contacts(&fields).into_iter();
            }
            let row = match std::mem::replace(&mut rows[done], Err((0, String::new()))) {
                Ok(r) => r,
                Err(e) => {
                    report.errors.push(e);
                    continue;
                }
            };
            for w in &row.warnings {
                report.warnings.push((row.line, w.clone()));
            }
            let Some(check) = checks.next() else {
                return Err(StoreError::Rule("a row was not validated".into()));
            };
            let checked = match check {
                Ok(v) => v,
                Err(e) => {
                    report.errors.push((row.line, e.to_string()));
                    continue;
                }
            };
            let clean = checked.fields();
            let parent_name = row
                .parent
                .clone()
                .filter(|p| !p.trim().is_empty())
                .unwrap_or_else(|| UNFILED.to_string());
            let key = parent_name.trim().to_lowercase();
            let known = parents.get(&key).copied();
            let full = clean.full_name.clone().unwrap_or_default().to_lowercase();
            let same = clean
                .uid
                .as_ref()
                .and_then(|u| uids.get(u))
                .or_else(|| {
                    clean
                        .emails
                        .iter()
                        .find_map(|e| emails.get(&e.value.to_lowercase()))
                })
                .or_else(|| match (clean.emails.is_empty(), known) {
                    (true, Some(pid)) => names.get(&(pid, full.clone())),
                    _ => None,
                })
                .copied();
            let remember = |id: i64, f: &ContactFields, emails: &mut HashMap<String, i64>| {
                for e in &f.emails {
                    emails.entry(e.value.to_lowercase()).or_insert(id);
                }
            };
            if let Some(id) = same {
                if !options.update {
                    report.duplicates += 1;
                    continue;
                }
                let result = b.savepoint(|b| {
                    let stored = b.contact(id)?;
                    let merged = stored.fields.filled_from(clean);
                    let (merged, _) = merged.validated(None)?;
                    if merged == stored.fields {
                        return Ok(None);
                    }
                    b.update_contact(id, stored.version, &merged)?;
                    Ok(Some(merged))
                });
                match result {
                    Ok(Some(merged)) => {
                        remember(id, &merged, &mut emails);
                        report.updated += 1;
                    }
                    Ok(None) => report.duplicates += 1,
                    Err(StoreError::Invalid(e)) => report.errors.push((row.line, e.to_string())),
                    Err(e) => return Err(e),
                }
                continue;
            }
            let kind = row.parent_kind.unwrap_or(options.default_kind);
            // No savepoint: every check that can refuse a row runs before its first write (the
            // fields above, a new parent's before it is written), so a failure past this point
            // is the store's and ends the whole import.
            let (pid, created) = match known {
                Some(pid) => (pid, false),
                None => {
                    let fields = ParentFields {
                        name: parent_name.clone(),
                        ..Default::default()
                    };
                    match b.add_parent(kind, &fields) {
                        Ok(pid) => (pid, true),
                        Err(StoreError::Invalid(e)) => {
                            report.errors.push((row.line, e.to_string()));
                            continue;
                        }
                        Err(e) => return Err(e),
                    }
                }
            };
            if created {
                parents.insert(key, pid);
                report.parents_created += 1;
            }
            let uid = clean.uid.clone();
            let addresses: Vec<String> = clean
                .emails
                .iter()
                .map(|e| e.value.to_lowercase())
                .collect();
            let id = b.add_checked_contact(pid, checked)?;
            for address in addresses {
                emails.entry(address).or_insert(id);
            }
            if let Some(uid) = uid {
                uids.insert(uid, id);
            }
            names.insert((pid, full), id);
            report.imported += 1;
        }
        progress(total, total);
        report.errors.sort_by_key(|e| e.0);
        report.warnings.sort_by_key(|e| e.0);
        if options.all_or_nothing && !report.errors.is_empty() {
            return Err(StoreError::Rule(format!(
                "{} bad row(s); with --all-or-nothing nothing was imported",
                report.errors.len()
            )));
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::temp_store;

    #[test]
    fn rows_validated_ahead_on_several_threads_keep_their_own_lines() {
        // More rows than one validation pass takes, bad ones in different passes and threads.
        let mut csv = String::from("parent,first_name,last_name,email,phone\r\n");
        let bad = [3, 700, 4099, 5000];
        for i in 0..6000 {
            let email = match bad.contains(&i) {
                true => format!("person{i}-at-nowhere"),
                false => format!("person{i}@acme{}.test", i % 7),
            };
            csv.push_str(&format!(
                "Acme {},P{i},L{i},{email},+1 415 555 {:04}\r\n",
                i % 7,
                i
            ));
        }
        let rows = read_rows(csv.as_bytes(), Format::Csv).unwrap();
        let (_dir, mut store) = temp_store();
        let mut report = ImportReport::default();
        let options = ImportOptions {
            default_kind: ParentKind::Lead,
            all_or_nothing: false,
            update: false,
        };
        import(&mut store, rows, options, &mut report, &mut |_, _| {}).unwrap();
        assert_eq!(report.imported, 6000 - bad.len());
        let lines: Vec<usize> = report.errors.iter().map(|e| e.0).collect();
        // Line 1 is the header; row i is on line i + 2.
        assert_eq!(lines, bad.map(|i| i + 2));
        for (line, message) in &report.errors {
            assert!(
                message.contains(&format!("person{}-at-nowhere", line - 2)),
                "{message}"
            );
        }
        let people = store.list_contacts(None).unwrap();
        let p4100 = people
            .iter()
            .find(|c| c.fields.first_name.as_deref() == Some("P4100"));
        let p4100 = p4100.expect("row 4100 imported");
        assert_eq!(
            p4100.fields.emails[0].value,
            format!("person4100@acme{}.test", 4100 % 7)
        );
        assert_eq!(p4100.parent_name, format!("Acme {}", 4100 % 7));
    }

    #[test]
    fn read_rows_gives_one_row_per_card_or_line_and_refuses_an_unknown_header() {
        let csv = b"parent,parent_kind,first_name,last_name,full_name,email,phone,title,notes\r\n\
                    Acme,customer,Ada,Lovelace,,ada@acme.io,,CTO,\r\n";
        let rows = read_rows(csv, Format::Csv).unwrap();
        let row = rows[0].as_ref().unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((row.line, row.parent.as_deref()), (2, Some("Acme")));
        assert_eq!(row.parent_kind, Some(ParentKind::Customer));
        assert_eq!(row.fields.title.as_deref(), Some("CTO"));

        let (line, message) = read_rows(b"what,ever\r\n1,2\r\n", Format::Csv).unwrap_err();
        assert_eq!(line, 1);
        assert!(message.contains("not a contacts CSV"), "{message}");

        let cards = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob\r\nORG:Globex\r\nEND:VCARD\r\n";
        let rows = read_rows(cards, Format::Vcard).unwrap();
        let row = rows[0].as_ref().unwrap();
        assert_eq!((row.line, row.parent.as_deref()), (1, Some("Globex")));
        assert_eq!(row.fields.full_name.as_deref(), Some("Bob"));
    }
}
