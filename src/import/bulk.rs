//! `peel import csv`: bulk figures from CSV, streamed row by row into `metric_values`
//! inside one transaction per file.
//!
//! Two layouts, told apart by the header:
//! - the long layout: columns `area`, `period`, `metric`, `value`, and optionally `unit`
//!   and `source` (any order, any case; other columns are ignored and reported);
//! - the Home Office police recorded crime open data table (see [`home_office`]): offence
//!   counts per force and financial quarter, from which peel also derives financial-year
//!   totals and rates per 1,000 population (stored as derived values with a note).
//!
//! Every row is written through the one loader ([`crate::load`]): its figure statement,
//! and the periods, metrics and sources a file introduces. Names are resolved through
//! [`crate::resolve`], like canned-query arguments, and each
//! distinct text only once. Rows are never held: memory grows with the number of distinct
//! names (and, for the Home Office layout, with forces x offences x years for the annual
//! totals), not with the file. Nothing here prints; the caller shows the summary, notes
//! and progress.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use rusqlite::types::ToSqlOutput;
use rusqlite::{Connection, OptionalExtension, Statement, ToSql, params};

use super::home_office::{self, Columns};
use super::periods::{self, Date, PeriodSpec};
use crate::resolve::{self, Candidate, How, ResolveError};

/// A fast hasher for the per-row caches (the FxHash mix): the keys are cell bytes and
/// ids from a local file, so the protection SipHash gives against chosen keys buys
/// nothing here, and hashing three cells per row with it showed in profiles.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        let mut tail = [0u8; 8];
        let rest = chunks.remainder();
        tail[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(tail) ^ ((rest.len() as u64) << 56));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_i64(&mut self, n: i64) {
        self.add(n as u64);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by cell bytes or ids, hashed with [`FastHasher`].
type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

/// The units a metric may have (the `metrics.unit` CHECK constraint).
pub const UNITS: &[&str] = &[
    "count",
    "persons",
    "households",
    "fte",
    "percent",
    "percent change",
    "per 1,000 population",
    "per 1,000 households",
    "per million population",
];

/// The trust levels of a source (the `sources.trust` CHECK constraint).
pub const TRUST: &[&str] = &["high", "medium-high", "medium", "low"];

/// How a file is imported.
#[derive(Debug, Clone)]
pub struct CsvOptions {
    /// Create metrics the file names that do not exist yet.
    pub create_metrics: bool,
    /// The unit of created metrics when the file has no `unit` column (or leaves it empty).
    pub unit: Option<String>,
    /// Trust recorded for the file's own source row and for new sources it names.
    pub trust: String,
    /// Replace values stored from other sources, and allow a file imported before.
    pub replace: bool,
    /// Check everything, then roll back.
    pub dry_run: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            create_metrics: false,
            unit: None,
            trust: "medium".into(),
            replace: false,
            dry_run: false,
        }
    }
}

/// Which layout a file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// `area, period, metric, value[, unit][, source]`.
    #[default]
    Long,
    /// The Home Office police recorded crime open data table.
    HomeOffice,
}

impl Layout {
    /// How the layout is named in messages.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Long => "long layout",
            Layout::HomeOffice => "Home Office recorded crime table",
        }
    }
}

/// What importing one file did (or would do, in a dry run).
#[derive(Debug, Clone, Default)]
pub struct CsvSummary {
    /// The file as named on the command line.
    pub file: String,
    /// Its layout.
    pub layout: Layout,
    /// Data rows read (the header not counted).
    pub rows: u64,
    /// Values stored from rows.
    pub values: u64,
    /// Financial-year totals derived from quarters (Home Office layout).
    pub year_totals: u64,
    /// Rates per 1,000 population derived (Home Office layout).
    pub rates: u64,
    /// Values that replaced ones stored from another source (`--replace`).
    pub replaced: u64,
    /// Metrics created, by code.
    pub metrics_created: Vec<String>,
    /// Periods created, by label.
    pub periods_created: Vec<String>,
    /// Rows for bodies that are not territorial forces, by body (Home Office layout).
    pub other_bodies: BTreeMap<String, u64>,
    /// Financial years not totalled because the file lacks some of their quarters.
    pub incomplete_years: u64,
    /// Counts with no population figure for their area, so no rate.
    pub without_population: u64,
    /// How names that were not matched exactly were read, once each.
    pub notes: Vec<String>,
    /// Header columns the layout does not use.
    pub ignored_columns: Vec<String>,
    /// The key of the file's `sources` row (`csv:` and its SHA-256).
    pub source_key: String,
    /// Whether the same file had been imported before (allowed by `--replace`).
    pub reimported: bool,
}

/// Why a file could not be imported: one line naming the file, and the line and column
/// when a row is at fault.
#[derive(Debug, thiserror::Error)]
#[error("{file}{}: {message}", place(.line, .column))]
pub struct CsvError {
    /// The file as named on the command line.
    pub file: String,
    /// The line of the file (1 is the header).
    pub line: Option<u64>,
    /// The column (1-based) and its header.
    pub column: Option<(usize, String)>,
    /// What is wrong.
    pub message: String,
}

fn place(line: &Option<u64>, column: &Option<(usize, String)>) -> String {
    match (line, column) {
        (Some(l), Some((c, name))) => format!(" line {l}, column {c} ({name})"),
        (Some(l), None) => format!(" line {l}"),
        _ => String::new(),
    }
}

/// A number from a cell: an integer when it is one (so SQLite stores an integer).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// Whole numbers.
    Int(i64),
    /// Anything else that is finite.
    Real(f64),
}

impl Number {
    fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Real(f) => f,
        }
    }
}

impl ToSql for Number {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Number::Int(i) => ToSqlOutput::from(*i),
            Number::Real(f) => ToSqlOutput::from(*f),
        })
    }
}

/// Reads a number as spreadsheets write it: `1234`, `-5`, `12.5`, `1e3`, `1,234,567`
/// (commas only between groups of three digits, and only before the decimal point).
/// Empty, non-finite or other text is not a number: `1.234,5` (a European decimal
/// comma) and `0.5,000` could mean two different numbers, so neither is read as one.
pub fn parse_number(cell: &str) -> Option<Number> {
    let t = cell.trim();
    if t.is_empty() {
        return None;
    }
    let text: Cow<str> = if t.contains(',') {
        let (int_part, fraction) = t.split_once('.').unwrap_or((t, ""));
        if fraction.contains(',') {
            return None;
        }
        let digits = int_part.trim_start_matches(['-', '+']);
        let groups: Vec<&str> = digits.split(',').collect();
        let grouped = groups[0].len() <= 3
            && !groups[0].is_empty()
            && groups[1..].iter().all(|g| g.len() == 3);
        if !grouped {
            return None;
        }
        Cow::Owned(t.replace(',', ""))
    } else {
        Cow::Borrowed(t)
    };
    if let Ok(i) = text.parse::<i64>() {
        return Some(Number::Int(i));
    }
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() => Some(Number::Real(f)),
        _ => None,
    }
}

/// Where a value came from, for messages.
#[derive(Debug, Clone, Copy)]
enum Origin<'a> {
    /// A row of the file, and the column to blame.
    Row { line: u64, column: usize },
    /// A value peel derived: what it is.
    Derived(&'a str),
}

/// A metric peel knows: its id, code and unit.
#[derive(Debug, Clone)]
struct Metric {
    id: i64,
    code: String,
    unit: String,
}

/// What a metric text resolved to.
#[derive(Debug, Clone)]
enum MetricRef {
    Known(usize),
    /// Not found (and not created): remembered so that every unknown name can be listed.
    Unknown,
}

/// Candidates and caches for everything a row names.
struct Names {
    areas: Vec<Candidate>,
    area_ids: HashMap<String, i64>,
    area_labels: HashMap<i64, String>,
    area_cache: FastMap<Box<[u8]>, i64>,
    metric_candidates: Vec<Candidate>,
    metrics: Vec<Metric>,
    metric_index: HashMap<String, usize>,
    /// Normalized code or name -> metrics known by it: the exact tier of
    /// [`resolve::resolve`] without normalizing every candidate for every new name
    /// (which costs metrics squared when a file brings thousands of them).
    metric_exact: HashMap<String, Vec<usize>>,
    metric_cache: FastMap<Box<[u8]>, MetricRef>,
    periods: Vec<resolve::Period>,
    period_ids: HashMap<String, i64>,
    period_by_dates: HashMap<(Option<String>, String), i64>,
    period_labels: HashMap<i64, (String, String)>,
    period_cache: FastMap<Box<[u8]>, i64>,
    source_cache: FastMap<Box<[u8]>, i64>,
}

impl Names {
    fn load(conn: &Connection) -> rusqlite::Result<Names> {
        let areas = resolve::load_areas(conn, &["force", "region", "country", "national"])?;
        let mut area_ids = HashMap::new();
        let mut area_labels = HashMap::new();
        {
            let mut stmt = conn.prepare("SELECT area_id, code, short_name FROM areas")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                area_ids.insert(r.get::<_, String>(1)?, id);
                area_labels.insert(id, r.get::<_, String>(2)?);
            }
        }
        let mut names = Names {
            areas,
            area_ids,
            area_labels,
            area_cache: FastMap::default(),
            metric_candidates: Vec::new(),
            metrics: Vec::new(),
            metric_index: HashMap::new(),
            metric_exact: HashMap::new(),
            metric_cache: FastMap::default(),
            periods: Vec::new(),
            period_ids: HashMap::new(),
            period_by_dates: HashMap::new(),
            period_labels: HashMap::new(),
            period_cache: FastMap::default(),
            source_cache: FastMap::default(),
        };
        {
            let mut stmt = conn.prepare("SELECT metric_id, code, name, unit FROM metrics")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let code: String = r.get(1)?;
                let name: String = r.get(2)?;
                names.add_metric(r.get(0)?, &code, &name, r.get(3)?);
            }
        }
        {
            let mut stmt =
                conn.prepare("SELECT period_id, label, start_date, end_date FROM periods")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                names.add_period(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            }
        }
        Ok(names)
    }

    fn add_metric(&mut self, id: i64, code: &str, name: &str, unit: String) -> usize {
        self.metric_candidates
            .push(resolve::metric_candidate(code, name));
        self.metrics.push(Metric {
            id,
            code: code.to_string(),
            unit,
        });
        let index = self.metrics.len() - 1;
        self.metric_index.insert(code.to_string(), index);
        for key in [resolve::normalize(code), resolve::normalize(name)] {
            let hits = self.metric_exact.entry(key).or_default();
            if !hits.contains(&index) {
                hits.push(index);
            }
        }
        index
    }

    fn add_period(&mut self, id: i64, label: String, start: Option<String>, end: String) {
        self.period_ids.insert(label.to_lowercase(), id);
        self.period_by_dates.insert((start, end.clone()), id);
        self.period_labels.insert(id, (label.clone(), end.clone()));
        self.periods.push(resolve::Period {
            label,
            end_date: end,
            has_figures: false,
        });
    }

    fn area_label(&self, id: i64) -> &str {
        self.area_labels.get(&id).map_or("?", String::as_str)
    }

    fn period_label(&self, id: i64) -> &str {
        self.period_labels.get(&id).map_or("?", |(l, _)| l.as_str())
    }
}

/// A cell's text, or an error naming it.
fn text_of<'r>(
    record: &'r csv::ByteRecord,
    index: usize,
    fail: &dyn Fn(usize, String) -> CsvError,
) -> Result<&'r str, CsvError> {
    let bytes = record.get(index).unwrap_or_default();
    std::str::from_utf8(bytes).map_err(|e| {
        fail(
            index,
            format!(
                "not UTF-8 text (invalid byte at offset {}); save the sheet as \"CSV UTF-8\"",
                e.valid_up_to()
            ),
        )
    })
}

/// The state of one file's import, inside its transaction.
struct Import<'c> {
    conn: &'c Connection,
    file: String,
    opts: CsvOptions,
    header: Vec<String>,
    names: Names,
    insert: Statement<'c>,
    file_source: i64,
    /// Every value with a larger id was written by this import (ids only grow inside one
    /// transaction), so a conflict with one is a duplicate in the file.
    first_new_id: i64,
    summary: CsvSummary,
    /// Unknown metric texts: first line, column and suggestions.
    unknown_metrics: BTreeMap<String, (u64, usize, Vec<String>)>,
    /// While the count trigger is dropped for a large load: figures written per
    /// (period, metric), folded into `period_metric_counts` at the end.
    pair_counts: Option<FastMap<(i64, i64), i64>>,
}

impl<'c> Import<'c> {
    fn error(&self, line: Option<u64>, column: Option<usize>, message: String) -> CsvError {
        CsvError {
            file: self.file.clone(),
            line,
            column: column.map(|c| {
                (
                    c + 1,
                    self.header
                        .get(c)
                        .cloned()
                        .unwrap_or_else(|| format!("column {}", c + 1)),
                )
            }),
            message,
        }
    }

    fn sql_error(&self, line: Option<u64>, e: rusqlite::Error) -> CsvError {
        self.error(
            line,
            None,
            format!("database: {}", crate::exec::sqlite_message(&e)),
        )
    }

    fn note(&mut self, what: &str, input: &str, label: &str, how: How) {
        if how != How::Exact {
            let note = format!("{what} {input:?} read as {label}");
            if !self.summary.notes.contains(&note) {
                self.summary.notes.push(note);
            }
        }
    }

    /// The area a cell names (ONS code, slug, name, alias, abbreviation or fragment).
    fn area(&mut self, text: &str, line: u64, column: usize) -> Result<i64, CsvError> {
        if let Some(&id) = self.names.area_cache.get(text.as_bytes()) {
            return Ok(id);
        }
        let (code, label, how) = match resolve::resolve(
            "area",
            text,
            &self.names.areas,
            "areas are forces, regions, countries or England and Wales: list forces with `peel run forces`",
        ) {
            Ok(r) => (r.candidate.value.clone(), r.candidate.label.clone(), r.how),
            Err(e) => return Err(self.error(Some(line), Some(column), e.to_string())),
        };
        self.note("area", text, &label, how);
        let id = self.names.area_ids[&code];
        self.names.area_cache.insert(text.as_bytes().into(), id);
        Ok(id)
    }

    /// The period a cell names: an existing label, or one of the documented ISO forms,
    /// created when new.
    fn period(&mut self, text: &str, line: u64, column: usize) -> Result<i64, CsvError> {
        if let Some(&id) = self.names.period_cache.get(text.as_bytes()) {
            return Ok(id);
        }
        let id = self.resolve_period(text, line, column)?;
        self.names.period_cache.insert(text.as_bytes().into(), id);
        Ok(id)
    }

    fn resolve_period(&mut self, text: &str, line: u64, column: usize) -> Result<i64, CsvError> {
        let trimmed = text.trim();
        if let Some(&id) = self.names.period_ids.get(&trimmed.to_lowercase()) {
            return Ok(id);
        }
        match periods::parse_period(trimmed) {
            Err(e) => Err(self.error(Some(line), Some(column), e.to_string())),
            Ok(Some(spec)) => self
                .period_for(&spec)
                .map_err(|e| self.sql_error(Some(line), e)),
            Ok(None) => {
                let hint = "give an existing period's label, a date (2015-06-30), a span (2014-07-01/2015-06-30), a financial year (2014/15) or a quarter (2014/15 Q1)";
                match resolve::resolve_period(trimmed, &self.names.periods, hint) {
                    Ok((p, how)) => {
                        let label = p.label.clone();
                        self.note("period", trimmed, &label, how);
                        Ok(self.names.period_ids[&label.to_lowercase()])
                    }
                    Err(e) => Err(self.error(Some(line), Some(column), e.to_string())),
                }
            }
        }
    }

    /// The id of the period `spec` describes: one with the same dates (whatever its
    /// label), else one with the same label, else a new one.
    fn period_for(&mut self, spec: &PeriodSpec) -> rusqlite::Result<i64> {
        if let Some(&id) = self
            .names
            .period_by_dates
            .get(&(spec.start.clone(), spec.end.clone()))
        {
            return Ok(id);
        }
        if let Some(&id) = self.names.period_ids.get(&spec.label.to_lowercase()) {
            return Ok(id);
        }
        let id = crate::load::insert_period(
            self.conn,
            &crate::load::NewPeriod {
                label: &spec.label,
                kind: spec.kind,
                start: spec.start.as_deref(),
                end: &spec.end,
            },
        )?;
        self.names
            .add_period(id, spec.label.clone(), spec.start.clone(), spec.end.clone());
        self.summary.periods_created.push(spec.label.clone());
        Ok(id)
    }

    /// Creates a metric; `name` is shown to people, `definition` says where it came from.
    fn create_metric(
        &mut self,
        code: &str,
        name: &str,
        unit: &str,
        higher_is_better: Option<i64>,
        definition: &str,
    ) -> rusqlite::Result<usize> {
        let id = crate::load::insert_metric(
            self.conn,
            &crate::load::NewMetric {
                code,
                name,
                unit,
                higher_is_better,
                definition,
                edition: None,
                in_profile: false,
                rate_of: None,
            },
        )?;
        self.summary.metrics_created.push(code.to_string());
        Ok(self.names.add_metric(id, code, name, unit.to_string()))
    }

    /// The metric a long-layout cell names; `None` when unknown and not created (it is
    /// remembered, and listed when the file has been read).
    fn metric(
        &mut self,
        text: &str,
        unit: Option<&str>,
        line: u64,
        column: usize,
        unit_column: Option<usize>,
    ) -> Result<Option<usize>, CsvError> {
        match self.names.metric_cache.get(text.as_bytes()) {
            Some(MetricRef::Known(i)) => return Ok(Some(*i)),
            Some(MetricRef::Unknown) => return Ok(None),
            None => {}
        }
        let exact = self
            .names
            .metric_exact
            .get(&resolve::normalize(text))
            .map_or(&[][..], Vec::as_slice);
        if let [one] = exact {
            let i = *one;
            self.names
                .metric_cache
                .insert(text.as_bytes().into(), MetricRef::Known(i));
            return Ok(Some(i));
        }
        if exact.is_empty() && self.opts.create_metrics && !text.trim().is_empty() {
            let i = self.new_metric(text, unit, line, column, unit_column)?;
            self.names
                .metric_cache
                .insert(text.as_bytes().into(), MetricRef::Known(i));
            return Ok(Some(i));
        }
        let found = resolve::resolve(
            "metric",
            text,
            &self.names.metric_candidates,
            "list them with `peel run metrics`",
        );
        let resolved = match found {
            // With --create-metrics only an exact match is taken, so that a new metric
            // is never read as an existing one that merely shares a word.
            Ok(r) if r.how == How::Exact || !self.opts.create_metrics => {
                let code = r.candidate.value.clone();
                let label = r.candidate.label.clone();
                self.note("metric", text, &label, r.how);
                MetricRef::Known(self.names.metric_index[&code])
            }
            Err(e @ (ResolveError::Empty { .. } | ResolveError::Invalid(_))) => {
                return Err(self.error(Some(line), Some(column), e.to_string()));
            }
            _ if self.opts.create_metrics => {
                MetricRef::Known(self.new_metric(text, unit, line, column, unit_column)?)
            }
            Err(ResolveError::Unknown { suggestions, .. }) => {
                self.unknown_metrics
                    .entry(text.to_string())
                    .or_insert((line, column, suggestions));
                MetricRef::Unknown
            }
            Err(e) => return Err(self.error(Some(line), Some(column), e.to_string())),
            Ok(_) => unreachable_metric(),
        };
        self.names
            .metric_cache
            .insert(text.as_bytes().into(), resolved.clone());
        Ok(match resolved {
            MetricRef::Known(i) => Some(i),
            MetricRef::Unknown => None,
        })
    }

    /// Creates the metric a long-layout cell names (`--create-metrics`), with the row's
    /// unit or `--unit`.
    fn new_metric(
        &mut self,
        text: &str,
        unit: Option<&str>,
        line: u64,
        column: usize,
        unit_column: Option<usize>,
    ) -> Result<usize, CsvError> {
        let unit = unit
            .filter(|u| !u.trim().is_empty())
            .map(str::trim)
            .or(self.opts.unit.as_deref());
        let Some(unit) = unit.map(str::to_string) else {
            return Err(self.error(
                    Some(line),
                    Some(column),
                    format!(
                        "metric {text:?} is new: give its unit in a unit column or with --unit (one of: {})",
                        UNITS.join(", ")
                    ),
                ));
        };
        if !UNITS.contains(&unit.as_str()) {
            return Err(self.error(
                Some(line),
                unit_column.or(Some(column)),
                format!("unknown unit {unit:?}; units are: {}", UNITS.join(", ")),
            ));
        }
        let code = metric_code(text).ok_or_else(|| {
            self.error(
                Some(line),
                Some(column),
                format!("{text:?} cannot be made into a metric code (letters, digits and -)"),
            )
        })?;
        if self.names.metric_index.contains_key(&code) {
            return Err(self.error(
                    Some(line),
                    Some(column),
                    format!("metric {text:?} would be created as {code}, which exists under another name; use the code {code}"),
                ));
        }
        let definition = format!("Created by peel import csv from {} line {line}", self.file);
        self.create_metric(&code, text.trim(), &unit, None, &definition)
            .map_err(|e| self.sql_error(Some(line), e))
    }

    /// The source a `source` cell names: an existing source by key or location, else a
    /// new `url` source for a web address, else a new `file` source (with the file's
    /// SHA-256 when it can be read).
    fn source(&mut self, text: &str, line: u64) -> Result<i64, CsvError> {
        if let Some(&id) = self.names.source_cache.get(text.as_bytes()) {
            return Ok(id);
        }
        let t = text.trim();
        let id = self
            .find_or_create_source(t)
            .map_err(|e| self.sql_error(Some(line), e))?;
        self.names.source_cache.insert(text.as_bytes().into(), id);
        Ok(id)
    }

    fn find_or_create_source(&mut self, t: &str) -> rusqlite::Result<i64> {
        let existing: Option<i64> = self
            .conn
            .query_row(
                "SELECT source_id FROM sources WHERE key = ?1 OR location = ?1
                 ORDER BY key = ?1 DESC, source_id LIMIT 1",
                [t],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = existing {
            return Ok(id);
        }
        let note = format!(
            "Named in the source column of {}; recorded by peel import csv",
            self.file
        );
        let is_url = t.starts_with("http://") || t.starts_with("https://");
        let (key, kind, sha) = if is_url {
            (format!("url:{t}"), "url", None)
        } else {
            match sha256_of_file(Path::new(t)) {
                Ok(sha) => (format!("file:{sha}"), "file", Some(sha)),
                Err(_) => (format!("file:{t}"), "file", None),
            }
        };
        // Two names for the same file content: reuse the first.
        if let Some(id) = self
            .conn
            .query_row(
                "SELECT source_id FROM sources WHERE key = ?1",
                [&key],
                |r| r.get(0),
            )
            .optional()?
        {
            return Ok(id);
        }
        crate::load::insert_source(
            self.conn,
            &crate::load::NewSource {
                key: &key,
                kind,
                location: t,
                title: t,
                trust: &self.opts.trust,
                note: Some(&note),
                sha256: sha.as_deref(),
                ..crate::load::NewSource::default()
            },
        )
    }

    /// Stores one value. A value already stored for the same metric, area and period is
    /// a duplicate when this import wrote it, replaced with `--replace`, and otherwise an
    /// error naming where it came from.
    #[allow(clippy::too_many_arguments)]
    fn put(
        &mut self,
        metric: i64,
        period: i64,
        area: i64,
        value: Number,
        source: i64,
        origin: Origin<'_>,
        note: Option<&str>,
    ) -> Result<(), CsvError> {
        let (line, derived) = match origin {
            Origin::Row { line, .. } => (Some(line as i64), 0),
            Origin::Derived(_) => (None, 1),
        };
        let bind = |stmt: &mut Statement<'_>| -> rusqlite::Result<usize> {
            stmt.raw_bind_parameter(1, metric)?;
            stmt.raw_bind_parameter(2, period)?;
            stmt.raw_bind_parameter(3, area)?;
            stmt.raw_bind_parameter(4, value)?;
            stmt.raw_bind_parameter(5, source)?;
            // 6 is the report: a CSV figure has none.
            stmt.raw_bind_parameter(7, line)?;
            stmt.raw_bind_parameter(8, derived)?;
            stmt.raw_bind_parameter(9, note)?;
            // 10 to 12 (its own trust, a rate's inputs): none for a CSV figure.
            stmt.raw_bind_parameter(10, None::<&str>)?;
            stmt.raw_bind_parameter(11, None::<i64>)?;
            stmt.raw_bind_parameter(12, None::<i64>)?;
            stmt.raw_execute()
        };
        let changed = match bind(&mut self.insert) {
            Ok(n) => n,
            Err(e) => {
                return Err(self.fail_at(
                    origin,
                    format!("database: {}", crate::exec::sqlite_message(&e)),
                ));
            }
        };
        if changed == 1 {
            if let Some(counts) = &mut self.pair_counts {
                *counts.entry((period, metric)).or_default() += 1;
            }
            return Ok(());
        }
        self.conflict(
            metric, period, area, value, source, origin, line, derived, note,
        )
    }

    fn fail_at(&self, origin: Origin<'_>, message: String) -> CsvError {
        match origin {
            Origin::Row { line, column } => self.error(Some(line), Some(column), message),
            Origin::Derived(what) => self.error(None, None, format!("{what}: {message}")),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn conflict(
        &mut self,
        metric: i64,
        period: i64,
        area: i64,
        value: Number,
        source: i64,
        origin: Origin<'_>,
        line: Option<i64>,
        derived: i64,
        note: Option<&str>,
    ) -> Result<(), CsvError> {
        let existing = crate::load::stored_value(self.conn, metric, period, area)
            .and_then(|v| v.ok_or(rusqlite::Error::QueryReturnedNoRows))
            .map_err(|e| self.fail_at(origin, format!("database: {e}")))?;
        let crate::load::StoredValue {
            value_id,
            value: old,
            source_line: old_line,
            location,
        } = existing;
        let metric_code = self
            .names
            .metrics
            .iter()
            .find(|m| m.id == metric)
            .map_or("?", |m| m.code.as_str());
        let what = format!(
            "{}, {}, {}",
            self.names.area_label(area),
            metric_code,
            self.names.period_label(period)
        );
        if value_id >= self.first_new_id {
            let first = old_line.map_or(String::from("earlier"), |l| format!("on line {l}"));
            return Err(self.fail_at(origin, format!("{what} is given twice (first {first})")));
        }
        if !self.opts.replace {
            return Err(self.fail_at(
                origin,
                format!(
                    "{what} is already stored ({old}, from {location}); use --replace to replace it"
                ),
            ));
        }
        crate::load::replace_value(
            self.conn,
            value_id,
            &crate::load::NewValue {
                metric_id: metric,
                period_id: period,
                area_id: area,
                value,
                source_id: source,
                report_id: None,
                source_line: line,
                derived,
                note,
                trust: None,
                numerator_id: None,
                denominator_id: None,
            },
        )
        .map_err(|e| self.fail_at(origin, format!("database: {e}")))?;
        self.summary.replaced += 1;
        Ok(())
    }
}

/// Never reached: every `Ok` is taken by the arms before it. Kept total without a panic.
fn unreachable_metric() -> MetricRef {
    MetricRef::Unknown
}

/// A metric code from what a file calls it: the text itself when it is already a code,
/// else its words joined with `-` (`Burglary offences` -> `burglary-offences`).
pub fn metric_code(text: &str) -> Option<String> {
    let t = text.trim();
    if !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some(t.to_string());
    }
    let slug: String = resolve::normalize(t)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let slug = slug
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    (!slug.is_empty()).then_some(slug)
}

/// SHA-256 of a file, read in blocks (the whole file is never in memory).
pub fn sha256_of_file(path: &Path) -> io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(super::hex(&hasher.finalize()))
}

/// Counts the bytes read, for progress.
struct Counting<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// Imports one CSV file in its own transaction. `progress` is called now and then with
/// the bytes read so far. On any error nothing of the file is stored.
pub fn import_csv_file(
    conn: &mut Connection,
    path: &Path,
    opts: &CsvOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<CsvSummary, CsvError> {
    let file = path.display().to_string();
    let read_error = |e: io::Error| CsvError {
        file: file.clone(),
        line: None,
        column: None,
        message: format!("cannot read: {e}"),
    };
    let sql_error = |e: rusqlite::Error| CsvError {
        file: file.clone(),
        line: None,
        column: None,
        message: format!("database: {}", crate::exec::sqlite_message(&e)),
    };
    if !TRUST.contains(&opts.trust.as_str()) {
        return Err(CsvError {
            file: file.clone(),
            line: None,
            column: None,
            message: format!(
                "unknown trust {:?}; one of: {}",
                opts.trust,
                TRUST.join(", ")
            ),
        });
    }
    crate::db::ensure_only_peels_triggers(conn).map_err(|e| CsvError {
        file: file.clone(),
        line: None,
        column: None,
        message: e.to_string(),
    })?;
    let sha = sha256_of_file(path).map_err(read_error)?;
    let mut start = Vec::new();
    File::open(path)
        .and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, 4096), &mut start))
        .map_err(read_error)?;
    if let Some(message) = super::foreign_encoding(&start) {
        return Err(CsvError {
            file: file.clone(),
            line: Some(1),
            column: None,
            message,
        });
    }
    let handle = File::open(path).map_err(read_error)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .buffer_capacity(1 << 16)
        .from_reader(Counting {
            inner: BufReader::with_capacity(1 << 16, handle),
            read: 0,
        });
    let header: Vec<String> = match reader.byte_headers() {
        Ok(h) => h
            .iter()
            .map(|c| {
                String::from_utf8_lossy(c)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .to_string()
            })
            .collect(),
        Err(e) => return Err(csv_error(&file, e)),
    };
    if let Some(message) = super::duplicate_column(&header) {
        return Err(CsvError {
            file: file.clone(),
            line: Some(1),
            column: None,
            message,
        });
    }
    if header.iter().all(String::is_empty) {
        return Err(CsvError {
            file: file.clone(),
            line: Some(1),
            column: None,
            message: "no header row (expected area, period, metric, value, or the Home Office table's columns)".into(),
        });
    }
    let layout = if home_office::recognise(&header).is_some() {
        Layout::HomeOffice
    } else {
        Layout::Long
    };

    // A load at least as large as the table is faster with its indexes rebuilt by
    // sorting afterwards than kept up to date row by row, and with foreign keys checked
    // once per distinct id rather than four times per row. Duplicates and conflicts are
    // then found when the unique index is rebuilt, before anything commits. Only for the
    // long layout without --replace, whose conflicts are all errors, and only when
    // metric_values has no trigger but peel's own. Decided before the transaction:
    // SQLite ignores `PRAGMA foreign_keys` inside one.
    let existing: i64 = conn
        .query_row(
            "SELECT ifnull(max(value_id), 0) FROM metric_values",
            [],
            |r| r.get(0),
        )
        .map_err(sql_error)?;
    let deferred = layout == Layout::Long
        && !opts.replace
        && estimated_rows(path).map_err(read_error)? >= DEFER_AT_LEAST.max(existing)
        && only_peels_triggers(conn).map_err(sql_error)?;

    // A large page cache keeps the indexes being filled in memory; it lasts as long as
    // this connection (one command).
    conn.execute_batch("PRAGMA cache_size = -65536;")
        .map_err(sql_error)?;
    if deferred {
        conn.pragma_update(None, "foreign_keys", false)
            .map_err(sql_error)?;
    }
    let result = load(
        conn,
        Load {
            path,
            file: &file,
            sha: &sha,
            opts,
            header,
            layout,
            deferred,
        },
        &mut reader,
        progress,
    );
    if deferred {
        // Back on whatever happened, for the next file and command on this connection.
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(sql_error)?;
    }
    result
}

/// What [`load`] needs to know about the file.
struct Load<'a> {
    path: &'a Path,
    file: &'a str,
    sha: &'a str,
    opts: &'a CsvOptions,
    header: Vec<String>,
    layout: Layout,
    deferred: bool,
}

/// The transaction of one file: its source row, every row, the derived values, and for
/// a deferred load the rebuilt indexes and the foreign-key check.
fn load(
    conn: &mut Connection,
    job: Load<'_>,
    reader: &mut Reader,
    progress: &mut dyn FnMut(u64),
) -> Result<CsvSummary, CsvError> {
    let Load {
        path,
        file,
        sha,
        opts,
        header,
        layout,
        deferred,
    } = job;
    let sql_error = |e: rusqlite::Error| CsvError {
        file: file.to_string(),
        line: None,
        column: None,
        message: format!("database: {}", crate::exec::sqlite_message(&e)),
    };
    let tx = conn.transaction().map_err(sql_error)?;
    let summary = {
        let names = Names::load(&tx).map_err(sql_error)?;
        let source_key = format!("csv:{sha}");
        let earlier: Option<(i64, String)> = tx
            .query_row(
                "SELECT source_id, location FROM sources WHERE key = ?1",
                [&source_key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(sql_error)?;
        let file_name = path
            .file_name()
            .map_or(file.to_string(), |n| n.to_string_lossy().into_owned());
        let (file_source, reimported) = match earlier {
            Some((_, location)) if !opts.replace => {
                return Err(CsvError {
                    file: file.to_string(),
                    line: None,
                    column: None,
                    message: format!(
                        "this file (SHA-256 {}...) was imported before, as {location}; use --replace to import it again",
                        &sha[..12]
                    ),
                });
            }
            Some((id, _)) => (id, true),
            None => {
                let id = crate::load::insert_source(
                    &tx,
                    &crate::load::NewSource {
                        key: &source_key,
                        kind: "file",
                        location: file,
                        title: &file_name,
                        trust: &opts.trust,
                        note: Some("CSV file imported by peel import csv"),
                        sha256: Some(sha),
                        ..crate::load::NewSource::default()
                    },
                )
                .map_err(sql_error)?;
                (id, false)
            }
        };
        let first_new_id: i64 = tx
            .query_row(
                "SELECT ifnull(max(value_id), 0) + 1 FROM metric_values",
                [],
                |r| r.get(0),
            )
            .map_err(sql_error)?;
        let dropped = if deferred {
            drop_for_load(&tx).map_err(sql_error)?
        } else {
            Vec::new()
        };
        let insert = tx
            .prepare(&if deferred {
                crate::load::INSERT_VALUE.to_string()
            } else {
                format!(
                    "{}{}",
                    crate::load::INSERT_VALUE,
                    crate::load::ON_CONFLICT_SKIP
                )
            })
            .map_err(sql_error)?;
        let mut import = Import {
            conn: &tx,
            file: file.to_string(),
            opts: opts.clone(),
            header: header.clone(),
            names,
            insert,
            file_source,
            first_new_id,
            summary: CsvSummary {
                file: file.to_string(),
                layout,
                source_key,
                reimported,
                ..CsvSummary::default()
            },
            unknown_metrics: BTreeMap::new(),
            pair_counts: deferred.then(FastMap::default),
        };
        match home_office::recognise(&header) {
            Some(columns) => home_office_rows(&mut import, reader, columns, progress)?,
            None => long_rows(&mut import, reader, progress)?,
        }
        progress(reader.get_ref().read);
        rebuild_after_load(&mut import, &dropped)?;
        if deferred {
            check_foreign_keys(&import)?;
        }
        // The metrics the file wrote: when one is a figure a rate divides (or the
        // population), the rates are derived again in the same transaction, so none is
        // ever stale; a file of other metrics (offence counts) leaves them alone.
        let inputs = crate::load::rates::inputs(import.conn).map_err(sql_error)?;
        let touches_rates = import.names.metric_cache.values().any(|m| match m {
            MetricRef::Known(i) => inputs.contains(&import.names.metrics[*i].code),
            MetricRef::Unknown => false,
        });
        (import.summary, touches_rates)
    };
    let (summary, touches_rates) = summary;
    if touches_rates {
        crate::load::rates::derive_rates(&tx).map_err(sql_error)?;
    }
    if opts.dry_run {
        tx.rollback().map_err(sql_error)?;
    } else {
        tx.commit().map_err(sql_error)?;
    }
    Ok(summary)
}

/// The foreign-key check of a deferred load, done once per distinct id: every id a row
/// of the load carries came from the importer's caches (areas, periods and sources it
/// resolved, metrics it knows or made), so checking those ids checks every row.
fn check_foreign_keys(import: &Import<'_>) -> Result<(), CsvError> {
    let names = &import.names;
    let sources = names
        .source_cache
        .values()
        .copied()
        .chain([import.file_source]);
    let checks: [(&str, Vec<i64>); 4] = [
        ("areas", names.area_cache.values().copied().collect()),
        ("periods", names.period_cache.values().copied().collect()),
        ("metrics", names.metrics.iter().map(|m| m.id).collect()),
        ("sources", sources.collect()),
    ];
    for (table, ids) in checks {
        let key = &table[..table.len() - 1];
        let mut stmt = import
            .conn
            .prepare_cached(&format!(
                "SELECT EXISTS (SELECT 1 FROM {table} WHERE {key}_id = ?1)"
            ))
            .map_err(|e| import.sql_error(None, e))?;
        for id in ids {
            let found: bool = stmt
                .query_row([id], |r| r.get(0))
                .map_err(|e| import.sql_error(None, e))?;
            if !found {
                return Err(import.error(
                    None,
                    None,
                    format!("FOREIGN KEY constraint failed: {key}_id {id} is not in {table}"),
                ));
            }
        }
    }
    Ok(())
}

/// The smallest load (in rows) whose indexes are rebuilt rather than maintained.
const DEFER_AT_LEAST: i64 = 10_000;

/// Rows in the file, estimated from its size and the lines in its first 64 KiB.
fn estimated_rows(path: &Path) -> io::Result<i64> {
    let size = std::fs::metadata(path)?.len();
    let mut head = Vec::with_capacity(1 << 16);
    File::open(path)?.take(1 << 16).read_to_end(&mut head)?;
    let lines = head.iter().filter(|&&b| b == b'\n').count().max(1) as u64;
    Ok((size * lines / head.len().max(1) as u64) as i64)
}

/// The triggers peel itself puts on `metric_values` (schema.sql). A large load drops
/// only the insert one and does its work itself; a file with any other trigger there
/// (an analyst's own) is loaded row by row, so that the trigger fires for every row.
const PEELS_TRIGGERS: &[&str] = &[
    "metric_values_counted",
    "metric_values_uncounted",
    "metric_values_recounted",
];

fn only_peels_triggers(conn: &Connection) -> rusqlite::Result<bool> {
    let others: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'metric_values'
           AND name NOT IN (?1, ?2, ?3)",
        [PEELS_TRIGGERS[0], PEELS_TRIGGERS[1], PEELS_TRIGGERS[2]],
        |r| r.get(0),
    )?;
    Ok(others == 0)
}

/// Drops the indexes of `metric_values` and its insert trigger, returning their kinds
/// and SQL (the unique key first) so they can be made again exactly as the schema has
/// them.
fn drop_for_load(conn: &Connection) -> rusqlite::Result<Vec<(String, String, String)>> {
    let objects: Vec<(String, String, String)> = conn
        .prepare(
            "SELECT type, name, sql FROM sqlite_schema
             WHERE tbl_name = 'metric_values' AND sql IS NOT NULL
               AND (type = 'index' OR (type = 'trigger' AND name = ?1))
             ORDER BY type = 'trigger', sql NOT LIKE 'CREATE UNIQUE%', name",
        )?
        .query_map([PEELS_TRIGGERS[0]], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<Result<_, _>>()?;
    for (kind, name, _) in &objects {
        conn.execute_batch(&format!(
            "DROP {} \"{}\"",
            if kind == "trigger" {
                "TRIGGER"
            } else {
                "INDEX"
            },
            name.replace('"', "\"\"")
        ))?;
    }
    Ok(objects)
}

/// Makes the dropped indexes again, folds the load's counts into
/// `period_metric_counts`, and puts the trigger back. When the unique key cannot be
/// built, the file repeats a value or contradicts a stored one: the first such row (in
/// file order) is the error.
fn rebuild_after_load(
    import: &mut Import<'_>,
    dropped: &[(String, String, String)],
) -> Result<(), CsvError> {
    for (kind, _, sql) in dropped {
        if kind == "trigger" {
            let counts = import.pair_counts.take().unwrap_or_default();
            let mut add = import
                .conn
                .prepare(
                    "INSERT INTO period_metric_counts (period_id, metric_id, figures)
                     VALUES (?1, ?2, ?3)
                     ON CONFLICT (period_id, metric_id) DO UPDATE SET figures = figures + excluded.figures",
                )
                .map_err(|e| import.sql_error(None, e))?;
            for ((period, metric), n) in counts {
                add.execute(params![period, metric, n])
                    .map_err(|e| import.sql_error(None, e))?;
            }
        }
        if let Err(e) = import.conn.execute_batch(sql) {
            if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
                return Err(first_duplicate(import)
                    .map_err(|e| import.sql_error(None, e))?
                    .unwrap_or_else(|| import.sql_error(None, e)));
            }
            return Err(import.sql_error(None, e));
        }
    }
    Ok(())
}

/// The first row of this import (in file order) whose metric, period and area an
/// earlier row or a stored value already has, as the error the row-by-row path gives.
fn first_duplicate(import: &Import<'_>) -> rusqlite::Result<Option<CsvError>> {
    let found: Option<(i64, Option<i64>, i64, i64, i64, i64)> = import
        .conn
        .query_row(
            "SELECT value_id, source_line, previous, metric_id, period_id, area_id FROM (
               SELECT value_id, source_line, metric_id, period_id, area_id,
                      lag(value_id) OVER w AS previous
               FROM metric_values
               WINDOW w AS (PARTITION BY metric_id, period_id, area_id ORDER BY value_id))
             WHERE previous IS NOT NULL AND value_id >= ?1 ORDER BY value_id LIMIT 1",
            [import.first_new_id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .optional()?;
    let Some((_, line, previous, metric, period, area)) = found else {
        return Ok(None);
    };
    let (old, old_line, location): (f64, Option<i64>, String) = import.conn.query_row(
        "SELECT v.value, v.source_line, s.location FROM metric_values v
         JOIN sources s ON s.source_id = v.source_id WHERE v.value_id = ?1",
        [previous],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let metric_code = import
        .names
        .metrics
        .iter()
        .find(|m| m.id == metric)
        .map_or("?", |m| m.code.as_str());
    let what = format!(
        "{}, {}, {}",
        import.names.area_label(area),
        metric_code,
        import.names.period_label(period)
    );
    let message = if previous >= import.first_new_id {
        let first = old_line.map_or(String::from("earlier"), |l| format!("on line {l}"));
        format!("{what} is given twice (first {first})")
    } else {
        format!("{what} is already stored ({old}, from {location}); use --replace to replace it")
    };
    let column = import
        .header
        .iter()
        .position(|h| home_office::header_key(h) == "value");
    Ok(Some(import.error(line.map(|l| l as u64), column, message)))
}

fn csv_error(file: &str, e: csv::Error) -> CsvError {
    let line = e.position().map(|p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields, but the header has {expected_len}"),
        csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
        _ => e.to_string(),
    };
    CsvError {
        file: file.to_string(),
        line,
        column: None,
        message,
    }
}

type Reader = csv::Reader<Counting<BufReader<File>>>;

/// How often progress is reported, in rows.
const PROGRESS_EVERY: u64 = 16 * 1024;

/// Where the long layout's columns are.
struct LongColumns {
    area: usize,
    period: usize,
    metric: usize,
    value: usize,
    unit: Option<usize>,
    source: Option<usize>,
}

fn long_columns(import: &mut Import<'_>) -> Result<LongColumns, CsvError> {
    let keys: Vec<String> = import
        .header
        .iter()
        .map(|h| home_office::header_key(h))
        .collect();
    let find = |name: &str| keys.iter().position(|k| k == name);
    let missing: Vec<&str> = ["area", "period", "metric", "value"]
        .into_iter()
        .filter(|n| find(n).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(import.error(
            Some(1),
            None,
            format!(
                "the header lacks {} (the long layout is area, period, metric, value, and optionally unit and source; the Home Office table has {})",
                missing.join(", "),
                home_office::COLUMNS.join(", ")
            ),
        ));
    }
    let known = ["area", "period", "metric", "value", "unit", "source"];
    import.summary.ignored_columns = import
        .header
        .iter()
        .zip(&keys)
        .filter(|(_, k)| !known.contains(&k.as_str()))
        .map(|(h, _)| h.clone())
        .collect();
    Ok(LongColumns {
        area: find("area").unwrap_or_default(),
        period: find("period").unwrap_or_default(),
        metric: find("metric").unwrap_or_default(),
        value: find("value").unwrap_or_default(),
        unit: find("unit"),
        source: find("source"),
    })
}

/// Reads the next data row into `record`, counting it and reporting progress now and
/// then; its line, or `None` at the end of the file.
fn next_row(
    import: &mut Import<'_>,
    reader: &mut Reader,
    record: &mut csv::ByteRecord,
    progress: &mut dyn FnMut(u64),
) -> Result<Option<u64>, CsvError> {
    match reader.read_byte_record(record) {
        Ok(true) => {}
        Ok(false) => return Ok(None),
        Err(e) => return Err(csv_error(&import.file, e)),
    }
    import.summary.rows += 1;
    if import.summary.rows.is_multiple_of(PROGRESS_EVERY) {
        progress(reader.get_ref().read);
    }
    Ok(Some(record.position().map_or(0, |p| p.line())))
}

fn long_rows(
    import: &mut Import<'_>,
    reader: &mut Reader,
    progress: &mut dyn FnMut(u64),
) -> Result<(), CsvError> {
    let cols = long_columns(import)?;
    let file = import.file.clone();
    let header = import.header.clone();
    let mut record = csv::ByteRecord::new();
    while let Some(line) = next_row(import, reader, &mut record, progress)? {
        let fail = |c: usize, message: String| cell_error(&file, &header, line, c, message);
        // Cells seen before are found by their bytes; only new ones are checked for
        // UTF-8 and resolved.
        let bytes = |c: usize| record.get(c).unwrap_or_default();
        let value_text = text_of(&record, cols.value, &fail)?;
        let unit_text = match cols.unit {
            Some(c) => Some(text_of(&record, c, &fail)?),
            None => None,
        };
        let area = match import.names.area_cache.get(bytes(cols.area)) {
            Some(&id) => id,
            None => import.area(text_of(&record, cols.area, &fail)?, line, cols.area)?,
        };
        let period = match import.names.period_cache.get(bytes(cols.period)) {
            Some(&id) => id,
            None => import.period(text_of(&record, cols.period, &fail)?, line, cols.period)?,
        };
        let known = match import.names.metric_cache.get(bytes(cols.metric)) {
            Some(MetricRef::Known(i)) => Some(Some(*i)),
            Some(MetricRef::Unknown) => Some(None),
            None => None,
        };
        let metric = match known {
            Some(m) => m,
            None => {
                let metric_text = text_of(&record, cols.metric, &fail)?;
                import.metric(metric_text, unit_text, line, cols.metric, cols.unit)?
            }
        };
        let Some(metric) = metric else {
            continue;
        };
        let metric_unit = &import.names.metrics[metric].unit;
        if let (Some(u), Some(c)) = (unit_text, cols.unit)
            && !u.trim().is_empty()
            && u.trim() != metric_unit
        {
            return Err(fail(
                c,
                format!(
                    "{} is measured in {metric_unit:?}, not {:?}",
                    import.names.metrics[metric].code,
                    u.trim()
                ),
            ));
        }
        let Some(value) = parse_number(value_text) else {
            return Err(fail(
                cols.value,
                if value_text.trim().is_empty() {
                    "no value (leave out rows without a figure)".to_string()
                } else {
                    format!(
                        "{} is not a number",
                        super::grades::excerpt(value_text.trim())
                    )
                },
            ));
        };
        let source = match cols.source.map(bytes) {
            Some(b) if !b.trim_ascii().is_empty() => match import.names.source_cache.get(b) {
                Some(&id) => id,
                None => {
                    let text = text_of(&record, cols.source.unwrap_or_default(), &fail)?;
                    import.source(text, line)?
                }
            },
            _ => import.file_source,
        };
        let metric_id = import.names.metrics[metric].id;
        if !import.unknown_metrics.is_empty() {
            // The file is already refused; read on only to list every unknown metric.
            continue;
        }
        import.put(
            metric_id,
            period,
            area,
            value,
            source,
            Origin::Row {
                line,
                column: cols.value,
            },
            None,
        )?;
        import.summary.values += 1;
    }
    unknown_metrics_error(import)
}

fn unknown_metrics_error(import: &Import<'_>) -> Result<(), CsvError> {
    let Some((_, (line, column, _))) = import.unknown_metrics.iter().next() else {
        return Ok(());
    };
    const SHOWN: usize = 10;
    let mut listed: Vec<String> = import
        .unknown_metrics
        .iter()
        .take(SHOWN)
        .map(|(name, (_, _, suggestions))| match suggestions.as_slice() {
            [] => format!("{name:?}"),
            s => format!("{name:?} (did you mean {}?)", s.join(" or ")),
        })
        .collect();
    if import.unknown_metrics.len() > SHOWN {
        listed.push(format!("and {} more", import.unknown_metrics.len() - SHOWN));
    }
    Err(import.error(
        Some(*line),
        Some(*column),
        format!(
            "{} unknown metric{}: {}; nothing was stored (list metrics with `peel run metrics`, or create them with --create-metrics and a unit)",
            import.unknown_metrics.len(),
            if import.unknown_metrics.len() == 1 { "" } else { "s" },
            listed.join(", ")
        ),
    ))
}

/// The population the pairing rule gives an area and period, with the note rates carry.
#[derive(Debug, Clone)]
struct Population {
    value: f64,
    note: String,
}

/// A financial year's total being added up from its quarters.
#[derive(Debug, Clone, Copy, Default)]
struct YearTotal {
    sum: f64,
    integral: bool,
    quarters: u8,
}

/// A quarter's period, its financial year's period, and the quarter's bit.
type QuarterPeriods = (i64, i64, u8);

/// The raw texts of a row's Financial Year and Financial Quarter cells.
type YearAndQuarterText = (Box<[u8]>, Box<[u8]>);

/// Population figures by area: (date, value, period label).
type PopulationByArea = HashMap<i64, Vec<(Date, f64, String)>>;

/// The Home Office layout's caches: each distinct text is read once.
struct HomeOffice {
    /// Offence code text -> metric index.
    offences: HashMap<Box<[u8]>, usize>,
    /// Count metric index -> its rate metric index, once made.
    rate_metrics: HashMap<usize, usize>,
    /// (financial year text, quarter text) -> (quarter period, year period, quarter bit).
    periods: HashMap<YearAndQuarterText, QuarterPeriods>,
    /// Population figures by area: (date, value, period label), for the pairing rule.
    population: PopulationByArea,
    paired: HashMap<(i64, i64), Option<Population>>,
    /// (metric index, area, year period) -> the quarters seen so far.
    years: BTreeMap<(usize, i64, i64), YearTotal>,
    /// Raw force texts -> the other body they name, if any.
    bodies: HashMap<Box<[u8]>, Option<&'static str>>,
}

fn load_population(conn: &Connection) -> rusqlite::Result<PopulationByArea> {
    let mut out = PopulationByArea::new();
    let mut stmt = conn.prepare(
        "SELECT v.area_id, p.end_date, v.value, p.label FROM metric_values v
         JOIN metrics m ON m.metric_id = v.metric_id JOIN periods p ON p.period_id = v.period_id
         WHERE m.code = 'population' AND v.value > 0",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let end: String = r.get(1)?;
        if let Some(d) = Date::parse_iso(&end) {
            out.entry(r.get(0)?)
                .or_default()
                .push((d, r.get(2)?, r.get(3)?));
        }
    }
    Ok(out)
}

impl HomeOffice {
    /// The population of `area` that peel's pairing rule gives `period` (a quarter or a
    /// financial year of the table): the mid-year estimate inside its financial year,
    /// 30 June of the year the financial year starts ([`crate::load::rates`]), never one
    /// further away. Cached per area and period.
    fn population(&mut self, names: &Names, area: i64, period: i64) -> Option<Population> {
        if let Some(p) = self.paired.get(&(area, period)) {
            return p.clone();
        }
        let end = names
            .period_labels
            .get(&period)
            .and_then(|(_, end)| Date::parse_iso(end));
        let found = end.and_then(|end| {
            // A quarter or year ending January to March belongs to the financial year
            // that started the April before.
            let first_year = if end.m >= 4 { end.y } else { end.y - 1 };
            let mid_year = Date {
                y: first_year,
                m: 6,
                d: 30,
            };
            self.population.get(&area).and_then(|list| {
                list.iter()
                    .find(|(d, _, _)| *d == mid_year)
                    .map(|(_, value, label)| Population {
                        value: *value,
                        note: format!(
                            "derived by peel import csv: offences x 1,000 / population of the area {label} (the mid-year estimate inside the financial year)"
                        ),
                    })
            })
        });
        self.paired.insert((area, period), found.clone());
        found
    }
}

fn home_office_rows(
    import: &mut Import<'_>,
    reader: &mut Reader,
    cols: Columns,
    progress: &mut dyn FnMut(u64),
) -> Result<(), CsvError> {
    let has_population = import.names.metric_index.contains_key("population");
    let population = if has_population {
        load_population(import.conn).map_err(|e| import.sql_error(None, e))?
    } else {
        HashMap::new()
    };
    let mut ho = HomeOffice {
        offences: HashMap::new(),
        rate_metrics: HashMap::new(),
        periods: HashMap::new(),
        population,
        paired: HashMap::new(),
        years: BTreeMap::new(),
        bodies: HashMap::new(),
    };
    let file = import.file.clone();
    let header = import.header.clone();
    let mut record = csv::ByteRecord::new();
    while let Some(line) = next_row(import, reader, &mut record, progress)? {
        let fail = |c: usize, message: String| cell_error(&file, &header, line, c, message);

        // The force first: rows for other bodies are only counted.
        let force_bytes = record.get(cols.force).unwrap_or_default();
        let body = match ho.bodies.get(force_bytes) {
            Some(b) => *b,
            None => {
                let text = text_of(&record, cols.force, &fail)?;
                let b = home_office::other_body(&home_office::clean_force_name(text));
                ho.bodies.insert(force_bytes.into(), b);
                b
            }
        };
        if let Some(body) = body {
            *import
                .summary
                .other_bodies
                .entry(body.to_string())
                .or_default() += 1;
            continue;
        }
        let area = match import.names.area_cache.get(force_bytes) {
            Some(&id) => id,
            None => {
                let text = text_of(&record, cols.force, &fail)?;
                let clean = home_office::clean_force_name(text);
                let id = import.area(&clean, line, cols.force)?;
                import.names.area_cache.insert(force_bytes.into(), id);
                id
            }
        };

        let key = (
            Box::<[u8]>::from(record.get(cols.year).unwrap_or_default()),
            Box::<[u8]>::from(record.get(cols.quarter).unwrap_or_default()),
        );
        let (quarter, year, bit) = match ho.periods.get(&key) {
            Some(&p) => p,
            None => {
                let p = quarter_and_year(import, &record, &cols, line, &fail)?;
                ho.periods.insert(key, p);
                p
            }
        };

        let code_bytes = record.get(cols.code).unwrap_or_default();
        let metric = match ho.offences.get(code_bytes) {
            Some(&m) => m,
            None => {
                let m = offence_metric(import, &record, &cols, line, &fail)?;
                ho.offences.insert(code_bytes.into(), m);
                m
            }
        };

        let count_text = text_of(&record, cols.count, &fail)?;
        let Some(count) = parse_number(count_text) else {
            return Err(fail(
                cols.count,
                format!(
                    "{} is not a number",
                    super::grades::excerpt(count_text.trim())
                ),
            ));
        };
        let metric_id = import.names.metrics[metric].id;
        let origin = Origin::Row {
            line,
            column: cols.count,
        };
        import.put(
            metric_id,
            quarter,
            area,
            count,
            import.file_source,
            origin,
            None,
        )?;
        import.summary.values += 1;
        put_rate(import, &mut ho, metric, area, quarter, count, origin)?;

        let total = ho.years.entry((metric, area, year)).or_insert(YearTotal {
            integral: true,
            ..YearTotal::default()
        });
        total.sum += count.as_f64();
        total.integral &= matches!(count, Number::Int(_));
        total.quarters |= bit;
    }

    // Financial-year totals, for the years whose four quarters the file gives.
    let years = std::mem::take(&mut ho.years);
    for ((metric, area, year), total) in years {
        if total.quarters != 0b1111 {
            import.summary.incomplete_years += 1;
            continue;
        }
        let value = if total.integral {
            Number::Int(total.sum as i64)
        } else {
            Number::Real(total.sum)
        };
        let year_label = import.names.period_label(year).to_string();
        let note = format!(
            "derived by peel import csv: the sum of the four quarters of {year_label} (Home Office quarterly counts)"
        );
        let what = format!(
            "the {year_label} total of {} for {}",
            import.names.metrics[metric].code,
            import.names.area_label(area)
        );
        let metric_id = import.names.metrics[metric].id;
        import.put(
            metric_id,
            year,
            area,
            value,
            import.file_source,
            Origin::Derived(&what),
            Some(&note),
        )?;
        import.summary.year_totals += 1;
        put_rate(
            import,
            &mut ho,
            metric,
            area,
            year,
            value,
            Origin::Derived(&what),
        )?;
    }
    Ok(())
}

/// The quarter and financial-year periods of a row (created when new), and the quarter's
/// bit (Q1 = 1, Q2 = 2, Q3 = 4, Q4 = 8).
fn quarter_and_year(
    import: &mut Import<'_>,
    record: &csv::ByteRecord,
    cols: &Columns,
    line: u64,
    fail: &dyn Fn(usize, String) -> CsvError,
) -> Result<(i64, i64, u8), CsvError> {
    let year_text = text_of(record, cols.year, fail)?.trim();
    let first = match periods::parse_period(year_text) {
        Ok(Some(PeriodSpec {
            kind: "financial-year",
            start: Some(start),
            ..
        })) => Date::parse_iso(&start).map_or(0, |d| d.y),
        _ => {
            return Err(fail(
                cols.year,
                format!("{year_text:?} is not a financial year such as 2014/15"),
            ));
        }
    };
    let quarter_text = text_of(record, cols.quarter, fail)?.trim();
    let Some((q, spec)) = home_office::parse_quarter(quarter_text)
        .and_then(|q| periods::financial_quarter(first, q).map(|s| (q, s)))
    else {
        return Err(fail(
            cols.quarter,
            format!("{quarter_text:?} is not a quarter (1 to 4)"),
        ));
    };
    let quarter = import
        .period_for(&spec)
        .map_err(|e| import.sql_error(Some(line), e))?;
    let year = import
        .period_for(&periods::financial_year(first))
        .map_err(|e| import.sql_error(Some(line), e))?;
    Ok((quarter, year, 1 << (q - 1)))
}

/// The metric of a Home Office row's offence (its index), created (unit count) when new.
fn offence_metric(
    import: &mut Import<'_>,
    record: &csv::ByteRecord,
    cols: &Columns,
    line: u64,
    fail: &dyn Fn(usize, String) -> CsvError,
) -> Result<usize, CsvError> {
    let code = text_of(record, cols.code, fail)?.trim().to_string();
    let description = text_of(record, cols.description, fail)?.trim().to_string();
    let group = text_of(record, cols.group, fail)?.trim().to_string();
    let subgroup = text_of(record, cols.subgroup, fail)?.trim().to_string();
    let Some(metric_code) = home_office::offence_metric_code(&code, &description) else {
        return Err(fail(
            cols.code,
            "no offence code and no offence description".into(),
        ));
    };
    match import.names.metric_index.get(&metric_code) {
        Some(&i) => {
            let unit = &import.names.metrics[i].unit;
            if unit != "count" {
                return Err(fail(
                    cols.code,
                    format!("metric {metric_code} exists with unit {unit:?}, not \"count\""),
                ));
            }
            Ok(i)
        }
        None => {
            let name = if description.is_empty() {
                format!("Offences: code {code}")
            } else {
                format!("Offences: {description}")
            };
            let definition = format!(
                "Police recorded crime, number of offences: {description} (Home Office offence code {code}; group: {group}; subgroup: {subgroup}). Created by peel import csv from {} line {line}",
                import.file
            );
            import
                .create_metric(&metric_code, &name, "count", None, &definition)
                .map_err(|e| import.sql_error(Some(line), e))
        }
    }
}

/// The rate metric (`<count code>-per-1000`) of a count metric, made the first time.
fn rate_metric(
    import: &mut Import<'_>,
    ho: &mut HomeOffice,
    metric: usize,
    origin: Origin<'_>,
) -> Result<usize, CsvError> {
    if let Some(&r) = ho.rate_metrics.get(&metric) {
        return Ok(r);
    }
    let count = import.names.metrics[metric].clone();
    let code = format!("{}-per-1000", count.code);
    let r = match import.names.metric_index.get(&code) {
        Some(&r) => {
            let unit = &import.names.metrics[r].unit;
            if unit != "per 1,000 population" {
                return Err(import.fail_at(
                    origin,
                    format!(
                        "metric {code} exists with unit {unit:?}, not \"per 1,000 population\""
                    ),
                ));
            }
            r
        }
        None => {
            let name = import
                .names
                .metric_candidates
                .iter()
                .find(|c| c.value == count.code)
                .and_then(|c| c.names.get(1).cloned())
                .unwrap_or_else(|| count.code.clone());
            let definition = format!(
                "{} x 1,000 / population of the area at 30 June of the financial year (metric population, the pairing rule); derived by peel import csv",
                count.code
            );
            import
                .create_metric(
                    &code,
                    &format!("{name} per 1,000 population"),
                    "per 1,000 population",
                    Some(0),
                    &definition,
                )
                .map_err(|e| import.fail_at(origin, format!("database: {e}")))?
        }
    };
    ho.rate_metrics.insert(metric, r);
    Ok(r)
}

/// Stores the rate per 1,000 population of a count, when the area has a population
/// figure (rounded to 4 decimals).
fn put_rate(
    import: &mut Import<'_>,
    ho: &mut HomeOffice,
    metric: usize,
    area: i64,
    period: i64,
    count: Number,
    origin: Origin<'_>,
) -> Result<(), CsvError> {
    let Some(pop) = ho.population(&import.names, area, period) else {
        import.summary.without_population += 1;
        return Ok(());
    };
    let rate_index = rate_metric(import, ho, metric, origin)?;
    let rate = (count.as_f64() * 1000.0 / pop.value * 10_000.0).round() / 10_000.0;
    let what = format!(
        "the rate per 1,000 population of {} for {}, {}",
        import.names.metrics[metric].code,
        import.names.area_label(area),
        import.names.period_label(period)
    );
    let metric_id = import.names.metrics[rate_index].id;
    import.put(
        metric_id,
        period,
        area,
        Number::Real(rate),
        import.file_source,
        Origin::Derived(&what),
        Some(&pop.note),
    )?;
    import.summary.rates += 1;
    Ok(())
}

/// An error in one cell.
fn cell_error(
    file: &str,
    header: &[String],
    line: u64,
    column: usize,
    message: String,
) -> CsvError {
    CsvError {
        file: file.to_string(),
        line: Some(line),
        column: Some((column + 1, header.get(column).cloned().unwrap_or_default())),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_spreadsheets_write_them() {
        assert_eq!(parse_number("1234"), Some(Number::Int(1234)));
        assert_eq!(parse_number(" -5 "), Some(Number::Int(-5)));
        assert_eq!(parse_number("12.5"), Some(Number::Real(12.5)));
        assert_eq!(parse_number("1,234,567"), Some(Number::Int(1_234_567)));
        assert_eq!(parse_number("1,234.5"), Some(Number::Real(1234.5)));
        assert_eq!(parse_number("1e3"), Some(Number::Real(1000.0)));
        assert_eq!(parse_number("12,34"), None);
        // A comma after the point: a European decimal comma or a typo, never a number.
        assert_eq!(parse_number("1.234,5"), None);
        assert_eq!(parse_number("0.5,000"), None);
        assert_eq!(parse_number("1,234.5,6"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("12x"), None);
    }

    #[test]
    fn metric_codes_from_names() {
        assert_eq!(metric_code("officer-fte").as_deref(), Some("officer-fte"));
        assert_eq!(
            metric_code("Burglary offences").as_deref(),
            Some("burglary-offences")
        );
        assert_eq!(
            metric_code("Stop & search (per 1,000)").as_deref(),
            Some("stop-and-search-per-1-000")
        );
        assert_eq!(metric_code(" ? "), None);
    }

    #[test]
    fn a_deferred_load_checks_foreign_keys_and_turns_enforcement_back_on() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("peel.db");
        crate::seed::build_database(&db, false).unwrap();
        let mut conn = crate::db::open(&db, crate::db::Access::ReadWrite).unwrap();
        let mut text = String::from("area,period,metric,value\n");
        for day in 0..12_000 {
            // 12,000 distinct points in time for one force: a deferred load.
            let year = 1700 + day / 300;
            let (m, d) = (1 + (day % 300) / 28, 1 + day % 28);
            text.push_str(&format!("Kent,{year}-{m:02}-{d:02},officer-fte,{day}\n"));
        }
        let csv = dir.path().join("large.csv");
        std::fs::write(&csv, text).unwrap();
        let summary =
            import_csv_file(&mut conn, &csv, &CsvOptions::default(), &mut |_| {}).unwrap();
        assert_eq!(summary.values, 12_000);
        let on: bool = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert!(on);
        let violations: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(violations, 0);
        // A refused deferred load turns it back on too.
        let err = import_csv_file(&mut conn, &csv, &CsvOptions::default(), &mut |_| {});
        assert!(err.unwrap_err().message.contains("was imported before"));
        let on: bool = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert!(on);
    }
}
