//! Tests of opening, creating and migrating database files.
use super::*;

fn memory() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    configure(&conn).unwrap();
    conn
}

#[test]
fn schema_builds_and_passes_sqlite_checks() {
    let conn = memory();
    create_schema(&conn).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    // Every view must compile under trusted_schema=OFF.
    for view in ["v_judgments", "v_metric_values", "v_improvements"] {
        conn.prepare(&format!("SELECT * FROM {view}")).unwrap();
    }
}

#[test]
fn migrations_and_schema_version_agree() {
    assert_eq!(MIGRATIONS.len() as i64 + 1, SCHEMA_VERSION);
}

/// schema.sql as peel 0.1 shipped it (schema version 2), for migration tests.
const SCHEMA_V2: &str = include_str!("../../tests/fixtures/schema-v2.sql");

#[test]
fn a_version_1_file_gets_the_partial_report_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(SCHEMA_V2).unwrap();
        // Version 1 indexed every figure's report_id and kept no counts.
        c.execute_batch(
            "DROP INDEX metric_values_report;
             CREATE INDEX metric_values_report ON metric_values (report_id);
             DROP TRIGGER metric_values_counted; DROP TRIGGER metric_values_uncounted;
             DROP TRIGGER metric_values_recounted;
             DROP TABLE period_counts; DROP TABLE period_metric_counts;
             INSERT INTO periods (label, kind, end_date) VALUES ('p', 'point', '2015-03-31');
             INSERT INTO metrics (code, name, unit, definition) VALUES ('m', 'm', 'count', 'm');
             INSERT INTO areas (code, slug, name, short_name, kind, country)
             VALUES ('K04000001', 'ew', 'E&W', 'E&W', 'national', 'England and Wales');
             INSERT INTO sources (key, kind, location, title, trust) VALUES ('s', 'url', 'u', 't', 'high');
             INSERT INTO metric_values (metric_id, period_id, area_id, value, source_id)
             VALUES (1, 1, 1, 5, 1);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let conn = open(&path, Access::ReadWrite).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let sql: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'metric_values_report'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(sql.ends_with("WHERE report_id IS NOT NULL"), "{sql}");
    let counts: (i64, i64) = conn
        .query_row("SELECT metrics, figures FROM period_counts", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(counts, (1, 1));
    // The migrated triggers are peel's own, though laid out unlike schema.sql: peel
    // must still write to the file.
    assert_eq!(foreign_triggers(&conn).unwrap(), Vec::<String>::new());
    ensure_only_peels_triggers(&conn).unwrap();
}

#[test]
fn a_version_2_file_keeps_its_grades_under_the_new_item_codes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.db");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(SCHEMA_V2).unwrap();
        // Peel 0.1's shapes: 'overall' pillar questions, word codes, file sources.
        c.execute_batch(
            "INSERT INTO sources (key, kind, location, title, trust)
             VALUES ('url:k', 'url', 'https://example.org/kent', 'Kent page', 'high'),
                    ('news', 'file', 'seed/original/news.csv', 'news list', 'medium-high');
             INSERT INTO areas (code, slug, name, short_name, kind, country)
             VALUES ('K04000001', 'ew', 'E&W', 'E&W', 'national', 'England and Wales');
             INSERT INTO areas (code, slug, name, short_name, kind, parent_id, country)
             VALUES ('E23000032', 'kent', 'Kent Police', 'Kent', 'force', 1, 'England');
             INSERT INTO grade_scales (code, name) VALUES ('peel-4', 'four'), ('peel-5', 'five');
             INSERT INTO grades (scale_id, name, rank, meaning)
             VALUES (1, 'Good', 3, 'g'), (1, 'Outstanding', 4, 'o'), (2, 'Adequate', 3, 'a');
             INSERT INTO cycles (year, label, scale_id, has_pillars)
             VALUES (2017, '2017', 1, 1), (2023, '2023-25', 2, 0);
             INSERT INTO questions (cycle_id, pillar, code, wording)
             VALUES (1, 'legitimacy', 'overall', 'How legitimate?'),
                    (1, 'efficiency', 'use-of-resources', 'Use of resources'),
                    (2, NULL, 'leadership', 'Leadership and force management');
             INSERT INTO judgments (area_id, question_id, grade_id, source_id, derived)
             VALUES (2, 1, 2, 1, 0), (2, 2, 1, 2, 1), (2, 3, 3, 1, 0);
             INSERT INTO grade_counts (area_id, cycle_id, pillar, grade_id, count, source_id)
             VALUES (1, 1, 'legitimacy', 2, 1, 1);
             PRAGMA user_version = 2;",
        )
        .unwrap();
    }
    let conn = open(&path, Access::ReadWrite).unwrap();
    let rows: Vec<(String, String, String, String, i64, i64)> = conn
        .prepare(
            "SELECT question_code, level, series, trust, derived, carried_over FROM v_judgments
             ORDER BY question_code",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let expected = [
        ("A23_LEAD", "area", "A23_LEAD", "high", 0, 0),
        ("P17_LEGI", "pillar", "P14_LEGI", "high", 0, 0),
        // A derived grade is low, whatever its file's trust was.
        ("Q17_F2", "question", "Q16_F2", "low", 1, 0),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(a, b, c, d, e, f)| {
            (
                a.to_string(),
                b.to_string(),
                c.to_string(),
                d.to_string(),
                *e,
                *f,
            )
        })
        .collect();
    assert_eq!(rows, expected);
    let (trust, partial): (String, i64) = conn
        .query_row("SELECT trust, partial FROM grade_counts", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((trust.as_str(), partial), ("high", 0));
    let broken: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(broken, 0);
    let fk: i64 = conn
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1, "foreign keys are back on after the migration");
    let documented: i64 = conn
        .query_row(
            "SELECT count(*) FROM documentation WHERE object = 'v_item_coverage'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(documented > 1, "the documentation describes the new views");
}

/// Every table and view with its columns (name, type, not null, key), and every index
/// and trigger name: what a migrated file must share with a new one.
fn shape(conn: &Connection) -> Vec<String> {
    conn.prepare(
        "SELECT s.type || ' ' || s.name || ifnull(' ' || c.name || ' ' || c.type || ' '
                || c.\"notnull\" || ' ' || c.pk, '')
         FROM sqlite_schema s LEFT JOIN pragma_table_info(s.name) c
         WHERE s.name NOT LIKE 'sqlite_%' ORDER BY 1",
    )
    .unwrap()
    .query_map([], |r| r.get(0))
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[test]
fn a_migrated_file_has_the_shape_of_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(SCHEMA_V2).unwrap();
        c.pragma_update(None, "user_version", 2).unwrap();
    }
    let migrated = open(&path, Access::ReadWrite).unwrap();
    let new = memory();
    create_schema(&new).unwrap();
    assert_eq!(shape(&migrated), shape(&new));
    // And every definition reads as peel's own, so `check` passes a migrated file.
    let (differences, own) = super::definitions::differences(&migrated).unwrap();
    assert_eq!(differences, Vec::<String>::new());
    assert_eq!(own, Vec::<String>::new());
}

#[test]
fn period_counts_follow_every_insert_delete_and_rekeying() {
    let conn = memory();
    create_schema(&conn).unwrap();
    conn.execute_batch(
        "INSERT INTO periods (label, kind, end_date) VALUES ('p1', 'point', '2015-03-31'), ('p2', 'point', '2016-03-31');
         INSERT INTO metrics (code, name, unit, definition) VALUES ('a', 'a', 'count', 'a'), ('b', 'b', 'count', 'b');
         INSERT INTO areas (code, slug, name, short_name, kind, country)
         VALUES ('K04000001', 'ew', 'E&W', 'E&W', 'national', 'England and Wales');
         INSERT INTO areas (code, slug, name, short_name, kind, parent_id, country)
         VALUES ('E23000001', 'x', 'X', 'X', 'force', 1, 'England');
         INSERT INTO sources (key, kind, location, title, trust) VALUES ('s', 'url', 'u', 't', 'high');
         INSERT INTO metric_values (metric_id, period_id, area_id, value, source_id)
         VALUES (1, 1, 1, 5, 1), (1, 1, 2, 6, 1), (2, 1, 1, 7, 1), (2, 2, 1, 8, 1);",
    )
    .unwrap();
    let counts = |conn: &Connection| -> Vec<(i64, i64, i64)> {
        conn.prepare("SELECT period_id, metrics, figures FROM period_counts ORDER BY 1")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(counts(&conn), [(1, 2, 3), (2, 1, 1)]);
    // Moving metric b's period-2 figure to period 1 leaves period 2 empty.
    conn.execute(
        "UPDATE metric_values SET period_id = 1, area_id = 2 WHERE value = 8",
        [],
    )
    .unwrap();
    assert_eq!(counts(&conn), [(1, 2, 4), (2, 0, 0)]);
    conn.execute("DELETE FROM metric_values WHERE metric_id = 1", [])
        .unwrap();
    assert_eq!(counts(&conn), [(1, 1, 2), (2, 0, 0)]);
    // A value change is not a re-keying.
    conn.execute("UPDATE metric_values SET value = 9", [])
        .unwrap();
    assert_eq!(counts(&conn), [(1, 1, 2), (2, 0, 0)]);
}

#[test]
fn check_constraints_reject_bad_values() {
    let conn = memory();
    create_schema(&conn).unwrap();
    let bad = [
        "INSERT INTO periods(label, kind, end_date) VALUES ('x', 'point', '2015-02-30')",
        "INSERT INTO periods(label, kind, end_date) VALUES ('x', 'week', '2015-02-03')",
        "INSERT INTO periods(label, kind, start_date, end_date) VALUES ('x', 'point', '2015-01-01', '2015-02-03')",
        "INSERT INTO metrics(code, name, unit, definition) VALUES ('x', 'x', 'furlongs', 'x')",
        "INSERT INTO metrics(code, name, unit, definition) VALUES ('Bad Code', 'x', 'count', 'x')",
        "INSERT INTO grade_scales(code, name) VALUES ('peel-9', 'x')",
        "INSERT INTO sources(key, kind, location, title, trust) VALUES ('k', 'url', 'u', 't', 'certain')",
    ];
    for sql in bad {
        assert!(conn.execute(sql, []).is_err(), "accepted: {sql}");
    }
}

#[test]
fn newer_and_foreign_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer.db");
    {
        let c = Connection::open(&newer).unwrap();
        create_schema(&c).unwrap();
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let err = open(&newer, Access::ReadWrite).unwrap_err();
    assert!(matches!(err, DbError::Newer { found, .. } if found == SCHEMA_VERSION + 1));
    assert!(err.to_string().contains("newer peel"), "{err}");

    let foreign = dir.path().join("foreign.db");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t(x)")
        .unwrap();
    assert!(matches!(
        open(&foreign, Access::ReadOnly),
        Err(DbError::NotPeel(_))
    ));

    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "this is not a database, just some text that is long enough to fill a header page "
            .repeat(20),
    )
    .unwrap();
    assert!(matches!(
        open(&text, Access::ReadOnly),
        Err(DbError::NotADatabase(_))
    ));

    assert!(matches!(
        open(&dir.path().join("absent.db"), Access::ReadOnly),
        Err(DbError::Missing(_))
    ));
}

/// A small peel file in WAL mode, closed, with no -wal or -shm beside it.
fn wal_file(dir: &Path) -> PathBuf {
    let path = dir.join("wal.db");
    let c = Connection::open(&path).unwrap();
    configure(&c).unwrap();
    create_schema(&c).unwrap();
    c.pragma_update(None, "journal_mode", "wal").unwrap();
    c.close().unwrap();
    assert!(!sidecar(&path, "-wal").exists());
    path
}

fn no_sidecars(path: &Path) {
    for suffix in ["-wal", "-shm", "-journal"] {
        assert!(
            !sidecar(path, suffix).exists(),
            "{suffix} left beside {}",
            path.display()
        );
    }
}

#[test]
fn damaged_empty_and_odd_files_are_refused_before_sqlite_touches_them() {
    let dir = tempfile::tempdir().unwrap();
    let good = wal_file(dir.path());
    let bytes = std::fs::read(&good).unwrap();
    for cut in [10, 99, 100, 4096, bytes.len() - 1] {
        let path = dir.path().join(format!("cut-{cut}.db"));
        std::fs::write(&path, &bytes[..cut]).unwrap();
        for access in [Access::ReadWrite, Access::ReadOnly, Access::Query] {
            let err = open(&path, access).unwrap_err();
            assert!(matches!(err, DbError::Corrupt { .. }), "{cut}: {err}");
            assert!(err.to_string().contains("cut short"), "{err}");
        }
        no_sidecars(&path);
    }
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(
        open(&empty, Access::ReadWrite),
        Err(DbError::Empty(_))
    ));
    assert!(matches!(
        open(dir.path(), Access::ReadOnly),
        Err(DbError::NotAFile(_))
    ));
    let mut odd = bytes.clone();
    odd[16] = 3; // a page size of 768: not a power of two
    let odd_path = dir.path().join("odd.db");
    std::fs::write(&odd_path, &odd).unwrap();
    let err = open(&odd_path, Access::Query).unwrap_err();
    assert!(err.to_string().contains("page size"), "{err}");
    no_sidecars(&odd_path);
}

#[test]
fn query_access_refuses_writes_and_leaves_no_wal_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = wal_file(dir.path());
    let before = std::fs::read(&path).unwrap();
    {
        let conn = open(&path, Access::Query).unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM areas", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
        let err = conn
            .execute("INSERT INTO meta (key, value) VALUES ('k', 'v')", [])
            .unwrap_err();
        assert_eq!(err.sqlite_error_code(), Some(ErrorCode::ReadOnly), "{err}");
    }
    no_sidecars(&path);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn triggers_can_be_switched_off_and_back() {
    let conn = memory();
    conn.execute_batch(
        "CREATE TABLE t(x); CREATE TABLE marker(x);
         CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO marker VALUES (new.x); END;",
    )
    .unwrap();
    let was = set_triggers(&conn, false).unwrap();
    assert!(was);
    conn.execute("INSERT INTO t VALUES (1)", []).unwrap();
    assert!(!set_triggers(&conn, was).unwrap());
    conn.execute("INSERT INTO t VALUES (2)", []).unwrap();
    let marked: Vec<i64> = conn
        .prepare("SELECT x FROM marker")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(marked, [2]);
}
