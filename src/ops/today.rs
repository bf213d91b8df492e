//! The week at a glance (the TUI's Today screen): who is due, birthdays coming, what happened
//! lately, and the lead pipeline.

use crate::domain::{Activity, Contact, Status};
use crate::store::{Result, Store};
use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// The next birthday on or after `today` of a `YYYY-MM-DD` or `--MM-DD` date; 29 February
/// falls on 1 March in other years.
pub fn next_birthday(birthday: &str, today: NaiveDate) -> Option<NaiveDate> {
    let md = birthday
        .trim()
        .strip_prefix("--")
        .unwrap_or(birthday.trim());
    let md = if md.len() == 10 { &md[5..] } else { md };
    let (m, d) = md.split_once('-')?;
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    let on = |year: i32| {
        NaiveDate::from_ymd_opt(year, m, d).or_else(|| {
            (m == 2 && d == 29)
                .then(|| NaiveDate::from_ymd_opt(year, 3, 1))
                .flatten()
        })
    };
    let this = on(today.year())?;
    if this >= today {
        Some(this)
    } else {
        on(today.year() + 1)
    }
}

/// People whose birthday falls within `days` days from `now` (today included), soonest first.
pub fn birthdays(
    store: &Store,
    now: DateTime<Utc>,
    days: i64,
) -> Result<Vec<(Contact, NaiveDate)>> {
    let today = now.date_naive();
    let mut found: Vec<(Contact, NaiveDate)> = store
        .contacts_with_birthdays()?
        .into_iter()
        .filter_map(|c| {
            let next = next_birthday(c.fields.birthday.as_deref()?, today)?;
            ((next - today).num_days() < days).then_some((c, next))
        })
        .collect();
    found.sort_by(|a, b| {
        a.1.cmp(&b.1)
            .then_with(|| a.0.full_name().cmp(b.0.full_name()))
    });
    Ok(found)
}

/// The latest notes and emails, with their company's name.
pub fn recent(store: &Store, limit: usize) -> Result<Vec<(Activity, String)>> {
    store.recent_activities(limit)
}

/// How many leads are at each step of the pipeline, in its order (the funnel).
pub fn pipeline(store: &Store) -> Result<Vec<(Status, i64)>> {
    Ok(store
        .status_counts()?
        .into_iter()
        .filter(|(s, _)| s.kind() == crate::domain::ParentKind::Lead)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_next_birthday() {
        let today = d("2026-12-20");
        assert_eq!(next_birthday("1906-12-09", today), Some(d("2027-12-09")));
        assert_eq!(next_birthday("--12-25", today), Some(d("2026-12-25")));
        assert_eq!(next_birthday("1906-12-20", today), Some(d("2026-12-20")));
        assert_eq!(
            next_birthday("2000-02-29", d("2027-02-10")),
            Some(d("2027-03-01"))
        );
        assert_eq!(next_birthday("garbage", today), None);
    }
}
