//! What time kith takes it to be: the system clock, or `KITH_NOW` (RFC 3339) when it is set, so
//! that tests of cadences and due dates can say when "now" is. Every timestamp kith writes and
//! every "how long ago" it works out comes from here.

use chrono::{DateTime, Utc};
use std::sync::OnceLock;

/// `KITH_NOW`, read once: a process sees one clock setting for its whole life.
fn fixed() -> &'static Option<DateTime<Utc>> {
    static FIXED: OnceLock<Option<DateTime<Utc>>> = OnceLock::new();
    FIXED.get_or_init(|| parse(std::env::var("KITH_NOW").ok()?.as_str()).ok())
}

fn parse(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            format!(
                "KITH_NOW: {:?} is not an RFC 3339 time such as 2026-12-01T09:00:00Z",
                crate::domain::validate::terminal_safe(text, false)
            )
        })
}

/// Refuses a `KITH_NOW` that is set but not a time, before anything is done with it.
pub fn check() -> Result<(), String> {
    match std::env::var("KITH_NOW") {
        Ok(text) if !text.is_empty() => parse(&text).map(|_| ()),
        _ => Ok(()),
    }
}

pub fn now() -> DateTime<Utc> {
    fixed().unwrap_or_else(Utc::now)
}

/// [`now`] as kith stores times: RFC 3339 in UTC, to the second.
pub fn stamp() -> String {
    now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
