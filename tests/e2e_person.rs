//! End to end: the person's card and the pager in the real `kith` binary in a real terminal
//! (tmux), typed at as a person would: a card from a real address book's vCard, a long note
//! read to its last line, and back to a title search as it was left.
//!
//! Needs `tmux` (CI installs it with apt).

#[path = "e2e/harness.rs"]
mod harness;

use harness::{line_with, Term};

fn fixture(path: &str) -> String {
    format!("{}/tests/fixtures/vcard/{path}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_card_shows_what_a_google_vcard_held() {
    let mut t = Term::new("person-card");
    t.cli_ok(&["import", &fixture("ez-vcard/gmail-single2.vcf")]);
    t.start();
    t.wait_for_line(&["Lead", "TheCompany"]);
    // The company, then the person in its contacts.
    t.keys(&["Enter"]);
    t.wait_for_line(&["VCard Test", "TheJobTitle"]);
    t.keys(&["Enter"]);
    t.wait_for_line(&["Person #", "VCard Test", "TheJobTitle at TheCompany"]);
    t.wait_for_line(&["Email", "homeemail@example.com (home)"]);
    // A long card: the page key shows what is below.
    let mut seen = t.screen();
    for _ in 0..6 {
        if seen.contains("1912-06-23") {
            break;
        }
        t.keys(&["NPage"]);
        let before = seen.clone();
        seen = t.wait_until("the fields to scroll", |s| s != before);
    }
    assert!(
        line_with(&seen, &["Birthday", "1912-06-23"]).is_some(),
        "no birthday on the card:\n{seen}"
    );
    // The addresses were on the way down to it.
    t.keys(&["PPage", "PPage", "PPage", "PPage", "PPage", "PPage"]);
    t.wait_for_line(&["Email", "homeemail@example.com (home)"]);
    let mut addresses = false;
    for _ in 0..6 {
        let s = t.screen();
        if line_with(&s, &["Address", "112 Main St, NY, New York, 10011 (home)"]).is_some() {
            addresses = true;
            break;
        }
        t.keys(&["NPage"]);
        t.wait_until("the fields to scroll", |n| n != s);
    }
    assert!(addresses, "no postal address on the card:\n{}", t.screen());
    t.escape();
    t.wait_for_line(&["Lead #", "TheCompany"]);
    t.keys(&["q", "q"]);
    assert_eq!(t.assert_restored(), 0);
}

#[test]
fn a_long_note_is_read_to_its_last_line() {
    let mut t = Term::new("person-pager");
    t.cli_ok(&["customer", "add", "--name", "Acme Robotics"]);
    t.cli_ok(&[
        "contact",
        "add",
        "--parent",
        "Acme Robotics",
        "--first",
        "Ada",
        "--last",
        "Lovelace",
    ]);
    let note: Vec<String> = (1..=25)
        .map(|n| match n {
            25 => "Line 25: we agreed on the price, sign in March.".to_string(),
            n => format!("Line {n:02} of the call"),
        })
        .collect();
    t.cli_ok(&["note", "Acme Robotics", &note.join("\n"), "--contact", "1"]);
    t.start();
    t.wait_for_line(&["Cust", "Acme Robotics"]);
    t.keys(&["Enter"]);
    t.wait_for_line(&["Ada Lovelace"]);
    t.keys(&["Enter"]);
    t.wait_for("Notes and emails (1)");
    t.wait_for_line(&["note by", "Line 01 of the call"]);
    // The note whole, in the pager: its start first, its last line after a page.
    t.keys(&["Enter"]);
    t.wait_for_line(&["Note #1", "lines 1-"]);
    let first = t.wait_for("Line 01 of the call");
    assert!(!first.contains("Line 25"), "{first}");
    t.keys(&["NPage"]);
    t.wait_for("Line 25: we agreed on the price, sign in March.");
    t.keys(&["Home"]);
    t.wait_for("Line 01 of the call");
    // `/` finds words in it.
    t.keys(&["/"]);
    t.type_text("march");
    t.wait_for("/march");
    t.keys(&["Enter"]);
    t.wait_for("1 of 1 for march");
    t.wait_for("Line 25: we agreed");
    // Esc: back on the card, then the company.
    t.escape();
    t.wait_for_line(&["Person #", "Ada Lovelace"]);
    t.escape();
    t.wait_for_line(&["Customer #", "Acme Robotics"]);
    t.keys(&["q", "q"]);
    assert_eq!(t.assert_restored(), 0);
}

#[test]
fn back_from_a_card_is_the_title_search_as_it_was_left() {
    let mut t = Term::new("person-back");
    t.cli_ok(&["customer", "add", "--name", "Acme Robotics"]);
    for (first, last) in [("Ada", "Lovelace"), ("Grace", "Hopper"), ("Alan", "Turing")] {
        t.cli_ok(&[
            "contact",
            "add",
            "--parent",
            "Acme Robotics",
            "--first",
            first,
            "--last",
            last,
            "--title",
            "CTO",
        ]);
    }
    t.start();
    t.wait_for_line(&["Cust", "Acme Robotics"]);
    t.keys(&["t"]);
    t.wait_for("Title:");
    t.type_text("cto");
    t.wait_for("3 people");
    t.keys(&["Down"]);
    t.keys(&["Enter"]);
    let header = t.wait_for_line(&["Person #", "CTO at Acme Robotics"]);
    let name: String = header
        .split_once(' ')
        .and_then(|(_, rest)| rest.split_once(' '))
        .map(|(_, rest)| rest.split(',').next().unwrap_or_default().to_string())
        .unwrap_or_default();
    assert!(!name.is_empty(), "{header}");
    t.escape();
    t.wait_for("Title: cto");
    t.wait_for("3 people");
    // The same row is still selected: Enter opens the same person.
    t.keys(&["Enter"]);
    t.wait_for_line(&["Person #", &name, "CTO at Acme Robotics"]);
    t.escape();
    t.wait_for("Title: cto");
    t.escape();
    t.wait_for_line(&["Cust", "Acme Robotics"]);
    t.keys(&["q"]);
    assert_eq!(t.assert_restored(), 0);
}
