//! Contacts: the people at leads and customers.

use super::columns::{self, Column};
use super::error::{Result, StoreError};
use super::history::{self, diff};
use super::parents::{self, stale};
use super::{Ctx, Store};
use crate::domain::{Contact, ContactFields, ParentKind};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::Serialize;

const CONTACT_COLUMNS: &str = "c.id, c.parent_id, p.kind, p.name, c.first_name, c.last_name, \
     c.full_name, c.email, c.phone, c.title, c.notes, c.phone_e164, c.moved_to, c.created_at, \
     c.updated_at, c.version";

/// A query of contacts with their parent's kind and name, as [`contact_from_row`] reads them;
/// `rest` is what follows the FROM (WHERE, ORDER BY).
fn select(rest: &str) -> String {
    format!("SELECT {CONTACT_COLUMNS} FROM contacts c JOIN parents p ON p.id = c.parent_id {rest}")
}

fn contact_from_row(r: &Row) -> rusqlite::Result<Contact> {
    let kind: String = r.get(2)?;
    Ok(Contact {
        id: r.get(0)?,
        parent_id: r.get(1)?,
        parent_kind: ParentKind::parse(&kind).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                2,
                rusqlite::types::Type::Text,
                format!("unknown kind {kind:?}").into(),
            )
        })?,
        parent_name: r.get(3)?,
        fields: ContactFields {
            first_name: r.get(4)?,
            last_name: r.get(5)?,
            full_name: r.get(6)?,
            email: r.get(7)?,
            phone: r.get(8)?,
            title: r.get(9)?,
            notes: r.get(10)?,
            ..Default::default()
        },
        phone_e164: r.get(11)?,
        moved_to: r.get(12)?,
        created_at: r.get(13)?,
        updated_at: r.get(14)?,
        version: r.get(15)?,
    })
}

/// A title in use and how many contacts carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TitleCount {
    pub title: String,
    pub count: i64,
}

/// What a person edits, and phone_e164 that follows the phone: both the INSERT and the UPDATE
/// write these, so a new column is added here alone.
fn editable<'a>(f: &'a ContactFields, e164: &'a Option<String>) -> [Column<'a>; 8] {
    [
        ("first_name", &f.first_name),
        ("last_name", &f.last_name),
        ("full_name", &f.full_name),
        ("email", &f.email),
        ("phone", &f.phone),
        ("phone_e164", e164),
        ("title", &f.title),
        ("notes", &f.notes),
    ]
}

pub(crate) fn insert(
    tx: &Transaction,
    ctx: &Ctx,
    parent_id: i64,
    fields: &ContactFields,
) -> Result<i64> {
    let (f, e164) = fields.validated(ctx.region)?;
    parents::load_open(tx, parent_id)?;
    let fixed: [Column; 3] = [
        ("parent_id", &parent_id),
        ("created_at", &ctx.now),
        ("updated_at", &ctx.now),
    ];
    let id = columns::insert(tx, "contacts", &[&fixed[..], &editable(&f, &e164)].concat())?;
    touch_parent(tx, ctx, parent_id)?;
    history::record(
        tx,
        ctx,
        "contact",
        id,
        "create",
        diff(&ContactFields::default(), &f),
        None,
    )?;
    Ok(id)
}

/// A parent's "last change" moves when its people change, so the parent list shows activity.
pub(crate) fn touch_parent(tx: &Transaction, ctx: &Ctx, parent_id: i64) -> Result<()> {
    tx.prepare_cached("UPDATE parents SET updated_at = ?1 WHERE id = ?2")?
        .execute(params![ctx.now, parent_id])?;
    Ok(())
}

fn find(conn: &rusqlite::Connection, id: i64) -> Result<Option<Contact>> {
    Ok(conn
        .prepare_cached(&select("WHERE c.id = ?1"))?
        .query_row([id], contact_from_row)
        .optional()?)
}

/// Reads a contact inside a transaction, for writes that depend on it: one that is not there
/// was deleted since the caller read it.
pub(crate) fn load(tx: &rusqlite::Connection, id: i64) -> Result<Contact> {
    find(tx, id)?.ok_or(StoreError::Gone {
        what: "contact",
        id,
    })
}

impl Store {
    pub fn add_contact(&mut self, parent_id: i64, fields: &ContactFields) -> Result<i64> {
        self.write(|tx, ctx| insert(tx, ctx, parent_id, fields))
    }

    pub fn contact(&self, id: i64) -> Result<Contact> {
        find(self.conn(), id)?.ok_or(StoreError::NotFound {
            what: "contact",
            reference: format!("#{id}"),
        })
    }

    /// Contacts, of one parent or of all, ordered by name.
    pub fn list_contacts(&self, parent_id: Option<i64>) -> Result<Vec<Contact>> {
        let sql = select(
            "WHERE ?1 IS NULL OR c.parent_id = ?1 ORDER BY c.full_name COLLATE NOCASE, c.id",
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([parent_id], contact_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Contacts whose name, email, title or parent's name contains the characters of `query`
    /// in order (SQL LIKE `%a%d%a%`, ASCII case-insensitive): the cheap first cut of a fuzzy
    /// search, which can only lose what a subsequence match would also lose.
    pub fn contacts_containing_in_order(&self, query: &str) -> Result<Vec<Contact>> {
        let mut pattern = String::from("%");
        for c in query.chars().filter(|c| !c.is_whitespace()) {
            if matches!(c, '%' | '_' | '\\') {
                pattern.push('\\');
            }
            pattern.push(c);
            pattern.push('%');
        }
        let mut stmt = self.conn().prepare_cached(&select(
            "WHERE c.full_name LIKE ?1 ESCAPE '\\' OR c.email LIKE ?1 ESCAPE '\\'
                OR c.title LIKE ?1 ESCAPE '\\' OR p.name LIKE ?1 ESCAPE '\\'",
        ))?;
        let rows = stmt.query_map([pattern], contact_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every contact that has a title, in no particular order: what the title search ranks.
    pub fn titled_contacts(&self) -> Result<Vec<Contact>> {
        let mut stmt = self
            .conn()
            .prepare_cached(&select("WHERE c.title IS NOT NULL"))?;
        let rows = stmt.query_map([], contact_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// For the contacts of a parent that moved on or moved here: (contact id, "moved on to X" /
    /// "was at X").
    pub fn moved_links(&self, parent_id: i64) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.id, 'moved on to ' || p2.name FROM contacts c
               JOIN contacts c2 ON c2.id = c.moved_to JOIN parents p2 ON p2.id = c2.parent_id
              WHERE c.parent_id = ?1
             UNION ALL
             SELECT c.id, 'was at ' || p0.name FROM contacts c
               JOIN contacts c0 ON c0.moved_to = c.id JOIN parents p0 ON p0.id = c0.parent_id
              WHERE c.parent_id = ?1",
        )?;
        let rows = stmt.query_map([parent_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The contacts whose title is exactly one of `titles`, as [`Store::distinct_titles`] gives
    /// them.
    pub fn contacts_with_titles(&self, titles: &[String]) -> Result<Vec<Contact>> {
        let mut found = Vec::new();
        for chunk in titles.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let mut stmt = self
                .conn()
                .prepare(&select(&format!("WHERE c.title IN ({marks})")))?;
            let rows = stmt.query_map(rusqlite::params_from_iter(chunk), contact_from_row)?;
            for row in rows {
                found.push(row?);
            }
        }
        Ok(found)
    }

    /// Every distinct title exactly as written, with its count: what title search ranks.
    pub fn distinct_titles(&self) -> Result<Vec<TitleCount>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT title, count(*) FROM contacts WHERE title IS NOT NULL GROUP BY title",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(TitleCount {
                title: r.get(0)?,
                count: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Distinct titles in use with their counts, most used first; the same title in another case
    /// counts as one, shown as most people wrote it.
    pub fn titles(&self) -> Result<Vec<TitleCount>> {
        let mut rows = self.distinct_titles()?;
        rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.title.cmp(&b.title)));
        let mut merged: Vec<TitleCount> = Vec::with_capacity(rows.len());
        let mut index = std::collections::HashMap::new();
        for row in rows {
            let key = row.title.to_lowercase();
            match index.get(&key) {
                Some(&i) => {
                    let m: &mut TitleCount = &mut merged[i];
                    m.count += row.count;
                }
                None => {
                    index.insert(key, merged.len());
                    merged.push(row);
                }
            }
        }
        merged.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.title.cmp(&b.title)));
        Ok(merged)
    }

    /// Saves edited fields of a contact, provided nobody saved it since `version` was read.
    /// Returns the new version.
    pub fn update_contact(&mut self, id: i64, version: i64, fields: &ContactFields) -> Result<i64> {
        self.write(|tx, ctx| {
            let old = load(tx, id)?;
            let (f, e164) = fields.validated(ctx.region)?;
            let updated: Column = ("updated_at", &ctx.now);
            let n = columns::update(
                tx,
                "contacts",
                id,
                version,
                &[&editable(&f, &e164)[..], &[updated]].concat(),
            )?;
            if n == 0 {
                return Err(stale(tx, "contacts", "contact", id, version));
            }
            touch_parent(tx, ctx, old.parent_id)?;
            if let Some(changes) = diff(&old.fields, &f) {
                history::record(tx, ctx, "contact", id, "update", Some(changes), None)?;
            }
            Ok(version + 1)
        })
    }

    /// Deletes a contact, provided nobody saved it since `version` was read. Its notes and
    /// emails stay on the parent, detached from the person.
    pub fn delete_contact(&mut self, id: i64, version: i64) -> Result<()> {
        self.write(|tx, ctx| {
            let old = load(tx, id)?;
            if old.version != version {
                return Err(StoreError::Conflict {
                    what: "contact",
                    id,
                    expected: version,
                    current: old.version,
                });
            }
            tx.execute(
                "UPDATE activities SET contact_id = NULL WHERE contact_id = ?1",
                [id],
            )?;
            tx.execute("DELETE FROM contacts WHERE id = ?1", [id])?;
            touch_parent(tx, ctx, old.parent_id)?;
            let snapshot = serde_json::to_value(&old.fields).ok();
            history::record(tx, ctx, "contact", id, "delete", snapshot, None)?;
            Ok(())
        })
    }
}
