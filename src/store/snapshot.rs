//! Rows copied out whole, column by column, and written back as they were: what a merge or a
//! sync's deletion keeps so that undoing it restores every record exactly.

use super::db::ident::{quoted, quoted_list};
use super::db::{params, Db, Owned, ToValue};
use super::error::{Result, StoreError};
use serde_json::{Map, Value};

/// One row: its columns by name.
pub(crate) type Row = Map<String, Value>;

fn to_json(v: Owned) -> Value {
    match v {
        Owned::Null => Value::Null,
        Owned::Int(i) => Value::from(i),
        Owned::Real(f) => Value::from(f),
        Owned::Text(t) => Value::String(t),
    }
}

fn to_sql(v: &Value) -> Owned {
    match v {
        Value::Null => Owned::Null,
        Value::Bool(b) => Owned::Int(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Owned::Int(i),
            None => Owned::Real(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => Owned::Text(s.clone()),
        other => Owned::Text(other.to_string()),
    }
}

fn bound(values: &[Owned]) -> Vec<&dyn ToValue> {
    values.iter().map(|v| v as &dyn ToValue).collect()
}

/// Every column of the rows of `table` that `filter` (an SQL `WHERE ...`, written in kith's code)
/// picks, in rowid order for tables that have one.
pub(crate) fn rows(tx: &Db, table: &str, filter: &str, params: &[i64]) -> Result<Vec<Row>> {
    let params: Vec<&dyn ToValue> = params.iter().map(|p| p as &dyn ToValue).collect();
    let (names, found) = tx.typed_rows(
        &format!("SELECT * FROM {} {filter}", quoted(table)),
        &params,
    )?;
    Ok(found
        .into_iter()
        .map(|values| {
            names
                .iter()
                .cloned()
                .zip(values.into_iter().map(to_json))
                .collect()
        })
        .collect())
}

/// The column names of `row`, each checked to be a column `table` has: a kept row is read back
/// from the store, where anyone who could write it (or a store imported from a file) could have
/// put any key, and a key is never taken for SQL.
fn known_columns<'a>(tx: &Db, table: &str, row: &'a Row) -> Result<Vec<&'a String>> {
    let columns = tx.columns(table)?;
    row.keys()
        .map(|k| {
            if columns.contains(k) {
                Ok(k)
            } else {
                Err(StoreError::Rule(format!(
                    "a kept row of {table} names a column {k:?} that {table} does not have"
                )))
            }
        })
        .collect()
}

/// Writes `row` back as a new row of `table`.
pub(crate) fn insert(tx: &Db, table: &str, row: &Row) -> Result<()> {
    let names = known_columns(tx, table, row)?;
    let marks = vec!["?"; names.len()].join(", ");
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({marks})",
        quoted(table),
        quoted_list(&names)
    );
    let values: Vec<Owned> = row.values().map(to_sql).collect();
    tx.execute(&sql, &bound(&values))?;
    Ok(())
}

/// Puts every column of `row` back into the row of `table` with its `id`.
pub(crate) fn update(tx: &Db, table: &str, row: &Row) -> Result<()> {
    let id = row
        .get("id")
        .and_then(Value::as_i64)
        .ok_or_else(|| StoreError::Rule(format!("a kept row of {table} has no id")))?;
    known_columns(tx, table, row)?;
    let columns: Vec<(&String, &Value)> = row.iter().filter(|(k, _)| *k != "id").collect();
    let sets: Vec<String> = columns
        .iter()
        .map(|(k, _)| format!("{} = ?", quoted(k)))
        .collect();
    let sql = format!(
        "UPDATE {} SET {} WHERE id = ?",
        quoted(table),
        sets.join(", ")
    );
    let values: Vec<Owned> = columns
        .iter()
        .map(|(_, v)| to_sql(v))
        .chain(std::iter::once(Owned::Int(id)))
        .collect();
    tx.execute(&sql, &bound(&values))?;
    Ok(())
}

/// The integer in column `name` of `row`.
pub(crate) fn int(row: &Row, name: &str) -> Option<i64> {
    row.get(name).and_then(Value::as_i64)
}

/// The rows a kept JSON array holds.
pub(crate) fn rows_of(v: &Value) -> Vec<Row> {
    v.as_array()
        .map(|a| a.iter().filter_map(|r| r.as_object().cloned()).collect())
        .unwrap_or_default()
}

/// The ids `sql` answers for `id` (its one parameter).
pub(crate) fn ids(tx: &Db, sql: &str, id: i64) -> Result<Vec<i64>> {
    let mut stmt = tx.prepare(sql)?;
    let found = stmt.query_map(params![id], |r| r.get(0))?;
    found.collect::<Result<_>>()
}

/// The whole numbers a kept JSON array holds.
pub(crate) fn ints(v: &Value) -> Vec<i64> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default()
}
