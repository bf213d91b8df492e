//! Duplicates and merging through the real binary: each rule of `kith dupes` (and what must not
//! match), `kith merge`'s field choices, timelines and history moving, `kith undo-merge`
//! restoring every row, and merging while others write.

mod common;

use common::{one_line, Kith};
use serde_json::Value;
use std::path::Path;

/// `kith dupes --format json`, parsed.
fn dupes(k: &Kith, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["dupes", "--format", "json"];
    args.extend_from_slice(extra);
    let out = k.ok(&args);
    serde_json::from_str::<Value>(&out)
        .expect("dupes json parses")
        .as_array()
        .expect("an array")
        .clone()
}

/// The id groups of `kith dupes` of one kind, each sorted.
fn groups(k: &Kith, kind: &str) -> Vec<Vec<i64>> {
    dupes(k, &["--kind", kind])
        .iter()
        .map(|g| {
            assert_eq!(g["kind"], kind);
            let ids: Vec<i64> = g["ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_i64().unwrap())
                .collect();
            ids
        })
        .collect()
}

fn reasons_of(k: &Kith, ids: &[i64]) -> Vec<String> {
    let all = dupes(k, &[]);
    let g = all
        .iter()
        .find(|g| {
            g["ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_i64().unwrap())
                .collect::<Vec<_>>()
                == ids
        })
        .unwrap_or_else(|| panic!("no group {ids:?} in {all:?}"));
    g["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_rule_finds_its_pair_with_why() {
    let k = Kith::new();
    k.add_lead("Navy", &[]);
    k.add_customer("Yale", &["--website", "https://yale.edu"]);
    // The same address, any of a person's: the second one's first address is different.
    // (Imported first: an import skips a person whose address is already here.)
    let card = k.path("g.vcf");
    std::fs::write(
        &card,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:G. Hopper\r\nN:Hopper;G.;;;\r\nORG:Yale\r\n\
         EMAIL;TYPE=work:gmh@yale.edu\r\nEMAIL;TYPE=home:Grace@Navy.mil\r\nEND:VCARD\r\n",
    )
    .unwrap();
    k.ok(&["import", card.to_str().unwrap()]);
    let b = k
        .contacts_json()
        .into_iter()
        .find(|c| c["full_name"] == "G. Hopper")
        .expect("the card imported")["id"]
        .as_i64()
        .unwrap();
    let a = hopper(&k, "Navy", &["--email", "grace@navy.mil"]);
    // The same phone in E.164, typed two ways.
    let c = k.add_contact("Navy", "Ada", &["--phone", "+44 20 7946 0958"]);
    let d = k.add_contact("Yale", "Augusta", &["--phone", "+44 (0)20 7946-0958"]);
    // Names the same once case, accents, punctuation and word order are set aside, at one
    // company.
    let e = k.add_contact(
        "Navy",
        "Jürgen",
        &["--last", "Müller", "--full-name", "Müller, Jürgen"],
    );
    let f = k.add_contact("Navy", "jurgen", &["--last", "muller"]);
    // The same name at different companies, with the same email domain.
    let g = k.add_contact(
        "Navy",
        "Alan",
        &["--last", "Turing", "--email", "alan@bletchley.uk"],
    );
    let h = k.add_contact(
        "Yale",
        "Alan",
        &["--last", "Turing", "--email", "turing@bletchley.uk"],
    );
    let found = groups(&k, "contact");
    for pair in [[b, a], [c, d], [e, f], [g, h]] {
        assert!(found.contains(&pair.to_vec()), "{pair:?} in {found:?}");
    }
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(reasons_of(&k, &[b, a]).contains(&"same email grace@navy.mil".to_string()));
    assert_eq!(reasons_of(&k, &[c, d]), ["same phone +442079460958"]);
    assert_eq!(reasons_of(&k, &[e, f]), ["same name at Navy"]);
    assert_eq!(
        reasons_of(&k, &[g, h]),
        ["same name and email domain bletchley.uk"]
    );
    // The strongest evidence first: a shared address outranks a name alone.
    let first = &dupes(&k, &[])[0];
    assert_eq!(first["ids"], serde_json::json!([b, a]));
}

#[test]
fn different_people_who_share_a_name_are_not_matched() {
    let k = Kith::new();
    k.add_lead("Initech", &[]);
    k.add_customer("Globex", &[]);
    k.add_contact(
        "Initech",
        "John",
        &["--last", "Smith", "--email", "john@initech.com"],
    );
    k.add_contact(
        "Globex",
        "John",
        &["--last", "Smith", "--email", "jsmith@globex.com"],
    );
    // A free-mail domain says nothing about who someone is.
    k.add_contact(
        "Initech",
        "Mary",
        &["--last", "Jones", "--email", "mary.j@gmail.com"],
    );
    k.add_contact(
        "Globex",
        "Mary",
        &["--last", "Jones", "--email", "mjones@gmail.com"],
    );
    // A switchboard number shared by a whole office is not one person.
    for n in 0..8 {
        k.add_contact(
            "Initech",
            &format!("Staff{n}"),
            &["--phone", "+44 20 7946 0000"],
        );
    }
    assert_eq!(groups(&k, "contact"), Vec::<Vec<i64>>::new());
    assert_eq!(k.ok(&["dupes"]), "No likely duplicates.\n");
}

#[test]
fn companies_match_by_domain_and_by_name_without_legal_form() {
    let k = Kith::new();
    let a = k.add_lead("ACME, Inc.", &[]);
    let b = k.add_customer("Acme Inc", &[]);
    let c = k.add_lead("Initrode", &["--website", "https://www.initrode.com/about"]);
    let d = k.add_customer("Initrode Holdings", &["--email", "sales@initrode.com"]);
    k.add_lead("Acme Rockets", &[]);
    k.add_lead("Gmail users", &["--email", "someone@gmail.com"]);
    k.add_lead("More gmail users", &["--email", "other@gmail.com"]);
    let found = groups(&k, "parent");
    assert_eq!(
        found,
        vec![vec![c, d], vec![a, b]],
        "domain first, then names"
    );
    assert_eq!(
        reasons_of(&k, &[c, d]),
        ["same website or email domain initrode.com"]
    );
    // A converted lead and the customer it became are one company, not duplicates.
    let lead = k.add_lead("Hooli", &["--website", "https://hooli.xyz"]);
    k.ok(&["convert", &lead.to_string()]);
    assert_eq!(groups(&k, "parent").len(), 2);
}

#[test]
fn a_pair_said_not_to_be_duplicates_stays_out() {
    let k = Kith::new();
    k.add_lead("Navy", &[]);
    let a = hopper(&k, "Navy", &[]);
    let b = hopper(&k, "Navy", &[]);
    assert_eq!(groups(&k, "contact"), vec![vec![a, b]]);
    let said = k.ok(&["dupes", "--not", &b.to_string(), &a.to_string()]);
    assert!(said.contains("not duplicates"), "{said}");
    assert_eq!(groups(&k, "contact"), Vec::<Vec<i64>>::new());
    let err = k.fails(&["dupes", "--not", &a.to_string(), "999"]);
    assert_eq!(one_line(&err), "kith: there is no contact #999");
}

/// Adds a Grace Hopper at `parent`, with these flags too.
fn hopper(k: &Kith, parent: &str, extra: &[&str]) -> i64 {
    let mut args = vec!["--last", "Hopper"];
    args.extend_from_slice(extra);
    k.add_contact(parent, "Grace", &args)
}

/// A contact as `contacts --format json` has it.
fn contact(k: &Kith, id: i64) -> Value {
    k.contacts_json()
        .into_iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no contact #{id}"))
}

#[test]
fn a_merge_keeps_the_survivors_values_fills_its_gaps_and_keeps_every_address() {
    let k = Kith::new();
    k.add_lead("Navy", &[]);
    let a = hopper(
        &k,
        "Navy",
        &["--email", "grace@navy.mil", "--title", "Rear Admiral"],
    );
    let b = hopper(
        &k,
        "Navy",
        &[
            "--full-name",
            "Grace Brewster Hopper",
            "--email",
            "amazing@grace.org",
            "--phone",
            "+1 202 555 0143",
            "--title",
            "Computer scientist",
            "--notes",
            "Invented the compiler",
        ],
    );
    k.ok(&["contact", "edit", &b.to_string(), "--tags", "cobol"]);
    let (sa, sb) = (a.to_string(), b.to_string());
    let merge = k.id(&["merge", &sa, &sb]);
    assert!(merge >= 1);
    let merged = contact(&k, a);
    assert_eq!(merged["full_name"], "Grace Hopper", "the survivor's value");
    assert_eq!(merged["title"], "Rear Admiral", "the survivor's value");
    assert_eq!(merged["phone"], "+1 202 555 0143", "a gap filled");
    assert_eq!(merged["notes"], "Invented the compiler", "a gap filled");
    assert_eq!(
        merged["email"], "grace@navy.mil",
        "the survivor's preferred"
    );
    let emails: Vec<&str> = merged["emails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["address"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["grace@navy.mil", "amazing@grace.org"]);
    assert_eq!(merged["tags"], serde_json::json!(["cobol"]));
    assert_eq!(k.contacts_json().len(), 1, "one person left");
    // The merged record's id answers with where it went.
    let err = k.fails(&["contact", "edit", &sb, "--title", "x"]);
    assert_eq!(
        one_line(&err),
        format!("kith: contact #{b} was merged into #{a} (merge {merge}; `kith undo-merge {merge}` brings it back)")
    );
}

#[test]
fn keep_takes_a_field_from_the_other_and_dry_run_writes_nothing() {
    let k = Kith::new();
    k.add_lead("Navy", &[]);
    let a = hopper(
        &k,
        "Navy",
        &["--email", "grace@navy.mil", "--title", "Rear Admiral"],
    );
    let b = hopper(
        &k,
        "Navy",
        &[
            "--email",
            "amazing@grace.org",
            "--title",
            "Computer scientist",
        ],
    );
    let (sa, sb) = (a.to_string(), b.to_string());
    let keep_title = format!("title={b}");
    let keep_email = format!("email={b}");
    let before = dump(&k.db);
    let preview = k.ok(&[
        "merge",
        &sa,
        &sb,
        "--keep",
        &keep_title,
        "--keep",
        &keep_email,
        "--dry-run",
    ]);
    assert_eq!(dump(&k.db), before, "a dry run writes nothing");
    let title_row = preview
        .lines()
        .find(|l| l.starts_with("Title"))
        .expect("a Title row");
    let cells: Vec<&str> = title_row
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells,
        [
            "Title",
            "Rear Admiral",
            "Computer scientist",
            "Computer scientist"
        ],
        "{preview}"
    );
    assert!(preview.contains(&format!("#{a} (KEPT)")), "{preview}");
    assert!(
        preview.ends_with("Dry run: nothing was written.\n"),
        "{preview}"
    );
    k.id(&[
        "merge",
        &sa,
        &sb,
        "--keep",
        &keep_title,
        "--keep",
        &keep_email,
    ]);
    let merged = contact(&k, a);
    assert_eq!(merged["title"], "Computer scientist");
    assert_eq!(merged["email"], "amazing@grace.org");
    let preferred: Vec<&Value> = merged["emails"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["preferred"] == true)
        .collect();
    assert_eq!(preferred.len(), 1);
    assert_eq!(preferred[0]["address"], "amazing@grace.org");

    // A choice that names neither record, or no field a merge chooses, is refused.
    let c = hopper(&k, "Navy", &[]);
    let err = k.fails(&["merge", &sa, &c.to_string(), "--keep", "title=999"]);
    assert!(
        one_line(&err).contains("#999 is not one of the two records merged"),
        "{err}"
    );
    let err = k.fails(&["merge", &sa, &c.to_string(), "--keep", "shoe=1"]);
    assert!(
        one_line(&err).contains("\"shoe\" is not a field a merge chooses"),
        "{err}"
    );
}

#[test]
fn people_at_two_companies_merge_only_where_the_user_says() {
    let k = Kith::new();
    k.add_lead("Navy", &[]);
    let yale = k.add_customer("Yale", &[]);
    let a = hopper(&k, "Navy", &[]);
    let b = hopper(&k, "Yale", &[]);
    k.ok(&["note", "Navy", "Navy days", "--contact", &a.to_string()]);
    k.ok(&["note", "Yale", "Yale days", "--contact", &b.to_string()]);
    let (sa, sb) = (a.to_string(), b.to_string());
    let before = dump(&k.db);
    let err = k.fails(&["merge", &sa, &sb]);
    assert!(
        one_line(&err).contains(&format!("--keep parent={a} or --keep parent={b}")),
        "{err}"
    );
    assert_eq!(dump(&k.db), before, "nothing written");
    k.id(&["merge", &sa, &sb, "--keep", &format!("parent={b}")]);
    let merged = contact(&k, a);
    assert_eq!(merged["parent"]["id"], yale);
    // Both timelines went with the person, to the company chosen.
    let yale_json = k.show_json("Yale");
    let mut bodies: Vec<&str> = yale_json["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["body"].as_str().unwrap())
        .collect();
    bodies.sort();
    assert_eq!(bodies, ["Navy days", "Yale days"]);
    assert!(k.show_json("Navy")["activities"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn the_others_timeline_history_and_links_move_to_the_survivor() {
    let k = Kith::new();
    k.add_lead("Navy", &[]);
    let yale = k.add_customer("Yale", &[]);
    let a = hopper(&k, "Navy", &["--email", "grace@navy.mil"]);
    let b = hopper(&k, "Navy", &["--email", "g@navy.mil"]);
    k.ok(&["contact", "edit", &b.to_string(), "--title", "Commodore"]);
    k.ok(&[
        "note",
        "Navy",
        "About the other",
        "--contact",
        &b.to_string(),
    ]);
    // Someone who moved on from the other record: their link must follow it.
    let old = hopper(&k, "Yale", &["--email", "old@yale.edu"]);
    k.ok(&["contact", "move", &old.to_string(), "--to", "Navy"]);
    let moved_to = contact(&k, old)["moved_to"].as_i64().unwrap();
    k.id(&["merge", &moved_to.to_string(), &b.to_string()]);
    let navy = k.show_json("Navy");
    let about: Vec<&Value> = navy["activities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["body"] == "About the other")
        .collect();
    assert_eq!(about.len(), 1);
    assert_eq!(
        about[0]["contact_id"], moved_to,
        "the note is the survivor's now"
    );
    let history: Vec<(String, String)> = common::rows_on(
        &k.db,
        &format!(
            "SELECT action, coalesce(changes, '') FROM history
              WHERE entity = 'contact' AND entity_id = {moved_to} ORDER BY id"
        ),
    )
    .into_iter()
    .map(|mut r| (r.remove(0), r.remove(0)))
    .collect();
    assert!(
        history
            .iter()
            .any(|(action, changes)| action == "update" && changes.contains("Commodore")),
        "the other's history came along: {history:?}"
    );
    assert!(
        history.iter().any(|(action, _)| action == "merge"),
        "{history:?}"
    );
    let navy_text = k.ok(&["show", "Navy"]);
    assert!(
        !navy_text.contains("Commodore") || navy_text.contains("Grace Hopper"),
        "{navy_text}"
    );
    let _ = (a, yale);
}

/// Every row of every table but the history's (and the search indexes' own pages, rebuilt by
/// triggers: the timeline's is checked by `kith check`), as text: what "the store as it was"
/// means.
fn dump(db: &Path) -> Vec<String> {
    let tables: Vec<String> = common::tables_on(db)
        .into_iter()
        .filter(|t| !["history", "merges", "kith_meta"].contains(&t.as_str()))
        .filter(|t| !t.starts_with("contact_search") && !t.starts_with("sqlite_"))
        .filter(|t| !t.starts_with("activity_search"))
        .collect();
    let mut out = Vec::new();
    let search = "SELECT rowid, body, card FROM contact_search".to_string();
    for (t, sql) in tables
        .iter()
        .map(|t| (t.as_str(), format!("SELECT * FROM {t}")))
        .chain([("contact_search", search)])
    {
        let mut rows: Vec<String> = common::rows_on(db, &sql)
            .into_iter()
            .map(|cells| format!("{t}: {}", cells.join(" | ")))
            .collect();
        rows.sort();
        out.extend(rows);
    }
    out
}

#[test]
fn undo_restores_every_row_of_a_contact_merge() {
    let k = Kith::new();
    k.add_lead("Navy", &[]);
    k.add_customer("Yale", &[]);
    let a = hopper(
        &k,
        "Navy",
        &["--email", "grace@navy.mil", "--phone", "+1 202 555 0143"],
    );
    let b = hopper(
        &k,
        "Yale",
        &["--email", "amazing@grace.org", "--title", "Professor"],
    );
    k.ok(&["contact", "edit", &a.to_string(), "--tags", "navy"]);
    k.ok(&["contact", "edit", &b.to_string(), "--tags", "yale,cobol"]);
    k.ok(&["note", "Navy", "Navy note", "--contact", &a.to_string()]);
    k.ok(&["note", "Yale", "Yale note", "--contact", &b.to_string()]);
    k.ok(&["note", "Yale", "About Yale itself"]);
    let old = hopper(&k, "Navy", &["--email", "gh@old.example"]);
    k.ok(&["contact", "move", &old.to_string(), "--to", "Yale"]);
    let successor = contact(&k, old)["moved_to"].as_i64().unwrap();
    let before = dump(&k.db);
    let merge = k.id(&[
        "merge",
        &a.to_string(),
        &successor.to_string(),
        "--keep",
        &format!("parent={successor}"),
    ]);
    assert_ne!(dump(&k.db), before);
    let said = k.ok(&["undo-merge", &merge.to_string()]);
    assert!(said.starts_with(&format!("Undid merge {merge}")), "{said}");
    assert_eq!(dump(&k.db), before, "every row as it was");
    k.ok(&["check"]);
    // Then the other pair, with field choices.
    let merge = k.id(&[
        "merge",
        &b.to_string(),
        &a.to_string(),
        "--keep",
        &format!("parent={b}"),
        "--keep",
        &format!("email={a}"),
    ]);
    k.ok(&["undo-merge", &merge.to_string()]);
    assert_eq!(dump(&k.db), before, "every row as it was");
    let err = k.fails(&["undo-merge", &merge.to_string()]);
    assert!(one_line(&err).contains("was already undone"), "{err}");
}

#[test]
fn undo_restores_every_row_of_a_company_merge() {
    let k = Kith::new();
    let lead = k.add_lead(
        "ACME, Inc.",
        &[
            "--contact-name",
            "Wile E. Coyote",
            "--email",
            "wile@acme.com",
            "--source",
            "fair",
        ],
    );
    let customer = k.add_customer("Acme Inc", &["--website", "https://acme.com"]);
    k.add_contact("ACME, Inc.", "Road", &["--last", "Runner"]);
    k.add_contact("Acme Inc", "Bugs", &["--last", "Bunny"]);
    k.ok(&["note", "ACME, Inc.", "Met at the fair"]);
    k.ok(&["note", "Acme Inc", "Signed"]);
    let before = dump(&k.db);
    let merge = k.id(&[
        "merge",
        "--kind",
        "parent",
        &customer.to_string(),
        &lead.to_string(),
    ]);
    let acme = k.show_json(&customer.to_string());
    let mut people: Vec<&str> = acme["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["full_name"].as_str().unwrap())
        .collect();
    people.sort();
    assert_eq!(
        people,
        ["Bugs Bunny", "Road Runner", "Wile E. Coyote"],
        "the lead's contact name became a person"
    );
    assert_eq!(acme["activities"].as_array().unwrap().len(), 2);
    assert_eq!(acme["email"], "wile@acme.com", "a gap filled");
    let err = k.fails(&["show", &lead.to_string()]);
    assert!(one_line(&err).contains("was merged into"), "{err}");
    k.ok(&["undo-merge", &merge.to_string()]);
    assert_eq!(dump(&k.db), before, "every row as it was");
    // A customer is never merged into a lead.
    let err = k.fails(&[
        "merge",
        "--kind",
        "parent",
        &lead.to_string(),
        &customer.to_string(),
    ]);
    assert!(
        one_line(&err).contains("a customer cannot be merged into a lead"),
        "{err}"
    );
    assert_eq!(dump(&k.db), before);
}

#[test]
fn undo_refuses_when_something_written_since_depends_on_the_merge() {
    let k = Kith::new();
    k.add_lead("Navy", &[]);
    let a = hopper(&k, "Navy", &[]);
    let b = hopper(&k, "Navy", &["--title", "Commodore"]);
    let c = hopper(&k, "Navy", &[]);
    let first = k.id(&["merge", &a.to_string(), &b.to_string()]);
    let second = k.id(&["merge", &a.to_string(), &c.to_string()]);
    let err = k.fails(&["undo-merge", &first.to_string()]);
    assert_eq!(
        one_line(&err),
        format!("kith: merge {first} cannot be undone: merge {second} (#{c} into #{a}) came after it and depends on it: undo merge {second} first")
    );
    k.ok(&["undo-merge", &second.to_string()]);
    k.ok(&["contact", "edit", &a.to_string(), "--title", "Rear Admiral"]);
    let before = dump(&k.db);
    let err = k.fails(&["undo-merge", &first.to_string()]);
    assert!(
        one_line(&err).contains(&format!("contact #{a} was changed after the merge")),
        "{err}"
    );
    assert_eq!(dump(&k.db), before, "a refused undo writes nothing");
    // A person added after a merge never takes the merged record's id.
    let merged_ids: Vec<i64> = vec![b];
    let new = k.add_contact("Navy", "Someone", &[]);
    assert!(!merged_ids.contains(&new) && new > c, "#{new}");
    let err = k.fails(&["undo-merge", "77"]);
    assert_eq!(one_line(&err), "kith: there is no merge #77");
}

#[test]
fn merges_lists_them_and_merging_a_record_into_itself_is_refused() {
    let k = Kith::new();
    k.add_lead("Navy", &[]);
    let a = hopper(&k, "Navy", &[]);
    let b = hopper(&k, "Navy", &[]);
    let err = k.fails(&["merge", &a.to_string(), &a.to_string()]);
    assert_eq!(
        one_line(&err),
        format!("kith: contact #{a} cannot be merged into itself")
    );
    let merge = k.id(&["merge", &a.to_string(), &b.to_string()]);
    let list: Value = serde_json::from_str(&k.ok(&["merges", "--format", "json"])).unwrap();
    assert_eq!(list[0]["id"], merge);
    assert_eq!(list[0]["survivor"], a);
    assert_eq!(list[0]["merged"], b);
    assert_eq!(list[0]["undone_at"], Value::Null);
}

#[test]
fn notes_written_while_a_merge_runs_are_all_on_the_survivor_or_refused() {
    let k = Kith::new();
    k.add_lead("Navy", &[]);
    let a = hopper(&k, "Navy", &[]);
    let b = hopper(&k, "Navy", &[]);
    let writer = {
        let db = k.db.clone();
        let dir = k.dir.path().to_path_buf();
        let config = k.config.clone();
        std::thread::spawn(move || {
            let mut reported = Vec::new();
            for i in 0..60 {
                let text = format!("note {i}");
                let mut cmd = assert_cmd::Command::cargo_bin("kith").unwrap();
                cmd.arg("--db").arg(&db);
                common::isolate(&mut cmd, &dir, &config);
                let out = cmd
                    .args(["note", "Navy", &text, "--contact", &b.to_string()])
                    .output()
                    .unwrap();
                if out.status.success() {
                    reported.push(text);
                } else {
                    let err = String::from_utf8_lossy(&out.stderr).to_string();
                    assert!(err.contains("was merged into"), "{err}");
                }
            }
            reported
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(150));
    k.id(&["merge", &a.to_string(), &b.to_string()]);
    let reported = writer.join().unwrap();
    assert!(
        !reported.is_empty(),
        "some notes were written before the merge"
    );
    assert!(
        reported.len() < 60,
        "the merge came while notes were still being written"
    );
    let navy = k.show_json("Navy");
    let on_survivor: Vec<&str> = navy["activities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["contact_id"] == a)
        .map(|x| x["body"].as_str().unwrap())
        .collect();
    for note in &reported {
        assert!(on_survivor.contains(&note.as_str()), "{note} lost");
    }
    assert_eq!(on_survivor.len(), reported.len());
}

#[test]
fn an_import_says_which_people_it_added_look_like_people_already_here() {
    let k = Kith::new();
    k.add_lead("Acme", &[]);
    let here = k.add_contact(
        "Acme",
        "Jürgen",
        &["--last", "Müller", "--full-name", "Müller, Jürgen"],
    );
    let file = k.path("people.csv");
    std::fs::write(
        &file,
        "parent,first_name,last_name,email\nAcme,jurgen,muller,jm@acme.example\nAcme,Ada,Lovelace,ada@acme.example\n",
    )
    .unwrap();
    let out = k.ok(&["import", file.to_str().unwrap()]);
    let new = k
        .contacts_json()
        .into_iter()
        .find(|c| c["full_name"] == "jurgen muller")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert!(
        out.contains("1 group(s) of likely duplicates among the people imported"),
        "{out}"
    );
    assert!(
        out.contains(&format!("merge: kith merge {here} {new}")),
        "{out}"
    );
    assert!(!out.contains("Lovelace"), "{out}");
    assert_eq!(groups(&k, "contact"), vec![vec![here, new]]);
    // An import with nothing alike says nothing of duplicates.
    std::fs::write(&file, "parent,first_name,last_name\nAcme,Alan,Turing\n").unwrap();
    let out = k.ok(&["import", file.to_str().unwrap()]);
    assert!(!out.contains("duplicates among"), "{out}");
}

#[test]
fn undo_refuses_a_kept_row_that_names_a_column_its_table_lacks() {
    let k = Kith::new();
    k.add_lead("Navy", &[]);
    let a = hopper(&k, "Navy", &["--email", "grace@navy.mil"]);
    let b = hopper(&k, "Navy", &["--email", "grace@navy.mil"]);
    let merge = k.id(&["merge", &a.to_string(), &b.to_string()]);
    // The copy a merge keeps is read back from the store, where another program (or a store
    // imported from a file) may have put anything: a key that would be SQL if spliced.
    let key = "addresses) SELECT NULL WHERE false; CREATE TABLE pwned (x int); --";
    k.sql(
        "UPDATE merges SET before = replace(before, '\"addresses\":', ?1) WHERE id = ?2",
        &[
            common::Arg::Text(&format!("\"{key}\":")),
            common::Arg::Int(merge),
        ],
    );
    let before = dump(&k.db);
    let err = k.fails(&["undo-merge", &merge.to_string()]);
    assert!(one_line(&err).contains(&format!("{key:?}")), "{err}");
    assert_eq!(dump(&k.db), before, "nothing written");
    assert!(!common::tables_on(&k.db).contains(&"pwned".to_string()));
}

/// Runs the `kith merge ...` command that `printed` (what kith said) suggests, word for word.
/// It holds no quote or other character a shell reads, so its words are its spaces' pieces.
fn run_suggested_merge(k: &Kith, printed: &str) -> i64 {
    let line = printed
        .lines()
        .find_map(|l| l.trim().strip_prefix("merge: "))
        .unwrap_or_else(|| panic!("no merge command in:\n{printed}"));
    assert!(
        line.chars()
            .all(|c| c.is_ascii_alphanumeric() || " -=_".contains(c)),
        "{line}"
    );
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words[..2], ["kith", "merge"], "{line}");
    k.id(&words[1..])
}

#[test]
fn the_merge_kith_suggests_for_people_at_two_companies_runs_as_printed() {
    let k = Kith::new();
    let navy = k.add_lead("Navy", &[]);
    k.add_customer("Yale", &[]);
    let a = hopper(&k, "Navy", &["--email", "grace@navy.mil"]);
    hopper(&k, "Yale", &["--email", "grace@navy.mil"]);
    let said = k.ok(&["dupes"]);
    assert!(said.contains("at two companies"), "{said}");
    run_suggested_merge(&k, &said);
    assert_eq!(contact(&k, a)["parent"]["id"], navy, "the first's company");
    assert_eq!(k.contacts_json().len(), 1);

    // The same from an import's summary: the person comes again at a third company, with
    // another address at the same domain (the same address would be skipped as hers).
    let file = k.path("again.csv");
    std::fs::write(
        &file,
        "parent,parent_kind,first_name,last_name,email\nHarvard,customer,Grace,Hopper,hopper@navy.mil\n",
    )
    .unwrap();
    let said = k.ok(&["import", file.to_str().unwrap()]);
    assert!(said.contains("likely duplicates"), "{said}");
    run_suggested_merge(&k, &said);
    assert_eq!(k.contacts_json().len(), 1);
    assert_eq!(contact(&k, a)["parent"]["id"], navy);
}
