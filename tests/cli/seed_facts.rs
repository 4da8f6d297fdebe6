//! Facts from the seed read back through the analyst views. Every expected value here was
//! copied by hand from the research files in seed/original/ (file and row named).

use crate::util::*;

fn query(sql: &str) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let rows = csv_rows(&stdout_ok(&run(&db, &["--format", "csv", "sql", sql])));
    rows.into_iter().skip(1).collect()
}

fn one(sql: &str) -> Vec<String> {
    let rows = query(sql);
    assert_eq!(rows.len(), 1, "{sql}: {rows:?}");
    rows.into_iter().next().unwrap()
}

#[test]
fn all_43_forces_have_a_2016_effectiveness_grade() {
    // peel_2016_effectiveness_all43.csv: one row per force (P16_EFFE in
    // grades_project_files.csv; the audited peel_grades_2014_2025.csv agrees where it has
    // the same force).
    let row = one("SELECT count(*), count(DISTINCT area_code) FROM v_judgments
         WHERE year = 2016 AND pillar = 'effectiveness' AND level = 'pillar'");
    assert_eq!(row, ["43", "43"]);
}

#[test]
fn durham_outstanding_and_bedfordshire_inadequate_in_2016() {
    // peel_2016_effectiveness_all43.csv rows "Durham,...,Outstanding" and
    // "Bedfordshire,...,Inadequate"; also peel_pillar_judgments_2015_2018.csv.
    let rows = query(
        "SELECT area_name, grade, grade_rank, scale FROM v_judgments
         WHERE year = 2016 AND pillar = 'effectiveness' AND question_code = 'P16_EFFE'
           AND area_code IN ('E23000008', 'E23000026') ORDER BY area_name",
    );
    assert_eq!(
        rows,
        [
            ["Bedfordshire", "Inadequate", "1", "peel-4"],
            ["Durham", "Outstanding", "4", "peel-4"]
        ]
    );
}

#[test]
fn cambridgeshire_2015_effectiveness_requires_improvement_in_report_and_force_page() {
    // peel_pillar_judgments_2015_2018.csv line 3 gives the grade from the force page; the
    // imported report (seed/reports/peel-effectiveness-2015-cambridgeshire.txt line 48,
    // "Requires improvement") states the same grade and becomes the primary source, and
    // the force page is kept as a further source.
    let row = one(
        "SELECT grade, cycle, question_code, source, other_sources, trust FROM v_judgments
         WHERE area_code = 'E23000023' AND year = 2015 AND pillar = 'effectiveness'
           AND level = 'pillar'",
    );
    assert_eq!(
        row,
        [
            "Requires improvement",
            "2015",
            "P15_EFFE",
            "report: PEEL: Police effectiveness 2015 (Cambridgeshire), line 48",
            "http://www.justiceinspectorates.gov.uk/hmic/peel-assessments/peel-2015/cambridgeshire/",
            "high"
        ]
    );
}

#[test]
fn cambridgeshire_mid_2018_population_and_households() {
    // ons_pfa_population_mye2018.csv: "E23000023,Cambridgeshire,852500,339200" and
    // "K04000001,ENGLAND AND WALES,59115800,24403600", now metric population-mye2018 (the
    // rounded MYE2018 edition, seed/metric_values.csv) beside households. The population
    // series of another edition (seed/metrics/ons_pfa_population_2011_2023.csv, Census-2021
    // consistent) holds its own mid-2018 figures: "E23000023,Cambridgeshire,population,
    // 2018-06-30,2018-06-30,876713" and "K04000001,England and Wales,population,2018-06-30,
    // 2018-06-30,59008368". The two editions stay separate metrics.
    let rows = query(
        "SELECT metric_code, value, national_value, period_label, period_end FROM v_metric_values
         WHERE area_code = 'E23000023'
           AND metric_code IN ('population', 'population-mye2018', 'households')
           AND period_end = '2018-06-30'
         ORDER BY metric_code",
    );
    assert_eq!(
        rows,
        [
            [
                "households",
                "339200",
                "24403600",
                "as at 30 June 2018",
                "2018-06-30"
            ],
            [
                "population",
                "876713",
                "59008368",
                "as at 30 June 2018",
                "2018-06-30"
            ],
            [
                "population-mye2018",
                "852500",
                "59115800",
                "as at 30 June 2018",
                "2018-06-30"
            ]
        ]
    );
}

#[test]
fn officer_fte_keeps_two_decimals_of_the_home_office_figure() {
    // ho_police_officer_fte_2014_2015.csv: "Cambridgeshire,1354.36,1361.95,1358.1599999999996"
    // and "Total 43 forces,127077.36000000002,126818.09,125184.76". The seed now holds the
    // 30 September figures as officer-fte-sep from the latest edition of each date
    // (seed/metrics/ho_police_workforce_sep2014_sep2019.csv: Cambridgeshire 1354.36 and
    // 1358.16, England and Wales 127077.36 and, from the September 2016 edition, 125573.55)
    // and 31 March as officer-fte from the July 2023 open data table
    // (seed/metrics/ho_police_workforce_mar2007_mar2023.csv: Cambridgeshire 1361.95,
    // England and Wales 127192.46).
    let rows = query(
        "SELECT metric_code, period_end, value, national_value FROM v_metric_values
         WHERE area_code = 'E23000023' AND metric_code IN ('officer-fte', 'officer-fte-sep')
           AND period_end BETWEEN '2014-09-30' AND '2015-09-30'
         ORDER BY period_end",
    );
    assert_eq!(
        rows,
        [
            ["officer-fte-sep", "2014-09-30", "1354.36", "127077.36"],
            ["officer-fte", "2015-03-31", "1361.95", "127192.46"],
            ["officer-fte-sep", "2015-09-30", "1358.16", "125573.55"]
        ]
    );
}

#[test]
fn derived_legitimacy_rows_stay_marked_and_not_graded_has_no_rank() {
    // peel_2017_legitimacy_all43.csv: Humberside "Good,yes" and Norfolk "Good,yes"
    // (derived), Kent "Outstanding,no", Greater Manchester "Not graded,no". Humberside's
    // Good is stated nowhere else, so it stays derived with trust low. Norfolk's Good is
    // also stated by its force page (peel_grades_2014_2025.csv, P17_LEGI, trust high), and
    // Cambridgeshire's by its force page (peel_pillar_judgments_2015_2018.csv): a stated
    // grade is preferred, so neither is derived.
    let rows = query(
        "SELECT area_name, grade, ifnull(grade_rank, 'none'), derived, trust FROM v_judgments
         WHERE year = 2017 AND pillar = 'legitimacy' AND level = 'pillar'
           AND area_code IN ('E23000024', 'E23000032', 'E23000005', 'E23000023', 'E23000012')
         ORDER BY area_name",
    );
    assert_eq!(
        rows,
        [
            ["Cambridgeshire", "Good", "3", "0", "high"],
            ["Greater Manchester", "Not graded", "none", "0", "high"],
            ["Humberside", "Good", "3", "1", "low"],
            ["Kent", "Outstanding", "4", "0", "high"],
            ["Norfolk", "Good", "3", "0", "high"]
        ]
    );
}

#[test]
fn judgments_agree_with_the_published_national_counts_for_2016() {
    // peel_national_grade_counts.csv: "2016,Effectiveness,1,28,,13,1" (O, G, RI, I).
    let rows = query(
        "SELECT grade, count(*) FROM v_judgments
         WHERE year = 2016 AND pillar = 'effectiveness' AND level = 'pillar'
         GROUP BY grade ORDER BY grade_rank DESC",
    );
    assert_eq!(
        rows,
        [
            ["Outstanding", "1"],
            ["Good", "28"],
            ["Requires improvement", "13"],
            ["Inadequate", "1"]
        ]
    );
    let stored = query(
        "SELECT g.name, gc.count FROM grade_counts gc JOIN grades g USING (grade_id)
         JOIN cycles c USING (cycle_id) WHERE c.year = 2016 AND gc.pillar = 'effectiveness'
         ORDER BY g.rank DESC",
    );
    assert_eq!(stored, rows);
}

#[test]
fn five_grade_scale_areas_from_2023_have_no_pillar() {
    // peel_question_and_area_judgments.csv: "Cleveland,E23000013,2023-25,Responding to the public,Adequate";
    // peel_grades_2014_2025.csv gives the same grade for Cleveland's A23_RESP.
    let row = one(
        "SELECT cycle, level, ifnull(pillar, 'none'), grade, grade_rank, scale FROM v_judgments
         WHERE area_code = 'E23000013' AND year = 2023 AND question_code = 'A23_RESP'",
    );
    assert_eq!(row, ["2023-25", "area", "none", "Adequate", "3", "peel-5"]);
}
