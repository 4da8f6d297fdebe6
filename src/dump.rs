//! The shell's `.dump`: a database, or some of its tables, as SQL text that builds it
//! again, written the way sqlite3's `.dump` writes it, so `sqlite3 new.db < dump.sql`
//! reads it and a diff against sqlite3's own dump shows only the choices listed below.
//!
//! SQLite's dump is part of the sqlite3 program (`shell.c`), not of the library rusqlite
//! builds, so it is written again here, after that program: `PRAGMA foreign_keys=OFF`,
//! then one transaction holding each table's `CREATE` statement and its rows as `INSERT`
//! statements, tables in the order they were made, then the indexes, triggers and views.
//! Rows go in before any trigger exists, so peel's count triggers do not count them a
//! second time, and views come after the tables they read.
//!
//! Where this differs from sqlite3, on purpose:
//! - `.dump TABLE` brings the table's indexes and triggers with it, as `.schema TABLE`
//!   shows them (sqlite3 matches those by their own names, so it leaves them out);
//! - planner statistics are made again with `ANALYZE` instead of copied row by row:
//!   sqlite3's `INSERT INTO sqlite_stat4` fails where SQLite was built without STAT4, as
//!   Debian's sqlite3 is, and `ANALYZE` of the same rows gives the same statistics;
//! - a whole database ends with its `PRAGMA user_version`: peel knows its files, and
//!   their schema version, by it;
//! - text that is not UTF-8 or holds a NUL is written as `CAST(X'..' AS TEXT)`, so every
//!   byte comes back;
//! - reals are written in the fewest digits that read back as the same double (sqlite3
//!   writes twenty).

use std::borrow::Cow;
use std::io::{self, Write};

use rusqlite::Connection;
use rusqlite::types::ValueRef;

/// Why a dump stopped.
#[derive(Debug, thiserror::Error)]
pub enum DumpError {
    /// Reading the database failed.
    #[error("{}", crate::exec::sqlite_message(.0))]
    Sql(#[from] rusqlite::Error),
    /// Writing the dump failed.
    #[error("writing output: {0}")]
    Output(#[from] io::Error),
    /// No table, view, index or trigger has a matching name.
    #[error("no table or view matches {0:?}; .tables lists them")]
    NoMatch(String),
}

impl DumpError {
    /// True when Ctrl-C stopped the dump.
    pub fn is_interrupt(&self) -> bool {
        matches!(self, DumpError::Sql(e)
            if e.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted))
    }
}

/// One schema object, as `sqlite_schema` lists it.
struct Object {
    name: String,
    sql: String,
}

/// Writes the SQL that rebuilds the database, or with `pattern` (a LIKE pattern, as for
/// `.tables`) the matching tables and views, each table with its indexes and triggers.
///
/// The rows are read in one read transaction when none is open, so a writer elsewhere
/// cannot make the dump half old and half new.
pub fn dump(
    conn: &Connection,
    pattern: Option<&str>,
    out: &mut dyn Write,
) -> Result<(), DumpError> {
    let snapshot = if conn.is_autocommit() {
        Some(conn.unchecked_transaction()?)
    } else {
        None
    };
    // A name matches, or (for indexes and triggers) the table it belongs to does.
    let filter = "(?1 IS NULL OR name LIKE ?1 ESCAPE '\\' \
                  OR (type IN ('index', 'trigger') AND tbl_name LIKE ?1 ESCAPE '\\'))";
    let tables = objects(
        conn,
        &format!(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql NOT NULL \
             AND {filter} ORDER BY tbl_name = 'sqlite_sequence', rowid"
        ),
        pattern,
    )?;
    let others = objects(
        conn,
        &format!(
            "SELECT name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger', 'view') \
             AND sql NOT NULL AND {filter} ORDER BY rowid"
        ),
        pattern,
    )?;
    if let Some(p) = pattern
        && tables.is_empty()
        && others.is_empty()
    {
        return Err(DumpError::NoMatch(p.to_string()));
    }
    // The tables behind a virtual table hold its rows in its own format: the virtual
    // table's rows are dumped instead, and it fills them again.
    let shadows: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;

    out.write_all(b"PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n")?;
    let mut analyzed = false;
    for table in &tables {
        if table.name == "sqlite_sequence" {
            out.write_all(b"DELETE FROM sqlite_sequence;\n")?;
        } else if table.name.starts_with("sqlite_stat") {
            analyzed = true;
            continue;
        } else if table.name.starts_with("sqlite_") || shadows.contains(&table.name) {
            continue;
        } else if let Some(rest) = table
            .sql
            .strip_prefix("CREATE TABLE ")
            .filter(|rest| rest.starts_with(['\'', '"']))
        {
            // As sqlite3 writes a table whose name is quoted.
            writeln!(out, "CREATE TABLE IF NOT EXISTS {rest};")?;
        } else {
            writeln!(out, "{};", table.sql)?;
        }
        rows(conn, &table.name, out)?;
    }
    for object in &others {
        writeln!(out, "{};", object.sql)?;
    }
    if pattern.is_none() {
        if analyzed {
            out.write_all(b"ANALYZE;\n")?;
        }
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version != 0 {
            writeln!(out, "PRAGMA user_version={version};")?;
        }
    }
    out.write_all(b"COMMIT;\n")?;
    out.flush()?;
    if let Some(tx) = snapshot {
        tx.rollback()?;
    }
    Ok(())
}

fn objects(conn: &Connection, sql: &str, pattern: Option<&str>) -> rusqlite::Result<Vec<Object>> {
    conn.prepare(sql)?
        .query_map([pattern], |r| {
            Ok(Object {
                name: r.get(0)?,
                sql: r.get(1)?,
            })
        })?
        .collect()
}

/// One `INSERT` per row of `table`, in the table's own order. Generated columns are left
/// out: SQLite computes them again, and refuses values for them.
fn rows(conn: &Connection, table: &str, out: &mut dyn Write) -> Result<(), DumpError> {
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_xinfo(?1) WHERE hidden = 0 ORDER BY cid")?
        .query_map([table], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let list: Vec<Cow<str>> = columns.iter().map(|c| identifier(c)).collect();
    let select = format!("SELECT {} FROM {}", list.join(","), identifier(table));
    let insert = format!("INSERT INTO {} VALUES(", identifier(table));
    let mut statement = conn.prepare(&select)?;
    let mut result = statement.query([])?;
    let mut line = String::new();
    while let Some(row) = result.next()? {
        line.clear();
        line.push_str(&insert);
        for i in 0..columns.len() {
            if i > 0 {
                line.push(',');
            }
            push_literal(&mut line, row.get_ref(i)?);
        }
        line.push_str(");\n");
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// A name as SQL needs it: bare when it is a plain word and not a keyword, else in
/// double quotes with any double quote doubled (sqlite3's rule, so the dumps agree).
pub fn identifier(name: &str) -> Cow<'_, str> {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain && !is_keyword(name) {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(format!("\"{}\"", name.replace('"', "\"\"")))
    }
}

fn is_keyword(word: &str) -> bool {
    let Ok(len) = std::ffi::c_int::try_from(word.len()) else {
        return false;
    };
    // SAFETY: SQLite reads exactly `len` bytes of `word`, which outlives the call.
    unsafe { rusqlite::ffi::sqlite3_keyword_check(word.as_ptr().cast(), len) != 0 }
}

/// A value as a SQL literal that reads back as the same value of the same type.
pub fn literal(value: ValueRef<'_>) -> String {
    let mut s = String::new();
    push_literal(&mut s, value);
    s
}

fn push_literal(s: &mut String, value: ValueRef<'_>) {
    use std::fmt::Write;
    match value {
        ValueRef::Null => s.push_str("NULL"),
        ValueRef::Integer(i) => {
            let _ = write!(s, "{i}");
        }
        ValueRef::Real(f) => s.push_str(&real(f)),
        ValueRef::Text(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) if !text.contains('\0') => push_text(s, text),
            _ => {
                s.push_str("CAST(");
                push_blob(s, bytes);
                s.push_str(" AS TEXT)");
            }
        },
        ValueRef::Blob(bytes) => push_blob(s, bytes),
    }
}

/// A double in the fewest digits that read back as the same double (Rust's shortest
/// round-trip form), always with a `.` or an exponent so it stays a real. Infinities as
/// sqlite3 writes them; NaN cannot be stored (SQLite keeps NULL instead).
fn real(f: f64) -> String {
    if f.is_nan() {
        "NULL".into()
    } else if f == f64::INFINITY {
        "1e999".into()
    } else if f == f64::NEG_INFINITY {
        "-1e999".into()
    } else {
        format!("{f:?}")
    }
}

fn push_blob(s: &mut String, bytes: &[u8]) {
    use std::fmt::Write;
    s.push_str("X'");
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s.push('\'');
}

/// Text in single quotes, a quote doubled. Line breaks are written as markers the text
/// does not hold, turned back by `replace(..., char(10))`: a dump is read line by line,
/// and a carriage return at the end of a line would be lost (sqlite3 does the same).
fn push_text(s: &mut String, text: &str) {
    let newlines = text.contains('\n');
    let returns = text.contains('\r');
    let nl = newlines.then(|| unused_marker(text, "\\n", "\\012"));
    let cr = returns.then(|| unused_marker(text, "\\r", "\\015"));
    if newlines {
        s.push_str("replace(");
    }
    if returns {
        s.push_str("replace(");
    }
    s.push('\'');
    for c in text.chars() {
        match c {
            '\'' => s.push_str("''"),
            '\n' => s.push_str(nl.as_deref().unwrap_or_default()),
            '\r' => s.push_str(cr.as_deref().unwrap_or_default()),
            c => s.push(c),
        }
    }
    s.push('\'');
    if let Some(cr) = &cr {
        s.push_str(&format!(",'{cr}',char(13))"));
    }
    if let Some(nl) = &nl {
        s.push_str(&format!(",'{nl}',char(10))"));
    }
}

/// The first of `a`, `b`, `(a0)`, `(a1)`... that `text` does not contain.
fn unused_marker(text: &str, a: &str, b: &str) -> String {
    if !text.contains(a) {
        return a.to_string();
    }
    if !text.contains(b) {
        return b.to_string();
    }
    (0u64..)
        .map(|i| format!("({a}{i})"))
        .find(|m| !text.contains(m.as_str()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory() -> Connection {
        Connection::open_in_memory().unwrap()
    }

    /// What SQLite reads `sql` as.
    fn read_back(conn: &Connection, sql: &str) -> rusqlite::types::Value {
        conn.query_row(&format!("SELECT {sql}"), [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    #[test]
    fn literals_are_written_as_sqlite3_writes_them() {
        let cases: &[(ValueRef, &str)] = &[
            (ValueRef::Null, "NULL"),
            (ValueRef::Integer(-42), "-42"),
            (ValueRef::Integer(i64::MIN), "-9223372036854775808"),
            (ValueRef::Real(0.1), "0.1"),
            (ValueRef::Real(5.0), "5.0"),
            (ValueRef::Real(-2.5e-7), "-2.5e-7"),
            (ValueRef::Real(1e300), "1e300"),
            (ValueRef::Real(f64::INFINITY), "1e999"),
            (ValueRef::Real(f64::NEG_INFINITY), "-1e999"),
            (ValueRef::Text(b"Avon & Somerset"), "'Avon & Somerset'"),
            (ValueRef::Text(b"King's Lynn"), "'King''s Lynn'"),
            (ValueRef::Text(b""), "''"),
            (ValueRef::Text(b"a\nb"), "replace('a\\nb','\\n',char(10))"),
            (
                ValueRef::Text(b"a\r\nb"),
                "replace(replace('a\\r\\nb','\\r',char(13)),'\\n',char(10))",
            ),
            // The text holds the first marker itself, so the second is used.
            (
                ValueRef::Text(b"C:\\new\nline"),
                "replace('C:\\new\\012line','\\012',char(10))",
            ),
            (
                ValueRef::Text(b"\\n \\012\n"),
                "replace('\\n \\012(\\n0)','(\\n0)',char(10))",
            ),
            (
                ValueRef::Text(b"nul\0byte"),
                "CAST(X'6e756c0062797465' AS TEXT)",
            ),
            (ValueRef::Text(b"\xff\xfe"), "CAST(X'fffe' AS TEXT)"),
            (ValueRef::Blob(b""), "X''"),
            (ValueRef::Blob(&[0x00, 0xab, 0x10]), "X'00ab10'"),
        ];
        for (value, expected) in cases {
            assert_eq!(&literal(*value), expected, "{value:?}");
        }
    }

    #[test]
    fn literals_read_back_as_the_same_value_and_type() {
        use rusqlite::types::Value as V;
        let conn = memory();
        let values = [
            V::Null,
            V::Integer(i64::MIN),
            V::Integer(i64::MAX),
            V::Real(0.1),
            V::Real(-0.0),
            V::Real(5.0),
            V::Real(1e16),
            V::Real(123456789.12345679),
            V::Real(f64::MAX),
            V::Real(f64::MIN_POSITIVE),
            V::Real(5e-324),
            V::Real(f64::INFINITY),
            V::Real(f64::NEG_INFINITY),
            V::Text("it's\r\n\\n \\012 (\\n0)\n\t\u{1b}[31m é ✓".into()),
            V::Text("nul\0inside".into()),
            V::Blob(vec![0, 1, 2, 255]),
        ];
        for v in values {
            let sql = literal(ValueRef::from(&v));
            assert_eq!(read_back(&conn, &sql), v, "{sql}");
            if let V::Real(f) = v {
                let V::Real(back) = read_back(&conn, &sql) else {
                    panic!("{sql} is not a real")
                };
                assert_eq!(back.to_bits(), f.to_bits(), "{sql}");
            }
        }
        // Bytes that are not UTF-8 come back byte for byte, as text.
        let sql = literal(ValueRef::Text(b"\xff\xfe"));
        let (kind, hex): (String, String) = conn
            .query_row(&format!("SELECT typeof({sql}), hex({sql})"), [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((kind.as_str(), hex.as_str()), ("text", "FFFE"));
    }

    proptest::proptest! {
        /// Every finite double, written and read by SQLite, is the same double.
        #[test]
        fn every_real_reads_back_exactly(bits in proptest::prelude::any::<u64>()) {
            let f = f64::from_bits(bits);
            proptest::prop_assume!(f.is_finite());
            thread_local!(static CONN: Connection = Connection::open_in_memory().unwrap());
            let sql = literal(ValueRef::Real(f));
            let back: f64 = CONN.with(|c| c.query_row(&format!("SELECT {sql}"), [], |r| r.get(0))).unwrap();
            proptest::prop_assert_eq!(back.to_bits(), f.to_bits(), "{}", sql);
        }

        /// Any text, written and read by SQLite, is the same text.
        #[test]
        fn any_text_reads_back_exactly(text in proptest::prelude::any::<String>()) {
            thread_local!(static CONN: Connection = Connection::open_in_memory().unwrap());
            let sql = literal(ValueRef::Text(text.as_bytes()));
            let back: String = CONN.with(|c| c.query_row(&format!("SELECT {sql}"), [], |r| r.get(0))).unwrap();
            proptest::prop_assert_eq!(back, text);
        }
    }

    #[test]
    fn names_are_quoted_only_when_they_must_be() {
        assert_eq!(identifier("areas"), "areas");
        assert_eq!(identifier("_x1"), "_x1");
        assert_eq!(identifier("order"), "\"order\"");
        assert_eq!(identifier("my table"), "\"my table\"");
        assert_eq!(identifier("1st"), "\"1st\"");
        assert_eq!(identifier("a\"b"), "\"a\"\"b\"");
        assert_eq!(identifier(""), "\"\"");
        assert_eq!(identifier("é"), "\"é\"");
    }

    fn dumped(conn: &Connection, pattern: Option<&str>) -> String {
        let mut out = Vec::new();
        dump(conn, pattern, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_dump_lists_tables_with_rows_then_indexes_triggers_and_views() {
        let conn = memory();
        conn.execute_batch(
            "CREATE TABLE \"odd \"\"name\" (id INTEGER PRIMARY KEY, \"order\" TEXT, x REAL, b BLOB,
                 twice REAL GENERATED ALWAYS AS (x * 2));
             INSERT INTO \"odd \"\"name\" VALUES (1, 'it''s', 1.5, X'00ff'), (2, NULL, -0.25, NULL);
             CREATE TABLE log (what TEXT);
             CREATE INDEX odd_order ON \"odd \"\"name\" (\"order\");
             CREATE TRIGGER odd_logged AFTER INSERT ON \"odd \"\"name\" BEGIN INSERT INTO log VALUES ('added'); END;
             CREATE VIEW v AS SELECT id FROM \"odd \"\"name\";
             PRAGMA user_version = 7;",
        )
        .unwrap();
        assert_eq!(
            dumped(&conn, None),
            "PRAGMA foreign_keys=OFF;\n\
             BEGIN TRANSACTION;\n\
             CREATE TABLE IF NOT EXISTS \"odd \"\"name\" (id INTEGER PRIMARY KEY, \"order\" TEXT, x REAL, b BLOB,\n                 twice REAL GENERATED ALWAYS AS (x * 2));\n\
             INSERT INTO \"odd \"\"name\" VALUES(1,'it''s',1.5,X'00ff');\n\
             INSERT INTO \"odd \"\"name\" VALUES(2,NULL,-0.25,NULL);\n\
             CREATE TABLE log (what TEXT);\n\
             CREATE INDEX odd_order ON \"odd \"\"name\" (\"order\");\n\
             CREATE TRIGGER odd_logged AFTER INSERT ON \"odd \"\"name\" BEGIN INSERT INTO log VALUES ('added'); END;\n\
             CREATE VIEW v AS SELECT id FROM \"odd \"\"name\";\n\
             PRAGMA user_version=7;\n\
             COMMIT;\n"
        );
        // One table: its index and trigger come with it; the log table does not.
        let one = dumped(&conn, Some("odd \"name"));
        assert!(one.contains("CREATE INDEX odd_order"), "{one}");
        assert!(one.contains("CREATE TRIGGER odd_logged"), "{one}");
        assert!(!one.contains("CREATE TABLE log"), "{one}");
        assert!(!one.contains("user_version"), "{one}");
        let mut out = Vec::new();
        assert_eq!(
            dump(&conn, Some("nosuch"), &mut out)
                .unwrap_err()
                .to_string(),
            "no table or view matches \"nosuch\"; .tables lists them"
        );
    }

    #[test]
    fn a_dump_read_into_an_empty_database_gives_the_same_rows() {
        let conn = memory();
        conn.execute_batch(
            "CREATE TABLE t (a, b TEXT, c REAL, d BLOB, e INTEGER PRIMARY KEY AUTOINCREMENT);
             CREATE TABLE w (k TEXT PRIMARY KEY, v) WITHOUT ROWID;
             INSERT INTO t (a, b, c, d) VALUES (1, 'x\ny', 0.1, X'01'), ('2', NULL, 1e-300, NULL), (2.5, '', -1e308, X'');
             DELETE FROM t WHERE a = 1;
             INSERT INTO w VALUES ('b', 1), ('a', 'two');
             CREATE INDEX t_b ON t (b);
             ANALYZE;",
        )
        .unwrap();
        let text = dumped(&conn, None);
        assert!(
            text.contains(
                "DELETE FROM sqlite_sequence;\nINSERT INTO sqlite_sequence VALUES('t',3);\n"
            ),
            "{text}"
        );
        assert!(text.contains("ANALYZE;\n"), "{text}");
        assert!(!text.contains("sqlite_stat"), "{text}");
        let copy = memory();
        copy.execute_batch(&text).unwrap();
        let all = |c: &Connection, sql: &str| -> Vec<Vec<rusqlite::types::Value>> {
            let mut s = c.prepare(sql).unwrap();
            let n = s.column_count();
            s.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        for sql in [
            "SELECT *, typeof(a) FROM t ORDER BY e",
            "SELECT * FROM w",
            "SELECT * FROM sqlite_sequence",
            "SELECT * FROM sqlite_stat1 ORDER BY tbl, idx",
            "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name",
        ] {
            assert_eq!(all(&copy, sql), all(&conn, sql), "{sql}");
        }
    }
}
