//! The embedded seed: the reference tables and research data that every new database is
//! built from (`seed/*.csv`, compiled into the binary so peel works from any folder), and
//! the build of a new database file from it.
//!
//! The seed files are plain CSV with every row naming its source; `seed/tools/normalize.py`
//! derives them from the research files in `seed/original/`. Loading goes through the one
//! loader a user's imports use ([`crate::load`]), and the grades through the grade
//! importer itself: no hand-written copy of results.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Deserialize;

use crate::db;
use crate::load::{self, grades};

/// One embedded seed file.
struct SeedFile {
    name: &'static str,
    text: &'static str,
}

macro_rules! seed_file {
    ($name:literal) => {
        SeedFile {
            name: concat!("seed/", $name),
            text: include_str!(concat!("../seed/", $name)),
        }
    };
}

const SOURCES: SeedFile = seed_file!("sources.csv");
const AREAS: SeedFile = seed_file!("areas.csv");
const PERIODS: SeedFile = seed_file!("periods.csv");
const GRADES: SeedFile = seed_file!("grades.csv");
const CYCLES: SeedFile = seed_file!("cycles.csv");
const ITEMS: SeedFile = seed_file!("items.csv");
const METRICS: SeedFile = seed_file!("metrics.csv");
const METRIC_VALUES: SeedFile = seed_file!("metric_values.csv");

/// The grade record, loaded in this order through `peel import grades`'s own code: the
/// audited record as it is, then the older project files' grades (a grade seen in both
/// keeps both sources), then the audit's candidates re-confirmed since, then the
/// national and per-force counts. `seed/tools/normalize.py` writes the derived ones.
const GRADE_FILES: &[SeedFile] = &[
    seed_file!("original/peel_grades_2014_2025.csv"),
    seed_file!("grades_project_files.csv"),
    seed_file!("peel_grades_confirmed_additions.csv"),
    seed_file!("national_grade_counts.csv"),
    seed_file!("original/peel_national_grade_counts_additions.csv"),
    seed_file!("area_grade_counts.csv"),
];

/// The figure series (`seed/metrics/`, written by `tools/normalize.py` from the audited
/// research files): loaded through the series importer `peel import csv` uses for this
/// layout, then every rate per 1,000 is derived from them. The by-offence breakdown
/// (`ons_recorded_crime_by_offence_pfa_fy2003_fy2018.csv`, 8 MB) is not embedded: import it
/// with `peel import csv --create-metrics` when you need it.
const SERIES_FILES: &[SeedFile] = &[
    seed_file!("metrics/ons_pfa_population_2011_2023.csv"),
    seed_file!("metrics/ons_pfa_population_2001_2010.csv"),
    seed_file!("metrics/ho_police_workforce_mar2007_mar2023.csv"),
    seed_file!("metrics/ho_police_workforce_sep2014_sep2019.csv"),
    seed_file!("metrics/ho_police_officer_fte_mar2025.csv"),
    seed_file!("metrics/ons_recorded_crime_excl_fraud_pfa_fy2003_2018.csv"),
    seed_file!("metrics/ho_recorded_crime_pfa_fy2025.csv"),
    seed_file!("metrics/ho_crime_outcomes_charge_rate_pfa_fy2018_fy2019.csv"),
    seed_file!("metrics/ons_crime_severity_score_pfa_fy2003_fy2023.csv"),
    seed_file!("metrics/ho_arrests_pfa_fy2007_fy2018.csv"),
    seed_file!("metrics/ho_stop_search_pfa_fy2007_fy2019.csv"),
];

/// The research files the seed tables were derived from, embedded so that the SHA-256 of
/// every file source can be recorded in the database.
const ORIGINALS: &[(&str, &[u8])] = &[
    (
        "seed/original/forces_england_wales_43.csv",
        include_bytes!("../seed/original/forces_england_wales_43.csv"),
    ),
    (
        "seed/original/ho_police_officer_fte_2014_2015.csv",
        include_bytes!("../seed/original/ho_police_officer_fte_2014_2015.csv"),
    ),
    (
        "seed/original/ons_pfa_population_mye2018.csv",
        include_bytes!("../seed/original/ons_pfa_population_mye2018.csv"),
    ),
    (
        "seed/original/peel_2016_effectiveness_all43.csv",
        include_bytes!("../seed/original/peel_2016_effectiveness_all43.csv"),
    ),
    (
        "seed/original/peel_2017_legitimacy_all43.csv",
        include_bytes!("../seed/original/peel_2017_legitimacy_all43.csv"),
    ),
    (
        "seed/original/peel_national_grade_counts.csv",
        include_bytes!("../seed/original/peel_national_grade_counts.csv"),
    ),
    (
        "seed/original/peel_pillar_judgments_2015_2018.csv",
        include_bytes!("../seed/original/peel_pillar_judgments_2015_2018.csv"),
    ),
    (
        "seed/original/peel_question_and_area_judgments.csv",
        include_bytes!("../seed/original/peel_question_and_area_judgments.csv"),
    ),
    (
        "seed/original/peel_grades_2014_2025.csv",
        include_bytes!("../seed/original/peel_grades_2014_2025.csv"),
    ),
    (
        "seed/original/peel_area_grade_counts_2021_2025.csv",
        include_bytes!("../seed/original/peel_area_grade_counts_2021_2025.csv"),
    ),
    (
        "seed/original/peel_national_grade_counts_additions.csv",
        include_bytes!("../seed/original/peel_national_grade_counts_additions.csv"),
    ),
];

/// The seed report shipped with peel (HMIC, Open Government Licence v3.0).
pub const SEED_REPORTS: &[(&str, &str)] = &[(
    "peel-effectiveness-2015-cambridgeshire.txt",
    include_str!("../seed/reports/peel-effectiveness-2015-cambridgeshire.txt"),
)];

/// Reads every row of a seed file, naming the file and line on any error.
fn rows<T: for<'de> Deserialize<'de>>(file: &SeedFile) -> Result<Vec<(u64, T)>> {
    let mut reader = csv::Reader::from_reader(file.text.as_bytes());
    let headers = reader.headers()?.clone();
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.with_context(|| format!("reading {}", file.name))?;
        let line = record.position().map_or(0, |p| p.line());
        let row: T = record
            .deserialize(Some(&headers))
            .with_context(|| format!("{} line {line}", file.name))?;
        out.push((line, row));
    }
    Ok(out)
}

#[derive(Deserialize)]
struct SourceRow {
    key: String,
    kind: String,
    location: String,
    title: String,
    publisher: String,
    licence: String,
    trust: String,
    note: String,
}

#[derive(Deserialize)]
struct AreaRow {
    code: String,
    slug: String,
    name: String,
    short_name: String,
    kind: String,
    parent_code: String,
    country: String,
    aliases: String,
    source: String,
}

#[derive(Deserialize)]
struct PeriodRow {
    label: String,
    kind: String,
    start_date: String,
    end_date: String,
}

#[derive(Deserialize)]
struct GradeRow {
    scale: String,
    grade: String,
    rank: Option<i64>,
    meaning: String,
}

#[derive(Deserialize)]
struct CycleRow {
    year: i64,
    label: String,
    scale: String,
    has_pillars: i64,
    note: String,
}

#[derive(Deserialize)]
struct ItemRow {
    cycle: String,
    level: String,
    pillar: String,
    code: String,
    wording: String,
    graded: i64,
    series: String,
}

#[derive(Deserialize)]
struct MetricRow {
    code: String,
    name: String,
    unit: String,
    higher_is_better: Option<i64>,
    definition: String,
    edition: String,
    rate_of: String,
}

#[derive(Deserialize)]
struct MetricValueRow {
    metric: String,
    area_code: String,
    period: String,
    value: f64,
    source: String,
    note: String,
    derived: i64,
}

fn none_if_empty(s: &str) -> Option<&str> {
    if s.is_empty() { None } else { Some(s) }
}

/// What a seed load stored, by table.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SeedCounts {
    /// Rows in `sources`.
    pub sources: usize,
    /// Rows in `areas`.
    pub areas: usize,
    /// Rows in `metric_values`.
    pub metric_values: usize,
    /// Rows in `judgments`.
    pub judgments: usize,
    /// Rows in `grade_counts`.
    pub grade_counts: usize,
    /// Reports imported from `seed/reports/`.
    pub reports: usize,
}

/// Names a seed file and line in an error.
fn at<E: std::fmt::Display>(file: &SeedFile, line: u64) -> impl FnOnce(E) -> anyhow::Error {
    let name = file.name;
    move |e| anyhow!("{name} line {line}: {e}")
}

/// Looks up an id that an earlier seed file must have made.
fn required(id: Option<i64>, file: &SeedFile, line: u64, what: &str, key: &str) -> Result<i64> {
    id.ok_or_else(|| anyhow!("{} line {line}: unknown {what} {key:?}", file.name))
}

/// Loads every seed table into an empty schema, inside the caller's transaction, through
/// the one loader ([`crate::load`]) and, for grades, the grade importer itself.
pub fn load(tx: &Transaction<'_>) -> Result<SeedCounts> {
    load_reference(tx)?;
    load_figures(tx)?;
    for file in SERIES_FILES {
        let rows = crate::import::series::parse(file.text.as_bytes())
            .map_err(|e| anyhow!("{} {e}", file.name))?;
        crate::import::series::store(tx, file.name, &rows, false, false)
            .map_err(|e| anyhow!("{} {e}", file.name))?;
    }
    load::rates::derive_rates(tx)?;
    for file in GRADE_FILES {
        crate::import::grades::import_grades_bytes(
            tx,
            file.name,
            file.text.as_bytes(),
            &crate::import::grades::GradeOptions::default(),
        )?;
    }
    table_counts(tx)
}

/// Sources, documentation, areas, grade scales, cycles and items.
fn load_reference(tx: &Transaction<'_>) -> Result<()> {
    for (line, r) in rows::<SourceRow>(&SOURCES)? {
        load::insert_source(
            tx,
            &load::NewSource {
                key: &r.key,
                kind: &r.kind,
                location: &r.location,
                title: &r.title,
                publisher: none_if_empty(&r.publisher),
                licence: none_if_empty(&r.licence),
                trust: &r.trust,
                note: none_if_empty(&r.note),
                sha256: None,
            },
        )
        .map_err(at(&SOURCES, line))?;
    }
    for (location, bytes) in ORIGINALS {
        let changed = tx.execute(
            "UPDATE sources SET sha256 = ?2 WHERE kind = 'file' AND location = ?1",
            params![location, crate::import::sha256_hex(bytes)],
        )?;
        if changed == 0 {
            bail!("{}: no source names {location}", SOURCES.name);
        }
    }

    // Parents precede their children in areas.csv.
    for (line, r) in rows::<AreaRow>(&AREAS)? {
        let parent_id = match none_if_empty(&r.parent_code) {
            Some(code) => Some(required(
                load::area_id(tx, code)?,
                &AREAS,
                line,
                "area",
                code,
            )?),
            None => None,
        };
        let source_id = required(
            load::source_id(tx, &r.source)?,
            &AREAS,
            line,
            "source",
            &r.source,
        )?;
        load::insert_area(
            tx,
            &load::NewArea {
                code: &r.code,
                slug: &r.slug,
                name: &r.name,
                short_name: &r.short_name,
                kind: &r.kind,
                parent_id,
                country: &r.country,
                aliases: &r.aliases,
                source_id,
            },
        )
        .map_err(at(&AREAS, line))?;
    }

    for (line, r) in rows::<GradeRow>(&GRADES)? {
        tx.execute(
            "INSERT OR IGNORE INTO grade_scales (code, name) VALUES (?1, ?2)",
            params![
                r.scale,
                if r.scale == "peel-4" {
                    "PEEL 2014 to 2018/19: four grades"
                } else {
                    "PEEL 2021/22 on: five grades with Adequate"
                }
            ],
        )?;
        tx.execute(
            "INSERT INTO grades (scale_id, name, rank, meaning)
             VALUES ((SELECT scale_id FROM grade_scales WHERE code = ?1), ?2, ?3, ?4)",
            params![r.scale, r.grade, r.rank, r.meaning],
        )
        .map_err(at(&GRADES, line))?;
    }

    for (line, r) in rows::<CycleRow>(&CYCLES)? {
        grades::insert_cycle(
            tx,
            &grades::NewCycle {
                year: r.year,
                label: &r.label,
                scale: &r.scale,
                has_pillars: r.has_pillars == 1,
                note: none_if_empty(&r.note),
            },
        )
        .map_err(at(&CYCLES, line))?;
    }

    for (line, r) in rows::<ItemRow>(&ITEMS)? {
        let cycle = grades::cycle(tx, &r.cycle)?;
        let cycle = required(cycle.map(|c| c.id), &ITEMS, line, "cycle", &r.cycle)?;
        grades::insert_item(
            tx,
            &grades::NewItem {
                cycle_id: cycle,
                level: &r.level,
                pillar: none_if_empty(&r.pillar),
                code: &r.code,
                wording: &r.wording,
                graded: r.graded == 1,
                series: Some(&r.series),
            },
        )
        .map_err(at(&ITEMS, line))?;
    }
    Ok(())
}

/// Periods, metrics and figures.
fn load_figures(tx: &Transaction<'_>) -> Result<()> {
    for (line, r) in rows::<PeriodRow>(&PERIODS)? {
        load::insert_period(
            tx,
            &load::NewPeriod {
                label: &r.label,
                kind: &r.kind,
                start: none_if_empty(&r.start_date),
                end: &r.end_date,
            },
        )
        .map_err(at(&PERIODS, line))?;
    }

    for (line, r) in rows::<MetricRow>(&METRICS)? {
        load::insert_metric(
            tx,
            &load::NewMetric {
                code: &r.code,
                name: &r.name,
                unit: &r.unit,
                higher_is_better: r.higher_is_better,
                definition: &r.definition,
                edition: none_if_empty(&r.edition),
                in_profile: true,
                rate_of: none_if_empty(&r.rate_of),
            },
        )
        .map_err(at(&METRICS, line))?;
    }

    for (line, r) in rows::<MetricValueRow>(&METRIC_VALUES)? {
        let file = &METRIC_VALUES;
        let metric = load::metric_by_code(tx, &r.metric)?.map(|(id, _)| id);
        let period: Option<i64> = tx
            .prepare_cached("SELECT period_id FROM periods WHERE label = ?1")?
            .query_row([&r.period], |row| row.get(0))
            .optional()?;
        load::insert_value(
            tx,
            &load::NewValue {
                metric_id: required(metric, file, line, "metric", &r.metric)?,
                period_id: required(period, file, line, "period", &r.period)?,
                area_id: required(
                    load::area_id(tx, &r.area_code)?,
                    file,
                    line,
                    "area",
                    &r.area_code,
                )?,
                value: r.value,
                source_id: required(
                    load::source_id(tx, &r.source)?,
                    file,
                    line,
                    "source",
                    &r.source,
                )?,
                report_id: None,
                source_line: None,
                derived: r.derived,
                note: none_if_empty(&r.note),
                trust: None,
                numerator_id: None,
                denominator_id: None,
            },
        )
        .map_err(at(file, line))?;
    }
    Ok(())
}

/// Row counts of the main tables.
pub fn table_counts(conn: &Connection) -> Result<SeedCounts> {
    let count = |table: &str| -> Result<usize> {
        let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
        Ok(n as usize)
    };
    Ok(SeedCounts {
        sources: count("sources")?,
        areas: count("areas")?,
        metric_values: count("metric_values")?,
        judgments: count("judgments")?,
        grade_counts: count("grade_counts")?,
        reports: count("reports")?,
    })
}

/// Records what the file is and how it was made.
pub fn write_meta(conn: &Connection) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES
           ('schema_version', ?1),
           ('peel_version', ?2),
           ('built_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
           ('title', 'peel: HMIC/HMICFRS PEEL inspection results for England and Wales'),
           ('licence', 'Contains public sector information licensed under the Open Government Licence v3.0')",
        params![db::SCHEMA_VERSION.to_string(), env!("CARGO_PKG_VERSION")],
    )?;
    Ok(())
}

/// Builds a complete database at `path` from the embedded seed.
///
/// The file is built under a temporary name beside `path` and renamed into place only when
/// complete, so a failed or interrupted build never leaves a half-made database, and an
/// existing file is replaced only when `replace` is true.
pub fn build_database(path: &Path, replace: bool) -> Result<SeedCounts> {
    if path.exists() && !replace {
        bail!(
            "{}: already exists; use --force to replace it",
            path.display()
        );
    }
    db::install::remove_stale_temporaries(path);
    let tmp = temp_path(path);
    let result = build_at(&tmp);
    match result {
        Ok(counts) => {
            db::install::install(&tmp, path, db::install::Journal::Wal).map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                anyhow::Error::new(e).context("putting the new database in place")
            })?;
            Ok(counts)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

fn temp_path(path: &Path) -> PathBuf {
    db::sidecar(path, &format!(".building-{}", std::process::id()))
}

fn build_at(path: &Path) -> Result<SeedCounts> {
    if path.exists() {
        std::fs::remove_file(path)?;
    }
    let mut conn =
        Connection::open(path).with_context(|| format!("creating {}", path.display()))?;
    db::configure(&conn)?;
    let tx = conn.transaction()?;
    db::create_schema(&tx)?;
    load(&tx)?;
    // The seed reports go through the importer a user would run.
    for (name, text) in SEED_REPORTS {
        crate::import::import_report_bytes(
            &tx,
            &format!("seed/reports/{name}"),
            text.as_bytes(),
            false,
        )?;
    }
    write_meta(&tx)?;
    let counts = table_counts(&tx)?;
    tx.commit()?;
    // WAL lets analysts query while an import runs; it is set once and kept in the file.
    conn.pragma_update(None, "journal_mode", "wal")?;
    conn.execute_batch("ANALYZE; PRAGMA optimize;")?;
    conn.close().map_err(|(_, e)| e)?;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeded() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        db::configure(&conn).unwrap();
        let tx = conn.transaction().unwrap();
        db::create_schema(&tx).unwrap();
        load(&tx).unwrap();
        tx.commit().unwrap();
        conn
    }

    #[test]
    fn seed_loads_with_foreign_keys_intact() {
        let conn = seeded();
        let violations: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(violations, 0);
    }

    #[test]
    fn documentation_covers_every_table_view_and_column() {
        let conn = seeded();
        let undocumented: Vec<String> = conn
            .prepare(
                "SELECT s.name || coalesce('.' || c.name, '')
                 FROM sqlite_schema s
                 LEFT JOIN pragma_table_info(s.name) c ON 1
                 WHERE s.type IN ('table', 'view') AND s.name NOT LIKE 'sqlite_%'
                   AND NOT EXISTS (SELECT 1 FROM documentation d
                                   WHERE d.object = s.name AND d.column_name IS c.name)
                 UNION ALL
                 SELECT s.name FROM sqlite_schema s
                 WHERE s.type IN ('table', 'view') AND s.name NOT LIKE 'sqlite_%'
                   AND NOT EXISTS (SELECT 1 FROM documentation d
                                   WHERE d.object = s.name AND d.column_name IS NULL)",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(undocumented.is_empty(), "undocumented: {undocumented:?}");
        let stale: i64 = conn
            .query_row(
                "SELECT count(*) FROM documentation d WHERE NOT EXISTS
                   (SELECT 1 FROM sqlite_schema s WHERE s.name = d.object)
                 OR (d.column_name IS NOT NULL AND NOT EXISTS
                   (SELECT 1 FROM pragma_table_info(d.object) c WHERE c.name = d.column_name))",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            stale, 0,
            "documentation describes columns that do not exist"
        );
    }

    #[test]
    fn every_file_source_from_the_research_notes_has_its_sha256() {
        let conn = seeded();
        let missing: i64 = conn
            .query_row(
                "SELECT count(*) FROM sources WHERE kind = 'file' AND sha256 IS NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(missing, 0);
    }

    #[test]
    fn the_43_forces_belong_to_regions_and_countries() {
        let conn = seeded();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM areas WHERE kind = 'force'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(n, 43);
        let (region, country): (String, String) = conn
            .query_row(
                "SELECT p.short_name, a.country FROM areas a JOIN areas p ON p.area_id = a.parent_id
                 WHERE a.code = 'W15000004'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((region.as_str(), country.as_str()), ("Wales", "Wales"));
    }

    #[test]
    fn west_midlands_force_and_region_fte_are_told_apart() {
        // seed/original/ho_police_officer_fte_2014_2015.csv names both "West Midlands":
        // line 24 is the region (11688.54 in March 2015), line 28 the force (7132.75).
        let conn = seeded();
        let value = |code: &str| -> f64 {
            conn.query_row(
                "SELECT value FROM v_metric_values WHERE metric_code = 'officer-fte'
                 AND area_code = ?1 AND period_label = 'as at 31 March 2015'",
                [code],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(value("E12000005"), 11688.54);
        assert_eq!(value("E23000014"), 7132.75);
    }
}
