//! One generic modal form over ratatui-textarea fields; the contact, lead, customer, note, email
//! and reason forms are field lists for it (see `fields.rs`). It also holds the two questions a
//! form can ask: whether to drop what was typed, and what to do after a conflict.

mod clusters;
pub mod fields;
pub mod saving;

use crate::display::{fit, truncate};
use crate::tui::action::Action;
use crate::tui::keymap::{Hint, Keymap, Mode};
use crate::tui::msg::Msg;
use crate::tui::widgets::{centered, clear_for_overlay, pasted, wrap, Ctx};
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use ratatui_textarea::TextArea;

pub use fields::Purpose;

pub struct Field {
    /// The name the domain's errors use ("email", "first_name").
    pub key: &'static str,
    pub label: &'static str,
    pub area: TextArea<'static>,
    pub multiline: bool,
    pub error: Option<String>,
    /// How many control or bidi characters the stored value held: they are shown as visible
    /// stand-ins (see [`visible`]) and left out when the form is saved.
    pub unsafe_chars: usize,
    /// The stand-ins the field shows, each once, for its note.
    stand_ins: String,
    initial: String,
    scroll: clusters::Scroll,
}

/// What stands in, in a field, for a character typing could not enter: the control picture of
/// a C0 control or DEL (`␛` for ESC), else U+FFFD (C1 controls and bidi overrides have none).
/// One character for one, so the cursor and Backspace move over it as over the character.
fn stand_in(c: char) -> char {
    match c {
        '\0'..='\x1f' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'),
        '\x7f' => '\u{2421}',
        _ => '\u{FFFD}',
    }
}

fn is_stand_in(c: char) -> bool {
    matches!(c, '\u{2400}'..='\u{2421}' | '\u{FFFD}')
}

/// A stored value as a field shows it, how many characters in it had to be stood in for, and
/// the stand-ins used (each once).
fn visible(value: &str, multiline: bool) -> (String, usize, String) {
    use crate::domain::validate::is_forbidden;
    let mut count = 0;
    let mut used = String::new();
    let text = value
        .chars()
        .map(|c| {
            if !is_forbidden(c, multiline) {
                c
            } else if !multiline && matches!(c, '\n' | '\t') {
                ' '
            } else {
                count += 1;
                let s = stand_in(c);
                if !used.contains(s) {
                    used.push(s);
                }
                s
            }
        })
        .collect();
    (text, count, used)
}

impl Field {
    pub fn new(
        key: &'static str,
        label: &'static str,
        value: Option<&str>,
        multiline: bool,
    ) -> Field {
        // CR LF is one line break, as the store's rules take it, not a CR to stand in for.
        let stored = value.unwrap_or("").replace("\r\n", "\n");
        let (value, unsafe_chars, stand_ins) = visible(&stored, multiline);
        let lines: Vec<String> = if multiline {
            value.lines().map(str::to_string).collect()
        } else {
            vec![value]
        };
        let mut area = TextArea::new(if lines.is_empty() {
            vec![String::new()]
        } else {
            lines
        });
        area.set_cursor_line_style(Style::default());
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        let mut field = Field {
            key,
            label,
            area,
            multiline,
            error: None,
            unsafe_chars,
            stand_ins,
            initial: String::new(),
            scroll: clusters::Scroll::default(),
        };
        // Unchanged is what saving as it stands would store, so an untouched form closes
        // without asking.
        field.initial = field.value();
        field
    }

    /// The text as it is saved. In a field whose stored value held control characters, their
    /// stand-ins go: saving then removes what the field said it would, and nothing that could
    /// not be saved blocks the rest of the form.
    pub fn value(&self) -> String {
        let text = self.area.lines().join("\n");
        if self.unsafe_chars == 0 {
            return text;
        }
        text.chars().filter(|&c| !is_stand_in(c)).collect()
    }

    /// What the field says under itself: its error, else what was done to its stored value.
    fn note(&self) -> Option<(String, bool)> {
        if let Some(e) = &self.error {
            return Some((e.clone(), true));
        }
        let shown: Vec<String> = self.stand_ins.chars().map(String::from).collect();
        let shown = shown.join(" ");
        // Short enough for the field's width at 80 columns.
        let note = match self.unsafe_chars {
            0 => return None,
            1 => format!("{shown} control character: saving drops it"),
            _ => format!("{shown} control characters: saving drops them"),
        };
        Some((note, false))
    }

    /// The rows the field takes, its note included.
    fn rows(&self) -> u16 {
        self.height() + u16::from(self.note().is_some())
    }

    pub fn set_value(&mut self, value: &str) {
        let lines: Vec<String> = value.lines().map(str::to_string).collect();
        self.area = TextArea::new(if lines.is_empty() {
            vec![String::new()]
        } else {
            lines
        });
        self.area.set_cursor_line_style(Style::default());
        self.area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        self.area.move_cursor(ratatui_textarea::CursorMove::End);
    }

    fn height(&self) -> u16 {
        if self.multiline {
            4
        } else {
            1
        }
    }
}

/// Someone else saved the record while this form was open.
pub struct Conflict {
    /// Field label, their value, this form's value: the fields that differ.
    pub differences: Vec<(&'static str, String, String)>,
    /// The version the store has now; saving over it uses this.
    pub current_version: i64,
}

pub struct Form {
    pub title: String,
    pub purpose: Purpose,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Asking whether to throw away what was typed.
    pub confirm_cancel: bool,
    /// The question was asked by Ctrl-C: yes quits kith, not only the form.
    quit_on_confirm: bool,
    pub conflict: Option<Conflict>,
    /// Titles in use that fit what is typed in the title field, computed once per keystroke.
    pub suggestions: Vec<String>,
    /// The highlighted title suggestion, if any.
    pub suggestion: Option<usize>,
    /// Every title in use, most used first: what the suggestions are taken from.
    titles: std::sync::Arc<Vec<String>>,
    /// An error that belongs to no field, or what is going on ("Sending…").
    pub error: Option<String>,
    /// The email is on its way: keys wait until the server has answered.
    pub sending: bool,
    /// The contact being edited as it was read: what the form does not show is kept from it.
    pub base: Option<Box<crate::domain::ContactFields>>,
}

impl Form {
    pub fn new(title: impl Into<String>, purpose: Purpose, fields: Vec<Field>) -> Form {
        Form {
            title: title.into(),
            purpose,
            fields,
            focus: 0,
            confirm_cancel: false,
            quit_on_confirm: false,
            conflict: None,
            suggestions: Vec::new(),
            suggestion: None,
            titles: Default::default(),
            error: None,
            sending: false,
            base: None,
        }
    }

    /// The titles in use, for the title field's suggestions.
    pub fn set_titles(&mut self, titles: std::sync::Arc<Vec<String>>) {
        self.titles = titles;
        self.suggest();
    }

    /// Which key map applies: the form's, or the dialog's while it asks a question.
    pub fn mode(&self) -> Mode {
        if self.confirm_cancel || self.conflict.is_some() {
            Mode::Dialog
        } else {
            Mode::Form
        }
    }

    pub fn get(&self, key: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(Field::value)
            .unwrap_or_default()
    }

    /// Optional value: empty becomes `None`.
    pub fn opt(&self, key: &str) -> Option<String> {
        Some(self.get(key)).filter(|v| !v.trim().is_empty())
    }

    pub fn is_dirty(&self) -> bool {
        self.fields.iter().any(|f| f.value() != f.initial)
    }

    /// Ctrl-C over typed text asks first, as Esc does, since quitting would lose it; `false`
    /// when there is nothing to lose or the question is already asked (a second Ctrl-C quits).
    pub fn ask_before_quitting(&mut self) -> bool {
        if self.confirm_cancel || self.sending || !self.is_dirty() {
            return false;
        }
        self.confirm_cancel = true;
        self.quit_on_confirm = true;
        true
    }

    /// Before saving over a newer version: every field this person left as it was takes the
    /// value `stored` (the record as it is now) has, and so does what the form does not show.
    /// Only what they typed then overwrites the other process's change.
    pub fn keep_unchanged_from(&mut self, stored: Form) {
        let mut theirs = stored.fields;
        for field in &mut self.fields {
            if field.value() != field.initial {
                continue;
            }
            if let Some(i) = theirs.iter().position(|t| t.key == field.key) {
                *field = theirs.swap_remove(i);
            }
        }
        if stored.base.is_some() {
            self.base = stored.base;
        }
    }

    /// Puts an error on the field it names, or on the form when no field has that name.
    pub fn set_error(&mut self, field: &str, message: String) {
        for f in &mut self.fields {
            f.error = None;
        }
        match self.fields.iter().position(|f| f.key == field) {
            Some(i) => {
                self.fields[i].error = Some(message);
                self.focus = i;
                self.error = None;
            }
            None => self.error = Some(message),
        }
    }

    pub fn focused(&self) -> &Field {
        &self.fields[self.focus]
    }

    /// Recomputes the title suggestions after the focus or the text moved.
    fn suggest(&mut self) {
        let f = self.focused();
        self.suggestions = if f.key == "title" {
            crate::search::suggestions(
                &crate::search::Matcher::default(),
                &f.value(),
                &self.titles,
                5,
            )
        } else {
            Vec::new()
        };
    }

    /// Replaces the focused field's text (from $EDITOR).
    pub fn set_focused_value(&mut self, text: &str) {
        self.fields[self.focus].set_value(text);
        self.suggest();
    }

    fn move_focus(&mut self, to: usize) {
        self.focus = to % self.fields.len();
        self.suggestion = None;
        self.suggest();
    }

    /// A key press; the form asks the app for what it cannot do itself (save, $EDITOR).
    pub fn handle(&mut self, key: &KeyEvent, keymap: &Keymap) -> Option<Msg> {
        if self.sending {
            return None;
        }
        let mode = self.mode();
        let actions = keymap.actions(mode, key);
        let is = |a: Action| actions.contains(&a);
        if self.confirm_cancel {
            self.confirm_cancel = false;
            let quit = std::mem::take(&mut self.quit_on_confirm);
            return is(Action::Confirm).then_some(if quit { Msg::Quit } else { Msg::Cancelled });
        }
        if self.conflict.is_some() {
            if is(Action::Reload) {
                return Some(Msg::ReloadForm);
            }
            if is(Action::Overwrite) {
                return Some(Msg::Overwrite);
            }
            if is(Action::Back) {
                self.conflict = None;
            }
            return None;
        }
        if is(Action::Save) {
            return Some(Msg::Submit);
        }
        if is(Action::Cancel) {
            if self.is_dirty() {
                self.confirm_cancel = true;
                return None;
            }
            return Some(Msg::Cancelled);
        }
        if is(Action::NextField) {
            self.move_focus(self.focus + 1);
            return None;
        }
        if is(Action::PrevField) {
            self.move_focus(self.focus + self.fields.len() - 1);
            return None;
        }
        if is(Action::Editor) && self.focused().multiline {
            return Some(Msg::EditField);
        }
        if !self.suggestions.is_empty() {
            let n = self.suggestions.len();
            if is(Action::Down) {
                self.suggestion = Some(self.suggestion.map_or(0, |s| (s + 1) % n));
                return None;
            }
            if is(Action::Up) {
                self.suggestion = self.suggestion.and_then(|s| s.checked_sub(1));
                return None;
            }
            if is(Action::Open) {
                if let Some(s) = self.suggestion.and_then(|i| self.suggestions.get(i)) {
                    let s = s.clone();
                    self.fields[self.focus].set_value(&s);
                    self.suggestion = None;
                    self.suggest();
                    return None;
                }
            }
        }
        if is(Action::Open) && !self.focused().multiline {
            // Enter in a one-line field moves on, as in most forms.
            self.move_focus(self.focus + 1);
            return None;
        }
        let input = ratatui_textarea::Input::from(*key);
        let field = &mut self.fields[self.focus];
        // A one-line field takes no line break, whatever key would make one.
        if !field.multiline && matches!(input.key, ratatui_textarea::Key::Enter) {
            return None;
        }
        clusters::input(&mut field.area, input);
        field.error = None;
        self.suggestion = None;
        self.suggest();
        None
    }

    /// A paste into the focused field, as one edit. While the form asks a question or sends,
    /// it is ignored, as typed text is.
    pub fn paste(&mut self, text: &str) {
        if self.sending || self.mode() != Mode::Form {
            return;
        }
        let field = &mut self.fields[self.focus];
        field.area.insert_str(pasted(text, field.multiline));
        field.error = None;
        self.suggestion = None;
        self.suggest();
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let suggestions = &self.suggestions;
        // The title suggestions open under the title field and push the fields below it down,
        // so that none is drawn over another field.
        let rows = |(i, f): (usize, &Field)| {
            f.rows()
                + if i == self.focus {
                    suggestions.len() as u16
                } else {
                    0
                }
        };
        let want_h: u16 = self.fields.iter().enumerate().map(rows).sum::<u16>() + 4;
        let rect = centered(area, 72, want_h);
        clear_for_overlay(frame, rect);
        // While the form asks a question (a conflict, whether to discard), its keys are the
        // question's: the border names none.
        let hint = if self.mode() != Mode::Form {
            String::new()
        } else {
            let items = [
                Hint::One(Action::Save, "save"),
                Hint::One(Action::Cancel, "cancel"),
                Hint::One(Action::NextField, "next"),
            ];
            let room = rect.width.saturating_sub(4) as usize;
            format!(" {} ", ctx.keymap.fit(Mode::Form, &items, " · ", room))
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(ctx.theme.accent)
            .title(Span::styled(
                format!(
                    " {} ",
                    truncate(&self.title, rect.width.saturating_sub(4) as usize)
                ),
                ctx.theme.accent,
            ))
            .title_bottom(Span::styled(
                truncate(&hint, rect.width.saturating_sub(2) as usize),
                ctx.theme.muted,
            ));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        if inner.height == 0 || inner.width < 4 {
            return;
        }

        if let Some(c) = &self.conflict {
            self.render_conflict(frame, inner, ctx, c);
            return;
        }

        let label_w: u16 = match inner.width {
            w if w >= 60 => 14,
            w if w >= 30 => 9,
            _ => 0,
        };
        // Rows each field takes; when they do not all fit, a window around the focused one.
        let heights: Vec<u16> = self.fields.iter().enumerate().map(rows).collect();
        let footer = u16::from(self.error.is_some() || self.confirm_cancel);
        let room = inner.height.saturating_sub(footer);
        let mut start = 0;
        while start < self.focus && heights[start..=self.focus].iter().sum::<u16>() > room {
            start += 1;
        }
        let mut y = inner.y;
        let bottom = inner.y + room;
        for (i, f) in self.fields.iter().enumerate().skip(start) {
            let h = f.height().min(bottom.saturating_sub(y));
            if h == 0 {
                break;
            }
            let focused = i == self.focus;
            let label_style = if focused {
                ctx.theme.accent
            } else {
                ctx.theme.muted
            };
            if label_w > 0 {
                frame.render_widget(
                    Span::styled(fit(f.label, label_w as usize - 1), label_style),
                    Rect::new(inner.x, y, label_w, 1),
                );
            }
            let field_rect = Rect::new(inner.x + label_w, y, inner.width - label_w, h);
            // A field without focus shows the start of its value, not wherever its cursor is.
            let view = clusters::View {
                area: &f.area,
                focused,
                style: Style::default(),
                cursor: Style::default().add_modifier(ratatui::style::Modifier::REVERSED),
                selection: ctx.theme.selected,
                placeholder: (label_w == 0).then_some((f.label, ctx.theme.muted)),
            };
            view.render(field_rect, frame.buffer_mut(), &f.scroll);
            y += h;
            if let Some((note, is_error)) = f.note() {
                if y < bottom {
                    let style = if is_error {
                        ctx.theme.error
                    } else {
                        ctx.theme.muted
                    };
                    frame.render_widget(
                        Line::styled(
                            truncate(&format!("↑ {note}"), (inner.width - label_w) as usize),
                            style,
                        ),
                        Rect::new(inner.x + label_w, y, inner.width - label_w, 1),
                    );
                    y += 1;
                }
            }
            if focused && !suggestions.is_empty() && y < bottom {
                let n = (suggestions.len() as u16).min(bottom - y);
                let sw = (inner.width - label_w).min(40);
                let r = Rect::new(inner.x + label_w, y, sw, n);
                let lines: Vec<Line> = suggestions
                    .iter()
                    .take(n as usize)
                    .enumerate()
                    .map(|(k, s)| {
                        let style = if Some(k) == self.suggestion {
                            ctx.theme.selected
                        } else {
                            ctx.theme.muted
                        };
                        Line::styled(fit(&format!("↳ {s}"), sw as usize), style)
                    })
                    .collect();
                frame.render_widget(Paragraph::new(lines), r);
                y += n;
            }
        }
        if footer > 0 {
            let (text, style) = if self.confirm_cancel {
                (
                    discard_question(ctx, inner.width as usize, self.quit_on_confirm),
                    ctx.theme.error,
                )
            } else {
                (self.error.clone().unwrap_or_default(), ctx.theme.error)
            };
            frame.render_widget(
                Line::styled(truncate(&text, inner.width as usize), style),
                Rect::new(inner.x, inner.y + inner.height - 1, inner.width, 1),
            );
        }
    }

    /// The status bar's line under the form, in `width` columns: the form's keys its border
    /// has no room for. Not the screen's behind it, whose letters are typed text here.
    pub fn status_hint(&self, keymap: &Keymap, width: usize) -> String {
        let mut items = vec![
            Hint::One(Action::Help, "help"),
            Hint::One(Action::PrevField, "previous"),
        ];
        if self.focused().multiline {
            items.push(Hint::One(Action::Editor, "$EDITOR"));
        }
        items.push(Hint::One(Action::ForceQuit, "quit"));
        keymap.fit(Mode::Form, &items, "  ", width)
    }

    /// Both versions of every field that differs, side by side when they fit, else one above
    /// the other, wrapped: the dialog's room goes to the values before anything is cut. The
    /// keys keep the last row.
    fn render_conflict(&self, frame: &mut Frame, inner: Rect, ctx: &Ctx, c: &Conflict) {
        let w = inner.width as usize;
        let col = (w.saturating_sub(13)) / 2;
        let one_line = |v: &str| v.replace('\n', " ");
        let mut lines: Vec<Line> = wrap("Someone else saved this record while you edited it.", w)
            .into_iter()
            .map(|l| Line::styled(l, ctx.theme.error))
            .collect();
        let side_by_side = c.differences.iter().all(|(_, theirs, yours)| {
            crate::display::width(&one_line(theirs)) <= col
                && crate::display::width(&one_line(yours)) <= col
        });
        if side_by_side {
            lines.push(Line::styled(
                format!(
                    "{} {} {}",
                    fit("Field", 11),
                    fit("Theirs", col),
                    fit("Yours", col)
                ),
                ctx.theme.bold,
            ));
            for (label, theirs, yours) in &c.differences {
                lines.push(Line::raw(format!(
                    "{} {} {}",
                    fit(label, 11),
                    fit(&one_line(theirs), col),
                    fit(&one_line(yours), col)
                )));
            }
        } else {
            let indent = 9;
            for (label, theirs, yours) in &c.differences {
                lines.push(Line::styled(truncate(label, w), ctx.theme.bold));
                for (whose, value) in [("Theirs", theirs), ("Yours", yours)] {
                    let value = wrap(&one_line(value), w.saturating_sub(indent));
                    for (k, part) in value.into_iter().enumerate() {
                        let head = if k == 0 { whose } else { "" };
                        lines.push(Line::from(vec![
                            Span::styled(format!("  {head:<6} "), ctx.theme.muted),
                            Span::raw(part),
                        ]));
                    }
                }
            }
        }
        let [body, keys] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
        if lines.len() > body.height as usize && body.height > 0 {
            // More than the dialog holds: its last row says so.
            lines.truncate(body.height as usize - 1);
            lines.push(Line::styled("…", ctx.theme.muted));
        }
        frame.render_widget(Paragraph::new(lines), body);
        frame.render_widget(Line::styled(conflict_hint(ctx, w), ctx.theme.accent), keys);
    }
}

/// The question Esc (or Ctrl-C, `quitting`) asks after typing, in `width` columns: shorter when the keys would not
/// fit beside it.
fn discard_question(ctx: &Ctx, width: usize, quitting: bool) -> String {
    let keys = [
        Hint::One(Action::Confirm, "yes"),
        Hint::Text("any other key no"),
    ];
    let asked = if quitting {
        "Quit and discard what you typed?"
    } else {
        "Discard what you typed?"
    };
    let long = format!(
        "{asked} {}",
        ctx.keymap.fit(Mode::Dialog, &keys, " · ", usize::MAX)
    );
    if crate::display::width(&long) <= width {
        return long;
    }
    let room = width.saturating_sub("Discard? ".len());
    format!(
        "Discard? {}",
        ctx.keymap.fit(Mode::Dialog, &keys, " · ", room)
    )
}

/// The conflict dialog's keys in `width` columns, said at length when there is room.
fn conflict_hint(ctx: &Ctx, width: usize) -> String {
    let long = [
        Hint::One(Action::Reload, "reload theirs (drop yours)"),
        Hint::One(Action::Overwrite, "overwrite with yours"),
        Hint::One(Action::Back, "keep editing"),
    ];
    let said = ctx.keymap.fit(Mode::Dialog, &long, " · ", usize::MAX);
    if crate::display::width(&said) <= width {
        return said;
    }
    let short = [
        Hint::One(Action::Reload, "reload"),
        Hint::One(Action::Overwrite, "overwrite"),
        Hint::One(Action::Back, "edit"),
    ];
    ctx.keymap.fit(Mode::Dialog, &short, " · ", width)
}
