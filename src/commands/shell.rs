//! kith in the shell: completion scripts and the man page, from the command line's own
//! definitions, so they never disagree with it.

use super::Outcome;
use crate::cli::{Cli, ShellArg};
use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell;

pub fn completions(shell: ShellArg) -> Result<Outcome> {
    let shell = match shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
    };
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "kith", &mut out);
    Ok(Outcome::ok(String::from_utf8(out)?))
}

pub fn man() -> Result<Outcome> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    Ok(Outcome::ok(String::from_utf8(out)?))
}
