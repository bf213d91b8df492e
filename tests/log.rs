//! Relationship memory through the real binary: `kith log` of real-shaped messages (fixtures
//! from mail libraries' test suites and hand-written ones), mailboxes, adding strangers,
//! completion ranked by the mail logged, cadences and `kith due` over a clock the test sets,
//! and `contacts --where`.

mod common;

use common::{assert_success, one_line, Kith};
use serde_json::Value;
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
fn a_message_to_several_people_lands_on_each_timeline_at_its_date() {
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
    let smith = emails(&k, "Smith & Co");
    let people: Vec<i64> = smith
        .iter()
        .map(|e| e["contact_id"].as_i64().unwrap())
        .collect();
    assert_eq!(people.len(), 2, "{smith:#?}");
    assert!(people.contains(&mary) && people.contains(&boss));
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
        ["received"; 3]
    );
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
    // Ada is in all three; Charles in the first two.
    let engine = emails(&k, "Engines");
    assert_eq!(engine.len(), 5, "{engine:#?}");
    // Again: nothing twice.
    let out = k.run(&["log", "--mbox", file.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 logged, 3 logged before"));
    assert_eq!(emails(&k, "Engines").len(), 5);
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
