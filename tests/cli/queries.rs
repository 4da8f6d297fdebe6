//! Canned and saved queries end to end: every canned query on the seed database, with
//! expected values copied by hand from the seed files (file and line named), parameter
//! errors and their suggestions, injection attempts, saved queries travelling with the
//! file, formats, and exit codes.

use std::path::{Path, PathBuf};

use crate::util::*;

fn seeded() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    (dir, db)
}

/// Runs `peel run ARGS` as CSV and returns (header + rows, stderr).
fn run_csv(db: &Path, args: &[&str]) -> (Vec<Vec<String>>, String) {
    let mut full = vec!["--format", "csv", "run"];
    full.extend_from_slice(args);
    let out = run(db, &full);
    (csv_rows(&stdout_ok(&out)), stderr(&out))
}

/// The value of `column` in each row, header excluded.
fn column(rows: &[Vec<String>], name: &str) -> Vec<String> {
    let i = rows[0]
        .iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", rows[0]));
    rows[1..].iter().map(|r| r[i].clone()).collect()
}

/// The first row whose `key` column equals `value`, as (column, value) lookups.
fn row<'a>(rows: &'a [Vec<String>], key: &str, value: &str) -> impl Fn(&str) -> String + 'a {
    let k = rows[0].iter().position(|c| c == key).unwrap();
    let r = rows[1..]
        .iter()
        .find(|r| r[k] == value)
        .unwrap_or_else(|| panic!("no row with {key} = {value}"))
        .clone();
    let header = rows[0].clone();
    move |name: &str| {
        let i = header.iter().position(|c| c == name).unwrap();
        r[i].clone()
    }
}

#[test]
fn grades_2016_effectiveness_is_a_grid_with_durham_outstanding_and_bedfordshire_inadequate() {
    // peel_2016_effectiveness_all43.csv lines 10 and 28.
    let (_d, db) = seeded();
    let (rows, _) = run_csv(&db, &["grades", "2016", "effectiveness"]);
    assert_eq!(&rows[0][..3], ["area_code", "area_name", "effectiveness"]);
    assert_eq!(rows.len(), 44, "43 forces and a header");
    assert_eq!(
        row(&rows, "area_name", "Durham")("effectiveness"),
        "Outstanding"
    );
    assert_eq!(
        row(&rows, "area_name", "Bedfordshire")("effectiveness"),
        "Inadequate"
    );
    assert_eq!(row(&rows, "area_name", "Durham")("area_code"), "E23000008");
}

#[test]
fn grade_counts_2016_match_the_published_national_counts() {
    // peel_2016_effectiveness_all43.csv counted by hand (P16_EFFE of all 43 forces), and
    // seed/national_grade_counts.csv "2016,Effectiveness,1,28,,13,1" (HMIC's published
    // national counts).
    let (_d, db) = seeded();
    let (rows, err) = run_csv(&db, &["grade-counts", "2016"]);
    assert_eq!(
        rows[0],
        [
            "cycle",
            "pillar",
            "question_code",
            "grade",
            "grade_rank",
            "held",
            "forces_held",
            "published",
            "held_vs_published"
        ]
    );
    let pick = |pillar: &str, item: &str| -> Vec<Vec<String>> {
        rows[1..]
            .iter()
            .filter(|r| r[1] == pillar && r[2] == item)
            .map(|r| {
                vec![
                    r[3].clone(),
                    r[5].clone(),
                    r[6].clone(),
                    r[7].clone(),
                    r[8].clone(),
                ]
            })
            .collect()
    };
    let expect = |g: &str, n: &str| [g, n, "43", n, "same"].map(String::from).to_vec();
    assert_eq!(
        pick("effectiveness", "P16_EFFE"),
        [
            expect("Outstanding", "1"),
            expect("Good", "28"),
            expect("Requires improvement", "13"),
            expect("Inadequate", "1")
        ]
    );
    // peel_national_grade_counts_additions.csv "2016,Legitimacy,2,36,,5,0": the 43 forces'
    // P16_LEGI grades in the seed grade files count the same.
    assert_eq!(
        pick("legitimacy", "P16_LEGI"),
        [
            expect("Outstanding", "2"),
            expect("Good", "36"),
            expect("Requires improvement", "5"),
            expect("Inadequate", "0")
        ]
    );
    assert!(
        err.contains("2016 effectiveness: held grades of 43 of 43 forces; held = published (Outstanding 1, Good 28, Requires improvement 13, Inadequate 1)"),
        "{err}"
    );
    // No national count of 2016 efficiency grades is held (seed/national_grade_counts.csv
    // and the additions file have none).
    assert!(
        err.contains("2016 efficiency: grades held for 43 of 43 forces; the database holds no national count for it"),
        "{err}"
    );
}

#[test]
fn compare_puts_england_and_wales_first_as_the_reference_row() {
    // seed/metrics/ho_police_workforce_mar2007_mar2023.csv: the latest officer-fte date is
    // 31 March 2023, "K04000001,England and Wales,officer-fte,2023-03-31,2023-03-31,147429.63".
    let (_d, db) = seeded();
    let (rows, err) = run_csv(&db, &["compare", "officer-fte"]);
    let first = row(&rows, "role", "reference");
    assert_eq!(
        rows[1][rows[0].iter().position(|c| c == "role").unwrap()],
        "reference"
    );
    assert_eq!(first("area_name"), "England and Wales");
    assert_eq!(first("rank"), "");
    assert_eq!(first("value"), "147429.63");
    assert_eq!(first("period"), "as at 31 March 2023");
    assert_eq!(first("share_of_national_pct"), "100.0");
    assert_eq!(rows.len(), 1 + 1 + 43);
    assert!(
        err.contains("period is the latest with officer-fte figures: as at 31 March 2023"),
        "{err}"
    );
    // Same file: "E23000023,Cambridgeshire,officer-fte,2023-03-31,2023-03-31,1730.52", the
    // 27th largest of the 43 forces that day; a count, so its share of England and Wales
    // (1730.52 / 147429.63 = 1.17%), never a difference or a ratio.
    let cambs = row(&rows, "area_code", "E23000023");
    assert_eq!(
        (
            cambs("value"),
            cambs("rank"),
            cambs("of_ranked"),
            cambs("share_of_national_pct"),
            cambs("difference"),
            cambs("ratio")
        ),
        (
            "1730.52".into(),
            "27".into(),
            "43".into(),
            "1.17".into(),
            "".into(),
            "".into()
        )
    );
}

#[test]
fn compare_population_ranks_the_met_first() {
    // seed/metrics/ons_pfa_population_2011_2023.csv, mid-2023 (the latest): "E23000001,
    // Metropolitan Police,population,2023-06-30,2023-06-30,8931847", the largest force, and
    // England and Wales 60854727. A count: its share is 8931847 / 60854727 = 14.68%, and
    // no ratio.
    let (_d, db) = seeded();
    let (rows, _) = run_csv(&db, &["compare", "population"]);
    let met = row(&rows, "rank", "1");
    assert_eq!(met("area_name"), "Metropolitan Police");
    assert_eq!(met("value"), "8931847");
    assert_eq!(met("period"), "as at 30 June 2023");
    assert_eq!(met("share_of_national_pct"), "14.68");
    assert_eq!(met("ratio"), "");
    assert_eq!(row(&rows, "role", "reference")("value"), "60854727");
    // The mid-2018 figure of another edition (ons_pfa_population_mye2018.csv line 41:
    // "E23000001,Metropolitan Police,8899400"; line 3: England and Wales 59115800) is its
    // own metric: 8899400 / 59115800 = 15.05%.
    let (rows, _) = run_csv(&db, &["compare", "population-mye2018"]);
    let met = row(&rows, "rank", "1");
    assert_eq!(met("area_name"), "Metropolitan Police");
    assert_eq!(met("value"), "8899400");
    assert_eq!(met("share_of_national_pct"), "15.05");
    assert_eq!(met("ratio"), "");
    assert_eq!(row(&rows, "role", "reference")("value"), "59115800");
}

#[test]
fn compare_a_period_given_as_a_year_a_date_or_a_label() {
    // seed/metrics/ho_police_workforce_mar2007_mar2023.csv: Cambridgeshire 1370.38 (31 March
    // 2014, the only officer-fte date in 2014), 1361.95 (31 March 2015).
    let (_d, db) = seeded();
    for (period, value) in [
        ("2014", "1370.38"),
        ("2015-03-31", "1361.95"),
        ("as at 31 March 2015", "1361.95"),
        ("march 2015", "1361.95"),
    ] {
        let (rows, _) = run_csv(&db, &["compare", "officer-fte", period]);
        assert_eq!(
            row(&rows, "area_code", "E23000023")("value"),
            value,
            "{period}"
        );
    }
    // Regions, same file: "E12000006,East of England,officer-fte,2014-03-31,2014-03-31,
    // 10318.93"; the nine English regions and England and Wales.
    let (rows, _) = run_csv(&db, &["compare", "officer-fte", "2014", "kind=region"]);
    assert_eq!(row(&rows, "area_name", "East")("value"), "10318.93");
    assert_eq!(rows.len(), 1 + 1 + 9);
}

#[test]
fn compare_a_metric_without_figures_is_empty_with_a_note() {
    let (_d, db) = seeded();
    stdout_ok(&run(
        &db,
        &[
            "sql",
            // Every metric of the seed has figures (seed/metrics.csv and seed/metrics/):
            // this one is made up.
            "INSERT INTO metrics (code, name, unit, definition)
             VALUES ('knife-crime-per-1000', 'Knife crime per 1,000 population',
                     'per 1,000 population', 'Knife crime, not yet loaded')",
        ],
    ));
    let (rows, err) = run_csv(&db, &["compare", "knife-crime-per-1000"]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        err.contains("no knife-crime-per-1000 figures in this database yet"),
        "{err}"
    );
}

#[test]
fn compare_a_report_figure_puts_england_and_wales_first_as_reference() {
    // seed report lines 182 and 184: Cambridgeshire 28.6, England and Wales 32.9 anti-social
    // behaviour incidents per 1,000 population, 12 months to 30 June 2015.
    let (_d, db) = seeded();
    let (rows, _) = run_csv(&db, &["compare", "asb-per-1000", "2015"]);
    assert_eq!(
        column(&rows, "area_name"),
        ["England and Wales", "Cambridgeshire"]
    );
    assert_eq!(column(&rows, "role"), ["reference", "area"]);
    assert_eq!(column(&rows, "value"), ["32.9", "28.6"]);
    assert_eq!(column(&rows, "period")[1], "12 months to 30 June 2015");
}

#[test]
fn force_cambs_is_cambridgeshire_with_grades_and_figures() {
    let (_d, db) = seeded();
    // Two results, grades then figures; CSV holds one, so each is asked for by name.
    let out = run(
        &db,
        &[
            "--format", "csv", "run", "force", "cambs", "--result", "grades",
        ],
    );
    let grades = stdout_ok(&out);
    assert!(
        stderr(&out).contains("force \"cambs\" is Cambridgeshire (E23000023)"),
        "{}",
        stderr(&out)
    );
    let grades = csv_rows(&grades);
    // The latest cycle with a grade for Cambridgeshire is 2023-25, which graded 9 areas
    // (seed/items.csv, A23_*): every one is listed, "not known" where no grade is held.
    assert_eq!(grades.len(), 1 + 9, "{grades:?}");
    assert!(column(&grades, "cycle").iter().all(|c| c == "2023-25"));
    // peel_grades_2014_2025.csv (trust high) and peel_question_and_area_judgments.csv
    // line 36: police powers and public treatment, Outstanding; a new area in 2023-25, so
    // nothing earlier to compare with.
    let powers = row(&grades, "question_code", "A23_PPT");
    assert_eq!(
        (
            powers("grade"),
            powers("trust"),
            powers("derived"),
            powers("previous_grade"),
            powers("direction")
        ),
        (
            "Outstanding".into(),
            "high".into(),
            "0".into(),
            "".into(),
            "".into()
        )
    );
    // Responding to the public (series A21_RESP): no 2023-25 grade held; 2021/22 was
    // Requires improvement (peel_grades_2014_2025.csv, A21_RESP). No direction without
    // both grades.
    let responding = row(&grades, "question_code", "A23_RESP");
    assert_eq!(
        (
            responding("grade"),
            responding("previous_cycle"),
            responding("previous_grade"),
            responding("direction")
        ),
        (
            "not known".into(),
            "2021/22".into(),
            "Requires improvement".into(),
            "".into()
        )
    );
    // peel_area_grade_counts_2021_2025.csv: Cambridgeshire 2023-25 "outstanding 1; good 2;
    // adequate 2; requires improvement 1; inadequate 2", 8 areas.
    let err = stderr(&out);
    assert!(
        err.contains("Cambridgeshire 2023-25: 1 of 9 graded areas held in the database"),
        "{err}"
    );
    assert!(
        err.contains("HMICFRS published counts for Cambridgeshire 2023-25: Outstanding 1, Good 2, Adequate 2, Requires improvement 1, Inadequate 2 (8 areas); held here: Outstanding 1 (not the same"),
        "{err}"
    );
    let figures = run(
        &db,
        &[
            "--format", "csv", "run", "force", "cambs", "--result", "figures",
        ],
    );
    let figures = csv_rows(&stdout_ok(&figures));
    // seed/metrics/ons_pfa_population_2011_2023.csv, mid-2023 (the latest): Cambridgeshire
    // 919082, England and Wales 60854727; a count, so its share (1.51%) and rank (27th of
    // the 43 forces), no ratio.
    let pop = row(&figures, "metric", "population");
    assert_eq!(
        (
            pop("period"),
            pop("value"),
            pop("national_value"),
            pop("ratio"),
            pop("share_of_national_pct"),
            pop("rank"),
            pop("of_forces")
        ),
        (
            "as at 30 June 2023".into(),
            "919082".into(),
            "60854727".into(),
            "".into(),
            "1.51".into(),
            "27".into(),
            "43".into()
        )
    );
    // ons_pfa_population_mye2018.csv: "E23000023,Cambridgeshire,852500,339200", now
    // population-mye2018: 852500 / 59115800 = 1.44%.
    let mye = row(&figures, "metric", "population-mye2018");
    assert_eq!(
        (
            mye("period"),
            mye("value"),
            mye("national_value"),
            mye("share_of_national_pct")
        ),
        (
            "as at 30 June 2018".into(),
            "852500".into(),
            "59115800".into(),
            "1.44".into()
        )
    );
    // seed/metrics/ho_police_workforce_mar2007_mar2023.csv: 31 March 2023, 1730.52.
    let officers = row(&figures, "metric", "officer-fte");
    assert_eq!(
        (officers("period"), officers("value")),
        ("as at 31 March 2023".into(), "1730.52".into())
    );
}

#[test]
fn forces_resolve_from_codes_slugs_names_aliases_and_fragments() {
    let (_d, db) = seeded();
    for input in [
        "E23000023",
        "cambridgeshire",
        "Cambridgeshire Constabulary",
        "cambs",
        "Cambs",
        "cambridge",
    ] {
        let (rows, _) = run_csv(&db, &["history", input]);
        assert!(
            column(&rows, "area_name")
                .iter()
                .all(|n| n == "Cambridgeshire"),
            "{input}"
        );
    }
    let (rows, _) = run_csv(&db, &["history", "Met"]);
    assert_eq!(column(&rows, "area_name")[0], "Metropolitan Police");
    let (rows, _) = run_csv(&db, &["history", "GMP"]);
    assert_eq!(column(&rows, "area_name")[0], "Greater Manchester");
}

#[test]
fn names_that_fit_several_forces_are_errors_that_name_them() {
    let (_d, db) = seeded();
    // London has two forces: the City's, and the Met (seed/areas.csv, aliases of E23000001).
    assert_fails(
        &run(&db, &["run", "history", "london"]),
        2,
        "peel: error: history: ambiguous force \"london\": did you mean Metropolitan Police (E23000001) or City of London (E23000034)? (give more of the name, or the code)",
    );
    // "shire" starts no word but sits inside 18 force names (seed/areas.csv).
    assert_fails(
        &run(&db, &["run", "history", "shire"]),
        2,
        "peel: error: history: force \"shire\" fits 18 forces: Bedfordshire (E23000026), Cambridgeshire (E23000023), Cheshire (E23000006) and 15 more; give more of the name, or the code",
    );
    // Each London force still has names of its own.
    for (input, force) in [
        ("city of london", "City of London"),
        ("city", "City of London"),
        ("met", "Metropolitan Police"),
        ("metropolitan", "Metropolitan Police"),
    ] {
        let (rows, _) = run_csv(&db, &["history", input]);
        let names = column(&rows, "area_name");
        assert!(
            !names.is_empty() && names.iter().all(|n| n == force),
            "{input}: {names:?}"
        );
    }
}
#[test]
fn trend_shows_each_period_with_the_change_and_england_and_wales() {
    // seed/metrics/ho_police_workforce_mar2007_mar2023.csv: Cambridgeshire (E23000023)
    // and England and Wales (K04000001), officer-fte as at 31 March 2007 to 2023; the
    // changes are the differences of consecutive values, rounded to two decimals.
    let (_d, db) = seeded();
    let (rows, _) = run_csv(&db, &["trend", "cambs", "officer-fte"]);
    assert_eq!(
        column(&rows, "period_end"),
        (2007..=2023)
            .map(|y| format!("{y}-03-31"))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        column(&rows, "value"),
        [
            "1402.43", "1378.73", "1449.74", "1471.32", "1397.5", "1377.45", "1383.66", "1370.38",
            "1361.95", "1348.77", "1345.68", "1383.11", "1446.72", "1545.07", "1619.91", "1644.71",
            "1730.52"
        ]
    );
    assert_eq!(
        column(&rows, "change"),
        [
            "", "-23.7", "71.01", "21.58", "-73.82", "-20.05", "6.21", "-13.28", "-8.43", "-13.18",
            "-3.09", "37.43", "63.61", "98.35", "74.84", "24.8", "85.81"
        ]
    );
    assert_eq!(
        column(&rows, "national_value"),
        [
            "141892.96",
            "141857.14",
            "143768.87",
            "143734.44",
            "139109.61",
            "134100.02",
            "129583.79",
            "127909.3",
            "127192.46",
            "124066.25",
            "123141.99",
            "122404.82",
            "123188.86",
            "129110.01",
            "135301.42",
            "140228.33",
            "147429.63"
        ]
    );
    assert_eq!(
        column(&rows, "national_change"),
        [
            "", "-35.82", "1911.73", "-34.43", "-4624.83", "-5009.59", "-4516.23", "-1674.49",
            "-716.84", "-3126.21", "-924.26", "-737.17", "784.04", "5921.15", "6191.41", "4926.91",
            "7201.3"
        ]
    );
    // The 30 September figures are a metric of their own
    // (seed/metrics/ho_police_workforce_sep2014_sep2019.csv), never mixed into the series.
    let (rows, _) = run_csv(&db, &["trend", "cambs", "officer-fte-sep"]);
    assert_eq!(
        column(&rows, "value"),
        ["1354.36", "1358.16", "1339.1", "1332", "1420.18", "1490"]
    );
    assert_eq!(
        column(&rows, "national_value"),
        [
            "127077.36",
            "125573.55",
            "122859.01",
            "121928.98",
            "122406.45",
            "124783.97"
        ]
    );
}

#[test]
fn trend_chart_draws_a_sparkline_per_metric_in_plain_characters() {
    let (_d, db) = seeded();
    let out = stdout_ok(&run(&db, &["--format", "chart", "run", "trend", "cambs"]));
    assert!(out.is_ascii(), "{out}");
    assert!(
        out.contains(
            "Police officers (FTE), fte: 17 points, 2007-03-31 to 2023-03-31\n  Cambridgeshire     ._.-._______.=++#  1402.43 -> 1730.52  (+328.09, +23.39%)\n  England and Wales  ++++=-...____.=+#  141892.96 -> 147429.63  (+5536.67, +3.9%)\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("Population, persons: 13 points, 2011-06-30 to 2023-06-30\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "Population (ONS mid-2018 estimate, rounded to 100), persons: 1 point, 2018-06-30\n"
        ),
        "{out}"
    );
}

#[test]
fn compare_chart_marks_england_and_wales() {
    let (_d, db) = seeded();
    let out = stdout_ok(&run(
        &db,
        &["--format", "chart", "run", "compare", "population"],
    ));
    let lines: Vec<&str> = out.lines().collect();
    // seed/metrics/ons_pfa_population_2011_2023.csv, mid-2023: England and Wales 60854727,
    // Metropolitan Police 8931847.
    assert_eq!(lines[0], "population, as at 30 June 2023, persons");
    assert!(lines[1].starts_with(" England and Wales"), "{out}");
    assert!(lines[1].ends_with("60854727  (off the scale)"), "{out}");
    assert!(
        lines[2].starts_with(" Metropolitan Police   8931847  ####"),
        "{out}"
    );
    assert_eq!(
        lines.last(),
        Some(&"off the scale: England and Wales = 60854727 (reference)")
    );
    assert!(out.is_ascii());
}

#[test]
fn grade_changes_by_rank_and_the_scale_change_note() {
    // peel_pillar_judgments_2015_2018.csv lines 46 and 49: Bedfordshire effectiveness
    // Inadequate (2016) then Requires improvement (2017); lines 6 and 9: Cambridgeshire
    // Good then Requires improvement.
    let (_d, db) = seeded();
    let (rows, err) = run_csv(&db, &["grade-changes", "2016", "2017", "effectiveness"]);
    // Items pair by series: the pillar grade P16_EFFE with P17_EFFE, and each question
    // Q16_En with Q17_En, so a force can have several rows; pick by force and item.
    let pair = |area: &str, from_item: &str| {
        let name = rows[0].iter().position(|c| c == "area_name").unwrap();
        let item = rows[0].iter().position(|c| c == "from_item").unwrap();
        let r = rows[1..]
            .iter()
            .find(|r| r[name] == area && r[item] == from_item)
            .unwrap_or_else(|| panic!("no row for {area} {from_item}: {rows:?}"));
        let header = rows[0].clone();
        let r = r.clone();
        move |c: &str| r[header.iter().position(|h| h == c).unwrap()].clone()
    };
    let beds = pair("Bedfordshire", "P16_EFFE");
    assert_eq!(
        (
            beds("to_item"),
            beds("from_grade"),
            beds("to_grade"),
            beds("direction"),
            beds("steps")
        ),
        (
            "P17_EFFE".into(),
            "Inadequate".into(),
            "Requires improvement".into(),
            "up".into(),
            "1".into()
        )
    );
    let cambs = pair("Cambridgeshire", "P16_EFFE");
    assert_eq!(
        (cambs("to_item"), cambs("direction"), cambs("steps")),
        ("P17_EFFE".into(), "down".into(), "-1".into())
    );
    assert!(column(&rows, "pillar").iter().all(|p| p == "effectiveness"));
    // Counted by hand over the seed grade files (peel_grades_2014_2025.csv,
    // grades_project_files.csv, peel_grades_confirmed_additions.csv): 41 forces hold both
    // P16_EFFE and P17_EFFE; 9 went up (Bedfordshire, Dyfed-Powys, Hampshire,
    // Hertfordshire, Leicestershire, Nottinghamshire, South Yorkshire, Staffordshire,
    // Sussex), 6 down (Cambridgeshire, Greater Manchester, Gwent, Warwickshire, West
    // Mercia, West Midlands), 26 the same.
    assert!(
        err.contains(
            "effectiveness (P16_EFFE to P17_EFFE): 41 of 43 forces graded in both years are compared (9 up, 6 down, 26 the same)"
        ),
        "{err}"
    );
    let pillar_rows: Vec<String> = column(&rows, "from_item")
        .into_iter()
        .filter(|i| i == "P16_EFFE")
        .collect();
    assert_eq!(pillar_rows.len(), 9 + 6);
    // Questions: Bedfordshire Q16_E1 Inadequate to Q17_E1 Requires improvement is the only
    // move among the 6 forces holding both.
    assert!(
        err.contains(
            "Q16_E1 to Q17_E1: 6 of 43 forces graded in both years are compared (1 up, 0 down, 5 the same)"
        ),
        "{err}"
    );

    let (rows, err) = run_csv(&db, &["grade-changes", "2018/19", "2023"]);
    assert_eq!(rows.len(), 1);
    assert!(
        err.contains("2018/19 is graded on the peel-4 scale and 2023-25 on peel-5"),
        "{err}"
    );
    assert!(err.contains("grades compare by rank"), "{err}");
}

#[test]
fn history_notes_the_change_of_scale() {
    // Cambridgeshire has peel-4 grades (2014 to 2018/19) and peel-5 grades (2021/22 areas in
    // peel_grades_2014_2025.csv, and 2023-25: peel_question_and_area_judgments.csv line 36,
    // police powers, Outstanding).
    let (_d, db) = seeded();
    let (rows, err) = run_csv(&db, &["history", "cambs"]);
    assert!(
        err.contains("span the 2019/2021 change of scale (peel-4 to peel-5"),
        "{err}"
    );
    let powers = row(&rows, "question_code", "A23_PPT");
    assert_eq!(
        (powers("cycle"), powers("grade"), powers("trust")),
        ("2023-25".into(), "Outstanding".into(), "high".into())
    );
    // `series` last: the line of history a row is on, named by its first code (pictures
    // lay history out by it).
    assert_eq!(
        &rows[0][rows[0].len() - 4..],
        ["trust", "derived", "carried_over", "series"]
    );
    // peel_pillar_judgments_2015_2018.csv lines 9 and 12: effectiveness Requires
    // improvement in 2017, Good in 2018/19 (P17_EFFE and P18_EFFE, one series).
    let eff = row(&rows, "question_code", "P18_EFFE");
    // The effectiveness pillar's line is named by its first code, 2014's.
    assert_eq!(eff("series"), "P14_EFFE");
    assert_eq!(
        (
            eff("cycle"),
            eff("grade"),
            eff("previous_cycle"),
            eff("previous_grade"),
            eff("direction")
        ),
        (
            "2018/19".into(),
            "Good".into(),
            "2017".into(),
            "Requires improvement".into(),
            "up".into()
        )
    );
}

#[test]
fn graded_lists_forces_given_a_grade() {
    // peel_2017_legitimacy_all43.csv: six forces requires improvement in 2017 (P17_LEGI).
    // The question grades follow the pillar grade, from peel_grades_2014_2025.csv: Q17_L1
    // Cleveland; Q17_L2 Cleveland, Devon and Cornwall; Q17_L3 Cleveland, Lancashire.
    let (_d, db) = seeded();
    let (rows, err) = run_csv(&db, &["graded", "RI", "2017", "legitimacy"]);
    let listed: Vec<(String, String)> = column(&rows, "question_code")
        .into_iter()
        .zip(column(&rows, "area_name"))
        .collect();
    let expect = |q: &str, a: &str| (q.to_string(), a.to_string());
    assert_eq!(
        listed,
        [
            expect("P17_LEGI", "City of London"),
            expect("P17_LEGI", "Cleveland"),
            expect("P17_LEGI", "Northamptonshire"),
            expect("P17_LEGI", "Warwickshire"),
            expect("P17_LEGI", "West Mercia"),
            expect("P17_LEGI", "West Midlands"),
            expect("Q17_L1", "Cleveland"),
            expect("Q17_L2", "Cleveland"),
            expect("Q17_L2", "Devon and Cornwall"),
            expect("Q17_L3", "Cleveland"),
            expect("Q17_L3", "Lancashire")
        ]
    );
    assert!(
        err.contains("grade \"RI\" is Requires improvement"),
        "{err}"
    );
    // What each count is out of: all 43 forces hold a P17_LEGI grade; 5, 6 and 4 forces
    // hold a Q17_L1, Q17_L2 and Q17_L3 grade.
    for note in [
        "2017 legitimacy: 6 Requires improvement among the 43 of 43 forces held",
        "2017 Q17_L1: 1 Requires improvement among the 5 of 43 forces held",
        "2017 Q17_L2: 2 Requires improvement among the 6 of 43 forces held",
        "2017 Q17_L3: 2 Requires improvement among the 4 of 43 forces held",
    ] {
        assert!(err.contains(note), "{note}: {err}");
    }
}

#[test]
fn peers_and_region_compare_a_force_with_its_region() {
    let (_d, db) = seeded();
    let (rows, _) = run_csv(&db, &["peers", "cambs", "officer-fte"]);
    assert_eq!(column(&rows, "role")[0], "reference");
    assert_eq!(
        column(&rows, "region")[0],
        "",
        "England and Wales is in no region"
    );
    assert_eq!(
        rows.len(),
        1 + 1 + 6,
        "England and Wales and the six East forces"
    );
    let me = row(&rows, "role", "selected");
    assert_eq!(
        (me("area_name"), me("region")),
        ("Cambridgeshire".into(), "East".into())
    );
    // seed/metrics/ho_police_workforce_mar2007_mar2023.csv, 31 March 2023: Essex 3745.88,
    // Hertfordshire 2389.85, Norfolk 1897.4, Cambridgeshire 1730.52, Bedfordshire 1443.26,
    // Suffolk 1398.57; England and Wales 147429.63, so Cambridgeshire's share is 1.17%.
    assert_eq!(
        (
            me("rank"),
            me("of_ranked"),
            me("value"),
            me("share_of_national_pct")
        ),
        ("4".into(), "6".into(), "1730.52".into(), "1.17".into())
    );

    // Same file: the East of England region (E12000006), 31 March 2007 to 2023, and
    // Cambridgeshire's 1402.43 in 2007.
    let (rows, _) = run_csv(&db, &["region", "cambs", "officer-fte"]);
    assert_eq!(
        column(&rows, "region_value"),
        [
            "11083.47", "11028.71", "11309.49", "11361.15", "11078.82", "10648.9", "10478.84",
            "10318.93", "10130.62", "9855.17", "9852.39", "10107.87", "10488.46", "11076.17",
            "11589.39", "12030.02", "12605.48"
        ]
    );
    assert_eq!(column(&rows, "forces_in_region"), ["6"; 17]);
    // 1402.43 / 11083.47 = 0.12653...
    assert_eq!(column(&rows, "ratio_to_region")[0], "0.1265");
}

#[test]
fn improvements_come_from_imported_reports() {
    // The default database imports seed/reports/peel-effectiveness-2015-cambridgeshire.txt:
    // one area for improvement under prevention (line 404), two under investigation
    // (lines 544, 545), one under serious and organised crime (line 677).
    let (_d, db) = seeded();
    let text = "The constabulary should use evidence of 'what works' drawn from other forces, academics and partners to continually improve its approach to the prevention of crime and anti-social behaviour. There should be routine evaluation of tactics and sharing of effective practice.";
    let (rows, _) = run_csv(&db, &["improvements", "cambs"]);
    assert_eq!(
        column(&rows, "question_code"),
        // 2015 questions E1 (prevention), E2 (investigation), E4 (serious and organised
        // crime): seed/items.csv.
        ["Q15_E1", "Q15_E2", "Q15_E2", "Q15_E4"]
    );
    assert_eq!(column(&rows, "text")[0], text);
    let (rows, _) = run_csv(&db, &["improvements", "durham"]);
    assert_eq!(rows.len(), 1, "Durham has no imported report: {rows:?}");
}

#[test]
fn catalogue_queries_describe_the_database() {
    let (_d, db) = seeded();
    let (rows, _) = run_csv(&db, &["forces", "east"]);
    assert_eq!(
        column(&rows, "area_name"),
        [
            "Bedfordshire",
            "Cambridgeshire",
            "Essex",
            "Hertfordshire",
            "Norfolk",
            "Suffolk"
        ]
    );
    let (rows, _) = run_csv(&db, &["forces"]);
    assert_eq!(rows.len(), 44);
    let (rows, _) = run_csv(&db, &["metrics", "officer"]);
    // "officer" in the code, name or definition (seed/metrics.csv; the derived rates are
    // named after the metric they divide, and PCSOs are police community support officers).
    assert_eq!(
        column(&rows, "metric"),
        [
            "designated-officer-fte",
            "designated-officer-fte-sep",
            "officer-fte",
            "officer-fte-jan2026",
            "officer-fte-per-1000",
            "officer-fte-sep",
            "officer-fte-sep-per-1000",
            "officer-headcount",
            "pcso-fte",
            "pcso-fte-sep",
            "pcso-headcount"
        ]
    );
    // seed/metrics/ho_police_workforce_mar2007_mar2023.csv: 43 forces, 9 English regions,
    // England, Wales and the England and Wales total: 55 areas, in 17 periods (31 March
    // 2007 to 2023), 935 figures.
    let officers = row(&rows, "metric", "officer-fte");
    assert_eq!(
        (
            officers("figures"),
            officers("periods"),
            officers("areas_in_latest"),
            officers("latest_period")
        ),
        (
            "935".into(),
            "17".into(),
            "55".into(),
            "as at 31 March 2023".into()
        )
    );
    let (rows, _) = run_csv(&db, &["periods"]);
    // The latest first (period ends in seed/metrics/*.csv): 2024/25 and 31 March 2025 (one
    // metric each, 55 figures), mid-2023 population (55), 31 March 2023 (the seven
    // workforce metrics and their three rates per 1,000: 10 metrics, 550 figures), then the
    // 2022/23 crime severity score (42 figures: no City of London).
    assert_eq!(
        rows[..6],
        [
            [
                "period",
                "kind",
                "start_date",
                "end_date",
                "metrics",
                "figures"
            ],
            [
                "2024/25",
                "financial-year",
                "2024-04-01",
                "2025-03-31",
                "1",
                "55"
            ],
            ["as at 31 March 2025", "point", "", "2025-03-31", "1", "55"],
            ["as at 30 June 2023", "point", "", "2023-06-30", "1", "55"],
            [
                "2022/23",
                "financial-year",
                "2022-04-01",
                "2023-03-31",
                "1",
                "42"
            ],
            [
                "as at 31 March 2023",
                "point",
                "",
                "2023-03-31",
                "10",
                "550"
            ]
        ]
    );
    let ends = column(&rows, "end_date");
    assert!(ends.windows(2).all(|w| w[0] >= w[1]), "{ends:?}");
    // The series span 105 date ranges (seed/metrics/*.csv, period_start and period_end).
    let mut spans: Vec<(String, String)> =
        column(&rows, "start_date").into_iter().zip(ends).collect();
    spans.sort();
    spans.dedup();
    assert_eq!(spans.len(), 105);
    // The periods of the report's figures are still there.
    let labels = column(&rows, "period");
    for label in [
        "as at 30 June 2018",
        "as at 30 September 2015",
        "12 months to 30 June 2015",
        "as at 30 June 2015",
        "12 months to 31 March 2015",
        "as at 31 March 2015",
        "as at 30 September 2014",
        "12 months to 30 June 2014",
        "12 months to 31 March 2014",
    ] {
        assert!(labels.iter().any(|l| l == label), "{label}: {labels:?}");
    }
    let (rows, _) = run_csv(&db, &["years"]);
    let y2021 = row(&rows, "year", "2021");
    assert_eq!(
        (y2021("cycle"), y2021("scale")),
        ("2021/22".into(), "peel-5".into())
    );
    // 2014: 124 grades of 30 forces on the 8 items HMIC graded (seed/items.csv: P14_EFFI,
    // Q14_E1 to Q14_E3, Q14_F0 to Q14_F3; effectiveness overall and legitimacy were not
    // graded), counted by force and item over peel_grades_2014_2025.csv and
    // peel_grades_confirmed_additions.csv. The two crime-inspection grades the seed report
    // cites (lines 76 and 86) are among them, not extra.
    let y2014 = row(&rows, "year", "2014");
    assert_eq!(
        (
            y2014("graded_items"),
            y2014("judgments"),
            y2014("forces_graded")
        ),
        ("8".into(), "124".into(), "30".into())
    );
}

#[test]
fn parameter_errors_exit_2_and_say_what_was_meant() {
    let (_d, db) = seeded();
    let fails = |args: &[&str], needle: &str| {
        let mut full = vec!["run"];
        full.extend_from_slice(args);
        assert_fails(&run(&db, &full), 2, needle);
    };
    fails(
        &["force", "Durhma"],
        "unknown force \"Durhma\"; did you mean Durham (E23000008)?",
    );
    fails(
        &["force", "yorkshire"],
        "ambiguous force \"yorkshire\": did you mean North Yorkshire (E23000009), West Yorkshire (E23000010) or South Yorkshire (E23000011)?",
    );
    fails(
        &["compare"],
        "compare: missing METRIC (a metric: code (officer-fte), name or fragment; see `peel run metrics`); usage: peel run compare METRIC [PERIOD] [KIND]",
    );
    fails(
        &["force", "cambs", "2016"],
        "too many arguments (1 not used: \"2016\")",
    );
    fails(
        &["compare", "populaton"],
        "unknown metric \"populaton\"; did you mean population (Population), population-2020-edition (Population (ONS mid-2020 edition, 2001 to 2010)) or population-mye2018 (Population (ONS mid-2018 estimate, rounded to 100))?",
    );
    fails(&["compare", "asb"], "ambiguous metric \"asb\"");
    // No period of the seed ends in 2024 (seed/metrics/*.csv: 2023-06-30, then 2025-03-31).
    fails(
        &["compare", "officer-fte", "2024"],
        "unknown period \"2024\"; no period ends in 2024",
    );
    fails(
        &["grades", "2019"],
        "unknown PEEL year \"2019\"; did you mean 2018 (2018/19)?",
    );
    fails(&["grades", "sixteen"], "\"sixteen\" is not a year");
    fails(
        &["graded", "adequate", "2016"],
        "Adequate is not a grade of the peel-4 scale used in 2016",
    );
    fails(&["grades", "2016", "eff"], "ambiguous pillar \"eff\"");
    fails(
        &["compare", "officer-fte", "kind=county"],
        "unknown area kind \"county\"",
    );
    fails(
        &["compare", "officer-fte", "perod=2015"],
        "unknown parameter \"perod\"",
    );
    fails(
        &["comapre", "x"],
        "no query named \"comapre\" (did you mean compare?)",
    );
}

#[test]
fn injection_attempts_are_just_values_and_change_nothing() {
    let (_d, db) = seeded();
    let before = bytes(&db);
    for attempt in ["x' OR '1'='1", "'; DROP TABLE areas; --", "Kent' OR 'x'='x"] {
        assert_fails(&run(&db, &["run", "force", attempt]), 2, "unknown force");
        // A text parameter takes the value as it is: nothing matches it.
        let (rows, _) = run_csv(&db, &["metrics", attempt]);
        assert_eq!(rows.len(), 1, "{attempt}: {rows:?}");
    }
    // Punctuation is ignored when matching names, so this reads as a code; what is bound
    // is the stored code itself, never the text typed.
    let (rows, err) = run_csv(&db, &["history", "E23000023' --"]);
    assert!(
        err.contains("is Cambridgeshire (E23000023)") || err.contains("change of scale"),
        "{err}"
    );
    assert!(
        column(&rows, "area_name")
            .iter()
            .all(|n| n == "Cambridgeshire")
    );
    assert_eq!(bytes(&db), before, "the database changed");
    let (rows, _) = run_csv(&db, &["forces"]);
    assert_eq!(rows.len(), 44);
}

#[test]
fn saved_queries_travel_with_the_file() {
    let (dir, db) = seeded();
    let sql = "-- default :grade = Good\nSELECT area_name FROM v_judgments WHERE year = CAST(:year AS INTEGER) AND pillar = 'effectiveness' AND level = 'pillar' AND grade = :grade ORDER BY area_name";
    let out = run(
        &db,
        &[
            "save",
            "effectiveness-grade",
            "--description",
            "Forces given GRADE for effectiveness in YEAR",
            // The SQL starts with a comment, which would otherwise read as a flag.
            "--",
            sql,
        ],
    );
    stdout_ok(&out);
    assert!(
        stderr(&out).contains("run it with `peel run effectiveness-grade YEAR [GRADE]`"),
        "{}",
        stderr(&out)
    );
    // Copy the file: the query goes with it.
    let copy = dir.path().join("copy.db");
    std::fs::copy(&db, &copy).unwrap();
    let (rows, _) = run_csv(&copy, &["effectiveness-grade", "2016", "grade=Outstanding"]);
    assert_eq!(rows, [["area_name"], ["Durham"]]);
    let (rows, _) = run_csv(&copy, &["effectiveness-grade", "2016"]);
    assert_eq!(rows.len(), 1 + 28);
    // Listed beside the canned ones, in JSON for tools.
    let text = stdout_ok(&run(&copy, &["--format", "json", "queries"]));
    let list: serde_json::Value = serde_json::from_str(&text).unwrap();
    let entries = list.as_array().unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e["name"] == "compare" && e["kind"] == "canned")
    );
    let saved = entries.iter().find(|e| e["kind"] == "saved").unwrap();
    assert_eq!(saved["name"], "effectiveness-grade");
    assert_eq!(saved["usage"], "effectiveness-grade YEAR [GRADE]");
    assert_eq!(
        saved["summary"],
        "Forces given GRADE for effectiveness in YEAR"
    );
    // A missing parameter shows the usage; a value is only a value.
    assert_fails(
        &run(&copy, &["run", "effectiveness-grade"]),
        2,
        "usage: peel run effectiveness-grade YEAR [GRADE]",
    );
    let before = bytes(&copy);
    let (rows, _) = run_csv(&copy, &["effectiveness-grade", "2016", "x' OR '1'='1"]);
    assert_eq!(rows.len(), 1);
    assert_eq!(bytes(&copy), before);
    // Removed from the copy only.
    stdout_ok(&run(&copy, &["unsave", "effectiveness-grade"]));
    assert_fails(
        &run(&copy, &["run", "effectiveness-grade", "2016"]),
        2,
        "no query named \"effectiveness-grade\"",
    );
    assert_fails(
        &run(&copy, &["unsave", "effectiveness-grade"]),
        2,
        "no saved query named",
    );
    let (rows, _) = run_csv(&db, &["effectiveness-grade", "2016", "Inadequate"]);
    assert_eq!(rows, [["area_name"], ["Bedfordshire"]]);
}

/// Pipes `input` to the shell on `db`, with CSV output and no startup file.
fn shell(db: &Path, input: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = peel()
        .args(["--no-rc", "-F", "csv", "--db"])
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

const FORCE_PILLAR: &str = "SELECT year, grade FROM v_judgments WHERE area_code = :force AND pillar = :pillar AND level = 'pillar' ORDER BY year";

/// Cambridgeshire's efficiency pillar grades: 2014 Good (seed/peel_grades_confirmed_additions.csv
/// line 23); 2015 Good, 2016 Requires improvement, 2017 Good, 2018/19 Good
/// (seed/grades_project_files.csv lines 10, 66, 97, 173).
const CAMBS_EFFICIENCY: &[[&str; 2]] = &[
    ["year", "grade"],
    ["2014", "Good"],
    ["2015", "Good"],
    ["2016", "Requires improvement"],
    ["2017", "Good"],
    ["2018", "Good"],
];

#[test]
fn saved_queries_declare_kinds_and_resolve_arguments_like_canned_ones() {
    let (dir, db) = seeded();
    let out = run(
        &db,
        &[
            "save",
            "force-pillar",
            "--param",
            "force=force",
            "--param",
            "pillar=pillar",
            FORCE_PILLAR,
        ],
    );
    stdout_ok(&out);
    assert_eq!(
        stderr(&out),
        "peel: saved force-pillar; run it with `peel run force-pillar FORCE PILLAR`\n"
    );
    let (rows, err) = run_csv(&db, &["force-pillar", "cambs", "efficiency"]);
    assert_eq!(rows, CAMBS_EFFICIENCY);
    assert_eq!(
        err,
        "peel: note: force \"cambs\" is Cambridgeshire (E23000023)\n"
    );
    let (rows, _) = run_csv(&db, &["force-pillar", "pillar=efficiency", "force=cambs"]);
    assert_eq!(rows, CAMBS_EFFICIENCY);
    // The shell's .run resolves them the same way.
    let out = shell(&db, ".run force-pillar cambs efficiency\n");
    assert_eq!(csv_rows(&stdout_ok(&out)), CAMBS_EFFICIENCY);
    // A JSON document shows how each argument was read.
    let text = stdout_ok(&run(
        &db,
        &["-F", "json", "run", "force-pillar", "cambs", "efficiency"],
    ));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        doc["arguments"],
        serde_json::json!({"force": "Cambridgeshire (E23000023)", "pillar": "efficiency"})
    );
    assert_eq!(doc["results"]["force-pillar"][1]["grade"], "Good");
    // Its help shows each parameter's kind, and the SQL holds the declarations.
    let help = stdout_ok(&run(&db, &["queries", "force-pillar"]));
    assert!(
        help.contains("  FORCE      force: ONS code, slug, name, alias or a fragment naming one; bound as its ONS code\n  PILLAR     pillar: effectiveness, efficiency or legitimacy\n"),
        "{help}"
    );
    assert!(
        help.contains("SQL:\n-- param :force force\n-- param :pillar pillar\nSELECT year"),
        "{help}"
    );
    assert_fails(
        &run(&db, &["run", "force-pillar", "nowhere", "efficiency"]),
        2,
        "force-pillar: unknown force \"nowhere\"; list them with `peel run forces`",
    );
    // The same line typed in a file declares the kind as well.
    let file = dir.path().join("by-hand.sql");
    std::fs::write(
        &file,
        format!("-- param :force force\n-- param :pillar pillar\n{FORCE_PILLAR}\n"),
    )
    .unwrap();
    stdout_ok(&run(
        &db,
        &["save", "by-hand", "-f", file.to_str().unwrap()],
    ));
    let (rows, _) = run_csv(&db, &["by-hand", "Cambridgeshire", "efficiency"]);
    assert_eq!(rows, CAMBS_EFFICIENCY);
    // So does a line inside a statement the shell's .save keeps.
    let out = shell(
        &db,
        ".param set :force E23000023\n.param set :pillar efficiency\nSELECT year, grade FROM v_judgments\n-- param :force force\nWHERE area_code = :force AND pillar = :pillar AND level = 'pillar' ORDER BY year;\n.save from-shell\n",
    );
    assert_eq!(csv_rows(&stdout_ok(&out)), CAMBS_EFFICIENCY);
    let (rows, err) = run_csv(&db, &["from-shell", "cambs", "efficiency"]);
    assert_eq!(rows, CAMBS_EFFICIENCY);
    assert_eq!(
        err,
        "peel: note: force \"cambs\" is Cambridgeshire (E23000023)\n"
    );
}

#[test]
fn an_untyped_saved_query_that_finds_nothing_says_how_to_declare_its_parameters() {
    let (_d, db) = seeded();
    stdout_ok(&run(&db, &["save", "untyped", FORCE_PILLAR]));
    let note = "no rows; parameters force and pillar are text, compared as given (force = 'cambs', pillar = 'efficiency'); declare their kinds to resolve them like a canned query's: --param force=force --param pillar=pillar when saving, or lines such as \"-- param :force force\" in the SQL";
    let (rows, err) = run_csv(&db, &["untyped", "cambs", "efficiency"]);
    assert_eq!(rows, [["year", "grade"]]);
    assert_eq!(err, format!("peel: note: {note}\n"));
    let text = stdout_ok(&run(
        &db,
        &["-F", "json", "run", "untyped", "cambs", "efficiency"],
    ));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["notes"], serde_json::json!([note]));
    // The code as stored matches as given, and needs no note.
    let (rows, err) = run_csv(&db, &["untyped", "E23000023", "efficiency"]);
    assert_eq!(rows, CAMBS_EFFICIENCY);
    assert_eq!(err, "");
}

#[test]
fn bad_param_flags_exit_2_with_one_line_and_save_nothing() {
    let (_d, db) = seeded();
    let before = bytes(&db);
    let save = |flag: &str| run(&db, &["save", "fp", "--param", flag, FORCE_PILLAR]);
    assert_fails(
        &save("force=county"),
        2,
        "--param \"force=county\": unknown kind \"county\"; kinds: force, area, region, metric, period[:METRIC], year, grade[:YEAR], pillar, area-kind, text",
    );
    assert_fails(
        &save("region=region"),
        2,
        "--param \"region=region\": the SQL does not use :region (its parameters: force, pillar)",
    );
    assert_fails(
        &save("force"),
        2,
        "--param \"force\": expected NAME=KIND, e.g. --param force=force",
    );
    assert_fails(
        &save("force=force:pillar"),
        2,
        "only period and grade name another parameter",
    );
    assert_fails(
        &run(
            &db,
            &[
                "save",
                "fp",
                "--param",
                "period=period:force",
                "--param",
                "force=force",
                "SELECT :period, :force",
            ],
        ),
        2,
        ":force is not declared as a metric (-- param :force metric)",
    );
    assert_eq!(bytes(&db), before);
}

#[test]
fn saving_checks_the_query() {
    let (_d, db) = seeded();
    let before = bytes(&db);
    let save = |name: &str, sql: &str| run(&db, &["save", name, sql]);
    assert_fails(
        &save("compare", "SELECT 1"),
        2,
        "compare is a canned query; a saved query cannot shadow it",
    );
    assert_fails(
        &save("wipe", "DELETE FROM areas"),
        2,
        "a saved query may only read",
    );
    assert_fails(
        &save("p", "SELECT * FROM areas WHERE code = ?"),
        2,
        "positional",
    );
    assert_fails(&save("Bad Name", "SELECT 1"), 2, "not a valid query name");
    assert_fails(&save("typo", "SELEC 1"), 1, "syntax error");
    assert_fails(
        &run(&db, &["unsave", "compare"]),
        2,
        "only saved queries can be removed",
    );
    assert_eq!(bytes(&db), before);
    stdout_ok(&save("one", "SELECT 1 AS one"));
    assert_fails(&save("one", "SELECT 2"), 2, "use --replace");
    stdout_ok(&run(&db, &["save", "one", "--replace", "SELECT 2 AS two"]));
    let (rows, _) = run_csv(&db, &["one"]);
    assert_eq!(rows, [["two"], ["2"]]);
}

#[test]
fn a_saved_query_that_writes_is_refused_even_if_put_in_the_file_by_hand() {
    let (_d, db) = seeded();
    stdout_ok(&run(
        &db,
        &[
            "sql",
            "INSERT INTO saved_queries (name, description, sql, created_at, updated_at) VALUES ('sneaky', '', 'DELETE FROM areas', 'x', 'x')",
        ],
    ));
    let before = bytes(&db);
    // A fault in the file's data, not in how peel was called: exit 1.
    assert_fails(
        &run(&db, &["run", "sneaky"]),
        1,
        "saved query sneaky: statement 1",
    );
    assert_eq!(bytes(&db), before);
    let (rows, _) = run_csv(&db, &["forces"]);
    assert_eq!(rows.len(), 44);
}

#[test]
fn runtime_errors_exit_1() {
    let (_d, db) = seeded();
    stdout_ok(&run(
        &db,
        &[
            "save",
            "overflow",
            "SELECT abs(-9223372036854775807 - 1) AS x",
        ],
    ));
    assert_fails(&run(&db, &["run", "overflow"]), 1, "integer overflow");
}

#[test]
fn with_sources_adds_footnotes_or_a_field() {
    let (_d, db) = seeded();
    // peel_pillar_judgments_2015_2018.csv line 46 names Bedfordshire's 2016 page.
    let bedfordshire =
        "http://www.justiceinspectorates.gov.uk/hmic/peel-assessments/peel-2016/bedfordshire/";
    // peel_grades_2014_2025.csv: Bedfordshire's 2016 questions Q16_E1 and Q16_E3 were also
    // Inadequate, both stated by one news page (trust medium); one footnote serves both.
    let news = "https://policeprofessional.com/news/bedfordshire-police-claims-to-be-the-most-improved-force-in-the-country";
    let table = stdout_ok(&run(
        &db,
        &[
            "--format",
            "table",
            "run",
            "graded",
            "inadequate",
            "2016",
            "--with-sources",
        ],
    ));
    assert!(table.contains("| sources |"), "{table}");
    assert!(
        table.ends_with(&format!("Sources:\n  [1] {bedfordshire}\n  [2] {news}\n")),
        "{table}"
    );
    let json = stdout_ok(&run(
        &db,
        &[
            "--format",
            "json",
            "run",
            "graded",
            "inadequate",
            "2016",
            "--with-sources",
        ],
    ));
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rows = &parsed["results"]["graded"];
    assert_eq!(rows.as_array().unwrap().len(), 3, "{parsed}");
    assert_eq!(rows[0]["area_name"], "Bedfordshire");
    assert_eq!(rows[0]["question_code"], "P16_EFFE");
    assert_eq!(rows[0]["sources"], bedfordshire);
    for (i, item) in [(1, "Q16_E1"), (2, "Q16_E3")] {
        assert_eq!(rows[i]["area_name"], "Bedfordshire");
        assert_eq!(rows[i]["question_code"], item);
        assert_eq!(rows[i]["sources"], news);
    }
    // Without the flag, no sources column at all.
    let plain = stdout_ok(&run(
        &db,
        &["--format", "json", "run", "graded", "inadequate", "2016"],
    ));
    assert!(!plain.contains("sources"), "{plain}");
}

#[test]
fn stdout_has_only_data_in_every_format() {
    let (_d, db) = seeded();
    // The notes peel writes to stderr (or the JSON "notes" field); compare's own `note`
    // column holds each figure's note from its source, which is data.
    let peel_notes = |err: &str| -> Vec<String> {
        let notes: Vec<String> = err
            .lines()
            .map(|l| l.strip_prefix("peel: note: ").expect(l).to_string())
            .collect();
        assert!(notes.len() >= 2, "{err}");
        notes
    };
    for format in ["csv", "tsv", "json", "jsonl", "markdown", "table", "chart"] {
        let out = run(
            &db,
            &["--format", format, "run", "compare", "officer-fte", "2015"],
        );
        let text = stdout_ok(&out);
        let err = stderr(&out);
        if format == "json" {
            // One JSON document: the notes travel in their own field, never in the rows.
            let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
            let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["arguments", "notes", "query", "results"], "{text}");
            assert!(
                doc["notes"][0]
                    .as_str()
                    .unwrap()
                    .starts_with("period \"2015\" is as at 31 March 2015"),
                "{text}"
            );
            let notes: Vec<String> = doc["notes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_str().unwrap().to_string())
                .collect();
            assert_eq!(notes, peel_notes(&err), "the same notes as on stderr");
            let rows = serde_json::to_string(&doc["results"]).unwrap();
            for note in &notes {
                assert!(!rows.contains(note.as_str()), "{format}: {note}: {rows}");
            }
            assert!(!rows.contains("peel: note"), "{format}: {rows}");
            assert!(rows.contains("Metropolitan Police"), "{format}: {text}");
        } else {
            for note in peel_notes(&err) {
                assert!(!text.contains(note.as_str()), "{format}: {note}: {text}");
            }
            assert!(!text.contains("peel: note"), "{format}: {text}");
            assert!(text.contains("Metropolitan Police"), "{format}: {text}");
        }
        assert!(
            err.starts_with("peel: note: period \"2015\" is as at 31 March 2015"),
            "{err}"
        );
    }
    let out = run(
        &db,
        &[
            "--format",
            "json",
            "run",
            "-q",
            "compare",
            "officer-fte",
            "2015",
        ],
    );
    assert_eq!(stderr(&out), "");
    let parsed: serde_json::Value = serde_json::from_str(&stdout_ok(&out)).unwrap();
    // -q quiets stderr only: the document still carries its notes.
    assert!(
        parsed["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("period \"2015\" is as at 31 March 2015"),
        "{parsed}"
    );
    // seed/metrics/ho_police_workforce_mar2007_mar2023.csv, 31 March 2015: Metropolitan
    // Police 32251.61, the largest force.
    let first = &parsed["results"]["compare"];
    assert_eq!(first[0]["role"], "reference");
    assert_eq!(first[1]["rank"], 1);
    assert_eq!(first[1]["area_name"], "Metropolitan Police");
    assert_eq!(first[1]["value"], 32251.61);
}

#[test]
fn queries_lists_and_describes() {
    let (_d, db) = seeded();
    let (rows, _) = {
        let out = run(&db, &["--format", "csv", "queries"]);
        (csv_rows(&stdout_ok(&out)), ())
    };
    assert_eq!(rows[0], ["name", "kind", "usage", "summary"]);
    let usages = column(&rows, "usage");
    for expected in [
        "force FORCE",
        "compare METRIC [PERIOD] [KIND]",
        "trend FORCE [METRIC]",
        "grades [YEAR] [PILLAR]",
        "grade-changes FROM_YEAR TO_YEAR [PILLAR]",
        "grade-counts [YEAR]",
        "improvements [FORCE]",
        "metrics [SEARCH]",
        "forces [REGION]",
        "periods",
        "peers FORCE [METRIC] [PERIOD]",
        "region FORCE METRIC",
    ] {
        assert!(
            usages.iter().any(|u| u == expected),
            "{expected}: {usages:?}"
        );
    }
    let text = stdout_ok(&run(&db, &["queries", "compare"]));
    assert!(
        text.starts_with("usage: peel run compare METRIC [PERIOD] [KIND]\n"),
        "{text}"
    );
    assert!(text.contains("[default: latest]"), "{text}");
    assert!(text.contains("WHERE mv.metric_code = :metric AND mv.period_label = :period"));
    assert_fails(
        &run(&db, &["queries", "nosuch"]),
        2,
        "no query named \"nosuch\"",
    );
}

#[test]
fn saving_needs_a_writable_file() {
    let (_d, db) = seeded();
    let before = bytes(&db);
    let out = run(&db, &["--readonly", "save", "x", "SELECT 1"]);
    assert_fails(&out, 1, "readonly");
    assert_eq!(bytes(&db), before);
}

#[test]
fn explain_shows_the_plan_with_the_arguments_bound() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let out = run(
        &db,
        &[
            "-F",
            "csv",
            "run",
            "-q",
            "--explain",
            "compare",
            "officer-fte",
            "2015",
        ],
    );
    let text = stdout_ok(&out);
    assert!(text.starts_with("id,parent,detail\n"), "{text}");
    // The figures of one metric and period come from the unique key, never a scan.
    assert!(
        text.contains("SEARCH v USING INDEX metric_values_key (metric_id=? AND period_id=?)"),
        "{text}"
    );
    assert!(!text.contains("SCAN v"), "{text}");
}
