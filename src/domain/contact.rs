//! Contacts: the people at a lead or a customer.

use super::parent::ParentKind;
use super::validate::{self, FieldError};
use serde::Serialize;

/// The editable fields of a contact, in the order of the contact form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ContactFields {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub title: Option<String>,
    pub notes: Option<String>,
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
        let (phone, e164) = match validate::phone("phone", &opt(&self.phone), region)? {
            Some((p, e)) => (Some(p), e),
            None => (None, None),
        };
        Ok((
            ContactFields {
                first_name,
                last_name,
                full_name,
                email: validate::email("email", &opt(&self.email))?,
                phone,
                title: validate::text("title", &opt(&self.title), validate::MAX_TITLE)?,
                notes: validate::multiline("notes", &opt(&self.notes), validate::MAX_NOTES)?,
            },
            e164,
        ))
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
