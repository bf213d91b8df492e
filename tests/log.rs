//! Relationship memory through the real binary: `kith log` of real-shaped messages (fixtures
//! from mail libraries' test suites and hand-written ones), mailboxes, adding strangers,
//! completion ranked by the mail logged, cadences and `kith due` over a clock the test sets,
//! and `contacts --where`.

mod common;

use common::{assert_success, one_line, Kith};
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mail")
        .join(name)
}

/// `kith [--config CONFIG] log ARGS` with `message` on stdin, at `now` when given.
fn log_with(
    k: &Kith,
    config: Option<&Path>,
    now: Option<&str>,
    args: &[&str],
    message: &[u8],
) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kith"));
    cmd.arg("--db").arg(&k.db);
    if let Some(c) = config {
        cmd.arg("--config").arg(c);
    }
    cmd.arg("log").args(args);
    cmd.env_remove("KITH_DB")
        .env("KITH_CONFIG", &k.config)
        .env("XDG_CONFIG_HOME", k.path("xdg-config"))
        .env("XDG_DATA_HOME", k.path("xdg-data"));
    match now {
        Some(t) => cmd.env("KITH_NOW", t),
        None => cmd.env_remove("KITH_NOW"),
    };
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(message).unwrap();
    child.wait_with_output().unwrap()
}

fn log(k: &Kith, message: &[u8]) -> String {
    let out = log_with(k, None, None, &[], message);
    assert_success(&out, &["log"]);
    String::from_utf8(out.stdout).unwrap()
}

/// The emails on a lead's or customer's timeline, each as (contact, subject, direction, at,
/// body).
fn emails(k: &Kith, parent: &str) -> Vec<Value> {
    let shown = k.show_json(parent);
    shown["activities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "email")
        .cloned()
        .collect()
}

/// The contact ids an email names, in their order.
fn participants(email: &Value) -> Vec<i64> {
    email["participants"]
        .as_array()
        .unwrap_or_else(|| panic!("no participants in {email}"))
        .iter()
        .map(|p| p["contact_id"].as_i64().unwrap())
        .collect()
}

fn direction(k: &Kith, message_id: &str) -> Vec<String> {
    k.sql(
        "SELECT string_agg(direction, ',') FROM
           (SELECT direction FROM activities WHERE message_id = ?1 ORDER BY id) t",
        &[common::Arg::Text(message_id)],
    )
    .filter(|d| !d.is_empty())
    .map(|d| d.split(',').map(str::to_string).collect())
    .unwrap_or_default()
}

#[test]
fn a_message_to_several_people_is_one_entry_per_timeline_naming_them_at_its_date() {
    let k = Kith::new();
    k.add_lead("Public Works", &[]);
    k.add_customer("Smith & Co", &[]);
    let joe = k.add_contact(
        "Public Works",
        "Joe",
        &["--email", "john.q.public@example.com"],
    );
    let mary = k.add_contact(
        "Smith & Co",
        "Mary",
        &["--last", "Smith", "--email", "mary@x.test"],
    );
    let boss = k.add_contact("Smith & Co", "Boss", &["--email", "boss@nil.test"]);
    let said = log(
        &k,
        &std::fs::read(fixture("ruby-mail/example03.eml")).unwrap(),
    );
    assert!(said.starts_with("Logged (received) for "), "{said}");
    assert!(
        said.contains("Not in kith: jdoe@example.org, one@y.test, sysservices@example.net"),
        "{said}"
    );
    assert!(
        said.contains("your own addresses belong in log.me"),
        "{said}"
    );
    // Mary and Boss were both in it: one entry on Smith & Co's timeline, naming both.
    let smith = emails(&k, "Smith & Co");
    assert_eq!(smith.len(), 1, "{smith:#?}");
    assert_eq!(smith[0]["contact_id"], mary);
    assert_eq!(participants(&smith[0]), [mary, boss]);
    let text = k.ok(&["show", "Smith & Co"]);
    assert!(text.contains("about Mary Smith, Boss"), "{text}");
    for e in smith.iter().chain(&emails(&k, "Public Works")) {
        assert_eq!(
            e["created_at"], "2003-07-01T08:52:37Z",
            "the message's date, in UTC"
        );
        assert_eq!(e["message_id"], "5678.21-Nov-1997@example.com");
        assert!(e["body"].as_str().unwrap().contains("Hi everyone."), "{e}");
    }
    assert_eq!(emails(&k, "Public Works")[0]["contact_id"], joe);
    assert_eq!(
        direction(&k, "5678.21-Nov-1997@example.com"),
        ["received"; 2]
    );
    // Each person's own timeline still has it: the last touch of each, and once each in what
    // ranks completion.
    let due = k.ok(&["due", "--format", "json"]);
    assert!(due.trim() == "[]", "{due}");
    for person in [mary, boss] {
        let last = k.sql(
            "SELECT count(*) FROM activity_participants WHERE contact_id = ?1",
            &[common::Arg::Int(person)],
        );
        assert_eq!(last.as_deref(), Some("1"));
    }
}

#[test]
fn mail_from_the_user_is_sent_and_the_user_is_never_a_contact() {
    let k = Kith::new();
    k.add_lead("Smith & Co", &[]);
    let mary = k.add_contact("Smith & Co", "Mary", &["--email", "mary@x.test"]);
    let config = k.path("config.toml");
    std::fs::write(
        &config,
        "[mail]\nfrom = \"Joe Public <john.q.public@example.com>\"\n[log]\nme = [\"joe@home.example\"]\n",
    )
    .unwrap();
    let raw = std::fs::read(fixture("ruby-mail/example03.eml")).unwrap();
    let out = log_with(&k, Some(&config), None, &["--add"], &raw);
    assert_success(&out, &["log", "--add"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.starts_with("Logged (sent) for "), "{said}");
    let everyone = k.contacts_json();
    assert!(
        everyone
            .iter()
            .all(|c| c["email"] != "john.q.public@example.com"),
        "the user was added as a contact: {everyone:#?}"
    );
    assert_eq!(
        direction(&k, "5678.21-Nov-1997@example.com")
            .first()
            .map(String::as_str),
        Some("sent")
    );
    let mine = emails(&k, "Smith & Co");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["contact_id"], mary);
}

#[test]
fn encodings_html_and_a_missing_message_id() {
    let k = Kith::new();
    k.add_lead("Example", &[]);
    k.add_contact("Example", "Zoë", &["--email", "zoe.martin@example.com"]);
    k.add_contact("Example", "Test", &["--email", "test@example.com"]);
    k.add_contact("Example", "Nicolas", &["--email", "a.b@gmail.com"]);
    k.add_contact("Example", "Mikel", &["--email", "raasdnil@gmail.com"]);
    // Windows-1252 quoted-printable, encoded-word subject, no Message-ID: logged once however
    // often it is piped.
    let raw = std::fs::read(fixture("kith/windows-1252-no-message-id.eml")).unwrap();
    log(&k, &raw);
    let again = log(&k, &raw);
    assert!(again.contains("Logged before for Zoë"), "{again}");
    // HTML only: text without tags.
    log(
        &k,
        &std::fs::read(fixture("mail-parser/thirdparty-016.eml")).unwrap(),
    );
    // ISO-8859-1 quoted-printable in multipart/alternative, encoded-word names and subject.
    log(
        &k,
        &std::fs::read(fixture(
            "ruby-mail/raw_email_encoded_stack_level_too_deep.eml",
        ))
        .unwrap(),
    );
    // Base64 body, UTF-8 encoded-word subject.
    log(
        &k,
        &std::fs::read(fixture("ruby-mail/japanese.eml")).unwrap(),
    );
    let all = emails(&k, "Example");
    assert_eq!(all.len(), 4, "{all:#?}");
    let by_subject = |s: &str| {
        all.iter()
            .find(|e| e["subject"] == s)
            .unwrap_or_else(|| panic!("no email {s:?} in {all:#?}"))
    };
    let devis = by_subject("Devis n° 2024-17 – révisé");
    assert!(devis["body"].as_str().unwrap().contains('€'), "{devis}");
    let html = by_subject("25 HTML + embedded image");
    assert_eq!(html["body"], "Search for höhö");
    let gmail = by_subject("Nicolas Fouché has accepted your invitation to Gmail");
    assert!(!gmail["body"].as_str().unwrap().contains('<'), "{gmail}");
    let japanese = by_subject("まみむめも");
    assert!(
        japanese["body"].as_str().unwrap().contains("かきくえこ"),
        "{japanese}"
    );
}

#[test]
fn add_puts_strangers_at_their_company_a_new_lead_or_unfiled() {
    let k = Kith::new();
    k.add_customer("Example Org", &["--website", "https://www.example.org"]);
    let raw = std::fs::read(fixture("kith/windows-1252-no-message-id.eml")).unwrap();
    let out = log_with(&k, None, None, &["--add"], &raw);
    assert_success(&out, &["log", "--add"]);
    let everyone = k.contacts_json();
    let at = |address: &str| {
        let c = everyone
            .iter()
            .find(|c| c["email"] == address)
            .unwrap_or_else(|| panic!("{address} not added: {everyone:#?}"));
        (
            c["full_name"].as_str().unwrap().to_string(),
            c["parent"]["name"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(
        at("olivier@example.org"),
        ("Olivier Brun".into(), "Example Org".into())
    );
    assert_eq!(at("claire@example.org").1, "Example Org");
    assert_eq!(
        at("juergen@example.net"),
        ("Jürgen Müller".into(), "example.net".into())
    );
    assert_eq!(
        at("finance@example.net").1,
        "example.net",
        "one new lead per domain"
    );
    assert_eq!(at("zoe.martin@example.com").1, "example.com");
    assert_eq!(everyone.len(), 6);
    // A free-mail address says nothing of a company: Unfiled.
    let raw = std::fs::read(fixture("ruby-mail/japanese.eml")).unwrap();
    assert_success(
        &log_with(&k, None, None, &["--add"], &raw),
        &["log", "--add"],
    );
    let mikel = k
        .contacts_json()
        .into_iter()
        .find(|c| c["email"] == "raasdnil@gmail.com")
        .expect("added");
    assert_eq!(mikel["parent"]["name"], "Unfiled");
    assert_eq!(mikel["full_name"], "Mikel Lindsaar");
}

#[test]
fn a_message_with_nobody_kith_knows_is_one_line_and_exit_1() {
    let k = Kith::new();
    let raw = std::fs::read(fixture("ruby-mail/example03.eml")).unwrap();
    let out = log_with(&k, None, None, &[], &raw);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        one_line(&err).starts_with(
            "kith: nobody in this message is in kith: john.q.public@example.com, mary@x.test"
        ),
        "{err}"
    );
    let out = log_with(&k, None, None, &[], b"not an email at all");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        one_line(&err).starts_with("kith: standard input: not an email"),
        "{err}"
    );
}

#[test]
fn a_mailbox_is_logged_whole_and_its_bad_messages_are_named_and_skipped() {
    let k = Kith::new();
    k.add_lead("Engines", &[]);
    k.add_contact("Engines", "Ada", &["--email", "ada@example.com"]);
    k.add_contact("Engines", "Charles", &["--email", "charles@example.org"]);
    let mut mbox = std::fs::read(fixture("kith/three.mbox")).unwrap();
    mbox.extend_from_slice(b"\nFrom nobody Mon Jan  8 09:00:00 2024\nthis is not a message\n");
    let file = k.path("sent.mbox");
    std::fs::write(&file, &mbox).unwrap();
    let out = k.run(&["log", "--mbox", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "a bad message makes the exit 1");
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        said,
        "Read 4 message(s): 3 logged, 0 logged before, 0 with nobody kith knows, 0 contact(s) added, 1 bad\n"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    let line = one_line(&err);
    assert!(
        line.starts_with(&format!("kith: {}:", file.display())),
        "{line}"
    );
    assert!(line.contains("not an email"), "{line}");
    // Ada is in all three, Charles in the first two: three entries, each naming them.
    let engine = emails(&k, "Engines");
    assert_eq!(engine.len(), 3, "{engine:#?}");
    let named: Vec<usize> = engine.iter().map(|e| participants(e).len()).collect();
    assert_eq!(named, [1, 2, 2], "newest first: {engine:#?}");
    // Again: nothing twice.
    let out = k.run(&["log", "--mbox", file.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 logged, 3 logged before"));
    assert_eq!(emails(&k, "Engines").len(), 3);
    // A maildir: cur/ and new/, not tmp/.
    let dir = fixture("kith/maildir");
    let out = k.ok(&["log", "--maildir", dir.to_str().unwrap()]);
    assert!(out.starts_with("Read 2 message(s)"), "{out}");
    let err = k.fails(&["log", "--maildir", k.dir.path().to_str().unwrap()]);
    assert!(one_line(&err).contains("not a maildir"), "{err}");
}

/// A message from `from` to `to`, sent or received at `date`.
fn message(id: &str, from: &str, to: &str, date: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: hello\r\nDate: {date}\r\nMessage-ID: <{id}>\r\n\r\nHi.\r\n"
    )
    .into_bytes()
}

fn query_names(k: &Kith, now: &str, q: &str) -> Vec<String> {
    let out = k
        .cmd()
        .env("KITH_NOW", now)
        .args(["query", "--format", "json", q])
        .output()
        .unwrap();
    assert_success(&out, &["query", q]);
    let list: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    list.iter()
        .map(|c| c["full_name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_puts_the_people_you_write_to_first() {
    let k = Kith::new();
    k.add_lead("Navy", &[]);
    k.add_contact(
        "Navy",
        "Grace",
        &["--last", "Hopper", "--email", "grace@navy.example"],
    );
    k.add_contact(
        "Navy",
        "Grace",
        &["--last", "Jones", "--email", "gj@navy.example"],
    );
    k.add_contact(
        "Navy",
        "Grace",
        &["--last", "Kelly", "--email", "gk@navy.example"],
    );
    let now = "2026-06-01T00:00:00Z";
    assert_eq!(
        query_names(&k, now, "grace"),
        ["Grace Hopper", "Grace Jones", "Grace Kelly"]
    );
    let config = k.path("config.toml");
    std::fs::write(&config, "[mail]\nfrom = \"me@mine.example\"\n").unwrap();
    // Kelly wrote to the user once; the user wrote to Jones once: sent mail weighs more.
    let received = message(
        "r1@x",
        "gk@navy.example",
        "me@mine.example",
        "Mon, 25 May 2026 10:00:00 +0000",
    );
    let sent = message(
        "s1@x",
        "me@mine.example",
        "gj@navy.example",
        "Mon, 25 May 2026 10:00:00 +0000",
    );
    for m in [&received, &sent] {
        let out = log_with(&k, Some(&config), Some(now), &[], m);
        assert_success(&out, &["log"]);
    }
    assert_eq!(
        query_names(&k, now, "grace"),
        ["Grace Jones", "Grace Kelly", "Grace Hopper"]
    );
    // More, and more recent, mail counts: three fresh messages from Kelly outweigh one old sent.
    for n in 0..3 {
        let m = message(
            &format!("r{n}@y"),
            "gk@navy.example",
            "me@mine.example",
            "Sun, 31 May 2026 10:00:00 +0000",
        );
        assert_success(&log_with(&k, Some(&config), Some(now), &[], &m), &["log"]);
    }
    assert_eq!(
        query_names(&k, now, "grace"),
        ["Grace Kelly", "Grace Jones", "Grace Hopper"]
    );
    // The mutt format keeps that order too.
    let out = k
        .cmd()
        .env("KITH_NOW", now)
        .args(["query", "grace"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().nth(1).unwrap_or_default();
    assert!(first.starts_with("gk@navy.example\t"), "{text}");
}

/// `kith ARGS` at `now`.
fn at(k: &Kith, now: &str, config: Option<&Path>, args: &[&str]) -> String {
    let mut cmd = k.cmd();
    if let Some(c) = config {
        cmd.arg("--config").arg(c);
    }
    let out = cmd.env("KITH_NOW", now).args(args).output().unwrap();
    assert_success(&out, args);
    String::from_utf8(out.stdout).unwrap()
}

fn due_json(k: &Kith, now: &str, config: Option<&Path>) -> Vec<Value> {
    serde_json::from_str(&at(k, now, config, &["due", "--format", "json"])).unwrap()
}

#[test]
fn due_lists_who_is_overdue_most_overdue_first_over_the_clock_the_test_sets() {
    let k = Kith::new();
    let config = k.path("config.toml");
    std::fs::write(
        &config,
        "[cadence.tags]\ninvestor = 30\n[cadence.statuses]\ncontacted = 7\n",
    )
    .unwrap();
    let jan = "2026-01-01T09:00:00Z";
    let c = Some(config.as_path());
    at(&k, jan, c, &["lead", "add", "--name", "Initech"]);
    at(&k, jan, c, &["customer", "add", "--name", "Globex"]);
    let ada = at(
        &k,
        jan,
        c,
        &[
            "contact", "add", "--parent", "Globex", "--first", "Ada", "--tags", "investor",
        ],
    );
    let bob = at(
        &k,
        jan,
        c,
        &["contact", "add", "--parent", "Globex", "--first", "Bob"],
    );
    let cy = at(
        &k,
        jan,
        c,
        &["contact", "add", "--parent", "Initech", "--first", "Cy"],
    );
    let (ada, bob, cy) = (ada.trim(), bob.trim(), cy.trim());
    at(&k, jan, c, &["contact", "edit", bob, "--every", "10"]);
    at(
        &k,
        jan,
        c,
        &[
            "lead",
            "status",
            "Initech",
            "contacted",
            "--reason",
            "called",
        ],
    );
    at(
        &k,
        "2026-01-05T09:00:00Z",
        c,
        &["note", "Globex", "--contact", ada, "Lunch"],
    );
    // Nobody is due before their cadence is out.
    assert!(due_json(&k, "2026-01-07T09:00:00Z", c).is_empty());
    assert_eq!(
        at(&k, "2026-01-07T09:00:00Z", c, &["due"]),
        "Nobody is due.\n"
    );
    // On 20 January: Cy (a week after January 1st: 12 days over), Bob (10 days: 9 over); Ada's
    // 30 days from her lunch are not out.
    let due = due_json(&k, "2026-01-20T09:00:00Z", c);
    let ids: Vec<String> = due.iter().map(|d| d["contact"]["id"].to_string()).collect();
    assert_eq!(ids, [cy, bob]);
    assert_eq!(due[0]["overdue_days"], 12);
    assert_eq!(due[0]["every_days"], 7);
    assert_eq!(due[0]["cadence_from"], "status contacted");
    assert_eq!(due[0]["parent"]["name"], "Initech");
    assert_eq!(due[1]["cadence_from"], "their own");
    assert_eq!(due[1]["last"], Value::Null);
    // A note to their company as a whole counts as being in touch with everyone there: on 1
    // March only Cy is due. By 1 April all three are, the company's call the last thing that
    // happened with Bob and Ada.
    at(
        &k,
        "2026-02-25T09:00:00Z",
        c,
        &["note", "Globex", "Quarterly call"],
    );
    let ids_at = |now: &str| -> Vec<String> {
        due_json(&k, now, c)
            .iter()
            .map(|d| d["contact"]["id"].to_string())
            .collect()
    };
    assert_eq!(ids_at("2026-03-01T09:00:00Z"), [cy]);
    let due = due_json(&k, "2026-04-01T09:00:00Z", c);
    let ids: Vec<String> = due.iter().map(|d| d["contact"]["id"].to_string()).collect();
    assert_eq!(ids, [cy, bob, ada], "most overdue first");
    assert_eq!(due[2]["last"]["body"], "Quarterly call");
    assert_eq!(due[2]["cadence_from"], "tag investor");
    assert_eq!(due[2]["overdue_days"], 5);
    let text = at(&k, "2026-04-01T09:00:00Z", c, &["due"]);
    assert!(
        text.lines()
            .nth(3)
            .unwrap()
            .contains("2026-02-25 note Quarterly call"),
        "{text}"
    );
    // A cadence cleared with 0; the lead's status no longer asking once it moves on.
    at(
        &k,
        "2026-04-01T09:00:00Z",
        c,
        &["lead", "status", "Initech", "qualified", "--reason", "yes"],
    );
    at(
        &k,
        "2026-04-01T09:00:00Z",
        c,
        &["contact", "edit", bob, "--every", "0"],
    );
    assert_eq!(ids_at("2026-04-01T09:00:00Z"), [ada]);
    let err = k.fails(&["contact", "edit", bob, "--every", "40000"]);
    assert!(err.contains("40000"), "{err}");
    let out = k
        .cmd()
        .env("KITH_NOW", "yesterday")
        .args(["due"])
        .output()
        .unwrap();
    assert_eq!(
        one_line(&String::from_utf8_lossy(&out.stderr)),
        "kith: KITH_NOW: \"yesterday\" is not an RFC 3339 time such as 2026-12-01T09:00:00Z"
    );
}

#[test]
fn contacts_where_scopes_words_to_fields() {
    let k = Kith::new();
    k.add_lead("Acme Robotics", &[]);
    k.add_customer("Initech", &[]);
    k.add_contact(
        "Acme Robotics",
        "Grace",
        &["--title", "CTO", "--tags", "investor"],
    );
    k.add_contact(
        "Acme Robotics",
        "Alan",
        &["--title", "Chief Technology Officer"],
    );
    k.add_contact(
        "Initech",
        "Ada",
        &[
            "--title",
            "CTO",
            "--tags",
            "investor",
            "--email",
            "ada@initech.example",
        ],
    );
    k.add_contact("Acme Robotics", "Linus", &["--title", "Director"]);
    let names = |q: &str| -> Vec<String> {
        let out = k.ok(&["contacts", "--where", q, "--format", "json"]);
        let list: Vec<Value> = serde_json::from_str(&out).unwrap();
        let mut names: Vec<String> = list
            .iter()
            .map(|c| c["full_name"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        names("title:cto"),
        ["Ada", "Alan", "Grace"],
        "aliases count, directors do not"
    );
    assert_eq!(names("title:cto org:acme"), ["Alan", "Grace"]);
    assert_eq!(names("title:cto org:acme tag:investor"), ["Grace"]);
    assert_eq!(names("email:initech"), ["Ada"]);
    assert_eq!(names("linus"), ["Linus"], "free words as today");
    assert_eq!(names("title:cto ada"), ["Ada"]);
    assert_eq!(names("due:yes"), Vec::<String>::new());
}

/// Rows of a table, each column as text.
type Rows = Vec<Vec<String>>;

/// Every row of the store's emails and their people, each as text: what must come back exactly
/// after an undo.
fn timeline_rows(k: &Kith) -> (Rows, Rows, Rows) {
    (
        activity_rows(k),
        common::rows_on(
            &k.db,
            "SELECT activity_id, contact_id, position FROM activity_participants
              ORDER BY activity_id, contact_id",
        ),
        common::rows_on(
            &k.db,
            "SELECT id, entity, entity_id, action FROM history WHERE entity = 'activity'
              ORDER BY id",
        ),
    )
}

/// Every column of every note and email, as text, in id order.
fn activity_rows(k: &Kith) -> Vec<Vec<String>> {
    common::rows_on(
        &k.db,
        "SELECT id, parent_id, contact_id, kind, subject, body, email_to, message_id, author,
                created_at, direction FROM activities ORDER BY id",
    )
}

/// `kith check` says the store is clean.
fn clean(k: &Kith) {
    let out = k.run(&["check"]);
    assert_success(&out, &["check"]);
}

#[test]
fn an_address_kith_cannot_keep_is_left_out_by_name_and_the_rest_logged() {
    let k = Kith::new();
    k.add_customer("Acme", &["--website", "https://acme.example"]);
    let ann = k.add_contact("Acme", "Ann", &["--email", "ann@acme.example"]);
    let raw = b"From: Ann <ann@acme.example>\r\n\
        To: root@localhost, a..b@x.example, u@[192.0.2.1], \"john doe\"@x.example\r\n\
        Cc: Bob Smith <bob@acme.example>, \"Eve\x1b[31m\" <\"e\x1b]2;x\x07ve\"@evil.example>\r\n\
        Subject: the plan\r\nDate: Mon, 25 May 2026 10:00:00 +0000\r\nMessage-ID: <plan@acme.example>\r\n\r\nHi.\r\n";
    let out = log_with(&k, None, None, &["--add"], raw);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.starts_with("Logged (received) for Ann (Acme), Bob Smith (Acme)"),
        "{said}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    for bad in [
        "\"root@localhost\" is not an email address",
        "\"a..b@x.example\" is not an email address",
        "\"u@[192.0.2.1]\" is not an email address",
        "\"\\\"john doe\\\"@x.example\": kith keeps no address with a quoted part",
    ] {
        assert!(
            err.lines()
                .any(|l| l.starts_with("kith: warning: left out ") && l.contains(bad)),
            "{bad} not named in:\n{err}"
        );
    }
    assert!(!err.contains('\x1b') && !err.contains('\x07'), "{err:?}");
    let everyone = k.contacts_json();
    let addresses: Vec<&str> = everyone
        .iter()
        .filter_map(|c| c["email"].as_str())
        .collect();
    assert_eq!(
        addresses,
        ["ann@acme.example", "bob@acme.example"],
        "{everyone:#?}"
    );
    let acme = emails(&k, "Acme");
    assert_eq!(acme.len(), 1, "{acme:#?}");
    assert_eq!(participants(&acme[0])[0], ann);
    // In a mailbox the message is logged, not counted bad.
    let file = k.path("in.mbox");
    let mut mbox = b"From ann@acme.example Mon May 25 10:00:00 2026\n".to_vec();
    mbox.extend_from_slice(&raw.replace(b"<plan@acme.example>", b"<plan-2@acme.example>"));
    std::fs::write(&file, &mbox).unwrap();
    let out = k
        .cmd()
        .args(["log", "--add", "--mbox", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.starts_with("Read 1 message(s): 1 logged,"), "{said}");
    assert!(said.contains(" 0 bad"), "{said}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "kith: warning: {}:1: left out \"root@localhost\"",
            file.display()
        )),
        "{err}"
    );
}

trait Replace {
    fn replace(&self, from: &[u8], to: &[u8]) -> Vec<u8>;
}

impl Replace for [u8] {
    fn replace(&self, from: &[u8], to: &[u8]) -> Vec<u8> {
        let at = self
            .windows(from.len())
            .position(|w| w == from)
            .expect("the text to replace is there");
        [&self[..at], to, &self[at + from.len()..]].concat()
    }
}

/// One message of an mbox: headers (CRLF-free lines), a blank line, a body.
fn mbox_entry(headers: &str) -> String {
    format!("From x@y Mon May 25 10:00:00 2026\n{headers}\n\nHello.\n\n")
}

#[test]
fn add_never_takes_a_list_a_robot_an_automatic_sender_or_the_mailbox_for_a_person() {
    let k = Kith::new();
    k.add_customer("Acme", &["--website", "https://acme.example"]);
    let ann = k.add_contact("Acme", "Ann", &["--email", "ann@acme.example"]);
    let messages = [
        // A discussion list's copy: the list is no person, whoever posts to it is.
        "From: Carl <carl@carl.example>\nTo: Developers <dev@example.org>\nCc: ann@acme.example\n\
         Subject: Re: the build\nMessage-ID: <1@x>\nList-Id: Developers <dev.example.org>\n\
         List-Post: <mailto:dev@example.org>\nPrecedence: list",
        // RFC 3834 and the robots of mail.
        "From: Build Bot <builds@ci.example>\nTo: ann@acme.example\nSubject: build failed\n\
         Message-ID: <2@x>\nAuto-Submitted: auto-generated",
        "From: GitHub <noreply@github.com>\nTo: ann@acme.example\nSubject: a review\nMessage-ID: <3@x>",
        "From: Shop <news@shop.example>\nTo: ann@acme.example\nSubject: Sale\nMessage-ID: <4@x>\n\
         Precedence: bulk",
        "From: Calendar <calendar@corp.example>\nTo: ann@acme.example\nSubject: Accepted\n\
         Message-ID: <5@x>\nX-Auto-Response-Suppress: All",
        "From: Mail Delivery System <MAILER-DAEMON@mx.example>\nTo: ann@acme.example\n\
         Subject: Undelivered Mail\nMessage-ID: <6@x>\nContent-Type: multipart/report; report-type=delivery-status; boundary=b",
        "From: postmaster@example.net\nTo: ann@acme.example\nSubject: hi\nMessage-ID: <7@x>",
        // A newsletter: a list that takes no posts, sent from an address that looks like anyone's.
        "From: Acme News <hello@acme-news.example>\nTo: ann@acme.example\nSubject: News\n\
         Message-ID: <8@x>\nList-Unsubscribe: <mailto:leave@acme-news.example>",
        // The mailbox it was delivered to is the user's, whoever kith was told they are.
        "From: Dave <dave@dave.example>\nTo: ann@acme.example, me@mine.example\nSubject: lunch\n\
         Message-ID: <9@x>\nDelivered-To: me@mine.example",
        // A list's copy with its headers taken off still has the list's tag in its subject.
        "From: Frank <frank@frank.example>\nTo: Discussion about the Arch User Repository (AUR) \
         <aur-general@archlinux.org>, ann@acme.example\nSubject: Re: [aur-general] Guidelines\n\
         Message-ID: <10@x>",
        // List machinery and list servers.
        "From: Gus <gus@gus.example>\nTo: ann@acme.example, dev-request@example.org, \
         owner-dev@example.org, team@googlegroups.com, users@lists.example.net\n\
         Subject: subscribe\nMessage-ID: <11@x>",
    ];
    let file = k.path("in.mbox");
    std::fs::write(&file, messages.map(mbox_entry).concat()).unwrap();
    let out = k.ok(&["log", "--add", "--mbox", file.to_str().unwrap()]);
    assert!(
        out.starts_with("Read 11 message(s): 11 logged, 0 logged before, 0 with nobody kith knows, 4 contact(s) added, 0 bad\n"),
        "{out}"
    );
    let mut added: Vec<String> = k
        .contacts_json()
        .iter()
        .filter_map(|c| c["email"].as_str().map(str::to_string))
        .collect();
    added.sort();
    assert_eq!(
        added,
        [
            "ann@acme.example",
            "carl@carl.example",
            "dave@dave.example",
            "frank@frank.example",
            "gus@gus.example"
        ]
    );
    for left in [
        "dev@example.org (a mailing list)",
        "builds@ci.example (in an automatic message: Auto-Submitted: auto-generated)",
        "noreply@github.com (an automatic mailbox)",
        "news@shop.example (in an automatic message: Precedence: bulk)",
    ] {
        assert!(out.contains(left), "{left} not in {out}");
    }
    // Ann, whom kith knows, has every one of them.
    let acme = emails(&k, "Acme");
    assert_eq!(acme.len(), 11, "{acme:#?}");
    assert!(acme.iter().all(|e| participants(e).contains(&ann)));
    clean(&k);
    // One message alone says whom it left out, and that the user's own addresses have a key.
    let one = message(
        "12@x",
        "Hugo <hugo@hugo.example>",
        "ann@acme.example, noreply@acme.example",
        "Mon, 25 May 2026 10:00:00 +0000",
    );
    let said = log(&k, &one);
    assert!(
        said.contains("Not in kith: hugo@hugo.example (kith log --add adds them; your own addresses belong in log.me)\n"),
        "{said}"
    );
    assert!(
        said.contains("Not added: noreply@acme.example (an automatic mailbox)\n"),
        "{said}"
    );
}

/// `kith log --add --maildir` of a fixture folder; what it printed.
fn add_maildir(k: &Kith, name: &str) -> String {
    let dir = fixture(name);
    let args = ["log", "--add", "--maildir", dir.to_str().unwrap()];
    let out = k.cmd().args(args).output().unwrap();
    assert_success(&out, &args);
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_notmuch_corpus_logs_each_message_once_per_timeline_and_adds_no_list_as_a_person() {
    let k = Kith::new();
    let said = add_maildir(&k, "notmuch/default");
    // Two files of the corpus are one message (the same Message-ID).
    assert!(
        said.starts_with("Read 53 message(s): 52 logged, 1 logged before, 0 with nobody kith knows, 17 contact(s) added, 0 bad\n"),
        "{said}"
    );
    assert!(
        said.contains("Not added: notmuch@notmuchmail.org (a mailing list), aur-general@archlinux.org (a mailing list)\n"),
        "{said}"
    );
    let everyone = k.contacts_json();
    assert_eq!(everyone.len(), 17);
    for c in &everyone {
        let address = c["email"].as_str().unwrap();
        assert!(
            !["notmuch@notmuchmail.org", "aur-general@archlinux.org"].contains(&address),
            "a list became a person: {c:#}"
        );
        assert!(
            !c["full_name"].as_str().unwrap().starts_with("Discussion"),
            "{c:#}"
        );
    }
    // Each message once on each timeline: no parent holds one message twice, and the message
    // to Allan McRae and the AUR list is on archlinux.org's timeline once.
    let doubled = k.sql_count(
        "SELECT count(*) FROM (SELECT parent_id, message_id FROM activities
                                GROUP BY parent_id, message_id HAVING count(*) > 1) AS d",
    );
    assert_eq!(doubled, 0);
    let arch = emails(&k, "archlinux.org");
    assert_eq!(arch.len(), 1, "{arch:#?}");
    assert_eq!(arch[0]["message_id"], "4EFC743A.3060609@april.org");
    assert_eq!(arch[0]["participants"][0]["full_name"], "Allan McRae");
    // Carl Worth wrote twelve of them and is in more: every one is on his timeline once.
    let carl = common::by_name(&everyone, "Carl Worth")["id"]
        .as_i64()
        .unwrap();
    let his = k.sql_count(&format!(
        "SELECT count(*) FROM activity_participants WHERE contact_id = {carl}"
    ));
    let distinct = k.sql_count(&format!(
        "SELECT count(DISTINCT a.message_id) FROM activities a
           JOIN activity_participants p ON p.activity_id = a.id WHERE p.contact_id = {carl}"
    ));
    assert!(his >= 12, "{his}");
    assert_eq!(his, distinct);
    clean(&k);
    // Logged again, nothing changes.
    let before = timeline_rows(&k);
    let again = add_maildir(&k, "notmuch/default");
    assert!(again.contains(": 0 logged, 53 logged before,"), "{again}");
    assert_eq!(timeline_rows(&k), before);
}

#[test]
fn a_message_to_five_people_at_one_company_is_one_entry_there_in_real_kernel_mail() {
    let k = Kith::new();
    let said = add_maildir(&k, "notmuch/lkml");
    // The cover letter went to thirty lists through vger (Precedence: bulk): nobody in it is
    // added for it; the e1000 thread's people are.
    assert!(
        said.starts_with("Read 6 message(s): 5 logged, 0 logged before, 1 with nobody kith knows, 8 contact(s) added, 0 bad\n"),
        "{said}"
    );
    let everyone = k.contacts_json();
    for c in &everyone {
        let address = c["email"].as_str().unwrap();
        let domain = address.rsplit('@').next().unwrap();
        assert!(
            domain != "vger.kernel.org" && !domain.starts_with("lists."),
            "a list became a person: {c:#}"
        );
    }
    let mut intel: Vec<i64> = everyone
        .iter()
        .filter(|c| c["parent"]["name"] == "intel.com")
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    intel.sort();
    assert_eq!(intel.len(), 5, "{everyone:#?}");
    // Five messages, each with all five of them: five entries, not twenty-five.
    let timeline = emails(&k, "intel.com");
    assert_eq!(timeline.len(), 5, "{timeline:#?}");
    for e in &timeline {
        let mut people = participants(e);
        people.sort();
        assert_eq!(people, intel, "{e:#}");
    }
    let text = k.ok(&["show", "intel.com"]);
    assert_eq!(text.matches("email by").count(), 5, "{text}");
    clean(&k);
}

#[test]
fn each_person_in_an_email_still_counts_it_for_due_and_completion() {
    let k = Kith::new();
    let now = "2026-06-01T00:00:00Z";
    let config = k.path("config.toml");
    std::fs::write(&config, "[mail]\nfrom = \"me@mine.example\"\n").unwrap();
    let c = Some(config.as_path());
    at(&k, now, c, &["customer", "add", "--name", "Navy"]);
    let mut ids = Vec::new();
    for (last, address) in [
        ("Hopper", "grace@navy.example"),
        ("Jones", "gj@navy.example"),
        ("Kelly", "gk@navy.example"),
    ] {
        let out = at(
            &k,
            now,
            c,
            &[
                "contact", "add", "--parent", "Navy", "--first", "Grace", "--last", last,
                "--email", address,
            ],
        );
        let id = out.trim().to_string();
        at(&k, now, c, &["contact", "edit", &id, "--every", "7"]);
        ids.push(id);
    }
    // The user wrote to Kelly and Jones in one message: one entry at Navy, Kelly its contact.
    let sent = message(
        "s1@x",
        "me@mine.example",
        "gk@navy.example, gj@navy.example",
        "Sun, 31 May 2026 10:00:00 +0000",
    );
    assert_success(&log_with(&k, c, Some(now), &[], &sent), &["log"]);
    let navy = emails(&k, "Navy");
    assert_eq!(navy.len(), 1, "{navy:#?}");
    assert_eq!(navy[0]["contact_id"].to_string(), ids[2]);
    // Completion ranks both above the Grace nobody wrote to.
    assert_eq!(
        query_names(&k, now, "grace"),
        ["Grace Jones", "Grace Kelly", "Grace Hopper"]
    );
    // Each one's last touch is that message, Jones's too, though the entry is Kelly's.
    let due = due_json(&k, "2026-06-20T00:00:00Z", c);
    let last = |id: &str| {
        due.iter()
            .find(|d| d["contact"]["id"].to_string().as_str() == id)
            .unwrap_or_else(|| panic!("#{id} not due: {due:#?}"))["last"]
            .clone()
    };
    assert_eq!(last(&ids[0]), Value::Null);
    for id in &ids[1..] {
        assert_eq!(last(id)["at"], "2026-05-31T10:00:00Z", "#{id}: {due:#?}");
    }
}

#[test]
fn a_date_no_message_can_have_is_refused_with_a_warning_and_logged_at_its_arrival() {
    let k = Kith::new();
    k.add_customer("Acme", &[]);
    k.add_contact("Acme", "Ann", &["--email", "ann@acme.example"]);
    let now = "2026-06-01T12:00:00Z";
    let dated = |id: &str, date: &str| message(id, "ann@acme.example", "me@mine.example", date);
    let cases = [
        (
            "far@x",
            "Fri, 31 Dec 9999 23:59:59 -0500",
            Some("is in the future"),
        ),
        (
            "old@x",
            "Thu, 13 Feb 1969 23:32:54 -0330",
            Some("is before 1970"),
        ),
        (
            "soon@x",
            "Wed, 3 Jun 2026 12:00:00 +0000",
            Some("is in the future"),
        ),
        ("junk@x", "Whenever it suits", Some("is no date")),
        ("fine@x", "Mon, 01 Jun 2026 08:00:00 +0000", None),
        ("edge@x", "Thu, 01 Jan 1970 00:00:00 +0000", None),
    ];
    for (id, date, why) in cases {
        let out = log_with(&k, None, Some(now), &[], &dated(id, date));
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        match why {
            Some(why) => assert_eq!(
                err,
                format!("kith: warning: Date: {date} {why}: logged at its arrival, {now}\n")
            ),
            None => assert_eq!(err, "", "{date}"),
        }
    }
    let at: Vec<(String, String)> = emails(&k, "Acme")
        .iter()
        .map(|e| {
            (
                e["message_id"].as_str().unwrap().to_string(),
                e["created_at"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let when = |id: &str| at.iter().find(|(m, _)| m == id).unwrap().1.clone();
    for id in ["far@x", "old@x", "soon@x", "junk@x"] {
        assert_eq!(when(id), now, "{id}");
    }
    assert_eq!(when("fine@x"), "2026-06-01T08:00:00Z");
    assert_eq!(when("edge@x"), "1970-01-01T00:00:00Z");
    // The oldest entry is the real oldest, not a year-10000 one sorted as text.
    assert_eq!(at.last().unwrap().0, "edge@x", "{at:?}");
    // In a mailbox the warning names where the message is.
    let file = k.path("in.mbox");
    std::fs::write(
        &file,
        mbox_entry(
            "From: ann@acme.example\nTo: me@mine.example\nSubject: x\nMessage-ID: <m@x>\n\
             Date: Fri, 31 Dec 9999 23:59:59 -0500",
        ),
    )
    .unwrap();
    let out = k
        .cmd()
        .env("KITH_NOW", now)
        .args(["log", "--mbox", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "kith: warning: {}:1: Date: Fri, 31 Dec 9999 23:59:59 -0500 is in the future: logged at its arrival, {now}\n",
            file.display()
        )
    );
}

/// Makes the test's store what kith wrote before emails had participants (version 8, the last
/// version that logged a message once per person), empty.
fn store_of_schema_8(k: &Kith) {
    if kith::store::is_url(&k.db) {
        let (mut client, _) = kith::store::pgconnect::connect(
            &k.db.to_string_lossy(),
            &kith::store::pgconnect::ConnectOptions::default(),
        )
        .unwrap();
        client
            .batch_execute(
                "CREATE TABLE kith_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                 INSERT INTO kith_meta (key, value) VALUES ('schema_version', '8');",
            )
            .unwrap();
        client
            .batch_execute(kith::store::schema::postgres::BASE_SQL)
            .unwrap();
        assert_eq!(kith::store::schema::postgres::BASE, 8);
        return;
    }
    use kith::store::schema::{APPLICATION_ID, MIGRATIONS};
    let conn = rusqlite::Connection::open(&k.db).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    for sql in &MIGRATIONS[..8] {
        conn.execute_batch(sql).unwrap();
    }
    conn.pragma_update(None, "user_version", 8).unwrap();
}

#[test]
fn a_store_holding_copies_of_an_email_folds_them_into_one_with_its_people() {
    let k = Kith::new();
    store_of_schema_8(&k);
    let t = "'2026-01-01T00:00:00Z'";
    let mut statements = vec![format!(
        "INSERT INTO parents (id, kind, name, status, created_at, updated_at)
                 VALUES (1, 'customer', 'Acme', 'active', {t}, {t}),
                        (2, 'lead', 'Beta', 'new', {t}, {t})"
    )];
    for (id, parent, name) in [(1, 1, "Ann"), (2, 1, "Bob"), (3, 1, "Cat"), (4, 2, "Dan")] {
        statements.push(format!(
            "INSERT INTO contacts (id, parent_id, full_name, uid, created_at, updated_at)
             VALUES ({id}, {parent}, '{name}', 'u-{id}', {t}, {t})"
        ));
    }
    // A message logged for Ann, Bob and Cat at Acme and Dan at Beta: four copies, three on
    // Acme's timeline. A note, and an email with one person, stay as they are. A message whose
    // first copy lost its person (a contact deleted) folds into that copy, which takes the next.
    let activities = [
        (10, 1, "1", "email", "m1@x"),
        (11, 1, "2", "email", "m1@x"),
        (12, 2, "4", "email", "m1@x"),
        (13, 1, "3", "email", "m1@x"),
        (14, 1, "1", "note", ""),
        (15, 1, "2", "email", "m2@x"),
        (16, 1, "NULL", "email", "m3@x"),
        (17, 1, "3", "email", "m3@x"),
    ];
    for (id, parent, contact, kind, message) in activities {
        let (message, direction) = if kind == "email" {
            (format!("'{message}'"), "'received'")
        } else {
            ("NULL".to_string(), "NULL")
        };
        statements.push(format!(
            "INSERT INTO activities (id, parent_id, contact_id, kind, subject, body, email_to,
                                     message_id, author, created_at, direction)
             VALUES ({id}, {parent}, {contact}, '{kind}', 'Plans', 'Body of {id}',
                     'ann@acme.example', {message}, 'Zed <zed@z.example>',
                     '2025-05-0{}T10:00:00Z', {direction})",
            id % 10
        ));
        statements.push(format!(
            "INSERT INTO history (id, at, actor, entity, entity_id, action)
             VALUES ({id}, {t}, 'me', 'activity', {id}, 'email_logged')"
        ));
    }
    for sql in &statements {
        k.sql(sql, &[]);
    }
    let before = activity_rows(&k);
    assert_eq!(before.len(), 8);
    // The first command to open the store migrates it.
    let acme = k.show_json("Acme");
    let acme: Vec<&Value> = acme["activities"].as_array().unwrap().iter().collect();
    let by_message = |m: &str| -> Vec<&Value> {
        acme.iter()
            .filter(|a| a["message_id"] == m)
            .copied()
            .collect()
    };
    let m1 = by_message("m1@x");
    assert_eq!(m1.len(), 1, "{acme:#?}");
    assert_eq!(m1[0]["id"], 10);
    assert_eq!(m1[0]["contact_id"], 1);
    assert_eq!(participants(m1[0]), [1, 2, 3]);
    let m3 = by_message("m3@x");
    assert_eq!(
        (m3.len(), &m3[0]["id"], &m3[0]["contact_id"]),
        (1, &json!(16), &json!(3))
    );
    assert_eq!(participants(m3[0]), [3]);
    assert_eq!(participants(by_message("m2@x")[0]), [2]);
    let beta = emails(&k, "Beta");
    assert_eq!(beta.len(), 1);
    assert_eq!(participants(&beta[0]), [4]);
    // Nothing else lost: the entries kept are as they were, the copies' history is theirs.
    let (rows, _, history) = timeline_rows(&k);
    let kept: Vec<&Vec<String>> = before
        .iter()
        .filter(|r| !["11", "13", "17"].contains(&r[0].as_str()))
        .collect();
    let mut expected: Vec<Vec<String>> = kept.into_iter().cloned().collect();
    for r in &mut expected {
        if r[0] == "16" {
            r[2] = "3".to_string();
        }
    }
    assert_eq!(rows, expected);
    let follows: Vec<(String, String)> = history
        .iter()
        .map(|h| (h[0].clone(), h[2].clone()))
        .collect();
    assert_eq!(
        follows,
        [
            ("10", "10"),
            ("11", "10"),
            ("12", "12"),
            ("13", "10"),
            ("14", "14"),
            ("15", "15"),
            ("16", "16"),
            ("17", "16")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    clean(&k);
}

/// Everything a merge and its undo touch of the timelines, and the people themselves.
fn whole(k: &Kith) -> Vec<Vec<Vec<String>>> {
    let (activities, people, history) = timeline_rows(k);
    vec![
        activities,
        people,
        history,
        common::rows_on(
            &k.db,
            "SELECT id, parent_id, full_name FROM contacts ORDER BY id",
        ),
    ]
}

#[test]
fn a_contact_merge_takes_the_others_place_in_its_emails_and_its_undo_gives_it_back() {
    let k = Kith::new();
    k.add_customer("Acme", &[]);
    let ann = k.add_contact("Acme", "Ann", &["--email", "ann@acme.example"]);
    let ann2 = k.add_contact(
        "Acme",
        "Ann",
        &["--last", "B", "--email", "ann.b@acme.example"],
    );
    let bob = k.add_contact("Acme", "Bob", &["--email", "bob@acme.example"]);
    let day = "Mon, 25 May 2026 10:00:00 +0000";
    // Both of Ann's addresses in one message; Ann's second address alone in another; the
    // second address with Bob in a third.
    for (id, from, to) in [
        (
            "both@x",
            "bob@acme.example",
            "ann@acme.example, ann.b@acme.example",
        ),
        ("alone@x", "ann.b@acme.example", "me@mine.example"),
        ("bob@x", "bob@acme.example", "ann.b@acme.example"),
    ] {
        log(&k, &message(id, from, to, day));
    }
    let before = whole(&k);
    let merge = k.id(&["merge", &ann.to_string(), &ann2.to_string()]);
    let acme = emails(&k, "Acme");
    assert_eq!(acme.len(), 3, "{acme:#?}");
    let of = |m: &str| participants(acme.iter().find(|e| e["message_id"] == m).unwrap());
    assert_eq!(of("both@x"), [bob, ann]);
    assert_eq!(of("alone@x"), [ann]);
    assert_eq!(of("bob@x"), [bob, ann]);
    clean(&k);
    k.ok(&["undo-merge", &merge.to_string()]);
    assert_eq!(whole(&k), before);
    clean(&k);
}

#[test]
fn a_company_merge_folds_an_email_both_had_into_one_and_its_undo_parts_them_again() {
    let k = Kith::new();
    let acme_id = k.add_customer("Acme", &["--website", "https://acme.example"]);
    let labs_id = k.add_lead("Acme Labs", &["--website", "https://labs.example"]);
    let ann = k.add_contact("Acme", "Ann", &["--email", "ann@acme.example"]);
    let carl = k.add_contact("Acme Labs", "Carl", &["--email", "carl@labs.example"]);
    let day = "Mon, 25 May 2026 10:00:00 +0000";
    log(
        &k,
        &message(
            "both@x",
            "zed@z.example",
            "ann@acme.example, carl@labs.example",
            day,
        ),
    );
    log(
        &k,
        &message("carl@x", "carl@labs.example", "zed@z.example", day),
    );
    assert_eq!(emails(&k, "Acme").len(), 1);
    assert_eq!(emails(&k, "Acme Labs").len(), 2);
    let before = whole(&k);
    let merge = k.id(&[
        "merge",
        "--kind",
        "parent",
        &acme_id.to_string(),
        &labs_id.to_string(),
    ]);
    let acme = emails(&k, "Acme");
    assert_eq!(acme.len(), 2, "{acme:#?}");
    let both = acme.iter().find(|e| e["message_id"] == "both@x").unwrap();
    assert_eq!(participants(both), [ann, carl]);
    let text = k.ok(&["show", "Acme"]);
    assert!(text.contains("about Ann, Carl"), "{text}");
    clean(&k);
    k.ok(&["undo-merge", &merge.to_string()]);
    assert_eq!(whole(&k), before);
    clean(&k);
}

#[test]
fn the_people_of_an_email_are_checked_backed_up_moved_and_outlive_its_contact() {
    let k = Kith::new();
    k.add_customer("Acme", &[]);
    let ann = k.add_contact("Acme", "Ann", &["--email", "ann@acme.example"]);
    let bob = k.add_contact("Acme", "Bob", &["--email", "bob@acme.example"]);
    let day = "Mon, 25 May 2026 10:00:00 +0000";
    log(
        &k,
        &message(
            "m1@x",
            "zed@z.example",
            "ann@acme.example, bob@acme.example",
            day,
        ),
    );
    // A backup, and a store moved from it, hold the email's people.
    let back = k.path("back.db");
    k.ok(&["backup", back.to_str().unwrap()]);
    let shown = k.show_json_on(&back, "Acme");
    assert_eq!(participants(&shown["activities"][0]), [ann, bob]);
    let other = Kith::new();
    other.ok(&["import-store", back.to_str().unwrap()]);
    assert_eq!(participants(&emails(&other, "Acme")[0]), [ann, bob]);
    clean(&other);
    // A copy of one message on one timeline, written behind kith's back, is a problem.
    let copy = "INSERT INTO activities (parent_id, contact_id, kind, body, message_id, author,
                                        created_at, direction)
                SELECT parent_id, contact_id, kind, body, message_id, author, created_at, direction
                  FROM activities WHERE message_id = 'm1@x'";
    other.sql(copy, &[]);
    let out = other.run(&["check"]);
    assert_ne!(out.status.code(), Some(0));
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("its message is on its parent's timeline more than once"),
        "{said}"
    );
    // Ann, the email's contact, is deleted: it stays Bob's.
    k.ok(&["contact", "delete", &ann.to_string()]);
    let acme = emails(&k, "Acme");
    assert_eq!(acme[0]["contact_id"], bob);
    assert_eq!(participants(&acme[0]), [bob]);
    clean(&k);
}
