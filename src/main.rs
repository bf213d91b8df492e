//! kith's entry point: parse the command line, load the config, run a command or the TUI.

use anyhow::{anyhow, Result};
use clap::Parser;
use kith::cli::Cli;
use kith::commands::{self, Env, Outcome};
use kith::config::{self, Config};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn setup(cli: &Cli) -> Result<Env> {
    kith::clock::check().map_err(|e| anyhow!(e))?;
    let config = match config::config_path(cli.config.as_deref()) {
        Some(path) => Config::load(&path).map_err(|e| anyhow!("config: {e}"))?,
        None => Config::default(),
    };
    let db = config::store_path(cli.db.as_deref(), &config).ok_or_else(|| {
        anyhow!("no store: give --db PATH or set KITH_DB (no home folder to put one in)")
    })?;
    Ok(Env { config, db })
}

fn run(cli: Cli) -> Result<Outcome> {
    let env = setup(&cli)?;
    match cli.command {
        Some(command) => commands::run(&env, command),
        None => kith::tui::run(env.open()?, &env.config).map(|()| Outcome::ok("")),
    }
}

/// An error and its causes on one line, each said once: a cause whose words the line already
/// holds (a wrapped SQLite message, SQLite's own "Error code 5") adds nothing.
fn one_sentence(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        if cause.downcast_ref::<rusqlite::ffi::Error>().is_some() {
            continue;
        }
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

fn main() -> ExitCode {
    // Files kith creates (store, sidecars, backups) are the user's alone.
    // SAFETY: umask only changes this process's file-creation mask.
    unsafe {
        libc::umask(0o077);
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(outcome) => {
            let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            // A closed pipe (`kith contacts | head`) is not an error worth a message.
            match outcome.write_to(&mut stdout) {
                Ok(()) => ExitCode::from(outcome.code),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    ExitCode::from(outcome.code)
                }
                Err(e) => {
                    eprintln!("kith: writing the output: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Err(e) => {
            let message = one_sentence(&e);
            eprintln!(
                "kith: {}",
                kith::domain::validate::terminal_safe(&message, false)
            );
            ExitCode::from(1)
        }
    }
}
