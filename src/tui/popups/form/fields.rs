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
    /// A person moving on: their email and phone at the new company.
    MoveContact {
        contact_id: i64,
        version: i64,
        to: crate::store::MoveTo,
        person: String,
        company: String,
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
            Field::new(
                "anniversary",
                "Anniversary",
                f.anniversary.as_deref(),
                false,
            ),
            Field::new("nickname", "Nickname", f.nickname.as_deref(), false),
            Field::new(
                "addresses",
                "Addresses",
                Some(&address_lines(&f.addresses)),
                true,
            ),
            Field::new("urls", "Web pages", Some(&url_lines(&f.urls)), true),
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

/// What the form says, over what the contact held before (its UID, photo and the properties
/// kith does not show stay as they were).
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
    f.anniversary = form.opt("anniversary");
    f.nickname = form.opt("nickname");
    f.addresses = typed_addresses(&f.addresses, &form.get("addresses"));
    f.urls = typed_urls(&f.urls, &form.get("urls"));
    f
}

/// "value (label)" or "value": a line of the addresses or web pages fields.
fn with_label(value: &str, label: Option<&str>) -> String {
    match label {
        Some(label) => format!("{value} ({label})"),
        None => value.to_string(),
    }
}

/// A typed line split into its value and its "(label)" at the end, if it has one.
fn split_label(line: &str) -> (&str, Option<&str>) {
    match line.strip_suffix(')').and_then(|l| l.rsplit_once(" (")) {
        Some((value, label)) if !label.is_empty() => (value.trim(), Some(label.trim())),
        _ => (line.trim(), None),
    }
}

/// The postal addresses, one a line, as the card shows them.
fn address_lines(all: &[Labeled]) -> String {
    all.iter()
        .map(|a| with_label(&crate::ops::person::address(&a.value), a.label.as_deref()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The addresses the field says. A line as shown keeps the address it showed (its parts as
/// the card had them); a line with `;` is taken as vCard ADR parts; any other line is the
/// street part of a new address.
fn typed_addresses(before: &[Labeled], typed: &str) -> Vec<Labeled> {
    typed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (text, label) = split_label(line);
            let kept = before
                .iter()
                .find(|a| crate::ops::person::address(&a.value) == text);
            let value = match kept {
                Some(a) => a.value.clone(),
                None if text.contains(';') => text.to_string(),
                None => format!(";;{};;;;", text.replace('\\', "\\\\").replace(',', "\\,")),
            };
            Labeled {
                preferred: kept.is_some_and(|a| a.preferred),
                ..Labeled::new(value, label, false)
            }
        })
        .collect()
}

/// The web pages, one a line.
fn url_lines(all: &[Labeled]) -> String {
    all.iter()
        .map(|u| with_label(&u.value, u.label.as_deref()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn typed_urls(before: &[Labeled], typed: &str) -> Vec<Labeled> {
    typed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (value, label) = split_label(line);
            let preferred = before.iter().any(|u| u.value == value && u.preferred);
            Labeled {
                preferred,
                ..Labeled::new(value, label, false)
            }
        })
        .collect()
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

/// How to reach a person at the company they moved to. Both may stay empty: their old job's
/// addresses follow them anyway, marked as the old job's.
pub fn move_form(purpose: Purpose) -> Form {
    let title = match &purpose {
        Purpose::MoveContact {
            person, company, ..
        } => format!("{person} at {company}: new email and phone"),
        _ => "New email and phone".to_string(),
    };
    Form::new(
        title,
        purpose,
        vec![
            Field::new("email", "New email", None, false),
            Field::new("phone", "New phone", None, false),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ContactFields, ParentKind};

    fn ada() -> Contact {
        Contact {
            id: 1,
            parent_id: 1,
            parent_kind: ParentKind::Customer,
            parent_name: "Acme".into(),
            fields: ContactFields {
                full_name: Some("Ada Lovelace".into()),
                nickname: Some("Countess".into()),
                anniversary: Some("1835-07-08".into()),
                addresses: vec![Labeled::new(
                    ";;12 St James\\, Square;London;;SW1Y 4JH;UK",
                    Some("home"),
                    true,
                )],
                urls: vec![Labeled::new("https://ada.example", Some("blog"), false)],
                ..Default::default()
            },
            phone_e164: None,
            moved_to: None,
            created_at: String::new(),
            updated_at: String::new(),
            version: 1,
            every_days: None,
        }
    }

    fn edit_form(c: &Contact) -> Form {
        let purpose = Purpose::EditContact { id: 1, version: 1 };
        contact_form("Acme", purpose, Some(c))
    }

    fn set(form: &mut Form, key: &str, value: &str) {
        let field = form.fields.iter_mut().find(|f| f.key == key).expect(key);
        field.set_value(value);
    }

    #[test]
    fn what_was_imported_is_in_the_form_and_kept_as_it_was_when_untouched() {
        let c = ada();
        let form = edit_form(&c);
        assert_eq!(
            form.get("addresses"),
            "12 St James, Square, London, SW1Y 4JH, UK (home)"
        );
        assert_eq!(form.get("urls"), "https://ada.example (blog)");
        assert_eq!(form.get("nickname"), "Countess");
        assert_eq!(form.get("anniversary"), "1835-07-08");
        let back = contact_values(&form);
        assert_eq!(back.addresses, c.fields.addresses, "the ADR parts stay");
        assert_eq!(back.urls, c.fields.urls);
        assert_eq!(back.nickname, c.fields.nickname);
        assert_eq!(back.anniversary, c.fields.anniversary);
    }

    #[test]
    fn addresses_and_web_pages_are_typed_one_a_line() {
        let c = ada();
        let mut form = edit_form(&c);
        set(
            &mut form,
            "addresses",
            "12 St James, Square, London, SW1Y 4JH, UK (home)\n1 Main St, Springfield (work)\n;;2 Side St;Leeds;;;",
        );
        set(&mut form, "urls", "https://lovelace.example\n");
        set(&mut form, "nickname", "");
        let back = contact_values(&form);
        let values: Vec<&str> = back.addresses.iter().map(|a| a.value.as_str()).collect();
        assert_eq!(
            values,
            [
                ";;12 St James\\, Square;London;;SW1Y 4JH;UK",
                ";;1 Main St\\, Springfield;;;;",
                ";;2 Side St;Leeds;;;"
            ]
        );
        assert_eq!(back.addresses[1].label.as_deref(), Some("work"));
        assert_eq!(
            crate::ops::person::address(&back.addresses[1].value),
            "1 Main St, Springfield"
        );
        assert_eq!(back.urls.len(), 1);
        assert_eq!(back.urls[0].value, "https://lovelace.example");
        assert_eq!(back.nickname, None);
    }
}
