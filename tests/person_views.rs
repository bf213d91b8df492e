//! The person's card and the pager, drawn on ratatui's `TestBackend` (snapshots at 80x24 and
//! 40x12) and driven by keys as a user types them. Each record is written at a time the test
//! sets on its thread's clock, and the app opened at [`NOW`].

mod common;

use common::screen::{assert_clean, clock_at, draw, event, lines_of, screen};
use kith::config::Config;
use kith::domain::{ActivityKind, ContactFields, Labeled, NewActivity, ParentFields, ParentKind};
use kith::store::{Store, StoreOptions};
use kith::tui::app::App;
use kith::tui::screens::Screen;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tempfile::TempDir;

const NOW: &str = "2026-11-25T12:00:00Z";
const SNAP_SIZES: [(u16, u16); 2] = [(80, 24), (40, 12)];

/// Acme Robotics, a customer, and Ada Lovelace there with two emails, two phones, a postal
/// address, a web page, a birthday, an anniversary, a nickname, tags and a cadence; her title
/// changed once; a 25-line note about her and an email with her.
fn fill(s: &mut Store) -> i64 {
    clock_at("2026-11-20T10:00:00Z");
    let acme = s
        .add_parent(
            ParentKind::Customer,
            &ParentFields {
                name: "Acme Robotics".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let ada = ContactFields {
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        title: Some("CTO".into()),
        nickname: Some("Countess".into()),
        email: Some("ada@acme.example".into()),
        emails: vec![
            Labeled::new("ada@acme.example", Some("work"), true),
            Labeled::new("ada.lovelace@gmail.com", Some("home"), false),
        ],
        phone: Some("+44 20 7946 0000".into()),
        phones: vec![
            Labeled::new("+44 20 7946 0000", Some("work"), true),
            Labeled::new("+44 7700 900123", Some("cell"), false),
        ],
        addresses: vec![Labeled::new(
            ";;12 St James's Square;London;;SW1Y 4JH;United Kingdom",
            Some("home"),
            false,
        )],
        urls: vec![Labeled::new("https://ada.example", None, false)],
        birthday: Some("1815-12-10".into()),
        anniversary: Some("1835-07-08".into()),
        tags: vec!["investor".into(), "math".into()],
        ..Default::default()
    };
    let id = s.add_contact(acme, &ada).unwrap();
    s.set_cadence(id, Some(30)).unwrap();
    clock_at("2026-11-21T09:00:00Z");
    let mut edited = s.contact(id).unwrap();
    edited.fields.title = Some("Chief Technology Officer".into());
    s.update_contact(id, edited.version, &edited.fields)
        .unwrap();
    clock_at("2026-11-23T09:30:00Z");
    let note: Vec<String> = (1..=25)
        .map(|n| format!("Line {n:02} of the call about the engine."))
        .collect();
    s.add_activity(acme, &NewActivity::note(Some(id), &note.join("\n")))
        .unwrap();
    clock_at("2026-11-24T09:30:00Z");
    s.add_activity(
        acme,
        &NewActivity {
            kind: ActivityKind::Email,
            contact_id: Some(id),
            subject: Some("The analytical engine".into()),
            body: "Hi Ada,\n\nThe notes arrived. Shall we meet on Friday?\n\nCharles".into(),
            email_to: Some("ada@acme.example".into()),
            message_id: Some("<1@acme.example>".into()),
        },
    )
    .unwrap();
    id
}

struct Fixture {
    _dir: TempDir,
    app: App,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let options = StoreOptions {
            actor: Some("alice".into()),
            ..Default::default()
        };
        clock_at(NOW);
        let mut store = Store::open(&dir.path().join("kith.db"), &options).expect("the store");
        fill(&mut store);
        clock_at(NOW);
        let mut app = App::new(store, &Config::default(), true).expect("the app loads");
        app.start();
        let mut f = Fixture { _dir: dir, app };
        while !f.app.stack.is_empty() {
            f.key("esc");
        }
        f
    }

    fn key(&mut self, name: &str) {
        self.app.handle_key(event(name));
    }

    fn press(&mut self, code: KeyCode) {
        self.app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    }

    fn text(&self, w: u16, h: u16) -> String {
        lines_of(&draw(&self.app, w, h)).join("\n")
    }

    fn snap(&self, name: &str) {
        for (w, h) in SNAP_SIZES {
            let buf = draw(&self.app, w, h);
            let label = format!("{name}_{w}x{h}");
            assert_clean(&buf, &label);
            insta::assert_snapshot!(label, screen(&buf));
        }
    }

    /// The list, Acme's detail view, then Ada's card.
    fn open_card(&mut self) {
        self.key("enter");
        assert!(matches!(self.app.stack.last(), Some(Screen::Detail(_))));
        self.key("enter");
        assert!(matches!(self.app.stack.last(), Some(Screen::Person(_))));
    }
}

#[test]
fn the_card_shows_every_field_the_timeline_and_the_history() {
    let mut f = Fixture::new();
    f.open_card();
    let text = f.text(80, 24);
    for part in [
        "Person #1 Ada Lovelace, Chief Technology Officer at Acme Robotics",
        "ada.lovelace@gmail.com (home)",
        "+44 7700 900123 (mobile)",
        "Notes and emails (2)",
        "email by alice · Ada Lovelace: The analytical engine — Hi Ada,",
        "Title: CTO → Chief Technology Officer",
        "keep in touch every 30 days",
    ] {
        assert!(text.contains(part), "{part:?} is not on the card:\n{text}");
    }
    f.snap("person_card");
    // The fields below come into view a page down.
    f.press(KeyCode::PageDown);
    let text = f.text(80, 24);
    for part in [
        "12 St James's Square, London, SW1Y 4JH, United Kingdom (home)",
        "1815-12-10",
        "1835-07-08",
        "investor, math",
        "every 30 days",
    ] {
        assert!(text.contains(part), "{part:?} is not on the card:\n{text}");
    }
}

#[test]
fn the_pager_shows_an_email_whole_and_a_long_note_to_its_end() {
    let mut f = Fixture::new();
    f.open_card();
    // The newest entry first: the email, with its headers.
    f.key("enter");
    assert!(matches!(f.app.stack.last(), Some(Screen::Pager(_))));
    let text = f.text(80, 24);
    for part in [
        "Email #2 (sent)",
        "Sent by     alice",
        "To          ada@acme.example",
        "Subject     The analytical engine",
        "Message-ID  <1@acme.example>",
        "The notes arrived. Shall we meet on Friday?",
        "Charles",
    ] {
        assert!(text.contains(part), "{part:?} is not in the pager:\n{text}");
    }
    f.snap("pager_email");
    // Back on the card, down to the note, and to its end.
    f.key("esc");
    assert!(matches!(f.app.stack.last(), Some(Screen::Person(_))));
    f.key("down");
    f.key("enter");
    let text = f.text(80, 24);
    assert!(text.contains("Line 01 of the call"), "{text}");
    assert!(!text.contains("Line 25"), "{text}");
    f.press(KeyCode::End);
    let text = f.text(80, 24);
    assert!(text.contains("Line 25 of the call"), "{text}");
    f.snap("pager_note_end");
    // `/` and `n`: the next match, from the top again after the last.
    f.key("/");
    for c in "line 1".chars() {
        f.app.handle_key(common::screen::char_event(c));
    }
    f.key("enter");
    let text = f.text(80, 24);
    assert!(text.contains("1 of 10 for line 1"), "{text}");
    f.key("n");
    assert!(f.text(80, 24).contains("2 of 10 for line 1"));
    f.key("esc");
    f.key("esc");
    assert!(matches!(f.app.stack.last(), Some(Screen::Detail(_))));
}

#[test]
fn an_entry_of_a_companys_timeline_opens_whole_too() {
    let mut f = Fixture::new();
    f.key("enter");
    assert!(matches!(f.app.stack.last(), Some(Screen::Detail(_))));
    // Tab: the moves go to the notes and emails; the second is the long note.
    f.press(KeyCode::Tab);
    f.key("down");
    let text = f.text(80, 24);
    assert!(text.contains("▸ Notes and emails (2)"), "{text}");
    assert!(text.contains("Enter read"), "{text}");
    f.key("enter");
    assert!(matches!(f.app.stack.last(), Some(Screen::Pager(_))));
    f.press(KeyCode::End);
    assert!(f.text(80, 24).contains("Line 25 of the call"));
    // Back: the company as it was left, the note still selected.
    f.key("esc");
    match f.app.stack.last() {
        Some(Screen::Detail(d)) => {
            assert!(d.timeline_focus);
            assert_eq!(d.timeline_cursor, 1);
        }
        _ => panic!("not back on the company"),
    }
    // Tab again: Enter opens the person.
    f.press(KeyCode::Tab);
    f.key("enter");
    assert!(matches!(f.app.stack.last(), Some(Screen::Person(_))));
}

#[test]
fn edits_from_the_card_show_on_it_at_once() {
    let mut f = Fixture::new();
    f.open_card();
    // The edit form holds what was imported: the address and the anniversary among it.
    f.key("e");
    let text = f.text(80, 40);
    assert!(
        text.contains("Edit Ada Lovelace at Acme Robotics"),
        "{text}"
    );
    assert!(
        text.contains("Addresses     12 St James's Square, London, SW1Y 4JH"),
        "{text}"
    );
    assert!(text.contains("1835-07-08"), "{text}");
    f.key("esc");
    // The cadence, from the card.
    f.key("c");
    let text = f.text(80, 24);
    assert!(text.contains("Keep in touch with Ada Lovelace"), "{text}");
    for _ in 0..2 {
        f.press(KeyCode::Backspace);
    }
    for c in "14".chars() {
        f.app.handle_key(common::screen::char_event(c));
    }
    f.key("ctrl-s");
    let text = f.text(80, 24);
    assert!(text.contains("Keep in touch  every 14 days"), "{text}");
    assert!(text.contains("keep in touch every 14 days"), "{text}");
    assert!(matches!(f.app.stack.last(), Some(Screen::Person(_))));
}

#[test]
fn merge_and_delete_from_the_card() {
    let mut f = Fixture::new();
    f.open_card();
    // No one like her yet: the merge key says so.
    f.key("D");
    assert!(matches!(f.app.stack.last(), Some(Screen::Person(_))));
    assert!(
        f.text(80, 24).contains("No likely duplicate of #1"),
        "{}",
        f.text(80, 24)
    );
    // Her again, by the same address: the merge view of the two.
    let again = ContactFields {
        full_name: Some("Ada Lovelace".into()),
        email: Some("ada@acme.example".into()),
        ..Default::default()
    };
    let acme = f.app.store.contact(1).unwrap().parent_id;
    let twin = f.app.store.add_contact(acme, &again).unwrap();
    f.key("D");
    assert!(
        matches!(f.app.stack.last(), Some(Screen::Merge(_))),
        "{}",
        f.text(80, 24)
    );
    f.key("esc");
    assert!(matches!(f.app.stack.last(), Some(Screen::Person(_))));
    // Deleting her twin from its card: asked first, then back on the company.
    f.key("esc");
    f.app
        .update(kith::tui::msg::Msg::OpenPerson { contact_id: twin });
    f.key("d");
    assert!(f
        .text(80, 24)
        .contains("Delete Ada Lovelace from Acme Robotics?"));
    f.key("y");
    assert!(matches!(f.app.stack.last(), Some(Screen::Detail(_))));
    assert!(f.text(80, 24).contains(&format!("Deleted contact #{twin}")));
    assert!(f.app.store.contact(twin).is_err());
}

#[test]
fn the_card_and_pager_keys_are_the_config_s_and_the_help_lists_them() {
    use kith::tui::keymap::{Key, Keys};
    let dir = tempfile::tempdir().expect("a temporary folder");
    clock_at(NOW);
    let mut store = Store::open(&dir.path().join("kith.db"), &StoreOptions::default()).unwrap();
    fill(&mut store);
    clock_at(NOW);
    let mut config = Config::default();
    config.keys.open_company = Keys(vec![Key::parse("ctrl-o").unwrap()]);
    config.keys.next_match = Keys(vec![Key::parse("x").unwrap()]);
    let mut app = App::new(store, &config, true).unwrap();
    while !app.stack.is_empty() {
        app.handle_key(event("esc"));
    }
    let mut f = Fixture { _dir: dir, app };
    f.open_card();
    let text = f.text(100, 24);
    assert!(text.contains("Ctrl-O company"), "{text}");
    f.key("?");
    let help = f.text(80, 40);
    assert!(help.contains("Keys: the person's card"), "{help}");
    assert!(
        help.contains("the person's company, in its detail view"),
        "{help}"
    );
    f.key("esc");
    f.key("ctrl-o");
    assert!(matches!(f.app.stack.last(), Some(Screen::Detail(_))));
    f.key("esc");
    f.key("enter");
    assert!(matches!(f.app.stack.last(), Some(Screen::Pager(_))));
    assert!(f.text(80, 24).contains("x next"), "{}", f.text(80, 24));
    f.key("?");
    assert!(f.text(80, 40).contains("Keys: reading a note or email"));
}
