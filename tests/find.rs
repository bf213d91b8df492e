//! `kith find`: people, companies, notes and emails by what they say, through the real binary
//! on a real store (SQLite here; `tests/pg_find.rs` runs the same bodies on PostgreSQL).

mod common;

use common::{assert_success, Kith};
use serde_json::Value;

/// `kith find QUERY --format json`, parsed.
fn find_json(k: &Kith, query: &str) -> Vec<Value> {
    let out = k.ok(&["find", "--format", "json", "--", query]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    v.as_array().expect("find json is an array").clone()
}

/// Logs `message` as mail received, through `kith log`.
fn log(k: &Kith, message: &str) {
    let out = k
        .cmd()
        .arg("log")
        .write_stdin(message)
        .output()
        .expect("kith runs");
    assert_success(&out, &["log"]);
}

/// Acme Corp with Sam Patel, a note about pricing and an email from Sam.
fn acme(k: &Kith) -> (i64, i64) {
    let acme = k.add_customer("Acme Corp", &["--email", "hello@acme.test"]);
    let sam = k.add_contact(
        "Acme Corp",
        "Sam",
        &[
            "--last",
            "Patel",
            "--title",
            "CTO",
            "--email",
            "sam@acme.test",
        ],
    );
    k.add_lead("Globex", &[]);
    k.ok(&[
        "note",
        "Acme Corp",
        "Call went well.\nThey asked about our pricing for the enterprise tier.",
    ]);
    k.ok(&["note", "Globex", "Sent the brochure."]);
    log(
        k,
        "From: Sam Patel <sam@acme.test>\r\nTo: me@example.com\r\n\
         Subject: Quarterly roadmap\r\nDate: Tue, 1 Jul 2025 09:00:00 +0000\r\n\
         Message-ID: <roadmap-1@acme.test>\r\n\r\n\
         Hi,\r\nthe migration of our warehouse is planned for October.\r\nSam\r\n",
    );
    (acme, sam)
}

#[test]
fn a_note_is_found_by_a_word_of_its_text() {
    let k = Kith::new();
    acme(&k);
    let found = find_json(&k, "pricing");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["kind"], "activity");
    assert_eq!(found[0]["title"], "Note on Acme Corp");
    let snippet = found[0]["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("our pricing for the enterprise"),
        "{snippet}"
    );
    assert!(!snippet.contains('\n'), "{snippet:?}");
    // As typed: the start of a word finds it too, whatever its case.
    assert_eq!(find_json(&k, "PRIC"), found);
    // Text output says what each row is.
    let text = k.ok(&["find", "pricing"]);
    assert!(text.starts_with("note "), "{text}");
    assert!(text.contains("Note on Acme Corp"), "{text}");
}

#[test]
fn an_email_is_found_by_its_subject_and_by_its_body() {
    let k = Kith::new();
    acme(&k);
    let by_subject = find_json(&k, "roadmap");
    assert_eq!(by_subject.len(), 1, "{by_subject:#?}");
    assert_eq!(by_subject[0]["kind"], "activity");
    assert_eq!(by_subject[0]["title"], "Quarterly roadmap");
    let by_body = find_json(&k, "warehouse october");
    assert_eq!(by_body.len(), 1, "{by_body:#?}");
    assert_eq!(
        (&by_body[0]["id"], &by_body[0]["title"]),
        (&by_subject[0]["id"], &by_subject[0]["title"])
    );
    let snippet = by_body[0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("warehouse is planned"), "{snippet}");
    let text = k.ok(&["find", "warehouse"]);
    assert!(text.starts_with("email "), "{text}");
}

#[test]
fn people_and_companies_come_first_then_what_was_said() {
    let k = Kith::new();
    let (acme, sam) = acme(&k);
    let found = find_json(&k, "acme");
    let kinds: Vec<(&str, i64)> = found
        .iter()
        .map(|f| (f["kind"].as_str().unwrap(), f["id"].as_i64().unwrap()))
        .collect();
    assert!(kinds.contains(&("parent", acme)), "{found:#?}");
    assert!(kinds.contains(&("contact", sam)), "{found:#?}");
    // The email from sam@acme.test says "acme" nowhere in its text: only names matched.
    assert!(
        kinds.iter().all(|(kind, _)| *kind != "activity"),
        "{found:#?}"
    );

    let patel = find_json(&k, "pat");
    assert_eq!(patel[0]["kind"], "contact", "{patel:#?}");
    assert_eq!(patel[0]["id"], sam);
    assert_eq!(patel[0]["title"], "Sam Patel");
    assert!(patel[0]["snippet"]
        .as_str()
        .unwrap()
        .contains("CTO at Acme Corp"));
}

#[test]
fn json_rows_hold_exactly_kind_id_title_and_snippet() {
    let k = Kith::new();
    let (_, sam) = acme(&k);
    let found = find_json(&k, "sam");
    assert!(!found.is_empty());
    for row in &found {
        let keys: Vec<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, ["id", "kind", "snippet", "title"], "{row}");
        assert!(row["id"].is_i64() && row["title"].is_string() && row["snippet"].is_string());
        assert!(["contact", "parent", "activity"].contains(&row["kind"].as_str().unwrap()));
    }
    assert_eq!(found[0]["kind"], "contact");
    assert_eq!(found[0]["id"], sam);
}

#[test]
fn a_hostile_query_is_text_not_syntax() {
    let k = Kith::new();
    acme(&k);
    k.ok(&["note", "Globex", "NEAR(AND OR) \"quoted\" 100% of_it"]);
    for q in [
        "\"",
        "AND(",
        "*",
        "NEAR(",
        "a OR",
        "-",
        "'",
        "\\",
        "%",
        "_",
        ":*",
        "&|!",
        "pric*",
        "subject:roadmap",
        "(",
        ")",
        "^",
    ] {
        let out = k.run(&["find", "--format", "json", "--", q]);
        assert_success(&out, &["find", q]);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(v.is_array(), "{q}: {v}");
    }
    // Words in hostile text are still words.
    let found = find_json(&k, "\"quoted\" AND(");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["title"], "Note on Globex");
    // A LIKE wildcard matches itself only.
    assert!(find_json(&k, "_").is_empty());
}

#[test]
fn the_index_follows_the_timeline_as_it_changes() {
    let k = Kith::new();
    acme(&k);
    assert!(find_json(&k, "invoice").is_empty());
    k.ok(&["note", "Globex", "Their invoice is overdue."]);
    let found = find_json(&k, "invoice");
    assert_eq!(found.len(), 1, "{found:#?}");
    // Written behind kith's back, as another program could: the index still follows.
    k.sql(
        "UPDATE activities SET body = 'The bill is paid.' WHERE body LIKE '%invoice%'",
        &[],
    );
    assert!(find_json(&k, "invoice").is_empty());
    assert_eq!(find_json(&k, "paid").len(), 1);
    k.sql(
        "DELETE FROM activities WHERE body = 'The bill is paid.'",
        &[],
    );
    assert!(find_json(&k, "paid").is_empty());
}

#[test]
fn nothing_found_says_so_and_fails() {
    let k = Kith::new();
    acme(&k);
    let out = k.run(&["find", "zebra"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "kith: nothing matches \"zebra\"\n"
    );
    assert_eq!(find_json(&k, "zebra"), Vec::<Value>::new());
}

#[test]
fn a_store_made_before_the_index_finds_its_old_notes() {
    if common::backend() != common::Backend::Sqlite {
        return; // A PostgreSQL store of version 10 is made by the pg_* store tests.
    }
    let k = Kith::new();
    {
        use kith::store::schema::{APPLICATION_ID, MIGRATIONS};
        let conn = rusqlite::Connection::open(&k.db).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        for sql in &MIGRATIONS[..10] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 10).unwrap();
        conn.execute_batch(
            "INSERT INTO parents (id, kind, name, status, created_at, updated_at)
                 VALUES (1, 'lead', 'Initech', 'new', '2026-01-01T00:00:00Z',
                         '2026-01-01T00:00:00Z');
             INSERT INTO activities (parent_id, kind, body, author, created_at)
                 VALUES (1, 'note', 'They want a discount on licensing.', 'me',
                         '2026-01-02T00:00:00Z');",
        )
        .unwrap();
    }
    let found = find_json(&k, "licensing");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["title"], "Note on Initech");
}

#[test]
fn among_hundreds_matching_by_company_the_person_named_comes_first() {
    let k = Kith::new();
    let mut csv =
        String::from("parent,parent_kind,first_name,last_name,full_name,email,phone,title,notes\n");
    for i in 0..250 {
        csv.push_str(&format!(
            "Patel Foods,customer,Worker,Number{i},,w{i}@patelfoods.test,,,\n"
        ));
    }
    csv.push_str("Initech,lead,Sam,Patel,,sam@initech.test,,CTO,\n");
    let file = k.path("people.csv");
    std::fs::write(&file, csv).unwrap();
    k.ok(&["import", file.to_str().unwrap(), "--format", "csv"]);
    let found = find_json(&k, "patel");
    let titles: Vec<&str> = found.iter().map(|f| f["title"].as_str().unwrap()).collect();
    assert!(titles.len() <= 20 + 30, "{titles:?}");
    assert!(titles[..2].contains(&"Sam Patel"), "{titles:?}");
    assert!(titles[..2].contains(&"Patel Foods"), "{titles:?}");
    // Two letters: people by name only, read without the trigram index.
    let found = find_json(&k, "sa");
    assert_eq!(found[0]["title"], "Sam Patel", "{found:#?}");
}

#[test]
fn text_written_behind_kiths_back_reaches_the_terminal_harmless() {
    let k = Kith::new();
    acme(&k);
    k.ok(&["note", "Globex", "placeholder"]);
    k.sql(
        "UPDATE activities SET body = ?1 WHERE body = 'placeholder'",
        &[common::Arg::Text(
            "Line one\n\u{1b}[2J\u{1b}]0;owned\u{7}pricing \u{202e}reversed",
        )],
    );
    let text = k.ok(&["find", "pricing"]);
    for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!text.contains(bad), "{text:?}");
    }
    assert_eq!(text.lines().count(), 2, "one line a row: {text:?}");
    let found = find_json(&k, "reversed");
    assert_eq!(found.len(), 1);
    let snippet = found[0]["snippet"].as_str().unwrap();
    assert!(
        !snippet.contains('\u{1b}') && !snippet.contains('\n'),
        "{snippet:?}"
    );
}

#[test]
fn kith_check_tells_when_the_find_index_no_longer_matches_the_timeline() {
    if common::backend() != common::Backend::Sqlite {
        return; // PostgreSQL keeps its expression index itself.
    }
    let k = Kith::new();
    acme(&k);
    assert!(k.ok(&["check"]).ends_with(": ok\n"));
    // An entry taken out of the index behind kith's back, as a damaged file would have it.
    k.sql(
        "INSERT INTO activity_search (activity_search, rowid, subject, body)
         SELECT 'delete', id, subject, body FROM activities WHERE body LIKE '%pricing%'",
        &[],
    );
    assert!(find_json(&k, "pricing").is_empty());
    let out = k.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("find index: the index of notes and emails does not match"),
        "{text}"
    );
}
