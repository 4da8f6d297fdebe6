//! Files someone sent: views and triggers that call unsafe functions, triggers added to
//! the tables peel writes, and saved queries that write or change the connection.
//! Reading commands (queries, run, check, export) change nothing and run none of it;
//! peel's own writes (import, save, unsave, the export's copy) run with the file's
//! triggers off; arguments that carry SQL are values.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::util::*;

const REPORT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/reports/peel-effectiveness-2015-cambridgeshire.txt"
);

/// The tables peel writes: imports, saved queries, the export's `meta`.
const WRITTEN: &[&str] = &[
    "sources",
    "reports",
    "judgments",
    "metric_values",
    "improvement_areas",
    "periods",
    "metrics",
    "saved_queries",
    "meta",
];

/// Saved queries put into the file by hand: each writes, opens another file, or changes
/// the connection. `{dir}` is the test's folder.
const HOSTILE_SAVED: &[(&str, &str)] = &[
    ("wipe", "DELETE FROM judgments"),
    ("plant", "INSERT INTO marker VALUES ('saved query')"),
    ("replace-meta", "REPLACE INTO meta VALUES ('k', 'v')"),
    ("drop", "DROP TABLE marker"),
    (
        "read-then-write",
        "SELECT count(*) FROM areas; DELETE FROM areas",
    ),
    (
        "comment-then-write",
        "SELECT 1; -- only a read\nUPDATE areas SET name = 'pwned'",
    ),
    ("cte-write", "WITH x AS (SELECT 1) DELETE FROM judgments"),
    ("attach", "ATTACH '{dir}/attached.db' AS a"),
    (
        "attach-then-write",
        "ATTACH '{dir}/attached.db' AS a; CREATE TABLE a.t(x)",
    ),
    ("vacuum-into", "VACUUM INTO '{dir}/stolen.db'"),
    ("user-version", "PRAGMA user_version = 99"),
    ("journal-mode", "PRAGMA journal_mode = delete"),
    (
        "trust-then-load",
        "PRAGMA trusted_schema = 1; SELECT * FROM v_load",
    ),
    ("query-only-off", "PRAGMA query_only = 0"),
    ("rollback", "ROLLBACK"),
    ("begin", "BEGIN EXCLUSIVE"),
];

/// A copy of the seed with a `marker` table that every trigger writes to, triggers on
/// every table peel writes (one also calls load_extension, one rewrites figures), views
/// calling unsafe functions, `v_improvements` redefined to call load_extension, and
/// [`HOSTILE_SAVED`].
fn hostile(dir: &Path) -> PathBuf {
    let db = seeded_db(dir);
    let conn = Connection::open(&db).unwrap();
    let here = dir.display().to_string();
    for (name, sql) in HOSTILE_SAVED {
        conn.execute(
            "INSERT INTO saved_queries (name, description, sql, created_at, updated_at)
             VALUES (?1, 'looks useful', ?2, 'x', 'x')",
            [name.to_string(), sql.replace("{dir}", &here)],
        )
        .unwrap();
    }
    let mut sql = String::from("CREATE TABLE marker (what TEXT NOT NULL);\n");
    for table in WRITTEN {
        for event in ["INSERT", "UPDATE", "DELETE"] {
            sql.push_str(&format!(
                "CREATE TRIGGER mark_{table}_{event} AFTER {event} ON {table}
                 BEGIN INSERT INTO marker VALUES ('{table} {event}'); END;\n"
            ));
        }
    }
    sql.push_str(
        "CREATE TRIGGER evil_load AFTER INSERT ON judgments
           BEGIN SELECT load_extension('/tmp/peel-evil.so'); END;
         CREATE TRIGGER evil_rewrite AFTER INSERT ON metric_values
           BEGIN UPDATE metric_values SET value = -1 WHERE value_id = new.value_id; END;
         CREATE VIEW v_load AS SELECT load_extension('/tmp/peel-evil.so') AS x;
         CREATE VIEW v_tokenizer AS SELECT fts3_tokenizer('evil', x'4141414141414141') AS x;
         CREATE VIEW v_fts5 AS SELECT fts5(NULL) AS x;
         DROP VIEW v_improvements;
         CREATE VIEW v_improvements AS
           SELECT load_extension('/tmp/peel-evil.so') AS area_code, NULL AS area_name,
                  NULL AS year, NULL AS cycle, NULL AS pillar, NULL AS question_code,
                  NULL AS question, NULL AS ordinal, NULL AS text, NULL AS report,
                  NULL AS source_line;",
    );
    conn.execute_batch(&sql).unwrap();
    conn.close().unwrap();
    assert_eq!(marks(&db), Vec::<String>::new());
    db
}

/// What the triggers wrote to the marker table.
fn marks(db: &Path) -> Vec<String> {
    let out = run(
        db,
        &["-F", "csv", "--no-header", "sql", "SELECT what FROM marker"],
    );
    stdout_ok(&out).lines().map(str::to_string).collect()
}

/// Runs `args` on the hostile file and checks the outcome, that stderr holds no panic,
/// and that the file is byte for byte as it was with nothing beside it.
fn untouched(db: &Path, args: &[&str], code: i32, needle: &str) -> String {
    let before = sha256(db);
    let out = run(db, args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: {needle:?} not in {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert_untouched(db, &before, &format!("{args:?}"));
    String::from_utf8(out.stdout).unwrap()
}

/// As [`untouched`], for `--readonly`: SQLite's read-only flag leaves an empty `-wal` and
/// a `-shm` beside a WAL file (a read-only connection may not remove them; the README
/// says so). The file itself must be unchanged and the `-wal` empty; the two are then
/// removed (no process has the file open) so the next check starts clean.
fn untouched_readonly(db: &Path, args: &[&str], code: i32, needle: &str) {
    let before = sha256(db);
    let out = run(db, &[&["--readonly"], args].concat());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: {needle:?} not in {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert_eq!(sha256(db), before, "--readonly {args:?} changed the file");
    let wal = peel::db::sidecar(db, "-wal");
    if wal.exists() {
        assert_eq!(std::fs::metadata(&wal).unwrap().len(), 0, "{args:?}");
    }
    for side in sidecars(db) {
        std::fs::remove_file(side).unwrap();
    }
}

#[test]
fn listing_and_running_queries_on_a_hostile_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = hostile(dir.path());

    let listed = untouched(&db, &["-F", "csv", "queries"], 0, "");
    for (name, _) in HOSTILE_SAVED {
        assert!(
            listed.contains(&format!("{name},saved,{name} (does not prepare)")),
            "{name} not listed as not preparing:\n{listed}"
        );
        // The file's fault, not the call's: exit 1 (issue 14).
        untouched(&db, &["queries", name], 1, "may only read");
        untouched(&db, &["run", name], 1, "may only read");
        untouched_readonly(&db, &["run", name], 1, "may only read");
    }
    for args in [
        &["run", "forces"][..],
        &["run", "years"],
        &["-F", "json", "run", "force", "cambs"],
        &["run", "compare", "officer-fte"],
        &["run", "grades", "2016"],
        &["run", "history", "durham"],
    ] {
        untouched(&db, args, 0, "");
    }
    // check reads the file without running anything in it, and says what was changed.
    let table = untouched(&db, &["-F", "csv", "check"], 1, "checks failed");
    assert!(
        table.contains("view v_improvements differs from peel's definition"),
        "{table}"
    );
    assert!(
        // One redefined view and 29 triggers of the file's own (see `hostile`).
        table.contains("30 problems, e.g. view v_improvements differs")
            && table.contains("trigger mark_sources_INSERT on sources is not peel's"),
        "{table}"
    );
    // A canned query over a view redefined to load code fails, in one line.
    untouched(
        &db,
        &["run", "improvements"],
        1,
        "unsafe use of load_extension()",
    );
    for (view, function) in [
        ("v_load", "load_extension()"),
        ("v_tokenizer", "fts3_tokenizer()"),
        ("v_fts5", "fts5()"),
    ] {
        let sql = format!("SELECT * FROM {view}");
        untouched(&db, &["sql", &sql], 1, &format!("unsafe use of {function}"));
        untouched_readonly(&db, &["sql", &sql], 1, &format!("unsafe use of {function}"));
    }
    assert_eq!(marks(&db), Vec::<String>::new());
    for made in ["attached.db", "stolen.db"] {
        assert!(!dir.path().join(made).exists(), "{made} was created");
    }
}

#[test]
fn arguments_carrying_sql_are_values_on_a_hostile_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = hostile(dir.path());
    for payload in [
        "x'); DELETE FROM judgments; --",
        "x' OR '1'='1",
        "cambs'; INSERT INTO marker VALUES ('x'); --",
    ] {
        untouched(&db, &["run", "force", payload], 2, "unknown force");
        untouched(
            &db,
            &["run", "history", &format!("force={payload}")],
            2,
            "force",
        );
    }
    // A text parameter takes any value: it is bound, so it finds nothing and runs nothing.
    let rows = untouched(
        &db,
        &["-F", "csv", "run", "metrics", "'; DROP TABLE areas; --"],
        0,
        "",
    );
    assert_eq!(rows.lines().count(), 1, "only the header: {rows}");
    assert_eq!(marks(&db), Vec::<String>::new());
}

#[test]
fn export_copies_a_hostile_file_without_running_its_triggers() {
    let dir = tempfile::tempdir().unwrap();
    let db = hostile(dir.path());
    let out = dir.path().join("shipped.db");
    let meta = dir.path().join("metadata.json");
    let before = sha256(&db);
    let result = run(
        &db,
        &[
            "export",
            out.to_str().unwrap(),
            "--datasette",
            meta.to_str().unwrap(),
        ],
    );
    let err = stderr(&result);
    assert!(result.status.success(), "{err}");
    assert_untouched(&db, &before, "export");
    // The copy keeps the triggers (it is the file as sent) but they did not fire when
    // export wrote its meta rows.
    assert_eq!(marks(&out), Vec::<String>::new());
    stdout_ok(&run(&out, &["check"]));
    // Saved queries that fail the checks are left out of the Datasette metadata, each
    // with a note, and do not stop the export.
    let json = std::fs::read_to_string(&meta).unwrap();
    for (name, _) in HOSTILE_SAVED {
        assert!(
            err.contains(&format!("left out of the Datasette metadata: {name}:")),
            "{name}: {err}"
        );
        assert!(!json.contains(&format!("\"{name}\"")), "{name} in metadata");
    }
    assert!(!json.contains("DELETE FROM judgments"));
}

#[test]
fn peels_own_writes_never_run_the_files_triggers() {
    let dir = tempfile::tempdir().unwrap();
    let db = hostile(dir.path());
    // Imports must run peel's own count triggers, so a file with foreign triggers is
    // refused rather than written with them.
    let before = bytes(&db);
    let out = run(&db, &["import", "report", "--replace", REPORT]);
    assert_fails(&out, 1, "has triggers peel did not make (");
    assert!(stderr(&out).contains("peel will not write to it"));
    assert_eq!(bytes(&db), before, "a refused import changed the file");
    // Saved queries are written with the file's triggers switched off.
    stdout_ok(&run(&db, &["save", "mine", "SELECT 1 AS one"]));
    stdout_ok(&run(&db, &["save", "mine", "--replace", "SELECT 2 AS two"]));
    stdout_ok(&run(&db, &["unsave", "mine"]));
    assert_eq!(marks(&db), Vec::<String>::new());
    // SQL the analyst types still fires the file's triggers, as in sqlite3: only peel's
    // own writes are shielded.
    stdout_ok(&run(
        &db,
        &[
            "sql",
            "INSERT INTO meta (key, value) VALUES ('mine', 'typed')",
        ],
    ));
    assert_eq!(marks(&db), ["meta INSERT"]);
}

#[test]
fn a_saved_query_cannot_change_the_shells_connection() {
    let dir = tempfile::tempdir().unwrap();
    let db = hostile(dir.path());
    let script = "BEGIN;
INSERT INTO meta (key, value) VALUES ('pending', 'mine');
.queries
.run trust-then-load
.run query-only-off
.run rollback
.run begin
PRAGMA trusted_schema;
COMMIT;
SELECT value FROM meta WHERE key = 'pending';
";
    let out = peel()
        .arg("--db")
        .arg(&db)
        .args(["-F", "csv", "--no-header", "--keep-going"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(script.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    let err = stderr(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    // The four .run lines fail; trusted_schema is still off; the analyst's transaction
    // survived the saved ROLLBACK and committed.
    assert_eq!(err.matches("may only read").count(), 4, "{err}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.last(), Some(&"mine"), "{text}");
    assert!(lines.contains(&"0"), "trusted_schema changed: {text}");
}

/// Runs peel in a pseudo-terminal and returns everything it printed, escapes and all.
fn at_a_terminal(db: &Path, args: &[&str]) -> String {
    let mut cmd = peel();
    cmd.env("TERM", "xterm").arg("--db").arg(db).args(args);
    let mut session = rexpect::spawn_with_options(
        cmd,
        rexpect::session::Options::new()
            .timeout_ms(Some(30_000))
            .strip_ansi_escape_codes(false),
    )
    .unwrap();
    session.exp_eof().unwrap()
}

#[test]
fn escape_sequences_in_a_file_reach_a_terminal_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    // Retitle the window, clear the screen, write the clipboard, a one-byte CSI.
    let payload = "'Kent' || char(27) || ']0;pwned' || char(7) || char(27) || '[2J'
                   || char(27) || ']52;c;cm0gLXJmIH4=' || char(7) || char(155) || '6n'";
    let conn = Connection::open(&db).unwrap();
    conn.execute(
        &format!("UPDATE areas SET short_name = {payload} WHERE slug = 'kent'"),
        [],
    )
    .unwrap();
    conn.execute(
        &format!(
            "INSERT INTO saved_queries VALUES ('kent', {payload}, 'SELECT 1 AS one', 'x', 'x')"
        ),
        [],
    )
    .unwrap();
    conn.close().unwrap();
    for args in [
        &["-F", "line", "run", "forces"][..],
        &["-F", "csv", "run", "forces"],
        &["-F", "markdown", "run", "forces"],
        &["-F", "table", "run", "forces"],
        &["-F", "line", "sql", "SELECT short_name FROM areas"],
        &["queries", "kent"],
        &["-F", "csv", "queries"],
    ] {
        let shown = at_a_terminal(&db, args);
        assert!(shown.contains("Kent"), "{args:?}: {shown}");
        assert!(
            !shown.contains('\x1b') && !shown.contains('\u{9b}') && !shown.contains('\x07'),
            "{args:?} let an escape through: {shown:?}"
        );
    }
    let shown = at_a_terminal(&db, &["-F", "line", "run", "forces"]);
    assert!(
        shown.contains("Kent^[]0;pwned^G^[[2J^[]52;c;cm0gLXJmIH4=^G\\u{9b}6n"),
        "{shown:?}"
    );
    // Piped, the data is exact.
    let piped = stdout_ok(&run(&db, &["-F", "csv", "run", "forces"]));
    assert!(piped.contains("Kent\x1b]0;pwned\x07\x1b[2J"), "{piped:?}");
}
