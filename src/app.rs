//! One function per subcommand, and the only place that knows about exit codes and the
//! default database.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use rusqlite::Connection;

use crate::cli::{Cli, Command, GlobalArgs, InitArgs, SqlArgs};
use crate::db::{self, Access, DbError};
use crate::exec::{self, Params, Policy};
use crate::output::{self, Format, Options};
use crate::seed;

/// A mistake in how peel was called (exit status 2), as opposed to a failure while
/// running (exit status 1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Some(Command::Init(args)) => init(&cli.global, &args),
        Some(Command::Sql(args)) => sql(&cli.global, &args),
        None => {
            if io::stdin().is_terminal() {
                return Err(UsageError(
                    "no command given; try `peel --help`, or pipe SQL into `peel`".into(),
                )
                .into());
            }
            sql(
                &cli.global,
                &SqlArgs {
                    sql: None,
                    file: None,
                },
            )
        }
    }
}

/// Prints an error as one line on stderr and picks the exit status.
pub fn report(error: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(error) {
        return ExitCode::SUCCESS;
    }
    // Only the first line of each cause: a message must stay on one line.
    let message = format!("{error:#}").replace('\n', " ");
    let _ = writeln!(io::stderr(), "peel: error: {message}");
    if is_usage(error) {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
}

fn is_usage(error: &anyhow::Error) -> bool {
    error.chain().any(|c| {
        c.is::<UsageError>() || matches!(c.downcast_ref::<DbError>(), Some(DbError::Missing(_)))
    })
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || matches!(c.downcast_ref::<exec::ExecError>(), Some(exec::ExecError::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// The database path and whether the user named it with --db.
fn database_path(global: &GlobalArgs) -> (PathBuf, bool) {
    if let Some(p) = &global.db {
        return (p.clone(), true);
    }
    match std::env::var_os("PEEL_DB") {
        Some(p) if !p.is_empty() => (PathBuf::from(p), false),
        _ => (PathBuf::from("peel.db"), false),
    }
}

/// Opens the database for a command, building the default one on first use.
fn open_database(global: &GlobalArgs) -> Result<Connection> {
    let (path, explicit) = database_path(global);
    if !explicit && !path.exists() {
        eprintln!(
            "peel: {} not found; building it from the embedded seed (first use)",
            path.display()
        );
        seed::build_database(&path, false)?;
    }
    let access = if global.readonly {
        Access::ReadOnly
    } else {
        Access::ReadWrite
    };
    Ok(db::open(&path, access)?)
}

/// NO_COLOR (https://no-color.org): set and not empty.
fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

fn output_options(global: &GlobalArgs) -> (Format, Options) {
    let format = global
        .format
        .unwrap_or_else(|| Format::default_for(io::stdout().is_terminal()));
    let options = Options {
        headers: !global.no_header,
        null_text: global.null.clone().unwrap_or_default(),
        fancy: io::stdout().is_terminal() && !no_color(),
    };
    (format, options)
}

fn init(global: &GlobalArgs, args: &InitArgs) -> Result<()> {
    let (path, _) = database_path(global);
    if path.exists() && !args.force {
        return Err(UsageError(format!(
            "{}: already exists; use --force to replace it",
            path.display()
        ))
        .into());
    }
    let counts = seed::build_database(&path, args.force)?;
    eprintln!(
        "peel: built {} ({} areas, {} judgments, {} figures, {} sources)",
        path.display(),
        counts.areas,
        counts.judgments,
        counts.metric_values,
        counts.sources
    );
    Ok(())
}

fn read_sql(args: &SqlArgs) -> Result<(String, Option<PathBuf>)> {
    if let Some(sql) = &args.sql {
        return Ok((sql.clone(), None));
    }
    if let Some(file) = &args.file {
        let text = read_text_file(file)?;
        return Ok((text, Some(file.clone())));
    }
    if io::stdin().is_terminal() {
        bail!(UsageError(
            "no SQL given: pass it as an argument, with --file, or on stdin".into()
        ));
    }
    let mut text = String::new();
    io::stdin()
        .read_to_string(&mut text)
        .context("reading SQL from stdin (is it UTF-8?)")?;
    Ok((text, None))
}

fn read_text_file(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| UsageError(format!("{}: cannot read: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|e| {
        UsageError(format!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
        .into()
    })
}

fn sql(global: &GlobalArgs, args: &SqlArgs) -> Result<()> {
    let (text, file) = read_sql(args)?;
    let conn = open_database(global)?;
    let (format, options) = output_options(global);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = {
        let mut sink = output::sink(format, &mut out, &options);
        exec::run_script(
            &conn,
            &text,
            &Params::new(),
            Policy::default(),
            sink.as_mut(),
        )
    };
    match result {
        Ok(_) => {
            out.flush()?;
            Ok(())
        }
        Err(e) => {
            // Rows already produced stay visible above the error.
            let _ = out.flush();
            match file {
                Some(f) => Err(anyhow::Error::new(e).context(f.display().to_string())),
                None => Err(e.into()),
            }
        }
    }
}
