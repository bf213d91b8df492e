//! One connection, to SQLite or to PostgreSQL, behind one interface: the store's modules run the
//! same statements on either, and ask [`Db::dialect`] only where the two speak differently
//! (each such place is a `sql` function at the top of its module).

pub(crate) mod ident;
mod literal;
pub(crate) mod postgres;
mod value;

pub(crate) use value::{bad_cell, Cell, FromCell, Owned, ToValue, Value};

use super::error::{Result, StoreError};
use std::time::Duration;

/// Which SQL a connection speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

/// Many values of one type as the parameters of a statement (`IN (?, ?, ...)`).
pub(crate) fn values_of<T: ToValue>(values: &[T]) -> Vec<&dyn ToValue> {
    values.iter().map(|v| v as &dyn ToValue).collect()
}

/// Parameters of a statement, as `params![a, b]` writes them.
pub(crate) type Params<'a> = &'a [&'a dyn ToValue];

macro_rules! params {
    () => {
        &[] as &[&dyn $crate::store::db::ToValue]
    };
    ($($value:expr),+ $(,)?) => {
        &[$(&$value as &dyn $crate::store::db::ToValue),+] as &[&dyn $crate::store::db::ToValue]
    };
}
pub(crate) use params;

pub(crate) enum Db {
    Sqlite(rusqlite::Connection),
    // Boxed: a connection to a server carries how to reach it again, twice SQLite's size.
    Postgres(Box<postgres::Pg>),
}

/// A row of a result, from either database.
pub(crate) enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Postgres(&'a ::postgres::SimpleQueryRow),
}

impl Row<'_> {
    pub(crate) fn get<T: FromCell>(&self, column: usize) -> Result<T> {
        value::read(self.cell(column)?, column)
    }

    fn cell(&self, column: usize) -> Result<Cell<'_>> {
        use rusqlite::types::ValueRef;
        match self {
            Row::Sqlite(row) => Ok(match row.get_ref(column)? {
                ValueRef::Null => Cell::Null,
                ValueRef::Integer(i) => Cell::Int(i),
                ValueRef::Real(f) => Cell::Real(f),
                ValueRef::Text(t) => Cell::Text(
                    std::str::from_utf8(t)
                        .map_err(|_| bad_cell(column, "it is not UTF-8 text".into()))?,
                ),
                ValueRef::Blob(b) => Cell::Blob(b),
            }),
            Row::Postgres(row) => match row.try_get(column) {
                Ok(Some(text)) => Ok(Cell::Text(text)),
                Ok(None) => Ok(Cell::Null),
                Err(e) => Err(bad_cell(column, e.to_string())),
            },
        }
    }
}

/// Turns "no row" into `None`, as `rusqlite::OptionalExtension` does.
pub(crate) trait Optional<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> Optional<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(StoreError::NoRow) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

fn sqlite_params<'a>(params: Params<'a>) -> impl Iterator<Item = Value<'a>> + 'a {
    params.iter().map(|p| p.to_value())
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}

/// A statement to run, perhaps more than once.
pub(crate) enum Stmt<'a> {
    Sqlite(rusqlite::CachedStatement<'a>),
    Postgres(&'a postgres::Pg, String),
}

impl Stmt<'_> {
    pub(crate) fn execute(&mut self, params: Params) -> Result<usize> {
        match self {
            Stmt::Sqlite(s) => Ok(s.execute(rusqlite::params_from_iter(sqlite_params(params)))?),
            Stmt::Postgres(pg, sql) => pg.execute(sql, params),
        }
    }

    /// Every row, each read by `f`.
    pub(crate) fn query_map<T>(
        &mut self,
        params: Params,
        mut f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let rows: Vec<Result<T>> = match self {
            Stmt::Sqlite(s) => {
                let mut out = Vec::new();
                let mut rows = s.query(rusqlite::params_from_iter(sqlite_params(params)))?;
                while let Some(row) = rows.next()? {
                    out.push(f(&Row::Sqlite(row)));
                }
                out
            }
            Stmt::Postgres(pg, sql) => pg.query(sql, params, |row| f(&Row::Postgres(row)))?,
        };
        Ok(rows.into_iter())
    }

    /// Runs `f` on each row as it comes, stopping at the first error.
    pub(crate) fn for_each(
        &mut self,
        params: Params,
        mut f: impl FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        match self {
            Stmt::Sqlite(s) => {
                let mut rows = s.query(rusqlite::params_from_iter(sqlite_params(params)))?;
                while let Some(row) = rows.next()? {
                    f(&Row::Sqlite(row))?;
                }
                Ok(())
            }
            Stmt::Postgres(pg, sql) => pg
                .query(sql, params, |row| f(&Row::Postgres(row)))?
                .into_iter()
                .collect(),
        }
    }

    /// The first row, read by `f`; [`StoreError::NoRow`] when there is none.
    pub(crate) fn query_row<T>(
        &mut self,
        params: Params,
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<T> {
        let mut f = Some(f);
        let mut first = None;
        match self {
            Stmt::Sqlite(s) => {
                let mut rows = s.query(rusqlite::params_from_iter(sqlite_params(params)))?;
                if let Some(row) = rows.next()? {
                    first = Some((f.take().unwrap())(&Row::Sqlite(row)));
                }
            }
            Stmt::Postgres(pg, sql) => {
                pg.query(sql, params, |row| {
                    if let Some(f) = f.take() {
                        first = Some(f(&Row::Postgres(row)));
                    }
                    Ok(())
                })?;
            }
        }
        first.unwrap_or(Err(StoreError::NoRow))
    }

    pub(crate) fn exists(&mut self, params: Params) -> Result<bool> {
        self.query_row(params, |_| Ok(()))
            .optional()
            .map(|o| o.is_some())
    }
}

impl Dialect {
    /// A subquery of the ids in a JSON array given as parameter 1: many ids in one parameter,
    /// whatever the limit on parameters.
    pub(crate) fn ids_in_json_array(self) -> &'static str {
        match self {
            Dialect::Sqlite => "SELECT value FROM json_each(?1)",
            Dialect::Postgres => "SELECT value::bigint FROM json_array_elements_text(?1::json)",
        }
    }
}

impl Db {
    pub(crate) fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite(_) => Dialect::Sqlite,
            Db::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite has (its file, its backup API, pragmas).
    pub(crate) fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Db::Sqlite(c) => Some(c),
            Db::Postgres(_) => None,
        }
    }

    pub(crate) fn prepare_cached(&self, sql: &str) -> Result<Stmt<'_>> {
        match self {
            Db::Sqlite(c) => Ok(Stmt::Sqlite(c.prepare_cached(sql)?)),
            Db::Postgres(pg) => Ok(Stmt::Postgres(pg, sql.to_string())),
        }
    }

    /// Like [`Db::prepare_cached`]: a statement run once is not worth a cache slot on SQLite,
    /// but the difference is not worth a second kind of statement here.
    pub(crate) fn prepare(&self, sql: &str) -> Result<Stmt<'_>> {
        self.prepare_cached(sql)
    }

    pub(crate) fn execute(&self, sql: &str, params: Params) -> Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    pub(crate) fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Db::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Db::Postgres(pg) => pg.batch(sql),
        }
    }

    pub(crate) fn query_row<T>(
        &self,
        sql: &str,
        params: Params,
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    pub(crate) fn query_map<T>(
        &self,
        sql: &str,
        params: Params,
        f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.prepare_cached(sql)?.query_map(params, f)?.collect()
    }

    /// The column names and every row of `sql`, each value with the type the database gave it:
    /// what copies rows whole (a merge's undo, a store moved between databases) reads.
    pub(crate) fn typed_rows(
        &self,
        sql: &str,
        params: Params,
    ) -> Result<(Vec<String>, Vec<Vec<Owned>>)> {
        match self {
            Db::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let names: Vec<String> =
                    stmt.column_names().iter().map(|n| n.to_string()).collect();
                let mut rows = stmt.query(rusqlite::params_from_iter(sqlite_params(params)))?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    let row = Row::Sqlite(row);
                    out.push(
                        (0..names.len())
                            .map(|i| row.get::<Owned>(i))
                            .collect::<Result<_>>()?,
                    );
                }
                Ok((names, out))
            }
            Db::Postgres(pg) => pg.typed_rows(sql, params),
        }
    }

    /// The id of the row the last INSERT made.
    pub(crate) fn last_insert_rowid(&self) -> Result<i64> {
        match self {
            Db::Sqlite(c) => Ok(c.last_insert_rowid()),
            Db::Postgres(pg) => pg.last_insert_id(),
        }
    }

    /// Starts the one write transaction: writers take turns, waiting at most `wait`.
    pub(crate) fn begin_write(&self) -> Result<()> {
        match self {
            // The write lock up front, so that a read-then-write never fails half-way with
            // SQLITE_BUSY; the wait is the busy timeout.
            Db::Sqlite(c) => Ok(c.execute_batch("BEGIN IMMEDIATE")?),
            Db::Postgres(pg) => pg.begin_write(),
        }
    }

    pub(crate) fn commit(&self) -> Result<()> {
        match self {
            Db::Sqlite(c) => Ok(c.execute_batch("COMMIT")?),
            Db::Postgres(pg) => pg.commit(),
        }
    }

    pub(crate) fn rollback(&self) {
        match self {
            Db::Sqlite(c) => {
                if !c.is_autocommit() {
                    let _ = c.execute_batch("ROLLBACK");
                }
            }
            Db::Postgres(pg) => pg.rollback(),
        }
    }

    /// How long a write waits for another writer from now on.
    pub(crate) fn set_lock_wait(&self, wait: Duration) -> Result<()> {
        match self {
            Db::Sqlite(c) => Ok(c.busy_timeout(wait)?),
            Db::Postgres(pg) => {
                pg.set_lock_wait(wait);
                Ok(())
            }
        }
    }
}
