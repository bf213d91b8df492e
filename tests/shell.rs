//! kith in the shell: the completion scripts work in the real shells, the man page renders with
//! the real `man`, and `--version` says the version.
//!
//! Needs bash, zsh, fish and man (CI installs zsh, fish and man-db with apt).

mod common;

use common::Kith;
use std::process::Command;

/// What bash's completion offers for the words typed so far (the last one being completed).
fn bash_completes(script: &str, words: &[&str]) -> Vec<String> {
    let line = words.join(" ");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "{script}\nCOMP_WORDS=({words})\nCOMP_CWORD={cword}\nCOMP_LINE='{line}'\nCOMP_POINT=${{#COMP_LINE}}\n\
         _kith kith '{cur}' '{prev}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        words = quoted.join(" "),
        cword = words.len() - 1,
        cur = words[words.len() - 1],
        prev = words[words.len() - 2],
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut found: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    found.sort();
    found
}

#[test]
fn bash_completes_commands_and_flags() {
    let k = Kith::new();
    let script = k.ok(&["completions", "bash"]);
    assert_eq!(
        bash_completes(&script, &["kith", "con"]),
        ["contact", "contacts", "convert"]
    );
    assert_eq!(bash_completes(&script, &["kith", "dup"]), ["dupes"]);
    let flags = bash_completes(&script, &["kith", "merge", "--"]);
    for flag in ["--keep", "--dry-run", "--kind"] {
        assert!(flags.contains(&flag.to_string()), "{flags:?}");
    }
}

#[test]
fn zsh_and_fish_load_their_scripts() {
    let k = Kith::new();
    let zsh = k.ok(&["completions", "zsh"]);
    assert!(
        zsh.starts_with("#compdef kith"),
        "{}",
        &zsh[..80.min(zsh.len())]
    );
    let file = k.path("_kith");
    std::fs::write(&file, &zsh).unwrap();
    let out = Command::new("zsh")
        .args([
            "-f",
            "-c",
            &format!(
                "autoload -Uz compinit && compinit -u -d {dir}/zcompdump; source {f}; print ok",
                dir = k.dir.path().display(),
                f = file.display()
            ),
        ])
        .output()
        .expect("zsh runs");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "ok",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fish = k.ok(&["completions", "fish"]);
    let file = k.path("kith.fish");
    std::fs::write(&file, &fish).unwrap();
    // fish's own completion of "kith con", from the script.
    let out = Command::new("fish")
        .args([
            "--no-config",
            "-c",
            &format!("source {}; complete -C 'kith con'", file.display()),
        ])
        .env("HOME", k.dir.path())
        .output()
        .expect("fish runs");
    let offered: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split('\t').next().unwrap_or("").to_string())
        .collect();
    for c in ["contact", "contacts", "convert"] {
        assert!(
            offered.contains(&c.to_string()),
            "{offered:?} {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn the_man_page_renders_and_names_every_command() {
    let k = Kith::new();
    let page = k.path("kith.1");
    std::fs::write(&page, k.ok(&["man"])).unwrap();
    let out = Command::new("man")
        .args(["-l", page.to_str().unwrap()])
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .expect("man runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("kith - A keyboard-driven CRM"), "{text}");
    for command in [
        "dupes",
        "merge",
        "undo-merge",
        "log",
        "due",
        "completions",
        "import",
        "query",
    ] {
        assert!(
            text.contains(command),
            "the man page lacks {command}:\n{text}"
        );
    }
}

#[test]
fn version_and_help_with_examples() {
    let k = Kith::new();
    assert_eq!(
        k.ok(&["--version"]),
        format!("kith {}\n", env!("CARGO_PKG_VERSION"))
    );
    let help = k.ok(&["merge", "--help"]);
    assert!(
        help.contains("Examples:") && help.contains("kith merge 3 9 --dry-run"),
        "{help}"
    );
    let help = k.ok(&["log", "--help"]);
    assert!(help.contains("kith log --mbox"), "{help}");
}
