//! The shell's view of canned and saved queries: the [`QueryCatalog`] trait that
//! `.queries`, `.run`, `.save` and Tab completion call, and [`Unavailable`], the stand-in
//! for builds without a query catalogue.
//!
//! The trait keeps the shell independent of how queries are stored: the catalogue is wired
//! in by `app` when the shell starts, through an adapter that implements this trait.

use rusqlite::Connection;

use crate::exec::ExecError;
use crate::queries::Call;

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

    /// Resolves the arguments of the query `name` (as typed after `.run NAME`, quotes
    /// removed) into a call ready to present.
    fn prepare(&self, conn: &Connection, name: &str, args: &[String])
    -> Result<Call, CatalogError>;

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

    /// Values Tab completion offers for the argument at `position` (0-based) of the query
    /// `name`: forces, metrics, years... Empty when unknown.
    fn argument_values(&self, _conn: &Connection, _name: &str, _position: usize) -> Vec<String> {
        Vec::new()
    }
}

/// The catalogue of a build without canned queries: every call says so.
#[derive(Debug, Default, Clone, Copy)]
pub struct Unavailable;

impl QueryCatalog for Unavailable {
    fn list(&self, _conn: &Connection) -> Result<Vec<QueryInfo>, CatalogError> {
        Err(CatalogError::Unavailable)
    }

    fn prepare(
        &self,
        _conn: &Connection,
        _name: &str,
        _args: &[String],
    ) -> Result<Call, CatalogError> {
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

/// The real catalogue: peel's canned queries and the file's saved queries
/// ([`crate::queries`]). Queries run read-only, as from `peel run`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Catalogue;

impl From<crate::queries::QueryError> for CatalogError {
    fn from(e: crate::queries::QueryError) -> Self {
        use crate::queries::QueryError;
        match e {
            QueryError::UnknownQuery { .. } => CatalogError::Other(e.to_string()),
            QueryError::Exec(exec) => CatalogError::Exec(exec),
            e if e.is_usage() => CatalogError::Arguments(e.to_string()),
            e => CatalogError::Other(e.to_string()),
        }
    }
}

impl QueryCatalog for Catalogue {
    fn list(&self, conn: &Connection) -> Result<Vec<QueryInfo>, CatalogError> {
        Ok(crate::queries::list(Some(conn))?
            .into_iter()
            .map(|q| QueryInfo {
                description: format!("{} ({}): {}", q.usage, q.origin.as_str(), q.summary),
                name: q.name,
            })
            .collect())
    }

    fn prepare(
        &self,
        conn: &Connection,
        name: &str,
        args: &[String],
    ) -> Result<Call, CatalogError> {
        Ok(crate::queries::prepare(conn, name, args)?)
    }

    fn save(
        &self,
        conn: &Connection,
        name: &str,
        sql: &str,
        description: Option<&str>,
    ) -> Result<(), CatalogError> {
        crate::queries::save(conn, name, description.unwrap_or(""), sql, false)?;
        Ok(())
    }

    fn names(&self, conn: &Connection) -> Vec<String> {
        crate::queries::complete_names(Some(conn), "")
    }

    fn argument_values(&self, conn: &Connection, name: &str, position: usize) -> Vec<String> {
        let before = vec![String::from("_"); position];
        crate::queries::complete_argument(conn, name, &before, "")
            .into_iter()
            .filter(|v| !v.contains('='))
            .collect()
    }
}
