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

/// kith on an empty store with the new-lead form open, named `name`, at its notes field.
fn new_lead_at_its_notes(test: &str, name: &str) -> Term {
    let mut t = Term::new(test);
    t.start();
    t.wait_for("Welcome to kith.");
    t.keys(&["L"]);
    t.wait_for("New lead");
    t.type_text(name);
    t.wait_for_line(&["Name", name]);
    // Name, contact name, email, phone, website, industry, source: the notes come next.
    for _ in 0..7 {
        t.keys(&["Tab"]);
    }
    t
}

#[test]
fn a_long_paste_arrives_whole_and_saves_at_once() {
    let t = new_lead_at_its_notes("paste-long", "Paste Co");
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

/// The end of [`burst_text`]: on screen (at the cursor, where the field scrolls to) only once
/// every key before it was taken.
const BURST_END: &str = " -- the end of the burst";

/// 5,000 characters on one line, as an auto-typer, a slow SSH link or a terminal without
/// bracketed paste delivers them: as keys, all at once. Multi-byte characters among them, so
/// that reads of the terminal end inside one.
fn burst_text() -> String {
    let room = 5_000 - BURST_END.chars().count();
    let mut text = String::new();
    let mut n = 0;
    while text.chars().count() < room {
        n += 1;
        text.push_str(&format!("w{n:04} quick brown fox ünïcødé 王芳; "));
    }
    let mut text: String = text.chars().take(room).collect();
    text.push_str(BURST_END);
    text
}

#[test]
fn a_burst_of_typed_keys_is_taken_whole_with_no_key_after_it() {
    let t = new_lead_at_its_notes("burst", "Burst Co");
    let text = burst_text();
    assert_eq!(text.chars().count(), 5_000);
    // `send-keys -l` types the text as keys, never as a bracketed paste.
    t.type_text(&text);
    // No key follows the burst: its end shows only if kith took all of it by itself.
    t.wait_for(BURST_END.trim());
    t.keys(&["C-s"]);
    t.wait_gone("New lead");
    t.wait_for_line(&["Lead", "Burst Co"]);
    let shown = t.cli_json(&["show", "Burst Co"]);
    let notes = shown["notes"].as_str().unwrap_or_default();
    assert_eq!(
        notes.chars().count(),
        5_000,
        "the burst did not arrive whole"
    );
    assert_eq!(notes, text, "the notes differ from what was typed");

    // Esc after a burst into a one-line field: the form asks, and goes.
    t.keys(&["L"]);
    t.wait_for("New lead");
    t.type_text(&text);
    t.wait_for(BURST_END.trim());
    t.keys(&["Escape"]);
    t.wait_for("Discard what you typed?");
    t.keys(&["y"]);
    t.wait_gone("New lead");
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

const FLAG: &str = "\u{1F1FA}\u{1F1F8}";
const FAMILY: &str = "\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}";

/// A flag and a family, typed as keys into a form (not pasted), edited with the arrows and
/// Backspace: each is kept or removed whole, and closing the form leaves no piece of a flag
/// on the screen behind it.
#[test]
fn flags_and_families_typed_into_a_form_are_edited_whole_and_leave_no_cell_behind() {
    let mut t = Term::new("clusters");
    t.start();
    t.wait_for("Welcome to kith.");

    // Over the empty store's welcome text, a form that showed flags is closed: nothing of them
    // stays on the screen.
    t.keys(&["L"]);
    t.wait_for("New lead");
    t.type_text(&format!("{FLAG}{FLAG} x {FLAG}"));
    t.wait_for_line(&["Name", "x"]);
    t.keys(&["Escape"]);
    t.wait_for("Discard what you typed?");
    t.keys(&["y"]);
    let screen = t.wait_gone("New lead");
    assert!(
        !screen.contains('\u{1F1F8}') && !screen.contains('\u{1F1FA}'),
        "a piece of a flag stayed on the screen:\n{screen}"
    );

    t.keys(&["L"]);
    t.wait_for("New lead");
    t.type_text(&format!("Ana {FLAG} Silva {FAMILY}"));
    t.wait_for_line(&["Name", "Ana", "Silva"]);
    // Out of the family and back, then from the start over the flag: the cursor goes round
    // whole glyphs, so what is typed lands between them.
    t.keys(&["Left", "Left", "Right", "Home"]);
    t.keys(&["Right", "Right", "Right", "Right", "Right"]);
    t.type_text("!");
    t.wait_for_line(&["Name", "Ana", "! Silva"]);
    // One Backspace takes the whole family, not its last member.
    t.keys(&["End", "BSpace"]);
    t.keys(&["Tab"]);
    t.type_text(&format!("Zed {FAMILY}"));
    t.wait_for_line(&["Contact name", "Zed"]);
    t.keys(&["BSpace"]);
    t.type_text("Lee");
    t.wait_for_line(&["Contact name", "Zed Lee"]);
    t.keys(&["C-s"]);
    t.wait_gone("New lead");
    let shown = t.cli_json(&["show", "1"]);
    assert_eq!(
        shown["name"].as_str().map(str::trim_end),
        Some(format!("Ana {FLAG}! Silva").as_str())
    );
    assert_eq!(shown["contact_name"], "Zed Lee");
}
