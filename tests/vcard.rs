//! vCard reading against a corpus of awkward exports written here (tests/corpus/vcard) and of
//! real files from other projects' test suites (tests/fixtures/vcard, see
//! tests/fixtures/SOURCES.md), and writing: folding, escaping and round trips.

use kith::domain::validate::is_forbidden;
use kith::domain::{Contact, ContactFields, Labeled, ParentKind};
use kith::interop::vcard::{self, Card, CardError, Version};
use proptest::prelude::*;

fn corpus(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/corpus/vcard/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Parses a corpus file that must read without any error.
fn cards(name: &str) -> Vec<Card> {
    vcard::parse(&corpus(name))
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{name}: {e}")))
        .collect()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

/// The fields a user would check, in a form that prints well when a test fails.
#[allow(clippy::too_many_arguments)]
fn fields(
    first: Option<&str>,
    last: Option<&str>,
    full: &str,
    email: Option<&str>,
    phone: Option<&str>,
    title: Option<&str>,
    notes: Option<&str>,
) -> ContactFields {
    ContactFields {
        first_name: first.map(str::to_string),
        last_name: last.map(str::to_string),
        full_name: s(full),
        email: email.map(str::to_string),
        phone: phone.map(str::to_string),
        title: title.map(str::to_string),
        notes: notes.map(str::to_string),
        ..Default::default()
    }
}

fn card(line: usize, fields: ContactFields, org: Option<&str>) -> Card {
    Card {
        line,
        fields,
        org: org.map(str::to_string),
        parent_kind: None,
        warnings: Vec::new(),
    }
}

/// The first seven fields and the parent of each card: what the corpus tests below compare
/// whole. The lists, the other names and `extra` are checked one by one where they matter.
fn seven(cards: &[Card]) -> Vec<Card> {
    cards
        .iter()
        .map(|c| {
            let f = &c.fields;
            Card {
                fields: ContactFields {
                    first_name: f.first_name.clone(),
                    last_name: f.last_name.clone(),
                    full_name: f.full_name.clone(),
                    email: f.email.clone(),
                    phone: f.phone.clone(),
                    title: f.title.clone(),
                    notes: f.notes.clone(),
                    ..Default::default()
                },
                warnings: Vec::new(),
                ..c.clone()
            }
        })
        .collect()
}

/// Emails, phones, addresses or URLs as (value, label, preferred).
fn labeled(list: &[Labeled]) -> Vec<(&str, Option<&str>, bool)> {
    list.iter()
        .map(|l| (l.value.as_str(), l.label.as_deref(), l.preferred))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------------------------

#[test]
fn v21_quoted_printable_latin1() {
    let got = cards("v21_quoted_printable_latin1.vcf");
    let want = vec![
        card(
            1,
            fields(
                Some("Björk"),
                Some("Guðmundsdóttir"),
                "Björk Guðmundsdóttir",
                Some("bjork@example.is"),
                Some("+354 555 0100"),
                Some("Söngkona"),
                // A soft line break inside "Reykjavík", =0D=0A, and Windows-1252's – and €.
                Some(
                    "Met at Airwaves in Reykjavík.\n\
                     Follow up about the tour – dates in März, 200 € deposit.",
                ),
            ),
            Some("Smári Records"),
        ),
        card(
            12,
            fields(
                Some("Jürgen"),
                Some("Müller"),
                "Dr. Jürgen Müller",
                Some("j.mueller@example.de"),
                // TEL;WORK;PREF wins over the earlier TEL;CELL.
                Some("+49 89 5550100"),
                // Raw latin-1 bytes, no quoted-printable.
                Some("Geschäftsführer"),
                None,
            ),
            // 2.1's bare QUOTED-PRINTABLE parameter.
            Some("Straßenbau Müller GmbH"),
        ),
    ];
    assert_eq!(seven(&got), want);
    let f = &got[1].fields;
    assert_eq!(f.prefix.as_deref(), Some("Dr."));
    assert_eq!(
        labeled(&f.phones),
        [
            ("+49 170 5550100", Some("mobile"), false),
            ("+49 89 5550100", Some("work"), true),
        ]
    );
    // The department stays with the card, in the ORG line kept whole.
    assert_eq!(f.extra, ["ORG:Straßenbau Müller GmbH;Vertrieb"]);
}

#[test]
fn v21_android() {
    let got = cards("v21_android.vcf");
    let want = vec![
        card(
            1,
            fields(
                Some("Ana"),
                Some("Šimunović"),
                "Ana Šimunović",
                Some("ana@example.hr"),
                // The first of the two TEL;CELL;PREF.
                Some("+385 98 555 0102"),
                Some("Voditeljica nabave"),
                Some("Rođendan 12. ožujka.\nPreferira WhatsApp."),
            ),
            Some("Kvarner d.o.o."),
        ),
        // After a 2.1 BASE64 photo on unindented lines ending with a blank line.
        card(
            46,
            fields(
                Some("Marko"),
                Some("Horvat"),
                "Marko Horvat",
                Some("marko@example.hr"),
                Some("091 555 0177"),
                None,
                None,
            ),
            None,
        ),
    ];
    assert_eq!(seven(&got), want);
    let f = &got[0].fields;
    assert_eq!(
        labeled(&f.emails),
        [
            ("ana@example.hr", Some("home"), false),
            ("ana.simunovic@example.com", Some("work"), false),
        ]
    );
    assert_eq!(
        labeled(&f.phones),
        [
            ("+385 91 555 0101", Some("mobile"), false),
            ("+385 98 555 0102", Some("mobile"), true),
            ("+385 99 555 0109", Some("mobile"), false),
            ("+385 1 555 0103", Some("home"), false),
        ]
    );
    assert_eq!(
        f.extra,
        ["X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Anči;1;;;;;;;;;;;;;"]
    );
    // Both photos are kept, 3.0 style.
    for c in &got {
        assert!(c
            .fields
            .photo
            .as_ref()
            .unwrap()
            .starts_with("PHOTO;ENCODING=b;TYPE=JPEG:"));
    }
}

#[test]
fn v30_apple() {
    let got = cards("v30_apple.vcf");
    let want = vec![
        card(
            1,
            fields(
                Some("Johnny"),
                Some("Appleseed"),
                "Johnny Appleseed",
                // item1.EMAIL;type=pref wins over the earlier work address.
                Some("johnny@example.com"),
                Some("(408) 555-0111"),
                Some("Orchard Manager"),
                Some("Likes Honeycrisp."),
            ),
            Some("Orchard Supply Co."),
        ),
        // A company card: FN only, N empty.
        card(
            76,
            fields(
                None,
                None,
                "Initech",
                None,
                Some("+1 (512) 555-0199"),
                None,
                None,
            ),
            Some("Initech"),
        ),
        card(
            86,
            fields(
                Some("Bill"),
                Some("Lumbergh"),
                "Bill Lumbergh",
                Some("bill@initech.example"),
                Some("+1 512 555 0142"),
                Some("Division VP"),
                None,
            ),
            Some("Initech"),
        ),
    ];
    assert_eq!(seven(&got), want);
    let f = &got[0].fields;
    assert_eq!(
        labeled(&f.emails),
        [
            ("j.appleseed@orchard.example", Some("work"), false),
            // item1.X-ABLabel:_$!<Other>!$_
            ("johnny@example.com", Some("other"), true),
        ]
    );
    assert_eq!(
        labeled(&f.phones),
        [
            ("(408) 555-0112", Some("work"), false),
            ("(408) 555-0111", Some("mobile"), true),
        ]
    );
    assert_eq!(
        labeled(&f.urls),
        [("https://orchard.example", Some("HomePage"), true)]
    );
    assert_eq!(f.birthday.as_deref(), Some("1774-09-26"));
    assert_eq!(
        labeled(&got[1].fields.phones),
        [("+1 (512) 555-0199", Some("main"), true)]
    );
    assert_eq!(
        labeled(&got[2].fields.emails),
        [
            ("bill@initech.example", Some("other"), true),
            ("blumbergh@home.example", Some("home"), false),
        ]
    );
}

#[test]
fn v30_escapes() {
    let got = cards("v30_escapes.vcf");
    let want = vec![
        card(
            1,
            fields(
                Some("Seán"),
                Some("O'Brien, Jr."),
                "Seán O'Brien, Jr.",
                Some("sean@example.ie"),
                None,
                Some("Head of R&D; Ops"),
                Some("Line one\nLine two, with comma; and semicolon\nPath: C:\\Users\\sean"),
            ),
            Some("Smith, Jones & Partners; LLP"),
        ),
        card(
            10,
            fields(
                Some("Jane"),
                Some("Doe;Smith"),
                "Jane Q. Doe;Smith",
                None,
                None,
                None,
                Some("Trailing backslash \\"),
            ),
            Some(";Semicolon, Inc."),
        ),
    ];
    assert_eq!(seven(&got), want);
    // The additional name is no part of the first name.
    assert_eq!(got[1].fields.middle_name.as_deref(), Some("Q."));
}

#[test]
fn v40_pref() {
    let got = cards("v40_pref.vcf");
    let want = vec![
        card(
            1,
            fields(
                Some("Grace"),
                Some("Hopper"),
                "Grace Hopper",
                // pref=1 beats pref=2, whatever the order.
                Some("ghopper@navy.example"),
                // tel: URI without its scheme; its ext parameter kept readable.
                Some("+1-555-0199 ext. 42"),
                // No TITLE: the ROLE.
                Some("Computer Scientist"),
                None,
            ),
            Some("US Navy"),
        ),
        card(
            15,
            fields(
                Some("Alan"),
                Some("Turing"),
                "Alan Turing",
                // No PREF on either: the first.
                Some("alan@bletchley.example"),
                // Any PREF beats none.
                Some("+44-7700-900123"),
                // TITLE beats ROLE.
                Some("Reader"),
                None,
            ),
            Some("University of Manchester"),
        ),
    ];
    assert_eq!(seven(&got), want);
    let grace = &got[0].fields;
    assert_eq!(
        (grace.middle_name.as_deref(), grace.prefix.as_deref()),
        (Some("Brewster Murray"), Some("Rear Admiral"))
    );
    assert_eq!(
        labeled(&grace.emails),
        [
            ("grace@home.example", Some("home"), false),
            ("ghopper@navy.example", Some("work"), true),
        ]
    );
    assert_eq!(
        labeled(&grace.phones),
        [
            ("+1-555-0100", Some("mobile"), false),
            ("+1-555-0199 ext. 42", Some("work"), true),
        ]
    );
    let alan = &got[1].fields;
    assert_eq!(
        (alan.middle_name.as_deref(), alan.suffix.as_deref()),
        (Some("Mathison"), Some("OBE"))
    );
    assert_eq!(
        labeled(&alan.emails),
        [
            ("alan@bletchley.example", None, false),
            ("a.turing@npl.example", Some("work"), false),
        ]
    );
    assert_eq!(
        labeled(&alan.phones),
        [
            ("+44-20-7946-0958", Some("home"), false),
            ("+44-7700-900123", Some("mobile"), true),
        ]
    );
    // The ROLE beside a TITLE is kept as it came.
    assert_eq!(alan.extra, ["ROLE:Codebreaker"]);
}

#[test]
fn folded_long() {
    let raw = corpus("folded_long.vcf");
    // The corpus really cuts characters in two at its folds (octet folding).
    assert!(raw
        .split(|&b| b == b'\n')
        .any(|l| matches!(l.first(), Some(b' ' | b'\t')) && l.len() > 1 && l[1] & 0xC0 == 0x80));
    let note = "Quarterly review — “naïve” café owners in Zürich & Kraków; 日本語のメモ; \
                emoji 🧑‍🚀 survive folding. "
        .repeat(6)
        + "Ende.";
    let got = cards("folded_long.vcf");
    let want = vec![card(
        1,
        fields(
            Some("Maximiliane Anneliese Friederike"),
            Some("von Hohenzollern-Sigmaringen-Württemberg"),
            "Dr. Maximiliane Anneliese Friederike von Hohenzollern-Sigmaringen-Württemberg",
            None,
            None,
            None,
            Some(&note),
        ),
        None,
    )];
    assert_eq!(seven(&got), want);
}

#[test]
fn bom_crlf() {
    assert!(corpus("bom_crlf.vcf").starts_with(b"\xEF\xBB\xBF"));
    let got = cards("bom_crlf.vcf");
    let want = vec![
        card(
            1,
            fields(
                Some("Linh"),
                Some("Ng"),
                "Linh Ng",
                Some("linh@example.vn"),
                Some("+84 90 555 0123"),
                None,
                None,
            ),
            Some("Saigon Traders"),
        ),
        card(
            9,
            fields(
                Some("Bao"),
                Some("Tran"),
                "Bao Tran",
                None,
                None,
                None,
                None,
            ),
            None,
        ),
    ];
    assert_eq!(seven(&got), want);
}

#[test]
fn cr_only() {
    let raw = corpus("cr_only.vcf");
    assert!(!raw.contains(&b'\n'));
    let got = cards("cr_only.vcf");
    let want = vec![
        card(
            1,
            fields(
                Some("Steven"),
                Some("Jobs"),
                "Steven Jobs",
                Some("steve@next.example"),
                None,
                // Folded after "Off".
                Some("Chief Executive Officer"),
                Some("Met at Macworld 1999.\nCall in March."),
            ),
            Some("NeXT Computer"),
        ),
        card(
            11,
            fields(
                Some("Susan"),
                Some("Kare"),
                "Susan Kare",
                None,
                Some("(650) 555-0184"),
                None,
                None,
            ),
            None,
        ),
    ];
    assert_eq!(seven(&got), want);
}

#[test]
fn photo_large() {
    let raw = corpus("photo_large.vcf");
    assert!(raw.len() > 200_000);
    let got = cards("photo_large.vcf");
    let want = vec![
        card(
            1,
            fields(
                Some("Ansel"),
                Some("Adams"),
                "Ansel Adams",
                Some("ansel@yosemite.example"),
                None,
                // The property right after the photo.
                Some("Photographer"),
                None,
            ),
            None,
        ),
        card(
            2712,
            fields(
                Some("Dorothea"),
                Some("Lange"),
                "Dorothea Lange",
                None,
                None,
                None,
                None,
            ),
            Some("Farm Security Administration"),
        ),
    ];
    assert_eq!(seven(&got), want);
}

#[test]
fn unicode_scripts() {
    let got = cards("unicode_scripts.vcf");
    let name = |line, first, last, full, org| {
        card(
            line,
            fields(Some(first), Some(last), full, None, None, None, None),
            org,
        )
    };
    let mut yamada = name(1, "太郎", "山田", "山田太郎", Some("株式会社サンプル"));
    yamada.fields.title = s("営業部長");
    yamada.fields.notes = s("東京で会った 🎉 寿司 🍣 好き 👩‍💻");
    let mut cohen = name(15, "דוד", "כהן", "דוד כהן", None);
    cohen.fields.email = s("david@example.co.il");
    let mut petrov = name(21, "Иван", "Петров", "Иван Петров", Some("ООО «Ромашка»"));
    petrov.fields.title = s("Главный инженер");
    let mut sharma = name(33, "प्रिया", "शर्मा", "प्रिया शर्मा", None);
    sharma.fields.notes = s("दिल्ली में मुलाकात 🙏🏽");
    let want = vec![
        yamada,
        name(9, "مريم", "الحسيني", "مريم الحسيني", Some("شركة النخيل")),
        cohen,
        petrov,
        name(28, "Γιώργος", "Παπαδόπουλος", "Γιώργος Παπαδόπουλος", None),
        sharma,
    ];
    assert_eq!(seven(&got), want);
}

#[test]
fn no_org() {
    let got = cards("no_org.vcf");
    let want = vec![card(
        1,
        fields(
            Some("Han"),
            Some("Solo"),
            "Han Solo",
            Some("han@falcon.example"),
            Some("+1 555 0134"),
            None,
            None,
        ),
        None,
    )];
    assert_eq!(seven(&got), want);
    assert_eq!(got[0].parent_kind, None);
}

#[test]
fn broken() {
    let got = vcard::parse(&corpus("broken.vcf"));
    let summary: Vec<Result<(usize, String), usize>> = got
        .iter()
        .map(|r| match r {
            Ok(c) => Ok((c.line, c.fields.full_name.clone().unwrap())),
            Err(e) => Err(e.line),
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            Ok((1, "Alice Fine".to_string())),
            // The line without ':' in Bob's card.
            Err(10),
            Ok((13, "Carol Fine".to_string())),
            // Dave's BEGIN: no END before the next BEGIN.
            Err(17),
            // A card with an empty N and no FN.
            Err(21),
            Ok((26, "Erin Fine".to_string())),
            // Frank's BEGIN: no END before the end of the file.
            Err(30),
        ]
    );
    let errors: Vec<&CardError> = got.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(
        errors[0].message.contains("this line has no colon"),
        "{}",
        errors[0]
    );
    assert!(errors[1]
        .message
        .contains("no END:VCARD before the next BEGIN:VCARD at line 21"));
    assert_eq!(errors[2].message, "card has no FN or N");
    assert!(errors[3].message.contains("end of the file"));
    assert_eq!(errors[2].to_string(), "line 21: card has no FN or N");
    // The good cards are read whole.
    let alice = got[0].as_ref().unwrap();
    assert_eq!(alice.fields.email.as_deref(), Some("alice@example.com"));
    assert_eq!(alice.fields.first_name.as_deref(), Some("Alice"));
}

fn assert_clean(card: &Card) {
    let f = &card.fields;
    let single = [
        &f.first_name,
        &f.last_name,
        &f.full_name,
        &f.email,
        &f.phone,
        &f.title,
        &card.org,
    ];
    for v in single.into_iter().flatten() {
        assert!(!v.chars().any(|c| is_forbidden(c, false)), "{v:?}");
    }
    if let Some(notes) = &f.notes {
        assert!(!notes.chars().any(|c| is_forbidden(c, true)), "{notes:?}");
    }
}

#[test]
fn hostile() {
    let raw = corpus("hostile.vcf");
    for needle in [
        &b"\x1b[2J"[..],
        b"\x1b]0;",
        b"\x07",
        b"\xe2\x80\xae",
        b"\x00",
    ] {
        assert!(raw.windows(needle.len()).any(|w| w == needle));
    }
    let got = cards("hostile.vcf");
    assert_eq!(got.len(), 1);
    assert_clean(&got[0]);
    let want = card(
        1,
        fields(
            Some("Mallory[0m"),
            Some("Evil[31m"),
            "Mallory[2J]0;pwned Evilgpj.exe",
            Some("mallory[8m@evil.example"),
            Some("+1 555 0666"),
            Some("31mCEO"),
            Some("line one[1A\nline two"),
        ),
        // The ';' of the OSC 8 sequence ends ORG's first component.
        Some("Evil Corp]8"),
    );
    assert_eq!(seven(&got)[0], want);
}

#[test]
fn google_export() {
    let got = cards("google_export.vcf");
    let want = vec![
        card(
            1,
            fields(
                Some("Priya"),
                Some("Raman"),
                "Priya Raman",
                Some("priya.raman@gmail.example"),
                Some("+1 415-555-0142"),
                Some("VP Engineering"),
                Some("Intro via Sam.\nPrefers email, not calls."),
            ),
            Some("Acme Corp"),
        ),
        card(
            18,
            fields(
                Some("Tomás"),
                Some("Ortega"),
                "Tomás Ortega",
                Some("tomas@ortega.example"),
                Some("+34 612 555 019"),
                None,
                None,
            ),
            None,
        ),
    ];
    assert_eq!(seven(&got), want);
    let priya = &got[0].fields;
    assert_eq!(
        labeled(&priya.emails),
        [
            ("priya.raman@gmail.example", Some("home"), false),
            ("priya@acme.example", Some("work"), false),
        ]
    );
    assert_eq!(
        labeled(&priya.phones),
        [
            ("+1 415-555-0142", Some("mobile"), false),
            ("(415) 555-0100", Some("work"), false),
        ]
    );
    assert_eq!(priya.tags, ["myContacts", "Customers"]);
    assert_eq!(priya.birthday.as_deref(), Some("1985-04-12"));
    assert_eq!(
        labeled(&got[1].fields.emails),
        [
            // Google's own label, in an X-ABLabel.
            ("tomas@ortega.example", Some("Freelance"), false),
            ("tortega@acme.example", Some("work"), false),
        ]
    );
}

#[test]
fn outlook() {
    let got = cards("outlook.vcf");
    let want = vec![
        card(
            1,
            fields(
                Some("Chinedu"),
                Some("Okafor"),
                "Chinedu Okafor",
                // EMAIL;PREF;INTERNET wins over the earlier address.
                Some("chinedu.okafor@globex.example"),
                Some("(212) 555-0147"),
                Some("Purchasing Manager"),
                Some(
                    "Met at the NRF trade show.\n\
                     Send the 2025 catalogue before Friday.",
                ),
            ),
            Some("Globex Corporation"),
        ),
        // Raw Windows-1252 bytes (’ is 0x92), after a photo ending with a blank line.
        card(
            60,
            fields(
                Some("François"),
                Some("L’Enfant"),
                "François L’Enfant",
                Some("francois@cafe.example"),
                None,
                None,
                None,
            ),
            Some("Café Société"),
        ),
    ];
    assert_eq!(seven(&got), want);
    let f = &got[0].fields;
    assert_eq!(
        labeled(&f.emails),
        [
            ("c.okafor@home.example", None, false),
            ("chinedu.okafor@globex.example", None, true),
        ]
    );
    assert_eq!(
        labeled(&f.phones),
        [
            ("(212) 555-0147", Some("work"), false),
            ("(917) 555-0199", Some("mobile"), false),
        ]
    );
    // The LABEL, quoted-printable in the file, is kept 3.0 style.
    assert!(f.extra.contains(
        &"LABEL;TYPE=WORK,PREF:350 Fifth Avenue\\nNew York, NY 10118\\nUnited States of America"
            .to_string()
    ));
}

#[test]
fn every_corpus_file_is_covered_and_clean() {
    let dir = format!("{}/tests/corpus/vcard", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "bom_crlf.vcf",
            "broken.vcf",
            "cr_only.vcf",
            "folded_long.vcf",
            "google_export.vcf",
            "hostile.vcf",
            "no_org.vcf",
            "outlook.vcf",
            "photo_large.vcf",
            "unicode_scripts.vcf",
            "v21_android.vcf",
            "v21_quoted_printable_latin1.vcf",
            "v30_apple.vcf",
            "v30_escapes.vcf",
            "v40_pref.vcf",
        ]
    );
    for name in &names {
        for card in vcard::parse(&corpus(name)).iter().flatten() {
            assert_clean(card);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Smaller reading cases
// ---------------------------------------------------------------------------------------------

#[test]
fn lower_case_and_grouped_properties_and_parent_kind() {
    let text = "begin:vcard\nversion:3.0\nitem1.fn:Ada\nITEM2.email;type=work:ada@example.com\n\
                item2.x-ablabel:Work\norg:Engines;R&D\nx-kith-parent-kind:customer\nend:vcard\n";
    let got = vcard::parse(text.as_bytes());
    let card = got[0].as_ref().unwrap();
    assert_eq!(card.fields.full_name.as_deref(), Some("Ada"));
    assert_eq!(card.fields.email.as_deref(), Some("ada@example.com"));
    assert_eq!(card.org.as_deref(), Some("Engines"));
    assert_eq!(card.parent_kind, Some(ParentKind::Customer));
}

#[test]
fn n_alone_makes_the_full_name() {
    let got = vcard::parse(b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Curie;Marie;;;\r\nEND:VCARD\r\n");
    let card = got[0].as_ref().unwrap();
    assert_eq!(card.fields.full_name.as_deref(), Some("Marie Curie"));
    let got = vcard::parse(b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Curie;;;;\r\nEND:VCARD\r\n");
    assert_eq!(
        got[0].as_ref().unwrap().fields.full_name.as_deref(),
        Some("Curie")
    );
}

#[test]
fn text_outside_cards_is_reported_once_and_empty_input_is_empty() {
    assert!(vcard::parse(b"").is_empty());
    assert!(vcard::parse(b"\r\n\r\n\x1a").is_empty());
    let got = vcard::parse(b"hello\nworld\nBEGIN:VCARD\nFN:A\nEND:VCARD\n");
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].as_ref().unwrap_err().line, 1);
    assert_eq!(got[1].as_ref().unwrap().line, 3);
}

#[test]
fn every_address_is_kept_and_a_repeated_one_once() {
    let text = "BEGIN:VCARD\nVERSION:3.0\nFN:A\nEMAIL:a@x.com\nEMAIL;TYPE=HOME:A@X.com\n\
                EMAIL:b@x.com\nEMAIL:b@x.com\nEND:VCARD\n";
    let got = vcard::parse(text.as_bytes());
    let card = got[0].as_ref().unwrap();
    assert_eq!(card.fields.email.as_deref(), Some("a@x.com"));
    assert_eq!(card.fields.notes, None);
    let (valid, _) = card.fields.validated(None).unwrap();
    assert_eq!(
        labeled(&valid.emails),
        [("a@x.com", None, true), ("b@x.com", None, false)]
    );
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

fn contact(id: i64, kind: ParentKind, parent: &str, fields: ContactFields) -> Contact {
    Contact {
        id,
        parent_id: 1,
        parent_kind: kind,
        parent_name: parent.to_string(),
        fields,
        phone_e164: None,
        moved_to: None,
        created_at: String::new(),
        updated_at: String::new(),
        version: 1,
    }
}

fn ada() -> Contact {
    contact(
        7,
        ParentKind::Customer,
        "Analytical Engines; Ltd",
        fields(
            Some("Ada"),
            Some("Lovelace"),
            "Ada Lovelace",
            Some("ada@example.com"),
            Some("+44 20 7946 0958"),
            Some("Analyst"),
            Some("Met at the RS, London\nFollow up"),
        ),
    )
}

#[test]
fn writes_3_0() {
    assert_eq!(
        vcard::write(&[ada()], Version::V3),
        "BEGIN:VCARD\r\n\
         VERSION:3.0\r\n\
         FN:Ada Lovelace\r\n\
         N:Lovelace;Ada;;;\r\n\
         EMAIL;TYPE=INTERNET:ada@example.com\r\n\
         TEL:+44 20 7946 0958\r\n\
         TITLE:Analyst\r\n\
         NOTE:Met at the RS\\, London\\nFollow up\r\n\
         ORG:Analytical Engines\\; Ltd\r\n\
         X-KITH-PARENT-KIND:customer\r\n\
         UID:kith-contact-7\r\n\
         END:VCARD\r\n"
    );
}

#[test]
fn writes_4_0_and_leaves_out_absent_values() {
    let c = contact(
        8,
        ParentKind::Lead,
        "Acme",
        fields(None, None, "Cher", None, None, None, None),
    );
    assert_eq!(
        vcard::write(&[ada(), c], Version::V4)
            .split("BEGIN:VCARD")
            .nth(2)
            .unwrap(),
        "\r\n\
         VERSION:4.0\r\n\
         FN:Cher\r\n\
         N:;;;;\r\n\
         ORG:Acme\r\n\
         X-KITH-PARENT-KIND:lead\r\n\
         UID:kith-contact-8\r\n\
         END:VCARD\r\n"
    );
    assert!(vcard::write(&[ada()], Version::V4).contains("\r\nEMAIL:ada@example.com\r\n"));
}

/// Checks the physical form of written vCards: CRLF only, at most 75 octets a line, and
/// returns the logical lines (unfolded).
fn check_lines(out: &str) -> Vec<String> {
    let bytes = out.as_bytes();
    assert!(out.ends_with("\r\n"));
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            assert_eq!(bytes[i - 1], b'\r', "bare LF at {i}");
        }
        if b == b'\r' {
            assert_eq!(bytes.get(i + 1), Some(&b'\n'), "bare CR at {i}");
        }
    }
    let mut logical: Vec<String> = Vec::new();
    for line in bytes[..bytes.len() - 2].split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        assert!(line.len() <= 75, "{} octets: {:?}", line.len(), line);
        // Never a character cut in two: every physical line is UTF-8 on its own.
        let text = std::str::from_utf8(line).expect("a fold split a UTF-8 character");
        match text.strip_prefix(' ') {
            Some(rest) => logical.last_mut().unwrap().push_str(rest),
            None => logical.push(text.to_string()),
        }
    }
    logical
}

#[test]
fn long_lines_fold_at_75_octets_without_splitting_characters() {
    let long = |unit: &str, n: usize| unit.repeat(n);
    let c = contact(
        9,
        ParentKind::Lead,
        &long("株式会社", 40),
        fields(
            Some(&long("é", 150)),
            Some(&long("🧑‍🚀", 30)),
            &long("山田太郎 ", 50),
            Some("x@example.com"),
            None,
            Some(&long("ab", 200)),
            Some(&long("مريم, דוד; \\ Иван\n", 60)),
        ),
    );
    for version in [Version::V3, Version::V4] {
        let out = vcard::write(std::slice::from_ref(&c), version);
        let logical = check_lines(&out);
        assert!(logical.contains(&format!("N:{};{};;;", long("🧑‍🚀", 30), long("é", 150))));
        assert!(logical.contains(&format!("ORG:{}", long("株式会社", 40))));
        // Every folding position was exercised: 1-, 2-, 3- and 4-octet characters.
        assert!(out.lines().count() > 40);
        let back = vcard::parse(out.as_bytes());
        let card = back[0].as_ref().unwrap();
        assert_eq!(
            card.fields.notes,
            Some(long("مريم, דוד; \\ Иван\n", 60).trim().into())
        );
        assert_eq!(
            card.fields.full_name,
            Some(long("山田太郎 ", 50).trim().into())
        );
    }
}

#[test]
fn escaping_round_trips() {
    let awkward = [
        fields(
            Some("Seán, Jr."),
            Some("O'Brien; Smith"),
            "Seán O'Brien; Smith, Jr.",
            Some("sean@example.ie"),
            Some("+353 1 555 0100, ext. 5; ask for Seán"),
            Some("Head of R&D\\Ops"),
            Some("Line one\nLine two, with comma; and semicolon\nC:\\Users\\sean\\\n\\n not a newline"),
        ),
        fields(
            Some("太郎"),
            Some("山田"),
            "山田太郎",
            None,
            None,
            Some("営業部長"),
            Some("東京\n🎉"),
        ),
        fields(
            Some("مريم"),
            Some("الحسيني"),
            "مريم الحسيني",
            None,
            None,
            None,
            None,
        ),
        fields(Some("דוד"), Some("כהן"), "דוד כהן", None, None, None, None),
        fields(Some("\\"), Some(";"), ",", None, None, Some(":"), Some("\\\n;")),
    ];
    let list: Vec<Contact> = awkward
        .iter()
        .enumerate()
        .map(|(i, f)| {
            contact(
                i as i64,
                ParentKind::Customer,
                "Smith, Jones; Co \\ Ltd",
                f.clone(),
            )
        })
        .collect();
    for version in [Version::V3, Version::V4] {
        let out = vcard::write(&list, version);
        check_lines(&out);
        let back: Vec<Card> = vcard::parse(out.as_bytes())
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(back.len(), awkward.len());
        for (card, f) in seven(&back).iter().zip(&awkward) {
            assert_eq!(&card.fields, f);
            assert_eq!(card.org.as_deref(), Some("Smith, Jones; Co \\ Ltd"));
            assert_eq!(card.parent_kind, Some(ParentKind::Customer));
        }
    }
}

#[test]
fn the_writer_sanitizes() {
    let c = contact(
        1,
        ParentKind::Lead,
        "Evil\u{202E} Corp",
        fields(
            Some("Mal\u{1b}[2Jlory"),
            None,
            "Mal\u{1b}]0;x\u{7}lory\nBEGIN:VCARD",
            None,
            None,
            None,
            Some("a\r\nb\u{0}"),
        ),
    );
    let out = vcard::write(&[c], Version::V3);
    assert!(!out
        .chars()
        .any(|ch| is_forbidden(ch, false) && ch != '\r' && ch != '\n'));
    assert_eq!(out.split("\r\n").filter(|l| *l == "BEGIN:VCARD").count(), 1);
    assert!(out.contains("\r\nFN:Mal]0\\;xloryBEGIN:VCARD\r\n"));
    assert!(out.contains("\r\nNOTE:a\\nb\r\n"));
    assert!(out.contains("\r\nORG:Evil Corp\r\n"));
}

// ---------------------------------------------------------------------------------------------
// Round trip over arbitrary contacts
// ---------------------------------------------------------------------------------------------

/// What a written-then-read value becomes: trimmed, empty as absent.
fn norm(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

const NAME: &str =
    "[a-zA-Z0-9 éüßñÅøç山田太郎東京مريمالحسينيדודכהןИванПетровΓιώργος🎉,;\\\\.'-]{0,24}";

fn opt(re: &'static str) -> impl Strategy<Value = Option<String>> {
    proptest::option::of(re)
}

prop_compose! {
    fn arb_fields()(
        first_name in opt(NAME),
        last_name in opt(NAME),
        full_name in opt(NAME),
        email in opt("[a-z]{1,8}@[a-z]{1,8}\\.com"),
        phone in opt("\\+?[0-9][0-9 ()./,;-]{2,18}"),
        title in opt(NAME),
        notes in opt("[a-zA-Z0-9 ,;:\\\\\n\t.éß山田مريمדוד🎉]{0,120}"),
    ) -> ContactFields {
        ContactFields { first_name, last_name, full_name, email, phone, title, notes, ..Default::default() }
    }
}

fn round_trip(f: ContactFields, org: String, kind: ParentKind, version: Version) {
    let first = norm(&f.first_name);
    let last = norm(&f.last_name);
    let mut full = norm(&f.full_name).or_else(|| match (&first, &last) {
        (Some(a), Some(b)) => Some(format!("{a} {b}")),
        (a, b) => a.clone().or(b.clone()),
    });
    let c = contact(42, kind, &org, f.clone());
    let out = vcard::write(std::slice::from_ref(&c), version);
    check_lines(&out);
    let back = vcard::parse(out.as_bytes());
    assert_eq!(back.len(), 1);
    if full.is_none() {
        // No name at all: the card is named after its email address, else its organisation.
        let local = norm(&f.email).map(|e| e.split('@').next().unwrap().to_string());
        let Some(shown) = local.or_else(|| norm(&Some(org.clone()))) else {
            assert_eq!(back[0].as_ref().unwrap_err().message, "card has no FN or N");
            return;
        };
        let card = back[0].as_ref().unwrap();
        assert!(card
            .warnings
            .contains(&format!("no name: shown as {shown:?}")));
        full = Some(shown);
    }
    let card = back[0].as_ref().unwrap();
    let want = ContactFields {
        first_name: first,
        last_name: last,
        full_name: full,
        email: norm(&f.email),
        phone: norm(&f.phone),
        title: norm(&f.title),
        notes: norm(&f.notes),
        ..Default::default()
    };
    assert_eq!(seven(std::slice::from_ref(card))[0].fields, want);
    assert_eq!(card.org, norm(&Some(org)));
    assert_eq!(card.parent_kind, Some(kind));
    assert_eq!(card.line, 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn write_then_parse_gives_the_fields_back_3_0(f in arb_fields(), org in NAME, lead in any::<bool>()) {
        let kind = if lead { ParentKind::Lead } else { ParentKind::Customer };
        round_trip(f, org, kind, Version::V3);
    }

    #[test]
    fn write_then_parse_gives_the_fields_back_4_0(f in arb_fields(), org in NAME, lead in any::<bool>()) {
        let kind = if lead { ParentKind::Lead } else { ParentKind::Customer };
        round_trip(f, org, kind, Version::V4);
    }

    #[test]
    fn parse_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut input = b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;ENCODING=QUOTED-PRINTABLE:".to_vec();
        input.extend_from_slice(&bytes);
        for card in vcard::parse(&input).iter().flatten() {
            assert_clean(card);
        }
        for card in vcard::parse(&bytes).iter().flatten() {
            assert_clean(card);
        }
    }
}
