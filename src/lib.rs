//! costcalc: what would our AI bill be on open-weight models instead of closed ones?
//!
//! Data flows one way, each arrow a change of type:
//!
//! ```text
//! pricing/*.toml ─┐                                      ┌─> report::table ─┐
//!                 ├─> input ─> raw ─> Catalog ─┐         │                  ├─> bytes -> stdout
//! scenario.toml ──┘                  Scenario ─┴> engine ─> Estimate ───────┴─> report::json
//! ```
//!
//! - [`input`] reads files and parses TOML into the serde mirrors in `pricing::raw` and
//!   `scenario::raw`; [`pricing`] and [`scenario`] validate them into types the engine trusts.
//! - [`engine`] is pure: catalog and scenario in, an unrounded [`estimate::Estimate`] out.
//! - [`report`] renders an estimate; [`money`] holds the one rounding rule for display.
//! - [`run`] ties them together for the command line; `main.rs` only maps errors to exit codes.

pub mod calendar;
pub mod cli;
pub mod component;
pub mod engine;
pub mod error;
pub mod estimate;
pub mod input;
pub mod money;
pub mod output;
pub mod pricing;
pub mod query;
pub mod report;
pub mod scenario;
pub mod solve;
pub mod usage;

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use cli::{BreakevenArgs, CheckArgs, Command, ModelsArgs, QuoteArgs, RunArgs, SolveArgs};
use error::{Error, Problems};
use pricing::Catalog;
use report::Report;
use scenario::Scenario;

/// Runs one command, writing its report to `out`.
///
/// # Errors
/// Any [`Error`]: invalid input, I/O, overflow, or a failed write.
pub fn run(command: &Command, out: &mut dyn Write) -> Result<(), Error> {
    let text = match command {
        Command::Run(args) => run_scenarios(args)?,
        Command::Check(args) => check(args)?,
        Command::Models(args) => models(args)?,
        Command::Quote(args) => quote(args)?,
        Command::Breakeven(args) => breakeven(args)?,
        Command::Solve(args) => solve_for(args)?,
    };
    match command.output() {
        Some(path) => output::write_atomically(path, text.as_bytes()),
        None => write_report(out, &text),
    }
}

fn run_scenarios(args: &RunArgs) -> Result<String, Error> {
    let catalog = Catalog::load(&args.catalog.sources())?;
    let mut problems = Problems::default();
    let mut estimates = Vec::with_capacity(args.scenarios.len());
    reject_repeats(&args.scenarios)?;
    for path in &args.scenarios {
        match Scenario::load(path, &catalog) {
            Ok(scenario) => estimates.push(engine::estimate(
                &catalog,
                &scenario,
                &args.engine_options(),
            )?),
            Err(Error::Invalid(diagnostics)) => problems.extend(Error::Invalid(diagnostics).into()),
            Err(other) => return Err(other),
        }
    }
    problems.into_result(())?;
    Ok(report::render(Report::Run(&estimates), args.format.into()))
}

fn models(args: &ModelsArgs) -> Result<String, Error> {
    let catalog = Catalog::load(&args.catalog.sources())?;
    check_provider(&catalog, args.filter.provider.as_deref())?;
    let rows = query::list(
        &catalog,
        &args.filter.filter(),
        args.sort_key(),
        args.filter.staleness(),
    );
    Ok(report::render(Report::Models(&rows), args.format.into()))
}

fn quote(args: &QuoteArgs) -> Result<String, Error> {
    let catalog = Catalog::load(&args.catalog.sources())?;
    check_provider(&catalog, args.filter.provider.as_deref())?;
    let quotes = query::quote(
        &catalog,
        &args.request(),
        &args.offers,
        &args.filter.filter(),
        args.filter.staleness(),
    )?;
    Ok(report::render(Report::Quotes(&quotes), args.format.into()))
}

fn breakeven(args: &BreakevenArgs) -> Result<String, Error> {
    let catalog = Catalog::load(&args.catalog.sources())?;
    let scenario = Scenario::load(&args.scenario, &catalog)?;
    let answer = solve::breakeven(
        &catalog,
        &scenario,
        &args.plan,
        &args.versus,
        args.range.range(),
        engine::Options::default(),
    )?;
    Ok(report::render(
        Report::Breakeven(&answer),
        args.format.into(),
    ))
}

fn solve_for(args: &SolveArgs) -> Result<String, Error> {
    let catalog = Catalog::load(&args.catalog.sources())?;
    let scenario = Scenario::load(&args.scenario, &catalog)?;
    let answer = solve::solve(
        &catalog,
        &scenario,
        &args.plan,
        args.target_savings,
        args.range.range(),
        engine::Options::default(),
    )?;
    Ok(report::render(
        Report::Solution(&answer),
        args.format.into(),
    ))
}

/// A `--provider` that names no provider would filter everything away without a word.
fn check_provider(catalog: &Catalog, provider: Option<&str>) -> Result<(), Error> {
    match provider.and_then(|p| query::unknown_provider_hint(catalog, p)) {
        Some(message) => Err(Error::Argument(message)),
        None => Ok(()),
    }
}

/// Validates every file given: catalog files on top of the chosen catalog, then scenarios
/// against the catalog that results.
fn check(args: &CheckArgs) -> Result<String, Error> {
    reject_repeats(&args.files)?;
    let mut scenarios = Vec::new();
    let mut catalogs = Vec::new();
    for path in &args.files {
        let file = input::read_file(path)?;
        // A file with a `[scenario]` table is a scenario; anything else is checked as a catalog,
        // which also reports TOML syntax errors.
        let is_scenario =
            toml::from_str::<toml::Table>(&file.text).is_ok_and(|t| t.contains_key("scenario"));
        if is_scenario {
            scenarios.push(file);
        } else {
            catalogs.push(file);
        }
    }
    let sources = args.catalog.sources();
    let mut files = if sources.no_default {
        Vec::new()
    } else {
        pricing::Catalog::builtin_files()
    };
    files.extend(input::read_paths(&sources.paths)?);
    files.extend(catalogs.iter().cloned());
    let catalog = Catalog::parse(&files)?;

    let mut problems = Problems::default();
    let mut lines = String::new();
    for file in &catalogs {
        let _ = writeln!(lines, "ok: {} (catalog)", file.name);
    }
    for file in &scenarios {
        match Scenario::parse(file, &catalog) {
            Ok(scenario) => {
                let _ = writeln!(
                    lines,
                    "ok: {} (scenario: {}, {})",
                    file.name,
                    count(scenario.workloads.len(), "workload"),
                    count(scenario.plans.len(), "plan")
                );
            }
            Err(Error::Invalid(diagnostics)) => problems.extend(Error::Invalid(diagnostics).into()),
            Err(other) => return Err(other),
        }
    }
    problems.into_result(lines)
}

/// `1 plan`, `3 plans`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn reject_repeats(paths: &[PathBuf]) -> Result<(), Error> {
    let mut seen = std::collections::BTreeSet::new();
    for path in paths {
        let identity = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if !seen.insert(identity) {
            return Err(Error::DuplicateFile { path: path.clone() });
        }
    }
    Ok(())
}

/// Writes the report; a reader that closed the pipe early (`| head`) is not an error.
fn write_report(out: &mut dyn Write, text: &str) -> Result<(), Error> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => result.map_err(Error::Write),
    }
}
