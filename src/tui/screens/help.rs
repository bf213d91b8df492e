//! The `?` overlay: the keys of the view underneath, from the live keymap.

use crate::display::fit;
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::widgets::{centered, clear_for_overlay, Ctx};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// Which screen the help is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpFor {
    ParentList,
    Detail,
    TitleSearch,
    Form,
    Dupes,
    Merge,
    Today,
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
            | HelpFor::Dupes
            | HelpFor::Merge
            | HelpFor::Today => &[],
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
            HelpFor::TitleSearch => Mode::Search,
            HelpFor::Form => Mode::Form,
            HelpFor::Dupes => Mode::Dupes,
            HelpFor::Merge => Mode::Merge,
            HelpFor::Today => Mode::Today,
        }
    }

    fn title(self) -> &'static str {
        match self {
            HelpFor::ParentList => " Keys: leads and customers ",
            HelpFor::Detail => " Keys: detail view ",
            HelpFor::TitleSearch => " Keys: find by title (type to search) ",
            HelpFor::Form => " Keys: forms ",
            HelpFor::Dupes => " Keys: likely duplicates ",
            HelpFor::Merge => " Keys: merge two records ",
            HelpFor::Today => " Keys: today ",
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

    /// Draws the help; rows of keys are skipped when they do not all fit (a small terminal),
    /// and the last line says how to see the rest.
    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let about = self.about;
        let actions = about.actions(ctx.keymap);
        let rect = centered(area, 64, actions.len() as u16 + 3);
        clear_for_overlay(frame, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(ctx.theme.accent)
            .title(about.title());
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let key_w = if inner.width >= 50 { 14 } else { 9 };
        let room = (inner.height as usize).saturating_sub(1);
        let scroll = self.scroll.min(actions.len().saturating_sub(room));
        let more = actions.len() > scroll + room;
        let mode = about.mode();
        let mut lines: Vec<Line> = actions
            .iter()
            .skip(scroll)
            .take(room)
            .map(|a| {
                Line::from(vec![
                    ratatui::text::Span::styled(fit(&ctx.key(mode, *a), key_w), ctx.theme.accent),
                    ratatui::text::Span::raw(format!(" {}", a.describe())),
                ])
            })
            .collect();
        let footer = if more || scroll > 0 {
            format!(
                "{}/{} more · any other key closes",
                ctx.keymap.first_label(Mode::Dialog, Action::Down),
                ctx.keymap.first_label(Mode::Dialog, Action::Up)
            )
        } else {
            "any key closes this help".to_string()
        };
        lines.push(Line::styled(
            crate::display::truncate(&footer, inner.width as usize),
            ctx.theme.muted,
        ));
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
