//! Crash safety: peel is killed with SIGKILL at moments drawn from a seeded random
//! generator during a large import, over and over. Each time the database must pass
//! SQLite's integrity check and `peel check`, and hold either all of that import or
//! none of it.
//!
//! The import is [`WORKLOAD`]: `peel import csv` of 220,000 long-layout rows, in one
//! transaction.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::*;

/// An import the test interrupts, and how to see how much of it is in a database.
struct Workload {
    /// Writes the import's input files into `dir`.
    prepare: fn(dir: &Path),
    /// The command that imports, into `db`, the input in `dir`.
    command: fn(db: &Path, dir: &Path) -> Command,
    /// SQL returning one row of numbers that say how much of the import a database holds:
    /// the row on the database before the import is "none", the row after one
    /// uninterrupted run is "all", and every interrupted run must give one of the two.
    probe: &'static str,
}

/// A long-layout CSV of 4,000 new metrics, each with a figure in every one of the 55
/// areas (220,000 rows): large enough that peel takes its bulk path (indexes and the
/// count trigger set aside inside the transaction and rebuilt before the commit), so a
/// kill can land in any of its phases.
fn write_big_csv(dir: &Path) {
    let areas =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/seed/areas.csv")).unwrap();
    let codes: Vec<&str> = areas
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    assert_eq!(codes.len(), 55);
    let mut csv = String::from("area,period,metric,value,unit\n");
    for m in 1..=4000 {
        for (a, code) in codes.iter().enumerate() {
            csv.push_str(&format!(
                "{code},as at 30 June 2018,crash-{m},{},count\n",
                m * 1000 + a
            ));
        }
    }
    std::fs::write(dir.join("big.csv"), csv).unwrap();
}

const WORKLOAD: Workload = Workload {
    prepare: write_big_csv,
    command: |db, dir| {
        let mut cmd = peel();
        cmd.arg("--db")
            .arg(db)
            .args(["import", "csv", "--create-metrics"])
            .arg(dir.join("big.csv"));
        cmd
    },
    probe: "SELECT (SELECT count(*) FROM metrics WHERE code LIKE 'crash-%'),
                   (SELECT count(*) FROM metric_values v JOIN metrics m USING (metric_id)
                     WHERE m.code LIKE 'crash-%'),
                   (SELECT count(*) FROM sources WHERE location LIKE '%big.csv'),
                   (SELECT count(*) FROM sqlite_schema WHERE tbl_name = 'metric_values'
                      AND type IN ('index', 'trigger'))",
};

/// How many times peel is killed.
const KILLS: usize = 24;

/// SplitMix64: a seeded generator, so a failing run can be repeated exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A duration in [0, max).
    fn below(&mut self, max: Duration) -> Duration {
        let nanos = max.as_nanos().max(1) as u64;
        Duration::from_nanos(self.next() % nanos)
    }
}

/// The integrity check's verdict and the probe's row, read through peel itself (which
/// recovers a WAL left by a killed writer, as it would for an analyst).
fn inspect(db: &Path) -> (String, String) {
    let out = run(
        db,
        &[
            "-F",
            "csv",
            "--no-header",
            "sql",
            &format!("PRAGMA integrity_check; {}", WORKLOAD.probe),
        ],
    );
    let text = stdout_ok(&out);
    let mut lines = text.lines();
    let integrity = lines.next().unwrap_or("").to_string();
    let probe = lines.collect::<Vec<_>>().join("\n");
    (integrity, probe)
}

#[test]
fn killing_an_import_leaves_all_of_it_or_none() {
    let dir = tempfile::tempdir().unwrap();
    (WORKLOAD.prepare)(dir.path());
    let template = seeded_db(dir.path());
    let (integrity, none) = inspect(&template);
    assert_eq!(integrity, "ok");

    // One uninterrupted run says what "all" looks like and how long the import takes.
    let whole = dir.path().join("whole.db");
    std::fs::copy(&template, &whole).unwrap();
    let started = Instant::now();
    let out = (WORKLOAD.command)(&whole, dir.path()).output().unwrap();
    let mut took = started.elapsed();
    assert!(out.status.success(), "{}", stderr(&out));
    let (integrity, all) = inspect(&whole);
    assert_eq!(integrity, "ok");
    assert_ne!(all, none, "the workload changed nothing");

    let seed = 0x5EED_C0DE_u64;
    let mut rng = Rng(seed);
    let (mut killed_none, mut killed_all, mut finished) = (0, 0, 0);
    let db = dir.path().join("killed.db");
    for kill in 0..KILLS {
        for side in sidecars(&db) {
            std::fs::remove_file(side).unwrap();
        }
        std::fs::copy(&template, &db).unwrap();
        // Mostly inside the transaction; now and then during the commit or after it.
        let delay = rng.below(took.mul_f64(1.1));
        let mut child = (WORKLOAD.command)(&db, dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let ran_to_the_end = child.try_wait().unwrap().is_some();
        // SIGKILL on Unix: no destructor, no rollback, no checkpoint runs.
        let _ = child.kill();
        let status = child.wait().unwrap();
        let (integrity, state) = inspect(&db);
        let what = format!(
            "kill {kill} (seed {seed:#x}) after {delay:?} of about {took:?}, status {status:?}"
        );
        assert_eq!(integrity, "ok", "{what}: integrity check failed");
        let check = run(&db, &["check"]);
        assert!(check.status.success(), "{what}: {}", stderr(&check));
        if ran_to_the_end {
            assert!(status.success(), "{what}: the import failed");
            assert_eq!(state, all, "{what}: finished but not all there");
            finished += 1;
            // It took at most `delay`: a first measurement slowed by a busy machine must
            // not leave most kills landing after the end.
            took = took.min(delay);
        } else if state == none {
            killed_none += 1;
        } else if state == all {
            killed_all += 1;
        } else {
            panic!(
                "{what}: part of the import is in the database:\n{state}\nnot\n{none}\nor\n{all}"
            );
        }
    }
    eprintln!(
        "crash test: {KILLS} runs of about {took:?}: {killed_none} killed leaving none, \
         {killed_all} killed after the commit leaving all, {finished} finished first"
    );
    assert!(
        killed_none + killed_all > 0,
        "no run was killed while it ran; the workload is too short to test anything"
    );
}

/// `init` and `export` killed part way: the file at the path is either the old one or the
/// new one, whole, and the next run removes what the killed one left beside it.
#[test]
fn killing_init_or_export_leaves_a_whole_file_and_nothing_the_next_run_keeps() {
    let (dir, db) = seeded();
    let out_db = dir.path().join("shipped.db");
    for (round, delay) in [30u64, 120, 300, 600].into_iter().enumerate() {
        let mut child = if round % 2 == 0 {
            peel()
                .arg("--db")
                .arg(&db)
                .args(["init", "--force"])
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        } else {
            peel()
                .arg("--db")
                .arg(&db)
                .arg("export")
                .arg(&out_db)
                .arg("--force")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        };
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever was interrupted, the database is whole and passes its checks.
        let check = run(&db, &["check"]);
        assert!(check.status.success(), "round {round}: {}", stderr(&check));
        // The next runs leave no temporary file beside either path.
        stdout_ok(&run(&db, &["export", out_db.to_str().unwrap(), "--force"]));
        let out = run(&db, &["init", "--force"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".building-") || n.contains(".exporting-"))
            .collect();
        assert_eq!(left, Vec::<String>::new(), "round {round}");
        let check = run(&out_db, &["check"]);
        assert!(check.status.success(), "round {round}: {}", stderr(&check));
    }
}
