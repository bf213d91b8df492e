//! Everything SQL. The store knows nothing of terminals: it takes domain types, checks them with
//! the domain's rules, and keeps them in one SQLite file.

mod activities;
mod batch;
mod columns;
mod contacts;
mod convert;
mod error;
mod history;
mod likeness;
mod lookup;
mod mail_log;
mod maintenance;
mod merges;
mod open;
mod parents;
mod people;
pub mod schema;
mod search;
mod snapshot;
mod titles;
mod touch;
mod vdir;

pub use batch::{Batch, ContactKey};
pub use contacts::TitleCount;
pub use convert::Conversion;
pub use error::{Result, StoreError};
pub use history::HistoryEntry;
pub use likeness::{CompanyFacts, PersonFacts};
pub use lookup::{trigrams, Addressee};
pub use mail_log::LoggedEmail;
pub use maintenance::backup_scratch;
pub use merges::{ContactMergePreview, MergeKind, MergeRecord, ParentMergePreview, Versions};
pub use parents::{ParentRow, ParentSummary, ParentTexts};
pub use people::{ResearchApplied, ResearchFill};
pub use titles::TitleMember;
pub use touch::PersonTouch;
pub use vdir::{SyncConflict, SyncRun, SyncState};

use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How a store is opened; filled from the config.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    pub busy_timeout: Duration,
    /// ISO country code used to read phone numbers typed without a `+`.
    pub phone_region: Option<String>,
    /// Who is writing, for the history. Defaults to the OS user.
    pub actor: Option<String>,
    /// A new store is made for the group that owns its folder (`store.team`).
    pub team: bool,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            busy_timeout: Duration::from_secs(30),
            phone_region: None,
            actor: None,
            team: false,
        }
    }
}

/// An open kith store.
pub struct Store {
    conn: Connection,
    /// Opened for reading only: this user cannot write the file or its folder.
    read_only: bool,
    path: PathBuf,
    actor: String,
    region: Option<String>,
}

/// What every write knows: who writes and when.
pub(crate) struct Ctx<'a> {
    pub actor: &'a str,
    pub now: String,
    pub region: Option<&'a str>,
}

pub(crate) fn now() -> String {
    crate::clock::stamp()
}

/// The OS user running kith, recorded as the author of changes.
pub fn os_user() -> String {
    for var in ["USER", "LOGNAME"] {
        if let Ok(u) = std::env::var(var) {
            if !u.is_empty() {
                return crate::domain::validate::sanitize(&u, false);
            }
        }
    }
    // SAFETY: getpwuid returns a pointer into static storage or null; we copy out at once.
    unsafe {
        let pw = libc::getpwuid(libc::getuid());
        if !pw.is_null() && !(*pw).pw_name.is_null() {
            let name = std::ffi::CStr::from_ptr((*pw).pw_name).to_string_lossy();
            return name.into_owned();
        }
        format!("uid {}", libc::getuid())
    }
}

impl Store {
    pub fn open(path: &Path, options: &StoreOptions) -> Result<Store> {
        let (conn, read_only) = open::open_any(path, options.busy_timeout, options.team)?;
        Ok(Store {
            conn,
            read_only,
            path: path.to_path_buf(),
            actor: options.actor.clone().unwrap_or_else(os_user),
            region: options.phone_region.clone().filter(|r| !r.is_empty()),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when the store was opened for reading only (see [`StoreError::ReadOnly`]).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so a
    /// read-then-write never fails half-way with SQLITE_BUSY; waiting for it is bounded by the
    /// busy timeout. Nothing of `f` is kept unless it returns Ok.
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&Transaction, &Ctx) -> Result<T>,
    ) -> Result<T> {
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            });
        }
        let ctx = Ctx {
            actor: &self.actor,
            now: now(),
            region: self.region.as_deref(),
        };
        let path = &self.path;
        // A full disk names the store it could not grow: the error itself cannot.
        let located = |e: StoreError| match e {
            StoreError::DiskFull => StoreError::DiskFullAt { path: path.clone() },
            e => e,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| located(e.into()))?;
        let out = f(&tx, &ctx).map_err(located)?;
        tx.commit().map_err(|e| located(e.into()))?;
        Ok(out)
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Changes whenever another connection commits: the TUI polls it to know when to reload.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// True when the store holds no lead, customer or contact.
    pub fn is_empty(&self) -> Result<bool> {
        let n: i64 = self.conn.query_row(
            "SELECT (SELECT count(*) FROM parents) + (SELECT count(*) FROM contacts)",
            [],
            |r| r.get(0),
        )?;
        Ok(n == 0)
    }
}
