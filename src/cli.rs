//! The command line: clap types only, converted into the library's options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::engine;
use crate::pricing::CatalogSources;
use crate::report;

/// Estimate and compare annual AI spend on closed and open-weight models, exactly.
#[derive(Debug, Parser)]
#[command(name = "costcalc", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Estimate each plan of one or more scenarios and compare it with the baseline.
    Run(RunArgs),
    /// Check catalog and scenario files and report every problem, without estimating.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// A catalog file, or a folder of them, read after the built-in catalog (repeatable).
    #[arg(long = "pricing", value_name = "PATH")]
    pub pricing: Vec<PathBuf>,
    /// Use only the `--pricing` files, without the built-in catalog.
    #[arg(long)]
    pub no_default_pricing: bool,
}

impl CatalogArgs {
    #[must_use]
    pub fn sources(&self) -> CatalogSources {
        CatalogSources {
            paths: self.pricing.clone(),
            no_default: self.no_default_pricing,
        }
    }
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files (TOML).
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Flag prices checked more than this many days before a scenario starts.
    #[arg(long, value_name = "DAYS", default_value_t = 180)]
    pub stale_after: u32,
}

impl RunArgs {
    #[must_use]
    pub fn engine_options(&self) -> engine::Options {
        engine::Options {
            stale_after_days: self.stale_after,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Catalog or scenario files (TOML); a file with a `[scenario]` table is a scenario.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Json,
}

impl From<FormatArg> for report::Format {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Table => report::Format::Table,
            FormatArg::Json => report::Format::Json,
        }
    }
}
