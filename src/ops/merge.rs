//! Merging two records into one, with a preview first, and undoing a merge.

use crate::domain::merge::{Choices, CONTACT_FIELDS, PARENT_FIELDS};
use crate::domain::FieldError;
use crate::store::{MergeKind, MergeRecord, Result, Store, StoreError, Versions};

/// The fields a merge of this kind chooses, with their labels.
pub fn fields(kind: MergeKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        MergeKind::Contact => CONTACT_FIELDS,
        MergeKind::Parent => PARENT_FIELDS,
    }
}

/// Reads `--keep FIELD=ID` choices: each field's value comes from record ID, which is one of
/// the two being merged.
pub fn choices(kind: MergeKind, keeps: &[String], survivor: i64, other: i64) -> Result<Choices> {
    let mut choices = Choices::default();
    for keep in keeps {
        let Some((field, id)) = keep.split_once('=') else {
            return Err(FieldError::new(
                "keep",
                format!("{keep:?} is not FIELD=ID (for example title={other})"),
            )
            .into());
        };
        let id: i64 = id
            .trim()
            .parse()
            .map_err(|_| FieldError::new("keep", format!("{keep:?}: {id:?} is not a record id")))?;
        if id != survivor && id != other {
            return Err(FieldError::new(
                "keep",
                format!(
                    "{keep:?}: #{id} is not one of the two records merged (#{survivor}, #{other})"
                ),
            )
            .into());
        }
        choices.pick(fields(kind), field.trim(), id == other)?;
    }
    Ok(choices)
}

/// Merges `other` into `survivor`; returns the merge's id. `versions` are those the user saw:
/// a record changed since is a conflict.
pub fn merge(
    store: &mut Store,
    kind: MergeKind,
    survivor: i64,
    other: i64,
    choices: &Choices,
    versions: Versions,
) -> Result<i64> {
    match kind {
        MergeKind::Contact => store.merge_contacts(survivor, other, choices, versions),
        MergeKind::Parent => store.merge_parents(survivor, other, choices, versions),
    }
}

/// Undoes merge `id`; see [`Store::undo_merge`].
pub fn undo(store: &mut Store, id: i64) -> Result<MergeRecord> {
    store.undo_merge(id)
}

/// The last merge into this record that can still be undone: what the history view's undo key
/// undoes.
pub fn last_merge_into(store: &Store, kind: MergeKind, id: i64) -> Result<MergeRecord> {
    store
        .merges_into(kind, id)?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::Rule(format!("nothing was merged into #{id} to undo")))
}

/// What a merge would make of two records, nothing written: the merge view's preview.
pub enum Preview {
    Contact(Box<crate::store::ContactMergePreview>),
    Parent(Box<crate::store::ParentMergePreview>),
}

impl Preview {
    /// The versions of the two records as read: those a merge of what the preview shows passes.
    pub fn versions(&self) -> (i64, i64) {
        match self {
            Preview::Contact(p) => (p.survivor.version, p.other.version),
            Preview::Parent(p) => (p.survivor.version, p.other.version),
        }
    }
}

/// Reads both records and what merging `other` into `survivor` with `choices` would make.
pub fn preview(
    store: &Store,
    kind: MergeKind,
    survivor: i64,
    other: i64,
    choices: &Choices,
) -> Result<Preview> {
    Ok(match kind {
        MergeKind::Contact => Preview::Contact(Box::new(
            store.preview_contact_merge(survivor, other, choices)?,
        )),
        MergeKind::Parent => Preview::Parent(Box::new(
            store.preview_parent_merge(survivor, other, choices)?,
        )),
    })
}

/// Records that `a` and `b` are not duplicates: finding duplicates leaves the pair out.
pub fn not_duplicates(store: &mut Store, kind: MergeKind, a: i64, b: i64) -> Result<()> {
    store.mark_distinct(kind, a, b)
}
