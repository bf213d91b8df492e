//! End to end: a config that rebinds `back`, `down`, `up`, `open`, `confirm` and `save`, and
//! the real binary in tmux walked through every screen and dialog with the new keys only. Each
//! hint on screen must name the new key, and the old keys must no longer act.
//!
//! Needs `tmux` (CI installs it with apt).

#[path = "e2e/harness.rs"]
mod harness;

use harness::{line_with, Term};

const CONFIG: &str = r#"
[keys]
back = ["ctrl-g"]
down = ["ctrl-n"]
up = ["ctrl-p"]
open = ["ctrl-o"]
confirm = ["Y"]
save = ["ctrl-t"]
"#;

/// The bottom row: the status bar.
fn status_bar(screen: &str) -> String {
    screen.lines().last().unwrap_or_default().to_string()
}

#[test]
fn rebound_keys_are_obeyed_and_shown_on_every_screen_and_dialog() {
    let mut t = Term::new("rebound");
    std::fs::write(&t.config, CONFIG).expect("write the config");
    t.cli_ok(&["lead", "add", "--name", "Bolt Works"]);
    t.cli_ok(&["lead", "add", "--name", "Acme"]);
    for (first, last, title) in [("Alan", "Turing", "CEO"), ("Grace", "Hopper", "CTO")] {
        t.cli_ok(&[
            "contact", "add", "--parent", "Acme", "--first", first, "--last", last, "--title",
            title,
        ]);
    }
    t.start();

    // The parent list: its hints name the new keys; `j` no longer moves, Ctrl-N does.
    let screen = t.wait_for_line(&["Lead", "Acme"]);
    assert!(!screen.is_empty());
    let bar = status_bar(&t.wait_until("the list's hints", |s| {
        status_bar(s).contains("Ctrl-O open")
    }));
    assert!(!bar.contains("Enter"), "{bar}");
    t.keys(&["j", "C-o"]);
    t.wait_for("Lead #2 Acme");
    t.keys(&["C-g"]);
    t.wait_for("Primary contact");
    t.keys(&["C-n", "C-o"]);
    t.wait_for("Lead #1 Bolt Works");
    t.keys(&["C-g"]);
    t.wait_for("Primary contact");
    t.keys(&["C-p", "C-o"]);
    t.wait_for("Lead #2 Acme");

    // The detail view: its status bar and help show the new keys.
    t.wait_for("Ctrl-G back");
    t.keys(&["?"]);
    let help = t.wait_for("Keys: detail view");
    // Its first rows (the help scrolls; Ctrl-G back is on the status line, checked above).
    for (key, what) in [("Ctrl-N", "move down"), ("Ctrl-P", "move up")] {
        assert!(
            line_with(&help, &[key, what]).is_some(),
            "{key} {what}:\n{help}"
        );
    }
    t.keys(&["x"]);
    t.wait_gone("Keys: detail view");

    // The delete confirmation: `y` no longer confirms, `Y` does.
    t.wait_for_line(&["Alan Turing", "CEO"]);
    t.keys(&["C-n", "d"]);
    t.wait_for("Delete Grace Hopper from Acme?");
    t.wait_for("Y yes");
    t.keys(&["y"]);
    t.keys(&["?"]);
    // Help opened over the dialog proves the `y` was read and did not confirm.
    t.wait_for("Keys: detail view");
    t.keys(&["x"]);
    t.wait_for("Delete Grace Hopper from Acme?");
    t.keys(&["Y"]);
    t.wait_for("Deleted contact #");
    assert!(line_with(&t.screen(), &["Grace Hopper", "CTO"]).is_none());

    // A form: Ctrl-S no longer saves, Ctrl-T does; the hint says so.
    t.keys(&["a"]);
    t.wait_for("New contact at Acme");
    t.wait_for("Ctrl-T save");
    t.type_text("Ada");
    t.wait_for_line(&["First name", "Ada"]);
    t.keys(&["C-s"]);
    t.type_text("!");
    t.wait_for_line(&["First name", "Ada!"]);
    t.keys(&["C-t"]);
    t.wait_for("Added contact #");
    t.wait_for_line(&["Ada!"]);

    // Dropping what was typed asks with the new confirm key.
    t.keys(&["a"]);
    t.wait_for("New contact at Acme");
    t.type_text("Zed");
    t.wait_for_line(&["First name", "Zed"]);
    t.keys(&["Escape"]);
    t.wait_for("Discard what you typed?");
    t.wait_for("Y yes");
    t.keys(&["Y"]);
    t.wait_for("Cancelled");

    // The status picker: moved and chosen with the new keys, the reason saved with Ctrl-T.
    t.keys(&["s"]);
    t.wait_for("Status (now New)");
    t.wait_for("Ctrl-O choose");
    t.wait_for("Ctrl-G cancel");
    t.keys(&["C-n", "C-o"]);
    t.wait_for("Acme: New → Contacted");
    t.type_text("Called them");
    t.keys(&["C-t"]);
    t.wait_for("Status: Contacted");

    // The history: it scrolls with the new keys, and says so.
    t.keys(&["h"]);
    t.wait_for("History of Acme");
    t.wait_for("Ctrl-N/Ctrl-P scroll");
    t.keys(&["x"]);
    t.wait_gone("History of Acme");

    // The move picker: its hint names the new keys, and Ctrl-G cancels it.
    t.keys(&["g", "M"]);
    t.wait_for("move to?");
    t.wait_for("Ctrl-O choose");
    t.wait_for("Ctrl-G cancel");
    t.keys(&["C-g"]);
    t.wait_gone("move to?");

    // A conflict: another process saves Alan while his form is open.
    let contacts = t.cli_json(&["contacts", "--parent", "Acme"]);
    let alan = contacts
        .as_array()
        .expect("an array")
        .iter()
        .find(|c| c["full_name"] == "Alan Turing")
        .expect("Alan")["id"]
        .to_string();
    t.wait_for_line(&["Alan Turing", "CEO"]);
    t.keys(&["g", "C-n", "e"]);
    t.wait_for("Edit Alan Turing at Acme");
    t.cli_ok(&["contact", "edit", &alan, "--title", "Chair"]);
    t.keys(&["Tab", "Tab", "Tab", "Tab", "Tab"]);
    t.type_text(" and CTO");
    t.keys(&["C-t"]);
    t.wait_for("Someone else saved this record");
    t.wait_for("Ctrl-G edit");
    t.keys(&["C-g"]);
    t.wait_gone("Someone else saved this record");
    t.wait_for("Edit Alan Turing at Acme");
    t.keys(&["C-t"]);
    t.wait_for("Someone else saved this record");
    t.keys(&["o"]);
    t.wait_for("Saved contact #");
    let shown = t.cli_json(&["contacts", "--parent", "Acme"]);
    let titles: Vec<String> = shown
        .as_array()
        .expect("an array")
        .iter()
        .map(|c| c["title"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(titles.contains(&"CEO and CTO".to_string()), "{shown:#}");

    // Back to the list with Ctrl-G; the title search works and hints with the new keys.
    t.keys(&["C-g"]);
    t.wait_for("Primary contact");
    t.keys(&["t"]);
    t.wait_until("the title search's hints", |s| {
        status_bar(s).contains("type a title · Ctrl-P/Ctrl-N move · Ctrl-O open · Ctrl-G back")
    });
    t.type_text("ceo");
    t.wait_for_line(&["Alan Turing", "CEO and CTO", "Acme"]);
    t.keys(&["C-o"]);
    t.wait_for_line(&["Person #", "Alan Turing"]);
    t.keys(&["C-g"]);
    t.wait_for("Title: ceo");
    t.keys(&["C-g"]);
    t.wait_for("Primary contact");

    // The `/` filter: the "no match" hint names the new back key, which clears it.
    t.keys(&["/"]);
    t.type_text("zzzq");
    t.wait_for("No match. Ctrl-G clears the filter.");
    t.keys(&["C-g"]);
    t.wait_for_line(&["Lead", "Bolt Works"]);

    // The list's help names the new keys too.
    t.keys(&["?"]);
    t.wait_for("Keys: leads and customers");
    t.wait_for_line(&["Ctrl-O", "open"]);
    t.keys(&["x"]);
    t.wait_gone("Keys: leads and customers");
    t.keys(&["q"]);
    assert_eq!(t.assert_restored(), 0);
}
