//! The tests of `tests/sync.rs`, each against a fresh PostgreSQL database: one test body, two
//! stores (see `common/backend.rs`).

#[path = "sync.rs"]
mod sync;
