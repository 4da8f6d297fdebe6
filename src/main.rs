//! The `peel` binary: parse the command line, run it, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = peel::cli::Cli::parse();
    match peel::app::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => peel::app::report(&error),
    }
}
