//! The tests of `tests/find.rs`, each against a fresh PostgreSQL database: one test body, two
//! stores (see `common/backend.rs`).

#[path = "find.rs"]
mod find;
