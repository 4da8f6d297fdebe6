//! `peel export`: a compact, checked, self-describing single-file copy of a database to
//! send to other analysts.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, params};

use crate::{check, db};

/// What an export wrote.
#[derive(Debug, Clone)]
pub struct Exported {
    /// The file written.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// Row counts of the tables, in schema order.
    pub counts: Vec<(String, i64)>,
}

fn temp_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(format!(".exporting-{}", std::process::id()));
    PathBuf::from(s)
}

/// Copies the database open on `conn` to `out` with `VACUUM INTO`, switches the copy to a
/// rollback journal (so it is one file, with no -wal beside it), records provenance in its
/// `meta`, analyses it and checks it. The copy is written under a temporary name and
/// renamed into place only when every check passed.
pub fn export(conn: &Connection, out: &Path, replace: bool) -> Result<Exported> {
    if out.exists() && !replace {
        bail!(crate::error::UsageError(format!(
            "{}: already exists; use --force to replace it",
            out.display()
        )));
    }
    db::install::remove_stale_temporaries(out);
    let tmp = temp_path(out);
    let result = write_copy(conn, &tmp);
    match result {
        Ok(counts) => {
            db::install::install(&tmp, out, db::install::Journal::Delete).map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                anyhow::Error::new(e).context("putting the export in place")
            })?;
            let bytes = std::fs::metadata(out)?.len();
            Ok(Exported {
                path: out.to_path_buf(),
                bytes,
                counts,
            })
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Replaces the copy's views and triggers with peel's own definitions, and drops triggers
/// peel does not make: what the export ships is peel's schema, whatever the file said.
/// (Tables cannot be rewritten this way; a table that differs fails the checks below.)
fn write_peels_views_and_triggers(copy: &Connection) -> Result<()> {
    let ours = db::definitions::peel_definitions();
    let theirs = db::definitions::definitions(copy)?;
    let tx = copy.unchecked_transaction()?;
    let peels = |d: &db::definitions::Definition| {
        ours.iter()
            .any(|o| o.kind == d.kind && o.name.eq_ignore_ascii_case(&d.name))
    };
    // Every trigger goes (peel's are written again below); of the views, only those
    // peel defines: an analyst's own views travel with the file.
    for d in theirs
        .iter()
        .filter(|d| d.kind == "trigger" || (d.kind == "view" && peels(d)))
    {
        tx.execute_batch(&format!(
            "DROP {} IF EXISTS {}",
            d.kind.to_uppercase(),
            quote_identifier(&d.name)
        ))?;
    }
    for d in ours
        .iter()
        .filter(|d| d.kind == "view" || d.kind == "trigger")
    {
        if let Some(sql) = &d.sql {
            tx.execute_batch(sql)?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// `name` as a SQL identifier: in double quotes, inner ones doubled.
pub fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn write_copy(conn: &Connection, tmp: &Path) -> Result<Vec<(String, i64)>> {
    if tmp.exists() {
        std::fs::remove_file(tmp)?;
    }
    let target = tmp
        .to_str()
        .context("the export path must be valid UTF-8")?;
    // VACUUM INTO writes only the new file, but `query_only` (which keeps the source
    // unchanged) refuses it too: lift it for this one statement of peel's own.
    let query_only: bool = conn.pragma_query_value(None, "query_only", |r| r.get(0))?;
    conn.pragma_update(None, "query_only", false)?;
    let copied = conn.execute("VACUUM INTO ?1", [target]);
    conn.pragma_update(None, "query_only", query_only)?;
    copied.with_context(|| format!("writing {}", tmp.display()))?;

    let copy = Connection::open(tmp)?;
    db::configure(&copy)?;
    // The copy carries whatever triggers the source had: they must not act on peel's
    // own writes below (meta), nor write anything else into the file being shipped.
    db::set_triggers(&copy, false)?;
    copy.pragma_update(None, "journal_mode", "delete")?;
    write_peels_views_and_triggers(&copy)?;
    let tables: Vec<String> = copy
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             ORDER BY rowid",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut counts = Vec::new();
    for t in &tables {
        let n: i64 = copy.query_row(
            &format!("SELECT count(*) FROM {}", quote_identifier(t)),
            [],
            |r| r.get(0),
        )?;
        counts.push((t.clone(), n));
    }
    let counts_json = serde_json::Value::Object(
        counts
            .iter()
            .map(|(table, n)| (table.clone(), (*n).into()))
            .collect(),
    )
    .to_string();
    let hashes: serde_json::Map<String, serde_json::Value> = copy
        .prepare("SELECT location, sha256 FROM sources WHERE sha256 IS NOT NULL ORDER BY location")?
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, serde_json::Value::String(r.get(1)?)))
        })?
        .collect::<rusqlite::Result<_>>()?;
    copy.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES
           ('peel_version', ?1),
           ('schema_version', ?2),
           ('exported_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
           ('row_counts', ?3),
           ('source_sha256', ?4)",
        params![
            env!("CARGO_PKG_VERSION"),
            db::SCHEMA_VERSION.to_string(),
            counts_json,
            serde_json::to_string(&hashes)?
        ],
    )?;
    copy.execute_batch("ANALYZE; VACUUM;")?;
    let failed: Vec<String> = check::run_checks(&copy)
        .into_iter()
        .filter(|f| !f.ok)
        .map(|f| format!("{}: {}", f.check, f.detail))
        .collect();
    if !failed.is_empty() {
        bail!("the exported copy failed its checks: {}", failed.join("; "));
    }
    copy.close().map_err(|(_, e)| e)?;
    Ok(counts)
}
