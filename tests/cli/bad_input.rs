//! The bad-input catalogue: every case in `tests/fixtures/bad-input/cases.txt` (the file
//! explains its format) must fail with its exit status and a one-line error naming what
//! is wrong, never panic, and leave the database byte for byte as it was with nothing
//! beside it. One test runs every case and reports every failure at once.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::util::*;

fn catalogue_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad-input")
}

/// One case of the catalogue.
#[derive(Debug, Clone, Default)]
struct Case {
    name: String,
    /// The line of cases.txt the case starts on, for messages.
    line: usize,
    args: String,
    db: String,
    stdin: Option<String>,
    exit: Option<i32>,
    stderr: Option<String>,
    skip_if: Option<String>,
}

/// Reads the catalogue; a malformed entry is an error naming its line.
fn parse_cases(text: &str) -> Result<Vec<Case>, String> {
    let mut cases: Vec<Case> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix("==") {
            let name = name.trim();
            if name.is_empty() || cases.iter().any(|c| c.name == name) {
                return Err(format!("line {n}: missing or repeated case name {name:?}"));
            }
            cases.push(Case {
                name: name.to_string(),
                line: n,
                db: "seed".into(),
                ..Case::default()
            });
            continue;
        }
        let Some(case) = cases.last_mut() else {
            return Err(format!("line {n}: a field before the first \"== NAME\""));
        };
        let Some((key, value)) = line.split_once(':') else {
            return Err(format!("line {n}: expected \"key: value\", found {line:?}"));
        };
        let value = value.trim().to_string();
        match key.trim() {
            "args" => case.args = value,
            "db" => case.db = value,
            "stdin" => case.stdin = Some(value),
            "exit" => {
                case.exit = Some(
                    value
                        .parse()
                        .map_err(|_| format!("line {n}: exit {value:?} is not a number"))?,
                )
            }
            "stderr" => case.stderr = Some(value),
            "skip-if" => case.skip_if = Some(value),
            other => return Err(format!("line {n}: unknown field {other:?}")),
        }
    }
    for c in &cases {
        if c.exit.is_none() || c.stderr.is_none() {
            return Err(format!(
                "case {} (line {}): exit and stderr are required",
                c.name, c.line
            ));
        }
    }
    Ok(cases)
}

/// Splits a command line as a shell does for plain words and '...' or "..." quotes.
fn split_words(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                in_word = true;
            }
            None if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            None => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if let Some(q) = quote {
        return Err(format!("unterminated {q} quote in {text:?}"));
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

fn running_as_root() -> bool {
    // The tests cannot ask for the user id without a new dependency; root is the user
    // for whom a file without permissions is still readable.
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe");
    std::fs::write(&probe, b"x").unwrap();
    set_mode(&probe, 0o000);
    let readable = std::fs::read(&probe).is_ok();
    set_mode(&probe, 0o644);
    readable
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) {}

/// Makes the case's database in `dir`, as its `db:` field says.
fn make_db(kind: &str, dir: &Path) -> Result<PathBuf, String> {
    let path = dir.join("case.db");
    let seed = |path: &Path| std::fs::copy(seeded_db(&dir.join("seed")), path).map(|_| ());
    std::fs::create_dir_all(dir.join("seed")).unwrap();
    let made = match kind.split_once(':').unwrap_or((kind, "")) {
        ("seed", "") => seed(&path),
        ("exported", "") => {
            let source = seeded_db(&dir.join("seed"));
            let out = run(&source, &["export", path.to_str().unwrap()]);
            if !out.status.success() {
                return Err(format!("export failed: {}", stderr(&out)));
            }
            Ok(())
        }
        ("newer", "") | ("version", _) => {
            let version: i64 = match kind.split_once(':') {
                Some((_, n)) => n.parse().map_err(|_| format!("bad version in {kind:?}"))?,
                None => 99,
            };
            seed(&path).unwrap();
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", version).unwrap();
            conn.close().unwrap();
            Ok(())
        }
        ("foreign", "") => {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('x');")
                .unwrap();
            conn.close().unwrap();
            Ok(())
        }
        ("empty", "") => std::fs::write(&path, b""),
        ("text", "") => std::fs::write(&path, "Requires improvement\n".repeat(400)),
        ("binary", "") => std::fs::write(
            &path,
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0".repeat(100),
        ),
        ("absent", "") => Ok(()),
        ("folder", "") => std::fs::create_dir(&path),
        ("unreadable", "") => {
            seed(&path).unwrap();
            set_mode(&path, 0o000);
            Ok(())
        }
        ("truncated", n) => {
            let n: usize = n.parse().map_err(|_| format!("bad length in {kind:?}"))?;
            let bytes = std::fs::read(seeded_db(&dir.join("seed"))).unwrap();
            std::fs::write(&path, &bytes[..n.min(bytes.len())])
        }
        ("corrupt", "") => {
            let mut bytes = std::fs::read(seeded_db(&dir.join("seed"))).unwrap();
            let page = 4096 * 20;
            bytes[page..page + 4096].fill(0xAB);
            std::fs::write(&path, &bytes)
        }
        _ => return Err(format!("unknown db kind {kind:?}")),
    };
    made.map_err(|e| format!("making the {kind} database: {e}"))?;
    Ok(path)
}

/// What a database looks like before a case, to compare after it.
#[derive(Debug, PartialEq)]
enum Snapshot {
    Absent,
    Folder(Vec<PathBuf>),
    File(String),
}

fn snapshot(db: &Path) -> Snapshot {
    if db.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(db)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        Snapshot::Folder(entries)
    } else if db.exists() {
        // Readable by the test even when the case took its permissions away.
        set_mode(db, 0o644);
        let hash = sha256(db);
        Snapshot::File(hash)
    } else {
        Snapshot::Absent
    }
}

/// Runs one case; returns what went wrong, if anything.
fn run_case(case: &Case, work: &Path) -> Result<(), String> {
    let dir = work.join(&case.name);
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let db = make_db(&case.db, &dir)?;
    let files = catalogue_dir().join("files");
    let reports = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reports");
    let args: Vec<String> = split_words(&case.args)?
        .into_iter()
        .map(|w| {
            w.replace("{db}", db.to_str().unwrap())
                .replace("{files}", files.to_str().unwrap())
                .replace("{reports}", reports.to_str().unwrap())
                .replace("{tmp}", tmp.to_str().unwrap())
        })
        .collect();
    let stdin = match &case.stdin {
        Some(name) => std::fs::read(files.join(name)).map_err(|e| format!("stdin {name}: {e}"))?,
        None => Vec::new(),
    };
    let before = snapshot(&db);
    if case.db == "unreadable" {
        set_mode(&db, 0o000);
    }
    let mut child = peel()
        .args(&args)
        // The shell reads its startup file only on a terminal; keep HOME away anyway.
        .env("HOME", &tmp)
        .env("XDG_CONFIG_HOME", &tmp)
        .env("XDG_DATA_HOME", &tmp)
        .current_dir(&tmp)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run peel: {e}"))?;
    // A case may fail before reading stdin: a closed pipe is not the case's failure.
    let _ = child.stdin.take().unwrap().write_all(&stdin);
    let out = child.wait_with_output().unwrap();
    let after = snapshot(&db);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();

    let mut problems = Vec::new();
    if out.status.code() != case.exit {
        problems.push(format!(
            "exit status {:?}, expected {:?}",
            out.status.code(),
            case.exit.unwrap()
        ));
    }
    let wanted = case.stderr.as_deref().unwrap_or("");
    if !err.contains(wanted) {
        problems.push(format!("stderr lacks {wanted:?}"));
    }
    if err.contains("panicked") {
        problems.push("panicked".into());
    }
    if err.trim_end().lines().count() != 1 || !err.starts_with("peel: error: ") {
        problems.push("stderr is not one line starting \"peel: error: \"".into());
    }
    if before != after {
        problems.push(format!("the database changed: {before:?} -> {after:?}"));
    }
    let left = sidecars(&db);
    if !left.is_empty() {
        problems.push(format!("left beside the database: {left:?}"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n    stderr: {}",
            problems.join("; "),
            err.trim_end()
        ))
    }
}

#[test]
fn every_bad_input_case_fails_cleanly_and_changes_nothing() {
    let text = std::fs::read_to_string(catalogue_dir().join("cases.txt")).unwrap();
    let cases = parse_cases(&text).unwrap_or_else(|e| panic!("cases.txt: {e}"));
    let root = running_as_root();
    let work = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut skipped = Vec::new();
    let mut ran = 0;
    for case in &cases {
        if root && case.skip_if.as_deref() == Some("root") {
            skipped.push(case.name.as_str());
            continue;
        }
        ran += 1;
        if let Err(problem) = run_case(case, work.path()) {
            failures.push(format!(
                "{} (cases.txt line {}): {problem}",
                case.name, case.line
            ));
        }
    }
    if !skipped.is_empty() {
        // Shown with --nocapture; the count below does not include them.
        eprintln!("bad-input cases skipped as root: {}", skipped.join(", "));
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} bad-input cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(ran >= 40, "only {ran} bad-input cases ran");
}

#[test]
fn the_catalogue_format_is_checked() {
    assert_eq!(
        split_words(r#"--db {db} run force "x' OR '1'='1" ''"#).unwrap(),
        ["--db", "{db}", "run", "force", "x' OR '1'='1", ""]
    );
    assert!(split_words("sql 'open").is_err());
    let ok = parse_cases("# c\n== a\nargs: sql x\nexit: 1\nstderr: y\n").unwrap();
    assert_eq!(
        (ok[0].db.as_str(), ok[0].exit, ok[0].line),
        ("seed", Some(1), 2)
    );
    for bad in [
        "args: x\n",
        "== a\nexit: one\nstderr: y\n",
        "== a\nexit: 1\n",
        "== a\nexit: 1\nstderr: y\n== a\nexit: 1\nstderr: y\n",
        "== a\nflavour: mint\n",
    ] {
        assert!(parse_cases(bad).is_err(), "{bad:?}");
    }
}
