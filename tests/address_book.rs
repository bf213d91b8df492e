//! A contact as an address book holds one, through the real binary: every address completes in
//! the mail clients' formats, tags select, and importing a person again is the same person
//! (skipped, or with `--update` filled in without overwriting what was typed in kith).

mod common;

use common::{by_name, Kith};
use serde_json::Value;

/// Ada with two addresses (work preferred), tags, a UID and a birthday; Bob with one.
const CARDS: &str = "BEGIN:VCARD\r
VERSION:3.0\r
UID:urn:uuid:6f1c3a52-1d5e-4c7a-9a8b-0a1b2c3d4e5f\r
FN:Ada Lovelace\r
N:Lovelace;Ada;;;\r
ORG:Analytical Engines\r
EMAIL;TYPE=WORK,PREF:ada@engines.example\r
EMAIL;TYPE=HOME:ada@home.example\r
CATEGORIES:Math,Friends\r
BDAY:1815-12-10\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
FN:Bob Byron\r
N:Byron;Bob;;;\r
ORG:Analytical Engines\r
EMAIL:bob@engines.example\r
END:VCARD\r
";

/// The same Ada again, as another address book has her: a new address, a title, an anniversary.
const ADA_AGAIN: &str = "BEGIN:VCARD\r
VERSION:3.0\r
UID:urn:uuid:6f1c3a52-1d5e-4c7a-9a8b-0a1b2c3d4e5f\r
FN:Ada Lovelace\r
N:Lovelace;Ada;;;\r
ORG:Analytical Engines\r
TITLE:Mathematician\r
EMAIL:ada@newer.example\r
END:VCARD\r
";

fn imported(cards: &str) -> Kith {
    let k = Kith::new();
    let file = k.path("cards.vcf");
    std::fs::write(&file, cards).expect("write the cards");
    k.ok(&["import", file.to_str().expect("a UTF-8 path")]);
    k
}

fn emails(c: &Value) -> Vec<(String, bool)> {
    c["emails"]
        .as_array()
        .expect("emails is an array")
        .iter()
        .map(|e| {
            (
                e["address"].as_str().unwrap_or_default().to_string(),
                e["preferred"].as_bool().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn every_address_of_a_person_completes_and_finds_them() {
    let k = imported(CARDS);
    let out = k.ok(&["query", "ada"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "kith: 2 matches for \"ada\"", "{out}");
    assert!(
        lines[1].starts_with("ada@engines.example\tAda Lovelace\t"),
        "{out}"
    );
    assert!(
        lines[2].starts_with("ada@home.example\tAda Lovelace\t"),
        "{out}"
    );
    assert!(lines[2].ends_with("(home)"), "{out}");

    // Her second address alone finds her.
    let out = k.ok(&["query", "--format", "aerc", "home.example"]);
    assert_eq!(
        out,
        "ada@engines.example\tAda Lovelace\nada@home.example\tAda Lovelace\n"
    );
    let found: Vec<Value> =
        serde_json::from_str(&k.ok(&["query", "--format", "json", "ada@home"])).expect("JSON");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["full_name"], "Ada Lovelace");
}

#[test]
fn json_has_every_address_the_uid_tags_and_birthday() {
    let k = imported(CARDS);
    let list = k.contacts_json();
    let ada = by_name(&list, "Ada Lovelace");
    assert_eq!(ada["email"], "ada@engines.example");
    assert_eq!(
        emails(ada),
        [
            ("ada@engines.example".to_string(), true),
            ("ada@home.example".to_string(), false)
        ]
    );
    assert_eq!(ada["emails"][0]["label"], "work");
    assert_eq!(ada["uid"], "urn:uuid:6f1c3a52-1d5e-4c7a-9a8b-0a1b2c3d4e5f");
    assert_eq!(ada["tags"], serde_json::json!(["Math", "Friends"]));
    assert_eq!(ada["birthday"], "1815-12-10");
    let bob = by_name(&list, "Bob Byron");
    assert!(
        bob["uid"].as_str().is_some_and(|u| u.len() == 36),
        "a contact without a UID gets one: {bob:#}"
    );
}

#[test]
fn contacts_by_tag_and_tags_edited_from_the_command_line() {
    let k = imported(CARDS);
    let tagged = |tag: &str| -> Vec<String> {
        let out = k.ok(&["contacts", "--tag", tag, "--format", "json"]);
        let list: Vec<Value> = serde_json::from_str(&out).expect("JSON");
        list.iter()
            .map(|c| c["full_name"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(
        tagged("MATH"),
        ["Ada Lovelace"],
        "tags compare ignoring case"
    );
    assert!(tagged("poets").is_empty());

    let bob = by_name(&k.contacts_json(), "Bob Byron")["id"].to_string();
    k.ok(&["contact", "edit", &bob, "--tags", "Poets, Math"]);
    assert_eq!(tagged("math"), ["Ada Lovelace", "Bob Byron"]);
    k.ok(&["contact", "edit", &bob, "--tags", ""]);
    assert_eq!(tagged("math"), ["Ada Lovelace"]);
}

#[test]
fn the_same_person_again_is_skipped_or_with_update_filled_in() {
    let k = imported(CARDS);
    let again = k.path("again.vcf");
    std::fs::write(&again, ADA_AGAIN).expect("write the card");
    let again = again.to_str().expect("a UTF-8 path");

    let out = k.ok(&["import", again]);
    assert!(out.contains("Imported 0 contact(s)"), "{out}");
    assert!(out.contains("1 duplicate(s) skipped"), "{out}");
    assert_eq!(k.contacts_json().len(), 2);

    // A title typed in kith is not overwritten by the file's.
    let ada = by_name(&k.contacts_json(), "Ada Lovelace")["id"].to_string();
    k.ok(&["contact", "edit", &ada, "--title", "Countess"]);
    let out = k.ok(&["import", "--update", again]);
    assert!(out.contains("1 updated"), "{out}");
    let list = k.contacts_json();
    assert_eq!(list.len(), 2, "still the same two people");
    let ada_now = by_name(&list, "Ada Lovelace");
    assert_eq!(ada_now["title"], "Countess");
    assert_eq!(
        ada_now["email"], "ada@engines.example",
        "the preferred address stays"
    );
    let all: Vec<String> = emails(ada_now).into_iter().map(|e| e.0).collect();
    assert_eq!(
        all,
        [
            "ada@engines.example",
            "ada@home.example",
            "ada@newer.example"
        ]
    );
    assert_eq!(ada_now["birthday"], "1815-12-10");

    // The change is in the history, and a second --update finds nothing more to add.
    let db = rusqlite::Connection::open(k.path("kith.db")).expect("the store");
    let updates: i64 = db
        .query_row(
            "SELECT count(*) FROM history WHERE entity = 'contact' AND entity_id = ?1
               AND action = 'update' AND changes LIKE '%ada@newer.example%'",
            [ada.parse::<i64>().expect("an id")],
            |r| r.get(0),
        )
        .expect("history");
    assert_eq!(updates, 1);
    let out = k.ok(&["import", "--update", again]);
    assert!(out.contains("0 updated"), "{out}");
}
