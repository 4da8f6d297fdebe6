//! Ranked bars: one bar per force in the order the query ranked them, the chosen force
//! (`role` = `selected`) in blue with a bold label, the others grey, and England and Wales
//! (`role` = `reference`) as a dashed line with its value, or, when it is a total far
//! beyond the forces (a count), named with its value above the bars instead.

use super::frame::{self, Frame, MARGIN};
use super::palette::{BAR_PLAIN, BAR_SELECTED, REFERENCE};
use super::scale;
use super::svg::{self, Font, INK, MUTED, RULE, Svg, text_width};
use crate::value::Value;

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub selected: bool,
}

/// Bars ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Bars {
    /// From the query's title columns (`officer-fte, as at 31 March 2015, fte`).
    pub title: Option<String>,
    pub bars: Vec<Bar>,
    /// England and Wales.
    pub reference: Option<Bar>,
    /// What the axis measures: the `unit`, else the value column's name.
    pub measure: String,
}

/// The bars of a result: labels joined from `label`, values from `value`, the title from
/// the first row's `title` columns, roles from the `role` column.
pub(super) fn build(
    columns: &[String],
    rows: &[Vec<Value>],
    label: &[usize],
    value: usize,
    title: &[usize],
) -> Bars {
    let role = columns.iter().position(|c| c == "role");
    let mut bars = Vec::new();
    let mut reference = None;
    for r in rows {
        let bar = Bar {
            label: label
                .iter()
                .filter_map(|&i| r.get(i).and_then(Value::to_text))
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
            value: r.get(value).and_then(super::number),
            selected: false,
        };
        match role.and_then(|i| r.get(i)) {
            Some(Value::Text(t)) if t == "reference" => reference = Some(bar),
            Some(Value::Text(t)) if t == "selected" => bars.push(Bar {
                selected: true,
                ..bar
            }),
            _ => bars.push(bar),
        }
    }
    let title = rows.first().map(|first| {
        title
            .iter()
            .filter_map(|&i| first.get(i).and_then(Value::to_text))
            .collect::<Vec<_>>()
            .join(", ")
    });
    // The axis says what is measured: the unit when the result gives one.
    let unit = columns.iter().position(|c| c == "unit");
    let measure = unit
        .and_then(|u| rows.iter().find_map(|r| r.get(u).and_then(Value::to_text)))
        .unwrap_or_else(|| columns[value].clone());
    Bars {
        title: title.filter(|t| !t.is_empty()),
        bars,
        reference,
        measure,
    }
}

/// Where the bars were drawn: bar `i` spans `top + i * row_height` to `bar_height` below,
/// from `zero` (the axis) to its value.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Geometry {
    pub zero: f64,
    pub top: f64,
    pub row_height: f64,
    pub bar_height: f64,
}

const LABEL_FONT: f64 = 12.0;
const VALUE_FONT: f64 = 11.0;

impl Bars {
    /// Draws the bars in `frame`; returns the SVG and where the bars are.
    pub(super) fn draw(&self, frame: &Frame) -> (String, Geometry) {
        let width = frame::WIDTH;
        let values: Vec<f64> = self.bars.iter().filter_map(|b| b.value).collect();
        let all: Vec<f64> = values
            .iter()
            .copied()
            .chain(self.reference.as_ref().and_then(|r| r.value))
            .collect();
        let places = scale::decimals(&all);
        let mut lo = values.iter().copied().fold(0.0_f64, f64::min);
        let mut hi = values.iter().copied().fold(0.0_f64, f64::max);
        // England and Wales is drawn as a line when it falls among the forces (a rate); a
        // national total beside forces (a count) would squash every bar, so it is named.
        let reference_value = self.reference.as_ref().and_then(|r| r.value);
        let on_scale =
            reference_value.filter(|v| values.is_empty() || (*v >= lo && *v <= hi * 1.25));
        if let Some(v) = on_scale {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if hi == lo {
            hi = lo + 1.0;
        }
        let ticks = scale::ticks(lo, hi, 5);
        let (lo, hi) = (ticks[0].min(lo), ticks[ticks.len() - 1].max(hi));
        let tick_places = scale::decimals_for(ticks.get(1).map_or(1.0, |t| t - ticks[0]));

        let label_width = self
            .bars
            .iter()
            .map(|b| text_width(&b.label, LABEL_FONT, b.selected))
            .fold(0.0, f64::max)
            .min(220.0)
            + 10.0;
        let texts: Vec<String> = self
            .bars
            .iter()
            .map(|b| {
                b.value
                    .map_or("no figure".into(), |v| scale::number(v, places))
            })
            .collect();
        let value_width = texts
            .iter()
            .map(|t| text_width(t, VALUE_FONT, true))
            .fold(0.0, f64::max)
            + 10.0;
        let x0 = MARGIN + label_width + value_width;
        let x1 = width - MARGIN - 10.0;
        let at = |v: f64| x0 + (v - lo) / (hi - lo) * (x1 - x0);
        let row_height = if self.bars.len() > 20 { 20.0 } else { 26.0 };
        let bar_height = row_height - 6.0;

        let mut svg = Svg::new();
        let mut y = frame.header(&mut svg, width);
        y = self.key(&mut svg, y, width, on_scale.is_some(), places);
        let top = y + 18.0;
        let bottom = top + self.bars.len() as f64 * row_height;
        for t in &ticks {
            let x = at(*t);
            svg.line(x, top - 4.0, x, bottom, RULE, "");
            svg.text(
                x,
                bottom + 14.0,
                &scale::number(*t, tick_places),
                Font::new(10.5).fill(MUTED).anchor("middle"),
            );
        }
        let zero = at(0.0_f64.clamp(lo, hi));
        for (i, (b, text)) in self.bars.iter().zip(&texts).enumerate() {
            let ry = top + i as f64 * row_height;
            let font = Font::new(LABEL_FONT);
            let font = if b.selected { font.bold() } else { font };
            let label = svg::fit(&b.label, LABEL_FONT, label_width - 8.0, b.selected);
            let base = ry + bar_height * 0.5 + LABEL_FONT * 0.36;
            svg.text(MARGIN, base, &label, font);
            let value_font = Font::new(VALUE_FONT).anchor("end");
            let value_font = match (b.selected, b.value) {
                (true, _) => value_font.bold(),
                (_, None) => value_font.fill(MUTED),
                _ => value_font,
            };
            svg.text(x0 - 8.0, base, text, value_font);
            if let Some(v) = b.value {
                let (a, z) = (at(v), zero);
                let fill = if b.selected { BAR_SELECTED } else { BAR_PLAIN };
                svg.rect(a.min(z), ry, (a - z).abs(), bar_height, fill, "");
            }
        }
        svg.line(zero, top - 4.0, zero, bottom, INK, "");
        svg.text(
            (x0 + x1) / 2.0,
            bottom + 30.0,
            &self.measure,
            Font::new(10.5).fill(MUTED).anchor("middle"),
        );
        if let (Some(r), Some(v)) = (&self.reference, on_scale) {
            let x = at(v);
            svg.line(
                x,
                top - 10.0,
                x,
                bottom + 2.0,
                REFERENCE,
                r#" stroke-width="1.5" stroke-dasharray="5 3""#,
            );
            let text = format!("{} {}", r.label, scale::number(v, places));
            let anchor = if x > (x0 + x1) / 2.0 { "end" } else { "start" };
            let dx = if anchor == "end" { -4.0 } else { 4.0 };
            svg.text(
                x + dx,
                top - 8.0,
                &text,
                Font::new(10.5).bold().anchor(anchor),
            );
        }
        let height = frame.footer(&mut svg, bottom + 36.0, width, &self.coverage());
        let geometry = Geometry {
            zero,
            top,
            row_height,
            bar_height,
        };
        (
            svg.finish(width, height, &frame.title, &self.describe(frame, places)),
            geometry,
        )
    }

    /// The key above the bars: the chosen force, and England and Wales (a line, or a
    /// value off the scale).
    fn key(&self, svg: &mut Svg, y: f64, width: f64, reference_drawn: bool, places: usize) -> f64 {
        let mut x = MARGIN;
        let mut drew = false;
        if let Some(b) = self.bars.iter().find(|b| b.selected) {
            svg.rect(x, y, 14.0, 12.0, BAR_SELECTED, "");
            let text = format!("{} (chosen)", b.label);
            svg.text(x + 19.0, y + 10.5, &text, Font::new(11.0).bold());
            x += 19.0 + text_width(&text, 11.0, true) + 18.0;
            drew = true;
        }
        if let Some(r) = &self.reference {
            let value = r
                .value
                .map_or("no figure".into(), |v| scale::number(v, places));
            if reference_drawn {
                svg.line(
                    x + 7.0,
                    y - 1.0,
                    x + 7.0,
                    y + 13.0,
                    REFERENCE,
                    r#" stroke-width="1.5" stroke-dasharray="5 3""#,
                );
                svg.text(
                    x + 16.0,
                    y + 10.5,
                    &format!("{}: {value}", r.label),
                    Font::new(11.0),
                );
            } else {
                let text = format!(
                    "{}: {value} (the total of all forces, not drawn: it is beyond this scale)",
                    r.label
                );
                svg.text(
                    x,
                    y + 10.5,
                    &svg::fit(&text, 11.0, width - x - MARGIN, false),
                    Font::new(11.0),
                );
            }
            drew = true;
        }
        if drew { y + 22.0 } else { y }
    }

    fn coverage(&self) -> Vec<String> {
        let missing: Vec<&str> = self
            .bars
            .iter()
            .filter(|b| b.value.is_none())
            .map(|b| b.label.as_str())
            .collect();
        if missing.is_empty() {
            Vec::new()
        } else {
            vec![format!("No figure: {}.", missing.join(", "))]
        }
    }

    fn describe(&self, frame: &Frame, places: usize) -> String {
        let mut parts = vec![format!(
            "Bar chart of {} for {} areas.",
            self.measure,
            self.bars.len()
        )];
        let shown: Vec<String> = self
            .bars
            .iter()
            .map(|b| {
                let v = b
                    .value
                    .map_or("no figure".into(), |v| scale::number(v, places));
                if b.selected {
                    format!("{} {v} (chosen)", b.label)
                } else {
                    format!("{} {v}", b.label)
                }
            })
            .collect();
        parts.push(format!("{}.", shown.join("; ")));
        if let Some(r) = &self.reference {
            let v = r
                .value
                .map_or("no figure".into(), |v| scale::number(v, places));
            parts.push(format!("Reference: {} {v}.", r.label));
        }
        parts.push(frame.describe());
        parts.join(" ")
    }
}
