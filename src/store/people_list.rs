//! What the People list reads of everyone: a row to order and place each person by, and the
//! texts its `/` filter matches. The rest of a person is read only for the rows in view.

use super::db::{params, Dialect};
use super::error::Result;
use super::Store;
use std::collections::HashMap;

/// A person as the People list places them: the rest is read for the rows in view.
#[derive(Debug, Clone, Copy)]
pub struct PersonRow {
    pub id: i64,
    pub moved: bool,
}

/// What the `/` filter of the People list matches a person on: name, nickname, title,
/// company, every address, every number (and its E.164 form) and every tag.
#[derive(Debug, Clone, Default)]
pub struct PersonTexts {
    pub texts: Vec<String>,
    /// The E.164 forms of the person's numbers, for their national digits.
    pub e164: Vec<String>,
}

impl Store {
    /// Every person, by name (ignoring case), those who moved on last: ids only, in the order
    /// of an index (migration 12), so no sort.
    pub fn person_rows(&self) -> Result<Vec<PersonRow>> {
        let sql = match self.conn().dialect() {
            Dialect::Sqlite => {
                "SELECT id, moved_to IS NOT NULL FROM contacts
                  ORDER BY (moved_to IS NOT NULL), full_name COLLATE NOCASE, id"
            }
            Dialect::Postgres => {
                "SELECT id, moved_to IS NOT NULL FROM contacts
                  ORDER BY (moved_to IS NOT NULL), lower(full_name), id"
            }
        };
        let mut stmt = self.conn().prepare_cached(sql)?;
        let rows = stmt.query_map(params![], |r| {
            Ok(PersonRow {
                id: r.get(0)?,
                moved: r.get(1)?,
            })
        })?;
        rows.collect()
    }

    /// Each person's company name, by id: what ordering the People list by company needs.
    pub fn person_companies(&self) -> Result<HashMap<i64, String>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.id, p.name FROM contacts c JOIN parents p ON p.id = c.parent_id",
        )?;
        let mut all = HashMap::new();
        stmt.for_each(params![], |r| {
            all.insert(r.get(0)?, r.get(1)?);
            Ok(())
        })?;
        Ok(all)
    }

    /// The texts of [`PersonTexts`] of every person, by id.
    pub fn person_texts(&self) -> Result<HashMap<i64, PersonTexts>> {
        let conn = self.conn();
        let mut all: HashMap<i64, PersonTexts> = HashMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT c.id, c.full_name, c.nickname, c.title, p.name
               FROM contacts c JOIN parents p ON p.id = c.parent_id",
        )?;
        stmt.for_each(params![], |r| {
            let t = all.entry(r.get(0)?).or_default();
            for i in 1..=4 {
                if let Some(text) = r.get::<Option<String>>(i)? {
                    t.texts.push(text);
                }
            }
            Ok(())
        })?;
        for sql in [
            "SELECT contact_id, address FROM contact_emails",
            "SELECT contact_id, tag FROM contact_tags",
        ] {
            let mut stmt = conn.prepare_cached(sql)?;
            stmt.for_each(params![], |r| {
                if let Some(t) = all.get_mut(&r.get(0)?) {
                    t.texts.push(r.get(1)?);
                }
                Ok(())
            })?;
        }
        let mut stmt =
            conn.prepare_cached("SELECT contact_id, number, e164 FROM contact_phones")?;
        stmt.for_each(params![], |r| {
            if let Some(t) = all.get_mut(&r.get(0)?) {
                let number: String = r.get(1)?;
                t.texts
                    .push(number.chars().filter(char::is_ascii_digit).collect());
                t.texts.push(number);
                t.e164.extend(r.get::<Option<String>>(2)?);
            }
            Ok(())
        })?;
        Ok(all)
    }
}
