//! What the People list reads of everyone: a row to order and place each person by, and the
//! texts its `/` filter matches. The rest of a person is read only for the rows in view.

use super::db::params;
use super::error::Result;
use super::Store;
use std::collections::HashMap;

/// A person as the People list orders them.
#[derive(Debug, Clone)]
pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub company: String,
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
    /// Every person, by name (ignoring case), those who moved on last.
    pub fn person_rows(&self) -> Result<Vec<PersonRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.id, COALESCE(c.full_name, ''), p.name, c.moved_to IS NOT NULL
               FROM contacts c JOIN parents p ON p.id = c.parent_id
              ORDER BY c.moved_to IS NOT NULL, c.full_name COLLATE NOCASE, c.id",
        )?;
        let rows = stmt.query_map(params![], |r| {
            Ok(PersonRow {
                id: r.get(0)?,
                name: r.get(1)?,
                company: r.get(2)?,
                moved: r.get(3)?,
            })
        })?;
        rows.collect()
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
