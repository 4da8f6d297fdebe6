//! Writing the grade record: cycles, their items (what each cycle graded), judgments and
//! published grade counts.
//!
//! One rule decides what happens when a grade arrives for a force and item that already
//! has one ([`judgment`]):
//! - a different grade is a conflict, unless the caller asks to replace it;
//! - the same grade from another source is kept as a further source
//!   (`judgment_sources`), so a grade seen in two files keeps both;
//! - the better-standing source is the judgment's own: stated beats derived, then higher
//!   trust, then a source giving its own grade beats one citing an earlier inspection's,
//!   then a report (which has a line to point at) beats a page. A derived grade that a
//!   later source states becomes stated.

use rusqlite::{Connection, OptionalExtension, params};

use super::trust_rank;

/// A PEEL cycle as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleRef {
    /// Row id.
    pub id: i64,
    /// First calendar year.
    pub year: i64,
    /// HMICFRS's label (`2018/19`).
    pub label: String,
    /// The grade scale's id.
    pub scale_id: i64,
    /// Whether the cycle graded pillars.
    pub has_pillars: bool,
}

/// The cycle with this label, or with this first year (`2018` for `2018/19`).
pub fn cycle(conn: &Connection, label_or_year: &str) -> rusqlite::Result<Option<CycleRef>> {
    conn.prepare_cached(
        "SELECT cycle_id, year, label, scale_id, has_pillars FROM cycles
         WHERE label = ?1 OR CAST(year AS TEXT) = ?1 ORDER BY label = ?1 DESC LIMIT 1",
    )?
    .query_row([label_or_year.trim()], |r| {
        Ok(CycleRef {
            id: r.get(0)?,
            year: r.get(1)?,
            label: r.get(2)?,
            scale_id: r.get(3)?,
            has_pillars: r.get::<_, i64>(4)? == 1,
        })
    })
    .optional()
}

/// A cycle to record.
#[derive(Debug, Clone, Copy)]
pub struct NewCycle<'a> {
    /// First calendar year.
    pub year: i64,
    /// Label.
    pub label: &'a str,
    /// `peel-4` or `peel-5`.
    pub scale: &'a str,
    /// Whether it grades pillars.
    pub has_pillars: bool,
    /// What it is, where it was declared.
    pub note: Option<&'a str>,
}

/// Records a cycle.
pub fn insert_cycle(conn: &Connection, c: &NewCycle<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO cycles (year, label, scale_id, has_pillars, note)
         VALUES (?1, ?2, (SELECT scale_id FROM grade_scales WHERE code = ?3), ?4, ?5)",
    )?
    .execute(params![c.year, c.label, c.scale, c.has_pillars, c.note])?;
    Ok(conn.last_insert_rowid())
}

/// An item (pillar headline question, question or area) as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Row id (`questions.question_id`).
    pub id: i64,
    /// Its cycle.
    pub cycle_id: i64,
    /// Its code (`Q17_E1`).
    pub code: String,
    /// pillar, question or area.
    pub level: String,
    /// Its pillar, for pillar and question items.
    pub pillar: Option<String>,
    /// Whether HMIC/HMICFRS graded it.
    pub graded: bool,
    /// The first item of its chain across cycles.
    pub series: String,
}

/// The item with this code.
pub fn item(conn: &Connection, code: &str) -> rusqlite::Result<Option<Item>> {
    conn.prepare_cached(
        "SELECT question_id, cycle_id, code, level, pillar, graded, series
         FROM questions WHERE code = ?1",
    )?
    .query_row([code], |r| {
        Ok(Item {
            id: r.get(0)?,
            cycle_id: r.get(1)?,
            code: r.get(2)?,
            level: r.get(3)?,
            pillar: r.get(4)?,
            graded: r.get::<_, i64>(5)? == 1,
            series: r.get(6)?,
        })
    })
    .optional()
}

/// The item of `cycle_id` at `level` and `pillar`: how the report parser names a pillar's
/// headline question.
pub fn pillar_item(
    conn: &Connection,
    cycle_id: i64,
    pillar: &str,
) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(
        "SELECT code FROM questions WHERE cycle_id = ?1 AND level = 'pillar' AND pillar = ?2",
    )?
    .query_row(params![cycle_id, pillar], |r| r.get(0))
    .optional()
}

/// An item to record.
#[derive(Debug, Clone, Copy)]
pub struct NewItem<'a> {
    /// Its cycle.
    pub cycle_id: i64,
    /// pillar, question or area.
    pub level: &'a str,
    /// Its pillar; `None` for areas.
    pub pillar: Option<&'a str>,
    /// Its code.
    pub code: &'a str,
    /// HMICFRS's wording.
    pub wording: &'a str,
    /// Whether it was graded.
    pub graded: bool,
    /// The first item of the chain it continues; `None` when it starts one.
    pub series: Option<&'a str>,
}

/// Records an item.
pub fn insert_item(conn: &Connection, i: &NewItem<'_>) -> rusqlite::Result<Item> {
    let series = i.series.unwrap_or(i.code);
    conn.prepare_cached(
        "INSERT INTO questions (cycle_id, level, pillar, code, wording, graded, series)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        i.cycle_id, i.level, i.pillar, i.code, i.wording, i.graded, series
    ])?;
    Ok(Item {
        id: conn.last_insert_rowid(),
        cycle_id: i.cycle_id,
        code: i.code.to_string(),
        level: i.level.to_string(),
        pillar: i.pillar.map(str::to_string),
        graded: i.graded,
        series: series.to_string(),
    })
}

/// The id of grade `name` on the scale `scale_id`.
pub fn grade_id(conn: &Connection, scale_id: i64, name: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT grade_id FROM grades WHERE scale_id = ?1 AND name = ?2")?
        .query_row(params![scale_id, name], |r| r.get(0))
        .optional()
}

/// A grade to record for a force and item.
#[derive(Debug, Clone, Copy)]
pub struct NewJudgment<'a> {
    /// The force.
    pub area_id: i64,
    /// The item.
    pub item_id: i64,
    /// The grade (on the item's cycle's scale).
    pub grade_id: i64,
    /// Where it is stated.
    pub source_id: i64,
    /// The imported report stating it.
    pub report_id: Option<i64>,
    /// Line of the report.
    pub source_line: Option<i64>,
    /// This grade's trust.
    pub trust: &'a str,
    /// Inferred rather than read.
    pub derived: bool,
    /// A report citing an earlier inspection's grade.
    pub cited: bool,
    /// Carried into this cycle from an earlier one.
    pub carried_over: bool,
    /// A caveat.
    pub note: Option<&'a str>,
}

/// How well a grade's source stands: stated beats derived, then trust, then a source
/// giving its own grade beats one citing an earlier inspection's, then a report line beats
/// a page.
fn standing(
    derived: bool,
    trust: &str,
    cited: bool,
    from_report: bool,
) -> (bool, usize, bool, bool) {
    (!derived, trust_rank(trust), !cited, from_report)
}

/// What [`judgment`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judged {
    /// A new judgment.
    Inserted,
    /// The same grade was already held from another source; this source is kept beside
    /// it (and became the judgment's own source when it stands better).
    Confirmed,
    /// The same grade from the same source was already held.
    AlreadyHeld,
    /// A different grade was replaced (the caller asked for it).
    Replaced {
        /// The grade it had.
        previous: String,
    },
}

/// A grade that disagrees with the one held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The grade held.
    pub existing_grade: String,
    /// Where the held grade came from.
    pub existing_source: String,
}

/// Why [`judgment`] wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum JudgmentError {
    /// Another grade is held.
    #[error("{} is already held (from {})", .0.existing_grade, .0.existing_source)]
    Conflict(Conflict),
    /// SQLite failed.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

struct Held {
    id: i64,
    grade_id: i64,
    grade: String,
    source_id: i64,
    location: String,
    from_report: bool,
    source_line: Option<i64>,
    trust: String,
    derived: bool,
    cited: bool,
    note: Option<String>,
}

fn held(conn: &Connection, area_id: i64, item_id: i64) -> rusqlite::Result<Option<Held>> {
    conn.prepare_cached(
        "SELECT j.judgment_id, j.grade_id, g.name, j.source_id, s.location, j.report_id,
                j.trust, j.derived, j.note, j.cited, j.source_line
         FROM judgments j JOIN grades g ON g.grade_id = j.grade_id
         JOIN sources s ON s.source_id = j.source_id
         WHERE j.area_id = ?1 AND j.question_id = ?2",
    )?
    .query_row(params![area_id, item_id], |r| {
        Ok(Held {
            id: r.get(0)?,
            grade_id: r.get(1)?,
            grade: r.get(2)?,
            source_id: r.get(3)?,
            location: r.get(4)?,
            from_report: r.get::<_, Option<i64>>(5)?.is_some(),
            trust: r.get(6)?,
            derived: r.get::<_, i64>(7)? == 1,
            note: r.get(8)?,
            cited: r.get::<_, i64>(9)? == 1,
            source_line: r.get(10)?,
        })
    })
    .optional()
}

/// Records a grade for a force and item, merging with a grade already held as the module
/// documentation says. With `replace`, a different grade held is replaced (with its
/// further sources); without it, that is a [`JudgmentError::Conflict`].
pub fn judgment(
    conn: &Connection,
    j: &NewJudgment<'_>,
    replace: bool,
) -> Result<Judged, JudgmentError> {
    let Some(h) = held(conn, j.area_id, j.item_id)? else {
        write_judgment(conn, None, j)?;
        return Ok(Judged::Inserted);
    };
    if h.grade_id != j.grade_id {
        if !replace {
            return Err(JudgmentError::Conflict(Conflict {
                existing_grade: h.grade,
                existing_source: h.location,
            }));
        }
        conn.prepare_cached("DELETE FROM judgment_sources WHERE judgment_id = ?1")?
            .execute([h.id])?;
        write_judgment(conn, Some(h.id), j)?;
        return Ok(Judged::Replaced { previous: h.grade });
    }
    if h.source_id == j.source_id {
        return Ok(Judged::AlreadyHeld);
    }
    let new = standing(j.derived, j.trust, j.cited, j.report_id.is_some());
    if new > standing(h.derived, &h.trust, h.cited, h.from_report) {
        let held = Further {
            source_id: h.source_id,
            trust: &h.trust,
            derived: h.derived,
            source_line: h.source_line,
            note: h.note.as_deref(),
        };
        add_further_source(conn, h.id, &held)?;
        conn.prepare_cached(
            "DELETE FROM judgment_sources WHERE judgment_id = ?1 AND source_id = ?2",
        )?
        .execute(params![h.id, j.source_id])?;
        // A judgment carried over stays carried over whoever states it.
        conn.prepare_cached(
            "UPDATE judgments SET source_id = ?2, report_id = ?3, source_line = ?4, trust = ?5,
                    derived = ?6, cited = ?7, carried_over = max(carried_over, ?8), note = ?9
             WHERE judgment_id = ?1",
        )?
        .execute(params![
            h.id,
            j.source_id,
            j.report_id,
            j.source_line,
            j.trust,
            j.derived,
            j.cited,
            j.carried_over,
            j.note
        ])?;
    } else {
        let new = Further {
            source_id: j.source_id,
            trust: j.trust,
            derived: j.derived,
            source_line: j.source_line,
            note: j.note,
        };
        add_further_source(conn, h.id, &new)?;
        if j.carried_over {
            conn.prepare_cached("UPDATE judgments SET carried_over = 1 WHERE judgment_id = ?1")?
                .execute([h.id])?;
        }
    }
    Ok(Judged::Confirmed)
}

/// A further source of a judgment's grade, as `judgment_sources` keeps it.
struct Further<'a> {
    source_id: i64,
    trust: &'a str,
    derived: bool,
    source_line: Option<i64>,
    note: Option<&'a str>,
}

fn add_further_source(
    conn: &Connection,
    judgment_id: i64,
    f: &Further<'_>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO judgment_sources (judgment_id, source_id, trust, derived, source_line, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
    )?
    .execute(params![
        judgment_id,
        f.source_id,
        f.trust,
        f.derived,
        f.source_line,
        f.note
    ])?;
    Ok(())
}

fn write_judgment(
    conn: &Connection,
    existing: Option<i64>,
    j: &NewJudgment<'_>,
) -> rusqlite::Result<()> {
    match existing {
        None => conn
            .prepare_cached(
                "INSERT INTO judgments (area_id, question_id, grade_id, source_id, report_id,
                                        source_line, trust, cited, derived, carried_over, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                j.area_id,
                j.item_id,
                j.grade_id,
                j.source_id,
                j.report_id,
                j.source_line,
                j.trust,
                j.cited,
                j.derived,
                j.carried_over,
                j.note
            ])?,
        Some(id) => conn
            .prepare_cached(
                "UPDATE judgments SET grade_id = ?2, source_id = ?3, report_id = ?4,
                        source_line = ?5, trust = ?6, cited = ?7, derived = ?8,
                        carried_over = ?9, note = ?10
                 WHERE judgment_id = ?1",
            )?
            .execute(params![
                id,
                j.grade_id,
                j.source_id,
                j.report_id,
                j.source_line,
                j.trust,
                j.cited,
                j.derived,
                j.carried_over,
                j.note
            ])?,
    };
    Ok(())
}

/// Before a report goes: a judgment it states that another source also states stays,
/// with the best of those sources as its own; and the report is removed from the further
/// sources of judgments others state.
pub fn keep_judgments_stated_elsewhere(conn: &Connection, report_id: i64) -> rusqlite::Result<()> {
    let ids: Vec<i64> = conn
        .prepare(
            "SELECT j.judgment_id FROM judgments j WHERE j.report_id = ?1
               AND EXISTS (SELECT 1 FROM judgment_sources js WHERE js.judgment_id = j.judgment_id)",
        )?
        .query_map([report_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for id in ids {
        let (source_id, trust, derived, line, note): (
            i64,
            String,
            i64,
            Option<i64>,
            Option<String>,
        ) = conn
            .prepare_cached(
                "SELECT source_id, trust, derived, source_line, note FROM judgment_sources
                 WHERE judgment_id = ?1
                 ORDER BY derived, CASE trust WHEN 'high' THEN 0 WHEN 'medium-high' THEN 1
                                              WHEN 'medium' THEN 2 ELSE 3 END, source_id
                 LIMIT 1",
            )?
            .query_row([id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?;
        // The report that states it, when the promoted source is another imported report.
        let other_report: Option<i64> = conn
            .prepare_cached("SELECT report_id FROM reports WHERE source_id = ?1")?
            .query_row([source_id], |r| r.get(0))
            .optional()?;
        conn.prepare_cached(
            "UPDATE judgments SET source_id = ?2, report_id = ?3, source_line = ?4, trust = ?5,
                    derived = ?6, cited = 0, note = ?7
             WHERE judgment_id = ?1",
        )?
        .execute(params![
            id,
            source_id,
            other_report,
            line,
            trust,
            derived,
            note
        ])?;
        conn.prepare_cached(
            "DELETE FROM judgment_sources WHERE judgment_id = ?1 AND source_id = ?2",
        )?
        .execute(params![id, source_id])?;
    }
    conn.prepare_cached(
        "DELETE FROM judgment_sources
         WHERE source_id = (SELECT source_id FROM reports WHERE report_id = ?1)",
    )?
    .execute([report_id])?;
    Ok(())
}

/// A published count of grades to record.
#[derive(Debug, Clone, Copy)]
pub struct NewGradeCount<'a> {
    /// England and Wales for national counts, else the force.
    pub area_id: i64,
    /// The cycle.
    pub cycle_id: i64,
    /// The pillar, for national pillar counts.
    pub pillar: Option<&'a str>,
    /// The grade.
    pub grade_id: i64,
    /// How many.
    pub count: i64,
    /// The source gives only some of the counts.
    pub partial: bool,
    /// The count's trust.
    pub trust: &'a str,
    /// Where it is stated.
    pub source_id: i64,
    /// A caveat.
    pub note: Option<&'a str>,
}

/// What [`grade_count`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// A new count.
    Inserted,
    /// The same count was already held (from this or another source).
    AlreadyHeld,
    /// A different count was replaced.
    Replaced,
}

/// Records a published count. A different count already held is a conflict (`Err` with
/// the held count and its source) unless `replace`.
pub fn grade_count(
    conn: &Connection,
    c: &NewGradeCount<'_>,
    replace: bool,
) -> Result<Counted, CountConflict> {
    let held: Option<(i64, i64, String)> = conn
        .prepare_cached(
            "SELECT gc.grade_count_id, gc.count, s.location FROM grade_counts gc
             JOIN sources s ON s.source_id = gc.source_id
             WHERE gc.area_id = ?1 AND gc.cycle_id = ?2 AND gc.pillar IS ?3 AND gc.grade_id = ?4",
        )?
        .query_row(params![c.area_id, c.cycle_id, c.pillar, c.grade_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    match held {
        Some((_, count, _)) if count == c.count => Ok(Counted::AlreadyHeld),
        Some((_, count, location)) if !replace => Err(CountConflict::Differs { count, location }),
        Some((id, _, _)) => {
            conn.prepare_cached(
                "UPDATE grade_counts SET count = ?2, partial = ?3, trust = ?4, source_id = ?5, note = ?6
                 WHERE grade_count_id = ?1",
            )?
            .execute(params![id, c.count, c.partial, c.trust, c.source_id, c.note])?;
            Ok(Counted::Replaced)
        }
        None => {
            conn.prepare_cached(
                "INSERT INTO grade_counts (area_id, cycle_id, pillar, grade_id, count, partial,
                                           trust, source_id, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                c.area_id,
                c.cycle_id,
                c.pillar,
                c.grade_id,
                c.count,
                c.partial,
                c.trust,
                c.source_id,
                c.note
            ])?;
            Ok(Counted::Inserted)
        }
    }
}

/// Why [`grade_count`] wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum CountConflict {
    /// Another count is held.
    #[error("{count} is already held (from {location})")]
    Differs {
        /// The count held.
        count: i64,
        /// Where it came from.
        location: String,
    },
    /// SQLite failed.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

#[cfg(test)]
#[path = "grades_tests.rs"]
mod tests;
