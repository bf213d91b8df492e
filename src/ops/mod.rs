//! What a user can do, as plain functions over the store: one file per capability, called by
//! both faces (the command line and the TUI), so neither imports the other. No clap, no ratatui.

pub mod convert;
pub mod due;
pub mod dupes;
pub mod email;
pub mod filter;
pub mod find;
pub mod import;
pub mod log;
pub mod lookup;
pub mod merge;
pub mod people;
pub mod person;
pub mod research;
pub mod sync;
pub mod titles;
pub mod today;
pub mod undo;
pub mod views;

/// What the tests of every capability start from.
#[cfg(test)]
pub(crate) mod testing {
    use crate::domain::{ParentFields, ParentKind};
    use crate::store::{Store, StoreOptions};

    /// A new store in a temporary folder, which lives as long as the `TempDir`.
    pub fn temp_store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temporary folder");
        let store =
            Store::open(&dir.path().join("kith.db"), &StoreOptions::default()).expect("store");
        (dir, store)
    }

    pub fn parent(store: &mut Store, kind: ParentKind, name: &str) -> i64 {
        let fields = ParentFields {
            name: name.to_string(),
            ..Default::default()
        };
        store.add_parent(kind, &fields).expect("parent")
    }
}
