//! The console: how results, notes and errors reach whoever is at the other end, the same
//! way from every entry point (`peel sql`, `peel run`, `--explain`, the shell at a
//! terminal, piped input, import and check summaries).
//!
//! One [`Console`] value is built once from the global options and the [`Mode`], and owns
//! every presentation policy:
//! - the format (a table on a terminal, CSV for programs) and its options;
//! - where data goes: stdout, or the file named by `-o` ([`OutputFile`]);
//! - the width rule: the terminal's width, else `COLUMNS`, else none (tables whole);
//! - the terminal-safe writer: on whenever stdout is a terminal, in every format;
//! - notes and footers: on the screen in the interactive shell, else on stderr, always
//!   with one prefix convention (`peel: note: ...` / `peel: error: ...` for programs and
//!   logs, `note: ...` / `error: ...` to a person at the prompt);
//! - presenting a result: row caps, fitting to the width, and saying when a result was
//!   shortened or shown in line mode ([`Presenter`]).
//!
//! [`call`] presents a canned or saved query's call (its notes, one JSON document, one
//! result for CSV). SQL text and dot-commands run through the shell's loop, which
//! presents through a [`Presenter`] too.

pub mod call;
mod output_file;

pub use output_file::{DataOut, OutputFile};

use std::cell::RefCell;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::exec::one_line;
use crate::output::safe::TerminalSafe;
use crate::output::{self, ChartHint, Context, Format, Options, RowSink};
use crate::value::Value;

/// Who is at the other end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A person at the shell's prompt: footers and notes on the screen, errors never end
    /// the session.
    Interactive,
    /// The shell reading piped input or a script (`peel < a.sql`, `peel sql`): results on
    /// stdout, everything else on stderr.
    Piped,
    /// One command (`peel run`, `peel check`): as piped.
    Command,
}

/// Every presentation policy of one session (see the module documentation).
#[derive(Debug, Clone)]
pub struct Console {
    /// Who is at the other end.
    pub mode: Mode,
    /// `--format`, `.mode`.
    pub format: Format,
    /// `--no-header` / `.headers`, `--null` / `.nullvalue`.
    pub options: Options,
    /// `.timer`: how long each result took, in its footer.
    pub timer: bool,
    /// `.footer`: a row count under each result.
    pub footer: bool,
    /// `.maxrows`: rows of a result shown on the screen; 0 shows all.
    pub max_rows: usize,
    /// `-q`: no notes (errors are still shown).
    pub quiet: bool,
    /// Stdout is a terminal: data passes through [`TerminalSafe`].
    pub terminal: bool,
    /// The width rule, asked before each result (a terminal can be resized).
    width: fn() -> Option<usize>,
    /// `-o FILE`: data goes there instead of stdout.
    output: Option<Arc<OutputFile>>,
}

/// Settings given on the command line, from which a console is built.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// `--format`.
    pub format: Option<Format>,
    /// `--no-header`.
    pub no_header: bool,
    /// `--null`.
    pub null: Option<String>,
    /// `-q`.
    pub quiet: bool,
    /// `-o FILE`, opened.
    pub output: Option<Arc<OutputFile>>,
}

impl Console {
    /// The console of a session in `mode`, for stdout as it is now.
    pub fn new(mode: Mode, choices: &Choices) -> Console {
        // Data written to a file is never on the screen, whatever stdout is.
        let terminal = choices.output.is_none() && io::stdout().is_terminal();
        let width = if choices.output.is_some() {
            || None
        } else {
            screen_width
        };
        Console::with_terminal(mode, choices, terminal, width)
    }

    /// The console as if stdout were (or were not) a terminal of `width`: for tests, and
    /// for [`Console::new`].
    pub fn with_terminal(
        mode: Mode,
        choices: &Choices,
        terminal: bool,
        width: fn() -> Option<usize>,
    ) -> Console {
        let interactive = mode == Mode::Interactive;
        let format = choices.format.unwrap_or(if terminal || interactive {
            Format::Table
        } else {
            Format::Csv
        });
        Console {
            mode,
            format,
            options: Options {
                headers: !choices.no_header,
                null_text: choices.null.clone().unwrap_or_default(),
                fancy: terminal && !no_color(),
                terminal,
            },
            timer: false,
            footer: interactive,
            max_rows: if interactive { 1000 } else { 0 },
            quiet: choices.quiet,
            terminal,
            width,
            output: choices.output.clone(),
        }
    }

    /// True for a person at the prompt.
    pub fn interactive(&self) -> bool {
        self.mode == Mode::Interactive
    }

    /// The width tables are fitted to (see the module documentation); `None` for whole
    /// values.
    pub fn width(&self) -> Option<usize> {
        (self.width)()
    }

    /// A note as its reader should see it: one line, prefixed by who says it. `None` under
    /// `-q`.
    pub fn note(&self, text: &str) -> Option<String> {
        (!self.quiet).then(|| self.line("note", text))
    }

    /// An error line, as [`Console::note`] but never silenced.
    pub fn error(&self, text: &str) -> String {
        self.line("error", text)
    }

    /// A line peel says that is neither a note nor an error (an import's summary), as its
    /// reader should see it: `peel: ` before it for programs and logs, bare at the prompt.
    /// Never silenced.
    pub fn say(&self, text: &str) -> String {
        let text = one_line(text);
        if self.interactive() {
            text
        } else {
            format!("peel: {text}")
        }
    }

    fn line(&self, kind: &str, text: &str) -> String {
        let text = one_line(text);
        if self.interactive() {
            format!("{kind}: {text}")
        } else {
            format!("peel: {kind}: {text}")
        }
    }

    /// Where data goes: stdout, buffered, terminal-safe when it is a terminal; or the
    /// `-o` file.
    pub fn stdout(&self) -> TerminalSafe<DataOut> {
        let out = match &self.output {
            Some(file) => DataOut::File(file.clone()),
            None => DataOut::Stdout(BufWriter::new(io::stdout().lock())),
        };
        TerminalSafe::new(out, self.terminal)
    }

    /// What to say under a result, or `None`. Hidden rows, shortened values and a switch
    /// to line mode are always said, footer or not: the screen does not show everything.
    fn footer_text(&self, shown: &Shown, elapsed: Duration) -> Option<String> {
        let mut parts = Vec::new();
        let time = format!("{:.3} s", elapsed.as_secs_f64());
        let rows = shown.rows + shown.hidden;
        if self.footer || shown.hidden > 0 {
            let noun = if rows == 1 { "row" } else { "rows" };
            if self.timer {
                parts.push(format!("{rows} {noun} in {time}"));
            } else {
                parts.push(format!("{rows} {noun}"));
            }
        } else if self.timer {
            parts.push(format!("time {time}"));
        }
        if shown.hidden > 0 {
            parts.push(format!(
                "{} not shown (.maxrows {} shows more, 0 all)",
                shown.hidden, self.max_rows
            ));
        }
        let whole = if self.interactive() {
            ".mode line"
        } else {
            "-F line"
        };
        if shown.lines {
            parts.push(format!(
                "too wide for the screen: shown one field per line ({whole} does so always)"
            ));
        } else if shown.cut {
            parts.push(format!(
                "long text was shortened to fit the screen (…); {whole} shows every value whole"
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    /// A footer line as it is written: plain under a result on the screen, a note
    /// elsewhere (timings and counts are not data).
    fn footer_line(&self, text: &str) -> String {
        if self.interactive() {
            one_line(text)
        } else {
            self.line("note", text)
        }
    }

    /// A sink presenting results in this console's format to `data`, with footers and
    /// notes to `notes`. `to_screen` is false when results go to a file (`.output`):
    /// files get every row and whole values.
    pub fn presenter<'a, 'n>(
        &'a self,
        data: &'a mut dyn Write,
        notes: &'a RefCell<&'n mut dyn Write>,
        to_screen: bool,
    ) -> Presenter<'a, 'n> {
        let width = if to_screen { self.width() } else { None };
        let options = Options {
            terminal: to_screen && self.terminal,
            ..self.options.clone()
        };
        Presenter {
            inner: output::fitted_sink(self.format, data, &options, width),
            notes,
            console: self,
            cap: if to_screen { self.max_rows } else { 0 },
            shown: Shown::default(),
            results: 0,
            mark: Instant::now(),
        }
    }

    /// Like [`Console::presenter`], around a sink the caller built (a JSON document).
    pub fn presenter_around<'a, 'n>(
        &'a self,
        inner: Box<dyn RowSink + 'a>,
        notes: &'a RefCell<&'n mut dyn Write>,
    ) -> Presenter<'a, 'n> {
        Presenter {
            inner,
            notes,
            console: self,
            cap: 0,
            shown: Shown::default(),
            results: 0,
            mark: Instant::now(),
        }
    }

    /// Writes a note (unless `-q`) to `notes`.
    pub fn write_note(&self, notes: &mut dyn Write, text: &str) -> io::Result<()> {
        match self.note(text) {
            Some(line) => {
                writeln!(notes, "{line}")?;
                notes.flush()
            }
            None => Ok(()),
        }
    }

    /// Writes the footer of statements that returned no rows: what they changed, how long
    /// they took.
    pub fn write_change_footer(
        &self,
        notes: &mut dyn Write,
        changed: u64,
        elapsed: Duration,
    ) -> io::Result<()> {
        let mut parts = Vec::new();
        if self.footer && changed > 0 {
            let noun = if changed == 1 { "row" } else { "rows" };
            parts.push(format!("{changed} {noun} changed"));
        }
        if self.timer {
            parts.push(format!("time {:.3} s", elapsed.as_secs_f64()));
        }
        if parts.is_empty() {
            return Ok(());
        }
        writeln!(notes, "{}", self.footer_line(&parts.join("; ")))?;
        notes.flush()
    }

    /// Prints rows made by peel itself (a check's findings, an export's summary) to
    /// stdout in this console's format.
    pub fn print_rows(&self, columns: &[&str], rows: Vec<Vec<Value>>) -> io::Result<()> {
        let mut out = self.stdout();
        let mut err = io::stderr();
        let notes: RefCell<&mut dyn Write> = RefCell::new(&mut err);
        {
            let mut sink = self.presenter(&mut out, &notes, true);
            sink.begin(&columns.iter().map(|c| c.to_string()).collect::<Vec<_>>())?;
            for row in rows {
                sink.row(&row)?;
            }
            sink.end()?;
        }
        out.flush()
    }
}

/// What a result showed.
#[derive(Debug, Default, Clone, Copy)]
struct Shown {
    rows: u64,
    hidden: u64,
    cut: bool,
    lines: bool,
}

/// Presents results: passes each to the format's sink, caps the rows shown, and writes
/// the footer (row counts, timings, what was shortened) under each result.
pub struct Presenter<'a, 'n> {
    inner: Box<dyn RowSink + 'a>,
    notes: &'a RefCell<&'n mut dyn Write>,
    console: &'a Console,
    /// Rows to show; 0 shows all.
    cap: usize,
    shown: Shown,
    /// Result sets finished.
    results: usize,
    /// When the current statement started (or the previous result ended).
    mark: Instant,
}

impl Presenter<'_, '_> {
    /// Result sets finished so far.
    pub fn results(&self) -> usize {
        self.results
    }

    /// When the last result ended (or the presenter was made).
    pub fn mark(&self) -> Instant {
        self.mark
    }
}

impl RowSink for Presenter<'_, '_> {
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        self.shown = Shown::default();
        self.inner.begin(columns)
    }

    fn row(&mut self, values: &[Value]) -> io::Result<()> {
        if self.cap == 0 || self.shown.rows < self.cap as u64 {
            self.shown.rows += 1;
            self.inner.row(values)
        } else {
            // Still counted, so the footer can say how many were hidden.
            self.shown.hidden += 1;
            Ok(())
        }
    }

    fn end(&mut self) -> io::Result<()> {
        // The time to produce the rows, not to draw them.
        let elapsed = self.mark.elapsed();
        self.inner.end()?;
        self.shown.cut = self.inner.truncated();
        self.shown.lines = self.inner.switched_to_lines();
        if let Some(text) = self.console.footer_text(&self.shown, elapsed) {
            let mut notes = self.notes.borrow_mut();
            writeln!(notes, "{}", self.console.footer_line(&text))?;
            notes.flush()?;
        }
        self.results += 1;
        self.mark = Instant::now();
        Ok(())
    }

    fn truncated(&self) -> bool {
        self.shown.cut
    }

    fn hint(&mut self, hint: &ChartHint) {
        self.inner.hint(hint);
    }

    fn finish(&mut self) -> io::Result<()> {
        self.inner.finish()
    }

    fn footer(&mut self, title: &str, items: &[String]) -> io::Result<()> {
        self.inner.footer(title, items)
    }

    fn context(&mut self, context: &Context) {
        self.inner.context(context);
    }

    fn footer_first(&self) -> bool {
        self.inner.footer_first()
    }
}

/// Writes through a shared `RefCell`, so results and their footers can go to the same
/// writer (the screen) from two places.
pub struct Shared<'r, 'w>(pub &'r RefCell<&'w mut dyn Write>);

impl Write for Shared<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.borrow_mut().flush()
    }
}

/// The width rule: the terminal's width (stdout's), else `COLUMNS`, else none.
pub fn screen_width() -> Option<usize> {
    if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size() {
        return Some(usize::from(w));
    }
    std::env::var("COLUMNS")
        .ok()?
        .trim()
        .parse()
        .ok()
        .filter(|&w: &usize| w > 0)
}

/// NO_COLOR (https://no-color.org): set and not empty.
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn console(mode: Mode) -> Console {
        Console::with_terminal(mode, &Choices::default(), false, || None)
    }

    #[test]
    fn defaults_follow_who_is_at_the_other_end() {
        let person =
            Console::with_terminal(Mode::Interactive, &Choices::default(), true, || Some(80));
        assert_eq!(person.format, Format::Table);
        assert!(person.footer);
        assert_eq!(person.max_rows, 1000);
        assert_eq!(person.width(), Some(80));
        let program = console(Mode::Command);
        assert_eq!(program.format, Format::Csv);
        assert!(!program.footer);
        assert_eq!(program.max_rows, 0);
        let chosen = Console::with_terminal(
            Mode::Piped,
            &Choices {
                format: Some(Format::Json),
                no_header: true,
                null: Some("-".into()),
                quiet: true,
                output: None,
            },
            false,
            || None,
        );
        assert_eq!(chosen.format, Format::Json);
        assert!(!chosen.options.headers);
        assert_eq!(chosen.options.null_text, "-");
        assert_eq!(chosen.note("x"), None);
    }

    #[test]
    fn notes_and_errors_have_one_prefix_convention() {
        let piped = console(Mode::Piped);
        assert_eq!(piped.note("a\nb").as_deref(), Some("peel: note: a b"));
        assert_eq!(piped.error("line 2: x"), "peel: error: line 2: x");
        let person = console(Mode::Interactive);
        assert_eq!(person.note("a").as_deref(), Some("note: a"));
        assert_eq!(person.error("x"), "error: x");
        assert_eq!(piped.say("imported a.csv"), "peel: imported a.csv");
        assert_eq!(person.say("imported a.csv"), "imported a.csv");
        let quiet = Console {
            quiet: true,
            ..piped
        };
        assert_eq!(quiet.say("imported\na.csv"), "peel: imported a.csv");
    }

    #[test]
    fn footers_count_rows_and_say_what_is_hidden_or_shortened() {
        let person = console(Mode::Interactive);
        let t = Duration::from_millis(12);
        let shown = |rows, hidden, cut, lines| Shown {
            rows,
            hidden,
            cut,
            lines,
        };
        assert_eq!(
            person.footer_text(&shown(1, 0, false, false), t).as_deref(),
            Some("1 row")
        );
        assert_eq!(
            person
                .footer_text(&shown(1000, 4000, false, false), t)
                .as_deref(),
            Some("5000 rows; 4000 not shown (.maxrows 1000 shows more, 0 all)")
        );
        let timed = Console {
            timer: true,
            ..person.clone()
        };
        assert_eq!(
            timed.footer_text(&shown(3, 0, true, false), t).as_deref(),
            Some(
                "3 rows in 0.012 s; long text was shortened to fit the screen (…); .mode line shows every value whole"
            )
        );
        let program = console(Mode::Command);
        assert_eq!(program.footer_text(&shown(3, 0, false, false), t), None);
        assert_eq!(
            program.footer_text(&shown(3, 0, false, true), t).as_deref(),
            Some("too wide for the screen: shown one field per line (-F line does so always)")
        );
        let timed = Console {
            timer: true,
            ..program.clone()
        };
        // A time is a note on stderr, never a line of the data.
        assert_eq!(
            timed.footer_line(&timed.footer_text(&shown(3, 0, false, false), t).unwrap()),
            "peel: note: time 0.012 s"
        );
    }

    #[test]
    fn a_presenter_caps_rows_and_writes_its_footer_to_the_notes() {
        let person = Console {
            max_rows: 2,
            ..console(Mode::Interactive)
        };
        let mut data = Vec::new();
        let mut note_buf = Vec::new();
        {
            let notes: RefCell<&mut dyn Write> = RefCell::new(&mut note_buf);
            let mut p = Console {
                format: Format::Csv,
                ..person
            };
            p.timer = false;
            let mut sink = p.presenter(&mut data, &notes, true);
            sink.begin(&["a".into()]).unwrap();
            for i in 0..5 {
                sink.row(&[Value::Integer(i)]).unwrap();
            }
            sink.end().unwrap();
            assert_eq!(sink.results(), 1);
        }
        assert_eq!(String::from_utf8(data).unwrap(), "a\n0\n1\n");
        assert_eq!(
            String::from_utf8(note_buf).unwrap(),
            "5 rows; 3 not shown (.maxrows 2 shows more, 0 all)\n"
        );
    }
}
