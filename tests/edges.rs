//! Input at the edges, as properties: the input rules never panic and what they accept has the
//! shape they promise; any printable Unicode a person can type comes back unchanged from the
//! store and from every export format.

use kith::domain::validate;
use kith::domain::{ContactFields, ParentFields, ParentKind};
use kith::interop::{csv, json, vcard};
use kith::store::{Store, StoreOptions};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_input_rules_never_panic_and_keep_their_promises(s in any::<String>()) {
        if let Ok(Some(address)) = validate::email("email", &s) {
            prop_assert_eq!(address.matches('@').count(), 1, "{}", address);
            prop_assert!(!address.chars().any(char::is_whitespace), "{}", address);
        }
        for region in [None, Some("US"), Some("DE"), Some("GB")] {
            if let Some(e164) = validate::e164(&s, region) {
                prop_assert!(e164.starts_with('+'), "{}", e164);
                prop_assert!(e164[1..].chars().all(|c| c.is_ascii_digit()), "{}", e164);
            }
        }
        if let Ok(Some(typed)) = validate::phone_text("phone", &s) {
            prop_assert!(!typed.chars().any(|c| validate::is_forbidden(c, false)), "{:?}", typed);
        }
        for checked in [validate::text("name", &s, 200), validate::multiline("notes", &s, 20_000)] {
            if let Ok(Some(kept)) = checked {
                prop_assert!(!kept.chars().any(|c| validate::is_forbidden(c, true)), "{:?}", kept);
            }
        }
        if let Ok(Some(date)) = validate::date("birthday", &s) {
            prop_assert!(date.len() >= 5, "{}", date);
        }
        let _ = validate::website("website", &s);
    }
}

/// Printable text of every script: no control, format (bidi), surrogate or unassigned
/// character, which kith refuses or drops on the way in.
const PRINTABLE: &str = "\\PC{1,40}";

fn fields(first: &str, last: &str, title: &str, notes: &str) -> ContactFields {
    ContactFields {
        first_name: Some(first.to_string()),
        last_name: Some(last.to_string()),
        title: Some(title.to_string()),
        notes: Some(notes.to_string()),
        ..Default::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn printable_unicode_comes_back_from_the_store_and_every_format(
        first in PRINTABLE,
        last in PRINTABLE,
        title in PRINTABLE,
        notes in "\\PC{1,30}(\n\\PC{1,30}){0,3}",
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("kith.db"), &StoreOptions::default()).unwrap();
        let typed = fields(&first, &last, &title, &notes);
        let Ok((expected, _)) = typed.validated(None) else {
            // Only blank text is refused (no name): a rule, not a loss.
            prop_assert!(first.trim().is_empty() && last.trim().is_empty());
            return Ok(());
        };
        let parent = ParentFields { name: "Ünïcode Ltd".into(), ..Default::default() };
        let pid = store.add_parent(ParentKind::Lead, &parent).unwrap();
        store.add_contact(pid, &typed).unwrap();
        let stored = store.list_contacts(None).unwrap();
        let same = |f: &ContactFields| {
            (f.first_name.clone(), f.last_name.clone(), f.full_name.clone(), f.title.clone(), f.notes.clone())
        };
        prop_assert_eq!(same(&stored[0].fields), same(&expected));

        let mut out = Vec::new();
        json::write_contacts(&mut out, &stored).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        prop_assert_eq!(doc[0]["first_name"].as_str(), expected.first_name.as_deref());
        prop_assert_eq!(doc[0]["title"].as_str(), expected.title.as_deref());
        prop_assert_eq!(doc[0]["notes"].as_str(), expected.notes.as_deref());

        let mut out = Vec::new();
        csv::write_contacts(&mut out, &stored).unwrap();
        let (_, rows) = csv::read(&out).unwrap();
        let row = rows[0].as_ref().unwrap();
        prop_assert_eq!(same(&row.fields), same(&expected));
        prop_assert_eq!(row.parent.as_deref(), Some("Ünïcode Ltd"));

        for version in [vcard::Version::V3, vcard::Version::V4] {
            let text = vcard::write(&stored, version);
            let cards = vcard::parse(text.as_bytes());
            let card = cards[0].as_ref().unwrap();
            prop_assert_eq!(same(&card.fields), same(&expected), "{}", text);
            prop_assert_eq!(card.org.as_deref(), Some("Ünïcode Ltd"));
        }
    }
}
