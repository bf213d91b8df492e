//! Formats kith reads and writes: JSON and CSV for scripts, tables for people.

pub mod csv;
pub mod json;
pub mod table;
