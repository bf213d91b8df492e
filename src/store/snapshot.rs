//! Rows copied out whole, column by column, and written back as they were: what a merge keeps so
//! that undoing it restores every record exactly.

use super::error::{Result, StoreError};
use rusqlite::types::Value as Sql;
use rusqlite::{params_from_iter, Transaction};
use serde_json::{Map, Value};

/// One row: its columns by name.
pub(crate) type Row = Map<String, Value>;

fn to_json(v: Sql) -> Result<Value> {
    Ok(match v {
        Sql::Null => Value::Null,
        Sql::Integer(i) => Value::from(i),
        Sql::Real(f) => Value::from(f),
        Sql::Text(t) => Value::String(t),
        Sql::Blob(_) => {
            return Err(StoreError::Rule(
                "a merge cannot keep a binary column for its undo".into(),
            ))
        }
    })
}

fn to_sql(v: &Value) -> Sql {
    match v {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Sql::Integer(i),
            None => Sql::Real(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    }
}

/// Every column of the rows of `table` that `filter` (an SQL `WHERE ...`) picks, in rowid order
/// for tables that have one.
pub(crate) fn rows(
    tx: &Transaction,
    table: &str,
    filter: &str,
    params: &[i64],
) -> Result<Vec<Row>> {
    let mut stmt = tx.prepare(&format!("SELECT * FROM {table} {filter}"))?;
    let names: Vec<String> = stmt.column_names().iter().map(|n| n.to_string()).collect();
    let mut out = Vec::new();
    let mut found = stmt.query(params_from_iter(params))?;
    while let Some(r) = found.next()? {
        let mut row = Map::new();
        for (i, name) in names.iter().enumerate() {
            row.insert(name.clone(), to_json(r.get::<_, Sql>(i)?)?);
        }
        out.push(row);
    }
    Ok(out)
}

/// Writes `row` back as a new row of `table`.
pub(crate) fn insert(tx: &Transaction, table: &str, row: &Row) -> Result<()> {
    let names: Vec<&str> = row.keys().map(String::as_str).collect();
    let marks = vec!["?"; names.len()].join(", ");
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({marks})",
        names.join(", ")
    );
    tx.execute(&sql, params_from_iter(row.values().map(to_sql)))?;
    Ok(())
}

/// Puts every column of `row` back into the row of `table` with its `id`.
pub(crate) fn update(tx: &Transaction, table: &str, row: &Row) -> Result<()> {
    let id = row
        .get("id")
        .and_then(Value::as_i64)
        .ok_or_else(|| StoreError::Rule(format!("a kept row of {table} has no id")))?;
    let columns: Vec<(&String, &Value)> = row.iter().filter(|(k, _)| *k != "id").collect();
    let sets: Vec<String> = columns.iter().map(|(k, _)| format!("{k} = ?")).collect();
    let sql = format!("UPDATE {table} SET {} WHERE id = ?", sets.join(", "));
    let values = columns
        .iter()
        .map(|(_, v)| to_sql(v))
        .chain(std::iter::once(Sql::Integer(id)));
    tx.execute(&sql, params_from_iter(values))?;
    Ok(())
}

/// The integer in column `name` of `row`.
pub(crate) fn int(row: &Row, name: &str) -> Option<i64> {
    row.get(name).and_then(Value::as_i64)
}
