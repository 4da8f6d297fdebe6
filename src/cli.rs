//! The command line: every flag, subcommand and help text. `///` comments here are the
//! `--help` output.

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

use crate::console::OutputFile;
use crate::output::Format;

const AFTER_HELP: &str = "\
Without a command: on a terminal, `peel` opens the interactive shell (.help lists its
commands); with stdin piped (`peel < analysis.sql`), it runs the SQL and dot-commands
read from stdin, with no prompts, and stops at the first error (--keep-going goes on).

Questions in one command (see `peel queries`):
  peel run force cambs                 a force's grades and figures beside England and Wales
  peel run compare officer-fte 2015    every force ranked on a metric, England and Wales as reference
  peel run grades 2016 effectiveness   the grade grid, forces by question
  peel run compare population -F chart a bar chart in the terminal
  peel -F svg run grades 2017 > grid.svg   a grade grid to put in a paper (svg or png)
  peel run compare officer-fte 2015 -o bars.png   ranked bars, as a PNG file

Database: --db PATH, else $PEEL_DB, else ./peel.db. Without --db, a missing file is
built from the embedded seed on first use (one line on stderr says so); with --db, a
missing file is an error (except for `peel init`).

Output: data only on stdout; notes (peel: note: ...) and errors (peel: error: ...) on
stderr, from every command alike. Tables fit the terminal, else $COLUMNS, else are whole;
numbers, grades and codes are never cut (a result too wide is shown one field per line).
Global flags (--db, -F, -o, -q, --no-header, --null, --readonly) go before or after the command.

Pictures: -F svg and -F png draw one result as a grade grid, ranked bars or trend lines,
with the command, the query's notes, the sources and the database's date under it.
-o FILE writes the data to FILE instead of stdout (moved into place only when the command
succeeds); its extension (.svg, .png, .csv, .json, ...) picks the format when -F is not
given. PNG is refused on a terminal; a result no picture fits is an error (status 1).

Exit status: 0 success (with rows or none), 1 runtime or SQL error, 2 usage or
parameter error (unknown query, missing or unresolvable argument). A closed pipe
(peel ... | head) ends quietly with 0.";

const RUN_AFTER_HELP: &str = "\
Arguments go by position or as NAME=VALUE (peel run compare officer-fte period=2015).
Each is checked before the query runs and bound as a value, never pasted into SQL:
  force   ONS code (E23000023), slug, name, alias, abbreviation (cambs, GMP, N Yorks)
          or a fragment that names one force (Met, manchester)
  metric  code (officer-fte), name or fragment; `peel run metrics` lists them
  period  label, ISO end date (2015-03-31), or a year: the latest period ending in it
  year    a PEEL year: 2016, or a cycle label such as 2018/19
  grade   a grade of that year's scale (Outstanding, Good, Adequate from 2021/22,
          Requires improvement or RI, Inadequate)
An ambiguous or unknown value is an error (exit 2) that lists what it could be.
Notes on stderr say how a value was read and when grades span the 2019/2021 change
of scale (peel-4 to peel-5); grades always compare by rank within a scale.

A query with several results (force: grades, figures) prints them all in table,
markdown, line and chart output, one JSON document keyed by result name with -F json,
and rows tagged _result in jsonl; csv, tsv, svg and png hold one, chosen with --result
NAME.

Canned and saved queries run on a read-only connection. --with-sources adds the
sources and reports behind each row: footnotes under table, markdown and chart
output; a `sources` field in csv, tsv, json and jsonl.

Exit status: 0 success (rows or none), 1 runtime or SQL error, 2 usage or parameter
error.";

const SAVE_AFTER_HELP: &str = "\
The query is stored in the database file (table saved_queries), so it travels with
the file. It must prepare, only read, and use only :named parameters, which come in
order of first use.

A parameter is text, compared as given, unless its kind is declared: then its
argument is resolved and bound exactly as a canned query's (`cambs` binds
E23000023). --param force=force writes the line
  -- param :force force
at the top of the SQL; the same line typed in the SQL works alike (in a file, or in
the shell inside the statement .save keeps). Kinds: force, area, region, metric, period, year, grade, pillar,
area-kind, text. A period is resolved among the periods of the declared metric, a
grade on the scale of the declared year; with several, say which: period:METRIC,
grade:YEAR. Each parameter is required unless the SQL has a line
  -- default :name = value
(the value is resolved as if typed). A text value compares as a number with a
number column (year = :year works); elsewhere write CAST(:x AS INTEGER). SQL that
starts with a comment needs `--` before it, as below. A saved query cannot take the
name of a canned one.

Examples:
  peel save force-pillar --param force=force --param pillar=pillar \\
    \"SELECT year, grade FROM v_judgments
     WHERE area_code = :force AND pillar = :pillar AND level = 'pillar' ORDER BY year\"
  peel run force-pillar cambs efficiency
  peel save graded-effectiveness --description \"Forces given GRADE for effectiveness in YEAR\" -- \\
    \"-- default :grade = Good
     SELECT area_name FROM v_judgments WHERE year = CAST(:year AS INTEGER)
       AND pillar = 'effectiveness' AND question_code = 'overall' AND grade = :grade\"
  peel run graded-effectiveness 2016 grade=Outstanding";

/// peel: PEEL police inspection results for England and Wales, in SQLite.
#[derive(Debug, Parser)]
#[command(name = "peel", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    /// The shell's flags, for `peel` without a command.
    #[command(flatten)]
    pub shell: ShellArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags of the shell (`peel` without a command, or `peel shell`).
#[derive(Debug, Clone, Copy, Default, Args)]
#[command(next_help_heading = "Shell")]
pub struct ShellArgs {
    /// Do not run the startup file ($XDG_CONFIG_HOME/peel/peelrc, else ~/.config/peel/peelrc)
    #[arg(long)]
    pub no_rc: bool,

    /// With piped input or .read: report each error and go on, instead of stopping at the
    /// first (the exit status is still 1)
    #[arg(long, short = 'k')]
    pub keep_going: bool,
}

/// Flags every subcommand accepts.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// The database file [default: $PEEL_DB, else ./peel.db]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Output format [default: from -o's extension, else table on a terminal, csv
    /// otherwise]
    #[arg(long, short = 'F', global = true, value_enum)]
    pub format: Option<Format>,

    /// Write the data (a table, a CSV, a picture) to FILE instead of stdout
    #[arg(long, short = 'o', global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The `-o` file, once opened (not a flag).
    #[arg(skip)]
    pub opened: Option<Arc<OutputFile>>,

    /// Leave out the header row (csv, tsv, table, markdown)
    #[arg(long, global = true)]
    pub no_header: bool,

    /// Text shown for NULL in csv, tsv, table, markdown and line output
    #[arg(long, global = true, value_name = "TEXT")]
    pub null: Option<String>,

    /// Open the database read-only: nothing can change it
    #[arg(long, global = true)]
    pub readonly: bool,

    /// Print no notes on stderr (errors are still printed)
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,

    /// Stop any statement still running after SECONDS, 0 for no limit [default: 60 for
    /// canned and saved queries, none for your own SQL]
    #[arg(long, global = true, value_name = "SECONDS")]
    pub timeout: Option<f64>,
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
        after_help = "The copy is made with VACUUM INTO, uses a rollback journal (no -wal file\nbeside it), records peel's version, row counts and every source's SHA-256 in its\nmeta table, is ANALYZEd, and passes `peel check` before it is moved into place.\n\nWith --datasette, Datasette metadata is written too; serve both with\n  datasette OUT.db -m METADATA.json\n\nExamples:\n  peel export peel-2026-11.db\n  peel export peel-2026-11.db --datasette metadata.json"
    )]
    Export(ExportArgs),
    /// Import data into the database
    #[command(subcommand)]
    Import(ImportCommand),
    /// Open the interactive shell (what `peel` alone does on a terminal)
    #[command(
        after_help = "In the shell, .help lists the dot-commands. History is kept in\n$XDG_DATA_HOME/peel/history (else ~/.local/share/peel/history); the startup file\n$XDG_CONFIG_HOME/peel/peelrc (else ~/.config/peel/peelrc) runs first unless --no-rc.\nWith stdin piped, statements and dot-commands are read from it without prompts."
    )]
    Shell(ShellArgs),
    /// Print a completion script for your shell (bash, zsh, fish, elvish, powershell)
    #[command(
        after_help = "Install (see the README):\n  bash: peel completions bash > ~/.local/share/bash-completion/completions/peel\n  zsh:  peel completions zsh > ~/.zfunc/_peel   (with fpath+=~/.zfunc before compinit)\n  fish: peel completions fish > ~/.config/fish/completions/peel.fish"
    )]
    Completions(CompletionsArgs),
    /// List the canned and saved queries, or show one query's parameters and SQL
    #[command(
        after_help = "Examples:\n  peel queries\n  peel queries --format json\n  peel queries compare"
    )]
    Queries(QueriesArgs),
    /// Run a canned or saved query by name: peel run NAME [ARG|NAME=VALUE]...
    #[command(after_help = RUN_AFTER_HELP)]
    Run(RunArgs),
    /// Save a query with :named parameters into the database file
    #[command(after_help = SAVE_AFTER_HELP)]
    Save(SaveArgs),
    /// Remove a saved query from the database file
    Unsave(UnsaveArgs),
}

/// What `peel import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import PEEL report text (PDF turned into text): judgments, figures and areas for improvement
    #[command(
        after_help = "Each file is one transaction: on any error nothing from that file is stored,\nand the message names the file and line. A report already in the database is\nrefused unless --replace is given.\n\nExamples:\n  peel import report peel-effectiveness-2015-norfolk.txt\n  peel import report --dry-run --format json report.txt"
    )]
    Report(ImportReportArgs),
    /// Import figures from CSV: the long layout (area, period, metric, value[, unit][, source])
    /// or the Home Office police recorded crime table
    #[command(after_help = IMPORT_CSV_AFTER_HELP)]
    Csv(ImportCsvArgs),
    /// Import grades, or published grade counts, from CSV (the audited record's layout, or
    /// force,cycle,item,grade,source_url)
    #[command(after_help = IMPORT_GRADES_AFTER_HELP)]
    Grades(ImportGradesArgs),
}

const IMPORT_GRADES_AFTER_HELP: &str = "\
Layouts, recognised from the header row:
  minimal   force,cycle,item,grade,source_url, and optionally trust, derived (0/1),
            note, carried_over (0/1), and for a new item level (pillar, question or
            area), pillar, wording and same_as (the earlier item it continues)
  full      the audited record's columns: ons_code,force,cycle,level,pillar,item_code,
            item,grade,source_url,trust,derived,note (a note saying the question was
            \"not re-inspected\" marks the grade carried over)
  counts    per force: ons_code,force,cycle,n_graded_stated,outstanding,good,adequate,
            requires_improvement,inadequate,counts_as_published,source_url,trust,
            vs_project,note; national: peel_year,pillar,outstanding,good,adequate,
            requires_improvement,inadequate,not_graded,source_url[,trust][,note]

force   ONS code, name, alias or anything peel resolves (cambs, GMP)
cycle   a known cycle: 2014, 2015, 2016, 2017, 2018/19, 2021/22, 2023-25 (or its first
        year); a new one (2025-27) with --create-items
item    an item code of the cycle (P17_EFFE, Q17_E1, A23_LEAD; `peel run items`); a
        new one with --create-items, level and wording
grade   a grade of the cycle's scale (RI for Requires improvement); Adequate from 2021/22

Each file is one transaction: a bad row stops it with the file, line and column, and
nothing of that file is stored. A grade that differs from the one held for the same
force and item is an error unless --replace; the same grade from another source is kept
as a further source. A derived grade must have trust low.

Examples:
  peel import grades peel-2025-27.csv
  peel import grades --create-items --trust high peel-2025-27.csv
  peel import grades --dry-run corrections.csv";

/// Arguments of `peel import grades`.
#[derive(Debug, Args)]
pub struct ImportGradesArgs {
    /// CSV files (UTF-8), each imported in its own transaction
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Let the file declare new cycles and items (a new item needs level and wording)
    #[arg(long)]
    pub create_items: bool,

    /// Trust of rows without a trust column: high when the inspectorate's own text states
    /// the grade, medium for a secondary source, low for a derived grade
    #[arg(long, value_name = "LEVEL", default_value = "medium",
          value_parser = ["high", "medium-high", "medium", "low"])]
    pub trust: String,

    /// Replace grades and counts that differ from the ones held
    #[arg(long)]
    pub replace: bool,

    /// Check every row against the database, and store nothing
    #[arg(long)]
    pub dry_run: bool,
}

const IMPORT_CSV_AFTER_HELP: &str = "\
Layouts, recognised from the header row:
  series       area_code,area_name,metric,period_start,period_end,value,unit,source_url,
               trust,note (the research files of seed/metrics/): each figure keeps its
               URL, trust and note; metrics must exist unless --create-metrics
  long         area,period,metric,value and optionally unit and source (any order)
  Home Office  Financial Year, Financial Quarter, Force Name, Offence Description,
               Offence Group, Offence Subgroup, Offence Code, Number of Offences:
               counts per force and quarter as metric offences-<code> (unit count),
               financial-year totals (sum of the four quarters) and rates per 1,000
               population (offences-<code>-per-1000, by the mid-year population inside
               the financial year), the
               last two marked derived. Rows for British Transport Police, Action
               Fraud, CIFAS and UK Finance are counted on stderr, not stored.

area    ONS code, slug, name, alias (Avon & Somerset, \"London, City of\") or fragment
metric  code or name; unknown ones are an error listing them all, unless
        --create-metrics (with a unit column or --unit)
period  an existing label, 2015-06-30 (point), 2014-07-01/2015-06-30 (span: 12 months,
        financial year, quarter or calendar year), 2014/15 (financial year), 2014/15 Q1
source  a URL or file; when absent or empty, the CSV file itself (kind file, its SHA-256)

Each file is one transaction: a bad row stops it with the file, line and column, and
nothing of that file is stored. A value already stored for the same area, metric and
period from another source is an error unless --replace; so is importing the same
file (same SHA-256) twice. After every file, the rates per 1,000 peel derives
(officer-fte-per-1000, ...) are derived again in the same transaction.

Examples:
  peel import csv figures.csv
  peel import csv --create-metrics --unit count --trust high stops.csv
  peel import csv --dry-run prc-pfa-mar2013-onwards-tables.csv";

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

/// Arguments of `peel import csv`.
#[derive(Debug, Args)]
pub struct ImportCsvArgs {
    /// CSV files (UTF-8), each imported in its own transaction
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Create metrics the file names that do not exist yet (needs a unit column or --unit)
    #[arg(long)]
    pub create_metrics: bool,

    /// Unit of created metrics when the file has no unit column: count, persons,
    /// households, fte, percent, "percent change", "per 1,000 population",
    /// "per 1,000 households", "per million population"
    #[arg(long, value_name = "UNIT", requires = "create_metrics")]
    pub unit: Option<String>,

    /// Trust of the file as a source (and of new sources it names)
    #[arg(long, value_name = "LEVEL", default_value = "medium",
          value_parser = ["high", "medium-high", "medium", "low"])]
    pub trust: String,

    /// Replace values stored from other sources, and import a file imported before
    #[arg(long)]
    pub replace: bool,

    /// Check every row against the database, and store nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// Arguments of `peel queries`.
#[derive(Debug, Args)]
pub struct QueriesArgs {
    /// Show this query's usage, parameters and SQL instead of the list
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
}

/// Arguments of `peel run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The query: a canned query (see `peel queries`) or a saved one
    #[arg(value_name = "NAME")]
    pub name: String,

    /// Its arguments, by position or as NAME=VALUE
    #[arg(value_name = "ARG")]
    pub args: Vec<String>,

    /// Add the sources and reports each row came from
    #[arg(long)]
    pub with_sources: bool,

    /// Only this result of a query that gives several (`peel run force cambs --result
    /// figures`); csv and tsv hold one result, so they need it for such a query
    #[arg(long, value_name = "NAME")]
    pub result: Option<String>,

    /// Show SQLite's plan for each statement, with the arguments bound, instead of
    /// running it (SEARCH ... USING INDEX is good; SCAN of metric_values is slow)
    #[arg(long, conflicts_with = "with_sources")]
    pub explain: bool,
}

/// Arguments of `peel save`.
#[derive(Debug, Args)]
pub struct SaveArgs {
    /// The name: a-z, 0-9, - and _, starting with a letter
    #[arg(value_name = "NAME")]
    pub name: String,

    /// The SQL, with :named parameters
    #[arg(
        value_name = "SQL",
        required_unless_present = "file",
        conflicts_with = "file"
    )]
    pub sql: Option<String>,

    /// Read the SQL from this file
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// One line saying what the query answers (shown by `peel queries`)
    #[arg(long, short = 'd', value_name = "TEXT", default_value = "")]
    pub description: String,

    /// Overwrite a saved query of the same name
    #[arg(long)]
    pub replace: bool,

    /// Declare a parameter's kind, so its argument is resolved as a canned query's is
    /// (force, area, region, metric, period[:METRIC], year, grade[:YEAR], pillar,
    /// area-kind, text); repeat for each parameter
    #[arg(long = "param", short = 'p', value_name = "NAME=KIND")]
    pub params: Vec<String>,
}

/// Arguments of `peel export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The database file to write
    #[arg(value_name = "OUT.db", required_unless_present = "datasette")]
    pub out: Option<PathBuf>,

    /// Also write Datasette metadata (descriptions, licence, every canned and saved query
    /// as a Datasette canned query) to this JSON file
    #[arg(long, value_name = "METADATA.json")]
    pub datasette: Option<PathBuf>,

    /// Replace the files if they exist
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `peel completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `peel unsave`.
#[derive(Debug, Args)]
pub struct UnsaveArgs {
    /// The saved query to remove
    #[arg(value_name = "NAME")]
    pub name: String,
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
