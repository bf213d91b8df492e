//! Text for terminals: display widths, and cutting and padding that never split what a reader
//! sees as one character.
//!
//! East Asian wide characters and most emoji take two columns; combining marks take none. What
//! is cut or counted is the grapheme cluster, as ratatui draws it: a flag is two regional
//! indicators and a family is four people joined by ZWJs, and either is one glyph of two
//! columns; cut between its code points, it would come out as other glyphs of other widths.
//! Widths come from `unicode-width`, the same table ratatui uses, so the table output and the
//! TUI agree.

use crate::domain::validate::terminal_safe;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// The grapheme clusters of `s` with their widths, as a terminal draws them.
pub fn clusters(s: &str) -> impl DoubleEndedIterator<Item = (usize, &str, usize)> {
    s.grapheme_indices(true).map(|(i, g)| (i, g, width(g)))
}

/// The start of `s` in at most `max` characters (code points), ending between clusters: for
/// limits counted in characters that must not leave half a flag or half a family behind.
pub fn take_chars(s: &str, max: usize) -> &str {
    let mut count = 0;
    let mut end = 0;
    for (i, g) in s.grapheme_indices(true) {
        count += g.chars().count();
        if count > max {
            break;
        }
        end = i + g.len();
    }
    &s[..end]
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
    let mut end = 0;
    let mut used = 0;
    for (i, g, w) in clusters(&s) {
        if used + w > max - 1 {
            break;
        }
        end = i + g.len();
        used += w;
    }
    format!("{}…", &s[..end])
}

/// The end of `s` in at most `max` columns, after `…` when something was cut: where the typing
/// is, in a one-line input. Control and bidi characters are neutralised first.
pub fn keep_end(s: &str, max: usize) -> String {
    let s = terminal_safe(s, false);
    if width(&s) <= max {
        return s;
    }
    if max == 0 {
        return String::new();
    }
    let mut used = 0;
    let mut start = s.len();
    for (i, _, w) in clusters(&s).rev() {
        if used + w > max - 1 {
            break;
        }
        used += w;
        start = i;
    }
    format!("…{}", &s[start..])
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

    const FAMILY: &str = "\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}";
    const FLAG: &str = "\u{1F1FA}\u{1F1F8}";

    #[test]
    fn flags_and_families_are_cut_whole_or_not_at_all() {
        let name = format!("Ana {FLAG} Silva {FAMILY}");
        assert_eq!(width(FLAG), 2);
        assert_eq!(width(FAMILY), 2);
        assert_eq!(truncate(&name, 6), "Ana …");
        assert_eq!(truncate(&name, 7), format!("Ana {FLAG}…"));
        assert_eq!(keep_end(&name, 3), format!("…{FAMILY}"));
        assert_eq!(keep_end(&name, 2), "…");
        assert_eq!(take_chars(FAMILY, 6), "");
        assert_eq!(take_chars(&format!("a{FLAG}"), 2), "a");
        assert_eq!(fit(FAMILY, 3), format!("{FAMILY} "));
    }

    proptest::proptest! {
        #[test]
        fn never_wider_than_asked(s in "\\PC{0,40}", max in 0usize..30) {
            let t = truncate(&s, max);
            proptest::prop_assert!(width(&t) <= max);
            proptest::prop_assert_eq!(width(&fit(&s, max)), max);
            proptest::prop_assert!(width(&keep_end(&s, max)) <= max);
        }

        /// Whatever is kept of a text is made of its own clusters, never of pieces of one.
        #[test]
        fn cuts_fall_between_clusters(
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["a", "王", FLAG, FAMILY, "e\u{301}", " "]), 0..12),
            max in 0usize..30,
        ) {
            let s: String = parts.concat();
            let whole: Vec<&str> = s.graphemes(true).collect();
            let kept = truncate(&s, max);
            let kept = kept.trim_end_matches('…');
            proptest::prop_assert!(s.starts_with(kept));
            proptest::prop_assert!(kept.is_empty() || whole.contains(&kept.graphemes(true).next_back().unwrap()));
            let end = keep_end(&s, max);
            let end = end.trim_start_matches('…');
            proptest::prop_assert!(s.ends_with(end));
            proptest::prop_assert!(end.is_empty() || whole.contains(&end.graphemes(true).next().unwrap()));
            let taken = take_chars(&s, max);
            proptest::prop_assert!(taken.chars().count() <= max);
            proptest::prop_assert!(taken.is_empty() || whole.contains(&taken.graphemes(true).next_back().unwrap()));
        }
    }
}
