//! Drawing a [`Grid`]: the legend, the column headers (turned when they are wider than a
//! cell), the cells, the counts per column and the coverage line.

use super::frame::{self, Frame, MARGIN};
use super::grid::{Cell, Grade, Grid};
use super::palette::{self, EMPTY_FILL, EMPTY_INK};
use super::svg::{self, Font, MUTED, RULE, Svg, text_width};

const CELL_FONT: f64 = 11.0;
const LABEL_FONT: f64 = 12.0;
const HEADER_FONT: f64 = 11.0;
const COUNT_FONT: f64 = 11.0;
const COUNT_ROW: f64 = 16.0;

/// Where each cell was drawn: for tests that read the picture back.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Geometry {
    pub left: f64,
    pub top: f64,
    pub cell_width: f64,
    pub row_height: f64,
}

impl Geometry {
    /// The top-left corner of cell (`row`, `column`).
    #[cfg(test)]
    pub(super) fn cell(&self, row: usize, column: usize) -> (f64, f64) {
        (
            self.left + column as f64 * self.cell_width,
            self.top + row as f64 * self.row_height,
        )
    }
}

impl Grid {
    fn present(&self) -> Vec<Grade> {
        Grade::ALL
            .into_iter()
            .filter(|g| {
                self.cells
                    .iter()
                    .flatten()
                    .any(|c| matches!(c, Cell::Grade(x, _) if x == g))
            })
            .collect()
    }

    fn count(&self, column: usize, wanted: Option<Grade>) -> usize {
        self.cells
            .iter()
            .filter(|r| match (r[column], wanted) {
                (Cell::Grade(g, _), Some(w)) => g == w,
                (Cell::Empty, None) => true,
                _ => false,
            })
            .count()
    }

    /// Draws the grid in `frame`; returns the SVG and where the cells are.
    pub(super) fn draw(&self, frame: &Frame) -> (String, Geometry) {
        let label_width = self
            .rows
            .iter()
            .map(|r| text_width(r, LABEL_FONT, false))
            .chain(
                Grade::ALL
                    .iter()
                    .map(|g| text_width(g.name(), COUNT_FONT, false) + 20.0),
            )
            .fold(0.0, f64::max)
            .min(240.0)
            + 10.0;
        let columns = self.columns.len() as f64;
        let room = frame::WIDTH - 2.0 * MARGIN - label_width;
        let cell_width = (room / columns).clamp(26.0, 72.0).floor();
        let header_widths: Vec<f64> = self
            .columns
            .iter()
            .map(|c| text_width(c, HEADER_FONT, true))
            .collect();
        let widest = header_widths.iter().copied().fold(0.0, f64::max);
        let rotated = widest > cell_width - 6.0;
        let grid_right = MARGIN + label_width + cell_width * columns;
        // A rotated header reaches right of its column by its width times cos 45°.
        let width = frame::WIDTH
            .max(grid_right + MARGIN + if rotated { widest * 0.71 } else { 0.0 })
            .ceil();
        let row_height = if self.rows.len() > 20 { 18.0 } else { 24.0 };

        let mut svg = Svg::new();
        svg.def(&format!(
            r#"<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="{EMPTY_FILL}"/><line x1="0" y1="0" x2="0" y2="6" stroke="{EMPTY_INK}" stroke-width="1"/></pattern>"#
        ));
        let mut y = frame.header(&mut svg, width);
        y = self.legend(&mut svg, y, width);

        let header_height = if rotated { widest * 0.71 + 10.0 } else { 18.0 };
        let top = y + header_height;
        let left = MARGIN + label_width;
        for (j, name) in self.columns.iter().enumerate() {
            let cx = left + (j as f64 + 0.5) * cell_width;
            let font = Font::new(HEADER_FONT).bold();
            if rotated {
                let (x, y) = (cx - 3.0, top - 6.0);
                svg.text_with(
                    x,
                    y,
                    name,
                    font,
                    &format!(
                        r#" transform="rotate(-45 {} {})""#,
                        svg::num(x),
                        svg::num(y)
                    ),
                );
            } else {
                svg.text(cx, top - 6.0, name, font.anchor("middle"));
            }
        }
        for (i, label) in self.rows.iter().enumerate() {
            let ry = top + i as f64 * row_height;
            // Every other label is shaded, so a long row can be followed across.
            if i % 2 == 1 {
                svg.rect(MARGIN - 4.0, ry, label_width, row_height, "#f2f2f2", "");
            }
            let text = svg::fit(label, LABEL_FONT, label_width - 8.0, false);
            svg.text(MARGIN, ry + row_height * 0.7, &text, Font::new(LABEL_FONT));
            for (j, c) in self.cells[i].iter().enumerate() {
                let x = left + j as f64 * cell_width;
                draw_cell(&mut svg, x, ry, cell_width, row_height, *c);
            }
        }
        let bottom = top + self.rows.len() as f64 * row_height;
        let y = self.counts(&mut svg, bottom + 8.0, left, cell_width);
        let y = frame.footer(&mut svg, y + 6.0, width, &self.coverage());
        let geometry = Geometry {
            left,
            top,
            cell_width,
            row_height,
        };
        (
            svg.finish(width, y, &frame.title, &self.describe(frame)),
            geometry,
        )
    }

    /// The legend: each grade the grid holds, then the empty cell and the derived mark.
    fn legend(&self, svg: &mut Svg, y: f64, width: f64) -> f64 {
        // `None` is the derived mark, explained with an asterisk rather than a swatch.
        let mut items: Vec<(Option<Cell>, &str)> = self
            .present()
            .into_iter()
            .map(|g| (Some(Cell::Grade(g, false)), g.name()))
            .collect();
        let cells = self.cells.iter().flatten();
        if cells.clone().any(|c| *c == Cell::Empty) {
            items.push((Some(Cell::Empty), self.empty_means()));
        }
        if cells.clone().any(|c| matches!(c, Cell::Grade(_, true))) {
            items.push((None, "derived from a source that does not state it"));
        }
        let mut x = MARGIN;
        let mut y = y + 4.0;
        for (c, name) in items {
            let w = 26.0 + text_width(name, COUNT_FONT, false) + 16.0;
            if x + w > width - MARGIN {
                x = MARGIN;
                y += 22.0;
            }
            match c {
                Some(c) => draw_cell(svg, x, y, 22.0, 18.0, c),
                None => svg.text(
                    x + 11.0,
                    y + 14.0,
                    "*",
                    Font::new(13.0).bold().anchor("middle"),
                ),
            }
            svg.text(x + 27.0, y + 13.5, name, Font::new(COUNT_FONT));
            x += w;
        }
        y + 28.0
    }

    /// Under each column, how many cells of each grade it holds.
    fn counts(&self, svg: &mut Svg, y: f64, left: f64, cell_width: f64) -> f64 {
        let mut kinds: Vec<Option<Grade>> = self.present().into_iter().map(Some).collect();
        if self.cells.iter().flatten().any(|c| *c == Cell::Empty) {
            kinds.push(None);
        }
        svg.text(
            MARGIN,
            y + 11.0,
            "Cells per column",
            Font::new(COUNT_FONT).bold(),
        );
        let mut y = y + 16.0;
        for kind in kinds {
            svg.line(
                MARGIN,
                y,
                left + cell_width * self.columns.len() as f64,
                y,
                RULE,
                "",
            );
            let name = kind.map_or("no grade", Grade::name);
            match kind {
                Some(g) => draw_cell(svg, MARGIN, y + 2.0, 16.0, 12.0, Cell::Grade(g, false)),
                None => draw_cell(svg, MARGIN, y + 2.0, 16.0, 12.0, Cell::Empty),
            }
            svg.text(MARGIN + 20.0, y + 12.0, name, Font::new(COUNT_FONT));
            for j in 0..self.columns.len() {
                let n = self.count(j, kind);
                let font = Font::new(COUNT_FONT).anchor("middle");
                let font = if n == 0 { font.fill(MUTED) } else { font };
                svg.text(
                    left + (j as f64 + 0.5) * cell_width,
                    y + 12.0,
                    &n.to_string(),
                    font,
                );
            }
            y += COUNT_ROW;
        }
        y
    }

    fn empty_means(&self) -> &'static str {
        if self.by_year {
            "no grade held (or not inspected that year)"
        } else {
            "no grade in the database"
        }
    }

    /// The coverage line: how many cells have no grade held.
    fn coverage(&self) -> Vec<String> {
        let total = self.rows.len() * self.columns.len();
        let empty = self
            .cells
            .iter()
            .flatten()
            .filter(|c| **c == Cell::Empty)
            .count();
        let derived = self
            .cells
            .iter()
            .flatten()
            .filter(|c| matches!(c, Cell::Grade(_, true)))
            .count();
        let mut lines = vec![format!(
            "{empty} of {total} cells: {} (hatched, –).",
            self.empty_means()
        )];
        if derived > 0 {
            lines.push(format!(
                "{derived} grades marked * are derived from a source that does not state them."
            ));
        }
        lines
    }

    fn describe(&self, frame: &Frame) -> String {
        let mut parts = vec![format!(
            "Grade grid: {} rows by {} columns ({}).",
            self.rows.len(),
            self.columns.len(),
            self.columns.join(", ")
        )];
        for (j, name) in self.columns.iter().enumerate() {
            let counts: Vec<String> = Grade::ALL
                .into_iter()
                .map(|g| (g, self.count(j, Some(g))))
                .filter(|(_, n)| *n > 0)
                .map(|(g, n)| format!("{} {n}", g.name()))
                .chain(
                    Some(self.count(j, None))
                        .filter(|n| *n > 0)
                        .map(|n| format!("no grade {n}")),
                )
                .collect();
            parts.push(format!("{name}: {}.", counts.join(", ")));
        }
        parts.push(frame.describe());
        parts.join(" ")
    }
}

/// One cell: its colour and label, or the hatching and dash of a missing grade.
fn draw_cell(svg: &mut Svg, x: f64, y: f64, w: f64, h: f64, c: Cell) {
    let (cx, cy) = (x + w / 2.0, y + h / 2.0 + CELL_FONT * 0.36);
    match c {
        Cell::Grade(g, derived) => {
            let (fill, ink) = palette::grade_colours(g);
            let border = if g == Grade::NotGraded {
                r##" stroke="#6b6b6b" stroke-width="1""##
            } else {
                r#" stroke="white" stroke-width="1""#
            };
            svg.rect(x, y, w, h, fill, border);
            let label = if derived {
                format!("{}*", g.short())
            } else {
                g.short().to_string()
            };
            if h >= 12.0 && w >= 14.0 {
                let size = if h < 16.0 { 9.0 } else { CELL_FONT };
                let cy = y + h / 2.0 + size * 0.36;
                svg.text(
                    cx,
                    cy,
                    &label,
                    Font::new(size).bold().fill(ink).anchor("middle"),
                );
            }
        }
        Cell::Empty => {
            svg.rect(
                x,
                y,
                w,
                h,
                "url(#hatch)",
                r#" stroke="white" stroke-width="1""#,
            );
            if h >= 16.0 {
                svg.text(
                    cx,
                    cy,
                    "–",
                    Font::new(CELL_FONT).bold().fill(EMPTY_INK).anchor("middle"),
                );
            }
        }
    }
}
