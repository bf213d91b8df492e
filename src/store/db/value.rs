//! Values going in and out of either database, so that the store's code is written once.
//!
//! SQLite hands back typed cells; PostgreSQL's simple query protocol (see `postgres.rs`) hands
//! back text. [`FromCell`] reads a Rust value from either.

use super::super::error::{Result, StoreError};

/// A value bound to a statement.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
}

/// What can be bound to a statement. The store binds integers, text, booleans and options of
/// them; nothing it keeps is a blob or a float it must read back exactly.
pub(crate) trait ToValue {
    fn to_value(&self) -> Value<'_>;
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value<'_> {
                Value::Int(*self as i64)
            }
        }
    )*};
}
int_value!(i64, i32, u32, u16, u8, usize, u64);

impl ToValue for bool {
    fn to_value(&self) -> Value<'_> {
        Value::Int(*self as i64)
    }
}

impl ToValue for f64 {
    fn to_value(&self) -> Value<'_> {
        Value::Real(*self)
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value<'_> {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value<'_> {
        match self {
            Some(v) => v.to_value(),
            None => Value::Null,
        }
    }
}

impl ToValue for Value<'_> {
    fn to_value(&self) -> Value<'_> {
        *self
    }
}

/// A value read out of a row and kept: what a copy of a whole store carries from one database
/// to the other.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Owned {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl ToValue for Owned {
    fn to_value(&self) -> Value<'_> {
        match self {
            Owned::Null => Value::Null,
            Owned::Int(i) => Value::Int(*i),
            Owned::Real(f) => Value::Real(*f),
            Owned::Text(s) => Value::Text(s),
        }
    }
}

/// One cell of a result row, as each database gives it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cell<'a> {
    Null,
    Int(i64),
    Real(f64),
    /// SQLite's text, or any non-null value from PostgreSQL (always text there).
    Text(&'a str),
    /// SQLite's blob: kith writes none, but a file from elsewhere may hold one.
    Blob(&'a [u8]),
}

/// What a cell is read as.
pub(crate) trait FromCell: Sized {
    fn from_cell(cell: Cell<'_>) -> std::result::Result<Self, String>;
}

fn parsed<T: std::str::FromStr>(s: &str, what: &str) -> std::result::Result<T, String> {
    s.trim().parse().map_err(|_| format!("{s:?} is not {what}"))
}

macro_rules! int_cell {
    ($($t:ty),*) => {$(
        impl FromCell for $t {
            fn from_cell(cell: Cell<'_>) -> std::result::Result<Self, String> {
                match cell {
                    Cell::Int(i) => <$t>::try_from(i).map_err(|_| format!("{i} is out of range")),
                    Cell::Text(s) => parsed(s, "a whole number"),
                    Cell::Null => Err("it is empty (NULL)".into()),
                    Cell::Real(f) => Err(format!("{f} is not a whole number")),
                    Cell::Blob(_) => Err("it holds bytes, not a number".into()),
                }
            }
        }
    )*};
}
int_cell!(i64, i32, u32, usize, u64);

impl FromCell for bool {
    fn from_cell(cell: Cell<'_>) -> std::result::Result<Self, String> {
        match cell {
            Cell::Int(i) => Ok(i != 0),
            // PostgreSQL writes its booleans as t and f, and kith's 0/1 integers as digits.
            Cell::Text("t" | "true" | "1") => Ok(true),
            Cell::Text("f" | "false" | "0") => Ok(false),
            other => Err(format!("{other:?} is not a truth value")),
        }
    }
}

impl FromCell for f64 {
    fn from_cell(cell: Cell<'_>) -> std::result::Result<Self, String> {
        match cell {
            Cell::Int(i) => Ok(i as f64),
            Cell::Real(f) => Ok(f),
            Cell::Text(s) => parsed(s, "a number"),
            other => Err(format!("{other:?} is not a number")),
        }
    }
}

impl FromCell for String {
    fn from_cell(cell: Cell<'_>) -> std::result::Result<Self, String> {
        match cell {
            Cell::Text(s) => Ok(s.to_string()),
            Cell::Int(i) => Ok(i.to_string()),
            Cell::Real(f) => Ok(f.to_string()),
            Cell::Null => Err("it is empty (NULL)".into()),
            Cell::Blob(b) => String::from_utf8(b.to_vec()).map_err(|_| "it is not text".into()),
        }
    }
}

impl<T: FromCell> FromCell for Option<T> {
    fn from_cell(cell: Cell<'_>) -> std::result::Result<Self, String> {
        match cell {
            Cell::Null => Ok(None),
            other => T::from_cell(other).map(Some),
        }
    }
}

impl FromCell for Owned {
    fn from_cell(cell: Cell<'_>) -> std::result::Result<Self, String> {
        Ok(match cell {
            Cell::Null => Owned::Null,
            Cell::Int(i) => Owned::Int(i),
            Cell::Real(f) => Owned::Real(f),
            Cell::Text(s) => Owned::Text(s.to_string()),
            Cell::Blob(b) => Owned::Text(String::from_utf8_lossy(b).into_owned()),
        })
    }
}

/// A cell that could not be read as what the store expects: the store itself is damaged or was
/// written by something else.
pub(crate) fn bad_cell(column: usize, why: String) -> StoreError {
    StoreError::BadValue { column, why }
}

pub(crate) fn read<T: FromCell>(cell: Cell<'_>, column: usize) -> Result<T> {
    T::from_cell(cell).map_err(|why| bad_cell(column, why))
}
