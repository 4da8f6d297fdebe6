//! End-to-end tests of the real `peel` binary. One test target, so one link step.

mod util;

mod bad_input; // the data-driven bad-input catalogue: one-line errors, exit codes, files unchanged
mod concurrency; // an importer and four readers at once: no 'database is locked', no half imports seen
mod crash; // SIGKILL at seeded random moments during a large import: all of it or none, never damage
mod figures; // figure series, rates per head, like-for-like comparisons, the series layout
mod grades; // the grade record: coverage notes, tallies, derived flags, peel import grades
mod hostile; // files someone sent: unsafe views and triggers, saved queries that write; nothing runs
mod import; // report text import: facts in the views, dry runs, duplicates, bad files
mod import_csv; // bulk CSV import: both layouts, bad rows, re-imports, --replace, dry runs
mod init; // building databases: init, the default database, refusing to overwrite
mod limits; // endless queries stop at a time limit; pipes, folders and devices are named; errors quote short excerpts
mod older; // files of an older peel: reading never changes them; a refused write leaves their version
mod open; // files peel must refuse: missing, not a database, newer, foreign
mod parity; // one script through peel sql -f, peel sql, peel < f: the same stdout and stderr
mod pictures; // pictures: -F svg and png, -o FILE, the shell's .mode svg, one-line refusals
mod queries; // canned and saved queries: the catalogue on the seed, parameters, injection, exit codes
mod readme; // the README executed: every `$ ...` example it shows must print what it shows
mod replace; // replacing files with a stale journal or WAL beside them; outputs that are the source or each other
mod seed_facts; // facts from the seed read back through the views, checked by hand
mod share; // export, check, self-description, other clients, hostile files
mod shell; // the shell with piped stdin: every dot-command, errors, completions scripts
mod shell_pty; // the shell in a pseudo-terminal: prompts, completion, Ctrl-C, history
mod sql; // SQL passthrough: formats, stdin, files, errors, exit codes, pipes
mod tamper; // edited definitions: a redefined view, a NOT NULL edited out; check and export
