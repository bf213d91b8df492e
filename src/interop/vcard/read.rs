//! Reading vCards 2.1, 3.0 and 4.0 into [`Card`]s.
//!
//! The reader works on bytes: it splits the file into physical lines (CR LF, LF or a lone CR),
//! unfolds them into logical lines (a continuation starts with a space or a tab; a
//! quoted-printable value ending in `=` continues on the next line; a 2.1 BASE64 blob runs until
//! a blank line or the next property), splits each logical line into group, name, parameters
//! and value, and decodes the value (quoted-printable, then the CHARSET, then the `\` escapes).
//!
//! What kith models goes into the fields; every other property goes into `extra` as its
//! unfolded line, written 3.0 style when it came in 2.1's (bare types, quoted-printable, a
//! CHARSET: 3.0 and 4.0 have none of them, and `extra` is written into 3.0 and 4.0 cards).

use super::{
    decode, escape_breaks, find_colon, group_and_name, is_not_kept, prop_name, single,
    split_unescaped, unescape, Card, CardError, Params,
};
use crate::domain::contact::normalize_label;
use crate::domain::validate::{self, sanitize};
use crate::domain::{ContactFields, Labeled, ParentKind};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::iter::Peekable;

/// Reads every card of a file. A broken card is an `Err` with its line number; the cards after
/// it are still read.
///
/// A card needs a name: its FN, else its N; a card with neither is named after its NICKNAME,
/// the local part of its email address or its ORG, with a warning. Of several EMAIL or TEL
/// the preferred one (`TYPE=pref`, 2.1's bare `PREF`, 4.0's lowest `PREF=n`) is marked so and
/// becomes the contact's `email` / `phone`, else the first.
pub fn parse(bytes: &[u8]) -> Vec<Result<Card, CardError>> {
    // A UTF-16 file (as some phones and Outlook save) is read as the UTF-8 it says; every other
    // file is read byte by byte, each value in its own CHARSET.
    let widened;
    let bytes = match crate::interop::text::utf16(bytes) {
        Some(_) => {
            widened = crate::interop::text::decode(bytes).into_owned();
            widened.as_bytes()
        }
        None => bytes,
    };
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
        let name = prop_name(&text[..colon]);
        let value = text[colon + 1..].trim_ascii();
        if name.eq_ignore_ascii_case(b"BEGIN") && value.eq_ignore_ascii_case(b"VCARD") {
            if let Some(card) = current.take() {
                out.push(Err(CardError {
                    line: card.line,
                    message: format!(
                        "card has no END:VCARD before the next BEGIN:VCARD at line {}",
                        logical.line
                    ),
                }));
            }
            current = Some(CardBuilder {
                line: logical.line,
                props: Vec::new(),
            });
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
                if name.eq_ignore_ascii_case(b"END") && value.eq_ignore_ascii_case(b"VCARD") {
                    if let Some(card) = current.take() {
                        out.push(card.finish());
                    }
                } else {
                    card.props.push(RawProp {
                        line: logical.line,
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
    let mut short = crate::display::take_chars(s, 40).to_string();
    if short.len() < s.len() {
        short.push('…');
    }
    format!("{short:?}")
}

/// The physical lines of a file with their 1-based numbers; CR LF, LF, a lone CR and CR CR LF
/// all end a line.
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
                // CR CR LF is one line end: a CR LF file that went through a text-mode copy
                // (iOS exports come so), not a blank line after each line.
                let skip = match (rest[i], rest.get(i + 1), rest.get(i + 2)) {
                    (b'\r', Some(b'\n'), _) => 2,
                    (b'\r', Some(b'\r'), Some(b'\n')) => 3,
                    _ => 1,
                };
                self.rest = &rest[i + skip..];
                Some((self.number, &rest[..i]))
            }
        }
    }
}

/// A content line after unfolding.
struct Logical<'a> {
    line: usize,
    text: Cow<'a, [u8]>,
    /// Index of the `:` between head and value, if the line has one.
    colon: Option<usize>,
}

fn next_logical<'a>(lines: &mut Peekable<PhysicalLines<'a>>) -> Option<Logical<'a>> {
    let (line, first) = lines.next()?;
    let mut colon = find_colon(first);
    let (mut qp, mut b64) = colon.map_or((false, false), |c| encodings(&first[..c]));
    let mut text = Cow::Borrowed(first);
    let mut last = first;
    while let Some(&(_, next)) = lines.peek() {
        if qp && last.last() == Some(&b'=') && !is_end_line(next) {
            // A quoted-printable soft line break: the `=` goes, the next line follows as is.
            let t = text.to_mut();
            t.pop();
            t.extend_from_slice(next);
        } else if matches!(next.first(), Some(b' ' | b'\t')) {
            text.to_mut().extend_from_slice(&next[1..]);
            if colon.is_none() {
                // A head folded before its colon: classify it once the colon shows up.
                colon = find_colon(&text);
                if let Some(c) = colon {
                    (qp, b64) = encodings(&text[..c]);
                }
            }
        } else if b64 && !next.is_empty() && !next.contains(&b':') {
            // 2.1 BASE64 data written on unindented lines, up to a blank line.
            text.to_mut().extend_from_slice(next);
        } else {
            break;
        }
        last = next;
        lines.next();
    }
    Some(Logical { line, text, colon })
}

fn is_end_line(line: &[u8]) -> bool {
    line.len() >= 9 && line[..9].eq_ignore_ascii_case(b"END:VCARD")
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

struct RawProp<'a> {
    line: usize,
    text: Cow<'a, [u8]>,
    colon: usize,
}

struct CardBuilder<'a> {
    line: usize,
    props: Vec<RawProp<'a>>,
}

impl CardBuilder<'_> {
    fn finish(self) -> Result<Card, CardError> {
        let props: Vec<Prop> = self.props.iter().map(Prop::new).collect();
        let v21 = props
            .iter()
            .any(|p| p.name == "VERSION" && p.raw.trim_ascii().starts_with(b"2."));
        let mut r = Reader::new(v21, &props);
        for (i, p) in props.iter().enumerate() {
            r.take(i, p);
        }
        r.finish(self.line)
    }
}

/// A property of a card, split into its parts.
struct Prop<'p> {
    line: usize,
    /// The whole unfolded line.
    text: &'p [u8],
    /// Lower-cased, for matching an `X-ABLABEL` to its property.
    group: Option<String>,
    /// Upper-cased.
    name: String,
    raw: &'p [u8],
    params: Params,
}

impl<'p> Prop<'p> {
    fn new(raw: &'p RawProp<'_>) -> Prop<'p> {
        let head = &raw.text[..raw.colon];
        let (group, name) = group_and_name(head);
        Prop {
            line: raw.line,
            text: &raw.text,
            group: group.map(|g| String::from_utf8_lossy(g).to_lowercase()),
            name: String::from_utf8_lossy(name).to_ascii_uppercase(),
            raw: &raw.text[raw.colon + 1..],
            params: Params::parse(&String::from_utf8_lossy(head)),
        }
    }
}

/// An EMAIL, TEL, ADR or URL before the card's preferred one is known.
struct Entry {
    value: String,
    label: Option<String>,
    rank: u32,
}

/// The state of reading one card.
struct Reader<'p> {
    v21: bool,
    props: &'p [Prop<'p>],
    /// Group → index of its `X-ABLABEL`.
    ablabels: HashMap<String, usize>,
    has_title: bool,
    fields: ContactFields,
    n_seen: bool,
    org_seen: bool,
    org: Option<String>,
    parent_kind: Option<ParentKind>,
    role: Option<String>,
    notes: Vec<String>,
    nicknames: Vec<String>,
    emails: Vec<Entry>,
    phones: Vec<Entry>,
    addresses: Vec<Entry>,
    urls: Vec<Entry>,
    /// Groups whose `X-ABLABEL` became the label of a property kith models.
    labelled: HashSet<String>,
    /// Indices of the properties that go into `extra`.
    kept: Vec<usize>,
    warnings: Vec<String>,
}

impl<'p> Reader<'p> {
    fn new(v21: bool, props: &'p [Prop<'p>]) -> Reader<'p> {
        let mut ablabels = HashMap::new();
        for (i, p) in props.iter().enumerate() {
            if let (Some(g), "X-ABLABEL") = (&p.group, p.name.as_str()) {
                ablabels.entry(g.clone()).or_insert(i);
            }
        }
        Reader {
            v21,
            props,
            ablabels,
            has_title: props
                .iter()
                .any(|p| p.name == "TITLE" && !p.raw.trim_ascii().is_empty()),
            fields: ContactFields::default(),
            n_seen: false,
            org_seen: false,
            org: None,
            parent_kind: None,
            role: None,
            notes: Vec::new(),
            nicknames: Vec::new(),
            emails: Vec::new(),
            phones: Vec::new(),
            addresses: Vec::new(),
            urls: Vec::new(),
            labelled: HashSet::new(),
            kept: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The value as text, escapes resolved.
    fn text(&self, p: &Prop) -> String {
        unescape(&decode(p.raw, &p.params), self.v21)
    }

    /// A list value (NICKNAME, CATEGORIES, one part of N) as its items.
    fn items(&self, raw: &str) -> Vec<String> {
        split_unescaped(raw, ',')
            .into_iter()
            .filter_map(|item| single(&unescape(item, self.v21)))
            .collect()
    }

    fn take(&mut self, i: usize, p: &Prop) {
        match p.name.as_str() {
            "X-KITH-PARENT-KIND" => {
                if self.parent_kind.is_none() {
                    self.parent_kind = ParentKind::parse(&sanitize(&self.text(p), false));
                }
            }
            // Written afresh by kith, or (X-ABLABEL) decided once the card is read.
            name if is_not_kept(name) => {}
            "X-ABLABEL" => {}
            "FN" => self.once(i, p, |f| &mut f.full_name),
            "N" if self.n_seen => self.kept.push(i),
            "N" => self.name(p),
            "NICKNAME" => {
                let items = self.items(&decode(p.raw, &p.params));
                self.nicknames.extend(items);
            }
            "CATEGORIES" => {
                let items = self.items(&decode(p.raw, &p.params));
                self.fields.tags.extend(items);
            }
            "EMAIL" => self.email(p),
            "TEL" => self.tel(i, p),
            "ADR" => self.address(p),
            "URL" => {
                if let Some(v) = single(&self.text(p)) {
                    let e = self.entry(p, v, &[]);
                    self.urls.push(e);
                }
            }
            "TITLE" => self.once(i, p, |f| &mut f.title),
            "ROLE" => match single(&self.text(p)) {
                Some(v) if !self.has_title && self.role.is_none() => self.role = Some(v),
                Some(_) => self.kept.push(i),
                None => {}
            },
            "NOTE" => {
                let note = sanitize(&self.text(p), true);
                let note = note.trim();
                if !note.is_empty() {
                    self.notes.push(note.to_string());
                }
            }
            "ORG" => self.org(i, p),
            "UID" => self.once(i, p, |f| &mut f.uid),
            "BDAY" => {
                self.date(i, p, false);
            }
            "ANNIVERSARY" | "X-ANNIVERSARY" => {
                self.date(i, p, true);
            }
            "X-ABDATE" if self.is_anniversary(p) => {
                if self.date(i, p, true) {
                    self.labelled.extend(p.group.clone());
                }
            }
            "PHOTO" if p.raw.trim_ascii().is_empty() => {}
            "PHOTO" if self.fields.photo.is_none() => self.fields.photo = Some(self.kept_line(p)),
            _ => self.kept.push(i),
        }
    }

    /// A property a contact has once: the first that says something; a second is kept as it
    /// came (4.0's ALTID variants, an exporter's repeats).
    fn once(&mut self, i: usize, p: &Prop, slot: fn(&mut ContactFields) -> &mut Option<String>) {
        let Some(value) = single(&self.text(p)) else {
            return;
        };
        let slot = slot(&mut self.fields);
        if slot.is_none() {
            *slot = Some(value);
        } else {
            self.kept.push(i);
        }
    }

    /// N: family; given; additional; prefix; suffix, each a list.
    fn name(&mut self, p: &Prop) {
        self.n_seen = true;
        let value = decode(p.raw, &p.params);
        let parts = split_unescaped(&value, ';');
        let part = |i: usize| {
            let items = self.items(parts.get(i).copied().unwrap_or(""));
            Some(items.join(", ")).filter(|s| !s.is_empty())
        };
        let [last, first, middle, prefix, suffix] = [0, 1, 2, 3, 4].map(part);
        let f = &mut self.fields;
        (f.last_name, f.first_name, f.middle_name) = (last, first, middle);
        (f.prefix, f.suffix) = (prefix, suffix);
    }

    fn email(&mut self, p: &Prop) {
        let text = self.text(p);
        let text = text.trim();
        let text = strip_prefix_ci(text, "mailto:").unwrap_or(text);
        let Some(value) = single(text) else { return };
        match validate::email("email", &value) {
            Ok(Some(address)) => {
                let e = self.entry(p, address, &["internet"]);
                self.emails.push(e);
            }
            Ok(None) => {}
            Err(e) => self
                .warnings
                .push(format!("EMAIL on line {} dropped: {}", p.line, e.message)),
        }
    }

    fn tel(&mut self, i: usize, p: &Prop) {
        let Some(value) = single(&tel_value(&self.text(p))) else {
            return;
        };
        if let Err(e) = validate::phone_text("phone", &value) {
            self.warnings.push(format!(
                "TEL on line {} {}: kept as it came",
                p.line, e.message
            ));
            self.kept.push(i);
            return;
        }
        if value.chars().filter(char::is_ascii_digit).count() < 3 {
            self.warnings.push(format!(
                "TEL {value:?} on line {} has fewer than 3 digits: kept as typed",
                p.line
            ));
        }
        let e = self.entry(p, value, &["voice"]);
        self.phones.push(e);
    }

    /// ADR is kept as the card has it: seven parts, escapes and all.
    fn address(&mut self, p: &Prop) {
        // Quoted-printable line breaks are written as 3.0 writes them.
        let value = sanitize(escape_breaks(&decode(p.raw, &p.params)).trim(), false);
        if split_unescaped(&value, ';')
            .iter()
            .all(|part| part.trim().is_empty())
        {
            return;
        }
        let e = self.entry(p, value, &[]);
        self.addresses.push(e);
    }

    /// ORG's first part is the parent. The whole line is kept as well when it says more (units,
    /// parameters, a group): the writer puts it back in place of the bare name.
    fn org(&mut self, i: usize, p: &Prop) {
        if self.org_seen {
            self.kept.push(i);
            return;
        }
        self.org_seen = true;
        let value = decode(p.raw, &p.params);
        let parts = split_unescaped(&value, ';');
        self.org = parts.first().and_then(|s| single(&unescape(s, self.v21)));
        let units = parts[1..].iter().any(|s| !s.trim().is_empty());
        if units || p.params.beyond_encoding() || p.group.is_some() {
            self.kept.push(i);
        }
    }

    fn is_anniversary(&self, p: &Prop) -> bool {
        self.ablabel(p)
            .and_then(|l| normalize_label(&l))
            .is_some_and(|l| l.eq_ignore_ascii_case("anniversary"))
    }

    /// The text of the `X-ABLABEL` in the property's group.
    fn ablabel(&self, p: &Prop) -> Option<String> {
        let j = *self.ablabels.get(p.group.as_ref()?)?;
        single(&self.text(&self.props[j]))
    }

    /// BDAY or an anniversary into its field, and whether it went there; a second one, or one
    /// that is not a date (4.0's `VALUE=text:circa 1800`), is kept as it came.
    fn date(&mut self, i: usize, p: &Prop, anniversary: bool) -> bool {
        let Some(value) = single(&self.text(p)) else {
            return false;
        };
        let slot_taken = if anniversary {
            self.fields.anniversary.is_some()
        } else {
            self.fields.birthday.is_some()
        };
        if slot_taken {
            self.kept.push(i);
            return false;
        }
        let value = omit_year(&value, p.params.get("X-APPLE-OMIT-YEAR"));
        let date = if p.params.text_value {
            None
        } else {
            validate::date("date", &value).ok().flatten()
        };
        match date {
            Some(d) if anniversary => self.fields.anniversary = Some(d),
            Some(d) => self.fields.birthday = Some(d),
            None => {
                self.warnings.push(format!(
                    "{} {value:?} on line {} is not a date: kept as it came",
                    p.name, p.line
                ));
                self.kept.push(i);
                return false;
            }
        }
        true
    }

    /// A value with its label (the group's `X-ABLABEL`, else its types other than `defaults`)
    /// and its preference.
    fn entry(&mut self, p: &Prop, value: String, defaults: &[&str]) -> Entry {
        let mut label = None;
        if let Some(g) = &p.group {
            if self.ablabels.contains_key(g) {
                self.labelled.insert(g.clone());
                label = self.ablabel(p);
            }
        }
        if label.is_none() {
            let mut types: Vec<String> = Vec::new();
            for t in &p.params.types {
                if defaults.contains(&t.as_str()) {
                    continue;
                }
                if let Some(t) = normalize_label(&sanitize(t, false)) {
                    if !types.contains(&t) {
                        types.push(t);
                    }
                }
            }
            label = Some(types.join(",")).filter(|l| !l.is_empty());
        }
        Entry {
            value,
            label,
            rank: p.params.rank,
        }
    }

    /// A property for `extra`: its line as it came, 3.0 style when it was written 2.1 style.
    fn kept_line(&self, p: &Prop) -> String {
        let params = &p.params;
        let rewrite = self.v21
            || params.quoted_printable
            || params.base64
            || params.charset.is_some()
            || params.list.iter().any(|x| x.key.is_none());
        if !rewrite {
            return sanitize(&decode(p.text, params), false);
        }
        let head = &p.text[..p.text.len() - p.raw.len() - 1];
        let (group, name) = group_and_name(head);
        let mut out = String::new();
        if let Some(g) = group {
            out.push_str(&String::from_utf8_lossy(g));
            out.push('.');
        }
        out.push_str(&String::from_utf8_lossy(name));
        params.write_normalized(&mut out);
        out.push(':');
        let mut value = decode(p.raw, params);
        if params.base64 {
            value.retain(|c| !c.is_ascii_whitespace());
        } else {
            value = escape_breaks(&value);
        }
        out.push_str(&value);
        sanitize(&out, false)
    }

    fn finish(mut self, line: usize) -> Result<Card, CardError> {
        let mut f = std::mem::take(&mut self.fields);
        if f.title.is_none() {
            f.title = self.role.take();
        }
        if !self.nicknames.is_empty() {
            f.nickname = Some(self.nicknames.join(", "));
        }
        if !self.notes.is_empty() {
            f.notes = Some(self.notes.join("\n"));
        }
        if f.full_name.is_none() {
            let parts = [
                &f.prefix,
                &f.first_name,
                &f.middle_name,
                &f.last_name,
                &f.suffix,
            ];
            let joined: Vec<&str> = parts.into_iter().flatten().map(String::as_str).collect();
            f.full_name = Some(joined.join(" ")).filter(|s| !s.is_empty());
        }
        if f.full_name.is_none() {
            let local = self
                .emails
                .first()
                .and_then(|e| e.value.split('@').next())
                .map(str::to_string);
            let shown = f.nickname.clone().or(local).or_else(|| self.org.clone());
            match shown {
                Some(name) => {
                    self.warnings.push(format!("no name: shown as {name:?}"));
                    f.full_name = Some(name);
                }
                None => {
                    return Err(CardError {
                        line,
                        message: "card has no FN or N".to_string(),
                    })
                }
            }
        }
        (f.email, f.emails) = labeled(std::mem::take(&mut self.emails));
        (f.phone, f.phones) = labeled(std::mem::take(&mut self.phones));
        f.addresses = labeled(std::mem::take(&mut self.addresses)).1;
        f.urls = labeled(std::mem::take(&mut self.urls)).1;
        for (i, p) in self.props.iter().enumerate() {
            let unused_label = p.name == "X-ABLABEL"
                && !p.group.as_ref().is_some_and(|g| self.labelled.contains(g));
            if unused_label {
                self.kept.push(i);
            }
        }
        self.kept.sort_unstable();
        f.extra = self
            .kept
            .iter()
            .map(|&i| self.kept_line(&self.props[i]))
            .collect();
        Ok(Card {
            line,
            fields: f,
            org: self.org,
            parent_kind: self.parent_kind,
            warnings: self.warnings,
        })
    }
}

/// The entries as labelled values, the most preferred (lowest rank, then first) marked; and
/// that one's value, else the first's.
fn labeled(entries: Vec<Entry>) -> (Option<String>, Vec<Labeled>) {
    let best = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.rank != u32::MAX)
        .min_by_key(|(i, e)| (e.rank, *i))
        .map(|(i, _)| i);
    let one = entries.get(best.unwrap_or(0)).map(|e| e.value.clone());
    let all = entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| Labeled::new(e.value, e.label.as_deref(), Some(i) == best))
        .collect();
    (one, all)
}

/// Apple's year-less date, `BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-07`, as `--04-07`.
fn omit_year(value: &str, year: Option<&str>) -> String {
    match year.and_then(|y| value.strip_prefix(y.trim())) {
        Some(rest) => format!("--{}", rest.trim_start_matches('-')),
        None => value.to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn physical_lines_end_at_crlf_lf_or_cr() {
        let lines: Vec<_> = PhysicalLines {
            rest: b"a\r\nb\nc\rd\r\n\r\ne\r\r\nf",
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
            (7, b"f"),
        ];
        assert_eq!(lines, expected);
    }

    #[test]
    fn tel_uris() {
        assert_eq!(tel_value("tel:+1-555-0100"), "+1-555-0100");
        assert_eq!(tel_value("TEL:+1-555-0199;ext=42"), "+1-555-0199 ext. 42");
        assert_eq!(tel_value(" +44 20 7946 0958 "), "+44 20 7946 0958");
    }

    #[test]
    fn apple_year_less_dates() {
        assert_eq!(omit_year("1604-04-07", Some("1604")), "--04-07");
        assert_eq!(omit_year("16040407", Some("1604")), "--0407");
        assert_eq!(omit_year("1985-04-07", Some("1604")), "1985-04-07");
        assert_eq!(omit_year("1985-04-07", None), "1985-04-07");
    }

    #[test]
    fn kept_lines_are_written_3_0_style() {
        let card = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:A;B\r\n\
                    X-MS-TEL;VOICE;CALLBACK:(111) 555-4444\r\n\
                    LABEL;WORK;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:M=C3=BCnster=0D=0A=\r\n\
                    Germany\r\n\
                    KEY;X509;ENCODING=BASE64:\r\n MIIB\r\n  /jCC\r\n\r\nEND:VCARD\r\n";
        let got = parse(card.as_bytes());
        let card = got[0].as_ref().unwrap();
        assert_eq!(
            card.fields.extra,
            [
                "X-MS-TEL;TYPE=VOICE,CALLBACK:(111) 555-4444",
                "LABEL;TYPE=WORK:Münster\\nGermany",
                "KEY;TYPE=X509;ENCODING=b:MIIB/jCC",
            ]
        );
    }
}
