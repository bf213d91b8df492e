//! Leads and customers.

use super::columns::{self, Column};
use super::db::{bad_cell, params, Db, Optional, Row};
use super::error::{Result, StoreError};
use super::history::{self, diff};
use super::{Ctx, Store};
use crate::domain::parent::automatic_status;
use crate::domain::{FieldError, Parent, ParentFields, ParentKind, Status};

pub(crate) const PARENT_COLUMNS: &str = "p.id, p.kind, p.name, p.contact_name, p.email, p.phone, \
     p.website, p.industry, p.source, p.notes, p.phone_e164, p.status, p.converted_to, \
     p.created_at, p.updated_at, p.version";

fn bad_value(col: usize, what: &str, value: &str) -> StoreError {
    bad_cell(col, format!("unknown {what} {value:?}").to_string())
}

pub(crate) fn parent_from_row(r: &Row) -> Result<Parent> {
    let kind: String = r.get(1)?;
    let status: String = r.get(11)?;
    Ok(Parent {
        id: r.get(0)?,
        kind: ParentKind::parse(&kind).ok_or_else(|| bad_value(1, "kind", &kind))?,
        fields: ParentFields {
            name: r.get(2)?,
            contact_name: r.get(3)?,
            email: r.get(4)?,
            phone: r.get(5)?,
            website: r.get(6)?,
            industry: r.get(7)?,
            source: r.get(8)?,
            notes: r.get(9)?,
        },
        phone_e164: r.get(10)?,
        status: Status::parse(&status).ok_or_else(|| bad_value(11, "status", &status))?,
        converted_to: r.get(12)?,
        created_at: r.get(13)?,
        updated_at: r.get(14)?,
        version: r.get(15)?,
    })
}

/// A row of the parent list: the parent, how many contacts it has and who its primary person
/// is (a lead's contact name, else its first contact).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentSummary {
    pub parent: Parent,
    pub contact_count: i64,
    pub primary_contact: Option<String>,
}

/// A parent as far as the parent list's tabs, counts and kind filter need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParentRow {
    pub id: i64,
    pub kind: ParentKind,
    pub status: Status,
    /// A lead converted into a customer: it has left the pipeline.
    pub converted: bool,
}

/// A parent's texts that the parent list's `/` filter matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentTexts {
    pub id: i64,
    pub name: String,
    pub primary_contact: Option<String>,
    pub email: Option<String>,
    pub industry: Option<String>,
}

/// A parent's primary person: a lead's contact name, else its first contact still there.
const PRIMARY: &str = "COALESCE(p.contact_name,
    (SELECT c.full_name FROM contacts c WHERE c.parent_id = p.id AND c.moved_to IS NULL
      ORDER BY c.id LIMIT 1))";

/// The query of [`ParentSummary`] rows, ending in `rest`.
fn summaries(rest: &str) -> String {
    format!(
        "SELECT {PARENT_COLUMNS}, (SELECT count(*) FROM contacts c WHERE c.parent_id = p.id),
            {PRIMARY} FROM parents p {rest}"
    )
}

fn summary_from_row(r: &Row) -> Result<ParentSummary> {
    Ok(ParentSummary {
        parent: parent_from_row(r)?,
        contact_count: r.get(16)?,
        primary_contact: r.get(17)?,
    })
}

/// What a person edits, and phone_e164 that follows the phone: both the INSERT and the UPDATE
/// write these, so a new column is added here alone.
fn editable<'a>(f: &'a ParentFields, e164: &'a Option<String>) -> [Column<'a>; 9] {
    [
        ("name", &f.name),
        ("contact_name", &f.contact_name),
        ("email", &f.email),
        ("phone", &f.phone),
        ("phone_e164", e164),
        ("website", &f.website),
        ("industry", &f.industry),
        ("source", &f.source),
        ("notes", &f.notes),
    ]
}

fn find(conn: &Db, id: i64) -> Result<Option<Parent>> {
    conn.prepare_cached(&format!(
        "SELECT {PARENT_COLUMNS} FROM parents p WHERE p.id = ?1"
    ))?
    .query_row(params![id], parent_from_row)
    .optional()
}

/// Reads a parent inside a transaction, for writes that depend on it: one that is not there
/// was deleted since the caller read it.
pub(crate) fn load(tx: &Db, id: i64) -> Result<Parent> {
    find(tx, id)?.ok_or_else(|| history::absent(tx, "parent", "lead or customer", id))
}

/// Reads a parent that is to receive new contacts or activities: a converted lead is history
/// and takes none.
pub(crate) fn load_open(tx: &Db, id: i64) -> Result<Parent> {
    let p = load(tx, id)?;
    if let Some(customer) = p.converted_to {
        return Err(StoreError::Rule(format!(
            "lead #{id} {} was converted into customer #{customer}; add to the customer instead",
            p.fields.name
        )));
    }
    Ok(p)
}

/// Turns "zero rows updated" into the right error: the row is gone, or its version moved on.
pub(crate) fn stale(
    tx: &Db,
    table: &str,
    what: &'static str,
    id: i64,
    expected: i64,
) -> StoreError {
    let current: Option<i64> = tx
        .query_row(
            &format!("SELECT version FROM {table} WHERE id = ?1"),
            params![id],
            |r| r.get(0),
        )
        .optional()
        .unwrap_or(None);
    match current {
        Some(current) => StoreError::Conflict {
            what,
            id,
            expected,
            current,
        },
        None => StoreError::Gone { what, id },
    }
}

pub(crate) fn insert(tx: &Db, ctx: &Ctx, kind: ParentKind, fields: &ParentFields) -> Result<i64> {
    let (f, e164) = fields.validated(kind, ctx.region)?;
    let mut status = kind.initial_status();
    if kind == ParentKind::Lead {
        status = automatic_status(status, &f).unwrap_or(status);
    }
    let fixed: [Column; 4] = [
        ("kind", &kind.key()),
        ("status", &status.key()),
        ("created_at", &ctx.now),
        ("updated_at", &ctx.now),
    ];
    let id = columns::insert(tx, "parents", &[&fixed[..], &editable(&f, &e164)].concat())?;
    history::record(
        tx,
        ctx,
        "parent",
        id,
        "create",
        diff(&ParentFields::default(), &f),
        None,
    )?;
    if status != kind.initial_status() {
        record_status(tx, ctx, id, kind.initial_status(), status, None)?;
    }
    Ok(id)
}

pub(crate) fn record_status(
    tx: &Db,
    ctx: &Ctx,
    id: i64,
    from: Status,
    to: Status,
    reason: Option<&str>,
) -> Result<()> {
    let change = serde_json::json!({ "status": [from.key(), to.key()] });
    let reason = reason.or(Some("automatic: name, website and email are all present"));
    history::record(tx, ctx, "parent", id, "status", Some(change), reason)
}

/// Saves `fields` over lead or customer `id` if its version is still `version`.
pub(crate) fn update_in(
    tx: &Db,
    ctx: &Ctx,
    id: i64,
    version: i64,
    fields: &ParentFields,
) -> Result<i64> {
    let old = load(tx, id)?;
    let (f, e164) = fields.validated(old.kind, ctx.region)?;
    let status = automatic_status(old.status, &f).unwrap_or(old.status);
    let fixed: [Column; 2] = [("status", &status.key()), ("updated_at", &ctx.now)];
    let n = columns::update(
        tx,
        "parents",
        id,
        version,
        &[&editable(&f, &e164)[..], &fixed].concat(),
    )?;
    if n == 0 {
        return Err(stale(tx, "parents", "lead or customer", id, version));
    }
    if let Some(changes) = diff(&old.fields, &f) {
        history::record(tx, ctx, "parent", id, "update", Some(changes), None)?;
    }
    if status != old.status {
        record_status(tx, ctx, id, old.status, status, None)?;
    }
    Ok(version + 1)
}

impl Store {
    pub fn add_parent(&mut self, kind: ParentKind, fields: &ParentFields) -> Result<i64> {
        self.write(|tx, ctx| insert(tx, ctx, kind, fields))
    }

    pub fn parent(&self, id: i64) -> Result<Parent> {
        find(self.conn(), id)?.ok_or(StoreError::NotFound {
            what: "lead or customer",
            reference: format!("#{id}"),
        })
    }

    /// Finds a lead or customer by id or exact name. A name that several share is an error that
    /// lists them; an exact match in case wins over a match ignoring case.
    pub fn resolve_parent(&self, reference: &str) -> Result<Parent> {
        let reference = reference.trim();
        let id_text = reference.strip_prefix('#').unwrap_or(reference);
        if let Ok(id) = id_text.parse::<i64>() {
            if let Ok(p) = self.parent(id) {
                return Ok(p);
            }
        }
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {PARENT_COLUMNS} FROM parents p WHERE p.name = ?1 COLLATE NOCASE ORDER BY p.id"
        ))?;
        let mut found: Vec<Parent> = stmt
            .query_map(params![reference], parent_from_row)?
            .collect::<Result<_>>()?;
        if found.iter().any(|p| p.fields.name == reference) {
            found.retain(|p| p.fields.name == reference);
        }
        // A converted lead is history: its name means the customer it became.
        let ids: Vec<i64> = found.iter().map(|p| p.id).collect();
        if found.len() > 1 {
            found.retain(|p| p.converted_to.is_none_or(|c| !ids.contains(&c)));
        }
        match found.len() {
            // An id of a record merged away says where it went.
            0 => match id_text.parse::<i64>().map(|id| load(self.conn(), id)) {
                Ok(Err(e @ StoreError::MergedAway { .. })) => Err(e),
                _ => Err(StoreError::NotFound {
                    what: "lead or customer",
                    reference: reference.to_string(),
                }),
            },
            1 => Ok(found.remove(0)),
            _ => Err(StoreError::Ambiguous {
                reference: reference.to_string(),
                candidates: found
                    .iter()
                    .map(|p| format!("#{} {} ({})", p.id, p.fields.name, p.status_label()))
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }

    /// The lead a customer was converted from, if it was.
    pub fn converted_from(&self, customer_id: i64) -> Result<Option<i64>> {
        self.conn()
            .query_row(
                "SELECT id FROM parents WHERE converted_to = ?1 ORDER BY id LIMIT 1",
                params![customer_id],
                |r| r.get(0),
            )
            .optional()
    }

    /// Every lead and customer with its contact count and primary person, most recently changed
    /// first.
    pub fn list_parents(&self) -> Result<Vec<ParentSummary>> {
        let mut stmt = self
            .conn()
            .prepare_cached(&summaries("ORDER BY p.updated_at DESC, p.id DESC"))?;
        let rows = stmt.query_map(params![], summary_from_row)?;
        rows.collect::<Result<_>>()
    }

    /// Every lead and customer as far as the parent list's tabs and counts need them, in the
    /// order of [`Store::list_parents`]: a list of tens of thousands reads only these, and
    /// [`Store::parent_summaries`] of the rows in view.
    pub fn parent_rows(&self) -> Result<Vec<ParentRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT p.id, p.kind, p.status, p.converted_to IS NOT NULL FROM parents p
             ORDER BY p.updated_at DESC, p.id DESC",
        )?;
        let rows = stmt.query_map(params![], |r| {
            let kind: String = r.get(1)?;
            let status: String = r.get(2)?;
            let (kind, status) = (kind.as_str(), status.as_str());
            Ok(ParentRow {
                id: r.get(0)?,
                kind: ParentKind::parse(kind).ok_or_else(|| bad_value(1, "kind", kind))?,
                status: Status::parse(status).ok_or_else(|| bad_value(2, "status", status))?,
                converted: r.get(3)?,
            })
        })?;
        rows.collect::<Result<_>>()
    }

    /// The rows of [`Store::list_parents`] with these ids, in no set order; ids of parents no
    /// longer there are left out.
    pub fn parent_summaries(&self, ids: &[i64]) -> Result<Vec<ParentSummary>> {
        let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        let mut stmt = self.conn().prepare_cached(&summaries(&format!(
            "WHERE p.id IN ({})",
            self.conn().dialect().ids_in_json_array()
        )))?;
        let rows = stmt.query_map(params![list], summary_from_row)?;
        rows.collect::<Result<_>>()
    }

    /// What a list's text filter can match of every lead and customer, in no set order: the
    /// count of contacts, dear at this scale, is left out.
    pub fn parent_texts(&self) -> Result<Vec<ParentTexts>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT p.id, p.name, {PRIMARY}, p.email, p.industry FROM parents p"
        ))?;
        let rows = stmt.query_map(params![], |r| {
            Ok(ParentTexts {
                id: r.get(0)?,
                name: r.get(1)?,
                primary_contact: r.get(2)?,
                email: r.get(3)?,
                industry: r.get(4)?,
            })
        })?;
        rows.collect::<Result<_>>()
    }

    /// Saves edited fields of a lead or customer, provided nobody saved it since `version` was
    /// read. Returns the new version. A lead whose information is now filled moves on by itself.
    pub fn update_parent(&mut self, id: i64, version: i64, fields: &ParentFields) -> Result<i64> {
        self.write(|tx, ctx| update_in(tx, ctx, id, version, fields))
    }

    /// A one-shot edit (the command line's): reads lead or customer `id` and saves `change` of
    /// it in one transaction, so another process's write in between cannot make it a conflict.
    pub fn edit_parent(
        &mut self,
        id: i64,
        change: impl FnOnce(&Parent) -> ParentFields,
    ) -> Result<i64> {
        self.write(|tx, ctx| {
            let old = load(tx, id)?;
            update_in(tx, ctx, id, old.version, &change(&old))
        })
    }

    /// Sets a status by hand. A lead's status change needs a reason, kept in its history; a
    /// customer is archived or made active again, with an optional reason.
    pub fn set_status(
        &mut self,
        id: i64,
        version: i64,
        status: Status,
        reason: Option<&str>,
    ) -> Result<i64> {
        self.set_status_at(id, Some(version), status, reason)
    }

    /// [`Store::set_status`] of the lead or customer as it is when the write begins: for a
    /// one-shot change (the command line's), which has nothing open that could be out of date.
    pub fn set_status_now(&mut self, id: i64, status: Status, reason: Option<&str>) -> Result<i64> {
        self.set_status_at(id, None, status, reason)
    }

    fn set_status_at(
        &mut self,
        id: i64,
        version: Option<i64>,
        status: Status,
        reason: Option<&str>,
    ) -> Result<i64> {
        let reason = match reason {
            Some(r) => crate::domain::validate::text("reason", r, 500)?,
            None => None,
        };
        self.write(|tx, ctx| {
            let old = load(tx, id)?;
            let version = version.unwrap_or(old.version);
            if status.kind() != old.kind {
                return Err(StoreError::Rule(format!(
                    "{} is not a status of a {}; a {} is {}",
                    status.label(),
                    old.kind,
                    old.kind,
                    Status::ALL
                        .iter()
                        .filter(|s| s.kind() == old.kind)
                        .map(|s| s.label())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            if old.converted_to.is_some() {
                return Err(StoreError::Rule(format!(
                    "lead #{id} was converted into customer #{}; its status is kept as history",
                    old.converted_to.unwrap_or_default()
                )));
            }
            // The status it has already: nothing changes, and the history says nothing.
            if old.status == status && old.version == version {
                return Ok(version);
            }
            if old.kind == ParentKind::Lead && reason.is_none() {
                return Err(
                    FieldError::new("reason", "is required to change a lead's status").into(),
                );
            }
            let n = tx.execute(
                "UPDATE parents SET status = ?1, updated_at = ?2, version = version + 1
                 WHERE id = ?3 AND version = ?4",
                params![status.key(), ctx.now, id, version],
            )?;
            if n == 0 {
                return Err(stale(tx, "parents", "lead or customer", id, version));
            }
            let change = serde_json::json!({ "status": [old.status.key(), status.key()] });
            history::record(
                tx,
                ctx,
                "parent",
                id,
                "status",
                Some(change),
                reason.as_deref(),
            )?;
            Ok(version + 1)
        })
    }

    /// How many leads are at each step of the pipeline (converted leads not counted) and how
    /// many customers are active and archived.
    pub fn status_counts(&self) -> Result<Vec<(Status, i64)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT status, count(*) FROM parents WHERE converted_to IS NULL GROUP BY status",
        )?;
        let counted: Vec<(String, i64)> = stmt
            .query_map(params![], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_>>()?;
        Ok(Status::ALL
            .iter()
            .map(|&s| {
                let n = counted
                    .iter()
                    .find(|(k, _)| k == s.key())
                    .map_or(0, |(_, n)| *n);
                (s, n)
            })
            .collect())
    }
}
