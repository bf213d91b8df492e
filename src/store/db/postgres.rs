//! The PostgreSQL connection: statements over the simple query protocol with their values
//! written in (see `literal.rs`), writers taking turns through one advisory lock as they do
//! through SQLite's write lock, and other writers' commits heard through LISTEN/NOTIFY.

use super::super::error::{Result, StoreError};
use super::literal;
use super::{Owned, Params};
use crate::store::pgconnect::{self, ServerLimits};
use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, SimpleQueryMessage, SimpleQueryRow};
use std::cell::{Cell, RefCell};
use std::time::{Duration, Instant};

/// The channel every write transaction notifies on commit.
const CHANNEL: &str = "kith_changes";

/// How long polling waits for a new connection.
const POLL_CONNECT: Duration = Duration::from_secs(1);

/// How long polling waits after a failed try to connect again before the next.
const RECONNECT_REST: Duration = Duration::from_secs(5);

/// How long [`Pg::data_version`] listens for a notification: it is asked between key presses.
const NOTIFY_WAIT: Duration = Duration::from_millis(5);

/// The advisory lock every write transaction holds: "kith" in ASCII. One writer at a time, as on
/// SQLite, keeps every read-then-write of the store's code (versions, ids above merged ones,
/// migrations) as safe as it is there; readers never wait for it.
const WRITE_LOCK: i64 = 0x6B69_7468;

/// How to reach the server again after the connection is lost, and what it allows a session.
#[derive(Clone)]
pub(crate) struct Reach {
    pub url: String,
    pub options: pgconnect::ConnectOptions,
    pub limits: ServerLimits,
}

pub(crate) struct Pg {
    client: RefCell<Client>,
    reach: Reach,
    /// The server process serving this connection: its own notifications are not news.
    backend_pid: Cell<i32>,
    /// Other connections' commits heard so far, plus one for each reconnection.
    heard: Cell<i64>,
    in_transaction: Cell<bool>,
    lock_wait: Cell<Duration>,
    /// When connecting again last failed: polling waits a while before it tries again, since a
    /// server that does not answer holds each try up to the connect timeout.
    failed_at: Cell<Option<Instant>>,
    /// Who the server says we are: the author of changes unless the config names one.
    user: String,
}

impl Pg {
    pub(crate) fn connect(reach: Reach, lock_wait: Duration) -> Result<Pg> {
        let (client, backend_pid, user) = open(&reach)?;
        Ok(Pg {
            client: RefCell::new(client),
            reach,
            backend_pid: Cell::new(backend_pid),
            heard: Cell::new(0),
            in_transaction: Cell::new(false),
            lock_wait: Cell::new(lock_wait),
            failed_at: Cell::new(None),
            user,
        })
    }

    pub(crate) fn user(&self) -> &str {
        &self.user
    }

    pub(crate) fn reach(&self) -> &Reach {
        &self.reach
    }

    /// The location for messages: the URL without its password.
    pub(crate) fn location(&self) -> String {
        pgconnect::redacted(&self.reach.url)
    }

    pub(crate) fn lock_wait(&self) -> Duration {
        self.lock_wait.get()
    }

    pub(crate) fn set_lock_wait(&self, wait: Duration) {
        self.lock_wait.set(wait);
    }

    /// A connection lost between statements is opened again; one lost inside a transaction is
    /// not, since what the transaction did is gone with it and must be reported.
    fn client(&self) -> Result<std::cell::RefMut<'_, Client>> {
        self.client_within(self.reach.options.connect_timeout)
    }

    /// [`Pg::client`], waiting at most `wait` (zero: the default) for a new connection.
    fn client_within(&self, wait: Duration) -> Result<std::cell::RefMut<'_, Client>> {
        let closed = self.client.borrow().is_closed();
        if closed && !self.in_transaction.get() {
            let mut reach = self.reach.clone();
            reach.options.connect_timeout = wait;
            let (client, pid, _) = open(&reach).inspect_err(|_| {
                self.failed_at.set(Some(Instant::now()));
            })?;
            self.failed_at.set(None);
            *self.client.borrow_mut() = client;
            self.backend_pid.set(pid);
            // Whatever others wrote while we were away is news.
            self.heard.set(self.heard.get() + 1);
        }
        Ok(self.client.borrow_mut())
    }

    /// True while polling should not try to connect again yet (see `failed_at`).
    fn resting(&self) -> bool {
        self.client.borrow().is_closed()
            && self
                .failed_at
                .get()
                .is_some_and(|at| at.elapsed() < RECONNECT_REST)
    }

    fn run(&self, sql: &str) -> Result<Vec<SimpleQueryMessage>> {
        let mut client = self.client()?;
        client.simple_query(sql).map_err(|e| self.error(e))
    }

    fn error(&self, e: postgres::Error) -> StoreError {
        use postgres::error::SqlState;
        let limits = &self.reach.limits;
        match e.code() {
            Some(c) if *c == SqlState::IDLE_IN_TRANSACTION_SESSION_TIMEOUT => {
                StoreError::Connect(format!(
                    "the PostgreSQL server at {} ended this write's transaction after {} idle \
                     (store.idle_in_transaction_timeout_ms; was kith stopped or suspended?); \
                     nothing of it was written",
                    self.location(),
                    seconds(limits.idle_in_transaction)
                ))
            }
            // Also an administrator's pg_cancel_backend, whose message says so.
            Some(c) if *c == SqlState::QUERY_CANCELED && !limits.statement.is_zero() => {
                let why = e
                    .as_db_error()
                    .map_or(e.to_string(), |d| d.message().to_string());
                let undone = if self.in_transaction.get() {
                    "; nothing of this change was written"
                } else {
                    ""
                };
                StoreError::Postgres(format!(
                    "{why} (longer than store.statement_timeout_ms, {}){undone}",
                    seconds(limits.statement)
                ))
            }
            _ => from_postgres(e, &self.location()),
        }
    }

    pub(crate) fn batch(&self, sql: &str) -> Result<()> {
        self.run(sql).map(|_| ())
    }

    pub(crate) fn execute(&self, sql: &str, params: Params) -> Result<usize> {
        let bound = bind(sql, params)?;
        let mut changed = 0;
        for message in self.run(&bound)? {
            if let SimpleQueryMessage::CommandComplete(n) = message {
                changed = n as usize;
            }
        }
        Ok(changed)
    }

    pub(crate) fn query<T>(
        &self,
        sql: &str,
        params: Params,
        mut f: impl FnMut(&SimpleQueryRow) -> Result<T>,
    ) -> Result<Vec<Result<T>>> {
        let bound = bind(sql, params)?;
        Ok(self
            .run(&bound)?
            .iter()
            .filter_map(|m| match m {
                SimpleQueryMessage::Row(row) => Some(f(row)),
                _ => None,
            })
            .collect())
    }

    /// Rows read over the extended protocol, which says each column's type: integers come back
    /// as integers, not as their digits.
    pub(crate) fn typed_rows(
        &self,
        sql: &str,
        params: Params,
    ) -> Result<(Vec<String>, Vec<Vec<Owned>>)> {
        use postgres::types::Type;
        let bound = bind(sql, params)?;
        let rows = self
            .client()?
            .query(bound.as_str(), &[])
            .map_err(|e| self.error(e))?;
        let Some(first) = rows.first() else {
            return Ok((Vec::new(), Vec::new()));
        };
        let names = first
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut values = Vec::with_capacity(row.len());
            for (i, column) in row.columns().iter().enumerate() {
                let bad = |e: postgres::Error| super::bad_cell(i, e.to_string());
                let t = column.type_();
                let value = if *t == Type::INT8 {
                    row.try_get::<_, Option<i64>>(i)
                        .map_err(bad)?
                        .map(Owned::Int)
                } else if *t == Type::INT4 {
                    row.try_get::<_, Option<i32>>(i)
                        .map_err(bad)?
                        .map(|v| Owned::Int(v.into()))
                } else if *t == Type::INT2 {
                    row.try_get::<_, Option<i16>>(i)
                        .map_err(bad)?
                        .map(|v| Owned::Int(v.into()))
                } else if *t == Type::BOOL {
                    row.try_get::<_, Option<bool>>(i)
                        .map_err(bad)?
                        .map(|v| Owned::Int(v.into()))
                } else if *t == Type::FLOAT8 {
                    row.try_get::<_, Option<f64>>(i)
                        .map_err(bad)?
                        .map(Owned::Real)
                } else {
                    row.try_get::<_, Option<String>>(i)
                        .map_err(bad)?
                        .map(Owned::Text)
                };
                values.push(value.unwrap_or(Owned::Null));
            }
            out.push(values);
        }
        Ok((names, out))
    }

    pub(crate) fn last_insert_id(&self) -> Result<i64> {
        let rows = self.query("SELECT lastval()", &[], |r| {
            super::Row::Postgres(r).get::<i64>(0)
        })?;
        rows.into_iter().next().unwrap_or(Err(StoreError::NoRow))
    }

    pub(crate) fn begin_write(&self) -> Result<()> {
        let wait = self.lock_wait.get().as_millis().max(1);
        // Waiting for the lock is bounded by the lock wait alone (which may be longer than the
        // statement timeout), so that a long wait ends as "busy"; then the statement timeout
        // again, for the rest of the transaction.
        let statement = self.reach.limits.statement.as_millis();
        self.batch(&format!(
            "BEGIN; SET LOCAL lock_timeout = {wait}; SET LOCAL statement_timeout = 0; \
             SELECT pg_advisory_xact_lock({WRITE_LOCK}); \
             SET LOCAL statement_timeout = {statement}"
        ))?;
        self.in_transaction.set(true);
        Ok(())
    }

    pub(crate) fn commit(&self) -> Result<()> {
        let done = self.batch(&format!("NOTIFY {CHANNEL}; COMMIT"));
        if done.is_err() {
            self.rollback();
        }
        self.in_transaction.set(false);
        done
    }

    pub(crate) fn rollback(&self) {
        if self.in_transaction.replace(false) {
            if let Ok(mut client) = self.client.try_borrow_mut() {
                let _ = client.batch_execute("ROLLBACK");
            }
        }
    }

    /// Changes whenever another connection commits (or we reconnected): what SQLite's
    /// `PRAGMA data_version` says, for the TUI's polling.
    pub(crate) fn data_version(&self) -> Result<i64> {
        if self.resting() {
            return Err(StoreError::Lost {
                location: self.location(),
                why: "the server does not answer".into(),
            });
        }
        // Polling between key presses: a server that does not answer must not hold the screen
        // for the whole connect timeout.
        let mut client = self.client_within(POLL_CONNECT)?;
        let mine = self.backend_pid.get();
        let mut heard = self.heard.get();
        {
            let mut notifications = client.notifications();
            // A short wait, not `iter()`: that one reads only what the client's runtime has
            // already seen arrive, and nothing runs that runtime between statements.
            let first = notifications
                .timeout_iter(NOTIFY_WAIT)
                .next()
                .map_err(|e| from_postgres(e, &self.location()))?;
            let mut others = notifications.iter();
            let mut next = first;
            while let Some(n) = next {
                if n.process_id() != mine {
                    heard += 1;
                }
                next = others
                    .next()
                    .map_err(|e| from_postgres(e, &self.location()))?;
            }
        }
        if client.is_closed() {
            drop(client);
            // Reconnects, or says why it cannot.
            self.client_within(POLL_CONNECT)?;
            heard = self.heard.get();
        }
        self.heard.set(heard);
        Ok(self.heard.get())
    }
}

fn bind(sql: &str, params: Params) -> Result<String> {
    let values: Vec<_> = params.iter().map(|p| p.to_value()).collect();
    literal::bind(sql, &values).map_err(StoreError::Rule)
}

/// "30 s", "1.5 s": a limit as a message gives it.
fn seconds(d: Duration) -> String {
    format!("{} s", d.as_millis() as f64 / 1000.0)
}

/// Connects, sets the session's limits, listens for other writers, and asks who we are and
/// which server process serves us.
fn open(reach: &Reach) -> Result<(Client, i32, String)> {
    let (mut client, _) = pgconnect::connect(&reach.url, &reach.options)
        .map_err(|e| StoreError::Connect(e.to_string()))?;
    let location = pgconnect::redacted(&reach.url);
    let limits = &reach.limits;
    // The server's side of the keepalives: a client gone without a word (or stopped, not
    // reading what it asked for) ends its session, and whatever lock it held, in minutes.
    // Ignored on a Unix socket.
    let messages = client
        .simple_query(&format!(
            "SET standard_conforming_strings = on; SET client_min_messages = warning; \
             SET idle_in_transaction_session_timeout = {idle}; \
             SET statement_timeout = {statement}; \
             SET tcp_keepalives_idle = {keepalive_idle}; \
             SET tcp_keepalives_interval = {keepalive_interval}; \
             SET tcp_keepalives_count = {keepalive_count}; \
             SET tcp_user_timeout = {user_timeout}; \
             LISTEN {CHANNEL}; SELECT pg_backend_pid(), current_user",
            idle = limits.idle_in_transaction.as_millis(),
            statement = limits.statement.as_millis(),
            keepalive_idle = pgconnect::KEEPALIVE_IDLE.as_secs(),
            keepalive_interval = pgconnect::KEEPALIVE_INTERVAL.as_secs(),
            keepalive_count = pgconnect::KEEPALIVE_COUNT,
            user_timeout = pgconnect::TCP_USER_TIMEOUT.as_millis(),
        ))
        .map_err(|e| from_postgres(e, &location))?;
    let row = messages
        .iter()
        .find_map(|m| match m {
            SimpleQueryMessage::Row(r) => Some(r),
            _ => None,
        })
        .ok_or(StoreError::NoRow)?;
    let pid = super::Row::Postgres(row).get::<i32>(0)?;
    let user = super::Row::Postgres(row).get::<String>(1)?;
    Ok((client, pid, user))
}

/// An error from the server, worded for the person reading it.
pub(crate) fn from_postgres(e: postgres::Error, location: &str) -> StoreError {
    use postgres::error::SqlState;
    if e.is_closed() || e.as_db_error().is_none() && e.code().is_none() {
        let why = e.to_string();
        return StoreError::Lost {
            location: location.to_string(),
            why,
        };
    }
    match e.code() {
        Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE => StoreError::Busy,
        Some(c) if *c == SqlState::DISK_FULL => StoreError::DiskFull,
        Some(c)
            if *c == SqlState::ADMIN_SHUTDOWN
                || *c == SqlState::CRASH_SHUTDOWN
                || *c == SqlState::CANNOT_CONNECT_NOW =>
        {
            StoreError::Lost {
                location: location.to_string(),
                why: e
                    .as_db_error()
                    .map_or(e.to_string(), |d| d.message().to_string()),
            }
        }
        _ => {
            let db = e.as_db_error();
            let message = db.map_or(e.to_string(), |d| match d.detail() {
                Some(detail) => format!("{} ({detail})", d.message()),
                None => d.message().to_string(),
            });
            StoreError::Postgres(message)
        }
    }
}
