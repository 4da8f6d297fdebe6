//! Dot-commands: the table of every command with its help text, and parsing one line into
//! a [`DotCommand`]. Pure: nothing here touches the database, a file or the terminal, so
//! every command is tested without them.
//!
//! Words are split as sqlite3 splits them: on whitespace, with `'...'` or `"..."` quoting
//! a word that holds spaces (a doubled quote inside stands for one).

use std::path::PathBuf;

use clap::ValueEnum;

use crate::import::file::{Kind, Options as ImportOptions};
use crate::output::Format;
use crate::value::Value;

/// One dot-command's name and help.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// The name without its dot.
    pub name: &'static str,
    /// How it is called, for `.help` and usage errors.
    pub usage: &'static str,
    /// One line for `.help`.
    pub summary: &'static str,
    /// More for `.help NAME`.
    pub details: &'static str,
}

/// Every dot-command, in the order `.help` lists them.
pub const COMMANDS: &[Spec] = &[
    Spec {
        name: "help",
        usage: ".help [COMMAND]",
        summary: "List the commands, or explain one",
        details: "Without an argument, one line per command. `.help mode` (or `.help .mode`) explains one command.",
    },
    Spec {
        name: "tables",
        usage: ".tables [PATTERN]",
        summary: "List tables and views (start with the v_ views)",
        details: "PATTERN is a LIKE pattern: `.tables v_%` lists the views. v_judgments and v_metric_values answer most questions.",
    },
    Spec {
        name: "schema",
        usage: ".schema [PATTERN]",
        summary: "Show the CREATE statements of tables and views",
        details: "Without PATTERN, the whole schema. PATTERN is a table or view name, or a LIKE pattern; a table's indexes and triggers come with it.",
    },
    Spec {
        name: "mode",
        usage: ".mode FORMAT",
        summary: "Output format: {formats}",
        details: "The formats of --format. Tables are fitted to the terminal; `line` shows one field per line, every value whole, for rows too wide for a table; `chart` draws bars of a label and a number.",
    },
    Spec {
        name: "headers",
        usage: ".headers on|off",
        summary: "Show or hide the header row",
        details: "Applies to table, csv, tsv and markdown output.",
    },
    Spec {
        name: "nullvalue",
        usage: ".nullvalue [TEXT]",
        summary: "Text shown for NULL (none: back to the default)",
        details: "By default tables and line output show NULL, and csv and tsv an empty field. JSON always shows null.",
    },
    Spec {
        name: "output",
        usage: ".output [FILE]",
        summary: "Send results to FILE (none: back to the screen)",
        details: "The file is replaced. Row counts and timings still go to the screen, so the file holds only results (and the output of .schema, .tables and the like).",
    },
    Spec {
        name: "once",
        usage: ".once FILE",
        summary: "Send the next result only to FILE",
        details: "Like .output, for the next statement or command only. `.mode csv` then `.once out.csv` gives a spreadsheet-ready file.",
    },
    Spec {
        name: "excel",
        usage: ".excel",
        summary: "Open the next result in a spreadsheet",
        details: "The next result is written as CSV to a new file in the temporary folder, which the system's opener then opens (xdg-open, open, or start; the PEEL_OPENER environment variable names another program, and an empty one opens nothing). Where nothing opens it, the shell says where the file is.",
    },
    Spec {
        name: "read",
        usage: ".read FILE",
        summary: "Run the statements and commands in FILE",
        details: "The file may hold SQL and dot-commands. It stops at its first error (unless peel was started with --keep-going).",
    },
    Spec {
        name: "open",
        usage: ".open [--new] FILE",
        summary: "Close this database and open FILE",
        details: "FILE is opened as --db opens it: a missing file, a file that is not a peel database, or one made by a newer peel is refused, and the database open now stays open. `.open --new FILE` first builds FILE from the embedded seed, as `peel init` does (FILE must not exist yet). Under --readonly the new database is read-only too. Not while a transaction is open: COMMIT or ROLLBACK first.",
    },
    Spec {
        name: "dump",
        usage: ".dump [TABLE]",
        summary: "The database, or one table, as SQL that rebuilds it",
        details: "As sqlite3's .dump writes it: PRAGMA foreign_keys=OFF, one transaction, each table's CREATE statement and its rows as INSERT statements, then indexes, triggers and views. TABLE is a name or a LIKE pattern; a table's indexes and triggers come with it. The whole database ends with its schema version, so `sqlite3 copy.db < dump.sql` makes a file peel opens. Goes where results go: `.once dump.sql` then `.dump`.",
    },
    Spec {
        name: "import",
        usage: ".import [--csv|--grades|--report] [OPTIONS] FILE",
        summary: "Import FILE as `peel import` does, with its checks",
        details: "A .csv file whose header names a grades layout is imported as `peel import grades` would, any other .csv as `peel import csv`, anything else as `peel import report`; --csv, --grades or --report says which. OPTIONS are those of peel import: --replace, --dry-run, --create-metrics, --unit UNIT, --create-items, --trust LEVEL. The file is one transaction: a bad row stops it with the file, line and column, and nothing of it is stored.",
    },
    Spec {
        name: "timer",
        usage: ".timer on|off",
        summary: "Show how long each statement took",
        details: "The time is added to the footer under each result.",
    },
    Spec {
        name: "footer",
        usage: ".footer on|off",
        summary: "Show or hide the row count under each result",
        details: "On by default in the interactive shell, off when statements are piped in. Notes about hidden rows or cut columns are always shown.",
    },
    Spec {
        name: "maxrows",
        usage: ".maxrows N",
        summary: "Show at most N rows of a result on the screen (0: all)",
        details: "The footer says how many rows were hidden. Results sent to a file with .output or .once are never capped. Default 1000 in the interactive shell.",
    },
    Spec {
        name: "param",
        usage: ".param set NAME VALUE | unset NAME | list | clear",
        summary: "Values for :named parameters in statements",
        details: "`.param set :force 'Avon and Somerset'` then `SELECT * FROM v_judgments WHERE area_name = :force;`. The value is bound, never pasted into the SQL. Unquoted numbers are numbers, NULL is NULL, anything else is text; quote text that holds spaces. A NAME without a sigil gets `:`.",
    },
    Spec {
        name: "show",
        usage: ".show",
        summary: "Show the current settings",
        details: "Mode, headers, null text, output, timer, footer, row cap and parameters.",
    },
    Spec {
        name: "queries",
        usage: ".queries",
        summary: "List the canned and saved queries",
        details: "Queries that come with peel and the ones saved with .save.",
    },
    Spec {
        name: "run",
        usage: ".run NAME [ARGS...]",
        summary: "Run a canned or saved query",
        details: "`.queries` lists the names; Tab completes them.",
    },
    Spec {
        name: "save",
        usage: ".save NAME [DESCRIPTION]",
        summary: "Save the last SQL statement run as a query",
        details: "The statement can then be run again with `.run NAME`.",
    },
    Spec {
        name: "quit",
        usage: ".quit",
        summary: "Leave the shell (also Ctrl-D)",
        details: "Same as .exit.",
    },
    Spec {
        name: "exit",
        usage: ".exit",
        summary: "Leave the shell (also Ctrl-D)",
        details: "Same as .quit.",
    },
];

impl Spec {
    /// The summary as `.help` shows it, with `{formats}` replaced by every format.
    pub fn summary_text(&self) -> String {
        self.summary
            .replace("{formats}", &format_names().join(", "))
    }
}

/// Looks a command up by its exact name (without the dot).
pub fn spec(name: &str) -> Option<&'static Spec> {
    COMMANDS.iter().find(|s| s.name == name)
}

/// What `.param` does.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamCommand {
    /// Bind a value to a name (the name keeps its sigil, e.g. `:force`).
    Set(String, Value),
    /// Forget one name.
    Unset(String),
    /// Print every name and value.
    List,
    /// Forget every name.
    Clear,
}

/// One parsed dot-command.
#[derive(Debug, Clone, PartialEq)]
pub enum DotCommand {
    /// `.help [COMMAND]`
    Help(Option<String>),
    /// `.tables [PATTERN]`
    Tables(Option<String>),
    /// `.schema [PATTERN]`
    Schema(Option<String>),
    /// `.mode FORMAT`
    Mode(Format),
    /// `.headers on|off`
    Headers(bool),
    /// `.nullvalue [TEXT]`: `None` restores the default.
    NullValue(Option<String>),
    /// `.output [FILE]`: `None` goes back to the screen.
    Output(Option<PathBuf>),
    /// `.once FILE`
    Once(PathBuf),
    /// `.excel`
    Excel,
    /// `.read FILE`
    Read(PathBuf),
    /// `.open [--new] FILE`
    Open {
        /// The database file.
        path: PathBuf,
        /// Build it first from the seed (`--new`).
        new: bool,
    },
    /// `.dump [TABLE]`
    Dump(Option<String>),
    /// `.import [--csv|--grades|--report] [OPTIONS] FILE`
    Import {
        /// The file.
        path: PathBuf,
        /// The importer asked for; `None` tells it from the file.
        kind: Option<Kind>,
        /// The options of `peel import`.
        options: ImportOptions,
    },
    /// `.timer on|off`
    Timer(bool),
    /// `.footer on|off`
    Footer(bool),
    /// `.maxrows N` (0 shows every row)
    MaxRows(usize),
    /// `.param ...`
    Param(ParamCommand),
    /// `.show`
    Show,
    /// `.queries`
    Queries,
    /// `.run NAME [ARGS...]`
    Run {
        /// The query's name.
        name: String,
        /// Its arguments, as typed (quotes removed).
        args: Vec<String>,
    },
    /// `.save NAME [DESCRIPTION]`
    Save {
        /// The name to save under.
        name: String,
        /// The rest of the line.
        description: Option<String>,
    },
    /// `.quit` or `.exit`
    Quit,
}

/// Why a dot-command line could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// No such command.
    #[error("unknown command .{}{}; .help lists the commands", printable(.name), .suggestion.as_ref().map(|s| format!(" (did you mean .{s}?)")).unwrap_or_default())]
    Unknown {
        /// What was typed, without the dot.
        name: String,
        /// The nearest command, when one is near.
        suggestion: Option<&'static str>,
    },
    /// A prefix of several commands.
    #[error(".{} could be {candidates}; type more of the name", printable(.name))]
    Ambiguous {
        /// What was typed, without the dot.
        name: String,
        /// The commands it could be, with their dots.
        candidates: String,
    },
    /// The arguments do not fit the command.
    #[error("{message} (usage: {usage})")]
    Usage {
        /// What is wrong.
        message: String,
        /// How the command is called.
        usage: &'static str,
    },
    /// A quote was opened and never closed.
    #[error("unterminated {0} quote")]
    Unterminated(char),
}

/// A name as typed, with control characters escaped: a quoted word may hold a line
/// break, and an error must stay on one line.
fn printable(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// One word of a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    text: String,
    /// Quoted words are always text (`.param set :n '5'` binds the text "5").
    quoted: bool,
}

/// Splits a line into words: whitespace separates, quotes group, a doubled quote inside
/// quotes stands for one.
fn words(line: &str) -> Result<Vec<Word>, CommandError> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else {
            return Ok(out);
        };
        let mut text = String::new();
        if first == '\'' || first == '"' {
            chars.next();
            loop {
                match chars.next() {
                    None => return Err(CommandError::Unterminated(first)),
                    Some(c) if c == first => {
                        if chars.next_if_eq(&first).is_some() {
                            text.push(first);
                        } else {
                            break;
                        }
                    }
                    Some(c) => text.push(c),
                }
            }
            out.push(Word { text, quoted: true });
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                text.push(c);
            }
            out.push(Word {
                text,
                quoted: false,
            });
        }
    }
}

/// The command a name refers to: the exact name, an alias, or an unambiguous prefix of
/// at least two letters (sqlite3 users type `.hea on`, `.tab`).
fn resolve(name: &str) -> Result<&'static Spec, CommandError> {
    let lower = name.to_ascii_lowercase();
    let canonical = match lower.as_str() {
        "parameter" => "param",
        other => other,
    };
    if let Some(s) = spec(canonical) {
        return Ok(s);
    }
    if canonical.len() >= 2 {
        let matches: Vec<&'static Spec> = COMMANDS
            .iter()
            .filter(|s| s.name.starts_with(canonical))
            .collect();
        match matches.as_slice() {
            [only] => return Ok(only),
            [_, _, ..] => {
                return Err(CommandError::Ambiguous {
                    name: name.to_string(),
                    candidates: matches
                        .iter()
                        .map(|s| format!(".{}", s.name))
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
            [] => {}
        }
    }
    Err(CommandError::Unknown {
        name: name.to_string(),
        suggestion: nearest(canonical),
    })
}

/// The command nearest to a mistyped name, if any is near enough to be a likely typo.
pub fn nearest(name: &str) -> Option<&'static str> {
    COMMANDS
        .iter()
        .map(|s| (strsim::damerau_levenshtein(name, s.name), s.name))
        .filter(|&(d, n)| d <= 2 && d < n.len())
        .min_by_key(|&(d, _)| d)
        .map(|(_, n)| n)
}

fn usage(spec: &'static Spec, message: impl Into<String>) -> CommandError {
    CommandError::Usage {
        message: message.into(),
        usage: spec.usage,
    }
}

/// sqlite3's booleans.
fn boolean(spec: &'static Spec, args: &[Word]) -> Result<bool, CommandError> {
    match args {
        [w] => match w.text.to_ascii_lowercase().as_str() {
            "on" | "yes" | "true" | "1" => Ok(true),
            "off" | "no" | "false" | "0" => Ok(false),
            other => Err(usage(spec, format!("expected on or off, not {other:?}"))),
        },
        [] => Err(usage(spec, "expected on or off")),
        _ => Err(usage(spec, "too many arguments")),
    }
}

fn optional_one(spec: &'static Spec, args: &[Word]) -> Result<Option<String>, CommandError> {
    match args {
        [] => Ok(None),
        [w] => Ok(Some(w.text.clone())),
        _ => Err(usage(spec, "too many arguments (quote a name with spaces)")),
    }
}

fn one(spec: &'static Spec, args: &[Word], what: &str) -> Result<String, CommandError> {
    match optional_one(spec, args)? {
        Some(s) => Ok(s),
        None => Err(usage(spec, format!("expected {what}"))),
    }
}

fn none(spec: &'static Spec, args: &[Word]) -> Result<(), CommandError> {
    if args.is_empty() {
        Ok(())
    } else {
        Err(usage(spec, "takes no arguments"))
    }
}

/// A parameter name with its sigil: `force` becomes `:force`; `:x`, `@x` and `$x` stay.
pub fn parameter_name(raw: &str) -> Option<String> {
    let name = if raw.starts_with([':', '@', '$']) {
        raw.to_string()
    } else {
        format!(":{raw}")
    };
    let body = &name[1..];
    let valid = !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$');
    valid.then_some(name)
}

/// A value as typed: unquoted numbers are numbers and NULL is NULL; anything else, and
/// anything quoted, is text.
fn parameter_value(word: &Word) -> Value {
    if word.quoted {
        return Value::Text(word.text.clone());
    }
    let t = word.text.as_str();
    if t.eq_ignore_ascii_case("null") {
        Value::Null
    } else if let Ok(i) = t.parse::<i64>() {
        Value::Integer(i)
    } else if let Some(f) = t
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite() && t.chars().any(|c| c.is_ascii_digit()))
    {
        Value::Real(f)
    } else {
        Value::Text(t.to_string())
    }
}

fn param(spec: &'static Spec, args: &[Word]) -> Result<ParamCommand, CommandError> {
    let name = |w: &Word| {
        parameter_name(&w.text).ok_or_else(|| {
            usage(
                spec,
                format!(
                    "{:?} is not a parameter name (letters, digits and _ after the sigil)",
                    w.text
                ),
            )
        })
    };
    let Some((sub, rest)) = args.split_first() else {
        return Err(usage(spec, "expected set, unset, list or clear"));
    };
    match (sub.text.to_ascii_lowercase().as_str(), rest) {
        ("set", [n, v]) => Ok(ParamCommand::Set(name(n)?, parameter_value(v))),
        ("set", [_]) | ("set", []) => Err(usage(spec, "expected a name and a value")),
        ("set", [_, ..]) => Err(usage(
            spec,
            "too many words for one value; quote text that holds spaces: 'Avon and Somerset'",
        )),
        ("unset", [n]) => Ok(ParamCommand::Unset(name(n)?)),
        ("unset", _) => Err(usage(spec, "expected one name")),
        ("list", []) => Ok(ParamCommand::List),
        ("clear", []) => Ok(ParamCommand::Clear),
        ("list" | "clear", _) => Err(usage(spec, "takes no more arguments")),
        (other, _) => Err(usage(
            spec,
            format!("unknown action {other:?}; expected set, unset, list or clear"),
        )),
    }
}

/// An unquoted word starting with `--`: an option. Quoted, it is a name (`'--odd.csv'`).
fn is_option(word: &Word) -> bool {
    !word.quoted && word.text.starts_with("--")
}

/// `.open [--new] FILE`.
fn open(spec: &'static Spec, args: &[Word]) -> Result<DotCommand, CommandError> {
    let mut new = false;
    let mut files = Vec::new();
    for w in args {
        match w.text.as_str() {
            "--new" if is_option(w) => new = true,
            _ if is_option(w) => {
                return Err(usage(
                    spec,
                    format!("unknown option {}", printable(&w.text)),
                ));
            }
            _ => files.push(w.text.clone()),
        }
    }
    match files.as_slice() {
        [path] => Ok(DotCommand::Open {
            path: PathBuf::from(path),
            new,
        }),
        [] => Err(usage(spec, "expected a file name")),
        _ => Err(usage(spec, "too many arguments (quote a name with spaces)")),
    }
}

/// `.import [--csv|--grades|--report] [OPTIONS] FILE`, with the options of `peel import`
/// (`--unit count` or `--unit=count`).
fn import(spec: &'static Spec, args: &[Word]) -> Result<DotCommand, CommandError> {
    let mut kind = None;
    let mut options = ImportOptions::default();
    let mut files = Vec::new();
    let mut words = args.iter();
    while let Some(w) = words.next() {
        if !is_option(w) {
            files.push(w.text.clone());
            continue;
        }
        let (flag, inline) = match w.text.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_string())),
            None => (w.text.as_str(), None),
        };
        let mut value = |what: &str| -> Result<String, CommandError> {
            match inline
                .clone()
                .or_else(|| words.next().map(|v| v.text.clone()))
            {
                Some(v) => Ok(v),
                None => Err(usage(spec, format!("{flag} needs {what}"))),
            }
        };
        let chosen = match flag {
            "--csv" => Some(Kind::Csv),
            "--grades" => Some(Kind::Grades),
            "--report" => Some(Kind::Report),
            "--replace" => {
                options.replace = true;
                None
            }
            "--dry-run" => {
                options.dry_run = true;
                None
            }
            "--create-metrics" => {
                options.create_metrics = true;
                None
            }
            "--create-items" => {
                options.create_items = true;
                None
            }
            "--unit" => {
                options.unit = Some(value("a unit")?);
                None
            }
            "--trust" => {
                options.trust = value("a trust level")?;
                None
            }
            other => {
                return Err(usage(spec, format!("unknown option {}", printable(other))));
            }
        };
        if let Some(k) = chosen {
            if kind.is_some_and(|earlier| earlier != k) {
                return Err(usage(spec, "one of --csv, --grades and --report"));
            }
            kind = Some(k);
        }
    }
    match files.as_slice() {
        [path] => Ok(DotCommand::Import {
            path: PathBuf::from(path),
            kind,
            options,
        }),
        [] => Err(usage(spec, "expected a file name")),
        [_, _, ..] => Err(usage(
            spec,
            "one file at a time; peel's importers choose the tables (there is no TABLE argument as in sqlite3)",
        )),
    }
}

/// Parses one dot-command line (starting with `.`; leading whitespace allowed).
pub fn parse(line: &str) -> Result<DotCommand, CommandError> {
    let line = line.trim();
    let body = line.strip_prefix('.').unwrap_or(line);
    let all = words(body)?;
    let Some((head, args)) = all.split_first() else {
        return Err(CommandError::Unknown {
            name: String::new(),
            suggestion: None,
        });
    };
    let spec = resolve(&head.text)?;
    let text = |i: usize| args.get(i).map(|w| w.text.clone());
    Ok(match spec.name {
        "help" => DotCommand::Help(
            optional_one(spec, args)?.map(|s| s.trim_start_matches('.').to_string()),
        ),
        "tables" => DotCommand::Tables(optional_one(spec, args)?),
        "schema" => DotCommand::Schema(optional_one(spec, args)?),
        "mode" => {
            let name = one(spec, args, "a format")?;
            let format = Format::from_str(&name, true).map_err(|_| {
                usage(
                    spec,
                    format!(
                        "unknown format {name:?}; one of {}",
                        format_names().join(", ")
                    ),
                )
            })?;
            DotCommand::Mode(format)
        }
        "headers" => DotCommand::Headers(boolean(spec, args)?),
        "nullvalue" => DotCommand::NullValue(optional_one(spec, args)?),
        "output" => DotCommand::Output(optional_one(spec, args)?.map(PathBuf::from)),
        "once" => DotCommand::Once(PathBuf::from(one(spec, args, "a file name")?)),
        "excel" => {
            none(spec, args)?;
            DotCommand::Excel
        }
        "read" => DotCommand::Read(PathBuf::from(one(spec, args, "a file name")?)),
        "open" => open(spec, args)?,
        "dump" => match args {
            [w] if is_option(w) => {
                return Err(usage(
                    spec,
                    format!("unknown option {}", printable(&w.text)),
                ));
            }
            _ => DotCommand::Dump(optional_one(spec, args)?),
        },
        "import" => import(spec, args)?,
        "timer" => DotCommand::Timer(boolean(spec, args)?),
        "footer" => DotCommand::Footer(boolean(spec, args)?),
        "maxrows" => {
            let n = one(spec, args, "a number of rows")?;
            DotCommand::MaxRows(
                n.parse().map_err(|_| {
                    usage(spec, format!("{n:?} is not a number of rows (0 for all)"))
                })?,
            )
        }
        "param" => DotCommand::Param(param(spec, args)?),
        "show" => {
            none(spec, args)?;
            DotCommand::Show
        }
        "queries" => {
            none(spec, args)?;
            DotCommand::Queries
        }
        "run" => DotCommand::Run {
            name: text(0).ok_or_else(|| usage(spec, "expected a query name"))?,
            args: args.iter().skip(1).map(|w| w.text.clone()).collect(),
        },
        "save" => {
            let name = text(0).ok_or_else(|| usage(spec, "expected a name"))?;
            let rest: Vec<&str> = args.iter().skip(1).map(|w| w.text.as_str()).collect();
            DotCommand::Save {
                name,
                description: (!rest.is_empty()).then(|| rest.join(" ")),
            }
        }
        "quit" | "exit" => {
            none(spec, args)?;
            DotCommand::Quit
        }
        // Every name in COMMANDS has an arm above; the unit tests parse each one.
        other => {
            return Err(CommandError::Unknown {
                name: other.to_string(),
                suggestion: None,
            });
        }
    })
}

/// The names `.mode` accepts, in `--format` order.
pub fn format_names() -> Vec<String> {
    Format::value_variants()
        .iter()
        .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
        .collect()
}

/// `.help` without an argument: one line per command, usages aligned.
pub fn help_overview() -> String {
    let width = COMMANDS.iter().map(|s| s.usage.len()).max().unwrap_or(0);
    let mut out = String::new();
    for s in COMMANDS {
        out.push_str(&format!("{:width$}  {}\n", s.usage, s.summary_text()));
    }
    out.push_str(
        "\nSQL statements run when complete (end them with `;`). Tab completes names; \
         Ctrl-C cancels a line or a running query; Ctrl-D leaves.\n",
    );
    out
}

/// `.help NAME`: usage, summary and details of one command.
pub fn help_for(name: &str) -> Result<String, CommandError> {
    let s = resolve(name.trim_start_matches('.'))?;
    Ok(format!(
        "{}\n  {}.\n  {}\n",
        s.usage,
        s.summary_text(),
        s.details
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(line: &str) -> DotCommand {
        parse(line).unwrap_or_else(|e| panic!("{line}: {e}"))
    }

    fn err(line: &str) -> String {
        parse(line).unwrap_err().to_string()
    }

    #[test]
    fn every_command_parses() {
        let cases: &[(&str, DotCommand)] = &[
            (".help", DotCommand::Help(None)),
            (".help .mode", DotCommand::Help(Some("mode".into()))),
            (".tables", DotCommand::Tables(None)),
            (".tables v_%", DotCommand::Tables(Some("v_%".into()))),
            (".schema areas", DotCommand::Schema(Some("areas".into()))),
            (".mode line", DotCommand::Mode(Format::Line)),
            (".mode CSV", DotCommand::Mode(Format::Csv)),
            (".headers off", DotCommand::Headers(false)),
            (".headers ON", DotCommand::Headers(true)),
            (".nullvalue", DotCommand::NullValue(None)),
            (
                ".nullvalue '(none)'",
                DotCommand::NullValue(Some("(none)".into())),
            ),
            (".output", DotCommand::Output(None)),
            (
                ".output 'my results.csv'",
                DotCommand::Output(Some("my results.csv".into())),
            ),
            (".once out.csv", DotCommand::Once("out.csv".into())),
            (".read a.sql", DotCommand::Read("a.sql".into())),
            (".timer on", DotCommand::Timer(true)),
            (".footer 0", DotCommand::Footer(false)),
            (".maxrows 20", DotCommand::MaxRows(20)),
            (".param list", DotCommand::Param(ParamCommand::List)),
            (".param clear", DotCommand::Param(ParamCommand::Clear)),
            (
                ".param unset force",
                DotCommand::Param(ParamCommand::Unset(":force".into())),
            ),
            (".show", DotCommand::Show),
            (".queries", DotCommand::Queries),
            (
                ".run worst-graded 2016 'Avon and Somerset'",
                DotCommand::Run {
                    name: "worst-graded".into(),
                    args: vec!["2016".into(), "Avon and Somerset".into()],
                },
            ),
            (
                ".run mine",
                DotCommand::Run {
                    name: "mine".into(),
                    args: vec![],
                },
            ),
            (
                ".save kent-grades Kent's grades by year",
                DotCommand::Save {
                    name: "kent-grades".into(),
                    description: Some("Kent's grades by year".into()),
                },
            ),
            (
                ".save x",
                DotCommand::Save {
                    name: "x".into(),
                    description: None,
                },
            ),
            (".quit", DotCommand::Quit),
            ("  .exit  ", DotCommand::Quit),
            (".excel", DotCommand::Excel),
            (
                ".open other.db",
                DotCommand::Open {
                    path: "other.db".into(),
                    new: false,
                },
            ),
            (
                ".open --new 'my copy.db'",
                DotCommand::Open {
                    path: "my copy.db".into(),
                    new: true,
                },
            ),
            // Quoted, a name that looks like an option is a name.
            (
                ".open '--new'",
                DotCommand::Open {
                    path: "--new".into(),
                    new: false,
                },
            ),
            (".dump", DotCommand::Dump(None)),
            (".dump areas", DotCommand::Dump(Some("areas".into()))),
            (
                ".import figures.csv",
                DotCommand::Import {
                    path: "figures.csv".into(),
                    kind: None,
                    options: ImportOptions::default(),
                },
            ),
            (
                ".import --grades --replace --trust high --dry-run g.txt",
                DotCommand::Import {
                    path: "g.txt".into(),
                    kind: Some(Kind::Grades),
                    options: ImportOptions {
                        replace: true,
                        dry_run: true,
                        trust: "high".into(),
                        ..ImportOptions::default()
                    },
                },
            ),
            (
                ".import --create-metrics --unit 'per 1,000 population' --csv stops.csv",
                DotCommand::Import {
                    path: "stops.csv".into(),
                    kind: Some(Kind::Csv),
                    options: ImportOptions {
                        create_metrics: true,
                        unit: Some("per 1,000 population".into()),
                        ..ImportOptions::default()
                    },
                },
            ),
            (
                ".import --unit=count --trust=low '--odd name.csv'",
                DotCommand::Import {
                    path: "--odd name.csv".into(),
                    kind: None,
                    options: ImportOptions {
                        unit: Some("count".into()),
                        trust: "low".into(),
                        ..ImportOptions::default()
                    },
                },
            ),
            (
                ".import --report --report --create-items r.txt",
                DotCommand::Import {
                    path: "r.txt".into(),
                    kind: Some(Kind::Report),
                    options: ImportOptions {
                        create_items: true,
                        ..ImportOptions::default()
                    },
                },
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(&ok(line), expected, "{line}");
        }
        // The table and the parser agree: every listed command has a parse arm, and a
        // case above.
        for s in COMMANDS {
            let e = parse(&format!(".{}", s.name));
            assert!(
                !matches!(e, Err(CommandError::Unknown { .. })),
                ".{}: {e:?}",
                s.name
            );
            assert!(
                cases.iter().any(|(line, _)| {
                    let head = line.split_whitespace().next().unwrap_or_default();
                    head == format!(".{}", s.name)
                }),
                ".{} has no case above",
                s.name
            );
        }
    }

    #[test]
    fn parameter_values_are_typed_unless_quoted() {
        let set = |line: &str| match ok(line) {
            DotCommand::Param(ParamCommand::Set(n, v)) => (n, v),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            set(".param set force Kent"),
            (":force".into(), Value::Text("Kent".into()))
        );
        assert_eq!(
            set(".param set :year 2016"),
            (":year".into(), Value::Integer(2016))
        );
        assert_eq!(set(".param set @r 0.25").1, Value::Real(0.25));
        assert_eq!(set(".param set $n null").1, Value::Null);
        assert_eq!(set(".param set :y '2016'").1, Value::Text("2016".into()));
        assert_eq!(
            set(".param set :f \"Avon and Somerset\"").1,
            Value::Text("Avon and Somerset".into())
        );
        assert_eq!(set(".param set :q 'it''s'").1, Value::Text("it's".into()));
        assert_eq!(set(".param set :w inf").1, Value::Text("inf".into()));
        assert_eq!(set(".parameter set :a 1").0, ":a");
    }

    #[test]
    fn mistakes_say_what_is_wrong_and_how_to_call() {
        assert_eq!(
            err(".tabels"),
            "unknown command .tabels (did you mean .tables?); .help lists the commands"
        );
        assert_eq!(
            err(".nosuchthing"),
            "unknown command .nosuchthing; .help lists the commands"
        );
        assert!(err(".mode xml").contains("unknown format \"xml\"; one of table, csv"));
        assert!(err(".mode xml").ends_with("(usage: .mode FORMAT)"));
        assert!(err(".headers maybe").contains("expected on or off"));
        assert!(err(".maxrows lots").contains("not a number of rows"));
        assert!(err(".param set :f Avon and Somerset").contains("quote text that holds spaces"));
        assert!(err(".param set :1-2 x").contains("not a parameter name"));
        assert!(err(".param frob").contains("unknown action"));
        assert!(err(".once").contains("expected a file name"));
        assert!(err(".run").contains("expected a query name"));
        assert!(err(".quit now").contains("takes no arguments"));
        assert_eq!(
            err(".open"),
            "expected a file name (usage: .open [--new] FILE)"
        );
        assert!(err(".open --old a.db").starts_with("unknown option --old (usage"));
        assert!(err(".open a.db b.db").contains("too many arguments"));
        assert!(err(".dump --data-only").starts_with("unknown option --data-only"));
        assert!(err(".dump a b").contains("too many arguments"));
        assert!(err(".excel now").contains("takes no arguments"));
        assert!(err(".import").contains("expected a file name"));
        assert!(err(".import data.csv mytable").contains("there is no TABLE argument"));
        assert!(
            err(".import --csv --grades x.csv").contains("one of --csv, --grades and --report")
        );
        assert!(err(".import --unit").starts_with("--unit needs a unit (usage: .import"));
        assert!(err(".import --frob x.csv").starts_with("unknown option --frob"));
        assert_eq!(err(".output 'oops"), "unterminated ' quote");
        assert!(err(".").starts_with("unknown command"));
    }

    #[test]
    fn unambiguous_prefixes_are_accepted_like_sqlite3() {
        assert_eq!(ok(".hea on"), DotCommand::Headers(true));
        assert_eq!(ok(".tab"), DotCommand::Tables(None));
        assert_eq!(
            err(".he on"),
            ".he could be .help, .headers; type more of the name"
        );
        // `.h` could be .help or .headers: too short, so it is not guessed.
        assert!(err(".h").starts_with("unknown command .h"));
        assert_eq!(
            err(".ex"),
            ".ex could be .excel, .exit; type more of the name"
        );
        assert_eq!(ok(".exi"), DotCommand::Quit);
        assert_eq!(ok(".du"), DotCommand::Dump(None));
    }

    #[test]
    fn help_lists_every_command_on_its_own_line() {
        let text = help_overview();
        for s in COMMANDS {
            let lines: Vec<_> = text.lines().filter(|l| l.starts_with(s.usage)).collect();
            assert_eq!(lines.len(), 1, "{}", s.name);
            assert!(lines[0].contains(&s.summary_text()));
        }
        // Every format is named, in the overview and in `.help mode`, by its name in
        // --format: the list is read from the Format type, so a new one cannot be missed.
        let formats =
            "Output format: table, csv, tsv, json, jsonl, markdown, line, chart, svg, png";
        assert_eq!(
            format_names(),
            [
                "table", "csv", "tsv", "json", "jsonl", "markdown", "line", "chart", "svg", "png"
            ]
        );
        assert!(text.contains(formats), "{text}");
        assert!(help_for("mode").unwrap().contains(formats));
        assert!(help_for(".mode").unwrap().starts_with(".mode FORMAT\n"));
        assert!(help_for("param").unwrap().contains("bound, never pasted"));
        assert!(help_for("nosuch").is_err());
    }

    /// Lines shaped like dot-commands: a command name, a prefix or a typo of one, then
    /// words, quoted words and odd characters.
    fn command_line() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let name = prop_oneof![
            proptest::sample::select(
                COMMANDS
                    .iter()
                    .map(|s| s.name.to_string())
                    .collect::<Vec<_>>()
            ),
            "[a-z]{0,8}",
            "\"[a-z]{0,3}[\n\r\t\u{1b}][a-z]{0,3}\"",
            any::<String>(),
        ];
        let word = prop_oneof![
            proptest::sample::select(vec![
                "on",
                "off",
                "set",
                "unset",
                "list",
                "clear",
                ":force",
                "@x",
                "$y",
                "NULL",
                "12",
                "-3.5e2",
                "1e999",
                "nan",
                "inf",
                "''",
                "'a''b'",
                "\"x\"\"y\"",
                "'open",
                "\"open",
                "csv",
                "line",
                "table",
            ])
            .prop_map(str::to_string),
            "[ -~]{0,12}",
            any::<String>(),
        ];
        (
            "[ \t]{0,2}",
            proptest::option::of(Just(".")),
            name,
            proptest::collection::vec(word, 0..5),
        )
            .prop_map(|(lead, dot, name, words)| {
                format!("{lead}{}{name} {}", dot.unwrap_or(""), words.join(" "))
            })
    }

    proptest::proptest! {
        #[test]
        fn any_line_parses_or_fails_without_panicking(line in command_line()) {
            match parse(&line) {
                Ok(_) => {}
                // An error is shown on one line, whatever was typed.
                Err(e) => proptest::prop_assert!(
                    !e.to_string().contains(['\n', '\r']),
                    "{:?}",
                    e.to_string()
                ),
            }
        }

        #[test]
        fn help_for_any_name_is_one_line_or_the_help(name in proptest::prelude::any::<String>()) {
            if let Err(e) = help_for(&name) {
                proptest::prop_assert!(!e.to_string().contains(['\n', '\r']), "{:?}", e.to_string());
            }
        }

        #[test]
        fn arbitrary_text_parses_or_fails_without_panicking(line in proptest::prelude::any::<String>()) {
            let _ = parse(&line);
        }

        /// `.param set NAME 'VALUE'` binds exactly VALUE, as text, whatever it holds.
        #[test]
        fn quoted_parameter_values_are_kept_verbatim(
            name in "[a-z_][a-z0-9_]{0,10}",
            value in proptest::prelude::any::<String>(),
        ) {
            let line = format!(".param set {name} '{}'", value.replace('\'', "''"));
            proptest::prop_assert_eq!(
                parse(&line),
                Ok(DotCommand::Param(ParamCommand::Set(format!(":{name}"), Value::Text(value))))
            );
        }
    }
}
