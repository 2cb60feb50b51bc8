//! The command line: clap types only, converted into the library's options.

mod examples;
mod stress;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rust_decimal::Decimal;

use crate::calendar::{DATE_RANGE, Date};
use crate::component::Component;
use crate::engine;
use crate::error::Error;
use crate::estimate::Quantities;
use crate::pricing::{CatalogSources, ServiceTier, Weights};
use crate::query;
use crate::report;
pub use stress::{AnswerFormat, CheapestArgs, StressArgs};

/// Estimate and compare annual AI spend on closed and open-weight models, exactly.
#[derive(Debug, Parser)]
#[command(name = "costcalc", version, about, long_about = None, after_help = examples::COSTCALC)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub terminal: TerminalArgs,
}

/// How terminal tables are laid out: accepted before or after any command.
#[derive(Debug, Default, Args)]
pub struct TerminalArgs {
    /// Lay tables out for this many columns (40 to 1000) instead of the terminal's width, or
    /// `COLUMNS`, or 120 when the output is not a terminal. Narrow tables wrap text and may
    /// leave columns out, saying which.
    #[arg(long, global = true, value_name = "COLUMNS", value_parser = crate::terminal::screen::parse_width)]
    pub width: Option<u16>,
    /// When to colour tables: bold headers, savings green, losses red. `auto` colours a
    /// terminal unless `NO_COLOR` is set; CSV, JSON and Markdown are never coloured.
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorArg {
    #[default]
    Auto,
    Always,
    Never,
}

impl TerminalArgs {
    /// The screen reports are laid out for, from these flags, the environment and the terminal.
    #[must_use]
    pub fn screen(&self) -> crate::terminal::screen::Screen {
        use crate::terminal::screen::{ColorChoice, Screen};
        let choice = match self.color {
            ColorArg::Auto => ColorChoice::Auto,
            ColorArg::Always => ColorChoice::Always,
            ColorArg::Never => ColorChoice::Never,
        };
        Screen::detect(self.width, choice)
    }
}

/// Where a report goes.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Write the report to this file (atomically: a failed write leaves an existing file as it
    /// was) instead of standard output; `-` is standard output.
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// Where a quote goes: `quote` spends `--output` on output tokens, so the file is `--out`.
#[derive(Debug, Args)]
pub struct QuoteOutputArgs {
    /// Write the report to this file (atomically: a failed write leaves an existing file as it
    /// was) instead of standard output; `-` is standard output.
    #[arg(long = "out", short = 'o', value_name = "PATH")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
#[expect(
    clippy::large_enum_variant,
    reason = "one command is parsed per process; boxing would only add noise"
)]
pub enum Command {
    /// Estimate each plan of one or more scenarios and compare it with the baseline.
    #[command(after_help = examples::RUN)]
    Run(RunArgs),
    /// Check catalog and scenario files and report every problem, without estimating.
    #[command(after_help = examples::CHECK)]
    Check(CheckArgs),
    /// List the offers of the catalog with their prices, filtered and sorted.
    #[command(after_help = examples::MODELS)]
    Models(ModelsArgs),
    /// Price one request (or N of them) at every matching offer, cheapest first.
    #[command(after_help = examples::QUOTE)]
    Quote(QuoteArgs),
    /// Find the volumes at which two plans cost the same in year 1, another year or the horizon.
    #[command(after_help = examples::BREAKEVEN)]
    Breakeven(BreakevenArgs),
    /// Find the volume at which a plan saves a target amount in year 1, another year or the
    /// horizon.
    #[command(after_help = examples::SOLVE)]
    Solve(SolveArgs),
    /// Compare two estimates (saved JSON reports or scenarios) and explain what moved.
    #[command(after_help = examples::DIFF)]
    Diff(DiffArgs),
    /// Lose a provider (or a country's providers) from a month on: where each plan's traffic
    /// moves, what it costs, and what is stranded.
    #[command(after_help = examples::STRESS)]
    Stress(StressArgs),
    /// The cheapest offer for each workload that takes its requests and meets the policy.
    #[command(after_help = examples::CHEAPEST)]
    Cheapest(CheapestArgs),
    /// Price usage exports at list prices, compare offers on them, or turn them into a scenario.
    #[command(after_help = examples::USAGE)]
    Usage(Box<UsageArgs>),
    /// Import prices from litellm, genai-prices, models.dev or openrouter data, report drift, or
    /// export the catalog's prices as a table.
    #[command(subcommand, after_help = examples::CATALOG)]
    Catalog(CatalogCommand),
    /// Show how each plan's savings move with every assumption, ranked, and where they tip.
    #[command(after_help = examples::SENSITIVITY)]
    Sensitivity(SensitivityArgs),
    /// Print a shell completion script to standard output.
    #[command(after_help = examples::COMPLETIONS)]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) of costcalc or of one command, or write every page into a
    /// folder.
    #[command(after_help = examples::MAN)]
    Man(ManArgs),
}

/// `costcalc completions SHELL`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell the script is for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// `costcalc man [COMMAND]...` or `costcalc man --dir DIR`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print, such as `run` or `catalog import`; costcalc's own page
    /// without it.
    #[arg(value_name = "COMMAND", conflicts_with = "dir")]
    pub command: Vec<String>,
    /// Write every page into this existing folder (`costcalc.1`, `costcalc-run.1`, ...), each
    /// file replaced atomically, instead of printing one.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `costcalc usage`: usage exports in, their cost at the catalog's prices out.
#[derive(Debug, Args)]
pub struct UsageArgs {
    /// Usage exports: `OpenAI` or Anthropic usage JSON, `OpenRouter` activity JSON, `LiteLLM`
    /// spend logs, costcalc CSV, or Claude Code logs (a file or a folder).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Read every file as this format instead of detecting it: openai, anthropic, openrouter,
    /// claude-code, litellm or costcalc.
    #[arg(long, value_name = "NAME")]
    pub input_format: Option<String>,
    /// What rows are grouped by.
    #[arg(long, value_enum, default_value_t = GroupByArg::Model)]
    pub group_by: GroupByArg,
    /// Leave out records dated before this day (YYYY-MM-DD); they are counted in the notes.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<Date>,
    /// Leave out records dated after this day (YYYY-MM-DD); they are counted in the notes.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub until: Option<Date>,
    /// Price an exported model name at this offer: NAME=MODEL@PROVIDER (repeatable).
    #[arg(long = "map", value_name = "NAME=OFFER")]
    pub map: Vec<String>,
    /// A TOML file with a `[map]` table of `"exported name" = "model@provider"`.
    #[arg(long, value_name = "PATH")]
    pub map_file: Option<PathBuf>,
    /// Reprice the traffic at these offers (`model@provider`), cheapest first; without a value,
    /// at every offer matching `--weights`, `--origin`, `--provider` and `--model`.
    #[arg(long, value_name = "OFFER", num_args = 0..)]
    pub compare: Option<Vec<String>>,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Also write a scenario built from the traffic to this file (TOML), for `costcalc run`.
    #[arg(long, value_name = "PATH")]
    pub scenario_out: Option<PathBuf>,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    #[command(flatten)]
    pub destination: OutputArgs,
}

/// What `usage` groups rows by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupByArg {
    Model,
    Provider,
    Project,
    Key,
    Workload,
}

impl From<GroupByArg> for crate::usage::GroupBy {
    fn from(group_by: GroupByArg) -> Self {
        use crate::usage::GroupBy;
        match group_by {
            GroupByArg::Model => GroupBy::Model,
            GroupByArg::Provider => GroupBy::Provider,
            GroupByArg::Project => GroupBy::Project,
            GroupByArg::Key => GroupBy::Key,
            GroupByArg::Workload => GroupBy::Workload,
        }
    }
}

/// `costcalc catalog ...`: the catalog against other projects' price data.
#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Write the mapped offers' prices from a dataset as catalog TOML, checked like any
    /// hand-written file; with `--suggest`, list entries not mapped yet.
    #[command(after_help = examples::CATALOG_IMPORT)]
    Import(ImportArgs),
    /// Compare every mapped offer with a dataset, component by component.
    #[command(after_help = examples::CATALOG_DRIFT)]
    Drift(DriftArgs),
    /// Write every offer's prices as one table, a row per offer, component, long-context tier
    /// and service tier, for pricing usage in SQL (see docs/price-usage.sql).
    #[command(after_help = examples::CATALOG_EXPORT)]
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormatArg::Csv)]
    pub format: ExportFormatArg,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    #[command(flatten)]
    pub destination: OutputArgs,
}

/// What `catalog export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    /// Comma-separated values with a header row.
    Csv,
}

/// A dataset `catalog` reads.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SourceArg {
    /// The litellm price map (`model_prices_and_context_window.json`).
    Litellm,
    /// genai-prices' v2 data.json.
    GenaiPrices,
    /// models.dev's repository folder (or its providers folder).
    #[value(name = "models.dev", alias = "models-dev")]
    ModelsDev,
    /// A saved openrouter models list (`/api/v1/models`).
    Openrouter,
}

impl SourceArg {
    #[must_use]
    pub fn source(self) -> crate::catalog_import::Source {
        use crate::catalog_import::Source;
        match self {
            SourceArg::Litellm => Source::Litellm,
            SourceArg::GenaiPrices => Source::GenaiPrices,
            SourceArg::ModelsDev => Source::ModelsDev,
            SourceArg::Openrouter => Source::Openrouter,
        }
    }
}

/// What `catalog import` and `catalog drift` both read.
#[derive(Debug, Args)]
pub struct DatasetArgs {
    /// Which dataset.
    #[arg(value_enum, value_name = "SOURCE")]
    pub source: SourceArg,
    /// The dataset's file (models.dev: its folder).
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// The dataset's date (YYYY-MM-DD): the `as_of` of imported prices, and the day whose
    /// prices are taken where a dataset records dated changes.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Date,
    /// The mapping file.
    #[arg(long, value_name = "PATH", default_value = crate::catalog_import::mapping::DEFAULT_PATH)]
    pub map: PathBuf,
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub dataset: DatasetArgs,
    /// The catalog file to write (replaced atomically, only if the result is valid).
    #[arg(long, value_name = "PATH", required_unless_present = "suggest")]
    pub into: Option<PathBuf>,
    /// List the dataset's entries for the mapped providers that no mapping line names yet.
    #[arg(long, conflicts_with = "into")]
    pub suggest: bool,
}

#[derive(Debug, Args)]
pub struct DriftArgs {
    #[command(flatten)]
    pub dataset: DatasetArgs,
    /// Differences of at most this many percent are listed but do not count as drift.
    #[arg(long, value_name = "PCT", default_value = "0", value_parser = parse_amount)]
    pub threshold: Decimal,
    /// Exit 1 when something differs beyond the threshold or is to be retired.
    #[arg(long)]
    pub fail_on_drift: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AnswerFormatArg::Table)]
    pub format: AnswerFormatArg,
}

#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// The scenario file (TOML); its `[ranges]` table sets how far each assumption moves.
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    #[command(flatten)]
    pub destination: OutputArgs,
}

/// The range of volume multiples `breakeven` and `solve` search.
#[derive(Debug, Args)]
pub struct RangeArgs {
    /// The smallest multiple of the scenario's volume searched (at least 0.000001).
    #[arg(long, value_name = "FACTOR", default_value = "0.01", value_parser = parse_factor)]
    pub from: Decimal,
    /// The largest multiple of the scenario's volume searched (at most 1000000000).
    #[arg(long, value_name = "FACTOR", default_value = "100", value_parser = parse_factor)]
    pub to: Decimal,
}

/// A volume multiple: a positive number. Its bounds are checked with the range, so that the
/// library refuses the same values.
fn parse_factor(text: &str) -> Result<Decimal, String> {
    text.replace('_', "")
        .parse::<Decimal>()
        .ok()
        .filter(|d| d.is_sign_positive() && !d.is_zero())
        .ok_or_else(|| {
            format!("expected a positive multiple of the volume such as 0.5 (found `{text}`)")
        })
}

/// The period `breakeven` and `solve` compare costs over.
#[derive(Debug, Args)]
pub struct PeriodArgs {
    /// Compare costs over year N of the horizon (1 for its first twelve months); the last year
    /// may be shorter. Year 1 without it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub year: Option<u32>,
    /// Compare costs over the whole horizon, one-time costs included.
    #[arg(long, conflicts_with = "year")]
    pub horizon: bool,
}

impl PeriodArgs {
    #[must_use]
    pub fn over(&self) -> crate::solve::Over {
        match (self.horizon, self.year) {
            (true, _) => crate::solve::Over::Horizon,
            (false, year) => crate::solve::Over::Year(year.unwrap_or(1)),
        }
    }
}

impl RangeArgs {
    #[must_use]
    pub fn range(&self) -> crate::solve::Range {
        crate::solve::Range {
            from: self.from,
            to: self.to,
        }
    }
}

#[derive(Debug, Args)]
pub struct BreakevenArgs {
    /// The scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// The plan to compare.
    #[arg(long, value_name = "PLAN")]
    pub plan: String,
    /// The plan to compare it with.
    #[arg(long, value_name = "PLAN")]
    pub versus: String,
    #[command(flatten)]
    pub period: PeriodArgs,
    #[command(flatten)]
    pub range: RangeArgs,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AnswerFormatArg::Table)]
    pub format: AnswerFormatArg,
    /// Indent a JSON report for reading; without it JSON is compact, one line.
    #[arg(long)]
    pub pretty: bool,
}

#[derive(Debug, Args)]
pub struct SolveArgs {
    /// The scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// The plan whose savings are solved for.
    #[arg(long, value_name = "PLAN")]
    pub plan: String,
    /// Savings against the baseline to reach over the period (year 1 unless `--year` or
    /// `--horizon` says otherwise), in the scenario's currency.
    #[arg(long, value_name = "AMOUNT", value_parser = parse_amount)]
    pub target_savings: Decimal,
    #[command(flatten)]
    pub period: PeriodArgs,
    #[command(flatten)]
    pub range: RangeArgs,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AnswerFormatArg::Table)]
    pub format: AnswerFormatArg,
    /// Indent a JSON report for reading; without it JSON is compact, one line.
    #[arg(long)]
    pub pretty: bool,
}

fn parse_amount(text: &str) -> Result<Decimal, String> {
    text.replace(['_', ','], "")
        .parse::<Decimal>()
        .map_err(|_| format!("expected an amount such as 400000 (found `{text}`)"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AnswerFormatArg {
    Table,
    Json,
}

impl From<AnswerFormatArg> for report::Format {
    fn from(format: AnswerFormatArg) -> Self {
        match format {
            AnswerFormatArg::Table => report::Format::Table,
            AnswerFormatArg::Json => report::Format::Json,
        }
    }
}

/// Which offers `models` and `quote` consider.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only open-weight or only closed models.
    #[arg(long, value_enum)]
    pub weights: Option<WeightsArg>,
    /// Only models whose maker is from this country (two-letter code, such as CN or US).
    #[arg(long, value_name = "CC")]
    pub origin: Option<String>,
    /// Only offers of this provider id (such as `deepinfra`).
    #[arg(long, value_name = "ID")]
    pub provider: Option<String>,
    /// Only models whose id or name contains this text (case-insensitive).
    #[arg(long, value_name = "TEXT")]
    pub model: Option<String>,
    /// Flag prices checked more than this many days before `--today`.
    #[arg(long, value_name = "DAYS", default_value_t = 180)]
    pub stale_after: u32,
    /// The date staleness is counted from (YYYY-MM-DD); the system date by default.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<Date>,
}

impl FilterArgs {
    #[must_use]
    pub fn filter(&self) -> query::Filter {
        query::Filter {
            weights: self.weights.map(Into::into),
            origin: self.origin.clone(),
            provider: self.provider.clone(),
            model: self.model.clone(),
        }
    }

    /// `--today`, or the system date.
    #[must_use]
    pub fn staleness(&self) -> query::Staleness {
        query::Staleness {
            today: self.today.unwrap_or_else(system_today),
            after_days: self.stale_after,
        }
    }
}

/// One currency for every price, so offers in different currencies can be ranked together.
#[derive(Debug, Args)]
pub struct CurrencyArgs {
    /// Show every price in this currency (such as USD), converted with `--rate`; without it,
    /// each offer keeps its own currency and is ranked among offers of the same currency.
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
    /// An exchange rate to `--currency`, written with its direction: "1 EUR = 1.16 USD" or
    /// EUR:USD=1.16 (one euro buys 1.16 dollars); either direction converts (repeatable).
    #[arg(long = "rate", value_name = "RATE", requires = "currency", value_parser = query::parse_rate)]
    pub rates: Vec<query::Rate>,
}

impl CurrencyArgs {
    /// The conversion asked for, if any.
    ///
    /// # Errors
    /// [`crate::error::Error::Argument`] for a bad currency code or rates that do not fit it.
    pub fn conversion(&self) -> Result<Option<query::Conversion>, crate::error::Error> {
        self.currency
            .as_deref()
            .map(|currency| query::Conversion::new(currency, self.rates.clone()))
            .transpose()
    }
}

fn system_today() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    Date::from_days_since_epoch(days)
        .unwrap_or_else(|| Date::new(1970, 1, 1).expect("a valid date"))
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| {
        // A year that is a number but not of four digits gets the range dates hold.
        let year = text.split('-').next().and_then(|y| y.parse::<u32>().ok());
        if year.is_some_and(|y| !(1000..=9999).contains(&y)) {
            format!("expected a date such as 2026-11-29, {DATE_RANGE} (found `{text}`)")
        } else {
            format!("expected a date such as 2026-11-29 (found `{text}`)")
        }
    })
}

fn parse_tokens(text: &str) -> Result<Decimal, String> {
    text.replace('_', "")
        .parse::<Decimal>()
        .ok()
        .filter(|d| !d.is_sign_negative())
        .ok_or_else(|| format!("expected a non-negative number of tokens (found `{text}`)"))
}

#[derive(Debug, Args)]
pub struct ModelsArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Row order: by offer id, input price, output price, or blended price at `--ratio`.
    #[arg(long, value_enum, default_value_t = SortArg::Id)]
    pub sort: SortArg,
    /// Input to output tokens for `--sort blended`, such as 3:1.
    #[arg(long, value_name = "IN:OUT", default_value = "3:1", value_parser = query::parse_ratio)]
    pub ratio: (Decimal, Decimal),
    /// List the prices in force on this date (YYYY-MM-DD), for offers with dated changes;
    /// `--today` by default.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<Date>,
    #[command(flatten)]
    pub currency: CurrencyArgs,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Indent a JSON report for reading; without it JSON is compact, one line.
    #[arg(long)]
    pub pretty: bool,
    #[command(flatten)]
    pub destination: OutputArgs,
}

impl ModelsArgs {
    #[must_use]
    pub fn sort_key(&self) -> query::SortKey {
        match self.sort {
            SortArg::Id => query::SortKey::Id,
            SortArg::Input => query::SortKey::Input,
            SortArg::Output => query::SortKey::Output,
            SortArg::Blended => query::SortKey::Blended {
                input: self.ratio.0,
                output: self.ratio.1,
            },
        }
    }
}

#[derive(Debug, Args)]
pub struct QuoteArgs {
    /// Offers to price, as `model@provider`; every offer matching the filters when none is given.
    #[arg(value_name = "OFFER")]
    pub offers: Vec<String>,
    /// Input tokens per request: the whole prompt, cached reads and cache writes included.
    #[arg(long, value_name = "N", value_parser = parse_tokens)]
    pub input: Decimal,
    /// Output tokens per request, not counting reasoning tokens.
    #[arg(long, value_name = "N", value_parser = parse_tokens)]
    pub output: Decimal,
    /// Of the input tokens, those read from the prompt cache.
    #[arg(long, value_name = "N", value_parser = parse_tokens, default_value = "0")]
    pub cached: Decimal,
    /// Of the input tokens, those written to the prompt cache.
    #[arg(long, value_name = "N", value_parser = parse_tokens, default_value = "0")]
    pub cache_write: Decimal,
    /// How long the `--cache-write` tokens live; providers price each lifetime differently.
    #[arg(long, value_enum, default_value_t = TtlArg::FiveMinutes)]
    pub ttl: TtlArg,
    /// Of the input tokens, those written to the cache with a five-minute lifetime.
    #[arg(long = "cache-write-5m", value_name = "N", value_parser = parse_tokens, default_value = "0")]
    pub cache_write_5m: Decimal,
    /// Of the input tokens, those written to the cache with a one-hour lifetime.
    #[arg(long = "cache-write-1h", value_name = "N", value_parser = parse_tokens, default_value = "0")]
    pub cache_write_1h: Decimal,
    /// Of the input tokens, those written to the cache with a twelve-hour lifetime.
    #[arg(long = "cache-write-12h", value_name = "N", value_parser = parse_tokens, default_value = "0")]
    pub cache_write_12h: Decimal,
    /// Reasoning tokens per request, billed on top of the output.
    #[arg(long, value_name = "N", value_parser = parse_tokens, default_value = "0")]
    pub reasoning: Decimal,
    /// Audio prompt tokens per request, on top of `--input` (cached audio included).
    #[arg(long, value_name = "N", value_parser = parse_tokens, default_value = "0")]
    pub audio_input: Decimal,
    /// Of the audio prompt tokens, those read from the cache.
    #[arg(long, value_name = "N", value_parser = parse_tokens, default_value = "0")]
    pub cached_audio_input: Decimal,
    /// Image prompt tokens per request, on top of `--input`, where an offer prices them apart.
    #[arg(long, value_name = "N", value_parser = parse_tokens, default_value = "0")]
    pub image_input: Decimal,
    /// Audio output tokens per request.
    #[arg(long, value_name = "N", value_parser = parse_tokens, default_value = "0")]
    pub audio_output: Decimal,
    /// Web searches (or grounding calls) per request.
    #[arg(long, value_name = "N", value_parser = parse_tokens, default_value = "0")]
    pub web_searches: Decimal,
    /// Price the request through the batch API (the same as `--service-tier batch`).
    #[arg(long, conflicts_with = "service_tier")]
    pub batch: bool,
    /// The service tier the request is sent through; standard prices without it.
    #[arg(long, value_enum)]
    pub service_tier: Option<ServiceTierArg>,
    /// How many such requests.
    #[arg(long, value_name = "N", value_parser = parse_tokens, default_value = "1")]
    pub requests: Decimal,
    /// Price offers their provider has retired (deprecated on or before `--today`) too, instead
    /// of listing them apart.
    #[arg(long)]
    pub include_retired: bool,
    /// Price at the prices in force on this date (YYYY-MM-DD), for offers with dated changes;
    /// `--today` by default.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<Date>,
    #[command(flatten)]
    pub currency: CurrencyArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Indent a JSON report for reading; without it JSON is compact, one line.
    #[arg(long)]
    pub pretty: bool,
    #[command(flatten)]
    pub destination: QuoteOutputArgs,
}

impl QuoteArgs {
    /// The request the flags describe, in disjoint buckets.
    ///
    /// # Errors
    /// [`Error::Argument`] when the parts of the prompt add up to more than it.
    pub fn request(&self) -> Result<query::QuoteRequest, Error> {
        let ttl = match self.ttl {
            TtlArg::FiveMinutes => Component::CacheWrite5m,
            TtlArg::OneHour => Component::CacheWrite1h,
            TtlArg::TwelveHours => Component::CacheWrite12h,
        };
        let mut quantities = Quantities::default();
        quantities[Component::CachedInput] = self.cached;
        quantities[Component::CacheWrite5m] = self.cache_write_5m;
        quantities[Component::CacheWrite1h] = self.cache_write_1h;
        quantities[Component::CacheWrite12h] = self.cache_write_12h;
        quantities[ttl] = quantities[ttl]
            .checked_add(self.cache_write)
            .ok_or_else(|| parts_error("--cache-write", self.cache_write, self.input))?;
        // Cached reads and writes are parts of the prompt. Their sum may overflow only when it
        // is far above any `--input`, so an overflow is the same mistake.
        let parts = [
            Component::CachedInput,
            Component::CacheWrite5m,
            Component::CacheWrite1h,
            Component::CacheWrite12h,
        ]
        .into_iter()
        .try_fold(Decimal::ZERO, |sum, c| sum.checked_add(quantities[c]));
        let uncached = parts
            .filter(|parts| *parts <= self.input)
            .map(|parts| self.input - parts)
            .ok_or_else(|| {
                Error::Argument(format!(
                    "`--cached` plus the cache writes is more than `--input` (found {} cached, {} written, {} input)\nhint: input tokens are the whole prompt; cached reads and cache writes are parts of it",
                    self.cached,
                    parts.map_or_else(|| "too many".to_owned(), |p| (p - self.cached).to_string()),
                    self.input
                ))
            })?;
        if self.cached_audio_input > self.audio_input {
            return Err(parts_error(
                "--cached-audio-input",
                self.cached_audio_input,
                self.audio_input,
            ));
        }
        quantities[Component::Input] = uncached;
        quantities[Component::AudioInput] = self.audio_input - self.cached_audio_input;
        quantities[Component::CachedAudioInput] = self.cached_audio_input;
        quantities[Component::ImageInput] = self.image_input;
        quantities[Component::Output] = self.output;
        quantities[Component::Reasoning] = self.reasoning;
        quantities[Component::AudioOutput] = self.audio_output;
        quantities[Component::WebSearch] = self.web_searches;
        quantities[Component::Request] = Decimal::ONE;
        let service_tier = if self.batch {
            Some(ServiceTier::Batch)
        } else {
            self.service_tier.map(ServiceTier::from)
        };
        Ok(query::QuoteRequest {
            quantities,
            service_tier,
            requests: self.requests,
        })
    }
}

fn parts_error(flag: &str, part: Decimal, whole: Decimal) -> Error {
    Error::Argument(format!(
        "`{flag}` is more than the tokens it is a part of (found {part} > {whole})\nhint: cached and written tokens are parts of the prompt, not added to it"
    ))
}

/// A service tier named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ServiceTierArg {
    Batch,
    Flex,
    Priority,
}

impl From<ServiceTierArg> for ServiceTier {
    fn from(tier: ServiceTierArg) -> Self {
        match tier {
            ServiceTierArg::Batch => ServiceTier::Batch,
            ServiceTierArg::Flex => ServiceTier::Flex,
            ServiceTierArg::Priority => ServiceTier::Priority,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WeightsArg {
    Open,
    Closed,
}

impl From<WeightsArg> for Weights {
    fn from(weights: WeightsArg) -> Self {
        match weights {
            WeightsArg::Open => Weights::Open,
            WeightsArg::Closed => Weights::Closed,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    Id,
    Input,
    Output,
    Blended,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TtlArg {
    #[value(name = "5m")]
    FiveMinutes,
    #[value(name = "1h")]
    OneHour,
    #[value(name = "12h")]
    TwelveHours,
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

impl Command {
    /// The file the report goes to, if not standard output.
    #[must_use]
    pub fn output(&self) -> Option<&std::path::Path> {
        match self {
            Command::Run(args) => args.destination.output.as_deref(),
            Command::Models(args) => args.destination.output.as_deref(),
            Command::Quote(args) => args.destination.out.as_deref(),
            Command::Sensitivity(args) => args.destination.output.as_deref(),
            Command::Usage(args) => args.destination.output.as_deref(),
            Command::Diff(args) => args.destination.output.as_deref(),
            Command::Stress(args) => args.destination.output.as_deref(),
            Command::Cheapest(args) => args.destination.output.as_deref(),
            Command::Check(_)
            | Command::Breakeven(_)
            | Command::Solve(_)
            | Command::Catalog(_)
            | Command::Completions(_)
            | Command::Man(_) => None,
        }
    }
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
#[expect(
    clippy::struct_excessive_bools,
    reason = "each is a switch of its own on the command line"
)]
pub struct RunArgs {
    /// Scenario files (TOML).
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// Output format: `csv` has one row per plan, `csv-lines` one per plan, workload, offer and
    /// month; `html` is one self-contained page with charts (no script, nothing fetched).
    #[arg(long, value_enum, default_value_t = RunFormatArg::Table)]
    pub format: RunFormatArg,
    /// `months`: with `--format json`, add each route's requests and cost in each month, which
    /// are most of a long horizon's bytes. `workloads`: with `--by month`, each workload's cost
    /// in every month too, a table per plan.
    #[arg(long, value_enum, value_name = "DETAIL")]
    pub detail: Option<DetailArg>,
    /// Indent a JSON report for reading; without it JSON is compact, one line.
    #[arg(long)]
    pub pretty: bool,
    #[command(flatten)]
    pub destination: OutputArgs,
    /// Flag prices checked more than this many days before a scenario starts.
    #[arg(long, value_name = "DAYS", default_value_t = 180)]
    pub stale_after: u32,
    /// Fail (exit status 1), listing every violation, if a plan breaks its scenario's `[policy]`.
    #[arg(long)]
    pub strict_policy: bool,
    /// `month` adds each plan's cost in every month (as rows of `--format csv`); `year`, the
    /// default, shows years only.
    #[arg(long, value_enum, value_name = "PERIOD", default_value_t = ByArg::Year)]
    pub by: ByArg,
    /// Add each plan's sensitivity to every assumption (see `costcalc sensitivity`); table,
    /// Markdown and HTML only (HTML draws it as a tornado chart).
    #[arg(long)]
    pub sensitivity: bool,
    /// With `--format markdown`, add a Mermaid chart of each plan's cost by year, which GitHub
    /// draws.
    #[arg(long)]
    pub mermaid: bool,
}

/// The period `run --by` breaks costs down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Year,
    Month,
}

impl RunArgs {
    #[must_use]
    pub fn engine_options(&self) -> engine::Options {
        engine::Options {
            stale_after_days: self.stale_after,
            // Only line items and the JSON month detail show a route's months; both work out
            // those of routes priced by tokens as they write them.
            route_months: match (self.format, self.detail) {
                (RunFormatArg::CsvLines, _) | (_, Some(DetailArg::Months)) => {
                    engine::RouteMonths::SelfHosted
                }
                // A month's cost by workload is the sum of its routes' months.
                (_, Some(DetailArg::Workloads)) => engine::RouteMonths::All,
                (_, None) => engine::RouteMonths::Summed,
            },
        }
    }
}

/// What a report adds to its summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DetailArg {
    /// In JSON, each route's requests and cost in each month.
    Months,
    /// With `--by month`, each workload's cost in each month.
    Workloads,
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
    Csv,
    Json,
    Markdown,
}

impl From<FormatArg> for report::Format {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Table => report::Format::Table,
            FormatArg::Csv => report::Format::Csv,
            FormatArg::Json => report::Format::Json,
            FormatArg::Markdown => report::Format::Markdown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunFormatArg {
    Table,
    Csv,
    CsvLines,
    Json,
    Markdown,
    Html,
}

impl From<RunFormatArg> for report::Format {
    fn from(format: RunFormatArg) -> Self {
        match format {
            RunFormatArg::Table => report::Format::Table,
            RunFormatArg::Csv => report::Format::Csv,
            RunFormatArg::CsvLines => report::Format::CsvLines,
            RunFormatArg::Json => report::Format::Json,
            RunFormatArg::Markdown => report::Format::Markdown,
            RunFormatArg::Html => report::Format::Html,
        }
    }
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The estimate before: a `run --format json` report, or a scenario file (TOML).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The estimate after, of the same kinds.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// The plan of the headline and of `--fail-above`; the baseline of NEW without it.
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<String>,
    /// The period of the headline, the explanation and `--fail-above`: year 1, or the horizon.
    #[arg(long, value_enum, default_value_t = PerArg::Year)]
    pub per: PerArg,
    /// Exit with status 3 when the plan's cost rises by more than this: an amount in the report
    /// currency (such as 5000) or a percentage of the cost before (such as 10%).
    #[arg(long, value_name = "AMOUNT|PCT", value_parser = parse_limit)]
    pub fail_above: Option<crate::diff::Limit>,
    /// Catalog used for scenario inputs (reports carry their prices).
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// Output format: `markdown` is written to be posted as a pull-request comment.
    #[arg(long, value_enum, default_value_t = DiffFormatArg::Table)]
    pub format: DiffFormatArg,
    #[command(flatten)]
    pub destination: OutputArgs,
}

impl DiffArgs {
    #[must_use]
    pub fn options(&self) -> crate::diff::Options {
        crate::diff::Options {
            plan: self.plan.clone(),
            per_horizon: self.per == PerArg::Horizon,
            limit: self.fail_above,
        }
    }
}

/// `5000`, `5_000`, `5,000` or `12.5%`; never negative.
fn parse_limit(text: &str) -> Result<crate::diff::Limit, String> {
    let (number, percent) = match text.trim().strip_suffix('%') {
        Some(number) => (number, true),
        None => (text.trim(), false),
    };
    let value = number
        .trim()
        .replace(['_', ','], "")
        .parse::<Decimal>()
        .ok()
        .filter(|d| !d.is_sign_negative() || d.is_zero())
        .ok_or_else(|| {
            format!("expected an amount such as 5000 or a percentage such as 10% (found `{text}`)")
        })?;
    Ok(if percent {
        crate::diff::Limit::Percent(value)
    } else {
        crate::diff::Limit::Amount(value)
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PerArg {
    Year,
    Horizon,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormatArg {
    Table,
    Markdown,
    Json,
}

impl From<DiffFormatArg> for report::Format {
    fn from(format: DiffFormatArg) -> Self {
        match format {
            DiffFormatArg::Table => report::Format::Table,
            DiffFormatArg::Markdown => report::Format::Markdown,
            DiffFormatArg::Json => report::Format::Json,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    #[test]
    fn the_command_line_is_consistent() {
        // Catches clashing flag names, which clap otherwise reports only when the command runs.
        Cli::command().debug_assert();
    }

    #[test]
    fn a_date_outside_four_digit_years_says_which_dates_exist() {
        assert_eq!(
            super::parse_date("0001-01-01").unwrap_err(),
            "expected a date such as 2026-11-29, from 1000-01-01 to 9999-12-31 (found `0001-01-01`)"
        );
        assert!(super::parse_date("9999-12-31").is_ok());
        // Any other mistake keeps the plain message.
        assert_eq!(
            super::parse_date("2027-02-30").unwrap_err(),
            "expected a date such as 2026-11-29 (found `2027-02-30`)"
        );
    }
}
