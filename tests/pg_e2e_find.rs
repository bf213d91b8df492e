//! The end-to-end tests of `tests/e2e_find.rs`, each against a fresh PostgreSQL database: one
//! test body, two stores (see `common/backend.rs`).

#[path = "e2e_find.rs"]
mod e2e_find;
