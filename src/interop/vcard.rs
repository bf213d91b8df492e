// PLACEHOLDER so the crate builds until the real vCard module (being written now) replaces this
// whole file. Do not build on it.
use crate::domain::{Contact, ContactFields, ParentKind};
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub line: usize,
    pub fields: ContactFields,
    pub org: Option<String>,
    pub parent_kind: Option<ParentKind>,
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardError {
    pub line: usize,
    pub message: String,
}
pub fn parse(_bytes: &[u8]) -> Vec<Result<Card, CardError>> {
    vec![Err(CardError {
        line: 1,
        message: "vCard import is not built yet".into(),
    })]
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V3,
    V4,
}
pub fn write(_contacts: &[Contact], _version: Version) -> String {
    String::new()
}
