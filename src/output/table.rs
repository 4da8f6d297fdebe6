//! The boxed table format, drawn with prettytable-rs, and fitting a table to a width (the
//! terminal's). All prettytable use stays in this file, so swapping the crate touches
//! nothing else.
//!
//! Fitting never cuts what has to be read whole. Each column is *atomic* or *free text*
//! (see [`atomic_columns`]): atomic columns (numbers, codes, grades, years, names) are
//! always shown whole, on one line; free text (notes, definitions, wordings, sources)
//! gives way. Until the table fits, in this order:
//!
//! 1. free text and headers wrap onto several lines inside their cells, at spaces and
//!    after `/`, `-` and `_` (a word wider than its column is broken across lines, never
//!    lost). Headers are never cut, so they stay exactly as distinct as the query made
//!    them; the space left goes to free text first, then to unwrapping headers;
//! 2. PEEL's pillar names in headers are abbreviated ([`ABBREVIATIONS`]: `eff`, `effic`,
//!    `legit`, `lead`), with a legend line under the table, unless that would make two
//!    headers alike. Only a fitted table abbreviates: csv, json and the other formats
//!    keep the names the query gave;
//! 3. free text left less than [`FREE_MIN`] columns would wrap into a sliver of a few
//!    letters a line, so there it is shown on one line, shortened with `…`
//!    ([`RowSink::truncated`]);
//! 4. when the atomic columns cannot fit even so, the result is shown in line format
//!    (`name = value`, every value whole) instead ([`RowSink::switched_to_lines`]).

use std::collections::HashSet;
use std::io::{self, Write};

use prettytable::format::{Alignment, FormatBuilder, LinePosition, LineSeparator};
use prettytable::{Cell, Row};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{Line, Options, RowSink, null_shown, numeric_columns};
use crate::value::Value;

/// Text values up to this wide are atomic. The longest grade as shown ("Requires
/// improvement (derived)") and the longest period label ("12 months to 30 September
/// 2007") are 30; notes, definitions, question wordings, titles and sources run longer.
const ATOMIC_MAX: usize = 32;

/// Free text wraps in a column at least this wide; narrower, each value is shortened to
/// one line instead, since a few letters a line cannot be read.
const FREE_MIN: usize = 16;

/// Free text is never shortened below this many display columns (ellipsis included):
/// narrower than that, a value is unrecognisable.
const MIN_COLUMN: usize = 6;

/// Words abbreviated in headers when a table needs the width: PEEL's pillar names, which
/// head columns of the grade grid. Each short form is the start of its word, so the header
/// still reads as the word, and keeps its case.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("effectiveness", "eff"),
    ("efficiency", "effic"),
    ("legitimacy", "legit"),
    ("leadership", "lead"),
];

pub(super) struct Table<'w> {
    out: &'w mut dyn Write,
    options: Options,
    max_width: Option<usize>,
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
    truncated: bool,
    switched: bool,
}

impl<'w> Table<'w> {
    pub(super) fn new(out: &'w mut dyn Write, options: Options, max_width: Option<usize>) -> Self {
        Table {
            out,
            options,
            max_width,
            columns: Vec::new(),
            rows: Vec::new(),
            truncated: false,
            switched: false,
        }
    }
}

/// Whether each column is atomic (always shown whole, on one line) rather than free text.
/// A column is atomic when it holds a number, or when every text value in it is at most
/// [`ATOMIC_MAX`] wide or is a code (letters, digits, `_` and `-` only, such as
/// `outcomes-penalty-notices-for-disorder-rate`). So a column is free text only when it has
/// a long value with spaces or other punctuation: a sentence, a title, a path, a URL.
fn atomic_columns(count: usize, rows: &[Vec<Value>]) -> Vec<bool> {
    (0..count)
        .map(|i| {
            let values = || rows.iter().filter_map(|r| r.get(i));
            values().any(Value::is_number)
                || values().all(|v| {
                    v.to_text()
                        .is_none_or(|t| t.width() <= ATOMIC_MAX || is_code(&t))
                })
        })
        .collect()
}

fn is_code(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// The pieces a line may break between: each ends after a space (dropped when it ends a
/// line) or after a `/`, `-` or `_` (kept), so paths, codes and snake_case headers break
/// where a reader expects.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive([' ', '/', '-', '_'])
}

/// The narrowest a header wraps to without breaking inside a piece.
fn header_floor(header: &str) -> usize {
    pieces(header)
        .map(|p| p.trim_end_matches(' ').width())
        .max()
        .unwrap_or(0)
}

/// `text` wrapped greedily into lines at most `width` display columns wide, broken
/// between [`pieces`]; a piece wider than a line is broken between characters, so nothing
/// is lost.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for piece in pieces(text) {
        if used + piece.trim_end_matches(' ').width() > width && !line.is_empty() {
            lines.push(line.trim_end_matches(' ').to_string());
            line.clear();
            used = 0;
        }
        for ch in piece.chars() {
            let w = ch.width().unwrap_or(0);
            // A space never starts a new line: it may hang past the width, and goes
            // when the line ends.
            if ch != ' ' && used + w > width && !line.is_empty() {
                lines.push(line.trim_end_matches(' ').to_string());
                line.clear();
                used = 0;
            }
            if ch == ' ' && line.is_empty() && !lines.is_empty() {
                continue;
            }
            line.push(ch);
            used += w;
        }
    }
    lines.push(line.trim_end_matches(' ').to_string());
    lines
}

/// Cuts `text` to at most `cap` display columns, ending with an ellipsis when cut.
fn cut(text: &str, cap: usize) -> (String, bool) {
    if text.width() <= cap {
        return (text.to_string(), false);
    }
    let mut out = String::new();
    let mut width = 0;
    for ch in text.chars() {
        let w = ch.width().unwrap_or(0);
        if width + w + 1 > cap {
            break;
        }
        out.push(ch);
        width += w;
    }
    out.push('…');
    (out, true)
}

/// The headers with [`ABBREVIATIONS`] applied to whole words, and a legend line naming
/// those used; `None` when no header changes, or when two headers would become alike
/// that were not.
fn abbreviate(headers: &[String]) -> Option<(Vec<String>, String)> {
    let mut used = vec![false; ABBREVIATIONS.len()];
    let short: Vec<String> = headers
        .iter()
        .map(|h| {
            let mut out = String::new();
            for piece in h.split_inclusive(|c: char| !c.is_ascii_alphabetic()) {
                let word = piece.trim_end_matches(|c: char| !c.is_ascii_alphabetic());
                match ABBREVIATIONS
                    .iter()
                    .position(|(long, _)| word.eq_ignore_ascii_case(long))
                {
                    Some(a) => {
                        used[a] = true;
                        // The short forms are ASCII prefixes of the words they stand for.
                        out.push_str(&word[..ABBREVIATIONS[a].1.len()]);
                        out.push_str(&piece[word.len()..]);
                    }
                    None => out.push_str(piece),
                }
            }
            out
        })
        .collect();
    let distinct = |names: &[String]| names.iter().collect::<HashSet<_>>().len();
    if !used.contains(&true) || distinct(&short) < distinct(headers) {
        return None;
    }
    let legend: Vec<String> = ABBREVIATIONS
        .iter()
        .zip(used)
        .filter(|(_, u)| *u)
        .map(|((long, short), _)| format!("{short} = {long}"))
        .collect();
    Some((
        short,
        format!("headers abbreviated to fit: {}", legend.join(", ")),
    ))
}

/// Hands out `left` display columns one at a time to the narrowest column still below
/// its target (the leftmost on ties), so the space is shared evenly.
fn widen(widths: &mut [usize], targets: &[usize], left: &mut usize) {
    while *left > 0 {
        let Some(i) = (0..widths.len())
            .filter(|&i| widths[i] < targets[i])
            .min_by_key(|&i| widths[i])
        else {
            break;
        };
        widths[i] += 1;
        *left -= 1;
    }
}

/// The width of each column's text when the table must fit `budget` display columns
/// (its frame aside), or `None` when it cannot. An atomic column gets its widest value,
/// free text at least `free_floor` (or its widest value, if narrower), a header at least
/// its widest piece. What is left widens free text first, evenly up to its widest value,
/// then unwraps whole headers, those needing least first (a header widened only part of
/// the way would still wrap). `headers` is empty when none are shown.
fn plan(
    atomic: &[bool],
    data: &[usize],
    headers: &[String],
    budget: usize,
    free_floor: usize,
) -> Option<Vec<usize>> {
    let header = |i: usize| headers.get(i).map(String::as_str).unwrap_or("");
    let mut widths: Vec<usize> = (0..data.len())
        .map(|i| {
            let value = if atomic[i] {
                data[i]
            } else {
                data[i].min(free_floor)
            };
            value.max(header_floor(header(i)))
        })
        .collect();
    let mut left = budget.checked_sub(widths.iter().sum())?;
    let values: Vec<usize> = (0..data.len()).map(|i| widths[i].max(data[i])).collect();
    widen(&mut widths, &values, &mut left);
    let mut wrapped: Vec<(usize, usize)> = (0..data.len())
        .map(|i| (header(i).width().saturating_sub(widths[i]), i))
        .filter(|&(need, _)| need > 0)
        .collect();
    wrapped.sort();
    for (need, i) in wrapped {
        if need <= left {
            widths[i] += need;
            left -= need;
        }
    }
    Some(widths)
}

/// How a table is drawn at a width.
#[derive(Debug, PartialEq)]
enum Layout {
    /// Every value and header whole on one line: the table fits, or has no rows to show
    /// in line format and overflows.
    Whole,
    /// Columns of these widths under these headers (abbreviated, with the legend, when
    /// that was needed); free text and headers wrap or are shortened to them.
    Fitted {
        widths: Vec<usize>,
        headers: Vec<String>,
        legend: Option<String>,
    },
    /// Too wide for a table without cutting an atomic column: line format.
    Lines,
}

/// Chooses the layout of a table whose columns' widest values are `data` wide, under
/// `headers` (`None` when hidden), for `max_width` display columns: the steps in the
/// module's documentation.
fn fit(
    atomic: &[bool],
    data: &[usize],
    headers: Option<&[String]>,
    max_width: usize,
    has_rows: bool,
) -> Layout {
    let full = headers.map(<[String]>::to_vec).unwrap_or_default();
    let natural: usize = (0..data.len())
        .map(|i| data[i].max(full.get(i).map_or(0, |h| h.width())))
        .sum();
    // `| a | b |`: three columns of border and padding per column, plus one.
    let frame = 3 * data.len() + 1;
    if frame + natural <= max_width {
        return Layout::Whole;
    }
    let budget = max_width.saturating_sub(frame);
    let short = headers.and_then(abbreviate);
    for free_floor in [FREE_MIN, MIN_COLUMN] {
        if let Some(widths) = plan(atomic, data, &full, budget, free_floor) {
            return Layout::Fitted {
                widths,
                headers: full,
                legend: None,
            };
        }
        if let Some((short, legend)) = &short
            && let Some(widths) = plan(atomic, data, short, budget, free_floor)
        {
            return Layout::Fitted {
                widths,
                headers: short.clone(),
                legend: Some(legend.clone()),
            };
        }
    }
    if has_rows {
        Layout::Lines
    } else {
        Layout::Whole
    }
}

/// Tabs and control characters would break the drawn grid.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

impl Table<'_> {
    /// Draws the table: `titles` and `cells` hold one string per cell, with a newline
    /// between the lines of a wrapped one.
    fn draw(&mut self, titles: &[String], cells: &[Vec<String>]) -> io::Result<()> {
        let numeric = numeric_columns(self.columns.len(), &self.rows);
        let mut table = prettytable::Table::new();
        let rule = LineSeparator::new('-', '+', '+', '+');
        table.set_format(
            FormatBuilder::new()
                .column_separator('|')
                .borders('|')
                .separators(&[LinePosition::Top, LinePosition::Bottom], rule)
                .separator(LinePosition::Title, rule)
                .padding(1, 1)
                .build(),
        );
        if self.options.headers {
            table.set_titles(Row::new(titles.iter().map(|c| Cell::new(c)).collect()));
        }
        for r in cells {
            let row = r
                .iter()
                .enumerate()
                .map(|(i, text)| {
                    let align = if numeric.get(i).copied().unwrap_or(false) {
                        Alignment::RIGHT
                    } else {
                        Alignment::LEFT
                    };
                    Cell::new_align(text, align)
                })
                .collect();
            table.add_row(Row::new(row));
        }
        // print(), never printstd(): printstd panics on a closed pipe.
        table.print(&mut *self.out)?;
        Ok(())
    }

    /// Shows the result in line format: every value whole, whatever the width.
    fn as_lines(&mut self) -> io::Result<()> {
        let mut lines = Line::new(&mut *self.out, &self.options);
        lines.begin(&self.columns)?;
        for r in &self.rows {
            lines.row(r)?;
        }
        lines.end()
    }
}

impl RowSink for Table<'_> {
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        self.columns = columns.to_vec();
        self.rows.clear();
        self.truncated = false;
        self.switched = false;
        Ok(())
    }

    fn truncated(&self) -> bool {
        self.truncated
    }

    fn switched_to_lines(&self) -> bool {
        self.switched
    }

    fn row(&mut self, values: &[Value]) -> io::Result<()> {
        self.rows.push(values.to_vec());
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        let null_shown = null_shown(&self.options).to_string();
        let mut titles: Vec<String> = self.columns.iter().map(|c| clean(c)).collect();
        let mut cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|v| clean(&v.to_text().unwrap_or_else(|| null_shown.clone())))
                    .collect()
            })
            .collect();
        let Some(max_width) = self.max_width else {
            self.draw(&titles, &cells)?;
            return self.out.flush();
        };
        let atomic = atomic_columns(self.columns.len(), &self.rows);
        let mut data = vec![0; titles.len()];
        for r in &cells {
            for (w, c) in data.iter_mut().zip(r) {
                *w = (*w).max(c.width());
            }
        }
        let headers = self.options.headers.then_some(&titles[..]);
        let legend = match fit(&atomic, &data, headers, max_width, !self.rows.is_empty()) {
            Layout::Whole => None,
            Layout::Lines => {
                self.switched = true;
                return self.as_lines();
            }
            Layout::Fitted {
                widths,
                headers,
                legend,
            } => {
                for (i, &width) in widths.iter().enumerate() {
                    if let Some(h) = headers.get(i) {
                        titles[i] = wrap(h, width).join("\n");
                    }
                    if atomic[i] {
                        continue;
                    }
                    let too_wide = cells
                        .iter_mut()
                        .filter_map(|row| row.get_mut(i))
                        .filter(|c| c.width() > width);
                    for c in too_wide {
                        if width >= FREE_MIN {
                            *c = wrap(c, width).join("\n");
                        } else {
                            let (text, was_cut) = cut(c, width);
                            *c = text;
                            self.truncated |= was_cut;
                        }
                    }
                }
                legend
            }
        };
        self.draw(&titles, &cells)?;
        if let Some(legend) = legend {
            writeln!(self.out, "{legend}")?;
        }
        self.out.flush()
    }

    fn footer(&mut self, title: &str, items: &[String]) -> io::Result<()> {
        writeln!(self.out, "{}", clean(title))?;
        for item in items {
            writeln!(self.out, "  {}", clean(item))?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Format, render_to_string};

    #[test]
    fn table_right_aligns_numbers_and_shows_null() {
        let out = render_to_string(
            Format::Table,
            &Options::default(),
            &["name".into(), "n".into()],
            &[
                vec![Value::Text("a\tb".into()), Value::Integer(5)],
                vec![Value::Null, Value::Integer(12345)],
            ],
        );
        let expected = "\
+------+-------+
| name | n     |
+------+-------+
| a b  |     5 |
| NULL | 12345 |
+------+-------+
";
        assert_eq!(out, expected);
    }

    /// What a table fitted to `width` shows, and whether it said it shortened something
    /// or switched to line format.
    fn fitted(width: usize, columns: &[&str], rows: &[Vec<Value>]) -> (String, bool, bool) {
        let mut buf = Vec::new();
        let (truncated, switched);
        {
            let mut s = crate::output::fitted_sink(
                Format::Table,
                &mut buf,
                &Options::default(),
                Some(width),
            );
            let columns: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
            s.begin(&columns).unwrap();
            for r in rows {
                s.row(r).unwrap();
            }
            s.end().unwrap();
            truncated = s.truncated();
            switched = s.switched_to_lines();
        }
        (String::from_utf8(buf).unwrap(), truncated, switched)
    }

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn at_80_columns_grades_and_years_stay_whole_and_a_long_note_wraps() {
        let rows = vec![
            vec![
                t("Greater Manchester"),
                t("2018/19"),
                t("Requires improvement"),
                t(
                    "The force was inspected again in 2019 and the grade stands until the next full inspection.",
                ),
            ],
            vec![t("Kent"), t("2017"), t("Good"), Value::Null],
        ];
        let (out, truncated, switched) =
            fitted(80, &["area_name", "cycle", "grade", "note"], &rows);
        let expected = "\
+--------------------+---------+----------------------+-----------------------+
| area_name          | cycle   | grade                | note                  |
+--------------------+---------+----------------------+-----------------------+
| Greater Manchester | 2018/19 | Requires improvement | The force was         |
|                    |         |                      | inspected again in    |
|                    |         |                      | 2019 and the grade    |
|                    |         |                      | stands until the next |
|                    |         |                      | full inspection.      |
| Kent               | 2017    | Good                 | NULL                  |
+--------------------+---------+----------------------+-----------------------+
";
        assert_eq!(out, expected);
        // Wrapped, not shortened: every character is there.
        assert!(!truncated);
        assert!(!switched);
    }

    #[test]
    fn atomic_columns_too_wide_for_the_width_switch_to_lines() {
        let mut buf = Vec::new();
        let mut s =
            crate::output::fitted_sink(Format::Table, &mut buf, &Options::default(), Some(40));
        let columns: Vec<String> = ["year", "area_name", "grade", "previous_grade"]
            .iter()
            .map(|c| c.to_string())
            .collect();
        s.begin(&columns).unwrap();
        s.row(&[
            Value::Integer(2016),
            t("Greater Manchester"),
            t("Requires improvement"),
            t("Good"),
        ])
        .unwrap();
        s.end().unwrap();
        assert!(s.switched_to_lines());
        assert!(!s.truncated());
        // The next result set is a table again when it fits.
        s.begin(&["n".to_string()]).unwrap();
        s.row(&[Value::Integer(1)]).unwrap();
        s.end().unwrap();
        assert!(!s.switched_to_lines());
        drop(s);
        let expected = concat!(
            "          year = 2016\n",
            "     area_name = Greater Manchester\n",
            "         grade = Requires improvement\n",
            "previous_grade = Good\n",
            "+---+\n",
            "| n |\n",
            "+---+\n",
            "| 1 |\n",
            "+---+\n",
        );
        assert_eq!(String::from_utf8(buf).unwrap(), expected);
    }

    #[test]
    fn grid_headers_abbreviate_pillars_with_a_legend_and_stay_distinct() {
        let columns = [
            "area_name",
            "effectiveness",
            "efficiency",
            "legitimacy",
            "Q17_E4",
        ];
        let rows = vec![vec![
            t("Kent"),
            t("Good"),
            t("Good"),
            t("Outstanding"),
            t("Good"),
        ]];
        let (out, truncated, switched) = fitted(50, &columns, &rows);
        let expected = "\
+-------+------+-------+-------------+--------+
| area_ | eff  | effic | legit       | Q17_E4 |
| name  |      |       |             |        |
+-------+------+-------+-------------+--------+
| Kent  | Good | Good  | Outstanding | Good   |
+-------+------+-------+-------------+--------+
headers abbreviated to fit: eff = effectiveness, effic = efficiency, legit = legitimacy
";
        assert_eq!(out, expected);
        assert!(!truncated);
        assert!(!switched);
        // With room, the full names stay.
        let (out, _, _) = fitted(80, &columns, &rows);
        assert!(
            out.contains("| area_name | effectiveness | efficiency | legitimacy  | Q17_E4 |"),
            "{out}"
        );
    }

    #[test]
    fn abbreviations_apply_to_whole_words_and_never_make_headers_alike() {
        let headers = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(
            abbreviate(&headers(&[
                "effectiveness: investigation",
                "Legitimacy",
                "efficient"
            ])),
            Some((
                headers(&["eff: investigation", "Legit", "efficient"]),
                "headers abbreviated to fit: eff = effectiveness, legit = legitimacy".to_string()
            ))
        );
        assert_eq!(abbreviate(&headers(&["eff", "effectiveness"])), None);
        assert_eq!(abbreviate(&headers(&["area_name", "Q17_E1"])), None);
    }

    #[test]
    fn wrapped_headers_are_never_cut() {
        // Headers wrap after `_` instead of both becoming "previ…".
        let rows = vec![vec![t("2016"), t("Good"), t("2017"), t("Good")]];
        let (out, truncated, switched) = fitted(
            41,
            &["cycle", "grade", "previous_cycle", "previous_grade"],
            &rows,
        );
        let expected = "\
+-------+-------+-----------+-----------+
| cycle | grade | previous_ | previous_ |
|       |       | cycle     | grade     |
+-------+-------+-----------+-----------+
| 2016  | Good  | 2017      | Good      |
+-------+-------+-----------+-----------+
";
        assert_eq!(out, expected);
        assert!(!truncated && !switched);
    }

    #[test]
    fn free_text_too_narrow_to_wrap_is_shortened_and_says_so() {
        let rows = vec![vec![
            Value::Integer(2016),
            t("Metropolitan Police Service, the largest force by far"),
            t("Requires improvement"),
        ]];
        let (out, truncated, switched) = fitted(40, &["year", "area_name", "grade"], &rows);
        let expected = "\
+------+--------+----------------------+
| year | area_  | grade                |
|      | name   |                      |
+------+--------+----------------------+
| 2016 | Metro… | Requires improvement |
+------+--------+----------------------+
";
        assert_eq!(out, expected);
        assert!(truncated);
        assert!(!switched);
    }

    #[test]
    fn a_table_that_fits_is_untouched() {
        let rows = vec![vec![Value::Integer(1), t("Kent")]];
        let (out, truncated, switched) = fitted(80, &["n", "name"], &rows);
        assert!(!truncated && !switched);
        assert!(out.contains("| 1 | Kent |"), "{out}");
    }

    #[test]
    fn an_empty_result_too_wide_keeps_its_header_row() {
        // Line format would print nothing at all.
        let (out, _, switched) = fitted(10, &["area_name", "grade"], &[]);
        assert!(!switched);
        assert!(out.contains("| area_name | grade |"), "{out}");
    }

    #[test]
    fn numbers_codes_and_short_labels_are_atomic_long_prose_paths_and_urls_are_not() {
        let rows = vec![
            vec![
                Value::Integer(127077),
                t("Requires improvement (derived)"),
                t("outcomes-penalty-notices-for-disorder-rate"),
                t("ONS mid-2018 population estimate, rounded to 100"),
                t("seed/original/ons_pfa_population_mye2018.csv"),
            ],
            vec![t("n/a"), Value::Null, t("asb"), t("short"), t("x")],
        ];
        assert_eq!(atomic_columns(5, &rows), [true, true, true, false, false]);
    }

    #[test]
    fn wrap_breaks_at_spaces_and_separators_and_splits_only_overlong_pieces() {
        assert_eq!(wrap("abc defgh", 4), ["abc", "defg", "h"]);
        assert_eq!(
            wrap("seed/original/ons_pfa.csv", 10),
            ["seed/", "original/", "ons_", "pfa.csv"]
        );
        assert_eq!(wrap("a  b", 1), ["a", "b"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(header_floor("share_of_national_pct"), 9);
    }

    #[test]
    fn plan_gives_atomic_columns_their_width_and_shares_the_rest_among_free_text() {
        // Two free columns of 40 and one atomic of 10, in 50: 20 each.
        assert_eq!(
            plan(&[false, true, false], &[40, 10, 40], &[], 50, FREE_MIN),
            Some(vec![20, 10, 20])
        );
        // The atomic columns alone are wider than the budget.
        assert_eq!(plan(&[true, true], &[30, 30], &[], 50, MIN_COLUMN), None);
        assert_eq!(cut("abcdefgh", 5), ("abcd…".to_string(), true));
        assert_eq!(cut("abc", 5), ("abc".to_string(), false));
    }
}
