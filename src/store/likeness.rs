//! What finding duplicates reads: for each person and company, only the fields duplicates can
//! share, in a few whole-table reads.

use super::db::params;
use super::error::Result;
use super::Store;
use std::collections::HashMap;

/// A person as finding duplicates sees them.
#[derive(Debug, Clone, Default)]
pub struct PersonFacts {
    pub id: i64,
    pub parent_id: i64,
    pub parent_name: String,
    pub full_name: String,
    pub emails: Vec<String>,
    /// The phone numbers in E.164, those that could be read as such.
    pub phones: Vec<String>,
}

/// A lead or customer as finding duplicates sees it.
#[derive(Debug, Clone, Default)]
pub struct CompanyFacts {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub website: Option<String>,
}

impl Store {
    /// Every person who has not moved on (a moved-on record and its successor are one person at
    /// two jobs, not duplicates).
    pub fn person_facts(&self) -> Result<Vec<PersonFacts>> {
        let conn = self.conn();
        let mut people: Vec<PersonFacts> = Vec::new();
        let mut at: HashMap<i64, usize> = HashMap::new();
        let mut stmt = conn.prepare(
            "SELECT c.id, c.parent_id, p.name, c.full_name FROM contacts c
               JOIN parents p ON p.id = c.parent_id
              WHERE c.moved_to IS NULL ORDER BY c.id",
        )?;
        stmt.for_each(params![], |r| {
            at.insert(r.get(0)?, people.len());
            people.push(PersonFacts {
                id: r.get(0)?,
                parent_id: r.get(1)?,
                parent_name: r.get(2)?,
                full_name: r.get(3)?,
                ..Default::default()
            });
            Ok(())
        })?;
        let mut lists = |sql: &str, push: fn(&mut PersonFacts, String)| -> Result<()> {
            let mut stmt = conn.prepare(sql)?;
            stmt.for_each(params![], |r| {
                if let Some(&i) = at.get(&r.get::<i64>(0)?) {
                    push(&mut people[i], r.get(1)?);
                }
                Ok(())
            })?;
            Ok(())
        };
        lists(
            "SELECT contact_id, address FROM contact_emails ORDER BY contact_id, position",
            |p, v| p.emails.push(v),
        )?;
        lists(
            "SELECT contact_id, e164 FROM contact_phones WHERE e164 IS NOT NULL
              ORDER BY contact_id, position",
            |p, v| p.phones.push(v),
        )?;
        Ok(people)
    }

    /// The highest contact id so far: every contact made after this call has a higher one.
    pub fn last_contact_id(&self) -> Result<i64> {
        self.conn().query_row(
            "SELECT coalesce(max(id), 0) FROM contacts",
            params![],
            |r| r.get(0),
        )
    }

    /// Every lead and customer but converted leads (a converted lead and its customer are one
    /// company, the lead kept as history).
    pub fn company_facts(&self) -> Result<Vec<CompanyFacts>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, name, email, website FROM parents WHERE converted_to IS NULL ORDER BY id",
        )?;
        let found = stmt.query_map(params![], |r| {
            Ok(CompanyFacts {
                id: r.get(0)?,
                name: r.get(1)?,
                email: r.get(2)?,
                website: r.get(3)?,
            })
        })?;
        found.collect::<Result<_>>()
    }
}
