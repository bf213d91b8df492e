//! Input rules shared by every way data enters kith: the command line, the TUI forms and imports.
//!
//! Typed input is refused with an error naming the field, so the user can fix it; data from
//! outside (imports, websites) goes through [`sanitize`] instead, because refusing a whole
//! address book over one stray control character helps nobody.

use std::fmt;

/// Longest accepted value per kind of field, in characters.
pub const MAX_NAME: usize = 200;
pub const MAX_EMAIL: usize = 254;
pub const MAX_PHONE: usize = 40;
pub const MAX_TITLE: usize = 120;
pub const MAX_URL: usize = 2048;
pub const MAX_SHORT: usize = 200;
pub const MAX_NOTES: usize = 20_000;

/// A value that broke an input rule, with the field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        FieldError {
            field,
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for FieldError {}

/// Characters that reorder text on screen (Trojan Source): they let a name display as something
/// it is not, so they are treated like control characters.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// True for a character that must never reach a terminal from data: C0/C1 controls (ESC among
/// them), DEL and the bidi overrides. `multiline` lets newline and tab through.
pub fn is_forbidden(c: char, multiline: bool) -> bool {
    if multiline && (c == '\n' || c == '\t') {
        return false;
    }
    c.is_control() || is_bidi_control(c)
}

/// Removes what [`is_forbidden`] names; for data from outside. CR LF and lone CR become LF in
/// multi-line text so notes written on any system keep their line breaks.
pub fn sanitize(s: &str, multiline: bool) -> String {
    let normalized;
    let s = if multiline && s.contains('\r') {
        normalized = s.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        s
    };
    // Most text is printable ASCII: copied whole, not char by char.
    if s.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return s.to_string();
    }
    s.chars().filter(|&c| !is_forbidden(c, multiline)).collect()
}

/// Makes any string safe to print on a terminal: forbidden characters are shown as U+FFFD so
/// that their presence stays visible without being obeyed. Line breaks become spaces unless
/// `multiline`.
pub fn terminal_safe(s: &str, multiline: bool) -> String {
    if !s.chars().any(|c| is_forbidden(c, multiline)) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if !is_forbidden(c, multiline) {
                c
            } else if c == '\n' || c == '\t' || c == '\r' {
                ' '
            } else {
                '\u{FFFD}'
            }
        })
        .collect()
}

/// Checks a typed single-line text value: trimmed, no control or bidi characters, at most `max`
/// characters. Empty becomes `None`.
pub fn text(field: &'static str, value: &str, max: usize) -> Result<Option<String>, FieldError> {
    checked(field, value, max, false)
}

/// Like [`text`] for multi-line values (notes): newlines and tabs are kept, CR LF becomes LF.
pub fn multiline(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<Option<String>, FieldError> {
    let value = value.replace("\r\n", "\n");
    checked(field, &value, max, true)
}

fn checked(
    field: &'static str,
    value: &str,
    max: usize,
    multiline: bool,
) -> Result<Option<String>, FieldError> {
    let value = value.trim();
    if let Some(c) = value.chars().find(|&c| is_forbidden(c, multiline)) {
        let what = if c == '\0' {
            "a NUL character".to_string()
        } else if c == '\n' {
            "a line break".to_string()
        } else if is_bidi_control(c) {
            format!("a bidi control character (U+{:04X})", c as u32)
        } else {
            format!("a control character (U+{:04X})", c as u32)
        };
        return Err(FieldError::new(field, format!("contains {what}")));
    }
    let len = value.chars().count();
    if len > max {
        return Err(FieldError::new(
            field,
            format!("is {len} characters long; at most {max} are allowed"),
        ));
    }
    Ok(if value.is_empty() {
        None
    } else {
        Some(value.to_string())
    })
}

/// Checks an email address by a pragmatic rule: one `@`, a local part and a domain, a dot inside
/// the domain, no spaces, RFC 5321 lengths. Stored as typed but with the domain lower-cased.
pub fn email(field: &'static str, value: &str) -> Result<Option<String>, FieldError> {
    let Some(value) = text(field, value, MAX_EMAIL)? else {
        return Ok(None);
    };
    let bad = |why: &str| Err(FieldError::new(field, format!("{value:?} {why}")));
    if value.chars().any(char::is_whitespace) {
        return bad("is not an email address: it contains a space");
    }
    let mut parts = value.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return bad("is not an email address: it needs exactly one @");
    };
    if local.is_empty() || local.len() > 64 {
        return bad("is not an email address: the part before @ must be 1 to 64 characters");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return bad("is not an email address: misplaced dot before @");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty() || l.len() > 63) {
        return bad("is not an email address: the domain needs a dot, like example.com");
    }
    if domain.chars().any(|c| {
        matches!(
            c,
            '(' | ')' | '<' | '>' | ',' | ';' | ':' | '\\' | '"' | '[' | ']'
        )
    }) {
        return bad("is not an email address: the domain has a character not allowed there");
    }
    Ok(Some(format!("{local}@{}", domain.to_lowercase())))
}

/// Checks a phone number: kept as typed (digits, spaces and the usual punctuation), and returns
/// its E.164 form alongside when it parses as a valid number. Numbers without a `+` are read in
/// `default_region` (an ISO country code such as "US"), when one is configured.
pub fn phone(
    field: &'static str,
    value: &str,
    default_region: Option<&str>,
) -> Result<Option<(String, Option<String>)>, FieldError> {
    let Some(value) = text(field, value, MAX_PHONE)? else {
        return Ok(None);
    };
    let allowed = |c: char| {
        c.is_ascii_digit()
            || matches!(
                c,
                '+' | ' ' | '-' | '.' | '(' | ')' | '/' | '#' | '*' | ',' | ';'
            )
            || c.is_ascii_alphabetic()
    };
    if let Some(c) = value.chars().find(|&c| !allowed(c)) {
        return Err(FieldError::new(
            field,
            format!("{value:?} is not a phone number: {c:?} is not allowed"),
        ));
    }
    let digits = value.chars().filter(char::is_ascii_digit).count();
    if digits < 3 {
        return Err(FieldError::new(
            field,
            format!("{value:?} is not a phone number: it has fewer than 3 digits"),
        ));
    }
    Ok(Some((value.clone(), e164(&value, default_region))))
}

/// A phone number as typed: any text a person or an export put there ("pager", "ext. 12"),
/// within the text rules. Whether it is a number shows in its E.164 form, or its lack of one.
pub fn phone_text(field: &'static str, value: &str) -> Result<Option<String>, FieldError> {
    text(field, value, MAX_PHONE)
}

/// A date as vCard writes a birthday: `YYYY-MM-DD`, `YYYYMMDD`, or without a year `--MM-DD` /
/// `--MMDD`; kept as `YYYY-MM-DD` or `--MM-DD`.
pub fn date(field: &'static str, value: &str) -> Result<Option<String>, FieldError> {
    let Some(v) = text(field, value, 40)? else {
        return Ok(None);
    };
    let bad = || {
        FieldError::new(
            field,
            format!("{v:?} is not a date (YYYY-MM-DD or --MM-DD)"),
        )
    };
    // A time or zone after the date (`1985-04-12T00:00:00Z`) says nothing more of the day.
    let day = v.split('T').next().unwrap_or(&v);
    let (year, rest) = match day.strip_prefix("--") {
        Some(rest) => (None, rest.to_string()),
        None => {
            let digits: String = day.chars().filter(|c| *c != '-').collect();
            // Digits first: the slices below cut at byte 4, inside any wider character.
            if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            (Some(digits[..4].to_string()), digits[4..].to_string())
        }
    };
    let md: String = rest.chars().filter(|c| *c != '-').collect();
    if md.len() != 4 || !md.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let (m, d): (u32, u32) = (
        md[..2].parse().map_err(|_| bad())?,
        md[2..].parse().map_err(|_| bad())?,
    );
    let y: i32 = match &year {
        Some(y) => y.parse().map_err(|_| bad())?,
        None => 2000, // a leap year: 29 February is a birthday too
    };
    if chrono::NaiveDate::from_ymd_opt(y, m, d).is_none() {
        return Err(bad());
    }
    Ok(Some(match year {
        Some(y) => format!("{y}-{m:02}-{d:02}"),
        None => format!("--{m:02}-{d:02}"),
    }))
}

/// The E.164 form of a number, when it parses.
pub fn e164(value: &str, default_region: Option<&str>) -> Option<String> {
    use phonenumber::country::Id;
    let region: Option<Id> = default_region
        .filter(|r| !r.is_empty())
        .and_then(|r| r.to_uppercase().parse().ok())
        .or_else(|| region_of_international(value));
    // "Where it parses": full validation (is_valid) compiles a regex per country and number
    // type, milliseconds a number, which an import of 100,000 mixed numbers cannot afford.
    let number = phonenumber::parse(region, value).ok()?;
    Some(number.format().mode(phonenumber::Mode::E164).to_string())
}

/// For a number written with its country code (`+1 555 …`), the main region of that code when
/// no region sharing the code would strip a national prefix from it. Without a region the parser
/// tries each region's number patterns in turn to pick the prefix rules (+1 has 25 regions):
/// when no rule applies, which region is picked cannot change the answer, and naming one is a
/// tenth of the time.
fn region_of_international(value: &str) -> Option<phonenumber::country::Id> {
    use phonenumber::metadata::DATABASE;
    let digits: String = value
        .trim_start()
        .strip_prefix('+')?
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .filter(char::is_ascii_digit)
        .collect();
    // Country codes are prefix-free: at most one of the first 1, 2 or 3 digits is one.
    let (regions, national) = (1..=digits.len().min(3)).find_map(|n| {
        let code: u16 = digits[..n].parse().ok()?;
        Some((DATABASE.by_code(&code)?, &digits[n..]))
    })?;
    let strips = |m: &phonenumber::Metadata| {
        m.national_prefix().is_some_and(|p| national.starts_with(p))
            || m.national_prefix_for_parsing()
                .and_then(|r| r.find(national))
                .is_some_and(|found| found.start() == 0)
    };
    if regions.iter().any(|m| strips(m)) {
        return None;
    }
    regions.first()?.id().parse().ok()
}

/// Checks a website: a bare host (`acme.com`) or an http(s) URL; stored as typed.
pub fn website(field: &'static str, value: &str) -> Result<Option<String>, FieldError> {
    let Some(value) = text(field, value, MAX_URL)? else {
        return Ok(None);
    };
    if value.chars().any(char::is_whitespace) {
        return Err(FieldError::new(
            field,
            format!("{value:?} is not a website: it contains a space"),
        ));
    }
    let rest = if let Some((scheme, rest)) = value.split_once("://") {
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return Err(FieldError::new(
                field,
                format!("{value:?} is not a website: only http and https are accepted"),
            ));
        }
        rest
    } else {
        value.as_str()
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let host_only = host.split(':').next().unwrap_or(host);
    if host_only.is_empty() || !(host_only.contains('.') || host_only == "localhost") {
        return Err(FieldError::new(
            field,
            format!("{value:?} is not a website: it needs a host name like example.com"),
        ));
    }
    Ok(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_by_the_pragmatic_rule() {
        assert_eq!(
            email("email", " Ada@Example.COM ").unwrap(),
            Some("Ada@example.com".into())
        );
        assert_eq!(email("email", "").unwrap(), None);
        for bad in [
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "a@b@example.com",
            "ada@example..com",
            ".ada@example.com",
        ] {
            let err = email("email", bad).unwrap_err();
            assert_eq!(err.field, "email", "{bad}");
        }
        let long = format!("{}@example.com", "a".repeat(65));
        assert!(email("email", &long).is_err());
    }

    #[test]
    fn control_and_bidi_characters_are_refused_with_the_field() {
        let err = text("title", "CTO\u{1b}[31m", MAX_TITLE).unwrap_err();
        assert_eq!(err.field, "title");
        assert!(err.message.contains("U+001B"), "{}", err.message);
        assert!(text("name", "evil\u{202E}gpj.exe", MAX_NAME).is_err());
        assert!(text("name", "nul\0", MAX_NAME).is_err());
        assert!(text("name", "two\nlines", MAX_NAME).is_err());
        assert_eq!(
            multiline("notes", "one\r\ntwo\n\tthree", MAX_NOTES).unwrap(),
            Some("one\ntwo\n\tthree".into())
        );
        assert!(multiline("notes", "bell\u{7}", MAX_NOTES).is_err());
    }

    #[test]
    fn lengths_are_capped() {
        assert!(text("name", &"x".repeat(MAX_NAME), MAX_NAME).is_ok());
        let err = text("name", &"x".repeat(MAX_NAME + 1), MAX_NAME).unwrap_err();
        assert!(err.message.contains("at most 200"));
        // Characters, not bytes: 200 CJK characters fit.
        assert!(text("name", &"漢".repeat(MAX_NAME), MAX_NAME).is_ok());
    }

    #[test]
    fn eight_bytes_that_are_not_eight_digits_are_no_date_and_no_panic() {
        // Found by tests/edges.rs: the year was cut at byte 4, inside a wide character.
        assert!(date("birthday", "?d\u{a1a}3/:").is_err());
        assert!(date("birthday", "19\u{a1a}8-01").is_err());
        assert_eq!(
            date("birthday", "1985-04-12").unwrap().as_deref(),
            Some("1985-04-12")
        );
    }

    #[test]
    fn sanitize_and_terminal_safe() {
        assert_eq!(sanitize("a\u{1b}[2Jb\u{202E}c", false), "a[2Jbc");
        assert_eq!(sanitize("l1\r\nl2\rl3", true), "l1\nl2\nl3");
        assert_eq!(sanitize("a\tb\u{7f}c ~", false), "abc ~");
        assert_eq!(sanitize("a\tb\u{7f}c", true), "a\tbc");
        assert_eq!(terminal_safe("x\u{1b}y", false), "x\u{FFFD}y");
        assert_eq!(terminal_safe("x\ny", false), "x y");
        assert_eq!(terminal_safe("x\ny", true), "x\ny");
        assert_eq!(terminal_safe("plain", false), "plain");
    }

    #[test]
    fn phones_keep_what_was_typed_and_add_e164() {
        let (typed, e164) = phone("phone", "+44 20 7946 0958", None).unwrap().unwrap();
        assert_eq!(typed, "+44 20 7946 0958");
        assert_eq!(e164.as_deref(), Some("+442079460958"));
        let (_, e164) = phone("phone", "(415) 555-2671", Some("US"))
            .unwrap()
            .unwrap();
        assert_eq!(e164.as_deref(), Some("+14155552671"));
        let (typed, e164) = phone("phone", "555-0100 ext 12", None).unwrap().unwrap();
        assert_eq!((typed.as_str(), e164), ("555-0100 ext 12", None));
        assert!(phone("phone", "call me", None).is_err());
        assert!(phone("phone", "555\u{1b}", None).is_err());
    }

    #[test]
    fn an_international_number_gets_the_e164_the_parser_gives_without_a_region() {
        // Numbers from libphonenumber's test suite and the demo's: several regions per code
        // (+1, +7, +44, +61, +39), national prefixes written after the code, local formats.
        let numbers = [
            "+1 555 791 4015",
            "+1 (650) 253-0000",
            "+1 242 365 1234",
            "+1 876 555 0123",
            "+1 800 555 0199",
            "+44 20 7946 0958",
            "+44 (0) 20 7946 0958",
            "+44 1624 756789",
            "+44 7700 900123",
            "+7 495 123-45-67",
            "+7 701 123 4567",
            "+61 2 9876 5432",
            "+61 (0)2 9876 5432",
            "+39 06 698 81234",
            "+39 345 678 9012",
            "+49 30 1234567",
            "+49 (0)30 1234567",
            "+33 1 23 45 67 89",
            "+358 9 1234567",
            "+262 262 12 34 56",
            "+599 9 123 4567",
            "+64 3-331 6005",
            "+800 1234 5678",
            "+999 123 456",
        ];
        for n in numbers {
            let slow = phonenumber::parse(None, n)
                .ok()
                .map(|p| p.format().mode(phonenumber::Mode::E164).to_string());
            assert_eq!(e164(n, None), slow, "{n}");
        }
    }

    #[test]
    fn websites() {
        assert!(website("website", "acme.com").unwrap().is_some());
        assert!(website("website", "https://acme.com/about")
            .unwrap()
            .is_some());
        assert!(website("website", "http://localhost:8080")
            .unwrap()
            .is_some());
        assert!(website("website", "ftp://acme.com").is_err());
        assert!(website("website", "acme").is_err());
        assert!(website("website", "acme .com").is_err());
    }
}
