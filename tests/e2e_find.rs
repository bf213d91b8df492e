//! End to end: find everything (`f`, `Ctrl-K`) in the real `kith` binary in a real terminal
//! (tmux), typed at as a person would: a person by a few letters of their name, a note by a
//! word of its text, each opened with Enter and left with Esc.
//!
//! Needs `tmux` (CI installs it with apt).

#[path = "e2e/harness.rs"]
mod harness;

use harness::{line_with, Term};

/// Acme Corp with Sam Patel among people whose names are near his; Globex with a note.
fn store(t: &Term) {
    t.cli_ok(&["customer", "add", "--name", "Acme Corp"]);
    t.cli_ok(&["lead", "add", "--name", "Globex"]);
    for (first, last, at) in [
        ("Patricia", "Lowe", "Globex"),
        ("Sam", "Patel", "Acme Corp"),
        ("Ada", "Lovelace", "Acme Corp"),
        ("Olu", "Pateman", "Globex"),
    ] {
        t.cli_ok(&[
            "contact", "add", "--parent", at, "--first", first, "--last", last,
        ]);
    }
    t.cli_ok(&[
        "note",
        "Globex",
        "Call went well. They asked about our pricing for the enterprise tier.",
    ]);
    t.cli_ok(&["note", "Acme Corp", "Sent the contract."]);
}

/// The rows of the find under its input line, top first.
fn rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .skip_while(|l| !l.starts_with("Find: "))
        .skip(1)
        .map(str::to_string)
        .collect()
}

#[test]
fn a_person_is_found_by_a_few_letters_of_their_name_and_opened() {
    let mut t = Term::new("find-person");
    store(&t);
    t.start();
    t.wait_for_line(&["Lead", "Globex"]);

    t.keys(&["f"]);
    t.wait_for("Find: ");
    t.type_text("patel");
    let screen = t.wait_until("Sam Patel listed", |s| {
        rows(s).iter().any(|r| r.contains("Sam Patel"))
    });
    let first = &rows(&screen)[0];
    assert!(
        first.starts_with("person") && first.contains("Sam Patel"),
        "Sam Patel should be ranked first:\n{screen}"
    );
    assert!(first.contains("Acme Corp"), "{first}");

    // Enter: his card.
    t.keys(&["Enter"]);
    t.wait_for("Person #2 Sam Patel at Acme Corp");
    // Esc: back to the find as it was left.
    t.escape();
    let screen = t.wait_for("Find: patel");
    assert!(rows(&screen)[0].contains("Sam Patel"), "{screen}");
    // Esc again: back to the list the find was opened from.
    t.escape();
    t.wait_for_line(&["Lead", "Globex"]);
    assert!(!t.screen().contains("Find: "));
}

#[test]
fn a_note_is_found_by_a_word_of_its_text_and_opened_on_its_company() {
    let mut t = Term::new("find-note");
    store(&t);
    t.start();
    t.wait_for_line(&["Lead", "Globex"]);

    t.keys(&["C-k"]);
    t.wait_for("Find: ");
    t.type_text("pric");
    let row = t.wait_for_line(&["note", "Note on Globex"]);
    assert!(row.contains("pricing"), "{row}");
    let screen = t.screen();
    assert!(
        !rows(&screen)
            .iter()
            .any(|r| r.contains("Sent the contract")),
        "only what matches is listed:\n{screen}"
    );

    t.keys(&["Enter"]);
    let screen = t.wait_for("Notes and emails");
    assert!(
        line_with(&screen, &["They asked about our pricing"]).is_some(),
        "{screen}"
    );
    assert!(screen.contains("Globex"), "{screen}");
}
