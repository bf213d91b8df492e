//! Keeping in touch: which cadence applies to a person, when they are due, and how close a
//! relationship is by the mail exchanged (what ranks completion).

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// Where a person's cadence comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CadenceFrom {
    /// Set on the contact.
    Own,
    Tag(String),
    /// Their company's status (its key: `contacted`, `active`, ...).
    Status(String),
}

impl std::fmt::Display for CadenceFrom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CadenceFrom::Own => write!(f, "their own"),
            CadenceFrom::Tag(t) => write!(f, "tag {t}"),
            CadenceFrom::Status(s) => write!(f, "status {s}"),
        }
    }
}

/// The defaults of the config's `[cadence]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cadences {
    pub tags: BTreeMap<String, u32>,
    pub statuses: BTreeMap<String, u32>,
}

impl Cadences {
    /// The cadence of a person with their own `every_days`, `tags`, at a company of `status`:
    /// their own, else the shortest of their tags' (ignoring case), else the status's.
    pub fn of(
        &self,
        own: Option<i64>,
        tags: &[String],
        status: &str,
    ) -> Option<(u32, CadenceFrom)> {
        if let Some(days) = own.and_then(|d| u32::try_from(d).ok()).filter(|&d| d > 0) {
            return Some((days, CadenceFrom::Own));
        }
        let by_tag = tags
            .iter()
            .filter_map(|t| {
                self.tags
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(t))
                    .map(|(name, &days)| (days, CadenceFrom::Tag(name.clone())))
            })
            .min_by_key(|(days, _)| *days);
        by_tag.or_else(|| {
            self.statuses
                .get(status)
                .map(|&days| (days, CadenceFrom::Status(status.to_string())))
        })
    }
}

/// When someone last in touch at `last` (or, never, added at `since`) is due again.
pub fn due_at(last: Option<DateTime<Utc>>, since: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    last.unwrap_or(since) + chrono::Duration::days(i64::from(days))
}

/// Whole days from `due` to `now`: how overdue (0 on the day it falls due).
pub fn days_overdue(due: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (now - due).num_days()
}

/// Which way an email went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Sent,
    Received,
}

impl Direction {
    pub fn key(self) -> &'static str {
        match self {
            Direction::Sent => "sent",
            Direction::Received => "received",
        }
    }

    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "sent" => Some(Direction::Sent),
            "received" => Some(Direction::Received),
            _ => None,
        }
    }
}

/// How much one email says about a relationship: mail the user wrote counts twice what they
/// received, and weighs half as much every `HALF_LIFE_DAYS`.
pub const HALF_LIFE_DAYS: f64 = 30.0;

pub fn weight(direction: Direction, at: DateTime<Utc>, now: DateTime<Utc>) -> f64 {
    let base = match direction {
        Direction::Sent => 2.0,
        Direction::Received => 1.0,
    };
    let age_days = ((now - at).num_seconds().max(0) as f64) / 86_400.0;
    base * 0.5f64.powf(age_days / HALF_LIFE_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn their_own_cadence_wins_then_the_shortest_tag_then_the_status() {
        let c = Cadences {
            tags: BTreeMap::from([("investor".into(), 30), ("friend".into(), 90)]),
            statuses: BTreeMap::from([("contacted".into(), 7)]),
        };
        let tags = vec!["Friend".to_string(), "INVESTOR".to_string()];
        assert_eq!(
            c.of(Some(3), &tags, "contacted"),
            Some((3, CadenceFrom::Own))
        );
        assert_eq!(
            c.of(None, &tags, "contacted"),
            Some((30, CadenceFrom::Tag("investor".into())))
        );
        assert_eq!(
            c.of(None, &[], "contacted"),
            Some((7, CadenceFrom::Status("contacted".into())))
        );
        assert_eq!(c.of(None, &[], "active"), None);
    }

    #[test]
    fn due_and_overdue_days() {
        let due = due_at(
            Some(at("2026-01-01T10:00:00Z")),
            at("2025-01-01T00:00:00Z"),
            7,
        );
        assert_eq!(due, at("2026-01-08T10:00:00Z"));
        assert_eq!(days_overdue(due, at("2026-01-18T11:00:00Z")), 10);
        let never = due_at(None, at("2025-12-30T00:00:00Z"), 7);
        assert_eq!(never, at("2026-01-06T00:00:00Z"));
    }

    #[test]
    fn sent_mail_weighs_more_and_old_mail_less() {
        let now = at("2026-06-01T00:00:00Z");
        let sent = weight(Direction::Sent, now, now);
        let received = weight(Direction::Received, now, now);
        assert_eq!((sent, received), (2.0, 1.0));
        let month_old = weight(Direction::Sent, at("2026-05-02T00:00:00Z"), now);
        assert!((month_old - 1.0).abs() < 1e-9, "{month_old}");
    }
}
