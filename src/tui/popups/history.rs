//! The history of a lead or customer, or of a contact, newest first; `undo_merge` undoes the
//! last merge into it.

use crate::display::truncate;
use crate::store::MergeKind;
use crate::tui::action::Action;
use crate::tui::keymap::{Hint, Mode};
use crate::tui::msg::Msg;
use crate::tui::widgets::{centered, clear_for_overlay, Ctx};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

#[derive(Debug, Clone)]
pub struct HistoryView {
    pub title: String,
    pub lines: Vec<String>,
    pub scroll: usize,
    /// The record whose history this is: the last merge into it is what `undo_merge` undoes.
    pub of: (MergeKind, i64),
}

impl HistoryView {
    /// `up` and `down` scroll, `undo_merge` undoes the last merge into the record; any other
    /// key closes.
    pub fn handle(&mut self, actions: &[Action]) -> Option<Msg> {
        if actions.contains(&Action::UndoMerge) {
            let (kind, id) = self.of;
            Some(Msg::UndoMerge { kind, id })
        } else if actions.contains(&Action::Down) {
            self.scroll = (self.scroll + 1).min(self.lines.len().saturating_sub(1));
            None
        } else if actions.contains(&Action::Up) {
            self.scroll = self.scroll.saturating_sub(1);
            None
        } else {
            Some(Msg::ClosePopup)
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let rect = centered(area, 100, area.height.saturating_sub(2).max(6));
        clear_for_overlay(frame, rect);
        let keys = ctx.keymap.fit(
            Mode::Dialog,
            &[
                Hint::Pair(Action::Down, Action::Up, "scroll"),
                Hint::One(Action::UndoMerge, "undo last merge"),
                Hint::Text("any other key closes"),
            ],
            " · ",
            rect.width.saturating_sub(4) as usize,
        );
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(ctx.theme.accent)
            .title(truncate(
                &format!(" History of {} ", self.title),
                rect.width.saturating_sub(2) as usize,
            ))
            .title_bottom(Line::styled(format!(" {keys} "), ctx.theme.muted));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        // Each entry wraps rather than being cut: edits can be long.
        let lines: Vec<Line> = self
            .lines
            .iter()
            .skip(self.scroll)
            .map(|l| Line::raw(l.clone()))
            .collect();
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}
