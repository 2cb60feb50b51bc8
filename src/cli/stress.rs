//! The arguments of `costcalc stress` and `costcalc cheapest`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{CatalogArgs, OutputArgs};
use crate::calendar::YearMonth;
use crate::report;

/// `costcalc stress`: what losing a provider does to each plan.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("loss").required(true).multiple(true)))]
pub struct StressArgs {
    /// The scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// A provider id to lose (repeatable); losses given together happen together.
    #[arg(long, value_name = "PROVIDER", group = "loss")]
    pub lose: Vec<String>,
    /// Lose every provider in this country (two-letter code), or region `EU` or `EEA`
    /// (repeatable).
    #[arg(long, value_name = "CC", group = "loss")]
    pub lose_country: Vec<String>,
    /// Lose every provider the plans use, one at a time, and rank them by damage per plan.
    #[arg(long, group = "loss", conflicts_with_all = ["lose", "lose_country"])]
    pub lose_each: bool,
    /// The month of the loss (YYYY-MM), inside the horizon; its start by default.
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    pub from: Option<YearMonth>,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AnswerFormat::Table)]
    pub format: AnswerFormat,
    #[command(flatten)]
    pub destination: OutputArgs,
    /// Flag prices checked more than this many days before the scenario starts.
    #[arg(long, value_name = "DAYS", default_value_t = 180)]
    pub stale_after: u32,
}

impl StressArgs {
    #[must_use]
    pub fn request(&self) -> crate::stress::Request {
        crate::stress::Request {
            providers: self.lose.clone(),
            countries: self.lose_country.clone(),
            each: self.lose_each,
            from: self.from,
        }
    }
}

/// `costcalc cheapest`: the cheapest offer for each workload that takes its requests and meets
/// the policy, compared with the scenario's plans.
#[derive(Debug, Args)]
pub struct CheapestArgs {
    /// The scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AnswerFormat::Table)]
    pub format: AnswerFormat,
    #[command(flatten)]
    pub destination: OutputArgs,
    /// Flag prices checked more than this many days before the scenario starts.
    #[arg(long, value_name = "DAYS", default_value_t = 180)]
    pub stale_after: u32,
}

/// The formats of `stress` and `cheapest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AnswerFormat {
    Table,
    Markdown,
    Json,
}

impl From<AnswerFormat> for report::Format {
    fn from(format: AnswerFormat) -> Self {
        match format {
            AnswerFormat::Table => report::Format::Table,
            AnswerFormat::Markdown => report::Format::Markdown,
            AnswerFormat::Json => report::Format::Json,
        }
    }
}

fn parse_month(text: &str) -> Result<YearMonth, String> {
    YearMonth::parse(text)
        .ok_or_else(|| format!("expected a month such as 2027-07 (found `{text}`)"))
}
