//! Small dialogs: yes/no confirmations and the status picker.

use crate::display::truncate;
use crate::domain::{Parent, Status};
use crate::tui::action::Action;
use crate::tui::ui::{centered, Ctx};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
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
    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let rect = centered(area, 60, 8);
        frame.render_widget(Clear, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(ctx.theme.error)
            .title(" Confirm ");
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let text = vec![
            Line::raw(self.message.clone()),
            Line::raw(""),
            Line::styled(
                format!(
                    "{} yes · {} no",
                    ctx.keymap.label(Action::Confirm),
                    ctx.keymap.label(Action::Deny)
                ),
                ctx.theme.accent,
            ),
        ];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inner);
    }
}

/// Picking a lead's next status; the reason is asked next.
#[derive(Debug, Clone)]
pub struct StatusPicker {
    pub parent: Parent,
    pub options: Vec<Status>,
    pub selected: usize,
}

impl StatusPicker {
    pub fn new(parent: Parent) -> StatusPicker {
        let options: Vec<Status> = Status::ALL
            .into_iter()
            .filter(|s| s.kind() == parent.kind && *s != parent.status)
            .collect();
        StatusPicker {
            parent,
            options,
            selected: 0,
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let rect = centered(area, 44, self.options.len() as u16 + 4);
        frame.render_widget(Clear, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(ctx.theme.accent)
            .title(format!(" Status (now {}) ", self.parent.status.label()));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let mut lines: Vec<Line> = self
            .options
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let text = format!(" {} ", s.label());
                if i == self.selected {
                    Line::styled(text, ctx.theme.selected)
                } else {
                    Line::raw(text)
                }
            })
            .collect();
        lines.push(Line::styled(
            truncate("Enter choose · Esc cancel", inner.width as usize),
            ctx.theme.muted,
        ));
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
