//! The tests of `tests/log.rs`, each against a fresh PostgreSQL database: one test body, two
//! stores (see `common/backend.rs`).

#[path = "log.rs"]
mod log;
