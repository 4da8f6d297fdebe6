//! Datasette metadata for a peel database: title, licence and sources, a description of
//! every table, view and column (from the `documentation` table, with units), and every
//! canned and saved query as a Datasette canned query, so `datasette OUT.db -m
//! metadata.json` serves peel's catalogue on the web.
//!
//! Datasette passes parameters as text, sends an empty string for a blank field and does
//! not resolve names the way `peel run` does, so each query's SQL is adapted: a blank
//! optional parameter means what omitting it means to peel (all, the declared default,
//! or the latest period or year), and years are compared as integers.

use std::collections::BTreeMap;

use anyhow::Result;
use rusqlite::Connection;
use serde_json::{Map, Value, json};

use crate::exec;
use crate::queries::{self, Fallback, Kind, Param};

const OGL_URL: &str = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";

/// The metadata document for the database `conn`, served by Datasette under `db_name`
/// (the file name without `.db`), and the saved queries left out of it because they no
/// longer pass the checks (a stale or hostile query must not stop an export).
pub fn metadata(conn: &Connection, db_name: &str) -> Result<(Value, Vec<String>)> {
    let mut tables: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT object, column_name, meaning, unit, allowed_values FROM documentation
         ORDER BY rowid",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let object: String = r.get(0)?;
        let column: Option<String> = r.get(1)?;
        let mut text: String = r.get(2)?;
        if let Some(unit) = r.get::<_, Option<String>>(3)? {
            text.push_str(&format!(" Unit: {unit}."));
        }
        if let Some(allowed) = r.get::<_, Option<String>>(4)? {
            text.push_str(&format!(" Allowed: {allowed}."));
        }
        let entry = tables.entry(object).or_default();
        match column {
            None => {
                entry.insert("description".into(), Value::String(text));
            }
            Some(c) => {
                entry
                    .entry("columns")
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
                    .map(|cols| cols.insert(c, Value::String(text)));
            }
        }
    }

    let mut canned = Map::new();
    let mut skipped = Vec::new();
    for info in queries::list(Some(conn))? {
        let query = match queries::find(conn, &info.name) {
            Ok(query) => query,
            Err(e) => {
                skipped.push(format!("{}: {e}", info.name));
                continue;
            }
        };
        let statements: Vec<String> = exec::split_statements(&query.sql)
            .into_iter()
            .map(|c| c.text.trim().trim_end_matches(';').trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let several = statements.len() > 1;
        for (i, sql) in statements.iter().enumerate() {
            let name = if several {
                format!("{}-{}", info.name, i + 1)
            } else {
                info.name.clone()
            };
            let adapted = adapt_sql(sql, &query.params);
            let used: Vec<&Param> = query
                .params
                .iter()
                .filter(|p| mentions(sql, &p.name))
                .collect();
            let mut description = format!("{} (peel run {})", info.summary, info.usage);
            if !used.is_empty() {
                description.push_str(". Parameters as stored: ");
                let help: Vec<String> = used
                    .iter()
                    .map(|p| format!("{}: {}", p.name, datasette_help(p)))
                    .collect();
                description.push_str(&help.join("; "));
            }
            canned.insert(
                name,
                json!({
                    "title": if several { format!("{} (part {})", info.name, i + 1) } else { info.name.clone() },
                    "description": description,
                    "sql": adapted,
                    "params": used.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
                }),
            );
        }
    }

    let document = json!({
        "title": "peel: PEEL police inspection results for England and Wales",
        "description": "HMIC/HMICFRS PEEL judgments and figures for the 43 police forces of England and Wales, each with its source. Start with the views v_judgments and v_metric_values; the documentation table explains every column.",
        "license": "Open Government Licence v3.0",
        "license_url": OGL_URL,
        "source": "HMIC/HMICFRS PEEL reports and pages, ONS, Home Office (see the sources table)",
        "source_url": "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/",
        "databases": {
            db_name: {
                "tables": tables,
                "queries": canned,
            }
        }
    });
    Ok((document, skipped))
}

/// What to type for a parameter in Datasette, where names are not resolved.
fn datasette_help(p: &Param) -> String {
    let what = match &p.kind {
        Kind::Force | Kind::Area | Kind::Region => "an ONS code such as E23000023",
        Kind::Metric => "a metric code such as officer-fte",
        Kind::Period { .. } => "a period label such as 'as at 31 March 2015'",
        Kind::Year => "a year such as 2016",
        Kind::Grade { .. } => "a grade such as Good",
        Kind::Pillar => "effectiveness, efficiency or legitimacy",
        Kind::AreaKind => "force, region, country or all",
        Kind::Text => "text",
    };
    match &p.default {
        Fallback::Required => what.to_string(),
        Fallback::All => format!("{what}; blank for all"),
        Fallback::Latest => format!("{what}; blank for the latest"),
        Fallback::Value(v) => format!("{what}; blank for {v}"),
    }
}

/// True when `sql` uses `:name` outside strings and comments.
fn mentions(sql: &str, name: &str) -> bool {
    let mut found = false;
    rewrite_parameters(sql, &mut |n| {
        found |= n == name;
        None
    });
    found
}

/// The SQL with each parameter replaced by an expression that gives a blank field the
/// meaning peel gives an omitted argument.
fn adapt_sql(sql: &str, params: &[Param]) -> String {
    rewrite_parameters(sql, &mut |name| {
        let p = params.iter().find(|p| p.name == name)?;
        let blank_is_null = format!("nullif(:{name}, '')");
        let value = match (&p.default, &p.kind) {
            (Fallback::Value(v), _) => {
                format!("coalesce({blank_is_null}, '{}')", v.replace('\'', "''"))
            }
            (
                Fallback::Latest,
                Kind::Period {
                    metric: Some(metric),
                },
            ) => format!(
                "coalesce({blank_is_null}, (SELECT period_label FROM v_metric_values \
                 WHERE metric_code = :{metric} ORDER BY period_end DESC LIMIT 1))"
            ),
            (Fallback::Latest, Kind::Year) => {
                format!("coalesce({blank_is_null}, (SELECT max(year) FROM v_judgments))")
            }
            _ => blank_is_null,
        };
        Some(match &p.kind {
            Kind::Year => format!("CAST({value} AS INTEGER)"),
            _ => value,
        })
    })
}

/// Copies `sql`, offering each `:name` parameter outside strings, quoted identifiers and
/// comments to `replace`; `None` keeps it as it is.
fn rewrite_parameters(sql: &str, replace: &mut dyn FnMut(&str) -> Option<String>) -> String {
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() * 2);
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let skip_to = |end: &[u8], from: usize| -> usize {
            sql[from..]
                .find(std::str::from_utf8(end).unwrap_or("\n"))
                .map_or(sql.len(), |j| from + j + end.len())
        };
        let next = match c {
            b'\'' => skip_to(b"'", i + 1),
            b'"' => skip_to(b"\"", i + 1),
            b'-' if bytes.get(i + 1) == Some(&b'-') => skip_to(b"\n", i + 2),
            b'/' if bytes.get(i + 1) == Some(&b'*') => skip_to(b"*/", i + 2),
            b':' if bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_') =>
            {
                let end = sql[i + 1..]
                    .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                    .map_or(sql.len(), |j| i + 1 + j);
                match replace(&sql[i + 1..end]) {
                    Some(text) => out.push_str(&text),
                    None => out.push_str(&sql[i..end]),
                }
                i = end;
                continue;
            }
            _ => {
                let ch = sql[i..].chars().next().unwrap_or(' ');
                i + ch.len_utf8()
            }
        };
        out.push_str(&sql[i..next]);
        i = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_in_strings_and_comments_are_left_alone() {
        let sql = "SELECT ':x', \":x\" -- :x\n, :x /* :x */ FROM t WHERE a = :x_y";
        let out = rewrite_parameters(sql, &mut |n| Some(format!("<{n}>")));
        assert_eq!(
            out,
            "SELECT ':x', \":x\" -- :x\n, <x> /* :x */ FROM t WHERE a = <x_y>"
        );
    }

    #[test]
    fn blank_optional_parameters_take_peels_defaults() {
        let params = vec![
            Param {
                name: "kind".into(),
                kind: Kind::AreaKind,
                default: Fallback::Value("force".into()),
                help: String::new(),
            },
            Param {
                name: "year".into(),
                kind: Kind::Year,
                default: Fallback::Latest,
                help: String::new(),
            },
        ];
        let out = adapt_sql("SELECT :kind, :year", &params);
        assert_eq!(
            out,
            "SELECT coalesce(nullif(:kind, ''), 'force'), CAST(coalesce(nullif(:year, ''), (SELECT max(year) FROM v_judgments)) AS INTEGER)"
        );
    }
}
