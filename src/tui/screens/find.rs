//! Find everything (`f`, `Ctrl-K`): people, companies, notes and emails in one list, ranked
//! again as each key is typed (`ops::find`). Each row says what it is; Enter opens it; Esc
//! goes back to where the find was opened.

use crate::display::truncate;
use crate::ops::find::{Found, Place};
use crate::tui::action::Action;
use crate::tui::keymap::{Hint, Keymap, Mode};
use crate::tui::msg::Msg;
use crate::tui::widgets::{columns, table_row, Ctx, Cursor, LineInput};
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

#[derive(Default)]
pub struct Find {
    pub input: LineInput,
    /// What `ops::find` answered for the text as it is now; `App` asks again as it changes.
    pub found: Vec<Found>,
    pub cursor: Cursor,
}

impl Find {
    pub fn new() -> Find {
        Find::default()
    }

    pub fn set_found(&mut self, found: Vec<Found>) {
        self.found = found;
        self.cursor.clamp(self.found.len());
    }

    pub fn mode(&self) -> Mode {
        Mode::Search
    }

    /// The status bar's line when nothing else is said, in `width` columns.
    pub fn status_hint(&self, keymap: &Keymap, width: usize) -> String {
        let every = [
            Hint::Text("type to find people, companies, notes, emails"),
            Hint::Pair(Action::Up, Action::Down, "move"),
            Hint::One(Action::Open, "open"),
            Hint::One(Action::Back, "back"),
            Hint::One(Action::Help, "help"),
        ];
        let short = [
            Hint::Text("type to find"),
            Hint::One(Action::Open, "open"),
            Hint::One(Action::Back, "back"),
            Hint::One(Action::Help, "help"),
            Hint::Pair(Action::Up, Action::Down, "move"),
        ];
        keymap.fit_any(Mode::Search, &[&every, &short], " · ", width)
    }

    pub fn handle(&mut self, key: &KeyEvent, keymap: &Keymap) -> Option<Msg> {
        match keymap.action(Mode::Search, key) {
            Some(Action::Back) => Some(Msg::Back { select: None }),
            Some(Action::Today) => Some(Msg::OpenToday),
            Some(Action::Open) => {
                let found = self.found.get(self.cursor.selected)?;
                Some(Msg::OpenFound(Box::new(found.clone())))
            }
            Some(a) => {
                self.cursor.navigate(a, self.found.len());
                None
            }
            None => {
                if !self.input.edit(key) {
                    return None;
                }
                self.cursor.selected = 0;
                Some(Msg::FindChanged)
            }
        }
    }

    /// A paste into the text being looked for.
    pub fn paste(&mut self, text: &str) -> Option<Msg> {
        if !self.input.paste(text) {
            return None;
        }
        self.cursor.selected = 0;
        Some(Msg::FindChanged)
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let [input, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let w = area.width as usize;
        frame.render_widget(
            Line::from(vec![
                Span::styled("Find: ", ctx.theme.accent),
                Span::raw(truncate(&self.input.text, w.saturating_sub(24))),
                Span::styled("▏", ctx.theme.accent),
                Span::styled(format!("  {} found", self.found.len()), ctx.theme.muted),
            ]),
            input,
        );
        if self.found.is_empty() {
            let text = if self.input.text.trim().is_empty() {
                "Type a name, an email, or a word said in a note or an email."
            } else {
                "Nothing matches."
            };
            frame.render_widget(Paragraph::new(Line::styled(text, ctx.theme.muted)), body);
            return;
        }
        let cols = match w {
            w if w >= 60 => columns(w, &[9, 33]),
            // What each row is stays said, cut ("custo…") if it must be.
            w => columns(w, &[16, 44]),
        };
        let range = self.cursor.window(self.found.len(), body.height as usize);
        let lines: Vec<Line> = range
            .map(|row| {
                let f = &self.found[row];
                let values = [f.label.to_string(), f.title.clone(), detail(f)];
                table_row(&values, &cols, row == self.cursor.selected, ctx)
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), body);
    }
}

/// What tells a row apart: a person's title and company, a company's kind and address; for a
/// note or an email, its date and its text around the match.
fn detail(f: &Found) -> String {
    match &f.place {
        Place::Entry {
            created_at,
            parent_name,
            ..
        } => {
            let date = created_at.get(..10).unwrap_or(created_at);
            // A note's title names its company already; an email's is its subject.
            match f.label {
                "email" => format!("{date} {parent_name} · {}", f.snippet),
                _ => format!("{date} {}", f.snippet),
            }
        }
        Place::Person | Place::Company => f.snippet.clone(),
    }
}
