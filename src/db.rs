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
pub const SCHEMA_VERSION: i64 = 2;

/// Steps that take a file from version `i + 1` to `i + 2`. Each runs in its own
/// transaction together with the `user_version` bump. Released steps are never edited,
/// and `schema.sql` always equals version 1 plus them.
const MIGRATIONS: &[&str] = &[
    // 1 -> 2: bulk imports store millions of figures without a report; index only the
    // figures that have one.
    // Also: per-period counts kept by triggers, filled from the figures already there.
    "DROP INDEX metric_values_report;
     CREATE INDEX metric_values_report ON metric_values (report_id) WHERE report_id IS NOT NULL;
     CREATE TABLE period_metric_counts (
         period_id INTEGER NOT NULL REFERENCES periods (period_id),
         metric_id INTEGER NOT NULL REFERENCES metrics (metric_id),
         figures   INTEGER NOT NULL CHECK (figures > 0),
         PRIMARY KEY (period_id, metric_id)
     ) WITHOUT ROWID;
     CREATE TABLE period_counts (
         period_id INTEGER PRIMARY KEY REFERENCES periods (period_id),
         metrics   INTEGER NOT NULL CHECK (metrics >= 0),
         figures   INTEGER NOT NULL CHECK (figures >= 0)
     );
     CREATE TRIGGER metric_values_counted AFTER INSERT ON metric_values BEGIN
         INSERT INTO period_metric_counts (period_id, metric_id, figures)
         VALUES (NEW.period_id, NEW.metric_id, 1)
         ON CONFLICT (period_id, metric_id) DO UPDATE SET figures = figures + 1;
     END;
     CREATE TRIGGER metric_values_uncounted AFTER DELETE ON metric_values BEGIN
         DELETE FROM period_metric_counts
          WHERE period_id = OLD.period_id AND metric_id = OLD.metric_id AND figures = 1;
         UPDATE period_metric_counts SET figures = figures - 1
          WHERE period_id = OLD.period_id AND metric_id = OLD.metric_id;
     END;
     CREATE TRIGGER metric_values_recounted AFTER UPDATE OF metric_id, period_id ON metric_values
     WHEN OLD.metric_id IS NOT NEW.metric_id OR OLD.period_id IS NOT NEW.period_id BEGIN
         DELETE FROM period_metric_counts
          WHERE period_id = OLD.period_id AND metric_id = OLD.metric_id AND figures = 1;
         UPDATE period_metric_counts SET figures = figures - 1
          WHERE period_id = OLD.period_id AND metric_id = OLD.metric_id;
         INSERT INTO period_metric_counts (period_id, metric_id, figures)
         VALUES (NEW.period_id, NEW.metric_id, 1)
         ON CONFLICT (period_id, metric_id) DO UPDATE SET figures = figures + 1;
     END;
     CREATE TRIGGER period_metric_counts_added AFTER INSERT ON period_metric_counts BEGIN
         INSERT INTO period_counts (period_id, metrics, figures) VALUES (NEW.period_id, 1, NEW.figures)
         ON CONFLICT (period_id) DO UPDATE SET metrics = metrics + 1, figures = figures + NEW.figures;
     END;
     CREATE TRIGGER period_metric_counts_changed AFTER UPDATE ON period_metric_counts BEGIN
         UPDATE period_counts SET figures = figures - OLD.figures + NEW.figures
          WHERE period_id = NEW.period_id;
     END;
     CREATE TRIGGER period_metric_counts_removed AFTER DELETE ON period_metric_counts BEGIN
         UPDATE period_counts SET metrics = metrics - 1, figures = figures - OLD.figures
          WHERE period_id = OLD.period_id;
     END;
     INSERT INTO period_metric_counts (period_id, metric_id, figures)
     SELECT period_id, metric_id, count(*) FROM metric_values GROUP BY period_id, metric_id",
];

/// Why a database file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The path does not exist (peel never creates an empty file by accident).
    #[error("{}: no such database file (build one with `peel init --db {}`)", .0.display(), .0.display())]
    Missing(PathBuf),
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
    #[error("{}: schema version {found} is older than this peel's {supported}; open it once without --readonly to upgrade it", .path.display())]
    OlderReadOnly {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The version this peel writes.
        supported: i64,
    },
    /// Any other SQLite failure while opening.
    #[error("{}: {source}", .path.display())]
    Sqlite {
        /// The file.
        path: PathBuf,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
}

/// How a file is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reads and writes; an older schema is migrated.
    ReadWrite,
    /// Reads only: SQLite itself refuses every write.
    ReadOnly,
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
            source: e,
        },
    }
}

/// Applies the settings every connection needs; SQLite does not store them in the file.
pub fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    Ok(())
}

/// Opens an existing peel database, checking its schema version and migrating an older
/// file when `access` allows.
pub fn open(path: &Path, access: Access) -> Result<Connection, DbError> {
    if !path.exists() {
        return Err(DbError::Missing(path.to_path_buf()));
    }
    let flags = match access {
        Access::ReadWrite => OpenFlags::SQLITE_OPEN_READ_WRITE,
        Access::ReadOnly => OpenFlags::SQLITE_OPEN_READ_ONLY,
    } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    configure(&conn).map_err(|e| classify(path, e))?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    // Reading the schema catches files that are damaged past the header.
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    match version {
        0 => Err(DbError::NotPeel(path.to_path_buf())),
        v if v > SCHEMA_VERSION => Err(DbError::Newer {
            path: path.to_path_buf(),
            found: v,
            supported: SCHEMA_VERSION,
        }),
        v if v < SCHEMA_VERSION => match access {
            Access::ReadOnly => Err(DbError::OlderReadOnly {
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
    fn a_version_1_file_gets_the_partial_report_index() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.db");
        {
            let c = Connection::open(&path).unwrap();
            create_schema(&c).unwrap();
            // Version 1 indexed every figure's report_id and kept no counts.
            c.execute_batch(
                "DROP INDEX metric_values_report;
                 CREATE INDEX metric_values_report ON metric_values (report_id);
                 DROP TRIGGER metric_values_counted; DROP TRIGGER metric_values_uncounted;
                 DROP TRIGGER metric_values_recounted;
                 DROP TABLE period_counts; DROP TABLE period_metric_counts;
                 INSERT INTO periods (label, kind, end_date) VALUES ('p', 'point', '2015-03-31');
                 INSERT INTO metrics (code, name, unit, definition) VALUES ('m', 'm', 'count', 'm');
                 INSERT INTO areas (code, slug, name, short_name, kind, country)
                 VALUES ('K04000001', 'ew', 'E&W', 'E&W', 'national', 'England and Wales');
                 INSERT INTO sources (key, kind, location, title, trust) VALUES ('s', 'url', 'u', 't', 'high');
                 INSERT INTO metric_values (metric_id, period_id, area_id, value, source_id)
                 VALUES (1, 1, 1, 5, 1);
                 PRAGMA user_version = 1;",
            )
            .unwrap();
        }
        let conn = open(&path, Access::ReadWrite).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, 2);
        let sql: String = conn
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE name = 'metric_values_report'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(sql.ends_with("WHERE report_id IS NOT NULL"), "{sql}");
        let counts: (i64, i64) = conn
            .query_row("SELECT metrics, figures FROM period_counts", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(counts, (1, 1));
    }

    #[test]
    fn period_counts_follow_every_insert_delete_and_rekeying() {
        let conn = memory();
        create_schema(&conn).unwrap();
        conn.execute_batch(
            "INSERT INTO periods (label, kind, end_date) VALUES ('p1', 'point', '2015-03-31'), ('p2', 'point', '2016-03-31');
             INSERT INTO metrics (code, name, unit, definition) VALUES ('a', 'a', 'count', 'a'), ('b', 'b', 'count', 'b');
             INSERT INTO areas (code, slug, name, short_name, kind, country)
             VALUES ('K04000001', 'ew', 'E&W', 'E&W', 'national', 'England and Wales');
             INSERT INTO areas (code, slug, name, short_name, kind, parent_id, country)
             VALUES ('E23000001', 'x', 'X', 'X', 'force', 1, 'England');
             INSERT INTO sources (key, kind, location, title, trust) VALUES ('s', 'url', 'u', 't', 'high');
             INSERT INTO metric_values (metric_id, period_id, area_id, value, source_id)
             VALUES (1, 1, 1, 5, 1), (1, 1, 2, 6, 1), (2, 1, 1, 7, 1), (2, 2, 1, 8, 1);",
        )
        .unwrap();
        let counts = |conn: &Connection| -> Vec<(i64, i64, i64)> {
            conn.prepare("SELECT period_id, metrics, figures FROM period_counts ORDER BY 1")
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        assert_eq!(counts(&conn), [(1, 2, 3), (2, 1, 1)]);
        // Moving metric b's period-2 figure to period 1 leaves period 2 empty.
        conn.execute(
            "UPDATE metric_values SET period_id = 1, area_id = 2 WHERE value = 8",
            [],
        )
        .unwrap();
        assert_eq!(counts(&conn), [(1, 2, 4), (2, 0, 0)]);
        conn.execute("DELETE FROM metric_values WHERE metric_id = 1", [])
            .unwrap();
        assert_eq!(counts(&conn), [(1, 1, 2), (2, 0, 0)]);
        // A value change is not a re-keying.
        conn.execute("UPDATE metric_values SET value = 9", [])
            .unwrap();
        assert_eq!(counts(&conn), [(1, 1, 2), (2, 0, 0)]);
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
}
