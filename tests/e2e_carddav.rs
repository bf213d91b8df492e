//! End to end with real parts only: Radicale (Debian's package) serving CardDAV on 127.0.0.1,
//! vdirsyncer syncing it with kith's vdir folder, khard reading that folder, and kith's
//! `kith sync` between the folder and the store.
//!
//! Needs radicale, vdirsyncer, khard and curl (CI installs them with apt).

mod common;

use common::{one_line, Kith};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// A Radicale server on 127.0.0.1 with one address book, stopped when dropped.
struct Radicale {
    child: Child,
    url: String,
}

impl Drop for Radicale {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn curl(args: &[&str]) -> Output {
    Command::new("curl")
        .args(["-s", "-u", "kith:kith", "-w", "\n%{http_code}"])
        .args(args)
        .output()
        .expect("curl runs")
}

/// The HTTP status curl reports (its last line).
fn status(out: &Output) -> u16 {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(0)
}

impl Radicale {
    fn start(dir: &Path) -> Radicale {
        // Radicale binds a port the kernel chooses (port 0) and says which in its log, so that
        // no other test can take the port between a choice and the bind.
        let storage = dir.join("radicale");
        let mut child = Command::new("radicale")
            .arg(format!("--storage-filesystem-folder={}", storage.display()))
            .arg("--server-hosts=127.0.0.1:0")
            .arg("--auth-type=none")
            .arg("--logging-level=info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("radicale runs");
        let log = BufReader::new(child.stderr.take().unwrap());
        let (ready, port) = std::sync::mpsc::channel();
        // Reads the log to its end, so that Radicale never blocks writing it.
        std::thread::spawn(move || {
            let mut listening = None;
            for line in log.lines().map_while(Result::ok) {
                if let Some(at) = line.split("Listening on '[127.0.0.1]:").nth(1) {
                    listening = at.trim_end_matches('\'').parse::<u16>().ok();
                }
                if line.contains("Radicale server ready") {
                    let _ = ready.send(listening);
                }
            }
        });
        let port = port
            .recv()
            .ok()
            .flatten()
            .expect("radicale said where it listens and that it is ready");
        let base = format!("http://127.0.0.1:{port}");
        let server = Radicale {
            child,
            url: format!("{base}/kith/contacts/"),
        };
        let made = curl(&[
            "-X",
            "MKCOL",
            "-H",
            "Content-Type: application/xml",
            "--data",
            r#"<?xml version="1.0"?><mkcol xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><set><prop><resourcetype><collection/><C:addressbook/></resourcetype></prop></set></mkcol>"#,
            &server.url,
        ]);
        assert_eq!(status(&made), 201, "the address book is made");
        server
    }

    /// Puts a card on the server, as a phone or a web address book would.
    fn put(&self, uid: &str, card: &str) {
        // The card goes on curl's standard input: no file that another test could share.
        let mut child = Command::new("curl")
            .args(["-s", "-u", "kith:kith", "-w", "\n%{http_code}"])
            .args(["-X", "PUT", "-H", "Content-Type: text/vcard"])
            .args(["--data-binary", "@-"])
            .arg(format!("{}{uid}.vcf", self.url))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("curl runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(card.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            matches!(status(&out), 201 | 204),
            "PUT {uid}: {}",
            status(&out)
        );
    }

    fn delete(&self, uid: &str) {
        let out = curl(&["-X", "DELETE", &format!("{}{uid}.vcf", self.url)]);
        assert!(
            matches!(status(&out), 200 | 204),
            "DELETE {uid}: {}",
            status(&out)
        );
    }

    /// Every card on the server, as the server serves its address book.
    fn cards(&self) -> String {
        let out = curl(&[&self.url]);
        assert_eq!(status(&out), 200);
        String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
    }
}

fn card(uid: &str, name: &str, email: &str, title: &str) -> String {
    let (first, last) = name.split_once(' ').unwrap_or((name, ""));
    format!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{last};{first};;;\r\nEMAIL;TYPE=work:{email}\r\nTITLE:{title}\r\nORG:Acme Robotics\r\nEND:VCARD\r\n"
    )
}

/// The cards of a vCard text by UID, each with the first value of each property by its name
/// (`FN`, `EMAIL`, `TITLE`).
fn cards_by_uid(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let unfolded = text
        .replace("\r\n", "\n")
        .replace("\n ", "")
        .replace("\n\t", "");
    let mut cards = BTreeMap::new();
    let mut card = BTreeMap::new();
    for line in unfolded.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let name = name.split(';').next().unwrap_or(name);
        let name = name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase();
        match name.as_str() {
            "BEGIN" => card = BTreeMap::new(),
            "END" => {
                let uid = card.get("UID").cloned().expect("a card with a UID");
                assert!(
                    cards.insert(uid, std::mem::take(&mut card)).is_none(),
                    "a UID twice"
                );
            }
            _ => {
                card.entry(name).or_insert_with(|| value.to_string());
            }
        }
    }
    cards
}

/// kith, vdirsyncer and khard on one folder, and the Radicale server vdirsyncer syncs it with.
struct Setup {
    k: Kith,
    server: Radicale,
    vdir: PathBuf,
    vdirsyncer: PathBuf,
    khard: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let k = Kith::new();
        let server = Radicale::start(k.dir.path());
        let vdir = k.path("vdir");
        std::fs::create_dir_all(&vdir).unwrap();
        std::fs::create_dir_all(k.path("status")).unwrap();
        let vdirsyncer = k.path("vdirsyncer.conf");
        std::fs::write(
            &vdirsyncer,
            format!(
                "[general]\nstatus_path = \"{status}/\"\n\n[pair contacts]\na = \"kith\"\nb = \"radicale\"\n\
                 collections = null\nconflict_resolution = null\n\n[storage kith]\ntype = \"filesystem\"\n\
                 path = \"{vdir}/\"\nfileext = \".vcf\"\n\n[storage radicale]\ntype = \"carddav\"\n\
                 url = \"{url}\"\nusername = \"kith\"\npassword = \"kith\"\n",
                status = k.path("status").display(),
                vdir = vdir.display(),
                url = server.url
            ),
        )
        .unwrap();
        let khard = k.path("khard.conf");
        std::fs::write(
            &khard,
            format!(
                "[addressbooks]\n[[kith]]\npath = {}\n\n[general]\ndefault_action = list\n",
                vdir.display()
            ),
        )
        .unwrap();
        let s = Setup {
            k,
            server,
            vdir,
            vdirsyncer,
            khard,
        };
        let out = s.vdirsyncer_run(&["discover", "contacts"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        s
    }

    fn vdirsyncer_run(&self, args: &[&str]) -> Output {
        Command::new("vdirsyncer")
            .arg("-c")
            .arg(&self.vdirsyncer)
            .args(args)
            .env("HOME", self.k.dir.path())
            .stdin(Stdio::null())
            .output()
            .expect("vdirsyncer runs")
    }

    fn vdirsyncer_sync(&self) {
        let out = self.vdirsyncer_run(&["sync"]);
        assert!(
            out.status.success(),
            "vdirsyncer sync: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn kith_sync(&self) -> Output {
        self.k.run(&["sync", "--vdir", self.vdir.to_str().unwrap()])
    }

    fn kith_sync_ok(&self) -> String {
        let out = self.kith_sync();
        assert!(
            out.status.success(),
            "kith sync: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn person(&self, name: &str) -> Option<Value> {
        self.k
            .contacts_json()
            .into_iter()
            .find(|c| c["full_name"] == name)
    }

    /// Every card of the vdir folder, by UID.
    fn folder_cards(&self) -> BTreeMap<String, BTreeMap<String, String>> {
        let mut text = String::new();
        for e in std::fs::read_dir(&self.vdir).unwrap() {
            let path = e.unwrap().path();
            if path.extension().is_some_and(|x| x == "vcf") {
                text.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
        cards_by_uid(&text)
    }

    fn files(&self) -> usize {
        std::fs::read_dir(&self.vdir)
            .unwrap()
            .filter(|e| {
                let e = e.as_ref().unwrap();
                e.file_name().to_string_lossy().ends_with(".vcf")
            })
            .count()
    }
}

#[test]
fn kith_and_a_carddav_server_stay_in_step_through_vdirsyncer() {
    let s = Setup::new();
    let k = &s.k;
    k.add_lead("Acme Robotics", &[]);
    k.add_contact(
        "Acme Robotics",
        "Ada",
        &["--last", "Lovelace", "--email", "ada@acme.example"],
    );

    // Added in kith: on the server after kith sync and vdirsyncer sync.
    s.kith_sync_ok();
    s.vdirsyncer_sync();
    assert!(
        s.server.cards().contains("FN:Ada Lovelace"),
        "{}",
        s.server.cards()
    );

    // Added on the server: in kith, at the company its ORG names.
    s.server.put(
        "srv-1",
        &card(
            "srv-1",
            "Grace Hopper",
            "grace@acme.example",
            "Rear Admiral",
        ),
    );
    s.vdirsyncer_sync();
    s.kith_sync_ok();
    let grace = s
        .person("Grace Hopper")
        .expect("the server's card reached kith");
    assert_eq!(grace["parent"]["name"], "Acme Robotics");
    assert_eq!(grace["uid"], "srv-1");

    // khard reads the folder kith keeps.
    let out = Command::new("khard")
        .arg("-c")
        .arg(&s.khard)
        .arg("list")
        .env("HOME", k.dir.path())
        .output()
        .expect("khard runs");
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.contains("Ada Lovelace") && listed.contains("Grace Hopper"),
        "{listed}"
    );

    // An edit on each side goes across.
    let ada = s.person("Ada Lovelace").unwrap();
    k.ok(&[
        "contact",
        "edit",
        &ada["id"].to_string(),
        "--title",
        "Analyst",
    ]);
    s.server.put(
        "srv-1",
        &card("srv-1", "Grace Hopper", "grace@acme.example", "Commodore"),
    );
    s.vdirsyncer_sync();
    s.kith_sync_ok();
    s.vdirsyncer_sync();
    assert!(
        s.server.cards().contains("TITLE:Analyst"),
        "{}",
        s.server.cards()
    );
    assert_eq!(s.person("Grace Hopper").unwrap()["title"], "Commodore");

    // A deletion on each side goes across.
    s.server.put(
        "srv-2",
        &card("srv-2", "Alan Turing", "alan@acme.example", "Cryptanalyst"),
    );
    s.vdirsyncer_sync();
    s.kith_sync_ok();
    assert!(s.person("Alan Turing").is_some());
    k.ok(&["contact", "delete", &ada["id"].to_string()]);
    s.server.delete("srv-2");
    s.kith_sync_ok();
    s.vdirsyncer_sync();
    s.kith_sync_ok();
    assert!(s.person("Alan Turing").is_none(), "deleted on the server");
    let cards = s.server.cards();
    assert!(!cards.contains("Ada Lovelace"), "deleted in kith: {cards}");
    assert!(cards.contains("Grace Hopper"));

    // An edit on both sides at once: a conflict, both versions kept, neither taken.
    let grace = s.person("Grace Hopper").unwrap();
    k.ok(&[
        "contact",
        "edit",
        &grace["id"].to_string(),
        "--title",
        "Admiral (kith)",
    ]);
    s.server.put(
        "srv-1",
        &card(
            "srv-1",
            "Grace Hopper",
            "grace@acme.example",
            "Admiral (server)",
        ),
    );
    s.vdirsyncer_sync();
    let out = s.kith_sync();
    assert_eq!(out.status.code(), Some(1), "a conflict is exit 1");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("srv-1"), "the conflict is named: {report}");
    assert_eq!(
        s.person("Grace Hopper").unwrap()["title"],
        "Admiral (kith)",
        "kith's kept"
    );
    let file = std::fs::read_to_string(s.vdir.join("srv-1.vcf")).unwrap();
    assert!(file.contains("Admiral (server)"), "the file's kept: {file}");
    // The user chooses the server's.
    k.ok(&[
        "sync",
        "--vdir",
        s.vdir.to_str().unwrap(),
        "--keep-file",
        "srv-1",
    ]);
    assert_eq!(
        s.person("Grace Hopper").unwrap()["title"],
        "Admiral (server)"
    );
    s.kith_sync_ok();
}

#[test]
fn a_sync_killed_at_any_moment_is_finished_by_the_next_one() {
    let s = Setup::new();
    let k = &s.k;
    k.add_lead("Acme Robotics", &[]);
    let csv = k.path("people.csv");
    let mut rows = String::from("parent,first_name,last_name,email\n");
    for i in 0..300 {
        rows.push_str(&format!("Acme Robotics,P{i},Person,p{i}@acme.example\n"));
    }
    std::fs::write(&csv, rows).unwrap();
    k.ok(&["import", csv.to_str().unwrap()]);
    // What each person should be once all is synced, by name: address and title.
    let mut want: BTreeMap<String, (String, Option<String>)> = (0..300)
        .map(|i| (format!("P{i} Person"), (format!("p{i}@acme.example"), None)))
        .collect();
    let names_by_id: BTreeMap<String, String> = k
        .contacts_json()
        .iter()
        .map(|p| {
            (
                p["id"].to_string(),
                p["full_name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    for round in 0..12 {
        // Changes on both sides between the kills.
        s.server.put(
            &format!("srv-{round}"),
            &card(
                &format!("srv-{round}"),
                &format!("Server Person{round}"),
                &format!("s{round}@acme.example"),
                "Buyer",
            ),
        );
        want.insert(
            format!("Server Person{round}"),
            (format!("s{round}@acme.example"), Some("Buyer".to_string())),
        );
        s.vdirsyncer_sync();
        let id = (round % 300 + 1).to_string();
        k.ok(&["contact", "edit", &id, "--title", &format!("Title {round}")]);
        want.get_mut(&names_by_id[&id]).unwrap().1 = Some(format!("Title {round}"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_kith"))
            .arg("--db")
            .arg(&k.db)
            .args(["sync", "--vdir", s.vdir.to_str().unwrap()])
            .env_remove("KITH_DB")
            .env("KITH_CONFIG", &k.config)
            .env("XDG_CONFIG_HOME", k.path("xdg-config"))
            .env("XDG_DATA_HOME", k.path("xdg-data"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        std::thread::sleep(Duration::from_micros(rng % 400_000));
        // SAFETY: kill(2) on the child this test started.
        unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
        let _ = child.wait();
        k.ok(&["check"]);
    }
    let out = s.kith_sync();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    s.vdirsyncer_sync();
    let again = s.kith_sync_ok();
    assert!(again.contains(" 0 conflicts, 0 bad files"), "{again}");
    // Both sides equal: every person as written on either side, the edits in, one file per
    // person, no one twice, the server holding the same cards.
    let people = k.contacts_json();
    let found: BTreeMap<String, (String, Option<String>)> = people
        .iter()
        .map(|p| {
            let name = p["full_name"].as_str().unwrap().to_string();
            let email = p["email"].as_str().unwrap_or_default().to_string();
            (name, (email, p["title"].as_str().map(str::to_string)))
        })
        .collect();
    assert_eq!(found.len(), people.len(), "no one twice");
    assert_eq!(found, want, "kith holds what was written on both sides");
    let as_cards: BTreeMap<String, BTreeMap<String, String>> = people
        .iter()
        .map(|p| {
            let mut card = BTreeMap::new();
            card.insert("UID".to_string(), p["uid"].as_str().unwrap().to_string());
            card.insert(
                "FN".to_string(),
                p["full_name"].as_str().unwrap().to_string(),
            );
            card.insert(
                "EMAIL".to_string(),
                p["email"].as_str().unwrap().to_string(),
            );
            if let Some(title) = p["title"].as_str() {
                card.insert("TITLE".to_string(), title.to_string());
            }
            (card["UID"].clone(), card)
        })
        .collect();
    let keep = |cards: BTreeMap<String, BTreeMap<String, String>>| {
        cards
            .into_iter()
            .map(|(uid, mut card)| {
                card.retain(|name, _| ["UID", "FN", "EMAIL", "TITLE"].contains(&name.as_str()));
                (uid, card)
            })
            .collect::<BTreeMap<_, _>>()
    };
    assert_eq!(as_cards.len(), people.len(), "no UID twice");
    assert_eq!(s.files(), people.len(), "one file per person");
    assert_eq!(
        keep(s.folder_cards()),
        as_cards,
        "the folder holds kith's people"
    );
    assert_eq!(
        keep(cards_by_uid(&s.server.cards())),
        as_cards,
        "the server holds kith's people"
    );
    let err = k.fails(&["sync"]);
    assert!(
        one_line(&err).contains("vdir"),
        "no folder given or configured: {err}"
    );
}
