//! The trigram search index (`contact_search`): triggers keep it in step with single writes;
//! a bulk write turns them off and refreshes what it wrote here, once.

use super::db::{params, Db};
use super::error::Result;

/// Rewrites the index entries of `ids` from the contacts as they are now (a contact no longer
/// there loses its entry). Many ids at once: the whole index is rebuilt, which is quicker than
/// an entry at a time past a point.
pub(crate) fn refresh(tx: &Db, ids: &[i64]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let total: i64 = tx.query_row("SELECT count(*) FROM contacts", params![], |r| r.get(0))?;
    if ids.len() as i64 * 4 > total {
        tx.execute_batch(
            "DELETE FROM contact_search;
             INSERT INTO contact_search (rowid, body, card)
                 SELECT id, body, card FROM contact_search_text;",
        )?;
        return Ok(());
    }
    let mut delete = tx.prepare_cached("DELETE FROM contact_search WHERE rowid = ?1")?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO contact_search (rowid, body, card)
         SELECT id, body, card FROM contact_search_text WHERE id = ?1",
    )?;
    for id in ids {
        delete.execute(params![id])?;
        insert.execute(params![id])?;
    }
    Ok(())
}
