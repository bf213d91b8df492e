//! Contacts CSV files as address books export them, read the way their owners expect: Google's
//! old and new layouts, Outlook in seven languages and Outlook.com, Thunderbird, LinkedIn,
//! Apple-contacts exporters and kith's own, in every encoding those files come in. The files are
//! in tests/fixtures/csv; SOURCES.md there says where each came from.
//!
//! The full lists (every email and phone with its label) are checked through
//! `kith::interop::csv::read`; the real binary is checked on what `contacts --format json`
//! shows of them.

mod common;

use common::Kith;
use kith::domain::Labeled;
use kith::interop::csv::{read, Dialect, Row};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/csv")
        .join(name)
}

/// The rows of a fixture, every one of which must read.
fn fixture_rows(name: &str) -> (Dialect, Vec<Row>) {
    let bytes = std::fs::read(fixture(name)).expect("the fixture exists");
    let (dialect, rows) = read(&bytes).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    let rows = rows
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{name}: {e:?}")))
        .collect();
    (dialect, rows)
}

/// (value, label, preferred) of each entry, to compare in one line.
fn entries(list: &[Labeled]) -> Vec<(&str, Option<&str>, bool)> {
    list.iter()
        .map(|l| (l.value.as_str(), l.label.as_deref(), l.preferred))
        .collect()
}

fn s(v: &Option<String>) -> Option<&str> {
    v.as_deref()
}

// ---------------------------------------------------------------------------------------------
// Google
// ---------------------------------------------------------------------------------------------

#[test]
fn google_old_layout_every_email_and_phone_with_its_label() {
    let (dialect, rows) = fixture_rows("google_old.csv");
    assert_eq!(dialect, Dialect::Google);
    let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
    assert_eq!(
        lines,
        [2, 6, 7, 8, 9],
        "multi-line cells counted, the empty row skipped"
    );

    let jose = &rows[0];
    let f = &jose.fields;
    assert_eq!(s(&f.first_name), Some("José"));
    assert_eq!(s(&f.middle_name), Some("Ángel"));
    assert_eq!(s(&f.last_name), Some("Müller-Lüdenscheidt"));
    assert_eq!(s(&f.full_name), Some("José Müller-Lüdenscheidt"));
    assert_eq!((s(&f.prefix), s(&f.suffix)), (Some("Dr."), Some("Jr.")));
    assert_eq!(s(&f.nickname), Some("Pepe"));
    assert_eq!(
        entries(&f.emails),
        [
            ("jose@home.example", Some("home"), false),
            ("jose.mueller@firma.example", Some("work"), true),
            ("jm@firma.example", Some("work"), false),
        ],
        "`* Work` marks the primary; `a ::: b` is two addresses of one label"
    );
    assert_eq!(s(&f.email), Some("jose.mueller@firma.example"));
    assert_eq!(
        entries(&f.phones),
        [
            ("+49 170 5550123", Some("mobile"), true),
            ("pager", Some("pager"), false),
        ]
    );
    assert_eq!(
        jose.warnings,
        ["phone \"pager\" kept as typed: it has fewer than 3 digits"]
    );
    assert_eq!(jose.parent.as_deref(), Some("Bäckerei Größe GmbH"));
    assert_eq!(s(&f.title), Some("Geschäftsführer"));
    assert_eq!(f.tags, ["Freunde"], "Google's own groups are dropped");
    assert_eq!(s(&f.birthday), Some("1970-03-14"));
    assert_eq!(s(&f.notes), Some("Tänzer.\nMag Kaffee."));
    assert_eq!(
        entries(&f.urls),
        [("https://firma.example/jose", Some("Profile"), false)]
    );
    assert_eq!(
        entries(&f.addresses),
        [(";;Hauptstraße 5;Berlin;;10115;DE", Some("work"), false)]
    );

    let zoe = &rows[1].fields;
    assert_eq!(
        (s(&zoe.first_name), s(&zoe.last_name)),
        (Some("Zoë"), Some("Ødegård"))
    );
    assert_eq!(
        entries(&zoe.emails),
        [("zoe@fjord.example", Some("other"), true)]
    );
    assert_eq!(
        s(&zoe.birthday),
        Some("--05-17"),
        "a birthday without a year"
    );
    assert!(zoe.tags.is_empty());
}

#[test]
fn google_rows_with_only_an_email_or_an_organisation_get_a_name_and_a_warning() {
    let (_, rows) = fixture_rows("google_old.csv");
    let email_only = &rows[2];
    assert_eq!(s(&email_only.fields.full_name), Some("francoise.dupont"));
    assert_eq!(
        email_only.warnings,
        ["no name: shown as \"francoise.dupont\""]
    );
    let org_only = &rows[3];
    assert_eq!(s(&org_only.fields.full_name), Some("Ça Va Café"));
    assert_eq!(org_only.parent.as_deref(), Some("Ça Va Café"));
    assert_eq!(org_only.warnings, ["no name: shown as \"Ça Va Café\""]);
    assert_eq!(s(&org_only.fields.phone), Some("+33 1 55 55 01 23"));

    let bad_email = &rows[4];
    assert_eq!(s(&bad_email.fields.full_name), Some("Émile Zola"));
    assert!(bad_email.fields.emails.is_empty() && bad_email.fields.email.is_none());
    assert_eq!(
        bad_email.warnings,
        ["e-mail left out: \"emile at zola\" is not an email address: it contains a space"]
    );
}

#[test]
fn the_same_google_export_reads_the_same_in_every_encoding() {
    let (_, want) = fixture_rows("google_old.csv");
    for name in [
        "google_old_utf8_bom.csv",
        "google_old_utf16le_bom.csv",
        "google_old_utf16be_bom.csv",
        "google_old_utf16le.csv",
        "google_old_windows1252.csv",
    ] {
        let (dialect, got) = fixture_rows(name);
        assert_eq!(dialect, Dialect::Google, "{name}");
        assert_eq!(got, want, "{name}: the same rows, accents intact");
    }
}

#[test]
fn google_new_layout_labels_events_and_addresses() {
    let (dialect, rows) = fixture_rows("google_new.csv");
    assert_eq!(dialect, Dialect::Google);
    assert_eq!(rows.len(), 3, "the empty row is skipped");
    let grace = &rows[0];
    let f = &grace.fields;
    assert_eq!(
        (s(&f.first_name), s(&f.middle_name), s(&f.last_name)),
        (Some("Grace"), Some("Brewster"), Some("Hopper"))
    );
    assert_eq!(s(&f.full_name), Some("Grace Brewster Hopper"));
    assert_eq!(
        (s(&f.prefix), s(&f.nickname)),
        (Some("RAdm."), Some("Amazing Grace"))
    );
    assert_eq!(grace.parent.as_deref(), Some("US Navy"));
    assert_eq!(s(&f.title), Some("Rear Admiral"));
    assert_eq!(
        entries(&f.emails),
        [
            ("grace@navy.example", Some("work"), true),
            ("grace@home.example", Some("home"), false),
        ]
    );
    assert_eq!(
        entries(&f.phones),
        [
            ("+1 202 555 0199", Some("mobile"), true),
            ("business phone test", Some("work"), false),
        ],
        "a phone field holding text is kept as typed"
    );
    assert_eq!(
        grace.warnings,
        ["phone \"business phone test\" kept as typed: it has fewer than 3 digits"]
    );
    assert_eq!(f.tags, ["Navy", "Friends"]);
    assert_eq!(s(&f.birthday), Some("1906-12-09"));
    assert_eq!(s(&f.anniversary), Some("1930-06-15"));
    assert_eq!(
        entries(&f.addresses),
        [(";;1 Main St;Arlington;VA;;", Some("home"), false)]
    );

    assert_eq!(s(&rows[1].fields.full_name), Some("jane.doe"));
    assert_eq!(rows[1].warnings, ["no name: shown as \"jane.doe\""]);
    assert_eq!(rows[2].parent.as_deref(), Some("Acme Plumbing"));
    assert_eq!(s(&rows[2].fields.full_name), Some("Acme Plumbing"));
    assert_eq!(rows[2].fields.tags, ["Suppliers"]);
}

// ---------------------------------------------------------------------------------------------
// Outlook
// ---------------------------------------------------------------------------------------------

#[test]
fn outlook_english_columns_mean_work_home_and_mobile() {
    let (dialect, rows) = fixture_rows("outlook_en.csv");
    assert_eq!(dialect, Dialect::Outlook);
    assert_eq!(rows.len(), 3);
    let kj = &rows[0];
    let f = &kj.fields;
    assert_eq!(s(&f.full_name), Some("Katherine G. Johnson"));
    assert_eq!(s(&f.middle_name), Some("G."));
    assert_eq!(
        s(&f.prefix),
        Some("Dr."),
        "Outlook's Title is the honorific"
    );
    assert_eq!(s(&f.title), Some("Research Mathematician"));
    assert_eq!(kj.parent.as_deref(), Some("NASA Langley"));
    assert_eq!(
        entries(&f.emails),
        [
            ("katherine.johnson@nasa.example", None, true),
            ("kj@home.example", None, false),
        ]
    );
    assert_eq!(
        entries(&f.phones),
        [
            ("+1 757 555 0101", Some("work"), true),
            ("business phone test", Some("work"), false),
            ("+1 757 555 0177", Some("mobile"), false),
        ]
    );
    assert_eq!(
        kj.warnings,
        [
            "e-mail left out: \"not an address\" is not an email address: it contains a space",
            "phone \"business phone test\" kept as typed: it has fewer than 3 digits",
        ]
    );
    assert_eq!(f.tags, ["Customers", "VIP"]);
    assert_eq!(s(&f.birthday), Some("1918-08-26"), "M/D/YYYY");
    assert_eq!(s(&f.anniversary), None, "0/0/00 is Outlook's empty date");
    assert_eq!(entries(&f.urls), [("https://nasa.example/kj", None, false)]);
    assert_eq!(
        entries(&f.addresses),
        [(
            ";;1 NASA Drive;Hampton;VA;23666;United States of America",
            Some("work"),
            false
        )]
    );

    let hedy = &rows[1].fields;
    assert_eq!(
        entries(&hedy.phones),
        [
            ("+1 310 555 0133", Some("home"), true),
            ("pager", Some("pager"), false),
        ]
    );
    assert_eq!(s(&hedy.birthday), None);
    assert_eq!(
        rows[2].warnings,
        ["no name: shown as \"Frequency Hopping Inc.\""]
    );
}

#[test]
fn outlook_com_prefers_the_primary_phone() {
    let (dialect, rows) = fixture_rows("outlook_com.csv");
    assert_eq!(dialect, Dialect::Outlook);
    let f = &rows[0].fields;
    assert_eq!(
        (s(&f.first_name), s(&f.last_name)),
        (Some("Ada"), Some("Lovelace"))
    );
    assert_eq!(s(&f.prefix), Some("Lady"));
    assert_eq!(s(&f.title), Some("Programmer"));
    assert_eq!(rows[0].parent.as_deref(), Some("Analytical Engines Ltd"));
    assert_eq!(
        entries(&f.phones),
        [
            ("+44 20 7946 0000", None, true),
            ("+44 20 7946 0958", Some("mobile"), false),
        ]
    );
    assert_eq!(s(&f.birthday), Some("1815-12-10"));
    assert_eq!(
        entries(&f.urls),
        [("https://ada.example", Some("home"), false)]
    );
    assert_eq!(
        entries(&f.addresses),
        [(";;;London;;;United Kingdom", Some("home"), false)]
    );
}

#[test]
fn german_outlook_in_windows_1252_with_semicolons() {
    let (dialect, rows) = fixture_rows("outlook_de.csv");
    assert_eq!(dialect, Dialect::Outlook);
    assert_eq!(rows.len(), 2);
    let j = &rows[0];
    let f = &j.fields;
    assert_eq!(
        (s(&f.first_name), s(&f.last_name)),
        (Some("Jürgen"), Some("Müller"))
    );
    assert_eq!(s(&f.prefix), Some("Herr"));
    assert_eq!(j.parent.as_deref(), Some("Bäckerei Müller GmbH"));
    assert_eq!(s(&f.title), Some("Geschäftsführer"));
    assert_eq!(
        entries(&f.emails),
        [
            ("juergen@baeckerei.example", None, true),
            ("j.mueller@privat.example", None, false),
        ]
    );
    assert_eq!(
        entries(&f.phones),
        [
            ("+49 30 5550 1234", Some("work"), true),
            ("+49 171 5550000", Some("mobile"), false),
        ]
    );
    assert_eq!(s(&f.birthday), Some("1965-03-14"), "D.M.YYYY");
    assert_eq!(f.tags, ["Kunden", "Lieferanten"]);
    assert_eq!(s(&f.notes), Some("Preis: 200 € – bitte bestätigen"));
    assert_eq!(
        entries(&f.addresses),
        [(";;Brotweg 1;Köln;;50667;Deutschland", Some("work"), false)]
    );
    assert!(j.warnings.is_empty(), "{:?}", j.warnings);
    let anna = &rows[1].fields;
    assert_eq!(
        entries(&anna.phones),
        [("+49 221 5550 999", Some("home"), true)]
    );
}

/// What one row of a localised Outlook export must give.
struct Expect {
    file: &'static str,
    name: (&'static str, &'static str),
    parent: &'static str,
    title: &'static str,
    emails: &'static [&'static str],
    phones: &'static [(&'static str, &'static str)],
    birthday: &'static str,
    tags: &'static [&'static str],
}

#[test]
fn outlook_in_french_spanish_italian_dutch_and_portuguese() {
    let cases = [
        Expect {
            file: "outlook_fr.csv",
            name: ("Hélène", "Lefèvre"),
            parent: "Société Générale d'Études",
            title: "Ingénieure",
            emails: &["helene@etudes.example"],
            phones: &[
                ("+33 1 55 55 12 34", "work"),
                ("+33 6 55 55 12 34", "mobile"),
            ],
            birthday: "1980-01-02",
            tags: &["Clients"],
        },
        Expect {
            file: "outlook_es.csv",
            name: ("José", "García Márquez"),
            parent: "Compañía Ñandú S.A.",
            title: "Director",
            emails: &["jl.garcia@nandu.example", "jose@casa.example"],
            phones: &[("+34 91 555 01 23", "work"), ("+34 600 555 012", "mobile")],
            birthday: "1975-12-25",
            tags: &["Clientes"],
        },
        Expect {
            file: "outlook_it.csv",
            name: ("Giulia", "Bianchi"),
            parent: "Caffè Università S.r.l.",
            title: "Responsabile acquisti",
            emails: &["giulia@caffe.example"],
            phones: &[("+39 011 555 0101", "work"), ("+39 333 555 0101", "mobile")],
            birthday: "1990-04-07",
            tags: &["Fornitori"],
        },
        Expect {
            file: "outlook_nl.csv",
            name: ("Sanne", "de Vries"),
            parent: "Stroopwafel B.V.",
            title: "Directeur",
            emails: &["sanne@stroopwafel.example"],
            phones: &[("+31 182 555 010", "work"), ("+31 6 5555 0101", "mobile")],
            birthday: "1988-04-03",
            tags: &["Klanten"],
        },
        Expect {
            file: "outlook_pt.csv",
            name: ("Maria", "Gonçalves"),
            parent: "Padaria Pão de Açúcar Ltda.",
            title: "Gerente",
            emails: &["maria@pao.example", "maria.g@casa.example"],
            phones: &[
                ("+55 11 5555-0123", "work"),
                ("+55 11 95555-0123", "mobile"),
            ],
            birthday: "1982-08-15",
            tags: &["Clientes", "Fornecedores"],
        },
    ];
    for e in cases {
        let (dialect, rows) = fixture_rows(e.file);
        assert_eq!(dialect, Dialect::Outlook, "{}", e.file);
        let row = &rows[0];
        let f = &row.fields;
        assert_eq!(
            (s(&f.first_name), s(&f.last_name)),
            (Some(e.name.0), Some(e.name.1)),
            "{}",
            e.file
        );
        assert_eq!(row.parent.as_deref(), Some(e.parent), "{}", e.file);
        assert_eq!(s(&f.title), Some(e.title), "{}", e.file);
        let emails: Vec<&str> = f.emails.iter().map(|l| l.value.as_str()).collect();
        assert_eq!(emails, e.emails, "{}", e.file);
        assert!(f.emails[0].preferred, "{}: the first is preferred", e.file);
        let phones: Vec<(&str, &str)> = f
            .phones
            .iter()
            .map(|l| (l.value.as_str(), l.label.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(phones, e.phones, "{}", e.file);
        assert_eq!(
            s(&f.birthday),
            Some(e.birthday),
            "{}: day before month",
            e.file
        );
        assert_eq!(f.tags, e.tags, "{}", e.file);
        assert!(row.warnings.is_empty(), "{}: {:?}", e.file, row.warnings);
    }
}

#[test]
fn outlook_prefix_and_middle_names_in_other_languages() {
    let (_, rows) = fixture_rows("outlook_es.csv");
    let f = &rows[0].fields;
    assert_eq!(
        s(&f.prefix),
        Some("Sr."),
        "Spanish Outlook keeps `Title` in English"
    );
    assert_eq!(s(&f.middle_name), Some("Luis"));
    assert_eq!(s(&f.full_name), Some("José Luis García Márquez"));
    let (_, rows) = fixture_rows("outlook_nl.csv");
    assert_eq!(
        entries(&rows[0].fields.addresses),
        [(";;Markt 3;Gouda;;2801 JE;Nederland", Some("work"), false)],
        "Dutch column names hold commas"
    );
    let (_, rows) = fixture_rows("outlook_pt.csv");
    assert_eq!(s(&rows[0].fields.prefix), Some("Sra."));
    assert_eq!(s(&rows[0].fields.middle_name), Some("da Conceição"));
}

#[test]
fn outlook_with_nothing_but_emails_still_imports() {
    let (dialect, rows) = fixture_rows("roundcube_outlook_emails.csv");
    assert_eq!(dialect, Dialect::Outlook);
    let f = &rows[0].fields;
    assert_eq!(
        entries(&f.emails),
        [
            ("test1@domain.tld", None, true),
            ("test2@domain.tld", None, false),
            ("test3@domain.tld", None, false),
        ]
    );
    assert_eq!(s(&f.full_name), Some("test1"));
    assert_eq!(rows[0].warnings, ["no name: shown as \"test1\""]);
}

// ---------------------------------------------------------------------------------------------
// Thunderbird
// ---------------------------------------------------------------------------------------------

#[test]
fn thunderbird_exports_from_its_own_test_suite() {
    let (dialect, rows) = fixture_rows("thunderbird_basic.csv");
    assert_eq!(dialect, Dialect::Thunderbird);
    let got: Vec<(Option<&str>, Option<&str>)> = rows
        .iter()
        .map(|r| (s(&r.fields.full_name), s(&r.fields.email)))
        .collect();
    assert_eq!(
        got,
        [
            (Some("John Doe"), Some("john@doe.invalid")),
            (Some("Jane Doe"), Some("jane@doe.invalid")),
        ]
    );

    let (dialect, semi) = fixture_rows("thunderbird_semicolon.csv");
    assert_eq!(dialect, Dialect::Thunderbird);
    assert_eq!(semi, rows, "`;` between fields reads as `,` does");

    let (_, rows) = fixture_rows("thunderbird_export.csv");
    assert_eq!(rows.len(), 2);
    let two = &rows[1];
    assert_eq!(s(&two.fields.full_name), Some("contact number two"));
    assert_eq!(
        (s(&two.fields.first_name), s(&two.fields.last_name)),
        (Some("contact"), Some("two"))
    );
    assert_eq!(s(&two.fields.title), Some("\"worker\""));
    assert_eq!(s(&two.fields.notes), Some("here's some unicode text…"));
    assert!(two.fields.emails.is_empty());
    assert_eq!(
        two.warnings,
        ["e-mail left out: \"contact2@invalid\" is not an email address: the domain needs a dot, like example.com"],
        "an address without a domain is dropped, the person kept"
    );
}

#[test]
fn thunderbird_phones_that_are_words_and_a_birthday_in_three_columns() {
    let (_, rows) = fixture_rows("roundcube_thunderbird.csv");
    let row = &rows[0];
    let f = &row.fields;
    assert_eq!(s(&f.full_name), Some("Displayname"));
    assert_eq!(s(&f.nickname), Some("Nick"));
    assert_eq!(
        entries(&f.emails),
        [
            ("test@domain.tld", None, true),
            ("next@domain.tld", None, false),
        ]
    );
    assert_eq!(
        entries(&f.phones),
        [
            ("phone work", Some("work"), true),
            ("mobile", Some("mobile"), false),
            ("phone home", Some("home"), false),
            ("fax", Some("fax"), false),
            ("pager", Some("pager"), false),
        ],
        "in the order a preferred phone is picked: work, mobile, home, the rest"
    );
    assert_eq!(row.warnings.len(), 5, "{:?}", row.warnings);
    assert!(row
        .warnings
        .iter()
        .all(|w| w.ends_with("fewer than 3 digits")));
    assert_eq!(s(&f.birthday), Some("1970-11-15"));
    assert_eq!(row.parent.as_deref(), Some("Organization"));
    assert_eq!(s(&f.title), Some("title"));
    assert_eq!(
        entries(&f.urls),
        [
            ("http://page.com", Some("work"), false),
            ("http://webpage.tld", Some("home"), false),
        ]
    );
    assert_eq!(
        entries(&f.addresses),
        [
            (";;Addr work;city;region;33-333;Poland", Some("work"), false),
            (";;Priv address;City;region;xx-xxx;USA", Some("home"), false),
        ]
    );
}

#[test]
fn a_file_of_nothing_but_addresses() {
    let (_, rows) = fixture_rows("roundcube_email_only.csv");
    let names: Vec<Option<&str>> = rows.iter().map(|r| s(&r.fields.full_name)).collect();
    assert_eq!(
        names,
        [Some("test1"), Some("test2"), Some("test3"), Some("test4")]
    );
    assert!(rows.iter().all(|r| r.warnings.len() == 1));
}

// ---------------------------------------------------------------------------------------------
// LinkedIn, Apple, kith
// ---------------------------------------------------------------------------------------------

#[test]
fn linkedin_connections_after_their_notes() {
    let (dialect, rows) = fixture_rows("linkedin_connections.csv");
    assert_eq!(dialect, Dialect::Linkedin);
    let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [5, 6, 7]);
    let priya = &rows[0];
    assert_eq!(
        (s(&priya.fields.first_name), s(&priya.fields.last_name)),
        (Some("Priya"), Some("Sharma"))
    );
    assert_eq!(priya.parent.as_deref(), Some("Stripe, Inc."));
    assert_eq!(s(&priya.fields.title), Some("Technical Recruiter"));
    assert!(priya.fields.emails.is_empty());
    assert_eq!(
        entries(&priya.fields.urls),
        [(
            "https://www.linkedin.com/in/priya-sharma-example",
            Some("linkedin"),
            false
        )]
    );
    let arjun = &rows[1];
    assert_eq!(
        entries(&arjun.fields.emails),
        [("arjun@example.com", None, true)]
    );
    assert_eq!(
        s(&arjun.fields.title),
        Some("Engineering Manager, Payments")
    );
    assert_eq!(s(&rows[2].fields.first_name), Some("Renée"));
    assert!(rows.iter().all(|r| r.warnings.is_empty()));
}

#[test]
fn apple_contacts_columns_named_with_their_labels() {
    let (dialect, rows) = fixture_rows("apple_contacts.csv");
    assert_eq!(dialect, Dialect::Apple);
    let row = &rows[0];
    let f = &row.fields;
    assert_eq!(
        (s(&f.first_name), s(&f.last_name)),
        (Some("Björk"), Some("Guðmundsdóttir"))
    );
    assert_eq!(row.parent.as_deref(), Some("One Little Independent"));
    assert_eq!(s(&f.title), Some("Singer"));
    assert_eq!(
        entries(&f.emails),
        [
            ("bjork@example.is", Some("home"), true),
            ("office@oli.example", Some("work"), false),
        ]
    );
    assert_eq!(
        entries(&f.phones),
        [
            ("+354 555 0101", Some("mobile"), true),
            ("+354 555 0102", Some("mobile"), false),
        ],
        "iPhone is a mobile"
    );
    assert_eq!(s(&f.birthday), Some("1965-11-21"));
    assert_eq!(
        entries(&f.urls),
        [("https://bjork.example", Some("home"), false)]
    );
    assert_eq!(s(&f.notes), Some("Sings."));
}

#[test]
fn kiths_own_csv_keeps_its_strict_email() {
    let (dialect, rows) = fixture_rows("kith.csv");
    assert_eq!(dialect, Dialect::Kith);
    let ada = &rows[0];
    assert_eq!(ada.parent.as_deref(), Some("Acme"));
    assert_eq!(ada.parent_kind, Some(kith::domain::ParentKind::Customer));
    assert_eq!(s(&ada.fields.email), Some("ada@acme.example"));
    assert_eq!(s(&ada.fields.phone), Some("+44 20 7946 0958"));
    assert_eq!(s(&ada.fields.notes), Some("two\nlines"));
    assert_eq!(s(&rows[1].fields.full_name), Some("solo"));
    assert_eq!(rows[1].warnings, ["no name: shown as \"solo\""]);
}

#[test]
fn an_unknown_header_lists_the_columns_kith_could_not_place() {
    let bytes = std::fs::read(fixture("unknown.csv")).unwrap();
    let e = read(&bytes).unwrap_err();
    assert_eq!(e.line, 1);
    assert_eq!(
        e.message,
        "not a contacts CSV kith knows: no name, email or organisation column among \"Foo\", \"Bar\", \"Telefon\""
    );
}

// ---------------------------------------------------------------------------------------------
// The real binary
// ---------------------------------------------------------------------------------------------

fn import(k: &Kith, name: &str) -> (String, String) {
    let file = fixture(name);
    let out = k.run(&["import", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "import {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// (full name, email, phone, title, parent) of each contact, sorted.
fn shown(k: &Kith) -> Vec<[String; 5]> {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    let mut all: Vec<[String; 5]> = k
        .contacts_json()
        .iter()
        .map(|c| {
            [
                text(&c["full_name"]),
                text(&c["email"]),
                text(&c["phone"]),
                text(&c["title"]),
                text(&c["parent"]["name"]),
            ]
        })
        .collect();
    all.sort();
    all
}

fn row(v: [&str; 5]) -> [String; 5] {
    v.map(String::from)
}

#[test]
fn kith_imports_a_utf16_google_export_with_its_warnings() {
    for name in ["google_old_utf16le_bom.csv", "google_old_windows1252.csv"] {
        let k = Kith::new();
        let (stdout, stderr) = import(&k, name);
        assert!(stdout.starts_with("Imported 5 contact(s)"), "{stdout}");
        let file = fixture(name);
        let warnings: Vec<&str> = stderr.lines().collect();
        assert_eq!(
            warnings,
            [
                format!("kith: {}:2: warning: phone \"pager\" kept as typed: it has fewer than 3 digits", file.display()),
                format!("kith: {}:7: warning: no name: shown as \"francoise.dupont\"", file.display()),
                format!("kith: {}:8: warning: no name: shown as \"Ça Va Café\"", file.display()),
                format!("kith: {}:9: warning: e-mail left out: \"emile at zola\" is not an email address: it contains a space", file.display()),
            ],
            "{name}"
        );
        assert_eq!(
            shown(&k),
            [
                row([
                    "José Müller-Lüdenscheidt",
                    "jose.mueller@firma.example",
                    "+49 170 5550123",
                    "Geschäftsführer",
                    "Bäckerei Größe GmbH"
                ]),
                row(["Zoë Ødegård", "zoe@fjord.example", "", "", "Unfiled"]),
                row([
                    "francoise.dupont",
                    "francoise.dupont@exemple.example",
                    "",
                    "",
                    "Unfiled"
                ]),
                row(["Ça Va Café", "", "+33 1 55 55 01 23", "", "Ça Va Café"]),
                row(["Émile Zola", "", "", "", "Unfiled"]),
            ]
            .into_iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>(),
            "{name}"
        );
        let jose = k
            .contacts_json()
            .into_iter()
            .find(|c| c["full_name"] == "José Müller-Lüdenscheidt")
            .unwrap();
        assert_eq!(jose["first_name"], "José");
        assert_eq!(jose["last_name"], "Müller-Lüdenscheidt");
    }
}

#[test]
fn kith_imports_outlook_in_german_and_linkedin_connections() {
    let k = Kith::new();
    let (stdout, stderr) = import(&k, "outlook_de.csv");
    assert!(stdout.starts_with("Imported 2 contact(s)"), "{stdout}");
    assert_eq!(stderr, "");
    let (stdout, stderr) = import(&k, "linkedin_connections.csv");
    assert!(stdout.starts_with("Imported 3 contact(s)"), "{stdout}");
    assert_eq!(stderr, "");
    assert_eq!(
        shown(&k),
        [
            row([
                "Anna Schäfer",
                "anna@schaefer.example",
                "+49 221 5550 999",
                "",
                "Unfiled"
            ]),
            row([
                "Arjun Mehta",
                "arjun@example.com",
                "",
                "Engineering Manager, Payments",
                "Amazon Web Services (AWS)"
            ]),
            row([
                "Jürgen Müller",
                "juergen@baeckerei.example",
                "+49 30 5550 1234",
                "Geschäftsführer",
                "Bäckerei Müller GmbH"
            ]),
            row([
                "Priya Sharma",
                "",
                "",
                "Technical Recruiter",
                "Stripe, Inc."
            ]),
            row(["Renée Dubois", "", "", "", "Unfiled"]),
        ]
    );
}

#[test]
fn kith_imports_thunderbirds_export_keeping_people_whose_address_is_bad() {
    let k = Kith::new();
    let (stdout, stderr) = import(&k, "thunderbird_export.csv");
    assert!(stdout.starts_with("Imported 2 contact(s)"), "{stdout}");
    let file = fixture("thunderbird_export.csv");
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        [
            format!("kith: {}:2: warning: e-mail left out: \"contact1@invalid\" is not an email address: the domain needs a dot, like example.com", file.display()),
            format!("kith: {}:3: warning: e-mail left out: \"contact2@invalid\" is not an email address: the domain needs a dot, like example.com", file.display()),
        ]
    );
    assert_eq!(
        shown(&k),
        [
            row(["contact number one", "", "", "", "Unfiled"]),
            row(["contact number two", "", "", "\"worker\"", "Unfiled"]),
        ]
    );
}

#[test]
fn kith_refuses_an_unknown_header_in_one_line_naming_the_columns() {
    let k = Kith::new();
    let file = fixture("unknown.csv");
    let stderr = k.fails(&["import", file.to_str().unwrap()]);
    assert_eq!(
        stderr,
        format!(
            "kith: {}:1: not a contacts CSV kith knows: no name, email or organisation column among \"Foo\", \"Bar\", \"Telefon\"\n",
            file.display()
        )
    );
    assert!(k.contacts_json().is_empty());
}

#[test]
fn a_row_longer_than_its_header_is_imported_with_a_warning_naming_its_line() {
    let k = Kith::new();
    let file = k.path("long.csv");
    std::fs::write(
        &file,
        "parent,parent_kind,first_name,last_name,email\n\
         Acme,customer,Ann,Lee,ann@acme.example\n\
         Acme,customer,Bob,Ray,bob@acme.example,+1 555 0100,CTO\n\
         Acme,customer,Cat,Fox,cat@acme.example,,\n",
    )
    .unwrap();
    let out = k.run(&["import", file.to_str().unwrap()]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    // Line 3 loses two values and says so; line 4's empty fields lose nothing.
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        [format!(
            "kith: {}:3: warning: 7 fields where the header has 5: 2 value(s) past its last column left out",
            file.display()
        )]
    );
    assert_eq!(k.contacts_json().len(), 3);

    // A row whose only values lie past the header reads as nothing: a bad row, not a silence.
    let (_, rows) = read(b"first_name,email\nAnn,ann@acme.example\n,,stray\n").unwrap();
    let bad = rows[1].as_ref().unwrap_err();
    assert_eq!(bad.line, 3);
    assert!(
        bad.message.contains("3 fields where the header has 2"),
        "{bad:?}"
    );
}
