//! What happens to people over time: a lead's contact name becoming a Contact, and a person
//! moving on to another company.

use super::db::{params, Db, Optional};
use super::error::{Result, StoreError};
use super::history;
use super::{contacts, parents, Store};
use crate::domain::{ContactFields, Labeled, ParentFields, ParentKind};

/// Where a person moves to: a lead or customer that exists, or one to make on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveTo {
    Parent(i64),
    NewParent(ParentKind, String),
}

/// How to reach a person at their new job, if known: it goes first, the old job's addresses
/// and numbers after it, marked as the old job's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A person's addresses (or numbers) at a new job: the new one first and preferred, then the
/// personal ones (home, mobile) as they were, then the old job's, none preferred, labelled
/// "old: <company>".
fn at_new_job(new: Option<&str>, old: &[Labeled], company: &str) -> (Option<String>, Vec<Labeled>) {
    let new = new.map(str::trim).filter(|v| !v.is_empty());
    let personal = |l: &Labeled| matches!(l.label.as_deref(), Some("home" | "mobile"));
    let mut all: Vec<Labeled> = new
        .map(|v| Labeled::new(v, Some("work"), true))
        .into_iter()
        .collect();
    let kept = old.iter().filter(|l| personal(l)).cloned();
    let demoted = old.iter().filter(|l| !personal(l)).map(|l| Labeled {
        value: l.value.clone(),
        label: Some(format!("old: {company}")),
        preferred: false,
    });
    for l in kept.chain(demoted) {
        if !all.iter().any(|a| a.value.eq_ignore_ascii_case(&l.value)) {
            all.push(Labeled {
                preferred: false,
                ..l
            });
        }
    }
    (new.map(str::to_string), all)
}

/// Makes the lead's contact name (with the lead's email and phone) a Contact of `parent_id`,
/// unless a contact there already has that email (or, without an email, that name). Returns
/// the contact's id and whether it is new; None when the lead has no contact name.
pub(crate) fn promote_primary(
    tx: &Db,
    ctx: &super::Ctx,
    lead: &crate::domain::Parent,
    parent_id: i64,
) -> Result<Option<(i64, bool)>> {
    let l = &lead.fields;
    let Some(name) = l.contact_name.as_deref().filter(|n| !n.trim().is_empty()) else {
        return Ok(None);
    };
    let already: Option<i64> = tx
        .query_row(
            "SELECT id FROM contacts WHERE parent_id = ?1
               AND (email = ?2 COLLATE NOCASE OR (?2 IS NULL AND full_name = ?3 COLLATE NOCASE))
             ORDER BY id LIMIT 1",
            params![parent_id, l.email, name.trim()],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = already {
        return Ok(Some((id, false)));
    }
    let fields = ContactFields {
        email: l.email.clone(),
        phone: l.phone.clone(),
        ..ContactFields::from_full_name(name)
    };
    Ok(Some((contacts::insert(tx, ctx, parent_id, &fields)?, true)))
}

impl Store {
    /// Copies a lead's contact name, email and phone into a Contact of that lead (the one action
    /// after research or a first reply). Returns the contact's id: the new one, or the one that
    /// already had that email.
    pub fn promote_lead_contact(&mut self, lead_id: i64) -> Result<(i64, bool)> {
        self.write(|tx, ctx| {
            let lead = parents::load_open(tx, lead_id)?;
            if lead.kind != ParentKind::Lead {
                return Err(StoreError::Rule(format!(
                    "#{lead_id} {} is a customer; only a lead has a contact name to copy",
                    lead.fields.name
                )));
            }
            promote_primary(tx, ctx, &lead, lead_id)?.ok_or_else(|| {
                StoreError::Rule(format!(
                    "lead #{lead_id} {} has no contact name to copy",
                    lead.fields.name
                ))
            })
        })
    }

    /// A person moved to another company: a new contact there with the person's details (the
    /// title and notes stay with the old job; `reach` goes first, the old job's addresses after
    /// it, marked so), the old contact marked as moved on and linked to the new one, and the
    /// old company's primary person, if it was them, the next of its people. Both keep their
    /// history. A company to make on the way is made in the same transaction. Returns the new
    /// contact's id.
    pub fn move_contact(
        &mut self,
        contact_id: i64,
        version: i64,
        to: &MoveTo,
        reach: &Reach,
    ) -> Result<i64> {
        self.write(|tx, ctx| {
            let new_parent_id = match to {
                MoveTo::Parent(id) => *id,
                MoveTo::NewParent(kind, name) => {
                    let fields = ParentFields {
                        name: name.clone(),
                        ..Default::default()
                    };
                    parents::insert(tx, ctx, *kind, &fields)?
                }
            };
            let old = contacts::load(tx, contact_id)?;
            if old.version != version {
                return Err(StoreError::Conflict {
                    what: "contact",
                    id: contact_id,
                    expected: version,
                    current: old.version,
                });
            }
            if let Some(to) = old.moved_to {
                return Err(StoreError::Rule(format!(
                    "{} already moved on (to contact #{to})",
                    old.full_name()
                )));
            }
            if old.parent_id == new_parent_id {
                return Err(StoreError::Rule(format!(
                    "{} is already at {}",
                    old.full_name(),
                    old.parent_name
                )));
            }
            // The new job is a record of its own: its UID is new, the old one stays with the old.
            let company = &old.parent_name;
            let (email, emails) = at_new_job(reach.email.as_deref(), &old.fields.emails, company);
            let (phone, phones) = at_new_job(reach.phone.as_deref(), &old.fields.phones, company);
            let fields = ContactFields {
                title: None,
                notes: None,
                uid: None,
                email,
                emails,
                phone,
                phones,
                ..old.fields.clone()
            };
            let new_id = contacts::insert(tx, ctx, new_parent_id, &fields)?;
            tx.execute(
                "UPDATE contacts SET moved_to = ?1, updated_at = ?2, version = version + 1 WHERE id = ?3",
                params![new_id, ctx.now, contact_id],
            )?;
            // A lead that named them as its person names the next of its people, or nobody.
            let next: Option<String> = tx
                .query_row(
                    "SELECT full_name FROM contacts WHERE parent_id = ?1 AND moved_to IS NULL
                     ORDER BY id LIMIT 1",
                    params![old.parent_id],
                    |r| r.get(0),
                )
                .optional()?;
            tx.execute(
                "UPDATE parents SET contact_name = ?1, version = version + 1
                  WHERE id = ?2 AND contact_name = ?3",
                params![next, old.parent_id, old.full_name()],
            )?;
            contacts::touch_parent(tx, ctx, old.parent_id)?;
            let detail = serde_json::json!({ "to_contact": new_id, "to_parent": new_parent_id });
            history::record(tx, ctx, "contact", contact_id, "moved_on", Some(detail), None)?;
            let detail = serde_json::json!({ "from_contact": contact_id, "from_parent": old.parent_id });
            history::record(tx, ctx, "contact", new_id, "moved_from", Some(detail), None)?;
            Ok(new_id)
        })
    }

    /// The contact a person was before they moved here, if they moved.
    pub fn moved_from(&self, contact_id: i64) -> Result<Option<crate::domain::Contact>> {
        let id: Option<i64> = self
            .conn()
            .query_row(
                "SELECT id FROM contacts WHERE moved_to = ?1",
                params![contact_id],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| self.contact(id)).transpose()
    }
}

/// What research found for a lead, to be stored where the lead has nothing yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResearchFill {
    pub website: Option<String>,
    pub contact_name: Option<String>,
    pub email: Option<String>,
    pub description: Option<String>,
}

/// What storing a research finding did: the fields it filled, and those it left alone because a
/// person had typed something there (field, what is there, what was found).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResearchApplied {
    pub filled: Vec<(&'static str, String)>,
    pub kept: Vec<(&'static str, String, String)>,
}

impl Store {
    /// Stores a research finding on a lead, only in its empty fields (the description goes to
    /// empty notes); never over what a person typed. Invalid found values are dropped, not
    /// stored.
    pub fn apply_research(
        &mut self,
        lead_id: i64,
        found: &ResearchFill,
    ) -> Result<ResearchApplied> {
        let (lead_id, version, mut fields) = {
            let p = self.parent(lead_id)?;
            (p.id, p.version, p.fields)
        };
        let mut applied = ResearchApplied::default();
        let slots: [(&'static str, &mut Option<String>, &Option<String>); 4] = [
            ("website", &mut fields.website, &found.website),
            (
                "contact_name",
                &mut fields.contact_name,
                &found.contact_name,
            ),
            ("email", &mut fields.email, &found.email),
            ("notes", &mut fields.notes, &found.description),
        ];
        for (name, slot, value) in slots {
            let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
                continue;
            };
            match slot.as_deref() {
                None => {
                    *slot = Some(value.to_string());
                    applied.filled.push((name, value.to_string()));
                }
                Some(typed) if !typed.eq_ignore_ascii_case(value) => {
                    applied
                        .kept
                        .push((name, typed.to_string(), value.to_string()))
                }
                Some(_) => {}
            }
        }
        if applied.filled.is_empty() {
            return Ok(applied);
        }
        // A found value that breaks an input rule is left out rather than failing the lot.
        while let Err(e) = fields.validated(ParentKind::Lead, None) {
            if !applied.filled.iter().any(|(f, _)| *f == e.field) {
                return Err(e.into());
            }
            applied.filled.retain(|(f, _)| *f != e.field);
            match e.field {
                "website" => fields.website = None,
                "contact_name" => fields.contact_name = None,
                "email" => fields.email = None,
                "notes" => fields.notes = None,
                _ => return Err(e.into()),
            }
            if applied.filled.is_empty() {
                return Ok(applied);
            }
        }
        self.update_parent(lead_id, version, &fields)?;
        Ok(applied)
    }
}
