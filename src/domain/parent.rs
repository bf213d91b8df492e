//! Leads and customers: the companies, and the statuses they move through.

use super::validate::{self, FieldError};
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParentKind {
    Lead,
    Customer,
}

impl ParentKind {
    pub fn key(self) -> &'static str {
        match self {
            ParentKind::Lead => "lead",
            ParentKind::Customer => "customer",
        }
    }

    pub fn parse(s: &str) -> Option<ParentKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "lead" | "leads" => Some(ParentKind::Lead),
            "customer" | "customers" => Some(ParentKind::Customer),
            _ => None,
        }
    }

    /// The status a new record of this kind starts in.
    pub fn initial_status(self) -> Status {
        match self {
            ParentKind::Lead => Status::New,
            ParentKind::Customer => Status::Active,
        }
    }
}

impl fmt::Display for ParentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Lead statuses (the pipeline, in order) and customer statuses in one type, because the store
/// keeps both in one column; [`Status::kind`] says which kind each belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    New,
    InformationFilled,
    Contacted,
    Qualified,
    Disqualified,
    Active,
    Archived,
}

impl Status {
    /// The lead pipeline, in the order a lead moves through it.
    pub const PIPELINE: [Status; 5] = [
        Status::New,
        Status::InformationFilled,
        Status::Contacted,
        Status::Qualified,
        Status::Disqualified,
    ];
    pub const ALL: [Status; 7] = [
        Status::New,
        Status::InformationFilled,
        Status::Contacted,
        Status::Qualified,
        Status::Disqualified,
        Status::Active,
        Status::Archived,
    ];

    /// The stable name kept in the store and printed in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InformationFilled => "information_filled",
            Status::Contacted => "contacted",
            Status::Qualified => "qualified",
            Status::Disqualified => "disqualified",
            Status::Active => "active",
            Status::Archived => "archived",
        }
    }

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            Status::New => "New",
            Status::InformationFilled => "Information filled",
            Status::Contacted => "Contacted",
            Status::Qualified => "Qualified",
            Status::Disqualified => "Disqualified",
            Status::Active => "Active",
            Status::Archived => "Archived",
        }
    }

    pub fn kind(self) -> ParentKind {
        match self {
            Status::Active | Status::Archived => ParentKind::Customer,
            _ => ParentKind::Lead,
        }
    }

    /// Accepts the key, the label, or the label with `-`/`_`/space mixed up, in any case.
    pub fn parse(s: &str) -> Option<Status> {
        let norm: String = s
            .trim()
            .chars()
            .map(|c| match c {
                '-' | ' ' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        Status::ALL.into_iter().find(|st| st.key() == norm)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The editable fields of a lead or a customer. Customers have no contact name nor source; those
/// fields stay `None` for them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ParentFields {
    pub name: String,
    pub contact_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub industry: Option<String>,
    pub source: Option<String>,
    pub notes: Option<String>,
}

impl ParentFields {
    /// Applies the input rules to typed values; returns the cleaned fields and the phone's
    /// E.164 form when it has one.
    pub fn validated(
        &self,
        kind: ParentKind,
        region: Option<&str>,
    ) -> Result<(ParentFields, Option<String>), FieldError> {
        let name = validate::text("name", &self.name, validate::MAX_NAME)?
            .ok_or_else(|| FieldError::new("name", "is required"))?;
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let (phone, e164) = match validate::phone("phone", &opt(&self.phone), region)? {
            Some((p, e)) => (Some(p), e),
            None => (None, None),
        };
        let lead_only = |field: &'static str, v: &Option<String>| -> Result<_, FieldError> {
            let v = validate::text(field, &opt(v), validate::MAX_SHORT)?;
            if v.is_some() && kind == ParentKind::Customer {
                return Err(FieldError::new(field, "is kept on leads only"));
            }
            Ok(v)
        };
        Ok((
            ParentFields {
                name,
                contact_name: lead_only("contact_name", &self.contact_name)?,
                email: validate::email("email", &opt(&self.email))?,
                phone,
                website: validate::website("website", &opt(&self.website))?,
                industry: validate::text("industry", &opt(&self.industry), validate::MAX_SHORT)?,
                source: lead_only("source", &self.source)?,
                notes: validate::multiline("notes", &opt(&self.notes), validate::MAX_NOTES)?,
            },
            e164,
        ))
    }

    /// A lead with a name, a website and an email has its information filled.
    pub fn information_filled(&self) -> bool {
        !self.name.is_empty() && self.website.is_some() && self.email.is_some()
    }
}

/// A lead or a customer as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parent {
    pub id: i64,
    pub kind: ParentKind,
    pub fields: ParentFields,
    pub phone_e164: Option<String>,
    pub status: Status,
    /// For a converted lead: the customer it became.
    pub converted_to: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

impl Parent {
    pub fn name(&self) -> &str {
        &self.fields.name
    }

    /// The status as people should read it: a converted lead says so.
    pub fn status_label(&self) -> &'static str {
        if self.converted_to.is_some() {
            "Converted"
        } else {
            self.status.label()
        }
    }
}

/// The status a lead moves to by itself after its fields change: New becomes Information filled
/// once name, website and email are all present. Other statuses were set by a person and stay.
pub fn automatic_status(current: Status, fields: &ParentFields) -> Option<Status> {
    (current == Status::New && fields.information_filled()).then_some(Status::InformationFilled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_parse_from_keys_and_labels() {
        for st in Status::ALL {
            assert_eq!(Status::parse(st.key()), Some(st));
            assert_eq!(Status::parse(st.label()), Some(st));
        }
        assert_eq!(
            Status::parse("information-filled"),
            Some(Status::InformationFilled)
        );
        assert_eq!(Status::parse("won"), None);
    }

    #[test]
    fn information_filled_needs_name_website_and_email() {
        let mut f = ParentFields {
            name: "Acme".into(),
            website: Some("acme.com".into()),
            ..Default::default()
        };
        assert_eq!(automatic_status(Status::New, &f), None);
        f.email = Some("hi@acme.com".into());
        assert_eq!(
            automatic_status(Status::New, &f),
            Some(Status::InformationFilled)
        );
        assert_eq!(automatic_status(Status::Contacted, &f), None);
    }

    #[test]
    fn customers_refuse_lead_only_fields() {
        let f = ParentFields {
            name: "Acme".into(),
            source: Some("fair".into()),
            ..Default::default()
        };
        assert_eq!(
            f.validated(ParentKind::Customer, None).unwrap_err().field,
            "source"
        );
        assert!(f.validated(ParentKind::Lead, None).is_ok());
    }
}
