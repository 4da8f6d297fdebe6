//! Coverage-guided fuzzing of `peel import csv`: any bytes, in either layout, must be
//! imported or refused with a CsvError, never a panic, and a dry run must leave the
//! database as it was.
#![no_main]

use std::sync::Mutex;

use libfuzzer_sys::fuzz_target;
use peel::import::bulk::{CsvOptions, import_csv_file};
use rusqlite::Connection;

struct Fixture {
    conn: Connection,
    input: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

static FIXTURE: Mutex<Option<Fixture>> = Mutex::new(None);

fn figures(conn: &Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM metric_values", [], |r| r.get(0))
        .unwrap()
}

fuzz_target!(|data: &[u8]| {
    let mut guard = FIXTURE.lock().unwrap();
    let fixture = guard.get_or_insert_with(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("fuzz.db");
        peel::seed::build_database(&db, false).unwrap();
        let conn = peel::db::open(&db, peel::db::Access::ReadWrite).unwrap();
        Fixture {
            conn,
            input: dir.path().join("input.csv"),
            _dir: dir,
        }
    });
    std::fs::write(&fixture.input, data).unwrap();
    let before = figures(&fixture.conn);
    let opts = CsvOptions {
        create_metrics: true,
        unit: Some("count".into()),
        dry_run: true,
        ..CsvOptions::default()
    };
    let _ = import_csv_file(&mut fixture.conn, &fixture.input, &opts, &mut |_| {});
    assert_eq!(figures(&fixture.conn), before, "a dry run changed the database");
});
