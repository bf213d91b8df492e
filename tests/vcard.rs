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

/// Emails, phones, addresses or URLs on one line: `value [label] *` (`*` for the preferred
/// one), ` | ` between them.
fn entries(list: &[Labeled]) -> String {
    let entry = |l: &Labeled| {
        let label = l.label.as_ref().map(|l| format!(" [{l}]"));
        let star = if l.preferred { " *" } else { "" };
        format!("{}{}{star}", l.value, label.unwrap_or_default())
    };
    list.iter().map(entry).collect::<Vec<_>>().join(" | ")
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
        entries(&f.phones),
        "+49 170 5550100 [mobile] | +49 89 5550100 [work] *"
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
        entries(&f.emails),
        "ana@example.hr [home] | ana.simunovic@example.com [work]"
    );
    assert_eq!(
        entries(&f.phones),
        "+385 91 555 0101 [mobile] | +385 98 555 0102 [mobile] * | \
         +385 99 555 0109 [mobile] | +385 1 555 0103 [home]"
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
    // item1.X-ABLabel:_$!<Other>!$_ is the second's label.
    assert_eq!(
        entries(&f.emails),
        "j.appleseed@orchard.example [work] | johnny@example.com [other] *"
    );
    assert_eq!(
        entries(&f.phones),
        "(408) 555-0112 [work] | (408) 555-0111 [mobile] *"
    );
    assert_eq!(entries(&f.urls), "https://orchard.example [HomePage] *");
    assert_eq!(f.birthday.as_deref(), Some("1774-09-26"));
    assert_eq!(entries(&got[1].fields.phones), "+1 (512) 555-0199 [main] *");
    assert_eq!(
        entries(&got[2].fields.emails),
        "bill@initech.example [other] * | blumbergh@home.example [home]"
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
    let people = [
        (
            "Grace Hopper = Rear Admiral / Grace / Brewster Murray / Hopper / _",
            "grace@home.example [home] | ghopper@navy.example [work] *",
            "+1-555-0100 [mobile] | +1-555-0199 ext. 42 [work] *",
        ),
        (
            "Alan Turing = _ / Alan / Mathison / Turing / OBE",
            "alan@bletchley.example | a.turing@npl.example [work]",
            "+44-20-7946-0958 [home] | +44-7700-900123 [mobile] *",
        ),
    ];
    for (card, (names, emails, phones)) in got.iter().zip(people) {
        assert_eq!(name_line(card), names);
        assert_eq!(entries(&card.fields.emails), emails);
        assert_eq!(entries(&card.fields.phones), phones);
    }
    let alan = &got[1].fields;
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
        entries(&priya.emails),
        "priya.raman@gmail.example [home] | priya@acme.example [work]"
    );
    assert_eq!(
        entries(&priya.phones),
        "+1 415-555-0142 [mobile] | (415) 555-0100 [work]"
    );
    assert_eq!(priya.tags, ["myContacts", "Customers"]);
    assert_eq!(priya.birthday.as_deref(), Some("1985-04-12"));
    // Google's own label, in an X-ABLabel.
    assert_eq!(
        entries(&got[1].fields.emails),
        "tomas@ortega.example [Freelance] | tortega@acme.example [work]"
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
        entries(&f.emails),
        "c.okafor@home.example | chinedu.okafor@globex.example *"
    );
    assert_eq!(
        entries(&f.phones),
        "(212) 555-0147 [work] | (917) 555-0199 [mobile]"
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
// Real files from other projects' test suites (tests/fixtures/vcard, tests/fixtures/SOURCES.md)
// ---------------------------------------------------------------------------------------------

/// Every fixture, each checked by a test below.
const FIXTURES: [&str; 30] = [
    "android/v21_complicated.vcf",
    "android/v21_pref_handling.vcf",
    "android/v21_simple_1.vcf",
    "android/v21_winmo_65.vcf",
    "android/v30_pager.vcf",
    "android/v30_simple.vcf",
    "android/v40_sort_as.vcf",
    "ez-vcard/John_Doe_ANDROID.vcf",
    "ez-vcard/John_Doe_EVOLUTION.vcf",
    "ez-vcard/John_Doe_GMAIL.vcf",
    "ez-vcard/John_Doe_IPHONE.vcf",
    "ez-vcard/John_Doe_MAC_ADDRESS_BOOK.vcf",
    "ez-vcard/John_Doe_MS_OUTLOOK.vcf",
    "ez-vcard/fullcontact.vcf",
    "ez-vcard/gmail-single2.vcf",
    "ez-vcard/outlook-2003.vcf",
    "ez-vcard/rfc2426-example.vcf",
    "ez-vcard/rfc6350-example.vcf",
    "ez-vcard/thunderbird-MoreFunctionsForAddressBook-extension.vcf",
    "folkerkinzel/Outlook_v2.vcf",
    "folkerkinzel/WhatsAppIssue.vcf",
    "folkerkinzel/v3.vcf",
    "folkerkinzel/v4.vcf",
    "py-vobject/radicale-1587.vcf",
    "rcmcarddav/EmptyFNCompany.vcf",
    "rcmcarddav/EmptyFNEmail.vcf",
    "rcmcarddav/IM-iOS.vcf",
    "sabre-vobject/birthday_omit_year.vcf",
    "sabre-vobject/convert21to40.vcf",
    "sabre-vobject/convert30to40.vcf",
];

/// The cards of a fixture, every one of which must read.
fn fixture(path: &str) -> Vec<Card> {
    let file = format!("{}/tests/fixtures/vcard/{path}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
    vcard::parse(&bytes)
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{path}: {e}")))
        .collect()
}

/// full name, then N's parts in speaking order: prefix, given, additional, family, suffix.
fn names(c: &Card) -> [Option<&str>; 6] {
    let f = &c.fields;
    [
        &f.full_name,
        &f.prefix,
        &f.first_name,
        &f.middle_name,
        &f.last_name,
        &f.suffix,
    ]
    .map(|v| v.as_deref())
}

/// [`names`] on one line: `full = prefix / given / additional / family / suffix`, `_` for none.
fn name_line(c: &Card) -> String {
    let [full, parts @ ..] = names(c).map(|n| n.unwrap_or("_"));
    format!("{full} = {}", parts.join(" / "))
}

fn has_extra(c: &Card, line: &str) -> bool {
    c.fields.extra.iter().any(|l| l == line)
}

/// Each of `lines` is among the card's `extra`.
fn assert_kept(c: &Card, lines: &[&str]) {
    for line in lines {
        assert!(has_extra(c, line), "{line} not in {:#?}", c.fields.extra);
    }
}

#[test]
fn every_fixture_is_tested_and_listed_in_sources() {
    let root = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for dir in std::fs::read_dir(format!("{root}/vcard")).unwrap() {
        let dir = dir.unwrap();
        for file in std::fs::read_dir(dir.path()).unwrap() {
            let name = file.unwrap().file_name().into_string().unwrap();
            found.push(format!("{}/{name}", dir.file_name().to_str().unwrap()));
        }
    }
    found.sort();
    assert_eq!(found, FIXTURES);
    let sources = std::fs::read_to_string(format!("{root}/SOURCES.md")).unwrap();
    for f in FIXTURES {
        assert!(
            sources.contains(&format!("`vcard/{f}`")),
            "{f} is not in SOURCES.md"
        );
        for card in fixture(f) {
            assert_clean(&card);
        }
    }
}

#[test]
fn android_2_1_phone_export_cards_with_only_an_email() {
    let got = fixture("ez-vcard/John_Doe_ANDROID.vcf");
    let lines: Vec<usize> = got.iter().map(|c| c.line).collect();
    assert_eq!(lines, [1, 6, 11, 18, 36, 71]);
    // No FN, no N: named after the address, with a warning.
    for (c, name) in got.iter().zip(["john.doe", "jane.doe"]) {
        assert_eq!(names(c)[0], Some(name));
        assert_eq!(c.warnings, [format!("no name: shown as {name:?}")]);
        assert_eq!(entries(&c.fields.emails), format!("{name}@company.com *"));
        assert_eq!(c.fields.tags, ["My Contacts"]);
    }
    // Quoted-printable UTF-8 names, a soft line break inside an N.
    assert_eq!(names(&got[2])[0], Some("Ñ Ñ Ñ Ñ Ñ"));
    assert_eq!(names(&got[2])[4], Some("Ñ Ñ Ñ Ñ"));
    assert_eq!(names(&got[3])[0], Some(&*["Ñ"; 11].join(" ")));
    assert_eq!(
        entries(&got[3].fields.phones),
        "123456 [mobile] * | 234567 [home] | 3456789 [mobile] | 45678901 [home]"
    );
    // Two NOTEs, one note.
    assert_eq!(got[3].fields.notes.as_ref().unwrap().lines().count(), 2);
    let bob = &got[4];
    assert_eq!(names(bob)[2], Some("Ñ Ñ Ñ"));
    assert_eq!(names(bob)[4], Some("Ñ Ñ"));
    // Two EMAIL;PREF: the second is no address, dropped with a warning.
    assert_eq!(entries(&bob.fields.emails), "bob@company.com [work] *");
    assert_eq!(
        bob.warnings,
        [format!(
            "EMAIL on line 44 dropped: {:?} is not an email address: it needs exactly one @",
            "Ñ".repeat(14)
        )]
    );
    assert_eq!(
        entries(&bob.fields.phones),
        "123456 [mobile] * | 123456 [work] | 123456 [work,fax]"
    );
    assert_eq!(
        entries(&bob.fields.urls),
        "www.company.com | http://www.company.com"
    );
    // A 2.1 BASE64 photo, folded and ending with a blank line, kept 3.0 style.
    let photo = bob.fields.photo.as_deref().unwrap();
    assert!(photo.starts_with("PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBD"));
    assert!(photo.ends_with("l2S9ByOKYLrys+SP0p+0iPnP/2Q==") && !photo.contains(' '));
    assert_eq!(got[5].org.as_deref(), Some(&*"Ñ".repeat(44)));
}

#[test]
fn outlook_2_1_export() {
    let got = fixture("ez-vcard/John_Doe_MS_OUTLOOK.vcf");
    let c = &got[0];
    let f = &c.fields;
    // 2.1 has no escapes for commas: N's additional names are a list.
    assert_eq!(
        name_line(c),
        "Mr. John Richter James Doe Sr. = Mr. / John / Richter, James / Doe / Sr."
    );
    assert_eq!(f.nickname.as_deref(), Some("Johny"));
    assert_eq!(f.title.as_deref(), Some("Money Counter"));
    assert_eq!(f.birthday.as_deref(), Some("1980-03-22"));
    assert_eq!(entries(&f.emails), "john.doe@ibm.cm *");
    assert_eq!(
        entries(&f.phones),
        "(905) 555-1234 [work] | (905) 666-1234 [home]"
    );
    assert_eq!(
        entries(&f.addresses),
        ";;Cresent moon drive;Albaney;New York;12345;United States of America [work] * | \
         ;;Silicon Alley 5,;New York;New York;12345;United States of America [home]"
    );
    assert_eq!(entries(&f.urls), "http://www.ibm.com [work]");
    assert_eq!(c.org.as_deref(), Some("IBM"));
    assert_kept(
        c,
        &[
            "ORG:IBM;Accounting",
            "LABEL;TYPE=WORK,PREF:Cresent moon drive\\nAlbaney, New York  12345",
            "ROLE:Counting Money",
            "X-MS-ANNIVERSARY:20110113",
            "X-MS-MANAGER:Big Blue",
        ],
    );
    assert!(f
        .photo
        .as_ref()
        .unwrap()
        .starts_with("PHOTO;TYPE=JPEG;ENCODING=b:/9j/"));
    assert!(c.warnings.is_empty());
}

#[test]
fn outlook_2003_phones_that_are_words() {
    let got = fixture("ez-vcard/outlook-2003.vcf");
    let c = &got[0];
    assert_eq!(name_line(c), "John Doe III = Mr. / John / _ / Doe / III");
    assert_eq!(c.org.as_deref(), Some("Company, The"));
    assert_eq!(
        entries(&c.fields.phones),
        "BusinessPhone [work] | HomePhone [home] | MobilePhone [mobile] | \
         BusinessFaxPhone [work,fax]"
    );
    assert_eq!(
        c.warnings,
        [
            "TEL \"BusinessPhone\" on line 10 has fewer than 3 digits: kept as typed",
            "TEL \"HomePhone\" on line 11 has fewer than 3 digits: kept as typed",
            "TEL \"MobilePhone\" on line 12 has fewer than 3 digits: kept as typed",
            "TEL \"BusinessFaxPhone\" on line 13 has fewer than 3 digits: kept as typed",
        ]
    );
    assert_eq!(
        c.fields.notes.as_deref(),
        Some("This is the note field!!\nSecond line\n\nThird line is empty")
    );
    // A 2.1 certificate on indented lines: kept, 3.0 style.
    assert!(c
        .fields
        .extra
        .iter()
        .any(|l| l.starts_with("KEY;TYPE=X509;ENCODING=b:MIIDITCCAoqgAwIBAgIQT52W2W")));
}

#[test]
fn iphone_3_0_export_the_name_is_not_glued() {
    // Every line of this file ends in CR CR LF.
    let got = fixture("ez-vcard/John_Doe_IPHONE.vcf");
    let c = &got[0];
    let f = &c.fields;
    assert_eq!(
        name_line(c),
        "Mr. John Richter James Doe Sr. = Mr. / John / Richter, James / Doe / Sr."
    );
    assert_eq!(entries(&f.emails), "john.doe@ibm.com *");
    // The last one's label is item2.X-ABLabel:_$!<AssistantPhone>!$_.
    assert_eq!(
        entries(&f.phones),
        "905-555-1234 [mobile] * | 905-666-1234 [home] | 905-777-1234 [work] | \
         905-888-1234 [home,fax] | 905-999-1234 [work,fax] | 905-111-1234 [pager] | \
         905-222-1234 [AssistantPhone]"
    );
    assert_eq!(
        entries(&f.addresses),
        ";;Silicon Alley 5,;New York;New York;12345;United States of America [home] * | \
         ;;Street4\\nBuilding 6\\nFloor 8;New York;;12345;USA [work]"
    );
    assert_eq!(entries(&f.urls), "http://www.ibm.com [HomePage] *");
    assert_eq!(f.birthday.as_deref(), Some("2012-06-06"));
    assert_eq!(
        f.extra,
        [
            "ORG:IBM;Accounting",
            "item3.X-ABADR:Silicon Alley",
            "item4.X-ABADR:Street 4, Building 6,\\n Floor 8\\nNew York\\nUSA",
        ]
    );
    assert!(f
        .photo
        .as_ref()
        .unwrap()
        .starts_with("PHOTO;ENCODING=b;TYPE=JPEG:/9j/"));
}

#[test]
fn gmail_3_0_export() {
    let got = fixture("ez-vcard/John_Doe_GMAIL.vcf");
    let c = &got[0];
    let f = &c.fields;
    // Here the comma is escaped: one additional name with a comma in it.
    assert_eq!(names(c)[3], Some("Richter, James"));
    assert_eq!(names(c)[0], Some("Mr. John Richter, James Doe Sr."));
    assert_eq!(entries(&f.emails), "john.doe@ibm.com [home]");
    assert_eq!(f.birthday.as_deref(), Some("1980-03-22"));
    // item1.X-ABDATE labelled _$!<Anniversary>!$_.
    assert_eq!(f.anniversary.as_deref(), Some("1975-03-01"));
    assert_eq!(entries(&f.urls), "http://www.ibm.com [work]");
    // Google writes quotes as \".
    assert!(f
        .notes
        .as_ref()
        .unwrap()
        .contains("CONTRIBUTORS \"AS IS\" AND"));
    assert!(f
        .notes
        .as_ref()
        .unwrap()
        .ends_with("DAMAGE.\nFavotire Color: Blue"));
    assert_eq!(
        f.extra,
        [
            "X-PHONETIC-FIRST-NAME:Jon",
            "X-PHONETIC-LAST-NAME:Dow",
            "item2.X-ABRELATEDNAMES:Jenny",
            "item2.X-ABLabel:_$!<Spouse>!$_",
        ]
    );
}

#[test]
fn evolution_3_0_export() {
    let got = fixture("ez-vcard/John_Doe_EVOLUTION.vcf");
    let c = &got[0];
    let f = &c.fields;
    assert_eq!(f.uid.as_deref(), Some("477343c8e6bf375a9bac1f96a5000837"));
    assert_eq!(names(c)[3], Some("Richter, James"));
    assert_eq!(f.nickname.as_deref(), Some("Johny"));
    assert_eq!(f.tags, ["VIP"]);
    assert_eq!(entries(&f.emails), "john.doe@ibm.com [work]");
    assert_eq!(
        entries(&f.phones),
        "905-666-1234 [mobile] | 905-555-1234 [work]"
    );
    assert_eq!(
        entries(&f.addresses),
        "ASB-123;;15 Crescent moon drive;Albaney;New York;12345;United States of America [home]"
    );
    assert_eq!(c.org.as_deref(), Some("IBM"));
    assert_kept(
        c,
        &[
            "ORG:IBM;Accounting;Dungeon",
            "X-EVOLUTION-FILE-AS:Doe\\, John",
            "X-EVOLUTION-ANNIVERSARY:1980-03-22",
            "X-AIM;TYPE=HOME;X-COUCHDB-UUID=\"cb9e11fc-bb97-4222-9cd8-99820c1de454\":\
             johnny5@aol.com",
        ],
    );
}

#[test]
fn mac_address_book_3_0_export() {
    let got = fixture("ez-vcard/John_Doe_MAC_ADDRESS_BOOK.vcf");
    let c = &got[0];
    let f = &c.fields;
    assert_eq!(names(c)[3], Some("Richter,James"));
    assert_eq!(entries(&f.emails), "john.doe@ibm.com [work] *");
    assert_eq!(f.phones.len(), 7);
    assert_eq!(f.phone.as_deref(), Some("905-777-1234"));
    assert_eq!(f.phones[6].label.as_deref(), Some("AssistantPhone"));
    // `PHOTO;BASE64:` and data on lines indented by two spaces.
    let photo = f.photo.as_deref().unwrap();
    assert!(photo.starts_with("PHOTO;ENCODING=b:/9j/4AAQSkZJRgABAQAAAQABAAD/4QBARXhp"));
    assert!(!photo.contains(' '));
    assert!(has_extra(
        c,
        "X-ABUID:6B29A774-D124-4822-B8D0-2780EC117F60\\:ABPerson"
    ));
    assert!(has_extra(c, "item5.X-ABRELATEDNAMES;type=pref:Jenny"));
}

#[test]
fn google_export_with_labels_of_its_own() {
    let got = fixture("ez-vcard/gmail-single2.vcf");
    let c = &got[0];
    let f = &c.fields;
    assert_eq!(f.nickname.as_deref(), Some("TheNickname"));
    assert_eq!(
        entries(&f.emails),
        "email@example.com | homeemail@example.com [home] | workemail@example.com [work] | \
         otheremail@example.com | customcategory@example.com [CustomEmailCategory]"
    );
    let phone_labels: Vec<Option<&str>> = f.phones.iter().map(|p| p.label.as_deref()).collect();
    assert_eq!(
        phone_labels,
        [
            None,
            Some("home"),
            Some("work"),
            None,
            Some("mobile"),
            Some("main"),
            Some("home,fax"),
            Some("work,fax"),
            Some("GRAND_CENTRAL"),
            Some("pager"),
            Some("CustomePhoneCategory"),
        ]
    );
    assert_eq!(f.addresses.len(), 5);
    assert_eq!(
        f.addresses[4].label.as_deref(),
        Some("CustomAddressCategory")
    );
    let url_labels: Vec<Option<&str>> = f.urls.iter().map(|u| u.label.as_deref()).collect();
    assert_eq!(
        url_labels,
        [
            None,
            Some("PROFILE"),
            Some("BLOG"),
            Some("HomePage"),
            Some("work"),
            Some("CustomWebsiteCategory")
        ]
    );
    assert_eq!(f.urls[0].value, "http://www.example1.com");
    assert_eq!(f.birthday.as_deref(), Some("1912-06-23"));
    assert_eq!(f.anniversary.as_deref(), Some("1930-03-20"));
    // Dates that are no anniversary, and relations, stay with their labels.
    assert_kept(
        c,
        &[
            "X-ABDATE:1776-07-04",
            "item10.X-ABDATE:2000-09-12",
            "item10.X-ABLabel:CustomDateCategory",
            "item25.X-ABRELATEDNAMES:Name16",
            "X-SKYPE:IM5",
        ],
    );
    assert!(!f.extra.iter().any(|l| l.contains("CustomEmailCategory")));
}

#[test]
fn rfc_2426_cards_with_fn_and_no_n() {
    let got = fixture("ez-vcard/rfc2426-example.vcf");
    assert_eq!(name_line(&got[0]), "Frank Dawson = _ / _ / _ / _ / _");
    // The domain of an address is lower-cased.
    assert_eq!(
        entries(&got[0].fields.emails),
        "Frank_Dawson@lotus.com * | fdawson@earthlink.net"
    );
    assert_eq!(
        entries(&got[0].fields.phones),
        "+1-919-676-9515 [msg,work] | +1-919-676-9564 [fax,work]"
    );
    assert_eq!(
        got[0].fields.addresses[0].label.as_deref(),
        Some("work,postal,parcel")
    );
    assert_eq!(names(&got[1])[0], Some("Tim Howes"));
    assert_eq!(got[1].org.as_deref(), Some("Netscape Communications Corp."));
    assert!(got.iter().all(|c| c.fields.extra.is_empty()));
}

#[test]
fn thunderbird_3_0_export() {
    let got = fixture("ez-vcard/thunderbird-MoreFunctionsForAddressBook-extension.vcf");
    let c = &got[0];
    let f = &c.fields;
    // N with two parts only.
    assert_eq!(name_line(c), "John Doe = _ / John / _ / Doe / _");
    assert_eq!(f.emails.len(), 5);
    assert_eq!(f.email.as_deref(), Some("doe.john@hotmail.com"));
    assert!(f.emails[0].preferred);
    // The commas are escaped: one category.
    assert_eq!(f.tags, ["category1, category2, category3"]);
    assert_eq!(f.anniversary.as_deref(), Some("1990-04-30"));
    assert_eq!(f.birthday.as_deref(), Some("1970-09-21"));
    assert_eq!(
        entries(&f.addresses[..1]),
        ";222 Broadway;Suite 100;New York;NY;98765;USA [work,postal]"
    );
    assert_eq!(
        f.extra,
        ["ORG:TheOrganization;TheDepartment", "X-SPOUSE:TheSpouse"]
    );
}

#[test]
fn rfc_6350_card_a_birthday_without_a_year_and_tel_uris() {
    let got = fixture("ez-vcard/rfc6350-example.vcf");
    let c = &got[0];
    let f = &c.fields;
    assert_eq!(names(c)[5], Some("ing. jr, M.Sc."));
    assert_eq!(f.birthday.as_deref(), Some("--02-03"));
    // The time of day goes: kith keeps days.
    assert_eq!(f.anniversary.as_deref(), Some("2009-08-08"));
    assert_eq!(
        entries(&f.phones),
        "+1-418-656-9254 ext. 102 [work] * | +1-418-262-6501 [work,mobile,video,text]"
    );
    assert_eq!(entries(&f.emails), "simon.perreault@viagenie.ca [work]");
    assert_eq!(
        f.extra,
        [
            "GENDER:M",
            "LANG;PREF=1:fr",
            "LANG;PREF=2:en",
            "ORG;TYPE=work:Viagenie",
            "GEO;TYPE=work:geo:46.772673,-71.282945",
            "KEY;TYPE=work;VALUE=uri:http://www.viagenie.ca/simon.perreault/simon.asc",
            "TZ:-0500",
        ]
    );
}

#[test]
fn fullcontact_4_0_the_first_of_each_is_the_contact_s_the_rest_kept() {
    let got = fixture("ez-vcard/fullcontact.vcf");
    let c = &got[0];
    let f = &c.fields;
    assert_eq!(
        name_line(c),
        "Prefix FirstName MiddleName LastName Suffix = Prefix / FirstName / MiddleName / \
         LastName / Suffix"
    );
    assert_eq!(f.nickname.as_deref(), Some("NickName"));
    assert_eq!(f.tags, ["Tag"]);
    assert_eq!(f.title.as_deref(), Some("Title1"));
    assert_eq!(c.org.as_deref(), Some("Organization1"));
    assert_eq!(f.birthday.as_deref(), Some("2016-08-01"));
    assert_eq!(f.phones.len(), 9);
    assert_eq!(
        f.emails
            .iter()
            .map(|e| e.label.as_deref())
            .collect::<Vec<_>>(),
        [
            Some("home"),
            Some("work"),
            Some("school"),
            Some("other"),
            Some("customtype")
        ]
    );
    assert_eq!(f.addresses.len(), 4);
    assert_eq!(f.urls.len(), 4);
    assert!(f
        .photo
        .as_ref()
        .unwrap()
        .starts_with("PHOTO:https://d3m0kzytmr41b1."));
    assert_kept(
        c,
        &[
            "ORG:Organization1;Department1",
            "ORG:Organization2;Department2",
            "TITLE:Title2",
            "BDAY;ALTID=1;VALUE=text:2016-08-01",
            "IMPP;X-SERVICE-TYPE=Skype:skype:skype",
            "GENDER:M",
        ],
    );
    assert_eq!(
        f.extra.iter().filter(|l| l.starts_with("PHOTO:")).count(),
        2
    );
}

#[test]
fn android_2_1_all_five_parts_of_n_and_two_notes() {
    let got = fixture("android/v21_complicated.vcf");
    let c = &got[0];
    let f = &c.fields;
    assert_eq!(name_line(c), "Joe Due = Pos / Forrest / Hoge / Gump / Tao");
    assert_eq!(f.title.as_deref(), Some("Shrimp Man"));
    assert_eq!(f.birthday.as_deref(), Some("1980-01-01"));
    assert_eq!(
        entries(&f.emails),
        "forrestgump@walladalla.com * | cell@example.com [mobile]"
    );
    assert_eq!(f.phones.len(), 5);
    assert_eq!(f.phones[3].label.as_deref(), Some("video"));
    assert_eq!(
        f.notes.as_deref(),
        Some(
            "The following note is the example from RFC 2045.\n\
             Now's the time for all folk to come to the aid of their country."
        )
    );
    assert_eq!(c.org.as_deref(), Some("Gump Shrimp Co."));
    assert_kept(
        c,
        &[
            "ORG:Gump Shrimp Co.;Sales Dept.\\;Manager;Fish keeper",
            "ROLE:Fish Cake Keeper!",
            "X-CLASS:PUBLIC",
            "X-ATTRIBUTE:Some String",
            "GEO:35.6563854,139.6994233",
            "LABEL;TYPE=HOME:42 Plantation St.\\nBaytown, LA 30314\\nUnited  States of America",
        ],
    );
}

#[test]
fn android_2_1_preference_a_card_with_only_fn_and_a_card_with_only_n() {
    let got = fixture("android/v21_pref_handling.vcf");
    let c = &got[0];
    assert_eq!(name_line(c), "Smith = _ / _ / _ / _ / _");
    // Of two EMAIL;PREF the first; one TEL;PREF.
    assert_eq!(
        entries(&c.fields.emails),
        "test@example.com [home] * | test2@examination.com [mobile]"
    );
    assert_eq!(
        entries(&c.fields.phones),
        "1 [home] | 2 [work] * | 3 [isdn]"
    );
    assert_eq!(c.warnings.len(), 3);
    assert_eq!(
        (c.org.as_deref(), c.fields.title.as_deref()),
        (Some("Company"), Some("Engineer"))
    );
    assert_eq!(
        c.fields.extra,
        ["ORG:Mystery", "TITLE:Blogger", "ORG:Poetry", "TITLE:Poet"]
    );

    // No VERSION, only N.
    let got = fixture("android/v21_simple_1.vcf");
    assert_eq!(name_line(&got[0]), "Roid Ando = _ / Roid / _ / Ando / _");
}

#[test]
fn windows_mobile_2_1_anniversary_and_empty_properties() {
    let got = fixture("android/v21_winmo_65.vcf");
    let c = &got[0];
    assert_eq!(name_line(c), "Example = _ / _ / _ / Example / _");
    assert_eq!(c.fields.anniversary.as_deref(), Some("2009-10-10"));
    assert_eq!(
        c.fields.extra,
        [
            "AGENT:Invalid line which must be handled correctly.",
            "X-CLASS:PUBLIC",
            "X-REDUCTION:",
            "X-NO:",
        ]
    );
}

#[test]
fn android_3_0_and_4_0_a_pager_address_and_sort_keys() {
    let got = fixture("android/v30_pager.vcf");
    // A TEL that is an address, not a number: kept as typed; it has digits, so no warning.
    assert_eq!(
        entries(&got[0].fields.phones),
        "6101231234@pagersample.com [pager,work,msg]"
    );
    assert!(got[0].warnings.is_empty());
    assert_eq!(names(&got[0])[0], Some("G M F"));

    let got = fixture("android/v30_simple.vcf");
    assert_eq!(entries(&got[0].fields.phones), "0300000000 *");
    assert_eq!(
        got[0].fields.extra,
        [
            "ORG:Open;Handset; Alliance",
            "SORT-STRING:android",
            "CLASS:PUBLIC",
            "X-GNO:0",
            "X-GN:group0",
            "X-REDUCTION:0",
        ]
    );

    let got = fixture("android/v40_sort_as.vcf");
    assert_eq!(
        name_line(&got[0]),
        "安藤 ロイド = _ / ロイド / _ / 安藤 / _"
    );
    assert_eq!(got[0].org.as_deref(), Some("グーグル"));
    assert_eq!(
        got[0].fields.extra,
        ["ORG;TYPE=WORK;SORT-AS=\"ぐーぐる;けんさくぶもん\":グーグル;検索部門"]
    );
}

#[test]
fn german_outlook_2_1_export() {
    let got = fixture("folkerkinzel/Outlook_v2.vcf");
    let c = &got[0];
    assert_eq!(
        name_line(c),
        "Herr Max Anderer Mustermann sen. = Herr / Max / Anderer / Mustermann / sen."
    );
    assert_eq!(entries(&c.fields.emails), "max.mustermann@musterfirma.de *");
    assert_eq!(
        c.fields.phones[2],
        Labeled::new("+49 (0611) 123456 - 14", Some("cell"), false)
    );
    assert!(has_extra(c, "X-MS-IMADDRESS:chatadresse"));
    assert!(c
        .fields
        .photo
        .as_ref()
        .unwrap()
        .starts_with("PHOTO;TYPE=JPEG;ENCODING=b:/9j/"));
}

#[test]
fn thunderbird_cardbook_4_0_text_phones_and_a_date_that_is_no_date() {
    let got = fixture("folkerkinzel/v4.vcf");
    assert_eq!(got.len(), 2);
    let gerda = &got[0];
    assert_eq!(
        gerda.fields.uid.as_deref(),
        Some("9e49143d-201c-46cc-b1ca-b84cac8211e9")
    );
    assert_eq!(
        entries(&gerda.fields.emails),
        "info@kinderland-blubblub.de [home] *"
    );
    let max = &got[1];
    let f = &max.fields;
    assert_eq!(
        name_line(max),
        "Dr. Max Horst Mustermann jr. Maxl SED = Dr. / Max / Horst / Mustermann / jr."
    );
    assert_eq!(f.phones.len(), 10);
    assert_eq!(
        f.phones[0],
        Labeled::new("Privattelefon", Some("home"), false)
    );
    assert_eq!(f.phones[9], Labeled::new("ohne", None, false));
    // 31 is no month.
    assert_eq!(f.birthday, None);
    assert_eq!(
        max.warnings[0],
        "BDAY \"19723101\" on line 22 is not a date: kept as it came"
    );
    assert_eq!(max.warnings.len(), 11);
    assert_eq!(
        f.extra,
        [
            "BDAY:19723101",
            "GENDER:M",
            "ROLE:Generalsekretär",
            "ITEM1.X-ABDATE:20190707",
            "ITEM1.X-ABLABEL:Hochzeitstag",
        ]
    );
}

#[test]
fn whatsapp_label_and_google_3_0_with_empty_labels() {
    let got = fixture("folkerkinzel/WhatsAppIssue.vcf");
    let c = &got[0];
    assert_eq!(
        name_line(c),
        "zzMad Perla 45 = _ / zzMad Perla 45 / _ / _ / _"
    );
    assert_eq!(
        entries(&c.fields.phones),
        "7yy-zzz-xxx [home] | 7yy-zzz-xxx [whatsapp]"
    );
    assert_eq!(c.fields.notes.as_deref(), Some("PERLA\nmadrid"));

    let got = fixture("folkerkinzel/v3.vcf");
    let c = &got[0];
    // item1.X-ABLabel: with nothing after the colon is no label.
    assert_eq!(
        entries(&c.fields.emails),
        "email1@wumms.de | email2@folker-kinzel.de"
    );
    assert_eq!(c.fields.birthday.as_deref(), Some("1978-03-11"));
    assert!(c
        .fields
        .photo
        .as_ref()
        .unwrap()
        .starts_with("PHOTO:https://lh3.googleusercontent.com/"));
    assert_eq!(
        c.fields.extra,
        ["SOURCE;VALUE=URI;CONTEXT=VCARD:http://folker.de/vcard.vcf"]
    );
    let c = &got[1];
    assert_eq!(entries(&c.fields.emails), "blablö@blub.com");
    assert_eq!(c.fields.phones[1].label.as_deref(), Some("homeFax"));
    // A grouped ORG is kept whole, with its group's label.
    assert_eq!(c.org.as_deref(), Some("KMS Außenstelle"));
    assert_eq!(
        c.fields.extra,
        ["item2.ORG:KMS Außenstelle", "item2.X-ABLabel:"]
    );
}

#[test]
fn icloud_cards_with_only_an_organisation_or_only_an_email() {
    let got = fixture("rcmcarddav/EmptyFNCompany.vcf");
    let c = &got[0];
    assert_eq!(name_line(c), "Die Firma = _ / _ / _ / _ / _");
    assert_eq!(c.org.as_deref(), Some("Die Firma"));
    assert_eq!(c.warnings, ["no name: shown as \"Die Firma\""]);
    assert_eq!(
        c.fields.uid.as_deref(),
        Some("77490363-953D-403C-9170-341C0DE4F822")
    );
    assert_eq!(c.fields.extra, ["X-ABShowAs:COMPANY"]);

    let got = fixture("rcmcarddav/EmptyFNEmail.vcf");
    let c = &got[0];
    assert_eq!(names(c)[0], Some("special"));
    assert_eq!(c.warnings, ["no name: shown as \"special\""]);
    assert_eq!(entries(&c.fields.emails), "special@maxmu.de *");
    assert_eq!(entries(&c.fields.phones), "12345 [home] *");
}

#[test]
fn ios_instant_messaging_is_kept_with_its_labels() {
    let got = fixture("rcmcarddav/IM-iOS.vcf");
    let c = &got[0];
    assert_eq!(names(c)[0], Some("Test IosIMKontakt"));
    assert_eq!(c.fields.extra.len(), 36);
    assert_eq!(c.fields.extra[0], "item1.X-ICQ:18383828");
    assert_eq!(c.fields.extra[1], "item1.X-ABLabel:ICQ");
    assert!(has_extra(
        c,
        "item8.IMPP;X-SERVICE-TYPE=\"Mike’s very special, custom IM:\":x-apple:mikeim@example.com"
    ));
    assert!(has_extra(
        c,
        "item8.X-ABLabel:Mike’s very special\\, custom IM:"
    ));
}

#[test]
fn sabre_an_apple_birthday_without_a_year_labels_and_pictures() {
    let got = fixture("sabre-vobject/birthday_omit_year.vcf");
    let c = &got[0];
    assert_eq!(c.fields.birthday.as_deref(), Some("--04-07"));
    assert_eq!(name_line(c), "Forrest Gump = Mr. / Forrest / _ / Gump / _");
    assert_eq!(c.fields.uid.as_deref(), Some("foo"));
    assert!(c.fields.extra.is_empty());

    let got = fixture("sabre-vobject/convert30to40.vcf");
    let c = &got[0];
    assert_eq!(name_line(c), "Steve = _ / _ / _ / _ / _");
    assert_eq!(
        entries(&c.fields.phones),
        "+1 555 666 777 [home] * | +1 444 555 666 [CustomLabel]"
    );
    assert_eq!(
        c.fields.photo.as_deref(),
        Some("PHOTO;ENCODING=b;TYPE=JPEG,HOME:Zm9v")
    );
    assert_eq!(
        c.fields.extra,
        [
            "PHOTO;ENCODING=b;TYPE=GIF:Zm9v",
            "PHOTO;X-PARAM=FOO;ENCODING=b;TYPE=PNG:Zm9v",
            "PHOTO;VALUE=URI:http://example.org/foo.png",
            "X-ABShowAs:COMPANY",
        ]
    );

    let got = fixture("sabre-vobject/convert21to40.vcf");
    let c = &got[0];
    assert_eq!(
        name_line(c),
        "Johnson Family = _ / Johnson / _ / Family / _"
    );
    assert_eq!(c.fields.uid.as_deref(), Some("12345678"));
    assert_eq!(entries(&c.fields.phones), "555-12345-345 [home]");
    assert_eq!(
        entries(&c.fields.addresses),
        ";;100 Street Lane;Saubel Beach;ON;H0H0H0 [home]"
    );
    assert_eq!(
        c.fields.extra,
        ["LABEL;TYPE=HOME:100 Street Lane\\nSaubel Beach,ON H0H0H0"]
    );
}

#[test]
fn radicale_n_with_all_five_parts() {
    let got = fixture("py-vobject/radicale-1587.vcf");
    assert_eq!(
        name_line(&got[0]),
        "Given Family = Prefix / Given / Additional / Family / Suffix"
    );
    assert_eq!(got[0].fields.extra, ["GEO:37.386013;-122.082932"]);
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
    assert_eq!(entries(&valid.emails), "a@x.com * | b@x.com");
}

#[test]
fn a_card_without_a_name_is_named_after_its_nickname_then_its_email_then_its_org() {
    let named = |body: &str| {
        let text = format!("BEGIN:VCARD\nVERSION:4.0\n{body}END:VCARD\n");
        let got = vcard::parse(text.as_bytes());
        let card = got[0].as_ref().unwrap();
        (
            card.fields.full_name.clone().unwrap(),
            card.warnings.clone(),
        )
    };
    let all = "NICKNAME:Sunny\nEMAIL:sun.ny@example.com\nORG:Sun Inc.\n";
    assert_eq!(
        named(all),
        (
            "Sunny".to_string(),
            vec!["no name: shown as \"Sunny\"".to_string()]
        )
    );
    assert_eq!(named(all.split_once('\n').unwrap().1).0, "sun.ny");
    assert_eq!(
        named("EMAIL:not-an-address\nORG:Sun Inc.;Sales\n").0,
        "Sun Inc."
    );
}

#[test]
fn odd_emails_and_phones() {
    let text = "BEGIN:VCARD\nVERSION:4.0\nFN:A\nEMAIL;PREF=2:mailto:a@Example.COM\n\
                EMAIL;PREF=1:b@example.com\nTEL:12345678901234567890123456789012345678901\n\
                TEL;TYPE=pager:pager\nEND:VCARD\n";
    let got = vcard::parse(text.as_bytes());
    let card = got[0].as_ref().unwrap();
    assert_eq!(
        entries(&card.fields.emails),
        "a@example.com | b@example.com *"
    );
    assert_eq!(card.fields.email.as_deref(), Some("b@example.com"));
    assert_eq!(entries(&card.fields.phones), "pager [pager]");
    // Too long for a phone number: kept as the card has it, and said so.
    assert_eq!(
        card.fields.extra,
        ["TEL:12345678901234567890123456789012345678901"]
    );
    assert_eq!(
        card.warnings,
        [
            "TEL on line 6 is 41 characters long; at most 40 are allowed: kept as it came",
            "TEL \"pager\" on line 7 has fewer than 3 digits: kept as typed",
        ]
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
        every_days: None,
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

/// A contact with every field kith keeps, and `extra` lines of a card it came from.
fn john() -> Contact {
    let mut f = fields(
        Some("John"),
        Some("Doe"),
        "Mr. John Richter James Doe Sr.",
        Some("john@work.example"),
        None,
        Some("Money Counter"),
        None,
    );
    f.middle_name = s("Richter, James");
    f.prefix = s("Mr.");
    f.suffix = s("Sr.");
    f.nickname = s("Johny, JJ");
    f.emails = vec![
        Labeled::new("john@home.example", Some("home"), false),
        Labeled::new("john@work.example", Some("WORK"), false),
    ];
    f.phones = vec![
        Labeled::new("+1 555 0100", Some("cell"), true),
        Labeled::new("+1 555 0101", Some("AssistantPhone"), false),
        Labeled::new("pager", Some("pager"), false),
    ];
    f.addresses = vec![Labeled::new(
        ";;1 Main St\\nApt 2;Springfield;;12345;USA",
        Some("home"),
        false,
    )];
    f.urls = vec![Labeled::new(
        "https://example.com/a,b",
        Some("HomePage"),
        false,
    )];
    f.tags = vec!["VIP".into(), "a, b".into()];
    f.uid = s("urn:uuid:5f1c");
    f.birthday = s("--04-12");
    f.anniversary = s("2001-06-30");
    f.photo = s("PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ");
    f.extra = vec![
        "item1.X-ABRELATEDNAMES:Jane".into(),
        "item1.X-ABLabel:_$!<Spouse>!$_".into(),
        "ORG:Engines;R&D".into(),
        "X-ANDROID-CUSTOM:x;y".into(),
        // Never written: it would end the card.
        "END:VCARD".into(),
    ];
    let mut c = contact(3, ParentKind::Customer, "Engines", f);
    c.updated_at = "2025-01-02T03:04:05Z".into();
    c
}

#[test]
fn writes_everything_kith_keeps_3_0() {
    assert_eq!(
        vcard::write(&[john()], Version::V3),
        "BEGIN:VCARD\r\n\
         VERSION:3.0\r\n\
         FN:Mr. John Richter James Doe Sr.\r\n\
         N:Doe;John;Richter,James;Mr.;Sr.\r\n\
         NICKNAME:Johny,JJ\r\n\
         EMAIL;TYPE=INTERNET,WORK,PREF:john@work.example\r\n\
         EMAIL;TYPE=INTERNET,HOME:john@home.example\r\n\
         TEL;TYPE=CELL,PREF:+1 555 0100\r\n\
         item2.TEL:+1 555 0101\r\n\
         item2.X-ABLABEL:AssistantPhone\r\n\
         TEL;TYPE=PAGER:pager\r\n\
         ADR;TYPE=HOME:;;1 Main St\\nApt 2;Springfield;;12345;USA\r\n\
         item3.URL:https://example.com/a,b\r\n\
         item3.X-ABLABEL:HomePage\r\n\
         TITLE:Money Counter\r\n\
         BDAY:--04-12\r\n\
         X-ANNIVERSARY:2001-06-30\r\n\
         CATEGORIES:VIP,a\\, b\r\n\
         ORG:Engines;R&D\r\n\
         PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ\r\n\
         item1.X-ABRELATEDNAMES:Jane\r\n\
         item1.X-ABLabel:_$!<Spouse>!$_\r\n\
         X-ANDROID-CUSTOM:x;y\r\n\
         X-KITH-PARENT-KIND:customer\r\n\
         UID:urn:uuid:5f1c\r\n\
         REV:2025-01-02T03:04:05Z\r\n\
         END:VCARD\r\n"
    );
}

#[test]
fn writes_everything_kith_keeps_4_0() {
    let out = vcard::write(&[john()], Version::V4);
    let lines: Vec<&str> = out.split("\r\n").collect();
    for line in [
        "VERSION:4.0",
        "EMAIL;TYPE=work;PREF=1:john@work.example",
        "EMAIL;TYPE=home:john@home.example",
        "TEL;TYPE=cell;PREF=1:+1 555 0100",
        "item2.TEL:+1 555 0101",
        "TEL;TYPE=pager:pager",
        "ADR;TYPE=home:;;1 Main St\\nApt 2;Springfield;;12345;USA",
        "BDAY:--0412",
        "ANNIVERSARY:20010630",
        "PHOTO:data:image/jpeg;base64,/9j/4AAQ",
        "REV:20250102T030405Z",
    ] {
        assert!(lines.contains(&line), "{line} not in\n{out}");
    }
    // And kith reads back what it wrote.
    let back = vcard::parse(out.as_bytes());
    let card = back[0].as_ref().unwrap();
    let (want, _) = john().fields.validated(None).unwrap();
    let f = &card.fields;
    assert_eq!(
        (&f.middle_name, &f.prefix, &f.suffix, &f.nickname),
        (
            &want.middle_name,
            &want.prefix,
            &want.suffix,
            &want.nickname
        )
    );
    assert_eq!(
        entries(&f.emails),
        "john@work.example [work] * | john@home.example [home]"
    );
    assert_eq!(
        entries(&f.phones),
        "+1 555 0100 [mobile] * | +1 555 0101 [AssistantPhone] | pager [pager]"
    );
    assert_eq!(
        (&f.addresses, &f.urls, &f.tags),
        (&want.addresses, &want.urls, &want.tags)
    );
    assert_eq!(
        (&f.uid, &f.birthday, &f.anniversary),
        (&want.uid, &want.birthday, &want.anniversary)
    );
    assert_eq!(
        f.photo.as_deref(),
        Some("PHOTO:data:image/jpeg;base64,/9j/4AAQ")
    );
    assert_eq!(
        f.extra,
        [
            "ORG:Engines;R&D",
            "item1.X-ABRELATEDNAMES:Jane",
            "item1.X-ABLabel:_$!<Spouse>!$_",
            "X-ANDROID-CUSTOM:x;y",
        ]
    );
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
        ContactFields {
            first_name, last_name, full_name, email, phone, title, notes, ..Default::default()
        }
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

    /// Random bytes inside the values of a card that is whole otherwise: the card always reads
    /// (so the cleanliness check always runs), whatever the bytes hold.
    #[test]
    fn a_card_with_arbitrary_bytes_in_its_values_reads_clean(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let value: Vec<u8> = bytes.iter().copied().filter(|b| !matches!(b, b'\r' | b'\n')).collect();
        let mut input = b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Jane;;;\r\n".to_vec();
        for property in ["FN:", "TITLE:", "NOTE:", "ORG:", "NICKNAME:", "X-ODD:"] {
            input.extend_from_slice(property.as_bytes());
            input.extend_from_slice(&value);
            input.extend_from_slice(b"\r\n");
        }
        input.extend_from_slice(b"END:VCARD\r\n");
        let cards = vcard::parse(&input);
        prop_assert_eq!(cards.len(), 1);
        let card = cards[0].as_ref();
        prop_assert!(card.is_ok(), "{:?}", card.err());
        if let Ok(card) = card {
            assert_clean(card);
        }
    }
}

#[test]
fn a_vcard_file_in_utf16_is_read_as_its_text() {
    let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jürgen Müller\r\nN:Müller;Jürgen;;;\r\nEMAIL:j@müller.example\r\nEND:VCARD\r\n";
    for big_endian in [false, true] {
        let mut bytes: Vec<u8> = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            let b = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend_from_slice(&b);
        }
        let cards = vcard::parse(&bytes);
        assert_eq!(cards.len(), 1, "big endian: {big_endian}");
        let card = cards[0].as_ref().expect("the card reads");
        assert_eq!(card.fields.full_name.as_deref(), Some("Jürgen Müller"));
        assert_eq!(card.fields.last_name.as_deref(), Some("Müller"));
    }
}
