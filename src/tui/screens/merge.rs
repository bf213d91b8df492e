//! The merge view: two records side by side and what merging the right one into the left one
//! (the kept one) makes of them, field by field, before anything is written. `take_left` and
//! `take_right` choose the selected field's record, `swap_kept` swaps which one is kept, `merge`
//! writes it. The app reads the preview again after every choice; the view never reads it.

use crate::display::{fit, truncate};
use crate::domain::merge::Choices;
use crate::domain::ContactFields;
use crate::ops::merge::{fields, Preview};
use crate::store::{ContactMergePreview, MergeKind, ParentMergePreview};
use crate::tui::action::Action;
use crate::tui::keymap::{Hint, Keymap, Mode};
use crate::tui::msg::Msg;
use crate::tui::widgets::Ctx;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

/// Which record a merged value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Left,
    Right,
}

/// One row of the preview: a field (or a list kept from both, with no field to choose), the
/// kept record's value, the other's, and the merged one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub field: Option<&'static str>,
    pub label: &'static str,
    pub left: Option<String>,
    pub right: Option<String>,
    pub merged: Option<String>,
    pub from: Option<Side>,
}

pub struct MergeView {
    pub kind: MergeKind,
    /// The record kept (left) and the one merged into it (right).
    pub survivor: i64,
    pub other: i64,
    pub choices: Choices,
    /// The versions the user saw: a merge of records changed since is a conflict.
    pub versions: (i64, i64),
    pub preview: Preview,
    /// The field selected, by name: it stays on the same field as the preview changes.
    pub selected: &'static str,
    /// What the view must say above its keys: a conflict, a refusal of the store.
    pub notice: Option<String>,
}

impl MergeView {
    /// The view of a preview just read: its versions are those the merge will pass. Two people
    /// at different companies start on the company, which must be chosen.
    pub fn new(kind: MergeKind, preview: Preview) -> MergeView {
        let (survivor, other) = ids(&preview);
        let mut view = MergeView {
            kind,
            survivor,
            other,
            choices: Choices::default(),
            versions: preview.versions(),
            preview,
            selected: "",
            notice: None,
        };
        let rows = view.rows();
        let first = rows.iter().find_map(|r| r.field).unwrap_or("");
        view.selected = if view.company_unchosen().is_some() {
            "parent"
        } else {
            first
        };
        view
    }

    pub fn mode(&self) -> Mode {
        Mode::Merge
    }

    /// A preview read again (a choice changed, or the store did): a record changed since the
    /// user looked is said in the view, and its new version is the one the merge passes, since
    /// the columns now show it.
    pub fn set_preview(&mut self, preview: Preview) {
        let now = preview.versions();
        if now != self.versions {
            let which = if now.0 != self.versions.0 {
                self.survivor
            } else {
                self.other
            };
            self.notice = Some(format!(
                "#{which} was changed by someone else since you opened this view: the columns \
                 now show it as saved. Check them, then merge."
            ));
            self.versions = now;
        }
        self.preview = preview;
    }

    /// After a merge met a change (a conflict): the preview read again, and why.
    pub fn conflicted(&mut self, preview: Preview) {
        self.versions = preview.versions();
        self.preview = preview;
        let what = match self.kind {
            MergeKind::Contact => "contact",
            MergeKind::Parent => "record",
        };
        self.notice = Some(format!(
            "Nothing was merged: a {what} changed since you opened this view. The columns now \
             show both as saved; check them, then merge again."
        ));
    }

    /// Why the merge must wait for the user, if it must: two people at two companies.
    pub fn company_unchosen(&self) -> Option<String> {
        match &self.preview {
            Preview::Contact(p) if p.parent.is_err() => Some(format!(
                "#{} is at {} and #{} at {}: choose the company the merged person is at (Company row, {} or {}) before merging.",
                p.survivor.id,
                p.survivor.parent_name,
                p.other.id,
                p.other.parent_name,
                "{left}",
                "{right}",
            )),
            _ => None,
        }
    }

    /// The rows of the preview, in the order of [`fields`], then the lists kept from both.
    pub fn rows(&self) -> Vec<Row> {
        match &self.preview {
            Preview::Contact(p) => contact_rows(p, &self.choices),
            Preview::Parent(p) => parent_rows(p, &self.choices),
        }
    }

    /// The status bar's line when nothing else is said, in `width` columns: every key when
    /// there is room, else choosing and merging first, so that they show in the narrowest
    /// terminal.
    pub fn status_hint(&self, keymap: &Keymap, width: usize) -> String {
        let every = [
            Hint::Pair(Action::Down, Action::Up, "field"),
            Hint::One(Action::TakeLeft, "left"),
            Hint::One(Action::TakeRight, "right"),
            Hint::One(Action::SwapKept, "swap"),
            Hint::One(Action::Merge, "merge"),
            Hint::One(Action::Back, "cancel"),
            Hint::One(Action::Help, "help"),
        ];
        let first = [
            Hint::One(Action::Help, "help"),
            Hint::Pair(Action::TakeLeft, Action::TakeRight, "choose"),
            Hint::One(Action::Merge, "merge"),
            Hint::One(Action::Back, "cancel"),
            Hint::Pair(Action::Down, Action::Up, "field"),
            Hint::One(Action::SwapKept, "swap"),
        ];
        keymap.fit_any(Mode::Merge, &[&every, &first], "  ", width)
    }

    pub fn handle(&mut self, key: &KeyEvent, keymap: &Keymap) -> Option<Msg> {
        let actions = keymap.actions(Mode::Merge, key);
        let action = *actions.first()?;
        let rows = self.rows();
        let choosable: Vec<&'static str> = rows.iter().filter_map(|r| r.field).collect();
        let at = choosable
            .iter()
            .position(|f| *f == self.selected)
            .unwrap_or(0);
        let last = choosable.len().saturating_sub(1);
        let to = |i: usize| choosable.get(i).copied().unwrap_or("");
        match action {
            Action::Up => self.selected = to(at.saturating_sub(1)),
            Action::Down => self.selected = to((at + 1).min(last)),
            Action::Top => self.selected = to(0),
            Action::Bottom => self.selected = to(last),
            Action::TakeLeft | Action::TakeRight => {
                let field = self.selected;
                let from_other = action == Action::TakeRight;
                if field.is_empty()
                    || self
                        .choices
                        .pick(fields(self.kind), field, from_other)
                        .is_err()
                {
                    return None;
                }
                self.notice = None;
                return Some(Msg::MergeChanged);
            }
            Action::SwapKept => {
                // The choices stay with the records they name: "from the other" becomes "from
                // the kept one".
                let mut swapped = Choices::default();
                for (field, _) in fields(self.kind) {
                    if self.choices.said(field) {
                        let _ =
                            swapped.pick(fields(self.kind), field, !self.choices.from_other(field));
                    }
                }
                self.choices = swapped;
                std::mem::swap(&mut self.survivor, &mut self.other);
                self.versions = (self.versions.1, self.versions.0);
                self.notice = None;
                return Some(Msg::MergeChanged);
            }
            Action::Merge => {
                if let Some(why) = self.company_unchosen() {
                    return Some(Msg::Refused(self.with_keys(&why, keymap)));
                }
                return Some(Msg::DoMerge);
            }
            Action::Back | Action::Quit => {
                return Some(Msg::Back { select: None });
            }
            _ => return None,
        }
        None
    }

    /// `why` with the keys of the view in place of `{left}` and `{right}`.
    fn with_keys(&self, why: &str, keymap: &Keymap) -> String {
        why.replace("{left}", &keymap.first_label(Mode::Merge, Action::TakeLeft))
            .replace(
                "{right}",
                &keymap.first_label(Mode::Merge, Action::TakeRight),
            )
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let w = area.width as usize;
        let rows = self.rows();
        let mut notes: Vec<(String, Style)> = Vec::new();
        if let Some(why) = self.company_unchosen() {
            notes.push((self.with_keys(&why, ctx.keymap), ctx.theme.error));
        }
        if let Some(n) = &self.notice {
            notes.push((n.clone(), ctx.theme.error));
        }
        let what = match &self.preview {
            Preview::Contact(_) => "its notes, emails and history",
            Preview::Parent(_) => "its contacts, notes, emails and history",
        };
        notes.push((
            format!(
                "#{} goes into #{}, with {what}. Nothing is written until you merge.",
                self.other, self.survivor
            ),
            ctx.theme.muted,
        ));
        let text_h: u16 = notes
            .iter()
            .map(|(n, _)| crate::display::width(n).div_ceil(w.max(1)).max(1) as u16)
            .sum();
        let [head, table, _, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(rows.len() as u16 + 1),
            Constraint::Fill(1),
            Constraint::Length(text_h),
        ])
        .areas(area);

        let title = match &self.preview {
            Preview::Contact(_) => "Merge two people".to_string(),
            Preview::Parent(p) => format!(
                "Merge two companies: #{} {}, #{} {}",
                p.survivor.id, p.survivor.kind, p.other.id, p.other.kind
            ),
        };
        frame.render_widget(Line::styled(truncate(&title, w), ctx.theme.bold), head);

        // FIELD | #A (kept) | #B | MERGED: the label as wide as it needs up to 12 columns, the
        // three values sharing the rest.
        let label_w = if w >= 60 { 12 } else { 8 };
        let rest = w.saturating_sub(label_w + 3);
        let cell = rest / 3;
        let cols = [label_w, cell, cell, rest.saturating_sub(cell * 2)];
        let header = [
            "FIELD".to_string(),
            format!("#{} (kept)", self.survivor),
            format!("#{}", self.other),
            "MERGED".to_string(),
        ];
        let mut lines = vec![Line::styled(joined(&header, &cols), ctx.theme.bold)];
        let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_string());
        // Short of room, the rows scroll so that the selected one shows.
        let room = (table.height as usize).saturating_sub(1).max(1);
        let at = rows
            .iter()
            .position(|r| r.field.is_some() && r.field == Some(self.selected))
            .unwrap_or(0);
        let skip = (at + 1).saturating_sub(room);
        for r in rows.iter().skip(skip).take(room) {
            let merged = match (&r.merged, r.field) {
                (None, Some("parent")) => "(choose)".to_string(),
                (m, _) => dash(m),
            };
            let source = |side: Side| {
                if r.from == Some(side) {
                    ctx.theme.accent
                } else {
                    Style::default()
                }
            };
            let spans = vec![
                Span::styled(fit(r.label, cols[0]), ctx.theme.muted),
                Span::raw(" "),
                Span::styled(fit(&dash(&r.left), cols[1]), source(Side::Left)),
                Span::raw(" "),
                Span::styled(fit(&dash(&r.right), cols[2]), source(Side::Right)),
                Span::raw(" "),
                Span::raw(fit(&merged, cols[3])),
            ];
            let mut line = Line::from(spans);
            if r.field.is_some() && r.field == Some(self.selected) {
                line = line.style(ctx.theme.selected);
            }
            lines.push(line);
        }
        frame.render_widget(Paragraph::new(lines), table);

        let foot_lines: Vec<Line> = notes
            .into_iter()
            .map(|(n, style)| {
                Line::styled(crate::domain::validate::terminal_safe(&n, false), style)
            })
            .collect();
        frame.render_widget(Paragraph::new(foot_lines).wrap(Wrap { trim: true }), foot);
    }
}

fn ids(preview: &Preview) -> (i64, i64) {
    match preview {
        Preview::Contact(p) => (p.survivor.id, p.other.id),
        Preview::Parent(p) => (p.survivor.id, p.other.id),
    }
}

fn joined(values: &[String], cols: &[usize]) -> String {
    values
        .iter()
        .zip(cols)
        .map(|(v, w)| fit(v, *w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where the merged value comes from: the side chosen when it holds it, else the side that
/// holds it.
fn source(
    choices: &Choices,
    field: &str,
    left: &Option<String>,
    right: &Option<String>,
    merged: &Option<String>,
) -> Option<Side> {
    if merged.is_none() {
        return None;
    }
    if choices.from_other(field) && merged == right {
        return Some(Side::Right);
    }
    if merged == left {
        Some(Side::Left)
    } else if merged == right {
        Some(Side::Right)
    } else {
        None
    }
}

/// The row of a field; None when none of the three has a value.
fn field_row(
    choices: &Choices,
    field: &'static str,
    label: &'static str,
    values: [Option<String>; 3],
    always: bool,
) -> Option<Row> {
    let [left, right, merged] = values;
    if !always && left.is_none() && right.is_none() && merged.is_none() {
        return None;
    }
    let from = source(choices, field, &left, &right, &merged);
    Some(Row {
        field: Some(field),
        label,
        left,
        right,
        merged,
        from,
    })
}

fn contact_value(f: &ContactFields, field: &str) -> Option<String> {
    let v = match field {
        "full_name" => &f.full_name,
        "first_name" => &f.first_name,
        "last_name" => &f.last_name,
        "middle_name" => &f.middle_name,
        "prefix" => &f.prefix,
        "suffix" => &f.suffix,
        "nickname" => &f.nickname,
        "title" => &f.title,
        "email" => &f.email,
        "phone" => &f.phone,
        "birthday" => &f.birthday,
        "anniversary" => &f.anniversary,
        "notes" => &f.notes,
        "photo" => return f.photo.as_ref().map(|_| "(photo)".to_string()),
        _ => return None,
    };
    v.clone().filter(|s| !s.is_empty())
}

fn contact_rows(p: &ContactMergePreview, choices: &Choices) -> Vec<Row> {
    let mut rows: Vec<Row> = fields(MergeKind::Contact)
        .iter()
        .filter_map(|&(field, label)| {
            let values = if field == "parent" {
                let merged = p.parent.as_ref().ok().map(|&id| {
                    if id == p.survivor.parent_id {
                        p.survivor.parent_name.clone()
                    } else {
                        p.other.parent_name.clone()
                    }
                });
                [
                    Some(p.survivor.parent_name.clone()),
                    Some(p.other.parent_name.clone()),
                    merged,
                ]
            } else {
                [
                    contact_value(&p.survivor.fields, field),
                    contact_value(&p.other.fields, field),
                    contact_value(&p.merged, field),
                ]
            };
            field_row(choices, field, label, values, field == "parent")
        })
        .collect();
    let list = |f: &ContactFields, which: u8| -> Option<String> {
        let all: Vec<&str> = match which {
            0 => f.emails.iter().map(|e| e.value.as_str()).collect(),
            1 => f.phones.iter().map(|e| e.value.as_str()).collect(),
            _ => f.tags.iter().map(String::as_str).collect(),
        };
        (!all.is_empty()).then(|| all.join(", "))
    };
    for (label, which) in [("All emails", 0), ("All phones", 1), ("Tags", 2)] {
        let (left, right, merged) = (
            list(&p.survivor.fields, which),
            list(&p.other.fields, which),
            list(&p.merged, which),
        );
        if left.is_some() || right.is_some() || merged.is_some() {
            rows.push(Row {
                field: None,
                label,
                left,
                right,
                merged,
                from: None,
            });
        }
    }
    rows
}

fn parent_rows(p: &ParentMergePreview, choices: &Choices) -> Vec<Row> {
    let value = |f: &crate::domain::ParentFields, field: &str| -> Option<String> {
        let v = match field {
            "name" => return Some(f.name.clone()),
            "contact_name" => &f.contact_name,
            "email" => &f.email,
            "phone" => &f.phone,
            "website" => &f.website,
            "industry" => &f.industry,
            "source" => &f.source,
            "notes" => &f.notes,
            _ => return None,
        };
        v.clone().filter(|s| !s.is_empty())
    };
    fields(MergeKind::Parent)
        .iter()
        .filter_map(|&(field, label)| {
            let values = if field == "status" {
                [
                    Some(p.survivor.status_label().to_string()),
                    Some(p.other.status_label().to_string()),
                    Some(p.status.label().to_string()),
                ]
            } else {
                [
                    value(&p.survivor.fields, field),
                    value(&p.other.fields, field),
                    value(&p.merged, field),
                ]
            };
            field_row(choices, field, label, values, field == "status")
        })
        .collect()
}
