//! A store moved between SQLite and PostgreSQL: everything kith keeps goes there and back with
//! its ids, and a team of roles shares one database.

mod common;

use common::{Arg, Kith};

/// Every table of a store, with the key its rows are compared in.
const TABLES: &[(&str, &str)] = &[
    ("parents", "id"),
    ("contacts", "id"),
    ("activities", "id"),
    ("history", "id"),
    ("contact_emails", "contact_id, position"),
    ("contact_phones", "contact_id, position"),
    ("contact_tags", "contact_id, position"),
    ("merges", "id"),
    ("distinct_pairs", "kind, low, high"),
    ("sync_state", "folder, uid"),
    ("sync_runs", "id"),
];

/// Every row of `table` in an SQLite store, each column as SQLite gives it.
fn rows(db: &std::path::Path, table: &str, key: &str) -> Vec<Vec<rusqlite::types::Value>> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM {table} ORDER BY {key}"))
        .unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_store_moved_to_postgresql_and_back_compares_equal_table_by_table() {
    let home = Kith::sqlite();
    home.ok(&["demo"]);
    // What a store gathers beyond the demo: a merge (its undo copy), a pair said to differ,
    // a hostile note, a status change with its reason, a sync.
    let merged = home.ok(&["merge", "1", "2"]);
    assert!(!merged.trim().is_empty());
    home.ok(&["dupes", "--not", "3", "4"]);
    home.ok(&["note", "1", "it's \"quoted\", with a \\ and a tab\there"]);
    home.ok(&[
        "lead",
        "status",
        "Nordic Studios",
        "contacted",
        "--reason",
        "called",
    ]);
    let vdir = home.path("vdir");
    std::fs::create_dir(&vdir).unwrap();
    home.ok(&["sync", "--vdir", &vdir.to_string_lossy()]);

    let team = Kith::on(common::Backend::Postgres);
    let moved = team.ok(&["import-store", &home.db.to_string_lossy()]);
    assert!(moved.contains("contacts"), "{moved}");
    assert!(team.ok(&["check"]).contains(": ok"));
    // The same store answers the same on the server. (Names sort by Unicode's rules there, by
    // their bytes with ASCII case set aside on SQLite: "Élodie" comes after "Zoë" only at home.)
    let by_id = |k: &Kith| {
        let mut list: Vec<serde_json::Value> =
            serde_json::from_str(&k.ok(&["contacts", "--format", "json"])).unwrap();
        list.sort_by_key(|c| c["id"].as_i64());
        list
    };
    assert_eq!(by_id(&team), by_id(&home));
    let lines = |k: &Kith, args: &[&str]| {
        let mut lines: Vec<String> = k.ok(args).lines().map(str::to_string).collect();
        lines.sort();
        lines
    };
    assert_eq!(
        lines(&team, &["query", "wright"]),
        lines(&home, &["query", "wright"])
    );
    assert_eq!(team.ok(&["merges"]), home.ok(&["merges"]));

    let back = home.path("back.db");
    team.ok(&["backup", &back.to_string_lossy()]);
    for (table, key) in TABLES {
        assert_eq!(
            rows(&back, table, key),
            rows(&home.db, table, key),
            "{table} differs after the trip"
        );
    }
    assert!(home.ok_on(&back, &["check"]).contains(": ok"));
    // The merge can still be undone on the server, as it could at home.
    let undone = team.run(&["undo-merge", "1"]);
    assert!(
        undone.status.success(),
        "{}",
        String::from_utf8_lossy(&undone.stderr)
    );

    // A second import into a store that holds something is refused, and changes nothing.
    let again = team.fails(&["import-store", &home.db.to_string_lossy()]);
    assert!(again.contains("already holds"), "{again}");
}

#[test]
fn members_of_the_owning_role_share_the_store_whoever_ran_kith_first() {
    let pg = common::pg::cluster();
    let url = pg.fresh_database();
    let db = url.rsplit('/').next().unwrap().to_string();
    pg.psql(
        "postgres",
        &format!(
            "DO $$ BEGIN CREATE ROLE team_{db} NOLOGIN; END $$;
             CREATE ROLE alice_{db} LOGIN IN ROLE team_{db};
             CREATE ROLE bob_{db} LOGIN IN ROLE team_{db};
             ALTER DATABASE {db} OWNER TO team_{db};"
        ),
    );
    let as_user =
        |user: &str| std::path::PathBuf::from(url.replacen("kith@", &format!("{user}_{db}@"), 1));
    let k = Kith::sqlite();
    let alice = as_user("alice");
    let bob = as_user("bob");
    k.ok_on(&alice, &["lead", "add", "--name", "Initech"]);
    k.ok_on(&bob, &["note", "Initech", "bob was here"]);
    let shown = k.ok_on(&alice, &["show", "Initech", "--format", "text"]);
    assert!(shown.contains("bob was here"), "{shown}");
    assert_eq!(
        common::sql_on(
            &alice,
            "SELECT tableowner FROM pg_tables WHERE tablename = 'contacts'",
            &[]
        )
        .as_deref(),
        Some(format!("team_{db}").as_str()),
        "the tables are the team's"
    );
    assert_eq!(
        common::sql_on(
            &alice,
            "SELECT author FROM activities WHERE body = ?1",
            &[Arg::Text("bob was here")]
        )
        .as_deref(),
        Some(format!("bob_{db}").as_str()),
        "the note names its database user"
    );
}

#[test]
fn a_crafted_column_name_runs_nothing_on_the_server_even_for_a_superuser() {
    let pg = common::pg::cluster();
    let url = pg.fresh_database();
    let db = url.rsplit('/').next().unwrap().to_string();
    // A superuser may run programs on the server (COPY ... TO PROGRAM): the worst target.
    pg.psql(
        "postgres",
        &format!("CREATE ROLE boss_{db} LOGIN SUPERUSER"),
    );
    let boss = std::path::PathBuf::from(url.replacen("kith@", &format!("boss_{db}@"), 1));
    let home = Kith::sqlite();
    // Where the program would leave its mark: a folder the server's own user may write.
    let marks = home.path("marks");
    std::fs::create_dir(&marks).unwrap();
    use std::os::unix::fs::PermissionsExt;
    for (dir, mode) in [(home.dir.path(), 0o755), (marks.as_path(), 0o777)] {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let mark = marks.join("x");
    let column = format!(
        "at) SELECT id, at FROM history WHERE false; COPY (SELECT 1) TO PROGRAM 'touch {}'; --",
        mark.display()
    );
    let source = home.path("crafted.db");
    home.ok_on(&source, &["lead", "add", "--name", "Initech"]);
    rusqlite::Connection::open(&source)
        .unwrap()
        .execute_batch(&format!(
            "ALTER TABLE history RENAME COLUMN at TO \"{}\"",
            column.replace('"', "\"\"")
        ))
        .unwrap();

    let out = home
        .cmd_on(&boss)
        .args(["import-store", &source.to_string_lossy()])
        .output()
        .unwrap();
    assert!(!mark.exists(), "the server ran the file's program");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(
        common::one_line(&err).contains(&format!("{column:?}")),
        "{err}"
    );
    assert_eq!(
        common::sql_on(&boss, "SELECT count(*) FROM parents", &[]).as_deref(),
        Some("0")
    );
}

#[test]
fn a_postgresql_store_moves_into_an_empty_sqlite_file_its_columns_checked() {
    let team = Kith::on(common::Backend::Postgres);
    team.ok(&["lead", "add", "--name", "Initech"]);
    team.ok(&["contact", "add", "--parent", "Initech", "--first", "Peter"]);
    team.ok(&["note", "Initech", "from the server"]);
    let home = Kith::sqlite();
    let moved = home.ok(&["import-store", &team.db.to_string_lossy()]);
    assert!(moved.contains("activities"), "{moved}");
    assert_eq!(home.contacts_json(), team.contacts_json());
    // A column the server's table should not have refuses the move, named.
    common::sql_on(
        &team.db,
        "ALTER TABLE contacts ADD COLUMN \"x; --\" TEXT",
        &[],
    );
    let fresh = Kith::sqlite();
    let err = fresh.fails(&["import-store", &team.db.to_string_lossy()]);
    assert!(
        common::one_line(&err).contains("its table contacts has a column \"x; --\""),
        "{err}"
    );
}
