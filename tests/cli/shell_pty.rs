//! The real shell in a pseudo-terminal (rexpect): prompt, a multi-line statement, Tab
//! completion, Ctrl-C on a running query, the startup file, history, Ctrl-D.
//!
//! Each session gets its own HOME and XDG folders in a temporary directory, so the real
//! history and startup file are never touched, and every wait has a timeout.

use std::path::Path;
use std::time::{Duration, Instant};

use rexpect::process::WaitStatus;
use rexpect::session::{Options, PtySession};

use crate::util::*;

/// Generous for a loaded two-core machine; a hang fails the test instead of blocking it.
const TIMEOUT_MS: u64 = 30_000;

fn spawn(dir: &Path, db: &Path, args: &[&str]) -> PtySession {
    spawn_at(dir, db, 100, args)
}

/// Like [`spawn`], at a terminal `columns` wide.
fn spawn_at(dir: &Path, db: &Path, columns: usize, args: &[&str]) -> PtySession {
    let mut cmd = peel();
    cmd.current_dir(dir)
        .env("HOME", dir.join("home"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        // A new pty has no size; COLUMNS stands in for the terminal's width.
        .env("COLUMNS", columns.to_string())
        .env("TERM", "xterm")
        .arg("--db")
        .arg(db)
        .args(args);
    rexpect::spawn_with_options(
        cmd,
        Options::new()
            .timeout_ms(Some(TIMEOUT_MS))
            .strip_ansi_escape_codes(true),
    )
    .expect("spawning peel in a pty")
}

fn exit_status(session: &PtySession) -> WaitStatus {
    session.process().wait().expect("waiting for peel")
}

#[test]
fn the_shell_at_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let rc = dir.path().join("config").join("peel");
    std::fs::create_dir_all(&rc).unwrap();
    std::fs::write(rc.join("peelrc"), ".param set :from_rc 42\n").unwrap();

    let mut p = spawn(dir.path(), &db, &[]);
    p.exp_string("Type .help for commands").unwrap();
    p.exp_string("peel> ").unwrap();

    // The startup file ran before the first prompt.
    p.send_line("SELECT :from_rc AS from_rc;").unwrap();
    p.exp_string(" 42 |").unwrap();
    p.exp_string("1 row").unwrap();
    p.exp_string("peel> ").unwrap();

    // A statement over three lines, with Tab completing the table name: `are` can only
    // be `areas`, so the statement fails unless completion worked.
    p.send_line("SELECT short_name").unwrap();
    p.exp_string("...> ").unwrap();
    // `send` is buffered: flush so the Tab arrives after the text.
    p.send("  FROM are").unwrap();
    p.flush().unwrap();
    p.send("\t").unwrap();
    p.flush().unwrap();
    p.exp_string("areas").unwrap();
    p.send_line(" WHERE code = 'E23000023'").unwrap();
    p.exp_string("...> ").unwrap();
    p.send_line(";").unwrap();
    let shown = p.exp_string("1 row").unwrap();
    assert!(shown.contains("| Cambridgeshire |"), "{shown}");
    p.exp_string("peel> ").unwrap();

    // Ctrl-C on a line being typed forgets it.
    p.send("SELECT 'forgotten'").unwrap();
    p.flush().unwrap();
    p.send_control('c').unwrap();
    p.exp_string("peel> ").unwrap();

    // An error does not end the session.
    p.send_line("SELEC 1;").unwrap();
    p.exp_string("error: near \"SELEC\": syntax error").unwrap();
    p.exp_string("peel> ").unwrap();

    // Ctrl-C during a long query interrupts it and returns to the prompt. The first
    // statement's footer shows that the long one has started (the terminal is then out
    // of rustyline's raw mode, so Ctrl-C is a signal).
    p.send_line(
        "SELECT 'started' AS s; WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c WHERE x < 1000000000;",
    )
    .unwrap();
    p.exp_string("1 row").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let sent = Instant::now();
    p.send_control('c').unwrap();
    p.exp_string("interrupted").unwrap();
    p.exp_string("peel> ").unwrap();
    let took = sent.elapsed();
    assert!(
        took < Duration::from_secs(1),
        "back at the prompt after {took:?}"
    );

    // The session goes on after the interrupt.
    p.send_line("SELECT 6 * 7 AS answer;").unwrap();
    p.exp_string(" 42 |").unwrap();
    p.exp_string("peel> ").unwrap();

    // Ctrl-D leaves with status 0.
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
    let status = exit_status(&p);
    assert!(matches!(status, WaitStatus::Exited(_, 0)), "{status:?}");

    // History: in the XDG data folder, the three-line statement as one entry.
    let history = std::fs::read_to_string(dir.path().join("data").join("peel").join("history"))
        .expect("history file");
    assert!(
        history.contains("SELECT short_name\\n  FROM areas WHERE code = 'E23000023'\\n;"),
        "{history}"
    );
    assert!(!history.contains("forgotten"), "{history}");
}

#[test]
fn no_rc_skips_the_startup_file_and_quit_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let rc = dir.path().join("config").join("peel");
    std::fs::create_dir_all(&rc).unwrap();
    std::fs::write(rc.join("peelrc"), ".param set :from_rc 42\n").unwrap();

    let mut p = spawn(dir.path(), &db, &["shell", "--no-rc"]);
    p.exp_string("peel> ").unwrap();
    p.send_line("SELECT :from_rc;").unwrap();
    p.exp_string("no value for parameter :from_rc").unwrap();
    p.exp_string("peel> ").unwrap();
    p.send_line(".quit").unwrap();
    p.exp_eof().unwrap();
    let status = exit_status(&p);
    assert!(matches!(status, WaitStatus::Exited(_, 0)), "{status:?}");
}

#[test]
fn sql_and_run_fit_tables_to_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    // COLUMNS=100 stands in for the width (see spawn); the questions are far wider.
    let mut p = spawn(
        dir.path(),
        &db,
        &[
            "sql",
            "SELECT area_name, question, source FROM v_judgments WHERE area_code = 'E23000023' AND year = 2015 AND level = 'pillar' ORDER BY pillar",
        ],
    );
    let shown = all_output(&mut p);
    for line in shown
        .lines()
        .filter(|l| l.starts_with('|') || l.starts_with('+'))
    {
        assert!(
            line.chars().count() <= 100,
            "wider than the terminal: {line}"
        );
    }
    // The wording and the source wrap whole inside their cells, sharing the width the
    // name leaves; nothing is cut, so there is nothing to say about it.
    let rows = [
        "| Cambridgeshire | How effective is the force at keeping  | report: PEEL: Police effectiveness    |",
        "|                | people safe and reducing crime?        | 2015 (Cambridgeshire), line 48        |",
    ];
    assert!(shown.contains(&rows.join("\n")), "{shown}");
    assert!(!shown.contains('…'), "{shown}");
    assert!(!shown.contains("cut to fit"), "{shown}");
}

/// Everything peel wrote until it exited, as text with `\n` line ends.
fn all_output(p: &mut PtySession) -> String {
    let raw = p.exp_eof().unwrap();
    // rexpect hands over each byte as one char; put the UTF-8 back together.
    let shown = if raw.chars().all(|c| (c as u32) < 256) {
        String::from_utf8(raw.chars().map(|c| c as u32 as u8).collect()).unwrap_or(raw)
    } else {
        raw
    };
    shown.replace("\r\n", "\n")
}

#[test]
fn a_result_too_wide_for_the_terminal_is_shown_in_lines_never_cut() {
    // Issue 13: at 80 columns a force's grade history cut grades to "Requi…" and years
    // to "2018/…". Its twelve atomic columns cannot fit 80, so it is shown in lines.
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let mut p = spawn_at(dir.path(), &db, 80, &["run", "history", "gmp"]);
    let shown = all_output(&mut p);
    assert!(
        shown.contains(
            "     area_name = Greater Manchester\n        pillar = effectiveness\n question_code = P17_EFFE\n         cycle = 2017\n         grade = Requires improvement\n"
        ),
        "{shown}"
    );
    assert!(shown.contains("         cycle = 2018/19\n"), "{shown}");
    assert!(!shown.contains('…'), "{shown}");
    assert!(
        !shown
            .lines()
            .any(|l| l.starts_with('+') || l.starts_with('|')),
        "{shown}"
    );
    // The switch is said, on stderr (the same terminal here).
    assert!(
        shown.contains(
            "peel: note: too wide for the screen: shown one field per line (-F line does so always)"
        ),
        "{shown}"
    );
}

#[test]
fn a_png_is_never_written_to_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    // From the command line: refused before the query runs, a usage mistake (exit 2).
    let mut p = spawn(
        dir.path(),
        &db,
        &["-F", "png", "run", "compare", "officer-fte", "2015"],
    );
    let shown = all_output(&mut p);
    assert_eq!(
        shown.trim_end(),
        "peel: error: png is binary and stdout is a terminal: write it to a file with -o FILE, or use -F svg"
    );
    let status = exit_status(&p);
    assert!(matches!(status, WaitStatus::Exited(_, 2)), "{status:?}");
    // With -o, the terminal is left alone and the file holds the PNG.
    let mut p = spawn(
        dir.path(),
        &db,
        &[
            "-q",
            "run",
            "compare",
            "officer-fte",
            "2015",
            "-o",
            "bars.png",
        ],
    );
    assert_eq!(all_output(&mut p), "");
    assert!(
        std::fs::read(dir.path().join("bars.png"))
            .unwrap()
            .starts_with(b"\x89PNG")
    );

    // In the shell: `.mode png` without `.output` is refused at the first result, and
    // the session goes on.
    let mut p = spawn(dir.path(), &db, &["shell", "--no-rc"]);
    p.exp_string("peel> ").unwrap();
    p.send_line(".mode png").unwrap();
    p.exp_string("peel> ").unwrap();
    p.send_line(".run compare officer-fte 2015").unwrap();
    p.exp_string("error: png is binary and stdout is a terminal")
        .unwrap();
    p.exp_string("peel> ").unwrap();
    p.send_line(".quit").unwrap();
    p.exp_eof().unwrap();
}
