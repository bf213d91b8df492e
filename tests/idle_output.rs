//! The real `kith` in a real terminal (tmux) writes nothing while nobody types, and a keystroke
//! of the `/` filter writes only what changed. What the terminal receives is copied to a file by
//! `tmux pipe-pane` and counted.
//!
//! Needs `tmux`, as the other end-to-end tests.

#[path = "e2e/harness.rs"]
mod harness;

use harness::Term;
use std::time::{Duration, Instant};

/// What kith writes to its terminal from now on, and how to read it back.
struct Capture {
    file: std::path::PathBuf,
}

impl Capture {
    fn start(t: &Term, name: &str) -> Capture {
        let file = t.path(name);
        std::fs::write(&file, b"").expect("the capture file");
        let command = format!("cat >> {}", harness::shell_quote(&file.to_string_lossy()));
        t.tmux(&["pipe-pane", "-o", "-t", "kith", &command]);
        Capture { file }
    }

    fn bytes(&self) -> usize {
        std::fs::metadata(&self.file).map_or(0, |m| m.len() as usize)
    }

    /// Waits until what was written stops growing (cat may lag behind tmux).
    fn settled(&self) -> usize {
        let start = Instant::now();
        let mut last = self.bytes();
        loop {
            std::thread::sleep(Duration::from_millis(200));
            let now = self.bytes();
            if now == last || start.elapsed() > harness::TIMEOUT {
                return now;
            }
            last = now;
        }
    }

    fn stop(&self, t: &Term) {
        t.tmux(&["pipe-pane", "-t", "kith"]);
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
    // Past the first frame and the ticks that follow it.
    std::thread::sleep(Duration::from_millis(600));

    let idle = Capture::start(&t, "idle.out");
    // Eight ticks of the loop (it looks for other processes' writes every 250 ms).
    std::thread::sleep(Duration::from_secs(2));
    let written = idle.settled();
    idle.stop(&t);
    assert_eq!(written, 0, "an idle TUI wrote {written} bytes");

    t.keys(&["/"]);
    t.wait_for("/▏");
    let typed = Capture::start(&t, "typed.out");
    t.keys(&["n"]);
    t.wait_until("the filter applied", |s| {
        s.contains("/n▏") && !s.contains("Globex")
    });
    let written = typed.settled();
    typed.stop(&t);
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
