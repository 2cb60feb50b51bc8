//! The `costcalc` binary: parse the command line, run the library, map errors to exit codes.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use costcalc::cli::Cli;
use costcalc::error::EXIT_SUCCESS;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    // A report written to a closed standard output would vanish with exit 0.
    let mut out: Box<dyn Write> = if costcalc::output::standard_output_closed() {
        Box::new(costcalc::output::ClosedOutput)
    } else {
        Box::new(stdout.lock())
    };
    match costcalc::run(&cli, &mut out, &mut std::io::stderr()) {
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
