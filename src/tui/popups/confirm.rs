//! A yes/no question before something that cannot be taken back.

use crate::tui::action::Action;
use crate::tui::keymap::{Hint, Mode};
use crate::tui::msg::Msg;
use crate::tui::widgets::{centered, clear_for_overlay, Ctx};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

/// What a confirmed dialog does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    DeleteContact { id: i64, version: i64 },
    Convert { lead_id: i64, version: i64 },
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub message: String,
    pub pending: Pending,
}

impl Confirm {
    pub fn new(message: &str, pending: Pending) -> Confirm {
        Confirm {
            message: crate::domain::validate::terminal_safe(message, false),
            pending,
        }
    }

    /// `confirm` does it, `deny` closes; any other key leaves the question open.
    pub fn handle(&self, actions: &[Action]) -> Option<Msg> {
        if actions.contains(&Action::Confirm) {
            Some(Msg::Confirmed(self.pending.clone()))
        } else if actions.contains(&Action::Deny) {
            Some(Msg::ClosePopup)
        } else {
            None
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let message = crate::domain::validate::terminal_safe(&self.message, false);
        let width = area.width.min(60);
        let text_w = width.saturating_sub(2).max(1) as usize;
        // Word wrap can take a line more than the plain count; one spare line covers it.
        let lines = crate::display::width(&message).div_ceil(text_w) + 1;
        let rect = centered(area, width, lines as u16 + 4);
        clear_for_overlay(frame, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(ctx.theme.error)
            .title(" Confirm ");
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        if inner.height == 0 {
            return;
        }
        // The keys line keeps the last row whatever the message's length.
        let keys = Rect::new(inner.x, inner.y + inner.height - 1, inner.width, 1);
        let body = Rect::new(inner.x, inner.y, inner.width, inner.height - 1);
        frame.render_widget(Paragraph::new(message).wrap(Wrap { trim: true }), body);
        let hint = ctx.keymap.fit(
            Mode::Dialog,
            &[
                Hint::One(Action::Confirm, "yes"),
                Hint::One(Action::Deny, "no"),
            ],
            " · ",
            inner.width as usize,
        );
        frame.render_widget(Line::styled(hint, ctx.theme.accent), keys);
    }
}
