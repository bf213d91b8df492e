//! The screens of the TUI. Each owns its state and draws itself from it; none touches the store.

pub mod detail;
pub mod help;
pub mod parent_list;
pub mod title_search;

use super::action::Action;
use std::cell::Cell;

/// A selection in a list, with the scroll offset the last draw used. The offset is only a cache
/// of the drawing (kept so scrolling is steady), which is why it may change while drawing.
#[derive(Debug, Default)]
pub struct Cursor {
    pub selected: usize,
    offset: Cell<usize>,
    page: Cell<usize>,
}

impl Cursor {
    /// Moves for a navigation action; false when the action is not one.
    pub fn navigate(&mut self, action: Action, len: usize) -> bool {
        let page = self.page.get().max(1);
        let last = len.saturating_sub(1);
        self.selected = match action {
            Action::Up => self.selected.saturating_sub(1),
            Action::Down => (self.selected + 1).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            Action::PageUp => self.selected.saturating_sub(page),
            Action::PageDown => (self.selected + page).min(last),
            _ => return false,
        };
        true
    }

    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
    }

    /// The rows to draw for a viewport of `height` rows, keeping the selection in view.
    pub fn window(&self, len: usize, height: usize) -> std::ops::Range<usize> {
        self.page.set(height);
        let mut offset = self.offset.get().min(len.saturating_sub(1));
        if self.selected < offset {
            offset = self.selected;
        } else if height > 0 && self.selected >= offset + height {
            offset = self.selected + 1 - height;
        }
        if len <= height {
            offset = 0;
        }
        self.offset.set(offset);
        offset..(offset + height).min(len)
    }
}

/// A one-line text input used by filters and the title search.
#[derive(Debug, Default, Clone)]
pub struct LineInput {
    pub text: String,
}

impl LineInput {
    /// Applies an editing key; true when the text changed.
    pub fn edit(&mut self, key: &ratatui::crossterm::event::KeyEvent) -> bool {
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        match key.code {
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.text.clear();
                true
            }
            KeyCode::Char('w') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                let trimmed = self.text.trim_end();
                let cut = trimmed.rfind(' ').map_or(0, |i| i + 1);
                self.text.truncate(cut);
                true
            }
            KeyCode::Char(c)
                if !key.modifiers.contains(KeyModifiers::CONTROL)
                    && !key.modifiers.contains(KeyModifiers::ALT)
                    && !c.is_control() =>
            {
                self.text.push(c);
                true
            }
            KeyCode::Backspace => self.text.pop().is_some(),
            _ => false,
        }
    }
}

/// Keys while a `/` filter is being typed, shared by the lists that have one: Enter keeps the
/// filter, Esc clears it, arrows move, the rest edits. True when the filter text changed, so the
/// list must be filtered again.
pub fn filter_key(
    filter: &mut LineInput,
    filtering: &mut bool,
    cursor: &mut Cursor,
    len: usize,
    key: &ratatui::crossterm::event::KeyEvent,
    actions: &[Action],
) -> bool {
    use ratatui::crossterm::event::KeyCode;
    match key.code {
        KeyCode::Enter => {
            *filtering = false;
            cursor.selected = 0;
            false
        }
        KeyCode::Esc => {
            *filtering = false;
            filter.text.clear();
            true
        }
        KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown => {
            if let Some(a) = actions.first() {
                cursor.navigate(*a, len);
            }
            false
        }
        _ => {
            let changed = filter.edit(key);
            if changed {
                cursor.selected = 0;
            }
            changed
        }
    }
}

/// Column widths over `width` columns with one space between columns: the leading columns
/// take `percents` of the room, the last one what is left, so rows fill the width exactly.
pub fn columns(width: usize, percents: &[usize]) -> Vec<usize> {
    let rest = width.saturating_sub(percents.len());
    let mut cols: Vec<usize> = percents.iter().map(|p| rest * p / 100).collect();
    let used: usize = cols.iter().sum();
    cols.push(rest.saturating_sub(used));
    cols
}

/// One row of a table: each value fitted to its column, the selected row highlighted.
pub fn table_row<'a>(
    values: &[String],
    cols: &[usize],
    selected: bool,
    ctx: &crate::tui::ui::Ctx,
) -> ratatui::text::Line<'a> {
    let text: Vec<String> = cols
        .iter()
        .zip(values)
        .map(|(w, v)| crate::display::fit(v, *w))
        .collect();
    let line = ratatui::text::Line::raw(text.join(" "));
    if selected {
        line.style(ctx.theme.selected)
    } else {
        line
    }
}

/// "3m", "5h", "2d", or the date: short enough for a list column.
pub fn ago(timestamp: &str, now: chrono::DateTime<chrono::Utc>) -> String {
    let Ok(t) = chrono::DateTime::parse_from_rfc3339(timestamp) else {
        return crate::display::truncate(timestamp, 10);
    };
    let secs = (now - t.with_timezone(&chrono::Utc)).num_seconds();
    match secs {
        s if s < 60 => "now".to_string(),
        s if s < 3600 => format!("{}m ago", s / 60),
        s if s < 86_400 => format!("{}h ago", s / 3600),
        s if s < 86_400 * 30 => format!("{}d ago", s / 86_400),
        _ => t.format("%Y-%m-%d").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_follows_the_selection() {
        let mut c = Cursor::default();
        assert_eq!(c.window(100, 10), 0..10);
        c.selected = 15;
        assert_eq!(c.window(100, 10), 6..16);
        c.selected = 10;
        assert_eq!(c.window(100, 10), 6..16);
        c.selected = 2;
        assert_eq!(c.window(100, 10), 2..12);
        assert!(c.navigate(Action::Bottom, 100));
        assert_eq!(c.window(100, 10), 90..100);
        assert!(c.navigate(Action::PageUp, 100));
        assert_eq!(c.selected, 89);
    }
}
