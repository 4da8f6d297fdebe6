//! Rendering result rows in each output format. Output is a pure function of the rows,
//! the format and a writer: nothing here runs SQL or knows about rusqlite.
//!
//! Formats that can stream (csv, tsv, json, jsonl) write each row as it arrives, so a
//! ten-million-row result never sits in memory; table and markdown need every row to size
//! their columns, so they buffer, as does the chart, which needs the range of its values,
//! and the pictures ([`picture`]: svg and png), which draw one result whole.
//!
//! Beside the formats live two wrappers that reshape a result before a format sees it:
//! [`pivot`] (a long result into a grid) and [`provenance`] (the `_sources` column into
//! footnotes or a `sources` field). [`safe`] keeps what the data holds from acting on a
//! terminal.

mod chart;
mod picture;
pub mod pivot;
pub mod provenance;
pub mod safe;
mod table;

use std::io::{self, Write};

use clap::ValueEnum;

use crate::value::Value;

pub use picture::Refused;

/// An output format, chosen with `--format` or the shell's `.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A boxed table for reading on a terminal (the default on a terminal).
    Table,
    /// Comma-separated values with a header row (the default when piped).
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// JSON: numbers stay numbers, NULL is null; `peel run` writes one document holding
    /// every result and its notes, `peel sql` one array per statement.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// A GitHub-flavoured Markdown table.
    Markdown,
    /// One field per line (`name = value`), a blank line between rows: for rows too wide
    /// for a table.
    Line,
    /// A horizontal bar chart of a label and a number (sparklines for series over time),
    /// drawn in the terminal.
    Chart,
    /// A picture (SVG text): a grade grid, ranked bars or trend lines, with its sources.
    Svg,
    /// The same picture as PNG (binary: to a file with -o FILE, or a pipe).
    Png,
}

impl Format {
    /// The format a file name's extension asks for (`-o grid.svg`), if it names one.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "svg" => Format::Svg,
            "png" => Format::Png,
            "csv" => Format::Csv,
            "tsv" => Format::Tsv,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::Jsonl,
            "md" | "markdown" => Format::Markdown,
            _ => return None,
        })
    }

    /// True for the picture formats, which draw one result whole.
    pub fn is_picture(self) -> bool {
        matches!(self, Format::Svg | Format::Png)
    }

    /// The default: a table for people, CSV for programs.
    pub fn default_for(stdout_is_terminal: bool) -> Format {
        if stdout_is_terminal {
            Format::Table
        } else {
            Format::Csv
        }
    }
}

/// Settings shared by every format.
#[derive(Debug, Clone)]
pub struct Options {
    /// Print a header row (csv, tsv, table, markdown).
    pub headers: bool,
    /// How NULL is shown in text formats (JSON always uses null).
    pub null_text: String,
    /// Let the chart use Unicode blocks and colour; off when stdout is not a terminal or
    /// NO_COLOR is set, so files and pipes get plain ASCII.
    pub fancy: bool,
    /// The output is a terminal: a PNG is refused rather than written to it.
    pub terminal: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            headers: true,
            null_text: String::new(),
            fancy: false,
            terminal: false,
        }
    }
}

/// What a result is beyond its rows: which command made it, what it covers and how old the
/// database is. Pictures carry it, since they leave the terminal without the notes that
/// went to stderr; the other formats ignore it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    /// A title for the result (`Grades: 2017`).
    pub title: Option<String>,
    /// The command that made it (`peel run grades 2017`).
    pub command: Option<String>,
    /// The query's notes: what the result covers (`41 of 43 forces graded`).
    pub notes: Vec<String>,
    /// When the database was built or exported (`built 2026-12-01`).
    pub database: Option<String>,
}

/// How a result set would like to be drawn by the chart format. Other formats ignore it.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartHint {
    /// One bar per row: the label is the `label` columns' values joined, the bar the
    /// `value` column; `title` columns' values (from the first row) head the chart. A row
    /// whose `role` column is `reference` is the reference (England and Wales): marked on
    /// every bar; `selected` rows are highlighted.
    Bars {
        /// Columns whose values, joined with spaces, label each bar.
        label: Vec<String>,
        /// The numeric column drawn.
        value: String,
        /// Columns whose first-row values title the chart.
        title: Vec<String>,
    },
    /// A grade grid (pictures only; the terminal chart ignores it): rows labelled by the
    /// `label` columns' values joined, cells coloured by grade.
    Grades {
        /// Columns whose values, joined with spaces, label each row.
        label: Vec<String>,
        /// Which columns of the result make the grid's columns.
        columns: GradeColumns,
    },
    /// One sparkline per series and line: rows with equal `series` values form a series,
    /// in row order; each [`SparkLine`] draws one numeric column of it.
    Sparklines {
        /// Columns whose values identify (and title) a series.
        series: Vec<String>,
        /// The column that orders the points (shown as the range covered).
        x: String,
        /// The lines drawn for each series.
        lines: Vec<SparkLine>,
    },
}

/// How a result's columns make a grade grid's columns.
#[derive(Debug, Clone, PartialEq)]
pub enum GradeColumns {
    /// Every column holding only grades, headed by its name (a pivoted result: `grades`).
    Wide,
    /// These (grade, header) columns: each grade column headed by the header column's
    /// value in the first row (`from_grade` headed by `from_cycle`'s `2016`).
    Named(Vec<(String, String)>),
    /// A long result: rows with equal labels make one grid row, the values of `column`
    /// (a cycle) name the grid's columns and `value` fills them.
    Long {
        /// The column naming the grid's columns.
        column: String,
        /// The grade column.
        value: String,
    },
}

/// One sparkline of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct SparkLine {
    /// The numeric column drawn.
    pub column: String,
    /// The line's label, used when `label_column` is absent or NULL.
    pub label: String,
    /// A column whose value (in the series' first row) labels the line.
    pub label_column: Option<String>,
}

/// Receives one result set: its columns, then its rows, then the end.
pub trait RowSink {
    /// Called once, before any row.
    fn begin(&mut self, columns: &[String]) -> io::Result<()>;
    /// Called once per row, with one value per column.
    fn row(&mut self, values: &[Value]) -> io::Result<()>;
    /// Called once after the last row; flushes what was buffered.
    fn end(&mut self) -> io::Result<()>;
    /// True when the result set just ended was shown shortened to fit a width (free text
    /// in table cells cut with an ellipsis), so the caller can say so in a footer. Text
    /// that was only wrapped onto more lines does not count: every character is shown.
    fn truncated(&self) -> bool {
        false
    }
    /// True when the result set just ended was too wide for a table at the width given to
    /// [`fitted_sink`], even with its free text wrapped and shortened, and was shown in
    /// line format instead (`name = value`, every value whole), so the caller can say why
    /// the format changed for it. Only a fitted table switches, one result set at a time:
    /// the next result set is a table again if it fits.
    fn switched_to_lines(&self) -> bool {
        false
    }

    /// How the next result set would like to be charted; called before `begin`, once for
    /// each hint (a query may give one for the terminal chart and one for pictures). Only
    /// the chart and picture formats use it.
    fn hint(&mut self, _hint: &ChartHint) {}
    /// What the results are beyond their rows (the command, the notes, the database);
    /// called before the first result. Only pictures use it.
    fn context(&mut self, _context: &Context) {}
    /// True when the sink wants a result's [`RowSink::footer`] before its `end`: a
    /// picture draws its sources inside itself, so it must have them before it draws.
    fn footer_first(&self) -> bool {
        false
    }
    /// Called once after the last result set: closes what spans them all (a JSON
    /// document). Most formats have nothing to close.
    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
    /// Lines printed after a result set (`--with-sources`): a title and numbered items.
    /// Formats meant for reading print them; formats meant for programs carry the same
    /// facts in a column instead, and ignore this.
    fn footer(&mut self, _title: &str, _items: &[String]) -> io::Result<()> {
        Ok(())
    }
}

/// A sink that writes one result set in `format` to `out`.
pub fn sink<'w>(
    format: Format,
    out: &'w mut dyn Write,
    options: &Options,
) -> Box<dyn RowSink + 'w> {
    fitted_sink(format, out, options, None)
}

/// Like [`sink`], but a table is made to fit `max_width` display columns (a terminal's
/// width): its free text and headers wrap, then free text is shortened with an ellipsis
/// ([`RowSink::truncated`]), and a result that still cannot fit without cutting a
/// number, grade or code is shown in line format ([`RowSink::switched_to_lines`]). Other
/// formats ignore the width: they are for programs, or (`line`) already show every value
/// whole.
pub fn fitted_sink<'w>(
    format: Format,
    out: &'w mut dyn Write,
    options: &Options,
    max_width: Option<usize>,
) -> Box<dyn RowSink + 'w> {
    match format {
        Format::Csv => Box::new(Delimited::new(out, b',', options)),
        Format::Tsv => Box::new(Delimited::new(out, b'\t', options)),
        Format::Json => Box::new(Json {
            out,
            columns: Vec::new(),
            rows: 0,
            lines: false,
            document: None,
        }),
        Format::Jsonl => Box::new(Json {
            out,
            columns: Vec::new(),
            rows: 0,
            lines: true,
            document: None,
        }),
        Format::Table => Box::new(table::Table::new(out, options.clone(), max_width)),
        Format::Line => Box::new(Line::new(out, options)),
        Format::Markdown => Box::new(Markdown {
            out,
            options: options.clone(),
            columns: Vec::new(),
            rows: Vec::new(),
            tables: 0,
        }),
        Format::Chart => Box::new(chart::Chart::new(out, options.clone())),
        Format::Svg => Box::new(picture::Picture::new(
            out,
            picture::Target::Svg,
            options.terminal,
        )),
        Format::Png => Box::new(picture::Picture::new(
            out,
            picture::Target::Png,
            options.terminal,
        )),
    }
}

/// Renders a whole result set into a string; convenient for tests and small results.
pub fn render_to_string(
    format: Format,
    options: &Options,
    columns: &[String],
    rows: &[Vec<Value>],
) -> String {
    let mut buf = Vec::new();
    {
        let mut s = sink(format, &mut buf, options);
        // Writing to a Vec cannot fail.
        let _ = s.begin(columns);
        for r in rows {
            let _ = s.row(r);
        }
        let _ = s.end();
    }
    String::from_utf8_lossy(&buf).into_owned()
}

struct Delimited<'w> {
    writer: csv::Writer<&'w mut dyn Write>,
    headers: bool,
    null_text: String,
    record: Vec<String>,
}

impl<'w> Delimited<'w> {
    fn new(out: &'w mut dyn Write, delimiter: u8, options: &Options) -> Self {
        let writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_writer(out);
        Delimited {
            writer,
            headers: options.headers,
            null_text: options.null_text.clone(),
            record: Vec::new(),
        }
    }
}

fn csv_err(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => io::Error::other(format!("{other:?}")),
    }
}

impl RowSink for Delimited<'_> {
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        if self.headers {
            self.writer.write_record(columns).map_err(csv_err)?;
        }
        Ok(())
    }

    fn row(&mut self, values: &[Value]) -> io::Result<()> {
        self.record.clear();
        for v in values {
            self.record
                .push(v.to_text().unwrap_or_else(|| self.null_text.clone()));
        }
        self.writer.write_record(&self.record).map_err(csv_err)
    }

    fn end(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

struct Json<'w> {
    out: &'w mut dyn Write,
    columns: Vec<String>,
    rows: usize,
    lines: bool,
    document: Option<Document>,
}

/// One JSON document around every result set of a query (see [`json_document`]).
struct Document {
    /// The members before `results`, already serialised: `"query":"force","notes":[...]`.
    head: String,
    /// The names of the result sets, in order.
    names: Vec<String>,
    /// Result sets begun so far.
    sets: usize,
}

/// A JSON sink that writes one document for a whole query, so that programs can read
/// any query with one parse: `{<head members>, "results": {"<first name>": [rows],
/// "<second name>": [rows], ...}}`. `head` holds the members that come first (the query's
/// name, its arguments, its notes on what the result covers); `names` names the result
/// sets in order (a set beyond them is `result-N`). Call [`RowSink::finish`] after the
/// last result set.
pub fn json_document<'w>(
    out: &'w mut dyn Write,
    head: serde_json::Map<String, serde_json::Value>,
    names: Vec<String>,
) -> Box<dyn RowSink + 'w> {
    let members = serde_json::Value::Object(head).to_string();
    // `{"a":1}` without its closing brace, so "results" can follow.
    let head = members[..members.len() - 1].to_string();
    Box::new(Json {
        out,
        columns: Vec::new(),
        rows: 0,
        lines: false,
        document: Some(Document {
            head,
            names,
            sets: 0,
        }),
    })
}

/// Writes a value as a JSON scalar: integers and finite reals as numbers, NULL (and the
/// infinities JSON cannot hold) as null, blobs as their hex text.
fn write_json_value(out: &mut dyn Write, v: &Value) -> io::Result<()> {
    match v {
        Value::Null => out.write_all(b"null"),
        Value::Integer(i) => write!(out, "{i}"),
        Value::Real(f) if f.is_finite() => {
            let text = crate::value::format_real(*f);
            out.write_all(text.as_bytes())
        }
        Value::Real(_) => out.write_all(b"null"),
        Value::Text(s) => serde_json::to_writer(&mut *out, s).map_err(io::Error::from),
        Value::Blob(_) => serde_json::to_writer(&mut *out, &v.to_text()).map_err(io::Error::from),
    }
}

impl Json<'_> {
    fn object(&mut self, values: &[Value]) -> io::Result<()> {
        self.out.write_all(b"{")?;
        for (i, (name, v)) in self.columns.iter().zip(values).enumerate() {
            if i > 0 {
                self.out.write_all(b",")?;
            }
            serde_json::to_writer(&mut *self.out, name).map_err(io::Error::from)?;
            self.out.write_all(b":")?;
            write_json_value(self.out, v)?;
        }
        self.out.write_all(b"}")
    }
}

impl Json<'_> {
    /// Opens the document before its first result set.
    fn open_document(&mut self) -> io::Result<()> {
        if let Some(d) = &self.document
            && d.sets == 0
        {
            let comma = if d.head.len() > 1 { "," } else { "" };
            write!(self.out, "{}{comma}\"results\":{{", d.head)?;
        }
        Ok(())
    }
}

impl RowSink for Json<'_> {
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        self.columns = columns.to_vec();
        self.rows = 0;
        self.open_document()?;
        if let Some(d) = &mut self.document {
            if d.sets > 0 {
                self.out.write_all(b",\n")?;
            }
            d.sets += 1;
            let name = d
                .names
                .get(d.sets - 1)
                .cloned()
                .unwrap_or_else(|| format!("result-{}", d.sets));
            serde_json::to_writer(&mut *self.out, &name).map_err(io::Error::from)?;
            self.out.write_all(b":")?;
        }
        if !self.lines {
            self.out.write_all(b"[")?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.document.is_some() {
            self.open_document()?;
            self.out.write_all(b"}}\n")?;
            self.out.flush()?;
        }
        Ok(())
    }

    fn row(&mut self, values: &[Value]) -> io::Result<()> {
        if self.lines {
            self.object(values)?;
            self.out.write_all(b"\n")?;
        } else {
            self.out
                .write_all(if self.rows == 0 { b"\n" } else { b",\n" })?;
            self.object(values)?;
        }
        self.rows += 1;
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        if !self.lines {
            self.out
                .write_all(if self.rows == 0 { b"]\n" } else { b"\n]\n" })?;
        }
        self.out.flush()
    }
}

/// Shown for NULL in tables and line output unless the user set a null text: distinct
/// from an empty string.
const NULL_SHOWN: &str = "NULL";

/// The text that stands for NULL in formats meant for reading.
fn null_shown(options: &Options) -> &str {
    if options.null_text.is_empty() {
        NULL_SHOWN
    } else {
        options.null_text.as_str()
    }
}

/// sqlite3's line mode: column names right-aligned, ` = `, the whole value; rows apart.
struct Line<'w> {
    out: &'w mut dyn Write,
    null_shown: String,
    /// Column names padded to the widest, so the `=` signs line up.
    names: Vec<String>,
    rows: usize,
}

impl<'w> Line<'w> {
    fn new(out: &'w mut dyn Write, options: &Options) -> Self {
        Line {
            out,
            null_shown: null_shown(options).to_string(),
            names: Vec::new(),
            rows: 0,
        }
    }
}

impl RowSink for Line<'_> {
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        let width = columns
            .iter()
            .map(|c| unicode_width::UnicodeWidthStr::width(c.as_str()))
            .max()
            .unwrap_or(0);
        self.names = columns
            .iter()
            .map(|c| {
                let pad = width - unicode_width::UnicodeWidthStr::width(c.as_str());
                format!("{}{c}", " ".repeat(pad))
            })
            .collect();
        self.rows = 0;
        Ok(())
    }

    fn row(&mut self, values: &[Value]) -> io::Result<()> {
        if self.rows > 0 {
            self.out.write_all(b"\n")?;
        }
        for (name, v) in self.names.iter().zip(values) {
            let text = v.to_text().unwrap_or_else(|| self.null_shown.clone());
            writeln!(self.out, "{name} = {text}")?;
        }
        self.rows += 1;
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

struct Markdown<'w> {
    out: &'w mut dyn Write,
    options: Options,
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
    /// Tables written so far: a blank line must separate two, or Markdown joins them.
    tables: usize,
}

fn markdown_cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

impl RowSink for Markdown<'_> {
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        self.columns = columns.to_vec();
        self.rows.clear();
        Ok(())
    }

    fn row(&mut self, values: &[Value]) -> io::Result<()> {
        self.rows.push(values.to_vec());
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        if self.tables > 0 {
            writeln!(self.out)?;
        }
        self.tables += 1;
        let numeric = numeric_columns(self.columns.len(), &self.rows);
        let header: Vec<String> = self.columns.iter().map(|c| markdown_cell(c)).collect();
        writeln!(self.out, "| {} |", header.join(" | "))?;
        let rule: Vec<&str> = numeric
            .iter()
            .map(|&n| if n { "---:" } else { "---" })
            .collect();
        writeln!(self.out, "| {} |", rule.join(" | "))?;
        for r in &self.rows {
            let cells: Vec<String> = r
                .iter()
                .map(|v| {
                    markdown_cell(
                        &v.to_text()
                            .unwrap_or_else(|| self.options.null_text.clone()),
                    )
                })
                .collect();
            writeln!(self.out, "| {} |", cells.join(" | "))?;
        }
        self.out.flush()
    }

    fn footer(&mut self, title: &str, items: &[String]) -> io::Result<()> {
        writeln!(self.out, "\n**{}**\n", markdown_cell(title))?;
        for item in items {
            writeln!(self.out, "- {}", markdown_cell(item))?;
        }
        self.out.flush()
    }
}

/// A column is numeric when every non-NULL value in it is a number (and it has one).
pub(crate) fn numeric_columns(count: usize, rows: &[Vec<Value>]) -> Vec<bool> {
    (0..count)
        .map(|i| {
            let mut any = false;
            for r in rows {
                match r.get(i) {
                    Some(Value::Null) | None => {}
                    Some(v) if v.is_number() => any = true,
                    Some(_) => return false,
                }
            }
            any
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Vec<String>, Vec<Vec<Value>>) {
        (
            vec!["force".into(), "value".into(), "note".into()],
            vec![
                vec![
                    Value::Text("Cambridgeshire".into()),
                    Value::Real(28.6),
                    Value::Null,
                ],
                vec![
                    Value::Text("A, \"quoted\" | name".into()),
                    Value::Integer(23737),
                    Value::Text("x".into()),
                ],
            ],
        )
    }

    #[test]
    fn csv_quotes_and_shows_null_as_empty() {
        let (c, r) = sample();
        let out = render_to_string(Format::Csv, &Options::default(), &c, &r);
        assert_eq!(
            out,
            "force,value,note\nCambridgeshire,28.6,\n\"A, \"\"quoted\"\" | name\",23737,x\n"
        );
    }

    #[test]
    fn tsv_uses_tabs() {
        let (c, r) = sample();
        let out = render_to_string(Format::Tsv, &Options::default(), &c, &r);
        assert_eq!(out.lines().next(), Some("force\tvalue\tnote"));
        assert_eq!(out.lines().nth(1), Some("Cambridgeshire\t28.6\t"));
    }

    #[test]
    fn json_keeps_types_and_parses() {
        let (c, r) = sample();
        let out = render_to_string(Format::Json, &Options::default(), &c, &r);
        let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(parsed[0]["value"], serde_json::json!(28.6));
        assert_eq!(parsed[0]["note"], serde_json::Value::Null);
        assert_eq!(parsed[1]["value"], serde_json::json!(23737));
        assert_eq!(
            parsed[1]["force"],
            serde_json::json!("A, \"quoted\" | name")
        );
    }

    #[test]
    fn empty_json_result_is_an_empty_array() {
        let out = render_to_string(Format::Json, &Options::default(), &["a".into()], &[]);
        assert_eq!(out, "[]\n");
    }

    #[test]
    fn jsonl_is_one_object_per_line() {
        let (c, r) = sample();
        let out = render_to_string(Format::Jsonl, &Options::default(), &c, &r);
        let lines: Vec<_> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        for l in lines {
            let _: serde_json::Value = serde_json::from_str(l).unwrap();
        }
    }

    #[test]
    fn markdown_escapes_pipes_and_right_aligns_numbers() {
        let (c, r) = sample();
        let out = render_to_string(Format::Markdown, &Options::default(), &c, &r);
        let lines: Vec<_> = out.lines().collect();
        assert_eq!(lines[0], "| force | value | note |");
        assert_eq!(lines[1], "| --- | ---: | --- |");
        assert_eq!(lines[3], "| A, \"quoted\" \\| name | 23737 | x |");
    }

    #[test]
    fn line_format_aligns_names_and_separates_rows() {
        let (c, r) = sample();
        let out = render_to_string(Format::Line, &Options::default(), &c, &r);
        assert_eq!(
            out,
            "force = Cambridgeshire\nvalue = 28.6\n note = NULL\n\nforce = A, \"quoted\" | name\nvalue = 23737\n note = x\n"
        );
        let options = Options {
            null_text: "-".into(),
            ..Options::default()
        };
        let out = render_to_string(Format::Line, &options, &c, &r[..1]);
        assert!(out.ends_with(" note = -\n"), "{out}");
    }

    #[test]
    fn markdown_separates_tables_with_a_blank_line() {
        let mut buf = Vec::new();
        {
            let mut s = sink(Format::Markdown, &mut buf, &Options::default());
            for _ in 0..2 {
                s.begin(&["a".into()]).unwrap();
                s.row(&[Value::Integer(1)]).unwrap();
                s.end().unwrap();
            }
        }
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "| a |\n| ---: |\n| 1 |\n\n| a |\n| ---: |\n| 1 |\n"
        );
    }

    #[test]
    fn real_that_is_whole_keeps_its_point_in_json() {
        let out = render_to_string(
            Format::Json,
            &Options::default(),
            &["v".into()],
            &[vec![Value::Real(2.0)]],
        );
        assert!(out.contains("\"v\":2.0"), "{out}");
    }
}
