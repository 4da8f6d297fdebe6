//! `peel import csv`: both layouts on the fixtures in tests/fixtures/csv/ (expected values
//! worked out by hand from those files and the seed's population figures), bad rows
//! (file, line, column; the database unchanged byte for byte), re-imports, --replace,
//! --create-metrics and --dry-run.

use std::path::{Path, PathBuf};

use crate::util::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/csv")
        .join(name)
}

/// Copies a fixture into the test's folder, so the stored source location is short and
/// known.
fn local(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::copy(fixture(name), &path).unwrap();
    path
}

fn query(db: &Path, sql: &str) -> Vec<Vec<String>> {
    csv_rows(&stdout_ok(&run(db, &["--format", "csv", "sql", sql])))
        .into_iter()
        .skip(1)
        .collect()
}

/// The highest source id: sources above it were made by a later import (the seed's own
/// series rows carry source lines too).
fn last_source(db: &Path) -> String {
    query(db, "SELECT max(source_id) FROM sources")[0][0].clone()
}

/// Where seed/metrics/ho_police_workforce_mar2007_mar2023.csv says its officer-fte figures
/// come from (its source_url column), as a conflict names it.
const WORKFORCE_SOURCE: &str = "https://github.com/jamesLSI/ecom185/blob/37d6841b28475c84f283351a97c44d4c5999d297/data/open-data-table-police-workforce-260723.ods (sheet Data) ; cross-check copy for 2007-2022: https://github.com/mpjashby/lesscrime.info/blob/45e92ee4dcef39a68bea920c38700a875cf22b98/content/post/police-uplift-2022-data.csv.gz ; upstream: Home Office 'Police workforce open data tables' (https://www.gov.uk/government/statistics/police-workforce-open-data-tables), editions 26 July 2023 and 27 July 2022";

fn import(db: &Path, args: &[&str], files: &[&Path]) -> std::process::Output {
    let mut cmd = peel();
    cmd.arg("--db").arg(db).args(["import", "csv"]).args(args);
    for f in files {
        cmd.arg(f);
    }
    cmd.output().unwrap()
}

#[test]
fn the_long_layout_resolves_names_and_creates_periods() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let file = local(dir.path(), "long.csv");
    let seeded_sources = last_source(&db);
    let out = import(&db, &[], &[&file]);
    stdout_ok(&out);
    let err = stderr(&out);
    assert!(
        err.contains("area \"beds\" read as Bedfordshire (E23000026)"),
        "{err}"
    );
    // The seed's series already hold 2015/16 (seed/metrics/ho_arrests_pfa_fy2007_fy2018.csv
    // and others: 2015-04-01 to 2016-03-31) and the 12 months to 30 June 2016
    // (ons_recorded_crime_excl_fraud_pfa_fy2003_2018.csv: 2015-07-01 to 2016-06-30); no
    // series has 31 March 2006 (officer-fte starts in 2007) or a quarter.
    assert!(
        err.contains(
            "(long layout): 8 rows, 8 values; 2 periods created (as at 31 March 2006, 2015/16 Q1)"
        ),
        "{err}"
    );
    let rows = query(
        &db,
        &format!(
            "SELECT area_code, metric_code, period_label, period_kind, ifnull(period_start, ''),
                    period_end, value, source_line
             FROM v_metric_values WHERE source_line IS NOT NULL AND report_id IS NULL
               AND source IN (SELECT location FROM sources WHERE source_id > {seeded_sources})
             ORDER BY source_line"
        ),
    );
    let expected: Vec<Vec<&str>> = vec![
        vec![
            "E23000023",
            "officer-fte",
            "as at 31 March 2006",
            "point",
            "",
            "2006-03-31",
            "1380.5",
            "2",
        ],
        vec![
            "E23000026",
            "officer-fte",
            "as at 31 March 2006",
            "point",
            "",
            "2006-03-31",
            "1092.3",
            "3",
        ],
        vec![
            "E23000027",
            "officer-fte",
            "as at 31 March 2006",
            "point",
            "",
            "2006-03-31",
            "1950",
            "4",
        ],
        vec![
            "E23000036",
            "crime-per-1000",
            "2015/16",
            "financial-year",
            "2015-04-01",
            "2016-03-31",
            "66.2",
            "5",
        ],
        vec![
            "K04000001",
            "crime-per-1000",
            "2015/16",
            "financial-year",
            "2015-04-01",
            "2016-03-31",
            "70.1",
            "6",
        ],
        // The seed report already made this span, as a 12-months period: it is reused. (The
        // series hold the same dates as the financial year 2014/15.)
        vec![
            "E23000034",
            "crime-per-1000",
            "12 months to 31 March 2015",
            "12-months",
            "2014-04-01",
            "2015-03-31",
            "612.4",
            "7",
        ],
        vec![
            "E23000008",
            "victim-satisfaction",
            "2015/16 Q1",
            "quarter",
            "2015-04-01",
            "2015-06-30",
            "84.1",
            "8",
        ],
        vec![
            "E23000008",
            "victim-satisfaction",
            "12 months to 30 June 2016",
            "12-months",
            "2015-07-01",
            "2016-06-30",
            "83.7",
            "9",
        ],
    ];
    assert_eq!(rows, expected);
    // Avon and Somerset beside England and Wales, from the same file.
    let row = &query(
        &db,
        "SELECT national_value, ratio FROM v_metric_values
         WHERE area_code = 'E23000036' AND metric_code = 'crime-per-1000' AND period_label = '2015/16'",
    )[0];
    assert_eq!(row, &["70.1", "0.9444"]);
}

#[test]
fn rows_without_a_source_cite_the_file_with_its_sha256_and_trust() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let file = local(dir.path(), "long.csv");
    let seeded_sources = last_source(&db);
    stdout_ok(&import(&db, &["--trust", "high"], &[&file]));
    let sha = {
        use std::process::Command;
        let out = Command::new("sha256sum").arg(&file).output().unwrap();
        String::from_utf8(out.stdout).unwrap()[..64].to_string()
    };
    // Every figure of long.csv on one of two new sources: the file itself for rows without
    // a source, and the URL the other rows give.
    let sources = query(
        &db,
        &format!(
            "SELECT s.kind, s.title, s.trust, s.sha256, s.key, count(*) FROM metric_values v
             JOIN sources s USING (source_id)
             WHERE v.source_line IS NOT NULL AND v.report_id IS NULL
               AND s.source_id > {seeded_sources}
             GROUP BY s.source_id ORDER BY s.kind"
        ),
    );
    assert_eq!(
        sources,
        [
            vec![
                "file".to_string(),
                "long.csv".into(),
                "high".into(),
                sha.clone(),
                format!("csv:{sha}"),
                "5".into()
            ],
            vec![
                "url".to_string(),
                "https://www.gov.uk/government/statistics/police-recorded-crime-example".into(),
                "high".into(),
                "".into(),
                "url:https://www.gov.uk/government/statistics/police-recorded-crime-example".into(),
                "3".into()
            ],
        ]
    );
}

#[test]
fn the_home_office_table_gives_quarters_year_totals_and_rates() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let file = local(dir.path(), "home-office-prc.csv");
    let out = import(&db, &[], &[&file]);
    stdout_ok(&out);
    let err = stderr(&out);
    assert!(
        err.contains("5 rows for bodies that are not territorial forces were not stored: Action Fraud (1), British Transport Police (2), CIFAS (1), UK Finance (1)"),
        "{err}"
    );
    assert!(
        err.contains("1 financial-year total not derived: the file lacks some of its quarters"),
        "{err}"
    );
    assert!(
        err.contains("(Home Office recorded crime table): 18 rows, 13 values; 3 financial-year totals and 16 rates per 1,000 population derived; 4 metrics created (offences-8n, offences-8n-per-1000, offences-39, offences-39-per-1000)"),
        "{err}"
    );
    // Quarters as printed; the year is the sum of the four (Metropolitan Police appears as
    // "Metropolitan Police¹" and "Metropolitan Police [note 3]").
    let counts = query(
        &db,
        "SELECT area_code, period_label, period_kind, value, derived FROM v_metric_values
         WHERE metric_code = 'offences-39' ORDER BY area_code, period_kind, period_end",
    );
    let expected: Vec<Vec<&str>> = vec![
        vec!["E23000001", "2017/18", "financial-year", "34553", "1"],
        vec!["E23000001", "2017/18 Q1", "quarter", "8120", "0"],
        vec!["E23000001", "2017/18 Q2", "quarter", "8544", "0"],
        vec!["E23000001", "2017/18 Q3", "quarter", "9012", "0"],
        vec!["E23000001", "2017/18 Q4", "quarter", "8877", "0"],
        vec!["E23000034", "2017/18", "financial-year", "238", "1"],
        vec!["E23000034", "2017/18 Q1", "quarter", "61", "0"],
        vec!["E23000034", "2017/18 Q2", "quarter", "58", "0"],
        vec!["E23000034", "2017/18 Q3", "quarter", "70", "0"],
        vec!["E23000034", "2017/18 Q4", "quarter", "49", "0"],
    ];
    assert_eq!(counts, expected);
    // Avon & Somerset: 1520 + 1604 + 1489 + 1411 = 6024. The table's rates divide by the
    // mid-year population inside the financial year, peel's pairing rule (seed/metrics/
    // ons_pfa_population_2011_2023.csv, E23000036 at 2017-06-30: 1,700,982 people): for
    // 2017/18, 6024 / 1,700.982 = 3.5415 per 1,000; for 2017/18 Q1, 1520 / 1,700.982 = 0.8936.
    let avon = query(
        &db,
        "SELECT metric_code, period_label, value, derived FROM v_metric_values
         WHERE area_code = 'E23000036' AND period_label IN ('2017/18', '2017/18 Q1')
           AND metric_code LIKE 'offences-8n%' ORDER BY metric_code, period_label",
    );
    let expected: Vec<Vec<&str>> = vec![
        vec!["offences-8n", "2017/18", "6024", "1"],
        vec!["offences-8n", "2017/18 Q1", "1520", "0"],
        vec!["offences-8n-per-1000", "2017/18", "3.5415", "1"],
        vec!["offences-8n-per-1000", "2017/18 Q1", "0.8936", "1"],
    ];
    assert_eq!(avon, expected);
    // City of London: 238 offences; mid-2017, 7,877 people (same file, E23000034): 30.2145
    // per 1,000.
    let note = &query(
        &db,
        "SELECT v.value, v.note FROM metric_values v JOIN metrics m USING (metric_id)
         JOIN areas a USING (area_id) JOIN periods p USING (period_id)
         WHERE m.code = 'offences-39-per-1000' AND a.code = 'E23000034' AND p.label = '2017/18'",
    )[0];
    assert_eq!(note[0], "30.2145");
    assert_eq!(
        note[1],
        "derived by peel import csv: offences x 1,000 / population of the area as at 30 June 2017 (the mid-year estimate inside the financial year)"
    );
    let year_note = &query(
        &db,
        "SELECT v.note FROM metric_values v JOIN metrics m USING (metric_id)
         JOIN areas a USING (area_id) JOIN periods p USING (period_id)
         WHERE m.code = 'offences-39' AND a.code = 'E23000034' AND p.label = '2017/18'",
    )[0][0];
    assert_eq!(
        year_note,
        "derived by peel import csv: the sum of the four quarters of 2017/18 (Home Office quarterly counts)"
    );
    // Devon & Cornwall has one quarter of 2018/19: no year total.
    let devon = query(
        &db,
        "SELECT period_label, value FROM v_metric_values
         WHERE area_code = 'E23000035' AND metric_code = 'offences-8n'",
    );
    assert_eq!(devon, [["2018/19 Q1", "1032"]]);
    let metric = &query(
        &db,
        "SELECT name, unit, definition FROM metrics WHERE code = 'offences-8n'",
    )[0];
    assert_eq!(metric[0], "Offences: Assault with injury");
    assert_eq!(metric[1], "count");
    assert!(
        metric[2].contains("Home Office offence code 8N; group: Violence against the person; subgroup: Violence with injury"),
        "{metric:?}"
    );
    // Nothing for the other bodies.
    let stored = query(
        &db,
        "SELECT count(*) FROM metrics WHERE code IN ('offences-53a', 'offences-53b', 'offences-53c')",
    );
    assert_eq!(stored, [["0"]]);
}

#[test]
fn imported_offences_answer_canned_queries() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let file = local(dir.path(), "home-office-prc.csv");
    stdout_ok(&import(&db, &[], &[&file]));
    let out = run(
        &db,
        &[
            "-F",
            "csv",
            "run",
            "compare",
            "offences-39-per-1000",
            "2017/18",
        ],
    );
    let rows = csv_rows(&stdout_ok(&out));
    let at = |name: &str| rows[0].iter().position(|c| c == name).unwrap();
    let picked: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r[at("rank")].clone(),
                r[at("of_ranked")].clone(),
                r[at("area_name")].clone(),
                r[at("value")].clone(),
            ]
        })
        .collect();
    // Metropolitan Police: 8120 + 8544 + 9012 + 8877 = 34553 offences, by its mid-2017
    // population (seed/metrics/ons_pfa_population_2011_2023.csv: 8,768,352) = 3.9406 per
    // 1,000. City of London (30.2145, see above) is left out of a per-head ranking.
    assert_eq!(
        picked,
        [
            ["rank", "of_ranked", "area_name", "value"],
            ["1", "1", "Metropolitan Police", "3.9406"],
        ]
    );
    let err = stderr(&out);
    assert!(
        err.contains("City of London is left out of this per-head ranking"),
        "{err}"
    );
}

#[test]
fn a_bad_value_names_file_line_and_column_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let file = local(dir.path(), "bad-value.csv");
    let before = bytes(&db);
    let out = import(&db, &[], &[&file]);
    assert_fails(
        &out,
        1,
        "bad-value.csv line 4, column 4 (value): \"12x\" is not a number",
    );
    assert_eq!(bytes(&db), before);
}

#[test]
fn bad_areas_and_periods_are_errors_with_suggestions() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let before = bytes(&db);
    let out = import(&db, &[], &[&local(dir.path(), "bad-area.csv")]);
    assert_fails(
        &out,
        1,
        "bad-area.csv line 3, column 1 (area): unknown area \"Cambrigeshire\"; did you mean Cambridgeshire (E23000023)?",
    );
    let out = import(&db, &[], &[&local(dir.path(), "bad-period.csv")]);
    assert_fails(
        &out,
        1,
        "bad-period.csv line 2, column 2 (period): the span \"2016-01-01/2016-06-30\" is not 12 months, a financial year or quarter, or a calendar year",
    );
    assert_eq!(bytes(&db), before);
}

#[test]
fn unknown_metrics_are_all_listed_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let before = bytes(&db);
    let out = import(&db, &[], &[&local(dir.path(), "unknown-metrics.csv")]);
    assert_fails(
        &out,
        1,
        "unknown-metrics.csv line 3, column 3 (metric): 2 unknown metrics: \"populaton\" (did you mean population (Population) or population-2020-edition (Population (ONS mid-2020 edition, 2001 to 2010)) or population-mye2018 (Population (ONS mid-2018 estimate, rounded to 100))?), \"road-deaths\"; nothing was stored",
    );
    assert_eq!(bytes(&db), before);
}

#[test]
fn create_metrics_takes_the_unit_from_the_file_or_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let file = local(dir.path(), "long-new-metric.csv");
    let out = import(&db, &["--create-metrics"], &[&file]);
    stdout_ok(&out);
    let err = stderr(&out);
    assert!(
        err.contains("columns not used by the long layout: comment"),
        "{err}"
    );
    assert!(
        err.contains("1 metric created (firearms-licences)"),
        "{err}"
    );
    let metric = query(
        &db,
        "SELECT code, name, unit FROM metrics WHERE code = 'firearms-licences'",
    );
    assert_eq!(
        metric,
        [["firearms-licences", "Firearms licences", "count"]]
    );
    let values = query(
        &db,
        "SELECT area_name, period_label, value FROM v_metric_values
         WHERE metric_code = 'firearms-licences' ORDER BY period_end, area_name",
    );
    assert_eq!(
        values,
        [
            ["Kent", "2016/17", "5120"],
            ["Essex", "2017/18", "3311"],
            ["Kent", "2017/18", "4980"]
        ]
    );

    // Without a unit anywhere, a new metric is an error (the seed has arrests now, so the
    // new metric is one it lacks: seed/metrics.csv).
    let bare = dir.path().join("bare.csv");
    std::fs::write(
        &bare,
        "area,period,metric,value\nKent,2016/17,Custody detentions,100\n",
    )
    .unwrap();
    let out = import(&db, &["--create-metrics"], &[&bare]);
    assert_fails(
        &out,
        1,
        "bare.csv line 2, column 3 (metric): metric \"Custody detentions\" is new: give its unit in a unit column or with --unit",
    );
    let out = import(&db, &["--create-metrics", "--unit", "count"], &[&bare]);
    stdout_ok(&out);
    assert_eq!(
        query(
            &db,
            "SELECT unit FROM metrics WHERE code = 'custody-detentions'"
        ),
        [["count"]]
    );
    let out = import(&db, &["--create-metrics", "--unit", "furlongs"], &[&bare]);
    assert_fails(&out, 2, "unknown unit \"furlongs\" for --unit");
}

#[test]
fn a_duplicate_row_is_an_error_naming_both_lines() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let before = bytes(&db);
    let out = import(&db, &[], &[&local(dir.path(), "duplicate.csv")]);
    assert_fails(
        &out,
        1,
        "duplicate.csv line 4, column 4 (value): Kent, officer-fte, 2016/17 is given twice (first on line 2)",
    );
    assert_eq!(bytes(&db), before);
}

#[test]
fn a_value_from_another_source_needs_replace() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let file = local(dir.path(), "conflict.csv");
    let before = bytes(&db);
    let out = import(&db, &[], &[&file]);
    // seed/metrics/ho_police_workforce_mar2007_mar2023.csv: "E23000032,Kent,officer-fte,
    // 2015-03-31,2015-03-31,3188.39".
    assert_fails(
        &out,
        1,
        &format!(
            "conflict.csv line 2, column 4 (value): Kent, officer-fte, as at 31 March 2015 is already stored (3188.39, from {WORKFORCE_SOURCE}); use --replace to replace it"
        ),
    );
    assert_eq!(bytes(&db), before);
    let out = import(&db, &["--replace"], &[&file]);
    stdout_ok(&out);
    assert!(stderr(&out).contains("1 replaced"), "{}", stderr(&out));
    let row = query(
        &db,
        "SELECT value, source, source_line FROM v_metric_values WHERE area_code = 'E23000032'
         AND metric_code = 'officer-fte' AND period_label = 'as at 31 March 2015'",
    );
    assert_eq!(
        row,
        [[
            "3200".to_string(),
            file.display().to_string(),
            "2".to_string()
        ]]
    );
}

#[test]
fn the_same_file_twice_is_refused_unless_replace() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let file = local(dir.path(), "home-office-prc.csv");
    stdout_ok(&import(&db, &[], &[&file]));
    let before = bytes(&db);
    // The same bytes under another name are the same file.
    let copy = dir.path().join("copy.csv");
    std::fs::copy(&file, &copy).unwrap();
    let out = import(&db, &[], &[&copy]);
    assert_fails(&out, 1, "copy.csv: this file (SHA-256 ");
    assert!(
        stderr(&out).contains("was imported before, as"),
        "{}",
        stderr(&out)
    );
    assert_eq!(bytes(&db), before);
    let out = import(&db, &["--replace"], &[&file]);
    stdout_ok(&out);
    assert!(stderr(&out).contains("the file was imported before"));
    let n = query(
        &db,
        "SELECT count(*) FROM v_metric_values WHERE metric_code LIKE 'offences-%'",
    );
    assert_eq!(n, [["32"]]);
}

#[test]
fn a_dry_run_checks_everything_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let before = bytes(&db);
    let file = local(dir.path(), "home-office-prc.csv");
    let out = import(&db, &["--dry-run"], &[&file]);
    assert_eq!(stdout_ok(&out), "");
    assert!(stderr(&out).contains("would import"), "{}", stderr(&out));
    assert_eq!(bytes(&db), before);
    let out = import(&db, &["--dry-run"], &[&local(dir.path(), "bad-value.csv")]);
    assert_fails(&out, 1, "line 4, column 4 (value)");
}

#[test]
fn files_are_separate_transactions_and_the_first_error_stops() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let good = local(dir.path(), "long.csv");
    let bad = local(dir.path(), "bad-value.csv");
    let out = import(&db, &[], &[&good, &bad]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines[1].starts_with("peel: imported "), "{err}");
    assert!(
        lines[2].starts_with("peel: error: ") && lines[2].contains("bad-value.csv line 4"),
        "{err}"
    );
    // long.csv was committed before bad-value.csv failed.
    assert_eq!(
        query(
            &db,
            "SELECT count(*) FROM v_metric_values WHERE period_label = 'as at 31 March 2006'"
        ),
        [["3"]]
    );
}

#[test]
fn malformed_files_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let before = bytes(&db);
    let cases: &[(&str, &[u8], &str)] = &[
        (
            "short.csv",
            b"area,period,metric,value\nKent,2016/17,officer-fte\n",
            "short.csv line 2: 3 fields, but the header has 4",
        ),
        (
            "header.csv",
            b"force,when,what,value\nKent,2016/17,officer-fte,1\n",
            "header.csv line 1: the header lacks area, period, metric",
        ),
        (
            "latin1.csv",
            b"area,period,metric,value\nKent,2016/17,officer-fte,\xb91\n",
            "latin1.csv line 2, column 4 (value): not UTF-8 text",
        ),
        (
            "year.csv",
            b"area,period,metric,value\nKent,2016,officer-fte,1\n",
            "year.csv line 2, column 2 (period): \"2016\" is only a year",
        ),
        (
            "unit.csv",
            b"area,period,metric,value,unit\nKent,2016/17,officer-fte,1,count\n",
            "unit.csv line 2, column 5 (unit): officer-fte is measured in \"fte\", not \"count\"",
        ),
        (
            "empty.csv",
            b"area,period,metric,value\nKent,2016/17,officer-fte,\n",
            "empty.csv line 2, column 4 (value): no value",
        ),
        (
            "ho.csv",
            "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,Offence Subgroup,Offence Code,Number of Offences\n2017/18,5,Kent,Robbery,Robbery,Robbery,34A,10\n".as_bytes(),
            "ho.csv line 2, column 2 (Financial Quarter): \"5\" is not a quarter (1 to 4)",
        ),
    ];
    for (name, content, needle) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let out = import(&db, &[], &[&path]);
        assert_fails(&out, 1, needle);
    }
    assert_eq!(bytes(&db), before);
    let out = import(&db, &[], &[&dir.path().join("absent.csv")]);
    assert_fails(&out, 2, "absent.csv: no such file");
}

/// A file at least as large as the table (10,000 rows or more) is loaded with the
/// indexes rebuilt afterwards: duplicates and conflicts are still errors naming the
/// first offending line, and nothing is stored.
#[test]
fn a_large_load_still_finds_duplicates_and_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let before = bytes(&db);
    let forces = query(
        &db,
        "SELECT code FROM areas WHERE kind = 'force' ORDER BY code",
    );
    let mut text = String::from("area,period,metric,value\n");
    let mut rows = 0;
    'fill: for year in 1700..2100 {
        for f in &forces {
            text.push_str(&format!(
                "{},{year}-02-28,officer-fte,{}\n",
                f[0],
                rows % 997
            ));
            rows += 1;
            if rows == 12_000 {
                break 'fill;
            }
        }
    }
    let good = dir.path().join("large.csv");
    std::fs::write(&good, &text).unwrap();

    // Line 12,002 repeats line 2 (the first force, 28 February 1700).
    let dup = dir.path().join("large-dup.csv");
    std::fs::write(
        &dup,
        format!("{text}{},1700-02-28,officer-fte,5\n", forces[0][0]),
    )
    .unwrap();
    let out = import(&db, &[], &[&dup]);
    assert_fails(
        &out,
        1,
        "large-dup.csv line 12002, column 4 (value): Metropolitan Police, officer-fte, as at 28 February 1700 is given twice (first on line 2)",
    );
    assert_eq!(bytes(&db), before);

    // The last row contradicts the seed (Kent, 31 March 2015: 3188.39 in
    // seed/metrics/ho_police_workforce_mar2007_mar2023.csv).
    let conflict = dir.path().join("large-conflict.csv");
    std::fs::write(&conflict, format!("{text}Kent,2015-03-31,officer-fte,1\n")).unwrap();
    let out = import(&db, &[], &[&conflict]);
    assert_fails(
        &out,
        1,
        &format!(
            "large-conflict.csv line 12002, column 4 (value): Kent, officer-fte, as at 31 March 2015 is already stored (3188.39, from {WORKFORCE_SOURCE})"
        ),
    );
    assert_eq!(bytes(&db), before);

    let out = import(&db, &[], &[&good]);
    assert!(
        stderr(&out).contains("12000 rows, 12000 values"),
        "{}",
        stderr(&out)
    );
    // The indexes are back, exactly as the schema has them.
    let check = stdout_ok(&run(&db, &["check"]));
    assert!(!check.contains("FAILED"), "{check}");
    // schema.sql: five indexes on metric_values (the key, the area, the report, and a
    // derived rate's numerator and denominator) and the three triggers that keep the counts.
    let objects = query(
        &db,
        "SELECT type, name FROM sqlite_schema WHERE tbl_name = 'metric_values'
         AND type IN ('index', 'trigger') ORDER BY type, name",
    );
    assert_eq!(
        objects,
        [
            ["index", "metric_values_area"],
            ["index", "metric_values_denominator"],
            ["index", "metric_values_key"],
            ["index", "metric_values_numerator"],
            ["index", "metric_values_report"],
            ["trigger", "metric_values_counted"],
            ["trigger", "metric_values_recounted"],
            ["trigger", "metric_values_uncounted"]
        ]
    );
    // The per-period counts took the load in (peel check above recounted them too):
    // 43 forces a year from 1700: 12,000 rows fill 279 years and 3 rows of 1979.
    let periods = csv_rows(&stdout_ok(&run(&db, &["-F", "csv", "run", "periods"])));
    let row = |label: &str| {
        periods
            .iter()
            .find(|r| r[0] == label)
            .map(|r| (r[4].clone(), r[5].clone()))
    };
    assert_eq!(
        row("as at 28 February 1700"),
        Some(("1".into(), "43".into()))
    );
    assert_eq!(
        row("as at 28 February 1979"),
        Some(("1".into(), "3".into()))
    );
    // A later write through SQL is counted by the trigger that was put back.
    stdout_ok(&run(
        &db,
        &[
            "sql",
            "DELETE FROM metric_values WHERE period_id = (SELECT period_id FROM periods WHERE label = 'as at 28 February 1979')",
        ],
    ));
    let periods = csv_rows(&stdout_ok(&run(&db, &["-F", "csv", "run", "periods"])));
    let after = periods
        .iter()
        .find(|r| r[0] == "as at 28 February 1979")
        .map(|r| (r[4].clone(), r[5].clone()));
    assert_eq!(after, Some(("0".into(), "0".into())));
}
