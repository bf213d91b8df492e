//! vCard: reading the address books people have (2.1, 3.0 and 4.0, as Apple Contacts, Google,
//! Outlook and phones export them) and writing 3.0 or 4.0.
//!
//! The reader works on bytes: it splits the file into physical lines (CR LF, LF or a lone CR),
//! unfolds them into logical lines (a continuation starts with a space or a tab; a
//! quoted-printable value ending in `=` continues on the next line; a 2.1 BASE64 blob runs until
//! a blank line or the next property), splits each logical line into group, name, parameters
//! and value, and decodes the value (quoted-printable, then the CHARSET, then the `\` escapes).
//! Only the properties kith keeps are copied; a PHOTO of any size is stepped over.
//!
//! Everything read is untrusted: values go through [`sanitize`] before they reach a [`Card`].

use crate::domain::validate::sanitize;
use crate::domain::{Contact, ContactFields, ParentKind};
use std::borrow::Cow;
use std::fmt;
use std::iter::Peekable;

/// One card read from a file. Values are already passed through [`sanitize`] (control and bidi
/// characters removed; notes keep newlines): data from outside is untrusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// 1-based line of its BEGIN:VCARD in the file.
    pub line: usize,
    /// first_name, last_name (from N), full_name (FN), email, phone, title (TITLE, else ROLE),
    /// notes (NOTE).
    pub fields: ContactFields,
    /// The organisation (first component of ORG), if any: the contact's parent.
    pub org: Option<String>,
    /// X-KITH-PARENT-KIND: "lead" or "customer" when the card was written by kith.
    pub parent_kind: Option<ParentKind>,
    /// Oddities that did not stop the card (a phone that is text, a name made from the email).
    pub warnings: Vec<String>,
}

/// A card that could not be read, with the line where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for CardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for CardError {}

/// The vCard version [`write`] produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V3,
    V4,
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/// Reads every card of a file. A broken card is an `Err` with its line number; the cards after
/// it are still read.
///
/// A card needs a name: its FN, else its N (first and last name joined become the full name).
/// Of several EMAIL or TEL the preferred one (`TYPE=pref`, 2.1's bare `PREF`, 4.0's lowest
/// `PREF=n`) becomes the contact's, else the first; the others are appended to the notes as
/// `Other email: …` / `Other phone: …` lines with their types.
pub fn parse(bytes: &[u8]) -> Vec<Result<Card, CardError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut lines = PhysicalLines {
        rest: bytes,
        number: 0,
    }
    .peekable();
    let mut out = Vec::new();
    let mut current: Option<CardBuilder> = None;
    // After an error, lines are passed over until the next BEGIN:VCARD.
    let mut skipping = false;

    while let Some(logical) = next_logical(&mut lines) {
        let text: &[u8] = &logical.text;
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let Some(colon) = logical.colon else {
            if let Some(card) = current.take() {
                out.push(Err(CardError {
                    line: logical.line,
                    message: format!(
                        "line without ':' in the card that begins at line {} \
                         (expected NAME:value): {}",
                        card.line,
                        excerpt(text)
                    ),
                }));
                skipping = true;
            } else if !skipping && !is_filler(text) {
                out.push(Err(outside_card(logical.line, text)));
                skipping = true;
            }
            continue;
        };
        let head = &text[..colon];
        let value = &text[colon + 1..];
        let name = prop_name(head);
        if name.eq_ignore_ascii_case(b"BEGIN") && value.trim_ascii().eq_ignore_ascii_case(b"VCARD")
        {
            if let Some(card) = current.take() {
                out.push(Err(CardError {
                    line: card.line,
                    message: format!(
                        "card has no END:VCARD before the next BEGIN:VCARD at line {}",
                        logical.line
                    ),
                }));
            }
            current = Some(CardBuilder::new(logical.line));
            skipping = false;
            continue;
        }
        match current.as_mut() {
            None => {
                if !skipping && !is_filler(text) {
                    out.push(Err(outside_card(logical.line, text)));
                    skipping = true;
                }
            }
            Some(card) => {
                if name.eq_ignore_ascii_case(b"END")
                    && value.trim_ascii().eq_ignore_ascii_case(b"VCARD")
                {
                    if let Some(card) = current.take() {
                        out.push(card.finish());
                    }
                } else if let Some(kind) = Kind::of(name) {
                    card.props.push(RawProp {
                        kind,
                        text: logical.text,
                        colon,
                    });
                }
            }
        }
    }
    if let Some(card) = current {
        out.push(Err(CardError {
            line: card.line,
            message: "card has no END:VCARD before the end of the file".to_string(),
        }));
    }
    out
}

fn outside_card(line: usize, text: &[u8]) -> CardError {
    CardError {
        line,
        message: format!(
            "text outside a card (expected BEGIN:VCARD): {}",
            excerpt(text)
        ),
    }
}

/// Bytes some old exporters leave between or after cards (a DOS end-of-file mark, NUL padding).
fn is_filler(text: &[u8]) -> bool {
    text.iter()
        .all(|&b| b.is_ascii_whitespace() || b.is_ascii_control())
}

/// A short, terminal-safe quote of a line for an error message.
fn excerpt(text: &[u8]) -> String {
    let s = sanitize(&String::from_utf8_lossy(text), false);
    let s = s.trim();
    let mut short: String = s.chars().take(40).collect();
    if short.len() < s.len() {
        short.push('…');
    }
    format!("{short:?}")
}

/// The physical lines of a file with their 1-based numbers; CR LF, LF and a lone CR all end a
/// line.
struct PhysicalLines<'a> {
    rest: &'a [u8],
    number: usize,
}

impl<'a> Iterator for PhysicalLines<'a> {
    type Item = (usize, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        self.number += 1;
        let rest = self.rest;
        match rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            None => {
                self.rest = &[];
                Some((self.number, rest))
            }
            Some(i) => {
                let skip = if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                self.rest = &rest[i + skip..];
                Some((self.number, &rest[..i]))
            }
        }
    }
}

/// A content line after unfolding. For a property kith does not keep, `text` holds only the
/// head and the colon: its value (a photo, say) is never copied.
struct Logical<'a> {
    line: usize,
    text: Cow<'a, [u8]>,
    /// Index of the `:` between head and value, if the line has one.
    colon: Option<usize>,
}

fn next_logical<'a>(lines: &mut Peekable<PhysicalLines<'a>>) -> Option<Logical<'a>> {
    let (line, first) = lines.next()?;
    let mut colon = find_colon(first);
    let (mut skip, mut qp, mut b64) = (false, false, false);
    let mut text = Cow::Borrowed(first);
    if let Some(c) = colon {
        let head = &first[..c];
        skip = Kind::of(prop_name(head)).is_none() && !is_envelope(prop_name(head));
        (qp, b64) = encodings(head);
        if skip {
            text = Cow::Borrowed(&first[..=c]);
        }
    }
    let mut last = first;
    while let Some(&(_, next)) = lines.peek() {
        if qp && last.last() == Some(&b'=') && !is_end_line(next) {
            // A quoted-printable soft line break: the `=` goes, the next line follows as is.
            if !skip {
                let t = text.to_mut();
                t.pop();
                t.extend_from_slice(next);
            }
        } else if matches!(next.first(), Some(b' ' | b'\t')) {
            if !skip {
                text.to_mut().extend_from_slice(&next[1..]);
            }
            if colon.is_none() {
                // A head folded before its colon: classify it once the colon shows up.
                colon = find_colon(&text);
                if let Some(c) = colon {
                    (qp, b64) = encodings(&text[..c]);
                }
            }
        } else if b64 && !next.is_empty() && !next.contains(&b':') {
            // 2.1 BASE64 data written on unindented lines, up to a blank line.
        } else {
            break;
        }
        last = next;
        lines.next();
    }
    Some(Logical { line, text, colon })
}

fn is_envelope(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"BEGIN") || name.eq_ignore_ascii_case(b"END")
}

fn is_end_line(line: &[u8]) -> bool {
    line.len() >= 9 && line[..9].eq_ignore_ascii_case(b"END:VCARD")
}

/// The `:` that ends a line's head: the first one outside a double-quoted parameter value (4.0
/// allows `TYPE="a,b"`), falling back to the first one at all for an unbalanced quote.
fn find_colon(line: &[u8]) -> Option<usize> {
    let mut quoted = false;
    for (i, &b) in line.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b':' if !quoted => return Some(i),
            _ => {}
        }
    }
    line.iter().position(|&b| b == b':')
}

/// The property name of a head, without its group (`item1.EMAIL;type=pref` → `EMAIL`).
fn prop_name(head: &[u8]) -> &[u8] {
    let end = head.iter().position(|&b| b == b';').unwrap_or(head.len());
    let name = &head[..end];
    let start = name
        .iter()
        .rposition(|&b| b == b'.')
        .map_or(0, |dot| dot + 1);
    name[start..].trim_ascii()
}

/// Whether a head declares quoted-printable and whether it declares base64, as
/// `ENCODING=…` or as 2.1's bare parameter.
fn encodings(head: &[u8]) -> (bool, bool) {
    let (mut qp, mut b64) = (false, false);
    for token in head.split(|&b| b == b';').skip(1) {
        let value = match token.iter().position(|&b| b == b'=') {
            Some(eq) if token[..eq].trim_ascii().eq_ignore_ascii_case(b"ENCODING") => {
                &token[eq + 1..]
            }
            Some(_) => continue,
            None => token,
        };
        let value = value.trim_ascii();
        if value.eq_ignore_ascii_case(b"QUOTED-PRINTABLE") {
            qp = true;
        } else if value.eq_ignore_ascii_case(b"BASE64") || value.eq_ignore_ascii_case(b"B") {
            b64 = true;
        }
    }
    (qp, b64)
}

/// The properties kith reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Version,
    Fn,
    N,
    Email,
    Tel,
    Title,
    Role,
    Note,
    Org,
    KithParent,
}

impl Kind {
    fn of(name: &[u8]) -> Option<Kind> {
        const NAMES: [(&[u8], Kind); 10] = [
            (b"VERSION", Kind::Version),
            (b"FN", Kind::Fn),
            (b"N", Kind::N),
            (b"EMAIL", Kind::Email),
            (b"TEL", Kind::Tel),
            (b"TITLE", Kind::Title),
            (b"ROLE", Kind::Role),
            (b"NOTE", Kind::Note),
            (b"ORG", Kind::Org),
            (b"X-KITH-PARENT-KIND", Kind::KithParent),
        ];
        NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, k)| k)
    }
}

struct RawProp<'a> {
    kind: Kind,
    text: Cow<'a, [u8]>,
    colon: usize,
}

struct CardBuilder<'a> {
    line: usize,
    props: Vec<RawProp<'a>>,
}

/// An EMAIL or TEL of a card, in file order.
struct Candidate {
    value: String,
    rank: u32,
    label: String,
}

impl<'a> CardBuilder<'a> {
    fn new(line: usize) -> Self {
        CardBuilder {
            line,
            props: Vec::new(),
        }
    }

    fn finish(self) -> Result<Card, CardError> {
        let v21 = self.props.iter().any(|p| {
            p.kind == Kind::Version && p.text[p.colon + 1..].trim_ascii().starts_with(b"2.")
        });
        let mut fields = ContactFields::default();
        let mut n_seen = false;
        let mut org = None;
        let mut parent_kind = None;
        let mut role = None;
        let mut notes: Vec<String> = Vec::new();
        let mut emails: Vec<Candidate> = Vec::new();
        let mut phones: Vec<Candidate> = Vec::new();

        for p in &self.props {
            if p.kind == Kind::Version {
                continue;
            }
            let params = Params::parse(&p.text[..p.colon]);
            let value = decode(&p.text[p.colon + 1..], &params);
            match p.kind {
                Kind::Version => {}
                Kind::Fn => {
                    if fields.full_name.is_none() {
                        fields.full_name = single(&unescape(&value, v21));
                    }
                }
                Kind::N => {
                    if !n_seen {
                        n_seen = true;
                        let parts = split_unescaped(&value);
                        let part = |i: usize| {
                            parts
                                .get(i)
                                .and_then(|s| single(&unescape(s, v21)))
                                .unwrap_or_default()
                        };
                        let first = [part(1), part(2)]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join(" ");
                        fields.last_name = Some(part(0)).filter(|s| !s.is_empty());
                        fields.first_name = Some(first).filter(|s| !s.is_empty());
                    }
                }
                Kind::Email => {
                    let v = unescape(&value, v21);
                    let v = v.trim();
                    let v = strip_prefix_ci(v, "mailto:").unwrap_or(v);
                    if let Some(v) = single(v) {
                        emails.push(params.candidate(v));
                    }
                }
                Kind::Tel => {
                    if let Some(v) = single(&tel_value(&unescape(&value, v21))) {
                        phones.push(params.candidate(v));
                    }
                }
                Kind::Title => {
                    if fields.title.is_none() {
                        fields.title = single(&unescape(&value, v21));
                    }
                }
                Kind::Role => {
                    if role.is_none() {
                        role = single(&unescape(&value, v21));
                    }
                }
                Kind::Note => {
                    let note = sanitize(&unescape(&value, v21), true);
                    let note = note.trim();
                    if !note.is_empty() {
                        notes.push(note.to_string());
                    }
                }
                Kind::Org => {
                    if org.is_none() {
                        let parts = split_unescaped(&value);
                        org = parts.first().and_then(|s| single(&unescape(s, v21)));
                    }
                }
                Kind::KithParent => {
                    if parent_kind.is_none() {
                        parent_kind = ParentKind::parse(&sanitize(&value, false));
                    }
                }
            }
        }

        if fields.title.is_none() {
            fields.title = role;
        }
        if fields.full_name.is_none() {
            fields.full_name = match (&fields.first_name, &fields.last_name) {
                (Some(f), Some(l)) => Some(format!("{f} {l}")),
                (Some(n), None) | (None, Some(n)) => Some(n.clone()),
                (None, None) => None,
            };
        }
        if fields.full_name.is_none() {
            return Err(CardError {
                line: self.line,
                message: "card has no FN or N".to_string(),
            });
        }
        fields.email = choose(emails, "email", true, &mut notes);
        fields.phone = choose(phones, "phone", false, &mut notes);
        if !notes.is_empty() {
            fields.notes = Some(notes.join("\n"));
        }
        Ok(Card {
            line: self.line,
            fields,
            org,
            parent_kind,
            warnings: Vec::new(),
        })
    }
}

/// Picks the preferred candidate (lowest rank, then first) and turns the others into
/// `Other <what>: value (types)` note lines, skipping repeats.
fn choose(
    list: Vec<Candidate>,
    what: &str,
    case_insensitive: bool,
    notes: &mut Vec<String>,
) -> Option<String> {
    let best = list
        .iter()
        .enumerate()
        .min_by_key(|(i, c)| (c.rank, *i))
        .map(|(i, _)| i)?;
    let same = |a: &str, b: &str| {
        if case_insensitive {
            a.to_lowercase() == b.to_lowercase()
        } else {
            a == b
        }
    };
    let mut seen: Vec<&str> = vec![&list[best].value];
    for (i, c) in list.iter().enumerate() {
        if i == best || seen.iter().any(|s| same(s, &c.value)) {
            continue;
        }
        seen.push(&c.value);
        if c.label.is_empty() {
            notes.push(format!("Other {what}: {}", c.value));
        } else {
            notes.push(format!("Other {what}: {} ({})", c.value, c.label));
        }
    }
    let mut list = list;
    Some(list.swap_remove(best).value)
}

/// A single-line value made safe: sanitized, trimmed, `None` when empty.
fn single(s: &str) -> Option<String> {
    let s = sanitize(s, false);
    let t = s.trim();
    if t.is_empty() {
        None
    } else if t.len() == s.len() {
        Some(s)
    } else {
        Some(t.to_string())
    }
}

fn strip_prefix_ci<'s>(s: &'s str, prefix: &str) -> Option<&'s str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// A TEL value as a number: a `tel:` URI loses its scheme, and its `;ext=` becomes ` ext. `.
fn tel_value(value: &str) -> String {
    let value = value.trim();
    let Some(uri) = strip_prefix_ci(value, "tel:") else {
        return value.to_string();
    };
    let mut parts = uri.split(';');
    let mut number = parts.next().unwrap_or("").to_string();
    for param in parts {
        if let Some(ext) = strip_prefix_ci(param, "ext=") {
            number.push_str(" ext. ");
            number.push_str(ext);
        }
    }
    number
}

/// The parameters of a property, as far as kith needs them.
#[derive(Default)]
struct Params {
    /// TYPE values and 2.1's bare types, lower-cased.
    types: Vec<String>,
    /// Preference: 1 is the most preferred; `u32::MAX` when none is given.
    rank: u32,
    quoted_printable: bool,
    charset: Option<String>,
}

impl Params {
    fn parse(head: &[u8]) -> Params {
        let head = String::from_utf8_lossy(head);
        let mut p = Params {
            rank: u32::MAX,
            ..Params::default()
        };
        for token in split_params(&head).into_iter().skip(1) {
            let token = token.trim();
            match token.split_once('=') {
                Some((key, value)) => {
                    let key = key.trim();
                    let value = value.trim().trim_matches('"');
                    if key.eq_ignore_ascii_case("TYPE") {
                        for t in value.split(',') {
                            p.add_type(t.trim().trim_matches('"'));
                        }
                    } else if key.eq_ignore_ascii_case("PREF") {
                        p.rank = p.rank.min(value.parse().unwrap_or(1).max(1));
                    } else if key.eq_ignore_ascii_case("ENCODING") {
                        if value.eq_ignore_ascii_case("QUOTED-PRINTABLE") {
                            p.quoted_printable = true;
                        }
                    } else if key.eq_ignore_ascii_case("CHARSET") {
                        p.charset = Some(value.to_ascii_lowercase());
                    }
                }
                None => {
                    if token.eq_ignore_ascii_case("QUOTED-PRINTABLE") {
                        p.quoted_printable = true;
                    } else if !["BASE64", "8BIT", "7BIT"]
                        .iter()
                        .any(|e| token.eq_ignore_ascii_case(e))
                    {
                        p.add_type(token);
                    }
                }
            }
        }
        p
    }

    fn add_type(&mut self, t: &str) {
        if t.is_empty() {
            return;
        }
        if t.eq_ignore_ascii_case("pref") {
            self.rank = self.rank.min(1);
            return;
        }
        let t = t.to_lowercase();
        if !self.types.contains(&t) {
            self.types.push(t);
        }
    }

    /// The value with its preference and a label of its types for the notes (the types every
    /// email or phone has, such as `internet` and `voice`, left out).
    fn candidate(&self, value: String) -> Candidate {
        let label = self
            .types
            .iter()
            .filter(|t| !matches!(t.as_str(), "internet" | "voice" | "x400" | "text"))
            .map(|t| sanitize(t, false))
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        Candidate {
            value,
            rank: self.rank,
            label,
        }
    }
}

/// Splits a head on the `;` outside double quotes.
fn split_params(head: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, b) in head.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b';' if !quoted => {
                out.push(&head[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&head[start..]);
    out
}

/// A raw value as text: quoted-printable resolved, then read in its CHARSET.
fn decode(raw: &[u8], params: &Params) -> String {
    let bytes: Cow<[u8]> = if params.quoted_printable {
        Cow::Owned(quoted_printable(raw))
    } else {
        Cow::Borrowed(raw)
    };
    match params.charset.as_deref() {
        Some(
            "iso-8859-1" | "iso8859-1" | "iso_8859-1" | "latin1" | "latin-1" | "l1"
            | "windows-1252" | "cp1252" | "x-cp1252",
        ) => windows_1252(&bytes),
        _ => match std::str::from_utf8(&bytes) {
            Ok(s) => s.to_string(),
            // Not UTF-8 and no charset that says otherwise: old Windows exports are 1252.
            Err(_) => windows_1252(&bytes),
        },
    }
}

fn quoted_printable(raw: &[u8]) -> Vec<u8> {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if b == b'=' {
            if let (Some(h), Some(l)) = (
                raw.get(i + 1).copied().and_then(hex),
                raw.get(i + 2).copied().and_then(hex),
            ) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    out
}

/// Windows-1252, which is also how ISO-8859-1 is read in practice (its 0x80–0x9F controls are
/// never meant): bytes below 0x80 and from 0xA0 are the Unicode code points of the same value.
pub(crate) fn windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}',
        '\u{2021}', '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}',
        '\u{8F}', '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}',
        '\u{2014}', '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}',
        '\u{178}',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

/// Splits a structured value (N, ORG) on the `;` not escaped by a backslash. The parts keep
/// their escapes.
fn split_unescaped(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ';' {
            out.push(&s[start..i]);
            start = i + 1;
        }
    }
    out.push(&s[start..]);
    out
}

/// Resolves `\,` `\;` `\\` and (3.0 and 4.0) `\n` `\N`. In 2.1, where line breaks are
/// quoted-printable, a `\n` stays as written; any other backslash is kept.
fn unescape(s: &str, v21: bool) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(e @ (',' | ';' | '\\')) => out.push(e),
            Some('n' | 'N') if !v21 => out.push('\n'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/// Writes contacts as vCards: CRLF line ends, lines folded at 75 octets without splitting a
/// UTF-8 character, `,` `;` `\` and newlines escaped. Each card has VERSION, FN, N
/// (`last;first;;;`), EMAIL (`TYPE=INTERNET` in 3.0), TEL, TITLE, NOTE, ORG (the parent's name),
/// X-KITH-PARENT-KIND and UID (`kith-contact-<id>`); absent values are left out. Values go
/// through [`sanitize`] first.
pub fn write(contacts: &[Contact], version: Version) -> String {
    let mut out = String::with_capacity(contacts.len() * 256);
    for c in contacts {
        write_card(&mut out, c, version);
    }
    out
}

fn write_card(out: &mut String, c: &Contact, version: Version) {
    let f = &c.fields;
    let clean = |v: &Option<String>| {
        v.as_deref()
            .map(|s| sanitize(s, false).trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let first = clean(&f.first_name);
    let last = clean(&f.last_name);
    let full = clean(&f.full_name).unwrap_or_else(|| {
        [first.as_deref(), last.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    });

    fold(out, "BEGIN:VCARD");
    fold(
        out,
        match version {
            Version::V3 => "VERSION:3.0",
            Version::V4 => "VERSION:4.0",
        },
    );
    fold(out, &format!("FN:{}", escape(&full)));
    fold(
        out,
        &format!(
            "N:{};{};;;",
            escape(last.as_deref().unwrap_or("")),
            escape(first.as_deref().unwrap_or(""))
        ),
    );
    if let Some(email) = clean(&f.email) {
        let name = match version {
            Version::V3 => "EMAIL;TYPE=INTERNET",
            Version::V4 => "EMAIL",
        };
        fold(out, &format!("{name}:{}", escape(&email)));
    }
    if let Some(phone) = clean(&f.phone) {
        fold(out, &format!("TEL:{}", escape(&phone)));
    }
    if let Some(title) = clean(&f.title) {
        fold(out, &format!("TITLE:{}", escape(&title)));
    }
    if let Some(notes) = f.notes.as_deref() {
        let notes = sanitize(notes, true);
        let notes = notes.trim();
        if !notes.is_empty() {
            fold(out, &format!("NOTE:{}", escape(notes)));
        }
    }
    let org = sanitize(&c.parent_name, false);
    let org = org.trim();
    if !org.is_empty() {
        fold(out, &format!("ORG:{}", escape(org)));
    }
    fold(out, &format!("X-KITH-PARENT-KIND:{}", c.parent_kind.key()));
    fold(out, &format!("UID:kith-contact-{}", c.id));
    fold(out, "END:VCARD");
}

/// Escapes a text value: `\` `,` `;` and line breaks.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out
}

/// Writes one content line, folded so that no line exceeds 75 octets: a continuation starts with
/// a space, and a UTF-8 character is never split.
fn fold(out: &mut String, line: &str) {
    const MAX: usize = 75;
    let mut start = 0;
    let mut room = MAX;
    while line.len() - start > room {
        let mut end = start + room;
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        out.push_str(&line[start..end]);
        out.push_str("\r\n ");
        start = end;
        room = MAX - 1;
    }
    out.push_str(&line[start..]);
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn physical_lines_end_at_crlf_lf_or_cr() {
        let lines: Vec<_> = PhysicalLines {
            rest: b"a\r\nb\nc\rd\r\r\ne",
            number: 0,
        }
        .collect();
        let expected: Vec<(usize, &[u8])> = vec![
            (1, b"a"),
            (2, b"b"),
            (3, b"c"),
            (4, b"d"),
            (5, b""),
            (6, b"e"),
        ];
        assert_eq!(lines, expected);
    }

    #[test]
    fn quoted_printable_and_charsets() {
        assert_eq!(quoted_printable(b"M=FCller=3D=zz="), b"M\xFCller==zz=");
        assert_eq!(windows_1252(b"M\xFCller \x96 \x80"), "Müller – €");
    }

    #[test]
    fn unescaping_and_splitting() {
        assert_eq!(split_unescaped(r"a\;b;c\\;d"), vec![r"a\;b", r"c\\", "d"]);
        assert_eq!(unescape(r"a\,b\;c\\d\ne\Nf\x", false), "a,b;c\\d\ne\nf\\x");
        assert_eq!(unescape(r"a\nb\;c", true), "a\\nb;c");
    }

    #[test]
    fn tel_uris() {
        assert_eq!(tel_value("tel:+1-555-0100"), "+1-555-0100");
        assert_eq!(tel_value("TEL:+1-555-0199;ext=42"), "+1-555-0199 ext. 42");
        assert_eq!(tel_value(" +44 20 7946 0958 "), "+44 20 7946 0958");
    }

    #[test]
    fn folding_keeps_characters_whole() {
        let mut out = String::new();
        fold(&mut out, &format!("NOTE:{}", "é".repeat(100)));
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{line:?}");
        }
        let unfolded = out.trim_end().replace("\r\n ", "");
        assert_eq!(unfolded, format!("NOTE:{}", "é".repeat(100)));
    }
}
