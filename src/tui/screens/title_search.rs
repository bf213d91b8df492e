//! Find people by title, across every lead and customer.

use crate::display::{fit, truncate};
use crate::ops::titles::TitleFinder;
use crate::tui::action::Action;
use crate::tui::keymap::{Keymap, Mode};
use crate::tui::msg::Msg;
use crate::tui::widgets::{columns, table_row, Ctx, Cursor, LineInput};
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub struct TitleSearch {
    pub input: LineInput,
    /// The titles in use and the people found so far; `App` asks it again through `ops` as
    /// the text changes.
    pub finder: TitleFinder,
    /// People of the finder, best match first, as its places: the ones in view are read.
    pub results: Vec<usize>,
    pub cursor: Cursor,
}

impl TitleSearch {
    pub fn new(finder: TitleFinder) -> TitleSearch {
        TitleSearch {
            input: LineInput::default(),
            finder,
            results: Vec::new(),
            cursor: Cursor::default(),
        }
    }

    /// The people for the text as it is now, from the finder.
    pub fn set_results(&mut self, results: Vec<usize>) {
        self.results = results;
        self.cursor.clamp(self.results.len());
    }

    pub fn mode(&self) -> Mode {
        Mode::Search
    }

    /// The status bar's line when nothing else is said.
    pub fn status_hint(&self, keymap: &Keymap) -> String {
        let k = |a| keymap.label(Mode::Search, a);
        format!(
            "type a title · {}/{} move · {} open · {} back",
            k(Action::Up),
            k(Action::Down),
            k(Action::Open),
            k(Action::Back)
        )
    }

    pub fn handle(&mut self, key: &KeyEvent, keymap: &Keymap) -> Option<Msg> {
        match keymap.action(Mode::Search, key) {
            Some(Action::Back) => Some(Msg::Back { select: None }),
            Some(Action::Open) => {
                let c = self.finder.get(*self.results.get(self.cursor.selected)?)?;
                Some(Msg::OpenParent {
                    parent_id: c.parent_id,
                    contact_id: Some(c.id),
                })
            }
            Some(a) => self
                .cursor
                .navigate(a, self.results.len())
                .then_some(Msg::TitlesMoved),
            None => {
                if !self.input.edit(key) {
                    return None;
                }
                self.cursor.selected = 0;
                Some(Msg::TitlesChanged)
            }
        }
    }

    /// A paste into the title being searched for.
    pub fn paste(&mut self, text: &str) -> Option<Msg> {
        if !self.input.paste(text) {
            return None;
        }
        self.cursor.selected = 0;
        Some(Msg::TitlesChanged)
    }

    /// The places of the people any view can show: from a screenful of `rows` above the
    /// selection to one below it (a window holds the selection).
    pub fn in_view(&self, rows: usize) -> &[usize] {
        &self.results[self.cursor.around(self.results.len(), rows)]
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let [input, head, body] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(area);
        let w = area.width as usize;
        frame.render_widget(
            Line::from(vec![
                Span::styled("Title: ", ctx.theme.accent),
                Span::raw(truncate(&self.input.text, w.saturating_sub(30))),
                Span::styled("▏", ctx.theme.accent),
                Span::styled(format!("  {} people", self.results.len()), ctx.theme.muted),
            ]),
            input,
        );
        let cols = match w {
            w if w >= 70 => columns(w, &[25, 25, 22]),
            w if w >= 40 => columns(w, &[50]),
            w => columns(w, &[]),
        };
        let labels = ["Name", "Title", "Parent", "Email"];
        let header: Vec<String> = cols.iter().zip(labels).map(|(w, l)| fit(l, *w)).collect();
        frame.render_widget(Line::styled(header.join(" "), ctx.theme.bold), head);
        if self.results.is_empty() {
            let text = if !self.finder.has_titles() {
                "No contact has a title yet."
            } else {
                "No title matches."
            };
            frame.render_widget(Paragraph::new(Line::styled(text, ctx.theme.muted)), body);
            return;
        }
        let range = self.cursor.window(self.results.len(), body.height as usize);
        let mut lines = Vec::new();
        for (row, &i) in range.clone().zip(&self.results[range]) {
            // The app reads the people in view before drawing; should one be missing, its row
            // stays empty rather than wrong.
            let Some(c) = self.finder.get(i) else {
                lines.push(Line::raw(""));
                continue;
            };
            let o = |v: &Option<String>| v.clone().unwrap_or_default();
            let values = [
                c.full_name().to_string(),
                o(&c.fields.title),
                c.parent_name.clone(),
                o(&c.fields.email),
            ];
            lines.push(table_row(&values, &cols, row == self.cursor.selected, ctx));
        }
        frame.render_widget(Paragraph::new(lines), body);
    }
}
