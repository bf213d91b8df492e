//! Today: the week at a glance. Who is overdue (most overdue first, the list one moves
//! through), birthdays in the next two weeks, the latest notes and emails, and the lead
//! pipeline as a funnel. `open` shows the selected person's card.
//!
//! Wide, the birthdays and the funnel sit side by side between the overdue people and the
//! recent activity; narrow, every section is stacked, each cut to its room, and the funnel is
//! a line of counts when it has no room for its bars.

use crate::display::{fit, truncate};
use crate::ops::views::TodayData;
use crate::tui::action::Action;
use crate::tui::keymap::{promoted, Hint, Keymap, Mode};
use crate::tui::msg::Msg;
use crate::tui::widgets::{columns, table_row, Ctx, Cursor};
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, Paragraph, Wrap};
use ratatui::Frame;

/// The keys the status bar names on the Today screen, in the order they are said when all
/// fit; when they do not, help, back and open first.
const HINTS: [Hint; 5] = [
    Hint::One(Action::Help, "help"),
    Hint::One(Action::Down, "next"),
    Hint::One(Action::Open, "open"),
    Hint::One(Action::FindTitle, "title"),
    Hint::One(Action::Back, "back"),
];

/// From this width the birthdays and the funnel share a row.
const WIDE: u16 = 60;

#[derive(Default)]
pub struct Today {
    pub data: TodayData,
    /// Among the overdue people.
    pub cursor: Cursor,
}

impl Today {
    pub fn new(data: TodayData) -> Today {
        let mut t = Today::default();
        t.set_data(data);
        t
    }

    /// The data as it is now; the selection stays on the same person when they are still due.
    pub fn set_data(&mut self, data: TodayData) {
        let keep = self.selected().map(|d| d.contact.id);
        self.data = data;
        if let Some(id) = keep {
            if let Some(i) = self.data.due.iter().position(|d| d.contact.id == id) {
                self.cursor.selected = i;
            }
        }
        self.cursor.clamp(self.data.due.len());
    }

    pub fn selected(&self) -> Option<&crate::ops::due::Due> {
        self.data.due.get(self.cursor.selected)
    }

    pub fn mode(&self) -> Mode {
        Mode::Today
    }

    /// The status bar's line when nothing else is said, in `width` columns.
    pub fn status_hint(&self, keymap: &Keymap, width: usize) -> String {
        let first = promoted(&HINTS, &[Action::Help, Action::Back, Action::Open]);
        keymap.fit_any(Mode::Today, &[&HINTS, &first], "  ", width)
    }

    pub fn handle(&mut self, key: &KeyEvent, keymap: &Keymap) -> Option<Msg> {
        let actions = keymap.actions(Mode::Today, key);
        actions.iter().find_map(|a| self.act(*a)).flatten()
    }

    /// What an action does here: None when the screen does not know it.
    fn act(&mut self, action: Action) -> Option<Option<Msg>> {
        if self.cursor.navigate(action, self.data.due.len()) {
            return Some(None);
        }
        Some(match action {
            Action::Back | Action::Quit => Some(Msg::Back { select: None }),
            Action::FindTitle => Some(Msg::OpenTitles),
            Action::People => Some(Msg::OpenPeople),
            Action::Open => Some(Msg::OpenPerson {
                contact_id: self.selected()?.contact.id,
            }),
            Action::FindEverything => Some(Msg::OpenFind),
            _ => return None,
        })
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let w = area.width as usize;
        let d = &self.data;
        let date = ctx.now.format("%a %-d %b %Y");
        let birthdays = match d.birthdays.len() {
            1 => "1 birthday".to_string(),
            n => format!("{n} birthdays"),
        };
        let head = format!("Today, {date} · {} due · {birthdays}", d.due.len());
        let [head_area, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        frame.render_widget(Line::styled(truncate(&head, w), ctx.theme.bold), head_area);

        let overdue = 1 + d.due.len().max(1) as u16;
        let birthdays = 1 + d.birthdays.len().max(1) as u16;
        let funnel = 1 + d.pipeline.len().max(1) as u16;
        let recent = 1 + d.recent.len().max(1) as u16;
        if area.width >= WIDE {
            let middle = birthdays.max(funnel);
            let h = heights(rest.height, &[overdue, middle, recent]);
            let [top, mid, bottom] = Layout::vertical(h.map(Constraint::Length)).areas(rest);
            let [left, right] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)])
                .spacing(2)
                .areas(mid);
            self.draw_overdue(frame, top, ctx);
            self.draw_birthdays(frame, left, ctx);
            self.draw_funnel(frame, right, ctx);
            self.draw_recent(frame, bottom, ctx);
        } else {
            let h = heights(rest.height, &[overdue, birthdays, funnel, recent]);
            let [top, second, third, bottom] =
                Layout::vertical(h.map(Constraint::Length)).areas(rest);
            self.draw_overdue(frame, top, ctx);
            self.draw_birthdays(frame, second, ctx);
            self.draw_funnel(frame, third, ctx);
            self.draw_recent(frame, bottom, ctx);
        }
    }

    fn draw_overdue(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let Some(body) = section(
            frame,
            area,
            ctx,
            &format!("Overdue ({})", self.data.due.len()),
        ) else {
            return;
        };
        if self.data.due.is_empty() {
            return none(frame, body, ctx, "Nobody is due. Well kept.");
        }
        let w = body.width as usize;
        let cols = match w {
            w if w >= 70 => columns(w, &[20, 18, 14, 21]),
            w if w >= 40 => columns(w, &[42, 30]),
            w => columns(w, &[62]),
        };
        let range = self
            .cursor
            .window(self.data.due.len(), body.height as usize);
        let lines: Vec<Line> = range
            .clone()
            .zip(&self.data.due[range])
            .map(|(row, due)| {
                let late = match due.overdue_days {
                    0 => "due today".to_string(),
                    n => format!("{n}d overdue"),
                };
                let why = format!("every {}d, {}", due.every_days, due.from);
                let last = match &due.last {
                    Some(a) => format!(
                        "{} {}",
                        a.created_at.get(..10).unwrap_or(&a.created_at),
                        a.kind.key()
                    ),
                    None => "never in touch".to_string(),
                };
                let c = &due.contact;
                let values: Vec<String> = match cols.len() {
                    5 => vec![
                        c.full_name().to_string(),
                        c.parent_name.clone(),
                        late,
                        last,
                        why,
                    ],
                    3 => vec![c.full_name().to_string(), c.parent_name.clone(), late],
                    _ => vec![c.full_name().to_string(), late],
                };
                table_row(&values, &cols, row == self.cursor.selected, ctx)
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), body);
    }

    fn draw_birthdays(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let title = format!("Birthdays, next 14 days ({})", self.data.birthdays.len());
        let Some(body) = section(frame, area, ctx, &title) else {
            return;
        };
        if self.data.birthdays.is_empty() {
            return none(frame, body, ctx, "None coming.");
        }
        let w = body.width as usize;
        let today = ctx.now.date_naive();
        let lines: Vec<Line> = self
            .data
            .birthdays
            .iter()
            .take(body.height as usize)
            .map(|(c, on)| {
                let when = match (*on - today).num_days() {
                    0 => "today".to_string(),
                    n => format!("{n}d"),
                };
                let date = on.format("%b %-d").to_string();
                let text = format!("{date:<6}{when:<6}{}, {}", c.full_name(), c.parent_name);
                Line::raw(truncate(&text, w))
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), body);
    }

    /// The lead pipeline: a horizontal bar per step, or a line of counts without the room.
    fn draw_funnel(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let open: i64 = self.data.pipeline.iter().map(|(_, n)| n).sum();
        let Some(body) = section(frame, area, ctx, &format!("Lead pipeline ({open})")) else {
            return;
        };
        let steps = &self.data.pipeline;
        if steps.is_empty() {
            return none(frame, body, ctx, "No leads.");
        }
        if (body.height as usize) < steps.len() || body.width < 24 {
            let text = steps
                .iter()
                .map(|(s, n)| format!("{} {n}", s.label()))
                .collect::<Vec<_>>()
                .join(" · ");
            let text = truncate(&text, body.width as usize * body.height as usize);
            frame.render_widget(
                Paragraph::new(text)
                    .style(ctx.theme.muted)
                    .wrap(Wrap { trim: true }),
                body,
            );
            return;
        }
        // The labels take at most half the width; the bars the rest.
        let label_w = steps
            .iter()
            .map(|(s, _)| crate::display::width(s.label()))
            .max()
            .unwrap_or(0)
            .min(body.width as usize / 2);
        let bars: Vec<Bar> = steps
            .iter()
            .map(|(s, n)| {
                Bar::default()
                    .value(u64::try_from(*n).unwrap_or(0))
                    .label(Line::raw(fit(s.label(), label_w)))
                    .text_value(n.to_string())
            })
            .collect();
        let chart = BarChart::horizontal(bars)
            .bar_width(1)
            .bar_gap(0)
            .bar_style(ctx.theme.accent)
            .value_style(ctx.theme.bold)
            .label_style(ctx.theme.muted)
            .direction(Direction::Horizontal);
        frame.render_widget(chart, body);
    }

    fn draw_recent(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let Some(body) = section(frame, area, ctx, "Recent notes and emails") else {
            return;
        };
        if self.data.recent.is_empty() {
            return none(frame, body, ctx, "Nothing yet.");
        }
        let w = body.width as usize;
        let lines: Vec<Line> = self
            .data
            .recent
            .iter()
            .take(body.height as usize)
            .map(|(a, company)| {
                let date = a.created_at.get(..10).unwrap_or(&a.created_at);
                let who = match a.people() {
                    Some(n) => format!("{company} · {n}"),
                    None => company.clone(),
                };
                let what = a
                    .subject
                    .clone()
                    .unwrap_or_else(|| a.body.lines().next().unwrap_or_default().to_string());
                Line::from(vec![
                    Span::styled(format!("{date} {:<5} ", a.kind.key()), ctx.theme.muted),
                    Span::raw(truncate(&format!("{who}: {what}"), w.saturating_sub(17))),
                ])
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), body);
    }
}

/// Draws a section's title on its first line; the rest of `area` is its body (None when it
/// has no room at all).
fn section(frame: &mut Frame, area: Rect, ctx: &Ctx, title: &str) -> Option<Rect> {
    if area.height == 0 || area.width == 0 {
        return None;
    }
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    frame.render_widget(
        Line::styled(truncate(title, area.width as usize), ctx.theme.accent),
        head,
    );
    Some(body)
}

fn none(frame: &mut Frame, area: Rect, ctx: &Ctx, text: &str) {
    frame.render_widget(
        Line::styled(truncate(text, area.width as usize), ctx.theme.muted),
        area,
    );
}

/// How tall each section is in `room` rows, given what each wants (its title and its lines):
/// first each gets its title and one line, in order, while there is room; then each gets the
/// rest of what it wants, in order. Room left over goes to the last.
fn heights<const N: usize>(room: u16, wants: &[u16; N]) -> [u16; N] {
    let mut out = [0u16; N];
    let mut left = room;
    for (h, want) in out.iter_mut().zip(wants) {
        let take = (*want).min(2).min(left);
        *h = take;
        left -= take;
    }
    for (h, want) in out.iter_mut().zip(wants) {
        let take = want.saturating_sub(*h).min(left);
        *h += take;
        left -= take;
    }
    if let Some(last) = out.last_mut() {
        *last += left;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::heights;

    #[test]
    fn sections_share_the_room_in_order() {
        assert_eq!(heights(20, &[3, 6, 4]), [3, 6, 11]);
        assert_eq!(heights(7, &[3, 6, 4]), [3, 2, 2]);
        assert_eq!(heights(5, &[3, 6, 4]), [2, 2, 1]);
        assert_eq!(heights(1, &[3, 6, 4]), [1, 0, 0]);
    }
}
