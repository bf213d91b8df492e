//! Notes and emails.

use super::contacts::{self, touch_parent};
use super::db::{bad_cell, params, Db, Row};
use super::error::{Result, StoreError};
use super::history;
use super::{parents, Ctx, Store};
use crate::domain::{Activity, ActivityKind, NewActivity, Participant};
use std::collections::HashMap;

/// Checks that a note or email can be recorded: valid, on an open parent, about one of its own
/// contacts. Returns the validated activity.
fn check(conn: &Db, parent_id: i64, activity: &NewActivity) -> Result<NewActivity> {
    let a = activity.validated()?;
    let parent = parents::load_open(conn, parent_id)?;
    if let Some(cid) = a.contact_id {
        let c = contacts::load(conn, cid)?;
        if c.parent_id != parent_id {
            return Err(StoreError::Rule(format!(
                "{} (contact #{cid}) is at {} {}, not at {}",
                c.full_name(),
                c.parent_kind,
                c.parent_name,
                parent.fields.name
            )));
        }
    }
    Ok(a)
}

pub(crate) fn insert(tx: &Db, ctx: &Ctx, parent_id: i64, activity: &NewActivity) -> Result<i64> {
    let a = check(tx, parent_id, activity)?;
    tx.prepare_cached(
        "INSERT INTO activities (parent_id, contact_id, kind, subject, body, email_to,
                     message_id, author, created_at, direction)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        parent_id,
        a.contact_id,
        a.kind.key(),
        a.subject,
        a.body,
        a.email_to,
        a.message_id,
        ctx.actor,
        ctx.now,
        // An email kith records itself is one the user sent (or sent elsewhere and logged).
        (a.kind == ActivityKind::Email).then_some("sent")
    ])?;
    let id = tx.last_insert_rowid()?;
    touch_parent(tx, ctx, parent_id)?;
    history::record(tx, ctx, "activity", id, a.kind.key(), None, None)?;
    Ok(id)
}

const SELECT_ACTIVITY: &str =
    "SELECT a.id, a.parent_id, a.contact_id, c.full_name, a.kind, a.subject, a.body,
            a.email_to, a.message_id, a.author, a.created_at, a.direction
     FROM activities a LEFT JOIN contacts c ON c.id = a.contact_id";

fn activity_from_row(r: &Row) -> Result<Activity> {
    let kind: String = r.get(4)?;
    Ok(Activity {
        id: r.get(0)?,
        parent_id: r.get(1)?,
        contact_id: r.get(2)?,
        contact_name: r.get(3)?,
        kind: ActivityKind::parse(&kind)
            .ok_or_else(|| bad_cell(4, format!("unknown activity kind {kind:?}").to_string()))?,
        subject: r.get(5)?,
        body: r.get(6)?,
        email_to: r.get(7)?,
        message_id: r.get(8)?,
        author: r.get(9)?,
        created_at: r.get(10)?,
        direction: r.get(11)?,
        participants: Vec::new(),
    })
}

/// The people of emails, in their order: `filter` picks the participants' rows (`p`) by the
/// one parameter given.
const SELECT_PARTICIPANTS: &str = "SELECT p.activity_id, p.contact_id, c.full_name
     FROM activity_participants p JOIN contacts c ON c.id = p.contact_id";

/// Gives each of `activities` its participants, read by `sql` with `param`.
fn fill_participants(conn: &Db, activities: &mut [Activity], sql: &str, param: i64) -> Result<()> {
    let mut by_activity: HashMap<i64, Vec<Participant>> = HashMap::new();
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params![param], |r| {
        Ok((
            r.get::<i64>(0)?,
            Participant {
                contact_id: r.get(1)?,
                full_name: r.get(2)?,
            },
        ))
    })?;
    for row in rows {
        let (activity, person) = row?;
        by_activity.entry(activity).or_default().push(person);
    }
    for a in activities {
        if let Some(people) = by_activity.remove(&a.id) {
            a.participants = people;
        }
    }
    Ok(())
}

impl Store {
    /// Whether `add_activity` would accept this activity now: for an email, checked before it is
    /// sent, so that nothing is sent that cannot then be logged.
    pub fn check_activity(&self, parent_id: i64, activity: &NewActivity) -> Result<()> {
        check(self.conn(), parent_id, activity).map(|_| ())
    }

    /// Records a note or an email on a parent, attached to one of its contacts or to none.
    pub fn add_activity(&mut self, parent_id: i64, activity: &NewActivity) -> Result<i64> {
        self.write(|tx, ctx| insert(tx, ctx, parent_id, activity))
    }

    /// The notes and emails of a parent, or only those with one of its contacts (attached to
    /// them, or an email they were in), newest first; each email once, with its participants.
    pub fn list_activities(
        &self,
        parent_id: i64,
        contact_id: Option<i64>,
    ) -> Result<Vec<Activity>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "{SELECT_ACTIVITY} WHERE a.parent_id = ?1
               AND (?2 IS NULL OR a.contact_id = ?2
                    OR EXISTS (SELECT 1 FROM activity_participants p
                                WHERE p.activity_id = a.id AND p.contact_id = ?2))
             ORDER BY a.created_at DESC, a.id DESC"
        ))?;
        let rows = stmt.query_map(params![parent_id, contact_id], activity_from_row)?;
        let mut found: Vec<Activity> = rows.collect::<Result<_>>()?;
        fill_participants(
            self.conn(),
            &mut found,
            &format!(
                "{SELECT_PARTICIPANTS} JOIN activities a ON a.id = p.activity_id
                  WHERE a.parent_id = ?1 ORDER BY p.activity_id, p.position, p.contact_id"
            ),
            parent_id,
        )?;
        Ok(found)
    }

    /// These notes and emails, in the order of `ids` (those not there left out).
    pub fn activities_by_ids(&self, ids: &[i64]) -> Result<Vec<Activity>> {
        let mut stmt = self
            .conn()
            .prepare_cached(&format!("{SELECT_ACTIVITY} WHERE a.id = ?1"))?;
        let people = format!(
            "{SELECT_PARTICIPANTS} WHERE p.activity_id = ?1 ORDER BY p.position, p.contact_id"
        );
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            let found = stmt.query_map(params![id], activity_from_row)?.next();
            if let Some(a) = found.transpose()? {
                let mut one = [a];
                fill_participants(self.conn(), &mut one, &people, id)?;
                let [a] = one;
                out.push(a);
            }
        }
        Ok(out)
    }
}
