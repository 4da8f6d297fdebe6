//! The command line: every flag, subcommand and help text. `///` comments here are the
//! `--help` output.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::output::Format;

const AFTER_HELP: &str = "\
Without a command: on a terminal, `peel` opens the interactive shell (.help lists its
commands); with stdin piped (`peel < analysis.sql`), it runs the SQL and dot-commands
read from stdin, with no prompts, and stops at the first error (--keep-going goes on).

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

    /// Output format [default: table on a terminal, csv otherwise]
    #[arg(long, short = 'F', global = true, value_enum)]
    pub format: Option<Format>,

    /// Leave out the header row (csv, tsv, table, markdown)
    #[arg(long, global = true)]
    pub no_header: bool,

    /// Text shown for NULL in csv, tsv, table, markdown and line output
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

/// Arguments of `peel completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
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
