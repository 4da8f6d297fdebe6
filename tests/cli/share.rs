//! Shipping a database: `peel export`, `peel check`, self-description, other SQLite
//! clients, and opening files someone else made.

use std::process::Command;

use crate::util::*;

fn exported(dir: &std::path::Path) -> std::path::PathBuf {
    let db = seeded_db(dir);
    let out_path = dir.join("shipped.db");
    let out = run(&db, &["export", out_path.to_str().unwrap()]);
    let text = stdout_ok(&out);
    assert!(text.contains("rows in judgments"), "{text}");
    out_path
}

fn tool_available(name: &str) -> bool {
    Command::new(name).arg("--version").output().is_ok()
}

#[test]
fn export_writes_one_checked_file_with_provenance_in_meta() {
    let dir = tempfile::tempdir().unwrap();
    let path = exported(dir.path());
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        assert!(
            !std::path::Path::new(&side).exists(),
            "{suffix} beside the export"
        );
    }
    let meta = csv_rows(&stdout_ok(&run(
        &path,
        &[
            "--readonly",
            "sql",
            "PRAGMA journal_mode; SELECT key, value FROM meta ORDER BY key",
        ],
    )));
    assert_eq!(meta[1], ["delete"]);
    let get = |key: &str| {
        meta.iter()
            .find(|r| r[0] == key)
            .map(|r| r[1].clone())
            .unwrap_or_else(|| panic!("no meta {key}: {meta:?}"))
    };
    assert_eq!(get("peel_version"), env!("CARGO_PKG_VERSION"));
    assert_eq!(get("schema_version"), "2");
    let counts: serde_json::Value = serde_json::from_str(&get("row_counts")).unwrap();
    assert_eq!(counts["areas"], 55);
    let hashes: serde_json::Value = serde_json::from_str(&get("source_sha256")).unwrap();
    let report = hashes["seed/reports/peel-effectiveness-2015-cambridgeshire.txt"]
        .as_str()
        .unwrap();
    assert_eq!(report.len(), 64);
    assert!(hashes["seed/original/forces_england_wales_43.csv"].is_string());
}

#[test]
fn export_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = exported(dir.path());
    let db = dir.path().join("peel.db");
    let before = bytes(&path);
    let out = run(&db, &["export", path.to_str().unwrap()]);
    assert_fails(&out, 2, "already exists; use --force");
    assert_eq!(bytes(&path), before);
    let out = run(&db, &["export", "--force", path.to_str().unwrap()]);
    stdout_ok(&out);
}

#[test]
fn check_passes_on_an_export_and_fails_on_a_broken_copy() {
    let dir = tempfile::tempdir().unwrap();
    let path = exported(dir.path());
    let out = run(&path, &["check"]);
    let text = stdout_ok(&out);
    assert!(!text.contains("FAILED"), "{text}");
    assert!(stderr(&out).contains("checks passed"));

    let broken = dir.path().join("broken.db");
    std::fs::copy(&path, &broken).unwrap();
    stdout_ok(&run(
        &broken,
        &[
            "sql",
            "PRAGMA foreign_keys = OFF; DELETE FROM sources WHERE key = 'ons-pfa-mye2018';",
        ],
    ));
    let out = run(&broken, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("foreign keys,FAILED"), "{text}");
    assert!(stderr(&out).contains("checks failed"), "{}", stderr(&out));
}

#[test]
fn the_export_describes_itself_to_the_sqlite3_cli() {
    if !tool_available("sqlite3") {
        eprintln!("skipped: the sqlite3 CLI is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = exported(dir.path());
    let out = Command::new("sqlite3")
        .arg(&path)
        .arg("PRAGMA integrity_check; SELECT meaning FROM documentation WHERE object = 'v_judgments' AND column_name = 'grade_rank'; SELECT grade FROM v_judgments WHERE area_code = 'E23000008' AND year = 2016 AND pillar = 'effectiveness' AND question_code = 'overall';")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "ok");
    assert!(lines[1].to_lowercase().contains("rank"), "{text}");
    assert_eq!(lines[2], "Outstanding");
}

#[test]
fn python_reads_the_views_and_documentation() {
    if !tool_available("python3") {
        eprintln!("skipped: python3 is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = exported(dir.path());
    let script = r#"
import sqlite3, sys
con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
n = con.execute("SELECT count(*) FROM v_judgments WHERE year = 2016 AND pillar = 'effectiveness' AND question_code = 'overall'").fetchone()[0]
v = con.execute("SELECT value, national_value FROM v_metric_values WHERE area_code = 'E23000023' AND metric_code = 'population'").fetchone()
d = con.execute("SELECT count(*) FROM documentation WHERE kind = 'view'").fetchone()[0]
lic = con.execute("SELECT DISTINCT licence FROM sources WHERE key LIKE 'report:%'").fetchone()[0]
print(n, v[0], v[1], d, lic, sep="|")
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        "43|852500|59115800|3|Open Government Licence v3.0"
    );
}

#[test]
fn a_view_that_calls_an_unsafe_function_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    // Someone edits a file to add a view that would load code on the reader's machine.
    stdout_ok(&run(
        &db,
        &[
            "sql",
            "CREATE VIEW v_evil AS SELECT load_extension('/tmp/evil.so') AS x",
        ],
    ));
    let out = run(&db, &["sql", "SELECT * FROM v_evil"]);
    assert_fails(&out, 1, "unsafe use of load_extension()");
}
