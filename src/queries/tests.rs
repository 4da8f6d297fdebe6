use std::collections::BTreeSet;

use rusqlite::{Batch, Connection, fallible_iterator::FallibleIterator};

use super::*;
use crate::output::{Format, Options, sink};
use crate::{db, exec, seed};

fn fresh() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    db::configure(&conn).unwrap();
    db::create_schema(&conn).unwrap();
    conn
}

fn seeded() -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    db::configure(&conn).unwrap();
    let tx = conn.transaction().unwrap();
    db::create_schema(&tx).unwrap();
    seed::load(&tx).unwrap();
    tx.commit().unwrap();
    conn
}

/// Prepares every statement of `sql`, asserting each only reads, and returns the
/// parameter names used and the number of statements.
fn analyse(conn: &Connection, what: &str, sql: &str) -> (BTreeSet<String>, usize) {
    let mut names = BTreeSet::new();
    let mut statements = 0;
    for chunk in exec::split_statements(sql) {
        let mut batch = Batch::new(conn, chunk.text);
        let stmt = match batch.next() {
            Ok(Some(stmt)) => stmt,
            Ok(None) => continue,
            Err(e) => panic!("{what}: does not prepare: {e}\n{}", chunk.text),
        };
        statements += 1;
        assert!(stmt.readonly(), "{what}: statement {statements} writes");
        for i in 1..=stmt.parameter_count() {
            let name = stmt
                .parameter_name(i)
                .unwrap_or_else(|| panic!("{what}: positional parameter {i}"));
            assert!(name.starts_with(':'), "{what}: {name} is not :named");
            names.insert(name[1..].to_string());
        }
    }
    (names, statements)
}

#[test]
fn every_canned_query_prepares_reads_only_and_declares_exactly_its_parameters() {
    let conn = fresh();
    let mut seen = BTreeSet::new();
    for q in CATALOGUE {
        assert!(seen.insert(q.name), "{} listed twice", q.name);
        assert!(
            check_name_shape(q.name),
            "{}: not a name a shell can type",
            q.name
        );
        let (used, statements) = analyse(&conn, q.name, q.sql);
        assert!(statements >= 1, "{}: no statement", q.name);
        // Every result has a name a program can key it by, and no two share one.
        let names = super::Query::from_canned(q).result_names();
        assert_eq!(
            names.len(),
            statements,
            "{}: results named vs statements",
            q.name
        );
        let distinct: BTreeSet<&String> = names.iter().collect();
        assert_eq!(
            distinct.len(),
            names.len(),
            "{}: a result name twice",
            q.name
        );
        if statements > 1 {
            assert_eq!(q.results.len(), statements, "{}: unnamed results", q.name);
        }
        let declared: BTreeSet<String> = q.params.iter().map(|p| p.name.to_string()).collect();
        assert_eq!(
            declared.len(),
            q.params.len(),
            "{}: a parameter twice",
            q.name
        );
        assert_eq!(used, declared, "{}: parameters used vs declared", q.name);
        if !q.notes.is_empty() {
            let (in_notes, _) = analyse(&conn, &format!("{} notes", q.name), q.notes);
            assert!(
                in_notes.is_subset(&declared),
                "{}: notes use undeclared {:?}",
                q.name,
                in_notes.difference(&declared).collect::<Vec<_>>()
            );
        }
        assert!(
            q.shapes.len() <= statements,
            "{}: more shapes than results",
            q.name
        );
        for p in q.params {
            let dependency = match p.kind {
                Kind::Period {
                    metric: Some(metric),
                } => Some((metric, "metric")),
                Kind::Grade { year: Some(year) } => Some((year, "year")),
                _ => None,
            };
            if let Some((name, what)) = dependency {
                let target = q.params.iter().find(|t| t.name == name);
                assert!(
                    matches!(
                        (target.map(|t| t.kind), what),
                        (Some(Kind::Metric), "metric") | (Some(Kind::Year), "year")
                    ),
                    "{}: {} depends on a missing {what} parameter {name}",
                    q.name,
                    p.name
                );
            }
        }
        // Required parameters come first, so positions mean the same in every call.
        let first_optional = q
            .params
            .iter()
            .position(|p| p.default != Fallback::Required)
            .unwrap_or(q.params.len());
        assert!(
            q.params[first_optional..]
                .iter()
                .all(|p| p.default != Fallback::Required),
            "{}: a required parameter after an optional one",
            q.name
        );
    }
}

fn check_name_shape(name: &str) -> bool {
    name.chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Runs a query by name with arguments, into CSV.
fn csv(conn: &Connection, name: &str, args: &[&str]) -> Result<(Call, String), QueryError> {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let call = prepare(conn, name, &args)?;
    let mut out = Vec::new();
    {
        let mut s = sink(Format::Csv, &mut out, &Options::default());
        call.run(conn, s.as_mut(), SourcesMode::Hide)?;
    }
    Ok((call, String::from_utf8(out).unwrap()))
}

#[test]
fn every_canned_query_runs_on_the_seed_with_its_example_and_without_arguments() {
    let conn = seeded();
    for q in CATALOGUE {
        let args: Vec<&str> = q.example.split_whitespace().collect();
        let (_, out) =
            csv(&conn, q.name, &args).unwrap_or_else(|e| panic!("{} {}: {e}", q.name, q.example));
        // The seed has no imported report, so no areas for improvement yet.
        if q.name != "improvements" {
            assert!(
                out.lines().count() >= 2,
                "{} {}: no rows\n{out}",
                q.name,
                q.example
            );
        }
        let required = q
            .params
            .iter()
            .filter(|p| p.default == Fallback::Required)
            .count();
        if required == 0 {
            csv(&conn, q.name, &[]).unwrap_or_else(|e| panic!("{}: {e}", q.name));
        }
    }
}

#[test]
fn arguments_bind_by_position_or_name() {
    let conn = seeded();
    let call = prepare(
        &conn,
        "compare",
        &["period=2015".to_string(), "officer-fte".to_string()],
    )
    .unwrap();
    assert_eq!(call.params[":metric"], Value::Text("officer-fte".into()));
    // officer-fte is the 31 March series (seed/metrics/ho_police_workforce_mar2007_mar2023.csv):
    // the latest of its periods ending in 2015 is 31 March 2015.
    assert_eq!(
        call.params[":period"],
        Value::Text("as at 31 March 2015".into())
    );
    assert_eq!(call.params[":kind"], Value::Text("force".into()));
    assert_eq!(
        call.notes,
        [
            "period \"2015\" is as at 31 March 2015 (the latest period ending in 2015)",
            "officer-fte for as at 31 March 2015: figures for 43 of 43 forces",
            "officer-fte is a count (fte): areas are ranked and each is given as its share of England and Wales's total, never a difference from it; compare a rate per 1,000 to compare forces of different sizes"
        ]
    );
    let call = prepare(&conn, "trend", &["FORCE=cambs".into()]).unwrap();
    assert_eq!(call.params[":force"], Value::Text("E23000023".into()));
    assert_eq!(call.params[":metric"], Value::Null);
}

#[test]
fn call_mistakes_are_usage_errors_that_show_the_usage() {
    let conn = seeded();
    let err = |name: &str, args: &[&str]| {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let e = prepare(&conn, name, &args).unwrap_err();
        assert!(e.is_usage(), "{e}");
        e.to_string()
    };
    assert_eq!(
        err("compare", &[]),
        "compare: missing METRIC (a metric: code (officer-fte), name or fragment; see `peel run metrics`); usage: peel run compare METRIC [PERIOD] [KIND]"
    );
    assert!(
        err("force", &["cambs", "extra"]).contains("too many arguments (1 not used: \"extra\")")
    );
    assert!(err("compare", &["officer-fte", "perod=2015"]).contains("unknown parameter \"perod\""));
    assert!(err("grades", &["year=2016", "year=2017"]).contains("YEAR given twice"));
    assert_eq!(
        err("comapre", &[]),
        "no query named \"comapre\" (did you mean compare?); list them with `peel queries`"
    );
    assert_eq!(
        err("force", &["x' OR '1'='1"]),
        "force: unknown force \"x' OR '1'='1\"; list them with `peel run forces`"
    );
    assert!(err("graded", &["adequate", "2016"]).contains(
        "Adequate is not a grade of the peel-4 scale used in 2016; its grades: Outstanding, Good, Requires improvement, Inadequate, Not graded"
    ));
    assert!(err("grades", &["2019"]).contains("did you mean 2018 (2018/19)?"));
    // No figure's period ends in 2024 (population runs to mid-2023, workforce to March 2023
    // and March 2025).
    assert!(err("compare", &["officer-fte", "2024"]).contains("no period ends in 2024"));
}

#[test]
fn a_metric_without_figures_gives_no_rows_and_a_note() {
    let conn = seeded();
    let (call, out) = csv(&conn, "compare", &["asb-per-1000"]).unwrap();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert_eq!(call.notes, ["no asb-per-1000 figures in this database yet"]);
}

#[test]
fn the_grade_grid_is_a_pivot() {
    let conn = seeded();
    let (_, out) = csv(&conn, "grades", &["2016", "effectiveness"]).unwrap();
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("area_code,area_name,effectiveness,Q16_E1,Q16_E2,Q16_E3,Q16_E4")
    );
    assert!(out.contains("\nE23000008,Durham,Outstanding,"), "{out}");
    assert_eq!(out.lines().count(), 44);
}

#[test]
fn saved_queries_are_checked_listed_run_and_removed() {
    let conn = seeded();
    let sql = "-- default :grade = Good\nSELECT area_name FROM v_judgments WHERE year = CAST(:year AS INTEGER) AND grade = :grade AND level = 'pillar' AND pillar = 'effectiveness' ORDER BY area_name";
    let saved = save(
        &conn,
        "good-forces",
        "Forces graded GRADE on effectiveness",
        sql,
        false,
    )
    .unwrap();
    assert_eq!(saved.name, "good-forces");
    let q = find(&conn, "good-forces").unwrap();
    assert_eq!(q.usage(), "good-forces YEAR [GRADE]");
    let (_, out) = csv(&conn, "good-forces", &["2016", "grade=Outstanding"]).unwrap();
    assert_eq!(out, "area_name\nDurham\n");
    let (_, out) = csv(&conn, "good-forces", &["2016"]).unwrap();
    assert_eq!(out.lines().count(), 29);
    assert!(
        list(Some(&conn))
            .unwrap()
            .iter()
            .any(|i| i.name == "good-forces" && i.origin == Origin::Saved)
    );
    assert_eq!(complete_names(Some(&conn), "good"), ["good-forces"]);

    let invalid =
        |name: &str, sql: &str| save(&conn, name, "", sql, false).unwrap_err().to_string();
    assert!(invalid("good-forces", "SELECT 1").contains("use --replace"));
    assert!(invalid("compare", "SELECT 1").contains("cannot shadow"));
    assert!(invalid("Bad Name", "SELECT 1").contains("not a valid query name"));
    assert!(invalid("w", "DELETE FROM areas").contains("may only read"));
    assert!(invalid("w", "ATTACH 'x.db' AS x").contains("may only read"));
    assert!(invalid("p", "SELECT ?").contains("positional"));
    assert!(invalid("p", "SELECT @x").contains("must be written :x"));
    assert!(
        invalid("d", "-- default :y = 1\nSELECT :x").contains(":y, which the SQL does not use")
    );
    let e = save(&conn, "s", "", "SELEC 1", false).unwrap_err();
    assert!(
        !e.is_usage() && e.to_string().contains("syntax error"),
        "{e}"
    );

    unsave(&conn, "good-forces").unwrap();
    assert!(matches!(
        unsave(&conn, "good-forces"),
        Err(QueryError::NotSaved(_))
    ));
    assert!(unsave(&conn, "compare").unwrap_err().is_usage());
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn declared_kinds_resolve_a_saved_querys_arguments_as_a_canned_querys() {
    let conn = seeded();
    let sql = "SELECT year, grade FROM v_judgments WHERE area_code = :force AND pillar = :pillar AND level = 'pillar' ORDER BY year";
    let kinds = strings(&["force=force", "pillar=pillar"]);
    let saved = save_with_kinds(&conn, "force-pillar", "", sql, &kinds, false).unwrap();
    assert_eq!(
        saved.sql,
        format!("-- param :force force\n-- param :pillar pillar\n{sql}")
    );
    let q = find(&conn, "force-pillar").unwrap();
    let kinds: Vec<&Kind<String>> = q.params.iter().map(|p| &p.kind).collect();
    assert_eq!(kinds, [&Kind::Force, &Kind::Pillar]);
    assert!(
        describe(&conn, "force-pillar").unwrap().contains(
            "  FORCE      force: ONS code, slug, name, alias or a fragment naming one; bound as its ONS code\n  PILLAR     pillar: effectiveness, efficiency or legitimacy\n"
        )
    );
    let (call, out) = csv(&conn, "force-pillar", &["cambs", "efficiency"]).unwrap();
    assert_eq!(call.params[":force"], Value::Text("E23000023".into()));
    assert_eq!(
        call.notes,
        ["force \"cambs\" is Cambridgeshire (E23000023)"]
    );
    // Cambridgeshire's efficiency pillar: 2014 Good (seed/peel_grades_confirmed_additions.csv
    // line 23); 2015 Good, 2016 Requires improvement, 2017 Good, 2018/19 Good
    // (seed/grades_project_files.csv lines 10, 66, 97, 173).
    assert_eq!(
        out,
        "year,grade\n2014,Good\n2015,Good\n2016,Requires improvement\n2017,Good\n2018,Good\n"
    );
    let (_, by_name) = csv(&conn, "force-pillar", &["pillar=efficiency", "force=cambs"]).unwrap();
    assert_eq!(by_name, out);
}

#[test]
fn a_declared_kind_refuses_what_it_does_not_resolve() {
    let conn = seeded();
    let sql = "SELECT year FROM v_judgments WHERE area_code = :force AND pillar = :pillar";
    save_with_kinds(
        &conn,
        "fp",
        "",
        sql,
        &strings(&["force=force", "pillar=pillar"]),
        false,
    )
    .unwrap();
    let err = |args: &[&str]| {
        let e = prepare(&conn, "fp", &strings(args)).unwrap_err();
        assert!(e.is_usage(), "{e}");
        e.to_string()
    };
    assert_eq!(
        err(&["nowhere", "efficiency"]),
        "fp: unknown force \"nowhere\"; list them with `peel run forces`"
    );
    assert!(err(&["cambs", "eff"]).contains("ambiguous pillar \"eff\""));
    // A kind peel does not know is refused when saving, before anything is written.
    let e = save_with_kinds(&conn, "fc", "", sql, &strings(&["force=county"]), false).unwrap_err();
    assert!(e.is_usage(), "{e}");
    assert_eq!(
        e.to_string(),
        "--param \"force=county\": unknown kind \"county\"; kinds: force, area, region, metric, period[:METRIC], year, grade[:YEAR], pillar, area-kind, text"
    );
    assert!(matches!(
        find(&conn, "fc"),
        Err(QueryError::UnknownQuery { .. })
    ));
}

#[test]
fn a_declared_period_is_read_among_the_declared_metrics_periods() {
    let conn = seeded();
    let sql = "SELECT value FROM v_metric_values WHERE metric_code = :metric AND period_label = :period AND area_code = 'E23000023'";
    save_with_kinds(
        &conn,
        "cambs-figure",
        "",
        sql,
        &strings(&["period=period", "metric=metric"]),
        false,
    )
    .unwrap();
    let q = find(&conn, "cambs-figure").unwrap();
    assert_eq!(
        q.params[1].kind,
        Kind::Period {
            metric: Some("metric".into())
        }
    );
    // The year names a different period for each metric: officer-fte is counted on 31 March
    // (seed/metrics/ho_police_workforce_mar2007_mar2023.csv line 1574 for 2018), the 2018
    // population estimate on 30 June (seed/metric_values.csv line 62).
    let (call, out) = csv(&conn, "cambs-figure", &["officer-fte", "2018"]).unwrap();
    assert_eq!(
        call.params[":period"],
        Value::Text("as at 31 March 2018".into())
    );
    assert_eq!(out, "value\n1383.11\n");
    let (call, out) = csv(&conn, "cambs-figure", &["population-mye2018", "2018"]).unwrap();
    assert_eq!(
        call.params[":period"],
        Value::Text("as at 30 June 2018".into())
    );
    assert_eq!(out, "value\n852500\n");
}

#[test]
fn an_untyped_saved_query_that_finds_nothing_says_how_to_declare_its_parameters() {
    let conn = seeded();
    let sql = "SELECT year FROM v_judgments WHERE area_code = :force AND pillar = :pillar";
    save(&conn, "untyped", "", sql, false).unwrap();
    let (call, out) = csv(&conn, "untyped", &["cambs", "efficiency"]).unwrap();
    assert_eq!(out, "year\n");
    assert_eq!(
        call.notes,
        [
            "no rows; parameters force and pillar are text, compared as given (force = 'cambs', pillar = 'efficiency'); declare their kinds to resolve them like a canned query's: --param force=force --param pillar=pillar when saving, or lines such as \"-- param :force force\" in the SQL"
        ]
    );
    // Text that matches as given finds rows and needs no note.
    let (call, _) = csv(&conn, "untyped", &["E23000023", "efficiency"]).unwrap();
    assert_eq!(call.notes, Vec::<String>::new());
    // A caller that shows no notes does not pay for finding out.
    let call = prepare_with(&conn, "untyped", &strings(&["cambs", "efficiency"]), false).unwrap();
    assert_eq!(call.notes, Vec::<String>::new());
}

#[test]
fn a_malformed_declaration_in_the_file_is_refused_naming_the_query() {
    let conn = seeded();
    conn.execute(
        "INSERT INTO saved_queries (name, description, sql, created_at, updated_at)
         VALUES ('theirs', '', '-- param :force county\nSELECT :force', 'x', 'x')",
        [],
    )
    .unwrap();
    let e = find(&conn, "theirs").unwrap_err();
    // The file's fault, not the caller's: not a usage error (exit 1).
    assert!(!e.is_usage(), "{e}");
    assert_eq!(
        e.to_string(),
        "saved query theirs: line 1 (-- param :force county): unknown kind \"county\"; kinds: force, area, region, metric, period[:METRIC], year, grade[:YEAR], pillar, area-kind, text"
    );
}

#[test]
fn completion_offers_values_of_the_next_parameter_and_names() {
    let conn = seeded();
    assert_eq!(
        complete_names(None, "grade"),
        ["grades", "grade-changes", "grade-counts", "graded"]
    );
    assert_eq!(
        complete_argument(&conn, "force", &[], "camb"),
        ["cambridgeshire"]
    );
    assert_eq!(
        complete_argument(
            &conn,
            "compare",
            &["officer-fte".into()],
            "as at 31 March 201"
        ),
        [
            "as at 31 March 2019",
            "as at 31 March 2018",
            "as at 31 March 2017",
            "as at 31 March 2016",
            "as at 31 March 2015",
            "as at 31 March 2014",
            "as at 31 March 2013",
            "as at 31 March 2012",
            "as at 31 March 2011",
            "as at 31 March 2010"
        ]
    );
    assert_eq!(
        complete_argument(&conn, "compare", &["officer-fte".into()], "ki"),
        ["kind="]
    );
    assert_eq!(
        complete_argument(&conn, "compare", &[], "kind=reg"),
        ["kind=region"]
    );
    assert_eq!(
        complete_argument(&conn, "grade-counts", &[], "201"),
        ["2014", "2015", "2016", "2017", "2018"]
    );
    assert!(complete_argument(&conn, "nosuch", &[], "").is_empty());
}

/// A saved query put in the file by hand (a file someone sent) that would change the
/// connection: listing it prepares nothing that acts, and running it is refused before
/// it is compiled. Preparing `PRAGMA trusted_schema = 1` used to switch the flag on for
/// the rest of the session (the shell's `.queries`), and a saved `ROLLBACK` run with
/// `.run` silently discarded the analyst's open transaction.
#[test]
fn saved_queries_that_change_the_connection_are_refused_before_compiling() {
    let conn = fresh();
    let hostile = [
        ("flip", "PRAGMA trusted_schema = 1"),
        ("unlock", "SELECT 1; PRAGMA query_only = 0"),
        ("undo", "ROLLBACK"),
        ("keep", "-- looks harmless\nBEGIN IMMEDIATE"),
        ("attach", "ATTACH '/tmp/peel-never.db' AS x"),
        ("explain", "EXPLAIN PRAGMA foreign_keys = 0"),
    ];
    for (name, sql) in hostile {
        conn.execute(
            "INSERT INTO saved_queries (name, sql, created_at, updated_at) VALUES (?1, ?2, 'x', 'x')",
            [name, sql],
        )
        .unwrap();
    }
    conn.execute_batch("BEGIN; INSERT INTO meta (key, value) VALUES ('pending', 'yes');")
        .unwrap();
    let listed = list(Some(&conn)).unwrap();
    for (name, _) in hostile {
        let info = listed.iter().find(|q| q.name == name).unwrap();
        assert!(info.usage.contains("does not prepare"), "{name}: {info:?}");
        let err = csv(&conn, name, &[]).unwrap_err();
        assert!(!err.is_usage(), "{name}: {err}");
        assert!(err.to_string().contains("may only read"), "{name}: {err}");
    }
    let flags: (i64, i64, i64) = conn
        .query_row(
            "SELECT (SELECT * FROM pragma_trusted_schema), (SELECT * FROM pragma_query_only),
                    (SELECT * FROM pragma_foreign_keys)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(flags, (0, 0, 1));
    assert!(!conn.is_autocommit(), "the open transaction was ended");
    conn.execute_batch("COMMIT").unwrap();
    assert!(!std::path::Path::new("/tmp/peel-never.db").exists());
}

// ---------------------------------------------------------------------------------------
// Property tests: any arguments, any text (proptest's 256 cases, or PROPTEST_CASES).

/// Arguments people type, right and wrong, and arbitrary text.
fn argument() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        proptest::sample::select(vec![
            "cambs",
            "E23000023",
            "Met",
            "GMP",
            "yorkshire",
            "Durhma",
            "2016",
            "2018/19",
            "2019",
            "twenty",
            "officer-fte",
            "officers",
            "population",
            "good",
            "RI",
            "Adequate",
            "effectiveness",
            "legit",
            "east",
            "wales",
            "all",
            "2015",
            "2015-03-31",
            "march 2015",
            "force=kent",
            "period=2015",
            "kind=all",
            "year=2016",
            "x' OR '1'='1",
            "'; DROP TABLE areas; --",
            "",
            "=",
            "a=b",
            " ",
            "NULL",
            "%",
            "_",
        ])
        .prop_map(str::to_string),
        "[ -~]{0,20}",
        any::<String>(),
    ]
}

/// Whether a bound value is one peel stores for that kind of parameter (or the typed
/// text, for text parameters): resolution picks stored values, it never passes text on.
fn bound_value_is_stored(conn: &Connection, param: &Param, binding: &params::Binding) -> bool {
    let exists =
        |sql: &str, value: &Value| -> bool { conn.query_row(sql, [value], |_| Ok(())).is_ok() };
    let v = &binding.value;
    if *v == Value::Null {
        return true;
    }
    match &param.kind {
        Kind::Force | Kind::Area | Kind::Region => exists("SELECT 1 FROM areas WHERE code = ?1", v),
        Kind::Metric => exists("SELECT 1 FROM metrics WHERE code = ?1", v),
        Kind::Period { .. } => exists("SELECT 1 FROM periods WHERE label = ?1", v),
        Kind::Year => exists("SELECT 1 FROM cycles WHERE year = ?1", v),
        Kind::Grade { .. } => exists("SELECT 1 FROM grades WHERE name = ?1", v),
        Kind::Pillar => exists(
            "SELECT 1 WHERE ?1 IN ('effectiveness', 'efficiency', 'legitimacy')",
            v,
        ),
        Kind::AreaKind => exists(
            "SELECT 1 WHERE ?1 IN ('force', 'region', 'country', 'all')",
            v,
        ),
        Kind::Text => match (&binding.input, &param.default) {
            (Some(input), _) => *v == Value::Text(input.clone()),
            (None, Fallback::Value(d)) => *v == Value::Text(d.clone()),
            (None, _) => false,
        },
    }
}

#[test]
fn any_arguments_bind_stored_values_or_fail_as_usage_errors() {
    use proptest::prelude::*;
    let conn = seeded();
    let mut names: Vec<String> = CATALOGUE.iter().map(|c| c.name.to_string()).collect();
    names.push("forse".into());
    proptest!(|(
        name in proptest::sample::select(names),
        args in proptest::collection::vec(argument(), 0..4),
    )| {
        let before = conn.total_changes();
        match prepare(&conn, &name, &args) {
            Ok(call) => {
                // Values are bound, never pasted: the SQL is the catalogue's, untouched.
                prop_assert_eq!(&call.query.sql, canned(&name).unwrap().sql);
                for (param, binding) in call.query.params.iter().zip(&call.bindings) {
                    prop_assert!(
                        bound_value_is_stored(&conn, param, binding),
                        "{} {}: {:?} from {:?}",
                        name,
                        param.name,
                        binding.value,
                        binding.input
                    );
                }
                let mut out = Vec::new();
                let mut s = sink(Format::Csv, &mut out, &Options::default());
                let ran = call.run(&conn, s.as_mut(), SourcesMode::Hide);
                prop_assert!(ran.is_ok(), "{} {:?}: {}", name, args, ran.unwrap_err());
            }
            Err(e) => prop_assert!(e.is_usage(), "{} {:?}: {}", name, args, e),
        }
        prop_assert_eq!(conn.total_changes(), before);
    });
}

#[test]
fn resolving_any_text_never_panics_and_picks_a_candidate() {
    use proptest::prelude::*;
    let conn = seeded();
    let forces = crate::resolve::load_areas(&conn, &["force"]).unwrap();
    let cycles = crate::resolve::load_cycles(&conn).unwrap();
    let periods = crate::resolve::load_periods(&conn, Some("officer-fte")).unwrap();
    proptest!(|(input in argument())| {
        let _ = crate::resolve::normalize(&input);
        let _ = crate::resolve::initials(&input);
        if let Ok(r) = crate::resolve::resolve("force", &input, &forces, "") {
            prop_assert!(forces.iter().any(|c| std::ptr::eq(c, r.candidate)));
        }
        if let Ok(c) = crate::resolve::resolve_year(&input, &cycles) {
            prop_assert!(cycles.contains(c));
        }
        if let Ok((p, _)) = crate::resolve::resolve_period(&input, &periods, "") {
            prop_assert!(periods.contains(p));
        }
    });
}
