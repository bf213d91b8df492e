//! kith: a keyboard-driven CRM for the terminal.
//!
//! The store holds the truth, the domain checks it, and the command line and the TUI are two
//! faces over the same calls.

pub mod domain;
pub mod store;
