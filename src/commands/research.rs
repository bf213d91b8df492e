//! `kith research`: read a lead's website and keep what it says about whom to write to.

use super::{Env, Outcome};
use crate::domain::validate::terminal_safe;
use crate::domain::ParentKind;
use crate::research::{self, Finding};
use crate::store::{ResearchApplied, ResearchFill, Store};
use anyhow::{bail, Result};
use std::fmt::Write;

/// What researching a lead found and did.
pub struct ResearchReport {
    pub lead: String,
    pub website: String,
    /// Set when the lead had no website and one was proposed from its email's domain.
    pub proposed_website: Option<String>,
    pub finding: Finding,
    pub applied: ResearchApplied,
}

impl ResearchReport {
    /// One line for a status bar.
    pub fn summary(&self) -> String {
        if !self.finding.name_check {
            return format!(
                "{} never mentions {}: nothing stored",
                self.website, self.lead
            );
        }
        let filled: Vec<&str> = self.applied.filled.iter().map(|(f, _)| *f).collect();
        let kept: Vec<&str> = self.applied.kept.iter().map(|(f, _, _)| *f).collect();
        match (filled.is_empty(), kept.is_empty()) {
            (true, true) => format!("Nothing new found on {}", self.website),
            (false, true) => format!("Research filled {}", filled.join(", ")),
            (true, false) => format!(
                "Research found only what is typed already; kept {}",
                kept.join(", ")
            ),
            (false, false) => format!(
                "Research filled {}; kept what was typed in {}",
                filled.join(", "),
                kept.join(", ")
            ),
        }
    }

    /// The full account, for the command line.
    pub fn text(&self) -> String {
        let safe = |s: &str| terminal_safe(s, false);
        let mut out = String::new();
        if let Some(w) = &self.proposed_website {
            let _ = writeln!(
                out,
                "No website: proposed {} from the lead's email",
                safe(w)
            );
        }
        for page in &self.finding.pages {
            let _ = writeln!(out, "read     {}", safe(page));
        }
        let f = &self.finding;
        let found = [
            ("contact_name", &f.contact_name),
            ("email", &f.email),
            ("description", &f.description),
        ];
        for (field, value) in found {
            match value {
                Some(v) => {
                    let _ = writeln!(out, "found    {field}: {}", safe(v));
                }
                None => {
                    let _ = writeln!(out, "found    no {field}");
                }
            }
        }
        if !f.name_check {
            let _ = writeln!(
                out,
                "the site never mentions {:?}: it may not be the company's, so nothing was stored",
                safe(&self.lead)
            );
        }
        for (field, value) in &self.applied.filled {
            let _ = writeln!(out, "stored   {field}: {}", safe(value));
        }
        for (field, typed, found) in &self.applied.kept {
            let _ = writeln!(
                out,
                "kept     {field}: {} (typed by a person; found {})",
                safe(typed),
                safe(found)
            );
        }
        for line in &f.skipped {
            let _ = writeln!(out, "skipped  {}", safe(line));
        }
        out
    }
}

/// Researches a lead and stores what it found in its empty fields.
pub fn research_lead(
    store: &mut Store,
    lead_id: i64,
    options: &research::Options,
) -> Result<ResearchReport> {
    let lead = store.parent(lead_id)?;
    if lead.kind != ParentKind::Lead {
        bail!(
            "#{} {} is a customer; research is for leads",
            lead.id,
            lead.fields.name
        );
    }
    if let Some(c) = lead.converted_to {
        bail!("lead #{} was converted into customer #{c}", lead.id);
    }
    let (website, proposed) = match (&lead.fields.website, &lead.fields.email) {
        (Some(w), _) => (w.clone(), None),
        (None, Some(email)) => match research::website_from_email(email) {
            Some(w) => (w.clone(), Some(w)),
            None => bail!(
                "lead #{} has no website, and its email {email} is on a free-mail domain, which says nothing of the company",
                lead.id
            ),
        },
        (None, None) => bail!("lead #{} has neither a website nor an email to start from", lead.id),
    };
    let finding = research::research(&website, &lead.fields.name, options)?;
    let fill = if finding.name_check {
        ResearchFill {
            website: proposed.clone(),
            contact_name: finding.contact_name.clone(),
            email: finding.email.clone(),
            description: finding.description.clone(),
        }
    } else {
        ResearchFill::default()
    };
    let applied = store.apply_research(lead.id, &fill)?;
    Ok(ResearchReport {
        lead: lead.fields.name.clone(),
        website,
        proposed_website: proposed,
        finding,
        applied,
    })
}

pub fn research(env: &Env, reference: &str) -> Result<Outcome> {
    let mut store = env.open()?;
    let lead = store.resolve_parent(reference)?;
    let report = research_lead(&mut store, lead.id, &research::Options::default())?;
    Ok(Outcome::ok(report.text()))
}
