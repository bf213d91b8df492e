//! placeholder
#[path = "e2e/harness.rs"]
mod harness;
#[test]
fn placeholder() {
    let _ = harness::KITH;
}
