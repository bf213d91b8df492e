//! The end-to-end tests of `tests/e2e.rs`, each against a fresh PostgreSQL database: one
//! test body, two stores (see `common/backend.rs`).

#[path = "e2e.rs"]
mod e2e;
