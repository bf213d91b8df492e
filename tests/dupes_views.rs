//! The TUI face of duplicates: the duplicates screen, the merge view and undo from the history,
//! drawn on ratatui's `TestBackend` (snapshots at 80x24 and 40x12) and driven by keys as a user
//! types them, checked by what the screen shows and what the store holds.

mod common;

use common::screen::{assert_clean, clock_at, draw, event, line_with, lines_of, screen};
use kith::config::Config;
use kith::domain::{ContactFields, NewActivity, ParentFields, ParentKind};
use kith::store::{MergeKind, Store, StoreOptions};
use kith::tui::app::{App, StatusLine};
use kith::tui::popups::Popup;
use kith::tui::screens::Screen;
use std::path::PathBuf;
use tempfile::TempDir;

const NOW: &str = "2026-11-25T12:00:00Z";
const SNAP_SIZES: [(u16, u16); 2] = [(80, 24), (40, 12)];

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

fn person(first: &str, last: &str, title: &str, email: &str) -> ContactFields {
    ContactFields {
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        title: (!title.is_empty()).then(|| title.into()),
        email: (!email.is_empty()).then(|| email.into()),
        ..Default::default()
    }
}

/// Two groups: Grace Hopper twice at Acme (contacts 1 and 2, a note each), and Acme twice as a
/// lead (1 "Acme Corporation" and 2 "ACME Corp."). Globex (3) has nobody alike. Everyone is
/// added on the 20th, the notes come on the 21st and the 22nd.
fn fill(s: &mut Store) {
    clock_at("2026-11-20T10:00:00Z");
    let lead = |name: &str, email: &str| ParentFields {
        name: name.into(),
        email: Some(email.into()),
        ..Default::default()
    };
    let acme = s
        .add_parent(
            ParentKind::Lead,
            &lead("Acme Corporation", "hello@acme.example"),
        )
        .unwrap();
    s.add_parent(
        ParentKind::Lead,
        &lead("ACME Corp.", "sales@acme-corp.example"),
    )
    .unwrap();
    let globex = s
        .add_parent(
            ParentKind::Customer,
            &lead("Globex", "sales@globex.example"),
        )
        .unwrap();
    let mut grace = person("Grace", "Hopper", "CTO", "grace@acme.example");
    grace.phone = Some("+1 202 555 0101".into());
    let one = s.add_contact(acme, &grace).unwrap();
    let two = s
        .add_contact(
            acme,
            &person("Grace", "Hopper", "Rear Admiral", "amazing@grace.example"),
        )
        .unwrap();
    s.add_contact(
        globex,
        &person("Hank", "Scorpio", "CEO", "hank@globex.example"),
    )
    .unwrap();
    clock_at("2026-11-21T09:30:00Z");
    s.add_activity(
        acme,
        &NewActivity::note(Some(one), "Grace asked for the API docs."),
    )
    .unwrap();
    clock_at("2026-11-22T09:30:00Z");
    s.add_activity(
        acme,
        &NewActivity::note(Some(two), "Admiral Hopper called back."),
    )
    .unwrap();
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("kith.db");
        clock_at(NOW);
        let mut store = Store::open(&path, &options()).expect("the store opens");
        fill(&mut store);
        clock_at(NOW);
        let app = App::new(store, &Config::default(), true).expect("the app loads");
        Fixture {
            _dir: dir,
            path,
            app,
        }
    }

    /// A key press, and the duplicates it asks for, looked for here as the worker thread would.
    fn key(&mut self, name: &str) {
        for effect in self.app.handle_key(event(name)) {
            if let kith::tui::msg::Effect::FindDupes { store } = effect {
                let found = kith::ops::dupes::find(&store, None).map_err(|e| e.to_string());
                self.app.update(kith::tui::msg::Msg::DupesFound(found));
            }
        }
    }

    fn keys(&mut self, names: &[&str]) {
        for n in names {
            self.key(n);
        }
    }

    fn text(&self, w: u16, h: u16) -> String {
        lines_of(&draw(&self.app, w, h)).join("\n")
    }

    fn merge_view(&self) -> &kith::tui::screens::merge::MergeView {
        match self.app.stack.last() {
            Some(Screen::Merge(m)) => m,
            _ => panic!("not in the merge view"),
        }
    }

    fn dupes(&self) -> &kith::tui::screens::dupes::Dupes {
        match self.app.stack.last() {
            Some(Screen::Dupes(d)) => d,
            _ => panic!("not in the duplicates screen"),
        }
    }

    /// `D`, then the selection moved to the group of `kind`.
    fn open_dupes_at(&mut self, kind: MergeKind) {
        self.key("D");
        self.key("g");
        for _ in 0..self.dupes().groups.len() {
            if self.dupes().selected().map(|g| g.kind) == Some(kind) {
                return;
            }
            self.key("j");
        }
        panic!("no group of {kind:?}");
    }

    /// The merge view of the two Graces, Title selected with `j` as a user would.
    fn merge_graces_at_title(&mut self) {
        self.open_dupes_at(MergeKind::Contact);
        self.key("enter");
        assert_eq!(
            self.merge_view().selected,
            "parent",
            "starts on the first field"
        );
        for _ in 0..10 {
            if self.merge_view().selected == "title" {
                return;
            }
            self.key("j");
        }
        panic!("j never reached Title");
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

fn status(app: &App) -> String {
    match &app.status {
        StatusLine::Info(t) | StatusLine::Error(t) | StatusLine::Busy(t) => t.clone(),
        StatusLine::Hint => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------

#[test]
fn the_parent_list_names_the_duplicates_key() {
    let f = Fixture::new();
    let text = f.text(80, 24);
    assert!(text.contains("D dupes"), "{text}");
}

#[test]
fn the_duplicates_screen_lists_both_groups() {
    let mut f = Fixture::new();
    f.key("D");
    assert_eq!(f.dupes().groups.len(), 2);
    let text = f.text(80, 24);
    assert!(text.contains("Likely duplicates (2)"), "{text}");
    assert!(
        line_with(
            &text,
            &[
                "people",
                "#1 Grace Hopper (Acme Corporation)",
                "#2 Grace Hopper"
            ]
        )
        .is_some(),
        "{text}"
    );
    assert!(
        line_with(
            &text,
            &["companies", "#1 Acme Corporation", "#2 ACME Corp."]
        )
        .is_some(),
        "{text}"
    );
    assert!(text.contains("same name"), "the reasons show: {text}");
    f.snap("dupes_two_groups");
    // No size makes it panic.
    for (w, h) in [(20, 5), (30, 8), (120, 40)] {
        draw(&f.app, w, h);
    }
    // `?` lists its keys, the merge and not-a-duplicate keys among them.
    f.key("?");
    let help = f.text(80, 24);
    assert!(help.contains("Keys: likely duplicates"), "{help}");
    assert!(
        help.contains("the selected pair is not a duplicate"),
        "{help}"
    );
    f.key("esc");
    f.key("q");
    assert!(f.app.stack.is_empty(), "q goes back to the list");
}

#[test]
fn an_empty_duplicates_screen_says_so() {
    let mut f = Fixture::new();
    f.open_dupes_at(MergeKind::Contact);
    f.key("n");
    f.open_dupes_at(MergeKind::Parent);
    f.key("n");
    assert!(f.dupes().groups.is_empty());
    assert!(f.text(80, 24).contains("No likely duplicates."));
}

#[test]
fn n_sets_the_pair_apart() {
    let mut f = Fixture::new();
    f.open_dupes_at(MergeKind::Contact);
    f.key("n");
    let text = f.text(80, 24);
    assert!(text.contains("Likely duplicates (1)"), "{text}");
    assert!(!text.contains("Grace Hopper"), "the group is gone: {text}");
    assert!(text.contains("#1 and #2 are not duplicates"), "{text}");
    let pairs = f.app.store.distinct_pairs(MergeKind::Contact).unwrap();
    assert!(pairs.contains(&(1, 2)), "{pairs:?}");
    // Still apart after the store is read again.
    f.app.reload().unwrap();
    assert_eq!(f.dupes().groups.len(), 1);
}

#[test]
fn the_merge_view_shows_the_three_columns() {
    let mut f = Fixture::new();
    f.merge_graces_at_title();
    let text = f.text(80, 24);
    assert!(
        line_with(&text, &["FIELD", "#1 (kept)", "#2", "MERGED"]).is_some(),
        "{text}"
    );
    let title = line_with(&text, &["Title"]).expect("a Title row");
    assert!(
        title.contains("CTO") && title.contains("Rear Admiral"),
        "{title}"
    );
    assert!(
        title.trim_end().ends_with("CTO"),
        "by default the kept one's: {title}"
    );
    let emails = line_with(&text, &["All emails"]).expect("an All emails row");
    assert!(emails.contains("grace@acme.example, am"), "{emails}");
    assert!(
        text.contains("#2 goes into #1, with its notes, emails and history."),
        "{text}"
    );
    f.snap("merge_default");
    // At 40x12 the keys to choose and to merge show whole, before anything else is dropped.
    let narrow = f.text(40, 12);
    let keys = narrow.lines().last().unwrap_or_default();
    assert!(
        keys.contains("h/l choose") && keys.contains("m merge") && !keys.contains('…'),
        "{keys:?}"
    );
    for (w, h) in [(20, 5), (30, 8), (120, 40)] {
        draw(&f.app, w, h);
    }
    // `?` lists the view's keys from the keymap; any key closes it and nothing was chosen.
    f.key("?");
    let help = f.text(80, 24);
    assert!(help.contains("Keys: merge two records"), "{help}");
    assert!(help.contains("swap which record is kept"), "{help}");
    f.key("l");
    assert!(f.app.help.is_none());
    let title = line_with(&f.text(80, 24), &["Title"]).unwrap();
    assert!(
        title.trim_end().ends_with("CTO"),
        "the key closed help only: {title}"
    );
}

#[test]
fn l_on_title_takes_the_other_records_title() {
    let mut f = Fixture::new();
    f.merge_graces_at_title();
    f.key("l");
    let text = f.text(80, 24);
    let title = line_with(&text, &["Title"]).expect("a Title row");
    assert!(
        title.trim_end().ends_with("Rear Admiral"),
        "MERGED shows the other's title: {title}"
    );
    f.snap("merge_title_from_right");
    // `h` takes it back; the arrows do the same.
    f.key("h");
    let title = line_with(&f.text(80, 24), &["Title"]).unwrap();
    assert!(title.trim_end().ends_with("CTO"), "{title}");
    f.key("right");
    let title = line_with(&f.text(80, 24), &["Title"]).unwrap();
    assert!(title.trim_end().ends_with("Rear Admiral"), "{title}");
    // Nothing was written by choosing.
    assert!(f.app.store.merges().unwrap().is_empty());
    assert_eq!(
        f.app.store.contact(1).unwrap().fields.title.as_deref(),
        Some("CTO")
    );

    // Merging writes what MERGED showed, and goes back to the duplicates, one group fewer.
    f.key("ctrl-s");
    assert!(
        status(&f.app).contains("Merged #2 into #1 (merge 1)"),
        "{}",
        status(&f.app)
    );
    assert_eq!(f.dupes().groups.len(), 1);
    let kept = f.app.store.contact(1).unwrap();
    assert_eq!(kept.fields.title.as_deref(), Some("Rear Admiral"));
    assert!(f.app.store.contact(2).is_err(), "#2 went into #1");
}

#[test]
fn s_swaps_the_kept_record_and_the_choices_follow() {
    let mut f = Fixture::new();
    f.merge_graces_at_title();
    f.key("l");
    f.key("s");
    let text = f.text(80, 24);
    assert!(
        line_with(&text, &["FIELD", "#2 (kept)", "#1", "MERGED"]).is_some(),
        "{text}"
    );
    let title = line_with(&text, &["Title"]).unwrap();
    assert!(
        title.trim_end().ends_with("Rear Admiral"),
        "still #2's title: {title}"
    );
    f.key("m");
    assert!(
        status(&f.app).contains("Merged #1 into #2"),
        "{}",
        status(&f.app)
    );
    assert!(f.app.store.contact(1).is_err());
    assert_eq!(
        f.app.store.contact(2).unwrap().fields.title.as_deref(),
        Some("Rear Admiral")
    );
}

#[test]
fn esc_cancels_and_writes_nothing() {
    let mut f = Fixture::new();
    f.merge_graces_at_title();
    f.key("l");
    f.key("esc");
    assert!(matches!(f.app.stack.last(), Some(Screen::Dupes(_))));
    assert!(f.app.store.merges().unwrap().is_empty());
    assert!(f.app.store.contact(2).is_ok());
}

#[test]
fn a_record_changed_before_the_merge_is_a_conflict_and_nothing_is_written() {
    let mut f = Fixture::new();
    f.merge_graces_at_title();
    let before = (
        f.app.store.contact(1).unwrap(),
        f.app.store.contact(2).unwrap(),
    );
    // Someone else edits #2 meanwhile.
    let mut other = Store::open(&f.path, &options()).unwrap();
    let two = other.contact(2).unwrap();
    let mut fields = two.fields.clone();
    fields.title = Some("Commodore".into());
    other.update_contact(2, two.version, &fields).unwrap();

    f.key("ctrl-s");
    let text = f.text(80, 24);
    assert!(
        text.contains("Nothing was merged: a contact changed since you opened this view"),
        "{text}"
    );
    assert!(
        status(&f.app).contains("contact #2 changed since you opened this view"),
        "{}",
        status(&f.app)
    );
    assert!(f.app.store.merges().unwrap().is_empty(), "no merge written");
    assert_eq!(f.app.store.contact(1).unwrap(), before.0, "#1 unchanged");
    let two_now = f.app.store.contact(2).unwrap();
    assert_eq!(
        two_now.fields.title.as_deref(),
        Some("Commodore"),
        "their edit kept"
    );
    // The view shows #2 as saved now, and a second merge goes through with what it shows.
    let title = line_with(&text, &["Title"]).unwrap();
    assert!(title.contains("Commodore"), "re-read: {title}");
    assert!(matches!(f.app.stack.last(), Some(Screen::Merge(_))));
    f.key("l");
    f.key("ctrl-s");
    assert!(
        status(&f.app).contains("Merged #2 into #1"),
        "{}",
        status(&f.app)
    );
    assert_eq!(
        f.app.store.contact(1).unwrap().fields.title.as_deref(),
        Some("Commodore")
    );
}

#[test]
fn people_at_two_companies_wait_for_the_company_to_be_chosen() {
    let mut f = Fixture::new();
    // Grace #2 moves to Globex (as a contact edited elsewhere would not: set it directly).
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    conn.execute("UPDATE contacts SET parent_id = 3 WHERE id = 2", [])
        .unwrap();
    drop(conn);
    f.app.reload().unwrap();
    // Same name and no shared key but the name at a company: merge them by hand from the list.
    f.app.update(kith::tui::msg::Msg::OpenMerge {
        kind: MergeKind::Contact,
        survivor: 1,
        other: 2,
    });
    let text = f.text(80, 24);
    assert!(
        text.contains("#1 is at Acme Corporation and #2 at Globex: choose the company"),
        "{text}"
    );
    assert!(
        line_with(&text, &["Company", "(choose)"]).is_some(),
        "{text}"
    );
    f.key("m");
    assert!(
        status(&f.app).contains("choose the company"),
        "refused: {}",
        status(&f.app)
    );
    assert!(f.app.store.merges().unwrap().is_empty());
    // The Company row is selected: `l` takes Globex, and the merge goes through.
    assert_eq!(f.merge_view().selected, "parent");
    f.key("l");
    assert!(!f.text(80, 24).contains("choose the company"));
    f.key("m");
    assert!(
        status(&f.app).contains("Merged #2 into #1"),
        "{}",
        status(&f.app)
    );
    assert_eq!(f.app.store.contact(1).unwrap().parent_id, 3);
}

#[test]
fn undo_from_the_contacts_history_restores_both() {
    let mut f = Fixture::new();
    let before = (
        f.app.store.contact(1).unwrap(),
        f.app.store.contact(2).unwrap(),
    );
    f.merge_graces_at_title();
    f.key("l");
    f.key("ctrl-s");
    assert!(f.app.store.contact(2).is_err());
    // Back to the list, open Acme, the merged Grace's history.
    f.keys(&["q", "g"]);
    f.key("enter");
    let acme = match f.app.stack.last() {
        Some(Screen::Detail(d)) => d,
        _ => panic!("not in the detail view"),
    };
    assert_eq!(acme.parent.fields.name, "Acme Corporation");
    assert_eq!(acme.contacts.len(), 1, "one Grace");
    assert_eq!(acme.activities.len(), 2, "both notes");
    f.key("H");
    assert!(matches!(f.app.popup, Some(Popup::History(_))));
    let text = f.text(80, 24);
    assert!(text.contains("History of Grace Hopper"), "{text}");
    assert!(
        text.contains("merged #2 into #1 (Grace Hopper, merge 1)"),
        "{text}"
    );
    assert!(
        text.contains("u undo last merge"),
        "the hint names the key: {text}"
    );
    f.key("u");
    assert!(
        status(&f.app).contains("Undid merge 1: #2 Grace Hopper is back beside #1"),
        "{}",
        status(&f.app)
    );
    let after = (
        f.app.store.contact(1).unwrap(),
        f.app.store.contact(2).unwrap(),
    );
    assert_eq!(after, before, "both as they were");
    match f.app.stack.last() {
        Some(Screen::Detail(d)) => assert_eq!(d.contacts.len(), 2, "the view reloaded"),
        _ => panic!("not in the detail view"),
    }
    // Nothing left to undo: the refusal is one line.
    f.key("H");
    f.key("u");
    assert!(
        matches!(&f.app.status, StatusLine::Error(t) if t.contains("nothing was merged into #1")),
        "{:?}",
        f.app.status
    );
}

#[test]
fn undo_from_a_companys_history() {
    let mut f = Fixture::new();
    f.open_dupes_at(MergeKind::Parent);
    f.key("enter");
    let text = f.text(80, 24);
    assert!(text.contains("Merge two companies"), "{text}");
    assert!(
        line_with(&text, &["Name", "Acme Corporation", "ACME Corp."]).is_some(),
        "{text}"
    );
    f.key("ctrl-s");
    assert!(
        status(&f.app).contains("Merged #2 into #1"),
        "{}",
        status(&f.app)
    );
    assert!(f.app.store.parent(2).is_err());
    f.keys(&["q", "g", "enter", "h"]);
    assert!(f.text(80, 24).contains("merged #2 into #1 (ACME Corp."));
    f.key("u");
    assert!(
        status(&f.app).contains("Undid merge 1"),
        "{}",
        status(&f.app)
    );
    assert_eq!(f.app.store.parent(2).unwrap().fields.name, "ACME Corp.");
}

#[test]
fn hostile_names_never_reach_the_terminal() {
    let mut f = Fixture::new();
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    conn.execute(
        "UPDATE contacts SET full_name = 'Grace\u{1b}[2J\u{202e}Hopper', title = 'x\u{7}y' WHERE id = 2",
        [],
    )
    .unwrap();
    drop(conn);
    f.app.reload().unwrap();
    f.key("D");
    for (w, h) in SNAP_SIZES {
        assert_clean(&draw(&f.app, w, h), "dupes");
    }
    f.app.update(kith::tui::msg::Msg::OpenMerge {
        kind: MergeKind::Contact,
        survivor: 1,
        other: 2,
    });
    for (w, h) in SNAP_SIZES {
        assert_clean(&draw(&f.app, w, h), "merge");
    }
    f.keys(&["j", "l"]);
    for (w, h) in SNAP_SIZES {
        assert_clean(&draw(&f.app, w, h), "merge, full name from the right");
    }
}
