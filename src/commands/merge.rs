//! Duplicates: finding them, merging two records, undoing a merge.

use super::{Env, Outcome};
use crate::cli::{MergeKindArg, ShowFormat};
use crate::domain::validate::terminal_safe;
use crate::interop::{json, table};
use crate::ops::dupes::{self, DupeGroup};
use crate::ops::merge;
use crate::store::{ContactMergePreview, MergeKind, ParentMergePreview, Store};
use anyhow::Result;
use serde_json::json;

fn kind_of(arg: MergeKindArg) -> MergeKind {
    match arg {
        MergeKindArg::Contact => MergeKind::Contact,
        MergeKindArg::Parent => MergeKind::Parent,
    }
}

/// The groups as `kith dupes` and import print them.
pub(crate) fn describe_groups(groups: &[DupeGroup]) -> String {
    let mut out = String::new();
    for (n, g) in groups.iter().enumerate() {
        let what = match g.kind {
            MergeKind::Contact => "people",
            MergeKind::Parent => "companies",
        };
        out.push_str(&format!("{}. {what} (score {})\n", n + 1, g.score));
        for (id, name) in g.ids.iter().zip(&g.names) {
            out.push_str(&format!("   #{id:<7} {}\n", terminal_safe(name, false)));
        }
        // A pair's reasons on one line; a bigger group's, one line per pair.
        if g.pairs.len() == 1 {
            let why = g.reasons.join("; ");
            out.push_str(&format!("   why: {}\n", terminal_safe(&why, false)));
        } else {
            for reason in &g.reasons {
                out.push_str(&format!("   why: {}\n", terminal_safe(reason, false)));
            }
        }
        if let Some(best) = g.pairs.first() {
            out.push_str(&format!("   merge: {}\n", best.merge_command(g.kind)));
            if !best.keep.is_empty() {
                let [a, b] = best.ids;
                out.push_str(&format!(
                    "   (at two companies: this keeps #{a}'s; --keep parent={b} takes #{b}'s)\n"
                ));
            }
        }
    }
    out
}

pub fn dupes(
    env: &Env,
    format: ShowFormat,
    kind: Option<MergeKindArg>,
    not: Option<Vec<i64>>,
) -> Result<Outcome> {
    if let Some(pair) = not {
        let mut store = env.open()?;
        let kind = kind_of(kind.unwrap_or(MergeKindArg::Contact));
        store.mark_distinct(kind, pair[0], pair[1])?;
        return Ok(Outcome::ok(format!(
            "#{} and #{} are not duplicates: kith dupes leaves them out from now on\n",
            pair[0], pair[1]
        )));
    }
    let store = env.open()?;
    let groups = dupes::find(&store, kind.map(kind_of))?;
    Ok(Outcome::ok(match format {
        ShowFormat::Json => {
            let list: Vec<serde_json::Value> = groups
                .iter()
                .map(|g| {
                    json!({
                        "kind": g.kind.as_str(),
                        "ids": g.ids,
                        "reasons": g.reasons,
                        "names": g.names,
                        "score": g.score,
                    })
                })
                .collect();
            json::to_string(&list) + "\n"
        }
        ShowFormat::Text if groups.is_empty() => "No likely duplicates.\n".to_string(),
        ShowFormat::Text => describe_groups(&groups),
    }))
}

fn or_dash(v: Option<&str>) -> String {
    v.filter(|s| !s.is_empty())
        .map_or_else(|| "—".to_string(), |s| s.replace('\n', " "))
}

/// Field, survivor, other, merged: the rows of a preview.
fn preview_rows(
    kind: MergeKind,
    value: impl Fn(&str, usize) -> Option<String>,
) -> Vec<Vec<String>> {
    merge::fields(kind)
        .iter()
        .filter_map(|(field, label)| {
            let cells: Vec<Option<String>> = (0..3).map(|i| value(field, i)).collect();
            // A field none of the three has says nothing.
            if cells.iter().all(Option::is_none) {
                return None;
            }
            let mut row = vec![label.to_string()];
            row.extend(cells.iter().map(|c| or_dash(c.as_deref())));
            Some(row)
        })
        .collect()
}

fn contact_value(p: &ContactMergePreview, field: &str, which: usize) -> Option<String> {
    let f = match which {
        0 => &p.survivor.fields,
        1 => &p.other.fields,
        _ => &p.merged,
    };
    let parent = |id: i64| {
        if id == p.survivor.parent_id {
            p.survivor.parent_name.clone()
        } else {
            p.other.parent_name.clone()
        }
    };
    match field {
        "parent" => Some(match which {
            0 => p.survivor.parent_name.clone(),
            1 => p.other.parent_name.clone(),
            _ => match &p.parent {
                Ok(id) => parent(*id),
                Err(_) => "(say which: --keep parent=ID)".to_string(),
            },
        }),
        "full_name" => f.full_name.clone(),
        "first_name" => f.first_name.clone(),
        "last_name" => f.last_name.clone(),
        "middle_name" => f.middle_name.clone(),
        "prefix" => f.prefix.clone(),
        "suffix" => f.suffix.clone(),
        "nickname" => f.nickname.clone(),
        "title" => f.title.clone(),
        "email" => f.email.clone(),
        "phone" => f.phone.clone(),
        "birthday" => f.birthday.clone(),
        "anniversary" => f.anniversary.clone(),
        "notes" => f.notes.clone(),
        "photo" => f.photo.as_ref().map(|_| "(photo)".to_string()),
        _ => None,
    }
}

fn contact_preview(p: &ContactMergePreview) -> String {
    let mut rows = preview_rows(MergeKind::Contact, |field, i| contact_value(p, field, i));
    let list = |f: &crate::domain::ContactFields, which: u8| -> String {
        match which {
            0 => f
                .emails
                .iter()
                .map(|e| e.value.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            1 => f
                .phones
                .iter()
                .map(|e| e.value.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            _ => f.tags.join(", "),
        }
    };
    for (label, which) in [("All emails", 0), ("All phones", 1), ("Tags", 2)] {
        let cells = [
            list(&p.survivor.fields, which),
            list(&p.other.fields, which),
            list(&p.merged, which),
        ];
        if cells.iter().any(|c| !c.is_empty()) {
            let mut row = vec![label.to_string()];
            row.extend(cells.iter().map(|c| or_dash(Some(c))));
            rows.push(row);
        }
    }
    let survivor = format!("#{} (KEPT)", p.survivor.id);
    let other = format!("#{}", p.other.id);
    let mut out = table::render(
        &["FIELD", &survivor, &other, "MERGED"],
        &rows,
        &[12, 36, 36, 40],
    );
    if let Err(why) = &p.parent {
        out.push_str(&format!("{}\n", terminal_safe(why, false)));
    }
    out
}

fn parent_value(p: &ParentMergePreview, field: &str, which: usize) -> Option<String> {
    let f = match which {
        0 => &p.survivor.fields,
        1 => &p.other.fields,
        _ => &p.merged,
    };
    match field {
        "name" => Some(f.name.clone()),
        "status" => Some(
            match which {
                0 => p.survivor.status,
                1 => p.other.status,
                _ => p.status,
            }
            .label()
            .to_string(),
        ),
        "contact_name" => f.contact_name.clone(),
        "email" => f.email.clone(),
        "phone" => f.phone.clone(),
        "website" => f.website.clone(),
        "industry" => f.industry.clone(),
        "source" => f.source.clone(),
        "notes" => f.notes.clone(),
        _ => None,
    }
}

fn parent_preview(store: &Store, p: &ParentMergePreview) -> Result<String> {
    let rows = preview_rows(MergeKind::Parent, |field, i| parent_value(p, field, i));
    let survivor = format!("#{} {} (KEPT)", p.survivor.id, p.survivor.kind);
    let other = format!("#{} {}", p.other.id, p.other.kind);
    let mut out = table::render(
        &["FIELD", &survivor, &other, "MERGED"],
        &rows,
        &[12, 36, 36, 40],
    );
    let moving = store.list_contacts(Some(p.other.id))?.len();
    out.push_str(&format!(
        "{moving} contact(s) and every note and email of #{} move to #{}\n",
        p.other.id, p.survivor.id
    ));
    Ok(out)
}

pub fn merge(
    env: &Env,
    kind: MergeKindArg,
    survivor: i64,
    other: i64,
    keep: &[String],
    dry_run: bool,
) -> Result<Outcome> {
    let kind = kind_of(kind);
    let choices = merge::choices(kind, keep, survivor, other)?;
    let mut store = env.open()?;
    if dry_run {
        let text = match kind {
            MergeKind::Contact => {
                contact_preview(&store.preview_contact_merge(survivor, other, &choices)?)
            }
            MergeKind::Parent => {
                let p = store.preview_parent_merge(survivor, other, &choices)?;
                parent_preview(&store, &p)?
            }
        };
        return Ok(Outcome::ok(text + "Dry run: nothing was written.\n"));
    }
    let id = merge::merge(&mut store, kind, survivor, other, &choices, None)?;
    Ok(Outcome::ok(format!("{id}\n")))
}

pub fn undo_merge(env: &Env, id: i64) -> Result<Outcome> {
    let mut store = env.open()?;
    let m = merge::undo(&mut store, id)?;
    Ok(Outcome::ok(format!(
        "Undid merge {id}: #{} {} is back beside #{}\n",
        m.merged,
        terminal_safe(&m.merged_name, false),
        m.survivor
    )))
}

pub fn merges(env: &Env, format: ShowFormat) -> Result<Outcome> {
    let store = env.open()?;
    let list = store.merges()?;
    Ok(Outcome::ok(match format {
        ShowFormat::Json => {
            let rows: Vec<serde_json::Value> = list
                .iter()
                .map(|m| {
                    json!({
                        "id": m.id,
                        "kind": m.kind.as_str(),
                        "survivor": m.survivor,
                        "merged": m.merged,
                        "merged_name": m.merged_name,
                        "at": m.at,
                        "actor": m.actor,
                        "undone_at": m.undone_at,
                    })
                })
                .collect();
            json::to_string(&rows) + "\n"
        }
        ShowFormat::Text => {
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|m| {
                    vec![
                        m.id.to_string(),
                        m.kind.as_str().to_string(),
                        format!("#{} {} into #{}", m.merged, m.merged_name, m.survivor),
                        m.at.replace('T', " "),
                        m.actor.clone(),
                        m.undone_at.as_ref().map_or("", |_| "undone").to_string(),
                    ]
                })
                .collect();
            table::render(
                &["MERGE", "KIND", "WHAT", "AT", "BY", ""],
                &rows,
                &[8, 8, 50, 20, 16, 8],
            )
        }
    }))
}
