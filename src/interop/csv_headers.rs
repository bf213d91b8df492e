//! Whose contacts CSV a header is, and which of its columns holds which field of a contact: the
//! column names Google, Outlook (in seven languages), Outlook.com, Thunderbird, LinkedIn,
//! Apple-contacts exporters and kith itself write.

use super::csv::Dialect;

/// A label as the export means it, before [`crate::domain::contact::normalize_label`].
pub(crate) type Label = Option<&'static str>;

/// Which field of a contact a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Parent,
    ParentKind,
    First,
    Middle,
    Last,
    Full,
    Prefix,
    Suffix,
    Nickname,
    Title,
    Notes,
    Tags,
    Birthday,
    Anniversary,
    /// Thunderbird writes a birthday as three columns.
    BirthYear,
    BirthMonth,
    BirthDay,
    Email(Label),
    Phone(Label),
    Url(Label),
    /// One part of one postal address of the row: `group` tells the addresses apart (work, home,
    /// other, or Google's numbered ones), `part` is the index in vCard `ADR` order, or
    /// [`FORMATTED`].
    Address {
        group: u8,
        part: u8,
    },
    /// Google's `Event N - Value`, an anniversary when its label says so.
    Event,
}

pub(crate) const PO_BOX: u8 = 0;
pub(crate) const STREET: u8 = 2;
pub(crate) const CITY: u8 = 3;
pub(crate) const REGION: u8 = 4;
pub(crate) const POSTAL: u8 = 5;
pub(crate) const COUNTRY: u8 = 6;
/// The whole address as one text, for files that have no parts.
pub(crate) const FORMATTED: u8 = 7;
const EXTENDED: u8 = 1;

const WORK: u8 = 1;
const HOME: u8 = 2;
const OTHER: u8 = 3;

/// The label of a fixed address group (Outlook's business, home and other address).
pub(crate) fn address_label(group: u8) -> Label {
    match group {
        WORK => Some("work"),
        HOME => Some("home"),
        OTHER => Some("other"),
        _ => None,
    }
}

/// One column of the file placed: where its value goes, where its label is (Google keeps a
/// value's label in the column beside it) and how it ranks against the other columns of its
/// field (the first email or phone by rank is the preferred one unless the file says).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Slot {
    pub col: usize,
    pub field: Field,
    pub label_col: Option<usize>,
    pub rank: usize,
}

/// Whose file it is and how its dates and tags are written.
#[derive(Debug)]
pub(crate) struct Layout {
    pub dialect: Dialect,
    columns: &'static [(&'static str, Field)],
    /// Localised Outlook leaves some columns in English.
    fallback: &'static [(&'static str, Field)],
    /// Google's `E-mail 1 - Value` / `E-mail 1 - Type` columns, any number of them.
    numbered: bool,
    /// Columns named with their label: `Email (Work)`, `Phone : mobile`.
    labelled: bool,
    /// Dates as day before month (everywhere but the United States).
    pub day_first: bool,
    /// What separates the tags of one cell, after Google's ` ::: `.
    pub tag_separators: &'static [char],
}

pub(crate) struct Placement {
    pub layout: &'static Layout,
    pub slots: Vec<Slot>,
}

/// A header as compared: trimmed, lower case, one space between words, no byte-order mark.
pub(crate) fn normalize(name: &str) -> String {
    name.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '"')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Places the columns of `header` (as [`normalize`] leaves them; `raw` as the file wrote them,
/// for messages). The layout that places the most columns wins; a header that places no name,
/// email or organisation column is refused with the columns kith could not place.
pub(crate) fn place(header: &[String], raw: &[String]) -> Result<Placement, String> {
    let has = |name: &str| header.iter().any(|h| h == name);
    if has("parent") && (has("first_name") || has("full_name")) {
        return Ok(Placement {
            layout: &KITH,
            slots: slots_of(&KITH, header),
        });
    }
    let mut best: Option<(&'static Layout, Vec<Slot>)> = None;
    for layout in LAYOUTS {
        let slots = slots_of(layout, header);
        if best.as_ref().is_none_or(|(_, b)| slots.len() > b.len()) {
            best = Some((layout, slots));
        }
    }
    let (layout, slots) = best.expect("there are layouts");
    let quoted = |cols: &mut dyn Iterator<Item = usize>| {
        let names: Vec<String> = cols
            .map(|i| format!("{:?}", raw.get(i).map_or("", |r| r.trim())))
            .collect();
        match names.len() {
            0..=12 => names.join(", "),
            n => format!("{} and {} more", names[..12].join(", "), n - 12),
        }
    };
    let placed = |i: usize| slots.iter().any(|s| s.col == i || s.label_col == Some(i));
    let mut unplaced = (0..header.len()).filter(|&i| !placed(i) && !header[i].is_empty());
    if slots.is_empty() {
        return Err(format!(
            "not a contacts CSV kith knows: no name, email or organisation column among {}",
            quoted(&mut unplaced)
        ));
    }
    let reaches = slots.iter().any(|s| {
        matches!(
            s.field,
            Field::Email(_) | Field::Phone(_) | Field::Parent | Field::Url(_)
        )
    });
    if !reaches {
        // Names alone are any list of people; a contacts export has a way to reach them.
        let unplaced = quoted(&mut unplaced);
        let names = quoted(&mut slots.iter().map(|s| s.col));
        let mut message = format!(
            "not a contacts CSV kith knows: names ({names}) but no email, phone or organisation column"
        );
        if !unplaced.is_empty() {
            message.push_str(&format!(" among {unplaced}"));
        }
        return Err(message);
    }
    Ok(Placement { layout, slots })
}

fn slots_of(layout: &Layout, header: &[String]) -> Vec<Slot> {
    let find = |table: &[(&str, Field)], name: &str| {
        table
            .iter()
            .position(|(n, _)| *n == name)
            .map(|i| (i, table[i].1))
    };
    let mut slots: Vec<Slot> = Vec::new();
    for (col, name) in header.iter().enumerate() {
        let slot = if let Some((rank, field)) = find(layout.columns, name) {
            Some(Slot {
                col,
                field,
                label_col: None,
                rank,
            })
        } else if let Some((rank, field)) = find(layout.fallback, name) {
            Some(Slot {
                col,
                field,
                label_col: None,
                rank: 1000 + rank,
            })
        } else if layout.numbered {
            google_numbered(name, header).map(|(field, label_col, n)| Slot {
                col,
                field,
                label_col,
                rank: 2000 + n,
            })
        } else if layout.labelled {
            labelled(name).map(|field| Slot {
                col,
                field,
                label_col: None,
                rank: 3000 + col,
            })
        } else {
            None
        };
        slots.extend(slot);
    }
    for s in &mut slots {
        s.rank = match s.field {
            // Emails have no kind to prefer: the file's first is its first.
            Field::Email(_) => s.col,
            // A localised Outlook mixes its own phone columns with English ones: the kind of
            // phone decides, then the table's order.
            Field::Phone(label) if !layout.numbered => phone_class(label) * 10_000 + s.rank,
            _ => s.rank,
        };
    }
    slots.sort_by_key(|s| s.rank);
    slots
}

/// Which phone is the preferred one when the file does not say: the primary, then work,
/// mobile, home, other, and the special ones (fax, pager, car) last.
fn phone_class(label: Label) -> usize {
    match label {
        None => 0,
        Some("work") => 1,
        Some("mobile") => 2,
        Some("home") => 3,
        Some("other") => 4,
        Some(_) => 5,
    }
}

/// Google's numbered columns, `E-mail 2 - Value` with its label in `E-mail 2 - Type` (the old
/// export) or `E-mail 2 - Label` (the new one). Returns the field, the label's column and N.
fn google_numbered(name: &str, header: &[String]) -> Option<(Field, Option<usize>, usize)> {
    let (group, part) = name.split_once(" - ")?;
    let (kind, n) = group.rsplit_once(' ')?;
    let n: usize = n.parse().ok()?;
    let label_col = || {
        header
            .iter()
            .position(|h| *h == format!("{group} - type") || *h == format!("{group} - label"))
    };
    let address = |part: u8| Field::Address {
        group: 10 + u8::try_from(n.min(200)).unwrap_or(200),
        part,
    };
    let field = match (kind, part) {
        ("e-mail" | "email", "value") => Field::Email(None),
        ("phone", "value") => Field::Phone(None),
        ("website", "value") => Field::Url(None),
        ("event", "value") => Field::Event,
        ("organization", "name") if n == 1 => Field::Parent,
        ("organization", "title") if n == 1 => Field::Title,
        ("address", "formatted") => address(FORMATTED),
        ("address", "street") => address(STREET),
        ("address", "city") => address(CITY),
        ("address", "po box") => address(PO_BOX),
        ("address", "region") => address(REGION),
        ("address", "postal code") => address(POSTAL),
        ("address", "country") => address(COUNTRY),
        ("address", "extended address") => address(EXTENDED),
        _ => return None,
    };
    Some((field, label_col(), n))
}

/// Columns that carry their label in their name, as the apps that export Apple's contacts to
/// CSV write them: `Email (Work)`, `Phone : mobile`, `E-mail home`.
fn labelled(name: &str) -> Option<Field> {
    let (kind, label) = ["email", "e-mail", "phone", "url", "website"]
        .iter()
        .find_map(|k| name.strip_prefix(k).map(|rest| (*k, rest)))?;
    let label = label
        .trim_start_matches([' ', ':', '(', '-', '_'])
        .trim_end_matches([' ', ')']);
    let label = match label {
        "" => None,
        l if l.starts_with("home") => Some("home"),
        l if l.starts_with("work") => Some("work"),
        l if l.starts_with("other") => Some("other"),
        l if l.starts_with("mobile") || l.starts_with("cell") => Some("mobile"),
        "iphone" => Some("iphone"),
        "main" => Some("main"),
        "pager" => Some("pager"),
        l if l.contains("fax") => Some("fax"),
        _ => return None,
    };
    Some(match kind {
        "email" | "e-mail" => Field::Email(label),
        "phone" => Field::Phone(label),
        _ => Field::Url(label),
    })
}

use Field::*;

const fn adr(group: u8, part: u8) -> Field {
    Address { group, part }
}
const W: Label = Some("work");
const H: Label = Some("home");
const M: Label = Some("mobile");
const O: Label = Some("other");

static KITH: Layout = Layout {
    dialect: Dialect::Kith,
    columns: &[
        ("parent", Parent),
        ("parent_kind", ParentKind),
        ("first_name", First),
        ("last_name", Last),
        ("full_name", Full),
        ("email", Email(None)),
        ("phone", Phone(None)),
        ("title", Title),
        ("notes", Notes),
    ],
    fallback: &[],
    numbered: false,
    labelled: false,
    day_first: false,
    tag_separators: &[],
};

/// In the order ties are broken: English Outlook before the languages that fall back to it.
static LAYOUTS: [&Layout; 12] = [
    &GOOGLE,
    &OUTLOOK_EN,
    &THUNDERBIRD,
    &LINKEDIN,
    &APPLE,
    &OUTLOOK_DE,
    &OUTLOOK_FR,
    &OUTLOOK_ES,
    &OUTLOOK_IT,
    &OUTLOOK_NL,
    &OUTLOOK_PT,
    &THUNDERBIRD_DE,
];

// Both of Google's headers: the old one (`Given Name`, `E-mail 1 - Type`) and the one written
// since 2022 (`First Name`, `E-mail 1 - Label`, `Organization Name`, `Labels`).
static GOOGLE: Layout = Layout {
    dialect: Dialect::Google,
    columns: &[
        ("name", Full),
        ("given name", First),
        ("first name", First),
        ("additional name", Middle),
        ("middle name", Middle),
        ("family name", Last),
        ("last name", Last),
        ("name prefix", Prefix),
        ("name suffix", Suffix),
        ("nickname", Nickname),
        ("organization name", Parent),
        ("organization title", Title),
        ("birthday", Birthday),
        ("notes", Notes),
        ("group membership", Tags),
        ("labels", Tags),
    ],
    fallback: &[],
    numbered: true,
    labelled: false,
    day_first: false,
    tag_separators: &[],
};

// Outlook for Windows and Outlook.com in English. `Title` is the honorific (Mr., Dr.); the job
// is `Job Title`. Phones are listed in the order the preferred one is picked.
static OUTLOOK_EN: Layout = Layout {
    dialect: Dialect::Outlook,
    columns: &[
        ("title", Prefix),
        ("first name", First),
        ("middle name", Middle),
        ("last name", Last),
        ("suffix", Suffix),
        ("nickname", Nickname),
        ("company", Parent),
        ("job title", Title),
        ("notes", Notes),
        ("categories", Tags),
        ("birthday", Birthday),
        ("anniversary", Anniversary),
        ("web page", Url(None)),
        ("personal web page", Url(H)),
        ("e-mail address", Email(None)),
        ("e-mail 2 address", Email(None)),
        ("e-mail 3 address", Email(None)),
        ("primary phone", Phone(None)),
        ("business phone", Phone(W)),
        ("business phone 2", Phone(W)),
        ("mobile phone", Phone(M)),
        ("company main phone", Phone(W)),
        ("home phone", Phone(H)),
        ("home phone 2", Phone(H)),
        ("other phone", Phone(O)),
        ("car phone", Phone(Some("car"))),
        ("assistant's phone", Phone(Some("assistant"))),
        ("callback", Phone(Some("callback"))),
        ("radio phone", Phone(Some("radio"))),
        ("isdn", Phone(Some("isdn"))),
        ("tty/tdd phone", Phone(Some("tty"))),
        ("telex", Phone(Some("telex"))),
        ("pager", Phone(Some("pager"))),
        ("business fax", Phone(Some("work fax"))),
        ("home fax", Phone(Some("home fax"))),
        ("other fax", Phone(Some("other fax"))),
        ("business street", adr(WORK, STREET)),
        ("business street 2", adr(WORK, STREET)),
        ("business street 3", adr(WORK, STREET)),
        ("business address po box", adr(WORK, PO_BOX)),
        ("business city", adr(WORK, CITY)),
        ("business state", adr(WORK, REGION)),
        ("business postal code", adr(WORK, POSTAL)),
        ("business country/region", adr(WORK, COUNTRY)),
        ("business country", adr(WORK, COUNTRY)),
        ("home street", adr(HOME, STREET)),
        ("home street 2", adr(HOME, STREET)),
        ("home street 3", adr(HOME, STREET)),
        ("home address po box", adr(HOME, PO_BOX)),
        ("home city", adr(HOME, CITY)),
        ("home state", adr(HOME, REGION)),
        ("home postal code", adr(HOME, POSTAL)),
        ("home country/region", adr(HOME, COUNTRY)),
        ("home country", adr(HOME, COUNTRY)),
        ("other street", adr(OTHER, STREET)),
        ("other street 2", adr(OTHER, STREET)),
        ("other street 3", adr(OTHER, STREET)),
        ("other address po box", adr(OTHER, PO_BOX)),
        ("other city", adr(OTHER, CITY)),
        ("other state", adr(OTHER, REGION)),
        ("other postal code", adr(OTHER, POSTAL)),
        ("other country/region", adr(OTHER, COUNTRY)),
        ("other country", adr(OTHER, COUNTRY)),
    ],
    fallback: &[],
    numbered: false,
    labelled: false,
    day_first: false,
    tag_separators: &[';', ','],
};

/// Outlook in another language than English: its own names first, then the English ones it
/// leaves untranslated; dates day first.
const fn outlook(columns: &'static [(&'static str, Field)]) -> Layout {
    Layout {
        dialect: Dialect::Outlook,
        columns,
        fallback: OUTLOOK_EN.columns,
        numbered: false,
        labelled: false,
        day_first: true,
        tag_separators: &[';', ','],
    }
}

// German Outlook: both spellings of the private phone seen in exports (`Telefon privat`,
// `Telefon (privat)`).
static OUTLOOK_DE: Layout = outlook(&[
    ("anrede", Prefix),
    ("vorname", First),
    ("weitere vornamen", Middle),
    ("nachname", Last),
    ("suffix", Suffix),
    ("firma", Parent),
    ("position", Title),
    ("notizen", Notes),
    ("kategorien", Tags),
    ("geburtstag", Birthday),
    ("jahrestag", Anniversary),
    ("webseite", Url(None)),
    ("e-mail-adresse", Email(None)),
    ("e-mail 2: adresse", Email(None)),
    ("e-mail 3: adresse", Email(None)),
    ("haupttelefon", Phone(None)),
    ("telefon geschäftlich", Phone(W)),
    ("telefon geschäftlich 2", Phone(W)),
    ("mobiltelefon", Phone(M)),
    ("mobiltelefon 2", Phone(M)),
    ("telefon firma", Phone(W)),
    ("telefon privat", Phone(H)),
    ("telefon (privat)", Phone(H)),
    ("telefon privat 2", Phone(H)),
    ("telefon (privat 2)", Phone(H)),
    ("weiteres telefon", Phone(O)),
    ("autotelefon", Phone(Some("car"))),
    ("telefon assistent", Phone(Some("assistant"))),
    ("rückmeldung", Phone(Some("callback"))),
    ("telefon für hörbehinderte", Phone(Some("tty"))),
    ("fax geschäftlich", Phone(Some("work fax"))),
    ("fax privat", Phone(Some("home fax"))),
    ("weiteres fax", Phone(Some("other fax"))),
    ("straße geschäftlich", adr(WORK, STREET)),
    ("straße geschäftlich 2", adr(WORK, STREET)),
    ("straße geschäftlich 3", adr(WORK, STREET)),
    ("postfach geschäftlich", adr(WORK, PO_BOX)),
    ("ort geschäftlich", adr(WORK, CITY)),
    ("region geschäftlich", adr(WORK, REGION)),
    ("postleitzahl geschäftlich", adr(WORK, POSTAL)),
    ("land/region geschäftlich", adr(WORK, COUNTRY)),
    ("land geschäftlich", adr(WORK, COUNTRY)),
    ("straße privat", adr(HOME, STREET)),
    ("straße privat 2", adr(HOME, STREET)),
    ("straße privat 3", adr(HOME, STREET)),
    ("postfach privat", adr(HOME, PO_BOX)),
    ("ort privat", adr(HOME, CITY)),
    ("bundesland/kanton privat", adr(HOME, REGION)),
    ("region privat", adr(HOME, REGION)),
    ("postleitzahl privat", adr(HOME, POSTAL)),
    ("land/region privat", adr(HOME, COUNTRY)),
    ("land privat", adr(HOME, COUNTRY)),
    ("weitere straße", adr(OTHER, STREET)),
    ("weitere straße 2", adr(OTHER, STREET)),
    ("weitere straße 3", adr(OTHER, STREET)),
    ("weiteres postfach", adr(OTHER, PO_BOX)),
    ("weiterer ort", adr(OTHER, CITY)),
    ("weiteres/r bundesland/kanton", adr(OTHER, REGION)),
    ("weitere postleitzahl", adr(OTHER, POSTAL)),
    ("weiteres/e land/region", adr(OTHER, COUNTRY)),
]);

// French Outlook calls the job `Titre` and the profession `Profession`.
static OUTLOOK_FR: Layout = outlook(&[
    ("prénom", First),
    ("deuxième prénom", Middle),
    ("nom", Last),
    ("suffixe", Suffix),
    ("société", Parent),
    ("titre", Title),
    ("notes", Notes),
    ("catégories", Tags),
    ("anniversaire", Birthday),
    ("anniversaire de mariage ou fête", Anniversary),
    ("page web", Url(None)),
    ("adresse de messagerie", Email(None)),
    ("adresse de messagerie 2", Email(None)),
    ("adresse de messagerie 3", Email(None)),
    ("téléphone principal", Phone(None)),
    ("téléphone (bureau)", Phone(W)),
    ("téléphone 2 (bureau)", Phone(W)),
    ("tél. mobile", Phone(M)),
    ("téléphone société", Phone(W)),
    ("téléphone (domicile)", Phone(H)),
    ("téléphone 2 (domicile)", Phone(H)),
    ("téléphone (autre)", Phone(O)),
    ("téléphone (voiture)", Phone(Some("car"))),
    ("téléphone de l'assistant(e)", Phone(Some("assistant"))),
    ("rappel", Phone(Some("callback"))),
    ("radio téléphone", Phone(Some("radio"))),
    ("rnis", Phone(Some("isdn"))),
    ("téléphone tdd/tty", Phone(Some("tty"))),
    ("télex", Phone(Some("telex"))),
    ("récepteur de radiomessagerie", Phone(Some("pager"))),
    ("télécopie (bureau)", Phone(Some("work fax"))),
    ("télécopie (domicile)", Phone(Some("home fax"))),
    ("télécopie (autre)", Phone(Some("other fax"))),
    ("rue (bureau)", adr(WORK, STREET)),
    ("rue (bureau) 2", adr(WORK, STREET)),
    ("rue (bureau) 3", adr(WORK, STREET)),
    ("b.p. professionnelle", adr(WORK, PO_BOX)),
    ("ville (bureau)", adr(WORK, CITY)),
    ("dép/région (bureau)", adr(WORK, REGION)),
    ("code postal (bureau)", adr(WORK, POSTAL)),
    ("pays/région (bureau)", adr(WORK, COUNTRY)),
    ("rue (domicile)", adr(HOME, STREET)),
    ("rue (domicile) 2", adr(HOME, STREET)),
    ("rue (domicile) 3", adr(HOME, STREET)),
    ("boîte postale du domicile", adr(HOME, PO_BOX)),
    ("ville (domicile)", adr(HOME, CITY)),
    ("dép/région (domicile)", adr(HOME, REGION)),
    ("code postal (domicile)", adr(HOME, POSTAL)),
    ("pays/région (domicile)", adr(HOME, COUNTRY)),
    ("rue (autre)", adr(OTHER, STREET)),
    ("rue (autre) 2", adr(OTHER, STREET)),
    ("rue (autre) 3", adr(OTHER, STREET)),
    ("autre boîte postale", adr(OTHER, PO_BOX)),
    ("ville (autre)", adr(OTHER, CITY)),
    ("dép/région (autre)", adr(OTHER, REGION)),
    ("code postal (autre)", adr(OTHER, POSTAL)),
    ("pays/région (autre)", adr(OTHER, COUNTRY)),
]);

// Spanish Outlook keeps many columns in English (`Title`, `Mobile Phone`, `Home Street`).
static OUTLOOK_ES: Layout = outlook(&[
    ("nombre", First),
    ("segundo nombre", Middle),
    ("apellidos", Last),
    ("organización", Parent),
    ("puesto", Title),
    ("categorías", Tags),
    ("página web", Url(None)),
    ("dirección de correo electrónico", Email(None)),
    ("dirección de correo electrónico 2", Email(None)),
    ("dirección del correo electrónico 3", Email(None)),
    ("dirección de correo electrónico 3", Email(None)),
    ("teléfono principal", Phone(None)),
    ("teléfono del trabajo", Phone(W)),
    ("teléfono del trabajo 2", Phone(W)),
    ("teléfono móvil", Phone(M)),
    ("número de centralita de la organización", Phone(W)),
    ("particular", Phone(H)),
    ("otro teléfono", Phone(O)),
    ("devolución de llamada", Phone(Some("callback"))),
    ("radioteléfono", Phone(Some("radio"))),
    ("número de teletipo", Phone(Some("tty"))),
    ("télex", Phone(Some("telex"))),
    ("otro fax", Phone(Some("other fax"))),
    ("calle del trabajo", adr(WORK, STREET)),
    ("calle del trabajo 2", adr(WORK, STREET)),
    ("calle del trabajo 3", adr(WORK, STREET)),
    (
        "apartado postal de la dirección del trabajo",
        adr(WORK, PO_BOX),
    ),
    ("ciudad de trabajo", adr(WORK, CITY)),
    ("provincia o estado de trabajo", adr(WORK, REGION)),
    ("código postal del trabajo", adr(WORK, POSTAL)),
    ("país o región del trabajo", adr(WORK, COUNTRY)),
    (
        "apartado postal de la dirección personal",
        adr(HOME, PO_BOX),
    ),
    ("país o región del domicilio", adr(HOME, COUNTRY)),
    ("otra calle", adr(OTHER, STREET)),
    ("otra calle 2", adr(OTHER, STREET)),
    ("otra calle 3", adr(OTHER, STREET)),
    ("otro apartado postal", adr(OTHER, PO_BOX)),
    ("otra ciudad", adr(OTHER, CITY)),
    ("otra provincia o estado", adr(OTHER, REGION)),
    ("otro código postal", adr(OTHER, POSTAL)),
    ("otro país o región", adr(OTHER, COUNTRY)),
]);

static OUTLOOK_IT: Layout = outlook(&[
    ("titolo", Prefix),
    ("nome", First),
    ("secondo nome", Middle),
    ("cognome", Last),
    ("suffisso", Suffix),
    ("società", Parent),
    ("qualifica", Title),
    ("posizione", Title),
    ("note", Notes),
    ("categorie", Tags),
    ("compleanno", Birthday),
    ("anniversario", Anniversary),
    ("pagina web", Url(None)),
    ("indirizzo posta elettronica", Email(None)),
    ("indirizzo posta elettronica 2", Email(None)),
    ("indirizzo posta elettronica 3", Email(None)),
    ("indirizzo e-mail", Email(None)),
    ("indirizzo e-mail 2", Email(None)),
    ("indirizzo e-mail 3", Email(None)),
    ("telefono principale", Phone(None)),
    ("telefono ufficio", Phone(W)),
    ("telefono ufficio 2", Phone(W)),
    ("telefono di lavoro", Phone(W)),
    ("telefono di lavoro 2", Phone(W)),
    ("cellulare", Phone(M)),
    ("telefono mobile", Phone(M)),
    ("telefono abitazione", Phone(H)),
    ("telefono abitazione 2", Phone(H)),
    ("telefono di casa", Phone(H)),
    ("telefono di casa 2", Phone(H)),
    ("altro telefono", Phone(O)),
    ("telefono auto", Phone(Some("car"))),
    ("telefono dell'auto", Phone(Some("car"))),
    ("cercapersone", Phone(Some("pager"))),
    ("numero cercapersone", Phone(Some("pager"))),
    ("fax ufficio", Phone(Some("work fax"))),
    ("fax di lavoro", Phone(Some("work fax"))),
    ("fax abitazione", Phone(Some("home fax"))),
    ("fax di casa", Phone(Some("home fax"))),
    ("altro fax", Phone(Some("other fax"))),
    ("via (uff.)", adr(WORK, STREET)),
    ("indirizzo di lavoro", adr(WORK, STREET)),
    ("città (uff.)", adr(WORK, CITY)),
    ("città di lavoro", adr(WORK, CITY)),
    ("provincia (uff.)", adr(WORK, REGION)),
    ("provincia di lavoro", adr(WORK, REGION)),
    ("cap (uff.)", adr(WORK, POSTAL)),
    ("cap di lavoro", adr(WORK, POSTAL)),
    ("paese (uff.)", adr(WORK, COUNTRY)),
    ("nazione/regione di lavoro", adr(WORK, COUNTRY)),
    ("via (ab.)", adr(HOME, STREET)),
    ("indirizzo di casa", adr(HOME, STREET)),
    ("città (ab.)", adr(HOME, CITY)),
    ("città di residenza", adr(HOME, CITY)),
    ("provincia (ab.)", adr(HOME, REGION)),
    ("provincia di residenza", adr(HOME, REGION)),
    ("cap (ab.)", adr(HOME, POSTAL)),
    ("cap di casa", adr(HOME, POSTAL)),
    ("paese (ab.)", adr(HOME, COUNTRY)),
    ("nazione/regione di casa", adr(HOME, COUNTRY)),
]);

static OUTLOOK_NL: Layout = outlook(&[
    ("titel", Prefix),
    ("voornaam", First),
    ("middelste naam", Middle),
    ("achternaam", Last),
    ("achtervoegsel", Suffix),
    ("bedrijf", Parent),
    ("functie", Title),
    ("notities", Notes),
    ("categorieën", Tags),
    ("verjaardag", Birthday),
    ("speciale datum", Anniversary),
    ("webpagina", Url(None)),
    ("e-mailadres", Email(None)),
    ("e-mailadres 2", Email(None)),
    ("e-mailadres 3", Email(None)),
    ("hoofdtelefoon", Phone(None)),
    ("telefoon op werk", Phone(W)),
    ("telefoon op werk 2", Phone(W)),
    ("mobiele telefoon", Phone(M)),
    ("hoofdtelefoon bedrijf", Phone(W)),
    ("telefoon thuis", Phone(H)),
    ("telefoon thuis 2", Phone(H)),
    ("andere telefoon", Phone(O)),
    ("autotelefoon", Phone(Some("car"))),
    ("telefoon assistent", Phone(Some("assistant"))),
    ("terugbellen", Phone(Some("callback"))),
    ("radiotelefoon", Phone(Some("radio"))),
    ("teksttelefoon", Phone(Some("tty"))),
    ("fax op werk", Phone(Some("work fax"))),
    ("fax thuis", Phone(Some("home fax"))),
    ("andere fax", Phone(Some("other fax"))),
    ("werkadres, straat", adr(WORK, STREET)),
    ("werkadres 2, straat", adr(WORK, STREET)),
    ("werkadres 3, straat", adr(WORK, STREET)),
    ("werkadres, postbusnummer", adr(WORK, PO_BOX)),
    ("werkadres, plaats", adr(WORK, CITY)),
    ("werkadres, provincie", adr(WORK, REGION)),
    ("werkadres, postcode", adr(WORK, POSTAL)),
    ("land/regio (werk)", adr(WORK, COUNTRY)),
    ("huisadres, straat", adr(HOME, STREET)),
    ("huisadres, straat 2", adr(HOME, STREET)),
    ("huisadres, straat 3", adr(HOME, STREET)),
    ("huisadres, postbusnummer", adr(HOME, PO_BOX)),
    ("huisadres, plaats", adr(HOME, CITY)),
    ("huisadres, provincie", adr(HOME, REGION)),
    ("huisadres, postcode", adr(HOME, POSTAL)),
    ("land/regio (thuis)", adr(HOME, COUNTRY)),
    ("ander adres, straat", adr(OTHER, STREET)),
    ("ander adres, straat 2", adr(OTHER, STREET)),
    ("ander adres, straat 3", adr(OTHER, STREET)),
    ("ander adres, postbusnummer", adr(OTHER, PO_BOX)),
    ("ander adres, plaats", adr(OTHER, CITY)),
    ("ander adres, provincie", adr(OTHER, REGION)),
    ("ander adres, postcode", adr(OTHER, POSTAL)),
    ("land/regio (anders)", adr(OTHER, COUNTRY)),
]);

// Brazilian and European Portuguese in one table: their names do not collide (Portugal's
// `Apelido` is the family name), and older Brazilian Outlooks wrote `Fone` for `Telefone`.
static OUTLOOK_PT: Layout = outlook(&[
    ("tratamento", Prefix),
    ("título", Prefix),
    ("primeiro nome", First),
    ("nome do meio", Middle),
    ("segundo nome", Middle),
    ("outros nomes/apelidos", Middle),
    ("sobrenome", Last),
    ("último nome", Last),
    ("apelido", Last),
    ("sufixo", Suffix),
    ("empresa", Parent),
    ("cargo", Title),
    ("anotações", Notes),
    ("notas", Notes),
    ("categorias", Tags),
    ("aniversário", Birthday),
    ("data de nascimento", Birthday),
    ("datas especiais", Anniversary),
    ("página da web", Url(None)),
    ("página na web", Url(None)),
    ("página web", Url(None)),
    ("endereço de email", Email(None)),
    ("endereço de email 2", Email(None)),
    ("endereço de email 3", Email(None)),
    ("endereço de e-mail", Email(None)),
    ("endereço de e-mail 2", Email(None)),
    ("endereço de e-mail 3", Email(None)),
    ("endereço de correio electrónico", Email(None)),
    ("endereço do correio electrónico 2", Email(None)),
    ("endereço do correio electrónico 3", Email(None)),
    ("telefone principal", Phone(None)),
    ("fone primario", Phone(None)),
    ("telefone comercial", Phone(W)),
    ("telefone comercial 2", Phone(W)),
    ("fone comercial", Phone(W)),
    ("fone comercial 2", Phone(W)),
    ("telefone da empresa", Phone(W)),
    ("2º telefone da empresa", Phone(W)),
    ("telefone celular", Phone(M)),
    ("celular", Phone(M)),
    ("telemóvel", Phone(M)),
    ("telefone principal da empresa", Phone(W)),
    ("telefone residencial", Phone(H)),
    ("telefone residencial 2", Phone(H)),
    ("fone de casa", Phone(H)),
    ("fone de casa 2", Phone(H)),
    ("telefone da residência", Phone(H)),
    ("2º telefone da residência", Phone(H)),
    ("outro telefone", Phone(O)),
    ("outro fone", Phone(O)),
    ("telefone do carro", Phone(Some("car"))),
    ("fone do carro", Phone(Some("car"))),
    ("telefone do assistente", Phone(Some("assistant"))),
    ("retorno de chamada", Phone(Some("callback"))),
    ("radiofone", Phone(Some("radio"))),
    ("telefone tty/tdd", Phone(Some("tty"))),
    ("fax comercial", Phone(Some("work fax"))),
    ("fax da empresa", Phone(Some("work fax"))),
    ("fax residencial", Phone(Some("home fax"))),
    ("fax de casa", Phone(Some("home fax"))),
    ("fax da residência", Phone(Some("home fax"))),
    ("outro fax", Phone(Some("other fax"))),
    ("rua comercial", adr(WORK, STREET)),
    ("rua do endereço comercial 2", adr(WORK, STREET)),
    ("rua do endereço comercial 3", adr(WORK, STREET)),
    ("rua da empresa", adr(WORK, STREET)),
    ("rua da empresa 2", adr(WORK, STREET)),
    ("rua da empresa 3", adr(WORK, STREET)),
    ("caixa postal do endereço comercial", adr(WORK, PO_BOX)),
    ("apartado da empresa", adr(WORK, PO_BOX)),
    ("cidade comercial", adr(WORK, CITY)),
    ("localidade da empresa", adr(WORK, CITY)),
    ("estado comercial", adr(WORK, REGION)),
    ("distrito da empresa", adr(WORK, REGION)),
    ("código postal comercial", adr(WORK, POSTAL)),
    ("código postal da empresa", adr(WORK, POSTAL)),
    ("país/região da empresa", adr(WORK, COUNTRY)),
    ("endereço residencial", adr(HOME, STREET)),
    ("endereço residencial 2", adr(HOME, STREET)),
    ("endereço residencial 3", adr(HOME, STREET)),
    ("rua da residência", adr(HOME, STREET)),
    ("rua da residência (2)", adr(HOME, STREET)),
    ("rua da residência (3)", adr(HOME, STREET)),
    ("caixa postal do endereço residencial", adr(HOME, PO_BOX)),
    ("apartado da residência", adr(HOME, PO_BOX)),
    ("cidade do endereço residencial", adr(HOME, CITY)),
    ("localidade da residência", adr(HOME, CITY)),
    ("distrito da residência", adr(HOME, REGION)),
    ("cep do endereço residencial", adr(HOME, POSTAL)),
    ("código postal da residência", adr(HOME, POSTAL)),
    ("país/região de residência", adr(HOME, COUNTRY)),
    ("país da residência/região", adr(HOME, COUNTRY)),
]);

// Thunderbird's "Comma Separated" export (English); its web pages are the work one, then the
// home one.
static THUNDERBIRD: Layout = Layout {
    dialect: Dialect::Thunderbird,
    columns: &[
        ("first name", First),
        ("last name", Last),
        ("display name", Full),
        ("nickname", Nickname),
        ("primary email", Email(None)),
        ("secondary email", Email(None)),
        ("work phone", Phone(W)),
        ("home phone", Phone(H)),
        ("mobile number", Phone(M)),
        ("fax number", Phone(Some("fax"))),
        ("pager number", Phone(Some("pager"))),
        ("home address", adr(HOME, STREET)),
        ("home address 2", adr(HOME, STREET)),
        ("home city", adr(HOME, CITY)),
        ("home state", adr(HOME, REGION)),
        ("home zipcode", adr(HOME, POSTAL)),
        ("home country", adr(HOME, COUNTRY)),
        ("work address", adr(WORK, STREET)),
        ("work address 2", adr(WORK, STREET)),
        ("work city", adr(WORK, CITY)),
        ("work state", adr(WORK, REGION)),
        ("work zipcode", adr(WORK, POSTAL)),
        ("work country", adr(WORK, COUNTRY)),
        ("job title", Title),
        ("organization", Parent),
        ("web page 1", Url(W)),
        ("web page 2", Url(H)),
        ("birth year", BirthYear),
        ("birth month", BirthMonth),
        ("birth day", BirthDay),
        ("notes", Notes),
    ],
    fallback: &[],
    numbered: false,
    labelled: false,
    day_first: false,
    tag_separators: &[],
};

// A German Thunderbird writes its export's header in German.
static THUNDERBIRD_DE: Layout = Layout {
    dialect: Dialect::Thunderbird,
    columns: &[
        ("vorname", First),
        ("nachname", Last),
        ("anzeigename", Full),
        ("spitzname", Nickname),
        ("primäre e-mail-adresse", Email(None)),
        ("sekundäre e-mail-adresse", Email(None)),
        ("tel. dienstlich", Phone(W)),
        ("tel. privat", Phone(H)),
        ("mobil-tel.-nr.", Phone(M)),
        ("fax-nummer", Phone(Some("fax"))),
        ("pager-nummer", Phone(Some("pager"))),
        ("arbeitstitel", Title),
        ("organisation", Parent),
        ("geburtsjahr", BirthYear),
        ("geburtsmonat", BirthMonth),
        ("geburtstag", BirthDay),
        ("notizen", Notes),
    ],
    fallback: &[],
    numbered: false,
    labelled: false,
    day_first: true,
    tag_separators: &[],
};

// LinkedIn's Connections.csv (Settings, Data privacy, Get a copy of your data).
static LINKEDIN: Layout = Layout {
    dialect: Dialect::Linkedin,
    columns: &[
        ("first name", First),
        ("last name", Last),
        ("email address", Email(None)),
        ("company", Parent),
        ("position", Title),
        ("url", Url(Some("linkedin"))),
        ("profile url", Url(Some("linkedin"))),
    ],
    fallback: &[],
    numbered: false,
    labelled: false,
    day_first: true,
    tag_separators: &[],
};

// Apple's Contacts exports only vCard; the apps people use to get a CSV out of it name each
// column with its label, which is also how many hand-made sheets look.
static APPLE: Layout = Layout {
    dialect: Dialect::Apple,
    columns: &[
        ("prefix", Prefix),
        ("first name", First),
        ("middle name", Middle),
        ("last name", Last),
        ("suffix", Suffix),
        ("nickname", Nickname),
        ("company", Parent),
        ("organization", Parent),
        ("job title", Title),
        ("birthday", Birthday),
        ("note", Notes),
        ("notes", Notes),
        ("groups", Tags),
    ],
    fallback: &[],
    numbered: false,
    labelled: true,
    day_first: false,
    tag_separators: &[';', ','],
};

#[cfg(test)]
mod tests {
    use super::*;

    fn header(line: &str) -> (Vec<String>, Vec<String>) {
        let raw: Vec<String> = line.split(',').map(String::from).collect();
        (raw.iter().map(|r| normalize(r)).collect(), raw)
    }

    fn dialect(line: &str) -> Result<Dialect, String> {
        let (h, raw) = header(line);
        place(&h, &raw).map(|p| p.layout.dialect)
    }

    #[test]
    fn each_export_is_told_by_its_header() {
        let cases = [
            ("parent,parent_kind,first_name,last_name", Dialect::Kith),
            (
                "Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value",
                Dialect::Google,
            ),
            (
                "First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,Labels",
                Dialect::Google,
            ),
            (
                "First Name,Last Name,Company,Job Title,E-mail Address",
                Dialect::Outlook,
            ),
            (
                "Anrede,Vorname,Nachname,Firma,Position,E-Mail-Adresse",
                Dialect::Outlook,
            ),
            (
                "Prénom,Nom,Société,Titre,Adresse de messagerie",
                Dialect::Outlook,
            ),
            (
                "Nombre,Apellidos,Organización,Puesto,E-mail Address",
                Dialect::Outlook,
            ),
            (
                "Nome,Cognome,Società,Qualifica,Indirizzo posta elettronica",
                Dialect::Outlook,
            ),
            (
                "Voornaam,Achternaam,Bedrijf,Functie,E-mailadres",
                Dialect::Outlook,
            ),
            (
                "Primeiro nome,Sobrenome,Empresa,Cargo,Endereço de email 2",
                Dialect::Outlook,
            ),
            (
                "First Name,Last Name,Display Name,Primary Email,Work Phone",
                Dialect::Thunderbird,
            ),
            (
                "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
                Dialect::Linkedin,
            ),
            (
                "First name,Last name,Email (Work),Phone : mobile",
                Dialect::Apple,
            ),
            ("Primary Email", Dialect::Thunderbird),
        ];
        for (line, want) in cases {
            assert_eq!(dialect(line), Ok(want), "{line}");
        }
    }

    #[test]
    fn google_values_find_their_labels() {
        let (h, raw) =
            header("Given Name,E-mail 2 - Type,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value");
        let p = place(&h, &raw).unwrap();
        let email = p.slots.iter().find(|s| s.col == 2).unwrap();
        assert_eq!((email.field, email.label_col), (Email(None), Some(1)));
        let phone = p.slots.iter().find(|s| s.col == 4).unwrap();
        assert_eq!((phone.field, phone.label_col), (Phone(None), Some(3)));
    }

    #[test]
    fn an_unknown_header_names_what_could_not_be_placed() {
        let e = dialect("Foo,Bar").unwrap_err();
        assert_eq!(
            e,
            "not a contacts CSV kith knows: no name, email or organisation column among \"Foo\", \"Bar\""
        );
        let e = dialect("Vorname,Nachname,Telefon").unwrap_err();
        assert!(
            e.contains("\"Vorname\", \"Nachname\"") && e.ends_with("among \"Telefon\""),
            "{e}"
        );
    }
}
