//! The store tests of `tests/store.rs`, each against a fresh PostgreSQL database: one test
//! body, two stores (see `common/backend.rs`).

#[path = "store.rs"]
mod store;
