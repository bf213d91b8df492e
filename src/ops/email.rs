//! Writing to a contact: the log entry checked first, the email sent (when mail is set up), then
//! logged on the timeline. The steps are separate so that the TUI can send off its drawing
//! thread, between `prepare` and `log`.

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

/// True when the `[mail]` section is complete enough to try sending.
pub fn can_send(config: &MailConfig) -> bool {
    config.check().is_ok()
}

/// The timeline entry for `draft`, already checked against the store: an email is never sent
/// and then refused by the store when it comes to be logged.
pub fn prepare(
    store: &Store,
    parent_id: i64,
    contact_id: Option<i64>,
    draft: &Draft,
) -> Result<NewActivity, StoreError> {
    let entry = NewActivity {
        kind: ActivityKind::Email,
        contact_id,
        subject: Some(draft.subject.clone()).filter(|s| !s.trim().is_empty()),
        body: draft.body.clone(),
        email_to: Some(draft.to.clone()).filter(|s| !s.trim().is_empty()),
        message_id: None,
    };
    store.check_activity(parent_id, &entry)?;
    Ok(entry)
}

/// Stores a prepared entry, with the Message-ID the server gave when it was sent; returns the
/// activity's id.
pub fn log(
    store: &mut Store,
    parent_id: i64,
    mut entry: NewActivity,
    message_id: Option<String>,
) -> Result<i64, StoreError> {
    entry.message_id = message_id;
    store.add_activity(parent_id, &entry)
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
    let entry = prepare(store, parent_id, contact_id, draft)?;
    let message_id = if send {
        Some(mail::send(draft, config)?)
    } else {
        None
    };
    let activity_id = log(store, parent_id, entry, message_id.clone())?;
    Ok(Sent {
        activity_id,
        message_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ContactFields, ParentKind};
    use crate::ops::testing::{parent, temp_store};

    fn draft(to: &str) -> Draft {
        Draft {
            to: to.to_string(),
            to_name: None,
            subject: "Hello".to_string(),
            body: "A word.".to_string(),
        }
    }

    /// Mail settings that point at a port nobody listens on: any attempt to send fails, so a
    /// store error from `send_and_log` shows that no attempt was made.
    fn unreachable_mail() -> MailConfig {
        MailConfig {
            from: "me@example.org".to_string(),
            smtp_host: "127.0.0.1".to_string(),
            smtp_port: 9,
            tls: "none".to_string(),
            timeout_secs: 2,
            ..MailConfig::default()
        }
    }

    fn person(store: &mut Store, parent_id: i64, name: &str) -> i64 {
        let fields = ContactFields {
            full_name: Some(name.to_string()),
            ..Default::default()
        };
        store.add_contact(parent_id, &fields).unwrap()
    }

    #[test]
    fn prepare_refuses_what_the_store_would_refuse_and_nothing_is_sent_or_logged() {
        let (_dir, mut store) = temp_store();
        let acme = parent(&mut store, ParentKind::Lead, "Acme");
        let other = parent(&mut store, ParentKind::Lead, "Globex");
        let elsewhere = person(&mut store, other, "Hank");
        assert!(matches!(
            prepare(&store, acme, None, &draft("not an address")),
            Err(StoreError::Invalid(e)) if e.field == "to"
        ));
        let good = draft("hank@example.org");
        assert!(matches!(
            prepare(&store, acme, Some(elsewhere), &good),
            Err(StoreError::Rule(_))
        ));
        assert!(prepare(&store, other + 100, None, &good).is_err());
        assert!(matches!(
            send_and_log(
                &mut store,
                &unreachable_mail(),
                acme,
                Some(elsewhere),
                &good,
                true
            ),
            Err(EmailError::Store(StoreError::Rule(_)))
        ));
        for p in [acme, other] {
            assert!(store.list_activities(p, None).unwrap().is_empty());
        }
    }

    #[test]
    fn a_failed_send_logs_nothing_and_a_logged_one_keeps_its_message_id() {
        let (_dir, mut store) = temp_store();
        let acme = parent(&mut store, ParentKind::Lead, "Acme");
        let bob = person(&mut store, acme, "Bob");
        let d = draft("bob@example.org");
        assert!(matches!(
            send_and_log(&mut store, &unreachable_mail(), acme, Some(bob), &d, true),
            Err(EmailError::Mail(_))
        ));
        assert!(store.list_activities(acme, None).unwrap().is_empty());

        let entry = prepare(&store, acme, Some(bob), &d).unwrap();
        let id = log(&mut store, acme, entry, Some("<1@example.org>".to_string())).unwrap();
        let logged = store.list_activities(acme, None).unwrap();
        assert_eq!(logged.len(), 1);
        assert_eq!(logged[0].id, id);
        assert_eq!(logged[0].kind, ActivityKind::Email);
        assert_eq!(logged[0].contact_id, Some(bob));
        assert_eq!(logged[0].message_id.as_deref(), Some("<1@example.org>"));
        assert_eq!(logged[0].email_to.as_deref(), Some("bob@example.org"));

        let sent = send_and_log(&mut store, &unreachable_mail(), acme, None, &d, false).unwrap();
        assert_eq!(sent.message_id, None);
        assert_eq!(store.list_activities(acme, None).unwrap().len(), 2);
    }
}
