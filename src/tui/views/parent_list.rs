//! The parent list: leads and customers in one list, the first screen.

use super::{ago, Cursor, LineInput};
use crate::display::{fit, truncate, width};
use crate::domain::ParentKind;
use crate::search::Matcher;
use crate::store::ParentSummary;
use crate::tui::action::Action;
use crate::tui::ui::Ctx;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KindFilter {
    #[default]
    All,
    Leads,
    Customers,
}

impl KindFilter {
    fn next(self) -> KindFilter {
        match self {
            KindFilter::All => KindFilter::Leads,
            KindFilter::Leads => KindFilter::Customers,
            KindFilter::Customers => KindFilter::All,
        }
    }

    fn admits(self, kind: ParentKind) -> bool {
        match self {
            KindFilter::All => true,
            KindFilter::Leads => kind == ParentKind::Lead,
            KindFilter::Customers => kind == ParentKind::Customer,
        }
    }
}

#[derive(Debug, Default)]
pub struct ParentList {
    pub all: Vec<ParentSummary>,
    pub kind: KindFilter,
    pub filter: LineInput,
    /// True while the `/` filter takes the keys.
    pub filtering: bool,
    /// Indices into `all`, in display order.
    pub visible: Vec<usize>,
    pub cursor: Cursor,
    /// Archived customers are dormant: hidden unless asked for.
    pub show_archived: bool,
}

/// What the list asks the app to do.
pub enum ListRequest {
    None,
    Open(i64),
    NewLead,
    NewCustomer,
    Quit,
}

impl ParentList {
    pub fn set_rows(&mut self, rows: Vec<ParentSummary>, matcher: &Matcher) {
        let keep = self.selected().map(|s| s.parent.id);
        self.all = rows;
        self.refilter(matcher);
        if let Some(id) = keep {
            self.select_id(id);
        }
    }

    pub fn select_id(&mut self, id: i64) {
        if let Some(pos) = self
            .visible
            .iter()
            .position(|&i| self.all[i].parent.id == id)
        {
            self.cursor.selected = pos;
        }
    }

    pub fn selected(&self) -> Option<&ParentSummary> {
        self.visible
            .get(self.cursor.selected)
            .and_then(|&i| self.all.get(i))
    }

    /// Recomputes the visible rows: the kind filter, then the fuzzy filter over name, primary
    /// person, email and industry, best match first.
    pub fn refilter(&mut self, matcher: &Matcher) {
        let candidates = self
            .all
            .iter()
            .enumerate()
            .filter(|(_, s)| self.kind.admits(s.parent.kind))
            .filter(|(_, s)| {
                self.show_archived || s.parent.status != crate::domain::Status::Archived
            })
            .map(|(i, s)| {
                let f = &s.parent.fields;
                let texts = [
                    Some(f.name.as_str()),
                    s.primary_contact.as_deref(),
                    f.email.as_deref(),
                    f.industry.as_deref(),
                ];
                (i, texts.into_iter().flatten().collect())
            });
        self.visible = crate::search::filter_positions(matcher, &self.filter.text, candidates);
        self.cursor.clamp(self.visible.len());
    }

    pub fn counts(&self) -> (usize, usize) {
        let leads = self
            .all
            .iter()
            .filter(|s| s.parent.kind == ParentKind::Lead)
            .count();
        (leads, self.all.len() - leads)
    }

    /// Keys while the filter is being typed.
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

    pub fn handle(&mut self, action: Action, matcher: &Matcher) -> Option<ListRequest> {
        if self.cursor.navigate(action, self.visible.len()) {
            return Some(ListRequest::None);
        }
        Some(match action {
            Action::Quit => ListRequest::Quit,
            Action::Filter => {
                self.filtering = true;
                ListRequest::None
            }
            Action::Back if !self.filter.text.is_empty() => {
                self.filter.text.clear();
                self.refilter(matcher);
                ListRequest::None
            }
            Action::ToggleArchived => {
                self.show_archived = !self.show_archived;
                self.refilter(matcher);
                ListRequest::None
            }
            Action::CycleKind => {
                self.kind = self.kind.next();
                self.refilter(matcher);
                ListRequest::None
            }
            Action::Open => match self.selected() {
                Some(s) => ListRequest::Open(s.parent.id),
                None => ListRequest::None,
            },
            Action::NewLead => ListRequest::NewLead,
            Action::NewCustomer => ListRequest::NewCustomer,
            _ => return None,
        })
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let pipeline_h = u16::from(self.kind == KindFilter::Leads && !self.all.is_empty());
        let [tabs, pipeline, body] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(pipeline_h),
            Constraint::Min(0),
        ])
        .areas(area);
        if pipeline_h > 0 {
            // The pipeline with its counts; converted leads have left it.
            let steps: Vec<String> = crate::domain::Status::PIPELINE
                .iter()
                .map(|st| {
                    let n = self
                        .all
                        .iter()
                        .filter(|s| s.parent.converted_to.is_none() && s.parent.status == *st)
                        .count();
                    format!("{} {n}", st.label())
                })
                .collect();
            let text = format!("{} | {}", steps[..4].join(" › "), steps[4]);
            frame.render_widget(
                Line::styled(truncate(&text, area.width as usize), ctx.theme.muted),
                pipeline,
            );
        }
        let (leads, customers) = self.counts();
        let tab = |label: String, on: bool| {
            if on {
                Span::styled(format!(" {label} "), ctx.theme.selected)
            } else {
                Span::styled(format!(" {label} "), ctx.theme.muted)
            }
        };
        let mut spans = vec![
            tab(
                format!("All {}", self.all.len()),
                self.kind == KindFilter::All,
            ),
            tab(format!("Leads {leads}"), self.kind == KindFilter::Leads),
            tab(
                format!("Customers {customers}"),
                self.kind == KindFilter::Customers,
            ),
        ];
        let archived = self
            .all
            .iter()
            .filter(|s| s.parent.status == crate::domain::Status::Archived)
            .count();
        if archived > 0 && self.kind != KindFilter::Leads {
            let note = if self.show_archived {
                format!(
                    " {archived} archived shown ({})",
                    ctx.keymap.label(Action::ToggleArchived)
                )
            } else {
                format!(
                    " {archived} archived hidden ({})",
                    ctx.keymap.label(Action::ToggleArchived)
                )
            };
            spans.push(Span::styled(note, ctx.theme.muted));
        }
        if self.filtering || !self.filter.text.is_empty() {
            let cursor = if self.filtering { "▏" } else { "" };
            let room = (area.width as usize)
                .saturating_sub(spans.iter().map(|s| width(&s.content)).sum::<usize>() + 4);
            spans.push(Span::styled(
                format!(
                    " /{}{cursor}",
                    truncate(&self.filter.text, room.saturating_sub(2))
                ),
                ctx.theme.accent,
            ));
        }
        frame.render_widget(Line::from(spans), tabs);

        if self.all.is_empty() {
            let k = |a| ctx.keymap.label(a);
            let text = vec![
                Line::styled("Welcome to kith.", ctx.theme.accent),
                Line::raw(""),
                Line::raw("Your store is empty. To begin:"),
                Line::raw(format!("  {}  add a lead", k(Action::NewLead))),
                Line::raw(format!("  {}  add a customer", k(Action::NewCustomer))),
                Line::raw("  kith import FILE   bring in a vCard or CSV file"),
                Line::raw("  kith demo          load realistic sample data"),
                Line::raw(""),
                Line::styled(
                    format!("{} help · {} quit", k(Action::Help), k(Action::Quit)),
                    ctx.theme.muted,
                ),
            ];
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), body);
            return;
        }
        if self.visible.is_empty() {
            frame.render_widget(
                Paragraph::new(Line::styled(
                    "No match. Esc clears the filter.",
                    ctx.theme.muted,
                )),
                body,
            );
            return;
        }

        let w = body.width as usize;
        // Columns that fit: the name always, then the rest as the width allows.
        let wide = w >= 76;
        let medium = w >= 50;
        let mut fixed: Vec<(&str, usize)> = Vec::new();
        if medium {
            fixed.push(("Kind", 4));
        }
        fixed.push(("Name", 0));
        if medium {
            fixed.push(("Status", if wide { 18 } else { 12 }));
        }
        if wide {
            fixed.push(("Primary contact", 16));
        }
        fixed.push(("#", 3));
        if wide {
            fixed.push(("Changed", 9));
        }
        let gaps = fixed.len() - 1;
        let used: usize = fixed.iter().map(|c| c.1).sum::<usize>() + gaps;
        let name_w = w.saturating_sub(used).max(4);
        let widths: Vec<usize> = fixed
            .iter()
            .map(|c| if c.0 == "Name" { name_w } else { c.1 })
            .collect();

        let [head, rows_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
        let header: Vec<String> = fixed
            .iter()
            .zip(&widths)
            .map(|(c, w)| {
                if c.0 == "#" {
                    format!("{:>w$}", "#", w = *w)
                } else {
                    fit(c.0, *w)
                }
            })
            .collect();
        frame.render_widget(Line::styled(header.join(" "), ctx.theme.bold), head);

        let range = self
            .cursor
            .window(self.visible.len(), rows_area.height as usize);
        let mut lines = Vec::with_capacity(range.len());
        for (row, &i) in range.clone().zip(&self.visible[range]) {
            let s = &self.all[i];
            let p = &s.parent;
            let mut cells: Vec<Span> = Vec::new();
            for ((label, _), cw) in fixed.iter().zip(&widths) {
                let (text, style) = match *label {
                    "Kind" => match p.kind {
                        ParentKind::Lead => ("Lead".to_string(), ctx.theme.lead),
                        ParentKind::Customer => ("Cust".to_string(), ctx.theme.customer),
                    },
                    "Name" => (p.fields.name.clone(), ratatui::style::Style::default()),
                    "Status" => (p.status_label().to_string(), ctx.theme.muted),
                    "Primary contact" => (
                        s.primary_contact.clone().unwrap_or_default(),
                        Default::default(),
                    ),
                    "#" => (format!("{:>3}", s.contact_count), Default::default()),
                    _ => (ago(&p.updated_at, ctx.now), ctx.theme.muted),
                };
                cells.push(Span::styled(fit(&text, *cw), style));
                cells.push(Span::raw(" "));
            }
            cells.pop();
            let mut line = Line::from(cells);
            if row == self.cursor.selected {
                line = line.style(ctx.theme.selected);
            }
            lines.push(line);
        }
        frame.render_widget(Paragraph::new(lines), rows_area);
    }
}
