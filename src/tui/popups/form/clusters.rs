//! A field's text as the reader sees it: grapheme clusters. ratatui-textarea keeps its cursor
//! in code points and draws the one under the cursor as a span of its own, so a flag (two
//! regional indicators) or a family (four people joined by ZWJs) could be entered halfway,
//! lose a member to one Backspace, and be drawn in pieces wider than the glyph, pushing the rest
//! of the row (and the form's border) to the right. Here the cursor moves and deletes whole
//! clusters, and a field is drawn cluster by cluster; the textarea stays the text and its undo.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui_textarea::{CursorMove, Input, Key, TextArea};
use std::cell::Cell;
use unicode_segmentation::UnicodeSegmentation;

/// The byte offset of the `col`-th code point of `line` (its length past the end).
fn byte_of(line: &str, col: usize) -> usize {
    line.char_indices().nth(col).map_or(line.len(), |(i, _)| i)
}

/// The code points in the cluster that ends at code point `col` of `line`, and in the one that
/// starts there (0 at either end of the line).
fn clusters_around(line: &str, col: usize) -> (usize, usize) {
    let at = byte_of(line, col);
    let before = line[..at].graphemes(true).next_back();
    let after = line[at..].graphemes(true).next();
    let count = |g: Option<&str>| g.map_or(0, |g| g.chars().count());
    (count(before), count(after))
}

/// Code points to step back from `col` to the start of the cluster it falls in (0 on a
/// boundary).
fn into_cluster(line: &str, col: usize) -> usize {
    let at = byte_of(line, col);
    if at == line.len() {
        return 0;
    }
    let start = line
        .grapheme_indices(true)
        .map(|(i, _)| i)
        .take_while(|&i| i <= at)
        .last()
        .unwrap_or(0);
    line[start..at].chars().count()
}

fn moves(area: &mut TextArea, m: CursorMove, times: usize, shift: bool) {
    if shift && !area.is_selecting() {
        area.start_selection();
    } else if !shift {
        area.cancel_selection();
    }
    for _ in 0..times {
        area.move_cursor(m);
    }
}

/// Applies a key to `area` as the textarea would, except that the cursor never rests inside a
/// cluster and a character key's step or deletion takes a whole one. True when the text
/// changed.
pub fn input(area: &mut TextArea, input: Input) -> bool {
    let ratatui_textarea::DataCursor(row, col) = area.cursor();
    let (before, after) = clusters_around(&area.lines()[row], col);
    let plain = !input.alt;
    let back = match input.key {
        Key::Backspace => plain && !input.ctrl,
        Key::Char('h') => plain && input.ctrl,
        _ => false,
    };
    let delete = match input.key {
        Key::Delete => plain && !input.ctrl,
        Key::Char('d') => plain && input.ctrl,
        _ => false,
    };
    let left = plain
        && match input.key {
            Key::Left => !input.ctrl,
            Key::Char('b') => input.ctrl,
            _ => false,
        };
    let right = plain
        && match input.key {
            Key::Right => !input.ctrl,
            Key::Char('f') => input.ctrl,
            _ => false,
        };
    // Nothing selected: a selection is deleted whole by the textarea already.
    let selecting = area.selection_range().is_some();
    if back && before > 1 && !selecting {
        moves(area, CursorMove::Back, before, false);
        return area.delete_str(before);
    }
    if delete && after > 1 && !selecting {
        return area.delete_str(after);
    }
    if left && before > 1 {
        moves(area, CursorMove::Back, before, input.shift);
        return false;
    }
    if right && after > 1 {
        moves(area, CursorMove::Forward, after, input.shift);
        return false;
    }
    let changed = area.input(input);
    // Up and Down keep the code-point column, which may fall inside a cluster on the next
    // line: the cursor goes to that cluster's start.
    let ratatui_textarea::DataCursor(row, col) = area.cursor();
    let inside = into_cluster(&area.lines()[row], col);
    if inside > 0 {
        let shift = area.is_selecting();
        moves(area, CursorMove::Back, inside, shift);
    }
    changed
}

/// How a field is drawn: its text, the cursor if it has the focus, the selection, and the
/// placeholder shown when it is empty.
pub struct View<'a> {
    pub area: &'a TextArea<'static>,
    pub focused: bool,
    pub style: Style,
    pub cursor: Style,
    pub selection: Style,
    pub placeholder: Option<(&'a str, Style)>,
}

/// The first row and column in view, kept from one draw to the next so the text scrolls only
/// as far as the cursor needs.
#[derive(Default, Debug, Clone)]
pub struct Scroll(Cell<(usize, usize)>);

/// The first of a run of `len` positions that shows `[from, to)`, moving as little as possible
/// from `top`.
fn keep_in_view(top: usize, from: usize, to: usize, len: usize) -> usize {
    let top = if to > top + len {
        to.saturating_sub(len)
    } else {
        top
    };
    top.min(from)
}

impl View<'_> {
    pub fn render(&self, rect: Rect, buf: &mut Buffer, scroll: &Scroll) {
        let lines = self.area.lines();
        let ratatui_textarea::DataCursor(row, col) = self.area.cursor();
        let (mut top, mut left) = scroll.0.get();
        let (h, w) = (rect.height as usize, rect.width as usize);
        if self.focused {
            top = keep_in_view(top, row, row + 1, h);
            let line = &lines[row];
            let at = byte_of(line, col);
            let x = crate::display::width(&line[..at]);
            let glyph = line[at..]
                .graphemes(true)
                .next()
                .map_or(1, crate::display::width);
            left = keep_in_view(left, x, x + glyph.max(1), w);
        } else {
            (top, left) = (0, 0);
        }
        scroll.0.set((top, left));
        let selected = self.area.selection_range();
        let empty = lines.iter().all(String::is_empty);
        for (y, (r, line)) in lines.iter().enumerate().skip(top).take(h).enumerate() {
            let y = rect.y + y as u16;
            let mut x = 0;
            for (i, g, gw) in crate::display::clusters(line) {
                let c = line[..i].chars().count();
                let style = if self.focused && (r, c) == (row, col) {
                    self.cursor
                } else if selected.is_some_and(|(from, to)| from <= (r, c) && (r, c) < to) {
                    self.selection
                } else {
                    self.style
                };
                if x >= left && x + gw <= left + w && gw > 0 {
                    let cell = &mut buf[(rect.x + (x - left) as u16, y)];
                    cell.set_symbol(g).set_style(style);
                    for k in 1..gw {
                        buf[(rect.x + (x - left + k) as u16, y)].reset();
                    }
                }
                x += gw;
            }
            if let Some((text, style)) = self.placeholder.filter(|_| empty && r == 0) {
                buf.set_stringn(rect.x, y, text, w, style);
            }
            if self.focused && r == row && col == line.chars().count() && x >= left {
                let cx = x - left;
                if cx < w {
                    buf[(rect.x + cx as u16, y)].set_style(self.cursor);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAMILY: &str = "\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}";
    const FLAG: &str = "\u{1F1FA}\u{1F1F8}";

    fn key(k: Key) -> Input {
        Input {
            key: k,
            ctrl: false,
            alt: false,
            shift: false,
        }
    }

    #[test]
    fn backspace_and_delete_take_a_whole_family_or_flag() {
        let mut t = TextArea::new(vec![format!("a{FAMILY}{FLAG}b")]);
        t.move_cursor(CursorMove::End);
        input(&mut t, key(Key::Left));
        input(&mut t, key(Key::Backspace));
        assert_eq!(t.lines()[0], format!("a{FAMILY}b"));
        input(&mut t, key(Key::Left));
        assert_eq!(t.cursor(), (0, 1));
        input(&mut t, key(Key::Delete));
        assert_eq!(t.lines()[0], "ab");
    }

    #[test]
    fn the_cursor_never_rests_inside_a_cluster() {
        let mut t = TextArea::new(vec![format!("{FAMILY}x"), "abcdefgh".into()]);
        t.move_cursor(CursorMove::Bottom);
        t.move_cursor(CursorMove::Jump(1, 3));
        input(&mut t, key(Key::Up));
        assert_eq!(t.cursor(), (0, 0));
        input(&mut t, key(Key::Right));
        assert_eq!(t.cursor(), (0, 7));
        input(&mut t, key(Key::Char('!')));
        assert_eq!(t.lines()[0], format!("{FAMILY}!x"));
        input(&mut t, key(Key::End));
        input(&mut t, key(Key::Backspace));
        assert_eq!(t.lines()[0], format!("{FAMILY}!"));
        input(&mut t, key(Key::Backspace));
        input(&mut t, key(Key::Backspace));
        assert_eq!(t.lines()[0], "");
    }

    #[test]
    fn a_cluster_under_the_cursor_is_drawn_whole_and_the_row_keeps_its_width() {
        let mut t = TextArea::new(vec![format!("{FAMILY}{FLAG}z")]);
        t.move_cursor(CursorMove::Head);
        let mut buf = Buffer::empty(Rect::new(0, 0, 8, 1));
        let view = View {
            area: &t,
            focused: true,
            style: Style::default(),
            cursor: Style::default().add_modifier(ratatui::style::Modifier::REVERSED),
            selection: Style::default(),
            placeholder: None,
        };
        view.render(buf.area, &mut buf, &Scroll::default());
        let symbols: Vec<&str> = buf.content().iter().map(|c| c.symbol()).collect();
        assert_eq!(symbols[..5], [FAMILY, " ", FLAG, " ", "z"]);
    }
}
