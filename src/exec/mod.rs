//! The one SQL executor every entry point goes through (`peel sql`, piped stdin, and later
//! the shell and canned queries): split a script into statements with SQLite's own
//! `sqlite3_complete`, bind `:named` parameters, and stream each result to a [`RowSink`].

use std::collections::HashMap;
use std::ffi::CString;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, mpsc};
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Batch, Connection, ToSql, fallible_iterator::FallibleIterator};

use crate::output::RowSink;
use crate::value::Value;

mod split;

/// True when `sql` ends a complete statement (or several): SQLite's own rule, so
/// semicolons inside strings, comments and `CREATE TRIGGER ... END;` are handled.
pub fn is_complete(sql: &str) -> bool {
    match CString::new(sql) {
        // SAFETY: `c` is a valid NUL-terminated string that outlives the call.
        Ok(c) => unsafe { rusqlite::ffi::sqlite3_complete(c.as_ptr()) != 0 },
        // An interior NUL cannot be sent to SQLite; let prepare report it.
        Err(_) => true,
    }
}

/// One statement of a script, with the line it starts on (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk<'a> {
    /// The statement text, including its terminating semicolon when it has one.
    pub text: &'a str,
    /// The line of the script the statement starts on.
    pub line: usize,
}

/// Splits a script into complete statements. A trailing statement without a semicolon is
/// kept (SQLite accepts it); chunks holding only whitespace or comments are kept too, and
/// the executor skips them. The chunks concatenate back to `sql`, byte for byte.
pub fn split_statements(sql: &str) -> Vec<Chunk<'_>> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut line = 1;
    for i in split::statement_ends(sql) {
        let candidate = &sql[start..=i];
        chunks.push(Chunk {
            text: candidate,
            line: line + leading_newlines(candidate),
        });
        line += candidate.matches('\n').count();
        start = i + 1;
    }
    let rest = &sql[start..];
    if !rest.is_empty() {
        chunks.push(Chunk {
            text: rest,
            line: line + leading_newlines(rest),
        });
    }
    chunks
}

/// Lines before the first non-blank character, so a statement's line is where it starts.
fn leading_newlines(text: &str) -> usize {
    let trimmed = text.trim_start();
    text[..text.len() - trimmed.len()].matches('\n').count()
}

/// Named parameter values, keyed with their sigil (`:force`).
pub type Params = HashMap<String, Value>;

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

/// A failure while running a script.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// SQLite refused or failed a statement.
    #[error("statement {index} (line {line}: {snippet}): {message}")]
    Sql {
        /// 1-based position of the statement in the script.
        index: usize,
        /// Line of the script where it starts.
        line: usize,
        /// The start of the statement, on one line.
        snippet: String,
        /// What went wrong.
        message: String,
        /// SQLite's error code, when SQLite raised it.
        code: Option<rusqlite::ErrorCode>,
    },
    /// Writing the output failed (a closed pipe, a full disk).
    #[error("writing output: {0}")]
    Output(#[from] io::Error),
}

impl ExecError {
    /// True when SQLite stopped the statement because it was interrupted (Ctrl-C).
    pub fn is_interrupt(&self) -> bool {
        matches!(
            self,
            ExecError::Sql {
                code: Some(rusqlite::ErrorCode::OperationInterrupted),
                ..
            }
        )
    }
}

/// SQLite's own words for an error, without rusqlite's repetition of the SQL text.
pub fn sqlite_message(error: &rusqlite::Error) -> String {
    match error {
        rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    }
}

/// The longest message shown, in characters: a message may quote a 50 MB cell or a
/// 100 kB argument, and echoing it whole helps no one.
pub const MAX_MESSAGE: usize = 1000;

/// A message as one line of plain text. Messages quote file names, SQL and values from
/// databases other people made: a line break would split the error, and an escape
/// sequence would reach the analyst's terminal, so every control character becomes a
/// space (runs of them one space), bidi controls (which reorder what a terminal shows)
/// are named (`<U+202E>`), and the message stops after [`MAX_MESSAGE`] characters.
pub fn one_line(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(4 * MAX_MESSAGE));
    let mut gap = false;
    let mut shown = 0;
    for c in message.trim().chars() {
        if shown >= MAX_MESSAGE {
            out.push_str("… (cut)");
            break;
        }
        if c.is_control() {
            gap = true;
            continue;
        }
        if gap {
            out.push(' ');
            gap = false;
        }
        if crate::output::safe::is_bidi_control(c) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
        shown += 1;
    }
    out
}

/// Shortens a statement to one line for error messages.
pub fn snippet(sql: &str) -> String {
    const MAX: usize = 60;
    let one_line = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > MAX {
        let cut: String = one_line.chars().take(MAX).collect();
        format!("`{cut}...`")
    } else {
        format!("`{one_line}`")
    }
}

/// The first keyword of a statement, after whitespace and comments, upper-cased; empty
/// when the text holds none (only comments, or something that is not a keyword).
pub fn first_keyword(sql: &str) -> String {
    skip_comments(sql)
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_uppercase()
}

/// `sql` after leading whitespace and comments.
fn skip_comments(sql: &str) -> &str {
    let mut rest = sql;
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("--") {
            rest = r.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.split_once("*/").map_or("", |(_, after)| after);
        } else {
            return rest;
        }
    }
}

/// The statements that may run under [`Policy::read_only`], by their first keyword.
pub const READ_KEYWORDS: [&str; 3] = ["SELECT", "WITH", "VALUES"];

/// Every other keyword SQLite's grammar lets a statement start with. A word outside both
/// lists starts no statement: SQLite refuses it with a syntax error and compiles nothing.
const OTHER_STATEMENT_KEYWORDS: [&str; 20] = [
    "ALTER",
    "ANALYZE",
    "ATTACH",
    "BEGIN",
    "COMMIT",
    "CREATE",
    "DELETE",
    "DETACH",
    "DROP",
    "END",
    "EXPLAIN",
    "INSERT",
    "PRAGMA",
    "REINDEX",
    "RELEASE",
    "REPLACE",
    "ROLLBACK",
    "SAVEPOINT",
    "UPDATE",
    "VACUUM",
];

/// Why a statement may not run under the read-only policy, judged from its text alone,
/// before SQLite compiles it. Compiling is not harmless: a `PRAGMA` that sets a flag
/// (`trusted_schema`, `query_only`, `foreign_keys`, even the process-wide
/// `hard_heap_limit`) takes effect when it is prepared, and SQLite calls `PRAGMA`,
/// `ATTACH`, `BEGIN`, `COMMIT`, `ROLLBACK` and `SAVEPOINT` read-only although they change
/// the connection or end its transaction. So only statements that start with SELECT,
/// WITH or VALUES (or with no statement keyword at all, which SQLite refuses as a syntax
/// error) are let through to be prepared; SQLite's own read-only test then catches
/// `WITH ... DELETE`.
pub fn read_only_refusal(sql: &str) -> Option<String> {
    let keyword = first_keyword(sql);
    if keyword == "EXPLAIN" {
        // `EXPLAIN [QUERY PLAN] SELECT ...` (peel run --explain) describes a read and runs
        // nothing; what follows EXPLAIN is judged like any statement.
        let rest = skip_comments(sql)[keyword.len()..].trim_start();
        let rest = match rest.get(..5) {
            Some(word) if word.eq_ignore_ascii_case("query") => {
                let after = rest[5..].trim_start();
                match after.get(..4) {
                    Some(plan) if plan.eq_ignore_ascii_case("plan") => &after[4..],
                    _ => rest,
                }
            }
            _ => rest,
        };
        let inner = first_keyword(rest);
        if READ_KEYWORDS.contains(&inner.as_str()) {
            return None;
        }
    }
    if !OTHER_STATEMENT_KEYWORDS.contains(&keyword.as_str()) {
        return None;
    }
    Some(format!(
        "only statements that read are allowed here (SELECT, WITH, VALUES), not {keyword}"
    ))
}

/// How statements may run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Policy {
    /// Refuse any statement that could write (canned and saved queries).
    pub read_only: bool,
}

/// How long a canned or saved query may run when `--timeout` is not given: far beyond
/// what any canned query needs (under 50 ms on ten million figures, BENCHMARKS.md), and
/// short enough that a file with an endless view or saved query cannot hang a script.
pub const QUERY_TIME_LIMIT: Duration = Duration::from_secs(60);

/// `--timeout` for this process, when given (zero: no limit).
static TIME_LIMIT: OnceLock<Duration> = OnceLock::new();

/// Sets the time limit of every script this process runs (`--timeout SECONDS`); zero
/// means none. The first call wins.
pub fn set_time_limit(limit: Duration) {
    let _ = TIME_LIMIT.set(limit);
}

impl Policy {
    /// The time a script may run: `--timeout` when given, else [`QUERY_TIME_LIMIT`] for
    /// canned and saved queries and none for the analyst's own SQL.
    pub fn time_limit(&self) -> Option<Duration> {
        match TIME_LIMIT.get() {
            Some(limit) if limit.is_zero() => None,
            Some(limit) => Some(*limit),
            None if self.read_only => Some(QUERY_TIME_LIMIT),
            None => None,
        }
    }
}

/// What a script did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Statements run.
    pub statements: usize,
    /// Rows sent to the sink, over all results.
    pub rows: u64,
    /// Rows changed by the last writing statement.
    pub changes: u64,
}

/// Runs every statement of `sql` in order, sending each result to `sink`. Stops at the
/// first error, which names the statement and its line, and at the policy's time limit.
pub fn run_script(
    conn: &Connection,
    sql: &str,
    params: &Params,
    policy: Policy,
    sink: &mut dyn RowSink,
) -> Result<Summary, ExecError> {
    run_script_within(conn, sql, params, policy, sink, policy.time_limit())
}

/// [`run_script`] with an explicit time limit (`None`: none).
pub fn run_script_within(
    conn: &Connection,
    sql: &str,
    params: &Params,
    policy: Policy,
    sink: &mut dyn RowSink,
    limit: Option<Duration>,
) -> Result<Summary, ExecError> {
    let Some(limit) = limit else {
        return run_statements(conn, sql, params, policy, sink);
    };
    // A watchdog interrupts the statement at the limit unless told the script is done.
    let expired = Arc::new(AtomicBool::new(false));
    let (done, wait) = mpsc::channel::<()>();
    let watchdog = {
        let handle = conn.get_interrupt_handle();
        let expired = Arc::clone(&expired);
        std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(limit) {
                expired.store(true, Ordering::SeqCst);
                handle.interrupt();
            }
        })
    };
    let result = run_statements(conn, sql, params, policy, sink);
    let _ = done.send(());
    let _ = watchdog.join();
    match result {
        Err(ExecError::Sql {
            index,
            line,
            snippet,
            ..
        }) if expired.load(Ordering::SeqCst) => Err(ExecError::Sql {
            index,
            line,
            snippet,
            message: format!(
                "stopped after {} s, the time limit (--timeout SECONDS sets it, 0 for none)",
                limit.as_secs_f64()
            ),
            code: None,
        }),
        other => other,
    }
}

fn run_statements(
    conn: &Connection,
    sql: &str,
    params: &Params,
    policy: Policy,
    sink: &mut dyn RowSink,
) -> Result<Summary, ExecError> {
    let mut summary = Summary::default();
    for (n, chunk) in split_statements(sql).into_iter().enumerate() {
        let index = n + 1;
        let fail = |message: String, cause: Option<rusqlite::Error>| ExecError::Sql {
            index,
            line: chunk.line,
            snippet: snippet(chunk.text),
            message,
            code: cause.and_then(|e| e.sqlite_error_code()),
        };
        if policy.read_only
            && let Some(why) = read_only_refusal(chunk.text)
        {
            return Err(fail(why, None));
        }
        // A chunk may hold only comments: Batch yields no statement for it.
        let mut batch = Batch::new(conn, chunk.text);
        let mut stmt = match batch.next() {
            Ok(Some(stmt)) => stmt,
            Ok(None) => continue,
            Err(e) => return Err(fail(sqlite_message(&e), Some(e))),
        };
        if policy.read_only && !stmt.readonly() {
            return Err(fail(
                "only statements that read are allowed here".into(),
                None,
            ));
        }
        for i in 1..=stmt.parameter_count() {
            let Some(name) = stmt.parameter_name(i).map(str::to_string) else {
                return Err(fail(
                    format!("parameter {i} is positional (?); use :named parameters"),
                    None,
                ));
            };
            let value = params
                .get(&name)
                .ok_or_else(|| fail(format!("no value for parameter {name}"), None))?;
            stmt.raw_bind_parameter(i, value)
                .map_err(|e| fail(sqlite_message(&e), Some(e)))?;
        }
        let columns: Vec<String> = stmt.column_names().map(str::to_string).collect();
        summary.statements += 1;
        if columns.is_empty() {
            let changed = stmt
                .raw_execute()
                .map_err(|e| fail(sqlite_message(&e), Some(e)))?;
            summary.changes = changed as u64;
            continue;
        }
        sink.begin(&columns)?;
        let mut rows = stmt.raw_query();
        let mut values = Vec::with_capacity(columns.len());
        loop {
            let row = match rows.next() {
                Ok(Some(row)) => row,
                Ok(None) => break,
                Err(e) => return Err(fail(sqlite_message(&e), Some(e))),
            };
            values.clear();
            for i in 0..columns.len() {
                let v = row
                    .get_ref(i)
                    .map_err(|e| fail(sqlite_message(&e), Some(e)))?;
                values.push(Value::from_sql(v));
            }
            sink.row(&values)?;
            summary.rows += 1;
        }
        sink.end()?;
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Format, Options, sink};

    #[test]
    fn an_endless_query_stops_at_the_time_limit_and_says_so() {
        let conn = Connection::open_in_memory().unwrap();
        let endless = "SELECT 1 AS ok;\nWITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)\n SELECT count(*) FROM n;";
        let mut out = Vec::new();
        let err = {
            let mut s = sink(Format::Csv, &mut out, &Options::default());
            run_script_within(
                &conn,
                endless,
                &Params::new(),
                Policy { read_only: true },
                s.as_mut(),
                Some(Duration::from_millis(200)),
            )
            .unwrap_err()
        };
        assert_eq!(
            err.to_string(),
            "statement 2 (line 2: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM...`): \
             stopped after 0.2 s, the time limit (--timeout SECONDS sets it, 0 for none)"
        );
        assert!(!err.is_interrupt(), "a time limit is not a Ctrl-C");
        // The second result had begun (its header) when the limit stopped it.
        assert_eq!(String::from_utf8(out).unwrap(), "ok\n1\ncount(*)\n");
        // The connection is usable afterwards: no interrupt is left pending.
        let n: i64 = conn.query_row("SELECT 41 + 1", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 42);
    }

    #[test]
    fn canned_and_saved_queries_have_a_limit_and_the_analysts_sql_none() {
        // Without --timeout (tests never set it).
        assert_eq!(
            Policy { read_only: true }.time_limit(),
            Some(QUERY_TIME_LIMIT)
        );
        assert_eq!(Policy::default().time_limit(), None);
    }

    #[test]
    fn completeness_follows_sqlite() {
        assert!(is_complete("SELECT 1;"));
        assert!(!is_complete("SELECT 1"));
        assert!(!is_complete("SELECT ';"));
        assert!(!is_complete(
            "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1;"
        ));
        assert!(is_complete(
            "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;"
        ));
    }

    #[test]
    fn splitting_keeps_semicolons_in_strings_and_counts_lines() {
        let script = "SELECT 'a;b';\n\n  SELECT 2;\n-- only a comment\nSELECT 3";
        let chunks = split_statements(script);
        let texts: Vec<_> = chunks.iter().map(|c| c.text.trim()).collect();
        assert_eq!(
            texts,
            vec!["SELECT 'a;b';", "SELECT 2;", "-- only a comment\nSELECT 3"]
        );
        let lines: Vec<_> = chunks.iter().map(|c| c.line).collect();
        assert_eq!(lines, vec![1, 3, 4]);
    }

    /// SQL-shaped text: the tokens that decide where statements end, mixed with any text.
    fn sql_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let token = prop_oneof![
            proptest::sample::select(vec![
                "SELECT 1",
                ";",
                "'",
                "\"",
                "`",
                "[",
                "]",
                "--",
                "/*",
                "*/",
                "\n",
                "\r\n",
                " ",
                "\t",
                "CREATE TRIGGER t AFTER INSERT ON x BEGIN",
                "END",
                "BEGIN",
                "CASE",
                "WHEN",
                "x'00'",
                "\0",
                "é",
                "\u{2028}",
            ])
            .prop_map(str::to_string),
            any::<String>(),
        ];
        proptest::collection::vec(token, 0..40).prop_map(|t| t.concat())
    }

    proptest::proptest! {
        #[test]
        fn split_statements_keeps_every_byte_and_counts_lines(sql in sql_text()) {
            let chunks = split_statements(&sql);
            let joined: String = chunks.iter().map(|c| c.text).collect();
            proptest::prop_assert_eq!(&joined, &sql);
            let mut offset = 0;
            for (i, c) in chunks.iter().enumerate() {
                proptest::prop_assert!(!c.text.is_empty());
                // Every chunk but the last ends a complete statement at a semicolon.
                if i + 1 < chunks.len() {
                    proptest::prop_assert!(c.text.ends_with(';') && is_complete(c.text));
                }
                let first = offset + (c.text.len() - c.text.trim_start().len());
                let line = 1 + sql[..first].matches('\n').count();
                proptest::prop_assert_eq!(c.line, line, "chunk {} {:?}", i, c.text);
                offset += c.text.len();
            }
        }
    }

    fn run(
        conn: &Connection,
        sql: &str,
        params: &Params,
        policy: Policy,
    ) -> Result<String, ExecError> {
        let mut out = Vec::new();
        {
            let mut s = sink(Format::Csv, &mut out, &Options::default());
            run_script(conn, sql, params, policy, s.as_mut())?;
        }
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn runs_each_statement_and_streams_results() {
        let conn = Connection::open_in_memory().unwrap();
        let out = run(
            &conn,
            "CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 'x'), (2, NULL); SELECT * FROM t; SELECT count(*) AS n FROM t;",
            &Params::new(),
            Policy::default(),
        )
        .unwrap();
        assert_eq!(out, "a,b\n1,x\n2,\nn\n2\n");
    }

    #[test]
    fn errors_name_the_statement_and_line() {
        let conn = Connection::open_in_memory().unwrap();
        let err = run(
            &conn,
            "SELECT 1;\nSELEC 2;",
            &Params::new(),
            Policy::default(),
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("statement 2 (line 2: `SELEC 2;`): "),
            "{text}"
        );
        assert!(text.contains("syntax error"), "{text}");
    }

    #[test]
    fn named_parameters_are_bound_never_pasted() {
        let conn = Connection::open_in_memory().unwrap();
        let mut params = Params::new();
        params.insert(":v".into(), Value::Text("x' OR '1'='1".into()));
        let out = run(&conn, "SELECT :v AS v;", &params, Policy::default()).unwrap();
        assert_eq!(out, "v\nx' OR '1'='1\n");
        let err = run(&conn, "SELECT :missing;", &Params::new(), Policy::default()).unwrap_err();
        assert!(err.to_string().contains("no value for parameter :missing"));
    }

    #[test]
    fn first_keyword_skips_comments() {
        assert_eq!(first_keyword("  -- hi\n /* x */ attach 'a' AS b"), "ATTACH");
        assert_eq!(first_keyword("SELECT 1"), "SELECT");
        assert_eq!(first_keyword("-- only a comment"), "");
        assert_eq!(first_keyword("/* unterminated PRAGMA x=1"), "");
    }

    #[test]
    fn explain_is_read_only_only_for_reads() {
        assert_eq!(read_only_refusal("EXPLAIN QUERY PLAN SELECT 1"), None);
        assert_eq!(
            read_only_refusal("explain query plan -- why\n WITH x AS (SELECT 1) SELECT * FROM x"),
            None
        );
        assert_eq!(read_only_refusal("EXPLAIN SELECT 1"), None);
        for sql in [
            "EXPLAIN PRAGMA trusted_schema = 1",
            "EXPLAIN QUERY PLAN PRAGMA trusted_schema = 1",
            "EXPLAIN QUERY PLAN DELETE FROM t",
            "EXPLAIN ATTACH 'x' AS y",
            "EXPLAIN",
        ] {
            assert!(read_only_refusal(sql).is_some(), "let through: {sql}");
        }
    }

    #[test]
    fn read_only_policy_refuses_statements_before_compiling_them() {
        let conn = Connection::open_in_memory().unwrap();
        crate::db::configure(&conn).unwrap();
        for sql in [
            "PRAGMA trusted_schema = 1;",
            "/* x */ pragma query_only = 0;",
            "EXPLAIN PRAGMA foreign_keys = 0;",
            "ATTACH ':memory:' AS other;",
            "BEGIN;",
            "ROLLBACK;",
            "SAVEPOINT s;",
        ] {
            let err = run(&conn, sql, &Params::new(), Policy { read_only: true }).unwrap_err();
            assert!(
                err.to_string().contains("only statements that read"),
                "{sql}: {err}"
            );
        }
        // Had any of them been compiled, these flags would now be set.
        let trusted: i64 = conn
            .pragma_query_value(None, "trusted_schema", |r| r.get(0))
            .unwrap();
        let fk: i64 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!((trusted, fk), (0, 1));
        assert!(conn.is_autocommit());
        let ok = run(
            &conn,
            "-- fine\nWITH x(n) AS (VALUES (1)) SELECT n FROM x; VALUES (2);",
            &Params::new(),
            Policy { read_only: true },
        )
        .unwrap();
        assert_eq!(ok, "n\n1\ncolumn1\n2\n");
        run(
            &conn,
            "CREATE TABLE t(x);",
            &Params::new(),
            Policy::default(),
        )
        .unwrap();
        let err = run(
            &conn,
            "WITH x(n) AS (VALUES (1)) DELETE FROM t",
            &Params::new(),
            Policy { read_only: true },
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("only statements that read"),
            "{err}"
        );
    }

    #[test]
    fn read_only_policy_refuses_writes() {
        let conn = Connection::open_in_memory().unwrap();
        let err = run(
            &conn,
            "CREATE TABLE t(a);",
            &Params::new(),
            Policy { read_only: true },
        )
        .unwrap_err();
        assert!(err.to_string().contains("only statements that read"));
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tables, 0);
    }
}
