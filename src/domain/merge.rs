//! What a merged record holds: by default the survivor's values, its empty fields filled from
//! the other record, and every email, phone, tag and kept property of both; field by field the
//! user may take the other's value instead.

use super::contact::ContactFields;
use super::parent::ParentFields;
use super::validate::{sanitize, FieldError};

/// The fields of a contact whose value a merge takes from one record or the other, in the order
/// a merge shows them, with their labels. `parent` is the company the merged person is at.
pub const CONTACT_FIELDS: &[(&str, &str)] = &[
    ("parent", "Company"),
    ("full_name", "Full name"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("middle_name", "Middle name"),
    ("prefix", "Prefix"),
    ("suffix", "Suffix"),
    ("nickname", "Nickname"),
    ("title", "Title"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("birthday", "Birthday"),
    ("anniversary", "Anniversary"),
    ("notes", "Notes"),
    ("photo", "Photo"),
];

/// The same for leads and customers.
pub const PARENT_FIELDS: &[(&str, &str)] = &[
    ("name", "Name"),
    ("status", "Status"),
    ("contact_name", "Contact name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("website", "Website"),
    ("industry", "Industry"),
    ("source", "Source"),
    ("notes", "Notes"),
];

/// Which record a merge takes each field from: the fields named here come from the other record,
/// every other one from the survivor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choices {
    /// Each field the user chose, and whether from the other record.
    said: Vec<(String, bool)>,
}

impl Choices {
    /// Takes `field` from the other record (`true`) or from the survivor. Names a field that is
    /// not one of `fields` in the error.
    pub fn pick(
        &mut self,
        fields: &[(&str, &str)],
        field: &str,
        from_other: bool,
    ) -> Result<(), FieldError> {
        if !fields.iter().any(|(name, _)| *name == field) {
            let names: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
            return Err(FieldError::new(
                "keep",
                format!(
                    "{field:?} is not a field a merge chooses; one of {}",
                    names.join(", ")
                ),
            ));
        }
        self.said.retain(|(f, _)| f != field);
        self.said.push((field.to_string(), from_other));
        Ok(())
    }

    pub fn from_other(&self, field: &str) -> bool {
        self.said.iter().any(|(f, other)| f == field && *other)
    }

    /// True when the user chose this field's record, whichever it was.
    pub fn said(&self, field: &str) -> bool {
        self.said.iter().any(|(f, _)| f == field)
    }
}

/// The survivor's value, or the other's when the user took it, or the other's when the
/// survivor's is empty.
fn choose(
    choices: &Choices,
    field: &str,
    mine: &Option<String>,
    theirs: &Option<String>,
) -> Option<String> {
    if choices.from_other(field) {
        theirs.clone()
    } else {
        mine.clone().or_else(|| theirs.clone())
    }
}

/// The merged contact: see the module's summary. The survivor keeps its UID.
pub fn combine_contacts(
    survivor: &ContactFields,
    other: &ContactFields,
    choices: &Choices,
) -> ContactFields {
    let mut f = survivor.filled_from(other);
    f.uid.clone_from(&survivor.uid);
    let pick = |field: &str, mine: &Option<String>, theirs: &Option<String>| {
        choose(choices, field, mine, theirs)
    };
    f.full_name = pick("full_name", &survivor.full_name, &other.full_name);
    f.first_name = pick("first_name", &survivor.first_name, &other.first_name);
    f.last_name = pick("last_name", &survivor.last_name, &other.last_name);
    f.middle_name = pick("middle_name", &survivor.middle_name, &other.middle_name);
    f.prefix = pick("prefix", &survivor.prefix, &other.prefix);
    f.suffix = pick("suffix", &survivor.suffix, &other.suffix);
    f.nickname = pick("nickname", &survivor.nickname, &other.nickname);
    f.title = pick("title", &survivor.title, &other.title);
    f.birthday = pick("birthday", &survivor.birthday, &other.birthday);
    f.anniversary = pick("anniversary", &survivor.anniversary, &other.anniversary);
    f.notes = pick("notes", &survivor.notes, &other.notes);
    f.photo = pick("photo", &survivor.photo, &other.photo);
    // Both records' addresses and numbers are kept; the choice is which one is preferred.
    let email = pick("email", &survivor.email, &other.email);
    prefer(&mut f.email, &mut f.emails, email, |a, b| {
        a.eq_ignore_ascii_case(b)
    });
    let phone = pick("phone", &survivor.phone, &other.phone);
    prefer(&mut f.phone, &mut f.phones, phone, |a, b| a == b);
    without_control_characters(&mut f);
    f
}

/// Control characters already in a record (written there by hand, or by an old version) are
/// dropped from the merged one, as saving a form drops them: they would fail validation and
/// block the merge for a character nobody can see.
fn without_control_characters(f: &mut ContactFields) {
    let line = |v: &mut Option<String>| {
        if let Some(s) = v {
            *s = sanitize(s, false);
        }
    };
    for v in [
        &mut f.first_name,
        &mut f.last_name,
        &mut f.full_name,
        &mut f.middle_name,
        &mut f.prefix,
        &mut f.suffix,
        &mut f.nickname,
        &mut f.title,
        &mut f.email,
        &mut f.phone,
        &mut f.birthday,
        &mut f.anniversary,
    ] {
        line(v);
    }
    if let Some(n) = &mut f.notes {
        *n = sanitize(n, true);
    }
    for l in f.emails.iter_mut().chain(f.phones.iter_mut()) {
        l.value = sanitize(&l.value, false);
        line(&mut l.label);
    }
    for t in &mut f.tags {
        *t = sanitize(t, false);
    }
}

fn prefer(
    one: &mut Option<String>,
    all: &mut [super::contact::Labeled],
    value: Option<String>,
    same: fn(&str, &str) -> bool,
) {
    if let Some(v) = &value {
        for l in all.iter_mut() {
            l.preferred = same(&l.value, v);
        }
    }
    if value.is_some() {
        *one = value;
    }
}

/// The merged lead or customer. A customer has no contact name or source: merging a lead into
/// one drops them (the contact name becomes a contact of the customer).
pub fn combine_parents(
    survivor: &ParentFields,
    other: &ParentFields,
    choices: &Choices,
    survivor_is_lead: bool,
) -> ParentFields {
    let pick = |field: &str, mine: &Option<String>, theirs: &Option<String>| {
        choose(choices, field, mine, theirs)
    };
    let name = if choices.from_other("name") {
        other.name.clone()
    } else {
        survivor.name.clone()
    };
    let line = |v: Option<String>| v.map(|s| sanitize(&s, false));
    ParentFields {
        name: sanitize(&name, false),
        contact_name: pick("contact_name", &survivor.contact_name, &other.contact_name)
            .filter(|_| survivor_is_lead),
        email: line(pick("email", &survivor.email, &other.email)),
        phone: line(pick("phone", &survivor.phone, &other.phone)),
        website: line(pick("website", &survivor.website, &other.website)),
        industry: line(pick("industry", &survivor.industry, &other.industry)),
        source: line(pick("source", &survivor.source, &other.source)).filter(|_| survivor_is_lead),
        notes: pick("notes", &survivor.notes, &other.notes).map(|n| sanitize(&n, true)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Labeled;

    fn grace() -> ContactFields {
        ContactFields {
            first_name: Some("Grace".into()),
            last_name: Some("Hopper".into()),
            full_name: Some("Grace Hopper".into()),
            email: Some("grace@navy.mil".into()),
            emails: vec![Labeled::new("grace@navy.mil", Some("work"), true)],
            tags: vec!["navy".into()],
            uid: Some("uid-grace".into()),
            ..Default::default()
        }
    }

    fn amazing() -> ContactFields {
        ContactFields {
            first_name: Some("Grace".into()),
            last_name: Some("Hopper".into()),
            full_name: Some("Grace M. Hopper".into()),
            email: Some("amazing@grace.org".into()),
            emails: vec![Labeled::new("amazing@grace.org", None, true)],
            title: Some("Rear Admiral".into()),
            tags: vec!["Navy".into(), "cobol".into()],
            uid: Some("uid-amazing".into()),
            ..Default::default()
        }
    }

    #[test]
    fn by_default_the_survivor_wins_and_its_gaps_are_filled() {
        let merged = combine_contacts(&grace(), &amazing(), &Choices::default());
        assert_eq!(merged.full_name.as_deref(), Some("Grace Hopper"));
        assert_eq!(merged.title.as_deref(), Some("Rear Admiral"), "filled");
        assert_eq!(merged.email.as_deref(), Some("grace@navy.mil"));
        let emails: Vec<&str> = merged.emails.iter().map(|e| e.value.as_str()).collect();
        assert_eq!(emails, ["grace@navy.mil", "amazing@grace.org"]);
        assert_eq!(merged.tags, ["navy", "cobol"]);
        assert_eq!(merged.uid.as_deref(), Some("uid-grace"));
    }

    #[test]
    fn a_field_taken_from_the_other_record() {
        let mut choices = Choices::default();
        choices.pick(CONTACT_FIELDS, "full_name", true).unwrap();
        choices.pick(CONTACT_FIELDS, "email", true).unwrap();
        let merged = combine_contacts(&grace(), &amazing(), &choices);
        assert_eq!(merged.full_name.as_deref(), Some("Grace M. Hopper"));
        assert_eq!(merged.email.as_deref(), Some("amazing@grace.org"));
        let preferred: Vec<&str> = merged
            .emails
            .iter()
            .filter(|e| e.preferred)
            .map(|e| e.value.as_str())
            .collect();
        assert_eq!(preferred, ["amazing@grace.org"]);
        assert!(choices.pick(CONTACT_FIELDS, "shoe_size", true).is_err());
    }
}
