//! `costcalc sensitivity`: what the headline saving depends on.
//!
//! Each assumption (volume, growth, each provider's prices, each exchange rate, cache hit
//! shares, self-hosting utilisation) is moved to the low and the high end of its range in the
//! scenario's `[ranges]`, one at a time, and the whole engine is run again on the changed copy
//! (see `scenario::perturb` and `pricing::perturb`), so tiers, growth and capacity steps are
//! honoured. Pure, like the engine.
//!
//! Tipping points: how far an assumption can move before a plan's horizon savings change sign.
//! For volume this is the exact search behind `solve` ([`crate::solve::search`]). For the
//! others the range searched is split at the base; on each side whose far end has the other
//! sign, a bracket is narrowed by alternating secant and halving steps. Costs are affine in a
//! price multiple, an exchange rate and (for API offers) a cache share, so the first secant step
//! lands on the point itself; growth and capacity steps take the halving steps.

use crate::progress::{Progress, Silent};
use rust_decimal::Decimal;

use crate::engine::{self, Options};
use crate::error::Error;
use crate::estimate::sensitivity::{Assumption, PlanSensitivity, Sensitivity, Swing};
use crate::estimate::{Estimate, PlanEstimate};
use crate::pricing::Catalog;
use crate::scenario::Scenario;
use crate::solve::search;

/// The multiples searched for a tipping point: from nothing to a hundred times the base.
const MOST_MULTIPLE: Decimal = Decimal::ONE_HUNDRED;
/// The volume multiples searched, as `breakeven` searches by default.
const LEAST_VOLUME: Decimal = Decimal::from_parts(1, 0, 0, false, 2);
/// A bracket this narrow (relative to 1 or its value) is a point.
const NARROW: Decimal = Decimal::from_parts(1, 0, 0, false, 12);
/// The most engine runs one tipping point may take.
const MOST_STEPS: usize = 200;

/// Runs the engine with `assumption` at `value` (a multiple, or points added).
///
/// # Errors
/// [`Error::Overflow`] where the change leaves the decimal range; any engine error.
pub fn estimate_with(
    catalog: &Catalog,
    scenario: &Scenario,
    options: &Options,
    assumption: &Assumption,
    value: Decimal,
) -> Result<Estimate, Error> {
    let overflow = || Error::Overflow {
        what: format!("{} at {value}", assumption_text(assumption)),
    };
    let changed_catalog;
    let mut catalog = catalog;
    let changed = match assumption {
        Assumption::Volume => scenario.scaled(value).ok_or_else(overflow)?,
        Assumption::Growth => scenario.with_growth_scaled(value).ok_or_else(overflow)?,
        Assumption::Prices { provider } => {
            changed_catalog = catalog
                .with_provider_prices_scaled(provider, value)
                .ok_or_else(overflow)?;
            catalog = &changed_catalog;
            scenario.clone()
        }
        Assumption::ExchangeRate { currency } => scenario
            .with_rate_scaled(currency, value)
            .ok_or_else(overflow)?,
        Assumption::CacheHitShare => scenario.with_cache_hit_shifted(value),
        Assumption::Utilization => scenario.with_utilization_shifted(value),
    };
    engine::estimate(catalog, &changed, options)
}

/// How an assumption is named in messages.
fn assumption_text(assumption: &Assumption) -> String {
    match assumption {
        Assumption::Volume => "the volume".to_owned(),
        Assumption::Growth => "the growth".to_owned(),
        Assumption::Prices { provider } => format!("the prices of `{provider}`"),
        Assumption::ExchangeRate { currency } => format!("the rate of {currency}"),
        Assumption::CacheHitShare => "the cache hit share".to_owned(),
        Assumption::Utilization => "the target utilisation".to_owned(),
    }
}

fn year_one(plan: &PlanEstimate) -> Decimal {
    plan.years.first().map_or(Decimal::ZERO, |y| y.cost)
}

fn plan<'a>(estimate: &'a Estimate, id: &str) -> &'a PlanEstimate {
    estimate
        .plans
        .iter()
        .find(|p| p.id == id)
        .expect("the same scenario has the same plans")
}

/// Horizon and year-1 savings of `id` against the baseline.
fn savings(estimate: &Estimate, id: &str) -> Result<(Decimal, Decimal), Error> {
    let (base, this) = (estimate.baseline(), plan(estimate, id));
    let overflow = || Error::Overflow {
        what: format!("the savings of plan `{id}`"),
    };
    Ok((
        base.total_cost
            .checked_sub(this.total_cost)
            .ok_or_else(overflow)?,
        year_one(base)
            .checked_sub(year_one(this))
            .ok_or_else(overflow)?,
    ))
}

/// The assumptions that apply to the scenario, in a fixed order.
fn assumptions(scenario: &Scenario, base: &Estimate) -> Vec<Assumption> {
    let mut list = vec![Assumption::Volume];
    if scenario
        .workloads
        .iter()
        .any(|w| !w.growth_per_month.is_zero())
    {
        list.push(Assumption::Growth);
    }
    let providers: std::collections::BTreeSet<&str> = base
        .plans
        .iter()
        .flat_map(|p| &p.workloads)
        .flat_map(|w| &w.routes)
        .map(|r| r.provider.as_str())
        .collect();
    list.extend(providers.into_iter().map(|p| Assumption::Prices {
        provider: p.to_owned(),
    }));
    list.extend(scenario.rates.keys().map(|c| Assumption::ExchangeRate {
        currency: c.clone(),
    }));
    list.push(Assumption::CacheHitShare);
    if base.plans.iter().any(|p| !p.deployments.is_empty()) {
        list.push(Assumption::Utilization);
    }
    list
}

/// Each plan's savings at the low and high end of every assumption, ranked by swing, with
/// tipping points.
///
/// # Errors
/// Any engine error, or [`Error::Overflow`] where a changed assumption leaves the decimal range.
pub fn sensitivity(
    catalog: &Catalog,
    scenario: &Scenario,
    options: &Options,
) -> Result<Sensitivity, Error> {
    sensitivity_observed(catalog, scenario, options, &Silent)
}

/// [`sensitivity`], telling `progress` of each end estimated and each tipping point found.
///
/// # Errors
/// As [`sensitivity`].
pub fn sensitivity_observed(
    catalog: &Catalog,
    scenario: &Scenario,
    options: &Options,
    progress: &dyn Progress,
) -> Result<Sensitivity, Error> {
    let answer = sensitivity_with(catalog, scenario, *options, progress);
    progress.finish();
    answer
}

fn sensitivity_with(
    catalog: &Catalog,
    scenario: &Scenario,
    options: Options,
    progress: &dyn Progress,
) -> Result<Sensitivity, Error> {
    let options = &options;
    let ranges = scenario.ranges();
    let base = engine::estimate(catalog, scenario, options)?;
    let list = assumptions(scenario, &base);
    // Both ends of every assumption, then a tipping point per plan and assumption.
    let compared = base.plans.iter().filter(|p| !p.baseline).count();
    let steps = list.len() * (2 + compared);
    progress.start("assumptions", u64::try_from(steps).ok());
    let mut ends = Vec::with_capacity(list.len());
    for assumption in &list {
        let range = match assumption {
            Assumption::Volume => ranges.volume,
            Assumption::Growth => ranges.growth,
            Assumption::Prices { .. } => ranges.prices,
            Assumption::ExchangeRate { .. } => ranges.exchange_rates,
            Assumption::CacheHitShare => ranges.cache_hit_share,
            Assumption::Utilization => ranges.utilization,
        };
        let (low, high) = if assumption.is_multiple() {
            (Decimal::ONE - range, Decimal::ONE + range)
        } else {
            (-range, range)
        };
        let at_low = estimate_with(catalog, scenario, options, assumption, low)?;
        let at_high = estimate_with(catalog, scenario, options, assumption, high)?;
        progress.advance(2);
        ends.push((assumption, low, high, at_low, at_high));
    }
    let mut plans = Vec::new();
    for this in base.plans.iter().filter(|p| !p.baseline) {
        let (horizon, first) = savings(&base, &this.id)?;
        let mut swings = Vec::with_capacity(ends.len());
        for (assumption, low, high, at_low, at_high) in &ends {
            let (savings_low, year_one_low) = savings(at_low, &this.id)?;
            let (savings_high, year_one_high) = savings(at_high, &this.id)?;
            let swing = savings_high
                .checked_sub(savings_low)
                .ok_or_else(|| Error::Overflow {
                    what: format!("the swing of plan `{}`", this.id),
                })?
                .abs();
            let tipping_point =
                tipping_point(catalog, scenario, options, assumption, &this.id, horizon)?;
            progress.advance(1);
            swings.push(Swing {
                assumption: (*assumption).clone(),
                low: *low,
                high: *high,
                savings_low,
                savings_high,
                year_one_low,
                year_one_high,
                swing,
                tipping_point,
            });
        }
        // Stable: equal swings keep the assumptions' fixed order.
        swings.sort_by_key(|s| std::cmp::Reverse(s.swing));
        plans.push(PlanSensitivity {
            plan: this.id.clone(),
            savings: horizon,
            year_one_savings: first,
            assumptions: swings,
        });
    }
    Ok(Sensitivity {
        scenario: scenario.name().to_owned(),
        currency: base.scenario.currency.clone(),
        months: base.scenario.months,
        baseline: base.baseline().id.clone(),
        ranges,
        plans,
    })
}

/// Whether horizon savings of `value` are on the saving side: above zero.
fn saves(value: Decimal) -> bool {
    value > Decimal::ZERO
}

/// The value of `assumption` nearest its base at which `plan_id`'s horizon savings change sign.
///
/// # Errors
/// Any engine error at a value searched, except a change that leaves the decimal range, which
/// ends the search on that side.
pub fn tipping_point(
    catalog: &Catalog,
    scenario: &Scenario,
    options: &Options,
    assumption: &Assumption,
    plan_id: &str,
    base_savings: Decimal,
) -> Result<Option<Decimal>, Error> {
    let mut at = |value: Decimal| -> Result<Option<Decimal>, Error> {
        match estimate_with(catalog, scenario, options, assumption, value) {
            Ok(estimate) => Ok(Some(savings(&estimate, plan_id)?.0)),
            Err(Error::Overflow { .. }) => Ok(None),
            Err(other) => Err(other),
        }
    };
    if *assumption == Assumption::Volume {
        return volume_tipping_point(catalog, scenario, *options, plan_id);
    }
    let (base, least, most) = if assumption.is_multiple() {
        (Decimal::ONE, Decimal::ZERO, MOST_MULTIPLE)
    } else {
        (Decimal::ZERO, Decimal::NEGATIVE_ONE, Decimal::ONE)
    };
    let mut nearest: Option<Decimal> = None;
    for end in [least, most] {
        let Some(at_end) = at(end)? else { continue };
        if saves(at_end) == saves(base_savings) {
            continue;
        }
        let point = narrow(&mut at, (base, base_savings), (end, at_end))?;
        if nearest.is_none_or(|n| (point - base).abs() < (n - base).abs()) {
            nearest = Some(point);
        }
    }
    Ok(nearest)
}

/// Narrows `[inside, outside]`, whose ends differ in [`saves`], to the first value on the
/// outside's side: secant steps where the savings are affine, halving steps otherwise.
fn narrow(
    at: &mut dyn FnMut(Decimal) -> Result<Option<Decimal>, Error>,
    mut inside: (Decimal, Decimal),
    mut outside: (Decimal, Decimal),
) -> Result<Decimal, Error> {
    for step in 0..MOST_STEPS {
        let width = (outside.0 - inside.0).abs();
        if width <= NARROW * inside.0.abs().max(Decimal::ONE) {
            break;
        }
        let middle = (inside.0 + outside.0) / Decimal::TWO;
        // Where the line through both ends meets zero.
        let secant = (outside.0 - inside.0)
            .checked_mul(inside.1)
            .and_then(|d| d.checked_div(inside.1 - outside.1))
            .map(|d| inside.0 + d);
        let inside_bracket = |v: Decimal| {
            let (a, b) = if inside.0 < outside.0 {
                (inside.0, outside.0)
            } else {
                (outside.0, inside.0)
            };
            v > a && v < b
        };
        let value = match secant {
            Some(v) if step % 2 == 0 && inside_bracket(v) => v,
            _ => middle,
        };
        let Some(savings) = at(value)? else {
            outside = (value, outside.1);
            continue;
        };
        if saves(savings) == saves(inside.1) {
            inside = (value, savings);
        } else {
            outside = (value, savings);
            if savings.is_zero() {
                break;
            }
        }
    }
    Ok(outside.0)
}

/// Every replica count of a plan's deployments over the horizon, in order.
fn replicas(plan: &PlanEstimate, into: &mut Vec<u64>) {
    for month in plan.deployments.iter().flat_map(|d| &d.months) {
        into.push(month.replicas_peak);
        into.push(month.replicas_off_peak);
    }
}

/// The volume multiple nearest 1 at which the horizon savings change sign, by the exact search
/// behind `solve`, on horizon totals: each plan's cost is non-decreasing in volume and affine
/// where no replica count changes, as the search requires.
fn volume_tipping_point(
    catalog: &Catalog,
    scenario: &Scenario,
    options: Options,
    plan_id: &str,
) -> Result<Option<Decimal>, Error> {
    let scan = search::scan(LEAST_VOLUME, MOST_MULTIPLE, Decimal::ZERO, &mut |factor| {
        let estimate = estimate_with(catalog, scenario, &options, &Assumption::Volume, factor)?;
        let (base, this) = (estimate.baseline(), plan(&estimate, plan_id));
        let mut counts = Vec::new();
        replicas(base, &mut counts);
        replicas(this, &mut counts);
        Ok(search::Sample {
            factor,
            left: base.total_cost,
            right: this.total_cost,
            replicas: counts,
        })
    })?;
    let distance = |f: Decimal| {
        if f >= Decimal::ONE {
            f
        } else {
            Decimal::ONE.checked_div(f).unwrap_or(Decimal::MAX)
        }
    };
    Ok(scan
        .changes
        .iter()
        .map(search::Change::meeting_side)
        .min_by_key(|f| distance(*f)))
}

#[cfg(test)]
mod tests;
