//! Dispatch: one module per group of verbs, and the exit policy (which error is a usage
//! mistake, how an error is printed). Presentation lives in [`crate::console`], the
//! database-path policy in [`database`].

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::cli::{Cli, Command, GlobalArgs, ImportCommand, ShellArgs};
use crate::console::{Choices, Console, Mode, OutputFile};
use crate::db::DbError;
use crate::exec::{self, one_line};
use crate::output::Format;
use crate::queries::QueryError;

pub use crate::error::{ScriptFailed, UsageError, error_line};

/// Writes a line the console says (`Console::say` or `Console::note`: one line, controls
/// and bidi controls made visible, capped) to stderr; nothing for a note under `-q`.
fn tell(line: Option<String>) {
    if let Some(line) = line {
        eprintln!("{line}");
    }
}

mod database;
mod import;
mod maintain;
mod query;
mod session;

/// Runs a parsed command line. With `-o FILE`, the data goes to FILE, which is moved into
/// place only when the command succeeds.
pub fn run(cli: Cli) -> Result<()> {
    let Cli {
        mut global,
        shell: top,
        command,
    } = cli;
    if global.format.is_none() {
        global.format = global.output.as_deref().and_then(Format::from_extension);
    }
    if global.format == Some(Format::Png) && global.output.is_none() && io::stdout().is_terminal() {
        bail!(UsageError(
            "png is binary and stdout is a terminal: write it to a file with -o FILE, or use -F svg".into()
        ));
    }
    if let Some(path) = &global.output {
        let file = OutputFile::create(path)
            .with_context(|| format!("{}: cannot write the output file", path.display()))?;
        global.opened = Some(file);
    }
    let opened = global.opened.clone();
    let result = dispatch(global, top, command);
    if let Some(file) = opened {
        match &result {
            Ok(()) => file
                .commit()
                .with_context(|| format!("{}: writing the output file", file.path().display()))?,
            Err(_) => file.discard(),
        }
    }
    result
}

fn dispatch(global: GlobalArgs, top: ShellArgs, command: Option<Command>) -> Result<()> {
    if let Some(seconds) = global.timeout {
        if !seconds.is_finite() || seconds < 0.0 {
            bail!(UsageError(format!(
                "--timeout {seconds}: give a number of seconds, 0 for no limit"
            )));
        }
        exec::set_time_limit(std::time::Duration::from_secs_f64(seconds));
    }
    let is_shell = matches!(command, None | Some(Command::Shell(_)));
    if !is_shell && (top.no_rc || top.keep_going) {
        bail!(UsageError(
            "--no-rc and --keep-going are flags of the shell (`peel` or `peel shell`)".into()
        ));
    }
    match command {
        Some(Command::Init(args)) => maintain::init(&global, &args),
        Some(Command::Sql(args)) => session::sql(&global, &args),
        Some(Command::Import(ImportCommand::Report(args))) => import::import_report(&global, &args),
        Some(Command::Import(ImportCommand::Csv(args))) => import::import_csv(&global, &args),
        Some(Command::Import(ImportCommand::Grades(args))) => import::import_grades(&global, &args),
        Some(Command::Queries(args)) => query::list_queries(&global, &args),
        Some(Command::Run(args)) => query::run_query(&global, &args),
        Some(Command::Save(args)) => query::save_query(&global, &args),
        Some(Command::Unsave(args)) => query::unsave_query(&global, &args),
        Some(Command::Check) => maintain::check(&global),
        Some(Command::Export(args)) => maintain::export(&global, &args),
        Some(Command::Completions(args)) => session::completions(&args),
        Some(Command::Shell(args)) => session::shell(
            &global,
            ShellArgs {
                no_rc: top.no_rc || args.no_rc,
                keep_going: top.keep_going || args.keep_going,
            },
        ),
        None => session::shell(&global, top),
    }
}

/// The console of this run, from the global options.
fn console(global: &GlobalArgs, mode: Mode) -> Console {
    Console::new(
        mode,
        &Choices {
            format: global.format,
            no_header: global.no_header,
            null: global.null.clone(),
            quiet: global.quiet,
            output: global.opened.clone(),
        },
    )
}

/// Prints an error as one line on stderr and picks the exit status.
pub fn report(error: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(error) {
        return ExitCode::SUCCESS;
    }
    let _ = writeln!(io::stderr(), "peel: error: {}", error_line(error));
    if is_usage(error) {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
}

/// Prints a command line clap refused as peel's one-line error, with exit status 2; a
/// request for help or the version prints as clap prints it, with status 0.
pub fn report_usage(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        let _ = error.print();
        return ExitCode::SUCCESS;
    }
    let _ = writeln!(io::stderr(), "peel: error: {}", clap_error_line(error));
    ExitCode::from(2)
}

/// clap's error (several lines: the message, possible values, tips, usage, a pointer to
/// --help) folded into one line that keeps the message, the values and the usage.
pub fn clap_error_line(error: &clap::Error) -> String {
    use clap::error::ErrorKind;
    let text = error.render().to_string();
    let mut usage: Option<String> = None;
    let mut message = String::new();
    // For a missing subcommand clap renders the whole help: only its usage line matters.
    let help_only = error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand;
    for line in text.lines().map(str::trim) {
        if let Some(u) = line.strip_prefix("Usage:") {
            usage.get_or_insert_with(|| u.trim().to_string());
            continue;
        }
        if help_only || line.is_empty() || line.starts_with("For more information") {
            continue;
        }
        let part = line.strip_prefix("error:").map_or(line, str::trim);
        if !message.is_empty() {
            let glue = if message.ends_with(':') || part.starts_with('[') {
                " "
            } else {
                "; "
            };
            message.push_str(glue);
        }
        message.push_str(part);
    }
    if help_only {
        message = "a subcommand or argument is missing".into();
    }
    if message.is_empty() {
        message = error.kind().to_string();
    }
    let line = match usage {
        Some(u) => format!("{message}; usage: {u} (--help for more)"),
        None => format!("{message} (--help for more)"),
    };
    one_line(&line)
}

fn is_usage(error: &anyhow::Error) -> bool {
    error.chain().any(|c| {
        c.is::<UsageError>()
            || matches!(
                c.downcast_ref::<DbError>(),
                Some(DbError::Missing(_) | DbError::NotAFile(_))
            )
            || c.downcast_ref::<QueryError>()
                .is_some_and(QueryError::is_usage)
    })
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || matches!(c.downcast_ref::<exec::ExecError>(), Some(exec::ExecError::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe)
            || matches!(c.downcast_ref::<QueryError>(), Some(QueryError::Exec(exec::ExecError::Output(e))) if e.kind() == io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn clap_line(args: &[&str]) -> String {
        let error = Cli::try_parse_from(args).expect_err("clap should refuse this");
        clap_error_line(&error)
    }

    #[test]
    fn clap_errors_fold_into_one_line_with_their_usage() {
        let cases: &[(&[&str], &[&str])] = &[
            (
                &["peel", "frobnicate"],
                &["unrecognized subcommand 'frobnicate'", "usage: peel "],
            ),
            (
                &["peel", "--format", "xml", "sql", "SELECT 1"],
                &[
                    "invalid value 'xml' for '--format <FORMAT>'",
                    "possible values: table",
                ],
            ),
            (
                &["peel", "run"],
                &[
                    "required arguments were not provided: <NAME>",
                    "usage: peel run",
                ],
            ),
            (
                &["peel", "import"],
                &["a subcommand or argument is missing", "usage: peel import"],
            ),
            (
                &["peel", "sql", "--nosuch"],
                &["unexpected argument '--nosuch'"],
            ),
        ];
        for (args, needles) in cases {
            let line = clap_line(args);
            assert!(!line.contains('\n'), "{args:?}: {line:?}");
            assert!(!line.starts_with("error:"), "{args:?}: {line:?}");
            for needle in *needles {
                assert!(
                    line.contains(needle),
                    "{args:?}: {needle:?} not in {line:?}"
                );
            }
        }
    }

    #[test]
    fn messages_become_one_line_without_control_characters() {
        assert_eq!(one_line(" a\nb\r\n\x1b[31mc\t\x07 "), "a b [31mc");
        assert_eq!(one_line("plain"), "plain");
        assert_eq!(one_line("x\u{202e}doog"), "x<U+202E>doog");
        let long = "y".repeat(100_000);
        let shown = one_line(&format!("bad value: {long}"));
        assert_eq!(
            shown.chars().count(),
            crate::exec::MAX_MESSAGE + "… (cut)".len() - 2
        );
        assert!(
            shown.ends_with("y… (cut)"),
            "{}",
            &shown[shown.len() - 20..]
        );
    }
}
