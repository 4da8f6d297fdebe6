//! Canned and saved queries: the catalogue (`peel queries`, the shell's `.queries`),
//! running one by name with string arguments (`peel run NAME ARGS`, the shell), saving
//! and removing analysts' own (`peel save`, `peel unsave`), and completion candidates.
//!
//! A query is SQL with `:named` parameters plus typed parameter specs. Arguments arrive as
//! strings, by position or `name=value`; each is resolved to the exact stored value
//! (`cambs` -> `E23000023`) by [`crate::resolve`] before anything runs, and bound, never
//! pasted into the SQL. Queries run through [`crate::exec::run_script`] with
//! `Policy { read_only: true }`, on a connection the caller opened read-only.
//!
//! The shell's entry points: [`list`], [`describe`], [`prepare`] then [`Call::run`] into
//! any [`RowSink`], [`save`], [`unsave`], [`complete_names`], [`complete_argument`].

mod catalogue;
mod declare;
mod params;
mod saved;

use std::io;

use rusqlite::Connection;

use crate::exec::{self, ExecError, Params, Policy, Summary};
use crate::output::pivot::{PivotSpec, pivot};
use crate::output::provenance::{Provenance, SourcesMode};
use crate::output::{ChartHint, GradeColumns, RowSink, SparkLine};
use crate::value::Value;

pub use catalogue::CATALOGUE;
pub use params::{Binding, parse_args};
pub use saved::{SavedQuery, default_declarations, load_saved, save, save_with_kinds, unsave};

/// What a parameter accepts, and so how its argument is resolved. `S` names another
/// parameter: `&'static str` in the catalogue, `String` for a query ready to run (a saved
/// query's names come from its SQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind<S = &'static str> {
    /// One of the 43 forces; binds its ONS code.
    Force,
    /// Any area, a force preferred on a tie (`West Midlands`); binds its ONS code.
    Area,
    /// An area forces belong to (an English region, or Wales); binds its ONS code.
    Region,
    /// A metric; binds its code.
    Metric,
    /// A period; binds its label. Resolved among the periods with figures for the metric
    /// given by the named parameter first (among every period when there is none).
    Period {
        /// The parameter holding the metric.
        metric: Option<S>,
    },
    /// A PEEL year (`2016`, `2018/19`); binds the integer year.
    Year,
    /// A grade on the scale of the year given by the named parameter (any scale when
    /// there is none, or it is NULL); binds the grade's name.
    Grade {
        /// The parameter holding the year.
        year: Option<S>,
    },
    /// `effectiveness`, `efficiency` or `legitimacy`; binds the name.
    Pillar,
    /// `force`, `region`, `country` or `all`; binds the word.
    AreaKind,
    /// Any text, bound as typed (searches, and saved queries' parameters of no declared
    /// kind).
    Text,
}

impl<S: AsRef<str>> Kind<S> {
    /// The word used for the kind in messages.
    pub fn noun(&self) -> &'static str {
        match self {
            Kind::Force => "force",
            Kind::Area => "area",
            Kind::Region => "region",
            Kind::Metric => "metric",
            Kind::Period { .. } => "period",
            Kind::Year => "year",
            Kind::Grade { .. } => "grade",
            Kind::Pillar => "pillar",
            Kind::AreaKind => "area kind",
            Kind::Text => "text",
        }
    }

    /// The parameter whose value narrows this one's candidates, which is therefore
    /// resolved first.
    pub fn depends_on(&self) -> Option<&str> {
        match self {
            Kind::Period { metric: Some(m) } => Some(m.as_ref()),
            Kind::Grade { year: Some(y) } => Some(y.as_ref()),
            _ => None,
        }
    }
}

impl Kind {
    /// The same kind naming its parameter with an owned string.
    pub fn owned(self) -> Kind<String> {
        match self {
            Kind::Force => Kind::Force,
            Kind::Area => Kind::Area,
            Kind::Region => Kind::Region,
            Kind::Metric => Kind::Metric,
            Kind::Period { metric } => Kind::Period {
                metric: metric.map(str::to_string),
            },
            Kind::Year => Kind::Year,
            Kind::Grade { year } => Kind::Grade {
                year: year.map(str::to_string),
            },
            Kind::Pillar => Kind::Pillar,
            Kind::AreaKind => Kind::AreaKind,
            Kind::Text => Kind::Text,
        }
    }
}

/// What a parameter is when no argument is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fallback<S = &'static str> {
    /// Nothing: a missing argument is an error that shows the usage.
    Required,
    /// NULL, which the query reads as "all" (`:pillar IS NULL OR ...`).
    All,
    /// The latest with data: the latest period with figures for the metric, or the
    /// latest PEEL year with grades.
    Latest,
    /// This text, resolved as if it had been typed.
    Value(S),
}

/// A parameter of a canned query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamSpec {
    /// The name, without the sigil: the SQL says `:name`.
    pub name: &'static str,
    /// What it accepts.
    pub kind: Kind,
    /// What it is when omitted.
    pub default: Fallback,
    /// One line for `peel queries NAME`.
    pub help: &'static str,
}

/// How the chart format should draw a canned query's result set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chart {
    /// Bars (see [`ChartHint::Bars`]).
    Bars {
        /// Label columns.
        label: &'static [&'static str],
        /// The value column.
        value: &'static str,
        /// Title columns.
        title: &'static [&'static str],
    },
    /// Sparklines (see [`ChartHint::Sparklines`]); each line is (column, label, label
    /// column).
    Sparklines {
        /// Series columns.
        series: &'static [&'static str],
        /// The ordering column.
        x: &'static str,
        /// The lines.
        lines: &'static [(&'static str, &'static str, Option<&'static str>)],
    },
}

impl Chart {
    fn hint(&self) -> ChartHint {
        let owned = |cols: &[&str]| cols.iter().map(|c| c.to_string()).collect();
        match self {
            Chart::Bars {
                label,
                value,
                title,
            } => ChartHint::Bars {
                label: owned(label),
                value: value.to_string(),
                title: owned(title),
            },
            Chart::Sparklines { series, x, lines } => ChartHint::Sparklines {
                series: owned(series),
                x: x.to_string(),
                lines: lines
                    .iter()
                    .map(|(column, label, label_column)| SparkLine {
                        column: column.to_string(),
                        label: label.to_string(),
                        label_column: label_column.map(str::to_string),
                    })
                    .collect(),
            },
        }
    }
}

/// How pictures lay a canned query's grades out as a grid (see [`ChartHint::Grades`]); a
/// result whose columns are grades already (`grades`, pivoted) needs none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GradeGrid {
    /// Rows labelled by `label`; each (grade, header) column pair a grid column.
    Named {
        /// Label columns.
        label: &'static [&'static str],
        /// (grade column, header column) pairs.
        columns: &'static [(&'static str, &'static str)],
    },
    /// A long result: rows labelled by `label`, grid columns named by `column`'s values,
    /// cells from `value`.
    Long {
        /// Label columns.
        label: &'static [&'static str],
        /// The column naming the grid's columns.
        column: &'static str,
        /// The grade column.
        value: &'static str,
    },
}

impl GradeGrid {
    fn hint(&self) -> ChartHint {
        let owned = |cols: &[&str]| cols.iter().map(|c| c.to_string()).collect();
        match self {
            GradeGrid::Named { label, columns } => ChartHint::Grades {
                label: owned(label),
                columns: GradeColumns::Named(
                    columns
                        .iter()
                        .map(|(v, h)| (v.to_string(), h.to_string()))
                        .collect(),
                ),
            },
            GradeGrid::Long {
                label,
                column,
                value,
            } => ChartHint::Grades {
                label: owned(label),
                columns: GradeColumns::Long {
                    column: column.to_string(),
                    value: value.to_string(),
                },
            },
        }
    }
}

/// A canned query's grid layout (see [`PivotSpec`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pivot {
    /// Row key columns.
    pub rows: &'static [&'static str],
    /// The column whose values name the grid's columns.
    pub column: &'static str,
    /// The cell values.
    pub value: &'static str,
    /// The column ordering the grid's columns.
    pub order: Option<&'static str>,
}

/// How one result set of a query is shaped before output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    /// The chart hint, if the default guess would be wrong.
    pub chart: Option<Chart>,
    /// A grid layout, for long results analysts read as a grid.
    pub pivot: Option<Pivot>,
    /// How pictures lay its grades out, when the result holds grades but not as columns.
    pub grid: Option<GradeGrid>,
}

impl Shape {
    /// Neither a chart hint nor a grid.
    pub const PLAIN: Shape = Shape {
        chart: None,
        pivot: None,
        grid: None,
    };
}

/// A query shipped with peel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CannedQuery {
    /// The name `peel run` takes.
    pub name: &'static str,
    /// The names of its result sets, in order, when it has more than one (a JSON document
    /// keys them by these names, and CSV output picks one with `--result`). Empty for one
    /// result, which is named after the query.
    pub results: &'static [&'static str],
    /// One line for `peel queries`.
    pub summary: &'static str,
    /// Its parameters, in positional order.
    pub params: &'static [ParamSpec],
    /// The SQL: one or more statements, each a result set.
    pub sql: &'static str,
    /// SQL whose rows (one text column) are printed as notes on stderr before the result:
    /// scale changes, a pillar asked of a year without pillars. Empty for none.
    pub notes: &'static str,
    /// Shapes of the result sets, in order (missing ones are plain).
    pub shapes: &'static [Shape],
    /// Example arguments, for help and the README.
    pub example: &'static str,
}

/// Whether a query ships with peel or lives in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// In the catalogue.
    Canned,
    /// In the file's `saved_queries` table.
    Saved,
}

impl Origin {
    /// `canned` or `saved`.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Canned => "canned",
            Origin::Saved => "saved",
        }
    }
}

/// A parameter of a query ready to run, canned or saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The name, without the sigil.
    pub name: String,
    /// What it accepts.
    pub kind: Kind<String>,
    /// What it is when omitted.
    pub default: Fallback<String>,
    /// One line of help.
    pub help: String,
}

impl Param {
    /// How the parameter appears in a usage line: `METRIC`, `[PERIOD]`.
    pub fn usage(&self) -> String {
        let upper = self.name.to_uppercase();
        match self.default {
            Fallback::Required => upper,
            _ => format!("[{upper}]"),
        }
    }

    /// What an omitted argument means, for help: `latest`, `all`, `force`.
    pub fn default_text(&self) -> Option<String> {
        match &self.default {
            Fallback::Required => None,
            Fallback::All => Some("all".into()),
            Fallback::Latest => Some("latest".into()),
            Fallback::Value(v) => Some(v.clone()),
        }
    }
}

/// A query, canned or saved, ready to be prepared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The name.
    pub name: String,
    /// One line.
    pub summary: String,
    /// Canned or saved.
    pub origin: Origin,
    /// Parameters in positional order.
    pub params: Vec<Param>,
    /// The SQL.
    pub sql: String,
    notes: String,
    shapes: Vec<Shape>,
    example: String,
    results: Vec<String>,
    /// Parameters of a saved query with no declared kind, bound as text.
    untyped: Vec<String>,
}

impl Query {
    fn from_canned(c: &CannedQuery) -> Query {
        Query {
            name: c.name.into(),
            summary: c.summary.into(),
            origin: Origin::Canned,
            params: c
                .params
                .iter()
                .map(|p| Param {
                    name: p.name.into(),
                    kind: p.kind.owned(),
                    default: match &p.default {
                        Fallback::Required => Fallback::Required,
                        Fallback::All => Fallback::All,
                        Fallback::Latest => Fallback::Latest,
                        Fallback::Value(v) => Fallback::Value(v.to_string()),
                    },
                    help: p.help.into(),
                })
                .collect(),
            sql: c.sql.into(),
            notes: c.notes.into(),
            shapes: c.shapes.to_vec(),
            example: c.example.into(),
            results: c.results.iter().map(|r| r.to_string()).collect(),
            untyped: Vec::new(),
        }
    }

    /// The names of its result sets, in order: the catalogue's names, else the query's
    /// own name for each statement that can return rows (`name`, or `name-1`, `name-2`).
    pub fn result_names(&self) -> Vec<String> {
        if !self.results.is_empty() {
            return self.results.clone();
        }
        let statements = exec::split_statements(&self.sql)
            .iter()
            .filter(|c| !exec::first_keyword(c.text).is_empty())
            .count();
        if statements <= 1 {
            vec![self.name.clone()]
        } else {
            (1..=statements)
                .map(|i| format!("{}-{i}", self.name))
                .collect()
        }
    }

    /// `compare METRIC [PERIOD] [KIND]`.
    pub fn usage(&self) -> String {
        let mut s = self.name.clone();
        for p in &self.params {
            s.push(' ');
            s.push_str(&p.usage());
        }
        s
    }
}

/// Why a query could not be found, prepared, saved or run.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// No canned or saved query has this name.
    #[error("no query named {name:?}{}; list them with `peel queries`", did_you_mean(.suggestions))]
    UnknownQuery {
        /// The name given.
        name: String,
        /// Close names.
        suggestions: Vec<String>,
    },
    /// An argument is missing, extra, unknown, or does not resolve.
    #[error("{query}: {message}{}", usage_tail(.usage))]
    Param {
        /// The query.
        query: String,
        /// What is wrong.
        message: String,
        /// The usage line, when the mistake is in the shape of the call.
        usage: Option<String>,
    },
    /// A saved query breaks a rule (name, shadowing, writes, positional parameters).
    #[error("{0}")]
    Invalid(String),
    /// A query with several results was asked for one it does not have, or for output
    /// that holds one result (CSV) without saying which.
    #[error("{0}")]
    Results(String),
    /// A saved query stored in the file breaks a rule (it writes, does not prepare, has a
    /// malformed declaration): a fault in the file's data, so exit status 1.
    #[error("{0}")]
    Stored(String),
    /// A saved query's SQL does not prepare.
    #[error("{0}")]
    Sql(String),
    /// No saved query by that name.
    #[error("no saved query named {0:?}")]
    NotSaved(String),
    /// Running failed.
    #[error(transparent)]
    Exec(#[from] ExecError),
    /// Reading the catalogue or candidates failed.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

impl QueryError {
    /// True for mistakes in how the query was called (exit status 2).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            QueryError::UnknownQuery { .. }
                | QueryError::Param { .. }
                | QueryError::Invalid(_)
                | QueryError::Results(_)
                | QueryError::NotSaved(_)
        )
    }
}

fn did_you_mean(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!(" (did you mean {one}?)"),
        many => format!(" (did you mean {}?)", many.join(", ")),
    }
}

fn usage_tail(usage: &Option<String>) -> String {
    match usage {
        Some(u) => format!("; usage: peel run {u}"),
        None => String::new(),
    }
}

/// The canned query of that name.
pub fn canned(name: &str) -> Option<&'static CannedQuery> {
    CATALOGUE.iter().find(|c| c.name == name)
}

/// Finds a query by name: canned first (a saved query can never shadow one), then saved.
pub fn find(conn: &Connection, name: &str) -> Result<Query, QueryError> {
    if let Some(c) = canned(name) {
        return Ok(Query::from_canned(c));
    }
    if let Some(s) = saved::load_one(conn, name)? {
        return s.to_query(conn);
    }
    let mut names: Vec<String> = CATALOGUE.iter().map(|c| c.name.to_string()).collect();
    names.extend(load_saved(conn)?.into_iter().map(|s| s.name));
    let mut scored: Vec<(f64, String)> = names
        .into_iter()
        .map(|n| (strsim::jaro_winkler(&name.to_lowercase(), &n), n))
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    Err(QueryError::UnknownQuery {
        name: name.into(),
        suggestions: scored.into_iter().take(3).map(|(_, n)| n).collect(),
    })
}

/// One line of `peel queries`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryInfo {
    /// The name.
    pub name: String,
    /// Canned or saved.
    pub origin: Origin,
    /// The usage line.
    pub usage: String,
    /// One line.
    pub summary: String,
}

/// Every canned query, then every saved one in the file (when a connection is given).
pub fn list(conn: Option<&Connection>) -> Result<Vec<QueryInfo>, QueryError> {
    let mut out: Vec<QueryInfo> = CATALOGUE
        .iter()
        .map(|c| {
            let q = Query::from_canned(c);
            QueryInfo {
                usage: q.usage(),
                name: q.name,
                origin: Origin::Canned,
                summary: q.summary,
            }
        })
        .collect();
    if let Some(conn) = conn {
        for s in load_saved(conn)? {
            // A saved row named like a canned query (put in the file by hand: `save`
            // refuses the name) can never run, since canned names come first: it is
            // listed as such, so that it can be seen and removed.
            if canned(&s.name).is_some() {
                out.push(QueryInfo {
                    usage: format!(
                        "{} (never runs: the canned query of that name does; peel unsave {} removes it)",
                        s.name, s.name
                    ),
                    name: s.name,
                    origin: Origin::Saved,
                    summary: s.description,
                });
                continue;
            }
            let q = s.to_query(conn);
            let usage = match &q {
                Ok(q) => q.usage(),
                // A saved query that no longer prepares (the schema changed) is still
                // listed, so that it can be seen and removed.
                Err(_) => format!("{} (does not prepare)", s.name),
            };
            out.push(QueryInfo {
                name: s.name,
                origin: Origin::Saved,
                usage,
                summary: s.description,
            });
        }
    }
    Ok(out)
}

/// Sends the listing to a sink: columns name, kind, usage, summary.
pub fn list_to_sink(conn: Option<&Connection>, sink: &mut dyn RowSink) -> Result<(), QueryError> {
    let rows = list(conn)?;
    let write = |sink: &mut dyn RowSink| -> io::Result<()> {
        sink.begin(&[
            "name".into(),
            "kind".into(),
            "usage".into(),
            "summary".into(),
        ])?;
        for r in rows {
            sink.row(&[
                Value::Text(r.name),
                Value::Text(r.origin.as_str().into()),
                Value::Text(r.usage),
                Value::Text(r.summary),
            ])?;
        }
        sink.end()
    };
    write(sink).map_err(|e| QueryError::Exec(ExecError::Output(e)))
}

/// A query's help: usage, summary, parameters, an example and its SQL.
pub fn describe(conn: &Connection, name: &str) -> Result<String, QueryError> {
    let q = find(conn, name)?;
    let mut s = format!(
        "usage: peel run {}\n{} ({} query)\n",
        q.usage(),
        q.summary,
        q.origin.as_str()
    );
    if !q.params.is_empty() {
        s.push_str("\nparameters (by position, or NAME=VALUE):\n");
        for p in &q.params {
            let default = p
                .default_text()
                .map(|d| format!(" [default: {d}]"))
                .unwrap_or_default();
            s.push_str(&format!(
                "  {:<10} {}{default}\n",
                p.name.to_uppercase(),
                p.help
            ));
        }
    }
    if q.origin == Origin::Canned {
        s.push_str(&format!(
            "\nexample: peel run {}{}{}\n",
            q.name,
            if q.example.is_empty() { "" } else { " " },
            q.example
        ));
    }
    s.push_str(&format!("\nSQL:\n{}\n", q.sql.trim_end()));
    Ok(s)
}

/// A query with its arguments resolved and bound, ready to run.
#[derive(Debug, Clone)]
pub struct Call {
    /// The query.
    pub query: Query,
    /// The bound values, keyed with the sigil (`:force`).
    pub params: Params,
    /// How each parameter was bound, in order, for messages.
    pub bindings: Vec<Binding>,
    /// Notes for stderr: how an argument was read (`cambs` = Cambridgeshire), what a
    /// default chose, scale changes.
    pub notes: Vec<String>,
}

/// Resolves `args` (by position or `name=value`) for the query `name`, and gathers the
/// notes to show before its result.
pub fn prepare(conn: &Connection, name: &str, args: &[String]) -> Result<Call, QueryError> {
    prepare_with(conn, name, args, true)
}

/// Like [`prepare`]; with `coverage` false the query's own notes (what it covers, why it
/// is empty) are not worked out, for callers that will not show them (`peel run -q`).
pub fn prepare_with(
    conn: &Connection,
    name: &str,
    args: &[String],
    coverage: bool,
) -> Result<Call, QueryError> {
    let query = find(conn, name)?;
    let (params, bindings, mut notes) = params::bind(conn, &query, args)?;
    if coverage && !query.notes.is_empty() {
        notes.extend(run_notes(conn, &query.notes, &params)?);
    }
    if coverage && !query.untyped.is_empty() {
        notes.extend(untyped_note(conn, &query, &bindings, &params));
    }
    Ok(Call {
        query,
        params,
        bindings,
        notes,
    })
}

/// For a saved query that finds no rows while some parameters have no declared kind:
/// what those were compared with and how to declare them. `force = 'cambs'` matches
/// nothing, silently, and an empty result cannot tell a wrong type from a true empty.
/// Finding out runs the query first, stopping at its first row, so an empty one runs
/// twice; callers that will not show notes skip this (see [`prepare_with`]).
fn untyped_note(
    conn: &Connection,
    query: &Query,
    bindings: &[Binding],
    params: &Params,
) -> Option<String> {
    if has_rows(conn, &query.sql, params)? {
        return None;
    }
    let values: Vec<(String, String)> = bindings
        .iter()
        .filter(|b| query.untyped.contains(&b.name))
        .map(|b| (b.name.clone(), b.value.to_text().unwrap_or_default()))
        .collect();
    (!values.is_empty()).then(|| declare::untyped_note(&values))
}

/// Whether any statement of `sql` gives a row; `None` when running fails, which the real
/// run will report.
fn has_rows(conn: &Connection, sql: &str, params: &Params) -> Option<bool> {
    struct First(bool);
    impl RowSink for First {
        fn begin(&mut self, _: &[String]) -> io::Result<()> {
            Ok(())
        }
        fn row(&mut self, _: &[Value]) -> io::Result<()> {
            self.0 = true;
            // An error is the only way to stop a script early; it is recognised by the
            // flag, not by its text.
            Err(io::Error::other("first row found"))
        }
        fn end(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut sink = First(false);
    let ran = exec::run_script(conn, sql, params, Policy { read_only: true }, &mut sink);
    match (sink.0, ran) {
        (true, _) => Some(true),
        (false, Ok(_)) => Some(false),
        (false, Err(_)) => None,
    }
}

/// Runs a notes script and collects the text of its rows.
fn run_notes(conn: &Connection, sql: &str, params: &Params) -> Result<Vec<String>, QueryError> {
    struct Collect(Vec<String>);
    impl RowSink for Collect {
        fn begin(&mut self, _: &[String]) -> io::Result<()> {
            Ok(())
        }
        fn row(&mut self, values: &[Value]) -> io::Result<()> {
            if let Some(text) = values.first().and_then(Value::to_text) {
                self.0.push(text);
            }
            Ok(())
        }
        fn end(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut sink = Collect(Vec::new());
    exec::run_script(conn, sql, params, Policy { read_only: true }, &mut sink)?;
    Ok(sink.0)
}

impl Call {
    /// Runs the query into `sink`, read-only, with the `_sources` column handled as
    /// `sources` says. Result sets are shaped (grids, chart hints) before `sink` sees them.
    pub fn run(
        &self,
        conn: &Connection,
        sink: &mut dyn RowSink,
        sources: SourcesMode,
    ) -> Result<Summary, QueryError> {
        let mut provenance = Provenance::new(sink, sources);
        let mut shaper = Shaper {
            inner: &mut provenance,
            shapes: &self.query.shapes,
            index: 0,
            buffer: None,
        };
        Ok(exec::run_script(
            conn,
            &self.query.sql,
            &self.params,
            Policy { read_only: true },
            &mut shaper,
        )?)
    }
}

impl Call {
    /// Sends `EXPLAIN QUERY PLAN` of each statement, with the bound arguments, to `sink`:
    /// one result set per statement (columns id, parent, detail).
    pub fn explain(&self, conn: &Connection, sink: &mut dyn RowSink) -> Result<(), QueryError> {
        for chunk in exec::split_statements(&self.query.sql) {
            // Chunks holding only comments have no plan.
            let mut batch = rusqlite::Batch::new(conn, chunk.text);
            if rusqlite::fallible_iterator::FallibleIterator::next(&mut batch)
                .map_err(QueryError::Sqlite)?
                .is_none()
            {
                continue;
            }
            let explain = format!("EXPLAIN QUERY PLAN {}", chunk.text);
            let mut renamed = PlanRows { inner: sink };
            exec::run_script(
                conn,
                &explain,
                &self.params,
                Policy { read_only: true },
                &mut renamed,
            )?;
        }
        Ok(())
    }
}

/// Drops the `notused` column of `EXPLAIN QUERY PLAN`.
struct PlanRows<'a> {
    inner: &'a mut dyn RowSink,
}

impl RowSink for PlanRows<'_> {
    fn begin(&mut self, _: &[String]) -> io::Result<()> {
        self.inner
            .begin(&["id".into(), "parent".into(), "detail".into()])
    }
    fn row(&mut self, values: &[Value]) -> io::Result<()> {
        let field = |i: usize| values.get(i).cloned().unwrap_or(Value::Null);
        self.inner.row(&[field(0), field(1), field(3)])
    }
    fn end(&mut self) -> io::Result<()> {
        self.inner.end()
    }
}

/// Applies each result set's [`Shape`]: sends the chart hint, and pivots into a grid.
struct Shaper<'a> {
    inner: &'a mut dyn RowSink,
    shapes: &'a [Shape],
    index: usize,
    buffer: Option<(PivotSpec, Vec<String>, Vec<Vec<Value>>)>,
}

impl RowSink for Shaper<'_> {
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        let shape = self.shapes.get(self.index);
        if let Some(chart) = shape.and_then(|s| s.chart.as_ref()) {
            self.inner.hint(&chart.hint());
        }
        if let Some(grid) = shape.and_then(|s| s.grid.as_ref()) {
            self.inner.hint(&grid.hint());
        }
        match shape.and_then(|s| s.pivot.as_ref()) {
            Some(p) => {
                let spec = PivotSpec {
                    rows: p.rows.iter().map(|r| r.to_string()).collect(),
                    column: p.column.into(),
                    value: p.value.into(),
                    order: p.order.map(str::to_string),
                };
                self.buffer = Some((spec, columns.to_vec(), Vec::new()));
                Ok(())
            }
            None => self.inner.begin(columns),
        }
    }

    fn row(&mut self, values: &[Value]) -> io::Result<()> {
        match &mut self.buffer {
            Some((_, _, rows)) => {
                rows.push(values.to_vec());
                Ok(())
            }
            None => self.inner.row(values),
        }
    }

    fn end(&mut self) -> io::Result<()> {
        self.index += 1;
        match self.buffer.take() {
            Some((spec, columns, rows)) => {
                let (columns, rows) = pivot(&spec, &columns, &rows);
                self.inner.begin(&columns)?;
                for r in &rows {
                    self.inner.row(r)?;
                }
                self.inner.end()
            }
            None => self.inner.end(),
        }
    }

    fn hint(&mut self, hint: &ChartHint) {
        self.inner.hint(hint);
    }

    fn footer(&mut self, title: &str, items: &[String]) -> io::Result<()> {
        self.inner.footer(title, items)
    }
}

/// Query names (canned, then saved) starting with `prefix`, for completion.
pub fn complete_names(conn: Option<&Connection>, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = CATALOGUE.iter().map(|c| c.name.to_string()).collect();
    if let Some(conn) = conn
        && let Ok(saved) = load_saved(conn)
    {
        names.extend(saved.into_iter().map(|s| s.name));
    }
    names.retain(|n| n.starts_with(prefix));
    names
}

/// Completion candidates for the next argument of query `name`, given the arguments
/// before it and the `partial` word being typed: values of the parameter that position
/// fills (force slugs, metric codes, years, ...), or of `NAME=` when the partial word
/// names a parameter, plus `NAME=` forms of the parameters not yet given. Never fails:
/// anything unknown gives no candidates.
pub fn complete_argument(
    conn: &Connection,
    name: &str,
    before: &[String],
    partial: &str,
) -> Vec<String> {
    let Ok(query) = find(conn, name) else {
        return Vec::new();
    };
    params::complete(conn, &query, before, partial)
}

#[cfg(test)]
mod tests;
