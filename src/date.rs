//! Calendar dates as reports, seed files and the Home Office print them: parsing month
//! names and ISO dates, printing `30 June 2015`, and the day arithmetic periods need.
//! Proleptic Gregorian, no time zones: figures are dated by day.

/// English month names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Whether `y` is a leap year.
pub fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in month `m` (1 to 12) of year `y`; 0 for a month that does not exist.
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Month number from a full or three-letter English month name ("June", "jun.",
/// "Sept"), ignoring case.
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS.iter().zip(1u32..).find_map(|(name, n)| {
        let lname = name.to_ascii_lowercase();
        let abbrev = lname.get(..3).unwrap_or("");
        (w == lname || w == abbrev || (n == 9 && w == "sept")).then_some(n)
    })
}

/// The English name of month `m`, or "" for a month that does not exist.
pub fn month_name(m: u32) -> &'static str {
    MONTHS
        .get((m as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("")
}

/// True when `text` has the shape `NNNN-NN-NN` (digits and dashes), whether or not it
/// is a real date: "2015-02-30" looks like one and is refused later, with its own message.
pub fn looks_like_iso(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub y: i32,
    /// Month, 1 to 12.
    pub m: u32,
    /// Day, 1 to 31.
    pub d: u32,
}

impl Date {
    /// A valid date, or `None`.
    pub fn new(y: i32, m: u32, d: u32) -> Option<Date> {
        ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then_some(Date { y, m, d })
    }

    /// Parses `YYYY-MM-DD` strictly (the form SQLite's date functions write).
    pub fn parse_iso(text: &str) -> Option<Date> {
        if !looks_like_iso(text) {
            return None;
        }
        Date::new(
            text[0..4].parse().ok()?,
            text[5..7].parse().ok()?,
            text[8..10].parse().ok()?,
        )
    }

    /// `2015-06-30`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }

    /// `30 June 2015`, as reports print dates.
    pub fn long(self) -> String {
        format!("{} {} {}", self.d, month_name(self.m), self.y)
    }

    /// The day after.
    pub fn next_day(self) -> Date {
        if self.d < days_in_month(self.y, self.m) {
            Date {
                d: self.d + 1,
                ..self
            }
        } else if self.m < 12 {
            Date {
                m: self.m + 1,
                d: 1,
                ..self
            }
        } else {
            Date {
                y: self.y + 1,
                m: 1,
                d: 1,
            }
        }
    }

    /// The last day of the month.
    pub fn month_end(self) -> Date {
        Date {
            d: days_in_month(self.y, self.m),
            ..self
        }
    }

    /// First day of the 12 months ending on `self`: the day after, one year back
    /// (30 June 2015 -> 1 July 2014). 29 February rolls to 1 March.
    pub fn twelve_month_start(self) -> Date {
        let n = self.next_day();
        Date::new(n.y - 1, n.m, n.d).unwrap_or(Date {
            y: n.y - 1,
            m: 3,
            d: 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_roll_over_months_years_and_leap_days() {
        let d = |y, m, d| Date::new(y, m, d).unwrap();
        assert_eq!(d(2015, 6, 30).next_day(), d(2015, 7, 1));
        assert_eq!(d(2015, 12, 31).next_day(), d(2016, 1, 1));
        assert_eq!(d(2016, 2, 28).next_day(), d(2016, 2, 29));
        assert_eq!(d(2015, 6, 30).twelve_month_start(), d(2014, 7, 1));
        assert_eq!(d(2016, 2, 28).twelve_month_start(), d(2015, 3, 1));
        assert_eq!(d(2015, 2, 3).month_end(), d(2015, 2, 28));
        assert!(Date::new(2015, 2, 29).is_none());
        assert!(Date::new(2015, 13, 1).is_none());
    }

    #[test]
    fn iso_and_month_names_read_and_print() {
        assert_eq!(
            Date::parse_iso("2015-06-30").unwrap().long(),
            "30 June 2015"
        );
        assert_eq!(Date::parse_iso("2015-6-30"), None);
        assert_eq!(Date::parse_iso("2015-02-30"), None);
        assert_eq!(month_number("Sept"), Some(9));
        assert_eq!(month_number("jun."), Some(6));
        assert_eq!(month_number("Ju"), None);
        assert_eq!(month_name(13), "");
    }
}
