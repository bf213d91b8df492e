//! End to end: two duplicate people found, merged and unmerged in the real `kith` binary in a
//! real terminal (tmux), typed at as a person would, checked by the screen and the store.
//!
//! Needs `tmux` (CI installs it with apt).

#[path = "e2e/harness.rs"]
mod harness;

use harness::{line_with, Term};

#[test]
fn two_people_found_merged_with_both_notes_and_unmerged_from_the_history() {
    let mut t = Term::new("dupes");
    t.cli_ok(&["lead", "add", "--name", "Acme Robotics"]);
    let add = |title: &str| {
        t.cli_ok(&[
            "contact",
            "add",
            "--parent",
            "Acme Robotics",
            "--first",
            "Grace",
            "--last",
            "Hopper",
            "--title",
            title,
        ])
    };
    assert_eq!(add("CTO").trim(), "1");
    assert_eq!(add("Rear Admiral").trim(), "2");
    t.cli_ok(&[
        "note",
        "Acme Robotics",
        "--contact",
        "1",
        "Asked for the API docs",
    ]);
    t.cli_ok(&[
        "note",
        "Acme Robotics",
        "--contact",
        "2",
        "Called back about COBOL",
    ]);
    t.start();
    t.wait_for_line(&["Lead", "Acme Robotics"]);
    t.wait_for("D dupes");

    // The duplicates: the pair, and why.
    t.keys(&["D"]);
    t.wait_for("Likely duplicates (1)");
    t.wait_for_line(&[
        "people",
        "#1 Grace Hopper (Acme Robotics)",
        "#2 Grace Hopper (Acme Robotics)",
    ]);
    t.wait_for("same name at Acme Robotics");

    // The merge view: the kept one's title by default, the other's once taken.
    t.keys(&["Enter"]);
    t.wait_for_line(&["FIELD", "#1 (kept)", "#2", "MERGED"]);
    let title = t.wait_for_line(&["Title", "CTO", "Rear Admiral"]);
    assert!(title.trim_end().ends_with("CTO"), "{title}");
    t.keys(&["j", "j", "j", "j", "l"]);
    let title = t.wait_until("MERGED to show the other's title", |s| {
        line_with(s, &["Title"]).is_some_and(|l| l.matches("Rear Admiral").count() == 2)
    });
    let title = line_with(&title, &["Title"]).unwrap_or_default();
    assert!(
        title.contains("CTO"),
        "the kept one's stays in its column: {title}"
    );
    assert!(title.trim_end().ends_with("Rear Admiral"), "{title}");
    t.keys(&["C-s"]);
    t.wait_for("Merged #2 into #1 (merge 1)");
    t.wait_for("No likely duplicates.");

    // The company: one person, both notes on the timeline.
    t.keys(&["q"]);
    t.wait_for("Primary contact");
    t.keys(&["Enter"]);
    t.wait_for_line(&["Lead #", "Acme Robotics"]);
    t.wait_for("Contacts (1)");
    let screen = t.wait_for_line(&["Grace Hopper", "Rear Admiral"]);
    assert!(!screen.contains("CTO"), "{screen}");
    t.wait_for("Asked for the API docs");
    t.wait_for("Called back about COBOL");
    t.wait_for("Notes and emails (2)");

    // Her history says what was merged; `u` undoes it.
    t.keys(&["H"]);
    t.wait_for("History of Grace Hopper");
    t.wait_for("merged #2 into #1 (Grace Hopper, merge 1)");
    t.wait_for("u undo last merge");
    t.keys(&["u"]);
    t.wait_for("Undid merge 1: #2 Grace Hopper is back beside #1");
    t.wait_for("Contacts (2)");
    t.wait_for_line(&["Grace Hopper", "CTO"]);
    t.wait_for_line(&["Grace Hopper", "Rear Admiral"]);
    t.escape();
    t.wait_for("Primary contact");
    t.keys(&["q"]);
    assert_eq!(t.assert_restored(), 0, "kith exits 0 on q");

    // The store agrees: both people, each with their own note again.
    let shown = t.cli_json(&["show", "Acme Robotics"]);
    let people = shown["contacts"].as_array().expect("contacts");
    let titles: Vec<&str> = people.iter().filter_map(|c| c["title"].as_str()).collect();
    assert_eq!(titles.len(), 2, "{shown:#}");
    assert!(
        titles.contains(&"CTO") && titles.contains(&"Rear Admiral"),
        "{shown:#}"
    );
    let activities = shown["activities"].as_array().expect("activities");
    assert_eq!(activities.len(), 2, "{shown:#}");
    let about = |body: &str| {
        activities
            .iter()
            .find(|a| a["body"] == body)
            .and_then(|a| a["contact_id"].as_i64())
    };
    assert_eq!(about("Asked for the API docs"), Some(1), "{shown:#}");
    assert_eq!(about("Called back about COBOL"), Some(2), "{shown:#}");
}
