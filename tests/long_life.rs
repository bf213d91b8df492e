//! A store open for hours, as the TUI keeps it, while others write: the WAL file does not grow
//! without end, because nothing of a reader holds a snapshot between its reads.

use kith::domain::{ContactFields, ParentFields, ParentKind};
use kith::store::{Store, StoreOptions};
use std::sync::atomic::{AtomicBool, Ordering};

#[test]
fn a_store_held_open_while_another_commits_ten_thousand_changes_keeps_its_wal_small() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.db");
    let options = StoreOptions::default();
    let mut writer = Store::open(&path, &options).unwrap();
    let parent = ParentFields {
        name: "Initech".into(),
        ..Default::default()
    };
    let pid = writer.add_parent(ParentKind::Lead, &parent).unwrap();
    // What the TUI does: a store open throughout, its data version polled, the list read again
    // whenever it changed.
    let done = AtomicBool::new(false);
    let mut wal = path.clone().into_os_string();
    wal.push("-wal");
    let largest = std::thread::scope(|scope| {
        let watcher = scope.spawn(|| {
            let viewer = Store::open(&path, &options).unwrap();
            viewer.without_memory_map().unwrap();
            let mut seen = viewer.data_version().unwrap();
            let mut reloads = 0;
            let mut largest = 0;
            while !done.load(Ordering::Relaxed) {
                let now = viewer.data_version().unwrap();
                if now != seen {
                    seen = now;
                    viewer.parent_rows().unwrap();
                    reloads += 1;
                }
                largest = largest.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            assert!(reloads > 10, "the viewer saw the writes: {reloads} reloads");
            largest
        });
        for i in 0..10_000 {
            let fields = ContactFields {
                first_name: Some(format!("Person {i}")),
                notes: Some("x".repeat(200)),
                ..Default::default()
            };
            writer.add_contact(pid, &fields).unwrap();
        }
        done.store(true, Ordering::Relaxed);
        watcher.join().unwrap()
    });
    let db_size = std::fs::metadata(&path).unwrap().len();
    // SQLite checkpoints every 1,000 pages (4 MiB) when no reader holds an older snapshot.
    assert!(
        largest < 16 << 20,
        "the WAL reached {largest} bytes (the store is {db_size})"
    );
    assert!(
        db_size > 2 << 20,
        "the writes reached the store itself: {db_size} bytes"
    );
}
