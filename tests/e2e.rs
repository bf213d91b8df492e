//! End-to-end tests: the real `kith` binary in a real terminal (tmux), typed at as a person
//! would, checked by what the screen shows, what the store holds afterwards, and whether the
//! terminal was given back as it was found.
//!
//! Needs `tmux` (CI installs it with apt).

#[path = "e2e/harness.rs"]
mod harness;

use harness::{colour_sequences, has_sgr_param, line_with, Term};
use serde_json::Value;
use std::time::{Duration, Instant};

/// The contact called `name` in a `contacts` JSON array.
fn contact<'a>(contacts: &'a Value, name: &str) -> &'a Value {
    contacts
        .as_array()
        .expect("contacts is an array")
        .iter()
        .find(|c| c["full_name"] == name)
        .unwrap_or_else(|| panic!("no contact {name:?} in {contacts:#}"))
}

#[test]
fn the_spec_journey_from_an_empty_store_to_a_customer() {
    let mut t = Term::new("journey");
    t.start();
    t.wait_for("Welcome to kith.");

    // A new lead, typed into the form.
    t.keys(&["L"]);
    t.wait_for("New lead");
    t.type_text("Acme Robotics");
    t.keys(&["Tab"]);
    t.type_text("Ada Lovelace");
    t.keys(&["Tab"]);
    t.type_text("ada@acme-robotics.com");
    t.wait_for_line(&["Email", "ada@acme-robotics.com"]);
    t.keys(&["C-s"]);
    t.wait_gone("New lead");
    t.wait_for_line(&["Lead", "Acme Robotics", "New"]);
    assert!(
        !t.screen().contains("Welcome to kith."),
        "the welcome screen stays after the first lead:\n{}",
        t.screen()
    );

    // Its detail view, and a contact through the contact form.
    t.keys(&["Enter"]);
    t.wait_for_line(&["Lead #", "Acme Robotics"]);
    t.keys(&["a"]);
    t.wait_for("New contact at Acme Robotics");
    t.type_text("Grace");
    t.keys(&["Tab"]);
    t.type_text("Hopper");
    t.keys(&["Tab", "Tab"]);
    t.type_text("grace@acme-robotics.com");
    t.keys(&["Tab", "Tab"]);
    t.type_text("CTO");
    t.wait_for_line(&["Title", "CTO"]);
    t.keys(&["C-s"]);
    t.wait_gone("New contact at");
    t.wait_for_line(&["Grace Hopper", "CTO", "grace@acme-robotics.com"]);

    // A note.
    t.keys(&["n"]);
    t.wait_for("Note about Grace Hopper");
    t.type_text("Met at the fair");
    t.keys(&["C-s"]);
    t.wait_gone("Note about Grace Hopper");
    t.wait_for("Met at the fair");

    // Back to the list, then find her by title.
    t.escape();
    t.wait_for_line(&["Lead", "Acme Robotics"]);
    t.wait_for("Primary contact");
    t.keys(&["t"]);
    t.wait_for("Title:");
    t.type_text("cto");
    t.wait_for("Title: cto");
    t.wait_for_line(&["Grace Hopper", "CTO", "Acme Robotics"]);
    // Her card: a note from there is about her.
    t.keys(&["Enter"]);
    t.wait_for_line(&["Person #", "Grace Hopper", "CTO at Acme Robotics"]);
    t.keys(&["n"]);
    t.wait_for("Note about Grace Hopper");
    t.escape();
    t.wait_gone("Note about Grace Hopper");
    // Her company, from her card.
    t.keys(&["o"]);
    t.wait_for_line(&["Lead #", "Acme Robotics"]);
    t.wait_for_line(&["Grace Hopper", "CTO"]);

    // Convert, after confirming.
    t.keys(&["c"]);
    t.wait_for("Convert Acme Robotics into a customer?");
    t.keys(&["y"]);
    let header = t.wait_for_line(&["Customer #", "Acme Robotics", "from lead"]);
    assert!(!header.contains("Lead #"), "header: {header}");
    t.wait_for_line(&["Ada Lovelace", "ada@acme-robotics.com"]);
    t.wait_for_line(&["Grace Hopper", "CTO"]);
    // Back is back: her card, the title search, the list.
    t.escape();
    t.wait_for_line(&["Person #", "Grace Hopper"]);
    t.escape();
    t.wait_for("Title: cto");
    t.escape();
    t.wait_for_line(&["Cust", "Acme Robotics"]);
    t.keys(&["q"]);
    assert_eq!(t.assert_restored(), 0, "kith exits 0 on q");

    // What the store says.
    let shown = t.cli_json(&["show", "Acme Robotics"]);
    assert_eq!(shown["kind"], "customer", "{shown:#}");
    let contacts = &shown["contacts"];
    let grace = contact(contacts, "Grace Hopper");
    assert_eq!(grace["title"], "CTO");
    assert_eq!(grace["first_name"], "Grace");
    assert_eq!(grace["last_name"], "Hopper");
    assert_eq!(grace["email"], "grace@acme-robotics.com");
    let ada = contact(contacts, "Ada Lovelace");
    assert_eq!(ada["email"], "ada@acme-robotics.com", "{shown:#}");
    let bodies: Vec<&str> = shown["activities"]
        .as_array()
        .expect("activities is an array")
        .iter()
        .filter_map(|a| a["body"].as_str())
        .collect();
    assert_eq!(bodies, ["Met at the fair"], "{shown:#}");
}

#[test]
fn a_status_change_asks_for_the_reason_and_keeps_it() {
    let mut t = Term::new("status");
    t.cli_ok(&["lead", "add", "--name", "Bolt Works"]);
    t.start();
    t.wait_for_line(&["Lead", "Bolt Works", "New"]);
    t.keys(&["Enter"]);
    t.wait_for_line(&["Lead #", "Bolt Works", "New"]);
    t.keys(&["s"]);
    t.wait_for("Status (now New)");
    t.wait_for("Contacted");
    // Down twice and up once: the second option.
    t.keys(&["j", "Down", "k", "Down"]);
    t.keys(&["Up", "Enter"]);
    t.wait_for("Bolt Works: New → Contacted");
    // The reason is required.
    t.keys(&["C-s"]);
    t.wait_for("is required");
    t.wait_for("Bolt Works: New → Contacted");
    t.type_text("Called, interested");
    t.wait_for_line(&["Reason", "Called, interested"]);
    t.keys(&["C-s"]);
    t.wait_gone("New → Contacted");
    t.wait_for_line(&["Lead #", "Bolt Works", "Contacted"]);
    t.escape();
    t.wait_for_line(&["Lead", "Bolt Works", "Contacted"]);
    t.keys(&["q"]);
    assert_eq!(t.assert_restored(), 0);

    let shown = t.cli_json(&["show", "Bolt Works"]);
    assert_eq!(shown["status"], "contacted", "{shown:#}");
    let statuses = t.sql("SELECT count(*) FROM history WHERE action = 'status'", &[]);
    assert_eq!(statuses.as_deref(), Some("1"), "one status change");
    let reason = t.sql("SELECT reason FROM history WHERE action = 'status'", &[]);
    assert_eq!(reason.as_deref(), Some("Called, interested"));
}

#[test]
fn deleting_a_contact_asks_first() {
    let mut t = Term::new("delete");
    t.cli_ok(&["lead", "add", "--name", "Copper Mill"]);
    t.cli_ok(&[
        "contact",
        "add",
        "--parent",
        "Copper Mill",
        "--first",
        "Grace",
        "--last",
        "Hopper",
        "--title",
        "CTO",
    ]);
    let count = |t: &Term| {
        t.cli_json(&["contacts", "--parent", "Copper Mill"])
            .as_array()
            .expect("an array")
            .len()
    };
    t.start();
    t.wait_for("Copper Mill");
    t.keys(&["Enter"]);
    t.wait_for_line(&["Grace Hopper", "CTO"]);

    t.keys(&["d"]);
    t.wait_for("Delete Grace Hopper from Copper Mill?");
    t.keys(&["n"]);
    t.wait_gone("Delete Grace Hopper");
    t.wait_for_line(&["Grace Hopper", "CTO"]);
    assert_eq!(count(&t), 1, "n kept the contact");

    t.keys(&["d"]);
    t.wait_for("Delete Grace Hopper from Copper Mill?");
    t.keys(&["y"]);
    t.wait_for("No contacts yet");
    assert!(line_with(&t.screen(), &["Grace Hopper", "CTO"]).is_none());
    assert_eq!(count(&t), 0, "y deleted the contact");

    t.escape();
    t.wait_for("Primary contact");
    t.keys(&["q"]);
    assert_eq!(t.assert_restored(), 0);
}

#[test]
fn another_process_write_appears_without_a_key_press() {
    let mut t = Term::new("teammate");
    t.cli_ok(&["lead", "add", "--name", "First Lead"]);
    t.start();
    t.wait_for_line(&["Lead", "First Lead"]);
    t.cli_ok(&["lead", "add", "--name", "Teammate Lead"]);
    t.wait_for_line(&["Lead", "Teammate Lead"]);
    t.wait_for("All 2");
    t.keys(&["q"]);
    assert_eq!(t.assert_restored(), 0);
}

#[test]
fn two_people_in_kith_on_one_store_see_each_others_changes() {
    let mut alice = Term::new("alice");
    alice.cli_ok(&["lead", "add", "--name", "First Lead"]);
    let mut bob = alice.beside("bob");
    alice.start();
    bob.start();
    alice.wait_for_line(&["Lead", "First Lead"]);
    bob.wait_for_line(&["Lead", "First Lead"]);

    // Alice adds a lead in her kith; Bob's shows it without a key press, and the other way.
    alice.keys(&["L"]);
    alice.wait_for("New lead");
    alice.type_text("Alices Lead");
    alice.keys(&["C-s"]);
    alice.wait_gone("New lead");
    bob.wait_for_line(&["Lead", "Alices Lead"]);
    bob.keys(&["L"]);
    bob.wait_for("New lead");
    bob.type_text("Bobs Lead");
    bob.keys(&["C-s"]);
    bob.wait_gone("New lead");
    alice.wait_for_line(&["Lead", "Bobs Lead"]);
    alice.wait_for("All 3");
    bob.wait_for("All 3");
    alice.keys(&["q"]);
    bob.keys(&["q"]);
    assert_eq!(alice.assert_restored(), 0);
    assert_eq!(bob.assert_restored(), 0);
}

#[test]
fn a_bad_email_is_shown_on_its_field_and_nothing_is_saved() {
    let mut t = Term::new("validation");
    t.cli_ok(&["lead", "add", "--name", "Delta Labs"]);
    t.start();
    t.wait_for("Delta Labs");
    t.keys(&["Enter"]);
    t.wait_for_line(&["Lead #", "Delta Labs"]);
    t.keys(&["a"]);
    t.wait_for("New contact at Delta Labs");
    t.type_text("Ada");
    t.keys(&["Tab", "Tab", "Tab"]);
    t.type_text("nope");
    t.wait_for_line(&["Email", "nope"]);
    t.keys(&["C-s"]);
    let screen = t.wait_for("not an email address");
    // The message sits right under the email field, and the form stays open.
    let lines: Vec<&str> = screen.lines().collect();
    let email_row = lines
        .iter()
        .position(|l| l.contains("Email") && l.contains("nope"))
        .unwrap_or_else(|| panic!("no email row:\n{screen}"));
    assert!(
        lines[email_row + 1].contains("not an email address"),
        "the error is not under the email field:\n{screen}"
    );
    assert!(screen.contains("New contact at Delta Labs"), "{screen}");
    let saved = t.cli_json(&["contacts", "--parent", "Delta Labs"]);
    assert_eq!(saved, serde_json::json!([]), "nothing is saved");

    // Cancelling asks first, since something was typed.
    t.escape();
    t.wait_for("Discard what you typed?");
    t.keys(&["y"]);
    t.wait_gone("New contact at Delta Labs");
    t.wait_for("No contacts yet");
    let saved = t.cli_json(&["contacts", "--parent", "Delta Labs"]);
    assert_eq!(saved, serde_json::json!([]), "nothing is saved");
    t.escape();
    t.wait_for("Primary contact");
    t.keys(&["q"]);
    assert_eq!(t.assert_restored(), 0);
}

#[test]
fn q_gives_the_terminal_back() {
    let mut t = Term::new("quit");
    t.start();
    t.wait_for("Welcome to kith.");
    t.keys(&["q"]);
    assert_eq!(t.assert_restored(), 0);
}

/// A store with one lead, kith open on its list, then `signal`: the terminal comes back.
fn signal_restores(name: &str, signal: libc::c_int) {
    let mut t = Term::new(name);
    t.cli_ok(&["lead", "add", "--name", "Signal Co"]);
    t.start();
    t.wait_for_line(&["Lead", "Signal Co"]);
    t.signal(signal);
    let code = t.assert_restored();
    assert!(
        code == 0 || code == 128 + signal,
        "kith exited {code} after signal {signal}"
    );
    let screen = t.screen();
    assert!(
        !screen.contains("panicked"),
        "kith panicked on the signal:\n{screen}"
    );
}

#[test]
fn sigterm_gives_the_terminal_back() {
    signal_restores("sigterm", libc::SIGTERM);
}

#[test]
fn sighup_gives_the_terminal_back() {
    signal_restores("sighup", libc::SIGHUP);
}

#[test]
fn sigint_gives_the_terminal_back() {
    signal_restores("sigint", libc::SIGINT);
}

#[test]
fn sigquit_gives_the_terminal_back() {
    signal_restores("sigquit", libc::SIGQUIT);
}

#[test]
fn ctrl_c_gives_the_terminal_back() {
    let mut t = Term::new("ctrl-c");
    t.cli_ok(&["lead", "add", "--name", "Signal Co"]);
    t.start();
    t.wait_for_line(&["Lead", "Signal Co"]);
    t.keys(&["C-c"]);
    assert_eq!(t.assert_restored(), 0, "Ctrl-C is quit, not a kill");
}

/// Ctrl-C over typed text asks first, as Esc does: "no" keeps the form and what was typed,
/// "yes" quits; with nothing typed it quits at once.
#[test]
fn ctrl_c_in_a_form_with_typed_text_asks_before_quitting() {
    let mut t = Term::new("ctrl-c-form");
    t.start();
    t.wait_for("Welcome to kith.");
    t.keys(&["L"]);
    t.wait_for("New lead");
    t.type_text("Quantum Widgets");
    t.wait_for("Quantum Widgets");
    t.keys(&["C-c"]);
    t.wait_for("Quit and discard what you typed?");
    assert!(
        harness::is_running(t.kith_pid()),
        "kith quit without asking"
    );
    t.keys(&["n"]);
    t.wait_gone("Quit and discard");
    let screen = t.wait_for("New lead");
    assert!(
        screen.contains("Quantum Widgets"),
        "the text is kept:\n{screen}"
    );
    t.keys(&["C-c"]);
    t.wait_for("Quit and discard what you typed?");
    t.keys(&["y"]);
    assert_eq!(t.assert_restored(), 0, "yes quits");
    let saved = t.cli_json(&["contacts"]);
    assert_eq!(saved, serde_json::json!([]), "nothing was saved");
}

#[test]
fn a_panic_gives_the_terminal_back_and_shows_its_message() {
    let mut t = Term::new("panic");
    t.env("KITH_TEST_PANIC", "1");
    t.start();
    // The hook panics in every build, after the first frame: the alternate screen, raw mode and
    // hidden cursor are all in force when it does, and assert_restored checks each is undone.
    let code = t.assert_restored();
    assert_eq!(code, 101, "a panic exits 101");
    let screen = t.screen();
    assert!(
        screen.contains("KITH_TEST_PANIC is set") && screen.contains("panicked"),
        "the panic message is not on the screen:\n{screen}"
    );
}

#[test]
fn a_small_terminal_still_works() {
    let mut t = Term::new("small");
    t.cli_ok(&["demo"]);
    let names: Vec<String> = t
        .sql("SELECT string_agg(name, '|') FROM parents", &[])
        .expect("names")
        .split('|')
        .map(str::to_string)
        .collect();
    t.start();
    t.wait_for("Primary contact");
    t.resize(40, 12);
    let screen = t.wait_until("the narrow list", |s| {
        !s.contains("Primary contact") && s.lines().any(|l| l.starts_with("Name"))
    });
    assert!(screen.lines().count() <= 12, "{screen}");
    // The parent names in view, top to bottom.
    let rows: Vec<&String> = screen
        .lines()
        .filter_map(|l| {
            names
                .iter()
                .find(|n| l.trim_start().starts_with(n.as_str()))
        })
        .collect();
    assert!(
        rows.len() >= 3,
        "fewer than 3 demo parents in view:\n{screen}"
    );

    // j j k: the second row; Enter opens it.
    t.keys(&["j", "j", "k", "Enter"]);
    let prefix: String = rows[1].chars().take(8).collect();
    let header = t.wait_until(&format!("the detail of {}", rows[1]), |s| {
        s.lines()
            .next()
            .is_some_and(|l| l.contains('#') && l.contains(&prefix))
    });
    assert!(header.contains("Contacts ("), "{header}");
    t.escape();
    t.wait_until("the narrow list again", |s| {
        s.lines().any(|l| l.starts_with("Name"))
    });

    // Find by title, and open the first match.
    t.keys(&["t"]);
    t.wait_for("Title:");
    t.type_text("cto");
    let screen = t.wait_until("title results", |s| {
        s.lines().nth(2).is_some_and(|l| !l.trim().is_empty())
            && s.lines().next().is_some_and(|l| l.contains("cto"))
    });
    let first = screen.lines().nth(2).unwrap_or_default();
    let name_cell: String = first.chars().take(12).collect();
    let name_cell = name_cell.trim();
    assert!(!name_cell.is_empty(), "{screen}");
    t.keys(&["Enter"]);
    let card = t.wait_for("Person #");
    assert!(
        card.contains(name_cell),
        "the card does not show {name_cell:?}:\n{card}"
    );
    assert!(!t.screen().contains("KITH-EXIT"), "kith is still running");

    // Back to a normal size, and out.
    t.escape();
    t.wait_for("Title:");
    t.escape();
    t.resize(80, 24);
    t.wait_for("Primary contact");
    assert!(!t.screen().contains("KITH-EXIT"), "kith is still running");
    t.keys(&["q"]);
    assert_eq!(t.assert_restored(), 0);
}

/// The screens of one short session: the list, a detail view, and a form.
fn coloured_screens(name: &str, no_color: bool) -> Vec<String> {
    let mut t = Term::new(name);
    t.cli_ok(&["lead", "add", "--name", "Hue Lead", "--email", "a@hue.test"]);
    t.cli_ok(&["customer", "add", "--name", "Hue Customer"]);
    if no_color {
        t.env("NO_COLOR", "1");
    }
    t.start();
    let mut screens = Vec::new();
    t.wait_for_line(&["Lead", "Hue Lead"]);
    t.wait_for_line(&["Cust", "Hue Customer"]);
    screens.push(t.screen_with_escapes());
    t.keys(&["Enter"]);
    t.wait_for("Contacts (0)");
    screens.push(t.screen_with_escapes());
    t.keys(&["a"]);
    t.wait_for("New contact at");
    screens.push(t.screen_with_escapes());
    t.escape();
    t.wait_gone("New contact at");
    t.escape();
    t.wait_for("Primary contact");
    t.keys(&["q"]);
    assert_eq!(t.assert_restored(), 0);
    screens
}

#[test]
fn no_color_turns_colours_off() {
    let plain = coloured_screens("nocolor", true);
    for screen in &plain {
        let found = colour_sequences(screen);
        assert!(
            found.is_empty(),
            "colour codes with NO_COLOR=1: {found:?} in\n{screen:?}"
        );
    }
    assert!(
        has_sgr_param(&plain[0], "7"),
        "without colour the selected row should be in reverse video:\n{:?}",
        plain[0]
    );

    let coloured = coloured_screens("colour", false);
    for screen in &coloured {
        assert!(
            !colour_sequences(screen).is_empty(),
            "no colour codes without NO_COLOR:\n{screen:?}"
        );
    }
}

#[test]
fn hostile_names_cannot_drive_the_terminal() {
    let mut t = Term::new("hostile");
    t.cli_ok(&["lead", "add", "--name", "Normal Lead"]);
    t.cli_ok(&["customer", "add", "--name", "Plain Customer"]);
    {
        use harness::backend::Arg;
        let now = "2024-01-01T00:00:00Z";
        let evil: i64 = t
            .sql(
                "INSERT INTO parents (id, kind, name, status, created_at, updated_at)
                 VALUES ((SELECT max(id) + 1 FROM parents), 'lead', ?1, 'new', ?2, ?2)
                 RETURNING id",
                &[Arg::Text("Evil\x1b]0;pwned\x07Corp"), Arg::Text(now)],
            )
            .and_then(|id| id.parse().ok())
            .expect("insert the hostile lead");
        t.sql(
            "INSERT INTO contacts (id, parent_id, first_name, last_name, full_name, title,
                                   created_at, updated_at)
             VALUES ((SELECT coalesce(max(id), 0) + 1 FROM contacts), ?1, 'Mallory', 'Mallet',
                     ?2, ?3, ?4, ?4)",
            &[
                Arg::Int(evil),
                Arg::Text("Mallory\x1b[2JMallet"),
                Arg::Text("Chief\x1b]0;pwned\x07Officer"),
                Arg::Text(now),
            ],
        );
    }
    // A title of our own first: it shows that titles can be set here, and must survive kith.
    t.before(r"printf '\033]2;kith-e2e-title\007'");
    t.start();
    let title_ok = |t: &Term| {
        let title = t.display("#{pane_title}");
        assert_eq!(title, "kith-e2e-title", "the pane title changed");
    };

    let screen = t.wait_for("Corp");
    t.wait_for_line(&["Lead", "Normal Lead"]);
    t.wait_for_line(&["Cust", "Plain Customer"]);
    title_ok(&t);
    assert!(
        line_with(&screen, &["Kind", "Name", "Status"]).is_some(),
        "the list header is gone:\n{screen}"
    );

    // The hostile lead's detail view, and its contact in the edit form.
    t.keys(&["/"]);
    t.type_text("Evil");
    t.keys(&["Enter"]);
    t.wait_for(" /Evil");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Contacts (1)");
    assert!(screen.contains("Mallory"), "{screen}");
    assert!(screen.lines().next().is_some_and(|l| l.contains("Lead #")));
    assert!(screen.contains("Notes and emails"), "{screen}");
    title_ok(&t);

    t.keys(&["e"]);
    let screen = t.wait_for("Edit Mallory");
    // The form covers the header but for its first letters.
    assert!(screen.lines().next().is_some_and(|l| l.starts_with("Lead")));
    assert!(screen.contains("First name") && screen.contains("Notes"));
    title_ok(&t);

    // Find by title draws the hostile title too.
    t.escape();
    t.wait_gone("Edit Mallory");
    t.keys(&["t"]);
    t.wait_for("Title:");
    t.type_text("chief");
    t.wait_for("Title: chief");
    t.wait_for_line(&["Mallory", "Chief", "Evil"]);
    title_ok(&t);
    t.escape();
    t.wait_for("Contacts (1)");
    t.escape();
    t.wait_for("Primary contact");
    t.keys(&["q"]);
    assert_eq!(t.assert_restored(), 0);
    title_ok(&t);
}

/// kith open on a one-lead list; then its terminal goes away (the pane is killed, as when a
/// person closes their terminal emulator): kith must end within 5 s, not linger.
fn hangup_ends_kith(name: &str, shell_ignores_hangup: bool) {
    let mut t = Term::new(name);
    t.cli_ok(&["lead", "add", "--name", "Hangup Co"]);
    t.no_hold();
    if shell_ignores_hangup {
        t.before("trap '' HUP");
    }
    t.start();
    t.wait_for_line(&["Lead", "Hangup Co"]);
    let pid = t.kith_pid();
    t.tmux(&["kill-pane", "-t", "kith"]);
    let start = Instant::now();
    while harness::is_running(pid) {
        if start.elapsed() > Duration::from_secs(5) {
            let busy = harness::cpu_ticks(pid);
            std::thread::sleep(Duration::from_secs(1));
            let busy = harness::cpu_ticks(pid).saturating_sub(busy);
            panic!(
                "kith ({pid}) still runs 5 s after its terminal went away, using {busy} CPU \
                 ticks (of ~100) in the last second"
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // Nothing was half-written.
    t.cli_ok(&["check"]);
}

#[test]
fn closing_the_terminal_ends_kith() {
    // The shell dies of the hangup, and the kernel sends SIGHUP to kith.
    hangup_ends_kith("hangup", false);
}

#[test]
fn closing_the_terminal_ends_kith_even_without_a_sighup() {
    // The shell survives the hangup (it ignores SIGHUP), so no signal reaches kith: only its
    // terminal's end of file says the person is gone.
    hangup_ends_kith("hangup-nosig", true);
}

#[test]
fn a_bad_config_stops_kith_before_the_terminal_is_touched() {
    let mut t = Term::new("badconfig");
    std::fs::write(&t.config, "[keys]\nquit = [\"q\"]\nbogus = [\"x\"]\n").expect("config");
    t.start();
    let code = t.assert_restored();
    assert_ne!(code, 0, "a bad config is an error");
    let screen = t.screen();
    let config = t.config.to_string_lossy().into_owned();
    assert!(
        screen.contains(&format!("{config}:3:1")) && screen.contains("bogus"),
        "the message does not name the file, line, column and key:\n{screen}"
    );
}

/// Ctrl-E in a note opens $EDITOR on the text; what the editor saves comes back into the field,
/// and the TUI is drawn again after it.
#[test]
fn a_note_can_be_written_in_the_editor() {
    let mut t = Term::new("editor");
    t.cli_ok(&["lead", "add", "--name", "Quill Co"]);
    // The "editor": appends two lines to the file it is given, as a person would.
    let script = t.path("fake-editor.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nprintf 'Call went well.\\nSend the quote by Friday.\\n' >> \"$1\"\n",
    )
    .expect("editor script");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    t.env("VISUAL", script.to_str().expect("utf-8 path"));
    t.start();
    t.wait_for_line(&["Lead", "Quill Co"]);
    t.keys(&["Enter"]);
    t.wait_for_line(&["Lead #", "Quill Co"]);
    t.keys(&["n"]);
    t.wait_for("Note");
    t.keys(&["C-e"]);
    t.wait_for("Send the quote by Friday.");
    t.keys(&["C-s"]);
    t.wait_for("Note added");
    t.wait_for("Call went well.");
    t.escape();
    t.wait_for_line(&["Lead", "Quill Co"]);
    t.keys(&["q"]);
    assert_eq!(t.assert_restored(), 0);
    let shown = t.cli_json(&["show", "Quill Co"]);
    assert_eq!(
        shown["activities"][0]["body"], "Call went well.\nSend the quote by Friday.",
        "{shown:#}"
    );
}

#[test]
fn a_store_the_user_cannot_write_opens_read_only_and_says_so() {
    use std::os::unix::fs::PermissionsExt;
    // A file's permissions: a database on a server has its own, granted to roles.
    let mut t = Term::sqlite_file("readonly");
    t.cli_ok(&["demo"]);
    // Everyone may read the folder and the store; only its owner (root here) may write them.
    std::fs::set_permissions(t.path(""), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&t.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = std::fs::read(&t.db).unwrap();
    t.env("HOME", &t.path("").to_string_lossy());
    t.through("setpriv --reuid=65534 --regid=65534 --clear-groups");
    t.start();
    let screen = t.wait_for("read-only: you cannot write this store");
    assert!(
        screen.contains("Primary contact"),
        "the list is there:\n{screen}"
    );
    t.keys(&["L"]);
    t.wait_for("Contact name");
    t.type_text("Never Saved");
    t.keys(&["C-s"]);
    // The status line shows the start of the one sentence (the store's path is long).
    t.wait_for("read-only for you");
    // The form stays open with what was typed; Ctrl-C asks first, then leaves.
    t.keys(&["C-c"]);
    t.wait_for("Quit and discard what you typed?");
    t.keys(&["y"]);
    t.assert_restored();
    assert_eq!(
        std::fs::read(&t.db).unwrap(),
        before,
        "the store is unchanged"
    );
}

/// The People list as a person uses it: `P` from the companies, a surname found by `/` though
/// no company is named so, a phone number found by the digits one remembers, Enter on the
/// person, and Esc back to the list with the query as it was.
#[test]
fn the_people_list_finds_a_person_by_name_and_by_phone_digits() {
    let mut t = Term::new("people-list");
    t.cli_ok(&["lead", "add", "--name", "Quantum Widgets"]);
    t.cli_ok(&["customer", "add", "--name", "Taylor Made"]);
    for (parent, first, last, phone) in [
        ("Quantum Widgets", "Sam", "Patel", "+44 7700 900123"),
        ("Quantum Widgets", "Ann", "Lee", "+1 415 555 0177"),
        ("Taylor Made", "Matthew", "Taylor", ""),
    ] {
        let mut args = vec![
            "contact", "add", "--parent", parent, "--first", first, "--last", last,
        ];
        if !phone.is_empty() {
            args.extend(["--phone", phone]);
        }
        t.cli_ok(&args);
    }
    t.start();
    t.wait_for_line(&["Lead", "Quantum Widgets"]);
    t.keys(&["P"]);
    t.wait_for("People 3");
    t.keys(&["/"]);
    t.type_text("patel");
    // The query and the rows it keeps are drawn together.
    let screen = t.wait_for("/patel");
    assert!(
        line_with(&screen, &["Sam Patel", "Quantum"]).is_some() && !screen.contains("Ann Lee"),
        "only Sam matches:\n{screen}"
    );
    // Esc alone (a key right after it would make Alt-key of both).
    t.keys(&["Escape"]);
    t.wait_gone("/patel");
    t.keys(&["/"]);
    t.type_text("0770");
    let screen = t.wait_for("/0770");
    assert!(
        line_with(&screen, &["Sam Patel"]).is_some() && !screen.contains("Matthew Taylor"),
        "the national digits find the number:\n{screen}"
    );
    t.keys(&["Enter", "Enter"]);
    // Sam's company, with Sam selected.
    t.wait_for("Quantum Widgets");
    t.wait_for_line(&["Sam Patel"]);
    t.keys(&["Escape"]);
    t.wait_for("People 3");
    t.wait_for("/0770");
    t.wait_for_line(&["Sam Patel"]);
}

/// Moving a person to a company kith does not know yet: the picker offers to make it, the
/// form asks how to reach them there, and the person is there afterwards, reached first at
/// the new address.
#[test]
fn a_person_moves_to_a_company_made_on_the_way() {
    let mut t = Term::new("move-new-company");
    t.cli_ok(&["lead", "add", "--name", "Acme Robotics"]);
    t.cli_ok(&[
        "contact",
        "add",
        "--parent",
        "Acme Robotics",
        "--first",
        "Sam",
        "--last",
        "Patel",
        "--email",
        "sam@acme.example",
    ]);
    t.start();
    t.wait_for_line(&["Lead", "Acme Robotics"]);
    t.keys(&["Enter"]);
    t.wait_for("Contacts (1)");
    t.keys(&["M"]);
    t.wait_for("Where did Sam Patel move to?");
    t.type_text("Quantum Widgets");
    t.wait_for("+ new lead \"Quantum Widgets\"");
    t.keys(&["Enter"]);
    t.wait_for("Sam Patel at Quantum Widgets: new email and phone");
    t.type_text("sam@quantum.example");
    t.keys(&["Tab"]);
    t.type_text("+1 415 555 0199");
    t.wait_for_line(&["New phone", "+1 415 555 0199"]);
    t.keys(&["C-s"]);
    t.wait_for("Sam Patel moved on to Quantum Widgets");
    let shown = t.cli_json(&["show", "Quantum Widgets"]);
    assert_eq!(shown["kind"], "lead");
    let out = t.cli_ok(&["query", "sam"]);
    let first = out.lines().find(|l| l.contains('@')).unwrap_or_default();
    assert!(
        first.starts_with("sam@quantum.example\t") && first.contains("Quantum Widgets"),
        "{out}"
    );
}
