//! Which store a test runs against, and SQL run on it behind kith's back, for either backend.
//! Self-contained (std, kith, rusqlite, postgres), so that the end-to-end harness takes it too.
// Each test binary uses a different part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The store a test runs against. A test binary whose name starts with `pg_` (`tests/pg_cli.rs`,
/// which takes its test bodies from `tests/cli.rs`) runs every test on a fresh PostgreSQL
/// database of the cluster in `pg.rs`; the others on an SQLite file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn backend() -> Backend {
    let exe = std::env::current_exe().expect("the test binary's path");
    let name = exe.file_name().map(|n| n.to_string_lossy().into_owned());
    if name.is_some_and(|n| n.starts_with("pg_")) {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

/// A new store of `backend` in `dir`: a file there, or a fresh database of the test cluster.
pub fn new_store(backend: Backend, dir: &Path) -> PathBuf {
    match backend {
        Backend::Sqlite => dir.join("kith.db"),
        Backend::Postgres => PathBuf::from(super::pg::cluster().fresh_database()),
    }
}

/// A value for [`sql_on`].
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    Text(&'a str),
    Int(i64),
}

/// Runs `sql` (parameters written `?1`, `?2`) on the store `db` (an SQLite file or a
/// PostgreSQL URL) behind kith's back, as another program or a damaged file would. Returns the
/// first column of the first row, as text, when there is one.
pub fn sql_on(db: &Path, sql: &str, args: &[Arg]) -> Option<String> {
    try_sql_on(db, sql, args).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// [`sql_on`], with the database's refusal as an error instead of a panic: for tests of what
/// the schema refuses.
pub fn try_sql_on(db: &Path, sql: &str, args: &[Arg]) -> Result<Option<String>, String> {
    if kith::store::is_url(db) {
        let mut text = sql.to_string();
        for i in (1..=args.len()).rev() {
            text = text.replace(&format!("?{i}"), &format!("${i}"));
        }
        let (mut client, _) = kith::store::pgconnect::connect(
            &db.to_string_lossy(),
            &kith::store::pgconnect::ConnectOptions::default(),
        )
        .expect("connect to the test database");
        let owned: Vec<Box<dyn postgres::types::ToSql + Sync>> = args
            .iter()
            .map(|a| -> Box<dyn postgres::types::ToSql + Sync> {
                match a {
                    Arg::Text(t) => Box::new(t.to_string()),
                    Arg::Int(i) => Box::new(*i),
                }
            })
            .collect();
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            owned.iter().map(|b| b.as_ref()).collect();
        let rows = client
            .query(text.as_str(), &refs)
            .map_err(|e| e.to_string())?;
        return Ok(rows.first().filter(|r| !r.is_empty()).map(|r| {
            let column = &r.columns()[0];
            match *column.type_() {
                postgres::types::Type::INT8 => r.get::<_, Option<i64>>(0).map(|v| v.to_string()),
                postgres::types::Type::INT4 => r.get::<_, Option<i32>>(0).map(|v| v.to_string()),
                postgres::types::Type::BOOL => {
                    r.get::<_, Option<bool>>(0).map(|v| (v as i64).to_string())
                }
                _ => r.get::<_, Option<String>>(0),
            }
            .unwrap_or_default()
        }));
    }
    let conn = rusqlite::Connection::open(db).expect("open the store with rusqlite");
    let params: Vec<rusqlite::types::Value> = args
        .iter()
        .map(|a| match a {
            Arg::Text(t) => rusqlite::types::Value::Text(t.to_string()),
            Arg::Int(i) => rusqlite::types::Value::Integer(*i),
        })
        .collect();
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(|e| e.to_string())?;
    let mut stmt = conn.prepare(sql).map_err(|e| e.to_string())?;
    let mut rows = stmt
        .query(rusqlite::params_from_iter(params))
        .map_err(|e| e.to_string())?;
    let Some(row) = rows.next().map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    if row.as_ref().column_count() == 0 {
        return Ok(None);
    }
    Ok(Some(match row.get_ref(0).map_err(|e| e.to_string())? {
        rusqlite::types::ValueRef::Null => String::new(),
        rusqlite::types::ValueRef::Integer(i) => i.to_string(),
        rusqlite::types::ValueRef::Real(f) => f.to_string(),
        rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        rusqlite::types::ValueRef::Blob(_) => String::new(),
    }))
}

/// Every row `sql` answers on the store `db`, each column as text ("NULL" for none): for
/// comparing what a store holds before and after, on either backend.
pub fn rows_on(db: &Path, sql: &str) -> Vec<Vec<String>> {
    if kith::store::is_url(db) {
        let (mut client, _) = kith::store::pgconnect::connect(
            &db.to_string_lossy(),
            &kith::store::pgconnect::ConnectOptions::default(),
        )
        .expect("connect to the test database");
        return client
            .simple_query(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .iter()
            .filter_map(|m| match m {
                postgres::SimpleQueryMessage::Row(r) => Some(
                    (0..r.len())
                        .map(|i| r.get(i).unwrap_or("NULL").to_string())
                        .collect(),
                ),
                _ => None,
            })
            .collect();
    }
    let conn = rusqlite::Connection::open(db).expect("open the store with rusqlite");
    let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        Ok((0..n)
            .map(|i| match r.get_ref(i).unwrap() {
                rusqlite::types::ValueRef::Null => "NULL".to_string(),
                rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                rusqlite::types::ValueRef::Real(v) => v.to_string(),
                rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                rusqlite::types::ValueRef::Blob(b) => format!("{b:?}"),
            })
            .collect())
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// The tables of the store `db`.
pub fn tables_on(db: &Path) -> Vec<String> {
    let sql = if kith::store::is_url(db) {
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1"
    };
    rows_on(db, sql)
        .into_iter()
        .map(|mut r| r.remove(0))
        .collect()
}
