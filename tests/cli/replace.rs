//! Replacing files peel writes (`init --force`, `export --force`, the first-use build)
//! when a journal or WAL is still beside the old file, and outputs that would be the file
//! being read or each other: a file peel writes is whole when peel says it is, and an
//! output never overwrites the source.

use std::path::Path;

use crate::util::*;

/// A real write-ahead log of another database, to leave beside a path as a stale one.
fn stale_wal(dir: &Path) -> Vec<u8> {
    let other = dir.join("other.db");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = wal; PRAGMA wal_autocheckpoint = 0;
         CREATE TABLE judgments(x); INSERT INTO judgments VALUES (randomblob(5000));",
    )
    .unwrap();
    let wal = std::fs::read(dir.join("other.db-wal")).unwrap();
    assert!(wal.len() > 4096);
    drop(conn);
    wal
}

/// `peel check` passes on the file, and SQLite finds it whole.
fn whole(db: &Path) {
    let out = run(db, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let conn = rusqlite::Connection::open(db).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}

#[test]
fn an_export_replacing_a_file_with_a_stale_journal_or_wal_is_whole() {
    let (dir, db) = seeded();
    let wal = stale_wal(dir.path());
    let out_db = dir.path().join("out.db");
    // Written, then deleted with its WAL left behind.
    stdout_ok(&run(&db, &["export", out_db.to_str().unwrap()]));
    std::fs::remove_file(&out_db).unwrap();
    std::fs::write(dir.path().join("out.db-wal"), &wal).unwrap();
    stdout_ok(&run(&db, &["export", out_db.to_str().unwrap()]));
    assert!(!dir.path().join("out.db-wal").exists());
    whole(&out_db);
    // Replaced with --force while a journal is beside it.
    std::fs::write(dir.path().join("out.db-journal"), b"stale journal bytes").unwrap();
    stdout_ok(&run(&db, &["export", out_db.to_str().unwrap(), "--force"]));
    whole(&out_db);
}

#[test]
fn init_and_the_first_use_build_never_replay_a_stale_wal_or_journal() {
    let dir = tempfile::tempdir().unwrap();
    let wal = stale_wal(dir.path());
    // First use: no peel.db, but a peel.db-wal and -journal from some earlier file.
    std::fs::write(dir.path().join("peel.db-wal"), &wal).unwrap();
    std::fs::write(dir.path().join("peel.db-journal"), b"stale journal").unwrap();
    let out = peel()
        .current_dir(dir.path())
        .args(["run", "years"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let db = dir.path().join("peel.db");
    whole(&db);
    // init --force over a file with a WAL beside it.
    std::fs::write(dir.path().join("peel.db-wal"), &wal).unwrap();
    let out = run(&db, &["init", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    whole(&db);
    // 1,222 judgments in the seed (the README's figure).
    assert_eq!(
        sql_rows(&db, "SELECT count(*) FROM judgments"),
        [["1222".to_string()]]
    );
}

#[test]
fn outputs_may_not_be_the_source_its_sidecars_or_each_other() {
    let (dir, db) = seeded();
    let before = sha256(&db);
    let name = db.to_str().unwrap();
    let out_db = dir.path().join("out.db");
    let out_name = out_db.to_str().unwrap();
    let wal = format!("{name}-wal");
    let cases: &[(&[&str], &str)] = &[
        (
            &["export", out_name, "--datasette", out_name],
            "the Datasette metadata would overwrite the export",
        ),
        (
            &["export", out_name, "--datasette", name, "--force"],
            "the Datasette metadata would overwrite the database being exported",
        ),
        (
            &["export", name, "--force"],
            "the export would overwrite the database being exported",
        ),
        (
            &["export", &wal, "--force"],
            "the export would overwrite the database being exported (is the -wal file of",
        ),
    ];
    for (args, needle) in cases {
        let out = run(&db, args);
        assert_fails(&out, 2, needle);
        assert!(!out_db.exists(), "{args:?} wrote {out_name}");
        assert_eq!(sha256(&db), before, "{args:?} changed the source");
    }
}

#[test]
fn leftovers_of_a_killed_init_or_export_are_removed_by_the_next_one() {
    let (dir, db) = seeded();
    // What a peel killed mid-write leaves: its temporary file and journal, named with its
    // process id (no process has id 4,000,000,000).
    let leftovers = [
        "out.db.exporting-4000000000",
        "out.db.exporting-4000000000-journal",
        "new.db.building-4000000000",
        "new.db.building-4000000000-wal",
        "meta.json.writing-4000000000",
    ];
    for f in leftovers {
        std::fs::write(dir.path().join(f), b"half written").unwrap();
    }
    let out_db = dir.path().join("out.db");
    let meta = dir.path().join("meta.json");
    stdout_ok(&run(
        &db,
        &[
            "export",
            out_db.to_str().unwrap(),
            "--datasette",
            meta.to_str().unwrap(),
        ],
    ));
    let new = dir.path().join("new.db");
    let out = run(&new, &["init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.contains(".exporting-") || n.contains(".building-") || n.contains(".writing-")
        })
        .collect();
    assert_eq!(left, Vec::<String>::new());
    whole(&out_db);
    whole(&new);
}
