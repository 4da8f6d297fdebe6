//! The grade grid: one row per force (or item), one column per year or question, each cell
//! coloured by its grade with the grade's short label inside, a legend, and under the grid
//! how many cells of each grade every column holds. A cell with no grade in the database is
//! hatched grey with a dash, and counted.

use super::frame::{self, Frame, MARGIN};
use super::palette::{self, EMPTY_FILL, EMPTY_INK};
use super::svg::{self, Font, MUTED, RULE, Svg, text_width};
use crate::output::GradeColumns;
use crate::value::Value;

/// A grade as a cell shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Grade {
    Outstanding,
    Good,
    Adequate,
    RequiresImprovement,
    Inadequate,
    /// HMICFRS did not grade the force on this item (a fact, unlike an empty cell).
    NotGraded,
}

impl Grade {
    /// Best first, as the legend lists them.
    pub(super) const ALL: [Grade; 6] = [
        Grade::Outstanding,
        Grade::Good,
        Grade::Adequate,
        Grade::RequiresImprovement,
        Grade::Inadequate,
        Grade::NotGraded,
    ];

    /// The label inside a cell.
    pub(super) fn short(self) -> &'static str {
        match self {
            Grade::Outstanding => "O",
            Grade::Good => "G",
            Grade::Adequate => "A",
            Grade::RequiresImprovement => "RI",
            Grade::Inadequate => "I",
            Grade::NotGraded => "NG",
        }
    }

    /// The name in the legend.
    pub(super) fn name(self) -> &'static str {
        match self {
            Grade::Outstanding => "Outstanding",
            Grade::Good => "Good",
            Grade::Adequate => "Adequate",
            Grade::RequiresImprovement => "Requires improvement",
            Grade::Inadequate => "Inadequate",
            Grade::NotGraded => "Not graded",
        }
    }

    fn parse(text: &str) -> Option<Grade> {
        Grade::ALL
            .into_iter()
            .find(|g| g.name().eq_ignore_ascii_case(text))
    }
}

/// One cell of the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cell {
    /// A grade; `true` when it is derived from a source that does not state it.
    Grade(Grade, bool),
    /// No grade in the database.
    Empty,
}

/// What a value is as a cell: `None` when it is neither a grade nor a missing one.
/// `Good (derived)` is a derived grade; NULL and `not known` are empty cells.
fn cell(v: &Value) -> Option<Cell> {
    match v {
        Value::Null => Some(Cell::Empty),
        Value::Text(t) => {
            let t = t.trim();
            if t.eq_ignore_ascii_case("not known") {
                return Some(Cell::Empty);
            }
            match t.strip_suffix("(derived)") {
                Some(base) => Grade::parse(base.trim()).map(|g| Cell::Grade(g, true)),
                None => Grade::parse(t).map(|g| Cell::Grade(g, false)),
            }
        }
        _ => None,
    }
}

/// True when every value of column `i` is a grade or missing, and at least one is a grade.
pub(super) fn is_grade_column(rows: &[Vec<Value>], i: usize) -> bool {
    let mut any = false;
    for r in rows {
        match r.get(i).map(cell) {
            Some(Some(Cell::Grade(..))) => any = true,
            Some(Some(Cell::Empty)) | None => {}
            Some(None) => return false,
        }
    }
    any
}

/// A grid ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Grid {
    /// A long result laid out by year: an empty cell may be an item not inspected that
    /// year, which the result cannot tell from a grade not held.
    pub by_year: bool,
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<Cell>>,
}

fn find(columns: &[String], name: &str) -> Option<usize> {
    columns.iter().position(|c| c == name)
}

fn joined(row: &[Value], cols: &[usize]) -> String {
    cols.iter()
        .filter_map(|&i| row.get(i).and_then(Value::to_text))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The grid of a result: laid out as `how` says, with rows labelled by the `label`
/// columns (or `area_name`, or the first text column that is not a grade).
pub(super) fn build(
    columns: &[String],
    rows: &[Vec<Value>],
    label: &[String],
    how: &GradeColumns,
) -> Result<Grid, String> {
    let mut label_cols: Vec<usize> = label.iter().filter_map(|c| find(columns, c)).collect();
    let grade_cols: Vec<usize> = (0..columns.len())
        .filter(|&i| is_grade_column(rows, i))
        .collect();
    if label_cols.is_empty() {
        label_cols = find(columns, "area_name")
            .or_else(|| {
                (0..columns.len()).find(|&i| {
                    !grade_cols.contains(&i)
                        && rows
                            .iter()
                            .all(|r| matches!(r.get(i), Some(Value::Text(_) | Value::Null)))
                })
            })
            .into_iter()
            .collect();
    }
    if label_cols.is_empty() {
        return Err("no text column to label the rows of a grade grid".into());
    }
    let grid = match how {
        GradeColumns::Wide => Grid {
            by_year: false,
            rows: rows.iter().map(|r| joined(r, &label_cols)).collect(),
            columns: grade_cols.iter().map(|&i| columns[i].clone()).collect(),
            cells: rows
                .iter()
                .map(|r| {
                    grade_cols
                        .iter()
                        .map(|&i| r.get(i).and_then(cell).unwrap_or(Cell::Empty))
                        .collect()
                })
                .collect(),
        },
        GradeColumns::Named(pairs) => {
            let pairs: Vec<(usize, Option<usize>, &str)> = pairs
                .iter()
                .filter_map(|(value, header)| {
                    Some((find(columns, value)?, find(columns, header), value.as_str()))
                })
                .collect();
            Grid {
                by_year: false,
                rows: rows.iter().map(|r| joined(r, &label_cols)).collect(),
                columns: pairs
                    .iter()
                    .map(|(_, h, name)| {
                        h.and_then(|h| rows.first()?.get(h)?.to_text())
                            .unwrap_or_else(|| name.to_string())
                    })
                    .collect(),
                cells: rows
                    .iter()
                    .map(|r| {
                        pairs
                            .iter()
                            .map(|(v, _, _)| r.get(*v).and_then(cell).unwrap_or(Cell::Empty))
                            .collect()
                    })
                    .collect(),
            }
        }
        GradeColumns::Long { column, value } => {
            let (Some(c), Some(v)) = (find(columns, column), find(columns, value)) else {
                return Err(format!("the columns {column} and {value} are missing"));
            };
            long(rows, &label_cols, c, v)
        }
    };
    if grid.columns.is_empty() || grid.rows.is_empty() {
        return Err("no column of grades".into());
    }
    Ok(grid)
}

/// A long result (one row per item and year) as a grid: rows with equal labels form a row,
/// the values of column `c` name the columns (in order of their year when they all start
/// with one, else as they first appear), column `v` fills the cells.
fn long(rows: &[Vec<Value>], label_cols: &[usize], c: usize, v: usize) -> Grid {
    let mut names: Vec<String> = Vec::new();
    let mut labels: Vec<String> = Vec::new();
    for r in rows {
        let name = r.get(c).and_then(Value::to_text).unwrap_or_default();
        if !names.contains(&name) {
            names.push(name);
        }
        let label = joined(r, label_cols);
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    let yearly = names
        .iter()
        .all(|n| n.len() >= 4 && n[..4].bytes().all(|b| b.is_ascii_digit()));
    if yearly {
        names.sort();
    }
    let mut cells = vec![vec![Cell::Empty; names.len()]; labels.len()];
    for r in rows {
        let name = r.get(c).and_then(Value::to_text).unwrap_or_default();
        let label = joined(r, label_cols);
        let (Some(i), Some(j)) = (
            labels.iter().position(|l| *l == label),
            names.iter().position(|n| *n == name),
        ) else {
            continue;
        };
        if cells[i][j] == Cell::Empty {
            cells[i][j] = r.get(v).and_then(cell).unwrap_or(Cell::Empty);
        }
    }
    Grid {
        by_year: true,
        rows: labels,
        columns: names,
        cells,
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn values_are_grades_derived_grades_or_missing() {
        assert_eq!(cell(&t("Good")), Some(Cell::Grade(Grade::Good, false)));
        assert_eq!(
            cell(&t("Requires improvement (derived)")),
            Some(Cell::Grade(Grade::RequiresImprovement, true))
        );
        assert_eq!(cell(&t("not known")), Some(Cell::Empty));
        assert_eq!(cell(&Value::Null), Some(Cell::Empty));
        assert_eq!(cell(&t("Kent")), None);
        assert_eq!(cell(&Value::Integer(3)), None);
    }

    #[test]
    fn a_long_result_becomes_a_grid_with_years_in_order() {
        let columns: Vec<String> = ["pillar", "cycle", "grade"].map(String::from).to_vec();
        let rows = vec![
            vec![t("effectiveness"), t("2016"), t("Good")],
            vec![t("effectiveness"), t("2014"), t("Outstanding")],
            vec![t("legitimacy"), t("2016"), t("Inadequate")],
        ];
        let grid = build(
            &columns,
            &rows,
            &["pillar".into()],
            &GradeColumns::Long {
                column: "cycle".into(),
                value: "grade".into(),
            },
        )
        .unwrap();
        assert_eq!(grid.columns, ["2014", "2016"]);
        assert_eq!(grid.rows, ["effectiveness", "legitimacy"]);
        assert_eq!(
            grid.cells,
            vec![
                vec![
                    Cell::Grade(Grade::Outstanding, false),
                    Cell::Grade(Grade::Good, false)
                ],
                vec![Cell::Empty, Cell::Grade(Grade::Inadequate, false)],
            ]
        );
    }

    #[test]
    fn named_columns_take_their_header_from_the_first_row() {
        let columns: Vec<String> = [
            "area_name",
            "from_cycle",
            "from_grade",
            "to_cycle",
            "to_grade",
        ]
        .map(String::from)
        .to_vec();
        let rows = vec![vec![
            t("Kent"),
            t("2016"),
            t("Good"),
            t("2017"),
            t("Outstanding"),
        ]];
        let how = GradeColumns::Named(vec![
            ("from_grade".into(), "from_cycle".into()),
            ("to_grade".into(), "to_cycle".into()),
        ]);
        let grid = build(&columns, &rows, &[], &how).unwrap();
        assert_eq!(grid.columns, ["2016", "2017"]);
        assert_eq!(grid.rows, ["Kent"]);
    }
}
