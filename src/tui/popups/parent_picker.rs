//! Choosing the company a person moved to: type to filter, choose with `open`. A name that no
//! lead or customer has is offered as a new lead, made on the way.

use crate::display::truncate;
use crate::domain::ParentKind;
use crate::search::{ListFilter, Matcher};
use crate::store::MoveTo;
use crate::tui::action::Action;
use crate::tui::keymap::{Hint, Mode};
use crate::tui::msg::Msg;
use crate::tui::widgets::{centered, clear_for_overlay, Ctx, LineInput};
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

#[derive(Debug, Clone)]
pub struct ParentPicker {
    pub contact_id: i64,
    pub version: i64,
    pub person: String,
    pub input: LineInput,
    /// (id, name, kind) of every lead and customer the person could move to.
    pub options: Vec<(i64, String, ParentKind)>,
    pub results: Vec<usize>,
    pub selected: usize,
    /// The options' names prepared for filtering, once.
    filter: ListFilter,
    every: Vec<usize>,
}

impl ParentPicker {
    pub fn new(
        contact_id: i64,
        version: i64,
        person: String,
        options: Vec<(i64, String, ParentKind)>,
    ) -> ParentPicker {
        let mut p = ParentPicker {
            contact_id,
            version,
            person,
            input: Default::default(),
            results: (0..options.len()).collect(),
            filter: ListFilter::new(options.iter().map(|o| [o.1.as_str()])),
            every: (0..options.len()).collect(),
            options,
            selected: 0,
        };
        p.refilter();
        p
    }

    fn refilter(&mut self) {
        self.filter.filter(&self.input.text, &self.every);
        self.settle();
        self.selected = self.selected.min(self.rows().saturating_sub(1));
    }

    /// Puts the results in their final order as far as the dialog shows them: it shows rows up
    /// to the selected one.
    fn settle(&mut self) {
        self.filter.settle(&Matcher::default(), self.selected + 16);
        self.results.clear();
        self.results.extend_from_slice(self.filter.rows());
    }

    /// The name typed, when no lead or customer has it: offered, last, as a new lead.
    fn new_name(&self) -> Option<&str> {
        let typed = self.input.text.trim();
        let taken = self.options.iter().any(|o| o.1.eq_ignore_ascii_case(typed));
        (!typed.is_empty() && !taken).then_some(typed)
    }

    /// The rows offered: the companies found, and the new lead if there is one.
    fn rows(&self) -> usize {
        self.results.len() + usize::from(self.new_name().is_some())
    }

    /// A key in `Mode::Search`: the action it means, if any, else the key as typed.
    pub fn handle(&mut self, action: Option<Action>, key: &KeyEvent) -> Option<Msg> {
        let last = self.rows().saturating_sub(1);
        match action {
            Some(Action::Back) => Some(Msg::ClosePopup),
            Some(Action::Open) => {
                let (to, company) = match self.results.get(self.selected) {
                    Some(&i) => {
                        let (id, name, _) = &self.options[i];
                        (MoveTo::Parent(*id), name.clone())
                    }
                    None => {
                        let name = self.new_name()?.to_string();
                        (MoveTo::NewParent(ParentKind::Lead, name.clone()), name)
                    }
                };
                Some(Msg::MoveContact {
                    contact_id: self.contact_id,
                    version: self.version,
                    to,
                    person: self.person.clone(),
                    company,
                })
            }
            Some(Action::Up) => {
                self.selected = self.selected.saturating_sub(1);
                None
            }
            Some(Action::Down) => {
                self.selected = (self.selected + 1).min(last);
                self.settle();
                None
            }
            Some(_) => None,
            None => {
                if self.input.edit(key) {
                    self.selected = 0;
                    self.refilter();
                }
                None
            }
        }
    }

    /// A paste into the name being searched for.
    pub fn paste(&mut self, text: &str) {
        if self.input.paste(text) {
            self.selected = 0;
            self.refilter();
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let rect = centered(area, 56, 14);
        clear_for_overlay(frame, rect);
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
        let row = self.results.len();
        if let Some(name) = self
            .new_name()
            .filter(|_| row >= start && row < start + room)
        {
            let text = crate::display::fit(&format!("+ new lead \"{name}\""), w);
            lines.push(if row == self.selected {
                Line::styled(text, ctx.theme.selected)
            } else {
                Line::styled(text, ctx.theme.accent)
            });
        }
        frame.render_widget(Paragraph::new(lines), inner);
        if inner.height > 0 {
            let hint = ctx.keymap.fit(
                Mode::Search,
                &[
                    Hint::One(Action::Open, "choose"),
                    Hint::One(Action::Back, "cancel"),
                ],
                " · ",
                w,
            );
            frame.render_widget(
                Line::styled(hint, ctx.theme.muted),
                Rect::new(inner.x, inner.y + inner.height - 1, inner.width, 1),
            );
        }
    }
}
