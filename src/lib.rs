//! peel: an embedded SQLite database of HMIC/HMICFRS PEEL police inspection results for
//! England and Wales, with a command line for analysts.
//!
//! Layers, each depending only on those below it:
//! `app` (commands, exit codes) -> `shell` (interactive and piped) -> `console` (how
//! every result, note and footer is presented) -> `queries` (canned
//! and saved queries), `import` (report text: `report` parses, `import` stores), `seed`,
//! `check`, `export`, `dump` (the shell's `.dump`) -> `load` (the one writer of data, which every importer and the seed
//! call) -> `exec` (the one SQL executor), `resolve` (names to codes) -> `db`, `output` ->
//! `value`.
//! `db` never prints; `output` never runs SQL; parsing never touches the database.

pub mod app;
pub mod check;
pub mod cli;
pub mod console;
pub mod datasette;
pub mod date;
pub mod db;
pub mod dump;
pub mod error;
pub mod exec;
pub mod export;
pub mod import;
pub mod load;
pub mod output;
pub mod queries;
pub mod report;
pub mod resolve;
pub mod seed;
pub mod shell;
pub mod value;
