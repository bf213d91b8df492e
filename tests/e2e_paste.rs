//! Pasting into the TUI, end to end: the real binary in tmux, the text pasted the way a
//! terminal pastes it, and the store checked afterwards.
//!
//! Needs `tmux`.

#[path = "e2e/harness.rs"]
mod harness;

use harness::Term;

/// About 5,000 characters of notes over many lines, as someone pastes a page of text.
fn long_text() -> String {
    let mut text = String::new();
    let mut n = 0;
    while text.chars().count() < 5_000 {
        n += 1;
        text.push_str(&format!(
            "line {n:03}: the quick brown fox jumps over the lazy dog, ünïcødé 王芳\n"
        ));
    }
    text.chars()
        .take(5_000)
        .collect::<String>()
        .trim()
        .to_string()
}

#[test]
fn a_long_paste_arrives_whole_and_saves_at_once() {
    let mut t = Term::new("paste-long");
    t.start();
    t.wait_for("Welcome to kith.");
    t.keys(&["L"]);
    t.wait_for("New lead");
    t.type_text("Paste Co");
    t.wait_for_line(&["Name", "Paste Co"]);
    // Name, contact name, email, phone, website, industry, source: the notes come next.
    for _ in 0..7 {
        t.keys(&["Tab"]);
    }
    let text = long_text();
    t.paste(&text);
    // Saved as soon as asked, as a person presses Ctrl-S right after pasting.
    t.keys(&["C-s"]);
    t.wait_gone("New lead");
    t.wait_for_line(&["Lead", "Paste Co"]);
    let shown = t.cli_json(&["show", "Paste Co"]);
    let notes = shown["notes"].as_str().unwrap_or_default();
    assert_eq!(
        notes.chars().count(),
        text.chars().count(),
        "the paste did not arrive whole"
    );
    assert_eq!(notes, text, "the notes differ from what was pasted");
    t.keys(&["q"]);
    assert_eq!(t.assert_restored(), 0);
}

#[test]
fn a_paste_into_a_one_line_field_keeps_its_words_on_that_field() {
    let mut t = Term::new("paste-line");
    t.start();
    t.wait_for("Welcome to kith.");
    t.keys(&["L"]);
    t.wait_for("New lead");
    // Copied from a page: a line break, a tab and a bell among the words.
    t.paste("Acme\nRobotics\tLtd\u{7}");
    t.wait_for_line(&["Name", "Acme Robotics Ltd"]);
    t.keys(&["C-s"]);
    t.wait_gone("New lead");
    let shown = t.cli_json(&["show", "Acme Robotics Ltd"]);
    assert_eq!(shown["name"], "Acme Robotics Ltd", "{shown:#}");
    assert!(
        shown["contact_name"].is_null(),
        "part of the paste went to the next field: {shown:#}"
    );
    t.keys(&["q"]);
    assert_eq!(t.assert_restored(), 0);
}

#[test]
fn a_paste_into_the_list_filter_filters_by_all_of_it() {
    let mut t = Term::new("paste-filter");
    t.cli_ok(&["lead", "add", "--name", "Beta Mill"]);
    t.cli_ok(&["lead", "add", "--name", "Beta Works"]);
    t.start();
    t.wait_for("Beta Works");
    t.keys(&["/"]);
    t.paste("Beta\nMill");
    let screen = t.wait_for("/Beta Mill");
    assert!(
        !screen.contains("Beta Works"),
        "the filter did not take the whole paste:\n{screen}"
    );
    t.keys(&["C-c"]);
    assert_eq!(t.assert_restored(), 0);
}
