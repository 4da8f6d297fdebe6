//! Opening peel database files: connection settings, schema creation and migration, and
//! the checks that refuse files peel cannot use. Nothing here prints.
//!
//! Every connection is opened defensively, because analysts open files other people made:
//! `SQLITE_DBCONFIG_DEFENSIVE` (no writes to the schema through SQL tricks),
//! `trusted_schema = OFF` (views and triggers cannot call functions with side effects on
//! peel's behalf), and no extension loading (rusqlite leaves it off unless asked).

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags};

/// The whole current schema, as shipped in the repository.
pub const SCHEMA_SQL: &str = include_str!("../schema.sql");

/// The schema version this peel writes, kept in `PRAGMA user_version`.
pub const SCHEMA_VERSION: i64 = 1;

/// Steps that take a file from version `i + 1` to `i + 2`. Each runs in its own
/// transaction together with the `user_version` bump. Empty while version 1 is current;
/// released steps are never edited, and `schema.sql` always equals version 1 plus them.
const MIGRATIONS: &[&str] = &[];

/// Why a database file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The path does not exist (peel never creates an empty file by accident).
    #[error("{}: no such database file (build one with `peel init --db {}`)", .0.display(), .0.display())]
    Missing(PathBuf),
    /// The path is a folder or something else that is not a regular file.
    #[error("{}: not a file (a database is one file, such as peel.db)", .0.display())]
    NotAFile(PathBuf),
    /// The file exists but cannot be read.
    #[error("{}: cannot read the database file: {message}", .path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        message: String,
    },
    /// A file of zero bytes (SQLite would treat it as an empty database).
    #[error("{}: an empty file (0 bytes), not a peel database", .0.display())]
    Empty(PathBuf),
    /// The file is not a SQLite database at all.
    #[error("{}: not a SQLite database (or it is encrypted or damaged)", .0.display())]
    NotADatabase(PathBuf),
    /// The file is damaged.
    #[error("{}: the database file is damaged ({detail})", .path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What SQLite said.
        detail: String,
    },
    /// A SQLite file that peel did not make.
    #[error("{}: a SQLite database, but not a peel database (no peel schema version); open it with sqlite3 instead", .0.display())]
    NotPeel(PathBuf),
    /// Made by a newer peel.
    #[error("{}: made by a newer peel (schema version {found}; this peel reads up to {supported}); upgrade peel to open it", .path.display())]
    Newer {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest version this peel knows.
        supported: i64,
    },
    /// An older file that cannot be migrated because it was opened read-only.
    #[error("{}: schema version {found} is older than this peel's {supported}; open it once for writing (without --readonly: `peel sql \"SELECT 1\"`) to upgrade it", .path.display())]
    OlderReadOnly {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The version this peel writes.
        supported: i64,
    },
    /// Any other SQLite failure while opening. SQLite's words are in the message and the
    /// error is not kept as a source (so not named `source`, which thiserror would take as
    /// one): rusqlite's chain would repeat them.
    #[error("{}: {}", .path.display(), crate::exec::sqlite_message(.error))]
    Sqlite {
        /// The file.
        path: PathBuf,
        /// What SQLite said.
        error: rusqlite::Error,
    },
}

/// How a file is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reads and writes; an older schema is migrated.
    ReadWrite,
    /// Reads only: the file is opened with SQLite's read-only flag, so SQLite refuses
    /// every write whatever the SQL says (`--readonly`, for SQL the analyst types). On a
    /// WAL file SQLite then leaves empty `-wal` and `-shm` files behind, since a read-only
    /// connection may not remove them.
    ReadOnly,
    /// Reads only, for peel's own reading commands (`run`, `queries`, `check`, `export`):
    /// a read-write handle with `PRAGMA query_only`, so SQLite refuses every write, and
    /// the last connection to close tidies the WAL away as after any other command.
    /// Only for SQL peel controls: `query_only` is itself a pragma the SQL could reset.
    Query,
}

fn classify(path: &Path, e: rusqlite::Error) -> DbError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => DbError::NotADatabase(path.to_path_buf()),
        Some(ErrorCode::DatabaseCorrupt) => DbError::Corrupt {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        _ => DbError::Sqlite {
            path: path.to_path_buf(),
            error: e,
        },
    }
}

/// Applies the settings every connection needs; SQLite does not store them in the file.
pub fn configure(conn: &Connection) -> rusqlite::Result<()> {
    // First, before anything reads the file: another process may hold a lock right now
    // (checkpointing, recovering a WAL), and waiting is better than failing.
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(())
}

/// Turns the file's own triggers on or off for this connection and returns whether they
/// were on. peel's schema has no triggers; a trigger in a file someone sent could change
/// or remove what peel writes, so peel's own writes (imports, saved queries, exports)
/// run with triggers off. SQL the analyst types runs with them on, as in sqlite3.
pub fn set_triggers(conn: &Connection, on: bool) -> rusqlite::Result<bool> {
    let was = conn.db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, on)?;
    Ok(was)
}

/// `path` with `suffix` appended: the `-wal`, `-shm` and `-journal` files beside a
/// database.
pub fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// What the 100-byte header of a SQLite file says, read before SQLite opens the file:
/// SQLite creates `-wal` and `-shm` files as soon as it reads a WAL database, even one it
/// then finds damaged, so the files peel refuses are refused without it.
fn check_header(path: &Path) -> Result<(), DbError> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| DbError::Unreadable {
        path: path.to_path_buf(),
        message: match e.kind() {
            std::io::ErrorKind::PermissionDenied => "permission denied".into(),
            _ => e.to_string(),
        },
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(DbError::Missing(path.to_path_buf()));
        }
        Err(e) => return Err(unreadable(e)),
    };
    if !meta.is_file() {
        return Err(DbError::NotAFile(path.to_path_buf()));
    }
    let read_header = || -> std::io::Result<(Vec<u8>, u64)> {
        let file = std::fs::File::open(path)?;
        let len = file.metadata()?.len();
        let mut header = Vec::with_capacity(100);
        file.take(100).read_to_end(&mut header)?;
        Ok((header, len))
    };
    let (header, len) = read_header().map_err(unreadable)?;
    if header.is_empty() {
        return Err(DbError::Empty(path.to_path_buf()));
    }
    let corrupt = |detail: String| DbError::Corrupt {
        path: path.to_path_buf(),
        detail,
    };
    const MAGIC: &[u8] = b"SQLite format 3\0";
    if !header.starts_with(MAGIC) {
        if header.len() < MAGIC.len() && MAGIC.starts_with(&header) {
            return Err(corrupt(format!(
                "cut short: {} bytes, less than a SQLite header",
                header.len()
            )));
        }
        return Err(DbError::NotADatabase(path.to_path_buf()));
    }
    let be32 = |at: usize| -> u32 {
        header
            .get(at..at + 4)
            .map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    if header.len() < 100 {
        return Err(corrupt(format!(
            "cut short: {} bytes, less than a SQLite header",
            header.len()
        )));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536,
        n if n >= 512 && n.is_power_of_two() => u64::from(n),
        n => {
            return Err(corrupt(format!(
                "its header gives an impossible page size, {n}"
            )));
        }
    };
    // With a -wal or a -journal beside it the header may lag behind the last commit:
    // SQLite itself judges such a file once it has read the journal. Without them, a
    // second read that differs means a writer was at work between the two (the header
    // is read without SQLite's locks): SQLite judges that file too.
    if sidecar(path, "-wal").exists()
        || sidecar(path, "-journal").exists()
        || read_header().map_err(unreadable)? != (header.clone(), len)
    {
        return Ok(());
    }
    let version = i64::from(be32(60) as i32);
    if version > SCHEMA_VERSION {
        return Err(DbError::Newer {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    // The page count is valid when the "version valid for" number matches the change
    // counter (SQLite since 3.7.0 always writes both).
    let pages = u64::from(be32(28));
    if pages > 0 && be32(92) == be32(24) {
        let expected = pages * page_size;
        if len < expected {
            return Err(corrupt(format!(
                "cut short: {len} bytes, but its header says {expected}"
            )));
        }
    }
    if version < 1 {
        return Err(DbError::NotPeel(path.to_path_buf()));
    }
    Ok(())
}

/// Opens an existing peel database, checking its schema version and migrating an older
/// file when `access` allows.
pub fn open(path: &Path, access: Access) -> Result<Connection, DbError> {
    check_header(path)?;
    let flags = match access {
        // A read-write open of a file the operating system protects falls back to
        // read-only in SQLite, which is what `Query` needs anyway.
        Access::ReadWrite | Access::Query => OpenFlags::SQLITE_OPEN_READ_WRITE,
        Access::ReadOnly => OpenFlags::SQLITE_OPEN_READ_ONLY,
    } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    configure(&conn).map_err(|e| classify(path, e))?;
    if access == Access::Query {
        conn.pragma_update(None, "query_only", true)
            .map_err(|e| classify(path, e))?;
    }
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    // Reading the schema catches files that are damaged past the header.
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    match version {
        // 0 is a file peel did not make; a negative version no peel ever wrote.
        v if v < 1 => Err(DbError::NotPeel(path.to_path_buf())),
        v if v > SCHEMA_VERSION => Err(DbError::Newer {
            path: path.to_path_buf(),
            found: v,
            supported: SCHEMA_VERSION,
        }),
        v if v < SCHEMA_VERSION => match access {
            Access::ReadOnly | Access::Query => Err(DbError::OlderReadOnly {
                path: path.to_path_buf(),
                found: v,
                supported: SCHEMA_VERSION,
            }),
            Access::ReadWrite => {
                migrate(&conn, v).map_err(|e| classify(path, e))?;
                Ok(conn)
            }
        },
        _ if tables == 0 => Err(DbError::NotPeel(path.to_path_buf())),
        _ => Ok(conn),
    }
}

/// Creates the current schema in an empty database and stamps its version.
pub fn create_schema(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA_SQL)?;
    conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    Ok(())
}

fn migrate(conn: &Connection, from: i64) -> rusqlite::Result<()> {
    // A trigger someone added to the file must not act on peel's own schema changes.
    let triggers = set_triggers(conn, false)?;
    let result = migrate_steps(conn, from);
    set_triggers(conn, triggers)?;
    result
}

fn migrate_steps(conn: &Connection, from: i64) -> rusqlite::Result<()> {
    for (i, step) in MIGRATIONS.iter().enumerate() {
        let target = i as i64 + 2;
        if target <= from {
            continue;
        }
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {step}; PRAGMA user_version = {target}; COMMIT;"
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        configure(&conn).unwrap();
        conn
    }

    #[test]
    fn schema_builds_and_passes_sqlite_checks() {
        let conn = memory();
        create_schema(&conn).unwrap();
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        // Every view must compile under trusted_schema=OFF.
        for view in ["v_judgments", "v_metric_values", "v_improvements"] {
            conn.prepare(&format!("SELECT * FROM {view}")).unwrap();
        }
    }

    #[test]
    fn migrations_and_schema_version_agree() {
        assert_eq!(MIGRATIONS.len() as i64 + 1, SCHEMA_VERSION);
    }

    #[test]
    fn check_constraints_reject_bad_values() {
        let conn = memory();
        create_schema(&conn).unwrap();
        let bad = [
            "INSERT INTO periods(label, kind, end_date) VALUES ('x', 'point', '2015-02-30')",
            "INSERT INTO periods(label, kind, end_date) VALUES ('x', 'week', '2015-02-03')",
            "INSERT INTO periods(label, kind, start_date, end_date) VALUES ('x', 'point', '2015-01-01', '2015-02-03')",
            "INSERT INTO metrics(code, name, unit, definition) VALUES ('x', 'x', 'furlongs', 'x')",
            "INSERT INTO metrics(code, name, unit, definition) VALUES ('Bad Code', 'x', 'count', 'x')",
            "INSERT INTO grade_scales(code, name) VALUES ('peel-9', 'x')",
            "INSERT INTO sources(key, kind, location, title, trust) VALUES ('k', 'url', 'u', 't', 'certain')",
        ];
        for sql in bad {
            assert!(conn.execute(sql, []).is_err(), "accepted: {sql}");
        }
    }

    #[test]
    fn newer_and_foreign_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let newer = dir.path().join("newer.db");
        {
            let c = Connection::open(&newer).unwrap();
            create_schema(&c).unwrap();
            c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let err = open(&newer, Access::ReadWrite).unwrap_err();
        assert!(matches!(err, DbError::Newer { found, .. } if found == SCHEMA_VERSION + 1));
        assert!(err.to_string().contains("newer peel"), "{err}");

        let foreign = dir.path().join("foreign.db");
        Connection::open(&foreign)
            .unwrap()
            .execute_batch("CREATE TABLE t(x)")
            .unwrap();
        assert!(matches!(
            open(&foreign, Access::ReadOnly),
            Err(DbError::NotPeel(_))
        ));

        let text = dir.path().join("notes.txt");
        std::fs::write(
            &text,
            "this is not a database, just some text that is long enough to fill a header page "
                .repeat(20),
        )
        .unwrap();
        assert!(matches!(
            open(&text, Access::ReadOnly),
            Err(DbError::NotADatabase(_))
        ));

        assert!(matches!(
            open(&dir.path().join("absent.db"), Access::ReadOnly),
            Err(DbError::Missing(_))
        ));
    }

    /// A small peel file in WAL mode, closed, with no -wal or -shm beside it.
    fn wal_file(dir: &Path) -> PathBuf {
        let path = dir.join("wal.db");
        let c = Connection::open(&path).unwrap();
        configure(&c).unwrap();
        create_schema(&c).unwrap();
        c.pragma_update(None, "journal_mode", "wal").unwrap();
        c.close().unwrap();
        assert!(!sidecar(&path, "-wal").exists());
        path
    }

    fn no_sidecars(path: &Path) {
        for suffix in ["-wal", "-shm", "-journal"] {
            assert!(
                !sidecar(path, suffix).exists(),
                "{suffix} left beside {}",
                path.display()
            );
        }
    }

    #[test]
    fn damaged_empty_and_odd_files_are_refused_before_sqlite_touches_them() {
        let dir = tempfile::tempdir().unwrap();
        let good = wal_file(dir.path());
        let bytes = std::fs::read(&good).unwrap();
        for cut in [10, 99, 100, 4096, bytes.len() - 1] {
            let path = dir.path().join(format!("cut-{cut}.db"));
            std::fs::write(&path, &bytes[..cut]).unwrap();
            for access in [Access::ReadWrite, Access::ReadOnly, Access::Query] {
                let err = open(&path, access).unwrap_err();
                assert!(matches!(err, DbError::Corrupt { .. }), "{cut}: {err}");
                assert!(err.to_string().contains("cut short"), "{err}");
            }
            no_sidecars(&path);
        }
        let empty = dir.path().join("empty.db");
        std::fs::write(&empty, b"").unwrap();
        assert!(matches!(
            open(&empty, Access::ReadWrite),
            Err(DbError::Empty(_))
        ));
        assert!(matches!(
            open(dir.path(), Access::ReadOnly),
            Err(DbError::NotAFile(_))
        ));
        let mut odd = bytes.clone();
        odd[16] = 3; // a page size of 768: not a power of two
        let odd_path = dir.path().join("odd.db");
        std::fs::write(&odd_path, &odd).unwrap();
        let err = open(&odd_path, Access::Query).unwrap_err();
        assert!(err.to_string().contains("page size"), "{err}");
        no_sidecars(&odd_path);
    }

    #[test]
    fn query_access_refuses_writes_and_leaves_no_wal_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = wal_file(dir.path());
        let before = std::fs::read(&path).unwrap();
        {
            let conn = open(&path, Access::Query).unwrap();
            let n: i64 = conn
                .query_row("SELECT count(*) FROM areas", [], |r| r.get(0))
                .unwrap();
            assert_eq!(n, 0);
            let err = conn
                .execute("INSERT INTO meta (key, value) VALUES ('k', 'v')", [])
                .unwrap_err();
            assert_eq!(err.sqlite_error_code(), Some(ErrorCode::ReadOnly), "{err}");
        }
        no_sidecars(&path);
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn triggers_can_be_switched_off_and_back() {
        let conn = memory();
        conn.execute_batch(
            "CREATE TABLE t(x); CREATE TABLE marker(x);
             CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO marker VALUES (new.x); END;",
        )
        .unwrap();
        let was = set_triggers(&conn, false).unwrap();
        assert!(was);
        conn.execute("INSERT INTO t VALUES (1)", []).unwrap();
        assert!(!set_triggers(&conn, was).unwrap());
        conn.execute("INSERT INTO t VALUES (2)", []).unwrap();
        let marked: Vec<i64> = conn
            .prepare("SELECT x FROM marker")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(marked, [2]);
    }
}
