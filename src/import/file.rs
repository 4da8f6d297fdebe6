//! One file imported the way `peel import report|csv|grades` and the shell's `.import`
//! both import it: which importer a file needs, the options they share, and what is said
//! afterwards (notes, and the one summary line), so that both say the same.
//!
//! Nothing here prints: the caller writes what was said where its reader looks (stderr
//! for `peel import`, the screen at the shell's prompt), with the prefix its console uses.

use std::io;
use std::path::Path;

use anyhow::{Result, bail};
use rusqlite::Connection;

use super::{bulk, grades};
use crate::report::{ReportFacts, Subject};
use crate::value::Value;

/// Which importer a file needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An inspection report's text (`peel import report`).
    Report,
    /// Figures from CSV, in any layout `peel import csv` reads.
    Csv,
    /// Grades or grade counts from CSV (`peel import grades`).
    Grades,
}

impl Kind {
    /// The kind of a file as its name and header tell it: a `.csv` whose header names a
    /// grades layout holds grades, any other `.csv` figures, and anything else is taken
    /// for report text (whose parser says plainly when it is not).
    pub fn detect(path: &Path) -> io::Result<Kind> {
        let is_csv = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if !is_csv {
            // Read errors (a missing file) are the importer's to report, as in the CLI.
            return Ok(Kind::Report);
        }
        let header = super::csv_header(path)?;
        Ok(if grades::layout_named_by(&header).is_some() {
            Kind::Grades
        } else {
            Kind::Csv
        })
    }

    /// The `peel import` verb for this kind.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Report => "report",
            Kind::Csv => "csv",
            Kind::Grades => "grades",
        }
    }
}

/// The options of `peel import`; each importer reads the ones that apply to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Replace what is held (a report imported before, values or grades that differ).
    pub replace: bool,
    /// Check everything, store nothing.
    pub dry_run: bool,
    /// CSV figures: create metrics the file names that do not exist yet.
    pub create_metrics: bool,
    /// CSV figures: the unit of created metrics when the file gives none.
    pub unit: Option<String>,
    /// Grades: let the file declare new cycles and items.
    pub create_items: bool,
    /// CSV figures and grades: the trust of the file as a source.
    pub trust: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            replace: false,
            dry_run: false,
            create_metrics: false,
            unit: None,
            create_items: false,
            trust: "medium".into(),
        }
    }
}

impl Options {
    /// The first option that does not fit `kind`, or a value no importer takes, as a
    /// usage message naming the flag.
    pub fn check(&self, kind: Kind) -> std::result::Result<(), String> {
        if let Some(unit) = &self.unit
            && !bulk::UNITS.contains(&unit.as_str())
        {
            return Err(format!(
                "unknown unit {unit:?} for --unit; units are: {}",
                bulk::UNITS.join(", ")
            ));
        }
        if !bulk::TRUST.contains(&self.trust.as_str()) {
            return Err(format!(
                "unknown trust {:?} for --trust; one of: {}",
                self.trust,
                bulk::TRUST.join(", ")
            ));
        }
        if self.unit.is_some() && !self.create_metrics {
            return Err("--unit needs --create-metrics".into());
        }
        let misplaced = match kind {
            Kind::Report if self.create_metrics => Some("--create-metrics"),
            Kind::Report if self.create_items => Some("--create-items"),
            Kind::Report if self.trust != Options::default().trust => Some("--trust"),
            Kind::Csv if self.create_items => Some("--create-items"),
            Kind::Grades if self.create_metrics => Some("--create-metrics"),
            _ => None,
        };
        match misplaced {
            Some(flag) => Err(format!(
                "{flag} is not an option of `peel import {}`",
                kind.name()
            )),
            None => Ok(()),
        }
    }
}

/// One thing said about an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    /// A note on how something was read (silenced by `-q`).
    Note(String),
    /// A line always said: the summary, rows not stored, totals not derived.
    Line(String),
}

/// What importing one file did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Notes and lines, in order, the summary last.
    pub said: Vec<Said>,
    /// For a dry run of a report: the facts read, as rows of [`FACT_COLUMNS`], shown
    /// before what is said.
    pub facts: Option<Vec<Vec<Value>>>,
}

/// The columns of a report's facts in a dry run.
pub const FACT_COLUMNS: [&str; 7] = ["fact", "area", "item", "period", "value", "unit", "line"];

/// Imports `path` as `kind` in its own transaction. `progress` hears the bytes read so
/// far of a long CSV file.
pub fn import(
    conn: &mut Connection,
    path: &Path,
    kind: Kind,
    options: &Options,
    progress: &mut dyn FnMut(u64),
) -> Result<Outcome> {
    if let Some(problem) = super::input_file_problem(path) {
        bail!(crate::error::UsageError(format!(
            "{}: {problem}",
            path.display()
        )));
    }
    match kind {
        Kind::Report => report(conn, path, options),
        Kind::Csv => csv(conn, path, options, progress),
        Kind::Grades => grades(conn, path, options),
    }
}

fn verb(dry_run: bool) -> &'static str {
    if dry_run { "would import" } else { "imported" }
}

/// `peel import report FILE`.
pub fn report(conn: &mut Connection, path: &Path, options: &Options) -> Result<Outcome> {
    let imported = super::import_report_file(conn, path, options.replace, options.dry_run)?;
    let s = &imported.stored;
    let facts = options
        .dry_run
        .then(|| fact_rows(&imported.facts, &s.area_name));
    let line = format!(
        "{} {}: {} ({}), {}: {} judgments, {} figures ({} already known), {} areas for improvement{}",
        verb(options.dry_run),
        path.display(),
        s.area_name,
        s.area_code,
        imported.facts.title,
        s.judgments,
        s.figures,
        s.figures_already_known,
        s.improvements,
        if s.replaced {
            ", replacing the earlier import"
        } else {
            ""
        }
    );
    Ok(Outcome {
        said: vec![Said::Line(line)],
        facts,
    })
}

/// `peel import csv FILE`: the series layout, else the long or Home Office layout.
pub fn csv(
    conn: &mut Connection,
    path: &Path,
    options: &Options,
    progress: &mut dyn FnMut(u64),
) -> Result<Outcome> {
    if super::is_series_file(path).unwrap_or(false) {
        return series(conn, path, options);
    }
    let csv_options = bulk::CsvOptions {
        create_metrics: options.create_metrics,
        unit: options.unit.clone(),
        trust: options.trust.clone(),
        replace: options.replace,
        dry_run: options.dry_run,
    };
    let s = bulk::import_csv_file(conn, path, &csv_options, progress)?;
    let mut said: Vec<Said> = s
        .notes
        .iter()
        .map(|note| Said::Note(format!("{}: {note}", s.file)))
        .collect();
    if !s.ignored_columns.is_empty() {
        said.push(Said::Line(format!(
            "note: {}: columns not used by the {}: {}",
            s.file,
            s.layout.name(),
            s.ignored_columns.join(", ")
        )));
    }
    if !s.other_bodies.is_empty() {
        let total: u64 = s.other_bodies.values().sum();
        let listed: Vec<String> = s
            .other_bodies
            .iter()
            .map(|(body, n)| format!("{body} ({n})"))
            .collect();
        said.push(Said::Line(format!(
            "{}: {total} rows for bodies that are not territorial forces were not stored: {}",
            s.file,
            listed.join(", ")
        )));
    }
    if s.incomplete_years > 0 {
        said.push(Said::Line(format!(
            "{}: {} not derived: the file lacks some of {} quarters",
            s.file,
            plural(s.incomplete_years, "financial-year total"),
            if s.incomplete_years == 1 {
                "its"
            } else {
                "their"
            }
        )));
    }
    if s.layout == bulk::Layout::HomeOffice && s.without_population > 0 {
        said.push(Said::Line(format!(
            "{}: {} no rate per 1,000: no population figure for the area",
            s.file,
            if s.without_population == 1 {
                "1 count has".to_string()
            } else {
                format!("{} counts have", s.without_population)
            }
        )));
    }
    let mut parts = vec![format!(
        "{}, {}",
        plural(s.rows, "row"),
        plural(s.values, "value")
    )];
    if s.layout == bulk::Layout::HomeOffice {
        parts.push(format!(
            "{} and {} per 1,000 population derived",
            plural(s.year_totals, "financial-year total"),
            plural(s.rates, "rate")
        ));
    }
    if s.replaced > 0 {
        parts.push(format!("{} replaced", s.replaced));
    }
    if !s.metrics_created.is_empty() {
        parts.push(format!(
            "{} created ({})",
            plural(s.metrics_created.len() as u64, "metric"),
            abbreviated_list(&s.metrics_created)
        ));
    }
    if !s.periods_created.is_empty() {
        parts.push(format!(
            "{} created ({})",
            plural(s.periods_created.len() as u64, "period"),
            abbreviated_list(&s.periods_created)
        ));
    }
    said.push(Said::Line(format!(
        "{} {} ({}): {}{}",
        verb(options.dry_run),
        s.file,
        s.layout.name(),
        parts.join("; "),
        if s.reimported {
            "; the file was imported before"
        } else {
            ""
        }
    )));
    Ok(Outcome { said, facts: None })
}

/// A file in the series layout (`seed/metrics/`): stored whole, then every rate derived
/// again, in one transaction.
fn series(conn: &mut Connection, path: &Path, options: &Options) -> Result<Outcome> {
    let imported = super::import_series_file(
        conn,
        path,
        options.replace,
        options.create_metrics,
        options.dry_run,
    )?;
    let s = &imported.summary;
    let line = format!(
        "{} {} (series layout): {}, {}, {} already held, {} replaced; {} and {} created; rates per 1,000 derived again: {}",
        verb(options.dry_run),
        path.display(),
        plural(s.rows as u64, "row"),
        plural(s.values as u64, "new value"),
        s.already_held,
        s.replaced,
        plural(s.metrics_created.len() as u64, "metric"),
        plural(s.periods_created as u64, "period"),
        imported.rates.rates
    );
    Ok(Outcome {
        said: vec![Said::Line(line)],
        facts: None,
    })
}

/// `peel import grades FILE`.
pub fn grades(conn: &mut Connection, path: &Path, options: &Options) -> Result<Outcome> {
    let grade_options = grades::GradeOptions {
        create_items: options.create_items,
        replace: options.replace,
        trust: options.trust.clone(),
    };
    let s = grades::import_grades_file(conn, path, &grade_options, options.dry_run)?;
    let mut said: Vec<Said> = s
        .notes
        .iter()
        .map(|note| Said::Note(format!("{}: {note}", s.file)))
        .collect();
    said.push(Said::Line(grade_summary_line(&s, options.dry_run)));
    Ok(Outcome { said, facts: None })
}

/// Refuses a file that is missing or not a regular file, as `peel import` refuses it
/// before opening the database.
pub fn ensure_file(path: &Path) -> Result<()> {
    if !path.is_file() {
        let what = if path.exists() {
            "not a file"
        } else {
            "no such file"
        };
        bail!("{}: {what}", path.display());
    }
    Ok(())
}

/// `1 row`, `2 rows`.
pub fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The first few items of a list, and how many more.
fn abbreviated_list(items: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = items
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        text.push_str(&format!(", and {} more", items.len() - SHOWN));
    }
    text
}

/// The facts of a parsed report as rows, for a dry run.
fn fact_rows(facts: &ReportFacts, force: &str) -> Vec<Vec<Value>> {
    let text = |s: &str| Value::Text(s.to_string());
    let opt = |s: &Option<String>| s.as_deref().map_or(Value::Null, text);
    let mut rows = vec![vec![
        text("report"),
        text(force),
        text(&facts.title),
        opt(&facts.published),
        opt(&facts.isbn),
        Value::Null,
        Value::Null,
    ]];
    for j in &facts.judgments {
        let item = format!("{} {} {}", j.year, j.pillar, j.question_code);
        rows.push(vec![
            text(if j.earlier_inspection.is_some() {
                "judgment (cited)"
            } else {
                "judgment"
            }),
            text(force),
            text(&item),
            opt(&j.earlier_inspection),
            text(&j.grade),
            Value::Null,
            Value::Integer(j.line as i64),
        ]);
    }
    for f in &facts.figures {
        rows.push(vec![
            text("figure"),
            text(match f.subject {
                Subject::Force => force,
                Subject::EnglandAndWales => "England and Wales",
            }),
            text(&f.metric_code),
            text(&f.period.label),
            Value::Real(f.value),
            text(&f.unit),
            Value::Integer(f.line as i64),
        ]);
    }
    for i in &facts.improvements {
        rows.push(vec![
            text("improvement"),
            text(force),
            text(&format!("{} #{}", i.question_code, i.ordinal)),
            Value::Null,
            text(&i.text),
            Value::Null,
            Value::Integer(i.line as i64),
        ]);
    }
    rows
}

/// One line saying what a grades import stored.
fn grade_summary_line(s: &grades::GradeSummary, dry_run: bool) -> String {
    let mut parts = Vec::new();
    if s.grades_added + s.grades_confirmed + s.grades_already_held + s.grades_replaced > 0 {
        parts.push(format!(
            "{}, {} already held from another source (source added), {} already held",
            plural(s.grades_added as u64, "new grade"),
            s.grades_confirmed,
            s.grades_already_held
        ));
        if s.grades_replaced > 0 {
            parts.push(format!("{} replaced", s.grades_replaced));
        }
        parts.push(format!(
            "{} derived, {} carried over",
            s.derived, s.carried_over
        ));
    }
    if s.counts_added + s.counts_already_held + s.counts_replaced > 0 {
        parts.push(format!(
            "{}, {} already held, {} replaced",
            plural(s.counts_added as u64, "new count"),
            s.counts_already_held,
            s.counts_replaced
        ));
    }
    if !s.cycles_created.is_empty() {
        parts.push(format!("new cycles {}", s.cycles_created.join(", ")));
    }
    if !s.items_created.is_empty() {
        parts.push(format!(
            "{}: {}",
            plural(s.items_created.len() as u64, "new item"),
            abbreviated_list(&s.items_created)
        ));
    }
    format!(
        "{} {} ({}, {}): {}",
        verb(dry_run),
        s.file,
        s.layout,
        plural(s.rows as u64, "row"),
        parts.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_told_by_its_extension_then_its_header() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            path
        };
        let cases = [
            (write("r.txt", "PEEL 2015"), Kind::Report),
            (write("noext", "area,period"), Kind::Report),
            (write("long.csv", "area,period,metric,value\n"), Kind::Csv),
            (
                write(
                    "g.CSV",
                    "# from the inspectorate\nForce, Cycle,Item,Grade,source_url\n",
                ),
                Kind::Grades,
            ),
            (
                write("full.csv", "ons_code,force,cycle,level,pillar,item_code\n"),
                Kind::Grades,
            ),
            (write("n.csv", "peel_year,pillar,good\n"), Kind::Grades),
            (
                write("f.csv", "ons_code,force,cycle,n_graded_stated\n"),
                Kind::Grades,
            ),
            (
                write("ho.csv", "Financial Year,Financial Quarter,Force Name\n"),
                Kind::Csv,
            ),
        ];
        for (path, kind) in cases {
            assert_eq!(Kind::detect(&path).unwrap(), kind, "{}", path.display());
        }
        assert!(Kind::detect(&dir.path().join("missing.csv")).is_err());
    }

    #[test]
    fn options_that_do_not_fit_the_file_are_named() {
        let check = |kind, f: fn(&mut Options)| {
            let mut o = Options::default();
            f(&mut o);
            o.check(kind)
        };
        assert_eq!(check(Kind::Csv, |_| ()), Ok(()));
        assert_eq!(
            check(Kind::Csv, |o| {
                o.create_metrics = true;
                o.unit = Some("count".into());
            }),
            Ok(())
        );
        assert_eq!(
            check(Kind::Csv, |o| o.unit = Some("count".into())),
            Err("--unit needs --create-metrics".into())
        );
        assert!(
            check(Kind::Csv, |o| o.unit = Some("litres".into()))
                .unwrap_err()
                .starts_with("unknown unit \"litres\" for --unit; units are: count, ")
        );
        assert_eq!(
            check(Kind::Grades, |o| o.trust = "total".into()),
            Err(
                "unknown trust \"total\" for --trust; one of: high, medium-high, medium, low"
                    .into()
            )
        );
        assert_eq!(
            check(Kind::Report, |o| o.trust = "high".into()),
            Err("--trust is not an option of `peel import report`".into())
        );
        assert_eq!(
            check(Kind::Grades, |o| o.create_metrics = true),
            Err("--create-metrics is not an option of `peel import grades`".into())
        );
        assert_eq!(
            check(Kind::Csv, |o| o.create_items = true),
            Err("--create-items is not an option of `peel import csv`".into())
        );
    }

    #[test]
    fn counts_are_said_in_words() {
        assert_eq!(plural(1, "row"), "1 row");
        assert_eq!(plural(0, "row"), "0 rows");
        let items: Vec<String> = (1..=7).map(|i| i.to_string()).collect();
        assert_eq!(abbreviated_list(&items[..2]), "1, 2");
        assert_eq!(abbreviated_list(&items), "1, 2, 3, 4, 5, and 2 more");
    }
}
