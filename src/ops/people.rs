//! People changing jobs: moving a contact to another lead or customer, and making a lead's
//! contact name a contact of its own.

use crate::domain::validate::terminal_safe;
use crate::domain::ParentKind;
use crate::store::{Result, Store};

/// Moves a person to another parent, or to one made on the way, with how to reach them there
/// (see `Store::move_contact`); returns the new contact's id.
pub fn move_contact(
    store: &mut Store,
    contact_id: i64,
    version: i64,
    to: &crate::store::MoveTo,
    reach: &crate::store::Reach,
) -> Result<i64> {
    store.move_contact(contact_id, version, to, reach)
}

/// Copies the lead's contact name into a contact; returns its id and whether it is new.
pub fn copy_lead_contact(store: &mut Store, lead_id: i64) -> Result<(i64, bool)> {
    store.promote_lead_contact(lead_id)
}

/// Where a contact of `from_parent` can move to: (id, name made safe to draw, kind) of every
/// other lead and customer, most recently changed first. A converted lead is history, so
/// nobody moves there.
pub fn move_targets(store: &Store, from_parent: i64) -> Result<Vec<(i64, String, ParentKind)>> {
    Ok(store
        .list_parents()?
        .into_iter()
        .map(|s| s.parent)
        .filter(|p| p.id != from_parent && p.converted_to.is_none())
        .map(|p| (p.id, terminal_safe(&p.fields.name, false), p.kind))
        .collect())
}

/// When each person was last in touch (a note or email with them, or with their company as a
/// whole) and when they are next due, by id: the People list's last two columns.
#[derive(Debug, Clone, Default)]
pub struct Touch {
    /// When, and by whom.
    pub last: std::collections::HashMap<i64, (String, String)>,
    pub due: std::collections::HashMap<i64, chrono::DateTime<chrono::Utc>>,
}

pub fn touch(
    store: &Store,
    cadences: &crate::domain::touch::Cadences,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Touch> {
    use crate::domain::touch::due_at;
    let time = |t: &str| {
        chrono::DateTime::parse_from_rfc3339(t)
            .ok()
            .map(|t| t.with_timezone(&chrono::Utc))
    };
    let mut touch = Touch::default();
    for p in store.people_to_keep_in_touch()? {
        if let Some((days, _)) = cadences.of(p.every_days, &p.tags, &p.status) {
            let since = time(&p.created_at).unwrap_or(now);
            let at = due_at(p.last_at.as_deref().and_then(time), since, days);
            touch.due.insert(p.id, at);
        }
        if let (Some(at), Some(by)) = (p.last_at, p.last_by) {
            touch.last.insert(p.id, (at, by));
        }
    }
    Ok(touch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{parent, temp_store};

    #[test]
    fn move_targets_are_every_other_parent_that_is_not_history() {
        let (_dir, mut store) = temp_store();
        let here = parent(&mut store, ParentKind::Customer, "Here Inc");
        let lead = parent(&mut store, ParentKind::Lead, "Lead Ltd");
        let gone = parent(&mut store, ParentKind::Lead, "Converted Co");
        let became = store.convert_lead(gone, None).unwrap().customer_id;
        let targets = move_targets(&store, here).unwrap();
        let ids: Vec<i64> = targets.iter().map(|t| t.0).collect();
        assert!(!ids.contains(&here) && !ids.contains(&gone), "{targets:?}");
        assert!(ids.contains(&lead) && ids.contains(&became), "{targets:?}");
        let (_, name, kind) = targets.iter().find(|t| t.0 == lead).unwrap();
        assert_eq!(name, "Lead Ltd");
        assert_eq!(*kind, ParentKind::Lead);
    }
}
