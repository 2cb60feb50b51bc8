//! Volume questions: at what multiple of a scenario's volume do two plans cost the same
//! (`costcalc breakeven`), and at what multiple does a plan save a target amount (`costcalc
//! solve`)? Both are asked of one period: a year of the horizon (year 1 unless asked otherwise;
//! the last may be shorter than twelve months) or the whole horizon.
//!
//! Every workload's volume is scaled by the same factor and the engine is run again on the plans
//! compared (and the baseline, for `solve`) up to the end of the period alone, so tiers, growth
//! and self-hosted capacity steps are all honoured. API costs are affine in the factor: where
//! neither plan runs a self-hosted deployment, the engine runs at the two ends of the range and
//! the search follows the straight line through them, each answer then checked, and settled
//! onto its side, by the engine. Self-hosted costs step up where replicas change, so two plans
//! may cross several times. [`search`] finds every crossing in the range, meeting points solved
//! exactly and steps isolated to one part in 10^12; every verdict is about costs inside the
//! range searched. Pure, like the engine.

use crate::progress::{Progress, Silent};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::engine::{self, Options, RouteMonths};
use crate::error::Error;
#[cfg(test)]
use crate::estimate::Estimate;
use crate::estimate::PlanEstimate;
pub use crate::estimate::volume::{
    Breakeven, BreakevenVerdict, CostsAt, Crossing, Outcome, Period, PeriodKind, Range, Solution,
    TargetChange, Volume,
};
use crate::pricing::{Catalog, Target};
use crate::scenario::Scenario;

pub mod search;

pub use search::{MAX_FACTOR, MIN_FACTOR};

/// The part of the horizon a question is asked of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Over {
    /// Year N of the horizon, counted from 1: months 12(N-1)+1 to 12N, or to the horizon's end
    /// if it ends sooner.
    Year(u32),
    /// Every month of the horizon, one-time costs included.
    Horizon,
}

impl Over {
    /// The question as it was always asked: the first twelve months.
    pub const YEAR_ONE: Over = Over::Year(1);
}

/// Months per year of a horizon.
const YEAR_MONTHS: u32 = 12;

/// The period `over` names in `scenario`'s horizon.
///
/// # Errors
/// [`Error::Argument`] for year 0 or a year past the end of the horizon, naming how many years
/// it has.
///
/// # Panics
/// Never for a validated scenario, whose horizon has at least one month.
pub fn period(scenario: &Scenario, over: Over) -> Result<Period, Error> {
    let horizon = scenario.months;
    let years = horizon.div_ceil(YEAR_MONTHS);
    let (kind, year, skip, months) = match over {
        Over::Horizon => (PeriodKind::Horizon, None, 0, horizon),
        Over::Year(year) if (1..=years).contains(&year) => {
            let skip = (year - 1) * YEAR_MONTHS;
            (
                PeriodKind::Year,
                Some(year),
                skip,
                (horizon - skip).min(YEAR_MONTHS),
            )
        }
        Over::Year(year) => {
            return Err(Error::Argument(format!(
                "`--year {year}` is not a year of the horizon of `{}`, which has {} ({})\n\
                 hint: name a year from 1 to {years}, or `--horizon` for all of it",
                scenario.path,
                if years == 1 {
                    "1 year".to_owned()
                } else {
                    format!("{years} years")
                },
                crate::calendar::months_text(horizon),
            )));
        }
    };
    let mut calendar = scenario.months().skip(skip as usize);
    let start = calendar
        .next()
        .expect("a validated horizon has at least one month in every year it counts");
    let end = calendar.take((months - 1) as usize).last().unwrap_or(start);
    Ok(Period {
        kind,
        year,
        start,
        end,
        months,
    })
}

/// The months of the horizon a period covers: how many come before it, and how many it has.
fn window(period: &Period) -> (usize, usize) {
    let skip = period
        .year
        .map_or(0, |year| (year - 1) as usize * YEAR_MONTHS as usize);
    (skip, period.months as usize)
}

/// A plan's cost over the period: one year's, or the horizon's total.
fn period_cost(plan: &PlanEstimate, period: &Period) -> Decimal {
    match period.year {
        Some(year) => plan
            .years
            .get((year - 1) as usize)
            .map_or(Decimal::ZERO, |y| y.cost),
        None => plan.total_cost,
    }
}

#[cfg(test)]
fn plan<'a>(estimate: &'a Estimate, id: &str) -> &'a PlanEstimate {
    find(&estimate.plans, id)
}

fn find<'a>(plans: &'a [PlanEstimate], id: &str) -> &'a PlanEstimate {
    plans
        .iter()
        .find(|p| p.id == id)
        .expect("plan ids are checked before searching")
}

/// Runs the engine for the costs over the period of the plans a search compares, and nothing
/// else.
struct Evaluator<'a> {
    catalog: &'a Catalog,
    /// The scenario cut down to the plans compared and to the end of the period: a month's cost
    /// depends only on the months before it, so the period costs the same either way.
    scenario: Scenario,
    period: Period,
    options: Options,
    /// The two plans: `left - right` is what the search compares with its threshold.
    left: &'a str,
    right: &'a str,
    /// Told of every run of the engine.
    progress: &'a dyn Progress,
}

impl<'a> Evaluator<'a> {
    fn new(
        catalog: &'a Catalog,
        scenario: &Scenario,
        (left, right): (&'a str, &'a str),
        period: Period,
        options: Options,
        progress: &'a dyn Progress,
    ) -> Self {
        let mut cut = scenario.clone();
        cut.plans.retain(|p| p.id == left || p.id == right);
        let (skip, months) = window(&period);
        cut.months = u32::try_from(skip + months)
            .unwrap_or(cut.months)
            .min(cut.months);
        Self {
            catalog,
            scenario: cut,
            period,
            options,
            left,
            right,
            progress,
        }
    }

    /// Whether neither plan runs a self-hosted deployment: then every cost is affine in the
    /// factor across the whole range.
    fn affine(&self) -> bool {
        self.scenario
            .plans
            .iter()
            .flat_map(|p| &p.routes)
            .all(|route| !matches!(self.catalog.target(&route.offer), Ok(Target::SelfHosted(_))))
    }

    /// The plans' estimates at `factor`, each route with its months if `months`.
    fn plans(&self, factor: Decimal, months: bool) -> Result<Vec<PlanEstimate>, Error> {
        let scaled = self
            .scenario
            .scaled(factor)
            .ok_or_else(|| Error::Overflow {
                what: format!("a workload's volume scaled {factor}x"),
            })?;
        let options = Options {
            route_months: if months {
                RouteMonths::All
            } else {
                RouteMonths::Summed
            },
            ..self.options
        };
        engine::plan_costs(self.catalog, &scaled, &options).map_err(|error| match error {
            Error::Overflow { what } => Error::Overflow {
                what: format!("with every volume scaled {factor}x, {what}"),
            },
            other => other,
        })
    }

    /// Both plans' costs over the period and replica counts at `factor`.
    fn sample(&self, factor: Decimal) -> Result<search::Sample, Error> {
        let plans = self.plans(factor, false)?;
        self.progress.advance(1);
        Ok(sample(
            find(&plans, self.left),
            find(&plans, self.right),
            factor,
            &self.period,
        ))
    }

    /// The average traffic of `id` at `factor` over the period.
    fn traffic(&self, id: &str, factor: Decimal) -> Result<Volume, Error> {
        traffic(find(&self.plans(factor, true)?, id), factor, &self.period)
    }
}

/// Two affine costs known at the ends of a range: the line through them.
struct Line {
    from: search::Sample,
    to: search::Sample,
}

impl Line {
    /// Both costs at `factor` on the line; the ends exactly as the engine gave them. `None` if
    /// the arithmetic leaves the decimal range.
    fn sample(&self, factor: Decimal) -> Option<search::Sample> {
        if factor == self.from.factor {
            return Some(self.from.clone());
        }
        if factor == self.to.factor {
            return Some(self.to.clone());
        }
        let part = factor
            .checked_sub(self.from.factor)?
            .checked_div(self.to.factor.checked_sub(self.from.factor)?)?;
        let at =
            |from: Decimal, to: Decimal| from.checked_add(to.checked_sub(from)?.checked_mul(part)?);
        Some(search::Sample {
            factor,
            left: at(self.from.left, self.to.left)?,
            right: at(self.from.right, self.to.right)?,
            replicas: Vec::new(),
        })
    }

    /// One Newton step towards where `sample`'s `left - right` meets `threshold`, along the
    /// line's slope. `None` for a flat line or a step out of the decimal range.
    fn newton(&self, sample: &search::Sample, threshold: Decimal) -> Option<Decimal> {
        let run = self.to.factor.checked_sub(self.from.factor)?;
        let rise = (self.to.left.checked_sub(self.from.left)?)
            .checked_sub(self.to.right.checked_sub(self.from.right)?)?;
        let miss = sample
            .left
            .checked_sub(sample.right)?
            .checked_sub(threshold)?;
        sample
            .factor
            .checked_sub(miss.checked_mul(run)?.checked_div(rise)?)
    }
}

/// Scans the range for changes of whether `left - right` reaches `threshold`. Where both costs
/// are affine the scan follows the line through the engine's costs at the two ends, and each
/// meeting point found is checked by the engine and, if rounding in the last of 28 digits left
/// it a hair on the wrong side, moved onto the side that reaches the threshold.
fn scan(
    evaluator: &Evaluator<'_>,
    range: Range,
    threshold: Decimal,
) -> Result<search::Scan, Error> {
    if !evaluator.affine() {
        return search::scan(range.from, range.to, threshold, &mut |factor| {
            evaluator.sample(factor)
        });
    }
    let line = Line {
        from: evaluator.sample(range.from)?,
        to: evaluator.sample(range.to)?,
    };
    let mut scan = search::scan(range.from, range.to, threshold, &mut |factor| match line
        .sample(factor)
    {
        Some(sample) => Ok(sample),
        None => evaluator.sample(factor),
    })?;
    for change in &mut scan.changes {
        *change = settle(evaluator, &line, *change, threshold)?;
    }
    Ok(scan)
}

/// Checks a meeting point found on the line with the engine: one Newton step from the engine's
/// costs there lands on the exact meeting point where the arithmetic is exact (it moves a root
/// of 1.000...01 to 1), and is kept if the engine says it reaches the threshold; otherwise the
/// point is moved onto the side that reaches it, in growing strides from a part in 10^24.
fn settle(
    evaluator: &Evaluator<'_>,
    line: &Line,
    change: search::Change,
    threshold: Decimal,
) -> Result<search::Change, Error> {
    if change.at_a_step || change.below != change.above {
        return Ok(change);
    }
    // The shortest decimal within a part in 10^20 of a meeting point that the engine agrees
    // reaches the threshold: 1 rather than 1.0000000000000000000000000001.
    let at = |factor: Decimal| -> Result<search::Change, Error> {
        let near = factor.abs() * Decimal::new(1, 20);
        let shortest = (0..28)
            .map(|dp| factor.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero))
            .find(|candidate| (*candidate - factor).abs() <= near)
            .filter(|candidate| *candidate != factor);
        let factor = match shortest {
            Some(candidate) if evaluator.sample(candidate)?.meets(threshold) => candidate,
            _ => factor,
        };
        Ok(search::Change {
            below: factor,
            above: factor,
            ..change
        })
    };
    let root = evaluator.sample(change.above)?;
    if let Some(better) = line
        .newton(&root, threshold)
        .filter(|f| *f != root.factor && *f >= line.from.factor && *f <= line.to.factor)
        && evaluator.sample(better)?.meets(threshold)
    {
        return at(better);
    }
    if root.meets(threshold) {
        return at(root.factor);
    }
    let mut factor = change.above;
    let mut stride = (factor * Decimal::new(1, 24)).max(Decimal::new(1, 28));
    for _ in 0..8 {
        if evaluator.sample(factor)?.meets(threshold) {
            return at(factor);
        }
        factor = if change.meets_above {
            factor + stride
        } else {
            factor - stride
        };
        stride *= Decimal::ONE_HUNDRED;
    }
    Ok(change)
}

/// Checks that `id` names a plan of the scenario, with a did-you-mean.
fn check_plan(scenario: &Scenario, id: &str) -> Result<(), Error> {
    if scenario.plans.iter().any(|p| p.id == id) {
        return Ok(());
    }
    let ids = scenario.plans.iter().map(|p| p.id.as_str());
    let hint = crate::error::suggest(id, ids.clone()).map_or_else(
        || format!("the plans are {}", ids.collect::<Vec<_>>().join(", ")),
        |best| format!("did you mean `{best}`?"),
    );
    Err(Error::Argument(format!(
        "no plan `{id}` in `{}`\nhint: {hint}",
        scenario.path
    )))
}

/// Checks `--from` and `--to`: both within [`MIN_FACTOR`]..=[`MAX_FACTOR`], `from` below `to`.
fn check_range(range: Range) -> Result<(), Error> {
    let problem = if range.from < MIN_FACTOR {
        format!(
            "`--from` must be at least {MIN_FACTOR} (found {})",
            range.from
        )
    } else if range.to > MAX_FACTOR {
        format!("`--to` must be at most {MAX_FACTOR} (found {})", range.to)
    } else if range.from >= range.to {
        format!(
            "`--from` must be below `--to` (found {} and {})",
            range.from, range.to
        )
    } else {
        return Ok(());
    };
    Err(Error::Argument(format!(
        "{problem}\nhint: volume multiples run from {MIN_FACTOR} (a millionth of the \
         scenario's volume) to {MAX_FACTOR}, such as `--from 0.5 --to 20`"
    )))
}

/// Runs the whole engine on the scenario with every volume scaled by `factor`: what the answers
/// are checked against.
#[cfg(test)]
fn estimate_at(
    catalog: &Catalog,
    scenario: &Scenario,
    options: Options,
    factor: Decimal,
) -> Result<Estimate, Error> {
    let scaled = scenario.scaled(factor).ok_or_else(|| Error::Overflow {
        what: format!("a workload's volume scaled {factor}x"),
    })?;
    engine::estimate(catalog, &scaled, &options).map_err(|error| match error {
        Error::Overflow { what } => Error::Overflow {
            what: format!("with every volume scaled {factor}x, {what}"),
        },
        other => other,
    })
}

/// The replica counts of a plan's deployments over the period, in order: only these decide
/// whether the period's cost is affine between two factors.
fn replicas(plan: &PlanEstimate, period: &Period, into: &mut Vec<u64>) {
    let (skip, months) = window(period);
    for deployment in &plan.deployments {
        for month in deployment.months.iter().skip(skip).take(months) {
            into.push(month.replicas_peak);
            into.push(month.replicas_off_peak);
        }
    }
}

/// The sample the search compares: `left` less `right`, with both plans' replica counts.
fn sample(
    left: &PlanEstimate,
    right: &PlanEstimate,
    factor: Decimal,
    period: &Period,
) -> search::Sample {
    let mut counts = Vec::new();
    replicas(left, period, &mut counts);
    replicas(right, period, &mut counts);
    search::Sample {
        factor,
        left: period_cost(left, period),
        right: period_cost(right, period),
        replicas: counts,
    }
}

/// Average tokens and requests a month over the period across the plan's routes.
fn traffic(plan: &PlanEstimate, factor: Decimal, period: &Period) -> Result<Volume, Error> {
    let (skip, period_months) = window(period);
    let overflow = || Error::Overflow {
        what: format!("the tokens a month at {factor}x the scenario's volume"),
    };
    let (mut tokens, mut requests) = (Decimal::ZERO, Decimal::ZERO);
    for route in plan.workloads.iter().flat_map(|w| &w.routes) {
        let tokens_per_request = route
            .per_request
            .quantities
            .iter()
            .filter(|(component, _)| component.in_prompt() || component.generated())
            .try_fold(Decimal::ZERO, |sum, (_, q)| sum.checked_add(*q))
            .ok_or_else(overflow)?;
        for month in route.months.iter().skip(skip).take(period_months) {
            requests = requests.checked_add(month.requests).ok_or_else(overflow)?;
            tokens = month
                .requests
                .checked_mul(tokens_per_request)
                .and_then(|t| tokens.checked_add(t))
                .ok_or_else(overflow)?;
        }
    }
    let months = Decimal::from(period.months.max(1));
    Ok(Volume {
        factor,
        tokens_per_month: tokens / months,
        requests_per_month: requests / months,
    })
}

/// A search told to its observer: started when made, finished when dropped, so that every
/// way out of the search (an answer or an error) finishes it.
struct Observed<'a>(&'a dyn Progress);

impl<'a> Observed<'a> {
    fn start(progress: &'a dyn Progress) -> Self {
        progress.start("estimates run", None);
        Observed(progress)
    }
}

impl Drop for Observed<'_> {
    fn drop(&mut self) {
        self.0.finish();
    }
}

/// The volume multiples at which `plan` and `versus` cost the same over the period `over`
/// names, and which is cheaper where they do not.
///
/// # Errors
/// [`Error::Argument`] for an unknown plan, the same plan twice, a range out of bounds or a
/// year outside the horizon; any engine error.
pub fn breakeven(
    catalog: &Catalog,
    scenario: &Scenario,
    plan_id: &str,
    versus_id: &str,
    range: Range,
    over: Over,
    options: Options,
) -> Result<Breakeven, Error> {
    breakeven_observed(
        catalog, scenario, plan_id, versus_id, range, over, options, &Silent,
    )
}

/// [`breakeven`], telling `progress` of each run of the engine.
///
/// # Errors
/// As [`breakeven`].
#[expect(
    clippy::too_many_arguments,
    reason = "the question itself and the observer told of it"
)]
pub fn breakeven_observed(
    catalog: &Catalog,
    scenario: &Scenario,
    plan_id: &str,
    versus_id: &str,
    range: Range,
    over: Over,
    options: Options,
    progress: &dyn Progress,
) -> Result<Breakeven, Error> {
    let _finished = Observed::start(progress);
    check_plan(scenario, plan_id)?;
    check_plan(scenario, versus_id)?;
    if plan_id == versus_id {
        return Err(Error::Argument(format!(
            "`--plan` and `--versus` both name `{plan_id}`, which always costs the same as \
             itself\nhint: name two different plans"
        )));
    }
    check_range(range)?;
    let period = period(scenario, over)?;
    // `plan - versus` against zero: it reaches zero where `versus` is cheaper or equal.
    let evaluator = Evaluator::new(
        catalog,
        scenario,
        (plan_id, versus_id),
        period,
        options,
        progress,
    );
    let costs_at = |factor| -> Result<CostsAt, Error> {
        let sample = evaluator.sample(factor)?;
        Ok(CostsAt {
            factor,
            plan_cost: sample.left,
            versus_cost: sample.right,
        })
    };
    // First the scenario as written, so that an overflow here is the scenario's own.
    let at_one = costs_at(Decimal::ONE)?;
    blame_the_range(range, || {
        let scan = scan(&evaluator, range, Decimal::ZERO)?;
        let mut crossings = Vec::with_capacity(scan.changes.len());
        for change in &scan.changes {
            let volume = evaluator.traffic(plan_id, change.above)?;
            crossings.push(Crossing {
                factor: change.above,
                tokens_per_month: volume.tokens_per_month,
                at_a_step: change.at_a_step,
                cheaper_above: if change.meets_above {
                    versus_id
                } else {
                    plan_id
                }
                .to_owned(),
            });
        }
        let verdict = if !crossings.is_empty() {
            BreakevenVerdict::Crossings
        } else if scan.always_equal {
            BreakevenVerdict::EqualThroughout
        } else {
            BreakevenVerdict::CheaperThroughout {
                plan: if scan.meets_at_from {
                    versus_id
                } else {
                    plan_id
                }
                .to_owned(),
            }
        };
        Ok(Breakeven {
            scenario: scenario.name.clone(),
            plan: plan_id.to_owned(),
            versus: versus_id.to_owned(),
            period,
            range,
            plan_cost_at_1: at_one.plan_cost,
            versus_cost_at_1: at_one.versus_cost,
            at_from: costs_at(range.from)?,
            at_to: costs_at(range.to)?,
            currency: scenario.currency.clone(),
            verdict,
            crossings,
        })
    })
}

/// Runs `search`, which scales the volumes across `range`. The scenario at 1x was priced
/// before it without overflowing, so an overflow in it comes from scaling the volumes up, and
/// the hint should be to lower `--to` rather than to look for a typo in the volumes.
fn blame_the_range<T>(range: Range, search: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    search().map_err(|error| match error {
        Error::Overflow { what } if range.to > Decimal::ONE => {
            Error::OverflowAtMultiple { what, to: range.to }
        }
        other => other,
    })
}

/// Where in the range `plan` saves `target` against the baseline over the period `over` names:
/// from which volume, up to which volume, throughout, or nowhere.
///
/// # Errors
/// [`Error::Argument`] for an unknown plan, the baseline itself, a range out of bounds or a year
/// outside the horizon; any engine error.
///
/// # Panics
/// Never for a validated scenario, which has exactly one baseline plan.
pub fn solve(
    catalog: &Catalog,
    scenario: &Scenario,
    plan_id: &str,
    target: Decimal,
    range: Range,
    over: Over,
    options: Options,
) -> Result<Solution, Error> {
    solve_observed(
        catalog, scenario, plan_id, target, range, over, options, &Silent,
    )
}

/// [`solve`], telling `progress` of each run of the engine.
///
/// # Errors
/// As [`solve`].
///
/// # Panics
/// As [`solve`].
#[expect(
    clippy::too_many_arguments,
    reason = "the question itself and the observer told of it"
)]
pub fn solve_observed(
    catalog: &Catalog,
    scenario: &Scenario,
    plan_id: &str,
    target: Decimal,
    range: Range,
    over: Over,
    options: Options,
    progress: &dyn Progress,
) -> Result<Solution, Error> {
    let _finished = Observed::start(progress);
    check_plan(scenario, plan_id)?;
    if scenario.plans.iter().any(|p| p.id == plan_id && p.baseline) {
        return Err(Error::Argument(format!(
            "`{plan_id}` is the baseline, which saves nothing against itself\nhint: name another plan"
        )));
    }
    check_range(range)?;
    let period = period(scenario, over)?;
    let baseline = scenario
        .plans
        .iter()
        .find(|p| p.baseline)
        .map(|p| p.id.as_str())
        .expect("a validated scenario has exactly one baseline plan");
    // Savings are the baseline's cost less the plan's: compared with the target.
    let evaluator = Evaluator::new(
        catalog,
        scenario,
        (baseline, plan_id),
        period,
        options,
        progress,
    );
    let savings_at = |factor| -> Result<Decimal, Error> {
        let sample = evaluator.sample(factor)?;
        sample
            .left
            .checked_sub(sample.right)
            .ok_or_else(|| Error::Overflow {
                what: format!("the savings at {factor}x the scenario's volume"),
            })
    };
    // First the scenario as written, so that an overflow here is the scenario's own.
    let savings_at_1 = savings_at(Decimal::ONE)?;
    blame_the_range(range, || {
        let scan = scan(&evaluator, range, target)?;
        let volume_at = |factor| evaluator.traffic(plan_id, factor);
        let first = scan.changes.first();
        let outcome = match (scan.meets_at_from, first) {
            (false, Some(change)) => Outcome::MetFrom {
                at: volume_at(change.meeting_side())?,
            },
            (true, Some(change)) => Outcome::MetUpTo {
                at: volume_at(change.meeting_side())?,
            },
            (true, None) => Outcome::MetThroughout,
            (false, None) => Outcome::NeverMet,
        };
        Ok(Solution {
            scenario: scenario.name.clone(),
            plan: plan_id.to_owned(),
            target_savings: target,
            currency: scenario.currency.clone(),
            period,
            savings_at_1,
            savings_at_from: savings_at(range.from)?,
            savings_at_to: savings_at(range.to)?,
            range,
            outcome,
            changes: scan
                .changes
                .iter()
                .map(|change| TargetChange {
                    factor: change.meeting_side(),
                    met_above: change.meets_above,
                    at_a_step: change.at_a_step,
                })
                .collect(),
        })
    })
}

#[cfg(test)]
mod tests;
