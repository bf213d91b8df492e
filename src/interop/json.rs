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

/// A person's card, as `person --format json` prints it: the contact as `contacts --format
/// json` has it, then their notes and emails and their history.
#[derive(Serialize)]
pub struct PersonJson<'a> {
    #[serde(flatten)]
    pub contact: ContactJson<'a>,
    pub activities: &'a [Activity],
    pub history: Vec<HistoryJson<'a>>,
}

/// One entry of a history: as stored, and said in words.
#[derive(Serialize)]
pub struct HistoryJson<'a> {
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub changes: Option<serde_json::Value>,
    pub reason: Option<&'a str>,
    pub text: String,
}

impl<'a> PersonJson<'a> {
    pub fn new(card: &'a crate::ops::person::Card) -> Self {
        let id = card.contact.id;
        PersonJson {
            contact: ContactJson::from(&card.contact),
            activities: &card.activities,
            history: card
                .history
                .iter()
                .map(|h| HistoryJson {
                    at: &h.at,
                    actor: &h.actor,
                    action: &h.action,
                    changes: h
                        .changes
                        .as_deref()
                        .and_then(|c| serde_json::from_str(c).ok()),
                    reason: h.reason.as_deref(),
                    text: crate::ops::person::sentence(id, h),
                })
                .collect(),
        }
    }
}

/// serde_json's pretty printer, which also escapes what serde leaves as it is in strings: DEL,
/// the C1 controls (U+009B is a CSI on some terminals) and the bidi overrides. They can only
/// stand inside strings, where `\uXXXX` is the same character to any JSON reader; serde
/// escapes the C0 controls itself.
struct TerminalSafe(serde_json::ser::PrettyFormatter<'static>);

fn must_escape(c: char) -> bool {
    is_bidi_control(c) || ('\u{7f}'..='\u{9f}').contains(&c)
}

impl serde_json::ser::Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        if fragment.is_ascii() && !fragment.contains('\u{7f}') {
            return w.write_all(fragment.as_bytes());
        }
        let mut rest = fragment;
        while let Some((at, c)) = rest.char_indices().find(|&(_, c)| must_escape(c)) {
            w.write_all(&rest.as_bytes()[..at])?;
            write!(w, "\\u{:04x}", c as u32)?;
            rest = &rest[at + c.len_utf8()..];
        }
        w.write_all(rest.as_bytes())
    }

    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// `value` as pretty JSON written to `out`, safe on a terminal (see [`TerminalSafe`]).
pub fn write<T: Serialize + ?Sized>(
    out: &mut dyn std::io::Write,
    value: &T,
) -> std::io::Result<()> {
    let formatter = TerminalSafe(serde_json::ser::PrettyFormatter::new());
    let mut ser = serde_json::Serializer::with_formatter(out, formatter);
    value.serialize(&mut ser).map_err(std::io::Error::other)
}

/// Pretty JSON, safe on a terminal (see [`TerminalSafe`]).
pub fn to_string<T: Serialize>(value: &T) -> String {
    let mut bytes = Vec::new();
    match write(&mut bytes, value) {
        // The formatter writes whole UTF-8 strings and ASCII around them.
        Ok(()) => String::from_utf8(bytes).unwrap_or_default(),
        Err(e) => format!("{{\"error\": {:?}}}", e.to_string()),
    }
}

/// [`contacts`] written to `out` one contact at a time: the same bytes, without the whole
/// array in memory.
pub fn write_contacts(out: &mut dyn std::io::Write, list: &[Contact]) -> std::io::Result<()> {
    struct Each<'a>(&'a [Contact]);
    impl Serialize for Each<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(self.0.iter().map(ContactJson::from))
        }
    }
    write(out, &Each(list))?;
    out.write_all(b"\n")
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
            every_days: None,
        }
    }

    #[test]
    fn strings_escape_what_a_terminal_would_obey() {
        let text = "a\u{202e}b\u{7f}c\u{9b}d\u{1b}e\u{2067}é\\\"";
        let json = to_string(&text);
        assert_eq!(json, r#""a\u202eb\u007fc\u009bd\u001be\u2067é\\\"""#);
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), text);
        assert_eq!(to_string(&["x"]), "[\n  \"x\"\n]");
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
