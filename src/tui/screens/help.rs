//! The `?` overlay: the keys of the view underneath, from the live keymap.

use crate::tui::action::Action;
use crate::tui::keymap::{Hint, Mode};
use crate::tui::widgets::{centered, clear_for_overlay, wrap, Ctx};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// Which screen the help is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpFor {
    ParentList,
    Detail,
    TitleSearch,
    Find,
    Form,
    Dupes,
    Merge,
    Today,
    People,
    Person,
    Pager,
}

impl HelpFor {
    /// The actions of the view's key map, but those that only a key map needs: `back` in the
    /// list only clears a kept filter, and in a form the arrows and Enter are the field's own.
    /// An action no key reaches there (a plain character where text is typed) is left out.
    pub fn actions(self, keymap: &crate::tui::keymap::Keymap) -> Vec<Action> {
        let hidden: &[Action] = match self {
            HelpFor::ParentList => &[Action::Back],
            HelpFor::Form => &[Action::Up, Action::Down, Action::Open],
            HelpFor::Detail
            | HelpFor::TitleSearch
            | HelpFor::Find
            | HelpFor::Dupes
            | HelpFor::Merge
            | HelpFor::Today
            | HelpFor::People => &[],
            HelpFor::Person | HelpFor::Pager => &[],
        };
        let mode = self.mode();
        mode.actions()
            .iter()
            .filter(|a| !hidden.contains(a))
            .filter(|a| !keymap.label(mode, **a).is_empty())
            .copied()
            .collect()
    }

    /// The key map of the view the help is about.
    pub fn mode(self) -> Mode {
        match self {
            HelpFor::ParentList => Mode::List,
            HelpFor::Detail => Mode::Detail,
            HelpFor::TitleSearch | HelpFor::Find => Mode::Search,
            HelpFor::Form => Mode::Form,
            HelpFor::Dupes => Mode::Dupes,
            HelpFor::Merge => Mode::Merge,
            HelpFor::Today => Mode::Today,
            HelpFor::People => Mode::People,
            HelpFor::Person => Mode::Person,
            HelpFor::Pager => Mode::Pager,
        }
    }

    fn title(self) -> &'static str {
        match self {
            HelpFor::ParentList => " Keys: leads and customers ",
            HelpFor::Detail => " Keys: detail view ",
            HelpFor::TitleSearch => " Keys: find by title (type to search) ",
            HelpFor::Find => " Keys: find everything (type to search) ",
            HelpFor::Form => " Keys: forms ",
            HelpFor::Dupes => " Keys: likely duplicates ",
            HelpFor::Merge => " Keys: merge two records ",
            HelpFor::Today => " Keys: today ",
            HelpFor::People => " Keys: people ",
            HelpFor::Person => " Keys: the person's card ",
            HelpFor::Pager => " Keys: reading a note or email ",
        }
    }
}

/// The help overlay: which view it is about, and how far it is scrolled on a small terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Help {
    pub about: HelpFor,
    pub scroll: usize,
}

impl Help {
    pub fn new(about: HelpFor) -> Help {
        Help { about, scroll: 0 }
    }

    /// `down` and `up` scroll; any other key closes (true).
    pub fn handle(&mut self, actions: &[Action]) -> bool {
        if actions.contains(&Action::Down) {
            self.scroll += 1;
        } else if actions.contains(&Action::Up) {
            self.scroll = self.scroll.saturating_sub(1);
        } else {
            return true;
        }
        false
    }

    /// The help's lines in `width` columns: each action's keys whole in the first column,
    /// its description wrapped beside them. Keys wider than half the width get a line of
    /// their own, the description under them.
    fn lines(&self, ctx: &Ctx, width: usize) -> Vec<Line<'static>> {
        let mode = self.about.mode();
        let actions = self.about.actions(ctx.keymap);
        let labels: Vec<String> = actions.iter().map(|a| ctx.key(mode, *a)).collect();
        let widest = labels.iter().map(|l| width_of(l)).max().unwrap_or(0);
        let key_w = widest.min(width / 2).max(1);
        let text_w = width.saturating_sub(key_w + 1).max(1);
        let mut lines = Vec::new();
        for (a, label) in actions.iter().zip(labels) {
            let mut text = wrap(a.describe(), text_w).into_iter();
            let first = if width_of(&label) <= key_w {
                text.next().unwrap_or_default()
            } else {
                String::new()
            };
            for part in wrap(&label, width) {
                let part = match width_of(&part) <= key_w {
                    true => crate::display::fit(&part, key_w),
                    false => part,
                };
                let key = Span::styled(part, ctx.theme.accent);
                lines.push(Line::from(key));
            }
            if let Some(last) = lines.last_mut() {
                if !first.is_empty() {
                    last.push_span(Span::raw(format!(" {first}")));
                }
            }
            for part in text {
                lines.push(Line::raw(format!("{:key_w$} {part}", "")));
            }
        }
        lines
    }

    /// Draws the help; when its lines do not all fit (a small terminal), they scroll, and the
    /// last line says how to see the rest.
    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let rect_w = area.width.min(64);
        let inner_w = rect_w.saturating_sub(2) as usize;
        let lines = self.lines(ctx, inner_w);
        let rect = centered(area, rect_w, lines.len() as u16 + 3);
        clear_for_overlay(frame, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(ctx.theme.accent)
            .title(self.about.title());
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let room = (inner.height as usize).saturating_sub(1);
        let scroll = self.scroll.min(lines.len().saturating_sub(room));
        let more = lines.len() > scroll + room;
        let mut shown: Vec<Line> = lines.into_iter().skip(scroll).take(room).collect();
        let footer = if more || scroll > 0 {
            ctx.keymap.fit(
                Mode::Dialog,
                &[
                    Hint::Pair(Action::Down, Action::Up, "more"),
                    Hint::Text("any other key closes"),
                ],
                " · ",
                inner.width as usize,
            )
        } else {
            crate::display::truncate("any key closes this help", inner.width as usize)
        };
        shown.push(Line::styled(footer, ctx.theme.muted));
        frame.render_widget(Paragraph::new(shown), inner);
    }
}

fn width_of(s: &str) -> usize {
    crate::display::width(s)
}
