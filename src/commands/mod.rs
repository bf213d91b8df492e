//! One file per command group; each is thin: args -> ops -> interop -> stdout.

mod email;
mod find;
mod interop;
mod list;
mod maintenance;
mod merge;
mod person;
mod records;
mod research;
mod shell;
mod show;
mod sync;
mod touch;
mod undo;

use crate::cli::Command;
use crate::config::Config;
use crate::store::{Store, StoreError, StoreOptions};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// A path as it may be echoed to a terminal: a file name can hold escape sequences too. A
/// PostgreSQL URL is shown without its password.
pub(crate) fn shown(path: &Path) -> String {
    let text = if crate::store::is_url(path) {
        crate::store::pgconnect::redacted(&path.to_string_lossy())
    } else {
        path.display().to_string()
    };
    crate::domain::validate::terminal_safe(&text, false)
}

/// What a command produced: text for stdout and the exit code.
pub struct Outcome {
    pub stdout: String,
    pub code: u8,
    /// Contacts to write after `stdout`, formatted one by one as they are written: an export of
    /// 100,000 contacts is never one string in memory.
    pub listing: Option<Listing>,
}

pub struct Listing {
    pub contacts: Vec<crate::domain::Contact>,
    pub format: crate::cli::ListFormat,
    pub vcard_version: u8,
}

impl Outcome {
    pub fn ok(stdout: impl Into<String>) -> Outcome {
        Outcome {
            stdout: stdout.into(),
            code: 0,
            listing: None,
        }
    }

    pub fn listing(listing: Listing) -> Outcome {
        Outcome {
            listing: Some(listing),
            ..Outcome::ok("")
        }
    }

    /// Writes everything the command produced to `out`.
    pub fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        out.write_all(self.stdout.as_bytes())?;
        if let Some(l) = &self.listing {
            interop::render_to(out, &l.contacts, l.format, l.vcard_version)?;
        }
        out.flush()
    }
}

/// The settings every command needs: the config and the store's path.
pub struct Env {
    pub config: Config,
    pub db: PathBuf,
}

impl Env {
    pub fn store_options(&self) -> StoreOptions {
        self.config.store_options()
    }

    pub fn open(&self) -> Result<Store> {
        open_store(&self.db, &self.store_options())
    }
}

/// Opens the store `db`; an error names it once.
pub(crate) fn open_store(db: &Path, options: &StoreOptions) -> Result<Store> {
    Store::open(db, options).map_err(|e| match e {
        // These already name the file, or the server.
        StoreError::Foreign { .. }
        | StoreError::Newer { .. }
        | StoreError::Io { .. }
        | StoreError::Connect(_) => anyhow::Error::from(e),
        e => anyhow::Error::from(e).context(format!("store {}", shown(db))),
    })
}

pub fn run(env: &Env, command: Command) -> Result<Outcome> {
    match command {
        Command::Demo { contacts } => maintenance::demo(env, contacts),
        Command::Lead(c) => records::lead(env, c),
        Command::Customer(c) => records::customer(env, c),
        Command::Contact(c) => records::contact(env, c),
        Command::Note {
            parent,
            text,
            contact,
        } => records::note(env, &parent, &text.join(" "), contact),
        Command::Contacts {
            title,
            parent,
            tag,
            where_,
            format,
            vcard_version,
        } => list::contacts(
            env,
            list::Which {
                title: title.as_deref(),
                parent: parent.as_deref(),
                tag: tag.as_deref(),
                query: where_.as_deref(),
            },
            format,
            vcard_version,
        ),
        Command::Import {
            file,
            format,
            as_kind,
            all_or_nothing,
            update,
        } => interop::import(env, &file, format, as_kind, all_or_nothing, update),
        Command::Export {
            format,
            output,
            vcard_version,
        } => interop::export(env, format, output.as_deref(), vcard_version),
        Command::Sync {
            vdir,
            keep_kith,
            keep_file,
            force_delete,
            format,
        } => sync::sync(
            env,
            vdir.as_deref(),
            keep_kith,
            keep_file,
            force_delete,
            format,
        ),
        Command::Undo { change_id } => undo::undo(env, change_id),
        Command::Query {
            format,
            moved,
            query,
        } => interop::lookup(env, format, &query, moved),
        Command::Find { format, query } => find::find(env, &query.join(" "), format),
        Command::Titles { format } => list::titles(env, format),
        Command::Pipeline => list::pipeline(env),
        Command::Convert { lead } => records::convert(env, &lead),
        Command::Show { reference, format } => show::show(env, &reference, format),
        Command::Person { id, format } => person::person(env, id, format),
        Command::Backup { file } => maintenance::backup(env, &file),
        Command::ImportStore { source } => maintenance::import_store(env, &source),
        Command::Check => maintenance::check(env),
        Command::Dupes { format, kind, not } => merge::dupes(env, format, kind, not),
        Command::Merge {
            kind,
            survivor,
            other,
            keep,
            dry_run,
        } => merge::merge(env, kind, survivor, other, &keep, dry_run),
        Command::UndoMerge { merge_id } => merge::undo_merge(env, merge_id),
        Command::Merges { format } => merge::merges(env, format),
        Command::Log { add, mbox, maildir } => {
            touch::log(env, add, mbox.as_deref(), maildir.as_deref())
        }
        Command::Due { format } => touch::due(env, format),
        Command::Completions { shell } => shell::completions(shell),
        Command::Man => shell::man(),
        Command::Research { lead } => research::research(env, &lead),
        Command::Email {
            parent,
            contact,
            to,
            subject,
            body,
            log_only,
        } => email::email(
            env,
            &parent,
            contact,
            to,
            &subject,
            &body.join(" "),
            log_only,
        ),
    }
}
