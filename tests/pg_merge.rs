//! The tests of `tests/merge.rs`, each against a fresh PostgreSQL database: one test body, two
//! stores (see `common/backend.rs`).

#[path = "merge.rs"]
mod merge;
