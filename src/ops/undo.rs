//! `kith undo`: takes a change back. For now the changes kept for it are a sync's deletions
//! (see `store::kept`): undoing one brings those people back exactly as they were.

use crate::domain::validate::terminal_safe;
use crate::store::{Change, Result, Store};

/// Undoes change `id`, or the writer's last change not undone; see [`Store::undo_change`].
pub fn undo(store: &mut Store, id: Option<i64>) -> Result<Change> {
    store.undo_change(id)
}

/// What an undo did, in one line: "Undid change 3 (the sync with ~/c of 2026-…): back are
/// #4 Ada Lovelace, #5 Bob".
pub fn said(change: &Change) -> String {
    let safe = |s: &str| terminal_safe(s, false);
    let what = match &change.folder {
        Some(folder) => format!("the sync with {} of {}", safe(folder), change.at),
        None => format!("{} of {}", change.kind, change.at),
    };
    let people: Vec<String> = change
        .people
        .iter()
        .map(|(id, name)| format!("#{id} {}", safe(name)))
        .collect();
    format!(
        "Undid change {} ({what}): back are {}",
        change.id,
        people.join(", ")
    )
}
