//! End to end: the real mutt, in a real terminal (tmux), pipes the message under the cursor to
//! `kith log` with the macro README.md gives, and the email lands on the person's timeline.
//!
//! Needs `tmux` and `mutt` (CI installs both with apt).

#[path = "e2e/harness.rs"]
mod harness;

use harness::{shell_quote, Term};

/// The mutt macro README.md gives, copied from it so that a change there is tested here.
fn readme_macro() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    readme
        .lines()
        .find(|l| l.starts_with("macro index,pager") && l.contains("kith log"))
        .expect("README.md gives a mutt macro for kith log")
        .to_string()
}

fn message(id: &str, from: &str, subject: &str, body: &str) -> String {
    format!(
        "From: {from}\nTo: Me <me@mine.example>\nSubject: {subject}\nDate: Mon, 30 Nov 2026 09:00:00 +0000\nMessage-ID: <{id}>\n\n{body}\n"
    )
}

#[test]
fn mutt_pipes_the_message_under_the_cursor_to_kith_log_with_the_readme_macro() {
    let mut t = Term::new("mutt");
    t.width = 100;
    t.height = 30;
    t.cli_ok(&["lead", "add", "--name", "Acme Robotics"]);
    t.cli_ok(&[
        "contact",
        "add",
        "--parent",
        "Acme Robotics",
        "--first",
        "Ada",
        "--last",
        "Lovelace",
        "--email",
        "ada@acme.example",
    ]);
    // A maildir holding two messages from Ada.
    let maildir = t.path("Mail");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    std::fs::write(
        maildir.join("cur/1764493200.1.example:2,S"),
        message(
            "engine-1@acme.example",
            "Ada Lovelace <ada@acme.example>",
            "The analytical engine",
            "Notes on the engine attached.",
        ),
    )
    .unwrap();
    std::fs::write(
        maildir.join("cur/1764493300.2.example:2,S"),
        message(
            "tea-2@acme.example",
            "Ada Lovelace <ada@acme.example>",
            "Tea on Friday",
            "Shall we have tea?",
        ),
    )
    .unwrap();
    let muttrc = t.path("muttrc");
    std::fs::write(
        &muttrc,
        format!(
            "set mbox_type=Maildir\nset folder={dir}\nset spoolfile={dir}\nset sort=date\n\
             set pipe_decode=no\nset confirmappend=no\nset mark_old=no\n{macro}\n",
            dir = shell_quote(&maildir.to_string_lossy()),
            macro = readme_macro()
        ),
    )
    .unwrap();
    let config = t.path("kith.toml");
    std::fs::write(&config, "[mail]\nfrom = \"me@mine.example\"\n").unwrap();
    t.config = config;
    t.start_program(&format!(
        "mutt -n -F {} -f {}",
        shell_quote(&muttrc.to_string_lossy()),
        shell_quote(&maildir.to_string_lossy())
    ));
    t.wait_for("The analytical engine");
    t.wait_for("Tea on Friday");
    let logged = || -> Vec<(String, String)> {
        let db = t.sqlite();
        let mut stmt = db
            .prepare("SELECT subject, direction FROM activities WHERE kind = 'email' ORDER BY id")
            .unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        rows.map(Result::unwrap).collect()
    };
    // mutt shows what the piped command printed, once it has ended, until a key is pressed
    // (`wait_key`, on by default): kith's answer on the screen means kith is done. The screen
    // outside mutt keeps the answers before it, so the `n`th pipe's is the `n`th prompt's line.
    let pipe_and_wait_for = |n: usize, said: &str| {
        const PROMPT: &str = "Press any key to continue";
        t.keys(&["C-l"]);
        t.wait_until(&format!("pipe {n} answering {said:?}"), |s| {
            let lines: Vec<&str> = s.lines().collect();
            let prompts: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].contains(PROMPT))
                .collect();
            prompts.len() == n && prompts[n - 1] > 0 && lines[prompts[n - 1] - 1].contains(said)
        });
        t.keys(&["Space"]);
        t.wait_gone(PROMPT);
    };
    // The first message (`=`: mutt's first entry), from the index.
    t.keys(&["="]);
    pipe_and_wait_for(1, "Logged (received) for Ada Lovelace (Acme Robotics)");
    assert_eq!(
        logged(),
        [("The analytical engine".to_string(), "received".to_string())],
        "{}",
        t.screen()
    );
    // The second, from the pager, twice: logged once.
    t.keys(&["j", "Enter"]);
    t.wait_for("Shall we have tea?");
    pipe_and_wait_for(2, "Logged (received) for Ada Lovelace (Acme Robotics)");
    pipe_and_wait_for(3, "Logged before for Ada Lovelace (Acme Robotics)");
    assert_eq!(logged().len(), 2, "{}", t.screen());
    // Both are on Ada's timeline, as kith shows it.
    let shown = t.cli_ok(&["show", "Acme Robotics"]);
    assert!(shown.contains("Tea on Friday"), "{shown}");
    assert!(
        shown.contains("about Ada Lovelace: The analytical engine"),
        "{shown}"
    );
    t.keys(&["q", "q"]);
}
