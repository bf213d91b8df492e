//! The parent list: leads and customers in one list, the first screen (under Today's, when
//! someone is due). It holds every parent
//! as far as its tabs and counts need, and the rest of a row (name, primary person, count)
//! only for the rows the app read for it, those in view: at tens of thousands of parents,
//! reading every row in full is what opening would wait for.

use crate::display::{fit, truncate, width};
use crate::domain::ParentKind;
use crate::search::ListFilter;
use crate::store::{ParentRow, ParentSummary, ParentTexts};
use crate::tui::action::Action;
use crate::tui::keymap::{promoted, Hint, Keymap, Mode};
use crate::tui::msg::Msg;
use crate::tui::screens::{filter_hint, FilteredScreen};
use crate::tui::widgets::{ago, Ctx, FilteredList};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use std::collections::HashMap;

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

#[derive(Default)]
pub struct ParentList {
    /// Every parent, most recently changed first.
    pub rows: Vec<ParentRow>,
    /// The rows read in full so far, by id: at least those in view.
    summaries: HashMap<i64, ParentSummary>,
    pub kind: KindFilter,
    /// The rows of `all` in view.
    pub view: FilteredList,
    /// Archived customers are dormant: hidden unless asked for.
    pub show_archived: bool,
    /// What the tabs and the pipeline count, counted when the rows are set.
    tally: Tally,
    /// When the last vdir sync ran ("synced 2026-12-01 19:58"), if one ever did.
    pub synced: Option<String>,
}

/// The counts the list shows above its rows.
#[derive(Debug, Default)]
struct Tally {
    leads: usize,
    archived: usize,
    /// Leads not converted at each pipeline status.
    pipeline: Vec<usize>,
}

impl Tally {
    fn of(rows: &[ParentRow]) -> Tally {
        let mut t = Tally {
            pipeline: vec![0; crate::domain::Status::PIPELINE.len()],
            ..Tally::default()
        };
        for p in rows {
            t.leads += usize::from(p.kind == ParentKind::Lead);
            t.archived += usize::from(p.status == crate::domain::Status::Archived);
            if !p.converted {
                if let Some(k) = crate::domain::Status::PIPELINE
                    .iter()
                    .position(|st| *st == p.status)
                {
                    t.pipeline[k] += 1;
                }
            }
        }
        t
    }
}

/// The keys the status bar names on the parent list, in the order they are said when all
/// fit (with Today when there is room for it); when they do not, help and quit first.
const HINTS: [Hint; 9] = [
    Hint::One(Action::Help, "help"),
    Hint::One(Action::Open, "open"),
    Hint::One(Action::Filter, "filter"),
    Hint::One(Action::FindTitle, "title"),
    Hint::One(Action::NewLead, "lead"),
    Hint::One(Action::NewCustomer, "customer"),
    Hint::One(Action::Duplicates, "dupes"),
    Hint::One(Action::Today, "today"),
    Hint::One(Action::Quit, "quit"),
];

impl ParentList {
    /// The parents as they are now; `texts`, what the `/` filter matches, when it is in use
    /// (see [`ParentList::uses_filter`]). What was read of the old rows goes.
    pub fn set_rows(&mut self, rows: Vec<ParentRow>, texts: Option<Vec<ParentTexts>>) {
        let keep = self.selected_id();
        self.rows = rows;
        self.summaries.clear();
        self.tally = Tally::of(&self.rows);
        self.view.rows_changed();
        if let Some(texts) = texts {
            self.set_texts(texts);
        }
        self.refilter();
        if let Some(id) = keep {
            self.select_id(id);
        }
    }

    /// True when the `/` filter is typed or kept: then it needs the rows' texts.
    pub fn uses_filter(&self) -> bool {
        self.view.filtering || !self.view.filter.text.trim().is_empty()
    }

    /// False until the `/` filter has the rows' texts (see [`ParentList::set_texts`]).
    pub fn has_texts(&self) -> bool {
        self.view.has_texts()
    }

    /// The `/` filter takes the keys; its texts were given (see [`ParentList::set_texts`]).
    pub fn start_filter(&mut self) {
        let n = self.rows.len();
        self.view.start_filter(|| ListFilter::without_texts(n));
    }

    /// Prepares the `/` filter with what it matches of each row, as the store gives them.
    pub fn set_texts(&mut self, texts: Vec<ParentTexts>) {
        let by_id: HashMap<i64, &ParentTexts> = texts.iter().map(|t| (t.id, t)).collect();
        // A parent added since the rows were read has no texts: it matches nothing until the
        // reload that the store's change brings.
        let filter = ListFilter::new(
            self.rows
                .iter()
                .map(|r| by_id.get(&r.id).into_iter().flat_map(|t| row_texts(t))),
        );
        self.view.set_texts(filter);
    }

    /// The ids of the rows any view can show (a screenful of `rows` either side of the
    /// selection) that were not read yet.
    pub fn unread_in_view(&self, rows: usize) -> Vec<i64> {
        self.view
            .in_view(rows)
            .iter()
            .map(|&i| self.rows[i].id)
            .filter(|id| !self.summaries.contains_key(id))
            .collect()
    }

    /// Rows read in full, for drawing.
    pub fn add_summaries(&mut self, read: Vec<ParentSummary>) {
        self.summaries
            .extend(read.into_iter().map(|s| (s.parent.id, s)));
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

    /// The selected row, once read (the app reads the rows in view after every key).
    pub fn selected(&self) -> Option<&ParentSummary> {
        self.summaries.get(&self.selected_id()?)
    }

    pub fn counts(&self) -> (usize, usize) {
        let leads = self.tally.leads;
        (leads, self.rows.len() - leads)
    }

    /// The status bar's line when nothing else is said, in `width` columns.
    pub fn status_hint(&self, keymap: &Keymap, width: usize) -> String {
        if self.view.filtering {
            return filter_hint(keymap, width);
        }
        let without_today: Vec<Hint> = HINTS
            .into_iter()
            .filter(|h| *h != Hint::One(Action::Today, "today"))
            .collect();
        let first = promoted(&HINTS, &[Action::Help, Action::Quit]);
        keymap.fit_any(Mode::List, &[&HINTS, &without_today, &first], "  ", width)
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let pipeline_h = u16::from(self.kind == KindFilter::Leads && !self.rows.is_empty());
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
                .zip(&self.tally.pipeline)
                .map(|(st, n)| format!("{} {n}", st.label()))
                .collect();
            let text = format!("{} | {}", steps[..4].join(" › "), steps[4]);
            frame.render_widget(
                Line::styled(truncate(&text, area.width as usize), ctx.theme.muted),
                pipeline,
            );
        }
        // Each tab counts the rows it shows: hidden archived customers are not among them,
        // and a note says they are there.
        let (leads, customers) = self.counts();
        let archived = self.tally.archived;
        let hidden = if self.show_archived { 0 } else { archived };
        let tab = |label: String, on: bool| {
            if on {
                Span::styled(format!(" {label} "), ctx.theme.selected)
            } else {
                Span::styled(format!(" {label} "), ctx.theme.muted)
            }
        };
        let mut spans = vec![
            tab(
                format!("All {}", self.rows.len() - hidden),
                self.kind == KindFilter::All,
            ),
            tab(format!("Leads {leads}"), self.kind == KindFilter::Leads),
            tab(
                format!("Customers {}", customers - hidden),
                self.kind == KindFilter::Customers,
            ),
            tab("People".to_string(), false),
        ];
        let mut notes = Vec::new();
        if archived > 0 && self.kind != KindFilter::Leads {
            let state = if self.show_archived {
                "shown"
            } else {
                "hidden"
            };
            notes.push(format!(
                " {archived} archived {state} ({})",
                ctx.key(Mode::List, Action::ToggleArchived)
            ));
        }
        if let Some(synced) = &self.synced {
            notes.push(format!(" {synced}"));
        }
        // The filter is what the user is typing: it must show. Short of room, the tabs not
        // selected go; a note shows whole or not at all.
        let w = area.width as usize;
        let used = |spans: &[Span]| spans.iter().map(|s| width(&s.content)).sum::<usize>();
        let filter = self.view.label(usize::MAX);
        if !filter.is_empty() && used(&spans) + width(&filter) > w {
            let selected = match self.kind {
                KindFilter::All => 0,
                KindFilter::Leads => 1,
                KindFilter::Customers => 2,
            };
            spans = vec![spans.swap_remove(selected)];
        }
        for note in notes {
            if used(&spans) + width(&note) + width(&filter) <= w {
                spans.push(Span::styled(note, ctx.theme.muted));
            }
        }
        if !filter.is_empty() {
            let filter = self.view.label(w.saturating_sub(used(&spans)));
            spans.push(Span::styled(filter, ctx.theme.accent));
        }
        frame.render_widget(Line::from(spans), tabs);

        if self.rows.is_empty() {
            let k = |a| ctx.key(Mode::List, a);
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
        if self.view.visible.is_empty() {
            let hint = format!(
                "No match. {} clears the filter.",
                ctx.key(Mode::List, Action::Back)
            );
            frame.render_widget(Paragraph::new(Line::styled(hint, ctx.theme.muted)), body);
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

        let view = &self.view;
        let range = view
            .cursor
            .window(view.visible.len(), rows_area.height as usize);
        let mut lines = Vec::with_capacity(range.len());
        for (row, &i) in range.clone().zip(&view.visible[range]) {
            // The app reads the rows in view before drawing; should one be missing (gone from
            // the store since), its row stays empty rather than wrong.
            let Some(s) = self.summaries.get(&self.rows[i].id) else {
                lines.push(Line::raw(""));
                continue;
            };
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
            if row == view.cursor.selected {
                line = line.style(ctx.theme.selected);
            }
            lines.push(line);
        }
        frame.render_widget(Paragraph::new(lines), rows_area);
    }
}

/// What the `/` filter matches a row of the list on: its name, primary person, email and
/// industry.
pub fn filter_texts(s: &ParentSummary) -> impl Iterator<Item = &str> {
    let f = &s.parent.fields;
    matched(&f.name, &s.primary_contact, &f.email, &f.industry)
}

/// [`filter_texts`] of a parent as [`crate::store::Store::parent_texts`] reads it.
fn row_texts(t: &ParentTexts) -> impl Iterator<Item = &str> {
    matched(&t.name, &t.primary_contact, &t.email, &t.industry)
}

fn matched<'a>(
    name: &'a str,
    primary: &'a Option<String>,
    email: &'a Option<String>,
    industry: &'a Option<String>,
) -> impl Iterator<Item = &'a str> {
    [
        Some(name),
        primary.as_deref(),
        email.as_deref(),
        industry.as_deref(),
    ]
    .into_iter()
    .flatten()
}

impl FilteredScreen for ParentList {
    const MODE: Mode = Mode::List;

    fn view(&self) -> &FilteredList {
        &self.view
    }

    fn view_mut(&mut self) -> &mut FilteredList {
        &mut self.view
    }

    /// Recomputes the visible rows: the kind filter, then the fuzzy filter over name, primary
    /// person, email and industry (see [`filter_texts`]), best match first.
    fn refilter(&mut self) {
        let (kind, archived) = (self.kind, self.show_archived);
        // Field terms (`org:acme title:cto`) keep the rows the app worked out for them.
        let kept = self.view.kept();
        let candidates = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, p)| kind.admits(p.kind))
            .filter(|(_, p)| archived || p.status != crate::domain::Status::Archived)
            .filter(|(_, p)| kept.as_ref().is_none_or(|k| k.contains(&p.id)))
            .map(|(i, _)| i);
        let n = self.rows.len();
        self.view
            .refilter(candidates, || ListFilter::without_texts(n));
    }

    fn act(&mut self, action: Action) -> Option<Option<Msg>> {
        if self.view.navigate(action) {
            return Some(None);
        }
        Some(match action {
            Action::Quit => Some(Msg::Quit),
            // The texts it matches are the app's to read, once after the rows changed.
            Action::Filter => Some(Msg::StartListFilter),
            Action::Back if self.view.clear_filter() => {
                self.refilter();
                None
            }
            Action::ToggleArchived => {
                self.show_archived = !self.show_archived;
                self.refilter();
                None
            }
            // After Customers, the fourth tab is the People list: a screen of its own, whose
            // Tab comes back to All.
            Action::CycleKind if self.kind == KindFilter::Customers => {
                self.kind = KindFilter::All;
                self.refilter();
                Some(Msg::OpenPeople)
            }
            Action::CycleKind => {
                self.kind = self.kind.next();
                self.refilter();
                None
            }
            Action::Open => self.selected_id().map(|parent_id| Msg::OpenParent {
                parent_id,
                contact_id: None,
            }),
            Action::FindTitle => Some(Msg::OpenTitles),
            Action::People => Some(Msg::OpenPeople),
            Action::FindEverything => Some(Msg::OpenFind),
            Action::Today => Some(Msg::OpenToday),
            Action::Duplicates => Some(Msg::OpenDupes),
            Action::Sync => Some(Msg::StartSync),
            Action::NewLead => Some(Msg::NewParent(ParentKind::Lead)),
            Action::NewCustomer => Some(Msg::NewParent(ParentKind::Customer)),
            _ => return None,
        })
    }
}
