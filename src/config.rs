//! The config file: what it may hold, its defaults, and where files live.
//!
//! Unknown keys are errors, not silently ignored: a misspelt key that does nothing is worse than
//! a refusal that names the line.

use serde::{de::Error as _, Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub store: StoreConfig,
    pub phone: PhoneConfig,
    pub titles: TitlesConfig,
    #[serde(deserialize_with = "usable_keys")]
    pub keys: crate::tui::keymap::KeysConfig,
    pub theme: crate::tui::theme::ThemeConfig,
    pub mail: crate::mail::MailConfig,
    pub log: LogConfig,
    pub cadence: CadenceConfig,
    pub vdir: VdirConfig,
}

/// `kith sync`: the vdir folder kept in step with the store, and the vCard version written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct VdirConfig {
    /// The folder when `kith sync` is given no `--vdir`; "~/" is the home folder.
    pub path: Option<PathBuf>,
    /// The vCard version of the files kith writes: 3 or 4.
    #[serde(deserialize_with = "vcard_version")]
    pub version: u8,
    /// The most of the cards synced with a folder that one sync may delete from kith without
    /// `--force-delete` (0 to 1); deleting every one always needs it.
    #[serde(deserialize_with = "share")]
    pub max_delete_share: f64,
}

impl Default for VdirConfig {
    fn default() -> Self {
        VdirConfig {
            path: None,
            version: 3,
            max_delete_share: 0.5,
        }
    }
}

/// `vdir.max_delete_share`: a number from 0 to 1 (an integer 0 or 1 too).
fn share<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    struct Share;
    impl serde::de::Visitor<'_> for Share {
        type Value = f64;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("max_delete_share as a number from 0 to 1, such as 0.5")
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<f64, E> {
            if (0.0..=1.0).contains(&v) {
                return Ok(v);
            }
            Err(E::invalid_value(serde::de::Unexpected::Float(v), &self))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<f64, E> {
            match v {
                0 | 1 => Ok(v as f64),
                _ => Err(E::invalid_value(serde::de::Unexpected::Signed(v), &self)),
            }
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<f64, E> {
            match v {
                0 | 1 => Ok(v as f64),
                _ => Err(E::invalid_value(serde::de::Unexpected::Unsigned(v), &self)),
            }
        }
    }
    d.deserialize_any(Share)
}

fn vcard_version<'de, D: Deserializer<'de>>(d: D) -> Result<u8, D::Error> {
    let v = u8::deserialize(d)?;
    if v != 3 && v != 4 {
        return Err(D::Error::custom(format!(
            "{v} is not a vCard version; 3 or 4"
        )));
    }
    Ok(v)
}

impl Config {
    /// How the store is opened, as this config says: for every command and for the TUI's
    /// worker threads, which open a connection of their own.
    pub fn store_options(&self) -> crate::store::StoreOptions {
        crate::store::StoreOptions {
            busy_timeout: std::time::Duration::from_millis(self.store.busy_timeout_ms),
            phone_region: self.phone_region(),
            actor: None,
            team: self.store.team,
            password_command: self
                .store
                .password_command
                .clone()
                .filter(|c| !c.trim().is_empty()),
            server_limits: crate::store::pgconnect::ServerLimits {
                idle_in_transaction: std::time::Duration::from_millis(
                    self.store.idle_in_transaction_timeout_ms,
                ),
                statement: std::time::Duration::from_millis(self.store.statement_timeout_ms),
            },
        }
    }
}

/// `kith log`: whose mail it is, and what to do with addresses kith does not know.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// The user's own addresses, beside `mail.from`: mail from them is sent mail, and they are
    /// never logged as someone the user talks to.
    pub me: Vec<String>,
    /// Add an address kith does not know as a contact, as `kith log --add` does.
    pub add_unknown: bool,
}

/// Keep-in-touch defaults: days between touches, by tag and by a company's status. A contact's
/// own cadence (`kith contact edit ID --every DAYS`) wins over both; a tag's over a status's.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CadenceConfig {
    #[serde(deserialize_with = "days_by_name")]
    pub tags: BTreeMap<String, u32>,
    #[serde(deserialize_with = "days_by_status")]
    pub statuses: BTreeMap<String, u32>,
}

impl Default for CadenceConfig {
    fn default() -> Self {
        CadenceConfig {
            tags: BTreeMap::new(),
            // A lead told about us is followed up within a week.
            statuses: BTreeMap::from([("contacted".to_string(), 7)]),
        }
    }
}

/// The longest cadence: a hundred years.
pub const MAX_CADENCE_DAYS: u32 = 36_500;

fn days_by_name<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, u32>, D::Error> {
    let map = BTreeMap::<String, u32>::deserialize(d)?;
    for (name, days) in &map {
        if !(1..=MAX_CADENCE_DAYS).contains(days) {
            return Err(D::Error::custom(format!(
                "{name} = {days}: a cadence is 1 to {MAX_CADENCE_DAYS} days"
            )));
        }
    }
    Ok(map)
}

fn days_by_status<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, u32>, D::Error> {
    let map = days_by_name(d)?;
    for name in map.keys() {
        if crate::domain::Status::parse(name).is_none() {
            let names: Vec<&str> = crate::domain::Status::ALL.iter().map(|s| s.key()).collect();
            return Err(D::Error::custom(format!(
                "{name:?} is not a status; one of {}",
                names.join(", ")
            )));
        }
    }
    Ok(map)
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    /// Where the store is when neither `--db` nor `KITH_DB` says; empty means the XDG data dir.
    pub path: Option<PathBuf>,
    /// A PostgreSQL store (`postgres://user@host/db`), used before `path` when set. Never a
    /// password: that comes from `PGPASSWORD`, `~/.pgpass` or `password_command`.
    pub url: Option<String>,
    /// Prints the PostgreSQL password on its standard output (`pass show kith/db`).
    pub password_command: Option<String>,
    /// How long a write waits for another process's write to finish, in milliseconds.
    #[serde(deserialize_with = "at_most::<_, 3_600_000>")]
    pub busy_timeout_ms: u64,
    /// A store kith creates is shared with the group that owns its folder (0660, and 2770 for a
    /// folder made for it), not the user's alone.
    pub team: bool,
    /// PostgreSQL: a session idle this long inside a transaction (a kith stopped mid-write) is
    /// ended by the server and its write undone, releasing the team's write lock. 0: no limit.
    #[serde(deserialize_with = "at_most::<_, 3_600_000>")]
    pub idle_in_transaction_timeout_ms: u64,
    /// PostgreSQL: a statement running longer is cancelled by the server. 0: no limit.
    #[serde(deserialize_with = "at_most::<_, 86_400_000>")]
    pub statement_timeout_ms: u64,
}

impl Default for StoreConfig {
    fn default() -> Self {
        let limits = crate::store::pgconnect::ServerLimits::default();
        StoreConfig {
            path: None,
            url: None,
            password_command: None,
            busy_timeout_ms: 30_000,
            team: false,
            idle_in_transaction_timeout_ms: limits.idle_in_transaction.as_millis() as u64,
            statement_timeout_ms: limits.statement.as_millis() as u64,
        }
    }
}

impl StoreConfig {
    /// Refuses a password in `url` when others may read the config file at `path`, as a
    /// password file others may read is refused: a password there is as good as leaked.
    fn check_password_is_private(&self, path: &Path) -> Result<(), ConfigError> {
        use crate::store::pgconnect::{holds_password, open_to_others};
        if !self.url.as_deref().is_some_and(holds_password) {
            return Ok(());
        }
        let Some(mode) = std::fs::metadata(path)
            .ok()
            .and_then(|m| open_to_others(&m))
        else {
            return Ok(());
        };
        Err(ConfigError {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message: format!(
                "store.url holds a password, and others can read this file (mode {mode:04o}): \
                 chmod 600 it, or move the password to ~/.pgpass or store.password_command"
            ),
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PhoneConfig {
    /// ISO country code ("US", "GB", "DE") for reading numbers typed without a `+`.
    #[serde(deserialize_with = "region")]
    pub default_region: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TitlesConfig {
    /// Titles that mean the same: each key is a title, its list the other names for it.
    pub aliases: BTreeMap<String, Vec<String>>,
}

impl Default for TitlesConfig {
    fn default() -> Self {
        let aliases = [
            ("CEO", &["Chief Executive Officer"][..]),
            (
                "CTO",
                &["Chief Technology Officer", "Chief Technical Officer"],
            ),
            ("CFO", &["Chief Financial Officer"]),
            ("COO", &["Chief Operating Officer"]),
            ("CIO", &["Chief Information Officer"]),
            ("CMO", &["Chief Marketing Officer"]),
            ("VP", &["Vice President"]),
        ];
        TitlesConfig {
            aliases: aliases
                .iter()
                .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
                .collect(),
        }
    }
}

// Checks of values as they are read: an error raised here is reported with the value's line
// and column, as a syntax error is.

/// A number of at most `MAX`.
pub(crate) fn at_most<'de, D: Deserializer<'de>, const MAX: u64>(d: D) -> Result<u64, D::Error> {
    let n = u64::deserialize(d)?;
    if n > MAX {
        return Err(D::Error::custom(format!(
            "{n} is more than {MAX}, the most allowed"
        )));
    }
    Ok(n)
}

/// One of `allowed`, in any case; the empty string means the default.
pub(crate) fn one_of<'de, D: Deserializer<'de>>(
    d: D,
    allowed: &[&str],
) -> Result<String, D::Error> {
    let value = String::deserialize(d)?;
    let lower = value.trim().to_ascii_lowercase();
    if lower.is_empty() || allowed.contains(&lower.as_str()) {
        return Ok(value);
    }
    let names: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
    Err(D::Error::custom(format!(
        "{value:?} is not one of {}",
        names.join(", ")
    )))
}

fn region<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let value = String::deserialize(d)?;
    let code = value.trim().to_uppercase();
    if !code.is_empty() && code.parse::<phonenumber::country::Id>().is_err() {
        return Err(D::Error::custom(format!(
            "{value:?} is not a country code such as \"US\", \"GB\" or \"DE\""
        )));
    }
    Ok(value)
}

fn usable_keys<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<crate::tui::keymap::KeysConfig, D::Error> {
    let keys = crate::tui::keymap::KeysConfig::deserialize(d)?;
    match crate::tui::keymap::Keymap::problem(&keys) {
        Some(problem) => Err(D::Error::custom(problem)),
        None => Ok(keys),
    }
}

/// A config file that could not be used, with where.
#[derive(Debug)]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let (Some(line), Some(col)) = (self.line, self.column) {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

impl Config {
    /// Reads a config from TOML text; `path` only names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|e| {
            let (line, column) = match e.span() {
                Some(span) => {
                    let (l, c) = line_col(text, span.start);
                    (Some(l), Some(c))
                }
                None => (None, None),
            };
            ConfigError {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().trim().replace('\n', " "),
            }
        })
    }

    /// Loads the config at `path`; a missing file means the defaults.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let config = Config::parse(&text, path)?;
                config.store.check_password_is_private(path)?;
                Ok(config)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(ConfigError {
                path: path.to_path_buf(),
                line: None,
                column: None,
                message: e.to_string(),
            }),
        }
    }

    pub fn phone_region(&self) -> Option<String> {
        Some(self.phone.default_region.trim().to_string()).filter(|r| !r.is_empty())
    }
}

/// The config file: `--config`, else `$KITH_CONFIG`, else `<XDG config dir>/kith/config.toml`.
pub fn config_path(flag: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = flag {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("KITH_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    directories::BaseDirs::new().map(|d| d.config_dir().join("kith").join("config.toml"))
}

/// The store: `--db`, else `$KITH_DB`, else `store.url`, else `store.path` in the config, else
/// `<XDG data dir>/kith/kith.db`.
pub fn store_path(flag: Option<&Path>, config: &Config) -> Option<PathBuf> {
    if let Some(p) = flag {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("KITH_DB").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    if let Some(url) = config.store.url.as_ref().filter(|u| !u.trim().is_empty()) {
        return Some(PathBuf::from(url.trim()));
    }
    if let Some(p) = config
        .store
        .path
        .as_ref()
        .filter(|p| !p.as_os_str().is_empty())
    {
        return Some(expand_home(p));
    }
    directories::BaseDirs::new().map(|d| d.data_dir().join("kith").join("kith.db"))
}

/// The vdir folder of `kith sync`: `--vdir`, else `vdir.path` in the config.
pub fn vdir_path(flag: Option<&Path>, config: &Config) -> Option<PathBuf> {
    if let Some(p) = flag {
        return Some(p.to_path_buf());
    }
    config
        .vdir
        .path
        .as_ref()
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| expand_home(p))
}

/// `~/x` in a config file means the home folder, as people write it.
fn expand_home(p: &Path) -> PathBuf {
    match p.strip_prefix("~") {
        Ok(rest) => directories::BaseDirs::new()
            .map(|d| d.home_dir().join(rest))
            .unwrap_or_else(|| p.to_path_buf()),
        Err(_) => p.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_default_file_is_the_default() {
        let text = include_str!("../config/default.toml");
        let parsed = Config::parse(text, Path::new("config/default.toml")).unwrap();
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn unknown_keys_name_line_and_column() {
        let text = "[store]\nbusy_timeout_ms = 10\n\n[phone]\n  colour = \"red\"\n";
        let err = Config::parse(text, Path::new("c.toml")).unwrap_err();
        assert_eq!((err.line, err.column), (Some(5), Some(3)));
        let shown = err.to_string();
        assert!(shown.starts_with("c.toml:5:3: "), "{shown}");
        assert!(shown.contains("colour"), "{shown}");
        assert!(!shown.contains('\n'));
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let err = Config::parse("[store]\npath = \n", Path::new("c.toml")).unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
    }
}
