//! The terminal interface: setting the terminal up and always giving it back (on quit, on panic,
//! on SIGTERM and SIGHUP), the event loop, and the Effects it runs for App ($EDITOR, worker threads).

pub mod action;
pub mod app;
mod cells;
pub mod draw;
pub mod keymap;
pub mod msg;
pub mod popups;
pub mod screens;
pub mod theme;
pub mod widgets;

use crate::config::Config;
use crate::store::Store;
use anyhow::{Context, Result};
use app::App;
use msg::{Effect, Msg};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{self, Event, KeyEventKind};
use ratatui::crossterm::{execute, terminal};
use ratatui::{DefaultTerminal, Terminal};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The signal that asked kith to stop, if one did: the exit code says so (128 + its number).
static STOPPED_BY: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

/// How often the view looks for other processes' writes while idle.
const TICK: Duration = Duration::from_millis(250);

pub fn run(store: Store, config: &Config) -> Result<()> {
    // Everything that can fail before drawing fails here, with the terminal untouched.
    let mut app =
        App::new(store, config, theme::Theme::no_color_from_env()).context("loading the store")?;
    app.start();
    let stop = Arc::new(AtomicBool::new(false));
    watch_signals(Arc::clone(&stop)).context("installing signal handlers")?;
    // try_init enters raw mode and the alternate screen and installs a panic hook that gives the
    // terminal back before the panic message is printed.
    let mut terminal = ratatui::try_init().context("setting up the terminal")?;
    give_back_on_panic();
    // A paste then comes as one event: whole, however long, and never read as keys.
    execute!(std::io::stdout(), event::EnableBracketedPaste).context("setting up the terminal")?;
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
/// A hung-up terminal keeps crossterm's reader spinning on end-of-file until its timeout (and
/// whatever else might keep the loop from coming back), so if the loop has not finished within
/// a second this thread restores the terminal itself and exits. No write can be half-done by that: every write is one SQLite
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

/// Leaves raw mode, bracketed paste and the alternate screen and shows the cursor again
/// (ratatui shows it when its Terminal is dropped, which an exit from another thread never does).
fn give_back_terminal() {
    let _ = execute!(std::io::stdout(), event::DisableBracketedPaste);
    ratatui::restore();
    let _ = execute!(std::io::stdout(), ratatui::crossterm::cursor::Show);
}

/// ratatui's panic hook leaves raw mode and the alternate screen but knows nothing of bracketed
/// paste, which would stay on in the shell (pastes there wrapped in `^[[200~`).
fn give_back_on_panic() {
    let earlier = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        give_back_terminal();
        earlier(info);
    }));
}

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App, stop: &AtomicBool) -> Result<()> {
    let mut last_tick = Instant::now();
    // Something was done since freed memory was last handed back (opening kith is).
    let mut busy_since_collect = true;
    // The end-to-end tests check that a panic gives the terminal back; this is how they cause
    // one, in any build, so the test proves it for the binary users run too.
    let panic_for_tests = std::env::var_os("KITH_TEST_PANIC").is_some();
    // Slow work runs on worker threads; what it found comes back here as a Msg.
    let (done_tx, done_rx) = mpsc::channel::<Msg>();
    // `dirty`: something happened that shows; `stale`: something may show (a minute went by,
    // another process wrote, an event that is no key): drawn only if the screen would change.
    let mut dirty = true;
    let mut stale = false;
    // What the terminal shows, and an off-screen terminal to draw `stale` frames on first.
    let mut shown: Option<Buffer> = None;
    let mut probe: Option<Terminal<TestBackend>> = None;
    app.resize(terminal.size()?.height);
    loop {
        // Drawn only when something changed: an idle TUI writes nothing to the terminal.
        if !dirty && stale {
            let size = terminal.size()?;
            let fits = probe
                .as_ref()
                .is_some_and(|p| p.backend().buffer().area.as_size() == size);
            if !fits {
                probe = Some(Terminal::new(TestBackend::new(size.width, size.height))?);
            }
            if let Some(p) = &mut probe {
                let frame = p.draw(|frame| draw::render(app, frame))?;
                dirty = shown.as_ref() != Some(frame.buffer);
            }
        }
        if dirty {
            let frame = terminal.draw(|frame| {
                draw::render(app, frame);
                cells::rewrite_where_clusters_were(shown.as_ref(), frame.buffer_mut());
            })?;
            shown = Some(cells::as_shown(frame.buffer.clone()));
        }
        (dirty, stale) = (false, false);
        if panic_for_tests {
            panic!("KITH_TEST_PANIC is set");
        }
        if app.should_quit() || stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        let mut effects = Vec::new();
        let waited = event::poll(TICK.saturating_sub(last_tick.elapsed()))?;
        if !waited && busy_since_collect {
            give_back_freed_memory();
            busy_since_collect = false;
        }
        busy_since_collect |= waited;
        if waited {
            // Everything already waiting is taken before the next draw: keys typed fast, or a
            // paste from a terminal that sends it as keys, would otherwise cost a frame each.
            // A run of characters typed into a form goes in as one edit: a field takes each
            // character in time that grows with its length, so 5,000 keys one by one would
            // take the square of that.
            let mut typed = String::new();
            loop {
                let event = event::read()?;
                match typed_into_form(app, &event) {
                    Some(c) => typed.push(c),
                    None => {
                        if !typed.is_empty() {
                            effects.extend(app.handle_paste(&std::mem::take(&mut typed)));
                            dirty = true;
                        }
                        match event {
                            Event::Key(key) if key.kind != KeyEventKind::Release => {
                                effects.extend(app.handle_key(key));
                                dirty = true;
                            }
                            Event::Paste(text) => {
                                effects.extend(app.handle_paste(&text));
                                dirty = true;
                            }
                            Event::Resize(_, rows) => {
                                app.resize(rows);
                                dirty = true;
                            }
                            _ => stale = true,
                        }
                    }
                }
                if app.should_quit() || !more_waiting()? {
                    break;
                }
            }
            if !typed.is_empty() {
                effects.extend(app.handle_paste(&typed));
                dirty = true;
            }
        }
        while let Ok(msg) = done_rx.try_recv() {
            effects.extend(app.update(msg));
            dirty = true;
        }
        if last_tick.elapsed() >= TICK {
            stale |= app.tick();
            last_tick = Instant::now();
        }
        if !effects.is_empty() {
            // What the work is waiting for (the status line, "Sending…") shows first.
            terminal.draw(|frame| draw::render(app, frame))?;
            shown = None;
        }
        for effect in effects {
            run_effect(terminal, app, effect, &done_tx);
            dirty = true;
        }
    }
}

/// The character a key press types into the form in view, if it is one: a plain character
/// (Shift at most), bound to nothing in a form. Any other key is the form's to read.
fn typed_into_form(app: &App, event: &Event) -> Option<char> {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    let Event::Key(key) = event else {
        return None;
    };
    let KeyCode::Char(c) = key.code else {
        return None;
    };
    let plain =
        key.kind != KeyEventKind::Release && (key.modifiers - KeyModifiers::SHIFT).is_empty();
    let is_text = plain
        && app.mode() == keymap::Mode::Form
        && app.keymap.actions(keymap::Mode::Form, key).is_empty();
    is_text.then_some(c)
}

/// Whether another event is waiting: already read from the terminal, or there to read.
/// crossterm's level-triggered source (the `use-dev-tty` feature, see Cargo.toml) answers a
/// zero timeout with "nothing" even when it holds parsed events, so the wait is a millisecond:
/// time enough to hand those over or to find bytes waiting in the terminal, and nothing a
/// person notices after their last key.
fn more_waiting() -> std::io::Result<bool> {
    event::poll(Duration::from_millis(1))
}

/// Hands the memory freed while working (a list of 100,000 people read and dropped) back to the
/// OS: mimalloc keeps freed pages for the next allocation, and an idle screen makes none, so
/// they would count in its resident memory for as long as it stays open.
fn give_back_freed_memory() {
    // SAFETY: mi_collect has no preconditions; it only walks this thread's own heap.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

/// Runs one Effect: $EDITOR here (it needs the terminal), slow work on a worker thread that
/// sends its result back as a Msg.
fn run_effect(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    effect: Effect,
    done: &mpsc::Sender<Msg>,
) {
    match effect {
        Effect::Editor(text) => {
            let edited = edit_in_editor(terminal, &text);
            let more = app.update(Msg::Edited(edited));
            for e in more {
                run_effect(terminal, app, e, done);
            }
        }
        Effect::SaveWhenFree => {
            for e in app.update(Msg::SubmitWaiting) {
                run_effect(terminal, app, e, done);
            }
        }
        Effect::Sync {
            mut store,
            folder,
            options,
        } => {
            let done = done.clone();
            std::thread::spawn(move || {
                let result = crate::ops::sync::sync(&mut store, &folder, &options)
                    .map(|r| crate::ops::sync::summary(&r) + &crate::ops::sync::conflicts_said(&r))
                    .map_err(|e| e.to_string());
                let _ = done.send(Msg::Synced(result));
            });
        }
        Effect::ReadTouch {
            store,
            cadences,
            now,
        } => {
            let done = done.clone();
            std::thread::spawn(move || {
                let touch =
                    crate::ops::people::touch(&store, &cadences, now).map_err(|e| e.to_string());
                let _ = done.send(Msg::PeopleTouch(touch));
            });
        }
        Effect::FindDupes { store } => {
            let done = done.clone();
            std::thread::spawn(move || {
                let found = crate::ops::dupes::find(&store, None).map_err(|e| e.to_string());
                let _ = done.send(Msg::DupesFound(found));
            });
        }
        Effect::Research {
            run,
            target,
            options,
        } => {
            let done = done.clone();
            std::thread::spawn(move || {
                let result = crate::research::research(&target.website, &target.lead, &options)
                    .map_err(|e| e.to_string());
                let _ = done.send(Msg::Researched {
                    run,
                    target,
                    result,
                });
            });
        }
        Effect::Send { mail, config } => {
            let done = done.clone();
            std::thread::spawn(move || {
                let result = crate::mail::send(&mail.draft, &config).map_err(|e| e.to_string());
                let _ = done.send(Msg::Sent { mail, result });
            });
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
    give_back_terminal();
    // Through the shell, so that EDITOR="code -w" works as people set it.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status();
    terminal::enable_raw_mode()?;
    execute!(
        std::io::stdout(),
        terminal::EnterAlternateScreen,
        event::EnableBracketedPaste
    )?;
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
