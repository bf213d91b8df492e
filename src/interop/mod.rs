//! Formats kith reads and writes: JSON and CSV for scripts, tables for people.

pub mod csv;
pub mod import;
pub mod json;
pub mod query;
pub mod table;
pub mod vcard;
