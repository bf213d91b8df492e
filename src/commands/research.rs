//! `kith research`: read a lead's website and keep what it says about whom to write to.

use super::{Env, Outcome};
use crate::ops::research::research_lead;
use anyhow::Result;

pub fn research(env: &Env, reference: &str) -> Result<Outcome> {
    let mut store = env.open()?;
    let lead = store.resolve_parent(reference)?;
    let report = research_lead(&mut store, lead.id, &crate::research::Options::default())?;
    Ok(Outcome::ok(report.text()))
}
