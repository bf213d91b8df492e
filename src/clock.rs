//! What time kith takes it to be: the system clock, or `KITH_NOW` (RFC 3339) when it is set, so
//! that tests of cadences and due dates can say when "now" is, or a time set for one thread (the
//! same for tests that run in one process). Every timestamp kith writes and every "how long ago"
//! it works out comes from here.

use chrono::{DateTime, Utc};
use std::cell::Cell;
use std::sync::OnceLock;

thread_local! {
    /// The time set for this thread alone (see [`set_for_this_thread`]).
    static THIS_THREAD: Cell<Option<DateTime<Utc>>> = const { Cell::new(None) };
}

/// What `KITH_NOW` is for one process, for one thread: a program that runs many clocks at once
/// (the view tests, one thread each, making their records at the times they say) sets "now"
/// here, and every write and "how long ago" on this thread takes it. `None` gives the thread
/// back to `KITH_NOW` or the system clock.
pub fn set_for_this_thread(now: Option<DateTime<Utc>>) {
    THIS_THREAD.with(|t| t.set(now));
}

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
    THIS_THREAD
        .with(Cell::get)
        .or(*fixed())
        .unwrap_or_else(Utc::now)
}

/// [`now`] as kith stores times: RFC 3339 in UTC, to the second.
pub fn stamp() -> String {
    now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_set_for_a_thread_is_that_threads_alone() {
        let at = parse("2026-11-25T12:00:00Z").unwrap();
        set_for_this_thread(Some(at));
        assert_eq!(now(), at);
        assert_eq!(stamp(), "2026-11-25T12:00:00Z");
        let elsewhere = std::thread::spawn(now).join().unwrap();
        assert_ne!(elsewhere, at, "another thread keeps its own clock");
        set_for_this_thread(None);
        assert_ne!(now(), at);
    }
}
