//! Document structure: front matter (title, force, month, ISBN), contents
//! skipping, headings, graded judgments, cited earlier grades and the
//! "Areas for improvement" bullets. Numeric facts are delegated to `figures`
//! from the places in the structure where the template prints them.

use super::figures::{self, ProseCtx, Sink};
use super::normalize::{Line, Normalized, is_standalone};
use super::text::{
    GRADE_LIST, clean_token, grade_in_prose, grade_like, is_figure_caption, parse_grade,
    parse_month_year, sentences, strip_prefix_ci, tokens,
};
use super::{ImprovementFact, JudgmentFact, ParseError, ReportFacts};

/// Question codes in canonical output order.
const QUESTIONS: [&str; 5] = [
    "overall",
    "prevention",
    "investigation",
    "vulnerability",
    "serious-organised-crime",
];

/// A parsed title line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Title {
    pub title: String,
    pub pillar: String,
    pub year: i32,
    /// "PEEL: Police effectiveness 2015 - <force>" (a running header).
    pub force_suffix: Option<String>,
    /// "PEEL: Police effectiveness 2015 An inspection of <force>" on one line.
    pub inline_force: Option<String>,
}

/// Parses "PEEL: Police <pillar> <year>" with an optional suffix.
pub(crate) fn parse_title(t: &str) -> Option<Title> {
    let rest = strip_prefix_ci(t, "peel")?;
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix(':')
        .or_else(|| rest.strip_prefix('-'))?
        .trim_start();
    let rest = strip_prefix_ci(rest, "police ")?.trim_start();
    let (pillar, rest) = rest.split_once(' ')?;
    let pillar = pillar.to_ascii_lowercase();
    if !matches!(
        pillar.as_str(),
        "effectiveness" | "efficiency" | "legitimacy" | "leadership"
    ) {
        return None;
    }
    let rest = rest.trim_start();
    let year_str = rest.get(..4)?;
    if !year_str.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let after = rest.get(4..)?;
    if after.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    let year: i32 = year_str.parse().ok()?;
    if !(2000..=2100).contains(&year) {
        return None;
    }
    let title_len = t.len() - after.len();
    let title = t.get(..title_len)?.to_string();
    let after = after.trim();
    let mut out = Title {
        title,
        pillar,
        year,
        force_suffix: None,
        inline_force: None,
    };
    if after.is_empty() {
        return Some(out);
    }
    if let Some(force) = after.strip_prefix('-') {
        let force = force.trim();
        if force.is_empty() {
            return None;
        }
        out.force_suffix = Some(force.to_string());
        return Some(out);
    }
    if let Some(force) = strip_prefix_ci(after, "an inspection of ") {
        out.inline_force = Some(clean_force(force));
        return Some(out);
    }
    None
}

fn clean_force(s: &str) -> String {
    s.trim()
        .trim_end_matches(['.', ',', ';', ':'])
        .trim()
        .to_string()
}

/// Classifies a question heading ("How effective is the force at ...?"),
/// optionally prefixed "Overview - ". Returns the question code.
pub(crate) fn question_heading(lower: &str) -> Option<&'static str> {
    let s = lower
        .strip_prefix("overview")
        .map(|r| r.trim_start_matches([' ', '-', ':']))
        .unwrap_or(lower);
    let rest = s.strip_prefix("how effective is the ")?;
    // "the force at", "the constabulary at", "the service at" ...
    let (_, rest) = rest.split_once(' ')?;
    if !rest.starts_with("at ") || !s.ends_with('?') || s.len() > 300 {
        return None;
    }
    if rest.contains("vulnerable") {
        Some("vulnerability")
    } else if rest.contains("serious and organised crime") {
        Some("serious-organised-crime")
    } else if rest.contains("investigat") {
        Some("investigation")
    } else if rest.contains("prevent") {
        Some("prevention")
    } else if rest.contains("keeping people safe and reducing crime") {
        Some("overall")
    } else {
        None
    }
}

/// What follows "Overall judgment" on its own line.
enum OverallHead {
    /// Nothing: the grade is on the next line.
    Bare,
    /// "Overall judgment: Good".
    Inline(&'static str),
    /// "Overall judgment: Goood".
    BadInline(String),
}

fn overall_heading(text: &str) -> Option<OverallHead> {
    let rest = strip_prefix_ci(text, "overall judgment")
        .or_else(|| strip_prefix_ci(text, "overall judgement"))?;
    // Footnote digits stuck to the word ("judgment1") are allowed; a
    // contents entry ("judgment..... 3", "judgment 3") is not a heading.
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.trim_start_matches([':', ' ', '-']).trim();
    if rest.is_empty() {
        return Some(OverallHead::Bare);
    }
    if let Some(g) = parse_grade(rest) {
        return Some(OverallHead::Inline(g));
    }
    grade_like(rest).then(|| OverallHead::BadInline(rest.to_string()))
}

/// A fixed heading, tolerating a trailing colon ("Areas for improvement:").
fn heading_is(l: &Line, heading: &str) -> bool {
    l.lower.trim_end_matches(':').trim_end() == heading
}

/// Length of a "1. " / "12) " item marker, if the line starts with one.
fn numbered_marker_len(t: &str) -> Option<usize> {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let rest = t.get(digits..)?;
    ((1..=2).contains(&digits) && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then_some(digits + 2)
}

/// A contents entry: text then a page number after a tab/leader/space.
fn is_toc_entry(l: &Line) -> bool {
    let t = l.text.trim_end();
    let digits = t.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 || digits == t.len() {
        return false;
    }
    let head = t.get(..t.len() - digits).unwrap_or("");
    head.ends_with(' ') || head.ends_with('.')
}

/// A judgment seen in the text.
#[derive(Debug, Clone)]
struct Seen {
    code: &'static str,
    grade: &'static str,
    line: usize,
}

/// A grade cited from an earlier inspection.
#[derive(Debug, Clone)]
struct Cited {
    year: i32,
    code: &'static str,
    grade: &'static str,
    line: usize,
    conflicted: bool,
}

struct Parser<'a> {
    lines: &'a [Line],
    total_lines: usize,
    force_lower: String,
    pillar: String,
    year: i32,
    judgments: Vec<Seen>,
    cited: Vec<Cited>,
    improvements: Vec<ImprovementFact>,
    /// Improvements counted so far per question code.
    afi_counts: Vec<(&'static str, u32)>,
    sink: Sink,
    question: Option<&'static str>,
    prose: ProseCtx,
}

/// Parses normalized lines into facts.
pub(crate) fn parse(doc: &Normalized) -> Result<ReportFacts, ParseError> {
    let lines = doc.lines.as_slice();
    let first_line = lines.first().map_or(1, Line::line);
    // The title is on the cover page: search the first few logical lines,
    // preferring the bare title over a running header.
    let window = lines.iter().enumerate().take(40);
    let found: Vec<(usize, Title)> = window
        .filter_map(|(i, l)| parse_title(&l.text).map(|t| (i, t)))
        .collect();
    let Some((ti, title)) = found
        .iter()
        .find(|(_, t)| t.force_suffix.is_none())
        .or_else(|| found.first())
        .cloned()
    else {
        return Err(ParseError::new(
            first_line,
            "expected the report title \"PEEL: Police <effectiveness|efficiency|legitimacy> <year>\" near the start of the text",
        ));
    };
    let title_line = lines.get(ti).map_or(1, Line::line);

    // Force: "An inspection of X" just after the title.
    let mut force = title.inline_force.clone();
    let mut body_start = ti + 1;
    if force.is_none() {
        for (j, l) in lines.iter().enumerate().skip(ti + 1).take(8) {
            if let Some(f) = strip_prefix_ci(&l.text, "an inspection of ") {
                force = Some(clean_force(f));
                body_start = j + 1;
                break;
            }
        }
    }
    let force = force
        .or_else(|| title.force_suffix.clone())
        .filter(|f| !f.is_empty());
    let Some(force_name) = force else {
        // The line after the title, or the title itself when the text ends there: an
        // error always names a line the input has.
        return Err(ParseError::new(
            (title_line + 1).min(doc.total_lines),
            format!(
                "expected \"An inspection of <force name>\" after the title \"{}\"",
                title.title
            ),
        ));
    };

    // Publication month and ISBN: front matter up to the contents or first heading.
    let mut published = None;
    let mut isbn = None;
    for l in lines.iter().skip(ti + 1).take(30) {
        if heading_is(l, "contents")
            || overall_heading(&l.text).is_some()
            || question_heading(&l.lower).is_some()
        {
            break;
        }
        if published.is_none() {
            published = parse_month_year(&l.text);
        }
        if isbn.is_none() {
            isbn = parse_isbn(&l.text);
        }
    }

    let mut p = Parser {
        lines,
        total_lines: doc.total_lines,
        force_lower: force_name.to_ascii_lowercase(),
        pillar: title.pillar.clone(),
        year: title.year,
        judgments: Vec::new(),
        cited: Vec::new(),
        improvements: Vec::new(),
        afi_counts: Vec::new(),
        sink: Sink::default(),
        question: None,
        prose: ProseCtx::default(),
    };
    p.run(body_start)?;
    let (judgments, figures, improvements) = p.finish()?;
    Ok(ReportFacts {
        title: title.title,
        pillar: title.pillar,
        year: title.year,
        force_name,
        published,
        isbn,
        judgments,
        figures,
        improvements,
    })
}

/// "ISBN: 978-1-911194-74-3" -> the number as printed (spaces become hyphens).
fn parse_isbn(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let pos = lower.find("isbn")?;
    let rest = text.get(pos + 4..)?;
    let rest = rest.trim_start_matches([':', ' ', '-']);
    let raw: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | 'X' | 'x'))
        .collect();
    let mut out = String::new();
    for part in raw.split([' ', '-']).filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(part);
    }
    let digits = out.chars().filter(|c| c.is_ascii_alphanumeric()).count();
    (digits == 10 || digits == 13).then_some(out)
}

/// State of an "Areas for improvement" list being read.
struct Afi {
    code: &'static str,
    /// Index into `improvements` of the bullet being read, if any.
    current: Option<usize>,
}

impl Parser<'_> {
    fn run(&mut self, start: usize) -> Result<(), ParseError> {
        let mut i = start;
        let mut toc = false;
        let mut afi: Option<Afi> = None;
        let lines = self.lines;
        while let Some(l) = lines.get(i) {
            if toc {
                if is_toc_entry(l) {
                    i += 1;
                    continue;
                }
                toc = false;
            }
            if let Some(state) = afi.as_mut() {
                let marker = if l.bullet {
                    Some(2)
                } else {
                    numbered_marker_len(&l.text)
                };
                if let Some(skip) = marker {
                    let text = l.text.get(skip..).unwrap_or("").trim().to_string();
                    if !text.is_empty() {
                        let ordinal = self.next_ordinal(state.code);
                        self.improvements.push(ImprovementFact {
                            question_code: state.code.to_string(),
                            ordinal,
                            text,
                            line: l.line(),
                        });
                        state.current = Some(self.improvements.len() - 1);
                    }
                    i += 1;
                    continue;
                }
                let continues = !l.blank_before && !l.footnote && !self.is_heading(l);
                if let (true, Some(idx)) = (continues, state.current)
                    && let Some(item) = self.improvements.get_mut(idx)
                {
                    item.text.push(' ');
                    item.text.push_str(&l.text);
                    i += 1;
                    continue;
                }
                afi = None;
            }
            if l.footnote {
                i += 1;
                continue;
            }
            if heading_is(l, "contents") {
                toc = true;
                i += 1;
                continue;
            }
            if let Some(head) = overall_heading(&l.text) {
                i = self.overall(i, head)?;
                continue;
            }
            if let Some(code) = question_heading(&l.lower) {
                self.question = Some(code);
                self.prose = ProseCtx::default();
                i = self.grade_after(i, code, true)?;
                continue;
            }
            if heading_is(l, "summary of findings") {
                self.prose = ProseCtx::default();
                match self.question {
                    Some(code) => i = self.grade_after(i, code, false)?,
                    None => i += 1,
                }
                continue;
            }
            if heading_is(l, "areas for improvement") {
                afi = Some(Afi {
                    code: self.question.unwrap_or("overall"),
                    current: None,
                });
                i += 1;
                continue;
            }
            if heading_is(l, "force in numbers") {
                self.question = None;
                i = figures::force_in_numbers(
                    self.lines,
                    i + 1,
                    &self.force_lower,
                    &mut self.sink,
                )?;
                continue;
            }
            if heading_is(l, "introduction") || l.lower.starts_with("annex ") {
                self.question = None;
                i += 1;
                continue;
            }
            if let Some((kind, date)) = figures::figure_table(&l.lower) {
                self.prose = ProseCtx::default();
                i = figures::table(
                    self.lines,
                    i + 1,
                    kind,
                    date,
                    &self.force_lower,
                    &mut self.sink,
                )?;
                continue;
            }
            if is_figure_caption(&l.lower) || (l.lower.ends_with('?') && l.text.len() < 300) {
                // A chart caption or a sub-heading: prose context does not carry over.
                self.prose = ProseCtx::default();
                i += 1;
                continue;
            }
            if !l.columnar {
                self.citations(l);
                match self.question {
                    Some("prevention") => {
                        figures::prevention_prose(l, &mut self.prose, &mut self.sink)?
                    }
                    Some("serious-organised-crime") => {
                        figures::soc_prose(l, &mut self.prose, &mut self.sink)?
                    }
                    _ => {}
                }
            }
            i += 1;
        }
        Ok(())
    }

    /// Next 1-based ordinal of an improvement within its question.
    fn next_ordinal(&mut self, code: &'static str) -> u32 {
        match self.afi_counts.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => {
                *n = n.saturating_add(1);
                *n
            }
            None => {
                self.afi_counts.push((code, 1));
                1
            }
        }
    }

    fn is_heading(&self, l: &Line) -> bool {
        is_standalone(&l.text)
            || question_heading(&l.lower).is_some()
            || l.lower.starts_with("annex ")
            || is_figure_caption(&l.lower)
            || parse_grade(&l.text).is_some()
    }

    /// Index of the next line that can carry a grade (footnotes skipped).
    fn next_content(&self, i: usize) -> Option<usize> {
        (i + 1..self.lines.len()).find(|&j| self.lines.get(j).is_some_and(|l| !l.footnote))
    }

    /// Handles "Overall judgment": the grade is required.
    fn overall(&mut self, i: usize, head: OverallHead) -> Result<usize, ParseError> {
        let here = self.lines.get(i).map_or(self.total_lines, Line::line);
        match head {
            OverallHead::Inline(g) => {
                self.record("overall", g, here)?;
                Ok(i + 1)
            }
            OverallHead::BadInline(found) => Err(ParseError::new(
                here,
                format!(
                    "expected a grade ({GRADE_LIST}) after \"Overall judgment\", found \"{found}\""
                ),
            )),
            OverallHead::Bare => {
                let Some(j) = self.next_content(i) else {
                    return Err(ParseError::new(
                        self.total_lines,
                        format!(
                            "expected a grade ({GRADE_LIST}) after \"Overall judgment\" at line {here}, but the text ends"
                        ),
                    ));
                };
                let lines = self.lines;
                let Some(l) = lines.get(j) else {
                    return Ok(i + 1);
                };
                match parse_grade(&l.text) {
                    Some(g) => {
                        self.record("overall", g, l.line())?;
                        Ok(j + 1)
                    }
                    None => Err(ParseError::new(
                        l.line(),
                        format!(
                            "expected a grade ({GRADE_LIST}) after \"Overall judgment\", found \"{}\"",
                            excerpt(&l.text)
                        ),
                    )),
                }
            }
        }
    }

    /// After a question heading or "Summary of findings": take a grade if
    /// the next line is one; a near-miss grade is an error.
    fn grade_after(
        &mut self,
        i: usize,
        code: &'static str,
        heading: bool,
    ) -> Result<usize, ParseError> {
        let Some(j) = self.next_content(i) else {
            return Ok(i + 1);
        };
        let lines = self.lines;
        let Some(l) = lines.get(j) else {
            return Ok(i + 1);
        };
        if let Some(g) = parse_grade(&l.text) {
            self.record(code, g, l.line())?;
            return Ok(j + 1);
        }
        if grade_like(&l.text) {
            let after = if heading {
                let h = self.lines.get(i).map_or("", |h| h.text.as_str());
                format!("the question heading \"{}\"", excerpt(h))
            } else {
                "\"Summary of findings\"".to_string()
            };
            return Err(ParseError::new(
                l.line(),
                format!(
                    "expected a grade ({GRADE_LIST}) after {after}, found \"{}\"",
                    excerpt(&l.text)
                ),
            ));
        }
        Ok(i + 1)
    }

    fn record(
        &mut self,
        code: &'static str,
        grade: &'static str,
        line: usize,
    ) -> Result<(), ParseError> {
        if let Some(prev) = self.judgments.iter().find(|s| s.code == code) {
            if prev.grade != grade {
                return Err(ParseError::new(
                    line,
                    format!(
                        "conflicting grades for {code}: \"{}\" at line {} but \"{grade}\" at line {line}",
                        prev.grade, prev.line
                    ),
                ));
            }
            return Ok(());
        }
        self.judgments.push(Seen { code, grade, line });
        Ok(())
    }

    /// Grades cited from the 2014 crime inspection, e.g. "... in its crime
    /// inspection in 2014 when the constabulary was also judged as good at
    /// reducing crime and preventing offending."
    fn citations(&mut self, l: &Line) {
        if !l.lower.contains("judged") || !l.lower.contains("crime inspection") {
            return;
        }
        for (a, b) in sentences(&l.text) {
            let Some(s) = l.lower.get(a..b) else { continue };
            if !s.contains("judged") {
                continue;
            }
            let Some(year) = crime_inspection_year(s) else {
                continue;
            };
            if year >= self.year || year < 2000 {
                continue;
            }
            let toks = tokens(s);
            let words: Vec<&str> = toks
                .iter()
                .map(|&(x, y)| clean_token(s.get(x..y).unwrap_or("")))
                .collect();
            for (k, w) in words.iter().enumerate() {
                if *w != "judged" || (k > 0 && words.get(k - 1) == Some(&"not")) {
                    continue;
                }
                // "judged (the force) as good", "to be good", "as being good",
                // "to require improvement".
                let mut g = None;
                for j in k + 1..(k + 9).min(words.len()) {
                    match words.get(j) {
                        Some(&"as") => {
                            g = Some(j + 1);
                            break;
                        }
                        Some(&"to") if words.get(j + 1) == Some(&"be") => {
                            g = Some(j + 2);
                            break;
                        }
                        Some(&"to") if words.get(j + 1) == Some(&"require") => {
                            g = Some(j + 1);
                            break;
                        }
                        _ => {}
                    }
                }
                let Some(mut g) = g else { continue };
                if words.get(g) == Some(&"being") {
                    g += 1;
                }
                let Some((grade, n)) = words.get(g..).and_then(grade_in_prose) else {
                    continue;
                };
                if !matches!(words.get(g + n), Some(&"at" | &"in")) {
                    continue;
                }
                // The activity runs to the end of the clause (a few words).
                let mut activity = String::new();
                for (idx, &(x, y)) in toks.iter().enumerate().skip(g + n + 1).take(12) {
                    let raw = s.get(x..y).unwrap_or("");
                    activity.push_str(words.get(idx).copied().unwrap_or(""));
                    activity.push(' ');
                    if raw.ends_with([',', ';', '.']) {
                        break;
                    }
                }
                let Some(code) = cited_question(&activity) else {
                    continue;
                };
                let offset = a + toks.get(g).map_or(0, |t| t.0);
                self.cite(year, code, grade, l.line_at(offset));
            }
        }
    }

    fn cite(&mut self, year: i32, code: &'static str, grade: &'static str, line: usize) {
        if let Some(prev) = self
            .cited
            .iter_mut()
            .find(|c| c.year == year && c.code == code)
        {
            // Two different grades for the same earlier question: ambiguous, keep neither.
            if prev.grade != grade {
                prev.conflicted = true;
            }
            return;
        }
        self.cited.push(Cited {
            year,
            code,
            grade,
            line,
            conflicted: false,
        });
    }

    #[allow(clippy::type_complexity)]
    fn finish(
        self,
    ) -> Result<
        (
            Vec<JudgmentFact>,
            Vec<super::FigureFact>,
            Vec<ImprovementFact>,
        ),
        ParseError,
    > {
        let end = self.total_lines;
        if !self.judgments.iter().any(|s| s.code == "overall") {
            return Err(ParseError::new(
                end,
                format!(
                    "expected \"Overall judgment\" followed by a grade ({GRADE_LIST}), but the text ends at line {end} without one (is the report truncated?)"
                ),
            ));
        }
        if self.pillar == "effectiveness" {
            // The template grades all four questions in the overview.
            for code in QUESTIONS.iter().skip(1) {
                if !self.judgments.iter().any(|s| s.code == *code) {
                    return Err(ParseError::new(
                        end,
                        format!(
                            "expected a grade ({GRADE_LIST}) for the {code} question (after its \"How effective is the force at ...?\" heading or its \"Summary of findings\"), but none was found"
                        ),
                    ));
                }
            }
        }
        let mut judgments = Vec::new();
        for code in QUESTIONS {
            if let Some(s) = self.judgments.iter().find(|s| s.code == code) {
                judgments.push(JudgmentFact {
                    year: self.year,
                    pillar: self.pillar.clone(),
                    question_code: s.code.to_string(),
                    grade: s.grade.to_string(),
                    line: s.line,
                    earlier_inspection: None,
                });
            }
        }
        for code in QUESTIONS {
            for c in self
                .cited
                .iter()
                .filter(|c| c.code == code && !c.conflicted)
            {
                judgments.push(JudgmentFact {
                    year: c.year,
                    pillar: self.pillar.clone(),
                    question_code: c.code.to_string(),
                    grade: c.grade.to_string(),
                    line: c.line,
                    earlier_inspection: Some(format!("HMIC crime inspection {}", c.year)),
                });
            }
        }
        Ok((judgments, self.sink.into_facts(), self.improvements))
    }
}

/// "crime inspection in 2014" or "2014 crime inspection" -> 2014.
fn crime_inspection_year(s: &str) -> Option<i32> {
    let four = |t: &str| -> Option<i32> {
        let t = t.get(..4)?;
        t.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| t.parse().ok())?
    };
    if let Some(pos) = s.find("crime inspection in ")
        && let Some(y) = s.get(pos + "crime inspection in ".len()..).and_then(four)
    {
        return Some(y);
    }
    let pos = s.find(" crime inspection")?;
    let head = s.get(..pos)?;
    let start = head.len().checked_sub(4)?;
    four(head.get(start..)?)
}

/// Maps the activity of a cited 2014 grade to a 2015 question, only when unambiguous.
fn cited_question(activity: &str) -> Option<&'static str> {
    let prevention = activity.contains("reducing crime")
        || activity.contains("preventing offending")
        || activity.contains("preventing crime");
    let investigation = activity.contains("investigating");
    match (prevention, investigation) {
        (true, false) => Some("prevention"),
        (false, true) => Some("investigation"),
        _ => None,
    }
}

/// A short excerpt of a line for error messages.
fn excerpt(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        return s.to_string();
    }
    let cut: String = s.chars().take(MAX).collect();
    format!("{cut}...")
}
