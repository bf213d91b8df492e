//! The detail view of one lead or customer: its fields, its contacts, and its notes and emails.

use super::{Cursor, LineInput};
use crate::display::{fit, truncate};
use crate::domain::validate::terminal_safe;
use crate::domain::{Activity, Contact, Parent, ParentKind};
use crate::search::Matcher;
use crate::tui::action::Action;
use crate::tui::ui::Ctx;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

#[derive(Debug)]
pub struct Detail {
    pub parent: Parent,
    pub converted_from: Option<i64>,
    pub contacts: Vec<Contact>,
    pub activities: Vec<Activity>,
    /// "moved on to X" / "was at X" for contacts that changed companies.
    pub links: std::collections::HashMap<i64, String>,
    pub cursor: Cursor,
    /// Indices into `contacts` that pass the `/` filter.
    pub visible: Vec<usize>,
    pub filter: LineInput,
    pub filtering: bool,
    /// Show only the notes and emails of the selected contact.
    pub only_selected: bool,
}

/// Everything the detail view shows, read from the store in one go.
pub struct DetailData {
    pub parent: Parent,
    pub converted_from: Option<i64>,
    pub contacts: Vec<Contact>,
    pub activities: Vec<Activity>,
    pub links: std::collections::HashMap<i64, String>,
}

/// What the detail view asks the app to do.
pub enum DetailRequest {
    None,
    Back,
    AddContact,
    EditContact(i64),
    EditParent,
    DeleteContact(i64),
    AddNote(Option<i64>),
    AddEmail(Option<i64>),
    Convert,
    ChangeStatus,
    History,
    CopyContact,
    MoveContact(i64),
    Research,
}

impl Detail {
    pub fn new(data: DetailData) -> Detail {
        let mut d = Detail {
            parent: data.parent,
            converted_from: data.converted_from,
            contacts: data.contacts,
            activities: data.activities,
            links: data.links,
            cursor: Cursor::default(),
            visible: Vec::new(),
            filter: LineInput::default(),
            filtering: false,
            only_selected: false,
        };
        d.refilter(&Matcher::default());
        d
    }

    /// Replaces the data after a reload, keeping the selection on the same person.
    pub fn replace(&mut self, data: DetailData, matcher: &Matcher) {
        let keep = self.selected().map(|c| c.id);
        self.parent = data.parent;
        self.converted_from = data.converted_from;
        self.contacts = data.contacts;
        self.activities = data.activities;
        self.links = data.links;
        self.refilter(matcher);
        if let Some(id) = keep {
            self.select_contact(id);
        }
    }

    pub fn select_contact(&mut self, id: i64) {
        if let Some(pos) = self.visible.iter().position(|&i| self.contacts[i].id == id) {
            self.cursor.selected = pos;
        }
    }

    pub fn selected(&self) -> Option<&Contact> {
        self.visible
            .get(self.cursor.selected)
            .and_then(|&i| self.contacts.get(i))
    }

    pub fn refilter(&mut self, matcher: &Matcher) {
        let candidates = self.contacts.iter().enumerate().map(|(i, c)| {
            let f = &c.fields;
            let texts = [
                f.full_name.as_deref(),
                f.title.as_deref(),
                f.email.as_deref(),
            ];
            (i, texts.into_iter().flatten().collect())
        });
        self.visible = crate::search::filter_positions(matcher, &self.filter.text, candidates);
        self.cursor.clamp(self.visible.len());
    }

    pub fn filter_key(
        &mut self,
        key: &ratatui::crossterm::event::KeyEvent,
        actions: &[Action],
        matcher: &Matcher,
    ) {
        let len = self.visible.len();
        if super::filter_key(
            &mut self.filter,
            &mut self.filtering,
            &mut self.cursor,
            len,
            key,
            actions,
        ) {
            self.refilter(matcher);
        }
    }

    pub fn handle(&mut self, action: Action, matcher: &Matcher) -> Option<DetailRequest> {
        if self.cursor.navigate(action, self.visible.len()) {
            return Some(DetailRequest::None);
        }
        let selected = self.selected().map(|c| c.id);
        Some(match action {
            Action::Back if !self.filter.text.is_empty() => {
                self.filter.text.clear();
                self.refilter(matcher);
                DetailRequest::None
            }
            Action::Back | Action::Quit => DetailRequest::Back,
            Action::Filter => {
                self.filtering = true;
                DetailRequest::None
            }
            Action::AddContact => DetailRequest::AddContact,
            Action::EditContact => selected.map_or(DetailRequest::None, DetailRequest::EditContact),
            Action::EditParent => DetailRequest::EditParent,
            Action::DeleteContact => {
                selected.map_or(DetailRequest::None, DetailRequest::DeleteContact)
            }
            Action::AddNote => DetailRequest::AddNote(selected),
            Action::AddEmail => DetailRequest::AddEmail(selected),
            Action::Convert => DetailRequest::Convert,
            Action::ChangeStatus => DetailRequest::ChangeStatus,
            Action::History => DetailRequest::History,
            Action::CopyContact => DetailRequest::CopyContact,
            Action::MoveContact => selected.map_or(DetailRequest::None, DetailRequest::MoveContact),
            Action::Research => DetailRequest::Research,
            Action::ToggleTimeline => {
                self.only_selected = !self.only_selected;
                DetailRequest::None
            }
            _ => return None,
        })
    }

    /// The notes and emails in view: all of the parent's, or the selected contact's.
    pub fn timeline(&self) -> Vec<&Activity> {
        match (self.only_selected, self.selected()) {
            (true, Some(c)) => self
                .activities
                .iter()
                .filter(|a| a.contact_id == Some(c.id))
                .collect(),
            _ => self.activities.iter().collect(),
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let p = &self.parent;
        let f = &p.fields;
        let w = area.width as usize;
        let kind_style = match p.kind {
            ParentKind::Lead => ctx.theme.lead,
            ParentKind::Customer => ctx.theme.customer,
        };
        let kind = match p.kind {
            ParentKind::Lead => "Lead",
            ParentKind::Customer => "Customer",
        };
        let prefix = format!("{kind} #{} ", p.id);
        let mut suffix = format!("  {}", p.status_label());
        if let Some(c) = p.converted_to {
            suffix.push_str(&format!(" → customer #{c}"));
        }
        if let Some(l) = self.converted_from {
            suffix.push_str(&format!(" (from lead #{l})"));
        }
        // The name gives way first, down to 3 columns; the status and links get the rest.
        let fixed = crate::display::width(&prefix) + crate::display::width(&suffix);
        let name = truncate(&f.name, w.saturating_sub(fixed).max(3.min(w)));
        let suffix_w =
            w.saturating_sub(crate::display::width(&prefix) + crate::display::width(&name));
        let header = vec![
            Span::styled(prefix, kind_style),
            Span::styled(name, ctx.theme.accent),
            Span::styled(truncate(&suffix, suffix_w), ctx.theme.muted),
        ];

        let mut pairs: Vec<(&str, &Option<String>)> = Vec::new();
        if p.kind == ParentKind::Lead {
            pairs.push(("Contact", &f.contact_name));
        }
        pairs.extend([
            ("Email", &f.email),
            ("Phone", &f.phone),
            ("Website", &f.website),
            ("Industry", &f.industry),
        ]);
        if p.kind == ParentKind::Lead {
            pairs.push(("Source", &f.source));
        }
        let pairs: Vec<(&str, &str)> = pairs
            .into_iter()
            .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
            .collect();
        // Two fields a line when the width allows, one otherwise.
        let per_line = if w >= 70 { 2 } else { 1 };
        let cell_w = w / per_line;
        let mut field_lines: Vec<Line> = pairs
            .chunks(per_line)
            .map(|chunk| {
                let mut spans = Vec::new();
                for (k, v) in chunk {
                    spans.push(Span::styled(format!("{k:<9}"), ctx.theme.muted));
                    spans.push(Span::raw(fit(v, cell_w.saturating_sub(10))));
                    spans.push(Span::raw(" "));
                }
                Line::from(spans)
            })
            .collect();
        if let Some(notes) = &f.notes {
            let first = terminal_safe(notes, false);
            field_lines.push(Line::from(vec![
                Span::styled(format!("{:<9}", "Notes"), ctx.theme.muted),
                Span::raw(truncate(&first, w.saturating_sub(10))),
            ]));
        }

        let tight = area.height < 16;
        let fields_h = if tight {
            field_lines.len().min(2)
        } else {
            field_lines.len().min(5)
        } as u16;
        let [head, fields, contacts_area, timeline_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(fields_h),
            Constraint::Fill(3),
            Constraint::Fill(2),
        ])
        .areas(area);
        frame.render_widget(Line::from(header), head);
        frame.render_widget(Paragraph::new(field_lines), fields);

        // Contacts.
        let filter_note = if self.filtering || !self.filter.text.is_empty() {
            format!(
                " /{}{}",
                truncate(&self.filter.text, 20),
                if self.filtering { "▏" } else { "" }
            )
        } else {
            String::new()
        };
        let block = Block::default()
            .borders(Borders::TOP)
            .border_style(ctx.theme.border)
            .title(Span::styled(
                format!(" Contacts ({}){filter_note} ", self.contacts.len()),
                ctx.theme.bold,
            ));
        let inner = block.inner(contacts_area);
        frame.render_widget(block, contacts_area);
        if self.contacts.is_empty() {
            let hint = format!(
                "No contacts yet. {} adds one.",
                ctx.keymap.label(Action::AddContact)
            );
            frame.render_widget(Paragraph::new(Line::styled(hint, ctx.theme.muted)), inner);
        } else {
            let iw = inner.width as usize;
            let cols = match iw {
                w if w >= 70 => super::columns(w, &[28, 22, 32]),
                w if w >= 40 => super::columns(w, &[50]),
                w => super::columns(w, &[]),
            };
            let range = self
                .cursor
                .window(self.visible.len(), inner.height as usize);
            let mut lines = Vec::new();
            for (row, &i) in range.clone().zip(&self.visible[range]) {
                let c = &self.contacts[i];
                let cf = &c.fields;
                let o = |v: &Option<String>| v.clone().unwrap_or_default();
                let mut name = c.full_name().to_string();
                if let Some(link) = self.links.get(&c.id) {
                    name.push_str(&format!(" ({link})"));
                } else if c.moved_to.is_some() {
                    name.push_str(" (moved on)");
                }
                let values = [name, o(&cf.title), o(&cf.email), o(&cf.phone)];
                lines.push(super::table_row(
                    &values,
                    &cols,
                    row == self.cursor.selected,
                    ctx,
                ));
            }
            frame.render_widget(Paragraph::new(lines), inner);
        }

        // Notes and emails.
        let items = self.timeline();
        let whose = match (self.only_selected, self.selected()) {
            (true, Some(c)) => format!(" of {}", truncate(c.full_name(), 24)),
            _ => String::new(),
        };
        let block = Block::default()
            .borders(Borders::TOP)
            .border_style(ctx.theme.border)
            .title(Span::styled(
                format!(" Notes and emails{whose} ({}) ", items.len()),
                ctx.theme.bold,
            ));
        let inner = block.inner(timeline_area);
        frame.render_widget(block, timeline_area);
        let iw = inner.width as usize;
        let mut lines: Vec<Line> = Vec::new();
        for a in items {
            if lines.len() >= inner.height as usize {
                break;
            }
            let date = a.created_at.get(..10).unwrap_or(&a.created_at);
            let about = a
                .contact_name
                .as_deref()
                .map(|n| format!(" · {n}"))
                .unwrap_or_default();
            let subject = a
                .subject
                .as_deref()
                .map(|s| format!(": {s}"))
                .unwrap_or_default();
            let head = format!("{date} {} by {}{about}{subject}", a.kind.key(), a.author);
            lines.push(Line::styled(truncate(&head, iw), ctx.theme.muted));
            for body_line in a.body.lines().take(2) {
                lines.push(Line::raw(format!(
                    "  {}",
                    truncate(body_line, iw.saturating_sub(2))
                )));
            }
        }
        if lines.is_empty() {
            let hint = format!(
                "Nothing yet. {} writes a note.",
                ctx.keymap.label(Action::AddNote)
            );
            lines.push(Line::styled(hint, ctx.theme.muted));
        }
        lines.truncate(inner.height as usize);
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
