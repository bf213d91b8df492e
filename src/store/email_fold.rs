//! One email per timeline, kept so across merges: when a merge brings two entries of one
//! message onto one parent (two companies had each logged it for their own people), they fold
//! into the older, everyone of both among its participants. What was folded is kept with the
//! merge, so that undoing it restores both entries exactly.

use super::db::{params, Db};
use super::error::{Result, StoreError};
use super::snapshot::{self, ints as int_list, rows_of, Row};
use serde_json::{json, Value};

fn ints(tx: &Db, sql: &str, id: i64) -> Result<Vec<i64>> {
    tx.query_map(sql, params![id], |r| r.get(0))
}

/// Whether a note or email of this id is there.
pub(crate) fn activity_exists(tx: &Db, id: i64) -> Result<bool> {
    tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM activities WHERE id = ?1)",
        params![id],
        |r| r.get(0),
    )
}

/// The people of an entry as rows of `activity_participants`, in their order.
fn people(tx: &Db, activity: i64) -> Result<Vec<Row>> {
    snapshot::rows(
        tx,
        "activity_participants",
        "WHERE activity_id = ?1 ORDER BY position, contact_id",
        &[activity],
    )
}

/// Folds every message that is on `parent_id`'s timeline more than once into its oldest
/// entry. Returns what [`unfold`] needs to put them back: per message, the entry kept as it
/// was, the people the fold added to it, and each folded entry whole with its people and the
/// history that followed it.
pub(crate) fn fold(tx: &Db, parent_id: i64) -> Result<Value> {
    let keepers = ints(
        tx,
        "SELECT min(id) FROM activities
          WHERE parent_id = ?1 AND kind = 'email' AND message_id IS NOT NULL
          GROUP BY message_id HAVING count(*) > 1 ORDER BY min(id)",
        parent_id,
    )?;
    let mut kept = Vec::with_capacity(keepers.len());
    for keeper in keepers {
        let keeper_row = snapshot::rows(tx, "activities", "WHERE id = ?1", &[keeper])?;
        let keeper_people = people(tx, keeper)?;
        let had: Vec<i64> = keeper_people
            .iter()
            .filter_map(|r| snapshot::int(r, "contact_id"))
            .collect();
        let copies = ints(
            tx,
            "SELECT c.id FROM activities k JOIN activities c
                ON c.parent_id = k.parent_id AND c.message_id = k.message_id
               AND c.kind = 'email' AND c.id > k.id
             WHERE k.id = ?1 ORDER BY c.id",
            keeper,
        )?;
        let mut added: Vec<i64> = Vec::new();
        let mut folded = Vec::with_capacity(copies.len());
        for copy in copies {
            let row = snapshot::rows(tx, "activities", "WHERE id = ?1", &[copy])?;
            let copy_people = people(tx, copy)?;
            // An entry kith sent itself names its person only as its contact.
            let mut joining: Vec<i64> = copy_people
                .iter()
                .filter_map(|r| snapshot::int(r, "contact_id"))
                .collect();
            if let Some(contact) = row.first().and_then(|r| snapshot::int(r, "contact_id")) {
                if !joining.contains(&contact) {
                    joining.insert(0, contact);
                }
            }
            for contact in joining {
                if had.contains(&contact) || added.contains(&contact) {
                    continue;
                }
                tx.execute(
                    "INSERT INTO activity_participants (activity_id, contact_id, position)
                     SELECT ?1, ?2, coalesce(max(position) + 1, 0) FROM activity_participants
                      WHERE activity_id = ?1",
                    params![keeper, contact],
                )?;
                added.push(contact);
            }
            let history = ints(
                tx,
                "SELECT id FROM history WHERE entity = 'activity' AND entity_id = ?1 ORDER BY id",
                copy,
            )?;
            tx.execute(
                "UPDATE history SET entity_id = ?1 WHERE entity = 'activity' AND entity_id = ?2",
                params![keeper, copy],
            )?;
            tx.execute(
                "UPDATE activities SET contact_id = (SELECT contact_id FROM activities WHERE id = ?2)
                  WHERE id = ?1 AND contact_id IS NULL",
                params![keeper, copy],
            )?;
            tx.execute("DELETE FROM activities WHERE id = ?1", params![copy])?;
            folded.push(json!({ "row": row, "people": copy_people, "history": history }));
        }
        kept.push(json!({
            "keeper": keeper_row,
            "added": added,
            "copies": folded,
        }));
    }
    Ok(Value::Array(kept))
}

/// Why [`unfold`] could not put `kept` back exactly, if it could not: an id of a folded entry
/// taken by another since.
pub(crate) fn unfold_blocker(tx: &Db, kept: &Value) -> Result<Option<String>> {
    for group in kept.as_array().into_iter().flatten() {
        for copy in group["copies"].as_array().into_iter().flatten() {
            for row in rows_of(&copy["row"]) {
                let Some(id) = snapshot::int(&row, "id") else {
                    continue;
                };
                if activity_exists(tx, id)? {
                    return Ok(Some(format!(
                        "the id of email #{id}, which the merge folded into another, is taken since"
                    )));
                }
            }
        }
    }
    Ok(None)
}

/// Puts back what [`fold`] folded: each folded entry with its people and history, and the kept
/// entry without the people the fold gave it.
pub(crate) fn unfold(tx: &Db, kept: &Value) -> Result<()> {
    for group in kept.as_array().into_iter().flatten().rev() {
        let keeper_row = rows_of(&group["keeper"]);
        let Some(keeper) = keeper_row.first().and_then(|r| snapshot::int(r, "id")) else {
            return Err(StoreError::Rule(
                "a folded email kept no copy to undo from".into(),
            ));
        };
        for contact in int_list(&group["added"]) {
            tx.execute(
                "DELETE FROM activity_participants WHERE activity_id = ?1 AND contact_id = ?2",
                params![keeper, contact],
            )?;
        }
        for row in &keeper_row {
            snapshot::update(tx, "activities", row)?;
        }
        for copy in group["copies"].as_array().into_iter().flatten() {
            let row = rows_of(&copy["row"]);
            let Some(id) = row.first().and_then(|r| snapshot::int(r, "id")) else {
                continue;
            };
            for r in &row {
                snapshot::insert(tx, "activities", r)?;
            }
            for r in rows_of(&copy["people"]) {
                snapshot::insert(tx, "activity_participants", &r)?;
            }
            for h in int_list(&copy["history"]) {
                tx.execute(
                    "UPDATE history SET entity_id = ?1 WHERE id = ?2",
                    params![id, h],
                )?;
            }
        }
    }
    Ok(())
}
