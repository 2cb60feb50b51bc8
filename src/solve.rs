//! Volume questions: at what multiple of a scenario's volume do two plans cost the same
//! (`costcalc breakeven`), and at what multiple does a plan save a target amount in year 1
//! (`costcalc solve`)?
//!
//! Every workload's volume is scaled by the same factor and the whole engine is run again, so
//! tiers, growth and self-hosted capacity steps are all honoured. API costs are affine in the
//! factor; self-hosted costs step up where replicas change, so two plans may cross several
//! times. [`search`] finds every crossing in the range, meeting points solved exactly and steps
//! isolated to one part in 10^12; every verdict is about costs inside the range searched. Pure,
//! like the engine.

use rust_decimal::Decimal;

use crate::engine::{self, Options};
use crate::error::Error;
pub use crate::estimate::volume::{
    Breakeven, BreakevenVerdict, CostsAt, Crossing, Outcome, Range, Solution, TargetChange, Volume,
};
use crate::estimate::{Estimate, PlanEstimate};
use crate::pricing::Catalog;
use crate::scenario::Scenario;

pub mod search;

pub use search::{MAX_FACTOR, MIN_FACTOR};

/// Year-1 cost of a plan: the first twelve months, or the whole horizon if shorter.
fn year_one(plan: &PlanEstimate) -> Decimal {
    plan.years.first().map_or(Decimal::ZERO, |y| y.cost)
}

/// Months in year 1.
fn year_one_months(plan: &PlanEstimate) -> u32 {
    plan.years.first().map_or(1, |y| y.months)
}

fn plan<'a>(estimate: &'a Estimate, id: &str) -> &'a PlanEstimate {
    estimate
        .plans
        .iter()
        .find(|p| p.id == id)
        .expect("plan ids are checked before searching")
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

/// Runs the engine on the scenario with every volume scaled by `factor`.
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

/// The year-1 replica counts of a plan's deployments, in order.
fn replicas(plan: &PlanEstimate, into: &mut Vec<u64>) {
    let months = usize::try_from(year_one_months(plan)).unwrap_or(usize::MAX);
    for deployment in &plan.deployments {
        for month in deployment.months.iter().take(months) {
            into.push(month.replicas_peak);
            into.push(month.replicas_off_peak);
        }
    }
}

/// The sample the search compares: `left` less `right`, with both plans' replica counts.
fn sample(left: &PlanEstimate, right: &PlanEstimate, factor: Decimal) -> search::Sample {
    let mut counts = Vec::new();
    replicas(left, &mut counts);
    replicas(right, &mut counts);
    search::Sample {
        factor,
        left: year_one(left),
        right: year_one(right),
        replicas: counts,
    }
}

/// Average tokens and requests a month in year 1 across the plan's routes.
fn traffic(plan: &PlanEstimate, factor: Decimal) -> Result<Volume, Error> {
    let months = year_one_months(plan);
    let year_months = usize::try_from(months).unwrap_or(usize::MAX);
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
        for month in route.months.iter().take(year_months) {
            requests = requests.checked_add(month.requests).ok_or_else(overflow)?;
            tokens = month
                .requests
                .checked_mul(tokens_per_request)
                .and_then(|t| tokens.checked_add(t))
                .ok_or_else(overflow)?;
        }
    }
    let months = Decimal::from(months.max(1));
    Ok(Volume {
        factor,
        tokens_per_month: tokens / months,
        requests_per_month: requests / months,
    })
}

/// The volume multiples at which `plan` and `versus` cost the same in year 1, and which is
/// cheaper where they do not.
///
/// # Errors
/// [`Error::Argument`] for an unknown plan, the same plan twice, or a range out of bounds; any
/// engine error.
pub fn breakeven(
    catalog: &Catalog,
    scenario: &Scenario,
    plan_id: &str,
    versus_id: &str,
    range: Range,
    options: Options,
) -> Result<Breakeven, Error> {
    check_plan(scenario, plan_id)?;
    check_plan(scenario, versus_id)?;
    if plan_id == versus_id {
        return Err(Error::Argument(format!(
            "`--plan` and `--versus` both name `{plan_id}`, which always costs the same as \
             itself\nhint: name two different plans"
        )));
    }
    check_range(range)?;
    let estimate = |factor| estimate_at(catalog, scenario, options, factor);
    let costs_at = |factor| -> Result<CostsAt, Error> {
        let estimate = estimate(factor)?;
        Ok(CostsAt {
            factor,
            plan_cost: year_one(plan(&estimate, plan_id)),
            versus_cost: year_one(plan(&estimate, versus_id)),
        })
    };
    // `plan - versus` against zero: it reaches zero where `versus` is cheaper or equal.
    let scan = search::scan(range.from, range.to, Decimal::ZERO, &mut |factor| {
        let estimate = estimate(factor)?;
        Ok(sample(
            plan(&estimate, plan_id),
            plan(&estimate, versus_id),
            factor,
        ))
    })?;
    let mut crossings = Vec::with_capacity(scan.changes.len());
    for change in &scan.changes {
        let volume = traffic(plan(&estimate(change.above)?, plan_id), change.above)?;
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
    let at_one = costs_at(Decimal::ONE)?;
    Ok(Breakeven {
        scenario: scenario.name.clone(),
        plan: plan_id.to_owned(),
        versus: versus_id.to_owned(),
        range,
        plan_cost_at_1: at_one.plan_cost,
        versus_cost_at_1: at_one.versus_cost,
        at_from: costs_at(range.from)?,
        at_to: costs_at(range.to)?,
        currency: scenario.currency.clone(),
        verdict,
        crossings,
    })
}

/// Where in the range `plan` saves `target` in year 1 against the baseline: from which volume,
/// up to which volume, throughout, or nowhere.
///
/// # Errors
/// [`Error::Argument`] for an unknown plan, the baseline itself, or a range out of bounds; any
/// engine error.
pub fn solve(
    catalog: &Catalog,
    scenario: &Scenario,
    plan_id: &str,
    target: Decimal,
    range: Range,
    options: Options,
) -> Result<Solution, Error> {
    check_plan(scenario, plan_id)?;
    if scenario.plans.iter().any(|p| p.id == plan_id && p.baseline) {
        return Err(Error::Argument(format!(
            "`{plan_id}` is the baseline, which saves nothing against itself\nhint: name another plan"
        )));
    }
    check_range(range)?;
    let estimate = |factor| estimate_at(catalog, scenario, options, factor);
    let savings_at = |factor| -> Result<Decimal, Error> {
        let estimate = estimate(factor)?;
        year_one(estimate.baseline())
            .checked_sub(year_one(plan(&estimate, plan_id)))
            .ok_or_else(|| Error::Overflow {
                what: format!("the year-1 savings at {factor}x the scenario's volume"),
            })
    };
    // Savings are the baseline's cost less the plan's: compared with the target.
    let scan = search::scan(range.from, range.to, target, &mut |factor| {
        let estimate = estimate(factor)?;
        Ok(sample(
            estimate.baseline(),
            plan(&estimate, plan_id),
            factor,
        ))
    })?;
    let volume_at = |factor| traffic(plan(&estimate(factor)?, plan_id), factor);
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
        savings_at_1: savings_at(Decimal::ONE)?,
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
}

#[cfg(test)]
mod tests;
