//! Opening a store: creating it privately, refusing files that are not kith's (without writing to
//! them), and setting the pragmas every connection needs.

use super::db::Db;
use super::error::{Result, StoreError};
use super::schema::{self, APPLICATION_ID};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Read};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;
use std::time::Duration;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// How much of the file a connection reads through a memory map (see [`open`]).
const MMAP_SIZE: i64 = 1 << 30;

impl super::Store {
    /// Reads the file with system calls instead of a memory map from now on, through a page
    /// cache of 8 MiB instead of the 64 MiB an import wants. For a process that stays open (the
    /// TUI): every page of the map it once touched counts in its resident memory for as long as
    /// it runs, and so does every page the cache once held, while the OS keeps the file's pages
    /// in its own cache for the next read anyway.
    pub fn without_memory_map(&self) -> Result<()> {
        if let Some(conn) = self.db.sqlite() {
            conn.pragma_update(None, "mmap_size", 0)?;
            conn.pragma_update(None, "cache_size", -8_192)?;
        }
        Ok(())
    }

    /// Waits at most `wait` for another process's write lock from now on, then answers
    /// [`StoreError::Busy`]. For a process that draws (the TUI): a save that waited the whole
    /// busy timeout would freeze the screen as long.
    pub fn wait_for_locks_at_most(&self, wait: Duration) -> Result<()> {
        self.db.set_lock_wait(wait)
    }
}

/// What the first 100 bytes of an existing file say about it.
enum Sniffed {
    /// Missing or empty: a new store is made in it.
    Empty,
    /// An SQLite database with this application id and user version in its header.
    Sqlite {
        application_id: i32,
        version: i64,
        /// Bumped by every schema change: 0 means no table was ever made in it.
        schema_cookie: i32,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Creates the store's folder (0700) and an empty file (0600) when they are missing, so that
/// SQLite never creates the file with the umask's looser mode; its -wal and -shm files take the
/// main file's mode. A team store (`store.team`) is the group's too: its file 0660 and owned by
/// the group that owns its folder, a folder made for it 2770 (its files take its group).
fn create_private(path: &Path, team: bool) -> Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.exists() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(io(dir))?;
        if team {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o2770)).map_err(io(dir))?;
        }
    }
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(file) if team => {
            // Set after the umask (kith's own is 077) had its say.
            let group = fs::metadata(dir).map_err(io(dir))?.gid();
            std::os::unix::fs::fchown(&file, None, Some(group)).map_err(io(path))?;
            file.set_permissions(fs::Permissions::from_mode(0o660))
                .map_err(io(path))
        }
        Ok(_) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io(path)(e)),
    }
}

fn sniff(path: &Path) -> Result<Sniffed> {
    let mut header = Vec::with_capacity(100);
    // Looked at before it is opened: opening a FIFO to read waits for a writer forever.
    let kind = match fs::metadata(path) {
        Ok(m) => m.file_type(),
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Sniffed::Empty),
        Err(e) => return Err(io(path)(e)),
    };
    if !kind.is_file() {
        return Err(StoreError::Foreign {
            path: path.to_path_buf(),
            why: format!("it is {}, not a regular file", crate::files::kind_of(kind)),
        });
    }
    let file = fs::File::open(path).map_err(io(path))?;
    file.take(100).read_to_end(&mut header).map_err(io(path))?;
    if header.is_empty() {
        return Ok(Sniffed::Empty);
    }
    if header.len() < 100 || &header[..16] != SQLITE_MAGIC {
        return Err(StoreError::Foreign {
            path: path.to_path_buf(),
            why: "it is not an SQLite database".into(),
        });
    }
    let be = |at: usize| {
        i32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    Ok(Sniffed::Sqlite {
        application_id: be(68),
        version: be(60) as i64,
        schema_cookie: be(40),
    })
}

fn identity_check(path: &Path, application_id: i32, version: i64) -> Result<()> {
    if application_id != 0 && application_id != APPLICATION_ID {
        return Err(StoreError::Foreign {
            path: path.to_path_buf(),
            why: format!("it belongs to another application, id {application_id:#010x}"),
        });
    }
    if application_id == APPLICATION_ID && version > schema::latest() {
        return Err(StoreError::Newer {
            path: path.to_path_buf(),
            found: version,
            supported: schema::latest(),
        });
    }
    Ok(())
}

/// What SQLite itself says of an unmarked file whose header may lag behind its WAL: application
/// id, user version and whether it has tables. Only called when a -wal file exists already, so
/// the read-only connection leaves no new files behind.
fn peek(path: &Path, busy_timeout: Duration) -> Result<(i32, i64, bool)> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(busy_timeout)?;
    let n: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    Ok((
        schema::application_id(&conn)?,
        schema::user_version(&conn)?,
        n > 0,
    ))
}

fn has_wal(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    fs::metadata(std::path::PathBuf::from(wal)).is_ok_and(|m| m.len() > 0)
}

/// Switches to WAL. Two processes switching at once can get SQLITE_BUSY at once, without the
/// busy handler (a read lock upgraded to a write lock), so it is retried until the busy timeout.
fn set_wal(conn: &Connection, busy_timeout: Duration) -> Result<()> {
    let deadline = std::time::Instant::now() + busy_timeout;
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
            Ok(_) => return Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10))
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Whether this process may write the store: the file, and its folder (where SQLite makes its
/// -wal and -shm files). Asked of the kernel with the process's own ids, as a write would be.
fn writable(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let may_write = |p: &Path| {
        let Ok(name) = std::ffi::CString::new(p.as_os_str().as_bytes()) else {
            return false;
        };
        // SAFETY: a valid C string; faccessat only reads it.
        unsafe { libc::faccessat(libc::AT_FDCWD, name.as_ptr(), libc::W_OK, libc::AT_EACCESS) == 0 }
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    may_write(path) && may_write(dir)
}

/// `path` as an SQLite URI that opens it read-only and immutable: SQLite then makes no -wal or
/// -shm file (the folder may not allow one, and one made here would keep this reader's mode for
/// the writers after it) and takes no lock.
fn read_only_uri(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut uri = String::from("file:");
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    uri
}

/// The store at `path` opened for reading only, for a user who cannot write it.
fn open_read_only(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        read_only_uri(path),
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    identity_check(
        path,
        schema::application_id(&conn)?,
        schema::user_version(&conn)?,
    )?;
    if schema::user_version(&conn)? < schema::latest() {
        return Err(StoreError::Rule(format!(
            "{}: read-only for you, and its schema needs an upgrade that only a kith that can write it can make",
            path.display()
        )));
    }
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "mmap_size", MMAP_SIZE)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(conn)
}

/// The settings of every writing connection: foreign keys, durable commits, and what makes
/// imports and lookups fast.
fn configure(conn: &mut Connection) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", true)?;
    // FULL: a commit survives power loss, not only a killed process.
    conn.pragma_update(None, "synchronous", "FULL")?;
    // 64 MiB of page cache: an import writes to several indexes at random places (UIDs, email
    // addresses), and SQLite's default 2 MiB makes each of those a read from disk.
    conn.pragma_update(None, "cache_size", -65_536)?;
    // Reads through a memory map: a command that looks up a few thousand entries in a new
    // process reads pages without a system call each (the pages stay in the OS's cache between
    // runs). Writes still go through SQLite's journal.
    conn.pragma_update(None, "mmap_size", MMAP_SIZE)?;
    // A statement that fires triggers keeps a statement journal, in a temporary file unless
    // told otherwise: in memory it costs no write to disk per contact of an import.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // Every statement a write runs stays prepared: rusqlite keeps 16 by default, fewer than one
    // contact's insert uses, and preparing an INSERT with triggers again each row is dear.
    conn.set_prepared_statement_cache_capacity(128);
    Ok(())
}

impl super::Store {
    /// Another connection to this store, for a worker thread. It is opened by SQLite alone:
    /// POSIX locks belong to the process, so reading the file by other means (as opening a
    /// store does, to see what the file is) and closing it would drop the locks this process's
    /// other connections hold, and another process could then write under them.
    pub(super) fn another_sqlite_connection(&self, this: &Connection) -> Result<super::Store> {
        if self.read_only {
            return Ok(super::Store {
                db: Db::Sqlite(open_read_only(&self.path)?),
                read_only: true,
                path: self.path.clone(),
                actor: self.actor.clone(),
                region: self.region.clone(),
            });
        }
        let mut conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let wait: i64 = this.query_row("PRAGMA busy_timeout", [], |r| r.get(0))?;
        conn.busy_timeout(Duration::from_millis(wait.max(0) as u64))?;
        configure(&mut conn)?;
        Ok(super::Store {
            db: Db::Sqlite(conn),
            read_only: false,
            path: self.path.clone(),
            actor: self.actor.clone(),
            region: self.region.clone(),
        })
    }
}

/// Opens the store at `path`: for writing (see [`open`]) when this user may write it, else for
/// reading only. Says which.
pub fn open_any(path: &Path, busy_timeout: Duration, team: bool) -> Result<(Connection, bool)> {
    if fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > 0) && !writable(path) {
        // Refused here like any store kith opens, before reading it.
        if let Sniffed::Sqlite {
            application_id,
            version,
            ..
        } = sniff(path)?
        {
            identity_check(path, application_id, version)?;
        }
        return Ok((open_read_only(path)?, true));
    }
    Ok((open(path, busy_timeout, team)?, false))
}

/// Opens (creating when missing, for the team with `team`) the store at `path`, ready for use:
/// identity checked, WAL, foreign keys, busy timeout, schema migrated.
pub fn open(path: &Path, busy_timeout: Duration, team: bool) -> Result<Connection> {
    match sniff(path)? {
        Sniffed::Empty => create_private(path, team)?,
        Sniffed::Sqlite {
            application_id,
            version,
            schema_cookie,
        } => {
            identity_check(path, application_id, version)?;
            if application_id == 0 {
                let foreign = if has_wal(path) {
                    let (app, version, tables) = peek(path, busy_timeout)?;
                    identity_check(path, app, version)?;
                    app == 0 && tables
                } else {
                    schema_cookie != 0
                };
                if foreign {
                    return Err(StoreError::Foreign {
                        path: path.to_path_buf(),
                        why: "it is another application's SQLite database".into(),
                    });
                }
            }
        }
    }
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(busy_timeout)?;
    // The header read above can lag behind a WAL that was not checkpointed yet: ask SQLite too,
    // still before anything is written.
    identity_check(
        path,
        schema::application_id(&conn)?,
        schema::user_version(&conn)?,
    )?;
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        set_wal(&conn, busy_timeout)?;
    }
    configure(&mut conn)?;
    if schema::user_version(&conn)? < schema::latest() {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version = schema::user_version(&tx)?;
        let app = schema::application_id(&tx)?;
        identity_check(path, app, version)?;
        if app == 0 {
            let n: i64 = tx.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
            if n > 0 {
                return Err(StoreError::Foreign {
                    path: path.to_path_buf(),
                    why: "it is another application's SQLite database".into(),
                });
            }
        }
        schema::migrate(&tx)?;
        tx.commit()?;
    }
    Ok(conn)
}
