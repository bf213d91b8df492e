//! Mail handed to `kith log`: one message piped from a mail client, an mbox file or a maildir
//! folder, turned into parsed messages. Pure apart from listing a maildir: no store, no
//! terminal; the command decides whom each message belongs to.

pub mod maildir;
pub mod mbox;
pub mod message;

pub use message::{parse, Address, Incoming, Origin};
