//! `kith sync` through the real binary: a vdir folder and the store kept in step both ways,
//! conflicts kept and settled by the user, bad files left alone, khard reading what kith wrote,
//! and a sync killed at random moments that the next run finishes with nothing lost or doubled.
//!
//! Needs khard installed (Debian package `khard`).

mod common;

use common::{one_line, Kith};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/vcard");

fn folder(k: &Kith) -> PathBuf {
    let dir = k.path("contacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `kith sync --vdir DIR ARGS`: exit code and stdout (stderr must be empty).
fn sync(k: &Kith, dir: &Path, args: &[&str]) -> (i32, String) {
    let mut all = vec!["sync", "--vdir", dir.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = k.run(&all);
    assert!(
        out.stderr.is_empty(),
        "kith {all:?} wrote to stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let code = out.status.code().expect("kith exits");
    (code, String::from_utf8(out.stdout).unwrap())
}

/// A sync that must succeed with exit 0; returns its report.
fn sync_ok(k: &Kith, dir: &Path) -> String {
    let (code, out) = sync(k, dir, &[]);
    assert_eq!(code, 0, "kith sync should exit 0:\n{out}");
    out
}

/// The JSON report of a sync.
fn sync_json(k: &Kith, dir: &Path) -> (i32, Value) {
    let (code, out) = sync(k, dir, &["--format", "json"]);
    (
        code,
        serde_json::from_str(&out).expect("the JSON report parses"),
    )
}

/// Every `.vcf` of the folder, by name, with its content.
fn files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".vcf"))
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// The value of the first `NAME:` line of a card (no parameters, not folded).
fn prop(card: &str, name: &str) -> Option<String> {
    card.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .map(|v| v.trim_end_matches('\r').to_string())
}

fn contact<'a>(list: &'a [Value], name: &str) -> Option<&'a Value> {
    list.iter().find(|c| c["full_name"] == name)
}

fn write_card(dir: &Path, file: &str, uid: &str, name: &str, org: &str, title: &str) {
    let (first, last) = name.split_once(' ').unwrap_or((name, ""));
    let card = format!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{last};{first};;;\r\n\
         EMAIL;TYPE=INTERNET,WORK:{}@{}.example\r\nTEL;TYPE=CELL:+1 415 555 0100\r\n\
         ORG:{org}\r\nTITLE:{title}\r\nX-PHONETIC-FIRST-NAME:{first}\r\nEND:VCARD\r\n",
        first.to_lowercase(),
        org.to_lowercase().replace(' ', "-"),
    );
    std::fs::write(dir.join(file), card).unwrap();
}

#[test]
fn contacts_added_edited_and_deleted_in_kith_follow_in_the_folder() {
    let k = Kith::new();
    let dir = folder(&k);
    k.add_customer("Acme", &[]);
    let ada = k.add_contact("Acme", "Ada", &["--last", "Lovelace", "--title", "CTO"]);
    let out = sync_ok(&k, &dir);
    assert!(
        out.contains("in the folder 1 added, 0 changed, 0 removed"),
        "{out}"
    );
    let uid = k.contacts_json()[0]["uid"].as_str().unwrap().to_string();
    let file = format!("{uid}.vcf");
    let card = &files(&dir)[&file];
    assert_eq!(prop(card, "FN").as_deref(), Some("Ada Lovelace"));
    assert_eq!(prop(card, "TITLE").as_deref(), Some("CTO"));
    assert_eq!(prop(card, "ORG").as_deref(), Some("Acme"));
    assert_eq!(prop(card, "VERSION").as_deref(), Some("3.0"));
    assert_eq!(common::mode(&dir.join(&file)), 0o600);

    k.ok(&["contact", "edit", &ada.to_string(), "--title", "CEO"]);
    let grace = k.add_contact("Acme", "Grace", &["--last", "Hopper"]);
    let out = sync_ok(&k, &dir);
    assert!(
        out.contains("in the folder 1 added, 1 changed, 0 removed"),
        "{out}"
    );
    assert_eq!(prop(&files(&dir)[&file], "TITLE").as_deref(), Some("CEO"));
    assert_eq!(files(&dir).len(), 2);

    k.ok(&["contact", "delete", &ada.to_string()]);
    let out = sync_ok(&k, &dir);
    assert!(
        out.contains("in the folder 0 added, 0 changed, 1 removed"),
        "{out}"
    );
    let left = files(&dir);
    assert!(!left.contains_key(&file), "{left:?}");
    assert_eq!(left.len(), 1);
    assert_eq!(
        prop(left.values().next().unwrap(), "FN").as_deref(),
        Some("Grace Hopper")
    );
    let _ = grace;
}

#[test]
fn files_added_changed_and_removed_in_the_folder_follow_in_kith_at_their_org() {
    let k = Kith::new();
    let dir = folder(&k);
    k.add_customer("IBM", &[]);
    // Real cards: Evolution's (ORG IBM, has a UID) and Android's (no UID in the file).
    std::fs::copy(
        Path::new(FIXTURES).join("ez-vcard/John_Doe_EVOLUTION.vcf"),
        dir.join("john.vcf"),
    )
    .unwrap();
    std::fs::copy(
        Path::new(FIXTURES).join("android/v30_simple.vcf"),
        dir.join("roid.vcf"),
    )
    .unwrap();
    write_card(&dir, "nobody.vcf", "u-nobody", "Nora Nobody", "", "Clerk");
    let before = files(&dir);
    let out = sync_ok(&k, &dir);
    assert!(
        out.contains("in kith 3 added, 0 changed, 0 removed"),
        "{out}"
    );
    assert_eq!(files(&dir), before, "cards taken in are not rewritten");
    let list = k.contacts_json();
    let john = contact(&list, "Mr. John Richter, James Doe Sr.").expect("John Doe");
    assert_eq!(
        john["parent"]["name"], "IBM",
        "ORG picks the existing customer"
    );
    assert_eq!(john["parent"]["kind"], "customer");
    assert_eq!(john["title"], "Money Counter");
    assert_eq!(john["uid"], "477343c8e6bf375a9bac1f96a5000837");
    let roid = contact(&list, "And Roid").expect("the Android card");
    assert_eq!(roid["parent"]["name"], "Open", "a new lead named after ORG");
    assert_eq!(roid["parent"]["kind"], "lead");
    // Without ORG: Unfiled. (An empty ORG line counts as none.)
    let nora = contact(&list, "Nora Nobody").unwrap();
    assert_eq!(nora["parent"]["name"], "Unfiled");

    // Changed in the folder (a new title, a new company) and removed.
    let john_card = std::fs::read_to_string(dir.join("john.vcf")).unwrap();
    let edited = john_card.replace("TITLE:Money Counter", "TITLE:Chief Counter");
    assert_ne!(edited, john_card);
    std::fs::write(dir.join("john.vcf"), edited).unwrap();
    write_card(
        &dir,
        "nobody.vcf",
        "u-nobody",
        "Nora Nobody",
        "Initech",
        "Clerk",
    );
    std::fs::remove_file(dir.join("roid.vcf")).unwrap();
    let out = sync_ok(&k, &dir);
    assert!(
        out.contains("in kith 0 added, 2 changed, 1 removed"),
        "{out}"
    );
    let list = k.contacts_json();
    assert_eq!(list.len(), 2);
    let john = contact(&list, "Mr. John Richter, James Doe Sr.").unwrap();
    assert_eq!(john["title"], "Chief Counter");
    assert!(contact(&list, "And Roid").is_none());
    let nora = contact(&list, "Nora Nobody").unwrap();
    assert_eq!(
        nora["parent"]["name"], "Initech",
        "a changed ORG moves the person"
    );
    assert_eq!(nora["phone"], "+1 415 555 0100");
    k.ok(&["check"]);
}

#[test]
fn an_edit_on_both_sides_is_a_conflict_until_the_user_chooses() {
    let k = Kith::new();
    let dir = folder(&k);
    k.add_lead("Acme", &[]);
    let ada = k.add_contact("Acme", "Ada", &["--title", "CTO"]);
    sync_ok(&k, &dir);
    let uid = k.contacts_json()[0]["uid"].as_str().unwrap().to_string();
    let path = dir.join(format!("{uid}.vcf"));
    let edit_file = |title: &str| {
        let card = std::fs::read_to_string(&path).unwrap();
        let old = prop(&card, "TITLE").unwrap();
        std::fs::write(
            &path,
            card.replace(&format!("TITLE:{old}"), &format!("TITLE:{title}")),
        )
        .unwrap();
    };

    edit_file("Chair");
    k.ok(&["contact", "edit", &ada.to_string(), "--title", "Founder"]);
    let (code, out) = sync(&k, &dir, &[]);
    assert_eq!(code, 1, "a conflict exits 1:\n{out}");
    let line = out
        .lines()
        .find(|l| l.starts_with("conflict: "))
        .unwrap_or_else(|| panic!("no conflict line:\n{out}"));
    assert!(line.contains(&uid) && line.contains("Ada"), "{line}");
    assert!(
        line.contains(&path.canonicalize().unwrap().display().to_string()),
        "{line}"
    );
    assert!(line.contains("changed in kith and in the folder"), "{line}");
    // Both versions kept: kith's in the store, the file's in the folder and in the report.
    assert_eq!(k.contacts_json()[0]["title"], "Founder");
    assert_eq!(
        prop(&std::fs::read_to_string(&path).unwrap(), "TITLE").unwrap(),
        "Chair"
    );
    let (code, report) = sync_json(&k, &dir);
    assert_eq!(code, 1);
    let c = &report["conflict_list"][0];
    assert_eq!(c["uid"], uid);
    assert_eq!(c["kind"], "changed_on_both_sides");
    assert!(c["theirs"].as_str().unwrap().contains("TITLE:Chair"));
    assert_eq!(c["contact_id"], ada);

    // An unknown UID is refused in one line.
    let err = k.fails(&[
        "sync",
        "--vdir",
        dir.to_str().unwrap(),
        "--keep-file",
        "nope",
    ]);
    assert!(
        one_line(&err).contains("no conflict with UID \"nope\""),
        "{err}"
    );

    let (code, out) = sync(&k, &dir, &["--keep-file", &uid]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("with the file's version"), "{out}");
    assert_eq!(k.contacts_json()[0]["title"], "Chair");
    assert!(sync_ok(&k, &dir).contains("0 conflicts"));

    edit_file("Keeper");
    k.ok(&["contact", "edit", &ada.to_string(), "--title", "Kith wins"]);
    assert_eq!(sync(&k, &dir, &[]).0, 1);
    let (code, out) = sync(&k, &dir, &["--keep-kith", &uid]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        prop(&std::fs::read_to_string(&path).unwrap(), "TITLE").unwrap(),
        "Kith wins"
    );
    assert_eq!(k.contacts_json()[0]["title"], "Kith wins");
    let out = sync_ok(&k, &dir);
    assert!(out.contains("0 conflicts"), "{out}");
}

#[test]
fn a_deletion_on_one_side_with_an_edit_on_the_other_is_a_conflict() {
    let k = Kith::new();
    let dir = folder(&k);
    k.add_lead("Acme", &[]);
    let ada = k.add_contact("Acme", "Ada", &["--title", "CTO"]);
    let bob = k.add_contact("Acme", "Bob", &["--title", "CFO"]);
    sync_ok(&k, &dir);
    let list = k.contacts_json();
    let uid = |name: &str| {
        contact(&list, name).unwrap()["uid"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (ada_uid, bob_uid) = (uid("Ada"), uid("Bob"));
    let ada_file = dir.join(format!("{ada_uid}.vcf"));
    let bob_file = dir.join(format!("{bob_uid}.vcf"));

    // Ada: edited in the folder, deleted in kith. Bob: edited in kith, deleted in the folder.
    let card = std::fs::read_to_string(&ada_file).unwrap();
    std::fs::write(&ada_file, card.replace("TITLE:CTO", "TITLE:Edited")).unwrap();
    k.ok(&["contact", "delete", &ada.to_string()]);
    k.ok(&["contact", "edit", &bob.to_string(), "--title", "Edited"]);
    std::fs::remove_file(&bob_file).unwrap();
    let (code, report) = sync_json(&k, &dir);
    assert_eq!(code, 1);
    let kinds: BTreeMap<String, String> = report["conflict_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["uid"].as_str().unwrap().into(),
                c["kind"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        kinds.get(&ada_uid).map(String::as_str),
        Some("deleted_in_kith")
    );
    assert_eq!(
        kinds.get(&bob_uid).map(String::as_str),
        Some("deleted_in_folder")
    );
    // Nothing was written over or removed on either side.
    assert!(ada_file.exists() && !bob_file.exists());
    assert_eq!(k.contacts_json().len(), 1);

    // Take the folder's side for Ada (she comes back), kith's for Bob (his file comes back).
    assert_eq!(
        sync(&k, &dir, &["--keep-file", &ada_uid]).0,
        1,
        "Bob still waits"
    );
    assert_eq!(sync(&k, &dir, &["--keep-kith", &bob_uid]).0, 0);
    let list = k.contacts_json();
    assert_eq!(contact(&list, "Ada").unwrap()["title"], "Edited");
    assert_eq!(
        prop(&std::fs::read_to_string(&bob_file).unwrap(), "TITLE").unwrap(),
        "Edited"
    );
    assert_eq!(files(&dir).len(), 2);
}

#[test]
fn a_second_sync_in_a_row_changes_nothing() {
    let k = Kith::new();
    let dir = folder(&k);
    k.add_lead("Acme", &[]);
    for name in ["Ada", "Grace", "Alan"] {
        k.add_contact(
            "Acme",
            name,
            &["--email", &format!("{}@acme.example", name.to_lowercase())],
        );
    }
    std::fs::copy(
        Path::new(FIXTURES).join("ez-vcard/John_Doe_IPHONE.vcf"),
        dir.join("iphone.vcf"),
    )
    .unwrap();
    sync_ok(&k, &dir);
    let folder_before = files(&dir);
    let store_before = k.contacts_json();
    let history: Vec<String> = store_before.iter().map(|c| c["id"].to_string()).collect();
    let out = sync_ok(&k, &dir);
    assert!(
        out.contains(
            "in kith 0 added, 0 changed, 0 removed; in the folder 0 added, 0 changed, 0 removed"
        ),
        "{out}"
    );
    assert_eq!(
        files(&dir),
        folder_before,
        "the folder is byte for byte the same"
    );
    assert_eq!(k.contacts_json(), store_before, "the store is the same");
    assert_eq!(folder_before.len(), 4);
    assert_eq!(history.len(), 4);
}

#[test]
fn a_card_kith_already_has_is_linked_on_the_first_sync_and_a_different_one_is_a_conflict() {
    let k = Kith::new();
    k.add_lead("Acme", &[]);
    k.add_contact("Acme", "Ada", &["--title", "CTO"]);
    k.add_contact("Acme", "Bob", &["--title", "CFO"]);
    // A folder made from kith's own export (as a user does before syncing), then one card
    // changed there.
    let dir = folder(&k);
    let export = k.ok(&["export", "--format", "vcard"]);
    for card in export.split_inclusive("END:VCARD\r\n") {
        let uid = prop(card, "UID").unwrap();
        std::fs::write(dir.join(format!("{uid}.vcf")), card).unwrap();
    }
    let list = k.contacts_json();
    let bob = contact(&list, "Bob").unwrap()["uid"]
        .as_str()
        .unwrap()
        .to_string();
    let bob_file = dir.join(format!("{bob}.vcf"));
    let card = std::fs::read_to_string(&bob_file).unwrap();
    std::fs::write(&bob_file, card.replace("TITLE:CFO", "TITLE:Treasurer")).unwrap();
    let (code, report) = sync_json(&k, &dir);
    assert_eq!(code, 1);
    assert_eq!(report["linked"], 1, "{report}");
    assert_eq!(report["added_in_kith"], 0);
    assert_eq!(report["added_in_folder"], 0);
    assert_eq!(report["conflict_list"][0]["uid"], bob);
    assert_eq!(k.contacts_json().len(), 2, "nobody doubled");
    assert_eq!(files(&dir).len(), 2);
}

#[test]
fn bad_files_are_reported_by_name_and_line_and_left_alone() {
    let k = Kith::new();
    let dir = folder(&k);
    let broken = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Half\r\n";
    std::fs::write(dir.join("broken.vcf"), broken).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a card").unwrap();
    std::fs::write(dir.join(".hidden.vcf"), "dot-files are not cards").unwrap();
    write_card(&dir, "good.vcf", "u-good", "Gina Good", "Acme", "CTO");
    std::os::unix::fs::symlink(dir.join("good.vcf"), dir.join("link.vcf")).unwrap();
    let (code, out) = sync(&k, &dir, &[]);
    assert_eq!(code, 1, "bad files exit 1:\n{out}");
    let canon = dir.canonicalize().unwrap();
    let bad: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("bad file: "))
        .collect();
    assert_eq!(bad.len(), 2, "{out}");
    assert!(
        bad.iter().any(|l| l.starts_with(&format!(
            "bad file: {}:1: ",
            canon.join("broken.vcf").display()
        ))),
        "{out}"
    );
    assert!(
        bad.iter()
            .any(|l| l.contains("link.vcf") && l.contains("symbolic link")),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("broken.vcf")).unwrap(),
        broken
    );
    assert!(std::fs::symlink_metadata(dir.join("link.vcf"))
        .unwrap()
        .file_type()
        .is_symlink());
    let list = k.contacts_json();
    assert_eq!(list.len(), 1, "only the good card is taken: {list:?}");
    assert_eq!(list[0]["full_name"], "Gina Good");
}

#[test]
fn without_a_folder_sync_says_how_to_give_one_and_the_config_can() {
    let k = Kith::new();
    let err = k.fails(&["sync"]);
    let line = one_line(&err);
    assert!(
        line.contains("--vdir DIR") && line.contains("[vdir]"),
        "{line}"
    );

    k.add_lead("Acme", &[]);
    k.add_contact("Acme", "Ada", &[]);
    let dir = k.path("configured");
    let config = k.path("config.toml");
    std::fs::write(
        &config,
        format!("[vdir]\npath = \"{}\"\nversion = 4\n", dir.display()),
    )
    .unwrap();
    let out = k.run_configured(&k.db, &config, &["sync"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = files(&dir);
    assert_eq!(written.len(), 1);
    assert_eq!(
        prop(written.values().next().unwrap(), "VERSION").as_deref(),
        Some("4.0")
    );

    std::fs::write(&config, "[vdir]\nversion = 5\n").unwrap();
    let out = k.run_configured(&k.db, &config, &["sync"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success());
    assert!(one_line(&err).contains("config.toml:2:"), "{err}");
}

#[test]
fn khard_lists_the_people_kith_wrote_to_the_vdir() {
    let k = Kith::new();
    let dir = folder(&k);
    k.add_customer("Acme", &[]);
    k.add_lead("Globex", &[]);
    k.add_contact(
        "Acme",
        "Ada",
        &[
            "--last",
            "Lovelace",
            "--email",
            "ada@acme.example",
            "--title",
            "CTO",
        ],
    );
    k.add_contact(
        "Globex",
        "Hank",
        &["--last", "Scorpio", "--email", "hank@globex.example"],
    );
    k.add_contact(
        "Acme",
        "山田",
        &["--last", "太郎", "--email", "taro@acme.example"],
    );
    sync_ok(&k, &dir);
    let conf = k.path("khard.conf");
    std::fs::write(
        &conf,
        format!(
            "[addressbooks]\n[[kith]]\npath = {}\n\n[general]\ndebug = no\ndefault_action = list\n\
             editor = /bin/true\nmerge_editor = /bin/true\n\n[contact table]\n\
             display = formatted_name\ngroup_by_addressbook = no\nreverse = no\n\
             show_nicknames = no\nshow_uids = no\nsort = last_name\nlocalize_dates = yes\n\
             preferred_phone_number_type = pref, cell, home\n\
             preferred_email_address_type = pref, work, home\n\n[vcard]\n\
             preferred_version = 3.0\nsearch_in_source_files = no\nskip_unparsable = no\n",
            dir.display()
        ),
    )
    .unwrap();
    let out = std::process::Command::new("khard")
        .arg("-c")
        .arg(&conf)
        .args([
            "list",
            "--parsable",
            "--fields",
            "uid,formatted_name,emails,organisations",
        ])
        .env("HOME", k.dir.path())
        .env("XDG_CONFIG_HOME", k.path("xdg-config"))
        .env("XDG_CACHE_HOME", k.path("xdg-cache"))
        .output()
        .expect("khard runs (Debian package khard)");
    assert!(
        out.status.success(),
        "khard: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8(out.stdout).unwrap();
    let rows: BTreeMap<String, Vec<String>> = listed
        .lines()
        .map(|l| {
            let cols: Vec<String> = l.split('\t').map(str::to_string).collect();
            (cols[0].clone(), cols)
        })
        .collect();
    let list = k.contacts_json();
    assert_eq!(
        rows.len(),
        list.len(),
        "khard lists each person once:\n{listed}"
    );
    for c in &list {
        let row = &rows[c["uid"].as_str().unwrap()];
        assert_eq!(row[1], c["full_name"].as_str().unwrap());
        assert!(row[2].contains(c["email"].as_str().unwrap()), "{row:?}");
        assert!(
            row[3].contains(c["parent"]["name"].as_str().unwrap()),
            "{row:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Killed at random moments
// ---------------------------------------------------------------------------------------------

/// A small deterministic generator, so a failing round can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

fn spawn_sync(k: &Kith, dir: &Path) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("kith"))
        .arg("--db")
        .arg(&k.db)
        .args(["sync", "--vdir", dir.to_str().unwrap()])
        .env_remove("KITH_DB")
        .env("KITH_CONFIG", &k.config)
        .env("XDG_CONFIG_HOME", k.path("xdg-config"))
        .env("XDG_DATA_HOME", k.path("xdg-data"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("kith starts")
}

#[test]
fn sync_killed_at_random_moments_is_finished_by_the_next_run_with_nothing_lost_or_doubled() {
    let k = Kith::new();
    let dir = folder(&k);
    // 150 people made in kith, 150 cards made in the folder.
    let mut csv = String::from("parent,first_name,last_name,email,title\n");
    for i in 0..150 {
        csv.push_str(&format!(
            "Kith Co {},K{i},Person,k{i}@kith.example,start\n",
            i % 5
        ));
    }
    std::fs::write(k.path("people.csv"), csv).unwrap();
    k.ok(&["import", k.path("people.csv").to_str().unwrap()]);
    for i in 0..150 {
        let name = format!("F{i} Person");
        write_card(
            &dir,
            &format!("F{i}.vcf"),
            &format!("file-{i}"),
            &name,
            "Folder Co",
            "start",
        );
    }
    // What each side must end with: every edit made on either side, nothing else.
    let mut want: BTreeMap<String, String> = BTreeMap::new();
    let mut kith_ids: Vec<(String, i64)> = Vec::new();
    for c in k.contacts_json() {
        let name = c["full_name"].as_str().unwrap().to_string();
        want.insert(name.clone(), "start".into());
        kith_ids.push((name, c["id"].as_i64().unwrap()));
    }
    let mut folder_cards: Vec<(String, String)> = (0..150)
        .map(|i| (format!("F{i}.vcf"), format!("F{i} Person")))
        .collect();
    for (_, name) in &folder_cards {
        want.insert(name.clone(), "start".into());
    }

    // How long one whole sync takes here, to kill within it.
    let started = Instant::now();
    sync_ok(&k, &dir);
    let whole = started.elapsed().as_micros() as u64;

    let mut rng = Lcg(0x5eed);
    let mut killed = 0;
    let mut companies: Vec<String> = (0..5).map(|i| format!("Kith Co {i}")).collect();
    for round in 0..30 {
        // A company renamed: each of its thirty people's cards is written again.
        let at = round % 5;
        let renamed = format!("Kith Co {at} r{round}");
        k.ok(&["lead", "edit", &companies[at], "--name", &renamed]);
        companies[at] = renamed;
        // kith: three edits, one new person, one deletion.
        for _ in 0..3 {
            let (name, id) = &kith_ids[rng.below(kith_ids.len() as u64) as usize];
            let title = format!("kith {round}");
            k.ok(&["contact", "edit", &id.to_string(), "--title", &title]);
            want.insert(name.clone(), title);
        }
        let name = format!("KN{round} Person");
        let id = k.add_contact(
            &companies[0],
            &format!("KN{round}"),
            &["--last", "Person", "--title", "new"],
        );
        want.insert(name.clone(), "new".into());
        kith_ids.push((name, id));
        let (gone, id) = kith_ids.remove(rng.below(kith_ids.len() as u64) as usize);
        k.ok(&["contact", "delete", &id.to_string()]);
        want.remove(&gone);
        // The folder: three edits, one new card, one removal.
        for _ in 0..3 {
            let (file, name) = &folder_cards[rng.below(folder_cards.len() as u64) as usize];
            let title = format!("file {round}");
            let uid = prop(&std::fs::read_to_string(dir.join(file)).unwrap(), "UID").unwrap();
            write_card(&dir, file, &uid, name, "Folder Co", &title);
            want.insert(name.clone(), title);
        }
        let (file, name) = (format!("FN{round}.vcf"), format!("FN{round} Person"));
        write_card(
            &dir,
            &file,
            &format!("file-new-{round}"),
            &name,
            "Folder Co",
            "new",
        );
        want.insert(name.clone(), "new".into());
        folder_cards.push((file, name));
        let (file, gone) = folder_cards.remove(rng.below(folder_cards.len() as u64) as usize);
        std::fs::remove_file(dir.join(file)).unwrap();
        want.remove(&gone);

        let mut child = spawn_sync(&k, &dir);
        std::thread::sleep(Duration::from_micros(rng.below(whole)));
        unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
        let status = child.wait().unwrap();
        killed += usize::from(std::os::unix::process::ExitStatusExt::signal(&status) == Some(9));
        k.ok(&["check"]);
    }
    assert!(
        killed >= 10,
        "only {killed} of 30 syncs were killed before they finished"
    );

    // The next run finishes the job; the one after has nothing left to do.
    let out = sync_ok(&k, &dir);
    assert!(out.contains("0 conflicts, 0 bad files"), "{out}");
    let (code, report) = sync_json(&k, &dir);
    assert_eq!(code, 0);
    for n in [
        "added_in_kith",
        "changed_in_kith",
        "removed_in_kith",
        "added_in_folder",
        "changed_in_folder",
        "removed_in_folder",
        "linked",
    ] {
        assert_eq!(report[n], 0, "{n} after a finished sync: {report}");
    }
    k.ok(&["check"]);

    // kith: every person once, with the last title either side gave them.
    let list = k.contacts_json();
    let got: BTreeMap<String, String> = list
        .iter()
        .map(|c| {
            (
                c["full_name"].as_str().unwrap().into(),
                c["title"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(list.len(), got.len(), "nobody doubled in kith");
    assert_eq!(got, want, "kith holds every edit of both sides");
    // The folder: one file per person, with the same content.
    let cards = files(&dir);
    let uids: BTreeSet<String> = cards.values().map(|c| prop(c, "UID").unwrap()).collect();
    assert_eq!(uids.len(), cards.len(), "no UID in two files");
    let in_folder: BTreeMap<String, String> = cards
        .values()
        .map(|c| (prop(c, "FN").unwrap(), prop(c, "TITLE").unwrap()))
        .collect();
    assert_eq!(cards.len(), want.len(), "one file per person");
    assert_eq!(in_folder, want, "the folder holds every edit of both sides");
    for c in &list {
        let card = cards
            .values()
            .find(|card| prop(card, "UID").as_deref() == c["uid"].as_str())
            .unwrap();
        let org = prop(card, "ORG").unwrap();
        assert_eq!(
            org,
            c["parent"]["name"].as_str().unwrap(),
            "ORG of {}",
            c["full_name"]
        );
    }
    let kith_uids: BTreeSet<String> = list
        .iter()
        .map(|c| c["uid"].as_str().unwrap().into())
        .collect();
    assert_eq!(kith_uids, uids, "the same cards on both sides");
    // No temporary file left behind.
    let leftovers: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".kith-sync.lock")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

// ---------------------------------------------------------------------------------------------
// A vanished or emptied folder; deletions kept for undo
// ---------------------------------------------------------------------------------------------

/// The tables that hold people and their timelines, each row as text, in key order.
const PEOPLE_TABLES: &[&str] = &[
    "parents",
    "contacts",
    "contact_emails",
    "contact_phones",
    "contact_tags",
    "activities",
    "activity_participants",
];

/// Every row of `tables`, as text, table by table.
fn rows_of(k: &Kith, tables: &[&str]) -> Vec<Vec<Vec<String>>> {
    tables
        .iter()
        .map(|t| common::rows_on(&k.db, &format!("SELECT * FROM {t} ORDER BY 1, 2")))
        .collect()
}

/// What a refused sync must leave as it was: every person as exported, every row of the
/// people's tables and of what sync remembers, the history.
fn store_as_is(k: &Kith) -> (String, Vec<Vec<Vec<String>>>) {
    let mut tables = PEOPLE_TABLES.to_vec();
    tables.extend(["history", "sync_state", "sync_conflicts", "sync_runs"]);
    (k.ok(&["export", "--format", "json"]), rows_of(k, &tables))
}

/// Every entry of a folder, dot-files included, with the content of each file.
fn folder_as_is(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

/// Acme with `n` people (each with an email, a note about them and a cadence), synced.
fn synced_people(k: &Kith, dir: &Path, n: usize) -> Vec<i64> {
    k.add_lead("Acme", &[]);
    let ids: Vec<i64> = (0..n)
        .map(|i| {
            let email = format!("p{i}@acme.example");
            let id = k.add_contact("Acme", &format!("P{i}"), &["--email", &email]);
            k.ok(&["contact", "edit", &id.to_string(), "--every", "30"]);
            k.ok(&[
                "note",
                "Acme",
                "--contact",
                &id.to_string(),
                "met",
                "P",
                &i.to_string(),
            ]);
            id
        })
        .collect();
    sync_ok(k, dir);
    assert_eq!(files(dir).len(), n);
    ids
}

fn remove_cards(dir: &Path, how_many: usize) {
    for name in files(dir).keys().take(how_many) {
        std::fs::remove_file(dir.join(name)).unwrap();
    }
}

/// The change id a sync's report gives for `kith undo`.
fn undo_id(report: &str) -> String {
    let at = report
        .find("kith undo ")
        .unwrap_or_else(|| panic!("the report names no undo: {report}"));
    report[at + "kith undo ".len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

/// `kith sync --vdir DIR ARGS`, which must refuse: its one line on stderr, once it is checked
/// that the store, what sync remembers and the folder (or its absence) are as they were.
fn refused(k: &Kith, dir: &Path, args: &[&str]) -> String {
    let before = store_as_is(k);
    let folder_before = dir.exists().then(|| folder_as_is(dir));
    let mut all = vec!["sync", "--vdir", dir.to_str().unwrap()];
    all.extend_from_slice(args);
    let err = k.fails(&all);
    assert_eq!(store_as_is(k), before, "the store is as it was");
    let folder_after = dir.exists().then(|| folder_as_is(dir));
    assert_eq!(folder_after, folder_before, "the folder is as it was");
    one_line(&err).to_string()
}

/// `mv D D.moved` (a typo, a disk not mounted): the sync of D refuses, naming D and how many
/// it would delete, changes nothing and does not make D again.
#[test]
fn a_sync_of_a_folder_moved_away_refuses_and_changes_nothing() {
    let k = Kith::new();
    let dir = folder(&k);
    synced_people(&k, &dir, 5);
    let canon = dir.canonicalize().unwrap();
    let moved = k.path("contacts.moved");
    std::fs::rename(&dir, &moved).unwrap();
    let moved_before = folder_as_is(&moved);

    let line = refused(&k, &dir, &[]);
    assert!(line.contains(&canon.display().to_string()), "{line}");
    assert!(
        line.contains("missing")
            && line.contains("the 5 people")
            && line.contains("--force-delete"),
        "says why, how many and the flag: {line}"
    );
    assert!(!dir.exists(), "the folder is not made again");
    assert_eq!(folder_as_is(&moved), moved_before);

    // Put back, the next sync finds both sides as they were.
    std::fs::rename(&moved, &dir).unwrap();
    let out = sync_ok(&k, &dir);
    assert!(
        out.contains("in kith 0 added, 0 changed, 0 removed"),
        "{out}"
    );
    assert_eq!(k.contacts_json().len(), 5);
}

/// `rm D/*.vcf` (or an empty mount point): refused, changing nothing; the same with JSON.
#[test]
fn a_sync_of_an_emptied_folder_refuses_and_changes_nothing() {
    let k = Kith::new();
    let dir = folder(&k);
    synced_people(&k, &dir, 5);
    remove_cards(&dir, 5);
    let line = refused(&k, &dir, &[]);
    let canon = dir.canonicalize().unwrap();
    assert!(line.contains(&canon.display().to_string()), "{line}");
    assert!(
        line.contains("all 5 people") && line.contains("--force-delete"),
        "says why, how many and the flag: {line}"
    );
    refused(&k, &dir, &["--format", "json"]);
}

/// One person synced, their card removed: that is every synced card.
#[test]
fn the_last_synced_card_of_one_is_every_synced_card() {
    let k = Kith::new();
    let dir = folder(&k);
    synced_people(&k, &dir, 1);
    remove_cards(&dir, 1);
    let line = refused(&k, &dir, &[]);
    assert!(
        line.contains("the one person") && line.contains("--force-delete"),
        "{line}"
    );
}

/// More than `vdir.max_delete_share` (half) of the synced cards gone: refused; less is not;
/// `--force-delete` deletes them, keeping them for `kith undo`.
#[test]
fn deleting_more_than_the_share_is_refused_until_forced() {
    let k = Kith::new();
    let dir = folder(&k);
    synced_people(&k, &dir, 5);
    remove_cards(&dir, 2);
    let out = sync_ok(&k, &dir);
    assert!(
        out.contains("in kith 0 added, 0 changed, 2 removed"),
        "two of five: {out}"
    );
    remove_cards(&dir, 2);
    let line = refused(&k, &dir, &[]);
    assert!(
        line.contains("2 of the 3 people")
            && line.contains("vdir.max_delete_share (0.5)")
            && line.contains("--force-delete"),
        "says why, how many and the flag: {line}"
    );

    let (code, out) = sync(&k, &dir, &["--force-delete"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("in kith 0 added, 0 changed, 2 removed; kith undo "),
        "{out}"
    );
    assert!(!undo_id(&out).is_empty(), "{out}");
    assert_eq!(k.contacts_json().len(), 1);
    assert!(sync_ok(&k, &dir).contains("in kith 0 added, 0 changed, 0 removed"));
}

/// `vdir.max_delete_share` lets a sync delete more; a value that is not a share from 0 to 1 is
/// refused with the config's file, line and column.
#[test]
fn the_share_is_a_setting_checked_where_it_is_written() {
    let k = Kith::new();
    let dir = folder(&k);
    synced_people(&k, &dir, 4);
    remove_cards(&dir, 3);
    let config = k.path("config.toml");
    std::fs::write(&config, "[vdir]\nmax_delete_share = 0.8\n").unwrap();
    let args = ["sync", "--vdir", dir.to_str().unwrap()];
    let out = k.run_configured(&k.db, &config, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(k.contacts_json().len(), 1);

    for bad in ["1.5", "-0.1", "\"half\""] {
        std::fs::write(&config, format!("[vdir]\nmax_delete_share = {bad}\n")).unwrap();
        let out = k.run_configured(&k.db, &config, &args);
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(!out.status.success());
        let line = one_line(&err);
        assert!(
            line.contains("config.toml:2:") && line.contains("max_delete_share"),
            "{line}"
        );
    }
}

/// After a forced sync deleted four people, `kith undo N` restores them exactly: the same ids,
/// rows, lists, cadences, notes linked, the link of one who moved on to one of them, history;
/// the next sync writes their cards back once and deletes no one.
#[test]
fn undo_brings_back_the_people_a_forced_sync_deleted_with_their_timelines() {
    let k = Kith::new();
    let dir = folder(&k);
    let ids = synced_people(&k, &dir, 3);
    k.ok(&[
        "contact",
        "edit",
        &ids[0].to_string(),
        "--phone",
        "+1 415 555 0199",
        "--tags",
        "vip,board",
    ]);
    // One email to P0 and P1: one entry with both in it, which must name both again.
    let mail = "From: Sam <sam@example.org>\r\nTo: p0@acme.example, p1@acme.example\r\n\
                Subject: the offer\r\nMessage-ID: <offer@example.org>\r\n\
                Date: Mon, 30 Nov 2026 10:00:00 +0000\r\n\r\nHello both.\r\n";
    k.cmd().arg("log").write_stdin(mail).assert().success();
    // One who moved on to a person the sync deletes: the link comes back too.
    k.add_lead("Globex", &[]);
    let old = k.add_contact("Globex", "Dee", &["--last", "Old"]);
    let new = k.id(&["contact", "move", &old.to_string(), "--to", "Acme"]);
    sync_ok(&k, &dir);
    let before = rows_of(&k, PEOPLE_TABLES);
    let history_before = rows_of(&k, &["history"]).remove(0);
    let uids: BTreeSet<String> = files(&dir)
        .values()
        .filter_map(|c| prop(c, "UID"))
        .collect();

    // The three of Acme and Dee's new self gone from the folder, deleted by a forced sync.
    for id in [ids[0], ids[1], ids[2], new] {
        let uid = k.contacts_json().iter().find(|c| c["id"] == id).unwrap()["uid"]
            .as_str()
            .unwrap()
            .to_string();
        std::fs::remove_file(dir.join(format!("{uid}.vcf"))).unwrap();
    }
    let (code, out) = sync(&k, &dir, &["--force-delete"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("4 removed"), "{out}");
    let change = undo_id(&out);
    assert!(
        out.contains(&format!("kith undo {change} brings them back")),
        "{out}"
    );
    assert_eq!(k.contacts_json().len(), 1, "only old Dee is left");
    // A backup keeps them too (from PostgreSQL, an SQLite file made table by table).
    let backup = k.path("backup.db");
    k.ok(&["backup", backup.to_str().unwrap()]);
    k.ok_on(&backup, &["undo", &change]);
    let ids_of = |list: Vec<Value>| -> BTreeSet<i64> {
        list.iter().map(|c| c["id"].as_i64().unwrap()).collect()
    };
    let restored = ids_of(k.contacts_json_on(&backup));

    let undone = k.ok(&["undo", &change]);
    assert!(undone.contains("P0") && undone.contains("Dee"), "{undone}");
    // Exactly as they were: the same ids, fields, emails, phones, tags, cadences, notes linked
    // to them, the link of the one who moved on.
    assert_eq!(rows_of(&k, PEOPLE_TABLES), before);
    let history = rows_of(&k, &["history"]).remove(0);
    assert_eq!(
        history[..history_before.len()],
        history_before[..],
        "history kept"
    );
    let shown = k.show_json("Acme");
    for &id in &ids {
        assert!(
            shown["activities"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["contact_id"] == id),
            "the note about #{id} is on their timeline again: {shown}"
        );
    }
    k.ok(&["check"]);
    assert_eq!(
        restored,
        ids_of(k.contacts_json()),
        "the backup's undo is the same"
    );

    // The next sync writes their cards back, once each, and deletes no one.
    let out = sync_ok(&k, &dir);
    assert!(
        out.contains("in kith 0 added, 0 changed, 0 removed; in the folder 4 added"),
        "{out}"
    );
    let again: BTreeSet<String> = files(&dir)
        .values()
        .filter_map(|c| prop(c, "UID"))
        .collect();
    assert_eq!(again, uids);
    assert_eq!(files(&dir).len(), uids.len());
    assert!(sync_ok(&k, &dir).contains(
        "in kith 0 added, 0 changed, 0 removed; in the folder 0 added, 0 changed, 0 removed"
    ));
    assert_eq!(rows_of(&k, PEOPLE_TABLES), before);

    // Undone once.
    let err = k.fails(&["undo", &change]);
    assert!(one_line(&err).contains("already undone"), "{err}");
}

/// Undo refuses, naming why and changing nothing, when the cards came back as new people with
/// the same UIDs, or the company was merged away (until that merge is undone).
#[test]
fn undo_refuses_what_it_cannot_restore_exactly_and_changes_nothing() {
    let k = Kith::new();
    let dir = folder(&k);
    let old_ids = synced_people(&k, &dir, 2);
    let moved = k.path("contacts.moved");
    std::fs::rename(&dir, &moved).unwrap();
    let (code, out) = sync(&k, &dir, &["--force-delete"]);
    assert_eq!(code, 0, "{out}");
    let change = undo_id(&out);
    assert!(k.contacts_json().is_empty());

    // The folder put back and synced: the cards came back as new people with the same UIDs.
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::rename(&moved, &dir).unwrap();
    let out = sync_ok(&k, &dir);
    assert!(out.contains("in kith 2 added"), "{out}");
    for c in k.contacts_json() {
        let id = c["id"].as_i64().unwrap();
        assert!(!old_ids.contains(&id), "#{id} stays reserved for undo");
    }
    let before = store_as_is(&k);
    let err = k.fails(&["undo", &change]);
    let line = one_line(&err);
    assert!(
        line.contains(&format!("change {change}")) && line.contains("UID"),
        "{line}"
    );
    assert_eq!(store_as_is(&k), before);

    // Their company merged away since: undo says which merge to undo first.
    let k = Kith::new();
    let dir = folder(&k);
    synced_people(&k, &dir, 1);
    remove_cards(&dir, 1);
    let (code, out) = sync(&k, &dir, &["--force-delete"]);
    assert_eq!(code, 0, "{out}");
    let change = undo_id(&out);
    let acme = k.show_json("Acme")["id"].as_i64().unwrap();
    let globex = k.add_lead("Globex", &[]);
    let merge = k.ok(&[
        "merge",
        "--kind",
        "parent",
        &globex.to_string(),
        &acme.to_string(),
    ]);
    let merge = merge.trim();
    let before = store_as_is(&k);
    let err = k.fails(&["undo", &change]);
    let line = one_line(&err);
    assert!(
        line.contains("Acme") && line.contains(&format!("undo-merge {merge}")),
        "{line}"
    );
    assert_eq!(store_as_is(&k), before);
    k.ok(&["undo-merge", merge]);
    k.ok(&["undo", &change]);
    assert_eq!(k.contacts_json().len(), 1);
    // With nothing left to undo, a bare `kith undo` says so.
    let err = k.fails(&["undo"]);
    assert!(one_line(&err).contains("nothing to undo"), "{err}");
}
