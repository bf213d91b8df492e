//! A table's INSERT and UPDATE written from one list of (column, value) pairs, so that each
//! table names its editable columns once and a new column is one more pair there.

use super::db::{Db, Dialect, ToValue};
use super::error::Result;

/// A column and the value to write into it.
pub(crate) type Column<'a> = (&'static str, &'a dyn ToValue);

/// Inserts one row; returns its id. A contact or a parent never takes the id of one merged away,
/// nor a contact that of one a sync deleted: undoing the merge or the deletion gives it back.
pub(crate) fn insert(tx: &Db, table: &str, columns: &[Column]) -> Result<i64> {
    let greatest = match tx.dialect() {
        Dialect::Sqlite => "max",
        Dialect::Postgres => "greatest",
    };
    let mut names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
    let mut marks = vec!["?".to_string(); names.len()];
    let merged_kind = match table {
        "contacts" => Some("contact"),
        "parents" => Some("parent"),
        _ => None,
    };
    if let Some(kind) = merged_kind {
        let kept = match kind {
            "contact" => "(SELECT max(contact_id) FROM kept_contacts)",
            _ => "NULL",
        };
        names.insert(0, "id");
        marks.insert(
            0,
            format!(
                "(SELECT {greatest}(coalesce((SELECT max(id) FROM {table}), 0),
                            coalesce((SELECT max(merged) FROM merges WHERE kind = '{kind}'), 0),
                            coalesce({kept}, 0))
                 + 1)"
            ),
        );
    }
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({}) RETURNING id",
        names.join(", "),
        marks.join(", ")
    );
    let values: Vec<&dyn ToValue> = columns.iter().map(|(_, value)| *value).collect();
    tx.prepare_cached(&sql)?.query_row(&values, |r| r.get(0))
}

/// Writes `columns` into row `id` only if its version is still `version`, and moves the version
/// on. Returns how many rows changed: 0 means the row is gone or someone saved it since.
pub(crate) fn update(
    tx: &Db,
    table: &str,
    id: i64,
    version: i64,
    columns: &[Column],
) -> Result<usize> {
    let sets: Vec<String> = columns
        .iter()
        .map(|(name, _)| format!("{name} = ?"))
        .collect();
    let sql = format!(
        "UPDATE {table} SET {}, version = version + 1 WHERE id = ? AND version = ?",
        sets.join(", ")
    );
    let key: [&dyn ToValue; 2] = [&id, &version];
    let values: Vec<&dyn ToValue> = columns.iter().map(|(_, value)| *value).chain(key).collect();
    tx.prepare_cached(&sql)?.execute(&values)
}
