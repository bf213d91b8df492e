//! Names of tables and columns where a statement must be built from a list: quoted, and asked
//! of the database as values, so that no name read from data is ever read as SQL.

use super::{params, Db, Dialect};
use crate::store::error::Result;

/// `name` as an SQL identifier both databases read as that name and nothing more: in double
/// quotes, with its own double quotes doubled.
pub(crate) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `names` quoted and joined by commas, for a column list.
pub(crate) fn quoted_list<S: AsRef<str>>(names: &[S]) -> String {
    names
        .iter()
        .map(|n| quoted(n.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Db {
    /// The columns of `table` in this database, in their order; empty when there is no such
    /// table. The table's name goes in as a value.
    pub(crate) fn columns(&self, table: &str) -> Result<Vec<String>> {
        let sql = match self.dialect() {
            Dialect::Sqlite => "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
            Dialect::Postgres => {
                "SELECT a.attname::text FROM pg_attribute a
                   JOIN pg_class c ON c.oid = a.attrelid
                  WHERE c.relname = ?1 AND c.relnamespace = current_schema()::regnamespace
                    AND a.attnum > 0 AND NOT a.attisdropped
                  ORDER BY a.attnum"
            }
        };
        self.query_map(sql, params![table], |r| r.get(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_in_a_name_is_doubled_so_the_name_never_ends_early() {
        assert_eq!(quoted("at"), "\"at\"");
        assert_eq!(
            quoted("at\") VALUES (1); DROP TABLE x; --"),
            "\"at\"\") VALUES (1); DROP TABLE x; --\""
        );
        assert_eq!(quoted_list(&["a", "b\"c"]), "\"a\", \"b\"\"c\"");
    }

    #[test]
    fn columns_are_read_with_the_table_named_as_a_value() {
        let db = Db::Sqlite(rusqlite::Connection::open_in_memory().unwrap());
        db.execute_batch("CREATE TABLE \"t'x\" (a INTEGER, \"b c\" TEXT)")
            .unwrap();
        assert_eq!(db.columns("t'x").unwrap(), ["a", "b c"]);
        assert!(db.columns("no_such_table").unwrap().is_empty());
    }
}
