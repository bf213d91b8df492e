//! Adding and changing leads, customers, contacts and notes.

use super::{Env, Outcome};
use crate::cli::{
    CompanyFlags, ContactCommand, ContactRest, CustomerCommand, LeadCommand, LeadFlags,
};
use crate::domain::{ContactFields, NewActivity, ParentFields, ParentKind, Status};
use crate::store::Store;
use anyhow::{bail, Result};

/// A flag left out keeps the old value; a flag given empty clears it.
fn merge(old: &mut Option<String>, new: Option<String>) {
    if let Some(v) = new {
        *old = Some(v).filter(|s| !s.trim().is_empty());
    }
}

/// The flags every lead and customer has; see [`merge`].
fn apply(f: &mut ParentFields, flags: CompanyFlags) {
    merge(&mut f.email, flags.email);
    merge(&mut f.phone, flags.phone);
    merge(&mut f.website, flags.website);
    merge(&mut f.industry, flags.industry);
    merge(&mut f.notes, flags.notes);
}

fn apply_lead(f: &mut ParentFields, flags: LeadFlags) {
    merge(&mut f.contact_name, flags.contact_name);
    merge(&mut f.source, flags.source);
    apply(f, flags.company);
}

fn add(
    store: &mut Store,
    kind: ParentKind,
    name: String,
    flags: impl FnOnce(&mut ParentFields),
) -> Result<Outcome> {
    let mut f = ParentFields {
        name,
        ..Default::default()
    };
    flags(&mut f);
    let id = store.add_parent(kind, &f)?;
    Ok(Outcome::ok(format!("{id}\n")))
}

/// `kith lead edit` and `kith customer edit`: each only for its own kind, because the flags a
/// lead takes are not a customer's.
fn edit(
    store: &mut Store,
    kind: ParentKind,
    reference: &str,
    name: Option<String>,
    flags: impl FnOnce(&mut ParentFields),
) -> Result<Outcome> {
    let p = store.resolve_parent(reference)?;
    if p.kind != kind {
        bail!(
            "#{} {} is a {}; use `kith {} edit`",
            p.id,
            p.fields.name,
            p.kind,
            p.kind
        );
    }
    // The flags apply to the record as it is when the write begins: another process's change
    // to other fields since the lookup above is kept, not a conflict.
    store.edit_parent(p.id, |now| {
        let mut f = now.fields.clone();
        if let Some(name) = name {
            f.name = name;
        }
        flags(&mut f);
        f
    })?;
    Ok(Outcome::ok(format!("{}\n", p.id)))
}

pub fn lead(env: &Env, command: LeadCommand) -> Result<Outcome> {
    let mut store = env.open()?;
    match command {
        LeadCommand::Add { name, fields } => add(&mut store, ParentKind::Lead, name, |f| {
            apply_lead(f, fields)
        }),
        LeadCommand::Edit {
            reference,
            name,
            fields,
        } => edit(&mut store, ParentKind::Lead, &reference, name, |f| {
            apply_lead(f, fields)
        }),
        LeadCommand::CopyContact { reference } => {
            let p = store.resolve_parent(&reference)?;
            let (id, new) = crate::ops::people::copy_lead_contact(&mut store, p.id)?;
            Ok(Outcome::ok(if new {
                format!("{id}\n")
            } else {
                format!("{id} (already a contact)\n")
            }))
        }
        LeadCommand::Status {
            reference,
            status,
            reason,
        } => {
            let p = store.resolve_parent(&reference)?;
            let Some(st) = Status::parse(&status) else {
                bail!(
                    "status: {status:?} is not a lead status; use one of {}",
                    Status::PIPELINE.map(|s| s.key()).join(", ")
                );
            };
            store.set_status_now(p.id, st, Some(&reason))?;
            Ok(Outcome::ok(format!("{} {}\n", p.id, st.label())))
        }
    }
}

pub fn customer(env: &Env, command: CustomerCommand) -> Result<Outcome> {
    let mut store = env.open()?;
    let set = |store: &mut Store,
               reference: &str,
               st: Status,
               reason: Option<String>|
     -> Result<Outcome> {
        let p = store.resolve_parent(reference)?;
        store.set_status_now(p.id, st, reason.as_deref())?;
        Ok(Outcome::ok(format!("{} {}\n", p.id, st.label())))
    };
    match command {
        CustomerCommand::Add { name, fields } => {
            add(&mut store, ParentKind::Customer, name, |f| apply(f, fields))
        }
        CustomerCommand::Edit {
            reference,
            name,
            fields,
        } => edit(&mut store, ParentKind::Customer, &reference, name, |f| {
            apply(f, fields)
        }),
        CustomerCommand::Archive { reference, reason } => {
            set(&mut store, &reference, Status::Archived, reason)
        }
        CustomerCommand::Unarchive { reference, reason } => {
            set(&mut store, &reference, Status::Active, reason)
        }
    }
}

fn apply_rest(f: &mut ContactFields, rest: ContactRest) {
    merge(&mut f.last_name, rest.last);
    merge(&mut f.full_name, rest.full_name);
    if let Some(email) = rest.email {
        f.set_email(Some(email));
    }
    if let Some(phone) = rest.phone {
        f.set_phone(Some(phone));
    }
    merge(&mut f.title, rest.title);
    merge(&mut f.notes, rest.notes);
    if let Some(tags) = rest.tags {
        f.tags = tags
            .split(',')
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
    }
}

pub fn contact(env: &Env, command: ContactCommand) -> Result<Outcome> {
    let mut store = env.open()?;
    match command {
        ContactCommand::Add {
            parent,
            first,
            fields,
        } => {
            let p = store.resolve_parent(&parent)?;
            let mut f = ContactFields {
                first_name: Some(first),
                ..Default::default()
            };
            apply_rest(&mut f, fields);
            let id = store.add_contact(p.id, &f)?;
            Ok(Outcome::ok(format!("{id}\n")))
        }
        ContactCommand::Edit {
            id,
            first,
            fields,
            every,
        } => {
            if let Some(days) = every {
                store.set_cadence(id, (days > 0).then_some(i64::from(days)))?;
                if first.is_none() && fields.is_empty() {
                    return Ok(Outcome::ok(format!("{id}\n")));
                }
            }
            // Applied to the contact as it is when the write begins (see `edit`).
            store.edit_contact(id, |c| {
                let mut f = c.fields.clone();
                let names_before = (f.first_name.clone(), f.last_name.clone());
                merge(&mut f.first_name, first);
                let full_given = fields.full_name.is_some();
                apply_rest(&mut f, fields);
                // A full name that was only first + last follows them when they change.
                if !full_given && names_before != (f.first_name.clone(), f.last_name.clone()) {
                    let derived = ContactFields {
                        first_name: names_before.0,
                        last_name: names_before.1,
                        ..Default::default()
                    };
                    if let Ok((d, _)) = derived.validated(None) {
                        if d.full_name == f.full_name {
                            f.full_name = None;
                        }
                    }
                }
                f
            })?;
            Ok(Outcome::ok(format!("{id}\n")))
        }
        ContactCommand::Move {
            id,
            to,
            email,
            phone,
        } => {
            let c = store.contact(id)?;
            let p = store.resolve_parent(&to)?;
            let to = crate::store::MoveTo::Parent(p.id);
            let reach = crate::store::Reach { email, phone };
            let new_id = crate::ops::people::move_contact(&mut store, id, c.version, &to, &reach)?;
            Ok(Outcome::ok(format!("{new_id}\n")))
        }
        ContactCommand::Delete { id } => {
            let c = store.contact(id)?;
            store.delete_contact(id, c.version)?;
            Ok(Outcome::ok(format!(
                "deleted contact #{id} {}\n",
                c.full_name()
            )))
        }
    }
}

pub fn note(env: &Env, parent: &str, text: &str, contact: Option<i64>) -> Result<Outcome> {
    let mut store = env.open()?;
    let p = store.resolve_parent(parent)?;
    let id = store.add_activity(p.id, &NewActivity::note(contact, text))?;
    Ok(Outcome::ok(format!("{id}\n")))
}

pub fn convert(env: &Env, lead: &str) -> Result<Outcome> {
    let mut store = env.open()?;
    let p = store.resolve_parent(lead)?;
    let done = crate::ops::convert::convert(&mut store, p.id, Some(p.version))?;
    Ok(Outcome::ok(format!("{}\n", done.customer_id)))
}
