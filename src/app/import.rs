//! `peel import report|csv|grades`: one transaction per file, a summary per file on
//! stderr (and, for a dry run of a report, the facts on stdout).

use std::io::{self, IsTerminal};

use anyhow::{Result, bail};

use super::database::open_for_writing;
use super::{UsageError, console};
use crate::cli::{GlobalArgs, ImportCsvArgs, ImportGradesArgs, ImportReportArgs};
use crate::console::Mode;
use crate::import;
use crate::report::{ReportFacts, Subject};
use crate::value::Value;

pub(super) fn import_report(global: &GlobalArgs, args: &ImportReportArgs) -> Result<()> {
    for file in &args.files {
        if let Some(problem) = import::input_file_problem(file) {
            return Err(UsageError(format!("{}: {problem}", file.display())).into());
        }
    }
    let mut conn = open_for_writing(global)?;
    let console = console(global, Mode::Command);
    for file in &args.files {
        let imported = import::import_report_file(&mut conn, file, args.replace, args.dry_run)?;
        let s = &imported.stored;
        if args.dry_run {
            console.print_rows(&FACT_COLUMNS, fact_rows(&imported.facts, &s.area_name))?;
        }
        say!(
            "peel: {} {}: {} ({}), {}: {} judgments, {} figures ({} already known), {} areas for improvement{}",
            if args.dry_run {
                "would import"
            } else {
                "imported"
            },
            file.display(),
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
    }
    Ok(())
}

/// `peel import csv`: each file in its own transaction, a summary per file on stderr,
/// and a progress bar while a long file loads when stderr is a terminal.
pub(super) fn import_csv(global: &GlobalArgs, args: &ImportCsvArgs) -> Result<()> {
    for file in &args.files {
        if let Some(problem) = import::input_file_problem(file) {
            return Err(UsageError(format!("{}: {problem}", file.display())).into());
        }
    }
    if let Some(unit) = &args.unit
        && !import::bulk::UNITS.contains(&unit.as_str())
    {
        bail!(UsageError(format!(
            "unknown unit {unit:?} for --unit; units are: {}",
            import::bulk::UNITS.join(", ")
        )));
    }
    let options = import::bulk::CsvOptions {
        create_metrics: args.create_metrics,
        unit: args.unit.clone(),
        trust: args.trust.clone(),
        replace: args.replace,
        dry_run: args.dry_run,
    };
    let mut conn = open_for_writing(global)?;
    let console = console(global, Mode::Command);
    for file in &args.files {
        if import::is_series_file(file).unwrap_or(false) {
            import_series(&mut conn, file, args)?;
            continue;
        }
        let size = std::fs::metadata(file).map_or(0, |m| m.len());
        let bar = if io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(size);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{prefix} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}, {eta} left",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar.set_prefix(file.display().to_string());
            bar
        } else {
            indicatif::ProgressBar::hidden()
        };
        let result = import::bulk::import_csv_file(&mut conn, file, &options, &mut |read| {
            bar.set_position(read)
        });
        bar.finish_and_clear();
        let s = result?;
        for note in &s.notes {
            if let Some(line) = console.note(&format!("{}: {note}", s.file)) {
                say!("{line}");
            }
        }
        if !s.ignored_columns.is_empty() {
            say!(
                "peel: note: {}: columns not used by the {}: {}",
                s.file,
                s.layout.name(),
                s.ignored_columns.join(", ")
            );
        }
        if !s.other_bodies.is_empty() {
            let total: u64 = s.other_bodies.values().sum();
            let listed: Vec<String> = s
                .other_bodies
                .iter()
                .map(|(body, n)| format!("{body} ({n})"))
                .collect();
            say!(
                "peel: {}: {total} rows for bodies that are not territorial forces were not stored: {}",
                s.file,
                listed.join(", ")
            );
        }
        if s.incomplete_years > 0 {
            say!(
                "peel: {}: {} not derived: the file lacks some of {} quarters",
                s.file,
                plural(s.incomplete_years, "financial-year total"),
                if s.incomplete_years == 1 {
                    "its"
                } else {
                    "their"
                }
            );
        }
        if s.layout == import::bulk::Layout::HomeOffice && s.without_population > 0 {
            say!(
                "peel: {}: {} no rate per 1,000: no population figure for the area",
                s.file,
                if s.without_population == 1 {
                    "1 count has".to_string()
                } else {
                    format!("{} counts have", s.without_population)
                }
            );
        }
        let mut parts = vec![format!(
            "{}, {}",
            plural(s.rows, "row"),
            plural(s.values, "value")
        )];
        if s.layout == import::bulk::Layout::HomeOffice {
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
        say!(
            "peel: {} {} ({}): {}{}",
            if args.dry_run {
                "would import"
            } else {
                "imported"
            },
            s.file,
            s.layout.name(),
            parts.join("; "),
            if s.reimported {
                "; the file was imported before"
            } else {
                ""
            }
        );
    }
    Ok(())
}

/// `1 row`, `2 rows`.
fn plural(n: u64, noun: &str) -> String {
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

const FACT_COLUMNS: [&str; 7] = ["fact", "area", "item", "period", "value", "unit", "line"];

/// The facts of a parsed report as rows, for `--dry-run`.
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

/// `peel import grades`: each file in its own transaction, a summary per file on stderr
/// (and, with `--dry-run --format json`, the summary as JSON on stdout).
pub(super) fn import_grades(global: &GlobalArgs, args: &ImportGradesArgs) -> Result<()> {
    for file in &args.files {
        if let Some(problem) = import::input_file_problem(file) {
            return Err(UsageError(format!("{}: {problem}", file.display())).into());
        }
    }
    let options = import::grades::GradeOptions {
        create_items: args.create_items,
        replace: args.replace,
        trust: args.trust.clone(),
    };
    let mut conn = open_for_writing(global)?;
    let console = console(global, Mode::Command);
    for file in &args.files {
        let s = import::grades::import_grades_file(&mut conn, file, &options, args.dry_run)?;
        for note in &s.notes {
            if let Some(line) = console.note(&format!("{}: {note}", s.file)) {
                say!("{line}");
            }
        }
        say!("peel: {}", grade_summary_line(&s, args.dry_run));
    }
    Ok(())
}

/// One line saying what a grades import stored.
fn grade_summary_line(s: &import::grades::GradeSummary, dry_run: bool) -> String {
    let verb = if dry_run { "would import" } else { "imported" };
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
        "{verb} {} ({}, {}): {}",
        s.file,
        s.layout,
        plural(s.rows as u64, "row"),
        parts.join("; ")
    )
}

/// A file in the series layout (`seed/metrics/`): stored whole, then every rate derived
/// again, in one transaction.
fn import_series(
    conn: &mut rusqlite::Connection,
    file: &std::path::Path,
    args: &ImportCsvArgs,
) -> Result<()> {
    let imported =
        import::import_series_file(conn, file, args.replace, args.create_metrics, args.dry_run)?;
    let s = &imported.summary;
    say!(
        "peel: {} {} (series layout): {}, {}, {} already held, {} replaced; {} and {} created; rates per 1,000 derived again: {}",
        if args.dry_run {
            "would import"
        } else {
            "imported"
        },
        file.display(),
        plural(s.rows as u64, "row"),
        plural(s.values as u64, "new value"),
        s.already_held,
        s.replaced,
        plural(s.metrics_created.len() as u64, "metric"),
        plural(s.periods_created as u64, "period"),
        imported.rates.rates
    );
    Ok(())
}
