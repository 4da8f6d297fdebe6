//! The README is executed: every `$ ...` example it shows with its output is run with the
//! real binary and must print what the README shows, so the README cannot drift.
//!
//! How README.md is read (the same rules are in its Development section):
//!
//! - **Examples** are fenced blocks holding lines that start with `$ `. Each such line is a
//!   command (continued on the next lines while a quote is open), and the lines up to the
//!   next `$ ` line are its output. Blocks without a `$ ` line (```` ```sh ```` listings,
//!   file contents) are not examples.
//! - **Not executed**: `<!-- not executed: REASON -->` on the line just before a block
//!   skips it (a terminal session, a tool peel does not ship). Every other example block is
//!   run; one the harness cannot run fails the test rather than being passed over.
//! - **Rendered output**: `<!-- output: rendered below -->` before a block holding one
//!   command and no output says its output is the Markdown right after the block, up to
//!   the next blank line (a `-F markdown` table shown as a table).
//! - **State**: the examples of one `## ` section run in order in one folder, holding a
//!   copy of the default database as `peel.db` and the files the examples name
//!   ([`FILES`]), so an import and the query after it share their database. HOME and the
//!   XDG folders point elsewhere; `NO_COLOR=1`, no `COLUMNS`, no terminal: a table is what
//!   a pipe gets, so an example that wants a table says `-F table`.
//! - **Commands** are split as a POSIX shell splits words (quotes, backslashes), never run
//!   by a shell: `NAME=VALUE` before the program sets the environment; the program is
//!   `peel`, `cat FILE` (shows the file; when the folder has no such file yet, the output
//!   shown is written as the file, so the block defines it), or `printf 'TEXT' | peel ...`
//!   (TEXT, with `\n`, `\t` and `\\` read, on stdin). peel's stdout may go through
//!   `| head -n N`, `| cut -cA-B` (characters) and `| grep TEXT` (fixed text). Anything
//!   else (redirections, `$`, globs, other programs) is an error.
//! - **stdout and stderr**: without a pipe both go to one pipe, so the output shown is in
//!   the order peel wrote it (as `2>&1`). With a pipe, stderr's lines come first and then
//!   the filtered stdout (peel writes its notes before its results). A command must fail
//!   (non-zero status) exactly when its output shows a `peel: error:` line.
//! - **Redactions**: in a shown line, `[..]` matches any text within the line; a line that
//!   is exactly `...` matches any number of lines (none included).
//! - **Bless**: `PEEL_README_BLESS=1 cargo test --test cli readme` rewrites the output of
//!   every example that does not match with what peel printed, keeping the redactions that
//!   still match; review the diff before committing.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::Stdio;

use crate::util::*;

/// Files the examples name, copied into every section's folder: the name the README uses
/// and the file in this repository it stands for.
const FILES: &[(&str, &str)] = &[
    (
        "peel-effectiveness-2015-northumbria.txt",
        "tests/fixtures/reports/synthetic-northumbria-2015.txt",
    ),
    (
        "seed/reports/peel-effectiveness-2015-cambridgeshire.txt",
        "seed/reports/peel-effectiveness-2015-cambridgeshire.txt",
    ),
    ("figures.csv", "tests/fixtures/csv/long.csv"),
    (
        "prc-pfa-2017-18.csv",
        "tests/fixtures/csv/home-office-prc.csv",
    ),
    ("fte-2016.csv", "tests/fixtures/csv/bad-value.csv"),
    ("kent.csv", "tests/fixtures/csv/unknown-metrics.csv"),
];

const NOT_EXECUTED: &str = "<!-- not executed:";
const RENDERED_BELOW: &str = "<!-- output: rendered below -->";
const BLESS: &str = "PEEL_README_BLESS";

#[test]
fn readme_examples_print_what_the_readme_shows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = root.join("README.md");
    let text = std::fs::read_to_string(&readme).unwrap();
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let parsed = parse_readme(&lines);
    assert!(
        parsed.examples.len() >= 20,
        "only {} examples found in README.md",
        parsed.examples.len()
    );

    // One folder per section; sections run side by side, examples in order within one.
    let mut sections: BTreeMap<&str, Vec<(usize, &Example)>> = BTreeMap::new();
    for (index, ex) in parsed.examples.iter().enumerate() {
        sections.entry(&ex.section).or_default().push((index, ex));
    }
    let results: Vec<(usize, Outcome)> = std::thread::scope(|scope| {
        let handles: Vec<_> = sections
            .values()
            .map(|examples| scope.spawn(|| run_section(root, &lines, examples)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });

    let bless = std::env::var_os(BLESS).is_some_and(|v| v != "0" && !v.is_empty());
    let mut failures = parsed.errors.clone();
    let mut rewrites = Vec::new();
    for (index, outcome) in results {
        let ex = &parsed.examples[index];
        let mut problems = Vec::new();
        let mut blessed_away = false;
        match &outcome {
            Outcome::Error(e) => problems.push(e.clone()),
            Outcome::Ran {
                lines: actual,
                status,
            } => {
                let expected = &lines[ex.output.clone()];
                if !matches(expected, actual) {
                    // Against what bless would write, so the redactions that still hold
                    // are not shown as differences.
                    let blessed = bless_lines(expected, actual);
                    problems.push(format!("output differs:\n{}", diff(expected, &blessed)));
                    rewrites.push((ex.output.clone(), blessed));
                    blessed_away = bless;
                }
                let shows_error = actual.iter().any(|l| l.starts_with("peel: error:"));
                if (*status == 0) == shows_error {
                    problems.push(format!(
                        "exit status {status}, but the output {} a `peel: error:` line",
                        if shows_error { "has" } else { "has no" }
                    ));
                }
            }
            Outcome::Defined => {}
        }
        // Blessing rewrites the output shown; any other problem still fails.
        if blessed_away && problems.len() == 1 {
            problems.clear();
        }
        if !problems.is_empty() {
            failures.push(format!(
                "README.md:{}: $ {}\n{}",
                ex.line + 1,
                ex.command,
                problems.join("\n")
            ));
        }
    }

    eprintln!(
        "README.md: {} examples executed, {} not executed (in {} marked blocks)",
        parsed.examples.len(),
        parsed.skipped_examples,
        parsed.skipped_blocks
    );
    if bless && !rewrites.is_empty() {
        let mut out = lines.clone();
        rewrites.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
        for (range, new) in &rewrites {
            out.splice(range.clone(), new.iter().cloned());
        }
        let mut new_text = out.join("\n");
        if text.ends_with('\n') {
            new_text.push('\n');
        }
        std::fs::write(&readme, new_text).unwrap();
        eprintln!(
            "README.md: rewrote the output of {} examples ({BLESS}); review the diff",
            rewrites.len()
        );
    }
    assert!(
        failures.is_empty(),
        "{} README examples failed (`{BLESS}=1 cargo test --test cli readme` rewrites the \
         outputs):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// One `$ ...` example: where it is, what runs, and the README lines showing its output.
struct Example {
    section: String,
    /// 0-based line of the `$ `.
    line: usize,
    /// The command as shown, lines joined.
    command: String,
    /// 0-based README lines holding the output shown.
    output: std::ops::Range<usize>,
}

struct Parsed {
    examples: Vec<Example>,
    /// Blocks the harness cannot read, as failures.
    errors: Vec<String>,
    skipped_blocks: usize,
    skipped_examples: usize,
}

fn parse_readme(lines: &[String]) -> Parsed {
    let mut parsed = Parsed {
        examples: Vec::new(),
        errors: Vec::new(),
        skipped_blocks: 0,
        skipped_examples: 0,
    };
    let mut section = String::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if let Some(h) = line.strip_prefix("## ") {
            section = h.trim().to_string();
        }
        if !line.trim_start().starts_with("```") {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut end = start;
        while end < lines.len() && !lines[end].trim_start().starts_with("```") {
            end += 1;
        }
        assert!(end < lines.len(), "README.md:{}: unclosed fence", i + 1);
        let marker = lines[..i]
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.trim());
        let commands: Vec<usize> = (start..end)
            .filter(|&k| lines[k].trim_start().starts_with("$ "))
            .collect();
        if !commands.is_empty() {
            if line.starts_with(' ') {
                parsed.errors.push(format!(
                    "README.md:{}: an indented block of examples (in a list?) is not read: \
                     move it out of the list, or mark it {NOT_EXECUTED} REASON -->",
                    i + 1
                ));
            } else if marker.is_some_and(|m| m.starts_with(NOT_EXECUTED)) {
                parsed.skipped_blocks += 1;
                parsed.skipped_examples += commands.len();
            } else {
                let rendered = marker == Some(RENDERED_BELOW);
                parse_block(lines, &section, start, end, rendered, &mut parsed);
            }
        }
        i = end + 1;
    }
    parsed
}

/// The examples of the block of lines `start..end` (fences excluded).
fn parse_block(
    lines: &[String],
    section: &str,
    start: usize,
    end: usize,
    rendered: bool,
    parsed: &mut Parsed,
) {
    let mut k = start;
    while k < end {
        if !lines[k].starts_with("$ ") {
            // Text before the first command: not part of any example.
            k += 1;
            continue;
        }
        let line = k;
        let mut command = lines[k][2..].to_string();
        k += 1;
        // A quote left open continues the command on the next line.
        while matches!(split(&command), Err(SplitError::Unclosed)) && k < end {
            command.push('\n');
            command.push_str(&lines[k]);
            k += 1;
        }
        let out_start = k;
        while k < end && !lines[k].starts_with("$ ") {
            k += 1;
        }
        let mut output = out_start..k;
        if rendered {
            if !output.is_empty() || k != end || line != start {
                parsed.errors.push(format!(
                    "README.md:{}: {RENDERED_BELOW} needs a block of one command and no output",
                    line + 1
                ));
                return;
            }
            let mut first = end + 1;
            while first < lines.len() && lines[first].trim().is_empty() {
                first += 1;
            }
            let mut last = first;
            while last < lines.len() && !lines[last].trim().is_empty() {
                last += 1;
            }
            output = first..last;
        }
        parsed.examples.push(Example {
            section: section.to_string(),
            line,
            command,
            output,
        });
    }
}

enum Outcome {
    Ran {
        lines: Vec<String>,
        status: i32,
    },
    /// `cat FILE` wrote the file it shows.
    Defined,
    Error(String),
}

/// Runs a section's examples in order in one folder; each result by the example's index.
fn run_section(
    root: &Path,
    lines: &[String],
    examples: &[(usize, &Example)],
) -> Vec<(usize, Outcome)> {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    seeded_db(&work);
    for (name, from) in FILES {
        let to = work.join(name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root.join(from), &to).unwrap();
    }
    examples
        .iter()
        .map(|&(index, ex)| {
            let shown = &lines[ex.output.clone()];
            let outcome = run_example(&ex.command, shown, &work, &home).unwrap_or_else(|e| {
                Outcome::Error(format!(
                    "{e}: give a command the harness runs, or mark the block \
                     `{NOT_EXECUTED} REASON -->`"
                ))
            });
            (index, outcome)
        })
        .collect()
}

/// A stage after peel in a pipeline.
enum Filter {
    Head(usize),
    Cut(usize, usize),
    Grep(String),
}

fn run_example(
    command: &str,
    shown: &[String],
    work: &Path,
    home: &Path,
) -> Result<Outcome, String> {
    let words = split(command).map_err(|e| format!("cannot split the command: {e:?}"))?;
    let mut stages: Vec<Vec<String>> = vec![Vec::new()];
    for w in words {
        match w {
            Tok::Pipe => stages.push(Vec::new()),
            Tok::Word(w) => stages.last_mut().unwrap().push(w),
        }
    }
    if stages.iter().any(Vec::is_empty) {
        return Err("an empty stage in the pipeline".into());
    }
    let mut stages = stages.into_iter();
    let mut first = stages.next().unwrap();
    let mut env = Vec::new();
    while let Some((name, value)) = first.first().and_then(|w| env_assignment(w)) {
        env.push((name, value));
        first.remove(0);
    }
    let mut stdin = None;
    let peel_args = match first.first().map(String::as_str) {
        Some("cat") if first.len() == 2 => {
            if !stages.as_slice().is_empty() {
                return Err("`cat FILE` is only supported on its own".into());
            }
            let path = work.join(&first[1]);
            return Ok(match std::fs::read_to_string(&path) {
                Ok(content) => Outcome::Ran {
                    lines: content.lines().map(str::to_string).collect(),
                    status: 0,
                },
                Err(_) => {
                    let mut content = shown.join("\n");
                    content.push('\n');
                    std::fs::write(&path, content).map_err(|e| e.to_string())?;
                    Outcome::Defined
                }
            });
        }
        Some("printf") if first.len() == 2 => {
            stdin = Some(printf(&first[1])?);
            let next = stages.next().ok_or("printf with nothing to read it")?;
            if next.first().map(String::as_str) != Some("peel") {
                return Err("only peel may read printf's output".into());
            }
            next
        }
        Some("peel") => first,
        _ => return Err(format!("unsupported program in {first:?}")),
    };
    let filters = stages.map(|s| filter(&s)).collect::<Result<Vec<_>, _>>()?;

    let mut cmd = peel();
    cmd.args(&peel_args[1..])
        .current_dir(work)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("COLUMNS")
        .envs(env)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let (text, status) = if filters.is_empty() {
        // One pipe for both streams: the lines in the order peel wrote them.
        let (mut reader, writer) = std::io::pipe().map_err(|e| e.to_string())?;
        cmd.stdout(writer.try_clone().map_err(|e| e.to_string())?)
            .stderr(writer);
        let mut child = cmd.spawn().map_err(|e| e.to_string())?;
        drop(cmd); // its copies of the pipe's writing end, or the read never ends
        if let Some(input) = &stdin {
            let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        }
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
        let status = child.wait().map_err(|e| e.to_string())?;
        (String::from_utf8_lossy(&bytes).into_owned(), status)
    } else {
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| e.to_string())?;
        if let Some(input) = &stdin {
            let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        }
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        let mut lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        for f in &filters {
            lines = apply(f, lines);
        }
        let mut text = String::from_utf8_lossy(&out.stderr).into_owned();
        for l in lines {
            text.push_str(&l);
            text.push('\n');
        }
        (text, out.status)
    };
    Ok(Outcome::Ran {
        lines: text.lines().map(str::to_string).collect(),
        status: status.code().unwrap_or(-1),
    })
}

fn env_assignment(word: &str) -> Option<(String, String)> {
    let (name, value) = word.split_once('=')?;
    let ok = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    ok.then(|| (name.to_string(), value.to_string()))
}

fn printf(format: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('\\') => out.push('\\'),
                other => return Err(format!("printf: unsupported escape \\{other:?}")),
            },
            '%' => return Err("printf: % directives are not supported".into()),
            c => out.push(c),
        }
    }
    Ok(out)
}

fn filter(stage: &[String]) -> Result<Filter, String> {
    let words: Vec<&str> = stage.iter().map(String::as_str).collect();
    let bad = || format!("unsupported pipeline stage {stage:?}");
    match words.as_slice() {
        ["head", "-n", n] => n.parse().map(Filter::Head).map_err(|_| bad()),
        ["cut", spec] => {
            let (a, b) = spec
                .strip_prefix("-c")
                .and_then(|r| r.split_once('-'))
                .ok_or_else(bad)?;
            let a: usize = a.parse().map_err(|_| bad())?;
            let b: usize = b.parse().map_err(|_| bad())?;
            if a == 0 || b < a {
                return Err(bad());
            }
            Ok(Filter::Cut(a, b))
        }
        ["grep", text] if !text.starts_with('-') => Ok(Filter::Grep(text.to_string())),
        _ => Err(bad()),
    }
}

fn apply(filter: &Filter, lines: Vec<String>) -> Vec<String> {
    match filter {
        Filter::Head(n) => lines.into_iter().take(*n).collect(),
        Filter::Cut(a, b) => lines
            .into_iter()
            .map(|l| l.chars().skip(a - 1).take(b - a + 1).collect())
            .collect(),
        Filter::Grep(text) => lines.into_iter().filter(|l| l.contains(text)).collect(),
    }
}

#[derive(Debug, PartialEq)]
enum Tok {
    Word(String),
    Pipe,
}

#[derive(Debug, PartialEq)]
enum SplitError {
    /// A quote is still open: the command goes on on the next line.
    Unclosed,
    /// Shell syntax the harness does not run (a redirection, `$`, a glob...).
    Unsupported(char),
}

/// Splits a command into words and `|` as a POSIX shell does, without expanding anything:
/// a character that would make a shell do more than split is refused.
fn split(text: &str) -> Result<Vec<Tok>, SplitError> {
    let mut toks = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if let Some(w) = word.take() {
                    toks.push(Tok::Word(w));
                }
            }
            '|' => {
                if let Some(w) = word.take() {
                    toks.push(Tok::Word(w));
                }
                toks.push(Tok::Pipe);
            }
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        None => return Err(SplitError::Unclosed),
                        Some('\'') => break,
                        Some(c) => w.push(c),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        None => return Err(SplitError::Unclosed),
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            None => return Err(SplitError::Unclosed),
                            Some(c @ ('"' | '\\' | '$' | '`')) => w.push(c),
                            Some('\n') => {}
                            Some(c) => {
                                w.push('\\');
                                w.push(c);
                            }
                        },
                        Some(c @ ('$' | '`')) => return Err(SplitError::Unsupported(c)),
                        Some(c) => w.push(c),
                    }
                }
            }
            '\\' => match chars.next() {
                None => return Err(SplitError::Unclosed),
                Some('\n') => {}
                Some(c) => word.get_or_insert_with(String::new).push(c),
            },
            '<' | '>' | ';' | '&' | '$' | '`' | '(' | ')' | '*' | '?' | '[' | '{' | '~' => {
                return Err(SplitError::Unsupported(c));
            }
            '#' if word.is_none() => return Err(SplitError::Unsupported(c)),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    if let Some(w) = word {
        toks.push(Tok::Word(w));
    }
    Ok(toks)
}

/// Whether shown lines match actual lines: `[..]` is any text within a line, a line `...`
/// any number of lines.
fn matches<S: AsRef<str>>(shown: &[S], actual: &[String]) -> bool {
    match shown.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first.as_ref() == "..." => {
            (0..=actual.len()).any(|k| matches(rest, &actual[k..]))
        }
        Some((first, rest)) => {
            !actual.is_empty()
                && line_matches(first.as_ref(), &actual[0])
                && matches(rest, &actual[1..])
        }
    }
}

fn line_matches(shown: &str, actual: &str) -> bool {
    let parts: Vec<&str> = shown.split("[..]").collect();
    if parts.len() == 1 {
        return shown == actual;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !actual.starts_with(first) || actual.len() < first.len() + last.len() {
        return false;
    }
    if !actual.ends_with(last) {
        return false;
    }
    let mut rest = &actual[first.len()..actual.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// The output to write when blessing: the actual lines, keeping each shown line that still
/// matches (with its `[..]`) and each `...` that can still stand for some lines.
fn bless_lines<S: AsRef<str>>(shown: &[S], actual: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut j = 0;
    let mut i = 0;
    while i < shown.len() {
        let line = shown[i].as_ref();
        if line == "..." {
            // The next shown line that is not `...`, found again in what is left.
            match shown.get(i + 1).map(AsRef::as_ref) {
                None => j = actual.len(),
                Some(next) => {
                    if let Some(k) = (j..actual.len()).find(|&k| line_matches(next, &actual[k])) {
                        j = k;
                    } else if !shown[i + 1..].iter().any(|l| l.as_ref() == "...") {
                        // The last stretch: keep as many lines at the end as were shown.
                        j = actual.len().saturating_sub(shown.len() - i - 1).max(j);
                    }
                }
            }
            out.push(line.to_string());
        } else if j < actual.len() {
            out.push(if line_matches(line, &actual[j]) {
                line.to_string()
            } else {
                actual[j].clone()
            });
            j += 1;
        }
        i += 1;
    }
    out.extend(actual[j.min(actual.len())..].iter().cloned());
    if matches(&out, actual) {
        out
    } else {
        actual.to_vec()
    }
}

/// A line diff of shown against printed (`-` shown only, `+` printed only).
fn diff<S: AsRef<str>>(shown: &[S], actual: &[String]) -> String {
    let (n, m) = (shown.len(), actual.len());
    // Longest common subsequence, lines matched as the comparison matches them.
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for a in (0..n).rev() {
        for b in (0..m).rev() {
            lcs[a][b] = if line_matches(shown[a].as_ref(), &actual[b]) {
                lcs[a + 1][b + 1] + 1
            } else {
                lcs[a + 1][b].max(lcs[a][b + 1])
            };
        }
    }
    let (mut a, mut b) = (0, 0);
    let mut ops: Vec<(char, &str)> = Vec::new();
    while a < n || b < m {
        if a < n && b < m && line_matches(shown[a].as_ref(), &actual[b]) {
            ops.push((' ', &actual[b]));
            a += 1;
            b += 1;
        } else if b < m && (a == n || lcs[a][b + 1] >= lcs[a + 1][b]) {
            ops.push(('+', &actual[b]));
            b += 1;
        } else {
            ops.push(('-', shown[a].as_ref()));
            a += 1;
        }
    }
    // Three lines of context around each change.
    let near = |k: usize| {
        ops[k.saturating_sub(3)..(k + 4).min(ops.len())]
            .iter()
            .any(|(op, _)| *op != ' ')
    };
    let mut out = String::new();
    let mut skipped = false;
    for (k, (op, line)) in ops.iter().enumerate() {
        if near(k) {
            if skipped {
                out.push_str("  [...]\n");
            }
            skipped = false;
            out.push_str(&format!("{op} {line}\n"));
        } else {
            skipped = true;
        }
    }
    if skipped {
        out.push_str("  [...]\n");
    }
    out
}

#[test]
fn split_reads_quotes_like_a_shell_and_refuses_what_it_would_expand() {
    let words = |s: &str| -> Vec<String> {
        split(s)
            .unwrap()
            .into_iter()
            .map(|t| match t {
                Tok::Word(w) => w,
                Tok::Pipe => "|".into(),
            })
            .collect()
    };
    assert_eq!(
        words(r#"peel sql "SELECT 'a' AS \"b\"" x\ y 'it''s'"#),
        ["peel", "sql", "SELECT 'a' AS \"b\"", "x y", "its"]
    );
    assert_eq!(words("a | b '|'"), ["a", "|", "b", "|"]);
    assert_eq!(split("peel sql \"SELECT 1;\n"), Err(SplitError::Unclosed));
    assert_eq!(split("peel 2>/dev/null"), Err(SplitError::Unsupported('>')));
    assert_eq!(split("echo \"$HOME\""), Err(SplitError::Unsupported('$')));
}

#[test]
fn redactions_match_within_a_line_and_across_lines() {
    let actual: Vec<String> = ["a 12 s", "b", "c", "d"].map(String::from).to_vec();
    assert!(matches(&["a [..] s", "...", "d"], &actual));
    assert!(matches(&["...", "a 12 s", "b", "c", "d", "..."], &actual));
    assert!(!matches(&["a [..] s", "d"], &actual));
    assert!(!line_matches("a[..]a", "a"));
    assert_eq!(
        bless_lines(&["a [..] s", "x", "...", "d"], &actual),
        ["a [..] s", "b", "...", "d"]
    );
    assert_eq!(bless_lines(&["z", "..."], &actual), ["a 12 s", "..."]);
}
