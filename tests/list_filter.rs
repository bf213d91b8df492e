//! The parent list's `/` filter, typed key by key on a demo store, shows what
//! `search::filter_positions` gives over every row the list admits: the same rows, and the same
//! order as far as a screen can show (the list puts its rows in order only that far; the rest
//! follow as the selection moves). Queries that only grow are looked for among the last one's
//! rows, so each query is typed on, cut back and changed, with the kind tabs and the archived
//! toggle changing the rows underneath.

use kith::config::Config;
use kith::domain::{ParentKind, Status};
use kith::search::{filter_positions, Matcher};
use kith::store::{Store, StoreOptions};
use kith::tui::app::App;
use kith::tui::screens::parent_list::{filter_texts, KindFilter};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The rows that go past the selection in order, at the least: more than a screen.
const IN_ORDER: usize = 64;

fn demo_app(contacts: usize) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("kith.db");
    let mut store = Store::open(&path, &StoreOptions::default()).expect("the store opens");
    kith::demo::fill(&mut store, contacts).expect("demo data");
    let app = App::new(store, &Config::default(), true).expect("the app opens");
    (dir, app)
}

fn press(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// What the list must show: filter_positions over the rows its tabs admit.
fn expected(app: &App) -> Vec<usize> {
    let list = &app.list;
    // The list holds only what its tabs need of each row; the store has them all, in its order.
    let all = app.store.list_parents().expect("the parents");
    let candidates = all
        .iter()
        .enumerate()
        .filter(|(_, s)| match list.kind {
            KindFilter::All => true,
            KindFilter::Leads => s.parent.kind == ParentKind::Lead,
            KindFilter::Customers => s.parent.kind == ParentKind::Customer,
        })
        .filter(|(_, s)| list.show_archived || s.parent.status != Status::Archived)
        .map(|(i, s)| (i, filter_texts(s).collect()));
    filter_positions(&Matcher::default(), &list.view.filter.text, candidates)
}

fn check(app: &App, what: &str) {
    let want = expected(app);
    let got = &app.list.view.visible;
    assert_eq!(got.len(), want.len(), "{what}: how many rows");
    let k = want.len().min(IN_ORDER);
    assert_eq!(&got[..k], &want[..k], "{what}: the rows in view, in order");
    let (mut a, mut b) = (got.clone(), want);
    a.sort_unstable();
    b.sort_unstable();
    assert_eq!(a, b, "{what}: every row");
}

/// Types `query` key by key, checking after each key, then cuts it back by `cut` characters.
fn type_and_cut(app: &mut App, query: &str, cut: usize) {
    for c in query.chars() {
        press(app, KeyCode::Char(c));
        check(app, &format!("typing {:?}", app.list.view.filter.text));
    }
    for _ in 0..cut {
        press(app, KeyCode::Backspace);
        check(
            app,
            &format!("cutting back to {:?}", app.list.view.filter.text),
        );
    }
}

#[test]
fn typed_key_by_key_the_parent_list_filter_shows_what_filter_positions_gives() {
    let (_dir, mut app) = demo_app(8_000);
    assert!(app.list.rows.len() >= 2_000);
    let queries = [
        ("north", 5),
        ("ada lovelace", 4),
        ("co", 1),
        ("contact@", 3),
        // Doubled letters followed by more: skim scores these with a memory of its last call.
        ("anna", 2),
        ("aab", 1),
        ("e", 0),
        ("-a", 2),
        ("c.o", 3),
        ("retail", 6),
        ("zzq", 3),
        ("  spaced   out ", 9),
        ("GmbH", 2),
        ("ø", 1),
    ];
    for (query, cut) in queries {
        press(&mut app, KeyCode::Char('/'));
        type_and_cut(&mut app, query, cut);
        // Esc drops the filter.
        press(&mut app, KeyCode::Esc);
        check(&app, "after Esc");
    }

    // A filter kept (Enter), then the rows underneath change: tabs, archived customers.
    press(&mut app, KeyCode::Char('/'));
    type_and_cut(&mut app, "sa", 0);
    press(&mut app, KeyCode::Enter);
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
        check(&app, &format!("kind {:?}", app.list.kind));
    }
    press(&mut app, KeyCode::Char('A'));
    check(&app, "archived shown");
    press(&mut app, KeyCode::Char('/'));
    type_and_cut(&mut app, "s", 2);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    check(&app, "leads, filter typed on after a tab");
}

#[test]
fn the_order_follows_the_selection_down_the_list() {
    let (_dir, mut app) = demo_app(8_000);
    press(&mut app, KeyCode::Char('/'));
    for c in "a".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    let want = expected(&app);
    // Down a page at a time, then to the end: the rows around the selection are in place.
    for _ in 0..40 {
        press(&mut app, KeyCode::PageDown);
        let sel = app.list.view.cursor.selected;
        let end = (sel + IN_ORDER).min(want.len());
        assert_eq!(&app.list.view.visible[..end], &want[..end], "at row {sel}");
    }
    press(&mut app, KeyCode::End);
    assert_eq!(
        app.list.view.visible, want,
        "at the end, every row is in place"
    );
}
