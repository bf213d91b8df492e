//! kith's CSV: one contact a row, with its parent by name and kind.

use crate::domain::validate::sanitize;
use crate::domain::Contact;

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
    Google,
    Outlook,
}

/// One contact read from a CSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line where the record starts.
    pub line: usize,
    pub parent: Option<String>,
    pub parent_kind: Option<crate::domain::ParentKind>,
    pub fields: crate::domain::ContactFields,
    /// Oddities that did not stop the row (a phone that is text, a name made from the email).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

/// Columns to read each field from, first non-empty wins, per dialect (names compared ignoring
/// case and surrounding spaces).
struct Columns {
    parent: &'static [&'static str],
    first: &'static [&'static str],
    middle: &'static [&'static str],
    last: &'static [&'static str],
    full: &'static [&'static str],
    email: &'static [&'static str],
    phone: &'static [&'static str],
    title: &'static [&'static str],
    notes: &'static [&'static str],
}

const KITH: Columns = Columns {
    parent: &["parent"],
    first: &["first_name"],
    middle: &[],
    last: &["last_name"],
    full: &["full_name"],
    email: &["email"],
    phone: &["phone"],
    title: &["title"],
    notes: &["notes"],
};

// Google Contacts has written two headers over the years; both are listed.
const GOOGLE: Columns = Columns {
    parent: &["organization 1 - name", "organization name"],
    first: &["given name", "first name"],
    middle: &["additional name", "middle name"],
    last: &["family name", "last name"],
    full: &["name"],
    email: &["e-mail 1 - value", "e-mail 2 - value"],
    phone: &["phone 1 - value", "phone 2 - value"],
    title: &["organization 1 - title", "organization title"],
    notes: &["notes"],
};

// Outlook's "Title" is the honorific (Mr., Dr.); the job is "Job Title".
const OUTLOOK: Columns = Columns {
    parent: &["company"],
    first: &["first name"],
    middle: &["middle name"],
    last: &["last name"],
    full: &[],
    email: &["e-mail address", "e-mail 2 address", "e-mail 3 address"],
    phone: &[
        "business phone",
        "mobile phone",
        "primary phone",
        "company main phone",
        "home phone",
        "other phone",
    ],
    title: &["job title"],
    notes: &["notes"],
};

fn dialect_of(header: &[String]) -> Option<Dialect> {
    let has = |name: &str| header.iter().any(|h| h == name);
    if has("parent") && (has("first_name") || has("full_name")) {
        Some(Dialect::Kith)
    } else if has("job title") || has("e-mail address") {
        Some(Dialect::Outlook)
    } else if has("given name")
        || has("e-mail 1 - value")
        || has("organization 1 - name")
        || (has("first name") && has("organization name"))
    {
        Some(Dialect::Google)
    } else {
        None
    }
}

/// Reads a CSV file of contacts: kith's own export, Google Contacts' or Outlook's. A header no
/// dialect fits is an error for the whole file; a bad row is an error for that row alone.
pub fn read(bytes: &[u8]) -> Result<(Dialect, Vec<Result<Row, RowError>>), RowError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Outlook on Windows writes its CSV in the ANSI code page: a file that is not UTF-8 is read
    // as Windows-1252 rather than losing its accents.
    let decoded;
    let bytes = if std::str::from_utf8(bytes).is_ok() {
        bytes
    } else {
        decoded = super::vcard::windows_1252(bytes);
        decoded.as_bytes()
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(bytes);
    let header: Vec<String> = reader
        .byte_headers()
        .map_err(|e| RowError {
            line: 1,
            message: e.to_string(),
        })?
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_lowercase())
        .collect();
    let dialect = dialect_of(&header).ok_or_else(|| RowError {
        line: 1,
        message: "not a contacts CSV kith knows: expected kith's header (parent,parent_kind,first_name,...), Google Contacts' or Outlook's".to_string(),
    })?;
    let columns = match dialect {
        Dialect::Kith => &KITH,
        Dialect::Google => &GOOGLE,
        Dialect::Outlook => &OUTLOOK,
    };
    let index = |names: &[&str]| -> Vec<usize> {
        names
            .iter()
            .filter_map(|n| header.iter().position(|h| h == n))
            .collect()
    };
    let (parent, first, middle, last, full, email, phone, title, notes) = (
        index(columns.parent),
        index(columns.first),
        index(columns.middle),
        index(columns.last),
        index(columns.full),
        index(columns.email),
        index(columns.phone),
        index(columns.title),
        index(columns.notes),
    );
    let kind_col = header.iter().position(|h| h == "parent_kind");

    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    // The reader's own line numbers lag by one after a CRLF, so lines are counted here, from
    // each record's byte offset, skipping the line break it starts with.
    let mut counted = (0usize, 1usize);
    let mut line_at = |byte: usize| -> usize {
        let mut start = byte.min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        let (from, line) = counted;
        let from = from.min(start);
        let line = line + bytes[from..start].iter().filter(|&&b| b == b'\n').count();
        counted = (start, line);
        line
    };
    loop {
        let line = line_at(reader.position().byte() as usize);
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line() as usize).max(line);
                rows.push(Err(RowError {
                    line,
                    message: e.to_string(),
                }));
                // A broken record (bad quoting) leaves the reader unusable past it.
                break;
            }
        }
        let line = record
            .position()
            .map_or(line, |p| line_at(p.byte() as usize));
        let get = |i: usize| -> Option<String> {
            record
                .get(i)
                .map(|v| String::from_utf8_lossy(v))
                .map(|v| sanitize(v.trim(), false))
                .filter(|v| !v.is_empty())
        };
        let first_of = |cols: &[usize]| cols.iter().find_map(|&i| get(i));
        // Google writes several values in one cell as "a ::: b".
        let first_value = |v: Option<String>| {
            v.map(|v| v.split(":::").next().unwrap_or("").trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let notes_value = notes.iter().find_map(|&i| {
            record
                .get(i)
                .map(|v| sanitize(String::from_utf8_lossy(v).trim(), true))
                .filter(|v| !v.is_empty())
        });
        let first_name = first_of(&first);
        let last_name = first_of(&last);
        let middle_name = first_of(&middle);
        let mut full_name = first_of(&full);
        if full_name.is_none() && middle_name.is_some() {
            full_name = Some(
                [&first_name, &middle_name, &last_name]
                    .into_iter()
                    .flatten()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        let parent_kind = match kind_col.and_then(get) {
            None => None,
            Some(k) => match crate::domain::ParentKind::parse(&k) {
                Some(kind) => Some(kind),
                None => {
                    rows.push(Err(RowError {
                        line,
                        message: format!("parent_kind: {k:?} is neither lead nor customer"),
                    }));
                    continue;
                }
            },
        };
        let fields = crate::domain::ContactFields {
            first_name,
            last_name,
            full_name,
            email: first_value(first_of(&email)),
            phone: first_value(first_of(&phone)),
            title: first_of(&title),
            notes: notes_value,
            ..Default::default()
        };
        if fields == crate::domain::ContactFields::default() && first_of(&parent).is_none() {
            continue; // an empty row
        }
        rows.push(Ok(Row {
            line,
            parent: first_of(&parent),
            parent_kind,
            fields,
            warnings: Vec::new(),
        }));
    }
    Ok((dialect, rows))
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
    fn control_characters_from_files_are_removed() {
        let text = "parent,first_name\nAcme,Ev\u{1b}[2Jil\u{202e}\n";
        let (_, rows) = read(text.as_bytes()).unwrap();
        assert_eq!(
            rows[0].as_ref().unwrap().fields.first_name.as_deref(),
            Some("Ev[2Jil")
        );
    }
}
