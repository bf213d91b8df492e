//! What saving a form means: each purpose's write through the store and `ops`, what to select
//! afterwards, and, after a conflict, the record as it is stored now and where it differs.

use super::fields::{self, Purpose};
use super::Form;
use crate::domain::NewActivity;
use crate::mail::{Draft, MailConfig};
use crate::ops;
use crate::store::{Store, StoreError};
use crate::tui::msg::Outgoing;

type Result<T> = std::result::Result<T, StoreError>;

/// Which row to select once a save has reloaded the views.
pub enum Select {
    Nothing,
    Contact(i64),
    Parent(i64),
}

/// What saving a form came to.
pub enum Saved {
    Done {
        message: String,
        select: Select,
    },
    /// An email checked against the store, to be sent off the drawing path.
    Send(Box<Outgoing>),
}

/// Writes what the form says; the store's rules decide whether it may.
pub fn save(store: &mut Store, mail: &MailConfig, form: &Form) -> Result<Saved> {
    let done = |message: String, select| Saved::Done { message, select };
    Ok(match form.purpose.clone() {
        Purpose::NewContact { parent_id } => {
            let id = store.add_contact(parent_id, &fields::contact_values(form))?;
            done(format!("Added contact #{id}"), Select::Contact(id))
        }
        Purpose::EditContact { id, version } => {
            store.update_contact(id, version, &fields::contact_values(form))?;
            done(format!("Saved contact #{id}"), Select::Nothing)
        }
        Purpose::NewParent { kind } => {
            let id = store.add_parent(kind, &fields::parent_values(form))?;
            done(format!("Added {kind} #{id}"), Select::Parent(id))
        }
        Purpose::EditParent { id, version, .. } => {
            store.update_parent(id, version, &fields::parent_values(form))?;
            done(format!("Saved #{id}"), Select::Nothing)
        }
        Purpose::Note {
            parent_id,
            contact_id,
        } => {
            store.add_activity(parent_id, &NewActivity::note(contact_id, &form.get("body")))?;
            done("Note added".to_string(), Select::Nothing)
        }
        Purpose::Email {
            parent_id,
            contact_id,
        } => {
            let to_name = contact_id
                .and_then(|id| store.contact(id).ok())
                .map(|c| c.full_name().to_string());
            let draft = Draft {
                to: form.get("to"),
                to_name,
                subject: form.get("subject"),
                body: form.get("body"),
            };
            let entry = ops::email::prepare(store, parent_id, contact_id, &draft)?;
            if ops::email::can_send(mail) {
                return Ok(Saved::Send(Box::new(Outgoing {
                    parent_id,
                    draft,
                    entry,
                })));
            }
            ops::email::log(store, parent_id, entry, None)?;
            done(
                "Email logged (sending is not set up in [mail])".to_string(),
                Select::Nothing,
            )
        }
        Purpose::StatusReason {
            parent_id,
            version,
            status,
        } => {
            store.set_status(parent_id, version, status, Some(&form.get("reason")))?;
            done(format!("Status: {}", status.label()), Select::Nothing)
        }
        Purpose::MoveContact {
            contact_id,
            version,
            to,
            person,
            company,
        } => {
            let reach = crate::store::Reach {
                email: form.opt("email"),
                phone: form.opt("phone"),
            };
            let new_id = ops::people::move_contact(store, contact_id, version, &to, &reach)?;
            done(
                format!("{person} moved on to {company} (new contact #{new_id})"),
                Select::Nothing,
            )
        }
        Purpose::Cadence { contact_id } => {
            let days = fields::cadence_value(form)?;
            store.set_cadence(contact_id, days)?;
            let said = match days {
                Some(d) => format!("Keep in touch every {d} days"),
                None => "Cadence cleared".to_string(),
            };
            done(said, Select::Nothing)
        }
    })
}

/// The edit form filled from the record as it is stored now; None for forms that create.
pub fn stored_form(store: &Store, purpose: &Purpose) -> Option<Result<Form>> {
    Some(match *purpose {
        Purpose::EditContact { id, .. } => store.contact(id).map(|c| {
            let purpose = Purpose::EditContact {
                id,
                version: c.version,
            };
            fields::contact_form(&c.parent_name, purpose, Some(&c))
        }),
        Purpose::EditParent { id, kind, .. } => store
            .parent(id)
            .map(|p| fields::parent_form(kind, Some(&p))),
        _ => return None,
    })
}

/// Fields where the stored record and the form disagree, for the conflict dialog.
pub fn differences(store: &Store, form: &Form) -> Vec<(&'static str, String, String)> {
    let stored = match stored_form(store, &form.purpose) {
        Some(Ok(stored)) => stored,
        _ => return Vec::new(),
    };
    form.fields
        .iter()
        .filter_map(|f| {
            let theirs = stored.get(f.key);
            let yours = f.value();
            (theirs.trim() != yours.trim()).then_some((f.label, theirs, yours))
        })
        .collect()
}
