//! The field lists of each form, in SPEC.md's Tab order, and what saving each one means.

use super::{Field, Form};
use crate::domain::{Contact, ContactFields, Labeled, Parent, ParentFields, ParentKind, Status};

/// What a form is for: where its values go when it is saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    NewContact {
        parent_id: i64,
    },
    EditContact {
        id: i64,
        version: i64,
    },
    NewParent {
        kind: ParentKind,
    },
    EditParent {
        id: i64,
        version: i64,
        kind: ParentKind,
    },
    Note {
        parent_id: i64,
        contact_id: Option<i64>,
    },
    Email {
        parent_id: i64,
        contact_id: Option<i64>,
    },
    StatusReason {
        parent_id: i64,
        version: i64,
        status: Status,
    },
    /// How often to keep in touch with a contact.
    Cadence {
        contact_id: i64,
    },
}

pub fn contact_form(parent_name: &str, purpose: Purpose, existing: Option<&Contact>) -> Form {
    let f = existing.map(|c| c.fields.clone()).unwrap_or_default();
    let title = match existing {
        Some(c) => format!("Edit {} at {parent_name}", c.full_name()),
        None => format!("New contact at {parent_name}"),
    };
    let tags = f.tags.join(", ");
    let mut form = Form::new(
        title,
        purpose,
        vec![
            Field::new("first_name", "First name", f.first_name.as_deref(), false),
            Field::new("last_name", "Last name", f.last_name.as_deref(), false),
            Field::new("full_name", "Full name", f.full_name.as_deref(), false),
            Field::new("email", "Email", f.email.as_deref(), false),
            Field::new("phone", "Phone", f.phone.as_deref(), false),
            Field::new("title", "Title", f.title.as_deref(), false),
            Field::new("notes", "Notes", f.notes.as_deref(), true),
            Field::new("emails", "More emails", Some(&others(&f.emails)), false),
            Field::new("phones", "More phones", Some(&others(&f.phones)), false),
            Field::new("tags", "Tags", Some(&tags), false),
            Field::new("birthday", "Birthday", f.birthday.as_deref(), false),
        ],
    );
    form.base = existing.map(|c| Box::new(c.fields.clone()));
    form
}

/// The entries that are not the preferred one, as the "More …" fields show them:
/// `ada@home.example (home), ada@old.example`.
fn others(all: &[Labeled]) -> String {
    all.iter()
        .filter(|l| !l.preferred)
        .map(|l| match &l.label {
            Some(label) => format!("{} ({label})", l.value),
            None => l.value.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The preferred entry (from its own field, keeping its label) and then the others as typed.
fn entries(preferred: Option<String>, before: &[Labeled], typed: &str) -> Vec<Labeled> {
    let label = before
        .iter()
        .find(|l| l.preferred)
        .and_then(|l| l.label.clone());
    let mut all: Vec<Labeled> = preferred
        .map(|value| Labeled {
            value,
            label,
            preferred: true,
        })
        .into_iter()
        .collect();
    for item in typed.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let (value, label) = match item.strip_suffix(')').and_then(|i| i.rsplit_once(" (")) {
            Some((value, label)) => (value.trim(), Some(label)),
            None => (item, None),
        };
        all.push(Labeled::new(value, label, false));
    }
    all
}

/// What the form says, over what the contact held before (its UID, addresses, photo and the
/// properties kith does not show stay as they were).
pub fn contact_values(form: &Form) -> ContactFields {
    let mut f = form.base.as_deref().cloned().unwrap_or_default();
    f.first_name = form.opt("first_name");
    f.last_name = form.opt("last_name");
    f.full_name = form.opt("full_name");
    f.title = form.opt("title");
    f.notes = form.opt("notes");
    f.email = form.opt("email");
    f.emails = entries(form.opt("email"), &f.emails, &form.get("emails"));
    f.phone = form.opt("phone");
    f.phones = entries(form.opt("phone"), &f.phones, &form.get("phones"));
    f.tags = form
        .get("tags")
        .split(',')
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    f.birthday = form.opt("birthday");
    f
}

pub fn parent_form(kind: ParentKind, existing: Option<&Parent>) -> Form {
    let f = existing.map(|p| p.fields.clone()).unwrap_or_default();
    let (title, purpose) = match existing {
        Some(p) => (
            format!("Edit {}", p.fields.name),
            Purpose::EditParent {
                id: p.id,
                version: p.version,
                kind,
            },
        ),
        None => (
            match kind {
                ParentKind::Lead => "New lead".to_string(),
                ParentKind::Customer => "New customer".to_string(),
            },
            Purpose::NewParent { kind },
        ),
    };
    let mut fields = vec![Field::new("name", "Name", Some(&f.name), false)];
    if kind == ParentKind::Lead {
        fields.push(Field::new(
            "contact_name",
            "Contact name",
            f.contact_name.as_deref(),
            false,
        ));
    }
    fields.extend([
        Field::new("email", "Email", f.email.as_deref(), false),
        Field::new("phone", "Phone", f.phone.as_deref(), false),
        Field::new("website", "Website", f.website.as_deref(), false),
        Field::new("industry", "Industry", f.industry.as_deref(), false),
    ]);
    if kind == ParentKind::Lead {
        fields.push(Field::new("source", "Source", f.source.as_deref(), false));
    }
    fields.push(Field::new("notes", "Notes", f.notes.as_deref(), true));
    Form::new(title, purpose, fields)
}

pub fn parent_values(form: &Form) -> ParentFields {
    ParentFields {
        name: form.get("name"),
        contact_name: form.opt("contact_name"),
        email: form.opt("email"),
        phone: form.opt("phone"),
        website: form.opt("website"),
        industry: form.opt("industry"),
        source: form.opt("source"),
        notes: form.opt("notes"),
    }
}

pub fn note_form(parent_id: i64, contact: Option<&Contact>) -> Form {
    let title = match contact {
        Some(c) => format!("Note about {}", c.full_name()),
        None => "Note".to_string(),
    };
    Form::new(
        title,
        Purpose::Note {
            parent_id,
            contact_id: contact.map(|c| c.id),
        },
        vec![Field::new("body", "Note", None, true)],
    )
}

pub fn email_form(parent_id: i64, contact: Option<&Contact>, can_send: bool) -> Form {
    let verb = if can_send {
        "Email"
    } else {
        "Log an email with"
    };
    let title = match contact {
        Some(c) => format!("{verb} {}", c.full_name()),
        None if can_send => "Email".to_string(),
        None => "Log an email".to_string(),
    };
    let to = contact.and_then(|c| c.fields.email.as_deref());
    Form::new(
        title,
        Purpose::Email {
            parent_id,
            contact_id: contact.map(|c| c.id),
        },
        vec![
            Field::new("to", "To", to, false),
            Field::new("subject", "Subject", None, false),
            Field::new("body", "Body", None, true),
        ],
    )
}

/// How often to keep in touch with a person, in days; empty or 0 clears it.
pub fn cadence_form(c: &Contact) -> Form {
    let days = c.every_days.map(|d| d.to_string());
    Form::new(
        format!("Keep in touch with {} every … days", c.full_name()),
        Purpose::Cadence { contact_id: c.id },
        vec![Field::new("every", "Every (days)", days.as_deref(), false)],
    )
}

/// The days the cadence form says: None to clear it.
pub fn cadence_value(form: &Form) -> Result<Option<i64>, crate::domain::FieldError> {
    let typed = form.get("every");
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    match typed.parse::<i64>() {
        Ok(0) => Ok(None),
        Ok(d) => Ok(Some(d)),
        Err(_) => Err(crate::domain::FieldError::new(
            "every",
            format!("{typed:?} is not a number of days (empty or 0 clears it)"),
        )),
    }
}

pub fn reason_form(parent: &Parent, status: Status) -> Form {
    Form::new(
        format!(
            "{}: {} → {}",
            parent.fields.name,
            parent.status.label(),
            status.label()
        ),
        Purpose::StatusReason {
            parent_id: parent.id,
            version: parent.version,
            status,
        },
        vec![Field::new("reason", "Reason", None, false)],
    )
}
