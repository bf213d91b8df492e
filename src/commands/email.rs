//! `kith email`: write to a contact, from the command line.

use super::{Env, Outcome};
use crate::mail::Draft;
use crate::ops::email::send_and_log;

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
