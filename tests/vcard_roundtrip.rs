//! Every card of every vCard fixture goes through kith and comes out whole: read, made into the
//! contact the store would keep (`ContactFields::validated`), written as vCard 3.0 and as 4.0,
//! and every property of the original card must be in the output.
//!
//! Properties are compared after unfolding, decoding (quoted-printable, charset) and
//! unescaping, as name + parameters + value, by a reader of this file's own (the one under test
//! must not judge itself). What kith rewrites on purpose is normalized on both sides, and only
//! that:
//! - [`DROPPED`]: VERSION, PRODID and REV are not kept.
//! - [`PARAMS_NOT_KEPT`]: parameters kith does not keep on the properties it models.
//! - Groups are compared by what they tie together: an `X-ABLABEL` is a parameter of the other
//!   properties of its group, whatever the group is called.
//! - EMAIL, TEL, ADR, URL: the label (the TYPEs but `pref` and the defaults `internet` and
//!   `voice`, or the group's `X-ABLABEL`, in kith's spelling: `CELL` is `mobile`), and which one
//!   is preferred. An email address compares without case; one that is none is dropped (with a
//!   warning); the same value twice is one entry. A `tel:` URI is its number.
//! - NOTEs are one note; NICKNAME and CATEGORIES are their items; ROLE is the TITLE of a card
//!   without one; N's list items compare without the space after the comma.
//! - Dates: `1985-04-12`, `19850412`, `1985-04-12T10:00:00Z` and Apple's `X-APPLE-OMIT-YEAR`
//!   are one day each; 3.0's X-ANNIVERSARY and Apple's anniversary `X-ABDATE` are ANNIVERSARY.
//! - Pictures: 3.0's inline `ENCODING=b;TYPE=JPEG` and 4.0's `data:image/jpeg;base64,` are one.
//! - A value is compared sanitized (kith drops control characters) and trimmed; an empty
//!   value of a property kith models says nothing and need not come back.

use kith::domain::contact::normalize_label;
use kith::domain::validate::{self, sanitize};
use kith::domain::{Contact, ParentKind};
use kith::interop::vcard::{self, Version};
use kith::ops::import::UNFILED;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Properties kith drops on purpose: the version (the output has its own), the program that
/// made the file, and the file's revision time (kith writes the contact's own REV).
const DROPPED: [&str; 3] = ["VERSION", "PRODID", "REV"];

/// Parameters kith does not keep on the properties it models (it keeps the value, the TYPEs as
/// the label and the preference): the language of a name, a sort key, Evolution's ids, the
/// value type (kith writes each value in its version's default form). `X-APPLE-OMIT-YEAR` is
/// read into the date itself.
const PARAMS_NOT_KEPT: [&str; 6] = [
    "LANGUAGE",
    "SORT-AS",
    "ALTID",
    "X-COUCHDB-UUID",
    "VALUE",
    "X-APPLE-OMIT-YEAR",
];

/// The properties kith reads into fields of its own.
const MODELED: [&str; 17] = [
    "FN",
    "N",
    "EMAIL",
    "TEL",
    "ADR",
    "URL",
    "TITLE",
    "ROLE",
    "ORG",
    "NOTE",
    "UID",
    "NICKNAME",
    "CATEGORIES",
    "BDAY",
    "ANNIVERSARY",
    "X-ANNIVERSARY",
    "PHOTO",
];

/// The fixtures and the corpus files of this project. `outlook.vcf` and
/// `v21_quoted_printable_latin1.vcf` are Windows-1252 and Latin-1, which this file's reader does
/// not decode (`tests/vcard.rs` checks kith reads them).
fn files() -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(format!("{root}/tests/fixtures/vcard")).unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            out.push(f.unwrap().path().display().to_string());
        }
    }
    for f in std::fs::read_dir(format!("{root}/tests/corpus/vcard")).unwrap() {
        let path = f.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap();
        if !["outlook.vcf", "v21_quoted_printable_latin1.vcf"].contains(&name) {
            out.push(path.display().to_string());
        }
    }
    out.sort();
    out
}

// ---------------------------------------------------------------------------------------------
// This file's reader: cards as lists of raw properties
// ---------------------------------------------------------------------------------------------

struct Raw {
    group: Option<String>,
    /// Upper-cased.
    name: String,
    /// (KEY upper-cased, value) or (None, a 2.1 bare value).
    params: Vec<(Option<String>, String)>,
    value: String,
}

struct RawCard {
    /// The line of its BEGIN:VCARD, as kith numbers lines.
    line: usize,
    v21: bool,
    props: Vec<Raw>,
}

impl Raw {
    fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.as_deref() == Some(key))
            .map(|(_, v)| v.as_str())
    }

    /// Every TYPE value and bare 2.1 parameter, lower-cased.
    fn types(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (k, v) in &self.params {
            match k.as_deref() {
                Some("TYPE") => out.extend(v.split(',').map(|t| t.trim().to_lowercase())),
                None => out.push(v.to_lowercase()),
                _ => {}
            }
        }
        out
    }

    fn encoded(&self, what: &str) -> bool {
        self.params.iter().any(|(k, v)| {
            (k.is_none() || k.as_deref() == Some("ENCODING")) && v.eq_ignore_ascii_case(what)
        })
    }

    fn base64(&self) -> bool {
        self.encoded("BASE64") || self.encoded("B")
    }
}

/// Logical lines with the number of their first physical line: CR LF, LF, CR and CR CR LF end a
/// line; a line starting with a space or tab continues the last; so does any line after a
/// quoted-printable `=`, and an unindented 2.1 base64 line.
fn logical_lines(bytes: &[u8]) -> Vec<(usize, Vec<u8>)> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut physical: Vec<&[u8]> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < text.len() {
        let end = match &text[i..] {
            [b'\r', b'\r', b'\n', ..] => 3,
            [b'\r', b'\n', ..] => 2,
            [b'\r' | b'\n', ..] => 1,
            _ => 0,
        };
        if end > 0 {
            physical.push(&text[start..i]);
            i += end;
            start = i;
        } else {
            i += 1;
        }
    }
    if start < text.len() {
        physical.push(&text[start..]);
    }
    let mut out: Vec<(usize, Vec<u8>)> = Vec::new();
    for (n, line) in physical.into_iter().enumerate() {
        if let Some((_, last)) = out.last_mut() {
            let upper = String::from_utf8_lossy(last).to_uppercase();
            let head = upper.split(':').next().unwrap_or("");
            let qp = head.contains("QUOTED-PRINTABLE");
            let b64 = head.contains("BASE64");
            if qp && last.ends_with(b"=") && !line.starts_with(b"END:") {
                last.pop();
                last.extend_from_slice(line);
                continue;
            }
            if matches!(line.first(), Some(b' ' | b'\t')) {
                last.extend_from_slice(&line[1..]);
                continue;
            }
            if b64 && !line.is_empty() && !line.contains(&b':') {
                last.extend_from_slice(line);
                continue;
            }
        }
        if !line.iter().all(u8::is_ascii_whitespace) {
            out.push((n + 1, line.to_vec()));
        }
    }
    out
}

/// Splits on `sep` outside double quotes.
fn split_outside_quotes(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut quoted, mut from) = (false, 0);
    for (i, c) in s.char_indices() {
        if c == '"' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            parts.push(&s[from..i]);
            from = i + 1;
        }
    }
    parts.push(&s[from..]);
    parts
}

fn quoted_printable(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let hex = s
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (s[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

fn read_cards(bytes: &[u8]) -> Vec<RawCard> {
    let mut cards = Vec::new();
    let mut current: Option<RawCard> = None;
    for (line, bytes) in logical_lines(bytes) {
        // The head is ASCII in every fixture; a value is decoded once its encoding is known.
        let Some(colon) = find_head_end(&bytes) else {
            continue;
        };
        let head = String::from_utf8_lossy(&bytes[..colon]).into_owned();
        let raw_value = &bytes[colon + 1..];
        let parts = split_outside_quotes(&head, ';');
        let (group, name) = match parts[0].rsplit_once('.') {
            Some((g, n)) => (Some(g.to_lowercase()), n.to_uppercase()),
            None => (None, parts[0].to_uppercase()),
        };
        let value = String::from_utf8_lossy(raw_value).trim().to_uppercase();
        if name == "BEGIN" && value == "VCARD" {
            current = Some(RawCard {
                line,
                v21: false,
                props: Vec::new(),
            });
            continue;
        }
        let Some(card) = current.as_mut() else {
            continue;
        };
        if name == "END" && value == "VCARD" {
            cards.extend(current.take());
            continue;
        }
        let params = parts[1..]
            .iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (
                    Some(k.trim().to_uppercase()),
                    v.trim().trim_matches('"').into(),
                ),
                None => (None, p.trim().to_string()),
            })
            .collect();
        let mut raw = Raw {
            group,
            name,
            params,
            value: String::new(),
        };
        let decoded = if raw.encoded("QUOTED-PRINTABLE") {
            quoted_printable(raw_value)
        } else {
            raw_value.to_vec()
        };
        raw.value = String::from_utf8_lossy(&decoded).into_owned();
        if raw.name == "VERSION" {
            card.v21 = raw.value.trim().starts_with("2.");
        }
        card.props.push(raw);
    }
    cards
}

fn find_head_end(line: &[u8]) -> Option<usize> {
    let mut quoted = false;
    line.iter().position(|&b| {
        if b == b'"' {
            quoted = !quoted;
        }
        b == b':' && !quoted
    })
}

// ---------------------------------------------------------------------------------------------
// Normalized properties
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Prop {
    name: String,
    params: BTreeMap<String, BTreeSet<String>>,
    value: String,
}

fn prop(name: &str, value: String) -> Prop {
    Prop {
        name: name.to_string(),
        params: BTreeMap::new(),
        value,
    }
}

/// A property kith models, with whatever parameters it would lose beyond [`PARAMS_NOT_KEPT`]:
/// there should be none, and one that shows up is missing from the output.
fn modeled(p: &Raw, name: &str, value: String, labelled: bool) -> Prop {
    let mut params = kept_params(p);
    params.retain(|k, _| !PARAMS_NOT_KEPT.contains(&k.as_str()) && k != "PREF");
    if labelled {
        params.remove("TYPE");
    }
    Prop {
        name: name.to_string(),
        params,
        value,
    }
}

/// Resolves the escapes of a text value. 2.1 has only `\;` (and line breaks are
/// quoted-printable); `\:` and `\"` are no escapes but kith reads them as Apple and Google mean
/// them.
fn unescape(s: &str, v21: bool) -> String {
    // An escaped backslash is set aside first, so that `\\n` stays a backslash and an `n`.
    const HELD: &str = "\u{E000}";
    let mut s = s.replace("\\\\", HELD);
    if !v21 {
        s = s.replace("\\n", "\n").replace("\\N", "\n");
    }
    for c in [",", ";", ":", "\""] {
        s = s.replace(&format!("\\{c}"), c);
    }
    s.replace(HELD, "\\")
}

/// A value as a person reads it: line breaks as written in 2.1's quoted-printable, escapes
/// resolved, control characters gone (kith sanitizes what it reads), trimmed.
fn text(raw: &str, v21: bool) -> String {
    let raw = raw.replace("\r\n", "\n").replace('\r', "\n");
    sanitize(&unescape(&raw, v21), true).trim().to_string()
}

/// Splits a value on its unescaped `sep`: `;` between the parts of N, ADR and ORG, `,` between
/// the items of a list. The parts keep their escapes.
fn split_on(raw: &str, sep: char) -> Vec<String> {
    // Escaped backslashes and separators are set aside while the rest is split.
    let (backslash, separator) = ("\u{E000}", "\u{E001}");
    let escaped = format!("\\{sep}");
    raw.replace("\\\\", backslash)
        .replace(&escaped, separator)
        .split(sep)
        .map(|p| p.replace(separator, &escaped).replace(backslash, "\\\\"))
        .collect()
}

/// N, ADR, ORG: the parts, trailing empty ones left out. With `lists`, a part's comma list is
/// compared item by item (kith writes N's lists without the space after a comma).
fn structured(raw: &str, v21: bool, lists: bool) -> String {
    let mut parts: Vec<String> = split_on(raw, ';')
        .into_iter()
        .map(|p| {
            let t = text(&p, v21);
            if lists {
                t.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(",")
            } else {
                t
            }
        })
        .collect();
    while parts.last().is_some_and(String::is_empty) {
        parts.pop();
    }
    parts.join(";")
}

/// A label as kith spells labels (`cell`, `CELL`, `_$!<Mobile>!$_` are one).
fn label_word(l: &str) -> Option<String> {
    normalize_label(l).map(|l| l.to_lowercase())
}

/// The parameters of a property kith keeps as it came: TYPE as a set, 2.1's bare types as
/// TYPE, encodings and CHARSET gone (the value is decoded), `VALUE=URL` as 3.0's `uri`.
fn kept_params(p: &Raw) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (k, v) in &p.params {
        let upper = v.to_uppercase();
        let encoding = ["QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT", "INLINE"];
        match k.as_deref() {
            Some("ENCODING" | "CHARSET") => {}
            None if encoding.contains(&upper.as_str()) => {}
            Some("VALUE") | None if upper == "URL" || upper == "URI" => {
                out.entry("VALUE".into()).or_default().insert("uri".into());
            }
            Some("TYPE") | None => {
                let set = out.entry("TYPE".into()).or_default();
                set.extend(v.split(',').map(|t| t.trim().to_lowercase()));
            }
            Some(k) => {
                out.entry(k.to_string()).or_default().insert(v.clone());
            }
        }
    }
    out
}

/// Picture media types as 3.0's TYPE names them.
fn image_media(t: &str) -> Option<String> {
    let t = t.to_lowercase();
    match t.as_str() {
        "jpeg" | "jpg" => Some("image/jpeg".into()),
        "png" | "gif" | "bmp" | "tiff" | "webp" | "heic" => Some(format!("image/{t}")),
        _ if t.starts_with("image/") => Some(t),
        _ => None,
    }
}

/// PHOTO and LOGO: 3.0's `ENCODING=b;TYPE=JPEG:data` and 4.0's `data:image/jpeg;base64,data`
/// are one picture (kith writes the form of the version); a picture without a type has the type
/// its data starts with.
fn picture(p: &Raw) -> Prop {
    let mut params = kept_params(p);
    let types = params.remove("TYPE").unwrap_or_default();
    let mut media: Option<String> = types.iter().find_map(|t| image_media(t));
    let others: BTreeSet<String> = types
        .into_iter()
        .filter(|t| image_media(t).is_none())
        .collect();
    if !others.is_empty() {
        params.insert("TYPE".into(), others);
    }
    params.remove("VALUE");
    let value = p.value.trim();
    let data = if p.base64() {
        Some(
            value
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>(),
        )
    } else if let Some((head, data)) = value.strip_prefix("data:").and_then(|v| v.split_once(',')) {
        media = head.strip_suffix(";base64").map(str::to_string);
        Some(data.to_string())
    } else {
        None
    };
    let value = match data {
        Some(data) => {
            let sniffed = [("/9j/", "image/jpeg"), ("iVBORw0KGgo", "image/png")]
                .iter()
                .find(|(m, _)| data.starts_with(m))
                .map(|(_, t)| t.to_string());
            format!("{}|{data}", media.or(sniffed).unwrap_or_default())
        }
        None => format!("uri|{value}"),
    };
    Prop {
        name: p.name.clone(),
        params,
        value,
    }
}

/// A date as kith keeps dates: `1985-04-12` or `--04-12`, a time of day dropped, Apple's
/// `X-APPLE-OMIT-YEAR` year as no year. `None` for what is no date (kith keeps it as it came).
fn day(p: &Raw, v21: bool) -> Option<String> {
    if p.param("VALUE")
        .is_some_and(|v| v.eq_ignore_ascii_case("text"))
    {
        return None;
    }
    let mut v = text(&p.value, v21);
    if let Some(year) = p.param("X-APPLE-OMIT-YEAR") {
        if let Some(rest) = v.strip_prefix(year) {
            v = format!("--{}", rest.trim_start_matches('-'));
        }
    }
    validate::date("date", &v).ok().flatten()
}

/// An EMAIL, TEL, ADR or URL: its value, labels and preference rank.
struct Entry {
    value: String,
    labels: BTreeSet<String>,
    rank: u32,
}

fn normalize(card: &RawCard) -> BTreeSet<Prop> {
    let v21 = card.v21;
    let props = &card.props;
    let mut labels: HashMap<&str, String> = HashMap::new();
    let mut grouped: HashSet<&str> = HashSet::new();
    for p in props {
        let Some(g) = p.group.as_deref() else {
            continue;
        };
        if p.name == "X-ABLABEL" {
            labels.entry(g).or_insert_with(|| text(&p.value, v21));
        } else {
            grouped.insert(g);
        }
    }
    let label_of =
        |p: &Raw| -> Option<&String> { labels.get(p.group.as_deref()?).filter(|l| !l.is_empty()) };
    let has_title = props
        .iter()
        .any(|p| p.name == "TITLE" && !p.value.trim().is_empty());

    let mut out = BTreeSet::new();
    let mut notes = Vec::new();
    let mut entries: BTreeMap<&str, Vec<Entry>> = BTreeMap::new();
    for p in props {
        let name = p.name.as_str();
        let value = text(&p.value, v21);
        // An empty value says nothing; kith keeps empty properties only among the unknown.
        if DROPPED.contains(&name) || (MODELED.contains(&name) && value.is_empty()) {
            continue;
        }
        match name {
            "X-ABLABEL" if p.group.as_deref().is_some_and(|g| grouped.contains(g)) => {}
            "FN" | "TITLE" | "UID" => {
                out.insert(modeled(p, name, value, false));
            }
            // With no TITLE, kith takes the ROLE as the title.
            "ROLE" => {
                let name = if has_title { "ROLE" } else { "TITLE" };
                out.insert(modeled(p, name, value, false));
            }
            "N" => {
                out.insert(modeled(p, "N", structured(&p.value, v21, true), false));
            }
            "NOTE" => {
                // Several NOTEs are one note, a line each: compared below, whole.
                out.insert(modeled(p, "NOTE", String::new(), false));
                notes.push(value);
            }
            "NICKNAME" | "CATEGORIES" => {
                for item in kith_list(&p.value, v21) {
                    out.insert(modeled(p, name, item.to_lowercase(), false));
                }
            }
            "ORG" => {
                let mut params = kept_params(p);
                if let Some(l) = label_of(p) {
                    params.insert("X-ABLABEL".into(), [l.clone()].into());
                }
                out.insert(Prop {
                    name: "ORG".into(),
                    params,
                    value: structured(&p.value, v21, false),
                });
            }
            "EMAIL" | "TEL" | "ADR" | "URL" => {
                let value = match name {
                    "EMAIL" => {
                        let v = value.to_lowercase();
                        let v = v.strip_prefix("mailto:").unwrap_or(&v).to_string();
                        // An EMAIL that is no address is dropped, with a warning.
                        if validate::email("email", &v).is_err() {
                            continue;
                        }
                        v
                    }
                    "TEL" => tel(&value),
                    "ADR" => structured(&p.value, v21, false),
                    _ => value,
                };
                let defaults: &[&str] = match name {
                    "EMAIL" => &["internet", "pref"],
                    "TEL" => &["voice", "pref"],
                    _ => &["pref"],
                };
                let labels: BTreeSet<String> = match label_of(p) {
                    Some(l) => label_word(l).into_iter().collect(),
                    None => p
                        .types()
                        .iter()
                        .filter(|t| !defaults.contains(&t.as_str()))
                        .filter_map(|t| label_word(t))
                        .collect(),
                };
                let pref = p.types().iter().any(|t| t == "pref");
                let rank = match p.param("PREF").and_then(|r| r.parse().ok()) {
                    Some(r) => r,
                    None if pref => 1,
                    None => u32::MAX,
                };
                out.insert(modeled(p, name, String::new(), true));
                entries.entry(name).or_default().push(Entry {
                    value,
                    labels,
                    rank,
                });
            }
            "BDAY" | "ANNIVERSARY" | "X-ANNIVERSARY" | "X-ABDATE" => {
                let anniversary = match name {
                    "BDAY" => false,
                    "X-ABDATE" => label_of(p)
                        .and_then(|l| label_word(l))
                        .is_some_and(|l| l == "anniversary"),
                    _ => true,
                };
                match day(p, v21) {
                    // 3.0 has no ANNIVERSARY: kith writes X-ANNIVERSARY there.
                    Some(d) if anniversary => {
                        out.insert(modeled(p, "ANNIVERSARY", d, false));
                    }
                    Some(d) if name == "BDAY" => {
                        out.insert(modeled(p, "BDAY", d, false));
                    }
                    _ => {
                        out.insert(unknown(p, v21, label_of(p)));
                    }
                }
            }
            "PHOTO" | "LOGO" => {
                out.insert(picture(p));
            }
            _ => {
                out.insert(unknown(p, v21, label_of(p)));
            }
        }
    }
    if !notes.is_empty() {
        // Several NOTEs are one note, a line each.
        out.insert(prop("NOTE", notes.join("\n")));
    }
    for (name, list) in entries {
        // The same value twice is one entry with the first one's label (`validated`).
        let mut seen: Vec<&Entry> = Vec::new();
        for e in &list {
            if !seen.iter().any(|s| s.value == e.value) {
                seen.push(e);
            }
        }
        for e in &seen {
            let mut p = prop(name, e.value.clone());
            p.params.insert("LABEL".into(), e.labels.clone());
            out.insert(p);
        }
        // The preferred one stays preferred: lowest rank, then first; without any, the first.
        let best = seen
            .iter()
            .enumerate()
            .min_by_key(|(i, e)| (e.rank, *i))
            .map(|(_, e)| e);
        let ranked = seen.iter().any(|e| e.rank != u32::MAX);
        if let (Some(best), true) = (best, ranked || seen.len() == 1) {
            out.insert(prop(&format!("{name} (preferred)"), best.value.clone()));
        }
    }
    out
}

/// A property kith does not model: kept as it came, its group's label with it.
fn unknown(p: &Raw, v21: bool, label: Option<&String>) -> Prop {
    let mut params = kept_params(p);
    if let Some(l) = label {
        params.insert("X-ABLABEL".into(), [l.clone()].into());
    }
    let value = if p.base64() {
        p.value.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        text(&p.value, v21)
    };
    Prop {
        name: p.name.clone(),
        params,
        value,
    }
}

/// A list value's items; kith joins a NICKNAME's items with `, ` and splits them there again.
fn kith_list(raw: &str, v21: bool) -> Vec<String> {
    split_on(raw, ',')
        .into_iter()
        .map(|i| text(&i, v21))
        .filter(|i| !i.is_empty())
        .collect()
}

/// A TEL as kith keeps it: a `tel:` URI as its number, its `ext` as ` ext. `.
fn tel(value: &str) -> String {
    let Some(uri) = value
        .get(..4)
        .filter(|s| s.eq_ignore_ascii_case("tel:"))
        .map(|_| &value[4..])
    else {
        return value.to_string();
    };
    let mut parts = uri.split(';');
    let mut number = parts.next().unwrap_or_default().to_string();
    for ext in parts.filter_map(|p| p.strip_prefix("ext=")) {
        number = format!("{number} ext. {ext}");
    }
    number
}

// ---------------------------------------------------------------------------------------------
// The round trip
// ---------------------------------------------------------------------------------------------

/// The contact kith keeps for a card, as an import makes it.
fn contact(card: &vcard::Card) -> Contact {
    let (fields, phone_e164) = card
        .fields
        .validated(None)
        .unwrap_or_else(|e| panic!("card at line {}: {e}", card.line));
    Contact {
        id: 1,
        parent_id: 1,
        parent_kind: card.parent_kind.unwrap_or(ParentKind::Lead),
        parent_name: card.org.clone().unwrap_or_else(|| UNFILED.to_string()),
        fields,
        phone_e164,
        moved_to: None,
        created_at: "2025-01-02T03:04:05Z".into(),
        updated_at: "2025-01-02T03:04:05Z".into(),
        version: 1,
        every_days: None,
    }
}

#[test]
fn every_property_of_every_fixture_card_comes_out_in_3_0_and_4_0() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for file in files() {
        let bytes = std::fs::read(&file).unwrap();
        let ours = read_cards(&bytes);
        for card in vcard::parse(&bytes).into_iter().flatten() {
            let original = ours
                .iter()
                .find(|c| c.line == card.line)
                .unwrap_or_else(|| panic!("{file}: no card at line {}", card.line));
            let want = normalize(original);
            let c = contact(&card);
            for version in [Version::V3, Version::V4] {
                let out = vcard::write(std::slice::from_ref(&c), version);
                let written = read_cards(out.as_bytes());
                assert_eq!(written.len(), 1, "{file}: {out}");
                let got = normalize(&written[0]);
                let missing: Vec<&Prop> = want.difference(&got).collect();
                if !missing.is_empty() {
                    failures.push(format!(
                        "{file}, card at line {}, {version:?}: missing {missing:#?}\n\
                         written:\n{out}",
                        card.line
                    ));
                }
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(checked >= 40, "only {checked} cards");
}

#[test]
fn the_comparison_notices_a_lost_property() {
    let card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nitem1.TEL:+44 1\r\n\
                 item1.X-ABLabel:Nokia\r\nX-A;X-P=1:b\r\nEND:VCARD\r\n";
    let want = normalize(&read_cards(card)[0]);
    let lost = [
        &b"BEGIN:VCARD\r\nFN:Ada\r\nTEL:+44 1\r\nX-A;X-P=1:b\r\nEND:VCARD\r\n"[..],
        b"BEGIN:VCARD\r\nFN:Ada\r\nitem2.TEL:+44 1\r\nitem2.X-ABLABEL:Nokia\r\nX-A:b\r\n\
          END:VCARD\r\n",
    ];
    for out in lost {
        let got = normalize(&read_cards(out)[0]);
        assert!(want.difference(&got).next().is_some());
    }
    let same = b"BEGIN:VCARD\r\nFN:Ada\r\nitem2.TEL:+44 1\r\nitem2.X-ABLABEL:Nokia\r\n\
                 X-A;X-P=1:b\r\nEND:VCARD\r\n";
    let got = normalize(&read_cards(same)[0]);
    assert_eq!(want.difference(&got).count(), 0);
}
