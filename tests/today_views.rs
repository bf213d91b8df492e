//! The Today screen (who is due, birthdays, recent activity, the lead funnel) and
//! relationship-aware search in the TUI: field-scoped `/` filters and title search
//! (`title:cto org:acme tag:investor`), and people the user writes to listed first. Drawn on
//! ratatui's `TestBackend` (snapshots at 80x24 and 40x12) and driven by keys as a user types
//! them. Each record is written at a time the test sets on its thread's clock, and the app
//! opened at [`NOW`].

mod common;

use common::screen::{
    assert_clean, char_event, clock_at, draw, event, line_with, lines_of, screen,
};
use kith::config::Config;
use kith::domain::{ActivityKind, ContactFields, NewActivity, ParentFields, ParentKind, Status};
use kith::store::{Store, StoreOptions};
use kith::tui::app::App;
use kith::tui::screens::Screen;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use tempfile::TempDir;

/// Now, for every test: a Wednesday.
const NOW: &str = "2026-11-25T12:00:00Z";
const SNAP_SIZES: [(u16, u16); 2] = [(80, 24), (40, 12)];

fn person(first: &str, last: &str, title: &str, tags: &[&str]) -> ContactFields {
    ContactFields {
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        title: Some(title.into()),
        email: Some(format!("{}@example.com", first.to_lowercase())),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..Default::default()
    }
}

fn email(contact: i64, subject: &str) -> NewActivity {
    NewActivity {
        kind: ActivityKind::Email,
        contact_id: Some(contact),
        subject: Some(subject.into()),
        body: "Sent from kith.".into(),
        email_to: Some("someone@example.com".into()),
        message_id: None,
    }
}

/// Acme Robotics (a contacted lead): Ada Lovelace and Grace Hopper, both CTOs (Grace tagged
/// investor, born on 5 December, written to on the 24th), and Bob Buyer (every 2 days, never
/// in touch: 3 days overdue). Globex (a customer): Lisa Simpson, CTO and investor (written to
/// on the 22nd), and Hank Scorpio, CEO and investor (every day, a note on the 23rd: 1 day
/// overdue). Leads at every step of the pipeline beside. Everyone is added on the 20th at
/// 10:00, the notes and emails come at 9:30 on the 21st to the 24th, and the leads' statuses
/// are set after.
fn fill(s: &mut Store) {
    let lead = |name: &str| ParentFields {
        name: name.into(),
        ..Default::default()
    };
    clock_at("2026-11-20T10:00:00Z");
    let acme = s
        .add_parent(ParentKind::Lead, &lead("Acme Robotics"))
        .unwrap();
    let globex = s.add_parent(ParentKind::Customer, &lead("Globex")).unwrap();
    let ada = s
        .add_contact(acme, &person("Ada", "Lovelace", "CTO", &[]))
        .unwrap();
    let mut grace = person("Grace", "Hopper", "CTO", &["investor"]);
    grace.birthday = Some("1906-12-05".into());
    let grace = s.add_contact(acme, &grace).unwrap();
    let bob = s
        .add_contact(acme, &person("Bob", "Buyer", "Buyer", &[]))
        .unwrap();
    let mut lisa = person("Lisa", "Simpson", "CTO", &["investor"]);
    lisa.birthday = Some("--01-20".into());
    let lisa = s.add_contact(globex, &lisa).unwrap();
    let hank = s
        .add_contact(globex, &person("Hank", "Scorpio", "CEO", &["investor"]))
        .unwrap();
    s.set_cadence(bob, Some(2)).unwrap();
    s.set_cadence(hank, Some(1)).unwrap();
    clock_at("2026-11-21T09:30:00Z");
    s.add_activity(acme, &NewActivity::note(Some(ada), "Ada wants the spec."))
        .unwrap();
    clock_at("2026-11-22T09:30:00Z");
    s.add_activity(globex, &email(lisa, "Renewal terms"))
        .unwrap();
    clock_at("2026-11-23T09:30:00Z");
    s.add_activity(
        globex,
        &NewActivity::note(Some(hank), "Hank called about the dome."),
    )
    .unwrap();
    clock_at("2026-11-24T09:30:00Z");
    s.add_activity(acme, &email(grace, "The API docs")).unwrap();

    clock_at("2026-11-24T10:00:00Z");
    let acme_lead = s.parent(acme).unwrap();
    s.set_status(acme, acme_lead.version, Status::Contacted, Some("called"))
        .unwrap();
    for (name, status) in [
        ("Initech", None),
        ("Hooli", None),
        ("Pied Piper", Some(Status::Qualified)),
        ("Vandelay Industries", Some(Status::Disqualified)),
    ] {
        let id = s.add_parent(ParentKind::Lead, &lead(name)).unwrap();
        if let Some(status) = status {
            let version = s.parent(id).unwrap().version;
            s.set_status(id, version, status, Some("as it went"))
                .unwrap();
        }
    }
}

struct Fixture {
    _dir: TempDir,
    app: App,
}

impl Fixture {
    /// The app as `kith` opens it on the store `fill` made, at [`NOW`].
    fn with(fill: impl FnOnce(&mut Store)) -> Fixture {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("kith.db");
        let options = StoreOptions {
            actor: Some("alice".into()),
            ..Default::default()
        };
        clock_at(NOW);
        let mut store = Store::open(&path, &options).expect("the store opens");
        fill(&mut store);
        clock_at(NOW);
        let mut app = App::new(store, &Config::default(), true).expect("the app loads");
        app.start();
        Fixture { _dir: dir, app }
    }

    fn new() -> Fixture {
        Fixture::with(fill)
    }

    fn key(&mut self, name: &str) {
        self.app.handle_key(event(name));
    }

    fn keys(&mut self, names: &[&str]) {
        for n in names {
            self.key(n);
        }
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.app.handle_key(char_event(c));
        }
    }

    fn text(&self, w: u16, h: u16) -> String {
        lines_of(&draw(&self.app, w, h)).join("\n")
    }

    fn on_today(&self) -> bool {
        matches!(self.app.stack.last(), Some(Screen::Today(_)))
    }

    fn detail(&self) -> &kith::tui::screens::detail::Detail {
        match self.app.stack.last() {
            Some(Screen::Detail(d)) => d,
            _ => panic!("not in the detail view"),
        }
    }

    /// The names of the detail view's contacts in view, in order.
    fn detail_names(&self) -> Vec<String> {
        let d = self.detail();
        d.view
            .visible
            .iter()
            .map(|&i| d.contacts[i].full_name().to_string())
            .collect()
    }

    /// The names of the parent list's rows in view, in order.
    fn list_names(&self) -> Vec<String> {
        let list = &self.app.list;
        let names: std::collections::HashMap<i64, String> = self
            .app
            .store
            .list_parents()
            .unwrap()
            .into_iter()
            .map(|s| (s.parent.id, s.parent.fields.name))
            .collect();
        list.view
            .visible
            .iter()
            .map(|&i| names[&list.rows[i].id].clone())
            .collect()
    }

    /// The names the title search lists, in order.
    fn title_names(&self) -> Vec<String> {
        match self.app.stack.last() {
            Some(Screen::Titles(t)) => (0..t.rows())
                .map(|r| t.row(r).expect("read").full_name().to_string())
                .collect(),
            _ => panic!("not in the title search"),
        }
    }

    /// Leaves the Today screen the app opened on, for the parent list.
    fn go_to_list(&mut self) {
        if self.on_today() {
            self.key("q");
        }
        assert!(self.app.stack.is_empty(), "on the parent list");
    }

    /// From the parent list, opens `name` with `g` and `j` as a user would.
    fn open_parent(&mut self, name: &str) {
        self.go_to_list();
        self.key("g");
        for _ in 0..self.app.list.view.visible.len() {
            if self
                .app
                .list
                .selected()
                .map(|s| s.parent.fields.name.as_str())
                == Some(name)
            {
                self.key("enter");
                assert_eq!(self.detail().parent.fields.name, name);
                return;
            }
            self.key("j");
        }
        panic!("{name:?} is not in the list");
    }

    fn snap(&self, name: &str) {
        for (w, h) in SNAP_SIZES {
            let buf = draw(&self.app, w, h);
            let label = format!("{name}_{w}x{h}");
            assert_clean(&buf, &label);
            insta::assert_snapshot!(label, screen(&buf));
        }
    }
}

fn selected_rows(buf: &Buffer) -> Vec<String> {
    let lines = lines_of(buf);
    (0..buf.area.height)
        .filter(|&y| (0..buf.area.width).any(|x| buf[(x, y)].modifier.contains(Modifier::REVERSED)))
        .map(|y| lines[y as usize].clone())
        .collect()
}

impl Fixture {
    fn detail_id(&self, name: &str) -> i64 {
        self.app
            .store
            .list_parents()
            .unwrap()
            .into_iter()
            .find(|s| s.parent.fields.name == name)
            .expect("the parent")
            .parent
            .id
    }

    fn contact_id(&self, name: &str) -> i64 {
        self.app
            .store
            .list_contacts(None)
            .unwrap()
            .into_iter()
            .find(|c| c.full_name() == name)
            .expect("the contact")
            .id
    }
}

// ---------------------------------------------------------------------------------------------
// The Today screen.

#[test]
fn today_is_the_first_screen_when_someone_is_due() {
    let f = Fixture::new();
    assert!(f.on_today(), "Bob and Hank are due: Today comes first");
    assert_eq!(f.app.stack.len(), 1, "over the parent list");
    let text = f.text(80, 24);
    assert!(
        text.contains("Today, Wed 25 Nov 2026 · 2 due · 1 birthday"),
        "{text}"
    );
    // Most overdue first: Bob (every 2 days, never in touch) then Hank (every day, a note on
    // the 23rd).
    let bob = line_with(
        &text,
        &["Bob Buyer", "Acme Robotics", "3d overdue", "every 2d"],
    )
    .unwrap_or_else(|| panic!("{text}"));
    assert!(bob.contains("never in touch"), "{bob}");
    let hank = line_with(&text, &["Hank Scorpio", "Globex", "1d overdue"])
        .unwrap_or_else(|| panic!("{text}"));
    assert!(hank.contains("2026-11-23 note"), "{hank}");
    let (b, h) = (
        text.find("Bob Buyer").unwrap(),
        text.find("Hank Scorpio").unwrap(),
    );
    assert!(b < h, "{text}");
    assert!(
        !text.contains("Ada Lovelace  "),
        "Ada has no cadence: {text}"
    );
    // Grace's birthday is in 10 days; Lisa's in January is not listed.
    assert!(
        line_with(&text, &["Dec 5 10d", "Grace Hopper, Acme Robotics"]).is_some(),
        "{text}"
    );
    assert!(!text.contains("Lisa Simpson, Globex"), "{text}");
    // The funnel: open leads at each step.
    assert!(line_with(&text, &["New", "2"]).is_some(), "{text}");
    assert!(line_with(&text, &["Contacted", "1"]).is_some(), "{text}");
    assert!(line_with(&text, &["Disqualified", "1"]).is_some(), "{text}");
    // Recent activity, newest first.
    let docs = text
        .find("Acme Robotics · Grace Hopper: The API docs")
        .expect(&text);
    let spec = text
        .find("Acme Robotics · Ada Lovelace: Ada wants the spec.")
        .expect(&text);
    assert!(docs < spec, "{text}");
    f.snap("today");
}

#[test]
fn today_is_not_the_first_screen_when_nobody_is_due() {
    let f = Fixture::with(|s| {
        let acme = s
            .add_parent(
                ParentKind::Lead,
                &ParentFields {
                    name: "Acme Robotics".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        s.add_contact(acme, &person("Ada", "Lovelace", "CTO", &[]))
            .unwrap();
    });
    assert!(f.app.stack.is_empty(), "nobody due: the parent list");
    let text = f.text(80, 24);
    assert!(text.contains("Acme Robotics"), "{text}");
}

#[test]
fn today_with_nothing_at_all_says_so() {
    let mut f = Fixture::with(|_| {});
    assert!(f.app.stack.is_empty());
    f.key("T");
    assert!(f.on_today());
    let text = f.text(80, 24);
    assert!(text.contains("Nobody is due. Well kept."), "{text}");
    assert!(text.contains("None coming."), "{text}");
    assert!(text.contains("Nothing yet."), "{text}");
    f.key("enter");
    assert!(f.on_today(), "nobody to open");
}

#[test]
fn today_draws_at_every_size_without_panicking() {
    let mut f = Fixture::new();
    for (w, h) in [(20, 5), (200, 50), (30, 8), (59, 20), (60, 10), (80, 6)] {
        let buf = draw(&f.app, w, h);
        assert_clean(&buf, &format!("today {w}x{h}"));
    }
    let big = f.text(200, 50);
    assert!(
        big.contains("Bob Buyer") && big.contains("Lead pipeline (5)"),
        "{big}"
    );
    f.key("?");
    for (w, h) in [(20, 5), (200, 50), (40, 12)] {
        draw(&f.app, w, h);
    }
    let help = f.text(80, 24);
    assert!(help.contains("Keys: today"), "{help}");
}

#[test]
fn t_key_opens_today_from_the_list_the_detail_view_and_the_title_search() {
    let mut f = Fixture::new();
    f.go_to_list();
    let list = f.text(100, 24);
    assert!(
        list.contains("T/Ctrl-T today"),
        "the list's hint names it when it fits: {list}"
    );
    f.key("T");
    assert!(f.on_today(), "from the list");
    f.key("esc");
    assert!(f.app.stack.is_empty(), "Esc goes back");

    f.open_parent("Globex");
    f.key("T");
    assert!(f.on_today(), "from the detail view");
    f.key("q");
    assert_eq!(
        f.detail().parent.fields.name,
        "Globex",
        "back to the detail view"
    );

    // In the title search `T` is text; Ctrl-T is the same action.
    f.key("t");
    f.key("T");
    assert!(!f.on_today(), "T is typed into the search");
    f.key("ctrl-t");
    assert!(f.on_today(), "Ctrl-T from the title search");
    f.key("esc");
    assert_eq!(
        f.detail().parent.fields.name,
        "Globex",
        "the search was replaced"
    );

    // Pressed again from above it, the one Today open comes back to the top.
    f.key("T");
    f.key("enter");
    match f.app.stack.last() {
        Some(Screen::Person(p)) => assert_eq!(p.card.contact.parent_name, "Acme Robotics"),
        _ => panic!("not on the card of the most overdue"),
    }
    f.key("T");
    let todays = f
        .app
        .stack
        .iter()
        .filter(|s| matches!(s, Screen::Today(_)))
        .count();
    assert_eq!(todays, 1, "one Today screen");
    assert!(f.on_today());
}

#[test]
fn enter_on_an_overdue_person_opens_their_card_and_from_it_their_company() {
    let mut f = Fixture::new();
    f.key("j");
    f.key("enter");
    match f.app.stack.last() {
        Some(Screen::Person(p)) => assert_eq!(p.card.contact.full_name(), "Hank Scorpio"),
        _ => panic!("not on Hank's card"),
    }
    let card = f.text(80, 24);
    assert!(card.contains("Keep in touch  every day"), "{card}");
    f.key("o");
    assert_eq!(f.detail().parent.fields.name, "Globex");
    assert_eq!(
        f.detail().selected().map(|c| c.full_name().to_string()),
        Some("Hank Scorpio".into())
    );
    let text = f.text(80, 24);
    let selected = selected_rows(&draw(&f.app, 80, 24));
    assert!(
        selected.iter().any(|l| l.starts_with("Hank Scorpio")),
        "{selected:?}\n{text}"
    );
    f.keys(&["esc", "esc"]);
    assert!(f.on_today(), "back to Today, to go on down the list");
    f.snap("today_second_selected");
}

#[test]
fn today_reads_again_when_the_store_changes() {
    let mut f = Fixture::new();
    // A note about Bob: he is no longer due.
    let acme = f.detail_id("Acme Robotics");
    let bob = f.contact_id("Bob Buyer");
    f.app
        .store
        .add_activity(acme, &NewActivity::note(Some(bob), "Bob says hi."))
        .unwrap();
    f.app.reload().unwrap();
    let text = f.text(80, 24);
    assert!(text.contains("Overdue (1)"), "{text}");
    assert!(
        line_with(&text, &["Bob Buyer", "overdue"]).is_none(),
        "{text}"
    );
    assert!(text.contains("Bob says hi."), "{text}");
}

// ---------------------------------------------------------------------------------------------
// Field-scoped search.

#[test]
fn the_list_filter_takes_field_terms() {
    let mut f = Fixture::new();
    f.go_to_list();
    f.key("/");
    f.type_text("title:cto org:acme");
    assert_eq!(f.list_names(), ["Acme Robotics"]);
    // Without `org:`, every company with a CTO; never one without.
    f.keys(&["ctrl-u"]);
    f.type_text("title:cto");
    let mut names = f.list_names();
    names.sort();
    assert_eq!(names, ["Acme Robotics", "Globex"]);
    // Free words beside the fields still filter fuzzily, on the company's own texts.
    f.type_text(" glob");
    assert_eq!(f.list_names(), ["Globex"]);
    f.keys(&["ctrl-u"]);
    f.type_text("tag:investor due:yes");
    // Hank (investor, due) is at Globex; Grace (investor) at Acme is not due.
    assert_eq!(f.list_names(), ["Globex"]);
    f.key("enter");
    let text = f.text(80, 24);
    assert!(text.contains("/tag:investor due:yes"), "{text}");
    f.key("esc");
    assert_eq!(f.list_names().len(), 6, "Esc clears it: every parent");
}

#[test]
fn the_detail_filter_takes_field_terms() {
    let mut f = Fixture::new();
    f.open_parent("Acme Robotics");
    f.key("/");
    f.type_text("title:cto org:acme");
    let mut names = f.detail_names();
    names.sort();
    assert_eq!(names, ["Ada Lovelace", "Grace Hopper"]);
    f.type_text(" ada");
    assert_eq!(f.detail_names(), ["Ada Lovelace"]);
    f.keys(&["ctrl-u"]);
    f.type_text("org:globex");
    assert!(f.detail_names().is_empty(), "nobody here is at Globex");
    f.keys(&["ctrl-u"]);
    f.type_text("due:yes");
    assert_eq!(f.detail_names(), ["Bob Buyer"]);
    f.keys(&["ctrl-u"]);
    f.type_text("buy");
    assert_eq!(f.detail_names(), ["Bob Buyer"], "free words as before");
}

#[test]
fn title_search_with_a_tag_lists_only_the_tagged_ctos() {
    let mut f = Fixture::new();
    f.go_to_list();
    f.key("t");
    f.type_text("cto");
    assert_eq!(f.title_names().len(), 3, "{:?}", f.title_names());
    f.type_text(" tag:investor");
    assert_eq!(
        f.title_names(),
        ["Grace Hopper", "Lisa Simpson"],
        "Ada is no investor, Hank no CTO; Grace was written to last"
    );
    let text = f.text(80, 24);
    assert!(text.contains("2 people"), "{text}");
    f.type_text(" org:globex");
    assert_eq!(f.title_names(), ["Lisa Simpson"]);
    // Enter opens her card; its company key, Globex with her selected.
    f.key("enter");
    match f.app.stack.last() {
        Some(Screen::Person(p)) => {
            assert_eq!(p.card.contact.full_name(), "Lisa Simpson");
            assert_eq!(p.card.contact.parent_name, "Globex");
        }
        _ => panic!("not on the person's card"),
    }
    f.key("o");
    assert_eq!(f.detail().parent.fields.name, "Globex");
    assert_eq!(
        f.detail().selected().map(|c| c.full_name().to_string()),
        Some("Lisa Simpson".into())
    );
}

// ---------------------------------------------------------------------------------------------
// People the user writes to come first.

#[test]
fn title_search_lists_the_people_written_to_first() {
    let mut f = Fixture::new();
    f.go_to_list();
    f.key("t");
    f.type_text("cto");
    // By name Ada, Grace, Lisa; Grace was written to on the 24th and Lisa on the 22nd, so
    // Grace is closer, then Lisa, then Ada, who was never written to.
    assert_eq!(
        f.title_names(),
        ["Grace Hopper", "Lisa Simpson", "Ada Lovelace"]
    );
    let text = f.text(80, 24);
    assert!(text.contains("3 people"), "each person once: {text}");
    assert_eq!(text.matches("Grace Hopper").count(), 1, "{text}");
    f.snap("title_search_closeness");
}

#[test]
fn the_detail_filter_lists_the_people_written_to_first() {
    let mut f = Fixture::new();
    f.open_parent("Acme Robotics");
    // Unfiltered, the company's order.
    assert_eq!(f.detail_names()[0], "Ada Lovelace");
    f.key("/");
    f.type_text("cto");
    assert_eq!(f.detail_names(), ["Grace Hopper", "Ada Lovelace"]);
    f.key("enter");
    assert_eq!(
        f.detail().selected().map(|c| c.full_name().to_string()),
        Some("Grace Hopper".into())
    );
}
