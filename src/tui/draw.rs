//! Drawing: a pure function of the App. It never queries the store and never changes state
//! (beyond the scroll offsets the lists cache while drawing).

use super::action::Action;
use super::app::{App, StatusLine};
use super::keymap::{Hint, Mode};
use super::popups::Popup;
use super::widgets::Ctx;
use crate::display::truncate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

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
        None => app.list.draw(frame, main, &ctx),
        Some(screen) => screen.view().draw(frame, main, &ctx),
    }
    render_status(app, frame, status, &ctx);
    if let Some(popup) = &app.popup {
        popup.draw(frame, main, &ctx);
    }
    if let Some(help) = &app.help {
        help.draw(frame, main, &ctx);
    }
}

fn render_status(app: &App, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let w = area.width as usize;
    let line = match &app.status {
        StatusLine::Error(text) => Line::styled(truncate(text, w), ctx.theme.error),
        StatusLine::Info(text) => Line::styled(truncate(text, w), ctx.theme.success),
        StatusLine::Busy(text) => Line::styled(truncate(text, w), ctx.theme.accent),
        // Long work says so until it is done, whatever keys are pressed meanwhile.
        StatusLine::Hint if app.researching().is_some() => {
            let name = app.researching().unwrap_or_default();
            let text = format!("Researching {name}… (Esc cancels)");
            Line::styled(truncate(&text, w), ctx.theme.accent)
        }
        StatusLine::Hint if app.finding_dupes() => {
            let text = "Looking for likely duplicates… (the list opens when they are found)";
            Line::styled(truncate(text, w), ctx.theme.accent)
        }
        StatusLine::Hint => {
            // Said on every screen, before any save can fail on it.
            let read_only = match app.store.is_read_only() {
                true => "read-only · ",
                false => "",
            };
            let room = w.saturating_sub(crate::display::width(read_only));
            let hint = match (&app.popup, app.stack.last()) {
                // Over help, any key but its scrolling closes it: no key of the view behind
                // does anything now.
                _ if app.help.is_some() => ctx.keymap.fit(
                    Mode::Dialog,
                    &[Hint::One(Action::ForceQuit, "quit")],
                    "  ",
                    room,
                ),
                (Some(Popup::Form(f)), _) if f.mode() == Mode::Form => {
                    f.status_hint(ctx.keymap, room)
                }
                // A dialog names its own keys; the screen's behind it do nothing now.
                (Some(p), _) => ctx.keymap.fit(
                    p.mode(),
                    &[
                        Hint::One(Action::Help, "help"),
                        Hint::One(Action::ForceQuit, "quit"),
                    ],
                    "  ",
                    room,
                ),
                (_, None) => app.list.status_hint(ctx.keymap, room),
                (_, Some(screen)) => screen.view().status_hint(ctx.keymap, room),
            };
            Line::from(Span::styled(format!("{read_only}{hint}"), ctx.theme.muted))
        }
    };
    frame.render_widget(line, area);
}
