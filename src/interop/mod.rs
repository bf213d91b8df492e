//! Formats kith reads and writes: JSON and CSV for scripts, vCard for address books, tables for
//! people, lines for mail clients. Formats only: what is read or written comes from the caller,
//! never from the store.

pub mod csv;
mod csv_headers;
pub mod json;
pub mod query;
pub mod table;
pub mod text;
pub mod vcard;
