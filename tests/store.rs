//! The store's library API on a real SQLite file: migrations, the one-parent rule, optimistic
//! concurrency between two open stores, status rules, and a property-based round trip.

use kith::domain::{ContactFields, Labeled, ParentFields, ParentKind, Status};
use kith::store::{schema, Store, StoreError, StoreOptions};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};
use std::cell::RefCell;
use std::path::{Path, PathBuf};

#[path = "common/backend.rs"]
mod backend;
#[path = "common/pg.rs"]
mod pg;

use backend::{try_sql_on, Arg, Backend};

/// A new store of this test binary's backend (see `common/backend.rs`), in a folder of its own.
fn new_store() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = backend::new_store(backend::backend(), dir.path());
    (dir, path)
}

fn options() -> StoreOptions {
    StoreOptions {
        actor: Some("tester".into()),
        ..StoreOptions::default()
    }
}

fn open(path: &Path) -> Store {
    Store::open(path, &options()).expect("the store opens")
}

fn pragma_i64(path: &Path, name: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
        .unwrap()
}

fn lead(name: &str) -> ParentFields {
    ParentFields {
        name: name.into(),
        ..ParentFields::default()
    }
}

fn person(first: &str, last: &str) -> ContactFields {
    ContactFields {
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        ..ContactFields::default()
    }
}

/// A store with one lead and one contact on it; returns (dir, path, lead id, contact id).
fn store_with_contact() -> (tempfile::TempDir, std::path::PathBuf, i64, i64) {
    let (dir, path) = new_store();
    let mut s = open(&path);
    let parent = s.add_parent(ParentKind::Lead, &lead("Initech")).unwrap();
    let contact = s.add_contact(parent, &person("Peter", "Gibbons")).unwrap();
    (dir, path, parent, contact)
}

// ---------------------------------------------------------------------------------------------
// Migrations and the schema
// ---------------------------------------------------------------------------------------------

#[test]
fn a_new_store_is_at_the_latest_schema_and_marked_as_kith() {
    let (_dir, path) = new_store();
    drop(open(&path));
    let version = |path: &Path| match backend::backend() {
        Backend::Sqlite => pragma_i64(path, "user_version"),
        Backend::Postgres => backend::sql_on(
            path,
            "SELECT value FROM kith_meta WHERE key = 'schema_version'",
            &[],
        )
        .and_then(|v| v.parse().ok())
        .expect("a schema version"),
    };
    let marked = |path: &Path| match backend::backend() {
        Backend::Sqlite => pragma_i64(path, "application_id") == i64::from(schema::APPLICATION_ID),
        Backend::Postgres => true,
    };
    assert_eq!(version(&path), schema::latest());
    assert!(marked(&path));
    assert!(schema::latest() >= 1);

    // Reopening changes neither, and keeps the data.
    let mut s = open(&path);
    let id = s.add_parent(ParentKind::Customer, &lead("Globex")).unwrap();
    drop(s);
    let s = open(&path);
    assert_eq!(s.parent(id).unwrap().fields.name, "Globex");
    drop(s);
    assert_eq!(version(&path), schema::latest());
    assert!(marked(&path));
}

#[test]
fn the_schema_enforces_exactly_one_parent_even_through_raw_sql() {
    let (_dir, path, parent, _) = store_with_contact();
    let insert = |parent_id: Option<i64>| {
        let sql = format!(
            "INSERT INTO contacts (id, parent_id, full_name, created_at, updated_at)
             VALUES ((SELECT max(id) + 1 FROM contacts), {}, 'Raw',
                     '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
            parent_id.map_or("NULL".to_string(), |p| p.to_string())
        );
        try_sql_on(&path, &sql, &[])
    };
    assert!(insert(None).is_err(), "a contact without a parent");
    assert!(
        insert(Some(parent + 1000)).is_err(),
        "a contact with a missing parent"
    );
    // The same row with a real parent is fine: the failures above were the parent rule.
    insert(Some(parent)).expect("a contact with its parent");
    let n = backend::sql_on(&path, "SELECT count(*) FROM contacts", &[]);
    assert_eq!(n.as_deref(), Some("2"));

    // A parent with contacts cannot be deleted from under them.
    assert!(try_sql_on(
        &path,
        "DELETE FROM parents WHERE id = ?1",
        &[Arg::Int(parent)]
    )
    .is_err());
}

#[test]
fn the_store_refuses_files_that_are_not_kith_stores() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "just some text, long enough to not be an empty file\n".repeat(4),
    )
    .unwrap();
    let before = std::fs::read(&text).unwrap();
    assert!(matches!(
        Store::open(&text, &options()),
        Err(StoreError::Foreign { .. })
    ));
    assert_eq!(std::fs::read(&text).unwrap(), before);

    let newer = dir.path().join("newer.db");
    drop(open(&newer));
    {
        let conn = rusqlite::Connection::open(&newer).unwrap();
        conn.pragma_update(None, "user_version", schema::latest() + 1)
            .unwrap();
    }
    match Store::open(&newer, &options()) {
        Err(StoreError::Newer {
            found, supported, ..
        }) => {
            assert_eq!(found, schema::latest() + 1);
            assert_eq!(supported, schema::latest());
        }
        Err(e) => panic!("expected Newer, got {e}"),
        Ok(_) => panic!("expected Newer, the store opened"),
    }
}

// ---------------------------------------------------------------------------------------------
// Optimistic concurrency
// ---------------------------------------------------------------------------------------------

#[test]
fn a_stale_contact_update_is_a_conflict_and_the_first_change_stays() {
    let (_dir, path, _, id) = store_with_contact();
    let mut a = open(&path);
    let mut b = open(&path);
    let seen_by_a = a.contact(id).unwrap();
    let seen_by_b = b.contact(id).unwrap();
    assert_eq!(seen_by_a.version, 1);
    assert_eq!(seen_by_b.version, 1);

    let mut fa = seen_by_a.fields.clone();
    fa.title = Some("Programmer".into());
    assert_eq!(a.update_contact(id, seen_by_a.version, &fa).unwrap(), 2);

    let mut fb = seen_by_b.fields.clone();
    fb.title = Some("Manager".into());
    match b.update_contact(id, seen_by_b.version, &fb) {
        Err(StoreError::Conflict {
            id: cid,
            expected,
            current,
            ..
        }) => {
            assert_eq!((cid, expected, current), (id, 1, 2));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }

    let now = b.contact(id).unwrap();
    assert_eq!(now.fields.title.as_deref(), Some("Programmer"));
    assert_eq!(now.version, 2);

    // Reloading and applying again works.
    assert_eq!(b.update_contact(id, now.version, &fb).unwrap(), 3);
    assert_eq!(
        a.contact(id).unwrap().fields.title.as_deref(),
        Some("Manager")
    );
}

#[test]
fn a_stale_parent_update_is_a_conflict_and_the_first_change_stays() {
    let (_dir, path, parent, _) = store_with_contact();
    let mut a = open(&path);
    let mut b = open(&path);
    let seen_by_a = a.parent(parent).unwrap();
    let seen_by_b = b.parent(parent).unwrap();
    assert_eq!(seen_by_a.version, seen_by_b.version);
    let v = seen_by_a.version;

    let mut fa = seen_by_a.fields.clone();
    fa.industry = Some("Software".into());
    assert_eq!(a.update_parent(parent, v, &fa).unwrap(), v + 1);

    let mut fb = seen_by_b.fields.clone();
    fb.industry = Some("Printers".into());
    let err = b.update_parent(parent, v, &fb).unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert_eq!(
        b.parent(parent).unwrap().fields.industry.as_deref(),
        Some("Software")
    );

    // A status change from a stale read is a conflict too.
    let err = b
        .set_status(parent, v, Status::Contacted, Some("called"))
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert_eq!(b.parent(parent).unwrap().status, Status::New);
}

#[test]
fn deleting_with_a_stale_version_is_a_conflict_and_updating_a_deleted_contact_is_gone() {
    let (_dir, path, _, id) = store_with_contact();
    let mut a = open(&path);
    let mut b = open(&path);
    let old = b.contact(id).unwrap();

    let mut f = old.fields.clone();
    f.email = Some("peter@initech.example.com".into());
    let v2 = a.update_contact(id, old.version, &f).unwrap();

    let err = b.delete_contact(id, old.version).unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert_eq!(
        a.contact(id).unwrap().fields.email.as_deref(),
        Some("peter@initech.example.com"),
        "the contact is still there"
    );

    a.delete_contact(id, v2).unwrap();
    let err = b.update_contact(id, v2, &f).unwrap_err();
    assert!(matches!(err, StoreError::Gone { .. }), "{err:?}");
    let err = b.delete_contact(id, v2).unwrap_err();
    assert!(matches!(err, StoreError::Gone { .. }), "{err:?}");
    assert!(b.contact(id).is_err());
}

// ---------------------------------------------------------------------------------------------
// Status rules
// ---------------------------------------------------------------------------------------------

#[test]
fn a_lead_status_change_needs_a_reason() {
    let (_dir, path) = new_store();
    let mut s = open(&path);
    let id = s.add_parent(ParentKind::Lead, &lead("Initech")).unwrap();
    let v = s.parent(id).unwrap().version;

    for reason in [None, Some("   ")] {
        match s.set_status(id, v, Status::Contacted, reason) {
            Err(StoreError::Invalid(e)) => assert_eq!(e.field, "reason"),
            other => panic!("expected an error naming reason, got {other:?}"),
        }
    }
    assert_eq!(s.parent(id).unwrap().status, Status::New);

    let v2 = s
        .set_status(id, v, Status::Contacted, Some("called the front desk"))
        .unwrap();
    let p = s.parent(id).unwrap();
    assert_eq!((p.status, p.version), (Status::Contacted, v2));
    let history = s.history("parent", id).unwrap();
    assert!(
        history
            .iter()
            .any(|h| h.reason.as_deref() == Some("called the front desk")),
        "{history:?}"
    );
}

#[test]
fn a_lead_moves_to_information_filled_when_website_and_email_are_filled_in() {
    let (_dir, path) = new_store();
    let mut s = open(&path);
    let id = s.add_parent(ParentKind::Lead, &lead("Initech")).unwrap();
    let p = s.parent(id).unwrap();
    assert_eq!(p.status, Status::New);

    let mut f = p.fields.clone();
    f.website = Some("initech.example.com".into());
    let v = s.update_parent(id, p.version, &f).unwrap();
    assert_eq!(s.parent(id).unwrap().status, Status::New, "website alone");

    f.email = Some("info@initech.example.com".into());
    s.update_parent(id, v, &f).unwrap();
    assert_eq!(s.parent(id).unwrap().status, Status::InformationFilled);
    let history = s.history("parent", id).unwrap();
    assert!(history.iter().any(|h| h.action == "status"), "{history:?}");
}

#[test]
fn a_status_set_by_hand_is_not_overridden_by_the_automatic_rule() {
    let (_dir, path) = new_store();
    let mut s = open(&path);
    let id = s.add_parent(ParentKind::Lead, &lead("Initech")).unwrap();
    let v = s.parent(id).unwrap().version;
    let v = s
        .set_status(id, v, Status::Disqualified, Some("no budget"))
        .unwrap();
    let mut f = s.parent(id).unwrap().fields;
    f.website = Some("initech.example.com".into());
    f.email = Some("info@initech.example.com".into());
    s.update_parent(id, v, &f).unwrap();
    assert_eq!(s.parent(id).unwrap().status, Status::Disqualified);
}

// ---------------------------------------------------------------------------------------------
// Round trip
// ---------------------------------------------------------------------------------------------

fn contact_fields() -> impl Strategy<Value = ContactFields> {
    (
        proptest::option::of("[A-Za-zÀ-ÿ漢字 ]{1,30}"),
        proptest::option::of("[A-Za-zÀ-ÿ漢字 ]{1,30}"),
        proptest::option::of("[A-Za-zÀ-ÿ漢字 .'-]{1,60}"),
        proptest::option::of("[a-z]{1,10}@[a-z]{1,10}\\.com"),
        proptest::option::of("\\+?[0-9][0-9 ()-]{2,18}"),
        proptest::option::of("[A-Za-z &,/-]{1,40}"),
        proptest::option::of("[A-Za-z0-9 ,.;:!?\"'\n\t-]{1,200}"),
        proptest::collection::vec(
            (
                "[a-z]{1,8}@[a-z]{1,8}\\.org",
                "(work|home|cell|)",
                any::<bool>(),
            ),
            0..3,
        ),
        proptest::collection::vec("[A-Za-z ]{1,12}", 0..3),
        proptest::option::of("(19[0-9]{2}|--)-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"),
    )
        .prop_map(
            |(
                first_name,
                last_name,
                full_name,
                email,
                phone,
                title,
                notes,
                emails,
                tags,
                birthday,
            )| {
                ContactFields {
                    first_name,
                    last_name,
                    full_name,
                    email,
                    phone,
                    title,
                    notes,
                    emails: emails
                        .into_iter()
                        .map(|(e, l, p)| Labeled::new(e, Some(l.as_str()), p))
                        .collect(),
                    tags,
                    birthday: birthday.map(|b| b.replacen("---", "--", 1)),
                    ..Default::default()
                }
            },
        )
}

#[test]
fn contacts_read_back_exactly_as_validated() {
    let (_dir, path) = new_store();
    let store = RefCell::new(open(&path));
    let parent = store
        .borrow_mut()
        .add_parent(ParentKind::Customer, &lead("Round Trip"))
        .unwrap();
    let stored = RefCell::new(0usize);

    let mut runner = TestRunner::new(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    runner
        .run(&contact_fields(), |input| {
            let mut s = store.borrow_mut();
            match input.validated(None) {
                Ok((expected, _)) => {
                    let id = s
                        .add_contact(parent, &input)
                        .map_err(|e| TestCaseError::fail(format!("valid input refused: {e}")))?;
                    let mut back = s.contact(id).unwrap();
                    prop_assert!(back.fields.uid.is_some(), "a new contact gets a UID");
                    back.fields.uid = None;
                    prop_assert_eq!(&back.fields, &expected);
                    prop_assert_eq!(back.parent_id, parent);
                    prop_assert_eq!(back.version, 1);
                    *stored.borrow_mut() += 1;
                }
                Err(expected) => match s.add_contact(parent, &input) {
                    Err(StoreError::Invalid(e)) => prop_assert_eq!(e, expected),
                    other => {
                        return Err(TestCaseError::fail(format!(
                            "invalid input should be refused with {expected}, got {other:?}"
                        )))
                    }
                },
            }
            Ok(())
        })
        .unwrap();

    let count = store.borrow().list_contacts(Some(parent)).unwrap().len();
    assert_eq!(
        count,
        *stored.borrow(),
        "exactly the valid contacts were stored"
    );
    assert!(count > 0, "the strategy produced valid contacts");
}

// ---------------------------------------------------------------------------------------------
// Conversion
// ---------------------------------------------------------------------------------------------

#[test]
fn converting_a_lead_links_it_and_freezes_its_status() {
    let (_dir, path) = new_store();
    let mut s = open(&path);
    let lead_id = s
        .add_parent(
            ParentKind::Lead,
            &ParentFields {
                name: "Analytical Engines".into(),
                contact_name: Some("Ada Lovelace".into()),
                email: Some("ada@engines.example.com".into()),
                source: Some("Referral".into()),
                ..ParentFields::default()
            },
        )
        .unwrap();
    let charles = s
        .add_contact(lead_id, &person("Charles", "Babbage"))
        .unwrap();
    let done = s.convert_lead(lead_id, None).unwrap();
    assert_eq!(done.moved_contacts, 1);
    let promoted = done.promoted_contact.expect("Ada was promoted");

    let customer = s.parent(done.customer_id).unwrap();
    assert_eq!(customer.kind, ParentKind::Customer);
    assert_eq!(customer.status, Status::Active);
    assert_eq!(customer.fields.contact_name, None);
    assert_eq!(customer.fields.source, None);
    assert_eq!(s.converted_from(done.customer_id).unwrap(), Some(lead_id));

    let ada = s.contact(promoted).unwrap();
    assert_eq!(ada.parent_id, done.customer_id);
    assert_eq!(ada.fields.first_name.as_deref(), Some("Ada"));
    assert_eq!(ada.fields.last_name.as_deref(), Some("Lovelace"));
    assert_eq!(ada.fields.email.as_deref(), Some("ada@engines.example.com"));
    assert_eq!(s.contact(charles).unwrap().parent_id, done.customer_id);

    let lead = s.parent(lead_id).unwrap();
    assert_eq!(lead.converted_to, Some(done.customer_id));
    let err = s
        .set_status(lead_id, lead.version, Status::Qualified, Some("late"))
        .unwrap_err();
    assert!(matches!(err, StoreError::Rule(_)), "{err:?}");
    let err = s.convert_lead(lead_id, None).unwrap_err();
    assert!(matches!(err, StoreError::Rule(_)), "{err:?}");
    assert!(s.check().unwrap().is_empty());
}

#[test]
fn converting_from_a_stale_read_is_a_conflict_and_changes_nothing() {
    let (_dir, path, lead_id, contact) = store_with_contact();
    let mut a = open(&path);
    let mut b = open(&path);
    let seen = b.parent(lead_id).unwrap();
    let mut f = seen.fields.clone();
    f.industry = Some("Software".into());
    a.update_parent(lead_id, seen.version, &f).unwrap();

    let err = b.convert_lead(lead_id, Some(seen.version)).unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert_eq!(b.parent(lead_id).unwrap().converted_to, None);
    assert_eq!(b.contact(contact).unwrap().parent_id, lead_id);
    assert_eq!(b.list_parents().unwrap().len(), 1, "no customer was made");
}

#[test]
fn a_store_of_the_first_schema_is_moved_to_the_new_one_with_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // A store exactly as the first schema wrote it.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "application_id", schema::APPLICATION_ID)
            .unwrap();
        conn.execute_batch(schema::MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(
            "INSERT INTO parents (id, kind, name, status, created_at, updated_at)
                 VALUES (1, 'customer', 'Acme', 'active', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO contacts (id, parent_id, first_name, last_name, full_name, email, phone,
                     phone_e164, title, notes, created_at, updated_at, version)
                 VALUES (1, 1, 'Ada', 'Lovelace', 'Ada Lovelace', 'ada@acme.example',
                     '+44 20 7946 0000', '+442079460000', 'CEO', 'Met at the fair',
                     '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 3),
                        (2, 1, 'Bob', NULL, 'Bob', NULL, NULL, NULL, NULL, NULL,
                     '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1);
             INSERT INTO activities (parent_id, contact_id, kind, body, author, created_at)
                 VALUES (1, 1, 'note', 'Called', 'alice', '2026-01-02T00:00:00Z');",
        )
        .unwrap();
    }
    let store = open(&path);
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert_eq!(schema::user_version(&conn).unwrap(), schema::latest());
    let ada = store.contact(1).unwrap();
    let f = &ada.fields;
    assert_eq!(f.full_name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(f.email.as_deref(), Some("ada@acme.example"));
    assert_eq!(f.emails, [Labeled::new("ada@acme.example", None, true)]);
    assert_eq!(f.phones, [Labeled::new("+44 20 7946 0000", None, true)]);
    assert_eq!(ada.phone_e164.as_deref(), Some("+442079460000"));
    assert_eq!(f.title.as_deref(), Some("CEO"));
    assert_eq!(f.notes.as_deref(), Some("Met at the fair"));
    assert_eq!(ada.version, 3, "versions carry over");
    let bob = store.contact(2).unwrap();
    assert!(bob.fields.emails.is_empty() && bob.fields.phones.is_empty());
    let (a, b) = (f.uid.clone().unwrap(), bob.fields.uid.clone().unwrap());
    assert_ne!(a, b, "every contact gets a UID of its own");
    assert_eq!(a.len(), 36, "{a}");
    assert_eq!(store.list_activities(1, None).unwrap().len(), 1);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
}
