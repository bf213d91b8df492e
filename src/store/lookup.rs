//! Address lookups read from the trigram index alone: its `card` column holds what a mail
//! client's lookup shows of a person, so a query reads one index row per candidate and no
//! contact, parent or address row.

use super::db::{params, values_of, Dialect, Row};
use super::error::{Result, StoreError};
use super::Store;
use crate::domain::Labeled;
use std::collections::HashMap;

/// A person as an address lookup ranks and shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressee {
    pub id: i64,
    pub full_name: String,
    pub nickname: Option<String>,
    pub title: Option<String>,
    pub parent_name: String,
    /// The preferred address.
    pub email: Option<String>,
    /// Every address, in the person's order.
    pub emails: Vec<Labeled>,
}

/// `card` as the index's view writes it: `[full name, nickname, title, company, email,
/// [[position, address, label, preferred], ...]]`.
type Card = (
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Vec<(i64, String, Option<String>, i64)>,
);

fn addressee(id: i64, card: &str) -> Result<Addressee> {
    let (full_name, nickname, title, parent_name, email, mut emails): Card =
        serde_json::from_str(card).map_err(|e| {
            StoreError::Rule(format!("the search index's entry of contact #{id}: {e}"))
        })?;
    emails.sort_by_key(|e| e.0);
    Ok(Addressee {
        id,
        full_name,
        nickname,
        title,
        parent_name,
        email,
        emails: emails
            .into_iter()
            .map(|(_, value, label, preferred)| Labeled {
                value,
                label,
                preferred: preferred != 0,
            })
            .collect(),
    })
}

fn from_row(r: &Row) -> Result<(i64, String)> {
    Ok((r.get(0)?, r.get(1)?))
}

/// The three-character pieces of a word, as the trigram tokenizer cuts it.
pub fn trigrams(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    chars.windows(3).map(|w| w.iter().collect()).collect()
}

/// An FTS5 string token: quoted, its quotes doubled, so that no query text is read as syntax.
fn token(t: &str) -> String {
    format!("\"{}\"", t.replace('"', "\"\""))
}

/// A LIKE pattern matching any text that holds `t`, its wildcards escaped.
fn containing(t: &str) -> String {
    let mut pattern = String::from("%");
    for c in t.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The SQL that differs between the two stores' search indexes: FTS5 with its trigram tokenizer
/// on SQLite, a pg_trgm index on PostgreSQL (which LIKE and ILIKE go through). `ILIKE` is
/// PostgreSQL's case-blind LIKE; SQLite's LIKE is case-blind already.
mod sql {
    use crate::store::db::Dialect;

    /// Entries holding every one of `pieces` (given as one parameter on SQLite, one each on
    /// PostgreSQL).
    pub(super) fn holding_all(d: Dialect, pieces: usize) -> String {
        match d {
            Dialect::Sqlite => "contact_search MATCH ?1".into(),
            Dialect::Postgres => (1..=pieces)
                .map(|i| format!("body ILIKE ?{i} ESCAPE '\\'"))
                .collect::<Vec<_>>()
                .join(" AND "),
        }
    }

    pub(super) fn like(d: Dialect) -> &'static str {
        match d {
            Dialect::Sqlite => "body LIKE ?1 ESCAPE '\\'",
            Dialect::Postgres => "body ILIKE ?1 ESCAPE '\\'",
        }
    }
}

impl Store {
    fn addressees_where(&self, filter: &str, params: &[String]) -> Result<Vec<Addressee>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT rowid, card FROM contact_search WHERE {filter}"
        ))?;
        let rows = stmt.query_map(&values_of(params), from_row)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, card) = row?;
            out.push(addressee(id, &card)?);
        }
        Ok(out)
    }

    /// The people who moved on (another contact continues them): few, read from their index.
    pub fn moved_on(&self) -> Result<std::collections::HashSet<i64>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id FROM contacts WHERE moved_to IS NOT NULL")?;
        let ids = stmt.query_map(params![], |r| r.get(0))?;
        ids.collect::<Result<_>>()
    }

    /// The people whose name, nickname, title, company or any address holds every trigram of
    /// each of `words` (words of three characters or more), case ignored. A superset of those
    /// containing the words: the pieces may lie apart, which the ranking that follows tells.
    pub fn addressees_with_words(&self, words: &[&str]) -> Result<Vec<Addressee>> {
        let d = self.conn().dialect();
        if d == Dialect::Postgres {
            let words: Vec<String> = words
                .iter()
                .filter(|w| w.chars().count() >= 3)
                .map(|w| containing(w))
                .collect();
            if words.is_empty() {
                return Ok(Vec::new());
            }
            return self.addressees_where(&sql::holding_all(d, words.len()), &words);
        }
        let all: Vec<String> = words
            .iter()
            .flat_map(|w| trigrams(w))
            .map(|t| token(&t))
            .collect();
        if all.is_empty() {
            return Ok(Vec::new());
        }
        self.addressees_where(&sql::holding_all(d, 1), &[all.join(" AND ")])
    }

    /// The people sharing at least `min` of `pieces` (trigrams): the candidates for a query
    /// with a typo in it. Each piece's list comes from the index; none is read from a contact.
    pub fn addressees_sharing(&self, pieces: &[String], min: usize) -> Result<Vec<Addressee>> {
        let mut count: HashMap<i64, usize> = HashMap::new();
        let d = self.conn().dialect();
        let mut ids = self.conn().prepare_cached(&format!(
            "SELECT rowid FROM contact_search WHERE {}",
            sql::holding_all(d, 1)
        ))?;
        for piece in pieces {
            let piece = match d {
                Dialect::Sqlite => token(piece),
                Dialect::Postgres => containing(piece),
            };
            for id in ids.query_map(params![piece], |r| r.get::<i64>(0))? {
                *count.entry(id?).or_default() += 1;
            }
        }
        let mut chosen: Vec<i64> = count
            .into_iter()
            .filter(|&(_, n)| n >= min.max(1))
            .map(|(id, _)| id)
            .collect();
        chosen.sort_unstable();
        let mut card = self
            .conn()
            .prepare_cached("SELECT card FROM contact_search WHERE rowid = ?1")?;
        chosen
            .into_iter()
            .map(|id| addressee(id, &card.query_row(params![id], |r| r.get::<String>(0))?))
            .collect()
    }

    /// At most `limit` people whose name holds each of `words` (case ignored), in no set
    /// order: for words too short for the trigrams, a read of the names alone (the narrow
    /// index of a parent's people holds them) that stops once `limit` are found.
    pub fn addressees_named(&self, words: &[&str], limit: usize) -> Result<Vec<Addressee>> {
        let d = self.conn().dialect();
        let patterns: Vec<String> = words.iter().map(|w| containing(w)).collect();
        if patterns.is_empty() {
            return Ok(Vec::new());
        }
        let like = match d {
            Dialect::Sqlite => "LIKE",
            Dialect::Postgres => "ILIKE",
        };
        let filter = (1..=patterns.len())
            .map(|i| format!("full_name {like} ?{i} ESCAPE '\\'"))
            .collect::<Vec<_>>()
            .join(" AND ");
        let limit = limit as i64;
        let mut values = values_of(&patterns);
        values.push(&limit);
        // One statement, cards and all: on a server each statement is a round trip.
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT rowid, card FROM contact_search
              WHERE rowid IN (SELECT id FROM contacts WHERE {filter} LIMIT ?{})",
            patterns.len() + 1
        ))?;
        let rows = stmt.query_map(&values, from_row)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, card) = row?;
            out.push(addressee(id, &card)?);
        }
        Ok(out)
    }

    /// The people whose index text holds the characters of `query` in order (SQL LIKE
    /// `%a%d%a%`, ASCII case ignored): every entry read, for queries the trigrams cannot serve
    /// and as the reference the index's answers are checked against.
    pub fn addressees_containing_in_order(&self, query: &str) -> Result<Vec<Addressee>> {
        let mut pattern = String::from("%");
        for c in query.chars().filter(|c| !c.is_whitespace()) {
            if matches!(c, '%' | '_' | '\\') {
                pattern.push('\\');
            }
            pattern.push(c);
            pattern.push('%');
        }
        self.addressees_where(sql::like(self.conn().dialect()), &[pattern])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigrams_cut_by_characters_and_tokens_are_quoted() {
        assert_eq!(trigrams("hopper"), ["hop", "opp", "ppe", "per"]);
        assert_eq!(trigrams("müll"), ["mül", "üll"]);
        assert!(trigrams("ab").is_empty());
        assert_eq!(token("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn a_card_lists_addresses_in_their_order() {
        let card = r#"["Ada Lovelace",null,"CTO","Acme",
            "ada@acme.io",[[1,"ada@home.org","home",0],[0,"ada@acme.io",null,1]]]"#;
        let a = addressee(7, card).unwrap();
        assert_eq!((a.id, a.full_name.as_str()), (7, "Ada Lovelace"));
        assert_eq!(a.title.as_deref(), Some("CTO"));
        let emails: Vec<&str> = a.emails.iter().map(|e| e.value.as_str()).collect();
        assert_eq!(emails, ["ada@acme.io", "ada@home.org"]);
        assert!(a.emails[0].preferred);
        assert!(addressee(7, "[1]").is_err());
    }
}
