//! What README.md promises and no other test checked: where the store is found, edits that
//! clear a field, name lookup by case, config settings taking effect, `kith check`'s own rules,
//! `kith titles`, a failed backup, the notes cap. Each through the real binary.

mod common;

use common::{one_line, Kith};
use std::path::Path;
use std::process::Output;

/// `kith ARGS` with no `--db`, in `k`'s folder, with `env` set: where does it look?
fn without_db(k: &Kith, env: &[(&str, &Path)], args: &[&str]) -> Output {
    let mut cmd = assert_cmd::Command::cargo_bin("kith").unwrap();
    cmd.args(args)
        .env_remove("KITH_DB")
        .env_remove("KITH_CONFIG")
        .env("HOME", k.path("home"))
        .env("XDG_CONFIG_HOME", k.path("xdg-config"))
        .env("XDG_DATA_HOME", k.path("xdg-data"));
    for (key, value) in env {
        cmd.env(key, value);
    }
    cmd.output().unwrap()
}

#[test]
fn the_store_is_the_flag_then_kith_db_then_the_config_then_the_xdg_data_folder() {
    let k = Kith::new();
    let config_dir = k.path("xdg-config").join("kith");
    std::fs::create_dir_all(&config_dir).unwrap();
    let from_config = k.path("from-config.db");
    std::fs::write(
        config_dir.join("config.toml"),
        format!("[store]\npath = {:?}\n", from_config.to_str().unwrap()),
    )
    .unwrap();
    let from_env = k.path("from-env.db");
    let from_flag = k.path("from-flag.db");
    let add = |env: &[(&str, &Path)], extra: &[&str], name: &str| {
        let mut args: Vec<&str> = extra.to_vec();
        args.extend(["lead", "add", "--name", name]);
        let out = without_db(&k, env, &args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    add(
        &[("KITH_DB", &from_env)],
        &["--db", from_flag.to_str().unwrap()],
        "Flag",
    );
    add(&[("KITH_DB", &from_env)], &[], "Env");
    add(&[], &[], "Config");
    std::fs::remove_file(config_dir.join("config.toml")).unwrap();
    add(&[], &[], "Xdg");
    let xdg = k.path("xdg-data").join("kith").join("kith.db");
    for (db, name) in [
        (&from_flag, "Flag"),
        (&from_env, "Env"),
        (&from_config, "Config"),
        (&xdg, "Xdg"),
    ] {
        let doc = k.ok_on(db, &["show", name, "--format", "json"]);
        let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
        assert_eq!(doc["name"], name, "{}", db.display());
        let leads = k.ok_on(db, &["contacts", "--format", "json"]);
        assert_eq!(leads.trim(), "[]");
        assert_eq!(common::mode(db), 0o600);
    }
    assert_eq!(common::mode(xdg.parent().unwrap()), 0o700);
}

#[test]
fn an_empty_value_clears_a_field_and_customer_edit_edits_customers() {
    let k = Kith::new();
    k.add_lead("Initech", &["--industry", "Software", "--source", "fair"]);
    k.ok(&["lead", "edit", "Initech", "--industry", ""]);
    let doc = k.show_json("Initech");
    assert!(doc["industry"].is_null(), "{doc}");
    assert_eq!(doc["source"], "fair", "other fields stay");

    k.add_customer("Globex", &["--industry", "Energy"]);
    k.ok(&["customer", "edit", "Globex", "--industry", "Fusion"]);
    assert_eq!(k.show_json("Globex")["industry"], "Fusion");
    k.ok(&["customer", "edit", "Globex", "--industry", ""]);
    assert!(k.show_json("Globex")["industry"].is_null());
}

#[test]
fn a_name_in_its_exact_case_wins_over_the_same_name_in_another() {
    let k = Kith::new();
    let upper = k.add_lead("ACME", &[]);
    let lower = k.add_lead("acme", &[]);
    assert_eq!(k.show_json("ACME")["id"], upper);
    assert_eq!(k.show_json("acme")["id"], lower);
    let err = k.fails(&["show", "Acme"]);
    assert!(
        one_line(&err).contains("\"Acme\" is ambiguous"),
        "no exact case: ambiguous: {err}"
    );
}

#[test]
fn config_settings_take_effect() {
    let k = Kith::new();
    let config = k.path("config.toml");
    std::fs::write(
        &config,
        "[phone]\ndefault_region = \"GB\"\n\n[titles.aliases]\nRainmaker = [\"Chief Revenue Officer\"]\n",
    )
    .unwrap();
    let with_config = |args: &[&str]| {
        let out = k.run_configured(&k.db, &config, args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    with_config(&["lead", "add", "--name", "Initech"]);
    with_config(&[
        "contact",
        "add",
        "--parent",
        "Initech",
        "--first",
        "Ada",
        "--phone",
        "020 7946 0958",
        "--title",
        "Chief Revenue Officer",
    ]);
    let doc = k.show_json("Initech");
    assert_eq!(doc["contacts"][0]["phones"][0]["number"], "020 7946 0958");
    let db = rusqlite::Connection::open(&k.db).unwrap();
    let e164: String = db
        .query_row("SELECT e164 FROM contact_phones", [], |r| r.get(0))
        .unwrap();
    assert_eq!(e164, "+442079460958", "read as a number in Great Britain");

    let found = with_config(&["contacts", "--title", "rainmaker", "--format", "json"]);
    let found: serde_json::Value = serde_json::from_str(&found).unwrap();
    assert_eq!(
        found.as_array().unwrap().len(),
        1,
        "the alias finds the long form"
    );
    let without = k.ok(&["contacts", "--title", "rainmaker", "--format", "json"]);
    assert_eq!(without.trim(), "[]", "without the config, no alias");
}

#[test]
fn kith_titles_lists_each_title_with_its_count_most_held_first() {
    let k = Kith::new();
    k.add_lead("Initech", &[]);
    for (name, title) in [
        ("Ada", "CTO"),
        ("Bob", "cto"),
        ("Cy", "CEO"),
        ("Di", "CTO"),
        ("Ed", ""),
    ] {
        let mut extra = vec![];
        if !title.is_empty() {
            extra = vec!["--title", title];
        }
        k.add_contact("Initech", name, &extra);
    }
    assert_eq!(k.ok(&["titles"]), "COUNT  TITLE\n3      CTO\n1      CEO\n");
    let json: serde_json::Value =
        serde_json::from_str(&k.ok(&["titles", "--format", "json"])).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{"title": "CTO", "count": 3}, {"title": "CEO", "count": 1}])
    );
}

#[test]
fn kith_check_reports_its_own_rules_and_damage() {
    let k = Kith::new();
    k.add_lead("Initech", &[]);
    let id = k.add_contact("Initech", "Ada", &["--email", "ada@initech.test"]);
    assert_eq!(k.ok(&["check"]), format!("{}: ok\n", k.db.display()));

    // A preferred address that is not among the contact's addresses: kith's own rule.
    let db = rusqlite::Connection::open(&k.db).unwrap();
    db.execute(
        "UPDATE contacts SET email = 'other@initech.test' WHERE id = ?1",
        [id],
    )
    .unwrap();
    drop(db);
    let out = k.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap();
    assert!(said.contains(&format!("#{id}")), "{said}");

    // Bytes of a page overwritten: SQLite's integrity check.
    let k = Kith::new();
    k.ok(&["demo", "--contacts", "300"]);
    k.ok(&["backup", k.path("copy.db").to_str().unwrap()]);
    let copy = k.path("copy.db");
    let mut bytes = std::fs::read(&copy).unwrap();
    let page = 4096 * 5;
    for b in &mut bytes[page + 100..page + 400] {
        *b = 0xA5;
    }
    std::fs::write(&copy, &bytes).unwrap();
    let out = k.cmd_on(&copy).arg("check").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "a damaged store fails the check"
    );
}

#[test]
fn a_backup_that_fails_leaves_nothing_behind() {
    let k = Kith::new();
    k.ok(&["demo", "--contacts", "300"]);
    // A folder that does not exist: named, and not made.
    let dest = k.path("no-such-folder").join("copy.db");
    let err = k.fails(&["backup", dest.to_str().unwrap()]);
    assert!(one_line(&err).contains("no-such-folder"), "{err}");
    assert!(!k.path("no-such-folder").exists());

    // A backup that fails mid-copy, in a folder that exists: the unfinished copy is written
    // beside the backup's name, so this folder is where a leftover would be. The copy fails
    // when it outgrows a file size limit of half the store (writes past it fail with EFBIG
    // once SIGXFSZ is ignored).
    let folder = k.path("backups");
    std::fs::create_dir(&folder).unwrap();
    let dest = folder.join("copy.db");
    let limit = std::fs::metadata(&k.db).unwrap().len() / 2;
    let out = with_file_size_limit(&k, limit, &["backup", dest.to_str().unwrap()]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        one_line(&err).contains(&dest.display().to_string()),
        "{err}"
    );
    let left: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(left.is_empty(), "left in the backup's folder: {left:?}");
    // The same backup without the limit succeeds: it failed for the limit alone.
    k.ok(&["backup", dest.to_str().unwrap()]);
    assert_eq!(
        k.ok_on(&dest, &["check"]),
        format!("{}: ok\n", dest.display())
    );
}

/// `kith ARGS` on `k`'s store, isolated, with no file it writes allowed past `bytes`.
fn with_file_size_limit(k: &Kith, bytes: u64, args: &[&str]) -> Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kith"));
    cmd.arg("--db")
        .arg(&k.db)
        .args(args)
        .env_remove("KITH_DB")
        .env("KITH_CONFIG", &k.config)
        .env("XDG_CONFIG_HOME", k.path("xdg-config"))
        .env("XDG_DATA_HOME", k.path("xdg-data"));
    // SAFETY: between fork and exec only async-signal-safe calls: setrlimit and signal.
    unsafe {
        cmd.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // Ignored, SIGXFSZ stays ignored across exec: a write past the limit fails instead
            // of killing the process.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    cmd.output().expect("kith runs")
}

#[test]
fn notes_are_capped_at_20000_characters_with_the_field_named() {
    let k = Kith::new();
    k.add_lead("Initech", &[]);
    let fits = "n".repeat(20_000);
    k.add_contact("Initech", "Ada", &["--notes", &fits]);
    let long = "n".repeat(20_001);
    let err = k.fails(&[
        "contact", "add", "--parent", "Initech", "--first", "Bob", "--notes", &long,
    ]);
    let line = one_line(&err);
    assert!(line.contains("notes") && line.contains("20000"), "{line}");
    assert_eq!(k.contacts_json().len(), 1, "nothing of Bob was written");
}
