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
///
/// A picture that was refused (no picture fits the result, a PNG to a terminal) is said
/// alone: it is not a failure to write. A cause whose words end the message before it
/// (an I/O error that an output error already quotes) is not repeated.
pub fn error_line(error: &anyhow::Error) -> String {
    for cause in error.chain() {
        if let Some(refused) = cause
            .downcast_ref::<std::io::Error>()
            .and_then(|e| e.get_ref())
            .and_then(|inner| inner.downcast_ref::<crate::output::Refused>())
        {
            return crate::exec::one_line(&refused.to_string());
        }
    }
    let mut parts: Vec<String> = Vec::new();
    for cause in error.chain().filter(|c| !c.is::<rusqlite::ffi::Error>()) {
        let text = cause.to_string();
        if parts.last().is_some_and(|last| last.ends_with(&text)) {
            continue;
        }
        parts.push(text);
    }
    crate::exec::one_line(&parts.join(": "))
}
