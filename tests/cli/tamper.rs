//! Files whose definitions were edited: `check` compares every table, view, index and
//! trigger with the schema peel builds, and `export` ships peel's own views and triggers.

use rusqlite::Connection;

use crate::util::*;

/// Bedfordshire's 2016 effectiveness grade as `v_judgments` shows it.
const BEDFORDSHIRE_2016: &str =
    "SELECT grade FROM v_judgments WHERE area_name = 'Bedfordshire' AND question_code = 'P16_EFFE'";

#[test]
fn a_redefined_view_fails_check_and_is_not_exported() {
    let (dir, db) = seeded();
    // peel_grades_2014_2025.csv: Bedfordshire 2016 effectiveness Inadequate.
    assert_eq!(
        sql_rows(&db, BEDFORDSHIRE_2016),
        [["Inadequate".to_string()]]
    );
    let conn = Connection::open(&db).unwrap();
    let view: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'v_judgments'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let lie = view.replacen(
        "g.name        AS grade,",
        "CASE WHEN a.short_name = 'Bedfordshire' THEN 'Outstanding' ELSE g.name END AS grade,",
        1,
    );
    assert_ne!(lie, view, "the view's grade column moved: update this test");
    conn.execute_batch(&format!("DROP VIEW v_judgments; {lie};"))
        .unwrap();
    drop(conn);
    assert_eq!(
        sql_rows(&db, BEDFORDSHIRE_2016),
        [["Outstanding".to_string()]]
    );
    let out = run(&db, &["-F", "csv", "check"]);
    assert_fails(&out, 1, "checks failed");
    assert!(
        stdout_ok_even_if_failed(&out).contains("view v_judgments differs from peel's definition"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The export has peel's own view: the grade that was given.
    let shipped = dir.path().join("shipped.db");
    stdout_ok(&run(&db, &["export", shipped.to_str().unwrap()]));
    assert_eq!(
        sql_rows(&shipped, BEDFORDSHIRE_2016),
        [["Inadequate".to_string()]]
    );
    stdout_ok(&run(&shipped, &["check"]));
}

#[test]
fn a_not_null_edited_out_fails_check_and_export() {
    let (dir, db) = seeded();
    let conn = Connection::open(&db).unwrap();
    let table: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'judgments'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let loose = table.replacen("grade_id     INTEGER NOT NULL", "grade_id     INTEGER", 1);
    assert_ne!(loose, table, "judgments.grade_id moved: update this test");
    conn.execute_batch("PRAGMA writable_schema = ON").unwrap();
    conn.execute(
        "UPDATE sqlite_schema SET sql = ?1 WHERE name = 'judgments'",
        [&loose],
    )
    .unwrap();
    conn.execute_batch("PRAGMA writable_schema = OFF").unwrap();
    drop(conn);
    let out = run(&db, &["-F", "csv", "check"]);
    assert_fails(&out, 1, "checks failed");
    assert!(
        stdout_ok_even_if_failed(&out).contains("table judgments differs from peel's definition"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let shipped = dir.path().join("shipped.db");
    let out = run(&db, &["export", shipped.to_str().unwrap()]);
    assert_fails(&out, 1, "table judgments differs from peel's definition");
    assert!(!shipped.exists());
}

fn stdout_ok_even_if_failed(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn a_saved_query_named_like_a_canned_one_is_listed_as_never_running_and_can_be_removed() {
    let (_dir, db) = seeded();
    let conn = Connection::open(&db).unwrap();
    conn.execute(
        "INSERT INTO saved_queries (name, description, sql, created_at, updated_at)
         VALUES ('force', 'mine', 'SELECT 1 AS mine', 'x', 'x')",
        [],
    )
    .unwrap();
    drop(conn);
    let listed = stdout_ok(&run(&db, &["-F", "csv", "queries"]));
    assert!(
        listed.contains("force,saved,force (never runs: the canned query of that name does; peel unsave force removes it),mine"),
        "{listed}"
    );
    // The canned query still answers.
    let grades = stdout_ok(&run(&db, &["run", "force", "cambs", "--result", "grades"]));
    assert!(grades.contains("A23_PPT"), "{grades}");
    stdout_ok(&run(&db, &["unsave", "force"]));
    let listed = stdout_ok(&run(&db, &["-F", "csv", "queries"]));
    assert_eq!(listed.matches("\nforce,").count(), 1, "{listed}");
    assert_fails(
        &run(&db, &["unsave", "force"]),
        2,
        "force is a canned query",
    );
}

#[test]
fn a_table_of_the_files_own_with_a_quote_in_its_name_exports_and_checks() {
    let (dir, db) = seeded();
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TABLE \"my \"\"notes\"\"\" (x); INSERT INTO \"my \"\"notes\"\"\" VALUES (1), (2);",
    )
    .unwrap();
    drop(conn);
    let checked = stdout_ok(&run(&db, &["-F", "csv", "check"]));
    assert!(
        checked.contains("also 1 of the file's own: table my \"\"notes\"\""),
        "{checked}"
    );
    let shipped = dir.path().join("shipped.db");
    let out = stdout_ok(&run(
        &db,
        &["-F", "csv", "export", shipped.to_str().unwrap()],
    ));
    assert!(out.contains("\"rows in my \"\"notes\"\"\",2"), "{out}");
    assert_eq!(
        sql_rows(&shipped, "SELECT count(*) FROM \"my \"\"notes\"\"\""),
        [["2".to_string()]]
    );
}
