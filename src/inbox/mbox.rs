//! The messages of an mbox file: each begins on a `From ` separator line, which is not part of
//! the message, and a body line that began with `From ` was written as `>From ` (mboxrd: every
//! `>+From ` line got one more `>`), so one `>` comes off again.
//!
//! A separator is a `From ` line at the start of the file or after a blank line, as RFC 4155
//! has writers leave; a `From ` line inside a paragraph is text that a writer forgot to escape.

use std::borrow::Cow;
use std::fmt;

/// One message of the file, with the 1-based line number of its `From ` line, so that a
/// message kith cannot read can be pointed at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    pub line: usize,
    /// The message without its separator, `>From ` lines unescaped.
    pub raw: Cow<'a, [u8]>,
}

/// Why the file is no mbox, at which line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for Error {}

/// The messages of `bytes`, in order. An empty file (or one of blank lines) has none; a file
/// that does not start with `From ` yields one error and stops.
pub fn messages(bytes: &[u8]) -> Messages<'_> {
    Messages {
        rest: bytes,
        line: 1,
        done: bytes.iter().all(u8::is_ascii_whitespace),
    }
}

/// The iterator [`messages`] returns.
pub struct Messages<'a> {
    /// What is left, starting at a separator line.
    rest: &'a [u8],
    /// The line number of the first line of `rest`.
    line: usize,
    done: bool,
}

impl<'a> Iterator for Messages<'a> {
    type Item = Result<Entry<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if !self.rest.starts_with(b"From ") {
            self.done = true;
            return Some(Err(Error {
                line: self.line,
                message: "not an mbox file: it does not start with a \"From \" line".into(),
            }));
        }
        let start_line = self.line;
        let (_separator, body) = split_line(self.rest);
        // Walk the message's lines up to the next separator, counting them for its line.
        let mut offset = 0;
        let mut lines = 0;
        let mut previous_blank = false;
        let mut next = None;
        while offset < body.len() {
            let (line, after) = split_line(&body[offset..]);
            if previous_blank && line.starts_with(b"From ") {
                next = Some(offset);
                break;
            }
            previous_blank = is_blank(line);
            lines += 1;
            offset = body.len() - after.len();
        }
        self.line += 1 + lines;
        match next {
            Some(at) => self.rest = &body[at..],
            None => self.done = true,
        }
        Some(Ok(Entry {
            line: start_line,
            raw: unescape(without_final_blank(&body[..offset])),
        }))
    }
}

/// The first line (with its ending) and what follows it.
fn split_line(bytes: &[u8]) -> (&[u8], &[u8]) {
    match bytes.iter().position(|&b| b == b'\n') {
        Some(i) => bytes.split_at(i + 1),
        None => (bytes, &[]),
    }
}

fn is_blank(line: &[u8]) -> bool {
    matches!(line, b"\n" | b"\r\n")
}

/// The blank line before the next separator belongs to the mbox format, not to the message.
fn without_final_blank(body: &[u8]) -> &[u8] {
    if body.ends_with(b"\r\n\r\n") {
        &body[..body.len() - 2]
    } else if body.ends_with(b"\n\n") {
        &body[..body.len() - 1]
    } else {
        body
    }
}

/// One `>` off every `>+From ` line; borrowed when there is none, as in most messages.
fn unescape(body: &[u8]) -> Cow<'_, [u8]> {
    let escaped = |line: &[u8]| {
        let quotes = line.iter().take_while(|&&b| b == b'>').count();
        quotes > 0 && line[quotes..].starts_with(b"From ")
    };
    let mut lines = body.split_inclusive(|&b| b == b'\n');
    if !lines.any(escaped) {
        return Cow::Borrowed(body);
    }
    let mut out = Vec::with_capacity(body.len());
    for line in body.split_inclusive(|&b| b == b'\n') {
        out.extend_from_slice(if escaped(line) { &line[1..] } else { line });
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn split(bytes: &[u8]) -> Vec<(usize, String)> {
        messages(bytes)
            .map(|m| {
                let m = m.unwrap();
                (m.line, String::from_utf8(m.raw.into_owned()).unwrap())
            })
            .collect()
    }

    #[test]
    fn messages_with_their_separator_lines_and_from_unescaped() {
        let file = "From ada@example.com Mon Jan  1 00:00:00 2024\n\
                    From: ada@example.com\n\nHello.\n>From the start, mboxrd.\n>>From stays quoted once.\n\n\
                    From bob@example.org Tue Jan  2 00:00:00 2024\n\
                    From: bob@example.org\n\nOne line.\nFrom inside a paragraph is text.\n\n\
                    From eve@example.net Wed Jan  3 00:00:00 2024\n\
                    From: eve@example.net\n\nLast, with no blank line at the end.\n";
        assert_eq!(
            split(file.as_bytes()),
            vec![
                (
                    1,
                    "From: ada@example.com\n\nHello.\nFrom the start, mboxrd.\n>From stays quoted once.\n"
                        .to_string()
                ),
                (
                    8,
                    "From: bob@example.org\n\nOne line.\nFrom inside a paragraph is text.\n"
                        .to_string()
                ),
                (
                    14,
                    "From: eve@example.net\n\nLast, with no blank line at the end.\n".to_string()
                ),
            ]
        );
    }

    #[test]
    fn crlf_files_split_the_same_way() {
        let file = "From a@example.com Mon Jan  1 00:00:00 2024\r\nFrom: a@example.com\r\n\r\n\
                    >From here.\r\n\r\nFrom b@example.com Mon Jan  1 00:00:00 2024\r\n\
                    From: b@example.com\r\n\r\nbody\r\n";
        assert_eq!(
            split(file.as_bytes()),
            vec![
                (1, "From: a@example.com\r\n\r\nFrom here.\r\n".to_string()),
                (6, "From: b@example.com\r\n\r\nbody\r\n".to_string()),
            ]
        );
    }

    #[test]
    fn an_empty_file_has_no_messages() {
        assert!(messages(b"").next().is_none());
        assert!(messages(b"\n\r\n").next().is_none());
    }

    #[test]
    fn a_file_that_is_no_mbox_is_one_error_at_line_1() {
        let mut it = messages(b"From: ada@example.com\n\nan .eml, not an mbox\n");
        let err = it.next().unwrap().unwrap_err();
        assert_eq!(err.line, 1);
        assert_eq!(
            err.to_string(),
            "line 1: not an mbox file: it does not start with a \"From \" line"
        );
        assert!(it.next().is_none());
    }

    #[test]
    fn a_separator_with_nothing_after_it_is_an_empty_message() {
        assert_eq!(split(b"From x"), vec![(1, String::new())]);
    }

    proptest! {
        #[test]
        fn never_panics_and_line_numbers_rise(
            raw in proptest::collection::vec(
                prop_oneof![Just(b"From ".to_vec()), Just(b"\n".to_vec()), Just(b"\r\n".to_vec()),
                            Just(b">From ".to_vec()), proptest::collection::vec(any::<u8>(), 0..8)],
                0..40,
            ).prop_map(|parts| parts.concat())
        ) {
            let mut last = 0;
            for entry in messages(&raw) {
                let Ok(entry) = entry else { break };
                prop_assert!(entry.line > last);
                prop_assert!(entry.raw.len() <= raw.len());
                last = entry.line;
            }
        }
    }
}
