//! The tests of `tests/person.rs`, each against a fresh PostgreSQL database: one test body, two
//! stores (see `common/backend.rs`).

#[path = "person.rs"]
mod person;
