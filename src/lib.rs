//! kith: a keyboard-driven CRM for the terminal.
//!
//! The store holds the truth, the domain checks it, and the command line and the TUI are two
//! faces over the same calls.

pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod display;
pub mod domain;
pub mod interop;
pub mod mail;
pub mod research;
pub mod search;
pub mod store;
pub mod tui;
