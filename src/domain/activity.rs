//! Notes and emails: the history of what was said, on a parent and optionally one of its contacts.

use super::validate::{self, FieldError};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActivityKind {
    Note,
    Email,
}

impl ActivityKind {
    pub fn key(self) -> &'static str {
        match self {
            ActivityKind::Note => "note",
            ActivityKind::Email => "email",
        }
    }

    pub fn parse(s: &str) -> Option<ActivityKind> {
        match s {
            "note" => Some(ActivityKind::Note),
            "email" => Some(ActivityKind::Email),
            _ => None,
        }
    }
}

/// What is needed to record a note or an email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActivity {
    pub kind: ActivityKind,
    pub contact_id: Option<i64>,
    pub subject: Option<String>,
    pub body: String,
    /// For an email: the address it went to, and its Message-ID once sent.
    pub email_to: Option<String>,
    pub message_id: Option<String>,
}

impl NewActivity {
    pub fn note(contact_id: Option<i64>, body: &str) -> NewActivity {
        NewActivity {
            kind: ActivityKind::Note,
            contact_id,
            subject: None,
            body: body.to_string(),
            email_to: None,
            message_id: None,
        }
    }

    pub fn validated(&self) -> Result<NewActivity, FieldError> {
        let body = validate::multiline("body", &self.body, validate::MAX_NOTES)?
            .ok_or_else(|| FieldError::new("body", "is empty"))?;
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        Ok(NewActivity {
            kind: self.kind,
            contact_id: self.contact_id,
            subject: validate::text("subject", &opt(&self.subject), validate::MAX_SHORT)?,
            body,
            email_to: validate::email("to", &opt(&self.email_to))?,
            message_id: validate::text("message_id", &opt(&self.message_id), validate::MAX_SHORT)?,
        })
    }
}

/// A note or an email as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Activity {
    pub id: i64,
    pub parent_id: i64,
    pub contact_id: Option<i64>,
    /// The full name of the contact it is attached to, for display.
    pub contact_name: Option<String>,
    pub kind: ActivityKind,
    pub subject: Option<String>,
    pub body: String,
    pub email_to: Option<String>,
    pub message_id: Option<String>,
    /// Who on the team wrote it (the OS user), or, for an email logged from a mail client,
    /// who sent it.
    pub author: String,
    pub created_at: String,
    /// For an email: `sent` or `received`.
    pub direction: Option<String>,
}
