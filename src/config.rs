//! The config file: what it may hold, its defaults, and where files live.
//!
//! Unknown keys are errors, not silently ignored: a misspelt key that does nothing is worse than
//! a refusal that names the line.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub store: StoreConfig,
    pub phone: PhoneConfig,
    pub titles: TitlesConfig,
    pub keys: crate::tui::keymap::KeysConfig,
    pub theme: crate::tui::theme::ThemeConfig,
    pub mail: crate::mail::MailConfig,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    /// Where the store is when neither `--db` nor `KITH_DB` says; empty means the XDG data dir.
    pub path: Option<PathBuf>,
    /// How long a write waits for another process's write to finish, in milliseconds.
    pub busy_timeout_ms: u64,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            path: None,
            busy_timeout_ms: 30_000,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PhoneConfig {
    /// ISO country code ("US", "GB", "DE") for reading numbers typed without a `+`.
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
            Ok(text) => Config::parse(&text, path),
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

/// The store: `--db`, else `$KITH_DB`, else `store.path` in the config, else
/// `<XDG data dir>/kith/kith.db`.
pub fn store_path(flag: Option<&Path>, config: &Config) -> Option<PathBuf> {
    if let Some(p) = flag {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("KITH_DB").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
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
