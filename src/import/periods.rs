//! The period forms `peel import csv` understands, turned into the row a `periods` table
//! holds (label, kind, start, end). Pure: no database, no I/O.
//!
//! Forms (documented in the README under `peel import csv`):
//! - `2015-06-30`: a point in time, labelled `as at 30 June 2015`;
//! - `2014-07-01/2015-06-30`: a span, whose kind follows from its dates: a financial
//!   year (1 April to 31 March) is `2014/15`, a financial quarter `2014/15 Q1`, a
//!   calendar year `calendar year 2015`, any other twelve months `12 months to 30 June
//!   2015`; other spans have no kind in the schema and are refused;
//! - `2014/15`: the financial year 2014-04-01 to 2015-03-31;
//! - `2014/15 Q1`: its first quarter, 2014-04-01 to 2014-06-30 (Q4 is January to March).
//!
//! A bare year (`2015`) is refused: in canned queries it means "the latest period ending
//! in 2015", and guessing a span for stored figures would be worse than asking.

/// A period as the `periods` table stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodSpec {
    /// The label, in the style of the seed and reports.
    pub label: String,
    /// One of the schema's kinds: `point`, `12-months`, `financial-year`, `quarter`,
    /// `calendar-year`.
    pub kind: &'static str,
    /// ISO start date; `None` for a point.
    pub start: Option<String>,
    /// ISO end date.
    pub end: String,
}

pub use crate::date::Date;

/// The financial year starting in April of `first_year`: `2014/15`.
pub fn financial_year(first_year: i32) -> PeriodSpec {
    PeriodSpec {
        label: format!("{first_year}/{:02}", (first_year + 1).rem_euclid(100)),
        kind: "financial-year",
        start: Some(format!("{first_year}-04-01")),
        end: format!("{}-03-31", first_year + 1),
    }
}

/// Quarter `q` (1 to 4) of the financial year starting in April of `first_year`:
/// Q1 is April to June, Q4 January to March of the next calendar year.
pub fn financial_quarter(first_year: i32, q: u32) -> Option<PeriodSpec> {
    if !(1..=4).contains(&q) {
        return None;
    }
    let (y, m) = if q == 4 {
        (first_year + 1, 1)
    } else {
        (first_year, 3 * q + 1)
    };
    let start = Date { y, m, d: 1 };
    let end = Date { y, m: m + 2, d: 1 }.month_end();
    Some(PeriodSpec {
        label: format!("{} Q{q}", financial_year(first_year).label),
        kind: "quarter",
        start: Some(start.iso()),
        end: end.iso(),
    })
}

/// The financial year a quarter period belongs to, from its start date.
pub fn financial_year_of(start: Date) -> i32 {
    if start.m >= 4 { start.y } else { start.y - 1 }
}

/// Why a period text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodFormError {
    /// A form that looks like a date but is not one.
    #[error("{0:?} is not a valid date (YYYY-MM-DD)")]
    BadDate(String),
    /// A span whose start is after its end.
    #[error("the span {0:?} ends before it starts")]
    Backwards(String),
    /// A span that is none of the schema's kinds.
    #[error(
        "the span {0:?} is not 12 months, a financial year or quarter, or a calendar year (the kinds of period peel stores)"
    )]
    OddSpan(String),
    /// `2014/16`.
    #[error("{0:?} is not a financial year: the second year must follow the first (2014/15)")]
    BadFinancialYear(String),
    /// A bare year.
    #[error(
        "{0:?} is only a year: give a date (2015-03-31), a span (2014-04-01/2015-03-31), a financial year (2014/15) or a quarter (2014/15 Q1)"
    )]
    BareYear(String),
}

/// Reads one of the documented ISO forms. `Ok(None)` means the text is none of them (it
/// may still be an existing period's label); `Err` means it is one of them, wrongly.
pub fn parse_period(text: &str) -> Result<Option<PeriodSpec>, PeriodFormError> {
    let t = text.trim();
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PeriodFormError::BareYear(t.into()));
    }
    if let Some((a, b)) = t.split_once('/') {
        if looks_like_date(a) && looks_like_date(b) {
            let start = Date::parse_iso(a.trim())
                .ok_or_else(|| PeriodFormError::BadDate(a.trim().into()))?;
            let end = Date::parse_iso(b.trim())
                .ok_or_else(|| PeriodFormError::BadDate(b.trim().into()))?;
            return classify_span(t, start, end).map(Some);
        }
        if let Some(fy) = parse_financial_year(t)? {
            return Ok(Some(fy));
        }
        return Ok(None);
    }
    if looks_like_date(t) {
        let d = Date::parse_iso(t).ok_or_else(|| PeriodFormError::BadDate(t.into()))?;
        return Ok(Some(PeriodSpec {
            label: format!("as at {}", d.long()),
            kind: "point",
            start: None,
            end: d.iso(),
        }));
    }
    Ok(None)
}

/// `NNNN-NN-NN` in shape (digits and dashes), whether or not a real date.
fn looks_like_date(text: &str) -> bool {
    crate::date::looks_like_iso(text.trim())
}

/// `2014/15`, `2014/15 Q1` (also `q1`, `2014/2015`).
fn parse_financial_year(t: &str) -> Result<Option<PeriodSpec>, PeriodFormError> {
    let (years, quarter) = match t.split_once(char::is_whitespace) {
        Some((y, q)) => (y, Some(q.trim())),
        None => (t, None),
    };
    let Some((a, b)) = years.split_once('/') else {
        return Ok(None);
    };
    if a.len() != 4
        || !(b.len() == 2 || b.len() == 4)
        || !a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit())
    {
        return Ok(None);
    }
    let first: i32 = a
        .parse()
        .map_err(|_| PeriodFormError::BadFinancialYear(t.into()))?;
    let second: i32 = b
        .parse()
        .map_err(|_| PeriodFormError::BadFinancialYear(t.into()))?;
    let follows = if b.len() == 2 {
        second == (first + 1).rem_euclid(100)
    } else {
        second == first + 1
    };
    if !follows {
        return Err(PeriodFormError::BadFinancialYear(t.into()));
    }
    match quarter {
        None => Ok(Some(financial_year(first))),
        Some(q) => {
            let n = q
                .strip_prefix(['Q', 'q'])
                .and_then(|n| n.parse::<u32>().ok());
            match n.and_then(|n| financial_quarter(first, n)) {
                Some(p) => Ok(Some(p)),
                None => Ok(None),
            }
        }
    }
}

fn classify_span(text: &str, start: Date, end: Date) -> Result<PeriodSpec, PeriodFormError> {
    if start > end {
        return Err(PeriodFormError::Backwards(text.into()));
    }
    // Financial year and its quarters first: they are also "12 months" or calendar-like.
    if start.m == 4
        && start.d == 1
        && end
            == (Date {
                y: start.y + 1,
                m: 3,
                d: 31,
            })
    {
        return Ok(financial_year(start.y));
    }
    if start.d == 1 && matches!(start.m, 1 | 4 | 7 | 10) {
        let quarter_end = Date {
            m: start.m + 2,
            d: 1,
            ..start
        }
        .month_end();
        if end == quarter_end {
            let fy = financial_year_of(start);
            let q = if start.m == 1 { 4 } else { (start.m - 1) / 3 };
            return financial_quarter(fy, q).ok_or_else(|| PeriodFormError::OddSpan(text.into()));
        }
    }
    if start.m == 1
        && start.d == 1
        && end
            == (Date {
                y: start.y,
                m: 12,
                d: 31,
            })
    {
        return Ok(PeriodSpec {
            label: format!("calendar year {}", start.y),
            kind: "calendar-year",
            start: Some(start.iso()),
            end: end.iso(),
        });
    }
    // Twelve months: the day after the end is the start a year later (29 February
    // starts run to 28 February).
    let after = end.next_day();
    let year_later = Date::new(start.y + 1, start.m, start.d).unwrap_or(Date {
        y: start.y + 1,
        m: 3,
        d: 1,
    });
    if after == year_later {
        return Ok(PeriodSpec {
            label: format!("12 months to {}", end.long()),
            kind: "12-months",
            start: Some(start.iso()),
            end: end.iso(),
        });
    }
    Err(PeriodFormError::OddSpan(text.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> PeriodSpec {
        parse_period(text).unwrap().unwrap()
    }

    #[test]
    fn points_and_twelve_months_take_the_seeds_labels() {
        let p = spec("2015-06-30");
        assert_eq!(
            (p.label.as_str(), p.kind, p.start, p.end.as_str()),
            ("as at 30 June 2015", "point", None, "2015-06-30")
        );
        let p = spec("2014-07-01/2015-06-30");
        assert_eq!(p.label, "12 months to 30 June 2015");
        assert_eq!(p.kind, "12-months");
        assert_eq!(p.start.as_deref(), Some("2014-07-01"));
        // A leap year's 12 months.
        assert_eq!(spec("2015-03-01/2016-02-29").kind, "12-months");
    }

    #[test]
    fn financial_years_and_quarters() {
        let p = spec("2014/15");
        assert_eq!(
            (p.label.as_str(), p.kind, p.start.as_deref(), p.end.as_str()),
            (
                "2014/15",
                "financial-year",
                Some("2014-04-01"),
                "2015-03-31"
            )
        );
        assert_eq!(spec("1999/2000").label, "1999/00");
        assert_eq!(spec("2014-04-01/2015-03-31").label, "2014/15");
        let q = spec("2014/15 Q1");
        assert_eq!(
            (q.label.as_str(), q.kind, q.start.as_deref(), q.end.as_str()),
            ("2014/15 Q1", "quarter", Some("2014-04-01"), "2014-06-30")
        );
        let q4 = spec("2014/15 q4");
        assert_eq!(
            (q4.label.as_str(), q4.start.as_deref(), q4.end.as_str()),
            ("2014/15 Q4", Some("2015-01-01"), "2015-03-31")
        );
        assert_eq!(spec("2015-10-01/2015-12-31").label, "2015/16 Q3");
        assert_eq!(spec("2016-01-01/2016-03-31").label, "2015/16 Q4");
        assert_eq!(spec("2015-01-01/2015-12-31").label, "calendar year 2015");
    }

    #[test]
    fn wrong_forms_are_errors_and_labels_pass_through() {
        assert!(matches!(
            parse_period("2015-02-30"),
            Err(PeriodFormError::BadDate(_))
        ));
        assert!(matches!(
            parse_period("2015-06-30/2015-01-01"),
            Err(PeriodFormError::Backwards(_))
        ));
        assert!(matches!(
            parse_period("2015-01-01/2015-06-30"),
            Err(PeriodFormError::OddSpan(_))
        ));
        assert!(matches!(
            parse_period("2014/16"),
            Err(PeriodFormError::BadFinancialYear(_))
        ));
        assert!(matches!(
            parse_period("2015"),
            Err(PeriodFormError::BareYear(_))
        ));
        assert_eq!(parse_period("as at 30 June 2018").unwrap(), None);
        assert_eq!(parse_period("2014/15 Q5").unwrap(), None);
    }
}
