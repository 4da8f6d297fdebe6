//! peel: an embedded SQLite database of HMIC/HMICFRS PEEL police inspection results for
//! England and Wales, with a command line for analysts.
//!
//! Layers, each depending only on those below it:
//! `app` (commands, exit codes) -> `seed`, `queries` -> `exec`, `resolve` -> `db`,
//! `output` -> `value`. (`queries` runs everything through `exec` and resolves arguments
//! through `resolve`.)
//! `db` never prints; `output` never runs SQL; parsing never touches the database.

pub mod app;
pub mod cli;
pub mod db;
pub mod exec;
pub mod output;
pub mod queries;
pub mod resolve;
pub mod seed;
pub mod value;
