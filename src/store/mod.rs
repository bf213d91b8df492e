//! Everything SQL. The store knows nothing of terminals: it takes domain types, checks them with
//! the domain's rules, and keeps them in one SQLite file.

mod activities;
mod batch;
mod columns;
mod contacts;
mod convert;
mod copy;
pub(crate) mod db;
mod email_fold;
mod error;
mod find;
mod history;
mod kept;
mod likeness;
mod lookup;
mod mail_log;
mod maintenance;
mod merges;
mod open;
mod parents;
mod people;
mod people_list;
pub mod pgconnect;
pub mod schema;
mod search;
mod snapshot;
mod titles;
mod touch;
mod vdir;

pub use batch::{Batch, ContactKey};
pub use contacts::TitleCount;
pub use convert::Conversion;
pub use copy::Counts;
pub use error::{Result, StoreError};
pub use find::{ActivityHit, ParentHit};
pub use history::HistoryEntry;
pub use kept::Change;
pub use likeness::{CompanyFacts, PersonFacts};
pub use lookup::{trigrams, Addressee};
pub use mail_log::LoggedEmail;
pub use maintenance::backup_scratch;
pub use merges::{ContactMergePreview, MergeKind, MergeRecord, ParentMergePreview, Versions};
pub use parents::{ParentRow, ParentSummary, ParentTexts};
pub use people::{MoveTo, Reach};
pub use people::{ResearchApplied, ResearchFill};
pub use people_list::{PersonRow, PersonTexts};
pub use titles::TitleMember;
pub use touch::PersonTouch;
pub use vdir::{SyncConflict, SyncRun, SyncState};

use db::{params, Db};
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
    /// Run for the password of a PostgreSQL store when neither its URL nor `PGPASSWORD` has one.
    pub password_command: Option<String>,
    /// What a PostgreSQL server allows each of kith's sessions.
    pub server_limits: pgconnect::ServerLimits,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            busy_timeout: Duration::from_secs(30),
            phone_region: None,
            actor: None,
            team: false,
            password_command: None,
            server_limits: pgconnect::ServerLimits::default(),
        }
    }
}

/// An open kith store: an SQLite file, or a PostgreSQL database (see [`is_url`]).
pub struct Store {
    db: Db,
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

/// True when `--db` (or `KITH_DB`, or `store.url`) names a PostgreSQL database, not a file.
pub fn is_url(db: &Path) -> bool {
    let s = db.to_string_lossy();
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

impl Store {
    /// Opens the store `db` names: a PostgreSQL URL, else an SQLite file.
    pub fn open(db: &Path, options: &StoreOptions) -> Result<Store> {
        let region = options.phone_region.clone().filter(|r| !r.is_empty());
        if is_url(db) {
            let reach = db::postgres::Reach {
                url: db.to_string_lossy().into_owned(),
                options: pgconnect::ConnectOptions {
                    password_command: options.password_command.clone(),
                    connect_timeout: Duration::ZERO,
                },
                limits: options.server_limits,
            };
            return Store::open_postgres(
                reach,
                options.busy_timeout,
                options.actor.clone(),
                region,
            );
        }
        let (conn, read_only) = open::open_any(db, options.busy_timeout, options.team)?;
        Ok(Store {
            db: Db::Sqlite(conn),
            read_only,
            path: db.to_path_buf(),
            actor: options.actor.clone().unwrap_or_else(os_user),
            region,
        })
    }

    fn open_postgres(
        reach: db::postgres::Reach,
        wait: Duration,
        actor: Option<String>,
        region: Option<String>,
    ) -> Result<Store> {
        let pg = db::postgres::Pg::connect(reach, wait)?;
        let location = pg.location();
        let actor = actor.unwrap_or_else(|| crate::domain::validate::sanitize(pg.user(), false));
        let db = Db::Postgres(Box::new(pg));
        schema::postgres::migrate(&db, &location)?;
        Ok(Store {
            actor,
            path: PathBuf::from(location),
            db,
            read_only: false,
            region,
        })
    }

    /// Another connection to this store, for a worker thread.
    pub fn another_connection(&self) -> Result<Store> {
        match &self.db {
            Db::Sqlite(conn) => self.another_sqlite_connection(conn),
            Db::Postgres(pg) => Store::open_postgres(
                pg.reach().clone(),
                pg.lock_wait(),
                Some(self.actor.clone()),
                self.region.clone(),
            ),
        }
    }

    /// The SQLite file, or the PostgreSQL URL without its password: where the store is, for
    /// messages.
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
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Db, &Ctx) -> Result<T>) -> Result<T> {
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
        /// Rolls back unless committed, also when `f` panics.
        struct Open<'a>(&'a Db, bool);
        impl Drop for Open<'_> {
            fn drop(&mut self) {
                if !self.1 {
                    self.0.rollback();
                }
            }
        }
        self.db.begin_write().map_err(located)?;
        let mut open = Open(&self.db, false);
        let out = f(&self.db, &ctx).map_err(located)?;
        self.db.commit().map_err(located)?;
        open.1 = true;
        Ok(out)
    }

    pub(crate) fn conn(&self) -> &Db {
        &self.db
    }

    /// Changes whenever another connection commits: the TUI polls it to know when to reload.
    pub fn data_version(&self) -> Result<i64> {
        match &self.db {
            Db::Sqlite(c) => Ok(c.query_row("PRAGMA data_version", [], |r| r.get(0))?),
            Db::Postgres(pg) => pg.data_version(),
        }
    }

    /// True when the store holds no lead, customer or contact.
    pub fn is_empty(&self) -> Result<bool> {
        let n: i64 = self.db.query_row(
            "SELECT (SELECT count(*) FROM parents) + (SELECT count(*) FROM contacts)",
            params![],
            |r| r.get(0),
        )?;
        Ok(n == 0)
    }
}
