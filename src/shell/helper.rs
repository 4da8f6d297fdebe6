//! What the line editor knows about peel: Tab completion (dot-commands, tables and
//! views, columns, SQL keywords, query names, file names) and when Enter runs the input.
//!
//! Completion is a pure function of the line and a [`Vocabulary`], so it is tested
//! without a terminal; [`PeelHelper`] only adapts it to rustyline.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use rusqlite::Connection;
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use super::catalog::QueryCatalog;
use super::command::{COMMANDS, format_names};
use crate::exec;

/// The names completion offers, read from the database when the shell starts and again
/// when the schema changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    /// Tables and views, sorted.
    pub tables: Vec<String>,
    /// Columns of each table or view, keyed by its lowercased name.
    pub columns: BTreeMap<String, Vec<String>>,
    /// Canned and saved query names.
    pub queries: Vec<String>,
    /// For each query, the values each argument position can take.
    pub arguments: BTreeMap<String, Vec<Vec<String>>>,
}

/// Argument positions read for completion: no canned query takes more.
const COMPLETED_ARGUMENTS: usize = 4;

impl Vocabulary {
    /// Reads table, view and column names, and query names from `catalog`. Anything that
    /// cannot be read is left out: completion never fails.
    pub fn load(conn: &Connection, catalog: &dyn QueryCatalog) -> Vocabulary {
        let mut v = Vocabulary {
            queries: catalog.names(conn),
            ..Vocabulary::default()
        };
        for query in &v.queries {
            let positions: Vec<Vec<String>> = (0..COMPLETED_ARGUMENTS)
                .map(|i| {
                    let mut values = catalog.argument_values(conn, query, i);
                    values.retain(|value| is_plain(value));
                    values
                })
                .collect();
            v.arguments.insert(query.clone(), positions);
        }
        let names: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') \
                 AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
            )
            .and_then(|mut s| {
                s.query_map([], |r| r.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap_or_default();
        // Names from a file someone else made may hold escape sequences or bidi
        // controls; completion would write them to the terminal, so they are not offered.
        let names: Vec<String> = names.into_iter().filter(|n| is_plain(n)).collect();
        for name in &names {
            let columns: Vec<String> = conn
                .prepare("SELECT name FROM pragma_table_info(?1)")
                .and_then(|mut s| {
                    s.query_map([name], |r| r.get::<_, String>(0))?
                        .collect::<Result<Vec<_>, _>>()
                })
                .unwrap_or_default();
            let columns = columns.into_iter().filter(|c| is_plain(c)).collect();
            v.columns.insert(name.to_lowercase(), columns);
        }
        v.tables = names;
        v
    }
}

/// Text that can be shown on a terminal as it is: no control or bidi characters.
fn is_plain(text: &str) -> bool {
    !text
        .chars()
        .any(|c| c.is_control() || crate::output::safe::is_bidi_control(c))
}

/// SQL keywords as SQLite knows them, plus the functions analysts use most.
pub fn keywords() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        const FUNCTIONS: &[&str] = &[
            "ABS",
            "AVG",
            "CEIL",
            "COALESCE",
            "COUNT",
            "DATE",
            "DATETIME",
            "DENSE_RANK",
            "FLOOR",
            "GROUP_CONCAT",
            "IFNULL",
            "IIF",
            "INSTR",
            "JSON_EXTRACT",
            "JULIANDAY",
            "LAG",
            "LEAD",
            "LENGTH",
            "LN",
            "LOWER",
            "MAX",
            "MIN",
            "NTILE",
            "NULLIF",
            "POW",
            "PRINTF",
            "RANK",
            "REPLACE",
            "ROUND",
            "ROW_NUMBER",
            "SQRT",
            "STRFTIME",
            "SUBSTR",
            "SUM",
            "TOTAL",
            "TRIM",
            "TYPEOF",
            "UPPER",
        ];
        let mut words: Vec<String> = FUNCTIONS.iter().map(|s| s.to_string()).collect();
        // SAFETY: sqlite3_keyword_count takes no arguments and only reads a constant table.
        let count = unsafe { rusqlite::ffi::sqlite3_keyword_count() };
        for i in 0..count {
            let mut ptr: *const std::ffi::c_char = std::ptr::null();
            let mut len: std::ffi::c_int = 0;
            // SAFETY: i is in range; on success SQLite points `ptr` at `len` bytes of a
            // static, never-freed keyword table (not NUL-terminated).
            let rc = unsafe { rusqlite::ffi::sqlite3_keyword_name(i, &mut ptr, &mut len) };
            if rc == rusqlite::ffi::SQLITE_OK && !ptr.is_null() && len > 0 {
                // SAFETY: see above; the bytes are ASCII letters.
                let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len as usize) };
                words.push(String::from_utf8_lossy(bytes).into_owned());
            }
        }
        words.sort();
        words.dedup();
        words
    })
}

/// Keywords after which only a table or view name makes sense.
const TABLE_CONTEXT: &[&str] = &["FROM", "JOIN", "INTO", "UPDATE", "TABLE"];

/// Dot-commands whose first argument is a file name (completed by rustyline's own
/// completer).
const FILE_COMMANDS: &[&str] = &["read", "output", "once"];

/// Dot-commands whose file name may follow options (`.open --new FILE`).
const FILE_AFTER_OPTIONS: &[&str] = &["open", "import"];

fn starts_with_ignore_case(word: &str, prefix: &str) -> bool {
    word.len() >= prefix.len()
        && word.is_char_boundary(prefix.len())
        && word[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn matching<'a>(words: impl IntoIterator<Item = &'a String>, prefix: &str) -> Vec<String> {
    words
        .into_iter()
        .filter(|w| starts_with_ignore_case(w, prefix))
        .cloned()
        .collect()
}

/// The dot-command being typed and where its current argument starts, if the line is a
/// dot-command past its name.
fn dot_argument(line: &str) -> Option<(&str, usize, usize)> {
    let trimmed = line.trim_start();
    let body = trimmed.strip_prefix('.')?;
    let name_end = body.find(char::is_whitespace)?;
    let arg_start = line.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let index = body[name_end..].split_whitespace().count()
        - usize::from(line.ends_with(|c: char| !c.is_whitespace()));
    Some((&body[..name_end], arg_start, index))
}

/// Completions for the text before the cursor: where the replaced word starts and the
/// candidates, sorted. File names for `.read`, `.output` and `.once` are left to
/// rustyline's file completer ([`wants_file_name`]).
pub fn complete(before: &str, vocabulary: &Vocabulary) -> (usize, Vec<String>) {
    let trimmed = before.trim_start();
    if let Some(body) = trimmed.strip_prefix('.') {
        let Some((name, start, index)) = dot_argument(before) else {
            // Still typing the command's name.
            let start = before.len() - body.len() - 1;
            let names = COMMANDS
                .iter()
                .filter(|s| s.name.starts_with(&body.to_ascii_lowercase()))
                .map(|s| format!(".{}", s.name))
                .collect();
            return (start, names);
        };
        let prefix = &before[start..];
        let fixed = |options: &[&str]| -> Vec<String> {
            options
                .iter()
                .filter(|o| starts_with_ignore_case(o, prefix))
                .map(|o| o.to_string())
                .collect()
        };
        let candidates = match (name.to_ascii_lowercase().as_str(), index) {
            ("help", 0) => COMMANDS
                .iter()
                .filter(|s| s.name.starts_with(prefix.trim_start_matches('.')))
                .map(|s| s.name.to_string())
                .collect(),
            ("tables" | "schema" | "dump", 0) => matching(&vocabulary.tables, prefix),
            ("mode", 0) => matching(&format_names(), prefix),
            ("headers" | "timer" | "footer", 0) => fixed(&["on", "off"]),
            ("param" | "parameter", 0) => fixed(&["set", "unset", "list", "clear"]),
            ("run", 0) => matching(&vocabulary.queries, prefix),
            ("run", i) => {
                let query = trimmed.split_whitespace().nth(1).unwrap_or_default();
                vocabulary
                    .arguments
                    .get(query)
                    .and_then(|positions| positions.get(i - 1))
                    .map(|values| matching(values, prefix))
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        };
        return (start, candidates);
    }

    // SQL: the identifier being typed, and the word before it.
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || c == '_')
        .last()
        .map_or(before.len(), |(i, _)| i);
    let prefix = &before[start..];
    if let Some(qualifier) = before[..start].strip_suffix('.') {
        // `table.col`: the columns of that table (an alias gets every column).
        let q_start = qualifier
            .char_indices()
            .rev()
            .take_while(|&(_, c)| c.is_alphanumeric() || c == '_')
            .last()
            .map_or(qualifier.len(), |(i, _)| i);
        let table = qualifier[q_start..].to_lowercase();
        let mut out = match vocabulary.columns.get(&table) {
            Some(cols) => matching(cols, prefix),
            None => matching(vocabulary.columns.values().flatten(), prefix),
        };
        out.sort();
        out.dedup();
        return (start, out);
    }
    let previous = before[..start]
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .rfind(|w| !w.is_empty())
        .unwrap_or("")
        .to_ascii_uppercase();
    let mut out = matching(&vocabulary.tables, prefix);
    if !TABLE_CONTEXT.contains(&previous.as_str()) && !prefix.is_empty() {
        out.extend(matching(vocabulary.columns.values().flatten(), prefix));
        // Keywords follow the case the user types in.
        let lower = prefix.chars().all(|c| !c.is_uppercase());
        out.extend(
            matching(keywords(), prefix)
                .into_iter()
                .map(|k| if lower { k.to_lowercase() } else { k }),
        );
    }
    out.sort();
    out.dedup();
    (start, out)
}

/// True when the cursor is in the file-name argument of `.read`, `.output` or `.once`,
/// or in any argument of `.open` and `.import` that is not an option.
pub fn wants_file_name(before: &str) -> bool {
    match dot_argument(before) {
        Some((name, start, index)) => {
            let name = name.to_ascii_lowercase();
            (index == 0 && FILE_COMMANDS.contains(&name.as_str()))
                || (FILE_AFTER_OPTIONS.contains(&name.as_str())
                    && !before[start..].starts_with('-'))
        }
        None => false,
    }
}

/// True when Enter should hand the input to the shell: a dot-command, a blank line, a
/// complete statement, or a single line (the shell then asks for the rest under its
/// continuation prompt). Only input that already spans lines (pasted, or a multi-line
/// statement recalled from history) stays in the editor until it is complete, so that it
/// can still be edited as a whole.
pub fn accepts(input: &str) -> bool {
    let trimmed = input.trim_start();
    !input.contains('\n') || trimmed.starts_with('.') || exec::is_complete(input)
}

/// The rustyline helper: completion and the Enter rule, no hints or colours.
pub struct PeelHelper {
    /// The names completion offers; the shell replaces it when the schema changes.
    pub vocabulary: Vocabulary,
    files: FilenameCompleter,
}

impl PeelHelper {
    /// A helper offering `vocabulary`.
    pub fn new(vocabulary: Vocabulary) -> Self {
        PeelHelper {
            vocabulary,
            files: FilenameCompleter::new(),
        }
    }
}

impl Completer for PeelHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = &line[..pos];
        if wants_file_name(before) {
            return self.files.complete(line, pos, ctx);
        }
        let (start, words) = complete(before, &self.vocabulary);
        Ok((
            start,
            words
                .into_iter()
                .map(|w| Pair {
                    display: w.clone(),
                    replacement: w,
                })
                .collect(),
        ))
    }
}

impl Hinter for PeelHelper {
    type Hint = String;
}

impl Highlighter for PeelHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        Cow::Borrowed(line)
    }
}

impl Validator for PeelHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if accepts(ctx.input()) {
            ValidationResult::Valid(None)
        } else {
            ValidationResult::Incomplete
        })
    }
}

impl Helper for PeelHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        let mut columns = BTreeMap::new();
        columns.insert(
            "v_judgments".to_string(),
            vec!["area_name".into(), "grade".into(), "grade_rank".into()],
        );
        columns.insert(
            "areas".to_string(),
            vec!["code".into(), "name".into(), "kind".into()],
        );
        Vocabulary {
            tables: vec![
                "areas".into(),
                "v_judgments".into(),
                "v_metric_values".into(),
            ],
            columns,
            queries: vec!["worst-graded".into(), "force-history".into()],
            arguments: BTreeMap::from([(
                "worst-graded".to_string(),
                vec![
                    vec!["2015".into(), "2016".into()],
                    vec!["effectiveness".into(), "efficiency".into()],
                ],
            )]),
        }
    }

    fn words(before: &str) -> Vec<String> {
        complete(before, &vocabulary()).1
    }

    #[test]
    fn names_with_escape_sequences_or_bidi_controls_are_never_offered() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE areas (code, \"na\u{1b}]0;x\u{7}me\");
             CREATE TABLE \"evil\u{1b}[2J\" (x);
             CREATE TABLE \"rtl\u{202e}txt\" (x);",
        )
        .unwrap();
        let v = Vocabulary::load(&conn, &crate::shell::catalog::Unavailable);
        assert_eq!(v.tables, ["areas"]);
        assert_eq!(v.columns["areas"], ["code"]);
    }

    #[test]
    fn dot_command_names_complete() {
        assert_eq!(words(".ta"), vec![".tables"]);
        assert_eq!(words(".h"), vec![".help", ".headers"]);
        assert_eq!(complete("  .mo", &vocabulary()).0, 2);
        assert_eq!(words(".").len(), COMMANDS.len());
    }

    #[test]
    fn dot_command_arguments_complete() {
        assert_eq!(words(".schema v_"), vec!["v_judgments", "v_metric_values"]);
        assert_eq!(words(".tables a"), vec!["areas"]);
        assert_eq!(words(".mode j"), vec!["json", "jsonl"]);
        assert_eq!(words(".headers o"), vec!["on", "off"]);
        assert_eq!(words(".run wor"), vec!["worst-graded"]);
        assert_eq!(words(".run worst-graded 201"), vec!["2015", "2016"]);
        assert_eq!(
            words(".run worst-graded 2016 eff"),
            vec!["effectiveness", "efficiency"]
        );
        assert!(words(".run force-history x").is_empty());
        assert_eq!(words(".help mo"), vec!["mode"]);
        assert_eq!(words(".param s"), vec!["set"]);
        // Only the first argument is completed.
        assert!(words(".schema areas a").is_empty());
        assert_eq!(complete(".schema v_j", &vocabulary()).0, 8);
        assert!(wants_file_name(".read qu"));
        assert!(wants_file_name(".once "));
        assert!(!wants_file_name(".read a.sql b"));
        assert!(wants_file_name(".open "));
        assert!(wants_file_name(".open --new ot"));
        assert!(!wants_file_name(".open --n"));
        assert!(wants_file_name(".import --csv fig"));
        assert_eq!(words(".dump a"), vec!["areas"]);
        assert!(!wants_file_name("SELECT 1"));
    }

    #[test]
    fn table_names_complete_after_from() {
        let (start, w) = complete("SELECT * FROM v_ju", &vocabulary());
        assert_eq!((start, w), (14, vec!["v_judgments".to_string()]));
        // After FROM, only tables and views: no keywords or columns.
        assert_eq!(words("select * from a"), vec!["areas"]);
        assert_eq!(
            words("SELECT * FROM "),
            vec!["areas", "v_judgments", "v_metric_values"]
        );
    }

    #[test]
    fn columns_and_keywords_complete_in_the_typed_case() {
        assert_eq!(words("SELECT gra"), vec!["grade", "grade_rank"]);
        assert_eq!(
            words("SELECT grade FROM v_judgments WH"),
            vec!["WHEN", "WHERE"]
        );
        assert_eq!(
            words("select grade from v_judgments wh"),
            vec!["when", "where"]
        );
        assert!(words("SELECT COU").contains(&"COUNT".to_string()));
        assert!(words("SELECT cou").contains(&"count".to_string()));
        // A qualified name offers that table's columns only.
        assert_eq!(words("SELECT areas.n"), vec!["name"]);
        assert_eq!(words("SELECT a.k"), vec!["kind"]);
        assert!(keywords().iter().any(|k| k == "SELECT"));
    }

    #[test]
    fn enter_runs_single_lines_and_holds_incomplete_multi_line_input() {
        assert!(accepts("SELECT 1"));
        assert!(accepts(".tables"));
        assert!(accepts("SELECT 1,\n 2;"));
        assert!(!accepts("SELECT 1,\n 2"));
        assert!(!accepts("SELECT ';\n'"));
    }
}
