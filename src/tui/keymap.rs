//! Keys from the config: one key map per mode (list, detail, search, form, dialog), and which
//! actions a key press means there.
//!
//! Key names: a character (`q`, `G`, `?`), or `enter`, `esc`, `tab`, `backtab`, `backspace`,
//! `delete`, `up`, `down`, `left`, `right`, `home`, `end`, `pgup`, `pgdn`, `space`, `f1`-`f12`,
//! each optionally prefixed by `ctrl-` and/or `alt-`.

use super::action::Action;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::{Deserialize, Deserializer};
use std::collections::HashMap;

/// One key, as written in the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut rest = text;
        let (mut ctrl, mut alt) = (false, false);
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.len() > 5 && lower.starts_with("ctrl-") {
                ctrl = true;
                rest = &rest[5..];
            } else if rest.len() > 4 && lower.starts_with("alt-") {
                alt = true;
                rest = &rest[4..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" | "shift-tab" => KeyCode::BackTab,
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pgup" | "pageup" => KeyCode::PageUp,
                "pgdn" | "pagedown" => KeyCode::PageDown,
                "space" => KeyCode::Char(' '),
                f if f.starts_with('f')
                    && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
                {
                    KeyCode::F(f[1..].parse().unwrap_or(1))
                }
                _ => return Err(format!("unknown key {text:?}")),
            },
        };
        Ok(Key { code, ctrl, alt })
    }

    /// The key of a key press. Shift is part of the character (`G`), not a modifier.
    pub fn from_event(e: &KeyEvent) -> Key {
        let ctrl = e.modifiers.contains(KeyModifiers::CONTROL);
        let code = match e.code {
            KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            c => c,
        };
        Key {
            code,
            ctrl,
            alt: e.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// A plain character, typed as text in a form or a search.
    pub fn is_text(&self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && !self.ctrl && !self.alt
    }

    /// How the help overlay writes the key.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::F(n) => format!("F{n}"),
            _ => "?".into(),
        };
        let mut s = String::new();
        if self.ctrl {
            s.push_str("Ctrl-");
        }
        if self.alt {
            s.push_str("Alt-");
        }
        if self.ctrl {
            s.push_str(&base.to_uppercase());
        } else {
            s.push_str(&base);
        }
        s
    }
}

/// A list of keys in the config, checked as it is read so that a bad key names its line.
#[derive(Debug, Clone, PartialEq)]
pub struct Keys(pub Vec<Key>);

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let names = Vec::<String>::deserialize(d)?;
        names
            .iter()
            .map(|n| Key::parse(n).map_err(serde::de::Error::custom))
            .collect::<Result<Vec<_>, _>>()
            .map(Keys)
    }
}

fn keys(names: &[&str]) -> Keys {
    Keys(names.iter().filter_map(|n| Key::parse(n).ok()).collect())
}

macro_rules! keys_config {
    ($($field:ident => $action:ident [$($key:literal),*]),* $(,)?) => {
        /// `[keys]` in the config: each action and the keys bound to it.
        #[derive(Debug, Clone, PartialEq, Deserialize)]
        #[serde(deny_unknown_fields, default)]
        pub struct KeysConfig {
            $(pub $field: Keys,)*
        }

        impl Default for KeysConfig {
            fn default() -> Self {
                KeysConfig { $($field: keys(&[$($key),*]),)* }
            }
        }

        impl KeysConfig {
            fn bindings(&self) -> Vec<(Action, &Keys)> {
                vec![$((Action::$action, &self.$field),)*]
            }

            /// The name under `[keys]` of an action's keys.
            fn name_of(action: Action) -> &'static str {
                #[allow(unreachable_patterns)]
                match action {
                    $(Action::$action => stringify!($field),)*
                    _ => "?",
                }
            }
        }
    };
}

keys_config! {
    help => Help ["?", "f1"],
    quit => Quit ["q"],
    force_quit => ForceQuit ["ctrl-c"],
    find_title => FindTitle ["t"],
    find_everything => FindEverything ["f", "ctrl-k"],
    up => Up ["k", "up"],
    down => Down ["j", "down"],
    top => Top ["g", "home"],
    bottom => Bottom ["G", "end"],
    page_up => PageUp ["pgup", "ctrl-b"],
    page_down => PageDown ["pgdn", "ctrl-f"],
    filter => Filter ["/"],
    cycle_kind => CycleKind ["tab"],
    open => Open ["enter"],
    new_lead => NewLead ["L"],
    new_customer => NewCustomer ["C"],
    add_contact => AddContact ["a"],
    edit_contact => EditContact ["e"],
    edit_parent => EditParent ["E"],
    delete_contact => DeleteContact ["d"],
    add_note => AddNote ["n"],
    add_email => AddEmail ["m"],
    convert => Convert ["c"],
    change_status => ChangeStatus ["s"],
    toggle_timeline => ToggleTimeline ["v"],
    back => Back ["esc"],
    next_field => NextField ["tab"],
    prev_field => PrevField ["backtab"],
    save => Save ["ctrl-s"],
    cancel => Cancel ["esc"],
    editor => Editor ["ctrl-e"],
    confirm => Confirm ["y"],
    deny => Deny ["n", "esc"],
    reload => Reload ["r"],
    overwrite => Overwrite ["o"],
    toggle_archived => ToggleArchived ["A"],
    history => History ["h"],
    copy_contact => CopyContact ["p"],
    move_contact => MoveContact ["M"],
    research => Research ["R"],
    duplicates => Duplicates ["D"],
    sync => Sync ["S"],
    not_duplicate => NotDuplicate ["n"],
    take_left => TakeLeft ["h", "left"],
    take_right => TakeRight ["l", "right"],
    swap_kept => SwapKept ["s"],
    merge => Merge ["ctrl-s", "m"],
    undo_merge => UndoMerge ["u"],
    contact_history => ContactHistory ["H"],
    today => Today ["T", "ctrl-t"],
    people => People ["P"],
    sort => Sort ["o"],
    cadence => Cadence ["c"],
    open_company => OpenCompany ["o"],
    next_match => NextMatch ["n"],
    focus_timeline => FocusTimeline ["tab"],
}

/// What a key does to a one-line input (the `/` filter, the title search, the move picker).
/// These are the editing keys of a shell's line, not bindings of the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEdit {
    Insert(char),
    DeleteBack,
    /// Ctrl-U.
    Clear,
    /// Ctrl-W.
    DeleteWord,
}

pub fn text_edit(e: &KeyEvent) -> Option<TextEdit> {
    let key = Key::from_event(e);
    match key.code {
        KeyCode::Char('u') if key.ctrl && !key.alt => Some(TextEdit::Clear),
        KeyCode::Char('w') if key.ctrl && !key.alt => Some(TextEdit::DeleteWord),
        KeyCode::Char(c) if key.is_text() && !c.is_control() => Some(TextEdit::Insert(c)),
        KeyCode::Backspace => Some(TextEdit::DeleteBack),
        _ => None,
    }
}

/// Where the keys go: each mode knows its own actions, so one key can mean one thing in a list
/// and another in a form (Tab cycles the list's kinds and moves between fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The parent list.
    List,
    /// The detail view of a lead or customer.
    Detail,
    /// A list with a text input on top: the `/` filter, find by title, the move picker. Plain
    /// characters are typed, never taken as commands.
    Search,
    /// A form: characters are typed too.
    Form,
    /// A popup that asks (confirm, status picker, conflict, history, help).
    Dialog,
    /// The list of likely duplicates.
    Dupes,
    /// The merge view: two records side by side and what merging them makes.
    Merge,
    /// The Today screen: who is due, birthdays, recent activity, the pipeline.
    Today,
    People,
    /// The person's card: every field, their timeline, their history.
    Person,
    /// One note or email whole, scrolled.
    Pager,
}

impl Mode {
    /// Where the mode is, for messages.
    fn described(self) -> &'static str {
        match self {
            Mode::List => "the parent list",
            Mode::Detail => "the detail view",
            Mode::Search => "a search",
            Mode::Form => "a form",
            Mode::Dialog => "a dialog",
            Mode::Dupes => "the duplicates list",
            Mode::Merge => "the merge view",
            Mode::Today => "the Today screen",
            Mode::People => "the People list",
            Mode::Person => "the person's card",
            Mode::Pager => "the pager",
        }
    }

    pub const ALL: [Mode; 11] = [
        Mode::List,
        Mode::Detail,
        Mode::Search,
        Mode::Form,
        Mode::Dialog,
        Mode::Dupes,
        Mode::Merge,
        Mode::Today,
        Mode::People,
        Mode::Person,
        Mode::Pager,
    ];

    /// The actions a mode knows, in the order a key bound to several of them is tried.
    pub fn actions(self) -> &'static [Action] {
        use Action::*;
        match self {
            Mode::List => &[
                Up,
                Down,
                Top,
                Bottom,
                PageUp,
                PageDown,
                Open,
                Filter,
                CycleKind,
                NewLead,
                NewCustomer,
                ToggleArchived,
                Duplicates,
                Sync,
                FindTitle,
                FindEverything,
                Today,
                People,
                Back,
                Quit,
                Help,
                ForceQuit,
            ],
            Mode::Detail => &[
                Up,
                Down,
                Top,
                Bottom,
                PageUp,
                PageDown,
                Open,
                AddContact,
                EditContact,
                EditParent,
                DeleteContact,
                AddNote,
                AddEmail,
                Convert,
                ChangeStatus,
                History,
                ContactHistory,
                Research,
                CopyContact,
                MoveContact,
                ToggleTimeline,
                FocusTimeline,
                Filter,
                FindTitle,
                FindEverything,
                Today,
                People,
                Back,
                Quit,
                Help,
                ForceQuit,
            ],
            Mode::Search => &[
                Up, Down, Top, Bottom, PageUp, PageDown, Open, Today, Back, Help, ForceQuit,
            ],
            Mode::Form => &[
                NextField, PrevField, Save, Cancel, Editor, Up, Down, Open, Help, ForceQuit,
            ],
            Mode::Dialog => &[
                Confirm, Deny, Reload, Overwrite, UndoMerge, Up, Down, Open, Back, Help, ForceQuit,
            ],
            Mode::Dupes => &[
                Up,
                Down,
                Top,
                Bottom,
                PageUp,
                PageDown,
                Open,
                NotDuplicate,
                FindTitle,
                FindEverything,
                Today,
                Back,
                Quit,
                Help,
                ForceQuit,
            ],
            Mode::Merge => &[
                Up, Down, Top, Bottom, TakeLeft, TakeRight, SwapKept, Merge, Back, Quit, Help,
                ForceQuit,
            ],
            Mode::Today => &[
                Up,
                Down,
                Top,
                Bottom,
                PageUp,
                PageDown,
                Open,
                FindTitle,
                FindEverything,
                People,
                Back,
                Quit,
                Help,
                ForceQuit,
            ],
            Mode::People => &[
                Up,
                Down,
                Top,
                Bottom,
                PageUp,
                PageDown,
                Open,
                Filter,
                Sort,
                CycleKind,
                FindTitle,
                FindEverything,
                Today,
                Back,
                Quit,
                Help,
                ForceQuit,
            ],
            Mode::Person => &[
                Up,
                Down,
                Top,
                Bottom,
                PageUp,
                PageDown,
                Open,
                EditContact,
                AddNote,
                AddEmail,
                MoveContact,
                Duplicates,
                Cadence,
                DeleteContact,
                History,
                ContactHistory,
                OpenCompany,
                FindTitle,
                FindEverything,
                Today,
                Back,
                Quit,
                Help,
                ForceQuit,
            ],
            Mode::Pager => &[
                Up, Down, Top, Bottom, PageUp, PageDown, Filter, NextMatch, Back, Quit, Help,
                ForceQuit,
            ],
        }
    }

    /// Modes where plain characters are text.
    pub fn types_text(self) -> bool {
        matches!(self, Mode::Search | Mode::Form)
    }
}

/// What one mode's keys mean.
#[derive(Debug, Clone, Default)]
struct ModeKeys {
    by_key: HashMap<Key, Vec<Action>>,
    by_action: HashMap<Action, Vec<Key>>,
}

/// Key presses to actions, one map per mode, built from `[keys]`. Every hint on screen asks it
/// for the keys it names, so a key rebound in the config is both obeyed and shown.
#[derive(Debug, Clone)]
pub struct Keymap {
    modes: HashMap<Mode, ModeKeys>,
}

impl Keymap {
    pub fn new(config: &KeysConfig) -> Keymap {
        let bindings = config.bindings();
        let mut modes = HashMap::new();
        for mode in Mode::ALL {
            let mut keys = ModeKeys::default();
            for &action in mode.actions() {
                let Some((_, bound)) = bindings.iter().find(|(a, _)| *a == action) else {
                    continue;
                };
                for key in &bound.0 {
                    // A typed character stays a character where text is typed.
                    if mode.types_text() && key.is_text() {
                        continue;
                    }
                    keys.by_key.entry(*key).or_default().push(action);
                    keys.by_action.entry(action).or_default().push(*key);
                }
            }
            modes.insert(mode, keys);
        }
        Keymap { modes }
    }

    /// What makes `config`'s keys unusable, if anything: a key bound to two actions in one
    /// place where the defaults do not bind it so (the first would always win), or no key left
    /// to quit.
    pub fn problem(config: &KeysConfig) -> Option<String> {
        let mine = Keymap::new(config);
        let defaults = Keymap::new(&KeysConfig::default());
        for mode in Mode::ALL {
            let (Some(m), Some(d)) = (mine.modes.get(&mode), defaults.modes.get(&mode)) else {
                continue;
            };
            let mut clashes: Vec<(String, &Vec<Action>)> = m
                .by_key
                .iter()
                .filter(|(key, actions)| actions.len() > 1 && d.by_key.get(key) != Some(actions))
                .map(|(key, actions)| (key.label(), actions))
                .collect();
            clashes.sort_by(|a, b| a.0.cmp(&b.0));
            if let Some((key, actions)) = clashes.first() {
                return Some(format!(
                    "{key:?} is bound to both {} and {} in {}",
                    KeysConfig::name_of(actions[0]),
                    KeysConfig::name_of(actions[1]),
                    mode.described()
                ));
            }
        }
        let quits = [Action::Quit, Action::ForceQuit];
        if quits.iter().all(|&a| mine.keys(Mode::List, a).is_empty()) {
            return Some("no key is left to quit: quit and force_quit are both empty".into());
        }
        None
    }

    /// The actions a key press means in `mode`, in the mode's order.
    pub fn actions(&self, mode: Mode, event: &KeyEvent) -> &[Action] {
        self.modes
            .get(&mode)
            .and_then(|m| m.by_key.get(&Key::from_event(event)))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The first action the key press means in `mode`.
    pub fn action(&self, mode: Mode, event: &KeyEvent) -> Option<Action> {
        self.actions(mode, event).first().copied()
    }

    /// The keys bound to an action in a mode.
    fn keys(&self, mode: Mode, action: Action) -> &[Key] {
        self.modes
            .get(&mode)
            .and_then(|m| m.by_action.get(&action))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The keys of an action in a mode, written for people ("j/↓").
    pub fn label(&self, mode: Mode, action: Action) -> String {
        let keys = self.keys(mode, action);
        keys.iter().map(Key::label).collect::<Vec<_>>().join("/")
    }

    /// The first key of an action in a mode, for hints with little room.
    pub fn first_label(&self, mode: Mode, action: Action) -> String {
        self.keys(mode, action)
            .first()
            .map(Key::label)
            .unwrap_or_default()
    }

    /// "KEY what  KEY what": a hint line of the actions a screen or popup names.
    pub fn hints(&self, mode: Mode, items: &[(Action, &str)], gap: &str) -> String {
        items
            .iter()
            .filter_map(|(a, what)| {
                let keys = self.label(mode, *a);
                (!keys.is_empty()).then(|| format!("{keys} {what}"))
            })
            .collect::<Vec<_>>()
            .join(gap)
    }

    /// The shortest of an action's keys in a mode, for hints with little room ("m" of
    /// "Ctrl-S/m").
    fn short_label(&self, mode: Mode, action: Action) -> String {
        self.keys(mode, action)
            .iter()
            .map(Key::label)
            .min_by_key(|l| crate::display::width(l))
            .unwrap_or_default()
    }

    /// A hint line in at most `width` columns: every item whole, never cut in a word. All of
    /// them with all their keys when that fits, else with their shortest key each, else those
    /// that fit, taken in the order given (the first matter most). An item whose action no key
    /// reaches in `mode` is left out: a hint names only keys that work there.
    pub fn fit(&self, mode: Mode, items: &[Hint], gap: &str, width: usize) -> String {
        self.fit_any(mode, &[items], gap, width)
    }

    /// [`Keymap::fit`] of the first of `choices` (the same hints said at more or less length)
    /// whose every item fits; when none does, of the last one.
    pub fn fit_any(&self, mode: Mode, choices: &[&[Hint]], gap: &str, width: usize) -> String {
        let w = |s: &str| crate::display::width(s);
        for items in choices {
            for short in [false, true] {
                let all = self.hint_texts(mode, items, short).join(gap);
                if w(&all) <= width {
                    return all;
                }
            }
        }
        let mut line = String::new();
        let last = choices.last().copied().unwrap_or_default();
        for text in self.hint_texts(mode, last, true) {
            let sep = if line.is_empty() { "" } else { gap };
            if w(&line) + w(sep) + w(&text) <= width {
                line.push_str(sep);
                line.push_str(&text);
            }
        }
        line
    }

    /// Each hint as it is written ("j/↓ next"; with `short`, "j next"), those no key reaches
    /// left out.
    fn hint_texts(&self, mode: Mode, items: &[Hint], short: bool) -> Vec<String> {
        items
            .iter()
            .filter_map(|item| {
                let keys = match *item {
                    Hint::Text(text) => return Some(text.to_string()),
                    Hint::One(a, _) if short => self.short_label(mode, a),
                    Hint::One(a, _) => self.label(mode, a),
                    Hint::Pair(a, b, _) => {
                        let (a, b) = (self.first_label(mode, a), self.first_label(mode, b));
                        if a.is_empty() || b.is_empty() {
                            String::new()
                        } else {
                            format!("{a}/{b}")
                        }
                    }
                };
                (!keys.is_empty()).then(|| format!("{keys} {}", item.what()))
            })
            .collect()
    }
}

/// One item of a hint line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint<'a> {
    /// The keys of an action, and what it does: "e edit".
    One(Action, &'a str),
    /// The first keys of two actions written as one: "j/k field".
    Pair(Action, Action, &'a str),
    /// Words that name no key: "type a title".
    Text(&'a str),
}

impl Hint<'_> {
    fn what(&self) -> &str {
        match self {
            Hint::One(_, what) | Hint::Pair(_, _, what) | Hint::Text(what) => what,
        }
    }
}

/// `items` with the hints of `first` moved to the front, in that order, the rest after them as
/// they were: the order [`Keymap::fit_any`] keeps them in when not all fit.
pub fn promoted<'a>(items: &[Hint<'a>], first: &[Action]) -> Vec<Hint<'a>> {
    let action = |h: &Hint| match *h {
        Hint::One(a, _) => Some(a),
        _ => None,
    };
    let mut out: Vec<Hint<'a>> = first
        .iter()
        .filter_map(|a| items.iter().find(|h| action(h) == Some(*a)).copied())
        .collect();
    out.extend(
        items
            .iter()
            .filter(|h| action(h).is_none_or(|a| !first.contains(&a)))
            .copied(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names() {
        assert_eq!(Key::parse("ctrl-s").unwrap().code, KeyCode::Char('s'));
        assert!(Key::parse("ctrl-s").unwrap().ctrl);
        assert_eq!(Key::parse("G").unwrap().code, KeyCode::Char('G'));
        assert_eq!(Key::parse("pgdn").unwrap().code, KeyCode::PageDown);
        assert_eq!(Key::parse("f5").unwrap().code, KeyCode::F(5));
        assert!(Key::parse("hyper-x").is_err());
        assert!(Key::parse("f13").is_err());
    }

    #[test]
    fn a_press_finds_its_actions() {
        let map = Keymap::new(&KeysConfig::default());
        let shift_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(map.actions(Mode::List, &shift_g), &[Action::Bottom]);
        let tab = KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(map.action(Mode::List, &tab), Some(Action::CycleKind));
        assert_eq!(map.action(Mode::Form, &tab), Some(Action::NextField));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for mode in Mode::ALL {
            assert_eq!(map.actions(mode, &ctrl_c), &[Action::ForceQuit]);
        }
        assert_eq!(map.label(Mode::List, Action::Down), "j/↓");
    }

    #[test]
    fn find_everything_is_on_every_list_and_rebindable() {
        let map = Keymap::new(&KeysConfig::default());
        let f = KeyEvent::new(KeyCode::Char('f'), KeyModifiers::NONE);
        let ctrl_k = KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL);
        for mode in [Mode::List, Mode::Detail, Mode::Dupes, Mode::Today] {
            assert_eq!(
                map.action(mode, &f),
                Some(Action::FindEverything),
                "{mode:?}"
            );
            assert_eq!(map.action(mode, &ctrl_k), Some(Action::FindEverything));
        }
        let config = KeysConfig {
            find_everything: keys(&["ctrl-p"]),
            ..KeysConfig::default()
        };
        assert_eq!(Keymap::problem(&config), None);
        let map = Keymap::new(&config);
        let ctrl_p = KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL);
        assert_eq!(
            map.action(Mode::List, &ctrl_p),
            Some(Action::FindEverything)
        );
        assert_eq!(map.action(Mode::List, &f), None);
        assert_eq!(map.label(Mode::List, Action::FindEverything), "Ctrl-P");
    }

    #[test]
    fn characters_are_text_where_text_is_typed() {
        let map = Keymap::new(&KeysConfig::default());
        let j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(map.action(Mode::List, &j), Some(Action::Down));
        assert_eq!(map.action(Mode::Search, &j), None);
        assert_eq!(map.action(Mode::Form, &j), None);
        assert_eq!(map.label(Mode::Search, Action::Down), "↓");
        let esc = KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(map.action(Mode::Form, &esc), Some(Action::Cancel));
        assert_eq!(map.action(Mode::Dialog, &esc), Some(Action::Deny));
        assert!(map.actions(Mode::Dialog, &esc).contains(&Action::Back));
    }

    #[test]
    fn the_duplicate_keys_live_where_they_act() {
        let config = KeysConfig::default();
        assert_eq!(Keymap::problem(&config), None);
        let map = Keymap::new(&config);
        let press = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        let shift = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT);
        assert_eq!(
            map.action(Mode::List, &shift('D')),
            Some(Action::Duplicates)
        );
        assert_eq!(
            map.action(Mode::Dupes, &press('n')),
            Some(Action::NotDuplicate)
        );
        assert_eq!(map.action(Mode::Merge, &press('h')), Some(Action::TakeLeft));
        assert_eq!(
            map.action(Mode::Merge, &press('l')),
            Some(Action::TakeRight)
        );
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(map.action(Mode::Merge, &ctrl_s), Some(Action::Merge));
        assert_eq!(map.action(Mode::Merge, &press('s')), Some(Action::SwapKept));
        assert_eq!(
            map.action(Mode::Dialog, &press('u')),
            Some(Action::UndoMerge)
        );
        assert_eq!(
            map.action(Mode::Detail, &shift('H')),
            Some(Action::ContactHistory)
        );
        // `h` is the detail view's history and the merge view's left: no clash in one place.
        assert_eq!(map.action(Mode::Detail, &press('h')), Some(Action::History));
        // Rebound in one place onto a key already used there, it is refused.
        let clash = KeysConfig {
            swap_kept: keys(&["l"]),
            ..KeysConfig::default()
        };
        let problem = Keymap::problem(&clash).expect("a clash");
        assert!(
            problem.contains("take_right") && problem.contains("swap_kept"),
            "{problem}"
        );
    }
}
