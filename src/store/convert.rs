//! Converting a lead into a customer, as one transaction.

use super::db::params;
use super::error::{Result, StoreError};
use super::history;
use super::{parents, Store};
use crate::domain::{ParentFields, ParentKind};

/// What a conversion did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    pub customer_id: i64,
    /// The contact made from the lead's contact name, when one was made.
    pub promoted_contact: Option<i64>,
    /// Contacts that moved from the lead to the customer (the promoted one not counted).
    pub moved_contacts: usize,
    pub moved_activities: usize,
}

impl Store {
    /// Converts a lead into a customer: a customer with the lead's fields; the lead's contact
    /// name as a Contact with its email and phone (unless a contact with that email, or with that
    /// name when the lead has no email, is already there); the lead's contacts and all its notes
    /// and emails moved to the customer; the lead kept, marked converted and linked. All or
    /// nothing.
    pub fn convert_lead(&mut self, lead_id: i64, version: Option<i64>) -> Result<Conversion> {
        self.write(|tx, ctx| {
            let lead = parents::load(tx, lead_id)?;
            if lead.kind != ParentKind::Lead {
                return Err(StoreError::Rule(format!(
                    "#{lead_id} {} is already a customer",
                    lead.fields.name
                )));
            }
            if let Some(customer) = lead.converted_to {
                return Err(StoreError::Rule(format!(
                    "lead #{lead_id} {} was already converted into customer #{customer}",
                    lead.fields.name
                )));
            }
            if let Some(expected) = version.filter(|&v| v != lead.version) {
                return Err(StoreError::Conflict {
                    what: "lead",
                    id: lead_id,
                    expected,
                    current: lead.version,
                });
            }
            let l = &lead.fields;
            let customer_fields = ParentFields {
                name: l.name.clone(),
                contact_name: None,
                email: l.email.clone(),
                phone: l.phone.clone(),
                website: l.website.clone(),
                industry: l.industry.clone(),
                source: None,
                notes: l.notes.clone(),
            };
            let customer_id = parents::insert(tx, ctx, ParentKind::Customer, &customer_fields)?;

            let moved_activities = tx.query_row(
                "SELECT count(*) FROM activities WHERE parent_id = ?1",
                params![lead_id],
                |r| r.get::<i64>(0),
            )? as usize;
            let moved_contacts = tx.execute(
                "UPDATE contacts SET parent_id = ?1, updated_at = ?2, version = version + 1
                 WHERE parent_id = ?3",
                params![customer_id, ctx.now, lead_id],
            )?;
            // Activities on the moved contacts followed them through the foreign key; the
            // lead's own notes and emails go along too, so the customer's timeline is whole.
            tx.execute(
                "UPDATE activities SET parent_id = ?1 WHERE parent_id = ?2 AND contact_id IS NULL",
                params![customer_id, lead_id],
            )?;

            let promoted_contact = super::people::promote_primary(tx, ctx, &lead, customer_id)?
                .and_then(|(id, new)| new.then_some(id));

            tx.execute(
                "UPDATE parents SET converted_to = ?1, updated_at = ?2, version = version + 1
                 WHERE id = ?3",
                params![customer_id, ctx.now, lead_id],
            )?;
            let detail = serde_json::json!({ "customer": customer_id });
            history::record(tx, ctx, "parent", lead_id, "convert", Some(detail), None)?;
            let detail = serde_json::json!({ "lead": lead_id });
            history::record(
                tx,
                ctx,
                "parent",
                customer_id,
                "converted_from",
                Some(detail),
                None,
            )?;
            Ok(Conversion {
                customer_id,
                promoted_contact,
                moved_contacts,
                moved_activities,
            })
        })
    }
}
