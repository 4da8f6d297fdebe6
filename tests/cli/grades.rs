//! The whole grade record and answers that say what they cover (issue 11). Every expected
//! value is copied by hand from seed/original/GRADES.md, the audited grade files, or the
//! national counts they reproduce; the file and row are named beside each.

use crate::util::*;

#[test]
fn held_grades_reproduce_every_complete_published_count_of_2015_to_2017() {
    // GRADES.md, "Consistency checks": 2015 effectiveness O1 G24 RI18, 2015 efficiency
    // O5 G29 RI8 I1, 2016 effectiveness O1 G28 RI13 I1, 2016 legitimacy O2 G36 RI5, 2017
    // efficiency O2 G30 RI10 + 1 not graded, 2017 legitimacy O1 G35 RI6 + 1 not graded.
    let (_dir, db) = seeded();
    let cases: &[(&str, &str)] = &[
        (
            "2015",
            "2015 effectiveness: held grades of 43 of 43 forces; held = published (Outstanding 1, Good 24, Requires improvement 18, Inadequate 0)",
        ),
        (
            "2015",
            "2015 efficiency: held grades of 43 of 43 forces; held = published (Outstanding 5, Good 29, Requires improvement 8, Inadequate 1)",
        ),
        (
            "2016",
            "2016 effectiveness: held grades of 43 of 43 forces; held = published (Outstanding 1, Good 28, Requires improvement 13, Inadequate 1)",
        ),
        (
            "2016",
            "2016 legitimacy: held grades of 43 of 43 forces; held = published (Outstanding 2, Good 36, Requires improvement 5, Inadequate 0)",
        ),
        (
            "2017",
            "2017 efficiency: held grades of 43 of 43 forces; held = published (Outstanding 2, Good 30, Requires improvement 10, Inadequate 0, Not graded 1)",
        ),
        (
            "2017",
            "2017 legitimacy: held grades of 43 of 43 forces; held = published (Outstanding 1, Good 35, Requires improvement 6, Inadequate 0, Not graded 1)",
        ),
    ];
    for (year, note) in cases {
        let out = run(&db, &["--format", "csv", "run", "grade-counts", year]);
        let err = stderr(&out);
        stdout_ok(&out);
        assert!(
            err.contains(&format!("peel: note: {note}\n")),
            "{year}: {err}"
        );
        assert!(!err.contains("differs"), "{year}: {err}");
    }
    // 2017 effectiveness: HMICFRS published only "one outstanding force".
    let err = stderr(&run(
        &db,
        &["--format", "csv", "run", "grade-counts", "2017"],
    ));
    assert!(
        err.contains("2017 effectiveness: held grades of 41 of 43 forces; HMICFRS published only part of the count (Outstanding 1)"),
        "{err}"
    );
    // Each complete count's rows say "same", grade by grade.
    let rows = csv_rows(&stdout_ok(&run(
        &db,
        &["--format", "csv", "run", "grade-counts", "2015"],
    )));
    let effe: Vec<Vec<&str>> = rows
        .iter()
        .filter(|r| r[2] == "P15_EFFE")
        .map(|r| vec![r[3].as_str(), r[5].as_str(), r[7].as_str(), r[8].as_str()])
        .collect();
    assert_eq!(
        effe,
        [
            ["Outstanding", "1", "1", "same"],
            ["Good", "24", "24", "same"],
            ["Requires improvement", "18", "18", "same"],
            ["Inadequate", "0", "0", "same"],
        ]
    );
}

#[test]
fn derived_and_stated_grades_keep_their_flags() {
    let (_dir, db) = seeded();
    // GRADES.md, derived rows: P-261 Humberside 2017 efficiency RI, derived by elimination
    // from the 2017 national release; low trust.
    assert_eq!(
        sql_rows(
            &db,
            "SELECT grade, derived, trust FROM v_judgments
             WHERE area_name = 'Humberside' AND question_code = 'P17_EFFI'"
        ),
        [["Requires improvement", "1", "low"]]
    );
    // GRADES.md, upgraded by the audit: P-53 Cleveland 2015 effectiveness, now stated on
    // the 2015 landing page (derived 1 -> 0, high).
    assert_eq!(
        sql_rows(
            &db,
            "SELECT grade, derived, trust FROM v_judgments
             WHERE area_name = 'Cleveland' AND question_code = 'P15_EFFE'"
        ),
        [["Requires improvement", "0", "high"]]
    );
    // The 13 derived rows of the audited file, plus the older 2017 legitimacy list's
    // forces it does not name ("all other forces were judged as good"): all low.
    assert_eq!(
        sql_rows(
            &db,
            "SELECT count(*) FROM v_judgments WHERE derived = 1 AND trust <> 'low'"
        ),
        [["0"]]
    );
}

#[test]
fn counts_published_for_a_force_are_held_as_published() {
    // GRADES.md, cleaning log: Lincolnshire 2023-25 (C-44) corrected to 8 areas, 4 RI and 4
    // inadequate, nothing adequate.
    let (_dir, db) = seeded();
    assert_eq!(
        sql_rows(
            &db,
            "SELECT grade, published, published_partial FROM v_grade_tally
             WHERE area_name = 'Lincolnshire' AND cycle = '2023-25' AND published IS NOT NULL
             ORDER BY grade_rank DESC"
        ),
        [["Requires improvement", "4", "0"], ["Inadequate", "4", "0"]]
    );
}

#[test]
fn grades_2018_names_the_forces_it_has_no_grade_for() {
    // peel_grades_2014_2025.csv has no 2018/19 pillar row for Humberside, and none for
    // Surrey's effectiveness or legitimacy (Surrey's P18_EFFI is there).
    let (_dir, db) = seeded();
    let out = run(&db, &["--format", "csv", "run", "grades", "2018"]);
    let err = stderr(&out);
    let rows = csv_rows(&stdout_ok(&out));
    assert!(
        err.contains("peel: note: 2018/19 effectiveness: 41 of 43 forces graded; not in the database: Humberside, Surrey\n"),
        "{err}"
    );
    assert!(
        err.contains("peel: note: 2018/19 efficiency: 42 of 43 forces graded; not in the database: Humberside\n"),
        "{err}"
    );
    // Humberside's row holds only its two 2018/19 efficiency question grades (Q18_F1 and
    // Q18_F2 Good, peel_grades_2014_2025.csv); its pillar cells are empty.
    let humberside = rows.iter().find(|r| r[1] == "Humberside").unwrap();
    assert_eq!(
        &humberside[2..],
        ["", "", "", "", "", "", "", "Good", "Good", "", "", ""]
    );
    assert_eq!(
        &rows[0][2..11],
        [
            "effectiveness",
            "efficiency",
            "legitimacy",
            "Q18_E1",
            "Q18_E2",
            "Q18_E3",
            "Q18_E4",
            "Q18_F1",
            "Q18_F2"
        ]
    );
}

#[test]
fn grade_changes_compares_only_forces_graded_in_both_years_and_says_how_many() {
    // 2015 effectiveness: all 43 forces; 2017 effectiveness: every force but Derbyshire and
    // Norfolk (peel_grades_2014_2025.csv and the older project files).
    let (_dir, db) = seeded();
    let out = run(
        &db,
        &[
            "--format",
            "csv",
            "run",
            "grade-changes",
            "2015",
            "2017",
            "effectiveness",
        ],
    );
    let err = stderr(&out);
    let rows = csv_rows(&stdout_ok(&out));
    let note = err
        .lines()
        .find(|l| l.starts_with("peel: note: effectiveness (P15_EFFE to P17_EFFE): "))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        note.contains("41 of 43 forces graded in both years are compared"),
        "{note}"
    );
    assert!(
        !rows
            .iter()
            .any(|r| r[1] == "Derbyshire" || r[1] == "Norfolk")
    );
    // Cleveland: 2015 RI (P-53), 2017 Good.
    assert!(
        rows.iter().any(|r| r[1] == "Cleveland"
            && r[5] == "Requires improvement"
            && r[8] == "Good"
            && r[9] == "up"),
        "{rows:?}"
    );
}

#[test]
fn force_shows_the_latest_cycle_whole_with_its_published_counts() {
    // Cambridgeshire 2023-25: nine areas were graded for some forces (A23_*); the grade
    // file states police powers Outstanding; HMICFRS's release gives 8 areas: 1 O, 2 G, 2 A,
    // 1 RI, 2 I (peel_area_grade_counts_2021_2025.csv).
    let (_dir, db) = seeded();
    let out = run(&db, &["--format", "json", "run", "force", "cambs"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout_ok(&out)).unwrap();
    let grades = doc["results"]["grades"].as_array().unwrap();
    let shown: Vec<(&str, &str)> = grades
        .iter()
        .map(|r| {
            (
                r["question_code"].as_str().unwrap(),
                r["grade"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            ("A23_PPT", "Outstanding"),
            ("A23_PREV", "not known"),
            ("A23_RESP", "not known"),
            ("A23_INV", "not known"),
            ("A23_VULN", "not known"),
            ("A23_OFF", "not known"),
            ("A23_WORK", "not known"),
            ("A23_LEAD", "not known"),
            ("A23_CDI", "not known"),
        ]
    );
    let notes: Vec<&str> = doc["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(
        notes.contains(&"HMICFRS published counts for Cambridgeshire 2023-25: Outstanding 1, Good 2, Adequate 2, Requires improvement 1, Inadequate 2 (8 areas); held here: Outstanding 1 (not the same: the database does not hold every graded area)"),
        "{notes:?}"
    );
    // The same notes go to stderr for people.
    assert!(stderr(&out).contains("1 of 9 graded areas held in the database"));
}

#[test]
fn improvements_say_why_they_are_empty() {
    let (_dir, db) = seeded();
    let out = run(&db, &["--format", "csv", "run", "improvements", "kent"]);
    let rows = csv_rows(&stdout_ok(&out));
    assert_eq!(rows.len(), 1, "only the header: {rows:?}");
    let err = stderr(&out);
    assert!(
        err.contains("areas for improvement are held only for imported reports (1 imported: PEEL: Police effectiveness 2015, Cambridgeshire)"),
        "{err}"
    );
    assert!(
        err.contains("no report about Kent has been imported"),
        "{err}"
    );
}

const NEW_CYCLE: &str = "force,cycle,item,grade,source_url,level,wording,same_as,trust\n\
cambs,2025-27,A25_INV,Good,https://example.org/peel-2025-27/cambridgeshire,area,Investigating crime,A23_INV,high\n\
Cambridgeshire Constabulary,2025-27,A25_RESP,Adequate,https://example.org/peel-2025-27/cambridgeshire,area,Responding to the public,A23_RESP,high\n\
E23000032,2025-27,A25_INV,Requires improvement,https://example.org/peel-2025-27/kent,area,Investigating crime,A23_INV,high\n";

#[test]
fn a_new_cycle_imports_with_create_items_and_follows_its_series() {
    let (dir, db) = seeded();
    let file = dir.path().join("peel-2025-27.csv");
    std::fs::write(&file, NEW_CYCLE).unwrap();
    let before = sha256(&db);
    // Without --create-items the cycle is unknown: one line naming the line and column.
    let out = run(&db, &["import", "grades", file.to_str().unwrap()]);
    assert_fails(
        &out,
        1,
        "line 2, column cycle: cycle \"2025-27\" is not known",
    );
    assert_untouched(&db, &before, "refused import");

    let out = run(
        &db,
        &["import", "grades", "--create-items", file.to_str().unwrap()],
    );
    stdout_ok(&out);
    let err = stderr(&out);
    assert!(
        err.contains("3 rows): 3 new grades, 0 already held from another source (source added), 0 already held; 0 derived, 0 carried over; new cycles 2025-27; 2 new items: A25_INV, A25_RESP"),
        "{err}"
    );
    // Cambridgeshire's investigating: 2021/22 RI (A21_INV; no A23_INV is held), now Good.
    let rows = csv_rows(&stdout_ok(&run(
        &db,
        &["--format", "csv", "run", "history", "cambs"],
    )));
    let inv = rows
        .iter()
        .find(|r| r[2] == "A25_INV")
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(
        &inv[3..8],
        ["2025-27", "Good", "2021/22", "Requires improvement", "up"]
    );
    // grade-changes follows the series from 2021/22 to 2025-27.
    let rows = csv_rows(&stdout_ok(&run(
        &db,
        &[
            "--format",
            "csv",
            "run",
            "grade-changes",
            "2021/22",
            "2025-27",
        ],
    )));
    assert!(
        rows.iter().any(|r| r[1] == "Cambridgeshire"
            && r[3] == "A21_INV"
            && r[6] == "A25_INV"
            && r[9] == "up"),
        "{rows:?}"
    );
}

#[test]
fn a_conflicting_grade_is_refused_naming_the_line_and_the_file_is_unchanged() {
    let (dir, db) = seeded();
    let file = dir.path().join("first.csv");
    std::fs::write(&file, NEW_CYCLE).unwrap();
    stdout_ok(&run(
        &db,
        &["import", "grades", "--create-items", file.to_str().unwrap()],
    ));
    let again = dir.path().join("again.csv");
    std::fs::write(
        &again,
        "force,cycle,item,grade,source_url\n\
         kent,2025-27,A25_INV,Requires improvement,https://example.org/another-page\n\
         cambs,2025-27,A25_INV,Outstanding,https://example.org/another-page\n",
    )
    .unwrap();
    let before = sha256(&db);
    let out = run(&db, &["import", "grades", again.to_str().unwrap()]);
    assert_fails(
        &out,
        1,
        "again.csv line 3, column grade: cambs A25_INV is \"Outstanding\" here, but Good is already held (from https://example.org/peel-2025-27/cambridgeshire); use --replace to replace it",
    );
    assert_untouched(&db, &before, "conflicting import");
    // The same grade from another source is kept beside the first.
    let same = dir.path().join("same.csv");
    std::fs::write(
        &same,
        "force,cycle,item,grade,source_url\nkent,2025-27,A25_INV,RI,https://example.org/another-page\n",
    )
    .unwrap();
    stdout_ok(&run(&db, &["import", "grades", same.to_str().unwrap()]));
    assert_eq!(
        sql_rows(
            &db,
            "SELECT grade, source, other_sources FROM v_judgments
             WHERE area_name = 'Kent' AND question_code = 'A25_INV'"
        ),
        [[
            "Requires improvement",
            "https://example.org/peel-2025-27/kent",
            "https://example.org/another-page"
        ]]
    );
}

#[test]
fn bad_grade_files_fail_with_one_line_and_change_nothing() {
    let (dir, db) = seeded();
    let before = sha256(&db);
    let cases: &[(&str, &str)] = &[
        (
            "force,cycle,item,grade,source_url\nkent,2017,P17_EFFE,Adequate,https://example.org/k\n",
            "line 2, column grade: \"Adequate\" is not a grade of 2017",
        ),
        (
            "force,cycle,item,grade,source_url\nkent,2017,A23_LEAD,Good,https://example.org/k\n",
            "line 2, column item: item A23_LEAD does not belong to cycle 2017",
        ),
        (
            "force,cycle,item,grade,source_url\nkent,2017,P17_EFFE,Good,seed/original/x.csv\n",
            "line 2, column source_url: \"seed/original/x.csv\" is not a web address",
        ),
        (
            "force,cycle,item,grade,source_url\nshire,2017,P17_EFFE,Good,https://example.org/k\n",
            "line 2, column force: force \"shire\" fits",
        ),
        (
            "force,cycle,item,grade,source_url,derived,trust\nkent,2017,P17_EFFE,Good,https://example.org/k,1,high\n",
            "line 2, column trust: a derived grade has trust low, not high",
        ),
        (
            "force,cycle,item,grade,source_url\nkent,2014,P14_LEGI,Good,https://example.org/k\n",
            "line 2, column item: item P14_LEGI was not graded in 2014",
        ),
        (
            "force,cycle,item,grade\nkent,2017,P17_EFFE,Good\n",
            "line 1: missing column(s) source_url",
        ),
    ];
    for (i, (text, needle)) in cases.iter().enumerate() {
        let file = dir.path().join(format!("bad{i}.csv"));
        std::fs::write(&file, text).unwrap();
        let out = run(&db, &["import", "grades", file.to_str().unwrap()]);
        assert_fails(&out, 1, needle);
        assert_untouched(&db, &before, needle);
    }
}

#[test]
fn a_dry_run_checks_everything_and_stores_nothing() {
    let (dir, db) = seeded();
    let file = dir.path().join("new.csv");
    std::fs::write(&file, NEW_CYCLE).unwrap();
    let before = sha256(&db);
    let out = run(
        &db,
        &[
            "import",
            "grades",
            "--dry-run",
            "--create-items",
            file.to_str().unwrap(),
        ],
    );
    stdout_ok(&out);
    let err = stderr(&out);
    assert!(
        err.lines().any(|l| l.starts_with("peel: would import ")),
        "{err}"
    );
    assert_untouched(&db, &before, "dry run");
}
