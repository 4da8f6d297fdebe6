//! From argument strings to bound values: which parameter each argument fills (by
//! position or `name=value`), defaults, and resolving each by its kind through
//! [`crate::resolve`]. Also completion candidates for the shell.

use rusqlite::{Connection, OptionalExtension};

use super::{Fallback, Kind, Param, Query, QueryError};
use crate::exec::Params;
use crate::resolve::{self, How, ResolveError};
use crate::value::Value;

/// How one parameter was bound.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// The parameter, without the sigil.
    pub name: String,
    /// The argument as typed; `None` when the default was used.
    pub input: Option<String>,
    /// The value bound.
    pub value: Value,
    /// The value as shown to people: `Cambridgeshire (E23000023)`, `all`.
    pub shown: String,
}

/// `force`, `from_year`, `from-year`: the part before `=` in `name=value`.
fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn param_error(query: &Query, message: String, with_usage: bool) -> QueryError {
    QueryError::Param {
        query: query.name.clone(),
        message,
        usage: with_usage.then(|| query.usage()),
    }
}

/// Assigns arguments to parameters: `name=value` (the name in any case, `-` or `_`) to
/// its parameter, the rest by position to the parameters not named, in order. A value
/// that itself contains `=` is given as `name=value`. Returns one slot per parameter.
pub fn parse_args(query: &Query, args: &[String]) -> Result<Vec<Option<String>>, QueryError> {
    let mut slots: Vec<Option<String>> = vec![None; query.params.len()];
    let mut positional = Vec::new();
    for arg in args {
        match arg.split_once('=') {
            Some((key, value)) if is_identifier(key) => {
                let key = key.to_lowercase().replace('-', "_");
                let Some(i) = query.params.iter().position(|p| p.name == key) else {
                    let names: Vec<String> = query.params.iter().map(|p| p.name.clone()).collect();
                    let known = if names.is_empty() {
                        "it takes no parameters".to_string()
                    } else {
                        format!("its parameters: {}", names.join(", "))
                    };
                    return Err(param_error(
                        query,
                        format!("unknown parameter {key:?} in {arg:?} ({known})"),
                        true,
                    ));
                };
                if slots[i].is_some() {
                    return Err(param_error(
                        query,
                        format!("{} given twice", key.to_uppercase()),
                        true,
                    ));
                }
                slots[i] = Some(value.to_string());
            }
            _ => positional.push(arg.clone()),
        }
    }
    let free: Vec<usize> = (0..slots.len()).filter(|&i| slots[i].is_none()).collect();
    if positional.len() > free.len() {
        let extra = &positional[free.len()..];
        return Err(param_error(
            query,
            format!(
                "too many arguments ({} not used: {})",
                extra.len(),
                extra
                    .iter()
                    .map(|a| format!("{a:?}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            true,
        ));
    }
    for (slot, value) in free.into_iter().zip(positional) {
        slots[slot] = Some(value);
    }
    Ok(slots)
}

/// Binds every parameter of `query` from `args`: the values keyed `:name`, how each was
/// bound, and notes for stderr.
pub(super) fn bind(
    conn: &Connection,
    query: &Query,
    args: &[String],
) -> Result<(Params, Vec<Binding>, Vec<String>), QueryError> {
    let slots = parse_args(query, args)?;
    for (p, slot) in query.params.iter().zip(&slots) {
        if slot.is_none() && p.default == Fallback::Required {
            return Err(param_error(
                query,
                format!("missing {} ({})", p.name.to_uppercase(), p.help),
                true,
            ));
        }
    }
    let mut order: Vec<usize> = (0..query.params.len())
        .filter(|&i| query.params[i].kind.depends_on().is_none())
        .collect();
    order.extend((0..query.params.len()).filter(|&i| query.params[i].kind.depends_on().is_some()));

    let mut bound: Vec<Option<Binding>> = vec![None; query.params.len()];
    let mut notes = Vec::new();
    for i in order {
        let p = &query.params[i];
        let other = |name: &str| -> Value {
            query
                .params
                .iter()
                .position(|q| q.name == name)
                .and_then(|j| bound[j].as_ref())
                .map_or(Value::Null, |b| b.value.clone())
        };
        let context = p.kind.depends_on().map(other).unwrap_or(Value::Null);
        let (value, shown, note) = match (&slots[i], &p.default) {
            (Some(input), _) => resolve_one(conn, p, input, &context, true),
            (None, Fallback::Value(v)) => resolve_one(conn, p, v, &context, false),
            (None, Fallback::All) => Ok((Value::Null, "all".into(), None)),
            (None, Fallback::Latest) => latest(conn, p, &context),
            (None, Fallback::Required) => unreachable_required(p),
        }
        .map_err(|e| param_error(query, e, false))?;
        notes.extend(note);
        bound[i] = Some(Binding {
            name: p.name.clone(),
            input: slots[i].clone(),
            value,
            shown,
        });
    }
    let bindings: Vec<Binding> = bound.into_iter().flatten().collect();
    let params: Params = bindings
        .iter()
        .map(|b| (format!(":{}", b.name), b.value.clone()))
        .collect();
    Ok((params, bindings, notes))
}

/// Missing required parameters were refused above; this keeps the match total without a
/// panic.
fn unreachable_required(p: &Param) -> Result<(Value, String, Option<String>), String> {
    Err(format!("missing {}", p.name.to_uppercase()))
}

type Resolution = Result<(Value, String, Option<String>), String>;

fn sql_error(e: rusqlite::Error) -> String {
    format!("reading the database: {e}")
}

/// Notes a match that was not exact, so a surprising reading is visible.
fn read_as(p: &Param, input: &str, shown: &str, how: How, typed: bool) -> Option<String> {
    (typed && how != How::Exact).then(|| format!("{} {input:?} is {shown}", p.name))
}

fn resolve_one(
    conn: &Connection,
    p: &Param,
    input: &str,
    context: &Value,
    typed: bool,
) -> Resolution {
    let fail = |e: ResolveError| e.to_string();
    match &p.kind {
        Kind::Text => Ok((Value::Text(input.to_string()), input.to_string(), None)),
        Kind::Force | Kind::Area | Kind::Region => {
            let (list, hint) = match &p.kind {
                Kind::Force => (
                    resolve::load_areas(conn, &["force"]),
                    "list them with `peel run forces`",
                ),
                Kind::Area => (
                    resolve::load_areas(conn, &["force", "region", "country", "national"]),
                    "list forces with `peel run forces`",
                ),
                _ => (
                    resolve::load_parent_areas(conn),
                    "`peel run forces` shows each force's region",
                ),
            };
            let list = list.map_err(sql_error)?;
            let r = resolve::resolve(p.kind.noun(), input, &list, hint).map_err(fail)?;
            let shown = r.candidate.label.clone();
            Ok((
                Value::Text(r.candidate.value.clone()),
                shown.clone(),
                read_as(p, input, &shown, r.how, typed),
            ))
        }
        Kind::Metric => {
            // A metric's code, as scripts give it, needs no candidate list: with thousands
            // of imported metrics, building one costs more than the query.
            let by_code: Option<(String, String)> = conn
                .query_row(
                    "SELECT code, name FROM metrics WHERE code = ?1",
                    [input.trim()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(sql_error)?;
            if let Some((code, name)) = by_code {
                return Ok((Value::Text(code.clone()), format!("{code} ({name})"), None));
            }
            let list = resolve::load_metrics(conn).map_err(sql_error)?;
            let r = resolve::resolve("metric", input, &list, "list them with `peel run metrics`")
                .map_err(fail)?;
            let shown = r.candidate.label.clone();
            Ok((
                Value::Text(r.candidate.value.clone()),
                shown.clone(),
                read_as(p, input, &shown, r.how, typed),
            ))
        }
        Kind::Period { .. } => {
            let metric = context.to_text();
            let periods = resolve::load_periods(conn, metric.as_deref()).map_err(sql_error)?;
            let (period, how) =
                resolve::resolve_period(input, &periods, "list them with `peel run periods`")
                    .map_err(fail)?;
            let mut note = read_as(p, input, &period.label, how, typed);
            if how == How::Rule && input.trim().len() == 4 {
                note = note.map(|n| format!("{n} (the latest period ending in {})", input.trim()));
            }
            if !period.has_figures {
                let what = metric.map_or("figures".to_string(), |m| format!("{m} figures"));
                note = Some(format!("no {what} for {} in this database", period.label));
            }
            Ok((
                Value::Text(period.label.clone()),
                period.label.clone(),
                note,
            ))
        }
        Kind::Year => {
            let cycles = resolve::load_cycles(conn).map_err(sql_error)?;
            let c = resolve::resolve_year(input, &cycles).map_err(fail)?;
            Ok((Value::Integer(c.year), c.label.clone(), None))
        }
        Kind::Grade { .. } => {
            let cycles = resolve::load_cycles(conn).map_err(sql_error)?;
            let cycle = match context {
                Value::Integer(y) => cycles.iter().find(|c| c.year == *y),
                _ => None,
            };
            let scale = cycle.map(|c| c.scale.as_str());
            let names = resolve::load_grade_names(conn, scale).map_err(sql_error)?;
            let list = resolve::grade_candidates(&names);
            match resolve::resolve("grade", input, &list, "") {
                Ok(r) => Ok((
                    Value::Text(r.candidate.value.clone()),
                    r.candidate.value.clone(),
                    read_as(p, input, &r.candidate.value, r.how, typed),
                )),
                Err(e) => {
                    // A grade of the other scale ("Adequate" in 2016) says which scale.
                    let all = resolve::load_grade_names(conn, None).map_err(sql_error)?;
                    let all = resolve::grade_candidates(&all);
                    match (cycle, resolve::resolve("grade", input, &all, "")) {
                        (Some(c), Ok(r)) => Err(format!(
                            "{} is not a grade of the {} scale used in {}; its grades: {}",
                            r.candidate.value,
                            c.scale,
                            c.label,
                            names.join(", ")
                        )),
                        _ => Err(match e {
                            ResolveError::Unknown { .. } if !names.is_empty() => {
                                format!("{}; grades: {}", fail(e), names.join(", "))
                            }
                            other => fail(other),
                        }),
                    }
                }
            }
        }
        Kind::Pillar => {
            let list = resolve::pillar_candidates();
            let r = resolve::resolve(
                "pillar",
                input,
                &list,
                "pillars: effectiveness, efficiency, legitimacy",
            )
            .map_err(fail)?;
            Ok((
                Value::Text(r.candidate.value.clone()),
                r.candidate.value.clone(),
                None,
            ))
        }
        Kind::AreaKind => {
            let list = resolve::area_kind_candidates();
            let r = resolve::resolve(
                "area kind",
                input,
                &list,
                "kinds: force, region, country, all",
            )
            .map_err(fail)?;
            Ok((
                Value::Text(r.candidate.value.clone()),
                r.candidate.value.clone(),
                None,
            ))
        }
    }
}

/// The `Latest` default: the latest period with figures for the metric, or the latest
/// PEEL year with grades. When there is none the parameter is NULL, the query finds no
/// rows, and a note says why.
fn latest(conn: &Connection, p: &Param, context: &Value) -> Resolution {
    match &p.kind {
        Kind::Period { .. } => {
            let metric = context.to_text();
            let periods = resolve::load_periods(conn, metric.as_deref()).map_err(sql_error)?;
            let what = metric.clone().unwrap_or_else(|| "any metric".into());
            match periods.iter().find(|p| p.has_figures) {
                Some(period) => Ok((
                    Value::Text(period.label.clone()),
                    period.label.clone(),
                    Some(format!(
                        "{} is the latest with {what} figures: {}",
                        p.name, period.label
                    )),
                )),
                None => Ok((
                    Value::Null,
                    "none".into(),
                    Some(format!("no {what} figures in this database yet")),
                )),
            }
        }
        Kind::Year => {
            let year: Option<(i64, String)> = conn
                .query_row(
                    "SELECT c.year, c.label FROM cycles c
                     WHERE EXISTS (SELECT 1 FROM questions q JOIN judgments j ON j.question_id = q.question_id
                                   WHERE q.cycle_id = c.cycle_id)
                     ORDER BY c.year DESC LIMIT 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(sql_error)?;
            match year {
                Some((y, label)) => Ok((
                    Value::Integer(y),
                    label.clone(),
                    Some(format!("{} is the latest with grades: {label}", p.name)),
                )),
                None => Ok((
                    Value::Null,
                    "none".into(),
                    Some("no grades in this database yet".into()),
                )),
            }
        }
        // Only periods and years have a "latest"; anything else means all.
        _ => Ok((Value::Null, "all".into(), None)),
    }
}

/// Completion candidates (see [`super::complete_argument`]).
pub(super) fn complete(
    conn: &Connection,
    query: &Query,
    before: &[String],
    partial: &str,
) -> Vec<String> {
    let Ok(slots) = parse_args(query, before) else {
        return Vec::new();
    };
    if let Some((key, value)) = partial.split_once('=')
        && is_identifier(key)
    {
        let key_norm = key.to_lowercase().replace('-', "_");
        return match query.params.iter().find(|p| p.name == key_norm) {
            Some(p) => values_of(conn, &p.kind)
                .into_iter()
                .filter(|v| starts_with_ci(v, value))
                .map(|v| format!("{key}={v}"))
                .collect(),
            None => Vec::new(),
        };
    }
    let mut out: Vec<String> = Vec::new();
    if let Some(i) = slots.iter().position(Option::is_none) {
        out.extend(
            values_of(conn, &query.params[i].kind)
                .into_iter()
                .filter(|v| starts_with_ci(v, partial)),
        );
    }
    for (p, slot) in query.params.iter().zip(&slots) {
        let named = format!("{}=", p.name);
        if slot.is_none() && starts_with_ci(&named, partial) {
            out.push(named);
        }
    }
    out
}

fn starts_with_ci(text: &str, prefix: &str) -> bool {
    text.to_lowercase().starts_with(&prefix.to_lowercase())
}

/// Every value a kind of parameter takes, as people would type it.
fn values_of(conn: &Connection, kind: &Kind<String>) -> Vec<String> {
    let sql = match kind {
        Kind::Force => "SELECT slug FROM areas WHERE kind = 'force' ORDER BY slug",
        Kind::Area => "SELECT slug FROM areas ORDER BY kind <> 'force', slug",
        Kind::Region => {
            "SELECT slug FROM areas WHERE area_id IN (SELECT parent_id FROM areas WHERE kind = 'force') ORDER BY slug"
        }
        Kind::Metric => "SELECT code FROM metrics ORDER BY code",
        Kind::Period { .. } => {
            "SELECT label FROM (SELECT label, end_date FROM periods
               UNION SELECT substr(end_date, 1, 4), substr(end_date, 1, 4) || '-99' FROM periods)
             ORDER BY end_date DESC, label"
        }
        Kind::Year => "SELECT year FROM cycles ORDER BY year",
        Kind::Grade { .. } => {
            "SELECT name FROM grades GROUP BY name ORDER BY max(ifnull(rank, 0)) DESC, name"
        }
        Kind::Pillar => return resolve::PILLARS.iter().map(|p| p.to_string()).collect(),
        Kind::AreaKind => {
            return ["force", "region", "country", "all"]
                .iter()
                .map(|k| k.to_string())
                .collect();
        }
        Kind::Text => return Vec::new(),
    };
    let Ok(mut stmt) = conn.prepare(sql) else {
        return Vec::new();
    };
    let Ok(rows) = stmt.query_map([], |r| r.get::<_, rusqlite::types::Value>(0)) else {
        return Vec::new();
    };
    rows.filter_map(Result::ok)
        .map(|v| match v {
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Text(t) => t,
            other => format!("{other:?}"),
        })
        .collect()
}
