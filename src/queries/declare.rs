//! Typed parameters of saved queries. A saved query declares a parameter's kind with a
//! comment line of its SQL, `-- param :force force`, so the declaration is part of the
//! query's text: it travels with the file, needs no schema change, and is the same
//! whether `peel save --param force=force` wrote it, the shell's `.save` stored SQL that
//! holds it, or someone typed it. A declared parameter is resolved exactly as a canned
//! query's of that kind; one without a declaration is text, compared as given.
//!
//! Never touches the database: the caller gives the parameter names the SQL uses.

use super::Kind;

/// The words a declaration may use for a kind, in the order messages list them.
pub const KIND_WORDS: &[&str] = &[
    "force",
    "area",
    "region",
    "metric",
    "period",
    "year",
    "grade",
    "pillar",
    "area-kind",
    "text",
];

/// One parameter's declared kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    /// The parameter, without the sigil.
    pub name: String,
    /// Its kind, with a period's metric or a grade's year linked to a declared parameter.
    pub kind: Kind<String>,
}

/// A kind as written, before a period or grade is linked: the word and the `:NAME`
/// after it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Spec {
    word: &'static str,
    of: Option<String>,
}

impl Spec {
    fn text(&self) -> String {
        match &self.of {
            Some(of) => format!("{}:{of}", self.word),
            None => self.word.to_string(),
        }
    }
}

/// `force, area, ..., period[:METRIC], ..., grade[:YEAR], ...` for messages.
pub fn kinds_list() -> String {
    KIND_WORDS
        .iter()
        .map(|w| match *w {
            "period" => "period[:METRIC]",
            "grade" => "grade[:YEAR]",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_spec(spec: &str) -> Result<Spec, String> {
    let (word, of) = match spec.split_once(':') {
        Some((w, o)) => (w, Some(o)),
        None => (spec, None),
    };
    let wanted = word.to_ascii_lowercase().replace('_', "-");
    let Some(word) = KIND_WORDS.iter().copied().find(|k| *k == wanted) else {
        return Err(format!("unknown kind {word:?}; kinds: {}", kinds_list()));
    };
    match (word, of) {
        (_, None) => Ok(Spec { word, of: None }),
        ("period" | "grade", Some(of)) => {
            let of = of.strip_prefix(':').unwrap_or(of);
            if of.is_empty() {
                return Err(format!(
                    "{word}: needs a parameter after the colon ({word}:NAME)"
                ));
            }
            Ok(Spec {
                word,
                of: Some(of.to_string()),
            })
        }
        (word, Some(_)) => Err(format!(
            "only period and grade name another parameter (period:METRIC, grade:YEAR), not {word}"
        )),
    }
}

/// A declaration's parameter name: `:force` or `force`.
fn parse_name(text: &str) -> Result<String, String> {
    let name = text.strip_prefix(':').unwrap_or(text);
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(name.to_string())
    } else {
        Err(format!("{text:?} is not a parameter name"))
    }
}

/// The lines of `sql` that declare a kind: (line number, the line trimmed, what follows
/// the word `param`). A comment line is one when its first word is `param`, in any case.
fn param_lines(sql: &str) -> Vec<(usize, &str, &str)> {
    let mut out = Vec::new();
    for (i, line) in sql.lines().enumerate() {
        let line = line.trim();
        let Some(comment) = line.strip_prefix("--") else {
            continue;
        };
        let comment = comment.trim_start();
        let (first, rest) = comment
            .split_once(char::is_whitespace)
            .unwrap_or((comment, ""));
        if first.eq_ignore_ascii_case("param") {
            out.push((i + 1, line, rest.trim()));
        }
    }
    out
}

fn not_used(name: &str, used: &[String]) -> String {
    let known = if used.is_empty() {
        "it has no parameters".to_string()
    } else {
        format!("its parameters: {}", used.join(", "))
    };
    format!("the SQL does not use :{name} ({known})")
}

/// The kinds `sql` declares for its parameters `used` (names without the sigil), in
/// the order declared. Fails with a one-line message naming the line on a malformed
/// declaration, a kind declared twice or for a parameter the SQL does not use, and a
/// period or grade that names no declared metric or year.
pub fn declarations(sql: &str, used: &[String]) -> Result<Vec<Declared>, String> {
    let mut specs: Vec<(usize, &str, String, Spec)> = Vec::new();
    for (n, line, rest) in param_lines(sql) {
        let at = |m: String| format!("line {n} ({line}): {m}");
        let words: Vec<&str> = rest.split_whitespace().collect();
        let [name, spec] = words[..] else {
            return Err(at(
                "a declaration is -- param :NAME KIND, e.g. -- param :force force".into(),
            ));
        };
        let name = parse_name(name).map_err(at)?;
        let spec = parse_spec(spec).map_err(at)?;
        if !used.contains(&name) {
            return Err(at(not_used(&name, used)));
        }
        if specs.iter().any(|(_, _, n, _)| *n == name) {
            return Err(at(format!(":{name} is declared twice")));
        }
        specs.push((n, line, name, spec));
    }
    let mut out = Vec::new();
    for (n, line, name, spec) in &specs {
        let at = |m: String| format!("line {n} ({line}): {m}");
        // A period is narrowed by a metric, a grade by a year: the one the declaration
        // names, else the only one declared.
        let link = |target: &str| -> Result<Option<String>, String> {
            let of_target: Vec<&String> = specs
                .iter()
                .filter(|(_, _, _, s)| s.word == target)
                .map(|(_, _, n, _)| n)
                .collect();
            match (&spec.of, of_target.as_slice()) {
                (Some(of), _) if of_target.contains(&of) => Ok(Some(of.clone())),
                (Some(of), _) => Err(at(format!(
                    ":{of} is not declared as a {target} (-- param :{of} {target})"
                ))),
                (None, []) => Ok(None),
                (None, [one]) => Ok(Some(one.to_string())),
                (None, several) => Err(at(format!(
                    "several {target}s are declared ({}); say which with {}:NAME",
                    several
                        .iter()
                        .map(|n| format!(":{n}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    spec.word
                ))),
            }
        };
        let kind = match spec.word {
            "force" => Kind::Force,
            "area" => Kind::Area,
            "region" => Kind::Region,
            "metric" => Kind::Metric,
            "period" => Kind::Period {
                metric: link("metric")?,
            },
            "year" => Kind::Year,
            "grade" => Kind::Grade {
                year: link("year")?,
            },
            "pillar" => Kind::Pillar,
            "area-kind" => Kind::AreaKind,
            _ => Kind::Text,
        };
        out.push(Declared {
            name: name.clone(),
            kind,
        });
    }
    Ok(out)
}

/// Parses `peel save --param NAME=KIND` values into the lines to put before `sql`,
/// checked against the parameters the SQL uses and the kinds it already declares (the
/// same kind again adds nothing). Each message names the flag.
pub fn flag_lines(flags: &[String], sql: &str, used: &[String]) -> Result<String, String> {
    let existing = param_lines(sql)
        .into_iter()
        .filter_map(|(_, _, rest)| {
            let words: Vec<&str> = rest.split_whitespace().collect();
            let [name, spec] = words[..] else {
                return None;
            };
            Some((parse_name(name).ok()?, parse_spec(spec).ok()?))
        })
        .collect::<Vec<_>>();
    let mut given: Vec<String> = Vec::new();
    let mut lines = String::new();
    for flag in flags {
        let at = |m: String| format!("--param {flag:?}: {m}");
        let Some((name, spec)) = flag.split_once('=') else {
            return Err(at(format!(
                "expected NAME=KIND, e.g. --param force=force; kinds: {}",
                kinds_list()
            )));
        };
        let name = parse_name(name.trim()).map_err(at)?;
        let spec = parse_spec(spec.trim()).map_err(at)?;
        if given.contains(&name) {
            return Err(at(format!("{name} is given twice")));
        }
        if !used.contains(&name) {
            return Err(at(not_used(&name, used)));
        }
        given.push(name.clone());
        match existing.iter().find(|(n, _)| *n == name) {
            Some((_, s)) if *s == spec => {}
            Some((_, s)) => {
                return Err(at(format!(
                    "the SQL declares :{name} as {} already",
                    s.text()
                )));
            }
            None => lines.push_str(&format!("-- param :{name} {}\n", spec.text())),
        }
    }
    Ok(lines)
}

/// One line of help for a saved query's parameter of this kind, starting with the kind
/// (`peel queries NAME`, and the message for a missing argument).
pub fn help(kind: &Kind<String>) -> String {
    let upper = |s: &String| s.to_uppercase();
    match kind {
        Kind::Force => {
            "force: ONS code, slug, name, alias or a fragment naming one; bound as its ONS code"
                .into()
        }
        Kind::Area => {
            "area: a force, region or country named as a force is; bound as its ONS code".into()
        }
        Kind::Region => "region: an English region or Wales; bound as its ONS code".into(),
        Kind::Metric => "metric: code, name or fragment; bound as its code".into(),
        Kind::Period { metric } => format!(
            "period{}: label, ISO end date (2015-03-31) or a year for the latest period ending in it; bound as its label",
            metric
                .as_ref()
                .map(|m| format!(" with {} figures", upper(m)))
                .unwrap_or_default()
        ),
        Kind::Year => "year: a PEEL year (2016, 2018/19); bound as the integer year".into(),
        Kind::Grade { year } => format!(
            "grade{}: Outstanding, Good, Adequate (2021/22 on), Requires improvement (RI), Inadequate; bound as its name",
            year.as_ref()
                .map(|y| format!(" on {}'s scale", upper(y)))
                .unwrap_or_default()
        ),
        Kind::Pillar => "pillar: effectiveness, efficiency or legitimacy".into(),
        Kind::AreaKind => "area kind: force, region, country or all".into(),
        Kind::Text => "text, compared as given".into(),
    }
}

/// The help of a parameter with no declared kind.
pub const UNDECLARED_HELP: &str = "text, compared as given (no kind declared)";

/// The note for a saved query that found no rows while some of its parameters had no
/// declared kind: what those were compared with, and how to declare them. `values` are
/// (parameter, value bound) in order.
pub fn untyped_note(values: &[(String, String)]) -> String {
    let quoted: Vec<String> = values
        .iter()
        .map(|(n, v)| format!("{n} = '{}'", v.replace('\'', "''")))
        .collect();
    // A parameter named after a kind is suggested that kind; the others need a choice.
    let suggest = |name: &str| -> String {
        let wanted = name.to_ascii_lowercase().replace('_', "-");
        KIND_WORDS
            .iter()
            .find(|k| **k == wanted && **k != "text")
            .map_or("KIND".to_string(), |k| k.to_string())
    };
    let flags: Vec<String> = values
        .iter()
        .map(|(n, _)| format!("--param {n}={}", suggest(n)))
        .collect();
    let (first, _) = &values[0];
    let line = format!("-- param :{first} {}", suggest(first));
    let names: Vec<&str> = values.iter().map(|(n, _)| n.as_str()).collect();
    let mut note = match names.as_slice() {
        [one] => format!(
            "no rows; parameter {one} is text, compared as given ({}); declare its kind to resolve it like a canned query's: {} when saving, or a line \"{line}\" in the SQL",
            quoted[0], flags[0]
        ),
        [init @ .., last] => format!(
            "no rows; parameters {} and {last} are text, compared as given ({}); declare their kinds to resolve them like a canned query's: {} when saving, or lines such as \"{line}\" in the SQL",
            init.join(", "),
            quoted.join(", "),
            flags.join(" ")
        ),
        [] => String::new(),
    };
    if flags.iter().any(|f| f.ends_with("=KIND")) {
        note.push_str(&format!("; kinds: {}", kinds_list()));
    }
    note
}

#[cfg(test)]
mod tests {
    use super::*;

    fn used(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn declarations_are_comment_lines_naming_a_parameter_and_a_kind() {
        let sql = "-- param :force force\n  --PARAM pillar Pillar\n-- parameters are below\nSELECT :force, :pillar, :note -- param :note year, not at line start";
        assert_eq!(
            declarations(sql, &used(&["force", "pillar", "note"])),
            Ok(vec![
                Declared {
                    name: "force".into(),
                    kind: Kind::Force
                },
                Declared {
                    name: "pillar".into(),
                    kind: Kind::Pillar
                },
            ])
        );
    }

    #[test]
    fn a_period_follows_the_declared_metric_and_a_grade_the_declared_year() {
        let sql = "-- param :metric metric\n-- param :period period\n-- param :year year\n-- param :grade grade\nSELECT 1";
        let names = used(&["metric", "period", "year", "grade"]);
        let kinds: Vec<Kind<String>> = declarations(sql, &names)
            .unwrap()
            .into_iter()
            .map(|d| d.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                Kind::Metric,
                Kind::Period {
                    metric: Some("metric".into())
                },
                Kind::Year,
                Kind::Grade {
                    year: Some("year".into())
                },
            ]
        );
        // Without a metric a period is any metric's; with two, the declaration says which.
        let alone = declarations("-- param :p period", &used(&["p"])).unwrap();
        assert_eq!(alone[0].kind, Kind::Period { metric: None });
        let two = "-- param :a metric\n-- param :b metric\n-- param :p period:b";
        let linked = declarations(two, &used(&["a", "b", "p"])).unwrap();
        assert_eq!(
            linked[2].kind,
            Kind::Period {
                metric: Some("b".into())
            }
        );
    }

    #[test]
    fn malformed_declarations_are_refused_naming_the_line() {
        let names = used(&["force", "a", "b", "p"]);
        let cases: &[(&str, &str)] = &[
            (
                "SELECT 1\n-- param :force forse",
                "line 2 (-- param :force forse): unknown kind \"forse\"; kinds: force, area, region, metric, period[:METRIC], year, grade[:YEAR], pillar, area-kind, text",
            ),
            (
                "-- param :force",
                "line 1 (-- param :force): a declaration is -- param :NAME KIND, e.g. -- param :force force",
            ),
            (
                "-- param :force force cambs",
                "line 1 (-- param :force force cambs): a declaration is -- param :NAME KIND",
            ),
            (
                "-- param :forc force",
                "line 1 (-- param :forc force): the SQL does not use :forc (its parameters: force, a, b, p)",
            ),
            (
                "-- param :force force\n-- param :force area",
                "line 2 (-- param :force area): :force is declared twice",
            ),
            (
                "-- param :force force:a",
                "only period and grade name another parameter",
            ),
            (
                "-- param :p period:force\n-- param :force force",
                "line 1 (-- param :p period:force): :force is not declared as a metric (-- param :force metric)",
            ),
            (
                "-- param :a metric\n-- param :b metric\n-- param :p period",
                "line 3 (-- param :p period): several metrics are declared (:a, :b); say which with period:NAME",
            ),
            ("-- param :1x force", "\":1x\" is not a parameter name"),
        ];
        for (sql, expected) in cases {
            let error = declarations(sql, &names).unwrap_err();
            assert!(error.contains(expected), "{sql:?}: {error}");
        }
    }

    #[test]
    fn flags_become_declaration_lines_checked_against_the_sql() {
        let names = used(&["force", "pillar"]);
        let flags = |f: &[&str]| f.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            flag_lines(
                &flags(&["force=force", ":pillar=Pillar"]),
                "SELECT 1",
                &names
            ),
            Ok("-- param :force force\n-- param :pillar pillar\n".into())
        );
        // The same declaration in the SQL already is not written twice.
        assert_eq!(
            flag_lines(&flags(&["force=force"]), "-- param :force force", &names),
            Ok(String::new())
        );
        let error = |f: &[&str], sql: &str| flag_lines(&flags(f), sql, &names).unwrap_err();
        assert_eq!(
            error(&["force=area"], "-- param :force force"),
            "--param \"force=area\": the SQL declares :force as force already"
        );
        assert_eq!(
            error(&["force"], ""),
            "--param \"force\": expected NAME=KIND, e.g. --param force=force; kinds: force, area, region, metric, period[:METRIC], year, grade[:YEAR], pillar, area-kind, text"
        );
        assert_eq!(
            error(&["region=region"], ""),
            "--param \"region=region\": the SQL does not use :region (its parameters: force, pillar)"
        );
        assert_eq!(
            error(&["force=force", "force=area"], ""),
            "--param \"force=area\": force is given twice"
        );
        assert!(
            error(&["force=county"], "")
                .starts_with("--param \"force=county\": unknown kind \"county\"; kinds: force,")
        );
    }

    #[test]
    fn the_untyped_note_shows_the_comparison_and_the_declarations() {
        assert_eq!(
            untyped_note(&[("force".into(), "cambs".into())]),
            "no rows; parameter force is text, compared as given (force = 'cambs'); declare its kind to resolve it like a canned query's: --param force=force when saving, or a line \"-- param :force force\" in the SQL"
        );
        assert_eq!(
            untyped_note(&[
                ("force".into(), "o'brien".into()),
                ("from_year".into(), "2015".into())
            ]),
            "no rows; parameters force and from_year are text, compared as given (force = 'o''brien', from_year = '2015'); declare their kinds to resolve them like a canned query's: --param force=force --param from_year=KIND when saving, or lines such as \"-- param :force force\" in the SQL; kinds: force, area, region, metric, period[:METRIC], year, grade[:YEAR], pillar, area-kind, text"
        );
    }
}
