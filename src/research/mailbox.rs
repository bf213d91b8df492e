//! What an address says about itself: noise mailboxes, free-mail providers, role mailboxes and
//! local parts that look like a person's.

pub use crate::domain::likeness::is_free_mail as is_free_mail_domain;
pub use crate::domain::mailbox::is_noise_mailbox;

/// Mailboxes that reach the company rather than a person: hello@, info@, contact@, sales@, ...
const ROLE: &[&str] = &[
    "hello",
    "hi",
    "hey",
    "info",
    "information",
    "contact",
    "contacts",
    "contactus",
    "kontakt",
    "sales",
    "office",
    "team",
    "mail",
    "email",
    "enquiries",
    "enquiry",
    "inquiries",
    "inquiry",
    "general",
    "business",
    "partners",
    "partnerships",
    "support",
    "help",
    "service",
    "services",
    "admin",
    "welcome",
    "bonjour",
    "hallo",
    "buero",
    "studio",
];

/// True for a role mailbox such as hello@, info@, contact@ or sales@.
pub fn is_role_mailbox(local_part: &str) -> bool {
    let local = local_part.to_lowercase();
    let local = local.split('+').next().unwrap_or("");
    let joined: String = local
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | '.'))
        .collect();
    ROLE.contains(&joined.as_str())
}

/// How personal a local part looks: `Two` for first.last (two or three alphabetic parts),
/// `One` for a single alphabetic word that is no role, `No` otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Personal {
    No,
    One,
    Two,
}

pub fn personal(local_part: &str) -> Personal {
    if is_role_mailbox(local_part) || is_noise_mailbox(local_part) {
        return Personal::No;
    }
    let parts: Vec<&str> = local_part.split(['.', '_', '-']).collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.chars().all(char::is_alphabetic))
    {
        return Personal::No;
    }
    match parts.len() {
        1 if local_part.chars().count() >= 2 => Personal::One,
        2 | 3 => Personal::Two,
        _ => Personal::No,
    }
}

/// Addresses that appear on sites without belonging to anyone: examples, placeholders and
/// error-tracking keys.
pub fn is_placeholder_domain(domain: &str) -> bool {
    let d = domain.to_lowercase();
    let first = d.split('.').next().unwrap_or("");
    matches!(
        first,
        "example" | "domain" | "yourdomain" | "yourcompany" | "company" | "email" | "test"
    ) && d.matches('.').count() == 1
        || d == "sentry.io"
        || d.ends_with(".sentry.io")
        || d.ends_with("wixpress.com")
        || d.ends_with(".ingest.sentry.io")
}

/// Domain endings that show an "address" is really a file name such as `logo@2x.png`.
pub fn is_file_like_domain(domain: &str) -> bool {
    let last = domain.rsplit('.').next().unwrap_or("").to_lowercase();
    matches!(
        last.as_str(),
        "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp" | "avif" | "ico" | "css" | "js" | "bmp"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_mail() {
        for d in [
            "gmail.com",
            "GMAIL.COM",
            "googlemail.com",
            "yahoo.com",
            "yahoo.co.uk",
            "mail.yahoo.co.uk",
            "ymail.com",
            "outlook.com",
            "hotmail.fr",
            "live.com",
            "msn.com",
            "aol.com",
            "icloud.com",
            "me.com",
            "mac.com",
            "proton.me",
            "protonmail.com",
            "gmx.net",
            "gmx.de",
            "web.de",
            "mail.ru",
            "yandex.ru",
            "qq.com",
            "163.com",
            "zoho.com",
            "yahoo.com.br",
        ] {
            assert!(is_free_mail_domain(d), "{d}");
        }
        for d in [
            "acme.com",
            "acme-robotics.test",
            "live.acme.com",
            "gmailer.com",
            "mailchimp.com",
            "me.acme.com",
            "mymail.com",
            "127.0.0.1",
        ] {
            assert!(!is_free_mail_domain(d), "{d}");
        }
    }

    #[test]
    fn personal_local_parts() {
        assert_eq!(personal("ada.lovelace"), Personal::Two);
        assert_eq!(personal("ada_lovelace"), Personal::Two);
        assert_eq!(personal("ada"), Personal::One);
        assert_eq!(personal("hello"), Personal::No);
        assert_eq!(personal("jobs"), Personal::No);
        assert_eq!(personal("ops42"), Personal::No);
    }
}
