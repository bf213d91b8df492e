//! The terminal interface: setting the terminal up and always giving it back (on quit, on panic,
//! on SIGTERM and SIGHUP), and the event loop.

pub mod action;
pub mod app;
pub mod forms;
pub mod keymap;
pub mod theme;
pub mod ui;
pub mod views;

use crate::commands::Env;
use anyhow::{Context, Result};
use app::App;
use ratatui::crossterm::event::{self, Event, KeyEventKind};
use ratatui::crossterm::{execute, terminal};
use ratatui::DefaultTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The signal that asked kith to stop, if one did: the exit code says so (128 + its number).
static STOPPED_BY: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

/// How often the view looks for other processes' writes while idle.
const TICK: Duration = Duration::from_millis(250);

pub fn run(env: &Env) -> Result<()> {
    // Everything that can fail before drawing fails here, with the terminal untouched.
    let store = env.open()?;
    let mut app = App::new(store, &env.config, theme::Theme::no_color_from_env())
        .context("loading the store")?;
    let stop = Arc::new(AtomicBool::new(false));
    watch_signals(Arc::clone(&stop)).context("installing signal handlers")?;
    // try_init enters raw mode and the alternate screen and installs a panic hook that gives the
    // terminal back before the panic message is printed.
    let mut terminal = ratatui::try_init().context("setting up the terminal")?;
    let result = event_loop(&mut terminal, &mut app, &stop);
    drop(terminal);
    give_back_terminal();
    let signal = STOPPED_BY.load(Ordering::SeqCst);
    if signal != 0 {
        std::process::exit(128 + signal);
    }
    result
}

/// On SIGTERM, SIGHUP, SIGINT or SIGQUIT the loop is asked to stop and give the terminal back.
/// A hung-up terminal can keep crossterm's reader spinning on end-of-file without ever returning
/// to the loop, so if the loop has not finished within a second this thread restores the
/// terminal itself and exits. No write can be half-done by that: every write is one SQLite
/// transaction, rolled back if the process ends inside it.
fn watch_signals(stop: Arc<AtomicBool>) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])?;
    let stop_hangup = Arc::clone(&stop);
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                STOPPED_BY.store(signal, Ordering::SeqCst);
                stop.store(true, Ordering::SeqCst);
                std::thread::sleep(Duration::from_secs(1));
                give_back_terminal();
                std::process::exit(128 + signal);
            }
        })?;
    // A terminal can also go away without a SIGHUP reaching kith (a shell that ignores HUP
    // does not pass it on). Then the tty reports a hang-up to poll(2): look for it.
    std::thread::Builder::new()
        .name("hangup".into())
        .spawn(move || loop {
            std::thread::sleep(Duration::from_millis(300));
            let mut fd = libc::pollfd {
                fd: libc::STDIN_FILENO,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd, zero timeout; poll only writes its revents.
            let n = unsafe { libc::poll(&mut fd, 1, 0) };
            if n > 0 && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
                STOPPED_BY.store(SIGHUP, Ordering::SeqCst);
                stop_hangup.store(true, Ordering::SeqCst);
                std::thread::sleep(Duration::from_secs(1));
                give_back_terminal();
                std::process::exit(128 + SIGHUP);
            }
        })?;
    Ok(())
}

/// Leaves raw mode and the alternate screen and shows the cursor again (ratatui shows it when
/// its Terminal is dropped, which an exit from another thread never does).
fn give_back_terminal() {
    ratatui::restore();
    let _ = execute!(std::io::stdout(), ratatui::crossterm::cursor::Show);
}

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App, stop: &AtomicBool) -> Result<()> {
    let mut last_tick = Instant::now();
    // The end-to-end tests check that a panic gives the terminal back; this is how they cause one.
    let panic_for_tests = std::env::var_os("KITH_TEST_PANIC").is_some();
    loop {
        terminal.draw(|frame| ui::render(app, frame))?;
        if panic_for_tests {
            panic!("KITH_TEST_PANIC is set");
        }
        if app.quit || stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        if event::poll(TICK)? {
            match event::read()? {
                Event::Key(key) if key.kind != KeyEventKind::Release => app.handle_key(key),
                _ => {}
            }
        }
        if last_tick.elapsed() >= TICK {
            app.tick();
            last_tick = Instant::now();
        }
        if app.deferred.is_some() {
            terminal.draw(|frame| ui::render(app, frame))?;
            app.run_deferred();
        }
        if let Some(text) = app.editor_request.take() {
            let edited = edit_in_editor(terminal, &text);
            app.editor_done(edited);
        }
    }
}

/// Hands the terminal to `$VISUAL` / `$EDITOR` (else `vi`) on a private temporary file, then
/// takes it back.
fn edit_in_editor(terminal: &mut DefaultTerminal, text: &str) -> std::io::Result<String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|e| !e.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|e| !e.trim().is_empty())
        })
        .unwrap_or_else(|| "vi".to_string());
    let path = std::env::temp_dir().join(format!(
        "kith-note-{}-{}.txt",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)?;
    file.write_all(text.as_bytes())?;
    drop(file);
    ratatui::restore();
    // Through the shell, so that EDITOR="code -w" works as people set it.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status();
    terminal::enable_raw_mode()?;
    execute!(std::io::stdout(), terminal::EnterAlternateScreen)?;
    terminal.clear()?;
    let result = match status {
        Ok(s) if s.success() => std::fs::read_to_string(&path),
        Ok(s) => Err(std::io::Error::other(format!(
            "{editor} exited with {s}; the field was left as it was"
        ))),
        Err(e) => Err(e),
    };
    let _ = std::fs::remove_file(&path);
    result
}
