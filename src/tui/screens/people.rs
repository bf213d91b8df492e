//! The People list: every person, one row each, whatever company they are at. `/` finds them
//! by name, nickname, any address, phone digits, title, company or tag (`field:` terms as
//! elsewhere); `o` orders the rows by name, company, last contact or due date. People who moved
//! on are marked and listed last: their new self is the one to talk to.

use crate::display::{fit, truncate, width};
use crate::domain::Contact;
use crate::ops::people::Touch;
use crate::search::ListFilter;
use crate::store::{PersonRow, PersonTexts};
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

/// Every person, as far as ordering and placing them needs; the rest of a person (title,
/// addresses) only for the rows in view, read by the app after each key; when each was last in
/// touch and is next due, read off the drawing path.
pub struct People {
    /// Everyone in name order, as the store gives them.
    by_name: Vec<PersonRow>,
    /// Everyone in the order asked for.
    rows: Vec<PersonRow>,
    /// Each person's company, read when the rows are ordered by it.
    companies: Option<HashMap<i64, String>>,
    read: HashMap<i64, Contact>,
    /// None until read (see `Effect::ReadTouch`).
    touch: Option<Touch>,
    pub order: Order,
    pub view: FilteredList,
}

impl People {
    pub fn new(rows: Vec<PersonRow>) -> People {
        let mut people = People {
            by_name: Vec::new(),
            rows: Vec::new(),
            companies: None,
            read: HashMap::new(),
            touch: None,
            order: Order::default(),
            view: FilteredList::default(),
        };
        people.set_rows(rows);
        people
    }

    /// The people as they are now; the selection stays on the person it was on. What was
    /// read of them goes.
    pub fn set_rows(&mut self, rows: Vec<PersonRow>) {
        self.by_name = rows;
        self.companies = None;
        self.read.clear();
        self.put_in_order();
    }

    /// When each was last in touch and is next due, read off the drawing path.
    pub fn set_touch(&mut self, touch: Touch) {
        self.touch = Some(touch);
        if matches!(self.order, Order::LastContact | Order::Due) {
            self.put_in_order();
        }
    }

    pub fn has_touch(&self) -> bool {
        self.touch.is_some()
    }

    /// The ids of the rows any view can show that were not read yet.
    pub fn unread_in_view(&self, rows: usize) -> Vec<i64> {
        self.view
            .in_view(rows)
            .iter()
            .map(|&i| self.rows[i].id)
            .filter(|id| !self.read.contains_key(id))
            .collect()
    }

    pub fn add_read(&mut self, people: Vec<Contact>) {
        self.read.extend(people.into_iter().map(|c| (c.id, c)));
    }

    pub fn select_id(&mut self, id: i64) {
        let rows = &self.rows;
        self.view.select_where(|i| rows[i].id == id);
    }

    fn selected_id(&self) -> Option<i64> {
        self.view
            .selected()
            .and_then(|i| self.rows.get(i))
            .map(|r| r.id)
    }

    /// The selected person, once read.
    pub fn selected(&self) -> Option<&Contact> {
        self.read.get(&self.selected_id()?)
    }

    /// The order asked for next (`o`), and whether the companies must be read for it first.
    pub fn next_order(&self) -> (Order, bool) {
        let next = self.order.next();
        (next, next == Order::Company && self.companies.is_none())
    }

    /// Orders the rows by `order`; `companies`, when given, are what ordering by company needs.
    pub fn set_order(&mut self, order: Order, companies: Option<HashMap<i64, String>>) {
        self.order = order;
        if companies.is_some() {
            self.companies = companies;
        }
        self.put_in_order();
    }

    /// Puts the people in the order asked for, those who moved on last, by name within the
    /// same key (a stable sort of the name order), and filters again (the filter's texts
    /// follow the rows, so they are made again when next needed), the selection kept on its
    /// person. Without what an order needs yet, the name order stands until it comes.
    fn put_in_order(&mut self) {
        let keep = self.selected_id();
        self.rows.clone_from(&self.by_name);
        let rows = &mut self.rows;
        match (self.order, &self.touch, &self.companies) {
            (Order::Company, _, Some(c)) => rows.sort_by_cached_key(|r| {
                let company = c.get(&r.id).map(|n| n.to_lowercase());
                (r.moved, company)
            }),
            (Order::LastContact, Some(t), _) => rows.sort_by_cached_key(|r| {
                let last = t.last.get(&r.id).map(|l| l.0.clone());
                (r.moved, std::cmp::Reverse(last))
            }),
            (Order::Due, Some(t), _) => rows.sort_by_cached_key(|r| {
                let due = t.due.get(&r.id).copied();
                (r.moved, due.is_none(), due)
            }),
            _ => {}
        }
        self.view.rows_changed();
        self.refilter();
        if let Some(id) = keep {
            self.select_id(id);
        }
    }

    /// False until the `/` filter has its texts (see [`People::start_filter`]).
    pub fn has_texts(&self) -> bool {
        self.view.has_texts()
    }

    /// The `/` filter's texts, as the store reads them (empty when it has them already); the
    /// filter then takes the keys.
    pub fn start_filter(&mut self, mut texts: HashMap<i64, PersonTexts>) {
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| texts.remove(&r.id).map(filter_texts).unwrap_or_default())
            .collect();
        drop(texts);
        self.view
            .start_filter(|| ListFilter::new(rows.iter().map(|r| r.iter().map(String::as_str))));
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
        let waiting = matches!(self.order, Order::LastContact | Order::Due) && self.touch.is_none();
        let mut spans = vec![
            Span::styled(format!(" People {} ", self.rows.len()), ctx.theme.selected),
            Span::styled(
                format!(
                    " by {}{} ({})",
                    self.order.label(),
                    if waiting { ", reading…" } else { "" },
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

        if self.rows.is_empty() {
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
                columns(w, &[20, 15, 15, 19, 12, 10]),
            ),
            w if w >= 76 => (
                &["Name", "Title", "Company", "Email", "Last", "Due"],
                columns(w, &[22, 16, 18, 20, 13]),
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
            let r = &self.rows[i];
            let c = self.read.get(&r.id);
            let o = |f: fn(&Contact) -> &Option<String>| {
                c.and_then(|c| f(c).clone()).unwrap_or_default()
            };
            let full_name = c.map(Contact::full_name).unwrap_or_default();
            let name = match r.moved {
                true => format!("↪ {full_name} (moved on)"),
                false => full_name.to_string(),
            };
            let company = c.map(|c| c.parent_name.clone()).unwrap_or_default();
            let touch = self.touch.as_ref();
            // When, and by whom.
            let last = touch
                .and_then(|t| t.last.get(&r.id))
                .map(|(at, by)| {
                    let when = ago(at, ctx.now);
                    format!("{} {by}", when.trim_end_matches(" ago"))
                })
                .unwrap_or_default();
            let due_at = touch.and_then(|t| t.due.get(&r.id)).copied();
            let due = due_at.map(|t| due_label(t, ctx.now));
            let overdue = due_at.is_some_and(|t| t <= ctx.now);
            let cells: Vec<(String, ratatui::style::Style)> = labels
                .iter()
                .map(|l| match *l {
                    "Name" => (name.clone(), Default::default()),
                    "Title" => (o(|c| &c.fields.title), ctx.theme.muted),
                    "Company" => (company.clone(), Default::default()),
                    "Email" => (o(|c| &c.fields.email), Default::default()),
                    "Phone" => (o(|c| &c.fields.phone), Default::default()),
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
            } else if r.moved {
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

/// What `/` matches a person on: name, nickname, title, company, every address, every number
/// as written and as digits, and its national digits too (so `0770` finds `+44 7700 900123`),
/// every tag.
fn filter_texts(mut t: PersonTexts) -> Vec<String> {
    let national = t.e164.iter().filter_map(|n| national_digits(n));
    let national: Vec<String> = national.collect();
    t.texts.extend(national);
    t.texts
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
        let rows = &self.rows;
        let candidates: Vec<usize> = (0..rows.len())
            .filter(|&i| kept.as_ref().is_none_or(|k| k.contains(&rows[i].id)))
            .collect();
        let n = rows.len();
        self.view
            .refilter(candidates, || ListFilter::without_texts(n));
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
            // The texts it matches are the app's to read.
            Action::Filter => Some(Msg::StartPeopleFilter),
            Action::Sort => match self.next_order() {
                // The companies are the app's to read first.
                (order, true) => Some(Msg::OrderPeople(order)),
                (order, false) => {
                    self.set_order(order, None);
                    None
                }
            },
            Action::Open => self
                .selected()
                .map(|c| Msg::OpenPerson { contact_id: c.id }),
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
        assert_eq!(
            national_digits("+447700900123").as_deref(),
            Some("07700900123")
        );
        assert_eq!(
            national_digits("+14155550177").as_deref(),
            Some("14155550177")
        );
        assert_eq!(national_digits("+4930123456").as_deref(), Some("030123456"));
        assert_eq!(national_digits("07700"), None);
    }
}
