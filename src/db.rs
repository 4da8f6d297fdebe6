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
pub const SCHEMA_VERSION: i64 = 3;

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
     SELECT period_id, metric_id, count(*) FROM metric_values GROUP BY period_id, metric_id;
     -- Migrations run with triggers off (a foreign trigger must not act on them), so the
     -- per-period totals are filled here rather than by period_metric_counts_added.
     INSERT INTO period_counts (period_id, metrics, figures)
     SELECT period_id, count(*), sum(figures) FROM period_metric_counts GROUP BY period_id",
    // 2 -> 3: the whole grade record. Questions become items with normalised codes, a
    // level, a graded flag and a series linking a question across cycles; judgments gain
    // their own trust and a carried-over flag, and further sources (judgment_sources);
    // grade counts gain partial, trust and note; views for coverage and tallies. The
    // tables are rebuilt (SQLite cannot add CHECK constraints), with foreign keys off
    // (see `migrate`). Ids are kept, so every reference still holds.
    "DROP VIEW v_judgments;
     DROP VIEW v_improvements;
     CREATE TEMP TABLE item_codes (year INTEGER, pillar TEXT, old TEXT, code TEXT, series TEXT);
     INSERT INTO item_codes VALUES
       (2014, 'effectiveness', 'prevention', 'Q14_E1', 'Q14_E1'),
       (2014, 'effectiveness', 'investigation', 'Q14_E2', 'Q14_E2'),
       (2015, 'effectiveness', 'prevention', 'Q15_E1', 'Q15_E1'),
       (2015, 'effectiveness', 'investigation', 'Q15_E2', 'Q15_E2'),
       (2015, 'effectiveness', 'vulnerability', 'Q15_E3', 'Q15_E3'),
       (2015, 'effectiveness', 'serious-organised-crime', 'Q15_E4', 'Q15_E4'),
       (2016, 'effectiveness', 'prevention', 'Q16_E1', 'Q16_E1'),
       (2016, 'effectiveness', 'investigation', 'Q16_E2', 'Q16_E2'),
       (2016, 'effectiveness', 'vulnerability', 'Q16_E3', 'Q16_E3'),
       (2016, 'effectiveness', 'serious-organised-crime', 'Q16_E4', 'Q16_E4'),
       (2017, 'effectiveness', 'prevention', 'Q17_E1', 'Q16_E1'),
       (2017, 'effectiveness', 'investigation', 'Q17_E2', 'Q16_E2'),
       (2017, 'effectiveness', 'vulnerability', 'Q17_E3', 'Q16_E3'),
       (2017, 'effectiveness', 'serious-organised-crime', 'Q17_E4', 'Q16_E4'),
       (2017, 'efficiency', 'understanding-demand', 'Q17_F1', 'Q16_F1'),
       (2017, 'efficiency', 'use-of-resources', 'Q17_F2', 'Q16_F2'),
       (2017, 'efficiency', 'planning-for-future', 'Q17_F3', 'Q16_F3'),
       (2017, 'legitimacy', 'fair-treatment', 'Q17_L1', 'Q16_L1'),
       (2017, 'legitimacy', 'ethical-behaviour', 'Q17_L2', 'Q16_L2'),
       (2017, 'legitimacy', 'workforce-fairness', 'Q17_L3', 'Q16_L3'),
       (2018, 'effectiveness', 'prevention', 'Q18_E1', 'Q16_E1'),
       (2018, 'effectiveness', 'investigation', 'Q18_E2', 'Q16_E2'),
       (2018, 'effectiveness', 'vulnerability', 'Q18_E3', 'Q16_E3'),
       (2018, 'effectiveness', 'serious-organised-crime', 'Q18_E4', 'Q16_E4'),
       (2018, 'efficiency', 'use-of-resources', 'Q18_F1', 'Q18_F1'),
       (2018, 'efficiency', 'planning-for-future', 'Q18_F2', 'Q18_F2'),
       (2021, NULL, 'building-workforce', 'A21_WORK', 'A21_WORK'),
       (2021, NULL, 'investigating-crime', 'A21_INV', 'A21_INV'),
       (2021, NULL, 'responding-to-public', 'A21_RESP', 'A21_RESP'),
       (2023, NULL, 'building-workforce', 'A23_WORK', 'A21_WORK'),
       (2023, NULL, 'investigating-crime', 'A23_INV', 'A21_INV'),
       (2023, NULL, 'leadership', 'A23_LEAD', 'A23_LEAD'),
       (2023, NULL, 'managing-offenders', 'A23_OFF', 'A21_OFF'),
       (2023, NULL, 'police-powers', 'A23_PPT', 'A23_PPT'),
       (2023, NULL, 'preventing-crime', 'A23_PREV', 'A23_PREV'),
       (2023, NULL, 'protecting-vulnerable', 'A23_VULN', 'A21_VULN'),
       (2023, NULL, 'responding-to-public', 'A23_RESP', 'A21_RESP');
     CREATE TABLE questions_new (
    question_id INTEGER PRIMARY KEY,
    cycle_id    INTEGER NOT NULL REFERENCES cycles (cycle_id),
    level       TEXT NOT NULL CHECK (level IN ('pillar', 'question', 'area')),
    pillar      TEXT CHECK (pillar IN ('effectiveness', 'efficiency', 'legitimacy')),
    code        TEXT NOT NULL UNIQUE CHECK (code <> '' AND code NOT GLOB '*[^A-Za-z0-9_]*'),
    wording     TEXT NOT NULL CHECK (wording <> ''),
    graded      INTEGER NOT NULL DEFAULT 1 CHECK (graded IN (0, 1)),
    series      TEXT NOT NULL CHECK (series <> ''),
    CHECK ((level = 'area') = (pillar IS NULL))
);;
     INSERT INTO questions_new (question_id, cycle_id, level, pillar, code, wording, graded, series)
     SELECT q.question_id, q.cycle_id,
            CASE WHEN q.pillar IS NULL THEN 'area' WHEN q.code = 'overall' THEN 'pillar' ELSE 'question' END,
            q.pillar,
            CASE WHEN q.code = 'overall'
                 THEN 'P' || substr(c.year, 3, 2) || '_'
                      || CASE q.pillar WHEN 'effectiveness' THEN 'EFFE' WHEN 'efficiency' THEN 'EFFI' ELSE 'LEGI' END
                 ELSE coalesce(m.code, 'Q_OLD_' || q.question_id) END,
            q.wording,
            CASE WHEN c.year = 2014 AND q.code = 'overall' AND q.pillar IN ('effectiveness', 'legitimacy')
                 THEN 0 ELSE 1 END,
            CASE WHEN q.code = 'overall'
                 THEN 'P14_' || CASE q.pillar WHEN 'effectiveness' THEN 'EFFE' WHEN 'efficiency' THEN 'EFFI' ELSE 'LEGI' END
                 ELSE coalesce(m.series, 'Q_OLD_' || q.question_id) END
     FROM questions q JOIN cycles c ON c.cycle_id = q.cycle_id
     LEFT JOIN item_codes m ON m.year = c.year AND m.pillar IS q.pillar AND m.old = q.code;
     DROP TABLE item_codes;
     DROP TABLE questions;
     ALTER TABLE questions_new RENAME TO questions;
     CREATE INDEX questions_cycle ON questions (cycle_id, level, pillar);
     CREATE INDEX questions_series ON questions (series);
     CREATE TABLE judgments_new (
    judgment_id  INTEGER PRIMARY KEY,
    area_id      INTEGER NOT NULL REFERENCES areas (area_id),
    question_id  INTEGER NOT NULL REFERENCES questions (question_id),
    grade_id     INTEGER NOT NULL REFERENCES grades (grade_id),
    source_id    INTEGER NOT NULL REFERENCES sources (source_id),
    report_id    INTEGER REFERENCES reports (report_id) ON DELETE CASCADE,
    source_line  INTEGER CHECK (source_line IS NULL OR source_line > 0),
    trust        TEXT NOT NULL CHECK (trust IN ('high', 'medium-high', 'medium', 'low')),
    cited        INTEGER NOT NULL DEFAULT 0 CHECK (cited IN (0, 1)),
    derived      INTEGER NOT NULL DEFAULT 0 CHECK (derived IN (0, 1)),
    carried_over INTEGER NOT NULL DEFAULT 0 CHECK (carried_over IN (0, 1)),
    note         TEXT,
    UNIQUE (area_id, question_id),
    CHECK (derived = 0 OR trust = 'low')
);;
     INSERT INTO judgments_new (judgment_id, area_id, question_id, grade_id, source_id, report_id,
                                source_line, trust, cited, derived, carried_over, note)
     SELECT j.judgment_id, j.area_id, j.question_id, j.grade_id, j.source_id, j.report_id,
            j.source_line, CASE WHEN j.derived = 1 THEN 'low' ELSE s.trust END, j.cited, j.derived, 0, j.note
     FROM judgments j JOIN sources s ON s.source_id = j.source_id;
     DROP TABLE judgments;
     ALTER TABLE judgments_new RENAME TO judgments;
     CREATE INDEX judgments_question ON judgments (question_id, grade_id);
     CREATE INDEX judgments_report ON judgments (report_id);
     CREATE TABLE judgment_sources (
    judgment_id INTEGER NOT NULL REFERENCES judgments (judgment_id) ON DELETE CASCADE,
    source_id   INTEGER NOT NULL REFERENCES sources (source_id),
    trust       TEXT NOT NULL CHECK (trust IN ('high', 'medium-high', 'medium', 'low')),
    derived     INTEGER NOT NULL DEFAULT 0 CHECK (derived IN (0, 1)),
    note        TEXT,
    PRIMARY KEY (judgment_id, source_id),
    CHECK (derived = 0 OR trust = 'low')
) WITHOUT ROWID;;
     CREATE TABLE grade_counts_new (
    grade_count_id INTEGER PRIMARY KEY,
    area_id   INTEGER NOT NULL REFERENCES areas (area_id),
    cycle_id  INTEGER NOT NULL REFERENCES cycles (cycle_id),
    pillar    TEXT CHECK (pillar IN ('effectiveness', 'efficiency', 'legitimacy')),
    grade_id  INTEGER NOT NULL REFERENCES grades (grade_id),
    count     INTEGER NOT NULL CHECK (count >= 0),
    partial   INTEGER NOT NULL DEFAULT 0 CHECK (partial IN (0, 1)),
    trust     TEXT NOT NULL CHECK (trust IN ('high', 'medium-high', 'medium', 'low')),
    source_id INTEGER NOT NULL REFERENCES sources (source_id),
    note      TEXT
);;
     INSERT INTO grade_counts_new (grade_count_id, area_id, cycle_id, pillar, grade_id, count, partial,
                                   trust, source_id, note)
     SELECT gc.grade_count_id, gc.area_id, gc.cycle_id, gc.pillar, gc.grade_id, gc.count, 0, s.trust,
            gc.source_id, NULL
     FROM grade_counts gc JOIN sources s ON s.source_id = gc.source_id;
     DROP TABLE grade_counts;
     ALTER TABLE grade_counts_new RENAME TO grade_counts;
     CREATE UNIQUE INDEX grade_counts_key ON grade_counts (area_id, cycle_id, ifnull(pillar, ''), grade_id);
     CREATE VIEW v_judgments AS
SELECT a.code        AS area_code,
       a.short_name  AS area_name,
       a.kind        AS area_kind,
       c.year        AS year,
       c.label       AS cycle,
       q.level       AS level,
       q.pillar      AS pillar,
       q.code        AS question_code,
       q.wording     AS question,
       q.series      AS series,
       g.name        AS grade,
       g.rank        AS grade_rank,
       s.code        AS scale,
       CASE WHEN j.report_id IS NOT NULL
            THEN 'report: ' || (SELECT r.title FROM reports r WHERE r.report_id = j.report_id)
                 || ' (' || a.short_name || ')' || ifnull(', line ' || j.source_line, '')
            ELSE src.location END AS source,
       (SELECT group_concat(os.location, char(10)) FROM judgment_sources js
          JOIN sources os ON os.source_id = js.source_id
         WHERE js.judgment_id = j.judgment_id) AS other_sources,
       j.trust       AS trust,
       j.derived     AS derived,
       j.carried_over AS carried_over,
       j.cited       AS cited,
       j.report_id   AS report_id,
       j.source_line AS source_line,
       j.note        AS note
FROM judgments j
JOIN areas a         ON a.area_id = j.area_id
JOIN questions q     ON q.question_id = j.question_id
JOIN cycles c        ON c.cycle_id = q.cycle_id
JOIN grades g        ON g.grade_id = j.grade_id
JOIN grade_scales s  ON s.scale_id = g.scale_id
JOIN sources src     ON src.source_id = j.source_id;;
     CREATE VIEW v_item_coverage AS
SELECT c.year        AS year,
       c.label       AS cycle,
       q.level       AS level,
       q.pillar      AS pillar,
       q.code        AS question_code,
       q.wording     AS question,
       q.series      AS series,
       (SELECT count(*) FROM judgments j JOIN areas f ON f.area_id = j.area_id AND f.kind = 'force'
         WHERE j.question_id = q.question_id) AS forces_held,
       (SELECT count(*) FROM judgments j JOIN areas f ON f.area_id = j.area_id AND f.kind = 'force'
         JOIN grades g ON g.grade_id = j.grade_id
         WHERE j.question_id = q.question_id AND g.rank IS NULL) AS not_graded,
       (SELECT count(*) FROM areas f WHERE f.kind = 'force') AS forces,
       (SELECT group_concat(short_name, ', ') FROM (
          SELECT f.short_name FROM areas f
          WHERE f.kind = 'force' AND NOT EXISTS (
            SELECT 1 FROM judgments j WHERE j.area_id = f.area_id AND j.question_id = q.question_id)
          ORDER BY f.short_name)) AS forces_not_held
FROM questions q
JOIN cycles c ON c.cycle_id = q.cycle_id
WHERE q.graded = 1;;
     CREATE VIEW v_grade_tally AS
SELECT n.code AS area_code, n.short_name AS area_name, 'national' AS scope,
       c.year AS year, c.label AS cycle, q.pillar AS pillar, g.name AS grade, g.rank AS grade_rank,
       (SELECT count(*) FROM judgments j JOIN areas f ON f.area_id = j.area_id AND f.kind = 'force'
         WHERE j.question_id = q.question_id AND j.grade_id = g.grade_id) AS held,
       (SELECT count(*) FROM judgments j JOIN areas f ON f.area_id = j.area_id AND f.kind = 'force'
         WHERE j.question_id = q.question_id) AS forces_held,
       gc.count AS published,
       gc.partial AS published_partial,
       (SELECT location FROM sources WHERE source_id = gc.source_id) AS published_source
FROM questions q
JOIN cycles c ON c.cycle_id = q.cycle_id
JOIN grades g ON g.scale_id = c.scale_id
JOIN areas n ON n.kind = 'national'
LEFT JOIN grade_counts gc ON gc.area_id = n.area_id AND gc.cycle_id = c.cycle_id
                         AND gc.pillar IS q.pillar AND gc.grade_id = g.grade_id
WHERE q.level = 'pillar' AND q.graded = 1
UNION ALL
SELECT a.code, a.short_name, 'force',
       c.year, c.label, NULL, g.name, g.rank,
       (SELECT count(*) FROM judgments j JOIN questions q ON q.question_id = j.question_id
         WHERE j.area_id = a.area_id AND q.cycle_id = c.cycle_id AND q.level = 'area'
           AND j.grade_id = g.grade_id),
       NULL,
       gc.count,
       gc.partial,
       (SELECT location FROM sources WHERE source_id = gc.source_id)
FROM areas a
CROSS JOIN cycles c
JOIN grades g ON g.scale_id = c.scale_id
LEFT JOIN grade_counts gc ON gc.area_id = a.area_id AND gc.cycle_id = c.cycle_id
                         AND gc.pillar IS NULL AND gc.grade_id = g.grade_id
WHERE a.kind = 'force' AND c.has_pillars = 0;;
     CREATE VIEW v_improvements AS
SELECT a.code        AS area_code,
       a.short_name  AS area_name,
       a.kind        AS area_kind,
       c.year        AS year,
       c.label       AS cycle,
       q.pillar      AS pillar,
       q.code        AS question_code,
       q.wording     AS question,
       i.ordinal     AS ordinal,
       i.text        AS text,
       r.title       AS report,
       i.source_line AS source_line
FROM improvement_areas i
JOIN reports r   ON r.report_id = i.report_id
JOIN areas a     ON a.area_id = r.area_id
JOIN questions q ON q.question_id = i.question_id
JOIN cycles c    ON c.cycle_id = q.cycle_id;",
];

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
                sql.split_whitespace().collect::<Vec<_>>().join(" "),
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
const DOCUMENTATION_CSV: &str = include_str!("../seed/documentation.csv");

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

    /// schema.sql as peel 0.1 shipped it (schema version 2), for migration tests.
    const SCHEMA_V2: &str = include_str!("../tests/fixtures/schema-v2.sql");

    #[test]
    fn a_version_1_file_gets_the_partial_report_index() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.db");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(SCHEMA_V2).unwrap();
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
        assert_eq!(version, SCHEMA_VERSION);
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
        // The migrated triggers are peel's own, though laid out unlike schema.sql: peel
        // must still write to the file.
        assert_eq!(foreign_triggers(&conn).unwrap(), Vec::<String>::new());
        ensure_only_peels_triggers(&conn).unwrap();
    }

    #[test]
    fn a_version_2_file_keeps_its_grades_under_the_new_item_codes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v2.db");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(SCHEMA_V2).unwrap();
            // Peel 0.1's shapes: 'overall' pillar questions, word codes, file sources.
            c.execute_batch(
                "INSERT INTO sources (key, kind, location, title, trust)
                 VALUES ('url:k', 'url', 'https://example.org/kent', 'Kent page', 'high'),
                        ('news', 'file', 'seed/original/news.csv', 'news list', 'medium-high');
                 INSERT INTO areas (code, slug, name, short_name, kind, country)
                 VALUES ('K04000001', 'ew', 'E&W', 'E&W', 'national', 'England and Wales');
                 INSERT INTO areas (code, slug, name, short_name, kind, parent_id, country)
                 VALUES ('E23000032', 'kent', 'Kent Police', 'Kent', 'force', 1, 'England');
                 INSERT INTO grade_scales (code, name) VALUES ('peel-4', 'four'), ('peel-5', 'five');
                 INSERT INTO grades (scale_id, name, rank, meaning)
                 VALUES (1, 'Good', 3, 'g'), (1, 'Outstanding', 4, 'o'), (2, 'Adequate', 3, 'a');
                 INSERT INTO cycles (year, label, scale_id, has_pillars)
                 VALUES (2017, '2017', 1, 1), (2023, '2023-25', 2, 0);
                 INSERT INTO questions (cycle_id, pillar, code, wording)
                 VALUES (1, 'legitimacy', 'overall', 'How legitimate?'),
                        (1, 'efficiency', 'use-of-resources', 'Use of resources'),
                        (2, NULL, 'leadership', 'Leadership and force management');
                 INSERT INTO judgments (area_id, question_id, grade_id, source_id, derived)
                 VALUES (2, 1, 2, 1, 0), (2, 2, 1, 2, 1), (2, 3, 3, 1, 0);
                 INSERT INTO grade_counts (area_id, cycle_id, pillar, grade_id, count, source_id)
                 VALUES (1, 1, 'legitimacy', 2, 1, 1);
                 PRAGMA user_version = 2;",
            )
            .unwrap();
        }
        let conn = open(&path, Access::ReadWrite).unwrap();
        let rows: Vec<(String, String, String, String, i64, i64)> = conn
            .prepare(
                "SELECT question_code, level, series, trust, derived, carried_over FROM v_judgments
                 ORDER BY question_code",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let expected = [
            ("A23_LEAD", "area", "A23_LEAD", "high", 0, 0),
            ("P17_LEGI", "pillar", "P14_LEGI", "high", 0, 0),
            // A derived grade is low, whatever its file's trust was.
            ("Q17_F2", "question", "Q16_F2", "low", 1, 0),
        ];
        let expected: Vec<_> = expected
            .iter()
            .map(|(a, b, c, d, e, f)| {
                (
                    a.to_string(),
                    b.to_string(),
                    c.to_string(),
                    d.to_string(),
                    *e,
                    *f,
                )
            })
            .collect();
        assert_eq!(rows, expected);
        let (trust, partial): (String, i64) = conn
            .query_row("SELECT trust, partial FROM grade_counts", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((trust.as_str(), partial), ("high", 0));
        let broken: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(broken, 0);
        let fk: i64 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1, "foreign keys are back on after the migration");
        let documented: i64 = conn
            .query_row(
                "SELECT count(*) FROM documentation WHERE object = 'v_item_coverage'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(documented > 1, "the documentation describes the new views");
    }

    /// Every table and view with its columns (name, type, not null, key), and every index
    /// and trigger name: what a migrated file must share with a new one.
    fn shape(conn: &Connection) -> Vec<String> {
        conn.prepare(
            "SELECT s.type || ' ' || s.name || ifnull(' ' || c.name || ' ' || c.type || ' '
                    || c.\"notnull\" || ' ' || c.pk, '')
             FROM sqlite_schema s LEFT JOIN pragma_table_info(s.name) c
             WHERE s.name NOT LIKE 'sqlite_%' ORDER BY 1",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    #[test]
    fn a_migrated_file_has_the_shape_of_a_new_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(SCHEMA_V2).unwrap();
            c.pragma_update(None, "user_version", 2).unwrap();
        }
        let migrated = open(&path, Access::ReadWrite).unwrap();
        let new = memory();
        create_schema(&new).unwrap();
        assert_eq!(shape(&migrated), shape(&new));
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
