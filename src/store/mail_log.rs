//! What logging mail from a mail client reads and writes, inside a [`Batch`]: people by
//! address, companies by domain, and emails with the date and direction of the message. One
//! message is one email on each parent's timeline, whoever of that parent was in it one of its
//! participants.

use super::batch::Batch;
use super::contacts::touch_parent;
use super::db::{params, Optional};
use super::error::Result;
use super::history;
use crate::domain::likeness::{email_domain, website_host};
use crate::domain::touch::Direction;

/// An email as logged on a parent's timeline, for its first person there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedEmail<'a> {
    pub parent_id: i64,
    pub contact_id: i64,
    pub subject: Option<&'a str>,
    pub body: &'a str,
    /// The message's recipients, as its To header has them.
    pub to: Option<&'a str>,
    pub message_id: &'a str,
    /// Who wrote it, as its From header has it.
    pub author: &'a str,
    /// The date of the message (RFC 3339).
    pub at: &'a str,
    pub direction: Direction,
}

impl Batch<'_> {
    /// The contact with this address (any of theirs, ignoring case) and their parent: one who
    /// has not moved on before one who has, the oldest first.
    pub fn contact_by_address(&self, address: &str) -> Result<Option<(i64, i64)>> {
        self
            .tx
            .prepare_cached(
                "SELECT c.id, c.parent_id FROM contact_emails e JOIN contacts c ON c.id = e.contact_id
                  WHERE e.address = ?1 COLLATE NOCASE
                  ORDER BY c.moved_to IS NOT NULL, c.id LIMIT 1",
            )?
            .query_row(params![address], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
    }

    /// The lead or customer whose website or email is at `domain` (customers first, then the
    /// oldest), leaving out converted leads.
    pub fn parent_by_domain(&self, domain: &str) -> Result<Option<i64>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT id, website, email FROM parents
              WHERE converted_to IS NULL
                AND (website LIKE '%' || ?1 || '%' OR email LIKE '%@' || ?1)
              ORDER BY kind = 'lead', id",
        )?;
        let rows = stmt.query_map(params![domain], |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<Option<String>>(1)?,
                r.get::<Option<String>>(2)?,
            ))
        })?;
        for row in rows {
            let (id, website, email) = row?;
            let at_domain = website.as_deref().and_then(website_host).as_deref() == Some(domain)
                || email.as_deref().and_then(email_domain).as_deref() == Some(domain);
            if at_domain {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// The open lead or customer of this name (ignoring case), the oldest.
    pub fn parent_named(&self, name: &str) -> Result<Option<i64>> {
        self.tx
            .prepare_cached(
                "SELECT id FROM parents WHERE name = ?1 COLLATE NOCASE AND converted_to IS NULL
                  ORDER BY id LIMIT 1",
            )?
            .query_row(params![name], |r| r.get(0))
            .optional()
    }

    /// Whether the message is on this person's timeline already: the email's contact, or one
    /// of its participants.
    pub fn email_logged(&self, message_id: &str, contact_id: i64) -> Result<bool> {
        self.tx
            .prepare_cached(
                "SELECT 1 FROM activities a
                  WHERE a.message_id = ?1 AND a.kind = 'email'
                    AND (a.contact_id = ?2
                         OR EXISTS (SELECT 1 FROM activity_participants p
                                     WHERE p.activity_id = a.id AND p.contact_id = ?2))
                  LIMIT 1",
            )?
            .exists(params![message_id, contact_id])
    }

    /// The email of this message on this parent's timeline, when it is there.
    pub fn email_on_timeline(&self, message_id: &str, parent_id: i64) -> Result<Option<i64>> {
        self.tx
            .prepare_cached(
                "SELECT id FROM activities
                  WHERE parent_id = ?1 AND message_id = ?2 AND kind = 'email'
                  ORDER BY id LIMIT 1",
            )?
            .query_row(params![parent_id, message_id], |r| r.get(0))
            .optional()
    }

    /// Puts an email on a parent's timeline at the date of the message, its contact the first
    /// of its participants.
    pub fn log_email(&mut self, e: &LoggedEmail) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO activities (parent_id, contact_id, kind, subject, body, email_to,
                             message_id, author, created_at, direction)
                 VALUES (?1, ?2, 'email', ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                e.parent_id,
                e.contact_id,
                e.subject,
                e.body,
                e.to,
                e.message_id,
                e.author,
                e.at,
                e.direction.key()
            ])?;
        let id = self.tx.last_insert_rowid()?;
        self.tx
            .prepare_cached(
                "INSERT INTO activity_participants (activity_id, contact_id, position)
                 VALUES (?1, ?2, 0)",
            )?
            .execute(params![id, e.contact_id])?;
        touch_parent(self.tx, self.ctx, e.parent_id)?;
        let detail = serde_json::json!({
            "message_id": e.message_id,
            "direction": e.direction.key(),
            "contact_id": e.contact_id,
        });
        history::record(
            self.tx,
            self.ctx,
            "activity",
            id,
            "email_logged",
            Some(detail),
            None,
        )?;
        Ok(id)
    }

    /// Adds a person to an email already on their parent's timeline, after those in it; an
    /// email whose contact was deleted takes them as its contact.
    pub fn add_to_email(&mut self, activity_id: i64, contact_id: i64) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO activity_participants (activity_id, contact_id, position)
                 SELECT ?1, ?2, coalesce(max(position) + 1, 0) FROM activity_participants
                  WHERE activity_id = ?1",
            )?
            .execute(params![activity_id, contact_id])?;
        let (parent_id, message_id, direction): (i64, Option<String>, Option<String>) = self
            .tx
            .prepare_cached(
                "SELECT parent_id, message_id, direction FROM activities WHERE id = ?1",
            )?
            .query_row(params![activity_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        self.tx
            .prepare_cached(
                "UPDATE activities SET contact_id = ?1 WHERE id = ?2 AND contact_id IS NULL",
            )?
            .execute(params![contact_id, activity_id])?;
        touch_parent(self.tx, self.ctx, parent_id)?;
        let detail = serde_json::json!({
            "message_id": message_id,
            "direction": direction,
            "contact_id": contact_id,
        });
        history::record(
            self.tx,
            self.ctx,
            "activity",
            activity_id,
            "email_logged",
            Some(detail),
            None,
        )
    }
}
