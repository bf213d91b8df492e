//! Small dialogs: yes/no confirmations and the status picker.

use crate::display::truncate;
use crate::domain::{Parent, Status};
use crate::tui::action::Action;
use crate::tui::ui::{centered, Ctx};
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
    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let message = crate::domain::validate::terminal_safe(&self.message, false);
        let width = area.width.min(60);
        let text_w = width.saturating_sub(2).max(1) as usize;
        // Word wrap can take a line more than the plain count; one spare line covers it.
        let lines = crate::display::width(&message).div_ceil(text_w) + 1;
        let rect = centered(area, width, lines as u16 + 4);
        crate::tui::ui::clear_for_overlay(frame, rect);
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
        let hint = format!(
            "{} yes · {} no",
            ctx.keymap.label(Action::Confirm),
            ctx.keymap.label(Action::Deny)
        );
        frame.render_widget(
            Line::styled(truncate(&hint, inner.width as usize), ctx.theme.accent),
            keys,
        );
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
        crate::tui::ui::clear_for_overlay(frame, rect);
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

/// Choosing the company a person moved to: type to filter, Enter to choose.
#[derive(Debug, Clone)]
pub struct ParentPicker {
    pub contact_id: i64,
    pub version: i64,
    pub person: String,
    pub input: crate::tui::views::LineInput,
    /// (id, name, kind) of every lead and customer the person could move to.
    pub options: Vec<(i64, String, crate::domain::ParentKind)>,
    pub results: Vec<usize>,
    pub selected: usize,
}

pub enum PickerOutcome {
    Stay,
    Cancel,
    Chosen(i64),
}

impl ParentPicker {
    pub fn new(
        contact_id: i64,
        version: i64,
        person: String,
        options: Vec<(i64, String, crate::domain::ParentKind)>,
    ) -> ParentPicker {
        let mut p = ParentPicker {
            contact_id,
            version,
            person,
            input: Default::default(),
            results: (0..options.len()).collect(),
            options,
            selected: 0,
        };
        p.refilter();
        p
    }

    fn refilter(&mut self) {
        let candidates = self
            .options
            .iter()
            .enumerate()
            .map(|(i, (_, name, _))| (i, vec![name.as_str()]));
        self.results = crate::search::filter_positions(
            &crate::search::Matcher::default(),
            &self.input.text,
            candidates,
        );
        self.selected = self.selected.min(self.results.len().saturating_sub(1));
    }

    pub fn handle_key(&mut self, key: &ratatui::crossterm::event::KeyEvent) -> PickerOutcome {
        use ratatui::crossterm::event::KeyCode;
        match key.code {
            KeyCode::Esc => PickerOutcome::Cancel,
            KeyCode::Enter => match self.results.get(self.selected) {
                Some(&i) => PickerOutcome::Chosen(self.options[i].0),
                None => PickerOutcome::Stay,
            },
            KeyCode::Up => {
                self.selected = self.selected.saturating_sub(1);
                PickerOutcome::Stay
            }
            KeyCode::Down => {
                self.selected = (self.selected + 1).min(self.results.len().saturating_sub(1));
                PickerOutcome::Stay
            }
            _ => {
                if self.input.edit(key) {
                    self.selected = 0;
                    self.refilter();
                }
                PickerOutcome::Stay
            }
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let rect = centered(area, 56, 14);
        crate::tui::ui::clear_for_overlay(frame, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(ctx.theme.accent)
            .title(truncate(
                &format!(" Where did {} move to? ", self.person),
                rect.width.saturating_sub(2) as usize,
            ));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let w = inner.width as usize;
        let mut lines = vec![Line::styled(
            truncate(&format!("/{}▏", self.input.text), w),
            ctx.theme.accent,
        )];
        let room = (inner.height as usize).saturating_sub(2);
        let start = self.selected.saturating_sub(room.saturating_sub(1));
        for (row, &i) in self.results.iter().enumerate().skip(start).take(room) {
            let (id, name, kind) = &self.options[i];
            let text = crate::display::fit(&format!("{name} ({kind} #{id})"), w);
            lines.push(if row == self.selected {
                Line::styled(text, ctx.theme.selected)
            } else {
                Line::raw(text)
            });
        }
        frame.render_widget(Paragraph::new(lines), inner);
        if inner.height > 0 {
            frame.render_widget(
                Line::styled(truncate("Enter choose · Esc cancel", w), ctx.theme.muted),
                Rect::new(inner.x, inner.y + inner.height - 1, inner.width, 1),
            );
        }
    }
}

/// The history of a lead or customer, newest first.
#[derive(Debug, Clone)]
pub struct HistoryView {
    pub title: String,
    pub lines: Vec<String>,
    pub scroll: usize,
}

impl HistoryView {
    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let rect = centered(area, 100, area.height.saturating_sub(2).max(6));
        crate::tui::ui::clear_for_overlay(frame, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(ctx.theme.accent)
            .title(truncate(
                &format!(" History of {} ", self.title),
                rect.width.saturating_sub(2) as usize,
            ))
            .title_bottom(Line::styled(
                " j/k scroll · any other key closes ",
                ctx.theme.muted,
            ));
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
