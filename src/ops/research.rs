//! Researching a lead: which website to read, reading it, and keeping what it says about whom
//! to write to in the lead's empty fields. `target` and `apply` are separate so that the TUI can
//! read the website off its drawing thread, in between.

use crate::domain::validate::terminal_safe;
use crate::domain::ParentKind;
use crate::research::{self, Finding};
use crate::store::{ResearchApplied, ResearchFill, Store};
use anyhow::{bail, Result};
use std::fmt::Write;

/// A lead that can be researched, and the website to read for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub lead_id: i64,
    /// The lead's name, which the site must mention to be trusted as the company's.
    pub lead: String,
    pub website: String,
    /// Set when the lead had no website and one was proposed from its email's domain.
    pub proposed_website: Option<String>,
}

/// What researching a lead found and did.
pub struct ResearchReport {
    pub target: Target,
    pub finding: Finding,
    pub applied: ResearchApplied,
}

impl ResearchReport {
    /// One line for a status bar.
    pub fn summary(&self) -> String {
        if !self.finding.name_check {
            return format!(
                "{} never mentions {}: nothing stored",
                self.target.website, self.target.lead
            );
        }
        let filled: Vec<&str> = self.applied.filled.iter().map(|(f, _)| *f).collect();
        let kept: Vec<&str> = self.applied.kept.iter().map(|(f, _, _)| *f).collect();
        match (filled.is_empty(), kept.is_empty()) {
            (true, true) => format!("Nothing new found on {}", self.target.website),
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
        if let Some(w) = &self.target.proposed_website {
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
                safe(&self.target.lead)
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

/// Whether `lead_id` can be researched, and from which website: a lead's own, else one
/// proposed from its email's domain (a free-mail domain says nothing of the company).
pub fn target(store: &Store, lead_id: i64) -> Result<Target> {
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
    Ok(Target {
        lead_id: lead.id,
        lead: lead.fields.name,
        website,
        proposed_website: proposed,
    })
}

/// Stores what was found in the lead's empty fields, unless the site never names the lead (it
/// may not be the company's), and reports what was done.
pub fn apply(store: &mut Store, target: &Target, finding: Finding) -> Result<ResearchReport> {
    let fill = if finding.name_check {
        ResearchFill {
            website: target.proposed_website.clone(),
            contact_name: finding.contact_name.clone(),
            email: finding.email.clone(),
            description: finding.description.clone(),
        }
    } else {
        ResearchFill::default()
    };
    let applied = store.apply_research(target.lead_id, &fill)?;
    Ok(ResearchReport {
        target: target.clone(),
        finding,
        applied,
    })
}

/// Researches a lead and stores what it found in its empty fields, all in one go.
pub fn research_lead(
    store: &mut Store,
    lead_id: i64,
    options: &research::Options,
) -> Result<ResearchReport> {
    let t = target(store, lead_id)?;
    let finding = research::research(&t.website, &t.lead, options)?;
    apply(store, &t, finding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ParentFields;
    use crate::ops::testing::{parent, temp_store};

    fn lead(store: &mut Store, name: &str, website: Option<&str>, email: Option<&str>) -> i64 {
        let fields = ParentFields {
            name: name.to_string(),
            website: website.map(str::to_string),
            email: email.map(str::to_string),
            ..Default::default()
        };
        store.add_parent(ParentKind::Lead, &fields).unwrap()
    }

    fn refusal(store: &Store, id: i64) -> String {
        format!("{:#}", target(store, id).expect_err("refused"))
    }

    #[test]
    fn target_refuses_what_cannot_be_researched_and_says_why() {
        let (_dir, mut store) = temp_store();
        let customer = parent(&mut store, ParentKind::Customer, "Initech");
        assert!(refusal(&store, customer).contains("is a customer"));

        let bare = parent(&mut store, ParentKind::Lead, "Hooli");
        assert!(refusal(&store, bare).contains("neither a website nor an email"));

        let free = lead(&mut store, "Pied Piper", None, Some("someone@gmail.com"));
        assert!(refusal(&store, free).contains("free-mail"));

        let converted = lead(&mut store, "Globex", Some("https://globex.io"), None);
        let done = store.convert_lead(converted, None).unwrap();
        let why = refusal(&store, converted);
        assert!(
            why.contains(&format!("converted into customer #{}", done.customer_id)),
            "{why}"
        );

        assert!(target(&store, 9999).is_err());
    }

    #[test]
    fn target_reads_the_website_or_proposes_one_from_the_email() {
        let (_dir, mut store) = temp_store();
        let own = lead(
            &mut store,
            "Globex",
            Some("https://globex.io"),
            Some("info@other-domain.io"),
        );
        let t = target(&store, own).unwrap();
        assert_eq!(t.lead, "Globex");
        assert_eq!(t.website, "https://globex.io");
        assert_eq!(t.proposed_website, None);

        let by_mail = lead(
            &mut store,
            "Northwind",
            None,
            Some("ada@northwind-traders.com"),
        );
        let t = target(&store, by_mail).unwrap();
        assert_eq!(t.lead_id, by_mail);
        assert_eq!(t.website, "https://northwind-traders.com");
        assert_eq!(t.proposed_website.as_deref(), Some(t.website.as_str()));
    }

    #[test]
    fn apply_stores_only_what_a_site_that_names_the_lead_says() {
        let (_dir, mut store) = temp_store();
        let id = lead(
            &mut store,
            "Northwind",
            None,
            Some("ada@northwind-traders.com"),
        );
        let t = target(&store, id).unwrap();
        let finding = Finding {
            contact_name: Some("Ada Lovelace".to_string()),
            ..Default::default()
        };

        let report = apply(&mut store, &t, finding.clone()).unwrap();
        assert!(report.applied.filled.is_empty());
        assert!(report.summary().contains("never mentions Northwind"));
        assert_eq!(store.parent(id).unwrap().fields.contact_name, None);

        let named_it = Finding {
            name_check: true,
            ..finding
        };
        let report = apply(&mut store, &t, named_it).unwrap();
        let lead = store.parent(id).unwrap();
        assert_eq!(lead.fields.contact_name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(
            lead.fields.website.as_deref(),
            Some("https://northwind-traders.com")
        );
        assert!(report
            .text()
            .contains("stored   contact_name: Ada Lovelace"));
    }
}
