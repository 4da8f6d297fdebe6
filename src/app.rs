//! One function per subcommand, and the only place that knows about exit codes and the
//! default database.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use rusqlite::Connection;

use crate::cli::{
    Cli, Command, GlobalArgs, InitArgs, QueriesArgs, RunArgs, SaveArgs, SqlArgs, UnsaveArgs,
};
use crate::db::{self, Access, DbError};
use crate::exec::{self, Params, Policy};
use crate::output::provenance::SourcesMode;
use crate::output::{self, Format, Options};
use crate::queries::{self, QueryError};
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
        Some(Command::Queries(args)) => list_queries(&cli.global, &args),
        Some(Command::Run(args)) => run_query(&cli.global, &args),
        Some(Command::Save(args)) => save_query(&cli.global, &args),
        Some(Command::Unsave(args)) => unsave_query(&cli.global, &args),
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
        c.is::<UsageError>()
            || matches!(c.downcast_ref::<DbError>(), Some(DbError::Missing(_)))
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

/// Opens the database for a command, building the default one on first use; read-only
/// when --readonly was given.
fn open_database(global: &GlobalArgs) -> Result<Connection> {
    let access = if global.readonly {
        Access::ReadOnly
    } else {
        Access::ReadWrite
    };
    open_database_as(global, access)
}

/// Opens the database with the given access, building the default one on first use.
fn open_database_as(global: &GlobalArgs, access: Access) -> Result<Connection> {
    let (path, explicit) = database_path(global);
    if !explicit && !path.exists() {
        eprintln!(
            "peel: {} not found; building it from the embedded seed (first use)",
            path.display()
        );
        seed::build_database(&path, false)?;
    }
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

/// `peel queries [NAME]`: the catalogue as a result (so --format applies), or one
/// query's help as text.
fn list_queries(global: &GlobalArgs, args: &QueriesArgs) -> Result<()> {
    let conn = open_database_as(global, Access::ReadOnly)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match &args.name {
        Some(name) => {
            let text = queries::describe(&conn, name)?;
            out.write_all(text.as_bytes())?;
        }
        None => {
            let (format, options) = output_options(global);
            let mut sink = output::sink(format, &mut out, &options);
            queries::list_to_sink(Some(&conn), sink.as_mut())?;
        }
    }
    out.flush()?;
    Ok(())
}

/// `peel run NAME ARGS`: resolve the arguments, print notes on stderr, and run the query
/// on a read-only connection.
fn run_query(global: &GlobalArgs, args: &RunArgs) -> Result<()> {
    let conn = open_database_as(global, Access::ReadOnly)?;
    let call = queries::prepare(&conn, &args.name, &args.args)?;
    if !args.quiet {
        for note in &call.notes {
            eprintln!("peel: note: {note}");
        }
    }
    let (format, options) = output_options(global);
    let sources = match (args.with_sources, format) {
        (false, _) => SourcesMode::Hide,
        (true, Format::Table | Format::Markdown | Format::Chart) => SourcesMode::Footnotes,
        (true, _) => SourcesMode::Column,
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = {
        let mut sink = output::sink(format, &mut out, &options);
        call.run(&conn, sink.as_mut(), sources)
    };
    match result {
        Ok(_) => {
            out.flush()?;
            Ok(())
        }
        Err(e) => {
            let _ = out.flush();
            Err(e.into())
        }
    }
}

/// `peel save NAME SQL`: check and store a query in the file.
fn save_query(global: &GlobalArgs, args: &SaveArgs) -> Result<()> {
    let sql = match (&args.sql, &args.file) {
        (Some(sql), _) => sql.clone(),
        (None, Some(file)) => read_text_file(file)?,
        (None, None) => bail!(UsageError(
            "no SQL given: pass it as an argument or with --file".into()
        )),
    };
    let conn = open_database(global)?;
    let saved = queries::save(&conn, &args.name, &args.description, &sql, args.replace)?;
    let query = queries::find(&conn, &saved.name)?;
    eprintln!(
        "peel: saved {}; run it with `peel run {}`",
        saved.name,
        query.usage()
    );
    Ok(())
}

/// `peel unsave NAME`.
fn unsave_query(global: &GlobalArgs, args: &UnsaveArgs) -> Result<()> {
    let conn = open_database(global)?;
    queries::unsave(&conn, &args.name)?;
    eprintln!("peel: removed saved query {}", args.name);
    Ok(())
}
