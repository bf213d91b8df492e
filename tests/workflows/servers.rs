//! Test servers on 127.0.0.1: a small threaded HTTP server serving fixed pages (the company
//! website that research reads) and a minimal SMTP server that records what it is handed.
//!
//! Each test starts its own servers on ports of their own (`127.0.0.1:0`), so tests run in
//! parallel; the accept threads live until the test binary exits.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

// ---------------------------------------------------------------------------------------------
// HTTP

/// What the HTTP server answers for one path.
#[derive(Clone)]
pub enum Reply {
    /// 200, `text/html; charset=utf-8`.
    Html(String),
    /// 302 with this Location.
    Redirect(String),
    /// 200 with this content type and body.
    Typed(&'static str, Vec<u8>),
    /// 200 HTML page of this many bytes of filler (no names, no addresses, no description).
    Huge(usize),
}

pub fn html(body: &str) -> Reply {
    Reply::Html(body.to_string())
}

pub struct Http {
    pub port: u16,
    /// The path of every request, in order.
    pub log: Arc<Mutex<Vec<String>>>,
}

impl Http {
    /// Serves `routes` (path → reply); other paths are a 404 page.
    pub fn start(routes: &[(&str, Reply)]) -> Http {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        let routes: Arc<HashMap<String, Reply>> = Arc::new(
            routes
                .iter()
                .map(|(p, r)| (p.to_string(), r.clone()))
                .collect(),
        );
        let log: Arc<Mutex<Vec<String>>> = Arc::default();
        let server_log = log.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (routes, log) = (routes.clone(), server_log.clone());
                thread::spawn(move || {
                    let _ = serve_http(stream, &routes, &log);
                });
            }
        });
        Http { port, log }
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn requests(&self) -> Vec<String> {
        self.log.lock().expect("log lock").clone()
    }
}

fn serve_http(
    mut stream: TcpStream,
    routes: &HashMap<String, Reply>,
    log: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut request = Vec::new();
    let mut chunk = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 64 * 1024 {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        request.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8_lossy(&request);
    let path = head
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("/")
        .to_string();
    log.lock().expect("log lock").push(path.clone());

    let respond = |stream: &mut TcpStream,
                   status: &str,
                   headers: &[(&str, &str)],
                   body: &[u8]|
     -> std::io::Result<()> {
        let mut out = format!("HTTP/1.1 {status}\r\n");
        for (k, v) in headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        ));
        stream.write_all(out.as_bytes())?;
        stream.write_all(body)?;
        stream.flush()
    };
    const HTML: &str = "text/html; charset=utf-8";
    match routes.get(&path) {
        Some(Reply::Html(body)) => respond(
            &mut stream,
            "200 OK",
            &[("Content-Type", HTML)],
            body.as_bytes(),
        ),
        Some(Reply::Redirect(to)) => respond(&mut stream, "302 Found", &[("Location", to)], b""),
        Some(Reply::Typed(content_type, body)) => respond(
            &mut stream,
            "200 OK",
            &[("Content-Type", content_type)],
            body,
        ),
        Some(Reply::Huge(total)) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {HTML}\r\nContent-Length: {total}\r\n\
                 Connection: close\r\n\r\n"
            );
            stream.write_all(head.as_bytes())?;
            let start = b"<!doctype html><html><body>\n";
            stream.write_all(start)?;
            let line = b"<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n";
            let mut written = start.len();
            while written < *total {
                let n = line.len().min(total - written);
                // The client stops reading at its size cap: a failed write ends the reply.
                stream.write_all(&line[..n])?;
                written += n;
            }
            stream.flush()
        }
        None => respond(
            &mut stream,
            "404 Not Found",
            &[("Content-Type", HTML)],
            b"<html><body>Not found</body></html>",
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// SMTP

/// One message the SMTP server accepted.
#[derive(Debug, Clone, Default)]
pub struct Received {
    /// The envelope sender (MAIL FROM), without angle brackets.
    pub from: String,
    /// The envelope recipients (RCPT TO), without angle brackets.
    pub to: Vec<String>,
    /// The message as handed over after DATA (dot-stuffing undone), CRLF line ends.
    pub data: String,
}

impl Received {
    /// The value of header `name` (first occurrence, unfolded), if present.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or("");
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if let Some(v) = value.as_mut() {
                if line.starts_with([' ', '\t']) {
                    v.push(' ');
                    v.push_str(line.trim());
                    continue;
                }
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                if k.eq_ignore_ascii_case(name) {
                    value = Some(v.trim().to_string());
                }
            }
        }
        value
    }

    /// The body: what follows the first empty line.
    pub fn body(&self) -> String {
        self.data
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default()
    }
}

pub struct Smtp {
    pub port: u16,
    /// The messages accepted, in order.
    pub received: Arc<Mutex<Vec<Received>>>,
    /// Every command line the server read, in order, across sessions.
    pub commands: Arc<Mutex<Vec<String>>>,
    /// How many connections were accepted.
    pub sessions: Arc<AtomicUsize>,
}

impl Smtp {
    /// A server that accepts everything, or (with `refuse_rcpt`) answers every RCPT with 550.
    pub fn start(refuse_rcpt: bool) -> Smtp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        let smtp = Smtp {
            port,
            received: Arc::default(),
            commands: Arc::default(),
            sessions: Arc::default(),
        };
        let (received, commands, sessions) = (
            smtp.received.clone(),
            smtp.commands.clone(),
            smtp.sessions.clone(),
        );
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                sessions.fetch_add(1, Ordering::SeqCst);
                let (received, commands) = (received.clone(), commands.clone());
                thread::spawn(move || {
                    let _ = serve_smtp(stream, refuse_rcpt, &received, &commands);
                });
            }
        });
        smtp
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().expect("received lock").clone()
    }

    pub fn session_count(&self) -> usize {
        self.sessions.load(Ordering::SeqCst)
    }

    /// A kith config file whose `[mail]` sends through this server.
    pub fn config(&self) -> String {
        format!(
            "[mail]\nfrom = \"Sales <sales@kith.test>\"\nsmtp_host = \"127.0.0.1\"\n\
             smtp_port = {}\ntls = \"none\"\ntimeout_secs = 10\n",
            self.port
        )
    }
}

/// The address inside `<...>` after `MAIL FROM:` / `RCPT TO:`.
fn angle(line: &str) -> String {
    match (line.find('<'), line.find('>')) {
        (Some(a), Some(b)) if a < b => line[a + 1..b].to_string(),
        _ => line
            .split_once(':')
            .map(|(_, r)| r.trim().to_string())
            .unwrap_or_default(),
    }
}

fn serve_smtp(
    stream: TcpStream,
    refuse_rcpt: bool,
    received: &Mutex<Vec<Received>>,
    commands: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut out = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    out.write_all(b"220 smtp.kith.test ESMTP test server\r\n")?;
    let mut current = Received::default();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let command = line.trim_end_matches(['\r', '\n']).to_string();
        commands
            .lock()
            .expect("commands lock")
            .push(command.clone());
        let upper = command.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            out.write_all(b"250-smtp.kith.test greets you\r\n250 8BITMIME\r\n")?;
        } else if upper.starts_with("HELO") {
            out.write_all(b"250 smtp.kith.test\r\n")?;
        } else if upper.starts_with("MAIL FROM:") {
            current = Received {
                from: angle(&command),
                ..Default::default()
            };
            out.write_all(b"250 2.1.0 Ok\r\n")?;
        } else if upper.starts_with("RCPT TO:") {
            if refuse_rcpt {
                out.write_all(b"550 5.1.1 Recipient address rejected: mailbox unavailable\r\n")?;
            } else {
                current.to.push(angle(&command));
                out.write_all(b"250 2.1.5 Ok\r\n")?;
            }
        } else if upper == "DATA" {
            if current.to.is_empty() {
                out.write_all(b"554 5.5.1 No valid recipients\r\n")?;
                continue;
            }
            out.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")?;
            let mut data = String::new();
            loop {
                let mut l = String::new();
                if reader.read_line(&mut l)? == 0 {
                    return Ok(());
                }
                if l == ".\r\n" || l == ".\n" {
                    break;
                }
                let l = l.strip_prefix('.').unwrap_or(&l);
                data.push_str(l);
            }
            current.data = data;
            received
                .lock()
                .expect("received lock")
                .push(std::mem::take(&mut current));
            out.write_all(b"250 2.0.0 Ok: queued\r\n")?;
        } else if upper == "RSET" {
            current = Received::default();
            out.write_all(b"250 2.0.0 Ok\r\n")?;
        } else if upper == "NOOP" {
            out.write_all(b"250 2.0.0 Ok\r\n")?;
        } else if upper == "QUIT" {
            out.write_all(b"221 2.0.0 Bye\r\n")?;
            return Ok(());
        } else {
            out.write_all(b"502 5.5.2 Command not recognized\r\n")?;
        }
    }
}
