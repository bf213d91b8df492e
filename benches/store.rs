//! kith at 100,000 contacts: how long what a user waits for takes.
//!
//! Run with `cargo bench` (set KITH_BENCH_CONTACTS for another size). Each figure is the median
//! of several runs on a fresh store filled by `kith demo`'s generator, in a temporary folder.

use kith::config::Config;
use kith::ops::import;
use kith::ops::titles::people_by_title;
use kith::store::{Store, StoreOptions};
use kith::tui::{app::App, draw};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use std::time::{Duration, Instant};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn report(name: &str, runs: Vec<Duration>) {
    let n = runs.len();
    let min = *runs.iter().min().unwrap_or(&Duration::ZERO);
    let max = *runs.iter().max().unwrap_or(&Duration::ZERO);
    let med = median(runs);
    println!(
        "{name:<52} median {:>9.2} ms   min {:>9.2} ms   max {:>9.2} ms   ({n} runs)",
        med.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3
    );
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn main() {
    // `cargo test --benches` runs this too; only measure under `cargo bench`.
    if std::env::args().any(|a| a == "--test") || !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let n: usize = std::env::var("KITH_BENCH_CONTACTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("kith.db");
    let options = StoreOptions::default();
    let config = Config::default();

    println!("kith benchmarks at {n} contacts\n");
    let mut store = Store::open(&path, &options).expect("store");
    let (summary, took) = time(|| kith::demo::fill(&mut store, n).expect("demo data"));
    report(
        &format!(
            "kith demo: fill {} parents, {} contacts",
            summary.leads + summary.customers,
            summary.contacts
        ),
        vec![took],
    );
    drop(store);

    let runs: Vec<Duration> = (0..5)
        .map(|_| {
            time(|| {
                let store = Store::open(&path, &options).expect("store");
                App::new(store, &config, true).expect("app")
            })
            .1
        })
        .collect();
    report("TUI open: store + parent list loaded", runs);

    let store = Store::open(&path, &options).expect("store");
    let aliases = &config.titles.aliases;
    let runs = (0..5)
        .map(|_| time(|| people_by_title(&store, aliases, "cto").expect("q")).1)
        .collect();
    report("kith contacts --title cto (query and rank)", runs);
    let runs = (0..5)
        .map(|_| time(|| store.list_contacts(None).expect("list")).1)
        .collect();
    report("all contacts read from the store", runs);
    for q in ["ada", "lovelace", "cto northwind"] {
        let runs = (0..5)
            .map(|_| time(|| kith::ops::lookup::lookup(&store, q).expect("query")).1)
            .collect();
        report(&format!("kith query {q:?} (mail-client lookup)"), runs);
    }

    // CSV import: kith's own export of every contact into a fresh store.
    let all = store.list_contacts(None).expect("list");
    let mut csv_bytes = Vec::new();
    kith::interop::csv::write_contacts(&mut csv_bytes, &all).expect("csv");
    drop(store);
    let runs = (0..2)
        .map(|i| {
            let target = dir.path().join(format!("import-{i}.db"));
            let mut fresh = Store::open(&target, &options).expect("store");
            time(|| {
                let rows = import::read_rows(&csv_bytes, import::Format::Csv).expect("read");
                let mut report = import::ImportReport::default();
                import::import(
                    &mut fresh,
                    rows,
                    import::ImportOptions {
                        default_kind: kith::domain::ParentKind::Lead,
                        all_or_nothing: false,
                        update: false,
                    },
                    &mut report,
                    &mut |_, _| {},
                )
                .expect("import");
                // The demo data has a few people sharing an email: the import skips those.
                assert_eq!(
                    report.imported + report.duplicates,
                    n,
                    "every row accounted for"
                );
                assert!(report.errors.is_empty(), "{:?}", report.errors.first());
            })
            .1
        })
        .collect();
    report(
        &format!("CSV import of {n} contacts into a new store"),
        runs,
    );

    let store = Store::open(&path, &options).expect("store");
    let mut app = App::new(store, &config, true).expect("app");
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    term.draw(|f| draw::render(&app, f)).expect("draw");

    let esc = KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE);
    let runs = (0..200)
        .map(|_| press(&mut app, &mut term, key('j')))
        .collect();
    report("parent list: scroll one row (key + draw)", runs);
    let page_down = KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE);
    let runs = (0..20)
        .map(|_| press(&mut app, &mut term, page_down))
        .collect();
    report("parent list: page down (key + draw)", runs);

    app.handle_key(key('/'));
    let runs = "north"
        .chars()
        .map(|c| press(&mut app, &mut term, key(c)))
        .collect();
    report("parent list: one keystroke of the / filter", runs);
    app.handle_key(esc);

    let runs = (0..3)
        .map(|_| {
            let took = press(&mut app, &mut term, key('t'));
            app.handle_key(esc);
            took
        })
        .collect();
    report("find by title: open (t)", runs);
    app.handle_key(key('t'));
    let runs = "engineer"
        .chars()
        .map(|c| press(&mut app, &mut term, key(c)))
        .collect();
    report("find by title: one keystroke", runs);
    app.handle_key(esc);

    let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
    let runs = (0..20)
        .map(|_| {
            let took = press(&mut app, &mut term, enter);
            app.handle_key(esc);
            app.handle_key(key('j'));
            took
        })
        .collect();
    report("detail view: open a parent (Enter)", runs);
}

/// How long one key press takes to be handled and drawn.
fn press(app: &mut App, term: &mut Terminal<TestBackend>, key: KeyEvent) -> Duration {
    time(|| {
        app.handle_key(key);
        term.draw(|f| draw::render(app, f)).expect("draw");
    })
    .1
}
