//! Plain types and the rules of kith's domain. No I/O lives here: the store persists these
//! types, the command line and the TUI show them.

pub mod activity;
pub mod contact;
pub mod likeness;
pub mod mailbox;
pub mod merge;
pub mod parent;
pub mod touch;
pub mod validate;

pub use activity::{Activity, ActivityKind, NewActivity, Participant};
pub use contact::{Contact, ContactFields, Labeled};
pub use parent::{Parent, ParentFields, ParentKind, Status};
pub use validate::FieldError;
