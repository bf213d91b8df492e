//! The screens of the TUI: the parent list at the bottom, then the detail view, the title
//! search, the duplicates (and over them the merge view) or the Today screen on top of it, and
//! help over everything. Each owns its state, its keys and its drawing;
//! none touches the store.

pub mod detail;
pub mod dupes;
pub mod find;
pub mod help;
pub mod merge;
pub mod pager;
pub mod parent_list;
pub mod people;
pub mod person;
pub mod title_search;
pub mod today;

use super::action::Action;
use super::keymap::{Hint, Keymap, Mode};
use super::msg::Msg;
use super::widgets::FilteredList;
use ratatui::crossterm::event::KeyEvent;

/// A screen stacked over the parent list.
pub enum Screen {
    Detail(Box<detail::Detail>),
    Titles(Box<title_search::TitleSearch>),
    Dupes(Box<dupes::Dupes>),
    Merge(Box<merge::MergeView>),
    Today(Box<today::Today>),
    People(Box<people::People>),
    Person(Box<person::PersonCard>),
    Pager(Box<pager::Pager>),
    Find(Box<find::Find>),
}

/// The status bar's line while a `/` filter is typed: its letters are text then, so only the
/// keys of a search are named.
pub fn filter_hint(keymap: &Keymap, width: usize) -> String {
    let items = [
        Hint::One(Action::Open, "keep"),
        Hint::One(Action::Back, "clear"),
        Hint::Pair(Action::Up, Action::Down, "move"),
        Hint::One(Action::Help, "help"),
    ];
    keymap.fit(Mode::Search, &items, "  ", width)
}

/// A screen whose list has a `/` filter (the parent list, the detail view's contacts): while
/// the filter is typed it takes the keys; otherwise each action the key means is tried in turn.
pub trait FilteredScreen {
    /// The key map while the filter is not being typed.
    const MODE: Mode;

    fn view(&self) -> &FilteredList;
    fn view_mut(&mut self) -> &mut FilteredList;
    /// Filters the screen's rows again.
    fn refilter(&mut self);
    /// What an action does here: None when the screen does not know it, Some(None) when it was
    /// done in place.
    fn act(&mut self, action: Action) -> Option<Option<Msg>>;

    fn mode(&self) -> Mode {
        if self.view().filtering {
            Mode::Search
        } else {
            Self::MODE
        }
    }

    fn handle(&mut self, key: &KeyEvent, keymap: &Keymap) -> Option<Msg> {
        let actions = keymap.actions(self.mode(), key);
        if self.view().filtering {
            if self.view_mut().filter_key(actions.first().copied(), key) {
                return self.filter_changed();
            }
            return None;
        }
        actions.iter().find_map(|a| self.act(*a)).flatten()
    }

    /// The filter's text changed: filtered again, unless it names fields whose rows the app
    /// must work out first (it filters again then).
    fn filter_changed(&mut self) -> Option<Msg> {
        if self.view().scope_wanted().is_some() {
            return Some(Msg::FilterScoped);
        }
        self.refilter();
        None
    }

    /// A paste goes to the filter while it is typed; elsewhere nothing takes text.
    fn paste(&mut self, text: &str) -> Option<Msg> {
        if self.view_mut().paste(text) {
            return self.filter_changed();
        }
        None
    }
}
