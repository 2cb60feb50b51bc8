//! The commands: each reads its inputs, asks the library its question and hands the report to
//! the destination. The only place that knows about files, notes and exit-worthy verdicts
//! together; everything it calls is pure or does one kind of I/O.

use crate::{
    catalog_import, cheapest, cli, diff, engine, error, input, manual, output, policy, pricing,
    query, report, scenario, sensitivity, solve, stress, terminal, usage,
};
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use crate::progress::Progress as _;
use cli::{
    BreakevenArgs, CheckArgs, Command, DiffArgs, ModelsArgs, QuoteArgs, RunArgs, SensitivityArgs,
    SolveArgs, UsageArgs,
};
use error::{Error, Problems};
use pricing::Catalog;
use report::{Report, Style};
use scenario::Scenario;
use terminal::progress::Bar;
use terminal::screen::Screen;

/// Runs the command of `cli`, writing its report to `out` and notes that are not part of any
/// report (a file left out of the catalog, say) to `notes`. The width and colour of terminal
/// tables are decided here, once, from `cli`'s flags, the environment and the terminal.
///
/// # Errors
/// Any [`Error`]: invalid input, I/O, overflow, or a failed write.
pub fn run(cli: &cli::Cli, out: &mut dyn Write, notes: &mut dyn Write) -> Result<(), Error> {
    let command = &cli.command;
    let screen = cli.terminal.screen();
    if let Command::Catalog(catalog) = command {
        return catalog_import::command::run(catalog, out, notes);
    }
    let destination = command
        .output()
        .filter(|path| !output::is_standard_output(path));
    if let Some(path) = destination {
        output::refuse_inputs(path, &inputs(command))?;
    }
    // `diff --fail-above` writes its report, then fails.
    let mut verdict = Ok(());
    let report: Writing = match command {
        Command::Diff(args) => {
            let (report, over) = diff_reports(args, screen, notes)?;
            verdict = over;
            text(report)
        }
        Command::Run(args) => run_scenarios(args, screen, notes)?,
        Command::Check(args) => text(check(args)?),
        Command::Models(args) => models(args, screen, notes)?,
        Command::Quote(args) => quote(args, screen, notes)?,
        Command::Breakeven(args) => breakeven(args, screen, notes)?,
        Command::Solve(args) => solve_for(args, screen, notes)?,
        Command::Sensitivity(args) => sensitivity_of(args, screen, notes)?,
        Command::Usage(args) => text(usage(args, screen, notes)?),
        Command::Stress(args) => text(stress_scenario(args, screen, notes)?),
        Command::Cheapest(args) => text(cheapest(args, screen, notes)?),
        Command::Completions(args) => text(manual::completions(args.shell)),
        Command::Man(args) => text(match &args.dir {
            Some(dir) => manual::write_pages(dir)?,
            None => manual::page(&args.command)?,
        }),
        Command::Catalog(_) => unreachable!("handled above"),
    };
    // What standard output receives, for a failed write to name.
    let what = match command {
        Command::Completions(_) => "completion script",
        Command::Man(args) if args.dir.is_some() => "list of manual pages written",
        Command::Man(_) => "manual page",
        _ => "report",
    };
    match destination {
        Some(path) => output::write_to(path, report),
        None => write_report(out, report, what),
    }?;
    verdict
}

/// A command's report, written into whatever writer the destination gives it: computed once,
/// streamed without being held whole.
type Writing = Box<dyn FnOnce(&mut dyn Write) -> std::io::Result<()>>;

/// A result written as its report, in the format asked: the result is kept until the
/// destination is ready, then streamed into it.
fn written<T: 'static>(
    result: T,
    report: for<'a> fn(&'a T) -> Report<'a>,
    format: report::Format,
    style: Style,
) -> Writing {
    Box::new(move |out| report::write(out, report(&result), format, style))
}

/// A report that is already text.
fn text(text: String) -> Writing {
    Box::new(move |out| out.write_all(text.as_bytes()))
}

/// The files a command reads, which its report must not be written over.
fn inputs(command: &Command) -> Vec<&std::path::Path> {
    let (scenarios, catalog) = match command {
        Command::Run(args) => (args.scenarios.as_slice(), &args.catalog),
        Command::Models(args) => (&[][..], &args.catalog),
        Command::Quote(args) => (&[][..], &args.catalog),
        Command::Breakeven(args) => (std::slice::from_ref(&args.scenario), &args.catalog),
        Command::Solve(args) => (std::slice::from_ref(&args.scenario), &args.catalog),
        Command::Check(args) => (args.files.as_slice(), &args.catalog),
        Command::Sensitivity(args) => (std::slice::from_ref(&args.scenario), &args.catalog),
        Command::Catalog(_) | Command::Completions(_) | Command::Man(_) => return Vec::new(),
        Command::Usage(args) => (args.files.as_slice(), &args.catalog),
        Command::Diff(args) => (&[][..], &args.catalog),
        Command::Stress(args) => (std::slice::from_ref(&args.scenario), &args.catalog),
        Command::Cheapest(args) => (std::slice::from_ref(&args.scenario), &args.catalog),
    };
    let compared = match command {
        Command::Diff(args) => vec![args.old.as_path(), args.new.as_path()],
        _ => Vec::new(),
    };
    scenarios
        .iter()
        .chain(&catalog.pricing)
        .map(PathBuf::as_path)
        .chain(compared)
        .collect()
}

/// Refuses flag combinations `run` cannot honour, before any work is done.
fn check_run_flags(args: &RunArgs) -> Result<(), Error> {
    let format: report::Format = args.format.into();
    let refuse = |message: &str| Err(Error::Argument(message.to_owned()));
    if args.detail == Some(cli::DetailArg::Months) && format != report::Format::Json {
        return refuse(
            "`--detail months` adds to a JSON report only\nhint: add `--format json`, or use \
             `--format csv-lines` for one row per month",
        );
    }
    if args.sensitivity
        && !matches!(
            format,
            report::Format::Table | report::Format::Markdown | report::Format::Html
        )
    {
        return refuse(
            "`--sensitivity` adds a section to table, Markdown and HTML reports only\nhint: for \
             JSON or CSV, run `costcalc sensitivity SCENARIO --format json`",
        );
    }
    if args.mermaid && format != report::Format::Markdown {
        return refuse(
            "`--mermaid` adds a chart to Markdown reports only\nhint: add `--format markdown`, or \
             use `--format html` for charts in a page",
        );
    }
    let by_month = args.by == cli::ByArg::Month;
    if by_month && format == report::Format::Html {
        return refuse(
            "`--by month` adds month tables to table, Markdown and CSV reports\nhint: drop `--by \
             month`: the HTML report charts every month already",
        );
    }
    if args.detail == Some(cli::DetailArg::Workloads) && !by_month {
        return refuse(
            "`--detail workloads` breaks down the months of `--by month`\nhint: add `--by month`",
        );
    }
    Ok(())
}

fn run_scenarios(args: &RunArgs, screen: Screen, notes: &mut dyn Write) -> Result<Writing, Error> {
    check_run_flags(args)?;
    let catalog = load_catalog(&args.catalog, notes)?;
    let mut problems = Problems::default();
    let mut estimates = Vec::with_capacity(args.scenarios.len());
    let mut scenarios = Vec::new();
    reject_repeats(&args.scenarios)?;
    for path in &args.scenarios {
        match Scenario::load(path, &catalog) {
            Ok(scenario) => {
                estimates.push(engine::estimate(
                    &catalog,
                    &scenario,
                    &args.engine_options(),
                )?);
                if args.sensitivity {
                    scenarios.push(scenario);
                }
            }
            Err(Error::Invalid(diagnostics)) => problems.extend(Error::Invalid(diagnostics).into()),
            Err(other) => return Err(other),
        }
    }
    problems.into_result(())?;
    if args.strict_policy {
        policy::strict(&estimates)?;
    }
    let format: report::Format = args.format.into();
    let style = Style {
        pretty: args.pretty,
        screen,
        mermaid: args.mermaid,
    };
    let sensitivities = scenarios
        .iter()
        .map(|scenario| {
            sensitivity::sensitivity_observed(
                &catalog,
                scenario,
                &args.engine_options(),
                &Bar::stderr(),
            )
        })
        .collect::<Result<Vec<_>, Error>>()?;
    if format == report::Format::Html {
        return Ok(Box::new(move |out| {
            report::html(out, &estimates, &sensitivities)
        }));
    }
    let by_month = args.by == cli::ByArg::Month;
    let by_workload = args.detail == Some(cli::DetailArg::Workloads);
    if by_month && format == report::Format::Csv {
        return Ok(text(report::monthly_csv(&estimates, by_workload)));
    }
    // Sections after the main report are small; they are worked out before anything is written,
    // so an error in one never leaves half a report.
    let mut after = String::new();
    if by_month {
        after.push_str(&report::monthly_section(
            &estimates,
            by_workload,
            format,
            screen,
        ));
    }
    for result in &sensitivities {
        after.push('\n');
        after.push_str(&report::sensitivity(result, format, screen));
    }
    Ok(Box::new(move |out| {
        report::write(out, Report::Run(&estimates), format, style)?;
        out.write_all(after.as_bytes())
    }))
}

fn sensitivity_of(
    args: &SensitivityArgs,
    screen: Screen,
    notes: &mut dyn Write,
) -> Result<Writing, Error> {
    let catalog = load_catalog(&args.catalog, notes)?;
    let scenario = Scenario::load(&args.scenario, &catalog)?;
    let result = sensitivity::sensitivity_observed(
        &catalog,
        &scenario,
        &engine::Options::default(),
        &Bar::stderr(),
    )?;
    Ok(text(report::sensitivity(
        &result,
        args.format.into(),
        screen,
    )))
}

fn models(args: &ModelsArgs, screen: Screen, notes: &mut dyn Write) -> Result<Writing, Error> {
    let catalog = load_catalog(&args.catalog, notes)?;
    check_provider(&catalog, args.filter.provider.as_deref())?;
    let conversion = args.currency.conversion()?;
    let staleness = args.filter.staleness();
    let listing = query::list_on(
        &catalog,
        &args.filter.filter(),
        args.sort_key(),
        staleness,
        conversion.as_ref(),
        args.date.unwrap_or(staleness.today),
    )?;
    Ok(written(
        listing,
        |listing| Report::Models(listing),
        args.format.into(),
        Style::plain(args.pretty, screen),
    ))
}

fn quote(args: &QuoteArgs, screen: Screen, notes: &mut dyn Write) -> Result<Writing, Error> {
    let catalog = load_catalog(&args.catalog, notes)?;
    check_provider(&catalog, args.filter.provider.as_deref())?;
    let conversion = args.currency.conversion()?;
    let quotes = query::quote(
        &catalog,
        &args.request()?,
        &args.offers,
        &args.filter.filter(),
        query::QuoteOptions {
            staleness: args.filter.staleness(),
            date: args.date.unwrap_or(args.filter.staleness().today),
            include_retired: args.include_retired,
            conversion: conversion.as_ref(),
        },
    )?;
    Ok(written(
        quotes,
        |quotes| Report::Quotes(quotes),
        args.format.into(),
        Style::plain(args.pretty, screen),
    ))
}

fn breakeven(
    args: &BreakevenArgs,
    screen: Screen,
    notes: &mut dyn Write,
) -> Result<Writing, Error> {
    let catalog = load_catalog(&args.catalog, notes)?;
    let scenario = Scenario::load(&args.scenario, &catalog)?;
    let answer = solve::breakeven_observed(
        &catalog,
        &scenario,
        &args.plan,
        &args.versus,
        args.range.range(),
        args.period.over(),
        engine::Options::default(),
        &Bar::stderr(),
    )?;
    Ok(written(
        answer,
        |answer| Report::Breakeven(answer),
        args.format.into(),
        Style::plain(args.pretty, screen),
    ))
}

fn solve_for(args: &SolveArgs, screen: Screen, notes: &mut dyn Write) -> Result<Writing, Error> {
    let catalog = load_catalog(&args.catalog, notes)?;
    let scenario = Scenario::load(&args.scenario, &catalog)?;
    let answer = solve::solve_observed(
        &catalog,
        &scenario,
        &args.plan,
        args.target_savings,
        args.range.range(),
        args.period.over(),
        engine::Options::default(),
        &Bar::stderr(),
    )?;
    Ok(written(
        answer,
        |answer| Report::Solution(answer),
        args.format.into(),
        Style::plain(args.pretty, screen),
    ))
}

/// `costcalc stress`: the scenario estimated as written and with providers lost.
fn stress_scenario(
    args: &cli::StressArgs,
    screen: Screen,
    notes: &mut dyn Write,
) -> Result<String, Error> {
    let catalog = load_catalog(&args.catalog, notes)?;
    let scenario = Scenario::load(&args.scenario, &catalog)?;
    let options = engine::Options {
        stale_after_days: args.stale_after,
        ..engine::Options::default()
    };
    let answer = stress::stress_observed(
        &catalog,
        &scenario,
        &args.request(),
        &options,
        &Bar::stderr(),
    )?;
    report::stress::render(&answer, args.format.into(), screen)
}

/// `costcalc cheapest`: the cheapest offer for each workload, against the scenario's plans.
fn cheapest(
    args: &cli::CheapestArgs,
    screen: Screen,
    notes: &mut dyn Write,
) -> Result<String, Error> {
    let catalog = load_catalog(&args.catalog, notes)?;
    let scenario = Scenario::load(&args.scenario, &catalog)?;
    let options = engine::Options {
        stale_after_days: args.stale_after,
        ..engine::Options::default()
    };
    let answer = cheapest::cheapest_observed(&catalog, &scenario, &options, &Bar::stderr())?;
    report::cheapest::render(&answer, args.format.into(), screen)
}

/// `costcalc usage`: reads the exports streaming, prices them, and writes the scenario asked for.
fn usage(args: &UsageArgs, screen: Screen, notes: &mut dyn Write) -> Result<String, Error> {
    let catalog = load_catalog(&args.catalog, notes)?;
    check_provider(&catalog, args.filter.provider.as_deref())?;
    let mapping = usage::map::Mapping::new(&catalog, args.map_file.as_deref(), &args.map)?;
    let read = usage::Options {
        format: args
            .input_format
            .as_deref()
            .map(usage::Format::from_name)
            .transpose()?,
        group_by: args.group_by.into(),
        since: args.since,
        until: args.until,
        price_changes: usage::price::change_dates(&catalog),
    };
    let mut aggregate = usage::Aggregate::new(read.group_by).split_at(read.price_changes.clone());
    let mut days = usage::price::Days::default();
    // A large import shows the records read so far; a small one is over before a bar appears.
    let bar = Bar::stderr();
    bar.start("usage records read", None);
    let (format, tally) = usage::visit(&args.files, &read, |record| {
        days.add(record.date);
        bar.advance(1);
        aggregate.add(record)
    })?;
    bar.finish();
    aggregate.finish(format, tally);
    let source = match args.files.as_slice() {
        [one] => one.display().to_string(),
        _ => "the usage files".to_owned(),
    };
    let staleness = args.filter.staleness();
    let options = usage::price::PriceOptions {
        compare: args.compare.clone().unwrap_or_default(),
        compare_all: args.compare.as_ref().is_some_and(Vec::is_empty),
        filter: args.filter.filter(),
        today: Some(staleness.today),
        stale_after_days: staleness.after_days,
    };
    let report = usage::price::price(&catalog, &mapping, &aggregate, days, &source, &options)?;
    if let Some(path) = &args.scenario_out {
        let mut inputs: Vec<&std::path::Path> = args.files.iter().map(PathBuf::as_path).collect();
        inputs.extend(args.catalog.pricing.iter().map(PathBuf::as_path));
        inputs.extend(args.map_file.as_deref());
        output::refuse_inputs(path, &inputs)?;
        let cheapest = report
            .comparison
            .as_ref()
            .and_then(|c| c.offers.first())
            .map(|o| o.offer.as_str());
        let text = usage::scenario::write(&report, cheapest, &catalog)?;
        // The file is meant for `costcalc run`: one this catalog refuses would be a bug here.
        let file = std::sync::Arc::new(error::SourceFile::new(
            path.display().to_string(),
            text.clone(),
        ));
        Scenario::parse(&file, &catalog)?;
        output::write_file(path, text.as_bytes())?;
    }
    Ok(report::usage::render(&report, args.format.into(), screen))
}

/// `costcalc diff`: the report, and whether `--fail-above` is exceeded. The catalog is loaded
/// only for a scenario input; saved reports carry their prices.
fn diff_reports(
    args: &DiffArgs,
    screen: Screen,
    notes: &mut dyn Write,
) -> Result<(String, Result<(), Error>), Error> {
    let old = diff::Source::read(&args.old)?;
    let new = diff::Source::read(&args.new)?;
    let catalog = if old.is_scenario() || new.is_scenario() {
        Some(load_catalog(&args.catalog, notes)?)
    } else {
        if !args.catalog.pricing.is_empty() || args.catalog.no_default_pricing {
            let _ = writeln!(
                notes,
                "note: `--pricing` and `--no-default-pricing` apply to scenario inputs; both \
                 inputs are saved reports, which carry their own prices"
            );
        }
        None
    };
    let old = diff::Side::new(old, catalog.as_ref())?;
    let new = diff::Side::new(new, catalog.as_ref())?;
    let comparison = diff::compare(old, new, &args.options())?;
    let text = report::diff::render(&comparison, args.format.into(), screen);
    Ok((text, comparison.verdict()))
}

/// Loads the catalog and notes the scenario files a `--pricing` folder held, which were left
/// out. Notes are advice: one that cannot be written loses nothing of the report.
fn load_catalog(args: &cli::CatalogArgs, notes: &mut dyn Write) -> Result<Catalog, Error> {
    let catalog = Catalog::load(&args.sources())?;
    for path in catalog.skipped_scenarios() {
        let _ = writeln!(
            notes,
            "{}",
            terminal::escape(&pricing::skipped_scenario_note(path))
        );
    }
    Ok(catalog)
}

/// A `--provider` that names no provider would filter everything away without a word.
fn check_provider(catalog: &Catalog, provider: Option<&str>) -> Result<(), Error> {
    match provider.and_then(|p| query::unknown_provider_hint(catalog, p)) {
        Some(message) => Err(Error::Argument(message)),
        None => Ok(()),
    }
}

/// Validates every file given: catalog files on top of the chosen catalog, then scenarios
/// against the catalog that results. Files identical to a built-in one are recognised rather
/// than read twice, and cache prices that tiers or batch tables keep are noted.
fn check(args: &CheckArgs) -> Result<String, Error> {
    reject_repeats(&args.files)?;
    let sources = args.catalog.sources();
    let mut scenarios = Vec::new();
    let mut catalogs = Vec::new();
    let mut lines = String::new();
    for path in &args.files {
        let file = input::read_file(path)?;
        // A file with a `[scenario]` table is a scenario; anything else is checked as a catalog,
        // which also reports TOML syntax errors.
        if input::is_scenario(&file) {
            scenarios.push(file);
        } else if let Some(builtin) = Catalog::builtin_copy(&file).filter(|_| !sources.no_default) {
            if file.name == builtin {
                let _ = writeln!(lines, "ok: {} (built-in catalog)", file.name);
            } else {
                let _ = writeln!(lines, "ok: {} (the same as built-in {builtin})", file.name);
            }
        } else {
            catalogs.push(file);
        }
    }
    let read = input::read_paths(&sources.paths)?;
    let mut files = if sources.no_default {
        Vec::new()
    } else {
        pricing::Catalog::builtin_files()
    };
    let user_files: Vec<_> = read
        .files
        .into_iter()
        .filter(|f| sources.no_default || Catalog::builtin_copy(f).is_none())
        .chain(catalogs.iter().cloned())
        .collect();
    files.extend(user_files.iter().cloned());
    let catalog = Catalog::parse(&files)?;

    let mut problems = Problems::default();
    let mut notes = Vec::new();
    for path in &read.skipped_scenarios {
        notes.push(pricing::skipped_scenario_note(path));
    }
    // Offers the user wrote, and offers the scenarios use, may keep a cache price from below.
    let mut noted: std::collections::BTreeSet<&str> = catalog
        .offers()
        .filter(|o| user_files.iter().any(|f| f.name == o.defined_in()))
        .map(pricing::Offer::id)
        .collect();
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
                for route in scenario.plans.iter().flat_map(|p| &p.routes) {
                    if let Ok(offer) = catalog.offer(&route.offer) {
                        noted.insert(offer.id());
                    }
                }
            }
            Err(Error::Invalid(diagnostics)) => problems.extend(Error::Invalid(diagnostics).into()),
            Err(other) => return Err(other),
        }
    }
    for offer in noted.iter().filter_map(|id| catalog.offer(id).ok()) {
        for inherited in offer.inherited_cache_prices() {
            let text = report::inherited_cache_text(
                offer.id(),
                inherited.overlay,
                inherited.above_input_tokens,
                inherited.key,
            );
            notes.push(format!("note: {}: {text}", inherited.at));
        }
    }
    for note in notes {
        let _ = writeln!(lines, "{note}");
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

/// Writes the report (or the other output `what` names) through a buffer; a reader that
/// closed the pipe early (`| head`), even halfway through, is not an error.
fn write_report(out: &mut dyn Write, report: Writing, what: &'static str) -> Result<(), Error> {
    let mut buffered = std::io::BufWriter::with_capacity(output::BUFFER_BYTES, out);
    match report(&mut buffered).and_then(|()| buffered.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) if what != "report" => Err(Error::WriteOutput { what, source }),
        result => result.map_err(Error::Write),
    }
}
