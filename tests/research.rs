//! Website research against real HTTP servers on 127.0.0.1: each test starts its own small
//! threaded server (HTTP/1.1, Content-Length, Connection: close) on a port of its own.

#[path = "common/closed_port.rs"]
mod closed_port;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use kith::domain::validate::is_forbidden;
use kith::research::{
    is_free_mail_domain, is_noise_mailbox, research, website_from_email, Finding, Options,
};

// ---- the test server ----

#[derive(Clone)]
enum Reply {
    Page {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// A body of `total` bytes (the prefix, then filler) written in chunks, slowly.
    Huge { prefix: Vec<u8>, total: usize },
    /// Accepts, reads the request and never answers (holds the connection a few seconds).
    Hang,
    /// Promises a long page, then sends it a byte at a time, `every` apart, for `bytes` bytes.
    Drip { bytes: usize, every: Duration },
}

fn html(body: &str) -> Reply {
    Reply::Page {
        status: 200,
        headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
        body: body.as_bytes().to_vec(),
    }
}

fn redirect(to: &str) -> Reply {
    Reply::Page {
        status: 302,
        headers: vec![("Location".into(), to.into())],
        body: Vec::new(),
    }
}

fn typed(content_type: &str, body: &[u8]) -> Reply {
    Reply::Page {
        status: 200,
        headers: vec![("Content-Type".into(), content_type.into())],
        body: body.to_vec(),
    }
}

struct Server {
    port: u16,
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    /// "host path" of every request, in order.
    log: Arc<Mutex<Vec<String>>>,
    /// How each huge or hanging reply ended, told by its handler once it is done.
    ended: Receiver<Ended>,
}

/// How a huge or hanging reply ended.
#[derive(Debug, PartialEq)]
enum Ended {
    /// A huge body: the bytes of it written before the reader hung up (or all of them).
    Huge(usize),
    /// A hanging reply: whether the client hung up, rather than the server's 20 s passing.
    Hang { hung_up: bool },
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let (tell, ended) = channel();
        let server = Server {
            port,
            routes: Arc::default(),
            log: Arc::default(),
            ended,
        };
        let (routes, log) = (server.routes.clone(), server.log.clone());
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (routes, log, tell) = (routes.clone(), log.clone(), tell.clone());
                thread::spawn(move || handle(stream, &routes, &log, &tell));
            }
        });
        server
    }

    /// How the next huge or hanging reply ended, once its handler is done.
    fn ended(&self) -> Ended {
        self.ended
            .recv_timeout(Duration::from_secs(60))
            .expect("the server's reply ended")
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn route(&self, path: &str, reply: Reply) -> &Self {
        self.routes.lock().unwrap().insert(path.into(), reply);
        self
    }

    fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

fn handle(
    mut stream: TcpStream,
    routes: &Mutex<HashMap<String, Reply>>,
    log: &Mutex<Vec<String>>,
    tell: &Sender<Ended>,
) {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).to_string();
    let path = head.split(' ').nth(1).unwrap_or("/").to_string();
    let host = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case("host"))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_default();
    log.lock().unwrap().push(format!("{host} {path}"));
    let reply = routes.lock().unwrap().get(&path).cloned();
    let reply = reply.unwrap_or_else(|| Reply::Page {
        status: 404,
        headers: vec![("Content-Type".into(), "text/html".into())],
        body: b"<html><body>not here</body></html>".to_vec(),
    });
    match reply {
        Reply::Page {
            status,
            headers,
            body,
        } => {
            let mut out = format!(
                "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
                reason(status),
                body.len()
            );
            for (k, v) in headers {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
            out.push_str("\r\n");
            let _ = stream.write_all(out.as_bytes());
            let _ = stream.write_all(&body);
        }
        Reply::Huge { prefix, total } => {
            let out = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {total}\r\nConnection: close\r\n\r\n"
            );
            if stream.write_all(out.as_bytes()).is_err() || stream.write_all(&prefix).is_err() {
                return;
            }
            // A reader that stops reading without hanging up would hold the writer forever.
            let _ = stream.set_write_timeout(Some(Duration::from_secs(20)));
            let mut written = 0;
            let chunk = vec![b'x'; 64 * 1024];
            while written < total - prefix.len() {
                let n = chunk.len().min(total - prefix.len() - written);
                if stream.write_all(&chunk[..n]).is_err() {
                    break;
                }
                written += n;
                thread::sleep(Duration::from_micros(500));
            }
            let _ = tell.send(Ended::Huge(written));
        }
        Reply::Hang => {
            // Says nothing until the client gives up and hangs up (or 20 s pass).
            let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
            let hung_up = stream.read_to_end(&mut Vec::new()).is_ok();
            let _ = tell.send(Ended::Hang { hung_up });
        }
        Reply::Drip { bytes, every } => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n<";
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            for _ in 1..bytes {
                thread::sleep(every);
                if stream.write_all(b"p").is_err() {
                    return;
                }
            }
        }
    }
}

fn site(name: &str) -> String {
    let path = format!("{}/tests/sites/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fast() -> Options {
    Options {
        timeout: Duration::from_secs(5),
        ..Options::default()
    }
}

fn has_line(finding: &Finding, parts: &[&str]) -> bool {
    finding
        .skipped
        .iter()
        .any(|line| parts.iter().all(|p| line.contains(p)))
}

// ---- the cases ----

#[test]
fn found_a_named_person_on_the_contact_page() {
    let s = Server::start();
    s.route("/", html(&site("found-home.html")))
        .route("/contact", html(&site("found-contact.html")));
    let f = research(&s.base(), "Acme Robotics GmbH", &fast()).unwrap();
    assert_eq!(f.contact_name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(f.email.as_deref(), Some("ada.lovelace@acme-robotics.test"));
    assert_eq!(
        f.description.as_deref(),
        Some("Acme Robotics builds friendly robot arms for small workshops.")
    );
    assert_eq!(
        f.pages,
        vec![format!("{}/", s.base()), format!("{}/contact", s.base())]
    );
    assert!(f.name_check);
    assert!(
        f.skipped
            .contains(&"jobs@acme-robotics.test: a noise mailbox".to_string()),
        "{:?}",
        f.skipped
    );
    assert!(f
        .skipped
        .contains(&"press@acme-robotics.test: a noise mailbox".to_string()));
    // The partner on another domain and the obfuscated role mailbox were seen, not chosen.
    assert!(has_line(&f, &["bob.smith@partner.test", "preferred"]));
    assert!(has_line(&f, &["hello@acme-robotics.test", "preferred"]));
    // /blog is no contact page: never requested.
    assert!(
        !s.log().iter().any(|l| l.ends_with(" /blog")),
        "{:?}",
        s.log()
    );
}

#[test]
fn an_address_on_the_site_host_wins_over_the_most_common_domain() {
    let s = Server::start();
    s.route("/", html(&site("host-domain.html")));
    let f = research(&s.base(), "Acme Robotics", &fast()).unwrap();
    assert_eq!(f.email.as_deref(), Some("office@127.0.0.1"));
    assert_eq!(f.contact_name, None);
    assert!(has_line(&f, &["bob.smith@partner.test", "preferred"]));
    assert!(has_line(&f, &["carol.jones@partner.test", "preferred"]));
}

#[test]
fn json_ld_person_and_organization() {
    let s = Server::start();
    s.route("/", html(&site("jsonld.html")));
    let f = research(&s.base(), "Acme, Inc.", &fast()).unwrap();
    assert_eq!(f.contact_name.as_deref(), Some("Grace Hopper"));
    assert_eq!(f.email.as_deref(), Some("grace.hopper@acme.test"));
    assert_eq!(
        f.description.as_deref(),
        Some("Acme builds friendly robots for small workshops.")
    );
    assert!(f.name_check);
    assert_eq!(f.pages, vec![format!("{}/", s.base())]);
}

#[test]
fn only_noise_mailboxes_means_no_email() {
    let s = Server::start();
    s.route("/", html(&site("noise.html")));
    let f = research(&s.base(), "Acme Robotics", &fast()).unwrap();
    assert_eq!(f.email, None);
    assert_eq!(f.contact_name, None);
    assert_eq!(
        f.skipped,
        vec![
            "noreply@acme-robotics.test: a noise mailbox",
            "careers@acme-robotics.test: a noise mailbox",
            "do-not-reply@acme-robotics.test: a noise mailbox",
        ]
    );
}

#[test]
fn free_mail_addresses_are_not_taken() {
    let s = Server::start();
    s.route("/", html(&site("freemail.html")));
    let f = research(&s.base(), "Acme Robotics", &fast()).unwrap();
    assert_eq!(f.email, None);
    assert_eq!(f.contact_name, None);
    assert!(f
        .skipped
        .contains(&"someone@gmail.com: free-mail address, not the company's domain".to_string()));
    assert!(f.skipped.contains(
        &"acme.robotics@yahoo.co.uk: free-mail address, not the company's domain".to_string()
    ));
}

#[test]
fn a_site_that_never_names_the_company_fails_the_name_check() {
    let s = Server::start();
    s.route("/", html(&site("namecheck.html")));
    let f = research(&s.base(), "Acme Robotics GmbH", &fast()).unwrap();
    assert!(!f.name_check);
    // The rest is still reported; the caller decides what to make of it.
    assert_eq!(f.email.as_deref(), Some("hank.scorpio@globex.test"));
    assert_eq!(f.description.as_deref(), Some("Globex makes everything."));
    let f = research(&s.base(), "Globex Corporation", &fast()).unwrap();
    assert!(f.name_check);
}

#[test]
fn redirects_are_followed_and_loops_reported() {
    let s = Server::start();
    s.route("/", redirect("/welcome"))
        .route("/welcome", html(&site("jsonld.html")))
        .route("/loop", redirect("/a"))
        .route("/a", redirect("/b"))
        .route("/b", redirect("/a"));
    for i in 0..10 {
        s.route(&format!("/r{i}"), redirect(&format!("/r{}", i + 1)));
    }
    let f = research(&s.base(), "Acme", &fast()).unwrap();
    assert_eq!(f.pages, vec![format!("{}/welcome", s.base())]);

    let err = research(&format!("{}/loop", s.base()), "Acme", &fast())
        .unwrap_err()
        .to_string();
    let b = s.base();
    assert_eq!(
        err,
        format!("{b}/loop: redirect loop ({b}/loop → {b}/a → {b}/b → {b}/a); stopped following redirects")
    );

    let err = research(&format!("{b}/r0"), "Acme", &fast())
        .unwrap_err()
        .to_string();
    assert_eq!(err, format!("{b}/r0: too many redirects (more than 5)"));
    // Five redirects were followed, the sixth refused: /r0 ... /r5 were requested.
    assert!(s.log().iter().any(|l| l.ends_with(" /r5")));
    assert!(!s.log().iter().any(|l| l.ends_with(" /r6")));
}

#[test]
fn a_redirect_to_ftp_is_refused() {
    let s = Server::start();
    s.route("/", redirect("ftp://127.0.0.1/pub/brochure.html"));
    let err = research(&s.base(), "Acme", &fast())
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "{}/: redirects to ftp://127.0.0.1/pub/brochure.html, which is not http or https; refused",
            s.base()
        )
    );
    let err = research("ftp://127.0.0.1/", "Acme", &fast())
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "ftp://127.0.0.1/: only http and https websites are read, not ftp"
    );
}

#[test]
fn a_huge_page_is_read_only_up_to_the_cap() {
    const TOTAL: usize = 20 * 1024 * 1024;
    let s = Server::start();
    let prefix = b"<html><head><title>Acme Robotics</title>\
        <meta name=\"description\" content=\"A very long page.\"></head><body><p>"
        .to_vec();
    s.route(
        "/",
        Reply::Huge {
            prefix,
            total: TOTAL,
        },
    )
    .route(
        "/junk",
        Reply::Huge {
            prefix: b"<html><body><p>".to_vec(),
            total: TOTAL,
        },
    );
    let options = Options {
        timeout: Duration::from_secs(8),
        ..Options::default()
    };
    let f = research(&s.base(), "Acme Robotics", &options).unwrap();
    // The reader hung up after the cap: the server could not write the 20 MB body (what it
    // did write is the 2 MiB read plus what the kernel's socket buffers took).
    let Ended::Huge(sent) = s.ended() else {
        panic!("not the huge page")
    };
    assert!(sent < TOTAL / 2, "{sent} bytes sent");
    assert_eq!(f.description.as_deref(), Some("A very long page."));
    assert!(f.name_check);
    assert_eq!(
        f.skipped,
        vec![format!(
            "{}/: page larger than the size cap of 2 MiB; only the first 2 MiB were read",
            s.base()
        )]
    );

    // Nothing usable in the part read: an error naming the cap.
    let err = research(&format!("{}/junk", s.base()), "Acme", &options)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "{}/junk: page larger than the size cap of 2 MiB, and nothing usable in the part read",
            s.base()
        )
    );
    let Ended::Huge(sent) = s.ended() else {
        panic!("not the huge page")
    };
    assert!(sent < TOTAL / 2, "{sent} bytes sent");
}

#[test]
fn a_page_that_is_not_html_is_refused() {
    let s = Server::start();
    s.route("/", typed("application/pdf", b"%PDF-1.7 ..."));
    let err = research(&s.base(), "Acme", &fast())
        .unwrap_err()
        .to_string();
    assert_eq!(err, format!("{}/: not HTML (application/pdf)", s.base()));

    // A sub-page that is not HTML is only noted.
    let s = Server::start();
    s.route(
        "/",
        html(r#"<html><body><a href="/contact">Contact</a> Acme</body></html>"#),
    )
    .route("/contact", typed("application/pdf; qs=1", b"%PDF-1.7 ..."));
    let f = research(&s.base(), "Acme", &fast()).unwrap();
    assert_eq!(f.pages, vec![format!("{}/", s.base())]);
    assert_eq!(
        f.skipped,
        vec![format!("{}/contact: not HTML (application/pdf)", s.base())]
    );
}

#[test]
fn http_errors_and_refused_connections() {
    let s = Server::start();
    let err = research(&format!("{}/gone", s.base()), "Acme", &fast())
        .unwrap_err()
        .to_string();
    assert_eq!(err, format!("{}/gone: HTTP status 404 Not Found", s.base()));

    let (_held, port) = closed_port::bound_not_listening();
    let err = research(&format!("http://127.0.0.1:{port}"), "Acme", &fast())
        .unwrap_err()
        .to_string();
    assert_eq!(err, format!("http://127.0.0.1:{port}/: connection refused"));

    for bad in ["", "mailto:ada@acme.test", "http://", "acme .test"] {
        let err = research(bad, "Acme", &fast()).unwrap_err().to_string();
        assert!(err.contains("not a website address"), "{bad}: {err}");
    }
}

#[test]
fn a_silent_server_times_out() {
    let s = Server::start();
    s.route("/", Reply::Hang);
    let options = Options {
        timeout: Duration::from_secs(1),
        ..Options::default()
    };
    let err = research(&s.base(), "Acme", &options)
        .unwrap_err()
        .to_string();
    assert_eq!(err, format!("{}/: timed out after 1s", s.base()));
    // Cut short by its own timeout: it hung up, before the server's 20 s.
    assert_eq!(s.ended(), Ended::Hang { hung_up: true });
}

#[test]
fn a_page_that_drips_in_times_out_and_is_not_called_too_large() {
    let s = Server::start();
    s.route(
        "/",
        Reply::Drip {
            bytes: 170,
            every: Duration::from_millis(20),
        },
    );
    let options = Options {
        timeout: Duration::from_secs(1),
        ..Options::default()
    };
    let err = research(&s.base(), "Acme", &options)
        .unwrap_err()
        .to_string();
    assert_eq!(err, format!("{}/: timed out after 1s", s.base()));
}

#[test]
fn relative_links_and_the_same_site_rule() {
    let s = Server::start();
    let other = Server::start();
    let home = site("links-home.html")
        .replace("{{HOSTPORT}}", &format!("127.0.0.1:{}", s.port))
        .replace("{{PORT}}", &s.port.to_string())
        .replace("{{OTHER}}", &other.base());
    let page = |what: &str| {
        html(&format!(
            "<html><body><h1>{what}</h1> Acme Robotics</body></html>"
        ))
    };
    s.route("/", html(&home))
        .route("/team/", page("Team"))
        .route("/kontakt.html", page("Kontakt"))
        .route("/impressum", page("Impressum"))
        .route("/contact", page("Contact"))
        .route("/blog", page("Blog"));
    other.route("/contact", page("Partner"));

    let f = research(&s.base(), "Acme Robotics", &fast()).unwrap();
    let b = s.base();
    // Contact pages first (in the order linked), then the team page.
    assert_eq!(
        f.pages,
        vec![
            format!("{b}/"),
            format!("{b}/kontakt.html"),
            format!("{b}/impressum"),
            format!("{b}/contact"),
            format!("{b}/team/"),
        ]
    );
    assert_eq!(f.email.as_deref(), Some("hello@acme-robotics.test"));
    assert!(other.log().is_empty(), "{:?}", other.log());
    let log = s.log();
    assert!(log.iter().all(|l| l.starts_with("127.0.0.1:")), "{log:?}");
    assert!(!log
        .iter()
        .any(|l| l.ends_with(" /blog") || l.contains(".pdf")));
    assert!(f.skipped.contains(&format!(
        "http://localhost:{}/contact: on another site; not followed",
        s.port
    )));
    assert!(f.skipped.contains(&format!(
        "{}/contact: on another site; not followed",
        other.base()
    )));

    // The page limit counts the home page.
    let f = research(
        &s.base(),
        "Acme Robotics",
        &Options {
            max_pages: 2,
            ..fast()
        },
    )
    .unwrap();
    assert_eq!(f.pages, vec![format!("{b}/"), format!("{b}/kontakt.html")]);
    for path in ["impressum", "contact", "team/"] {
        assert!(
            f.skipped.contains(&format!(
                "{b}/{path}: not read; the limit of 2 pages was reached"
            )),
            "{:?}",
            f.skipped
        );
    }
}

#[test]
fn hostile_pages_are_sanitized() {
    let s = Server::start();
    let body = "<html><head><title>Acme\u{1b}]0;owned\u{7} Robotics</title>\
         <meta name=\"description\" content=\"Robots\u{1b}[2J for\u{202E} all\"></head><body>\
         <a href=\"mailto:ada.lovelace@acme.test\">Ada\u{202E} Love\u{1b}lace</a>\
         <a href=\"mailto:eve\u{1b}@acme.test\">Eve</a>\
         <a href=\"/team\">Team\u{1b}[31m</a></body></html>";
    let long_name = "N".repeat(500);
    s.route("/", html(body)).route(
        "/team",
        html(&format!(
            "<html><head><script type=\"application/ld+json\">\
             {{\"@type\":\"Person\",\"name\":\"{long_name}\"}}</script></head></html>"
        )),
    );
    let f = research(&s.base(), "Acme Robotics", &fast()).unwrap();
    assert_eq!(f.contact_name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(f.email.as_deref(), Some("ada.lovelace@acme.test"));
    assert_eq!(f.description.as_deref(), Some("Robots[2J for all"));
    let all: Vec<&String> = f
        .contact_name
        .iter()
        .chain(&f.email)
        .chain(&f.description)
        .chain(&f.pages)
        .chain(&f.skipped)
        .collect();
    for s in all {
        assert!(!s.chars().any(|c| is_forbidden(c, false)), "{s:?}");
    }

    // A JSON-LD name with no address is the contact name, capped at 200 characters.
    let s = Server::start();
    s.route(
        "/",
        html(&format!(
            "<html><head><script type=\"application/ld+json\">\
             {{\"@type\":\"Person\",\"name\":\"{long_name}\\u001b[0m\"}}</script></head></html>"
        )),
    );
    let f = research(&s.base(), "Acme", &fast()).unwrap();
    assert_eq!(f.contact_name, Some("N".repeat(200)));
}

#[test]
fn websites_proposed_from_email_addresses() {
    assert_eq!(
        website_from_email("ada@acme.com").as_deref(),
        Some("https://acme.com")
    );
    assert_eq!(
        website_from_email(" Ada@Acme-Robotics.COM ").as_deref(),
        Some("https://acme-robotics.com")
    );
    assert_eq!(
        website_from_email("ada@eu.acme.com").as_deref(),
        Some("https://eu.acme.com")
    );
    for free in [
        "x@gmail.com",
        "x@yahoo.co.uk",
        "x@mail.yahoo.co.uk",
        "x@outlook.com",
        "x@hotmail.fr",
        "x@icloud.com",
        "x@proton.me",
        "x@web.de",
        "x@mail.ru",
        "x@qq.com",
    ] {
        assert_eq!(website_from_email(free), None, "{free}");
    }
    for bad in [
        "",
        "ada",
        "ada@",
        "ada@localhost",
        "a b@acme.com",
        "ada@127.0.0.1",
    ] {
        assert_eq!(website_from_email(bad), None, "{bad}");
    }
}

#[test]
fn noise_and_free_mail_rules() {
    for n in [
        "jobs",
        "Careers",
        "no-reply",
        "noreply",
        "donotreply",
        "press",
        "hr",
        "privacy",
    ] {
        assert!(is_noise_mailbox(n), "{n}");
    }
    for n in ["ada", "ada.lovelace", "hello", "sales"] {
        assert!(!is_noise_mailbox(n), "{n}");
    }
    assert!(is_free_mail_domain("googlemail.com"));
    assert!(is_free_mail_domain("yahoo.co.uk"));
    assert!(!is_free_mail_domain("acme-robotics.test"));
}
