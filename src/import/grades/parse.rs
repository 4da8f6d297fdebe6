//! Reading a grades CSV into rows, without a database: the layout is told by the header,
//! every cell is checked for its shape (a number is digits, a source is a web address, a
//! flag is 0 or 1), and every error names the line and column. Names (forces, cycles,
//! items, grades) are resolved later, against the database, by [`super::store`].
//!
//! Four layouts:
//! - **full**: the audited record's header (`ons_code, force, cycle, level, pillar,
//!   item_code, item, grade, source_url, trust, derived, note`);
//! - **minimal**: `force, cycle, item, grade, source_url`, plus any of `trust`, `derived`,
//!   `note`, `level`, `pillar`, `wording`, `same_as`, `carried_over`;
//! - **force counts**: how many of a force's areas got each grade (`ons_code, force, cycle,
//!   n_graded_stated, outstanding, good, adequate, requires_improvement, inadequate,
//!   counts_as_published, source_url, trust, vs_project, note`);
//! - **national counts**: how many forces got each grade on a pillar (`peel_year, pillar,
//!   outstanding, good, adequate, requires_improvement, inadequate, not_graded,
//!   source_url`, plus `trust` and `note`).
//!
//! Lines starting with `#` before the header are comments (the audited files name their
//! source there).

use std::collections::HashMap;

/// A grade column of the count layouts, with the grade it counts.
pub const COUNT_COLUMNS: &[(&str, &str)] = &[
    ("outstanding", "Outstanding"),
    ("good", "Good"),
    ("adequate", "Adequate"),
    ("requires_improvement", "Requires improvement"),
    ("inadequate", "Inadequate"),
    ("not_graded", "Not graded"),
];

const FULL: &[&str] = &[
    "ons_code",
    "force",
    "cycle",
    "level",
    "pillar",
    "item_code",
    "item",
    "grade",
    "source_url",
    "trust",
    "derived",
    "note",
];
const MINIMAL_REQUIRED: &[&str] = &["force", "cycle", "item", "grade", "source_url"];
const MINIMAL_OPTIONAL: &[&str] = &[
    "trust",
    "derived",
    "note",
    "level",
    "pillar",
    "wording",
    "same_as",
    "carried_over",
];
const FORCE_COUNTS: &[&str] = &[
    "ons_code",
    "force",
    "cycle",
    "n_graded_stated",
    "outstanding",
    "good",
    "adequate",
    "requires_improvement",
    "inadequate",
    "counts_as_published",
    "source_url",
    "trust",
    "vs_project",
    "note",
];
const NATIONAL_REQUIRED: &[&str] = &[
    "peel_year",
    "pillar",
    "outstanding",
    "good",
    "adequate",
    "requires_improvement",
    "inadequate",
    "not_graded",
    "source_url",
];
const NATIONAL_OPTIONAL: &[&str] = &["trust", "note"];

/// How many characters of a cell an error quotes.
const EXCERPT: usize = 60;

/// A cell quoted in an error: `"text"`, or `"first characters"...` when longer than
/// `EXCERPT` characters (a 50 MB cell is never echoed whole); control characters dropped,
/// bidi controls named as [`crate::output::safe::visible`] shows them.
pub fn excerpt(text: &str) -> String {
    let (cut, more) = cut_cell(text);
    if more {
        format!("{cut:?}...")
    } else {
        format!("{cut:?}")
    }
}

/// The first `EXCERPT` characters of a cell, cleaned, and whether there were more.
fn cut_cell(text: &str) -> (String, bool) {
    let clean: String = text.chars().filter(|c| !c.is_control()).collect();
    let more = clean.chars().count() > EXCERPT;
    let cut: String = clean.chars().take(EXCERPT).collect();
    (crate::output::safe::visible(&cut, EXCERPT), more)
}

/// Which layout a file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// The audited record's columns.
    Full,
    /// `force, cycle, item, grade, source_url` and optional columns.
    Minimal,
    /// Per-force counts of area grades.
    ForceCounts,
    /// National counts of pillar grades.
    NationalCounts,
}

impl Layout {
    /// How the layout is named in summaries.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Full => "grades (full layout)",
            Layout::Minimal => "grades (minimal layout)",
            Layout::ForceCounts => "force grade counts",
            Layout::NationalCounts => "national grade counts",
        }
    }
}

/// One grade as a file gives it; names still to resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradeRow {
    /// Line in the file.
    pub line: u64,
    /// The force: an ONS code (full layout) or anything peel resolves.
    pub force: String,
    /// The force's name as the full layout prints it, checked against the code.
    pub force_name: Option<String>,
    /// The cycle's label or first year.
    pub cycle: String,
    /// The item's code.
    pub item: String,
    /// The grade as printed.
    pub grade: String,
    /// The web address stating it.
    pub source_url: String,
    /// Trust, when the file gives it.
    pub trust: Option<String>,
    /// Derived, when the file gives it.
    pub derived: Option<bool>,
    /// A note.
    pub note: Option<String>,
    /// pillar, question or area, for a new item.
    pub level: Option<String>,
    /// The pillar, for a new item.
    pub pillar: Option<String>,
    /// HMICFRS's wording, for a new item.
    pub wording: Option<String>,
    /// An earlier item a new one continues.
    pub same_as: Option<String>,
    /// Carried over from an earlier cycle.
    pub carried_over: bool,
}

/// One row of counts as a file gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountRow {
    /// Line in the file.
    pub line: u64,
    /// The force's ONS code; `None` for national counts.
    pub force: Option<String>,
    /// The force's name as printed.
    pub force_name: Option<String>,
    /// The cycle's label or first year.
    pub cycle: String,
    /// The pillar, for national counts.
    pub pillar: Option<String>,
    /// Grade name and count, for each count the file states.
    pub counts: Vec<(&'static str, i64)>,
    /// The source says only some of the counts.
    pub partial_marked: bool,
    /// The web address stating them.
    pub source_url: String,
    /// Trust, when the file gives it.
    pub trust: Option<String>,
    /// A note.
    pub note: Option<String>,
}

/// What a grades file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GradeFile {
    /// Grades.
    Grades(Layout, Vec<GradeRow>),
    /// Counts.
    Counts(Layout, Vec<CountRow>),
}

/// A file that cannot be read as grades: where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}{}: {message}", column.as_ref().map(|c| format!(", column {c}")).unwrap_or_default())]
pub struct ParseError {
    /// Line in the file (1 for the header when the file has no comment).
    pub line: u64,
    /// The column's name.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

fn layout_of(header: &[String]) -> Result<Layout, String> {
    let has = |c: &str| header.iter().any(|h| h == c);
    let only = |allowed: &[&[&str]]| -> Result<(), String> {
        match header
            .iter()
            .find(|h| !allowed.iter().any(|set| set.contains(&h.as_str())))
        {
            Some(extra) => Err(format!(
                "unexpected column {}; this layout takes {}",
                excerpt(extra),
                allowed.concat().join(", ")
            )),
            None => Ok(()),
        }
    };
    let missing = |required: &[&str]| -> Result<(), String> {
        let absent: Vec<&str> = required.iter().copied().filter(|c| !has(c)).collect();
        if absent.is_empty() {
            Ok(())
        } else {
            Err(format!("missing column(s) {}", absent.join(", ")))
        }
    };
    match layout_named_by(header) {
        Some(Layout::Full) => {
            missing(FULL)?;
            only(&[FULL, &["carried_over"]])?;
            Ok(Layout::Full)
        }
        Some(Layout::ForceCounts) => {
            missing(FORCE_COUNTS)?;
            only(&[FORCE_COUNTS])?;
            Ok(Layout::ForceCounts)
        }
        Some(Layout::NationalCounts) => {
            missing(NATIONAL_REQUIRED)?;
            only(&[NATIONAL_REQUIRED, NATIONAL_OPTIONAL])?;
            Ok(Layout::NationalCounts)
        }
        Some(Layout::Minimal) => {
            missing(MINIMAL_REQUIRED)?;
            only(&[MINIMAL_REQUIRED, MINIMAL_OPTIONAL])?;
            Ok(Layout::Minimal)
        }
        None => Err(format!(
            "not a grades file: expected the columns {} (or the audited record's, or a counts file's)",
            MINIMAL_REQUIRED.join(", ")
        )),
    }
}

/// The layout a header's telling columns name (`item_code`, `n_graded_stated`,
/// `peel_year`, or `force` with `item`), before its other columns are checked; `None`
/// when it names no grades layout. Column names are compared trimmed and in lower case.
pub fn layout_named_by(header: &[String]) -> Option<Layout> {
    let has = |c: &str| header.iter().any(|h| h.trim().eq_ignore_ascii_case(c));
    if has("item_code") {
        Some(Layout::Full)
    } else if has("n_graded_stated") {
        Some(Layout::ForceCounts)
    } else if has("peel_year") {
        Some(Layout::NationalCounts)
    } else if has("force") && has("item") {
        Some(Layout::Minimal)
    } else {
        None
    }
}

/// One record's cells by column name, with its line.
struct Cells<'r> {
    line: u64,
    index: &'r HashMap<String, usize>,
    record: &'r csv::StringRecord,
}

impl Cells<'_> {
    fn error(&self, column: &str, message: String) -> ParseError {
        ParseError {
            line: self.line,
            column: Some(column.to_string()),
            message,
        }
    }

    /// The trimmed cell; empty when the column is absent.
    fn get(&self, column: &str) -> &str {
        self.index
            .get(column)
            .and_then(|&i| self.record.get(i))
            .map_or("", str::trim)
    }

    fn optional(&self, column: &str) -> Option<String> {
        let v = self.get(column);
        (!v.is_empty()).then(|| v.to_string())
    }

    fn required(&self, column: &str) -> Result<String, ParseError> {
        self.optional(column)
            .ok_or_else(|| self.error(column, "is empty".into()))
    }

    fn flag(&self, column: &str) -> Result<Option<bool>, ParseError> {
        match self.get(column).to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "0" | "no" | "false" => Ok(Some(false)),
            "1" | "yes" | "true" => Ok(Some(true)),
            other => Err(self.error(column, format!("{} is not 0 or 1", excerpt(other)))),
        }
    }

    fn trust(&self) -> Result<Option<String>, ParseError> {
        match self.optional("trust") {
            Some(t) if !crate::load::TRUST.contains(&t.as_str()) => Err(self.error(
                "trust",
                format!(
                    "{} is not a trust level ({})",
                    excerpt(&t),
                    crate::load::TRUST.join(", ")
                ),
            )),
            t => Ok(t),
        }
    }

    /// A source is what a reader can follow: a web address.
    fn url(&self) -> Result<String, ParseError> {
        let url = self.required("source_url")?;
        let ok = (url.starts_with("https://") || url.starts_with("http://"))
            && url.len() > "https://".len()
            && !url.chars().any(|c| c.is_whitespace() || c.is_control());
        if ok {
            Ok(url)
        } else {
            Err(self.error(
                "source_url",
                format!(
                    "{} is not a web address (http:// or https://, no spaces)",
                    excerpt(&url)
                ),
            ))
        }
    }

    fn count(&self, column: &str) -> Result<Option<i64>, ParseError> {
        let v = self.get(column);
        if v.is_empty() {
            return Ok(None);
        }
        if v.len() > 6 || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.error(
                column,
                format!("{} is not a whole number of grades", excerpt(v)),
            ));
        }
        Ok(v.parse().ok())
    }
}

/// Whether a full-layout note says the judgment was carried over from an earlier cycle.
/// The audited record says so in its note ("not re-inspected"); a general remark that
/// "some judgments were carried over" is not about this one.
pub fn note_says_carried_over(note: &str) -> bool {
    note.contains("not re-inspected")
}

/// Reads a grades file. `bytes` must be UTF-8.
pub fn parse(bytes: &[u8]) -> Result<GradeFile, ParseError> {
    if let Some(message) = super::super::foreign_encoding(bytes) {
        return Err(ParseError {
            line: 1,
            column: None,
            message,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| ParseError {
        line: 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64,
        column: None,
        message: "is not UTF-8 text".into(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Comment lines before the header are skipped, and counted so lines keep their numbers.
    let mut skipped = 0u64;
    let mut body = text;
    while body.starts_with('#') {
        skipped += 1;
        body = body.split_once('\n').map_or("", |(_, rest)| rest);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(e, skipped))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let header_line = skipped + 1;
    if let Some(message) = super::super::duplicate_column(&header) {
        return Err(ParseError {
            line: header_line,
            column: None,
            message,
        });
    }
    let layout = layout_of(&header).map_err(|message| ParseError {
        line: header_line,
        column: None,
        message,
    })?;
    let index: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.clone(), i))
        .collect();
    let mut grades = Vec::new();
    let mut counts = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(e, skipped)),
        }
        let line = skipped + record.position().map_or(0, |p| p.line());
        let cells = Cells {
            line,
            index: &index,
            record: &record,
        };
        match layout {
            Layout::Full | Layout::Minimal => grades.push(grade_row(&cells, layout)?),
            Layout::ForceCounts | Layout::NationalCounts => counts.push(count_row(&cells, layout)?),
        }
    }
    if grades.is_empty() && counts.is_empty() {
        return Err(ParseError {
            line: header_line,
            column: None,
            message: "has a header but no rows".into(),
        });
    }
    Ok(match layout {
        Layout::Full | Layout::Minimal => GradeFile::Grades(layout, grades),
        _ => GradeFile::Counts(layout, counts),
    })
}

fn csv_error(e: csv::Error, skipped: u64) -> ParseError {
    let line = skipped + e.position().map_or(1, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("has {len} fields where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "is not UTF-8 text".into(),
        _ => format!("cannot be read as CSV ({e})"),
    };
    ParseError {
        line,
        column: None,
        message,
    }
}

fn grade_row(c: &Cells<'_>, layout: Layout) -> Result<GradeRow, ParseError> {
    let full = layout == Layout::Full;
    let note = c.optional("note");
    let carried_over = match c.flag("carried_over")? {
        Some(flag) => flag,
        None => full && note.as_deref().is_some_and(note_says_carried_over),
    };
    Ok(GradeRow {
        line: c.line,
        force: c.required(if full { "ons_code" } else { "force" })?,
        force_name: if full { c.optional("force") } else { None },
        cycle: c.required("cycle")?,
        item: c.required(if full { "item_code" } else { "item" })?,
        grade: c.required("grade")?,
        source_url: c.url()?,
        trust: c.trust()?,
        derived: c.flag("derived")?,
        note,
        level: c.optional("level"),
        pillar: c.optional("pillar").map(|p| p.to_ascii_lowercase()),
        wording: c.optional(if full { "item" } else { "wording" }),
        same_as: c.optional("same_as"),
        carried_over,
    })
}

fn count_row(c: &Cells<'_>, layout: Layout) -> Result<CountRow, ParseError> {
    let national = layout == Layout::NationalCounts;
    let mut counts = Vec::new();
    for (column, grade) in COUNT_COLUMNS {
        if !national && *column == "not_graded" {
            continue;
        }
        if let Some(n) = c.count(column)? {
            counts.push((*grade, n));
        }
    }
    let published = c.get("counts_as_published");
    Ok(CountRow {
        line: c.line,
        force: if national {
            None
        } else {
            Some(c.required("ons_code")?)
        },
        force_name: c.optional("force"),
        cycle: c.required(if national { "peel_year" } else { "cycle" })?,
        pillar: if national {
            Some(c.required("pillar")?.to_ascii_lowercase())
        } else {
            None
        },
        counts,
        partial_marked: published.contains("(rest)") || published.contains("not stated"),
        source_url: c.url()?,
        trust: c.trust()?,
        note: c.optional("note"),
    })
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
