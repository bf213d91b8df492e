//! `kith find`: people, companies, notes and emails matching a query, best first.

use super::{Env, Outcome};
use crate::cli::ShowFormat;
use crate::display::truncate;
use crate::ops::find::{find as find_all, Found};
use anyhow::Result;

pub fn find(env: &Env, query: &str, format: ShowFormat) -> Result<Outcome> {
    let store = env.open()?;
    let found = find_all(&store, query)?;
    Ok(match format {
        ShowFormat::Json => {
            let rows: Vec<_> = found.iter().map(Found::json).collect();
            Outcome::ok(crate::interop::json::to_string(&rows) + "\n")
        }
        ShowFormat::Text if found.is_empty() => Outcome {
            stdout: format!(
                "kith: nothing matches {:?}\n",
                crate::domain::validate::sanitize(query, false)
            ),
            code: 1,
            listing: None,
        },
        ShowFormat::Text => Outcome::ok(text(&found)),
    })
}

/// One line each: what it is, its id, its title and what tells it apart.
fn text(found: &[Found]) -> String {
    let mut out = String::new();
    for f in found {
        out.push_str(&format!(
            "{:<8} #{:<6} {}  {}\n",
            f.label,
            f.id,
            truncate(&f.title, 60),
            f.snippet
        ));
    }
    out
}
