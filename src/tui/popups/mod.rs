//! The popups over a screen: each owns its state, its keys and its drawing, and returns a Msg.
//! One is open at a time.

pub mod confirm;
pub mod form;
pub mod history;
pub mod parent_picker;
pub mod status_picker;

use super::keymap::{Keymap, Mode};
use super::msg::Msg;
use super::widgets::Ctx;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;

pub enum Popup {
    Form(Box<form::Form>),
    Confirm(confirm::Confirm),
    Status(Box<status_picker::StatusPicker>),
    Picker(Box<parent_picker::ParentPicker>),
    History(Box<history::HistoryView>),
}

impl Popup {
    pub fn form(form: form::Form) -> Popup {
        Popup::Form(Box::new(form))
    }

    /// Which key map the popup's keys are read with.
    pub fn mode(&self) -> Mode {
        match self {
            Popup::Form(f) => f.mode(),
            Popup::Picker(_) => Mode::Search,
            Popup::Confirm(_) | Popup::Status(_) | Popup::History(_) => Mode::Dialog,
        }
    }

    pub fn handle(&mut self, key: &KeyEvent, keymap: &Keymap) -> Option<Msg> {
        // A form reads its keys itself: it changes mode when it asks a question.
        if let Popup::Form(f) = self {
            return f.handle(key, keymap);
        }
        let actions = keymap.actions(self.mode(), key);
        match self {
            Popup::Form(_) => None,
            Popup::Confirm(c) => c.handle(actions),
            Popup::Status(s) => s.handle(actions),
            Popup::Picker(p) => p.handle(actions.first().copied(), key),
            Popup::History(h) => h.handle(actions),
        }
    }

    /// A paste: the popups that take text take it; the others ignore it, as they ignore text.
    pub fn paste(&mut self, text: &str) {
        match self {
            Popup::Form(f) => f.paste(text),
            Popup::Picker(p) => p.paste(text),
            Popup::Confirm(_) | Popup::Status(_) | Popup::History(_) => {}
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        match self {
            Popup::Form(f) => f.draw(frame, area, ctx),
            Popup::Confirm(c) => c.draw(frame, area, ctx),
            Popup::Status(s) => s.draw(frame, area, ctx),
            Popup::Picker(p) => p.draw(frame, area, ctx),
            Popup::History(h) => h.draw(frame, area, ctx),
        }
    }
}
