//! Logging mail from a mail client (`kith log`): each message lands on the timeline of every
//! person in it whom kith knows (or adds, when asked), at the date of the message, once.

use crate::domain::likeness::{email_domain, is_free_mail};
use crate::domain::touch::Direction;
use crate::domain::validate::MAX_SHORT;
use crate::domain::{ContactFields, ParentFields, ParentKind};
use crate::inbox::{Address, Incoming};
use crate::store::{Batch, LoggedEmail, Result, Store, StoreError};

/// Whose mail it is and what to do with strangers.
#[derive(Debug, Clone, Default)]
pub struct LogOptions {
    /// The user's own addresses (`mail.from` and `log.me`).
    pub me: Vec<String>,
    /// Add an address kith does not know as a contact.
    pub add_unknown: bool,
}

impl LogOptions {
    fn is_me(&self, address: &str) -> bool {
        self.me.iter().any(|m| m.eq_ignore_ascii_case(address))
    }
}

/// A person a message was logged for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub contact_id: i64,
    pub address: String,
}

/// What logging one message did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Logged {
    /// Logged on these people's timelines now.
    pub logged: Vec<Person>,
    /// Their timelines had it already (the same Message-ID).
    pub already: Vec<Person>,
    /// Added as contacts to log it (with `add_unknown`).
    pub added: Vec<Person>,
    /// Addresses kith does not know, left alone.
    pub unknown: Vec<String>,
    pub direction: Option<Direction>,
}

/// What logging a mailbox did, message by message.
#[derive(Debug, Default)]
pub struct LogReport {
    pub messages: usize,
    pub logged: usize,
    pub already: usize,
    pub added: usize,
    /// Messages with nobody kith knows in them.
    pub nobody: usize,
    /// (where, why) of messages that could not be read.
    pub bad: Vec<(String, String)>,
}

/// A Message-ID for a message without one, from what it says, so that logging it twice still
/// logs it once.
fn made_up_id(m: &Incoming) -> String {
    // FNV-1a: stable across runs and builds, which std's hasher does not promise.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let date = m.date.map(|d| d.to_rfc3339()).unwrap_or_default();
    let from = m.from.first().map(|a| a.email.as_str()).unwrap_or("");
    for part in [
        date.as_str(),
        from,
        m.subject.as_deref().unwrap_or(""),
        &m.body,
    ] {
        for b in part.bytes().chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("kith-{h:016x}@no-message-id")
}

fn shown(a: &Address) -> String {
    match &a.name {
        Some(n) if !n.trim().is_empty() => format!("{n} <{}>", a.email),
        _ => a.email.clone(),
    }
}

/// At most `max` characters of `s`, cut on a character.
fn cut(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// "ada.lovelace" is "Ada Lovelace": a name for a person known only by their address.
fn name_from_address(address: &str) -> String {
    let local = address.split('@').next().unwrap_or(address);
    let words: Vec<String> = local
        .split(['.', '_', '-', '+'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
        .collect();
    if words.is_empty() {
        address.to_string()
    } else {
        words.join(" ")
    }
}

/// Where a new person at `address` belongs: the company with their domain, else a new lead
/// named after it; Unfiled for a free-mail address.
fn home_for(b: &mut Batch, address: &str) -> Result<i64> {
    let domain = email_domain(address).filter(|d| !is_free_mail(d));
    let Some(domain) = domain else {
        return match b.parent_named(super::import::UNFILED)? {
            Some(id) => Ok(id),
            None => b.add_parent(
                ParentKind::Lead,
                &ParentFields {
                    name: super::import::UNFILED.to_string(),
                    ..Default::default()
                },
            ),
        };
    };
    if let Some(id) = b.parent_by_domain(&domain)? {
        return Ok(id);
    }
    if let Some(id) = b.parent_named(&domain)? {
        return Ok(id);
    }
    b.add_parent(
        ParentKind::Lead,
        &ParentFields {
            name: domain.clone(),
            website: Some(domain),
            ..Default::default()
        },
    )
}

/// Logs one message inside a batch; see [`log`].
pub fn log_in(b: &mut Batch, m: &Incoming, options: &LogOptions, now: &str) -> Result<Logged> {
    let sent = m.from.iter().any(|a| options.is_me(&a.email));
    let direction = if sent {
        Direction::Sent
    } else {
        Direction::Received
    };
    let mut seen: Vec<String> = Vec::new();
    let mut people: Vec<&Address> = Vec::new();
    for a in m.from.iter().chain(&m.to).chain(&m.cc) {
        let key = a.email.to_lowercase();
        if options.is_me(&a.email) || seen.contains(&key) {
            continue;
        }
        seen.push(key);
        people.push(a);
    }
    let message_id = m.message_id.clone().unwrap_or_else(|| made_up_id(m));
    let at = m
        .date
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| now.to_string());
    let to: Vec<String> = m.to.iter().map(shown).collect();
    let to = (!to.is_empty()).then(|| cut(&to.join(", "), 1000));
    let subject = m.subject.as_deref().map(|s| cut(s, MAX_SHORT));
    let author = m.from.first().map(shown).unwrap_or_default();
    let body = if m.body.trim().is_empty() {
        "(no text)"
    } else {
        m.body.as_str()
    };
    let mut out = Logged {
        direction: Some(direction),
        ..Logged::default()
    };
    for a in people {
        let found = b.contact_by_address(&a.email)?;
        let (contact_id, parent_id, added) = match found {
            Some((c, p)) => (c, p, false),
            None if options.add_unknown => {
                let parent = home_for(b, &a.email)?;
                let name = a
                    .name
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| name_from_address(&a.email));
                let fields = ContactFields {
                    email: Some(a.email.clone()),
                    ..ContactFields::from_full_name(&name)
                };
                (b.add_contact(parent, &fields)?, parent, true)
            }
            None => {
                out.unknown.push(a.email.clone());
                continue;
            }
        };
        let person = Person {
            contact_id,
            address: a.email.clone(),
        };
        if b.email_logged(&message_id, contact_id)? {
            out.already.push(person);
            continue;
        }
        b.log_email(&LoggedEmail {
            parent_id,
            contact_id,
            subject: subject.as_deref(),
            body,
            to: to.as_deref(),
            message_id: &message_id,
            author: &author,
            at: &at,
            direction,
        })?;
        if added {
            out.added.push(person.clone());
        }
        out.logged.push(person);
    }
    Ok(out)
}

/// Logs one message: on the timeline of every person in its From, To and Cc whom kith knows
/// (by any of their addresses; never the user), or adds with `add_unknown`. Sent when it is
/// from one of the user's addresses, else received. One transaction.
pub fn log(store: &mut Store, m: &Incoming, options: &LogOptions) -> Result<Logged> {
    let now = crate::clock::stamp();
    store.batch(|b| log_in(b, m, options, &now))
}

/// How many messages of a mailbox go into one transaction: few enough that an interrupted run
/// keeps most of its work, many enough that fsync does not dominate.
const PER_TRANSACTION: usize = 500;

/// Logs a mailbox's messages: `messages` yields where each is (for reports) and it parsed, or
/// why not. Bad messages are reported and skipped. `progress` gets (done, total).
pub fn log_all(
    store: &mut Store,
    messages: Vec<(String, std::result::Result<Incoming, String>)>,
    options: &LogOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<LogReport> {
    let total = messages.len();
    let mut report = LogReport::default();
    let now = crate::clock::stamp();
    let mut rest = messages.into_iter().peekable();
    while rest.peek().is_some() {
        let chunk: Vec<_> = rest.by_ref().take(PER_TRANSACTION).collect();
        let done_before = report.messages;
        let results = store.batch(|b| {
            let mut results = Vec::with_capacity(chunk.len());
            for (place, parsed) in &chunk {
                results.push(match parsed {
                    // A message the store refuses is one bad message; a store that cannot be
                    // written (full, locked, read-only) stops the run.
                    Ok(m) => match b.savepoint(|b| log_in(b, m, options, &now)) {
                        Ok(l) => Ok(l),
                        Err(e @ (StoreError::Invalid(_) | StoreError::Rule(_))) => {
                            Err((place.clone(), e.to_string()))
                        }
                        Err(e) => return Err(e),
                    },
                    Err(why) => Err((place.clone(), why.clone())),
                });
            }
            Ok(results)
        })?;
        for r in results {
            report.messages += 1;
            match r {
                Ok(l) => {
                    report.logged += usize::from(!l.logged.is_empty());
                    report.already += usize::from(l.logged.is_empty() && !l.already.is_empty());
                    report.added += l.added.len();
                    report.nobody += usize::from(l.logged.is_empty() && l.already.is_empty());
                }
                Err(bad) => report.bad.push(bad),
            }
        }
        progress(done_before + chunk.len(), total);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_from_an_address() {
        assert_eq!(
            name_from_address("ada.lovelace@example.com"),
            "Ada Lovelace"
        );
        assert_eq!(name_from_address("j_smith+crm@example.com"), "J Smith Crm");
        assert_eq!(name_from_address("@x"), "@x");
    }
}
