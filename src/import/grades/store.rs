//! Resolving a read grades file against the database and writing it through the loader:
//! the checks listed in the module above, each an error naming the file, line and column.

use rusqlite::{Connection, Transaction};

use super::parse::{self, CountRow, GradeFile, GradeRow, Layout, excerpt};
use super::{GradeError, GradeOptions, GradeSummary};
use crate::load::{self, grades};
use crate::resolve::{self, Candidate, How};

/// England and Wales, the area national counts belong to.
const NATIONAL_CODE: &str = "K04000001";

/// Resolves and writes what [`parse::parse`] read.
pub fn store(
    tx: &Transaction<'_>,
    name: &str,
    file: &GradeFile,
    opts: &GradeOptions,
) -> Result<GradeSummary, GradeError> {
    let mut s = Store {
        tx,
        name,
        opts,
        forces: resolve::load_areas(tx, &["force"]).map_err(|e| sql(name, None, e))?,
        summary: GradeSummary {
            file: name.to_string(),
            ..GradeSummary::default()
        },
    };
    match file {
        GradeFile::Grades(layout, rows) => {
            s.summary.layout = layout.name().into();
            for row in rows {
                s.grade(*layout, row)?;
            }
        }
        GradeFile::Counts(layout, rows) => {
            s.summary.layout = layout.name().into();
            for row in rows {
                s.counts(row)?;
            }
        }
    }
    Ok(s.summary)
}

fn sql(file: &str, line: Option<u64>, e: rusqlite::Error) -> GradeError {
    GradeError {
        file: file.to_string(),
        line,
        column: None,
        message: format!("database: {}", crate::exec::sqlite_message(&e)),
    }
}

struct Store<'a, 't> {
    tx: &'a Transaction<'t>,
    name: &'a str,
    opts: &'a GradeOptions,
    forces: Vec<Candidate>,
    summary: GradeSummary,
}

impl Store<'_, '_> {
    fn fail(&self, line: u64, column: &str, message: String) -> GradeError {
        GradeError {
            file: self.name.to_string(),
            line: Some(line),
            column: Some(column.to_string()),
            message,
        }
    }

    fn sql(&self, line: u64, e: rusqlite::Error) -> GradeError {
        sql(self.name, Some(line), e)
    }

    fn note(&mut self, what: &str, input: &str, label: &str, how: How) {
        if how != How::Exact {
            let note = format!("{what} {} read as {label}", excerpt(input));
            if !self.summary.notes.contains(&note) {
                self.summary.notes.push(note);
            }
        }
    }

    /// The force a cell names, and its name; the full layout's printed name must agree.
    fn force(
        &mut self,
        line: u64,
        column: &str,
        text: &str,
        printed: Option<&str>,
    ) -> Result<(i64, String), GradeError> {
        let hint = "list the 43 forces with `peel run forces`";
        let found = resolve::resolve("force", text, &self.forces, hint)
            .map_err(|e| self.fail(line, column, e.to_string()))?;
        let (code, label, how) = (
            found.candidate.value.clone(),
            found.candidate.label.clone(),
            found.how,
        );
        self.note("force", text, &label, how);
        if let Some(printed) = printed {
            let same = resolve::resolve("force", printed, &self.forces, hint)
                .is_ok_and(|r| r.candidate.value == code);
            if !same {
                return Err(self.fail(
                    line,
                    "force",
                    format!(
                        "{} is not the force of code {code} ({label})",
                        excerpt(printed)
                    ),
                ));
            }
        }
        let id = load::area_id(self.tx, &code)
            .map_err(|e| self.sql(line, e))?
            .ok_or_else(|| self.fail(line, column, format!("no area {code}")))?;
        Ok((id, label))
    }

    /// The cycle a cell names, declared when new and `--create-items` allows.
    fn cycle(
        &mut self,
        line: u64,
        column: &str,
        text: &str,
    ) -> Result<grades::CycleRef, GradeError> {
        if let Some(c) = grades::cycle(self.tx, text).map_err(|e| self.sql(line, e))? {
            return Ok(c);
        }
        let known: Vec<String> = resolve::load_cycles(self.tx)
            .map_err(|e| self.sql(line, e))?
            .into_iter()
            .map(|c| c.label)
            .collect();
        if !self.opts.create_items {
            return Err(self.fail(
                line,
                column,
                format!(
                    "cycle {} is not known (known: {}); use --create-items to declare a new cycle",
                    excerpt(text),
                    known.join(", ")
                ),
            ));
        }
        let year = new_cycle_year(text).ok_or_else(|| {
            self.fail(
                line,
                column,
                format!(
                    "cycle {} cannot be declared: a cycle is named by its first year, as 2025 or 2025-27 or 2025/26",
                    excerpt(text)
                ),
            )
        })?;
        // From 2021/22 HMICFRS grades areas on the five-point scale; a new cycle continues it.
        let note = format!(
            "Declared by peel import grades from {} line {line}",
            self.name
        );
        grades::insert_cycle(
            self.tx,
            &grades::NewCycle {
                year,
                label: text.trim(),
                scale: if year >= 2021 { "peel-5" } else { "peel-4" },
                has_pillars: year < 2021,
                note: Some(&note),
            },
        )
        .map_err(|e| self.sql(line, e))?;
        self.summary.cycles_created.push(text.trim().to_string());
        grades::cycle(self.tx, text)
            .map_err(|e| self.sql(line, e))?
            .ok_or_else(|| self.fail(line, column, "cycle not stored".into()))
    }

    /// The item a row names, in its cycle; declared when new and `--create-items` allows.
    fn item(
        &mut self,
        row: &GradeRow,
        column: &str,
        cycle: &grades::CycleRef,
    ) -> Result<grades::Item, GradeError> {
        let line = row.line;
        let code = row.item.as_str();
        if let Some(item) = grades::item(self.tx, code).map_err(|e| self.sql(line, e))? {
            if item.cycle_id != cycle.id {
                return Err(self.fail(
                    line,
                    column,
                    format!("item {code} does not belong to cycle {}", cycle.label),
                ));
            }
            if let Some(level) = &row.level
                && *level != item.level
            {
                return Err(self.fail(
                    line,
                    "level",
                    format!(
                        "item {code} is a {} item, not {}",
                        item.level,
                        excerpt(level)
                    ),
                ));
            }
            if !item.graded {
                return Err(self.fail(
                    line,
                    column,
                    format!("item {code} was not graded in {}", cycle.label),
                ));
            }
            return Ok(item);
        }
        if !self.opts.create_items {
            return Err(self.fail(
                line,
                column,
                format!(
                    "no item {} in cycle {}; use --create-items to declare it (with level and wording)",
                    excerpt(code),
                    cycle.label
                ),
            ));
        }
        self.new_item(row, column, cycle)
    }

    fn new_item(
        &mut self,
        row: &GradeRow,
        column: &str,
        cycle: &grades::CycleRef,
    ) -> Result<grades::Item, GradeError> {
        let line = row.line;
        let code = row.item.as_str();
        if !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(self.fail(
                line,
                column,
                format!(
                    "{} cannot be an item code (letters, digits and _)",
                    excerpt(code)
                ),
            ));
        }
        let level = match row.level.as_deref() {
            Some(l @ ("pillar" | "question" | "area")) => l,
            Some(other) => {
                return Err(self.fail(
                    line,
                    "level",
                    format!("{} is not pillar, question or area", excerpt(other)),
                ));
            }
            None if !cycle.has_pillars => "area",
            None => {
                return Err(self.fail(
                    line,
                    column,
                    format!("new item {code}: give its level (pillar, question or area)"),
                ));
            }
        };
        let pillar = row.pillar.as_deref();
        match (level, pillar) {
            ("area", Some(_)) => {
                return Err(self.fail(line, "pillar", "an area has no pillar".into()));
            }
            ("pillar" | "question", p) if !p.is_some_and(|p| resolve::PILLARS.contains(&p)) => {
                return Err(self.fail(
                    line,
                    "pillar",
                    format!("new {level} item {code}: give its pillar (effectiveness, efficiency or legitimacy)"),
                ));
            }
            _ => {}
        }
        let Some(wording) = row.wording.as_deref() else {
            return Err(self.fail(line, column, format!("new item {code}: give its wording")));
        };
        let series = match &row.same_as {
            None => None,
            Some(earlier) => {
                let found = grades::item(self.tx, earlier).map_err(|e| self.sql(line, e))?;
                match found {
                    Some(i) if i.cycle_id != cycle.id => Some(i.series),
                    Some(_) => {
                        return Err(self.fail(
                            line,
                            "same_as",
                            format!("{earlier} is in the same cycle; same_as names an earlier cycle's item"),
                        ));
                    }
                    None => {
                        return Err(self.fail(
                            line,
                            "same_as",
                            format!("no item {}", excerpt(earlier)),
                        ));
                    }
                }
            }
        };
        let item = grades::insert_item(
            self.tx,
            &grades::NewItem {
                cycle_id: cycle.id,
                level,
                pillar,
                code,
                wording,
                graded: true,
                series: series.as_deref(),
            },
        )
        .map_err(|e| self.sql(line, e))?;
        self.summary.items_created.push(code.to_string());
        Ok(item)
    }

    /// The id of the grade a cell names, on the cycle's scale.
    fn grade(&mut self, layout: Layout, row: &GradeRow) -> Result<(), GradeError> {
        let line = row.line;
        let full = layout == Layout::Full;
        let (area_id, _) = self.force(
            line,
            if full { "ons_code" } else { "force" },
            &row.force,
            row.force_name.as_deref(),
        )?;
        let cycle = self.cycle(line, "cycle", &row.cycle)?;
        let item = self.item(row, if full { "item_code" } else { "item" }, &cycle)?;
        let grade_id = self.grade_id(line, "grade", &cycle, &row.grade)?;
        let derived = row.derived.unwrap_or(false);
        let trust = match (&row.trust, derived) {
            (Some(t), _) => t.clone(),
            (None, true) => "low".into(),
            (None, false) => self.opts.trust.clone(),
        };
        if derived && trust != "low" {
            return Err(self.fail(
                line,
                "trust",
                format!("a derived grade has trust low, not {trust}"),
            ));
        }
        let note = format!("Named by {} line {line}", self.name);
        let source_id = load::url_source(self.tx, &row.source_url, &trust, &note)
            .map_err(|e| self.sql(line, e))?;
        let new = grades::NewJudgment {
            area_id,
            item_id: item.id,
            grade_id,
            source_id,
            report_id: None,
            source_line: None,
            trust: &trust,
            derived,
            cited: false,
            carried_over: row.carried_over,
            note: row.note.as_deref(),
        };
        self.summary.rows += 1;
        self.summary.derived += usize::from(derived);
        self.summary.carried_over += usize::from(row.carried_over);
        match grades::judgment(self.tx, &new, self.opts.replace) {
            Ok(grades::Judged::Inserted) => self.summary.grades_added += 1,
            Ok(grades::Judged::Confirmed) => self.summary.grades_confirmed += 1,
            Ok(grades::Judged::AlreadyHeld) => self.summary.grades_already_held += 1,
            Ok(grades::Judged::Replaced { .. }) => self.summary.grades_replaced += 1,
            Err(grades::JudgmentError::Conflict(c)) => {
                return Err(self.fail(
                    line,
                    "grade",
                    format!(
                        "{} {} is {} here, but {} is already held (from {}); use --replace to replace it",
                        row.force,
                        item.code,
                        excerpt(&row.grade),
                        c.existing_grade,
                        c.existing_source
                    ),
                ));
            }
            Err(grades::JudgmentError::Sqlite(e)) => return Err(self.sql(line, e)),
        }
        Ok(())
    }

    fn grade_id(
        &mut self,
        line: u64,
        column: &str,
        cycle: &grades::CycleRef,
        text: &str,
    ) -> Result<i64, GradeError> {
        let names = scale_grades(self.tx, cycle.scale_id).map_err(|e| self.sql(line, e))?;
        let candidates = resolve::grade_candidates(&names);
        let not_on_scale = || {
            format!(
                "{} is not a grade of {} (its grades: {})",
                excerpt(text),
                cycle.label,
                names.join(", ")
            )
        };
        let found = resolve::resolve("grade", text, &candidates, "")
            .map_err(|_| self.fail(line, column, not_on_scale()))?;
        let name = found.candidate.value.clone();
        grades::grade_id(self.tx, cycle.scale_id, &name)
            .map_err(|e| self.sql(line, e))?
            .ok_or_else(|| self.fail(line, column, not_on_scale()))
    }

    fn counts(&mut self, row: &CountRow) -> Result<(), GradeError> {
        let line = row.line;
        let area_id = match &row.force {
            Some(code) => {
                self.force(line, "ons_code", code, row.force_name.as_deref())?
                    .0
            }
            None => load::area_id(self.tx, NATIONAL_CODE)
                .map_err(|e| self.sql(line, e))?
                .ok_or_else(|| self.fail(line, "peel_year", "no England and Wales area".into()))?,
        };
        let cycle_column = if row.force.is_some() {
            "cycle"
        } else {
            "peel_year"
        };
        let cycle = match grades::cycle(self.tx, &row.cycle).map_err(|e| self.sql(line, e))? {
            Some(c) => c,
            None => {
                return Err(self.fail(
                    line,
                    cycle_column,
                    format!("cycle {} is not known", excerpt(&row.cycle)),
                ));
            }
        };
        if let Some(p) = &row.pillar
            && !resolve::PILLARS.contains(&p.as_str())
        {
            return Err(self.fail(
                line,
                "pillar",
                format!(
                    "{} is not effectiveness, efficiency or legitimacy",
                    excerpt(p)
                ),
            ));
        }
        let names = scale_grades(self.tx, cycle.scale_id).map_err(|e| self.sql(line, e))?;
        // National counts state every graded grade or are partial; a force's counts list
        // only the grades given, unless marked partial ("adequate (rest)").
        let partial = row.partial_marked
            || (row.force.is_none()
                && names
                    .iter()
                    .filter(|n| n.as_str() != "Not graded")
                    .any(|n| !row.counts.iter().any(|(g, _)| g == n)));
        let trust = row.trust.clone().unwrap_or_else(|| self.opts.trust.clone());
        let note = format!("Named by {} line {line}", self.name);
        let source_id = load::url_source(self.tx, &row.source_url, &trust, &note)
            .map_err(|e| self.sql(line, e))?;
        self.summary.rows += 1;
        for (grade, count) in &row.counts {
            let column = parse::COUNT_COLUMNS
                .iter()
                .find(|(_, g)| g == grade)
                .map_or("count", |(c, _)| c);
            let grade_id = grades::grade_id(self.tx, cycle.scale_id, grade)
                .map_err(|e| self.sql(line, e))?
                .ok_or_else(|| {
                    self.fail(
                        line,
                        column,
                        format!("{grade} is not a grade of {}", cycle.label),
                    )
                })?;
            let new = grades::NewGradeCount {
                area_id,
                cycle_id: cycle.id,
                pillar: row.pillar.as_deref(),
                grade_id,
                count: *count,
                partial,
                trust: &trust,
                source_id,
                note: row.note.as_deref(),
            };
            match grades::grade_count(self.tx, &new, self.opts.replace) {
                Ok(grades::Counted::Inserted) => self.summary.counts_added += 1,
                Ok(grades::Counted::AlreadyHeld) => self.summary.counts_already_held += 1,
                Ok(grades::Counted::Replaced) => self.summary.counts_replaced += 1,
                Err(grades::CountConflict::Differs {
                    count: held,
                    location,
                }) => {
                    return Err(self.fail(
                        line,
                        column,
                        format!(
                            "{count} {grade} here, but {held} is already held (from {location}); use --replace to replace it"
                        ),
                    ));
                }
                Err(grades::CountConflict::Sqlite(e)) => return Err(self.sql(line, e)),
            }
        }
        Ok(())
    }
}

/// The first year of a cycle label a file declares: `2025`, `2025-27`, `2025/26`.
fn new_cycle_year(label: &str) -> Option<i64> {
    let label = label.trim();
    let (year, rest) = label.split_at_checked(4)?;
    let year: i64 = year.parse().ok().filter(|y| (2014..=2100).contains(y))?;
    let tail_ok = rest.is_empty()
        || (rest.len() == 3
            && (rest.starts_with('-') || rest.starts_with('/'))
            && rest[1..].bytes().all(|b| b.is_ascii_digit()));
    (tail_ok && label.bytes().take(4).all(|b| b.is_ascii_digit())).then_some(year)
}

/// The grade names of a scale, best first.
fn scale_grades(conn: &Connection, scale_id: i64) -> rusqlite::Result<Vec<String>> {
    conn.prepare_cached(
        "SELECT name FROM grades WHERE scale_id = ?1 ORDER BY rank IS NULL, rank DESC",
    )?
    .query_map([scale_id], |r| r.get(0))?
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_cycles_are_named_by_their_first_year() {
        assert_eq!(new_cycle_year("2025-27"), Some(2025));
        assert_eq!(new_cycle_year("2025/26"), Some(2025));
        assert_eq!(new_cycle_year("2025"), Some(2025));
        assert_eq!(new_cycle_year("25-27"), None);
        assert_eq!(new_cycle_year("2025 to 2027"), None);
        assert_eq!(new_cycle_year("1999"), None);
    }
}
