//! Small text helpers shared by the parser stages: grades, numbers, dates,
//! periods, slugs, tokens and sentence splitting.
//!
//! All functions work on normalized text (see `normalize`) and are total:
//! they return `None`/empty on anything unexpected and never slice off a
//! char boundary.

use super::PeriodFact;

/// The four canonical grades, in the order HMIC lists them.
pub(crate) const GRADES: [&str; 4] = ["Outstanding", "Good", "Requires improvement", "Inadequate"];

/// Message fragment listing the grades, for errors.
pub(crate) const GRADE_LIST: &str = "Outstanding, Good, Requires improvement or Inadequate";

/// A whole line that is exactly one grade ("Good", "REQUIRES IMPROVEMENT").
///
/// The first letter must be upper case: a wrapped line that happens to be
/// the word "good" is prose, not a grade box.
pub(crate) fn parse_grade(s: &str) -> Option<&'static str> {
    let s = s.trim().trim_end_matches(['*', ':']).trim_end();
    if !s.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
        return None;
    }
    GRADES.iter().copied().find(|g| s.eq_ignore_ascii_case(g))
}

/// A grade word inside prose ("good", "requiring improvement"), canonicalised.
pub(crate) fn grade_in_prose(words: &[&str]) -> Option<(&'static str, usize)> {
    let first = *words.first()?;
    let second = words.get(1).copied().unwrap_or("");
    match first {
        "outstanding" => Some(("Outstanding", 1)),
        "good" => Some(("Good", 1)),
        "inadequate" => Some(("Inadequate", 1)),
        "requires" | "requiring" | "require" if second == "improvement" => {
            Some(("Requires improvement", 2))
        }
        _ => None,
    }
}

/// A short line that looks like a grade but is not one of the four
/// ("Requires improvment", "Goood"): worth an error rather than silence.
pub(crate) fn grade_like(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() || s.len() > 40 || s.split_whitespace().count() > 4 {
        return false;
    }
    if !s.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
        return false;
    }
    if s.chars()
        .any(|c| c.is_ascii_digit() || matches!(c, '?' | ',' | ';'))
    {
        return false;
    }
    let lower = s.trim_end_matches('.').to_ascii_lowercase();
    if lower.starts_with("requires ") || lower.starts_with("require ") {
        return true;
    }
    // A typo of a grade: same first letter, one edit from "good" (so "Gold"
    // is not one), two from the longer grades.
    GRADES.iter().any(|g| {
        let g = g.to_ascii_lowercase();
        let limit = if g.len() <= 4 { 1 } else { 2 };
        lower.get(..1) == g.get(..1) && edit_distance(&lower, &g) <= limit && lower != "gold"
    })
}

/// Levenshtein distance on chars, capped in cost by the short inputs it sees.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let del = prev.get(j + 1).map_or(usize::MAX, |v| v.saturating_add(1));
            let ins = cur.get(j).map_or(usize::MAX, |v| v.saturating_add(1));
            let sub = prev.get(j).map_or(usize::MAX, |v| v.saturating_add(cost));
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = del.min(ins).min(sub);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

/// Parses one printed number: "6,409", "28.6", "9.1%", "577,678", "-3".
///
/// Thousands separators must group by three; a trailing '%' or '*' is
/// allowed. Returns `None` for anything else (so "2015-16" or "1,2" are not
/// numbers).
pub(crate) fn parse_number(tok: &str) -> Option<f64> {
    let t = tok.trim_end_matches(['%', '*']);
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    if int.is_empty() || !int.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mut digits = String::with_capacity(t.len());
    if int.contains(',') {
        let mut groups = int.split(',');
        let first = groups.next()?;
        if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.push_str(first);
        for g in groups {
            if g.len() != 3 || !g.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            digits.push_str(g);
        }
    } else {
        if !int.bytes().all(|b| b.is_ascii_digit()) || int.len() > 15 {
            return None;
        }
        digits.push_str(int);
    }
    if let Some(f) = frac {
        if f.is_empty() || f.len() > 10 || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.push('.');
        digits.push_str(f);
    }
    let v: f64 = digits.parse().ok()?;
    Some(if neg { -v } else { v })
}

/// A plain non-negative integer token ("47", "23,737").
pub(crate) fn parse_count(tok: &str) -> Option<f64> {
    if tok.contains(['.', '%', '-']) {
        return None;
    }
    parse_number(tok)
}

/// Strips punctuation that clings to a word in prose: "(62", "percent).", "2015,".
pub(crate) fn clean_token(tok: &str) -> &str {
    tok.trim_start_matches(['(', '[', '"', '\''])
        .trim_end_matches([')', ']', '"', '\'', ',', '.', ';', ':', '!', '?'])
}

/// Whitespace-separated tokens with their byte ranges.
pub(crate) fn tokens(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            if let Some(st) = start.take() {
                out.push((st, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push((st, s.len()));
    }
    out
}

/// Lower-case ASCII slug: alphanumeric runs joined by '-'
/// ("Cannabis/Khat warning" -> "cannabis-khat-warning").
pub(crate) fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if pending && !out.is_empty() {
                out.push('-');
            }
            pending = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending = true;
        }
    }
    out
}

/// A key for matching labels: lower case, digit-group commas removed
/// ("per 1,000" and a thin-space "per 1000" both become "per 1000").
pub(crate) fn label_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ','
            && prev.is_some_and(|p| p.is_ascii_digit())
            && chars.peek().is_some_and(|n| n.is_ascii_digit())
        {
            continue;
        }
        out.push(c.to_ascii_lowercase());
        prev = Some(c);
    }
    out
}

/// Sentence ranges (byte offsets) in a paragraph.
///
/// Splits after '.', '?' or '!' (plus closing quotes or brackets) followed by
/// a space and an upper-case letter, digit or opening quote; "e.g. theft"
/// and "28.6" therefore stay inside their sentence.
pub(crate) fn sentences(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        if matches!(b, b'.' | b'?' | b'!') {
            let mut end = i + 1;
            while bytes
                .get(end)
                .is_some_and(|c| matches!(c, b'"' | b'\'' | b')' | b']'))
            {
                end += 1;
            }
            if bytes.get(end) == Some(&b' ') {
                let next = bytes.get(end + 1).copied().unwrap_or(0);
                if next.is_ascii_uppercase()
                    || next.is_ascii_digit()
                    || matches!(next, b'"' | b'\'')
                {
                    out.push((start, end));
                    start = end + 1;
                    i = end + 1;
                    continue;
                }
            }
        }
        i += 1;
    }
    if start < s.len() {
        out.push((start, s.len()));
    }
    out
}

pub(crate) use crate::date::{Date, month_number};

/// Parses "30 June 2015" (also "30th June 2015") at the start of `words`;
/// returns the date and how many words it used.
pub(crate) fn parse_date_words(words: &[&str]) -> Option<Date> {
    let day = clean_token(words.first()?);
    let day = day.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if day.is_empty() || day.len() > 2 || !day.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let d: u32 = day.parse().ok()?;
    let m = month_number(clean_token(words.get(1)?))?;
    let year = clean_token(words.get(2)?);
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = year.parse().ok()?;
    // A four-digit number that is no plausible report year is not a date here.
    if !(1900..=2100).contains(&y) {
        return None;
    }
    Date::new(y, m, d)
}

/// A period found in text: byte range of the phrase plus the fact.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FoundPeriod {
    pub start: usize,
    pub end: usize,
    pub date: Date,
    pub twelve: bool,
}

/// Builds the canonical period fact for a 12-month period or a point.
pub(crate) fn period_fact(date: Date, twelve: bool) -> PeriodFact {
    let printed = date.long();
    if twelve {
        PeriodFact {
            label: format!("12 months to {printed}"),
            kind: "12-months".to_string(),
            start: Some(date.twelve_month_start().iso()),
            end: date.iso(),
        }
    } else {
        PeriodFact {
            label: format!("as at {printed}"),
            kind: "point".to_string(),
            start: None,
            end: date.iso(),
        }
    }
}

/// Every "12 months to <date>" and "as at <date>" phrase in `s`, in order.
/// `s` must be lower case (ASCII) so the byte offsets match the original.
pub(crate) fn find_periods(lower: &str) -> Vec<FoundPeriod> {
    const LEADS: [(&str, bool); 6] = [
        ("12 months to ", true),
        ("twelve months to ", true),
        ("12 months ending ", true),
        ("the year to ", true),
        ("as at ", false),
        ("as of ", false),
    ];
    let mut out: Vec<FoundPeriod> = Vec::new();
    // Every period has a year in it: most text has no digits at all.
    if !lower.bytes().any(|b| b.is_ascii_digit()) {
        return out;
    }
    for (lead, twelve) in LEADS {
        let mut from = 0;
        while let Some(pos) = lower.get(from..).and_then(|s| s.find(lead)) {
            let start = from + pos;
            let after = start + lead.len();
            from = after;
            // A date is at most a few dozen bytes: never tokenize the whole rest.
            let rest = prefix_at_most(lower.get(after..).unwrap_or(""), 48);
            let toks = tokens(rest);
            let words: Vec<&str> = toks
                .iter()
                .take(3)
                .filter_map(|&(a, b)| rest.get(a..b))
                .collect();
            let Some(date) = parse_date_words(&words) else {
                continue;
            };
            // End of the year digits, excluding trailing punctuation.
            let end = toks
                .get(2)
                .map(|&(a, b)| {
                    let tok = rest.get(a..b).unwrap_or("");
                    let kept = tok.trim_end_matches(|c: char| !c.is_ascii_digit()).len();
                    after + a + kept
                })
                .unwrap_or(after);
            out.push(FoundPeriod {
                start,
                end,
                date,
                twelve,
            });
        }
    }
    out.sort_by_key(|p| p.start);
    out
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
pub(crate) fn prefix_at_most(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// "February 2016" (the whole line) -> "2016-02".
pub(crate) fn parse_month_year(s: &str) -> Option<String> {
    let mut it = s.split_whitespace();
    let m = month_number(it.next()?)?;
    let y = it.next()?;
    if it.next().is_some() || y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = y.parse().ok()?;
    (1900..=2100).contains(&y).then(|| format!("{y:04}-{m:02}"))
}

/// "Figure 4: ...", "Figure 4. ...", "Figure 4 - ..." (any case); not
/// "figure 2 shows ..." in prose.
pub(crate) fn is_figure_caption(text: &str) -> bool {
    let Some(rest) = strip_prefix_ci(text, "figure ") else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let after = rest.get(digits..).unwrap_or("");
    digits > 0 && (after.starts_with(':') || after.starts_with('.') || after.starts_with(" -"))
}

/// Case-insensitive ASCII prefix test returning the remainder.
pub(crate) fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_number("6,409"), Some(6409.0));
        assert_eq!(parse_number("577,678"), Some(577678.0));
        assert_eq!(parse_number("9.1%"), Some(9.1));
        assert_eq!(parse_number("-3"), Some(-3.0));
        assert_eq!(parse_number("1,2"), None);
        assert_eq!(parse_number("2015-16"), None);
        assert_eq!(parse_number("."), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("1.2.3"), None);
    }

    #[test]
    fn periods() {
        let p = find_periods("for the 12 months to 30 june 2015, and as at 31 march 2014.");
        assert_eq!(p.len(), 2);
        let f = period_fact(p[0].date, p[0].twelve);
        assert_eq!(f.label, "12 months to 30 June 2015");
        assert_eq!(f.start.as_deref(), Some("2014-07-01"));
        assert_eq!(f.end, "2015-06-30");
        assert_eq!(
            period_fact(p[1].date, p[1].twelve).label,
            "as at 31 March 2014"
        );
        let leap = period_fact(Date::new(2016, 2, 28).unwrap(), true);
        assert_eq!(leap.start.as_deref(), Some("2015-03-01"));
        let march = period_fact(Date::new(2015, 3, 31).unwrap(), true);
        assert_eq!(march.start.as_deref(), Some("2014-04-01"));
    }

    #[test]
    fn grades() {
        assert_eq!(
            parse_grade("Requires improvement"),
            Some("Requires improvement")
        );
        assert_eq!(parse_grade("GOOD"), Some("Good"));
        assert_eq!(parse_grade("good"), None);
        assert!(grade_like("Requires improvment"));
        assert!(grade_like("Goood"));
        assert!(!grade_like("Cambridgeshire Constabulary"));
        assert!(!grade_like("Gold"));
        assert!(!grade_like("Good practice"));
        assert!(grade_like("Inadequte"));
    }

    #[test]
    fn sentence_split() {
        let s = "It fell (i.e. crimes) by 2.5 percent. This is 11 percent fewer. 'Drug' x";
        let parts: Vec<&str> = sentences(s).iter().map(|&(a, b)| &s[a..b]).collect();
        assert_eq!(
            parts,
            vec![
                "It fell (i.e. crimes) by 2.5 percent.",
                "This is 11 percent fewer.",
                "'Drug' x"
            ]
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Cannabis/Khat warning"), "cannabis-khat-warning");
        assert_eq!(slugify("Out-of-court (formal)"), "out-of-court-formal");
        assert_eq!(slugify("Caution - youths"), "caution-youths");
    }
}
