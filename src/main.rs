//! The `peel` binary: parse the command line, run it, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // clap's own errors are several lines; peel's are one (see app::report_usage).
    let cli = match peel::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return peel::app::report_usage(&error),
    };
    match peel::app::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => peel::app::report(&error),
    }
}
