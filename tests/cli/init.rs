use crate::util::*;

#[test]
fn init_builds_a_database_that_passes_integrity_checks() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let out = peel().arg("--db").arg(&db).arg("init").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("built"), "{}", stderr(&out));
    let text = stdout_ok(&run(
        &db,
        &[
            "sql",
            "PRAGMA integrity_check; PRAGMA foreign_key_check; PRAGMA user_version;",
        ],
    ));
    // foreign_key_check prints its header and no rows when nothing is wrong.
    assert_eq!(
        text,
        "integrity_check\nok\ntable,rowid,parent,fkid\nuser_version\n3\n"
    );
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    stdout_ok(&run(
        &db,
        &["sql", "CREATE TABLE mine(x); INSERT INTO mine VALUES (1);"],
    ));
    let before = bytes(&db);
    let out = run(&db, &["init"]);
    assert_fails(&out, 2, "already exists; use --force");
    assert_eq!(bytes(&db), before, "the database changed");

    let out = run(&db, &["init", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&db, &["sql", "SELECT * FROM mine"]);
    assert_fails(&out, 1, "no such table: mine");
}

#[test]
fn default_database_is_built_on_first_use_in_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = peel()
        .current_dir(dir.path())
        .args([
            "sql",
            "SELECT count(*) AS forces FROM areas WHERE kind = 'force'",
        ])
        .output()
        .unwrap();
    assert_eq!(stdout_ok(&out), "forces\n43\n");
    assert!(stderr(&out).contains("building it from the embedded seed"));
    assert!(dir.path().join("peel.db").exists());

    // Second use: no build message.
    let out = peel()
        .current_dir(dir.path())
        .args(["sql", "SELECT 1 AS one"])
        .output()
        .unwrap();
    assert_eq!(stdout_ok(&out), "one\n1\n");
    assert_eq!(stderr(&out), "");
}

#[test]
fn peel_db_environment_variable_names_the_default_database() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("elsewhere.db");
    let out = peel()
        .current_dir(dir.path())
        .env("PEEL_DB", &target)
        .args(["sql", "SELECT 1 AS one"])
        .output()
        .unwrap();
    stdout_ok(&out);
    assert!(target.exists());
    assert!(!dir.path().join("peel.db").exists());
}

#[test]
fn init_honours_peel_db() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("viaenv.db");
    let out = peel().env("PEEL_DB", &target).arg("init").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(target.exists());
}
