//! What "find everything" reads: the timeline entries whose text holds every word of a query
//! (through the full-text index of migration 11), and the companies whose name, email or
//! website holds them. People come from the trigram index of `lookup`.

use super::db::{params, values_of, Row};
use super::error::Result;
use super::Store;
use crate::domain::{ActivityKind, ParentKind};

/// A timeline entry a find matched, with what a row of the answer shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityHit {
    pub id: i64,
    pub kind: ActivityKind,
    pub parent_id: i64,
    pub parent_name: String,
    pub contact_id: Option<i64>,
    pub contact_name: Option<String>,
    pub subject: Option<String>,
    pub body: String,
    pub created_at: String,
}

/// A lead or customer a find matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentHit {
    pub id: i64,
    pub kind: ParentKind,
    pub name: String,
    pub email: Option<String>,
    pub website: Option<String>,
    pub industry: Option<String>,
}

/// The words of a query as the full-text index holds them: runs of letters and digits, lower
/// case. Nothing else of what a user typed reaches the index's query syntax.
fn index_words(words: &[&str]) -> Vec<String> {
    words
        .iter()
        .flat_map(|w| w.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The SQL that differs between the two stores' full-text indexes: FTS5 on SQLite, a GIN index
/// over a `tsvector` expression on PostgreSQL (the expression must be the index's, word for
/// word, for the planner to use it).
mod sql {
    use crate::store::db::Dialect;

    const PG_DOCUMENT: &str = "to_tsvector('simple', coalesce(a.subject, '') || ' ' || a.body)";

    /// Every word as a prefix (the last is being typed; the others may be too): `"w1"* "w2"*`
    /// for FTS5, `w1:* & w2:*` for `to_tsquery`. The words are letters and digits only, and
    /// FTS5's are quoted besides.
    pub(super) fn query_text(d: Dialect, words: &[String]) -> String {
        match d {
            Dialect::Sqlite => words
                .iter()
                .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(" "),
            Dialect::Postgres => words
                .iter()
                .map(|w| format!("{w}:*"))
                .collect::<Vec<_>>()
                .join(" & "),
        }
    }

    /// The ids of the `?2` latest entries matching query `?1` (the latest recorded: ids only
    /// grow), each with its relevance, higher better (a subject's words weigh twice a body's on
    /// SQLite). The index answers in id order, so a common word stops at `?2` rows instead of
    /// ranking every entry that holds it.
    pub(super) fn latest_ids(d: Dialect) -> String {
        match d {
            Dialect::Sqlite => "SELECT rowid, -bm25(activity_search, 2.0, 1.0) FROM activity_search
                 WHERE activity_search MATCH ?1 ORDER BY rowid DESC LIMIT ?2"
                .into(),
            // Ranked outside: the document is worked out again for each row ranked (the index
            // holds no text), so only for the latest few.
            Dialect::Postgres => format!(
                "SELECT a.id, ts_rank({PG_DOCUMENT}, to_tsquery('simple', ?1))::float8
                   FROM (SELECT a.id, a.subject, a.body FROM activities a
                          WHERE {PG_DOCUMENT} @@ to_tsquery('simple', ?1)
                          ORDER BY a.id DESC LIMIT ?2) a"
            ),
        }
    }

    /// `LIKE` ignoring case: SQLite's already does.
    pub(super) fn like(d: Dialect) -> &'static str {
        match d {
            Dialect::Sqlite => "LIKE",
            Dialect::Postgres => "ILIKE",
        }
    }
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

fn activity_hit(r: &Row) -> Result<ActivityHit> {
    let kind: String = r.get(1)?;
    Ok(ActivityHit {
        id: r.get(0)?,
        kind: ActivityKind::parse(&kind).ok_or_else(|| {
            super::db::bad_cell(1, format!("unknown activity kind {kind:?}").to_string())
        })?,
        parent_id: r.get(2)?,
        parent_name: r.get(3)?,
        contact_id: r.get(4)?,
        contact_name: r.get(5)?,
        subject: r.get(6)?,
        body: r.get(7)?,
        created_at: r.get(8)?,
    })
}

impl Store {
    /// The notes and emails whose subject or text holds a word starting with each of `words`
    /// (case and accents ignored), read through the full-text index: of the latest `window`
    /// that match, the `limit` most relevant, the latest first among equals. A one-letter word
    /// beside longer ones is left out (as a prefix it matches nearly every text); alone, it
    /// finds nothing.
    pub fn activities_matching(
        &self,
        words: &[&str],
        window: usize,
        limit: usize,
    ) -> Result<Vec<ActivityHit>> {
        let mut words = index_words(words);
        words.retain(|w| w.chars().count() > 1);
        if words.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let d = self.conn().dialect();
        let query = sql::query_text(d, &words);
        let mut latest = self.conn().prepare_cached(&sql::latest_ids(d))?;
        let mut scored: Vec<(i64, f64)> = latest
            .query_map(params![query, window.max(limit) as i64], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<Result<_>>()?;
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
        let ids = scored.into_iter().take(limit).map(|(id, _)| id);
        let mut one = self.conn().prepare_cached(
            "SELECT a.id, a.kind, a.parent_id, p.name, a.contact_id, c.full_name, a.subject,
                    a.body, a.created_at
               FROM activities a JOIN parents p ON p.id = a.parent_id
               LEFT JOIN contacts c ON c.id = a.contact_id
              WHERE a.id = ?1",
        )?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(hit) = one.query_map(params![id], activity_hit)?.next() {
                out.push(hit?);
            }
        }
        Ok(out)
    }

    /// The leads and customers whose name, email or website holds every one of `words`, case
    /// ignored, at most `limit`, in no set order.
    pub fn parents_holding(&self, words: &[&str], limit: usize) -> Result<Vec<ParentHit>> {
        if words.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let d = self.conn().dialect();
        let filter = (1..=words.len())
            .map(|i| {
                let like = format!("{} ?{i} ESCAPE '\\'", sql::like(d));
                format!("(p.name {like} OR p.email {like} OR p.website {like})")
            })
            .collect::<Vec<_>>()
            .join(" AND ");
        let patterns: Vec<String> = words.iter().map(|w| containing(w)).collect();
        let limit = limit as i64;
        let mut values = values_of(&patterns);
        values.push(&limit);
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT p.id, p.kind, p.name, p.email, p.website, p.industry FROM parents p
              WHERE {filter} LIMIT ?{}",
            words.len() + 1
        ))?;
        let rows = stmt.query_map(&values, |r| {
            let kind: String = r.get(1)?;
            Ok(ParentHit {
                id: r.get(0)?,
                kind: ParentKind::parse(&kind).ok_or_else(|| {
                    super::db::bad_cell(1, format!("unknown parent kind {kind:?}").to_string())
                })?,
                name: r.get(2)?,
                email: r.get(3)?,
                website: r.get(4)?,
                industry: r.get(5)?,
            })
        })?;
        rows.collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::db::Dialect;

    #[test]
    fn a_query_reaches_the_index_as_quoted_words_only() {
        let words = index_words(&["\"", "AND(", "*", "Pric\"ing", "NEAR"]);
        assert_eq!(words, ["and", "pric", "ing", "near"]);
        assert_eq!(
            sql::query_text(Dialect::Sqlite, &words),
            "\"and\"* \"pric\"* \"ing\"* \"near\"*"
        );
        assert_eq!(
            sql::query_text(Dialect::Postgres, &words),
            "and:* & pric:* & ing:* & near:*"
        );
    }

    #[test]
    fn like_wildcards_in_a_word_are_escaped() {
        assert_eq!(containing("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
