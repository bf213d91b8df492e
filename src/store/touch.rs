//! What keeping in touch reads and writes: a contact's own cadence, when each person was last
//! in touch, and the emails exchanged with each (what ranks completion).

use super::db::{params, Optional};
use super::error::Result;
use super::{contacts, history, Store};
use std::collections::HashMap;

/// A person as keeping in touch sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonTouch {
    pub id: i64,
    pub parent_id: i64,
    /// The contact's own cadence in days.
    pub every_days: Option<i64>,
    /// Their company's status key (`contacted`, `active`, ...).
    pub status: String,
    pub tags: Vec<String>,
    pub created_at: String,
    /// The latest note or email with them, or with their company as a whole.
    pub last_at: Option<String>,
    /// Who wrote that note or email.
    pub last_by: Option<String>,
}

impl Store {
    /// Sets (or, with None, clears) how often to be in touch with a contact. One-shot: it reads
    /// and writes in one transaction.
    pub fn set_cadence(&mut self, contact_id: i64, days: Option<i64>) -> Result<()> {
        if let Some(d) = days.filter(|d| !(1..=36_500).contains(d)) {
            return Err(crate::domain::FieldError::new(
                "every",
                format!("{d} days: a cadence is 1 to 36500 days (0 clears it)"),
            )
            .into());
        }
        self.write(|tx, ctx| {
            let old = contacts::load(tx, contact_id)?;
            if old.every_days == days {
                return Ok(());
            }
            tx.execute(
                "UPDATE contacts SET every_days = ?1, updated_at = ?2, version = version + 1
                 WHERE id = ?3",
                params![days, ctx.now, contact_id],
            )?;
            let change = serde_json::json!({ "every_days": [old.every_days, days] });
            history::record(
                tx,
                ctx,
                "contact",
                contact_id,
                "cadence",
                Some(change),
                None,
            )
        })
    }

    /// Everyone who has not moved on, at a lead or customer that is not a converted lead, with
    /// what decides when they are due.
    pub fn people_to_keep_in_touch(&self) -> Result<Vec<PersonTouch>> {
        let conn = self.conn();
        // The latest entry of each person (and of each company as a whole): when, and by whom.
        let mut own: HashMap<i64, (String, String)> = HashMap::new();
        let mut stmt = conn.prepare(
            "SELECT contact_id, created_at, author FROM (
                 SELECT contact_id, created_at, author, ROW_NUMBER() OVER (
                        PARTITION BY contact_id ORDER BY created_at DESC, id DESC) AS n
                   FROM (SELECT contact_id, created_at, author, id FROM activities
                          WHERE contact_id IS NOT NULL
                         UNION ALL
                         SELECT p.contact_id, a.created_at, a.author, a.id
                           FROM activity_participants p JOIN activities a ON a.id = p.activity_id
                        ) AS touched
             ) AS latest WHERE n = 1",
        )?;
        stmt.for_each(params![], |r| {
            own.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
            Ok(())
        })?;
        let mut whole: HashMap<i64, (String, String)> = HashMap::new();
        let mut stmt = conn.prepare(
            "SELECT parent_id, created_at, author FROM (
                 SELECT parent_id, created_at, author, ROW_NUMBER() OVER (
                        PARTITION BY parent_id ORDER BY created_at DESC, id DESC) AS n
                   FROM activities WHERE contact_id IS NULL
             ) AS latest WHERE n = 1",
        )?;
        stmt.for_each(params![], |r| {
            whole.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
            Ok(())
        })?;
        let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
        let mut stmt =
            conn.prepare("SELECT contact_id, tag FROM contact_tags ORDER BY contact_id, position")?;
        stmt.for_each(params![], |r| {
            tags.entry(r.get(0)?).or_default().push(r.get(1)?);
            Ok(())
        })?;
        let mut stmt = conn.prepare(
            "SELECT c.id, c.parent_id, c.every_days, p.status, c.created_at
               FROM contacts c JOIN parents p ON p.id = c.parent_id
              WHERE c.moved_to IS NULL AND p.converted_to IS NULL ORDER BY c.id",
        )?;
        let found = stmt.query_map(params![], |r| {
            let id: i64 = r.get(0)?;
            let parent_id: i64 = r.get(1)?;
            Ok(PersonTouch {
                id,
                parent_id,
                every_days: r.get(2)?,
                status: r.get(3)?,
                created_at: r.get(4)?,
                tags: Vec::new(),
                last_at: None,
                last_by: None,
            })
        })?;
        let mut people: Vec<PersonTouch> = found.collect::<Result<_>>()?;
        for p in &mut people {
            p.tags = tags.remove(&p.id).unwrap_or_default();
            let last = match (own.get(&p.id), whole.get(&p.parent_id)) {
                (Some(a), Some(b)) => Some(if a.0 >= b.0 { a } else { b }),
                (a, b) => a.or(b),
            };
            (p.last_at, p.last_by) = last.cloned().unzip();
        }
        Ok(people)
    }

    /// The latest note or email with a contact (theirs, or an email they were in), or with
    /// their company as a whole.
    pub fn last_touch(
        &self,
        contact_id: i64,
        parent_id: i64,
    ) -> Result<Option<crate::domain::Activity>> {
        let id: Option<i64> = self
            .conn()
            .query_row(
                "SELECT id FROM activities
                  WHERE contact_id = ?1 OR (parent_id = ?2 AND contact_id IS NULL)
                     OR id IN (SELECT activity_id FROM activity_participants
                                WHERE contact_id = ?1)
                  ORDER BY created_at DESC, id DESC LIMIT 1",
                params![contact_id, parent_id],
                |r| r.get(0),
            )
            .optional()?;
        match id {
            Some(id) => Ok(self.activities_by_ids(&[id])?.pop()),
            None => Ok(None),
        }
    }

    /// The people with a birthday, who have not moved on.
    pub fn contacts_with_birthdays(&self) -> Result<Vec<crate::domain::Contact>> {
        let ids: Vec<i64> = self
            .conn()
            .prepare("SELECT id FROM contacts WHERE birthday IS NOT NULL AND moved_to IS NULL")?
            .query_map(params![], |r| r.get(0))?
            .collect::<Result<_>>()?;
        self.contacts_by_ids(&ids)
    }

    /// The latest notes and emails, of everyone: (the activity, its parent's name), newest
    /// first.
    pub fn recent_activities(
        &self,
        limit: usize,
    ) -> Result<Vec<(crate::domain::Activity, String)>> {
        let found: Vec<(i64, String)> = self
            .conn()
            .prepare(
                "SELECT a.id, p.name FROM activities a JOIN parents p ON p.id = a.parent_id
                  ORDER BY a.created_at DESC, a.id DESC LIMIT ?1",
            )?
            .query_map(params![limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_>>()?;
        let ids: Vec<i64> = found.iter().map(|f| f.0).collect();
        let names: std::collections::HashMap<i64, String> = found.into_iter().collect();
        Ok(self
            .activities_by_ids(&ids)?
            .into_iter()
            .map(|a| {
                let name = names.get(&a.id).cloned().unwrap_or_default();
                (a, name)
            })
            .collect())
    }

    /// The emails logged with these contacts, each once per person in it: (contact,
    /// direction, when). Each is looked up through the contact's indexes, so a mail client's
    /// query does not read every activity.
    pub fn emails_exchanged_with(&self, ids: &[i64]) -> Result<Vec<(i64, String, String)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT contact_id, coalesce(direction, 'sent'), created_at FROM activities
              WHERE contact_id = ?1 AND kind = 'email'
             UNION ALL
             SELECT p.contact_id, coalesce(a.direction, 'sent'), a.created_at
               FROM activity_participants p JOIN activities a ON a.id = p.activity_id
              WHERE p.contact_id = ?1 AND (a.contact_id IS NULL OR a.contact_id <> ?1)",
        )?;
        let mut out = Vec::new();
        for &id in ids {
            let found = stmt.query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            for row in found {
                out.push(row?);
            }
        }
        Ok(out)
    }

    /// Every email logged with a contact, once per person in it: (contact, direction, when).
    pub fn emails_exchanged(&self) -> Result<Vec<(i64, String, String)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT contact_id, coalesce(direction, 'sent'), created_at FROM activities
              WHERE kind = 'email' AND contact_id IS NOT NULL
             UNION ALL
             SELECT p.contact_id, coalesce(a.direction, 'sent'), a.created_at
               FROM activity_participants p JOIN activities a ON a.id = p.activity_id
              WHERE a.contact_id IS NULL OR a.contact_id <> p.contact_id",
        )?;
        let found = stmt.query_map(params![], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        found.collect::<Result<_>>()
    }
}
