//! Turning a long result (one row per force and question) into a grid (one row per force,
//! one column per question), as analysts lay grades out in a spreadsheet.
//!
//! The grid's column names are the values as the query gave them (`effectiveness`,
//! `Q17_E1`), in every format: csv and json readers get the full names. Only a table
//! fitted to a terminal abbreviates pillar names, when it needs the width, with a legend
//! (see the table format).

use crate::value::Value;

/// Which columns of a long result make the grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PivotSpec {
    /// Columns that identify a grid row (kept, in order, as the grid's first columns).
    pub rows: Vec<String>,
    /// The column whose values become the grid's column names.
    pub column: String,
    /// The column whose values fill the cells.
    pub value: String,
    /// A numeric column that orders the grid's columns (lowest first); without it, or on
    /// ties, columns keep the order they first appear in.
    pub order: Option<String>,
}

/// The column that carries each row's sources (see [`super::provenance`]); a grid row
/// carries the sources of every long row merged into it.
const SOURCES: &str = "_sources";

/// Pivots `rows` (with `columns`) by `spec`. Grid rows keep the order their keys first
/// appear in; a missing cell is NULL; when two long rows fill the same cell the first
/// wins. A result without the spec's columns is returned unchanged.
pub fn pivot(
    spec: &PivotSpec,
    columns: &[String],
    rows: &[Vec<Value>],
) -> (Vec<String>, Vec<Vec<Value>>) {
    let find = |name: &str| columns.iter().position(|c| c == name);
    let key_cols: Option<Vec<usize>> = spec.rows.iter().map(|c| find(c)).collect();
    let (Some(key_cols), Some(col), Some(val)) = (key_cols, find(&spec.column), find(&spec.value))
    else {
        return (columns.to_vec(), rows.to_vec());
    };
    let order = spec.order.as_deref().and_then(find);
    let sources = find(SOURCES);

    // Grid columns: (name, order key, first appearance).
    let mut grid_cols: Vec<(String, f64, usize)> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let name = r[col].to_text().unwrap_or_default();
        let rank = match order.map(|o| &r[o]) {
            Some(Value::Integer(n)) => *n as f64,
            Some(Value::Real(f)) => *f,
            _ => f64::INFINITY,
        };
        match grid_cols.iter_mut().find(|(n, _, _)| *n == name) {
            Some(entry) => entry.1 = entry.1.min(rank),
            None => grid_cols.push((name, rank, i)),
        }
    }
    grid_cols.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.2.cmp(&b.2)));

    let mut grid: Vec<(Vec<Value>, Vec<Value>, Vec<String>)> = Vec::new();
    for r in rows {
        let key: Vec<Value> = key_cols.iter().map(|&k| r[k].clone()).collect();
        let index = match grid.iter().position(|(k, _, _)| *k == key) {
            Some(i) => i,
            None => {
                grid.push((key, vec![Value::Null; grid_cols.len()], Vec::new()));
                grid.len() - 1
            }
        };
        let name = r[col].to_text().unwrap_or_default();
        if let Some(c) = grid_cols.iter().position(|(n, _, _)| *n == name) {
            let cell = &mut grid[index].1[c];
            if *cell == Value::Null {
                *cell = r[val].clone();
            }
        }
        if let Some(Value::Text(s)) = sources.map(|s| &r[s]) {
            for line in s.lines() {
                if !grid[index].2.iter().any(|x| x == line) {
                    grid[index].2.push(line.to_string());
                }
            }
        }
    }

    let mut out_columns: Vec<String> = spec.rows.clone();
    out_columns.extend(grid_cols.iter().map(|(n, _, _)| n.clone()));
    if sources.is_some() {
        out_columns.push(SOURCES.into());
    }
    let out_rows = grid
        .into_iter()
        .map(|(mut key, cells, srcs)| {
            key.extend(cells);
            if sources.is_some() {
                key.push(if srcs.is_empty() {
                    Value::Null
                } else {
                    Value::Text(srcs.join("\n"))
                });
            }
            key
        })
        .collect();
    (out_columns, out_rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn long_rows_become_a_grid_ordered_by_the_order_column() {
        let spec = PivotSpec {
            rows: vec!["area_name".into()],
            column: "question".into(),
            value: "grade".into(),
            order: Some("question_order".into()),
        };
        let columns: Vec<String> = [
            "area_name",
            "question",
            "grade",
            "question_order",
            "_sources",
        ]
        .iter()
        .map(|c| c.to_string())
        .collect();
        let rows = vec![
            vec![
                t("Durham"),
                t("prevention"),
                t("Good"),
                Value::Integer(2),
                t("a"),
            ],
            vec![
                t("Durham"),
                t("effectiveness"),
                t("Outstanding"),
                Value::Integer(1),
                t("b"),
            ],
            vec![
                t("Kent"),
                t("effectiveness"),
                t("Good"),
                Value::Integer(1),
                t("b\nc"),
            ],
        ];
        let (c, r) = pivot(&spec, &columns, &rows);
        assert_eq!(c, ["area_name", "effectiveness", "prevention", "_sources"]);
        assert_eq!(
            r,
            vec![
                vec![t("Durham"), t("Outstanding"), t("Good"), t("a\nb")],
                vec![t("Kent"), t("Good"), Value::Null, t("b\nc")],
            ]
        );
    }

    #[test]
    fn a_result_without_the_columns_is_unchanged() {
        let spec = PivotSpec {
            rows: vec!["x".into()],
            column: "y".into(),
            value: "z".into(),
            order: None,
        };
        let columns = vec!["a".to_string()];
        let rows = vec![vec![Value::Integer(1)]];
        assert_eq!(
            pivot(&spec, &columns, &rows),
            (columns.clone(), rows.clone())
        );
    }
}
