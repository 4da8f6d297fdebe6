//! Trend lines: a force's series with England and Wales (or its region's mean) beside it,
//! periods along the x axis as people write them (`Mar 2015`, `2014/15`), each line with
//! its own dash pattern and its name and last value at its end. Lines whose sizes differ
//! too much to share an axis (a force's count beside the national total) get one panel
//! each, one above the other, on the same periods.

use super::frame::{self, Frame, MARGIN};
use super::palette::LINES;
use super::scale;
use super::svg::{self, Font, INK, MUTED, RULE, Svg};
use crate::output::SparkLine;
use crate::value::Value;

/// One line of a panel: a value (or a gap) per point.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Line {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

/// One series: its points along x, and its lines.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Series {
    pub title: String,
    /// Each point's position (years as a decimal, or its number) and its label.
    pub x: Vec<(f64, String)>,
    pub lines: Vec<Line>,
}

/// Trend lines ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Trend {
    pub series: Vec<Series>,
}

const MONTHS: [&str; 12] = [
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

/// An ISO date as a year with a fraction; `None` when it is not one.
fn decimal_year(text: &str) -> Option<f64> {
    let mut parts = text.get(..10)?.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let (y, m, d): (f64, f64, f64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    Some(y + (m - 1.0) / 12.0 + (d - 1.0) / 365.25)
}

/// A period as people write it on an axis: `2014/15` as it is, `as at 31 March 2015` and
/// `12 months to 31 March 2015` as `Mar 2015`, `calendar year 2009` as `2009`.
pub(super) fn short_period(label: &str) -> String {
    let label = label.trim();
    if let Some(year) = label.strip_prefix("calendar year ") {
        return year.to_string();
    }
    let words: Vec<&str> = label.split_whitespace().collect();
    if let [.., day, month, year] = words.as_slice()
        && day.parse::<u8>().is_ok()
        && year.len() == 4
        && year.parse::<u16>().is_ok()
        && let Some(m) = MONTHS.iter().find(|m| *m == month)
    {
        return format!("{} {year}", &m[..3]);
    }
    if decimal_year(label).is_some()
        && let Ok(month) = label[5..7].parse::<usize>()
        && (1..=12).contains(&month)
    {
        return format!("{} {}", &MONTHS[month - 1][..3], &label[..4]);
    }
    label.to_string()
}

/// The trend of a result: rows with equal `series` values form a series, in row order;
/// `x` orders and places its points, labelled from the `period` column when there is one.
pub(super) fn build(
    columns: &[String],
    rows: &[Vec<Value>],
    series: &[String],
    x: &str,
    lines: &[SparkLine],
) -> Result<Trend, String> {
    let find = |name: &str| columns.iter().position(|c| c == name);
    let series_cols: Vec<usize> = series.iter().filter_map(|c| find(c)).collect();
    let x_col = find(x);
    let period = find("period");
    let line_cols: Vec<(usize, Option<usize>, &SparkLine)> = lines
        .iter()
        .filter_map(|l| {
            Some((
                find(&l.column)?,
                l.label_column.as_deref().and_then(find),
                l,
            ))
        })
        .collect();
    if line_cols.is_empty() {
        return Err("the columns the query draws are missing".into());
    }
    let mut groups: Vec<(Vec<Value>, Vec<usize>)> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let key: Vec<Value> = series_cols.iter().map(|&c| r[c].clone()).collect();
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    let mut out = Vec::new();
    for (key, mut members) in groups {
        let position = |i: usize, m: usize| {
            let cell = x_col.map(|c| &rows[m][c]);
            match cell {
                Some(Value::Text(t)) => decimal_year(t).unwrap_or(i as f64),
                Some(v) => super::number(v).unwrap_or(i as f64),
                None => i as f64,
            }
        };
        let mut placed: Vec<(f64, usize)> = members
            .iter()
            .enumerate()
            .map(|(i, &m)| (position(i, m), m))
            .collect();
        placed.sort_by(|a, b| a.0.total_cmp(&b.0));
        members = placed.iter().map(|(_, m)| *m).collect();
        let x: Vec<(f64, String)> = placed
            .iter()
            .map(|&(at, m)| {
                let text = period
                    .or(x_col)
                    .and_then(|c| rows[m][c].to_text())
                    .unwrap_or_default();
                (at, short_period(&text))
            })
            .collect();
        let first = &rows[members[0]];
        let lines = line_cols
            .iter()
            .map(|(col, label_col, l)| Line {
                label: label_col
                    .and_then(|c| first[c].to_text())
                    .unwrap_or_else(|| l.label.clone()),
                values: members
                    .iter()
                    .map(|&m| super::number(&rows[m][*col]))
                    .collect(),
            })
            .collect();
        out.push(Series {
            title: key
                .iter()
                .filter_map(Value::to_text)
                .collect::<Vec<_>>()
                .join(", "),
            x,
            lines,
        });
    }
    Ok(Trend { series: out })
}

const PLOT_HEIGHT: f64 = 220.0;
const SPLIT_HEIGHT: f64 = 150.0;

impl Series {
    /// Groups of lines drawn on one axis: all together, or one each when their largest
    /// values differ more than fourfold.
    fn panels(&self) -> Vec<Vec<usize>> {
        let peaks: Vec<f64> = self
            .lines
            .iter()
            .map(|l| {
                l.values
                    .iter()
                    .flatten()
                    .fold(0.0_f64, |a, v| a.max(v.abs()))
            })
            .filter(|p| *p > 0.0)
            .collect();
        let hi = peaks.iter().copied().fold(0.0_f64, f64::max);
        let lo = peaks.iter().copied().fold(f64::INFINITY, f64::min);
        if peaks.len() > 1 && hi / lo > 4.0 {
            (0..self.lines.len()).map(|i| vec![i]).collect()
        } else {
            vec![(0..self.lines.len()).collect()]
        }
    }
}

impl Trend {
    /// Draws every series in `frame`, one under another.
    pub(super) fn draw(&self, frame: &Frame) -> String {
        let width = frame::WIDTH;
        let mut svg = Svg::new();
        let mut y = frame.header(&mut svg, width);
        let mut split_any = false;
        for s in &self.series {
            let panels = s.panels();
            split_any |= panels.len() > 1;
            y = self.draw_series(&mut svg, s, &panels, y + 8.0, width);
        }
        let coverage = if split_any {
            vec!["Lines of very different sizes (a force beside the national total) are drawn on separate axes; compare their shapes, not their heights.".to_string()]
        } else {
            Vec::new()
        };
        let height = frame.footer(&mut svg, y, width, &coverage);
        svg.finish(width, height, &frame.title, &self.describe(frame))
    }

    fn draw_series(
        &self,
        svg: &mut Svg,
        s: &Series,
        panels: &[Vec<usize>],
        y: f64,
        width: f64,
    ) -> f64 {
        svg.text(MARGIN, y + 14.0, &s.title, Font::new(13.0).bold());
        let mut y = y + 26.0;
        let x0 = MARGIN + 64.0;
        let x1 = width - MARGIN - 150.0;
        let (first, last) = match (s.x.first(), s.x.last()) {
            (Some(a), Some(b)) => (a.0, b.0),
            _ => return y,
        };
        let span = if last > first { last - first } else { 1.0 };
        let at_x = |v: f64| x0 + (v - first) / span * (x1 - x0);
        let height = if panels.len() > 1 {
            SPLIT_HEIGHT
        } else {
            PLOT_HEIGHT
        };
        for panel in panels {
            let values: Vec<f64> = panel
                .iter()
                .flat_map(|&i| s.lines[i].values.iter().flatten().copied())
                .collect();
            let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let (lo, hi) = if values.is_empty() {
                (0.0, 1.0)
            } else if hi > lo {
                (lo, hi)
            } else {
                (lo - 1.0, hi + 1.0)
            };
            let ticks = scale::ticks(lo, hi, 4);
            let (lo, hi) = (ticks[0], ticks[ticks.len() - 1]);
            let places = scale::decimals_for(ticks.get(1).map_or(1.0, |t| t - ticks[0]));
            let bottom = y + height;
            let at_y = |v: f64| bottom - (v - lo) / (hi - lo).max(f64::EPSILON) * height;
            for t in &ticks {
                let ty = at_y(*t);
                svg.line(x0, ty, x1, ty, RULE, "");
                svg.text(
                    x0 - 6.0,
                    ty + 3.5,
                    &scale::number(*t, places),
                    Font::new(10.5).fill(MUTED).anchor("end"),
                );
            }
            svg.line(x0, bottom, x1, bottom, INK, "");
            for &i in panel {
                draw_line(svg, &s.lines[i], i, &s.x, &at_x, &at_y, x1);
            }
            y = bottom + 30.0;
        }
        y -= 18.0;
        // Period labels under the last panel, thinned to about eight.
        let step = s.x.len().div_ceil(8).max(1);
        let last_index = s.x.len() - 1;
        for (i, (at, label)) in s.x.iter().enumerate() {
            let x = at_x(*at);
            svg.line(x, y - 12.0, x, y - 8.0, INK, "");
            // The last period is always labelled; a regular label too close before it is not.
            let keep = i == last_index || (i % step == 0 && last_index - i > step / 2);
            if keep {
                svg.text(
                    x,
                    y + 4.0,
                    label,
                    Font::new(10.5).fill(MUTED).anchor("middle"),
                );
            }
        }
        y + 18.0
    }

    fn describe(&self, frame: &Frame) -> String {
        let mut parts = Vec::new();
        for s in &self.series {
            let range = match (s.x.first(), s.x.last()) {
                (Some(a), Some(b)) => format!("{} to {}", a.1, b.1),
                _ => "no points".into(),
            };
            parts.push(format!("Line chart of {}, {range}.", s.title));
            for l in &s.lines {
                let known: Vec<f64> = l.values.iter().flatten().copied().collect();
                if let (Some(a), Some(b)) = (known.first(), known.last()) {
                    parts.push(format!(
                        "{}: {} to {}.",
                        l.label,
                        scale::number(*a, 2),
                        scale::number(*b, 2)
                    ));
                }
            }
        }
        parts.push(frame.describe());
        parts.join(" ")
    }
}

/// One line: a path through its known points (broken at gaps), a dot at each, and its
/// name and last value right of the plot.
fn draw_line(
    svg: &mut Svg,
    line: &Line,
    index: usize,
    x: &[(f64, String)],
    at_x: &dyn Fn(f64) -> f64,
    at_y: &dyn Fn(f64) -> f64,
    x1: f64,
) {
    let (colour, dash) = LINES[index % LINES.len()];
    let mut d = String::new();
    let mut pen_down = false;
    for (v, (at, _)) in line.values.iter().zip(x) {
        match v {
            Some(v) => {
                let cmd = if pen_down { 'L' } else { 'M' };
                d.push_str(&format!(
                    "{cmd}{} {} ",
                    svg::num(at_x(*at)),
                    svg::num(at_y(*v))
                ));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    let dash = if dash.is_empty() {
        String::new()
    } else {
        format!(r#" stroke-dasharray="{dash}""#)
    };
    svg.raw(&format!(
        r#"<path d="{}" fill="none" stroke="{colour}" stroke-width="2.5" stroke-linejoin="round"{dash}/>"#,
        d.trim_end()
    ));
    for (v, (at, _)) in line.values.iter().zip(x) {
        if let Some(v) = v {
            svg.raw(&format!(
                r#"<circle cx="{}" cy="{}" r="2.5" fill="{colour}"/>"#,
                svg::num(at_x(*at)),
                svg::num(at_y(*v))
            ));
        }
    }
    let known: Vec<f64> = line.values.iter().flatten().copied().collect();
    if let Some(v) = known.last() {
        let name = svg::fit(&line.label, 11.0, 140.0, true);
        let ink = colour_ink(index);
        let y = at_y(*v);
        svg.text(x1 + 8.0, y - 1.0, &name, Font::new(11.0).bold().fill(ink));
        let value = scale::number(*v, scale::decimals(&known));
        svg.text(x1 + 8.0, y + 12.0, &value, Font::new(11.0).fill(ink));
    }
}

/// The label colour of line `index`: its own colour, darkened where it would not read on
/// white (every one at least 5:1).
fn colour_ink(index: usize) -> &'static str {
    match index % LINES.len() {
        0 => "#0072B2",
        1 => "#a34800",
        2 => "#007a59",
        _ => INK,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_shortened_as_people_write_them() {
        assert_eq!(short_period("as at 31 March 2015"), "Mar 2015");
        assert_eq!(short_period("12 months to 30 September 2007"), "Sep 2007");
        assert_eq!(short_period("2014/15"), "2014/15");
        assert_eq!(short_period("calendar year 2009"), "2009");
        assert_eq!(short_period("2015-03-31"), "Mar 2015");
    }
}
