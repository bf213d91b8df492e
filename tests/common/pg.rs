//! A throwaway PostgreSQL cluster for the tests: one per test process, started on first use,
//! with TLS (its own CA), a `kith` role with password `secret`, and a fresh database per test.
//!
//! CI may start a cluster itself and point the tests at it with `KITH_TEST_PG_SOCKET` (the socket
//! directory), `KITH_TEST_PG_PORT` and `KITH_TEST_PG_CA` (the CA's PEM); its superuser `postgres`
//! must be trusted over the socket, and `kith` must log in over TCP by password as below.
// Each test binary uses a different part of it.
#![allow(dead_code)]

use std::ffi::OsString;
use std::fs;
use std::io::Write;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

pub struct Cluster {
    pub socket_dir: PathBuf,
    pub port: u16,
    /// PEM of the CA that signed the server's certificate.
    pub ca_cert: PathBuf,
    psql: PathBuf,
    /// `None` for a cluster someone else started, which we must not stop or restart.
    server: Option<Server>,
}

struct Server {
    pg_ctl: PathBuf,
    data: PathBuf,
    log: PathBuf,
    /// PostgreSQL refuses to run as root, so then every server command runs as `postgres`.
    run_as: Option<&'static str>,
    /// The watchdog stops the server when this pipe closes, which the kernel does when this
    /// process ends, however it ends.
    _watchdog: ChildStdin,
}

pub fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
    match CLUSTER.get_or_init(|| external().unwrap_or_else(start)) {
        Ok(cluster) => cluster,
        Err(e) => panic!("no PostgreSQL cluster for the tests: {e}"),
    }
}

impl Cluster {
    /// A new empty database owned by `kith`, as a URL for `kith` over the Unix socket.
    pub fn fresh_database(&self) -> String {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        // The process id keeps names apart when several test processes share one CI cluster.
        let name = format!(
            "kith_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        self.psql("postgres", &format!("CREATE DATABASE {name} OWNER kith"));
        let socket = percent_encode(&self.socket_dir.to_string_lossy());
        format!("postgres://kith@{socket}:{}/{name}", self.port)
    }

    pub fn tcp_url(&self, db: &str, password: bool) -> String {
        let password = if password { ":secret" } else { "" };
        format!("postgres://kith{password}@127.0.0.1:{}/{db}", self.port)
    }

    /// Runs `sql` (one or more statements) as the superuser over the socket; returns what psql
    /// printed, unaligned and without headers (`SELECT 1, 2` gives "1|2\n").
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let mut child = Command::new(&self.psql)
            .args([
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-U",
                "postgres",
                "-f",
                "-",
            ])
            .arg("-h")
            .arg(&self.socket_dir)
            .arg("-p")
            .arg(self.port.to_string())
            .arg("-d")
            .arg(db)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.psql.display()));
        child
            .stdin
            .take()
            .unwrap()
            .write_all(sql.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        if !out.status.success() {
            panic!(
                "psql -d {db} failed on {sql:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        String::from_utf8(out.stdout).unwrap()
    }

    /// Stops the server (`pg_ctl stop -m fast`), for tests of a server that is gone; only a
    /// cluster this process started can be stopped.
    pub fn stop(&self) {
        self.ctl(&["-w", "-m", "fast", "stop"]);
    }

    /// Starts the server [`Cluster::stop`] stopped.
    pub fn start(&self) {
        self.ctl(&["-w", "-t", "60", "start"]);
    }

    fn ctl(&self, args: &[&str]) {
        let s = self
            .server
            .as_ref()
            .expect("a cluster this test process started (KITH_TEST_PG_SOCKET is set)");
        let mut cmd = s.command(&s.pg_ctl);
        cmd.arg("-D").arg(&s.data).arg("-l").arg(&s.log).args(args);
        if let Err(e) = run(&mut cmd) {
            panic!(
                "pg_ctl {args:?} failed: {e}\n{}",
                fs::read_to_string(&s.log).unwrap_or_default()
            );
        }
    }

    /// Ends every connection, as a server restart does. Tests running at the same time in this
    /// process lose theirs too.
    pub fn restart(&self) {
        match &self.server {
            Some(s) => {
                let mut cmd = s.command(&s.pg_ctl);
                cmd.arg("-D")
                    .arg(&s.data)
                    .arg("-l")
                    .arg(&s.log)
                    .args(["-w", "-m", "fast", "restart"]);
                if let Err(e) = run(&mut cmd) {
                    panic!(
                        "pg_ctl restart failed: {e}\n{}",
                        fs::read_to_string(&s.log).unwrap_or_default()
                    );
                }
            }
            // Not ours to restart: end the connections to this process's databases instead.
            None => {
                self.psql(
                    "postgres",
                    &format!(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
                         WHERE datname LIKE 'kith\\_{}\\_%'",
                        std::process::id()
                    ),
                );
            }
        }
    }
}

impl Server {
    fn command(&self, program: &Path) -> Command {
        server_command(self.run_as, program)
    }
}

fn server_command(run_as: Option<&str>, program: &Path) -> Command {
    match run_as {
        Some(user) => {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", user, "--"]).arg(program);
            cmd
        }
        None => Command::new(program),
    }
}

fn external() -> Option<Result<Cluster, String>> {
    let socket_dir = PathBuf::from(std::env::var_os("KITH_TEST_PG_SOCKET")?);
    let port = match std::env::var("KITH_TEST_PG_PORT") {
        Ok(p) => match p.parse() {
            Ok(port) => port,
            Err(_) => return Some(Err(format!("KITH_TEST_PG_PORT={p:?} is not a port"))),
        },
        Err(_) => 5432,
    };
    let ca_cert = std::env::var_os("KITH_TEST_PG_CA")
        .map(PathBuf::from)
        .unwrap_or_default();
    let cluster = Cluster {
        socket_dir,
        port,
        ca_cert,
        psql: program("psql"),
        server: None,
    };
    cluster.psql("postgres", CREATE_ROLE);
    Some(Ok(cluster))
}

// Idempotent, and safe when test processes sharing a cluster race to run it.
const CREATE_ROLE: &str = "DO $$ BEGIN CREATE ROLE kith LOGIN CREATEDB PASSWORD 'secret'; \
     EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$";

fn start() -> Result<Cluster, String> {
    let run_as = if run(Command::new("id").arg("-u"))?.trim() == "0" {
        Some("postgres")
    } else {
        None
    };
    let dir = unique_dir()?;
    let (initdb, pg_ctl) = (program("initdb"), program("pg_ctl"));
    let data = dir.join("data");
    let socket_dir = dir.join("sock");
    let log = dir.join("server.log");

    // Spawned first, so that even a failed start is cleaned up.
    let watchdog = Command::new("sh")
        .args([
            "-c",
            "dir=$1; shift; cat >/dev/null; \"$@\" >/dev/null 2>&1; rm -rf \"$dir\"",
            "kith-pg-watchdog",
        ])
        .arg(&dir)
        .args(argv(&server_command(run_as, &pg_ctl)))
        .arg("-D")
        .arg(&data)
        .args(["stop", "-m", "immediate"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Its own process group, so a Ctrl-C that kills the tests does not kill it too.
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start the watchdog: {e}"))?
        .stdin
        .take()
        .unwrap();

    fs::create_dir(&socket_dir).map_err(|e| format!("{}: {e}", socket_dir.display()))?;
    let tls = dir.join("tls");
    fs::create_dir(&tls).map_err(|e| format!("{}: {e}", tls.display()))?;
    make_certificates(&tls)?;
    if let Some(user) = run_as {
        run(Command::new("chown")
            .arg("-R")
            .arg(format!("{user}:"))
            .arg(&dir))?;
    }
    let server = Server {
        pg_ctl,
        data,
        log,
        run_as,
        _watchdog: watchdog,
    };

    run(server
        .command(&initdb)
        .current_dir(&dir)
        .args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "--locale=C.UTF-8",
            "-E",
            "UTF8",
            "--no-sync",
            "-D",
        ])
        .arg(&server.data))?;
    fs::write(
        server.data.join("pg_hba.conf"),
        "local all all trust\n\
         hostssl all kith 127.0.0.1/32 scram-sha-256\n\
         host all kith 127.0.0.1/32 scram-sha-256\n",
    )
    .map_err(|e| format!("pg_hba.conf: {e}"))?;
    let quoted = |p: &Path| format!("'{}'", p.display().to_string().replace('\'', "''"));
    append_config(
        &server.data,
        &format!(
            "listen_addresses = '127.0.0.1'\n\
             unix_socket_directories = {}\n\
             ssl = on\n\
             ssl_cert_file = {}\n\
             ssl_key_file = {}\n\
             fsync = off\n\
             synchronous_commit = off\n\
             full_page_writes = off\n\
             max_connections = 200\n",
            quoted(&socket_dir),
            quoted(&tls.join("server.crt")),
            quoted(&tls.join("server.key")),
        ),
    )?;

    // A port found free may be taken by another test process before the server binds it.
    let mut port = 0;
    for attempt in 1..=5 {
        port = free_port()?;
        append_config(&server.data, &format!("port = {port}\n"))?;
        let mut cmd = server.command(&server.pg_ctl);
        cmd.current_dir(&dir)
            .arg("-D")
            .arg(&server.data)
            .arg("-l")
            .arg(&server.log);
        match run(cmd.args(["-w", "-t", "60", "start"])) {
            Ok(_) => break,
            Err(e) => {
                let log = fs::read_to_string(&server.log).unwrap_or_default();
                if attempt == 5 || !log.contains("already in use") {
                    return Err(format!("{e}\n{log}"));
                }
            }
        }
    }

    let cluster = Cluster {
        socket_dir,
        port,
        ca_cert: tls.join("ca.crt"),
        psql: program("psql"),
        server: Some(server),
    };
    cluster.psql("postgres", CREATE_ROLE);
    Ok(cluster)
}

/// A CA, and a server certificate it signed for `localhost` and 127.0.0.1.
fn make_certificates(tls: &Path) -> Result<(), String> {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let openssl = || {
        let mut cmd = Command::new("openssl");
        cmd.current_dir(tls);
        cmd
    };
    run(openssl().args(["req", "-x509"]).args(ec).args([
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "3650",
        "-subj",
        "/CN=kith test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]))?;
    run(openssl().args(["req", "-new"]).args(ec).args([
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ]))?;
    fs::write(
        tls.join("server.ext"),
        "subjectAltName = DNS:localhost, IP:127.0.0.1\n\
         basicConstraints = CA:FALSE\n\
         keyUsage = critical, digitalSignature\n\
         extendedKeyUsage = serverAuth\n",
    )
    .map_err(|e| format!("server.ext: {e}"))?;
    run(openssl().args([
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-set_serial",
        "2",
        "-days",
        "3650",
        "-extfile",
        "server.ext",
        "-out",
        "server.crt",
    ]))?;
    // PostgreSQL refuses a key file that others can read.
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(tls.join("server.key"), fs::Permissions::from_mode(0o600))
        .map_err(|e| format!("server.key: {e}"))
}

fn append_config(data: &Path, lines: &str) -> Result<(), String> {
    // Later lines win in postgresql.conf, so appending overrides initdb's defaults.
    fs::OpenOptions::new()
        .append(true)
        .open(data.join("postgresql.conf"))
        .and_then(|mut f| f.write_all(lines.as_bytes()))
        .map_err(|e| format!("postgresql.conf: {e}"))
}

fn unique_dir() -> Result<PathBuf, String> {
    let base = std::env::temp_dir();
    for n in 0..1000 {
        let dir = base.join(format!("kith-pg-{}-{n}", std::process::id()));
        match fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("{}: {e}", dir.display())),
        }
    }
    Err(format!("no free directory name in {}", base.display()))
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free TCP port: {e}"))
}

/// The newest installed PostgreSQL's `name`, else `name` as found on PATH.
fn program(name: &str) -> PathBuf {
    let newest = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse::<u32>().ok()?, e.path())))
        .filter(|(_, dir)| dir.join("bin").join(name).exists())
        .max_by_key(|(version, _)| *version);
    match newest {
        Some((_, dir)) => dir.join("bin").join(name),
        None => PathBuf::from(name),
    }
}

fn run(cmd: &mut Command) -> Result<String, String> {
    let what = format!("{:?}", cmd);
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{what} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn argv(cmd: &Command) -> Vec<OsString> {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(Into::into)
        .collect()
}
