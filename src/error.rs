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

/// An error and its causes as one line, as anyhow's `{:#}` joins them, without the
/// "Error code 1: SQL logic error" that rusqlite adds under every SQLite message. Shared
/// by `peel`'s exit report and the shell, so a failure reads the same in both.
pub fn error_line(error: &anyhow::Error) -> String {
    let parts: Vec<String> = error
        .chain()
        .filter(|c| !c.is::<rusqlite::ffi::Error>())
        .map(|c| c.to_string())
        .collect();
    crate::exec::one_line(&parts.join(": "))
}
