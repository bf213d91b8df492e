//! JSON output, in the shapes SPEC.md fixes.

use crate::domain::validate::is_bidi_control;
use crate::domain::{Activity, Contact, Parent};
use serde::Serialize;

#[derive(Serialize)]
pub struct ParentRef<'a> {
    pub id: i64,
    pub kind: &'static str,
    pub name: &'a str,
}

/// One contact, as `contacts --format json` prints it.
#[derive(Serialize)]
pub struct ContactJson<'a> {
    pub id: i64,
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub full_name: Option<&'a str>,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub title: Option<&'a str>,
    pub notes: Option<&'a str>,
    pub parent: ParentRef<'a>,
    pub emails: Vec<AddressJson<'a>>,
    pub phones: Vec<PhoneJson<'a>>,
    pub tags: &'a [String],
    pub uid: Option<&'a str>,
    pub birthday: Option<&'a str>,
    pub anniversary: Option<&'a str>,
    pub nickname: Option<&'a str>,
    pub middle_name: Option<&'a str>,
    pub prefix: Option<&'a str>,
    pub suffix: Option<&'a str>,
    pub moved_to: Option<i64>,
}

/// One of a contact's email addresses.
#[derive(Serialize)]
pub struct AddressJson<'a> {
    pub address: &'a str,
    pub label: Option<&'a str>,
    pub preferred: bool,
}

/// One of a contact's phone numbers.
#[derive(Serialize)]
pub struct PhoneJson<'a> {
    pub number: &'a str,
    pub label: Option<&'a str>,
    pub preferred: bool,
}

impl<'a> From<&'a Contact> for ContactJson<'a> {
    fn from(c: &'a Contact) -> Self {
        let f = &c.fields;
        ContactJson {
            id: c.id,
            first_name: f.first_name.as_deref(),
            last_name: f.last_name.as_deref(),
            full_name: f.full_name.as_deref(),
            email: f.email.as_deref(),
            phone: f.phone.as_deref(),
            title: f.title.as_deref(),
            notes: f.notes.as_deref(),
            parent: ParentRef {
                id: c.parent_id,
                kind: c.parent_kind.key(),
                name: &c.parent_name,
            },
            emails: f
                .emails
                .iter()
                .map(|e| AddressJson {
                    address: &e.value,
                    label: e.label.as_deref(),
                    preferred: e.preferred,
                })
                .collect(),
            phones: f
                .phones
                .iter()
                .map(|p| PhoneJson {
                    number: &p.value,
                    label: p.label.as_deref(),
                    preferred: p.preferred,
                })
                .collect(),
            tags: &f.tags,
            uid: f.uid.as_deref(),
            birthday: f.birthday.as_deref(),
            anniversary: f.anniversary.as_deref(),
            nickname: f.nickname.as_deref(),
            middle_name: f.middle_name.as_deref(),
            prefix: f.prefix.as_deref(),
            suffix: f.suffix.as_deref(),
            moved_to: c.moved_to,
        }
    }
}

/// A lead or customer with its contacts and activities, as `show --format json` prints it.
#[derive(Serialize)]
pub struct ParentJson<'a> {
    pub id: i64,
    pub kind: &'static str,
    pub name: &'a str,
    pub status: &'static str,
    pub contact_name: Option<&'a str>,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub phone_e164: Option<&'a str>,
    pub website: Option<&'a str>,
    pub industry: Option<&'a str>,
    pub source: Option<&'a str>,
    pub notes: Option<&'a str>,
    pub converted_to: Option<i64>,
    pub converted_from: Option<i64>,
    pub created_at: &'a str,
    pub updated_at: &'a str,
    pub version: i64,
    pub contacts: Vec<ContactJson<'a>>,
    pub activities: &'a [Activity],
}

impl<'a> ParentJson<'a> {
    pub fn new(
        p: &'a Parent,
        converted_from: Option<i64>,
        contacts: &'a [Contact],
        activities: &'a [Activity],
    ) -> Self {
        let f = &p.fields;
        ParentJson {
            id: p.id,
            kind: p.kind.key(),
            name: &f.name,
            status: p.status.key(),
            contact_name: f.contact_name.as_deref(),
            email: f.email.as_deref(),
            phone: f.phone.as_deref(),
            phone_e164: p.phone_e164.as_deref(),
            website: f.website.as_deref(),
            industry: f.industry.as_deref(),
            source: f.source.as_deref(),
            notes: f.notes.as_deref(),
            converted_to: p.converted_to,
            converted_from,
            created_at: &p.created_at,
            updated_at: &p.updated_at,
            version: p.version,
            contacts: contacts.iter().map(ContactJson::from).collect(),
            activities,
        }
    }
}

/// Pretty JSON with every control and bidi character escaped as `\uXXXX`: serde escapes the
/// controls, and bidi overrides are escaped here, so the output is safe on a terminal and still
/// decodes to the same strings.
pub fn to_string<T: Serialize>(value: &T) -> String {
    let text = serde_json::to_string_pretty(value)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    // serde escapes C0 controls; DEL, the C1 controls (U+009B is a CSI on some terminals) and
    // the bidi overrides are escaped here. They can only stand inside strings, where \uXXXX is
    // the same character to any JSON reader.
    let escape = |c: char| is_bidi_control(c) || ('\u{7f}'..='\u{9f}').contains(&c);
    if !text.chars().any(escape) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if escape(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// [`contacts`] written to `out` one contact at a time: the same bytes, without the whole
/// array in memory.
pub fn write_contacts(out: &mut dyn std::io::Write, list: &[Contact]) -> std::io::Result<()> {
    if list.is_empty() {
        return out.write_all(b"[]\n");
    }
    out.write_all(b"[")?;
    for (i, c) in list.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        // An element of a pretty array is the element pretty-printed, two spaces further in.
        for (n, line) in to_string(&ContactJson::from(c)).split('\n').enumerate() {
            if n > 0 {
                out.write_all(b"\n")?;
            }
            out.write_all(b"  ")?;
            out.write_all(line.as_bytes())?;
        }
    }
    out.write_all(b"\n]\n")
}

pub fn contacts(list: &[Contact]) -> String {
    let rows: Vec<ContactJson> = list.iter().map(ContactJson::from).collect();
    to_string(&rows)
}

#[cfg(test)]
mod stream_tests {
    use super::*;
    use crate::domain::{ContactFields, ParentKind};

    fn contact(id: i64, name: &str) -> Contact {
        Contact {
            id,
            parent_id: 1,
            parent_kind: ParentKind::Lead,
            parent_name: "Acme\u{202e}".into(),
            fields: ContactFields {
                full_name: Some(name.into()),
                notes: Some("two\nlines".into()),
                tags: vec!["a".into()],
                ..Default::default()
            },
            phone_e164: None,
            moved_to: None,
            created_at: "2026-12-01T00:00:00Z".into(),
            updated_at: "2026-12-01T00:00:00Z".into(),
            version: 1,
        }
    }

    #[test]
    fn written_contacts_are_the_bytes_of_the_whole_array() {
        for list in [
            vec![],
            vec![contact(1, "Ada")],
            vec![contact(1, "Ada"), contact(2, "Bo")],
        ] {
            let mut out = Vec::new();
            write_contacts(&mut out, &list).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), contacts(&list) + "\n");
        }
    }
}
