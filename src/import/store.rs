//! Storing the facts of one parsed report inside the caller's transaction: resolve the
//! force, cycle, questions, metrics and periods; write the report, its judgments, figures
//! and areas for improvement, each with its source line. Never parses, never commits.

use rusqlite::{OptionalExtension, Transaction, params};

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

fn period_id(tx: &Transaction<'_>, fact: &FigureFact) -> Result<i64, StoreError> {
    let p = &fact.period;
    let existing: Option<i64> = tx
        .prepare_cached(
            "SELECT period_id FROM periods
             WHERE label = ?1 OR (kind = ?2 AND start_date IS ?3 AND end_date = ?4)",
        )?
        .query_row(params![p.label, p.kind, p.start, p.end], |r| r.get(0))
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    tx.prepare_cached(
        "INSERT INTO periods (label, kind, start_date, end_date) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![p.label, p.kind, p.start, p.end])?;
    Ok(tx.last_insert_rowid())
}

/// The metric's id, creating it when the report states a figure the catalogue lacks (an
/// outcome type added in a later year): its definition says where it came from.
fn metric_id(
    tx: &Transaction<'_>,
    fact: &FigureFact,
    file: &ReportFile<'_>,
) -> Result<i64, StoreError> {
    let existing: Option<(i64, String)> = tx
        .prepare_cached("SELECT metric_id, unit FROM metrics WHERE code = ?1")?
        .query_row([&fact.metric_code], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match existing {
        Some((id, unit)) if unit == fact.unit => Ok(id),
        Some((_, unit)) => Err(StoreError::UnitMismatch {
            line: fact.line,
            metric: fact.metric_code.clone(),
            expected: unit,
            found: fact.unit.clone(),
        }),
        None => {
            tx.prepare_cached(
                "INSERT INTO metrics (code, name, unit, definition) VALUES (?1, ?1, ?2, ?3)",
            )?
            .execute(params![
                fact.metric_code,
                fact.unit,
                format!(
                    "Created by the report importer from {} line {}",
                    file.name, fact.line
                )
            ])?;
            Ok(tx.last_insert_rowid())
        }
    }
}

/// Removes an earlier import of the same report (by text or by force, cycle and title).
fn remove_report(tx: &Transaction<'_>, report_id: i64) -> Result<(), StoreError> {
    let source: i64 = tx.query_row(
        "SELECT source_id FROM reports WHERE report_id = ?1",
        [report_id],
        |r| r.get(0),
    )?;
    // judgments, figures and improvements go with the report (ON DELETE CASCADE).
    tx.execute("DELETE FROM reports WHERE report_id = ?1", [report_id])?;
    tx.execute("DELETE FROM sources WHERE source_id = ?1", [source])?;
    Ok(())
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
    let cycle_id: i64 = tx
        .query_row(
            "SELECT cycle_id FROM cycles WHERE year = ?1",
            [facts.year],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(StoreError::UnknownCycle(facts.year))?;

    let source_key = format!("report:{}", file.sha256);
    let earlier: Option<(i64, String)> = tx
        .query_row(
            "SELECT r.report_id, r.title FROM reports r JOIN sources s USING (source_id)
             WHERE s.key = ?1
                OR (r.area_id = ?2 AND r.cycle_id = ?3 AND r.pillar IS ?4 AND r.title = ?5)",
            params![source_key, area_id, cycle_id, facts.pillar, facts.title],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let mut stored = Stored {
        area_code,
        area_name: area_name.clone(),
        ..Stored::default()
    };
    if let Some((report_id, title)) = earlier {
        if !replace {
            return Err(StoreError::AlreadyImported {
                report_id,
                title,
                force: area_name,
            });
        }
        remove_report(tx, report_id)?;
        stored.replaced = true;
    }

    tx.execute(
        "INSERT INTO sources (key, kind, location, title, publisher, licence, trust, note, sha256)
         VALUES (?1, 'file', ?2, ?3, 'HMIC/HMICFRS', 'Open Government Licence v3.0', 'high',
                 'Text of the published report, imported by peel import report', ?4)",
        params![
            source_key,
            file.name,
            format!("{} - {}", facts.title, facts.force_name),
            file.sha256
        ],
    )?;
    let source_id = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO reports (area_id, cycle_id, pillar, title, published, isbn, source_id, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        params![area_id, cycle_id, facts.pillar, facts.title, facts.published, facts.isbn, source_id],
    )?;
    let report_id = tx.last_insert_rowid();
    stored.report_id = report_id;

    for j in &facts.judgments {
        let question: Option<(i64, i64)> = tx
            .prepare_cached(
                "SELECT q.question_id, c.scale_id FROM questions q JOIN cycles c USING (cycle_id)
                 WHERE c.year = ?1 AND q.pillar IS ?2 AND q.code = ?3",
            )?
            .query_row(params![j.year, j.pillar, j.question_code], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let Some((question_id, question_scale)) = question else {
            return Err(StoreError::UnknownQuestion {
                line: j.line,
                year: j.year,
                pillar: j.pillar.clone(),
                code: j.question_code.clone(),
            });
        };
        let grade_id: i64 = tx
            .prepare_cached("SELECT grade_id FROM grades WHERE scale_id = ?1 AND name = ?2")?
            .query_row(params![question_scale, j.grade], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::UnknownGrade {
                line: j.line,
                year: j.year,
                grade: j.grade.clone(),
            })?;
        let existing: Option<(i64, String, String)> = tx
            .prepare_cached(
                "SELECT j.judgment_id, g.name, s.location FROM judgments j
                 JOIN grades g USING (grade_id) JOIN sources s ON s.source_id = j.source_id
                 WHERE j.area_id = ?1 AND j.question_id = ?2",
            )?
            .query_row(params![area_id, question_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let cited = j.earlier_inspection.is_some();
        let note = j
            .earlier_inspection
            .as_ref()
            .map(|e| format!("cited from the {e}"));
        match existing {
            Some((_, grade, location)) if grade != j.grade => {
                return Err(StoreError::ConflictingJudgment {
                    line: j.line,
                    question: j.question_code.clone(),
                    year: j.year,
                    grade: j.grade.clone(),
                    existing: grade,
                    source_location: location,
                });
            }
            Some((judgment_id, _, location)) => {
                // The report itself is the primary source; keep where else it was stated.
                let note = match note {
                    Some(n) => format!("{n}; also stated by {location}"),
                    None => format!("also stated by {location}"),
                };
                tx.prepare_cached(
                    "UPDATE judgments SET source_id = ?2, report_id = ?3, source_line = ?4,
                            cited = ?5, derived = 0, note = ?6
                     WHERE judgment_id = ?1",
                )?
                .execute(params![
                    judgment_id,
                    source_id,
                    report_id,
                    j.line as i64,
                    cited,
                    note
                ])?;
            }
            None => {
                tx.prepare_cached(
                    "INSERT INTO judgments (area_id, question_id, grade_id, source_id, report_id,
                                            source_line, cited, note)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(params![
                    area_id,
                    question_id,
                    grade_id,
                    source_id,
                    report_id,
                    j.line as i64,
                    cited,
                    note
                ])?;
            }
        }
        stored.judgments += 1;
    }

    let national_id: i64 = tx.query_row(
        "SELECT area_id FROM areas WHERE code = ?1",
        [NATIONAL_CODE],
        |r| r.get(0),
    )?;
    for f in &facts.figures {
        let metric = metric_id(tx, f, file)?;
        let period = period_id(tx, f)?;
        let (area, area_label) = match f.subject {
            Subject::Force => (area_id, stored.area_name.as_str()),
            Subject::EnglandAndWales => (national_id, "England and Wales"),
        };
        let existing: Option<(f64, String)> = tx
            .prepare_cached(
                "SELECT v.value, s.location FROM metric_values v JOIN sources s USING (source_id)
                 WHERE v.metric_id = ?1 AND v.period_id = ?2 AND v.area_id = ?3",
            )?
            .query_row(params![metric, period, area], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        match existing {
            Some((value, _)) if (value - f.value).abs() <= 1e-9 * value.abs().max(1.0) => {
                stored.figures_already_known += 1;
            }
            Some((value, location)) => {
                return Err(StoreError::ConflictingFigure {
                    line: f.line,
                    area: area_label.to_string(),
                    metric: f.metric_code.clone(),
                    period: f.period.label.clone(),
                    value: f.value,
                    existing: value,
                    source_location: location,
                });
            }
            None => {
                tx.prepare_cached(
                    "INSERT INTO metric_values (metric_id, period_id, area_id, value, source_id,
                                                report_id, source_line)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                    metric,
                    period,
                    area,
                    f.value,
                    source_id,
                    report_id,
                    f.line as i64
                ])?;
                stored.figures += 1;
            }
        }
    }

    for i in &facts.improvements {
        let question_id: i64 = tx
            .prepare_cached(
                "SELECT q.question_id FROM questions q JOIN cycles c USING (cycle_id)
                 WHERE c.year = ?1 AND q.pillar IS ?2 AND q.code = ?3",
            )?
            .query_row(params![facts.year, facts.pillar, i.question_code], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| StoreError::UnknownQuestion {
                line: i.line,
                year: facts.year,
                pillar: facts.pillar.clone(),
                code: i.question_code.clone(),
            })?;
        tx.prepare_cached(
            "INSERT INTO improvement_areas (report_id, question_id, ordinal, text, source_line)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            report_id,
            question_id,
            i.ordinal,
            i.text,
            i.line as i64
        ])?;
        stored.improvements += 1;
    }
    Ok(stored)
}
