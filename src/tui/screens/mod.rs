//! The screens of the TUI: the parent list at the bottom, then the detail view or the title
//! search on top of it, and help over everything. Each owns its state, its keys and its drawing;
//! none touches the store.

pub mod detail;
pub mod help;
pub mod parent_list;
pub mod title_search;

/// A screen stacked over the parent list.
pub enum Screen {
    Detail(Box<detail::Detail>),
    Titles(Box<title_search::TitleSearch>),
}
