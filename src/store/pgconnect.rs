//! Opening a PostgreSQL connection from a URL the way libpq users expect: the same defaults
//! (PGUSER, PGHOST, PGPORT, the local socket directory), the same password sources (PGPASSWORD,
//! ~/.pgpass) and the same `sslmode` meanings, with TLS done by rustls and ring.

use std::error::Error;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};

#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    /// Run with `sh -c` when neither the URL nor PGPASSWORD gives a password.
    pub password_command: Option<String>,
    /// Zero means the default, 10 seconds.
    pub connect_timeout: Duration,
}

/// What the server allows each of kith's sessions (`store.idle_in_transaction_timeout_ms`,
/// `store.statement_timeout_ms`); zero is no limit. Every write holds the team's write lock, so
/// these bound how long one client can keep everyone else waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    /// A session idle this long inside a transaction is ended by the server, and its
    /// transaction rolled back: a client stopped or suspended mid-write (a laptop lid closed
    /// during an import) releases the lock after this long.
    pub idle_in_transaction: Duration,
    /// A statement running this long is cancelled. Rebuilding the search index at the end of an
    /// import, the longest statement kith runs, took 9 s at 100,000 people on a busy two-core
    /// machine: the default leaves room for stores many times that size and slower servers.
    pub statement: Duration,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            idle_in_transaction: Duration::from_secs(30),
            statement: Duration::from_secs(300),
        }
    }
}

/// TCP keepalives on both ends, so that a peer gone without a word (a laptop suspended, a
/// network cut) is noticed in about two minutes instead of the system's two hours: probes after
/// this long idle, ...
pub const KEEPALIVE_IDLE: Duration = Duration::from_secs(60);
/// ... every this long, ...
pub const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(10);
/// ... this many unanswered before the connection is given up.
pub const KEEPALIVE_COUNT: u32 = 6;
/// Data sent and not taken for this long ends the connection too: the case keepalives do not
/// cover, a peer that stopped reading (on the server: rows for a client that was stopped).
pub const TCP_USER_TIMEOUT: Duration = Duration::from_secs(120);

/// Where a connection went, for messages and for the password file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub user: String,
    /// A Unix-socket directory (starting with `/`) or a host name or address.
    pub host: String,
    pub port: u16,
    pub dbname: String,
}

impl Target {
    fn is_socket(&self) -> bool {
        self.host.starts_with('/')
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "{}@{}:{}/{}",
            self.user, self.host, self.port, self.dbname
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectError(String);

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Error for ConnectError {}

const DEFAULT_SOCKET_DIR: &str = "/var/run/postgresql";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
const URL_SHAPE: &str =
    "postgres://user[:password]@host[:port]/dbname[?sslmode=...&...], with a socket directory \
     as host written %2Fpath or given as ?host=/path";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// What the URL itself says; `None` where it says nothing and a default applies.
#[derive(Debug, Default, PartialEq)]
struct Url {
    user: Option<String>,
    password: Option<String>,
    host: Option<String>,
    port: Option<u16>,
    dbname: Option<String>,
    sslmode: Option<SslMode>,
    sslrootcert: Option<PathBuf>,
    passfile: Option<PathBuf>,
    connect_timeout: Option<Duration>,
    application_name: Option<String>,
}

/// Everything needed to connect, defaults applied; the password is looked up separately.
#[derive(Debug, PartialEq)]
struct Settings {
    target: Target,
    sslmode: SslMode,
    sslrootcert: Option<PathBuf>,
    passfile: Option<PathBuf>,
    connect_timeout: Option<Duration>,
    application_name: String,
}

pub fn connect(
    url: &str,
    opts: &ConnectOptions,
) -> Result<(postgres::Client, Target), ConnectError> {
    let parsed = parse_url(url).map_err(|e| ConnectError(format!("bad PostgreSQL URL: {e}")))?;
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let url_password = parsed.password.clone();
    let settings = resolve(parsed, &env, Path::new(DEFAULT_SOCKET_DIR).is_dir())
        .map_err(|e| ConnectError(format!("cannot connect to PostgreSQL: {e}")))?;
    let target = settings.target.clone();
    let fail =
        |why: String| ConnectError(format!("cannot connect to PostgreSQL at {target}: {why}"));

    let password = match url_password.or_else(|| env("PGPASSWORD")) {
        Some(p) => Some(p),
        None => match &opts.password_command {
            Some(cmd) => Some(run_password_command(cmd).map_err(fail)?),
            None => password_from_file(&settings, &env),
        },
    };

    let mut config = postgres::Config::new();
    config
        .user(&target.user)
        .dbname(&target.dbname)
        .port(target.port)
        .application_name(&settings.application_name)
        .connect_timeout(
            settings
                .connect_timeout
                .or(Some(opts.connect_timeout).filter(|t| !t.is_zero()))
                .unwrap_or(DEFAULT_TIMEOUT),
        )
        // Over TCP only; a Unix socket's peer cannot vanish without the kernel knowing.
        .keepalives(true)
        .keepalives_idle(KEEPALIVE_IDLE)
        .keepalives_interval(KEEPALIVE_INTERVAL)
        .keepalives_retries(KEEPALIVE_COUNT)
        .tcp_user_timeout(TCP_USER_TIMEOUT);
    if let Some(p) = &password {
        config.password(p);
    }

    if target.is_socket() {
        config.host_path(&target.host);
    } else {
        config.host(&target.host);
    }

    // Unix sockets never use TLS, as in libpq.
    let result = if target.is_socket() || settings.sslmode == SslMode::Disable {
        config.ssl_mode(postgres::config::SslMode::Disable);
        config.connect(postgres::NoTls)
    } else {
        config.ssl_mode(match settings.sslmode {
            SslMode::Prefer => postgres::config::SslMode::Prefer,
            _ => postgres::config::SslMode::Require,
        });
        let tls = tls_config(settings.sslmode, settings.sslrootcert.as_deref()).map_err(fail)?;
        config.connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
    };
    match result {
        Ok(client) => Ok((client, target.clone())),
        Err(e) => Err(fail(describe(&e, &target))),
    }
}

/// The URL with any password replaced by `***`, for messages.
pub fn redacted(url: &str) -> String {
    without_passwords(url).0
}

/// True when the URL (or a libpq key=value string given where a URL belongs) holds a password.
pub fn holds_password(url: &str) -> bool {
    without_passwords(url).1
}

/// The URL with any password replaced by `***`, and whether a non-empty one was there.
fn without_passwords(url: &str) -> (String, bool) {
    let mut held = false;
    let mut hide = |value: &str| held |= !value.is_empty();
    let Some(start) = url.find("://").map(|i| i + 3) else {
        let words = url.split(' ').map(|w| match w.strip_prefix("password=") {
            Some(value) => {
                hide(value);
                "password=***"
            }
            None => w,
        });
        let text = words.collect::<Vec<_>>().join(" ");
        return (text, held);
    };
    let (before_query, query) = split_query(&url[start..]);
    let (userinfo, rest) = split_userinfo(before_query);
    let mut out = url[..start].to_string();
    if let Some(userinfo) = userinfo {
        out.push_str(
            match userinfo.split_once(':') {
                Some((user, password)) => {
                    hide(password);
                    format!("{user}:***@")
                }
                None => format!("{userinfo}@"),
            }
            .as_str(),
        );
    }
    out.push_str(rest);
    if let Some(query) = query {
        let params = query.split('&').map(|kv| match kv.split_once('=') {
            Some(("password", value)) => {
                hide(value);
                "password=***"
            }
            _ => kv,
        });
        out.push('?');
        out.push_str(&params.collect::<Vec<_>>().join("&"));
    }
    (out, held)
}

fn split_query(s: &str) -> (&str, Option<&str>) {
    match s.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (s, None),
    }
}

/// Splits at the last '@' before the query, so that a password with an unencoded '@' or '/'
/// (common in generated ones) is still taken whole, and never shown as a host or a port.
fn split_userinfo(s: &str) -> (Option<&str>, &str) {
    match s.rsplit_once('@') {
        Some((userinfo, rest)) => (Some(userinfo), rest),
        None => (None, s),
    }
}

fn parse_url(url: &str) -> Result<Url, String> {
    let rest = url
        .strip_prefix("postgres://")
        .or_else(|| url.strip_prefix("postgresql://"))
        .ok_or_else(|| format!("not a URL; expected {URL_SHAPE}"))?;
    let (rest, query) = split_query(rest);
    let (userinfo, rest) = split_userinfo(rest);
    let (hostport, path) = rest.split_once('/').unwrap_or((rest, ""));

    let mut parsed = Url::default();
    if let Some(userinfo) = userinfo {
        let (user, password) = match userinfo.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (userinfo, None),
        };
        parsed.user = non_empty(decode(user)?);
        parsed.password = password.map(decode).transpose()?;
    }
    let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
        let (addr, after) = v6
            .split_once(']')
            .ok_or_else(|| format!("unclosed '[' in the host; expected {URL_SHAPE}"))?;
        match after {
            "" => (addr.to_string(), None),
            _ => match after.strip_prefix(':') {
                Some(port) => (addr.to_string(), Some(port)),
                None => return Err(format!("unexpected {after:?} after the host")),
            },
        }
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (decode(h)?, Some(p)),
            None => (decode(hostport)?, None),
        }
    };
    parsed.host = non_empty(host);
    parsed.port = port.filter(|p| !p.is_empty()).map(parse_port).transpose()?;
    if path.contains('/') {
        return Err(format!(
            "unexpected '/' in the database name; expected {URL_SHAPE}"
        ));
    }
    parsed.dbname = non_empty(decode(path)?);

    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("parameter {pair:?} has no value (write {pair}=...)"))?;
        let value = decode(value)?;
        match key {
            "host" => parsed.host = non_empty(value),
            "port" => parsed.port = Some(parse_port(&value)?),
            "user" => parsed.user = non_empty(value),
            "password" => parsed.password = Some(value),
            "dbname" => parsed.dbname = non_empty(value),
            "sslmode" => parsed.sslmode = Some(parse_sslmode(&value)?),
            "sslrootcert" => parsed.sslrootcert = non_empty(value).map(PathBuf::from),
            "passfile" => parsed.passfile = non_empty(value).map(PathBuf::from),
            "connect_timeout" => {
                let secs: u64 = value
                    .parse()
                    .map_err(|_| format!("connect_timeout must be whole seconds, not {value:?}"))?;
                // As in libpq, zero means no limit of its own, so the caller's default applies.
                parsed.connect_timeout = Some(Duration::from_secs(secs)).filter(|t| !t.is_zero());
            }
            "application_name" => parsed.application_name = Some(value),
            _ => return Err(format!("unknown parameter {key:?}")),
        }
    }
    Ok(parsed)
}

fn resolve(
    url: Url,
    env: &dyn Fn(&str) -> Option<String>,
    default_socket_exists: bool,
) -> Result<Settings, String> {
    let user = url
        .user
        .or_else(|| env("PGUSER"))
        .or_else(|| env("USER"))
        .or_else(|| env("LOGNAME"))
        .ok_or("no user in the URL, and neither PGUSER nor USER is set")?;
    let host = url.host.or_else(|| env("PGHOST")).unwrap_or_else(|| {
        if default_socket_exists {
            DEFAULT_SOCKET_DIR
        } else {
            "localhost"
        }
        .to_string()
    });
    let port = match url.port {
        Some(p) => p,
        None => env("PGPORT")
            .as_deref()
            .map(parse_port)
            .transpose()
            .map_err(|e| format!("PGPORT: {e}"))?
            .unwrap_or(5432),
    };
    let sslmode = match url.sslmode {
        Some(m) => m,
        None => env("PGSSLMODE")
            .as_deref()
            .map(parse_sslmode)
            .transpose()
            .map_err(|e| format!("PGSSLMODE: {e}"))?
            .unwrap_or(SslMode::Prefer),
    };
    let sslrootcert = url
        .sslrootcert
        .or_else(|| env("PGSSLROOTCERT").map(PathBuf::from));
    // libpq: `require` with a root certificate checks the chain like verify-ca.
    let sslmode = match (sslmode, &sslrootcert) {
        (SslMode::Require, Some(_)) => SslMode::VerifyCa,
        (m, _) => m,
    };
    let dbname = url
        .dbname
        .or_else(|| env("PGDATABASE"))
        .unwrap_or_else(|| user.clone());
    Ok(Settings {
        target: Target {
            user,
            host,
            port,
            dbname,
        },
        sslmode,
        sslrootcert,
        passfile: url.passfile,
        connect_timeout: url.connect_timeout,
        application_name: url.application_name.unwrap_or_else(|| "kith".to_string()),
    })
}

fn non_empty(s: String) -> Option<String> {
    Some(s).filter(|s| !s.is_empty())
}

fn parse_port(s: &str) -> Result<u16, String> {
    s.parse()
        .ok()
        .filter(|&p| p != 0)
        .ok_or_else(|| format!("bad port {s:?}"))
}

fn parse_sslmode(s: &str) -> Result<SslMode, String> {
    Ok(match s {
        "disable" => SslMode::Disable,
        "prefer" => SslMode::Prefer,
        "require" => SslMode::Require,
        "verify-ca" => SslMode::VerifyCa,
        "verify-full" => SslMode::VerifyFull,
        _ => {
            return Err(format!(
                "sslmode {s:?} is not one of disable, prefer, require, verify-ca, verify-full"
            ))
        }
    })
}

fn decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            out.push(hex.ok_or("a '%' not followed by two hex digits")?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "percent-encoding that is not UTF-8".to_string())
}

fn run_password_command(cmd: &str) -> Result<String, String> {
    // stdin and stderr stay the terminal's, so that a command may prompt (pass, gpg, a keyring).
    let out = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdout(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run the password command `{cmd}`: {e}"))?;
    let status = match out.status.code() {
        Some(code) => format!("exit status {code}"),
        None => "killed by a signal".to_string(),
    };
    if !out.status.success() {
        return Err(format!("the password command `{cmd}` failed ({status})"));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    match text.lines().next() {
        Some(line) if !line.is_empty() => Ok(line.to_string()),
        _ => Err(format!(
            "the password command `{cmd}` printed no password ({status})"
        )),
    }
}

fn password_from_file(settings: &Settings, env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let (path, shown) = match settings
        .passfile
        .clone()
        .or_else(|| env("PGPASSFILE").map(PathBuf::from))
    {
        Some(p) => {
            let shown = p.display().to_string();
            (p, shown)
        }
        None => (
            Path::new(&env("HOME")?).join(".pgpass"),
            "~/.pgpass".to_string(),
        ),
    };
    let meta = std::fs::metadata(&path).ok().filter(|m| m.is_file())?;
    // libpq ignores a password file that others could read; a password there is as good as leaked.
    if let Some(mode) = open_to_others(&meta) {
        static WARNED: AtomicBool = AtomicBool::new(false);
        if !WARNED.swap(true, Ordering::Relaxed) {
            eprintln!(
                "kith: ignoring {shown}: it is readable by others (mode {mode:04o}; chmod 600 it)"
            );
        }
        return None;
    }
    let contents = std::fs::read_to_string(&path).ok()?;
    let t = &settings.target;
    let port = t.port.to_string();
    // libpq matches a socket connection as `localhost`; the directory itself is accepted too.
    let hosts: Vec<&str> = if t.is_socket() {
        vec!["localhost", &t.host]
    } else {
        vec![&t.host]
    };
    pgpass_lookup(&contents, &hosts, &port, &t.dbname, &t.user)
}

/// The file's mode when its group or others have any access to it, as libpq checks a password
/// file: a password in such a file is as good as leaked.
pub fn open_to_others(meta: &std::fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o7777;
    (mode & 0o077 != 0).then_some(mode)
}

/// The password of the first line of a libpq password file that matches.
fn pgpass_lookup(
    contents: &str,
    hosts: &[&str],
    port: &str,
    db: &str,
    user: &str,
) -> Option<String> {
    contents.lines().find_map(|line| {
        let line = line.trim_end_matches('\r');
        if line.starts_with('#') {
            return None;
        }
        let fields = pgpass_fields(line);
        if fields.len() < 5 {
            return None;
        }
        let matches = |i: usize, wanted: &[&str]| {
            let (value, is_wildcard) = &fields[i];
            *is_wildcard || wanted.contains(&value.as_str())
        };
        (matches(0, hosts) && matches(1, &[port]) && matches(2, &[db]) && matches(3, &[user]))
            .then(|| fields[4].0.clone())
    })
}

/// Splits at unescaped ':' and undoes `\` escapes; a field is a wildcard only if it is a bare `*`.
fn pgpass_fields(line: &str) -> Vec<(String, bool)> {
    let mut fields = Vec::new();
    let (mut field, mut escaped_any) = (String::new(), false);
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                escaped_any = true;
                field.push(chars.next().unwrap_or('\\'));
            }
            ':' => {
                let wildcard = field == "*" && !escaped_any;
                fields.push((std::mem::take(&mut field), wildcard));
                escaped_any = false;
            }
            c => field.push(c),
        }
    }
    let wildcard = field == "*" && !escaped_any;
    fields.push((field, wildcard));
    fields
}

fn tls_config(mode: SslMode, rootcert: Option<&Path>) -> Result<ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot set up TLS: {e}"))?;
    let verifier: Arc<dyn ServerCertVerifier> = match mode {
        SslMode::Disable | SslMode::Prefer | SslMode::Require => Arc::new(NoVerification(provider)),
        SslMode::VerifyCa | SslMode::VerifyFull => {
            let roots = root_store(rootcert)?;
            let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| format!("cannot set up TLS: {e}"))?;
            if mode == SslMode::VerifyCa {
                Arc::new(ChainOnly(webpki))
            } else {
                webpki
            }
        }
    };
    Ok(builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

fn root_store(rootcert: Option<&Path>) -> Result<RootCertStore, String> {
    let Some(path) = rootcert else {
        return Ok(RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        });
    };
    let unreadable =
        |e: &dyn fmt::Display| format!("cannot read sslrootcert {}: {e}", path.display());
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(path).map_err(|e| unreadable(&e))? {
        roots
            .add(cert.map_err(|e| unreadable(&e))?)
            .map_err(|e| unreadable(&e))?;
    }
    if roots.is_empty() {
        return Err(unreadable(&"no PEM certificate in it"));
    }
    Ok(roots)
}

/// `prefer` and `require`: encrypted, but whoever answers is believed, as in libpq.
#[derive(Debug)]
struct NoVerification(Arc<CryptoProvider>);

impl ServerCertVerifier for NoVerification {
    fn verify_server_cert(
        &self,
        _: &CertificateDer,
        _: &[CertificateDer],
        _: &ServerName,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain must lead to a trusted root, whatever name the certificate gives.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer,
        intermediates: &[CertificateDer],
        server_name: &ServerName,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // webpki checks the chain before the name, so a name error means the chain was good.
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// One line saying why a connection failed, in the server's words where it gave some.
fn describe(e: &postgres::Error, target: &Target) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_string();
    }
    let mut source = e.source();
    while let Some(s) = source {
        let tls = s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
            .or_else(|| s.downcast_ref::<rustls::Error>());
        match tls {
            Some(
                err @ rustls::Error::InvalidCertificate(
                    CertificateError::NotValidForName
                    | CertificateError::NotValidForNameContext { .. },
                ),
            ) => {
                return format!(
                    "the server's certificate is not valid for {} ({err})",
                    target.host
                )
            }
            Some(err @ rustls::Error::InvalidCertificate(_)) => {
                return format!("the server's certificate is not trusted ({err})")
            }
            Some(err) => return format!("TLS failed ({err})"),
            None => source = s.source(),
        }
    }
    // tokio-postgres's own message names only the kind of failure; its causes say what it was.
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    if text.contains("password missing") {
        return "the server asks for password authentication, and no password was found (in the \
                URL, PGPASSWORD, the password command or the password file)"
            .to_string();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    fn settings(
        url: &str,
        vars: &'static [(&'static str, &'static str)],
        socket: bool,
    ) -> Settings {
        resolve(parse_url(url).unwrap(), &env_of(vars), socket).unwrap()
    }

    fn target(user: &str, host: &str, port: u16, dbname: &str) -> Target {
        Target {
            user: user.into(),
            host: host.into(),
            port,
            dbname: dbname.into(),
        }
    }

    #[test]
    fn full_url() {
        let u = parse_url(concat!(
            "postgresql://kith:s%40cr%3At@db.example.com:6543/crm?sslmode=verify-full",
            "&sslrootcert=/etc/ca.pem&connect_timeout=3&application_name=x"
        ))
        .unwrap();
        assert_eq!(u.user.as_deref(), Some("kith"));
        assert_eq!(u.password.as_deref(), Some("s@cr:t"));
        assert_eq!(u.host.as_deref(), Some("db.example.com"));
        assert_eq!(u.port, Some(6543));
        assert_eq!(u.dbname.as_deref(), Some("crm"));
        assert_eq!(u.sslmode, Some(SslMode::VerifyFull));
        assert_eq!(u.sslrootcert, Some(PathBuf::from("/etc/ca.pem")));
        assert_eq!(u.connect_timeout, Some(Duration::from_secs(3)));
        assert_eq!(u.application_name.as_deref(), Some("x"));
    }

    #[test]
    fn socket_directories() {
        let s = settings("postgres://kith@%2Ftmp%2Fpg%20sock/crm", &[], false);
        assert_eq!(s.target, target("kith", "/tmp/pg sock", 5432, "crm"));
        let s = settings(
            "postgres:///crm?host=/run/pg&port=5433&user=ann",
            &[],
            false,
        );
        assert_eq!(s.target, target("ann", "/run/pg", 5433, "crm"));
    }

    #[test]
    fn defaults_come_from_the_environment() {
        let s = settings("postgres://", &[("USER", "me")], true);
        assert_eq!(s.target, target("me", DEFAULT_SOCKET_DIR, 5432, "me"));
        assert_eq!(s.sslmode, SslMode::Prefer);
        assert_eq!(s.application_name, "kith");
        let s = settings("postgres://", &[("USER", "me")], false);
        assert_eq!(s.target.host, "localhost");
        let vars = &[
            ("USER", "me"),
            ("PGUSER", "pg"),
            ("PGHOST", "h"),
            ("PGPORT", "7"),
        ];
        assert_eq!(
            settings("postgresql://", vars, true).target,
            target("pg", "h", 7, "pg")
        );
        // The URL beats the environment.
        assert_eq!(
            settings("postgres://u@x:8/d", vars, true).target,
            target("u", "x", 8, "d")
        );
    }

    #[test]
    fn passwords_may_hold_unencoded_at_and_slash() {
        let u = parse_url("postgres://kith:a/b@c=@db:5/crm").unwrap();
        assert_eq!(u.password.as_deref(), Some("a/b@c="));
        assert_eq!(
            (u.host.as_deref(), u.port, u.dbname.as_deref()),
            (Some("db"), Some(5), Some("crm"))
        );
    }

    #[test]
    fn ipv6_and_empty_parts() {
        let u = parse_url("postgres://[::1]:5433").unwrap();
        assert_eq!((u.host.as_deref(), u.port), (Some("::1"), Some(5433)));
        let u = parse_url("postgres://:@/").unwrap();
        assert_eq!(
            u,
            Url {
                password: Some(String::new()),
                ..Url::default()
            }
        );
    }

    #[test]
    fn require_with_a_root_certificate_checks_the_chain() {
        let s = settings(
            "postgres://u@h/d?sslmode=require&sslrootcert=/ca.pem",
            &[],
            false,
        );
        assert_eq!(s.sslmode, SslMode::VerifyCa);
        assert_eq!(
            settings("postgres://u@h/d?sslmode=require", &[], false).sslmode,
            SslMode::Require
        );
    }

    #[test]
    fn bad_urls_say_what_is_wrong() {
        let err = |url| parse_url(url).unwrap_err();
        assert!(err("host=localhost dbname=crm").contains("postgres://user[:password]@host"));
        assert!(err("mysql://kith@localhost/crm").contains("not a URL"));
        assert!(err("postgres://kith@localhost/crm?colour=red")
            .contains("unknown parameter \"colour\""));
        assert!(err("postgres://kith@localhost:http/crm").contains("bad port"));
        assert!(err("postgres://kith@localhost/crm?sslmode=allow").contains("sslmode"));
        assert!(err("postgres://kith@localhost/c%zzrm").contains('%'));
        assert!(err("postgres://kith@localhost/crm?sslmode").contains("no value"));
    }

    #[test]
    fn redaction_hides_passwords_only() {
        assert_eq!(
            redacted("postgres://kith:p@ss@h:5/crm"),
            "postgres://kith:***@h:5/crm"
        );
        assert_eq!(
            redacted("postgres://kith@h/crm?password=x&sslmode=require"),
            "postgres://kith@h/crm?password=***&sslmode=require"
        );
        assert_eq!(redacted("postgres://kith@h/crm"), "postgres://kith@h/crm");
        assert_eq!(redacted("postgres://h"), "postgres://h");
        assert_eq!(redacted("postgres://k:a/b@h/crm"), "postgres://k:***@h/crm");
        assert_eq!(
            redacted("host=h password=x user=k"),
            "host=h password=*** user=k"
        );
    }

    #[test]
    fn passwords_are_found_where_redaction_hides_them() {
        assert!(holds_password("postgres://kith:pw@h/crm"));
        assert!(holds_password("postgres://kith:p@ss/w@h:5/crm"));
        assert!(holds_password(
            "postgres://kith@h/crm?sslmode=require&password=pw"
        ));
        assert!(holds_password("host=h password=pw user=k"));
        assert!(!holds_password("postgres://kith@h/crm"));
        assert!(
            !holds_password("postgres://kith:@h/crm"),
            "an empty one is none"
        );
        assert!(!holds_password("postgres://h/crm?passfile=/p"));
        assert!(!holds_password("host=h user=k"));
    }

    const PGPASS: &str = "\
# a comment:*:*:*:nope
db.example.com:5432:crm:kith:first
db.example.com:5432:crm:kith:second
*:5432:*:ann:any\\:host
weird\\:host:5432:crm:kith:back\\\\slash
\\*:5432:crm:bob:literal-star
localhost:5433:*:kith:socket
short:line
";

    fn lookup(host: &str, port: &str, db: &str, user: &str) -> Option<String> {
        pgpass_lookup(PGPASS, &[host], port, db, user)
    }

    #[test]
    fn pgpass_first_match_wins() {
        assert_eq!(
            lookup("db.example.com", "5432", "crm", "kith").as_deref(),
            Some("first")
        );
        assert_eq!(lookup("db.example.com", "5433", "crm", "kith"), None);
        assert_eq!(lookup("db.example.com", "5432", "other", "kith"), None);
    }

    #[test]
    fn pgpass_wildcards_and_escapes() {
        assert_eq!(
            lookup("anywhere", "5432", "anydb", "ann").as_deref(),
            Some("any:host")
        );
        assert_eq!(
            lookup("weird:host", "5432", "crm", "kith").as_deref(),
            Some("back\\slash")
        );
        // An escaped star is a literal star, not a wildcard.
        assert_eq!(lookup("db.example.com", "5432", "crm", "bob"), None);
        assert_eq!(
            lookup("*", "5432", "crm", "bob").as_deref(),
            Some("literal-star")
        );
    }

    #[test]
    fn pgpass_comments_are_skipped() {
        assert_eq!(lookup("# a comment", "*", "*", "*"), None);
        assert_eq!(lookup("short", "line", "", ""), None);
    }

    #[test]
    fn pgpass_socket_matches_localhost_or_the_directory() {
        let in_file = |dir: &str| {
            pgpass_lookup(
                &format!("{dir}:5433:*:kith:pw\n"),
                &["localhost", "/tmp/s"],
                "5433",
                "crm",
                "kith",
            )
        };
        assert_eq!(in_file("localhost").as_deref(), Some("pw"));
        assert_eq!(in_file("/tmp/s").as_deref(), Some("pw"));
        assert_eq!(in_file("/tmp/other"), None);
    }
}
