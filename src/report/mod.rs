//! Parser for the text of HMIC "PEEL: Police effectiveness 2015" force reports.
//!
//! This module owns the public fact types and the two entry points,
//! [`parse_report`] and [`parse_report_bytes`]. It is pure: text in, facts
//! out, no I/O. The work is split into stages, each in its own file:
//!
//! - `decode`: bytes to `&str` (BOM, UTF-16, binary and invalid UTF-8 checks);
//! - `normalize`: physical lines to logical lines (characters, page furniture,
//!   hard wraps, hyphenation), keeping a map back to original line numbers;
//! - `structure`: front matter, headings, judgments and areas for improvement;
//! - `figures`: the "Force in numbers" block, figure tables and the few prose
//!   sentences whose pattern is unambiguous;
//! - `text`: small shared helpers (numbers, dates, periods, grades, slugs).
//!
//! Nothing here is specific to one force: the force name is read from the
//! title page and only used to recognise column labels.
//!
//! Text in the facts (`force_name`, improvement text, period labels) is in
//! normalized form: ASCII quotes and hyphens, ligatures expanded, footnote
//! markers removed, single spaces. That is what makes a curly-quoted and a
//! straight-quoted extraction of the same report yield identical facts.

pub(crate) mod decode;
mod figures;
mod normalize;
mod structure;
mod text;

#[cfg(test)]
mod tests;

/// Everything extracted from one report.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReportFacts {
    /// The report title as printed, e.g. "PEEL: Police effectiveness 2015".
    pub title: String,
    /// The PEEL pillar in lower case: "effectiveness", "efficiency" or "legitimacy".
    pub pillar: String,
    /// The programme year from the title, e.g. 2015.
    pub year: i32,
    /// The force as printed after "An inspection of ", e.g. "Cambridgeshire Constabulary".
    pub force_name: String,
    /// Publication month as "YYYY-MM", from the title-page month line ("February 2016").
    pub published: Option<String>,
    /// The ISBN as printed, e.g. "978-1-911194-74-3".
    pub isbn: Option<String>,
    /// Graded judgments: this report's own, then grades it cites from earlier inspections.
    pub judgments: Vec<JudgmentFact>,
    /// Numeric facts, in order of first appearance.
    pub figures: Vec<FigureFact>,
    /// "Areas for improvement" bullets, in document order.
    pub improvements: Vec<ImprovementFact>,
}

/// One graded judgment.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct JudgmentFact {
    /// Inspection year the grade belongs to (2015 for this report's grades,
    /// 2014 for grades cited from the 2014 crime inspection).
    pub year: i32,
    /// PEEL pillar, e.g. "effectiveness".
    pub pillar: String,
    /// "overall" | "prevention" | "investigation" | "vulnerability" | "serious-organised-crime".
    pub question_code: String,
    /// Canonical grade: "Outstanding" | "Good" | "Requires improvement" | "Inadequate".
    pub grade: String,
    /// 1-based line in the original input where the grade is stated (first statement).
    pub line: usize,
    /// `None` for this report's grades; e.g. `Some("HMIC crime inspection 2014")` for cited ones.
    pub earlier_inspection: Option<String>,
}

/// Whose value a figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Subject {
    /// The inspected force.
    Force,
    /// All forces in England and Wales.
    EnglandAndWales,
}

/// The period a figure refers to.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PeriodFact {
    /// Canonical label: "12 months to 30 June 2015" or "as at 30 June 2015".
    pub label: String,
    /// "12-months" | "point".
    pub kind: String,
    /// ISO start date for "12-months" periods ("2014-07-01"); `None` for points.
    pub start: Option<String>,
    /// ISO end date (or the date of a point), e.g. "2015-06-30".
    pub end: String,
}

/// One numeric value for one subject.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FigureFact {
    /// Metric code, e.g. "asb-per-1000" or "outcomes-charged-summoned-rate".
    pub metric_code: String,
    /// Force or England and Wales.
    pub subject: Subject,
    /// The period the value refers to.
    pub period: PeriodFact,
    /// The value; changes are signed (a fall of 19 percent is -19).
    pub value: f64,
    /// "per 1,000 population", "per 1,000 households", "per million population",
    /// "percent", "percent change" or "count".
    pub unit: String,
    /// 1-based line in the original input where the number is printed.
    pub line: usize,
}

/// One "Areas for improvement" bullet.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImprovementFact {
    /// Question section the bullet sits in (see [`JudgmentFact::question_code`]).
    pub question_code: String,
    /// 1-based position within that question.
    pub ordinal: u32,
    /// Bullet text without the marker, hard line breaks joined with single spaces.
    pub text: String,
    /// 1-based line in the original input where the bullet starts.
    pub line: usize,
}

/// Why a text could not be read as a report.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// 1-based line in the original input the problem was found at.
    pub line: usize,
    /// What was expected (and, where useful, what was found).
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(line: usize, message: impl Into<String>) -> Self {
        ParseError {
            line: line.max(1),
            message: message.into(),
        }
    }
}

/// Parses the text of one report.
///
/// Accepts LF, CRLF or lone CR line ends, form feeds and page furniture,
/// hard-wrapped paragraphs, ligatures, Unicode spaces, quotes and dashes, and
/// footnote markers (see the `normalize` stage). A leading BOM is ignored.
/// Never panics; any input that is not a report of the expected template
/// yields a [`ParseError`] naming the line and what was expected there.
pub fn parse_report(text: &str) -> Result<ReportFacts, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ParseError::new(
            1,
            "empty input: expected the text of a PEEL report",
        ));
    }
    let normalized = normalize::normalize(text);
    structure::parse(&normalized)
}

/// Decodes bytes as UTF-8 (stripping a UTF-8 BOM) and parses them.
///
/// Rejects empty input, UTF-16 or UTF-32 (with or without a byte order mark),
/// binary data and invalid UTF-8, with a message saying so and the line of
/// the offending byte (line 1 for encoding-level problems).
pub fn parse_report_bytes(bytes: &[u8]) -> Result<ReportFacts, ParseError> {
    let text = decode::decode(bytes)?;
    parse_report(text)
}
