//! Writing contacts as vCard 3.0 or 4.0: what kith models, then every `extra` line as it came.

use super::{
    escape, escape_breaks, find_colon, group_and_name, image_type, is_not_kept, split_unescaped,
    unescape, Params, Version,
};
use crate::domain::validate::{self, sanitize};
use crate::domain::{Contact, Labeled};
use std::borrow::Cow;
use std::collections::HashSet;

/// Writes contacts as vCards: CRLF line ends, lines folded at 75 octets without splitting a
/// UTF-8 character, `,` `;` `\` and newlines escaped. Each card has VERSION, FN, N (all five
/// parts), NICKNAME, every EMAIL (`TYPE=INTERNET` in 3.0) and TEL with its label as TYPE (or,
/// for a label of the file's own, an `X-ABLABEL` in the same group) and the preferred one first
/// and marked (`TYPE=pref` in 3.0, `PREF=1` in 4.0) when there are several, ADR, URL, TITLE,
/// BDAY, ANNIVERSARY (`X-ANNIVERSARY` in 3.0), CATEGORIES, NOTE, ORG (the parent's name),
/// PHOTO, the `extra` lines, X-KITH-PARENT-KIND, UID (the contact's, else
/// `kith-contact-<id>`) and REV; absent values are left out. Values go through [`sanitize`]
/// first.
pub fn write(contacts: &[Contact], version: Version) -> String {
    let mut out = String::with_capacity(contacts.len() * 256);
    for c in contacts {
        write_card(&mut out, c, version);
    }
    out
}

/// [`write`] to `out`, card by card.
pub fn write_to(
    out: &mut dyn std::io::Write,
    contacts: &[Contact],
    version: Version,
) -> std::io::Result<()> {
    let mut card = String::with_capacity(1024);
    for c in contacts {
        card.clear();
        write_card(&mut card, c, version);
        out.write_all(card.as_bytes())?;
    }
    Ok(())
}

fn clean(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(|s| sanitize(s, false).trim().to_string())
        .filter(|s| !s.is_empty())
}

struct CardWriter<'o> {
    out: &'o mut String,
    version: Version,
    /// Groups the `extra` lines use: a label group of kith's own must not join them.
    taken: HashSet<String>,
    next_group: usize,
}

fn write_card(out: &mut String, c: &Contact, version: Version) {
    let f = &c.fields;
    let extra: Vec<Extra> = f.extra.iter().filter_map(|l| Extra::parse(l)).collect();
    let mut w = CardWriter {
        out,
        version,
        taken: extra
            .iter()
            .filter_map(|e| e.group.as_ref().map(|g| g.to_lowercase()))
            .collect(),
        next_group: 1,
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

    w.line("BEGIN:VCARD");
    w.line(match version {
        Version::V3 => "VERSION:3.0",
        Version::V4 => "VERSION:4.0",
    });
    w.line(&format!("FN:{}", escape(&full)));
    w.line(&format!(
        "N:{};{};{};{};{}",
        escape(last.as_deref().unwrap_or("")),
        escape(first.as_deref().unwrap_or("")),
        list(&f.middle_name),
        list(&f.prefix),
        list(&f.suffix)
    ));
    if let Some(nick) = Some(list(&f.nickname)).filter(|n| !n.is_empty()) {
        w.line(&format!("NICKNAME:{nick}"));
    }
    let emails = preferred_first(&f.email, &f.emails, |a, b| a.eq_ignore_ascii_case(b));
    for e in &emails {
        w.labeled("EMAIL", &escape(&e.value), e, emails.len() > 1);
    }
    let phones = preferred_first(&f.phone, &f.phones, |a, b| a == b);
    for p in &phones {
        w.labeled("TEL", &escape(&p.value), p, phones.len() > 1);
    }
    let addresses = preferred_first(&None, &f.addresses, |a, b| a == b);
    for a in &addresses {
        w.labeled("ADR", &address(&a.value), a, addresses.len() > 1);
    }
    let urls = preferred_first(&None, &f.urls, |a, b| a == b);
    for u in &urls {
        // A URI is no text value: vCard readers take it as it stands.
        w.labeled("URL", &u.value, u, urls.len() > 1);
    }
    if let Some(title) = clean(&f.title) {
        w.line(&format!("TITLE:{}", escape(&title)));
    }
    if let Some(bday) = clean(&f.birthday) {
        w.line(&format!("BDAY:{}", date(&bday, version)));
    }
    if let Some(day) = clean(&f.anniversary) {
        let name = match version {
            Version::V3 => "X-ANNIVERSARY",
            Version::V4 => "ANNIVERSARY",
        };
        w.line(&format!("{name}:{}", date(&day, version)));
    }
    let tags: Vec<String> = f
        .tags
        .iter()
        .filter_map(|t| clean(&Some(t.clone())))
        .map(|t| escape(&t))
        .collect();
    if !tags.is_empty() {
        w.line(&format!("CATEGORIES:{}", tags.join(",")));
    }
    if let Some(notes) = f.notes.as_deref() {
        let notes = sanitize(notes, true);
        let notes = notes.trim();
        if !notes.is_empty() {
            w.line(&format!("NOTE:{}", escape(notes)));
        }
    }
    let org = sanitize(&c.parent_name, false);
    let org = org.trim();
    // The card's own ORG line, units and all, when it still names the parent.
    let own_org = extra.iter().position(|e| e.is_org_of(org));
    match own_org {
        Some(i) => w.line(&extra[i].line),
        None if !org.is_empty() => w.line(&format!("ORG:{}", escape(org))),
        None => {}
    }
    if let Some(photo) = f.photo.as_deref().and_then(Extra::parse) {
        w.line(&photo.for_version(version));
    }
    for (i, e) in extra.iter().enumerate() {
        if Some(i) != own_org && !e.name.eq_ignore_ascii_case("UID") {
            w.line(&e.for_version(version));
        }
    }
    w.line(&format!("X-KITH-PARENT-KIND:{}", c.parent_kind.key()));
    match clean(&f.uid) {
        Some(uid) => w.line(&format!("UID:{}", escape(&uid))),
        None => w.line(&format!("UID:kith-contact-{}", c.id)),
    }
    if let Ok(rev) = chrono::DateTime::parse_from_rfc3339(&c.updated_at) {
        let rev = rev.with_timezone(&chrono::Utc);
        w.line(&format!(
            "REV:{}",
            match version {
                Version::V3 => rev.format("%Y-%m-%dT%H:%M:%SZ"),
                Version::V4 => rev.format("%Y%m%dT%H%M%SZ"),
            }
        ));
    }
    w.line("END:VCARD");
}

impl CardWriter<'_> {
    fn line(&mut self, line: &str) {
        fold(self.out, line);
    }

    /// An EMAIL, TEL, ADR or URL with its label and preference. A label that is no TYPE
    /// (`Nokia`, `AssistantPhone`) goes, as Apple writes it, into an `X-ABLABEL` of the same
    /// group.
    fn labeled(&mut self, name: &str, value: &str, l: &Labeled, mark_preferred: bool) {
        let label = l.label.as_deref().map(|s| sanitize(s, false));
        let label = label.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let types: Option<Vec<String>> = match label {
            None => Some(Vec::new()),
            Some(label) => label
                .split(',')
                .map(|t| type_token(name, t.trim(), self.version))
                .collect(),
        };
        let mut params = String::new();
        let mut group = None;
        let mut types = types.unwrap_or_else(|| {
            group = Some(self.new_group());
            Vec::new()
        });
        if self.version == Version::V3 && name == "EMAIL" {
            types.insert(0, "INTERNET".to_string());
        }
        if mark_preferred && l.preferred && self.version == Version::V3 {
            types.push("PREF".to_string());
        }
        if !types.is_empty() {
            params.push_str(";TYPE=");
            params.push_str(&types.join(","));
        }
        if mark_preferred && l.preferred && self.version == Version::V4 {
            params.push_str(";PREF=1");
        }
        match group {
            Some(g) => {
                self.line(&format!("{g}.{name}{params}:{value}"));
                self.line(&format!(
                    "{g}.X-ABLABEL:{}",
                    escape(label.unwrap_or_default())
                ));
            }
            None => self.line(&format!("{name}{params}:{value}")),
        }
    }

    fn new_group(&mut self) -> String {
        loop {
            let g = format!("item{}", self.next_group);
            self.next_group += 1;
            if !self.taken.contains(&g) {
                return g;
            }
        }
    }
}

/// A label as the TYPE that says it, if there is one for this property.
fn type_token(name: &str, label: &str, version: Version) -> Option<String> {
    const COMMON: [&str; 3] = ["work", "home", "other"];
    const EMAIL: [&str; 2] = ["internet", "x400"];
    const TEL: [&str; 14] = [
        "cell",
        "fax",
        "pager",
        "voice",
        "text",
        "video",
        "textphone",
        "msg",
        "car",
        "isdn",
        "bbs",
        "modem",
        "pcs",
        "main",
    ];
    const ADR: [&str; 4] = ["dom", "intl", "postal", "parcel"];
    let lower = label.to_lowercase();
    let lower = if lower == "mobile" {
        "cell".into()
    } else {
        lower
    };
    let specific: &[&str] = match name {
        "EMAIL" => &EMAIL,
        "TEL" => &TEL,
        "ADR" => &ADR,
        _ => &[],
    };
    let known = COMMON.contains(&lower.as_str())
        || specific.contains(&lower.as_str())
        || (lower.starts_with("x-")
            && lower.len() > 2
            && lower.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    known.then(|| match version {
        Version::V3 => lower.to_ascii_uppercase(),
        Version::V4 => lower,
    })
}

/// A list of names (additional names, prefixes, suffixes, nicknames), `, `-separated in kith,
/// as a vCard list.
fn list(v: &Option<String>) -> String {
    let Some(v) = clean(v) else {
        return String::new();
    };
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(escape)
        .collect::<Vec<_>>()
        .join(",")
}

/// An ADR value as kept (seven escaped parts); a plain one-line address from elsewhere becomes
/// the street.
fn address(value: &str) -> String {
    let value = sanitize(escape_breaks(value).trim(), false);
    if value.contains(';') {
        value
    } else {
        format!(";;{};;;;", value.replace(',', "\\,"))
    }
}

/// A date as the version writes it: 3.0 `1985-04-12` / `--04-12`, 4.0 `19850412` / `--0412`.
fn date(value: &str, version: Version) -> String {
    match validate::date("date", value) {
        Ok(Some(d)) => match version {
            Version::V3 => d,
            Version::V4 => match d.strip_prefix("--") {
                Some(md) => format!("--{}", md.replace('-', "")),
                None => d.replace('-', ""),
            },
        },
        _ => escape(value),
    }
}

/// The entries to write, the preferred one first: `one` (the contact's email or phone) is the
/// preferred one when set, added when the list lacks it.
fn preferred_first(
    one: &Option<String>,
    all: &[Labeled],
    same: impl Fn(&str, &str) -> bool,
) -> Vec<Labeled> {
    let mut list: Vec<Labeled> = all
        .iter()
        .filter_map(|l| clean(&Some(l.value.clone())).map(|value| Labeled { value, ..l.clone() }))
        .collect();
    if let Some(one) = clean(one) {
        match list.iter().position(|l| same(&l.value, &one)) {
            Some(i) => {
                for (j, l) in list.iter_mut().enumerate() {
                    l.preferred = i == j;
                }
            }
            None => {
                for l in list.iter_mut() {
                    l.preferred = false;
                }
                list.insert(0, Labeled::new(one, None, true));
            }
        }
    }
    if let Some(i) = list.iter().position(|l| l.preferred) {
        let preferred = list.remove(i);
        for l in list.iter_mut() {
            l.preferred = false;
        }
        list.insert(0, preferred);
    }
    list
}

/// An `extra` (or PHOTO) line, checked: one logical line with a name, never one that would end
/// the card or repeat what kith writes itself.
struct Extra {
    line: String,
    group: Option<String>,
    name: String,
    colon: usize,
}

impl Extra {
    fn parse(line: &str) -> Option<Extra> {
        let line = sanitize(line, false);
        let colon = find_colon(line.as_bytes())?;
        let (group, name) = group_and_name(&line.as_bytes()[..colon]);
        let name = std::str::from_utf8(name).ok()?.to_string();
        let valid =
            |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !valid(&name) || is_not_kept(&name) {
            return None;
        }
        let group = match group {
            Some(g) => Some(
                std::str::from_utf8(g)
                    .ok()
                    .filter(|g| valid(g))?
                    .to_string(),
            ),
            None => None,
        };
        Some(Extra {
            line,
            group,
            name,
            colon,
        })
    }

    fn value(&self) -> &str {
        &self.line[self.colon + 1..]
    }

    fn is_org_of(&self, parent: &str) -> bool {
        self.name.eq_ignore_ascii_case("ORG")
            && split_unescaped(self.value(), ';')
                .first()
                .is_some_and(|first| unescape(first, false).trim().eq_ignore_ascii_case(parent))
    }

    /// The line for `version`: an inline picture is 3.0's `ENCODING=b;TYPE=JPEG:…` and 4.0's
    /// `data:image/jpeg;base64,…` URI; anything else stays as it came.
    fn for_version(&self, version: Version) -> Cow<'_, str> {
        if !["PHOTO", "LOGO"]
            .iter()
            .any(|n| n.eq_ignore_ascii_case(&self.name))
        {
            return Cow::Borrowed(&self.line);
        }
        let head = &self.line[..self.colon];
        let params = Params::parse(head);
        let value = self.value();
        let name_end = head.find(';').unwrap_or(head.len());
        let name = &head[..name_end];
        match version {
            Version::V4 if params.base64 => {
                let media = params.types.iter().find_map(|t| image_type(t));
                let rest = params_without(&params, |t| image_type(t).is_some());
                let media = media.as_deref().unwrap_or_else(|| sniff(value));
                Cow::Owned(format!("{name}{rest}:data:{media};base64,{value}"))
            }
            Version::V3 => match data_uri(value) {
                Some((media, data)) => {
                    let rest = params_without(&params, |_| false);
                    let format = media
                        .strip_prefix("image/")
                        .unwrap_or(media)
                        .to_ascii_uppercase();
                    Cow::Owned(format!("{name};ENCODING=b;TYPE={format}{rest}:{data}"))
                }
                None => Cow::Borrowed(&self.line),
            },
            Version::V4 => Cow::Borrowed(&self.line),
        }
    }
}

/// The media type of base64 picture data that came without one (Apple's `PHOTO;BASE64:`), by
/// its first bytes.
fn sniff(base64: &str) -> &'static str {
    const MAGIC: [(&str, &str); 3] = [
        ("/9j/", "image/jpeg"),
        ("iVBORw0KGgo", "image/png"),
        ("R0lGOD", "image/gif"),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| base64.starts_with(m))
        .map_or("application/octet-stream", |&(_, media)| media)
}

/// A `data:<media>;base64,<data>` URI's media type and data.
fn data_uri(value: &str) -> Option<(&str, &str)> {
    let rest = value
        .get(..5)
        .filter(|s| s.eq_ignore_ascii_case("data:"))
        .map(|_| &value[5..])?;
    let (header, data) = rest.split_once(',')?;
    let media = header.strip_suffix(";base64")?;
    Some((
        if media.is_empty() {
            "image/jpeg"
        } else {
            media
        },
        data,
    ))
}

/// The parameters but ENCODING and the TYPE values `drop` names, written out.
fn params_without(params: &Params, drop: impl Fn(&str) -> bool) -> String {
    let mut out = String::new();
    for p in &params.list {
        match &p.key {
            Some(k) if k.eq_ignore_ascii_case("ENCODING") => {}
            Some(k) if k.eq_ignore_ascii_case("TYPE") => {
                let kept: Vec<&str> = p
                    .value
                    .trim_matches('"')
                    .split(',')
                    .filter(|t| !drop(t.trim()))
                    .collect();
                if !kept.is_empty() {
                    out.push_str(&format!(";{k}={}", kept.join(",")));
                }
            }
            Some(k) => out.push_str(&format!(";{k}={}", p.value)),
            None if drop(&p.value) || super::bare_kind(&p.value) != super::BareKind::Type => {}
            None => out.push_str(&format!(";{}", p.value)),
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
    fn folding_keeps_characters_whole() {
        let mut out = String::new();
        fold(&mut out, &format!("NOTE:{}", "é".repeat(100)));
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{line:?}");
        }
        let unfolded = out.trim_end().replace("\r\n ", "");
        assert_eq!(unfolded, format!("NOTE:{}", "é".repeat(100)));
    }

    #[test]
    fn pictures_change_form_with_the_version() {
        let inline = Extra::parse("PHOTO;ENCODING=b;TYPE=JPEG,HOME;X-P=1:Zm9v").unwrap();
        assert_eq!(
            inline.for_version(Version::V4),
            "PHOTO;TYPE=HOME;X-P=1:data:image/jpeg;base64,Zm9v"
        );
        assert_eq!(
            inline.for_version(Version::V3),
            "PHOTO;ENCODING=b;TYPE=JPEG,HOME;X-P=1:Zm9v"
        );
        let uri = Extra::parse("item1.PHOTO;X-P=1:data:image/png;base64,Zm9v").unwrap();
        assert_eq!(
            uri.for_version(Version::V3),
            "item1.PHOTO;ENCODING=b;TYPE=PNG;X-P=1:Zm9v"
        );
        let untyped = Extra::parse("PHOTO;ENCODING=b:/9j/4AAQ").unwrap();
        assert_eq!(
            untyped.for_version(Version::V4),
            "PHOTO:data:image/jpeg;base64,/9j/4AAQ"
        );
        let link = Extra::parse("PHOTO;VALUE=uri:http://example.org/a.png").unwrap();
        assert_eq!(link.for_version(Version::V4), link.line);
    }

    #[test]
    fn lines_that_would_break_the_card_are_not_written() {
        for bad in [
            "END:VCARD",
            "BEGIN:VCARD",
            "VERSION:2.1",
            "no colon",
            ":x",
            "A B:c",
        ] {
            assert!(Extra::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(
            Extra::parse("X-A:b\r\nEND:VCARD").unwrap().line,
            "X-A:bEND:VCARD"
        );
    }

    #[test]
    fn labels_as_types() {
        assert_eq!(
            type_token("TEL", "mobile", Version::V3).as_deref(),
            Some("CELL")
        );
        assert_eq!(
            type_token("TEL", "fax", Version::V4).as_deref(),
            Some("fax")
        );
        assert_eq!(type_token("EMAIL", "fax", Version::V4), None);
        assert_eq!(type_token("EMAIL", "AssistantPhone", Version::V4), None);
        assert_eq!(
            type_token("ADR", "x-custom", Version::V4).as_deref(),
            Some("x-custom")
        );
    }

    #[test]
    fn dates() {
        assert_eq!(date("1985-04-12", Version::V3), "1985-04-12");
        assert_eq!(date("1985-04-12", Version::V4), "19850412");
        assert_eq!(date("--04-12", Version::V3), "--04-12");
        assert_eq!(date("--04-12", Version::V4), "--0412");
    }
}
