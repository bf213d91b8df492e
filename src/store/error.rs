//! What can go wrong in the store, each worded for the person who will read it.

use crate::domain::FieldError;
use std::path::PathBuf;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{}: not a kith store ({why}); it was left unchanged", path.display())]
    Foreign { path: PathBuf, why: String },
    #[error(
        "{}: written by a newer kith (schema version {found}; this build knows up to {supported}); it was left unchanged",
        path.display()
    )]
    Newer {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "{what} #{id} was changed by someone else since you opened it (you had version {expected}, it is now {current}); reload it and apply your change again"
    )]
    Conflict {
        what: &'static str,
        id: i64,
        expected: i64,
        current: i64,
    },
    #[error("{what} #{id} no longer exists (someone deleted it)")]
    Gone { what: &'static str, id: i64 },
    #[error("{what} #{id} was merged into #{into} (merge {merge}; `kith undo-merge {merge}` brings it back)")]
    MergedAway {
        what: &'static str,
        id: i64,
        into: i64,
        merge: i64,
    },
    #[error("there is no {what} #{id}")]
    Missing { what: &'static str, id: i64 },
    #[error("no {what} matches {reference:?}")]
    NotFound {
        what: &'static str,
        reference: String,
    },
    #[error("{reference:?} is ambiguous; it names {candidates}: use an id")]
    Ambiguous {
        reference: String,
        candidates: String,
    },
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error("{0}")]
    Rule(String),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the store is busy: another process kept it locked longer than kith waits (store.busy_timeout_ms); try again"
    )]
    Busy,
    #[error(
        "{}: read-only for you (you cannot write the file or its folder); nothing was changed",
        path.display()
    )]
    ReadOnly { path: PathBuf },
    #[error("the disk is full; nothing of this change was written")]
    DiskFull,
    #[error(
        "{}: the disk it is on is full; nothing of this change was written",
        path.display()
    )]
    DiskFullAt { path: PathBuf },
    #[error("database: {0}")]
    Sqlite(rusqlite::Error),
    #[error("database: {0}")]
    Postgres(String),
    #[error("{0}")]
    Connect(String),
    #[error("lost the connection to {location} ({why}); kith connects again on the next action")]
    Lost { location: String, why: String },
    #[error("the store holds a value kith cannot read (column {column}: {why})")]
    BadValue { column: usize, why: String },
    /// A query that must find a row found none; callers turn it into `None` or a `Missing`.
    #[error("no row")]
    NoRow,
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::{DatabaseBusy, DatabaseLocked, DiskFull};
        match e.sqlite_error_code() {
            Some(DatabaseBusy | DatabaseLocked) => StoreError::Busy,
            Some(DiskFull) => StoreError::DiskFull,
            _ if matches!(e, rusqlite::Error::QueryReturnedNoRows) => StoreError::NoRow,
            _ => StoreError::Sqlite(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
