//! `kith sync`: keeps a vdir folder (one `.vcf` per person, as vdirsyncer, khard and phones
//! keep them) and the store in step, both ways.
//!
//! Each card is known by its UID. What was last synced is remembered per card: the file's name,
//! a hash of its bytes and a hash of the card kith writes for the contact. Against that, the file
//! is gone, unchanged or changed, and so is the contact; [`decide`] says what to do. A card
//! changed on both sides is a conflict: nothing is written over either, the file's content is
//! kept in the store, and the user chooses with `--keep-kith` or `--keep-file`.
//!
//! Safe to interrupt at any moment: every step leaves something the next run recognises.
//! Changes taken from files are written to the store with their state in one transaction.
//! Files are written whole (a temporary file renamed over the target), then their state is
//! recorded: a file that is exactly the card kith writes for its contact is simply adopted. A
//! file removed (or a contact deleted) before its state is forgotten leaves a state with both
//! sides gone, which is forgotten.
//!
//! A folder that looks lost is not taken for deletions: a run that would delete from kith
//! every person synced with the folder, or more than `vdir.max_delete_share` of them, or whose
//! folder synced before is missing, changes nothing and says why unless forced. Whom a run
//! deletes is kept whole (`store::kept`), and `kith undo` brings them back.

use crate::domain::{Contact, ParentFields, ParentKind};
use crate::interop::vcard::{self, Card, Version};
use crate::ops::import::UNFILED;
use crate::store::{Batch, Result, Store, StoreError, SyncConflict, SyncState};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Which side a conflict is settled for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// kith's version is written to the folder (or the file removed, if kith deleted it).
    Kith,
    /// The file's version is taken into kith (or the contact deleted, if the file is gone).
    File,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SyncOptions {
    /// The vCard version of the files kith writes.
    pub version: Version,
    /// Settle the conflict of this UID first.
    pub keep: Option<(String, Keep)>,
    /// Delete from kith what the folder no longer has even when that is every card synced with
    /// it, or more than `max_delete_share` of them, or the folder is gone.
    pub force_delete: bool,
    /// The most of the people synced with the folder that one run deletes without
    /// `force_delete` (`vdir.max_delete_share`).
    pub max_delete_share: f64,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions::from_config(&crate::config::VdirConfig::default())
    }
}

impl SyncOptions {
    /// The options the `[vdir]` section of the config gives.
    pub fn from_config(vdir: &crate::config::VdirConfig) -> SyncOptions {
        SyncOptions {
            version: match vdir.version {
                4 => Version::V4,
                _ => Version::V3,
            },
            keep: None,
            force_delete: false,
            max_delete_share: vdir.max_delete_share,
        }
    }
}

/// What a run did, per direction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Counts {
    pub added_in_kith: usize,
    pub changed_in_kith: usize,
    pub removed_in_kith: usize,
    pub added_in_folder: usize,
    pub changed_in_folder: usize,
    pub removed_in_folder: usize,
    /// Cards found the same on both sides with nothing remembered (a first sync, or a run
    /// interrupted after writing a file): remembered from now on.
    #[serde(default)]
    pub linked: usize,
    #[serde(default)]
    pub conflicts: usize,
    #[serde(default)]
    pub bad_files: usize,
}

impl Counts {
    /// True when the run changed neither side.
    pub fn nothing_changed(&self) -> bool {
        self.added_in_kith
            + self.changed_in_kith
            + self.removed_in_kith
            + self.added_in_folder
            + self.changed_in_folder
            + self.removed_in_folder
            == 0
    }
}

/// How a card came to be a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Changed in kith and in the folder (or, on a first sync, different on the two sides).
    ChangedOnBothSides,
    /// Deleted in kith, changed in the folder.
    DeletedInKith,
    /// Changed in kith, deleted from the folder.
    DeletedInFolder,
}

impl ConflictKind {
    pub fn describe(self) -> &'static str {
        match self {
            ConflictKind::ChangedOnBothSides => "changed in kith and in the folder",
            ConflictKind::DeletedInKith => "deleted in kith, changed in the folder",
            ConflictKind::DeletedInFolder => "changed in kith, deleted from the folder",
        }
    }
}

/// A card waiting for the user's choice: kith's version is the contact (if any), the file's is
/// `theirs` (if the file is there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub uid: String,
    /// The person's name: the contact's, else the file's.
    pub name: String,
    pub file: PathBuf,
    pub contact_id: Option<i64>,
    pub kind: Option<ConflictKind>,
    /// The file's content when the conflict was found.
    pub theirs: Option<String>,
    pub since: String,
}

/// A file of the folder that was left alone: not a card kith can read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BadFile {
    pub file: PathBuf,
    /// 1-based; 0 when the problem is the file itself, not a line of it.
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub folder: PathBuf,
    #[serde(flatten)]
    pub counts: Counts,
    /// Every conflict of this folder waiting for a choice.
    pub conflict_list: Vec<Conflict>,
    pub bad_file_list: Vec<BadFile>,
    /// The UID whose conflict `--keep-kith` / `--keep-file` settled.
    pub resolved: Option<String>,
    /// Cards changed by someone else while the sync ran: left for the next run.
    pub deferred: usize,
    /// The change `kith undo` takes back to restore the people this run deleted from kith.
    pub undo_id: Option<i64>,
}

/// The last sync of this store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastRun {
    pub at: String,
    pub folder: PathBuf,
    pub counts: Counts,
}

/// "3 conflicts", "1 conflict".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What a run did, in one line: the command's report starts with it, the TUI's status line
/// says it.
pub fn summary(r: &SyncReport) -> String {
    let c = &r.counts;
    let undo = match r.undo_id {
        Some(id) => format!("; kith undo {id} brings them back"),
        None => String::new(),
    };
    format!(
        "Synced with {}: in kith {} added, {} changed, {} removed{undo}; in the folder {} added, {} changed, {} removed; {}, {}",
        crate::domain::validate::terminal_safe(&r.folder.display().to_string(), false),
        c.added_in_kith,
        c.changed_in_kith,
        c.removed_in_kith,
        c.added_in_folder,
        c.changed_in_folder,
        c.removed_in_folder,
        plural(r.conflict_list.len(), "conflict", "conflicts"),
        plural(r.bad_file_list.len(), "bad file", "bad files"),
    )
}

/// The conflicts a run left, for a status line: who, and how to choose.
pub fn conflicts_said(r: &SyncReport) -> String {
    let Some(first) = r.conflict_list.first() else {
        return String::new();
    };
    let safe = |s: &str| crate::domain::validate::terminal_safe(s, false);
    let mut out = format!(
        " — conflict: {} (UID {}): choose with kith sync --keep-kith or --keep-file {}",
        safe(&first.name),
        safe(&first.uid),
        safe(&first.uid)
    );
    if r.conflict_list.len() > 1 {
        out.push_str(&format!(
            ", and {} more (kith sync lists them)",
            r.conflict_list.len() - 1
        ));
    }
    out
}

/// When the store was last synced, with which folder, and what it did.
pub fn last_run(store: &Store) -> Result<Option<LastRun>> {
    Ok(store.last_sync_run()?.map(|r| LastRun {
        at: r.at,
        folder: PathBuf::from(r.folder),
        counts: serde_json::from_str(&r.counts).unwrap_or_default(),
    }))
}

/// Every conflict waiting for a choice, of every folder, oldest first.
pub fn conflicts(store: &Store) -> Result<Vec<Conflict>> {
    let list = store.sync_conflicts(None)?;
    shown_conflicts(store, list, &HashMap::new())
}

fn shown_conflicts(
    store: &Store,
    list: Vec<SyncConflict>,
    kinds: &HashMap<String, ConflictKind>,
) -> Result<Vec<Conflict>> {
    let mut out = Vec::with_capacity(list.len());
    for c in list {
        let contact = match c.contact_id {
            Some(id) => store.contacts_by_ids(&[id])?.pop(),
            None => None,
        };
        let from_file = || {
            let card = vcard::parse(c.theirs.as_deref()?.as_bytes())
                .into_iter()
                .next()?;
            card.ok()?.fields.full_name
        };
        let name = match &contact {
            Some(k) => k.full_name().to_string(),
            None => from_file().unwrap_or_default(),
        };
        out.push(Conflict {
            name,
            file: Path::new(&c.folder).join(&c.file),
            contact_id: contact.map(|k| k.id),
            kind: kinds.get(&c.uid).copied(),
            uid: c.uid,
            theirs: c.theirs,
            since: c.at,
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// The decision table
// ---------------------------------------------------------------------------------------------

/// One side of a card against what was last synced. With nothing remembered, a card that is
/// there is `Changed` (new).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    Gone,
    Unchanged,
    Changed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Nothing,
    /// Both sides gone: the state goes.
    Forget,
    /// Both sides there and equal: remember them as synced.
    Link,
    AddContact,
    UpdateContact,
    DeleteContact,
    /// A new file, or the contact's card over the file.
    WriteFile,
    RemoveFile,
    Conflict(ConflictKind),
}

/// What to do with a card: `remembered` when a state exists, `agree` when both sides are there
/// and hold the same card.
pub fn decide(remembered: bool, file: Seen, kith: Seen, agree: bool) -> Action {
    use Seen::*;
    match (file, kith) {
        (Gone, Gone) if remembered => Action::Forget,
        (Gone, Gone) => Action::Nothing,
        (Unchanged, Unchanged) => Action::Nothing,
        (Changed, Unchanged) => Action::UpdateContact,
        (Unchanged, Changed) => Action::WriteFile,
        (Changed, Changed) if agree => Action::Link,
        (Changed, Changed) => Action::Conflict(ConflictKind::ChangedOnBothSides),
        (Changed, Gone) if remembered => Action::Conflict(ConflictKind::DeletedInKith),
        (Changed, Gone) => Action::AddContact,
        (Gone, Changed) if remembered => Action::Conflict(ConflictKind::DeletedInFolder),
        (Gone, Changed) => Action::WriteFile,
        (Unchanged, Gone) => Action::RemoveFile,
        (Gone, Unchanged) => Action::DeleteContact,
    }
}

/// What settling a conflict for `keep` does, given which sides are there.
fn settle(keep: Keep, file_there: bool, contact_there: bool) -> Action {
    match (keep, file_there, contact_there) {
        (Keep::Kith, _, true) => Action::WriteFile,
        (Keep::Kith, true, false) => Action::RemoveFile,
        (Keep::File, true, true) => Action::UpdateContact,
        (Keep::File, true, false) => Action::AddContact,
        (Keep::File, false, true) => Action::DeleteContact,
        (_, false, false) => Action::Forget,
    }
}

// ---------------------------------------------------------------------------------------------
// The folder
// ---------------------------------------------------------------------------------------------

/// The most of one file kith reads: a card with a large photo, many times over.
const FILE_LIMIT: u64 = 16 << 20;
const TEMP_PREFIX: &str = ".kith-sync-";
const TEMP_SUFFIX: &str = ".tmp";
const LOCK_FILE: &str = ".kith-sync.lock";

/// FNV-1a, 64 bits: a stable hash of a file's bytes (no crate, the same on every machine).
pub fn hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The file name for a card of `uid`: the UID itself when it is a safe file name, else with
/// every other byte percent-encoded (as vdirsyncer does), else (too long) its hash.
pub fn file_name_for(uid: &str) -> String {
    let mut name = String::with_capacity(uid.len() + 4);
    for (i, b) in uid.bytes().enumerate() {
        let safe = b.is_ascii_alphanumeric() || b"-_.@+=".contains(&b);
        if safe && !(i == 0 && b == b'.') {
            name.push(b as char);
        } else {
            name.push_str(&format!("%{b:02X}"));
        }
    }
    if name.is_empty() || name.len() > 200 {
        name = hash(uid.as_bytes());
    }
    name.push_str(".vcf");
    name
}

/// A card file of the folder, read.
#[derive(Debug, Clone)]
struct FileCard {
    name: String,
    bytes: Vec<u8>,
    hash: String,
    mtime: Option<i64>,
    card: Card,
}

#[derive(Debug, Default)]
struct Scan {
    by_uid: HashMap<String, FileCard>,
    /// Every `.vcf` name in the folder, read or not.
    names: HashSet<String>,
    /// Names of the files left alone.
    bad_names: HashSet<String>,
    bad: Vec<BadFile>,
}

impl Scan {
    fn bad(&mut self, folder: &Path, name: &str, line: usize, message: String) {
        self.bad_names.insert(name.to_string());
        self.bad.push(BadFile {
            file: folder.join(name),
            line,
            message,
        });
    }
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Reads a regular file without following a link, at most [`FILE_LIMIT`] bytes.
fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(FILE_LIMIT + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > FILE_LIMIT {
        return Err(std::io::Error::other(format!(
            "larger than {} MiB",
            FILE_LIMIT >> 20
        )));
    }
    Ok(bytes)
}

/// Every card file of the folder: `*.vcf` regular files, dot-files (temporaries) left out,
/// links never followed. Each must hold one card; what does not is reported and left alone.
fn scan(folder: &Path) -> Result<Scan> {
    let mut scan = Scan::default();
    let mut names = Vec::new();
    for entry in fs::read_dir(folder).map_err(io_error(folder))? {
        let entry = entry.map_err(io_error(folder))?;
        let raw = entry.file_name();
        let Some(name) = raw.to_str().map(str::to_string) else {
            let shown = raw.to_string_lossy().into_owned();
            if shown.to_ascii_lowercase().ends_with(".vcf") {
                scan.bad(
                    folder,
                    &shown,
                    0,
                    "not a UTF-8 file name; left alone".into(),
                );
            }
            continue;
        };
        if name.starts_with('.') || !name.to_ascii_lowercase().ends_with(".vcf") {
            continue;
        }
        // DirEntry's metadata does not follow a link.
        let kind = entry
            .metadata()
            .map_err(io_error(&entry.path()))?
            .file_type();
        scan.names.insert(name.clone());
        if !kind.is_file() {
            let what = match kind.is_symlink() {
                true => "a symbolic link",
                false => crate::files::kind_of(kind),
            };
            scan.bad(folder, &name, 0, format!("it is {what}; left alone"));
            continue;
        }
        names.push(name);
    }
    names.sort();
    for name in names {
        let path = folder.join(&name);
        let bytes = match read_file(&path) {
            Ok(b) => b,
            Err(e) => {
                scan.bad(folder, &name, 0, format!("{e}; left alone"));
                continue;
            }
        };
        let mtime = fs::symlink_metadata(&path).ok().map(|m| m.mtime());
        let mut cards = vcard::parse(&bytes).into_iter();
        let card = match (cards.next(), cards.next()) {
            (None, _) => {
                scan.bad(folder, &name, 0, "no vCard in it; left alone".into());
                continue;
            }
            (Some(Err(e)), _) => {
                scan.bad(folder, &name, e.line, format!("{}; left alone", e.message));
                continue;
            }
            (Some(Ok(_)), Some(other)) => {
                let line = other.map_or_else(|e| e.line, |c| c.line);
                let message = "a second card; a vdir file holds one, so the file is left alone";
                scan.bad(folder, &name, line, message.into());
                continue;
            }
            (Some(Ok(card)), None) => card,
        };
        let uid = uid_of(&card, &name);
        if let Some(first) = scan.by_uid.get(&uid) {
            let message = format!("UID {uid} is also in {}; left alone", first.name);
            let line = card.line;
            scan.bad(folder, &name, line, message);
            continue;
        }
        let hash = hash(&bytes);
        scan.by_uid.insert(
            uid,
            FileCard {
                name,
                bytes,
                hash,
                mtime,
                card,
            },
        );
    }
    Ok(scan)
}

/// A card's UID; a card without one is known by its file's name (without `.vcf`).
fn uid_of(card: &Card, name: &str) -> String {
    card.fields
        .uid
        .clone()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| name[..name.len() - 4].to_string())
}

/// The folder held for one run: two syncs of one folder at once are refused.
struct Lock {
    _file: fs::File,
    path: PathBuf,
    /// This run made the lock file: a run that changes nothing takes it away again.
    made: bool,
}

impl Lock {
    /// Leaves the folder as the run found it.
    fn release_unchanged(self) {
        if self.made {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Holds the folder for this run: two syncs of one folder at once are refused.
fn lock(folder: &Path) -> Result<Lock> {
    let path = folder.join(LOCK_FILE);
    let made = fs::symlink_metadata(&path).is_err();
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&path)
        .map_err(io_error(&path))?;
    // SAFETY: flock on a file descriptor this function owns.
    let locked = unsafe {
        libc::flock(
            std::os::fd::AsRawFd::as_raw_fd(&file),
            libc::LOCK_EX | libc::LOCK_NB,
        )
    };
    if locked != 0 {
        return Err(StoreError::Rule(format!(
            "{}: another kith sync is running on this folder; try again when it is done",
            folder.display()
        )));
    }
    Ok(Lock {
        _file: file,
        path,
        made,
    })
}

/// Temporary files an interrupted run left behind.
fn remove_leftovers(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether the file at `path` still is what the scan read (absent when `expected` is None).
fn still(path: &Path, expected: Option<&str>) -> bool {
    match (read_file(path), expected) {
        (Ok(bytes), Some(h)) => hash(&bytes) == h,
        (Err(e), None) => e.kind() == std::io::ErrorKind::NotFound,
        _ => false,
    }
}

/// Writes `bytes` as `path` whole: a temporary file (O_EXCL, mode 0600) in the folder, synced,
/// then renamed over the target (a link planted there is replaced, never written through). With
/// `fresh`, a file that appeared at `path` meanwhile is left as it is: false is returned.
fn write_whole(path: &Path, bytes: &[u8], fresh: bool) -> Result<bool> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
        .map_err(io_error(dir))?;
    tmp.write_all(bytes).map_err(io_error(path))?;
    tmp.as_file().sync_all().map_err(io_error(path))?;
    let done = match fresh {
        true => tmp.persist_noclobber(path),
        false => tmp.persist(path),
    };
    match done {
        Ok(_) => Ok(true),
        Err(e) if fresh && e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(io_error(path)(e.error)),
    }
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

/// The card kith writes for a contact.
pub fn card_of(contact: &Contact, version: Version) -> String {
    vcard::write(std::slice::from_ref(contact), version)
}

/// The parents cards land at: by the name of their ORG (ignoring case; a converted lead gives
/// way to the customer it became), created when missing; no ORG is Unfiled.
struct Parents(HashMap<String, i64>);

fn org_key(org: Option<&str>) -> String {
    org.map(str::trim)
        .filter(|o| !o.is_empty())
        .unwrap_or(UNFILED)
        .to_lowercase()
}

impl Parents {
    fn load(b: &Batch) -> Result<Parents> {
        let mut map = HashMap::new();
        for (id, name, converted) in b.parent_names()? {
            let key = name.to_lowercase();
            if !converted || !map.contains_key(&key) {
                map.insert(key, id);
            }
        }
        Ok(Parents(map))
    }

    fn of(&mut self, b: &mut Batch, card: &Card) -> Result<i64> {
        let key = org_key(card.org.as_deref());
        if let Some(&id) = self.0.get(&key) {
            return Ok(id);
        }
        let name = card
            .org
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .unwrap_or(UNFILED);
        let fields = ParentFields {
            name: name.to_string(),
            ..Default::default()
        };
        let id = b.add_parent(card.parent_kind.unwrap_or(ParentKind::Lead), &fields)?;
        self.0.insert(key, id);
        Ok(id)
    }
}

/// One card's plan.
struct Step {
    uid: String,
    action: Action,
    file: Option<FileCard>,
    contact: Option<Contact>,
    state: Option<SyncState>,
    /// The card kith writes for the contact, and its hash.
    card: Option<(String, String)>,
}

/// Whether the file holds the same person as the contact: the very card kith writes, or a card
/// that reads back to the contact's fields at the contact's company.
fn same_card(store: &Store, uid: &str, file: &FileCard, c: &Contact, card: &str) -> bool {
    if file.bytes == card.as_bytes() {
        return true;
    }
    let mut fields = file.card.fields.clone();
    fields.uid = Some(uid.to_string());
    let same_fields = store
        .normalized_contact(&fields)
        .is_ok_and(|f| f == c.fields);
    same_fields && org_key(file.card.org.as_deref()) == c.parent_name.trim().to_lowercase()
}

/// The path `folder` would have once made: what its states are remembered by.
fn key_of_missing(folder: &Path) -> PathBuf {
    let absolute = std::env::current_dir()
        .map(|cwd| cwd.join(folder))
        .unwrap_or_else(|_| folder.to_path_buf());
    let mut rest = Vec::new();
    let mut at = absolute.as_path();
    loop {
        if let Ok(real) = at.canonicalize() {
            return rest.iter().rev().fold(real, |path, part| path.join(part));
        }
        match (at.parent(), at.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                at = parent;
            }
            _ => return absolute,
        }
    }
}

/// The folder, made when missing, as the canonical path its states are remembered by. A
/// folder synced before that is missing now (moved, renamed, a disk not mounted) is not made
/// again, to sync as an empty one, without `force_delete`.
fn open_folder(store: &Store, folder: &Path, options: &SyncOptions) -> Result<PathBuf> {
    match fs::metadata(folder) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(StoreError::Rule(format!(
                "{}: not a folder; nothing was changed",
                folder.display()
            )))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = key_of_missing(folder);
            let ids: Vec<i64> = store
                .sync_states(&key.to_string_lossy())?
                .iter()
                .filter(|s| !s.hash.is_empty())
                .filter_map(|s| s.contact_id)
                .collect();
            let synced = store.contacts_by_ids(&ids)?.len();
            if synced > 0 && !options.force_delete {
                return Err(StoreError::Rule(format!(
                    "{}: the folder synced before is missing (moved, renamed, or a disk not mounted?); nothing was changed: give --vdir the folder where it is now, or run `kith sync --force-delete` to delete the {} synced with it from kith",
                    key.display(),
                    people(synced)
                )));
            }
            fs::create_dir_all(folder).map_err(io_error(folder))?;
        }
        Err(e) => return Err(io_error(folder)(e)),
    }
    folder.canonicalize().map_err(io_error(folder))
}

fn people(n: usize) -> String {
    plural(n, "person", "people")
}

/// Why a run must not delete `deleting` of the `synced` people synced with its folder unless
/// forced, if it must not: every one of them, or more than `share` of them.
pub fn deletions_refused(deleting: usize, synced: usize, share: f64) -> Option<String> {
    if deleting == 0 {
        return None;
    }
    if deleting >= synced {
        let whom = match synced {
            1 => "the one person synced with it".to_string(),
            n => format!("all {n} people synced with it"),
        };
        return Some(format!(
            "this sync would delete {whom} from kith, their cards being gone from the folder"
        ));
    }
    if deleting as f64 > share * synced as f64 {
        return Some(format!(
            "this sync would delete {deleting} of the {synced} people synced with it from kith, more than vdir.max_delete_share ({share})"
        ));
    }
    None
}

/// Syncs the store with the vdir `folder` (created when missing, unless synced before); see the
/// module's comment.
pub fn sync(store: &mut Store, folder: &Path, options: &SyncOptions) -> Result<SyncReport> {
    let folder = open_folder(store, folder, options)?;
    let key = folder.to_string_lossy().into_owned();
    let lock = lock(&folder)?;
    remove_leftovers(&folder);

    let scan = scan(&folder)?;
    let states: HashMap<String, SyncState> = store
        .sync_states(&key)?
        .into_iter()
        .map(|s| (s.uid.clone(), s))
        .collect();
    let contacts: HashMap<String, Contact> = store
        .list_contacts(None)?
        .into_iter()
        .filter_map(|c| Some((c.fields.uid.clone()?, c)))
        .collect();
    let recorded: HashSet<String> = store
        .sync_conflicts(Some(&key))?
        .into_iter()
        .map(|c| c.uid)
        .collect();
    if let Some((uid, _)) = &options.keep {
        if !recorded.contains(uid) {
            return Err(StoreError::Rule(format!(
                "no conflict with UID {uid:?} in {}; `kith sync` lists the conflicts",
                folder.display()
            )));
        }
    }

    let uids: BTreeSet<&String> = states
        .keys()
        .chain(scan.by_uid.keys())
        .chain(contacts.keys())
        .collect();
    let mut steps = Vec::new();
    let mut kinds: HashMap<String, ConflictKind> = HashMap::new();
    // Cards synced with the folder whose person kith has: what a run may delete.
    let mut synced = 0;
    for uid in uids {
        let raw = states.get(uid);
        let file = scan.by_uid.get(uid);
        let state = effective(raw, file);
        let state = state.as_ref();
        let contact = contacts.get(uid);
        synced += usize::from(state.is_some() && contact.is_some());
        // The remembered file is there but cannot be read: nothing is known of its side.
        if file.is_none() && raw.is_some_and(|s| scan.bad_names.contains(&s.file)) {
            continue;
        }
        let card = contact.map(|c| {
            let text = card_of(c, options.version);
            let h = hash(text.as_bytes());
            (text, h)
        });
        let file_seen = match (file, state) {
            (None, _) => Seen::Gone,
            (Some(f), Some(s)) if f.hash == s.hash => Seen::Unchanged,
            _ => Seen::Changed,
        };
        let kith_seen = match (&card, state) {
            (None, _) => Seen::Gone,
            (Some((_, h)), Some(s)) if *h == s.card_hash => Seen::Unchanged,
            _ => Seen::Changed,
        };
        let agree = match (file, contact, &card) {
            (Some(f), Some(c), Some((text, _))) => same_card(store, uid, f, c, text),
            _ => false,
        };
        let mut action = decide(state.is_some(), file_seen, kith_seen, agree);
        // A state of a card never synced whose sides are both gone.
        if action == Action::Nothing && raw.is_some() && file.is_none() && contact.is_none() {
            action = Action::Forget;
        }
        if let Some((keep_uid, keep)) = &options.keep {
            if keep_uid == uid {
                action = settle(*keep, file.is_some(), contact.is_some());
            }
        }
        if let Action::Conflict(kind) = action {
            kinds.insert(uid.clone(), kind);
        }
        if action == Action::Nothing && !recorded.contains(uid) {
            continue;
        }
        steps.push(Step {
            uid: uid.clone(),
            action,
            file: file.cloned(),
            contact: contact.cloned(),
            state: raw.cloned(),
            card,
        });
    }

    // A card the user settled by name is theirs to delete.
    let settled = options.keep.as_ref().map(|(uid, _)| uid);
    let deleting = steps
        .iter()
        .filter(|s| s.action == Action::DeleteContact && Some(&s.uid) != settled)
        .count();
    if !options.force_delete {
        if let Some(why) = deletions_refused(deleting, synced, options.max_delete_share) {
            lock.release_unchanged();
            return Err(StoreError::Rule(format!(
                "{}: {why}; nothing was changed: run `kith sync --force-delete` if they are gone for good, not moved away or on a disk not mounted (`kith undo` brings them back)",
                folder.display()
            )));
        }
    }

    let mut report = SyncReport {
        folder: folder.clone(),
        bad_file_list: scan.bad.clone(),
        resolved: options.keep.as_ref().map(|(u, _)| u.clone()),
        ..Default::default()
    };
    let now = crate::clock::stamp();

    // 1. The store: cards taken from files with their states, links, conflicts; one
    //    transaction.
    let version = options.version;
    let mut bad_cards: Vec<BadFile> = Vec::new();
    store.batch(|b| {
        let mut parents = Parents::load(b)?;
        for step in &steps {
            let uid = &step.uid;
            match step.action {
                Action::AddContact | Action::UpdateContact => {
                    let Some(f) = &step.file else { continue };
                    let result = b.savepoint(|b| {
                        let mut fields = f.card.fields.clone();
                        fields.uid = Some(uid.clone());
                        let pid = parents.of(b, &f.card)?;
                        let id = match (&step.contact, step.action) {
                            (Some(c), Action::UpdateContact) => {
                                let mut v = c.version;
                                if pid != c.parent_id {
                                    v = b.set_contact_parent(c.id, v, pid)?;
                                }
                                b.update_contact(c.id, v, &fields)?;
                                c.id
                            }
                            _ => b.add_contact(pid, &fields)?,
                        };
                        let saved = b.contact(id)?;
                        b.put_sync_state(
                            &key,
                            &SyncState {
                                uid: uid.clone(),
                                file: f.name.clone(),
                                hash: f.hash.clone(),
                                card_hash: hash(card_of(&saved, version).as_bytes()),
                                mtime: f.mtime,
                                contact_id: Some(id),
                                contact_version: Some(saved.version),
                                pending: None,
                            },
                        )?;
                        b.clear_sync_conflict(&key, uid)
                    });
                    match result {
                        Ok(()) => match step.action {
                            Action::AddContact => report.counts.added_in_kith += 1,
                            _ => report.counts.changed_in_kith += 1,
                        },
                        Err(StoreError::Invalid(e)) => bad_cards.push(BadFile {
                            file: folder.join(&f.name),
                            line: f.card.line,
                            message: format!("{e}; left alone"),
                        }),
                        Err(StoreError::Conflict { .. } | StoreError::Gone { .. }) => {
                            report.deferred += 1
                        }
                        Err(e) => return Err(e),
                    }
                }
                Action::Link => {
                    let (Some(f), Some(c), Some((_, h))) = (&step.file, &step.contact, &step.card)
                    else {
                        continue;
                    };
                    b.put_sync_state(
                        &key,
                        &SyncState {
                            uid: uid.clone(),
                            file: f.name.clone(),
                            hash: f.hash.clone(),
                            card_hash: h.clone(),
                            mtime: f.mtime,
                            contact_id: Some(c.id),
                            contact_version: Some(c.version),
                            pending: None,
                        },
                    )?;
                    b.clear_sync_conflict(&key, uid)?;
                    report.counts.linked += 1;
                }
                Action::Forget => {
                    b.forget_sync_state(&key, uid)?;
                    b.clear_sync_conflict(&key, uid)?;
                }
                Action::Conflict(_) => {
                    let file = step
                        .file
                        .as_ref()
                        .map(|f| f.name.clone())
                        .or_else(|| step.state.as_ref().map(|s| s.file.clone()))
                        .unwrap_or_else(|| file_name_for(uid));
                    b.put_sync_conflict(&SyncConflict {
                        folder: key.clone(),
                        uid: uid.clone(),
                        contact_id: step.contact.as_ref().map(|c| c.id),
                        file,
                        theirs: step
                            .file
                            .as_ref()
                            .map(|f| String::from_utf8_lossy(&f.bytes).into_owned()),
                        at: now.clone(),
                    })?;
                }
                // A conflict recorded before that is one no longer: the sides agree again.
                Action::Nothing => b.clear_sync_conflict(&key, uid)?,
                Action::DeleteContact | Action::WriteFile | Action::RemoveFile => {}
            }
        }
        Ok(())
    })?;
    report.bad_file_list.extend(bad_cards);

    // 2. Contacts whose file was removed; 3. files of contacts added, changed or deleted in
    //    kith. Their states are recorded after (4): an interruption in between leaves a file
    //    equal to its card (adopted) or a state with both sides gone (forgotten).
    let mut done_states: Vec<SyncState> = Vec::new();
    let mut forgotten: Vec<String> = Vec::new();
    let mut taken = scan.names.clone();
    let mut targets: HashMap<&str, String> = HashMap::new();
    for step in steps.iter().filter(|s| s.action == Action::WriteFile) {
        let name = match (&step.file, &step.state) {
            (Some(f), _) => f.name.clone(),
            (None, Some(s)) if !taken.contains(&s.file) => s.file.clone(),
            _ => free_name(&step.uid, &taken),
        };
        taken.insert(name.clone());
        targets.insert(&step.uid, name);
    }
    // What is about to be written, noted first: a file found with that hash after an
    // interruption is kith's own write, however the contact changed since.
    store.batch(|b| {
        for step in &steps {
            if let (Some(name), Some((_, h))) = (targets.get(step.uid.as_str()), &step.card) {
                b.set_sync_pending(&key, &step.uid, name, h)?;
            }
        }
        Ok(())
    })?;
    for step in &steps {
        match step.action {
            Action::DeleteContact => {
                let Some(c) = &step.contact else { continue };
                match store.delete_for_sync(report.undo_id, &key, &step.uid, c.id, c.version) {
                    Ok(change) => {
                        report.undo_id = Some(change);
                        report.counts.removed_in_kith += 1;
                        forgotten.push(step.uid.clone());
                    }
                    Err(StoreError::Conflict { .. } | StoreError::Gone { .. }) => {
                        report.deferred += 1
                    }
                    Err(e) => return Err(e),
                }
            }
            Action::WriteFile => {
                let (Some(c), Some((text, h))) = (&step.contact, &step.card) else {
                    continue;
                };
                let Some(name) = targets.get(step.uid.as_str()).cloned() else {
                    continue;
                };
                let path = folder.join(&name);
                let expected = step.file.as_ref().map(|f| f.hash.as_str());
                if !still(&path, expected)
                    || !write_whole(&path, text.as_bytes(), expected.is_none())?
                {
                    report.deferred += 1;
                    continue;
                }
                match step.file {
                    Some(_) => report.counts.changed_in_folder += 1,
                    None => report.counts.added_in_folder += 1,
                }
                let mtime = fs::symlink_metadata(&path).ok().map(|m| m.mtime());
                done_states.push(SyncState {
                    uid: step.uid.clone(),
                    file: name,
                    hash: h.clone(),
                    card_hash: h.clone(),
                    mtime,
                    contact_id: Some(c.id),
                    contact_version: Some(c.version),
                    pending: None,
                });
            }
            Action::RemoveFile => {
                let Some(f) = &step.file else { continue };
                let path = folder.join(&f.name);
                if !still(&path, Some(&f.hash)) {
                    report.deferred += 1;
                    continue;
                }
                fs::remove_file(&path).map_err(io_error(&path))?;
                report.counts.removed_in_folder += 1;
                forgotten.push(step.uid.clone());
            }
            _ => {}
        }
    }
    if let Ok(dir) = fs::File::open(&folder) {
        let _ = dir.sync_all();
    }

    // 4. The states of what was written and removed, and the run.
    report.counts.bad_files = report.bad_file_list.len();
    let list = store.sync_conflicts(Some(&key))?;
    let settled: HashSet<&String> = done_states
        .iter()
        .map(|s| &s.uid)
        .chain(&forgotten)
        .collect();
    report.counts.conflicts = list.iter().filter(|c| !settled.contains(&c.uid)).count();
    store.batch(|b| {
        for s in &done_states {
            b.put_sync_state(&key, s)?;
            b.clear_sync_conflict(&key, &s.uid)?;
        }
        for uid in &forgotten {
            b.forget_sync_state(&key, uid)?;
            b.clear_sync_conflict(&key, uid)?;
        }
        let counts = serde_json::to_value(&report.counts).unwrap_or_default();
        b.record_sync_run(&key, &counts)
    })?;
    let list = store.sync_conflicts(Some(&key))?;
    report.conflict_list = shown_conflicts(store, list, &kinds)?;
    Ok(report)
}

/// The state a card is judged against: a write kith set out to do and did counts as synced;
/// a card never synced has none.
fn effective(state: Option<&SyncState>, file: Option<&FileCard>) -> Option<SyncState> {
    let s = state?;
    match (&s.pending, file) {
        (Some(p), Some(f)) if p.split(' ').any(|h| h == f.hash) => Some(SyncState {
            hash: f.hash.clone(),
            card_hash: f.hash.clone(),
            pending: None,
            ..s.clone()
        }),
        _ if s.hash.is_empty() => None,
        _ => Some(s.clone()),
    }
}

/// A file name for a new card of `uid` that no file of the folder has.
fn free_name(uid: &str, taken: &HashSet<String>) -> String {
    let name = file_name_for(uid);
    if !taken.contains(&name) {
        return name;
    }
    let stem = &name[..name.len() - 4];
    (2..)
        .map(|n| format!("{stem}-{n}.vcf"))
        .find(|n| !taken.contains(n))
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ContactFields;
    use crate::ops::testing::{parent, temp_store};

    #[test]
    fn the_decision_table_covers_every_combination() {
        use Action::*;
        use ConflictKind::*;
        use Seen::{Changed as C, Gone as G, Unchanged as U};
        // (remembered, file, kith, agree) -> action. Without a state a side that is there is
        // new (Changed); "Unchanged" needs a state, so the rows without one have none.
        let table = [
            (false, G, G, false, Nothing),
            (false, C, G, false, AddContact),
            (false, G, C, false, WriteFile),
            (false, C, C, true, Link),
            (false, C, C, false, Conflict(ChangedOnBothSides)),
            (true, G, G, false, Forget),
            (true, U, U, true, Nothing),
            (true, U, U, false, Nothing),
            (true, C, U, false, UpdateContact),
            (true, U, C, false, WriteFile),
            (true, C, C, true, Link),
            (true, C, C, false, Conflict(ChangedOnBothSides)),
            (true, U, G, false, RemoveFile),
            (true, C, G, false, Conflict(DeletedInKith)),
            (true, G, U, false, DeleteContact),
            (true, G, C, false, Conflict(DeletedInFolder)),
        ];
        for (remembered, file, kith, agree, want) in table {
            assert_eq!(
                decide(remembered, file, kith, agree),
                want,
                "remembered {remembered}, file {file:?}, kith {kith:?}, agree {agree}"
            );
        }
        // Settling: kith's version writes or removes the file, the file's updates, adds or
        // deletes the contact.
        assert_eq!(settle(Keep::Kith, true, true), WriteFile);
        assert_eq!(settle(Keep::Kith, false, true), WriteFile);
        assert_eq!(settle(Keep::Kith, true, false), RemoveFile);
        assert_eq!(settle(Keep::File, true, true), UpdateContact);
        assert_eq!(settle(Keep::File, true, false), AddContact);
        assert_eq!(settle(Keep::File, false, true), DeleteContact);
        assert_eq!(settle(Keep::File, false, false), Forget);
    }

    #[test]
    fn file_names_are_the_uid_when_safe_else_encoded() {
        assert_eq!(file_name_for("abc-1.2@x"), "abc-1.2@x.vcf");
        assert_eq!(file_name_for("a/b c"), "a%2Fb%20c.vcf");
        assert_eq!(file_name_for(".hidden"), "%2Ehidden.vcf");
        assert_eq!(file_name_for("ü"), "%C3%BC.vcf");
        let long = "x".repeat(300);
        assert_eq!(
            file_name_for(&long),
            format!("{}.vcf", hash(long.as_bytes()))
        );
        assert_eq!(hash(b""), "cbf29ce484222325");
    }

    fn person(store: &mut Store, pid: i64, first: &str) -> i64 {
        let fields = ContactFields {
            first_name: Some(first.into()),
            title: Some("CTO".into()),
            ..Default::default()
        };
        store.add_contact(pid, &fields).unwrap()
    }

    fn vcf_names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".vcf"))
            .collect();
        names.sort();
        names
    }

    /// Crash after the files were written, before their states were recorded: the next run
    /// adopts each file (it is the card kith writes), with no conflict and no second file.
    #[test]
    fn files_written_but_not_recorded_are_adopted() {
        let (dir, mut store) = temp_store();
        let pid = parent(&mut store, ParentKind::Lead, "Acme");
        person(&mut store, pid, "Ada");
        person(&mut store, pid, "Grace");
        let folder = dir.path().join("vdir");
        let options = SyncOptions::default();
        let first = sync(&mut store, &folder, &options).unwrap();
        assert_eq!(first.counts.added_in_folder, 2);
        let key = folder
            .canonicalize()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let states = store.sync_states(&key).unwrap();
        store
            .batch(|b| {
                for s in &states {
                    b.forget_sync_state(&key, &s.uid)?;
                }
                Ok(())
            })
            .unwrap();
        let names = vcf_names(&folder);
        let again = sync(&mut store, &folder, &options).unwrap();
        assert_eq!(again.counts.linked, 2, "{again:?}");
        assert!(again.counts.nothing_changed(), "{again:?}");
        assert!(again.conflict_list.is_empty());
        assert_eq!(vcf_names(&folder), names);
        assert_eq!(store.sync_states(&key).unwrap().len(), 2);
    }

    /// Crash after a file was renamed over the old one, before the state moved on: file and
    /// contact both differ from the state but agree with each other.
    #[test]
    fn a_file_rewritten_before_its_state_is_recorded_is_no_conflict() {
        let (dir, mut store) = temp_store();
        let pid = parent(&mut store, ParentKind::Lead, "Acme");
        let id = person(&mut store, pid, "Ada");
        let folder = dir.path().join("vdir");
        let options = SyncOptions::default();
        sync(&mut store, &folder, &options).unwrap();
        store
            .edit_contact(id, |c| ContactFields {
                title: Some("CEO".into()),
                ..c.fields.clone()
            })
            .unwrap();
        // What step 3 would write, written without step 4.
        let c = store.contact(id).unwrap();
        let name = vcf_names(&folder).pop().unwrap();
        write_whole(
            &folder.join(&name),
            card_of(&c, Version::V3).as_bytes(),
            false,
        )
        .unwrap();
        let again = sync(&mut store, &folder, &options).unwrap();
        assert_eq!(again.counts.linked, 1, "{again:?}");
        assert!(again.counts.nothing_changed() && again.conflict_list.is_empty());
        let third = sync(&mut store, &folder, &options).unwrap();
        assert_eq!(third.counts, Counts::default());
    }

    /// Crash after a file was written, before its state was recorded, then the contact edited
    /// again: the file is known for kith's own write (its hash was noted first), so the new
    /// edit is written over it, no conflict.
    #[test]
    fn a_write_noted_then_done_is_kiths_own_even_after_another_edit() {
        let (dir, mut store) = temp_store();
        let pid = parent(&mut store, ParentKind::Lead, "Acme");
        let id = person(&mut store, pid, "Ada");
        let folder = dir.path().join("vdir");
        let options = SyncOptions::default();
        sync(&mut store, &folder, &options).unwrap();
        let key = folder
            .canonicalize()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let edit = |store: &mut Store, title: &str| {
            store
                .edit_contact(id, |c| ContactFields {
                    title: Some(title.into()),
                    ..c.fields.clone()
                })
                .unwrap();
        };
        edit(&mut store, "CEO");
        let card = card_of(&store.contact(id).unwrap(), Version::V3);
        let uid = store.contact(id).unwrap().fields.uid.unwrap();
        let name = vcf_names(&folder).pop().unwrap();
        store
            .batch(|b| b.set_sync_pending(&key, &uid, &name, &hash(card.as_bytes())))
            .unwrap();
        write_whole(&folder.join(&name), card.as_bytes(), false).unwrap();
        edit(&mut store, "Chair");
        let again = sync(&mut store, &folder, &options).unwrap();
        assert!(again.conflict_list.is_empty(), "{again:?}");
        assert_eq!(again.counts.changed_in_folder, 1);
        let now = card_of(&store.contact(id).unwrap(), Version::V3);
        assert_eq!(fs::read_to_string(folder.join(&name)).unwrap(), now);
    }

    /// Crash after a file was removed (or a contact deleted) before the state was forgotten:
    /// both sides gone, the state goes, nothing comes back.
    #[test]
    fn a_state_with_both_sides_gone_is_forgotten_not_recreated() {
        let (dir, mut store) = temp_store();
        let pid = parent(&mut store, ParentKind::Lead, "Acme");
        let id = person(&mut store, pid, "Ada");
        let folder = dir.path().join("vdir");
        let options = SyncOptions::default();
        sync(&mut store, &folder, &options).unwrap();
        let c = store.contact(id).unwrap();
        store.delete_contact(id, c.version).unwrap();
        for name in vcf_names(&folder) {
            fs::remove_file(folder.join(name)).unwrap();
        }
        let again = sync(&mut store, &folder, &options).unwrap();
        assert!(again.counts.nothing_changed(), "{again:?}");
        let key = folder
            .canonicalize()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(store.sync_states(&key).unwrap().is_empty());
        assert!(vcf_names(&folder).is_empty());
        assert!(store.list_contacts(None).unwrap().is_empty());
    }

    /// A card whose file kith cannot read any more is left alone on both sides.
    #[test]
    fn a_remembered_file_that_no_longer_parses_deletes_nothing() {
        let (dir, mut store) = temp_store();
        let pid = parent(&mut store, ParentKind::Lead, "Acme");
        person(&mut store, pid, "Ada");
        let folder = dir.path().join("vdir");
        let options = SyncOptions::default();
        sync(&mut store, &folder, &options).unwrap();
        let name = vcf_names(&folder).pop().unwrap();
        fs::write(folder.join(&name), "BEGIN:VCARD\r\nVERSION:3.0\r\n").unwrap();
        let again = sync(&mut store, &folder, &options).unwrap();
        assert_eq!(again.bad_file_list.len(), 1, "{again:?}");
        assert_eq!(
            again.bad_file_list[0].file,
            folder.canonicalize().unwrap().join(&name)
        );
        assert!(again.counts.nothing_changed());
        assert_eq!(store.list_contacts(None).unwrap().len(), 1);
        assert_eq!(
            fs::read(folder.join(&name)).unwrap(),
            b"BEGIN:VCARD\r\nVERSION:3.0\r\n"
        );
    }

    #[test]
    fn deleting_everyone_or_more_than_the_share_is_refused() {
        assert_eq!(deletions_refused(0, 0, 0.5), None);
        assert_eq!(deletions_refused(0, 5, 0.0), None);
        let one = deletions_refused(1, 1, 1.0).unwrap();
        assert!(one.contains("the one person synced"), "{one}");
        assert!(deletions_refused(5, 5, 1.0)
            .unwrap()
            .contains("all 5 people"));
        assert_eq!(
            deletions_refused(2, 4, 0.5),
            None,
            "half is not more than half"
        );
        let three = deletions_refused(3, 4, 0.5).unwrap();
        assert!(
            three.contains("3 of the 4") && three.contains("vdir.max_delete_share (0.5)"),
            "{three}"
        );
        assert_eq!(deletions_refused(3, 4, 0.75), None);
        assert!(
            deletions_refused(1, 4, 0.0).is_some(),
            "0: none without force"
        );
    }

    /// A folder not there is known by the path it will have: its nearest existing ancestor's
    /// real path, then the rest.
    #[test]
    fn a_missing_folder_is_known_by_the_path_it_would_have() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        let missing = dir.path().join("a").join("b");
        assert_eq!(key_of_missing(&missing), real.join("a").join("b"));
        std::os::unix::fs::symlink(dir.path(), dir.path().join("link")).unwrap();
        let through = dir.path().join("link").join("gone");
        assert_eq!(key_of_missing(&through), real.join("gone"));
    }

    /// Synced with a folder, then the folder gone: not made again, nobody deleted, until
    /// forced; then the people are kept and undo brings them back.
    #[test]
    fn a_missing_folder_synced_before_is_not_made_again_unless_forced() {
        let (dir, mut store) = temp_store();
        let pid = parent(&mut store, ParentKind::Lead, "Acme");
        let id = person(&mut store, pid, "Ada");
        let folder = dir.path().join("vdir");
        let options = SyncOptions::default();
        sync(&mut store, &folder, &options).unwrap();
        fs::remove_dir_all(&folder).unwrap();
        let err = sync(&mut store, &folder, &options).unwrap_err().to_string();
        assert!(err.contains("missing") && err.contains("1 person"), "{err}");
        assert!(!folder.exists());
        assert_eq!(store.list_contacts(None).unwrap().len(), 1);
        let forced = SyncOptions {
            force_delete: true,
            ..SyncOptions::default()
        };
        let report = sync(&mut store, &folder, &forced).unwrap();
        assert_eq!(report.counts.removed_in_kith, 1);
        let change = report.undo_id.expect("the deletion can be undone");
        assert!(summary(&report).contains(&format!("kith undo {change} brings them back")));
        assert!(store.list_contacts(None).unwrap().is_empty());
        let undone = store.undo_change(Some(change)).unwrap();
        assert_eq!(undone.people, vec![(id, "Ada".to_string())]);
        assert_eq!(
            store.contact(id).unwrap().fields.first_name.as_deref(),
            Some("Ada")
        );
        let again = sync(&mut store, &folder, &options).unwrap();
        assert_eq!(again.counts.added_in_folder, 1, "{again:?}");
        assert_eq!(again.counts.removed_in_kith, 0);
    }

    /// Two folders are two sets of states: syncing a second, empty folder deletes nobody.
    #[test]
    fn a_second_folder_is_filled_not_taken_for_deletions() {
        let (dir, mut store) = temp_store();
        let pid = parent(&mut store, ParentKind::Lead, "Acme");
        person(&mut store, pid, "Ada");
        let options = SyncOptions::default();
        sync(&mut store, &dir.path().join("one"), &options).unwrap();
        let two = sync(&mut store, &dir.path().join("two"), &options).unwrap();
        assert_eq!(two.counts.added_in_folder, 1);
        assert_eq!(two.counts.removed_in_kith, 0);
        assert_eq!(store.list_contacts(None).unwrap().len(), 1);
        let last = last_run(&store).unwrap().unwrap();
        assert_eq!(last.folder, dir.path().join("two").canonicalize().unwrap());
        assert_eq!(last.counts.added_in_folder, 1);
    }
}
