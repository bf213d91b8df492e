//! The end-to-end harness: the real `kith` binary in a real terminal (a private tmux server),
//! driven with key presses the way a person types, and read back from the screen.
//!
//! Every session gets its own tmux server (`tmux -L <unique socket>`) and its own temporary store,
//! so tests run in parallel. Waiting is always polling the screen for what a person would look
//! for, never a fixed sleep.

#![allow(dead_code)]

#[path = "../common/backend.rs"]
pub mod backend;
#[path = "../common/pg.rs"]
pub mod pg;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// How long a wait for the screen may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// How often the screen is read while waiting.
const POLL: Duration = Duration::from_millis(50);
/// The tmux session (and so the target of every command).
const TARGET: &str = "kith";

pub const KITH: &str = env!("CARGO_BIN_EXE_kith");

static SESSIONS: AtomicUsize = AtomicUsize::new(0);

/// A temporary store, and a terminal running kith on it once [`Term::start`] is called.
/// Dropping it kills the tmux server (and with it the shell and kith).
pub struct Term {
    socket: String,
    started: bool,
    pub width: u16,
    pub height: u16,
    /// Extra variables exported for kith (`NO_COLOR`, `KITH_TEST_PANIC`).
    env: Vec<(String, String)>,
    /// Shell commands run before `echo BEFORE-KITH`.
    before: Vec<String>,
    /// A command kith runs through, if any.
    through: Option<String>,
    /// Whether the shell stays (sleeping) after kith, keeping the pane and its text.
    hold: bool,
    pub db: PathBuf,
    pub config: PathBuf,
    pub dir: TempDir,
}

impl Drop for Term {
    fn drop(&mut self) {
        if self.started {
            // A kith still running here (a failed test) is ended first: once its terminal is
            // gone it would not end by itself.
            for pid in kiths_on(&self.db) {
                // SAFETY: kill(2) on a kith process running on this test's own store.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
            let _ = self.tmux_command(&["kill-server"]).output();
        }
    }
}

impl Term {
    /// A fresh store of this test binary's backend (see `backend.rs`); `name` makes the tmux
    /// socket recognisable (the test's name is good).
    pub fn new(name: &str) -> Term {
        Term::on(name, backend::backend())
    }

    /// A fresh SQLite store, whatever the backend: for tests of the file itself.
    pub fn sqlite_file(name: &str) -> Term {
        Term::on(name, backend::Backend::Sqlite)
    }

    /// Another terminal on the same store as `self`, for a second person at work on it.
    pub fn beside(&self, name: &str) -> Term {
        let mut t = Term::on(name, backend::Backend::Sqlite);
        t.db = self.db.clone();
        t
    }

    /// SQL on the store behind kith's back (see `backend::sql_on`).
    pub fn sql(&self, sql: &str, args: &[backend::Arg]) -> Option<String> {
        backend::sql_on(&self.db, sql, args)
    }

    fn on(name: &str, backend: backend::Backend) -> Term {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let n = SESSIONS.fetch_add(1, Ordering::SeqCst);
        Term {
            socket: format!("kith-e2e-{name}-{}-{n}", std::process::id()),
            started: false,
            width: 80,
            height: 24,
            env: Vec::new(),
            before: Vec::new(),
            through: None,
            hold: true,
            db: backend::new_store(backend, dir.path()),
            config: dir.path().join("none.toml"),
            dir,
        }
    }

    /// An environment variable for the kith that [`Term::start`] runs.
    pub fn env(&mut self, key: &str, value: &str) -> &mut Term {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// A shell command run in the terminal before kith starts.
    pub fn before(&mut self, command: &str) -> &mut Term {
        self.before.push(command.to_string());
        self
    }

    /// Runs kith through `command` (as `setpriv --reuid=65534 ...` to run it as nobody).
    pub fn through(&mut self, command: &str) -> &mut Term {
        self.through = Some(command.to_string());
        self
    }

    /// The shell ends after kith instead of holding the pane open.
    pub fn no_hold(&mut self) -> &mut Term {
        self.hold = false;
        self
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    // ---------------------------------------------------------------------------------------
    // The command line, on the same store.

    /// `kith --db <store> args`, isolated from the user's config and store.
    pub fn cli(&self, args: &[&str]) -> Output {
        Command::new(KITH)
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .env("KITH_CONFIG", &self.config)
            .env_remove("KITH_DB")
            .env_remove("NO_COLOR")
            .env_remove("KITH_TEST_PANIC")
            .output()
            .expect("kith runs")
    }

    /// Like [`Term::cli`]; asserts success and returns stdout.
    pub fn cli_ok(&self, args: &[&str]) -> String {
        let out = self.cli(args);
        assert!(
            out.status.success(),
            "kith {args:?} failed ({}):\nstdout: {}\nstderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("stdout is UTF-8")
    }

    /// `kith ... --format json`, parsed.
    pub fn cli_json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let out = self.cli_ok(&all);
        serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("kith {all:?} printed no JSON ({e}):\n{out}"))
    }

    /// The store itself, for what the command line does not show and for writing hostile data.
    pub fn sqlite(&self) -> rusqlite::Connection {
        let c = rusqlite::Connection::open(&self.db).expect("the store opens with rusqlite");
        c.busy_timeout(Duration::from_secs(5))
            .expect("busy timeout");
        c
    }

    // ---------------------------------------------------------------------------------------
    // The terminal.

    fn tmux_command(&self, args: &[&str]) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-f", "/dev/null", "-L", &self.socket])
            .args(args)
            .env("TERM", "xterm-256color")
            .env_remove("TMUX");
        c
    }

    /// Runs a tmux command on this test's server; returns its stdout.
    pub fn tmux(&self, args: &[&str]) -> String {
        let out = self
            .tmux_command(args)
            .output()
            .expect("tmux runs (is it installed?)");
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A tmux format about the pane (`#{alternate_on}`, `#{pane_title}`).
    pub fn display(&self, format: &str) -> String {
        self.tmux(&["display-message", "-p", "-t", TARGET, format])
            .trim_end_matches('\n')
            .to_string()
    }

    /// Starts a shell in a new terminal of `width` x `height`; the shell notes the terminal
    /// settings, runs kith on the store, prints its exit code and notes the settings again.
    pub fn start(&mut self) {
        assert!(!self.started, "one kith per Term");
        let q = |p: &Path| shell_quote(&p.to_string_lossy());
        let mut script = String::new();
        script.push_str(
            "unset KITH_DB NO_COLOR KITH_TEST_PANIC TMUX RUST_BACKTRACE RUST_LIB_BACKTRACE\n",
        );
        script.push_str(&format!(
            "export TERM=xterm-256color KITH_CONFIG={}\n",
            q(&self.config)
        ));
        for (k, v) in &self.env {
            script.push_str(&format!("export {k}={}\n", shell_quote(v)));
        }
        for b in &self.before {
            script.push_str(b);
            script.push('\n');
        }
        script.push_str(&format!(
            "echo BEFORE-KITH; stty -g > {before}; {through}{kith} --db {db}; echo \"KITH-EXIT=$?\"; stty -g > {after}\n",
            through = self.through.as_deref().map(|t| format!("{t} ")).unwrap_or_default(),
            before = q(&self.path("stty.before")),
            after = q(&self.path("stty.after")),
            kith = shell_quote(KITH),
            db = q(&self.db),
        ));
        if self.hold {
            // Keep the pane (and what kith left on it) until the test ends.
            script.push_str("exec sleep 600\n");
        }
        self.launch(&script);
    }

    /// Runs `script` with bash in a new terminal of `width` x `height`.
    fn launch(&mut self, script: &str) {
        let run = self.path("run.sh");
        std::fs::write(&run, script).expect("write the session script");
        let shell = format!(
            "bash --norc --noprofile {}",
            shell_quote(&run.to_string_lossy())
        );
        let (w, h) = (self.width.to_string(), self.height.to_string());
        self.started = true;
        self.tmux(&[
            "new-session",
            "-d",
            "-s",
            TARGET,
            "-x",
            &w,
            "-y",
            &h,
            &shell,
        ]);
        // The size is ours to set (resize-window), whatever clients come and go.
        self.tmux(&["set-option", "-g", "window-size", "manual"]);
    }

    /// Starts another program instead of kith (a mail client that runs kith itself), with
    /// `KITH_DB` set to this store, `KITH_CONFIG` to this config and kith's folder first on
    /// `PATH`, so that what the program runs as plain `kith` is this build on this store.
    pub fn start_program(&mut self, command: &str) {
        assert!(!self.started, "one program per Term");
        let q = |p: &Path| shell_quote(&p.to_string_lossy());
        let bin = Path::new(KITH).parent().expect("kith's folder");
        let mut script = String::new();
        script.push_str(
            "unset NO_COLOR KITH_TEST_PANIC TMUX
",
        );
        script.push_str(&format!(
            "export TERM=xterm-256color KITH_DB={} KITH_CONFIG={} PATH={}:\"$PATH\"\n",
            q(&self.db),
            q(&self.config),
            q(bin)
        ));
        for (k, v) in &self.env {
            script.push_str(&format!("export {k}={}\n", shell_quote(v)));
        }
        script.push_str(command);
        script.push_str("\nexec sleep 600\n");
        self.launch(&script);
    }

    /// Resizes the terminal, as when a person resizes their window.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.width = width;
        self.height = height;
        self.tmux(&[
            "resize-window",
            "-t",
            TARGET,
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
        ]);
    }

    /// The visible screen, as text.
    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", TARGET])
    }

    /// The visible screen with its escape sequences (colours, attributes).
    pub fn screen_with_escapes(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-e", "-t", TARGET])
    }

    /// Presses keys by tmux name: `Enter`, `Tab`, `BTab`, `C-s`, `Down`, `j`.
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", TARGET];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// Types text literally.
    pub fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", TARGET, "-l", text]);
    }

    /// Pastes `text` as a terminal does: tmux sends it whole, wrapped in the bracketed-paste
    /// markers when kith asked for them, and with its line breaks as carriage returns, as a
    /// terminal sends them.
    pub fn paste(&self, text: &str) {
        let file = self.path("paste.txt");
        std::fs::write(&file, text).expect("write the text to paste");
        let file = file.to_string_lossy().into_owned();
        self.tmux(&["load-buffer", "-b", "kith-paste", &file]);
        self.tmux(&["paste-buffer", "-p", "-d", "-b", "kith-paste", "-t", TARGET]);
    }

    /// Presses Escape and waits until kith has taken it (the screen changed): crossterm reads
    /// Escape followed quickly by another key as Alt+key.
    pub fn escape(&self) -> String {
        let before = self.screen();
        self.keys(&["Escape"]);
        self.wait_until("the screen to change after Escape", |s| s != before)
    }

    /// Waits until the screen shows `text`; returns the screen.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} on the screen"), |s| s.contains(text))
    }

    /// Waits until the screen no longer shows `text`; returns the screen.
    pub fn wait_gone(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} to leave the screen"), |s| {
            !s.contains(text)
        })
    }

    /// Waits until some line of the screen holds every one of `parts`; returns that line.
    pub fn wait_for_line(&self, parts: &[&str]) -> String {
        let screen = self.wait_until(&format!("a line with {parts:?}"), |s| {
            line_with(s, parts).is_some()
        });
        line_with(&screen, parts).unwrap_or_default()
    }

    /// Polls the screen until `ok` holds, failing after [`TIMEOUT`] or as soon as kith has
    /// exited when that is not what is awaited. Returns the screen.
    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if screen.contains("KITH-EXIT=") {
                panic!("kith exited while waiting for {what}; the screen:\n{screen}");
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out after {TIMEOUT:?} waiting for {what}; the screen:\n{screen}");
            }
            std::thread::sleep(POLL);
        }
    }

    /// The pid of kith: the child of the pane's shell.
    pub fn kith_pid(&self) -> i32 {
        let shell: i32 = self
            .display("#{pane_pid}")
            .parse()
            .expect("the pane's pid is a number");
        let start = Instant::now();
        loop {
            if let Some(pid) = children(shell)
                .into_iter()
                .find(|(_, comm)| comm == "kith")
                .map(|(pid, _)| pid)
            {
                return pid;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "no kith process under the shell {shell}; children: {:?}",
                children(shell)
            );
            std::thread::sleep(POLL);
        }
    }

    /// Sends a signal to kith.
    pub fn signal(&self, signal: libc::c_int) {
        let pid = self.kith_pid();
        // SAFETY: kill(2) with a pid we just found and a valid signal number.
        let rc = unsafe { libc::kill(pid, signal) };
        assert_eq!(rc, 0, "kill({pid}, {signal}) failed");
    }

    /// Waits for kith to exit and checks that the terminal was given back as it was found: the
    /// exit code printed, the primary screen back (`BEFORE-KITH` visible, not in the alternate
    /// screen), the cursor visible, and the tty settings equal to those before kith (raw mode
    /// undone, bracketed paste off). Returns kith's exit code.
    pub fn assert_restored(&self) -> i32 {
        let start = Instant::now();
        let screen = loop {
            let s = self.screen();
            if s.contains("KITH-EXIT=") {
                break s;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "kith did not exit within {TIMEOUT:?}; the screen:\n{s}"
            );
            std::thread::sleep(POLL);
        };
        let code: i32 = screen
            .split("KITH-EXIT=")
            .nth(1)
            .and_then(|rest| {
                rest.split(|c: char| !c.is_ascii_digit())
                    .next()
                    .filter(|d| !d.is_empty())
            })
            .and_then(|d| d.parse().ok())
            .unwrap_or_else(|| panic!("no exit code after KITH-EXIT=; the screen:\n{screen}"));
        assert_eq!(
            self.display("#{alternate_on}"),
            "0",
            "the terminal is still in the alternate screen; the screen:\n{screen}"
        );
        assert!(
            screen.contains("BEFORE-KITH"),
            "the primary screen did not come back (BEFORE-KITH is gone); the screen:\n{screen}"
        );
        assert_eq!(
            self.display("#{cursor_flag}"),
            "1",
            "the cursor is still hidden after kith exited; the screen:\n{screen}"
        );
        let before = std::fs::read_to_string(self.path("stty.before")).expect("stty.before");
        let after_path = self.path("stty.after");
        let after = loop {
            let a = std::fs::read_to_string(&after_path).unwrap_or_default();
            if a.ends_with('\n') {
                break a;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "the shell did not write stty.after; the screen:\n{screen}"
            );
            std::thread::sleep(POLL);
        };
        assert!(!before.trim().is_empty(), "stty.before is empty");
        assert_eq!(
            before.trim(),
            after.trim(),
            "the terminal settings differ after kith (raw mode left on?); the screen:\n{screen}"
        );
        if self.hold {
            // Bracketed paste left on would wrap every paste in the shell in `^[[200~`; the
            // held pane's tty echoes what is pasted, so it shows.
            self.paste("pasted-after-kith");
            let after = loop {
                let s = self.screen();
                if s.contains("pasted-after-kith") {
                    break s;
                }
                assert!(
                    start.elapsed() < TIMEOUT,
                    "the paste after kith never showed; the screen:\n{s}"
                );
                std::thread::sleep(POLL);
            };
            assert!(
                !after.contains("200~"),
                "bracketed paste is still on after kith exited; the screen:\n{after}"
            );
        }
        code
    }
}

/// The first line of `screen` holding every one of `parts`.
pub fn line_with(screen: &str, parts: &[&str]) -> Option<String> {
    screen
        .lines()
        .find(|l| parts.iter().all(|p| l.contains(p)))
        .map(str::to_string)
}

/// Single-quotes for sh.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The children of `parent`, with their command names, from /proc.
fn children(parent: i32) -> Vec<(i32, String)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    for e in entries.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // pid (comm) state ppid ...; comm may hold spaces and parentheses.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = stat[open + 1..close].to_string();
        let ppid = stat[close + 1..]
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<i32>().ok());
        if ppid == Some(parent) {
            found.push((pid, comm));
        }
    }
    found
}

/// The SGR sequences (`ESC [ ... m`) of `text` that set a foreground or background colour.
pub fn colour_sequences(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("\x1b[") {
        let after = &rest[i + 2..];
        let Some(end) = after.find(|c: char| ('\x40'..='\x7e').contains(&c)) else {
            break;
        };
        let params = &after[..end];
        let is_sgr = after[end..].starts_with('m');
        if is_sgr && sets_colour(params) {
            found.push(format!("ESC[{params}m"));
        }
        rest = &after[end..];
    }
    found
}

fn sets_colour(params: &str) -> bool {
    for p in params.split(';') {
        if p.starts_with("38:") || p.starts_with("48:") {
            return true;
        }
        match p.parse::<u16>() {
            Ok(30..=37 | 40..=47 | 90..=97 | 100..=107) => return true,
            Ok(38 | 48) => return true,
            _ => {}
        }
    }
    false
}

/// True when `text` has an SGR sequence with parameter `param` (7 = reverse video).
pub fn has_sgr_param(text: &str, param: &str) -> bool {
    let mut rest = text;
    while let Some(i) = rest.find("\x1b[") {
        let after = &rest[i + 2..];
        let Some(end) = after.find(|c: char| ('\x40'..='\x7e').contains(&c)) else {
            break;
        };
        if after[end..].starts_with('m') && after[..end].split(';').any(|p| p == param) {
            return true;
        }
        rest = &after[end..];
    }
    false
}

/// The kith processes running on the store `db` (found by their command line).
fn kiths_on(db: &Path) -> Vec<i32> {
    let want = db.as_os_str().as_encoded_bytes();
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    for e in entries.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
            continue;
        };
        let args: Vec<&[u8]> = cmdline.split(|&b| b == 0).collect();
        let is_kith = args
            .first()
            .is_some_and(|a| a.ends_with(b"/kith") || *a == b"kith");
        if is_kith && args.windows(2).any(|w| w[0] == b"--db" && w[1] == want) && is_running(pid) {
            found.push(pid);
        }
    }
    found
}

/// True while `pid` is a live process (not gone, not a zombie).
pub fn is_running(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rfind(')')
            .and_then(|i| stat[i + 1..].split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

/// The CPU time `pid` has used (user + system), in clock ticks.
pub fn cpu_ticks(pid: i32) -> u64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0;
    };
    let Some(close) = stat.rfind(')') else {
        return 0;
    };
    // After the command: state is field 3; utime and stime are fields 14 and 15.
    let fields: Vec<&str> = stat[close + 1..].split_whitespace().collect();
    let get = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    get(11) + get(12)
}
