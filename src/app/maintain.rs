//! `peel init`, `peel check` and `peel export`: building, checking and shipping a file.

use anyhow::{Context, Result, bail};

use super::database::{database_path, open_database};
use super::{UsageError, console, tell};
use crate::cli::{ExportArgs, GlobalArgs, InitArgs};
use crate::console::Mode;
use crate::db::{self, Access, DbError};
use crate::value::Value;
use crate::{check, export, seed};

pub(super) fn init(global: &GlobalArgs, args: &InitArgs) -> Result<()> {
    let (path, _) = database_path(global);
    if path.exists() && !args.force {
        return Err(UsageError(format!(
            "{}: already exists; use --force to replace it",
            path.display()
        ))
        .into());
    }
    let counts = seed::build_database(&path, args.force)?;
    tell(Some(console(global, Mode::Command).say(&format!(
        "built {} ({} areas, {} judgments, {} figures, {} sources)",
        path.display(),
        counts.areas,
        counts.judgments,
        counts.metric_values,
        counts.sources
    ))));
    Ok(())
}

pub(super) fn check(global: &GlobalArgs) -> Result<()> {
    let (path, explicit) = database_path(global);
    if !explicit && !path.exists() {
        return Err(DbError::Missing(path).into());
    }
    // Checking never changes the file.
    let access = if global.readonly {
        Access::ReadOnly
    } else {
        Access::Query
    };
    let conn = db::open(&path, access)?;
    let findings = check::run_checks(&conn);
    let failed = findings.iter().filter(|f| !f.ok).count();
    let rows = findings
        .iter()
        .map(|f| {
            vec![
                Value::Text(f.check.to_string()),
                Value::Text(if f.ok { "ok" } else { "FAILED" }.to_string()),
                Value::Text(f.detail.clone()),
            ]
        })
        .collect();
    console(global, Mode::Command).print_rows(&["check", "result", "detail"], rows)?;
    if failed > 0 {
        let names: Vec<&str> = findings.iter().filter(|f| !f.ok).map(|f| f.check).collect();
        bail!(
            "{}: {failed} of {} checks failed: {}",
            path.display(),
            findings.len(),
            names.join("; ")
        );
    }
    tell(Some(console(global, Mode::Command).say(&format!(
        "{}: all {} checks passed",
        path.display(),
        findings.len()
    ))));
    Ok(())
}

/// Refuses outputs that would overwrite the database being read (or its journal, WAL or
/// shared memory) or each other, before anything is written.
fn check_outputs(global: &GlobalArgs, args: &ExportArgs) -> Result<()> {
    let (source, _) = database_path(global);
    let mut outputs: Vec<(&str, &std::path::Path)> = Vec::new();
    if let Some(out) = &args.out {
        outputs.push(("the export", out));
    }
    if let Some(meta) = &args.datasette {
        outputs.push(("the Datasette metadata", meta));
    }
    for (what, path) in &outputs {
        if let Some(how) = db::install::overlaps(path, &source) {
            bail!(UsageError(format!(
                "{}: {what} would overwrite the database being exported ({how})",
                path.display()
            )));
        }
    }
    if let [(_, out), (_, meta)] = outputs[..]
        && let Some(how) = db::install::overlaps(meta, out)
    {
        bail!(UsageError(format!(
            "{}: the Datasette metadata would overwrite the export ({how}); give it another name",
            meta.display()
        )));
    }
    Ok(())
}

pub(super) fn export(global: &GlobalArgs, args: &ExportArgs) -> Result<()> {
    check_outputs(global, args)?;
    if let Some(meta) = &args.datasette
        && meta.exists()
        && !args.force
    {
        return Err(UsageError(format!(
            "{}: already exists; use --force to replace it",
            meta.display()
        ))
        .into());
    }
    let conn = open_database(global, Access::Query)?;
    let mut rows = Vec::new();
    let db_name = match &args.out {
        Some(out) => {
            let exported = export::export(&conn, out, args.force)?;
            rows.push(vec![
                Value::Text("file".into()),
                Value::Text(exported.path.display().to_string()),
            ]);
            rows.push(vec![
                Value::Text("bytes".into()),
                Value::Integer(exported.bytes as i64),
            ]);
            for (table, n) in &exported.counts {
                rows.push(vec![
                    Value::Text(format!("rows in {table}")),
                    Value::Integer(*n),
                ]);
            }
            out.clone()
        }
        None => database_path(global).0,
    }
    .file_stem()
    .map(|s| s.to_string_lossy().into_owned())
    .unwrap_or_else(|| "peel".into());
    if let Some(meta) = &args.datasette {
        let (document, skipped) = crate::datasette::metadata(&conn, &db_name)?;
        for query in skipped {
            tell(
                console(global, Mode::Command)
                    .note(&format!("left out of the Datasette metadata: {query}")),
            );
        }
        let text = serde_json::to_string_pretty(&document)? + "\n";
        write_whole(meta, text.as_bytes())
            .with_context(|| format!("writing {}", meta.display()))?;
        rows.push(vec![
            Value::Text("datasette metadata".into()),
            Value::Text(meta.display().to_string()),
        ]);
    }
    Ok(console(global, Mode::Command).print_rows(&["item", "value"], rows)?)
}

/// Writes `bytes` to `path` whole or not at all: into a temporary file beside it, synced,
/// then renamed over it, so a full disk or a kill never leaves half a file.
fn write_whole(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    db::install::remove_stale_temporaries(path);
    let tmp = db::sidecar(path, &format!(".writing-{}", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
