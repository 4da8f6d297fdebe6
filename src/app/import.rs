//! `peel import report|csv|grades`: one transaction per file, a summary per file on
//! stderr (and, for a dry run of a report, the facts on stdout). The importing and what
//! is said about it are [`crate::import::file`]'s, shared with the shell's `.import`.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::database::with_writable;
use super::{UsageError, console, tell};
use crate::cli::{GlobalArgs, ImportCsvArgs, ImportGradesArgs, ImportReportArgs};
use crate::console::{Console, Mode};
use crate::import::file::{self, FACT_COLUMNS, Kind, Options, Outcome, Said};

pub(super) fn import_report(global: &GlobalArgs, args: &ImportReportArgs) -> Result<()> {
    for file in &args.files {
        if let Some(problem) = crate::import::input_file_problem(file) {
            return Err(UsageError(format!("{}: {problem}", file.display())).into());
        }
    }
    let options = Options {
        replace: args.replace,
        dry_run: args.dry_run,
        ..Options::default()
    };
    import_files(global, Kind::Report, &args.files, &options)
}

/// `peel import csv`: each file in its own transaction, a summary per file on stderr,
/// and a progress bar while a long file loads when stderr is a terminal.
pub(super) fn import_csv(global: &GlobalArgs, args: &ImportCsvArgs) -> Result<()> {
    for file in &args.files {
        if let Some(problem) = crate::import::input_file_problem(file) {
            return Err(UsageError(format!("{}: {problem}", file.display())).into());
        }
    }
    let options = Options {
        replace: args.replace,
        dry_run: args.dry_run,
        create_metrics: args.create_metrics,
        unit: args.unit.clone(),
        trust: args.trust.clone(),
        ..Options::default()
    };
    import_files(global, Kind::Csv, &args.files, &options)
}

/// `peel import grades`: each file in its own transaction, a summary per file on stderr.
pub(super) fn import_grades(global: &GlobalArgs, args: &ImportGradesArgs) -> Result<()> {
    for file in &args.files {
        if let Some(problem) = crate::import::input_file_problem(file) {
            return Err(UsageError(format!("{}: {problem}", file.display())).into());
        }
    }
    let options = Options {
        replace: args.replace,
        dry_run: args.dry_run,
        create_items: args.create_items,
        trust: args.trust.clone(),
        ..Options::default()
    };
    import_files(global, Kind::Grades, &args.files, &options)
}

/// Imports each file in turn as `kind`, saying what each did; stops at the first failure
/// (the files before it stay imported).
fn import_files(
    global: &GlobalArgs,
    kind: Kind,
    files: &[PathBuf],
    options: &Options,
) -> Result<()> {
    options.check(kind).map_err(UsageError)?;
    let console = console(global, Mode::Command);
    with_writable(global, |conn, stored| {
        for path in files {
            let bar = progress_bar(kind, path);
            let result = file::import(conn, path, kind, options, &mut |read| {
                bar.set_position(read)
            });
            bar.finish_and_clear();
            let outcome = result?;
            *stored |= !options.dry_run;
            say(&console, &outcome)?;
        }
        Ok(())
    })
}

/// What an import said, as `peel import` says it: the facts of a dry run on stdout, the
/// rest on stderr.
fn say(console: &Console, outcome: &Outcome) -> Result<()> {
    if let Some(rows) = &outcome.facts {
        console.print_rows(&FACT_COLUMNS, rows.clone())?;
    }
    for said in &outcome.said {
        tell(match said {
            Said::Note(text) => console.note(text),
            Said::Line(text) => Some(console.say(text)),
        });
    }
    Ok(())
}

/// A bar on stderr while a CSV file of figures loads, when stderr is a terminal.
fn progress_bar(kind: Kind, path: &Path) -> indicatif::ProgressBar {
    if kind != Kind::Csv || !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let bar = indicatif::ProgressBar::new(size);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{prefix} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}, {eta} left",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_prefix(path.display().to_string());
    bar
}
