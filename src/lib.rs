//! kith: a keyboard-driven CRM for the terminal.
//!
//! The store holds the truth, the domain checks it, `ops` is what a user can do, and the command
//! line and the TUI are two faces over the same operations.

pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod demo;
pub mod display;
pub mod domain;
pub mod files;
pub mod inbox;
pub mod interop;
pub mod mail;
pub mod ops;
pub mod research;
pub mod search;
pub mod store;
pub mod tui;
