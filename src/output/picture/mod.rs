//! The picture formats, `svg` and `png`: one result drawn as a chart to put in a board
//! paper or an article, carrying its own provenance (the command, the query's notes on
//! what it covers, the sources, the date of the database).
//!
//! Three kinds, chosen from the result's shape (see [`choose`]):
//! - a **grade grid** ([`grid`], drawn by [`grid_draw`]) when the query asks for one ([`ChartHint::Grades`]) or a
//!   column holds nothing but grades (the pivoted `grades`, or any SQL);
//! - **trend lines** ([`lines`]) for a query's [`ChartHint::Sparklines`];
//! - **ranked bars** ([`bars`]) for a query's [`ChartHint::Bars`], or a label and a
//!   measure found as the terminal chart finds them.
//!
//! Anything else is refused with one line saying why. The SVG is written here (see
//! [`svg`]); the PNG is that SVG rendered by resvg with the embedded font ([`render`]).

mod bars;
mod frame;
mod grid;
mod grid_draw;
mod lines;
mod palette;
mod render;
mod scale;
mod svg;

use std::io::{self, Write};

use super::{ChartHint, Context, GradeColumns, RowSink, chart};
use crate::value::Value;

/// Which picture format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Svg,
    Png,
}

/// Why nothing was drawn: the result fits no picture, or a PNG would go to a terminal.
/// Carried inside an `io::Error` (sinks fail with those), and shown alone, without the
/// "writing output" that other output errors get (see `crate::error::error_line`).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

fn refused(text: String) -> io::Error {
    io::Error::other(Refused(text))
}

/// A finite number, or `None`.
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Real(f) if f.is_finite() => Some(*f),
        _ => None,
    }
}

/// A result drawn.
#[derive(Debug, Clone, PartialEq)]
enum Drawing {
    Grid(grid::Grid),
    Bars(bars::Bars),
    Lines(lines::Trend),
}

/// The sink of the picture formats: buffers one result and draws it at its end.
pub(super) struct Picture<'w> {
    out: &'w mut dyn Write,
    target: Target,
    /// `out` is a terminal: a PNG is refused.
    terminal: bool,
    hints: Vec<ChartHint>,
    context: Context,
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
    /// The numbered sources, from `--with-sources` footnotes.
    footer: Option<Vec<String>>,
    drawn: bool,
}

impl<'w> Picture<'w> {
    pub(super) fn new(out: &'w mut dyn Write, target: Target, terminal: bool) -> Self {
        Picture {
            out,
            target,
            terminal,
            hints: Vec::new(),
            context: Context::default(),
            columns: Vec::new(),
            rows: Vec::new(),
            footer: None,
            drawn: false,
        }
    }

    fn name(&self) -> &'static str {
        match self.target {
            Target::Svg => "svg",
            Target::Png => "png",
        }
    }

    /// The columns and rows to draw, without the sources, and the sources numbered.
    fn data(&self) -> (Vec<String>, Vec<Vec<Value>>, Vec<String>) {
        let hidden = |c: &String| c == "_sources" || (self.footer.is_some() && c == "sources");
        let keep: Vec<usize> = (0..self.columns.len())
            .filter(|&i| !hidden(&self.columns[i]))
            .collect();
        let columns = keep.iter().map(|&i| self.columns[i].clone()).collect();
        let rows = self
            .rows
            .iter()
            .map(|r| {
                keep.iter()
                    .map(|&i| r.get(i).cloned().unwrap_or(Value::Null))
                    .collect()
            })
            .collect();
        let sources = match &self.footer {
            Some(items) => items.clone(),
            None => sources_column(&self.columns, &self.rows),
        };
        (columns, rows, sources)
    }

    /// The frame: the title, the command, the notes, the sources, the database.
    fn frame(&self, title: Option<String>, sources: Vec<String>) -> frame::Frame {
        frame::Frame {
            title: title
                .or_else(|| self.context.title.clone())
                .unwrap_or_else(|| "peel".into()),
            command: self.context.command.clone(),
            notes: self.context.notes.clone(),
            sources: sources
                .into_iter()
                .filter(|s| s != "not recorded for this result")
                .collect(),
            database: self.context.database.clone(),
        }
    }

    /// The SVG of the result, or why there is none.
    fn svg(&self) -> Result<String, String> {
        let (columns, rows, sources) = self.data();
        if rows.is_empty() {
            return Err("the result has no rows".into());
        }
        Ok(match choose(&columns, &rows, &self.hints)? {
            Drawing::Grid(g) => g.draw(&self.frame(None, sources)).0,
            Drawing::Bars(b) => {
                let title = b.title.clone();
                b.draw(&self.frame(title, sources)).0
            }
            Drawing::Lines(t) => t.draw(&self.frame(None, sources)),
        })
    }
}

/// The distinct sources named in a `_sources` column (SQL that gives one), numbered.
fn sources_column(columns: &[String], rows: &[Vec<Value>]) -> Vec<String> {
    let Some(i) = columns.iter().position(|c| c == "_sources") else {
        return Vec::new();
    };
    let mut seen: Vec<String> = Vec::new();
    for r in rows {
        if let Some(text) = r.get(i).and_then(Value::to_text) {
            for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                if !seen.iter().any(|s| s == line) {
                    seen.push(line.to_string());
                }
            }
        }
    }
    seen.iter()
        .enumerate()
        .map(|(n, s)| format!("[{}] {s}", n + 1))
        .collect()
}

/// The kind of picture a result makes, or why it makes none. A query's hints come first
/// (a grid, then lines, then bars); without one, a column of grades makes a grid, and a
/// label and a measure make bars.
fn choose(columns: &[String], rows: &[Vec<Value>], hints: &[ChartHint]) -> Result<Drawing, String> {
    let find = |name: &str| columns.iter().position(|c| c == name);
    let missing = || "the columns the query draws are missing".to_string();
    if let Some(ChartHint::Grades {
        label,
        columns: how,
    }) = hints.iter().find(|h| matches!(h, ChartHint::Grades { .. }))
    {
        return grid::build(columns, rows, label, how).map(Drawing::Grid);
    }
    if let Some(ChartHint::Sparklines { series, x, lines }) = hints
        .iter()
        .find(|h| matches!(h, ChartHint::Sparklines { .. }))
    {
        return lines::build(columns, rows, series, x, lines).map(Drawing::Lines);
    }
    if let Some(ChartHint::Bars {
        label,
        value,
        title,
    }) = hints.iter().find(|h| matches!(h, ChartHint::Bars { .. }))
    {
        let label: Vec<usize> = label.iter().filter_map(|c| find(c)).collect();
        let title: Vec<usize> = title.iter().filter_map(|c| find(c)).collect();
        let value = find(value).ok_or_else(missing)?;
        if label.is_empty() {
            return Err(missing());
        }
        return Ok(Drawing::Bars(bars::build(
            columns, rows, &label, value, &title,
        )));
    }
    if (0..columns.len()).any(|i| grid::is_grade_column(rows, i)) {
        return grid::build(columns, rows, &[], &GradeColumns::Wide).map(Drawing::Grid);
    }
    let (label, value) = chart::guess_bars(columns, rows)?;
    Ok(Drawing::Bars(bars::build(
        columns,
        rows,
        &[label],
        value,
        &[],
    )))
}

impl RowSink for Picture<'_> {
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        if self.target == Target::Png && self.terminal {
            return Err(refused(
                "png is binary and stdout is a terminal: write it to a file with -o FILE (.output FILE in the shell), or use -F svg".into(),
            ));
        }
        if self.drawn {
            return Err(refused(format!(
                "{} holds one picture and this gives several results: choose one (--result NAME), or run each statement alone",
                self.name()
            )));
        }
        self.columns = columns.to_vec();
        self.rows.clear();
        Ok(())
    }

    fn row(&mut self, values: &[Value]) -> io::Result<()> {
        self.rows.push(values.to_vec());
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        let svg = self.svg().map_err(|why| {
            refused(format!(
                "{}: no picture fits this result ({why}); pictures draw grades as a grid, a series over time as lines, or a label and a number as bars",
                self.name()
            ))
        })?;
        self.drawn = true;
        self.hints.clear();
        match self.target {
            Target::Svg => self.out.write_all(svg.as_bytes())?,
            Target::Png => {
                let bytes = render::png(&svg).map_err(|e| refused(format!("png: {e}")))?;
                self.out.write_all(&bytes)?;
            }
        }
        self.out.flush()
    }

    fn hint(&mut self, hint: &ChartHint) {
        self.hints.push(hint.clone());
    }

    fn context(&mut self, context: &Context) {
        self.context = context.clone();
    }

    fn footer_first(&self) -> bool {
        true
    }

    fn footer(&mut self, _title: &str, items: &[String]) -> io::Result<()> {
        self.footer = Some(items.to_vec());
        Ok(())
    }
}

#[cfg(test)]
mod tests;
