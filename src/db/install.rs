//! Putting a database peel built (`init`, the first-use build, `export`) where the user
//! asked, whole, whatever is already there.
//!
//! Renaming a new file over an old database is not enough: a `-journal` or `-wal` left
//! beside the old file would be rolled into the new one the next time anything opens it
//! (and damage it), and a process that has the old file open keeps writing into the
//! unlinked file and reports a success that is lost. So:
//! - when a database is already at the path, the new one is copied into it through
//!   SQLite's backup API, which takes SQLite's own locks (a running import finishes first,
//!   or starts after, and writes into the new content) and handles the old file's journal
//!   or WAL as SQLite always does;
//! - when nothing usable is there (no file, or a file that is not a SQLite database), the
//!   journal, WAL and shared-memory files beside the path belong to no database: they are
//!   removed, then the new file is renamed into place.

use std::path::Path;
use std::thread::sleep;
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::sidecar;

/// How long to wait for other connections to the target to let go.
const WAIT: Duration = Duration::from_secs(10);

/// The files SQLite may keep beside a database.
const SIDECARS: [&str; 3] = ["-journal", "-wal", "-shm"];

/// The journal mode the installed file is left in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Journal {
    /// Write-ahead log: readers never wait for an import (peel's working files).
    Wal,
    /// Rollback journal: one file, nothing beside it (exports to send to others).
    Delete,
}

impl Journal {
    fn pragma(self) -> &'static str {
        match self {
            Journal::Wal => "wal",
            Journal::Delete => "delete",
        }
    }
}

/// Why a built database could not be put in place.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// SQLite failed while copying into the existing database.
    #[error("{}: {message}", target)]
    Copy {
        /// The target path, as shown.
        target: String,
        /// What went wrong.
        message: String,
    },
    /// The file system refused (rename, remove).
    #[error("{}: {source}", target)]
    Io {
        /// The target path, as shown.
        target: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// Moves the finished database at `built` to `target` (see the module documentation),
/// leaving it in `journal` mode; `built` is gone afterwards.
pub fn install(built: &Path, target: &Path, journal: Journal) -> Result<(), InstallError> {
    let shown = target.display().to_string();
    let existing = open_existing(target).map_err(|message| InstallError::Copy {
        target: shown.clone(),
        message,
    })?;
    if let Some(mut existing) = existing {
        copy_into(built, &mut existing, journal).map_err(|message| InstallError::Copy {
            target: shown.clone(),
            message,
        })?;
        drop(existing);
        // The built file, and the WAL and shared memory that reading it made beside it.
        let _ = std::fs::remove_file(built);
        let _ = remove_orphan_sidecars(built);
        return Ok(());
    }
    let io = |source| InstallError::Io {
        target: shown.clone(),
        source,
    };
    remove_orphan_sidecars(target).map_err(io)?;
    std::fs::rename(built, target).map_err(io)
}

/// A read-write connection to the SQLite database at `target`, or `None` when there is
/// none there to preserve: no file, an empty one, or one SQLite says is not a database.
/// Any other failure (busy past the wait, an I/O or permission error) is an error: the
/// file may be a live database whose journal must not be removed.
fn open_existing(target: &Path) -> Result<Option<Connection>, String> {
    match std::fs::metadata(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
        Ok(meta) if !meta.is_file() => return Err("is not a file".into()),
        Ok(meta) if meta.len() == 0 => return Ok(None),
        Ok(_) => {}
    }
    let opened = Connection::open_with_flags(
        target,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .and_then(|conn| {
        conn.busy_timeout(WAIT)?;
        // Reading the schema makes SQLite look at the file (and roll back a hot journal).
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
            r.get::<_, i64>(0)
        })?;
        Ok(conn)
    });
    match opened {
        Ok(conn) => Ok(Some(conn)),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => Ok(None),
        Err(e) => Err(crate::exec::sqlite_message(&e)),
    }
}

/// Copies every page of `built` into `existing` in one step, waiting for other
/// connections' locks, then sets the journal mode.
fn copy_into(built: &Path, existing: &mut Connection, journal: Journal) -> Result<(), String> {
    // Read-write although only read: it is peel's own temporary file, and a read-write
    // connection removes the WAL it opens when it closes.
    // The journal mode first: when it cannot change (the file is open elsewhere), nothing
    // has been copied yet.
    let mode: String = existing
        .pragma_update_and_check(None, "journal_mode", journal.pragma(), |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if mode != journal.pragma() {
        return Err(format!(
            "open in another program, so it cannot be made a {} file; close it and try again",
            match journal {
                Journal::Wal => "write-ahead-log",
                Journal::Delete => "single",
            }
        ));
    }
    let source = Connection::open_with_flags(built, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| e.to_string())?;
    {
        let backup = Backup::new(&source, existing).map_err(|e| e.to_string())?;
        let started = Instant::now();
        loop {
            match backup.step(-1).map_err(|e| e.to_string())? {
                StepResult::Done => break,
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked if started.elapsed() < WAIT => {
                    sleep(Duration::from_millis(50));
                }
                StepResult::Busy | StepResult::Locked => {
                    return Err(format!(
                        "still in use by another program after {} s; close it and try again",
                        WAIT.as_secs()
                    ));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Where `path` is or would be: its canonical form when it exists, else its folder's
/// canonical form joined with its name (so `out.db` and `./out.db` are one place).
fn place(path: &Path) -> std::path::PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (parent.canonicalize(), path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

/// How writing `output` would destroy `database` (the file being read, or another
/// output): `Some` when it is that file or one of its journal, WAL or shared-memory
/// files.
pub fn overlaps(output: &Path, database: &Path) -> Option<String> {
    let out = place(output);
    let db = place(database);
    if out == db {
        return Some(format!("is {}", database.display()));
    }
    SIDECARS
        .iter()
        // SQLite names the sidecars after the resolved path (a symlink's target).
        .find(|suffix| {
            out == place(&sidecar(&db, suffix)) || out == place(&sidecar(database, suffix))
        })
        .map(|suffix| format!("is the {suffix} file of {}", database.display()))
}

/// The suffixes of the temporary files peel writes beside a target, each followed by the
/// writer's process id: a build (`init`), an export, metadata.
pub const TEMPORARY_SUFFIXES: [&str; 3] = [".building-", ".exporting-", ".writing-"];

/// Removes temporary files beside `target` left by a peel that was killed or failed while
/// writing it (and their journals): those whose process is gone. Files of a peel still
/// running are left alone. Returns how many were removed.
pub fn remove_stale_temporaries(target: &Path) -> usize {
    let (Some(folder), Some(name)) = (target.parent(), target.file_name()) else {
        return 0;
    };
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let name = name.to_string_lossy();
    let Ok(entries) = std::fs::read_dir(folder) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(name.as_ref()) else {
            continue;
        };
        let Some(pid) = TEMPORARY_SUFFIXES
            .iter()
            .find_map(|suffix| rest.strip_prefix(suffix))
            .map(|tail| tail.split('-').next().unwrap_or_default())
            .and_then(|digits| digits.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id()
            && !process_alive(pid)
            && std::fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// Whether process `pid` is running. Where the system has no `/proc` to ask, every
/// process is taken to be running, so nothing is removed by mistake.
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// Removes the journal, WAL and shared-memory files beside `target`, which has no
/// database they could belong to.
fn remove_orphan_sidecars(target: &Path) -> std::io::Result<()> {
    for suffix in SIDECARS {
        let side = sidecar(target, suffix);
        match std::fs::remove_file(&side) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database(path: &Path, rows: &[i64], journal: &str) {
        let conn = Connection::open(path).unwrap();
        conn.pragma_update(None, "journal_mode", journal).unwrap();
        conn.execute_batch("CREATE TABLE t(x)").unwrap();
        for r in rows {
            conn.execute("INSERT INTO t VALUES (?1)", [r]).unwrap();
        }
    }

    fn rows(path: &Path) -> Vec<i64> {
        let conn = Connection::open(path).unwrap();
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        conn.prepare("SELECT x FROM t ORDER BY x")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn outputs_that_are_the_database_or_its_sidecars_overlap() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db.db");
        std::fs::write(&db, b"x").unwrap();
        let same = dir.path().join(".").join("db.db");
        assert_eq!(overlaps(&same, &db), Some(format!("is {}", db.display())));
        assert_eq!(
            overlaps(&sidecar(&db, "-wal"), &db),
            Some(format!("is the -wal file of {}", db.display()))
        );
        // Through a symlink: SQLite's WAL is named after the file the link points to.
        let link = dir.path().join("link.db");
        std::os::unix::fs::symlink(&db, &link).unwrap();
        assert!(overlaps(&sidecar(&db, "-wal"), &link).is_some());
        // Two outputs, neither written yet.
        let a = dir.path().join("out.db");
        assert!(overlaps(&a, &dir.path().join(".").join("out.db")).is_some());
        assert_eq!(overlaps(&a, &db), None);
        assert_eq!(overlaps(&dir.path().join("meta.json"), &a), None);
    }

    #[test]
    fn temporaries_of_a_dead_peel_are_removed_and_a_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.db");
        // No process has id 4,000,000,000 (Linux caps them far lower).
        let dead = [
            "t.db.building-4000000000",
            "t.db.exporting-4000000000-journal",
        ];
        let alive = format!("t.db.writing-{}", std::process::id());
        let other = "other.db.building-4000000000";
        for f in dead.iter().copied().chain([alive.as_str(), other]) {
            std::fs::write(dir.path().join(f), b"x").unwrap();
        }
        let removed = remove_stale_temporaries(&target);
        if Path::new("/proc").is_dir() {
            assert_eq!(removed, 2);
            for f in dead {
                assert!(!dir.path().join(f).exists(), "{f}");
            }
        }
        assert!(dir.path().join(&alive).exists());
        assert!(dir.path().join(other).exists());
    }

    #[test]
    fn a_stale_wal_beside_a_deleted_file_is_not_rolled_into_the_new_one() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.db");
        // An old database whose last writes sit in its WAL: copy the WAL aside while a
        // connection holds it open, then delete the database and put the WAL back.
        database(&target, &[], "wal");
        let holder = Connection::open(&target).unwrap();
        holder
            .execute_batch("PRAGMA wal_autocheckpoint = 0; INSERT INTO t VALUES (99);")
            .unwrap();
        let wal = sidecar(&target, "-wal");
        let saved = std::fs::read(&wal).unwrap();
        assert!(!saved.is_empty());
        drop(holder);
        std::fs::remove_file(&target).unwrap();
        std::fs::write(&wal, &saved).unwrap();
        let built = dir.path().join("built.db");
        database(&built, &[1, 2], "delete");
        install(&built, &target, Journal::Delete).unwrap();
        assert!(!wal.exists());
        assert_eq!(rows(&target), [1, 2]);
        assert!(!built.exists());
    }

    #[test]
    fn an_existing_database_with_a_hot_journal_is_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.db");
        database(&target, &[7], "delete");
        // A journal from an interrupted transaction of some other database: SQLite
        // ignores a journal whose header does not match, so the file stays readable.
        std::fs::write(sidecar(&target, "-journal"), b"not a real journal").unwrap();
        let built = dir.path().join("built.db");
        database(&built, &[1, 2, 3], "delete");
        install(&built, &target, Journal::Wal).unwrap();
        assert_eq!(rows(&target), [1, 2, 3]);
        let conn = Connection::open(&target).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn nothing_of_the_built_file_is_left_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.db");
        database(&target, &[1], "wal");
        let built = dir.path().join("t.db.building-1");
        database(&built, &[2], "wal");
        install(&built, &target, Journal::Wal).unwrap();
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("building"))
            .collect();
        assert_eq!(left, Vec::<String>::new());
        assert_eq!(rows(&target), [2]);
    }

    #[test]
    fn a_file_that_is_not_a_database_is_replaced_and_its_sidecars_removed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.db");
        std::fs::write(&target, b"just some text, not SQLite").unwrap();
        std::fs::write(sidecar(&target, "-wal"), b"junk").unwrap();
        let built = dir.path().join("built.db");
        database(&built, &[5], "delete");
        install(&built, &target, Journal::Delete).unwrap();
        assert_eq!(rows(&target), [5]);
        assert!(!sidecar(&target, "-wal").exists());
    }

    #[test]
    fn a_writer_waiting_on_the_old_file_writes_into_the_new_content() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.db");
        database(&target, &[1], "wal");
        // A writer that opened the file before it was replaced.
        let writer = Connection::open(&target).unwrap();
        let built = dir.path().join("built.db");
        database(&built, &[10, 20], "delete");
        install(&built, &target, Journal::Wal).unwrap();
        writer.execute("INSERT INTO t VALUES (30)", []).unwrap();
        drop(writer);
        // Its row is in the file at the path, not in an unlinked old one.
        assert_eq!(rows(&target), [10, 20, 30]);
    }
}
