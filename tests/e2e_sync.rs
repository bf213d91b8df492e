//! End to end: `S` on the parent list syncs with the config's vdir folder off the drawing path,
//! says what it did, and the list shows when the last sync ran.
//!
//! Needs `tmux` (CI installs it with apt).

#[path = "e2e/harness.rs"]
mod harness;

use harness::Term;

/// A terminal `width` wide (for the whole status line), its config's `[vdir] path` the folder
/// returned, and the lead Acme Robotics.
fn with_vdir(name: &str, width: u16) -> (Term, std::path::PathBuf) {
    let mut t = Term::new(name);
    t.width = width;
    let vdir = t.path("contacts");
    std::fs::write(
        &t.config,
        format!("[vdir]\npath = \"{}\"\n", vdir.display()),
    )
    .unwrap();
    t.cli_ok(&["lead", "add", "--name", "Acme Robotics"]);
    (t, vdir)
}

#[test]
fn s_syncs_with_the_vdir_folder_and_the_list_shows_when() {
    let (mut t, vdir) = with_vdir("sync", 200);
    t.cli_ok(&[
        "contact",
        "add",
        "--parent",
        "Acme Robotics",
        "--first",
        "Ada",
        "--last",
        "Lovelace",
    ]);
    t.start();
    t.wait_for("Acme Robotics");
    assert!(!t.screen().contains("synced"), "{}", t.screen());
    t.keys(&["S"]);
    let screen = t.wait_for("Synced with");
    assert!(screen.contains("in the folder 1 added"), "{screen}");
    let files: Vec<std::path::PathBuf> = std::fs::read_dir(&vdir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "vcf"))
        .collect();
    assert_eq!(files.len(), 1, "Ada's card is in the folder: {files:?}");
    let card = std::fs::read_to_string(&files[0]).unwrap();
    assert!(card.contains("FN:Ada Lovelace"), "{card}");
    // The tab line says when the last sync ran: the minute the store recorded.
    let at = t
        .sql("SELECT at FROM sync_runs WHERE id = 1", &[])
        .expect("the sync's run is recorded");
    let minute = at.replace('T', " ");
    t.wait_for_line(&["All 1", &format!("synced {}", &minute[..16])]);
    // Changed in the folder and in kith: the sync names the conflict and how to choose.
    let uid = t.cli_json(&["contacts"])[0]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    std::fs::write(&files[0], card.replace("FN:Ada Lovelace", "FN:Ada King")).unwrap();
    t.cli_ok(&["contact", "edit", "1", "--title", "Countess"]);
    t.keys(&["S"]);
    t.wait_for_line(&["1 conflict", "conflict: Ada Lovelace (UID", &uid[..8]]);
    t.keys(&["q"]);
    assert_eq!(t.assert_restored(), 0);
}

/// `S` over a folder whose cards were all removed (`rm *.vcf`, a disk not mounted): the TUI
/// says the same refusal as `kith sync`, naming the flag, and deletes nobody.
#[test]
fn s_over_an_emptied_folder_refuses_and_deletes_nobody() {
    let (mut t, vdir) = with_vdir("sync-refused", 250);
    for first in ["Ada", "Grace"] {
        t.cli_ok(&[
            "contact",
            "add",
            "--parent",
            "Acme Robotics",
            "--first",
            first,
        ]);
    }
    t.cli_ok(&["sync"]);
    let before = t.cli_json(&["contacts"]);
    for entry in std::fs::read_dir(&vdir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "vcf") {
            std::fs::remove_file(path).unwrap();
        }
    }
    t.start();
    t.wait_for("Acme Robotics");
    t.keys(&["S"]);
    t.wait_for_line(&[
        "sync: ",
        "would delete all 2 people",
        "kith sync --force-delete",
    ]);
    assert_eq!(t.cli_json(&["contacts"]), before, "nobody deleted");
    t.keys(&["q"]);
    assert_eq!(t.assert_restored(), 0);
}
