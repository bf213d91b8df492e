//! The concurrency tests of `tests/concurrency.rs`, each against a fresh PostgreSQL database:
//! one test body, two stores (see `common::backend`).

#[path = "concurrency.rs"]
mod concurrency;
