//! Figures over time, per head, compared like for like (issue 12). Expected values are
//! copied by hand from the series files in seed/metrics/ (named beside each), which keep
//! the audited research files' rows.

use crate::util::*;

#[test]
fn published_totals_are_held_as_published() {
    let (_dir, db) = seeded();
    let one = |metric: &str, area: &str, period: &str| -> String {
        let rows = sql_rows(
            &db,
            &format!(
                "SELECT value FROM v_metric_values WHERE metric_code = '{metric}'
                 AND area_code = '{area}' AND period_label = '{period}'"
            ),
        );
        assert_eq!(rows.len(), 1, "{metric} {area} {period}: {rows:?}");
        rows[0][0].clone()
    };
    // ons_pfa_population_2011_2023.csv, K04000001 2023-06-30.
    assert_eq!(
        one("population", "K04000001", "as at 30 June 2023"),
        "60854727"
    );
    // ho_police_workforce_mar2007_mar2023.csv, officer-fte 2023-03-31.
    assert_eq!(
        one("officer-fte", "K04000001", "as at 31 March 2023"),
        "147429.63"
    );
    assert_eq!(
        one("officer-fte", "E23000023", "as at 31 March 2023"),
        "1730.52"
    );
    // ons_recorded_crime_excl_fraud_pfa_fy2003_2018.csv, 2017-04-01 to 2018-03-31.
    assert_eq!(one("recorded-crime", "K04000001", "2017/18"), "4818518");
}

#[test]
fn a_rate_is_its_figure_over_the_population_the_rule_picks() {
    // 31 March 2023 pairs with mid-2022: Cambridgeshire 907,715 (population file,
    // 2022-06-30), so 1,730.52 / 907,715 x 1,000 = 1.90646..., stored to 4 places.
    let (_dir, db) = seeded();
    let rows = sql_rows(
        &db,
        "SELECT value, numerator, denominator, derived FROM v_metric_values
         WHERE metric_code = 'officer-fte-per-1000' AND area_code = 'E23000023'
           AND period_label = 'as at 31 March 2023'",
    );
    assert_eq!(rows, [["1.9065", "1730.52", "907715", "1"]]);
    // A financial year pairs with the mid-year inside it: 2017/18 with mid-2017.
    let rows = sql_rows(
        &db,
        "SELECT substr(note, 1, 200) FROM v_metric_values
         WHERE metric_code = 'recorded-crime-per-1000' AND area_code = 'K04000001'
           AND period_label = '2017/18'",
    );
    assert!(
        rows[0][0].contains(
            "recorded-crime 2017/18 (4818518) per 1,000 of the population as at 30 June 2017"
        ),
        "{rows:?}"
    );
}

#[test]
fn compare_a_rate_ranks_42_forces_and_says_city_of_london_is_left_out() {
    let (_dir, db) = seeded();
    let out = run(
        &db,
        &[
            "--format",
            "csv",
            "run",
            "compare",
            "officer-fte-per-1000",
            "2023",
        ],
    );
    let rows = csv_rows(&stdout_ok(&out));
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let data = &rows[1..];
    assert_eq!(data.len(), 43, "42 forces and England and Wales");
    assert_eq!(data[0][col("role")], "reference");
    assert_eq!(data[0][col("area_code")], "K04000001");
    assert!(!data.iter().any(|r| r[col("area_code")] == "E23000034"));
    assert!(data[1..].iter().all(|r| r[col("of_ranked")] == "42"));
    let err = stderr(&out);
    assert!(
        err.contains("City of London is left out of this per-head ranking"),
        "{err}"
    );
}

#[test]
fn no_count_is_compared_with_england_and_wales_by_difference_or_ratio() {
    let (_dir, db) = seeded();
    for (metric, period) in [
        ("officer-fte", "2023"),
        ("population", "2023"),
        ("recorded-crime", "2017/18"),
        ("arrests", "2017/18"),
        ("stop-search-all", "2018/19"),
    ] {
        let out = run(&db, &["--format", "csv", "run", "compare", metric, period]);
        let rows = csv_rows(&stdout_ok(&out));
        let header = &rows[0];
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        assert!(rows.len() > 40, "{metric}: {rows:?}");
        for r in &rows[1..] {
            assert_eq!(r[col("difference")], "", "{metric}: {r:?}");
            assert_eq!(r[col("ratio")], "", "{metric}: {r:?}");
            assert_ne!(r[col("share_of_national_pct")], "", "{metric}: {r:?}");
            assert_eq!(r[col("vs_national")], "", "{metric}: {r:?}");
        }
        assert!(
            stderr(&out).contains(&format!("{metric} is a count")),
            "{metric}"
        );
    }
}

#[test]
fn recorded_crime_has_no_better_or_worse() {
    let (_dir, db) = seeded();
    let rows = csv_rows(&stdout_ok(&run(
        &db,
        &[
            "--format",
            "csv",
            "run",
            "compare",
            "recorded-crime-per-1000",
            "2017/18",
        ],
    )));
    let col = rows[0].iter().position(|h| h == "vs_national").unwrap();
    for r in &rows[1..] {
        assert!(
            ["", "higher", "lower", "same"].contains(&r[col].as_str()),
            "{r:?}"
        );
    }
}

#[test]
fn trend_shows_every_march_from_2007_to_2023() {
    // ho_police_workforce_mar2007_mar2023.csv: 17 rows for Cambridgeshire officer-fte.
    let (_dir, db) = seeded();
    let rows = csv_rows(&stdout_ok(&run(
        &db,
        &["--format", "csv", "run", "trend", "cambs", "officer-fte"],
    )));
    let col = rows[0].iter().position(|h| h == "period").unwrap();
    let periods: Vec<&str> = rows[1..].iter().map(|r| r[col].as_str()).collect();
    let expected: Vec<String> = (2007..=2023)
        .map(|y| format!("as at 31 March {y}"))
        .collect();
    assert_eq!(periods, expected);
}

#[test]
fn a_rate_without_its_population_says_why() {
    // 31 March 2011 pairs with mid-2010, which is only in the older (mid-2020) edition;
    // peel never divides by a population of another edition or further away.
    let (_dir, db) = seeded();
    let out = run(
        &db,
        &[
            "--format",
            "csv",
            "run",
            "compare",
            "officer-fte-per-1000",
            "as at 31 March 2011",
        ],
    );
    let rows = csv_rows(&stdout_ok(&out));
    assert_eq!(rows.len(), 1, "only the header: {rows:?}");
    let err = stderr(&out);
    assert!(
        err.contains("officer-fte-per-1000 has no figure for as at 31 March 2011: the rate divides by the mid-2010 population estimate, which the database does not hold"),
        "{err}"
    );
}

#[test]
fn a_caveat_travels_with_the_national_value() {
    // The recorded crime series excludes British Transport Police (its note).
    let (_dir, db) = seeded();
    let rows = sql_rows(
        &db,
        "SELECT national_note FROM v_metric_values WHERE metric_code = 'recorded-crime'
         AND area_code = 'E23000023' AND period_label = '2017/18'",
    );
    assert!(rows[0][0].contains("BTP excluded"), "{rows:?}");
}

#[test]
fn a_series_file_imports_and_a_conflicting_value_is_refused_naming_the_line() {
    let (dir, db) = seeded();
    let head =
        "area_code,area_name,metric,period_start,period_end,value,unit,source_url,trust,note\n";
    let new = dir.path().join("new.csv");
    std::fs::write(
        &new,
        format!(
            "# source: a test\n{head}\
             E23000023,Cambridgeshire,officer-fte,2030-03-31,2030-03-31,2000.5,FTE,https://example.org/w,high,made up for a test\n"
        ),
    )
    .unwrap();
    let out = run(&db, &["import", "csv", new.to_str().unwrap()]);
    stdout_ok(&out);
    assert!(
        stderr(&out).contains("(series layout): 1 row, 1 new value"),
        "{}",
        stderr(&out)
    );
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        format!(
            "{head}E23000023,Cambridgeshire,officer-fte,2023-03-31,2023-03-31,1730.53,FTE,https://example.org/w,high,\n"
        ),
    )
    .unwrap();
    let before = sha256(&db);
    let out = run(&db, &["import", "csv", bad.to_str().unwrap()]);
    assert_fails(
        &out,
        1,
        "bad.csv line 2, column value: E23000023 officer-fte for as at 31 March 2023 is 1730.53 here but 1730.52 is already held",
    );
    assert_untouched(&db, &before, "conflicting series");
}

#[test]
fn replacing_a_figure_derives_its_rate_again() {
    // Kent's officer FTE at 31 March 2015 is 3,188.39 (workforce file); its rate divides
    // by Kent's mid-2014 population, 1,780,164 (population file). Replaced with 3,200 in
    // the long layout, the rate is 3,200 x 1,000 / 1,780,164 = 1.7976.
    let (dir, db) = seeded();
    let file = dir.path().join("kent.csv");
    std::fs::write(
        &file,
        "area,period,metric,value\nKent,2015-03-31,officer-fte,3200\n",
    )
    .unwrap();
    stdout_ok(&run(
        &db,
        &["import", "csv", "--replace", file.to_str().unwrap()],
    ));
    assert_eq!(
        sql_rows(
            &db,
            "SELECT value, numerator, denominator FROM v_metric_values
             WHERE metric_code = 'officer-fte-per-1000' AND area_code = 'E23000032'
               AND period_label = 'as at 31 March 2015'"
        ),
        [["1.7976", "3200", "1780164"]]
    );
    let out = run(&db, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn trend_of_a_rate_says_why_it_starts_later_than_its_figure() {
    // officer-fte runs from 31 March 2007; its rate needs mid-2006 onwards in the one
    // population series, which starts at mid-2011: the first rate is 31 March 2012.
    let (_dir, db) = seeded();
    let out = run(
        &db,
        &[
            "--format",
            "csv",
            "run",
            "trend",
            "cambs",
            "officer-fte-per-1000",
        ],
    );
    let rows = csv_rows(&stdout_ok(&out));
    assert_eq!(rows.len(), 13, "12 rates, 2012 to 2023: {rows:?}");
    assert!(
        stderr(&out).contains(
            "officer-fte-per-1000 runs 2012-03-31 to 2023-03-31, while officer-fte runs 2007-03-31 to 2023-03-31"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_total_short_of_a_force_gets_no_rate() {
    // ho_arrests_pfa_fy2007_fy2018.csv: Lancashire sent no 2017/18 return, so England and
    // Wales's 698,737 arrests are 42 forces'; divided by all 43 forces' residents it would
    // understate the rate every force is compared with. There is no such rate, and compare
    // says nothing is compared with England and Wales.
    let (_dir, db) = seeded();
    assert_eq!(
        sql_rows(
            &db,
            "SELECT count(*) FROM v_metric_values WHERE metric_code = 'arrests-per-1000'
             AND period_label = '2017/18' AND area_code IN ('K04000001', 'E92000001', 'E12000002')"
        ),
        [["0"]]
    );
    let out = run(
        &db,
        &[
            "--format",
            "csv",
            "run",
            "compare",
            "arrests-per-1000",
            "2017/18",
        ],
    );
    stdout_ok(&out);
    assert!(
        stderr(&out).contains("not in the database: Lancashire; no England and Wales value for this period, so nothing is compared with it"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_city_of_london_profile_says_its_rates_are_not_ranked() {
    let (_dir, db) = seeded();
    let out = run(&db, &["--format", "json", "run", "force", "colp"]);
    stdout_ok(&out);
    assert!(
        stderr(&out).contains("City of London is not ranked on per-head rates"),
        "{}",
        stderr(&out)
    );
}
