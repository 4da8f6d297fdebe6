//! The command line: every flag, subcommand and help text. `///` comments here are the
//! `--help` output.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::output::Format;

const AFTER_HELP: &str = "\
Database: --db PATH, else $PEEL_DB, else ./peel.db. Without --db, a missing file is
built from the embedded seed on first use (one line on stderr says so); with --db, a
missing file is an error (except for `peel init`).

Exit status: 0 success (with rows or none), 1 runtime or SQL error, 2 usage or
parameter error. A closed pipe (peel ... | head) ends quietly with 0.";

/// peel: PEEL police inspection results for England and Wales, in SQLite.
#[derive(Debug, Parser)]
#[command(name = "peel", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags every subcommand accepts.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// The database file [default: $PEEL_DB, else ./peel.db]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Output format [default: table on a terminal, csv otherwise]
    #[arg(long, short = 'F', global = true, value_enum)]
    pub format: Option<Format>,

    /// Leave out the header row (csv, tsv, table, markdown)
    #[arg(long, global = true)]
    pub no_header: bool,

    /// Text shown for NULL in csv, tsv, table and markdown output
    #[arg(long, global = true, value_name = "TEXT")]
    pub null: Option<String>,

    /// Open the database read-only: nothing can change it
    #[arg(long, global = true)]
    pub readonly: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a new database from the embedded seed (refuses to overwrite without --force)
    Init(InitArgs),
    /// Run SQL: from the argument, from --file, or from stdin
    #[command(
        after_help = "Examples:\n  peel sql \"SELECT area_name, grade FROM v_judgments WHERE year = 2016 AND question_code = 'overall'\"\n  peel sql -f analysis.sql --format json\n  echo 'SELECT count(*) FROM areas;' | peel sql"
    )]
    Sql(SqlArgs),
    /// Check the database: SQLite integrity, foreign keys, schema version and the data's rules
    #[command(after_help = "Prints one line per check and exits 1 when any check fails.")]
    Check,
    /// Write a compact, checked single-file copy of the database to send to others
    #[command(
        after_help = "The copy is made with VACUUM INTO, uses a rollback journal (no -wal file\nbeside it), records peel's version, row counts and every source's SHA-256 in its\nmeta table, is ANALYZEd, and passes `peel check` before it is moved into place.\n\nExample:\n  peel export peel-2026-11.db"
    )]
    Export(ExportArgs),
    /// Import data into the database
    #[command(subcommand)]
    Import(ImportCommand),
}

/// What `peel import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import PEEL report text (PDF turned into text): judgments, figures and areas for improvement
    #[command(
        after_help = "Each file is one transaction: on any error nothing from that file is stored,\nand the message names the file and line. A report already in the database is\nrefused unless --replace is given.\n\nExamples:\n  peel import report peel-effectiveness-2015-norfolk.txt\n  peel import report --dry-run --format json report.txt"
    )]
    Report(ImportReportArgs),
}

/// Arguments of `peel import report`.
#[derive(Debug, Args)]
pub struct ImportReportArgs {
    /// Report text files
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Show what would be stored, and store nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Replace a report that was imported before (same text, or same force, year and title)
    #[arg(long)]
    pub replace: bool,
}

/// Arguments of `peel export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write
    #[arg(value_name = "OUT.db")]
    pub out: PathBuf,

    /// Replace OUT.db if it exists
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `peel init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Replace the file if it exists
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `peel sql`.
#[derive(Debug, Args)]
pub struct SqlArgs {
    /// One or more SQL statements, separated by semicolons
    #[arg(value_name = "SQL", conflicts_with = "file")]
    pub sql: Option<String>,

    /// Read the statements from this file
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
