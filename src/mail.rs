//! Sending an email: a [`Draft`] and the `[mail]` section of the config, over SMTP or through a
//! local sendmail program.
//!
//! kith builds the message itself (From, To, Subject, Date, Message-ID, a UTF-8 `text/plain`
//! body; lettre encodes non-ASCII subjects and bodies), so the Message-ID it returns is the one
//! the recipient sees, and a note of the email can be kept against it.
//!
//! Nothing here keeps state: a failed send leaves the draft with the caller, and every error is
//! one line that says why (bad address, not configured, no password, connection refused, timed
//! out, authentication failed, the server refused the recipient, ...).
//!
//! The password is never in the config file: `mail.password_env` names an environment variable
//! that holds it, and `mail.password_command` is a command that prints it (`pass show mail`).

use lettre::address::{Address, Envelope};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use serde::Deserialize;
use std::hash::{BuildHasher, Hasher};
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The `[mail]` section of the config file. See `config/default.toml` for each key.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    /// The sender, as `Ada Lovelace <ada@example.com>` or `ada@example.com`; empty means mail is
    /// not configured.
    pub from: String,
    /// `smtp` or `sendmail`.
    #[serde(deserialize_with = "method")]
    pub method: String,
    /// The SMTP server (submission server) to send through.
    pub smtp_host: String,
    /// Its port: 587 for STARTTLS, 465 for implicit TLS.
    pub smtp_port: u16,
    /// `starttls` (upgrade a plain connection, which must succeed), `tls` (TLS from the first
    /// byte, port 465) or `none` (plain text: only for a server on this machine).
    #[serde(deserialize_with = "tls")]
    pub tls: String,
    /// The SMTP user name; empty means no authentication.
    pub user: String,
    /// The name of an environment variable holding the password.
    pub password_env: String,
    /// A shell command (run with `sh -c`) whose first line of output is the password.
    pub password_command: String,
    /// The sendmail program and its own arguments, split at spaces (no shell quoting). kith adds
    /// `-i -f <from address> -- <recipient>` and writes the message to its standard input.
    pub sendmail_command: String,
    /// How long to wait for the SMTP server to connect, then for each answer, in seconds; 0 waits
    /// forever. The sendmail program is waited for without a limit.
    #[serde(deserialize_with = "crate::config::at_most::<_, 3600>")]
    pub timeout_secs: u64,
}

fn method<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    crate::config::one_of(d, &["smtp", "sendmail"])
}

fn tls<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    crate::config::one_of(d, &["starttls", "tls", "none"])
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            from: String::new(),
            method: "smtp".into(),
            smtp_host: String::new(),
            smtp_port: 587,
            tls: "starttls".into(),
            user: String::new(),
            password_env: "KITH_SMTP_PASSWORD".into(),
            password_command: String::new(),
            sendmail_command: "sendmail".into(),
            timeout_secs: 30,
        }
    }
}

/// An email as written in the compose form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The recipient's address (`bob@example.org`; `Bob <bob@example.org>` is accepted too).
    pub to: String,
    /// The recipient's name, shown in the To header.
    pub to_name: Option<String>,
    pub subject: String,
    pub body: String,
}

/// Why an email was not sent. Each message is one line; the draft stays with the caller.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The `[mail]` section cannot send anything as it is.
    #[error("mail is not configured: {0}")]
    NotConfigured(String),
    /// An address that does not parse; `field` is `to` (the draft) or `mail.from` (the config).
    #[error("bad address in {field}: {message}")]
    Address {
        field: &'static str,
        message: String,
    },
    /// The SMTP password could not be had.
    #[error("{0}")]
    Password(String),
    /// Connecting, authenticating or handing over the message failed.
    #[error("not sent: {0}")]
    Send(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Smtp,
    Sendmail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Security {
    StartTls,
    ImplicitTls,
    Plain,
}

impl MailConfig {
    /// Whether the config is complete enough to try sending (the `from` address parses, the
    /// method and TLS mode are known, the SMTP host or sendmail program is set). This does not
    /// look for the password nor contact any server.
    pub fn check(&self) -> Result<(), MailError> {
        self.sender()?;
        match self.method()? {
            Method::Smtp => {
                self.tls_mode()?;
            }
            Method::Sendmail => {
                self.sendmail_words()?;
            }
        }
        Ok(())
    }

    fn method(&self) -> Result<Method, MailError> {
        match self.method.trim().to_ascii_lowercase().as_str() {
            "smtp" | "" => {
                if self.smtp_host.trim().is_empty() {
                    Err(MailError::NotConfigured(
                        "mail.smtp_host is empty: set it in the [mail] section of the config file"
                            .into(),
                    ))
                } else {
                    Ok(Method::Smtp)
                }
            }
            "sendmail" => Ok(Method::Sendmail),
            other => Err(MailError::NotConfigured(format!(
                "mail.method is {other:?}: it must be \"smtp\" or \"sendmail\""
            ))),
        }
    }

    fn tls_mode(&self) -> Result<Security, MailError> {
        match self.tls.trim().to_ascii_lowercase().as_str() {
            "starttls" | "" => Ok(Security::StartTls),
            "tls" => Ok(Security::ImplicitTls),
            "none" => Ok(Security::Plain),
            other => Err(MailError::NotConfigured(format!(
                "mail.tls is {other:?}: it must be \"starttls\", \"tls\" or \"none\""
            ))),
        }
    }

    fn sender(&self) -> Result<Mailbox, MailError> {
        let from = self.from.trim();
        if from.is_empty() {
            return Err(MailError::NotConfigured(
                "mail.from is empty: set it to your address, as \"Your Name <you@example.com>\""
                    .into(),
            ));
        }
        parse_mailbox(from, "mail.from")
    }

    fn sendmail_words(&self) -> Result<Vec<&str>, MailError> {
        let words: Vec<&str> = self.sendmail_command.split_whitespace().collect();
        if words.is_empty() {
            return Err(MailError::NotConfigured(
                "mail.sendmail_command is empty: set it to a sendmail program such as \"sendmail\" or \"msmtp\""
                    .into(),
            ));
        }
        Ok(words)
    }

    fn timeout(&self) -> Option<Duration> {
        (self.timeout_secs > 0).then(|| Duration::from_secs(self.timeout_secs))
    }
}

/// Sends the draft; returns the Message-ID it was sent with (generated by kith as
/// `<unique@domain-of-from>`, angle brackets included, and set as the Message-ID header).
pub fn send(draft: &Draft, config: &MailConfig) -> Result<String, MailError> {
    let from = config.sender()?;
    let method = config.method()?;
    let tls = match method {
        Method::Smtp => Some(config.tls_mode()?),
        Method::Sendmail => {
            config.sendmail_words()?;
            None
        }
    };
    let to = recipient(draft)?;
    let message_id = new_message_id(from.email.domain());
    let message = Message::builder()
        .from(from.clone())
        .to(to.clone())
        .subject(one_line(&draft.subject))
        .date_now()
        .message_id(Some(message_id.clone()))
        .header(ContentType::TEXT_PLAIN)
        .body(draft.body.clone())
        .map_err(|e| MailError::Send(format!("could not build the message: {e}")))?;
    let envelope = Envelope::new(Some(from.email.clone()), vec![to.email.clone()])
        .map_err(|e| MailError::Send(format!("could not build the envelope: {e}")))?;
    match tls {
        Some(tls) => {
            let password = password(config)?;
            send_smtp(config, tls, password, &envelope, &message.formatted())?
        }
        None => send_sendmail(config, &from.email, &to.email, &message.formatted())?,
    }
    Ok(message_id)
}

/// Parses `Name <addr>` or `addr` into a mailbox, naming `field` in the error.
fn parse_mailbox(text: &str, field: &'static str) -> Result<Mailbox, MailError> {
    let bad = |e: &dyn std::fmt::Display| MailError::Address {
        field,
        message: format!("{text:?} is not an email address ({e})"),
    };
    if text.contains('<') {
        text.parse::<Mailbox>().map_err(|e| bad(&e))
    } else {
        text.parse::<Address>()
            .map(|a| Mailbox::new(None, a))
            .map_err(|e| bad(&e))
    }
}

fn recipient(draft: &Draft) -> Result<Mailbox, MailError> {
    let to = draft.to.trim();
    if to.is_empty() {
        return Err(MailError::Address {
            field: "to",
            message: "no recipient address".into(),
        });
    }
    let mut mailbox = parse_mailbox(to, "to")?;
    if let Some(name) = draft.to_name.as_deref().map(one_line) {
        if !name.is_empty() {
            mailbox.name = Some(name);
        }
    }
    Ok(mailbox)
}

/// A header value on one line: line breaks and other control characters become spaces.
fn one_line(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.trim().to_string()
}

/// `<time.counter.random@domain>`: unique across processes and machines in practice.
fn new_message_id(domain: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    // RandomState is seeded from the OS's randomness: a free random number without a crate.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(count);
    hasher.write_u32(std::process::id());
    hasher.write_u128(now.as_nanos());
    let random = hasher.finish();
    format!(
        "<{}.{:x}.{:016x}.kith@{}>",
        now.as_millis(),
        count,
        random,
        domain
    )
}

/// The SMTP password: `$<password_env>`, else the first line of `password_command`; none when
/// `user` is empty.
fn password(config: &MailConfig) -> Result<Option<String>, MailError> {
    if config.user.trim().is_empty() {
        return Ok(None);
    }
    let var = config.password_env.trim();
    if !var.is_empty() {
        if let Some(value) = std::env::var_os(var).filter(|v| !v.is_empty()) {
            return value.into_string().map(Some).map_err(|_| {
                MailError::Password(format!("the password in ${var} is not valid UTF-8"))
            });
        }
    }
    let command = config.password_command.trim();
    if !command.is_empty() {
        return password_from_command(command).map(Some);
    }
    Err(MailError::Password(if var.is_empty() {
        "no password: set mail.password_command".into()
    } else {
        format!("no password: set ${var} or mail.password_command")
    }))
}

fn password_from_command(command: &str) -> Result<String, MailError> {
    let output = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| {
            MailError::Password(format!("could not run mail.password_command with sh: {e}"))
        })?;
    if !output.status.success() {
        let stderr = first_line(&String::from_utf8_lossy(&output.stderr));
        return Err(MailError::Password(format!(
            "mail.password_command failed ({}){}",
            output.status,
            if stderr.is_empty() {
                String::new()
            } else {
                format!(": {stderr}")
            }
        )));
    }
    let stdout = String::from_utf8(output.stdout).map_err(|_| {
        MailError::Password("mail.password_command printed a password that is not UTF-8".into())
    })?;
    let line = stdout.lines().next().unwrap_or("").trim_end_matches('\r');
    if line.is_empty() {
        return Err(MailError::Password(
            "mail.password_command printed no password".into(),
        ));
    }
    Ok(line.to_string())
}

fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_string()
}

type SmtpError = lettre::transport::smtp::Error;

/// The kind of the system error under a lettre error, if there is one.
fn io_kind(e: &SmtpError) -> Option<std::io::ErrorKind> {
    use std::error::Error as _;
    let mut source = e.source();
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = err.source();
    }
    None
}

/// Whether the error is a connect, read or write timeout (a read timeout is `WouldBlock` on Unix).
fn timed_out(e: &SmtpError) -> bool {
    matches!(
        io_kind(e),
        Some(std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock)
    )
}

/// What went wrong, in a few words: the server's reply, a timeout, or the system's error.
fn describe(e: &SmtpError, timeout: Option<Duration>) -> String {
    use std::error::Error as _;
    if let Some(code) = e.status() {
        let text = e.source().map(|s| s.to_string()).unwrap_or_default();
        return one_line(&format!("{code} {text}"));
    }
    let mut source = e.source();
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            return match io.kind() {
                TimedOut | WouldBlock => match timeout {
                    Some(t) => format!("timed out after {} s", t.as_secs()),
                    None => "timed out".into(),
                },
                ConnectionRefused => "connection refused".into(),
                UnexpectedEof | ConnectionReset | BrokenPipe | ConnectionAborted => {
                    format!("the server closed the connection ({io})")
                }
                _ => io.to_string(),
            };
        }
        source = err.source();
    }
    if e.is_tls() {
        return one_line(&format!(
            "TLS failed: {}",
            e.source().map(|s| s.to_string()).unwrap_or_default()
        ));
    }
    if e.is_response() && e.to_string().contains("incomplete response") {
        return "the server closed the connection".into();
    }
    one_line(&e.to_string())
}

fn send_smtp(
    config: &MailConfig,
    tls: Security,
    password: Option<String>,
    envelope: &Envelope,
    message: &[u8],
) -> Result<(), MailError> {
    let host = config.smtp_host.trim();
    let port = config.smtp_port;
    let server = format!("{host}:{port}");
    let timeout = config.timeout();
    let fail =
        |what: &str, e: &SmtpError| MailError::Send(format!("{what}: {}", describe(e, timeout)));

    let tls_parameters = match tls {
        Security::Plain => None,
        Security::StartTls | Security::ImplicitTls => Some(
            TlsParameters::new(host.to_string())
                .map_err(|e| fail(&format!("TLS setup for {host}"), &e))?,
        ),
    };
    let hello = ClientId::default();
    let implicit = if tls == Security::ImplicitTls {
        tls_parameters.as_ref()
    } else {
        None
    };
    let mut conn =
        SmtpConnection::connect((host, port), timeout, &hello, implicit, None).map_err(|e| {
            if e.status().is_some() {
                fail(&format!("{server} refused the connection"), &e)
            } else if timed_out(&e) && port == 465 && implicit.is_none() {
                fail(
                    &format!("no answer from {server} (port 465 usually needs mail.tls = \"tls\")"),
                    &e,
                )
            } else if timed_out(&e) {
                fail(&format!("no answer from {server}"), &e)
            } else if implicit.is_some()
                && (e.is_tls() || io_kind(&e) == Some(std::io::ErrorKind::InvalidData))
            {
                MailError::Send(format!(
                    "TLS with {server} failed: {} (mail.tls = \"tls\" needs a server that speaks TLS from the start, usually on port 465)",
                    describe(&e, timeout)
                ))
            } else {
                fail(&format!("could not connect to {server}"), &e)
            }
        })?;

    let result = smtp_session(
        &mut conn,
        config,
        tls,
        tls_parameters.as_ref(),
        &hello,
        password,
        envelope,
        message,
    );
    match &result {
        Ok(()) => {
            let _ = conn.quit();
        }
        Err(_) => conn.abort(),
    }
    result.map_err(MailError::Send)
}

/// After the greeting: STARTTLS, AUTH, MAIL, RCPT, DATA. The error says which step failed.
#[allow(clippy::too_many_arguments)]
fn smtp_session(
    conn: &mut SmtpConnection,
    config: &MailConfig,
    tls: Security,
    tls_parameters: Option<&TlsParameters>,
    hello: &ClientId,
    password: Option<String>,
    envelope: &Envelope,
    message: &[u8],
) -> Result<(), String> {
    let host = config.smtp_host.trim();
    let server = format!("{host}:{}", config.smtp_port);
    let timeout = config.timeout();
    let step = |what: &str| {
        let what = what.to_string();
        move |e: SmtpError| format!("{what}: {}", describe(&e, timeout))
    };

    if tls == Security::StartTls {
        if !conn.can_starttls() {
            return Err(format!(
                "{server} does not offer STARTTLS; set mail.tls = \"tls\" for port 465, or \"none\" only for a server on this machine"
            ));
        }
        if let Some(parameters) = tls_parameters {
            conn.starttls(parameters, hello)
                .map_err(step(&format!("STARTTLS with {server} failed")))?;
        }
    }

    if let Some(password) = password {
        let user = config.user.trim().to_string();
        let mechanisms = [Mechanism::Plain, Mechanism::Login];
        if conn.server_info().get_auth_mechanism(&mechanisms).is_none() {
            return Err(format!(
                "{server} offers no password login kith can use (AUTH PLAIN or LOGIN){}",
                if conn.is_encrypted() {
                    ""
                } else {
                    " over a connection without TLS"
                }
            ));
        }
        conn.auth(&mechanisms, &Credentials::new(user.clone(), password))
            .map_err(step(&format!("authentication as {user} failed")))?;
    }

    let mut parameters = Vec::new();
    let non_ascii_address = envelope
        .from()
        .into_iter()
        .chain(envelope.to())
        .any(|a| !a.to_string().is_ascii());
    if non_ascii_address {
        if !conn.server_info().supports_feature(Extension::SmtpUtfEight) {
            return Err(format!(
                "{server} does not accept addresses with non-ASCII characters (no SMTPUTF8)"
            ));
        }
        parameters.push(MailParameter::SmtpUtfEight);
    }
    if !message.is_ascii() && conn.server_info().supports_feature(Extension::EightBitMime) {
        parameters.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    let sender = envelope.from().cloned();
    let who = sender
        .as_ref()
        .map(|s| format!(" <{s}>"))
        .unwrap_or_default();
    conn.command(Mail::new(sender, parameters))
        .map_err(step(&format!("the server refused the sender{who}")))?;
    for to in envelope.to() {
        conn.command(Rcpt::new(to.clone(), vec![]))
            .map_err(step(&format!("the server refused the recipient <{to}>")))?;
    }
    conn.command(Data)
        .map_err(step("the server refused the message"))?;
    conn.message(message)
        .map_err(step("the server refused the message"))?;
    Ok(())
}

fn send_sendmail(
    config: &MailConfig,
    from: &Address,
    to: &Address,
    message: &[u8],
) -> Result<(), MailError> {
    let words = config.sendmail_words()?;
    let program = words[0];
    // Local submission speaks the system's line ending.
    let text = String::from_utf8_lossy(message).replace("\r\n", "\n");
    let mut child = Command::new(program)
        .args(&words[1..])
        .arg("-i")
        .arg("-f")
        .arg(from)
        .arg("--")
        .arg(to)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| MailError::Send(format!("could not run {program}: {e}")))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let mut stderr = child.stderr.take().expect("piped stderr");
    // Write and read at once, so that a program that talks before it reads cannot block us.
    let (written, errors) = std::thread::scope(|s| {
        let writer = s.spawn(move || {
            let result = stdin.write_all(text.as_bytes());
            drop(stdin);
            result
        });
        let mut errors = Vec::new();
        let _ = stderr.read_to_end(&mut errors);
        (writer.join().expect("writer thread"), errors)
    });
    let status = child
        .wait()
        .map_err(|e| MailError::Send(format!("{program} did not finish: {e}")))?;
    if !status.success() {
        let said = first_line(&String::from_utf8_lossy(&errors));
        return Err(MailError::Send(format!(
            "{program} failed ({status}){}",
            if said.is_empty() {
                String::new()
            } else {
                format!(": {said}")
            }
        )));
    }
    written.map_err(|e| MailError::Send(format!("could not give the message to {program}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_unique_and_bracketed() {
        let a = new_message_id("example.com");
        let b = new_message_id("example.com");
        assert_ne!(a, b);
        assert!(a.starts_with('<') && a.ends_with("@example.com>"), "{a}");
    }

    #[test]
    fn header_values_stay_on_one_line() {
        assert_eq!(one_line(" Hi\r\nBcc: x@y.z "), "Hi  Bcc: x@y.z");
    }
}
