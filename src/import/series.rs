//! Figure series in the research layout, one row per area, metric and period with its own
//! source, trust and note: `area_code, area_name, metric, period_start, period_end, value,
//! unit, source_url, trust, note` (the files in `seed/metrics/`). `peel import csv` reads
//! this layout when it sees that header; the seed loads its series through it.
//!
//! [`parse`] reads a file without a database (every cell checked for its shape: a code, an
//! ISO date, a plain number, a known unit word, a trust level), and [`store`] writes the
//! rows through the one loader: each value with its source (the row's URL), its trust when
//! it differs from the source's, and its note. A metric must exist (its unit, definition and
//! edition are the catalogue's); a value already held for the same metric, area and period
//! is an error unless it is the same number (the file read twice) or `replace` is given.

use std::collections::HashMap;

use rusqlite::Transaction;

use super::grades::excerpt;
use super::periods::{self, PeriodSpec};
use crate::load;

/// The header this layout has, in this order.
pub const COLUMNS: &[&str] = &[
    "area_code",
    "area_name",
    "metric",
    "period_start",
    "period_end",
    "value",
    "unit",
    "source_url",
    "trust",
    "note",
];

/// The research files' unit words, and the unit each is in peel's closed set.
pub const UNIT_WORDS: &[(&str, &str)] = &[
    ("persons", "persons"),
    ("FTE", "fte"),
    ("headcount", "count"),
    ("offences", "count"),
    ("offences (sum of outcomes incl. not yet assigned)", "count"),
    ("arrests", "count"),
    ("searches", "count"),
    ("percent", "percent"),
    (
        "severity-weighted offences per 1,000 population (ONS crime severity score, total recorded crime)",
        "per 1,000 population",
    ),
];

/// Whether a header is this layout's.
pub fn is_series_header(header: &[String]) -> bool {
    header.len() == COLUMNS.len()
        && header
            .iter()
            .zip(COLUMNS)
            .all(|(h, c)| h.trim().eq_ignore_ascii_case(c))
}

/// One row as read.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRow {
    /// Line in the file.
    pub line: u64,
    /// ONS code of the area.
    pub area_code: String,
    /// Metric code.
    pub metric: String,
    /// The period.
    pub period: PeriodSpec,
    /// The number.
    pub value: f64,
    /// peel's unit for the row's unit word.
    pub unit: &'static str,
    /// Where it is stated.
    pub source_url: String,
    /// Its trust.
    pub trust: String,
    /// Its caveat.
    pub note: Option<String>,
}

/// Why a file cannot be read as a series.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}{}: {message}", column.map(|c| format!(", column {c}")).unwrap_or_default())]
pub struct SeriesError {
    /// Line in the file.
    pub line: u64,
    /// Column name.
    pub column: Option<&'static str>,
    /// What is wrong.
    pub message: String,
}

/// A number as the research files write it: an optional minus, digits, an optional point
/// and digits. Anything else (thousands separators, exponents, words) is refused rather than
/// guessed at.
pub fn strict_number(text: &str) -> Option<f64> {
    let t = text.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && (frac.is_empty() != digits.contains('.'));
    if ok { t.parse().ok() } else { None }
}

/// Reads a series file. Lines starting with `#` before the header are comments.
pub fn parse(bytes: &[u8]) -> Result<Vec<SeriesRow>, SeriesError> {
    let fail = |line: u64, column: Option<&'static str>, message: String| SeriesError {
        line,
        column,
        message,
    };
    if let Some(message) = super::foreign_encoding(bytes) {
        return Err(fail(1, None, message));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        fail(line, None, "is not UTF-8 text".into())
    })?;
    let mut skipped = 0u64;
    let mut body = text.strip_prefix('\u{feff}').unwrap_or(text);
    while body.starts_with('#') {
        skipped += 1;
        body = body.split_once('\n').map_or("", |(_, rest)| rest);
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| fail(skipped + 1, None, format!("cannot be read as CSV ({e})")))?
        .iter()
        .map(str::to_string)
        .collect();
    if let Some(message) = super::duplicate_column(&header) {
        return Err(fail(skipped + 1, None, message));
    }
    if !is_series_header(&header) {
        return Err(fail(
            skipped + 1,
            None,
            format!(
                "not a series file: expected the columns {}",
                COLUMNS.join(",")
            ),
        ));
    }
    let units: HashMap<&str, &'static str> = UNIT_WORDS.iter().copied().collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = skipped + e.position().map_or(1, |p| p.line());
            match e.kind() {
                csv::ErrorKind::UnequalLengths { len, .. } => fail(
                    line,
                    None,
                    format!("has {len} fields where the header has {}", COLUMNS.len()),
                ),
                _ => fail(line, None, format!("cannot be read as CSV ({e})")),
            }
        })?;
        let line = skipped + record.position().map_or(0, |p| p.line());
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let area_code = cell(0);
        if area_code.len() != 9 || !area_code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(fail(
                line,
                Some("area_code"),
                format!("{} is not an ONS code", excerpt(area_code)),
            ));
        }
        let metric = cell(2);
        if metric.is_empty() {
            return Err(fail(line, Some("metric"), "is empty".into()));
        }
        let (start, end) = (cell(3), cell(4));
        let form = if start == end {
            end.to_string()
        } else {
            format!("{start}/{end}")
        };
        let period = match periods::parse_period(&form) {
            Ok(Some(p)) => p,
            Ok(None) => {
                return Err(fail(
                    line,
                    Some("period_start"),
                    format!(
                        "{} to {} is not a pair of ISO dates",
                        excerpt(start),
                        excerpt(end)
                    ),
                ));
            }
            Err(e) => return Err(fail(line, Some("period_start"), e.to_string())),
        };
        let value = strict_number(cell(5)).ok_or_else(|| {
            fail(
                line,
                Some("value"),
                format!(
                    "{} is not a plain number (digits and a point)",
                    excerpt(cell(5))
                ),
            )
        })?;
        let unit = units.get(cell(6)).copied().ok_or_else(|| {
            fail(
                line,
                Some("unit"),
                format!(
                    "{} is not a unit peel knows ({})",
                    excerpt(cell(6)),
                    UNIT_WORDS
                        .iter()
                        .map(|(w, _)| *w)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
        let source_url = cell(7);
        if !(source_url.starts_with("https://") || source_url.starts_with("http://")) {
            return Err(fail(
                line,
                Some("source_url"),
                format!("{} does not start with a web address", excerpt(source_url)),
            ));
        }
        let trust = cell(8);
        if !load::TRUST.contains(&trust) {
            return Err(fail(
                line,
                Some("trust"),
                format!(
                    "{} is not a trust level ({})",
                    excerpt(trust),
                    load::TRUST.join(", ")
                ),
            ));
        }
        rows.push(SeriesRow {
            line,
            area_code: area_code.to_string(),
            metric: metric.to_string(),
            period,
            value,
            unit,
            source_url: source_url.to_string(),
            trust: trust.to_string(),
            note: Some(cell(9)).filter(|n| !n.is_empty()).map(str::to_string),
        });
    }
    Ok(rows)
}

/// What storing a series did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SeriesSummary {
    /// Rows read.
    pub rows: usize,
    /// Values written.
    pub values: usize,
    /// Values already held with the same number.
    pub already_held: usize,
    /// Values replaced.
    pub replaced: usize,
    /// Periods created.
    pub periods_created: usize,
    /// Metrics created (`--create-metrics`).
    pub metrics_created: Vec<String>,
}

/// Writes `rows` (read from `file`) inside `tx`. With `replace`, a value held with another
/// number is replaced; without it, that is an error naming the line.
pub fn store(
    tx: &Transaction<'_>,
    file: &str,
    rows: &[SeriesRow],
    replace: bool,
    create_metrics: bool,
) -> Result<SeriesSummary, SeriesError> {
    let sql = |line: u64, e: rusqlite::Error| SeriesError {
        line,
        column: None,
        message: format!("database: {}", crate::exec::sqlite_message(&e)),
    };
    let mut summary = SeriesSummary::default();
    let mut metrics: HashMap<String, (i64, String)> = HashMap::new();
    let mut areas: HashMap<String, i64> = HashMap::new();
    let mut sources: HashMap<String, (i64, String)> = HashMap::new();
    let mut period_ids: HashMap<String, i64> = HashMap::new();
    for r in rows {
        let line = r.line;
        summary.rows += 1;
        let (metric_id, unit) = match metrics.get(&r.metric) {
            Some(m) => m.clone(),
            None => {
                let held = load::metric_by_code(tx, &r.metric).map_err(|e| sql(line, e))?;
                let held = match held {
                    None if create_metrics => {
                        let code_ok = !r.metric.is_empty()
                            && r.metric
                                .bytes()
                                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
                        if !code_ok {
                            return Err(SeriesError {
                                line,
                                column: Some("metric"),
                                message: format!(
                                    "{} cannot be a metric code (a-z, 0-9 and -)",
                                    excerpt(&r.metric)
                                ),
                            });
                        }
                        let definition =
                            format!("Created by peel import csv from {file} line {line}");
                        let id = load::insert_metric(
                            tx,
                            &load::NewMetric {
                                code: &r.metric,
                                name: &r.metric,
                                unit: r.unit,
                                higher_is_better: None,
                                definition: &definition,
                                edition: None,
                                in_profile: false,
                                rate_of: None,
                            },
                        )
                        .map_err(|e| sql(line, e))?;
                        summary.metrics_created.push(r.metric.clone());
                        Some((id, r.unit.to_string()))
                    }
                    other => other,
                };
                let m = held.ok_or_else(|| SeriesError {
                        line,
                        column: Some("metric"),
                        message: format!(
                            "no metric {} (list them with `peel run metrics`, or give --create-metrics)",
                            excerpt(&r.metric)
                        ),
                    })?;
                metrics.insert(r.metric.clone(), m.clone());
                m
            }
        };
        if unit != r.unit {
            return Err(SeriesError {
                line,
                column: Some("unit"),
                message: format!("{} is measured in {unit:?}, not {:?}", r.metric, r.unit),
            });
        }
        let area_id = match areas.get(&r.area_code) {
            Some(&id) => id,
            None => {
                let id = load::area_id(tx, &r.area_code)
                    .map_err(|e| sql(line, e))?
                    .ok_or_else(|| SeriesError {
                        line,
                        column: Some("area_code"),
                        message: format!(
                            "no area {} (list forces with `peel run forces`)",
                            r.area_code
                        ),
                    })?;
                areas.insert(r.area_code.clone(), id);
                id
            }
        };
        let (source_id, source_trust) = match sources.get(&r.source_url) {
            Some(s) => s.clone(),
            None => {
                let note = format!("Named by {file} line {line}");
                let id = load::url_source(tx, &r.source_url, &r.trust, &note)
                    .map_err(|e| sql(line, e))?;
                let trust: String = tx
                    .query_row(
                        "SELECT trust FROM sources WHERE source_id = ?1",
                        [id],
                        |row| row.get(0),
                    )
                    .map_err(|e| sql(line, e))?;
                sources.insert(r.source_url.clone(), (id, trust.clone()));
                (id, trust)
            }
        };
        let period_id = match period_ids.get(&r.period.label) {
            Some(&id) => id,
            None => {
                let spec = load::NewPeriod {
                    label: &r.period.label,
                    kind: r.period.kind,
                    start: r.period.start.as_deref(),
                    end: &r.period.end,
                };
                let id = match load::find_period(tx, &spec).map_err(|e| sql(line, e))? {
                    Some(id) => id,
                    None => {
                        summary.periods_created += 1;
                        load::insert_period(tx, &spec).map_err(|e| sql(line, e))?
                    }
                };
                period_ids.insert(r.period.label.clone(), id);
                id
            }
        };
        let new = load::NewValue {
            metric_id,
            period_id,
            area_id,
            value: r.value,
            source_id,
            report_id: None,
            source_line: Some(line as i64),
            derived: 0,
            note: r.note.as_deref(),
            trust: (r.trust != source_trust).then_some(r.trust.as_str()),
            numerator_id: None,
            denominator_id: None,
        };
        match load::stored_value(tx, metric_id, period_id, area_id).map_err(|e| sql(line, e))? {
            None => {
                load::insert_value(tx, &new).map_err(|e| sql(line, e))?;
                summary.values += 1;
            }
            Some(held) if held.value == r.value => summary.already_held += 1,
            Some(held) if replace => {
                load::replace_value(tx, held.value_id, &new).map_err(|e| sql(line, e))?;
                summary.replaced += 1;
            }
            Some(held) => {
                return Err(SeriesError {
                    line,
                    column: Some("value"),
                    message: format!(
                        "{} {} for {} is {} here but {} is already held (from {}); use --replace to replace it",
                        r.area_code,
                        r.metric,
                        r.period.label,
                        r.value,
                        held.value,
                        excerpt(&held.location)
                    ),
                });
            }
        }
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "area_code,area_name,metric,period_start,period_end,value,unit,source_url,trust,note\n";

    #[test]
    fn periods_read_as_people_write_them() {
        let text = format!(
            "# source: test\n{HEAD}\
             E23000023,Cambridgeshire,officer-fte,2023-03-31,2023-03-31,1730.52,FTE,https://x.org/w,high,\n\
             K04000001,England and Wales,recorded-crime,2017-04-01,2018-03-31,4818518,offences,https://x.org/c,high,\"excludes BTP\"\n\
             E23000023,Cambridgeshire,recorded-crime,2014-07-01,2015-06-30,51,offences,https://x.org/c,medium,\n"
        );
        let rows = parse(text.as_bytes()).unwrap();
        let labels: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.period.label.as_str(), r.period.kind))
            .collect();
        assert_eq!(
            labels,
            [
                ("as at 31 March 2023", "point"),
                ("2017/18", "financial-year"),
                ("12 months to 30 June 2015", "12-months")
            ]
        );
        assert_eq!(rows[0].line, 3, "the comment line counts");
        assert_eq!((rows[0].unit, rows[0].value), ("fte", 1730.52));
        assert_eq!(rows[1].note.as_deref(), Some("excludes BTP"));
        assert_eq!(rows[2].trust, "medium");
    }

    #[test]
    fn numbers_are_digits_and_a_point_only() {
        assert_eq!(strict_number("1730.52"), Some(1730.52));
        assert_eq!(strict_number("-11"), Some(-11.0));
        assert_eq!(strict_number("4818518"), Some(4818518.0));
        for bad in [
            "1,234.5", "1.234,5", "0.5,000", "1e5", "", "-", ".5", "5.", "twelve", "NaN",
        ] {
            assert_eq!(strict_number(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn bad_cells_name_their_line_and_column() {
        let cases = [
            (
                "E2300002,x,officer-fte,2023-03-31,2023-03-31,1,FTE,https://x.org,high,",
                "area_code",
            ),
            (
                "E23000023,x,officer-fte,2023-03-31,2023-03-31,1.234,5,FTE,https://x.org,high,",
                "",
            ),
            (
                "E23000023,x,officer-fte,2023-03-31,2023-03-31,\"1,234\",FTE,https://x.org,high,",
                "value",
            ),
            (
                "E23000023,x,officer-fte,2023-03-31,2023-03-31,1,stone,https://x.org,high,",
                "unit",
            ),
            (
                "E23000023,x,officer-fte,2023-03-31,2023-03-31,1,FTE,seed/x.csv,high,",
                "source_url",
            ),
            (
                "E23000023,x,officer-fte,2023-03-31,2023-03-31,1,FTE,https://x.org,sure,",
                "trust",
            ),
            (
                "E23000023,x,officer-fte,2023-02-30,2023-02-30,1,FTE,https://x.org,high,",
                "period_start",
            ),
        ];
        for (row, column) in cases {
            let err = parse(format!("{HEAD}{row}\n").as_bytes()).unwrap_err();
            assert_eq!(err.line, 2, "{row}: {err}");
            assert_eq!(err.column.unwrap_or(""), column, "{row}: {err}");
        }
    }
}
