//! Bytes to text for the files people bring in: whatever encoding an address book wrote, read
//! with `encoding_rs` so that no charset is decoded by hand.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use std::borrow::Cow;

/// The text of a file whose encoding nobody declared: a byte-order mark decides (UTF-8,
/// UTF-16LE or UTF-16BE), then UTF-16 without a mark is told by its NUL bytes, then UTF-8 if
/// the bytes are valid UTF-8, and anything else is Windows-1252, which is what Outlook and
/// other Windows programs write in western Europe (and a superset of ISO-8859-1 in practice).
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0;
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return encoding.decode_without_bom_handling(bytes).0;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => WINDOWS_1252.decode_without_bom_handling(bytes).0,
    }
}

/// The text of bytes that came with a charset label (an HTTP `Content-Type`, a vCard
/// `CHARSET`): a byte-order mark still wins, as browsers do; an unknown or missing label falls
/// back to [`decode`]'s guessing.
/// The UTF-16 a file is in, told by its byte-order mark or its pattern of NUL bytes; None for
/// the byte-oriented encodings (UTF-8 and the 8-bit ones), which readers take byte by byte.
pub fn utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    match Encoding::for_bom(bytes) {
        Some((e, _)) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => Some(e),
        Some(_) => None,
        None => utf16_without_bom(bytes),
    }
}

pub fn decode_labeled<'a>(bytes: &'a [u8], label: Option<&str>) -> Cow<'a, str> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0;
    }
    match label.and_then(|l| Encoding::for_label(l.trim().as_bytes())) {
        // A page labelled UTF-8 that is not UTF-8 is far more often Windows-1252 than broken.
        Some(encoding) if encoding == UTF_8 => decode(bytes),
        Some(encoding) => encoding.decode_without_bom_handling(bytes).0,
        None => decode(bytes),
    }
}

/// UTF-16 that lost its byte-order mark (a file saved by a script, cut from a larger one): text
/// in Latin script has a NUL in every other byte, on the odd bytes for little-endian and the
/// even ones for big-endian, which no UTF-8 or 8-bit text file has.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(512) & !1];
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even, mut odd) = (0, 0);
    for pair in head.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    // Most of the text is ASCII (a header of column names): at least a third of the pairs
    // carry a NUL on one side and almost none on the other.
    let lopsided = |nul: usize, other: usize| nul * 3 >= pairs && other * 20 <= pairs;
    if lopsided(odd, even) {
        Some(UTF_16LE)
    } else if lopsided(even, odd) {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn every_encoding_an_address_book_writes() {
        let text = "Given Name,Family Name\nJosé,Müller – 200 €\n";
        assert!(matches!(decode(text.as_bytes()), Cow::Borrowed(_)));
        assert_eq!(decode(text.as_bytes()), text);

        let mut bom8 = b"\xEF\xBB\xBF".to_vec();
        bom8.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bom8), text);

        for big_endian in [false, true] {
            let bare = utf16(text, big_endian);
            assert_eq!(decode(&bare), text, "UTF-16 without a BOM");
            let mut marked = utf16("\u{feff}", big_endian);
            marked.extend_from_slice(&bare);
            assert_eq!(decode(&marked), text, "UTF-16 with a BOM");
        }

        let (cp1252, _, _) = WINDOWS_1252.encode(text);
        assert_eq!(decode(&cp1252), text);
    }

    #[test]
    fn a_label_is_followed_unless_a_bom_or_the_bytes_say_otherwise() {
        assert_eq!(decode_labeled(b"caf\xe9", Some("ISO-8859-1")), "café");
        assert_eq!(decode_labeled(b"caf\xe9", Some("utf-8")), "café");
        assert_eq!(decode_labeled("café".as_bytes(), Some("bogus")), "café");
        assert_eq!(
            decode_labeled(b"\xEF\xBB\xBFcaf\xC3\xA9", Some("latin1")),
            "café"
        );
        assert_eq!(decode_labeled(b"\xcf\xf0\xe8", Some("windows-1251")), "При");
    }

    #[test]
    fn short_or_binary_input_is_not_taken_for_utf16() {
        assert_eq!(decode(b"a"), "a");
        assert_eq!(decode(b""), "");
        assert_eq!(utf16_without_bom(b"ab\0cdef\0"), None);
    }
}
