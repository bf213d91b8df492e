//! Drawing: a pure function of the App. It never queries the store and never changes state
//! (beyond the scroll offsets the lists cache while drawing).

use super::action::Action;
use super::app::{App, Modal, Screen};
use super::keymap::Keymap;
use super::theme::Theme;
use super::views::help;
use crate::display::truncate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// What every view needs to draw.
pub struct Ctx<'a> {
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    pub now: chrono::DateTime<chrono::Utc>,
}

/// A rectangle of at most `w` x `h` in the middle of `area`, never larger than it.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Clears `rect` for a dialog drawn over a view. A wide character (CJK, emoji) starting in the
/// column just left of it would cover the dialog's left edge, so it is blanked too.
pub fn clear_for_overlay(frame: &mut Frame, rect: Rect) {
    frame.render_widget(ratatui::widgets::Clear, rect);
    if rect.x == 0 {
        return;
    }
    let buf = frame.buffer_mut();
    for y in rect.y..rect.y + rect.height {
        if let Some(cell) = buf.cell_mut((rect.x - 1, y)) {
            if crate::display::width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
}

pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 5;

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let ctx = Ctx {
        theme: &app.theme,
        keymap: &app.keymap,
        now: app.now,
    };
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        frame.render_widget(
            Paragraph::new("kith: window too small").wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let [main, status] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    match app.stack.last() {
        None => app.list.render(frame, main, &ctx),
        Some(Screen::Detail(d)) => d.render(frame, main, &ctx),
        Some(Screen::Titles(t)) => t.render(frame, main, &ctx),
    }
    render_status(app, frame, status, &ctx);
    match &app.modal {
        None => {}
        Some(Modal::Confirm(c)) => c.render(frame, main, &ctx),
        Some(Modal::Status(s)) => s.render(frame, main, &ctx),
        Some(Modal::Picker(p)) => p.render(frame, main, &ctx),
        Some(Modal::History(h)) => h.render(frame, main, &ctx),
        Some(Modal::Form(form)) => {
            let suggestions = form.suggestions(&app.titles, &app.matcher);
            form.render(frame, main, &ctx, &suggestions);
        }
    }
    if let Some(about) = app.help {
        help::render(frame, main, &ctx, about, app.help_scroll);
    }
}

fn render_status(app: &App, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let w = area.width as usize;
    let line = match &app.status {
        Some((text, true)) => Line::styled(truncate(text, w), ctx.theme.error),
        Some((text, false)) => Line::styled(truncate(text, w), ctx.theme.success),
        None => {
            let k = |a| ctx.keymap.label(a);
            let hint = match app.stack.last() {
                None => format!(
                    "{} help  {} open  / filter  {} title  {} lead  {} customer  {} quit",
                    k(Action::Help),
                    k(Action::Open),
                    k(Action::FindTitle),
                    k(Action::NewLead),
                    k(Action::NewCustomer),
                    k(Action::Quit)
                ),
                Some(Screen::Detail(_)) => format!(
                    "{} help  {} add  {} edit  {} note  {} status  {} convert  {} back",
                    k(Action::Help),
                    k(Action::AddContact),
                    k(Action::EditContact),
                    k(Action::AddNote),
                    k(Action::ChangeStatus),
                    k(Action::Convert),
                    k(Action::Back)
                ),
                Some(Screen::Titles(_)) => {
                    "type a title · ↑↓ move · Enter open · Esc back".to_string()
                }
            };
            Line::from(Span::styled(truncate(&hint, w), ctx.theme.muted))
        }
    };
    frame.render_widget(line, area);
}
