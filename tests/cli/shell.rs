//! The shell without a terminal: statements and dot-commands piped into `peel`, the whole
//! command set, errors, and `peel completions`. The terminal itself is in `shell_pty.rs`.

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

use crate::util::*;

fn seeded() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    (dir, db)
}

/// Runs `peel --db DB ARGS` with `input` on stdin, from `dir` (for relative file names),
/// with config and data folders inside `dir` so no real startup file or history is seen.
fn piped_in(dir: &Path, db: &Path, args: &[&str], input: &str) -> Output {
    with_stdin(dir, db, args, input)
}

fn piped(db: &Path, input: &str) -> Output {
    piped_in(db.parent().unwrap(), db, &[], input)
}

fn stderr_lines(out: &Output) -> Vec<String> {
    stderr(out).lines().map(str::to_string).collect()
}

#[test]
fn piped_statements_span_lines_and_print_csv() {
    let (_d, db) = seeded();
    let out = piped(
        &db,
        "-- the regions\nSELECT 'a;b' AS x;\nSELECT count(*) AS n\n  FROM areas\n  WHERE kind = 'region';\n",
    );
    assert_eq!(stdout_ok(&out), "x\na;b\nn\n9\n");
    assert_eq!(stderr(&out), "");
}

#[test]
fn a_last_statement_without_semicolon_still_runs() {
    let (_d, db) = seeded();
    let out = piped(&db, "SELECT 1 AS one;\nSELECT 2 AS two");
    assert_eq!(stdout_ok(&out), "one\n1\ntwo\n2\n");
}

#[test]
fn piped_input_stops_at_the_first_error_with_its_line() {
    let (_d, db) = seeded();
    let out = piped(&db, "SELECT 1 AS a;\n\nSELEC 2;\nSELECT 3 AS b;\n");
    assert_fails(
        &out,
        1,
        "peel: error: line 3: `SELEC 2;`: near \"SELEC\": syntax error",
    );
    // What ran before the error is printed; nothing after it runs.
    assert_eq!(String::from_utf8_lossy(&out.stdout), "a\n1\n");
}

#[test]
fn keep_going_reports_every_error_and_still_exits_1() {
    let (dir, db) = seeded();
    let input = "SELECT 1 AS a;\nSELEC 2;\n.frob\nSELECT 3 AS b;\n";
    for args in [&["-k"][..], &["--keep-going"], &["shell", "-k"]] {
        let out = piped_in(dir.path(), &db, args, input);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "a\n1\nb\n3\n");
        assert_eq!(
            stderr_lines(&out),
            [
                "peel: error: line 2: `SELEC 2;`: near \"SELEC\": syntax error",
                "peel: error: line 3: unknown command .frob; .help lists the commands",
                "peel: error: 2 statement(s) or command(s) failed",
            ]
        );
    }
}

#[test]
fn peel_shell_reads_stdin_like_peel_alone() {
    let (dir, db) = seeded();
    let out = piped_in(dir.path(), &db, &["shell"], "SELECT 7 AS n;\n");
    assert_eq!(stdout_ok(&out), "n\n7\n");
}

#[test]
fn help_lists_every_command_and_explains_one() {
    let (_d, db) = seeded();
    let text = stdout_ok(&piped(&db, ".help\n.help mode\n"));
    for usage in [
        ".help [COMMAND]",
        ".tables [PATTERN]",
        ".schema [PATTERN]",
        ".mode FORMAT",
        ".headers on|off",
        ".nullvalue [TEXT]",
        ".output [FILE]",
        ".once FILE",
        ".excel",
        ".read FILE",
        ".open [--new] FILE",
        ".dump [TABLE]",
        ".import [--csv|--grades|--report] [OPTIONS] FILE",
        ".timer on|off",
        ".footer on|off",
        ".maxrows N",
        ".param set NAME VALUE",
        ".show",
        ".queries",
        ".run NAME [ARGS...]",
        ".save NAME [DESCRIPTION]",
        ".quit",
        ".exit",
    ] {
        assert_eq!(
            text.lines().filter(|l| l.starts_with(usage)).count(),
            if usage == ".mode FORMAT" { 2 } else { 1 },
            "{usage} in:\n{text}"
        );
    }
    assert!(text.contains(
        ".mode FORMAT\n  Output format: table, csv, tsv, json, jsonl, markdown, line, chart, svg, png.\n"
    ));
    // The overview names every format too.
    assert!(
        text.lines().any(|l| l.starts_with(".mode FORMAT")
            && l.ends_with(
                "Output format: table, csv, tsv, json, jsonl, markdown, line, chart, svg, png"
            )),
        "{text}"
    );
}

#[test]
fn tables_lists_tables_and_views() {
    let (_d, db) = seeded();
    let text = stdout_ok(&piped(&db, ".tables\n"));
    let names: Vec<&str> = text.split_whitespace().collect();
    for name in [
        "areas",
        "judgments",
        "v_judgments",
        "v_metric_values",
        "v_improvements",
    ] {
        assert!(names.contains(&name), "{name} in {text}");
    }
    assert!(!names.iter().any(|n| n.starts_with("sqlite_")));
    // Five views (schema.sql), listed down the columns in name order as sqlite3 does: at
    // the default 80 columns they take two lines, so reading across gives this order.
    let views = stdout_ok(&piped(&db, ".tables v_%\n"));
    let lines: Vec<Vec<&str>> = views
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        lines,
        [
            vec!["v_grade_tally", "v_item_coverage", "v_metric_values"],
            vec!["v_improvements", "v_judgments"]
        ],
        "{views}"
    );
}

#[test]
fn schema_shows_create_statements() {
    let (_d, db) = seeded();
    let text = stdout_ok(&piped(&db, ".schema areas\n"));
    assert!(text.starts_with("CREATE TABLE areas ("), "{text}");
    assert!(text.contains("CREATE INDEX areas_parent ON areas (parent_id);"));
    assert!(!text.contains("CREATE TABLE judgments"));
    let all = stdout_ok(&piped(&db, ".schema\n"));
    assert!(all.contains("CREATE VIEW v_judgments"));
    let out = piped(&db, ".schema nosuch\n");
    assert_fails(&out, 1, "line 1: no table or view matches \"nosuch\"");
}

#[test]
fn mode_switches_between_every_format() {
    let (_d, db) = seeded();
    let q = "SELECT 'Kent' AS area, 4 AS rank, NULL AS note;\n";
    let cases: &[(&str, &str)] = &[
        ("csv", "area,rank,note\nKent,4,\n"),
        ("tsv", "area\trank\tnote\nKent\t4\t\n"),
        (
            "json",
            "[\n{\"area\":\"Kent\",\"rank\":4,\"note\":null}\n]\n",
        ),
        ("jsonl", "{\"area\":\"Kent\",\"rank\":4,\"note\":null}\n"),
        (
            "markdown",
            "| area | rank | note |\n| --- | ---: | --- |\n| Kent | 4 |  |\n",
        ),
        ("line", "area = Kent\nrank = 4\nnote = NULL\n"),
        (
            "table",
            "+------+------+------+\n| area | rank | note |\n+------+------+------+\n| Kent |    4 | NULL |\n+------+------+------+\n",
        ),
    ];
    for (mode, expected) in cases {
        let out = piped(&db, &format!(".mode {mode}\n{q}"));
        assert_eq!(&stdout_ok(&out), expected, ".mode {mode}");
    }
    let out = piped(&db, ".mode xml\n");
    assert_fails(
        &out,
        1,
        "unknown format \"xml\"; one of table, csv, tsv, json, jsonl, markdown, line",
    );
}

#[test]
fn headers_and_nullvalue() {
    let (_d, db) = seeded();
    let out = piped(
        &db,
        ".headers off\nSELECT 1 AS a, NULL AS b;\n.nullvalue (none)\nSELECT NULL AS b;\n.headers on\n.nullvalue\nSELECT NULL AS c, 1 AS d;\n",
    );
    assert_eq!(stdout_ok(&out), "1,\n(none)\nc,d\n,1\n");
}

#[test]
fn output_and_once_send_results_to_files() {
    let (dir, db) = seeded();
    let out = piped(
        &db,
        ".output all.csv\nSELECT 1 AS a;\n.schema meta\n.output\nSELECT 2 AS b;\n.once one.csv\nSELECT 3 AS c;\nSELECT 4 AS d;\n",
    );
    assert_eq!(stdout_ok(&out), "b\n2\nd\n4\n");
    let all = std::fs::read_to_string(dir.path().join("all.csv")).unwrap();
    assert!(all.starts_with("a\n1\nCREATE TABLE meta"), "{all}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("one.csv")).unwrap(),
        "c\n3\n"
    );
    let out = piped(&db, ".output no/such/dir/x.csv\n");
    assert_fails(&out, 1, "line 1: no/such/dir/x.csv: no such file");
}

#[test]
fn read_runs_a_file_and_names_it_in_errors() {
    let (dir, db) = seeded();
    std::fs::write(
        dir.path().join("good.sql"),
        ".mode tsv\nSELECT 1 AS a,\n  2 AS b;\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bad.sql"),
        "SELECT 5 AS e;\n\nSELECT nosuch FROM areas;\nSELECT 6 AS f;\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("loop.sql"), ".read loop.sql\n").unwrap();
    let out = piped(&db, ".read good.sql\nSELECT 3 AS c;\n");
    assert_eq!(stdout_ok(&out), "a\tb\n1\t2\nc\n3\n");
    let out = piped(&db, ".read bad.sql\nSELECT 7 AS g;\n");
    assert_fails(
        &out,
        1,
        "peel: error: bad.sql:3: `SELECT nosuch FROM areas;`: no such column: nosuch",
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "e\n5\n");
    let out = piped(&db, ".read missing.sql\n");
    assert_fails(&out, 1, "line 1: missing.sql: no such file");
    let out = piped(&db, ".read loop.sql\n");
    assert_fails(&out, 1, "does loop.sql read itself?");
}

#[test]
fn timer_and_footer_are_notes_on_stderr_never_lines_of_the_data() {
    let (_d, db) = seeded();
    let out = piped(
        &db,
        ".footer on\nSELECT 1 AS a UNION ALL SELECT 2;\n.timer on\nSELECT 1 AS b;\n.footer off\nSELECT 1 AS c;\n",
    );
    // Piped CSV stays CSV: one header and the rows of each result, nothing else.
    assert_eq!(stdout_ok(&out), "a\n1\n2\nb\n1\nc\n1\n");
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines[0], "peel: note: 2 rows", "{err}");
    assert!(
        lines[1].starts_with("peel: note: 1 row in ") && lines[1].ends_with(" s"),
        "{err}"
    );
    assert!(
        lines[2].starts_with("peel: note: time ") && lines[2].ends_with(" s"),
        "{err}"
    );
    assert_eq!(lines.len(), 3, "{err}");
}

#[test]
fn writes_report_rows_changed_when_the_footer_is_on() {
    let (_d, db) = seeded();
    let out = piped(
        &db,
        ".footer on\nCREATE TEMP TABLE t(a);\nINSERT INTO t VALUES (1), (2), (3);\nSELECT count(*) AS n FROM t;\n",
    );
    assert_eq!(stdout_ok(&out), "n\n3\n");
    assert_eq!(
        stderr(&out),
        "peel: note: 3 rows changed\npeel: note: 1 row\n"
    );
}

#[test]
fn maxrows_caps_the_screen_and_says_how_many_are_hidden() {
    let (dir, db) = seeded();
    let q = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) SELECT i FROM n;\n";
    let out = piped(&db, &format!(".maxrows 3\n{q}"));
    assert_eq!(stdout_ok(&out), "i\n1\n2\n3\n");
    assert_eq!(
        stderr(&out),
        "peel: note: 50 rows; 47 not shown (.maxrows 3 shows more, 0 all)\n"
    );
    // Piped, every row is shown; a file always gets every row.
    assert_eq!(stdout_ok(&piped(&db, q)).lines().count(), 51);
    let out = piped(&db, &format!(".maxrows 3\n.once all.csv\n{q}"));
    assert_eq!(stdout_ok(&out), "");
    let file = std::fs::read_to_string(dir.path().join("all.csv")).unwrap();
    assert_eq!(file.lines().count(), 51);
}

#[test]
fn tables_fit_the_width_by_wrapping_then_shortening_free_text_and_say_so() {
    let (dir, db) = seeded();
    let mut child = peel()
        .current_dir(dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .env("COLUMNS", "50")
        .arg("--db")
        .arg(&db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let select = "SELECT area_name, question{} FROM v_judgments WHERE area_code = 'E23000023' AND year = 2015 AND level = 'pillar' ORDER BY pillar LIMIT 1;\n";
    let script = format!(
        ".mode table\n{}{}",
        select.replace("{}", ""),
        select.replace("{}", ", source")
    );
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = stdout_ok(&out);
    let lines: Vec<&str> = text.lines().collect();
    for line in &lines {
        assert!(line.chars().count() <= 50, "{line:?} in\n{text}");
    }
    // The question wraps whole inside its cell; nothing was cut, so no footer.
    assert_eq!(
        lines[..7],
        [
            "+----------------+-------------------------------+",
            "| area_name      | question                      |",
            "+----------------+-------------------------------+",
            "| Cambridgeshire | How effective is the force at |",
            "|                | keeping people safe and       |",
            "|                | reducing crime?               |",
            "+----------------+-------------------------------+",
        ],
        "{text}"
    );
    // Two free-text columns are too narrow to wrap: both are shortened, the name stays
    // whole, and the footer says so.
    assert_eq!(
        lines[10], "| Cambridgeshire | How effectiv… | report: PEEL… |",
        "{text}"
    );
    assert_eq!(
        stderr(&out),
        "peel: note: long text was shortened to fit the screen (…); -F line shows every value whole\n"
    );
    assert_eq!(lines.len(), 12, "{text}");
}

#[test]
fn named_parameters_are_set_listed_and_bound() {
    let (_d, db) = seeded();
    let out = piped(
        &db,
        ".param set force 'Avon and Somerset'\n.param set :year 2016\n.param set :evil \"x' OR '1'='1\"\n.param list\n\
         SELECT :force AS f, :year + 1 AS y;\n\
         SELECT count(*) AS m FROM areas WHERE short_name = :evil;\n\
         .param unset :year\n.param list\n.param clear\n.param list\n",
    );
    assert_eq!(
        stdout_ok(&out),
        ":evil = 'x'' OR ''1''=''1'\n:force = 'Avon and Somerset'\n:year = 2016\n\
         f,y\nAvon and Somerset,2017\nm\n0\n\
         :evil = 'x'' OR ''1''=''1'\n:force = 'Avon and Somerset'\n\
         no parameters set (.param set NAME VALUE)\n"
    );
    let out = piped(&db, "SELECT :nope;\n");
    assert_fails(&out, 1, "no value for parameter :nope");
    let out = piped(&db, ".param set :f Avon and Somerset\n");
    assert_fails(&out, 1, "quote text that holds spaces");
}

#[test]
fn a_parameter_finds_rows() {
    let (_d, db) = seeded();
    let out = piped(
        &db,
        ".param set :code E23000023\nSELECT short_name FROM areas WHERE code = :code;\n",
    );
    assert_eq!(stdout_ok(&out), "short_name\nCambridgeshire\n");
}

#[test]
fn canned_queries_run_from_the_shell() {
    let (dir, db) = seeded();
    // peel_2016_effectiveness_all43.csv: Durham Outstanding, Bedfordshire Inadequate
    // (P16_EFFE). The 2016 effectiveness questions follow (peel_grades_2014_2025.csv):
    // Bedfordshire Inadequate on Q16_E1 and Q16_E3; Outstanding for Durham and Norfolk on
    // Q16_E1, and Derbyshire, Durham and Greater Manchester on Q16_E4.
    let out = piped_in(
        dir.path(),
        &db,
        &[],
        ".run graded inadequate 2016 effectiveness\n.run graded outstanding year=2016 pillar=effectiveness\n",
    );
    let text = stdout_ok(&out);
    let rows = csv_rows(&text);
    // Two results, each with its header: area_code, area_name, cycle, pillar, question_code.
    let graded: Vec<(&str, &str, &str)> = rows
        .iter()
        .filter(|r| r[0] != "area_code")
        .map(|r| (r[1].as_str(), r[4].as_str(), r[6].as_str()))
        .collect();
    assert_eq!(
        graded,
        [
            ("Bedfordshire", "P16_EFFE", "Inadequate"),
            ("Bedfordshire", "Q16_E1", "Inadequate"),
            ("Bedfordshire", "Q16_E3", "Inadequate"),
            ("Durham", "P16_EFFE", "Outstanding"),
            ("Durham", "Q16_E1", "Outstanding"),
            ("Norfolk", "Q16_E1", "Outstanding"),
            ("Derbyshire", "Q16_E4", "Outstanding"),
            ("Durham", "Q16_E4", "Outstanding"),
            ("Greater Manchester", "Q16_E4", "Outstanding")
        ],
        "{text}"
    );
    assert_eq!(
        rows.iter().filter(|r| r[0] == "area_code").count(),
        2,
        "{text}"
    );

    let out = piped_in(dir.path(), &db, &[], ".queries\n");
    let text = stdout_ok(&out);
    assert!(text.contains("compare METRIC [PERIOD]"), "{text}");
}

#[test]
fn shell_query_errors_and_saving_the_last_statement() {
    let (dir, db) = seeded();
    let out = piped_in(
        dir.path(),
        &db,
        &["-k"],
        ".run nosuch\n.run force\n.param set :code E23000008\nSELECT short_name FROM areas WHERE code = :code;\n.save mine Short name of an area\n.save\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "short_name\nDurham\n");
    let lines = stderr_lines(&out);
    assert!(
        lines[0].starts_with("peel: error: line 1: no query named \"nosuch\""),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("peel: error: line 2: force: "),
        "{lines:?}"
    );
    assert!(
        lines[1].contains("usage: peel run force FORCE"),
        "{lines:?}"
    );
    assert_eq!(lines[2], "saved as mine: .run mine runs it");
    assert_eq!(
        lines[3],
        "peel: error: line 6: expected a name (usage: .save NAME [DESCRIPTION])"
    );
    // The saved query travels in the file and runs from the command line.
    let out = run(&db, &["run", "mine", "E23000023"]);
    assert_eq!(stdout_ok(&out), "short_name\nCambridgeshire\n");
}

#[test]
fn quit_and_exit_stop_reading() {
    let (_d, db) = seeded();
    for command in [".quit", ".exit", ".QUIT"] {
        let out = piped(&db, &format!("SELECT 1 AS a;\n{command}\nSELECT 2 AS b;\n"));
        assert_eq!(stdout_ok(&out), "a\n1\n", "{command}");
    }
}

#[test]
fn unknown_commands_suggest_the_nearest() {
    let (_d, db) = seeded();
    let out = piped(&db, ".tabels\n");
    assert_fails(
        &out,
        1,
        "line 1: unknown command .tabels (did you mean .tables?); .help lists the commands",
    );
    let out = piped(&db, ".mdoe csv\n");
    assert_fails(&out, 1, "did you mean .mode?");
}

#[test]
fn show_reports_the_settings() {
    let (_d, db) = seeded();
    let text = stdout_ok(&piped(
        &db,
        ".mode line\n.headers off\n.maxrows 5\n.param set :x 1\n.show\n",
    ));
    assert_eq!(
        text,
        format!(
            "     mode: line\n  headers: off\nnullvalue: (default: NULL in tables and line, empty in csv and tsv)\n   output: screen\n    timer: off\n   footer: off\n  maxrows: 5\n filename: {}\n   params:\n     :x = 1\n",
            db.display()
        )
    );
}

#[test]
fn the_startup_file_is_not_read_when_piped() {
    let (dir, db) = seeded();
    let rc = dir.path().join("config").join("peel");
    std::fs::create_dir_all(&rc).unwrap();
    std::fs::write(rc.join("peelrc"), ".mode json\n").unwrap();
    let out = piped(&db, "SELECT 1 AS a;\n");
    assert_eq!(stdout_ok(&out), "a\n1\n");
}

#[test]
fn a_closed_pipe_ends_the_piped_shell_quietly() {
    let (_d, db) = seeded();
    let mut child = peel()
        .arg("--db")
        .arg(&db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) SELECT i, 'padding padding padding' FROM n;\n")
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stderr(&out), "");
}

#[test]
fn shell_flags_are_refused_elsewhere() {
    let (_d, db) = seeded();
    let out = run(&db, &["--no-rc", "sql", "SELECT 1"]);
    assert_fails(&out, 2, "--no-rc and --keep-going are flags of the shell");
}

#[test]
fn completion_scripts_for_bash_zsh_and_fish() {
    let bash = stdout_ok(&peel().args(["completions", "bash"]).output().unwrap());
    assert!(
        bash.contains("_peel()") && bash.contains("complete -F _peel"),
        "{bash}"
    );
    assert!(bash.contains("--keep-going") && bash.contains("completions"));
    let zsh = stdout_ok(&peel().args(["completions", "zsh"]).output().unwrap());
    assert!(zsh.starts_with("#compdef peel"), "{zsh}");
    let fish = stdout_ok(&peel().args(["completions", "fish"]).output().unwrap());
    assert!(fish.contains("complete -c peel"), "{fish}");
    let out = peel().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn open_switches_to_another_database_and_a_refused_file_keeps_the_old_one() {
    let (dir, db) = seeded();
    // other.db: the seed without the 2014 cycle's 124 judgments, so the two counts differ.
    let other = dir.path().join("other.db");
    std::fs::copy(&db, &other).unwrap();
    let out = run(
        &other,
        &[
            "sql",
            "DELETE FROM judgments WHERE question_id IN (SELECT question_id FROM questions JOIN cycles USING (cycle_id) WHERE cycles.year = 2014)",
        ],
    );
    stdout_ok(&out);
    let out = piped_in(
        dir.path(),
        &db,
        &["-k"],
        ".open missing.db\nSELECT count(*) AS here FROM judgments;\n.open other.db\nSELECT count(*) AS there FROM judgments;\n.show\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    // 1222 judgments in the seed; 1098 once the 124 of 2014 are gone.
    assert!(text.starts_with("here\n1222\nthere\n1098\n"), "{text}");
    assert!(text.contains(" filename: other.db\n"), "{text}");
    // The same message as `peel --db missing.db`, placed at its line.
    let direct = peel()
        .current_dir(dir.path())
        .args(["--db", "missing.db", "sql", "SELECT 1"])
        .output()
        .unwrap();
    let message = stderr(&direct);
    let message = message.trim_end().strip_prefix("peel: error: ").unwrap();
    let lines = stderr_lines(&out);
    assert_eq!(lines[0], format!("peel: error: line 1: {message}"));
    assert!(!dir.path().join("missing.db").exists());
    assert_eq!(
        lines[1..],
        ["peel: error: 1 statement(s) or command(s) failed"]
    );
}

#[test]
fn open_refuses_what_peel_db_refuses_with_the_same_words() {
    let (dir, db) = seeded();
    // Not a database, a SQLite file peel did not make, and one from a newer peel.
    std::fs::write(dir.path().join("notes.txt"), "not a database").unwrap();
    let sqlite = dir.path().join("sqlite.db");
    rusqlite::Connection::open(&sqlite)
        .unwrap()
        .execute_batch("CREATE TABLE t (x);")
        .unwrap();
    let newer = dir.path().join("newer.db");
    std::fs::copy(&db, &newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("PRAGMA user_version = 999;")
        .unwrap();
    for file in ["notes.txt", "sqlite.db", "newer.db"] {
        let direct = run(&dir.path().join(file), &["sql", "SELECT 1"]);
        let expected = stderr(&direct)
            .trim_end()
            .replace("peel: error: ", "peel: error: line 1: ");
        let out = piped_in(
            dir.path(),
            &db,
            &[],
            &format!(".open {}\n", dir.path().join(file).display()),
        );
        assert_eq!(stderr(&out).trim_end(), expected, "{file}");
        assert_eq!(out.status.code(), Some(1), "{file}");
    }
}

#[test]
fn open_new_builds_a_seeded_database_and_readonly_still_applies() {
    let (dir, db) = seeded();
    let out = piped_in(
        dir.path(),
        &db,
        &["--readonly"],
        ".open --new fresh.db\nSELECT count(*) AS n FROM judgments;\nDELETE FROM judgments;\n",
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "n\n1222\n");
    assert_fails(
        &out,
        1,
        "line 3: `DELETE FROM judgments;`: attempt to write a readonly database",
    );
    let out = piped_in(dir.path(), &db, &[], ".open --new fresh.db\n");
    assert_fails(
        &out,
        1,
        "line 1: fresh.db: already exists (.open fresh.db opens it)",
    );
}

/// Every row of every table and the schema, each table's rows sorted, for comparing two
/// databases cell by cell (a real compared as a double, text as text).
fn contents(path: &Path) -> Vec<(String, Vec<Vec<rusqlite::types::Value>>)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut all = Vec::new();
    let mut read = |label: String, sql: String| {
        let mut statement = conn.prepare(&sql).unwrap();
        let n = statement.column_count();
        let rows = statement
            .query_map([], |r| (0..n).map(|i| r.get(i)).collect())
            .unwrap()
            .collect::<Result<Vec<Vec<rusqlite::types::Value>>, _>>()
            .unwrap();
        all.push((label, rows));
    };
    read(
        "schema".into(),
        "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name".into(),
    );
    read("user_version".into(), "PRAGMA user_version".into());
    for table in tables {
        let columns: i64 = conn
            .query_row(
                "SELECT count(*) FROM pragma_table_info(?1)",
                [&table],
                |r| r.get(0),
            )
            .unwrap();
        // Sorted by every column: the rows compared as a whole, whatever order a scan
        // would give.
        let order: Vec<String> = (1..=columns).map(|i| i.to_string()).collect();
        read(
            table.clone(),
            format!("SELECT * FROM \"{table}\" ORDER BY {}", order.join(", ")),
        );
    }
    all
}

/// Runs a dump as `sqlite3 new.db < dump.sql` would, into a new file.
fn load_dump(path: &Path, dump: &str) {
    assert!(!path.exists());
    rusqlite::Connection::open(path)
        .unwrap()
        .execute_batch(dump)
        .unwrap();
}

#[test]
fn dump_of_the_whole_database_rebuilds_it_table_by_table() {
    let (dir, db) = seeded();
    let out = piped(&db, ".dump\n");
    let dump = stdout_ok(&out);
    assert_eq!(stderr(&out), "");
    assert!(
        dump.starts_with("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE meta (\n"),
        "{}",
        &dump[..200]
    );
    assert!(dump.ends_with("ANALYZE;\nPRAGMA user_version=3;\nCOMMIT;\n"));
    // Rows go in before any trigger or index exists (peel's count triggers must not count
    // them twice), and the 1222 judgments of the seed are all there.
    let first_trigger = dump.find("\nCREATE TRIGGER").unwrap();
    assert!(dump.rfind("\nINSERT INTO").unwrap() < first_trigger);
    assert_eq!(
        dump.matches("\nINSERT INTO judgments VALUES(").count(),
        1222
    );
    let copy = dir.path().join("copy.db");
    load_dump(&copy, &dump);
    let (before, after) = (contents(&db), contents(&copy));
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b.0, a.0);
        assert!(b.1 == a.1, "{} differs after the round trip", b.0);
    }
    // peel opens the copy as its own.
    assert_eq!(
        sql_rows(&copy, "SELECT count(*) FROM judgments"),
        [["1222"]]
    );
    // `.once` sends the dump to a file, which is the same text.
    let out = piped(&db, ".once dump.sql\n.dump\n");
    assert_eq!(stdout_ok(&out), "");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("dump.sql")).unwrap(),
        dump
    );
}

#[test]
fn dump_of_one_table_rebuilds_that_table_with_its_index() {
    let (dir, db) = seeded();
    let dump = stdout_ok(&piped(&db, ".dump areas\n"));
    let lines: Vec<&str> = dump.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "PRAGMA foreign_keys=OFF;",
            "BEGIN TRANSACTION;",
            "CREATE TABLE areas ("
        ]
    );
    // 55 areas in the seed (43 forces, 9 regions, 2 countries, England and Wales).
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("INSERT INTO areas VALUES("))
            .count(),
        55
    );
    assert_eq!(
        lines[lines.len() - 2..],
        ["CREATE INDEX areas_parent ON areas (parent_id);", "COMMIT;"]
    );
    assert!(!dump.contains("CREATE TABLE judgments"));
    assert!(
        dump.contains("INSERT INTO areas VALUES(1,'K04000001','england-and-wales',"),
        "{dump}"
    );
    let copy = dir.path().join("areas.db");
    load_dump(&copy, &dump);
    let original = contents(&db)
        .into_iter()
        .find(|(t, _)| t == "areas")
        .unwrap();
    let reloaded = contents(&copy)
        .into_iter()
        .find(|(t, _)| t == "areas")
        .unwrap();
    assert_eq!(original.1.len(), 55);
    assert!(original == reloaded, "areas differ after the round trip");
    let out = piped(&db, ".dump nosuch\n");
    assert_fails(
        &out,
        1,
        "line 1: no table or view matches \"nosuch\"; .tables lists them",
    );
}

#[test]
fn import_runs_peel_import_and_says_the_same() {
    let (dir, db) = seeded();
    std::fs::write(
        dir.path().join("figures.csv"),
        "area,period,metric,value\nKent,2030/31,officer-fte,\"3,101.5\"\nEssex,2030/31,officer-fte,2950\n",
    )
    .unwrap();
    let cli_db = dir.path().join("cli.db");
    std::fs::copy(&db, &cli_db).unwrap();
    let cli = peel()
        .current_dir(dir.path())
        .arg("--db")
        .arg(&cli_db)
        .args(["import", "csv", "figures.csv"])
        .output()
        .unwrap();
    let said =
        "peel: imported figures.csv (long layout): 2 rows, 2 values; 1 period created (2030/31)\n";
    assert_eq!(stderr(&cli), said);
    let out = piped(
        &db,
        ".import figures.csv\nSELECT area_name, value FROM v_metric_values WHERE metric_code = 'officer-fte' AND period_label = '2030/31' ORDER BY area_name;\n",
    );
    // "3,101.5" is read as 3101.5.
    assert_eq!(
        stdout_ok(&out),
        "area_name,value\nEssex,2950\nKent,3101.5\n"
    );
    assert_eq!(stderr(&out), said);
    // Told to, the grades importer refuses the file as `peel import grades` would.
    let out = piped(&db, ".import --grades figures.csv\n");
    assert_fails(
        &out,
        1,
        "line 1: figures.csv line 1: not a grades file: expected the columns force, cycle, item, grade, source_url",
    );
    let out = piped(&db, ".import --create-items figures.csv\n");
    assert_fails(
        &out,
        1,
        "line 1: --create-items is not an option of `peel import csv`",
    );
}

#[test]
fn import_of_a_bad_file_gives_peel_imports_error_and_stores_nothing() {
    let (dir, db) = seeded();
    std::fs::write(
        dir.path().join("bad.csv"),
        "area,period,metric,value\nKent,2030/31,officer-fte,3100\nEssex,2030/31,officer-fte,12x\n",
    )
    .unwrap();
    let before = bytes(&db);
    let cli = peel()
        .current_dir(dir.path())
        .arg("--db")
        .arg(&db)
        .args(["import", "csv", "bad.csv"])
        .output()
        .unwrap();
    assert_fails(
        &cli,
        1,
        "peel: error: bad.csv line 3, column 4 (value): \"12x\" is not a number",
    );
    let out = piped(&db, "SELECT 1 AS a;\n.import bad.csv\n");
    assert_fails(
        &out,
        1,
        "peel: error: line 2: bad.csv line 3, column 4 (value): \"12x\" is not a number",
    );
    assert_eq!(
        stderr(&out),
        stderr(&cli).replace("peel: error: ", "peel: error: line 2: ")
    );
    assert_eq!(bytes(&db), before);
    let out = piped(&db, ".import nosuch.csv\n");
    assert_fails(&out, 1, "line 1: nosuch.csv: no such file");
}

#[cfg(unix)]
#[test]
fn excel_opens_the_next_result_as_csv_and_says_where_it_is_without_an_opener() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, db) = seeded();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let opener = dir.path().join("opener.sh");
    std::fs::write(
        &opener,
        "#!/bin/sh\nprintf '%s\\n' \"$1\" >> \"$(dirname \"$0\")/opened.txt\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let excel = |opener: &str, input: &str| {
        let mut child = peel()
            .current_dir(dir.path())
            .env("TMPDIR", &tmp)
            .env("PEEL_OPENER", opener)
            .arg("--db")
            .arg(&db)
            .args(["-k"])
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
    };
    let out = excel(
        opener.to_str().unwrap(),
        ".mode json\n.excel\nSELECT 'Kent' AS area, 4 AS rank;\nSELECT 1 AS after;\n",
    );
    // The next result only, as CSV; then the mode is json again.
    assert_eq!(stdout_ok(&out), "[\n{\"after\":1}\n]\n");
    assert_eq!(stderr(&out), "");
    let opened = std::fs::read_to_string(dir.path().join("opened.txt")).unwrap();
    let file = Path::new(opened.trim_end());
    assert_eq!(file.parent(), Some(tmp.as_path()), "{opened}");
    assert!(file.extension().is_some_and(|e| e == "csv"), "{opened}");
    assert_eq!(
        std::fs::read_to_string(file).unwrap(),
        "area,rank\nKent,4\n"
    );
    // A failed statement opens nothing and leaves no file.
    std::fs::remove_file(file).unwrap();
    let out = excel(opener.to_str().unwrap(), ".excel\nSELEC 1;\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("opened.txt")).unwrap(),
        opened
    );
    // Without a program to open it, one line says where the file is.
    for (opener, why) in [
        ("", "PEEL_OPENER is empty"),
        (
            "/no/such/opener",
            "no program to open it: /no/such/opener was not found",
        ),
    ] {
        let out = excel(opener, ".excel\nSELECT 2 AS b;\n");
        let err = stderr(&out);
        let line = err
            .strip_prefix("peel: the result is in ")
            .and_then(|rest| rest.strip_suffix(&format!(" ({why})\n")))
            .unwrap_or_else(|| panic!("{err:?}"));
        assert_eq!(std::fs::read_to_string(line).unwrap(), "b\n2\n");
        assert_eq!(stdout_ok(&out), "");
    }
}
