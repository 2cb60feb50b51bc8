//! Volume questions: at what multiple of a scenario's volume do two plans cost the same
//! (`costcalc breakeven`), and at what multiple does a plan save a target amount in year 1
//! (`costcalc solve`)?
//!
//! Every workload's volume is scaled by the same factor and the whole engine is run again, so
//! tiers, growth and self-hosted capacity steps are all honoured. API costs are linear in the
//! factor; self-hosted costs are a step function of it (replicas are whole), so two plans may
//! cross several times. The search scans a geometric grid of factors for sign changes, then
//! bisects each to well under the three significant figures reported. Pure, like the engine.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::engine::{self, Options};
use crate::error::Error;
use crate::estimate::{Estimate, PlanEstimate};
use crate::pricing::Catalog;
use crate::scenario::Scenario;

/// Grid steps between factors: each is 2% above the last.
const GRID_RATIO: Decimal = Decimal::from_parts(102, 0, 0, false, 2);
/// Bisection steps: 2^-40 of a grid cell is far below three significant figures.
const BISECTIONS: u32 = 40;

/// The range of volume multiples searched.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Range {
    pub from: Decimal,
    pub to: Decimal,
}

/// A volume at which the cost difference between two plans changes sign.
#[derive(Debug, Clone, Serialize)]
pub struct Crossing {
    /// The multiple of the scenario's volume.
    pub factor: Decimal,
    /// Tokens a month at that volume (year 1, averaged over its months).
    pub tokens_per_month: Decimal,
    /// `true` where a cost jumps across the other (replicas change) rather than meeting it.
    pub at_a_step: bool,
    /// Which plan is cheaper just above the crossing.
    pub cheaper_above: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Breakeven {
    pub scenario: String,
    pub plan: String,
    pub versus: String,
    pub range: Range,
    /// Year-1 costs of both plans at the scenario's own volume (factor 1).
    pub plan_cost_at_1: Decimal,
    pub versus_cost_at_1: Decimal,
    pub currency: String,
    pub crossings: Vec<Crossing>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Solution {
    pub scenario: String,
    pub plan: String,
    pub target_savings: Decimal,
    pub currency: String,
    /// Year-1 savings at the scenario's own volume.
    pub savings_at_1: Decimal,
    /// The smallest multiple of the scenario's volume at which the plan saves the target in
    /// year 1, if one exists in the range searched.
    pub factor: Option<Decimal>,
    /// At that volume: tokens and requests a month in year 1, on average.
    pub tokens_per_month: Option<Decimal>,
    pub requests_per_month: Option<Decimal>,
    pub range: Range,
}

/// Year-1 cost of a plan: the first twelve months, or the whole horizon if shorter.
fn year_one(plan: &PlanEstimate) -> Decimal {
    plan.years.first().map_or(Decimal::ZERO, |y| y.cost)
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

struct Search<'a> {
    catalog: &'a Catalog,
    scenario: &'a Scenario,
    options: Options,
}

impl Search<'_> {
    fn estimate(&self, factor: Decimal) -> Result<Estimate, Error> {
        let scaled = self
            .scenario
            .scaled(factor)
            .ok_or_else(|| Error::Overflow {
                what: format!("a volume scaled {factor}x"),
            })?;
        engine::estimate(self.catalog, &scaled, &self.options)
    }

    /// The factors of the grid from `range.from` to `range.to`.
    fn grid(range: Range) -> Vec<Decimal> {
        let mut factors = vec![range.from];
        let mut factor = range.from;
        while factor < range.to {
            factor = (factor * GRID_RATIO).min(range.to);
            factors.push(factor);
        }
        factors
    }

    /// Every factor in the range where `f` changes sign, bisected, with `f` just below and above.
    fn roots(
        &self,
        range: Range,
        f: &dyn Fn(&Estimate) -> Decimal,
    ) -> Result<Vec<(Decimal, Decimal, Decimal)>, Error> {
        let grid = Self::grid(range);
        let mut values = Vec::with_capacity(grid.len());
        for factor in &grid {
            values.push(f(&self.estimate(*factor)?));
        }
        let mut roots = Vec::new();
        for i in 1..grid.len() {
            let (a, b) = (values[i - 1], values[i]);
            if a.is_zero() && i > 1 {
                continue; // Counted as the right end of the previous cell.
            }
            if a.is_zero() || b.is_zero() || a.is_sign_negative() != b.is_sign_negative() {
                let (mut lo, mut hi, mut f_lo, mut f_hi) = (grid[i - 1], grid[i], a, b);
                for _ in 0..BISECTIONS {
                    if f_lo.is_zero() || f_hi.is_zero() {
                        break;
                    }
                    let mid = (lo + hi) / Decimal::TWO;
                    let f_mid = f(&self.estimate(mid)?);
                    if f_mid.is_sign_negative() == f_lo.is_sign_negative() && !f_mid.is_zero() {
                        (lo, f_lo) = (mid, f_mid);
                    } else {
                        (hi, f_hi) = (mid, f_mid);
                    }
                }
                let root = if f_lo.is_zero() { lo } else { hi };
                roots.push((root, f_lo, f_hi));
            }
        }
        Ok(roots)
    }
}

/// Average tokens a month in year 1 across the plan's routes.
fn tokens_per_month(plan: &PlanEstimate) -> Decimal {
    let months = plan.years.first().map_or(1, |y| y.months);
    let year_months = usize::try_from(months).unwrap_or(12);
    let tokens: Decimal = plan
        .workloads
        .iter()
        .flat_map(|w| &w.routes)
        .map(|r| {
            let per_request = r.per_request.tokens.input
                + r.per_request.tokens.output
                + r.per_request.tokens.reasoning;
            r.months
                .iter()
                .take(year_months)
                .map(|m| m.requests * per_request)
                .sum::<Decimal>()
        })
        .sum();
    tokens / Decimal::from(months)
}

/// The volume multiples at which `plan` and `versus` cost the same in year 1.
///
/// # Errors
/// [`Error::Argument`] for an unknown plan or an empty range; any engine error.
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
    check_range(range)?;
    let search = Search {
        catalog,
        scenario,
        options,
    };
    let difference = |e: &Estimate| year_one(plan(e, plan_id)) - year_one(plan(e, versus_id));
    let at_one = search.estimate(Decimal::ONE)?;
    let mut crossings = Vec::new();
    for (factor, below, above) in search.roots(range, &difference)? {
        let estimate = search.estimate(factor)?;
        let scale = year_one(plan(&estimate, plan_id)).abs().max(Decimal::ONE);
        // A meeting point has both sides close to zero; a step leaves a gap on one side.
        let gap = below.abs().max(above.abs());
        crossings.push(Crossing {
            factor,
            tokens_per_month: tokens_per_month(plan(&estimate, plan_id)),
            at_a_step: gap > scale / Decimal::ONE_THOUSAND,
            cheaper_above: if above.is_sign_negative() {
                plan_id
            } else {
                versus_id
            }
            .to_owned(),
        });
    }
    Ok(Breakeven {
        scenario: scenario.name.clone(),
        plan: plan_id.to_owned(),
        versus: versus_id.to_owned(),
        range,
        plan_cost_at_1: year_one(plan(&at_one, plan_id)),
        versus_cost_at_1: year_one(plan(&at_one, versus_id)),
        currency: scenario.currency.clone(),
        crossings,
    })
}

/// The smallest volume multiple at which `plan` saves `target` in year 1 against the baseline.
///
/// # Errors
/// [`Error::Argument`] for an unknown plan, the baseline itself, or an empty range; any engine
/// error.
pub fn solve(
    catalog: &Catalog,
    scenario: &Scenario,
    plan_id: &str,
    target: Decimal,
    range: Range,
    options: Options,
) -> Result<Solution, Error> {
    check_plan(scenario, plan_id)?;
    check_range(range)?;
    if scenario.plans.iter().any(|p| p.id == plan_id && p.baseline) {
        return Err(Error::Argument(format!(
            "`{plan_id}` is the baseline, which saves nothing against itself\nhint: name another plan"
        )));
    }
    let search = Search {
        catalog,
        scenario,
        options,
    };
    let gap = |e: &Estimate| year_one(e.baseline()) - year_one(plan(e, plan_id)) - target;
    let at_one = search.estimate(Decimal::ONE)?;
    let first = search.roots(range, &gap)?.into_iter().next();
    let (factor, tokens, requests) = match first {
        Some((factor, _, _)) => {
            let estimate = search.estimate(factor)?;
            let chosen = plan(&estimate, plan_id);
            let months = Decimal::from(chosen.years.first().map_or(1, |y| y.months));
            let year_months =
                usize::try_from(chosen.years.first().map_or(12, |y| y.months)).unwrap_or(12);
            let requests: Decimal = chosen
                .workloads
                .iter()
                .flat_map(|w| &w.routes)
                .map(|r| {
                    r.months
                        .iter()
                        .take(year_months)
                        .map(|m| m.requests)
                        .sum::<Decimal>()
                })
                .sum();
            (
                Some(factor),
                Some(tokens_per_month(chosen)),
                Some(requests / months),
            )
        }
        None => (None, None, None),
    };
    Ok(Solution {
        scenario: scenario.name.clone(),
        plan: plan_id.to_owned(),
        target_savings: target,
        currency: scenario.currency.clone(),
        savings_at_1: year_one(at_one.baseline()) - year_one(plan(&at_one, plan_id)),
        factor,
        tokens_per_month: tokens,
        requests_per_month: requests,
        range,
    })
}

fn check_range(range: Range) -> Result<(), Error> {
    if range.from <= Decimal::ZERO || range.to <= range.from {
        return Err(Error::Argument(format!(
            "the range must be positive and increasing (found {} to {})",
            range.from, range.to
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
