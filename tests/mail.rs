//! Sending email against a real (minimal) SMTP server on 127.0.0.1, and through a sendmail
//! program written into a temporary folder. Nothing here leaves this machine.

#[path = "common/closed_port.rs"]
mod closed_port;

use kith::config::Config;
use kith::mail::{send, Draft, MailConfig, MailError};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::thread::JoinHandle;
use std::time::Duration;

// ---------------------------------------------------------------------------------------------
// A minimal SMTP server: one connection, everything it hears recorded.

#[derive(Clone, Default)]
struct Behaviour {
    /// Advertise AUTH PLAIN LOGIN and accept only these credentials.
    auth: Option<(String, String)>,
    /// Answer RCPT TO with 550.
    refuse_rcpt: bool,
    /// Advertise only AUTH LOGIN (with `auth`).
    login_only: bool,
    /// Accept the connection and never say a word.
    silent: bool,
}

#[derive(Debug, Default)]
struct Session {
    commands: Vec<String>,
    /// Credentials as the client sent them (user, password), whatever the verdict.
    auth: Option<(String, String)>,
    authenticated: bool,
    mail_from: Option<String>,
    rcpt_to: Vec<String>,
    /// The message as received, dot-stuffing undone, CRLF line ends kept.
    data: Option<String>,
    quit: bool,
    /// The client closed the connection (for a silent server: it gave up before the server's
    /// own 20 s).
    hung_up: bool,
}

struct Server {
    port: u16,
    handle: JoinHandle<Session>,
}

impl Server {
    fn start(behaviour: Behaviour) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let handle = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            // Never hang a test run: a client that goes quiet ends the session.
            stream
                .set_read_timeout(Some(Duration::from_secs(20)))
                .unwrap();
            let mut session = Session::default();
            if behaviour.silent {
                // Says nothing until the client gives up and hangs up (or 20 s pass).
                session.hung_up = std::io::Read::read_to_end(&mut &stream, &mut Vec::new()).is_ok();
                return session;
            }
            let _ = serve(stream, &behaviour, &mut session);
            session
        });
        Server { port, handle }
    }

    fn session(self) -> Session {
        self.handle.join().unwrap()
    }

    fn config(&self) -> MailConfig {
        MailConfig {
            from: "Ada Lovelace <ada@example.com>".into(),
            smtp_host: "127.0.0.1".into(),
            smtp_port: self.port,
            tls: "none".into(),
            timeout_secs: 10,
            ..MailConfig::default()
        }
    }
}

fn serve(stream: TcpStream, b: &Behaviour, s: &mut Session) -> std::io::Result<()> {
    let mut out = stream.try_clone()?;
    let mut input = BufReader::new(stream);
    let mut reply = |text: &str| out.write_all(format!("{text}\r\n").as_bytes());
    let read_line = |input: &mut BufReader<TcpStream>| -> std::io::Result<Option<String>> {
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        Ok(Some(line.trim_end_matches(['\r', '\n']).to_string()))
    };
    reply("220 localhost ESMTP kith-test")?;
    while let Some(line) = read_line(&mut input)? {
        s.commands.push(line.clone());
        let upper = line.to_ascii_uppercase();
        let verb = upper.split_whitespace().next().unwrap_or("").to_string();
        match verb.as_str() {
            "EHLO" => {
                reply("250-localhost greets you")?;
                if b.auth.is_some() {
                    reply(if b.login_only {
                        "250-AUTH LOGIN"
                    } else {
                        "250-AUTH PLAIN LOGIN"
                    })?;
                }
                reply("250-8BITMIME")?;
                reply("250 HELP")?;
            }
            "HELO" => reply("250 localhost")?,
            "AUTH" => {
                let words: Vec<&str> = line.split_whitespace().collect();
                let mechanism = words.get(1).map(|m| m.to_ascii_uppercase());
                let credentials = match mechanism.as_deref() {
                    Some("PLAIN") => {
                        let initial = match words.get(2) {
                            Some(i) => i.to_string(),
                            None => {
                                reply("334 ")?;
                                read_line(&mut input)?.unwrap_or_default()
                            }
                        };
                        let decoded = String::from_utf8(base64(&initial)).unwrap();
                        let parts: Vec<&str> = decoded.split('\0').collect();
                        (parts[1].to_string(), parts[2].to_string())
                    }
                    Some("LOGIN") => {
                        reply("334 VXNlcm5hbWU6")?; // "Username:"
                        let user = read_line(&mut input)?.unwrap_or_default();
                        reply("334 UGFzc3dvcmQ6")?; // "Password:"
                        let pass = read_line(&mut input)?.unwrap_or_default();
                        (
                            String::from_utf8(base64(&user)).unwrap(),
                            String::from_utf8(base64(&pass)).unwrap(),
                        )
                    }
                    _ => {
                        reply("504 5.5.4 Unrecognized authentication type")?;
                        continue;
                    }
                };
                let ok = b.auth.as_ref() == Some(&credentials);
                s.auth = Some(credentials);
                if ok {
                    s.authenticated = true;
                    reply("235 2.7.0 Authentication successful")?;
                } else {
                    reply("535 5.7.8 Authentication credentials invalid")?;
                }
            }
            "MAIL" => {
                if b.auth.is_some() && !s.authenticated {
                    reply("530 5.7.0 Authentication required")?;
                    continue;
                }
                s.mail_from = Some(angle(&line));
                reply("250 2.1.0 Ok")?;
            }
            "RCPT" => {
                let to = angle(&line);
                if b.refuse_rcpt {
                    reply(&format!(
                        "550 5.1.1 <{to}>: Recipient address rejected: User unknown"
                    ))?;
                } else {
                    s.rcpt_to.push(to);
                    reply("250 2.1.5 Ok")?;
                }
            }
            "DATA" => {
                reply("354 End data with <CR><LF>.<CR><LF>")?;
                let mut data = String::new();
                loop {
                    let mut raw = String::new();
                    if input.read_line(&mut raw)? == 0 {
                        return Ok(());
                    }
                    if raw == ".\r\n" {
                        break;
                    }
                    // Undo dot-stuffing.
                    let raw = raw.strip_prefix('.').unwrap_or(&raw);
                    data.push_str(raw);
                }
                s.data = Some(data);
                reply("250 2.0.0 Ok: queued as 12345")?;
            }
            "RSET" | "NOOP" => reply("250 2.0.0 Ok")?,
            "QUIT" => {
                s.quit = true;
                reply("221 2.0.0 Bye")?;
                return Ok(());
            }
            _ => reply("502 5.5.2 Error: command not recognized")?,
        }
    }
    Ok(())
}

/// The address between `<` and `>` in `MAIL FROM:<a@b> ...`.
fn angle(line: &str) -> String {
    let start = line.find('<').map(|i| i + 1).unwrap_or(0);
    let end = line[start..]
        .find('>')
        .map(|i| start + i)
        .unwrap_or(line.len());
    line[start..end].to_string()
}

// ---------------------------------------------------------------------------------------------
// Just enough MIME to read what lettre wrote.

fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes() {
        let Some(v) = value(c) else { continue };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

fn hex(pair: &[u8]) -> Option<u8> {
    u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()
}

fn quoted_printable(text: &str, underscore_is_space: bool) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'=' if bytes[i + 1..].starts_with(b"\r\n") => i += 3,
            b'=' if bytes[i + 1..].starts_with(b"\n") => i += 2,
            b'=' if i + 2 < bytes.len() + 1
                && hex(&bytes[i + 1..(i + 3).min(bytes.len())]).is_some() =>
            {
                out.push(hex(&bytes[i + 1..i + 3]).unwrap());
                i += 3;
            }
            b'_' if underscore_is_space => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Decodes RFC 2047 encoded words (`=?utf-8?b?...?=`, `=?utf-8?q?...?=`) in a header value.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    let mut after_word = false;
    while let Some(start) = rest.find("=?") {
        let between = &rest[..start];
        if !(after_word && between.trim().is_empty()) {
            out.push_str(between);
        }
        let word = &rest[start + 2..];
        let mut parts = word.splitn(3, '?');
        let (_charset, encoding, tail) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        let end = tail.find("?=").unwrap();
        let text = &tail[..end];
        let bytes = match encoding {
            "b" | "B" => base64(text),
            _ => quoted_printable(text, true),
        };
        out.push_str(&String::from_utf8(bytes).unwrap());
        rest = &tail[end + 2..];
        after_word = true;
    }
    out.push_str(rest);
    out
}

struct Parsed {
    headers: Vec<(String, String)>,
    body: String,
}

impl Parsed {
    fn new(message: &str) -> Parsed {
        let (head, raw_body) = message.split_once("\r\n\r\n").expect("headers end");
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in head.split("\r\n") {
            if line.starts_with([' ', '\t']) {
                headers.last_mut().unwrap().1.push_str(line);
            } else {
                let (name, value) = line.split_once(':').expect("a header line");
                headers.push((name.to_string(), value.trim().to_string()));
            }
        }
        let mut parsed = Parsed {
            headers,
            body: String::new(),
        };
        let encoding = parsed
            .header("Content-Transfer-Encoding")
            .unwrap_or_else(|| "7bit".into())
            .to_ascii_lowercase();
        let body = match encoding.as_str() {
            "base64" => base64(raw_body),
            "quoted-printable" => quoted_printable(raw_body, false),
            _ => raw_body.as_bytes().to_vec(),
        };
        parsed.body = String::from_utf8(body).unwrap().replace("\r\n", "\n");
        parsed
    }

    /// A header's raw (unfolded) value.
    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }

    fn decoded(&self, name: &str) -> String {
        decode_words(
            &self
                .header(name)
                .unwrap_or_else(|| panic!("no {name} header")),
        )
    }
}

fn draft() -> Draft {
    Draft {
        to: "bob@example.org".into(),
        to_name: Some("Bob Dobbs".into()),
        subject: "Grüße aus Köln".into(),
        body: "Hallo Bob,\n\nschöne Grüße — und ein Euro: €.\n.a line with a leading dot\n\nAda\n"
            .into(),
    }
}

fn unique_var(name: &str) -> String {
    format!("KITH_TEST_MAIL_{}_{}", name, std::process::id())
}

/// Runs test `name` again in a process of its own with `var=value` in its environment, and
/// asserts it passed there. A test that set the variable in this process would race with the
/// tests beside it that start programs (the environment is shared, and not thread-safe).
/// Returns false in that child, where `var` is set: the caller then runs its body.
fn rerun_with(var: &str, value: &str, name: &str) -> bool {
    if std::env::var_os(var).is_some() {
        return false;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(var, value)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && said.contains("1 passed"),
        "{name} in its own process:\n{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

// ---------------------------------------------------------------------------------------------
// SMTP

#[test]
fn a_sent_email_is_received_with_its_headers_and_body() {
    let server = Server::start(Behaviour::default());
    let config = server.config();
    let id = send(&draft(), &config).expect("sent");
    let session = server.session();

    assert_eq!(session.mail_from.as_deref(), Some("ada@example.com"));
    assert_eq!(session.rcpt_to, vec!["bob@example.org".to_string()]);
    assert!(session.quit, "the client says QUIT: {:?}", session.commands);
    assert!(
        !session.commands.iter().any(|c| c.starts_with("AUTH")),
        "no user, no AUTH: {:?}",
        session.commands
    );

    let message = Parsed::new(session.data.as_deref().expect("DATA received"));
    assert_eq!(
        message.decoded("From"),
        "\"Ada Lovelace\" <ada@example.com>"
    );
    assert_eq!(message.decoded("To"), "\"Bob Dobbs\" <bob@example.org>");
    assert_eq!(message.decoded("Subject"), "Grüße aus Köln");
    assert!(message.header("Date").is_some());
    let content_type = message.header("Content-Type").unwrap().to_ascii_lowercase();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    assert!(content_type.contains("charset=utf-8"), "{content_type}");
    assert_eq!(message.header("Message-ID").as_deref(), Some(id.as_str()));
    assert!(id.starts_with('<') && id.ends_with("@example.com>"), "{id}");
    assert_eq!(message.body.trim_end(), draft().body.trim_end());
}

#[test]
fn each_email_gets_its_own_message_id() {
    let mut ids = Vec::new();
    for _ in 0..2 {
        let server = Server::start(Behaviour::default());
        ids.push(send(&draft(), &server.config()).unwrap());
        server.session();
    }
    assert_ne!(ids[0], ids[1]);
}

#[test]
fn names_and_subjects_cannot_add_headers_and_non_ascii_names_survive() {
    let server = Server::start(Behaviour::default());
    let d = Draft {
        to: "juergen@example.org".into(),
        to_name: Some("Jürgen Bäcker\r\nBcc: eve@example.net".into()),
        subject: "Hello\r\nBcc: eve@example.net".into(),
        body: "Hi.\n".into(),
    };
    send(&d, &server.config()).expect("sent");
    let session = server.session();
    assert_eq!(session.rcpt_to, vec!["juergen@example.org".to_string()]);
    let message = Parsed::new(session.data.as_deref().unwrap());
    assert!(message.header("Bcc").is_none());
    assert_eq!(message.decoded("Subject"), "Hello  Bcc: eve@example.net");
    let to = message.decoded("To");
    assert!(to.contains("Jürgen Bäcker  Bcc: eve@example.net"), "{to}");
    assert!(to.ends_with("<juergen@example.org>"), "{to}");
}

#[test]
fn authentication_uses_the_password_from_the_named_environment_variable() {
    let var = "KITH_TEST_MAIL_PASSWORD_ENV";
    let name = "authentication_uses_the_password_from_the_named_environment_variable";
    if rerun_with(var, "hunter2", name) {
        return;
    }
    let server = Server::start(Behaviour {
        auth: Some(("ada@example.com".into(), "hunter2".into())),
        ..Behaviour::default()
    });
    let config = MailConfig {
        user: "ada@example.com".into(),
        password_env: var.into(),
        password_command: "echo wrong".into(),
        ..server.config()
    };
    send(&draft(), &config).expect("sent");
    let session = server.session();
    assert_eq!(
        session.auth,
        Some(("ada@example.com".into(), "hunter2".into()))
    );
    assert!(session.authenticated);
    assert!(session.data.is_some());
}

#[test]
fn authentication_uses_the_first_line_of_the_password_command() {
    let server = Server::start(Behaviour {
        auth: Some(("ada".into(), "s3cret".into())),
        ..Behaviour::default()
    });
    let config = MailConfig {
        user: "ada".into(),
        // Unset, so the command is asked.
        password_env: unique_var("UNSET"),
        password_command: "echo s3cret; echo second-line".into(),
        ..server.config()
    };
    send(&draft(), &config).expect("sent");
    let session = server.session();
    assert_eq!(session.auth, Some(("ada".into(), "s3cret".into())));
    assert_eq!(session.rcpt_to, vec!["bob@example.org".to_string()]);
}

#[test]
fn authentication_falls_back_to_login() {
    let var = "KITH_TEST_MAIL_PASSWORD_LOGIN";
    if rerun_with(var, "pässword", "authentication_falls_back_to_login") {
        return;
    }
    let server = Server::start(Behaviour {
        auth: Some(("ada".into(), "pässword".into())),
        login_only: true,
        ..Behaviour::default()
    });
    let config = MailConfig {
        user: "ada".into(),
        password_env: var.into(),
        ..server.config()
    };
    send(&draft(), &config).expect("sent");
    let session = server.session();
    assert!(
        session.commands.iter().any(|c| c == "AUTH LOGIN"),
        "{:?}",
        session.commands
    );
    assert_eq!(session.auth, Some(("ada".into(), "pässword".into())));
    assert!(session.data.is_some());
}

#[test]
fn a_user_for_a_server_without_auth_is_a_clear_error() {
    let server = Server::start(Behaviour::default());
    let config = MailConfig {
        user: "ada".into(),
        password_command: "echo s3cret".into(),
        password_env: String::new(),
        ..server.config()
    };
    let err = send(&draft(), &config).unwrap_err();
    assert!(
        err.to_string().contains("offers no password login"),
        "{err}"
    );
    assert!(server.session().mail_from.is_none());
}

#[test]
fn a_wrong_password_is_an_authentication_failure() {
    let server = Server::start(Behaviour {
        auth: Some(("ada".into(), "right".into())),
        ..Behaviour::default()
    });
    let config = MailConfig {
        user: "ada".into(),
        password_env: String::new(),
        password_command: "printf wrong".into(),
        ..server.config()
    };
    let err = send(&draft(), &config).unwrap_err();
    let shown = err.to_string();
    eprintln!("{shown}");
    assert!(matches!(err, MailError::Send(_)), "{err:?}");
    assert!(shown.contains("authentication as ada failed"), "{shown}");
    assert!(shown.contains("535"), "{shown}");
    assert!(!shown.contains('\n'), "{shown}");
    let session = server.session();
    assert_eq!(session.auth, Some(("ada".into(), "wrong".into())));
    assert!(session.data.is_none());
}

#[test]
fn a_refused_recipient_is_a_send_error_that_says_so() {
    let server = Server::start(Behaviour {
        refuse_rcpt: true,
        ..Behaviour::default()
    });
    let err = send(&draft(), &server.config()).unwrap_err();
    let shown = err.to_string();
    eprintln!("{shown}");
    assert!(matches!(err, MailError::Send(_)), "{err:?}");
    assert!(
        shown.contains("refused the recipient <bob@example.org>"),
        "{shown}"
    );
    assert!(shown.contains("550"), "{shown}");
    assert!(shown.contains("User unknown"), "{shown}");
    assert!(!shown.contains('\n'), "{shown}");
    let session = server.session();
    assert!(session.data.is_none());
}

#[test]
fn a_closed_port_is_connection_refused() {
    // A socket bound and never listened on refuses connections, and holds its port
    // so that no server of a test running beside this one can take it.
    let (_held, port) = closed_port::bound_not_listening();
    let config = MailConfig {
        from: "ada@example.com".into(),
        smtp_host: "127.0.0.1".into(),
        smtp_port: port,
        tls: "none".into(),
        ..MailConfig::default()
    };
    let err = send(&draft(), &config).unwrap_err();
    let shown = err.to_string();
    eprintln!("{shown}");
    assert!(matches!(err, MailError::Send(_)), "{err:?}");
    assert!(
        shown.contains(&format!("could not connect to 127.0.0.1:{port}")),
        "{shown}"
    );
    assert!(shown.contains("connection refused"), "{shown}");
}

#[test]
fn a_server_that_never_answers_times_out() {
    let server = Server::start(Behaviour {
        silent: true,
        ..Behaviour::default()
    });
    let config = MailConfig {
        timeout_secs: 1,
        ..server.config()
    };
    let err = send(&draft(), &config).unwrap_err();
    let shown = err.to_string();
    eprintln!("{shown}");
    assert!(matches!(err, MailError::Send(_)), "{err:?}");
    assert!(shown.contains("no answer from 127.0.0.1:"), "{shown}");
    assert!(shown.contains("timed out after 1 s"), "{shown}");
    // kith gave up and hung up, not the server after its 20 s.
    assert!(server.session().hung_up, "kith never hung up");
}

#[test]
fn starttls_is_required_unless_tls_is_none() {
    // The test server offers no STARTTLS: the default mode refuses to go on in the clear.
    let server = Server::start(Behaviour::default());
    let config = MailConfig {
        tls: "starttls".into(),
        ..server.config()
    };
    let err = send(&draft(), &config).unwrap_err();
    assert!(err.to_string().contains("does not offer STARTTLS"), "{err}");
    let session = server.session();
    assert!(session.mail_from.is_none());
}

#[test]
fn implicit_tls_to_a_plain_server_fails_cleanly() {
    let server = Server::start(Behaviour::default());
    let config = MailConfig {
        tls: "tls".into(),
        ..server.config()
    };
    let err = send(&draft(), &config).unwrap_err();
    let shown = err.to_string();
    eprintln!("{shown}");
    assert!(matches!(err, MailError::Send(_)), "{err:?}");
    assert!(shown.contains("TLS with 127.0.0.1:"), "{shown}");
    assert!(!shown.contains('\n'), "{shown}");
    assert!(server.session().mail_from.is_none());
}

// ---------------------------------------------------------------------------------------------
// Configuration and drafts, refused before any connection

#[test]
fn mail_that_is_not_configured_says_what_is_missing() {
    let no_from = MailConfig {
        smtp_host: "127.0.0.1".into(),
        ..MailConfig::default()
    };
    match send(&draft(), &no_from) {
        Err(MailError::NotConfigured(why)) => assert!(why.contains("mail.from"), "{why}"),
        other => panic!("{other:?}"),
    }
    let no_host = MailConfig {
        from: "ada@example.com".into(),
        ..MailConfig::default()
    };
    match send(&draft(), &no_host) {
        Err(MailError::NotConfigured(why)) => assert!(why.contains("mail.smtp_host"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        MailConfig::default().check(),
        Err(MailError::NotConfigured(_))
    ));
    let bad_method = MailConfig {
        method: "pigeon".into(),
        ..no_host.clone()
    };
    assert!(matches!(
        send(&draft(), &bad_method),
        Err(MailError::NotConfigured(why)) if why.contains("pigeon")
    ));
    let bad_tls = MailConfig {
        smtp_host: "127.0.0.1".into(),
        tls: "ssl".into(),
        ..no_host
    };
    assert!(matches!(
        send(&draft(), &bad_tls),
        Err(MailError::NotConfigured(why)) if why.contains("mail.tls")
    ));
}

#[test]
fn bad_addresses_name_their_field() {
    let config = MailConfig {
        from: "ada@example.com".into(),
        smtp_host: "127.0.0.1".into(),
        smtp_port: 9, // never reached
        tls: "none".into(),
        ..MailConfig::default()
    };
    for to in ["", "bob", "bob@", "bob at example.org"] {
        let d = Draft {
            to: to.into(),
            ..draft()
        };
        match send(&d, &config) {
            Err(MailError::Address { field, message }) => {
                assert_eq!(field, "to", "{to:?}: {message}")
            }
            other => panic!("{to:?}: {other:?}"),
        }
    }
    let bad_from = MailConfig {
        from: "Ada <ada@>".into(),
        ..config
    };
    match send(&draft(), &bad_from) {
        Err(e @ MailError::Address { field, .. }) => {
            assert_eq!(field, "mail.from");
            assert!(e.to_string().contains("mail.from"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_missing_or_failing_password_is_a_password_error() {
    let config = MailConfig {
        from: "ada@example.com".into(),
        smtp_host: "127.0.0.1".into(),
        smtp_port: 9, // never reached
        tls: "none".into(),
        user: "ada".into(),
        password_env: unique_var("MISSING"),
        ..MailConfig::default()
    };
    match send(&draft(), &config) {
        Err(MailError::Password(why)) => assert_eq!(
            why,
            format!(
                "no password: set ${} or mail.password_command",
                unique_var("MISSING")
            )
        ),
        other => panic!("{other:?}"),
    }
    let failing = MailConfig {
        password_command: "echo no such entry >&2; exit 3".into(),
        ..config.clone()
    };
    match send(&draft(), &failing) {
        Err(MailError::Password(why)) => {
            assert!(why.contains("mail.password_command failed"), "{why}");
            assert!(why.contains("no such entry"), "{why}");
        }
        other => panic!("{other:?}"),
    }
    let silent = MailConfig {
        password_command: "true".into(),
        ..config
    };
    assert!(matches!(
        send(&draft(), &silent),
        Err(MailError::Password(why)) if why.contains("no password")
    ));
}

#[test]
fn the_config_file_has_a_mail_section_and_no_password_key() {
    let text = "[mail]\nfrom = \"Ada <ada@example.com>\"\nsmtp_host = \"smtp.example.com\"\nsmtp_port = 465\ntls = \"tls\"\nuser = \"ada\"\npassword_command = \"pass show mail\"\n";
    let config = Config::parse(text, Path::new("c.toml")).unwrap();
    assert_eq!(config.mail.smtp_port, 465);
    assert_eq!(config.mail.password_env, "KITH_SMTP_PASSWORD");
    assert_eq!(config.mail.timeout_secs, 30);
    assert!(config.mail.check().is_ok());

    let with_password = "[mail]\nfrom = \"ada@example.com\"\npassword = \"hunter2\"\n";
    let err = Config::parse(with_password, Path::new("c.toml")).unwrap_err();
    let shown = err.to_string();
    eprintln!("{shown}");
    assert_eq!(err.line, Some(3), "{shown}");
    assert!(shown.contains("password"), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");
}

// ---------------------------------------------------------------------------------------------
// sendmail

/// A shell script in `dir`, and the command that runs it: through `sh`, so that nothing
/// executes the new file itself (executing a file another test's fork still holds open for
/// writing fails with "Text file busy").
fn script(dir: &Path, name: &str, body: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    format!("sh {}", path.display())
}

#[test]
fn the_sendmail_method_pipes_the_message_to_the_program() {
    let dir = tempfile::tempdir().unwrap();
    let args = dir.path().join("args");
    let saved = dir.path().join("message");
    let program = script(
        dir.path(),
        "fake-sendmail",
        &format!(
            "printf '%s\\n' \"$@\" > '{}'\ncat > '{}'\n",
            args.display(),
            saved.display()
        ),
    );
    let config = MailConfig {
        from: "Ada Lovelace <ada@example.com>".into(),
        method: "sendmail".into(),
        sendmail_command: format!("{program} -oi"),
        ..MailConfig::default()
    };
    let id = send(&draft(), &config).expect("sent");

    let args = std::fs::read_to_string(&args).unwrap();
    assert_eq!(
        args.lines().collect::<Vec<_>>(),
        [
            "-oi",
            "-i",
            "-f",
            "ada@example.com",
            "--",
            "bob@example.org"
        ]
    );
    let text = std::fs::read_to_string(&saved).unwrap();
    assert!(!text.contains('\r'), "local submission uses LF line ends");
    let message = Parsed::new(&text.replace('\n', "\r\n"));
    assert_eq!(message.header("Message-ID").as_deref(), Some(id.as_str()));
    assert_eq!(message.decoded("Subject"), "Grüße aus Köln");
    assert_eq!(
        message.decoded("From"),
        "\"Ada Lovelace\" <ada@example.com>"
    );
    assert_eq!(message.decoded("To"), "\"Bob Dobbs\" <bob@example.org>");
    assert_eq!(message.body.trim_end(), draft().body.trim_end());
}

#[test]
fn a_failing_sendmail_program_is_a_send_error_with_its_complaint() {
    let dir = tempfile::tempdir().unwrap();
    let program = script(
        dir.path(),
        "failing-sendmail",
        "cat > /dev/null\necho 'sendmail: cannot reach the mail hub' >&2\nexit 75\n",
    );
    let config = MailConfig {
        from: "ada@example.com".into(),
        method: "sendmail".into(),
        sendmail_command: program,
        ..MailConfig::default()
    };
    let err = send(&draft(), &config).unwrap_err();
    let shown = err.to_string();
    eprintln!("{shown}");
    assert!(matches!(err, MailError::Send(_)), "{err:?}");
    assert!(shown.contains("failed (exit status: 75)"), "{shown}");
    assert!(shown.contains("cannot reach the mail hub"), "{shown}");

    let missing = MailConfig {
        sendmail_command: "/nonexistent/kith-sendmail".into(),
        ..config
    };
    let err = send(&draft(), &missing).unwrap_err();
    assert!(
        err.to_string()
            .contains("could not run /nonexistent/kith-sendmail"),
        "{err}"
    );
}
