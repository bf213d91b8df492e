//! The person's card: every field kith stores about one contact, their notes and emails (one
//! line each, the selected one opened whole by `open`), their history in sentences, and what
//! can be done to them from here.

use crate::display::{fit, truncate};
use crate::ops::person::{entry_head, entry_lines, Card};
use crate::store::MergeKind;
use crate::tui::action::Action;
use crate::tui::keymap::{promoted, Hint, Keymap, Mode};
use crate::tui::msg::Msg;
use crate::tui::popups::confirm::{Confirm, Pending};
use crate::tui::popups::form::fields::{self, Purpose};
use crate::tui::popups::Popup;
use crate::tui::screens::pager::Pager;
use crate::tui::widgets::{Ctx, Cursor};
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use std::cell::Cell;

/// The keys the status bar names, in the order said when all fit; when not, help, back and
/// open first.
const HINTS: [Hint; 8] = [
    Hint::One(Action::Help, "help"),
    Hint::One(Action::Open, "read"),
    Hint::One(Action::EditContact, "edit"),
    Hint::One(Action::AddNote, "note"),
    Hint::One(Action::AddEmail, "email"),
    Hint::One(Action::MoveContact, "move"),
    Hint::One(Action::OpenCompany, "company"),
    Hint::One(Action::Back, "back"),
];

pub struct PersonCard {
    pub card: Card,
    /// Among the notes and emails.
    pub cursor: Cursor,
    /// How far the fields are scrolled (PgUp/PgDn), and the height they last had.
    scroll: usize,
    fields_height: Cell<usize>,
    /// Why the card no longer matches the store (the person was deleted or merged away since
    /// it was read), when it does not.
    pub notice: Option<String>,
}

impl PersonCard {
    pub fn new(card: Card) -> PersonCard {
        PersonCard {
            card,
            cursor: Cursor::default(),
            scroll: 0,
            fields_height: Cell::new(0),
            notice: None,
        }
    }

    pub fn id(&self) -> i64 {
        self.card.contact.id
    }

    /// The card as it is now, the same entry selected when it is still there.
    pub fn replace(&mut self, card: Card) {
        let keep = self.selected().map(|a| a.id);
        self.card = card;
        self.notice = None;
        if let Some(i) = keep.and_then(|id| self.card.activities.iter().position(|a| a.id == id)) {
            self.cursor.selected = i;
        }
        self.cursor.clamp(self.card.activities.len());
    }

    fn selected(&self) -> Option<&crate::domain::Activity> {
        self.card.activities.get(self.cursor.selected)
    }

    pub fn mode(&self) -> Mode {
        Mode::Person
    }

    pub fn status_hint(&self, keymap: &Keymap, width: usize) -> String {
        let first = promoted(&HINTS, &[Action::Help, Action::Back, Action::Open]);
        keymap.fit_any(Mode::Person, &[&HINTS, &first], "  ", width)
    }

    pub fn handle(&mut self, key: &KeyEvent, keymap: &Keymap) -> Option<Msg> {
        let actions = keymap.actions(Mode::Person, key);
        actions.iter().find_map(|a| self.act(*a)).flatten()
    }

    /// What an action does here: None when the screen does not know it.
    fn act(&mut self, action: Action) -> Option<Option<Msg>> {
        let len = self.card.activities.len();
        match action {
            Action::Up | Action::Down | Action::Top | Action::Bottom => {
                self.cursor.navigate(action, len);
                return Some(None);
            }
            // The pages scroll the fields, which may be longer than their room.
            Action::PageDown => {
                let page = self.fields_height.get().max(1);
                let most = self.field_lines().len().saturating_sub(page);
                self.scroll = (self.scroll + page).min(most);
                return Some(None);
            }
            Action::PageUp => {
                let page = self.fields_height.get().max(1);
                self.scroll = self.scroll.saturating_sub(page);
                return Some(None);
            }
            _ => {}
        }
        let c = &self.card.contact;
        let form = |f| Some(Msg::Popup(Popup::form(f)));
        Some(match action {
            Action::Back | Action::Quit => Some(Msg::Back { select: None }),
            Action::Open => {
                let (title, lines) = entry_lines(self.selected()?);
                Some(Msg::OpenPager(Box::new(Pager::new(title, lines))))
            }
            _ if self.notice.is_some() => Some(Msg::Info(self.notice.clone()?)),
            Action::EditContact => {
                let purpose = Purpose::EditContact {
                    id: c.id,
                    version: c.version,
                };
                form(fields::contact_form(&c.parent_name, purpose, Some(c)))
            }
            Action::AddNote => form(fields::note_form(c.parent_id, Some(c))),
            Action::AddEmail => Some(Msg::ComposeEmail {
                parent_id: c.parent_id,
                contact: Some(Box::new(c.clone())),
            }),
            Action::MoveContact => Some(Msg::PickMoveTarget {
                contact_id: c.id,
                version: c.version,
                person: c.full_name().to_string(),
                from_parent: c.parent_id,
            }),
            Action::Duplicates => Some(Msg::MergePerson(c.id)),
            Action::Cadence => form(fields::cadence_form(c)),
            Action::DeleteContact => {
                let message = format!(
                    "Delete {} from {}? Their notes stay on {}.",
                    c.full_name(),
                    c.parent_name,
                    c.parent_name
                );
                let pending = Pending::DeleteContact {
                    id: c.id,
                    version: c.version,
                };
                Some(Msg::Popup(Popup::Confirm(Confirm::new(&message, pending))))
            }
            Action::History | Action::ContactHistory => Some(Msg::ShowHistory {
                kind: MergeKind::Contact,
                id: c.id,
                name: c.full_name().to_string(),
            }),
            Action::OpenCompany => Some(Msg::OpenParent {
                parent_id: c.parent_id,
                contact_id: Some(c.id),
            }),
            Action::FindTitle => Some(Msg::OpenTitles),
            Action::Today => Some(Msg::OpenToday),
            _ => return None,
        })
    }

    /// The fields as lines: "Label        value", the notes after them.
    fn field_lines(&self) -> Vec<(String, String)> {
        let mut lines: Vec<(String, String)> = self
            .card
            .rows()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        if let Some(notes) = self.card.contact.fields.notes.as_deref() {
            let notes = crate::domain::validate::terminal_safe(notes, true);
            for (i, line) in notes.lines().enumerate() {
                let label = if i == 0 { "Notes" } else { "" };
                lines.push((label.to_string(), line.to_string()));
            }
        }
        lines
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let w = area.width as usize;
        let c = &self.card.contact;
        let prefix = format!("Person #{} ", c.id);
        let title = c
            .fields
            .title
            .as_deref()
            .map(|t| format!(", {t}"))
            .unwrap_or_default();
        let suffix = format!("{title} at {}", c.parent_name);
        let name = self.card.name();
        let name_w = w.saturating_sub(crate::display::width(&prefix));
        let name = truncate(&name, name_w);
        let rest = w.saturating_sub(crate::display::width(&prefix) + crate::display::width(&name));
        let header = Line::from(vec![
            Span::styled(prefix, ctx.theme.customer),
            Span::styled(name, ctx.theme.accent),
            Span::styled(
                truncate(
                    &crate::domain::validate::terminal_safe(&suffix, false),
                    rest,
                ),
                ctx.theme.muted,
            ),
        ]);

        let fields = self.field_lines();
        let notice_h = u16::from(self.notice.is_some());
        // The fields take what they need, up to half the room or what the timeline and the
        // history leave, if more; those two share the rest, two to one, the timeline given no
        // more than it needs.
        let room = area.height.saturating_sub(1 + notice_h);
        let n = |len: usize| u16::try_from(len).unwrap_or(u16::MAX);
        let timeline_need = n(self.card.activities.len().max(1)).saturating_add(1);
        let history_need = n(self.card.history.len()).saturating_add(1);
        let others_need = timeline_need.saturating_add(history_need);
        let fields_h = n(fields.len()).min((room / 2).max(room.saturating_sub(others_need)));
        let rest = room.saturating_sub(fields_h);
        let timeline_h = timeline_need.min((rest * 2 / 3).max(rest.saturating_sub(history_need)));
        let [head, notice, fields_area, timeline_area, history_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(notice_h),
            Constraint::Length(fields_h),
            Constraint::Length(timeline_h),
            Constraint::Fill(1),
        ])
        .areas(area);
        frame.render_widget(header, head);
        if let Some(n) = &self.notice {
            frame.render_widget(Line::styled(truncate(n, w), ctx.theme.error), notice);
        }

        // The fields, scrolled by the pages; a last line says when more are below.
        let fh = fields_area.height as usize;
        self.fields_height.set(fh);
        let scroll = self.scroll.min(fields.len().saturating_sub(1));
        let label_w = if w >= 50 { 14 } else { 10 };
        let mut lines: Vec<Line> = fields
            .iter()
            .skip(scroll)
            .take(fh)
            .map(|(k, v)| {
                Line::from(vec![
                    Span::styled(fit(k, label_w), ctx.theme.muted),
                    Span::raw(" "),
                    Span::raw(truncate(v, w.saturating_sub(label_w + 1))),
                ])
            })
            .collect();
        let below = fields.len().saturating_sub(scroll + fh);
        if below > 0 && fh > 0 {
            lines.truncate(fh - 1);
            let more = format!(
                "… {} more ({})",
                below + 1,
                ctx.key(Mode::Person, Action::PageDown)
            );
            lines.push(Line::styled(truncate(&more, w), ctx.theme.muted));
        }
        frame.render_widget(Paragraph::new(lines), fields_area);

        // Notes and emails: one line each, the selected one highlighted.
        let items = &self.card.activities;
        let block = Block::default()
            .borders(Borders::TOP)
            .border_style(ctx.theme.border)
            .title(Span::styled(
                format!(" Notes and emails ({}) ", items.len()),
                ctx.theme.bold,
            ));
        let inner = block.inner(timeline_area);
        frame.render_widget(block, timeline_area);
        let iw = inner.width as usize;
        let lines: Vec<Line> = if items.is_empty() {
            let hint = format!(
                "Nothing yet. {} writes a note.",
                ctx.key(Mode::Person, Action::AddNote)
            );
            vec![Line::styled(truncate(&hint, iw), ctx.theme.muted)]
        } else {
            let range = self.cursor.window(items.len(), inner.height as usize);
            range
                .map(|i| {
                    let a = &items[i];
                    let first = crate::domain::validate::terminal_safe(
                        a.body.lines().find(|l| !l.trim().is_empty()).unwrap_or(""),
                        false,
                    );
                    let text = format!("{} — {}", entry_head(a), first.trim());
                    let line = Line::raw(fit(&text, iw));
                    match i == self.cursor.selected {
                        true => line.style(ctx.theme.selected),
                        false => line,
                    }
                })
                .collect()
        };
        frame.render_widget(Paragraph::new(lines), inner);

        // History, newest first, in sentences.
        let history = self.card.history_lines();
        let block = Block::default()
            .borders(Borders::TOP)
            .border_style(ctx.theme.border)
            .title(Span::styled(
                format!(" History ({}) ", history.len()),
                ctx.theme.bold,
            ));
        let inner = block.inner(history_area);
        frame.render_widget(block, history_area);
        let iw = inner.width as usize;
        let lines: Vec<Line> = history
            .iter()
            .take(inner.height as usize)
            .map(|h| Line::raw(truncate(h, iw)))
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
