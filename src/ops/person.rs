//! The person's card: everything kith stores about one contact, their notes and emails, and
//! their history told in sentences. Read here once, shown by both faces (`kith person` and the
//! TUI's card), so both say the same.

use crate::domain::validate::terminal_safe;
use crate::domain::{Activity, ActivityKind, Contact, Labeled};
use crate::store::{HistoryEntry, Result, Store};
use serde_json::Value;

/// A contact and what surrounds them.
#[derive(Debug, Clone)]
pub struct Card {
    pub contact: Contact,
    /// Where they went when they moved on: the contact that continues them.
    pub moved_to: Option<Link>,
    /// Who they were before they moved here.
    pub moved_from: Option<Link>,
    /// Notes about them and emails with them, newest first.
    pub activities: Vec<Activity>,
    /// Their history, oldest first.
    pub history: Vec<HistoryEntry>,
}

/// The same person at another company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub contact_id: i64,
    pub parent_id: i64,
    pub company: String,
}

impl Link {
    fn of(c: &Contact) -> Link {
        Link {
            contact_id: c.id,
            parent_id: c.parent_id,
            company: c.parent_name.clone(),
        }
    }
}

/// Everything the card shows about contact `id`, read now.
pub fn card(store: &Store, id: i64) -> Result<Card> {
    let contact = store.contact(id)?;
    let moved_to = match contact.moved_to {
        Some(to) => Some(Link::of(&store.contact(to)?)),
        None => None,
    };
    let moved_from = store.moved_from(id)?.as_ref().map(Link::of);
    let activities = store.list_activities(contact.parent_id, Some(id))?;
    let history = store.history("contact", id)?;
    Ok(Card {
        contact,
        moved_to,
        moved_from,
        activities,
        history,
    })
}

/// This person and their likeliest duplicate, as (kept, merged in): the older record kept.
pub fn likely_duplicate(store: &Store, id: i64) -> Result<Option<(i64, i64)>> {
    let groups = super::dupes::people(store)?;
    Ok(groups
        .iter()
        .flat_map(|g| g.pairs.iter())
        .find(|p| p.ids.contains(&id))
        .map(|p| (p.ids[0], p.ids[1])))
}

impl Card {
    /// The card's fields as (label, value) rows, in reading order, each value made safe to
    /// draw on one line. Empty fields are left out; every email, phone, address and URL is a
    /// row of its own.
    pub fn rows(&self) -> Vec<(&'static str, String)> {
        let c = &self.contact;
        let f = &c.fields;
        let safe = |s: &str| terminal_safe(s, false);
        let mut rows: Vec<(&'static str, String)> = Vec::new();
        let mut one = |label: &'static str, v: &Option<String>| {
            if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
                rows.push((label, safe(v)));
            }
        };
        one("Title", &f.title);
        one("Nickname", &f.nickname);
        one("Prefix", &f.prefix);
        one("Middle name", &f.middle_name);
        one("Suffix", &f.suffix);
        let company = format!("{} ({} #{})", c.parent_name, c.parent_kind, c.parent_id);
        rows.push(("Company", safe(&company)));
        for e in &f.emails {
            rows.push(("Email", labeled(&e.value, e)));
        }
        for p in &f.phones {
            rows.push(("Phone", labeled(&p.value, p)));
        }
        for a in &f.addresses {
            rows.push(("Address", labeled(&address(&a.value), a)));
        }
        for u in &f.urls {
            rows.push(("URL", labeled(&u.value, u)));
        }
        let mut one = |label: &'static str, v: &Option<String>| {
            if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
                rows.push((label, safe(v)));
            }
        };
        one("Birthday", &f.birthday);
        one("Anniversary", &f.anniversary);
        if !f.tags.is_empty() {
            rows.push(("Tags", safe(&f.tags.join(", "))));
        }
        if let Some(days) = c.every_days {
            rows.push(("Keep in touch", every(days)));
        }
        if let Some(l) = &self.moved_to {
            let to = format!("{} (contact #{})", l.company, l.contact_id);
            rows.push(("Moved on to", safe(&to)));
        } else if c.moved_to.is_some() {
            rows.push(("Moved on", "yes".to_string()));
        }
        if let Some(l) = &self.moved_from {
            let from = format!("{} (contact #{})", l.company, l.contact_id);
            rows.push(("Was at", safe(&from)));
        }
        rows
    }

    /// The name the card is headed with.
    pub fn name(&self) -> String {
        terminal_safe(self.contact.full_name(), false)
    }

    /// The history, newest first, one line each: "2026-11-25 19:57 alice  Title: CTO → CEO".
    pub fn history_lines(&self) -> Vec<String> {
        self.history
            .iter()
            .rev()
            .map(|h| history_line(self.contact.id, h))
            .collect()
    }
}

/// "every day", "every 30 days".
fn every(days: i64) -> String {
    match days {
        1 => "every day".to_string(),
        n => format!("every {n} days"),
    }
}

/// "value (home, preferred)", safe to draw.
fn labeled(value: &str, l: &Labeled) -> String {
    let mut notes: Vec<&str> = Vec::new();
    if let Some(label) = l.label.as_deref() {
        notes.push(label);
    }
    if l.preferred {
        notes.push("preferred");
    }
    let text = match notes.is_empty() {
        true => value.to_string(),
        false => format!("{value} ({})", notes.join(", ")),
    };
    terminal_safe(&text, false)
}

/// A vCard `ADR` (seven parts joined by `;`, escaped as the card had them) as one line: the
/// parts that are there, joined by commas.
pub fn address(raw: &str) -> String {
    let mut parts: Vec<String> = vec![String::new()];
    let mut chars = raw.chars();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => match chars.next() {
                Some('n' | 'N') => parts.last_mut().expect("one part").push(' '),
                Some(next) => parts.last_mut().expect("one part").push(next),
                None => {}
            },
            ';' => parts.push(String::new()),
            _ => parts.last_mut().expect("one part").push(ch),
        }
    }
    let kept: Vec<&str> = parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    terminal_safe(&kept.join(", "), false)
}

/// One history entry as a line: when, who, what was done in words, and why if said.
pub fn history_line(entity_id: i64, h: &HistoryEntry) -> String {
    let when = h.at.replace('T', " ");
    let when = when.get(..16).unwrap_or(&when);
    let mut line = format!("{when} {}  {}", h.actor, sentence(entity_id, h));
    if let Some(reason) = h.reason.as_deref().filter(|r| !r.is_empty()) {
        line.push_str(&format!(" ({reason})"));
    }
    terminal_safe(&line, false)
}

/// What a history entry of record `entity_id` says was done, in words: "Title: CTO → Chief
/// Technology Officer; added email andy@example.com (home)", "merged #12 into #9".
pub fn sentence(entity_id: i64, h: &HistoryEntry) -> String {
    let detail: Value = h
        .changes
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok())
        .unwrap_or(Value::Null);
    let id = |key: &str| detail[key].as_i64().map(|n| format!("#{n}"));
    let said = match h.action.as_str() {
        "create" => Some("created".to_string()),
        "delete" => Some("deleted".to_string()),
        "merge" => id("merged").map(|merged| {
            let name = detail["name"].as_str().unwrap_or("").trim();
            let merge = detail["merge"].as_i64().map(|m| format!("merge {m}"));
            let said: Vec<String> = [Some(name.to_string()), merge]
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .collect();
            match said.is_empty() {
                true => format!("merged {merged} into #{entity_id}"),
                false => format!("merged {merged} into #{entity_id} ({})", said.join(", ")),
            }
        }),
        "merge_undone" => match (id("merge"), id("merged")) {
            (Some(m), Some(merged)) => Some(format!("merge {m} undone: {merged} back on its own")),
            _ => None,
        },
        "delete_undone" => Some("deletion undone".to_string()),
        "moved_on" => Some(match (id("to_contact"), id("to_parent")) {
            (Some(c), Some(p)) => format!("moved on to company {p}, as contact {c}"),
            _ => "moved on".to_string(),
        }),
        "moved_from" => Some(match (id("from_contact"), id("from_parent")) {
            (Some(c), Some(p)) => format!("came from company {p}, where they were contact {c}"),
            _ => "came from another company".to_string(),
        }),
        "cadence" => {
            detail["every_days"]
                .as_array()
                .map(|pair| match pair.get(1).and_then(Value::as_i64) {
                    Some(days) => format!("keep in touch {}", every(days)),
                    None => "keep-in-touch cadence removed".to_string(),
                })
        }
        "status" => detail["status"].as_array().map(|pair| {
            let show = |v: Option<&Value>| {
                let s = v.and_then(Value::as_str).unwrap_or("");
                crate::domain::Status::parse(s)
                    .map_or_else(|| s.to_string(), |st| st.label().to_string())
            };
            format!("Status: {} → {}", show(pair.first()), show(pair.get(1)))
        }),
        _ => None,
    };
    if let Some(said) = said {
        return said;
    }
    let action = h.action.replace('_', " ");
    match &detail {
        Value::Object(map) if h.action == "update" || map.values().all(is_pair) => {
            let parts = changes(map);
            match parts.is_empty() {
                true => action,
                false if h.action == "update" => parts.join("; "),
                false => format!("{action}: {}", parts.join("; ")),
            }
        }
        Value::Null => action,
        other => format!("{action}: {}", short(&other.to_string())),
    }
}

fn is_pair(v: &Value) -> bool {
    matches!(v, Value::Array(p) if p.len() == 2)
}

/// Each changed field of `{field: [old, new]}` in words.
fn changes(map: &serde_json::Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    for (field, v) in map {
        let Value::Array(pair) = v else {
            out.push(format!("{}: {}", label_of(field), short(&v.to_string())));
            continue;
        };
        let (old, new) = match pair.as_slice() {
            [old, new] => (old, new),
            _ => continue,
        };
        // The preferred email and phone are said through the lists they are in, when those
        // changed too.
        let plural = format!("{field}s");
        if matches!(field.as_str(), "email" | "phone") && map.contains_key(&plural) {
            continue;
        }
        match field.as_str() {
            "emails" | "phones" | "addresses" | "urls" => {
                out.extend(list_changes(field, old, new));
            }
            "tags" => {
                let names = |v: &Value| -> Vec<String> {
                    v.as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|t| t.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default()
                };
                let (old, new) = (names(old), names(new));
                for t in new.iter().filter(|t| !old.contains(t)) {
                    out.push(format!("added tag {t}"));
                }
                for t in old.iter().filter(|t| !new.contains(t)) {
                    out.push(format!("removed tag {t}"));
                }
            }
            "extra" => out.push("other vCard properties changed".to_string()),
            "photo" => out.push("photo changed".to_string()),
            "every_days" => out.push(match new.as_i64() {
                Some(days) => format!("keep in touch {}", every(days)),
                None => "keep-in-touch cadence removed".to_string(),
            }),
            _ => {
                let label = label_of(field);
                out.push(match (text(old), text(new)) {
                    (None, Some(n)) => format!("{label}: set to {n}"),
                    (Some(o), None) => format!("{label}: {o} removed"),
                    (Some(o), Some(n)) => format!("{label}: {o} → {n}"),
                    (None, None) => continue,
                });
            }
        }
    }
    out
}

/// A scalar as a sentence shows it; None when empty.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(short(s)),
        other => Some(short(&other.to_string())),
    }
}

/// One line of at most 80 characters.
fn short(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match one.chars().count() > 80 {
        true => one.chars().take(79).collect::<String>() + "…",
        false => one,
    }
}

/// How a sentence names a field of the store.
fn label_of(field: &str) -> String {
    match field {
        "first_name" => "First name",
        "last_name" => "Last name",
        "full_name" => "Name",
        "middle_name" => "Middle name",
        "prefix" => "Prefix",
        "suffix" => "Suffix",
        "nickname" => "Nickname",
        "title" => "Title",
        "notes" => "Notes",
        "email" => "Preferred email",
        "phone" => "Preferred phone",
        "birthday" => "Birthday",
        "anniversary" => "Anniversary",
        "uid" => "UID",
        "company" => "Company",
        "name" => "Name",
        "website" => "Website",
        "industry" => "Industry",
        "source" => "Source",
        "contact_name" => "Contact name",
        "status" => "Status",
        other => return other.replace('_', " "),
    }
    .to_string()
}

/// The entries of a list of labeled values (emails, phones, addresses, URLs) that were added,
/// removed, relabeled or made preferred.
fn list_changes(field: &str, old: &Value, new: &Value) -> Vec<String> {
    let noun = match field {
        "emails" => "email",
        "phones" => "phone",
        "addresses" => "address",
        _ => "URL",
    };
    let entries = |v: &Value| -> Vec<Labeled> {
        serde_json::from_value::<Vec<Labeled>>(v.clone()).unwrap_or_default()
    };
    let show = |l: &Labeled| match noun {
        "address" => address(&l.value),
        _ => short(&l.value),
    };
    let with_label = |l: &Labeled| match l.label.as_deref() {
        Some(label) => format!("{} ({label})", show(l)),
        None => show(l),
    };
    let same = |a: &Labeled, b: &Labeled| match noun {
        "email" => a.value.eq_ignore_ascii_case(&b.value),
        _ => a.value == b.value,
    };
    let (old, new) = (entries(old), entries(new));
    let mut out = Vec::new();
    for n in &new {
        match old.iter().find(|o| same(o, n)) {
            None => out.push(format!("added {noun} {}", with_label(n))),
            Some(o) => {
                if o.label != n.label {
                    let label = |l: &Option<String>| l.clone().unwrap_or_else(|| "—".into());
                    out.push(format!(
                        "{noun} {}: label {} → {}",
                        show(n),
                        label(&o.label),
                        label(&n.label)
                    ));
                }
                if n.preferred && !o.preferred {
                    out.push(format!("{noun} {} made preferred", show(n)));
                }
            }
        }
    }
    for o in old.iter().filter(|o| !new.iter().any(|n| same(o, n))) {
        out.push(format!("removed {noun} {}", with_label(o)));
    }
    out
}

/// A note or an email, whole, as the pager shows it: a title, then its lines (headers, a
/// blank line, the body). Everything is safe to draw.
pub fn entry_lines(a: &Activity) -> (String, Vec<String>) {
    let safe = |s: &str| terminal_safe(s, false);
    let when = a.created_at.replace('T', " ");
    let when = when.get(..16).unwrap_or(&when).to_string();
    let mut head: Vec<(&str, String)> = Vec::new();
    let title = match a.kind {
        ActivityKind::Note => {
            head.push(("Written by", a.author.clone()));
            head.push(("On", when));
            if let Some(people) = a.people() {
                head.push(("About", people));
            }
            format!("Note #{}", a.id)
        }
        ActivityKind::Email => {
            let received = a.direction.as_deref() == Some("received");
            match received {
                true => head.push(("From", a.author.clone())),
                false => head.push(("Sent by", a.author.clone())),
            }
            if let Some(to) = &a.email_to {
                head.push(("To", to.clone()));
            }
            if let Some(people) = a.people() {
                head.push(("With", people));
            }
            head.push(("Date", when));
            if let Some(s) = &a.subject {
                head.push(("Subject", s.clone()));
            }
            if let Some(id) = &a.message_id {
                head.push(("Message-ID", id.clone()));
            }
            match a.direction.as_deref() {
                Some(d) => format!("Email #{} ({d})", a.id),
                None => format!("Email #{}", a.id),
            }
        }
    };
    let mut lines: Vec<String> = head
        .into_iter()
        .map(|(k, v)| format!("{k:<11} {}", safe(&v)))
        .collect();
    lines.push(String::new());
    let body = terminal_safe(&a.body.replace('\t', "    "), true);
    lines.extend(body.lines().map(str::to_string));
    (title, lines)
}

/// The one line a timeline shows for an entry: "2026-11-25 email by alice · Ada: Pricing".
pub fn entry_head(a: &Activity) -> String {
    let date = a.created_at.get(..10).unwrap_or(&a.created_at);
    let about = a.people().map(|n| format!(" · {n}")).unwrap_or_default();
    let subject = a
        .subject
        .as_deref()
        .map(|s| format!(": {s}"))
        .unwrap_or_default();
    let head = format!("{date} {} by {}{about}{subject}", a.kind.key(), a.author);
    terminal_safe(&head, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(action: &str, changes: Value) -> HistoryEntry {
        HistoryEntry {
            at: "2026-11-25T19:57:01Z".into(),
            actor: "alice".into(),
            action: action.into(),
            changes: Some(changes.to_string()),
            reason: None,
        }
    }

    #[test]
    fn an_edit_reads_as_sentences() {
        let h = entry(
            "update",
            serde_json::json!({
                "title": ["CTO", "Chief Technology Officer"],
                "email": ["a@work.example", "a@work.example"],
                "emails": [
                    [{"value": "a@work.example", "label": "work", "preferred": true}],
                    [{"value": "a@work.example", "label": "work", "preferred": true},
                     {"value": "andy.wright@gmail.com", "label": "home", "preferred": false}]
                ],
                "tags": [["vip"], ["golf"]],
                "nickname": [null, "Andy"],
            }),
        );
        let said = sentence(7, &h);
        assert!(
            said.contains("Title: CTO → Chief Technology Officer"),
            "{said}"
        );
        assert!(
            said.contains("added email andy.wright@gmail.com (home)"),
            "{said}"
        );
        assert!(
            said.contains("added tag golf") && said.contains("removed tag vip"),
            "{said}"
        );
        assert!(said.contains("Nickname: set to Andy"), "{said}");
        assert!(!said.contains('{') && !said.contains('['), "{said}");
        let line = history_line(7, &h);
        assert!(line.starts_with("2026-11-25 19:57 alice  "), "{line}");
    }

    #[test]
    fn a_merge_and_a_move_read_as_sentences() {
        let h = entry(
            "merge",
            serde_json::json!({"merge": 4, "merged": 12, "name": "Andy Wright"}),
        );
        assert_eq!(sentence(9, &h), "merged #12 into #9 (Andy Wright, merge 4)");
        let h = entry(
            "merge_undone",
            serde_json::json!({"merge": 4, "merged": 12}),
        );
        assert_eq!(sentence(9, &h), "merge #4 undone: #12 back on its own");
        let h = entry(
            "moved_on",
            serde_json::json!({"to_contact": 30, "to_parent": 5}),
        );
        assert_eq!(sentence(9, &h), "moved on to company #5, as contact #30");
        let h = entry("cadence", serde_json::json!({"every_days": [null, 30]}));
        assert_eq!(sentence(9, &h), "keep in touch every 30 days");
    }

    #[test]
    fn an_address_is_its_parts_joined() {
        assert_eq!(
            address(";;112 Main St;NY;New York;10011;"),
            "112 Main St, NY, New York, 10011"
        );
        assert_eq!(address(";;1\\; rue\\, Paris;;;;"), "1; rue, Paris");
    }

    proptest! {
        /// Whatever a history holds, its line is one line with nothing a terminal would obey.
        #[test]
        fn history_lines_are_terminal_safe(
            field in "[a-z_]{1,12}",
            old in any::<String>(),
            new in any::<String>(),
            action in "(update|merge|status|create|moved_on|[a-z]{1,8})",
        ) {
            let h = entry(&action, serde_json::json!({ field: [old, new], "name": new }));
            let line = history_line(1, &h);
            prop_assert!(!line.contains('\n'));
            prop_assert_eq!(terminal_safe(&line, false), line);
        }
    }
}
