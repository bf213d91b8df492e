//! What every screen and popup draws with: the drawing context, centred rectangles, the
//! scrolling cursor, the one-line input, the filtered list and table rows.

use super::action::Action;
use super::keymap::{Keymap, Mode, TextEdit};
use super::theme::Theme;
use crate::search::scoped::{self, Scoped};
use crate::search::{ListFilter, Matcher};
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashSet;

/// What every view needs to draw.
pub struct Ctx<'a> {
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    pub now: chrono::DateTime<chrono::Utc>,
}

impl Ctx<'_> {
    /// The keys of `action` in `mode`, as the hints write them.
    pub fn key(&self, mode: Mode, action: Action) -> String {
        self.keymap.label(mode, action)
    }
}

/// A rectangle of at most `w` x `h` in the middle of `area`, never larger than it.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Clears `rect` for a dialog drawn over a view. A wide character (CJK, emoji) starting in the
/// column just left of it would cover the dialog's left edge, so it is blanked too.
pub fn clear_for_overlay(frame: &mut Frame, rect: Rect) {
    frame.render_widget(ratatui::widgets::Clear, rect);
    if rect.x == 0 {
        return;
    }
    let buf = frame.buffer_mut();
    for y in rect.y..rect.y + rect.height {
        if let Some(cell) = buf.cell_mut((rect.x - 1, y)) {
            if crate::display::width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
}

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

    /// The height of the last window drawn (0 before the first).
    pub fn page(&self) -> usize {
        self.page.get()
    }

    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
    }

    /// The rows any window of at most `rows` rows (or the last one drawn) can show of a list
    /// of `len`: it holds the selection, so a screenful either side of it.
    pub fn around(&self, len: usize, rows: usize) -> std::ops::Range<usize> {
        let rows = rows.max(self.page());
        let end = self.selected.saturating_add(rows).min(len);
        self.selected.saturating_sub(rows).min(end)..end
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
    pub fn edit(&mut self, key: &KeyEvent) -> bool {
        match crate::tui::keymap::text_edit(key) {
            Some(TextEdit::Clear) => {
                self.text.clear();
                true
            }
            Some(TextEdit::DeleteWord) => {
                let trimmed = self.text.trim_end();
                let cut = trimmed.rfind(' ').map_or(0, |i| i + 1);
                self.text.truncate(cut);
                true
            }
            Some(TextEdit::Insert(c)) => {
                self.text.push(c);
                true
            }
            Some(TextEdit::DeleteBack) => {
                // The last cluster goes whole: a flag or a family, not its last code point.
                let last = crate::display::clusters(&self.text).next_back();
                let start = last.map(|(i, _, _)| i);
                start.map(|i| self.text.truncate(i)).is_some()
            }
            None => false,
        }
    }

    /// Takes a paste at the end of the text; true when the text changed.
    pub fn paste(&mut self, text: &str) -> bool {
        let text = pasted(text, false);
        self.text.push_str(&text);
        !text.is_empty()
    }
}

/// A paste as the field it lands in takes it: what typing could not enter (control and bidi
/// characters) is dropped, as keys would drop it, and in a one-line field each line break or
/// tab becomes a space, so the words stay apart and none spill into the next field.
pub fn pasted(text: &str, multiline: bool) -> String {
    use crate::domain::validate::sanitize;
    if multiline {
        // Terminals send a pasted line break as CR; sanitize makes CR and CR LF one LF.
        return sanitize(text, true);
    }
    let one_line = text.replace("\r\n", " ").replace(['\r', '\n', '\t'], " ");
    sanitize(&one_line, false)
}

/// A list with a `/` fuzzy filter: which rows of its owner's data are in view, best match
/// first, and the selection among them. The parent list and the detail view's contacts are both
/// one. The owner's texts are prepared once, when its rows change; a keystroke that types on
/// looks only among the rows the filter kept, and the rows are put in order as far as the view
/// can show (see [`ListFilter`]).
#[derive(Default)]
pub struct FilteredList {
    pub filter: LineInput,
    /// True while the filter takes the keys.
    pub filtering: bool,
    /// Indices into the owner's rows, in display order: every row that matches, in its final
    /// place up to a screenful past the selection (see [`FilteredList::settle`]).
    pub visible: Vec<usize>,
    pub cursor: Cursor,
    matcher: Matcher,
    /// The owner's texts, prepared when the filter is first used after the rows changed.
    texts: Option<ListFilter>,
    /// The owner's rows that may show, in its order: the last `refilter`'s.
    candidates: Vec<usize>,
    /// The most rows a view of this list can show, as far as the app knows.
    screen_rows: usize,
    /// The field terms of the filter (`title:cto org:acme`) that the app last worked out which
    /// rows keep, and those rows, by the owner's ids.
    scope: Option<(String, HashSet<i64>)>,
}

/// The field terms of a query, written back as one (see [`crate::ops::views::fields_only`]);
/// empty when it names no field.
fn terms_of(s: &Scoped) -> String {
    let all = crate::ops::views::Terms {
        title: true,
        org: true,
    };
    crate::ops::views::fields_only(s, all)
}

/// What the fuzzy filter matches of a query: the whole of it, unless it names fields, then its
/// free words alone (the fields are a predicate over the rows, see [`FilteredList::kept`]).
pub fn free_words(query: &str) -> Cow<'_, str> {
    if !query.contains(':') {
        return Cow::Borrowed(query);
    }
    let s = scoped::parse(query);
    match s.has_fields() {
        true => Cow::Owned(s.free),
        false => Cow::Borrowed(query),
    }
}

/// Rows put in order past the selection when the screen's height is not known yet: more than
/// any test or usual terminal shows.
pub const SCREEN_ROWS: usize = 64;

impl FilteredList {
    /// The owner's rows changed: the texts prepared for the old ones go.
    pub fn rows_changed(&mut self) {
        self.texts = None;
    }

    /// Filters again: `candidates` are the owner's rows that may show, in its order (rising);
    /// `texts` prepares what the filter matches each of the owner's rows on, if it must.
    pub fn refilter(
        &mut self,
        candidates: impl IntoIterator<Item = usize>,
        texts: impl FnOnce() -> ListFilter,
    ) {
        self.candidates.clear();
        self.candidates.extend(candidates);
        if self.texts.is_none() && self.filter.text.trim().is_empty() {
            // Nothing to match: no need to prepare anything yet.
            self.visible.clone_from(&self.candidates);
            self.cursor.clamp(self.visible.len());
            return;
        }
        let list = self.texts.get_or_insert_with(texts);
        list.filter(&free_words(&self.filter.text), &self.candidates);
        self.cursor.clamp(list.rows().len());
        self.settle(true);
    }

    /// The terminal is `rows` tall: no view of the list shows more rows than that.
    pub fn set_screen_rows(&mut self, rows: usize) {
        self.screen_rows = rows;
        self.settle(false);
    }

    /// Puts in their final place the rows from the top to a screenful past the selection, which
    /// is all any view can show (its window holds the selection), and copies them to `visible`.
    fn settle(&mut self, changed: bool) {
        let Some(list) = &mut self.texts else {
            return;
        };
        let room = self.screen_rows.max(self.cursor.page()).max(SCREEN_ROWS);
        let moved = list.settle(&self.matcher, self.cursor.selected.saturating_add(room));
        if changed || moved {
            self.visible.clear();
            self.visible.extend_from_slice(list.rows());
        }
    }

    /// The field terms of the filter as they are now, when the app has not worked out yet which
    /// rows they keep (see [`FilteredList::set_scope`]).
    pub fn scope_wanted(&self) -> Option<Scoped> {
        if !self.filter.text.contains(':') {
            return None;
        }
        let s = scoped::parse(&self.filter.text);
        let terms = terms_of(&s);
        let known = self.scope.as_ref().is_some_and(|(t, _)| *t == terms);
        (s.has_fields() && !known).then_some(s)
    }

    /// The rows (by the owner's ids) that the field terms `s` keep, as the app worked them out.
    pub fn set_scope(&mut self, s: &Scoped, keep: HashSet<i64>) {
        self.scope = Some((terms_of(s), keep));
    }

    /// The owner's rows changed: which ones the field terms keep must be worked out again.
    pub fn forget_scope(&mut self) {
        self.scope = None;
    }

    /// The ids of the rows the filter's field terms keep; None when it names no field (every
    /// row may show).
    pub fn kept(&self) -> Option<HashSet<i64>> {
        if !self.filter.text.contains(':') {
            return None;
        }
        let s = scoped::parse(&self.filter.text);
        if !s.has_fields() {
            return None;
        }
        let terms = terms_of(&s);
        Some(
            self.scope
                .as_ref()
                .filter(|(t, _)| *t == terms)
                .map(|(_, keep)| keep.clone())
                .unwrap_or_default(),
        )
    }

    /// While a filter is in use, puts the rows with a higher `score` first among those that
    /// match, the match's order kept between equals. Everything is put in order first: for
    /// short lists only (the contacts of one company).
    pub fn rank_first(&mut self, score: impl Fn(usize) -> f64) {
        if self.filter.text.trim().is_empty() {
            return;
        }
        if let Some(list) = &mut self.texts {
            list.settle(&self.matcher, usize::MAX);
            self.visible.clear();
            self.visible.extend_from_slice(list.rows());
        }
        self.visible.sort_by(|a, b| score(*b).total_cmp(&score(*a)));
    }

    /// The filter's texts, prepared by the owner ahead of [`FilteredList::start_filter`].
    pub fn set_texts(&mut self, texts: ListFilter) {
        self.texts = Some(texts);
    }

    pub fn has_texts(&self) -> bool {
        self.texts.is_some()
    }

    /// The owner's rows that any view can show: a screenful of `rows` either side of the
    /// selection (they are in their final order, see [`FilteredList::settle`]).
    pub fn in_view(&self, rows: usize) -> &[usize] {
        &self.visible[self.cursor.around(self.visible.len(), rows)]
    }

    /// The owner's index of the selected row.
    pub fn selected(&self) -> Option<usize> {
        self.visible.get(self.cursor.selected).copied()
    }

    /// Selects the first row in view for which `is` holds.
    pub fn select_where(&mut self, is: impl Fn(usize) -> bool) {
        let Some(pos) = self.visible.iter().position(|&i| is(i)) else {
            return;
        };
        if let Some(list) = self.texts.as_mut().filter(|l| !l.is_settled(pos)) {
            // Where it is not in its place yet: everything is put in place first.
            list.settle(&self.matcher, usize::MAX);
            self.visible.clear();
            self.visible.extend_from_slice(list.rows());
        }
        if let Some(pos) = self.visible.iter().position(|&i| is(i)) {
            self.cursor.selected = pos;
            self.settle(false);
        }
    }

    /// Moves the selection; false when the action is not a move.
    pub fn navigate(&mut self, action: Action) -> bool {
        let moved = self.cursor.navigate(action, self.visible.len());
        if moved {
            self.settle(false);
        }
        moved
    }

    /// The filter takes the keys; `texts` prepares what it matches the owner's rows on, if it
    /// must (once after the rows changed, so that no keystroke waits for it).
    pub fn start_filter(&mut self, texts: impl FnOnce() -> ListFilter) {
        self.filtering = true;
        self.texts.get_or_insert_with(texts);
    }

    /// Drops a kept filter; false when there was none, so that the key can mean "back".
    pub fn clear_filter(&mut self) -> bool {
        if self.filter.text.is_empty() {
            return false;
        }
        self.filter.text.clear();
        true
    }

    /// A key while the filter is typed (`Mode::Search`): `open` keeps the filter, `back`
    /// clears it, moves move, the rest edits. True when the text changed, so the owner must
    /// filter again.
    pub fn filter_key(&mut self, action: Option<Action>, key: &KeyEvent) -> bool {
        match action {
            Some(Action::Open) => {
                self.filtering = false;
                self.cursor.selected = 0;
                false
            }
            Some(Action::Back) => {
                self.filtering = false;
                self.filter.text.clear();
                true
            }
            Some(a) => {
                self.navigate(a);
                false
            }
            None => {
                let changed = self.filter.edit(key);
                if changed {
                    self.cursor.selected = 0;
                }
                changed
            }
        }
    }

    /// A paste while the filter is typed; true when the filter changed.
    pub fn paste(&mut self, text: &str) -> bool {
        let changed = self.filtering && self.filter.paste(text);
        if changed {
            self.cursor.selected = 0;
        }
        changed
    }

    /// " /text▏" while typed, " /text" when kept, nothing without a filter; in at most `room`
    /// columns. Cut short, it keeps the end of the text, where the typing is.
    pub fn label(&self, room: usize) -> String {
        if !self.filtering && self.filter.text.is_empty() {
            return String::new();
        }
        let cursor = if self.filtering { "▏" } else { "" };
        let text_room = room.saturating_sub(2 + crate::display::width(cursor));
        format!(
            " /{}{cursor}",
            crate::display::keep_end(&self.filter.text, text_room)
        )
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
    ctx: &Ctx,
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

/// `text` in lines of at most `width` columns, broken between words; a word longer than a
/// line is broken between grapheme clusters.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    use crate::display::width as w;
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for mut word in text.split_whitespace() {
        loop {
            let sep = usize::from(!line.is_empty());
            if w(&line) + sep + w(word) <= width {
                if sep == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                break;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            let cut = longest_start(word, width);
            lines.push(word[..cut].to_string());
            word = &word[cut..];
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Where to cut `word` so that its start takes at most `width` columns, between clusters; at
/// least one cluster, which goes alone on its line when not even it fits.
fn longest_start(word: &str, width: usize) -> usize {
    let mut used = 0;
    let mut cut = 0;
    for (i, g, w) in crate::display::clusters(word) {
        if cut > 0 && used + w > width {
            break;
        }
        used += w;
        cut = i + g.len();
    }
    cut
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
