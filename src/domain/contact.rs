//! Contacts: the people at a lead or a customer.

use super::parent::ParentKind;
use super::validate::{self, FieldError};
use serde::{Deserialize, Serialize};

/// One of a contact's email addresses, phone numbers, postal addresses or web pages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Labeled {
    pub value: String,
    /// `work`, `home`, `mobile`, `other`, ..., or the file's own label (`X-ABLABEL`).
    pub label: Option<String>,
    pub preferred: bool,
}

impl Labeled {
    pub fn new(value: impl Into<String>, label: Option<&str>, preferred: bool) -> Labeled {
        Labeled {
            value: value.into(),
            label: label.and_then(normalize_label),
            preferred,
        }
    }
}

/// Labels as address books write them, in one spelling: `WORK`, `cell`, `_$!<Mobile>!$_`.
pub fn normalize_label(label: &str) -> Option<String> {
    let l = label
        .trim()
        .trim_start_matches("_$!<")
        .trim_end_matches(">!$_")
        .trim();
    if l.is_empty() {
        return None;
    }
    let lower = l.to_lowercase();
    Some(match lower.as_str() {
        "cell" | "mobile" | "iphone" | "handy" | "mobil" | "portable" | "móvil" | "cellulare" => {
            "mobile".into()
        }
        "work" | "business" | "office" | "geschäftlich" | "arbeit" | "travail" | "trabajo" => {
            "work".into()
        }
        "home" | "private" | "privat" | "personal" | "domicile" | "casa" => "home".into(),
        "other" | "others" | "andere" | "autre" | "otro" => "other".into(),
        "fax" | "pager" | "voice" | "main" | "internet" | "pref" => lower,
        _ => l.to_string(),
    })
}

/// The editable fields of a contact. The first seven are the contact form's, in its order;
/// `email` and `phone` are the preferred ones of `emails` and `phones`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ContactFields {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub title: Option<String>,
    pub notes: Option<String>,
    /// Additional (middle) names, honorific prefix and suffix: vCard `N`'s last three parts.
    pub middle_name: Option<String>,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    pub nickname: Option<String>,
    /// Every email address, the preferred one (`email`) among them.
    pub emails: Vec<Labeled>,
    /// Every phone number, the preferred one (`phone`) among them, each as typed.
    pub phones: Vec<Labeled>,
    /// Postal addresses: vCard `ADR`'s seven parts joined by `;`, as the card has them.
    pub addresses: Vec<Labeled>,
    pub urls: Vec<Labeled>,
    /// vCard `CATEGORIES`.
    pub tags: Vec<String>,
    /// The vCard `UID`: kept from the file, made for a contact created in kith.
    pub uid: Option<String>,
    /// `YYYY-MM-DD`, or `--MM-DD` for a date without a year.
    pub birthday: Option<String>,
    pub anniversary: Option<String>,
    /// The `PHOTO` property line as it came, unfolded.
    pub photo: Option<String>,
    /// Properties kith does not model (`X-…`, `IMPP`, `RELATED`, …), as unfolded vCard content
    /// lines, written back as they came.
    pub extra: Vec<String>,
}

impl ContactFields {
    /// Applies the input rules to typed values. Only a name is required: a first, last or full
    /// name. A full name left empty is the first and last name joined.
    pub fn validated(
        &self,
        region: Option<&str>,
    ) -> Result<(ContactFields, Option<String>), FieldError> {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let first_name = validate::text("first_name", &opt(&self.first_name), validate::MAX_NAME)?;
        let last_name = validate::text("last_name", &opt(&self.last_name), validate::MAX_NAME)?;
        let mut full_name =
            validate::text("full_name", &opt(&self.full_name), validate::MAX_NAME * 2)?;
        if full_name.is_none() {
            full_name = join_name(first_name.as_deref(), last_name.as_deref());
        }
        if full_name.is_none() {
            return Err(FieldError::new(
                "first_name",
                "a contact needs a name (first, last or full)",
            ));
        }
        let email = validate::email("email", &opt(&self.email))?;
        let mut emails = Vec::with_capacity(self.emails.len());
        for e in &self.emails {
            if let Some(value) = validate::email("emails", &e.value)? {
                emails.push(Labeled { value, ..e.clone() });
            }
        }
        let phone = validate::phone_text("phone", &opt(&self.phone))?;
        let mut phones = Vec::with_capacity(self.phones.len());
        for p in &self.phones {
            if let Some(value) = validate::phone_text("phones", &p.value)? {
                phones.push(Labeled { value, ..p.clone() });
            }
        }
        let (email, emails) = reconcile(email, emails, |a, b| a.eq_ignore_ascii_case(b));
        let (phone, phones) = reconcile(phone, phones, |a, b| a == b);
        let e164 = phone.as_deref().and_then(|p| validate::e164(p, region));
        let name = |field, v: &Option<String>| validate::text(field, &opt(v), validate::MAX_NAME);
        let mut tags: Vec<String> = Vec::new();
        for t in &self.tags {
            if let Some(t) = validate::text("tags", t, validate::MAX_TITLE)? {
                if !tags.iter().any(|k| k.eq_ignore_ascii_case(&t)) {
                    tags.push(t);
                }
            }
        }
        Ok((
            ContactFields {
                first_name,
                last_name,
                full_name,
                email,
                phone,
                title: validate::text("title", &opt(&self.title), validate::MAX_TITLE)?,
                notes: validate::multiline("notes", &opt(&self.notes), validate::MAX_NOTES)?,
                middle_name: name("middle_name", &self.middle_name)?,
                prefix: name("prefix", &self.prefix)?,
                suffix: name("suffix", &self.suffix)?,
                nickname: name("nickname", &self.nickname)?,
                emails,
                phones,
                addresses: self.addresses.clone(),
                urls: self.urls.clone(),
                tags,
                uid: validate::text("uid", &opt(&self.uid), validate::MAX_NAME * 2)?,
                birthday: validate::date("birthday", &opt(&self.birthday))?,
                anniversary: validate::date("anniversary", &opt(&self.anniversary))?,
                photo: self.photo.clone().filter(|p| !p.trim().is_empty()),
                extra: self.extra.clone(),
            },
            e164,
        ))
    }

    /// These fields with what `other` knows added: every empty field filled from it, its
    /// emails, phones, tags, addresses, URLs and unknown properties appended when missing.
    /// Nothing already here is overwritten: what an import with `--update` does.
    pub fn filled_from(&self, other: &ContactFields) -> ContactFields {
        let mut f = self.clone();
        let fill = |mine: &mut Option<String>, theirs: &Option<String>| {
            if mine.as_deref().is_none_or(|m| m.trim().is_empty()) && theirs.is_some() {
                mine.clone_from(theirs);
            }
        };
        fill(&mut f.first_name, &other.first_name);
        fill(&mut f.last_name, &other.last_name);
        fill(&mut f.title, &other.title);
        fill(&mut f.notes, &other.notes);
        fill(&mut f.middle_name, &other.middle_name);
        fill(&mut f.prefix, &other.prefix);
        fill(&mut f.suffix, &other.suffix);
        fill(&mut f.nickname, &other.nickname);
        fill(&mut f.uid, &other.uid);
        fill(&mut f.birthday, &other.birthday);
        fill(&mut f.anniversary, &other.anniversary);
        fill(&mut f.photo, &other.photo);
        let add = |mine: &mut Vec<Labeled>, theirs: &[Labeled], same: fn(&str, &str) -> bool| {
            for t in theirs {
                if !mine.iter().any(|m| same(&m.value, &t.value)) {
                    mine.push(Labeled {
                        preferred: false,
                        ..t.clone()
                    });
                }
            }
        };
        add(&mut f.emails, &other.emails, |a, b| {
            a.eq_ignore_ascii_case(b)
        });
        add(&mut f.phones, &other.phones, |a, b| a == b);
        add(&mut f.addresses, &other.addresses, |a, b| a == b);
        add(&mut f.urls, &other.urls, |a, b| a == b);
        if f.email.is_none() {
            f.email.clone_from(&other.email);
        }
        if f.phone.is_none() {
            f.phone.clone_from(&other.phone);
        }
        for t in &other.tags {
            if !f.tags.iter().any(|m| m.eq_ignore_ascii_case(t)) {
                f.tags.push(t.clone());
            }
        }
        for x in &other.extra {
            if !f.extra.contains(x) {
                f.extra.push(x.clone());
            }
        }
        f
    }

    /// Makes `value` the preferred email: it replaces the preferred one, or, when empty, the
    /// preferred one is dropped and the next takes its place. What `--email` and the form's
    /// Email field do.
    pub fn set_email(&mut self, value: Option<String>) {
        set_preferred(&mut self.email, &mut self.emails, value);
    }

    /// As [`ContactFields::set_email`], for the phone.
    pub fn set_phone(&mut self, value: Option<String>) {
        set_preferred(&mut self.phone, &mut self.phones, value);
    }

    /// Splits a single "full name" (a lead's contact name) into first and last name: the last
    /// word is the last name, the rest the first name.
    pub fn from_full_name(full: &str) -> ContactFields {
        let full = full.trim();
        let (first, last) = match full.rsplit_once(char::is_whitespace) {
            Some((first, last)) => (first.trim().to_string(), Some(last.to_string())),
            None => (full.to_string(), None),
        };
        ContactFields {
            first_name: Some(first).filter(|s| !s.is_empty()),
            last_name: last,
            full_name: Some(full.to_string()).filter(|s| !s.is_empty()),
            ..Default::default()
        }
    }
}

/// `one` is the preferred entry of `all`: put it there when missing (first, preferred), take it
/// from there when unset, and leave exactly one entry marked preferred.
fn reconcile(
    one: Option<String>,
    mut all: Vec<Labeled>,
    same: impl Fn(&str, &str) -> bool,
) -> (Option<String>, Vec<Labeled>) {
    // The same value twice is one entry: the first keeps its label.
    let mut unique: Vec<Labeled> = Vec::with_capacity(all.len());
    for l in all.drain(..) {
        match unique.iter_mut().find(|u| same(&u.value, &l.value)) {
            Some(u) => u.preferred |= l.preferred,
            None => unique.push(l),
        }
    }
    let mut all = unique;
    let pick = match &one {
        Some(v) => match all.iter().position(|l| same(&l.value, v)) {
            Some(i) => {
                all[i].value = v.clone();
                i
            }
            None => {
                all.insert(0, Labeled::new(v.clone(), None, true));
                0
            }
        },
        None => match all.iter().position(|l| l.preferred) {
            Some(i) => i,
            None if all.is_empty() => return (None, all),
            None => 0,
        },
    };
    for (i, l) in all.iter_mut().enumerate() {
        l.preferred = i == pick;
    }
    (Some(all[pick].value.clone()), all)
}

fn set_preferred(one: &mut Option<String>, all: &mut Vec<Labeled>, value: Option<String>) {
    let value = value.filter(|v| !v.trim().is_empty());
    let at = all.iter().position(|l| l.preferred).or_else(|| {
        one.as_deref()
            .and_then(|o| all.iter().position(|l| l.value == o))
    });
    match (at, value.clone()) {
        (Some(i), Some(v)) => all[i].value = v,
        (Some(i), None) => {
            all.remove(i);
        }
        (None, Some(v)) => all.insert(0, Labeled::new(v, None, true)),
        (None, None) => {}
    }
    if value.is_none() {
        for l in all.iter_mut() {
            l.preferred = false;
        }
    }
    *one = value;
}

fn join_name(first: Option<&str>, last: Option<&str>) -> Option<String> {
    match (first, last) {
        (Some(f), Some(l)) => Some(format!("{f} {l}")),
        (Some(f), None) => Some(f.to_string()),
        (None, Some(l)) => Some(l.to_string()),
        (None, None) => None,
    }
}

/// A contact as stored, with the name and kind of its parent for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub id: i64,
    pub parent_id: i64,
    pub parent_kind: ParentKind,
    pub parent_name: String,
    pub fields: ContactFields,
    pub phone_e164: Option<String>,
    /// Set when the person moved on: the contact that continues them at their new company.
    pub moved_to: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
    /// Keep in touch at least every this many days (the contact's own cadence, not the
    /// defaults the config gives by tag or status).
    pub every_days: Option<i64>,
}

impl Contact {
    pub fn full_name(&self) -> &str {
        self.fields.full_name.as_deref().unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_name_defaults_to_first_and_last() {
        let f = ContactFields {
            first_name: Some(" Ada ".into()),
            last_name: Some("Lovelace".into()),
            ..Default::default()
        };
        let (v, _) = f.validated(None).unwrap();
        assert_eq!(v.full_name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(v.first_name.as_deref(), Some("Ada"));
    }

    #[test]
    fn a_name_is_the_only_required_field() {
        assert_eq!(
            ContactFields::default().validated(None).unwrap_err().field,
            "first_name"
        );
        let f = ContactFields {
            full_name: Some("Cher".into()),
            ..Default::default()
        };
        assert!(f.validated(None).is_ok());
    }

    #[test]
    fn the_preferred_email_is_one_of_all() {
        let f = ContactFields {
            full_name: Some("Ada".into()),
            email: Some("ada@work.example".into()),
            emails: vec![
                Labeled::new("ada@home.example", Some("HOME"), true),
                Labeled::new("ADA@work.example", Some("work"), false),
            ],
            ..Default::default()
        };
        let (v, _) = f.validated(None).unwrap();
        assert_eq!(v.email.as_deref(), Some("ada@work.example"));
        assert_eq!(v.emails.len(), 2);
        assert_eq!(v.emails[0].label.as_deref(), Some("home"));
        assert!(!v.emails[0].preferred && v.emails[1].preferred);

        let f = ContactFields {
            full_name: Some("Ada".into()),
            phones: vec![
                Labeled::new("pager", Some("pager"), false),
                Labeled::new("+44 20 7946 0000", Some("cell"), true),
            ],
            ..Default::default()
        };
        let (v, e164) = f.validated(None).unwrap();
        assert_eq!(v.phone.as_deref(), Some("+44 20 7946 0000"));
        assert_eq!(e164.as_deref(), Some("+442079460000"));
        assert_eq!(
            v.phones[0].value, "pager",
            "a phone that is text is kept as typed"
        );
        assert_eq!(v.phones[1].label.as_deref(), Some("mobile"));
    }

    #[test]
    fn setting_the_email_replaces_the_preferred_one() {
        let mut f = ContactFields {
            full_name: Some("Ada".into()),
            emails: vec![
                Labeled::new("a@one.example", None, true),
                Labeled::new("a@two.example", None, false),
            ],
            ..Default::default()
        };
        f = f.validated(None).unwrap().0;
        f.set_email(Some("a@new.example".into()));
        let (v, _) = f.validated(None).unwrap();
        let all: Vec<&str> = v.emails.iter().map(|e| e.value.as_str()).collect();
        assert_eq!(all, ["a@new.example", "a@two.example"]);
        let mut f = v;
        f.set_email(None);
        let (v, _) = f.validated(None).unwrap();
        assert_eq!(
            v.email.as_deref(),
            Some("a@two.example"),
            "the next one takes its place"
        );
    }

    #[test]
    fn filling_from_another_keeps_what_is_here() {
        let here = ContactFields {
            full_name: Some("Ada Lovelace".into()),
            title: Some("Countess".into()),
            email: Some("ada@one.example".into()),
            emails: vec![Labeled::new("ada@one.example", None, true)],
            ..Default::default()
        };
        let file = ContactFields {
            full_name: Some("A. Lovelace".into()),
            title: Some("Mathematician".into()),
            birthday: Some("1815-12-10".into()),
            email: Some("ada@two.example".into()),
            emails: vec![
                Labeled::new("ADA@one.example", Some("home"), true),
                Labeled::new("ada@two.example", Some("work"), false),
            ],
            tags: vec!["Math".into()],
            ..Default::default()
        };
        let (merged, _) = here.filled_from(&file).validated(None).unwrap();
        assert_eq!(merged.full_name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(merged.title.as_deref(), Some("Countess"));
        assert_eq!(merged.birthday.as_deref(), Some("1815-12-10"));
        assert_eq!(merged.email.as_deref(), Some("ada@one.example"));
        let all: Vec<&str> = merged.emails.iter().map(|e| e.value.as_str()).collect();
        assert_eq!(all, ["ada@one.example", "ada@two.example"]);
        assert_eq!(merged.tags, ["Math"]);
    }

    #[test]
    fn splitting_a_full_name() {
        let f = ContactFields::from_full_name("Mary Ann Evans");
        assert_eq!(f.first_name.as_deref(), Some("Mary Ann"));
        assert_eq!(f.last_name.as_deref(), Some("Evans"));
        assert_eq!(f.full_name.as_deref(), Some("Mary Ann Evans"));
        let f = ContactFields::from_full_name("Madonna");
        assert_eq!(f.first_name.as_deref(), Some("Madonna"));
        assert_eq!(f.last_name, None);
    }
}
