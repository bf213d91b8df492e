//! What one HTML page says: links, email addresses (mailto links, plain or lightly obfuscated
//! text, schema.org JSON-LD), names near them, a description, and its visible text.

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use url::Url;

use super::mailbox::{personal, Personal};
use crate::domain::validate::sanitize;

/// Where an address was found; lower is more trustworthy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Source {
    JsonLdPerson,
    JsonLdContact,
    Mailto,
    Text,
}

/// An address as found, not yet checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub email: String,
    pub name: Option<String>,
    pub source: Source,
}

#[derive(Debug, Default)]
pub(crate) struct PageData {
    /// Links to http(s) pages, resolved, without fragment, with their text.
    pub links: Vec<(Url, String)>,
    pub found: Vec<Found>,
    /// Names of JSON-LD Persons given without an address.
    pub people: Vec<String>,
    /// Descriptions in order of preference: meta description, og:description, JSON-LD.
    pub descriptions: Vec<String>,
    /// Visible text, the title, meta text and JSON-LD names: what the name check reads.
    pub text: String,
}

fn selector(s: &str) -> Selector {
    Selector::parse(s).expect("a valid built-in selector")
}

/// Elements whose text nobody sees.
fn hidden(name: &str) -> bool {
    matches!(name, "script" | "style" | "noscript" | "template" | "head")
}

pub(crate) fn extract(html: &str, page_url: &Url) -> PageData {
    let doc = Html::parse_document(html);
    let mut data = PageData::default();

    // Base for relative links: <base href> when it is http(s), else the page.
    let base = doc
        .select(&selector("base[href]"))
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|h| page_url.join(h.trim()).ok())
        .filter(|u| u.scheme() == "http" || u.scheme() == "https")
        .unwrap_or_else(|| page_url.clone());

    // Meta descriptions and title.
    let mut meta_desc = None;
    let mut og_desc = None;
    for meta in doc.select(&selector("meta[content]")) {
        let content = meta.value().attr("content").unwrap_or("");
        let name = meta
            .value()
            .attr("name")
            .or_else(|| meta.value().attr("property"))
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match name.as_str() {
            "description" if meta_desc.is_none() && !content.trim().is_empty() => {
                meta_desc = Some(content.to_string());
            }
            "og:description" if og_desc.is_none() && !content.trim().is_empty() => {
                og_desc = Some(content.to_string());
            }
            "og:site_name" | "og:title" | "application-name" | "author" => {
                push_text(&mut data.text, content);
            }
            _ => {}
        }
    }
    if let Some(title) = doc.select(&selector("title")).next() {
        push_text(&mut data.text, &title.text().collect::<String>());
    }
    data.descriptions.extend(meta_desc.iter().cloned());
    data.descriptions.extend(og_desc.iter().cloned());

    // JSON-LD.
    let mut ld = JsonLd::default();
    for script in doc.select(&selector("script[type]")) {
        let kind = script.value().attr("type").unwrap_or("").trim();
        if !kind.eq_ignore_ascii_case("application/ld+json") {
            continue;
        }
        let body: String = script.text().collect();
        if let Ok(value) = serde_json::from_str::<Value>(body.trim()) {
            walk(&value, &mut ld, 0);
        }
    }
    for (name, email) in &ld.persons {
        if let Some(name) = name {
            if email.is_none() {
                data.people.push(name.clone());
            }
            push_text(&mut data.text, name);
        }
        if let Some(email) = email {
            data.found.push(Found {
                email: email.clone(),
                name: name.clone(),
                source: Source::JsonLdPerson,
            });
        }
    }
    for (name, email) in &ld.contacts {
        let local = email.split('@').next().unwrap_or("");
        let name = name.as_deref().and_then(|n| name_in_text(n, local, true));
        data.found.push(Found {
            email: email.clone(),
            name,
            source: Source::JsonLdContact,
        });
    }
    for name in &ld.org_names {
        push_text(&mut data.text, name);
    }
    data.descriptions.extend(ld.descriptions.iter().cloned());

    // Links, and mailto links.
    for a in doc.select(&selector("a[href], area[href]")) {
        let href = a.value().attr("href").unwrap_or("").trim();
        let text = clean_line(&a.text().collect::<Vec<_>>().join(" "));
        if let Some(rest) = strip_prefix_ci(href, "mailto:") {
            for email in mailto_addresses(rest) {
                let local = email.split('@').next().unwrap_or("").to_string();
                let name = if text.contains('@') {
                    None
                } else {
                    name_in_text(&text, &local, false)
                }
                .or_else(|| name_near(a, &local));
                data.found.push(Found {
                    email,
                    name,
                    source: Source::Mailto,
                });
            }
            continue;
        }
        let Ok(mut url) = base.join(href) else {
            continue;
        };
        if url.scheme() != "http" && url.scheme() != "https" {
            continue;
        }
        url.set_fragment(None);
        let mut label = text;
        for attr in ["title", "aria-label"] {
            if let Some(v) = a.value().attr(attr) {
                label.push(' ');
                label.push_str(v);
            }
        }
        data.links.push((url, collapse(&label)));
    }

    // Visible text, and addresses written in it.
    let mut text_found = Vec::new();
    for node in doc.root_element().descendants() {
        let Some(text) = node.value().as_text() else {
            continue;
        };
        let in_hidden = node
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|e| hidden(e.value().name()));
        if in_hidden {
            continue;
        }
        push_text(&mut data.text, text);
        let plain = deobfuscate(text);
        for email in emails_in(&plain) {
            let local = email.split('@').next().unwrap_or("").to_string();
            let name = node
                .parent()
                .and_then(ElementRef::wrap)
                .and_then(|e| name_near(e, &local));
            text_found.push(Found {
                email,
                name,
                source: Source::Text,
            });
        }
    }
    // Addresses split over several elements ("ada<span>[at]</span>acme.com").
    for email in emails_in(&deobfuscate(&data.text)) {
        if !text_found
            .iter()
            .any(|f| f.email.eq_ignore_ascii_case(&email))
        {
            text_found.push(Found {
                email,
                name: None,
                source: Source::Text,
            });
        }
    }
    data.found.extend(text_found);
    data
}

fn push_text(out: &mut String, text: &str) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
    out.push_str(text);
}

/// Whitespace runs become one space; the ends are trimmed.
pub(crate) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One line of untrusted text: line breaks and tabs become spaces, control and bidi
/// characters go, whitespace is collapsed.
pub(crate) fn clean_line(s: &str) -> String {
    let spaced: String = s
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    collapse(&sanitize(&spaced, false))
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
    {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The addresses of a mailto link (after `mailto:`): before any `?`, comma-separated,
/// percent-decoded.
fn mailto_addresses(rest: &str) -> Vec<String> {
    let addresses = rest.split('?').next().unwrap_or("");
    percent_decode(addresses)
        .split([',', ';'])
        .map(str::trim)
        .filter(|a| a.contains('@'))
        .map(str::to_string)
        .collect()
}

/// Turns "ada [at] acme [dot] com" and "ada(at)acme(dot)com" into "ada@acme.com".
pub(crate) fn deobfuscate(s: &str) -> String {
    if !s.contains(['[', '(', '{', '<']) {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let open = chars[i];
        let close = match open {
            '[' => ']',
            '(' => ')',
            '{' => '}',
            '<' => '>',
            _ => {
                out.push(open);
                i += 1;
                continue;
            }
        };
        let mut j = i + 1;
        while j < chars.len() && chars[j] == ' ' {
            j += 1;
        }
        let word_start = j;
        while j < chars.len() && chars[j].is_ascii_alphabetic() {
            j += 1;
        }
        let word: String = chars[word_start..j]
            .iter()
            .collect::<String>()
            .to_lowercase();
        while j < chars.len() && chars[j] == ' ' {
            j += 1;
        }
        let replacement = match word.as_str() {
            "at" => Some('@'),
            "dot" => Some('.'),
            _ => None,
        };
        match replacement {
            Some(r) if j < chars.len() && chars[j] == close => {
                while out.ends_with(' ') {
                    out.pop();
                }
                out.push(r);
                i = j + 1;
                while i < chars.len() && chars[i] == ' ' {
                    i += 1;
                }
            }
            _ => {
                out.push(open);
                i += 1;
            }
        }
    }
    out
}

/// Address-shaped strings in plain text; checked later.
pub(crate) fn emails_in(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let local_char = |c: char| c.is_ascii_alphanumeric() || "._%+-'".contains(c);
    let domain_char = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-';
    let mut out: Vec<String> = Vec::new();
    for (at, &c) in chars.iter().enumerate() {
        if c != '@' {
            continue;
        }
        let mut start = at;
        while start > 0 && local_char(chars[start - 1]) {
            start -= 1;
        }
        let mut end = at + 1;
        while end < chars.len() && domain_char(chars[end]) {
            end += 1;
        }
        let local: String = chars[start..at].iter().collect();
        let local = local.trim_start_matches(['.', '\'', '-', '+']);
        let domain: String = chars[at + 1..end].iter().collect();
        let domain = domain.trim_end_matches(['.', '-']);
        let tld = domain.rsplit('.').next().unwrap_or("");
        if local.is_empty()
            || !domain.contains('.')
            || tld.len() < 2
            || !tld.chars().all(|c| c.is_ascii_alphabetic())
        {
            continue;
        }
        let email = format!("{local}@{domain}");
        if !out.iter().any(|e| e.eq_ignore_ascii_case(&email)) {
            out.push(email);
        }
    }
    out
}

// ---- names ----

const NOT_NAME_WORDS: &[&str] = &[
    "contact",
    "contacts",
    "kontakt",
    "email",
    "e-mail",
    "mail",
    "us",
    "our",
    "team",
    "sales",
    "support",
    "write",
    "click",
    "here",
    "info",
    "information",
    "office",
    "press",
    "jobs",
    "careers",
    "get",
    "in",
    "touch",
    "send",
    "message",
    "reach",
    "hello",
    "hi",
    "about",
    "the",
    "and",
    "or",
    "of",
    "for",
    "to",
    "me",
    "now",
    "today",
    "questions",
    "question",
    "help",
    "service",
    "customer",
    "customers",
    "general",
    "enquiries",
    "inquiries",
    "privacy",
    "policy",
    "legal",
    "imprint",
    "impressum",
    "home",
    "company",
    "inc",
    "ltd",
    "llc",
    "gmbh",
    "ceo",
    "cto",
    "cfo",
    "coo",
    "founder",
    "co-founder",
    "cofounder",
    "director",
    "manager",
    "head",
    "chief",
    "officer",
    "president",
    "partner",
    "lead",
    "engineer",
    "dr",
    "prof",
    "mr",
    "mrs",
    "ms",
    "mx",
    "sir",
    "phone",
    "tel",
    "fax",
    "address",
    "street",
    "road",
    "book",
    "demo",
    "call",
    "meeting",
    "request",
    "quote",
    "free",
    "trial",
    "learn",
    "more",
    "read",
    "see",
    "view",
    "all",
    "new",
    "news",
    "blog",
    "careers",
    "login",
    "sign",
    "up",
    "menu",
    "we",
    "you",
    "your",
    "is",
    "are",
    "at",
    "by",
    "with",
    "from",
    "on",
    "a",
    "an",
    "managing",
    "executive",
    "vice",
    "vp",
    "founders",
    "leadership",
    "people",
    "staff",
    "media",
    "marketing",
    "business",
    "development",
    "operations",
    "hr",
    "human",
    "resources",
    "robotics",
    "technologies",
    "solutions",
    "group",
    "labs",
    "studio",
];

const PARTICLES: &[&str] = &[
    "von", "van", "der", "den", "de", "da", "di", "du", "del", "della", "le", "la", "bin", "al",
    "ten", "ter", "zu", "y", "dos", "das",
];

fn is_name_word(word: &str) -> bool {
    let w = word.trim_end_matches('.');
    let mut chars = w.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    first.is_uppercase()
        && w.chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’')
        && !NOT_NAME_WORDS.contains(&w.to_lowercase().as_str())
}

/// Runs of capitalised words (particles allowed inside) that could be a person's name, two to
/// four words long, or one word.
fn name_runs(text: &str) -> Vec<Vec<String>> {
    let spaced: String = text
        .chars()
        .map(|c| {
            if c.is_alphabetic() || c == '-' || c == '\'' || c == '’' || c == '.' {
                c
            } else if c.is_whitespace() {
                ' '
            } else {
                '|'
            }
        })
        .collect();
    let mut runs = Vec::new();
    let mut run: Vec<String> = Vec::new();
    let mut flush = |run: &mut Vec<String>| {
        while run
            .last()
            .is_some_and(|w| PARTICLES.contains(&w.to_lowercase().as_str()))
        {
            run.pop();
        }
        if !run.is_empty() {
            runs.push(std::mem::take(run));
        }
        run.clear();
    };
    for piece in spaced.split('|') {
        for raw in piece.split(' ').filter(|w| !w.is_empty()) {
            let ends_sentence = raw.ends_with('.') && raw.trim_end_matches('.').chars().count() > 1;
            let word = if ends_sentence {
                raw.trim_end_matches('.')
            } else {
                raw
            };
            let particle = PARTICLES.contains(&word.to_lowercase().as_str());
            if is_name_word(word) || (particle && !run.is_empty()) {
                run.push(word.to_string());
            } else {
                flush(&mut run);
            }
            if ends_sentence {
                flush(&mut run);
            }
        }
        flush(&mut run);
    }
    flush(&mut run);
    runs.into_iter().filter(|r| r.len() <= 4).collect()
}

/// True when a name plausibly belongs to the local part: `ada.lovelace`, `ada`, `alovelace`.
fn matches_local(name: &[String], local: &str) -> bool {
    let local = local.to_lowercase();
    let parts: Vec<&str> = local.split(['.', '_', '-', '+']).collect();
    name.iter().any(|w| {
        let w = w.trim_end_matches('.').to_lowercase();
        let n = w.chars().count();
        (n >= 2 && parts.contains(&w.as_str())) || (n >= 3 && local.contains(&w))
    })
}

/// A person's name in `text` for the address with `local` part. With `whole`, the text is
/// taken as a name when it is one (a JSON-LD ContactPoint name); otherwise the name must match
/// the local part, or be the whole text while the local part looks personal.
pub(crate) fn name_in_text(text: &str, local: &str, whole: bool) -> Option<String> {
    let text = clean_line(text);
    if text.is_empty() || text.chars().count() > 300 {
        return None;
    }
    let runs = name_runs(&text);
    for run in &runs {
        if run.len() >= 2 && matches_local(run, local) {
            return Some(run.join(" "));
        }
    }
    if let [run] = runs.as_slice() {
        let joined = run.join(" ");
        let is_all =
            collapse(&text.replace(['.', ','], " ")) == collapse(&joined.replace('.', " "));
        if is_all {
            if run.len() == 1 {
                let w = run[0].to_lowercase();
                let l = local.to_lowercase();
                if l == w || l.split(['.', '_', '-']).next() == Some(w.as_str()) {
                    return Some(joined);
                }
            } else if whole || personal(local) != Personal::No {
                return Some(joined);
            }
        }
    }
    None
}

/// A name close to an element: in its own text or in that of up to three enclosing elements,
/// matching the local part.
fn name_near(element: ElementRef, local: &str) -> Option<String> {
    let mut current = Some(element);
    for _ in 0..4 {
        let el = current?;
        if matches!(el.value().name(), "body" | "html") {
            return None;
        }
        let text = clean_line(&el.text().collect::<Vec<_>>().join(" "));
        if text.chars().count() > 400 {
            return None;
        }
        for run in name_runs(&text) {
            if run.len() >= 2 && matches_local(&run, local) {
                return Some(run.join(" "));
            }
        }
        current = el.parent().and_then(ElementRef::wrap);
    }
    None
}

// ---- JSON-LD ----

#[derive(Debug, Default)]
struct JsonLd {
    /// (name, email) of each Person.
    persons: Vec<(Option<String>, Option<String>)>,
    /// (name, email) of Organization addresses and ContactPoints.
    contacts: Vec<(Option<String>, String)>,
    descriptions: Vec<String>,
    org_names: Vec<String>,
}

fn types(o: &serde_json::Map<String, Value>) -> Vec<String> {
    let norm = |s: &str| {
        s.rsplit(['/', ':', '#'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    match o.get("@type") {
        Some(Value::String(s)) => vec![norm(s)],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(norm).collect(),
        _ => Vec::new(),
    }
}

fn is_org(t: &str) -> bool {
    t.ends_with("organization")
        || t.ends_with("business")
        || matches!(
            t,
            "corporation"
                | "company"
                | "ngo"
                | "onlinestore"
                | "store"
                | "professionalservice"
                | "airline"
                | "consortium"
                | "project"
        )
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

fn ld_email(s: &str) -> String {
    let s = s.trim();
    strip_prefix_ci(s, "mailto:")
        .map(|r| percent_decode(r.split('?').next().unwrap_or("")))
        .unwrap_or_else(|| s.to_string())
        .trim()
        .to_string()
}

fn walk(v: &Value, ld: &mut JsonLd, depth: usize) {
    if depth > 16 {
        return;
    }
    match v {
        Value::Array(items) => {
            for item in items {
                walk(item, ld, depth + 1);
            }
        }
        Value::Object(o) => {
            let kinds = types(o);
            let name = strings(o.get("name")).into_iter().next();
            let emails: Vec<String> = strings(o.get("email"))
                .iter()
                .map(|e| ld_email(e))
                .collect();
            if kinds.iter().any(|t| t == "person") {
                if emails.is_empty() {
                    ld.persons.push((name, None));
                } else {
                    for e in emails {
                        ld.persons.push((name.clone(), Some(e)));
                    }
                }
            } else if kinds.iter().any(|t| t == "contactpoint") {
                for e in emails {
                    ld.contacts.push((name.clone(), e));
                }
            } else if kinds.iter().any(|t| is_org(t)) {
                for e in emails {
                    ld.contacts.push((None, e));
                }
                if let Some(d) = strings(o.get("description")).into_iter().next() {
                    ld.descriptions.push(d);
                }
                ld.org_names.extend(name);
                ld.org_names.extend(strings(o.get("legalName")));
                ld.org_names.extend(strings(o.get("alternateName")));
            }
            for (key, value) in o {
                if key != "@context" && (value.is_object() || value.is_array()) {
                    walk(value, ld, depth + 1);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn obfuscated_addresses() {
        assert_eq!(deobfuscate("ada [at] acme [dot] com"), "ada@acme.com");
        assert_eq!(deobfuscate("ada(at)acme(dot)co(dot)uk"), "ada@acme.co.uk");
        assert_eq!(deobfuscate("ada {AT} acme.com"), "ada@acme.com");
        assert_eq!(
            deobfuscate("see [the docs] (at home)"),
            "see [the docs] (at home)"
        );
        assert_eq!(
            emails_in("Mail ada.lovelace@acme.com, or bob@acme.co.uk."),
            vec!["ada.lovelace@acme.com", "bob@acme.co.uk"]
        );
        assert!(emails_in("@acme and x@y and a@b.c1").is_empty());
    }

    #[test]
    fn names() {
        assert_eq!(
            name_in_text("Ada Lovelace", "ada.lovelace", false).as_deref(),
            Some("Ada Lovelace")
        );
        assert_eq!(
            name_in_text("Write to Ada Lovelace, CEO", "alovelace", false).as_deref(),
            Some("Ada Lovelace")
        );
        assert_eq!(name_in_text("Ada", "ada", false).as_deref(), Some("Ada"));
        assert_eq!(name_in_text("Contact us", "hello", false), None);
        assert_eq!(name_in_text("Request Demo", "hello", false), None);
        assert_eq!(name_in_text("Jane Doe", "hello", false), None);
        assert_eq!(
            name_in_text("Jane Doe", "hello", true).as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(name_in_text("Sales", "sales", true), None);
        assert_eq!(
            name_in_text("Ludwig van Beethoven", "ludwig", false).as_deref(),
            Some("Ludwig van Beethoven")
        );
    }

    #[test]
    fn mailto_links() {
        assert_eq!(
            mailto_addresses("ada%40acme.com?subject=Hi"),
            vec!["ada@acme.com"]
        );
        assert_eq!(
            mailto_addresses("a@x.com,b@x.com"),
            vec!["a@x.com", "b@x.com"]
        );
    }

    #[test]
    fn json_ld_graph() {
        let html = r#"<html><head><script type="application/ld+json">
        {"@context":"https://schema.org","@graph":[
          {"@type":"Organization","name":"Acme","description":"We build robots.",
           "email":"info@acme.com",
           "contactPoint":[{"@type":"ContactPoint","email":"sales@acme.com","name":"Sales"}],
           "employee":{"@type":"Person","name":"Grace Hopper","email":"mailto:grace@acme.com"}}
        ]}</script></head><body></body></html>"#;
        let data = extract(html, &Url::parse("https://acme.com/").unwrap());
        assert_eq!(data.descriptions, vec!["We build robots."]);
        assert!(data.people.is_empty());
        let emails: Vec<(&str, Source)> = data
            .found
            .iter()
            .map(|f| (f.email.as_str(), f.source))
            .collect();
        assert_eq!(
            emails,
            vec![
                ("grace@acme.com", Source::JsonLdPerson),
                ("info@acme.com", Source::JsonLdContact),
                ("sales@acme.com", Source::JsonLdContact),
            ]
        );
        assert!(data.text.contains("Acme"));
    }
}
