//! `--with-sources`: where the rows came from. A query names each row's sources in a
//! column called `_sources` (one source per line: a URL, a seed file, or `report: TITLE`).
//! This wrapper hides that column, or turns it into numbered footnotes under a table, or
//! into a `sources` field for programs, before the format sees the rows.

use std::io;

use super::{ChartHint, Context, RowSink};
use crate::value::Value;

/// The column a query names its rows' sources in.
pub const SOURCES_COLUMN: &str = "_sources";

/// What to do with the `_sources` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourcesMode {
    /// Drop it (no `--with-sources`).
    Hide,
    /// A `sources` column of footnote numbers and a numbered list after the result
    /// (table, markdown, chart).
    Footnotes,
    /// A `sources` column with every source, separated by `; ` (csv, tsv, json, jsonl);
    /// added empty when the result names none, so the field is always there.
    Column,
}

/// A [`RowSink`] that handles the `_sources` column and passes everything else on.
pub struct Provenance<'s> {
    inner: &'s mut dyn RowSink,
    mode: SourcesMode,
    index: Option<usize>,
    notes: Vec<String>,
    out: Vec<Value>,
}

impl<'s> Provenance<'s> {
    /// Wraps `inner`.
    pub fn new(inner: &'s mut dyn RowSink, mode: SourcesMode) -> Self {
        Provenance {
            inner,
            mode,
            index: None,
            notes: Vec::new(),
            out: Vec::new(),
        }
    }

    fn footnote(&mut self, source: &str) -> usize {
        match self.notes.iter().position(|n| n == source) {
            Some(i) => i + 1,
            None => {
                self.notes.push(source.to_string());
                self.notes.len()
            }
        }
    }
}

/// The distinct sources in one `_sources` cell, in order.
fn split(cell: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(text) = cell.to_text() {
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if !out.iter().any(|o| o == line) {
                out.push(line.to_string());
            }
        }
    }
    out
}

impl RowSink for Provenance<'_> {
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        self.index = columns.iter().position(|c| c == SOURCES_COLUMN);
        self.notes.clear();
        let mut cols: Vec<String> = columns.to_vec();
        match (self.index, self.mode) {
            (Some(i), SourcesMode::Hide) => {
                cols.remove(i);
            }
            (Some(i), _) => cols[i] = "sources".into(),
            (None, SourcesMode::Column) => cols.push("sources".into()),
            (None, _) => {}
        }
        self.inner.begin(&cols)
    }

    fn row(&mut self, values: &[Value]) -> io::Result<()> {
        self.out.clear();
        self.out.extend_from_slice(values);
        match (self.index, self.mode) {
            (Some(i), SourcesMode::Hide) => {
                if i < self.out.len() {
                    self.out.remove(i);
                }
            }
            (Some(i), SourcesMode::Footnotes) => {
                let sources = values.get(i).map(split).unwrap_or_default();
                let numbers: Vec<String> = sources
                    .iter()
                    .map(|s| self.footnote(s).to_string())
                    .collect();
                self.out[i] = if numbers.is_empty() {
                    Value::Null
                } else {
                    Value::Text(numbers.join(", "))
                };
            }
            (Some(i), SourcesMode::Column) => {
                let sources = values.get(i).map(split).unwrap_or_default();
                self.out[i] = if sources.is_empty() {
                    Value::Null
                } else {
                    Value::Text(sources.join("; "))
                };
            }
            (None, SourcesMode::Column) => self.out.push(Value::Null),
            (None, _) => {}
        }
        self.inner.row(&self.out)
    }

    fn end(&mut self) -> io::Result<()> {
        if self.mode != SourcesMode::Footnotes {
            return self.inner.end();
        }
        let items: Vec<String> = if self.index.is_none() {
            vec!["not recorded for this result".into()]
        } else {
            self.notes
                .iter()
                .enumerate()
                .map(|(i, n)| format!("[{}] {n}", i + 1))
                .collect()
        };
        // A picture draws its sources inside itself; text formats print them after.
        if self.inner.footer_first() {
            self.inner.footer("Sources:", &items)?;
            self.inner.end()
        } else {
            self.inner.end()?;
            self.inner.footer("Sources:", &items)
        }
    }

    fn hint(&mut self, hint: &ChartHint) {
        self.inner.hint(hint);
    }

    fn footer(&mut self, title: &str, items: &[String]) -> io::Result<()> {
        self.inner.footer(title, items)
    }

    fn context(&mut self, context: &Context) {
        self.inner.context(context);
    }

    fn footer_first(&self) -> bool {
        self.inner.footer_first()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Format, Options, sink};

    fn run(format: Format, mode: SourcesMode) -> String {
        let mut buf = Vec::new();
        {
            let mut inner = sink(format, &mut buf, &Options::default());
            let mut p = Provenance::new(inner.as_mut(), mode);
            p.begin(&["force".into(), "_sources".into()]).unwrap();
            p.row(&[
                Value::Text("Kent".into()),
                Value::Text("https://a\nhttps://b".into()),
            ])
            .unwrap();
            p.row(&[
                Value::Text("Durham".into()),
                Value::Text("https://b".into()),
            ])
            .unwrap();
            p.row(&[Value::Text("Dorset".into()), Value::Null]).unwrap();
            p.end().unwrap();
        }
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn hidden_by_default() {
        assert_eq!(
            run(Format::Csv, SourcesMode::Hide),
            "force\nKent\nDurham\nDorset\n"
        );
    }

    #[test]
    fn footnotes_under_a_table() {
        let out = run(Format::Table, SourcesMode::Footnotes);
        let expected = "\
+--------+---------+
| force  | sources |
+--------+---------+
| Kent   | 1, 2    |
| Durham | 2       |
| Dorset | NULL    |
+--------+---------+
Sources:
  [1] https://a
  [2] https://b
";
        assert_eq!(out, expected);
        let md = run(Format::Markdown, SourcesMode::Footnotes);
        assert!(
            md.ends_with("\n**Sources:**\n\n- [1] https://a\n- [2] https://b\n"),
            "{md}"
        );
    }

    #[test]
    fn a_field_for_programs() {
        let out = run(Format::Json, SourcesMode::Column);
        let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(parsed[0]["sources"], "https://a; https://b");
        assert_eq!(parsed[2]["sources"], serde_json::Value::Null);
    }
}
