//! The trigram index `kith query` reads: the same people in the same order as a scan of every
//! contact, and in step with every kind of write, another process's included.

use kith::domain::{ContactFields, Labeled, ParentFields, ParentKind};
use kith::ops::lookup::{lookup, lookup_by_scan};
use kith::store::{MoveTo, Reach, Store, StoreOptions};

fn open(path: &std::path::Path) -> Store {
    Store::open(path, &StoreOptions::default()).expect("the store opens")
}

fn names(list: &[kith::store::Addressee]) -> Vec<(i64, String)> {
    list.iter().map(|a| (a.id, a.full_name.clone())).collect()
}

#[test]
fn the_index_answers_as_a_scan_does_on_the_demo_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("kith.db"));
    kith::demo::fill(&mut store, 3000).expect("demo data");
    // Queries with strong matches (whole words, or words too short for trigrams): the index
    // must give exactly the scan's people in the scan's order.
    let queries = [
        "cto",
        "northwind",
        "engineer",
        "vp eng",
        "smith",
        "müller",
        "o'brien",
        "li",
        "lovelace ada",
        "sales director",
        "example.com",
    ];
    for q in queries {
        let indexed = lookup(&store, q).unwrap();
        let scanned = lookup_by_scan(&store, q).unwrap();
        if ["cto", "northwind", "engineer"].contains(&q) {
            assert!(!scanned.is_empty(), "query {q:?} finds someone");
        }
        assert_eq!(names(&indexed), names(&scanned), "query {q:?}");
    }

    // Queries with no strong match: the index offers the people sharing half the query's
    // trigrams, a part of what the scan's scattered matches give, in the same order.
    for q in ["hopper", "ada", "gmail", "zzqq", "nortwhind", "enginere"] {
        let indexed = names(&lookup(&store, q).unwrap());
        let scanned = names(&lookup_by_scan(&store, q).unwrap());
        let in_scan: Vec<_> = scanned.iter().filter(|p| indexed.contains(p)).collect();
        assert_eq!(indexed.iter().collect::<Vec<_>>(), in_scan, "query {q:?}");
    }
    assert!(lookup(&store, "zzqq").unwrap().is_empty());

    // A letter missed in a person's last name still finds them among the first.
    let person = store.contact(1).unwrap();
    let last = person
        .fields
        .last_name
        .clone()
        .expect("demo people have last names");
    let mut typo: Vec<char> = last.chars().collect();
    typo.remove(2);
    let typo: String = typo.into_iter().collect();
    let first = person.fields.first_name.clone().unwrap_or_default();
    let found = lookup(&store, &format!("{first} {typo}")).unwrap();
    assert!(
        found.iter().take(5).any(|a| a.id == person.id),
        "{first} {typo} finds {} among the first: {:?}",
        person.full_name(),
        names(&found).into_iter().take(5).collect::<Vec<_>>()
    );
}

fn found(store: &Store, words: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = store
        .addressees_with_words(words)
        .unwrap()
        .iter()
        .map(|a| a.full_name.clone())
        .collect();
    v.sort();
    v
}

#[test]
fn the_index_follows_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.db");
    let mut store = open(&path);
    let lead = store
        .add_parent(
            ParentKind::Lead,
            &ParentFields {
                name: "Quokka Labs".into(),
                contact_name: Some("Zed Quill".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let other = store
        .add_parent(
            ParentKind::Customer,
            &ParentFields {
                name: "Wombat Works".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let ada = ContactFields {
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        emails: vec![Labeled::new("countess@engines.example", None, true)],
        ..Default::default()
    };
    // Add.
    let id = store.add_contact(lead, &ada).unwrap();
    assert_eq!(found(&store, &["lovelace"]), ["Ada Lovelace"]);
    assert_eq!(found(&store, &["countess"]), ["Ada Lovelace"], "by email");
    assert_eq!(found(&store, &["quokka"]), ["Ada Lovelace"], "by company");
    // Edit: a new name and a second address.
    let mut c = store.contact(id).unwrap();
    c.fields.full_name = Some("Augusta King".into());
    c.fields
        .emails
        .push(Labeled::new("augusta@home.example", Some("home"), false));
    store.update_contact(id, c.version, &c.fields).unwrap();
    assert!(found(&store, &["lovelace"]).is_empty());
    assert_eq!(found(&store, &["augusta", "king"]), ["Augusta King"]);
    assert_eq!(found(&store, &["home.example"]), ["Augusta King"]);
    // The company renamed.
    let p = store.parent(lead).unwrap();
    let mut pf = p.fields.clone();
    pf.name = "Numbat Labs".into();
    store.update_parent(lead, p.version, &pf).unwrap();
    assert!(found(&store, &["quokka"]).is_empty());
    assert_eq!(found(&store, &["numbat"]), ["Augusta King"]);
    // Conversion promotes the lead's contact and moves the people along.
    let done = store.convert_lead(lead, None).unwrap();
    assert_eq!(found(&store, &["quill"]), ["Zed Quill"]);
    let moved_id = store.addressees_with_words(&["augusta"]).unwrap()[0].id;
    assert_eq!(store.contact(moved_id).unwrap().parent_id, done.customer_id);
    // Move on to another company: both records are found, each with its company.
    let v = store.contact(moved_id).unwrap().version;
    store
        .move_contact(moved_id, v, &MoveTo::Parent(other), &Reach::default())
        .unwrap();
    assert_eq!(found(&store, &["augusta", "wombat"]), ["Augusta King"]);
    // A write by another process.
    let mut second = open(&path);
    second
        .add_contact(
            other,
            &ContactFields {
                full_name: Some("Grace Hopper".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(found(&store, &["hopper"]), ["Grace Hopper"]);
    // An import.
    let rows = vec![Ok(kith::ops::import::ImportRow {
        line: 1,
        parent: Some("Wombat Works".into()),
        parent_kind: None,
        fields: ContactFields {
            full_name: Some("Katherine Johnson".into()),
            ..Default::default()
        },
        warnings: Vec::new(),
    })];
    let mut report = kith::ops::import::ImportReport::default();
    kith::ops::import::import(
        &mut store,
        rows,
        kith::ops::import::ImportOptions {
            default_kind: ParentKind::Lead,
            all_or_nothing: false,
            update: false,
        },
        &mut report,
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(found(&store, &["katherine"]), ["Katherine Johnson"]);
    // Delete.
    let k = store
        .contact(store.addressees_with_words(&["katherine"]).unwrap()[0].id)
        .unwrap();
    store.delete_contact(k.id, k.version).unwrap();
    assert!(found(&store, &["katherine"]).is_empty());
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
}

#[test]
fn check_finds_an_index_entry_out_of_step() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.db");
    let mut store = open(&path);
    kith::demo::fill(&mut store, 50).expect("demo data");
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute("DELETE FROM contact_search WHERE rowid = 3", [])
        .unwrap();
    raw.execute("UPDATE contact_search SET card = '[]' WHERE rowid = 5", [])
        .unwrap();
    let problems: Vec<String> = store
        .check()
        .unwrap()
        .into_iter()
        .filter(|p| p.contains("search index"))
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].contains("contact #3: the search index"),
        "{problems:?}"
    );
    assert!(problems[1].contains("contact #5"), "{problems:?}");
}
