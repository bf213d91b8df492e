//! Picking the next status of a lead or customer; the reason is asked next.

use super::form::fields;
use super::Popup;
use crate::domain::{Parent, Status};
use crate::tui::action::Action;
use crate::tui::keymap::{Hint, Mode};
use crate::tui::msg::Msg;
use crate::tui::widgets::{centered, clear_for_overlay, Ctx};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

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

    pub fn handle(&mut self, actions: &[Action]) -> Option<Msg> {
        let last = self.options.len().saturating_sub(1);
        for action in actions {
            match action {
                Action::Up => self.selected = self.selected.saturating_sub(1),
                Action::Down => self.selected = (self.selected + 1).min(last),
                // A reason is asked for every status set by hand; only a lead's is required.
                Action::Open => {
                    let st = self.options.get(self.selected).copied()?;
                    let form = fields::reason_form(&self.parent, st);
                    return Some(Msg::Popup(Popup::form(form)));
                }
                Action::Back => return Some(Msg::ClosePopup),
                _ => continue,
            }
            return None;
        }
        None
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let rect = centered(area, 44, self.options.len() as u16 + 4);
        clear_for_overlay(frame, rect);
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
        let hint = ctx.keymap.fit(
            Mode::Dialog,
            &[
                Hint::One(Action::Open, "choose"),
                Hint::One(Action::Back, "cancel"),
            ],
            " · ",
            inner.width as usize,
        );
        lines.push(Line::styled(hint, ctx.theme.muted));
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
