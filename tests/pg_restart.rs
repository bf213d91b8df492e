//! A PostgreSQL server that goes away under kith and comes back: the CLI says so in one line,
//! and the TUI keeps the form being edited, says why it was not saved, and saves it once the
//! server is back. In a test binary of its own: stopping the cluster ends every connection of
//! this process.

#[path = "e2e/harness.rs"]
mod harness;

use harness::Term;

#[test]
fn a_server_gone_mid_session_is_reported_and_kith_saves_the_kept_form_once_it_is_back() {
    let cluster = harness::pg::cluster();
    let mut t = Term::new("server-gone");
    t.cli_ok(&["lead", "add", "--name", "Initech"]);
    t.start();
    t.wait_for_line(&["Lead", "Initech"]);
    t.keys(&["L"]);
    t.wait_for("New lead");
    t.type_text("Globex");
    t.wait_for("Globex");

    cluster.stop();
    let out = t.cli(&["contacts"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains("PostgreSQL"), "{err}");

    t.keys(&["C-s"]);
    let screen = t.wait_until("the form to say the server is gone", |s| {
        s.contains("New lead")
            && (s.contains("lost the connection") || s.contains("cannot connect"))
    });
    assert!(
        screen.contains("Globex"),
        "the form keeps what was typed:\n{screen}"
    );

    cluster.start();
    t.keys(&["C-s"]);
    t.wait_gone("New lead");
    t.wait_for_line(&["Lead", "Globex"]);
    let leads = t.cli_ok(&["pipeline"]);
    assert!(leads.contains("New                 2"), "{leads}");
    t.keys(&["q"]);
    assert_eq!(t.assert_restored(), 0);
}
