//! Writing to a contact: send the email (when mail is set up) and log it on the timeline.

use super::{Env, Outcome};
use crate::domain::{ActivityKind, NewActivity};
use crate::mail::{self, Draft, MailConfig, MailError};
use crate::store::{Store, StoreError};

/// Why an email was neither sent nor logged; the draft is the caller's to keep.
#[derive(Debug, thiserror::Error)]
pub enum EmailError {
    #[error(transparent)]
    Mail(#[from] MailError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The outcome of `send_and_log`: the activity logged and the Message-ID when it was sent.
pub struct Sent {
    pub activity_id: i64,
    pub message_id: Option<String>,
}

/// Sends `draft` when `send` is true (failing without logging anything when it cannot be sent),
/// then logs it on the parent's timeline, attached to the contact, with its Message-ID.
pub fn send_and_log(
    store: &mut Store,
    config: &MailConfig,
    parent_id: i64,
    contact_id: Option<i64>,
    draft: &Draft,
    send: bool,
) -> Result<Sent, EmailError> {
    // The log entry is checked first, so that an email is not sent and then refused by the store.
    let mut entry = NewActivity {
        kind: ActivityKind::Email,
        contact_id,
        subject: Some(draft.subject.clone()).filter(|s| !s.trim().is_empty()),
        body: draft.body.clone(),
        email_to: Some(draft.to.clone()).filter(|s| !s.trim().is_empty()),
        message_id: None,
    };
    store.check_activity(parent_id, &entry)?;
    if send {
        entry.message_id = Some(mail::send(draft, config)?);
    }
    let activity_id = store.add_activity(parent_id, &entry)?;
    Ok(Sent {
        activity_id,
        message_id: entry.message_id,
    })
}

/// True when the `[mail]` section is complete enough to try sending.
pub fn can_send(config: &MailConfig) -> bool {
    config.check().is_ok()
}

pub fn email(
    env: &Env,
    parent: &str,
    contact: Option<i64>,
    to: Option<String>,
    subject: &str,
    body: &str,
    log_only: bool,
) -> anyhow::Result<Outcome> {
    let mut store = env.open()?;
    let p = store.resolve_parent(parent)?;
    let person = match contact {
        Some(id) => Some(store.contact(id)?),
        None => None,
    };
    let to = match to.or_else(|| person.as_ref().and_then(|c| c.fields.email.clone())) {
        Some(to) => to,
        None => anyhow::bail!("to: no address; give --to or a --contact that has an email"),
    };
    let draft = Draft {
        to,
        to_name: person.as_ref().map(|c| c.full_name().to_string()),
        subject: subject.to_string(),
        body: body.to_string(),
    };
    if !log_only {
        env.config.mail.check()?;
    }
    let sent = send_and_log(
        &mut store,
        &env.config.mail,
        p.id,
        contact,
        &draft,
        !log_only,
    )?;
    Ok(Outcome::ok(match sent.message_id {
        Some(id) => format!("sent {id}; logged as #{}\n", sent.activity_id),
        None => format!("logged as #{} (not sent)\n", sent.activity_id),
    }))
}
