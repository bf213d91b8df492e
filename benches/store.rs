//! kith at 1,000 to 1,000,000 contacts: how long what a user waits for takes, what the TUI
//! writes to the terminal, and how much memory it holds.
//!
//! Run with `cargo bench`. `KITH_BENCH_CONTACTS` sets the sizes, one after the other
//! (`KITH_BENCH_CONTACTS=1000,10000,100000`; 100,000 by default). Each figure is the median of
//! several runs on a fresh store filled by `kith demo`'s generator, in a temporary folder; a
//! table of every figure at every size ends the output. `KITH_BENCH_ONLY=find` stops after the
//! find-everything figures.

use kith::config::Config;
use kith::ops::import;
use kith::ops::titles::people_by_title;
use kith::store::{Store, StoreOptions};
use kith::tui::{app::App, draw};
use ratatui::backend::{Backend, CrosstermBackend, TestBackend};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::path::Path;
use std::time::{Duration, Instant};

/// The figures of every size, for the table at the end: (what, size, value).
struct Figures(Vec<(String, usize, String)>);

impl Figures {
    fn add(&mut self, name: &str, size: usize, value: String) {
        self.0.push((name.to_string(), size, value));
    }

    /// Reports the median, min and max of `runs`.
    fn time(&mut self, size: usize, name: &str, runs: Vec<Duration>) {
        let n = runs.len();
        let min = *runs.iter().min().unwrap_or(&Duration::ZERO);
        let max = *runs.iter().max().unwrap_or(&Duration::ZERO);
        let med = median(runs);
        println!(
            "{name:<58} median {:>9.2} ms   min {:>9.2} ms   max {:>9.2} ms   ({n} runs)",
            ms(med),
            ms(min),
            ms(max)
        );
        self.add(name, size, format!("{:.2} ms", ms(med)));
    }

    /// Reports a figure that is not a time.
    fn value(&mut self, size: usize, name: &str, value: String) {
        println!("{name:<58} {value}");
        self.add(name, size, value);
    }

    /// Every figure, one row each, a column per size.
    fn table(&self, sizes: &[usize]) {
        let mut names: Vec<&str> = Vec::new();
        for (name, _, _) in &self.0 {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        print!("\n{:<58}", "figure \\ contacts");
        for s in sizes {
            print!(" {s:>14}");
        }
        println!();
        for name in names {
            print!("{name:<58}");
            for s in sizes {
                let v = self
                    .0
                    .iter()
                    .find(|(n, size, _)| n == name && size == s)
                    .map_or("", |f| f.2.as_str());
                print!(" {v:>14}");
            }
            println!();
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs.get(runs.len() / 2).copied().unwrap_or_default()
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn code(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// The sizes asked for: `KITH_BENCH_CONTACTS`, a comma-separated list.
fn sizes() -> Vec<usize> {
    let spec = std::env::var("KITH_BENCH_CONTACTS").unwrap_or_else(|_| "100000".into());
    let sizes: Vec<usize> = spec
        .split(',')
        .filter_map(|s| s.trim().replace('_', "").parse().ok())
        .collect();
    if sizes.is_empty() {
        vec![100_000]
    } else {
        sizes
    }
}

fn main() {
    // The memory figures come from a process of their own, started below.
    if let Some(db) = std::env::var_os("KITH_BENCH_MEMORY_OF") {
        memory_child(Path::new(&db));
        return;
    }
    // `cargo test --benches` runs this too; only measure under `cargo bench`.
    if std::env::args().any(|a| a == "--test") || !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let sizes = sizes();
    let mut figures = Figures(Vec::new());
    for &n in &sizes {
        bench_size(n, &mut figures);
    }
    figures.table(&sizes);
}

fn bench_size(n: usize, fig: &mut Figures) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("kith.db");
    let options = StoreOptions::default();
    let config = Config::default();

    println!("\nkith benchmarks at {n} contacts\n");
    let mut store = Store::open(&path, &options).expect("store");
    let (summary, took) = time(|| kith::demo::fill(&mut store, n).expect("demo data"));
    let parents = summary.leads + summary.customers;
    fig.time(n, "kith demo: fill the store", vec![took]);
    fig.value(
        n,
        "  leads and customers / contacts",
        format!("{parents} / {}", summary.contacts),
    );
    drop(store);
    find_everything(n, fig, &path, &options);
    if std::env::var("KITH_BENCH_ONLY").is_ok_and(|v| v == "find") {
        return;
    }

    let open_app = || {
        let store = Store::open(&path, &options).expect("store");
        App::new(store, &config, true).expect("app")
    };
    let runs: Vec<Duration> = (0..5).map(|_| time(open_app).1).collect();
    fig.time(n, "TUI open: store + parent list loaded", runs);

    let store = Store::open(&path, &options).expect("store");
    let aliases = &config.titles.aliases;
    let runs = (0..5)
        .map(|_| time(|| people_by_title(&store, aliases, "cto").expect("q")).1)
        .collect();
    fig.time(n, "kith contacts --title cto (query and rank)", runs);
    let runs = (0..5)
        .map(|_| time(|| store.list_contacts(None).expect("list")).1)
        .collect();
    fig.time(n, "all contacts read from the store", runs);
    // The card of people spread over the store, as Enter on a person and `kith person` read it.
    let ids: Vec<i64> = (1..=5).map(|k| (k * n / 5) as i64).collect();
    let runs = ids
        .iter()
        .map(|&id| time(|| kith::ops::person::card(&store, id).expect("card")).1)
        .collect();
    fig.time(n, "kith person: the card of one person", runs);
    let mut groups = 0;
    let runs = (0..5)
        .map(|_| {
            let (found, took) = time(|| kith::ops::dupes::find(&store, None).expect("dupes"));
            groups = found.len();
            took
        })
        .collect();
    fig.time(n, "kith dupes: find likely duplicates", runs);
    fig.value(n, "  groups found", groups.to_string());
    for q in ["ada", "lovelace", "cto northwind"] {
        let runs = (0..5)
            .map(|_| time(|| kith::ops::lookup::lookup(&store, q).expect("query")).1)
            .collect();
        fig.time(n, &format!("kith query {q:?} (mail-client lookup)"), runs);
    }

    // CSV import: kith's own export of every contact into a fresh store.
    let all = store.list_contacts(None).expect("list");
    let mut csv_bytes = Vec::new();
    kith::interop::csv::write_contacts(&mut csv_bytes, &all).expect("csv");
    drop(all);
    drop(store);
    let runs = (0..2)
        .map(|i| {
            let target = dir.path().join(format!("import-{i}.db"));
            let mut fresh = Store::open(&target, &options).expect("store");
            let took = time(|| {
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
            .1;
            drop(fresh);
            let _ = std::fs::remove_file(&target);
            took
        })
        .collect();
    fig.time(n, "CSV import of every contact into a new store", runs);
    drop(csv_bytes);

    tui_keys(n, fig, open_app());
    terminal_bytes(n, fig, &path, &options, &config);
    memory(n, fig, &path);
}

/// How long keys take to be handled and drawn into an 80x24 test terminal, and how long each
/// view takes to draw.
fn tui_keys(n: usize, fig: &mut Figures, mut app: App) {
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    app.resize(24);
    term.draw(|f| draw::render(&app, f)).expect("draw");
    let esc = code(KeyCode::Esc);
    let enter = code(KeyCode::Enter);

    let runs = (0..200)
        .map(|_| press(&mut app, &mut term, key('j')))
        .collect();
    fig.time(n, "parent list: scroll one row (key + draw)", runs);
    let runs = (0..20)
        .map(|_| press(&mut app, &mut term, code(KeyCode::PageDown)))
        .collect();
    fig.time(n, "parent list: page down (key + draw)", runs);
    fig.time(n, "render: parent list", redraws(&app, &mut term));

    // The filter: `/` prepares the list's texts once; each key then filters.
    let open = press(&mut app, &mut term, key('/'));
    fig.time(
        n,
        "parent list: open the / filter (texts prepared)",
        vec![open],
    );
    let mut keys = Vec::new();
    for c in "north".chars() {
        let took = press(&mut app, &mut term, key(c));
        println!(
            "    {:<54} {:>9.2} ms   ({} rows)",
            format!("/{}", app.list.view.filter.text),
            ms(took),
            app.list.view.visible.len()
        );
        keys.push(took);
    }
    let worst = keys.iter().max().copied().unwrap_or_default();
    fig.time(n, "parent list: one keystroke of the / filter", keys);
    fig.value(
        n,
        "parent list: slowest keystroke of /north",
        format!("{:.2} ms", ms(worst)),
    );
    let back = (0..2)
        .map(|_| press(&mut app, &mut term, code(KeyCode::Backspace)))
        .collect();
    fig.time(n, "parent list: backspace in the / filter", back);
    fig.time(n, "render: parent list, filtered", redraws(&app, &mut term));
    for query in ["contact", "anna"] {
        press(&mut app, &mut term, esc);
        press(&mut app, &mut term, key('/'));
        let keys = query
            .chars()
            .map(|c| press(&mut app, &mut term, key(c)))
            .collect();
        fig.time(n, &format!("parent list: keystrokes of /{query}"), keys);
    }
    press(&mut app, &mut term, esc);

    // Find by title: the first open after the list loaded reads the titles; later ones do not.
    let runs = (0..3)
        .map(|_| {
            app.reload().expect("reload");
            let took = press(&mut app, &mut term, key('t'));
            app.handle_key(esc);
            took
        })
        .collect();
    fig.time(n, "find by title: open (t), first after a load", runs);
    let runs = (0..3)
        .map(|_| {
            let took = press(&mut app, &mut term, key('t'));
            app.handle_key(esc);
            took
        })
        .collect();
    fig.time(n, "find by title: open (t) again", runs);
    app.reload().expect("reload");
    press(&mut app, &mut term, key('t'));
    let runs = "engineer"
        .chars()
        .map(|c| press(&mut app, &mut term, key(c)))
        .collect();
    fig.time(n, "find by title: one keystroke", runs);
    let runs = (0..20)
        .map(|_| press(&mut app, &mut term, code(KeyCode::PageDown)))
        .collect();
    fig.time(n, "find by title: page down (key + draw)", runs);
    fig.time(n, "render: find by title", redraws(&app, &mut term));
    app.handle_key(esc);

    // The People list: its rows at once, when each was last in touch on a worker thread (done
    // here in line, timed apart), the filter's texts on the first `/`.
    let runs = (0..3)
        .map(|_| {
            app.reload().expect("reload");
            let (effects, took) = time(|| {
                let effects = app.handle_key(key('P'));
                term.draw(|f| draw::render(&app, f)).expect("draw");
                effects
            });
            for effect in effects {
                if let kith::tui::msg::Effect::ReadTouch {
                    store,
                    cadences,
                    now,
                } = effect
                {
                    let (touch, t) = time(|| kith::ops::people::touch(&store, &cadences, now));
                    fig.time(n, "People list: last contacts (worker thread)", vec![t]);
                    let touch = touch.map_err(|e| e.to_string());
                    app.update(kith::tui::msg::Msg::PeopleTouch(touch));
                }
            }
            app.handle_key(esc);
            took
        })
        .collect();
    fig.time(n, "People list: open (P)", runs);
    press(&mut app, &mut term, key('P'));
    let open = press(&mut app, &mut term, key('/'));
    fig.time(n, "People list: open the / filter (texts read)", vec![open]);
    let keys = "wright"
        .chars()
        .map(|c| press(&mut app, &mut term, key(c)))
        .collect();
    fig.time(n, "People list: one keystroke of /wright", keys);
    press(&mut app, &mut term, esc);
    press(&mut app, &mut term, esc);

    let runs = (0..20)
        .map(|_| {
            let took = press(&mut app, &mut term, enter);
            app.handle_key(esc);
            app.handle_key(key('j'));
            took
        })
        .collect();
    fig.time(n, "detail view: open a parent (Enter)", runs);
    press(&mut app, &mut term, enter);
    fig.time(n, "render: detail view", redraws(&app, &mut term));
    app.handle_key(esc);
}

/// Words the bench's notes are made of: what a sales team writes, and names.
const NOTE_WORDS: &[&str] = &[
    "call",
    "went",
    "well",
    "they",
    "asked",
    "about",
    "pricing",
    "for",
    "the",
    "enterprise",
    "tier",
    "send",
    "contract",
    "renewal",
    "march",
    "demo",
    "next",
    "week",
    "security",
    "questionnaire",
    "trial",
    "account",
    "budget",
    "approved",
    "procurement",
    "needs",
    "our",
    "invoice",
    "overdue",
    "discount",
    "seats",
    "migration",
    "warehouse",
    "october",
    "roadmap",
    "integration",
    "api",
    "docs",
    "onboarding",
    "champion",
    "left",
    "company",
    "new",
    "cto",
    "wants",
    "sso",
    "before",
    "q3",
    "legal",
    "review",
    "signed",
    "pilot",
    "success",
    "churn",
    "risk",
    "upsell",
    "expansion",
    "meeting",
    "lunch",
    "conference",
    "booth",
    "followed",
    "up",
    "with",
    "email",
    "phone",
    "voicemail",
    "referral",
    "partner",
    "reseller",
    "quote",
    "terms",
    "net",
    "thirty",
    "payment",
    "annual",
    "monthly",
    "billing",
    "support",
    "ticket",
    "outage",
    "apology",
    "credit",
    "feedback",
    "feature",
    "request",
    "reporting",
    "dashboard",
    "export",
    "import",
    "data",
    "gdpr",
    "dpa",
    "signature",
    "board",
    "decision",
    "timeline",
    "delayed",
    "hiring",
    "freeze",
    "layoffs",
    "growth",
    "funding",
    "round",
    "series",
    "acquisition",
];

/// Adds `count` notes of 8 to 40 words each over the open leads and customers: the timeline a
/// find searches at scale.
fn add_notes(store: &mut Store, count: usize) {
    let parents: Vec<i64> = store
        .parent_rows()
        .expect("parents")
        .into_iter()
        .filter(|p| !p.converted)
        .map(|p| p.id)
        .collect();
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize
    };
    store
        .batch(|b| {
            for _ in 0..count {
                let words = 8 + next() % 33;
                let text: Vec<&str> = (0..words)
                    .map(|_| NOTE_WORDS[next() % NOTE_WORDS.len()])
                    .collect();
                let note = kith::domain::NewActivity::note(None, &text.join(" "));
                b.add_activity(parents[next() % parents.len()], &note)?;
            }
            Ok(())
        })
        .expect("notes");
}

/// Find everything (`kith find`, `f` in the TUI) with as many notes as contacts: the time of
/// each keystroke of a few queries typed letter by letter, and of the TUI's key + draw.
fn find_everything(n: usize, fig: &mut Figures, path: &Path, options: &StoreOptions) {
    let mut store = Store::open(path, options).expect("store");
    let (_, took) = time(|| add_notes(&mut store, n));
    fig.time(
        n,
        &format!("find: add {n} notes (index kept by triggers)"),
        vec![took],
    );
    let mut all = Vec::new();
    for query in ["pricing", "patel", "northwind", "sso before q3", "zzzz"] {
        let mut keys = Vec::new();
        let mut typed = String::new();
        for c in query.chars() {
            typed.push(c);
            let part = |f: &dyn Fn() -> usize| {
                let runs: Vec<Duration> = (0..5).map(|_| time(f).1).collect();
                (median(runs), f())
            };
            let (took, found) =
                part(&|| kith::ops::find::find(&store, &typed).expect("find").len());
            let (names, _) = part(&|| kith::ops::find::names(&store, &typed).expect("n").len());
            let (entries, _) = part(&|| kith::ops::find::entries(&store, &typed).expect("e").len());
            println!(
                "    {:<54} {:>9.2} ms   ({found} rows; names {:.2} ms, entries {:.2} ms)",
                format!("find {typed:?}"),
                ms(took),
                ms(names),
                ms(entries)
            );
            keys.push(took);
        }
        all.extend(keys.iter().copied());
        fig.time(n, &format!("find: keystrokes of {query:?}"), keys);
    }
    let worst = all.iter().max().copied().unwrap_or_default();
    fig.value(n, "find: slowest keystroke", format!("{:.2} ms", ms(worst)));
    drop(store);

    let store = Store::open(path, options).expect("store");
    let mut app = App::new(store, &Config::default(), true).expect("app");
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    app.resize(24);
    press(&mut app, &mut term, key('f'));
    let keys = "pricing"
        .chars()
        .map(|c| press(&mut app, &mut term, key(c)))
        .collect();
    fig.time(
        n,
        "find: one keystroke in the TUI (key + find + draw)",
        keys,
    );
}

/// How long one key press takes to be handled and drawn.
fn press(app: &mut App, term: &mut Terminal<TestBackend>, key: KeyEvent) -> Duration {
    time(|| {
        app.handle_key(key);
        term.draw(|f| draw::render(app, f)).expect("draw");
    })
    .1
}

/// How long drawing the view in place takes (the whole frame rendered, then compared with the
/// last).
fn redraws(app: &App, term: &mut Terminal<TestBackend>) -> Vec<Duration> {
    (0..30)
        .map(|_| time(|| term.draw(|f| draw::render(app, f)).expect("draw")).1)
        .collect()
}

/// What the TUI writes to a real terminal (crossterm's escape sequences, colours on) at 80x24:
/// ratatui writes only the cells that changed.
fn terminal_bytes(
    n: usize,
    fig: &mut Figures,
    path: &Path,
    options: &StoreOptions,
    config: &Config,
) {
    let store = Store::open(path, options).expect("store");
    let mut app = App::new(store, config, false).expect("app");
    app.resize(24);
    let viewport = Viewport::Fixed(Rect::new(0, 0, 80, 24));
    let count = Counter::default();
    let backend = CrosstermBackend::new(count.clone());
    let mut term = Terminal::with_options(backend, TerminalOptions { viewport }).expect("terminal");
    let written = |app: &App, term: &mut Terminal<CrosstermBackend<Counter>>| {
        term.draw(|f| draw::render(app, f)).expect("draw");
        term.backend_mut().flush().expect("flush");
        count.0.replace(0)
    };
    let first = written(&app, &mut term);
    fig.value(n, "terminal: first frame (bytes)", first.to_string());
    // The loop draws only when something changed; were it to draw anyway, ratatui would
    // write its colour resets and nothing else.
    let idle = written(&app, &mut term);
    fig.value(
        n,
        "terminal: a redraw with nothing changed (bytes)",
        idle.to_string(),
    );
    app.handle_key(key('/'));
    written(&app, &mut term);
    let mut per_key: Vec<usize> = "north"
        .chars()
        .map(|c| {
            app.handle_key(key(c));
            written(&app, &mut term)
        })
        .collect();
    let list = per_key
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    println!("    {:<54} {list}", "bytes of each keystroke of /north");
    per_key.sort_unstable();
    fig.value(
        n,
        "terminal: one keystroke of the / filter (bytes, median)",
        per_key[per_key.len() / 2].to_string(),
    );
    app.handle_key(code(KeyCode::Esc));
    written(&app, &mut term);
    app.handle_key(key('j'));
    let scroll = written(&app, &mut term);
    fig.value(n, "terminal: scroll one row (bytes)", scroll.to_string());
}

/// A terminal that counts what is written to it.
#[derive(Clone, Default)]
struct Counter(std::rc::Rc<std::cell::Cell<usize>>);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Resident memory of a process that opens the TUI and searches by title (`t`, "engineer",
/// a page down): measured in a process of its own, as this one holds every store it filled.
fn memory(n: usize, fig: &mut Figures, path: &Path) {
    let exe = std::env::current_exe().expect("this benchmark");
    let out = std::process::Command::new(exe)
        .arg("--bench")
        .env("KITH_BENCH_MEMORY_OF", path)
        .output()
        .expect("the memory run");
    let text = String::from_utf8_lossy(&out.stdout);
    for line in text.lines() {
        let mut parts = line.split('\t');
        if let (Some(name), Some(short), Some(long)) = (parts.next(), parts.next(), parts.next()) {
            println!("{name:<58} {long}");
            fig.add(name, n, short.to_string());
        }
    }
}

/// The child process of [`memory`]: prints "name<TAB>short value<TAB>long value" lines.
fn memory_child(db: &Path) {
    let status = || {
        let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let kb = |key: &str| -> u64 {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        let mb = |key| kb(key) as f64 / 1024.0;
        format!(
            "{:.1} MB / {:.1} MB\t{:.1} MB resident: {:.1} MB private, {:.1} MB of the store's \
             file mapped; peak {:.1} MB",
            mb("VmRSS:"),
            mb("RssAnon:"),
            mb("VmRSS:"),
            mb("RssAnon:"),
            mb("RssFile:"),
            mb("VmHWM:")
        )
    };
    let store = Store::open(db, &StoreOptions::default()).expect("store");
    let mut app = App::new(store, &Config::default(), true).expect("app");
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    app.resize(24);
    term.draw(|f| draw::render(&app, f)).expect("draw");
    println!("memory: TUI open (resident / private)\t{}", status());
    for k in std::iter::once('t').chain("engineer".chars()) {
        app.handle_key(key(k));
        term.draw(|f| draw::render(&app, f)).expect("draw");
    }
    app.handle_key(code(KeyCode::PageDown));
    term.draw(|f| draw::render(&app, f)).expect("draw");
    println!(
        "memory: after a title search (resident / private)\t{}",
        status()
    );
}
