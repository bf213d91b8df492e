//! vCard: reading the address books people have (2.1, 3.0 and 4.0, as Apple Contacts, Google,
//! Outlook, Evolution and phones export them) and writing 3.0 or 4.0 that gives back every
//! property that came in.
//!
//! [`parse`] (in `read.rs`) turns a file into [`Card`]s: what kith models goes into the
//! contact's fields, everything else into `fields.extra` as unfolded content lines. [`write`]
//! (in `write.rs`) writes contacts, their `extra` lines among them. What both sides share, the
//! grammar of a content line, lives here.
//!
//! Everything read is untrusted: values go through [`sanitize`] before they reach a [`Card`].

mod read;
mod write;

pub use read::parse;
pub use write::{write, write_to};

use crate::domain::validate::sanitize;
use crate::domain::{ContactFields, ParentKind};
use std::borrow::Cow;
use std::fmt;

/// One card read from a file. Values are already passed through [`sanitize`] (control and bidi
/// characters removed; notes keep newlines): data from outside is untrusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// 1-based line of its BEGIN:VCARD in the file.
    pub line: usize,
    /// Names from FN and N (given, family, additional, prefix, suffix), every EMAIL, TEL, ADR
    /// and URL with its label and preference, TITLE (else ROLE), NOTE, NICKNAME, CATEGORIES,
    /// UID, BDAY, ANNIVERSARY, PHOTO, and every other property in `extra`. `email` and `phone`
    /// are the preferred ones.
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

/// Properties that never reach `extra`: the envelope, and what kith writes itself from its own
/// data (a REV or PRODID of the file would be stale the moment kith writes the card).
const NOT_KEPT: [&str; 6] = [
    "BEGIN",
    "END",
    "VERSION",
    "PRODID",
    "REV",
    "X-KITH-PARENT-KIND",
];

fn is_not_kept(name: &str) -> bool {
    NOT_KEPT.iter().any(|n| n.eq_ignore_ascii_case(name))
}

// ---------------------------------------------------------------------------------------------
// Content lines: group, name, parameters
// ---------------------------------------------------------------------------------------------

/// The group and the name of a head (`item1.EMAIL;type=pref` → `Some("item1")`, `EMAIL`).
fn group_and_name(head: &[u8]) -> (Option<&[u8]>, &[u8]) {
    let end = head.iter().position(|&b| b == b';').unwrap_or(head.len());
    let name = &head[..end];
    match name.iter().rposition(|&b| b == b'.') {
        Some(dot) => (Some(name[..dot].trim_ascii()), name[dot + 1..].trim_ascii()),
        None => (None, name.trim_ascii()),
    }
}

/// The property name of a head, without its group.
fn prop_name(head: &[u8]) -> &[u8] {
    group_and_name(head).1
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

/// Splits a head on the `;` outside double quotes; the first part is the (grouped) name.
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

/// One parameter as written: `KEY=value`, or 2.1's bare `value` (`TEL;WORK;VOICE`).
#[derive(Debug, Clone)]
struct Param {
    key: Option<String>,
    value: String,
}

/// The parameters of a property: as written (to write them back), and what kith reads from
/// them.
#[derive(Debug, Default)]
struct Params {
    list: Vec<Param>,
    /// TYPE values and 2.1's bare types, lower-cased, `pref` left out (it is `rank`).
    types: Vec<String>,
    /// Preference: 1 is the most preferred; `u32::MAX` when none is given.
    rank: u32,
    quoted_printable: bool,
    base64: bool,
    charset: Option<String>,
    /// `VALUE=text`: a BDAY or ANNIVERSARY that is words, not a date.
    text_value: bool,
}

/// 2.1's bare parameters that are not types: encodings and where the value is.
fn bare_kind(token: &str) -> BareKind {
    const ENCODINGS: [&str; 2] = ["8BIT", "7BIT"];
    const LOCATIONS: [&str; 4] = ["INLINE", "URL", "CID", "CONTENT-ID"];
    let is = |list: &[&str]| list.iter().any(|e| e.eq_ignore_ascii_case(token));
    if token.eq_ignore_ascii_case("QUOTED-PRINTABLE") {
        BareKind::QuotedPrintable
    } else if token.eq_ignore_ascii_case("BASE64") || token.eq_ignore_ascii_case("B") {
        BareKind::Base64
    } else if is(&ENCODINGS) {
        BareKind::Encoding
    } else if is(&LOCATIONS) {
        BareKind::Location
    } else {
        BareKind::Type
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BareKind {
    QuotedPrintable,
    Base64,
    Encoding,
    Location,
    Type,
}

impl Params {
    fn parse(head: &str) -> Params {
        let mut p = Params {
            rank: u32::MAX,
            ..Params::default()
        };
        for token in split_params(head).into_iter().skip(1) {
            let token = token.trim();
            if token.is_empty() {
                continue;
            }
            match token.split_once('=') {
                Some((key, value)) => {
                    let key = key.trim();
                    let bare = value.trim().trim_matches('"');
                    if key.eq_ignore_ascii_case("TYPE") {
                        for t in bare.split(',') {
                            p.add_type(t.trim().trim_matches('"'));
                        }
                    } else if key.eq_ignore_ascii_case("PREF") {
                        p.rank = p.rank.min(bare.parse().unwrap_or(1).max(1));
                    } else if key.eq_ignore_ascii_case("ENCODING") {
                        match bare_kind(bare) {
                            BareKind::QuotedPrintable => p.quoted_printable = true,
                            BareKind::Base64 => p.base64 = true,
                            _ => {}
                        }
                    } else if key.eq_ignore_ascii_case("CHARSET") {
                        p.charset = Some(bare.to_ascii_lowercase());
                    } else if key.eq_ignore_ascii_case("VALUE") {
                        p.text_value = bare.eq_ignore_ascii_case("text");
                    }
                    p.list.push(Param {
                        key: Some(key.to_string()),
                        value: value.trim().to_string(),
                    });
                }
                None => {
                    match bare_kind(token) {
                        BareKind::QuotedPrintable => p.quoted_printable = true,
                        BareKind::Base64 => p.base64 = true,
                        BareKind::Type => p.add_type(token),
                        BareKind::Encoding | BareKind::Location => {}
                    }
                    p.list.push(Param {
                        key: None,
                        value: token.to_string(),
                    });
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

    /// The value of the first `key=` parameter, unquoted.
    fn get(&self, key: &str) -> Option<&str> {
        self.list
            .iter()
            .find(|p| {
                p.key
                    .as_deref()
                    .is_some_and(|k| k.eq_ignore_ascii_case(key))
            })
            .map(|p| p.value.trim_matches('"'))
    }

    /// Whether the parameters say anything beyond how the value is encoded.
    fn beyond_encoding(&self) -> bool {
        self.list.iter().any(|p| match &p.key {
            Some(k) => !["ENCODING", "CHARSET"]
                .iter()
                .any(|e| e.eq_ignore_ascii_case(k)),
            None => bare_kind(&p.value) == BareKind::Type,
        })
    }

    /// The parameters written 3.0 style: 2.1's bare types become one `TYPE=`, base64 is
    /// `ENCODING=b`, and quoted-printable and CHARSET go (the value is decoded to UTF-8).
    fn write_normalized(&self, out: &mut String) {
        let mut bare_types: Vec<&str> = Vec::new();
        let mut types_at = None;
        let mut parts: Vec<String> = Vec::new();
        for p in &self.list {
            match &p.key {
                None => match bare_kind(&p.value) {
                    BareKind::Type => {
                        types_at.get_or_insert(parts.len());
                        bare_types.push(&p.value);
                    }
                    BareKind::Base64 => parts.push("ENCODING=b".to_string()),
                    BareKind::Location if p.value.eq_ignore_ascii_case("URL") => {
                        parts.push("VALUE=uri".to_string())
                    }
                    _ => {}
                },
                Some(k) if k.eq_ignore_ascii_case("CHARSET") => {}
                Some(k) if k.eq_ignore_ascii_case("ENCODING") => {
                    if bare_kind(p.value.trim_matches('"')) == BareKind::Base64 {
                        parts.push("ENCODING=b".to_string());
                    }
                }
                Some(k)
                    if k.eq_ignore_ascii_case("VALUE")
                        && p.value.trim_matches('"').eq_ignore_ascii_case("URL") =>
                {
                    parts.push("VALUE=uri".to_string())
                }
                Some(k) => parts.push(format!("{k}={}", p.value)),
            }
        }
        if let Some(at) = types_at {
            parts.insert(at, format!("TYPE={}", bare_types.join(",")));
        }
        for part in parts {
            out.push(';');
            out.push_str(&part);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Values: decoding, escaping
// ---------------------------------------------------------------------------------------------

/// A raw value as text: quoted-printable resolved, then read in its CHARSET.
fn decode(raw: &[u8], params: &Params) -> String {
    let bytes: Cow<[u8]> = if params.quoted_printable {
        Cow::Owned(quoted_printable(raw))
    } else {
        Cow::Borrowed(raw)
    };
    let labelled = params
        .charset
        .as_deref()
        .and_then(|c| encoding_rs::Encoding::for_label(c.trim().as_bytes()));
    match labelled {
        // The file says UTF-8: a bad byte is a bad byte, not a hint of another charset.
        Some(e) if e == encoding_rs::UTF_8 => String::from_utf8_lossy(&bytes).into_owned(),
        // ISO-8859-1 is read as Windows-1252, as encoding_rs (and every browser) does.
        Some(e) => e.decode_without_bom_handling(&bytes).0.into_owned(),
        // Not UTF-8 and no charset that says otherwise: old Windows exports are 1252.
        None => crate::interop::text::decode(&bytes).into_owned(),
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

/// Splits a value on the `sep` not escaped by a backslash (`;` between the parts of N, ADR and
/// ORG, `,` between the items of a list). The parts keep their escapes.
fn split_unescaped(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == sep {
            out.push(&s[start..i]);
            start = i + sep.len_utf8();
        }
    }
    out.push(&s[start..]);
    out
}

/// Resolves `\,` `\;` `\\` and (3.0 and 4.0) `\n` `\N`. In 2.1, where line breaks are
/// quoted-printable, a `\n` stays as written; any other backslash is kept. `\:` and `\"` are no
/// escapes in any version, but Apple writes URLs as `http\://…` and Google quotes as `\"`.
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
            Some(e @ (',' | ';' | ':' | '"' | '\\')) => out.push(e),
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

/// Line breaks (CR LF, LF or CR) as the `\n` escape: what a content line can hold.
fn escape_breaks(s: &str) -> String {
    s.replace("\r\n", "\\n").replace(['\r', '\n'], "\\n")
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

/// Media types of pictures, as 3.0's `TYPE=JPEG` names them.
fn image_type(t: &str) -> Option<String> {
    const FORMATS: [&str; 11] = [
        "jpeg", "jpg", "png", "gif", "bmp", "tiff", "tif", "webp", "heic", "heif", "svg",
    ];
    let lower = t.to_ascii_lowercase();
    if lower.contains('/') {
        return Some(lower);
    }
    FORMATS
        .contains(&lower.as_str())
        .then(|| match lower.as_str() {
            "jpg" => "image/jpeg".to_string(),
            "tif" => "image/tiff".to_string(),
            "svg" => "image/svg+xml".to_string(),
            _ => format!("image/{lower}"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_and_charsets() {
        assert_eq!(quoted_printable(b"M=FCller=3D=zz="), b"M\xFCller==zz=");
        let latin1 = Params {
            charset: Some("iso-8859-1".into()),
            ..Default::default()
        };
        assert_eq!(decode(b"M\xFCller \x96 \x80", &latin1), "Müller – €");
        let sjis = Params {
            charset: Some("SHIFT_JIS".into()),
            ..Default::default()
        };
        assert_eq!(
            decode(b"\x93\x63\x92\x86", &sjis),
            "田中",
            "any charset encoding_rs knows"
        );
        let utf8 = Params::parse("ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE");
        assert_eq!(decode(b"=C3=91=80", &utf8), "Ñ\u{FFFD}");
        assert_eq!(decode(b"M\xFCller", &Params::parse("ORG")), "Müller");
    }

    #[test]
    fn unescaping_and_splitting() {
        assert_eq!(
            split_unescaped(r"a\;b;c\\;d", ';'),
            vec![r"a\;b", r"c\\", "d"]
        );
        assert_eq!(split_unescaped(r"a\,b,c", ','), vec![r"a\,b", "c"]);
        assert_eq!(
            unescape(r#"a\,b\;c\\d\ne\Nf\x http\:// \"q\""#, false),
            "a,b;c\\d\ne\nf\\x http:// \"q\""
        );
        assert_eq!(unescape(r"a\nb\;c", true), "a\\nb;c");
    }

    #[test]
    fn parameters() {
        let p = Params::parse(r#"item1.TEL;TYPE="work,voice";PREF=2;type=pref;X-A="x;y""#);
        assert_eq!(p.types, ["work", "voice"]);
        assert_eq!(p.rank, 1);
        assert_eq!(p.get("x-a"), Some("x;y"));
        assert!(p.beyond_encoding());
        let p = Params::parse("PHOTO;JPEG;ENCODING=BASE64;CHARSET=utf-8;QUOTED-PRINTABLE;URL");
        assert!(p.base64 && p.quoted_printable);
        assert_eq!(p.types, ["jpeg"]);
        let mut out = String::new();
        p.write_normalized(&mut out);
        assert_eq!(out, ";TYPE=JPEG;ENCODING=b;VALUE=uri");
        assert!(!Params::parse("ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE").beyond_encoding());
        assert_eq!(
            group_and_name(b"item1.X-ABLabel;x=1"),
            (Some(&b"item1"[..]), &b"X-ABLabel"[..])
        );
    }
}
