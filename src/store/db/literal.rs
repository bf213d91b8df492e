//! Statements for PostgreSQL with their parameters written in as literals.
//!
//! The store's SQL marks parameters SQLite's way (`?1`, `?`). PostgreSQL's typed parameters
//! would need a cast wherever a parameter's type cannot be inferred (`?1 IS NULL`,
//! `coalesce(?1, ...)`), all through SQL shared with SQLite; a quoted literal takes its type
//! from where it stands, as SQLite's values do. The quoting is the standard one
//! (`standard_conforming_strings`, which the connection sets), so a value can never end its
//! literal early.

use super::value::Value;

/// `sql` with each `?N` / `?` outside quotes and comments replaced by its value.
pub(crate) fn bind(sql: &str, params: &[Value]) -> Result<String, String> {
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 16 * params.len());
    let mut next = 0usize;
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'\'' | b'"') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += 1;
                }
                i += 1;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'?' => {
                out.push_str(&sql[copied..i]);
                let start = i + 1;
                let mut end = start;
                while end < bytes.len() && bytes[end].is_ascii_digit() {
                    end += 1;
                }
                let index = if end > start {
                    let n: usize = sql[start..end].parse().map_err(|_| "bad parameter")?;
                    n.checked_sub(1).ok_or("parameter ?0")?
                } else {
                    next
                };
                next = index + 1;
                let value = params.get(index).ok_or_else(|| {
                    format!("parameter {} of {} is missing", index + 1, params.len())
                })?;
                literal(value, &mut out)?;
                i = end;
                copied = end;
            }
            _ => i += 1,
        }
    }
    out.push_str(&sql[copied..]);
    Ok(out)
}

fn literal(value: &Value, out: &mut String) -> Result<(), String> {
    use std::fmt::Write;
    match value {
        Value::Null => out.push_str("NULL"),
        // In parentheses: `x - -1` would start a comment.
        Value::Int(i) if *i < 0 => write!(out, "({i})").unwrap(),
        Value::Int(i) => write!(out, "{i}").unwrap(),
        Value::Real(f) if f.is_finite() => {
            write!(out, "CAST('{f:?}' AS double precision)").unwrap()
        }
        Value::Real(f) => return Err(format!("{f} cannot be stored")),
        Value::Text(s) => {
            if s.contains('\0') {
                return Err("a text holds a NUL character, which PostgreSQL cannot store".into());
            }
            out.reserve(s.len() + 2);
            out.push('\'');
            for c in s.chars() {
                if c == '\'' {
                    out.push('\'');
                }
                out.push(c);
            }
            out.push('\'');
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_and_plain_marks_take_their_values_outside_quotes() {
        let sql = "SELECT '?' , ?2, ? -- ?\n, \"a?\", ?1";
        let got = bind(sql, &[Value::Text("it's"), Value::Int(-3), Value::Null]).unwrap();
        assert_eq!(got, "SELECT '?' , (-3), NULL -- ?\n, \"a?\", 'it''s'");
    }

    #[test]
    fn a_missing_parameter_or_a_nul_is_an_error_not_a_statement() {
        assert!(bind("SELECT ?2", &[Value::Int(1)]).is_err());
        assert!(bind("SELECT ?", &[Value::Text("a\0b")]).is_err());
    }

    #[test]
    fn quotes_in_values_never_end_the_literal() {
        let got = bind("SELECT ?", &[Value::Text("'); DROP TABLE x; --")]).unwrap();
        assert_eq!(got, "SELECT '''); DROP TABLE x; --'");
    }
}
