//! The shell's view of canned and saved queries: the [`QueryCatalog`] trait that
//! `.queries`, `.run`, `.save` and Tab completion call, and [`Unavailable`], the stand-in
//! for builds without a query catalogue.
//!
//! The trait keeps the shell independent of how queries are stored: the catalogue is wired
//! in by `app` when the shell starts, through an adapter that implements this trait.

use rusqlite::Connection;

use crate::exec::{ExecError, Summary};
use crate::output::RowSink;

/// One query that `.queries` lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryInfo {
    /// The name `.run` takes.
    pub name: String,
    /// One line saying what it answers (and which arguments it takes).
    pub description: String,
}

/// Why a catalogue call failed. Every variant is shown to the user as one line.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// This build has no query catalogue.
    #[error("canned queries are not available in this build")]
    Unavailable,
    /// No query has that name.
    #[error("no query named {name:?}; .queries lists them")]
    NotFound {
        /// The name asked for.
        name: String,
    },
    /// The arguments do not fit the query (wrong count, a value of the wrong kind).
    #[error("{0}")]
    Arguments(String),
    /// Running the query's SQL failed.
    #[error(transparent)]
    Exec(#[from] ExecError),
    /// Anything else the catalogue needs to say, as one line.
    #[error("{0}")]
    Other(String),
}

/// Canned and saved queries, as the shell uses them.
pub trait QueryCatalog {
    /// Every query, canned and saved, in the order `.queries` shows them.
    fn list(&self, conn: &Connection) -> Result<Vec<QueryInfo>, CatalogError>;

    /// Runs the query `name` with `args` (as typed after `.run NAME`, quotes removed),
    /// sending each result to `sink`, through [`crate::exec::run_script`].
    fn run(
        &self,
        conn: &Connection,
        name: &str,
        args: &[String],
        sink: &mut dyn RowSink,
    ) -> Result<Summary, CatalogError>;

    /// Saves `sql` (the last SQL the shell ran) as the query `name`.
    fn save(
        &self,
        conn: &Connection,
        name: &str,
        sql: &str,
        description: Option<&str>,
    ) -> Result<(), CatalogError>;

    /// Query names for Tab completion; empty when there are none or they cannot be read
    /// (completion never reports errors).
    fn names(&self, conn: &Connection) -> Vec<String>;
}

/// The catalogue of a build without canned queries: every call says so.
#[derive(Debug, Default, Clone, Copy)]
pub struct Unavailable;

impl QueryCatalog for Unavailable {
    fn list(&self, _conn: &Connection) -> Result<Vec<QueryInfo>, CatalogError> {
        Err(CatalogError::Unavailable)
    }

    fn run(
        &self,
        _conn: &Connection,
        _name: &str,
        _args: &[String],
        _sink: &mut dyn RowSink,
    ) -> Result<Summary, CatalogError> {
        Err(CatalogError::Unavailable)
    }

    fn save(
        &self,
        _conn: &Connection,
        _name: &str,
        _sql: &str,
        _description: Option<&str>,
    ) -> Result<(), CatalogError> {
        Err(CatalogError::Unavailable)
    }

    fn names(&self, _conn: &Connection) -> Vec<String> {
        Vec::new()
    }
}
