//! The boxed table format, drawn with prettytable-rs. All prettytable use stays in this
//! file, so swapping the crate touches nothing else.

use std::io::{self, Write};

use prettytable::format::{Alignment, FormatBuilder, LinePosition, LineSeparator};
use prettytable::{Cell, Row};

use super::{Options, RowSink, numeric_columns};
use crate::value::Value;

/// Shown for NULL in tables unless the user set a null text: distinct from an empty string.
const NULL_SHOWN: &str = "NULL";

pub(super) struct Table<'w> {
    out: &'w mut dyn Write,
    options: Options,
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
}

impl<'w> Table<'w> {
    pub(super) fn new(out: &'w mut dyn Write, options: Options) -> Self {
        Table {
            out,
            options,
            columns: Vec::new(),
            rows: Vec::new(),
        }
    }
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
        Ok(())
    }

    fn row(&mut self, values: &[Value]) -> io::Result<()> {
        self.rows.push(values.to_vec());
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
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
            table.set_titles(Row::new(
                self.columns.iter().map(|c| Cell::new(&clean(c))).collect(),
            ));
        }
        let null_shown = if self.options.null_text.is_empty() {
            NULL_SHOWN
        } else {
            self.options.null_text.as_str()
        };
        for r in &self.rows {
            let cells = r
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let text = v.to_text().unwrap_or_else(|| null_shown.to_string());
                    let align = if numeric.get(i).copied().unwrap_or(false) {
                        Alignment::RIGHT
                    } else {
                        Alignment::LEFT
                    };
                    Cell::new_align(&clean(&text), align)
                })
                .collect();
            table.add_row(Row::new(cells));
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
}
