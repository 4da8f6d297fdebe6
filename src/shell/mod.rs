//! The shell: reads SQL and dot-commands line by line, runs each complete statement
//! through [`exec::run_script`], and keeps the settings dot-commands change.
//!
//! One loop serves every input, through [`LineSource`]: the terminal (rustyline, with
//! prompts, history and completion), piped stdin, `.read FILE` and the startup file
//! (plain lines, no prompts). The loop writes to any `Write`, so it is tested without a
//! terminal.
//!
//! The shell owns its connection, so `.open` can put another in its place; whoever must
//! reach the connection from outside (Ctrl-C's handler) does so through an
//! [`Interrupter`], which the shell points at each connection it opens.

pub mod catalog;
pub mod command;
pub mod helper;
pub mod terminal;

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, InterruptHandle};

use crate::console::call::{self, CallOptions};
use crate::console::{Console, Shared};
use crate::db::{self, Access};
use crate::dump::{self, DumpError};
use crate::error::error_line;
use crate::exec::{self, ExecError, Params, Policy};
use crate::import::file::{self as import_file, FACT_COLUMNS, Kind, Said};
use crate::output::{Format, RowSink};
use crate::value::Value;
use catalog::{CatalogError, QueryCatalog};
use command::{CommandError, DotCommand, ParamCommand};
use helper::Vocabulary;

/// The prompt for a new statement.
pub const PROMPT: &str = "peel> ";
/// The prompt while a statement is still incomplete.
pub const CONTINUATION: &str = "  ...> ";

/// `.read` inside `.read` is allowed this deep; deeper is a file that reads itself.
const MAX_DEPTH: usize = 16;

/// What reading one line gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A line, without its line ending (a recalled or pasted entry may hold newlines).
    Line(String),
    /// Ctrl-C at the prompt: forget the statement being typed.
    Interrupted,
    /// End of input (Ctrl-D, or the end of a file).
    End,
}

/// Where the shell's lines come from.
pub trait LineSource {
    /// The next line; `prompt` is shown first where there is someone to see it.
    fn read_line(&mut self, prompt: &str) -> io::Result<Input>;
    /// Remembers a whole statement or command (a multi-line statement is one entry).
    fn add_history(&mut self, _entry: &str) {}
    /// True when the source completes names, so the shell keeps its vocabulary fresh.
    fn completes(&self) -> bool {
        false
    }
    /// Replaces the names offered for completion.
    fn set_vocabulary(&mut self, _vocabulary: Vocabulary) {}
}

/// Plain lines from a reader: piped stdin, `.read FILE`, the startup file. No prompts.
pub struct Reader<R> {
    inner: R,
}

impl<R: BufRead> Reader<R> {
    /// Reads lines from `inner`.
    pub fn new(inner: R) -> Self {
        Reader { inner }
    }
}

/// The longest line read from a script: a file with no line ends (or a device) must not
/// grow memory without bound.
pub const MAX_LINE: u64 = 64 * 1024 * 1024;

impl<R: BufRead> LineSource for Reader<R> {
    fn read_line(&mut self, _prompt: &str) -> io::Result<Input> {
        let mut line = String::new();
        if io::Read::take(&mut self.inner, MAX_LINE + 1).read_line(&mut line)? == 0 {
            return Ok(Input::End);
        }
        if line.len() as u64 > MAX_LINE {
            return Err(io::Error::other(format!(
                "a line longer than {} MiB",
                MAX_LINE / (1024 * 1024)
            )));
        }
        if line.ends_with('\n') {
            line.pop();
            if line.ends_with('\r') {
                line.pop();
            }
        }
        Ok(Input::Line(line))
    }
}

/// Why a statement or command failed, or why the shell stopped. Always one line.
#[derive(Debug, thiserror::Error)]
pub enum ShellError {
    /// SQLite refused or failed a statement.
    #[error("{snippet}: {message}")]
    Sql {
        /// The line of the input where the failing statement starts.
        line: usize,
        /// The statement, shortened to one line.
        snippet: String,
        /// SQLite's words.
        message: String,
    },
    /// Ctrl-C stopped a running statement.
    #[error("interrupted")]
    Interrupted,
    /// A dot-command line that does not parse.
    #[error(transparent)]
    Command(#[from] CommandError),
    /// A canned-query call failed.
    #[error(transparent)]
    Catalog(CatalogError),
    /// A file could not be opened, read or written.
    #[error("{}: {message}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// Writing results failed (a closed pipe, a full disk).
    #[error("writing output: {0}")]
    Output(io::Error),
    /// Anything else, as one line.
    #[error("{0}")]
    Message(String),
    /// An error already placed in its input (`line 4: ...`, `a.sql:4: ...`).
    #[error("{0}")]
    Located(String),
}

impl ShellError {
    /// True when the reader of our output went away (`peel < x.sql | head`): the shell
    /// then stops quietly, as `peel sql` does.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, ShellError::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

impl From<ExecError> for ShellError {
    fn from(e: ExecError) -> Self {
        if e.is_interrupt() {
            return ShellError::Interrupted;
        }
        match e {
            ExecError::Sql {
                line,
                snippet,
                message,
                ..
            } => ShellError::Sql {
                line,
                snippet,
                message,
            },
            // A refused picture is not a failure to write: said alone.
            ExecError::Output(io)
                if io
                    .get_ref()
                    .is_some_and(|e| e.is::<crate::output::Refused>()) =>
            {
                ShellError::Message(io.to_string())
            }
            ExecError::Output(io) => ShellError::Output(io),
        }
    }
}

impl From<DumpError> for ShellError {
    fn from(e: DumpError) -> Self {
        if e.is_interrupt() {
            return ShellError::Interrupted;
        }
        match e {
            DumpError::Output(io) => ShellError::Output(io),
            other => ShellError::Message(other.to_string()),
        }
    }
}

impl From<CatalogError> for ShellError {
    fn from(e: CatalogError) -> Self {
        match e {
            CatalogError::Exec(inner) => inner.into(),
            other => ShellError::Catalog(other),
        }
    }
}

/// Where lines come from, for error messages and the rule on errors.
#[derive(Debug, Clone)]
struct Origin {
    /// The file's name, or `None` for stdin or the terminal.
    file: Option<String>,
    /// A person is typing: errors never end the session and need no line numbers.
    interactive: bool,
    /// Stop at the first error.
    stop_on_error: bool,
}

impl Origin {
    /// The message for an error at `line` of this input.
    fn place(&self, error: &ShellError, line: usize) -> String {
        let line = match error {
            ShellError::Located(message) => return message.clone(),
            ShellError::Sql { line: at, .. } => *at,
            _ => line,
        };
        match (&self.file, error) {
            (None, ShellError::Sql { message, .. }) if self.interactive => message.clone(),
            (None, _) if self.interactive => error.to_string(),
            (None, _) => format!("line {line}: {error}"),
            (Some(file), _) => format!("{file}:{line}: {error}"),
        }
    }
}

/// Where results go.
enum Destination {
    /// The shell's output (the terminal, or stdout when piped).
    Screen,
    /// A file named by `.output` or `.once`, or made by `.excel`.
    File {
        path: PathBuf,
        writer: BufWriter<File>,
        /// Back to the screen after the next result (`.once`, `.excel`).
        once: bool,
        /// `.excel`: the format to return to, and the file is opened when written.
        excel: Option<Format>,
    },
}

/// Lets Ctrl-C's handler, which runs on a thread of its own, interrupt whichever
/// connection the shell holds now: the shell points it at each connection it opens.
#[derive(Clone, Default)]
pub struct Interrupter(Arc<Mutex<Option<InterruptHandle>>>);

impl Interrupter {
    /// From now on, interrupts `conn`.
    pub fn follow(&self, conn: &Connection) {
        let mut slot = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *slot = Some(conn.get_interrupt_handle());
    }

    /// Stops the statement running on the connection followed, if any.
    pub fn interrupt(&self) {
        let slot = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(handle) = slot.as_ref() {
            handle.interrupt();
        }
    }
}

/// The interactive and piped shell on one connection at a time.
pub struct Shell<'a> {
    conn: Connection,
    /// The database file as it was named (`--db`, `.open`), for `.show`.
    path: PathBuf,
    /// How `.open` opens a file: read-only under --readonly.
    access: Access,
    interrupter: Option<Interrupter>,
    console: Console,
    params: Params,
    catalog: Box<dyn QueryCatalog + 'a>,
    /// The last SQL run, for `.save`.
    last_sql: Option<String>,
    destination: Destination,
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    keep_going: bool,
    depth: usize,
    quit: bool,
    /// Errors reported and gone past (interactive, or with --keep-going).
    errors: usize,
    /// `PRAGMA schema_version` when the completion names were last read.
    schema_version: Option<i64>,
}

impl<'a> Shell<'a> {
    /// A shell on `conn` writing results to `out` and errors to `err`.
    pub fn new(
        conn: Connection,
        console: Console,
        catalog: Box<dyn QueryCatalog + 'a>,
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
    ) -> Self {
        let path = PathBuf::from(conn.path().unwrap_or(":memory:"));
        Shell {
            conn,
            path,
            access: Access::ReadWrite,
            interrupter: None,
            console,
            params: Params::new(),
            catalog,
            last_sql: None,
            destination: Destination::Screen,
            out,
            err,
            keep_going: false,
            depth: 0,
            quit: false,
            errors: 0,
            schema_version: None,
        }
    }

    /// Goes past errors in piped input and `.read` files instead of stopping.
    pub fn keep_going(mut self, yes: bool) -> Self {
        self.keep_going = yes;
        self
    }

    /// Names the database file as the user named it, and says how `.open` opens others
    /// (read-only under --readonly, as `--db` opened this one).
    pub fn database(mut self, path: PathBuf, access: Access) -> Self {
        self.path = path;
        self.access = access;
        self
    }

    /// Points `interrupter` at this connection, and at each one `.open` opens.
    pub fn interrupter(mut self, interrupter: Interrupter) -> Self {
        interrupter.follow(&self.conn);
        self.interrupter = Some(interrupter);
        self
    }

    /// The connection the shell holds now.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Ends the shell, handing its connection back.
    pub fn into_connection(self) -> Connection {
        self.conn
    }

    /// Errors reported and gone past so far.
    pub fn errors(&self) -> usize {
        self.errors
    }

    /// Runs piped input: no prompts; stops at the first error (returned, with its line)
    /// unless `keep_going`, when each error is printed and counted.
    pub fn run_piped(&mut self, source: &mut dyn LineSource) -> Result<(), ShellError> {
        self.run_piped_named(source, None)
    }

    /// Like [`Shell::run_piped`], for the script `file` (`peel sql -f`): errors name the
    /// file and line, as `.read` does.
    pub fn run_piped_named(
        &mut self,
        source: &mut dyn LineSource,
        file: Option<String>,
    ) -> Result<(), ShellError> {
        let origin = Origin {
            file,
            interactive: false,
            stop_on_error: !self.keep_going,
        };
        let result = self.run_lines(source, &origin);
        self.close_output();
        result
    }

    /// Runs a person's session: errors are printed and the session goes on; returns at
    /// end of input or `.quit`.
    pub fn run_interactive(&mut self, source: &mut dyn LineSource) -> Result<(), ShellError> {
        self.refresh_vocabulary(source);
        let origin = Origin {
            file: None,
            interactive: true,
            stop_on_error: false,
        };
        let result = self.run_lines(source, &origin);
        self.close_output();
        result
    }

    /// Runs a startup file: errors are printed with the file's line and do not stop it.
    pub fn run_startup_file(&mut self, path: &Path) -> Result<(), ShellError> {
        let file = File::open(path).map_err(|e| file_error(path, &e))?;
        let origin = Origin {
            file: Some(path.display().to_string()),
            interactive: true,
            stop_on_error: false,
        };
        self.run_lines(&mut Reader::new(BufReader::new(file)), &origin)
    }

    /// The loop: gathers lines until a statement is complete (SQLite's rule), runs it,
    /// and runs dot-commands as they come.
    fn run_lines(
        &mut self,
        source: &mut dyn LineSource,
        origin: &Origin,
    ) -> Result<(), ShellError> {
        let mut buffer = String::new();
        let mut first_line = 0;
        let mut line_no = 0;
        // Lines of a pasted or recalled multi-line entry, taken one at a time so that
        // dot-commands and statements in it each run as if typed.
        let mut pending: VecDeque<String> = VecDeque::new();
        loop {
            if self.quit {
                return Ok(());
            }
            let input = match pending.pop_front() {
                Some(line) => Input::Line(line),
                None => {
                    // Results must be on the screen before the next prompt.
                    let _ = self.out.flush();
                    let prompt = if buffer.is_empty() {
                        PROMPT
                    } else {
                        CONTINUATION
                    };
                    source.read_line(prompt).map_err(|e| {
                        ShellError::Message(format!("reading input after line {line_no}: {e}"))
                    })?
                }
            };
            let text = match input {
                Input::Line(text) if text.contains('\n') => {
                    pending.extend(text.split('\n').map(str::to_string));
                    continue;
                }
                Input::Line(text) => text,
                Input::Interrupted => {
                    buffer.clear();
                    continue;
                }
                Input::End => {
                    // A last statement without its semicolon still runs, as in `peel sql`.
                    if !buffer.trim().is_empty() {
                        let result = self.run_sql(&buffer, first_line);
                        self.settle(result, first_line, origin)?;
                    }
                    return Ok(());
                }
            };
            line_no += 1;
            let here = line_no;
            if buffer.is_empty() {
                let trimmed = text.trim();
                if trimmed.is_empty() || trimmed.starts_with("--") {
                    continue;
                }
                if trimmed.starts_with('.') {
                    source.add_history(trimmed);
                    let result = self.run_command(trimmed);
                    self.settle(result, here, origin)?;
                    if source.completes() {
                        self.refresh_vocabulary(source);
                    }
                    continue;
                }
                first_line = here;
            }
            buffer.push_str(&text);
            buffer.push('\n');
            // Only a semicolon or the end of a comment can complete a statement; asking
            // SQLite about the whole buffer after every line would be quadratic in a long
            // statement.
            if (text.contains(';') || text.contains("*/")) && exec::is_complete(&buffer) {
                let sql = std::mem::take(&mut buffer);
                source.add_history(sql.trim());
                let result = self.run_sql(&sql, first_line);
                self.settle(result, first_line, origin)?;
                if source.completes() {
                    self.refresh_vocabulary(source);
                }
            }
        }
    }

    /// Reports an error where the input says (stopping if it must), or passes success on.
    fn settle(
        &mut self,
        result: Result<(), ShellError>,
        line: usize,
        origin: &Origin,
    ) -> Result<(), ShellError> {
        let Err(error) = result else {
            return Ok(());
        };
        if error.is_broken_pipe() {
            return Err(error);
        }
        let message = exec::one_line(&origin.place(&error, line));
        if origin.stop_on_error {
            return Err(ShellError::Located(message));
        }
        self.errors += 1;
        let prefix = match (&error, origin.interactive) {
            // At a terminal, Ctrl-C echoes `^C`: start over it rather than after it.
            (ShellError::Interrupted, true) => "\rerror: ",
            (_, true) => "error: ",
            (_, false) => "peel: error: ",
        };
        let _ = self.out.flush();
        let _ = writeln!(self.err, "{prefix}{message}");
        let _ = self.err.flush();
        Ok(())
    }

    /// Re-reads completion names when the schema changed (or on first use).
    fn refresh_vocabulary(&mut self, source: &mut dyn LineSource) {
        let version: Option<i64> = self
            .conn
            .pragma_query_value(None, "schema_version", |r| r.get(0))
            .ok();
        if version.is_some() && version == self.schema_version {
            return;
        }
        self.schema_version = version;
        source.set_vocabulary(Vocabulary::load(&self.conn, self.catalog.as_ref()));
    }

    /// Runs `run` with the writers of the current destination: results to the screen or
    /// the `.output` file, notes and footers to the screen (interactive) or stderr, then
    /// ends a `.once`. `run` gets the connection, the parameters, the console, the data
    /// writer, the notes writer, and whether the data goes to the screen.
    fn with_output<T>(
        &mut self,
        run: impl FnOnce(
            &Connection,
            &Params,
            &Console,
            &mut dyn Write,
            &RefCell<&mut dyn Write>,
            bool,
        ) -> Result<T, ShellError>,
    ) -> Result<T, ShellError> {
        let Shell {
            conn,
            console,
            params,
            destination,
            out,
            err,
            ..
        } = self;
        let to_screen = matches!(destination, Destination::Screen);
        let interactive = console.interactive();
        // Shortened to this call's lifetime (a `&mut` to a trait object is invariant).
        let screen_out: &mut dyn Write = &mut **out;
        let err_out: &mut dyn Write = &mut **err;
        let (screen, notes_apart) = if interactive {
            (RefCell::new(screen_out), None)
        } else {
            (RefCell::new(err_out), Some(screen_out))
        };
        // Interactive: notes share the screen with the data. Otherwise `screen` holds
        // stderr, and the data goes to stdout.
        let mut shared = Shared(&screen);
        let mut stdout_apart = notes_apart;
        let data: &mut dyn Write = match (&mut *destination, stdout_apart.as_mut()) {
            (Destination::File { writer, .. }, _) => writer,
            (Destination::Screen, Some(stdout)) => &mut **stdout,
            (Destination::Screen, None) => &mut shared,
        };
        let result = run(conn, params, console, data, &screen, to_screen);
        let flushed = match destination {
            Destination::Screen => match stdout_apart.as_mut() {
                Some(stdout) => stdout.flush(),
                None => screen.borrow_mut().flush(),
            },
            Destination::File { writer, .. } => writer.flush(),
        };
        let _ = screen.borrow_mut().flush();
        self.finish_once(result.is_ok() && flushed.is_ok());
        let value = result?;
        flushed.map_err(ShellError::Output)?;
        Ok(value)
    }

    /// Runs one complete input (one or more statements) that starts at `first_line`.
    fn run_sql(&mut self, sql: &str, first_line: usize) -> Result<(), ShellError> {
        let result = self.with_output(|conn, params, console, data, notes, to_screen| {
            let changes_before = conn.total_changes();
            let mut sink = console.presenter(data, notes, to_screen);
            // A picture of SQL still says how old the database is.
            sink.context(&crate::output::Context {
                database: crate::console::call::database_date(conn),
                ..Default::default()
            });
            let summary = exec::run_script(conn, sql, params, Policy::default(), &mut sink)?;
            let (results, mark) = (sink.results(), sink.mark());
            drop(sink);
            if summary.statements > results {
                // Statements without rows: say what they changed (and how long they took).
                let changed = conn.total_changes().saturating_sub(changes_before);
                console
                    .write_change_footer(&mut **notes.borrow_mut(), changed, mark.elapsed())
                    .map_err(ShellError::Output)?;
            }
            Ok(())
        });
        // Lines in errors count from the start of the input, not of the statement.
        let result = result.map_err(|e| match e {
            ShellError::Sql {
                line,
                snippet,
                message,
            } => ShellError::Sql {
                line: first_line + line - 1,
                snippet,
                message,
            },
            other => other,
        });
        if result.is_ok() {
            self.last_sql = Some(sql.trim().to_string());
        }
        result
    }

    /// Writes dot-command output to the destination (so `.output f` + `.schema` works).
    fn emit(&mut self, text: &str) -> Result<(), ShellError> {
        let result = match &mut self.destination {
            Destination::Screen => self
                .out
                .write_all(text.as_bytes())
                .and_then(|()| self.out.flush()),
            Destination::File { writer, .. } => writer
                .write_all(text.as_bytes())
                .and_then(|()| writer.flush()),
        };
        self.finish_once(result.is_ok());
        result.map_err(ShellError::Output)
    }

    /// After `.once` or `.excel`, the next result has been written (whole when
    /// `complete`): back to the screen.
    fn finish_once(&mut self, complete: bool) {
        if matches!(self.destination, Destination::File { once: true, .. }) {
            self.close_file(complete);
        }
    }

    /// Flushes and closes an `.output` file; results go to the screen again.
    fn close_output(&mut self) {
        self.close_file(true);
    }

    /// Closes the output file. `.excel`'s file is then opened for the user when it holds
    /// a whole result, and removed when it holds nothing or a failed one.
    fn close_file(&mut self, complete: bool) {
        let Destination::File {
            path,
            mut writer,
            excel,
            ..
        } = std::mem::replace(&mut self.destination, Destination::Screen)
        else {
            return;
        };
        let flushed = writer.flush();
        if let Err(e) = &flushed {
            let _ = writeln!(self.err, "error: {}: {e}", path.display());
        }
        let Some(format) = excel else {
            return;
        };
        self.console.format = format;
        let written = writer.get_ref().metadata().map_or(0, |m| m.len()) > 0;
        drop(writer);
        if complete && written && flushed.is_ok() {
            if let Some(line) = open_for_user(&path) {
                let line = self.console.say(&line);
                self.say_lines(&[line]);
            }
        } else {
            let _ = std::fs::remove_file(&path);
        }
    }

    fn open_output(&mut self, path: PathBuf, once: bool) -> Result<(), ShellError> {
        let file = File::create(&path).map_err(|e| file_error(&path, &e))?;
        self.close_output();
        self.destination = Destination::File {
            path,
            writer: BufWriter::new(file),
            once,
            excel: None,
        };
        Ok(())
    }

    /// `.excel`: the next result goes, as CSV, to a new file in the temporary folder,
    /// which is opened when the result is whole.
    fn excel(&mut self) -> Result<(), ShellError> {
        let (path, file) = new_temporary_csv()
            .map_err(|e| ShellError::Message(format!("making a file for .excel: {e}")))?;
        self.close_output();
        let format = std::mem::replace(&mut self.console.format, Format::Csv);
        self.destination = Destination::File {
            path,
            writer: BufWriter::new(file),
            once: true,
            excel: Some(format),
        };
        Ok(())
    }

    /// Writes lines that are not results (an import's summary) where notes go: the screen
    /// at the prompt, stderr otherwise; never into an `.output` file.
    fn say_lines(&mut self, lines: &[String]) {
        let _ = self.out.flush();
        let to: &mut dyn Write = if self.console.interactive() {
            &mut *self.out
        } else {
            &mut *self.err
        };
        for line in lines {
            let _ = writeln!(to, "{line}");
        }
        let _ = to.flush();
    }

    /// `.open [--new] FILE`: the new connection replaces the old only once it is open, so
    /// a refused file leaves the shell where it was.
    fn open(&mut self, path: PathBuf, new: bool) -> Result<(), ShellError> {
        if !self.conn.is_autocommit() {
            return Err(ShellError::Message(
                "a transaction is open: COMMIT or ROLLBACK it before .open".into(),
            ));
        }
        if new {
            if path.exists() {
                return Err(ShellError::Message(format!(
                    "{}: already exists (.open {} opens it)",
                    path.display(),
                    path.display()
                )));
            }
            crate::seed::build_database(&path, false)
                .map_err(|e| ShellError::Message(error_line(&e)))?;
        }
        let conn = db::open(&path, self.access).map_err(|e| ShellError::Message(e.to_string()))?;
        // The old connection closes as it is dropped.
        self.conn = conn;
        self.path = path;
        if let Some(interrupter) = &self.interrupter {
            interrupter.follow(&self.conn);
        }
        // Another file: completion must read its names, whatever its schema version.
        self.schema_version = None;
        Ok(())
    }

    /// `.import FILE`: through the importer `peel import` would use, saying what it says.
    fn import(
        &mut self,
        path: &Path,
        kind: Option<Kind>,
        options: &import_file::Options,
    ) -> Result<(), ShellError> {
        let message = |e: anyhow::Error| ShellError::Message(error_line(&e));
        import_file::ensure_file(path).map_err(message)?;
        let kind = match kind {
            Some(kind) => kind,
            None => Kind::detect(path).map_err(|e| file_error(path, &e))?,
        };
        options.check(kind).map_err(ShellError::Message)?;
        let outcome = import_file::import(&mut self.conn, path, kind, options, &mut |_| {})
            .map_err(message)?;
        // New metrics and areas are names completion offers.
        self.schema_version = None;
        let lines: Vec<String> = outcome
            .said
            .iter()
            .filter_map(|said| match said {
                Said::Note(text) => self.console.note(text),
                Said::Line(text) => Some(self.console.say(text)),
            })
            .collect();
        match outcome.facts {
            // A dry run of a report: its facts are a result, and the lines follow them.
            Some(rows) => self.with_output(|_, _, console, data, notes, to_screen| {
                let mut sink = console.presenter(data, notes, to_screen);
                let columns: Vec<String> = FACT_COLUMNS.iter().map(|c| c.to_string()).collect();
                let shown = (|| {
                    sink.begin(&columns)?;
                    for row in &rows {
                        sink.row(row)?;
                    }
                    sink.end()?;
                    sink.finish()
                })();
                drop(sink);
                shown.map_err(ShellError::Output)?;
                let mut notes = notes.borrow_mut();
                for line in &lines {
                    writeln!(notes, "{line}").map_err(ShellError::Output)?;
                }
                notes.flush().map_err(ShellError::Output)
            }),
            None => {
                self.say_lines(&lines);
                Ok(())
            }
        }
    }

    /// Runs one dot-command line.
    fn run_command(&mut self, line: &str) -> Result<(), ShellError> {
        match command::parse(line)? {
            DotCommand::Help(None) => self.emit(&command::help_overview()),
            DotCommand::Help(Some(name)) => {
                let text = command::help_for(&name)?;
                self.emit(&text)
            }
            DotCommand::Tables(pattern) => self.tables(pattern.as_deref()),
            DotCommand::Schema(pattern) => self.schema(pattern.as_deref()),
            DotCommand::Mode(format) => {
                self.console.format = format;
                Ok(())
            }
            DotCommand::Headers(on) => {
                self.console.options.headers = on;
                Ok(())
            }
            DotCommand::NullValue(text) => {
                self.console.options.null_text = text.unwrap_or_default();
                Ok(())
            }
            DotCommand::Output(None) => {
                self.close_output();
                Ok(())
            }
            DotCommand::Output(Some(path)) => self.open_output(path, false),
            DotCommand::Once(path) => self.open_output(path, true),
            DotCommand::Excel => self.excel(),
            DotCommand::Read(path) => self.read_file(&path),
            DotCommand::Open { path, new } => self.open(path, new),
            DotCommand::Dump(pattern) => {
                self.with_output(|conn, _params, _console, data, _notes, _to_screen| {
                    Ok(dump::dump(conn, pattern.as_deref(), data)?)
                })
            }
            DotCommand::Import {
                path,
                kind,
                options,
            } => self.import(&path, kind, &options),
            DotCommand::Timer(on) => {
                self.console.timer = on;
                Ok(())
            }
            DotCommand::Footer(on) => {
                self.console.footer = on;
                Ok(())
            }
            DotCommand::MaxRows(n) => {
                self.console.max_rows = n;
                Ok(())
            }
            DotCommand::Param(p) => self.param(p),
            DotCommand::Show => {
                let text = self.show();
                self.emit(&text)
            }
            DotCommand::Queries => {
                let list = self.catalog.list(&self.conn)?;
                let width = list.iter().map(|q| q.name.len()).max().unwrap_or(0);
                let mut text = String::new();
                for q in &list {
                    text.push_str(&format!("{:width$}  {}\n", q.name, q.description));
                }
                if list.is_empty() {
                    text.push_str("no queries yet (.save NAME saves the last statement)\n");
                }
                self.emit(&text)
            }
            DotCommand::Run { name, args } => self.run_query(&name, &args),
            DotCommand::Save { name, description } => {
                let sql = self.last_sql.clone().ok_or_else(|| {
                    ShellError::Message("nothing to save yet: run a SQL statement first".into())
                })?;
                self.catalog
                    .save(&self.conn, &name, &sql, description.as_deref())?;
                // The new name should complete at once.
                self.schema_version = None;
                // A confirmation, not data: stderr, so piped output stays clean.
                writeln!(self.err, "saved as {name}: .run {name} runs it")
                    .map_err(ShellError::Output)
            }
            DotCommand::Quit => {
                self.quit = true;
                Ok(())
            }
        }
    }

    /// `.run NAME ARGS [--result NAME]`: a canned or saved query, presented as `peel run`
    /// presents it.
    fn run_query(&mut self, name: &str, args: &[String]) -> Result<(), ShellError> {
        let (args, result) = split_result_flag(args)?;
        let call = self.catalog.prepare(&self.conn, name, &args)?;
        let options = CallOptions {
            result,
            ..CallOptions::default()
        };
        self.with_output(|conn, _params, console, data, notes, to_screen| {
            call::present(console, conn, &call, &options, data, notes, to_screen)
                .map(|_| ())
                .map_err(|e| ShellError::from(CatalogError::from(e)))
        })
    }

    fn read_file(&mut self, path: &Path) -> Result<(), ShellError> {
        if self.depth >= MAX_DEPTH {
            return Err(ShellError::Message(format!(
                ".read nested {MAX_DEPTH} deep; does {} read itself?",
                path.display()
            )));
        }
        if let Some(problem) = crate::import::input_file_problem(path) {
            return Err(ShellError::File {
                path: path.to_path_buf(),
                message: problem,
            });
        }
        let file = File::open(path).map_err(|e| file_error(path, &e))?;
        let origin = Origin {
            file: Some(path.display().to_string()),
            interactive: false,
            stop_on_error: !self.keep_going,
        };
        self.depth += 1;
        let result = self.run_lines(&mut Reader::new(BufReader::new(file)), &origin);
        self.depth -= 1;
        result
    }

    fn tables(&mut self, pattern: Option<&str>) -> Result<(), ShellError> {
        let names: Vec<String> = self
            .conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') \
                 AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND (?1 IS NULL OR name LIKE ?1) \
                 ORDER BY name",
            )
            .and_then(|mut s| {
                s.query_map([pattern], |r| r.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(|e| ShellError::Message(exec::sqlite_message(&e)))?;
        if names.is_empty() {
            return Err(ShellError::Message(match pattern {
                Some(p) => format!("no table or view matches {p:?}"),
                None => "the database has no tables".into(),
            }));
        }
        let width = match self.destination {
            Destination::Screen => self.console.width().unwrap_or(80),
            Destination::File { .. } => 80,
        };
        let text = in_columns(&names, width);
        self.emit(&text)
    }

    fn schema(&mut self, pattern: Option<&str>) -> Result<(), ShellError> {
        let statements: Vec<String> = self
            .conn
            .prepare(
                "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL \
                 AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
                 AND (?1 IS NULL OR name LIKE ?1 OR tbl_name LIKE ?1) \
                 ORDER BY tbl_name, type DESC, name",
            )
            .and_then(|mut s| {
                s.query_map([pattern], |r| r.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(|e| ShellError::Message(exec::sqlite_message(&e)))?;
        if statements.is_empty() {
            return Err(ShellError::Message(match pattern {
                Some(p) => format!("no table or view matches {p:?}; .tables lists them"),
                None => "the database has no schema".into(),
            }));
        }
        let mut text = String::new();
        for s in statements {
            text.push_str(&s);
            text.push_str(";\n");
        }
        self.emit(&text)
    }

    fn param(&mut self, p: ParamCommand) -> Result<(), ShellError> {
        match p {
            ParamCommand::Set(name, value) => {
                self.params.insert(name, value);
                Ok(())
            }
            ParamCommand::Unset(name) => match self.params.remove(&name) {
                Some(_) => Ok(()),
                None => Err(ShellError::Message(format!("no parameter {name} is set"))),
            },
            ParamCommand::Clear => {
                self.params.clear();
                Ok(())
            }
            ParamCommand::List => {
                let text = if self.params.is_empty() {
                    "no parameters set (.param set NAME VALUE)\n".to_string()
                } else {
                    self.param_lines("")
                };
                self.emit(&text)
            }
        }
    }

    /// One `name = value` line per parameter, sorted, values as SQL literals.
    fn param_lines(&self, indent: &str) -> String {
        let mut pairs: Vec<(&String, &Value)> = self.params.iter().collect();
        pairs.sort_by(|a, b| a.0.cmp(b.0));
        pairs
            .into_iter()
            .map(|(n, v)| format!("{indent}{n} = {}\n", sql_literal(v)))
            .collect()
    }

    fn show(&self) -> String {
        let on = |b: bool| if b { "on" } else { "off" };
        let format = clap::ValueEnum::to_possible_value(&self.console.format)
            .map(|v| v.get_name().to_string())
            .unwrap_or_default();
        let output = match &self.destination {
            Destination::Screen => "screen".to_string(),
            Destination::File { path, once, .. } => format!(
                "{}{}",
                path.display(),
                if *once { " (next result only)" } else { "" }
            ),
        };
        let null = if self.console.options.null_text.is_empty() {
            "(default: NULL in tables and line, empty in csv and tsv)".to_string()
        } else {
            format!("{:?}", self.console.options.null_text)
        };
        let max_rows = match self.console.max_rows {
            0 => "all".to_string(),
            n => n.to_string(),
        };
        let filename = format!(
            "{}{}",
            self.path.display(),
            if self.access == Access::ReadOnly {
                " (read-only)"
            } else {
                ""
            }
        );
        let mut text = format!(
            "     mode: {format}\n  headers: {}\nnullvalue: {null}\n   output: {output}\n    timer: {}\n   footer: {}\n  maxrows: {max_rows}\n filename: {filename}\n",
            on(self.console.options.headers),
            on(self.console.timer),
            on(self.console.footer),
        );
        if self.params.is_empty() {
            text.push_str("   params: none\n");
        } else {
            text.push_str("   params:\n");
            text.push_str(&self.param_lines("     "));
        }
        text
    }
}

fn file_error(path: &Path, e: &io::Error) -> ShellError {
    ShellError::File {
        path: path.to_path_buf(),
        message: match e.kind() {
            io::ErrorKind::NotFound => "no such file".into(),
            io::ErrorKind::PermissionDenied => "permission denied".into(),
            _ => e.to_string(),
        },
    }
}

/// Takes `--result NAME` out of `.run`'s arguments.
fn split_result_flag(args: &[String]) -> Result<(Vec<String>, Option<String>), ShellError> {
    let mut rest = Vec::new();
    let mut result = None;
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if let Some(name) = word.strip_prefix("--result=") {
            result = Some(name.to_string());
        } else if word == "--result" {
            let name = words
                .next()
                .ok_or_else(|| ShellError::Message("--result needs the name of a result".into()))?;
            result = Some(name.clone());
        } else {
            rest.push(word.clone());
        }
    }
    Ok((rest, result))
}

/// A value as SQL would write it (`.dump`'s literals): `'text'` quoted, numbers bare,
/// NULL.
fn sql_literal(v: &Value) -> String {
    dump::literal(match v {
        Value::Null => ValueRef::Null,
        Value::Integer(i) => ValueRef::Integer(*i),
        Value::Real(f) => ValueRef::Real(*f),
        Value::Text(s) => ValueRef::Text(s.as_bytes()),
        Value::Blob(b) => ValueRef::Blob(b),
    })
}

/// A new file for `.excel` in the temporary folder, never one that exists already.
fn new_temporary_csv() -> io::Result<(PathBuf, File)> {
    let dir = std::env::temp_dir();
    let mut attempt = 0u32;
    loop {
        let path = dir.join(format!("peel-{}-{attempt}.csv", std::process::id()));
        match File::options().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 10_000 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

/// The program that opens a file as the user's desktop would, with its arguments before
/// the file; `None` when `PEEL_OPENER` is set and empty.
fn opener() -> Option<(String, Vec<String>)> {
    if let Some(program) = std::env::var_os("PEEL_OPENER") {
        let program = program.to_string_lossy().into_owned();
        return (!program.is_empty()).then(|| (program, Vec::new()));
    }
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        // `start`'s first quoted argument is a window title, so an empty one goes first.
        ("cmd", &["/c", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    Some((program.into(), args.iter().map(|a| a.to_string()).collect()))
}

/// Opens `path` with the system's opener, waiting for it as sqlite3 does. Returns what
/// to tell the user when it could not be opened: where the file is, and why.
fn open_for_user(path: &Path) -> Option<String> {
    let why = match opener() {
        None => "PEEL_OPENER is empty".to_string(),
        Some((program, args)) => match std::process::Command::new(&program)
            .args(&args)
            .arg(path)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
        {
            Ok(status) if status.success() => return None,
            Ok(status) => format!("{program} could not open it ({status})"),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                format!("no program to open it: {program} was not found")
            }
            Err(e) => format!("{program} could not be started: {e}"),
        },
    };
    Some(format!("the result is in {} ({why})", path.display()))
}

/// Names in columns down then across, as `ls` and sqlite3's `.tables` lay them out.
fn in_columns(names: &[String], width: usize) -> String {
    let column = names.iter().map(|n| n.chars().count()).max().unwrap_or(0) + 2;
    let across = (width / column).max(1);
    let down = names.len().div_ceil(across);
    let mut text = String::new();
    for row in 0..down {
        let mut line = String::new();
        for col in 0..across {
            if let Some(name) = names.get(col * down + row) {
                line.push_str(&format!("{name:column$}"));
            }
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::{Choices, Mode};
    use crate::output::Format;

    fn shell_output(conn: Connection, console: Console, input: &str) -> (String, String) {
        let mut out = Vec::new();
        let mut err = Vec::new();
        {
            let mut shell = Shell::new(
                conn,
                console,
                Box::new(catalog::Unavailable),
                &mut out,
                &mut err,
            )
            .keep_going(true);
            shell.run_piped(&mut Reader::new(input.as_bytes())).unwrap();
        }
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    fn console_of(mode: Mode) -> Console {
        let choices = Choices {
            format: Some(Format::Csv),
            ..Choices::default()
        };
        Console::with_terminal(mode, &choices, false, || None)
    }

    fn settings() -> Console {
        console_of(Mode::Piped)
    }

    #[test]
    fn statements_span_lines_and_dot_commands_do_not() {
        let conn = Connection::open_in_memory().unwrap();
        let (out, err) = shell_output(
            conn,
            settings(),
            "-- a comment\nSELECT 1 AS a,\n  'x;y' AS b\n;\n.mode tsv\nSELECT 2 AS c; SELECT 3 AS d;\n",
        );
        assert_eq!(out, "a,b\n1,x;y\nc\n2\nd\n3\n");
        assert_eq!(err, "");
    }

    #[test]
    fn errors_carry_the_line_where_the_statement_starts() {
        let conn = Connection::open_in_memory().unwrap();
        let (_, err) = shell_output(conn, settings(), "SELECT 1;\n\nSELECT\n nosuch;\n.frob\n");
        assert_eq!(
            err,
            "peel: error: line 3: `SELECT nosuch;`: no such column: nosuch\n\
             peel: error: line 5: unknown command .frob; .help lists the commands\n"
        );
    }

    /// Lines as a terminal would hand them over, remembering what went into history.
    struct Typed {
        inputs: VecDeque<Input>,
        history: Vec<String>,
    }

    impl LineSource for Typed {
        fn read_line(&mut self, _prompt: &str) -> io::Result<Input> {
            Ok(self.inputs.pop_front().unwrap_or(Input::End))
        }
        fn add_history(&mut self, entry: &str) {
            self.history.push(entry.to_string());
        }
    }

    #[test]
    fn pasted_blocks_run_line_by_line_and_ctrl_c_forgets_a_statement() {
        let conn = Connection::open_in_memory().unwrap();
        let mut typed = Typed {
            inputs: VecDeque::from([
                Input::Line("SELECT 'forgotten'".into()),
                Input::Interrupted,
                Input::Line(".mode tsv\nSELECT 1 AS a,\n  2 AS b;\nSELECT 3 AS c;".into()),
                Input::Line("SELEC 4;".into()),
                Input::Line("SELECT 5 AS e".into()),
                Input::Line(";".into()),
                Input::Line(".quit".into()),
                Input::Line("SELECT 6 AS never;".into()),
            ]),
            history: Vec::new(),
        };
        let mut out = Vec::new();
        let mut err = Vec::new();
        {
            let mut shell = Shell::new(
                conn,
                console_of(Mode::Interactive),
                Box::new(catalog::Unavailable),
                &mut out,
                &mut err,
            );
            shell.run_interactive(&mut typed).unwrap();
            assert_eq!(shell.errors(), 1);
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a\tb\n1\t2\n1 row\nc\n3\n1 row\ne\n5\n1 row\n"
        );
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "error: near \"SELEC\": syntax error\n"
        );
        assert_eq!(
            typed.history,
            [
                ".mode tsv",
                "SELECT 1 AS a,\n  2 AS b;",
                "SELECT 3 AS c;",
                "SELEC 4;",
                "SELECT 5 AS e\n;",
                ".quit"
            ]
        );
    }

    /// A peel database with the schema and no rows, at `dir/name`.
    fn empty_peel_file(dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        let mut conn = Connection::open(&path).unwrap();
        // One transaction: one sync to disk instead of one per statement.
        let tx = conn.transaction().unwrap();
        crate::db::create_schema(&tx).unwrap();
        tx.commit().unwrap();
        path
    }

    #[test]
    fn open_swaps_the_connection_and_a_refused_file_keeps_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let a = empty_peel_file(dir.path(), "a.db");
        let b = empty_peel_file(dir.path(), "b.db");
        crate::db::open(&b, Access::ReadWrite)
            .unwrap()
            .execute_batch("CREATE TABLE only_in_b (x); INSERT INTO only_in_b VALUES (42);")
            .unwrap();
        let mut out = Vec::new();
        let mut err = Vec::new();
        let input = format!(
            ".open {}\nSELECT count(*) AS n FROM only_in_b;\n.open {}\nSELECT x FROM only_in_b;\n\
             BEGIN;\n.open {}\nROLLBACK;\n",
            dir.path().join("missing.db").display(),
            b.display(),
            a.display(),
        );
        {
            let mut shell = Shell::new(
                crate::db::open(&a, Access::ReadWrite).unwrap(),
                settings(),
                Box::new(catalog::Unavailable),
                &mut out,
                &mut err,
            )
            .keep_going(true);
            shell.run_piped(&mut Reader::new(input.as_bytes())).unwrap();
            assert_eq!(shell.errors(), 3);
            assert_eq!(shell.connection().path(), Some(b.to_str().unwrap()));
        }
        assert_eq!(String::from_utf8(out).unwrap(), "x\n42\n");
        let missing = dir.path().join("missing.db");
        assert_eq!(
            String::from_utf8(err).unwrap(),
            format!(
                "peel: error: line 1: {m}: no such database file (build one with `peel init --db {m}`)\n\
                 peel: error: line 2: `SELECT count(*) AS n FROM only_in_b;`: no such table: only_in_b\n\
                 peel: error: line 6: a transaction is open: COMMIT or ROLLBACK it before .open\n",
                m = missing.display()
            )
        );
        assert!(!missing.exists());
    }

    #[test]
    fn ctrl_c_follows_the_connection_open_opens() {
        let dir = tempfile::tempdir().unwrap();
        let a = empty_peel_file(dir.path(), "a.db");
        let b = empty_peel_file(dir.path(), "b.db");
        let interrupter = Interrupter::default();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        // Ctrl-C pressed again and again, as the handler would call it, until the shell
        // is done: only an interrupter that moved to b.db can stop the query there.
        let presser = {
            let (interrupter, stop) = (interrupter.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    interrupter.interrupt();
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
            })
        };
        let mut out = Vec::new();
        let mut err = Vec::new();
        let input = format!(
            ".open {}\nWITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c;\n",
            b.display()
        );
        {
            let mut shell = Shell::new(
                crate::db::open(&a, Access::ReadWrite).unwrap(),
                settings(),
                Box::new(catalog::Unavailable),
                &mut out,
                &mut err,
            )
            .keep_going(true)
            .interrupter(interrupter);
            shell.run_piped(&mut Reader::new(input.as_bytes())).unwrap();
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        presser.join().unwrap();
        // The header went out as the query started; no count came.
        assert_eq!(String::from_utf8(out).unwrap(), "count(*)\n");
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "peel: error: line 2: interrupted\n"
        );
    }

    #[test]
    fn tables_lay_out_in_columns() {
        let names: Vec<String> = ["a", "bb", "ccc", "d", "e"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(in_columns(&names, 12), "a    d\nbb   e\nccc\n");
        assert_eq!(in_columns(&names[..1], 1), "a\n");
    }

    #[test]
    fn literals_quote_text() {
        assert_eq!(sql_literal(&Value::Text("it's".into())), "'it''s'");
        assert_eq!(sql_literal(&Value::Null), "NULL");
        assert_eq!(sql_literal(&Value::Integer(3)), "3");
    }

    /// Lines a piped session might hold: statements whole and split over lines,
    /// dot-commands right and wrong, comments, quotes left open, and junk. No `.output`,
    /// `.once` or `.read`: those touch files (filtered out below).
    fn session_line() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            proptest::sample::select(vec![
                "SELECT 1;",
                "SELECT 'a;b'",
                ";",
                "SELECT",
                "1;",
                "  ",
                "BEGIN;",
                "COMMIT;",
                "ROLLBACK;",
                "CREATE TEMP TABLE IF NOT EXISTS t(x);",
                "INSERT INTO t VALUES (:x);",
                "SELECT * FROM t;",
                "SELECT :x, @y, $z;",
                "SELECT ?;",
                "-- a comment",
                "/* open",
                "*/ SELECT 2;",
                "'",
                "\"",
                "CREATE TEMP TRIGGER IF NOT EXISTS tt AFTER INSERT ON t BEGIN",
                "SELECT 1; END;",
                "SELECT area_name FROM v_judgments LIMIT 2;",
                ".param set x 5",
                ".param set x 'a b'",
                ".param set :y NULL",
                ".param unset x",
                ".param list",
                ".param clear",
                ".mode csv",
                ".mode line",
                ".mode json",
                ".mode table",
                ".mode markdown",
                ".mode chart",
                ".headers off",
                ".headers on",
                ".nullvalue -",
                ".nullvalue",
                ".timer on",
                ".footer on",
                ".maxrows 1",
                ".maxrows 0",
                ".show",
                ".help",
                ".help mode",
                ".tables",
                ".tables v_%",
                ".schema areas",
                ".queries",
                ".run years",
                ".run force cambs",
                ".run force",
                ".run nosuch",
                ".save last",
                ".save 'Bad Name'",
                ".dump areas",
                ".dump nosuch",
                ".open nosuch.db",
                ".import nosuch.csv",
                ".import --report --trust high nosuch.txt",
                ".help import",
                ".tabels",
                ".",
                ".p",
                ".quit",
            ])
            .prop_map(str::to_string),
            "[ -~]{0,30}",
            any::<String>(),
        ]
        .prop_filter("no file commands", |l| !l.split('\n').any(touches_files))
    }

    fn touches_files(line: &str) -> bool {
        match command::parse(line) {
            Ok(DotCommand::Output(_) | DotCommand::Once(_) | DotCommand::Read(_)) => true,
            Ok(DotCommand::Excel | DotCommand::Open { new: true, .. }) => true,
            // Refused when missing, which is what the lines below ask for.
            Ok(DotCommand::Open { path, .. } | DotCommand::Import { path, .. }) => path.exists(),
            _ => false,
        }
    }

    #[test]
    fn any_session_runs_to_its_end_with_one_line_per_error() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::configure(&conn).unwrap();
        let tx = conn.transaction().unwrap();
        crate::db::create_schema(&tx).unwrap();
        crate::seed::load(&tx).unwrap();
        tx.commit().unwrap();
        // Each session borrows the one seeded connection and hands it back.
        let shared = RefCell::new(Some(conn));
        let lines = proptest::collection::vec(session_line(), 0..30);
        proptest::proptest!(|(lines in lines)| {
            let input = lines.join("\n");
            let mut out = Vec::new();
            let mut err = Vec::new();
            let errors = {
                let mut shell = Shell::new(
                    shared.borrow_mut().take().unwrap(),
                    settings(),
                    Box::new(catalog::Catalogue),
                    &mut out,
                    &mut err,
                )
                .keep_going(true);
                let result = shell.run_piped(&mut Reader::new(input.as_bytes()));
                let errors = shell.errors();
                *shared.borrow_mut() = Some(shell.into_connection());
                proptest::prop_assert!(result.is_ok(), "{:?}", result.err().map(|e| e.to_string()));
                errors
            };
            let err = String::from_utf8(err).unwrap();
            let reported = err.lines().filter(|l| l.starts_with("peel: error: ")).count();
            proptest::prop_assert_eq!(reported, errors, "{}", err);
            // Besides errors: `.save`'s confirmation, and the notes of a canned query
            // (`.run force cambs` in line mode says how "cambs" was read).
            for line in err.lines() {
                proptest::prop_assert!(
                    line.starts_with("peel: error: ")
                        || line.starts_with("peel: note: ")
                        || line.starts_with("saved as "),
                    "{:?}",
                    line
                );
            }
        });
    }
}
