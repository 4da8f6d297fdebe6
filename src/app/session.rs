//! The shell (`peel`, `peel shell`), `peel sql` and `peel completions`. `peel sql` runs
//! its script through the shell's piped loop, so a script gives the same output and the
//! same errors whichever way it arrives (`peel sql -f`, `peel sql < f`, `peel < f`).

use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use rusqlite::Connection;

use super::database::{database_path, open_database, read_text_file};
use super::{ScriptFailed, UsageError, console};
use crate::cli::{Cli, CompletionsArgs, GlobalArgs, ShellArgs, SqlArgs};
use crate::console::Mode;
use crate::db::Access;
use crate::output::safe::TerminalSafe;
use crate::shell::catalog::{Catalogue, QueryCatalog};
use crate::shell::terminal::{self, Terminal};
use crate::shell::{Interrupter, LineSource, Reader, Shell};

/// The canned and saved queries the shell's `.queries`, `.run` and `.save` use.
fn query_catalog() -> Box<dyn QueryCatalog> {
    Box::new(Catalogue)
}

/// `peel` and `peel shell`: interactive on a terminal, else reading stdin.
pub(super) fn shell(global: &GlobalArgs, args: ShellArgs) -> Result<()> {
    let conn = open_database(global, Access::ReadWrite)?;
    if io::stdin().is_terminal() {
        interactive_shell(global, args, conn)
    } else {
        let stdin = io::stdin();
        let mut input = Reader::new(stdin.lock());
        run_script(global, args.keep_going, conn, &mut input, None)
    }
}

/// How the shell's `.open` opens other files: as this run opened its own.
fn shell_access(global: &GlobalArgs) -> Access {
    if global.readonly {
        Access::ReadOnly
    } else {
        Access::ReadWrite
    }
}

fn interactive_shell(global: &GlobalArgs, args: ShellArgs, conn: Connection) -> Result<()> {
    let console = console(global, Mode::Interactive);
    // At the prompt rustyline reads Ctrl-C as a key; while a statement runs the terminal
    // sends SIGINT, which stops that statement (and not peel). The handler can be set
    // once only, so it interrupts whichever connection the shell holds (`.open`).
    let interrupter = Interrupter::default();
    let handler = interrupter.clone();
    ctrlc::set_handler(move || handler.interrupt()).context("installing the Ctrl-C handler")?;
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
    let mut shell = Shell::new(conn, console, query_catalog(), &mut out, &mut err)
        .keep_going(args.keep_going)
        .database(path, shell_access(global))
        .interrupter(interrupter);
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

/// Runs SQL and dot-commands from `input` without prompts, as the shell does with piped
/// input: stops at the first error (named by `file`'s line, or the input's) unless
/// `keep_going`.
fn run_script(
    global: &GlobalArgs,
    keep_going: bool,
    conn: Connection,
    input: &mut dyn LineSource,
    file: Option<String>,
) -> Result<()> {
    let console = console(global, Mode::Piped);
    let mut out = console.stdout();
    let mut err = io::stderr();
    let (result, errors) = {
        let mut shell = Shell::new(conn, console.clone(), query_catalog(), &mut out, &mut err)
            .keep_going(keep_going)
            .database(database_path(global).0, shell_access(global));
        let result = shell.run_piped_named(input, file);
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

/// `peel sql`: the script from the argument, `--file` or stdin, run as piped input.
pub(super) fn sql(global: &GlobalArgs, args: &SqlArgs) -> Result<()> {
    let (text, file) = read_sql(args)?;
    // A script that only reads is opened as a reading command is: never migrated in
    // place, and unable to change the file.
    let access = if only_reads(&text) {
        Access::Query
    } else {
        Access::ReadWrite
    };
    let conn = open_database(global, access)?;
    let mut input = Reader::new(text.as_bytes());
    run_script(
        global,
        false,
        conn,
        &mut input,
        file.map(|f| f.display().to_string()),
    )
}

/// Whether every statement of a script reads (SELECT, WITH, VALUES) and it has no
/// dot-command: judged by keywords, before anything runs. (A `WITH ... DELETE` that slips
/// through meets a read-only connection and fails; it never writes.)
fn only_reads(script: &str) -> bool {
    let statements = crate::exec::split_statements(script);
    let no_commands = !script.lines().any(|l| l.trim_start().starts_with('.'));
    no_commands
        && statements
            .iter()
            .any(|c| !crate::exec::first_keyword(c.text).is_empty())
        && statements.iter().all(|c| {
            let keyword = crate::exec::first_keyword(c.text);
            keyword.is_empty() || crate::exec::READ_KEYWORDS.contains(&keyword.as_str())
        })
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

/// `peel completions SHELL`: the script clap_complete generates from the command line.
pub(super) fn completions(args: &CompletionsArgs) -> Result<()> {
    use clap::CommandFactory;
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "peel", &mut script);
    // Written here rather than by clap_complete, so a closed pipe is not a panic.
    let mut out = io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(())
}
