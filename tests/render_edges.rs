//! The TUI's screens drawn at every width from 20 to 200 columns over text at the edges:
//! 100,000-character fields, CJK, emoji sequences, combining marks, right-to-left names. No size
//! may panic, split a wide character at the edge of the screen, or put a control character in
//! a cell.

use kith::config::Config;
use kith::domain::validate::is_forbidden;
use kith::domain::{ContactFields, NewActivity, ParentFields, ParentKind};
use kith::store::{Store, StoreOptions};
use kith::tui::app::App;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use unicode_width::UnicodeWidthStr;

const NAMES: [&str; 6] = [
    "株式会社日本電信電話東日本営業本部",
    "👩‍👩‍👧‍👦 Family 🇩🇪 Ünïcödé",
    "Zoë Ångström-Ñúñez e\u{301}\u{302}\u{303}",
    "שלום עליכם ואברהם",
    "مرحبا بالعالم شركة",
    "ก้้้้้้้้้ combining thai",
];

/// Fields past what kith accepts can still be in a store (written by SQL, or by another
/// program): they are written here as such.
fn overfill(path: &std::path::Path) {
    let huge = "長".repeat(30_000) + &"x".repeat(40_000) + &"é".repeat(30_000);
    let db = rusqlite::Connection::open(path).unwrap();
    db.execute(
        "UPDATE parents SET industry = ?1, notes = ?1 WHERE id % 2 = 0",
        [&huge],
    )
    .unwrap();
    db.execute(
        "UPDATE contacts SET title = ?1, notes = ?1, full_name = full_name || ?1 WHERE id % 3 = 0",
        [&huge],
    )
    .unwrap();
    db.execute("UPDATE activities SET body = ?1 WHERE id % 2 = 0", [&huge])
        .unwrap();
}

fn fill(store: &mut Store) {
    let huge = "長".repeat(30_000) + &"x".repeat(40_000) + &"é".repeat(30_000);
    for (i, name) in NAMES.iter().enumerate() {
        let kind = if i % 2 == 0 {
            ParentKind::Lead
        } else {
            ParentKind::Customer
        };
        let fields = ParentFields {
            name: name.to_string(),
            notes: Some(huge.chars().take(19_000).collect()),
            ..Default::default()
        };
        let pid = store.add_parent(kind, &fields).unwrap();
        let person = ContactFields {
            full_name: Some(format!("{name} {}", NAMES[(i + 1) % NAMES.len()])),
            title: Some(NAMES[(i + 2) % NAMES.len()].to_string()),
            notes: Some(huge.chars().take(19_000).collect()),
            ..Default::default()
        };
        let cid = store.add_contact(pid, &person).unwrap();
        let body: String = huge.chars().take(19_000).collect();
        let note = NewActivity::note(Some(cid), &body);
        store.add_activity(pid, &note).unwrap();
    }
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Every cell holds printable text, and a wide character has room for both its columns.
fn assert_sound(buf: &Buffer, label: &str) {
    let (w, h) = (buf.area.width, buf.area.height);
    for y in 0..h {
        for x in 0..w {
            let symbol = buf[(x, y)].symbol();
            assert!(
                !symbol.chars().any(|c| is_forbidden(c, false)),
                "{label}: a control character at {x},{y}: {symbol:?}"
            );
            if symbol.width() > 1 {
                assert!(
                    x + 1 < w,
                    "{label}: {symbol:?} split at the right edge, row {y}"
                );
            }
        }
    }
}

#[test]
fn every_screen_draws_at_every_width_from_20_to_200_without_a_panic_or_a_split_character() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("kith.db"), &StoreOptions::default()).unwrap();
    fill(&mut store);
    overfill(&dir.path().join("kith.db"));
    let mut app = App::new(store, &Config::default(), true).unwrap();
    // The screens to draw, each reached by keys from the one before.
    // With what each shows at 80 columns and wider, so a key that failed to reach it is seen.
    let steps: [(&str, &[KeyEvent], &str); 4] = [
        ("parent list", &[], "Enter open"),
        ("detail", &[key(KeyCode::Enter)], "Notes and"),
        ("detail, timeline", &[key(KeyCode::Tab)], "Notes and"),
        (
            "find by title",
            &[
                key(KeyCode::Esc),
                key(KeyCode::Esc),
                key(KeyCode::Char('t')),
            ],
            "Title:",
        ),
    ];
    for (label, keys, shows) in steps {
        for k in keys {
            app.handle_key(*k);
        }
        for width in 20..=200u16 {
            // A short screen at every fifth width; the usual height at every width.
            let heights: &[u16] = if width % 5 == 0 { &[8, 24] } else { &[24] };
            for &height in heights {
                app.resize(height);
                let mut term = Terminal::new(TestBackend::new(width, height)).unwrap();
                term.draw(|f| kith::tui::draw::render(&app, f)).unwrap();
                assert_sound(
                    term.backend().buffer(),
                    &format!("{label} at {width}x{height}"),
                );
                if width >= 80 && height == 24 {
                    let text: String = term
                        .backend()
                        .buffer()
                        .content()
                        .iter()
                        .map(|c| c.symbol())
                        .collect();
                    assert!(
                        text.contains(shows),
                        "{label} at {width}x{height} does not show {shows:?}"
                    );
                }
            }
        }
    }
}

/// The form's row of a name holding a flag and a family, drawn with the cursor on every place
/// it can be: the border stays in its column and each glyph is drawn whole, never in pieces.
#[test]
fn flags_and_families_keep_the_form_border_in_place_wherever_the_cursor_is() {
    const FLAG: &str = "\u{1F1FA}\u{1F1F8}";
    const FAMILY: &str = "\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}";
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("kith.db"), &StoreOptions::default()).unwrap();
    let mut app = App::new(store, &Config::default(), true).unwrap();
    app.handle_key(key(KeyCode::Char('L')));
    for c in format!("{FAMILY}Ana {FLAG} Silva {FAMILY}").chars() {
        app.handle_key(key(KeyCode::Char(c)));
    }
    app.handle_key(key(KeyCode::Home));
    app.resize(24);
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut border = None;
    // Twelve clusters, and the end.
    for step in 0..=12 {
        term.draw(|f| kith::tui::draw::render(&app, f)).unwrap();
        let buf = term.backend().buffer();
        let row = (0..24)
            .find(|&y| {
                let line: String = (0..80).map(|x| buf[(x, y)].symbol()).collect();
                line.contains("Name")
            })
            .expect("the form's name row");
        let right = (0..80).rev().find(|&x| buf[(x, row)].symbol() == "│");
        assert_eq!(
            *border.get_or_insert(right),
            right,
            "the border moved at step {step}"
        );
        for x in 0..80 {
            let s = buf[(x, row)].symbol();
            let piece = s.starts_with('\u{200D}')
                || s == "\u{1F1FA}"
                || s == "\u{1F1F8}"
                || (s.contains('\u{1F469}') && s != FAMILY);
            assert!(!piece, "a glyph drawn in pieces at step {step}: {s:?}");
        }
        app.handle_key(key(KeyCode::Right));
    }
}
