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
    assert_eq!(get("schema_version"), "3");
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
        .arg("PRAGMA integrity_check; SELECT meaning FROM documentation WHERE object = 'v_judgments' AND column_name = 'grade_rank'; SELECT grade FROM v_judgments WHERE area_code = 'E23000008' AND year = 2016 AND pillar = 'effectiveness' AND level = 'pillar';")
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
n = con.execute("SELECT count(*) FROM v_judgments WHERE year = 2016 AND pillar = 'effectiveness' AND level = 'pillar'").fetchone()[0]
v = con.execute("SELECT value, national_value FROM v_metric_values WHERE area_code = 'E23000023' AND metric_code = 'population-mye2018'").fetchone()
w = con.execute("SELECT value, national_value FROM v_metric_values WHERE area_code = 'E23000023' AND metric_code = 'population' AND period_end = '2023-06-30'").fetchone()
d = con.execute("SELECT count(*) FROM documentation WHERE kind = 'view'").fetchone()[0]
lic = con.execute("SELECT DISTINCT licence FROM sources WHERE key LIKE 'report:%'").fetchone()[0]
print(n, v[0], v[1], w[0], w[1], d, lic, sep="|")
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
        // Cambridgeshire's population: mid-2018, rounded (seed/metric_values.csv:
        // population-mye2018 852500, England and Wales 59115800) and mid-2023
        // (seed/metrics/ons_pfa_population_2011_2023.csv: 919082, 60854727). Five views are
        // documented (seed/documentation.csv): v_judgments, v_metric_values, v_improvements,
        // v_item_coverage and v_grade_tally.
        "43|852500|59115800|919082|60854727|5|Open Government Licence v3.0"
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

/// The `datasette` command: $PEEL_DATASETTE, else one installed from PyPI into a virtual
/// environment under the target folder (once; later runs reuse it). `None` only when
/// Python is absent.
fn datasette() -> Option<std::path::PathBuf> {
    if let Some(path) = std::env::var_os("PEEL_DATASETTE") {
        return Some(path.into());
    }
    if !tool_available("python3") {
        return None;
    }
    let venv = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("datasette-venv");
    let bin = venv.join("bin").join("datasette");
    if !bin.exists() {
        let status = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .unwrap();
        assert!(status.success(), "python3 -m venv failed");
        let out = Command::new(venv.join("bin").join("pip"))
            .args(["install", "--quiet", "datasette>=0.64,<1"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pip install datasette failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Some(bin)
}

#[test]
fn datasette_serves_the_export_and_its_canned_queries() {
    let Some(datasette) = datasette() else {
        eprintln!("skipped: python3 is not installed, so Datasette cannot be tested");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let out_db = dir.path().join("shipped.db");
    let meta = dir.path().join("metadata.json");
    let out = run(
        &db,
        &[
            "save",
            "effectiveness-2016",
            "--description",
            "Forces given GRADE for effectiveness in 2016",
            "SELECT area_name FROM v_judgments WHERE year = 2016 AND pillar = 'effectiveness' AND level = 'pillar' AND grade = :grade ORDER BY area_name",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    stdout_ok(&run(
        &db,
        &[
            "export",
            out_db.to_str().unwrap(),
            "--datasette",
            meta.to_str().unwrap(),
        ],
    ));
    let document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta).unwrap()).unwrap();
    assert_eq!(document["license"], "Open Government Licence v3.0");
    let database = &document["databases"]["shipped"];
    assert!(
        database["tables"]["v_judgments"]["columns"]["grade_rank"]
            .as_str()
            .unwrap()
            .contains("rank")
    );
    assert!(database["queries"]["compare"]["sql"].is_string());

    let get = |path: &str| -> serde_json::Value {
        let out = Command::new(&datasette)
            .arg(&out_db)
            .arg("-m")
            .arg(&meta)
            .arg("--get")
            .arg(path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "datasette --get {path}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    // A canned query with a blank optional period: the latest (as at 31 March 2023),
    // England and Wales first as the reference row: 147429.63 officers
    // (seed/metrics/ho_police_workforce_mar2007_mar2023.csv, K04000001), then the largest
    // force, Metropolitan Police (34899.05).
    let rows = get("/shipped/compare.json?metric=officer-fte&period=&kind=&_shape=array");
    assert_eq!(rows[0]["area_name"], "England and Wales");
    assert_eq!(rows[0]["value"], 147429.63);
    assert_eq!(rows[0]["period"], "as at 31 March 2023");
    assert_eq!(rows[1]["area_name"], "Metropolitan Police");
    assert_eq!(rows[1]["value"], 34899.05);
    // A canned query with a grade and a year.
    let rows =
        get("/shipped/graded.json?grade=Inadequate&year=2016&pillar=effectiveness&_shape=array");
    // Bedfordshire: the pillar grade (peel_2016_effectiveness_all43.csv) and questions
    // Q16_E1 and Q16_E3 (peel_grades_2014_2025.csv).
    let names: Vec<(&str, &str)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["area_name"].as_str().unwrap(),
                r["question_code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("Bedfordshire", "P16_EFFE"),
            ("Bedfordshire", "Q16_E1"),
            ("Bedfordshire", "Q16_E3")
        ]
    );
    // A saved query travels in the file and is served too.
    let rows = get("/shipped/effectiveness-2016.json?grade=Outstanding&_shape=array");
    assert_eq!(rows[0]["area_name"], "Durham");
    assert_eq!(rows.as_array().unwrap().len(), 1);
    // The views answer plain table requests.
    let rows = get(
        "/shipped/v_judgments.json?area_code=E23000008&year=2016&pillar=effectiveness&question_code=P16_EFFE&_shape=array",
    );
    assert_eq!(rows[0]["grade"], "Outstanding");
}
