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
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
