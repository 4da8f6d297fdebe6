use crate::util::*;

#[test]
fn a_missing_db_path_is_a_usage_error_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("absent.db");
    let out = run(&db, &["sql", "SELECT 1"]);
    assert_fails(&out, 2, "no such database file");
    assert!(!db.exists(), "peel created the file");
}

#[test]
fn a_text_file_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.db");
    std::fs::write(&db, "Requires improvement\n".repeat(400)).unwrap();
    let before = bytes(&db);
    let out = run(&db, &["sql", "SELECT 1"]);
    assert_fails(&out, 1, "not a SQLite database");
    assert_eq!(bytes(&db), before);
}

#[test]
fn a_database_from_a_newer_peel_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    stdout_ok(&run(&db, &["sql", "PRAGMA user_version = 99"]));
    let before = bytes(&db);
    let out = run(&db, &["sql", "SELECT count(*) FROM areas"]);
    assert_fails(&out, 1, "made by a newer peel (schema version 99");
    assert_eq!(bytes(&db), before);
}

#[test]
fn a_foreign_sqlite_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("other.db");
    rusqlite_free_create(&db);
    let out = run(&db, &["sql", "SELECT 1"]);
    assert_fails(&out, 1, "not a peel database");
}

/// Makes a SQLite file with a table but no peel schema, using peel itself on a copy of
/// the seed and clearing its version: the file is valid SQLite, but not peel's.
fn rusqlite_free_create(path: &std::path::Path) {
    let dir = tempfile::tempdir().unwrap();
    let seeded = seeded_db(dir.path());
    stdout_ok(&run(
        &seeded,
        &["sql", &format!("VACUUM INTO '{}'", path.display())],
    ));
    let mut conn_cmd = peel();
    // user_version 0 marks a file peel did not make; set it through peel's own passthrough
    // on the copy (peel opens it, since it is still version 1 at that point).
    let out = conn_cmd
        .arg("--db")
        .arg(path)
        .args(["sql", "PRAGMA user_version = 0"])
        .output()
        .unwrap();
    stdout_ok(&out);
}

#[test]
fn readonly_refuses_writes_and_leaves_the_file_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let before = bytes(&db);
    let out = run(&db, &["--readonly", "sql", "DELETE FROM judgments"]);
    assert_fails(&out, 1, "readonly");
    assert_eq!(bytes(&db), before);
}
