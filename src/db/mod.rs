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
pub const SCHEMA_SQL: &str = include_str!("../../schema.sql");

/// The schema version this peel writes, kept in `PRAGMA user_version`.
pub const SCHEMA_VERSION: i64 = 3;

pub mod definitions;
pub mod install;
mod migrations;
use migrations::MIGRATIONS;

/// Why a database file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The file has triggers peel did not make, and peel was asked to write to it.
    #[error("{}: has triggers peel did not make ({names}); peel will not write to it (copy what you need into a new database with `peel init`)", .path.display())]
    ForeignTriggers {
        /// The file.
        path: PathBuf,
        /// The triggers' names.
        names: String,
    },
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
/// were on. Writes to tables peel's own triggers do not watch (saved queries, the
/// export's meta rows) run with triggers off, so a trigger added to a file someone sent
/// cannot act on them. SQL the analyst types runs with them on, as in sqlite3.
pub fn set_triggers(conn: &Connection, on: bool) -> rusqlite::Result<bool> {
    let was = conn.db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, on)?;
    Ok(was)
}

/// The triggers in the file that peel's schema does not define, by name: a trigger
/// counts as peel's only when both its name and its SQL are exactly those of schema.sql.
pub fn foreign_triggers(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    static OURS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    let ours = match OURS.get() {
        Some(ours) => ours,
        None => {
            let memory = Connection::open_in_memory()?;
            create_schema(&memory)?;
            let list = trigger_list(&memory)?;
            OURS.get_or_init(|| list)
        }
    };
    Ok(trigger_list(conn)?
        .into_iter()
        .filter(|t| !ours.contains(t))
        .map(|(name, _)| name)
        .collect())
}

/// Each trigger's name and SQL, the SQL with its whitespace collapsed: a file migrated
/// from an older peel holds the same triggers as schema.sql, laid out differently.
fn trigger_list(conn: &Connection) -> rusqlite::Result<Vec<(String, String)>> {
    conn.prepare("SELECT name, ifnull(sql, '') FROM sqlite_schema WHERE type = 'trigger'")?
        .query_map([], |r| {
            let sql: String = r.get(1)?;
            Ok((
                r.get(0)?,
                // SQLite's whitespace only (see definitions::normalise).
                sql.split([' ', '\t', '\n', '\x0c', '\r'])
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
            ))
        })?
        .collect()
}

/// Refuses peel's own writes to figures and judgments in a file that carries triggers
/// peel did not make. peel's count triggers must run on those writes, so triggers cannot
/// be switched off there; a foreign trigger would run with them, on peel's authority.
pub fn ensure_only_peels_triggers(conn: &Connection) -> Result<(), DbError> {
    let foreign = foreign_triggers(conn).map_err(|e| DbError::Sqlite {
        path: PathBuf::from(conn.path().unwrap_or("database")),
        error: e,
    })?;
    if foreign.is_empty() {
        Ok(())
    } else {
        Err(DbError::ForeignTriggers {
            path: PathBuf::from(conn.path().unwrap_or("database")),
            names: match foreign.len() {
                n if n > 3 => format!("{} and {} more", foreign[..3].join(", "), n - 3),
                _ => foreign.join(", "),
            },
        })
    }
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
        // A file of another program that happens to use `user_version`.
        v if v < SCHEMA_VERSION && !has_peel_tables(&conn) => {
            Err(DbError::NotPeel(path.to_path_buf()))
        }
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
        _ if tables == 0 || !has_peel_tables(&conn) => Err(DbError::NotPeel(path.to_path_buf())),
        _ => Ok(conn),
    }
}

/// Tables every peel database has had since schema 1: a file stamped with peel's version
/// but without them was made by something else.
const CORE_TABLES: [&str; 5] = ["areas", "judgments", "metric_values", "sources", "meta"];

fn has_peel_tables(conn: &Connection) -> bool {
    let found: rusqlite::Result<i64> = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table'
         AND name IN ('areas', 'judgments', 'metric_values', 'sources', 'meta')",
        [],
        |r| r.get(0),
    );
    found.is_ok_and(|n| n == CORE_TABLES.len() as i64)
}

/// An older file's contents, upgraded in memory, for a command that only reads: the file
/// itself is never changed by reading it. (`path` must be a peel file older than this
/// peel: see [`DbError::OlderReadOnly`].)
pub fn open_upgraded_copy(path: &Path) -> Result<Connection, DbError> {
    let file = open(path, Access::ReadOnly).or_else(|e| match e {
        DbError::OlderReadOnly { .. } => {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
            configure(&conn).map_err(|e| classify(path, e))?;
            Ok(conn)
        }
        other => Err(other),
    })?;
    let mut copy = Connection::open_in_memory().map_err(|e| classify(path, e))?;
    {
        let backup =
            rusqlite::backup::Backup::new(&file, &mut copy).map_err(|e| classify(path, e))?;
        // Every page in one step: the copy is in memory, and the file may be busy.
        backup
            .run_to_completion(i32::MAX, Duration::from_millis(50), None)
            .map_err(|e| classify(path, e))?;
    }
    configure(&copy).map_err(|e| classify(path, e))?;
    let version: i64 = copy
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if version < SCHEMA_VERSION {
        migrate(&copy, version).map_err(|e| classify(path, e))?;
    }
    copy.pragma_update(None, "query_only", true)
        .map_err(|e| classify(path, e))?;
    Ok(copy)
}

/// Refuses to write into a damaged file: SQLite's quick check, before an import or a save
/// adds anything to it. (Writing into smashed pages can spread the damage.)
pub fn check_writable(conn: &Connection, path: &Path) -> Result<(), DbError> {
    let found: Vec<String> = conn
        .prepare("PRAGMA quick_check(3)")
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<_>>()
        })
        .map_err(|e| classify(path, e))?;
    if found == ["ok"] {
        return Ok(());
    }
    Err(DbError::Corrupt {
        path: path.to_path_buf(),
        detail: format!(
            "{}; peel will not write into it: `peel check` says more, and a copy from before the damage is the way back",
            found.join("; ")
        ),
    })
}

/// Creates the current schema in an empty database and stamps its version.
pub fn create_schema(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA_SQL)?;
    load_documentation(conn)?;
    conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    Ok(())
}

fn migrate(conn: &Connection, from: i64) -> rusqlite::Result<()> {
    // A trigger someone added to the file must not act on peel's own schema changes;
    // peel's own triggers are made by the steps, and the steps fill what they count.
    let triggers = set_triggers(conn, false)?;
    let result = migrate_steps(conn, from);
    set_triggers(conn, triggers)?;
    result
}

fn migrate_steps(conn: &Connection, from: i64) -> rusqlite::Result<()> {
    // Steps rebuild tables others refer to, which SQLite allows only with foreign keys
    // off (the setting cannot change inside a transaction); each step checks them before
    // it commits instead.
    conn.pragma_update(None, "foreign_keys", false)?;
    let result = (|| {
        for (i, step) in MIGRATIONS.iter().enumerate() {
            let target = i as i64 + 2;
            if target <= from {
                continue;
            }
            conn.execute_batch(&format!(
                "BEGIN IMMEDIATE; {step}; PRAGMA user_version = {target};"
            ))?;
            let dangling: i64 =
                conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })?;
            if dangling > 0 {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                    Some(format!(
                        "migrating to version {target} left {dangling} broken references"
                    )),
                ));
            }
            load_documentation(conn)?;
            conn.execute_batch("COMMIT")?;
        }
        Ok(())
    })();
    if result.is_err() && !conn.is_autocommit() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    conn.pragma_update(None, "foreign_keys", true)?;
    result
}

/// What every table, view and column means (`seed/documentation.csv`), kept with the
/// schema it describes.
const DOCUMENTATION_CSV: &str = include_str!("../../seed/documentation.csv");

/// Writes the `documentation` table for the current schema, replacing what was there.
pub fn load_documentation(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM documentation", [])?;
    let mut reader = csv::Reader::from_reader(DOCUMENTATION_CSV.as_bytes());
    let mut insert = conn.prepare_cached(
        "INSERT INTO documentation (object, column_name, kind, meaning, unit, allowed_values)
         VALUES (?1, nullif(?2, ''), ?3, ?4, nullif(?5, ''), nullif(?6, ''))",
    )?;
    for record in reader.records() {
        // The file is compiled in and checked by the tests; a bad row is a build mistake.
        let r = record.map_err(|e| {
            rusqlite::Error::InvalidParameterName(format!("seed/documentation.csv: {e}"))
        })?;
        insert.execute(rusqlite::params![&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
