//! `kith::inbox` over real messages from other projects' test suites and a few written here
//! (tests/fixtures/SOURCES.md says which): what a user would check once the message is logged.

use std::fs;
use std::path::{Path, PathBuf};

use kith::inbox::{self, Address, Incoming};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mail")
        .join(name)
}

fn parse(name: &str) -> Incoming {
    let raw = fs::read(fixture(name)).unwrap();
    inbox::parse(&raw).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// (name, email) pairs, the shape a reader checks an address list in.
fn who(list: &[Address]) -> Vec<(Option<&str>, &str)> {
    list.iter()
        .map(|a| (a.name.as_deref(), a.email.as_str()))
        .collect()
}

fn date(m: &Incoming) -> String {
    m.date.expect("a date").to_rfc3339()
}

fn assert_no_tags(body: &str) {
    for tag in ["<p", "<b>", "<html", "<br", "<style", "</", "=3D", "color:"] {
        assert!(!body.contains(tag), "{tag:?} left in {body:?}");
    }
}

#[test]
fn mailing_list_multipart_alternative_quoted_printable_takes_the_plain_part() {
    let m = parse("mail-parser/thirdparty-014.eml");
    assert_eq!(m.subject.as_deref(), Some("[Shapelib] need some help"));
    assert_eq!(
        m.message_id.as_deref(),
        Some("325993.29502.qm@web28416.mail.ukl.yahoo.com")
    );
    assert_eq!(date(&m), "2011-03-09T11:19:45+00:00");
    assert_eq!(
        who(&m.from),
        [(Some("calpas calpas"), "calpas2007@yahoo.fr")]
    );
    assert_eq!(who(&m.to), [(None, "shapelib@lists.maptools.org")]);
    assert!(m.cc.is_empty());
    // =0A soft-encoded newlines decoded, and the plain part rather than the HTML one.
    assert!(m
        .body
        .starts_with("Dear all,\n\nI am writting my first C application"));
    assert!(
        m.body.contains("undefined reference to \n`SHPOpen'"),
        "{}",
        m.body
    );
    assert!(m.body.ends_with("Cheers"), "{:?}", m.body);
    assert!(!m.body.contains("&nbsp;"));
}

#[test]
fn html_only_thunderbird_message_becomes_text() {
    let m = parse("mail-parser/thirdparty-016.eml");
    assert_eq!(m.subject.as_deref(), Some("25 HTML + embedded image"));
    assert_eq!(
        m.message_id.as_deref(),
        Some("c1ddcd5d-71c1-9c9d-1b81-e3b9abb99030@example.com")
    );
    assert_eq!(date(&m), "2017-12-30T18:26:23+00:00");
    assert_eq!(who(&m.from), [(None, "test@example.com")]);
    assert_eq!(who(&m.to), [(None, "test@example.com")]);
    // Quoted-printable UTF-8 inside HTML; the inline image is no text.
    assert_eq!(m.body, "Search for höhö");
    assert_no_tags(&m.body);
}

#[test]
fn rfc_2822_example_several_to_and_cc_with_quoted_names() {
    let m = parse("ruby-mail/example03.eml");
    assert_eq!(m.subject, None);
    assert_eq!(
        m.message_id.as_deref(),
        Some("5678.21-Nov-1997@example.com")
    );
    assert_eq!(date(&m), "2003-07-01T08:52:37+00:00");
    assert_eq!(
        who(&m.from),
        [(Some("Joe Q. Public"), "john.q.public@example.com")]
    );
    assert_eq!(
        who(&m.to),
        [
            (Some("Mary Smith"), "mary@x.test"),
            (None, "jdoe@example.org"),
            (Some("Who?"), "one@y.test")
        ]
    );
    assert_eq!(
        who(&m.cc),
        [
            (None, "boss@nil.test"),
            (Some("Giant; \"Big\" Box"), "sysservices@example.net")
        ]
    );
    assert_eq!(m.body, "Hi everyone.");
}

#[test]
fn rfc_2822_example_groups_are_flattened_and_an_empty_group_is_nobody() {
    let m = parse("ruby-mail/example04.eml");
    assert_eq!(m.message_id.as_deref(), Some("testabcd.1234@silly.example"));
    // -0330: a half-hour zone west of Greenwich, the next day in UTC.
    assert_eq!(date(&m), "1969-02-14T03:02:54+00:00");
    assert_eq!(who(&m.from), [(Some("Pete"), "pete@silly.example")]);
    assert_eq!(
        who(&m.to),
        [
            (Some("Chris Jones"), "c@a.test"),
            (None, "joe@where.test"),
            (Some("John"), "jdoe@one.test")
        ]
    );
    assert!(m.cc.is_empty(), "{:?}", m.cc);
    assert_eq!(m.body, "Testing.");
}

#[test]
fn base64_utf8_body_and_encoded_word_subject_and_name_without_id_or_date() {
    let m = parse("ruby-mail/japanese.eml");
    assert_eq!(m.subject.as_deref(), Some("まみむめも"));
    assert_eq!(m.message_id, None);
    assert_eq!(m.date, None);
    assert_eq!(
        who(&m.from),
        [(Some("Mikel Lindsaar"), "raasdnil@gmail.com")]
    );
    assert_eq!(who(&m.to), [(Some("みける"), "raasdnil@gmail.com")]);
    assert!(m.body.starts_with("かきくえこ\n"), "{:?}", m.body);
    assert!(m.body.contains("Rails, RSpec and Life blog"));
}

#[test]
fn gmail_iso_8859_1_quoted_printable_alternative_with_encoded_words() {
    let m = parse("ruby-mail/raw_email_encoded_stack_level_too_deep.eml");
    assert_eq!(
        m.subject.as_deref(),
        Some("Nicolas Fouché has accepted your invitation to Gmail")
    );
    assert_eq!(
        m.message_id.as_deref(),
        Some("89d7557c0506280102495d555f@mail.gmail.com")
    );
    assert_eq!(date(&m), "2005-06-28T08:02:11+00:00");
    assert_eq!(
        who(&m.from),
        [(Some("Gmail Team"), "gmail-noreply@google.com")]
    );
    assert_eq!(who(&m.to), [(Some("Nicolas Fouché"), "a.b@gmail.com")]);
    assert!(m
        .body
        .starts_with("Nicolas Fouché has accepted your invitation"));
    assert!(m.body.ends_with("The Gmail Team"), "{:?}", m.body);
    assert_no_tags(&m.body);
}

#[test]
fn windows_1252_body_names_and_subject_with_no_message_id() {
    let m = parse("kith/windows-1252-no-message-id.eml");
    assert_eq!(m.subject.as_deref(), Some("Devis n° 2024-17 – révisé"));
    assert_eq!(m.message_id, None);
    assert_eq!(date(&m), "2024-03-15T08:30:00+00:00");
    assert_eq!(
        who(&m.from),
        [(Some("Zoë Martín"), "zoe.martin@example.com")]
    );
    assert_eq!(
        who(&m.to),
        [
            (Some("Olivier Brun"), "olivier@example.org"),
            (Some("Jürgen Müller"), "juergen@example.net"),
            (None, "sales@example.com")
        ]
    );
    assert_eq!(
        who(&m.cc),
        [
            (Some("Brun, Claire"), "claire@example.org"),
            (Some("Finance"), "finance@example.net")
        ]
    );
    // 0x80 is € and 0x93/0x94 are curly quotes in Windows-1252, not in ISO-8859-1.
    assert!(m.body.contains("1\u{a0}250 € HT"), "{:?}", m.body);
    assert!(m.body.contains("“l’option B”"), "{:?}", m.body);
    assert!(!m.body.contains('\r'));
    assert!(m.body.ends_with("Cordialement,\nZoë"));
}

#[test]
fn an_mbox_of_three_with_separator_lines_and_an_escaped_from() {
    let bytes = fs::read(fixture("kith/three.mbox")).unwrap();
    let entries: Vec<_> = inbox::mbox::messages(&bytes).map(|e| e.unwrap()).collect();
    assert_eq!(
        entries.iter().map(|e| e.line).collect::<Vec<_>>(),
        [1, 16, 27]
    );
    let m: Vec<Incoming> = entries
        .iter()
        .map(|e| inbox::parse(&e.raw).unwrap())
        .collect();
    let ids: Vec<_> = m.iter().map(|m| m.message_id.as_deref().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "engine-1@example.com",
            "engine-2@example.org",
            "tea-3@example.net"
        ]
    );
    assert_eq!(m[0].subject.as_deref(), Some("The analytical engine"));
    assert_eq!(date(&m[0]), "2024-01-08T09:00:00+00:00");
    assert_eq!(who(&m[0].from), [(Some("Ada Lovelace"), "ada@example.com")]);
    assert!(m[0]
        .body
        .contains("\nFrom the first table to the last, every figure is checked.\n>From here on"));
    assert!(m[0].body.ends_with("Ada"), "{:?}", m[0].body);

    assert_eq!(
        who(&m[1].cc),
        [(Some("Mary Somerville"), "mary@example.net")]
    );
    assert_eq!(m[1].body, "Splendid news; send them by the evening post.");

    assert_eq!(m[2].subject.as_deref(), Some("Thé à quatre heures"));
    assert_eq!(date(&m[2]), "2024-01-09T08:05:00+00:00");
    assert_eq!(
        who(&m[2].from),
        [(Some("Mary Somerville"), "mary@example.net")]
    );
    assert_eq!(m[2].body, "Tea on Thursday? Bring the Bézier sketches.");
}

#[test]
fn a_maildir_lists_cur_and_new_by_name_and_skips_tmp_and_dot_files() {
    let dir = fixture("kith/maildir");
    let paths = inbox::maildir::messages(&dir).unwrap();
    let names: Vec<String> = paths
        .iter()
        .map(|p| p.strip_prefix(&dir).unwrap().display().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "cur/1704913200.M1P100.example:2,S",
            "new/1704967200.M2P200.example"
        ]
    );
    let m: Vec<Incoming> = paths
        .iter()
        .map(|p| inbox::parse(&fs::read(p).unwrap()).unwrap())
        .collect();

    // multipart/alternative with a base64 plain part and CRLF lines.
    assert_eq!(m[0].subject.as_deref(), Some("A compiler"));
    assert_eq!(m[0].message_id.as_deref(), Some("compiler@example.com"));
    assert_eq!(date(&m[0]), "2024-01-10T19:00:00+00:00");
    assert_eq!(
        who(&m[0].from),
        [(Some("Grace Hopper"), "grace@example.com")]
    );
    assert_eq!(
        m[0].body,
        "The compiler runs the first program without a bug."
    );

    // HTML only, with a style sheet that must not become text.
    assert_eq!(m[1].subject.as_deref(), Some("Can machines think?"));
    assert_eq!(m[1].message_id.as_deref(), Some("machines@example.org"));
    assert_eq!(date(&m[1]), "2024-01-11T10:00:00+00:00");
    assert_eq!(
        who(&m[1].to),
        [
            (Some("Grace Hopper"), "grace@example.com"),
            (Some("Ada Lovelace"), "ada@example.com")
        ]
    );
    assert_eq!(
        m[1].body,
        "I propose to consider the question, can machines think?"
    );
    assert_no_tags(&m[1].body);
}

#[test]
fn a_fixture_that_is_no_mbox_is_refused_at_line_1() {
    let bytes = fs::read(fixture("ruby-mail/example03.eml")).unwrap();
    let err = inbox::mbox::messages(&bytes).next().unwrap().unwrap_err();
    assert_eq!(err.line, 1);
}

#[test]
fn a_list_copy_says_which_list_it_came_through_and_its_machinery() {
    // notmuch's list, through Mailman: List-Id, List-Post and the -request address.
    let m = parse("notmuch/lkml/cur/1382298793.002254:2,");
    let o = &m.origin;
    assert_eq!(
        o.list_id.as_deref(),
        Some("e1000-devel.lists.sourceforge.net")
    );
    assert_eq!(
        o.list_post.as_deref(),
        Some("e1000-devel@lists.sourceforge.net")
    );
    assert!(o
        .list_addresses
        .iter()
        .any(|a| a == "e1000-devel-request@lists.sourceforge.net"));
    assert_eq!(
        o.list.as_deref().map(|l| l.starts_with("List-Id: ")),
        Some(true)
    );
    assert_eq!(o.automatic, None, "Precedence: list is a list, not a robot");
    // vger: a List-ID without List-Post, sent as Precedence: bulk.
    let cover = parse("notmuch/lkml/cur/1382298793.002253:2,");
    assert_eq!(cover.origin.automatic.as_deref(), Some("Precedence: bulk"));
    assert_eq!(cover.origin.list_post, None);
    assert!(cover
        .origin
        .list_addresses
        .iter()
        .any(|a| a == "cpufreq@vger.kernel.org"));
    // A copy with its list headers taken off: the subject's tag names the list's address.
    let arch = parse("notmuch/default/cur/52:2,");
    assert_eq!(arch.origin.list, None);
    assert_eq!(arch.origin.list_addresses, ["aur-general@archlinux.org"]);
    // A message written to a person is none of these.
    let plain = parse("ruby-mail/example03.eml");
    assert_eq!(plain.origin, inbox::Origin::default());
}

#[test]
fn robots_say_so_in_their_headers() {
    let origin = |headers: &str| {
        let raw = format!("From: x@example.com\r\nTo: y@example.com\r\n{headers}\r\n\r\nbody\r\n");
        inbox::parse(raw.as_bytes()).unwrap().origin
    };
    for (header, said) in [
        (
            "Auto-Submitted: auto-replied",
            "Auto-Submitted: auto-replied",
        ),
        (
            "Auto-Submitted: Auto-Generated (monitor)",
            "Auto-Submitted: Auto-Generated (monitor)",
        ),
        ("Precedence: junk", "Precedence: junk"),
        (
            "X-Auto-Response-Suppress: OOF",
            "X-Auto-Response-Suppress: OOF",
        ),
        ("Return-Path: <>", "Return-Path: <>"),
        (
            "Content-Type: multipart/report; report-type=delivery-status; boundary=x",
            "Content-Type: multipart/report; report-type=delivery-status; boundary=x",
        ),
    ] {
        assert_eq!(origin(header).automatic.as_deref(), Some(said), "{header}");
    }
    for header in [
        "Auto-Submitted: no",
        "Precedence: first-class",
        "Return-Path: <x@example.com>",
    ] {
        assert_eq!(origin(header).automatic, None, "{header}");
    }
    let delivered = origin("Delivered-To: me@mine.example\r\nX-Original-To: <alias@mine.example>");
    assert_eq!(
        delivered.delivered_to,
        ["me@mine.example", "alias@mine.example"]
    );
}
