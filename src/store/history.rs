//! The history of changes: who, when, what, and why when a reason was given.

use super::db::{params, Db, Optional};
use super::error::{Result, StoreError};
use super::{Ctx, Store};
use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    /// A JSON object `{field: [old, new]}` for edits, other details for other actions.
    pub changes: Option<String>,
    pub reason: Option<String>,
}

impl HistoryEntry {
    /// One line for people: "2026-11-25 19:57 alice status: new → contacted (called them)".
    pub fn describe(&self) -> String {
        let when = self.at.replace('T', " ");
        let when = when.get(..16).unwrap_or(&when);
        if let Some(said) = self.describe_merge() {
            return format!("{when} {} {said}", self.actor);
        }
        let mut line = format!("{when} {} {}", self.actor, self.action.replace('_', " "));
        if let Some(Ok(Value::Object(map))) = self.changes.as_deref().map(serde_json::from_str) {
            let parts: Vec<String> = map
                .iter()
                .map(|(field, v)| match v {
                    Value::Array(pair) if pair.len() == 2 => {
                        let show = |v: &Value| match v {
                            Value::Null => "—".to_string(),
                            Value::String(s) if s.is_empty() => "—".to_string(),
                            Value::String(s) if *field == "status" => {
                                crate::domain::Status::parse(s)
                                    .map_or_else(|| s.clone(), |st| st.label().to_string())
                            }
                            Value::String(s) => s.replace('\n', " "),
                            other => other.to_string(),
                        };
                        // "status: new → contacted", not "status: status: new → contacted".
                        if *field == self.action {
                            format!("{} → {}", show(&pair[0]), show(&pair[1]))
                        } else {
                            format!("{field}: {} → {}", show(&pair[0]), show(&pair[1]))
                        }
                    }
                    other => format!("{field}: {other}"),
                })
                .collect();
            if !parts.is_empty() {
                line.push_str(": ");
                line.push_str(&parts.join("; "));
            }
        }
        if let Some(reason) = &self.reason {
            line.push_str(&format!(" ({reason})"));
        }
        line
    }
}

impl HistoryEntry {
    /// "merged in #9 Grace M. Hopper (merge 4)", "merge 4 undone".
    fn describe_merge(&self) -> Option<String> {
        let detail: Value = serde_json::from_str(self.changes.as_deref()?).ok()?;
        let merge = detail["merge"].as_i64()?;
        let merged = detail["merged"].as_i64()?;
        match self.action.as_str() {
            "merge" => Some(format!(
                "merged in #{merged} {} (merge {merge})",
                detail["name"].as_str().unwrap_or("")
            )),
            "merge_undone" => Some(format!("merge {merge} undone (#{merged} back on its own)")),
            _ => None,
        }
    }
}

/// The fields that differ between two versions of a record, as `{field: [old, new]}`.
pub(crate) fn diff<T: Serialize>(old: &T, new: &T) -> Option<Value> {
    let (Ok(Value::Object(old)), Ok(Value::Object(new))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return None;
    };
    let mut changed = Map::new();
    for (key, new_value) in new {
        let old_value = old.get(&key).cloned().unwrap_or(Value::Null);
        if old_value != new_value {
            changed.insert(key, Value::Array(vec![old_value, new_value]));
        }
    }
    (!changed.is_empty()).then_some(Value::Object(changed))
}

/// Why record `id` of `entity` is not there, as an error: deleted (its history says so), or
/// never made.
pub(crate) fn absent(conn: &Db, entity: &str, what: &'static str, id: i64) -> StoreError {
    let merged = conn
        .prepare_cached(
            "SELECT id, survivor FROM merges WHERE kind = ?1 AND merged = ?2 AND undone_at IS NULL
             ORDER BY id DESC LIMIT 1",
        )
        .and_then(|mut s| {
            s.query_row(params![entity, id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        });
    match merged {
        Ok(Some((merge, into))) => {
            return StoreError::MergedAway {
                what,
                id,
                into,
                merge,
            }
        }
        Ok(None) => {}
        Err(e) => return e,
    }
    let deleted = conn
        .prepare_cached(
            "SELECT 1 FROM history WHERE entity = ?1 AND entity_id = ?2 AND action = 'delete'",
        )
        .and_then(|mut s| s.exists(params![entity, id]));
    match deleted {
        Ok(false) => StoreError::Missing { what, id },
        Ok(true) => StoreError::Gone { what, id },
        Err(e) => e,
    }
}

pub(crate) fn record(
    tx: &Db,
    ctx: &Ctx,
    entity: &str,
    entity_id: i64,
    action: &str,
    changes: Option<Value>,
    reason: Option<&str>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO history (at, actor, entity, entity_id, action, changes, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        ctx.now,
        ctx.actor,
        entity,
        entity_id,
        action,
        changes.map(|c| c.to_string()),
        reason
    ])?;
    Ok(())
}

impl Store {
    /// The history of a lead or customer (entity "parent") or of a contact, oldest first.
    pub fn history(&self, entity: &str, id: i64) -> Result<Vec<HistoryEntry>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT at, actor, action, changes, reason FROM history
             WHERE entity = ?1 AND entity_id = ?2 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![entity, id], |r| {
            Ok(HistoryEntry {
                at: r.get(0)?,
                actor: r.get(1)?,
                action: r.get(2)?,
                changes: r.get(3)?,
                reason: r.get(4)?,
            })
        })?;
        rows.collect::<Result<_>>()
    }
}
