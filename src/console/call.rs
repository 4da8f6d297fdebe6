//! Presenting a canned or saved query's call, the same way from `peel run` and the
//! shell's `.run`: its notes first (what the answer covers, how arguments were read),
//! then its results in a shape programs can read whatever the query:
//! - JSON: one document, `{query, arguments, notes, results: {NAME: [rows], ...}}`;
//! - JSON lines: one object per row, tagged `"_result": NAME` when the query has several
//!   results;
//! - CSV and TSV hold one table: a query with several results needs `--result NAME`, and
//!   is refused before anything is written without it (never two header rows in one
//!   stream);
//! - svg and png draw one picture, so they too need `--result NAME` for such a query;
//!   the picture carries the call's notes, its sources (whether or not `--with-sources`
//!   was given) and the date of the database ([`context`]);
//! - table, markdown, line and chart show every result, one after another.

use std::cell::RefCell;
use std::io::{self, Write};

use rusqlite::Connection;

use super::Console;
use crate::exec::Summary;
use crate::output::provenance::SourcesMode;
use crate::output::{self, ChartHint, Context, Format, RowSink};
use crate::queries::{Call, QueryError};
use crate::value::Value;

/// How a call is presented, beyond the console's settings.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// `--with-sources`: the sources behind each row.
    pub with_sources: bool,
    /// `--result NAME`: only this result of a query with several.
    pub result: Option<String>,
    /// `--explain`: SQLite's plan instead of the rows.
    pub explain: bool,
}

/// Picks the result to show: `None` for all of them. Refuses a name the query does not
/// have, and CSV or TSV of several results without a name.
fn chosen_result(
    console: &Console,
    call: &Call,
    options: &CallOptions,
) -> Result<Option<usize>, QueryError> {
    let names = call.query.result_names();
    let listed = || names.join(", ");
    match &options.result {
        Some(wanted) => match names.iter().position(|n| n == wanted) {
            Some(i) => Ok(Some(i)),
            None => Err(QueryError::Results(format!(
                "{}: no result named {wanted:?}; its results: {}",
                call.query.name,
                listed()
            ))),
        },
        None if names.len() > 1
            && matches!(
                console.format,
                Format::Csv | Format::Tsv | Format::Svg | Format::Png
            ) =>
        {
            let flag = if console.interactive() {
                format!(".run {} ... --result NAME", call.query.name)
            } else {
                format!(
                    "--result NAME (peel run {} ... --result {})",
                    call.query.name, names[0]
                )
            };
            Err(QueryError::Results(format!(
                "{} gives {} results ({}) and {} holds one: choose with {flag}, or use json, which holds them all",
                call.query.name,
                names.len(),
                listed(),
                format_name(console.format)
            )))
        }
        None => Ok(None),
    }
}

fn format_name(format: Format) -> String {
    clap::ValueEnum::to_possible_value(&format)
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}

/// Presents `call`: its notes to `notes`, then its results (or plan) to `data` in the
/// console's format. `to_screen` is false when `data` is a file (`.output`).
pub fn present<'a>(
    console: &'a Console,
    conn: &Connection,
    call: &Call,
    options: &CallOptions,
    data: &'a mut dyn Write,
    notes: &'a RefCell<&mut dyn Write>,
    to_screen: bool,
) -> Result<Summary, QueryError> {
    let pick = chosen_result(console, call, options)?;
    for note in &call.notes {
        console
            .write_note(&mut **notes.borrow_mut(), note)
            .map_err(crate::exec::ExecError::Output)?;
    }
    let names = call.query.result_names();
    if options.explain {
        // The plans keep the promises the rows keep: the result picked, one document.
        let plans: Vec<String> = match pick {
            Some(i) => vec![names[i].clone()],
            None => names.clone(),
        };
        let explain = |sink: &mut dyn RowSink| match pick {
            Some(index) => call.explain(
                conn,
                &mut Pick {
                    inner: sink,
                    index,
                    current: 0,
                },
            ),
            None => call.explain(conn, sink),
        };
        if console.format == Format::Json {
            let inner = output::json_document(data, document_head(call), plans);
            let mut sink = console.presenter_around(inner, notes);
            explain(&mut sink)?;
            sink.finish().map_err(crate::exec::ExecError::Output)?;
        } else {
            let mut sink = console.presenter(data, notes, to_screen);
            explain(&mut sink)?;
        }
        return Ok(Summary::default());
    }
    // A picture always names its sources: it leaves the terminal without the notes.
    let sources = match (options.with_sources, console.format) {
        (_, Format::Svg | Format::Png) => SourcesMode::Footnotes,
        (false, _) => SourcesMode::Hide,
        (true, Format::Table | Format::Markdown | Format::Chart) => SourcesMode::Footnotes,
        (true, _) => SourcesMode::Column,
    };
    let chosen: Vec<String> = match pick {
        Some(i) => vec![names[i].clone()],
        None => names.clone(),
    };
    let summary = if console.format == Format::Json {
        let head = document_head(call);
        let inner = output::json_document(data, head, chosen);
        let mut sink = console.presenter_around(inner, notes);
        let summary = run_picked(conn, call, pick, &mut sink, sources)?;
        sink.finish().map_err(crate::exec::ExecError::Output)?;
        summary
    } else {
        let mut sink = console.presenter(data, notes, to_screen);
        sink.context(&context(conn, call));
        if console.format == Format::Jsonl && chosen.len() > 1 {
            let mut tagged = Tagged {
                inner: &mut sink,
                names: &chosen,
                index: 0,
                columns: Vec::new(),
            };
            run_picked(conn, call, pick, &mut tagged, sources)?
        } else {
            run_picked(conn, call, pick, &mut sink, sources)?
        }
    };
    Ok(summary)
}

/// What a picture of `call` says about itself: a title, the command that reproduces it,
/// the call's notes and the date of the database.
pub fn context(conn: &Connection, call: &Call) -> Context {
    let shown: Vec<&str> = call
        .bindings
        .iter()
        .filter(|b| b.input.is_some() || b.shown != "all")
        .map(|b| b.shown.as_str())
        .collect();
    let mut name = call.query.name.clone();
    if let Some(first) = name.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    let title = if shown.is_empty() {
        name
    } else {
        format!("{name}: {}", shown.join(", "))
    };
    // By position while every argument before was given, then as NAME=VALUE.
    let mut command = format!("peel run {}", call.query.name);
    let mut positional = true;
    for b in &call.bindings {
        match &b.input {
            Some(input) if positional && !input.contains('=') => {
                command.push(' ');
                command.push_str(&shell_word(input));
            }
            Some(input) => {
                command.push(' ');
                command.push_str(&shell_word(&format!("{}={input}", b.name)));
            }
            None => positional = false,
        }
    }
    Context {
        title: Some(title),
        command: Some(command),
        notes: call.notes.clone(),
        database: database_date(conn),
    }
}

/// A word as a POSIX shell needs it: quoted when it holds anything but safe characters.
fn shell_word(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=".contains(c))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// When the database was exported or built, from its `meta` table: `exported 2026-12-01`.
pub fn database_date(conn: &Connection) -> Option<String> {
    let value = |key: &str| -> Option<String> {
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .ok()
    };
    let (how, at) = match value("exported_at") {
        Some(at) => ("exported", at),
        None => ("built", value("built_at")?),
    };
    Some(format!("{how} {}", at.get(..10).unwrap_or(&at)))
}

/// The members of a JSON document before its results: the query, its arguments as they
/// were read, and its notes.
fn document_head(call: &Call) -> serde_json::Map<String, serde_json::Value> {
    let mut head = serde_json::Map::new();
    head.insert("query".into(), call.query.name.clone().into());
    let arguments: serde_json::Map<String, serde_json::Value> = call
        .bindings
        .iter()
        .map(|b| (b.name.clone(), b.shown.clone().into()))
        .collect();
    head.insert("arguments".into(), arguments.into());
    head.insert("notes".into(), call.notes.clone().into());
    head
}

fn run_picked(
    conn: &Connection,
    call: &Call,
    pick: Option<usize>,
    sink: &mut dyn RowSink,
    sources: SourcesMode,
) -> Result<Summary, QueryError> {
    match pick {
        Some(index) => {
            let mut picked = Pick {
                inner: sink,
                index,
                current: 0,
            };
            call.run(conn, &mut picked, sources)
        }
        None => call.run(conn, sink, sources),
    }
}

/// Passes on one result set (the `index`th) and drops the others.
struct Pick<'a> {
    inner: &'a mut dyn RowSink,
    index: usize,
    /// Result sets begun so far (a hint comes before its result's `begin`).
    current: usize,
}

impl Pick<'_> {
    fn passing(&self) -> bool {
        self.current == self.index
    }
}

impl RowSink for Pick<'_> {
    fn hint(&mut self, hint: &ChartHint) {
        if self.passing() {
            self.inner.hint(hint);
        }
    }
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        if self.passing() {
            self.inner.begin(columns)?;
        }
        Ok(())
    }
    fn row(&mut self, values: &[Value]) -> io::Result<()> {
        if self.passing() {
            self.inner.row(values)?;
        }
        Ok(())
    }
    fn end(&mut self) -> io::Result<()> {
        let result = if self.passing() {
            self.inner.end()
        } else {
            Ok(())
        };
        self.current += 1;
        result
    }
    fn footer(&mut self, title: &str, items: &[String]) -> io::Result<()> {
        // Footers follow their result's end, or come just before it to a picture.
        let of = if self.inner.footer_first() {
            self.current
        } else {
            self.current.wrapping_sub(1)
        };
        if of == self.index {
            self.inner.footer(title, items)?;
        }
        Ok(())
    }
    fn footer_first(&self) -> bool {
        self.inner.footer_first()
    }
    fn truncated(&self) -> bool {
        self.inner.truncated()
    }
}

/// Adds a first column `_result` naming the result each row belongs to (JSON lines of a
/// query with several results).
struct Tagged<'a, 'n> {
    inner: &'a mut dyn RowSink,
    names: &'n [String],
    index: usize,
    columns: Vec<String>,
}

impl RowSink for Tagged<'_, '_> {
    fn hint(&mut self, hint: &ChartHint) {
        self.inner.hint(hint);
    }
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        self.columns = std::iter::once("_result".to_string())
            .chain(columns.iter().cloned())
            .collect();
        self.inner.begin(&self.columns)
    }
    fn row(&mut self, values: &[Value]) -> io::Result<()> {
        let name = self
            .names
            .get(self.index)
            .cloned()
            .unwrap_or_else(|| format!("result-{}", self.index + 1));
        let tagged: Vec<Value> = std::iter::once(Value::Text(name))
            .chain(values.iter().cloned())
            .collect();
        self.inner.row(&tagged)
    }
    fn end(&mut self) -> io::Result<()> {
        self.index += 1;
        self.inner.end()
    }
    fn footer(&mut self, title: &str, items: &[String]) -> io::Result<()> {
        self.inner.footer(title, items)
    }
    fn footer_first(&self) -> bool {
        self.inner.footer_first()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::{Choices, Mode};
    use crate::queries::{self, CATALOGUE};

    fn seeded() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::configure(&conn).unwrap();
        let tx = conn.transaction().unwrap();
        crate::db::create_schema(&tx).unwrap();
        crate::seed::load(&tx).unwrap();
        tx.commit().unwrap();
        conn
    }

    /// What presenting `call` in `format` writes to the data and the notes.
    fn shown(
        conn: &Connection,
        call: &Call,
        format: Format,
        options: &CallOptions,
    ) -> Result<(String, String), QueryError> {
        let console = Console::with_terminal(
            Mode::Command,
            &Choices {
                format: Some(format),
                ..Choices::default()
            },
            false,
            || None,
        );
        let mut data = Vec::new();
        let mut note_bytes = Vec::new();
        {
            let notes: RefCell<&mut dyn Write> = RefCell::new(&mut note_bytes);
            present(&console, conn, call, options, &mut data, &notes, true)?;
        }
        Ok((
            String::from_utf8(data).unwrap(),
            String::from_utf8(note_bytes).unwrap(),
        ))
    }

    #[test]
    fn every_canned_query_gives_one_parseable_json_document_and_tagged_json_lines() {
        let conn = seeded();
        let all = CallOptions::default();
        for q in CATALOGUE {
            let args: Vec<String> = q.example.split_whitespace().map(String::from).collect();
            let call = queries::prepare(&conn, q.name, &args).unwrap();
            let names = call.query.result_names();
            let (json, notes) = shown(&conn, &call, Format::Json, &all).unwrap();
            let doc: serde_json::Value = serde_json::from_str(&json)
                .unwrap_or_else(|e| panic!("{} {}: {e}\n{json}", q.name, q.example));
            assert_eq!(doc["query"], q.name);
            let keys: Vec<&String> = doc["results"].as_object().unwrap().keys().collect();
            let mut expected: Vec<&String> = names.iter().collect();
            expected.sort();
            assert_eq!(keys, expected, "{}", q.name);
            // The notes in the document are the notes written beside it.
            let in_doc: Vec<String> = doc["notes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| format!("peel: note: {}", crate::exec::one_line(n.as_str().unwrap())))
                .collect();
            assert_eq!(in_doc, notes.lines().collect::<Vec<_>>(), "{}", q.name);

            let (lines, _) = shown(&conn, &call, Format::Jsonl, &all).unwrap();
            for line in lines.lines() {
                let row: serde_json::Value = serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("{}: {e}: {line}", q.name));
                if names.len() > 1 {
                    assert!(
                        names.iter().any(|n| row["_result"] == n.as_str()),
                        "{}: untagged {line}",
                        q.name
                    );
                } else {
                    assert!(row.get("_result").is_none(), "{}: {line}", q.name);
                }
            }
        }
    }

    #[test]
    fn csv_of_several_results_needs_one_chosen_by_name() {
        let conn = seeded();
        let call = queries::prepare(&conn, "force", &["cambs".into()]).unwrap();
        let refused = shown(&conn, &call, Format::Csv, &CallOptions::default()).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "force gives 2 results (grades, figures) and csv holds one: choose with \
             --result NAME (peel run force ... --result grades), or use json, which holds them all"
        );
        assert!(refused.is_usage());
        let figures = CallOptions {
            result: Some("figures".into()),
            ..CallOptions::default()
        };
        let (csv, _) = shown(&conn, &call, Format::Csv, &figures).unwrap();
        let header = csv.lines().next().unwrap();
        assert!(header.starts_with("area_name,metric,"), "{header}");
        assert_eq!(csv.matches(header).count(), 1, "one header:\n{csv}");
        // Cambridgeshire's figures, England and Wales beside: no row of the grades.
        assert!(!csv.contains("A23_PPT"), "{csv}");
        let unknown = CallOptions {
            result: Some("grade".into()),
            ..CallOptions::default()
        };
        let refused = shown(&conn, &call, Format::Table, &unknown).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "force: no result named \"grade\"; its results: grades, figures"
        );
        // The plans keep the same promise: one result's plan, one header.
        let plan_of_figures = CallOptions {
            result: Some("figures".into()),
            explain: true,
            ..CallOptions::default()
        };
        let (plan, _) = shown(&conn, &call, Format::Csv, &plan_of_figures).unwrap();
        assert_eq!(plan.matches("id,parent,detail").count(), 1, "{plan}");
        let (doc, _) = shown(
            &conn,
            &call,
            Format::Json,
            &CallOptions {
                explain: true,
                ..CallOptions::default()
            },
        )
        .unwrap();
        let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
        assert!(doc["results"]["grades"].is_array() && doc["results"]["figures"].is_array());
        // A table shows both, one after the other.
        let (table, _) = shown(&conn, &call, Format::Table, &CallOptions::default()).unwrap();
        assert!(
            table.contains("A23_PPT") && table.contains("population"),
            "{table}"
        );
    }
}
