//! The detail view of one lead or customer: its fields, its contacts, and its notes and emails.

use crate::display::{fit, truncate};
use crate::domain::validate::terminal_safe;
use crate::domain::{Activity, Contact, Parent, ParentKind};
use crate::search::ListFilter;
use crate::store::MergeKind;
use crate::tui::action::Action;
use crate::tui::keymap::{promoted, Hint, Keymap, Mode};
use crate::tui::msg::Msg;
use crate::tui::popups::confirm::{Confirm, Pending};
use crate::tui::popups::form::fields::{self, Purpose};
use crate::tui::popups::status_picker::StatusPicker;
use crate::tui::popups::Popup;
use crate::tui::screens::{filter_hint, FilteredScreen};
use crate::tui::widgets::{columns, table_row, Ctx, FilteredList};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub struct Detail {
    pub parent: Parent,
    pub converted_from: Option<i64>,
    pub contacts: Vec<Contact>,
    pub activities: Vec<Activity>,
    /// "moved on to X" / "was at X" for contacts that changed companies.
    pub links: std::collections::HashMap<i64, String>,
    /// The contacts in view.
    pub view: FilteredList,
    /// Show only the notes and emails of the selected contact.
    pub only_selected: bool,
    /// How close the user is to each of its people (see `ops::due::closeness`), read when the
    /// `/` filter starts: who matches and is closer comes first.
    pub closeness: std::collections::HashMap<i64, f64>,
    /// The moves go to the notes and emails (and `open` reads the selected one whole) rather
    /// than to the contacts.
    pub timeline_focus: bool,
    /// Among the notes and emails in view.
    pub timeline_cursor: usize,
}

pub use crate::ops::views::DetailData;

impl Detail {
    pub fn new(data: DetailData) -> Detail {
        let mut d = Detail {
            parent: data.parent,
            converted_from: data.converted_from,
            contacts: data.contacts,
            activities: data.activities,
            links: data.links,
            view: FilteredList::default(),
            only_selected: false,
            closeness: Default::default(),
            timeline_focus: false,
            timeline_cursor: 0,
        };
        d.refilter();
        d
    }

    /// Replaces the data after a reload, keeping the selection on the same person.
    pub fn replace(&mut self, data: DetailData) {
        let keep = self.selected().map(|c| c.id);
        self.parent = data.parent;
        self.converted_from = data.converted_from;
        self.contacts = data.contacts;
        self.activities = data.activities;
        self.links = data.links;
        self.view.rows_changed();
        self.refilter();
        if let Some(id) = keep {
            self.select_contact(id);
        }
        let entries = self.timeline().len();
        self.timeline_cursor = self.timeline_cursor.min(entries.saturating_sub(1));
    }

    /// `/`: the filter takes the keys, its people ranked by `closeness`.
    pub fn start_filter(&mut self, closeness: std::collections::HashMap<i64, f64>) {
        self.closeness = closeness;
        let contacts = &self.contacts;
        self.view.start_filter(|| texts(contacts));
    }

    /// The timeline takes the moves, this entry selected (one opened from a find).
    pub fn show_entry(&mut self, activity_id: i64) {
        if let Some(i) = self.timeline().iter().position(|a| a.id == activity_id) {
            self.timeline_focus = true;
            self.timeline_cursor = i;
        }
    }

    pub fn select_contact(&mut self, id: i64) {
        let contacts = &self.contacts;
        self.view.select_where(|i| contacts[i].id == id);
    }

    pub fn selected(&self) -> Option<&Contact> {
        self.view.selected().and_then(|i| self.contacts.get(i))
    }

    /// The status bar's line when nothing else is said, in `width` columns: the keys that do
    /// something here (only an open lead converts; a converted lead keeps its status).
    pub fn status_hint(&self, keymap: &Keymap, width: usize) -> String {
        if self.view.filtering {
            return filter_hint(keymap, width);
        }
        if self.timeline_focus {
            let items = [
                Hint::One(Action::Open, "read"),
                Hint::Pair(Action::Up, Action::Down, "move"),
                Hint::One(Action::FocusTimeline, "contacts"),
                Hint::One(Action::Back, "back"),
                Hint::One(Action::Help, "help"),
            ];
            return keymap.fit(Mode::Detail, &items, "  ", width);
        }
        let p = &self.parent;
        let open = p.converted_to.is_none();
        let converts = open && p.kind == ParentKind::Lead;
        // In the order they are said when all fit, `back` last...
        let mut every = vec![
            Hint::One(Action::Help, "help"),
            Hint::One(Action::AddContact, "add"),
            Hint::One(Action::EditContact, "edit"),
            Hint::One(Action::AddNote, "note"),
            Hint::One(Action::AddEmail, "email"),
        ];
        if open {
            every.push(Hint::One(Action::ChangeStatus, "status"));
        }
        if converts {
            every.push(Hint::One(Action::Convert, "convert"));
        }
        every.push(Hint::One(Action::Back, "back"));
        // ...else help and back first.
        let first = promoted(&every, &[Action::Help, Action::Back]);
        keymap.fit_any(Mode::Detail, &[&every, &first], "  ", width)
    }

    /// The convert key: a question for an open lead, a word of why not otherwise.
    fn convert(&self) -> Msg {
        let p = &self.parent;
        if p.kind != ParentKind::Lead {
            return Msg::Info(format!("{} is already a customer", p.fields.name));
        }
        if let Some(c) = p.converted_to {
            return Msg::Info(format!("This lead was converted into customer #{c}"));
        }
        let who = p
            .fields
            .contact_name
            .as_deref()
            .map(|n| format!(" {n} becomes a contact;"))
            .unwrap_or_default();
        let message = format!(
            "Convert {} into a customer?{who} its contacts, notes and emails move along. The lead is kept as history.",
            p.fields.name
        );
        let pending = Pending::Convert {
            lead_id: p.id,
            version: p.version,
        };
        Msg::Popup(Popup::Confirm(Confirm::new(&message, pending)))
    }

    /// The notes and emails in view: all of the parent's, or the selected contact's.
    pub fn timeline(&self) -> Vec<&Activity> {
        match (self.only_selected, self.selected()) {
            (true, Some(c)) => self
                .activities
                .iter()
                .filter(|a| a.involves(c.id))
                .collect(),
            _ => self.activities.iter().collect(),
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
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
        let filter_note = self.view.label(24);
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
                ctx.key(Mode::Detail, Action::AddContact)
            );
            frame.render_widget(Paragraph::new(Line::styled(hint, ctx.theme.muted)), inner);
        } else {
            let iw = inner.width as usize;
            let cols = match iw {
                w if w >= 70 => columns(w, &[28, 22, 32]),
                w if w >= 40 => columns(w, &[50]),
                w => columns(w, &[]),
            };
            let view = &self.view;
            let range = view
                .cursor
                .window(view.visible.len(), inner.height as usize);
            let mut lines = Vec::new();
            for (row, &i) in range.clone().zip(&view.visible[range]) {
                let c = &self.contacts[i];
                let cf = &c.fields;
                let o = |v: &Option<String>| v.clone().unwrap_or_default();
                let mut name = c.full_name().to_string();
                if let Some(link) = self.links.get(&c.id) {
                    name.push_str(&format!(" ({link})"));
                } else if c.moved_to.is_some() {
                    name.push_str(" (moved on)");
                }
                // More addresses than the one shown: say how many, the form lists them.
                let more = |all: &[crate::domain::Labeled], one: &Option<String>| match all.len() {
                    n if n > 1 => format!("{} +{}", o(one), n - 1),
                    _ => o(one),
                };
                let values = [
                    name,
                    o(&cf.title),
                    more(&cf.emails, &cf.email),
                    more(&cf.phones, &cf.phone),
                ];
                lines.push(table_row(&values, &cols, row == view.cursor.selected, ctx));
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
                format!(
                    " {}Notes and emails{whose} ({}) ",
                    if self.timeline_focus { "▸ " } else { "" },
                    items.len()
                ),
                ctx.theme.bold,
            ));
        let inner = block.inner(timeline_area);
        frame.render_widget(block, timeline_area);
        let iw = inner.width as usize;
        let mut lines: Vec<Line> = Vec::new();
        let height = inner.height as usize;
        let shown = |a: &Activity| 1 + a.body.lines().take(2).count();
        // Focused, the selected entry is in view: the first shown is the earliest from which
        // it still fits.
        let mut start = 0;
        if self.timeline_focus {
            let selected = self.timeline_cursor.min(items.len().saturating_sub(1));
            let mut used = 0;
            start = selected;
            for i in (0..=selected).rev() {
                used += shown(items[i]);
                if used > height && i < selected {
                    break;
                }
                start = i;
            }
        }
        for (i, a) in items.iter().enumerate().skip(start) {
            if lines.len() >= height {
                break;
            }
            let picked = self.timeline_focus && i == self.timeline_cursor;
            let date = a.created_at.get(..10).unwrap_or(&a.created_at);
            let about = a.people().map(|n| format!(" · {n}")).unwrap_or_default();
            let subject = a
                .subject
                .as_deref()
                .map(|s| format!(": {s}"))
                .unwrap_or_default();
            let head = format!("{date} {} by {}{about}{subject}", a.kind.key(), a.author);
            let style = match picked {
                true => ctx.theme.selected,
                false => ctx.theme.muted,
            };
            lines.push(Line::styled(fit(&head, iw), style));
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
                ctx.key(Mode::Detail, Action::AddNote)
            );
            lines.push(Line::styled(hint, ctx.theme.muted));
        }
        lines.truncate(inner.height as usize);
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// What the `/` filter matches each contact on: its name, title and email.
fn texts(contacts: &[Contact]) -> ListFilter {
    ListFilter::new(contacts.iter().map(|c| {
        let f = &c.fields;
        [
            f.full_name.as_deref(),
            f.title.as_deref(),
            f.email.as_deref(),
        ]
        .into_iter()
        .flatten()
    }))
}

impl FilteredScreen for Detail {
    const MODE: Mode = Mode::Detail;

    fn view(&self) -> &FilteredList {
        &self.view
    }

    fn view_mut(&mut self) -> &mut FilteredList {
        &mut self.view
    }

    /// The kept contacts (all, or those the filter's field terms keep), fuzzy filtered by its
    /// free words; among those that match, the people the user is closer to come first.
    fn refilter(&mut self) {
        let contacts = &self.contacts;
        let kept = self.view.kept();
        let candidates = (0..contacts.len())
            .filter(|&i| kept.as_ref().is_none_or(|k| k.contains(&contacts[i].id)));
        self.view.refilter(candidates, || texts(contacts));
        if !self.closeness.is_empty() {
            let close = &self.closeness;
            self.view
                .rank_first(|i| close.get(&contacts[i].id).copied().unwrap_or(0.0));
        }
    }

    fn act(&mut self, action: Action) -> Option<Option<Msg>> {
        if self.timeline_focus {
            let len = self.timeline().len();
            let mut cursor = crate::tui::widgets::Cursor::default();
            cursor.selected = self.timeline_cursor;
            if cursor.navigate(action, len) {
                self.timeline_cursor = cursor.selected;
                return Some(None);
            }
            if action == Action::Open {
                let a = self.timeline().get(self.timeline_cursor).copied()?;
                let (title, lines) = crate::ops::person::entry_lines(a);
                let pager = crate::tui::screens::pager::Pager::new(title, lines);
                return Some(Some(Msg::OpenPager(Box::new(pager))));
            }
        }
        if action == Action::FocusTimeline {
            self.timeline_focus = !self.timeline_focus;
            self.timeline_cursor = 0;
            return Some(None);
        }
        if self.view.navigate(action) {
            return Some(None);
        }
        match action {
            Action::Back if self.view.clear_filter() => {
                self.refilter();
                return Some(None);
            }
            // The closeness its ranking uses is the app's to read first.
            Action::Filter => return Some(Some(Msg::StartContactFilter)),
            Action::ToggleTimeline => {
                self.only_selected = !self.only_selected;
                self.timeline_cursor = 0;
                return Some(None);
            }
            _ => {}
        }
        let p = &self.parent;
        let selected = self.selected();
        let form = |f| Some(Msg::Popup(Popup::form(f)));
        Some(match action {
            Action::Back | Action::Quit => Some(Msg::Back { select: Some(p.id) }),
            Action::FindTitle => Some(Msg::OpenTitles),
            Action::People => Some(Msg::OpenPeople),
            Action::Today => Some(Msg::OpenToday),
            Action::Open => Some(Msg::OpenPerson {
                contact_id: selected?.id,
            }),
            Action::AddContact => form(fields::contact_form(
                &p.fields.name,
                Purpose::NewContact { parent_id: p.id },
                None,
            )),
            Action::EditContact => {
                let c = selected?;
                let purpose = Purpose::EditContact {
                    id: c.id,
                    version: c.version,
                };
                form(fields::contact_form(&p.fields.name, purpose, Some(c)))
            }
            Action::EditParent => form(fields::parent_form(p.kind, Some(p))),
            Action::DeleteContact => {
                let c = selected?;
                let message = format!(
                    "Delete {} from {}? Their notes stay on {}.",
                    c.full_name(),
                    p.fields.name,
                    p.fields.name
                );
                let pending = Pending::DeleteContact {
                    id: c.id,
                    version: c.version,
                };
                Some(Msg::Popup(Popup::Confirm(Confirm::new(&message, pending))))
            }
            Action::AddNote => form(fields::note_form(p.id, selected)),
            Action::AddEmail => Some(Msg::ComposeEmail {
                parent_id: p.id,
                contact: selected.map(|c| Box::new(c.clone())),
            }),
            Action::Convert => Some(self.convert()),
            Action::ChangeStatus => Some(if p.converted_to.is_some() {
                Msg::Info("A converted lead keeps its status as history".into())
            } else {
                Msg::Popup(Popup::Status(Box::new(StatusPicker::new(p.clone()))))
            }),
            Action::History => Some(Msg::ShowHistory {
                kind: MergeKind::Parent,
                id: p.id,
                name: p.fields.name.clone(),
            }),
            Action::ContactHistory => {
                let c = selected?;
                Some(Msg::ShowHistory {
                    kind: MergeKind::Contact,
                    id: c.id,
                    name: c.full_name().to_string(),
                })
            }
            Action::CopyContact => Some(Msg::CopyLeadContact(p.id)),
            Action::MoveContact => {
                let c = selected?;
                Some(Msg::PickMoveTarget {
                    contact_id: c.id,
                    version: c.version,
                    person: c.full_name().to_string(),
                    from_parent: p.id,
                })
            }
            Action::Research => Some(if p.kind == ParentKind::Lead && p.converted_to.is_none() {
                Msg::Research {
                    lead_id: p.id,
                    name: p.fields.name.clone(),
                }
            } else {
                Msg::Info("Research is for leads".into())
            }),
            _ => return None,
        })
    }
}
