//! `peel import grades`: grades and published grade counts from CSV, one transaction per
//! file, written through the one loader ([`crate::load`]).
//!
//! [`parse`] reads the file without a database; [`store`] resolves each row's names
//! (force, cycle, item, grade) against the database and writes it. The checks, each an
//! error naming the file, line and column:
//! - the force is one of the 43 (by code, name, alias or anything peel resolves; in the
//!   full layout the printed name must agree with the code);
//! - the cycle is known, or declared by the file with `--create-items`;
//! - the item belongs to the cycle and was graded, or is declared with `--create-items`
//!   (level and wording, and `same_as` to continue an earlier item's series);
//! - the grade is on the cycle's scale (no Adequate before 2021/22);
//! - a grade that differs from the one held for the same force and item is refused
//!   unless `--replace`; the same grade from another source is kept as a further source;
//! - a derived grade has trust `low`.

pub mod parse;
mod store;

use std::path::Path;

use rusqlite::{Connection, Transaction, TransactionBehavior};
use serde::Serialize;

pub use parse::{CountRow, GradeFile, GradeRow, Layout, ParseError, excerpt, layout_named_by};
pub use store::store;

/// Choices for an import.
#[derive(Debug, Clone)]
pub struct GradeOptions {
    /// Let the file declare new cycles and items.
    pub create_items: bool,
    /// Replace a grade or count that differs from the one held.
    pub replace: bool,
    /// Trust of rows that give none.
    pub trust: String,
}

impl Default for GradeOptions {
    fn default() -> Self {
        GradeOptions {
            create_items: false,
            replace: false,
            trust: "medium".into(),
        }
    }
}

/// What an import stored (or would have, in a dry run).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GradeSummary {
    /// The file as named.
    pub file: String,
    /// The layout read.
    pub layout: String,
    /// Data rows read.
    pub rows: usize,
    /// New grades.
    pub grades_added: usize,
    /// Grades already held with the same grade from another source: this source was
    /// added beside it.
    pub grades_confirmed: usize,
    /// Grades already held from the same source.
    pub grades_already_held: usize,
    /// Grades replaced (`--replace`).
    pub grades_replaced: usize,
    /// Of the rows, how many were derived.
    pub derived: usize,
    /// Of the rows, how many were carried over from an earlier cycle.
    pub carried_over: usize,
    /// New counts.
    pub counts_added: usize,
    /// Counts already held.
    pub counts_already_held: usize,
    /// Counts replaced.
    pub counts_replaced: usize,
    /// Cycles the file declared.
    pub cycles_created: Vec<String>,
    /// Items the file declared.
    pub items_created: Vec<String>,
    /// How names were read when not exactly (`"cambs" read as Cambridgeshire`).
    pub notes: Vec<String>,
}

/// Why a file was not imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}{}: {message}",
    line.map(|l| format!(" line {l}")).unwrap_or_default(),
    column.as_ref().map(|c| format!(", column {c}")).unwrap_or_default())]
pub struct GradeError {
    /// The file as named.
    pub file: String,
    /// Its line.
    pub line: Option<u64>,
    /// Its column.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Imports one file in its own transaction (taking the write lock at once). With
/// `dry_run`, everything is checked and then rolled back. A file with triggers peel did
/// not make is refused, as for the other importers.
pub fn import_grades_file(
    conn: &mut Connection,
    path: &Path,
    opts: &GradeOptions,
    dry_run: bool,
) -> Result<GradeSummary, GradeError> {
    let name = path.display().to_string();
    let whole = |message: String| GradeError {
        file: name.clone(),
        line: None,
        column: None,
        message,
    };
    let bytes = crate::import::read_bounded(path).map_err(whole)?;
    crate::db::ensure_only_peels_triggers(conn).map_err(|e| whole(e.to_string()))?;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| whole(format!("database: {}", crate::exec::sqlite_message(&e))))?;
    let summary = import_grades_bytes(&tx, &name, &bytes, opts)?;
    let end = if dry_run { tx.rollback() } else { tx.commit() };
    end.map_err(|e| whole(format!("database: {}", crate::exec::sqlite_message(&e))))?;
    Ok(summary)
}

/// Reads `bytes` (named `name` in messages) and stores them inside `tx`.
pub fn import_grades_bytes(
    tx: &Transaction<'_>,
    name: &str,
    bytes: &[u8],
    opts: &GradeOptions,
) -> Result<GradeSummary, GradeError> {
    let file = parse::parse(bytes).map_err(|e| GradeError {
        file: name.to_string(),
        line: Some(e.line),
        column: e.column,
        message: e.message,
    })?;
    store(tx, name, &file, opts)
}
