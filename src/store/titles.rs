//! Who holds which title, read from the title index alone: what the title search lists before
//! it reads anyone in full.

use super::db::values_of;
use super::error::Result;
use super::Store;

/// A person holding a title, as the title index has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleMember {
    pub title: String,
    pub id: i64,
    pub full_name: String,
}

impl Store {
    /// Every contact whose title is exactly one of `titles` (as [`Store::distinct_titles`]
    /// gives them), in no set order.
    pub fn title_members(&self, titles: &[String]) -> Result<Vec<TitleMember>> {
        let mut found = Vec::new();
        // Within SQLite's default limit of bound parameters.
        for chunk in titles.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let mut stmt = self.conn().prepare_cached(&format!(
                "SELECT title, id, full_name FROM contacts WHERE title IN ({marks})"
            ))?;
            let rows = stmt.query_map(&values_of(chunk), |r| {
                Ok(TitleMember {
                    title: r.get(0)?,
                    id: r.get(1)?,
                    full_name: r.get(2)?,
                })
            })?;
            for row in rows {
                found.push(row?);
            }
        }
        Ok(found)
    }
}
