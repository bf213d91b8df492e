//! A table's INSERT and UPDATE written from one list of (column, value) pairs, so that each
//! table names its editable columns once and a new column is one more pair there.

use rusqlite::{params_from_iter, ToSql, Transaction};

/// A column and the value to write into it.
pub(crate) type Column<'a> = (&'static str, &'a dyn ToSql);

/// Inserts one row; returns its id. A contact or a parent never takes the id of one merged away:
/// undoing the merge gives that id back.
pub(crate) fn insert(tx: &Transaction, table: &str, columns: &[Column]) -> rusqlite::Result<i64> {
    let mut names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
    let mut marks = vec!["?".to_string(); names.len()];
    let merged_kind = match table {
        "contacts" => Some("contact"),
        "parents" => Some("parent"),
        _ => None,
    };
    if let Some(kind) = merged_kind {
        names.insert(0, "id");
        marks.insert(
            0,
            format!(
                "(SELECT max(coalesce((SELECT max(id) FROM {table}), 0),
                            coalesce((SELECT max(merged) FROM merges WHERE kind = '{kind}'), 0))
                 + 1)"
            ),
        );
    }
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        names.join(", "),
        marks.join(", ")
    );
    tx.prepare_cached(&sql)?
        .execute(params_from_iter(columns.iter().map(|(_, value)| value)))?;
    Ok(tx.last_insert_rowid())
}

/// Writes `columns` into row `id` only if its version is still `version`, and moves the version
/// on. Returns how many rows changed: 0 means the row is gone or someone saved it since.
pub(crate) fn update(
    tx: &Transaction,
    table: &str,
    id: i64,
    version: i64,
    columns: &[Column],
) -> rusqlite::Result<usize> {
    let sets: Vec<String> = columns
        .iter()
        .map(|(name, _)| format!("{name} = ?"))
        .collect();
    let sql = format!(
        "UPDATE {table} SET {}, version = version + 1 WHERE id = ? AND version = ?",
        sets.join(", ")
    );
    let key: [&dyn ToSql; 2] = [&id, &version];
    let values = columns.iter().map(|(_, value)| *value).chain(key);
    tx.prepare_cached(&sql)?.execute(params_from_iter(values))
}
