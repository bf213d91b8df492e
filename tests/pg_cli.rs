//! The command-line tests of `tests/cli.rs`, each run against a fresh PostgreSQL database:
//! one test body, two stores (see `common::backend`).

#[path = "cli.rs"]
mod cli;
