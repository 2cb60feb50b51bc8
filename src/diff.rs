//! `costcalc diff OLD NEW`: two estimates compared plan by plan, workload by workload and year by
//! year, each plan's change explained in parts that add up to it, and a budget guard.
//!
//! OLD and NEW are each a saved `run --format json` report or a scenario file, estimated on the
//! spot; either way it becomes the same [`mirror::ScenarioReport`], so that both are compared by
//! one path. This module owns the matching and the guard; [`explain`] owns the decomposition;
//! `report::diff` renders the result. Nothing here prints.
//!
//! Every amount of a comparison is held at one working scale: the reports' figures, and the
//! computed states between them, rounded half away from zero to at most 20 decimals, fewer only
//! where the largest figure needs more than 7 integer digits (the scale is `27 - digits`). At that
//! scale every difference and every sum of differences is exact, so the parts of a change add up
//! to it exactly. Figures a report carries to fewer decimals are unchanged by it.

pub mod explain;
pub mod mirror;

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::error::{Diagnostic, Error, SourceFile};
use crate::money::format_money;
use crate::pricing::Catalog;
use crate::scenario::Scenario;
use explain::{Context, Prices, States};
pub use explain::{Effect, PerEffect};
use mirror::{Plan, ScenarioReport};

/// The version of the JSON report shapes this reads and writes: the `run` report's.
const SCHEMA_VERSION: u32 = crate::estimate::SCHEMA_VERSION;

/// The finest working scale, in decimals: far below a cent, and room for 7 integer digits.
const MAX_SCALE: u32 = 20;

/// The most integer digits any figure of a comparison may have.
const MAX_DIGITS: u32 = 27;

/// One side of a comparison, read but not yet estimated.
#[derive(Debug)]
pub enum Source {
    /// A JSON object: a saved report.
    Report(Arc<SourceFile>),
    /// Anything else: a scenario file.
    Scenario(Arc<SourceFile>),
}

impl Source {
    /// Reads a file and tells a report (a JSON object) from a scenario (TOML) by its content.
    ///
    /// # Errors
    /// The errors of reading a file.
    pub fn read(path: &Path) -> Result<Source, Error> {
        let file = crate::input::read_file(path)?;
        if file.text.trim_start().starts_with('{') {
            Ok(Source::Report(file))
        } else {
            Ok(Source::Scenario(file))
        }
    }

    #[must_use]
    pub fn is_scenario(&self) -> bool {
        matches!(self, Source::Scenario(_))
    }
}

/// Whether a side was a saved report or a scenario estimated for the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Report,
    Scenario,
}

/// One side, as compared.
#[derive(Debug, Clone)]
pub struct Side {
    /// The path as given.
    pub path: String,
    pub kind: Kind,
    pub report: ScenarioReport,
}

impl Side {
    /// The side a source stands for: a report read back, or a scenario estimated with `catalog`
    /// (which must be given for a scenario).
    ///
    /// # Errors
    /// [`Error::Invalid`] for a report of another version, of several scenarios, or of another
    /// shape, and for an invalid scenario; [`Error::Overflow`] from the engine.
    ///
    /// # Panics
    /// If a scenario is given without a catalog.
    pub fn new(source: Source, catalog: Option<&Catalog>) -> Result<Side, Error> {
        match source {
            Source::Report(file) => {
                let report = read_report(&file)?;
                Ok(Side {
                    path: file.name.clone(),
                    kind: Kind::Report,
                    report,
                })
            }
            Source::Scenario(file) => {
                if !crate::input::is_scenario(&file) {
                    // Parsed as a scenario anyway, for its located error; a file that parses as
                    // TOML but has no `[scenario]` table gets a message about both kinds.
                    if toml::from_str::<toml::Table>(&file.text).is_ok() {
                        return Err(Error::Invalid(vec![
                            Diagnostic::in_file(
                                &file,
                                "neither a `run --format json` report nor a scenario",
                            )
                            .with_hint(
                                "give a report saved with `costcalc run --format json` or a \
                                 scenario file with a `[scenario]` table",
                            ),
                        ]));
                    }
                }
                let catalog = catalog.expect("a catalog is loaded for every scenario");
                let scenario = Scenario::parse(&file, catalog)?;
                let estimate = crate::engine::estimate(
                    catalog,
                    &scenario,
                    &crate::engine::Options::default(),
                )?;
                // The estimate goes through its public JSON form, so that a scenario and a saved
                // report of it are compared by exactly the same path.
                let value = serde_json::to_value(&estimate).expect("estimates serialize to JSON");
                let report = serde_json::from_value(value)
                    .expect("an estimate reads back as the report it serializes to");
                Ok(Side {
                    path: file.name.clone(),
                    kind: Kind::Scenario,
                    report,
                })
            }
        }
    }
}

/// Reads a saved report: its version first, then the parts a comparison needs.
fn read_report(file: &Arc<SourceFile>) -> Result<ScenarioReport, Error> {
    let refuse = |message: String, hint: &str| {
        Err(Error::Invalid(vec![
            Diagnostic::in_file(file, message).with_hint(hint),
        ]))
    };
    let version: mirror::Version = match serde_json::from_str(&file.text) {
        Ok(version) => version,
        Err(error) => return Err(json_error(file, &error)),
    };
    match version.schema_version {
        Some(SCHEMA_VERSION) => {}
        Some(other) => {
            return refuse(
                format!(
                    "the report has schema version {other}; this costcalc reads version \
                     {SCHEMA_VERSION}"
                ),
                "generate both reports with the same costcalc, or give the scenario file instead",
            );
        }
        None => {
            return refuse(
                "the JSON has no `schema_version`; it is not a `costcalc run --format json` report"
                    .to_owned(),
                "give a report saved with `costcalc run --format json`, or the scenario file",
            );
        }
    }
    let document: mirror::Document = match serde_json::from_str(&file.text) {
        Ok(document) => document,
        Err(error) => return Err(json_error(file, &error)),
    };
    let count = document.scenarios.len();
    let mut scenarios = document.scenarios.into_iter();
    match (scenarios.next(), count) {
        (Some(report), 1) => {
            // The explanation works month by month, route by route; a compact report keeps
            // neither, so it cannot be explained (a scenario file always can).
            let without_months = report
                .plans
                .iter()
                .flat_map(|p| &p.workloads)
                .flat_map(|w| &w.routes)
                .any(|r| r.months.is_empty() && !r.requests.is_zero());
            if without_months {
                return refuse(
                    "the report leaves out each route's months, which the comparison works on"
                        .to_owned(),
                    "save it with `costcalc run --format json --detail months`, or give the \
                     scenario file",
                );
            }
            Ok(report)
        }
        _ => refuse(
            format!("a report to compare holds one scenario (found {count})"),
            "run `costcalc run --format json` with one scenario for each report",
        ),
    }
}

/// A JSON error at its line and column.
fn json_error(file: &Arc<SourceFile>, error: &serde_json::Error) -> Error {
    let offset = file
        .text
        .split_inclusive('\n')
        .take(error.line().saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        + error.column().saturating_sub(1);
    let message = error.to_string();
    // serde_json appends " at line L column C", which the location already says.
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_owned();
    Error::Invalid(vec![
        Diagnostic::at(
            file,
            offset..offset + 1,
            format!("not a costcalc report: {message}"),
        )
        .with_hint("give a report saved with `costcalc run --format json`, or the scenario file"),
    ])
}

/// A stretch of the horizon that figures are compared over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// The `n`th twelve months from the start, 1 for the first.
    Year(u32),
    /// Every month of the horizon.
    Horizon,
}

impl Period {
    /// The months' positions in a horizon of `months`.
    fn months(self, months: usize) -> Range<usize> {
        match self {
            Period::Year(n) => {
                let start = 12 * (n as usize - 1);
                start.min(months)..(start + 12).min(months)
            }
            Period::Horizon => 0..months,
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Period::Year(n) => write!(f, "year {n}"),
            Period::Horizon => f.write_str("the horizon"),
        }
    }
}

/// How much an increase may be before `--fail-above` fails the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// An amount in the report currency.
    Amount(Decimal),
    /// A percentage of the cost before.
    Percent(Decimal),
}

/// What the command was asked to compare and guard.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The plan of the headline and the guard; the baseline of NEW without it.
    pub plan: Option<String>,
    /// Year 1, or the horizon.
    pub per_horizon: bool,
    pub limit: Option<Limit>,
}

/// Whether a plan or workload is on both sides, and whether its cost moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Changed,
    Unchanged,
    Added,
    Removed,
}

/// The comparison of two estimates.
#[derive(Debug, Clone)]
pub struct Diff {
    pub old: Side,
    pub new: Side,
    pub currency: String,
    /// The decimals every amount is held to (see the module docs).
    pub scale: u32,
    /// Plans in NEW's order, then those only in OLD.
    pub plans: Vec<PlanDiff>,
    /// The plan and period of the headline and the guard.
    pub focus: Focus,
    /// Differences between the inputs worth knowing, such as a renamed scenario.
    pub notes: Vec<String>,
    pub budget: Option<Budget>,
}

/// The plan and period the headline is about.
#[derive(Debug, Clone)]
pub struct Focus {
    pub plan: String,
    pub period: Period,
}

#[derive(Debug, Clone)]
pub struct PlanDiff {
    pub id: String,
    pub name: String,
    pub status: Status,
    pub baseline_before: bool,
    pub baseline_after: bool,
    /// Year 1, 2, ... then the horizon.
    pub periods: Vec<PeriodDiff>,
}

impl PlanDiff {
    /// The comparison over one period.
    ///
    /// # Panics
    /// Never for a period of the comparison: every plan has each of them.
    #[must_use]
    pub fn period(&self, period: Period) -> &PeriodDiff {
        self.periods
            .iter()
            .find(|p| p.period == period)
            .expect("every plan has every period")
    }
}

/// Before, after and the change, over one period.
#[derive(Debug, Clone)]
pub struct Change {
    pub before: Decimal,
    pub after: Decimal,
    /// `after - before`.
    pub change: Decimal,
    /// The change as a percentage of `before`; `None` when `before` is zero.
    pub percent: Option<Decimal>,
    /// The change in parts; they add up to it exactly. `None` for a plan added or removed.
    pub explanation: Option<PerEffect>,
}

#[derive(Debug, Clone)]
pub struct PeriodDiff {
    pub period: Period,
    pub cost: Change,
    pub workloads: Vec<WorkloadDiff>,
}

#[derive(Debug, Clone)]
pub struct WorkloadDiff {
    pub id: String,
    pub status: Status,
    pub cost: Change,
}

/// The outcome of `--fail-above`.
#[derive(Debug, Clone)]
pub struct Budget {
    pub plan: String,
    pub period: Period,
    pub limit: Limit,
    pub before: Decimal,
    pub after: Decimal,
    pub change: Decimal,
    pub percent: Option<Decimal>,
    pub exceeded: bool,
}

impl Diff {
    /// `Err` with the reason when the guarded increase is above its limit.
    ///
    /// # Errors
    /// [`Error::OverBudget`].
    pub fn verdict(&self) -> Result<(), Error> {
        match &self.budget {
            Some(budget) if budget.exceeded => Err(Error::OverBudget {
                message: budget.reason(&self.currency),
            }),
            _ => Ok(()),
        }
    }

    /// The periods compared: every year of the longer horizon, then the horizon.
    #[must_use]
    pub fn periods(&self) -> Vec<Period> {
        self.plans
            .first()
            .map(|p| p.periods.iter().map(|p| p.period).collect())
            .unwrap_or_default()
    }
}

impl Budget {
    fn reason(&self, currency: &str) -> String {
        let limit = match self.limit {
            Limit::Amount(amount) => format_money(amount, currency),
            Limit::Percent(percent) => format!("{}%", percent.normalize()),
        };
        let percent = self
            .percent
            .map_or_else(String::new, |p| format!(" ({})", signed_percent(p)));
        format!(
            "plan `{}` costs {} more in {}{percent}, above the limit of {limit} (found {} -> {})",
            self.plan,
            format_money(self.change, currency),
            self.period,
            format_money(self.before, currency),
            format_money(self.after, currency),
        )
    }
}

/// `+12.5%`, `-3.0%`.
#[must_use]
pub fn signed_percent(percent: Decimal) -> String {
    let text = crate::money::format_percent(percent);
    if percent.is_sign_negative() || crate::money::round_for_display(percent, 1).is_zero() {
        text
    } else {
        format!("+{text}")
    }
}

/// Compares OLD with NEW.
///
/// # Errors
/// [`Error::Invalid`] when the currencies differ; [`Error::Argument`] for a `--plan` that is in
/// neither, or a guarded baseline that OLD lacks; [`Error::Overflow`].
///
/// # Panics
/// Never: every plan compared is on one side at least.
pub fn compare(old: Side, new: Side, options: &Options) -> Result<Diff, Error> {
    let (o, n) = (&old.report, &new.report);
    if o.scenario.currency != n.scenario.currency {
        let file = SourceFile::new(new.path.clone(), String::new());
        return Err(Error::Invalid(vec![
            Diagnostic::in_file(
                &file,
                format!(
                    "the report currency is {}, but OLD (`{}`) is in {}; amounts in two currencies \
                     are not compared",
                    n.scenario.currency, old.path, o.scenario.currency
                ),
            )
            .with_hint(format!(
                "set `currency = \"{}\"` in the scenario's `[scenario]` table for both sides, \
                 with the exchange rates it needs",
                o.scenario.currency
            )),
        ]));
    }
    let notes = side_notes(o, n);
    let old_baseline = o.plans.iter().find(|p| p.baseline).map(|p| p.id.clone());
    let new_baseline = n.plans.iter().find(|p| p.baseline).map(|p| p.id.clone());
    let focus_plan = match &options.plan {
        Some(id) => {
            check_plan(id, o, n)?;
            id.clone()
        }
        None => new_baseline.clone().unwrap_or_default(),
    };
    if options.limit.is_some()
        && options.plan.is_none()
        && !o.plans.iter().any(|p| p.id == focus_plan)
    {
        return Err(Error::Argument(format!(
            "the baseline `{focus_plan}` of NEW is not a plan of OLD, so its increase is unknown\n\
             hint: name the plan to guard with `--plan`, such as `--plan {}`",
            old_baseline.as_deref().unwrap_or(&focus_plan)
        )));
    }

    let (plans, scale) = plan_diffs(o, n)?;
    let period = if options.per_horizon {
        Period::Horizon
    } else {
        Period::Year(1)
    };
    let mut diff = Diff {
        currency: n.scenario.currency.clone(),
        old,
        new,
        scale,
        plans,
        focus: Focus {
            plan: focus_plan,
            period,
        },
        notes,
        budget: None,
    };
    if let Some(limit) = options.limit {
        diff.budget = Some(budget(&diff, limit));
    }
    Ok(diff)
}

/// What differs between the two sides besides their figures.
fn side_notes(o: &ScenarioReport, n: &ScenarioReport) -> Vec<String> {
    let mut notes = Vec::new();
    if o.scenario.name != n.scenario.name {
        notes.push(format!(
            "the scenario is named `{}` in OLD and `{}` in NEW; plans and workloads are matched by id",
            o.scenario.name, n.scenario.name
        ));
    }
    if o.scenario.start != n.scenario.start {
        notes.push(format!(
            "OLD starts in {} and NEW in {}; months are matched by their position in the horizon",
            o.scenario.start, n.scenario.start
        ));
    }
    if o.scenario.months != n.scenario.months {
        notes.push(format!(
            "OLD covers {} and NEW {}; a month one side lacks costs nothing there",
            crate::calendar::months_text(o.scenario.months),
            n.scenario.months
        ));
    }
    let old_baseline = o.plans.iter().find(|p| p.baseline).map(|p| p.id.as_str());
    let new_baseline = n.plans.iter().find(|p| p.baseline).map(|p| p.id.as_str());
    if old_baseline != new_baseline {
        notes.push(format!(
            "the baseline is `{}` in OLD and `{}` in NEW",
            old_baseline.unwrap_or("none"),
            new_baseline.unwrap_or("none")
        ));
    }
    notes
}

/// Every plan compared over every period, and the working scale.
fn plan_diffs(o: &ScenarioReport, n: &ScenarioReport) -> Result<(Vec<PlanDiff>, u32), Error> {
    let horizon = o.scenario.months.max(n.scenario.months) as usize;
    let years = u32::try_from(horizon.div_ceil(12)).unwrap_or(u32::MAX);
    let periods: Vec<Period> = (1..=years)
        .map(Period::Year)
        .chain([Period::Horizon])
        .collect();
    let prices = (Prices::of(o), Prices::of(n));

    // Plans in NEW's order, then those only in OLD.
    let mut ids: Vec<&str> = n.plans.iter().map(|p| p.id.as_str()).collect();
    ids.extend(
        o.plans
            .iter()
            .map(|p| p.id.as_str())
            .filter(|id| !n.plans.iter().any(|p| p.id == *id)),
    );
    let mut raw = Vec::with_capacity(ids.len());
    for id in &ids {
        let what = format!("the comparison of plan `{id}`");
        let context = Context {
            old_prices: &prices.0,
            new_prices: &prices.1,
            what: &what,
        };
        let old_plan = o.plans.iter().find(|p| p.id == *id);
        let new_plan = n.plans.iter().find(|p| p.id == *id);
        let mut plan_periods = Vec::with_capacity(periods.len());
        for period in &periods {
            plan_periods.push(plan_states(
                &context,
                (old_plan, o.scenario.months as usize),
                (new_plan, n.scenario.months as usize),
                period.months(horizon),
            )?);
        }
        raw.push((old_plan, new_plan, plan_periods));
    }

    let scale = working_scale(raw.iter().flat_map(|(_, _, periods)| {
        periods.iter().flat_map(|(plan, workloads)| {
            std::iter::once(plan).chain(workloads.iter().map(|w| &w.1))
        })
    }))
    .ok_or_else(|| Error::Overflow {
        what: format!("a cost compared (at least 1e{MAX_DIGITS})"),
    })?;

    let plans: Vec<PlanDiff> = raw
        .iter()
        .map(|(old_plan, new_plan, plan_periods)| {
            let both = old_plan.is_some() && new_plan.is_some();
            let periods: Vec<PeriodDiff> = periods
                .iter()
                .zip(plan_periods)
                .map(|(period, (plan_states, workloads))| PeriodDiff {
                    period: *period,
                    cost: change(plan_states, scale, both),
                    workloads: workloads
                        .iter()
                        .map(|(id, states, status)| WorkloadDiff {
                            id: id.clone(),
                            status: *status,
                            cost: change(states, scale, true),
                        })
                        .collect(),
                })
                .collect();
            let plan = new_plan
                .or(*old_plan)
                .expect("a plan is on one side at least");
            let status = match (old_plan, new_plan) {
                (None, _) => Status::Added,
                (_, None) => Status::Removed,
                _ if periods.iter().all(|p| p.cost.change.is_zero()) => Status::Unchanged,
                _ => Status::Changed,
            };
            PlanDiff {
                id: plan.id.clone(),
                name: plan.name.clone(),
                status,
                baseline_before: old_plan.is_some_and(|p| p.baseline),
                baseline_after: new_plan.is_some_and(|p| p.baseline),
                periods,
            }
        })
        .collect();
    // Workload statuses depend on the rounded change, so they are settled here.
    let plans = plans.into_iter().map(settle_workloads).collect();
    Ok((plans, scale))
}

/// The states of a plan over some months, and of each of its workloads with its status.
type PlanStates = (States, Vec<(String, States, Status)>);

fn plan_states(
    context: &Context<'_>,
    (old, old_months): (Option<&Plan>, usize),
    (new, new_months): (Option<&Plan>, usize),
    months: Range<usize>,
) -> Result<PlanStates, Error> {
    let mut ids: Vec<&str> = new
        .iter()
        .flat_map(|p| &p.workloads)
        .map(|w| w.id.as_str())
        .collect();
    let in_new: BTreeSet<&str> = ids.iter().copied().collect();
    ids.extend(
        old.iter()
            .flat_map(|p| &p.workloads)
            .map(|w| w.id.as_str())
            .filter(|id| !in_new.contains(id)),
    );
    let mut total = States::default();
    let mut workloads = Vec::with_capacity(ids.len());
    for id in ids {
        let old_workload = old.and_then(|p| p.workloads.iter().find(|w| w.id == id));
        let new_workload = new.and_then(|p| p.workloads.iter().find(|w| w.id == id));
        let states = context.workload(old_workload, new_workload, months.clone())?;
        for (sum, value) in total.iter_mut().zip(states) {
            *sum = sum.checked_add(value).ok_or_else(|| Error::Overflow {
                what: context.what.to_owned(),
            })?;
        }
        let status = match (old_workload, new_workload) {
            (None, _) => Status::Added,
            (_, None) => Status::Removed,
            _ => Status::Changed,
        };
        workloads.push((id.to_owned(), states, status));
    }
    let old_fixed = context.fixed(old, old_months, &months)?;
    let new_fixed = context.fixed(new, new_months, &months)?;
    for (k, sum) in total.iter_mut().enumerate() {
        let fixed = if k + 1 == total_len() {
            new_fixed
        } else {
            old_fixed
        };
        *sum = sum.checked_add(fixed).ok_or_else(|| Error::Overflow {
            what: context.what.to_owned(),
        })?;
    }
    Ok((total, workloads))
}

const fn total_len() -> usize {
    Effect::ALL.len() + 1
}

/// The finest scale, at most [`MAX_SCALE`], at which every state keeps its integer digits within
/// [`MAX_DIGITS`]; `None` if one has more.
fn working_scale<'a>(states: impl Iterator<Item = &'a States>) -> Option<u32> {
    let mut digits = 0;
    for value in states.flatten() {
        let whole = value.abs().trunc().normalize();
        if let Some(log) = whole.mantissa().unsigned_abs().checked_ilog10() {
            digits = digits.max(log + 1);
        }
    }
    (digits <= MAX_DIGITS).then(|| MAX_SCALE.min(MAX_DIGITS - digits))
}

/// Rounds a state to the working scale. This is not display rounding: it fixes the precision at
/// which the parts are computed, so that every difference is exact.
fn at_scale(value: Decimal, scale: u32) -> Decimal {
    value.round_dp_with_strategy(scale, RoundingStrategy::MidpointAwayFromZero)
}

fn change(states: &States, scale: u32, explained: bool) -> Change {
    let states: States = std::array::from_fn(|k| at_scale(states[k], scale));
    let (before, after) = (states[0], states[total_len() - 1]);
    let change = after - before;
    let percent = if before.is_zero() {
        None
    } else {
        change
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|c| c.checked_div(before))
    };
    Change {
        before,
        after,
        change,
        percent,
        explanation: explained.then(|| PerEffect::between(&states)),
    }
}

fn settle_workloads(mut plan: PlanDiff) -> PlanDiff {
    let ids: Vec<String> = plan.periods[0]
        .workloads
        .iter()
        .map(|w| w.id.clone())
        .collect();
    for id in ids {
        let moved = plan.periods.iter().any(|p| {
            p.workloads
                .iter()
                .any(|w| w.id == id && !w.cost.change.is_zero())
        });
        for period in &mut plan.periods {
            for workload in period.workloads.iter_mut().filter(|w| w.id == id) {
                if workload.status == Status::Changed && !moved {
                    workload.status = Status::Unchanged;
                }
            }
        }
    }
    plan
}

fn check_plan(id: &str, old: &ScenarioReport, new: &ScenarioReport) -> Result<(), Error> {
    let ids: BTreeSet<&str> = old
        .plans
        .iter()
        .chain(&new.plans)
        .map(|p| p.id.as_str())
        .collect();
    if ids.contains(id) {
        return Ok(());
    }
    let hint = crate::error::suggest(id, ids.iter().copied()).map_or_else(
        || {
            format!(
                "the plans are {}",
                ids.iter()
                    .map(|id| format!("`{id}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        |best| format!("did you mean `{best}`?"),
    );
    Err(Error::Argument(format!(
        "no plan `{id}` in OLD or NEW\nhint: {hint}"
    )))
}

fn budget(diff: &Diff, limit: Limit) -> Budget {
    let cost = diff
        .plans
        .iter()
        .find(|p| p.id == diff.focus.plan)
        .map(|p| p.period(diff.focus.period).cost.clone());
    let (before, after, change, percent) = cost
        .map_or((Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, None), |c| {
            (c.before, c.after, c.change, c.percent)
        });
    let exceeded = match limit {
        Limit::Amount(amount) => change > amount,
        // From nothing, any increase is infinitely many percent.
        Limit::Percent(limit) => percent.map_or(change > Decimal::ZERO, |p| p > limit),
    };
    Budget {
        plan: diff.focus.plan.clone(),
        period: diff.focus.period,
        limit,
        before,
        after,
        change,
        percent,
        exceeded,
    }
}

#[cfg(test)]
mod tests;
