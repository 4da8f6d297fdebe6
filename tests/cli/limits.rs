//! Work that could never end, or never fit: endless queries stop at a time limit, paths
//! that are pipes, folders or devices are named as such and never read, and messages
//! quote at most a short excerpt of what they name.

use std::process::Command;

use crate::util::*;

#[test]
fn an_endless_saved_query_stops_at_the_time_limit() {
    let (_dir, db) = seeded();
    // A file from someone else: a saved query that never ends.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "INSERT INTO saved_queries (name, description, sql, created_at, updated_at)
         VALUES ('endless', 'looks useful',
                 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n',
                 'x', 'x')",
        [],
    )
    .unwrap();
    drop(conn);
    let started = std::time::Instant::now();
    let out = run(&db, &["--timeout", "1", "run", "endless"]);
    assert_fails(
        &out,
        1,
        "stopped after 1 s, the time limit (--timeout SECONDS sets it, 0 for none)",
    );
    // Not a performance assertion: a hang would never get here at all.
    assert!(started.elapsed().as_secs() < 30);
    // The analyst's own SQL has no limit unless asked, and --timeout applies to it too.
    let out = run(
        &db,
        &[
            "--timeout",
            "0.5",
            "sql",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n",
        ],
    );
    assert_fails(&out, 1, "stopped after 0.5 s, the time limit");
    for bad in ["--timeout=-1", "--timeout=NaN", "--timeout=soon"] {
        let out = run(&db, &[bad, "run", "years"]);
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", stderr(&out));
        assert!(stderr(&out).contains("--timeout"), "{}", stderr(&out));
    }
}

#[test]
fn pipes_folders_and_devices_are_named_and_never_read() {
    let (dir, db) = seeded();
    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let fifo = fifo.to_str().unwrap();
    let folder = dir.path().to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["sql", "-f", fifo], "fifo: is a pipe, not a file"),
        (&["import", "csv", fifo], "fifo: is a pipe, not a file"),
        (&["import", "grades", fifo], "fifo: is a pipe, not a file"),
        (&["import", "report", fifo], "fifo: is a pipe, not a file"),
        (&["save", "x", "-f", fifo], "fifo: is a pipe, not a file"),
        (&["import", "csv", folder], "is a folder, not a file"),
        (
            &["sql", "-f", "/dev/zero"],
            "/dev/zero: is a device, not a file",
        ),
        (
            &["import", "report", "/dev/zero"],
            "/dev/zero: is a device, not a file",
        ),
        (&["import", "csv", "absent.csv"], "absent.csv: no such file"),
    ];
    let before = sha256(&db);
    for (args, needle) in cases {
        // A read of the fifo would block for ever; the timeout of the harness is the
        // test's own (cargo's), so a regression shows as a hang, not a pass.
        let out = run(&db, args);
        assert_fails(&out, 2, needle);
        assert_untouched(&db, &before, &format!("{args:?}"));
    }
}

#[test]
fn a_long_argument_is_quoted_short_in_the_error() {
    let (_dir, db) = seeded();
    let long = format!("{}\u{1b}]0;owned\u{7}", "x".repeat(100_000));
    let out = run(&db, &["run", "force", &long]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "one line");
    assert!(err.len() < 2_000, "{} bytes of error", err.len());
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
}

#[test]
fn a_huge_cell_is_quoted_short_in_the_error() {
    let (dir, db) = seeded();
    let csv = dir.path().join("huge.csv");
    std::fs::write(
        &csv,
        format!(
            "area,period,metric,value\nE23000023,as at 30 June 2018,population,{}\n",
            "9x".repeat(1_000_000)
        ),
    )
    .unwrap();
    let out = run(&db, &["import", "csv", csv.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    // The first 60 characters of the cell, then "...": never the 2 MB cell.
    assert!(
        err.ends_with(&format!(
            "(value): \"{}\"... is not a number\n",
            "9x".repeat(30)
        )),
        "{}",
        &err[..err.len().min(300)]
    );
}
