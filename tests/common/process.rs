//! What a child process is doing, read from /proc: for tests that wait for a process to reach a
//! state (asleep in a wait, woken by its loop) instead of waiting for time.
// Each test binary uses a different part of it.
#![allow(dead_code)]

use std::process::Child;
use std::time::{Duration, Instant};

/// How long a process may take to reach the awaited state before the test fails.
const TIMEOUT: Duration = Duration::from_secs(60);

/// True while the main thread of `pid` is in a sleep system call: SQLite's busy handler and
/// kith's own waits for a lock sleep between tries, and a process waiting for nothing else is
/// never asleep there.
pub fn is_asleep(pid: u32) -> bool {
    let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/syscall")) else {
        return false;
    };
    let call = text
        .split_whitespace()
        .next()
        .and_then(|n| n.parse::<libc::c_long>().ok());
    call == Some(libc::SYS_nanosleep) || call == Some(libc::SYS_clock_nanosleep)
}

/// Polls until `child` is asleep ([`is_asleep`]): true then, false if it exited first.
pub fn wait_until_asleep(child: &mut Child) -> bool {
    let start = Instant::now();
    loop {
        if is_asleep(child.id()) {
            return true;
        }
        if child.try_wait().expect("the child's status").is_some() {
            return false;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "process {} never went to sleep within {TIMEOUT:?}",
            child.id()
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// How many times the main thread of `pid` has gone to sleep of its own accord (blocked in a
/// system call: a poll, a read, a sleep): each turn of an event loop that waits counts one.
pub fn wakeups(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_else(|e| panic!("/proc/{pid}/status: {e}"));
    status
        .lines()
        .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("voluntary_ctxt_switches in /proc/PID/status")
}
