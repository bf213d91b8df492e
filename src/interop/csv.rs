//! CSV: kith's own (one contact a row, with its parent by name and kind), written and read, and
//! the contacts CSV that other address books export, read.

use super::csv_headers::{self, Field, Label, Placement};
use crate::domain::validate::{self, sanitize};
use crate::domain::{Contact, ContactFields, Labeled, ParentKind};

pub const HEADER: [&str; 9] = [
    "parent",
    "parent_kind",
    "first_name",
    "last_name",
    "full_name",
    "email",
    "phone",
    "title",
    "notes",
];

/// Writes contacts as RFC 4180 CSV (CRLF line ends, quotes where needed). Values from the store
/// are passed through [`sanitize`] so that no control sequence leaves kith; notes keep their
/// line breaks, inside quotes.
pub fn write_contacts<W: std::io::Write>(out: W, list: &[Contact]) -> csv::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(HEADER)?;
    for c in list {
        let f = &c.fields;
        let opt = |v: &Option<String>| sanitize(v.as_deref().unwrap_or(""), false);
        w.write_record([
            sanitize(&c.parent_name, false),
            c.parent_kind.key().to_string(),
            opt(&f.first_name),
            opt(&f.last_name),
            opt(&f.full_name),
            opt(&f.email),
            opt(&f.phone),
            opt(&f.title),
            sanitize(f.notes.as_deref().unwrap_or(""), true),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Whose CSV a file is, told by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Kith,
    /// Google Contacts, its old header and its new one.
    Google,
    /// Outlook for Windows, in any language kith knows, and Outlook.com.
    Outlook,
    Thunderbird,
    /// LinkedIn's `Connections.csv`.
    Linkedin,
    /// Apple's contacts as the CSV exporter apps write them: each column named with its label.
    Apple,
}

/// One contact read from a CSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line where the record starts.
    pub line: usize,
    pub parent: Option<String>,
    pub parent_kind: Option<ParentKind>,
    pub fields: ContactFields,
    /// Oddities that did not stop the row (a phone that is text, a name made from the email).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

/// Records of one field at most that may come before the header: LinkedIn starts its export
/// with a "Notes:" paragraph.
const PREAMBLE: usize = 10;

/// Reads a CSV file of contacts: kith's own export or another address book's (see
/// [`Dialect`]), in whatever encoding and with whichever of `,`, `;` or tab between fields. A
/// header kith cannot place is an error for the whole file; a bad row is an error for that row
/// alone, and an odd value in a row is a warning on it.
pub fn read(bytes: &[u8]) -> Result<(Dialect, Vec<Result<Row, RowError>>), RowError> {
    let text = super::text::decode(bytes);
    let bytes = text.as_bytes();
    let delimiter = delimiter_of(&text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut lines = Lines::new(bytes);
    let mut record = csv::ByteRecord::new();

    let mut preamble: Option<RowError> = None;
    let (placement, width) = loop {
        let Some(line) = next_record(&mut reader, &mut record, &mut lines)? else {
            return Err(preamble.unwrap_or(RowError {
                line: 1,
                message: "not a contacts CSV kith knows: the file is empty".to_string(),
            }));
        };
        let raw: Vec<String> = record
            .iter()
            .map(|h| String::from_utf8_lossy(h).into_owned())
            .collect();
        let header: Vec<String> = raw.iter().map(|h| csv_headers::normalize(h)).collect();
        match csv_headers::place(&header, &raw) {
            Ok(placement) => break (placement, header.len()),
            Err(message) => {
                let filled = header.iter().filter(|h| !h.is_empty()).count();
                let error = RowError { line, message };
                if filled > 1 || line > PREAMBLE {
                    return Err(error);
                }
                preamble.get_or_insert(error);
            }
        }
    };

    let mut rows = Vec::new();
    // Where the rows of the last record read begin.
    let mut last_record = 0;
    loop {
        match next_record(&mut reader, &mut record, &mut lines) {
            Ok(Some(line)) => {
                last_record = rows.len();
                let beyond = beyond_header(&record, width);
                match (row_of(&placement, &record, line), beyond) {
                    (Some(Ok(mut row)), Some(said)) => {
                        row.warnings.push(said);
                        rows.push(Ok(row));
                    }
                    (Some(row), _) => rows.push(row),
                    // Nothing but what lies past the header: a row of which nothing is read.
                    (None, Some(said)) => rows.push(Err(RowError {
                        line,
                        message: said,
                    })),
                    (None, None) => {}
                }
            }
            Ok(None) => break,
            Err(e) => {
                rows.push(Err(e));
                // A broken record (bad quoting) leaves the reader unusable past it.
                break;
            }
        }
    }
    // The csv reader takes a quote that never closes as a field running to the end of the file:
    // the record that holds it is refused, not imported with the rest of the file in one field.
    if let Some(line) = unterminated_quote(bytes, delimiter) {
        rows.truncate(last_record);
        rows.push(Err(RowError {
            line,
            message: "unterminated quote: the quoted field that starts here never closes".into(),
        }));
    }
    Ok((placement.layout.dialect, rows))
}

/// What a record holds past the `width` columns of the header, which no column names and so
/// nothing reads: said, never dropped silently. Empty fields there (a trailing delimiter) lose
/// nothing.
fn beyond_header(record: &csv::ByteRecord, width: usize) -> Option<String> {
    let lost = record
        .iter()
        .skip(width)
        .filter(|v| !v.trim_ascii().is_empty())
        .count();
    (lost > 0).then(|| {
        format!(
            "{} fields where the header has {width}: {lost} value(s) past its last column left out",
            record.len()
        )
    })
}

/// The line on which a quoted field starts that is still open at the end of `bytes`, read as
/// the csv reader reads them (a quote opens a field only at its start; `""` inside is a quote).
fn unterminated_quote(bytes: &[u8], delimiter: u8) -> Option<usize> {
    let mut line = 1;
    let mut field_start = true;
    let mut open_since: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            line += 1;
        }
        match open_since {
            Some(_) if b == b'"' && bytes.get(i + 1) == Some(&b'"') => i += 1,
            Some(_) if b == b'"' => open_since = None,
            Some(_) => {}
            None if field_start && b == b'"' => open_since = Some(line),
            None => field_start = b == delimiter || b == b'\n' || b == b'\r',
        }
        if open_since.is_some() || b == b'"' {
            field_start = false;
        }
        i += 1;
    }
    open_since
}

/// Reads the next record; gives the line it starts on, or `None` at the end of the file.
fn next_record<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    record: &mut csv::ByteRecord,
    lines: &mut Lines,
) -> Result<Option<usize>, RowError> {
    let line = lines.at(reader.position().byte() as usize);
    match reader.read_byte_record(record) {
        Ok(false) => Ok(None),
        Ok(true) => Ok(Some(
            record
                .position()
                .map_or(line, |p| lines.at(p.byte() as usize)),
        )),
        Err(e) => Err(RowError {
            line: e.position().map_or(line, |p| p.line() as usize).max(line),
            message: e.to_string(),
        }),
    }
}

/// Line numbers from byte offsets. The reader's own lag by one after a CRLF, so lines are
/// counted here, skipping the line break a record starts with.
struct Lines<'a> {
    bytes: &'a [u8],
    from: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Lines {
            bytes,
            from: 0,
            line: 1,
        }
    }

    fn at(&mut self, byte: usize) -> usize {
        let bytes = self.bytes;
        let mut start = byte.min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        let from = self.from.min(start);
        self.line += bytes[from..start].iter().filter(|&&b| b == b'\n').count();
        self.from = start;
        self.line
    }
}

/// The field separator of the first line that has one outside quotes: Outlook in Germany,
/// France and elsewhere writes `;`, because `,` is their decimal comma.
fn delimiter_of(text: &str) -> u8 {
    for line in text.lines().take(PREAMBLE + 1) {
        let mut quoted = false;
        let mut counts = [0usize; 3];
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => counts[0] += 1,
                ';' if !quoted => counts[1] += 1,
                '\t' if !quoted => counts[2] += 1,
                _ => {}
            }
        }
        let most = counts.iter().copied().max().unwrap_or(0);
        if most > 0 {
            let at = counts.iter().position(|&c| c == most).unwrap_or(0);
            return [b',', b';', b'\t'][at];
        }
    }
    b','
}

/// A value with its label, as a cell gave it, before it is checked.
struct Candidate {
    value: String,
    label: Option<String>,
    /// Google marks the primary value of a kind with `* ` before its label.
    starred: bool,
}

/// One postal address being put together from its columns.
#[derive(Default)]
struct Address {
    parts: [Vec<String>; 8],
    label: Option<String>,
}

/// What one record says, gathered column by column before the row is made.
#[derive(Default)]
struct Draft {
    fields: ContactFields,
    parent: Option<String>,
    kind: Option<String>,
    emails: Vec<Candidate>,
    phones: Vec<Candidate>,
    tags: Vec<String>,
    birthday: Option<String>,
    anniversary: Option<String>,
    birth: [Option<String>; 3],
    addresses: std::collections::BTreeMap<u8, Address>,
    any: bool,
}

/// The first column that has the field wins: Outlook's `E-mail 2` or Google's second
/// organisation must not overwrite what the first one said.
fn set(slot: &mut Option<String>, value: String) {
    if slot.is_none() {
        *slot = Some(value);
    }
}

/// Values of one cell: Google writes several as `a ::: b`, each with the label at the same
/// place in its label cell, or the one label of the cell.
fn candidates(value: &str, labels: Option<&str>, fixed: Label) -> Vec<Candidate> {
    let labels: Vec<&str> = labels
        .map(|l| l.split(":::").map(str::trim).collect())
        .unwrap_or_default();
    value
        .split(":::")
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .enumerate()
        .map(|(i, v)| {
            let raw = labels.get(i).or(labels.last()).copied();
            let starred = i == 0 && raw.is_some_and(|l| l.starts_with('*'));
            let label = raw.and_then(unstarred).or(fixed.map(String::from));
            Candidate {
                value: v.to_string(),
                label,
                starred,
            }
        })
        .collect()
}

/// A label without Google's `* ` mark of the primary value, if anything is left of it.
fn unstarred(label: &str) -> Option<String> {
    Some(label.trim_start_matches('*').trim().to_string()).filter(|l| !l.is_empty())
}

/// The row one record makes, `None` for an empty one.
fn row_of(
    placement: &Placement,
    record: &csv::ByteRecord,
    line: usize,
) -> Option<Result<Row, RowError>> {
    let cell = |i: usize, multiline: bool| -> Option<String> {
        record
            .get(i)
            .map(|v| sanitize(String::from_utf8_lossy(v).trim(), multiline))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let mut d = Draft::default();
    for slot in &placement.slots {
        let multiline = matches!(
            slot.field,
            Field::Notes
                | Field::Address {
                    part: csv_headers::FORMATTED | csv_headers::STREET,
                    ..
                }
        );
        let Some(value) = cell(slot.col, multiline) else {
            continue;
        };
        let label = slot.label_col.and_then(|i| cell(i, false));
        d.any |= slot.field != Field::ParentKind;
        let f = &mut d.fields;
        match slot.field {
            Field::Parent => set(&mut d.parent, value),
            Field::ParentKind => set(&mut d.kind, value),
            Field::First => set(&mut f.first_name, value),
            Field::Middle => set(&mut f.middle_name, value),
            Field::Last => set(&mut f.last_name, value),
            Field::Full => set(&mut f.full_name, value),
            Field::Prefix => set(&mut f.prefix, value),
            Field::Suffix => set(&mut f.suffix, value),
            Field::Nickname => set(&mut f.nickname, value),
            Field::Title => set(&mut f.title, value),
            Field::Notes => set(&mut f.notes, value),
            Field::Tags => d.tags.push(value),
            Field::Birthday => set(&mut d.birthday, value),
            Field::Anniversary => set(&mut d.anniversary, value),
            Field::BirthYear => set(&mut d.birth[0], value),
            Field::BirthMonth => set(&mut d.birth[1], value),
            Field::BirthDay => set(&mut d.birth[2], value),
            Field::Email(fixed) => d.emails.extend(candidates(&value, label.as_deref(), fixed)),
            Field::Phone(fixed) => d.phones.extend(candidates(&value, label.as_deref(), fixed)),
            Field::Url(fixed) => {
                for c in candidates(&value, label.as_deref(), fixed) {
                    f.urls
                        .push(Labeled::new(c.value, c.label.as_deref(), false));
                }
            }
            Field::Address { group, part } => {
                let address = d.addresses.entry(group).or_default();
                address.parts[usize::from(part)].push(value);
                if address.label.is_none() {
                    address.label = label
                        .as_deref()
                        .and_then(unstarred)
                        .or(csv_headers::address_label(group).map(String::from));
                }
            }
            Field::Event => {
                let is_anniversary = label
                    .as_deref()
                    .and_then(unstarred)
                    .is_some_and(|l| l.eq_ignore_ascii_case("anniversary"));
                if is_anniversary {
                    set(&mut d.anniversary, value);
                }
            }
        }
    }
    if !d.any {
        return None; // an empty row
    }
    let parent_kind = match d.kind.take() {
        None => None,
        Some(k) => match ParentKind::parse(&k) {
            Some(kind) => Some(kind),
            None => {
                return Some(Err(RowError {
                    line,
                    message: format!("parent_kind: {k:?} is neither lead nor customer"),
                }))
            }
        },
    };
    let mut warnings = Vec::new();
    let kith = placement.layout.dialect == Dialect::Kith;
    let layout = placement.layout;
    let typed_email = d.emails.first().map(|c| c.value.clone());
    let f = &mut d.fields;
    if kith {
        // kith's own file has one email and one phone a row, checked as typed ones are: a bad
        // one there is an edit gone wrong, which the user wants to hear about.
        f.email = d.emails.first().map(|c| c.value.clone());
        f.phone = d.phones.first().map(|c| c.value.clone());
    } else {
        emails_into(f, d.emails, &mut warnings);
        phones_into(f, d.phones, &mut warnings);
    }
    f.tags = tags_of(&d.tags, layout.tag_separators);
    let birthday = d.birthday.or_else(|| ymd(&d.birth));
    f.birthday = date_of("birthday", birthday, layout.day_first, &mut warnings);
    f.anniversary = date_of(
        "anniversary",
        d.anniversary,
        layout.day_first,
        &mut warnings,
    );
    f.addresses = d
        .addresses
        .into_values()
        .filter_map(|a| {
            let value = adr_value(&a.parts)?;
            Some(Labeled::new(value, a.label.as_deref(), false))
        })
        .collect();
    if f.full_name.is_none() && f.middle_name.is_some() {
        f.full_name = Some(
            [&f.first_name, &f.middle_name, &f.last_name]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    if f.first_name.is_none() && f.last_name.is_none() && f.full_name.is_none() {
        if let Some(nickname) = &f.nickname {
            f.full_name = Some(nickname.clone());
        } else {
            let local = f
                .email
                .clone()
                .or(typed_email)
                .and_then(|e| e.split('@').next().map(str::to_string))
                .filter(|l| !l.is_empty());
            let shown = local
                .or_else(|| d.parent.clone())
                .or_else(|| f.phone.clone());
            if let Some(shown) = shown {
                warnings.push(format!("no name: shown as {shown:?}"));
                f.full_name = Some(shown);
            }
        }
    }
    Some(Ok(Row {
        line,
        parent: d.parent,
        parent_kind,
        fields: d.fields,
        warnings,
    }))
}

/// Every address that is one goes in, each once, with its label; the rest are reported. The
/// preferred one is the file's primary (`* `) or else the first.
fn emails_into(f: &mut ContactFields, found: Vec<Candidate>, warnings: &mut Vec<String>) {
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let starred = keep(
        found,
        "e-mail",
        validate::email,
        same,
        &mut f.emails,
        warnings,
    );
    prefer(&mut f.emails, &mut f.email, starred.unwrap_or(0));
}

/// Every phone as typed, text too ("pager", "ask reception"): a phone field holding words is
/// still what its owner wrote down. The preferred one is the file's primary, else the first
/// that has the digits of a number.
fn phones_into(f: &mut ContactFields, found: Vec<Candidate>, warnings: &mut Vec<String>) {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).count();
    let starred = keep(
        found,
        "phone",
        validate::phone_text,
        str::eq,
        &mut f.phones,
        warnings,
    );
    for p in &f.phones {
        if digits(&p.value) < 3 {
            warnings.push(format!(
                "phone {:?} kept as typed: it has fewer than 3 digits",
                p.value
            ));
        }
    }
    let pick = starred
        .or_else(|| f.phones.iter().position(|p| digits(&p.value) >= 3))
        .unwrap_or(0);
    prefer(&mut f.phones, &mut f.phone, pick);
}

/// Puts into `list` each value `check` accepts, once, and reports the ones it refuses; gives
/// the place of the file's primary value, when it marked one.
fn keep(
    found: Vec<Candidate>,
    what: &str,
    check: fn(&'static str, &str) -> Result<Option<String>, crate::domain::FieldError>,
    same: impl Fn(&str, &str) -> bool,
    list: &mut Vec<Labeled>,
    warnings: &mut Vec<String>,
) -> Option<usize> {
    let mut starred = None;
    for c in found {
        match check("value", &c.value) {
            Ok(Some(value)) => {
                if list.iter().any(|l| same(&l.value, &value)) {
                    continue;
                }
                if c.starred && starred.is_none() {
                    starred = Some(list.len());
                }
                list.push(Labeled::new(value, c.label.as_deref(), false));
            }
            Ok(None) => {}
            Err(e) => warnings.push(format!("{what} left out: {}", e.message)),
        }
    }
    starred
}

/// Marks entry `at` preferred and makes it the contact's one email or phone.
fn prefer(list: &mut [Labeled], one: &mut Option<String>, at: usize) {
    if let Some(l) = list.get_mut(at) {
        l.preferred = true;
        *one = Some(l.value.clone());
    }
}

/// Tags from Google's groups (`* myContacts ::: Friends`) or Outlook's categories
/// (`Customers;VIP`). Google's own groups say nothing the user chose and are dropped.
fn tags_of(cells: &[String], separators: &[char]) -> Vec<String> {
    const SYSTEM: [&str; 5] = [
        "mycontacts",
        "my contacts",
        "starred",
        "starred in android",
        "other contacts",
    ];
    let mut tags: Vec<String> = Vec::new();
    for cell in cells {
        for tag in cell.split(":::").flat_map(|t| t.split(separators)) {
            let tag = tag.trim();
            let name = tag.trim_start_matches('*').trim();
            let system = tag.starts_with('*') && SYSTEM.contains(&name.to_lowercase().as_str());
            if !name.is_empty() && !system && !tags.iter().any(|t| t.eq_ignore_ascii_case(name)) {
                tags.push(name.to_string());
            }
        }
    }
    tags
}

/// Thunderbird's birthday in three columns, the year optional.
fn ymd(parts: &[Option<String>; 3]) -> Option<String> {
    let number = |p: &Option<String>| p.as_deref().and_then(|v| v.parse::<u32>().ok());
    match (number(&parts[0]), number(&parts[1]), number(&parts[2])) {
        (Some(y), Some(m), Some(d)) => Some(format!("{y:04}-{m:02}-{d:02}")),
        (None, Some(m), Some(d)) => Some(format!("--{m:02}-{d:02}")),
        // A German Thunderbird's `Geburtstag` may be the whole date.
        _ => parts[2].clone(),
    }
}

/// A date as the exports write it: ISO (`1906-12-09`, `--12-09`), or the locale's own form
/// (`12/9/1906` in the US, `09.12.1906` or `9/12/1906` elsewhere). Outlook's empty date
/// `0/0/00` is no date; one kith cannot read is left out with a warning.
fn date_of(
    what: &str,
    value: Option<String>,
    day_first: bool,
    warnings: &mut Vec<String>,
) -> Option<String> {
    let value = value?;
    let day = value.split_whitespace().next().unwrap_or("");
    let mut digits = day.chars().filter(char::is_ascii_digit).peekable();
    if digits.peek().is_some() && digits.all(|c| c == '0') {
        return None;
    }
    if let Ok(date) = validate::date("date", day) {
        return date;
    }
    let parts: Vec<&str> = day.split(['.', '/', '-']).collect();
    let read = || -> Option<String> {
        let [a, b, c] = parts.as_slice() else {
            return None;
        };
        let (a, b, c): (u32, u32, u32) = (a.parse().ok()?, b.parse().ok()?, c.parse().ok()?);
        let (mut d, mut m) = if day_first { (a, b) } else { (b, a) };
        if m > 12 && d <= 12 {
            std::mem::swap(&mut d, &mut m);
        }
        // Two-digit years are of people's birthdays and weddings: the last century mostly.
        let y = match c {
            0..=29 => 2000 + c,
            30..=99 => 1900 + c,
            _ => c,
        };
        validate::date("date", &format!("{y:04}-{m:02}-{d:02}")).ok()?
    };
    let date = read();
    if date.is_none() {
        warnings.push(format!(
            "{what} {value:?} left out: not a date kith can read"
        ));
    }
    date
}

/// A postal address as vCard `ADR` holds it: seven parts joined by `;`, each escaped as in a
/// card. A file with only the whole address as text gives it as the street.
fn adr_value(parts: &[Vec<String>; 8]) -> Option<String> {
    let escape = |s: &str| {
        s.replace('\\', "\\\\")
            .replace(';', "\\;")
            .replace(',', "\\,")
            .replace('\n', "\\n")
    };
    let joined: Vec<String> = parts.iter().map(|p| escape(&p.join("\n"))).collect();
    if joined[..7].iter().any(|p| !p.is_empty()) {
        Some(joined[..7].join(";"))
    } else if !joined[csv_headers::FORMATTED as usize].is_empty() {
        let mut adr = vec![String::new(); 7];
        adr[csv_headers::STREET as usize] = joined[csv_headers::FORMATTED as usize].clone();
        Some(adr.join(";"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_kith_google_and_outlook_headers() {
        let kith = "parent,parent_kind,first_name,last_name,full_name,email,phone,title,notes\r\nAcme,customer,Ada,Lovelace,,ada@acme.com,,CTO,\"two\r\nlines\"\r\n";
        let (d, rows) = read(kith.as_bytes()).unwrap();
        assert_eq!(d, Dialect::Kith);
        let r = rows[0].as_ref().unwrap();
        assert_eq!(r.line, 2);
        assert_eq!(r.parent.as_deref(), Some("Acme"));
        assert_eq!(r.parent_kind, Some(crate::domain::ParentKind::Customer));
        assert_eq!(r.fields.notes.as_deref(), Some("two\nlines"));

        let google = "Name,Given Name,Additional Name,Family Name,Notes,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Organization 1 - Type,Organization 1 - Name,Organization 1 - Title\nGrace Hopper,Grace,,Hopper,,* Work,grace@navy.mil ::: g@home.org,Mobile,+1 555 0100,,US Navy,Rear Admiral\n";
        let (d, rows) = read(google.as_bytes()).unwrap();
        assert_eq!(d, Dialect::Google);
        let r = rows[0].as_ref().unwrap();
        assert_eq!(r.fields.email.as_deref(), Some("grace@navy.mil"));
        assert_eq!(r.parent.as_deref(), Some("US Navy"));
        assert_eq!(r.fields.title.as_deref(), Some("Rear Admiral"));

        let outlook = "\u{feff}First Name,Middle Name,Last Name,Title,Company,Job Title,Business Phone,E-mail Address,Notes\nKatherine,G.,Johnson,Dr.,NASA,Mathematician,,kj@nasa.gov,\n";
        let (d, rows) = read(outlook.as_bytes()).unwrap();
        assert_eq!(d, Dialect::Outlook);
        let r = rows[0].as_ref().unwrap();
        assert_eq!(r.fields.title.as_deref(), Some("Mathematician"));
        assert_eq!(r.fields.full_name.as_deref(), Some("Katherine G. Johnson"));
        assert_eq!(r.parent.as_deref(), Some("NASA"));
    }

    #[test]
    fn a_quote_that_never_closes_is_a_bad_row_where_it_opens() {
        let text = "parent,first_name,notes\nAcme,Ada,fine\nAcme,\"Bob,x\nAcme,Cy,swallowed\n";
        let (_, rows) = read(text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(
            rows[0].as_ref().unwrap().fields.first_name.as_deref(),
            Some("Ada")
        );
        let e = rows[1].as_ref().unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.starts_with("unterminated quote"), "{}", e.message);

        // Quotes that close, doubled quotes, a quote inside an unquoted field, a quoted line
        // break: all fine.
        let fine = "parent,first_name,notes\r\nAcme,\"Ada \"\"Countess\"\"\",5\" floppy\r\n\
                    Acme,\"\",\"two\r\nlines\"\r\nAcme,Cy,\"\"\"quoted\"\"\"\r\n";
        let (_, rows) = read(fine.as_bytes()).unwrap();
        assert_eq!(rows.len(), 3);
        assert!(rows.iter().all(|r| r.is_ok()), "{rows:?}");
        let notes = |i: usize| rows[i].as_ref().unwrap().fields.notes.clone();
        assert_eq!(notes(0).as_deref(), Some("5\" floppy"));
        assert_eq!(notes(1).as_deref(), Some("two\nlines"));
        assert_eq!(notes(2).as_deref(), Some("\"quoted\""));

        // A semicolon file, the quote opened on its second physical line of a record.
        let semi = "parent;first_name;notes\nAcme;Ada;\"a\nb\";\nAcme;Bob;\"open\n";
        let (_, rows) = read(semi.as_bytes()).unwrap();
        assert!(rows[0].is_ok());
        assert_eq!(rows[1].as_ref().unwrap_err().line, 4);
    }

    #[test]
    fn unknown_headers_and_bad_rows_say_where() {
        assert_eq!(read(b"a,b,c\n1,2,3\n").unwrap_err().line, 1);
        let text = "parent,parent_kind,first_name\nAcme,lead,Ada\nAcme,partner,Bob\nAcme,,Cy\n";
        let (_, rows) = read(text.as_bytes()).unwrap();
        assert!(rows[0].is_ok());
        let e = rows[1].as_ref().unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("parent_kind"));
        assert!(rows[2].is_ok());
    }

    #[test]
    fn dates_as_the_exports_write_them() {
        let mut warnings = Vec::new();
        let mut date =
            |v: &str, day_first| date_of("birthday", Some(v.into()), day_first, &mut warnings);
        assert_eq!(date("1906-12-09", false).as_deref(), Some("1906-12-09"));
        assert_eq!(date("--12-09", true).as_deref(), Some("--12-09"));
        assert_eq!(date("12/9/1906", false).as_deref(), Some("1906-12-09"));
        assert_eq!(date("9.12.1906", true).as_deref(), Some("1906-12-09"));
        assert_eq!(
            date("25/12/1975", false).as_deref(),
            Some("1975-12-25"),
            "a day over 12 is a day"
        );
        assert_eq!(date("1/2/85 0:00:00", true).as_deref(), Some("1985-02-01"));
        assert_eq!(date("0/0/00", false), None);
        assert_eq!(date("soon", false), None);
        assert_eq!(
            warnings,
            ["birthday \"soon\" left out: not a date kith can read"]
        );
    }

    #[test]
    fn the_separator_is_whatever_the_first_line_uses_outside_quotes() {
        assert_eq!(delimiter_of("a;b;c\n"), b';');
        assert_eq!(delimiter_of("\"a,b\";c\n"), b';');
        assert_eq!(delimiter_of("a\tb\n"), b'\t');
        assert_eq!(
            delimiter_of("Notes:\n\n\"x, y\"\nFirst Name,Last Name\n"),
            b','
        );
        assert_eq!(delimiter_of("Primary Email\nx@y.z\n"), b',');
    }

    #[test]
    fn control_characters_from_files_are_removed() {
        let text = "parent,first_name\nAcme,Ev\u{1b}[2Jil\u{202e}\n";
        let (_, rows) = read(text.as_bytes()).unwrap();
        assert_eq!(
            rows[0].as_ref().unwrap().fields.first_name.as_deref(),
            Some("Ev[2Jil")
        );
    }
}
