//! The database-path policy: which file a command works on, building the default one on
//! first use, and reading the text files commands are given.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rusqlite::Connection;

use super::{UsageError, console, tell};
use crate::cli::GlobalArgs;
use crate::console::Mode;
use crate::db::{self, Access, DbError};
use crate::seed;

/// The database path and whether the user named it with --db.
pub(super) fn database_path(global: &GlobalArgs) -> (PathBuf, bool) {
    if let Some(p) = &global.db {
        return (p.clone(), true);
    }
    match std::env::var_os("PEEL_DB") {
        Some(p) if !p.is_empty() => (PathBuf::from(p), false),
        _ => (PathBuf::from("peel.db"), false),
    }
}

/// Opens the database for a command, building the default one on first use. `wanted` is
/// what the command needs; `--readonly` makes every command read-only.
pub(super) fn open_database(global: &GlobalArgs, wanted: Access) -> Result<Connection> {
    let (path, explicit) = database_path(global);
    if !explicit && !path.exists() {
        let console = console(global, Mode::Command);
        tell(Some(console.say(&format!(
            "{} not found; building it from the embedded seed (first use)",
            path.display()
        ))));
        seed::build_database(&path, false)?;
    }
    let access = if global.readonly {
        Access::ReadOnly
    } else {
        wanted
    };
    match db::open(&path, access) {
        // A command that only reads never changes the file, not even to upgrade it: it
        // reads an upgraded copy in memory. Commands that write upgrade the file.
        Err(DbError::OlderReadOnly { found, .. }) => {
            tell(console(global, Mode::Command).note(&format!(
                "{} has schema version {found}; reading an upgraded copy in memory (the file is unchanged; a command that writes upgrades it)",
                path.display()
            )));
            Ok(db::open_upgraded_copy(&path)?)
        }
        other => Ok(other?),
    }
}

/// Runs `write`, a command that adds to the database (an import, a saved query), on the
/// file opened for writing after checking that it is not damaged. `write` sets its flag
/// once it has stored something.
///
/// An older file is upgraded for the command; if the command then fails before storing
/// anything, the file is put back as it was, schema version included: a refused import
/// never leaves a file changed.
pub(super) fn with_writable<T>(
    global: &GlobalArgs,
    write: impl FnOnce(&mut Connection, &mut bool) -> Result<T>,
) -> Result<T> {
    let (path, explicit) = database_path(global);
    let older = (explicit || path.exists())
        && !global.readonly
        && matches!(
            db::open(&path, Access::Query),
            Err(DbError::OlderReadOnly { .. })
        );
    let snapshot = if older {
        Some(snapshot_of(&path)?)
    } else {
        None
    };
    let mut stored = false;
    // `data_version` changes when another connection commits: a file someone else wrote
    // to after the upgrade is not put back, or their work would be lost.
    let mut others_wrote = false;
    let result = open_database(global, Access::ReadWrite).and_then(|mut conn| {
        let version = data_version(&conn);
        db::check_writable(&conn, &path)?;
        let result = write(&mut conn, &mut stored);
        others_wrote = version.is_none() || data_version(&conn) != version;
        result
    });
    if let Some((snapshot, journal)) = snapshot {
        if result.is_err() && !stored && !others_wrote {
            if let Err(restore) = db::install::install(&snapshot, &path, journal) {
                let failed = result
                    .err()
                    .map(|e| super::error_line(&e))
                    .unwrap_or_default();
                anyhow::bail!(
                    "{failed}; and putting the file back as it was before the upgrade failed: {restore}; the copy is {}",
                    snapshot.display()
                );
            }
        } else {
            let _ = std::fs::remove_file(&snapshot);
        }
    }
    result
}

/// `PRAGMA data_version` of this connection, or `None` when it cannot be read.
fn data_version(conn: &Connection) -> Option<i64> {
    conn.pragma_query_value(None, "data_version", |r| r.get(0))
        .ok()
}

/// A copy of the file as it is now, beside it (named so that a later run removes it if
/// this one is killed), and the journal mode to put it back in.
fn snapshot_of(path: &Path) -> Result<(PathBuf, db::install::Journal)> {
    db::install::remove_stale_temporaries(path);
    let copy = db::sidecar(path, &format!(".writing-{}", std::process::id()));
    // A file of this process's id left by an earlier run that had the same id.
    let _ = std::fs::remove_file(&copy);
    let target = copy
        .to_str()
        .context("the database's path must be valid UTF-8 to upgrade it")?;
    let from = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    db::configure(&from)?;
    let mode: String = from.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
    let journal = if mode.eq_ignore_ascii_case("wal") {
        db::install::Journal::Wal
    } else {
        db::install::Journal::Delete
    };
    from.execute("VACUUM INTO ?1", [target])
        .with_context(|| format!("copying {} before upgrading it", path.display()))?;
    Ok((copy, journal))
}

/// A UTF-8 text file's contents; a file that cannot be read or is not UTF-8 is a usage
/// error naming it.
pub(super) fn read_text_file(path: &Path) -> Result<String> {
    let bytes = crate::import::read_bounded(path)
        .map_err(|problem| UsageError(format!("{}: {problem}", path.display())))?;
    String::from_utf8(bytes).map_err(|e| {
        UsageError(format!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
        .into()
    })
}
