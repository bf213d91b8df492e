//! Msg (what happened, as screens, popups and finished work say it) and Effect (what the loop
//! must do next, off the drawing path).

use super::popups::confirm::Pending;
use super::popups::Popup;
use crate::domain::{Contact, NewActivity, ParentKind};
use crate::mail::{Draft, MailConfig};
use crate::ops::research::Target;

/// What happened. Screens and popups turn keys into these; `App::update` applies them.
pub enum Msg {
    Quit,
    /// Leave the screen on top, selecting this parent in the list underneath.
    Back {
        select: Option<i64>,
    },
    OpenParent {
        parent_id: i64,
        contact_id: Option<i64>,
    },
    OpenTitles,
    /// The People list: every person.
    OpenPeople,
    /// `/` on the People list: its filter needs the people's texts first.
    StartPeopleFilter,
    /// The People list ordered by company: each person's company is read first.
    OrderPeople(super::screens::people::Order),
    /// When each person was last in touch and is next due, read on a worker thread.
    PeopleTouch(Result<crate::ops::people::Touch, String>),
    /// The person's card of this contact, over the screen in view.
    OpenPerson {
        contact_id: i64,
    },
    /// A note or email whole, over the screen in view.
    OpenPager(Box<super::screens::pager::Pager>),
    /// The merge view of this person and their likeliest duplicate, if they have one.
    MergePerson(i64),
    /// Find everything: people, companies, notes and emails.
    OpenFind,
    /// The find's text changed: find again.
    FindChanged,
    /// Enter on a row of the find: open that person, company or entry.
    OpenFound(Box<crate::ops::find::Found>),
    /// `/` on the parent list: its filter needs the rows' texts first.
    StartListFilter,
    /// `/` in the detail view: its contacts are ranked by closeness, read first.
    StartContactFilter,
    /// A `/` filter names fields (`title:cto org:acme`): which rows they keep is the app's to
    /// work out, then the list is filtered again.
    FilterScoped,
    /// The Today screen: who is due, birthdays, recent activity, the pipeline.
    OpenToday,
    /// The title search's text changed: rank again.
    TitlesChanged,
    /// The title search's selection moved: the people now in view may need reading.
    TitlesMoved,
    /// A line for the status bar.
    Info(String),
    NewParent(ParentKind),
    /// Write to (or log an email with) this contact of the parent, or the parent as a whole.
    ComposeEmail {
        parent_id: i64,
        contact: Option<Box<Contact>>,
    },
    /// The history of a lead or customer (`MergeKind::Parent`) or of a contact.
    ShowHistory {
        kind: crate::store::MergeKind,
        id: i64,
        name: String,
    },
    /// Undo the last merge into this record (from its history).
    UndoMerge {
        kind: crate::store::MergeKind,
        id: i64,
    },
    /// The parent list's duplicates key: find them and show them.
    OpenDupes,
    /// The merge view of two records, `other` going into `survivor`.
    OpenMerge {
        kind: crate::store::MergeKind,
        survivor: i64,
        other: i64,
    },
    /// The pair is not a duplicate: say so to the store, and find the duplicates again.
    NotDuplicate {
        kind: crate::store::MergeKind,
        a: i64,
        b: i64,
    },
    /// The merge view's choices changed: read its preview again.
    MergeChanged,
    /// The merge view asks to merge what it shows.
    DoMerge,
    /// Something was refused before the store was asked: said as an error.
    Refused(String),
    CopyLeadContact(i64),
    PickMoveTarget {
        contact_id: i64,
        version: i64,
        person: String,
        from_parent: i64,
    },
    /// The company a person moved to was chosen: how to reach them there is asked next.
    MoveContact {
        contact_id: i64,
        version: i64,
        to: crate::store::MoveTo,
        person: String,
        company: String,
    },
    Research {
        lead_id: i64,
        name: String,
    },
    Popup(Popup),
    ClosePopup,
    /// A confirmation was answered yes.
    Confirmed(Pending),
    /// The form in view asks to be saved.
    Submit,
    /// Sync with the vdir folder now (on a worker thread).
    StartSync,
    /// The sync finished: what it did, or why not.
    Synced(Result<String, String>),
    /// The likely duplicates, looked for on a worker thread (see `Effect::FindDupes`).
    DupesFound(Result<Vec<crate::ops::dupes::DupeGroup>, String>),
    /// The form's first save met another writer's lock: try again, waiting for it this time.
    SubmitWaiting,
    /// The form in view was cancelled.
    Cancelled,
    /// The form in view wants its focused field in $EDITOR.
    EditField,
    /// After a conflict: the form again, from the stored record.
    ReloadForm,
    /// After a conflict: save over the other version.
    Overwrite,
    /// $EDITOR closed, with the text or why not.
    Edited(std::io::Result<String>),
    /// Research finished (off the drawing path).
    Researched {
        /// Which research this was: one cancelled (Esc) or replaced since is not applied.
        run: u64,
        target: Target,
        result: Result<crate::research::Finding, String>,
    },
    /// Sending finished: the Message-ID, or why not.
    Sent {
        mail: Box<Outgoing>,
        result: Result<String, String>,
    },
}

/// An email checked against the store, to be sent and then logged.
#[derive(Clone)]
pub struct Outgoing {
    pub parent_id: i64,
    pub draft: Draft,
    pub entry: NewActivity,
}

/// What the loop must do after an update.
pub enum Effect {
    /// Hand the terminal to $EDITOR on this text; `Msg::Edited` comes back.
    Editor(String),
    /// Read a lead's website on a worker thread; `Msg::Researched` comes back.
    Research {
        run: u64,
        target: Target,
        options: crate::research::Options,
    },
    /// Sync with a vdir folder on a worker thread, over this connection of its own (see
    /// `Store::another_connection`); `Msg::Synced` comes back.
    Sync {
        store: Box<crate::store::Store>,
        folder: std::path::PathBuf,
        options: crate::ops::sync::SyncOptions,
    },
    /// Look for likely duplicates on a worker thread, over this connection of its own: at
    /// 100,000 people it takes seconds, and the screen keeps answering meanwhile.
    FindDupes { store: Box<crate::store::Store> },
    /// Read when each person was last in touch and is next due, on a worker thread.
    ReadTouch {
        store: Box<crate::store::Store>,
        cadences: Box<crate::domain::touch::Cadences>,
        now: chrono::DateTime<chrono::Utc>,
    },
    /// Draw first (the form says it is waiting for another writer), then `Msg::SubmitWaiting`.
    SaveWhenFree,
    /// Send on a worker thread; `Msg::Sent` comes back.
    Send {
        mail: Box<Outgoing>,
        config: Box<MailConfig>,
    },
}
