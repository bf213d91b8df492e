//! Keeping a store healthy: the integrity check and online backups.

use super::db::{params, Db, Dialect};
use super::error::{Result, StoreError};
use super::Store;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::Connection;
use std::fs::{self, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::Duration;

/// Rules the schema cannot say by itself, as queries that return the offending rows.
const KITH_RULES: &[(&str, &str)] = &[
    (
        "SELECT l.id FROM parents l LEFT JOIN parents c ON c.id = l.converted_to
         WHERE l.converted_to IS NOT NULL AND (c.id IS NULL OR c.kind <> 'customer')",
        "lead #{} is marked converted into something that is not a customer",
    ),
    (
        "SELECT id FROM contacts WHERE moved_to = id",
        "contact #{} is marked as moved on to itself",
    ),
    (
        "SELECT c.id FROM contacts c
         WHERE c.email IS DISTINCT FROM (SELECT e.address FROM contact_emails e
                               WHERE e.contact_id = c.id AND e.preferred = 1)",
        "contact #{}: its email is not its preferred address",
    ),
    (
        "SELECT c.id FROM contacts c
         WHERE c.phone IS DISTINCT FROM (SELECT t.number FROM contact_phones t
                               WHERE t.contact_id = c.id AND t.preferred = 1)",
        "contact #{}: its phone is not its preferred number",
    ),
    (
        "SELECT contact_id FROM contact_emails GROUP BY contact_id HAVING sum(preferred) > 1
         UNION SELECT contact_id FROM contact_phones GROUP BY contact_id HAVING sum(preferred) > 1",
        "contact #{} has more than one preferred email or phone",
    ),
    (
        "SELECT id FROM contacts WHERE uid IS NULL",
        "contact #{} has no UID",
    ),
    (
        "SELECT t.id FROM contact_search_text t LEFT JOIN contact_search s ON s.rowid = t.id
          WHERE s.rowid IS NULL OR s.body IS DISTINCT FROM t.body OR s.card IS DISTINCT FROM t.card
         UNION SELECT rowid FROM contact_search WHERE rowid NOT IN (SELECT id FROM contacts)",
        "contact #{}: the search index's entry is not what the contact holds",
    ),
    (
        "SELECT max(id) FROM activities WHERE kind = 'email' AND message_id IS NOT NULL
          GROUP BY parent_id, message_id HAVING count(*) > 1",
        "email #{}: its message is on its parent's timeline more than once",
    ),
    (
        "SELECT DISTINCT p.activity_id FROM activity_participants p
           JOIN activities a ON a.id = p.activity_id WHERE a.kind <> 'email'",
        "activity #{} is a note with participants: only an email has them",
    ),
];

impl Store {
    /// Runs SQLite's integrity and foreign-key checks and kith's own rules. Returns the problems
    /// found, one line each; empty means clean.
    pub fn check(&self) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut problems = Vec::new();
        if conn.dialect() == Dialect::Postgres {
            // The server enforces every constraint on every write; one added without checking
            // the rows already there (NOT VALID) is the only way a row can break one.
            let mut stmt = conn.prepare(
                "SELECT conrelid::regclass::text, conname FROM pg_constraint
                  WHERE NOT convalidated AND connamespace = current_schema()::regnamespace",
            )?;
            for row in stmt.query_map(params![], |r| {
                Ok((r.get::<String>(0)?, r.get::<String>(1)?))
            })? {
                let (table, name) = row?;
                problems.push(format!("constraint: {name} of {table} was never checked"));
            }
        } else {
            problems.extend(sqlite_checks(self.conn())?);
        }
        for (sql, message) in KITH_RULES {
            let mut stmt = conn.prepare(sql)?;
            for id in stmt.query_map(params![], |r| r.get::<i64>(0))? {
                problems.push(message.replace("{}", &id?.to_string()));
            }
        }
        Ok(problems)
    }

    /// Writes a consistent copy of the store to `dest` while others may be writing: the pages
    /// are copied in one step under one read transaction. The copy is written beside `dest`,
    /// checked, made a single self-contained file (mode 0600), and only then renamed into place,
    /// so a failed backup leaves nothing half-written. Refuses to overwrite an existing file.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let Some(source) = self.conn().sqlite() else {
            return self.copy_to_sqlite(dest);
        };
        write_backup(dest, |tmp| {
            let mut copy = Connection::open(tmp)?;
            // No journal: a copy that fails is thrown away, and a journal would be one more
            // file to leave behind.
            copy.query_row("PRAGMA journal_mode = OFF", [], |r| r.get::<_, String>(0))?;
            {
                let backup = Backup::new(source, &mut copy)?;
                // All pages in one step, so the copy is one snapshot; busy or locked only means
                // a writer holds a lock this instant.
                loop {
                    match backup.step(-1)? {
                        StepResult::Done => break,
                        StepResult::More | StepResult::Busy | StepResult::Locked => {
                            std::thread::sleep(Duration::from_millis(20))
                        }
                        _ => std::thread::sleep(Duration::from_millis(20)),
                    }
                }
            }
            copy.query_row("PRAGMA journal_mode = DELETE", [], |r| {
                r.get::<_, String>(0)
            })?;
            Ok(())
        })
    }
}

/// Writes a backup to `dest`: `write` makes the kith SQLite file beside it (mode 0600), which is
/// checked, made durable and only then linked into place, so a failed backup leaves nothing
/// half-written. Refuses to overwrite an existing file.
pub(super) fn write_backup(dest: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let io = |source| StoreError::Io {
        path: dest.to_path_buf(),
        source,
    };
    if dest.exists() {
        return Err(StoreError::Rule(format!(
            "{}: already exists; kith does not overwrite a backup",
            dest.display()
        )));
    }
    let scratch = backup_scratch(dest)
        .ok_or_else(|| StoreError::Rule(format!("{}: not a file name", dest.display())))?;
    let tmp = scratch[0].clone();
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(io)?;
    let result = (|| -> Result<()> {
        write(&tmp)?;
        let verdict: String =
            Connection::open(&tmp)?.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if verdict != "ok" {
            return Err(StoreError::Rule(format!(
                "the backup failed its integrity check: {verdict}"
            )));
        }
        fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(io)?;
        // A hard link refuses to replace a file that appeared at `dest` meanwhile, where a
        // rename would silently overwrite it.
        fs::hard_link(&tmp, dest).map_err(io)?;
        let _ = fs::remove_file(&tmp);
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Makes the rename itself durable.
            let _ = fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    })();
    if result.is_err() {
        for file in &scratch {
            let _ = fs::remove_file(file);
        }
    }
    result
}

/// The files a backup to `dest` writes before it is done: the copy beside `dest` (first) and
/// the journal and WAL files SQLite may make beside it. None of them is left when the backup
/// fails; a process that is stopped mid-copy removes them (see `commands::maintenance`).
pub fn backup_scratch(dest: &Path) -> Option<[std::path::PathBuf; 4]> {
    let name = dest.file_name()?.to_string_lossy();
    let tmp = format!(".{name}.kith-backup-{}", std::process::id());
    Some(["", "-journal", "-wal", "-shm"].map(|end| dest.with_file_name(format!("{tmp}{end}"))))
}

/// SQLite's integrity and foreign-key checks.
fn sqlite_checks(conn: &Db) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    for row in stmt.query_map(params![], |r| r.get::<String>(0))? {
        let row = row?;
        if row != "ok" {
            problems.push(format!("integrity: {row}"));
        }
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map(params![], |r| {
        Ok((
            r.get::<String>(0)?,
            r.get::<Option<i64>>(1)?,
            r.get::<String>(2)?,
        ))
    })?;
    for row in rows {
        let (table, rowid, parent) = row?;
        problems.push(format!(
            "foreign key: {table} row {} points to a missing row of {parent}",
            rowid.map_or("?".to_string(), |r| r.to_string())
        ));
    }
    if let Some(sqlite) = conn.sqlite() {
        problems.extend(find_index_check(sqlite)?);
    }
    Ok(problems)
}

/// Whether the full-text index of the timeline (`kith find`) holds what the notes and emails
/// say: FTS5 compares them only when asked, through a command written as an INSERT that
/// writes nothing. A store kith cannot write is not asked.
fn find_index_check(conn: &Connection) -> Result<Option<String>> {
    use rusqlite::ErrorCode;
    let asked = conn.execute(
        "INSERT INTO activity_search (activity_search, rank) VALUES ('integrity-check', 1)",
        [],
    );
    match asked {
        Ok(_) => Ok(None),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::DatabaseCorrupt => Ok(
            Some("find index: the index of notes and emails does not match what they say".into()),
        ),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::ReadOnly => Ok(None),
        Err(e) => Err(e.into()),
    }
}
