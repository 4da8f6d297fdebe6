use std::io::Write;
use std::process::Stdio;

use crate::util::*;

const QUERY: &str = "SELECT area_name, grade, grade_rank FROM v_judgments
     WHERE year = 2016 AND pillar = 'effectiveness' AND level = 'pillar'
       AND area_code IN ('E23000008', 'E23000026') ORDER BY area_name";

fn seeded() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    (dir, db)
}

#[test]
fn csv_is_the_default_when_piped_and_parses() {
    let (_d, db) = seeded();
    let text = stdout_ok(&run(&db, &["sql", QUERY]));
    assert_eq!(
        csv_rows(&text),
        [
            ["area_name", "grade", "grade_rank"],
            ["Bedfordshire", "Inadequate", "1"],
            ["Durham", "Outstanding", "4"]
        ]
    );
}

#[test]
fn tsv_format() {
    let (_d, db) = seeded();
    let text = stdout_ok(&run(&db, &["--format", "tsv", "sql", QUERY]));
    assert_eq!(
        text,
        "area_name\tgrade\tgrade_rank\nBedfordshire\tInadequate\t1\nDurham\tOutstanding\t4\n"
    );
}

#[test]
fn json_format_keeps_numbers_and_nulls() {
    let (_d, db) = seeded();
    let text = stdout_ok(&run(
        &db,
        &[
            "--format",
            "json",
            "sql",
            "SELECT area_name, grade_rank, value FROM (SELECT 'Kent' AS area_name, 4 AS grade_rank, 28.6 AS value UNION ALL SELECT 'GMP', NULL, NULL) ORDER BY area_name",
        ],
    ));
    let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        parsed,
        serde_json::json!([
            {"area_name": "GMP", "grade_rank": null, "value": null},
            {"area_name": "Kent", "grade_rank": 4, "value": 28.6}
        ])
    );
}

#[test]
fn jsonl_format_is_one_object_per_line() {
    let (_d, db) = seeded();
    let text = stdout_ok(&run(&db, &["--format", "jsonl", "sql", QUERY]));
    let objects: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 2);
    assert_eq!(objects[1]["area_name"], "Durham");
    assert_eq!(objects[1]["grade_rank"], 4);
}

#[test]
fn markdown_and_table_formats() {
    let (_d, db) = seeded();
    let md = stdout_ok(&run(&db, &["--format", "markdown", "sql", QUERY]));
    assert_eq!(
        md,
        "| area_name | grade | grade_rank |\n| --- | --- | ---: |\n| Bedfordshire | Inadequate | 1 |\n| Durham | Outstanding | 4 |\n"
    );
    let table = stdout_ok(&run(&db, &["--format", "table", "sql", QUERY]));
    assert!(
        table.contains("| Bedfordshire | Inadequate  |          1 |"),
        "{table}"
    );
}

#[test]
fn sql_from_stdin_and_from_a_file() {
    let (dir, db) = seeded();
    let mut child = peel()
        .arg("--db")
        .arg(&db)
        .arg("sql")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"SELECT 'a;b' AS x;\nSELECT count(*) AS n FROM areas WHERE kind = 'region';\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(stdout_ok(&out), "x\na;b\nn\n9\n");

    let file = dir.path().join("q.sql");
    std::fs::write(&file, format!("-- the 2016 extremes\n{QUERY};\n")).unwrap();
    let out = run(&db, &["sql", "-f", file.to_str().unwrap(), "--no-header"]);
    assert_eq!(
        stdout_ok(&out),
        "Bedfordshire,Inadequate,1\nDurham,Outstanding,4\n"
    );
}

#[test]
fn sql_errors_name_the_line_and_exit_1() {
    let (_d, db) = seeded();
    let out = run(&db, &["sql", "SELECT 1 AS one;\nSELEC 2;"]);
    assert_fails(
        &out,
        1,
        "peel: error: line 2: `SELEC 2;`: near \"SELEC\": syntax error",
    );
    // Rows before the failing statement were printed.
    assert_eq!(String::from_utf8_lossy(&out.stdout), "one\n1\n");
}

#[test]
fn errors_in_a_sql_file_name_the_file() {
    let (dir, db) = seeded();
    let file = dir.path().join("bad.sql");
    std::fs::write(&file, "SELECT 1;\n\nSELECT nosuch FROM areas;\n").unwrap();
    let out = run(&db, &["sql", "-f", file.to_str().unwrap()]);
    assert_eq!(
        stderr(&out),
        format!(
            "peel: error: {}:3: `SELECT nosuch FROM areas;`: no such column: nosuch\n",
            file.display()
        )
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_failed_write_leaves_the_database_unchanged() {
    let (_d, db) = seeded();
    let before = bytes(&db);
    let out = run(
        &db,
        &["sql", "INSERT INTO areas (code) VALUES ('nonsense')"],
    );
    assert_fails(&out, 1, "constraint failed");
    assert_eq!(bytes(&db), before);
}

#[test]
fn usage_errors_exit_2() {
    let (dir, db) = seeded();
    let out = run(&db, &["--format", "xml", "sql", "SELECT 1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("invalid value 'xml'"));
    let out = run(&db, &["nosuchcommand"]);
    assert_eq!(out.status.code(), Some(2));
    let missing = dir.path().join("absent.sql");
    let out = run(&db, &["sql", "-f", missing.to_str().unwrap()]);
    assert_fails(&out, 2, "absent.sql: no such file");
    let latin1 = dir.path().join("latin1.sql");
    std::fs::write(&latin1, b"SELECT '\xe9';").unwrap();
    let out = run(&db, &["sql", "-f", latin1.to_str().unwrap()]);
    assert_fails(&out, 2, "latin1.sql: not UTF-8 text");
}

#[test]
fn a_closed_pipe_ends_quietly_with_status_0() {
    let (_d, db) = seeded();
    // Enough rows to overflow the pipe buffer after the reader has gone.
    let mut child = peel()
        .arg("--db")
        .arg(&db)
        .args([
            "sql",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) SELECT i, 'padding padding padding' FROM n",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stderr(&out), "");
}
