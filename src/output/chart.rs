//! The chart format: horizontal bars for a label and a number (England and Wales marked
//! on every bar when it is the reference row), or sparklines for series over time.
//!
//! What to draw comes from a [`ChartHint`] when the query gave one, else from the columns:
//! the label is `area_name` or the first text column, the value is a measure: the `value`
//! column, else the first numeric column that is not a flag, an id, a rank or a year (see
//! [`is_measure`]), since bars of a 0/1 flag or of a year say nothing. A result with
//! nothing to draw is shown as a table instead, followed by one line saying why.
//!
//! With `Options::fancy` (a terminal without NO_COLOR) bars use Unicode blocks with
//! eighths and the reference row is coloured; otherwise every character is plain ASCII, so
//! a chart saved to a file or pasted into an email survives.

use std::io::{self, Write};

use super::{ChartHint, Options, RowSink, SparkLine, numeric_columns, table};
use crate::value::{Value, format_real};

/// Cells of the longest bar.
const BAR_WIDTH: usize = 40;
/// Labels longer than this are cut.
const LABEL_MAX: usize = 48;

const ANSI_REFERENCE: &str = "\x1b[36m";
const ANSI_SELECTED: &str = "\x1b[1m";
const ANSI_RESET: &str = "\x1b[0m";

/// The characters a chart is drawn with.
struct Glyphs {
    bar: char,
    reference_bar: char,
    marker: char,
    /// Partial cells, from one eighth up; empty when only whole cells are drawn.
    eighths: &'static [char],
    spark: &'static [char],
    arrow: &'static str,
    ellipsis: char,
}

const PLAIN: Glyphs = Glyphs {
    bar: '#',
    reference_bar: '=',
    marker: '|',
    eighths: &[],
    spark: &['_', '.', '-', '=', '+', '#'],
    arrow: "->",
    ellipsis: '~',
};

const FANCY: Glyphs = Glyphs {
    bar: '█',
    reference_bar: '░',
    marker: '┃',
    eighths: &['▏', '▎', '▍', '▌', '▋', '▊', '▉'],
    spark: &['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
    arrow: "→",
    ellipsis: '…',
};

pub(super) struct Chart<'w> {
    out: &'w mut dyn Write,
    options: Options,
    hint: Option<ChartHint>,
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
}

impl<'w> Chart<'w> {
    pub(super) fn new(out: &'w mut dyn Write, options: Options) -> Self {
        Chart {
            out,
            options,
            hint: None,
            columns: Vec::new(),
            rows: Vec::new(),
        }
    }

    fn glyphs(&self) -> &'static Glyphs {
        if self.options.fancy { &FANCY } else { &PLAIN }
    }

    fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    fn paint(&self, text: String, ansi: &str) -> String {
        if self.options.fancy {
            format!("{ansi}{text}{ANSI_RESET}")
        } else {
            text
        }
    }

    /// Shows the result as a table when there is nothing to chart, and says why in one
    /// line under it (where the prompt or the next result follows).
    fn as_table(&mut self, why: &str) -> io::Result<()> {
        let mut t = table::Table::new(&mut *self.out, self.options.clone(), None);
        t.begin(&self.columns)?;
        for r in &self.rows {
            t.row(r)?;
        }
        t.end()?;
        writeln!(self.out, "chart: nothing to draw ({why}); shown as a table")?;
        self.out.flush()
    }

    fn draw(&mut self) -> io::Result<()> {
        if self.rows.is_empty() {
            writeln!(self.out, "(no rows)")?;
            return Ok(());
        }
        match self.hint.take() {
            Some(ChartHint::Sparklines { series, x, lines }) => {
                self.sparklines(&series, &x, &lines)
            }
            Some(ChartHint::Bars {
                label,
                value,
                title,
            }) => {
                let label: Vec<usize> = label.iter().filter_map(|c| self.column(c)).collect();
                let title: Vec<usize> = title.iter().filter_map(|c| self.column(c)).collect();
                match self.column(&value) {
                    Some(v) if !label.is_empty() => self.bars(&label, v, &title),
                    _ => self.as_table("the columns the query charts are missing"),
                }
            }
            Some(ChartHint::Grades { .. }) | None => match guess_bars(&self.columns, &self.rows) {
                Ok((label, value)) => self.bars(&[label], value, &[]),
                Err(why) => self.as_table(&why),
            },
        }
    }

    fn bars(
        &mut self,
        label_cols: &[usize],
        value_col: usize,
        title_cols: &[usize],
    ) -> io::Result<()> {
        let g = self.glyphs();
        let role = self.column("role");
        struct Bar {
            label: String,
            value: Option<f64>,
            text: String,
            role: Role,
        }
        #[derive(PartialEq)]
        enum Role {
            Plain,
            Reference,
            Selected,
        }
        let bars: Vec<Bar> = self
            .rows
            .iter()
            .map(|r| {
                let label = label_cols
                    .iter()
                    .filter_map(|&i| r.get(i).and_then(Value::to_text))
                    .collect::<Vec<_>>()
                    .join(" ");
                let v = r.get(value_col).unwrap_or(&Value::Null);
                let role = match role.and_then(|i| r.get(i)) {
                    Some(Value::Text(t)) if t == "reference" => Role::Reference,
                    Some(Value::Text(t)) if t == "selected" => Role::Selected,
                    _ => Role::Plain,
                };
                Bar {
                    label: cut(&label, LABEL_MAX, g.ellipsis),
                    value: number(v),
                    text: v
                        .to_text()
                        .unwrap_or_else(|| self.options.null_text.clone()),
                    role,
                }
            })
            .collect();

        if self.options.headers && !title_cols.is_empty() {
            let first = &self.rows[0];
            let title: Vec<String> = title_cols
                .iter()
                .filter_map(|&i| first.get(i).and_then(Value::to_text))
                .collect();
            if !title.is_empty() {
                writeln!(self.out, "{}", title.join(", "))?;
            }
        }

        // The scale covers the plain rows (and zero); a reference inside it is marked on
        // every bar, one outside it (a national total beside forces) is only printed.
        let plain: Vec<f64> = bars
            .iter()
            .filter(|b| b.role != Role::Reference)
            .filter_map(|b| b.value)
            .collect();
        let lo = plain.iter().copied().fold(0.0_f64, f64::min);
        let mut hi = plain.iter().copied().fold(0.0_f64, f64::max);
        if plain.is_empty() {
            hi = bars.iter().filter_map(|b| b.value).fold(0.0_f64, f64::max);
        }
        if hi == lo {
            hi = lo + 1.0;
        }
        let position = |v: f64| (v - lo) / (hi - lo) * BAR_WIDTH as f64;
        let on_scale = |v: f64| v >= lo && v <= hi;
        let reference = bars
            .iter()
            .find(|b| b.role == Role::Reference)
            .and_then(|b| b.value)
            .filter(|v| on_scale(*v) && !plain.is_empty());
        let marker = reference.map(|v| (position(v).round() as usize).min(BAR_WIDTH));
        let zero = position(0.0);
        let eighths = if lo < 0.0 { &[][..] } else { g.eighths };

        let label_width = bars
            .iter()
            .map(|b| b.label.chars().count())
            .max()
            .unwrap_or(0);
        let text_width = bars
            .iter()
            .map(|b| b.text.chars().count())
            .max()
            .unwrap_or(0);
        for b in &bars {
            let mut cells = vec![' '; BAR_WIDTH + 1];
            let glyph = if b.role == Role::Reference {
                g.reference_bar
            } else {
                g.bar
            };
            let off_scale = b.value.is_some_and(|v| !on_scale(v));
            if let Some(v) = b.value.filter(|v| on_scale(*v)) {
                let end = position(v);
                let (from, to) = if end >= zero {
                    (zero, end)
                } else {
                    (end, zero)
                };
                let whole_from = from.round() as usize;
                let exact_to = if eighths.is_empty() { to.round() } else { to };
                let whole_to = exact_to.floor() as usize;
                for c in cells.iter_mut().take(whole_to).skip(whole_from) {
                    *c = glyph;
                }
                let part = ((exact_to - exact_to.floor()) * 8.0).round() as usize;
                if !eighths.is_empty() && b.role != Role::Reference && part > 0 {
                    if part >= 8 {
                        cells[whole_to.min(BAR_WIDTH)] = glyph;
                    } else {
                        cells[whole_to.min(BAR_WIDTH)] = eighths[part - 1];
                    }
                }
            }
            if let Some(m) = marker
                && b.role != Role::Reference
            {
                cells[m] = g.marker;
            }
            let mut bar: String = cells.into_iter().collect();
            if off_scale {
                bar = "(off the scale)".into();
            }
            let gutter = match b.role {
                Role::Selected => '>',
                _ => ' ',
            };
            let line = format!(
                "{gutter}{:<lw$}  {:>tw$}  {}",
                pad(&b.label, label_width),
                b.text,
                bar.trim_end(),
                lw = label_width,
                tw = text_width
            );
            let line = line.trim_end().to_string();
            let line = match b.role {
                Role::Reference => self.paint(line, ANSI_REFERENCE),
                Role::Selected => self.paint(line, ANSI_SELECTED),
                Role::Plain => line,
            };
            writeln!(self.out, "{line}")?;
        }
        if let Some(b) = bars.iter().find(|b| b.role == Role::Reference) {
            let how = if marker.is_some() {
                format!("{} marks", g.marker)
            } else {
                "off the scale:".into()
            };
            writeln!(self.out, "{how} {} = {} (reference)", b.label, b.text)?;
        }
        self.out.flush()
    }

    fn sparklines(&mut self, series: &[String], x: &str, lines: &[SparkLine]) -> io::Result<()> {
        let g = self.glyphs();
        let series_cols: Vec<usize> = series.iter().filter_map(|c| self.column(c)).collect();
        let x_col = self.column(x);
        let line_cols: Vec<(usize, Option<usize>, &SparkLine)> = lines
            .iter()
            .filter_map(|l| {
                let c = self.column(&l.column)?;
                Some((c, l.label_column.as_deref().and_then(|n| self.column(n)), l))
            })
            .collect();
        if line_cols.is_empty() {
            return self.as_table("the columns the query charts are missing");
        }
        // Group rows by series, in order of first appearance.
        let mut groups: Vec<(Vec<Value>, Vec<usize>)> = Vec::new();
        for (i, r) in self.rows.iter().enumerate() {
            let key: Vec<Value> = series_cols.iter().map(|&c| r[c].clone()).collect();
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, members)) => members.push(i),
                None => groups.push((key, vec![i])),
            }
        }
        for (key, members) in &groups {
            let first = &self.rows[members[0]];
            let last = &self.rows[members[members.len() - 1]];
            let name: Vec<String> = key.iter().filter_map(Value::to_text).collect();
            let mut heading = name.join(", ");
            let points = members.len();
            heading.push_str(&format!(
                ": {points} {}",
                if points == 1 { "point" } else { "points" }
            ));
            if let Some(xc) = x_col {
                let from = first[xc].to_text().unwrap_or_default();
                let to = last[xc].to_text().unwrap_or_default();
                heading.push_str(&if from == to {
                    format!(", {from}")
                } else {
                    format!(", {from} to {to}")
                });
            }
            writeln!(self.out, "{heading}")?;
            let labels: Vec<String> = line_cols
                .iter()
                .map(|(_, lc, l)| {
                    lc.and_then(|c| first[c].to_text())
                        .unwrap_or_else(|| l.label.clone())
                })
                .collect();
            let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
            for ((col, _, _), label) in line_cols.iter().zip(&labels) {
                let values: Vec<Option<f64>> = members
                    .iter()
                    .map(|&m| number(&self.rows[m][*col]))
                    .collect();
                let known: Vec<f64> = values.iter().flatten().copied().collect();
                let spark = sparkline(&values, g.spark);
                let summary = match (known.first(), known.last()) {
                    (Some(a), Some(b)) if known.len() > 1 => {
                        format!(
                            "{} {} {}  ({})",
                            format_real_short(*a),
                            g.arrow,
                            format_real_short(*b),
                            change(*a, *b)
                        )
                    }
                    (Some(a), _) => format_real_short(*a),
                    _ => "no values".into(),
                };
                let line = format!("  {}  {spark}  {summary}", pad(label, width));
                writeln!(self.out, "{}", line.trim_end())?;
            }
        }
        self.out.flush()
    }
}

impl RowSink for Chart<'_> {
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
        let result = self.draw();
        self.hint = None;
        result
    }

    fn hint(&mut self, hint: &ChartHint) {
        // A grade grid is for pictures; the terminal keeps the hint it can draw.
        if !matches!(hint, ChartHint::Grades { .. }) {
            self.hint = Some(hint.clone());
        }
    }

    fn footer(&mut self, title: &str, items: &[String]) -> io::Result<()> {
        writeln!(self.out, "{title}")?;
        for item in items {
            writeln!(self.out, "  {item}")?;
        }
        self.out.flush()
    }
}

/// The label and value columns of a result without a hint, or why there are none: the
/// value is the `value` column or the first numeric column that is a measure, the label
/// `area_name` or the first text column. Shared with the picture formats, so `-F chart`
/// and `-F svg` draw the same bars of the same SQL.
pub(super) fn guess_bars(
    columns: &[String],
    rows: &[Vec<Value>],
) -> Result<(usize, usize), String> {
    let column = |name: &str| columns.iter().position(|c| c == name);
    let numeric = numeric_columns(columns.len(), rows);
    let value = match column("value").filter(|&i| numeric[i]) {
        Some(v) => v,
        None => {
            let numbers: Vec<usize> = (0..numeric.len()).filter(|&i| numeric[i]).collect();
            let measure = numbers
                .iter()
                .copied()
                .find(|&i| is_measure(&columns[i], rows, i));
            match measure {
                Some(v) => v,
                None if numbers.is_empty() => return Err("no numeric column".into()),
                None => {
                    let names: Vec<&str> = numbers.iter().map(|&i| columns[i].as_str()).collect();
                    let what = if names.len() == 1 {
                        "is not a measure but a flag, id, rank or year"
                    } else {
                        "are not measures but flags, ids, ranks or years"
                    };
                    return Err(format!("{} {what}", names.join(", ")));
                }
            }
        }
    };
    let label = column("area_name").or_else(|| {
        (0..columns.len()).find(|&i| {
            i != value
                && rows
                    .iter()
                    .all(|r| matches!(r.get(i), Some(Value::Text(_) | Value::Null)))
        })
    });
    match label {
        Some(label) => Ok((label, value)),
        None => Err("no text column to label the bars".into()),
    }
}

/// Whether numeric column `i`, named `name`, measures something worth a bar. Not a
/// measure: a 0/1 flag (every value 0 or 1, or a name such as `derived`, `carried_over`,
/// `is_*`, `has_*`), an id or a position (`id`, `*_id`, `rank`, `*_rank`, `*_order`,
/// `*_line`) or a year (`year`, `*_year`): their bars would be empty, all alike, or
/// longest for the worst rank.
fn is_measure(name: &str, rows: &[Vec<Value>], i: usize) -> bool {
    let name = name.to_ascii_lowercase();
    let named_otherwise = ["id", "rank", "year", "derived", "carried_over"]
        .contains(&name.as_str())
        || ["is_", "has_"].iter().any(|p| name.starts_with(p))
        || ["_id", "_rank", "_order", "_line", "_year"]
            .iter()
            .any(|s| name.ends_with(s));
    let flag = rows
        .iter()
        .all(|r| matches!(r.get(i), Some(Value::Integer(0 | 1) | Value::Null) | None));
    !named_otherwise && !flag
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Real(f) if f.is_finite() => Some(*f),
        _ => None,
    }
}

/// Pads to `width` characters (format's own padding counts bytes of some strings wrong
/// for no reason we want to depend on).
fn pad(text: &str, width: usize) -> String {
    let n = text.chars().count();
    let mut s = text.to_string();
    s.extend(std::iter::repeat_n(' ', width.saturating_sub(n)));
    s
}

fn cut(text: &str, max: usize, ellipsis: char) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max - 1).collect();
        s.push(ellipsis);
        s
    }
}

/// One character per point, scaled between the series' own minimum and maximum; a
/// missing point is a space.
fn sparkline(values: &[Option<f64>], levels: &[char]) -> String {
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    let lo = known.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = known.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    values
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(_) if hi <= lo => levels[levels.len() / 2],
            Some(v) => {
                let step = ((v - lo) / (hi - lo) * (levels.len() - 1) as f64).round() as usize;
                levels[step.min(levels.len() - 1)]
            }
        })
        .collect()
}

/// A number rounded to at most four decimals, without float noise such as
/// 7.590000000000146.
fn format_real_short(v: f64) -> String {
    let rounded = (v * 10_000.0).round() / 10_000.0;
    if rounded == rounded.trunc() && rounded.abs() < 1e15 {
        format!("{}", rounded as i64)
    } else {
        format_real(rounded)
    }
}

/// The change from `a` to `b`, absolute and in percent: `+3.8, +0.28%`.
fn change(a: f64, b: f64) -> String {
    let diff = b - a;
    let sign = if diff >= 0.0 { "+" } else { "" };
    let abs = format!("{sign}{}", format_real_short(diff));
    if a == 0.0 {
        abs
    } else {
        let pct = (diff / a.abs() * 100.0 * 100.0).round() / 100.0;
        let psign = if pct >= 0.0 { "+" } else { "" };
        format!("{abs}, {psign}{}%", format_real_short(pct))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Format, render_to_string, sink};

    fn render(
        hint: Option<ChartHint>,
        options: &Options,
        columns: &[&str],
        rows: Vec<Vec<Value>>,
    ) -> String {
        let mut buf = Vec::new();
        {
            let mut s = sink(Format::Chart, &mut buf, options);
            if let Some(h) = &hint {
                s.hint(h);
            }
            let columns: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
            s.begin(&columns).unwrap();
            for r in rows {
                s.row(&r).unwrap();
            }
            s.end().unwrap();
        }
        String::from_utf8(buf).unwrap()
    }

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    fn compare_rows() -> Vec<Vec<Value>> {
        vec![
            vec![t("England and Wales"), Value::Real(20.0), t("reference")],
            vec![t("Kent"), Value::Real(40.0), t("area")],
            vec![t("Durham"), Value::Real(10.0), t("selected")],
            vec![t("Dorset"), Value::Null, t("area")],
        ]
    }

    #[test]
    fn plain_bars_mark_the_reference_on_every_bar() {
        let out = render(
            None,
            &Options::default(),
            &["area_name", "value", "role"],
            compare_rows(),
        );
        let expected = " England and Wales  20.0  ====================
 Kent               40.0  ####################|###################
>Durham             10.0  ##########          |
 Dorset                                       |
| marks England and Wales = 20.0 (reference)
";
        assert_eq!(out, expected);
        assert!(out.is_ascii());
    }

    #[test]
    fn fancy_bars_use_blocks_eighths_and_colour() {
        let options = Options {
            fancy: true,
            ..Options::default()
        };
        let out = render(
            None,
            &options,
            &["area_name", "value"],
            vec![
                vec![t("a"), Value::Real(10.0)],
                vec![t("b"), Value::Real(3.3)],
            ],
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            " a  10.0  ████████████████████████████████████████"
        );
        // 3.3 of 10 is 13.2 cells: 13 whole and two eighths (rounded).
        assert_eq!(lines[1], format!(" b   3.3  {}▎", "█".repeat(13)));
        let out = render(
            None,
            &options,
            &["area_name", "value", "role"],
            compare_rows(),
        );
        assert!(out.contains(ANSI_REFERENCE), "{out}");
    }

    #[test]
    fn a_reference_beyond_the_scale_is_printed_not_drawn() {
        let out = render(
            None,
            &Options::default(),
            &["area_name", "value", "role"],
            vec![
                vec![t("England and Wales"), Value::Integer(1000), t("reference")],
                vec![t("Kent"), Value::Integer(40), t("area")],
            ],
        );
        assert_eq!(
            out,
            " England and Wales  1000  (off the scale)\n Kent                 40  ########################################\noff the scale: England and Wales = 1000 (reference)\n"
        );
    }

    #[test]
    fn negative_values_draw_left_of_zero() {
        let out = render(
            None,
            &Options::default(),
            &["area_name", "value"],
            vec![
                vec![t("up"), Value::Real(10.0)],
                vec![t("down"), Value::Real(-10.0)],
            ],
        );
        assert_eq!(
            out,
            " up     10.0                      ####################\n down  -10.0  ####################\n"
        );
    }

    #[test]
    fn hinted_bars_join_label_columns_and_print_a_title() {
        let hint = ChartHint::Bars {
            label: vec!["pillar".into(), "grade".into()],
            value: "forces".into(),
            title: vec!["cycle".into()],
        };
        let out = render(
            Some(hint),
            &Options::default(),
            &["cycle", "pillar", "grade", "forces"],
            vec![
                vec![t("2016"), t("effectiveness"), t("Good"), Value::Integer(4)],
                vec![
                    t("2016"),
                    t("effectiveness"),
                    t("Inadequate"),
                    Value::Integer(1),
                ],
            ],
        );
        assert_eq!(
            out,
            "2016\n effectiveness Good        4  ########################################\n effectiveness Inadequate  1  ##########\n"
        );
    }

    #[test]
    fn sparklines_per_series_with_change() {
        let hint = ChartHint::Sparklines {
            series: vec!["metric".into()],
            x: "period_end".into(),
            lines: vec![
                SparkLine {
                    column: "value".into(),
                    label: "value".into(),
                    label_column: Some("area_name".into()),
                },
                SparkLine {
                    column: "national_value".into(),
                    label: "England and Wales".into(),
                    label_column: None,
                },
            ],
        };
        let row = |end: &str, v: f64, n: f64| {
            vec![
                t("officer-fte"),
                t("Cambridgeshire"),
                t(end),
                Value::Real(v),
                Value::Real(n),
            ]
        };
        let out = render(
            Some(hint),
            &Options::default(),
            &[
                "metric",
                "area_name",
                "period_end",
                "value",
                "national_value",
            ],
            vec![
                row("2014-09-30", 1354.36, 127077.36),
                row("2015-03-31", 1361.95, 126818.09),
                row("2015-09-30", 1358.16, 125184.76),
            ],
        );
        let expected = "\
officer-fte: 3 points, 2014-09-30 to 2015-09-30
  Cambridgeshire     _#=  1354.36 -> 1358.16  (+3.8, +0.28%)
  England and Wales  #+_  127077.36 -> 125184.76  (-1892.6, -1.49%)
";
        assert_eq!(out, expected);
    }

    #[test]
    fn nothing_to_draw_falls_back_to_a_table_and_says_why() {
        let out = render(None, &Options::default(), &["name"], vec![vec![t("x")]]);
        let table = render_to_string(
            Format::Table,
            &Options::default(),
            &["name".into()],
            &[vec![t("x")]],
        );
        assert_eq!(
            out,
            format!("{table}chart: nothing to draw (no numeric column); shown as a table\n")
        );
        let out = render(None, &Options::default(), &["name"], vec![]);
        assert_eq!(out, "(no rows)\n");
    }

    #[test]
    fn a_flag_column_is_never_the_bar_when_a_measure_exists() {
        // `derived` is 0/1 and comes first; `value` is what the rows measure.
        let out = render(
            None,
            &Options::default(),
            &["area_name", "derived", "value"],
            vec![
                vec![t("Kent"), Value::Integer(0), Value::Real(20.0)],
                vec![t("Essex"), Value::Integer(1), Value::Real(10.0)],
            ],
        );
        assert_eq!(
            out,
            " Kent   20.0  ########################################\n Essex  10.0  ####################\n"
        );
        // Without a `value` column, the first numeric column that is a measure: not the
        // flag, the year or the rank before it.
        let out = render(
            None,
            &Options::default(),
            &["force", "is_lead", "year", "rank", "officers"],
            vec![
                vec![
                    t("Kent"),
                    Value::Integer(1),
                    Value::Integer(2015),
                    Value::Integer(1),
                    Value::Integer(3000),
                ],
                vec![
                    t("Essex"),
                    Value::Integer(0),
                    Value::Integer(2015),
                    Value::Integer(2),
                    Value::Integer(1500),
                ],
            ],
        );
        assert_eq!(
            out,
            " Kent   3000  ########################################\n Essex  1500  ####################\n"
        );
    }

    #[test]
    fn only_flags_and_text_says_it_cannot_chart() {
        let columns = ["area_name", "grade", "derived", "carried_over"];
        let rows = vec![
            vec![t("Kent"), t("Good"), Value::Integer(0), Value::Integer(0)],
            vec![t("Essex"), t("Good"), Value::Integer(1), Value::Integer(0)],
        ];
        let out = render(None, &Options::default(), &columns, rows.clone());
        let table = render_to_string(
            Format::Table,
            &Options::default(),
            &columns.map(String::from),
            &rows,
        );
        assert_eq!(
            out,
            format!(
                "{table}chart: nothing to draw (derived, carried_over are not measures but flags, ids, ranks or years); shown as a table\n"
            )
        );
    }
}
