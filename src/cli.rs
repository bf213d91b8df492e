//! The command line of SPEC.md, and nothing else: parsing only.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "kith",
    version,
    about = "A keyboard-driven CRM for the terminal: leads, customers, their contacts, notes and emails",
    long_about = "A keyboard-driven CRM for the terminal. Run without a command to open the TUI.",
    after_help = "REF is an id or an exact name of a lead or customer."
)]
pub struct Cli {
    /// The store: an SQLite file or a postgres:// URL; else $KITH_DB, else store.url or store.path in the config, else the XDG data dir
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// The config file; else $KITH_CONFIG, else $XDG_CONFIG_HOME/kith/config.toml
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill an empty store with realistic sample data (deterministic)
    Demo {
        /// How many contacts to make (100000 for benchmarks), at most 10000000
        #[arg(long, default_value_t = crate::demo::DEFAULT_CONTACTS,
              value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=crate::demo::MAX_CONTACTS))]
        contacts: usize,
    },
    /// Add or change leads
    #[command(subcommand)]
    Lead(LeadCommand),
    /// Add or change customers
    #[command(subcommand)]
    Customer(CustomerCommand),
    /// Add, change or delete one contact
    #[command(subcommand)]
    Contact(ContactCommand),
    /// List contacts
    Contacts {
        /// Fuzzy match on the title, best match first ("cto" also finds "Chief Technology Officer")
        #[arg(long, value_name = "Q")]
        title: Option<String>,
        /// Only the contacts of this lead or customer
        #[arg(long, value_name = "REF")]
        parent: Option<String>,
        /// Only the contacts with this tag (vCard CATEGORIES, Google labels), ignoring case
        #[arg(long, value_name = "T")]
        tag: Option<String>,
        /// Field-scoped search: `title:cto org:acme tag:investor email:@acme due:yes`, and free
        /// words matching the name, an address, the title or the company
        #[arg(long = "where", value_name = "Q")]
        where_: Option<String>,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        /// vCard version for --format vcard: 3 (default) or 4
        #[arg(long, value_name = "3|4", default_value_t = 3, value_parser = clap::value_parser!(u8).range(3..=4))]
        vcard_version: u8,
    },
    /// The lead pipeline: how many leads are at each status, and customers active and archived
    Pipeline,
    /// List the titles in use, with how many contacts hold each
    Titles {
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
    },
    /// Write a note on a lead or customer, optionally about one of its contacts
    Note {
        /// The lead or customer
        parent: String,
        /// The note; several words are joined with spaces
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// The contact the note is about (id)
        #[arg(long, value_name = "ID")]
        contact: Option<i64>,
    },
    /// Read the lead's website and fill its empty contact name, email and notes from it
    Research {
        #[arg(value_name = "LEAD_REF")]
        lead: String,
    },
    /// Send an email to a contact (with [mail] in the config) and log it on the timeline
    Email {
        /// The lead or customer
        parent: String,
        /// The contact it is to (id); their email is the default recipient
        #[arg(long, value_name = "ID")]
        contact: Option<i64>,
        /// The recipient's address, when not the contact's
        #[arg(long, value_name = "ADDR")]
        to: Option<String>,
        #[arg(long, default_value = "")]
        subject: String,
        /// The body; several words are joined with spaces
        #[arg(required = true, num_args = 1..)]
        body: Vec<String>,
        /// Only log it (an email sent from elsewhere)
        #[arg(long)]
        log_only: bool,
    },
    /// Convert a lead into a customer; prints the customer's id
    Convert {
        #[arg(value_name = "LEAD_REF")]
        lead: String,
    },
    /// Show one lead or customer: fields, contacts, notes and emails, history
    Show {
        #[arg(value_name = "REF")]
        reference: String,
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
    },
    /// Show one person: every field, their notes and emails, their history
    Person {
        /// The contact's id
        id: i64,
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
    },
    /// Import contacts from a vCard or CSV file (kith's, Google Contacts' or Outlook's)
    Import {
        file: PathBuf,
        /// Guessed from the extension when not given (.vcf/.vcard, .csv)
        #[arg(long, value_enum)]
        format: Option<ImportFormat>,
        /// The kind of the parents created for contacts whose organisation is new
        #[arg(long = "as", value_enum, default_value_t = KindArg::Lead)]
        as_kind: KindArg,
        /// Import nothing if any row is bad
        #[arg(long)]
        all_or_nothing: bool,
        /// A contact already here (same UID or email) gets what it lacks from the file (empty
        /// fields filled, more emails, phones and tags), instead of the row being skipped
        #[arg(long)]
        update: bool,
    },
    /// Export every contact (stdout by default)
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Vcard)]
        format: ExportFormat,
        /// Write to FILE instead of stdout (written whole or not at all)
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// vCard version to write: 3 (default) or 4
        #[arg(long, value_name = "3|4", default_value_t = 3, value_parser = clap::value_parser!(u8).range(3..=4))]
        vcard_version: u8,
    },
    /// Two-way sync with a vdir folder (one .vcf per person, as vdirsyncer, khard and phones
    /// keep them)
    ///
    /// A contact added, edited or deleted in kith is written to, changed in or removed from
    /// the folder (UID.vcf, vCard [vdir] version); a file added, changed or removed there is
    /// added, changed or removed in kith, at the company its ORG names (Unfiled without one).
    /// A card changed on both sides since the last sync (or changed on one, deleted on the
    /// other) is a conflict: neither is written over, both are kept, and the report names it
    /// until you choose with --keep-kith or --keep-file. Files that are not one readable card
    /// are reported and left alone. Exit 1 when there are conflicts or bad files. Safe to
    /// interrupt: the next run finishes the job.
    ///
    /// A sync that would delete from kith every person synced with the folder, or more than
    /// [vdir] max_delete_share of them (0.5), or whose folder synced before is missing (moved,
    /// a disk not mounted), changes nothing and says why, until run with --force-delete. The
    /// people a sync deletes are kept: `kith undo N`, with the N the report names, brings them
    /// back with their notes and history.
    ///
    /// Examples:
    ///   kith sync --vdir ~/.contacts/work
    ///   kith sync                                  (the folder of [vdir] path in the config)
    ///   kith sync --keep-file 1f0e8a52-6f4e-4c1e-9d0b-3c2a1e5f7a90
    ///   kith sync --keep-kith 1f0e8a52-6f4e-4c1e-9d0b-3c2a1e5f7a90
    ///   kith sync --force-delete                   (the cards really are gone)
    ///   kith sync --format json
    #[command(verbatim_doc_comment)]
    Sync {
        /// The vdir folder; else [vdir] path in the config
        #[arg(long, value_name = "DIR")]
        vdir: Option<PathBuf>,
        /// Settle the conflict of UID with kith's version: written over the file (or the file
        /// removed, when kith deleted the contact)
        #[arg(long, value_name = "UID", conflicts_with = "keep_file")]
        keep_kith: Option<String>,
        /// Settle the conflict of UID with the file's version: taken into kith (or the contact
        /// deleted, when the file was deleted)
        #[arg(long, value_name = "UID")]
        keep_file: Option<String>,
        /// Delete from kith what the folder no longer has, even every person synced with it
        /// (or more than [vdir] max_delete_share of them), even when the folder is missing
        #[arg(long)]
        force_delete: bool,
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
    },
    /// Undo your last change, or the one named: for now, the people a sync deleted, brought
    /// back as they were, with their notes, emails and history
    ///
    /// Refused, with nothing changed, when the restore cannot be exact (their company was
    /// merged away since, their card was taken in again as a new person, ...): the message
    /// says what stands in the way.
    ///
    /// Examples:
    ///   kith undo 3                                (the change a sync's report named)
    ///   kith undo                                  (your last change)
    #[command(verbatim_doc_comment)]
    Undo {
        #[arg(value_name = "CHANGE_ID")]
        change_id: Option<i64>,
    },
    /// Find everything: people, companies, and notes and emails by what they say, best first
    ///
    /// People and companies matching by name, email, title or company come first, then notes
    /// and emails whose text holds every word (each word may be the start of one).
    ///
    /// Examples:
    ///   kith find patel
    ///   kith find acme pricing --format json
    #[command(verbatim_doc_comment)]
    Find {
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
        /// What to look for (several words: all of them)
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
    },
    /// Address lookup for mail clients (mutt/neomutt query_command, aerc address-book-cmd)
    Query {
        #[arg(long, value_enum, default_value_t = QueryFormat::Mutt)]
        format: QueryFormat,
        /// Also people who moved on (left out by default: their successor is the one to write to)
        #[arg(long)]
        moved: bool,
        /// Matches name, email, title and the lead's or customer's name
        #[arg(default_value = "")]
        query: String,
    },
    /// Likely duplicate people and companies, best first, each with why
    Dupes {
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
        /// Only people (contact) or only leads and customers (parent)
        #[arg(long, value_enum)]
        kind: Option<MergeKindArg>,
        /// Say these two are not duplicates: they are left out from now on
        #[arg(long, num_args = 2, value_names = ["ID", "ID"])]
        not: Option<Vec<i64>>,
    },
    /// Merge the second contact (or lead/customer) into the first; prints the merge's id
    ///
    /// The first record is kept: its values win, its empty fields are filled from the second,
    /// and every email, phone, tag and property of both is kept. The second's notes, emails
    /// and history move to the first. `--keep FIELD=ID` takes a field from the record ID.
    ///
    /// Examples:
    ///   kith merge 3 9 --dry-run
    ///   kith merge 3 9 --keep title=9 --keep parent=9
    ///   kith merge --kind parent 12 40
    #[command(verbatim_doc_comment)]
    Merge {
        #[arg(long, value_enum, default_value_t = MergeKindArg::Contact)]
        kind: MergeKindArg,
        /// The record kept
        survivor: i64,
        /// The record merged into it
        other: i64,
        /// Take FIELD's value from record ID (one of the two); may be given again
        #[arg(long, value_name = "FIELD=ID")]
        keep: Vec<String>,
        /// Show the two records and the merged one; write nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Restore both records of a merge as they were
    UndoMerge {
        #[arg(value_name = "MERGE_ID")]
        merge_id: i64,
    },
    /// List the merges made, newest first, with their ids
    Merges {
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
    },
    /// Log an email (RFC 5322, on stdin, as mutt's pipe-message and aerc's :pipe give it) on
    /// the timelines of the people in it
    ///
    /// The email goes once on the timeline of each lead or customer with someone in its From,
    /// To and Cc whom kith knows by any of their addresses, naming them all, at the date of
    /// the message (at its arrival when that date cannot be right), once per Message-ID. Mail
    /// from your own addresses (mail.from, log.me) counts as sent.
    ///
    /// Examples:
    ///   kith log < message.eml
    ///   kith log --add < message.eml
    ///   kith log --mbox ~/Mail/sent.mbox
    ///   kith log --maildir ~/Maildir/Sent
    #[command(verbatim_doc_comment)]
    Log {
        /// Add the people kith does not know as contacts (at the company of their email's
        /// domain, else a new lead named after it; free-mail addresses go to Unfiled); never a
        /// mailing list, a robot (no-reply@, mailer-daemon@, ...), anyone in an automatic
        /// message, an address kith cannot keep, or you
        #[arg(long)]
        add: bool,
        /// Log every message of this mbox file
        #[arg(long, value_name = "FILE", conflicts_with = "maildir")]
        mbox: Option<PathBuf>,
        /// Log every message of this maildir folder (its cur/ and new/)
        #[arg(long, value_name = "DIR")]
        maildir: Option<PathBuf>,
    },
    /// People not been in touch with for longer than their cadence, most overdue first
    Due {
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
    },
    /// Print the completion script for a shell
    ///
    /// Examples:
    ///   kith completions bash > ~/.local/share/bash-completion/completions/kith
    ///   kith completions zsh > ~/.zfunc/_kith       (with fpath+=~/.zfunc before compinit)
    ///   kith completions fish > ~/.config/fish/completions/kith.fish
    #[command(verbatim_doc_comment)]
    Completions {
        #[arg(value_enum)]
        shell: ShellArg,
    },
    /// Print the man page (roff): `kith man | man -l -`
    Man,
    /// Write a consistent copy of the store to FILE (safe while others write); of a PostgreSQL
    /// store, FILE is a kith SQLite file to take home
    Backup { file: PathBuf },
    /// Move a whole store (a kith SQLite file, or another PostgreSQL URL) into this one, which
    /// must be empty: every record, note, history entry and merge, with their ids
    ///
    /// Example: kith --db postgres://kith@db.example.com/crm import-store ~/.local/share/kith/kith.db
    ImportStore { source: PathBuf },
    /// Check the store's integrity and foreign keys; exit 0 only when clean
    Check,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Csv,
    Vcard,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    Vcard,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Vcard,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QueryFormat {
    Mutt,
    Aerc,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Lead,
    Customer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MergeKindArg {
    Contact,
    Parent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum LeadCommand {
    /// Add a lead; prints its id
    Add {
        #[arg(long)]
        name: String,
        #[command(flatten)]
        fields: LeadFlags,
    },
    /// Change a lead's fields; only the flags given change, an empty value clears
    Edit {
        #[arg(value_name = "REF")]
        reference: String,
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        fields: LeadFlags,
    },
    /// Copy the lead's contact name, email and phone into a Contact of the lead
    CopyContact {
        #[arg(value_name = "REF")]
        reference: String,
    },
    /// Set a lead's status (new, information-filled, contacted, qualified, disqualified)
    Status {
        #[arg(value_name = "REF")]
        reference: String,
        status: String,
        /// Why: kept in the lead's history
        #[arg(long, required = true)]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum CustomerCommand {
    /// Add a customer; prints its id
    Add {
        #[arg(long)]
        name: String,
        #[command(flatten)]
        fields: CompanyFlags,
    },
    /// Change a customer's fields; only the flags given change, an empty value clears
    Edit {
        #[arg(value_name = "REF")]
        reference: String,
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        fields: CompanyFlags,
    },
    /// Archive a dormant customer (kept, not deleted)
    Archive {
        #[arg(value_name = "REF")]
        reference: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Make an archived customer active again
    Unarchive {
        #[arg(value_name = "REF")]
        reference: String,
        #[arg(long)]
        reason: Option<String>,
    },
}

/// The flags of a lead: a customer's, and the two only a lead keeps. The same for add and edit;
/// only `--name` differs (required to add), so it stands beside this group, not in it.
#[derive(Debug, Args)]
pub struct LeadFlags {
    #[arg(long, value_name = "N")]
    pub contact_name: Option<String>,
    #[command(flatten)]
    pub company: CompanyFlags,
    #[arg(long, value_name = "S")]
    pub source: Option<String>,
}

/// The flags every lead and customer has, for add and edit alike.
#[derive(Debug, Args)]
pub struct CompanyFlags {
    #[arg(long, value_name = "E")]
    pub email: Option<String>,
    #[arg(long, value_name = "P")]
    pub phone: Option<String>,
    #[arg(long, value_name = "URL")]
    pub website: Option<String>,
    #[arg(long, value_name = "I")]
    pub industry: Option<String>,
    // Help lists flags in the order they are declared, so a flattened group would put --notes
    // before a lead's --source; SPEC.md and the help have always had notes last.
    #[arg(long, value_name = "T", display_order = 100)]
    pub notes: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ContactCommand {
    /// Add a contact to a lead or customer; prints its id
    Add {
        /// The lead or customer the person is at
        #[arg(long, value_name = "REF")]
        parent: String,
        #[arg(long, value_name = "F")]
        first: String,
        #[command(flatten)]
        fields: ContactRest,
    },
    /// Change a contact's fields; only the flags given change, an empty value clears
    Edit {
        id: i64,
        #[arg(long, value_name = "F")]
        first: Option<String>,
        #[command(flatten)]
        fields: ContactRest,
        /// Keep in touch at least every DAYS days (0 clears it; see `kith due`)
        #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(0..=36500))]
        every: Option<u32>,
    },
    /// Delete a contact (its notes and emails stay on the parent)
    Delete { id: i64 },
    /// The person moved to another company: a new contact there, the old one marked as moved on
    /// (their old addresses and numbers follow them, marked "old: COMPANY", after the new ones)
    Move {
        id: i64,
        /// The lead or customer they are at now
        #[arg(long, value_name = "REF")]
        to: String,
        /// Their email at the new company: the preferred one from now on
        #[arg(long, value_name = "E")]
        email: Option<String>,
        /// Their phone at the new company
        #[arg(long, value_name = "P")]
        phone: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct ContactRest {
    #[arg(long, value_name = "L")]
    pub last: Option<String>,
    #[arg(long, value_name = "N")]
    pub full_name: Option<String>,
    #[arg(long, value_name = "E")]
    pub email: Option<String>,
    #[arg(long, value_name = "P")]
    pub phone: Option<String>,
    #[arg(long, value_name = "T")]
    pub title: Option<String>,
    #[arg(long, value_name = "X")]
    pub notes: Option<String>,
    /// Tags, separated by commas ("" clears them)
    #[arg(long, value_name = "T,T")]
    pub tags: Option<String>,
}

impl ContactRest {
    /// True when no field is given.
    pub fn is_empty(&self) -> bool {
        [
            &self.last,
            &self.full_name,
            &self.email,
            &self.phone,
            &self.title,
            &self.notes,
            &self.tags,
        ]
        .iter()
        .all(|f| f.is_none())
    }
}
