//! Numeric facts: the "Force in numbers" block, the figure tables (crime
//! rates, outcomes) and the few prose sentences whose pattern is
//! unambiguous (crime and anti-social behaviour changes, ASB incident count,
//! organised crime group count and drug share).
//!
//! Every fact goes through [`Sink`], which keeps the first statement of a
//! (metric, subject, period) and decides what a repeat means: equal values
//! are one fact; two tables/blocks that disagree are an error naming both
//! lines; two prose sentences that disagree are ambiguous and both dropped.
//! Nothing is ever inferred from a chart caption without printed numbers.

use std::collections::HashMap;

use super::normalize::Line;
use super::structure::question_heading;
use super::text::{
    Date, FoundPeriod, clean_token, find_periods, is_figure_caption, label_key, parse_count,
    parse_number, period_fact, sentences, slugify, strip_prefix_ci, tokens,
};
use super::{FigureFact, ParseError, Subject};

/// Where a fact was read from; decides how a disagreeing repeat is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// "Force in numbers" or a figure table.
    Table,
    /// A sentence.
    Prose,
}

#[derive(Debug)]
struct Entry {
    fact: FigureFact,
    source: Source,
    live: bool,
}

/// Collects figure facts with de-duplication and conflict rules.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
}

impl Sink {
    fn key(f: &FigureFact) -> String {
        format!("{}|{:?}|{}", f.metric_code, f.subject, f.period.label)
    }

    /// Adds one fact; see the module docs for repeats.
    pub(crate) fn add(&mut self, fact: FigureFact, source: Source) -> Result<(), ParseError> {
        let key = Self::key(&fact);
        let Some(&idx) = self.index.get(&key) else {
            self.index.insert(key, self.entries.len());
            self.entries.push(Entry {
                fact,
                source,
                live: true,
            });
            return Ok(());
        };
        let Some(prev) = self.entries.get_mut(idx) else {
            return Ok(());
        };
        if prev.fact.value == fact.value {
            return Ok(());
        }
        match (prev.source, source) {
            (Source::Table, Source::Table) => Err(ParseError::new(
                fact.line,
                format!(
                    "conflicting values for {} ({:?}, {}): {} at line {} but {} at line {}",
                    fact.metric_code,
                    fact.subject,
                    fact.period.label,
                    prev.fact.value,
                    prev.fact.line,
                    fact.value,
                    fact.line
                ),
            )),
            (Source::Prose, Source::Prose) => {
                prev.live = false;
                Ok(())
            }
            (Source::Table, Source::Prose) => Ok(()),
            (Source::Prose, Source::Table) => {
                prev.fact = fact;
                prev.source = Source::Table;
                prev.live = true;
                Ok(())
            }
        }
    }

    /// The facts kept, in order of first appearance.
    pub(crate) fn into_facts(self) -> Vec<FigureFact> {
        self.entries
            .into_iter()
            .filter(|e| e.live)
            .map(|e| e.fact)
            .collect()
    }
}

#[allow(clippy::too_many_arguments)]
fn fact(
    metric: &str,
    subject: Subject,
    date: Date,
    twelve: bool,
    value: f64,
    unit: &str,
    line: usize,
) -> FigureFact {
    FigureFact {
        metric_code: metric.to_string(),
        subject,
        period: period_fact(date, twelve),
        value,
        unit: unit.to_string(),
        line,
    }
}

/// Does this text talk about all forces rather than the inspected one?
fn ew_marker(s: &str) -> bool {
    s.contains("england and wales") || s.contains("all forces")
}

// ---------------------------------------------------------------------------
// Force in numbers

/// Known "Force in numbers" captions; chart-only captions map to `None`.
fn fin_metric(label: &str) -> Option<(&'static str, &'static str)> {
    let k = label_key(label);
    if k.contains("change") {
        return None;
    }
    if (k.contains("anti-social behaviour") || k.contains("antisocial behaviour"))
        && k.contains("per 1000")
    {
        Some(("asb-per-1000", "per 1,000 population"))
    } else if k.contains("domestic abuse") && k.contains("percentage") {
        Some(("domestic-abuse-share", "percent"))
    } else if k.contains("organised crime groups") && k.contains("million") {
        Some(("ocg-per-million", "per million population"))
    } else if k.contains("victim satisfaction") {
        Some(("victim-satisfaction", "percent"))
    } else {
        None
    }
}

/// Leading subject labels ("northumbria police", "england and wales") of a
/// lower-case text: the subjects in order and the byte offset after them.
fn split_subjects(s: &str, force_lower: &str) -> (Vec<Subject>, usize) {
    let mut labels = Vec::new();
    let mut offset = 0;
    loop {
        let rest = s.get(offset..).unwrap_or("");
        let trimmed = rest.trim_start();
        offset += rest.len() - trimmed.len();
        if !force_lower.is_empty() && trimmed.starts_with(force_lower) {
            labels.push(Subject::Force);
            offset += force_lower.len();
        } else if trimmed.starts_with("england and wales") {
            labels.push(Subject::EnglandAndWales);
            offset += "england and wales".len();
        } else {
            return (labels, offset);
        }
    }
}

/// A caption: a label followed by a period. Returns the label, the period
/// and the byte offset where the rest of the line starts: a hard-wrapped
/// extraction may have joined "Northumbria Police 36.4" onto the caption,
/// but anything else after the period means this is not a caption.
fn caption(lower: &str, force_lower: &str) -> Option<(String, FoundPeriod, usize)> {
    let periods = find_periods(lower);
    let last = periods.last()?;
    let rest = lower.get(last.end..).unwrap_or("");
    let (_, used) = split_subjects(rest, force_lower);
    let tail = rest.get(used..).unwrap_or("");
    if !tail.split_whitespace().all(|w| parse_number(w).is_some()) {
        return None;
    }
    let label = lower.get(..last.start).unwrap_or("").trim().to_string();
    Some((label, last.clone(), last.end))
}

struct FinBlock {
    metric: Option<(&'static str, &'static str)>,
    period: FoundPeriod,
    values: Vec<(f64, usize)>,
    order: Vec<Subject>,
}

fn flush_fin(block: Option<FinBlock>, sink: &mut Sink) -> Result<(), ParseError> {
    let Some(b) = block else { return Ok(()) };
    let Some((metric, unit)) = b.metric else {
        return Ok(());
    };
    // Exactly two printed values, or nothing: never guess.
    let [first, second] = b.values.as_slice() else {
        return Ok(());
    };
    let ew_first = matches!(
        b.order.as_slice(),
        [Subject::EnglandAndWales, Subject::Force, ..]
    );
    let (force, ew) = if ew_first {
        (second, first)
    } else {
        (first, second)
    };
    for (subject, (value, line)) in [(Subject::Force, force), (Subject::EnglandAndWales, ew)] {
        sink.add(
            fact(
                metric,
                subject,
                b.period.date,
                b.period.twelve,
                *value,
                unit,
                *line,
            ),
            Source::Table,
        )?;
    }
    Ok(())
}

/// Reads the "Force in numbers" block starting at line index `start`;
/// returns the index where the block ends.
pub(crate) fn force_in_numbers(
    lines: &[Line],
    start: usize,
    force_lower: &str,
    sink: &mut Sink,
) -> Result<usize, ParseError> {
    let mut i = start;
    let mut block: Option<FinBlock> = None;
    let mut last_label: Option<String> = None;
    while let Some(l) = lines.get(i) {
        let lower = l.lower.as_str();
        if lower == "introduction"
            || question_heading(lower).is_some()
            || strip_prefix_ci(lower, "overall judgment").is_some()
            || is_figure_caption(lower)
            || l.text.len() > 400
        {
            break;
        }
        i += 1;
        if l.footnote {
            continue;
        }
        let cap = caption(lower, force_lower).and_then(|(label, p, rest)| {
            if label.is_empty() {
                last_label.take().map(|prev| (prev, p, rest))
            } else {
                Some((label, p, rest))
            }
        });
        let mut from = 0;
        if let Some((label, period, rest)) = cap {
            flush_fin(block.take(), sink)?;
            block = Some(FinBlock {
                metric: fin_metric(&label),
                period,
                values: Vec::new(),
                order: Vec::new(),
            });
            from = rest;
        }
        // Subject labels, then values, possibly on one line ("England and Wales 32.9").
        let tail = lower.get(from..).unwrap_or("");
        let (labels, used) = split_subjects(tail, force_lower);
        let offset = from + used;
        let rest = lower.get(offset..).unwrap_or("");
        // A detached "%" ("86.5 %") belongs to the number before it.
        let toks: Vec<(usize, usize)> = tokens(rest)
            .into_iter()
            .filter(|&(a, b)| rest.get(a..b) != Some("%"))
            .collect();
        let nums: Vec<Option<f64>> = toks
            .iter()
            .map(|&(a, b)| rest.get(a..b).and_then(parse_number))
            .collect();
        let all_numeric = nums.iter().all(Option::is_some);
        if let Some(b) = block.as_mut() {
            b.order.extend(labels.iter().copied());
            if all_numeric {
                for (&(a, _), v) in toks.iter().zip(nums.iter()) {
                    if let Some(v) = v {
                        b.values.push((*v, l.line_at(offset + a)));
                    }
                }
            }
        }
        if from == 0 && labels.is_empty() && !all_numeric {
            last_label = Some(lower.to_string());
        } else {
            last_label = None;
        }
    }
    flush_fin(block, sink)?;
    Ok(i)
}

// ---------------------------------------------------------------------------
// Figure tables

/// The two tables the template prints as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TableKind {
    /// Figure 2: crime rates per 1,000 population, force vs England and Wales.
    Rates,
    /// Figure 4: outcomes, number and rate, force vs England and Wales.
    Outcomes,
}

/// Recognises a table caption and its 12-month period.
pub(crate) fn figure_table(lower: &str) -> Option<(TableKind, Date)> {
    if !is_figure_caption(lower) {
        return None;
    }
    let date = find_periods(lower).into_iter().find(|p| p.twelve)?.date;
    let key = label_key(lower);
    if key.contains("outcomes") {
        Some((TableKind::Outcomes, date))
    } else if key.contains("crime rates") && key.contains("per 1000") {
        Some((TableKind::Rates, date))
    } else {
        None
    }
}

/// Metric for a rates-table row; unknown rows are slugified.
fn rates_metric(label: &str) -> (String, &'static str) {
    let k = label_key(label);
    let known = if k.contains("victim-based") || k.contains("victim based") {
        Some("victim-based-crime-per-1000")
    } else if k.contains("sexual offences") {
        Some("sexual-offences-per-1000")
    } else if k.contains("assault with injury") {
        Some("assault-with-injury-per-1000")
    } else if k.contains("burglary") && k.contains("dwelling") {
        // The table's footnote: burglary is a rate per 1,000 households.
        return (
            "burglary-dwelling-per-1000-households".to_string(),
            "per 1,000 households",
        );
    } else if k.contains("anti-social behaviour") || k.contains("antisocial behaviour") {
        Some("asb-per-1000")
    } else if k.contains("recorded crime") || k.starts_with("crime") {
        Some("crime-per-1000")
    } else {
        None
    };
    let code = known.map_or_else(|| format!("{}-per-1000", slugify(label)), str::to_string);
    (code, "per 1,000 population")
}

/// A table cell that stands for "no value" ("-", "n/a").
fn missing_cell(tok: &str) -> bool {
    matches!(tok, "-" | "n/a" | "N/A" | "na" | ".." | "*")
}

/// Splits a row into its label and up to `want` trailing numeric cells.
fn split_row(text: &str, want: usize) -> (usize, Vec<(Option<f64>, usize)>) {
    let toks = tokens(text);
    let mut cells = Vec::new();
    let mut label_end = text.len();
    for &(a, b) in toks.iter().rev() {
        if cells.len() == want {
            break;
        }
        let tok = text.get(a..b).unwrap_or("");
        if tok == "%" {
            // Detached from its number ("13.7 %"): not a cell of its own.
            continue;
        }
        if let Some(v) = parse_number(tok) {
            cells.push((Some(v), a));
        } else if missing_cell(tok) {
            cells.push((None, a));
        } else {
            break;
        }
        label_end = a;
    }
    cells.reverse();
    (label_end, cells)
}

/// Reads table rows after a caption at `start`; returns where the table ends.
pub(crate) fn table(
    lines: &[Line],
    start: usize,
    kind: TableKind,
    date: Date,
    force_lower: &str,
    sink: &mut Sink,
) -> Result<usize, ParseError> {
    let want = match kind {
        TableKind::Rates => 2,
        TableKind::Outcomes => 4,
    };
    let mut force_first = true;
    let mut i = start;
    let limit = start.saturating_add(80);
    while i < limit {
        let Some(l) = lines.get(i) else { break };
        let lower = l.lower.as_str();
        if lower.starts_with("source")
            || is_figure_caption(lower)
            || question_heading(lower).is_some()
            || super::normalize::is_standalone(&l.text)
            || l.footnote
            || lower.ends_with('?')
            || l.text.len() > 200
        {
            break;
        }
        i += 1;
        let (label_end, mut cells) = split_row(&l.text, want);
        // Column order from the header row.
        if cells.is_empty() {
            if let (Some(f), Some(e)) = (
                (!force_lower.is_empty())
                    .then(|| lower.find(force_lower))
                    .flatten(),
                lower.find("england and wales"),
            ) {
                force_first = f < e;
            }
            continue;
        }
        let mut cell_lines: Vec<usize> = cells.iter().map(|&(_, off)| l.line_at(off)).collect();
        // A row wrapped before its last cells: take them from the next line.
        if cells.len() < want
            && let Some(next) = lines.get(i)
        {
            let (next_label, more) = split_row(&next.text, want - cells.len());
            if next_label == 0 && !more.is_empty() && cells.len() + more.len() == want {
                cell_lines.extend(more.iter().map(|&(_, off)| next.line_at(off)));
                cells.extend(more);
                i += 1;
            }
        }
        let label = l
            .text
            .get(..label_end)
            .unwrap_or("")
            .trim()
            .trim_end_matches(['*', ':'])
            .trim();
        if cells.len() != want || label.is_empty() {
            continue;
        }
        let mut vals: Vec<(Option<f64>, usize)> = cells
            .iter()
            .zip(cell_lines.iter())
            .map(|(&(v, _), &ln)| (v, ln))
            .collect();
        if !force_first {
            // Columns are England and Wales first: swap the halves.
            let half = want / 2;
            vals.rotate_left(half);
        }
        match kind {
            TableKind::Rates => {
                let (metric, unit) = rates_metric(label);
                let subjects = [Subject::Force, Subject::EnglandAndWales];
                for (subject, (v, ln)) in subjects.into_iter().zip(vals.iter()) {
                    if let Some(v) = v {
                        sink.add(
                            fact(&metric, subject, date, true, *v, unit, *ln),
                            Source::Table,
                        )?;
                    }
                }
            }
            TableKind::Outcomes => {
                let slug = slugify(label);
                if slug.is_empty() {
                    continue;
                }
                let count = format!("outcomes-{slug}");
                let rate = format!("outcomes-{slug}-rate");
                let cells = [
                    (&count, Subject::Force, "count", vals.first()),
                    (&count, Subject::EnglandAndWales, "count", vals.get(2)),
                    (&rate, Subject::Force, "percent", vals.get(1)),
                    (&rate, Subject::EnglandAndWales, "percent", vals.get(3)),
                ];
                for (metric, subject, unit, cell) in cells {
                    if let Some(&(Some(v), ln)) = cell {
                        sink.add(
                            fact(metric, subject, date, true, v, unit, ln),
                            Source::Table,
                        )?;
                    }
                }
            }
        }
    }
    Ok(i)
}

// ---------------------------------------------------------------------------
// Prose

/// What a change sentence measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quantity {
    Crime,
    VictimBased,
    Asb,
}

impl Quantity {
    fn prefix(self) -> &'static str {
        match self {
            Quantity::Crime => "crime",
            Quantity::VictimBased => "victim-based-crime",
            Quantity::Asb => "asb",
        }
    }
}

/// Context carried from sentence to sentence within a section, so that
/// "Over this same period, ..." and "This is 11 percent fewer incidents ..."
/// know what they refer to. Reset at headings and captions.
#[derive(Debug, Default, Clone)]
pub(crate) struct ProseCtx {
    quantity: Option<Quantity>,
    span: Option<i32>,
    period: Option<Date>,
    point: Option<Date>,
}

/// The quantity a sentence names: `Err` when it names more than one.
fn quantity_of(s: &str) -> Result<Option<Quantity>, ()> {
    let vb = s.contains("victim-based crime") || s.contains("victim based crime");
    let asb = s.contains("anti-social behaviour") || s.contains("antisocial behaviour");
    let crime = s.contains("recorded crime");
    match (vb, asb, crime) {
        (false, false, false) => Ok(None),
        (true, false, false) => Ok(Some(Quantity::VictimBased)),
        (false, true, false) => Ok(Some(Quantity::Asb)),
        (false, false, true) => Ok(Some(Quantity::Crime)),
        _ => Err(()),
    }
}

const FALL_BEFORE: [&str; 12] = [
    "fell",
    "fallen",
    "decreased",
    "reduced",
    "dropped",
    "declined",
    "reduction",
    "decrease",
    "fall",
    "drop",
    "decline",
    "down",
];
const RISE_BEFORE: [&str; 8] = [
    "increased",
    "rose",
    "risen",
    "grew",
    "increase",
    "rise",
    "growth",
    "up",
];
const FALL_AFTER: [&str; 7] = [
    "fewer",
    "lower",
    "less",
    "reduction",
    "decrease",
    "fall",
    "drop",
];
const RISE_AFTER: [&str; 5] = ["more", "higher", "increase", "rise", "growth"];

/// A percentage printed in a sentence: value and byte offset of the number.
struct Percent {
    value: f64,
    at: usize,
    /// Index of the token after "percent".
    next: usize,
    /// Index of the number token.
    idx: usize,
}

/// Every "N percent", "N per cent" and "N%" in a sentence.
fn percents(s: &str, toks: &[(usize, usize)], words: &[&str]) -> Vec<Percent> {
    let mut out = Vec::new();
    for (k, &(a, b)) in toks.iter().enumerate() {
        let raw = s.get(a..b).unwrap_or("");
        let w = words.get(k).copied().unwrap_or("");
        let (value, next) = if let Some(num) = w.strip_suffix('%') {
            (parse_number(num), k + 1)
        } else if words.get(k + 1) == Some(&"percent") {
            (parse_number(w), k + 2)
        } else if words.get(k + 1) == Some(&"per") && words.get(k + 2) == Some(&"cent") {
            (parse_number(w), k + 3)
        } else {
            (None, 0)
        };
        if let Some(value) = value {
            let lead = raw.len() - raw.trim_start_matches(['(', '[']).len();
            out.push(Percent {
                value,
                at: a + lead,
                next,
                idx: k,
            });
        }
    }
    out
}

/// Signed change for a percentage, from the direction word around it.
fn change_sign(p: &Percent, words: &[&str]) -> Option<f64> {
    let before = |n: usize| p.idx.checked_sub(n).and_then(|i| words.get(i)).copied();
    if matches!(before(1), Some("by" | "of")) {
        let w = before(2).unwrap_or("");
        if FALL_BEFORE.contains(&w) {
            return Some(-1.0);
        }
        if RISE_BEFORE.contains(&w) {
            return Some(1.0);
        }
    }
    let after = words.get(p.next).copied().unwrap_or("");
    if FALL_AFTER.contains(&after) {
        Some(-1.0)
    } else if RISE_AFTER.contains(&after) {
        Some(1.0)
    } else {
        None
    }
}

/// Sentence words, lower case with clinging punctuation removed.
fn words_of<'s>(s: &'s str, toks: &[(usize, usize)]) -> Vec<&'s str> {
    toks.iter()
        .map(|&(a, b)| clean_token(s.get(a..b).unwrap_or("")))
        .collect()
}

/// "... than the previous 12 months", "When compared with the previous year".
fn compares_with_previous(s: &str) -> bool {
    (s.contains("previous") || s.contains("preceding"))
        && [
            "previous 12 months",
            "previous twelve months",
            "previous year",
            "preceding 12 months",
            "previous 12-month",
        ]
        .iter()
        .any(|p| s.contains(p))
}

/// Prevention section: recorded crime, victim-based crime and anti-social
/// behaviour changes, and the count of ASB incidents.
pub(crate) fn prevention_prose(
    l: &Line,
    ctx: &mut ProseCtx,
    sink: &mut Sink,
) -> Result<(), ParseError> {
    for (a, b) in sentences(&l.text) {
        let Some(s) = l.lower.get(a..b) else { continue };
        let quantity = quantity_of(s);
        if !s.bytes().any(|c| c.is_ascii_digit()) {
            // No number, no period, no figure: only the context moves on.
            match quantity {
                Ok(Some(q)) => ctx.quantity = Some(q),
                Err(()) => ctx.quantity = None,
                Ok(None) => {}
            }
            if compares_with_previous(s) {
                ctx.span = Some(1);
            }
            continue;
        }
        let twelve: Vec<Date> = find_periods(s)
            .into_iter()
            .filter(|p| p.twelve)
            .map(|p| p.date)
            .collect();
        let has_prev = compares_with_previous(s);
        let same = s.contains("same period") || s.contains("same time period");
        let own = twelve.iter().max().copied();
        let (span, cur) = if twelve.len() >= 2 {
            let lo = twelve.iter().min().copied();
            match (lo, own) {
                (Some(lo), Some(hi)) if lo.m == hi.m && lo.d == hi.d && hi.y > lo.y => {
                    (Some(hi.y - lo.y), Some(hi))
                }
                _ => (None, own),
            }
        } else if has_prev {
            (Some(1), own.or(ctx.period))
        } else if same {
            (ctx.span, own.or(ctx.period))
        } else {
            (None, own.or(ctx.period))
        };
        let q = match quantity {
            Ok(Some(q)) => Some(q),
            Ok(None) => ctx.quantity,
            Err(()) => None,
        };
        let toks = tokens(s);
        let words = words_of(s, &toks);
        let marker = ew_marker(s);

        // "... recorded 23,737 incidents of anti-social behaviour."
        if let Some(date) = cur {
            for k in 0..words.len() {
                if words.get(k) != Some(&"recorded") {
                    continue;
                }
                let Some(n) = words.get(k + 1).and_then(|w| parse_count(w)) else {
                    continue;
                };
                let tail = |i: usize| words.get(k + 2 + i).copied().unwrap_or("");
                let asb_phrase = (tail(0) == "incidents"
                    && tail(1) == "of"
                    && tail(2) == "anti-social"
                    && tail(3) == "behaviour")
                    || (tail(0) == "anti-social"
                        && tail(1) == "behaviour"
                        && tail(2) == "incidents");
                if asb_phrase {
                    let at = a + toks.get(k + 1).map_or(0, |t| t.0);
                    let subject = if marker {
                        Subject::EnglandAndWales
                    } else {
                        Subject::Force
                    };
                    sink.add(
                        fact(
                            "asb-incidents",
                            subject,
                            date,
                            true,
                            n,
                            "count",
                            l.line_at(at),
                        ),
                        Source::Prose,
                    )?;
                }
            }
        }

        // Changes: "fell by 19 percent ... compared with a reduction of 13 percent across ... England and Wales".
        let mentions: Vec<(f64, usize, usize)> = percents(s, &toks, &words)
            .iter()
            .filter_map(|p| change_sign(p, &words).map(|sign| (sign * p.value, p.at, p.next)))
            .collect();
        if let (false, Some(q), Some(span), Some(date)) = (mentions.is_empty(), q, span, cur)
            && (1..=20).contains(&span)
        {
            let subjects: Option<Vec<Subject>> = match mentions.as_slice() {
                [_] => Some(vec![if marker {
                    Subject::EnglandAndWales
                } else {
                    Subject::Force
                }]),
                [(_, at0, _), (_, at1, _)] => {
                    let seg0 = s.get(*at0..*at1).unwrap_or("");
                    let seg1 = s.get(*at1..).unwrap_or("");
                    match (ew_marker(seg0), ew_marker(seg1)) {
                        (false, true) => Some(vec![Subject::Force, Subject::EnglandAndWales]),
                        (true, false) => Some(vec![Subject::EnglandAndWales, Subject::Force]),
                        _ => None,
                    }
                }
                _ => None,
            };
            if let Some(subjects) = subjects {
                let metric = format!("{}-change-{span}y", q.prefix());
                for ((value, at, _), subject) in mentions.iter().zip(subjects) {
                    sink.add(
                        fact(
                            &metric,
                            subject,
                            date,
                            true,
                            *value,
                            "percent change",
                            l.line_at(a + at),
                        ),
                        Source::Prose,
                    )?;
                }
            }
        }

        match quantity {
            Ok(Some(q)) => ctx.quantity = Some(q),
            Err(()) => ctx.quantity = None,
            Ok(None) => {}
        }
        if span.is_some() {
            ctx.span = span;
        }
        if let Some(d) = own {
            ctx.period = Some(d);
        }
    }
    Ok(())
}

/// Serious and organised crime section: OCG count and drug-activity share.
pub(crate) fn soc_prose(l: &Line, ctx: &mut ProseCtx, sink: &mut Sink) -> Result<(), ParseError> {
    for (a, b) in sentences(&l.text) {
        let Some(s) = l.lower.get(a..b) else { continue };
        if !s.bytes().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let own = find_periods(s)
            .into_iter()
            .find(|p| !p.twelve)
            .map(|p| p.date);
        let cur = own.or(ctx.point);
        let toks = tokens(s);
        let words = words_of(s, &toks);
        let marker = ew_marker(s);
        let subject = if marker {
            Subject::EnglandAndWales
        } else {
            Subject::Force
        };
        if let Some(date) = cur {
            // "... monitoring 47 organised crime groups (OCGs)." but not "57 OCGs per one million".
            for k in 0..words.len() {
                if !matches!(words.get(k), Some(&"monitoring" | &"managing")) {
                    continue;
                }
                let Some(n) = words.get(k + 1).and_then(|w| parse_count(w)) else {
                    continue;
                };
                let w = |i: usize| words.get(k + 2 + i).copied().unwrap_or("");
                if w(0) == "organised" && w(1) == "crime" && w(2) == "groups" && w(3) != "per" {
                    let at = a + toks.get(k + 1).map_or(0, |t| t.0);
                    sink.add(
                        fact("ocg-count", subject, date, false, n, "count", l.line_at(at)),
                        Source::Prose,
                    )?;
                }
            }
            // "'Drug activity' was the predominant crime type (62 percent) ..."
            if s.contains("drug activity") && s.contains("predominant crime type") {
                let ps = percents(s, &toks, &words);
                if let [p] = ps.as_slice()
                    && p.value <= 100.0
                {
                    sink.add(
                        fact(
                            "ocg-drug-share",
                            subject,
                            date,
                            false,
                            p.value,
                            "percent",
                            l.line_at(a + p.at),
                        ),
                        Source::Prose,
                    )?;
                }
            }
        }
        if own.is_some() {
            ctx.point = own;
        }
    }
    Ok(())
}
