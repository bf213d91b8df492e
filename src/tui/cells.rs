//! What ratatui's diff assumes of the terminal and some terminals do not do. Replacing a wide
//! glyph, ratatui writes only its first column and counts on the terminal to clear the second.
//! Terminals agree on that for a wide character, but not for a glyph made of several code
//! points: tmux 3.3 keeps a flag as two cells of one regional indicator each, so after a form
//! that showed "🇺🇸" closes, the list's blank row still shows "🇸". Where the last frame had
//! such a glyph and this one has something else, every column the glyph covered is written.

use ratatui::buffer::{Buffer, CellDiffOption};

/// Marks the cells of `next` that `shown` covered with a many-code-point wide glyph that is
/// gone now, so the diff writes them.
pub fn rewrite_where_clusters_were(shown: Option<&Buffer>, next: &mut Buffer) {
    let Some(shown) = shown.filter(|s| s.area == next.area) else {
        return;
    };
    let area = next.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let was = shown[(x, y)].symbol();
            let wide = crate::display::width(was);
            if wide < 2 || was.chars().nth(1).is_none() || next[(x, y)].symbol() == was {
                continue;
            }
            for dx in 1..wide as u16 {
                if let Some(cell) = next.cell_mut((x + dx, y)) {
                    cell.set_diff_option(CellDiffOption::AlwaysUpdate);
                }
            }
        }
    }
}

/// `frame` as the terminal shows it, without the marks that made the diff write cells again:
/// comparing it with the next frame drawn off screen says whether anything changed.
pub fn as_shown(mut frame: Buffer) -> Buffer {
    for cell in &mut frame.content {
        if cell.diff_option == CellDiffOption::AlwaysUpdate {
            cell.set_diff_option(CellDiffOption::None);
        }
    }
    frame
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    #[test]
    fn the_second_column_of_a_vanished_flag_is_written_again() {
        let area = Rect::new(0, 0, 6, 1);
        let mut shown = Buffer::empty(area);
        shown.set_string(
            1,
            0,
            "\u{1F1FA}\u{1F1F8}x",
            ratatui::style::Style::default(),
        );
        let mut next = Buffer::empty(area);
        rewrite_where_clusters_were(Some(&shown), &mut next);
        let written: Vec<u16> = shown.diff(&next).iter().map(|(x, _, _)| *x).collect();
        assert_eq!(written, [1, 2, 3]);
        // A wide character alone is cleared by every terminal: ratatui's diff is left as it is.
        shown.set_string(1, 0, "王 ", ratatui::style::Style::default());
        let mut next = Buffer::empty(area);
        rewrite_where_clusters_were(Some(&shown), &mut next);
        let written: Vec<u16> = shown.diff(&next).iter().map(|(x, _, _)| *x).collect();
        assert_eq!(written, [1]);
    }
}
