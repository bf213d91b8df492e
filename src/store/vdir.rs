//! What `kith sync` remembers of a vdir folder: per card (folder, UID) what was last synced, the
//! cards changed on both sides that wait for the user's choice, and the last run.

use super::batch::Batch;
use super::contacts::touch_parent;
use super::db::{params, Db, Optional, Row};
use super::error::Result;
use super::{history, Store};
use crate::domain::ContactFields;
use serde::Serialize;

/// A card as last synced: the file it is in, a hash of the file's bytes then, and a hash of the
/// card kith writes for the contact then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncState {
    pub uid: String,
    pub file: String,
    pub hash: String,
    pub card_hash: String,
    /// The hash of a file kith set out to write: when the file has it, the write was done.
    pub pending: Option<String>,
    pub mtime: Option<i64>,
    pub contact_id: Option<i64>,
    pub contact_version: Option<i64>,
}

/// A card changed on both sides (or changed on one, deleted on the other) since the last sync:
/// kith's version is the contact, the file's is `theirs` (as it was when the conflict was found;
/// `None` when the file was deleted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncConflict {
    pub folder: String,
    pub uid: String,
    pub contact_id: Option<i64>,
    pub file: String,
    pub theirs: Option<String>,
    pub at: String,
}

/// The last `kith sync`: when, with which folder, and what it did (a JSON object of counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncRun {
    pub at: String,
    pub folder: String,
    pub counts: String,
}

fn state_from_row(r: &Row) -> Result<SyncState> {
    Ok(SyncState {
        uid: r.get(0)?,
        file: r.get(1)?,
        hash: r.get(2)?,
        card_hash: r.get(3)?,
        mtime: r.get(4)?,
        contact_id: r.get(5)?,
        contact_version: r.get(6)?,
        pending: r.get(7)?,
    })
}

fn conflict_from_row(r: &Row) -> Result<SyncConflict> {
    Ok(SyncConflict {
        folder: r.get(0)?,
        uid: r.get(1)?,
        contact_id: r.get(2)?,
        file: r.get(3)?,
        theirs: r.get(4)?,
        at: r.get(5)?,
    })
}

/// Forgets what was last synced of card `uid` with `folder`.
pub(super) fn forget(tx: &Db, folder: &str, uid: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM sync_state WHERE folder = ?1 AND uid = ?2")?
        .execute(params![folder, uid])?;
    Ok(())
}

impl Store {
    /// What was last synced with `folder`, card by card.
    pub fn sync_states(&self, folder: &str) -> Result<Vec<SyncState>> {
        let mut stmt = self.conn().prepare(
            "SELECT uid, file, hash, card_hash, mtime, contact_id, contact_version, pending
               FROM sync_state WHERE folder = ?1 ORDER BY uid",
        )?;
        let rows = stmt.query_map(params![folder], state_from_row)?;
        rows.collect::<Result<_>>()
    }

    /// The conflicts waiting for a choice, of one folder or of all, oldest first.
    pub fn sync_conflicts(&self, folder: Option<&str>) -> Result<Vec<SyncConflict>> {
        let mut stmt = self.conn().prepare(
            "SELECT folder, uid, contact_id, file, theirs, at FROM sync_conflicts
              WHERE ?1 IS NULL OR folder = ?1 ORDER BY at, uid",
        )?;
        let rows = stmt.query_map(params![folder], conflict_from_row)?;
        rows.collect::<Result<_>>()
    }

    pub fn last_sync_run(&self) -> Result<Option<SyncRun>> {
        self.conn()
            .query_row(
                "SELECT at, folder, counts FROM sync_runs WHERE id = 1",
                params![],
                |r| {
                    Ok(SyncRun {
                        at: r.get(0)?,
                        folder: r.get(1)?,
                        counts: r.get(2)?,
                    })
                },
            )
            .optional()
    }

    /// A contact's fields as the store would keep them (validated, with the configured phone
    /// region): what a card read from a file is compared with.
    pub fn normalized_contact(&self, fields: &ContactFields) -> Result<ContactFields> {
        Ok(fields.validated(self.region.as_deref())?.0)
    }
}

impl Batch<'_> {
    pub fn put_sync_state(&mut self, folder: &str, s: &SyncState) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO sync_state
                   (folder, uid, file, hash, card_hash, mtime, contact_id, contact_version,
                    pending)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (folder, uid) DO UPDATE SET
                   file = excluded.file, hash = excluded.hash, card_hash = excluded.card_hash,
                   mtime = excluded.mtime, contact_id = excluded.contact_id,
                   contact_version = excluded.contact_version, pending = excluded.pending",
            )?
            .execute(params![
                folder,
                s.uid,
                s.file,
                s.hash,
                s.card_hash,
                s.mtime,
                s.contact_id,
                s.contact_version,
                s.pending
            ])?;
        Ok(())
    }

    /// Notes, before kith writes `file` for card `uid`, the hash of what it writes: a run
    /// interrupted after the write knows the file for its own. Hashes add up, space-separated,
    /// until a sync records the card: a run killed before its write must not make the write of
    /// an earlier killed run look like someone else's. A card never synced gets a row
    /// with an empty `hash`.
    pub fn set_sync_pending(
        &mut self,
        folder: &str,
        uid: &str,
        file: &str,
        pending: &str,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO sync_state (folder, uid, file, hash, card_hash, pending)
                 VALUES (?1, ?2, ?3, '', '', ?4)
                 ON CONFLICT (folder, uid) DO UPDATE SET pending =
                     CASE WHEN sync_state.pending IS NULL OR sync_state.pending = ''
                          THEN excluded.pending
                          ELSE sync_state.pending || ' ' || excluded.pending END",
            )?
            .execute(params![folder, uid, file, pending])?;
        Ok(())
    }

    pub fn forget_sync_state(&mut self, folder: &str, uid: &str) -> Result<()> {
        forget(self.tx, folder, uid)
    }

    /// Records a conflict; one already recorded for the card keeps its first time.
    pub fn put_sync_conflict(&mut self, c: &SyncConflict) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO sync_conflicts (folder, uid, contact_id, file, theirs, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (folder, uid) DO UPDATE SET contact_id = excluded.contact_id,
                   file = excluded.file, theirs = excluded.theirs",
            )?
            .execute(params![
                c.folder,
                c.uid,
                c.contact_id,
                c.file,
                c.theirs,
                c.at
            ])?;
        Ok(())
    }

    pub fn clear_sync_conflict(&mut self, folder: &str, uid: &str) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM sync_conflicts WHERE folder = ?1 AND uid = ?2")?
            .execute(params![folder, uid])?;
        Ok(())
    }

    pub fn record_sync_run(&mut self, folder: &str, counts: &serde_json::Value) -> Result<()> {
        self.tx.execute(
            "INSERT INTO sync_runs (id, at, folder, counts) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET
               at = excluded.at, folder = excluded.folder, counts = excluded.counts",
            params![self.ctx.now, folder, counts.to_string()],
        )?;
        Ok(())
    }

    /// Moves a contact to another lead or customer (its card's ORG changed), its notes and
    /// emails with it (through the foreign key). Returns the new version.
    pub fn set_contact_parent(&mut self, id: i64, version: i64, parent_id: i64) -> Result<i64> {
        let old = self.contact(id)?;
        let new_parent = super::parents::load_open(self.tx, parent_id)?;
        let n = self.tx.execute(
            "UPDATE contacts SET parent_id = ?1, updated_at = ?2, version = version + 1
              WHERE id = ?3 AND version = ?4",
            params![parent_id, self.ctx.now, id, version],
        )?;
        if n == 0 {
            return Err(super::parents::stale(
                self.tx, "contacts", "contact", id, version,
            ));
        }
        touch_parent(self.tx, self.ctx, old.parent_id)?;
        touch_parent(self.tx, self.ctx, parent_id)?;
        let changes = serde_json::json!({ "company": [old.parent_name, new_parent.fields.name] });
        history::record(
            self.tx,
            self.ctx,
            "contact",
            id,
            "update",
            Some(changes),
            None,
        )?;
        super::search::refresh(self.tx, &[id])?;
        Ok(version + 1)
    }
}
