//! kith's interop with the tools its users already have, run for real: khard and abook read the
//! vCards `kith export` writes, mutt completes an address through `kith query` inside tmux, and
//! kith's own CSV and vCard survive a trip out and back in. Also the import paths people hit
//! with files from elsewhere (Google Contacts, Outlook, phones, broken files) and the promise
//! that no control sequence stored in the database ever leaves kith raw.
//!
//! Needs khard, abook, mutt and tmux installed (Debian packages `khard`, `abook`, `mutt`,
//! `tmux`). Every test works on its own temporary store with a config file that does not exist.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};
use tempfile::TempDir;

const CSV_HEADER: &str =
    "parent,parent_kind,first_name,last_name,full_name,email,phone,title,notes";

// ---------------------------------------------------------------------------------------------
// A private store and the real binary
// ---------------------------------------------------------------------------------------------

/// A temporary folder holding one store, and a config path inside it that does not exist.
struct Kith {
    dir: TempDir,
    db: PathBuf,
    config: PathBuf,
}

impl Kith {
    fn new() -> Kith {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let db = dir.path().join("kith.db");
        let config = dir.path().join("no-such-config.toml");
        Kith { dir, db, config }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `kith --db <this store>`, away from anything of the user's.
    fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("kith").expect("the kith binary");
        cmd.arg("--db").arg(&self.db);
        isolate_kith(&mut cmd, self.dir.path(), &self.config);
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("kith runs")
    }

    /// Runs kith, asserts success with nothing on stderr, returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "kith {args:?} failed with {:?}; stderr:\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "kith {args:?} wrote to stderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("stdout is UTF-8")
    }

    /// Runs a command that prints an id.
    fn id(&self, args: &[&str]) -> i64 {
        let out = self.ok(args);
        out.trim()
            .parse()
            .unwrap_or_else(|_| panic!("kith {args:?} should print an id, printed {out:?}"))
    }

    fn contacts_json(&self) -> Vec<Value> {
        let out = self.ok(&["contacts", "--format", "json"]);
        let v: Value = serde_json::from_str(&out).expect("contacts --format json parses");
        v.as_array().expect("an array").clone()
    }

    fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).expect("the store opens with rusqlite")
    }

    fn count(&self, sql: &str) -> i64 {
        self.sql().query_row(sql, [], |r| r.get(0)).expect(sql)
    }
}

fn isolate_kith(cmd: &mut Command, dir: &Path, config: &Path) {
    cmd.env_remove("KITH_DB")
        .env("KITH_CONFIG", config)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("xdg-config"))
        .env("XDG_DATA_HOME", dir.join("xdg-data"));
}

/// One of the user's other tools, run with its home and config folders in the test's folder.
fn tool(program: &str, dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(program);
    cmd.env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("xdg-config"))
        .env("XDG_DATA_HOME", dir.join("xdg-data"))
        .env("XDG_CACHE_HOME", dir.join("xdg-cache"))
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env("PYTHONIOENCODING", "utf-8")
        .env("PYTHONUTF8", "1");
    cmd
}

fn run_tool(cmd: &mut std::process::Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?} could not be started (is it installed?): {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed with {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("the tool's output is UTF-8")
}

fn s(v: &Value, key: &str) -> Option<String> {
    v[key].as_str().map(str::to_string)
}

fn p(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

fn stdout_of(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

/// The numbers in "Imported N contact(s) from F: D duplicate(s) skipped, P new ..., B bad
/// row(s)": (imported, duplicates, parents created, bad rows).
fn summary(out: &str) -> (usize, usize, usize, usize) {
    let line = out
        .lines()
        .find(|l| l.starts_with("Imported "))
        .unwrap_or_else(|| panic!("no import summary in {out:?}"));
    let number_before = |marker: &str| -> usize {
        let head = &line[..line
            .find(marker)
            .unwrap_or_else(|| panic!("{marker:?} not in {line:?}"))];
        let word = head.trim_end().rsplit(' ').next().unwrap();
        word.parse()
            .unwrap_or_else(|_| panic!("no number before {marker:?} in {line:?}"))
    };
    (
        number_before(" contact(s)"),
        number_before(" duplicate(s)"),
        number_before(" new lead(s)"),
        number_before(" bad row(s)"),
    )
}

/// A character that must never reach a terminal raw: C0 and C1 controls other than the line
/// breaks and tabs the formats themselves use, DEL, and the bidi controls.
fn is_dangerous(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Where `text` holds a dangerous character, a description of it and its surroundings.
fn terminal_unsafe(what: &str, text: &str) -> Option<String> {
    let (i, c) = text.char_indices().find(|&(_, c)| is_dangerous(c))?;
    let from = text[..i].char_indices().rev().nth(30).map_or(0, |(j, _)| j);
    let mut to = (i + 40).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    Some(format!(
        "{what} contains a raw U+{:04X} at byte {i}: {:?}",
        c as u32,
        &text[from..to]
    ))
}

fn assert_terminal_safe(what: &str, text: &str) {
    if let Some(problem) = terminal_unsafe(what, text) {
        panic!("{problem}");
    }
}

// ---------------------------------------------------------------------------------------------
// A store worth exporting
// ---------------------------------------------------------------------------------------------

const ADA_ORG: &str = r"Analytical Engines, Ltd; London \ UK";
const ADA_TITLE: &str = "Countess; Analyst, First";
const ADA_NOTES: &str = "Met at the Royal Society, 1843; she said \"the engine weaves\".\n\
                         Paths: C:\\new\\table \\ done\n\
                         Third line, with a comma; and a semicolon";
const CJK_ORG: &str = "東京商事株式会社";
const RTL_ORG: &str = "شركة الأمل للتجارة";

/// 60 demo contacts, plus people whose data is awkward in vCard and CSV: commas, semicolons,
/// backslashes, quotes and line breaks; Japanese and Arabic names; a customer and leads.
fn fill_store(k: &Kith) {
    k.ok(&["demo", "--contacts", "60"]);
    k.id(&["customer", "add", "--name", ADA_ORG]);
    k.id(&[
        "contact",
        "add",
        "--parent",
        ADA_ORG,
        "--first",
        "Ada",
        "--last",
        "Lovelace",
        "--email",
        "ada@engines.example",
        "--phone",
        "+44 20 7946 0958",
        "--title",
        ADA_TITLE,
        "--notes",
        ADA_NOTES,
    ]);
    k.id(&["lead", "add", "--name", CJK_ORG]);
    k.id(&[
        "contact",
        "add",
        "--parent",
        CJK_ORG,
        "--first",
        "太郎",
        "--last",
        "山田",
        "--full-name",
        "山田 太郎",
        "--email",
        "taro.yamada@tokyo-shoji.example",
        "--title",
        "営業部長",
        "--notes",
        "会議は火曜日、午後三時。\n資料を持参。",
    ]);
    k.id(&["lead", "add", "--name", RTL_ORG]);
    k.id(&[
        "contact",
        "add",
        "--parent",
        RTL_ORG,
        "--first",
        "محمد",
        "--last",
        "العلي",
        "--email",
        "mohammed@amal.example",
        "--title",
        "مدير المبيعات",
    ]);
    k.id(&[
        "contact",
        "add",
        "--parent",
        RTL_ORG,
        "--first",
        "שרה",
        "--last",
        "כהן",
        "--email",
        "sarah.cohen@amal.example",
    ]);
}

/// Splits an export into its cards, each with its own CRLF line ends.
fn split_cards(export: &str) -> Vec<String> {
    let cards: Vec<String> = export
        .split_inclusive("END:VCARD\r\n")
        .filter(|c| !c.trim().is_empty())
        .map(str::to_string)
        .collect();
    for c in &cards {
        assert!(c.starts_with("BEGIN:VCARD\r\n"), "not a card: {c:?}");
    }
    cards
}

// ---------------------------------------------------------------------------------------------
// 1. khard reads kith's export
// ---------------------------------------------------------------------------------------------

/// Python's `repr` of a string, as khard prints field values in `list --parsable --fields`.
fn py_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

fn khard_conf(k: &Kith, book: &Path) -> PathBuf {
    let conf = k.path("khard.conf");
    std::fs::write(
        &conf,
        format!(
            "[addressbooks]\n\
             [[kith]]\n\
             path = {}\n\
             \n\
             [general]\n\
             debug = no\n\
             default_action = list\n\
             editor = /bin/true\n\
             merge_editor = /bin/true\n\
             \n\
             [contact table]\n\
             display = formatted_name\n\
             group_by_addressbook = no\n\
             reverse = no\n\
             show_nicknames = no\n\
             show_uids = no\n\
             sort = last_name\n\
             localize_dates = yes\n\
             preferred_phone_number_type = pref, cell, home\n\
             preferred_email_address_type = pref, work, home\n\
             \n\
             [vcard]\n\
             preferred_version = 3.0\n\
             search_in_source_files = no\n\
             skip_unparsable = no\n",
            book.display()
        ),
    )
    .unwrap();
    conf
}

fn khard(k: &Kith, conf: &Path, args: &[&str]) -> String {
    run_tool(tool("khard", k.dir.path()).arg("-c").arg(conf).args(args))
}

fn khard_reads_the_export(version: &str) {
    let k = Kith::new();
    fill_store(&k);
    let contacts = k.contacts_json();
    assert_eq!(contacts.len(), 64);

    // khard reads a vdir: a folder with one .vcf file per contact.
    let export = k.ok(&["export", "--format", "vcard", "--vcard-version", version]);
    let cards = split_cards(&export);
    assert_eq!(cards.len(), contacts.len(), "one card per contact");
    let book = k.path("addressbook");
    std::fs::create_dir(&book).unwrap();
    for (i, card) in cards.iter().enumerate() {
        std::fs::write(book.join(format!("card-{i:03}.vcf")), card).unwrap();
    }
    let conf = khard_conf(&k, &book);

    // Every contact, with its name, email, organisation, title, notes and the vCard version.
    let listed = khard(
        &k,
        &conf,
        &[
            "list",
            "--parsable",
            "--fields",
            "uid,formatted_name,emails,organisations,titles,notes,version",
        ],
    );
    let mut by_uid: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in listed.lines() {
        let cols: Vec<String> = line.split('\t').map(str::to_string).collect();
        assert_eq!(cols.len(), 7, "khard list line with 7 columns: {line:?}");
        let previous = by_uid.insert(cols[0].clone(), cols);
        assert!(previous.is_none(), "uid listed twice: {line:?}");
    }
    assert_eq!(
        by_uid.len(),
        contacts.len(),
        "khard lists every exported contact once:\n{listed}"
    );
    let want_version = if version == "4" { "4.0" } else { "3.0" };
    for c in &contacts {
        // Every contact has a UID of its own, and khard reads the same one back.
        let uid = s(c, "uid").expect("every contact has a UID");
        let row = by_uid
            .get(&uid)
            .unwrap_or_else(|| panic!("khard does not list {uid} ({c}):\n{listed}"));
        let full = s(c, "full_name").unwrap();
        assert_eq!(row[1], full, "khard's name of {uid}");
        match s(c, "email") {
            Some(email) => assert!(
                row[2].contains(&format!("[{}]", py_repr(&email))),
                "khard's emails of {full}: {:?}, want {email}",
                row[2]
            ),
            None => assert!(!row[2].contains('@'), "{full} has no email: {:?}", row[2]),
        }
        assert_eq!(
            row[3],
            format!("[[{}]]", py_repr(c["parent"]["name"].as_str().unwrap())),
            "khard's organisation of {full}"
        );
        let list_of = |v: Option<String>| v.map_or(String::new(), |v| format!("[{}]", py_repr(&v)));
        assert_eq!(row[4], list_of(s(c, "title")), "khard's title of {full}");
        assert_eq!(row[5], list_of(s(c, "notes")), "khard's notes of {full}");
        assert_eq!(
            row[6], want_version,
            "the vCard version khard read for {full}"
        );
    }

    // The mutt-style email listing: every contact with an email, with that email and its name.
    let emails = khard(&k, &conf, &["email", "--parsable", "--remove-first-line"]);
    let mut got: Vec<(String, String)> = emails
        .lines()
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 3, "address<TAB>name<TAB>type: {l:?}");
            (cols[0].to_string(), cols[1].to_string())
        })
        .collect();
    let mut want: Vec<(String, String)> = contacts
        .iter()
        .filter_map(|c| Some((s(c, "email")?, s(c, "full_name")?)))
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "khard email --parsable");
    for name in ["Ada Lovelace", "山田 太郎", "محمد العلي", "שרה כהן"] {
        assert!(
            want.iter().any(|(_, n)| n == name),
            "{name} is in the store"
        );
    }
}

#[test]
fn khard_lists_every_contact_of_a_vcard_3_export() {
    khard_reads_the_export("3");
}

#[test]
fn khard_lists_every_contact_of_a_vcard_4_export() {
    khard_reads_the_export("4");
}

// ---------------------------------------------------------------------------------------------
// 2. abook reads kith's export
// ---------------------------------------------------------------------------------------------

/// abook's own file format: `[n]` sections of `key=value` lines.
fn abook_records(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut out = Vec::new();
    let mut current: Option<BTreeMap<String, String>> = None;
    for line in text.lines() {
        if line.starts_with('[') && line.ends_with(']') {
            if let Some(r) = current.take() {
                out.push(r);
            }
            let inner = &line[1..line.len() - 1];
            if inner.chars().all(|c| c.is_ascii_digit()) {
                current = Some(BTreeMap::new());
            }
        } else if let (Some(r), Some((key, value))) = (current.as_mut(), line.split_once('=')) {
            r.insert(key.to_string(), value.to_string());
        }
    }
    out.extend(current);
    out
}

fn abook_reads_the_export(version: &str) {
    let k = Kith::new();
    fill_store(&k);
    let contacts = k.contacts_json();
    let file = k.path(&format!("export-v{version}.vcf"));
    let said = k.ok(&[
        "export",
        "--format",
        "vcard",
        "--vcard-version",
        version,
        "--output",
        p(&file),
    ]);
    assert_eq!(
        said,
        format!("Exported {} contact(s) to {}\n", contacts.len(), p(&file))
    );

    let converted = run_tool(tool("abook", k.dir.path()).args([
        "--convert",
        "--informat",
        "vcard",
        "--infile",
        p(&file),
        "--outformat",
        "abook",
    ]));
    let records = abook_records(&converted);
    let field = |r: &BTreeMap<String, String>, key: &str| r.get(key).cloned().unwrap_or_default();
    let mut got: Vec<(String, String, String)> = records
        .iter()
        .map(|r| (field(r, "name"), field(r, "email"), field(r, "phone")))
        .collect();
    let mut want: Vec<(String, String, String)> = contacts
        .iter()
        .map(|c| {
            (
                s(c, "full_name").unwrap(),
                s(c, "email").unwrap_or_default(),
                s(c, "phone").unwrap_or_default(),
            )
        })
        .collect();
    got.sort();
    want.sort();
    assert_eq!(
        got, want,
        "abook reads every contact's name, email and phone from a vCard {version} export"
    );

    // And its CSV, the format people convert to.
    let csv = run_tool(tool("abook", k.dir.path()).args([
        "--convert",
        "--informat",
        "vcard",
        "--infile",
        p(&file),
        "--outformat",
        "csv",
    ]));
    assert_eq!(csv.lines().count(), contacts.len(), "{csv}");
    for c in &contacts {
        let start = format!(
            "\"{}\",\"{}\",",
            s(c, "full_name").unwrap(),
            s(c, "email").unwrap_or_default()
        );
        assert!(
            csv.lines().any(|l| l.starts_with(&start)),
            "abook's CSV has no line starting {start}:\n{csv}"
        );
    }
}

#[test]
fn abook_converts_every_contact_of_a_vcard_3_export() {
    abook_reads_the_export("3");
}

#[test]
fn abook_converts_every_contact_of_a_vcard_4_export() {
    abook_reads_the_export("4");
}

// ---------------------------------------------------------------------------------------------
// 3. mutt completes an address through `kith query`
// ---------------------------------------------------------------------------------------------

/// A tmux server on its own socket, killed when the test ends however it ends.
struct Tmux {
    socket: String,
    tmpdir: PathBuf,
}

impl Tmux {
    fn cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new("tmux");
        cmd.env("TMUX_TMPDIR", &self.tmpdir)
            .env_remove("TMUX")
            .args(["-L", &self.socket]);
        cmd
    }

    fn send(&self, keys: &[&str]) {
        let status = self
            .cmd()
            .args(["send-keys", "-t", "kith"])
            .args(keys)
            .status()
            .expect("tmux send-keys");
        assert!(status.success(), "tmux send-keys {keys:?}");
    }

    fn send_text(&self, text: &str) {
        let status = self
            .cmd()
            .args(["send-keys", "-t", "kith", "-l", text])
            .status()
            .expect("tmux send-keys -l");
        assert!(status.success(), "tmux send-keys -l {text:?}");
    }

    fn pane(&self) -> String {
        let out = self
            .cmd()
            .args(["capture-pane", "-p", "-t", "kith"])
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Polls the pane every 50 ms until `ready` holds, for at most 10 s.
    fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let pane = self.pane();
            if ready(&pane) {
                return pane;
            }
            if start.elapsed() > Duration::from_secs(10) {
                panic!("timed out waiting for {what}; the pane shows:\n{pane}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").output();
    }
}

/// The last line of the pane with text on it (mutt's prompt line).
fn prompt_line(pane: &str) -> &str {
    pane.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim_end()
}

#[test]
fn mutt_completes_an_address_from_kith_query_in_the_query_menu() {
    let k = Kith::new();
    k.ok(&["demo", "--contacts", "30"]);
    k.id(&["customer", "add", "--name", ADA_ORG]);
    k.id(&[
        "contact",
        "add",
        "--parent",
        ADA_ORG,
        "--first",
        "Ada",
        "--last",
        "Lovelace",
        "--email",
        "ada@engines.example",
        "--title",
        ADA_TITLE,
    ]);
    // A second match, so that mutt shows its query menu instead of completing at once.
    k.id(&["lead", "add", "--name", "NASA"]);
    k.id(&[
        "contact",
        "add",
        "--parent",
        "NASA",
        "--first",
        "Jim",
        "--last",
        "Lovell",
        "--email",
        "jim.lovell@nasa.example",
        "--title",
        "Commander",
    ]);

    let mail = k.path("mail");
    std::fs::create_dir(&mail).unwrap();
    std::fs::write(mail.join("inbox"), "").unwrap();
    let kith = env!("CARGO_BIN_EXE_kith");
    let muttrc = k.path("muttrc");
    std::fs::write(
        &muttrc,
        format!(
            "set query_command = \"{kith} --db {db} query '%s'\"\n\
             set sendmail = /bin/true\n\
             set folder = {mail}\n\
             set spoolfile = {mail}/inbox\n\
             set mbox_type = mbox\n\
             set record = ''\n\
             set postponed = {mail}/postponed\n\
             set editor = true\n",
            db = k.db.display(),
            mail = mail.display(),
        ),
    )
    .unwrap();

    let tmux = Tmux {
        socket: format!("kith-interop-{}", std::process::id()),
        tmpdir: k.dir.path().to_path_buf(),
    };
    let started = tmux
        .cmd()
        .env("HOME", k.dir.path())
        .env("KITH_CONFIG", &k.config)
        .env_remove("KITH_DB")
        .env("LANG", "C.UTF-8")
        .env("TERM", "xterm-256color")
        .args(["-f", "/dev/null", "new-session", "-d", "-s", "kith"])
        .args(["-x", "120", "-y", "30"])
        .args(["-e", &format!("KITH_CONFIG={}", k.config.display())])
        .args(["-e", &format!("HOME={}", k.dir.path().display())])
        .arg(format!("mutt -n -F {}", muttrc.display()))
        .status()
        .expect("tmux starts");
    assert!(started.success(), "tmux new-session");

    tmux.wait_for("mutt's index", |p| p.contains("m:Mail"));
    tmux.send(&["m"]);
    tmux.wait_for("the To: prompt", |p| prompt_line(p) == "To:");
    tmux.send_text("lovel");
    tmux.send(&["C-t"]);
    let menu = tmux.wait_for("the query menu with both matches", |p| {
        p.contains("ada@engines.example") && p.contains("jim.lovell@nasa.example")
    });
    assert!(menu.contains("Ada Lovelace"), "{menu}");
    assert!(menu.contains("Jim Lovell"), "{menu}");
    // The entry number of Ada's line in the menu (best match first, so it should be 1).
    let entry: usize = menu
        .lines()
        .find(|l| l.contains("ada@engines.example"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no numbered entry for Ada in the query menu:\n{menu}"));
    for _ in 1..entry {
        tmux.send(&["j"]);
    }
    tmux.send(&["Enter"]);
    // mutt leaves the menu on screen under the prompt until the prompt is done.
    let pane = tmux.wait_for("the completed To: line", |p| {
        let line = prompt_line(p);
        line.starts_with("To: ") && line != "To: lovel"
    });
    assert_eq!(
        prompt_line(&pane),
        "To: Ada Lovelace <ada@engines.example>",
        "mutt's To: line after picking Ada from kith's matches:\n{pane}"
    );
}

// ---------------------------------------------------------------------------------------------
// 4. `kith query` formats
// ---------------------------------------------------------------------------------------------

/// A store for address lookups: an exact name, a scattered match of it, 150 people at one
/// company, someone without an email, and (inserted raw) a hostile name.
fn query_store() -> (Kith, i64) {
    let k = Kith::new();
    k.id(&["customer", "add", "--name", "Acme Rockets"]);
    k.id(&[
        "contact",
        "add",
        "--parent",
        "Acme Rockets",
        "--first",
        "Ada",
        "--last",
        "Lovelace",
        "--email",
        "ada@acme.example",
        "--title",
        "Chief Analyst",
    ]);
    // "lovelace" scattered over the name, and sorting before Ada by name.
    k.id(&["lead", "add", "--name", "Initech"]);
    k.id(&[
        "contact",
        "add",
        "--parent",
        "Initech",
        "--first",
        "Abel",
        "--last",
        "Lovering-Wallace",
        "--full-name",
        "Abel Lo Vera Elmar Lacey",
        "--email",
        "abel@initech.example",
    ]);
    k.id(&[
        "contact", "add", "--parent", "Initech", "--first", "Nomail", "--last", "Lovelace",
    ]);
    let mut csv = format!("{CSV_HEADER}\n");
    for i in 0..150 {
        csv.push_str(&format!(
            "Bulkhead Widgets,lead,Worker,Number{i:03},,worker{i:03}@bulkhead.example,,Assembler,\n"
        ));
    }
    csv.push_str("Bulkhead Widgets,lead,Silent,Bulkhead,,,,Assembler,\n");
    let file = k.path("bulk.csv");
    std::fs::write(&file, csv).unwrap();
    let (imported, ..) = summary(&k.ok(&["import", p(&file)]));
    assert_eq!(imported, 151);

    // A hostile contact, written past kith's own input checks.
    let hostile = k.id(&[
        "contact",
        "add",
        "--parent",
        "Initech",
        "--first",
        "Eve",
        "--email",
        "eve@initech.example",
    ]);
    k.sql()
        .execute(
            "UPDATE contacts SET full_name = ?1, title = ?2 WHERE id = ?3",
            rusqlite::params![
                "Eve\u{1b}[31m\tMallory\u{202e}gpj.exe\u{7}\u{9b}0m",
                "Boss\tof\u{1b}]0;pwned\u{7} all\nthings",
                hostile
            ],
        )
        .unwrap();
    k.sql()
        .execute(
            "UPDATE parents SET name = ?1 WHERE name = 'Initech'",
            ["Initech\u{202e}\u{1b}[2J\tLtd"],
        )
        .unwrap();
    (k, hostile)
}

#[test]
fn query_formats_for_mutt_aerc_and_scripts() {
    let (k, _) = query_store();

    // mutt: a status line, then email<TAB>name<TAB>title, parent; the exact name first.
    let out = k.ok(&["query", "lovelace"]);
    let mut lines = out.lines();
    let status = lines.next().expect("a status line");
    assert!(
        !status.contains('\t') && !status.contains('@'),
        "the first line is a status line: {out:?}"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
    assert!(!rows.is_empty(), "{out}");
    assert_eq!(
        rows[0],
        vec![
            "ada@acme.example",
            "Ada Lovelace",
            "Chief Analyst, Acme Rockets"
        ],
        "the exact name comes first: {out}"
    );
    for r in &rows {
        assert_eq!(r.len(), 3, "three columns: {r:?}");
        assert!(r[0].contains('@'), "an email first: {r:?}");
        assert_ne!(r[1], "Nomail Lovelace", "no email, no line: {out}");
    }
    // Only name, email, title and parent name match, and they all do.
    assert_eq!(
        k.ok(&["query", "ada@acme"]).lines().nth(1),
        Some("ada@acme.example\tAda Lovelace\tChief Analyst, Acme Rockets")
    );
    assert!(k
        .ok(&["query", "chief analyst"])
        .contains("ada@acme.example\t"));
    assert!(k
        .ok(&["query", "acme rockets"])
        .contains("ada@acme.example\t"));
    let assemblers = k.ok(&["query", "assembler"]);
    assert_eq!(
        assemblers.lines().count(),
        151,
        "mutt gets every match with an email, after the status line"
    );
    assert!(assemblers.contains("\tAssembler, Bulkhead Widgets\n"));

    // Nothing matches: exit 1 and a one-line message.
    let none = k.run(&["query", "zzqxqzz"]);
    assert_eq!(none.status.code(), Some(1), "{none:?}");
    let message = format!("{}{}", stdout_of(&none), stderr_of(&none));
    assert_eq!(
        message.lines().count(),
        1,
        "one line when nothing matches: {message:?}"
    );
    assert!(
        message.ends_with('\n') && message.contains("zzqxqzz"),
        "{message:?}"
    );

    // aerc: no status line, email<TAB>name, at most 100 lines.
    let aerc = k.ok(&["query", "--format", "aerc", "bulkhead"]);
    let lines: Vec<&str> = aerc.lines().collect();
    assert_eq!(lines.len(), 100, "150 matches, 100 lines");
    for l in &lines {
        let cols: Vec<&str> = l.split('\t').collect();
        assert_eq!(cols.len(), 2, "email<TAB>name: {l:?}");
        assert!(cols[0].ends_with("@bulkhead.example"), "{l:?}");
        assert!(cols[1].starts_with("Worker Number"), "{l:?}");
    }
    let aerc = k.ok(&["query", "--format", "aerc", "lovelace"]);
    assert_eq!(aerc.lines().next(), Some("ada@acme.example\tAda Lovelace"));

    // json: the shape of contacts --format json, the same objects.
    let all: BTreeMap<i64, Value> = k
        .contacts_json()
        .into_iter()
        .map(|c| (c["id"].as_i64().unwrap(), c))
        .collect();
    let json: Value = serde_json::from_str(&k.ok(&["query", "--format", "json", "lovelace"]))
        .expect("query --format json parses");
    let json = json.as_array().expect("an array");
    assert!(!json.is_empty());
    assert_eq!(json[0]["full_name"], "Ada Lovelace");
    for c in json {
        let id = c["id"].as_i64().expect("an id");
        assert_eq!(
            Some(c),
            all.get(&id),
            "the contact as contacts --format json has it"
        );
        assert!(c["email"].is_string(), "only contacts with an email: {c}");
    }
    let json: Value =
        serde_json::from_str(&k.ok(&["query", "--format", "json", "bulkhead"])).unwrap();
    assert_eq!(
        json.as_array().unwrap().len(),
        150,
        "json is not cut at 100 and leaves out Silent Bulkhead, who has no email"
    );
}

#[test]
fn query_never_passes_control_characters_or_breaks_the_columns() {
    let (k, hostile) = query_store();
    let mutt = k.ok(&["query", "eve"]);
    assert_terminal_safe("query (mutt)", &mutt);
    let rows: Vec<&str> = mutt.lines().skip(1).collect();
    let eve: Vec<&str> = rows
        .iter()
        .copied()
        .filter(|l| l.starts_with("eve@initech.example"))
        .collect();
    assert_eq!(eve.len(), 1, "Eve on one line: {mutt:?}");
    for l in &rows {
        assert_eq!(l.split('\t').count(), 3, "three columns: {l:?}");
    }
    let cols: Vec<&str> = eve[0].split('\t').collect();
    assert!(
        cols[1].contains("Eve") && cols[1].contains("Mallory"),
        "{cols:?}"
    );
    assert!(
        cols[2].contains("Boss") && cols[2].contains("Initech"),
        "{cols:?}"
    );

    let aerc = k.ok(&["query", "--format", "aerc", "eve"]);
    assert_terminal_safe("query (aerc)", &aerc);
    for l in aerc.lines() {
        assert_eq!(l.split('\t').count(), 2, "two columns: {l:?}");
    }
    assert!(aerc
        .lines()
        .any(|l| l.starts_with("eve@initech.example\tEve")));

    // A hostile query is not echoed raw either, matched or not.
    for q in ["\u{1b}[2Jeve", "\u{1b}]0;x\u{7}\u{202e}\u{9b}nothing"] {
        let out = k.run(&["query", q]);
        assert_terminal_safe("query's output for a hostile query", &stdout_of(&out));
        assert_terminal_safe("query's errors for a hostile query", &stderr_of(&out));
    }

    // json: escaped (C0, C1, DEL and bidi alike), and decoding to the stored value.
    let json = k.ok(&["query", "--format", "json", "eve"]);
    assert_terminal_safe("query --format json", &json);
    let v: Value = serde_json::from_str(&json).unwrap();
    let eve = v
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == hostile)
        .expect("Eve in the json");
    assert_eq!(
        eve["full_name"], "Eve\u{1b}[31m\tMallory\u{202e}gpj.exe\u{7}\u{9b}0m",
        "json escapes, and decodes to the stored value"
    );
}

// ---------------------------------------------------------------------------------------------
// 5. Round trips
// ---------------------------------------------------------------------------------------------

/// `contacts --format json` without ids, in a stable order.
fn without_ids(contacts: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = contacts
        .iter()
        .map(|c| {
            let mut c = c.clone();
            c.as_object_mut().unwrap().remove("id");
            c["parent"].as_object_mut().unwrap().remove("id");
            serde_json::to_string(&c).unwrap()
        })
        .collect();
    out.sort();
    out
}

fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn csv_round_trip_into_a_fresh_store_is_identical_and_reimport_adds_no_duplicates() {
    let k = Kith::new();
    fill_store(&k);
    k.id(&["lead", "add", "--name", "Quote \"Marks\", Inc."]);
    k.id(&[
        "contact",
        "add",
        "--parent",
        "Quote \"Marks\", Inc.",
        "--first",
        "Quincy",
        "--last",
        "O'Quote",
        "--email",
        "quincy@quote.example",
        "--notes",
        "He said \"hi, there\"\nthen left, \"quietly\"\n\n  indented line",
    ]);
    let before = k.ok(&["contacts", "--format", "csv"]);
    let file = k.path("contacts.csv");
    let said = k.ok(&["export", "--format", "csv", "--output", p(&file)]);
    assert!(said.contains(p(&file)), "{said}");
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .starts_with(CSV_HEADER));

    let fresh = Kith::new();
    let out = fresh.ok(&["import", p(&file)]);
    let n = k.contacts_json().len();
    assert_eq!(summary(&out).0, n, "{out}");
    let after = fresh.ok(&["contacts", "--format", "csv"]);
    if before != after {
        let mut a = csv_records(&before);
        let mut b = csv_records(&after);
        a.sort();
        b.sort();
        assert_eq!(a, b, "the same contacts after a CSV round trip");
    }
    assert_eq!(before, after, "byte-identical contacts --format csv");

    // Leads stay leads, customers stay customers.
    let kinds = |k: &Kith| -> BTreeSet<(String, String)> {
        k.contacts_json()
            .iter()
            .map(|c| {
                (
                    s(&c["parent"], "name").unwrap(),
                    s(&c["parent"], "kind").unwrap(),
                )
            })
            .collect()
    };
    let kinds_before = kinds(&k);
    assert!(kinds_before.contains(&(ADA_ORG.to_string(), "customer".to_string())));
    assert!(kinds_before.contains(&(CJK_ORG.to_string(), "lead".to_string())));
    assert_eq!(kinds_before, kinds(&fresh));

    // Importing the same file again adds nothing.
    let again = fresh.ok(&["import", p(&file)]);
    assert_eq!(summary(&again), (0, n, 0, 0), "{again}");
    assert_eq!(fresh.contacts_json().len(), n);
    assert_eq!(fresh.ok(&["contacts", "--format", "csv"]), before);
}

fn vcard_round_trip(version: &str) {
    let k = Kith::new();
    fill_store(&k);
    let file = k.path("contacts.vcf");
    k.ok(&["export", "--vcard-version", version, "--output", p(&file)]);
    let fresh = Kith::new();
    let out = fresh.ok(&["import", p(&file)]);
    let n = k.contacts_json().len();
    assert_eq!(summary(&out).0, n, "{out}");
    assert_eq!(
        without_ids(&fresh.contacts_json()),
        without_ids(&k.contacts_json()),
        "names, emails, phones, titles, notes and parents after a vCard {version} round trip"
    );
    let again = fresh.ok(&["import", "--format", "vcard", p(&file)]);
    assert_eq!(summary(&again), (0, n, 0, 0), "{again}");
    assert_eq!(fresh.contacts_json().len(), n);
}

#[test]
fn vcard_3_round_trip_into_a_fresh_store_keeps_every_field() {
    vcard_round_trip("3");
}

#[test]
fn vcard_4_round_trip_into_a_fresh_store_keeps_every_field() {
    vcard_round_trip("4");
}

// ---------------------------------------------------------------------------------------------
// 6. Import
// ---------------------------------------------------------------------------------------------

fn corpus(dir: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(dir)
        .join(name)
}

#[test]
fn every_good_vcard_in_the_corpus_imports_whole() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/vcard");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|f| f.extension().is_some_and(|e| e == "vcf"))
        .filter(|f| !f.ends_with("broken.vcf"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "the corpus: {files:?}");
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let cards = bytes
            .to_ascii_uppercase()
            .windows(11)
            .filter(|w| w == b"BEGIN:VCARD")
            .count();
        let k = Kith::new();
        let out = k.ok(&["import", p(&file)]);
        let (imported, duplicates, _, bad) = summary(&out);
        assert_eq!(
            (imported + duplicates, bad),
            (cards, 0),
            "{}: every card read: {out}",
            file.display()
        );
        let contacts = k.contacts_json();
        assert_eq!(contacts.len(), imported, "{}", file.display());
        let all = serde_json::to_string(&contacts).unwrap();
        assert_terminal_safe(&format!("contacts imported from {}", file.display()), &all);
        for c in &contacts {
            assert!(
                !s(c, "full_name").unwrap().trim().is_empty(),
                "{}: {c}",
                file.display()
            );
        }
    }
}

#[test]
fn a_broken_vcard_file_reports_each_bad_card_by_line_and_imports_the_good_ones() {
    let file = corpus("vcard", "broken.vcf");
    let k = Kith::new();
    let out = k.run(&["import", p(&file)]);
    assert_eq!(out.status.code(), Some(1), "bad cards make the import fail");
    let stderr = stderr_of(&out);
    let mut lines = BTreeSet::new();
    for l in stderr.lines() {
        let rest = l
            .strip_prefix(&format!("kith: {}:", file.display()))
            .unwrap_or_else(|| panic!("each error starts with kith: FILE:LINE: {l:?}"));
        let (n, message) = rest.split_once(": ").expect("FILE:LINE: message");
        lines.insert(n.parse::<usize>().expect("a line number"));
        assert!(!message.is_empty());
    }
    assert_eq!(
        lines,
        BTreeSet::from([10, 17, 21, 30]),
        "the line of each bad card:\n{stderr}"
    );
    let names: BTreeSet<String> = k
        .contacts_json()
        .iter()
        .map(|c| s(c, "full_name").unwrap())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["Alice Fine", "Carol Fine", "Erin Fine"].map(String::from))
    );
    assert_eq!(summary(&stdout_of(&out)), (3, 0, 1, 4));

    // --all-or-nothing: the same errors, and nothing at all imported.
    let k = Kith::new();
    let out = k.run(&["import", "--all-or-nothing", p(&file)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains(&format!("{}:10:", file.display())),
        "{}",
        stderr_of(&out)
    );
    assert!(k.contacts_json().is_empty(), "nothing imported");
    assert_eq!(k.count("SELECT count(*) FROM parents"), 0, "no parent made");
}

#[test]
fn a_card_without_org_goes_to_unfiled_a_lead_or_with_as_customer_a_customer() {
    let file = corpus("vcard", "no_org.vcf");
    for (args, kind) in [(vec![], "lead"), (vec!["--as", "customer"], "customer")] {
        let k = Kith::new();
        let mut all = vec!["import", p(&file)];
        all.extend(args);
        k.ok(&all);
        let contacts = k.contacts_json();
        assert_eq!(contacts.len(), 1);
        assert_eq!(contacts[0]["full_name"], "Han Solo");
        assert_eq!(contacts[0]["email"], "han@falcon.example");
        assert_eq!(contacts[0]["parent"]["name"], "Unfiled");
        assert_eq!(contacts[0]["parent"]["kind"], kind);
        let shown: Value = serde_json::from_str(&k.ok(&["show", "Unfiled", "--format", "json"]))
            .expect("show json");
        assert_eq!(shown["kind"], kind);
    }
}

/// (full name, email, title, parent, parent kind) of every contact, sorted by name.
fn essentials(k: &Kith) -> Vec<[String; 5]> {
    let mut out: Vec<[String; 5]> = k
        .contacts_json()
        .iter()
        .map(|c| {
            [
                s(c, "full_name").unwrap_or_default(),
                s(c, "email").unwrap_or_default(),
                s(c, "title").unwrap_or_default(),
                s(&c["parent"], "name").unwrap(),
                s(&c["parent"], "kind").unwrap(),
            ]
        })
        .collect();
    out.sort();
    out
}

fn row(v: [&str; 5]) -> [String; 5] {
    v.map(String::from)
}

#[test]
fn google_contacts_csv_imports_with_org_title_and_first_email() {
    let file = corpus("csv", "google_contacts.csv");
    let k = Kith::new();
    let out = k.ok(&["import", p(&file)]);
    assert_eq!(summary(&out), (4, 0, 4, 0), "{out}");
    assert_eq!(
        essentials(&k),
        vec![
            row([
                "Grace Hopper",
                "grace.hopper@navy.example",
                "Rear Admiral",
                "US Navy",
                "lead"
            ]),
            row([
                "Linus Torvalds",
                "linus@linuxfoundation.example",
                "Fellow",
                "The Linux Foundation",
                "lead"
            ]),
            row([
                "Margaret Hamilton",
                "margaret@hamilton-tech.example",
                "CEO",
                "Hamilton Technologies, Inc.",
                "lead"
            ]),
            row([
                "Søren Kierkegaard",
                "soren@kobenhavn.example",
                "",
                "Unfiled",
                "lead"
            ]),
        ]
    );
    let grace = k
        .contacts_json()
        .into_iter()
        .find(|c| c["full_name"] == "Grace Hopper")
        .unwrap();
    assert_eq!(grace["first_name"], "Grace");
    assert_eq!(grace["last_name"], "Hopper");
    assert_eq!(grace["phone"], "+1 202 555 0142");
    assert_eq!(
        grace["notes"],
        "Met at the COBOL committee, 1959.\nAsk about \"the first bug\", the moth."
    );
}

#[test]
fn outlook_csv_imports_the_job_title_not_the_honorific() {
    let file = corpus("csv", "outlook_contacts.csv");
    let k = Kith::new();
    let out = k.ok(&["import", "--as", "customer", p(&file)]);
    assert_eq!(summary(&out), (3, 0, 3, 0), "{out}");
    assert_eq!(
        essentials(&k),
        vec![
            row([
                "Hedy Lamarr",
                "hedy@frequency-hopping.example",
                "Inventor",
                "Unfiled",
                "customer"
            ]),
            row([
                "Katherine G. Johnson",
                "katherine.johnson@nasa.example",
                "Research Mathematician",
                "NASA Langley",
                "customer"
            ]),
            row([
                "Tim Berners-Lee",
                "timbl@w3.example",
                "Director",
                "World Wide Web Consortium",
                "customer"
            ]),
        ]
    );
    let kj = k
        .contacts_json()
        .into_iter()
        .find(|c| c["email"] == "katherine.johnson@nasa.example")
        .unwrap();
    assert_eq!(kj["phone"], "+1 757 555 0101", "the business phone");
    assert_eq!(
        kj["notes"],
        "Computed the trajectory for Friendship 7.\nPrefers email, not calls."
    );
}

/// Outlook for Windows writes its CSV export in the ANSI code page (Windows-1252 in western
/// Europe), not UTF-8: accents must survive, as they do for Windows-1252 vCards.
#[test]
fn outlook_csv_in_windows_1252_keeps_its_accents() {
    let file = corpus("csv", "outlook_windows1252.csv");
    let k = Kith::new();
    let out = k.ok(&["import", p(&file)]);
    assert_eq!(summary(&out).0, 1, "{out}");
    let c = &k.contacts_json()[0];
    assert_eq!(c["full_name"], "Jürgen Müller");
    assert_eq!(c["title"], "Geschäftsführer");
    assert_eq!(c["parent"]["name"], "Bäckerei Müller GmbH");
    assert_eq!(c["notes"], "Preis: 200 € – bitte bestätigen");
}

#[test]
fn a_csv_with_an_unknown_header_fails_at_line_1() {
    let k = Kith::new();
    let file = k.path("mystery.csv");
    std::fs::write(
        &file,
        "Vorname,Nachname,Telefon\nAda,Lovelace,+44 20 7946 0958\n",
    )
    .unwrap();
    let out = k.run(&["import", p(&file)]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = stderr_of(&out);
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr:?}");
    assert!(
        stderr.starts_with(&format!("kith: {}:1: ", file.display())),
        "the error names FILE:1: {stderr:?}"
    );
    assert!(k.contacts_json().is_empty());
}

#[test]
fn csv_bad_rows_are_reported_by_line_after_multi_line_notes_and_the_rest_imported() {
    for (ending, label) in [("\n", "LF"), ("\r\n", "CRLF")] {
        let k = Kith::new();
        let lines = [
            CSV_HEADER,                                                       // 1
            "Acme,customer,Ada,Lovelace,,ada@acme.example,,CTO,\"first line", // 2
            "second line, with a comma",                                      // 3
            "third \"\"quoted\"\" line\"",                                    // 4
            "Acme,customer,Bad,Email,,not-an-email,,,",                       // 5
            "Globex,lead,Cy,Good,,cy@globex.example,,,\"a note",              // 6
            "over two lines\"",                                               // 7
            "Globex,partner,Dee,Kind,,dee@globex.example,,,",                 // 8
            "Globex,lead,Eve,Fine,,eve@globex.example,,,",                    // 9
        ];
        let file = k.path("people.csv");
        std::fs::write(&file, lines.join(ending) + ending).unwrap();
        let out = k.run(&["import", p(&file)]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{label}: bad rows make the exit non-zero"
        );
        let stderr = stderr_of(&out);
        let reported: Vec<&str> = stderr.lines().collect();
        assert_eq!(reported.len(), 2, "{label}: {stderr}");
        let prefix = format!("kith: {}:", file.display());
        assert!(
            reported[0].starts_with(&format!("{prefix}5: ")) && reported[0].contains("email"),
            "{label}: the bad email is on line 5: {stderr}"
        );
        assert!(
            reported[1].starts_with(&format!("{prefix}8: ")) && reported[1].contains("parent_kind"),
            "{label}: the bad kind is on line 8: {stderr}"
        );
        assert_eq!(summary(&stdout_of(&out)), (3, 0, 2, 2), "{label}");
        let got = essentials(&k);
        let names: Vec<&str> = got.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(names, ["Ada Lovelace", "Cy Good", "Eve Fine"], "{label}");
        let ada = k
            .contacts_json()
            .into_iter()
            .find(|c| c["full_name"] == "Ada Lovelace")
            .unwrap();
        assert_eq!(
            ada["notes"], "first line\nsecond line, with a comma\nthird \"quoted\" line",
            "{label}"
        );
    }
}

#[test]
fn the_format_comes_from_the_extension_unless_format_says_otherwise() {
    let vcard = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Vera Card\r\nEMAIL:vera@card.example\r\nORG:Cards Inc\r\nEND:VCARD\r\n";
    let csv = format!("{CSV_HEADER}\nCommas Ltd,lead,Cass,Vee,,cass@commas.example,,,\n");

    // Upper-case extensions and .vcard are recognised.
    let k = Kith::new();
    for (name, text) in [
        ("A.VCF", vcard),
        ("b.vcard", vcard),
        ("C.CSV", csv.as_str()),
    ] {
        let file = k.path(name);
        std::fs::write(&file, text).unwrap();
        k.ok(&["import", p(&file)]);
    }
    let emails: BTreeSet<String> = k
        .contacts_json()
        .iter()
        .filter_map(|c| s(c, "email"))
        .collect();
    assert_eq!(
        emails,
        BTreeSet::from(["vera@card.example", "cass@commas.example"].map(String::from))
    );

    // --format overrides the extension, either way.
    let k = Kith::new();
    let vcard_named_csv = k.path("really-a-vcard.csv");
    std::fs::write(&vcard_named_csv, vcard).unwrap();
    let csv_named_vcf = k.path("really-a-csv.vcf");
    std::fs::write(&csv_named_vcf, &csv).unwrap();
    k.ok(&["import", "--format", "vcard", p(&vcard_named_csv)]);
    k.ok(&["import", "--format", "csv", p(&csv_named_vcf)]);
    assert_eq!(k.contacts_json().len(), 2);

    // An extension that says nothing, without --format: a clear error, nothing imported.
    let k = Kith::new();
    for name in ["contacts.txt", "contacts"] {
        let file = k.path(name);
        std::fs::write(&file, vcard).unwrap();
        let out = k.run(&["import", p(&file)]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let stderr = stderr_of(&out);
        assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
        assert!(
            stderr.contains(p(&file)) && stderr.contains("--format"),
            "names the file and the way out: {stderr:?}"
        );
        assert!(stdout_of(&out).is_empty());
    }
    assert!(k.contacts_json().is_empty());
    let text = k.path("contacts.txt");
    k.ok(&["import", "--format", "vcard", p(&text)]);
    assert_eq!(k.contacts_json().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// 7. Hostile store data never leaves raw
// ---------------------------------------------------------------------------------------------

#[test]
fn contact_listings_never_emit_raw_control_or_bidi_characters_from_the_store() {
    let k = Kith::new();
    k.id(&["customer", "add", "--name", "Evil Corp"]);
    let id = k.id(&[
        "contact",
        "add",
        "--parent",
        "Evil Corp",
        "--first",
        "Mallory",
        "--email",
        "mallory@evil.example",
    ]);
    k.id(&[
        "contact",
        "add",
        "--parent",
        "Evil Corp",
        "--first",
        "Plain",
        "--email",
        "plain@evil.example",
    ]);
    let conn = k.sql();
    conn.execute(
        "UPDATE contacts SET first_name = ?1, last_name = ?2, full_name = ?3, email = ?4,
                phone = ?5, title = ?6, notes = ?7 WHERE id = ?8",
        rusqlite::params![
            "Mal\u{1b}[2Jlory",
            "Evil\u{202e}gpj.exe",
            "Mallory\u{1b}]0;pwned\u{7} Evil\u{202e}gpj.exe",
            "mallory\u{1b}[8m@evil.example",
            "+1 555\u{7} 0666",
            "CEO\u{9b}31m\u{2066}",
            "line one\u{1b}[1A\nline two\u{7f}\u{8}\u{8}\u{202e}",
            id
        ],
    )
    .unwrap();
    conn.execute(
        "UPDATE parents SET name = ?1",
        ["Evil\u{200f} Corp\u{1b}]8;;http://evil.example\u{1b}\\"],
    )
    .unwrap();
    drop(conn);

    let runs: [&[&str]; 9] = [
        &["contacts", "--format", "vcard"],
        &["contacts", "--format", "vcard", "--vcard-version", "4"],
        &["contacts", "--format", "csv"],
        &["contacts", "--format", "json"],
        &["contacts"],
        &["export", "--format", "vcard"],
        &["export", "--format", "vcard", "--vcard-version", "4"],
        &["export", "--format", "csv"],
        &["export", "--format", "json"],
    ];
    let mut problems = Vec::new();
    for args in runs {
        let out = k.ok(args);
        problems.extend(terminal_unsafe(&format!("kith {}", args.join(" ")), &out));
        assert!(
            out.contains("Mal"),
            "kith {args:?} still lists Mallory:\n{out}"
        );
        assert!(out.contains("Plain"), "kith {args:?}:\n{out}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // JSON escapes rather than drops: the stored values come back whole.
    let contacts = k.contacts_json();
    let mallory = contacts.iter().find(|c| c["id"] == id).unwrap();
    assert_eq!(
        mallory["full_name"],
        "Mallory\u{1b}]0;pwned\u{7} Evil\u{202e}gpj.exe"
    );
    // The CSV kith writes stays a well-formed table of nine columns.
    let csv = k.ok(&["contacts", "--format", "csv"]);
    for r in csv_records(&csv) {
        assert_eq!(r.len(), 9, "{r:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// 8. export --output
// ---------------------------------------------------------------------------------------------

fn folder_listing(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn export_output_writes_a_private_file_whole_or_not_at_all() {
    let k = Kith::new();
    k.ok(&["demo", "--contacts", "12"]);
    let n = k.contacts_json().len();
    let out_dir = k.path("out");
    std::fs::create_dir(&out_dir).unwrap();

    for (format, name) in [
        ("vcard", "all.vcf"),
        ("csv", "all.csv"),
        ("json", "all.json"),
    ] {
        let file = out_dir.join(name);
        let said = k.ok(&["export", "--format", format, "--output", p(&file)]);
        assert_eq!(said.lines().count(), 1, "a one-line summary: {said:?}");
        assert_eq!(
            said,
            format!("Exported {n} contact(s) to {}\n", p(&file)),
            "the summary says how many and where"
        );
        let written = std::fs::read_to_string(&file).unwrap();
        assert_eq!(
            written,
            k.ok(&["export", "--format", format]),
            "the file holds what stdout would"
        );
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{name} is the user's alone: {mode:o}");
    }
    assert_eq!(
        folder_listing(&out_dir),
        BTreeSet::from(["all.csv", "all.json", "all.vcf"].map(String::from)),
        "no temporary files left beside the exports"
    );

    // Overwriting an existing, readable file leaves it private too.
    let file = out_dir.join("all.vcf");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    k.ok(&["export", "--output", p(&file)]);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");

    // Into a folder that does not exist: an error, and nothing left anywhere.
    let before = folder_listing(k.dir.path());
    let missing = k.path("no-such-folder").join("all.vcf");
    let out = k.run(&["export", "--output", p(&missing)]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "exporting into a missing folder fails"
    );
    let stderr = stderr_of(&out);
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
    assert!(
        stderr.contains("no-such-folder"),
        "names the path: {stderr:?}"
    );
    assert!(stdout_of(&out).is_empty());
    assert!(!k.path("no-such-folder").exists());
    assert_eq!(folder_listing(k.dir.path()), before, "nothing half-written");

    // Onto a folder: an error, and no temporary file left beside it.
    let before = folder_listing(k.dir.path());
    let out = k.run(&["export", "--output", p(&out_dir)]);
    assert_eq!(out.status.code(), Some(1), "exporting onto a folder fails");
    assert!(out_dir.is_dir(), "the folder is still there");
    assert_eq!(
        folder_listing(k.dir.path()),
        before,
        "no temporary file left"
    );
}
