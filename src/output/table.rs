//! The boxed table format, drawn with prettytable-rs, and fitting a table to a width (the
//! terminal's) by cutting its widest columns. All prettytable use stays in this file, so
//! swapping the crate touches nothing else.

use std::io::{self, Write};

use prettytable::format::{Alignment, FormatBuilder, LinePosition, LineSeparator};
use prettytable::{Cell, Row};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{Options, RowSink, null_shown, numeric_columns};
use crate::value::Value;

/// A column is never cut below this many display columns (ellipsis included): narrower
/// than that, a value is unrecognisable, and the table may as well overflow.
const MIN_COLUMN: usize = 6;

pub(super) struct Table<'w> {
    out: &'w mut dyn Write,
    options: Options,
    max_width: Option<usize>,
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
    truncated: bool,
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
        }
    }
}

/// The widest each column may be so that the drawn table (`| a | b |`: three columns of
/// border and padding per column, plus one) fits `max_width`. Narrow columns keep their
/// width; the space left is shared evenly among the wide ones, so one long text column
/// does not squeeze short numeric ones. `None` when everything fits.
fn column_caps(widths: &[usize], max_width: usize) -> Option<Vec<usize>> {
    let frame = 3 * widths.len() + 1;
    let budget = max_width.saturating_sub(frame);
    if widths.iter().sum::<usize>() <= budget {
        return None;
    }
    let used = |cap: usize| -> usize { widths.iter().map(|&w| w.min(cap)).sum() };
    // The largest cap that fits, found by search: widths are small numbers.
    let widest = widths.iter().copied().max().unwrap_or(0);
    let mut cap = MIN_COLUMN;
    while cap < widest && used(cap + 1) <= budget {
        cap += 1;
    }
    let mut caps: Vec<usize> = widths.iter().map(|&w| w.min(cap)).collect();
    // Hand out what is left one column at a time, left to right, to the columns that were cut.
    let mut left = budget.saturating_sub(caps.iter().sum());
    for (c, &w) in caps.iter_mut().zip(widths) {
        if left == 0 {
            break;
        }
        if *c < w {
            *c += 1;
            left -= 1;
        }
    }
    Some(caps)
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

/// Tabs and control characters would break the drawn grid.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

impl RowSink for Table<'_> {
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        self.columns = columns.to_vec();
        self.rows.clear();
        self.truncated = false;
        Ok(())
    }

    fn truncated(&self) -> bool {
        self.truncated
    }

    fn row(&mut self, values: &[Value]) -> io::Result<()> {
        self.rows.push(values.to_vec());
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        let numeric = numeric_columns(self.columns.len(), &self.rows);
        let null_shown = null_shown(&self.options).to_string();
        let titles: Vec<String> = self.columns.iter().map(|c| clean(c)).collect();
        let mut cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|v| clean(&v.to_text().unwrap_or_else(|| null_shown.clone())))
                    .collect()
            })
            .collect();
        let mut titles = titles;
        if let Some(max_width) = self.max_width {
            let mut widths: Vec<usize> = vec![0; titles.len()];
            if self.options.headers {
                for (w, t) in widths.iter_mut().zip(&titles) {
                    *w = t.width();
                }
            }
            for r in &cells {
                for (w, c) in widths.iter_mut().zip(r) {
                    *w = (*w).max(c.width());
                }
            }
            if let Some(caps) = column_caps(&widths, max_width) {
                for row in std::iter::once(&mut titles).chain(cells.iter_mut()) {
                    for (c, &cap) in row.iter_mut().zip(&caps) {
                        let (text, was_cut) = cut(c, cap);
                        *c = text;
                        self.truncated |= was_cut;
                    }
                }
            }
        }
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
        for r in &cells {
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
    use crate::output::{Format, Options, render_to_string};
    use crate::value::Value;

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

    fn fitted(width: usize, columns: &[&str], rows: &[Vec<Value>]) -> (String, bool) {
        let mut buf = Vec::new();
        let truncated;
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
        }
        (String::from_utf8(buf).unwrap(), truncated)
    }

    #[test]
    fn a_wide_table_is_cut_to_the_width_with_an_ellipsis() {
        let rows = vec![vec![
            Value::Integer(2016),
            Value::Text("Metropolitan Police Service, the largest force by far".into()),
            Value::Text("Requires improvement".into()),
        ]];
        let (out, truncated) = fitted(40, &["year", "area_name", "grade"], &rows);
        assert!(truncated);
        for line in out.lines() {
            assert_eq!(unicode_width::UnicodeWidthStr::width(line), 40, "{out}");
        }
        // The short numeric column is left whole; the two long ones share what is left.
        assert!(
            out.contains("| 2016 | Metropolitan… | Requires imp… |"),
            "{out}"
        );
    }

    #[test]
    fn a_table_that_fits_is_untouched() {
        let rows = vec![vec![Value::Integer(1), Value::Text("Kent".into())]];
        let (out, truncated) = fitted(80, &["n", "name"], &rows);
        assert!(!truncated);
        assert!(out.contains("| 1 | Kent |"), "{out}");
    }

    #[test]
    fn columns_are_never_cut_below_a_readable_minimum() {
        let caps = super::column_caps(&[30, 30, 30], 10).unwrap();
        assert_eq!(caps, vec![super::MIN_COLUMN; 3]);
        assert_eq!(super::column_caps(&[3, 4], 80), None);
        assert_eq!(super::cut("abcdefgh", 5), ("abcd…".to_string(), true));
        assert_eq!(super::cut("abc", 5), ("abc".to_string(), false));
    }
}
