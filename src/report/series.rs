//! The figures the charts of a report show, read off a result before anything is drawn: exact,
//! unrounded decimals in the report currency, in a stated order. The drawing code turns them into
//! pixels and decides nothing about what they are; the tests check them against the result's own
//! totals, so a chart cannot quietly show other numbers than the tables beside it.

use rust_decimal::Decimal;

use crate::calendar::YearMonth;
use crate::estimate::sensitivity::{PlanSensitivity, Sensitivity};
use crate::estimate::{Estimate, PlanEstimate};

/// What was spent from the start of the horizon to the end of each month, per plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::report) struct Cumulative {
    /// The months of the horizon, in order.
    pub months: Vec<YearMonth>,
    /// One line per plan, in the scenario's order.
    pub lines: Vec<Line>,
}

/// One plan's running total: `values[i]` is the spend of months `0..=i`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::report) struct Line {
    pub plan: String,
    pub values: Vec<Decimal>,
}

/// Bars made of parts stacked on each other: one bar per plan, one part per group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::report) struct Stacked {
    /// The bars' labels (plan ids), left to right.
    pub bars: Vec<String>,
    /// The parts, bottom to top; every part has a value for every bar.
    pub parts: Vec<Part>,
}

/// One group in every bar: `values[i]` is its size in bar `i`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::report) struct Part {
    pub label: String,
    pub values: Vec<Decimal>,
}

/// The label of the part of a workload bar that no workload causes.
pub(in crate::report) const FIXED_PART: &str = "fixed and one-time costs";

impl Stacked {
    /// The height of each bar: the sum of its parts.
    pub fn totals(&self) -> Vec<Decimal> {
        (0..self.bars.len())
            .map(|bar| self.parts.iter().map(|part| part.values[bar]).sum())
            .collect()
    }
}

/// One plan's tornado: its savings at the base values, and at each end of every assumption,
/// largest swing first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::report) struct Tornado {
    pub plan: String,
    pub baseline: String,
    pub base: Decimal,
    pub bars: Vec<TornadoBar>,
}

/// One assumption: the horizon savings with it at its low and at its high end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::report) struct TornadoBar {
    pub label: String,
    pub at_low: Decimal,
    pub at_high: Decimal,
}

/// Each plan's spend accumulated month by month, fixed and one-time costs included (the one-time
/// cost falls in the first month), so each line ends at the plan's horizon total.
pub(in crate::report) fn cumulative(estimate: &Estimate) -> Cumulative {
    let months = estimate
        .plans
        .first()
        .map(|plan| plan.monthly.iter().map(|m| m.month).collect())
        .unwrap_or_default();
    let lines = estimate
        .plans
        .iter()
        .map(|plan| Line {
            plan: plan.id.clone(),
            values: running_total(plan),
        })
        .collect();
    Cumulative { months, lines }
}

/// The engine added the same months, in the same order, from zero with checked arithmetic to
/// reach the plan's total, so none of these partial sums can overflow, and the last one is that
/// total exactly.
fn running_total(plan: &PlanEstimate) -> Vec<Decimal> {
    let mut sum = Decimal::ZERO;
    plan.monthly
        .iter()
        .map(|month| {
            sum += month.cost;
            sum
        })
        .collect()
}

/// Each plan's horizon cost split by workload, in the scenario's workload order, with the fixed
/// and one-time costs on top when any plan has them: each bar is the plan's horizon total, as the
/// columns of the per-workload table are.
pub(in crate::report) fn workloads(estimate: &Estimate) -> Stacked {
    let mut parts: Vec<Part> = estimate
        .scenario
        .workloads
        .iter()
        .enumerate()
        .map(|(index, workload)| Part {
            label: workload.id.clone(),
            values: estimate
                .plans
                .iter()
                .map(|plan| plan.workloads[index].cost)
                .collect(),
        })
        .collect();
    // Token charges and fixed costs were both summed by the engine into the total, so their
    // difference is within range.
    let fixed: Vec<Decimal> = estimate
        .plans
        .iter()
        .map(|plan| plan.total_cost - plan.usage_cost)
        .collect();
    if fixed.iter().any(|f| !f.is_zero()) {
        parts.push(Part {
            label: FIXED_PART.to_owned(),
            values: fixed,
        });
    }
    Stacked {
        bars: plan_ids(estimate),
        parts,
    }
}

/// Each plan's token charges by the country where its requests are processed. Countries are
/// parts in the order they first appear, plan by plan, so each keeps one colour in every bar; a
/// plan that does not use a country has a zero part for it.
pub(in crate::report) fn countries(estimate: &Estimate) -> Stacked {
    let mut labels: Vec<&str> = Vec::new();
    for slice in estimate
        .plans
        .iter()
        .flat_map(|plan| &plan.exposure.by_provider_country)
    {
        if !labels.contains(&slice.id.as_str()) {
            labels.push(&slice.id);
        }
    }
    let parts = labels
        .into_iter()
        .map(|country| Part {
            label: country.to_owned(),
            values: estimate
                .plans
                .iter()
                .map(|plan| {
                    plan.exposure
                        .by_provider_country
                        .iter()
                        .filter(|slice| slice.id == country)
                        .map(|slice| slice.cost)
                        .sum()
                })
                .collect(),
        })
        .collect();
    Stacked {
        bars: plan_ids(estimate),
        parts,
    }
}

fn plan_ids(estimate: &Estimate) -> Vec<String> {
    estimate.plans.iter().map(|plan| plan.id.clone()).collect()
}

/// One tornado per plan but the baseline, from `costcalc sensitivity`'s answer.
pub(in crate::report) fn tornadoes(result: &Sensitivity) -> Vec<Tornado> {
    result
        .plans
        .iter()
        .map(|plan| tornado(result, plan))
        .collect()
}

fn tornado(result: &Sensitivity, plan: &PlanSensitivity) -> Tornado {
    Tornado {
        plan: plan.plan.clone(),
        baseline: result.baseline.clone(),
        base: plan.savings,
        bars: plan
            .assumptions
            .iter()
            .map(|swing| TornadoBar {
                label: super::table::sensitivity::assumption_label(&swing.assumption),
                at_low: swing.savings_low,
                at_high: swing.savings_high,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests;
