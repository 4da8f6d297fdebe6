//! Analysts' own queries, kept in the database file's `saved_queries` table so they travel
//! with it. A saved query is checked when saved and again whenever it is loaded (a file
//! may come from someone else): every statement must prepare, only read, and use only
//! `:named` parameters, and its declarations must be well formed. Its parameters come in
//! order of first use; each is text unless the SQL declares its kind with a comment line
//! `-- param :name KIND` (see [`super::declare`]), and required unless the SQL declares a
//! default with a comment line `-- default :name = value`.

use rusqlite::{Batch, Connection, OptionalExtension, fallible_iterator::FallibleIterator, params};

use super::declare::{self, UNDECLARED_HELP};
use super::{Fallback, Kind, Origin, Param, Query, QueryError, Shape, canned};
use crate::exec;

/// A row of `saved_queries`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedQuery {
    /// The name `peel run` takes.
    pub name: String,
    /// One line, shown by `peel queries`.
    pub description: String,
    /// The SQL, with `:named` parameters.
    pub sql: String,
    /// When it was first saved (UTC, ISO 8601).
    pub created_at: String,
    /// When it was last saved.
    pub updated_at: String,
}

impl SavedQuery {
    /// The query ready to prepare; fails when its SQL no longer passes the checks.
    pub(super) fn to_query(&self, conn: &Connection) -> Result<Query, QueryError> {
        let what = format!("saved query {}", self.name);
        let names = analyse(conn, &self.sql).map_err(|e| prefixed(&what, e))?;
        let declared = declare::declarations(&self.sql, &names)
            .map_err(|m| QueryError::Stored(format!("{what}: {m}")))?;
        let defaults = default_declarations(&self.sql);
        let mut untyped = Vec::new();
        let params = names
            .into_iter()
            .map(|name| {
                let default = defaults
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map_or(Fallback::Required, |(_, v)| Fallback::Value(v.clone()));
                let (kind, help) = match declared.iter().find(|d| d.name == name) {
                    Some(d) => (d.kind.clone(), declare::help(&d.kind)),
                    None => {
                        untyped.push(name.clone());
                        (Kind::Text, UNDECLARED_HELP.to_string())
                    }
                };
                Param {
                    name,
                    kind,
                    default,
                    help,
                }
            })
            .collect();
        Ok(Query {
            name: self.name.clone(),
            summary: self.description.clone(),
            origin: Origin::Saved,
            params,
            sql: self.sql.clone(),
            notes: String::new(),
            shapes: vec![Shape::PLAIN],
            example: String::new(),
            results: Vec::new(),
            untyped,
        })
    }
}

/// A stored query that breaks a rule is the file's fault, not the caller's: it is said
/// as `saved query NAME: ...` and exits 1, not as a usage mistake.
fn prefixed(what: &str, e: QueryError) -> QueryError {
    match e {
        QueryError::Invalid(m) | QueryError::Sql(m) => QueryError::Stored(format!("{what}: {m}")),
        other => other,
    }
}

/// Every saved query, by name.
pub fn load_saved(conn: &Connection) -> Result<Vec<SavedQuery>, QueryError> {
    let mut stmt = conn.prepare(
        "SELECT name, description, sql, created_at, updated_at FROM saved_queries ORDER BY name",
    )?;
    let rows = stmt.query_map([], row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SavedQuery> {
    Ok(SavedQuery {
        name: r.get(0)?,
        description: r.get(1)?,
        sql: r.get(2)?,
        created_at: r.get(3)?,
        updated_at: r.get(4)?,
    })
}

/// The saved query of that name, if any.
pub(super) fn load_one(conn: &Connection, name: &str) -> Result<Option<SavedQuery>, QueryError> {
    Ok(conn
        .query_row(
            "SELECT name, description, sql, created_at, updated_at FROM saved_queries WHERE name = ?1",
            [name],
            row,
        )
        .optional()?)
}

/// The defaults a saved query's SQL declares, as (name, value) in order: lines of the form
/// `-- default :name = value`. The value is the rest of the line, trimmed, with one pair of
/// surrounding quotes removed (`'London'` is `London`); it may be empty.
pub fn default_declarations(sql: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in sql.lines() {
        let Some(rest) = line.trim().strip_prefix("--") else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(head) = rest.get(..7) else {
            continue;
        };
        if !head.eq_ignore_ascii_case("default") {
            continue;
        }
        let Some(decl) = rest[7..].trim_start().strip_prefix(':') else {
            continue;
        };
        let Some((name, value)) = decl.split_once('=') else {
            continue;
        };
        let name = name.trim().to_string();
        let mut value = value.trim();
        for q in ['\'', '"'] {
            if value.len() >= 2 && value.starts_with(q) && value.ends_with(q) {
                value = &value[1..value.len() - 1];
            }
        }
        if !out.iter().any(|(n, _)| *n == name) {
            out.push((name, value.to_string()));
        }
    }
    out
}

/// Checks a saved query's SQL and returns its parameter names (without the sigil), in
/// order of first use.
fn analyse(conn: &Connection, sql: &str) -> Result<Vec<String>, QueryError> {
    let mut names: Vec<String> = Vec::new();
    let mut statements = 0;
    for (n, chunk) in exec::split_statements(sql).into_iter().enumerate() {
        let at = || {
            format!(
                "statement {} (line {}: {})",
                n + 1,
                chunk.line,
                exec::snippet(chunk.text)
            )
        };
        // Judged on the text before SQLite compiles it: preparing a PRAGMA already
        // applies it (see exec::read_only_refusal).
        if exec::read_only_refusal(chunk.text).is_some() {
            return Err(QueryError::Invalid(format!(
                "{}: a saved query may only read (SELECT, WITH, VALUES)",
                at()
            )));
        }
        let mut batch = Batch::new(conn, chunk.text);
        let stmt = match batch.next() {
            Ok(Some(stmt)) => stmt,
            Ok(None) => continue,
            Err(e) => {
                return Err(QueryError::Sql(format!(
                    "{}: {}",
                    at(),
                    exec::sqlite_message(&e)
                )));
            }
        };
        statements += 1;
        if !stmt.readonly() {
            return Err(QueryError::Invalid(format!(
                "{}: a saved query may only read (SELECT, WITH, VALUES)",
                at()
            )));
        }
        for i in 1..=stmt.parameter_count() {
            match stmt.parameter_name(i) {
                Some(name) if name.starts_with(':') => {
                    let name = name[1..].to_string();
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
                Some(other) => {
                    return Err(QueryError::Invalid(format!(
                        "{}: parameter {other} must be written :{}",
                        at(),
                        other.trim_start_matches(['@', '$', '?'])
                    )));
                }
                None => {
                    return Err(QueryError::Invalid(format!(
                        "{}: parameter {i} is positional (?); use :named parameters",
                        at()
                    )));
                }
            }
        }
    }
    if statements == 0 {
        return Err(QueryError::Invalid("no SQL statement to save".into()));
    }
    Ok(names)
}

/// Checks a saved query's name: it must fit the table's rule and not be a canned query's.
fn check_name(name: &str) -> Result<(), QueryError> {
    let valid = name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !valid {
        return Err(QueryError::Invalid(format!(
            "{name:?} is not a valid query name: start with a letter and use only a-z, 0-9, - and _ (at most 64)"
        )));
    }
    if canned(name).is_some() {
        return Err(QueryError::Invalid(format!(
            "{name} is a canned query; a saved query cannot shadow it (choose another name)"
        )));
    }
    Ok(())
}

/// Saves (or with `replace`, replaces) a query in the file, after checking it: a valid
/// name that is not a canned query's, SQL that prepares, only reads and uses only
/// `:named` parameters, and kind and default declarations that are well formed and name
/// parameters it uses.
pub fn save(
    conn: &Connection,
    name: &str,
    description: &str,
    sql: &str,
    replace: bool,
) -> Result<SavedQuery, QueryError> {
    save_with_kinds(conn, name, description, sql, &[], replace)
}

/// Like [`save`], declaring kinds given as `NAME=KIND` (`peel save --param force=force`):
/// each becomes a line `-- param :NAME KIND` at the top of the stored SQL, so the query
/// reads the same to anyone who opens it.
pub fn save_with_kinds(
    conn: &Connection,
    name: &str,
    description: &str,
    sql: &str,
    kinds: &[String],
    replace: bool,
) -> Result<SavedQuery, QueryError> {
    check_name(name)?;
    let names = analyse(conn, sql)?;
    let lines = declare::flag_lines(kinds, sql, &names).map_err(QueryError::Invalid)?;
    let sql = format!("{lines}{sql}");
    let sql = sql.as_str();
    declare::declarations(sql, &names).map_err(QueryError::Invalid)?;
    for (declared, _) in default_declarations(sql) {
        if !names.contains(&declared) {
            return Err(QueryError::Invalid(format!(
                "a default is declared for :{declared}, which the SQL does not use"
            )));
        }
    }
    if !replace && load_one(conn, name)?.is_some() {
        return Err(QueryError::Invalid(format!(
            "a saved query named {name} exists; use --replace to overwrite it"
        )));
    }
    // A trigger on saved_queries in a file someone sent must not act on peel's write.
    let triggers = crate::db::set_triggers(conn, false)?;
    let written = conn.execute(
        "INSERT INTO saved_queries (name, description, sql, created_at, updated_at)
         VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
         ON CONFLICT (name) DO UPDATE SET description = excluded.description, sql = excluded.sql,
                                          updated_at = excluded.updated_at",
        params![name, description, sql],
    );
    crate::db::set_triggers(conn, triggers)?;
    written?;
    load_one(conn, name)?.ok_or_else(|| QueryError::NotSaved(name.into()))
}

/// Removes a saved query. Canned queries cannot be removed.
pub fn unsave(conn: &Connection, name: &str) -> Result<(), QueryError> {
    // A row named like a canned query can only have been put in the file by hand; it
    // never runs, and removing it is the way out.
    let stray: bool = conn
        .query_row(
            "SELECT count(*) > 0 FROM saved_queries WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap_or(false);
    if canned(name).is_some() && !stray {
        return Err(QueryError::Invalid(format!(
            "{name} is a canned query; only saved queries can be removed"
        )));
    }
    let triggers = crate::db::set_triggers(conn, false)?;
    let deleted = conn.execute("DELETE FROM saved_queries WHERE name = ?1", [name]);
    crate::db::set_triggers(conn, triggers)?;
    match deleted? {
        0 => Err(QueryError::NotSaved(name.into())),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_declarations_are_comment_lines() {
        let sql = "-- default :region = 'London'\n--DEFAULT :kind=force\n-- default :x =\nSELECT :region, :kind, :x -- default :y = no, not at line start";
        assert_eq!(
            default_declarations(sql),
            [
                ("region".to_string(), "London".to_string()),
                ("kind".to_string(), "force".to_string()),
                ("x".to_string(), String::new())
            ]
        );
    }
}
