//! Connecting to a real PostgreSQL: trust over the socket, every password source over TCP, and
//! each sslmode against a server whose certificate our own CA signed.

#[path = "common/closed_port.rs"]
mod closed_port;
mod common;

use common::pg::cluster;
use kith::store::pgconnect::{connect, ConnectError, ConnectOptions, Target};
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

fn opts(password_command: Option<&str>) -> ConnectOptions {
    ConnectOptions {
        password_command: password_command.map(String::from),
        connect_timeout: Duration::ZERO,
    }
}

fn open(
    url: &str,
    password_command: Option<&str>,
) -> Result<(postgres::Client, Target), ConnectError> {
    connect(url, &opts(password_command))
}

/// The error of a connection that must fail.
fn refused(url: &str, password_command: Option<&str>) -> String {
    match open(url, password_command) {
        Ok((_, target)) => panic!("connected to {target:?} with {url}"),
        Err(e) => e.to_string(),
    }
}

fn scalar<T: for<'a> postgres::types::FromSql<'a>>(client: &mut postgres::Client, sql: &str) -> T {
    client.query_one(sql, &[]).unwrap().get(0)
}

fn uses_tls(client: &mut postgres::Client) -> bool {
    scalar(
        client,
        "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
    )
}

/// The database name at the end of a URL.
fn db_of(url: &str) -> String {
    url.rsplit('/').next().unwrap().to_string()
}

fn url_encode_path(path: &std::path::Path) -> String {
    path.to_str()
        .unwrap()
        .replace('%', "%25")
        .replace('/', "%2F")
}

#[test]
fn trust_over_the_unix_socket() {
    let pg = cluster();
    let url = pg.fresh_database();
    let (mut client, target) = open(&url, None).unwrap();
    assert_eq!(scalar::<String>(&mut client, "SELECT current_user"), "kith");
    assert_eq!(
        scalar::<String>(&mut client, "SELECT current_setting('application_name')"),
        "kith"
    );
    assert_eq!(target.host, pg.socket_dir.to_str().unwrap());
    assert_eq!((target.user.as_str(), target.port), ("kith", pg.port));
}

/// `kith contacts` on `url` in a process of its own: no password in its environment but
/// `env`'s, its home in `dir` (no ~/.pgpass), `password_command` in its config. Ok, or what it
/// said on standard error.
///
/// Every case that reads PGPASSWORD, PGPASSFILE or ~/.pgpass runs this way: a variable set in
/// this process would reach the other tests of the binary, which connect meanwhile.
fn kith_connects(
    dir: &std::path::Path,
    url: &str,
    password_command: Option<&str>,
    env: &[(&str, &std::ffi::OsStr)],
) -> Result<(), String> {
    let config = dir.join("config.toml");
    let store = match password_command {
        Some(command) => format!("[store]\npassword_command = {command:?}\n"),
        None => String::new(),
    };
    std::fs::write(&config, store).unwrap();
    let mut cmd = assert_cmd::Command::cargo_bin("kith").unwrap();
    common::isolate(&mut cmd, dir, &config);
    cmd.arg("--db")
        .arg(url)
        .arg("contacts")
        .env_remove("PGPASSWORD")
        .env_remove("PGPASSFILE")
        .env("HOME", dir);
    for (key, value) in env {
        cmd.env(key, value);
    }
    let out = cmd.output().unwrap();
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8(out.stderr).unwrap())
    }
}

#[test]
fn password_sources_over_tcp() {
    let pg = cluster();
    let db = db_of(&pg.fresh_database());
    let with_password = pg.tcp_url(&db, true);
    let without = pg.tcp_url(&db, false);
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();

    // The password in the URL: nothing else is read.
    let (mut client, _) = open(&with_password, None).unwrap();
    assert_eq!(scalar::<String>(&mut client, "SELECT current_user"), "kith");
    let wrong = refused(&without.replace("kith@", "kith:wrong@"), None);
    assert!(
        wrong.contains("password authentication failed") && !wrong.contains("wrong"),
        "{wrong}"
    );

    let err = kith_connects(dir, &without, None, &[]).unwrap_err();
    assert!(err.contains("authentication"), "{err}");
    assert!(
        !err.contains("secret") && err.trim_end().lines().count() == 1,
        "{err}"
    );

    kith_connects(dir, &without, None, &[("PGPASSWORD", "secret".as_ref())])
        .expect("PGPASSWORD gives the password");

    kith_connects(dir, &without, Some("echo secret"), &[])
        .expect("the password command gives the password");
    let err = kith_connects(dir, &without, Some("exit 3"), &[]).unwrap_err();
    assert!(
        err.contains("`exit 3`") && err.contains("exit status 3"),
        "{err}"
    );
    // What a failing command printed may be a password: never shown.
    let err = kith_connects(dir, &without, Some("echo xyz$((6*7)); exit 3"), &[]).unwrap_err();
    assert!(
        err.contains("exit status 3") && !err.contains("xyz42"),
        "{err}"
    );

    // If `\:` were not an escape, the first line would match (host `127.0.0.1\`, user `*`) and
    // give the password "kith".
    let pgpass = dir.join("pgpass");
    std::fs::write(
        &pgpass,
        format!(
            "# kith's test password file\n\
             127.0.0.1\\:{port}:*:*:kith:wrong\n\
             127.0.0.1:{port}:{db}:somebody:wrong\n\
             *:{port}:*:kith:secret\n\
             *:*:*:*:wrong\n",
            port = pg.port
        ),
    )
    .unwrap();
    let passfile = [("PGPASSFILE", pgpass.as_os_str())];
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    kith_connects(dir, &without, None, &passfile)
        .expect("the 0600 password file gives the password");
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = kith_connects(dir, &without, None, &passfile)
        .expect_err("a password file others can read is ignored");
    assert!(
        err.contains("readable by others") && err.contains("authentication"),
        "{err}"
    );
    // ~/.pgpass, where no variable names a file.
    std::fs::rename(&pgpass, dir.join(".pgpass")).unwrap();
    std::fs::set_permissions(dir.join(".pgpass"), std::fs::Permissions::from_mode(0o600)).unwrap();
    kith_connects(dir, &without, None, &[]).expect("~/.pgpass gives the password");
}

#[test]
fn verify_full_checks_chain_and_host_name() {
    let pg = cluster();
    let db = db_of(&pg.fresh_database());
    let ca = url_encode_path(&pg.ca_cert);
    let verified = format!(
        "{}?sslmode=verify-full&sslrootcert={ca}",
        pg.tcp_url(&db, true)
    );

    let (mut client, _) = open(&verified.replace("127.0.0.1", "localhost"), None).unwrap();
    assert!(uses_tls(&mut client));
    // The certificate names 127.0.0.1 too.
    let (mut client, _) = open(&verified, None).unwrap();
    assert!(uses_tls(&mut client));

    let url = format!("{}?sslmode=verify-full", pg.tcp_url(&db, true));
    let err = refused(&url, None); // our CA is not among the system roots
    assert!(
        err.contains("the server's certificate is not trusted"),
        "{err}"
    );
    assert!(
        err.contains("UnknownIssuer") && !err.contains('\n') && !err.contains("secret"),
        "{err}"
    );
}

#[test]
fn weaker_ssl_modes() {
    let pg = cluster();
    let db = db_of(&pg.fresh_database());
    let url = pg.tcp_url(&db, true);

    let (mut client, _) = open(&format!("{url}?sslmode=disable"), None).unwrap();
    assert!(!uses_tls(&mut client));
    let (mut client, _) = open(&format!("{url}?sslmode=require"), None).unwrap();
    assert!(uses_tls(&mut client), "require needs no CA");
    let (mut client, _) = open(&url, None).unwrap();
    assert!(
        uses_tls(&mut client),
        "prefer, the default, uses TLS when offered"
    );
    let ca = url_encode_path(&pg.ca_cert);
    let (mut client, _) = open(&format!("{url}?sslmode=verify-ca&sslrootcert={ca}"), None).unwrap();
    assert!(uses_tls(&mut client));
}

#[test]
fn socket_connections_never_use_tls() {
    let url = cluster().fresh_database();
    let (mut client, _) = open(&format!("{url}?sslmode=require"), None).unwrap();
    let in_use: Option<bool> = client
        .query_opt(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl",
            &[],
        )
        .unwrap()
        .map(|row| row.get(0));
    assert_eq!(in_use, None);
}

#[test]
fn bad_urls_give_one_line() {
    let err = refused("host=localhost dbname=crm password=hunter2", None);
    assert!(
        err.starts_with("bad PostgreSQL URL") && err.contains("postgres://user"),
        "{err}"
    );
    assert!(!err.contains('\n') && !err.contains("hunter2"), "{err}");

    let err = refused("postgres://kith:hunter2@localhost/crm?sslmod=require", None);
    assert!(
        err.contains("\"sslmod\"") && !err.contains("hunter2"),
        "{err}"
    );
}

#[test]
fn nobody_listening_is_one_line() {
    // A port held, refusing connections, for as long as the test runs: a port found free and
    // let go could be taken by a server of another test before the connection is tried.
    let (_held, port) = closed_port::bound_not_listening();
    let url = format!("postgres://kith:secret@127.0.0.1:{port}/x?connect_timeout=2");
    let err = refused(&url, None);
    assert!(
        err.starts_with("cannot connect to PostgreSQL at kith@127.0.0.1:"),
        "{err}"
    );
    assert!(!err.contains('\n') && !err.contains("secret"), "{err}");
}

/// kith itself over TCP with TLS checked (`sslmode=verify-full`), its password from the
/// config's `store.password_command` (never in the config): every command works, the history
/// names the database user, and no password reaches the output.
#[test]
fn kith_over_verified_tls_with_a_password_command_names_the_database_user() {
    let pg = cluster();
    let db = db_of(&pg.fresh_database());
    let url = format!(
        "{}?sslmode=verify-full&sslrootcert={}",
        pg.tcp_url(&db, false).replace("127.0.0.1", "localhost"),
        pg.ca_cert.display()
    );
    let k = common::Kith::sqlite();
    let config = k.path("config.toml");
    std::fs::write(
        &config,
        format!("[store]\nurl = {url:?}\npassword_command = \"echo secret\"\n"),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let mut cmd = assert_cmd::Command::cargo_bin("kith").unwrap();
        common::isolate(&mut cmd, k.dir.path(), &config);
        cmd.env_remove("PGPASSWORD").args(args).output().unwrap()
    };
    let added = run(&["lead", "add", "--name", "Initech"]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let shown = run(&["show", "Initech", "--format", "json"]);
    assert!(
        shown.status.success(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    assert!(String::from_utf8_lossy(&shown.stdout).contains("\"Initech\""));
    let (mut client, _) = open(&pg.tcp_url(&db, true), None).unwrap();
    let actor: String = scalar(&mut client, "SELECT actor FROM history ORDER BY id LIMIT 1");
    assert_eq!(actor, "kith", "the database user is the author");

    // The same URL without the CA: refused in one line, naming why, with no password in it.
    std::fs::write(
        &config,
        format!(
            "[store]\nurl = {:?}\npassword_command = \"echo secret\"\n",
            url.split("&sslrootcert").next().unwrap()
        ),
    )
    .unwrap();
    let refused = run(&["contacts"]);
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr).into_owned();
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("not trusted"), "{err}");
    assert!(!err.contains("secret"), "{err}");
}

/// A password in `store.url` of a config file that others can read is refused, as a password
/// file others can read is, before anything connects; in a private config it is used.
#[test]
fn a_password_in_a_config_others_can_read_is_refused_before_connecting() {
    let pg = cluster();
    let url = pg.fresh_database();
    let db = db_of(&url);
    let k = common::Kith::sqlite();
    let config = k.path("config.toml");
    std::fs::write(
        &config,
        format!("[store]\nurl = {:?}\n", pg.tcp_url(&db, true)),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let mut cmd = assert_cmd::Command::cargo_bin("kith").unwrap();
        common::isolate(&mut cmd, k.dir.path(), &config);
        cmd.env_remove("PGPASSWORD")
            .env("PGPASSFILE", k.path("none"))
            .args(args)
            .output()
            .unwrap()
    };
    // kith makes its tables on first connecting: none means it never connected.
    let tables = || -> i64 {
        let (mut client, _) = open(&url, None).unwrap();
        scalar(
            &mut client,
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
        )
    };

    for mode in [0o644, 0o640] {
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(mode)).unwrap();
        let out = run(&["lead", "add", "--name", "Initech"]);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        let line = common::one_line(&err);
        assert!(
            line.contains(&config.display().to_string())
                && line.contains(&format!("mode {mode:04o}"))
                && line.contains("store.url holds a password")
                && line.contains("chmod 600")
                && line.contains("~/.pgpass")
                && line.contains("store.password_command"),
            "{line}"
        );
        assert!(!line.contains("secret"), "{line}");
        assert_eq!(tables(), 0, "kith connected with a config others can read");
    }

    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = run(&["lead", "add", "--name", "Initech"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(tables() > 0);
    let out = run(&["show", "Initech", "--format", "json"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"Initech\""));
}
