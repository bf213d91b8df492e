//! The pager: one note or email whole, scrolled a line or a page at a time, with `/` to find
//! words in it and `next match` to go on to the next place they are.

use crate::display::truncate;
use crate::tui::action::Action;
use crate::tui::keymap::{Hint, Keymap, Mode};
use crate::tui::msg::Msg;
use crate::tui::widgets::{wrap, Ctx, LineInput};
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::cell::{Cell, RefCell};

const HINTS: [Hint; 6] = [
    Hint::One(Action::Back, "back"),
    Hint::Pair(Action::PageUp, Action::PageDown, "page"),
    Hint::One(Action::Filter, "search"),
    Hint::One(Action::NextMatch, "next"),
    Hint::Pair(Action::Top, Action::Bottom, "top/end"),
    Hint::One(Action::Help, "help"),
];

pub struct Pager {
    pub title: String,
    /// The text as given, one entry a line (safe to draw).
    lines: Vec<String>,
    /// The first wrapped line in view.
    top: usize,
    /// `/` typed: the words looked for, while they are typed.
    pub search: Option<LineInput>,
    /// The words last looked for, and the wrapped line of the match in view.
    found: Option<(String, usize)>,
    /// Said under the text: "not found", "3 of 5".
    pub message: Option<String>,
    /// The text wrapped to the width of the last draw, and that width; the height of the last
    /// draw. Kept so scrolling moves by what was seen.
    wrapped: RefCell<(usize, Vec<String>)>,
    height: Cell<usize>,
}

impl Pager {
    pub fn new(title: String, lines: Vec<String>) -> Pager {
        Pager {
            title,
            lines,
            top: 0,
            search: None,
            found: None,
            message: None,
            wrapped: RefCell::new((0, Vec::new())),
            height: Cell::new(0),
        }
    }

    pub fn mode(&self) -> Mode {
        match self.search {
            Some(_) => Mode::Search,
            None => Mode::Pager,
        }
    }

    pub fn status_hint(&self, keymap: &Keymap, width: usize) -> String {
        if self.search.is_some() {
            let items = [
                Hint::Text("type words"),
                Hint::One(Action::Open, "find"),
                Hint::One(Action::Back, "cancel"),
            ];
            return keymap.fit(Mode::Search, &items, "  ", width);
        }
        keymap.fit(Mode::Pager, &HINTS, "  ", width)
    }

    /// The text's lines wrapped to `width` columns (the last draw's until the first one).
    fn wrapped_lines(&self) -> std::cell::Ref<'_, (usize, Vec<String>)> {
        self.wrapped.borrow()
    }

    fn rewrap(&self, width: usize) {
        if self.wrapped.borrow().0 == width && width > 0 {
            return;
        }
        let mut out = Vec::new();
        for line in &self.lines {
            if line.trim().is_empty() {
                out.push(String::new());
                continue;
            }
            // A line that fits is kept as written: its inner spaces may line things up.
            if crate::display::width(line) <= width {
                out.push(line.clone());
                continue;
            }
            // Indentation is kept: it often means something in mail (quotes, lists).
            let indent: String = line.chars().take_while(|c| *c == ' ').collect();
            let room = width.saturating_sub(indent.len()).max(1);
            out.extend(wrap(line, room).into_iter().map(|l| format!("{indent}{l}")));
        }
        *self.wrapped.borrow_mut() = (width, out);
    }

    fn last_top(&self) -> usize {
        let total = self.wrapped_lines().1.len();
        total.saturating_sub(self.height.get().max(1))
    }

    pub fn handle(&mut self, key: &KeyEvent, keymap: &Keymap) -> Option<Msg> {
        if let Some(input) = &mut self.search {
            match keymap.action(Mode::Search, key) {
                Some(Action::Back) => self.search = None,
                Some(Action::Open) => {
                    let words = input.text.trim().to_string();
                    self.search = None;
                    if !words.is_empty() {
                        self.find(&words, 0);
                    }
                }
                _ => {
                    input.edit(key);
                }
            }
            return None;
        }
        let page = self.height.get().max(1);
        let action = keymap.actions(Mode::Pager, key).first().copied()?;
        self.message = None;
        // At the end (see `Bottom`), the moves start from the end as drawn last.
        self.top = self.top.min(self.last_top());
        match action {
            Action::Back | Action::Quit => return Some(Msg::Back { select: None }),
            Action::Up => self.top = self.top.saturating_sub(1),
            Action::Down => self.top = (self.top + 1).min(self.last_top()),
            Action::PageUp => self.top = self.top.saturating_sub(page),
            Action::PageDown => self.top = (self.top + page).min(self.last_top()),
            Action::Top => self.top = 0,
            // The end at any size, until the next move.
            Action::Bottom => self.top = usize::MAX,
            Action::Filter => self.search = Some(LineInput::default()),
            Action::NextMatch => match self.found.clone() {
                Some((words, at)) => self.find(&words, at + 1),
                None => {
                    let key = keymap.label(Mode::Pager, Action::Filter);
                    self.message = Some(format!("{key} to search first"));
                }
            },
            _ => {}
        }
        None
    }

    /// A paste goes into the words being typed, if they are.
    pub fn paste(&mut self, text: &str) {
        if let Some(input) = &mut self.search {
            input.paste(text);
        }
    }

    /// Goes to the first wrapped line from `from` on that holds `words` (ignoring case),
    /// starting again from the top when none below does.
    fn find(&mut self, words: &str, from: usize) {
        let needle = words.to_lowercase();
        let hits: Vec<usize> = self
            .wrapped_lines()
            .1
            .iter()
            .enumerate()
            .filter(|(_, l)| l.to_lowercase().contains(&needle))
            .map(|(i, _)| i)
            .collect();
        let Some(&at) = hits.iter().find(|&&i| i >= from).or(hits.first()) else {
            self.found = None;
            self.message = Some(format!("Not found: {words}"));
            return;
        };
        let nth = hits.iter().position(|&i| i == at).unwrap_or(0) + 1;
        let wrapped = from > 0 && at < from;
        self.message = Some(format!(
            "{nth} of {} for {words}{}",
            hits.len(),
            if wrapped { " (from the top)" } else { "" }
        ));
        self.found = Some((words.to_string(), at));
        // The match a line below the top, so what leads to it shows too.
        self.top = at.saturating_sub(1).min(self.last_top());
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let w = area.width as usize;
        let [head, body, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(1),
        ])
        .areas(area);
        self.rewrap(w);
        let height = body.height as usize;
        self.height.set(height);
        let (_, lines) = &*self.wrapped_lines();
        let top = self.top.min(lines.len().saturating_sub(height.max(1)));
        let end = (top + height).min(lines.len());
        let position = match lines.len() {
            0 => String::new(),
            n if n <= height => format!("  all {n} lines"),
            n => format!("  lines {}-{end} of {n}", top + 1),
        };
        let title_w = w.saturating_sub(crate::display::width(&position));
        frame.render_widget(
            Line::from(vec![
                Span::styled(truncate(&self.title, title_w), ctx.theme.bold),
                Span::styled(position, ctx.theme.muted),
            ]),
            head,
        );
        let found = self.found.as_ref().map(|(_, at)| *at);
        let text: Vec<Line> = lines[top..end]
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let line = Line::raw(l.clone());
                match Some(top + i) == found {
                    true => line.style(ctx.theme.selected),
                    false => line,
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(text), body);
        let foot_line = match (&self.search, &self.message) {
            (Some(input), _) => Line::from(vec![
                Span::styled("/", ctx.theme.accent),
                Span::raw(truncate(&input.text, w.saturating_sub(2))),
                Span::styled("▏", ctx.theme.accent),
            ]),
            (None, Some(m)) => Line::styled(truncate(m, w), ctx.theme.muted),
            (None, None) if end < lines.len() => Line::styled(
                truncate(
                    &format!("more below: {}", ctx.key(Mode::Pager, Action::PageDown)),
                    w,
                ),
                ctx.theme.muted,
            ),
            (None, None) => Line::styled(truncate("(end)", w), ctx.theme.muted),
        };
        frame.render_widget(foot_line, foot);
    }
}
