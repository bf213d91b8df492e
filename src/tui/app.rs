//! App: the screens, one popup, help and the status line. `handle_key` routes a key to what is
//! in view, which answers with a Msg; `update` applies a Msg through `ops` and the store and
//! returns the Effects the loop runs. App does not do a screen's or a popup's work.

use super::action::Action;
use super::keymap::{Keymap, Mode};
use super::msg::{Effect, Msg, Outgoing};
use super::popups::confirm::Pending;
use super::popups::form::fields::{self, Purpose};
use super::popups::form::saving::{differences, save, stored_form, Saved, Select};
use super::popups::form::Conflict;
use super::popups::history::HistoryView;
use super::popups::parent_picker::ParentPicker;
use super::popups::Popup;
use super::screens::detail::Detail;
use super::screens::dupes::Dupes;
use super::screens::find::Find;
use super::screens::help::{Help, HelpFor};
use super::screens::merge::MergeView;
use super::screens::parent_list::ParentList;
use super::screens::people::People;
use super::screens::person::PersonCard;
use super::screens::title_search::TitleSearch;
use super::screens::today::Today;
use super::screens::{FilteredScreen, Screen};
use super::theme::Theme;
use crate::config::Config;
use crate::domain::touch::Cadences;
use crate::domain::validate::terminal_safe;
use crate::domain::{Contact, ParentKind};
use crate::mail::MailConfig;
use crate::ops;
use crate::store::{MergeKind, Store, StoreError, TitleCount};
use ratatui::crossterm::event::KeyEvent;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// What the status bar says: the keys of the view, or the last thing that happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusLine {
    Hint,
    Info(String),
    Error(String),
    /// Slow work is under way ("Researching Acme…").
    Busy(String),
}

impl StatusLine {
    fn error(e: impl std::fmt::Display) -> StatusLine {
        StatusLine::Error(terminal_safe(&e.to_string(), false))
    }
}

pub struct App {
    pub store: Store,
    pub keymap: Keymap,
    pub theme: Theme,
    pub list: ParentList,
    pub stack: Vec<Screen>,
    pub popup: Option<Popup>,
    /// The help overlay, over whatever is in view (a form included).
    pub help: Option<Help>,
    pub status: StatusLine,
    /// Titles in use, most used first: what the title field suggests. Read when a form first
    /// needs them after the store changed.
    titles: Option<Arc<Vec<String>>>,
    /// Every distinct title with how many hold it: what the title search ranks. Read when the
    /// search is first opened after the store changed.
    title_counts: Option<Vec<TitleCount>>,
    /// The last title search's finder with the people it read, for the next search until the
    /// store changes.
    title_finder: Option<ops::titles::TitleFinder>,
    /// The terminal's height, once the loop said it.
    screen_rows: usize,
    /// The `[cadence]` defaults: who is due, for the Today screen and `due:` in searches.
    cadences: Cadences,
    /// What a `/` filter with field terms on the parent list matches against: every parent's
    /// id and name, and every contact. Read when first needed after the store changed.
    scope_data: Option<ScopeData>,
    /// The people of the last title searched for with field terms beside it, read in full.
    title_people: Option<(String, Vec<Contact>)>,
    pub now: chrono::DateTime<chrono::Utc>,
    quit: bool,
    aliases: BTreeMap<String, Vec<String>>,
    research_options: crate::research::Options,
    /// The research under way, if any: its run number and the lead's name. Esc cancels it.
    researching: Option<(u64, String)>,
    /// Research runs started so far.
    research_runs: u64,
    mail: MailConfig,
    data_version: i64,
    /// How long a write waits for another process's lock before it answers "busy".
    lock_wait: Duration,
    /// How long a worker thread's write waits for another process's (the busy timeout).
    worker_wait: Duration,
    /// The vdir folder of the config and how to sync it, if one is set.
    vdir: Option<(std::path::PathBuf, ops::sync::SyncOptions)>,
    /// A sync is running on a worker thread.
    syncing: bool,
    /// Everyone in full, read when a People list's filter names fields, until the next change.
    scope_people: Option<Vec<crate::domain::Contact>>,
    /// Duplicates are being looked for on a worker thread.
    finding_dupes: bool,
}

type Result<T> = std::result::Result<T, StoreError>;

/// Every parent's id and name, and every contact: what field terms on the parent list match.
type ScopeData = (Vec<(i64, String)>, Vec<Contact>);

impl App {
    pub fn new(store: Store, config: &Config, no_color: bool) -> Result<App> {
        store.without_memory_map()?;
        // A save that meets another writer's lock says so within a second, with the form still
        // open, instead of freezing the screen for the whole busy timeout.
        let lock_wait = Duration::from_millis(config.store.busy_timeout_ms.min(1000));
        store.wait_for_locks_at_most(lock_wait)?;
        let mut app = App {
            keymap: Keymap::new(&config.keys),
            theme: Theme::new(&config.theme, no_color),
            list: ParentList::default(),
            stack: Vec::new(),
            popup: None,
            help: None,
            status: StatusLine::Hint,
            titles: None,
            title_counts: None,
            title_finder: None,
            screen_rows: 0,
            cadences: ops::views::cadences(config),
            scope_data: None,
            title_people: None,
            now: crate::clock::now(),
            quit: false,
            aliases: config.titles.aliases.clone(),
            research_options: crate::research::Options::default(),
            researching: None,
            research_runs: 0,
            mail: config.mail.clone(),
            data_version: store.data_version()?,
            lock_wait,
            worker_wait: Duration::from_millis(config.store.busy_timeout_ms),
            vdir: crate::config::vdir_path(None, config)
                .map(|folder| (folder, ops::sync::SyncOptions::from_config(&config.vdir))),
            syncing: false,
            scope_people: None,
            finding_dupes: false,
            store,
        };
        app.reload()?;
        if app.store.is_read_only() {
            app.info(
                "read-only: you cannot write this store or its folder; you can look, not change",
            );
        }
        Ok(app)
    }

    /// What the loop does before the first draw: when anyone is due, the Today screen comes
    /// first, over the parent list.
    pub fn start(&mut self) {
        match ops::due::due(&self.store, &self.cadences, self.now) {
            Ok(due) if !due.is_empty() => self.open_today(),
            Ok(_) => {}
            Err(e) => self.error(e),
        }
    }

    /// The lead whose website is being read, if any.
    pub fn researching(&self) -> Option<&str> {
        self.researching.as_ref().map(|(_, name)| name.as_str())
    }

    /// Duplicates are being looked for, off the drawing path.
    pub fn finding_dupes(&self) -> bool {
        self.finding_dupes
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Reads everything in view again from the store.
    pub fn reload(&mut self) -> Result<()> {
        let rows = self.store.parent_rows()?;
        let texts = if self.list.uses_filter() {
            Some(self.store.parent_texts()?)
        } else {
            None
        };
        self.list.set_rows(rows, texts);
        self.list.synced = ops::sync::last_run(&self.store)?.map(|run| {
            let at = run.at.replace('T', " ");
            format!("synced {}", at.get(..16).unwrap_or(&at))
        });
        self.read_list_in_view()?;
        self.titles = None;
        self.title_counts = None;
        self.title_finder = None;
        self.scope_data = None;
        self.scope_people = None;
        self.title_people = None;
        for screen in &mut self.stack {
            match screen {
                Screen::Detail(d) => match ops::views::detail(&self.store, d.parent.id) {
                    Ok(data) => d.replace(data),
                    Err(StoreError::NotFound { .. }) => {}
                    Err(e) => return Err(e),
                },
                Screen::Dupes(d) => d.set_groups(ops::dupes::find(&self.store, None)?),
                Screen::Merge(m) => {
                    match ops::merge::preview(&self.store, m.kind, m.survivor, m.other, &m.choices)
                    {
                        Ok(p) => m.set_preview(p),
                        // Gone or merged away since: the view says so, a merge would too.
                        Err(e) => m.notice = Some(terminal_safe(&e.to_string(), false)),
                    }
                }
                Screen::Titles(_) | Screen::Pager(_) => {}
                Screen::Person(p) => match ops::person::card(&self.store, p.id()) {
                    Ok(card) => p.replace(card),
                    // Deleted or merged away since: the card says so, and stays as it was.
                    Err(e) => p.notice = Some(terminal_safe(&e.to_string(), false)),
                },
                Screen::Find(f) => f.set_found(ops::find::find(&self.store, &f.input.text)?),
                Screen::Today(t) => {
                    t.set_data(ops::views::today(&self.store, &self.cadences, self.now)?)
                }
                Screen::People(p) => {
                    p.set_rows(self.store.person_rows()?);
                    p.set_touch(ops::people::touch(&self.store, &self.cadences, self.now)?);
                }
            }
        }
        self.rescope()?;
        Ok(())
    }

    /// Called between events: picks up other processes' writes. True when the view changed.
    pub fn tick(&mut self) -> bool {
        let minute = self.now.timestamp() / 60;
        self.now = crate::clock::now();
        let mut changed = self.now.timestamp() / 60 != minute;
        match self.store.data_version() {
            Ok(v) if v != self.data_version => {
                self.data_version = v;
                if let Err(e) = self.reload() {
                    self.status = StatusLine::error(e);
                }
                changed = true;
            }
            Ok(_) => {}
            Err(e) => {
                self.status = StatusLine::error(e);
                changed = true;
            }
        }
        changed
    }

    fn info(&mut self, message: impl Into<String>) {
        self.status = StatusLine::Info(terminal_safe(&message.into(), false));
    }

    fn error(&mut self, e: impl std::fmt::Display) {
        self.status = StatusLine::error(e);
    }

    /// Which keys the help overlay lists now.
    pub fn help_for(&self) -> HelpFor {
        match (&self.popup, self.stack.last()) {
            (Some(Popup::Form(_)), _) => HelpFor::Form,
            (_, Some(screen)) => screen.view().help(),
            (_, None) => HelpFor::ParentList,
        }
    }

    /// The key map the next key is read with.
    pub fn mode(&self) -> Mode {
        if self.help.is_some() {
            return Mode::Dialog;
        }
        if let Some(p) = &self.popup {
            return p.mode();
        }
        match self.stack.last() {
            None => self.list.mode(),
            Some(screen) => screen.view().mode(),
        }
    }

    /// Routes a key press to what is in view: help, else the popup, else the top screen.
    pub fn handle_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let effects = self.route_key(key);
        self.read_list_rows();
        effects
    }

    fn route_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let actions = self.keymap.actions(self.mode(), &key);
        if actions.contains(&Action::ForceQuit) {
            if let Some(Popup::Form(form)) = &mut self.popup {
                if form.ask_before_quitting() {
                    return Vec::new();
                }
            }
            self.quit = true;
            return Vec::new();
        }
        if let Some(help) = &mut self.help {
            if help.handle(actions) {
                self.help = None;
            }
            return Vec::new();
        }
        if actions.contains(&Action::Help) {
            self.help = Some(Help::new(self.help_for()));
            return Vec::new();
        }
        if key.code == ratatui::crossterm::event::KeyCode::Esc && self.popup.is_none() {
            if let Some((_, name)) = self.researching.take() {
                self.info(format!(
                    "Research of {name} cancelled: nothing of it is written"
                ));
                return Vec::new();
            }
        }
        let msg = match &mut self.popup {
            Some(popup) => popup.handle(&key, &self.keymap),
            None => {
                self.status = StatusLine::Hint;
                match self.stack.last_mut() {
                    None => self.list.handle(&key, &self.keymap),
                    Some(screen) => screen.view_mut().handle(&key, &self.keymap),
                }
            }
        };
        match msg {
            Some(msg) => self.update(msg),
            None => Vec::new(),
        }
    }

    /// A paste (bracketed by the terminal, so it arrives whole): it goes into the text field in
    /// view, if there is one. It is never read as keys, so a paste cannot press `q` or `d`.
    pub fn handle_paste(&mut self, text: &str) -> Vec<Effect> {
        if self.help.is_some() {
            return Vec::new();
        }
        let msg = match &mut self.popup {
            Some(popup) => {
                popup.paste(text);
                None
            }
            None => match self.stack.last_mut() {
                None => self.list.paste(text),
                Some(screen) => screen.view_mut().paste(text),
            },
        };
        match msg {
            Some(msg) => self.update(msg),
            None => {
                self.read_list_rows();
                Vec::new()
            }
        }
    }

    /// Applies what happened; returns what the loop must do next.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let effects = self.apply(msg);
        self.read_list_rows();
        effects
    }

    /// Reads the parent list's rows that came into view, saying so if that failed.
    fn read_list_rows(&mut self) {
        if let Err(e) = self.read_list_in_view() {
            self.error(e);
        }
    }

    /// Reads in full the parent list's rows that any view can show and were not read yet.
    fn read_list_in_view(&mut self) -> Result<()> {
        let rows = self.screen_rows.max(super::widgets::SCREEN_ROWS);
        let ids = self.list.unread_in_view(rows);
        if !ids.is_empty() {
            let read = self.store.parent_summaries(&ids)?;
            self.list.add_summaries(read);
        }
        if let Some(Screen::People(p)) = self.stack.last_mut() {
            let ids = p.unread_in_view(rows);
            if !ids.is_empty() {
                p.add_read(self.store.contacts_by_ids(&ids)?);
            }
        }
        Ok(())
    }

    /// `/` on the People list: the texts its filter matches are read once after the rows
    /// changed, then the filter takes the keys.
    fn start_people_filter(&mut self) {
        let Some(Screen::People(p)) = self.stack.last_mut() else {
            return;
        };
        let texts = match p.has_texts() {
            true => Default::default(),
            false => match self.store.person_texts() {
                Ok(texts) => texts,
                Err(e) => return self.error(e),
            },
        };
        p.start_filter(texts);
    }

    /// `/` on the parent list: the texts its filter matches are read once after the rows
    /// changed, then the filter takes the keys.
    fn start_list_filter(&mut self) {
        if !self.list.has_texts() {
            match self.store.parent_texts() {
                Ok(texts) => self.list.set_texts(texts),
                Err(e) => return self.error(e),
            }
        }
        self.list.start_filter();
    }

    fn apply(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Quit => self.quit = true,
            Msg::Back { select } => {
                self.pop_screen();
                if let Some(id) = select {
                    self.list.select_id(id);
                }
            }
            Msg::OpenParent {
                parent_id,
                contact_id,
            } => self.open_detail(parent_id, contact_id),
            Msg::OpenTitles => self.open_titles(),
            Msg::OpenPeople => return self.open_people(),
            Msg::StartPeopleFilter => self.start_people_filter(),
            Msg::OrderPeople(order) => match self.store.person_companies() {
                Ok(companies) => {
                    if let Some(Screen::People(p)) = self.stack.last_mut() {
                        p.set_order(order, Some(companies));
                    }
                }
                Err(e) => self.error(e),
            },
            Msg::PeopleTouch(touch) => match (touch, self.stack.last_mut()) {
                (Ok(t), Some(Screen::People(p))) => p.set_touch(t),
                (Ok(_), _) => {}
                (Err(e), _) => self.error(format!("last contacts: {e}")),
            },
            Msg::OpenPerson { contact_id } => self.open_person(contact_id),
            Msg::OpenPager(pager) => self.stack.push(Screen::Pager(pager)),
            Msg::MergePerson(id) => match ops::person::likely_duplicate(&self.store, id) {
                Ok(Some((survivor, other))) => self.open_merge(MergeKind::Contact, survivor, other),
                Ok(None) => self.info(format!("No likely duplicate of #{id}")),
                Err(e) => self.error(e),
            },
            Msg::OpenFind => self.stack.push(Screen::Find(Box::new(Find::new()))),
            Msg::FindChanged => self.find_everything(),
            Msg::OpenFound(found) => self.open_found(*found),
            Msg::StartListFilter => self.start_list_filter(),
            Msg::StartContactFilter => self.start_contact_filter(),
            Msg::FilterScoped => {
                if let Err(e) = self.rescope() {
                    self.error(e);
                }
            }
            Msg::OpenToday => self.open_today(),
            Msg::TitlesChanged => self.find_titles(),
            Msg::TitlesMoved => self.read_titles_in_view(),
            Msg::Info(text) => self.info(text),
            Msg::NewParent(kind) => self.show(Popup::form(fields::parent_form(kind, None))),
            Msg::ComposeEmail { parent_id, contact } => {
                let can_send = ops::email::can_send(&self.mail);
                let form = fields::email_form(parent_id, contact.as_deref(), can_send);
                self.show(Popup::form(form));
            }
            Msg::ShowHistory { kind, id, name } => self.show_history(kind, id, &name),
            Msg::UndoMerge { kind, id } => self.undo_merge(kind, id),
            Msg::OpenDupes => return self.open_dupes(),
            Msg::DupesFound(found) => self.dupes_found(found),
            Msg::OpenMerge {
                kind,
                survivor,
                other,
            } => self.open_merge(kind, survivor, other),
            Msg::NotDuplicate { kind, a, b } => {
                match ops::merge::not_duplicates(&mut self.store, kind, a, b) {
                    Ok(()) => {
                        self.after_write();
                        self.info(format!("#{a} and #{b} are not duplicates"));
                    }
                    Err(e) => self.error(e),
                }
            }
            Msg::MergeChanged => self.reread_merge(),
            Msg::DoMerge => self.do_merge(),
            Msg::Refused(why) => self.error(why),
            Msg::CopyLeadContact(lead_id) => self.copy_lead_contact(lead_id),
            Msg::PickMoveTarget {
                contact_id,
                version,
                person,
                from_parent,
            } => match ops::people::move_targets(&self.store, from_parent) {
                Ok(options) => {
                    let who = terminal_safe(&person, false);
                    let picker = ParentPicker::new(contact_id, version, who, options);
                    self.show(Popup::Picker(Box::new(picker)));
                }
                Err(e) => self.error(e),
            },
            Msg::MoveContact {
                contact_id,
                version,
                to,
                person,
                company,
            } => self.show(Popup::form(fields::move_form(Purpose::MoveContact {
                contact_id,
                version,
                to,
                person,
                company,
            }))),
            Msg::StartSync => return self.start_sync(),
            Msg::Synced(result) => {
                self.syncing = false;
                match result {
                    Ok(summary) => {
                        self.after_write();
                        self.info(summary);
                    }
                    Err(why) => self.error(format!("sync: {why}")),
                }
            }
            Msg::Research { lead_id, name } => match ops::research::target(&self.store, lead_id) {
                Ok(target) => {
                    self.research_runs += 1;
                    let run = self.research_runs;
                    self.researching = Some((run, terminal_safe(&name, false)));
                    self.status = StatusLine::Hint;
                    return vec![Effect::Research {
                        run,
                        target,
                        options: self.research_options.clone(),
                    }];
                }
                Err(e) => self.error(format!("research: {e:#}")),
            },
            Msg::Researched { run, .. }
                if self.researching.as_ref().is_none_or(|(now, _)| *now != run) =>
            {
                // Cancelled while the site was read: nothing of it is written.
            }
            Msg::Researched { target, result, .. } => {
                self.researching = None;
                let report = result
                    .map_err(anyhow::Error::msg)
                    .and_then(|finding| ops::research::apply(&mut self.store, &target, finding));
                match report {
                    Ok(report) => {
                        self.after_write();
                        self.info(report.summary());
                    }
                    Err(e) => self.error(format!("research: {e:#}")),
                }
            }
            Msg::Popup(p) => self.show(p),
            Msg::ClosePopup => self.popup = None,
            Msg::Confirmed(pending) => {
                self.popup = None;
                self.confirmed(pending);
            }
            Msg::Submit => return self.submit(Duration::ZERO),
            Msg::SubmitWaiting => return self.submit(self.lock_wait),
            Msg::Cancelled => {
                self.popup = None;
                self.info("Cancelled");
            }
            Msg::EditField => {
                if let Some(Popup::Form(f)) = &self.popup {
                    return vec![Effect::Editor(f.focused().value())];
                }
            }
            Msg::Edited(result) => match result {
                Ok(text) => {
                    if let Some(Popup::Form(form)) = &mut self.popup {
                        form.set_focused_value(text.strip_suffix('\n').unwrap_or(&text));
                    }
                }
                Err(e) => self.error(format!("editor: {e}")),
            },
            Msg::ReloadForm => self.reload_form(),
            Msg::Overwrite => {
                if let Some(Popup::Form(form)) = &mut self.popup {
                    if let Some(c) = form.conflict.take() {
                        match stored_form(&self.store, &form.purpose) {
                            Some(Ok(stored)) => form.keep_unchanged_from(stored),
                            Some(Err(e)) => {
                                form.error = Some(terminal_safe(&e.to_string(), false));
                                return Vec::new();
                            }
                            None => {}
                        }
                        if let Purpose::EditContact { version, .. }
                        | Purpose::EditParent { version, .. } = &mut form.purpose
                        {
                            *version = c.current_version;
                        }
                    }
                }
                return self.submit(Duration::ZERO);
            }
            Msg::Sent { mail, result } => self.sent(*mail, result),
        }
        Vec::new()
    }

    /// Opens a popup; a form with a title field gets the titles in use for its suggestions.
    fn show(&mut self, mut popup: Popup) {
        if let Popup::Form(form) = &mut popup {
            if form.fields.iter().any(|f| f.key == "title") {
                form.set_titles(self.titles());
            }
        }
        self.popup = Some(popup);
    }

    /// The titles in use, most used first, read once after each change of the store.
    pub fn titles(&mut self) -> Arc<Vec<String>> {
        if self.titles.is_none() {
            match self.store.titles() {
                Ok(t) => self.titles = Some(Arc::new(t.into_iter().map(|t| t.title).collect())),
                Err(e) => {
                    self.error(e);
                    return Arc::default();
                }
            }
        }
        self.titles.clone().unwrap_or_default()
    }

    /// The terminal is `rows` tall: the lists put in order as many rows as it can show.
    pub fn resize(&mut self, rows: u16) {
        self.screen_rows = rows.into();
        self.list.view.set_screen_rows(self.screen_rows);
        for screen in &mut self.stack {
            if let Screen::Detail(d) = screen {
                d.view.set_screen_rows(self.screen_rows);
            }
        }
        self.read_list_rows();
        self.read_titles_in_view();
    }

    pub fn open_detail(&mut self, parent_id: i64, contact_id: Option<i64>) {
        match ops::views::detail(&self.store, parent_id) {
            Ok(data) => {
                let mut d = Detail::new(data);
                d.view.set_screen_rows(self.screen_rows);
                if let Some(cid) = contact_id {
                    d.select_contact(cid);
                }
                // Opening from the title search replaces it: `back` goes to the list.
                if matches!(self.stack.last(), Some(Screen::Titles(_))) {
                    self.pop_screen();
                }
                self.stack.push(Screen::Detail(Box::new(d)));
            }
            Err(e) => self.error(e),
        }
    }

    /// The find's rows for its text as it is now, through `ops::find`.
    fn find_everything(&mut self) {
        let Some(Screen::Find(f)) = self.stack.last_mut() else {
            return;
        };
        match ops::find::find(&self.store, &f.input.text) {
            Ok(found) => f.set_found(found),
            Err(e) => self.error(e),
        }
    }

    /// Enter on a row of the find. The find stays underneath: back returns to it, its text
    /// and selection as they were.
    fn open_found(&mut self, found: ops::find::Found) {
        match found.place {
            ops::find::Place::Person => self.open_person(found.id),
            ops::find::Place::Company => self.open_detail(found.id, None),
            ops::find::Place::Entry { parent_id, .. } => self.open_entry(parent_id, found.id),
        }
    }

    /// The person's card, over the screen in view: wherever a person is opened.
    pub fn open_person(&mut self, contact_id: i64) {
        match ops::person::card(&self.store, contact_id) {
            Ok(card) => self
                .stack
                .push(Screen::Person(Box::new(PersonCard::new(card)))),
            Err(e) => self.error(e),
        }
    }

    /// A note or email: its company's detail view, its timeline shown from that entry on,
    /// the entry marked.
    fn open_entry(&mut self, parent_id: i64, activity_id: i64) {
        let before = self.stack.len();
        self.open_detail(parent_id, None);
        if self.stack.len() > before {
            if let Some(Screen::Detail(d)) = self.stack.last_mut() {
                d.show_entry(activity_id);
            }
        }
    }

    fn open_titles(&mut self) {
        if self.title_counts.is_none() {
            match self.store.distinct_titles() {
                Ok(t) => self.title_counts = Some(t),
                Err(e) => return self.error(e),
            }
        }
        // Who the user is close to, once per search: they come first among those found.
        let closeness = match ops::due::closeness(&self.store, self.now) {
            Ok(c) => c,
            Err(e) => return self.error(e),
        };
        let ids: Vec<i64> = closeness.keys().copied().collect();
        let close_people = match self.store.contacts_by_ids(&ids) {
            Ok(people) => people,
            Err(e) => return self.error(e),
        };
        let finder = match self.title_finder.take() {
            Some(finder) => finder,
            None => {
                let counts = self.title_counts.clone().unwrap_or_default();
                ops::titles::TitleFinder::new(counts, &self.aliases)
            }
        };
        let mut search = TitleSearch::new(finder);
        search.closeness = closeness;
        search.close_people = close_people;
        self.stack.push(Screen::Titles(Box::new(search)));
        self.find_titles();
    }

    /// The People list, read now; when each was last in touch comes from a worker thread. One
    /// already open comes back to the top, as it was left.
    fn open_people(&mut self) -> Vec<Effect> {
        if let Some(at) = self
            .stack
            .iter()
            .position(|s| matches!(s, Screen::People(_)))
        {
            while self.stack.len() > at + 1 {
                self.pop_screen();
            }
            return Vec::new();
        }
        let rows = match self.store.person_rows() {
            Ok(rows) => rows,
            Err(e) => {
                self.error(e);
                return Vec::new();
            }
        };
        let mut people = People::new(rows);
        people.view.set_screen_rows(self.screen_rows);
        if matches!(self.stack.last(), Some(Screen::Titles(_))) {
            self.pop_screen();
        }
        self.stack.push(Screen::People(Box::new(people)));
        match self.store.another_connection() {
            Ok(store) => vec![Effect::ReadTouch {
                store: Box::new(store),
                cadences: Box::new(self.cadences.clone()),
                now: self.now,
            }],
            Err(e) => {
                self.error(e);
                Vec::new()
            }
        }
    }

    /// The Today screen, read now. One already open comes back to the top, read again.
    fn open_today(&mut self) {
        let data = match ops::views::today(&self.store, &self.cadences, self.now) {
            Ok(data) => data,
            Err(e) => return self.error(e),
        };
        if let Some(at) = self
            .stack
            .iter()
            .position(|s| matches!(s, Screen::Today(_)))
        {
            while self.stack.len() > at + 1 {
                self.pop_screen();
            }
            if let Some(Screen::Today(t)) = self.stack.last_mut() {
                t.set_data(data);
            }
            return;
        }
        // Opened from the title search, it replaces it, as opening a person does.
        if matches!(self.stack.last(), Some(Screen::Titles(_))) {
            self.pop_screen();
        }
        self.stack.push(Screen::Today(Box::new(Today::new(data))));
    }

    /// `/` in the detail view: how close the user is to its people is read once, for its
    /// ranking, then the filter takes the keys.
    fn start_contact_filter(&mut self) {
        let closeness = match ops::due::closeness(&self.store, self.now) {
            Ok(c) => c,
            Err(e) => return self.error(e),
        };
        if let Some(Screen::Detail(d)) = self.stack.last_mut() {
            let mine: std::collections::HashMap<i64, f64> = d
                .contacts
                .iter()
                .filter_map(|c| closeness.get(&c.id).map(|&v| (c.id, v)))
                .collect();
            d.start_filter(mine);
        }
    }

    /// Works out which rows the field terms of each `/` filter keep (`title:cto org:acme`),
    /// through `ops`, and filters those lists again. Lists whose filter names no field are
    /// left alone.
    fn rescope(&mut self) -> Result<()> {
        if let Some(s) = self.list.view.scope_wanted() {
            if self.scope_data.is_none() {
                let parents = self.store.parent_texts()?;
                let names = parents.into_iter().map(|t| (t.id, t.name)).collect();
                self.scope_data = Some((names, self.store.list_contacts(None)?));
            }
            let due = ops::views::due_ids(
                &self.store,
                &self.cadences,
                self.now,
                &self.list.view.filter.text,
            )?;
            let (names, contacts) = self.scope_data.as_ref().expect("read above");
            let parents = names.iter().map(|(id, n)| (*id, n.as_str()));
            let keep = ops::views::parents_matching(&s, parents, contacts, &self.aliases, due);
            self.list.view.set_scope(&s, keep);
            self.list.refilter();
        }
        for screen in &mut self.stack {
            if let Screen::People(p) = screen {
                let Some(s) = p.view.scope_wanted() else {
                    continue;
                };
                let query = &p.view.filter.text;
                let due = ops::views::due_ids(&self.store, &self.cadences, self.now, query)?;
                let everyone = match &mut self.scope_people {
                    Some(people) => people,
                    None => self.scope_people.insert(self.store.list_contacts(None)?),
                };
                let keep = ops::views::contacts_matching(&s, everyone, &self.aliases, due);
                p.view.set_scope(&s, keep);
                p.refilter();
                continue;
            }
            let Screen::Detail(d) = screen else { continue };
            let Some(s) = d.view.scope_wanted() else {
                continue;
            };
            let query = &d.view.filter.text;
            let due = ops::views::due_ids(&self.store, &self.cadences, self.now, query)?;
            let keep = ops::views::contacts_matching(&s, &d.contacts, &self.aliases, due);
            d.view.set_scope(&s, keep);
            d.refilter();
        }
        Ok(())
    }

    /// Leaves the screen on top; a title search leaves its finder for the next one.
    fn pop_screen(&mut self) {
        if let Some(Screen::Titles(t)) = self.stack.pop() {
            self.title_finder = Some(t.finder);
        }
    }

    /// The title search's people for its text, through the one title lookup of `ops`. The
    /// title is the text's free words and `title:` terms; its other field terms (`org:`,
    /// `tag:`, `email:`, `due:`) narrow the people found, who are then all read. Without them,
    /// the finder's people are read as they come into view, the ones the user is close to
    /// listed first.
    fn find_titles(&mut self) {
        if let Err(e) = self.find_titles_now() {
            self.error(e);
        }
        self.read_titles_in_view();
    }

    fn find_titles_now(&mut self) -> Result<()> {
        let Some(Screen::Titles(t)) = self.stack.last() else {
            return Ok(());
        };
        let text = t.input.text.clone();
        let s = crate::search::scoped::parse(&text);
        let title = match s.has_fields() {
            true => {
                let words =
                    std::iter::once(s.free.as_str()).chain(s.title.iter().map(String::as_str));
                words
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            false => text.clone(),
        };
        let narrowed = crate::search::scoped::Scoped {
            title: Vec::new(),
            free: String::new(),
            ..s.clone()
        };
        if narrowed.has_fields() {
            let fresh = self.title_people.as_ref().is_none_or(|(q, _)| *q != title);
            if fresh {
                let people = ops::titles::people_by_title(&self.store, &self.aliases, &title)?;
                self.title_people = Some((title.clone(), people));
            }
            let due = ops::views::due_ids(&self.store, &self.cadences, self.now, &text)?;
            let people = &self.title_people.as_ref().expect("read above").1;
            let keep = ops::views::contacts_matching(&narrowed, people, &self.aliases, due);
            let mut found: Vec<Contact> = people
                .iter()
                .filter(|c| keep.contains(&c.id))
                .cloned()
                .collect();
            let Some(Screen::Titles(t)) = self.stack.last_mut() else {
                return Ok(());
            };
            ops::views::rank_by_closeness(&mut found, &t.closeness, |c| c.id);
            let n = found.len();
            t.set_results(found, Vec::new(), n);
            return Ok(());
        }
        let titles = self.title_counts.clone().unwrap_or_default();
        let Some(Screen::Titles(t)) = self.stack.last_mut() else {
            return Ok(());
        };
        let places = t.finder.find(&title);
        // The people the user is close to whose title is found: closest first, then as the
        // finder orders them (best title, then name).
        let ranked: std::collections::HashMap<&str, usize> =
            crate::search::TitleSearch::new(&self.aliases)
                .rank(&title, titles.iter().map(|t| t.title.as_str()))
                .into_iter()
                .enumerate()
                .map(|(k, (title, _))| (title, k))
                .collect();
        let mut close: Vec<Contact> = t
            .close_people
            .iter()
            .filter(|c| {
                c.fields
                    .title
                    .as_deref()
                    .is_some_and(|x| ranked.contains_key(x))
            })
            .cloned()
            .collect();
        close.sort_by_cached_key(|c| {
            let rank = ranked[c.fields.title.as_deref().unwrap_or_default()];
            (rank, c.full_name().to_lowercase(), c.id)
        });
        ops::views::rank_by_closeness(&mut close, &t.closeness, |c| c.id);
        let n = places.len();
        t.set_results(close, places, n);
        Ok(())
    }

    /// Reads the people of the title search that can be in view and are not read yet.
    fn read_titles_in_view(&mut self) {
        let rows = self.screen_rows.max(super::widgets::SCREEN_ROWS);
        let Some(Screen::Titles(t)) = self.stack.last() else {
            return;
        };
        // A title read with more or fewer people than counted moves the rows: read again what
        // is in view then, at most once per title.
        for _ in 0..=t.rows().min(64) {
            let Some(Screen::Titles(t)) = self.stack.last_mut() else {
                return;
            };
            let in_view = t.in_view(rows).to_vec();
            match t.finder.read(&self.store, &in_view) {
                Ok(true) => {
                    if let Err(e) = self.find_titles_now() {
                        self.error(e);
                        return;
                    }
                }
                // The people listed first were in view among the finder's too: dropped
                // there, others come into view, to be read.
                Ok(false) if t.drop_listed(rows) => {}
                Ok(false) => return,
                Err(e) => {
                    self.status = StatusLine::error(e);
                    return;
                }
            }
        }
    }

    fn show_history(&mut self, kind: MergeKind, id: i64, name: &str) {
        match self.store.history(kind.as_str(), id) {
            Ok(entries) => {
                let lines = entries
                    .iter()
                    .rev()
                    .map(|h| ops::person::history_line(id, h))
                    .collect();
                self.show(Popup::History(Box::new(HistoryView {
                    title: terminal_safe(name, false),
                    lines,
                    scroll: 0,
                    of: (kind, id),
                })));
            }
            Err(e) => self.error(e),
        }
    }

    /// The history's undo key: the last merge into the record, undone if nothing written since
    /// depends on it.
    fn undo_merge(&mut self, kind: MergeKind, id: i64) {
        self.popup = None;
        let undone = ops::merge::last_merge_into(&self.store, kind, id)
            .and_then(|m| ops::merge::undo(&mut self.store, m.id));
        match undone {
            Ok(m) => {
                self.after_write();
                self.info(format!(
                    "Undid merge {}: #{} {} is back beside #{}",
                    m.id, m.merged, m.merged_name, m.survivor
                ));
            }
            Err(e) => self.error(e),
        }
    }

    /// A sync with the config's vdir folder, off the drawing path: the status line says it runs.
    fn start_sync(&mut self) -> Vec<Effect> {
        if self.syncing {
            self.info("a sync is running already");
            return Vec::new();
        }
        let Some((folder, options)) = self.vdir.clone() else {
            self.error("no vdir folder: set path in the [vdir] section of the config");
            return Vec::new();
        };
        // Off the drawing path, the work may wait for another writer as long as any command.
        let store = match self.store.another_connection().and_then(|s| {
            s.wait_for_locks_at_most(self.worker_wait)?;
            Ok(s)
        }) {
            Ok(s) => s,
            Err(e) => {
                self.error(format!("sync: {e}"));
                return Vec::new();
            }
        };
        self.syncing = true;
        self.status = StatusLine::Busy(format!(
            "Syncing with {}…",
            terminal_safe(&folder.display().to_string(), false)
        ));
        vec![Effect::Sync {
            store: Box::new(store),
            folder,
            options,
        }]
    }

    /// The duplicates screen, over the parent list, with the groups found now.
    /// Starts looking for duplicates off the drawing path; the list opens when they are found.
    fn open_dupes(&mut self) -> Vec<Effect> {
        if self.finding_dupes {
            self.info("still looking for duplicates");
            return Vec::new();
        }
        let store = match self.store.another_connection() {
            Ok(s) => s,
            Err(e) => {
                self.error(e);
                return Vec::new();
            }
        };
        self.finding_dupes = true;
        vec![Effect::FindDupes {
            store: Box::new(store),
        }]
    }

    fn dupes_found(&mut self, found: std::result::Result<Vec<ops::dupes::DupeGroup>, String>) {
        self.finding_dupes = false;
        match found {
            Ok(groups) => self.stack.push(Screen::Dupes(Box::new(Dupes::new(groups)))),
            Err(e) => self.error(format!("duplicates: {e}")),
        }
    }

    /// The merge view of two records, read now: the versions the merge passes are these. A
    /// customer cannot go into a lead, so a lead and a customer open with the customer kept.
    fn open_merge(&mut self, kind: MergeKind, survivor: i64, other: i64) {
        let choices = crate::domain::merge::Choices::default();
        let preview = ops::merge::preview(&self.store, kind, survivor, other, &choices);
        let preview = match preview {
            Ok(ops::merge::Preview::Parent(p))
                if p.survivor.kind == ParentKind::Lead && p.other.kind == ParentKind::Customer =>
            {
                ops::merge::preview(&self.store, kind, other, survivor, &choices)
            }
            other => other,
        };
        match preview {
            Ok(p) => self
                .stack
                .push(Screen::Merge(Box::new(MergeView::new(kind, p)))),
            Err(e) => self.error(e),
        }
    }

    /// The merge view's preview again, for its choices as they are now.
    fn reread_merge(&mut self) {
        let Some(Screen::Merge(m)) = self.stack.last_mut() else {
            return;
        };
        match ops::merge::preview(&self.store, m.kind, m.survivor, m.other, &m.choices) {
            Ok(p) => m.set_preview(p),
            Err(e) => self.status = StatusLine::error(e),
        }
    }

    /// Merges what the merge view shows, with the versions it was read at. A record changed
    /// since is a conflict: nothing is written, and the view shows both records as saved now.
    fn do_merge(&mut self) {
        let Some(Screen::Merge(m)) = self.stack.last_mut() else {
            return;
        };
        let (kind, survivor, other) = (m.kind, m.survivor, m.other);
        let done = ops::merge::merge(
            &mut self.store,
            kind,
            survivor,
            other,
            &m.choices,
            Some(m.versions),
        );
        match done {
            Ok(merge_id) => {
                self.stack.pop();
                self.after_write();
                self.info(format!(
                    "Merged #{other} into #{survivor} (merge {merge_id})"
                ));
            }
            Err(StoreError::Conflict { what, id, .. }) => {
                match ops::merge::preview(&self.store, kind, survivor, other, &m.choices) {
                    Ok(p) => m.conflicted(p),
                    Err(e) => m.notice = Some(terminal_safe(&e.to_string(), false)),
                }
                self.error(format!(
                    "Not merged: {what} #{id} changed since you opened this view"
                ));
            }
            Err(e) => {
                let why = terminal_safe(&e.to_string(), false);
                m.notice = Some(format!("Not merged: {why}"));
                self.error(format!("Not merged: {why}"));
            }
        }
    }

    fn copy_lead_contact(&mut self, lead_id: i64) {
        match ops::people::copy_lead_contact(&mut self.store, lead_id) {
            Ok((id, new)) => {
                self.after_write();
                self.select(Select::Contact(id));
                if new {
                    self.info(format!("Copied the lead's contact into contact #{id}"));
                } else {
                    self.info(format!("Already a contact (#{id})"));
                }
            }
            Err(e) => self.error(e),
        }
    }

    fn confirmed(&mut self, pending: Pending) {
        match pending {
            Pending::DeleteContact { id, version } => {
                match self.store.delete_contact(id, version) {
                    Ok(()) => {
                        // Deleted from their card, the card goes: there is no one left on it.
                        if matches!(self.stack.last(), Some(Screen::Person(p)) if p.id() == id) {
                            self.stack.pop();
                        }
                        self.info(format!("Deleted contact #{id}"));
                        self.after_write();
                    }
                    Err(e) => self.error(e),
                }
            }
            Pending::Convert { lead_id, version } => {
                match ops::convert::convert(&mut self.store, lead_id, Some(version)) {
                    Ok(done) => {
                        self.after_write();
                        self.stack.pop();
                        self.open_detail(done.customer_id, done.promoted_contact);
                        self.list.select_id(done.customer_id);
                        self.info(format!("Converted into customer #{}", done.customer_id));
                    }
                    Err(e) => self.error(e),
                }
            }
        }
    }

    /// Our own write: data_version only moves for other connections, so reload by hand.
    fn after_write(&mut self) {
        if let Err(e) = self.reload() {
            self.error(e);
        }
    }

    fn select(&mut self, select: Select) {
        match select {
            Select::Nothing => {}
            Select::Parent(id) => self.list.select_id(id),
            Select::Contact(id) => {
                if let Some(Screen::Detail(d)) = self.stack.last_mut() {
                    d.select_contact(id);
                }
            }
        }
    }

    /// Saves the form in view; its errors stay on it, and an email goes out as an Effect.
    /// The first try does not wait for another writer's lock: if it meets one, the form says
    /// so on screen before the second try waits for it (at most `lock_wait`).
    fn submit(&mut self, wait: Duration) -> Vec<Effect> {
        let Some(Popup::Form(form)) = &mut self.popup else {
            return Vec::new();
        };
        let saved = self
            .store
            .wait_for_locks_at_most(wait)
            .and_then(|()| save(&mut self.store, &self.mail, form));
        if let Err(e) = self.store.wait_for_locks_at_most(self.lock_wait) {
            form.error = Some(terminal_safe(&e.to_string(), false));
            return Vec::new();
        }
        match saved {
            Err(StoreError::Busy) if wait.is_zero() && !self.lock_wait.is_zero() => {
                form.error = Some("Waiting for another writer to finish…".to_string());
                return vec![Effect::SaveWhenFree];
            }
            Ok(Saved::Done { message, select }) => {
                self.popup = None;
                self.info(message);
                self.after_write();
                self.select(select);
            }
            Ok(Saved::Send(mail)) => {
                // The form stays, saying so, until the server has answered.
                form.sending = true;
                form.error = Some("Sending…".to_string());
                return vec![Effect::Send {
                    mail,
                    config: Box::new(self.mail.clone()),
                }];
            }
            Err(StoreError::Invalid(fe)) => form.set_error(fe.field, fe.message),
            Err(StoreError::Conflict { current, .. }) => {
                form.conflict = Some(Conflict {
                    differences: differences(&self.store, form),
                    current_version: current,
                });
            }
            Err(e) => form.error = Some(terminal_safe(&e.to_string(), false)),
        }
        Vec::new()
    }

    /// The server answered: log what was sent, or put why not on the draft, which stays open.
    fn sent(&mut self, mail: Outgoing, result: std::result::Result<String, String>) {
        let form = match &mut self.popup {
            Some(Popup::Form(f)) if f.sending => Some(f),
            _ => None,
        };
        match result {
            Err(why) => match form {
                Some(f) => {
                    f.sending = false;
                    f.error = Some(terminal_safe(&why, false));
                }
                None => self.error(format!("not sent: {why}")),
            },
            Ok(message_id) => {
                if form.is_some() {
                    self.popup = None;
                }
                let logged = ops::email::log(
                    &mut self.store,
                    mail.parent_id,
                    mail.entry,
                    Some(message_id.clone()),
                );
                match logged {
                    Ok(_) => {
                        self.after_write();
                        self.info(format!("Sent {message_id}"));
                    }
                    Err(e) => self.error(format!("sent {message_id}, but logging it failed: {e}")),
                }
            }
        }
    }

    /// After a conflict, "reload": the form again, filled from the stored record.
    fn reload_form(&mut self) {
        self.after_write();
        let Some(Popup::Form(form)) = &self.popup else {
            return;
        };
        match stored_form(&self.store, &form.purpose) {
            None => {}
            Some(Ok(fresh)) => {
                self.info("Reloaded the saved version");
                self.show(Popup::form(fresh));
            }
            Some(Err(e)) => {
                self.popup = None;
                self.error(e);
            }
        }
    }
}
