//! Logging mail from a mail client (`kith log`): a message is one email on the timeline of each
//! lead or customer with someone of kith's in it, naming all of them there, at the date of the
//! message, once. Asked to add the people kith does not know, it never adds a mailing list, a
//! robot, the user, or an address kith cannot keep.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use crate::domain::likeness::{email_domain, is_free_mail};
use crate::domain::mailbox::{is_address_of_list_id, not_a_person};
use crate::domain::touch::Direction;
use crate::domain::validate::{self, MAX_NAME, MAX_SHORT};
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

/// An address kith does not know and never adds as a person, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub address: String,
    pub why: String,
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
    /// Addresses kith does not know and would add if asked, left alone.
    pub unknown: Vec<String>,
    /// Addresses kith does not know and never adds: a mailing list, a robot, the mailbox it
    /// was delivered to, everyone of an automatic message.
    pub left_out: Vec<LeftOut>,
    /// What the user should hear of: an address kith cannot keep, a date it would not take.
    pub warnings: Vec<String>,
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
    /// (where, what) the user should hear of, of messages that were read.
    pub warnings: Vec<(String, String)>,
    /// Every address left out, once, in the order met.
    pub left_out: Vec<LeftOut>,
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

/// At most `max` characters of `s`, cut between clusters.
fn cut(s: &str, max: usize) -> String {
    crate::display::take_chars(s, max).to_string()
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

/// The earliest date a message kith logs can have: older is a wrong clock or a made-up header.
fn earliest() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

/// When the message goes on the timeline: its date, unless that is no time it can have been
/// sent (before 1970, or more than a day after `now`: a wrong clock, or `31 Dec 9999`), or no
/// date at all; then its arrival, `now`, said in `warnings` when the header was there.
fn when(m: &Incoming, now: DateTime<Utc>, warnings: &mut Vec<String>) -> String {
    let stamp = |d: DateTime<Utc>| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let header = || {
        m.date_text
            .as_deref()
            .map(|t| format!("Date: {t}"))
            .unwrap_or_else(|| "its Date".to_string())
    };
    let why = match m.date {
        Some(d) if d >= earliest() && d <= now + chrono::Duration::days(1) => return stamp(d),
        Some(d) if d < earliest() => "is before 1970",
        Some(_) => "is in the future",
        None if m.date_text.is_some() => "is no date",
        None => return stamp(now),
    };
    warnings.push(format!(
        "{} {why}: logged at its arrival, {}",
        header(),
        stamp(now)
    ));
    stamp(now)
}

/// Why kith never adds `a` of message `m` as a person, when it does not: `lists` are the list
/// addresses met in the mailbox being logged.
fn never_added(a: &Address, m: &Incoming, lists: &HashSet<String>) -> Option<String> {
    let address = a.email.to_lowercase();
    let o = &m.origin;
    let of_list = o
        .list_addresses
        .iter()
        .chain(&o.list_post)
        .any(|l| l.eq_ignore_ascii_case(&address))
        || lists.contains(&address)
        || o.list_id
            .as_deref()
            .is_some_and(|id| is_address_of_list_id(&address, id));
    if of_list {
        return Some("a mailing list".to_string());
    }
    if let Some(kind) = not_a_person(&address) {
        return Some(kind.describe().to_string());
    }
    if o.delivered_to
        .iter()
        .any(|d| d.eq_ignore_ascii_case(&address))
    {
        return Some("the mailbox it was delivered to".to_string());
    }
    if let Some(header) = &o.automatic {
        return Some(format!("in an automatic message: {header}"));
    }
    // A list that names no address to post to is a newsletter or an announcement list: its
    // mail is sent by a machine to everyone in it.
    match (&o.list, &o.list_post) {
        (Some(header), None) => Some(format!("in a list's mail that takes no posts: {header}")),
        _ => None,
    }
}

/// Whether kith can keep `address` as a contact's: why not, naming it, when it cannot.
fn keepable(address: &str) -> std::result::Result<(), String> {
    if address.contains('"') {
        return Err(format!(
            "{address:?}: kith keeps no address with a quoted part before @"
        ));
    }
    validate::email("email", address)
        .map(|_| ())
        .map_err(|e| e.message)
}

/// The fields of a contact for a person kith meets in a message, made to pass kith's rules:
/// their name as the message gives it (cut to fit), else one made from their address. The
/// address must be one kith can keep; why not, when it is not.
fn new_contact(b: &Batch, a: &Address) -> std::result::Result<ContactFields, String> {
    let named = a
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| cut(n, MAX_NAME));
    let from_address = cut(&name_from_address(&a.email), MAX_NAME);
    let mut why = String::new();
    for name in named.iter().chain([&from_address]) {
        let fields = ContactFields {
            email: Some(a.email.clone()),
            ..ContactFields::from_full_name(name)
        };
        match b.check_contact(&fields) {
            Ok(_) => return Ok(fields),
            Err(StoreError::Invalid(e)) if e.field == "email" => return Err(e.message),
            Err(e) => why = e.to_string(),
        }
    }
    Err(why)
}

/// Logs one message inside a batch; see [`log`]. `lists` are the list addresses met in the
/// mailbox being logged; `now` is when it arrived.
pub fn log_in(
    b: &mut Batch,
    m: &Incoming,
    options: &LogOptions,
    lists: &HashSet<String>,
    now: DateTime<Utc>,
) -> Result<Logged> {
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
    let mut out = Logged {
        direction: Some(direction),
        ..Logged::default()
    };
    let message_id = m.message_id.clone().unwrap_or_else(|| made_up_id(m));
    let at = when(m, now, &mut out.warnings);
    let to: Vec<String> = m.to.iter().map(shown).collect();
    let to = (!to.is_empty()).then(|| cut(&to.join(", "), 1000));
    let subject = m.subject.as_deref().map(|s| cut(s, MAX_SHORT));
    let author = m.from.first().map(shown).unwrap_or_default();
    let body = if m.body.trim().is_empty() {
        "(no text)"
    } else {
        m.body.as_str()
    };
    for a in people {
        let found = b.contact_by_address(&a.email)?;
        let (contact_id, parent_id, added) = match found {
            Some((c, p)) => (c, p, false),
            None => {
                if let Err(why) = keepable(&a.email) {
                    out.warnings.push(format!("left out {why}"));
                    continue;
                }
                if let Some(why) = never_added(a, m, lists) {
                    out.left_out.push(LeftOut {
                        address: a.email.clone(),
                        why,
                    });
                    continue;
                }
                if !options.add_unknown {
                    out.unknown.push(a.email.clone());
                    continue;
                }
                let fields = match new_contact(b, a) {
                    Ok(fields) => fields,
                    Err(why) => {
                        out.warnings.push(format!(
                            "left out {}, whom kith cannot keep: {why}",
                            a.email
                        ));
                        continue;
                    }
                };
                let parent = home_for(b, &a.email)?;
                (b.add_contact(parent, &fields)?, parent, true)
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
        match b.email_on_timeline(&message_id, parent_id)? {
            Some(email) => b.add_to_email(email, contact_id)?,
            None => {
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
            }
        }
        if added {
            out.added.push(person.clone());
        }
        out.logged.push(person);
    }
    Ok(out)
}

/// Logs one message: one email on the timeline of each lead or customer with someone in its
/// From, To and Cc whom kith knows (by any of their addresses; never the user), or adds with
/// `add_unknown`. Sent when it is from one of the user's addresses, else received. One
/// transaction.
pub fn log(store: &mut Store, m: &Incoming, options: &LogOptions) -> Result<Logged> {
    let now = crate::clock::now();
    store.batch(|b| log_in(b, m, options, &HashSet::new(), now))
}

/// The list addresses the messages of a mailbox name in their headers: a list is a list in
/// every message of it, those whose list headers a forwarder or an archive took off too.
fn lists_of(messages: &[(String, std::result::Result<Incoming, String>)]) -> HashSet<String> {
    messages
        .iter()
        .filter_map(|(_, m)| m.as_ref().ok())
        .flat_map(|m| m.origin.list_addresses.iter().chain(&m.origin.list_post))
        .map(|a| a.to_lowercase())
        .collect()
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
    let now = crate::clock::now();
    let lists = lists_of(&messages);
    // Addresses logged for someone somewhere in the mailbox: not "left out" for a message in
    // which they were.
    let mut met: HashSet<String> = HashSet::new();
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
                    Ok(m) => match b.savepoint(|b| log_in(b, m, options, &lists, now)) {
                        Ok(l) => Ok((place, l)),
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
                Ok((place, l)) => {
                    for w in l.warnings {
                        report.warnings.push((place.clone(), w));
                    }
                    for left in l.left_out {
                        if !report
                            .left_out
                            .iter()
                            .any(|o| o.address.eq_ignore_ascii_case(&left.address))
                        {
                            report.left_out.push(left);
                        }
                    }
                    for p in l.logged.iter().chain(&l.already) {
                        met.insert(p.address.to_lowercase());
                    }
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
    report
        .left_out
        .retain(|l| !met.contains(&l.address.to_lowercase()));
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
