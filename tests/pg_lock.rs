//! A kith that stops in the middle of a write on the team's PostgreSQL store (`kill -STOP`, a
//! laptop lid closed mid-import) holds the write lock only as long as the config allows: the
//! server ends its session, everyone else's writes go through, and the stopped import, once it
//! runs again, says in one line what happened and leaves nothing of itself behind.

mod common;

use common::{one_line, sql_on, Kith};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// How long any one wait of these tests may take before it fails them: generous, since the
/// machine may be busy; only a wait that never ends should fail.
const DEADLINE: Duration = Duration::from_secs(120);

/// The advisory lock every kith write transaction holds ("kith" in ASCII), as pg_locks shows it.
const WRITE_LOCK_OBJID: i64 = 0x6B69_7468;

/// Polls `f` until it gives a value; fails the test if that takes longer than [`DEADLINE`].
fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + DEADLINE;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// `kith --db <the test's store> --config CONFIG ARGS`, as a process that can be stopped.
fn kith(k: &Kith, config: &Path, args: &[&str]) -> Command {
    kith_on(k, &k.db, config, args)
}

/// [`kith`] on `db`: the test's store by another way.
fn kith_on(k: &Kith, db: &Path, config: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("kith"));
    cmd.arg("--db")
        .arg(db)
        .arg("--config")
        .arg(config)
        .args(args)
        .env_remove("KITH_DB")
        .env("KITH_CONFIG", config)
        .env("XDG_CONFIG_HOME", k.path("xdg-config"))
        .env("XDG_DATA_HOME", k.path("xdg-data"));
    cmd
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

fn signal(child: &Child, sig: libc::c_int) {
    // SAFETY: kill(2) on our own child's pid; it only sends a signal.
    let rc = unsafe { libc::kill(child.id() as libc::pid_t, sig) };
    assert_eq!(rc, 0, "kill({}, {sig})", child.id());
}

/// A running kith that is resumed and ended if the test fails while it is stopped: a stopped
/// process would outlive the test, holding its connection.
struct Running(Option<Child>);

impl Running {
    fn child(&self) -> &Child {
        self.0.as_ref().expect("still running")
    }

    /// Waits for it to end (at most [`DEADLINE`]); its output.
    fn finish(mut self) -> Output {
        let mut child = self.0.take().expect("still running");
        wait_for("the resumed kith to end", || child.try_wait().unwrap());
        child.wait_with_output().unwrap()
    }

    /// Its output if it has ended already.
    fn ended(&mut self) -> Option<Output> {
        let child = self.0.as_mut()?;
        child.try_wait().unwrap()?;
        Some(self.0.take().unwrap().wait_with_output().unwrap())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            // SAFETY: as in `signal`; a killed process that is stopped needs SIGCONT to die.
            unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGCONT) };
            let _ = child.wait();
        }
    }
}

/// The test's own connection to the store's database, for looking at the server's state.
fn watcher(db: &Path) -> postgres::Client {
    kith::store::pgconnect::connect(
        &db.to_string_lossy(),
        &kith::store::pgconnect::ConnectOptions::default(),
    )
    .expect("the test connects")
    .0
}

/// The server process holding kith's write lock in this database, and its state.
fn lock_holder(client: &mut postgres::Client) -> Option<(i32, String)> {
    client
        .query_opt(
            "SELECT a.pid, a.state FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
              WHERE l.locktype = 'advisory' AND l.granted AND l.objid = $1::bigint::oid
                AND a.datname = current_database()",
            &[&WRITE_LOCK_OBJID],
        )
        .unwrap()
        .map(|row| (row.get(0), row.get(1)))
}

#[test]
fn a_stopped_import_releases_the_write_lock_others_write_and_it_leaves_nothing() {
    let k = Kith::new();
    let config = k.path("config.toml");
    // A bound small enough for a test, and large enough that the import, busy on its own side
    // between two statements (it checks rows a few thousand at a time), is not ended by it
    // before it is stopped on a loaded machine.
    std::fs::write(
        &config,
        "[store]\nidle_in_transaction_timeout_ms = 3000\nbusy_timeout_ms = 500\n",
    )
    .unwrap();
    let run = |args: &[&str]| kith(&k, &config, args).output().unwrap();
    // The schema first, so that the only write under way below is the import's.
    let before = run(&["lead", "add", "--name", "Before"]);
    assert!(before.status.success(), "{}", text(&before.stderr));

    // Long enough that it is still writing when it is stopped.
    let csv = k.path("people.csv");
    let mut rows = String::from("parent,first_name,last_name,email\n");
    for i in 0..20_000 {
        rows.push_str(&format!(
            "Imported Co {},Person,Number{i},person{i}@imported{}.example\n",
            i / 10,
            i / 10
        ));
    }
    std::fs::write(&csv, rows).unwrap();

    // Over TCP, as from a laptop; the others over the Unix socket.
    let db = k.db.to_string_lossy();
    let name = db.rsplit('/').next().unwrap();
    let over_tcp = std::path::PathBuf::from(common::pg::cluster().tcp_url(name, true));
    let mut watch = watcher(&k.db);
    let mut import = Running(Some(
        kith_on(&k, &over_tcp, &config, &["import", csv.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    ));
    let (holder, _) = wait_for("the import to hold the write lock", || {
        if let Some(out) = import.ended() {
            panic!(
                "the import ended before it was stopped: {:?} {}",
                out.status,
                text(&out.stderr)
            );
        }
        lock_holder(&mut watch)
    });
    signal(import.child(), libc::SIGSTOP);
    // Its last statement done, the server waits for a client that does not come (or has
    // already ended the session, if that was quicker than this look).
    wait_for(
        "the stopped import to be idle in its transaction",
        || match lock_holder(&mut watch) {
            Some((pid, state)) if pid == holder => (state == "idle in transaction").then_some(()),
            _ => Some(()),
        },
    );

    // Another member's write goes through once the bound has passed: tried until it does.
    wait_for(
        "another write to go through while the import is stopped",
        || {
            let out = run(&["lead", "add", "--name", "After"]);
            if out.status.success() {
                return Some(());
            }
            let err = text(&out.stderr);
            assert!(
                err.contains("busy"),
                "only busy while the lock is held: {err}"
            );
            None
        },
    );
    assert_eq!(lock_holder(&mut watch), None, "the lock is free");

    signal(import.child(), libc::SIGCONT);
    let out = import.finish();
    assert!(!out.status.success(), "the ended import must fail");
    let err = text(&out.stderr);
    let line = one_line(&err);
    assert!(
        line.contains("ended this write's transaction after 3 s idle")
            && line.contains("store.idle_in_transaction_timeout_ms")
            && line.contains("nothing of it was written"),
        "{line}"
    );

    // Whole or absent: none of its rows, its companies neither.
    assert_eq!(
        sql_on(&k.db, "SELECT count(*) FROM contacts", &[]).as_deref(),
        Some("0")
    );
    assert_eq!(
        sql_on(
            &k.db,
            "SELECT string_agg(name, ',' ORDER BY id) FROM parents",
            &[]
        )
        .as_deref(),
        Some("Before,After")
    );
    let check = run(&["check"]);
    assert!(
        check.status.success() && check.stderr.is_empty(),
        "{}{}",
        text(&check.stdout),
        text(&check.stderr)
    );
}

/// A statement that runs past `store.statement_timeout_ms` (here: one waiting for a table
/// another program holds locked) is cancelled by the server, and kith says so in one line.
#[test]
fn a_statement_past_the_statement_timeout_is_cancelled_in_one_line() {
    let k = Kith::new();
    let config = k.path("config.toml");
    std::fs::write(&config, "[store]\nstatement_timeout_ms = 1000\n").unwrap();
    let run = |args: &[&str]| kith(&k, &config, args).output().unwrap();
    let added = run(&["lead", "add", "--name", "Initech"]);
    assert!(added.status.success(), "{}", text(&added.stderr));

    let mut other = watcher(&k.db);
    let mut tx = other.transaction().unwrap();
    tx.batch_execute("LOCK TABLE parents IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let mut listing = Running(Some(
        kith(&k, &config, &["pipeline"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    ));
    let out = wait_for("the blocked command to end", || listing.ended());
    tx.rollback().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    let line = one_line(&err);
    assert!(
        line.contains("statement timeout") && line.contains("store.statement_timeout_ms"),
        "{line}"
    );
    // Unblocked, it works.
    let out = run(&["pipeline"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}
