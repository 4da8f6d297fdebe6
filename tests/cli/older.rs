//! Files made by an older peel: commands that only read never change them (they read an
//! upgraded copy in memory), and a command that writes upgrades them, unless it is
//! refused, when the file is left as it was, schema version included.

use std::path::{Path, PathBuf};

use crate::util::*;

/// A schema-2 file (the shape of peel 0.1's files), with one area in it.
fn older_file(dir: &Path) -> PathBuf {
    let path = dir.join("old.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let schema = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v2.sql"),
    )
    .unwrap();
    conn.execute_batch(&schema).unwrap();
    conn.execute_batch(
        "INSERT INTO areas (code, slug, name, short_name, kind, country)
         VALUES ('K04000001', 'england-and-wales', 'England and Wales', 'England and Wales',
                 'national', 'England and Wales');
         PRAGMA user_version = 2;",
    )
    .unwrap();
    drop(conn);
    path
}

fn version(path: &Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn reading_an_older_file_never_changes_it() {
    let dir = tempfile::tempdir().unwrap();
    let old = older_file(dir.path());
    let before = sha256(&old);
    for args in [
        &["run", "years"][..],
        &["-F", "csv", "sql", "SELECT short_name FROM areas"],
        &["queries"],
    ] {
        let out = run(&old, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("has schema version 2; reading an upgraded copy in memory"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert_untouched(&old, &before, &format!("{args:?}"));
    }
    let out = run(&old, &["-F", "csv", "sql", "SELECT short_name FROM areas"]);
    assert_eq!(stdout_ok(&out), "short_name\nEngland and Wales\n");
    // The note is the console's: -q silences it, as every note.
    let out = run(&old, &["-q", "run", "years"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
}

#[test]
fn a_refused_import_leaves_an_older_file_at_its_version_and_a_good_one_upgrades_it() {
    let dir = tempfile::tempdir().unwrap();
    let old = older_file(dir.path());
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "area,period,metric,value,value\nK04000001,2015,x,1,2\n",
    )
    .unwrap();
    let out = run(&old, &["import", "csv", bad.to_str().unwrap()]);
    assert_fails(&out, 1, "column value appears twice");
    assert_eq!(
        version(&old),
        2,
        "the refused import left the file at version 2"
    );
    assert!(
        std::fs::read_dir(dir.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains(".writing-")),
        "no copy left beside it"
    );
    // A save that is refused too.
    let out = run(&old, &["save", "x", "DELETE FROM areas"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(version(&old), 2);
    // A save that succeeds upgrades the file.
    let out = run(&old, &["save", "names", "SELECT short_name FROM areas"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(version(&old) > 2);
    assert_eq!(
        stdout_ok(&run(&old, &["-F", "csv", "run", "names"])),
        "short_name\nEngland and Wales\n"
    );
}

#[test]
fn another_programs_file_with_a_small_user_version_is_not_taken_for_an_older_peel_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE notes (x); PRAGMA user_version = 2;")
        .unwrap();
    drop(conn);
    let csv = dir.path().join("figures.csv");
    std::fs::write(&csv, "area,period,metric,value\nK04000001,2015,x,1\n").unwrap();
    let before = sha256(&path);
    for args in [
        &["run", "years"][..],
        &["import", "csv", csv.to_str().unwrap()],
        &["save", "x", "SELECT 1"],
    ] {
        let out = run(&path, args);
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        assert!(
            stderr(&out).contains("not a peel database"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert_untouched(&path, &before, &format!("{args:?}"));
    }
}
