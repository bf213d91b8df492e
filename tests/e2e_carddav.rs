//! End to end with real parts only: Radicale (Debian's package) serving CardDAV on 127.0.0.1,
//! vdirsyncer syncing it with kith's vdir folder, khard reading that folder, and kith's
//! `kith sync` between the folder and the store.
//!
//! Needs radicale, vdirsyncer, khard and curl (CI installs them with apt).

mod common;

use common::{one_line, Kith};
use serde_json::Value;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

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
        // A port the kernel says is free now; Radicale binds it a moment later.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let storage = dir.join("radicale");
        let child = Command::new("radicale")
            .arg(format!("--storage-filesystem-folder={}", storage.display()))
            .arg(format!("--server-hosts=127.0.0.1:{port}"))
            .arg("--auth-type=none")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("radicale runs");
        let base = format!("http://127.0.0.1:{port}");
        let server = Radicale {
            child,
            url: format!("{base}/kith/contacts/"),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while status(&curl(&[&format!("{base}/")])) == 0 {
            assert!(Instant::now() < deadline, "radicale did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
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
        let file =
            std::env::temp_dir().join(format!("kith-e2e-card-{}-{uid}.vcf", std::process::id()));
        std::fs::write(&file, card).unwrap();
        let out = curl(&[
            "-X",
            "PUT",
            "-H",
            "Content-Type: text/vcard",
            "--data-binary",
            &format!("@{}", file.display()),
            &format!("{}{uid}.vcf", self.url),
        ]);
        let _ = std::fs::remove_file(&file);
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
        s.vdirsyncer_sync();
        let id = (round % 300 + 1).to_string();
        k.ok(&["contact", "edit", &id, "--title", &format!("Title {round}")]);
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
    // Both sides equal: one file per person, no one twice, the server holding the same.
    let people = k.contacts_json();
    assert_eq!(people.len(), 312);
    assert_eq!(s.files(), 312, "one file per person");
    let uids: std::collections::BTreeSet<String> = people
        .iter()
        .map(|p| p["uid"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(uids.len(), 312, "no one twice");
    assert_eq!(s.server.cards().matches("BEGIN:VCARD").count(), 312);
    let err = k.fails(&["sync"]);
    assert!(
        one_line(&err).contains("vdir"),
        "no folder given or configured: {err}"
    );
}
