//! App: the view stack, the store handle and the status line; `update` turns actions into
//! store calls.

use super::action::Action;
use super::forms::dialog::{
    Confirm, HistoryView, ParentPicker, Pending, PickerOutcome, StatusPicker,
};
use super::forms::fields::{self, Purpose};
use super::forms::{Conflict, Form, FormOutcome};
use super::keymap::Keymap;
use super::theme::Theme;
use super::views::detail::{Detail, DetailData, DetailRequest};
use super::views::help::HelpFor;
use super::views::parent_list::{ListRequest, ParentList};
use super::views::title_search::{TitleRequest, TitleSearch};
use crate::config::Config;
use crate::domain::validate::terminal_safe;
use crate::domain::{ActivityKind, NewActivity, ParentKind};
use crate::search::{Matcher, TitleSearch as TitleRanker};
use crate::store::{Store, StoreError};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

pub enum Screen {
    Detail(Box<Detail>),
    Titles(Box<TitleSearch>),
}

/// Slow work the loop runs after drawing.
pub enum Deferred {
    Research(i64),
    /// Send the email of the compose form in view, then log it.
    SendEmail,
}

pub enum Modal {
    Form(Box<Form>),
    Confirm(Confirm),
    Status(Box<StatusPicker>),
    Picker(Box<ParentPicker>),
    History(Box<HistoryView>),
}

pub struct App {
    pub store: Store,
    pub keymap: Keymap,
    pub theme: Theme,
    pub matcher: Matcher,
    pub ranker: TitleRanker,
    pub list: ParentList,
    pub stack: Vec<Screen>,
    pub modal: Option<Modal>,
    /// The help overlay, over whatever is in view.
    pub help: Option<HelpFor>,
    pub help_scroll: usize,
    /// The last thing that happened, and whether it was an error.
    pub status: Option<(String, bool)>,
    /// Titles in use, most used first: what the title field suggests.
    pub titles: Vec<String>,
    pub now: chrono::DateTime<chrono::Utc>,
    pub quit: bool,
    /// Work to run after the next draw.
    pub deferred: Option<Deferred>,
    pub research_options: crate::research::Options,
    pub mail: crate::mail::MailConfig,
    /// Text for $EDITOR, set when a form asks for it; the loop runs the editor.
    pub editor_request: Option<String>,
    data_version: i64,
    /// What to select once a save has reloaded the views.
    pending_select: Option<i64>,
    pending_parent: Option<i64>,
}

type Result<T> = std::result::Result<T, StoreError>;

fn terminal_safe_owned(s: String) -> String {
    terminal_safe(&s, false)
}

impl App {
    pub fn new(store: Store, config: &Config, no_color: bool) -> Result<App> {
        let mut app = App {
            keymap: Keymap::new(&config.keys),
            theme: Theme::new(&config.theme, no_color),
            matcher: Matcher::default(),
            ranker: TitleRanker::new(&config.titles.aliases),
            list: ParentList::default(),
            stack: Vec::new(),
            modal: None,
            help: None,
            help_scroll: 0,
            status: None,
            titles: Vec::new(),
            now: chrono::Utc::now(),
            quit: false,
            editor_request: None,
            deferred: None,
            research_options: crate::research::Options::default(),
            mail: config.mail.clone(),
            data_version: store.data_version()?,
            pending_select: None,
            pending_parent: None,
            store,
        };
        app.reload()?;
        Ok(app)
    }

    /// Reads everything in view again from the store.
    pub fn reload(&mut self) -> Result<()> {
        let rows = self.store.list_parents()?;
        self.list.set_rows(rows, &self.matcher);
        self.titles = self.store.titles()?.into_iter().map(|t| t.title).collect();
        for screen in &mut self.stack {
            if let Screen::Detail(d) = screen {
                let id = d.parent.id;
                match load_detail(&self.store, id) {
                    Ok(data) => d.replace(data, &self.matcher),
                    Err(StoreError::NotFound { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(())
    }

    /// Called between events: picks up other processes' writes.
    pub fn tick(&mut self) {
        self.now = chrono::Utc::now();
        match self.store.data_version() {
            Ok(v) if v != self.data_version => {
                self.data_version = v;
                if let Err(e) = self.reload() {
                    self.error(e);
                }
            }
            Ok(_) => {}
            Err(e) => self.error(e),
        }
    }

    pub fn info(&mut self, message: impl Into<String>) {
        self.status = Some((terminal_safe(&message.into(), false), false));
    }

    pub fn error(&mut self, e: impl std::fmt::Display) {
        self.status = Some((terminal_safe(&e.to_string(), false), true));
    }

    /// Which keys the help overlay lists now.
    pub fn help_for(&self) -> HelpFor {
        match (&self.modal, self.stack.last()) {
            (Some(Modal::Form(_)), _) => HelpFor::Form,
            (_, Some(Screen::Detail(_))) => HelpFor::Detail,
            (_, Some(Screen::Titles(_))) => HelpFor::TitleSearch,
            _ => HelpFor::ParentList,
        }
    }

    fn in_text_input(&self) -> bool {
        match self.stack.last() {
            _ if matches!(self.modal, Some(Modal::Form(_))) => true,
            Some(Screen::Titles(_)) => true,
            Some(Screen::Detail(d)) => d.filtering,
            None => self.list.filtering,
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        let actions: Vec<Action> = self.keymap.actions(&key).to_vec();
        if actions.contains(&Action::ForceQuit) {
            self.quit = true;
            return;
        }
        // Help lies over everything, a form included; j/k scroll it on a small terminal and any
        // other key closes it.
        if self.help.is_some() {
            if actions.contains(&Action::Down) {
                self.help_scroll += 1;
            } else if actions.contains(&Action::Up) {
                self.help_scroll = self.help_scroll.saturating_sub(1);
            } else {
                self.help = None;
            }
            return;
        }
        let typing = self.in_text_input() && matches!(key.code, KeyCode::Char(_));
        if actions.contains(&Action::Help) && !typing {
            self.help = Some(self.help_for());
            self.help_scroll = 0;
            return;
        }
        if let Some(modal) = self.modal.take() {
            self.modal_key(modal, key, &actions);
            return;
        }
        if !self.in_text_input() && actions.contains(&Action::FindTitle) {
            self.open_title_search();
            return;
        }
        self.status = None;
        match self.stack.last_mut() {
            None => {
                if self.list.filtering {
                    self.list.filter_key(&key, &actions, &self.matcher);
                    return;
                }
                let request = actions
                    .iter()
                    .find_map(|a| self.list.handle(*a, &self.matcher));
                match request {
                    Some(ListRequest::Quit) => self.quit = true,
                    Some(ListRequest::Open(id)) => self.open_detail(id, None),
                    Some(ListRequest::NewLead) => {
                        self.open_form(fields::parent_form(ParentKind::Lead, None))
                    }
                    Some(ListRequest::NewCustomer) => {
                        self.open_form(fields::parent_form(ParentKind::Customer, None))
                    }
                    Some(ListRequest::None) | None => {}
                }
            }
            Some(Screen::Titles(t)) => match t.handle_key(&key, &actions, &self.ranker) {
                TitleRequest::Back => {
                    self.stack.pop();
                }
                TitleRequest::Open {
                    parent_id,
                    contact_id,
                } => self.open_detail(parent_id, Some(contact_id)),
                TitleRequest::None => {}
            },
            Some(Screen::Detail(d)) => {
                if d.filtering {
                    d.filter_key(&key, &actions, &self.matcher);
                    return;
                }
                let request = actions.iter().find_map(|a| d.handle(*a, &self.matcher));
                if let Some(r) = request {
                    self.detail_request(r);
                }
            }
        }
    }

    fn detail(&self) -> Option<&Detail> {
        match self.stack.last() {
            Some(Screen::Detail(d)) => Some(d),
            _ => None,
        }
    }

    fn detail_request(&mut self, request: DetailRequest) {
        let Some(d) = self.detail() else { return };
        let parent = d.parent.clone();
        let contact = |id: i64| d.contacts.iter().find(|c| c.id == id).cloned();
        match request {
            DetailRequest::None => {}
            DetailRequest::Back => {
                self.stack.pop();
                self.list.select_id(parent.id);
            }
            DetailRequest::AddContact => self.open_form(fields::contact_form(
                &parent.fields.name,
                Purpose::NewContact {
                    parent_id: parent.id,
                },
                None,
            )),
            DetailRequest::EditContact(id) => {
                if let Some(c) = contact(id) {
                    let purpose = Purpose::EditContact {
                        id,
                        version: c.version,
                    };
                    self.open_form(fields::contact_form(&parent.fields.name, purpose, Some(&c)));
                }
            }
            DetailRequest::EditParent => {
                self.open_form(fields::parent_form(parent.kind, Some(&parent)))
            }
            DetailRequest::DeleteContact(id) => {
                if let Some(c) = contact(id) {
                    self.modal = Some(Modal::Confirm(Confirm {
                        message: terminal_safe_owned(format!(
                            "Delete {} from {}? Their notes stay on {}.",
                            c.full_name(),
                            parent.fields.name,
                            parent.fields.name
                        )),
                        pending: Pending::DeleteContact {
                            id,
                            version: c.version,
                        },
                    }));
                }
            }
            DetailRequest::AddNote(cid) => {
                let c = cid.and_then(contact);
                self.open_form(fields::note_form(parent.id, c.as_ref()));
            }
            DetailRequest::AddEmail(cid) => {
                let c = cid.and_then(contact);
                self.open_form(fields::email_form(
                    parent.id,
                    c.as_ref(),
                    crate::commands::can_send(&self.mail),
                ));
            }
            DetailRequest::Convert => {
                if parent.kind != ParentKind::Lead {
                    self.info(format!("{} is already a customer", parent.fields.name));
                } else if let Some(c) = parent.converted_to {
                    self.info(format!("This lead was converted into customer #{c}"));
                } else {
                    let who = parent
                        .fields
                        .contact_name
                        .as_deref()
                        .map(|n| format!(" {n} becomes a contact;"))
                        .unwrap_or_default();
                    self.modal = Some(Modal::Confirm(Confirm {
                        message: terminal_safe_owned(format!(
                            "Convert {} into a customer?{who} its contacts, notes and emails move along. The lead is kept as history.",
                            parent.fields.name
                        )),
                        pending: Pending::Convert { lead_id: parent.id, version: parent.version },
                    }));
                }
            }
            DetailRequest::History => match self.store.history("parent", parent.id) {
                Ok(entries) => {
                    let lines = entries
                        .iter()
                        .rev()
                        .map(|h| terminal_safe(&h.describe(), false))
                        .collect();
                    self.modal = Some(Modal::History(Box::new(HistoryView {
                        title: terminal_safe(&parent.fields.name, false),
                        lines,
                        scroll: 0,
                    })));
                }
                Err(e) => self.error(e),
            },
            DetailRequest::CopyContact => match self.store.promote_lead_contact(parent.id) {
                Ok((id, new)) => {
                    self.after_write();
                    if let Some(Screen::Detail(d)) = self.stack.last_mut() {
                        d.select_contact(id);
                    }
                    if new {
                        self.info(format!("Copied the lead's contact into contact #{id}"));
                    } else {
                        self.info(format!("Already a contact (#{id})"));
                    }
                }
                Err(e) => self.error(e),
            },
            DetailRequest::MoveContact(id) => {
                if let Some(c) = contact(id) {
                    match self.store.list_parents() {
                        Ok(all) => {
                            let options = all
                                .into_iter()
                                .map(|s| s.parent)
                                .filter(|p| p.id != parent.id && p.converted_to.is_none())
                                .map(|p| (p.id, terminal_safe(&p.fields.name, false), p.kind))
                                .collect();
                            let who = terminal_safe(c.full_name(), false);
                            self.modal = Some(Modal::Picker(Box::new(ParentPicker::new(
                                id, c.version, who, options,
                            ))));
                        }
                        Err(e) => self.error(e),
                    }
                }
            }
            DetailRequest::Research => self.research(&parent),
            DetailRequest::ChangeStatus => {
                if parent.converted_to.is_some() {
                    self.info("A converted lead keeps its status as history");
                } else {
                    self.modal = Some(Modal::Status(Box::new(StatusPicker::new(parent))));
                }
            }
        }
    }

    /// Research runs after the next draw, so the "researching" status shows while it waits on
    /// the network.
    fn research(&mut self, parent: &crate::domain::Parent) {
        if parent.kind != ParentKind::Lead || parent.converted_to.is_some() {
            self.info("Research is for leads");
            return;
        }
        self.info(format!("Researching {}…", parent.fields.name));
        self.deferred = Some(Deferred::Research(parent.id));
    }

    /// Runs work that was put off until after a draw (see `research`).
    pub fn run_deferred(&mut self) {
        match self.deferred.take() {
            None => {}
            Some(Deferred::SendEmail) => {
                let Some(Modal::Form(mut form)) = self.modal.take() else {
                    return;
                };
                let Purpose::Email {
                    parent_id,
                    contact_id,
                } = form.purpose
                else {
                    self.modal = Some(Modal::Form(form));
                    return;
                };
                let to_name = contact_id
                    .and_then(|id| self.store.contact(id).ok())
                    .map(|c| c.full_name().to_string());
                let draft = crate::mail::Draft {
                    to: form.get("to"),
                    to_name,
                    subject: form.get("subject"),
                    body: form.get("body"),
                };
                match crate::commands::send_and_log(
                    &mut self.store,
                    &self.mail,
                    parent_id,
                    contact_id,
                    &draft,
                    true,
                ) {
                    Ok(sent) => {
                        self.after_write();
                        self.info(format!("Sent {}", sent.message_id.unwrap_or_default()));
                    }
                    Err(crate::commands::EmailError::Store(StoreError::Invalid(fe))) => {
                        form.set_error(fe.field, fe.message);
                        self.modal = Some(Modal::Form(form));
                    }
                    Err(e) => {
                        // The draft stays open, with why it was not sent.
                        form.error = Some(terminal_safe(&e.to_string(), false));
                        self.modal = Some(Modal::Form(form));
                    }
                }
            }
            Some(Deferred::Research(id)) => {
                match crate::commands::research_lead(&mut self.store, id, &self.research_options) {
                    Ok(report) => {
                        self.after_write();
                        self.info(report.summary());
                    }
                    Err(e) => self.error(format!("research: {e:#}")),
                }
            }
        }
    }

    fn open_form(&mut self, form: Form) {
        self.modal = Some(Modal::Form(Box::new(form)));
    }

    pub fn open_detail(&mut self, parent_id: i64, contact_id: Option<i64>) {
        match load_detail(&self.store, parent_id) {
            Ok(data) => {
                let mut d = Detail::new(data);
                if let Some(cid) = contact_id {
                    d.select_contact(cid);
                }
                // Opening from the title search replaces it: Esc goes back to the list.
                if matches!(self.stack.last(), Some(Screen::Titles(_))) {
                    self.stack.pop();
                }
                self.stack.push(Screen::Detail(Box::new(d)));
            }
            Err(e) => self.error(e),
        }
    }

    fn open_title_search(&mut self) {
        match self.store.titled_contacts() {
            Ok(all) => {
                let t = TitleSearch::new(all, &self.ranker);
                self.stack.push(Screen::Titles(Box::new(t)));
            }
            Err(e) => self.error(e),
        }
    }

    fn modal_key(&mut self, modal: Modal, key: KeyEvent, actions: &[Action]) {
        match modal {
            Modal::Picker(mut p) => match p.handle_key(&key) {
                PickerOutcome::Stay => self.modal = Some(Modal::Picker(p)),
                PickerOutcome::Cancel => {}
                PickerOutcome::Chosen(to) => {
                    match self.store.move_contact(p.contact_id, p.version, to) {
                        Ok(new_id) => {
                            self.after_write();
                            let company = p
                                .options
                                .iter()
                                .find(|o| o.0 == to)
                                .map_or(String::new(), |o| o.1.clone());
                            self.info(format!(
                                "{} moved on to {company} (new contact #{new_id})",
                                p.person
                            ));
                        }
                        Err(e) => self.error(e),
                    }
                }
            },
            Modal::History(mut h) => {
                if actions.contains(&Action::Down) {
                    h.scroll = (h.scroll + 1).min(h.lines.len().saturating_sub(1));
                    self.modal = Some(Modal::History(h));
                } else if actions.contains(&Action::Up) {
                    h.scroll = h.scroll.saturating_sub(1);
                    self.modal = Some(Modal::History(h));
                }
            }
            Modal::Confirm(c) => {
                if actions.contains(&Action::Confirm) {
                    self.confirmed(c.pending);
                } else if !actions.contains(&Action::Deny) {
                    self.modal = Some(Modal::Confirm(c));
                }
            }
            Modal::Status(mut s) => match key.code {
                KeyCode::Esc => {}
                KeyCode::Enter => {
                    if let Some(st) = s.options.get(s.selected).copied() {
                        // A reason is asked for every status set by hand; only a lead's
                        // is required.
                        self.open_form(fields::reason_form(&s.parent, st));
                    }
                }
                _ => {
                    if let Some(a) = actions
                        .iter()
                        .find(|a| matches!(a, Action::Up | Action::Down))
                    {
                        s.selected = match a {
                            Action::Up => s.selected.saturating_sub(1),
                            _ => (s.selected + 1).min(s.options.len().saturating_sub(1)),
                        };
                    }
                    self.modal = Some(Modal::Status(s));
                }
            },
            Modal::Form(mut form) => {
                let suggestions = form.suggestions(&self.titles, &self.matcher);
                match form.handle_key(key, &self.keymap, &suggestions) {
                    FormOutcome::Stay => self.modal = Some(Modal::Form(form)),
                    FormOutcome::Cancel => self.info("Cancelled"),
                    FormOutcome::Save => self.save_form(form),
                    FormOutcome::Editor => {
                        self.editor_request = Some(form.focused().value());
                        self.modal = Some(Modal::Form(form));
                    }
                    FormOutcome::Reload => self.reload_form(&form),
                    FormOutcome::Overwrite => {
                        if let Some(c) = form.conflict.take() {
                            match &mut form.purpose {
                                Purpose::EditContact { version, .. }
                                | Purpose::EditParent { version, .. } => {
                                    *version = c.current_version
                                }
                                _ => {}
                            }
                        }
                        self.save_form(form);
                    }
                }
            }
        }
    }

    /// The editor closed: its text goes into the focused field.
    pub fn editor_done(&mut self, result: std::io::Result<String>) {
        match result {
            Ok(text) => {
                if let Some(Modal::Form(form)) = &mut self.modal {
                    let text = text.strip_suffix('\n').unwrap_or(&text).to_string();
                    form.fields[form.focus].set_value(&text);
                }
            }
            Err(e) => self.error(format!("editor: {e}")),
        }
    }

    fn confirmed(&mut self, pending: Pending) {
        match pending {
            Pending::DeleteContact { id, version } => {
                match self.store.delete_contact(id, version) {
                    Ok(()) => {
                        self.info(format!("Deleted contact #{id}"));
                        self.after_write();
                    }
                    Err(e) => self.error(e),
                }
            }
            Pending::Convert { lead_id, version } => {
                match self.store.convert_lead(lead_id, Some(version)) {
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

    fn save_form(&mut self, mut form: Box<Form>) {
        let result: Result<String> = match form.purpose.clone() {
            Purpose::NewContact { parent_id } => self
                .store
                .add_contact(parent_id, &fields::contact_values(&form))
                .map(|id| {
                    self.pending_select = Some(id);
                    format!("Added contact #{id}")
                }),
            Purpose::EditContact { id, version } => self
                .store
                .update_contact(id, version, &fields::contact_values(&form))
                .map(|_| format!("Saved contact #{id}")),
            Purpose::NewParent { kind } => self
                .store
                .add_parent(kind, &fields::parent_values(&form))
                .map(|id| {
                    self.pending_parent = Some(id);
                    format!("Added {kind} #{id}")
                }),
            Purpose::EditParent { id, version, .. } => self
                .store
                .update_parent(id, version, &fields::parent_values(&form))
                .map(|_| format!("Saved #{id}")),
            Purpose::Note {
                parent_id,
                contact_id,
            } => self
                .store
                .add_activity(parent_id, &NewActivity::note(contact_id, &form.get("body")))
                .map(|_| "Note added".to_string()),
            Purpose::Email {
                parent_id,
                contact_id,
            } => {
                if crate::commands::can_send(&self.mail) {
                    // Sent after the next draw, so "Sending…" shows while the server answers.
                    form.error = Some("Sending…".to_string());
                    self.modal = Some(Modal::Form(form));
                    self.deferred = Some(Deferred::SendEmail);
                    return;
                }
                let email = NewActivity {
                    kind: ActivityKind::Email,
                    contact_id,
                    subject: form.opt("subject"),
                    body: form.get("body"),
                    email_to: form.opt("to"),
                    message_id: None,
                };
                self.store
                    .add_activity(parent_id, &email)
                    .map(|_| "Email logged (sending is not set up in [mail])".to_string())
            }
            Purpose::StatusReason {
                parent_id,
                version,
                status,
            } => self
                .store
                .set_status(parent_id, version, status, Some(&form.get("reason")))
                .map(|_| format!("Status: {}", status.label())),
        };
        match result {
            Ok(message) => {
                self.info(message);
                self.after_write();
                if let Some(id) = self.pending_parent.take() {
                    self.list.select_id(id);
                }
                if let Some(id) = self.pending_select.take() {
                    if let Some(Screen::Detail(d)) = self.stack.last_mut() {
                        d.select_contact(id);
                    }
                }
            }
            Err(StoreError::Invalid(fe)) => {
                form.set_error(fe.field, fe.message);
                self.modal = Some(Modal::Form(form));
            }
            Err(StoreError::Conflict { current, .. }) => {
                form.conflict = Some(Conflict {
                    differences: self.differences(&form),
                    current_version: current,
                });
                self.modal = Some(Modal::Form(form));
            }
            Err(e) => {
                form.error = Some(terminal_safe(&e.to_string(), false));
                self.modal = Some(Modal::Form(form));
            }
        }
    }

    /// The edit form filled from the record as it is stored now; None for forms that create.
    fn stored_form(&self, purpose: &Purpose) -> Option<Result<Form>> {
        Some(match *purpose {
            Purpose::EditContact { id, .. } => self.store.contact(id).map(|c| {
                let purpose = Purpose::EditContact {
                    id,
                    version: c.version,
                };
                fields::contact_form(&c.parent_name, purpose, Some(&c))
            }),
            Purpose::EditParent { id, kind, .. } => self
                .store
                .parent(id)
                .map(|p| fields::parent_form(kind, Some(&p))),
            _ => return None,
        })
    }

    /// Fields where the stored record and the form disagree, for the conflict dialog.
    fn differences(&self, form: &Form) -> Vec<(&'static str, String, String)> {
        let stored = match self.stored_form(&form.purpose) {
            Some(Ok(stored)) => stored,
            _ => return Vec::new(),
        };
        form.fields
            .iter()
            .filter_map(|f| {
                let theirs = stored.get(f.key);
                let yours = f.value();
                (theirs.trim() != yours.trim()).then_some((f.label, theirs, yours))
            })
            .collect()
    }

    /// After a conflict, "reload": the form again, filled from the stored record.
    fn reload_form(&mut self, form: &Form) {
        self.after_write();
        let Some(fresh) = self.stored_form(&form.purpose) else {
            return;
        };
        match fresh {
            Ok(f) => {
                self.info("Reloaded the saved version");
                self.open_form(f);
            }
            Err(e) => self.error(e),
        }
    }
}

fn load_detail(store: &Store, id: i64) -> Result<DetailData> {
    let parent = store.parent(id)?;
    let converted_from = match parent.kind {
        ParentKind::Customer => store.converted_from(id)?,
        ParentKind::Lead => None,
    };
    Ok(DetailData {
        converted_from,
        contacts: store.list_contacts(Some(id))?,
        activities: store.list_activities(id, None)?,
        links: store.moved_links(id)?.into_iter().collect(),
        parent,
    })
}
