//! Shared helpers for the integration tests: a private temporary store, and the real `kith`
//! binary pointed at it (never at the user's own store or config).
//!
//! Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

pub mod backend;
pub mod pg;
pub mod process;
pub mod screen;

#[allow(unused_imports)] // each test binary takes what it needs
pub use backend::{backend, rows_on, sql_on, tables_on, Arg, Backend};

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use tempfile::TempDir;

/// A temporary folder holding one store (`kith.db`), and a config path that does not exist, so
/// kith runs on its defaults.
pub struct Kith {
    pub dir: TempDir,
    pub db: PathBuf,
    pub config: PathBuf,
}

impl Kith {
    /// A store of this test binary's backend (see [`backend`]).
    pub fn new() -> Kith {
        Kith::on(backend())
    }

    pub fn on(backend: Backend) -> Kith {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let db = backend::new_store(backend, dir.path());
        let config = dir.path().join("no-such-config.toml");
        Kith { dir, db, config }
    }

    /// An SQLite store in this test's folder, whatever the backend: for tests of the file
    /// itself (its mode, its header, what SQLite makes of it).
    pub fn sqlite() -> Kith {
        Kith::on(Backend::Sqlite)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `kith --db <this store> ...`, isolated from the user's environment.
    pub fn cmd(&self) -> Command {
        self.cmd_on(&self.db)
    }

    /// `kith --db <db> ...`, isolated from the user's environment.
    pub fn cmd_on(&self, db: &Path) -> Command {
        let mut cmd = Command::cargo_bin("kith").expect("the kith binary");
        cmd.arg("--db").arg(db);
        isolate(&mut cmd, self.dir.path(), &self.config);
        cmd
    }

    /// Runs kith with `args`; returns its output without judging it.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("kith runs")
    }

    /// Runs kith with `args`, asserts it succeeded with an empty stderr, and returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_success(&out, args);
        String::from_utf8(out.stdout).expect("stdout is UTF-8")
    }

    /// Runs kith with `args`, asserts it failed, and returns its stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            !out.status.success(),
            "kith {args:?} should have failed but succeeded; stdout:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stderr).expect("stderr is UTF-8")
    }

    /// `kith --db DB --config CONFIG ARGS`; its output, not judged.
    pub fn run_configured(&self, db: &Path, config: &Path, args: &[&str]) -> Output {
        let mut cmd = self.cmd_on(db);
        cmd.arg("--config").arg(config).args(args);
        cmd.output().expect("kith runs")
    }

    /// [`Kith::ok`] on the store `db`.
    pub fn ok_on(&self, db: &Path, args: &[&str]) -> String {
        let out = self.cmd_on(db).args(args).output().expect("kith runs");
        assert_success(&out, args);
        String::from_utf8(out.stdout).expect("stdout is UTF-8")
    }

    /// [`Kith::fails`] on the store `db`.
    pub fn fails_on(&self, db: &Path, args: &[&str]) -> String {
        let out = self.cmd_on(db).args(args).output().expect("kith runs");
        assert!(
            !out.status.success(),
            "kith {args:?} on {db:?} should have failed"
        );
        String::from_utf8(out.stderr).expect("stderr is UTF-8")
    }

    /// Runs a command that prints one id, and returns it.
    pub fn id(&self, args: &[&str]) -> i64 {
        let out = self.ok(args);
        parse_id(&out, args)
    }

    pub fn add_lead(&self, name: &str, extra: &[&str]) -> i64 {
        let mut args = vec!["lead", "add", "--name", name];
        args.extend_from_slice(extra);
        self.id(&args)
    }

    pub fn add_customer(&self, name: &str, extra: &[&str]) -> i64 {
        let mut args = vec!["customer", "add", "--name", name];
        args.extend_from_slice(extra);
        self.id(&args)
    }

    pub fn add_contact(&self, parent: &str, first: &str, extra: &[&str]) -> i64 {
        let mut args = vec!["contact", "add", "--parent", parent, "--first", first];
        args.extend_from_slice(extra);
        self.id(&args)
    }

    /// `kith contacts --format json`, parsed.
    pub fn contacts_json(&self) -> Vec<Value> {
        self.contacts_json_on(&self.db)
    }

    pub fn contacts_json_on(&self, db: &Path) -> Vec<Value> {
        let out = self
            .cmd_on(db)
            .args(["contacts", "--format", "json"])
            .output()
            .expect("kith runs");
        assert_success(&out, &["contacts", "--format", "json"]);
        let v: Value = serde_json::from_slice(&out.stdout).expect("contacts json parses");
        v.as_array().expect("contacts json is an array").clone()
    }

    /// `kith show REF --format json`, parsed.
    pub fn show_json_on(&self, db: &Path, reference: &str) -> Value {
        let out = self.ok_on(db, &["show", reference, "--format", "json"]);
        serde_json::from_str(&out).expect("show json parses")
    }

    pub fn show_json(&self, reference: &str) -> Value {
        let out = self.ok(&["show", reference, "--format", "json"]);
        serde_json::from_str(&out).expect("show json parses")
    }
}

/// Points a command away from anything of the user's: no `KITH_DB`, a config that does not
/// exist, and XDG folders inside the test's temporary folder.
pub fn isolate(cmd: &mut Command, dir: &Path, config: &Path) {
    cmd.env_remove("KITH_DB")
        .env("KITH_CONFIG", config)
        .env("XDG_CONFIG_HOME", dir.join("xdg-config"))
        .env("XDG_DATA_HOME", dir.join("xdg-data"));
}

pub fn assert_success(out: &Output, args: &[&str]) {
    assert!(
        out.status.success(),
        "kith {args:?} failed with {:?}; stderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "kith {args:?} succeeded but wrote to stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn parse_id(out: &str, args: &[&str]) -> i64 {
    let line = out.trim();
    line.parse()
        .unwrap_or_else(|_| panic!("kith {args:?} should print an id, printed {out:?}"))
}

/// Asserts `stderr` is exactly one line (ending in a newline) and returns it without the newline.
pub fn one_line(stderr: &str) -> &str {
    let line = stderr
        .strip_suffix('\n')
        .unwrap_or_else(|| panic!("stderr should end with a newline: {stderr:?}"));
    assert!(
        !line.is_empty() && !line.contains('\n'),
        "stderr should be one line: {stderr:?}"
    );
    line
}

/// The Unix permission bits of a file or folder.
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// `path` with a suffix appended to its file name (`kith.db` + `-wal`).
pub fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The contact of a JSON list whose full name is `name`.
pub fn by_name<'a>(list: &'a [Value], name: &str) -> &'a Value {
    list.iter()
        .find(|c| c["full_name"] == name)
        .unwrap_or_else(|| panic!("no contact named {name:?} in {list:#?}"))
}

/// A store of schema 4 (what the previous release wrote), made with that release's migrations,
/// holding a lead, Initech, and `people` contacts there with an address each, the first Peter
/// Gibbons.
pub fn store_of_schema_4(path: &Path, people: usize) {
    use kith::store::schema::{APPLICATION_ID, MIGRATIONS};
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    for sql in &MIGRATIONS[..4] {
        conn.execute_batch(sql).unwrap();
    }
    conn.pragma_update(None, "user_version", 4).unwrap();
    conn.execute_batch(
        "INSERT INTO parents (kind, name, status, created_at, updated_at)
             VALUES ('lead', 'Initech', 'new', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');",
    )
    .unwrap();
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO contacts (parent_id, first_name, full_name, title, email, uid, created_at,
                               updated_at)
         SELECT 1, 'Peter', CASE i WHEN 1 THEN 'Peter Gibbons' ELSE 'Person ' || i END,
                'Engineer', 'p' || i || '@initech.test', 'u-' || i,
                '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n",
        [people as i64],
    )
    .unwrap();
    conn.execute_batch(
        "INSERT INTO contact_emails (contact_id, position, address, label, preferred)
             SELECT id, 0, email, NULL, 1 FROM contacts;",
    )
    .unwrap();
}

impl Kith {
    /// Runs `sql` (parameters written `?1`, `?2`) on the store behind kith's back, as another
    /// program or a damaged file would, on either backend. Returns the first column of the first
    /// row, as text, when there is one.
    pub fn sql(&self, sql: &str, args: &[Arg]) -> Option<String> {
        sql_on(&self.db, sql, args)
    }

    /// The whole number `sql` answers (a count).
    pub fn sql_count(&self, sql: &str) -> i64 {
        self.sql(sql, &[])
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{sql} gave no number"))
    }
}
