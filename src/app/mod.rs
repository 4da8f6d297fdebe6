//! One function per subcommand, and the only place that knows about exit codes and the
//! default database.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use rusqlite::Connection;

use crate::cli::{
    Cli, Command, CompletionsArgs, ExportArgs, GlobalArgs, ImportCommand, InitArgs, QueriesArgs,
    RunArgs, SaveArgs, ShellArgs, SqlArgs, UnsaveArgs,
};
use crate::db::{self, Access, DbError};
use crate::exec::{self, Params, Policy, one_line};
use crate::output::provenance::SourcesMode;
use crate::output::safe::TerminalSafe;
use crate::output::{self, Format, Options};
use crate::queries::{self, QueryError};
use crate::seed;
use crate::shell::catalog::{Catalogue, QueryCatalog};
use crate::shell::terminal::{self, Terminal};
use crate::shell::{Reader, Settings, Shell};
use crate::value::Value;
use crate::{check, export};

mod import;

/// A mistake in how peel was called (exit status 2), as opposed to a failure while
/// running (exit status 1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Piped input with --keep-going had errors (each already reported on its own line).
#[derive(Debug, thiserror::Error)]
#[error("{0} statement(s) or command(s) failed")]
pub struct ScriptFailed(pub usize);

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let Cli {
        global,
        shell: top,
        command,
    } = cli;
    let is_shell = matches!(command, None | Some(Command::Shell(_)));
    if !is_shell && (top.no_rc || top.keep_going) {
        bail!(UsageError(
            "--no-rc and --keep-going are flags of the shell (`peel` or `peel shell`)".into()
        ));
    }
    match command {
        Some(Command::Init(args)) => init(&global, &args),
        Some(Command::Sql(args)) => sql(&global, &args),
        Some(Command::Import(ImportCommand::Report(args))) => import::import_report(&global, &args),
        Some(Command::Import(ImportCommand::Csv(args))) => import::import_csv(&global, &args),
        Some(Command::Import(ImportCommand::Grades(args))) => import::import_grades(&global, &args),
        Some(Command::Queries(args)) => list_queries(&global, &args),
        Some(Command::Run(args)) => run_query(&global, &args),
        Some(Command::Save(args)) => save_query(&global, &args),
        Some(Command::Unsave(args)) => unsave_query(&global, &args),
        Some(Command::Check) => check(&global),
        Some(Command::Export(args)) => export(&global, &args),
        Some(Command::Completions(args)) => completions(&args),
        Some(Command::Shell(args)) => shell(
            &global,
            ShellArgs {
                no_rc: top.no_rc || args.no_rc,
                keep_going: top.keep_going || args.keep_going,
            },
        ),
        None => shell(&global, top),
    }
}

/// The canned and saved queries the shell's `.queries`, `.run` and `.save` use.
fn query_catalog() -> Box<dyn QueryCatalog> {
    Box::new(Catalogue)
}

/// `peel` and `peel shell`: interactive on a terminal, else reading stdin.
fn shell(global: &GlobalArgs, args: ShellArgs) -> Result<()> {
    let conn = open_database(global, Access::ReadWrite)?;
    if io::stdin().is_terminal() {
        interactive_shell(global, args, &conn)
    } else {
        piped_shell(global, args, &conn)
    }
}

fn interactive_shell(global: &GlobalArgs, args: ShellArgs, conn: &Connection) -> Result<()> {
    let options = Options {
        headers: !global.no_header,
        null_text: global.null.clone().unwrap_or_default(),
        fancy: !no_color(),
    };
    let settings = Settings::interactive(global.format.unwrap_or(Format::Table), options);
    // At the prompt rustyline reads Ctrl-C as a key; while a statement runs the terminal
    // sends SIGINT, which stops that statement (and not peel).
    let handle = conn.get_interrupt_handle();
    ctrlc::set_handler(move || handle.interrupt()).context("installing the Ctrl-C handler")?;
    let mut input =
        Terminal::new(terminal::history_path()).context("opening the terminal for the shell")?;
    let (path, _) = database_path(global);
    let mut out = TerminalSafe::new(io::stdout(), io::stdout().is_terminal());
    let mut err = io::stderr();
    let _ = writeln!(
        out,
        "peel {} on {}{}. Type .help for commands, .tables for the data.",
        env!("CARGO_PKG_VERSION"),
        path.display(),
        if global.readonly { " (read-only)" } else { "" }
    );
    let mut shell = Shell::new(conn, settings, query_catalog(), &mut out, &mut err)
        .keep_going(args.keep_going)
        .with_width(terminal::screen_width);
    if !args.no_rc
        && let Some(rc) = terminal::startup_file().filter(|p| p.exists())
        && let Err(e) = shell.run_startup_file(&rc)
    {
        eprintln!("error: {e}");
    }
    // Errors were shown as they happened; only a failing terminal ends the session early.
    shell
        .run_interactive(&mut input)
        .map_err(anyhow::Error::new)
}

fn piped_shell(global: &GlobalArgs, args: ShellArgs, conn: &Connection) -> Result<()> {
    let (format, options) = output_options(global);
    let settings = Settings::piped(format, options);
    let mut out = stdout_writer();
    let mut err = io::stderr();
    let stdin = io::stdin();
    let mut input = Reader::new(stdin.lock());
    let (result, errors) = {
        let mut shell = Shell::new(conn, settings, query_catalog(), &mut out, &mut err)
            .keep_going(args.keep_going)
            .with_width(terminal::screen_width);
        let result = shell.run_piped(&mut input);
        (result, shell.errors())
    };
    let flushed = out.flush();
    match result {
        Err(e) if e.is_broken_pipe() => return Ok(()),
        Err(e) => return Err(e.into()),
        Ok(()) => {}
    }
    flushed?;
    if errors > 0 {
        bail!(ScriptFailed(errors));
    }
    Ok(())
}

/// `peel completions SHELL`: the script clap_complete generates from the command line.
fn completions(args: &CompletionsArgs) -> Result<()> {
    use clap::CommandFactory;
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "peel", &mut script);
    // Written here rather than by clap_complete, so a closed pipe is not a panic.
    let mut out = io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(())
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

/// An error and its causes as one line, as anyhow's `{:#}` joins them, without the
/// "Error code 1: SQL logic error" that rusqlite adds under every SQLite message.
pub fn error_line(error: &anyhow::Error) -> String {
    let parts: Vec<String> = error
        .chain()
        .filter(|c| !c.is::<rusqlite::ffi::Error>())
        .map(|c| c.to_string())
        .collect();
    one_line(&parts.join(": "))
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

/// Opens the database for a command, building the default one on first use. `wanted` is
/// what the command needs; `--readonly` makes every command read-only.
fn open_database(global: &GlobalArgs, wanted: Access) -> Result<Connection> {
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
        wanted
    };
    match db::open(&path, access) {
        // A command that only reads still upgrades an older file, unless the user asked
        // for --readonly: the migration is what opening for writing would do anyway.
        Err(DbError::OlderReadOnly { .. }) if !global.readonly => {
            drop(db::open(&path, Access::ReadWrite)?);
            Ok(db::open(&path, access)?)
        }
        other => Ok(other?),
    }
}

/// Standard output, buffered; on a terminal, control characters and escape sequences
/// from the data are shown as text (see [`output::safe`]).
fn stdout_writer() -> TerminalSafe<io::BufWriter<io::StdoutLock<'static>>> {
    let stdout = io::stdout();
    let terminal = stdout.is_terminal();
    TerminalSafe::new(io::BufWriter::new(stdout.lock()), terminal)
}

/// NO_COLOR (https://no-color.org): set and not empty.
fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// The width tables are fitted to when stdout is a terminal (its width, as the shell
/// fits them). Files and pipes get every value whole.
fn table_width() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    terminal::screen_width()
}

/// Says on stderr when a table was cut to fit the terminal, and how to see it whole.
fn note_if_cut(sink: &dyn output::RowSink) {
    if sink.truncated() {
        eprintln!(
            "peel: note: wide columns were cut to fit the terminal (…); -F line or -F csv shows every value whole"
        );
    }
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
    let conn = open_database(global, Access::ReadWrite)?;
    let (format, options) = output_options(global);
    write_results(format, &options, |sink| {
        exec::run_script(&conn, &text, &Params::new(), Policy::default(), sink)
    })
    .map_err(|e| match file {
        Some(f) => e.context(f.display().to_string()),
        None => e,
    })
}

/// Runs `run` into a sink writing `format` to stdout, fitted to the terminal, and says
/// when a table was cut. What was produced is flushed even when `run` fails, so rows
/// printed before an error stay visible above it.
fn write_results<T, E>(
    format: Format,
    options: &Options,
    run: impl FnOnce(&mut dyn output::RowSink) -> Result<T, E>,
) -> Result<()>
where
    E: Into<anyhow::Error>,
{
    let mut out = stdout_writer();
    let result = {
        let mut sink = output::fitted_sink(format, &mut out, options, table_width());
        let result = run(sink.as_mut());
        note_if_cut(sink.as_ref());
        result
    };
    match result {
        Ok(_) => Ok(out.flush()?),
        Err(e) => {
            let _ = out.flush();
            Err(e.into())
        }
    }
}

/// Prints rows of text through the chosen output format.
fn print_rows(global: &GlobalArgs, columns: &[&str], rows: Vec<Vec<Value>>) -> Result<()> {
    let (format, options) = output_options(global);
    let mut out = stdout_writer();
    {
        let mut sink = output::sink(format, &mut out, &options);
        sink.begin(&columns.iter().map(|c| c.to_string()).collect::<Vec<_>>())?;
        for row in rows {
            sink.row(&row)?;
        }
        sink.end()?;
    }
    out.flush()?;
    Ok(())
}

fn check(global: &GlobalArgs) -> Result<()> {
    let (path, explicit) = database_path(global);
    if !explicit && !path.exists() {
        return Err(DbError::Missing(path).into());
    }
    // Checking never changes the file.
    let access = if global.readonly {
        Access::ReadOnly
    } else {
        Access::Query
    };
    let conn = db::open(&path, access)?;
    let findings = check::run_checks(&conn);
    let failed = findings.iter().filter(|f| !f.ok).count();
    let rows = findings
        .iter()
        .map(|f| {
            vec![
                Value::Text(f.check.to_string()),
                Value::Text(if f.ok { "ok" } else { "FAILED" }.to_string()),
                Value::Text(f.detail.clone()),
            ]
        })
        .collect();
    print_rows(global, &["check", "result", "detail"], rows)?;
    if failed > 0 {
        let names: Vec<&str> = findings.iter().filter(|f| !f.ok).map(|f| f.check).collect();
        bail!(
            "{}: {failed} of {} checks failed: {}",
            path.display(),
            findings.len(),
            names.join("; ")
        );
    }
    eprintln!(
        "peel: {}: all {} checks passed",
        path.display(),
        findings.len()
    );
    Ok(())
}

fn export(global: &GlobalArgs, args: &ExportArgs) -> Result<()> {
    if let Some(meta) = &args.datasette
        && meta.exists()
        && !args.force
    {
        return Err(UsageError(format!(
            "{}: already exists; use --force to replace it",
            meta.display()
        ))
        .into());
    }
    let conn = open_database(global, Access::Query)?;
    let mut rows = Vec::new();
    let db_name = match &args.out {
        Some(out) => {
            let exported = export::export(&conn, out, args.force)?;
            rows.push(vec![
                Value::Text("file".into()),
                Value::Text(exported.path.display().to_string()),
            ]);
            rows.push(vec![
                Value::Text("bytes".into()),
                Value::Integer(exported.bytes as i64),
            ]);
            for (table, n) in &exported.counts {
                rows.push(vec![
                    Value::Text(format!("rows in {table}")),
                    Value::Integer(*n),
                ]);
            }
            out.clone()
        }
        None => database_path(global).0,
    }
    .file_stem()
    .map(|s| s.to_string_lossy().into_owned())
    .unwrap_or_else(|| "peel".into());
    if let Some(meta) = &args.datasette {
        let (document, skipped) = crate::datasette::metadata(&conn, &db_name)?;
        for query in skipped {
            eprintln!(
                "peel: note: left out of the Datasette metadata: {}",
                one_line(&query)
            );
        }
        let text = serde_json::to_string_pretty(&document)? + "\n";
        std::fs::write(meta, text).with_context(|| format!("writing {}", meta.display()))?;
        rows.push(vec![
            Value::Text("datasette metadata".into()),
            Value::Text(meta.display().to_string()),
        ]);
    }
    print_rows(global, &["item", "value"], rows)
}

/// `peel queries [NAME]`: the catalogue as a result (so --format applies), or one
/// query's help as text.
fn list_queries(global: &GlobalArgs, args: &QueriesArgs) -> Result<()> {
    let conn = open_database(global, Access::Query)?;
    let mut out = stdout_writer();
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
    let conn = open_database(global, Access::Query)?;
    let (format, options) = output_options(global);
    // -q hides the notes; a JSON document carries them whatever -q says.
    let coverage = !args.quiet || format == Format::Json;
    let call = queries::prepare_with(&conn, &args.name, &args.args, coverage)?;
    if !args.quiet {
        for note in &call.notes {
            eprintln!("peel: note: {}", one_line(note));
        }
    }
    if args.explain {
        let stdout = io::stdout();
        let mut out = io::BufWriter::new(stdout.lock());
        {
            let mut sink = output::sink(format, &mut out, &options);
            call.explain(&conn, sink.as_mut())?;
        }
        out.flush()?;
        return Ok(());
    }
    let sources = match (args.with_sources, format) {
        (false, _) => SourcesMode::Hide,
        (true, Format::Table | Format::Markdown | Format::Chart) => SourcesMode::Footnotes,
        (true, _) => SourcesMode::Column,
    };
    if format == Format::Json {
        return write_json_document(&call, &conn, sources);
    }
    write_results(format, &options, |sink| call.run(&conn, sink, sources))
}

/// `peel run --format json`: one document holding the query, its arguments, the notes
/// (what the answer covers, how arguments were read) and every result set, so a program
/// gets the caveats with the rows. The notes still go to stderr as well.
fn write_json_document(
    call: &queries::Call,
    conn: &Connection,
    sources: SourcesMode,
) -> Result<()> {
    let mut head = serde_json::Map::new();
    head.insert("query".into(), call.query.name.clone().into());
    let arguments: serde_json::Map<String, serde_json::Value> = call
        .bindings
        .iter()
        .map(|b| (b.name.clone(), b.shown.clone().into()))
        .collect();
    head.insert("arguments".into(), arguments.into());
    head.insert("notes".into(), call.notes.clone().into());
    let mut out = stdout_writer();
    let result = {
        let mut sink = output::json_document(&mut out, head);
        call.run(conn, sink.as_mut(), sources)
            .map_err(anyhow::Error::from)
            .and_then(|_| Ok(sink.finish()?))
    };
    let flushed = out.flush();
    result?;
    Ok(flushed?)
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
    let conn = open_database(global, Access::ReadWrite)?;
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
    let conn = open_database(global, Access::ReadWrite)?;
    queries::unsave(&conn, &args.name)?;
    eprintln!("peel: removed saved query {}", args.name);
    Ok(())
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
    }
}
