//! One script, every way in: `peel sql -f`, `peel sql` with the script on stdin or as its
//! argument, and the shell's piped mode (`peel < f`, `peel shell < f`) give the same
//! stdout and the same stderr, because they all run through the shell's loop and present
//! through one console.

use crate::util::*;

/// Results of several statements, a write, dot-commands, a canned query as a JSON
/// document, footers (notes on stderr), then an error that stops the script.
const SCRIPT: &str = "\
-- 2016 effectiveness: the one Outstanding and the one Inadequate force
.footer on
SELECT area_name, grade FROM v_judgments
 WHERE question_code = 'P16_EFFE' AND grade IN ('Outstanding', 'Inadequate')
 ORDER BY area_name;
CREATE TEMP TABLE t(x);
INSERT INTO t VALUES (1), (2);
SELECT count(*) AS n FROM t; SELECT 'a;b' AS text;
.mode json
.run years
.mode csv
SELECT nosuch FROM areas;
SELECT 'never' AS after;
";

#[test]
fn a_script_gives_the_same_output_and_errors_whichever_way_it_arrives() {
    let (dir, db) = seeded();
    let file = dir.path().join("script.sql");
    std::fs::write(&file, SCRIPT).unwrap();
    let name = file.to_str().unwrap();
    let from_file = with_stdin(dir.path(), &db, &["sql", "-f", name], "");
    let ways = [
        (
            "peel sql < f",
            with_stdin(dir.path(), &db, &["sql"], SCRIPT),
        ),
        // A script that starts with a comment (`--`) needs `--` before it, as for any
        // argument that looks like a flag.
        (
            "peel sql -- SCRIPT",
            with_stdin(dir.path(), &db, &["sql", "--", SCRIPT], ""),
        ),
        ("peel < f", with_stdin(dir.path(), &db, &[], SCRIPT)),
        (
            "peel shell < f",
            with_stdin(dir.path(), &db, &["shell"], SCRIPT),
        ),
    ];
    let stdout = String::from_utf8(from_file.stdout.clone()).unwrap();
    // Hand-checked: 2016 effectiveness graded Durham Outstanding and Bedfordshire
    // Inadequate, no one else (peel_grades_2014_2025.csv, P16_EFFE).
    assert!(
        stdout.starts_with("area_name,grade\nBedfordshire,Inadequate\nDurham,Outstanding\nn\n2\ntext\na;b\n{\"arguments\":{},\"notes\":[],\"query\":\"years\""),
        "{stdout}"
    );
    let doc_line = stdout
        .lines()
        .position(|l| l.starts_with("{\"arguments\""))
        .unwrap();
    let doc: String = stdout.lines().skip(doc_line).collect::<Vec<_>>().join("\n");
    let parsed: serde_json::Value = serde_json::from_str(&doc).unwrap();
    // Seven PEEL cycles: 2014, 2015, 2016, 2017, 2018/19, 2021/22, 2023-25.
    assert_eq!(parsed["results"]["years"].as_array().unwrap().len(), 7);
    assert!(!stdout.contains("never"), "the script stopped at the error");
    assert_eq!(
        stderr(&from_file),
        format!(
            "peel: note: 2 rows\npeel: note: 2 rows changed\npeel: note: 1 row\npeel: note: 1 row\npeel: note: 7 rows\n\
             peel: error: {name}:12: `SELECT nosuch FROM areas;`: no such column: nosuch\n"
        )
    );
    assert_eq!(from_file.status.code(), Some(1));
    let from_stdin = stderr(&from_file).replace(&format!("{name}:12:"), "line 12:");
    for (way, out) in ways {
        assert_eq!(
            String::from_utf8(out.stdout.clone()).unwrap(),
            stdout,
            "{way}"
        );
        assert_eq!(stderr(&out), from_stdin, "{way}");
        assert_eq!(out.status.code(), Some(1), "{way}");
    }
}

#[test]
fn a_canned_query_looks_the_same_from_the_shell_and_the_command_line() {
    let (dir, db) = seeded();
    for format in ["chart", "json", "markdown", "csv"] {
        let command = with_stdin(
            dir.path(),
            &db,
            &["-F", format, "run", "compare", "officer-fte", "2015"],
            "",
        );
        let shell = with_stdin(
            dir.path(),
            &db,
            &[],
            &format!(".mode {format}\n.run compare officer-fte 2015\n"),
        );
        let text = stdout_ok(&command);
        // The Metropolitan Police had the most officers on 31 March 2015 (32251.61 FTE,
        // seed/metrics/ho_police_workforce_mar2007_mar2023.csv).
        assert!(text.contains("Metropolitan Police"), "{format}: {text}");
        assert!(text.contains("32251.61"), "{format}: {text}");
        assert_eq!(stdout_ok(&shell), text, "{format}");
        assert_eq!(stderr(&shell), stderr(&command), "{format}");
        assert!(
            stderr(&command).starts_with("peel: note: period \"2015\" is as at 31 March 2015"),
            "{format}: {}",
            stderr(&command)
        );
    }
}
