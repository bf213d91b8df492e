//! The People list: every person, one row each, whatever company they are at. `/` finds them
//! by name, nickname, any address, phone digits, title, company or tag (`field:` terms as
//! elsewhere); `o` orders the rows by name, company, last contact or due date. People who moved
//! on are marked and listed last: their new self is the one to talk to.

use crate::display::{fit, truncate, width};
use crate::domain::Contact;
use crate::ops::people::Roster;
use crate::search::ListFilter;
use crate::tui::action::Action;
use crate::tui::keymap::{promoted, Hint, Keymap, Mode};
use crate::tui::msg::Msg;
use crate::tui::screens::{filter_hint, FilteredScreen};
use crate::tui::widgets::{ago, columns, Ctx, FilteredList};
use chrono::{DateTime, Utc};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::collections::HashMap;

/// What the rows are ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    #[default]
    Name,
    Company,
    /// Most recently in touch first.
    LastContact,
    /// Soonest due first; people with no cadence after them.
    Due,
}

impl Order {
    fn next(self) -> Order {
        match self {
            Order::Name => Order::Company,
            Order::Company => Order::LastContact,
            Order::LastContact => Order::Due,
            Order::Due => Order::Name,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Order::Name => "name",
            Order::Company => "company",
            Order::LastContact => "last contact",
            Order::Due => "due",
        }
    }
}

const HINTS: [Hint; 7] = [
    Hint::One(Action::Help, "help"),
    Hint::One(Action::Open, "open"),
    Hint::One(Action::Filter, "filter"),
    Hint::One(Action::Sort, "order"),
    Hint::One(Action::CycleKind, "companies"),
    Hint::One(Action::Back, "back"),
    Hint::One(Action::Quit, "quit"),
];

pub struct People {
    people: Vec<Contact>,
    last: HashMap<i64, String>,
    due: HashMap<i64, DateTime<Utc>>,
    pub order: Order,
    pub view: FilteredList,
}

impl People {
    pub fn new(roster: Roster) -> People {
        let mut people = People {
            people: Vec::new(),
            last: HashMap::new(),
            due: HashMap::new(),
            order: Order::default(),
            view: FilteredList::default(),
        };
        people.set_roster(roster);
        people
    }

    /// The people as they are now; the selection stays on the person it was on.
    pub fn set_roster(&mut self, roster: Roster) {
        let keep = self.selected().map(|c| c.id);
        self.people = roster.people;
        self.last = roster.last;
        self.due = roster.due;
        self.put_in_order();
        if let Some(id) = keep {
            self.select_id(id);
        }
    }

    pub fn people(&self) -> &[Contact] {
        &self.people
    }

    pub fn select_id(&mut self, id: i64) {
        let people = &self.people;
        self.view.select_where(|i| people[i].id == id);
    }

    pub fn selected(&self) -> Option<&Contact> {
        self.view.selected().and_then(|i| self.people.get(i))
    }

    /// Puts the people in the order asked for, those who moved on last, and filters again
    /// (the filter's texts follow the rows, so they are made again when next needed).
    fn put_in_order(&mut self) {
        let (last, due) = (&self.last, &self.due);
        let name = |c: &Contact| c.full_name().to_lowercase();
        let moved = |c: &Contact| c.moved_to.is_some();
        let people = &mut self.people;
        match self.order {
            Order::Name => people.sort_by_cached_key(|c| (moved(c), name(c))),
            Order::Company => {
                people.sort_by_cached_key(|c| (moved(c), c.parent_name.to_lowercase(), name(c)))
            }
            Order::LastContact => people.sort_by_cached_key(|c| {
                let last = last.get(&c.id).cloned();
                (moved(c), std::cmp::Reverse(last), name(c))
            }),
            Order::Due => people.sort_by_cached_key(|c| {
                let due = due.get(&c.id).copied();
                (moved(c), due.is_none(), due, name(c))
            }),
        }
        self.view.rows_changed();
        self.refilter();
    }

    pub fn status_hint(&self, keymap: &Keymap, width: usize) -> String {
        if self.view.filtering {
            return filter_hint(keymap, width);
        }
        let first = promoted(&HINTS, &[Action::Help, Action::Back]);
        keymap.fit_any(Mode::People, &[&HINTS, &first], "  ", width)
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let [top, head, body] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(area);
        let w = area.width as usize;
        let mut spans = vec![
            Span::styled(
                format!(" People {} ", self.people.len()),
                ctx.theme.selected,
            ),
            Span::styled(
                format!(
                    " by {} ({})",
                    self.order.label(),
                    ctx.key(Mode::People, Action::Sort)
                ),
                ctx.theme.muted,
            ),
        ];
        let used: usize = spans.iter().map(|s| width(&s.content)).sum();
        let filter = self.view.label(w.saturating_sub(used));
        if !filter.is_empty() {
            if used + width(&filter) > w {
                spans.truncate(1);
            }
            let used: usize = spans.iter().map(|s| width(&s.content)).sum();
            spans.push(Span::styled(
                self.view.label(w.saturating_sub(used)),
                ctx.theme.accent,
            ));
        }
        frame.render_widget(Line::from(spans), top);

        if self.people.is_empty() {
            let text = format!(
                "Nobody yet. {} opens a company, where {} adds a person.",
                ctx.key(Mode::People, Action::Back),
                ctx.key(Mode::Detail, Action::AddContact)
            );
            frame.render_widget(Paragraph::new(Line::styled(text, ctx.theme.muted)), body);
            return;
        }
        if self.view.visible.is_empty() {
            let hint = format!(
                "No match. {} clears the filter.",
                ctx.key(Mode::People, Action::Back)
            );
            frame.render_widget(Paragraph::new(Line::styled(hint, ctx.theme.muted)), body);
            return;
        }
        // The columns that fit: the name always, the rest as the width allows.
        let (labels, cols): (&[&str], Vec<usize>) = match w {
            w if w >= 110 => (
                &["Name", "Title", "Company", "Email", "Phone", "Last", "Due"],
                columns(w, &[20, 16, 16, 20, 12, 8]),
            ),
            w if w >= 76 => (
                &["Name", "Title", "Company", "Email", "Last", "Due"],
                columns(w, &[22, 16, 18, 20, 11]),
            ),
            w if w >= 44 => (&["Name", "Company", "Last"], columns(w, &[45, 35])),
            w => (&["Name", "Company"], columns(w, &[55])),
        };
        let header: Vec<String> = cols.iter().zip(labels).map(|(w, l)| fit(l, *w)).collect();
        frame.render_widget(Line::styled(header.join(" "), ctx.theme.bold), head);
        let range = self
            .view
            .cursor
            .window(self.view.visible.len(), body.height as usize);
        let mut lines = Vec::with_capacity(range.len());
        for (row, &i) in range.clone().zip(&self.view.visible[range]) {
            let c = &self.people[i];
            let o = |v: &Option<String>| v.clone().unwrap_or_default();
            let name = match c.moved_to {
                Some(_) => format!("↪ {} (moved on)", c.full_name()),
                None => c.full_name().to_string(),
            };
            let last = self
                .last
                .get(&c.id)
                .map(|t| ago(t, ctx.now))
                .unwrap_or_default();
            let due = self.due.get(&c.id).map(|t| due_label(*t, ctx.now));
            let overdue = self.due.get(&c.id).is_some_and(|t| *t <= ctx.now);
            let cells: Vec<(String, ratatui::style::Style)> = labels
                .iter()
                .map(|l| match *l {
                    "Name" => (name.clone(), Default::default()),
                    "Title" => (o(&c.fields.title), ctx.theme.muted),
                    "Company" => (c.parent_name.clone(), Default::default()),
                    "Email" => (o(&c.fields.email), Default::default()),
                    "Phone" => (o(&c.fields.phone), Default::default()),
                    "Last" => (last.clone(), ctx.theme.muted),
                    _ => (
                        due.clone().unwrap_or_default(),
                        if overdue {
                            ctx.theme.error
                        } else {
                            ctx.theme.muted
                        },
                    ),
                })
                .collect();
            let mut spans = Vec::new();
            for ((text, style), cw) in cells.into_iter().zip(&cols) {
                spans.push(Span::styled(fit(&text, *cw), style));
                spans.push(Span::raw(" "));
            }
            spans.pop();
            let mut line = Line::from(spans);
            if row == self.view.cursor.selected {
                line = line.style(ctx.theme.selected);
            } else if c.moved_to.is_some() {
                line = line.style(ctx.theme.muted);
            }
            lines.push(line);
        }
        frame.render_widget(Paragraph::new(lines), body);
    }
}

/// "today", "in 3d", "5d over": short enough for the due column.
fn due_label(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let days = (at - now).num_days();
    match days {
        d if at <= now && d == 0 => "today".to_string(),
        d if at <= now => truncate(&format!("{}d over", -d), 10),
        0 => "today".to_string(),
        d => format!("in {d}d"),
    }
}

/// What `/` matches a person on: name, nickname, every address, every number as written and
/// as digits (national and international, so `0770` finds `+44 7700 900123`), title,
/// company and tags.
fn texts(people: &[Contact]) -> ListFilter {
    let rows: Vec<Vec<String>> = people.iter().map(person_texts).collect();
    ListFilter::new(rows.iter().map(|r| r.iter().map(String::as_str)))
}

fn person_texts(c: &Contact) -> Vec<String> {
    let f = &c.fields;
    let mut out: Vec<String> = [
        f.full_name.as_deref(),
        f.nickname.as_deref(),
        f.title.as_deref(),
        Some(c.parent_name.as_str()),
    ]
    .into_iter()
    .flatten()
    .map(str::to_string)
    .collect();
    out.extend(f.email.iter().cloned());
    out.extend(f.emails.iter().map(|e| e.value.clone()));
    for n in f.phone.iter().chain(f.phones.iter().map(|p| &p.value)) {
        out.push(n.chars().filter(char::is_ascii_digit).collect());
    }
    out.extend(c.phone_e164.as_deref().and_then(national_digits));
    out.extend(f.tags.iter().cloned());
    out
}

/// An E.164 number's digits as dialled at home: the trunk prefix of its country, then the
/// number without the country code (`+447700900123` is `07700900123`). Calling codes are a
/// prefix code, so the first of one, two or three digits that is one is the country's; no
/// parsing, which at 100,000 people would take seconds.
fn national_digits(e164: &str) -> Option<String> {
    use phonenumber::metadata::DATABASE;
    let digits = e164.strip_prefix('+')?;
    (1..=3.min(digits.len())).find_map(|n| {
        let code: u16 = digits[..n].parse().ok()?;
        let meta = DATABASE.by_code(&code)?;
        let trunk = meta.first()?.national_prefix().unwrap_or("");
        Some(format!("{trunk}{}", &digits[n..]))
    })
}

impl FilteredScreen for People {
    const MODE: Mode = Mode::People;

    fn view(&self) -> &FilteredList {
        &self.view
    }

    fn view_mut(&mut self) -> &mut FilteredList {
        &mut self.view
    }

    fn refilter(&mut self) {
        let kept = self.view.kept();
        let people = &self.people;
        let candidates: Vec<usize> = (0..people.len())
            .filter(|&i| kept.as_ref().is_none_or(|k| k.contains(&people[i].id)))
            .collect();
        self.view.refilter(candidates, || texts(people));
    }

    fn act(&mut self, action: Action) -> Option<Option<Msg>> {
        if self.view.navigate(action) {
            return Some(None);
        }
        Some(match action {
            Action::Back if self.view.clear_filter() => {
                self.refilter();
                None
            }
            Action::Filter => {
                let people = &self.people;
                self.view.start_filter(|| texts(people));
                None
            }
            Action::Sort => {
                self.order = self.order.next();
                let keep = self.selected().map(|c| c.id);
                self.put_in_order();
                if let Some(id) = keep {
                    self.select_id(id);
                }
                None
            }
            Action::Open => self.selected().map(|c| Msg::OpenPerson {
                contact_id: c.id,
                parent_id: c.parent_id,
            }),
            Action::Back | Action::Quit | Action::CycleKind => Some(Msg::Back { select: None }),
            Action::FindTitle => Some(Msg::OpenTitles),
            Action::Today => Some(Msg::OpenToday),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_found_by_its_national_digits_too() {
        assert_eq!(national_digits("+447700900123").as_deref(), Some("07700900123"));
        assert_eq!(national_digits("+14155550177").as_deref(), Some("14155550177"));
        assert_eq!(national_digits("+4930123456").as_deref(), Some("030123456"));
        assert_eq!(national_digits("07700"), None);
    }
}
