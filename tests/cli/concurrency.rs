//! Concurrency: one process after another imports (replacing a report, alternately with
//! two versions of it) while four processes run canned queries, for a few seconds. No
//! command may fail, none may say the database is locked or busy, and every reader sees
//! the database either before or after a replace, never in between.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::util::*;

/// How long the readers and the importer run together.
const RUN_FOR: Duration = Duration::from_secs(5);

/// Reader processes.
const READERS: usize = 4;

/// What a reader sees of the import: one row of counts, as a saved query (so readers
/// reach it through `peel run`, as they reach the canned ones).
const STATE_SQL: &str = "SELECT (SELECT count(*) FROM reports) AS reports,
       (SELECT count(*) FROM judgments) AS judgments,
       (SELECT count(*) FROM metric_values) AS figures,
       (SELECT count(*) FROM improvement_areas) AS improvements,
       (SELECT count(*) FROM sources) AS sources";

/// The canned queries readers run in turn, then the state query.
const QUERIES: &[&[&str]] = &[
    &["run", "compare", "officer-fte"],
    &["run", "grades", "2016"],
    &["run", "force", "northumbria", "--result", "figures"],
    &["run", "improvements", "northumbria"],
    &["run", "compare", "asb-per-1000"],
    &["run", "state"],
];

fn reports_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reports")
}

/// The synthetic Northumbria report and a second version of it with one more area for
/// improvement: the same force, year and title, so each replaces the other.
///
/// The synthetic report's invented grades are first brought into line with the grades the
/// seed holds for Northumbria (peel_grades_2014_2025.csv: Q15_E1 prevention 2015 Good,
/// and 2014 Q14_E1 and Q14_E2 Good), which an import would otherwise refuse as
/// conflicting: its 2015 prevention grade (Outstanding, printed twice) becomes Good, and
/// the 2014 grades it cites for prevention (outstanding) and investigation (requiring
/// improvement) become good.
fn two_versions(dir: &Path) -> [PathBuf; 2] {
    let fixture = reports_dir().join("synthetic-northumbria-2015.txt");
    let mut text = std::fs::read_to_string(&fixture).unwrap();
    for (from, to, times) in [
        ("\nOutstanding\n", "\nGood\n", 2),
        (
            "judged to be outstanding at reducing",
            "judged to be good at reducing",
            1,
        ),
        (
            "force as requiring improvement at investigating offending",
            "force as good at investigating offending",
            1,
        ),
    ] {
        assert_eq!(text.matches(from).count(), times, "{from:?}");
        text = text.replace(from, to);
    }
    let a = dir.join("northumbria-a.txt");
    std::fs::write(&a, &text).unwrap();
    let marker = "- The force should ensure that officers attending incidents of anti-";
    assert!(text.contains(marker));
    let b_text = text.replacen(
        marker,
        &format!("- The force should test its plans under load.\n\n{marker}"),
        1,
    );
    let b = dir.join("northumbria-b.txt");
    std::fs::write(&b, b_text).unwrap();
    [a, b]
}

fn state(db: &Path) -> String {
    stdout_ok(&run(db, &["-F", "csv", "--no-header", "run", "state"]))
}

/// What went wrong with one command, if anything: a failure, or "locked" or "busy".
fn trouble(args: &[&str], out: &std::process::Output) -> Option<String> {
    let err = stderr(out);
    let lower = err.to_lowercase();
    (!out.status.success() || lower.contains("locked") || lower.contains("busy"))
        .then(|| format!("{args:?}: status {:?}: {}", out.status.code(), err.trim()))
}

#[test]
fn readers_never_wait_in_vain_nor_see_half_an_import() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let versions = two_versions(dir.path());

    // The file is in WAL mode and peel waits for locks; readers depend on both.
    let settings = stdout_ok(&run(
        &db,
        &[
            "-F",
            "csv",
            "--no-header",
            "sql",
            "PRAGMA journal_mode; PRAGMA busy_timeout",
        ],
    ));
    assert_eq!(settings, "wal\n10000\n");

    stdout_ok(&run(&db, &["save", "state", STATE_SQL]));
    let import = |version: &Path| {
        run(
            &db,
            &["import", "report", "--replace", version.to_str().unwrap()],
        )
    };
    stdout_ok(&import(&versions[1]));
    let state_b = state(&db);
    stdout_ok(&import(&versions[0]));
    let state_a = state(&db);
    assert_ne!(state_a, state_b, "the two versions must differ");
    let valid = [state_a.clone(), state_b.clone()];

    let deadline = Instant::now() + RUN_FOR;
    let (imports, reads, problems) = std::thread::scope(|scope| {
        let importer = scope.spawn(|| {
            let mut problems = Vec::new();
            let mut n = 0;
            while Instant::now() < deadline {
                let version = &versions[(n + 1) % 2];
                let out = import(version);
                problems.extend(trouble(&["import", "report", "--replace"], &out));
                n += 1;
            }
            (n, problems)
        });
        let readers: Vec<_> = (0..READERS)
            .map(|r| {
                let (db, valid) = (&db, &valid);
                scope.spawn(move || {
                    let mut problems = Vec::new();
                    let mut n = 0;
                    while Instant::now() < deadline {
                        let args = QUERIES[(n + r) % QUERIES.len()];
                        let full = [&["-F", "csv", "--no-header"], args].concat();
                        let out = run(db, &full);
                        problems.extend(trouble(args, &out));
                        if args == ["run", "state"] && out.status.success() {
                            let seen = String::from_utf8_lossy(&out.stdout).into_owned();
                            if !valid.contains(&seen) {
                                problems.push(format!("reader {r} saw a half import: {seen}"));
                            }
                        }
                        n += 1;
                    }
                    (n, problems)
                })
            })
            .collect();
        let (imports, mut problems) = importer.join().unwrap();
        let mut reads = 0;
        for reader in readers {
            let (n, p) = reader.join().unwrap();
            reads += n;
            problems.extend(p);
        }
        (imports, reads, problems)
    });
    eprintln!(
        "concurrency: {imports} imports and {reads} reads by {READERS} readers in {RUN_FOR:?}"
    );
    assert!(
        problems.is_empty(),
        "{} of {} commands had trouble:\n{}",
        problems.len(),
        imports + reads,
        problems.join("\n")
    );
    // Every reader and the importer ran, more than once.
    assert!(
        imports > 1 && reads > READERS,
        "{imports} imports, {reads} reads"
    );
    let integrity = stdout_ok(&run(
        &db,
        &["-F", "csv", "--no-header", "sql", "PRAGMA integrity_check"],
    ));
    assert_eq!(integrity, "ok\n");
    assert!(valid.contains(&state(&db)));
}

/// `peel init --force` while `peel import csv` runs: the two wait for each other, and an
/// import that reports success after the file was replaced has its rows in the file at
/// the path (not in an unlinked old file).
#[test]
fn replacing_the_file_under_an_import_never_loses_a_reported_success() {
    let (dir, db) = seeded();
    let mut csv = String::from("area,period,metric,value,unit\n");
    for m in 1..=800 {
        for code in ["E23000023", "E23000026", "K04000001"] {
            csv.push_str(&format!("{code},as at 30 June 2018,race-{m},{m},count\n"));
        }
    }
    let file = dir.path().join("race.csv");
    std::fs::write(&file, csv).unwrap();
    for delay in [0u64, 50, 150, 400] {
        let out = run(&db, &["init", "--force"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let started = std::time::Instant::now();
        let import = peel()
            .arg("--db")
            .arg(&db)
            .args(["import", "csv", "--create-metrics"])
            .arg(&file)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let import = std::thread::spawn(move || {
            let out = import.wait_with_output().unwrap();
            (out, started.elapsed())
        });
        std::thread::sleep(Duration::from_millis(delay));
        let init = run(&db, &["init", "--force"]);
        let init_done = started.elapsed();
        let (import_out, import_done) = import.join().unwrap();
        // Each either succeeded or said clearly why not.
        for (what, out) in [("import", &import_out), ("init", &init)] {
            if !out.status.success() {
                let err = stderr(out);
                assert_eq!(err.lines().count(), 1, "{what}: {err}");
                assert!(err.starts_with("peel: error: "), "{what}: {err}");
            }
        }
        let held: i64 = sql_rows(
            &db,
            "SELECT count(*) FROM metric_values v JOIN metrics m USING (metric_id) WHERE m.code LIKE 'race-%'",
        )[0][0]
            .parse()
            .unwrap();
        // All of the import or none of it, never part.
        assert!(held == 0 || held == 2400, "delay {delay}: {held} rows");
        if import_out.status.success() && import_done > init_done && init.status.success() {
            assert_eq!(
                held, 2400,
                "delay {delay}: a success reported after the replace was lost"
            );
        }
        let check = run(&db, &["check"]);
        assert!(check.status.success(), "delay {delay}: {}", stderr(&check));
    }
}
