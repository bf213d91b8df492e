//! Many writes in one transaction: for the demo data and imports, where a transaction per row
//! would spend its time in fsync.

use super::db::{params, Db};
use super::error::{Result, StoreError};
use super::{activities, contacts, history, parents, search, Ctx, Store};
use crate::domain::{ContactFields, NewActivity, ParentFields, ParentKind};
use std::collections::HashSet;

/// What an import needs to know of a stored contact to tell whether a row is the same person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactKey {
    pub id: i64,
    pub parent_id: i64,
    pub full_name: String,
    pub uid: Option<String>,
}

/// Writes inside one open transaction; see [`Store::batch`].
pub struct Batch<'a> {
    pub(super) tx: &'a Db,
    pub(super) ctx: &'a Ctx<'a>,
    /// The contacts written, whose search index entries are refreshed once at the end.
    touched: Vec<i64>,
    /// Parents found open for new contacts: checked once, touched once at the end.
    open_parents: HashSet<i64>,
}

/// A contact's fields as validated for this batch's store, with its preferred phone's E.164
/// form: validated once, however many times an import looks at it before writing it.
#[derive(Debug, Clone)]
pub struct CheckedContact {
    fields: ContactFields,
    e164: Option<String>,
}

impl CheckedContact {
    pub fn fields(&self) -> &ContactFields {
        &self.fields
    }
}

fn checked(fields: &ContactFields, region: Option<&str>) -> Result<CheckedContact> {
    let (fields, e164) = fields.validated(region)?;
    Ok(CheckedContact { fields, e164 })
}

impl Batch<'_> {
    pub fn add_parent(&mut self, kind: ParentKind, fields: &ParentFields) -> Result<i64> {
        parents::insert(self.tx, self.ctx, kind, fields)
    }

    pub fn add_contact(&mut self, parent_id: i64, fields: &ContactFields) -> Result<i64> {
        let checked = self.check_contact(fields)?;
        self.add_checked_contact(parent_id, checked)
    }

    /// Validates a contact's fields as [`Batch::add_checked_contact`] needs them.
    pub fn check_contact(&self, fields: &ContactFields) -> Result<CheckedContact> {
        checked(fields, self.ctx.region)
    }

    /// [`Batch::check_contact`] of each of `rows`, in order, on every core: parsing phone
    /// numbers is the dearest part of a row an import does not spend in SQLite.
    pub fn check_contacts(&self, rows: &[&ContactFields]) -> Vec<Result<CheckedContact>> {
        let region = self.ctx.region;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let per_thread = rows.len().div_ceil(cores).max(256);
        std::thread::scope(|scope| {
            let workers: Vec<_> = rows
                .chunks(per_thread)
                .map(|chunk| {
                    scope
                        .spawn(move || chunk.iter().map(|f| checked(f, region)).collect::<Vec<_>>())
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        })
    }

    pub fn add_checked_contact(&mut self, parent_id: i64, contact: CheckedContact) -> Result<i64> {
        if !self.open_parents.contains(&parent_id) {
            parents::load_open(self.tx, parent_id)?;
            self.open_parents.insert(parent_id);
        }
        let id =
            contacts::insert_checked(self.tx, self.ctx, parent_id, contact.fields, &contact.e164)?;
        // The fields a contact was created with are not repeated in its history: they are the
        // contact's own until an edit, whose entry keeps the values it replaced.
        history::record(self.tx, self.ctx, "contact", id, "create", None, None)?;
        self.touched.push(id);
        Ok(id)
    }

    pub fn add_activity(&mut self, parent_id: i64, activity: &NewActivity) -> Result<i64> {
        activities::insert(self.tx, self.ctx, parent_id, activity)
    }

    /// Every lead and customer as (id, name, converted), for matching imported rows to parents.
    pub fn parent_names(&self) -> Result<Vec<(i64, String, bool)>> {
        let mut stmt = self
            .tx
            .prepare("SELECT id, name, converted_to IS NOT NULL FROM parents ORDER BY id")?;
        let rows = stmt.query_map(params![], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<Result<_>>()
    }

    /// Every contact as (id, parent id, full name, UID), for spotting duplicates.
    pub fn contact_keys(&self) -> Result<Vec<ContactKey>> {
        let mut stmt = self
            .tx
            .prepare("SELECT id, parent_id, full_name, uid FROM contacts")?;
        let rows = stmt.query_map(params![], |r| {
            Ok(ContactKey {
                id: r.get(0)?,
                parent_id: r.get(1)?,
                full_name: r.get(2)?,
                uid: r.get(3)?,
            })
        })?;
        rows.collect::<Result<_>>()
    }

    /// Every email address in the store, each with its contact's id.
    pub fn email_keys(&self) -> Result<Vec<(i64, String)>> {
        let mut stmt = self
            .tx
            .prepare("SELECT contact_id, address FROM contact_emails")?;
        let rows = stmt.query_map(params![], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_>>()
    }

    pub fn contact(&self, id: i64) -> Result<crate::domain::Contact> {
        contacts::load(self.tx, id)
    }

    /// Saves new fields of a contact read in this batch (its version is the one read).
    pub fn update_contact(&mut self, id: i64, version: i64, fields: &ContactFields) -> Result<i64> {
        self.touched.push(id);
        contacts::update(self.tx, self.ctx, id, version, fields)
    }

    /// Runs `f` as a savepoint: if it fails, what it wrote is undone and the batch goes on. For
    /// imports that keep the good rows of a file with some bad ones.
    pub fn savepoint<T>(&mut self, f: impl FnOnce(&mut Batch) -> Result<T>) -> Result<T> {
        self.tx.execute_batch("SAVEPOINT row")?;
        match f(self) {
            Ok(v) => {
                self.tx.execute_batch("RELEASE row")?;
                Ok(v)
            }
            Err(e) => {
                // After a full disk or an I/O error SQLite may have rolled the whole transaction
                // back, savepoint included: the error to report is the one that did it, not
                // the savepoint's absence.
                if let Err(undo) = self.tx.execute_batch("ROLLBACK TO row; RELEASE row") {
                    return Err(match e {
                        StoreError::Invalid(_) => undo,
                        e => e,
                    });
                }
                Err(e)
            }
        }
    }
}

impl Store {
    /// Runs `f` with a [`Batch`] in one `BEGIN IMMEDIATE` transaction: all of it is kept, or
    /// none of it.
    pub fn batch<T>(&mut self, f: impl FnOnce(&mut Batch) -> Result<T>) -> Result<T> {
        self.write(|tx, ctx| {
            tx.execute("UPDATE search_control SET bulk = 1", params![])?;
            let mut batch = Batch {
                tx,
                ctx,
                touched: Vec::new(),
                open_parents: HashSet::new(),
            };
            let out = f(&mut batch)?;
            for &id in &batch.open_parents {
                contacts::touch_parent(tx, ctx, id)?;
            }
            search::refresh(tx, &batch.touched)?;
            tx.execute("UPDATE search_control SET bulk = 0", params![])?;
            Ok(out)
        })
    }
}
