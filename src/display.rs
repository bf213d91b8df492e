//! Text for terminals: display widths and truncation that never splits a character.
//!
//! East Asian wide characters and most emoji take two columns; combining marks take none. Widths
//! come from `unicode-width`, the same table ratatui uses, so the table output and the TUI agree.

use crate::domain::validate::terminal_safe;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` columns, ending with `…` when something was cut. Control and bidi
/// characters are neutralised first.
pub fn truncate(s: &str, max: usize) -> String {
    let s = terminal_safe(s, false);
    if width(&s) <= max {
        return s;
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// [`truncate`], then padded with spaces to exactly `cols` columns.
pub fn fit(s: &str, cols: usize) -> String {
    let mut out = truncate(s, cols);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_counts_columns_not_bytes() {
        assert_eq!(truncate("Ada Lovelace", 5), "Ada …");
        assert_eq!(truncate("王芳王芳王芳", 5), "王芳…");
        assert_eq!(width(&truncate("王芳王芳王芳", 5)), 5);
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(fit("王", 4), "王  ");
        assert_eq!(truncate("x\u{1b}[2J", 10), "x\u{FFFD}[2J");
    }

    proptest::proptest! {
        #[test]
        fn never_wider_than_asked(s in "\\PC{0,40}", max in 0usize..30) {
            let t = truncate(&s, max);
            proptest::prop_assert!(width(&t) <= max);
            proptest::prop_assert_eq!(width(&fit(&s, max)), max);
        }
    }
}
