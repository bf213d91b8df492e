//! People a sync deleted, kept whole so that `kith undo` restores them exactly: the contact's
//! row, its emails, phones and tags, the notes and emails that were about them and who had
//! moved on to them. Their history stays where it is (a deletion removes none of it), and their
//! ids stay reserved (see `columns::insert`), so a restored person is the same record.

use super::db::{params, Db, Optional};
use super::error::{Result, StoreError};
use super::snapshot::{self, ids, ints, rows_of};
use super::{contacts, history, Ctx, Store};
use serde_json::{json, Value};
use std::collections::HashSet;

/// A change `kith undo` takes back: for now, the deletions of one sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: i64,
    pub kind: String,
    pub at: String,
    pub actor: String,
    /// The folder of the sync that made it.
    pub folder: Option<String>,
    pub undone_at: Option<String>,
    /// The people it deleted, by id, with their names.
    pub people: Vec<(i64, String)>,
}

/// The kind of a change that is a sync's deletions.
pub const SYNC_DELETE: &str = "sync_delete";

/// The tables of a contact's own lists, removed with it.
const LISTS: [&str; 3] = ["contact_emails", "contact_phones", "contact_tags"];

/// Everything of contact `id` that its deletion removes or unlinks.
fn keep(tx: &Db, ctx: &Ctx, id: i64) -> Result<Value> {
    let one = [id];
    let row = snapshot::rows(tx, "contacts", "WHERE id = ?1", &one)?;
    let Some(row) = row.into_iter().next() else {
        return Err(history::absent(tx, "contact", "contact", id));
    };
    let parent = snapshot::int(&row, "parent_id").unwrap_or_default();
    let (parent_name, parent_at): (String, String) = tx.query_row(
        "SELECT name, updated_at FROM parents WHERE id = ?1",
        params![parent],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut kept = json!({
        "contact": row,
        "activities": ids(tx, "SELECT id FROM activities WHERE contact_id = ?1 ORDER BY id", id)?,
        "pointing": ids(
            tx,
            "SELECT id FROM contacts WHERE moved_to = ?1 AND id <> ?1 ORDER BY id",
            id,
        )?,
        // The parent's "last change" before the deletion moved it, and what it moved it to.
        "parent_name": parent_name,
        "parent_updated_at": parent_at,
        "touched_at": ctx.now,
    });
    for table in LISTS {
        kept[table] = json!(snapshot::rows(
            tx,
            table,
            "WHERE contact_id = ?1 ORDER BY position",
            &one
        )?);
    }
    // The person's places in emails go with them (the rows cascade); an email they led passes
    // to the next person in it (see contacts::delete), who is noted so undo can take it back.
    kept["activity_participants"] = json!(snapshot::rows(
        tx,
        "activity_participants",
        "WHERE contact_id = ?1 ORDER BY activity_id",
        &one
    )?);
    let mut handed = serde_json::Map::new();
    for a in ints(&kept["activities"]) {
        let next: Option<i64> = tx
            .query_row(
                "SELECT p.contact_id FROM activity_participants p
                   JOIN contacts c ON c.id = p.contact_id
                   JOIN activities a ON a.id = p.activity_id
                  WHERE p.activity_id = ?1 AND p.contact_id <> ?2
                    AND c.parent_id = a.parent_id
                  ORDER BY p.position LIMIT 1",
                params![a, id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(next) = next {
            handed.insert(a.to_string(), json!(next));
        }
    }
    kept["handed"] = Value::Object(handed);
    Ok(kept)
}

fn load_change(tx: &Db, id: i64) -> Result<Change> {
    let (kind, at, actor, detail, undone_at): (String, String, String, Option<String>, _) = tx
        .query_row(
            "SELECT kind, at, actor, detail, undone_at FROM changes WHERE id = ?1",
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?
        .ok_or(StoreError::Missing { what: "change", id })?;
    let detail: Value = detail
        .and_then(|d| serde_json::from_str(&d).ok())
        .unwrap_or_default();
    let people = tx.query_map(
        "SELECT contact_id, name FROM kept_contacts WHERE change_id = ?1 ORDER BY contact_id",
        params![id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Change {
        id,
        kind,
        at,
        actor,
        folder: detail["folder"].as_str().map(str::to_string),
        undone_at,
        people,
    })
}

/// One person of a change: their id, name and what was kept.
type Kept = (i64, String, Value);

/// Why restoring `kept` would not give back exactly what was deleted, if it would not.
fn blocker(tx: &Db, kept: &[Kept]) -> Result<Option<String>> {
    let restoring: HashSet<i64> = kept.iter().map(|k| k.0).collect();
    for (id, name, k) in kept {
        let c = &k["contact"];
        let who = format!("{name} (#{id})");
        let taken: Option<String> = tx
            .query_row(
                "SELECT full_name FROM contacts WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(other) = taken {
            return Ok(Some(format!("#{id} is {other} since")));
        }
        if let Some(uid) = c["uid"].as_str() {
            if let Some(other) = contacts::id_by_uid(tx, uid)? {
                return Ok(Some(format!(
                    "{who} had UID {uid}, which contact #{other} holds since (a sync took the card in again?): merge #{other} away or delete it first"
                )));
            }
        }
        let parent = c["parent_id"].as_i64().unwrap_or_default();
        let parent_name = k["parent_name"].as_str().unwrap_or_default();
        let company = format!("{parent_name} (#{parent})");
        let converted: Option<Option<i64>> = tx
            .query_row(
                "SELECT converted_to FROM parents WHERE id = ?1",
                params![parent],
                |r| r.get(0),
            )
            .optional()?;
        match converted {
            None => {
                return Ok(Some(match history::absent(tx, "parent", "", parent) {
                    StoreError::MergedAway { into, merge, .. } => format!(
                        "{who} was at {company}, merged into #{into} since: `kith undo-merge {merge}` first"
                    ),
                    _ => format!("{who} was at {company}, which is gone since"),
                }))
            }
            Some(Some(customer)) => {
                return Ok(Some(format!(
                    "{who} was at the lead {company}, converted into customer #{customer} since"
                )))
            }
            Some(None) => {}
        }
        if let Some(to) = c["moved_to"].as_i64() {
            let there: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM contacts WHERE id = ?1)",
                params![to],
                |r| r.get(0),
            )?;
            if !there && !restoring.contains(&to) {
                return Ok(Some(format!(
                    "{who} had moved on to #{to}, who is gone since"
                )));
            }
        }
        for a in ints(&k["activities"]) {
            let now: Option<(Option<i64>, i64)> = tx
                .query_row(
                    "SELECT contact_id, parent_id FROM activities WHERE id = ?1",
                    params![a],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let handed_to = k["handed"][a.to_string()].as_i64();
            match now {
                Some((Some(other), _)) if Some(other) != handed_to => {
                    return Ok(Some(format!(
                        "the note or email #{a} about {who} is about #{other} since"
                    )))
                }
                Some((None, p)) if p != parent => {
                    return Ok(Some(format!(
                        "the note or email #{a} about {who} is on #{p} since"
                    )))
                }
                _ => {}
            }
        }
    }
    Ok(None)
}

fn undo(tx: &Db, ctx: &Ctx, id: Option<i64>) -> Result<Change> {
    let id = match id {
        Some(id) => id,
        None => tx
            .query_row(
                "SELECT id FROM changes WHERE actor = ?1 AND undone_at IS NULL
                  ORDER BY id DESC LIMIT 1",
                params![ctx.actor],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                StoreError::Rule(format!(
                    "nothing to undo: {} has no change left that kith can undo",
                    ctx.actor
                ))
            })?,
    };
    let change = load_change(tx, id)?;
    if let Some(at) = &change.undone_at {
        return Err(StoreError::Rule(format!(
            "change {id} was already undone ({at})"
        )));
    }
    let kept: Vec<Kept> = tx.query_map(
        "SELECT contact_id, name, kept FROM kept_contacts WHERE change_id = ?1 ORDER BY id",
        params![id],
        |r| {
            let text: String = r.get(2)?;
            Ok((
                r.get(0)?,
                r.get(1)?,
                serde_json::from_str(&text).unwrap_or_default(),
            ))
        },
    )?;
    if let Some(why) = blocker(tx, &kept)? {
        return Err(StoreError::Rule(format!(
            "change {id} cannot be undone: {why}; nothing was changed"
        )));
    }
    // Everyone first, then the links between them and to others.
    for (contact, _, k) in &kept {
        let Some(mut row) = k["contact"].as_object().cloned() else {
            return Err(StoreError::Rule(format!(
                "change {id} kept no copy of #{contact} to undo from"
            )));
        };
        row.insert("moved_to".into(), Value::Null);
        snapshot::insert(tx, "contacts", &row)?;
        for table in LISTS {
            for r in rows_of(&k[table]) {
                snapshot::insert(tx, table, &r)?;
            }
        }
        for a in ints(&k["activities"]) {
            tx.execute(
                "UPDATE activities SET contact_id = ?1
                  WHERE id = ?2 AND (contact_id IS NULL OR contact_id = ?3)",
                params![contact, a, k["handed"][a.to_string()].as_i64()],
            )?;
        }
        // An email deleted since has no place to give back.
        for r in rows_of(&k["activity_participants"]) {
            let there: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM activities WHERE id = ?1)",
                params![snapshot::int(&r, "activity_id")],
                |r| r.get(0),
            )?;
            if there {
                snapshot::insert(tx, "activity_participants", &r)?;
            }
        }
        let detail = json!({ "change": id });
        history::record(
            tx,
            ctx,
            "contact",
            *contact,
            "delete_undone",
            Some(detail),
            None,
        )?;
    }
    for (contact, _, k) in &kept {
        if let Some(to) = k["contact"]["moved_to"].as_i64() {
            tx.execute(
                "UPDATE contacts SET moved_to = ?1 WHERE id = ?2",
                params![to, contact],
            )?;
        }
        for p in ints(&k["pointing"]) {
            tx.execute(
                "UPDATE contacts SET moved_to = ?1 WHERE id = ?2 AND moved_to IS NULL",
                params![contact, p],
            )?;
        }
    }
    // A parent that only the deletions touched gets its "last change" back, latest first.
    for (_, _, k) in kept.iter().rev() {
        tx.execute(
            "UPDATE parents SET updated_at = ?1 WHERE id = ?2 AND updated_at = ?3",
            params![
                k["parent_updated_at"].as_str(),
                k["contact"]["parent_id"].as_i64(),
                k["touched_at"].as_str()
            ],
        )?;
    }
    tx.execute(
        "UPDATE changes SET undone_at = ?1 WHERE id = ?2",
        params![ctx.now, id],
    )?;
    Ok(change)
}

impl Store {
    /// Deletes contact `id` (if still at `version`) because the sync of `folder` found card
    /// `uid` gone from it, keeping the whole person under change `change` (made by the first
    /// deletion, when `None`) for [`Store::undo_change`]; the card's sync state goes with it.
    /// One transaction; returns the change's id.
    pub fn delete_for_sync(
        &mut self,
        change: Option<i64>,
        folder: &str,
        uid: &str,
        id: i64,
        version: i64,
    ) -> Result<i64> {
        self.write(|tx, ctx| {
            let kept = keep(tx, ctx, id)?;
            let name = kept["contact"]["full_name"].as_str().unwrap_or_default();
            let change = match change {
                Some(c) => c,
                None => tx.query_row(
                    "INSERT INTO changes (kind, at, actor, detail) VALUES (?1, ?2, ?3, ?4)
                     RETURNING id",
                    params![
                        SYNC_DELETE,
                        ctx.now,
                        ctx.actor,
                        json!({ "folder": folder }).to_string()
                    ],
                    |r| r.get(0),
                )?,
            };
            tx.execute(
                "INSERT INTO kept_contacts (change_id, contact_id, name, kept)
                 VALUES (?1, ?2, ?3, ?4)",
                params![change, id, name, kept.to_string()],
            )?;
            contacts::delete(tx, ctx, id, version)?;
            super::vdir::forget(tx, folder, uid)?;
            Ok(change)
        })
    }

    /// Restores everyone change `id` deleted (the writer's last change not undone, when
    /// `None`) exactly as they were, with their timelines, unless something written since
    /// stands in the way: then nothing is changed and the error names it.
    pub fn undo_change(&mut self, id: Option<i64>) -> Result<Change> {
        self.write(|tx, ctx| undo(tx, ctx, id))
    }
}
