//! Storing the facts of one parsed report inside the caller's transaction: resolve the
//! force, cycle, items, metrics and periods; write the report, its judgments, figures and
//! areas for improvement, each with its source line, through the one loader
//! ([`crate::load`]). Never parses, never commits.

use rusqlite::{OptionalExtension, Transaction};

use crate::load::{self, grades, grades::CycleRef, reports};
use crate::report::{FigureFact, ReportFacts, Subject};

/// England and Wales, the reference area of every report figure.
const NATIONAL_CODE: &str = "K04000001";

/// Why a parsed report could not be stored.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The report names a force peel does not know.
    #[error(
        "the report is about {0:?}, which is not one of the 43 forces (expected a name like \"Cambridgeshire Constabulary\")"
    )]
    UnknownForce(String),
    /// The programme year has no cycle.
    #[error("PEEL year {0} is not a known cycle (known: see `SELECT year FROM cycles`)")]
    UnknownCycle(i32),
    /// A judgment's question is not in the catalogue.
    #[error("line {line}: no {pillar} question {code:?} in PEEL {year}")]
    UnknownQuestion {
        /// Source line.
        line: usize,
        /// Programme year.
        year: i32,
        /// Pillar.
        pillar: String,
        /// Question code.
        code: String,
    },
    /// A grade outside the cycle's scale.
    #[error("line {line}: {grade:?} is not a grade on the PEEL {year} scale")]
    UnknownGrade {
        /// Source line.
        line: usize,
        /// Programme year.
        year: i32,
        /// The grade as parsed.
        grade: String,
    },
    /// The same report is already in the database.
    #[error(
        "already imported as report {report_id} ({title}, {force}); use --replace to import it again"
    )]
    AlreadyImported {
        /// The stored report.
        report_id: i64,
        /// Its title.
        title: String,
        /// Its force.
        force: String,
    },
    /// The report disagrees with a grade stored from another source.
    #[error(
        "line {line}: {question} {year} is {grade} here but {existing} is already stored from {source_location}"
    )]
    ConflictingJudgment {
        /// Source line.
        line: usize,
        /// Question code.
        question: String,
        /// Programme year.
        year: i32,
        /// This report's grade.
        grade: String,
        /// The stored grade.
        existing: String,
        /// Where the stored grade came from.
        source_location: String,
    },
    /// The report disagrees with a figure stored from another source.
    #[error(
        "line {line}: {area} {metric} for {period} is {value} here but {existing} is already stored from {source_location}"
    )]
    ConflictingFigure {
        /// Source line.
        line: usize,
        /// Area name.
        area: String,
        /// Metric code.
        metric: String,
        /// Period label.
        period: String,
        /// This report's value.
        value: f64,
        /// The stored value.
        existing: f64,
        /// Where the stored value came from.
        source_location: String,
    },
    /// A figure's unit differs from its metric's.
    #[error("line {line}: {metric} is measured in {expected:?}, but the report gives {found:?}")]
    UnitMismatch {
        /// Source line.
        line: usize,
        /// Metric code.
        metric: String,
        /// The catalogue's unit.
        expected: String,
        /// The parsed unit.
        found: String,
    },
    /// The database has no England and Wales area to hold the report's national figures.
    #[error("the database has no England and Wales area (K04000001); is it a peel database?")]
    NoNational,
    /// SQLite failed.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// Where a report's text came from.
#[derive(Debug, Clone)]
pub struct ReportFile<'a> {
    /// The file name as given (stored as the source location).
    pub name: &'a str,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: &'a str,
}

/// What storing one report did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stored {
    /// The new report's id.
    pub report_id: i64,
    /// The force's ONS code.
    pub area_code: String,
    /// The force's full name.
    pub area_name: String,
    /// Judgments written (including cited earlier ones).
    pub judgments: usize,
    /// Figures written.
    pub figures: usize,
    /// Figures the report states that were already stored with the same value (England
    /// and Wales values printed in every force's report).
    pub figures_already_known: usize,
    /// Areas for improvement written.
    pub improvements: usize,
    /// Whether an earlier import of the same report was replaced.
    pub replaced: bool,
}

/// Resolves the force a report names: full name, short name or an alias, ignoring case.
fn resolve_force(tx: &Transaction<'_>, printed: &str) -> Result<(i64, String, String), StoreError> {
    let wanted = printed.trim();
    let found = tx
        .query_row(
            "SELECT area_id, code, name FROM areas
             WHERE kind = 'force'
               AND (lower(name) = lower(?1) OR lower(short_name) = lower(?1)
                    OR instr('|' || lower(aliases) || '|', '|' || lower(?1) || '|') > 0)",
            [wanted],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    found.ok_or_else(|| StoreError::UnknownForce(printed.to_string()))
}

/// The item code of a question as the report parser names it (`overall`, `prevention`,
/// ...): the pillar's headline question, or the question's position in HMICFRS's list
/// for the cycle (2014: E1 prevention, E2 investigation; 2015 to 2018/19: E1 to E4).
fn report_item_code(
    tx: &Transaction<'_>,
    cycle: &CycleRef,
    pillar: &str,
    code: &str,
) -> Result<Option<String>, StoreError> {
    if code == "overall" {
        return Ok(grades::pillar_item(tx, cycle.id, pillar)?);
    }
    let position = match (pillar, code) {
        ("effectiveness", "prevention") => "E1",
        ("effectiveness", "investigation") => "E2",
        ("effectiveness", "vulnerability") if cycle.year >= 2015 => "E3",
        ("effectiveness", "serious-organised-crime") if cycle.year >= 2015 => "E4",
        _ => return Ok(None),
    };
    let code = format!("Q{:02}_{position}", cycle.year % 100);
    Ok(grades::item(tx, &code)?
        .filter(|i| i.cycle_id == cycle.id)
        .map(|i| i.code))
}

/// The item a report's question names in the cycle of PEEL `year`.
fn report_item(
    tx: &Transaction<'_>,
    year: i32,
    pillar: &str,
    code: &str,
    line: usize,
) -> Result<(CycleRef, grades::Item), StoreError> {
    let unknown = || StoreError::UnknownQuestion {
        line,
        year,
        pillar: pillar.to_string(),
        code: code.to_string(),
    };
    let cycle = grades::cycle(tx, &year.to_string())?.ok_or_else(unknown)?;
    let item_code = report_item_code(tx, &cycle, pillar, code)?.ok_or_else(unknown)?;
    let item = grades::item(tx, &item_code)?.ok_or_else(unknown)?;
    Ok((cycle, item))
}

/// The metric's id, creating it when the report states a figure the catalogue lacks (an
/// outcome type added in a later year): its definition says where it came from.
fn metric_id(
    tx: &Transaction<'_>,
    fact: &FigureFact,
    file: &ReportFile<'_>,
) -> Result<i64, StoreError> {
    match load::metric_by_code(tx, &fact.metric_code)? {
        Some((id, unit)) if unit == fact.unit => Ok(id),
        Some((_, unit)) => Err(StoreError::UnitMismatch {
            line: fact.line,
            metric: fact.metric_code.clone(),
            expected: unit,
            found: fact.unit.clone(),
        }),
        None => Ok(load::insert_metric(
            tx,
            &load::NewMetric {
                code: &fact.metric_code,
                name: &fact.metric_code,
                unit: &fact.unit,
                higher_is_better: None,
                definition: &format!(
                    "Created by the report importer from {} line {}",
                    file.name, fact.line
                ),
                edition: None,
                in_profile: true,
                rate_of: None,
            },
        )?),
    }
}

/// Stores `facts` read from `file`. With `replace`, an earlier import of the same report
/// is removed first; without it, such a report is an error.
pub fn store_report(
    tx: &Transaction<'_>,
    facts: &ReportFacts,
    file: &ReportFile<'_>,
    replace: bool,
) -> Result<Stored, StoreError> {
    let (area_id, area_code, area_name) = resolve_force(tx, &facts.force_name)?;
    let cycle =
        grades::cycle(tx, &facts.year.to_string())?.ok_or(StoreError::UnknownCycle(facts.year))?;

    let source_key = format!("report:{}", file.sha256);
    let title = format!("{} - {}", facts.title, facts.force_name);
    let mut report = reports::NewReport {
        area_id,
        cycle_id: cycle.id,
        pillar: Some(facts.pillar.as_str()),
        title: &facts.title,
        published: facts.published.as_deref(),
        isbn: facts.isbn.as_deref(),
        source_id: 0,
    };
    let mut stored = Stored {
        area_code,
        area_name: area_name.clone(),
        ..Stored::default()
    };
    if let Some((report_id, title)) = reports::earlier_report(tx, &source_key, &report)? {
        if !replace {
            return Err(StoreError::AlreadyImported {
                report_id,
                title,
                force: area_name,
            });
        }
        reports::remove_report(tx, report_id)?;
        stored.replaced = true;
    }

    report.source_id = load::insert_source(
        tx,
        &load::NewSource {
            key: &source_key,
            kind: "file",
            location: file.name,
            title: &title,
            publisher: Some("HMIC/HMICFRS"),
            licence: Some("Open Government Licence v3.0"),
            trust: "high",
            note: Some("Text of the published report, imported by peel import report"),
            sha256: Some(file.sha256),
        },
    )?;
    let report_id = reports::insert_report(tx, &report)?;
    stored.report_id = report_id;

    for j in &facts.judgments {
        let (j_cycle, item) = report_item(tx, j.year, &j.pillar, &j.question_code, j.line)?;
        let grade_id = grades::grade_id(tx, j_cycle.scale_id, &j.grade)?.ok_or_else(|| {
            StoreError::UnknownGrade {
                line: j.line,
                year: j.year,
                grade: j.grade.clone(),
            }
        })?;
        let note = j
            .earlier_inspection
            .as_ref()
            .map(|e| format!("cited from the {e}"));
        let new = grades::NewJudgment {
            area_id,
            item_id: item.id,
            grade_id,
            source_id: report.source_id,
            report_id: Some(report_id),
            source_line: Some(j.line as i64),
            trust: "high",
            derived: false,
            cited: j.earlier_inspection.is_some(),
            carried_over: false,
            note: note.as_deref(),
        };
        match grades::judgment(tx, &new, false) {
            Ok(_) => stored.judgments += 1,
            Err(grades::JudgmentError::Conflict(c)) => {
                return Err(StoreError::ConflictingJudgment {
                    line: j.line,
                    question: item.code,
                    year: j.year,
                    grade: j.grade.clone(),
                    existing: c.existing_grade,
                    source_location: c.existing_source,
                });
            }
            Err(grades::JudgmentError::Sqlite(e)) => return Err(e.into()),
        }
    }

    let national_id = load::area_id(tx, NATIONAL_CODE)?.ok_or(StoreError::NoNational)?;
    for f in &facts.figures {
        let metric = metric_id(tx, f, file)?;
        let p = &f.period;
        let period = load::period(
            tx,
            &load::NewPeriod {
                label: &p.label,
                kind: &p.kind,
                start: p.start.as_deref(),
                end: &p.end,
            },
        )?;
        let (area, area_label) = match f.subject {
            Subject::Force => (area_id, stored.area_name.as_str()),
            Subject::EnglandAndWales => (national_id, "England and Wales"),
        };
        match load::stored_value(tx, metric, period, area)? {
            Some(v) if (v.value - f.value).abs() <= 1e-9 * v.value.abs().max(1.0) => {
                stored.figures_already_known += 1;
            }
            Some(v) => {
                return Err(StoreError::ConflictingFigure {
                    line: f.line,
                    area: area_label.to_string(),
                    metric: f.metric_code.clone(),
                    period: f.period.label.clone(),
                    value: f.value,
                    existing: v.value,
                    source_location: v.location,
                });
            }
            None => {
                load::insert_value(
                    tx,
                    &load::NewValue {
                        metric_id: metric,
                        period_id: period,
                        area_id: area,
                        value: f.value,
                        source_id: report.source_id,
                        report_id: Some(report_id),
                        source_line: Some(f.line as i64),
                        derived: 0,
                        note: None,
                        trust: None,
                        numerator_id: None,
                        denominator_id: None,
                    },
                )?;
                stored.figures += 1;
            }
        }
    }

    for i in &facts.improvements {
        let (_, item) = report_item(tx, facts.year, &facts.pillar, &i.question_code, i.line)?;
        reports::insert_improvement(
            tx,
            report_id,
            item.id,
            i.ordinal as i64,
            &i.text,
            i.line as i64,
        )?;
        stored.improvements += 1;
    }
    Ok(stored)
}
