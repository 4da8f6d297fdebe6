//! The database-path policy: which file a command works on, building the default one on
//! first use, and reading the text files commands are given.

use std::path::{Path, PathBuf};

use anyhow::Result;
use rusqlite::Connection;

use super::UsageError;
use crate::cli::GlobalArgs;
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
        say!(
            "peel: {} not found; building it from the embedded seed (first use)",
            path.display()
        );
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
            say!(
                "peel: note: {} has schema version {found}; reading an upgraded copy in memory (the file is unchanged; a command that writes upgrades it)",
                path.display()
            );
            Ok(db::open_upgraded_copy(&path)?)
        }
        other => Ok(other?),
    }
}

/// Opens the database for a command that adds to it (an import, a saved query), after
/// checking that the file is not damaged.
pub(super) fn open_for_writing(global: &GlobalArgs) -> Result<Connection> {
    let conn = open_database(global, Access::ReadWrite)?;
    db::check_writable(&conn, &database_path(global).0)?;
    Ok(conn)
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
