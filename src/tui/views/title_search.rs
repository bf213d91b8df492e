//! Find people by title, across every lead and customer.

use super::{Cursor, LineInput};
use crate::display::{fit, truncate};
use crate::domain::Contact;
use crate::search::TitleSearch as Ranker;
use crate::tui::action::Action;
use crate::tui::ui::Ctx;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct TitleSearch {
    pub input: LineInput,
    /// Every contact that has a title, loaded once when the search opens.
    pub contacts: Vec<Contact>,
    /// Distinct titles, each with the indices of its contacts.
    by_title: Vec<(String, Vec<usize>)>,
    /// Indices into `contacts`, best match first.
    pub results: Vec<usize>,
    pub cursor: Cursor,
}

pub enum TitleRequest {
    None,
    Back,
    /// Open this contact in its parent's detail view.
    Open {
        parent_id: i64,
        contact_id: i64,
    },
}

impl TitleSearch {
    pub fn new(mut contacts: Vec<Contact>, ranker: &Ranker) -> TitleSearch {
        contacts.retain(|c| c.fields.title.is_some());
        let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, c) in contacts.iter().enumerate() {
            if let Some(t) = c.fields.title.as_deref() {
                groups.entry(t).or_default().push(i);
            }
        }
        let by_title = groups
            .into_iter()
            .map(|(t, v)| (t.to_string(), v))
            .collect();
        let mut s = TitleSearch {
            contacts,
            by_title,
            ..Default::default()
        };
        s.rerank(ranker);
        s
    }

    /// Ranks the distinct titles (few, however many people), then lists their people: each
    /// keystroke costs the number of titles, not of contacts.
    pub fn rerank(&mut self, ranker: &Ranker) {
        let ranked = ranker.rank(
            &self.input.text,
            self.by_title.iter().map(|(t, _)| t.as_str()),
        );
        let index: HashMap<&str, &Vec<usize>> =
            self.by_title.iter().map(|(t, v)| (t.as_str(), v)).collect();
        let mut results = Vec::new();
        for (title, _) in ranked {
            if let Some(people) = index.get(title) {
                let mut people: Vec<usize> = people.to_vec();
                people.sort_by_cached_key(|&i| self.contacts[i].full_name().to_lowercase());
                results.extend(people);
            }
        }
        self.results = results;
        self.cursor.clamp(self.results.len());
    }

    pub fn handle_key(
        &mut self,
        key: &ratatui::crossterm::event::KeyEvent,
        actions: &[Action],
        ranker: &Ranker,
    ) -> TitleRequest {
        use ratatui::crossterm::event::KeyCode;
        match key.code {
            KeyCode::Esc => return TitleRequest::Back,
            KeyCode::Enter => {
                return match self
                    .results
                    .get(self.cursor.selected)
                    .map(|&i| &self.contacts[i])
                {
                    Some(c) => TitleRequest::Open {
                        parent_id: c.parent_id,
                        contact_id: c.id,
                    },
                    None => TitleRequest::None,
                }
            }
            KeyCode::Up
            | KeyCode::Down
            | KeyCode::PageUp
            | KeyCode::PageDown
            | KeyCode::Home
            | KeyCode::End => {
                if let Some(a) = actions.iter().find(|a| {
                    matches!(
                        a,
                        Action::Up
                            | Action::Down
                            | Action::PageUp
                            | Action::PageDown
                            | Action::Top
                            | Action::Bottom
                    )
                }) {
                    self.cursor.navigate(*a, self.results.len());
                }
            }
            _ => {
                if self.input.edit(key) {
                    self.rerank(ranker);
                    self.cursor.selected = 0;
                }
            }
        }
        TitleRequest::None
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let [input, head, body] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(area);
        let w = area.width as usize;
        frame.render_widget(
            Line::from(vec![
                Span::styled("Title: ", ctx.theme.accent),
                Span::raw(truncate(&self.input.text, w.saturating_sub(30))),
                Span::styled("▏", ctx.theme.accent),
                Span::styled(format!("  {} people", self.results.len()), ctx.theme.muted),
            ]),
            input,
        );
        let cols = match w {
            w if w >= 70 => super::columns(w, &[25, 25, 22]),
            w if w >= 40 => super::columns(w, &[50]),
            w => super::columns(w, &[]),
        };
        let labels = ["Name", "Title", "Parent", "Email"];
        let header: Vec<String> = cols.iter().zip(labels).map(|(w, l)| fit(l, *w)).collect();
        frame.render_widget(Line::styled(header.join(" "), ctx.theme.bold), head);
        if self.results.is_empty() {
            let text = if self.contacts.is_empty() {
                "No contact has a title yet."
            } else {
                "No title matches."
            };
            frame.render_widget(Paragraph::new(Line::styled(text, ctx.theme.muted)), body);
            return;
        }
        let range = self.cursor.window(self.results.len(), body.height as usize);
        let mut lines = Vec::new();
        for (row, &i) in range.clone().zip(&self.results[range]) {
            let c = &self.contacts[i];
            let o = |v: &Option<String>| v.clone().unwrap_or_default();
            let values = [
                c.full_name().to_string(),
                o(&c.fields.title),
                c.parent_name.clone(),
                o(&c.fields.email),
            ];
            lines.push(super::table_row(
                &values,
                &cols,
                row == self.cursor.selected,
                ctx,
            ));
        }
        frame.render_widget(Paragraph::new(lines), body);
    }
}
