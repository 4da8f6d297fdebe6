//! Writing an imported report: the report row, and its areas for improvement. Its grades
//! and figures go through [`super::grades::judgment`] and [`super::insert_value`] like
//! anyone else's.

use rusqlite::{Connection, OptionalExtension, params};

/// A report to record.
#[derive(Debug, Clone, Copy)]
pub struct NewReport<'a> {
    /// The force.
    pub area_id: i64,
    /// The cycle.
    pub cycle_id: i64,
    /// The pillar it inspects.
    pub pillar: Option<&'a str>,
    /// Its title.
    pub title: &'a str,
    /// `YYYY-MM` it was published.
    pub published: Option<&'a str>,
    /// Its ISBN.
    pub isbn: Option<&'a str>,
    /// The imported file, as a source.
    pub source_id: i64,
}

/// A report already imported from the same text (`source_key`), or for the same force,
/// cycle, pillar and title: its id and title.
pub fn earlier_report(
    conn: &Connection,
    source_key: &str,
    r: &NewReport<'_>,
) -> rusqlite::Result<Option<(i64, String)>> {
    conn.query_row(
        "SELECT r.report_id, r.title FROM reports r JOIN sources s USING (source_id)
         WHERE s.key = ?1
            OR (r.area_id = ?2 AND r.cycle_id = ?3 AND r.pillar IS ?4 AND r.title = ?5)",
        params![source_key, r.area_id, r.cycle_id, r.pillar, r.title],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .optional()
}

/// Records a report.
pub fn insert_report(conn: &Connection, r: &NewReport<'_>) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO reports (area_id, cycle_id, pillar, title, published, isbn, source_id, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        params![
            r.area_id,
            r.cycle_id,
            r.pillar,
            r.title,
            r.published,
            r.isbn,
            r.source_id
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Removes a report with what only it states (its judgments, figures and areas for
/// improvement go with it, ON DELETE CASCADE) and its file source. A judgment another
/// source also states is kept, under that source.
pub fn remove_report(conn: &Connection, report_id: i64) -> rusqlite::Result<()> {
    let source: i64 = conn.query_row(
        "SELECT source_id FROM reports WHERE report_id = ?1",
        [report_id],
        |r| r.get(0),
    )?;
    super::grades::keep_judgments_stated_elsewhere(conn, report_id)?;
    conn.execute("DELETE FROM reports WHERE report_id = ?1", [report_id])?;
    conn.execute("DELETE FROM sources WHERE source_id = ?1", [source])?;
    Ok(())
}

/// Records one area for improvement.
pub fn insert_improvement(
    conn: &Connection,
    report_id: i64,
    item_id: i64,
    ordinal: i64,
    text: &str,
    line: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO improvement_areas (report_id, question_id, ordinal, text, source_line)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![report_id, item_id, ordinal, text, line])?;
    Ok(())
}
