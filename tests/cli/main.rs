//! End-to-end tests of the real `peel` binary. One test target, so one link step.

mod util;

mod init; // building databases: init, the default database, refusing to overwrite
mod open; // files peel must refuse: missing, not a database, newer, foreign
mod queries; // canned and saved queries: the catalogue on the seed, parameters, injection, exit codes
mod seed_facts; // facts from the seed read back through the views, checked by hand
mod sql; // SQL passthrough: formats, stdin, files, errors, exit codes, pipes
