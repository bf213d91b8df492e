//! Find people by title, across every lead and customer. The text is the title looked for;
//! field terms beside it (`org:acme tag:investor due:yes`) narrow the people listed, and among
//! the people found those the user is closer to (by the mail exchanged) come first.

use crate::display::{fit, truncate};
use crate::domain::Contact;
use crate::ops::titles::TitleFinder;
use crate::tui::action::Action;
use crate::tui::keymap::{Hint, Keymap, Mode};
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
    /// People read in full, listed first: when the text names fields, everyone found (and
    /// `results` is empty); otherwise the people found whom the user is close to, closest first.
    pub people: Vec<Contact>,
    /// People of the finder, best match first, as its places: the ones in view are read. Those
    /// already in `people` are dropped once read.
    pub results: Vec<usize>,
    /// How many people were found, each once.
    pub found: usize,
    /// How close the user is to each person they exchanged mail with, read when the search
    /// opened; and those people, read in full.
    pub closeness: std::collections::HashMap<i64, f64>,
    pub close_people: Vec<Contact>,
    pub cursor: Cursor,
}

impl TitleSearch {
    pub fn new(finder: TitleFinder) -> TitleSearch {
        TitleSearch {
            input: LineInput::default(),
            finder,
            people: Vec::new(),
            results: Vec::new(),
            found: 0,
            closeness: Default::default(),
            close_people: Vec::new(),
            cursor: Cursor::default(),
        }
    }

    /// The people for the text as it is now: those read in full first, then the finder's.
    pub fn set_results(&mut self, people: Vec<Contact>, results: Vec<usize>, found: usize) {
        self.people = people;
        self.results = results;
        self.found = found;
        self.cursor.clamp(self.rows());
    }

    /// The rows listed.
    pub fn rows(&self) -> usize {
        self.people.len() + self.results.len()
    }

    /// The person of row `r`, once read.
    pub fn row(&self, r: usize) -> Option<&Contact> {
        match r.checked_sub(self.people.len()) {
            None => self.people.get(r),
            Some(k) => self.finder.get(*self.results.get(k)?),
        }
    }

    /// Drops the finder's places in view whose person is listed first already; true when any
    /// was dropped (others came into view, to be read).
    pub fn drop_listed(&mut self, rows: usize) -> bool {
        if self.people.is_empty() {
            return false;
        }
        let listed: std::collections::HashSet<i64> = self.people.iter().map(|c| c.id).collect();
        let range = self.places_around(rows);
        let before = self.results.len();
        let finder = &self.finder;
        let mut k = 0;
        self.results.retain(|&place| {
            let inside = range.contains(&k);
            k += 1;
            !(inside && finder.get(place).is_some_and(|c| listed.contains(&c.id)))
        });
        self.cursor.clamp(self.rows());
        self.results.len() != before
    }

    pub fn mode(&self) -> Mode {
        Mode::Search
    }

    /// The status bar's line when nothing else is said, in `width` columns.
    pub fn status_hint(&self, keymap: &Keymap, width: usize) -> String {
        let every = [
            Hint::Text("type a title"),
            Hint::Pair(Action::Up, Action::Down, "move"),
            Hint::One(Action::Open, "open"),
            Hint::One(Action::Back, "back"),
            Hint::One(Action::Help, "help"),
        ];
        let first = [
            Hint::Text("type a title"),
            Hint::One(Action::Open, "open"),
            Hint::One(Action::Back, "back"),
            Hint::One(Action::Help, "help"),
            Hint::Pair(Action::Up, Action::Down, "move"),
        ];
        keymap.fit_any(Mode::Search, &[&every, &first], " · ", width)
    }

    pub fn handle(&mut self, key: &KeyEvent, keymap: &Keymap) -> Option<Msg> {
        match keymap.action(Mode::Search, key) {
            Some(Action::Back) => Some(Msg::Back { select: None }),
            Some(Action::Open) => {
                let c = self.row(self.cursor.selected)?;
                Some(Msg::OpenPerson { contact_id: c.id })
            }
            Some(Action::Today) => Some(Msg::OpenToday),
            Some(a) => self
                .cursor
                .navigate(a, self.rows())
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
        &self.results[self.places_around(rows)]
    }

    /// [`TitleSearch::in_view`] as a range of `results`.
    fn places_around(&self, rows: usize) -> std::ops::Range<usize> {
        let around = self.cursor.around(self.rows(), rows);
        let (p, n) = (self.people.len(), self.results.len());
        around.start.saturating_sub(p).min(n)..around.end.saturating_sub(p).min(n)
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
                Span::styled(format!("  {} people", self.found), ctx.theme.muted),
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
        if self.rows() == 0 {
            let text = if !self.finder.has_titles() {
                "No contact has a title yet."
            } else {
                "No title matches."
            };
            frame.render_widget(Paragraph::new(Line::styled(text, ctx.theme.muted)), body);
            return;
        }
        let range = self.cursor.window(self.rows(), body.height as usize);
        let mut lines = Vec::new();
        for row in range {
            // The app reads the people in view before drawing; should one be missing, its row
            // stays empty rather than wrong.
            let Some(c) = self.row(row) else {
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
