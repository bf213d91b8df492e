//! A whole store copied from one database to the other: `kith backup` of a PostgreSQL store
//! writes a kith SQLite file, and `kith import-store` moves an SQLite store into an empty one.
//! Every row keeps its id, so a store moved there and back is the store it was.

use super::db::ident::{quoted, quoted_list};
use super::db::{params, Db, Dialect, Owned, ToValue};
use super::error::{Result, StoreError};
use super::{open, schema, search, Store};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

/// The tables a store is made of, each with the key its rows are read in, parents before
/// children. The search index is not copied: it is rebuilt from what it indexes.
const TABLES: &[(&str, &str)] = &[
    ("parents", "id"),
    ("contacts", "id"),
    ("activities", "id"),
    ("activity_participants", "activity_id, contact_id"),
    ("history", "id"),
    ("contact_emails", "contact_id, position"),
    ("contact_phones", "contact_id, position"),
    ("contact_tags", "contact_id, position"),
    ("merges", "id"),
    ("distinct_pairs", "kind, low, high"),
    ("sync_state", "folder, uid"),
    ("sync_conflicts", "folder, uid"),
    ("sync_runs", "id"),
    ("changes", "id"),
    ("kept_contacts", "id"),
];

/// Columns that point into their own table: written after every row of it is there, since a
/// lead may be converted into a customer made after it.
const SELF_REFERENCES: &[(&str, &str)] = &[("parents", "converted_to"), ("contacts", "moved_to")];

/// Tables whose ids the database hands out: its counter must go on after the copied ids.
const COUNTED: &[&str] = &[
    "activities",
    "history",
    "merges",
    "changes",
    "kept_contacts",
];

/// Rows per INSERT: one statement per row would be one round trip per row to a server.
const ROWS_PER_INSERT: usize = 200;

/// How many rows each table holds, for the report.
pub type Counts = Vec<(&'static str, usize)>;

/// kith's own schema as this build makes it in SQLite: each table (SQLite's own `sqlite_*` set
/// aside) with its columns. What is copied, and what a source must hold, is read from here and
/// never from the source: a name in a file someone sends is data, not SQL.
struct KithSchema {
    tables: BTreeMap<String, Vec<String>>,
}

fn kith_schema() -> Result<&'static KithSchema> {
    static SCHEMA: OnceLock<KithSchema> = OnceLock::new();
    if let Some(s) = SCHEMA.get() {
        return Ok(s);
    }
    let db = Db::Sqlite(rusqlite::Connection::open_in_memory()?);
    if let Some(conn) = db.sqlite() {
        schema::migrate(conn)?;
    }
    let mut tables = BTreeMap::new();
    for table in own_tables(&db)? {
        let columns = db.columns(&table)?;
        tables.insert(table, columns);
    }
    Ok(SCHEMA.get_or_init(|| KithSchema { tables }))
}

/// The tables of an SQLite database, SQLite's own (`sqlite_stat1`, ...) left out.
fn own_tables(db: &Db) -> Result<Vec<String>> {
    db.query_map(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_'
          ORDER BY name",
        params![],
        |r| r.get(0),
    )
}

/// Refuses a source whose tables or columns are not kith's, naming the first that differs (as
/// a quoted, escaped string: the name is whatever the file says).
fn check_source(source: &Store, kith: &KithSchema) -> Result<()> {
    let db = source.conn();
    let refuse = |what: String| {
        StoreError::Rule(format!(
            "{}: {what}, which kith's schema (version {}) does not; nothing was imported",
            source.path().display(),
            schema::latest()
        ))
    };
    // An SQLite file is compared whole; a PostgreSQL source is a database kith made, of
    // which the tables copied are compared.
    let tables: Vec<&str> = if db.dialect() == Dialect::Sqlite {
        let found = own_tables(db)?;
        if let Some(extra) = found.iter().find(|t| !kith.tables.contains_key(*t)) {
            return Err(refuse(format!("it holds a table {extra:?}")));
        }
        if let Some(missing) = kith.tables.keys().find(|t| !found.contains(t)) {
            return Err(refuse(format!("it lacks the table {missing:?}")));
        }
        kith.tables.keys().map(String::as_str).collect()
    } else {
        TABLES.iter().map(|(t, _)| *t).collect()
    };
    for table in tables {
        let want = &kith.tables[table];
        let found = db.columns(table)?;
        if let Some(extra) = found.iter().find(|c| !want.contains(c)) {
            return Err(refuse(format!("its table {table} has a column {extra:?}")));
        }
        if let Some(missing) = want.iter().find(|c| !found.contains(c)) {
            return Err(refuse(format!(
                "its table {table} lacks the column {missing:?}"
            )));
        }
    }
    Ok(())
}

/// Copies every row of `from` into `to`, which must be empty, inside the caller's transaction.
/// Each table's columns are kith's own (see [`KithSchema`]), quoted.
fn copy_rows(from: &Db, to: &Db) -> Result<Counts> {
    let kith = kith_schema()?;
    to.execute("UPDATE search_control SET bulk = 1", params![])?;
    let mut counts = Vec::new();
    for &(table, key) in TABLES {
        let names = kith.tables.get(table).ok_or_else(|| {
            StoreError::Rule(format!("kith's schema has no table {table} to copy"))
        })?;
        let columns = quoted_list(names);
        let (_, rows) = from.typed_rows(
            &format!("SELECT {columns} FROM {} ORDER BY {key}", quoted(table)),
            &[],
        )?;
        counts.push((table, rows.len()));
        if rows.is_empty() {
            continue;
        }
        let later: Vec<(usize, &str)> = SELF_REFERENCES
            .iter()
            .filter(|(t, _)| *t == table)
            .filter_map(|(_, column)| names.iter().position(|n| n == column).map(|i| (i, *column)))
            .collect();
        let id_at = names.iter().position(|n| n == "id");
        let row_marks = format!("({})", vec!["?"; names.len()].join(", "));
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let sql = format!(
                "INSERT INTO {} ({columns}) VALUES {}",
                quoted(table),
                vec![row_marks.as_str(); chunk.len()].join(", ")
            );
            let mut values: Vec<&dyn ToValue> = Vec::with_capacity(chunk.len() * names.len());
            for row in chunk {
                for (i, value) in row.iter().enumerate() {
                    let deferred = later.iter().any(|&(at, _)| at == i);
                    values.push(if deferred { &Owned::Null } else { value });
                }
            }
            to.execute(&sql, &values)?;
        }
        if let (Some(id_at), false) = (id_at, later.is_empty()) {
            for &(at, column) in &later {
                let sql = format!(
                    "UPDATE {} SET {} = ?1 WHERE id = ?2",
                    quoted(table),
                    quoted(column)
                );
                for row in rows.iter().filter(|r| r[at] != Owned::Null) {
                    to.execute(&sql, params![row[at], row[id_at]])?;
                }
            }
        }
    }
    let ids: Vec<i64> = to.query_map("SELECT id FROM contacts", params![], |r| r.get(0))?;
    search::refresh(to, &ids)?;
    to.execute("UPDATE search_control SET bulk = 0", params![])?;
    if to.dialect() == Dialect::Postgres {
        for table in COUNTED {
            to.execute(
                &format!(
                    "SELECT setval(pg_get_serial_sequence(?1, 'id'),
                                   coalesce((SELECT max(id) FROM {}), 0) + 1, false)",
                    quoted(table)
                ),
                params![table],
            )?;
        }
    }
    Ok(counts)
}

fn records(db: &Db) -> Result<i64> {
    db.query_row(
        "SELECT (SELECT count(*) FROM parents) + (SELECT count(*) FROM contacts)
              + (SELECT count(*) FROM activities) + (SELECT count(*) FROM merges)",
        params![],
        |r| r.get(0),
    )
}

impl Store {
    /// Moves the whole store at `source` (an SQLite file, or another PostgreSQL URL) into this
    /// one, which must hold nothing yet: in one transaction, so that a failed move leaves it
    /// empty.
    pub fn import_store(&mut self, source: &Store) -> Result<Counts> {
        if source.conn().dialect() == self.conn().dialect() && source.path() == self.path() {
            return Err(StoreError::Rule(
                "a store cannot be imported into itself".into(),
            ));
        }
        check_source(source, kith_schema()?)?;
        self.write(|to, _| {
            let held = records(to)?;
            if held > 0 {
                return Err(StoreError::Rule(format!(
                    "this store already holds {held} records; import-store moves a whole store into an empty one"
                )));
            }
            copy_rows(source.conn(), to)
        })
    }

    /// `kith backup` of a PostgreSQL store: a new kith SQLite file at `dest`, made beside it and
    /// linked into place when whole and checked, as SQLite's own backups are.
    pub(crate) fn copy_to_sqlite(&self, dest: &Path) -> Result<()> {
        super::maintenance::write_backup(dest, |tmp| {
            let copy = Db::Sqlite(open::open(tmp, std::time::Duration::from_secs(5), false)?);
            // One snapshot of the server's rows: every table read in one transaction.
            self.conn()
                .execute_batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
            let copied = copy
                .begin_write()
                .and_then(|()| copy_rows(self.conn(), &copy));
            let _ = self.conn().execute_batch("COMMIT");
            copied?;
            copy.commit()?;
            if let Db::Sqlite(c) = copy {
                // One self-contained file, no WAL beside it.
                c.execute_batch("PRAGMA journal_mode = DELETE")?;
            }
            Ok(())
        })
    }
}
