//! The `costcalc` binary: parse the command line, run the library, map errors to exit codes.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use costcalc::cli::Cli;
use costcalc::error::EXIT_SUCCESS;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    match costcalc::run(&cli.command, &mut stdout.lock()) {
        Ok(()) => ExitCode::from(EXIT_SUCCESS),
        Err(error) => {
            // If stderr itself is gone there is nobody left to tell.
            let _ = std::io::stderr()
                .lock()
                .write_all(error.report().as_bytes());
            ExitCode::from(error.exit_code())
        }
    }
}
