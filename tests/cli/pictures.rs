//! Pictures from the real binary: `-F svg` to stdout, `-o FILE.png`, the shell's `.mode
//! svg` with `.output`, and the one-line errors (a result no picture fits: exit 1; a
//! query with several results without --result: exit 2).

use crate::util::*;

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The width and height a PNG's header gives.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(PNG_SIGNATURE), "not a PNG");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn a_grade_grid_goes_to_stdout_as_svg() {
    let (_dir, db) = seeded();
    let out = run(&db, &["-F", "svg", "run", "grades", "2017"]);
    let svg = stdout_ok(&out);
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{}",
        &svg[..80]
    );
    assert!(svg.contains("<title id=\"title\">Grades: 2017</title>"));
    assert!(svg.contains(">peel run grades 2017</text>"));
    // The coverage notes are in the picture as well as on stderr.
    assert!(svg.contains(
        "2017 effectiveness: 41 of 43 forces graded; not in the database: Derbyshire, Norfolk"
    ));
    assert!(stderr(&out).contains("peel: note: 2017 effectiveness: 41 of 43 forces graded"));
    assert!(svg.contains("273 of 559 cells: no grade in the database"));
    assert!(svg.trim_end().ends_with("</svg>"));
}

#[test]
fn ranked_bars_go_to_a_png_file_named_by_o() {
    let (dir, db) = seeded();
    let png = dir.path().join("bars.png");
    let out = run(
        &db,
        &[
            "run",
            "compare",
            "officer-fte",
            "2015",
            "-o",
            png.to_str().unwrap(),
        ],
    );
    assert!(stdout_ok(&out).is_empty(), "nothing on stdout");
    let bytes = std::fs::read(&png).unwrap();
    // 760 CSS pixels drawn at 1.5 times; 43 bars make it taller than wide.
    let (w, h) = png_size(&bytes);
    assert_eq!(w, 1140);
    assert!(h > w, "{w} x {h}");
    // Nothing is left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "peel.db")
        .collect();
    assert_eq!(names, ["bars.png"]);
}

#[test]
fn a_trend_is_drawn_with_england_and_wales_beside_the_force() {
    let (_dir, db) = seeded();
    let svg = stdout_ok(&run(
        &db,
        &["-F", "svg", "run", "trend", "cambs", "officer-fte"],
    ));
    assert!(svg.contains(">Police officers (FTE), fte</text>"));
    assert!(svg.contains(">Cambridgeshire</text>"));
    assert!(svg.contains(">England and Wales</text>"));
    // Periods as people write them; the first and last of the series.
    assert!(svg.contains(">Mar 2007</text>") && svg.contains(">Mar 2023</text>"));
    assert_eq!(svg.matches("<path d=").count(), 2);
}

#[test]
fn the_extension_picks_the_format_and_a_failed_command_leaves_no_file() {
    let (dir, db) = seeded();
    let svg = dir.path().join("peers.svg");
    stdout_ok(&run(
        &db,
        &[
            "run",
            "peers",
            "cambs",
            "officer-fte",
            "-o",
            svg.to_str().unwrap(),
        ],
    ));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("Cambridgeshire (chosen)"));

    // A result no picture fits: one line, exit 1, and the earlier file as it was.
    let out = run(
        &db,
        &[
            "sql",
            "SELECT name FROM sqlite_schema LIMIT 2",
            "-o",
            svg.to_str().unwrap(),
        ],
    );
    assert_fails(
        &out,
        1,
        // `peel sql` names the line of its script, as for any error in it.
        "peel: error: line 1: svg: no picture fits this result (no numeric column); pictures draw grades as a grid",
    );
    assert_eq!(std::fs::read_to_string(&svg).unwrap(), text);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "only peel.db and peers.svg"
    );
}

#[test]
fn a_query_with_two_results_needs_one_chosen_for_a_picture() {
    let (_dir, db) = seeded();
    let out = run(&db, &["-F", "svg", "run", "force", "cambs"]);
    assert_fails(
        &out,
        2,
        "force gives 2 results (grades, figures) and svg holds one",
    );
    let svg = stdout_ok(&run(
        &db,
        &["-F", "svg", "run", "force", "cambs", "--result", "grades"],
    ));
    assert!(
        svg.contains(">2023-25</text>"),
        "a grid headed by the latest cycle"
    );
}

#[test]
fn sql_whose_columns_hold_grades_or_a_measure_makes_a_picture() {
    let (_dir, db) = seeded();
    let svg = stdout_ok(&run(
        &db,
        &[
            "-F",
            "svg",
            "sql",
            "SELECT area_name, grade FROM v_judgments WHERE year = 2016 AND question_code = 'P16_EFFE' ORDER BY area_name",
        ],
    ));
    assert!(
        svg.contains("Grade grid: 43 rows by 1 columns (grade)"),
        "a grid of SQL"
    );
    assert!(svg.contains("from the database built "));
    let svg = stdout_ok(&run(
        &db,
        &[
            "-F",
            "svg",
            "sql",
            "SELECT short_name AS area_name, 3 AS value FROM areas WHERE kind = 'region' LIMIT 3",
        ],
    ));
    assert!(svg.contains("Bar chart of value for 3 areas"));
}

#[test]
fn the_shell_writes_a_picture_to_its_output_file() {
    let (dir, db) = seeded();
    let script = ".mode svg\n.output grid.svg\n.run grades 2016 effectiveness\n.output\n.mode csv\nSELECT 1 AS done;\n";
    let out = with_stdin(dir.path(), &db, &[], script);
    assert_eq!(stdout_ok(&out), "done\n1\n");
    let svg = std::fs::read_to_string(dir.path().join("grid.svg")).unwrap();
    assert!(
        svg.contains("<title id=\"title\">Grades: 2016, effectiveness</title>"),
        "{}",
        &svg[..400]
    );
    assert!(svg.contains(">peel run grades 2016 effectiveness</text>"));
}
