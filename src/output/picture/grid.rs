//! The grade grid: one row per force (or item), one column per year or question, each cell
//! coloured by its grade with the grade's short label inside, a legend, and under the grid
//! how many cells of each grade every column holds. A cell with no grade in the database is
//! hatched grey with a dash, and counted. This file reads a result into a [`Grid`];
//! [`super::grid_draw`] draws it.

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
