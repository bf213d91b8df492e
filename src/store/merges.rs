//! Merging two contacts, or two leads and customers, as one transaction that keeps what it
//! changed; undoing a merge from what it kept; the pairs a user said are not duplicates.

use super::db::{params, Db, Optional};
use super::error::{Result, StoreError};
use super::snapshot::{self, ids, ints, rows_of, Row};
use super::{contacts, email_fold, history, parents, Ctx, Store};
use crate::domain::merge::{self, Choices};
use crate::domain::{Contact, ContactFields, Parent, ParentFields, ParentKind};
use serde_json::{json, Value};

/// Contacts, or leads and customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MergeKind {
    Contact,
    Parent,
}

impl MergeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MergeKind::Contact => "contact",
            MergeKind::Parent => "parent",
        }
    }

    fn parse(s: &str) -> MergeKind {
        if s == "parent" {
            MergeKind::Parent
        } else {
            MergeKind::Contact
        }
    }

    fn what(self) -> &'static str {
        match self {
            MergeKind::Contact => "contact",
            MergeKind::Parent => "lead or customer",
        }
    }
}

/// A merge as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeRecord {
    pub id: i64,
    pub kind: MergeKind,
    pub survivor: i64,
    pub merged: i64,
    /// The name the merged record had.
    pub merged_name: String,
    pub at: String,
    pub actor: String,
    pub undone_at: Option<String>,
}

/// The versions the two records had when the user looked at them: a merge of a record changed
/// since is a conflict.
pub type Versions = Option<(i64, i64)>;

fn check_version(what: &'static str, id: i64, current: i64, expected: Option<i64>) -> Result<()> {
    match expected {
        Some(expected) if expected != current => Err(StoreError::Conflict {
            what,
            id,
            expected,
            current,
        }),
        _ => Ok(()),
    }
}

/// The two records of a merge, read in its transaction: two different ones, each still at the
/// version the user saw (when they saw one).
fn load_pair<T>(
    tx: &Db,
    kind: MergeKind,
    survivor_id: i64,
    other_id: i64,
    versions: Versions,
    load: fn(&Db, i64) -> Result<T>,
    version: fn(&T) -> i64,
) -> Result<(T, T)> {
    if survivor_id == other_id {
        return Err(StoreError::Rule(format!(
            "{} #{survivor_id} cannot be merged into itself",
            kind.what()
        )));
    }
    let survivor = load(tx, survivor_id)?;
    let other = load(tx, other_id)?;
    let what = kind.what();
    check_version(what, survivor_id, version(&survivor), versions.map(|v| v.0))?;
    check_version(what, other_id, version(&other), versions.map(|v| v.1))?;
    Ok((survivor, other))
}

/// Moves the history of `merged` to `survivor`; returns the entries moved.
fn move_history(tx: &Db, entity: &str, merged: i64, survivor: i64) -> Result<Vec<i64>> {
    let moved: Vec<i64> = tx.query_map(
        "SELECT id FROM history WHERE entity = ?1 AND entity_id = ?2 ORDER BY id",
        params![entity, merged],
        |r| r.get(0),
    )?;
    tx.execute(
        "UPDATE history SET entity_id = ?1 WHERE entity = ?2 AND entity_id = ?3",
        params![survivor, entity, merged],
    )?;
    Ok(moved)
}

#[allow(clippy::too_many_arguments)]
fn record_merge(
    tx: &Db,
    ctx: &Ctx,
    kind: MergeKind,
    survivor: i64,
    merged: i64,
    merged_name: &str,
    before: &Value,
    after: &Value,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO merges (kind, survivor, merged, merged_name, at, actor, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            kind.as_str(),
            survivor,
            merged,
            merged_name,
            ctx.now,
            ctx.actor,
            before.to_string(),
            after.to_string()
        ],
    )?;
    let id = tx.last_insert_rowid()?;
    let detail = json!({ "merge": id, "merged": merged, "name": merged_name });
    history::record(
        tx,
        ctx,
        kind.as_str(),
        survivor,
        "merge",
        Some(detail),
        None,
    )?;
    Ok(id)
}

/// A value one of the two records holds already (written there before kith checked it) would
/// make the merged record invalid: the user fixes that record first.
fn invalid_merge(e: &crate::domain::FieldError, survivor: i64, other: i64) -> StoreError {
    StoreError::Rule(format!(
        "the merged record would be invalid ({e}): correct that field of #{survivor} or #{other} first, or take it from the other with --keep"
    ))
}

/// The company the merged person is at: the survivor's, or the other's when the user said so.
/// People at two companies need the user to say which.
pub fn merged_parent(survivor: &Contact, other: &Contact, choices: &Choices) -> Result<i64> {
    if survivor.parent_id == other.parent_id || choices.from_other("parent") {
        return Ok(if choices.from_other("parent") {
            other.parent_id
        } else {
            survivor.parent_id
        });
    }
    if choices.said("parent") {
        return Ok(survivor.parent_id);
    }
    Err(StoreError::Rule(format!(
        "{} (#{}) is at {} and {} (#{}) at {}: say which company the merged person is at \
         (--keep parent={} or --keep parent={})",
        survivor.full_name(),
        survivor.id,
        survivor.parent_name,
        other.full_name(),
        other.id,
        other.parent_name,
        survivor.id,
        other.id
    )))
}

fn merge_contacts(
    tx: &Db,
    ctx: &Ctx,
    survivor_id: i64,
    other_id: i64,
    choices: &Choices,
    versions: Versions,
) -> Result<i64> {
    let (survivor, other) = load_pair(
        tx,
        MergeKind::Contact,
        survivor_id,
        other_id,
        versions,
        contacts::load,
        |c: &Contact| c.version,
    )?;
    let parent_id = merged_parent(&survivor, &other, choices)?;
    let fields = merge::combine_contacts(&survivor.fields, &other.fields, choices);
    // Checked before anything is written, so a bad value is the user's to fix, field named.
    fields
        .validated(ctx.region)
        .map_err(|e| invalid_merge(&e, survivor_id, other_id))?;

    let pair = [survivor_id, other_id];
    let lists = |table: &str| snapshot::rows(tx, table, "WHERE contact_id IN (?1, ?2)", &pair);
    let activities = snapshot::rows(
        tx,
        "activities",
        "WHERE contact_id = ?1 ORDER BY id",
        &[other_id],
    )?;
    let pointing = ids(
        tx,
        "SELECT id FROM contacts WHERE moved_to = ?1 AND id <> ?1 ORDER BY id",
        other_id,
    )?;
    let touched_parents: Vec<i64> = vec![survivor.parent_id, other.parent_id];
    let mut before = json!({
        "contacts": snapshot::rows(tx, "contacts", "WHERE id IN (?1, ?2) ORDER BY id", &pair)?,
        "contact_emails": lists("contact_emails")?,
        "contact_phones": lists("contact_phones")?,
        "contact_tags": lists("contact_tags")?,
        "activities": activities,
        // The people of every email the other was in, both of the pair's rows there.
        "activity_participants": snapshot::rows(
            tx,
            "activity_participants",
            "WHERE contact_id IN (?1, ?2) AND activity_id IN
                   (SELECT activity_id FROM activity_participants WHERE contact_id = ?2)
             ORDER BY activity_id, contact_id",
            &pair,
        )?,
        "pointing": pointing,
        "parents": snapshot::rows(tx, "parents", "WHERE id IN (?1, ?2)", &touched_parents)?,
    });

    // The other's timeline goes to the survivor, then the survivor to the chosen company,
    // its whole timeline following it through the foreign key.
    tx.execute(
        "UPDATE activities SET contact_id = ?1, parent_id = ?2 WHERE contact_id = ?3",
        params![survivor_id, survivor.parent_id, other_id],
    )?;
    // In an email both were in, the survivor stays where it was; elsewhere it takes the other's
    // place.
    tx.execute(
        "DELETE FROM activity_participants WHERE contact_id = ?2 AND activity_id IN
             (SELECT activity_id FROM activity_participants WHERE contact_id = ?1)",
        params![survivor_id, other_id],
    )?;
    tx.execute(
        "UPDATE activity_participants SET contact_id = ?1 WHERE contact_id = ?2",
        params![survivor_id, other_id],
    )?;
    if parent_id != survivor.parent_id {
        parents::load_open(tx, parent_id)?;
        tx.execute(
            "UPDATE contacts SET parent_id = ?1 WHERE id = ?2",
            params![parent_id, survivor_id],
        )?;
    }
    // Links to the other now lead to the survivor; one between the two is dropped.
    tx.execute(
        "UPDATE contacts SET moved_to = ?1 WHERE moved_to = ?2 AND id <> ?1",
        params![survivor_id, other_id],
    )?;
    let moved_to = survivor
        .moved_to
        .or(other.moved_to)
        .filter(|&m| m != survivor_id && m != other_id);
    tx.execute(
        "UPDATE contacts SET moved_to = ?1 WHERE id = ?2",
        params![moved_to, survivor_id],
    )?;
    before["history"] = json!(move_history(tx, "contact", other_id, survivor_id)?);
    before["folded"] = email_fold::fold(tx, parent_id)?;
    tx.execute("DELETE FROM contacts WHERE id = ?1", params![other_id])?;
    let version = contacts::update(tx, ctx, survivor_id, survivor.version, &fields)?;
    contacts::touch_parent(tx, ctx, other.parent_id)?;
    record_merge(
        tx,
        ctx,
        MergeKind::Contact,
        survivor_id,
        other_id,
        other.full_name(),
        &before,
        &json!({ "version": version }),
    )
}

fn merge_parents(
    tx: &Db,
    ctx: &Ctx,
    survivor_id: i64,
    other_id: i64,
    choices: &Choices,
    versions: Versions,
) -> Result<i64> {
    let (survivor, other) = load_pair(
        tx,
        MergeKind::Parent,
        survivor_id,
        other_id,
        versions,
        parents::load,
        |p: &Parent| p.version,
    )?;
    for p in [&survivor, &other] {
        if let Some(customer) = p.converted_to {
            return Err(StoreError::Rule(format!(
                "lead #{} {} was converted into customer #{customer}: merge the customer instead",
                p.id, p.fields.name
            )));
        }
    }
    if survivor.kind == ParentKind::Lead && other.kind == ParentKind::Customer {
        return Err(StoreError::Rule(format!(
            "a customer cannot be merged into a lead: merge lead #{survivor_id} {} into customer #{other_id} {}",
            survivor.fields.name, other.fields.name
        )));
    }
    let is_lead = survivor.kind == ParentKind::Lead;
    let fields = merge::combine_parents(&survivor.fields, &other.fields, choices, is_lead);
    let status = if choices.from_other("status") && other.kind == survivor.kind {
        other.status
    } else {
        survivor.status
    };
    fields
        .validated(survivor.kind, ctx.region)
        .map_err(|e| invalid_merge(&e, survivor_id, other_id))?;

    let pair = [survivor_id, other_id];
    let mut before = json!({
        "parents": snapshot::rows(tx, "parents", "WHERE id IN (?1, ?2) ORDER BY id", &pair)?,
        "contacts": snapshot::rows(
            tx,
            "contacts",
            "WHERE parent_id = ?1 ORDER BY id",
            &[other_id],
        )?,
        "activities": snapshot::rows(
            tx,
            "activities",
            "WHERE parent_id = ?1 AND contact_id IS NULL ORDER BY id",
            &[other_id],
        )?,
        "converted": ids(tx, "SELECT id FROM parents WHERE converted_to = ?1 ORDER BY id", other_id)?,
    });
    tx.execute(
        "UPDATE contacts SET parent_id = ?1, updated_at = ?2, version = version + 1
         WHERE parent_id = ?3",
        params![survivor_id, ctx.now, other_id],
    )?;
    tx.execute(
        "UPDATE activities SET parent_id = ?1 WHERE parent_id = ?2 AND contact_id IS NULL",
        params![survivor_id, other_id],
    )?;
    tx.execute(
        "UPDATE parents SET converted_to = ?1 WHERE converted_to = ?2",
        params![survivor_id, other_id],
    )?;
    // A lead's contact name has no field on a customer: it becomes one of its contacts.
    let promoted = if is_lead {
        None
    } else {
        super::people::promote_primary(tx, ctx, &other, survivor_id)?
            .and_then(|(id, new)| new.then_some(id))
    };
    before["promoted"] = json!(promoted);
    before["history"] = json!(move_history(tx, "parent", other_id, survivor_id)?);
    before["folded"] = email_fold::fold(tx, survivor_id)?;
    tx.execute("DELETE FROM parents WHERE id = ?1", params![other_id])?;
    let mut version = parents::update_in(tx, ctx, survivor_id, survivor.version, &fields)?;
    let status_now = parents::load(tx, survivor_id)?.status;
    if status != status_now {
        tx.execute(
            "UPDATE parents SET status = ?1, version = version + 1 WHERE id = ?2",
            params![status.key(), survivor_id],
        )?;
        let why = format!("merged with #{other_id} {}", other.fields.name);
        parents::record_status(tx, ctx, survivor_id, status_now, status, Some(&why))?;
        version += 1;
    }
    let moved = ids(
        tx,
        "SELECT id FROM contacts WHERE parent_id = ?1 ORDER BY id",
        survivor_id,
    )?;
    let came: Vec<i64> = rows_of(&before["contacts"])
        .iter()
        .filter_map(|r| snapshot::int(r, "id"))
        .filter(|id| moved.contains(id))
        .collect();
    let versions: Vec<(i64, i64)> = came
        .iter()
        .map(|&id| {
            tx.query_row(
                "SELECT version FROM contacts WHERE id = ?1",
                params![id],
                |r| r.get::<i64>(0),
            )
            .map(|v| (id, v))
        })
        .collect::<Result<_>>()?;
    record_merge(
        tx,
        ctx,
        MergeKind::Parent,
        survivor_id,
        other_id,
        &other.fields.name,
        &before,
        &json!({ "version": version, "contacts": versions }),
    )
}

/// Whether the merge's own fold took the entry `id` away (then undoing it puts it back).
fn folded_here(folded: &Value, id: i64) -> bool {
    folded.as_array().into_iter().flatten().any(|group| {
        group["copies"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|copy| {
                rows_of(&copy["row"])
                    .iter()
                    .any(|r| snapshot::int(r, "id") == Some(id))
            })
    })
}

/// Why undoing `m` would lose something written since, if it would.
fn undo_blocker(tx: &Db, m: &MergeRecord, before: &Value, after: &Value) -> Result<Option<String>> {
    let kind = m.kind.as_str();
    let later: Option<(i64, i64, i64)> = tx
        .query_row(
            "SELECT id, survivor, merged FROM merges
             WHERE kind = ?1 AND id > ?2 AND undone_at IS NULL
               AND (survivor = ?3 OR merged = ?3)
             ORDER BY id DESC LIMIT 1",
            params![kind, m.id, m.survivor],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((later, s, merged)) = later {
        return Ok(Some(format!(
            "merge {later} (#{merged} into #{s}) came after it and depends on it: undo merge {later} first"
        )));
    }
    let table = if m.kind == MergeKind::Contact {
        "contacts"
    } else {
        "parents"
    };
    let version_now = |table: &str, id: i64| -> Result<Option<i64>> {
        tx.query_row(
            &format!("SELECT version FROM {table} WHERE id = ?1"),
            params![id],
            |r| r.get(0),
        )
        .optional()
    };
    let left = after["version"].as_i64();
    match version_now(table, m.survivor)? {
        None => return Ok(Some(format!("#{} is gone since the merge", m.survivor))),
        Some(v) if Some(v) != left => {
            return Ok(Some(format!(
                "{} #{} was changed after the merge (version {v}, the merge left {}): undoing it would lose that change",
                m.kind.what(),
                m.survivor,
                left.unwrap_or_default()
            )))
        }
        Some(_) => {}
    }
    if version_now(table, m.merged)?.is_some() {
        return Ok(Some(format!(
            "#{} is taken by another record since the merge",
            m.merged
        )));
    }
    // A merge kept before emails were one entry per timeline may name an entry that kith's
    // upgrade folded into another since: it cannot be put back as it was.
    for a in rows_of(&before["activities"]) {
        let Some(id) = snapshot::int(&a, "id") else {
            continue;
        };
        if !email_fold::activity_exists(tx, id)? && !folded_here(&before["folded"], id) {
            return Ok(Some(format!(
                "email #{id}, which the merge moved, is no longer there (folded into another entry of its message)"
            )));
        }
    }
    if let Some(why) = email_fold::unfold_blocker(tx, &before["folded"])? {
        return Ok(Some(why));
    }
    for pair in after["contacts"].as_array().into_iter().flatten() {
        let (Some(id), Some(left)) = (pair[0].as_i64(), pair[1].as_i64()) else {
            continue;
        };
        let now: Option<(i64, i64)> = tx
            .query_row(
                "SELECT version, parent_id FROM contacts WHERE id = ?1",
                params![id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match now {
            Some((v, parent)) if v == left && parent == m.survivor => {}
            _ => {
                return Ok(Some(format!(
                    "contact #{id}, which the merge moved, was changed or moved since"
                )))
            }
        }
    }
    Ok(None)
}

fn load_merge(tx: &Db, id: i64) -> Result<(MergeRecord, Value, Value)> {
    tx.query_row(
        "SELECT id, kind, survivor, merged, merged_name, at, actor, undone_at, before, after
         FROM merges WHERE id = ?1",
        params![id],
        |r| {
            let text = |i| -> Result<Value> {
                Ok(serde_json::from_str(&r.get::<String>(i)?).unwrap_or(Value::Null))
            };
            Ok((merge_from_row(r)?, text(8)?, text(9)?))
        },
    )
    .optional()?
    .ok_or(StoreError::Missing { what: "merge", id })
}

fn merge_from_row(r: &super::db::Row) -> Result<MergeRecord> {
    Ok(MergeRecord {
        id: r.get(0)?,
        kind: MergeKind::parse(&r.get::<String>(1)?),
        survivor: r.get(2)?,
        merged: r.get(3)?,
        merged_name: r.get(4)?,
        at: r.get(5)?,
        actor: r.get(6)?,
        undone_at: r.get(7)?,
    })
}

/// Gives the emails the merged contact was in their people back as they were. A merge kept
/// before emails had participants left its emails' new rows naming the survivor: they name the
/// merged contact again.
fn restore_participants(tx: &Db, m: &MergeRecord, before: &Value) -> Result<()> {
    let Some(kept) = before.get("activity_participants") else {
        for a in rows_of(&before["activities"]) {
            if let Some(activity) = snapshot::int(&a, "id") {
                tx.execute(
                    "UPDATE activity_participants SET contact_id = ?1
                      WHERE activity_id = ?2 AND contact_id = ?3",
                    params![m.merged, activity, m.survivor],
                )?;
            }
        }
        return Ok(());
    };
    let kept = rows_of(kept);
    let mut emails: Vec<i64> = kept
        .iter()
        .filter_map(|r| snapshot::int(r, "activity_id"))
        .collect();
    emails.dedup();
    for activity in emails {
        tx.execute(
            "DELETE FROM activity_participants WHERE activity_id = ?1 AND contact_id IN (?2, ?3)",
            params![activity, m.survivor, m.merged],
        )?;
    }
    for r in &kept {
        snapshot::insert(tx, "activity_participants", r)?;
    }
    Ok(())
}

fn undo(tx: &Db, ctx: &Ctx, id: i64) -> Result<MergeRecord> {
    let (m, before, after) = load_merge(tx, id)?;
    if let Some(at) = &m.undone_at {
        return Err(StoreError::Rule(format!(
            "merge {id} was already undone ({at})"
        )));
    }
    if let Some(why) = undo_blocker(tx, &m, &before, &after)? {
        return Err(StoreError::Rule(format!(
            "merge {id} cannot be undone: {why}"
        )));
    }
    let rows = |name: &str| rows_of(&before[name]);
    let by_id = |list: &[Row], id: i64| {
        list.iter()
            .find(|r| snapshot::int(r, "id") == Some(id))
            .cloned()
    };
    match m.kind {
        MergeKind::Contact => {
            let people = rows("contacts");
            let (Some(survivor), Some(merged)) =
                (by_id(&people, m.survivor), by_id(&people, m.merged))
            else {
                return Err(StoreError::Rule(format!(
                    "merge {id} kept no copy to undo from"
                )));
            };
            snapshot::insert(tx, "contacts", &merged)?;
            email_fold::unfold(tx, &before["folded"])?;
            for a in rows("activities") {
                snapshot::update(tx, "activities", &a)?;
            }
            restore_participants(tx, &m, &before)?;
            snapshot::update(tx, "contacts", &survivor)?;
            for table in ["contact_emails", "contact_phones", "contact_tags"] {
                tx.execute(
                    &format!("DELETE FROM {table} WHERE contact_id IN (?1, ?2)"),
                    params![m.survivor, m.merged],
                )?;
                for r in rows(table) {
                    snapshot::insert(tx, table, &r)?;
                }
            }
            for c in ints(&before["pointing"]) {
                tx.execute(
                    "UPDATE contacts SET moved_to = ?1 WHERE id = ?2",
                    params![m.merged, c],
                )?;
            }
        }
        MergeKind::Parent => {
            let companies = rows("parents");
            let (Some(survivor), Some(merged)) =
                (by_id(&companies, m.survivor), by_id(&companies, m.merged))
            else {
                return Err(StoreError::Rule(format!(
                    "merge {id} kept no copy to undo from"
                )));
            };
            if let Some(promoted) = before["promoted"].as_i64() {
                let used: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM activities WHERE contact_id = ?1)
                         OR EXISTS (SELECT 1 FROM contacts WHERE id = ?1 AND version > 1)",
                    params![promoted],
                    |r| r.get(0),
                )?;
                if used {
                    return Err(StoreError::Rule(format!(
                        "merge {id} cannot be undone: contact #{promoted}, made from the lead's contact name, was changed since"
                    )));
                }
                tx.execute("DELETE FROM contacts WHERE id = ?1", params![promoted])?;
            }
            snapshot::insert(tx, "parents", &merged)?;
            email_fold::unfold(tx, &before["folded"])?;
            for c in rows("contacts") {
                snapshot::update(tx, "contacts", &c)?;
            }
            for a in rows("activities") {
                snapshot::update(tx, "activities", &a)?;
            }
            for lead in ints(&before["converted"]) {
                tx.execute(
                    "UPDATE parents SET converted_to = ?1 WHERE id = ?2",
                    params![m.merged, lead],
                )?;
            }
            snapshot::update(tx, "parents", &survivor)?;
        }
    }
    let entity = m.kind.as_str();
    for h in ints(&before["history"]) {
        tx.execute(
            "UPDATE history SET entity_id = ?1 WHERE id = ?2",
            params![m.merged, h],
        )?;
    }
    // A parent that only the merge touched gets its "last change" back; one changed since keeps
    // the newer.
    if m.kind == MergeKind::Contact {
        for p in rows("parents") {
            if let (Some(pid), Some(at)) = (snapshot::int(&p, "id"), p.get("updated_at")) {
                tx.execute(
                    "UPDATE parents SET updated_at = ?1 WHERE id = ?2 AND updated_at = ?3",
                    params![at.as_str(), pid, m.at],
                )?;
            }
        }
    }
    tx.execute(
        "UPDATE merges SET undone_at = ?1 WHERE id = ?2",
        params![ctx.now, id],
    )?;
    let detail = json!({ "merge": id, "merged": m.merged });
    history::record(
        tx,
        ctx,
        entity,
        m.survivor,
        "merge_undone",
        Some(detail.clone()),
        None,
    )?;
    history::record(
        tx,
        ctx,
        entity,
        m.merged,
        "merge_undone",
        Some(detail),
        None,
    )?;
    Ok(m)
}

impl Store {
    /// Merges contact `other` into `survivor` (see [`crate::domain::merge`]): the other's
    /// emails, phones, tags and kept properties, its notes and emails (timeline), its history
    /// and the links to it go to the survivor, and the other is removed. One transaction;
    /// returns the merge's id, for [`Store::undo_merge`].
    pub fn merge_contacts(
        &mut self,
        survivor: i64,
        other: i64,
        choices: &Choices,
        versions: Versions,
    ) -> Result<i64> {
        self.write(|tx, ctx| merge_contacts(tx, ctx, survivor, other, choices, versions))
    }

    /// Merges lead or customer `other` into `survivor`: its contacts, notes, emails and history
    /// go to the survivor. Two leads, two customers, or a lead into a customer.
    pub fn merge_parents(
        &mut self,
        survivor: i64,
        other: i64,
        choices: &Choices,
        versions: Versions,
    ) -> Result<i64> {
        self.write(|tx, ctx| merge_parents(tx, ctx, survivor, other, choices, versions))
    }

    /// Restores both records of a merge exactly as they were, timelines included, unless
    /// something written since depends on the merge: then nothing is changed and the error
    /// names it.
    pub fn undo_merge(&mut self, id: i64) -> Result<MergeRecord> {
        self.write(|tx, ctx| undo(tx, ctx, id))
    }

    /// Every merge, newest first.
    pub fn merges(&self) -> Result<Vec<MergeRecord>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, kind, survivor, merged, merged_name, at, actor, undone_at
             FROM merges ORDER BY id DESC",
        )?;
        let found = stmt.query_map(params![], merge_from_row)?;
        found.collect::<Result<_>>()
    }

    /// The merges into this record that can still be undone, newest first.
    pub fn merges_into(&self, kind: MergeKind, survivor: i64) -> Result<Vec<MergeRecord>> {
        Ok(self
            .merges()?
            .into_iter()
            .filter(|m| m.kind == kind && m.survivor == survivor && m.undone_at.is_none())
            .collect())
    }

    /// Records that `a` and `b` are not duplicates, so that finding duplicates leaves them out.
    pub fn mark_distinct(&mut self, kind: MergeKind, a: i64, b: i64) -> Result<()> {
        let (low, high) = (a.min(b), a.max(b));
        if low == high {
            return Err(StoreError::Rule(format!("#{a} is one record, not a pair")));
        }
        self.write(|tx, ctx| {
            let table = if kind == MergeKind::Contact {
                "contacts"
            } else {
                "parents"
            };
            for id in [low, high] {
                let there: bool = tx.query_row(
                    &format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"),
                    params![id],
                    |r| r.get(0),
                )?;
                if !there {
                    return Err(history::absent(tx, kind.as_str(), kind.what(), id));
                }
            }
            tx.execute(
                "INSERT INTO distinct_pairs (kind, low, high, at, actor)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                params![kind.as_str(), low, high, ctx.now, ctx.actor],
            )?;
            Ok(())
        })
    }

    /// The pairs (lower id first) a user said are not duplicates.
    pub fn distinct_pairs(&self, kind: MergeKind) -> Result<std::collections::HashSet<(i64, i64)>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT low, high FROM distinct_pairs WHERE kind = ?1")?;
        let found = stmt.query_map(params![kind.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        found.collect::<Result<_>>()
    }
}

/// What `merge --dry-run` and the merge screen show: both records and what the merge would make
/// of them, nothing written.
pub struct ContactMergePreview {
    pub survivor: Contact,
    pub other: Contact,
    pub merged: ContactFields,
    /// The company the merged person would be at, or why the user must say.
    pub parent: std::result::Result<i64, String>,
}

pub struct ParentMergePreview {
    pub survivor: Parent,
    pub other: Parent,
    pub merged: ParentFields,
    pub status: crate::domain::Status,
}

impl Store {
    pub fn preview_contact_merge(
        &self,
        survivor: i64,
        other: i64,
        choices: &Choices,
    ) -> Result<ContactMergePreview> {
        let survivor = self.contact(survivor)?;
        let other = self.contact(other)?;
        let merged = merge::combine_contacts(&survivor.fields, &other.fields, choices);
        let parent = merged_parent(&survivor, &other, choices).map_err(|e| e.to_string());
        Ok(ContactMergePreview {
            survivor,
            other,
            merged,
            parent,
        })
    }

    pub fn preview_parent_merge(
        &self,
        survivor: i64,
        other: i64,
        choices: &Choices,
    ) -> Result<ParentMergePreview> {
        let survivor = self.parent(survivor)?;
        let other = self.parent(other)?;
        let is_lead = survivor.kind == ParentKind::Lead;
        let merged = merge::combine_parents(&survivor.fields, &other.fields, choices, is_lead);
        let status = if choices.from_other("status") && other.kind == survivor.kind {
            other.status
        } else {
            survivor.status
        };
        Ok(ParentMergePreview {
            survivor,
            other,
            merged,
            status,
        })
    }
}
