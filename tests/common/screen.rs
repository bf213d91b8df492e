//! What the in-process view tests share: key events by name, drawing the app into a test
//! terminal, the screen as text, and the checks every drawn screen must pass.

use kith::domain::validate::is_bidi_control;
use kith::tui::app::App;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Modifier;
use ratatui::Terminal;
use unicode_width::UnicodeWidthStr;

/// Sets the clock of the calling thread (each test runs on its own): what the store writes
/// from here on is written at `stamp` (RFC 3339), and an app made after takes it as now.
pub fn clock_at(stamp: &str) {
    let t = chrono::DateTime::parse_from_rfc3339(stamp).expect("an RFC 3339 time");
    kith::clock::set_for_this_thread(Some(t.to_utc()));
}

pub fn char_event(c: char) -> KeyEvent {
    let modifiers = if c.is_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    KeyEvent::new(KeyCode::Char(c), modifiers)
}

pub fn event(name: &str) -> KeyEvent {
    let code = match name {
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        n if n.starts_with("ctrl-") => {
            let c = n.chars().last().unwrap();
            return KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        }
        n if n.chars().count() == 1 => return char_event(n.chars().next().unwrap()),
        n => panic!("unknown key name {n:?}"),
    };
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub fn draw(app: &App, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| kith::tui::draw::render(app, f)).unwrap();
    term.backend().buffer().clone()
}

/// Each row as a string, wide characters once.
pub fn lines_of(buf: &Buffer) -> Vec<String> {
    let w = buf.area.width as usize;
    buf.content
        .chunks(w)
        .map(|cells| {
            let mut line = String::new();
            let mut skip = 0usize;
            for c in cells {
                if skip == 0 {
                    line.push_str(c.symbol());
                }
                skip = skip.max(c.symbol().width()).saturating_sub(1);
            }
            line
        })
        .collect()
}

/// The screen, one quoted row a line, then the rows in reverse video (the selection).
pub fn screen(buf: &Buffer) -> String {
    let mut out: String = lines_of(buf).iter().map(|l| format!("\"{l}\"\n")).collect();
    out.push_str("reverse video rows:");
    let mut any = false;
    for y in 0..buf.area.height {
        if (0..buf.area.width).any(|x| buf[(x, y)].modifier.contains(Modifier::REVERSED)) {
            out.push_str(&format!(" {y}"));
            any = true;
        }
    }
    if !any {
        out.push_str(" (none)");
    }
    out.push('\n');
    out
}

pub fn assert_clean(buf: &Buffer, label: &str) {
    for (i, cell) in buf.content.iter().enumerate() {
        let sym = cell.symbol();
        if let Some(c) = sym.chars().find(|&c| c.is_control() || is_bidi_control(c)) {
            let (x, y) = buf.pos_of(i);
            panic!("{label}: cell ({x}, {y}) holds {c:?}");
        }
    }
}

/// The line of the screen holding every one of `parts`.
pub fn line_with(text: &str, parts: &[&str]) -> Option<String> {
    text.lines()
        .find(|l| parts.iter().all(|p| l.contains(p)))
        .map(str::to_string)
}
