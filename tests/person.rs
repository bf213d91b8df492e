//! `kith person ID`: the person's card through the real binary, on a real store, from a real
//! address book's export (Google's vCard, `tests/fixtures/vcard/ez-vcard/gmail-single2.vcf`).

mod common;

use common::{by_name, one_line, Kith};
use serde_json::Value;

fn fixture(path: &str) -> String {
    format!("{}/tests/fixtures/vcard/{path}", env!("CARGO_MANIFEST_DIR"))
}

/// A store holding the Google export's one person; their contact id.
fn imported(k: &Kith) -> i64 {
    k.ok(&["import", &fixture("ez-vcard/gmail-single2.vcf")]);
    let contacts = k.contacts_json();
    by_name(&contacts, "VCard Test")["id"]
        .as_i64()
        .expect("an id")
}

#[test]
fn the_card_shows_every_address_date_and_name_the_vcard_had() {
    let k = Kith::new();
    let id = imported(&k);
    let card = k.ok(&["person", &id.to_string()]);
    let has = |row: &[&str]| {
        card.lines()
            .any(|l| row.iter().all(|part| l.contains(part)))
    };
    assert!(
        card.starts_with(&format!("VCard Test (contact #{id})")),
        "{card}"
    );
    assert!(has(&["Email", "homeemail@example.com (home)"]), "{card}");
    assert!(has(&["Email", "email@example.com (preferred)"]), "{card}");
    assert!(
        has(&["Email", "customcategory@example.com (CustomEmailCategory)"]),
        "{card}"
    );
    assert!(has(&["Phone", "5555551115 (mobile)"]), "{card}");
    assert!(
        has(&["Address", "112 Main St, NY, New York, 10011 (home)"]),
        "{card}"
    );
    assert!(has(&["URL", "http://www.example3.com (BLOG)"]), "{card}");
    assert!(has(&["Birthday", "1912-06-23"]), "{card}");
    assert!(has(&["Anniversary", "1930-03-20"]), "{card}");
    assert!(has(&["Nickname", "TheNickname"]), "{card}");
    assert!(has(&["Title", "TheJobTitle"]), "{card}");
    assert!(has(&["Company", "TheCompany"]), "{card}");
    assert!(has(&["note line 2"]), "{card}");
    assert!(has(&["created"]), "{card}");
}

#[test]
fn the_card_tells_the_timeline_and_the_history_in_words() {
    let k = Kith::new();
    let id = imported(&k);
    let sid = id.to_string();
    k.ok(&[
        "contact",
        "edit",
        &sid,
        "--title",
        "Chief Technology Officer",
    ]);
    k.ok(&["contact", "edit", &sid, "--every", "30"]);
    k.ok(&[
        "note",
        "TheCompany",
        "Called about pricing",
        "--contact",
        &sid,
    ]);
    let card = k.ok(&["person", &sid]);
    assert!(
        card.contains("Title: TheJobTitle → Chief Technology Officer"),
        "{card}"
    );
    assert!(card.contains("keep in touch every 30 days"), "{card}");
    assert!(card.contains("Keep in touch  every 30 days"), "{card}");
    assert!(card.contains("Notes and emails (1)"), "{card}");
    assert!(card.contains("    Called about pricing"), "{card}");
    assert!(
        !card.contains("[{") && !card.contains("\"label\""),
        "{card}"
    );
}

#[test]
fn moving_on_links_both_cards() {
    let k = Kith::new();
    let id = imported(&k);
    k.add_customer("Quantum Widgets", &[]);
    let new_id = k.id(&[
        "contact",
        "move",
        &id.to_string(),
        "--to",
        "Quantum Widgets",
    ]);
    let old = k.ok(&["person", &id.to_string()]);
    assert!(
        old.lines().any(|l| l.contains("Moved on to")
            && l.contains(&format!("Quantum Widgets (contact #{new_id})"))),
        "{old}"
    );
    let new = k.ok(&["person", &new_id.to_string()]);
    assert!(
        new.lines()
            .any(|l| l.contains("Was at") && l.contains(&format!("TheCompany (contact #{id})"))),
        "{new}"
    );
}

#[test]
fn the_json_card_is_the_contact_as_listed_plus_its_timeline_and_history() {
    let k = Kith::new();
    let id = imported(&k);
    let sid = id.to_string();
    k.ok(&["note", "TheCompany", "Met at the fair", "--contact", &sid]);
    k.ok(&["contact", "edit", &sid, "--title", "CTO"]);
    let card: Value =
        serde_json::from_str(&k.ok(&["person", &sid, "--format", "json"])).expect("JSON");
    let listed = k.contacts_json();
    let listed = by_name(&listed, "VCard Test");
    let obj = card.as_object().expect("an object");
    for (key, value) in listed.as_object().expect("an object") {
        assert_eq!(obj.get(key), Some(value), "{key} differs from `contacts`");
    }
    let mut extra: Vec<&str> = obj
        .keys()
        .filter(|k| !listed.as_object().is_some_and(|l| l.contains_key(*k)))
        .map(String::as_str)
        .collect();
    extra.sort();
    assert_eq!(extra, ["activities", "history"]);
    let activities = card["activities"].as_array().expect("activities");
    assert_eq!(activities.len(), 1);
    assert_eq!(activities[0]["body"], "Met at the fair");
    assert_eq!(activities[0]["kind"], "note");
    let history = card["history"].as_array().expect("history");
    assert_eq!(history[0]["action"], "create");
    let edit = history.last().expect("the edit");
    assert_eq!(edit["action"], "update");
    assert_eq!(edit["changes"]["title"][1], "CTO");
    assert_eq!(edit["text"], "Title: TheJobTitle → CTO");
}

#[test]
fn an_unknown_person_is_a_one_line_error() {
    let k = Kith::new();
    imported(&k);
    let out = k.run(&["person", "4242"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    let line = one_line(&stderr);
    assert!(line.contains("4242"), "{line}");
}
