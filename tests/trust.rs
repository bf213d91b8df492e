//! Issue 12's defects, each reproduced the way it was found, through the real binary on a real
//! store in a temporary folder.

mod common;

use common::{one_line, Kith};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `kith --db DB ARGS` as a child process of its own, isolated as `common::isolate` does.
fn spawn(k: &Kith, db: &Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_kith"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("KITH_DB")
        .env("KITH_CONFIG", &k.config)
        .env("XDG_CONFIG_HOME", k.path("xdg-config"))
        .env("XDG_DATA_HOME", k.path("xdg-data"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kith starts")
}

/// The files in `dir` whose names start with `prefix`.
fn files_starting(dir: &Path, prefix: &str) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .expect("the folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect();
    found.sort();
    found
}

#[test]
fn an_unterminated_quote_is_reported_by_file_and_line_and_swallows_nothing() {
    let k = Kith::new();
    let csv = k.path("people.csv");
    std::fs::write(
        &csv,
        "parent,first_name,last_name,email\nAcme,Ada,Lovelace,ada@acme.test\n\
         Acme,\"Bob,Stray,bob@acme.test\nAcme,Cy,Later,cy@acme.test\n",
    )
    .unwrap();
    let out = k.run(&["import", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "a bad row exits 1");
    let stderr = String::from_utf8(out.stderr).unwrap();
    let line = one_line(&stderr);
    assert_eq!(
        line,
        format!(
            "kith: {}:3: unterminated quote: the quoted field that starts here never closes",
            csv.display()
        )
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("Imported 1 contact(s)"), "{stdout}");
    assert!(stdout.ends_with("1 bad row(s)\n"), "{stdout}");
    let people = k.contacts_json();
    let names: Vec<&str> = people
        .iter()
        .map(|c| c["full_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Ada Lovelace"],
        "nothing of the swallowed rows is imported"
    );
}

#[test]
fn export_never_writes_through_a_link_planted_in_its_folder() {
    let k = Kith::new();
    k.add_lead("Acme", &[]);
    k.add_contact("Acme", "Ada", &["--email", "ada@acme.test"]);
    let victim = k.path("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    let out = k.path("out.json");
    // The shell plants a link at the name the old build wrote through (its own pid, which kith
    // keeps by exec), then runs the export.
    let script = r#"ln -s "$1" "$(dirname "$2")/.out.json.kith-$$" && exec "$3" --db "$4" export --format json --output "$2""#;
    let status = Command::new("sh")
        .args(["-c", script, "sh"])
        .arg(&victim)
        .arg(&out)
        .arg(env!("CARGO_BIN_EXE_kith"))
        .arg(&k.db)
        .env("KITH_CONFIG", &k.config)
        .env_remove("KITH_DB")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    let written: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(written[0]["full_name"], "Ada");
    assert_eq!(common::mode(&out), 0o600, "an export is the user's alone");
    assert!(
        files_starting(k.dir.path(), ".kith-export-").is_empty(),
        "no temporary file is left"
    );
    assert_eq!(
        files_starting(k.dir.path(), ".out.json.kith-").len(),
        1,
        "the planted link"
    );
}

#[test]
fn a_file_name_echoed_back_cannot_drive_the_terminal() {
    let k = Kith::new();
    let hostile = k.path("x\u{1b}]0;pwned\u{7}y.csv");
    std::fs::write(&hostile, "parent,first_name\nAcme,Ada\n").unwrap();
    let out = k.run(&["import", hostile.to_str().unwrap()]);
    assert!(out.status.success());
    for stream in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(stream);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
    }
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("x\u{fffd}]0;pwned\u{fffd}y.csv"),
        "{stdout}"
    );

    let missing = k.path("gone\u{1b}[2J.csv");
    let out = k.run(&["import", missing.to_str().unwrap()]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(
        one_line(&stderr).contains("gone\u{fffd}[2J.csv"),
        "{stderr}"
    );
}

#[test]
fn a_device_or_a_pipe_is_refused_at_once_not_read_or_waited_on() {
    let k = Kith::new();
    // /dev/zero would be read into memory without end.
    let stderr = k.fails(&["import", "--format", "csv", "/dev/zero"]);
    assert_eq!(
        one_line(&stderr),
        "kith: /dev/zero: it is a character device, not a regular file"
    );

    let fifo = k.path("store.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let began = Instant::now();
    let mut child = spawn(&k, &fifo, &["contacts"]);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if began.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("kith waited on a named pipe given as its store");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(!status.success());
    assert!(
        one_line(&stderr).contains("not a kith store (it is a named pipe, not a regular file)"),
        "{stderr}"
    );

    let stderr = k.fails_on(Path::new("/dev/null"), &["contacts"]);
    assert!(
        one_line(&stderr).contains("it is a character device, not a regular file"),
        "{stderr}"
    );
    assert!(!Path::new("/dev/null-journal").exists());
}

#[test]
fn demo_refuses_a_size_it_could_never_make() {
    let k = Kith::new();
    let out = k.run(&["demo", "--contacts", "99999999999"]);
    assert_eq!(out.status.code(), Some(2), "a bad argument exits 2");
    let stderr = String::from_utf8(out.stderr).unwrap();
    let first = stderr.lines().next().unwrap();
    assert!(
        first.contains("99999999999") && first.contains("1..=10000000"),
        "{first}"
    );
    assert!(!k.db.exists() || k.contacts_json().is_empty());
}

#[test]
fn a_backup_stopped_by_a_signal_leaves_nothing_behind() {
    let k = Kith::new();
    k.ok(&["demo", "--contacts", "20000"]);
    let mut stopped = 0;
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGINT, libc::SIGTERM] {
        let dest = k.path("copy.db");
        let mut child = spawn(&k, &k.db, &["backup", dest.to_str().unwrap()]);
        // Stopped once its copy exists, while it writes it.
        let began = Instant::now();
        while files_starting(k.dir.path(), ".copy.db.kith-backup-").is_empty()
            && began.elapsed() < Duration::from_secs(20)
            && child.try_wait().unwrap().is_none()
        {
            std::thread::sleep(Duration::from_millis(1));
        }
        unsafe { libc::kill(child.id() as i32, signal) };
        let status = child.wait().unwrap();
        stopped += usize::from(!status.success());
        if status.success() {
            // The backup won the race: then it is whole, and is removed for the next try.
            assert_eq!(
                Kith::new().ok_on(&dest, &["check"]).trim_end(),
                format!("{}: ok", dest.display())
            );
            std::fs::remove_file(&dest).unwrap();
        }
        assert_eq!(
            files_starting(k.dir.path(), ".copy.db"),
            Vec::<String>::new(),
            "signal {signal}: the unfinished copy and its journal are gone"
        );
        assert!(
            !dest.exists() || status.success(),
            "no backup under the name either"
        );
    }
    assert!(
        stopped > 0,
        "no backup was stopped mid-copy: nothing was tested"
    );
}

#[test]
fn an_id_that_never_existed_is_not_said_to_be_deleted() {
    let k = Kith::new();
    k.add_lead("Acme", &[]);
    let id = k.add_contact("Acme", "Ada", &[]);
    let stderr = k.fails(&["note", "Acme", "hello", "--contact", "999"]);
    assert_eq!(one_line(&stderr), "kith: there is no contact #999");
    k.ok(&["contact", "delete", &id.to_string()]);
    let stderr = k.fails(&["note", "Acme", "hello", "--contact", &id.to_string()]);
    assert_eq!(
        one_line(&stderr),
        format!("kith: contact #{id} no longer exists (someone deleted it)")
    );
}

#[test]
fn a_status_set_to_what_it_is_records_nothing() {
    let k = Kith::new();
    k.add_lead("Acme", &[]);
    k.ok(&["lead", "status", "Acme", "contacted", "--reason", "called"]);
    k.ok(&[
        "lead",
        "status",
        "Acme",
        "contacted",
        "--reason",
        "called again",
    ]);
    let db = rusqlite::Connection::open(&k.db).unwrap();
    let changes: Vec<String> = db
        .prepare("SELECT changes FROM history WHERE entity = 'parent' AND action = 'status'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(changes, [r#"{"status":["new","contacted"]}"#]);
}

#[test]
fn a_lock_held_too_long_is_one_sentence_saying_busy() {
    let k = Kith::new();
    k.add_lead("Acme", &[]);
    let config = k.path("config.toml");
    std::fs::write(&config, "[store]\nbusy_timeout_ms = 1000\n").unwrap();
    let holder = rusqlite::Connection::open(&k.db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let config_arg = config.to_str().unwrap();
    let mut child = spawn(
        &k,
        &k.db,
        &["--config", config_arg, "lead", "add", "--name", "Globex"],
    );
    // Seen asleep in its wait for the lock, which is held until it has given up.
    let waited = common::process::wait_until_asleep(&mut child);
    let out = child.wait_with_output().unwrap();
    holder.execute_batch("ROLLBACK").unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        one_line(&stderr),
        "kith: the store is busy: another process kept it locked longer than kith waits (store.busy_timeout_ms); try again"
    );
    assert!(waited, "kith gave up without waiting for the lock");
    k.fails(&["show", "Globex"]);
}

#[test]
fn people_who_moved_on_are_marked_and_left_out_of_lookups() {
    let k = Kith::new();
    k.add_lead("Initech", &[]);
    k.add_customer("Globex", &[]);
    let id = k.add_contact(
        "Initech",
        "Peter",
        &["--last", "Gibbons", "--email", "peter@initech.test"],
    );
    k.ok(&["contact", "move", &id.to_string(), "--to", "Globex"]);
    let people = k.contacts_json();
    let old = people.iter().find(|c| c["id"] == id).unwrap();
    let next = old["moved_to"].as_i64().expect("moved_to in JSON");
    let table = k.ok(&["contacts"]);
    let old_line = table.lines().find(|l| l.contains("Initech")).unwrap();
    assert!(old_line.contains(&format!("moved on: #{next}")), "{table}");

    let answer = k.ok(&["query", "gibbons"]);
    let lines: Vec<&str> = answer.lines().skip(1).collect();
    assert_eq!(lines.len(), 1, "only the current contact: {answer}");
    assert!(lines[0].contains("Globex"), "{answer}");
    let all = k.ok(&["query", "--moved", "gibbons"]);
    assert_eq!(all.lines().count(), 3, "{all}");
}

#[test]
fn one_shot_edits_by_four_processes_at_once_all_succeed_and_keep_each_other() {
    let k = Kith::new();
    k.add_lead("Acme", &[]);
    let id = k.add_contact("Acme", "Ada", &[]).to_string();
    const EDITS: usize = 60;
    let flags = ["--title", "--notes", "--last", "--tags"];
    std::thread::scope(|scope| {
        for flag in flags {
            let (k, id) = (&k, &id);
            scope.spawn(move || {
                for n in 0..EDITS {
                    let value = format!("{}{n}", &flag[2..]);
                    let out = k.run(&["contact", "edit", id, flag, &value]);
                    let stderr = String::from_utf8_lossy(&out.stderr);
                    assert!(out.status.success(), "{flag} edit {n} failed: {stderr}");
                }
            });
        }
    });
    let people = k.contacts_json();
    let ada = &people[0];
    assert_eq!(ada["title"], format!("title{}", EDITS - 1));
    assert_eq!(ada["notes"], format!("notes{}", EDITS - 1));
    assert_eq!(ada["last_name"], format!("last{}", EDITS - 1));
    assert_eq!(
        ada["tags"],
        serde_json::json!([format!("tags{}", EDITS - 1)])
    );
    let db = rusqlite::Connection::open(&k.db).unwrap();
    let updates: i64 = db
        .query_row(
            "SELECT count(*) FROM history WHERE entity = 'contact' AND action = 'update'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        updates,
        (flags.len() * EDITS) as i64,
        "every edit is in the history"
    );
}

#[test]
fn config_values_out_of_range_or_unusable_name_their_place() {
    let k = Kith::new();
    let config = k.path("config.toml");
    let cases = [
        (
            "[store]\nbusy_timeout_ms = 2147483648\n",
            "2:19: 2147483648 is more than 3600000, the most allowed",
        ),
        (
            "\n[keys]\nquit = [\"j\"]\n",
            "2:1: \"j\" is bound to both down and quit in the parent list",
        ),
        (
            "[keys]\nquit = []\nforce_quit = []\n",
            "1:1: no key is left to quit: quit and force_quit are both empty",
        ),
        (
            "[phone]\ndefault_region = \"XX\"\n",
            "2:18: \"XX\" is not a country code such as \"US\", \"GB\" or \"DE\"",
        ),
        (
            "[mail]\ntls = \"maybe\"\n",
            "2:7: \"maybe\" is not one of \"starttls\", \"tls\", \"none\"",
        ),
        (
            "[mail]\nmethod = \"pigeon\"\n",
            "2:10: \"pigeon\" is not one of \"smtp\", \"sendmail\"",
        ),
        (
            "[mail]\ntimeout_secs = 86400\n",
            "2:16: 86400 is more than 3600, the most allowed",
        ),
    ];
    let titles = |text: &str| {
        std::fs::write(&config, text).unwrap();
        k.run_configured(&k.db, &config, &["titles"])
    };
    for (text, said) in cases {
        let out = titles(text);
        assert_eq!(out.status.code(), Some(1), "{text}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(
            one_line(&stderr),
            format!("kith: config: {}:{said}", config.display()),
            "{text}"
        );
    }
    // What is allowed still is: a region in any case, a key moved off a clash.
    let out = titles(
        "[phone]\ndefault_region = \"de\"\n[keys]\nquit = [\"x\"]\n[store]\nbusy_timeout_ms = 0\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `kith --db DB ARGS` as the unprivileged user `nobody` (the tests run as root, whom no file
/// mode stops), with a home of its own.
fn as_nobody(home: &Path, db: &Path, args: &[&str]) -> std::process::Output {
    as_nobody_in(65534, home, db, args)
}

/// [`as_nobody`], with `group` as nobody's group.
fn as_nobody_in(group: u32, home: &Path, db: &Path, args: &[&str]) -> std::process::Output {
    Command::new("setpriv")
        .args(["--reuid=65534", "--clear-groups"])
        .arg(format!("--regid={group}"))
        .arg(env!("CARGO_BIN_EXE_kith"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", "/usr/bin:/bin")
        .output()
        .expect("setpriv runs")
}

#[test]
fn a_store_others_cannot_write_is_read_read_only_and_left_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let k = Kith::new();
    // A folder everyone may enter and read, and a store in it only its owner may write.
    let shared = k.path("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(k.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o755)).unwrap();
    let db = shared.join("team.db");
    k.ok_on(&db, &["lead", "add", "--name", "Initech"]);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = std::fs::read(&db).unwrap();
    let home = k.path("nobody-home");

    let out = as_nobody(&home, &db, &["show", "Initech", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["name"], "Initech");

    let out = as_nobody(&home, &db, &["lead", "add", "--name", "Globex"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        one_line(&stderr),
        format!(
            "kith: {}: read-only for you (you cannot write the file or its folder); nothing was changed",
            db.display()
        )
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the store is unchanged"
    );
    let mut left: Vec<String> = std::fs::read_dir(&shared)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["team.db"], "no -wal or -shm made by the reader");

    // Its owner writes it as before.
    k.ok_on(&db, &["lead", "add", "--name", "Globex"]);
}

#[test]
fn a_full_disk_during_an_import_says_so_and_leaves_the_store_as_it_was() {
    let k = Kith::new();
    k.add_lead("Initech", &[]);
    k.add_contact("Initech", "Peter", &["--email", "peter@initech.test"]);
    let before = k.contacts_json();
    let mut csv = String::from("parent,first_name,last_name,email,notes\n");
    for i in 0..3000 {
        csv.push_str(&format!(
            "Company {i},First{i},Last{i},p{i}@c{i}.test,{}\n",
            "a long note to fill the disk ".repeat(8)
        ));
    }
    let file = k.path("people.csv");
    std::fs::write(&file, csv).unwrap();
    let disk = k.path("disk");
    std::fs::create_dir(&disk).unwrap();
    let out_dir = k.path("out");
    std::fs::create_dir(&out_dir).unwrap();
    // A small disk of its own, in a mount namespace of its own: gone when the script ends.
    let script = r#"
        set -e
        mount -t tmpfs -o size=600k tmpfs "$DISK"
        cp "$SRC" "$DISK/kith.db"
        set +e
        "$KITH" --db "$DISK/kith.db" import "$CSV" > "$OUT/stdout" 2> "$OUT/stderr"
        echo $? > "$OUT/rc"
        "$KITH" --db "$DISK/kith.db" check > "$OUT/check" 2>&1
        "$KITH" --db "$DISK/kith.db" contacts --format json > "$OUT/after.json"
    "#;
    let status = Command::new("unshare")
        .args(["--mount", "sh", "-c", script])
        .env("DISK", &disk)
        .env("SRC", &k.db)
        .env("KITH", env!("CARGO_BIN_EXE_kith"))
        .env("CSV", &file)
        .env("OUT", &out_dir)
        .env("KITH_CONFIG", &k.config)
        .env_remove("KITH_DB")
        .status()
        .unwrap();
    assert!(status.success(), "the script ran");
    let read = |name: &str| std::fs::read_to_string(out_dir.join(name)).unwrap();
    assert_eq!(read("rc").trim(), "1", "the import failed");
    let stderr = read("stderr");
    assert_eq!(
        one_line(&stderr),
        format!(
            "kith: {}: the disk it is on is full; nothing of this change was written",
            disk.join("kith.db").display()
        )
    );
    assert_eq!(
        read("check"),
        format!("{}: ok\n", disk.join("kith.db").display())
    );
    let after: Vec<serde_json::Value> = serde_json::from_str(&read("after.json")).unwrap();
    assert_eq!(after, before, "nothing of the import was kept");
}

/// A small random number generator for kill times: reproducible from the seed it prints.
struct Lcg(u64);

impl Lcg {
    /// Seeded from the clock, the seed printed so that a failure can be replayed.
    fn seeded() -> Lcg {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64;
        eprintln!("kill times seeded with {seed}");
        Lcg(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// The people the import of round `round` holds (first name, last name, company, address), in
/// the order of their addresses: each round imports people of its own.
fn batch_of_round(round: usize) -> Vec<[String; 4]> {
    let mut people: Vec<[String; 4]> = (0..1500)
        .map(|i| {
            [
                format!("F{i}"),
                format!("L{i}r{round}"),
                format!("Batch Co {}", i % 40),
                format!("f{i}.r{round}@batch.test"),
            ]
        })
        .collect();
    people.sort_by(|a, b| a[3].cmp(&b[3]));
    people
}

/// The people of round `round`'s import that the store holds, as [`batch_of_round`] lists them.
fn imported_in_round(db: &Path, round: usize) -> Vec<[String; 4]> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT c.first_name, c.last_name, p.name, e.address
               FROM contact_emails e JOIN contacts c ON c.id = e.contact_id
               JOIN parents p ON p.id = c.parent_id
              WHERE e.address LIKE ?1 ORDER BY e.address",
        )
        .unwrap();
    let rows = stmt
        .query_map([format!("%.r{round}@batch.test")], |r| {
            Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?])
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn writers_killed_at_random_moments_leave_a_sound_store_with_every_reported_write() {
    let k = Kith::new();
    k.add_lead("Initech", &[]);
    k.add_lead("Edits Co", &[]);
    let pat_id = k.add_contact(
        "Edits Co",
        "Pat",
        &["--last", "Doe", "--title", "Title start"],
    );
    let pat = pat_id.to_string();
    let mut rng = Lcg::seeded();
    let mut reported: Vec<String> = Vec::new();
    // Titles given to Pat by one-shot edits: the last reported one, and any tried after it
    // (killed after its commit but before it could say so).
    let mut titles_since_reported = vec!["Title start".to_string()];
    // The rounds whose import said it finished.
    let mut imports: Vec<usize> = Vec::new();
    let mut killed = 0;
    for round in 0..100 {
        let name = format!("Lead {round}");
        let title = format!("Title {round}");
        let file = k.path(&format!("batch-{round}.csv"));
        if round % 5 == 0 {
            let mut csv = String::from("parent,first_name,last_name,email\n");
            for [first, last, company, email] in batch_of_round(round) {
                csv.push_str(&format!("{company},{first},{last},{email}\n"));
            }
            std::fs::write(&file, csv).unwrap();
        }
        // A merge round merges two people made for it, the second with a note.
        let (mut keep, mut gone) = (String::new(), String::new());
        if round % 5 == 4 {
            let mail = |who: &str| format!("{who}{round}@merge.test");
            keep = k
                .add_contact("Edits Co", "Kim", &["--email", &mail("a")])
                .to_string();
            gone = k
                .add_contact("Edits Co", "Kim", &["--email", &mail("b")])
                .to_string();
            k.ok(&[
                "note",
                "Edits Co",
                &format!("note {round}"),
                "--contact",
                &gone,
            ]);
        }
        let args: Vec<&str> = match round % 5 {
            0 => vec!["import", file.to_str().unwrap()],
            1 => vec!["lead", "add", "--name", &name],
            2 => vec!["contact", "edit", &pat, "--title", &title],
            3 => vec!["convert", "Initech"],
            _ => vec!["merge", &keep, &gone],
        };
        if round % 5 == 2 {
            titles_since_reported.push(title.clone());
        }
        let what = format!("{args:?}");
        let mut child = spawn(&k, &k.db, &args);
        // One import in four is killed once it has said it finished (its summary comes after
        // its commit), so that a finished import is surely tried; every other writer at a
        // random moment.
        let mut said_finished = false;
        if round % 20 == 0 {
            let mut line = String::new();
            let stdout = child.stdout.take().unwrap();
            std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line).unwrap();
            assert!(
                line.starts_with("Imported 1500 contact(s)"),
                "round {round}: {line:?}"
            );
            said_finished = true;
        } else {
            std::thread::sleep(Duration::from_micros(rng.below(150_000)));
        }
        unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
        let status = child.wait().unwrap();
        drop(args);
        killed += usize::from(std::os::unix::process::ExitStatusExt::signal(&status) == Some(9));
        if status.success() || said_finished {
            match round % 5 {
                0 => imports.push(round),
                1 => reported.push(name),
                2 => titles_since_reported = vec![title],
                _ => {}
            }
        }
        if round % 5 == 0 {
            // An import is whole or absent: its 1,500 people all there as the file has them,
            // or none of them.
            let there = imported_in_round(&k.db, round);
            if imports.last() == Some(&round) {
                assert_eq!(
                    there,
                    batch_of_round(round),
                    "round {round}: an import that said it finished is there"
                );
            } else {
                assert!(
                    there.is_empty() || there == batch_of_round(round),
                    "round {round}: {} of the import's 1500 people",
                    there.len()
                );
            }
        }
        if round % 5 == 4 {
            // A merge is whole or absent: both people as they were, or one with both
            // addresses and the note.
            let conn = rusqlite::Connection::open(&k.db).unwrap();
            let count =
                |sql: &str, id: &str| -> i64 { conn.query_row(sql, [id], |r| r.get(0)).unwrap() };
            let addresses = "SELECT count(*) FROM contact_emails WHERE contact_id = ?1";
            let notes = "SELECT count(*) FROM activities WHERE contact_id = ?1";
            let gone_is_there = count("SELECT count(*) FROM contacts WHERE id = ?1", &gone) == 1;
            let (want_keep, want_gone) = if gone_is_there { (1, 1) } else { (2, 0) };
            assert!(
                !(status.success() && gone_is_there),
                "round {round}: a merge that said it finished left #{gone}"
            );
            assert_eq!(count(addresses, &keep), want_keep, "round {round}");
            assert_eq!(count(addresses, &gone), want_gone, "round {round}");
            assert_eq!(count(notes, &keep), want_keep - 1, "round {round}");
            assert_eq!(count(notes, &gone), want_gone, "round {round}");
        }
        // After every kill: SQLite's integrity and foreign keys, and kith's own rules.
        let out = k.run(&["check"]);
        assert!(
            out.status.success(),
            "round {round} ({what}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(
        killed >= 10,
        "only {killed} of 100 writers were stopped mid-way"
    );
    assert!(!reported.is_empty(), "no write finished before its kill");
    assert!(imports.len() >= 5, "imports said finished: {imports:?}");
    for &round in &imports {
        assert_eq!(
            imported_in_round(&k.db, round),
            batch_of_round(round),
            "the import of round {round} said it finished: it is there still"
        );
    }
    let everyone = k.contacts_json();
    let pat_now = everyone
        .iter()
        .find(|p| p["id"] == pat_id)
        .expect("Pat is there");
    assert!(
        titles_since_reported
            .iter()
            .any(|t| pat_now["title"] == t.as_str()),
        "Pat's title {} is the last reported edit or one tried after it: {titles_since_reported:?}",
        pat_now["title"]
    );
    for name in &reported {
        assert_eq!(
            k.show_json(name)["name"],
            name.as_str(),
            "{name} was reported added"
        );
    }
}

#[test]
fn files_kith_makes_are_the_users_alone_whatever_the_umask() {
    for umask in ["000", "022"] {
        let k = Kith::new();
        let dir = k.path("new-folder");
        let db = dir.join("kith.db");
        let export = k.path("all.json");
        let backup = k.path("copy.db");
        let script = r#"umask "$1"; "$2" --db "$3" lead add --name Initech >/dev/null &&
            "$2" --db "$3" export --format json --output "$4" >/dev/null &&
            "$2" --db "$3" backup "$5" >/dev/null"#;
        let status = Command::new("sh")
            .args(["-c", script, "sh", umask, env!("CARGO_BIN_EXE_kith")])
            .args([&db, &export, &backup])
            .env("KITH_CONFIG", &k.config)
            .env_remove("KITH_DB")
            .status()
            .unwrap();
        assert!(status.success(), "umask {umask}");
        assert_eq!(common::mode(&dir), 0o700, "umask {umask}: the folder");
        for file in [&db, &export, &backup] {
            assert_eq!(
                common::mode(file),
                0o600,
                "umask {umask}: {}",
                file.display()
            );
        }
    }
}

#[test]
fn foreign_and_damaged_files_are_refused_and_left_unchanged() {
    let k = Kith::new();
    k.ok(&["demo", "--contacts", "200"]);
    let store = std::fs::read(&k.db).unwrap();
    let mut flipped = store.clone();
    flipped[3] ^= 0x20; // "SQLite format 3" no more
    let other_app = k.path("other.db");
    rusqlite::Connection::open(&other_app)
        .unwrap()
        .execute_batch("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');")
        .unwrap();
    let newer = k.path("newer.db");
    std::fs::write(&newer, &store).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "random.db",
            (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect(),
            "not an SQLite database",
        ),
        (
            "text.db",
            b"name,email\nAda,ada@example.com\n".to_vec(),
            "not an SQLite database",
        ),
        (
            "truncated.db",
            store[..60].to_vec(),
            "not an SQLite database",
        ),
        ("flipped.db", flipped, "not an SQLite database"),
        (
            "other.db",
            std::fs::read(&other_app).unwrap(),
            "another application's SQLite database",
        ),
        (
            "newer.db",
            std::fs::read(&newer).unwrap(),
            "written by a newer kith (schema version 999",
        ),
    ];
    for (name, bytes, said) in cases {
        let file = k.path(&format!("case-{name}"));
        std::fs::write(&file, &bytes).unwrap();
        let err = k.fails_on(&file, &["contacts"]);
        let line = one_line(&err);
        assert!(
            line.starts_with(&format!("kith: {}: ", file.display())) && line.contains(said),
            "{name}: {line}"
        );
        assert_eq!(std::fs::read(&file).unwrap(), bytes, "{name} is unchanged");
        for end in ["-wal", "-shm", "-journal"] {
            let mut side = file.clone().into_os_string();
            side.push(end);
            assert!(!Path::new(&side).exists(), "{name}: no {end} left");
        }
    }
}

/// Strings that would drive a terminal: clear the screen, set the title, write the clipboard
/// (OSC 52), a hyperlink (OSC 8), DCS, an 8-bit CSI, BEL, CR, backspace, NUL, bidi overrides.
const HOSTILE: [&str; 12] = [
    "\u{1b}[2J\u{1b}[H",
    "\u{1b}]0;pwned\u{7}",
    "\u{1b}]52;c;aGVsbG8=\u{7}",
    "\u{1b}]8;;https://evil.test\u{1b}\\link\u{1b}]8;;\u{1b}\\",
    "\u{1b}P1$r0m\u{1b}\\",
    "\u{9b}31m",
    "bell\u{7}",
    "over\rwrite",
    "back\u{8}\u{8}",
    "nul\u{0}byte",
    "\u{202e}gpj.exe",
    "\u{2066}iso\u{2069}\u{7f}",
];

/// The characters no output of kith may hold raw: every C0 control but tab and line feed (a
/// carriage return only before a line feed, as CSV and vCard end their lines), DEL, the C1
/// controls and the bidi controls.
fn drives_a_terminal(text: &str) -> Option<(usize, char)> {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().find_map(|(i, &c)| {
        let cr_of_crlf = c == '\r' && chars.get(i + 1) == Some(&'\n');
        let bad = (c.is_control() && c != '\t' && c != '\n' && !cr_of_crlf)
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}');
        bad.then_some((i, c))
    })
}

#[test]
fn hostile_strings_written_into_every_field_with_sql_never_reach_the_terminal() {
    let k = Kith::new();
    k.add_lead("Evil Lead", &[]);
    k.add_customer("Evil Corp", &[]);
    let a = k.add_contact("Evil Corp", "Mallory", &["--email", "mallory@evil.test"]);
    k.add_contact("Evil Lead", "Trudy", &["--email", "trudy@evil.test"]);
    k.ok(&[
        "note",
        "Evil Corp",
        "--contact",
        &a.to_string(),
        "first note",
    ]);
    let db = rusqlite::Connection::open(&k.db).unwrap();
    // Every hostile string in every text field of every record.
    {
        let text = format!("v11 {}", HOSTILE.join(" "));
        db.execute(
            "UPDATE contacts SET first_name = ?1, last_name = ?1, full_name = 'Mal ' || ?1,
                    title = ?1, notes = ?1, nickname = ?1, phone = ?1",
            [&text],
        )
        .unwrap();
        db.execute(
            "UPDATE parents SET name = 'Evil ' || id || ?1, industry = ?1, notes = ?1,
                    website = ?1",
            [&text],
        )
        .unwrap();
        // What only a lead has.
        db.execute(
            "UPDATE parents SET contact_name = ?1, source = ?1 WHERE kind = 'lead'",
            [&text],
        )
        .unwrap();
        db.execute("UPDATE contact_emails SET label = ?1", [&text])
            .unwrap();
        db.execute("UPDATE contact_phones SET label = ?1", [&text])
            .unwrap();
        db.execute("UPDATE activities SET body = ?1, subject = ?1", [&text])
            .unwrap();
        db.execute("UPDATE history SET reason = ?1, actor = ?1", [&text])
            .unwrap();
    }
    drop(db);
    let faces: [&[&str]; 14] = [
        &["dupes"],
        &["merge", "1", "2", "--keep", "parent=1", "--dry-run"],
        &["contacts"],
        &["contacts", "--format", "csv"],
        &["contacts", "--format", "vcard"],
        &["contacts", "--title", "v11"],
        &["export", "--format", "vcard", "--vcard-version", "4"],
        &["export", "--format", "csv"],
        &["show", "1"],
        &["show", "2"],
        &["query", "mal"],
        &["query", "--format", "aerc", "mal"],
        &["titles"],
        &["pipeline"],
    ];
    for args in faces {
        let out = k.run(args);
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            if let Some((at, c)) = drives_a_terminal(&text) {
                panic!(
                    "kith {args:?} {stream}: U+{:04X} at {at}: {text:?}",
                    c as u32
                );
            }
        }
    }
    // The two are alike (one name, one email domain): merged, listed, and the merge undone.
    assert!(k
        .ok(&["dupes"])
        .contains("same name and email domain evil.test"));
    // A merge drops the control characters, but a phone too long to be one is refused.
    let err = k.fails(&["merge", "1", "2", "--keep", "parent=1"]);
    assert!(
        one_line(&err)
            .contains("the merged record would be invalid (phone: is 117 characters long"),
        "{err}"
    );
    rusqlite::Connection::open(&k.db)
        .unwrap()
        .execute("UPDATE contacts SET phone = NULL", [])
        .unwrap();
    k.ok(&["merge", "1", "2", "--keep", "parent=1"]);
    for args in [&["merges"][..], &["undo-merge", "1"]] {
        let out = k.ok(args);
        assert!(drives_a_terminal(&out).is_none(), "kith {args:?}: {out:?}");
    }
    // JSON keeps the text, escaped: it decodes to what the store holds.
    let json = k.ok(&["contacts", "--format", "json"]);
    assert!(drives_a_terminal(&json).is_none(), "{json}");
    let people: serde_json::Value = serde_json::from_str(&json).unwrap();
    let title = people[0]["title"].as_str().unwrap();
    assert_eq!(title, format!("v11 {}", HOSTILE.join(" ")));
}

#[test]
fn a_vcard_with_ten_thousand_addresses_imports_them_all_not_a_notes_error() {
    let k = Kith::new();
    let mut card = String::from("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Many Mails\r\n");
    for i in 0..10_000 {
        card.push_str(&format!("EMAIL:m{i}@example.org\r\n"));
    }
    card.push_str("END:VCARD\r\n");
    let file = k.path("many.vcf");
    std::fs::write(&file, card).unwrap();
    let out = k.ok(&["import", file.to_str().unwrap()]);
    assert!(out.starts_with("Imported 1 contact(s)"), "{out}");
    let people = k.contacts_json();
    assert_eq!(people[0]["emails"].as_array().unwrap().len(), 10_000);
    assert!(
        people[0]["notes"].is_null(),
        "nothing spilled into the notes"
    );
}

#[test]
fn a_team_store_is_made_for_the_group_of_its_folder_and_its_members_write_it() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let k = Kith::new();
    std::fs::set_permissions(k.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    // A team folder of the group `users` (gid 100), which nobody is made a member of below.
    let team_dir = k.path("team");
    std::fs::create_dir(&team_dir).unwrap();
    std::os::unix::fs::chown(&team_dir, None, Some(100)).unwrap();
    std::fs::set_permissions(&team_dir, std::fs::Permissions::from_mode(0o2770)).unwrap();
    let config = k.path("team.toml");
    std::fs::write(&config, "[store]\nteam = true\n").unwrap();
    let db = team_dir.join("crm.db");
    let out = k.run_configured(&db, &config, &["lead", "add", "--name", "Initech"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta = std::fs::metadata(&db).unwrap();
    assert_eq!(meta.mode() & 0o777, 0o660);
    assert_eq!(meta.gid(), 100, "the folder's group");
    // A member of the group (nobody, with users as its group) writes the store too.
    let config_arg = config.to_str().unwrap();
    let home = k.path("nobody-home");
    let args = ["--config", config_arg, "lead", "add", "--name", "Globex"];
    let out = as_nobody_in(100, &home, &db, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::metadata(&db).unwrap().mode() & 0o777,
        0o660,
        "still the group's"
    );
    assert_eq!(k.show_json_on(&db, "Globex")["name"], "Globex");
    // Without the setting, a new store is its user's alone.
    let mine = team_dir.join("mine.db");
    k.ok_on(&mine, &["lead", "add", "--name", "Mine"]);
    assert_eq!(common::mode(&mine), 0o600);
}

/// The store's own tables with their columns; not the search index, which migrations rebuild.
fn tables_and_columns(db: &Path) -> Vec<(String, Vec<String>)> {
    common::rows_on(
        db,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
            AND name NOT LIKE 'contact_search%' AND name <> 'search_control' ORDER BY name",
    )
    .into_iter()
    .map(|t| {
        let columns = common::rows_on(
            db,
            &format!("SELECT name FROM pragma_table_info('{}')", t[0]),
        )
        .into_iter()
        .map(|c| c[0].clone())
        .collect();
        (t[0].clone(), columns)
    })
    .collect()
}

/// Every row of each table over its columns, as text, in a fixed order.
fn rows_of(db: &Path, tables: &[(String, Vec<String>)]) -> Vec<Vec<Vec<String>>> {
    tables
        .iter()
        .map(|(table, columns)| {
            let order: Vec<String> = (1..=columns.len()).map(|i| i.to_string()).collect();
            let sql = format!(
                "SELECT \"{}\" FROM \"{table}\" ORDER BY {}",
                columns.join("\", \""),
                order.join(", ")
            );
            common::rows_on(db, &sql)
        })
        .collect()
}

#[test]
fn a_migration_killed_at_random_moments_is_finished_by_the_next_kith_with_nothing_lost() {
    let k = Kith::new();
    common::store_of_schema_4(&k.db, 20_000);
    // What the old release wrote: every row of every table, over the columns it had.
    let tables = tables_and_columns(&k.db);
    let written = rows_of(&k.db, &tables);
    assert!(
        tables.iter().any(|(t, _)| t == "contacts") && written.iter().any(|r| r.len() == 20_000),
        "{tables:?}"
    );
    let mut rng = Lcg::seeded();
    let db = rusqlite::Connection::open(&k.db).unwrap();
    let version = || -> i64 {
        db.query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    };
    let mut killed_before_done = 0;
    for _ in 0..20 {
        let mut child = spawn(&k, &k.db, &["titles"]);
        std::thread::sleep(Duration::from_micros(rng.below(400_000)));
        unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
        child.wait().unwrap();
        let v = version();
        assert!(
            v == 4 || v == kith::store::schema::latest(),
            "half a migration: {v}"
        );
        killed_before_done += usize::from(v == 4);
        let integrity: String = db
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(integrity, "ok");
        assert!(
            rows_of(&k.db, &tables) == written,
            "schema {v}: the old release's rows changed"
        );
        if v != 4 {
            break;
        }
    }
    assert!(
        killed_before_done > 0,
        "no kill came before the migration was done"
    );
    assert_eq!(k.ok(&["check"]), format!("{}: ok\n", k.db.display()));
    assert_eq!(version(), kith::store::schema::latest());
    assert!(
        rows_of(&k.db, &tables) == written,
        "the migrated store holds every row the old release wrote, as it wrote it"
    );
    assert!(k.ok(&["query", "gibbons"]).contains("Peter Gibbons"));
}
