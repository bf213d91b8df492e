//! The command line of SPEC.md, end to end: the real `kith` binary on a real store in a
//! temporary folder.

mod common;

use common::{backend, by_name, mode, one_line, sidecar, Arg, Backend, Kith};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

const CONTACT_KEYS: [&str; 20] = [
    "id",
    "first_name",
    "last_name",
    "full_name",
    "email",
    "phone",
    "title",
    "notes",
    "parent",
    "emails",
    "phones",
    "tags",
    "uid",
    "birthday",
    "moved_to",
    "anniversary",
    "nickname",
    "middle_name",
    "prefix",
    "suffix",
];

const CSV_HEADER: &str =
    "parent,parent_kind,first_name,last_name,full_name,email,phone,title,notes";

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect()
}

fn key_set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Every run of digits in `s`, as numbers.
fn numbers_in(s: &str) -> Vec<i64> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|w| !w.is_empty())
        .filter_map(|w| w.parse().ok())
        .collect()
}

fn count_rows(k: &Kith, sql: &str) -> i64 {
    k.sql_count(sql)
}

// ---------------------------------------------------------------------------------------------
// Adding and listing
// ---------------------------------------------------------------------------------------------

#[test]
fn lead_add_prints_an_id_and_contact_add_takes_the_parent_by_exact_name_or_id() {
    let k = Kith::new();
    let lead = k.add_lead("Initech Ltd", &[]);
    assert!(lead > 0);
    let other = k.add_customer("Globex", &[]);
    assert_ne!(lead, other, "ids are unique across leads and customers");

    let peter = k.add_contact("Initech Ltd", "Peter", &["--last", "Gibbons"]);
    let lead_ref = lead.to_string();
    let milton = k.add_contact(&lead_ref, "Milton", &["--last", "Waddams"]);
    assert_ne!(peter, milton);

    let list = k.contacts_json();
    assert_eq!(list.len(), 2);
    for (id, name) in [(peter, "Peter Gibbons"), (milton, "Milton Waddams")] {
        let c = by_name(&list, name);
        assert_eq!(c["id"], id);
        assert_eq!(c["parent"]["id"], lead);
        assert_eq!(c["parent"]["kind"], "lead");
        assert_eq!(c["parent"]["name"], "Initech Ltd");
    }

    // `--parent` narrows the list to that parent's people.
    let out = k.ok(&["contacts", "--parent", "Globex", "--format", "json"]);
    let globex: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(globex.is_empty(), "{out}");
}

#[test]
fn contact_add_with_an_unknown_parent_is_refused() {
    let k = Kith::new();
    k.add_lead("Initech", &[]);
    let err = k.fails(&["contact", "add", "--parent", "Initrode", "--first", "Bill"]);
    let line = one_line(&err);
    assert!(line.contains("Initrode"), "{line}");
    assert!(k.contacts_json().is_empty());
}

#[test]
fn contacts_json_has_exactly_the_spec_shape_with_nulls_for_absent_values() {
    let k = Kith::new();
    let parent = k.add_customer("Analytical Engines", &[]);
    let sparse = k.add_contact("Analytical Engines", "Ada", &["--last", "Lovelace"]);
    let full = k.add_contact(
        "Analytical Engines",
        "Charles",
        &[
            "--last",
            "Babbage",
            "--full-name",
            "Charles Babbage FRS",
            "--email",
            "charles@engines.example.com",
            "--phone",
            "+44 20 7946 0958",
            "--title",
            "Inventor",
            "--notes",
            "Prefers letters",
        ],
    );

    let list = k.contacts_json();
    assert_eq!(list.len(), 2);
    for c in &list {
        assert_eq!(keys(c), key_set(&CONTACT_KEYS), "{c:#}");
        assert_eq!(
            keys(&c["parent"]),
            key_set(&["id", "kind", "name"]),
            "{c:#}"
        );
        assert_eq!(c["parent"]["id"], parent);
        assert_eq!(c["parent"]["kind"], "customer");
        assert_eq!(c["parent"]["name"], "Analytical Engines");
    }

    let ada = by_name(&list, "Ada Lovelace");
    assert_eq!(ada["id"], sparse);
    assert_eq!(ada["first_name"], "Ada");
    assert_eq!(ada["last_name"], "Lovelace");
    assert_eq!(
        ada["full_name"], "Ada Lovelace",
        "full name defaults to first last"
    );
    for absent in ["email", "phone", "title", "notes"] {
        assert!(ada[absent].is_null(), "{absent} should be null: {ada:#}");
    }

    let charles = by_name(&list, "Charles Babbage FRS");
    assert_eq!(charles["id"], full);
    assert_eq!(charles["first_name"], "Charles");
    assert_eq!(charles["last_name"], "Babbage");
    assert_eq!(charles["email"], "charles@engines.example.com");
    assert_eq!(charles["phone"], "+44 20 7946 0958");
    assert_eq!(charles["title"], "Inventor");
    assert_eq!(charles["notes"], "Prefers letters");

    // A contact with a first name only has a null last name and its first name as full name.
    k.add_contact("Analytical Engines", "Cher", &[]);
    let list = k.contacts_json();
    let cher = by_name(&list, "Cher");
    assert!(cher["last_name"].is_null(), "{cher:#}");
}

#[test]
fn contacts_csv_has_the_spec_header_and_rfc4180_quoting() {
    let k = Kith::new();
    k.add_lead("Quotes, Inc.", &[]);
    let note = "Met at the fair, said \"call me\"\nthen left early";
    k.add_contact(
        "Quotes, Inc.",
        "Grace",
        &[
            "--last",
            "Hopper",
            "--email",
            "grace@navy.example.mil",
            "--title",
            "Rear Admiral",
            "--notes",
            note,
        ],
    );

    let out = k.ok(&["contacts", "--format", "csv"]);
    let first_line = out.split('\n').next().unwrap();
    assert_eq!(first_line.trim_end_matches('\r'), CSV_HEADER);
    assert!(
        out.starts_with(&format!("{CSV_HEADER}\r\n")),
        "RFC 4180 ends records with CRLF: {out:?}"
    );
    assert!(
        out.contains("\"Met at the fair, said \"\"call me\"\"\nthen left early\""),
        "the note is quoted with doubled quotes: {out:?}"
    );

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2, "{out:?}");
    assert_eq!(rows[0].iter().collect::<Vec<_>>().join(","), CSV_HEADER);
    let got: Vec<&str> = rows[1].iter().collect();
    assert_eq!(
        got,
        [
            "Quotes, Inc.",
            "lead",
            "Grace",
            "Hopper",
            "Grace Hopper",
            "grace@navy.example.mil",
            "",
            "Rear Admiral",
            note,
        ]
    );
}

#[test]
fn contacts_by_title_cto_finds_ctos_and_aliases_best_match_first() {
    let k = Kith::new();
    k.add_customer("Acme", &[]);
    k.add_contact(
        "Acme",
        "Zoe",
        &["--last", "Cofounder", "--title", "CTO & Co-founder"],
    );
    k.add_contact("Acme", "Yann", &["--last", "Exact", "--title", "CTO"]);
    k.add_contact(
        "Acme",
        "Xavier",
        &["--last", "Longform", "--title", "Chief Technology Officer"],
    );
    k.add_contact(
        "Acme",
        "Dana",
        &["--last", "Sales", "--title", "Director of Sales"],
    );
    k.add_contact("Acme", "Carl", &["--last", "Money", "--title", "CFO"]);

    let out = k.ok(&["contacts", "--title", "cto", "--format", "json"]);
    let list: Vec<Value> = serde_json::from_str(&out).unwrap();
    let titles: Vec<&str> = list.iter().map(|c| c["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles.iter().copied().collect::<BTreeSet<_>>(),
        ["CTO", "CTO & Co-founder", "Chief Technology Officer"]
            .into_iter()
            .collect::<BTreeSet<_>>(),
        "{titles:?}"
    );
    let at = |t: &str| titles.iter().position(|x| *x == t).unwrap();
    assert!(
        at("CTO") < at("CTO & Co-founder"),
        "exact first: {titles:?}"
    );
    assert!(
        at("Chief Technology Officer") < at("CTO & Co-founder"),
        "an alias of the exact title ranks as exact: {titles:?}"
    );

    // The table a person reads shows the same people, and not the director.
    let table = k.ok(&["contacts", "--title", "cto"]);
    for name in ["Zoe Cofounder", "Yann Exact", "Xavier Longform"] {
        assert!(table.contains(name), "{name} missing from:\n{table}");
    }
    assert!(!table.contains("Dana Sales"), "{table}");
    assert!(!table.contains("Carl Money"), "{table}");
    assert!(
        table.find("Yann Exact").unwrap() < table.find("Zoe Cofounder").unwrap(),
        "{table}"
    );
}

#[test]
fn show_json_has_the_parent_fields_its_contacts_and_its_notes() {
    let k = Kith::new();
    let lead = k.add_lead(
        "Globex",
        &[
            "--contact-name",
            "Hank Scorpio",
            "--email",
            "hank@globex.example.com",
            "--phone",
            "+1 415 555 2671",
            "--website",
            "https://globex.example.com",
            "--industry",
            "Engineering",
            "--source",
            "Trade fair",
            "--notes",
            "Volcano lair\nBring a hammock",
        ],
    );
    let homer = k.add_contact(
        "Globex",
        "Homer",
        &["--last", "Simpson", "--title", "Safety Inspector"],
    );
    let contact_ref = homer.to_string();
    k.ok(&[
        "note",
        "Globex",
        "--contact",
        &contact_ref,
        "Asked",
        "about",
        "hammocks",
    ]);

    let doc = k.show_json("Globex");
    let expected: [(&str, Value); 10] = [
        ("kind", "lead".into()),
        ("name", "Globex".into()),
        // name, website and email are all present: the lead moved on by itself.
        ("status", "information_filled".into()),
        ("contact_name", "Hank Scorpio".into()),
        ("email", "hank@globex.example.com".into()),
        ("phone", "+1 415 555 2671".into()),
        ("website", "https://globex.example.com".into()),
        ("industry", "Engineering".into()),
        ("source", "Trade fair".into()),
        ("notes", "Volcano lair\nBring a hammock".into()),
    ];
    for (key, value) in expected {
        assert_eq!(doc[key], value, "{key} in {doc:#}");
    }
    assert_eq!(doc["id"], lead);

    let contacts = doc["contacts"].as_array().expect("contacts is an array");
    assert_eq!(contacts.len(), 1);
    assert_eq!(keys(&contacts[0]), key_set(&CONTACT_KEYS));
    let listed = k.ok(&["contacts", "--parent", "Globex", "--format", "json"]);
    let listed: Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(
        doc["contacts"], listed,
        "contacts as in `contacts --format json`"
    );

    let activities = doc["activities"]
        .as_array()
        .expect("activities is an array");
    assert_eq!(activities.len(), 1, "{doc:#}");
    assert_eq!(activities[0]["body"], "Asked about hammocks");
    assert_eq!(activities[0]["contact_id"], homer);
    assert_eq!(activities[0]["kind"], "note");

    // The text form shows the same record to a person.
    let text = k.ok(&["show", &lead.to_string()]);
    for needle in [
        "Globex",
        "Hank Scorpio",
        "Homer Simpson",
        "Asked about hammocks",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
}

#[test]
fn a_note_about_a_contact_of_another_parent_is_refused() {
    let k = Kith::new();
    k.add_lead("Globex", &[]);
    k.add_lead("Initech", &[]);
    let peter = k.add_contact("Initech", "Peter", &[]);
    let err = k.fails(&[
        "note",
        "Globex",
        "--contact",
        &peter.to_string(),
        "misfiled",
    ]);
    assert_eq!(
        one_line(&err),
        format!("kith: Peter (contact #{peter}) is at lead Initech, not at Globex")
    );
    assert!(k.show_json("Globex")["activities"]
        .as_array()
        .unwrap()
        .is_empty());
}

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

#[test]
fn an_ambiguous_name_is_refused_listing_every_candidate_and_ids_still_work() {
    let k = Kith::new();
    let first = k.add_customer("Acme", &["--industry", "Anvils"]);
    let second = k.add_customer("Acme", &["--industry", "Rockets"]);

    let err = k.fails(&["show", "Acme"]);
    let line = one_line(&err);
    let ids = numbers_in(line);
    assert!(ids.contains(&first) && ids.contains(&second), "{line}");
    assert!(line.contains("Acme"), "{line}");

    let doc = k.show_json(&second.to_string());
    assert_eq!(doc["id"], second);
    assert_eq!(doc["industry"], "Rockets");
    let doc = k.show_json(&first.to_string());
    assert_eq!(doc["industry"], "Anvils");

    // Adding a contact to an ambiguous name is refused too, and writes nothing.
    let err = k.fails(&["contact", "add", "--parent", "Acme", "--first", "Wile"]);
    assert_eq!(
        one_line(&err),
        format!("kith: \"Acme\" is ambiguous; it names #{first} Acme (Active), #{second} Acme (Active): use an id")
    );
    assert!(k.contacts_json().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------------------------

#[test]
fn an_invalid_email_is_refused_naming_the_field_and_nothing_is_written() {
    let k = Kith::new();
    k.add_lead("Initech", &[]);
    k.add_contact("Initech", "Peter", &[]);
    let before = k.contacts_json();

    let err = k.fails(&[
        "contact",
        "add",
        "--parent",
        "Initech",
        "--first",
        "Bill",
        "--email",
        "bill.lumbergh.example.com",
    ]);
    let line = one_line(&err);
    assert!(line.contains("email"), "{line}");
    assert_eq!(k.contacts_json(), before);
}

#[test]
fn an_invalid_lead_email_is_refused_and_no_lead_is_added() {
    let k = Kith::new();
    let err = k.fails(&["lead", "add", "--name", "Initech", "--email", "not at all"]);
    let line = one_line(&err);
    assert!(line.contains("email"), "{line}");
    assert_eq!(count_rows(&k, "SELECT count(*) FROM parents"), 0);
}

#[test]
fn a_title_with_an_escape_character_is_refused_naming_the_title() {
    let k = Kith::new();
    k.add_lead("Initech", &[]);
    let before = k.contacts_json();
    let err = k.fails(&[
        "contact",
        "add",
        "--parent",
        "Initech",
        "--first",
        "Bob",
        "--title",
        "CTO\x1b[31m",
    ]);
    assert!(
        !err.contains('\x1b'),
        "the escape must not reach the terminal: {err:?}"
    );
    let line = one_line(&err);
    assert!(line.contains("title"), "{line}");
    assert_eq!(k.contacts_json(), before);
}

#[test]
fn an_over_long_name_is_refused() {
    let k = Kith::new();
    let long = "x".repeat(201);
    let err = k.fails(&["lead", "add", "--name", &long]);
    let line = one_line(&err);
    assert!(line.contains("name"), "{line}");
    assert_eq!(count_rows(&k, "SELECT count(*) FROM parents"), 0);

    k.add_lead("Initech", &[]);
    let err = k.fails(&["contact", "add", "--parent", "Initech", "--first", &long]);
    let line = one_line(&err);
    assert!(line.contains("first_name"), "{line}");
    assert!(k.contacts_json().is_empty());

    // The longest allowed name is accepted.
    let ok = "y".repeat(200);
    k.add_lead(&ok, &[]);
    assert_eq!(k.show_json(&ok)["name"], ok.as_str());
}

#[test]
fn a_lead_with_name_website_and_email_is_information_filled_by_itself() {
    let k = Kith::new();
    let filled = k.add_lead(
        "Initech",
        &[
            "--website",
            "initech.example.com",
            "--email",
            "info@initech.example.com",
        ],
    );
    let partial = k.add_lead("Initrode", &["--email", "info@initrode.example.com"]);
    assert_eq!(
        k.show_json(&filled.to_string())["status"],
        "information_filled"
    );
    assert_eq!(k.show_json(&partial.to_string())["status"], "new");

    // Filling in the website later moves it on too.
    k.ok(&[
        "lead",
        "edit",
        "Initrode",
        "--website",
        "initrode.example.com",
    ]);
    assert_eq!(
        k.show_json(&partial.to_string())["status"],
        "information_filled"
    );
}

// ---------------------------------------------------------------------------------------------
// Lead status
// ---------------------------------------------------------------------------------------------

#[test]
fn a_lead_status_change_keeps_its_reason_in_the_history() {
    let k = Kith::new();
    let lead = k.add_lead("Initech", &[]);
    k.ok(&[
        "lead",
        "status",
        "Initech",
        "contacted",
        "--reason",
        "called the front desk",
    ]);

    assert_eq!(k.show_json("Initech")["status"], "contacted");
    let text = k.ok(&["show", "Initech", "--format", "text"]);
    assert!(text.contains("called the front desk"), "{text}");

    let column = |name: &str| {
        k.sql(
            &format!(
                "SELECT {name} FROM history
                  WHERE entity = 'parent' AND entity_id = ?1 AND reason IS NOT NULL
                  ORDER BY id DESC LIMIT 1"
            ),
            &[Arg::Int(lead)],
        )
        .filter(|v| !v.is_empty())
    };
    let (at, actor, action, changes, reason) = (
        column("at").expect("a history row with the reason"),
        column("actor").unwrap_or_default(),
        column("action").unwrap_or_default(),
        column("changes"),
        column("reason"),
    );
    assert!(!at.is_empty());
    assert_eq!(reason.as_deref(), Some("called the front desk"));
    assert_eq!(action, "status");
    assert!(!actor.is_empty());
    let changes = changes.expect("the change is recorded");
    assert!(
        changes.contains("new") && changes.contains("contacted"),
        "{changes}"
    );
}

#[test]
fn a_lead_status_change_without_a_reason_is_refused() {
    let k = Kith::new();
    k.add_lead("Initech", &[]);
    let out = k.run(&["lead", "status", "Initech", "contacted"]);
    assert_eq!(out.status.code(), Some(2), "a usage error");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--reason"), "{err}");
    assert_eq!(k.show_json("Initech")["status"], "new");

    // A blank reason is no reason either.
    let err = k.fails(&["lead", "status", "Initech", "contacted", "--reason", "   "]);
    let line = one_line(&err);
    assert!(line.contains("reason"), "{line}");
    assert_eq!(k.show_json("Initech")["status"], "new");
}

#[test]
fn an_unknown_lead_status_is_refused_listing_the_statuses() {
    let k = Kith::new();
    k.add_lead("Initech", &[]);
    let err = k.fails(&["lead", "status", "Initech", "won", "--reason", "signed"]);
    let line = one_line(&err);
    assert!(line.contains("qualified"), "{line}");
    assert_eq!(k.show_json("Initech")["status"], "new");
}

// ---------------------------------------------------------------------------------------------
// Conversion
// ---------------------------------------------------------------------------------------------

#[test]
fn convert_promotes_the_contact_name_and_moves_contacts_and_their_notes() {
    let k = Kith::new();
    let lead = k.add_lead(
        "Analytical Engines",
        &[
            "--contact-name",
            "Ada Lovelace",
            "--email",
            "ada@engines.example.com",
            "--phone",
            "+44 20 7946 0958",
            "--website",
            "engines.example.com",
            "--industry",
            "Computing",
        ],
    );
    let charles = k.add_contact(
        "Analytical Engines",
        "Charles",
        &[
            "--last",
            "Babbage",
            "--email",
            "charles@engines.example.com",
        ],
    );
    let mary = k.add_contact("Analytical Engines", "Mary", &["--last", "Somerville"]);
    k.ok(&[
        "note",
        "Analytical Engines",
        "--contact",
        &charles.to_string(),
        "Wants",
        "brass",
        "gears",
    ]);
    k.ok(&[
        "note",
        "Analytical Engines",
        "First",
        "meeting",
        "went",
        "well",
    ]);

    let out = k.ok(&["convert", "Analytical Engines"]);
    let customer = common::parse_id(&out, &["convert"]);
    assert_ne!(customer, lead);

    let doc = k.show_json(&customer.to_string());
    assert_eq!(doc["kind"], "customer");
    assert_eq!(doc["name"], "Analytical Engines");
    assert_eq!(doc["email"], "ada@engines.example.com");
    assert_eq!(doc["phone"], "+44 20 7946 0958");
    assert_eq!(doc["website"], "engines.example.com");
    assert_eq!(doc["industry"], "Computing");

    let contacts = doc["contacts"].as_array().unwrap();
    assert_eq!(contacts.len(), 3, "{doc:#}");
    let ada = by_name(contacts, "Ada Lovelace");
    assert_eq!(ada["first_name"], "Ada");
    assert_eq!(ada["last_name"], "Lovelace");
    assert_eq!(ada["email"], "ada@engines.example.com");
    assert_eq!(ada["phone"], "+44 20 7946 0958");
    assert_eq!(by_name(contacts, "Charles Babbage")["id"], charles);
    assert_eq!(by_name(contacts, "Mary Somerville")["id"], mary);
    for c in contacts {
        assert_eq!(c["parent"]["id"], customer);
        assert_eq!(c["parent"]["kind"], "customer");
    }

    let activities = doc["activities"].as_array().unwrap();
    let gears = activities
        .iter()
        .find(|a| a["body"] == "Wants brass gears")
        .unwrap_or_else(|| panic!("the note moved with its contact: {doc:#}"));
    assert_eq!(gears["contact_id"], charles);
    assert!(
        activities
            .iter()
            .any(|a| a["body"] == "First meeting went well"),
        "the lead's own note is not lost: {doc:#}"
    );

    let old = k.show_json(&lead.to_string());
    assert_eq!(old["kind"], "lead");
    assert_eq!(old["converted_to"], customer);
    assert!(old["contacts"].as_array().unwrap().is_empty(), "{old:#}");

    // The name now means the customer it became.
    assert_eq!(k.show_json("Analytical Engines")["id"], customer);
    // Every contact is counted once in the store.
    assert_eq!(k.contacts_json().len(), 3);
}

#[test]
fn converting_a_lead_twice_is_refused_clearly() {
    let k = Kith::new();
    let lead = k.add_lead("Initech", &["--contact-name", "Bill Lumbergh"]);
    let customer = common::parse_id(&k.ok(&["convert", "Initech"]), &["convert"]);

    let err = k.fails(&["convert", &lead.to_string()]);
    let line = one_line(&err);
    assert!(line.contains("already"), "{line}");
    assert!(
        numbers_in(line).contains(&customer),
        "names the customer: {line}"
    );

    // Nothing was added by the refused attempt.
    assert_eq!(k.contacts_json().len(), 1);
    assert_eq!(
        count_rows(&k, "SELECT count(*) FROM parents WHERE kind = 'customer'"),
        1
    );
}

#[test]
fn convert_does_not_duplicate_a_promoted_person_already_among_the_contacts() {
    let k = Kith::new();
    k.add_lead(
        "Hooli",
        &[
            "--contact-name",
            "Gavin Belson",
            "--email",
            "gavin@Hooli.example.com",
        ],
    );
    let gavin = k.add_contact(
        "Hooli",
        "Gavin",
        &[
            "--last",
            "Belson",
            "--email",
            "gavin@hooli.example.com",
            "--title",
            "CEO",
        ],
    );
    let customer = common::parse_id(&k.ok(&["convert", "Hooli"]), &["convert"]);

    let doc = k.show_json(&customer.to_string());
    let contacts = doc["contacts"].as_array().unwrap();
    assert_eq!(contacts.len(), 1, "{doc:#}");
    assert_eq!(contacts[0]["id"], gavin);
    assert_eq!(
        contacts[0]["title"], "CEO",
        "the existing contact is kept as it was"
    );
    assert_eq!(k.contacts_json().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Demo data
// ---------------------------------------------------------------------------------------------

#[test]
fn demo_fills_an_empty_store_with_varied_contacts() {
    let k = Kith::new();
    k.ok(&["demo"]);
    let list = k.contacts_json();
    assert_eq!(list.len(), 120);
    let titles: BTreeSet<&str> = list.iter().filter_map(|c| c["title"].as_str()).collect();
    assert!(titles.len() >= 5, "several distinct titles: {titles:?}");
    let kinds: BTreeSet<&str> = list
        .iter()
        .map(|c| c["parent"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["customer", "lead"].into_iter().collect(),
        "leads and customers"
    );
    assert!(
        count_rows(&k, "SELECT count(*) FROM activities") > 0,
        "the demo has notes"
    );
    let check = k.run(&["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn demo_is_deterministic() {
    let a = Kith::new();
    let b = Kith::new();
    a.ok(&["demo"]);
    b.ok(&["demo"]);
    assert_eq!(a.contacts_json(), b.contacts_json());
}

#[test]
fn demo_refuses_a_store_that_has_data_and_leaves_it_unchanged() {
    let k = Kith::new();
    k.add_lead("Initech", &[]);
    k.add_contact("Initech", "Peter", &[]);
    let before = k.contacts_json();

    let err = k.fails(&["demo"]);
    assert_eq!(
        one_line(&err),
        format!(
            "kith: {}: the store already has data; `kith demo` only fills an empty store (use --db with a new file)",
            k.db.display()
        )
    );
    assert_eq!(k.contacts_json(), before);
    assert_eq!(count_rows(&k, "SELECT count(*) FROM parents"), 1);
}

#[test]
fn demo_makes_as_many_contacts_as_asked() {
    let k = Kith::new();
    k.ok(&["demo", "--contacts", "500"]);
    assert_eq!(k.contacts_json().len(), 500);
}

// ---------------------------------------------------------------------------------------------
// Check and backup
// ---------------------------------------------------------------------------------------------

#[test]
fn check_passes_on_a_clean_store() {
    let k = Kith::new();
    k.add_lead("Initech", &["--contact-name", "Bill Lumbergh"]);
    let peter = k.add_contact("Initech", "Peter", &[]);
    k.ok(&[
        "note",
        "Initech",
        "--contact",
        &peter.to_string(),
        "TPS",
        "reports",
    ]);
    k.ok(&["convert", "Initech"]);
    let out = k.run(&["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn check_fails_on_a_contact_whose_parent_is_missing() {
    // Only an SQLite file can hold such a row: PostgreSQL enforces the key on every write.
    let k = Kith::sqlite();
    k.add_lead("Initech", &[]);
    {
        let conn = rusqlite::Connection::open(&k.db).unwrap();
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO contacts (parent_id, full_name, created_at, updated_at)
             VALUES (9999, 'Ghost', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');",
        )
        .unwrap();
    }
    let out = k.run(&["check"]);
    assert!(!out.status.success());
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.lines()
            .any(|l| l.to_lowercase().contains("foreign key")),
        "{text}"
    );
}

#[test]
fn backup_is_a_private_valid_store_with_the_same_contacts() {
    let k = Kith::new();
    k.add_lead("Initech", &["--contact-name", "Bill Lumbergh"]);
    k.add_contact("Initech", "Peter", &["--title", "Programmer"]);
    k.add_customer("Globex", &[]);
    k.add_contact("Globex", "Hank", &["--last", "Scorpio"]);
    let original = k.contacts_json();

    let copy = k.path("backup.db");
    k.ok(&["backup", copy.to_str().unwrap()]);
    assert!(copy.is_file());
    assert_eq!(mode(&copy), 0o600);
    assert_eq!(k.contacts_json_on(&copy), original);
    let check = k.cmd_on(&copy).arg("check").output().unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn backup_refuses_to_overwrite_an_existing_file() {
    let k = Kith::new();
    k.add_lead("Initech", &[]);
    let existing = k.path("precious.txt");
    std::fs::write(&existing, b"keep me").unwrap();
    let err = k.fails(&["backup", existing.to_str().unwrap()]);
    assert_eq!(
        one_line(&err),
        format!(
            "kith: {}: already exists; kith does not overwrite a backup",
            existing.display()
        )
    );
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");

    let copy = k.path("backup.db");
    k.ok(&["backup", copy.to_str().unwrap()]);
    let first = std::fs::read(&copy).unwrap();
    k.add_lead("Globex", &[]);
    k.fails(&["backup", copy.to_str().unwrap()]);
    assert_eq!(std::fs::read(&copy).unwrap(), first);
}

// ---------------------------------------------------------------------------------------------
// File permissions
// ---------------------------------------------------------------------------------------------

#[test]
fn a_store_in_a_new_nested_folder_is_private() {
    let k = Kith::new();
    let outer = k.path("team");
    let folder = outer.join("crm");
    let db = folder.join("kith.db");
    let out = k
        .cmd_on(&db)
        .args(["lead", "add", "--name", "Initech"])
        .output()
        .unwrap();
    common::assert_success(&out, &["lead", "add"]);
    assert_eq!(mode(&folder), 0o700, "the store's folder");
    assert_eq!(mode(&outer), 0o700, "every folder kith made");
    assert_eq!(mode(&db), 0o600, "the store");
}

#[test]
fn wal_and_shm_files_are_private_while_the_store_is_open() {
    let k = Kith::sqlite();
    k.add_lead("Initech", &[]);
    let conn = rusqlite::Connection::open(&k.db).unwrap();
    let journal: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal.to_lowercase(), "wal", "kith stores are in WAL mode");
    conn.execute("UPDATE parents SET industry = 'Software'", [])
        .unwrap();
    // kith writes while the other connection keeps the sidecars alive.
    k.add_contact("Initech", "Peter", &[]);

    let wal = sidecar(&k.db, "-wal");
    let shm = sidecar(&k.db, "-shm");
    assert!(
        wal.exists() && shm.exists(),
        "the sidecars exist while open"
    );
    assert_eq!(mode(&k.db), 0o600);
    assert_eq!(mode(&wal), 0o600, "-wal");
    assert_eq!(mode(&shm), 0o600, "-shm");
    drop(conn);
    assert_eq!(k.show_json("Initech")["industry"], "Software");
}

// ---------------------------------------------------------------------------------------------
// Config errors
// ---------------------------------------------------------------------------------------------

fn run_with_config(k: &Kith, text: &str) -> (String, std::path::PathBuf) {
    let config = k.path("config.toml");
    std::fs::write(&config, text).unwrap();
    let db = k.path("data").join("kith.db");
    let out = k
        .cmd_on(&db)
        .arg("--config")
        .arg(&config)
        .args(["lead", "add", "--name", "Initech"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "a bad config must stop kith");
    assert!(out.stdout.is_empty());
    assert!(
        !db.exists() && !db.parent().unwrap().exists(),
        "the config is read before the store is created"
    );
    (String::from_utf8(out.stderr).unwrap(), config)
}

#[test]
fn a_config_with_an_unknown_key_names_its_file_line_column_and_key() {
    let k = Kith::new();
    let text = "# my settings\n[store]\nbusy_timeout_ms = 100\n\n[phone]\n  colour = \"red\"\n";
    let (err, config) = run_with_config(&k, text);
    let line = one_line(&err);
    let place = format!("{}:6:3: ", config.display());
    assert!(line.contains(&place), "expected {place:?} in {line:?}");
    assert!(line.contains("colour"), "{line}");
}

#[test]
fn a_config_with_a_toml_syntax_error_names_its_file_line_and_column() {
    let k = Kith::new();
    let text = "[store]\nbusy_timeout_ms = 100\nbusy_timeout_ms 200\n";
    let (err, config) = run_with_config(&k, text);
    let line = one_line(&err);
    let place = format!("{}:3:", config.display());
    let at = line
        .find(&place)
        .unwrap_or_else(|| panic!("expected {place:?} in {line:?}"));
    let column: String = line[at + place.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let column: usize = column
        .parse()
        .unwrap_or_else(|_| panic!("a column in {line:?}"));
    // The error is after the key, where `=` is missing.
    assert_eq!(column, 17, "{line}");
}

#[test]
fn a_config_with_a_wrongly_typed_value_names_its_line() {
    let k = Kith::new();
    let text = "[store]\nbusy_timeout_ms = \"soon\"\n";
    let (err, config) = run_with_config(&k, text);
    let line = one_line(&err);
    let place = format!("{}:2:", config.display());
    assert!(line.contains(&place), "expected {place:?} in {line:?}");
}

// ---------------------------------------------------------------------------------------------
// Files that are not (this version's) kith stores
// ---------------------------------------------------------------------------------------------

/// Runs kith on `file`, asserts it is refused with a one-line message containing `why`, that the
/// file is byte for byte what it was, and that no journal files were left beside it.
fn assert_refused_untouched(k: &Kith, file: &Path, why: &str) {
    let before = std::fs::read(file).unwrap();
    for args in [&["contacts"][..], &["lead", "add", "--name", "Initech"][..]] {
        let out = k.cmd_on(file).args(args).output().unwrap();
        assert!(
            !out.status.success(),
            "kith {args:?} must refuse {}",
            file.display()
        );
        let err = String::from_utf8(out.stderr).unwrap();
        let line = one_line(&err);
        assert!(line.contains(why), "expected {why:?} in {line:?}");
        assert_eq!(std::fs::read(file).unwrap(), before, "the file was changed");
        for suffix in ["-wal", "-shm", "-journal"] {
            let extra = sidecar(file, suffix);
            assert!(!extra.exists(), "{} was left behind", extra.display());
        }
    }
}

#[test]
fn a_file_of_random_bytes_is_refused_and_left_unchanged() {
    let k = Kith::new();
    let file = k.path("random.bin");
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    std::fs::write(&file, &bytes).unwrap();
    assert_refused_untouched(&k, &file, "not a kith store");
}

#[test]
fn another_applications_sqlite_database_is_refused_and_left_unchanged() {
    let k = Kith::new();
    let file = k.path("other.db");
    {
        let conn = rusqlite::Connection::open(&file).unwrap();
        conn.execute_batch(
            "CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT);
             INSERT INTO recipes (name) VALUES ('bread');",
        )
        .unwrap();
        let app: i32 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .unwrap();
        assert_eq!(app, 0);
    }
    assert_refused_untouched(&k, &file, "not a kith store");
}

#[test]
fn another_applications_wal_mode_database_is_refused_and_left_unchanged() {
    let k = Kith::new();
    let file = k.path("other-wal.db");
    {
        let conn = rusqlite::Connection::open(&file).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        conn.execute_batch(
            "CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT);
             INSERT INTO recipes (name) VALUES ('bread');",
        )
        .unwrap();
    }
    assert!(!sidecar(&file, "-wal").exists(), "closed cleanly");
    assert_refused_untouched(&k, &file, "not a kith store");
}

#[test]
fn a_sqlite_file_marked_by_another_application_is_refused_and_left_unchanged() {
    let k = Kith::new();
    let file = k.path("marked.db");
    {
        let conn = rusqlite::Connection::open(&file).unwrap();
        conn.execute_batch("PRAGMA application_id = 12345;")
            .unwrap();
    }
    assert_refused_untouched(&k, &file, "not a kith store");
}

#[test]
fn a_store_from_a_newer_kith_is_refused_and_left_unchanged() {
    let k = Kith::new();
    k.add_lead("Initech", &[]);
    if backend() == Backend::Postgres {
        k.sql(
            "UPDATE kith_meta SET value = '99' WHERE key = 'schema_version'",
            &[],
        );
        let err = k.fails(&["contacts"]);
        assert!(err.contains("newer kith") && err.contains("99"), "{err}");
        assert_eq!(
            k.sql(
                "SELECT value FROM kith_meta WHERE key = 'schema_version'",
                &[]
            )
            .as_deref(),
            Some("99"),
            "left unchanged"
        );
        return;
    }
    k.sql("PRAGMA user_version = 99", &[]);
    assert_refused_untouched(&k, &k.db, "newer");
}

// ---------------------------------------------------------------------------------------------
// Control characters in stored data
// ---------------------------------------------------------------------------------------------

const EVIL_NAME: &str = "Eve\x1b[2J Mallory";
const EVIL_TITLE: &str = "CTO\u{202E}lanigiro";
const EVIL_NOTES: &str = "line one\x1b]0;pwned\x07\nline two";

/// A store holding a contact written by something other than kith, with a screen-clearing escape
/// in its name, a bidi override in its title and an OSC sequence in its notes.
fn store_with_evil_contact() -> Kith {
    let k = Kith::new();
    k.add_lead("Evil Corp", &[]);
    k.sql(
        "INSERT INTO contacts (id, parent_id, first_name, full_name, title, notes, created_at, updated_at)
         SELECT (SELECT coalesce(max(id), 0) + 1 FROM contacts), id, ?1, ?1, ?2, ?3,
                '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'
         FROM parents WHERE name = 'Evil Corp'",
        &[Arg::Text(EVIL_NAME), Arg::Text(EVIL_TITLE), Arg::Text(EVIL_NOTES)],
    );
    k
}

const EVIL_PARENT: &str = "Evil\x1b[31m Corp\u{202E}";

/// Like [`store_with_evil_contact`], and the parent's name, notes and a note on it were also
/// written by something other than kith, with escapes in them. Returns the parent's id.
fn store_with_evil_parent() -> (Kith, i64) {
    let k = store_with_evil_contact();
    let id = k.show_json("Evil Corp")["id"].as_i64().unwrap();
    k.sql(
        "UPDATE parents SET name = ?1, notes = ?2, industry = ?3 WHERE id = ?4",
        &[
            Arg::Text(EVIL_PARENT),
            Arg::Text(EVIL_NOTES),
            Arg::Text("Arms\u{202E}"),
            Arg::Int(id),
        ],
    );
    k.sql(
        "INSERT INTO activities (parent_id, contact_id, kind, subject, body, author, created_at)
         VALUES (?1, NULL, 'note', ?2, ?3, ?4, '2024-01-02T00:00:00Z')",
        &[
            Arg::Int(id),
            Arg::Text("Re: \x1b[5mhi"),
            Arg::Text(EVIL_NOTES),
            Arg::Text("mallory\x1b[8m"),
        ],
    );
    (k, id)
}

fn assert_terminal_safe(args: &[&str], out: &str) {
    assert!(
        !out.contains('\x1b'),
        "kith {args:?} printed an ESC: {out:?}"
    );
    assert!(
        !out.contains('\u{202E}'),
        "kith {args:?} printed U+202E: {out:?}"
    );
    assert!(
        !out.chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')),
        "kith {args:?} printed a control character: {out:?}"
    );
}

#[test]
fn control_characters_in_stored_contacts_never_reach_the_terminal_in_lists() {
    let k = store_with_evil_contact();
    for args in [
        &["contacts"][..],
        &["contacts", "--format", "json"],
        &["contacts", "--format", "csv"],
        &["contacts", "--title", "cto"],
        &["contacts", "--parent", "Evil Corp"],
    ] {
        let out = k.ok(args);
        assert_terminal_safe(args, &out);
        assert!(
            out.contains("Mallory"),
            "kith {args:?} lists the contact: {out}"
        );
    }
}

#[test]
fn control_characters_in_stored_contacts_never_reach_the_terminal_in_show() {
    let k = store_with_evil_contact();
    for args in [
        &["show", "Evil Corp"][..],
        &["show", "Evil Corp", "--format", "json"],
    ] {
        let out = k.ok(args);
        assert_terminal_safe(args, &out);
        assert!(
            out.contains("Mallory"),
            "kith {args:?} shows the contact: {out}"
        );
    }
}

#[test]
fn json_escapes_control_characters_but_decodes_to_the_stored_text() {
    let k = store_with_evil_contact();
    let out = k.ok(&["contacts", "--format", "json"]);
    assert!(out.contains("\\u001b"), "{out}");
    assert!(out.to_lowercase().contains("\\u202e"), "{out}");
    let list: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(list[0]["full_name"], EVIL_NAME);
    assert_eq!(list[0]["title"], EVIL_TITLE);
    assert_eq!(list[0]["notes"], EVIL_NOTES);
}

#[test]
fn control_characters_in_stored_parents_and_notes_never_reach_the_terminal() {
    let (k, id) = store_with_evil_parent();
    let id = id.to_string();
    for args in [
        &["show", id.as_str()][..],
        &["show", id.as_str(), "--format", "json"],
        &["contacts"],
        &["contacts", "--format", "json"],
        &["contacts", "--format", "csv"],
        &["titles"],
        &["titles", "--format", "json"],
    ] {
        let out = k.ok(args);
        assert_terminal_safe(args, &out);
    }
    let doc = k.show_json(&id);
    assert_eq!(doc["name"], EVIL_PARENT, "JSON decodes to the stored text");
    assert_eq!(doc["activities"][0]["body"], EVIL_NOTES);
}

#[test]
fn control_characters_in_stored_names_never_reach_the_terminal_in_errors() {
    let (k, _) = store_with_evil_parent();
    {
        // A second parent with the same name makes the name ambiguous: the error lists both.
        k.sql(
            "INSERT INTO parents (id, kind, name, status, created_at, updated_at)
             VALUES ((SELECT max(id) + 1 FROM parents), 'customer', ?1, 'active',
                     '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
            &[Arg::Text(EVIL_PARENT)],
        );
    }
    let out = k.run(&["show", EVIL_PARENT]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_terminal_safe(&["show", "<evil name>"], &err);
    let line = one_line(&err);
    assert!(line.contains("Corp"), "{line}");
}

// ---------------------------------------------------------------------------------------------
// More of the command line: flags, edits, deletes, customers
// ---------------------------------------------------------------------------------------------

#[test]
fn the_db_flag_wins_over_kith_db() {
    let k = Kith::new();
    let elsewhere = k.path("elsewhere.db");
    let out = k
        .cmd()
        .env("KITH_DB", &elsewhere)
        .args(["lead", "add", "--name", "Initech"])
        .output()
        .unwrap();
    common::assert_success(&out, &["lead", "add"]);
    assert_eq!(
        k.sql_count("SELECT count(*) FROM parents"),
        1,
        "--db holds the lead"
    );
    assert!(!elsewhere.exists(), "KITH_DB was used despite --db");
}

#[test]
fn deleting_a_contact_keeps_its_notes_on_the_parent() {
    let k = Kith::new();
    k.add_lead("Initech", &[]);
    let peter = k.add_contact("Initech", "Peter", &["--last", "Gibbons"]);
    k.ok(&[
        "note",
        "Initech",
        "--contact",
        &peter.to_string(),
        "Moved",
        "his",
        "desk",
    ]);
    k.ok(&["contact", "delete", &peter.to_string()]);

    assert!(k.contacts_json().is_empty());
    let doc = k.show_json("Initech");
    let notes = doc["activities"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "{doc:#}");
    assert_eq!(notes[0]["body"], "Moved his desk");
    assert!(notes[0]["contact_id"].is_null(), "{doc:#}");
    let check = k.run(&["check"]);
    assert!(check.status.success());
}

#[test]
fn editing_a_contact_changes_only_the_flags_given() {
    let k = Kith::new();
    k.add_lead("Initech", &[]);
    let id = k.add_contact(
        "Initech",
        "Peter",
        &[
            "--last",
            "Gibbons",
            "--email",
            "peter@initech.example.com",
            "--title",
            "Programmer",
        ],
    );
    let id_ref = id.to_string();
    k.ok(&[
        "contact",
        "edit",
        &id_ref,
        "--title",
        "Consultant",
        "--email",
        "",
    ]);
    let list = k.contacts_json();
    let c = by_name(&list, "Peter Gibbons");
    assert_eq!(c["title"], "Consultant");
    assert!(c["email"].is_null(), "an empty value clears: {c:#}");
    assert_eq!(c["last_name"], "Gibbons");

    // A full name that was only first + last follows them.
    k.ok(&["contact", "edit", &id_ref, "--last", "Gibbons-Smith"]);
    let list = k.contacts_json();
    assert_eq!(list[0]["full_name"], "Peter Gibbons-Smith");
}

#[test]
fn convert_without_an_email_does_not_duplicate_a_contact_of_the_same_name() {
    let k = Kith::new();
    k.add_lead("Solo", &["--contact-name", "Ada Lovelace"]);
    let ada = k.add_contact("Solo", "Ada", &["--last", "Lovelace", "--title", "CTO"]);
    let customer = common::parse_id(&k.ok(&["convert", "Solo"]), &["convert"]);
    let doc = k.show_json(&customer.to_string());
    let contacts = doc["contacts"].as_array().unwrap();
    assert_eq!(contacts.len(), 1, "{doc:#}");
    assert_eq!(contacts[0]["id"], ada);
}

#[test]
fn customers_are_archived_not_given_lead_statuses() {
    let k = Kith::new();
    let id = k.add_customer("Globex", &[]);
    let err = k.fails(&[
        "lead",
        "status",
        "Globex",
        "contacted",
        "--reason",
        "called",
    ]);
    assert_eq!(
        one_line(&err),
        "kith: Contacted is not a status of a customer; a customer is Active, Archived"
    );
    assert_eq!(k.show_json("Globex")["status"], "active");

    k.ok(&["customer", "archive", "Globex", "--reason", "dormant"]);
    assert_eq!(k.show_json(&id.to_string())["status"], "archived");
    k.ok(&["customer", "unarchive", "Globex"]);
    assert_eq!(k.show_json(&id.to_string())["status"], "active");
}

#[test]
fn lead_edit_on_a_customer_is_refused() {
    let k = Kith::new();
    k.add_customer("Globex", &[]);
    let err = k.fails(&["lead", "edit", "Globex", "--source", "fair"]);
    assert_eq!(
        one_line(&err),
        "kith: #1 Globex is a customer; use `kith customer edit`"
    );
    assert!(k.show_json("Globex")["source"].is_null());
}

#[test]
fn a_customer_takes_no_lead_only_flags() {
    let k = Kith::new();
    for flag in ["--source", "--contact-name"] {
        let err = k.fails(&["customer", "add", "--name", "Globex", flag, "Y"]);
        assert!(err.contains(flag), "{err}");
    }
    k.fails(&["show", "Globex"]);

    k.add_customer("Globex", &[]);
    let err = k.fails(&["customer", "edit", "Globex", "--source", "fair"]);
    assert!(err.contains("--source"), "{err}");
    assert!(k.show_json("Globex")["source"].is_null());
}

#[test]
fn lead_edit_keeps_what_is_left_out_and_clears_what_is_given_empty() {
    let k = Kith::new();
    k.add_lead(
        "Initech",
        &[
            "--email",
            "info@initech.example.com",
            "--source",
            "Trade fair",
        ],
    );
    k.ok(&[
        "lead",
        "edit",
        "Initech",
        "--email",
        "",
        "--industry",
        "Software",
    ]);
    let doc = k.show_json("Initech");
    assert!(doc["email"].is_null(), "an empty value clears: {doc:#}");
    assert_eq!(doc["source"], "Trade fair");
    assert_eq!(doc["industry"], "Software");

    let err = k.fails(&["customer", "edit", "Initech", "--email", "a@b.example"]);
    assert!(
        one_line(&err).contains("is a lead; use `kith lead edit`"),
        "{err}"
    );
}

/// A kith SQLite file with a lead, a person and a note, then `sql` run on it behind kith's back:
/// a store someone crafted and sent, for `kith import-store`.
fn crafted_store(k: &Kith, name: &str, sql: &str) -> std::path::PathBuf {
    let path = k.path(name);
    k.ok_on(&path, &["lead", "add", "--name", "Initech"]);
    k.ok_on(
        &path,
        &["contact", "add", "--parent", "Initech", "--first", "Peter"],
    );
    k.ok_on(&path, &["note", "Initech", "a note"]);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(sql)
        .unwrap();
    path
}

#[test]
fn import_store_refuses_a_file_whose_table_or_column_names_are_not_kiths() {
    let k = Kith::new();
    // The tables of an untouched store of this backend: what the target must still be.
    let pristine = Kith::new();
    pristine.ok(&["contacts"]);
    let kith_tables = common::tables_on(&pristine.db);
    // Names that would run SQL of their own if a statement were built from them.
    let column = "at) SELECT id, at FROM history WHERE false; CREATE TABLE pwned (x int); --";
    let table = "x (id INTEGER); CREATE TABLE pwned (x int); --";
    let rename = format!("ALTER TABLE history RENAME COLUMN at TO \"{column}\"");
    let by_column = crafted_store(&k, "column.db", &rename);
    let extra = format!("CREATE TABLE \"{table}\" (id INTEGER)");
    let by_table = crafted_store(&k, "table.db", &extra);
    for (source, name) in [(&by_column, column), (&by_table, table)] {
        let err = k.fails(&["import-store", &source.to_string_lossy()]);
        let line = one_line(&err);
        assert!(line.contains(&format!("{name:?}")), "{err}");
        assert!(line.contains("nothing was imported"), "{err}");
        assert_eq!(common::tables_on(&k.db), kith_tables, "no table was made");
        for t in ["parents", "contacts", "activities", "history"] {
            assert_eq!(k.sql_count(&format!("SELECT count(*) FROM {t}")), 0, "{t}");
        }
    }
    // The same store with kith's names moves over whole.
    let fine = crafted_store(&k, "fine.db", "");
    k.ok(&["import-store", &fine.to_string_lossy()]);
    assert_eq!(k.sql_count("SELECT count(*) FROM activities"), 1);
}

#[test]
fn where_takes_percent_underscore_and_backslash_as_written() {
    let k = Kith::new();
    for (company, person, email) in [
        ("Acme", "Ann", "ann@acme.example"),
        ("100% Organic", "Bea", "bea%news@organic.example"),
        ("Snake_Case Ltd", "Cal", "cal_c@snake.example"),
        ("Back\\Slash", "Dan", "dan@back.example"),
    ] {
        k.add_customer(company, &[]);
        k.add_contact(company, person, &["--email", email]);
    }
    let found = |q: &str| -> Vec<String> {
        let mut names: Vec<String> = serde_json::from_str::<Vec<Value>>(
            &k.ok(&["contacts", "--where", q, "--format", "json"]),
        )
        .unwrap()
        .iter()
        .map(|c| c["first_name"].as_str().unwrap().to_string())
        .collect();
        names.sort();
        names
    };
    assert_eq!(found("org:%"), ["Bea"]);
    assert_eq!(found("org:_"), ["Cal"]);
    assert_eq!(found("org:\\"), ["Dan"]);
    assert_eq!(found("email:%"), ["Bea"]);
    assert_eq!(found("email:_"), ["Cal"]);
    assert_eq!(found("email:\\"), Vec::<String>::new());
    // Punctuation beside letters is set aside as before: a company is found by its words.
    assert_eq!(found("org:snake-case"), ["Cal"]);
    assert_eq!(found("email:@acme"), ["Ann"]);
}

/// A person who moves on is reached at the new job first: the email and phone given with
/// `contact move` lead `query`, their old job's addresses follow, marked as the old job's, and
/// the lead that named them as its person names the next of its people.
#[test]
fn moving_a_person_puts_their_new_address_first_and_the_old_jobs_after() {
    let k = Kith::new();
    k.add_lead("Acme Robotics", &["--contact-name", "Sam Patel"]);
    k.add_customer("Quantum Widgets", &[]);
    let sam = k.add_contact(
        "Acme Robotics",
        "Sam",
        &[
            "--last",
            "Patel",
            "--email",
            "sam@acme.example",
            "--phone",
            "+1 415 555 0100",
        ],
    );
    k.add_contact("Acme Robotics", "Ann", &["--last", "Lee"]);
    let new = k.id(&[
        "contact",
        "move",
        &sam.to_string(),
        "--to",
        "Quantum Widgets",
        "--email",
        "sam@quantum.example",
        "--phone",
        "+1 415 555 0199",
    ]);
    let out = k.ok(&["query", "sam"]);
    let lines: Vec<&str> = out.lines().filter(|l| l.contains('@')).collect();
    assert!(lines[0].starts_with("sam@quantum.example\t"), "{out}");
    assert!(
        lines[1].starts_with("sam@acme.example\t") && lines[1].contains("old: Acme Robotics"),
        "{out}"
    );
    let people = k.contacts_json();
    let moved = people
        .iter()
        .find(|c| c["id"] == new)
        .expect("the new contact");
    assert_eq!(moved["email"], "sam@quantum.example");
    assert_eq!(moved["emails"][1]["label"], "old: Acme Robotics");
    assert_eq!(moved["emails"][1]["preferred"], false);
    assert_eq!(moved["phones"][0]["number"], "+1 415 555 0199");
    assert_eq!(moved["phones"][1]["label"], "old: Acme Robotics");
    let acme = k.show_json("Acme Robotics");
    assert_eq!(acme["contact_name"], "Ann Lee", "the lead's person follows");
}
