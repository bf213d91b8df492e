//! Several real `kith` processes on one store at the same time, as a team on a shared server
//! would run them: nobody sees "database is locked" and nothing is lost.

mod common;

use common::Kith;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Barrier};
use std::thread;

fn kith_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("kith")
}

/// A plain `std::process::Command` for `kith --db <db>`, isolated like [`common::isolate`].
fn kith(k: &Kith, db: &Path) -> Command {
    let mut cmd = Command::new(kith_bin());
    cmd.arg("--db")
        .arg(db)
        .env_remove("KITH_DB")
        .env("KITH_CONFIG", &k.config)
        .env("XDG_CONFIG_HOME", k.path("xdg-config"))
        .env("XDG_DATA_HOME", k.path("xdg-data"));
    cmd
}

fn describe(what: &str, out: &Output) -> String {
    format!(
        "{what}: exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn four_processes_adding_contacts_at_once_all_succeed_and_lose_nothing() {
    let k = Kith::new();
    k.add_lead("Lead", &[]);

    const WRITERS: usize = 4;
    const EACH: usize = 25;
    let start = Arc::new(Barrier::new(WRITERS));
    let handles: Vec<_> = (0..WRITERS)
        .map(|t| {
            let start = Arc::clone(&start);
            let mut cmds: Vec<(String, Command)> = (0..EACH)
                .map(|i| {
                    let name = format!("W{t}-{i}");
                    let mut cmd = kith(&k, &k.db);
                    cmd.args(["contact", "add", "--parent", "Lead", "--first", &name]);
                    (name, cmd)
                })
                .collect();
            thread::spawn(move || {
                start.wait();
                cmds.iter_mut()
                    .map(|(name, cmd)| {
                        let out = cmd.output().expect("kith runs");
                        (name.clone(), out)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();

    let mut failures = Vec::new();
    for h in handles {
        for (name, out) in h.join().expect("a writer thread") {
            let stderr = String::from_utf8_lossy(&out.stderr);
            if !out.status.success() || stderr.contains("locked") || !stderr.is_empty() {
                failures.push(describe(&name, &out));
            } else {
                let id = String::from_utf8_lossy(&out.stdout);
                assert!(id.trim().parse::<i64>().is_ok(), "{name} printed {id:?}");
            }
        }
    }
    assert!(
        failures.is_empty(),
        "failed writes:\n{}",
        failures.join("\n")
    );

    let list = k.contacts_json();
    assert_eq!(list.len(), WRITERS * EACH);
    let names: BTreeSet<&str> = list
        .iter()
        .map(|c| c["full_name"].as_str().unwrap())
        .collect();
    let expected: BTreeSet<String> = (0..WRITERS)
        .flat_map(|t| (0..EACH).map(move |i| format!("W{t}-{i}")))
        .collect();
    assert_eq!(
        names,
        expected.iter().map(String::as_str).collect::<BTreeSet<_>>()
    );
    let check = k.run(&["check"]);
    assert!(check.status.success(), "{}", describe("check", &check));
}

#[test]
fn four_processes_creating_the_same_new_store_at_once_all_succeed() {
    const PROCESSES: usize = 4;
    // A few rounds, each on a brand-new store in a folder that does not exist yet.
    for round in 0..20 {
        let k = Kith::new();
        // A new database on the server; a file in a folder not made yet.
        let db = match common::backend() {
            common::Backend::Postgres => k.db.clone(),
            common::Backend::Sqlite => k.path("team").join("kith.db"),
        };
        let start = Arc::new(Barrier::new(PROCESSES));
        let handles: Vec<_> = (0..PROCESSES)
            .map(|t| {
                let start = Arc::clone(&start);
                let mut cmd = kith(&k, &db);
                cmd.args(["lead", "add", "--name", &format!("L{t}")]);
                thread::spawn(move || {
                    start.wait();
                    cmd.output().expect("kith runs")
                })
            })
            .collect();
        let outs: Vec<Output> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        for (t, out) in outs.iter().enumerate() {
            assert!(
                out.status.success() && out.stderr.is_empty(),
                "round {round}, {}",
                describe(&format!("L{t}"), out)
            );
        }

        let names: BTreeSet<String> = common::sql_on(
            &db,
            "SELECT string_agg(name, ',') FROM (SELECT name FROM parents WHERE kind = 'lead') t",
            &[],
        )
        .unwrap_or_default()
        .split(',')
        .map(str::to_string)
        .collect();
        let expected: BTreeSet<String> = (0..PROCESSES).map(|t| format!("L{t}")).collect();
        assert_eq!(names, expected, "round {round}");

        for t in 0..PROCESSES {
            let out = kith(&k, &db)
                .args(["show", &format!("L{t}"), "--format", "json"])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "round {round}, {}",
                describe("show", &out)
            );
            let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(doc["kind"], "lead");
        }
        let check = kith(&k, &db).arg("check").output().unwrap();
        assert!(
            check.status.success(),
            "round {round}, {}",
            describe("check", &check)
        );
        if common::backend() == common::Backend::Sqlite {
            // A file's own mode; a database on a server has none.
            assert_eq!(common::mode(&db), 0o600, "round {round}");
        }
    }
}

#[test]
fn a_backup_taken_while_others_write_is_a_consistent_store() {
    let k = Kith::new();
    k.add_lead("Lead", &[]);
    // Contacts there before the writers start: every backup holds at least these.
    const SEED: usize = 5;
    for i in 0..SEED {
        k.add_contact("Lead", &format!("Seed{i}"), &[]);
    }
    const WRITERS: usize = 2;
    const EACH: usize = 20;
    let start = Arc::new(Barrier::new(WRITERS + 1));
    let writers: Vec<_> = (0..WRITERS)
        .map(|t| {
            let start = Arc::clone(&start);
            let mut cmds: Vec<Command> = (0..EACH)
                .map(|i| {
                    let mut cmd = kith(&k, &k.db);
                    let name = format!("B{t}-{i}");
                    cmd.args(["contact", "add", "--parent", "Lead", "--first", &name]);
                    cmd
                })
                .collect();
            thread::spawn(move || {
                start.wait();
                cmds.iter_mut()
                    .map(|cmd| cmd.output().expect("kith runs"))
                    .collect::<Vec<_>>()
            })
        })
        .collect();

    start.wait();
    // Backups one after another for as long as the writers write.
    let mut copies: Vec<PathBuf> = Vec::new();
    while copies.len() < 100 && writers.iter().any(|w| !w.is_finished()) {
        let copy = k.path(&format!("backup-{}.db", copies.len()));
        let out = kith(&k, &k.db).arg("backup").arg(&copy).output().unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{}",
            describe("backup", &out)
        );
        copies.push(copy);
    }
    for w in writers {
        for out in w.join().unwrap() {
            assert!(out.status.success(), "{}", describe("writer", &out));
        }
    }

    let total = SEED + WRITERS * EACH;
    let mut counts = Vec::new();
    for copy in &copies {
        assert_eq!(common::mode(copy), 0o600);
        let check = kith(&k, copy).arg("check").output().unwrap();
        assert!(
            check.status.success(),
            "{}",
            describe("check of the backup", &check)
        );
        let n = k.contacts_json_on(copy).len();
        assert!((SEED..=total).contains(&n), "{n} contacts in a backup");
        counts.push(n);
    }
    assert!(
        counts.iter().any(|&n| n > SEED && n < total),
        "no backup was taken while the writers wrote: {counts:?}"
    );
    assert_eq!(k.contacts_json().len(), total);
}

/// What happens inside the race above, made deterministic: another process holds the write lock
/// on the brand-new (still empty) store file while kith starts on it. kith must wait for the lock
/// like any other write (the busy timeout is 30 s), not fail with "database is locked".
#[test]
fn creating_a_store_waits_for_another_process_holding_its_write_lock() {
    // SQLite's file lock, held by another program.
    let k = Kith::sqlite();
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&k.db)
        .unwrap();
    let holder = rusqlite::Connection::open(&k.db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut child = kith(&k, &k.db)
        .args(["lead", "add", "--name", "Initech"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Released only once kith is seen asleep in its wait for it: it succeeds because it
    // waited, not because it never met the lock.
    let waited = common::process::wait_until_asleep(&mut child);
    holder.execute_batch("ROLLBACK").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}",
        describe("lead add", &out)
    );
    assert!(waited, "kith finished without waiting for the lock");
    assert_eq!(k.show_json("Initech")["kind"], "lead");
}

/// A long-running kith (the TUI, say) creates a new store and keeps it open; everyone else's
/// kith must still see a kith store, even though nothing was checkpointed into the main file yet.
#[test]
fn a_new_store_held_open_by_the_kith_that_created_it_opens_in_another_kith() {
    let k = Kith::new();
    let options = kith::store::StoreOptions {
        actor: Some("long-running".into()),
        ..Default::default()
    };
    let mut first = kith::store::Store::open(&k.db, &options).expect("a new store");
    let lead = first
        .add_parent(
            kith::domain::ParentKind::Lead,
            &kith::domain::ParentFields {
                name: "Initech".into(),
                ..Default::default()
            },
        )
        .unwrap();

    let out = kith(&k, &k.db)
        .args(["show", "Initech", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}",
        describe("show while the store is held open", &out)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["id"], lead);

    let out = kith(&k, &k.db)
        .args(["contact", "add", "--parent", "Initech", "--first", "Peter"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", describe("contact add", &out));
    assert_eq!(first.list_contacts(Some(lead)).unwrap().len(), 1);
    drop(first);
    assert_eq!(k.contacts_json().len(), 1);
}

/// The promise of issue 12: four processes each make 1,000 read-modify-write changes to the
/// same records (edits of one contact, notes on one lead, that lead's status): every one of
/// them succeeds and is there afterwards.
#[test]
fn four_processes_making_a_thousand_changes_each_to_the_same_records_lose_nothing() {
    let k = Kith::new();
    k.add_lead("Initech", &[]);
    let id = k.add_contact("Initech", "Peter", &[]).to_string();
    const EACH: usize = 1000;
    let statuses = ["contacted", "qualified"];
    let failures: Vec<String> = thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|w| {
                let (k, id) = (&k, &id);
                scope.spawn(move || {
                    let mut failed = Vec::new();
                    for n in 0..EACH {
                        let mut cmd = kith(k, &k.db);
                        match n % 3 {
                            0 => {
                                cmd.args(["contact", "edit", id, "--notes", &format!("w{w} n{n}")])
                            }
                            1 => cmd.args(["note", "Initech", &format!("w{w} n{n}")]),
                            _ => cmd.args([
                                "lead",
                                "status",
                                "Initech",
                                statuses[(n / 3 + w) % 2],
                                "--reason",
                                &format!("w{w} n{n}"),
                            ]),
                        };
                        let out = cmd.output().expect("kith runs");
                        if !out.status.success() || !out.stderr.is_empty() {
                            failed.push(describe(&format!("worker {w} change {n}"), &out));
                        }
                    }
                    failed
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} failed; first: {}",
        failures.len(),
        failures[0]
    );
    let done: Vec<Change> = (0..4)
        .flat_map(|w| {
            (0..EACH).map(move |n| match n % 3 {
                0 => Change::Edit(w, n),
                1 => Change::Note(w, n),
                _ => Change::Status(w, n, statuses[(n / 3 + w) % 2]),
            })
        })
        .collect();
    let check = kith(&k, &k.db).arg("check").output().unwrap();
    assert!(check.status.success(), "{}", describe("check", &check));
    every_reported_change_is_there(&k, &done);
}

/// One change a worker of the test above made and was told succeeded: worker, number, and for
/// a status the one it set.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Change {
    Edit(usize, usize),
    Note(usize, usize),
    Status(usize, usize, &'static str),
}

impl Change {
    fn who(&self) -> (usize, usize) {
        match *self {
            Change::Edit(w, n) | Change::Note(w, n) | Change::Status(w, n, _) => (w, n),
        }
    }
}

/// Compares what the workers were told they wrote with what the store holds, change by change.
/// The history orders every write: each edit and note is there once with its text, and the
/// edits' old values and the statuses' old values form one unbroken chain (no write overwrote
/// another it had not read). A status set to what the lead already had records nothing; then
/// the lead had that status at some moment between its worker's writes before and after it.
fn every_reported_change_is_there(k: &Kith, done: &[Change]) {
    use std::collections::BTreeMap;
    let who = |text: &str| -> (usize, usize) {
        let (w, n) = text
            .strip_prefix('w')
            .and_then(|t| t.split_once(" n"))
            .unwrap_or_else(|| panic!("not a worker's text: {text:?}"));
        (w.parse().unwrap(), n.parse().unwrap())
    };
    let reported: BTreeMap<(usize, usize), Change> = done.iter().map(|c| (c.who(), *c)).collect();
    let bodies: BTreeMap<String, (String, String)> =
        common::rows_on(&k.db, "SELECT id, parent_id, body FROM activities")
            .into_iter()
            .map(|r| (r[0].clone(), (r[1].clone(), r[2].clone())))
            .collect();
    let history = common::rows_on(
        &k.db,
        "SELECT id, entity, entity_id, action, changes, reason FROM history
          WHERE action IN ('update', 'note', 'status') ORDER BY id",
    );
    // Where each change is in the history, and the lead's status after each status change.
    let mut at: BTreeMap<(usize, usize), i64> = BTreeMap::new();
    let mut statuses: Vec<(i64, String)> = vec![(0, "new".to_string())];
    let mut notes_now = "NULL".to_string();
    for row in &history {
        let id: i64 = row[0].parse().unwrap();
        let changes: serde_json::Value = serde_json::from_str(&row[4]).unwrap_or_default();
        let key = match (row[1].as_str(), row[3].as_str()) {
            ("contact", "update") => {
                let [old, new] = [&changes["notes"][0], &changes["notes"][1]];
                let old = old.as_str().unwrap_or("NULL");
                assert_eq!(
                    old, notes_now,
                    "history #{id} overwrote an edit it never read"
                );
                notes_now = new.as_str().expect("an edit of the notes").to_string();
                let key = who(&notes_now);
                assert!(
                    matches!(reported.get(&key), Some(Change::Edit(..))),
                    "#{id}: {row:?}"
                );
                key
            }
            ("activity", "note") => {
                let (_, body) = &bodies[&row[2]];
                let key = who(body);
                assert!(
                    matches!(reported.get(&key), Some(Change::Note(..))),
                    "#{id}: {row:?}"
                );
                key
            }
            ("parent", "status") => {
                let from = changes["status"][0].as_str().unwrap();
                let to = changes["status"][1].as_str().unwrap();
                assert_eq!(
                    from,
                    statuses.last().unwrap().1,
                    "history #{id} skipped a status"
                );
                assert_ne!(from, to, "#{id}: a status set to what it was is recorded");
                let key = who(&row[5]);
                assert!(
                    matches!(reported.get(&key), Some(Change::Status(_, _, s)) if *s == to),
                    "#{id}: {row:?}"
                );
                statuses.push((id, to.to_string()));
                key
            }
            _ => continue,
        };
        assert!(
            at.insert(key, id).is_none(),
            "{key:?} is in the history twice"
        );
    }
    assert_eq!(
        common::sql_on(&k.db, "SELECT notes FROM contacts", &[]).unwrap(),
        notes_now,
        "the notes are the last edit's"
    );
    assert_eq!(
        common::sql_on(&k.db, "SELECT status FROM parents", &[]).unwrap(),
        statuses.last().unwrap().1,
        "the status is the last change's"
    );
    let reported_notes = done
        .iter()
        .filter(|c| matches!(c, Change::Note(..)))
        .count();
    assert_eq!(bodies.len(), reported_notes, "one note for each reported");
    let last = done.iter().map(|c| c.who().1).max().unwrap_or(0);
    for change in done {
        let (w, n) = change.who();
        // The history ids of this worker's writes, which it made one after the other.
        let mine = |m: usize| at.get(&(w, m)).copied();
        let before = (0..n).rev().find_map(mine).unwrap_or(0);
        let after = (n + 1..=last).find_map(mine);
        match (change, mine(n)) {
            (Change::Status(_, _, status), None) => {
                // Nothing recorded: the lead had this status already, some moment between
                // the worker's write before and its write after.
                let had = statuses.iter().enumerate().any(|(i, (id, s))| {
                    let until = statuses.get(i + 1).map_or(i64::MAX, |next| next.0);
                    s == status && until > before && after.is_none_or(|a| *id < a)
                });
                assert!(had, "{change:?} reported, and neither recorded nor a no-op");
            }
            (_, None) => panic!("{change:?} was reported but is not there"),
            (_, Some(id)) => assert!(
                before < id && after.is_none_or(|a| id < a),
                "{change:?} is out of its worker's order"
            ),
        }
    }
}

#[test]
fn four_processes_opening_a_store_that_needs_a_migration_run_it_once() {
    // A file of an older schema: PostgreSQL stores begin at version 8.
    let k = Kith::sqlite();
    common::store_of_schema_4(&k.db, 1);
    let start = Arc::new(Barrier::new(4));
    let outs: Vec<Output> = (0..4)
        .map(|n| {
            let start = Arc::clone(&start);
            let mut cmd = kith(&k, &k.db);
            cmd.args(["lead", "add", "--name", &format!("Lead {n}")]);
            thread::spawn(move || {
                start.wait();
                cmd.output().unwrap()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    // A second run of the migration would fail on the indexes the first one dropped.
    for out in &outs {
        assert!(out.status.success(), "{}", describe("lead add", out));
    }
    let db = rusqlite::Connection::open(&k.db).unwrap();
    let version: i64 = db
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, kith::store::schema::latest());
    let check = kith(&k, &k.db).arg("check").output().unwrap();
    assert!(check.status.success(), "{}", describe("check", &check));
    let found = kith(&k, &k.db).args(["query", "gibbons"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&found.stdout).contains("Peter Gibbons"),
        "the old contact is in the rebuilt search index: {}",
        describe("query", &found)
    );
}
