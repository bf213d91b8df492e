//! What makes two records look like the same person or company: keys that two duplicates share
//! however each was typed. Finding duplicates groups records by these keys, so no pair of
//! records is ever compared one by one.

use unicode_normalization::UnicodeNormalization;

/// Letters NFKD does not take apart: written as their usual ASCII spelling.
fn unaccented(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        _ => return None,
    })
}

/// Lower case, accents set aside, every run of anything but letters and digits one space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.nfkd().flat_map(char::to_lowercase) {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            match unaccented(c) {
                Some(s) => out.push_str(s),
                None => out.push(c),
            }
        } else {
            gap = true;
        }
    }
    out
}

/// A person's name with case, accents, punctuation and word order set aside: "Müller, Jürgen"
/// and "jurgen muller" have the same key. None for a name with no letters or digits.
pub fn person_name_key(name: &str) -> Option<String> {
    let folded = fold(name);
    let mut words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return None;
    }
    words.sort_unstable();
    Some(words.join(" "))
}

/// Words that say what legal form a company has, not which company it is.
const LEGAL_FORMS: &[&str] = &[
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "llc",
    "llp",
    "lp",
    "ltd",
    "limited",
    "plc",
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "ohg",
    "ug",
    "ev",
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
    "sp",
    "zoo",
    "sro",
    "kft",
    "the",
];

/// A company's name with case, accents, punctuation and legal form set aside: "ACME, Inc." and
/// "Acme Inc" have the key "acme". A name that is nothing but legal-form words keeps them.
pub fn company_name_key(name: &str) -> Option<String> {
    let folded = fold(name);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return None;
    }
    let kept: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !LEGAL_FORMS.contains(w))
        .collect();
    Some(if kept.is_empty() { words } else { kept }.join(" "))
}

/// The domain of an email address, in lower case: "Grace@Navy.MIL" is "navy.mil".
pub fn email_domain(address: &str) -> Option<String> {
    let (_, domain) = address.trim().rsplit_once('@')?;
    let domain = domain.trim_end_matches('.').to_lowercase();
    (domain.contains('.') && !domain.starts_with('.')).then_some(domain)
}

/// The host a website is on, without `www.`: "https://WWW.acme.com/about" is "acme.com".
pub fn website_host(website: &str) -> Option<String> {
    let w = website.trim();
    let rest = w.split_once("://").map_or(w, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?.trim_end_matches('.').to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    (host.contains('.') && !host.starts_with('.')).then(|| host.to_string())
}

/// Free-mail brands, whatever their country domain: `yahoo.co.uk`, `hotmail.fr`, `gmx.net`.
const FREE_BRANDS: &[&str] = &[
    "gmail",
    "googlemail",
    "yahoo",
    "ymail",
    "rocketmail",
    "outlook",
    "hotmail",
    "live",
    "msn",
    "aol",
    "icloud",
    "protonmail",
    "gmx",
    "yandex",
    "zoho",
    "zohomail",
    "mail",
    "tutanota",
    "hushmail",
    "rediffmail",
    "fastmail",
];

/// Free-mail domains matched as they are (and their subdomains).
const FREE_DOMAINS: &[&str] = &[
    "me.com",
    "mac.com",
    "proton.me",
    "pm.me",
    "tuta.io",
    "tuta.com",
    "web.de",
    "t-online.de",
    "freenet.de",
    "posteo.de",
    "posteo.net",
    "mailbox.org",
    "qq.com",
    "163.com",
    "126.com",
    "139.com",
    "yeah.net",
    "sina.com",
    "sina.cn",
    "sohu.com",
    "aliyun.com",
    "naver.com",
    "hanmail.net",
    "daum.net",
    "ya.ru",
    "inbox.ru",
    "bk.ru",
    "list.ru",
    "rambler.ru",
    "ukr.net",
    "seznam.cz",
    "wp.pl",
    "o2.pl",
    "interia.pl",
    "libero.it",
    "virgilio.it",
    "tiscali.it",
    "laposte.net",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "sfr.fr",
    "bluewin.ch",
    "email.com",
    "usa.com",
    "hey.com",
    "duck.com",
    "comcast.net",
    "verizon.net",
    "att.net",
    "sbcglobal.net",
    "bellsouth.net",
    "cox.net",
    "charter.net",
    "earthlink.net",
    "juno.com",
    "btinternet.com",
    "sky.com",
    "virginmedia.com",
    "bigpond.com",
    "shaw.ca",
    "rogers.com",
    "uol.com.br",
    "bol.com.br",
    "terra.com.br",
];

/// Second-level labels under which country domains sell names: `co.uk`, `com.br`, `ne.jp`.
const SECOND_LEVEL: &[&str] = &["co", "com", "net", "org", "ne", "or"];

/// True for a free-mail provider's domain (or a subdomain of one): gmail.com, yahoo.co.uk,
/// outlook.com, hotmail.fr, icloud.com, me.com, proton.me, gmx.net, web.de, mail.ru, qq.com,
/// 163.com, ... Such a domain is never the company's.
pub fn is_free_mail(domain: &str) -> bool {
    let domain = domain.trim().trim_end_matches('.').to_lowercase();
    if domain.is_empty() {
        return false;
    }
    if FREE_DOMAINS
        .iter()
        .any(|d| domain == *d || domain.ends_with(&format!(".{d}")))
    {
        return true;
    }
    // brand.tld or brand.co.tld, possibly under subdomains (mail.yahoo.co.uk).
    let labels: Vec<&str> = domain.split('.').collect();
    labels.iter().enumerate().any(|(i, label)| {
        if !FREE_BRANDS.contains(label) {
            return false;
        }
        let rest = &labels[i + 1..];
        let tld_like =
            |l: &str| (2..=6).contains(&l.len()) && l.chars().all(|c| c.is_ascii_alphabetic());
        match rest {
            [tld] => tld_like(tld),
            [second, tld] => SECOND_LEVEL.contains(second) && tld.len() <= 3 && tld_like(tld),
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_whatever_their_case_accents_punctuation_and_order() {
        let key = person_name_key("Müller, Jürgen");
        assert_eq!(key.as_deref(), Some("jurgen muller"));
        assert_eq!(person_name_key("jurgen muller"), key);
        assert_eq!(person_name_key("JÜRGEN   MÜLLER"), key);
        assert_eq!(person_name_key("Jürgen Müller"), key);
        assert_ne!(person_name_key("Jürgen Müllers"), key);
        assert_eq!(
            person_name_key("Straße, Łukasz").as_deref(),
            Some("lukasz strasse")
        );
        assert_eq!(person_name_key(" -- "), None);
    }

    #[test]
    fn company_names_match_without_their_legal_form() {
        let key = company_name_key("ACME, Inc.");
        assert_eq!(key.as_deref(), Some("acme"));
        assert_eq!(company_name_key("Acme Inc"), key);
        assert_eq!(company_name_key("acme"), key);
        assert_eq!(company_name_key("Acme GmbH & Co. KG"), key);
        assert_ne!(company_name_key("Acme Rockets Inc"), key);
        assert_eq!(
            company_name_key("The Company").as_deref(),
            Some("the company")
        );
    }

    #[test]
    fn domains_and_hosts() {
        assert_eq!(email_domain("Grace@Navy.MIL").as_deref(), Some("navy.mil"));
        assert_eq!(email_domain("nobody"), None);
        assert_eq!(email_domain("a@localhost"), None);
        assert_eq!(
            website_host("https://WWW.acme.com/about?x").as_deref(),
            Some("acme.com")
        );
        assert_eq!(website_host("acme.com").as_deref(), Some("acme.com"));
        assert_eq!(
            website_host("http://user@shop.acme.com:8080/").as_deref(),
            Some("shop.acme.com")
        );
        assert_eq!(website_host("not a site"), None);
        assert!(is_free_mail("GMail.com"));
        assert!(!is_free_mail("navy.mil"));
    }
}
