//! Likely duplicates, best first: each group's names and why they look alike. `open` shows the
//! merge view of the group's first two records; `not_duplicate` sets that pair apart.

use crate::display::truncate;
use crate::ops::dupes::DupeGroup;
use crate::store::MergeKind;
use crate::tui::action::Action;
use crate::tui::keymap::{Hint, Keymap, Mode};
use crate::tui::msg::Msg;
use crate::tui::widgets::{Ctx, Cursor};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The keys the status bar names on the duplicates list, those that matter most first.
const HINTS: [Hint; 4] = [
    Hint::One(Action::Help, "help"),
    Hint::One(Action::Open, "merge"),
    Hint::One(Action::NotDuplicate, "not a duplicate"),
    Hint::One(Action::Back, "back"),
];

/// Each group takes two lines: the names, then why.
const GROUP_LINES: usize = 2;

#[derive(Default)]
pub struct Dupes {
    /// The groups as `ops::dupes::find` gave them, best first.
    pub groups: Vec<DupeGroup>,
    pub cursor: Cursor,
}

impl Dupes {
    pub fn new(groups: Vec<DupeGroup>) -> Dupes {
        let mut d = Dupes::default();
        d.set_groups(groups);
        d
    }

    /// The groups as they are now; the selection stays on the same pair when it is still there.
    pub fn set_groups(&mut self, groups: Vec<DupeGroup>) {
        let keep = self.selected().map(|g| (g.kind, g.ids.clone()));
        self.groups = groups;
        if let Some((kind, ids)) = keep {
            if let Some(i) = self
                .groups
                .iter()
                .position(|g| g.kind == kind && g.ids == ids)
            {
                self.cursor.selected = i;
            }
        }
        self.cursor.clamp(self.groups.len());
    }

    pub fn selected(&self) -> Option<&DupeGroup> {
        self.groups.get(self.cursor.selected)
    }

    pub fn mode(&self) -> Mode {
        Mode::Dupes
    }

    /// The status bar's line when nothing else is said, in `width` columns.
    pub fn status_hint(&self, keymap: &Keymap, width: usize) -> String {
        let mut long = HINTS;
        // `quit` goes back too, and takes one key fewer: named instead when it is bound.
        if !keymap.label(Mode::Dupes, Action::Quit).is_empty() {
            long[3] = Hint::One(Action::Quit, "back");
        }
        let mut short = long;
        short[2] = Hint::One(Action::NotDuplicate, "not dupes");
        keymap.fit_any(Mode::Dupes, &[&long, &short], "  ", width)
    }

    pub fn handle(
        &mut self,
        key: &ratatui::crossterm::event::KeyEvent,
        keymap: &Keymap,
    ) -> Option<Msg> {
        let actions = keymap.actions(Mode::Dupes, key);
        actions.iter().find_map(|a| self.act(*a)).flatten()
    }

    /// What an action does here: None when the screen does not know it.
    fn act(&mut self, action: Action) -> Option<Option<Msg>> {
        if self.cursor.navigate(action, self.groups.len()) {
            return Some(None);
        }
        Some(match action {
            Action::Back | Action::Quit => Some(Msg::Back { select: None }),
            Action::FindTitle => Some(Msg::OpenTitles),
            Action::People => Some(Msg::OpenPeople),
            Action::FindEverything => Some(Msg::OpenFind),
            Action::Today => Some(Msg::OpenToday),
            // A group of three or more: its most likely pair first.
            Action::Open => {
                let g = self.selected()?;
                let [a, b] = g.pairs.first()?.ids;
                Some(Msg::OpenMerge {
                    kind: g.kind,
                    survivor: a,
                    other: b,
                })
            }
            Action::NotDuplicate => {
                let g = self.selected()?;
                let [a, b] = g.pairs.first()?.ids;
                Some(Msg::NotDuplicate { kind: g.kind, a, b })
            }
            _ => return None,
        })
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let [head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let w = area.width as usize;
        let title = format!("Likely duplicates ({})", self.groups.len());
        frame.render_widget(Line::styled(truncate(&title, w), ctx.theme.bold), head);
        if self.groups.is_empty() {
            let text = vec![
                Line::raw("No likely duplicates."),
                Line::styled(
                    truncate(&format!("{} back", ctx.key(Mode::Dupes, Action::Back)), w),
                    ctx.theme.muted,
                ),
            ];
            frame.render_widget(Paragraph::new(text), body);
            return;
        }
        let room = (body.height as usize / GROUP_LINES).max(1);
        let range = self.cursor.window(self.groups.len(), room);
        let mut lines = Vec::with_capacity(range.len() * GROUP_LINES);
        for (row, g) in range.clone().zip(&self.groups[range]) {
            let what = match g.kind {
                MergeKind::Contact => "people",
                MergeKind::Parent => "companies",
            };
            let names: Vec<String> = g
                .ids
                .iter()
                .zip(&g.names)
                .map(|(id, name)| format!("#{id} {name}"))
                .collect();
            let names = format!("{what:<9} {}", names.join(" · "));
            let mut first = Line::raw(crate::display::fit(&names, w));
            if row == self.cursor.selected {
                first = first.style(ctx.theme.selected);
            }
            lines.push(first);
            let why = format!("          {}", g.reasons.join("; "));
            lines.push(Line::from(Span::styled(truncate(&why, w), ctx.theme.muted)));
        }
        frame.render_widget(Paragraph::new(lines), body);
    }
}
