//! Helpers shared by the end-to-end tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The `peel` binary under test, with an environment that does not leak the developer's
/// settings into assertions (backtraces, a default database).
pub fn peel() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_peel"));
    cmd.env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .env_remove("PEEL_DB")
        .env("NO_COLOR", "1");
    cmd
}

/// A database built once per test run from the seed, copied for each test that needs it.
pub fn seeded_db(dir: &Path) -> PathBuf {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, template) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("template.db");
        let out = peel().arg("--db").arg(&path).arg("init").output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (dir, path)
    });
    let path = dir.join("peel.db");
    std::fs::copy(template, &path).unwrap();
    path
}

/// A folder holding a fresh copy of the seeded database, and that copy's path.
pub fn seeded() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    (dir, db)
}

/// The rows of `sql` run against `db` (CSV, header dropped), each a list of strings.
pub fn sql_rows(db: &Path, sql: &str) -> Vec<Vec<String>> {
    csv_rows(&stdout_ok(&run(db, &["--format", "csv", "sql", sql])))
        .into_iter()
        .skip(1)
        .collect()
}

/// Runs peel with `args` against `db`.
pub fn run(db: &Path, args: &[&str]) -> Output {
    peel().arg("--db").arg(db).args(args).output().unwrap()
}

/// Stdout of a successful run, as text.
pub fn stdout_ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "status {:?}, stderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Stderr as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Asserts a failed run: the exit status, one line on stderr containing `needle`, and no
/// panic.
pub fn assert_fails(out: &Output, code: i32, needle: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "stderr: {err}");
    assert!(err.contains(needle), "expected {needle:?} in stderr: {err}");
    assert!(!err.contains("panicked"), "panic: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
}

/// SHA-256-free fingerprint of a file: its bytes (the test files are small).
pub fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// Parses CSV output into rows of strings (header first).
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The SHA-256 of a file, to show it is unchanged byte for byte.
pub fn sha256(path: &Path) -> String {
    peel::import::sha256_hex(&bytes(path))
}

/// The `-wal`, `-shm` and `-journal` files that exist beside a database.
pub fn sidecars(db: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| peel::db::sidecar(db, suffix))
        .filter(|p| p.exists())
        .collect()
}

/// Asserts that a database is byte for byte what it was (`before` is its [`sha256`]) and
/// that nothing was left beside it.
pub fn assert_untouched(db: &Path, before: &str, what: &str) {
    assert_eq!(sha256(db), before, "{what}: the database changed");
    assert_eq!(
        sidecars(db),
        Vec::<PathBuf>::new(),
        "{what}: files left beside it"
    );
}

/// Runs peel with `args` against `db` from `dir`, with `input` on stdin and a home,
/// config and data folder of the test's own (no startup file, no history), no COLUMNS.
pub fn with_stdin(dir: &Path, db: &Path, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = peel()
        .current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env_remove("COLUMNS")
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A peel that stops early closes stdin; the rest of the input is then not wanted.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    child.wait_with_output().unwrap()
}
