//! The parent list reads in full only the rows in view: wherever the selection goes (paging,
//! jumping to the end, the `/` filter, another process's write), each row on screen shows what
//! the store says of that parent, in the store's order.

use kith::config::Config;
use kith::display::{fit, width};
use kith::domain::{ParentFields, ParentKind, Status};
use kith::store::{ParentSummary, Store, StoreOptions};
use kith::tui::app::App;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

fn press(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// The screen at 80x24, one string a row, a wide character's hidden cell left out.
fn screen(app: &App) -> Vec<String> {
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let frame = term
        .draw(|f| kith::tui::draw::render(app, f))
        .expect("draw");
    let buf = frame.buffer;
    buf.content
        .chunks(buf.area.width as usize)
        .map(|cells| {
            let (mut line, mut skip) = (String::new(), 0usize);
            for c in cells {
                if skip == 0 {
                    line.push_str(c.symbol());
                }
                skip = skip.max(width(c.symbol())).saturating_sub(1);
            }
            line
        })
        .collect()
}

/// A row as the list draws it at 80 columns, up to its count of contacts (what follows, "3d
/// ago", moves with the clock).
fn row(s: &ParentSummary) -> String {
    let p = &s.parent;
    let kind = match p.kind {
        ParentKind::Lead => "Lead",
        ParentKind::Customer => "Cust",
    };
    let primary = s.primary_contact.clone().unwrap_or_default();
    format!(
        "{kind} {} {} {} {:>3}",
        fit(&p.fields.name, 25),
        fit(p.status_label(), 18),
        fit(&primary, 16),
        s.contact_count
    )
}

/// Checks that the rows on screen are, in order, a run of `expected`, and that the selected
/// parent is the one at the list's selection.
fn check(app: &App, expected: &[ParentSummary], what: &str) {
    let want: Vec<String> = expected.iter().map(row).collect();
    let shown = rows_on_screen(app);
    assert!(!shown.is_empty(), "{what}: no row on screen");
    assert!(
        want.windows(shown.len())
            .any(|w| w.iter().zip(&shown).all(|(w, s)| s.starts_with(w.as_str()))),
        "{what}: the rows on screen are not the store's, in its order:\n{}",
        shown.join("\n")
    );
    let at = app.list.view.cursor.selected;
    let selected = app.list.selected().expect("the selected row is read");
    assert_eq!(selected, &expected[at], "{what}: the selected parent");
}

fn demo_app(dir: &tempfile::TempDir, contacts: usize) -> App {
    let path = dir.path().join("kith.db");
    let mut store = Store::open(&path, &StoreOptions::default()).expect("the store opens");
    kith::demo::fill(&mut store, contacts).expect("demo data");
    let mut app = App::new(store, &Config::default(), true).expect("the app opens");
    app.resize(24);
    app
}

/// The rows the list shows with no filter: every parent but the archived, most recent first.
fn shown_by_default(store: &Store) -> Vec<ParentSummary> {
    let mut all = store.list_parents().expect("the parents");
    all.retain(|s| s.parent.status != Status::Archived);
    all
}

#[test]
fn every_row_on_screen_is_the_stores_wherever_the_selection_goes() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut app = demo_app(&dir, 4_000);
    let expected = shown_by_default(&app.store);
    assert!(expected.len() > 500, "a list of many screens");
    check(&app, &expected, "opened");
    for _ in 0..3 {
        press(&mut app, KeyCode::PageDown);
        check(&app, &expected, "a page down");
    }
    press(&mut app, KeyCode::End);
    check(&app, &expected, "the end");
    assert_eq!(app.list.view.cursor.selected, expected.len() - 1);
    for _ in 0..30 {
        press(&mut app, KeyCode::Char('k'));
    }
    check(&app, &expected, "up from the end");
    press(&mut app, KeyCode::Home);
    check(&app, &expected, "back to the top");
}

#[test]
fn the_filter_shows_full_rows_and_follows_another_processs_write() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut app = demo_app(&dir, 2_000);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "zyxw");
    assert!(
        screen(&app).iter().any(|l| l.contains("No match.")),
        "no demo parent is called that"
    );

    // Another process adds one while the filter is typed: the list shows it in full.
    let mut other =
        Store::open(&dir.path().join("kith.db"), &StoreOptions::default()).expect("store");
    let fields = ParentFields {
        name: "Zyxw Widgets".into(),
        contact_name: Some("Wanda Zyx".into()),
        ..Default::default()
    };
    other
        .add_parent(ParentKind::Lead, &fields)
        .expect("a new lead");
    assert!(app.tick(), "the write is seen");
    let lines = screen(&app);
    let found: Vec<&String> = lines.iter().filter(|l| l.starts_with("Lead ")).collect();
    assert_eq!(found.len(), 1, "{lines:#?}");
    assert!(found[0].contains("Zyxw Widgets"), "{}", found[0]);
    assert!(found[0].contains("Wanda Zyx"), "{}", found[0]);

    // Its filter kept, the list's rows are the store's that match, scrolled through.
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Enter);
    let shown = app.list.view.visible.len();
    assert!(shown > 1, "more than the new lead match \"z\"");
    press(&mut app, KeyCode::End);
    let at = app.list.view.cursor.selected;
    let selected = app
        .list
        .selected()
        .expect("the selected row is read")
        .clone();
    let all = app.store.list_parents().expect("the parents");
    let index = app.list.view.visible[at];
    assert_eq!(selected, all[index], "the selected row is the store's");
    assert!(!rows_on_screen(&app).is_empty(), "rows at the end");
}

/// The rows of the list's body, each of which must show a parent: none left unread.
fn rows_on_screen(app: &App) -> Vec<String> {
    let lines = screen(app);
    let head = lines
        .iter()
        .position(|l| l.starts_with("Kind "))
        .expect("the header");
    // Below the header, above the status line.
    let rows = app.list.view.visible.len().min(lines.len() - head - 2);
    let shown = lines[head + 1..head + 1 + rows].to_vec();
    for l in &shown {
        assert!(
            l.starts_with("Lead ") || l.starts_with("Cust "),
            "a row of the list is empty: {l:?}"
        );
    }
    shown
}
