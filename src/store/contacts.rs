//! Contacts: the people at leads and customers.

use super::columns::{self, Column};
use super::db::{bad_cell, params, values_of, Db, Optional, Row};
use super::error::{Result, StoreError};
use super::history::{self, diff};
use super::parents::{self, stale};
use super::{Ctx, Store};
use crate::domain::{Contact, ContactFields, FieldError, ParentKind};
use serde::Serialize;

/// A contact's columns with its parent's kind and name. Its emails, phones and tags are read
/// for a whole list at once afterwards ([`with_lists`]): a subquery per row would cost more than
/// the rest of the row.
const CONTACT_COLUMNS: &str = "c.id, c.parent_id, p.kind, p.name, c.first_name, c.last_name, \
     c.full_name, c.email, c.phone, c.title, c.notes, c.phone_e164, c.moved_to, c.created_at, \
     c.updated_at, c.version, c.middle_name, c.prefix, c.suffix, c.nickname, c.uid, c.birthday, \
     c.anniversary, c.photo, c.addresses, c.urls, c.extra, c.every_days";

/// Fills in the emails, phones and tags of `list` from their tables: for a long list one pass
/// over each table, for a short one through the contact's key.
fn with_lists(conn: &Db, mut list: Vec<Contact>) -> Result<Vec<Contact>> {
    if list.is_empty() {
        return Ok(list);
    }
    let index: std::collections::HashMap<i64, usize> =
        list.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let ids: Vec<i64> = list.iter().map(|c| c.id).collect();
    let whole = list.len() > 20000;
    let mut each = |sql: &str, f: &mut dyn FnMut(&mut Contact, &Row) -> Result<()>| {
        let mut run = |filter: &str, params: &[i64]| -> Result<()> {
            let mut stmt =
                conn.prepare_cached(&format!("{sql} {filter} ORDER BY contact_id, position"))?;
            stmt.for_each(&values_of(params), |r| {
                let id: i64 = r.get(0)?;
                if let Some(&i) = index.get(&id) {
                    f(&mut list[i], r)?;
                }
                Ok(())
            })?;
            Ok(())
        };
        if whole {
            return run("", &[]);
        }
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            run(&format!("WHERE contact_id IN ({marks})"), chunk)?;
        }
        Ok(())
    };
    each(
        "SELECT contact_id, address, label, preferred FROM contact_emails",
        &mut |c, r| {
            c.fields.emails.push(crate::domain::Labeled {
                value: r.get(1)?,
                label: r.get(2)?,
                preferred: r.get(3)?,
            });
            Ok(())
        },
    )?;
    each(
        "SELECT contact_id, number, label, preferred FROM contact_phones",
        &mut |c, r| {
            c.fields.phones.push(crate::domain::Labeled {
                value: r.get(1)?,
                label: r.get(2)?,
                preferred: r.get(3)?,
            });
            Ok(())
        },
    )?;
    each("SELECT contact_id, tag FROM contact_tags", &mut |c, r| {
        c.fields.tags.push(r.get(1)?);
        Ok(())
    })?;
    Ok(list)
}

/// A JSON array column read back; a store that holds something else is a broken store.
fn json_list<T: serde::de::DeserializeOwned>(r: &Row, i: usize) -> Result<Vec<T>> {
    let text: Option<String> = r.get(i)?;
    match text {
        None => Ok(Vec::new()),
        Some(t) => serde_json::from_str(&t).map_err(|e| bad_cell(i, e.to_string())),
    }
}

/// A list as the JSON array column it is kept in; an empty list is NULL.
fn json_column<T: Serialize>(list: &[T]) -> Option<String> {
    (!list.is_empty()).then(|| serde_json::to_string(list).unwrap_or_else(|_| "[]".into()))
}

/// A query of contacts with their parent's kind and name, as [`contact_from_row`] reads them;
/// `rest` is what follows the FROM (WHERE, ORDER BY).
fn select(rest: &str) -> String {
    format!("SELECT {CONTACT_COLUMNS} FROM contacts c JOIN parents p ON p.id = c.parent_id {rest}")
}

fn contact_from_row(r: &Row) -> Result<Contact> {
    let kind: String = r.get(2)?;
    Ok(Contact {
        id: r.get(0)?,
        parent_id: r.get(1)?,
        parent_kind: ParentKind::parse(&kind)
            .ok_or_else(|| bad_cell(2, format!("unknown kind {kind:?}").to_string()))?,
        parent_name: r.get(3)?,
        fields: ContactFields {
            first_name: r.get(4)?,
            last_name: r.get(5)?,
            full_name: r.get(6)?,
            email: r.get(7)?,
            phone: r.get(8)?,
            title: r.get(9)?,
            notes: r.get(10)?,
            middle_name: r.get(16)?,
            prefix: r.get(17)?,
            suffix: r.get(18)?,
            nickname: r.get(19)?,
            uid: r.get(20)?,
            birthday: r.get(21)?,
            anniversary: r.get(22)?,
            photo: r.get(23)?,
            addresses: json_list(r, 24)?,
            urls: json_list(r, 25)?,
            extra: json_list(r, 26)?,
            ..Default::default()
        },
        phone_e164: r.get(11)?,
        moved_to: r.get(12)?,
        created_at: r.get(13)?,
        updated_at: r.get(14)?,
        version: r.get(15)?,
        every_days: r.get(27)?,
    })
}

/// A title in use and how many contacts carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TitleCount {
    pub title: String,
    pub count: i64,
}

/// The lists a contact keeps as JSON columns, encoded once for a write.
struct JsonColumns {
    addresses: Option<String>,
    urls: Option<String>,
    extra: Option<String>,
}

impl JsonColumns {
    fn of(f: &ContactFields) -> JsonColumns {
        JsonColumns {
            addresses: json_column(&f.addresses),
            urls: json_column(&f.urls),
            extra: json_column(&f.extra),
        }
    }
}

/// What a person edits, and phone_e164 that follows the phone: both the INSERT and the UPDATE
/// write these, so a new column is added here alone. (Emails, phones and tags have tables of
/// their own: see [`write_lists`].)
fn editable<'a>(
    f: &'a ContactFields,
    e164: &'a Option<String>,
    json: &'a JsonColumns,
) -> [Column<'a>; 19] {
    [
        ("first_name", &f.first_name),
        ("last_name", &f.last_name),
        ("full_name", &f.full_name),
        ("email", &f.email),
        ("phone", &f.phone),
        ("phone_e164", e164),
        ("title", &f.title),
        ("notes", &f.notes),
        ("middle_name", &f.middle_name),
        ("prefix", &f.prefix),
        ("suffix", &f.suffix),
        ("nickname", &f.nickname),
        ("uid", &f.uid),
        ("birthday", &f.birthday),
        ("anniversary", &f.anniversary),
        ("photo", &f.photo),
        ("addresses", &json.addresses),
        ("urls", &json.urls),
        ("extra", &json.extra),
    ]
}

/// Replaces a contact's emails, phones and tags with those of `f`, in order (`fresh`: a new
/// contact, which has none yet). `e164` is the preferred phone's, already worked out: parsing a
/// number is the dearest step of a write.
fn write_lists(
    tx: &Db,
    ctx: &Ctx,
    id: i64,
    f: &ContactFields,
    e164: &Option<String>,
    fresh: bool,
) -> Result<()> {
    if !fresh {
        for table in ["contact_emails", "contact_phones", "contact_tags"] {
            tx.prepare_cached(&format!("DELETE FROM {table} WHERE contact_id = ?1"))?
                .execute(params![id])?;
        }
    }
    let mut add = tx.prepare_cached(
        "INSERT INTO contact_emails (contact_id, position, address, label, preferred)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, e) in f.emails.iter().enumerate() {
        add.execute(params![id, i, e.value, e.label, e.preferred])?;
    }
    let mut add = tx.prepare_cached(
        "INSERT INTO contact_phones (contact_id, position, number, label, preferred, e164)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, p) in f.phones.iter().enumerate() {
        let e164 = match p.preferred {
            true => e164.clone(),
            false => crate::domain::validate::e164(&p.value, ctx.region),
        };
        add.execute(params![id, i, p.value, p.label, p.preferred, e164])?;
    }
    let mut add = tx.prepare_cached(
        "INSERT INTO contact_tags (contact_id, position, tag) VALUES (?1, ?2, ?3)",
    )?;
    for (i, t) in f.tags.iter().enumerate() {
        add.execute(params![id, i, t])?;
    }
    Ok(())
}

/// A new random (version 4) UUID for a contact made in kith.
fn new_uid() -> Result<String> {
    let mut b = [0u8; 16];
    // The kernel's generator: no query per contact, and SQLite's randomblob is no better seeded.
    let n = unsafe { libc::getrandom(b.as_mut_ptr().cast(), b.len(), 0) };
    if n != b.len() as isize {
        return Err(StoreError::Rule(format!(
            "no random bytes for a UID: {}",
            std::io::Error::last_os_error()
        )));
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}

/// The contact whose UID is `uid`, if any.
pub(crate) fn id_by_uid(tx: &Db, uid: &str) -> Result<Option<i64>> {
    tx.prepare_cached("SELECT id FROM contacts WHERE uid = ?1")?
        .query_row(params![uid], |r| r.get(0))
        .optional()
}

pub(crate) fn insert(tx: &Db, ctx: &Ctx, parent_id: i64, fields: &ContactFields) -> Result<i64> {
    let (f, e164) = fields.validated(ctx.region)?;
    parents::load_open(tx, parent_id)?;
    let changes = diff(&ContactFields::default(), &f);
    let id = insert_checked(tx, ctx, parent_id, f, &e164)?;
    history::record(tx, ctx, "contact", id, "create", changes, None)?;
    touch_parent(tx, ctx, parent_id)?;
    Ok(id)
}

/// Writes a contact whose fields were validated (with `e164`, the preferred phone's) at a
/// parent known to be open. The caller records its creation in the history and touches the
/// parent: a batch does the latter once per parent.
pub(crate) fn insert_checked(
    tx: &Db,
    ctx: &Ctx,
    parent_id: i64,
    mut f: ContactFields,
    e164: &Option<String>,
) -> Result<i64> {
    match &f.uid {
        Some(uid) => {
            if let Some(other) = id_by_uid(tx, uid)? {
                return Err(FieldError::new(
                    "uid",
                    format!("{uid:?} is already the UID of contact #{other}"),
                )
                .into());
            }
        }
        None => f.uid = Some(new_uid()?),
    }
    let fixed: [Column; 3] = [
        ("parent_id", &parent_id),
        ("created_at", &ctx.now),
        ("updated_at", &ctx.now),
    ];
    let json = JsonColumns::of(&f);
    let id = columns::insert(
        tx,
        "contacts",
        &[&fixed[..], &editable(&f, e164, &json)].concat(),
    )?;
    write_lists(tx, ctx, id, &f, e164, true)?;
    Ok(id)
}

/// Saves edited fields of a contact at `version`; see [`Store::update_contact`].
pub(crate) fn update(
    tx: &Db,
    ctx: &Ctx,
    id: i64,
    version: i64,
    fields: &ContactFields,
) -> Result<i64> {
    let old = load(tx, id)?;
    let (mut f, e164) = fields.validated(ctx.region)?;
    // A contact always has a UID: one an edit leaves out stays as it was.
    if f.uid.is_none() {
        f.uid = old.fields.uid.clone();
    }
    if let Some(uid) = &f.uid {
        if let Some(other) = id_by_uid(tx, uid)?.filter(|&o| o != id) {
            return Err(FieldError::new(
                "uid",
                format!("{uid:?} is already the UID of contact #{other}"),
            )
            .into());
        }
    }
    let json = JsonColumns::of(&f);
    let updated: Column = ("updated_at", &ctx.now);
    let n = columns::update(
        tx,
        "contacts",
        id,
        version,
        &[&editable(&f, &e164, &json)[..], &[updated]].concat(),
    )?;
    if n == 0 {
        return Err(stale(tx, "contacts", "contact", id, version));
    }
    write_lists(tx, ctx, id, &f, &e164, false)?;
    touch_parent(tx, ctx, old.parent_id)?;
    if let Some(changes) = diff(&old.fields, &f) {
        history::record(tx, ctx, "contact", id, "update", Some(changes), None)?;
    }
    Ok(version + 1)
}

/// A parent's "last change" moves when its people change, so the parent list shows activity.
pub(crate) fn touch_parent(tx: &Db, ctx: &Ctx, parent_id: i64) -> Result<()> {
    tx.prepare_cached("UPDATE parents SET updated_at = ?1 WHERE id = ?2")?
        .execute(params![ctx.now, parent_id])?;
    Ok(())
}

fn find(conn: &Db, id: i64) -> Result<Option<Contact>> {
    Ok(conn
        .prepare_cached(&select("WHERE c.id = ?1"))?
        .query_row(params![id], contact_from_row)
        .optional()?
        .map(|c| with_lists(conn, vec![c]))
        .transpose()?
        .and_then(|mut v| v.pop()))
}

/// Reads a contact inside a transaction, for writes that depend on it: one that is not there
/// was deleted since the caller read it.
pub(crate) fn load(tx: &Db, id: i64) -> Result<Contact> {
    find(tx, id)?.ok_or_else(|| history::absent(tx, "contact", "contact", id))
}

/// Deletes contact `id` if it is still at `version`; its notes and emails stay on the parent.
pub(crate) fn delete(tx: &Db, ctx: &Ctx, id: i64, version: i64) -> Result<()> {
    let old = load(tx, id)?;
    if old.version != version {
        return Err(StoreError::Conflict {
            what: "contact",
            id,
            expected: version,
            current: old.version,
        });
    }
    // An email with others of the parent in it stays theirs; the person's place among its
    // participants goes with them.
    tx.execute(
        "UPDATE activities SET contact_id = (
             SELECT p.contact_id FROM activity_participants p
               JOIN contacts c ON c.id = p.contact_id
              WHERE p.activity_id = activities.id AND p.contact_id <> ?1
                AND c.parent_id = activities.parent_id
              ORDER BY p.position LIMIT 1)
          WHERE contact_id = ?1",
        params![id],
    )?;
    tx.execute("DELETE FROM contacts WHERE id = ?1", params![id])?;
    touch_parent(tx, ctx, old.parent_id)?;
    let snapshot = serde_json::to_value(&old.fields).ok();
    history::record(tx, ctx, "contact", id, "delete", snapshot, None)?;
    Ok(())
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
        let rows = stmt.query_map(params![parent_id], contact_from_row)?;
        with_lists(self.conn(), rows.collect::<Result<_>>()?)
    }

    /// The contacts with these ids, in the order given; ids of contacts no longer there are
    /// left out.
    pub fn contacts_by_ids(&self, ids: &[i64]) -> Result<Vec<Contact>> {
        let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        let mut stmt = self.conn().prepare_cached(&select(&format!(
            "WHERE c.id IN ({})",
            self.conn().dialect().ids_in_json_array()
        )))?;
        let rows = stmt.query_map(params![list], contact_from_row)?;
        let mut found: std::collections::HashMap<i64, Contact> =
            with_lists(self.conn(), rows.collect::<Result<_>>()?)?
                .into_iter()
                .map(|c| (c.id, c))
                .collect();
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// The contacts with `tag` (ignoring case), ordered by name.
    pub fn contacts_tagged(&self, tag: &str) -> Result<Vec<Contact>> {
        let mut stmt = self.conn().prepare_cached(&select(
            "WHERE c.id IN (SELECT contact_id FROM contact_tags WHERE tag = ?1 COLLATE NOCASE)
             ORDER BY c.full_name COLLATE NOCASE, c.id",
        ))?;
        let rows = stmt.query_map(params![tag.trim()], contact_from_row)?;
        with_lists(self.conn(), rows.collect::<Result<_>>()?)
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
        let rows = stmt.query_map(params![parent_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_>>()
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
            let rows = stmt.query_map(&values_of(chunk), contact_from_row)?;
            for row in rows {
                found.push(row?);
            }
        }
        with_lists(self.conn(), found)
    }

    /// Every distinct title exactly as written, with its count: what title search ranks.
    pub fn distinct_titles(&self) -> Result<Vec<TitleCount>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT title, count(*) FROM contacts WHERE title IS NOT NULL GROUP BY title",
        )?;
        let rows = stmt.query_map(params![], |r| {
            Ok(TitleCount {
                title: r.get(0)?,
                count: r.get(1)?,
            })
        })?;
        rows.collect::<Result<_>>()
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
        self.write(|tx, ctx| update(tx, ctx, id, version, fields))
    }

    /// A one-shot edit (the command line's): reads contact `id` and saves `change` of it in one
    /// transaction, so another process's write in between cannot make it a conflict.
    pub fn edit_contact(
        &mut self,
        id: i64,
        change: impl FnOnce(&Contact) -> ContactFields,
    ) -> Result<i64> {
        self.write(|tx, ctx| {
            let old = load(tx, id)?;
            update(tx, ctx, id, old.version, &change(&old))
        })
    }

    /// Deletes a contact, provided nobody saved it since `version` was read. Its notes and
    /// emails stay on the parent, detached from the person.
    pub fn delete_contact(&mut self, id: i64, version: i64) -> Result<()> {
        self.write(|tx, ctx| delete(tx, ctx, id, version))
    }
}
