//! Website research: reads a lead's company website and finds a contact name, an email address
//! and a short description.
//!
//! Everything read is untrusted: the fetch is bounded (a time budget per page, a hard cap on
//! the bytes read, a redirect limit, HTML only, http and https only, links followed only on the
//! same site), and every string handed back has been through
//! [`sanitize`](crate::domain::validate::sanitize).

mod extract;
mod fetch;
mod mailbox;
mod site;

use std::collections::HashSet;
use std::net::IpAddr;
use std::time::Duration;

use url::Url;

use crate::domain::validate;
use extract::{clean_line, Found, PageData, Source};
use fetch::Fetcher;
use mailbox::{is_file_like_domain, is_placeholder_domain, is_role_mailbox, personal, Personal};
use site::Site;

pub use mailbox::{is_free_mail_domain, is_noise_mailbox};

/// Longest description kept, in characters.
pub const MAX_DESCRIPTION: usize = 300;

/// Limits of one research run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Time allowed for each page, its redirects and its body included.
    pub timeout: Duration,
    /// Most bytes read from one page; the rest is never downloaded.
    pub max_bytes: usize,
    /// Most pages read, the home page included (at least the home page is read).
    pub max_pages: usize,
    /// Most redirects followed for one page.
    pub max_redirects: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(10),
            max_bytes: 2 * 1024 * 1024,
            max_pages: 6,
            max_redirects: 5,
        }
    }
}

/// What the research found. Every string is sanitized (no control or bidi characters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Finding {
    /// A person's name: from a JSON-LD Person or ContactPoint, or written next to the chosen
    /// address (a mailto link's text, the same element). At most 200 characters.
    pub contact_name: Option<String>,
    /// The chosen contact address, valid by [`validate::email`]: never a noise mailbox nor a
    /// free-mail address, preferring the company's own domain.
    pub email: Option<String>,
    /// Meta description, og:description or JSON-LD Organization description; whitespace
    /// collapsed, at most [`MAX_DESCRIPTION`] characters.
    pub description: Option<String>,
    /// URLs read, in order (after redirects).
    pub pages: Vec<String>,
    /// True when the site mentions the company name (case, punctuation and legal suffixes
    /// such as Inc, Ltd, GmbH or LLC ignored).
    pub name_check: bool,
    /// What was left out and why, one line each.
    pub skipped: Vec<String>,
}

/// Why a website could not be read. Each message is one line and names the URL.
#[derive(Debug, thiserror::Error)]
pub enum ResearchError {
    #[error("{url}: not a website address ({reason})")]
    BadUrl { url: String, reason: String },
    #[error("{url}: only http and https websites are read, not {scheme}")]
    NotHttp { url: String, scheme: String },
    #[error("{url}: redirects to {to}, which is not http or https; refused")]
    RedirectRefused { url: String, to: String },
    #[error("{url}: redirects to another site ({to}); not followed")]
    RedirectOffSite { url: String, to: String },
    #[error("{url}: redirect loop ({chain}); stopped following redirects")]
    RedirectLoop { url: String, chain: String },
    #[error("{url}: too many redirects (more than {max})")]
    TooManyRedirects { url: String, max: u32 },
    #[error("{url}: timed out after {after}")]
    Timeout { url: String, after: String },
    #[error("{url}: page larger than the size cap of {cap}, and nothing usable in the part read")]
    TooLarge { url: String, cap: String },
    #[error("{url}: not HTML ({content_type})")]
    NotHtml { url: String, content_type: String },
    #[error("{url}: HTTP status {status}")]
    Status { url: String, status: String },
    #[error("{url}: connection refused")]
    ConnectionRefused { url: String },
    #[error("{url}: host not found")]
    HostNotFound { url: String },
    #[error("{url}: {message}")]
    Network { url: String, message: String },
}

impl ResearchError {
    fn timeout(url: &Url, after: Duration) -> Self {
        let after = if after.subsec_millis() == 0 {
            format!("{}s", after.as_secs())
        } else {
            format!("{:.1}s", after.as_secs_f64())
        };
        ResearchError::Timeout {
            url: clean(url.as_str()),
            after,
        }
    }
}

/// One line of untrusted text made safe.
fn clean(s: &str) -> String {
    validate::sanitize(s, false)
}

fn clean_name(s: &str) -> Option<String> {
    let name = clean_line(s);
    let name = crate::display::take_chars(&name, validate::MAX_NAME);
    let name = name.trim().to_string();
    (!name.is_empty()).then_some(name)
}

fn clean_description(s: &str) -> Option<String> {
    let text = clean_line(s);
    if text.is_empty() {
        return None;
    }
    if text.chars().count() <= MAX_DESCRIPTION {
        return Some(text);
    }
    let cut = crate::display::take_chars(&text, MAX_DESCRIPTION - 1);
    let cut = match cut.rfind(' ') {
        Some(i) if cut[i..].chars().count() < 60 => &cut[..i],
        _ => cut,
    };
    Some(format!(
        "{}…",
        cut.trim_end_matches([' ', ',', ';', ':', '.'])
    ))
}

/// Reads the company's website: the home page, then links on the same site (same host, or its
/// www./apex variant, same port) whose URL or text mentions contact, about, team, people,
/// impressum, kontakt, leadership and the like, contact pages first, up to
/// `options.max_pages` pages in total.
///
/// It finds mailto: links, addresses in the text (also "name [at] domain [dot] com"), and
/// schema.org JSON-LD (Person name and email; Organization email, contactPoint and
/// description; ContactPoint). Noise mailboxes ([`is_noise_mailbox`]) and free-mail addresses
/// ([`is_free_mail_domain`]) are reported in `skipped`, never taken. The company's domain is
/// the site's host when an address on it was found, else the most common domain among the
/// addresses found. The address taken is, in order of preference: a JSON-LD Person's on the
/// company domain; a personal-looking one (first.last, first) on the company domain with a
/// name; first.last without a name; a role mailbox (hello@, info@, contact@, sales@); any
/// other on the company domain; one on another domain.
///
/// `website` may lack a scheme (`acme.com` means `https://acme.com`). Only http and https are
/// fetched, and a redirect to another scheme is refused. The home page failing is an error;
/// a sub-page failing is a line in `skipped`. A page over `max_bytes` is read up to the cap
/// and noted in `skipped`; it is an error only when every page read was cut and nothing was
/// found.
pub fn research(
    website: &str,
    company_name: &str,
    options: &Options,
) -> Result<Finding, ResearchError> {
    let start = parse_website(website)?;
    let fetcher = Fetcher::new(options, is_loopback(&start));
    let home = fetcher.get(&start, None)?;
    let home_url = home.url.clone();
    let mut site = Site::new(&start);
    site.add(&home.url);

    let max_pages = options.max_pages.max(1);
    let mut pages: Vec<Url> = Vec::new();
    let mut data: Vec<PageData> = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    let mut queue: Vec<(u8, usize, Url)> = Vec::new();
    let mut known: HashSet<String> = HashSet::new();
    let mut all_cut = true;
    let mut timed_out = false;
    let mut order = 0usize;
    let mut next = Some(home);
    loop {
        if let Some(page) = next.take() {
            match &page.cut {
                Some(why) => skipped.push(why.clone()),
                None => all_cut = false,
            }
            timed_out |= page.timed_out;
            let page_data = extract::extract(&page.html, &page.url);
            known.insert(page.url.as_str().to_string());
            for (url, text) in &page_data.links {
                if known.contains(url.as_str()) {
                    continue;
                }
                let Some(priority) = link_priority(url, text) else {
                    continue;
                };
                known.insert(url.as_str().to_string());
                if !site.contains(url) {
                    skipped.push(format!(
                        "{}: on another site; not followed",
                        clean(url.as_str())
                    ));
                    continue;
                }
                if looks_like_file(url) {
                    continue;
                }
                order += 1;
                queue.push((priority, order, url.clone()));
            }
            pages.push(page.url);
            data.push(page_data);
        }
        if pages.len() >= max_pages || queue.is_empty() {
            break;
        }
        let best = (0..queue.len())
            .min_by_key(|&i| (queue[i].0, queue[i].1))
            .expect("queue is not empty");
        let (_, _, url) = queue.remove(best);
        match fetcher.get(&url, Some(&site)) {
            Ok(page) => {
                if pages.contains(&page.url) {
                    continue;
                }
                known.insert(page.url.as_str().to_string());
                next = Some(page);
            }
            Err(e) => skipped.push(e.to_string()),
        }
    }
    queue.sort_by_key(|q| (q.0, q.1));
    for (_, _, url) in &queue {
        skipped.push(format!(
            "{}: not read; the limit of {max_pages} pages was reached",
            clean(url.as_str())
        ));
    }

    let found: Vec<Found> = data.iter().flat_map(|d| d.found.iter().cloned()).collect();
    let people: Vec<String> = data.iter().flat_map(|d| d.people.iter().cloned()).collect();
    let hosts: Vec<String> = site.hosts().map(str::to_string).collect();
    let choice = choose(&found, &people, &hosts);
    skipped.extend(choice.skipped);

    let description = data
        .iter()
        .flat_map(|d| d.descriptions.iter())
        .find_map(|d| clean_description(d));
    let text: Vec<&str> = data.iter().map(|d| d.text.as_str()).collect();
    let name_check = mentions_company(&text.join(" "), company_name);

    if all_cut && choice.email.is_none() && choice.name.is_none() && description.is_none() {
        // A page that came too slowly timed out, however little of it there was.
        if timed_out {
            return Err(ResearchError::timeout(&home_url, options.timeout));
        }
        return Err(ResearchError::TooLarge {
            url: clean(home_url.as_str()),
            cap: fetch::human_bytes(options.max_bytes),
        });
    }

    let mut seen = HashSet::new();
    skipped.retain(|line| seen.insert(line.clone()));
    Ok(Finding {
        contact_name: choice.name,
        email: choice.email,
        description,
        pages: pages.iter().map(|u| clean(u.as_str())).collect(),
        name_check,
        skipped: skipped.iter().map(|s| clean(s)).collect(),
    })
}

/// The website to propose for a lead that has an email address and no website:
/// `https://<domain>` (the domain as written after `@`, subdomains kept), or `None` for an
/// invalid address, a free-mail domain (`gmail.com`, `yahoo.co.uk`, `mail.yahoo.co.uk`, ...)
/// or an IP address.
pub fn website_from_email(email: &str) -> Option<String> {
    let email = validate::email("email", email).ok()??;
    let (_, domain) = email.rsplit_once('@')?;
    let domain = domain.trim_end_matches('.');
    if is_free_mail_domain(domain)
        || is_placeholder_domain(domain)
        || domain.parse::<IpAddr>().is_ok()
        || !domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
    {
        return None;
    }
    let url = Url::parse(&format!("https://{domain}")).ok()?;
    url.host_str()?;
    Some(format!("https://{domain}"))
}

fn parse_website(website: &str) -> Result<Url, ResearchError> {
    let w = website.trim();
    let bad = |reason: &str| ResearchError::BadUrl {
        url: if w.is_empty() {
            "(empty)".into()
        } else {
            clean(w)
        },
        reason: reason.into(),
    };
    if w.is_empty() {
        return Err(bad("no website given"));
    }
    if w.chars()
        .any(|c| c.is_whitespace() || validate::is_forbidden(c, false))
    {
        return Err(bad("it contains a space or a control character"));
    }
    let full = if w.contains("://") {
        w.to_string()
    } else if let Some(rest) = w.strip_prefix("//") {
        format!("https://{rest}")
    } else {
        let host_part = w.split(['/', '?', '#']).next().unwrap_or("");
        if host_part.contains('@') || w.to_ascii_lowercase().starts_with("mailto:") {
            return Err(bad("it looks like an email address"));
        }
        format!("https://{w}")
    };
    let mut url = Url::parse(&full).map_err(|e| bad(&e.to_string()))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(ResearchError::NotHttp {
            url: clean(w),
            scheme: clean(url.scheme()),
        });
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("no host name"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("it has a user name or password in it"));
    }
    url.set_fragment(None);
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Which links are worth reading, and in what order: 0 contact pages and imprints, 1 team
/// pages, 2 about pages; `None` for anything else.
fn link_priority(url: &Url, text: &str) -> Option<u8> {
    const GROUPS: [&[&str]; 3] = [
        &[
            "contact",
            "kontakt",
            "contacto",
            "contato",
            "contatti",
            "impressum",
            "imprint",
            "get-in-touch",
            "getintouch",
            "get in touch",
        ],
        &[
            "team",
            "people",
            "leadership",
            "management",
            "staff",
            "founders",
            "our-people",
        ],
        &[
            "about",
            "ueber-uns",
            "uber-uns",
            "über-uns",
            "über uns",
            "who-we-are",
            "who we are",
            "a-propos",
            "qui-sommes",
        ],
    ];
    let mut path = url.path().to_lowercase();
    if let Some(q) = url.query() {
        path.push('?');
        path.push_str(&q.to_lowercase());
    }
    let text = text.to_lowercase();
    GROUPS
        .iter()
        .position(|words| words.iter().any(|w| path.contains(w) || text.contains(w)))
        .map(|p| p as u8)
}

fn looks_like_file(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    let ext = path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .rsplit_once('.')
        .map(|(_, e)| e);
    matches!(
        ext,
        Some(
            "pdf"
                | "jpg"
                | "jpeg"
                | "png"
                | "gif"
                | "svg"
                | "webp"
                | "zip"
                | "gz"
                | "doc"
                | "docx"
                | "xls"
                | "xlsx"
                | "ppt"
                | "pptx"
                | "mp4"
                | "mp3"
                | "mov"
                | "vcf"
                | "ics"
                | "css"
                | "js"
                | "json"
                | "xml"
                | "txt"
                | "csv"
        )
    )
}

// ---- choosing the address ----

#[derive(Debug)]
struct Candidate {
    email: String,
    local: String,
    domain: String,
    name: Option<String>,
    source: Source,
}

#[derive(Debug, Default)]
struct Choice {
    email: Option<String>,
    name: Option<String>,
    skipped: Vec<String>,
}

fn matches_host(domain: &str, host: &str) -> bool {
    if host.parse::<IpAddr>().is_ok() || domain.parse::<IpAddr>().is_ok() {
        return domain == host;
    }
    domain == host || domain.ends_with(&format!(".{host}")) || host.ends_with(&format!(".{domain}"))
}

/// Picks the address (and name) from everything found, in page order. `hosts` are the site's
/// hosts without `www.`; `people` are JSON-LD Person names given without an address.
fn choose(found: &[Found], people: &[String], hosts: &[String]) -> Choice {
    let mut choice = Choice::default();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut noise_domains: Vec<String> = Vec::new();
    for f in found {
        let Ok(Some(email)) = validate::email("email", &f.email) else {
            continue;
        };
        let Some((local, domain)) = email.rsplit_once('@') else {
            continue;
        };
        let (local, domain) = (local.to_string(), domain.to_string());
        if is_file_like_domain(&domain) || is_placeholder_domain(&domain) {
            continue;
        }
        if let Some(c) = candidates
            .iter_mut()
            .find(|c| c.email.eq_ignore_ascii_case(&email))
        {
            if c.name.is_none() {
                c.name = f.name.clone();
            }
            c.source = c.source.min(f.source);
            continue;
        }
        let line_noise = format!("{email}: a noise mailbox");
        let line_free = format!("{email}: free-mail address, not the company's domain");
        if is_noise_mailbox(&local) {
            if !is_free_mail_domain(&domain) {
                noise_domains.push(domain.to_lowercase());
            }
            if !choice.skipped.contains(&line_noise) {
                choice.skipped.push(line_noise);
            }
            continue;
        }
        if is_free_mail_domain(&domain) {
            if !choice.skipped.contains(&line_free) {
                choice.skipped.push(line_free);
            }
            continue;
        }
        candidates.push(Candidate {
            email,
            local,
            domain: domain.to_lowercase(),
            name: f.name.clone(),
            source: f.source,
        });
    }

    // The company's domain: the site's host when an address on it was found, else the most
    // common domain among the addresses (noise mailboxes count as evidence).
    let all_domains: Vec<&str> = candidates
        .iter()
        .map(|c| c.domain.as_str())
        .chain(noise_domains.iter().map(String::as_str))
        .collect();
    let host_mode = all_domains
        .iter()
        .any(|d| hosts.iter().any(|h| matches_host(d, h)));
    let common = if host_mode {
        None
    } else {
        let mut best: Option<(&str, usize)> = None;
        for d in &all_domains {
            let n = all_domains.iter().filter(|x| *x == d).count();
            if best.is_none_or(|(_, m)| n > m) {
                best = Some((d, n));
            }
        }
        best.map(|(d, _)| d.to_string())
    };
    let on_company = |d: &str| {
        if host_mode {
            hosts.iter().any(|h| matches_host(d, h))
        } else {
            common.as_deref().is_some_and(|c| matches_host(d, c))
        }
    };
    let tier = |c: &Candidate| -> u8 {
        let p = personal(&c.local);
        if on_company(&c.domain) {
            if c.source == Source::JsonLdPerson {
                1
            } else if c.name.is_some() && p != Personal::No {
                2
            } else if p == Personal::Two {
                3
            } else if is_role_mailbox(&c.local) {
                4
            } else {
                5
            }
        } else if c.source == Source::JsonLdPerson || c.name.is_some() {
            6
        } else {
            7
        }
    };
    let best = (0..candidates.len()).min_by_key(|&i| (tier(&candidates[i]), i));
    if let Some(i) = best {
        let chosen = &candidates[i];
        choice.email = Some(clean(&chosen.email));
        choice.name = chosen.name.as_deref().and_then(clean_name);
        for (j, other) in candidates.iter().enumerate() {
            if j != i {
                choice.skipped.push(format!(
                    "{}: also found; {} was preferred",
                    other.email, chosen.email
                ));
            }
        }
    }
    if choice.name.is_none() {
        choice.name = people.iter().find_map(|p| clean_name(p));
    }
    choice
}

// ---- the name check ----

const LEGAL_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "llp",
    "lp",
    "plc",
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "ug",
    "ohg",
    "gbr",
    "ev",
    "eg",
    "co",
    "corp",
    "corporation",
    "company",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "sl",
    "bv",
    "nv",
    "oy",
    "oyj",
    "ab",
    "as",
    "asa",
    "aps",
    "pty",
    "pte",
    "kk",
    "se",
    "and",
    "the",
];

/// Lower-case words, with `&` read as "and"; `dots` says whether a dot splits words.
fn words(s: &str, dots_split: bool) -> Vec<String> {
    let s = s.to_lowercase().replace('&', " and ");
    let s: String = if dots_split { s } else { s.replace('.', "") };
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn company_words(name: &str, dots_split: bool) -> Vec<String> {
    let all = words(name, dots_split);
    let mut w = all.clone();
    while w
        .last()
        .is_some_and(|x| LEGAL_SUFFIXES.contains(&x.as_str()))
    {
        w.pop();
    }
    while w.first().is_some_and(|x| x == "the") {
        w.remove(0);
    }
    if w.is_empty() {
        all
    } else {
        w
    }
}

/// True when `text` mentions the company: its words in a row (legal suffixes dropped), or
/// written as one word ("AcmeRobotics").
fn mentions_company(text: &str, company_name: &str) -> bool {
    let hay = format!(" {} ", words(text, true).join(" "));
    [false, true].iter().any(|&dots| {
        let needle = company_words(company_name, dots);
        if needle.is_empty() {
            return false;
        }
        hay.contains(&format!(" {} ", needle.join(" ")))
            || (needle.len() > 1 && hay.contains(&format!(" {} ", needle.concat())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(email: &str, name: Option<&str>, source: Source) -> Found {
        Found {
            email: email.into(),
            name: name.map(str::to_string),
            source,
        }
    }

    #[test]
    fn the_site_host_is_the_company_domain_when_an_address_is_on_it() {
        let hosts = vec!["acme.com".to_string()];
        let f = vec![
            found("bob.smith@partner.io", Some("Bob Smith"), Source::Mailto),
            found("carol@partner.io", None, Source::Text),
            found("hello@acme.com", None, Source::Mailto),
            found("jobs@acme.com", None, Source::Mailto),
        ];
        let c = choose(&f, &[], &hosts);
        assert_eq!(c.email.as_deref(), Some("hello@acme.com"));
        assert_eq!(c.name, None);
        assert!(c
            .skipped
            .contains(&"jobs@acme.com: a noise mailbox".to_string()));
    }

    #[test]
    fn otherwise_the_most_common_domain_is() {
        let hosts = vec!["acme.com".to_string()];
        let f = vec![
            found("bob.smith@partner.io", Some("Bob Smith"), Source::Mailto),
            found("hello@acme-robotics.eu", None, Source::Text),
            found(
                "ada.lovelace@acme-robotics.eu",
                Some("Ada Lovelace"),
                Source::Mailto,
            ),
            found("press@acme-robotics.eu", None, Source::Mailto),
        ];
        let c = choose(&f, &[], &hosts);
        assert_eq!(c.email.as_deref(), Some("ada.lovelace@acme-robotics.eu"));
        assert_eq!(c.name.as_deref(), Some("Ada Lovelace"));
    }

    #[test]
    fn preferences_in_order() {
        let hosts = vec!["acme.com".to_string()];
        let mut f = vec![
            found("someone@other.org", Some("Some One"), Source::Mailto),
            found("ops7@acme.com", None, Source::Text),
            found("info@acme.com", None, Source::Text),
            found("ada.lovelace@acme.com", None, Source::Text),
            found("bob@acme.com", Some("Bob Smith"), Source::Mailto),
            found("grace@acme.com", Some("Grace Hopper"), Source::JsonLdPerson),
        ];
        let expect = [
            "grace@acme.com",
            "bob@acme.com",
            "ada.lovelace@acme.com",
            "info@acme.com",
            "ops7@acme.com",
            "someone@other.org",
        ];
        for e in expect {
            assert_eq!(choose(&f, &[], &hosts).email.as_deref(), Some(e));
            f.retain(|x| x.email != e);
        }
        assert_eq!(choose(&f, &[], &hosts).email, None);
    }

    #[test]
    fn free_mail_and_noise_are_never_taken() {
        let hosts = vec!["acme.com".to_string()];
        let f = vec![
            found("ada@gmail.com", Some("Ada Lovelace"), Source::JsonLdPerson),
            found("noreply@acme.com", None, Source::Text),
            found("logo@2x.png", None, Source::Text),
        ];
        let c = choose(&f, &["Grace Hopper".to_string()], &hosts);
        assert_eq!(c.email, None);
        assert_eq!(c.name.as_deref(), Some("Grace Hopper"));
        assert_eq!(
            c.skipped,
            vec![
                "ada@gmail.com: free-mail address, not the company's domain",
                "noreply@acme.com: a noise mailbox"
            ]
        );
    }

    #[test]
    fn company_name_check() {
        assert!(mentions_company(
            "Welcome to ACME Robotics!",
            "Acme Robotics GmbH"
        ));
        assert!(mentions_company(
            "acme-robotics builds arms",
            "Acme Robotics, Inc."
        ));
        assert!(mentions_company("AcmeRobotics", "Acme Robotics LLC"));
        assert!(mentions_company("Smith and Sons", "Smith & Sons Ltd"));
        assert!(mentions_company("Book at Booking.com", "Booking.com"));
        assert!(!mentions_company("Welcome to Globex", "Acme Robotics GmbH"));
        assert!(!mentions_company("Acmes Robotics", "Acme"));
        assert!(!mentions_company("anything", ""));
    }

    #[test]
    fn websites_from_emails() {
        assert_eq!(
            website_from_email("ada@acme.com").as_deref(),
            Some("https://acme.com")
        );
        assert_eq!(website_from_email("x@gmail.com"), None);
        assert_eq!(website_from_email("nope"), None);
    }

    #[test]
    fn website_parsing() {
        assert_eq!(
            parse_website("acme.com").unwrap().as_str(),
            "https://acme.com/"
        );
        assert_eq!(
            parse_website("http://acme.com/about#x").unwrap().as_str(),
            "http://acme.com/about"
        );
        assert!(matches!(
            parse_website("ftp://acme.com"),
            Err(ResearchError::NotHttp { .. })
        ));
        assert!(parse_website("").is_err());
        assert!(parse_website("mailto:ada@acme.com").is_err());
        assert!(parse_website("ada@acme.com").is_err());
        assert!(parse_website("https://user:pw@acme.com").is_err());
    }

    #[test]
    fn descriptions_are_capped() {
        let long = "word ".repeat(200);
        let d = clean_description(&long).unwrap();
        assert!(
            d.chars().count() <= MAX_DESCRIPTION,
            "{}",
            d.chars().count()
        );
        assert!(d.ends_with('…'));
        assert_eq!(
            clean_description("  a\n  b\u{1b}c ").as_deref(),
            Some("a bc")
        );
    }
}
