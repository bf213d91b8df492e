//! The real `kith` in a real terminal (tmux) writes nothing while nobody types, and a keystroke
//! of the `/` filter writes only what changed. What the terminal receives is copied to a file by
//! `tmux pipe-pane` and counted.
//!
//! Needs `tmux`, as the other end-to-end tests.

#[path = "e2e/harness.rs"]
mod harness;
#[path = "common/process.rs"]
mod process;

use harness::Term;
use std::path::PathBuf;
use std::time::Instant;

/// What kith writes to its terminal from now on, and how to read it back.
struct Capture {
    file: PathBuf,
    /// Made once the copy is complete: after tmux closed the pipe and cat read all of it.
    done: PathBuf,
}

impl Capture {
    fn start(t: &Term, name: &str) -> Capture {
        let file = t.path(name);
        let done = t.path(&format!("{name}.done"));
        std::fs::write(&file, b"").expect("the capture file");
        let command = format!(
            "cat >> {}; : > {}",
            harness::shell_quote(&file.to_string_lossy()),
            harness::shell_quote(&done.to_string_lossy())
        );
        t.tmux(&["pipe-pane", "-o", "-t", "kith", &command]);
        Capture { file, done }
    }

    /// Stops the copy and returns how many bytes kith wrote while it ran, once all of them
    /// are in the file.
    fn finish(self, t: &Term) -> usize {
        t.tmux(&["pipe-pane", "-t", "kith"]);
        let start = Instant::now();
        while !self.done.exists() {
            assert!(
                start.elapsed() < harness::TIMEOUT,
                "the copy of the terminal's output never ended"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        std::fs::metadata(&self.file).map_or(0, |m| m.len() as usize)
    }
}

/// Waits until kith's loop has turned `turns` more times: it sleeps in poll(2) between its
/// ticks, and each sleep counts as one wakeup.
fn wait_for_turns(pid: u32, turns: u64) {
    let from = process::wakeups(pid);
    let start = Instant::now();
    while process::wakeups(pid) < from + turns {
        assert!(
            start.elapsed() < harness::TIMEOUT,
            "kith's loop did not turn {turns} times"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn an_idle_tui_writes_nothing_and_a_filter_keystroke_only_what_changed() {
    let mut t = Term::new("idle");
    for name in ["Acme Robotics", "Northwind Traders", "Globex", "Initech"] {
        t.cli_ok(&["lead", "add", "--name", name]);
    }
    t.start();
    t.wait_for_line(&["Lead", "Initech"]);
    let pid = t.kith_pid() as u32;
    // Past the first frame and the turns of the loop that follow it.
    wait_for_turns(pid, 4);

    let idle = Capture::start(&t, "idle.out");
    // Eight turns of the loop (it looks for other processes' writes every 250 ms).
    wait_for_turns(pid, 8);
    let written = idle.finish(&t);
    assert_eq!(written, 0, "an idle TUI wrote {written} bytes");

    t.keys(&["/"]);
    t.wait_for("/▏");
    let typed = Capture::start(&t, "typed.out");
    t.keys(&["n"]);
    t.wait_until("the filter applied", |s| {
        s.contains("/n▏") && !s.contains("Globex")
    });
    let written = typed.finish(&t);
    println!("a keystroke of the / filter wrote {written} bytes to the terminal");
    // The filter line, the rows that changed and the colours around them: well under the
    // 80x24 screen's 1,920 cells redrawn.
    assert!(
        written > 0 && written < 2_000,
        "a keystroke of the filter wrote {written} bytes"
    );
    t.escape();
    t.wait_gone("/n▏");
    t.keys(&["q"]);
    assert_eq!(t.assert_restored(), 0);
}
