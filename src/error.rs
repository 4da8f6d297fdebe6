//! The errors that decide peel's exit status, shared by every layer that may raise them.

/// A mistake in how peel was called (exit status 2), as opposed to a failure while
/// running (exit status 1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Piped input with --keep-going had errors (each already reported on its own line).
#[derive(Debug, thiserror::Error)]
#[error("{0} statement(s) or command(s) failed")]
pub struct ScriptFailed(pub usize);
