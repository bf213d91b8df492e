//! Keeping in touch: who is overdue, most overdue first, and how close each relationship is.

use crate::domain::touch::{days_overdue, due_at, weight, CadenceFrom, Cadences, Direction};
use crate::domain::{Activity, Contact};
use crate::store::{Result, Store};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Someone not been in touch with for longer than their cadence.
#[derive(Debug, Clone)]
pub struct Due {
    pub contact: Contact,
    pub every_days: u32,
    pub from: CadenceFrom,
    pub due_at: DateTime<Utc>,
    pub overdue_days: i64,
    /// The last note or email with them (or their company as a whole), if there was one.
    pub last: Option<Activity>,
}

fn time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Everyone due at `now`, most overdue first (then by name).
pub fn due(store: &Store, cadences: &Cadences, now: DateTime<Utc>) -> Result<Vec<Due>> {
    let mut found: Vec<(i64, u32, CadenceFrom, DateTime<Utc>)> = Vec::new();
    for p in store.people_to_keep_in_touch()? {
        let Some((days, from)) = cadences.of(p.every_days, &p.tags, &p.status) else {
            continue;
        };
        let since = time(&p.created_at).unwrap_or(now);
        let at = due_at(p.last_at.as_deref().and_then(time), since, days);
        if at <= now {
            found.push((p.id, days, from, at));
        }
    }
    let ids: Vec<i64> = found.iter().map(|f| f.0).collect();
    let mut people: HashMap<i64, Contact> = store
        .contacts_by_ids(&ids)?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut list = Vec::with_capacity(found.len());
    for (id, every_days, from, due_at) in found {
        let Some(contact) = people.remove(&id) else {
            continue;
        };
        list.push(Due {
            last: store.last_touch(id, contact.parent_id)?,
            contact,
            every_days,
            from,
            due_at,
            overdue_days: days_overdue(due_at, now),
        });
    }
    list.sort_by(|a, b| {
        a.due_at
            .cmp(&b.due_at)
            .then_with(|| a.contact.full_name().cmp(b.contact.full_name()))
    });
    Ok(list)
}

/// How close the user is to each person they exchanged mail with: the sum of each email's
/// weight (sent mail twice received, halving every 30 days). People with no mail are absent.
pub fn closeness(store: &Store, now: DateTime<Utc>) -> Result<HashMap<i64, f64>> {
    Ok(scored(store.emails_exchanged()?, now))
}

/// [`closeness`] of these people only: what ranking a handful of matches needs.
pub fn closeness_of(store: &Store, ids: &[i64], now: DateTime<Utc>) -> Result<HashMap<i64, f64>> {
    Ok(scored(store.emails_exchanged_with(ids)?, now))
}

fn scored(emails: Vec<(i64, String, String)>, now: DateTime<Utc>) -> HashMap<i64, f64> {
    let mut scores: HashMap<i64, f64> = HashMap::new();
    for (contact, direction, at) in emails {
        let (Some(direction), Some(at)) = (Direction::parse(&direction), time(&at)) else {
            continue;
        };
        *scores.entry(contact).or_default() += weight(direction, at, now);
    }
    scores
}
