//! Importing into a database, one transaction per file, so a file is stored whole or not
//! at all: report text (parsed by `crate::report`, stored by `store`), grades and grade
//! counts from CSV (`grades`), and bulk figures from CSV (`bulk`, with `periods` for the
//! period forms it reads and `home_office` for the Home Office recorded crime table).
//! Every importer writes through the one loader, [`crate::load`].

pub mod bulk;
pub mod file;
pub mod grades;
pub mod home_office;
pub mod periods;
pub mod series;
pub mod store;

use std::path::Path;

use anyhow::{Context, Result};
use rusqlite::{Connection, Transaction, TransactionBehavior};
use sha2::{Digest, Sha256};

use crate::report::{self, ReportFacts};
pub use store::{ReportFile, StoreError, Stored};

/// The largest file an importer reads whole (grades files and report text are far
/// smaller; CSV figures are streamed instead).
pub const MAX_WHOLE_FILE: u64 = 256 * 1024 * 1024;

/// Reads a whole file, refusing what is not a regular file (a fifo or device would never
/// end) and what is larger than [`MAX_WHOLE_FILE`]. The error is one line for the user.
pub fn read_bounded(path: &Path) -> std::result::Result<Vec<u8>, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if meta.is_dir() {
        return Err("is a folder, not a file".into());
    }
    if !meta.is_file() {
        return Err("is not a regular file".into());
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_WHOLE_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_WHOLE_FILE {
        return Err(format!(
            "is larger than {} MiB",
            MAX_WHOLE_FILE / (1024 * 1024)
        ));
    }
    Ok(bytes)
}

/// Whether a CSV file has the series layout ([`series`]): its first line after `#`
/// comments is that layout's header. Reads at most the first 64 KiB.
pub fn is_series_file(path: &Path) -> std::io::Result<bool> {
    Ok(series::is_series_header(&csv_header(path)?))
}

/// The cells of a CSV file's first line after `#` comments, split at commas: enough to
/// tell the layouts apart, which all name plain columns. Reads at most the first 64 KiB.
pub fn csv_header(path: &Path) -> std::io::Result<Vec<String>> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path)?
        .take(64 * 1024)
        .read_to_end(&mut head)?;
    let text = String::from_utf8_lossy(&head);
    let header = text
        .lines()
        .find(|l| !l.starts_with('#'))
        .unwrap_or_default()
        .trim_start_matches('\u{feff}');
    Ok(header.split(',').map(str::to_string).collect())
}

/// What importing one series file did, and the rates refreshed after it.
#[derive(Debug, Clone, Default)]
pub struct SeriesImported {
    /// The rows stored.
    pub summary: series::SeriesSummary,
    /// The rates derived again from every figure and population held.
    pub rates: crate::load::rates::Derived,
}

/// Reads a series file's bytes (named `name` in messages) and stores it inside `tx`, then
/// derives every rate again, in the same transaction.
pub fn import_series_bytes(
    tx: &Transaction<'_>,
    name: &str,
    bytes: &[u8],
    replace: bool,
    create_metrics: bool,
) -> Result<SeriesImported> {
    let rows = series::parse(bytes).map_err(|e| anyhow::anyhow!("{name} {e}"))?;
    let summary = series::store(tx, name, &rows, replace, create_metrics)
        .map_err(|e| anyhow::anyhow!("{name} {e}"))?;
    let rates = crate::load::rates::derive_rates(tx)?;
    Ok(SeriesImported { summary, rates })
}

/// Imports one series file in its own transaction (write lock at once); with `dry_run`,
/// checked and rolled back. A file with triggers peel did not make is refused.
pub fn import_series_file(
    conn: &mut Connection,
    path: &Path,
    replace: bool,
    create_metrics: bool,
    dry_run: bool,
) -> Result<SeriesImported> {
    let name = path.display().to_string();
    let bytes = read_bounded(path).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    crate::db::ensure_only_peels_triggers(conn)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let imported = import_series_bytes(&tx, &name, &bytes, replace, create_metrics)?;
    if dry_run {
        tx.rollback()?;
    } else {
        tx.commit()?;
    }
    Ok(imported)
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of a digest (shared with the streaming hash of `bulk`).
pub(crate) fn hex(digest: &[u8]) -> String {
    use std::fmt::Write;
    digest.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The outcome of importing one report.
#[derive(Debug, Clone)]
pub struct Imported {
    /// What the parser read.
    pub facts: ReportFacts,
    /// What was written (or would have been, in a dry run).
    pub stored: Stored,
}

/// Parses `bytes` (named `name` in messages and provenance) and stores the facts in `tx`.
pub fn import_report_bytes(
    tx: &Transaction<'_>,
    name: &str,
    bytes: &[u8],
    replace: bool,
) -> Result<Imported> {
    let facts = report::parse_report_bytes(bytes).with_context(|| name.to_string())?;
    let sha = sha256_hex(bytes);
    let stored = store::store_report(tx, &facts, &ReportFile { name, sha256: &sha }, replace)
        .with_context(|| name.to_string())?;
    Ok(Imported { facts, stored })
}

/// Imports one report file in its own transaction. With `dry_run`, everything is checked
/// against the database and then rolled back.
///
/// A file with triggers peel did not make is refused ([`crate::db::ensure_only_peels_triggers`]):
/// peel's count triggers must run, and a trigger added to a file someone sent must not
/// run with them and change or remove what the report says. The
/// transaction takes the write lock at once (`BEGIN IMMEDIATE`): a deferred one that
/// read first could find another writer's commit in between and fail with "database is
/// locked" without waiting.
pub fn import_report_file(
    conn: &mut Connection,
    path: &Path,
    replace: bool,
    dry_run: bool,
) -> Result<Imported> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("{name}: cannot read"))?;
    crate::db::ensure_only_peels_triggers(conn)?;
    import_in_transaction(conn, &name, &bytes, replace, dry_run)
}

fn import_in_transaction(
    conn: &mut Connection,
    name: &str,
    bytes: &[u8],
    replace: bool,
    dry_run: bool,
) -> Result<Imported> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let imported = import_report_bytes(&tx, name, bytes, replace)?;
    if dry_run {
        tx.rollback()?;
    } else {
        tx.commit()?;
    }
    Ok(imported)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_a_known_digest() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
