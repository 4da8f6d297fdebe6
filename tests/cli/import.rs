//! `peel import report`: the seed report's facts in the views (expected values copied by
//! hand from seed/reports/peel-effectiveness-2015-cambridgeshire.txt, line numbers from
//! that file), dry runs, duplicates and bad files.

use crate::util::*;

const SEED_REPORT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/seed/reports/peel-effectiveness-2015-cambridgeshire.txt"
);

fn query(db: &std::path::Path, sql: &str) -> Vec<Vec<String>> {
    csv_rows(&stdout_ok(&run(db, &["--format", "csv", "sql", sql])))
        .into_iter()
        .skip(1)
        .collect()
}

#[test]
fn the_default_database_holds_the_seed_reports_judgments() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    // 2015: the overall grade (line 48) and the four question grades (lines 74, 84, 104,
    // 116) are the report's own. 2014: the report cites the 2014 crime inspection's Good for
    // prevention (line 76) and investigation (line 86). The 2014 force page
    // (peel_grades_2014_2025.csv, Q14_E1 and Q14_E3, trust high) states its own grades, so it
    // stays the source of Q14_E1, with the report as a further source; for Q14_E2 the only
    // other source is a page of trust medium (peel_grades_confirmed_additions.csv), so the
    // report (trust high) is the source and the grade is marked cited.
    let rows = query(
        &db,
        "SELECT year, question_code, grade, cited, ifnull(source_line, '') FROM v_judgments
         WHERE area_code = 'E23000023' AND pillar = 'effectiveness' AND year IN (2014, 2015)
         ORDER BY year, question_code",
    );
    assert_eq!(
        rows,
        [
            ["2014", "Q14_E1", "Good", "0", ""],
            ["2014", "Q14_E2", "Good", "1", "86"],
            ["2014", "Q14_E3", "Good", "0", ""],
            ["2015", "P15_EFFE", "Requires improvement", "0", "48"],
            ["2015", "Q15_E1", "Good", "0", "74"],
            ["2015", "Q15_E2", "Requires improvement", "0", "84"],
            ["2015", "Q15_E3", "Requires improvement", "0", "104"],
            ["2015", "Q15_E4", "Good", "0", "116"]
        ]
    );
    let cited = query(
        &db,
        "SELECT s.location, r.title, js.trust FROM judgments j
         JOIN areas a ON a.area_id = j.area_id JOIN questions q ON q.question_id = j.question_id
         JOIN sources s ON s.source_id = j.source_id
         JOIN judgment_sources js ON js.judgment_id = j.judgment_id
         JOIN reports r ON r.source_id = js.source_id
         WHERE a.code = 'E23000023' AND q.code = 'Q14_E1'",
    );
    assert_eq!(
        cited,
        [[
            "http://www.justiceinspectorates.gov.uk/hmic/cambridgeshire/",
            "PEEL: Police effectiveness 2015",
            "high"
        ]]
    );
    // The overall grade is printed on line 48, and the report is now its source; the force
    // page that also states it (peel_pillar_judgments_2015_2018.csv line 3) is kept as a
    // further source.
    let row = &query(
        &db,
        "SELECT source, source_line, other_sources FROM v_judgments
         WHERE area_code = 'E23000023' AND year = 2015 AND pillar = 'effectiveness'
           AND level = 'pillar'",
    )[0];
    assert_eq!(
        row[0],
        "report: PEEL: Police effectiveness 2015 (Cambridgeshire), line 48"
    );
    assert_eq!(row[1], "48");
    assert_eq!(
        row[2],
        "http://www.justiceinspectorates.gov.uk/hmic/peel-assessments/peel-2015/cambridgeshire/"
    );
}

#[test]
fn the_default_database_holds_the_seed_reports_figures_beside_england_and_wales() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let rows = query(
        &db,
        "SELECT metric_code, period_label, value, national_value, unit FROM v_metric_values
         WHERE area_code = 'E23000023' AND metric_code IN
           ('asb-per-1000', 'domestic-abuse-share', 'ocg-per-million', 'victim-satisfaction',
            'burglary-dwelling-per-1000-households', 'outcomes-charged-summoned',
            'outcomes-charged-summoned-rate', 'asb-incidents', 'ocg-count')
         ORDER BY metric_code, period_end",
    );
    let expected = [
        [
            "asb-incidents",
            "12 months to 30 June 2015",
            "23737",
            "",
            "count",
        ],
        [
            "asb-per-1000",
            "12 months to 30 June 2014",
            "32.3",
            "36.2",
            "per 1,000 population",
        ],
        [
            "asb-per-1000",
            "12 months to 30 June 2015",
            "28.6",
            "32.9",
            "per 1,000 population",
        ],
        [
            "burglary-dwelling-per-1000-households",
            "12 months to 30 June 2015",
            "6.9",
            "8.4",
            "per 1,000 households",
        ],
        [
            "domestic-abuse-share",
            "12 months to 31 March 2014",
            "7.8",
            "8.5",
            "percent",
        ],
        [
            "domestic-abuse-share",
            "12 months to 31 March 2015",
            "9.1",
            // NUMERIC affinity stores the printed 10.0 as the integer 10.
            "10",
            "percent",
        ],
        ["ocg-count", "as at 30 June 2015", "47", "", "count"],
        [
            "ocg-per-million",
            "as at 30 June 2015",
            "56.6",
            "74.7",
            "per million population",
        ],
        [
            "outcomes-charged-summoned",
            "12 months to 30 June 2015",
            "6409",
            "577678",
            "count",
        ],
        [
            "outcomes-charged-summoned-rate",
            "12 months to 30 June 2015",
            "13.7",
            "16",
            "percent",
        ],
        [
            "victim-satisfaction",
            "12 months to 31 March 2015",
            "86.5",
            "83.8",
            "percent",
        ],
    ];
    assert_eq!(rows, expected);
    let lines = query(
        &db,
        "SELECT metric_code, source_line FROM v_metric_values
         WHERE area_code = 'E23000023' AND metric_code IN
           ('burglary-dwelling-per-1000-households', 'outcomes-charged-summoned')
         ORDER BY metric_code",
    );
    assert_eq!(
        lines,
        [
            ["burglary-dwelling-per-1000-households", "308"],
            ["outcomes-charged-summoned", "423"]
        ]
    );
}

#[test]
fn the_default_database_holds_the_seed_reports_areas_for_improvement() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let rows = query(
        &db,
        "SELECT question_code, ordinal, source_line, substr(text, 1, 60) FROM v_improvements
         WHERE area_code = 'E23000023' ORDER BY source_line",
    );
    assert_eq!(
        rows,
        [
            [
                "Q15_E1",
                "1",
                "404",
                "The constabulary should use evidence of 'what works' drawn f"
            ],
            [
                "Q15_E2",
                "1",
                "544",
                "The constabulary should ensure that there is regular and act"
            ],
            [
                "Q15_E2",
                "2",
                "545",
                "The constabulary should improve its ability to retrieve digi"
            ],
            [
                "Q15_E4",
                "1",
                "677",
                "The constabulary should improve the awareness of organised c"
            ]
        ]
    );
}

#[test]
fn importing_the_same_report_again_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let before = bytes(&db);
    let out = run(&db, &["import", "report", SEED_REPORT]);
    assert_fails(&out, 1, "already imported as report 1");
    assert_eq!(bytes(&db), before);
}

#[test]
fn replace_imports_again_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let count = "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM judgments),
                        (SELECT count(*) FROM metric_values), (SELECT count(*) FROM improvement_areas)";
    let before = query(&db, count);
    let out = run(&db, &["import", "report", "--replace", SEED_REPORT]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("replacing the earlier import"),
        "{}",
        stderr(&out)
    );
    assert_eq!(query(&db, count), before);
}

#[test]
fn dry_run_prints_the_facts_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let before = bytes(&db);
    let out = run(
        &db,
        &[
            "import",
            "report",
            "--dry-run",
            "--replace",
            "--format",
            "json",
            SEED_REPORT,
        ],
    );
    let facts: serde_json::Value = serde_json::from_str(&stdout_ok(&out)).unwrap();
    let facts = facts.as_array().unwrap();
    let overall = facts
        .iter()
        .find(|f| f["item"] == "2015 effectiveness overall")
        .unwrap();
    assert_eq!(overall["value"], "Requires improvement");
    assert_eq!(overall["line"], 48);
    assert!(stderr(&out).contains("would import"));
    assert_eq!(bytes(&db), before);
}

#[test]
fn a_file_that_is_not_a_report_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let before = bytes(&db);
    let recipe = dir.path().join("recipe.txt");
    std::fs::write(&recipe, "Victoria sponge\n\n200g butter\n200g sugar\n").unwrap();
    let out = run(&db, &["import", "report", recipe.to_str().unwrap()]);
    assert_fails(&out, 1, "recipe.txt: line ");
    assert_eq!(bytes(&db), before);

    let missing = dir.path().join("absent.txt");
    let out = run(&db, &["import", "report", missing.to_str().unwrap()]);
    assert_fails(&out, 2, "absent.txt: no such file");
}

#[test]
fn a_report_cut_off_before_its_judgments_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let text = std::fs::read_to_string(SEED_REPORT).unwrap();
    let cut: String = text.lines().take(40).collect::<Vec<_>>().join("\n");
    let file = dir.path().join("cut.txt");
    std::fs::write(&file, cut).unwrap();
    let before = bytes(&db);
    let out = run(
        &db,
        &["import", "report", "--replace", file.to_str().unwrap()],
    );
    assert_fails(&out, 1, "cut.txt: line ");
    assert_eq!(bytes(&db), before);
}
