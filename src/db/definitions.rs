//! peel's own definitions of its tables, views, indexes and triggers, and how a file's
//! differ from them. A file from someone else may have a view redefined (to show a grade
//! that was never given) or a NOT NULL edited out of a table; `check` compares every
//! definition with the schema peel builds, and `export` writes views and triggers from
//! peel's own text, never from the file's.

use std::sync::OnceLock;

use rusqlite::Connection;

/// One object of a schema, as `sqlite_schema` holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// `table`, `view`, `index` or `trigger`.
    pub kind: String,
    /// Its name.
    pub name: String,
    /// The table it belongs to (itself for a table).
    pub table: String,
    /// Its SQL, as written (`None` for indexes SQLite makes itself).
    pub sql: Option<String>,
}

/// The objects of the schema peel builds, in `sqlite_schema` order.
pub fn peel_definitions() -> &'static [Definition] {
    static DEFINITIONS: OnceLock<Vec<Definition>> = OnceLock::new();
    DEFINITIONS.get_or_init(|| {
        let conn = Connection::open_in_memory().expect("an in-memory database");
        super::create_schema(&conn).expect("peel's own schema builds");
        definitions(&conn).expect("reading peel's own schema")
    })
}

/// The objects of the file's schema (SQLite's internal ones left out).
pub fn definitions(conn: &Connection) -> rusqlite::Result<Vec<Definition>> {
    conn.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema
         WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
    )?
    .query_map([], |r| {
        Ok(Definition {
            kind: r.get(0)?,
            name: r.get(1)?,
            table: r.get(2)?,
            sql: r.get(3)?,
        })
    })?
    .collect()
}

/// SQL text with comments dropped, whitespace collapsed, no space around brackets and
/// commas, and the created object's name unquoted: two definitions that SQLite reads alike
/// and differ only in layout (or in the quotes `ALTER TABLE ... RENAME` adds) compare
/// equal.
pub fn normalise(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | '`' | '[' => {
                let close = if c == '[' { ']' } else { c };
                if space && !out.is_empty() && !out.ends_with(['(', ',']) {
                    out.push(' ');
                }
                space = false;
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == close {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
                space = true;
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for d in chars.by_ref() {
                    if last == '*' && d == '/' {
                        break;
                    }
                    last = d;
                }
                space = true;
            }
            // SQLite's whitespace only: any other character, a no-break space included,
            // is part of a word to SQLite (`NOT\u{a0}NULL` is a type name, not a
            // constraint), so it must stay in the text compared.
            ' ' | '\t' | '\n' | '\x0c' | '\r' => space = true,
            '(' | ')' | ',' => {
                out.push(c);
                space = false;
            }
            c => {
                if space && !out.is_empty() && !out.ends_with(['(', ',']) {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
    }
    let out = out.replace(" (", "(").replace(" )", ")");
    unquote_created_name(&out)
}

/// `CREATE TABLE "judgments"(` as `CREATE TABLE judgments(`.
fn unquote_created_name(sql: &str) -> String {
    for kind in ["TABLE", "VIEW", "INDEX", "TRIGGER", "UNIQUE INDEX"] {
        let prefix = format!("CREATE {kind} \"");
        if let Some(rest) = sql.strip_prefix(&prefix)
            && let Some((name, after)) = rest.split_once('"')
            && !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return format!("CREATE {kind} {name}{after}");
        }
    }
    sql.to_string()
}

/// How the file's schema differs from peel's: one line per difference, empty when every
/// object peel defines is there as peel defines it and no trigger peel does not make is
/// present. Tables, views and indexes of the user's own are allowed (`own` lists them).
pub fn differences(conn: &Connection) -> rusqlite::Result<(Vec<String>, Vec<String>)> {
    let file = definitions(conn)?;
    let theirs = |kind: &str, name: &str| {
        file.iter()
            .find(|d| d.kind == kind && d.name.eq_ignore_ascii_case(name))
    };
    let mut found = Vec::new();
    for ours in peel_definitions() {
        match theirs(&ours.kind, &ours.name) {
            None => found.push(format!("{} {} is missing", ours.kind, ours.name)),
            Some(d) if d.sql.as_deref().map(normalise) != ours.sql.as_deref().map(normalise) => {
                found.push(format!(
                    "{} {} differs from peel's definition",
                    ours.kind, ours.name
                ))
            }
            Some(_) => {}
        }
    }
    let mut own = Vec::new();
    for d in &file {
        let peels = peel_definitions()
            .iter()
            .any(|o| o.kind == d.kind && o.name.eq_ignore_ascii_case(&d.name));
        if peels {
            continue;
        }
        if d.kind == "trigger" {
            found.push(format!(
                "trigger {} on {} is not peel's (it could change data as peel writes)",
                d.name, d.table
            ));
        } else {
            own.push(format!("{} {}", d.kind, d.name));
        }
    }
    Ok((found, own))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_comments_and_renamed_quotes_do_not_matter() {
        assert_eq!(
            normalise("CREATE TABLE \"t\" (\n  a INTEGER NOT NULL, -- the key\n  b TEXT /* x */ )"),
            "CREATE TABLE t(a INTEGER NOT NULL,b TEXT)"
        );
        assert_eq!(
            normalise("CREATE VIEW v AS SELECT 'a  b' , \"c  d\" FROM t"),
            "CREATE VIEW v AS SELECT 'a  b',\"c  d\" FROM t"
        );
        // What the view says is not layout.
        assert_ne!(
            normalise("CREATE VIEW v AS SELECT grade FROM t"),
            normalise("CREATE VIEW v AS SELECT 'Outstanding' AS grade FROM t")
        );
        assert_ne!(
            normalise("CREATE TABLE t(a TEXT NOT NULL)"),
            normalise("CREATE TABLE t(a TEXT)")
        );
        // A no-break space makes "TEXT NOT NULL" one type name to SQLite: no constraint.
        assert_ne!(
            normalise("CREATE TABLE t(a TEXT NOT NULL)"),
            normalise("CREATE TABLE t(a TEXT NOT\u{a0}NULL)")
        );
    }

    #[test]
    fn a_new_schema_has_no_differences_and_tampering_is_named() {
        let conn = Connection::open_in_memory().unwrap();
        super::super::create_schema(&conn).unwrap();
        assert_eq!(differences(&conn).unwrap(), (vec![], vec![]));
        conn.execute_batch(
            "DROP VIEW v_improvements;
             CREATE VIEW v_improvements AS SELECT 1 AS x;
             CREATE TABLE my_notes(note TEXT);
             CREATE TRIGGER sneaky AFTER INSERT ON judgments BEGIN SELECT 1; END;",
        )
        .unwrap();
        let (found, own) = differences(&conn).unwrap();
        assert_eq!(
            found,
            [
                "view v_improvements differs from peel's definition",
                "trigger sneaky on judgments is not peel's (it could change data as peel writes)"
            ]
        );
        assert_eq!(own, ["table my_notes"]);
    }
}
