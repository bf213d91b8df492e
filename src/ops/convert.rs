//! Converting a lead into a customer (the store does it in one transaction).

use crate::store::{Conversion, Result, Store};

/// Converts the lead, provided it is still at `version` when one is given.
pub fn convert(store: &mut Store, lead_id: i64, version: Option<i64>) -> Result<Conversion> {
    store.convert_lead(lead_id, version)
}
