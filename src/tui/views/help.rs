//! The `?` overlay: the keys of the view underneath, from the live keymap.

use crate::display::fit;
use crate::tui::action::Action;
use crate::tui::ui::{centered, Ctx};
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
}

impl HelpFor {
    pub fn actions(self) -> &'static [Action] {
        use Action::*;
        match self {
            HelpFor::ParentList => &[
                Up,
                Down,
                Top,
                Bottom,
                PageUp,
                PageDown,
                Open,
                Filter,
                CycleKind,
                NewLead,
                NewCustomer,
                FindTitle,
                Help,
                Quit,
                ForceQuit,
            ],
            HelpFor::Detail => &[
                Up,
                Down,
                AddContact,
                EditContact,
                EditParent,
                DeleteContact,
                AddNote,
                AddEmail,
                Convert,
                ChangeStatus,
                ToggleTimeline,
                Filter,
                FindTitle,
                Back,
                Help,
                ForceQuit,
            ],
            HelpFor::TitleSearch => &[Up, Down, PageUp, PageDown, Open, Back, ForceQuit],
            HelpFor::Form => &[NextField, PrevField, Save, Cancel, Editor, ForceQuit],
        }
    }

    fn title(self) -> &'static str {
        match self {
            HelpFor::ParentList => " Keys: leads and customers ",
            HelpFor::Detail => " Keys: detail view ",
            HelpFor::TitleSearch => " Keys: find by title (type to search) ",
            HelpFor::Form => " Keys: forms ",
        }
    }
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, about: HelpFor) {
    let actions = about.actions();
    let rect = centered(area, 64, actions.len() as u16 + 3);
    crate::tui::ui::clear_for_overlay(frame, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(ctx.theme.accent)
        .title(about.title());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let key_w = 14.min(inner.width as usize / 2);
    let mut lines: Vec<Line> = actions
        .iter()
        .map(|a| {
            Line::from(vec![
                ratatui::text::Span::styled(fit(&ctx.keymap.label(*a), key_w), ctx.theme.accent),
                ratatui::text::Span::raw(format!(" {}", a.describe())),
            ])
        })
        .collect();
    lines.push(Line::styled("any key closes this help", ctx.theme.muted));
    frame.render_widget(Paragraph::new(lines), inner);
}
