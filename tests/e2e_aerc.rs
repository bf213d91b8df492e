//! End to end: the real aerc, in a real terminal (tmux), on an account over a local maildir,
//! completes addresses through `kith query --format aerc` and pipes a message to `kith log` with
//! the command README.md gives.
//!
//! Needs `tmux` and `aerc` (CI installs both with apt).

#[path = "e2e/harness.rs"]
mod harness;

use harness::Term;
use std::path::Path;

/// A terminal whose aerc has one account, on a maildir holding one message from Ada, with
/// kith's address book; kith's store has Ada at Acme Robotics.
fn aerc_with_kith(name: &str) -> Term {
    let mut t = Term::new(name);
    t.width = 100;
    t.height = 30;
    t.cli_ok(&["lead", "add", "--name", "Acme Robotics"]);
    for (first, last, email) in [
        ("Ada", "Lovelace", "ada@acme.example"),
        ("Adam", "Smith", "adam@acme.example"),
    ] {
        t.cli_ok(&[
            "contact",
            "add",
            "--parent",
            "Acme Robotics",
            "--first",
            first,
            "--last",
            last,
            "--email",
            email,
        ]);
    }
    let inbox = t.path("Mail/INBOX");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(inbox.join(sub)).unwrap();
    }
    std::fs::write(
        inbox.join("cur/1764493200.1.example:2,S"),
        "From: Ada Lovelace <ada@acme.example>\nTo: Me <me@mine.example>\nSubject: Tea on Friday\n\
         Date: Mon, 30 Nov 2026 09:00:00 +0000\nMessage-ID: <tea@acme.example>\n\nShall we have tea?\n",
    )
    .unwrap();
    let config = t.path("xdg/aerc");
    std::fs::create_dir_all(&config).unwrap();
    let accounts = config.join("accounts.conf");
    std::fs::write(
        &accounts,
        format!(
            "[local]\nsource = maildir://{}\noutgoing = /bin/true\ndefault = INBOX\n\
             from = Me <me@mine.example>\naddress-book-cmd = kith query --format aerc \"%s\"\n",
            t.path("Mail").display()
        ),
    )
    .unwrap();
    // aerc refuses an accounts.conf others can read.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&accounts, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::write(config.join("aerc.conf"), "[general]\n[ui]\n").unwrap();
    let kith_config = t.path("kith.toml");
    std::fs::write(&kith_config, "[mail]\nfrom = \"me@mine.example\"\n").unwrap();
    t.config = kith_config;
    let home = t.path("home");
    std::fs::create_dir_all(&home).unwrap();
    let xdg = t.path("xdg");
    t.env("HOME", &home.to_string_lossy());
    t.env("XDG_CONFIG_HOME", &xdg.to_string_lossy());
    t.start_program("aerc");
    t.wait_for("Tea on Friday");
    t
}

#[test]
fn aerc_completes_the_to_field_from_kith() {
    let t = aerc_with_kith("aerc-complete");
    t.keys(&["C"]);
    t.wait_for("To:");
    t.type_text("lovel");
    // aerc's completion popover, filled by `kith query --format aerc`.
    let screen = t.wait_for("\"Ada Lovelace\" <ada@acme.example>");
    assert!(!screen.contains("adam@acme.example"), "{screen}");
}

/// The aerc command README.md binds to a key, without the key and the `<Enter>`.
fn readme_pipe_command() -> String {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let line = readme
        .lines()
        .find(|l| l.contains(":pipe") && l.contains("kith log"))
        .expect("README.md gives an aerc binding for kith log");
    let command = line.split_once(" = ").expect("KEY = COMMAND").1;
    command.trim_end_matches("<Enter>").to_string()
}

#[test]
fn aerc_pipes_the_selected_message_to_kith_log() {
    let t = aerc_with_kith("aerc-log");
    let command = readme_pipe_command();
    assert!(command.starts_with(":pipe"), "{command}");
    t.type_text(&command);
    t.keys(&["Enter"]);
    let deadline = std::time::Instant::now() + harness::TIMEOUT;
    let logged = || -> Option<(String, String, String)> {
        t.sqlite()
            .query_row(
                "SELECT a.subject, a.direction, c.full_name FROM activities a
                   JOIN contacts c ON c.id = a.contact_id WHERE a.kind = 'email'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .ok()
    };
    while logged().is_none() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(
        logged(),
        Some((
            "Tea on Friday".to_string(),
            "received".to_string(),
            "Ada Lovelace".to_string()
        )),
        "{}",
        t.screen()
    );
}
