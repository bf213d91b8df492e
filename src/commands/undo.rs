//! `kith undo [CHANGE_ID]`: a change taken back, and what came back.

use super::{Env, Outcome};
use anyhow::Result;

pub fn undo(env: &Env, change_id: Option<i64>) -> Result<Outcome> {
    let mut store = env.open()?;
    let change = crate::ops::undo::undo(&mut store, change_id)?;
    Ok(Outcome::ok(crate::ops::undo::said(&change) + "\n"))
}
