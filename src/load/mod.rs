//! The one loading layer: every write of reference data, figures and grades goes through
//! here, whoever calls (the seed build, `import report`, `import csv`, `import grades`).
//!
//! Parsers never touch the database (`crate::report`, `crate::import::grades`), and the
//! functions here never parse a file: they take values already read, find or create what
//! those values refer to, and write one row at a time. Nothing here commits: the caller
//! owns the transaction, so a file is stored whole or not at all. Lookups that a large
//! import repeats use `prepare_cached`, so a caller's loop costs one statement per row.
//!
//! - sources, areas, periods, metrics and figures are here;
//! - cycles, items (what a cycle graded), judgments and grade counts are in [`grades`];
//! - reports and their areas for improvement are in [`reports`];
//! - rates per 1,000 residents that peel derives are in [`rates`].

pub mod grades;
pub mod rates;
pub mod reports;

use rusqlite::{Connection, OptionalExtension, params};

/// The trust levels a source or a grade can have, most trusted first.
pub const TRUST: &[&str] = &["high", "medium-high", "medium", "low"];

/// Orders trust levels: higher is more trusted; an unknown level is below `low`.
pub fn trust_rank(trust: &str) -> usize {
    TRUST
        .iter()
        .position(|t| *t == trust)
        .map_or(0, |i| TRUST.len() - i)
}

/// A source to record: a web page (`url`) or a file.
#[derive(Debug, Clone, Default)]
pub struct NewSource<'a> {
    /// Stable handle: `url:` plus the address, `report:` plus a SHA-256, a dataset name.
    pub key: &'a str,
    /// `url` or `file`.
    pub kind: &'a str,
    /// The address, or the file name as given.
    pub location: &'a str,
    /// Title shown with the source.
    pub title: &'a str,
    /// Who published it.
    pub publisher: Option<&'a str>,
    /// Its licence.
    pub licence: Option<&'a str>,
    /// One of [`TRUST`].
    pub trust: &'a str,
    /// Why it has that trust, how it was obtained.
    pub note: Option<&'a str>,
    /// SHA-256 of a file's bytes.
    pub sha256: Option<&'a str>,
}

/// The id of the source with `key`.
pub fn source_id(conn: &Connection, key: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT source_id FROM sources WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()
}

/// Records a source; its key must be new.
pub fn insert_source(conn: &Connection, s: &NewSource<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO sources (key, kind, location, title, publisher, licence, trust, note, sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        s.key,
        s.kind,
        s.location,
        s.title,
        s.publisher,
        s.licence,
        s.trust,
        s.note,
        s.sha256
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The source for a web address, created on first use with a title and publisher read
/// from the address (`HMIC/HMICFRS page: cambridgeshire`, or the news site's host).
/// `trust` and `note` are those of the first row that named it; each grade keeps its own
/// trust beside it, so a source's trust is only a summary.
pub fn url_source(conn: &Connection, url: &str, trust: &str, note: &str) -> rusqlite::Result<i64> {
    let key = format!("url:{url}");
    if let Some(id) = source_id(conn, &key)? {
        return Ok(id);
    }
    // A research row may name several addresses ("URL ; upstream: ..."): the first is
    // the page the figure was read from, and titles the source.
    let first = url.split(" ; ").next().unwrap_or(url).trim();
    let host = first
        .trim_start_matches("http://")
        .trim_start_matches("https://")
        .trim_start_matches("www.")
        .split('/')
        .next()
        .unwrap_or(first);
    let official = host.ends_with("justiceinspectorates.gov.uk");
    let tail: String = first
        .trim_end_matches(['/', '?'])
        .rsplit('/')
        .next()
        .unwrap_or(first)
        .chars()
        .take(120)
        .collect();
    let title = if official {
        format!("HMIC/HMICFRS page: {tail}")
    } else {
        format!("{host}: {tail}")
    };
    insert_source(
        conn,
        &NewSource {
            key: &key,
            kind: "url",
            location: url,
            title: &title,
            publisher: Some(if official { "HMIC/HMICFRS" } else { host }),
            licence: official.then_some("Open Government Licence v3.0"),
            trust,
            note: Some(note),
            sha256: None,
        },
    )
}

/// The id of the area with ONS code `code`.
pub fn area_id(conn: &Connection, code: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT area_id FROM areas WHERE code = ?1")?
        .query_row([code], |r| r.get(0))
        .optional()
}

/// An area to record (see `areas` in schema.sql).
#[derive(Debug, Clone)]
pub struct NewArea<'a> {
    /// ONS code.
    pub code: &'a str,
    /// Lowercase handle.
    pub slug: &'a str,
    /// Full name.
    pub name: &'a str,
    /// Short name.
    pub short_name: &'a str,
    /// force, region, country or national.
    pub kind: &'a str,
    /// The parent area's id.
    pub parent_id: Option<i64>,
    /// England, Wales or England and Wales.
    pub country: &'a str,
    /// `|`-separated other names.
    pub aliases: &'a str,
    /// Where the area's facts come from.
    pub source_id: i64,
}

/// Records an area.
pub fn insert_area(conn: &Connection, a: &NewArea<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO areas (code, slug, name, short_name, kind, parent_id, country, aliases, source_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        a.code,
        a.slug,
        a.name,
        a.short_name,
        a.kind,
        a.parent_id,
        a.country,
        a.aliases,
        a.source_id
    ])?;
    Ok(conn.last_insert_rowid())
}

/// A period: its label as printed, kind, and ISO dates (no start for a point).
#[derive(Debug, Clone, Copy)]
pub struct NewPeriod<'a> {
    /// Label as reports print it.
    pub label: &'a str,
    /// One of the period kinds in schema.sql.
    pub kind: &'a str,
    /// First day, ISO; `None` for a point.
    pub start: Option<&'a str>,
    /// Last day (or the point), ISO.
    pub end: &'a str,
}

/// The period with this label, or the same kind and dates under another label.
pub fn find_period(conn: &Connection, p: &NewPeriod<'_>) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached(
        "SELECT period_id FROM periods
         WHERE label = ?1 OR (kind = ?2 AND start_date IS ?3 AND end_date = ?4)
         ORDER BY label = ?1 DESC LIMIT 1",
    )?
    .query_row(params![p.label, p.kind, p.start, p.end], |r| r.get(0))
    .optional()
}

/// Records a new period.
pub fn insert_period(conn: &Connection, p: &NewPeriod<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO periods (label, kind, start_date, end_date) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![p.label, p.kind, p.start, p.end])?;
    Ok(conn.last_insert_rowid())
}

/// The period `p` describes, recorded when new.
pub fn period(conn: &Connection, p: &NewPeriod<'_>) -> rusqlite::Result<i64> {
    match find_period(conn, p)? {
        Some(id) => Ok(id),
        None => insert_period(conn, p),
    }
}

/// A metric to record (see `metrics` in schema.sql).
#[derive(Debug, Clone, Copy)]
pub struct NewMetric<'a> {
    /// Lowercase code.
    pub code: &'a str,
    /// Name shown to people.
    pub name: &'a str,
    /// One of the units in schema.sql.
    pub unit: &'a str,
    /// 1 when higher is better, 0 when lower is, `None` when neither.
    pub higher_is_better: Option<i64>,
    /// What it counts, or where it came from.
    pub definition: &'a str,
    /// Which edition of a published statistic, where the publisher revises.
    pub edition: Option<&'a str>,
    /// Whether a force's profile shows it.
    pub in_profile: bool,
    /// For a rate peel derives per 1,000 residents: the metric it divides.
    pub rate_of: Option<&'a str>,
}

/// Records a metric.
pub fn insert_metric(conn: &Connection, m: &NewMetric<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO metrics (code, name, unit, higher_is_better, definition, edition, in_profile,
                              rate_of)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        m.code,
        m.name,
        m.unit,
        m.higher_is_better,
        m.definition,
        m.edition,
        m.in_profile,
        m.rate_of
    ])?;
    Ok(conn.last_insert_rowid())
}

/// A metric's id and unit, by code.
pub fn metric_by_code(conn: &Connection, code: &str) -> rusqlite::Result<Option<(i64, String)>> {
    conn.prepare_cached("SELECT metric_id, unit FROM metrics WHERE code = ?1")?
        .query_row([code], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

/// The statement that writes one figure. Parameters: metric, period, area, value, source,
/// report, source line, derived, note, trust (NULL: the source's), numerator and
/// denominator (a derived rate's inputs). A bulk import prepares it once (adding
/// [`ON_CONFLICT_SKIP`] when it checks duplicates row by row) and binds it per row.
pub const INSERT_VALUE: &str = "INSERT INTO metric_values (metric_id, period_id, area_id, value, source_id,
                           report_id, source_line, derived, note, trust, numerator_id, denominator_id)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

/// Appended to [`INSERT_VALUE`]: a figure already stored is left alone and the insert
/// changes no row, so the caller can look at what is there.
pub const ON_CONFLICT_SKIP: &str = " ON CONFLICT (metric_id, period_id, area_id) DO NOTHING";

/// One figure to write.
#[derive(Debug, Clone, Copy)]
pub struct NewValue<'a, V: rusqlite::ToSql> {
    /// The metric.
    pub metric_id: i64,
    /// The period.
    pub period_id: i64,
    /// The area.
    pub area_id: i64,
    /// The number.
    pub value: V,
    /// Where it is stated.
    pub source_id: i64,
    /// The imported report that states it.
    pub report_id: Option<i64>,
    /// The line of the report or file.
    pub source_line: Option<i64>,
    /// 1 when peel or a researcher derived it.
    pub derived: i64,
    /// A caveat that travels with it.
    pub note: Option<&'a str>,
    /// Its trust, where it differs from its source's.
    pub trust: Option<&'a str>,
    /// For a derived rate: the figure it divides.
    pub numerator_id: Option<i64>,
    /// For a derived rate: the figure it divides by.
    pub denominator_id: Option<i64>,
}

/// Writes one figure; fails on a figure already stored for the metric, period and area.
pub fn insert_value<V: rusqlite::ToSql>(
    conn: &Connection,
    v: &NewValue<'_, V>,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(INSERT_VALUE)?.execute(params![
        v.metric_id,
        v.period_id,
        v.area_id,
        v.value,
        v.source_id,
        v.report_id,
        v.source_line,
        v.derived,
        v.note,
        v.trust,
        v.numerator_id,
        v.denominator_id
    ])?;
    Ok(conn.last_insert_rowid())
}

/// A figure already stored: its id, value, source line and source location.
#[derive(Debug, Clone)]
pub struct StoredValue {
    /// Row id.
    pub value_id: i64,
    /// The number.
    pub value: f64,
    /// Its line, when it came from a file or report.
    pub source_line: Option<i64>,
    /// Where it came from.
    pub location: String,
}

/// The figure stored for the metric, period and area, if any.
pub fn stored_value(
    conn: &Connection,
    metric_id: i64,
    period_id: i64,
    area_id: i64,
) -> rusqlite::Result<Option<StoredValue>> {
    conn.prepare_cached(
        "SELECT v.value_id, v.value, v.source_line, s.location
         FROM metric_values v JOIN sources s ON s.source_id = v.source_id
         WHERE v.metric_id = ?1 AND v.period_id = ?2 AND v.area_id = ?3",
    )?
    .query_row(params![metric_id, period_id, area_id], |r| {
        Ok(StoredValue {
            value_id: r.get(0)?,
            value: r.get(1)?,
            source_line: r.get(2)?,
            location: r.get(3)?,
        })
    })
    .optional()
}

/// Replaces a stored figure's value and provenance (`--replace`).
pub fn replace_value<V: rusqlite::ToSql>(
    conn: &Connection,
    value_id: i64,
    v: &NewValue<'_, V>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE metric_values SET value = ?2, source_id = ?3, report_id = ?4,
                source_line = ?5, derived = ?6, note = ?7, trust = ?8, numerator_id = ?9,
                denominator_id = ?10
         WHERE value_id = ?1",
    )?
    .execute(params![
        value_id,
        v.value,
        v.source_id,
        v.report_id,
        v.source_line,
        v.derived,
        v.note,
        v.trust,
        v.numerator_id,
        v.denominator_id
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trust_orders_high_above_low() {
        assert!(trust_rank("high") > trust_rank("medium-high"));
        assert!(trust_rank("medium-high") > trust_rank("medium"));
        assert!(trust_rank("medium") > trust_rank("low"));
        assert!(trust_rank("low") > trust_rank("unheard of"));
    }

    #[test]
    fn a_url_source_is_titled_from_its_address_and_made_once() {
        let conn = Connection::open_in_memory().unwrap();
        crate::db::create_schema(&conn).unwrap();
        let url = "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2015/kent/";
        let id = url_source(&conn, url, "high", "n").unwrap();
        assert_eq!(url_source(&conn, url, "low", "other").unwrap(), id);
        let (title, publisher, trust): (String, String, String) = conn
            .query_row(
                "SELECT title, publisher, trust FROM sources WHERE source_id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(title, "HMIC/HMICFRS page: kent");
        assert_eq!(publisher, "HMIC/HMICFRS");
        assert_eq!(trust, "high");
        let news = url_source(&conn, "https://www.bbc.co.uk/news/uk-1234", "medium", "n").unwrap();
        let (title, publisher): (String, String) = conn
            .query_row(
                "SELECT title, publisher FROM sources WHERE source_id = ?1",
                [news],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            (title.as_str(), publisher.as_str()),
            ("bbc.co.uk: uk-1234", "bbc.co.uk")
        );
    }
}
