//! What an address says about who reads it: mailboxes no person reads (no-reply@,
//! mailer-daemon@, jobs@, press@, ...), a mailing list's own addresses and the servers that host
//! lists. One list, used by research (which never proposes such an address) and by mail
//! logging (which never adds one as a person).

/// Mailboxes nobody should be written to about a sale, and those no person reads at all:
/// hiring, press, legal, billing, and the robots of mail (daemons, list servers, bounces,
/// notifications, auto-responders).
const NOISE: &[&str] = &[
    "jobs",
    "job",
    "careers",
    "career",
    "recruiting",
    "recruitment",
    "recruiter",
    "talent",
    "hiring",
    "hr",
    "karriere",
    "bewerbung",
    "noreply",
    "donotreply",
    "dontreply",
    "press",
    "presse",
    "media",
    "pr",
    "newsletter",
    "newsletters",
    "marketing",
    "abuse",
    "postmaster",
    "hostmaster",
    "webmaster",
    "privacy",
    "datenschutz",
    "dataprotection",
    "dpo",
    "gdpr",
    "legal",
    "billing",
    "invoice",
    "invoices",
    "accounting",
    "unsubscribe",
    "bounce",
    "bounces",
    "mailerdaemon",
    "maildaemon",
    "daemon",
    "mailer",
    "notifications",
    "notification",
    "notify",
    "alerts",
    "autoreply",
    "autoresponder",
    "automailer",
    "listserv",
    "listserver",
    "listproc",
    "majordomo",
    "mailman",
    "sympa",
    "ezmlm",
    "lyris",
    "nobody",
    "root",
];

/// The last word of a mailing list's machinery addresses: `dev-request@`, `dev-owner@`,
/// `dev-bounces@`, ... (Mailman, Majordomo, ezmlm, Sympa, vger).
const LIST_MACHINERY: &[&str] = &[
    "request",
    "owner",
    "bounces",
    "bounce",
    "subscribe",
    "unsubscribe",
    "join",
    "leave",
    "confirm",
];

/// Servers where every address is a mailing list.
const LIST_SERVICES: &[&str] = &[
    "googlegroups.com",
    "groups.io",
    "yahoogroups.com",
    "freelists.org",
    "simplelists.com",
    "vger.kernel.org",
];

/// The first label of a host name that list servers go by (`lists.example.org`).
const LIST_HOST_LABELS: &[&str] = &["lists", "list", "listserv", "mailman", "ml"];

/// The local part lower-cased, without a `+tag` (`bounces+ann=example.com` is `bounces`).
fn untagged(local_part: &str) -> String {
    let local = local_part.trim().to_lowercase();
    local.split('+').next().unwrap_or("").to_string()
}

/// True for a mailing list's machinery: `dev-request@`, `dev-bounces@`, `owner-dev@`, ...
pub fn is_list_machinery(local_part: &str) -> bool {
    let local = untagged(local_part);
    let mut words = local.split(['-', '_', '.']);
    let first = words.next().unwrap_or("");
    let last = local.rsplit(['-', '_', '.']).next().unwrap_or("");
    local.contains(['-', '_', '.'])
        && (LIST_MACHINERY.contains(&last) || (first == "owner" && words.next().is_some()))
}

/// True for a local part (the text before `@`) that belongs to a mailbox kith never proposes
/// nor adds as a person: jobs@, careers@, hr@, no-reply@, press@, privacy@, billing@,
/// mailer-daemon@, a list's -request@ ... Case, a `+tag` and the separators `-`, `_` and `.`
/// do not matter (`No-Reply+x` is `noreply`), and neither does a suffix after the first
/// separator (`jobs.eu`, `press-office`).
pub fn is_noise_mailbox(local_part: &str) -> bool {
    let local = untagged(local_part);
    if local.is_empty() {
        return false;
    }
    let joined: String = local
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | '.'))
        .collect();
    if NOISE.contains(&joined.as_str()) || is_list_machinery(&local) {
        return true;
    }
    let first = local.split(['-', '_', '.']).next().unwrap_or("");
    NOISE.contains(&first) || joined.starts_with("noreply") || joined.starts_with("donotreply")
}

/// True for a host where every address is a mailing list: `lists.example.org`, Google
/// Groups, groups.io, vger.kernel.org, ...
pub fn is_list_host(domain: &str) -> bool {
    let domain = domain.trim().trim_end_matches('.').to_lowercase();
    let first = domain.split('.').next().unwrap_or("");
    (domain.contains('.') && LIST_HOST_LABELS.contains(&first))
        || LIST_SERVICES
            .iter()
            .any(|s| domain == *s || domain.ends_with(&format!(".{s}")))
}

/// True when `address` is the list a `List-Id` names: RFC 2919 ids are the list's address
/// with its `@` made a dot (`<dev.lists.example.org>` for `dev@lists.example.org`).
pub fn is_address_of_list_id(address: &str, list_id: &str) -> bool {
    let id = list_id.trim().trim_matches(['<', '>']);
    !id.is_empty() && address.replacen('@', ".", 1).eq_ignore_ascii_case(id)
}

/// Why an address is nobody's own, if it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAPerson {
    /// A mailbox no person reads, or one nobody should be written to about a sale.
    Robot,
    /// A mailing list or its machinery.
    List,
}

impl NotAPerson {
    pub fn describe(self) -> &'static str {
        match self {
            NotAPerson::Robot => "an automatic mailbox",
            NotAPerson::List => "a mailing list",
        }
    }
}

/// What `address` says about whoever reads it, by itself: `None` when it may be a person's.
pub fn not_a_person(address: &str) -> Option<NotAPerson> {
    let (local, domain) = address.rsplit_once('@')?;
    if is_list_machinery(local) || is_list_host(domain) {
        Some(NotAPerson::List)
    } else if is_noise_mailbox(local) {
        Some(NotAPerson::Robot)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise() {
        for n in [
            "jobs",
            "Careers",
            "no-reply",
            "noreply",
            "do-not-reply",
            "donotreply",
            "press",
            "pr",
            "hr",
            "mailer-daemon",
            "MAILER-DAEMON",
            "bounce+123",
            "jobs.eu",
            "press-office",
            "No_Reply",
            "newsletter",
            "privacy",
            "legal",
            "billing",
            "invoices",
            "unsubscribe",
            "postmaster",
            "listserv",
            "majordomo",
            "notmuch-request",
            "linux-kernel-owner",
            "owner-linux-mm",
            "alsa-devel-bounces",
            "dev-bounces+ann=example.com",
            "root",
            "nobody",
        ] {
            assert!(is_noise_mailbox(n), "{n}");
        }
        for n in [
            "ada",
            "ada.lovelace",
            "hello",
            "info",
            "sales",
            "prakash",
            "hrishikesh",
            "owner",
            "request",
            "help",
            "rootbeer",
            "notmuch",
            "linux-kernel",
        ] {
            assert!(!is_noise_mailbox(n), "{n}");
        }
    }

    #[test]
    fn list_hosts_and_ids() {
        for d in [
            "lists.archlinux.org",
            "LISTS.sourceforge.net",
            "vger.kernel.org",
            "googlegroups.com",
            "groups.io",
            "ml.example.jp",
        ] {
            assert!(is_list_host(d), "{d}");
        }
        for d in [
            "lists",
            "archlinux.org",
            "kernel.org",
            "mylists.com",
            "example.com",
        ] {
            assert!(!is_list_host(d), "{d}");
        }
        assert!(is_address_of_list_id(
            "aur-general@lists.archlinux.org",
            "aur-general.lists.archlinux.org"
        ));
        assert!(is_address_of_list_id(
            "Notmuch@NotmuchMail.org",
            "<notmuch.notmuchmail.org>"
        ));
        assert!(!is_address_of_list_id(
            "ann@notmuchmail.org",
            "notmuch.notmuchmail.org"
        ));
        assert!(!is_address_of_list_id("ann@x.org", ""));
    }

    #[test]
    fn who_reads_an_address() {
        assert_eq!(not_a_person("ada@example.com"), None);
        assert_eq!(not_a_person("noreply@github.com"), Some(NotAPerson::Robot));
        assert_eq!(
            not_a_person("aur-general@lists.archlinux.org"),
            Some(NotAPerson::List)
        );
        assert_eq!(
            not_a_person("notmuch-request@notmuchmail.org"),
            Some(NotAPerson::List)
        );
        assert_eq!(not_a_person("no address"), None);
    }
}
