//! Snapshot tests of every TUI view and dialog, drawn on ratatui's `TestBackend` at 80x24 and at
//! a narrow 40x12, plus checks that no size makes a screen panic and that hostile text never
//! reaches the terminal.
//!
//! Each snapshot is the screen as the terminal would hold it, one quoted line per row (a wide
//! character once), followed by the runs of reverse-video cells: without colour that is how the
//! selection, the focused field's cursor and the selected tab show, so the snapshot says where
//! they are. Every drawing is also checked for control and bidi characters; cells drawn into the
//! hidden half of a wide character (lost on a real terminal) are checked by their own test.
//!
//! Everything is deterministic: hand-made records, each written at a time the test sets on its
//! thread's clock (`kith::clock::set_for_this_thread`, `KITH_NOW` for one thread), and the app
//! drawn at [`NOW`], so "7h ago" is what it says.

use kith::config::Config;
use kith::domain::validate::is_bidi_control;
use kith::domain::{ContactFields, NewActivity, ParentFields, ParentKind, Status};
use kith::store::{Store, StoreOptions};
use kith::tui::app::{App, StatusLine};
use kith::tui::msg::{Effect, Msg};
use kith::tui::popups::Popup;
use kith::tui::screens::help::HelpFor;
use kith::tui::screens::Screen;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Modifier;
use ratatui::Terminal;
use std::path::{Path, PathBuf};
use tempfile::TempDir;
use unicode_width::UnicodeWidthStr;

/// The moment every screen is drawn at.
const NOW: &str = "2026-11-25T12:00:00Z";

/// The sizes every snapshot is taken at.
const SNAP_SIZES: [(u16, u16); 2] = [(80, 24), (40, 12)];

/// The sizes the main screens must draw at without panicking.
const SIZES: [(u16, u16); 4] = [(40, 12), (60, 15), (80, 24), (120, 40)];

const LONG_NAME: &str =
    "The Extraordinarily Long Named International Consolidated Holdings Company of Springfield";

// ---------------------------------------------------------------------------------------------
// The store and the app.

/// A store in a private folder, and the app over it.
struct Fixture {
    _dir: TempDir,
    path: PathBuf,
    app: App,
}

fn options() -> StoreOptions {
    StoreOptions {
        actor: Some("alice".into()),
        ..Default::default()
    }
}

fn open_store(path: &Path) -> Store {
    Store::open(path, &options()).expect("the store opens")
}

/// Sets the clock of this test's thread: what is written from here on is written at `hours`
/// before [`NOW`], and the app takes that time as now.
fn hours_before_now(hours: i64) {
    let now = chrono::DateTime::parse_from_rfc3339(NOW).unwrap().to_utc();
    kith::clock::set_for_this_thread(Some(now - chrono::Duration::hours(hours)));
}

impl Fixture {
    /// An app over the store at `dir/kith.db`, filled by `fill`.
    fn new(fill: impl FnOnce(&mut Store)) -> Fixture {
        Fixture::with_config(fill, &Config::default())
    }

    fn with_config(fill: impl FnOnce(&mut Store), config: &Config) -> Fixture {
        // What `fill` writes without saying when is written now.
        hours_before_now(0);
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("kith.db");
        let mut store = open_store(&path);
        fill(&mut store);
        hours_before_now(0);
        let app = App::new(store, config, true).expect("the app loads");
        Fixture {
            _dir: dir,
            path,
            app,
        }
    }

    fn empty() -> Fixture {
        Fixture::new(|_| {})
    }

    fn sample() -> Fixture {
        Fixture::new(fill_sample)
    }

    /// After another connection wrote: what the loop does between keys, which finds the
    /// change and reads the views again.
    fn tick(&mut self) {
        assert!(self.app.tick(), "the app saw no change");
    }

    /// A key press, and the work it asks for off the drawing path (duplicates, last contacts),
    /// done here as the worker thread would.
    fn key(&mut self, name: &str) {
        for effect in self.app.handle_key(event(name)) {
            use kith::tui::msg::{Effect, Msg};
            match effect {
                Effect::FindDupes { store } => {
                    let found = kith::ops::dupes::find(&store, None).map_err(|e| e.to_string());
                    self.app.update(Msg::DupesFound(found));
                }
                Effect::ReadTouch {
                    store,
                    cadences,
                    now,
                } => {
                    let touch = kith::ops::people::touch(&store, &cadences, now);
                    self.app
                        .update(Msg::PeopleTouch(touch.map_err(|e| e.to_string())));
                }
                _ => {}
            }
        }
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

    fn parent_id(&self, name: &str) -> i64 {
        self.app
            .store
            .list_parents()
            .unwrap()
            .iter()
            .find(|s| s.parent.fields.name == name)
            .unwrap_or_else(|| panic!("no parent named {name:?}"))
            .parent
            .id
    }

    fn contact_id(&self, full_name: &str) -> i64 {
        self.app
            .store
            .list_contacts(None)
            .unwrap()
            .into_iter()
            .find(|c| c.full_name() == full_name)
            .unwrap_or_else(|| panic!("no contact named {full_name:?}"))
            .id
    }

    /// Moves the list's selection to `name` with `g` and `j`, as a user would, and opens it.
    fn open_parent(&mut self, name: &str) {
        assert!(
            self.app.stack.is_empty(),
            "open_parent starts from the list"
        );
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
        // Archived customers are hidden until `A` shows them.
        if !self.app.list.show_archived {
            self.key("A");
            return self.open_parent(name);
        }
        panic!("{name:?} is not in the list");
    }

    /// Moves the detail view's selection to the contact `full_name` with `g` and `j`.
    fn select_contact(&mut self, full_name: &str) {
        self.key("g");
        for _ in 0..self.detail().view.visible.len() {
            if self.detail().selected().map(|c| c.full_name()) == Some(full_name) {
                return;
            }
            self.key("j");
        }
        panic!("{full_name:?} is not in the detail view");
    }

    fn detail(&self) -> &kith::tui::screens::detail::Detail {
        match self.app.stack.last() {
            Some(Screen::Detail(d)) => d,
            _ => panic!("not in a detail view"),
        }
    }

    fn form(&self) -> &kith::tui::popups::form::Form {
        match &self.app.popup {
            Some(Popup::Form(f)) => f,
            _ => panic!("no form open"),
        }
    }

    /// Renders at both snapshot sizes, checks the buffer, and compares with the stored snapshot
    /// `{name}_{w}x{h}`.
    fn snap(&self, name: &str) {
        for (w, h) in SNAP_SIZES {
            let drawn = draw(&self.app, w, h);
            let label = format!("{name}_{w}x{h}");
            insta::assert_snapshot!(label.clone(), screen(drawn.buffer()));
            drawn.assert_clean(&label);
        }
    }
}

/// The sample data: seven leads and customers with varied statuses and scripts, each written
/// 7 hours before the one before it (the first 7 hours before [`NOW`]), its notes an hour or
/// two after it: the list, latest change first, shows them in the order they were added.
fn fill_sample(s: &mut Store) {
    let lead = |name: &str| ParentFields {
        name: name.into(),
        ..Default::default()
    };
    let person = |first: &str, last: &str, title: &str, email: &str| ContactFields {
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        email: (!email.is_empty()).then(|| email.into()),
        title: (!title.is_empty()).then(|| title.into()),
        ..Default::default()
    };

    // 1: a lead with three contacts and two notes, one of them about Grace.
    hours_before_now(7);
    let acme = s
        .add_parent(
            ParentKind::Lead,
            &ParentFields {
                name: "Acme Corporation".into(),
                contact_name: Some("Wile E. Coyote".into()),
                email: Some("hello@acme.example".into()),
                phone: Some("+1 202 555 0100".into()),
                website: Some("https://acme.example".into()),
                industry: Some("Manufacturing".into()),
                source: Some("Trade fair".into()),
                notes: Some("Makes rockets, anvils and giant magnets.".into()),
            },
        )
        .unwrap();
    let mut ada = person("Ada", "Lovelace", "CEO", "ada@acme.example");
    ada.phone = Some("+1 202 555 0101".into());
    s.add_contact(acme, &ada).unwrap();
    s.add_contact(
        acme,
        &person(
            "Alan",
            "Turing",
            "Chief Technology Officer",
            "alan@acme.example",
        ),
    )
    .unwrap();
    let grace = s
        .add_contact(
            acme,
            &person("Grace", "Hopper", "CTO", "grace@acme.example"),
        )
        .unwrap();
    hours_before_now(6);
    s.add_activity(
        acme,
        &NewActivity::note(None, "Intro call went well. They want a demo in December."),
    )
    .unwrap();
    hours_before_now(5);
    s.add_activity(
        acme,
        &NewActivity::note(
            Some(grace),
            "Grace asked for the API docs.\nSend them by Friday.",
        ),
    )
    .unwrap();

    // 2: a customer.
    hours_before_now(14);
    let globex = s
        .add_parent(
            ParentKind::Customer,
            &ParentFields {
                name: "Globex".into(),
                email: Some("sales@globex.example".into()),
                phone: Some("+1 415 555 0199".into()),
                website: Some("globex.example".into()),
                industry: Some("Energy".into()),
                notes: Some("Pays on time.".into()),
                ..Default::default()
            },
        )
        .unwrap();
    s.add_contact(
        globex,
        &person("Hank", "Scorpio", "CEO", "hank@globex.example"),
    )
    .unwrap();
    s.add_contact(
        globex,
        &person("Frank", "Grimes", "Director", "frank@globex.example"),
    )
    .unwrap();
    s.add_contact(
        globex,
        &person("Lisa", "Simpson", "CTO", "lisa@globex.example"),
    )
    .unwrap();
    hours_before_now(13);
    s.add_activity(
        globex,
        &NewActivity {
            kind: kith::domain::ActivityKind::Email,
            contact_id: None,
            subject: Some("Renewal".into()),
            body: "The contract renews in March.".into(),
            email_to: Some("sales@globex.example".into()),
            message_id: None,
        },
    )
    .unwrap();

    // 3-5: leads named in three other scripts, at three statuses.
    let set_status = |s: &mut Store, id: i64, status: Status| {
        let v = s.parent(id).unwrap().version;
        s.set_status(id, v, status, Some("set up for the tests"))
            .unwrap();
    };
    hours_before_now(21);
    let beijing = s.add_parent(ParentKind::Lead, &lead("北京科技")).unwrap();
    s.add_contact(
        beijing,
        &ContactFields {
            full_name: Some("王芳".into()),
            title: Some("CFO".into()),
            email: Some("wang.fang@bjkj.example".into()),
            ..Default::default()
        },
    )
    .unwrap();
    set_status(s, beijing, Status::Contacted);
    hours_before_now(28);
    let cafe = s.add_parent(ParentKind::Lead, &lead("Café ☕ Co")).unwrap();
    s.add_contact(
        cafe,
        &person("José", "Álvarez", "Head of Sales", "jose@cafe.example"),
    )
    .unwrap();
    set_status(s, cafe, Status::Qualified);
    hours_before_now(35);
    let nour = s.add_parent(ParentKind::Lead, &lead("شركة النور")).unwrap();
    set_status(s, nour, Status::Disqualified);

    // 6: an archived customer whose name cannot fit anywhere.
    hours_before_now(42);
    let long = s
        .add_parent(ParentKind::Customer, &lead(LONG_NAME))
        .unwrap();
    s.add_contact(long, &person("Otto", "Mann", "Driver", ""))
        .unwrap();
    let v = s.parent(long).unwrap().version;
    s.set_status(long, v, Status::Archived, None).unwrap();

    // 7: a lead with nothing yet.
    hours_before_now(49);
    s.add_parent(ParentKind::Lead, &lead("Initech")).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Keys.

fn char_event(c: char) -> KeyEvent {
    let modifiers = if c.is_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    KeyEvent::new(KeyCode::Char(c), modifiers)
}

/// A key press by name: a character, or enter, esc, tab, backtab, backspace, up, down, pgup,
/// pgdn, home, end, f1, or ctrl-X.
fn event(name: &str) -> KeyEvent {
    let code = match name {
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => return KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
        "backspace" => KeyCode::Backspace,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "pgup" => KeyCode::PageUp,
        "pgdn" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "f1" => KeyCode::F(1),
        n if n.starts_with("ctrl-") && n.chars().count() == 6 => {
            let c = n.chars().last().unwrap();
            return KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        }
        n if n.chars().count() == 1 => return char_event(n.chars().next().unwrap()),
        n => panic!("unknown key name {n:?}"),
    };
    KeyEvent::new(code, KeyModifiers::NONE)
}

// ---------------------------------------------------------------------------------------------
// Drawing and reading the screen.

/// A drawn screen: the terminal (what a real terminal would show: the backend only receives the
/// cells ratatui's diff sends) and the frame the views drew (everything they wrote, including
/// cells hidden behind a wide character, which never reach the terminal).
struct Drawn {
    term: Terminal<TestBackend>,
    frame: Buffer,
}

impl Drawn {
    fn buffer(&self) -> &Buffer {
        self.term.backend().buffer()
    }

    fn text(&self) -> String {
        text(self.buffer())
    }

    /// See [`assert_clean`].
    fn assert_clean(&self, label: &str) {
        assert_clean(self.buffer(), &self.frame, label);
    }
}

fn draw(app: &App, w: u16, h: u16) -> Drawn {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let frame = term
        .draw(|f| kith::tui::draw::render(app, f))
        .unwrap()
        .buffer
        .clone();
    Drawn { term, frame }
}

/// The screen as text, one quoted row a line, then the reverse-video runs ("row 3, columns
/// 0-79: ..."). The second cell of a wide character belongs to the character.
fn screen(buf: &Buffer) -> String {
    let mut out: String = lines_of(buf).iter().map(|l| format!("\"{l}\"\n")).collect();
    let mut runs = Vec::new();
    let w = buf.area.width;
    for y in 0..buf.area.height {
        // Each cell's reverse flag, the hidden half of a wide character taking its owner's.
        let mut flags = Vec::with_capacity(w as usize);
        let mut skip = 0usize;
        let mut owner = false;
        for x in 0..w {
            let cell = &buf[(x, y)];
            if skip == 0 {
                owner = cell.modifier.contains(Modifier::REVERSED);
            }
            flags.push(owner);
            skip = skip.max(cell.symbol().width()).saturating_sub(1);
        }
        let row = &lines_of_cells(buf, y);
        let mut x = 0usize;
        while x < w as usize {
            if flags[x] {
                let start = x;
                while x < w as usize && flags[x] {
                    x += 1;
                }
                let text: String = row[start..x].concat();
                runs.push(format!(
                    "row {y:>2}, columns {start}-{}: {:?}",
                    x - 1,
                    text.trim_end()
                ));
            } else {
                x += 1;
            }
        }
    }
    out.push_str("reverse video:\n");
    if runs.is_empty() {
        out.push_str("  (none)\n");
    }
    for r in runs {
        out.push_str(&format!("  {r}\n"));
    }
    out
}

/// The symbols of row `y`, one per cell, the hidden half of a wide character as "".
fn lines_of_cells(buf: &Buffer, y: u16) -> Vec<&str> {
    let mut skip = 0usize;
    (0..buf.area.width)
        .map(|x| {
            let sym = buf[(x, y)].symbol();
            let shown = if skip == 0 { sym } else { "" };
            skip = skip.max(sym.width()).saturating_sub(1);
            shown
        })
        .collect()
}

/// Each row of the buffer as a string, wide characters once (their hidden cell skipped).
fn lines_of(buf: &Buffer) -> Vec<String> {
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

/// Everything on screen, rows joined by newlines: for `contains` checks.
fn text(buf: &Buffer) -> String {
    lines_of(buf).join("\n")
}

/// Checks that neither the terminal nor the frame holds a control or bidi character.
fn assert_clean(screen: &Buffer, frame: &Buffer, label: &str) {
    for buf in [screen, frame] {
        for (i, cell) in buf.content.iter().enumerate() {
            let sym = cell.symbol();
            if let Some(c) = sym.chars().find(|&c| c.is_control() || is_bidi_control(c)) {
                let (x, y) = buf.pos_of(i);
                panic!("{label}: cell ({x}, {y}) holds {c:?} (symbol {sym:?})");
            }
        }
    }
}

/// What the views drew into the hidden half of a wide character: such a cell is never sent to
/// the terminal, so what was drawn there (a border, a letter) is lost on screen.
fn lost_cells(d: &Drawn, label: &str) -> Vec<String> {
    let frame = &d.frame;
    let mut lost = Vec::new();
    let w = frame.area.width;
    for y in 0..frame.area.height {
        for x in 0..w {
            let sym = frame[(x, y)].symbol();
            for k in 1..sym.width() as u16 {
                let hidden = if x + k < w {
                    frame[(x + k, y)].symbol()
                } else {
                    "(the right edge)"
                };
                if !(hidden == " " || hidden.is_empty()) {
                    lost.push(format!(
                        "{label}: the wide {sym:?} at ({x}, {y}) hides {hidden:?} at ({}, {y}); \
                         the row shows {:?}",
                        x + k,
                        lines_of(d.buffer())[y as usize].trim_end()
                    ));
                }
            }
        }
    }
    lost
}

fn selected_row_text(buf: &Buffer) -> Vec<String> {
    let lines = lines_of(buf);
    (0..buf.area.height)
        .filter(|&y| {
            (0..buf.area.width)
                .filter(|&x| buf[(x, y)].modifier.contains(Modifier::REVERSED))
                .count()
                > 1
        })
        .map(|y| lines[y as usize].clone())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 1. The welcome screen.

#[test]
fn welcome_screen_on_an_empty_store() {
    let f = Fixture::empty();
    f.snap("welcome");
    let term = draw(&f.app, 80, 24);
    assert!(term.text().contains("Welcome to kith."));
}

// ---------------------------------------------------------------------------------------------
// 2. The parent list.

#[test]
fn parent_list_and_its_kind_tabs() {
    let mut f = Fixture::sample();
    assert_eq!(f.app.list.rows.len(), 7);
    assert_eq!(
        f.app.list.view.visible.len(),
        6,
        "the archived customer is hidden"
    );
    // Each tab counts the rows it shows ("All 7" stood over six), and says what is hidden
    // when there is room to say it whole.
    let tabs = tab_line(&f.app, 80);
    assert!(
        tabs.starts_with(" All 6  Leads 5  Customers 1  People  1 archived hidden (A)"),
        "{tabs:?}"
    );
    let tabs = tab_line(&f.app, 40);
    assert_eq!(
        tabs.trim_end(),
        " All 6  Leads 5  Customers 1  People",
        "{tabs:?}"
    );
    f.snap("parent_list");
    f.key("tab");
    assert_eq!(f.app.list.view.visible.len(), 5, "five leads");
    f.snap("parent_list_leads");
    f.key("tab");
    assert_eq!(f.app.list.view.visible.len(), 1, "one active customer");
    f.snap("parent_list_customers");
    f.key("A");
    assert_eq!(
        f.app.list.view.visible.len(),
        2,
        "A shows the archived one too"
    );
    f.snap("parent_list_customers_with_archived");
    f.key("tab");
    assert_eq!(
        f.app.list.view.visible.len(),
        7,
        "back to all, archived shown"
    );
}

/// `P`, or Tab past Customers: every person, one row each, ordered by `o`, found by `/`, with
/// Tab back to the companies.
#[test]
fn the_people_list_every_person_one_row_each() {
    let mut f = Fixture::sample();
    f.keys(&["tab", "tab", "tab"]);
    let term = draw(&f.app, 80, 24);
    assert!(term.text().contains("People "), "{}", term.text());
    assert!(term.text().contains("Grace Hopper"), "{}", term.text());
    // Last contact: when, and by whom.
    let grace = lines_of(term.buffer())
        .into_iter()
        .find(|l| l.starts_with("Grace Hopper"))
        .unwrap_or_default();
    assert!(grace.contains("5h alice"), "{grace:?}");
    f.snap("people");
    f.key("o");
    let term = draw(&f.app, 80, 24);
    assert!(term.text().contains("by company (o)"), "{}", term.text());
    f.key("/");
    f.type_text("hopper");
    let term = draw(&f.app, 80, 24);
    let sel = selected_row_text(term.buffer());
    assert!(sel.iter().any(|r| r.contains("Grace Hopper")), "{sel:?}");
    f.snap("people_filtered");
    f.key("enter");
    f.key("esc");
    f.key("tab");
    let tabs = tab_line(&f.app, 80);
    assert!(tabs.starts_with(" All 6 "), "{tabs:?}");
}

#[test]
fn parent_list_moves_with_j_and_g() {
    let mut f = Fixture::sample();
    f.keys(&["j", "j", "j"]);
    f.snap("parent_list_fourth_selected");
    let term = draw(&f.app, 80, 24);
    let sel = selected_row_text(term.buffer());
    assert_eq!(sel.len(), 2, "the All tab and one row: {sel:?}");
    assert!(sel[1].contains("Café ☕ Co"), "{sel:?}");
    f.key("G");
    assert_eq!(f.app.list.selected().unwrap().parent.fields.name, "Initech");
}

#[test]
fn parent_list_filter() {
    let mut f = Fixture::sample();
    f.key("/");
    f.type_text("acm");
    assert!(f.app.list.view.filtering);
    f.snap("parent_list_filter_typing");
    for w in [40, 30, 20] {
        let top = tab_line(&f.app, w);
        assert!(
            top.contains("/acm▏"),
            "at {w} columns the tab line does not show what is typed: {top:?}"
        );
    }
    f.key("enter");
    assert!(!f.app.list.view.filtering);
    assert_eq!(
        f.app.list.selected().unwrap().parent.fields.name,
        "Acme Corporation"
    );
    f.snap("parent_list_filter_kept");
    let top = tab_line(&f.app, 40);
    assert!(
        top.contains("/acm"),
        "the kept filter is not shown: {top:?}"
    );
    f.key("esc");
    assert_eq!(f.app.list.view.visible.len(), 6, "Esc clears a kept filter");
}

/// The parent list's top line (its tabs and filter) at `w` columns.
fn tab_line(app: &App, w: u16) -> String {
    draw(app, w, 12)
        .text()
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

#[test]
fn a_long_filter_shows_its_end_where_the_typing_is() {
    let mut f = Fixture::sample();
    f.key("/");
    f.type_text("international corporation of acme");
    let top = tab_line(&f.app, 40);
    assert!(
        top.contains("…") && top.contains("of acme▏"),
        "a filter too long for the tab line does not show its end: {top:?}"
    );
}

#[test]
fn parent_list_filter_without_match() {
    let mut f = Fixture::sample();
    f.key("/");
    f.type_text("zzzz");
    f.snap("parent_list_filter_no_match");
}

// ---------------------------------------------------------------------------------------------
// 3. The detail view.

#[test]
fn detail_of_a_lead_and_the_timeline_toggle() {
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    assert_eq!(f.detail().contacts.len(), 3);
    assert_eq!(f.detail().activities.len(), 2);
    f.snap("detail_lead");
    f.select_contact("Grace Hopper");
    f.key("v");
    assert!(f.detail().only_selected);
    assert_eq!(f.detail().timeline().len(), 1, "Grace's note only");
    f.snap("detail_lead_notes_of_grace");
    f.select_contact("Ada Lovelace");
    assert_eq!(f.detail().timeline().len(), 0, "Ada has no note");
    f.snap("detail_lead_notes_of_ada");
    f.key("v");
    assert_eq!(f.detail().timeline().len(), 2);
}

#[test]
fn detail_of_a_customer() {
    let mut f = Fixture::sample();
    f.open_parent("Globex");
    f.snap("detail_customer");
}

/// The status bar at 80x24.
fn status_bar(app: &App) -> String {
    let shown = draw(app, 80, 24).text();
    shown
        .lines()
        .last()
        .unwrap_or_default()
        .trim_end()
        .to_string()
}

#[test]
fn the_detail_view_offers_only_what_can_be_done() {
    // A customer's detail view offered `c convert`: only an open lead converts, and a
    // converted lead keeps its status as history.
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    let lead = status_bar(&f.app);
    assert!(
        lead.contains("c convert") && lead.contains("s status"),
        "{lead}"
    );
    f.keys(&["c", "y"]);
    assert_eq!(f.detail().parent.kind, ParentKind::Customer);
    f.key("j");
    let customer = status_bar(&f.app);
    f.key("esc");
    f.app.list.select_id(1);
    f.key("enter");
    assert!(f.detail().parent.converted_to.is_some());
    let converted = status_bar(&f.app);
    assert!(!customer.contains("convert"), "a customer: {customer}");
    assert!(customer.contains("s status"), "a customer: {customer}");
    for word in ["convert", "status"] {
        assert!(!converted.contains(word), "a converted lead: {converted}");
    }
}

#[test]
fn detail_with_no_contacts() {
    let mut f = Fixture::sample();
    f.open_parent("Initech");
    f.snap("detail_no_contacts");
    let term = draw(&f.app, 80, 24);
    assert!(term.text().contains("No contacts yet. a adds one."));
}

#[test]
fn detail_of_the_long_named_customer() {
    let mut f = Fixture::sample();
    f.open_parent(LONG_NAME);
    f.snap("detail_long_name");
}

#[test]
fn detail_of_a_cjk_lead() {
    let mut f = Fixture::sample();
    f.open_parent("北京科技");
    f.snap("detail_cjk");
}

#[test]
fn detail_filter() {
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    f.key("/");
    f.type_text("grace");
    f.snap("detail_filter_typing");
    f.key("enter");
    assert_eq!(f.detail().selected().unwrap().full_name(), "Grace Hopper");
    f.key("esc");
    assert_eq!(
        f.detail().view.visible.len(),
        3,
        "Esc clears the filter first"
    );
    f.key("esc");
    assert!(f.app.stack.is_empty(), "then goes back to the list");
    assert_eq!(
        f.app.list.selected().unwrap().parent.fields.name,
        "Acme Corporation",
        "the list keeps the parent selected"
    );
}

// ---------------------------------------------------------------------------------------------
// 4. Find by title.

#[test]
fn find_by_title() {
    let mut f = Fixture::sample();
    f.key("t");
    assert!(matches!(f.app.stack.last(), Some(Screen::Titles(_))));
    f.snap("title_search_empty_query");
    f.type_text("cto");
    let found: Vec<(String, String)> = match f.app.stack.last() {
        Some(Screen::Titles(t)) => t
            .results
            .iter()
            .map(|&i| {
                let c = t.finder.contact(i);
                (
                    c.full_name().to_string(),
                    c.fields.title.clone().unwrap_or_default(),
                )
            })
            .collect(),
        _ => unreachable!(),
    };
    let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"Grace Hopper"), "{found:?}");
    assert!(names.contains(&"Lisa Simpson"), "{found:?}");
    assert!(
        names.contains(&"Alan Turing"),
        "Chief Technology Officer is a CTO: {found:?}"
    );
    assert!(
        !names.contains(&"Frank Grimes"),
        "a Director is no CTO: {found:?}"
    );
    assert_eq!(found.len(), 3, "{found:?}");
    f.snap("title_search_cto");

    // Down to the second person, then open: their card, over the search.
    f.key("down");
    let second = found[1].0.clone();
    f.key("enter");
    assert_eq!(f.app.stack.len(), 2, "the card opens over the search");
    match f.app.stack.last() {
        Some(Screen::Person(p)) => assert_eq!(p.card.contact.full_name(), second),
        _ => panic!("not on the card"),
    }
    f.snap("title_search_opened");
    // From the card, their company, with them selected.
    f.key("o");
    assert_eq!(f.detail().selected().unwrap().full_name(), second);
    let term = draw(&f.app, 80, 24);
    let sel = selected_row_text(term.buffer());
    assert_eq!(sel.len(), 1, "{sel:?}");
    assert!(sel[0].starts_with(&second), "{sel:?}");
    // Back is back: the card, then the search as it was left.
    f.keys(&["esc", "esc"]);
    match f.app.stack.last() {
        Some(Screen::Titles(t)) => {
            assert_eq!(t.input.text, "cto");
            assert_eq!(t.cursor.selected, 1);
        }
        _ => panic!("not back on the title search"),
    }
    f.key("esc");
    assert!(f.app.stack.is_empty(), "Esc goes back to the list");
}

#[test]
fn find_by_title_without_match() {
    let mut f = Fixture::sample();
    f.key("t");
    f.type_text("astronaut");
    f.snap("title_search_no_match");
}

/// The rows of the find in view: (what it is, title).
fn found_rows(f: &Fixture) -> Vec<(String, String)> {
    match f.app.stack.last() {
        Some(Screen::Find(find)) => find
            .found
            .iter()
            .map(|r| (r.label.to_string(), r.title.clone()))
            .collect(),
        _ => panic!("the find is not in view"),
    }
}

#[test]
fn find_everything() {
    let mut f = Fixture::sample();
    f.key("f");
    assert!(matches!(f.app.stack.last(), Some(Screen::Find(_))));
    f.snap("find_empty_query");
    f.type_text("grace");
    let rows = found_rows(&f);
    assert_eq!(
        rows[0],
        ("person".to_string(), "Grace Hopper".to_string()),
        "{rows:?}"
    );
    assert!(
        rows.contains(&(
            "note".into(),
            "Note on Acme Corporation about Grace Hopper".into()
        )),
        "{rows:?}"
    );
    f.snap("find_grace");

    // Enter on the person: their card; Esc comes back to the find.
    f.key("enter");
    match f.app.stack.last() {
        Some(Screen::Person(p)) => assert_eq!(p.card.contact.full_name(), "Grace Hopper"),
        _ => panic!("Enter on a person opens their card"),
    }
    f.key("esc");
    assert_eq!(found_rows(&f), rows);

    // Enter on the note: its company, the timeline on that note, selected.
    let at = rows.iter().position(|r| r.0 == "note").unwrap();
    for _ in 0..at {
        f.key("down");
    }
    f.key("enter");
    assert_eq!(f.detail().parent.fields.name, "Acme Corporation");
    f.snap("find_opened_note");
    // Esc: the find again, as it was left.
    f.key("esc");
    assert_eq!(found_rows(&f), rows);
    f.key("esc");
    assert!(f.app.stack.is_empty(), "Esc goes back to the list");
}

#[test]
fn find_everything_without_match() {
    let mut f = Fixture::sample();
    f.key("ctrl-k");
    f.type_text("astronaut");
    f.snap("find_no_match");
}

// ---------------------------------------------------------------------------------------------
// 5. Help.

#[test]
fn help_overlays() {
    let mut f = Fixture::sample();
    f.key("?");
    f.snap("help_list");
    f.key("x");
    assert!(f.app.popup.is_none(), "any key closes the help");
    f.open_parent("Acme Corporation");
    f.key("?");
    f.snap("help_detail");
    f.key("esc");
    assert!(f.app.popup.is_none());
    assert_eq!(
        f.app.stack.len(),
        1,
        "the key that closes help does nothing else"
    );
    f.key("a");
    f.key("?");
    // In a form `?` is text, not help.
    assert_eq!(f.form().get("first_name"), "?");
    f.key("backspace");
    assert!(f.form().get("first_name").is_empty());
}

#[test]
fn help_content_for_forms() {
    // The form's help, drawn as the overlay the app has for it (`HelpFor::Form`), over the
    // detail view. How to reach it from a form is `help_is_reachable_from_a_form`'s question.
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    f.key("a");
    assert_eq!(f.app.help_for(), HelpFor::Form);
    // `?` is typed text in a form: nothing on screen may offer it as the help key.
    let status = |f: &Fixture, w, h| draw(&f.app, w, h).text().lines().last().map(String::from);
    for (w, h) in SNAP_SIZES {
        let status = status(&f, w, h).unwrap_or_default();
        assert!(
            !status.contains('?') && status.contains("F1 help"),
            "at {w}x{h} the status bar under a form offers the wrong keys: {status:?}"
        );
    }
    f.key("f1");
    assert_eq!(f.app.help.map(|h| h.about), Some(HelpFor::Form));
    f.snap("help_form");
    for (w, h) in SNAP_SIZES {
        let status = status(&f, w, h).unwrap_or_default();
        assert!(
            !status.contains('?'),
            "at {w}x{h} the status bar under the help offers `?`: {status:?}"
        );
    }
}

#[test]
fn help_is_reachable_from_a_form() {
    // SPEC: `?` anywhere shows the keys of the current view. In a form `?` must stay text (a
    // note may ask a question), so another key has to open the form's help, and closing the
    // help must give the form back with what was typed. F1 is the usual one.
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    f.key("a");
    f.type_text("Kath");
    f.app
        .handle_key(KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE));
    let term = draw(&f.app, 80, 24);
    let shown = term.text();
    assert!(
        shown.contains("Keys: forms"),
        "no key opens the form's help (HelpFor::Form is unreachable); screen:\n{shown}"
    );
    f.key("esc");
    assert_eq!(
        f.form().get("first_name"),
        "Kath",
        "closing help keeps the form"
    );
}

#[test]
fn help_in_title_search() {
    let mut f = Fixture::sample();
    f.key("t");
    // `?` is text in the title search; its help is drawn as the app has it.
    f.key("?");
    match f.app.stack.last() {
        Some(Screen::Titles(t)) => assert_eq!(t.input.text, "?"),
        _ => panic!("not in the title search"),
    }
    f.key("backspace");
    f.key("f1");
    assert_eq!(f.app.help.map(|h| h.about), Some(HelpFor::TitleSearch));
    f.snap("help_title_search");
}

// ---------------------------------------------------------------------------------------------
// 6. The contact form.

#[test]
fn contact_form_empty_filled_and_saved() {
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    f.key("a");
    f.snap("contact_form_empty");
    f.type_text("Katherine");
    f.key("tab");
    f.type_text("Johnson");
    f.keys(&["tab", "tab"]);
    f.type_text("kj@acme.example");
    f.key("tab");
    f.type_text("+1 757 555 0199");
    f.key("tab");
    f.type_text("Mathematician");
    f.key("tab");
    f.type_text("Calculated the trajectories.");
    assert_eq!(f.form().focus, 6, "the notes field");
    f.snap("contact_form_filled");
    f.key("backtab");
    assert_eq!(f.form().focus, 5, "Shift-Tab goes back to the title");
    f.key("ctrl-s");
    assert!(f.app.popup.is_none(), "saved");
    assert_eq!(f.detail().contacts.len(), 4);
    assert_eq!(
        f.detail().selected().unwrap().full_name(),
        "Katherine Johnson",
        "the new contact is selected"
    );
    f.snap("contact_form_saved");
}

#[test]
fn contact_form_title_suggestions() {
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    f.key("a");
    f.type_text("Mary");
    for _ in 0..5 {
        f.key("tab");
    }
    assert_eq!(f.form().focused().key, "title");
    f.type_text("C");
    let suggestions = f.form().suggestions.clone();
    for t in ["CEO", "CTO", "CFO"] {
        assert!(suggestions.contains(&t.to_string()), "{suggestions:?}");
    }
    assert!(
        !suggestions.contains(&"Director".to_string()),
        "{suggestions:?}"
    );
    f.snap("contact_form_title_suggestions");
    // The suggestions open under the title and push the fields below down: none is drawn
    // over a field, and at 80x24 every field still shows.
    let shown = draw(&f.app, 80, 24).text();
    let rows: Vec<&str> = shown.lines().collect();
    let title = rows
        .iter()
        .position(|r| r.contains("│Title"))
        .expect("the title row");
    for (k, s) in suggestions.iter().enumerate() {
        let row = rows[title + 1 + k];
        assert!(row.contains(&format!("↳ {s}")), "suggestion {k}:\n{shown}");
        assert!(
            !row.contains("Notes"),
            "a suggestion on the Notes row:\n{shown}"
        );
    }
    for label in ["Notes", "More emails", "Tags", "Birthday"] {
        assert!(
            shown.contains(&format!("│{label}")),
            "{label} is hidden:\n{shown}"
        );
    }
    f.key("down");
    f.snap("contact_form_title_suggestion_highlighted");
    f.key("enter");
    assert_eq!(f.form().get("title"), suggestions[0]);
    assert_eq!(
        f.form().focused().key,
        "title",
        "Enter on a suggestion stays"
    );
}

#[test]
fn contact_form_validation_error() {
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    let before = f.app.store.list_contacts(None).unwrap().len();
    f.key("a");
    f.type_text("Grace");
    f.keys(&["tab", "tab", "tab"]);
    f.type_text("grace@x");
    f.key("tab");
    f.key("ctrl-s");
    assert!(
        matches!(f.app.popup, Some(Popup::Form(_))),
        "the form stays open"
    );
    assert_eq!(
        f.form().focused().key,
        "email",
        "focus goes to the bad field"
    );
    assert!(f.form().focused().error.is_some());
    assert_eq!(
        f.app.store.list_contacts(None).unwrap().len(),
        before,
        "nothing was stored"
    );
    f.snap("contact_form_email_error");
    f.type_text(".example");
    assert!(
        f.form().focused().error.is_none(),
        "typing clears the error"
    );
}

#[test]
fn contact_form_discard_prompt() {
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    f.key("a");
    f.key("esc");
    assert!(f.app.popup.is_none(), "an untouched form closes at once");
    f.key("a");
    f.type_text("Kat");
    f.key("esc");
    assert!(f.form().confirm_cancel);
    f.snap("contact_form_discard_prompt");
    f.key("n");
    assert!(!f.form().confirm_cancel, "any other key keeps the form");
    assert_eq!(f.form().get("first_name"), "Kat");
    f.key("esc");
    f.key("y");
    assert!(f.app.popup.is_none(), "y discards");
    assert_eq!(f.app.store.list_contacts(None).unwrap().len(), 9);
}

#[test]
fn contact_form_edit() {
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    f.select_contact("Grace Hopper");
    f.key("e");
    assert_eq!(f.form().get("email"), "grace@acme.example");
    f.snap("contact_form_edit");
}

// ---------------------------------------------------------------------------------------------
// 7. The other forms.

#[test]
fn lead_form() {
    let mut f = Fixture::sample();
    f.key("L");
    assert_eq!(f.form().fields.len(), 8);
    f.snap("lead_form_empty");
    f.type_text("Umbrella");
    f.key("tab");
    f.type_text("Albert Wesker");
    f.key("tab");
    f.type_text("info@umbrella.example");
    f.keys(&["tab", "tab"]);
    f.type_text("umbrella.example");
    f.key("tab");
    f.type_text("Pharma");
    f.key("tab");
    f.type_text("Referral");
    f.key("tab");
    f.type_text("Big budget.");
    f.snap("lead_form_filled");
    f.key("ctrl-s");
    assert!(f.app.popup.is_none());
    let id = f.parent_id("Umbrella");
    let p = f.app.store.parent(id).unwrap();
    assert_eq!(p.kind, ParentKind::Lead);
    assert_eq!(
        p.status,
        Status::InformationFilled,
        "name, website and email fill a lead's information"
    );
    assert_eq!(f.app.list.selected().unwrap().parent.id, id);
}

#[test]
fn lead_form_with_wide_text_overflowing_the_field() {
    let mut f = Fixture::sample();
    f.key("L");
    f.type_text("北京科技有限公司北京科技有限公司北京科技有限公司北京科技");
    f.snap("lead_form_wide_overflow");
}

#[test]
fn customer_form() {
    let mut f = Fixture::sample();
    f.key("C");
    assert_eq!(f.form().fields.len(), 6);
    f.snap("customer_form_empty");
}

#[test]
fn edit_parent_form() {
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    f.key("E");
    assert_eq!(f.form().get("name"), "Acme Corporation");
    assert_eq!(f.form().get("source"), "Trade fair");
    f.snap("edit_lead_form");
    f.key("esc");
    f.key("esc");
    f.open_parent("Globex");
    f.key("E");
    assert_eq!(
        f.form().fields.len(),
        6,
        "a customer has no contact name nor source"
    );
    f.snap("edit_customer_form");
}

#[test]
fn note_form() {
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    f.select_contact("Grace Hopper");
    f.key("n");
    f.snap("note_form_empty");
    f.type_text("Sent the API docs.");
    f.key("enter");
    f.type_text("She will reply next week.");
    assert_eq!(
        f.form().get("body"),
        "Sent the API docs.\nShe will reply next week."
    );
    f.snap("note_form_filled");
    f.key("ctrl-s");
    assert!(f.app.popup.is_none());
    let notes = f
        .app
        .store
        .list_activities(
            f.parent_id("Acme Corporation"),
            Some(f.contact_id("Grace Hopper")),
        )
        .unwrap();
    assert_eq!(notes.len(), 2);
    f.snap("note_form_saved");
}

#[test]
fn note_form_empty_body_is_refused() {
    let mut f = Fixture::sample();
    f.open_parent("Initech");
    f.key("n");
    f.key("ctrl-s");
    assert!(
        f.form().fields[0].error.is_some(),
        "an empty note is refused"
    );
    f.snap("note_form_empty_refused");
}

#[test]
fn email_form() {
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    f.select_contact("Ada Lovelace");
    f.key("m");
    assert_eq!(f.form().get("to"), "ada@acme.example");
    f.snap("email_form");
    f.key("tab");
    f.type_text("Demo date");
    f.key("tab");
    f.type_text("Would December 3rd suit you?");
    f.snap("email_form_filled");
}

#[test]
fn unfocused_fields_show_the_start_of_their_value() {
    // Every field's cursor is put at the end of its text when the form opens, so an unfocused
    // field longer than its box is drawn scrolled to its end: "es rockets, anvils and giant
    // magnets." for "Makes rockets, ...". Unfocused fields should show their beginning.
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    f.key("E");
    let d = draw(&f.app, 40, 12);
    assert!(
        d.text().contains("Makes rock"),
        "the notes field does not show its beginning:\n{}",
        d.text()
    );
}

#[test]
fn detail_header_keeps_its_suffix() {
    // The header leaves 30 columns for the kind, id and status, but not for " (from lead #1)"
    // or " → customer #8": at 40 columns the line is cut in the middle of a word.
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    f.keys(&["c", "y"]);
    let d = draw(&f.app, 40, 12);
    let top = lines_of(d.buffer())[0].trim_end().to_string();
    assert!(top.ends_with("(from lead #1)"), "{top:?}");
    f.keys(&["esc"]);
    // The customer, changed last, comes first in the list; the lead is #1.
    f.app.list.select_id(1);
    f.key("enter");
    assert_eq!(f.detail().parent.kind, ParentKind::Lead);
    let d = draw(&f.app, 40, 12);
    let top = lines_of(d.buffer())[0].trim_end().to_string();
    assert!(top.ends_with("customer #8"), "{top:?}");
}

#[test]
fn title_search_columns_use_the_whole_width() {
    // The four column widths are rounded separately, and the last is computed from a rounded
    // total that does not match them, so at 80 columns the rows end one column short.
    let mut f = Fixture::sample();
    f.key("t");
    for w in [70, 80, 100, 120] {
        let d = draw(&f.app, w, 24);
        let buf = d.buffer();
        let reversed = (0..w)
            .filter(|&x| buf[(x, 2)].modifier.contains(Modifier::REVERSED))
            .count();
        assert_eq!(reversed, w as usize, "the selected row at width {w}");
    }
}

// ---------------------------------------------------------------------------------------------
// 8. Confirmations.

#[test]
fn confirm_delete_contact() {
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    f.select_contact("Grace Hopper");
    f.key("d");
    assert!(matches!(f.app.popup, Some(Popup::Confirm(_))));
    f.snap("confirm_delete_contact");
    f.key("n");
    assert!(f.app.popup.is_none());
    assert_eq!(f.detail().contacts.len(), 3, "n keeps the contact");
    f.key("d");
    f.key("y");
    assert_eq!(f.detail().contacts.len(), 2);
    assert_eq!(
        f.app
            .store
            .list_activities(f.parent_id("Acme Corporation"), None)
            .unwrap()
            .len(),
        2,
        "the notes stay on the parent"
    );
    f.snap("confirm_delete_contact_done");
}

#[test]
fn confirm_convert_then_customer_detail() {
    let mut f = Fixture::sample();
    let lead = f.parent_id("Acme Corporation");
    f.open_parent("Acme Corporation");
    f.key("c");
    assert!(matches!(f.app.popup, Some(Popup::Confirm(_))));
    f.snap("confirm_convert");
    f.key("y");
    let customer = f.detail().parent.id;
    assert_ne!(customer, lead);
    assert_eq!(f.detail().parent.kind, ParentKind::Customer);
    assert_eq!(f.detail().converted_from, Some(lead));
    let stored = f.app.store.parent(customer).unwrap();
    assert_eq!(stored.kind, ParentKind::Customer);
    assert_eq!(stored.fields.name, "Acme Corporation");
    assert_eq!(
        f.app.store.parent(lead).unwrap().converted_to,
        Some(customer)
    );
    let contacts = f.app.store.list_contacts(Some(customer)).unwrap();
    assert_eq!(contacts.len(), 4, "three moved and Wile E. Coyote promoted");
    assert_eq!(
        f.detail().selected().unwrap().full_name(),
        "Wile E. Coyote",
        "the promoted contact is selected"
    );
    assert_eq!(
        f.app.store.list_activities(customer, None).unwrap().len(),
        2
    );
    f.snap("convert_done_customer_detail");
    f.key("esc");
    f.snap("convert_done_list");
}

#[test]
fn convert_a_customer_says_so() {
    let mut f = Fixture::sample();
    f.open_parent("Globex");
    f.key("c");
    assert!(f.app.popup.is_none());
    f.snap("convert_customer_refused");
}

#[test]
fn confirm_dialogs_always_show_their_keys() {
    // The dialog is 8 rows high whatever its message; a message that wraps to more than four
    // lines pushes "y yes · n/Esc no" out of it, and the user cannot see how to answer.
    let mut missing = Vec::new();
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    f.key("c");
    for (w, h) in [(80, 24), (40, 12)] {
        if !draw(&f.app, w, h).text().contains("y yes") {
            missing.push(format!("convert Acme Corporation at {w}x{h}"));
        }
    }
    f.keys(&["n", "esc"]);
    f.open_parent(LONG_NAME);
    f.key("d");
    for (w, h) in [(80, 24), (40, 12)] {
        if !draw(&f.app, w, h).text().contains("y yes") {
            missing.push(format!("delete Otto Mann at {w}x{h}"));
        }
    }
    f.snap("confirm_delete_long_names");
    assert!(missing.is_empty(), "the keys are cut off in: {missing:?}");
}

// ---------------------------------------------------------------------------------------------
// 9. Status.

#[test]
fn status_picker_and_reason() {
    let mut f = Fixture::sample();
    let id = f.parent_id("Acme Corporation");
    f.open_parent("Acme Corporation");
    f.key("s");
    assert!(matches!(f.app.popup, Some(Popup::Status(_))));
    f.snap("status_picker");
    f.key("j");
    f.snap("status_picker_second");
    f.key("enter");
    assert_eq!(f.form().fields[0].key, "reason");
    f.snap("status_reason_form_empty");
    f.type_text("Met them at the fair");
    f.snap("status_reason_form_filled");
    f.key("ctrl-s");
    assert!(f.app.popup.is_none());
    assert_eq!(f.app.store.parent(id).unwrap().status, Status::Contacted);
    assert_eq!(f.detail().parent.status, Status::Contacted);
    f.snap("status_changed");
    let term = draw(&f.app, 80, 24);
    let top = lines_of(term.buffer())[0].clone();
    assert!(top.contains("Contacted"), "{top}");
}

#[test]
fn status_reason_is_required() {
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    f.keys(&["s", "enter", "ctrl-s"]);
    assert!(
        f.form().fields[0].error.is_some(),
        "a lead's status needs a reason"
    );
    f.snap("status_reason_required");
}

#[test]
fn status_picker_of_a_customer() {
    let mut f = Fixture::sample();
    let id = f.parent_id("Globex");
    f.open_parent("Globex");
    f.key("s");
    f.snap("status_picker_customer");
    // A customer is asked why too, but may leave the reason empty.
    f.key("enter");
    f.snap("status_reason_customer");
    f.key("ctrl-s");
    assert_eq!(f.app.store.parent(id).unwrap().status, Status::Archived);
}

// ---------------------------------------------------------------------------------------------
// 10. Conflicts.

/// Opens Grace's edit form, changes her title to "VP Engineering" in it, has a second store
/// save "Chief Scientist" meanwhile, then saves the form.
fn conflicted() -> (Fixture, i64) {
    conflicted_with(|_| {})
}

/// The sample with Grace Hopper's edit form open, its title field focused; and her id.
fn grace_title_in_her_form() -> (Fixture, i64) {
    let mut f = Fixture::sample();
    let grace = f.contact_id("Grace Hopper");
    f.open_parent("Acme Corporation");
    f.select_contact("Grace Hopper");
    f.key("e");
    for _ in 0..5 {
        f.key("tab");
    }
    assert_eq!(f.form().focused().key, "title");
    (f, grace)
}

/// [`conflicted`], the second store also making the changes `theirs` makes.
fn conflicted_with(theirs: impl FnOnce(&mut ContactFields)) -> (Fixture, i64) {
    let (mut f, grace) = grace_title_in_her_form();
    for _ in 0.."CTO".len() {
        f.key("backspace");
    }
    f.type_text("VP Engineering");

    // Another kith writes the same contact, through its own Store on the same file.
    let mut other = open_store(&f.path);
    let stored = other.contact(grace).unwrap();
    let mut fields = stored.fields.clone();
    fields.title = Some("Chief Scientist".into());
    theirs(&mut fields);
    other
        .update_contact(grace, stored.version, &fields)
        .unwrap();
    drop(other);

    f.key("ctrl-s");
    assert!(f.form().conflict.is_some(), "the save met the other write");
    (f, grace)
}

#[test]
fn second_store_opens_while_the_app_holds_the_file() {
    // The app's connection is open and has not checkpointed, so the main file's header does not
    // carry kith's application id yet; a second Store must still recognise the store.
    let f = Fixture::sample();
    let second = Store::open(&f.path, &options());
    assert!(
        second.is_ok(),
        "a second Store on the app's file fails: {:?}",
        second.err()
    );
}

#[test]
fn conflict_then_overwrite() {
    let (mut f, grace) = conflicted();
    f.snap("conflict_dialog");
    for (w, h) in SNAP_SIZES {
        let shown = draw(&f.app, w, h).text();
        assert_eq!(
            shown.matches("reload").count(),
            1,
            "at {w}x{h} the conflict dialog's keys are said more than once:\n{shown}"
        );
    }
    let term = draw(&f.app, 80, 24);
    let shown = term.text();
    assert!(shown.contains("Chief Scientist"), "theirs:\n{shown}");
    assert!(shown.contains("VP Engineering"), "yours:\n{shown}");
    f.key("o");
    assert!(f.app.popup.is_none(), "overwritten");
    assert_eq!(
        f.app.store.contact(grace).unwrap().fields.title.as_deref(),
        Some("VP Engineering")
    );
    f.snap("conflict_overwritten");
}

#[test]
fn overwrite_writes_only_the_fields_this_person_changed() {
    // Another kith changes the title too, and fields this person did not touch: notes, shown
    // in the form, and the nickname, which the form does not show.
    let (mut f, grace) = conflicted_with(|fields| {
        fields.notes = Some("Met at the navy yard".into());
        fields.nickname = Some("Amazing Grace".into());
    });
    f.key("o");
    assert!(f.app.popup.is_none(), "overwritten");
    let saved = f.app.store.contact(grace).unwrap().fields;
    assert_eq!(
        saved.title.as_deref(),
        Some("VP Engineering"),
        "what was typed wins"
    );
    assert_eq!(
        saved.notes.as_deref(),
        Some("Met at the navy yard"),
        "theirs kept"
    );
    assert_eq!(
        saved.nickname.as_deref(),
        Some("Amazing Grace"),
        "theirs kept"
    );
}

#[test]
fn a_save_that_meets_another_writers_lock_says_it_waits_then_busy_and_keeps_the_form() {
    // How long each step takes (at once, then at most a second) is measured by the benchmark
    // `benches/store.rs` ("a save meeting another writer's lock"), not here.
    let (mut f, _) = grace_title_in_her_form();
    f.type_text(" and more");
    let holder = rusqlite::Connection::open(&f.path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let effects = f.app.handle_key(event("ctrl-s"));
    // First the form says what it waits for, and leaves the wait to the loop, after a draw...
    assert!(
        matches!(effects.as_slice(), [Effect::SaveWhenFree]),
        "the wait is left to the loop, after a draw"
    );
    let said = f.form().error.clone().unwrap_or_default();
    assert_eq!(said, "Waiting for another writer to finish…");
    // ...then waits for the lock, and says busy.
    assert!(f.app.update(Msg::SubmitWaiting).is_empty());
    let said = f.form().error.clone().unwrap_or_default();
    assert!(said.starts_with("the store is busy"), "{said:?}");
    assert!(!said.contains("database is locked"), "{said:?}");
    assert_eq!(
        f.form().get("title"),
        "CTO and more",
        "what was typed is kept"
    );
    holder.execute_batch("ROLLBACK").unwrap();
    f.key("ctrl-s");
    assert!(f.app.popup.is_none(), "saved once the lock is gone");
}

#[test]
fn conflict_then_reload() {
    let (mut f, grace) = conflicted();
    f.key("r");
    assert_eq!(
        f.form().get("title"),
        "Chief Scientist",
        "the form shows theirs"
    );
    assert!(f.form().conflict.is_none());
    assert_eq!(
        f.app.store.contact(grace).unwrap().fields.title.as_deref(),
        Some("Chief Scientist"),
        "nothing of yours was saved"
    );
    f.snap("conflict_reloaded");
    // The reloaded form saves cleanly on the new version.
    f.key("ctrl-s");
    assert!(f.app.popup.is_none());
}

#[test]
fn conflict_then_keep_editing() {
    let (mut f, _) = conflicted();
    f.key("esc");
    assert!(f.form().conflict.is_none());
    assert_eq!(f.form().get("title"), "VP Engineering", "yours are kept");
}

/// The conflict dialog's inside at `w`x`h`, its rows joined as one text, and its last row.
fn conflict_dialog(f: &Fixture, w: u16, h: u16) -> (String, String) {
    let d = draw(&f.app, w, h);
    let rows: Vec<String> = lines_of(d.buffer())
        .iter()
        .filter_map(|l| Some(l.split('│').nth(1)?.trim().to_string()))
        .collect();
    (rows.join(" "), rows.last().cloned().unwrap_or_default())
}

#[test]
fn the_conflict_dialog_shows_both_values_whole() {
    // At 40x12 both values were cut ("Chief Scien…", "VP Engineer…") while four rows of the
    // dialog stayed empty: side by side when they fit, one above the other when not, wrapped.
    let (f, _) = conflicted();
    for (w, h) in [(40, 12), (61, 20), (80, 24), (120, 40)] {
        let (inside, keys) = conflict_dialog(&f, w, h);
        for value in ["Chief Scientist", "VP Engineering"] {
            assert!(inside.contains(value), "at {w}x{h}: {inside:?}");
        }
        assert!(!inside.contains('…'), "at {w}x{h}: {inside:?}");
        assert!(keys.starts_with("r reload"), "at {w}x{h}: {keys:?}");
    }
    // A value longer than a line wraps.
    let notes = "Met at the navy yard in 1943, she wrote the first compiler for the A-0 system";
    let (f, _) = conflicted_with(|fields| fields.notes = Some(notes.into()));
    for (w, h) in [(61, 20), (80, 24), (120, 40)] {
        let (inside, keys) = conflict_dialog(&f, w, h);
        for value in ["Chief Scientist", "VP Engineering", notes] {
            assert!(inside.contains(value), "at {w}x{h}: {inside:?}");
        }
        assert!(keys.starts_with("r reload"), "at {w}x{h}: {keys:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// 11. Hostile text.

fn hostile() -> Fixture {
    let f = Fixture::sample();
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .unwrap();
    conn.execute(
        "INSERT INTO parents (kind, name, notes, status, created_at, updated_at)
         VALUES ('lead', ?1, ?2, 'new', 'x', 'x')",
        [
            "Bell\u{7}Corp\u{202E}gnp.exe",
            "first\u{1b}[31mline\u{9b}2J\nsecond",
        ],
    )
    .unwrap();
    let pid = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO contacts (parent_id, first_name, last_name, full_name, email, title, notes,
                               created_at, updated_at)
         VALUES (?1, 'Evil', 'Name', ?2, ?3, ?4, ?5, 'x', 'x')",
        rusqlite::params![
            pid,
            "Evil\u{1b}[2J\u{202E}Name",
            "evil\u{202E}@evil.example",
            "\u{1b}]0;pwned\u{7}CTO",
            "note\u{1b}[5m\u{0}blink",
        ],
    )
    .unwrap();
    let cid = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO activities (parent_id, contact_id, kind, subject, body, author, created_at)
         VALUES (?1, ?2, 'note', ?3, ?4, ?5, 'x')",
        rusqlite::params![
            pid,
            cid,
            "\u{7}subject\u{2066}",
            "\u{1b}[31mred\u{1b}[0m\r\nsecond\u{202E}line\tend",
            "mal\u{1b}[1mlory",
        ],
    )
    .unwrap();
    drop(conn);
    let mut f = f;
    f.tick();
    f
}

fn assert_every_size_clean(app: &App, what: &str) {
    for (w, h) in SIZES.iter().chain(&[(20, 5), (10, 3)]) {
        draw(app, *w, *h).assert_clean(&format!("{what} at {w}x{h}"));
    }
}

#[test]
fn hostile_text_never_reaches_the_buffer() {
    let mut f = hostile();
    f.snap("hostile_list");
    assert_every_size_clean(&f.app, "list");
    let id = f
        .app
        .store
        .list_parents()
        .unwrap()
        .iter()
        .find(|s| s.parent.fields.name.starts_with("Bell"))
        .unwrap()
        .parent
        .id;
    f.app.list.select_id(id);
    f.key("enter");
    assert!(f.detail().parent.fields.name.starts_with("Bell"));
    f.snap("hostile_detail");
    assert_every_size_clean(&f.app, "detail");
    f.key("v");
    assert_every_size_clean(&f.app, "detail, the contact's notes");
    f.key("v");
    f.key("e");
    assert_every_size_clean(&f.app, "edit contact form");
    f.keys(&["tab", "tab", "tab", "tab", "tab", "tab"]);
    assert_every_size_clean(&f.app, "edit contact form, notes focused");
    f.key("esc");
    f.key("E");
    assert_every_size_clean(&f.app, "edit parent form");
    f.key("esc");
    f.key("n");
    assert_every_size_clean(&f.app, "note form");
    f.key("esc");
    f.key("m");
    assert_every_size_clean(&f.app, "email form");
    f.key("esc");
    f.key("s");
    assert_every_size_clean(&f.app, "status picker");
    f.key("enter");
    assert_every_size_clean(&f.app, "status reason form");
    f.key("esc");
    f.key("c");
    assert_every_size_clean(&f.app, "convert confirmation");
    f.key("n");
    f.key("d");
    assert_every_size_clean(&f.app, "delete confirmation");
    f.key("n");
    f.key("esc");
    f.key("t");
    assert_every_size_clean(&f.app, "title search");
    f.type_text("cto");
    assert_every_size_clean(&f.app, "title search for cto");
}

#[test]
fn hostile_text_in_the_confirmations() {
    let mut f = hostile();
    let id = f
        .app
        .store
        .list_parents()
        .unwrap()
        .iter()
        .find(|s| s.parent.fields.name.starts_with("Bell"))
        .unwrap()
        .parent
        .id;
    f.app.list.select_id(id);
    f.key("enter");
    f.key("d");
    f.snap("hostile_confirm_delete");
    f.key("n");
    f.key("c");
    f.snap("hostile_confirm_convert");
}

#[test]
fn confirm_shows_hostile_names_as_the_rest_of_the_app() {
    // Everywhere else a control or bidi character in a name is shown as U+FFFD, so that it is
    // visible; the confirmation puts the raw name in the dialog, and only ratatui's own filter
    // keeps the escape off the terminal ("Evil[2JName", its ESC and U+202E silently gone).
    let mut f = hostile();
    let id = f
        .app
        .store
        .list_parents()
        .unwrap()
        .iter()
        .find(|s| s.parent.fields.name.starts_with("Bell"))
        .unwrap()
        .parent
        .id;
    f.app.list.select_id(id);
    f.key("enter");
    f.key("d");
    let message = match &f.app.popup {
        Some(Popup::Confirm(c)) => c.message.clone(),
        _ => panic!("no confirmation"),
    };
    assert!(
        !message
            .chars()
            .any(|c| c.is_control() || is_bidi_control(c)),
        "the confirmation's message holds raw control characters: {message:?}"
    );
}

#[test]
fn hostile_text_in_the_edit_form() {
    let mut f = hostile();
    let id = f
        .app
        .store
        .list_parents()
        .unwrap()
        .iter()
        .find(|s| s.parent.fields.name.starts_with("Bell"))
        .unwrap()
        .parent
        .id;
    f.app.list.select_id(id);
    f.key("enter");
    f.key("e");
    f.snap("hostile_edit_contact_form");
}

#[test]
fn overlays_keep_their_edges_over_wide_characters() {
    // A dialog whose left edge falls on the second half of a wide character (北, ☕) loses the
    // cell there: ratatui never sends the hidden half of a wide character to the terminal.
    let mut lost = Vec::new();
    let mut check = |f: &Fixture, what: &str| {
        for w in 40..=120 {
            for h in [12, 24] {
                lost.extend(lost_cells(
                    &draw(&f.app, w, h),
                    &format!("{what} at {w}x{h}"),
                ));
            }
        }
    };
    let mut f = Fixture::sample();
    f.key("?");
    check(&f, "list help");
    f.key("x");
    f.key("C");
    check(&f, "customer form over the list");
    f.key("esc");
    f.open_parent("北京科技");
    let steps: [(&str, &[&str]); 5] = [
        ("detail help", &["?"]),
        ("delete confirmation", &["x", "d"]),
        ("status picker", &["n", "s"]),
        ("status reason form", &["enter"]),
        ("edit contact form", &["esc", "e"]),
    ];
    for (what, keys) in steps {
        f.keys(keys);
        check(&f, what);
    }
    f.keys(&["esc", "esc", "t"]);
    f.key("?");
    check(&f, "title search help");
    assert!(
        lost.is_empty(),
        "{} cells drawn under wide characters are lost, among them:\n{}",
        lost.len(),
        lost.iter()
            .step_by((lost.len() / 12).max(1))
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// 12. Tiny terminals.

#[test]
fn tiny_terminals_draw_without_panicking() {
    let mut f = Fixture::sample();
    let screens: Vec<(&str, Vec<&str>)> = vec![
        ("list", vec![]),
        ("detail", vec!["enter"]),
        ("form", vec!["a"]),
        ("confirm", vec!["esc", "d"]),
        ("status", vec!["n", "s"]),
        ("reason", vec!["enter"]),
        ("help", vec!["esc", "?"]),
        ("titles", vec!["x", "esc", "t", "c", "t", "o"]),
    ];
    for (what, keys) in screens {
        f.keys(&keys);
        for (w, h) in [(20, 5), (10, 3), (1, 1), (19, 4), (20, 4), (19, 5)] {
            let term = draw(&f.app, w, h);
            let shown = term.text();
            assert!(
                shown.chars().any(|c| !c.is_whitespace()),
                "{what} at {w}x{h} is blank"
            );
            term.assert_clean(&format!("{what} at {w}x{h}"));
        }
    }
    let term = draw(&f.app, 20, 5);
    insta::assert_snapshot!("tiny_titles_20x5", screen(term.buffer()));
    let term = draw(&f.app, 10, 3);
    insta::assert_snapshot!("tiny_10x3", screen(term.buffer()));
}

// ---------------------------------------------------------------------------------------------
// Every main screen at every size.

#[test]
fn main_screens_at_every_size() {
    let mut f = Fixture::sample();
    let check = |f: &Fixture, what: &str, needles: &[&str]| {
        for (w, h) in SIZES {
            let term = draw(&f.app, w, h);
            let shown = term.text();
            for n in needles {
                assert!(shown.contains(n), "{what} at {w}x{h} lacks {n:?}:\n{shown}");
            }
            term.assert_clean(&format!("{what} at {w}x{h}"));
        }
    };
    check(&f, "welcome-less list", &["Acme Corp", "Globex"]);
    f.key("?");
    check(&f, "list help", &["Keys:"]);
    f.key("esc");
    f.open_parent("Acme Corporation");
    check(&f, "detail", &["Acme Corp", "Ada Lovelace", "Contacts (3)"]);
    f.key("?");
    check(&f, "detail help", &["Keys:"]);
    f.key("esc");
    f.key("a");
    check(&f, "contact form", &["New contact"]);
    f.type_text("Katherine");
    check(&f, "contact form typed", &["Katherine"]);
    f.key("esc");
    f.key("y");
    f.key("d");
    check(&f, "delete confirmation", &["Delete"]);
    f.key("n");
    f.key("s");
    check(&f, "status picker", &["Contacted"]);
    f.key("enter");
    check(&f, "reason form", &["Reason"]);
    f.key("esc");
    f.key("esc");
    f.key("t");
    f.type_text("cto");
    check(&f, "title search", &["Title: cto", "Grace Hopper"]);
    f.key("esc");
    f.key("L");
    check(&f, "lead form", &["New lead"]);
    f.key("esc");
    let mut empty = Fixture::empty();
    check(&empty, "welcome", &["Welcome to kith."]);
    empty.key("C");
    check(&empty, "customer form on an empty store", &["New customer"]);
}

// ---------------------------------------------------------------------------------------------
// Messages and Effects: what App asks the loop to do, and what it does with the answer.

/// Mail set up to send (through a sendmail that is never run: the tests answer for it).
fn sending_config() -> Config {
    let mut config = Config::default();
    config.mail.from = "Alice <alice@example.com>".into();
    config.mail.method = "sendmail".into();
    config.mail.sendmail_command = "/bin/false".into();
    config
}

#[test]
fn sending_is_an_effect_and_a_failure_keeps_the_draft() {
    let mut f = Fixture::with_config(fill_sample, &sending_config());
    f.open_parent("Acme Corporation");
    f.select_contact("Grace Hopper");
    f.key("m");
    assert_eq!(f.form().get("to"), "grace@acme.example");
    f.key("tab");
    f.type_text("Docs");
    f.key("tab");
    f.type_text("Here they are.");
    let acme = f.parent_id("Acme Corporation");
    let emails = |f: &Fixture| f.app.store.list_activities(acme, None).unwrap().len();
    let before = emails(&f);

    let mut effects = f.app.handle_key(event("ctrl-s"));
    let Some(Effect::Send { mail, .. }) = effects.pop() else {
        panic!("saving the email form asks the loop to send it");
    };
    assert!(effects.is_empty());
    assert_eq!(mail.draft.to, "grace@acme.example");
    assert_eq!(mail.draft.subject, "Docs");
    assert!(f.form().sending);
    assert_eq!(f.form().error.as_deref(), Some("Sending…"));
    f.key("x");
    assert_eq!(
        f.form().get("body"),
        "Here they are.",
        "keys wait while sending"
    );
    assert_eq!(emails(&f), before, "nothing is logged before it is sent");

    f.app.update(Msg::Sent {
        mail: mail.clone(),
        result: Err("the server said no".into()),
    });
    assert!(!f.form().sending);
    assert_eq!(f.form().error.as_deref(), Some("the server said no"));
    assert_eq!(emails(&f), before, "a failed send logs nothing");

    let mut effects = f.app.handle_key(event("ctrl-s"));
    let Some(Effect::Send { mail, .. }) = effects.pop() else {
        panic!("the draft can be sent again");
    };
    f.app.update(Msg::Sent {
        mail,
        result: Ok("<1@kith.test>".into()),
    });
    assert!(f.app.popup.is_none(), "a sent email closes its form");
    assert_eq!(f.app.status, StatusLine::Info("Sent <1@kith.test>".into()));
    let logged = f.app.store.list_activities(acme, None).unwrap();
    assert_eq!(logged.len(), before + 1);
    let sent = logged
        .iter()
        .find(|a| a.subject.as_deref() == Some("Docs"))
        .expect("the email is on the timeline");
    assert_eq!(sent.message_id.as_deref(), Some("<1@kith.test>"));
    assert_eq!(sent.contact_id, Some(f.contact_id("Grace Hopper")));
}

#[test]
fn the_editor_is_an_effect_and_its_text_lands_in_the_field() {
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    f.key("n");
    f.type_text("draft");
    let effects = f.app.handle_key(event("ctrl-e"));
    assert!(
        matches!(effects.as_slice(), [Effect::Editor(text)] if text == "draft"),
        "Ctrl-E asks the loop for $EDITOR on the field's text"
    );
    f.app
        .update(Msg::Edited(Ok("written in vi\nsecond line\n".into())));
    assert_eq!(f.form().get("body"), "written in vi\nsecond line");
    f.app
        .update(Msg::Edited(Err(std::io::Error::other("vi exited with 1"))));
    assert_eq!(f.form().get("body"), "written in vi\nsecond line");
    assert_eq!(
        f.app.status,
        StatusLine::Error("editor: vi exited with 1".into())
    );
}

#[test]
fn research_is_an_effect_and_its_failure_is_said() {
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    let effects = f.app.handle_key(event("R"));
    let [Effect::Research { run, target, .. }] = effects.as_slice() else {
        panic!("R on a lead asks the loop to research it");
    };
    assert_eq!(target.website, "https://acme.example");
    assert_eq!(target.lead, "Acme Corporation");
    assert_eq!(f.app.researching(), Some("Acme Corporation"));
    // Said while it runs, whatever keys are pressed meanwhile.
    f.key("j");
    let shown = draw(&f.app, 80, 24).text();
    assert!(
        shown.contains("Researching Acme Corporation… (Esc cancels)"),
        "{shown}"
    );
    f.app.update(Msg::Researched {
        run: *run,
        target: target.clone(),
        result: Err("connection refused".into()),
    });
    assert_eq!(
        f.app.status,
        StatusLine::Error("research: connection refused".into())
    );
    // Initech has neither a website nor an email: said, and nothing to run.
    f.key("esc");
    f.open_parent("Initech");
    assert!(f.app.handle_key(event("R")).is_empty());
    assert!(
        matches!(&f.app.status, StatusLine::Error(s) if s.contains("neither a website nor an email"))
    );
    f.key("esc");
    f.open_parent("Globex");
    assert!(f.app.handle_key(event("R")).is_empty());
    assert_eq!(
        f.app.status,
        StatusLine::Info("Research is for leads".into())
    );
}

#[test]
fn research_cancelled_with_esc_writes_nothing_when_its_answer_comes() {
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    let before = f
        .app
        .store
        .parent(f.app.store.resolve_parent("Acme Corporation").unwrap().id)
        .unwrap();
    let effects = f.app.handle_key(event("R"));
    let [Effect::Research { run, target, .. }] = effects.as_slice() else {
        panic!("R on a lead asks the loop to research it");
    };
    let (run, target) = (*run, target.clone());
    f.key("esc");
    assert_eq!(f.app.researching(), None);
    assert_eq!(
        f.app.status,
        StatusLine::Info("Research of Acme Corporation cancelled: nothing of it is written".into())
    );
    assert!(
        !f.app.stack.is_empty(),
        "Esc cancelled the research, not the detail view"
    );
    // The site answers after all: what it found is not written.
    let finding = kith::research::Finding {
        contact_name: Some("Wile E. Coyote".into()),
        ..Default::default()
    };
    f.app.update(Msg::Researched {
        run,
        target,
        result: Ok(finding),
    });
    let after = f.app.store.parent(before.id).unwrap();
    assert_eq!(
        after.fields, before.fields,
        "nothing of the cancelled research"
    );
    assert_eq!(after.version, before.version);
}

#[test]
fn the_contact_form_edits_every_address_and_the_tags() {
    let mut f = Fixture::sample();
    f.open_parent("Acme Corporation");
    f.select_contact("Grace Hopper");
    f.key("e");
    for _ in 0..7 {
        f.key("tab");
    }
    assert_eq!(f.form().focused().key, "emails");
    f.type_text("grace@home.example (home), hopper@navy.example");
    f.keys(&["tab", "tab"]);
    assert_eq!(f.form().focused().key, "tags");
    f.type_text("Navy, COBOL");
    f.key("tab");
    f.type_text("1906-12-09");
    f.key("ctrl-s");
    assert!(f.app.popup.is_none(), "saved: {:?}", f.app.status);
    let id = f.contact_id("Grace Hopper");
    let grace = f.app.store.contact(id).unwrap();
    let all: Vec<(&str, Option<&str>, bool)> = grace
        .fields
        .emails
        .iter()
        .map(|e| (e.value.as_str(), e.label.as_deref(), e.preferred))
        .collect();
    assert_eq!(
        all,
        [
            ("grace@acme.example", None, true),
            ("grace@home.example", Some("home"), false),
            ("hopper@navy.example", None, false)
        ]
    );
    assert_eq!(grace.fields.tags, ["Navy", "COBOL"]);
    assert_eq!(grace.fields.birthday.as_deref(), Some("1906-12-09"));
    let uid = grace.fields.uid.clone();
    assert!(uid.is_some());

    // The form shows them again, and a save keeps what it does not show (the UID).
    f.key("e");
    assert_eq!(
        f.form().get("emails"),
        "grace@home.example (home), hopper@navy.example"
    );
    assert_eq!(f.form().get("tags"), "Navy, COBOL");
    f.key("tab");
    f.type_text("x");
    f.key("ctrl-s");
    let grace = f.app.store.contact(id).unwrap();
    assert_eq!(grace.fields.last_name.as_deref(), Some("Hopperx"));
    assert_eq!(grace.fields.uid, uid);
    assert_eq!(grace.fields.emails.len(), 3);
}

#[test]
fn a_control_character_in_the_store_shows_in_the_form_and_saving_removes_it() {
    let mut f = Fixture::sample();
    let grace = f.contact_id("Grace Hopper");
    // Written past kith's rules, as an old version or another program could have.
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .unwrap();
    conn.execute(
        "UPDATE contacts SET title = ?1, notes = ?2 WHERE id = ?3",
        rusqlite::params!["CTO\u{1b}[31m", "rings\u{7} twice\u{202E}", grace],
    )
    .unwrap();
    drop(conn);
    f.tick();
    f.open_parent("Acme Corporation");
    f.select_contact("Grace Hopper");
    f.key("e");
    f.snap("control_character_edit_form");
    let text = draw(&f.app, 80, 24).text();
    let title = text
        .lines()
        .find(|l| l.contains("Title"))
        .unwrap_or_else(|| panic!("no title row:\n{text}"));
    assert!(
        title.contains("CTO␛[31m"),
        "the ESC in the title is not visible:\n{text}"
    );
    assert!(
        text.contains("↑ ␛ control character: saving drops it"),
        "the form does not say what saving does with it:\n{text}"
    );
    assert!(
        text.contains("rings␇ twice�"),
        "the BEL and the bidi override in the notes are not visible:\n{text}"
    );

    // Another field can be changed and saved at once: nothing blocks it.
    f.keys(&["tab", "tab", "tab", "tab"]);
    f.type_text("+1 202 555 0142");
    f.key("ctrl-s");
    assert!(
        f.app.popup.is_none(),
        "the form did not save: {:?}\n{}",
        f.app.popup.as_ref().map(|_| ()),
        draw(&f.app, 80, 24).text()
    );
    assert!(
        !matches!(f.app.status, StatusLine::Error(_)),
        "saving failed: {:?}",
        f.app.status
    );
    let saved = f.app.store.contact(grace).unwrap();
    assert_eq!(saved.fields.title.as_deref(), Some("CTO[31m"));
    assert_eq!(saved.fields.notes.as_deref(), Some("rings twice"));
    assert_eq!(saved.fields.phone.as_deref(), Some("+1 202 555 0142"));
    assert_eq!(saved.fields.email.as_deref(), Some("grace@acme.example"));
}

// ---------------------------------------------------------------------------------------------
// 13. Hints: every key a hint names works where it is shown, and no hint is cut.

/// The sizes every hint is checked at.
const HINT_SIZES: [(u16, u16); 3] = [(80, 24), (60, 20), (40, 12)];

/// The key a hint's label names ("Ctrl-S", "PgUp", "↑", "G"), or None when the word is no key
/// (the words of "type a title").
fn key_named(name: &str) -> Option<KeyEvent> {
    let (ctrl, rest) = match name.strip_prefix("Ctrl-") {
        Some(rest) => (true, rest),
        None => (false, name),
    };
    let (alt, rest) = match rest.strip_prefix("Alt-") {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let mut modifiers = KeyModifiers::NONE;
    modifiers.set(KeyModifiers::CONTROL, ctrl);
    modifiers.set(KeyModifiers::ALT, alt);
    let code = match rest {
        "Space" => KeyCode::Char(' '),
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Tab" => KeyCode::Tab,
        "Shift-Tab" => {
            modifiers |= KeyModifiers::SHIFT;
            KeyCode::BackTab
        }
        "Backspace" => KeyCode::Backspace,
        "Del" => KeyCode::Delete,
        "↑" => KeyCode::Up,
        "↓" => KeyCode::Down,
        "←" => KeyCode::Left,
        "→" => KeyCode::Right,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        "PgUp" => KeyCode::PageUp,
        "PgDn" => KeyCode::PageDown,
        f if f.len() > 1 && f.starts_with('F') => KeyCode::F(f[1..].parse().ok()?),
        c if c.chars().count() == 1 => {
            let c = c.chars().next()?;
            if c.is_uppercase() && !ctrl {
                modifiers |= KeyModifiers::SHIFT;
            }
            KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
        }
        _ => return None,
    };
    Some(KeyEvent::new(code, modifiers))
}

/// The keys of a hint's label ("?/F1", "j/k", "/"), or None when it names none.
fn keys_named(label: &str) -> Option<Vec<KeyEvent>> {
    if label == "/" {
        return key_named("/").map(|k| vec![k]);
    }
    label.split('/').map(key_named).collect()
}

/// The rows of the screen that hold hints: the status bar (unless it says something else),
/// and the row of a popup that holds each of `anchors`, without the popup's border.
fn hint_rows(app: &App, w: u16, h: u16, anchors: &[&str]) -> Vec<String> {
    let rows = lines_of(draw(app, w, h).buffer());
    let inside = |row: &str| {
        row.split(['│', '└', '┘'])
            .find(|part| anchors.iter().any(|a| part.contains(a)))
            .unwrap_or(row)
            .trim_matches(|c: char| c == '─' || c.is_whitespace())
            .to_string()
    };
    let mut found: Vec<String> = anchors
        .iter()
        .filter_map(|a| rows.iter().find(|r| r.contains(a)).map(|r| inside(r)))
        .collect();
    if app.status == StatusLine::Hint {
        found.push(rows.last().cloned().unwrap_or_default().trim().to_string());
    }
    found
}

/// What is wrong with the hints on screen now at every size of [`HINT_SIZES`]: a hint cut (an
/// ellipsis, or a last word that is not a word of the same row drawn wide), or a key named
/// that does nothing where it is shown. `anchors` find the hint rows of a popup.
fn hint_problems(app: &App, what: &str, anchors: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    let wide = hint_rows(app, 200, 60, anchors);
    let wide_words: Vec<&str> = wide.iter().flat_map(|r| r.split_whitespace()).collect();
    let mut keys_checked = 0;
    for (w, h) in HINT_SIZES {
        let rows = hint_rows(app, w, h, anchors);
        if rows.len() != wide.len() {
            problems.push(format!(
                "{what} at {w}x{h}: hint rows {rows:?}, wide {wide:?}"
            ));
        }
        for row in rows {
            let at = format!("{what} at {w}x{h}: {row:?}");
            if row.contains('…') {
                problems.push(format!("{at} is cut"));
            }
            if let Some(last) = row.split_whitespace().last() {
                if !wide_words.contains(&last) {
                    problems.push(format!("{at} ends in {last:?}, no word of {wide:?}"));
                }
            }
            let segments = row.split(" · ").flat_map(|s| s.split("  "));
            for segment in segments.map(str::trim).filter(|s| !s.is_empty()) {
                // A question before its keys ("Discard? y yes") is words, not a key.
                let segment = segment.rsplit("? ").next().unwrap_or(segment);
                let label = segment.split(' ').next().unwrap_or_default();
                let Some(keys) = keys_named(label) else {
                    continue;
                };
                for key in keys {
                    keys_checked += 1;
                    if app.keymap.actions(app.mode(), &key).is_empty() {
                        problems.push(format!(
                            "{at} names {label:?}, whose {:?} does nothing in {:?}",
                            key.code,
                            app.mode()
                        ));
                    }
                }
            }
        }
    }
    if keys_checked == 0 {
        problems.push(format!("{what}: no key named in any hint"));
    }
    problems
}

#[test]
fn every_hint_names_keys_that_work_there_and_none_is_cut() {
    let mut problems = Vec::new();
    let mut check = |f: &Fixture, what: &str, anchors: &[&str]| {
        problems.extend(hint_problems(&f.app, what, anchors));
    };
    // The sample and a second Grace Hopper at Acme, a likely duplicate of the first.
    let mut f = Fixture::new(|s| {
        fill_sample(s);
        let acme = s.resolve_parent("Acme Corporation").unwrap().id;
        let grace = ContactFields {
            full_name: Some("Grace Hopper".into()),
            email: Some("grace@acme.example".into()),
            ..Default::default()
        };
        s.add_contact(acme, &grace).unwrap();
    });
    check(&f, "the parent list", &[]);
    f.keys(&["/", "a"]);
    check(&f, "the list's filter, typed", &[]);
    f.keys(&["enter"]);
    check(&f, "the list, filtered", &[]);
    f.keys(&["esc", "?"]);
    check(&f, "the list's help", &["closes"]);
    f.keys(&["esc", "L"]);
    check(&f, "the lead form", &["save"]);
    f.keys(&["esc"]);
    f.open_parent("Acme Corporation");
    check(&f, "a lead's detail", &[]);
    f.keys(&["/", "g"]);
    check(&f, "the detail's filter, typed", &[]);
    f.keys(&["esc", "?"]);
    check(&f, "the detail's help", &["closes"]);
    f.keys(&["esc", "a"]);
    check(&f, "the contact form", &["save"]);
    f.type_text("Kat");
    f.key("f1");
    check(&f, "the form's help", &["closes"]);
    f.keys(&["esc", "esc"]);
    check(&f, "the question before discarding", &["save", "Discard"]);
    f.keys(&["y", "n"]);
    check(&f, "the note form", &["save"]);
    f.keys(&["esc", "d"]);
    check(&f, "the delete question", &["yes"]);
    f.keys(&["n", "c"]);
    check(&f, "the convert question", &["yes"]);
    f.keys(&["n", "s"]);
    check(&f, "the status picker", &["choose"]);
    f.keys(&["enter"]);
    check(&f, "the reason form", &["save"]);
    f.keys(&["esc", "h"]);
    check(&f, "the history", &["scroll"]);
    f.keys(&["x", "M"]);
    check(&f, "the move picker", &["choose"]);
    f.keys(&["esc", "esc"]);
    f.open_parent("Globex");
    check(&f, "a customer's detail", &[]);
    f.keys(&["esc", "t"]);
    f.type_text("cto");
    check(&f, "the title search", &[]);
    f.key("f1");
    check(&f, "the title search's help", &["closes"]);
    f.keys(&["esc", "esc", "T"]);
    check(&f, "Today", &[]);
    f.keys(&["?"]);
    check(&f, "Today's help", &["closes"]);
    f.keys(&["esc", "esc", "D"]);
    check(&f, "the duplicates", &[]);
    f.keys(&["enter"]);
    check(&f, "the merge view", &[]);
    f.keys(&["?"]);
    check(&f, "the merge view's help", &["closes"]);
    f.keys(&["esc", "esc", "esc"]);
    // A lead converted: it keeps its status and converts no more.
    f.open_parent("Acme Corporation");
    f.keys(&["c", "y", "esc"]);
    f.app.list.select_id(1);
    f.key("enter");
    check(&f, "a converted lead's detail", &[]);
    let (f, _) = conflicted();
    check(&f, "the conflict dialog", &["reload"]);
    assert!(
        problems.is_empty(),
        "{} hint problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The rows of the help box at `w`x`h` between its title and its last line (which says how to
/// scroll or close it), without its border.
fn help_rows(app: &App, w: u16, h: u16) -> Vec<String> {
    let drawn = draw(app, w, h);
    let buf = drawn.buffer();
    let cell = |x: u16, y: u16| buf[(x, y)].symbol();
    let (x, top) = (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .find(|&(x, y)| cell(x, y) == "┌" && x + 2 < w && cell(x + 2, y) == "K")
        .expect("the help box");
    let mut inside: Vec<String> = (top + 1..h)
        .take_while(|&y| cell(x, y) == "│")
        .map(|y| {
            (x + 1..w)
                .map(|x| cell(x, y))
                .take_while(|&s| s != "│")
                .collect()
        })
        .collect();
    inside.pop();
    inside
}

#[test]
fn help_shows_every_key_and_its_description_whole() {
    // At 40 columns the help cut key names ("PgUp/Ctr…") and descriptions without an
    // ellipsis ("fuzzy filter the list in vie").
    let mut f = Fixture::sample();
    let mut problems = Vec::new();
    let mut check = |f: &mut Fixture, what: &str| {
        let about = f.app.help.expect("help is open").about;
        let mode = about.mode();
        for (w, h) in HINT_SIZES {
            // Every line of the help, scrolled through as a user would.
            f.key("esc");
            f.key(if what.contains("form") { "f1" } else { "?" });
            let mut seen = help_rows(&f.app, w, h);
            let mut shown = seen.clone();
            loop {
                f.key("j");
                let now = help_rows(&f.app, w, h);
                if now == shown {
                    break;
                }
                seen.extend(now.last().cloned());
                shown = now;
            }
            let text = seen.join(" ");
            let words: Vec<&str> = text.split_whitespace().collect();
            let text = words.join(" ");
            for action in about.actions(&f.app.keymap) {
                let label = f.app.keymap.label(mode, action);
                let line = format!("{label} {}", action.describe());
                let line: Vec<&str> = line.split_whitespace().collect();
                if !text.contains(&line.join(" ")) {
                    problems.push(format!("{what} at {w}x{h}: {:?} not whole", line.join(" ")));
                }
            }
            if text.contains('…') {
                problems.push(format!("{what} at {w}x{h} cuts: {text}"));
            }
        }
    };
    f.key("?");
    check(&mut f, "the list's help");
    f.key("esc");
    f.open_parent("Acme Corporation");
    f.key("?");
    check(&mut f, "the detail's help");
    f.keys(&["esc", "a", "f1"]);
    check(&mut f, "the form's help");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `D` looks for duplicates on a worker thread: the status line says so until they are found,
/// and the screen answers keys meanwhile.
#[test]
fn duplicates_are_looked_for_off_the_drawing_path() {
    let mut f = Fixture::sample();
    let mut effects = f.app.handle_key(event("D"));
    let Some(Effect::FindDupes { store }) = effects.pop() else {
        panic!("D did not ask for the duplicates to be looked for off the drawing path");
    };
    assert!(draw(&f.app, 80, 24)
        .text()
        .contains("Looking for likely duplicates"));
    f.app.handle_key(event("j"));
    assert_eq!(f.app.list.view.cursor.selected, 1, "the list still moves");
    assert!(draw(&f.app, 80, 24)
        .text()
        .contains("Looking for likely duplicates"));
    let found = kith::ops::dupes::find(&store, None).map_err(|e| e.to_string());
    f.app.update(Msg::DupesFound(found));
    assert!(matches!(f.app.stack.last(), Some(Screen::Dupes(_))));
    assert!(!draw(&f.app, 80, 24)
        .text()
        .contains("Looking for likely duplicates"));
}
