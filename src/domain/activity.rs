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
    /// For an email logged from mail: everyone of kith's in it, its contact first. One email
    /// is one entry on a timeline, however many of the parent's people were in it.
    pub participants: Vec<Participant>,
}

/// A person an email was with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Participant {
    pub contact_id: i64,
    pub full_name: String,
}

impl Activity {
    /// Whether the note or email is with this person: its contact, or one of its participants.
    pub fn involves(&self, contact_id: i64) -> bool {
        self.contact_id == Some(contact_id)
            || self.participants.iter().any(|p| p.contact_id == contact_id)
    }

    /// Whom it was with, as a timeline names them: its contact, then its other participants.
    pub fn people(&self) -> Option<String> {
        let contact = match (self.contact_id, &self.contact_name) {
            (Some(id), Some(name)) if !self.participants.iter().any(|p| p.contact_id == id) => {
                Some(name.as_str())
            }
            _ => None,
        };
        let names: Vec<&str> = contact
            .into_iter()
            .chain(self.participants.iter().map(|p| p.full_name.as_str()))
            .collect();
        (!names.is_empty()).then(|| names.join(", "))
    }
}
