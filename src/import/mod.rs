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

/// Why `path` cannot be read as an input file, or `None` when it is a regular file peel
/// may open: each case in its own words (a pipe, a folder, a device and a missing file
/// are different mistakes), never "no such file" for a file that is there.
pub fn input_file_problem(path: &Path) -> Option<String> {
    use std::os::unix::fs::FileTypeExt;
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some("no such file".into()),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Some("cannot be read: permission denied".into());
        }
        Err(e) => return Some(format!("cannot be read: {e}")),
    };
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    Some(
        if kind.is_dir() {
            "is a folder, not a file"
        } else if kind.is_fifo() {
            "is a pipe, not a file: save the data to a file first"
        } else if kind.is_char_device() || kind.is_block_device() {
            "is a device, not a file: save the data to a file first"
        } else if kind.is_socket() {
            "is a socket, not a file"
        } else {
            "is not a regular file"
        }
        .into(),
    )
}

/// Reads a whole file, refusing what is not a regular file (a fifo or device would never
/// end) and what is larger than [`MAX_WHOLE_FILE`]. The error is one line for the user.
pub fn read_bounded(path: &Path) -> std::result::Result<Vec<u8>, String> {
    use std::io::Read;
    if let Some(problem) = input_file_problem(path) {
        return Err(problem);
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

/// Why a file's bytes are not UTF-8 CSV at all, judged from their start: a byte order
/// mark or NUL bytes of UTF-16 or UTF-32 (a spreadsheet's "Unicode text" export). Said
/// first, so the user is not told the header lacks columns it has.
pub fn foreign_encoding(start: &[u8]) -> Option<String> {
    let saved_as = "save the sheet as \"CSV UTF-8\"";
    if start.starts_with(&[0xFF, 0xFE, 0x00, 0x00]) || start.starts_with(&[0x00, 0x00, 0xFE, 0xFF])
    {
        return Some(format!(
            "is UTF-32 text (byte order mark found), not UTF-8; {saved_as}"
        ));
    }
    if start.starts_with(&[0xFF, 0xFE]) {
        return Some(format!(
            "is UTF-16 little-endian text (byte order mark FF FE), not UTF-8; {saved_as}"
        ));
    }
    if start.starts_with(&[0xFE, 0xFF]) {
        return Some(format!(
            "is UTF-16 big-endian text (byte order mark FE FF), not UTF-8; {saved_as}"
        ));
    }
    crate::report::decode::utf16_without_bom(start).map(|which| {
        format!("looks like UTF-16 {which} text (NUL in every other byte), not UTF-8; {saved_as}")
    })
}

/// The first column name a header holds twice (compared trimmed and ignoring case, as
/// the importers read names), as a message naming both positions: with two `value`
/// columns, one would be used silently.
pub fn duplicate_column(header: &[String]) -> Option<String> {
    let key = |h: &String| h.trim().trim_start_matches('\u{feff}').to_lowercase();
    for (i, a) in header.iter().enumerate() {
        if key(a).is_empty() {
            continue;
        }
        if let Some(j) = header[i + 1..].iter().position(|b| key(b) == key(a)) {
            return Some(format!(
                "column {} appears twice (columns {} and {}); each column must be named once",
                crate::output::safe::visible(a.trim(), 60),
                i + 1,
                i + j + 2
            ));
        }
    }
    None
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
    // A UTF-16 file has no readable header: no layout, so the importer it goes to
    // names the encoding.
    if foreign_encoding(&head).is_some() {
        return Ok(Vec::new());
    }
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

#[cfg(test)]
mod header_tests {
    use super::*;

    #[test]
    fn utf16_and_utf32_are_named_before_anything_else() {
        let utf16: Vec<u8> = "area,period\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert!(
            foreign_encoding(&utf16)
                .unwrap()
                .contains("UTF-16 little-endian")
        );
        let with_bom = [&[0xFF, 0xFE][..], &utf16].concat();
        assert!(
            foreign_encoding(&with_bom)
                .unwrap()
                .contains("byte order mark FF FE")
        );
        assert_eq!(foreign_encoding(b"area,period\n"), None);
    }

    #[test]
    fn a_column_named_twice_is_named() {
        let header: Vec<String> = ["area", "Value", "period", " value "]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            duplicate_column(&header).as_deref(),
            Some("column Value appears twice (columns 2 and 4); each column must be named once")
        );
        let fine: Vec<String> = ["area", "value", "", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(duplicate_column(&fine), None);
    }
}
