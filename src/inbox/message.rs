//! One email's bytes (RFC 5322, MIME) turned into what kith logs: who wrote to whom, when, about
//! what, and the text of it. Pure: no store, no terminal.
//!
//! The MIME work is mail-parser's; this file only chooses what to keep and makes every string
//! safe, because a message is text from a stranger.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use mail_parser::{HeaderName, HeaderValue, Message, MessageParser};

use crate::domain::validate::{sanitize, MAX_EMAIL, MAX_NOTES};

/// One mailbox of a From, To or Cc header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// The display name, encoded words decoded; `None` when there is none.
    pub name: Option<String>,
    /// The address as written (case kept), trimmed.
    pub email: String,
}

/// What kith keeps of a received or sent message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// The Message-ID without its angle brackets, as mail-parser gives it.
    pub message_id: Option<String>,
    /// The Date header; `None` when it is missing or no real date.
    pub date: Option<DateTime<Utc>>,
    /// The subject, encoded words decoded; `None` when missing or blank.
    pub subject: Option<String>,
    pub from: Vec<Address>,
    pub to: Vec<Address>,
    pub cc: Vec<Address>,
    /// Plain text: the text/plain parts, else the HTML ones turned into text. At most
    /// [`MAX_NOTES`] characters, the last line saying so when the message was longer.
    pub body: String,
    /// The Date header as written (one line, made safe), to name a date kith will not take.
    pub date_text: Option<String>,
    /// What the headers say of the message's way here: a list's copy, a robot's.
    pub origin: Origin,
}

/// What the headers say of who sent a message and how it came: through a mailing list, from a
/// machine, delivered to which of the user's mailboxes. It decides who in a message may be
/// taken for a person, not whether the message is logged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The header that shows a machine sent it rather than a person wrote it
    /// (`Auto-Submitted: auto-generated`, `Precedence: bulk`, a delivery report, ...).
    pub automatic: Option<String>,
    /// The header that shows it is a mailing list's copy (`List-Id: ...`, `Precedence: list`).
    pub list: Option<String>,
    /// The list's id (RFC 2919), without its angle brackets.
    pub list_id: Option<String>,
    /// Where the list takes posts (List-Post's mailto): a discussion list has one, a
    /// newsletter or an announcement list has none.
    pub list_post: Option<String>,
    /// Every address the list headers name (List-Post, List-Help, List-Owner, X-Mailing-List,
    /// ...): the list and its machinery.
    pub list_addresses: Vec<String>,
    /// The mailboxes the message was delivered to (Delivered-To, X-Original-To, Envelope-To):
    /// the user's own, or a list's when the mailbox is a list archive.
    pub delivered_to: Vec<String>,
}

/// The last line of a body cut to fit [`MAX_NOTES`].
const CUT_MARK: &str = "\n… (cut: the message is longer than kith keeps)";

/// Parses one message. Bytes that are not an email (empty, no header at all, or none of From,
/// To and Cc) are an `Err` with a one-line reason; no input makes this panic.
///
/// A message whose headers name nobody with a usable address is still `Ok`, with empty lists:
/// it is an email, and what to do with it is the caller's choice.
pub fn parse(raw: &[u8]) -> Result<Incoming, String> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err("empty input".into());
    }
    let message = MessageParser::default()
        .parse(raw)
        .ok_or("not an email: no header could be read")?;
    let has = |name: HeaderName<'static>| message.header_values(name).next().is_some();
    if !has(HeaderName::From) && !has(HeaderName::To) && !has(HeaderName::Cc) {
        return Err("not an email: no From, To or Cc header".into());
    }
    let subject = message.subject().and_then(one_line);
    let from = addresses(&message, HeaderName::From);
    let to = addresses(&message, HeaderName::To);
    let cc = addresses(&message, HeaderName::Cc);
    let mut origin = origin(&message);
    // A list tags its posts' subjects with its name (`[aur-general] Guidelines`): the address
    // of that name is the list's, even in a copy whose list headers were taken off.
    let tags = subject.as_deref().map(subject_tags).unwrap_or_default();
    for a in from.iter().chain(&to).chain(&cc) {
        let local = a.email.rsplit_once('@').map_or("", |(l, _)| l);
        if tags.iter().any(|t| t.eq_ignore_ascii_case(local)) {
            origin.list_addresses.push(a.email.clone());
        }
    }
    Ok(Incoming {
        message_id: message.message_id().and_then(one_line),
        date: message.date().and_then(utc),
        subject,
        from,
        to,
        cc,
        body: body(&message),
        date_text: message
            .header_raw(HeaderName::Date)
            .and_then(|d| one_line(&unfold(d))),
        origin,
    })
}

/// The words a subject holds in square brackets: `Re: [aur-general] Guidelines` has
/// `aur-general`.
fn subject_tags(subject: &str) -> Vec<String> {
    subject
        .split('[')
        .skip(1)
        .filter_map(|part| part.split_once(']'))
        .map(|(tag, _)| tag.trim().to_string())
        .filter(|tag| !tag.is_empty() && !tag.contains(char::is_whitespace))
        .collect()
}

/// A header's raw value on one line: folding undone.
fn unfold(raw: &str) -> String {
    raw.split(['\r', '\n'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The raw values, unfolded, of every header called `name` (any case).
fn raw_values<'a>(message: &'a Message<'_>, name: &'a str) -> impl Iterator<Item = String> + 'a {
    message
        .headers_raw()
        .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| unfold(v))
}

/// The first `name: value` header that says what `says` does, as `Name: value` made safe.
fn first_saying(
    message: &Message<'_>,
    names: &[&str],
    says: impl Fn(&str) -> bool,
) -> Option<String> {
    names.iter().find_map(|name| {
        raw_values(message, name)
            .find(|v| says(&v.to_ascii_lowercase()))
            .and_then(|v| one_line(&format!("{name}: {v}")))
    })
}

/// The mailto addresses of a List-* header (`<mailto:dev-request@x?subject=help>`), or the bare
/// addresses of X-Mailing-List and its like.
fn header_addresses(value: &str) -> Vec<String> {
    let mut found = Vec::new();
    let bracketed: Vec<&str> = value
        .split('<')
        .skip(1)
        .filter_map(|part| part.split('>').next())
        .collect();
    let words: Vec<&str> = if bracketed.is_empty() {
        value.split([' ', ',', ';']).collect()
    } else {
        bracketed
    };
    for word in words {
        let word = word.trim();
        let address = match word.get(..7) {
            Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => &word[7..],
            _ => word,
        };
        let address = address.split('?').next().unwrap_or("").trim();
        if address.contains('@') && !address.contains(['/', ' ']) {
            if let Some(a) = one_line(address) {
                if a.chars().count() <= MAX_EMAIL {
                    found.push(a);
                }
            }
        }
    }
    found
}

/// Headers that name a list's addresses.
const LIST_ADDRESS_HEADERS: &[&str] = &[
    "List-Post",
    "List-Owner",
    "List-Help",
    "List-Subscribe",
    "List-Unsubscribe",
    "X-Mailing-List",
    "X-BeenThere",
    "Mailing-List",
];

/// Headers that only a mailing list's copy of a message carries.
const LIST_HEADERS: &[&str] = &[
    "List-Id",
    "List-Post",
    "List-Unsubscribe",
    "List-Subscribe",
    "List-Help",
    "List-Owner",
    "List-Archive",
    "X-Mailing-List",
    "Mailing-List",
    "X-BeenThere",
    "X-Mailman-Version",
];

fn origin(message: &Message<'_>) -> Origin {
    let automatic = first_saying(message, &["Auto-Submitted"], |v| {
        !v.trim().is_empty() && v.split(';').next().unwrap_or("").trim() != "no"
    })
    .or_else(|| {
        first_saying(message, &["Precedence", "X-Precedence"], |v| {
            matches!(v.trim(), "bulk" | "junk")
        })
    })
    .or_else(|| {
        first_saying(
            message,
            &["X-Auto-Response-Suppress", "X-Autoreply", "X-Autorespond"],
            |v| !v.trim().is_empty(),
        )
    })
    .or_else(|| first_saying(message, &["Return-Path"], |v| v.trim() == "<>"))
    .or_else(|| {
        first_saying(message, &["Content-Type"], |v| {
            v.trim_start().starts_with("multipart/report")
        })
    });
    let list = LIST_HEADERS
        .iter()
        .find_map(|name| first_saying(message, &[name], |v| !v.trim().is_empty()))
        .or_else(|| first_saying(message, &["Precedence"], |v| v.trim() == "list"));
    let list_id = raw_values(message, "List-Id").next().and_then(|v| {
        let id = match (v.rfind('<'), v.rfind('>')) {
            (Some(a), Some(b)) if a < b => &v[a + 1..b],
            _ => v.as_str(),
        };
        one_line(id)
    });
    let list_post = raw_values(message, "List-Post")
        .flat_map(|v| header_addresses(&v))
        .next();
    let mut list_addresses: Vec<String> = LIST_ADDRESS_HEADERS
        .iter()
        .flat_map(|name| raw_values(message, name).collect::<Vec<_>>())
        .flat_map(|v| header_addresses(&v))
        .collect();
    list_addresses.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    let delivered_to = ["Delivered-To", "X-Original-To", "Envelope-To"]
        .iter()
        .flat_map(|name| raw_values(message, name).collect::<Vec<_>>())
        .flat_map(|v| header_addresses(&v))
        .collect();
    Origin {
        automatic,
        list,
        list_id,
        list_post,
        list_addresses,
        delivered_to,
    }
}

/// Single-line text made safe and trimmed; blank is `None`.
fn one_line(s: &str) -> Option<String> {
    let s = sanitize(s, false);
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// mail-parser's date checks ranges field by field (it takes 31 February); chrono decides
/// whether the day exists.
fn utc(d: &mail_parser::DateTime) -> Option<DateTime<Utc>> {
    let local = NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())?.and_hms_opt(
        d.hour.into(),
        d.minute.into(),
        d.second.into(),
    )?;
    let offset = (i32::from(d.tz_hour) * 3600 + i32::from(d.tz_minute) * 60)
        * if d.tz_before_gmt { -1 } else { 1 };
    let zone = FixedOffset::east_opt(offset)?;
    Some(
        zone.from_local_datetime(&local)
            .single()?
            .with_timezone(&Utc),
    )
}

/// Every usable mailbox of every header called `name`, groups flattened: a message may carry
/// the header twice (RFC 5322's obsolete syntax), and a group's members are people too.
fn addresses(message: &Message<'_>, name: HeaderName<'static>) -> Vec<Address> {
    message
        .header_values(name)
        .filter_map(HeaderValue::as_address)
        .flat_map(|list| list.iter())
        .filter_map(|addr| {
            let mut email = one_line(addr.address()?)?;
            let mut name = addr.name().and_then(one_line);
            // mail-parser reads a bare quoted local part (`"john doe"@x.example`) as a name
            // before an address that begins with its @: put the address back as written.
            if email.starts_with('@') {
                email = format!("\"{}\"{email}", name.take()?);
            }
            // Nothing longer fits a contact's email field, and without an @ it is no mailbox
            // (a group's name, a comment, "undisclosed-recipients").
            if email.chars().count() > MAX_EMAIL || !email.contains('@') {
                return None;
            }
            Some(Address { name, email })
        })
        .collect()
}

/// The text of the message: mail-parser lists as text bodies the text/plain parts, or the HTML
/// part of an HTML-only message, which `body_text` turns into text.
fn body(message: &Message<'_>) -> String {
    let parts: Vec<String> = (0..message.text_body_count())
        .filter_map(|i| message.body_text(i))
        .map(|text| sanitize(&text, true))
        .filter(|text| !text.trim().is_empty())
        .collect();
    let text = parts.join("\n\n");
    cut(text.trim_start_matches('\n').trim_end())
}

/// At most [`MAX_NOTES`] characters, the mark included, cut between clusters.
fn cut(text: &str) -> String {
    let keep = MAX_NOTES - CUT_MARK.chars().count();
    match text.char_indices().nth(MAX_NOTES) {
        None => text.to_string(),
        Some(_) => format!(
            "{}{CUT_MARK}",
            crate::display::take_chars(text, keep).trim_end()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(raw: &str) -> Incoming {
        parse(raw.as_bytes()).unwrap_or_else(|e| panic!("{e}: {raw}"))
    }

    #[test]
    fn headers_and_a_plain_body() {
        let m = ok("From: Ada Lovelace <ada@example.com>\r\n\
                    To: bob@example.org\r\n\
                    Date: Tue, 1 Jul 2003 10:52:37 +0200\r\n\
                    Message-ID: <1234@example.com>\r\n\
                    Subject: Engines\r\n\r\nHello Bob.\r\nSecond line.\r\n\r\n\r\n");
        assert_eq!(m.message_id.as_deref(), Some("1234@example.com"));
        assert_eq!(m.date.unwrap().to_rfc3339(), "2003-07-01T08:52:37+00:00");
        assert_eq!(m.subject.as_deref(), Some("Engines"));
        assert_eq!(
            m.from,
            vec![Address {
                name: Some("Ada Lovelace".into()),
                email: "ada@example.com".into()
            }]
        );
        assert_eq!(m.to[0].name, None);
        assert_eq!(m.to[0].email, "bob@example.org");
        assert!(m.cc.is_empty());
        assert_eq!(m.body, "Hello Bob.\nSecond line.");
    }

    #[test]
    fn what_is_not_an_email_is_an_error_with_a_reason() {
        assert_eq!(parse(b"").unwrap_err(), "empty input");
        assert_eq!(parse(b" \r\n\n\t").unwrap_err(), "empty input");
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0\x90\x91h6";
        assert!(parse(png).is_err());
        // No "Name:" line at all: mail-parser finds no header and gives nothing.
        let err = parse(b"just a line of text\nand another\n").unwrap_err();
        assert_eq!(err, "not an email: no header could be read");
        let err = parse(b"Subject: hello\n\nbody\n").unwrap_err();
        assert_eq!(err, "not an email: no From, To or Cc header");
        for e in [parse(b""), parse(png)] {
            assert!(!e.unwrap_err().contains('\n'));
        }
    }

    #[test]
    fn groups_are_flattened_and_unusable_addresses_dropped() {
        let long = format!("{}@example.com", "a".repeat(MAX_EMAIL));
        let m = ok(&format!(
            "From: Pete <pete@example.net>\n\
             To: A Group:Chris Jones <c@example.org>,joe@example.org;, nobody, <{long}>\n\
             Cc: Undisclosed recipients:;\n\nhi\n"
        ));
        let to: Vec<&str> = m.to.iter().map(|a| a.email.as_str()).collect();
        assert_eq!(to, ["c@example.org", "joe@example.org"]);
        assert_eq!(m.to[0].name.as_deref(), Some("Chris Jones"));
        assert!(m.cc.is_empty());
    }

    #[test]
    fn a_quoted_local_part_keeps_its_quotes() {
        let m = ok("From: a@example.com\n\
                    To: \"john doe\"@x.example, Ann <\"a b\"@z.example>, bob@y.example\n\nx\n");
        let to: Vec<(Option<&str>, &str)> =
            m.to.iter()
                .map(|a| (a.name.as_deref(), a.email.as_str()))
                .collect();
        assert_eq!(
            to,
            [
                (None, "\"john doe\"@x.example"),
                (Some("Ann"), "\"a b\"@z.example"),
                (None, "bob@y.example")
            ]
        );
    }

    #[test]
    fn two_to_headers_both_count() {
        let m = ok("From: a@example.com\nTo: b@example.com\nTo: c@example.com\n\nx\n");
        assert_eq!(m.to.len(), 2);
    }

    #[test]
    fn encoded_words_are_decoded() {
        let m = ok(
            "From: =?ISO-8859-1?Q?Andr=E9?= Pirard <pirard@example.org>\n\
                    To: =?UTF-8?B?44G/44GR44KL?= <m@example.com>\n\
                    Subject: =?ISO-8859-1?Q?Caf=E9?= =?UTF-8?B?4piV?=\n\nx\n",
        );
        assert_eq!(m.from[0].name.as_deref(), Some("André Pirard"));
        assert_eq!(m.to[0].name.as_deref(), Some("みける"));
        assert_eq!(m.subject.as_deref(), Some("Café☕"));
    }

    #[test]
    fn control_characters_never_get_through() {
        let m = ok("From: =?UTF-8?Q?Eve=1B[2J=E2=80=AE?= <eve@example.com>\n\
                    To: bob@example.com\n\
                    Subject: =?UTF-8?Q?red=1B[31m_alert=0D=0Anext?=\n\n\
                    line one\x1b[2J\r\nline\ttwo\x07\n");
        assert_eq!(m.from[0].name.as_deref(), Some("Eve[2J"));
        assert_eq!(m.subject.as_deref(), Some("red[31m alertnext"));
        assert_eq!(m.body, "line one[2J\nline\ttwo");
    }

    #[test]
    fn a_missing_or_impossible_date_and_id_are_none() {
        let m = ok("From: a@example.com\nDate: Whenever\nSubject:   \n\nx\n");
        assert_eq!((m.date, m.message_id, m.subject), (None, None, None));
        let m = ok("From: a@example.com\nDate: Sat, 31 Feb 2024 10:00:00 +0000\n\nx\n");
        assert_eq!(m.date, None);
        let m = ok("From: a@example.com\nDate: Thu, 13 Feb 1969 23:32:54 -0330\n\nx\n");
        assert_eq!(m.date.unwrap().to_rfc3339(), "1969-02-14T03:02:54+00:00");
    }

    #[test]
    fn alternative_prefers_plain_text_and_html_only_becomes_text() {
        let alt = ok(
            "From: a@example.com\nContent-Type: multipart/alternative; boundary=b\n\n\
                      --b\nContent-Type: text/plain\n\nthe plain words\n\
                      --b\nContent-Type: text/html\n\n<p>the <b>html</b> words</p>\n--b--\n",
        );
        assert_eq!(alt.body, "the plain words");
        let html = ok(
            "From: a@example.com\nContent-Type: text/html; charset=utf-8\n\n\
                       <html><body><p>Hello <b>there</b></p><p>&amp; more</p></body></html>\n",
        );
        assert!(html.body.contains("Hello there"), "{:?}", html.body);
        assert!(html.body.contains("& more"), "{:?}", html.body);
        assert!(!html.body.contains('<'), "{:?}", html.body);
    }

    #[test]
    fn transfer_encodings_and_charsets() {
        let qp = ok(
            "From: a@example.com\nContent-Type: text/plain; charset=iso-8859-1\n\
                     Content-Transfer-Encoding: quoted-printable\n\n\
                     Fran=E7ois a =\nr=E9pondu.\n",
        );
        assert_eq!(qp.body, "François a répondu.");
        let b64 = ok(
            "From: a@example.com\nContent-Type: text/plain; charset=utf-8\n\
                      Content-Transfer-Encoding: base64\n\nw4dhIHZhIGJpZW4g4pyTCg==\n",
        );
        assert_eq!(b64.body, "Ça va bien ✓");
        let mut cp1252 = b"From: a@example.com\nContent-Type: text/plain; charset=windows-1252\n\
                           Content-Transfer-Encoding: 8bit\n\n"
            .to_vec();
        cp1252.extend_from_slice(b"\x93Quoted\x94 \x80 5\n");
        assert_eq!(parse(&cp1252).unwrap().body, "“Quoted” € 5");
    }

    #[test]
    fn a_long_body_is_cut_on_a_character_boundary_with_a_last_line_saying_so() {
        let raw = format!("From: a@example.com\n\n{}\n", "é".repeat(MAX_NOTES + 10));
        let m = ok(&raw);
        assert_eq!(m.body.chars().count(), MAX_NOTES);
        assert!(
            m.body.ends_with(CUT_MARK),
            "{}",
            &m.body[m.body.len() - 80..]
        );
        let exact = format!("From: a@example.com\n\n{}\n", "x".repeat(MAX_NOTES));
        assert_eq!(ok(&exact).body, "x".repeat(MAX_NOTES));
    }

    proptest! {
        #[test]
        fn never_panics_on_any_bytes(raw in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = parse(&raw);
        }

        #[test]
        fn never_panics_on_header_like_text(
            raw in "((From|To|Cc|Subject|Date|Content-Type|Content-Transfer-Encoding|Message-ID): [ -~]{0,40}\r?\n){0,8}(\r?\n[ -~\n]{0,200})?"
        ) {
            if let Ok(m) = parse(raw.as_bytes()) {
                prop_assert!(m.body.chars().count() <= MAX_NOTES);
                for a in m.from.iter().chain(&m.to).chain(&m.cc) {
                    prop_assert!(a.email.contains('@'));
                }
            }
        }
    }
}
