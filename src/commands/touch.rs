//! Keeping in touch: logging mail from a mail client, and who is due.

use super::{shown, Env, Outcome};
use crate::cli::ShowFormat;
use crate::config::Config;
use crate::domain::touch::Cadences;
use crate::domain::validate::terminal_safe;
use crate::interop::{json, table};
use crate::ops::due::{self, Due};
use crate::ops::log::{self, LogOptions, LogReport, Logged};
use anyhow::{anyhow, bail, Context, Result};
use serde_json::json;
use std::io::{IsTerminal, Read, Write};
use std::path::Path;

/// The `[cadence]` defaults of the config.
pub fn cadences(config: &Config) -> Cadences {
    crate::ops::views::cadences(config)
}

/// The user's own addresses: `mail.from`'s and `log.me`.
pub fn log_options(config: &Config, add: bool) -> LogOptions {
    let from = config.mail.from.trim();
    let from = match (from.rfind('<'), from.rfind('>')) {
        (Some(a), Some(b)) if a < b => &from[a + 1..b],
        _ => from,
    };
    let mut me: Vec<String> = config.log.me.iter().map(|m| m.trim().to_string()).collect();
    if !from.is_empty() {
        me.push(from.to_string());
    }
    LogOptions {
        me,
        add_unknown: add || config.log.add_unknown,
    }
}

/// The most one mailbox file may hold: a Sent folder of many years.
const MAILBOX_LIMIT: u64 = 4 << 30;
/// The most one message may hold.
const MESSAGE_LIMIT: u64 = 64 << 20;

pub fn log(env: &Env, add: bool, mbox: Option<&Path>, maildir: Option<&Path>) -> Result<Outcome> {
    let options = log_options(&env.config, add);
    let messages = match (mbox, maildir) {
        (Some(file), _) => {
            let bytes =
                crate::files::read_regular(file, MAILBOX_LIMIT).with_context(|| shown(file))?;
            let name = shown(file);
            let mut found = Vec::new();
            for entry in crate::inbox::mbox::messages(&bytes) {
                let entry = entry.map_err(|e| anyhow!("{name}:{}: {}", e.line, e.message))?;
                found.push((
                    format!("{name}:{}", entry.line),
                    crate::inbox::parse(&entry.raw),
                ));
            }
            found
        }
        (None, Some(dir)) => {
            let files =
                crate::inbox::maildir::messages(dir).map_err(|e| anyhow!("{}: {e}", shown(dir)))?;
            files
                .into_iter()
                .map(|f| {
                    let parsed = crate::files::read_regular(&f, MESSAGE_LIMIT)
                        .map_err(|e| e.to_string())
                        .and_then(|raw| crate::inbox::parse(&raw));
                    (shown(&f), parsed)
                })
                .collect()
        }
        (None, None) => return log_one(env, &options),
    };
    let mut store = env.open()?;
    let tty = std::io::stderr().is_terminal();
    let mut progress = |done: usize, total: usize| {
        if tty && total >= 500 {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\rlogging {done}/{total}");
            if done == total {
                let _ = writeln!(err);
            }
        }
    };
    let report = log::log_all(&mut store, messages, &options, &mut progress)?;
    Ok(mailbox_outcome(&report, &options))
}

/// Said after people were added when kith knows none of the user's own addresses: one of
/// those added may be the user.
const ME_HINT: &str =
    "kith knows none of your own addresses: list them in log.me, or kith takes you for someone you write to";

/// At most ten addresses left out, each with why, and how many more.
fn left_out_line(left: &[log::LeftOut]) -> String {
    let shown: Vec<String> = left
        .iter()
        .take(10)
        .map(|l| terminal_safe(&format!("{} ({})", l.address, l.why), false))
        .collect();
    let more = match left.len().saturating_sub(10) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    format!("Not added: {}{more}\n", shown.join(", "))
}

fn mailbox_outcome(r: &LogReport, options: &LogOptions) -> Outcome {
    let mut err = std::io::stderr().lock();
    for (place, why) in &r.bad {
        let _ = writeln!(err, "kith: {place}: {}", terminal_safe(why, false));
    }
    for (place, what) in &r.warnings {
        let _ = writeln!(
            err,
            "kith: warning: {place}: {}",
            terminal_safe(what, false)
        );
    }
    let mut stdout = format!(
        "Read {} message(s): {} logged, {} logged before, {} with nobody kith knows, {} contact(s) added, {} bad\n",
        r.messages,
        r.logged,
        r.already,
        r.nobody,
        r.added,
        r.bad.len()
    );
    if options.add_unknown && !r.left_out.is_empty() {
        stdout.push_str(&left_out_line(&r.left_out));
    }
    if r.added > 0 && options.me.is_empty() {
        stdout.push_str(&format!("{ME_HINT}\n"));
    }
    Outcome {
        stdout,
        code: u8::from(!r.bad.is_empty()),
        listing: None,
    }
}

/// One message on standard input, as a mail client pipes it.
fn log_one(env: &Env, options: &LogOptions) -> Result<Outcome> {
    let mut raw = Vec::new();
    std::io::stdin()
        .take(MESSAGE_LIMIT + 1)
        .read_to_end(&mut raw)
        .context("reading the message from standard input")?;
    if raw.len() as u64 > MESSAGE_LIMIT {
        bail!("standard input: a message of more than 64 MiB is not an email kith logs");
    }
    let message = crate::inbox::parse(&raw).map_err(|e| anyhow!("standard input: {e}"))?;
    let mut store = env.open()?;
    let logged = log::log(&mut store, &message, options)?;
    for w in &logged.warnings {
        eprintln!("kith: warning: {}", terminal_safe(w, false));
    }
    one_message_outcome(&store, &logged, options)
}

/// What the "Not in kith" line says of `kith log --add` and of the user's own addresses.
const ADD_HINT: &str = "kith log --add adds them; your own addresses belong in log.me";

fn one_message_outcome(
    store: &crate::store::Store,
    l: &Logged,
    options: &LogOptions,
) -> Result<Outcome> {
    let name = |id: i64| -> String {
        store.contact(id).map_or_else(
            |_| format!("#{id}"),
            |c| terminal_safe(&format!("{} ({})", c.full_name(), c.parent_name), false),
        )
    };
    let names = |people: &[log::Person]| -> String {
        people
            .iter()
            .map(|p| name(p.contact_id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::new();
    let way = match l.direction {
        Some(crate::domain::touch::Direction::Sent) => "sent",
        _ => "received",
    };
    if !l.logged.is_empty() {
        out.push_str(&format!("Logged ({way}) for {}\n", names(&l.logged)));
    }
    if !l.added.is_empty() {
        out.push_str(&format!("Added {}\n", names(&l.added)));
        if options.me.is_empty() {
            out.push_str(&format!("{ME_HINT}\n"));
        }
    }
    if !l.already.is_empty() {
        out.push_str(&format!("Logged before for {}\n", names(&l.already)));
    }
    if !l.unknown.is_empty() {
        out.push_str(&format!(
            "Not in kith: {} ({ADD_HINT})\n",
            terminal_safe(&l.unknown.join(", "), false)
        ));
    }
    if !l.left_out.is_empty() {
        out.push_str(&left_out_line(&l.left_out));
    }
    if l.logged.is_empty() && l.already.is_empty() {
        bail!(
            "nobody in this message is in kith{}",
            if l.unknown.is_empty() {
                String::new()
            } else {
                format!(
                    ": {} ({ADD_HINT})",
                    terminal_safe(&l.unknown.join(", "), false)
                )
            }
        );
    }
    Ok(Outcome::ok(out))
}

fn last_said(d: &Due) -> String {
    match &d.last {
        None => "nothing yet".to_string(),
        Some(a) => {
            let what = a
                .subject
                .clone()
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| a.body.lines().next().unwrap_or("").to_string());
            format!(
                "{} {} {}",
                a.created_at.get(..10).unwrap_or(&a.created_at),
                a.kind.key(),
                what
            )
        }
    }
}

pub fn due(env: &Env, format: ShowFormat) -> Result<Outcome> {
    let store = env.open()?;
    let list = due::due(&store, &cadences(&env.config), crate::clock::now())?;
    Ok(Outcome::ok(match format {
        ShowFormat::Json => {
            let rows: Vec<serde_json::Value> = list
                .iter()
                .map(|d| {
                    let c = &d.contact;
                    json!({
                        "contact": {
                            "id": c.id,
                            "full_name": c.full_name(),
                            "email": c.fields.email,
                        },
                        "parent": {
                            "id": c.parent_id,
                            "kind": c.parent_kind.key(),
                            "name": c.parent_name,
                        },
                        "every_days": d.every_days,
                        "cadence_from": d.from.to_string(),
                        "due_at": d.due_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                        "overdue_days": d.overdue_days,
                        "last": d.last.as_ref().map(|a| json!({
                            "kind": a.kind.key(),
                            "at": a.created_at,
                            "subject": a.subject,
                            "body": a.body,
                        })),
                    })
                })
                .collect();
            json::to_string(&rows) + "\n"
        }
        ShowFormat::Text if list.is_empty() => "Nobody is due.\n".to_string(),
        ShowFormat::Text => {
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|d| {
                    vec![
                        format!("{}d", d.overdue_days),
                        d.contact.id.to_string(),
                        d.contact.full_name().to_string(),
                        d.contact.parent_name.clone(),
                        format!("every {}d ({})", d.every_days, d.from),
                        last_said(d),
                    ]
                })
                .collect();
            table::render(
                &["OVERDUE", "ID", "NAME", "COMPANY", "CADENCE", "LAST"],
                &rows,
                &[8, 8, 28, 28, 28, 50],
            )
        }
    }))
}
