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
                ToggleArchived,
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
                History,
                Research,
                CopyContact,
                MoveContact,
                ToggleTimeline,
                Filter,
                FindTitle,
                Back,
                Help,
                ForceQuit,
            ],
            HelpFor::TitleSearch => &[Up, Down, PageUp, PageDown, Open, Back, ForceQuit],
            HelpFor::Form => &[NextField, PrevField, Save, Cancel, Editor, Help, ForceQuit],
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

/// Draws the help; `scroll` rows of keys are skipped when they do not all fit (a small
/// terminal), and the last line says how to see the rest.
pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, about: HelpFor, scroll: usize) {
    let actions = about.actions();
    let rect = centered(area, 64, actions.len() as u16 + 3);
    crate::tui::ui::clear_for_overlay(frame, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(ctx.theme.accent)
        .title(about.title());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let key_w = if inner.width >= 50 { 14 } else { 9 };
    let room = (inner.height as usize).saturating_sub(1);
    let scroll = scroll.min(actions.len().saturating_sub(room));
    let more = actions.len() > scroll + room;
    let mut lines: Vec<Line> = actions
        .iter()
        .skip(scroll)
        .take(room)
        .map(|a| {
            Line::from(vec![
                ratatui::text::Span::styled(fit(&ctx.keymap.label(*a), key_w), ctx.theme.accent),
                ratatui::text::Span::raw(format!(" {}", a.describe())),
            ])
        })
        .collect();
    let footer = if more || scroll > 0 {
        "j/k more · any other key closes"
    } else {
        "any key closes this help"
    };
    lines.push(Line::styled(
        crate::display::truncate(footer, inner.width as usize),
        ctx.theme.muted,
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}
