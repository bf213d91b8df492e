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
use super::widgets::Ctx;
use super::widgets::FilteredList;
use help::HelpFor;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;

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

/// What every screen does for the app, which only routes to the one in view: the key map its
/// keys are read with, what a key or a paste means, its drawing, its status line, and whose
/// keys its help lists.
pub trait View {
    fn mode(&self) -> Mode;
    fn handle(&mut self, key: &KeyEvent, keymap: &Keymap) -> Option<Msg>;
    /// A paste (bracketed by the terminal); most screens take no text.
    fn paste(&mut self, _text: &str) -> Option<Msg> {
        None
    }
    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx);
    fn status_hint(&self, keymap: &Keymap, width: usize) -> String;
    fn help(&self) -> HelpFor;
}

impl Screen {
    pub fn view(&self) -> &dyn View {
        match self {
            Screen::Detail(s) => s.as_ref(),
            Screen::Titles(s) => s.as_ref(),
            Screen::Dupes(s) => s.as_ref(),
            Screen::Merge(s) => s.as_ref(),
            Screen::Today(s) => s.as_ref(),
            Screen::People(s) => s.as_ref(),
            Screen::Person(s) => s.as_ref(),
            Screen::Pager(s) => s.as_ref(),
            Screen::Find(s) => s.as_ref(),
        }
    }

    pub fn view_mut(&mut self) -> &mut dyn View {
        match self {
            Screen::Detail(s) => s.as_mut(),
            Screen::Titles(s) => s.as_mut(),
            Screen::Dupes(s) => s.as_mut(),
            Screen::Merge(s) => s.as_mut(),
            Screen::Today(s) => s.as_mut(),
            Screen::People(s) => s.as_mut(),
            Screen::Person(s) => s.as_mut(),
            Screen::Pager(s) => s.as_mut(),
            Screen::Find(s) => s.as_mut(),
        }
    }
}

/// [`View`] for a screen whose own methods of the same names do the work; `filtered` for one
/// whose keys go through [`FilteredScreen`], `pastes` for one that takes text.
macro_rules! view {
    ($t:ty, $help:expr, filtered) => {
        impl View for $t {
            fn mode(&self) -> Mode {
                FilteredScreen::mode(self)
            }
            fn handle(&mut self, key: &KeyEvent, keymap: &Keymap) -> Option<Msg> {
                FilteredScreen::handle(self, key, keymap)
            }
            fn paste(&mut self, text: &str) -> Option<Msg> {
                FilteredScreen::paste(self, text)
            }
            view!(@common $t, $help);
        }
    };
    ($t:ty, $help:expr, pastes) => {
        impl View for $t {
            fn mode(&self) -> Mode {
                <$t>::mode(self)
            }
            fn handle(&mut self, key: &KeyEvent, keymap: &Keymap) -> Option<Msg> {
                <$t>::handle(self, key, keymap)
            }
            fn paste(&mut self, text: &str) -> Option<Msg> {
                <$t>::paste(self, text)
            }
            view!(@common $t, $help);
        }
    };
    ($t:ty, $help:expr) => {
        impl View for $t {
            fn mode(&self) -> Mode {
                <$t>::mode(self)
            }
            fn handle(&mut self, key: &KeyEvent, keymap: &Keymap) -> Option<Msg> {
                <$t>::handle(self, key, keymap)
            }
            view!(@common $t, $help);
        }
    };
    (@common $t:ty, $help:expr) => {
        fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
            <$t>::draw(self, frame, area, ctx)
        }
        fn status_hint(&self, keymap: &Keymap, width: usize) -> String {
            <$t>::status_hint(self, keymap, width)
        }
        fn help(&self) -> HelpFor {
            $help
        }
    };
}

view!(parent_list::ParentList, HelpFor::ParentList, filtered);
view!(detail::Detail, HelpFor::Detail, filtered);
view!(people::People, HelpFor::People, filtered);
view!(title_search::TitleSearch, HelpFor::TitleSearch, pastes);
view!(find::Find, HelpFor::Find, pastes);
view!(dupes::Dupes, HelpFor::Dupes);
view!(merge::MergeView, HelpFor::Merge);
view!(today::Today, HelpFor::Today);
view!(person::PersonCard, HelpFor::Person);

impl View for pager::Pager {
    fn mode(&self) -> Mode {
        pager::Pager::mode(self)
    }
    fn handle(&mut self, key: &KeyEvent, keymap: &Keymap) -> Option<Msg> {
        pager::Pager::handle(self, key, keymap)
    }
    fn paste(&mut self, text: &str) -> Option<Msg> {
        pager::Pager::paste(self, text);
        None
    }
    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        pager::Pager::draw(self, frame, area, ctx)
    }
    fn status_hint(&self, keymap: &Keymap, width: usize) -> String {
        pager::Pager::status_hint(self, keymap, width)
    }
    fn help(&self) -> HelpFor {
        HelpFor::Pager
    }
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
