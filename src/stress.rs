//! Losing a provider: `costcalc stress`. From the month of the loss, every route at a lost
//! provider (or at any provider in a lost country) moves: to the first of its `fallback` offers
//! that is not lost; without one, to the same model at the cheapest other host that is not lost
//! and meets the scenario's `[policy]`; without that, its requests are stranded.
//!
//! The stress is a pure transformation of the scenario: each lost route is split at the loss
//! month (the old route until then, the new one from then), and the engine estimates the
//! stressed scenario as it estimates any other. The answer compares the two estimates. Other
//! hosts found automatically are API offers; a self-hosted deployment is priced by capacity,
//! not by the request, so it takes traffic only when a route names it as a fallback.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::calendar::{Date, YearMonth};
use crate::engine::{self, request::Overflow};
use crate::error::{Error, suggest};
use crate::estimate::stress::{
    Damage, Loss, Move, MoveKind, PlanRanking, PlanStress, Stranded, Stress, Window,
};
use crate::estimate::{Estimate, PlanEstimate, RouteEstimate};
use crate::policy::host::{Host, broken};
use crate::policy::region;
use crate::pricing::{Catalog, Target};
use crate::progress::{Progress, Silent};
use crate::scenario::{Route, Scenario, Workload};

/// What to lose, and from when.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Provider ids.
    pub providers: Vec<String>,
    /// Country codes or region names (`EU`, `EEA`).
    pub countries: Vec<String>,
    /// Every provider the plans use, one at a time.
    pub each: bool,
    /// The month of the loss; the horizon's start when `None`.
    pub from: Option<YearMonth>,
}

/// Providers and countries lost together.
#[derive(Debug, Clone, Default)]
struct Lost {
    providers: BTreeSet<String>,
    countries: BTreeSet<String>,
}

impl Lost {
    fn hits(&self, host: &Host<'_>) -> bool {
        self.providers.contains(host.provider) || self.countries.contains(host.country)
    }
}

/// Where a lost route goes.
enum Destination {
    Move(String, MoveKind),
    Stranded(String),
}

/// What happened to one route of a plan in the stressed scenario.
struct Outcome {
    /// The route's place in the plan as written.
    index: usize,
    destination: Destination,
    /// The new route's place in the stressed plan.
    new_index: Option<usize>,
}

/// Runs the stress test.
///
/// # Errors
/// [`Error::Argument`] for an unknown provider or country, or a month outside the horizon;
/// [`Error::Overflow`] if a figure leaves the decimal range.
pub fn stress(
    catalog: &Catalog,
    scenario: &Scenario,
    request: &Request,
    options: &engine::Options,
) -> Result<Stress, Error> {
    stress_observed(catalog, scenario, request, options, &Silent)
}

/// [`stress`], telling `progress` of each estimate: the scenario as written, then one per loss
/// (one per provider the plans use with `--lose-each`).
///
/// # Errors
/// As [`stress`].
pub fn stress_observed(
    catalog: &Catalog,
    scenario: &Scenario,
    request: &Request,
    options: &engine::Options,
    progress: &dyn Progress,
) -> Result<Stress, Error> {
    let answer = stress_with(catalog, scenario, request, *options, progress);
    progress.finish();
    answer
}

fn stress_with(
    catalog: &Catalog,
    scenario: &Scenario,
    request: &Request,
    options: engine::Options,
    progress: &dyn Progress,
) -> Result<Stress, Error> {
    let options = &options;
    let lost = check_request(catalog, request)?;
    let months: Vec<YearMonth> = scenario.months().collect();
    let end = *months.last().unwrap_or(&scenario.start);
    let from = request.from.unwrap_or(scenario.start);
    if from < scenario.start || from > end {
        return Err(Error::Argument(format!(
            "`--from {from}` is outside the horizon of `{}` ({} to {end})\nhint: give a month from {} to {end}",
            scenario.path, scenario.start, scenario.start
        )));
    }
    let first_year_months: Vec<YearMonth> = months
        .iter()
        .copied()
        .filter(|m| *m >= from)
        .take(12)
        .collect();
    let first_year = Window {
        start: from,
        end: *first_year_months.last().unwrap_or(&from),
        months: u32::try_from(first_year_months.len()).unwrap_or(12),
    };
    let last_day = last_day(end);
    let used = used_providers(catalog, scenario);
    let mut notes = Vec::new();
    let losses: Vec<Lost> = if request.each {
        used.iter()
            .map(|p| Lost {
                providers: BTreeSet::from([p.clone()]),
                countries: BTreeSet::new(),
            })
            .collect()
    } else {
        for provider in lost.providers.iter().filter(|p| !used.contains(*p)) {
            notes.push(format!(
                "no plan uses `{provider}`: losing it changes nothing"
            ));
        }
        vec![lost]
    };
    progress.start("estimates", u64::try_from(losses.len() + 1).ok());
    let before = engine::estimate(catalog, scenario, options)?;
    progress.advance(1);
    let mut results = Vec::with_capacity(losses.len());
    for lost in &losses {
        let (stressed, outcomes) = stressed(catalog, scenario, lost, from, last_day)?;
        let after = engine::estimate(catalog, &stressed, options)?;
        progress.advance(1);
        let mut plans = Vec::with_capacity(scenario.plans.len());
        for (index, outcomes) in outcomes.iter().enumerate() {
            plans.push(
                compare(
                    &before.plans[index],
                    &after.plans[index],
                    outcomes,
                    from,
                    &first_year_months,
                )
                .map_err(|Overflow| Error::Overflow {
                    what: format!(
                        "the cost of losing {} in plan `{}`",
                        describe(lost),
                        before.plans[index].id
                    ),
                })?,
            );
        }
        results.push(Loss {
            providers: lost.providers.iter().cloned().collect(),
            countries: lost.countries.iter().cloned().collect(),
            plans,
        });
    }
    let ranking = request.each.then(|| rank(&before, &results));
    Ok(Stress {
        scenario: scenario.name.clone(),
        path: scenario.path.clone(),
        currency: scenario.currency.clone(),
        start: scenario.start,
        end,
        from,
        first_year,
        policy: scenario.policy.is_some(),
        losses: results,
        ranking,
        notes,
    })
}

/// The providers and countries asked for, each known to the catalog.
fn check_request(catalog: &Catalog, request: &Request) -> Result<Lost, Error> {
    let mut lost = Lost::default();
    for provider in &request.providers {
        if let Some(message) = crate::query::unknown_provider_hint(catalog, provider) {
            let (what, hint) = message
                .split_once("; ")
                .unwrap_or((message.as_str(), "run `costcalc models` to see them"));
            return Err(Error::Argument(format!(
                "`--lose {provider}`: {what}\nhint: {hint}"
            )));
        }
        lost.providers.insert(provider.clone());
    }
    let countries: BTreeSet<&str> = catalog
        .providers
        .values()
        .map(|p| p.country.as_str())
        .collect();
    for country in &request.countries {
        if let Some(codes) = region(country) {
            lost.countries.extend(codes.iter().map(|c| (*c).to_owned()));
            continue;
        }
        if countries.contains(country.as_str()) {
            lost.countries.insert(country.clone());
            continue;
        }
        let upper = country.to_ascii_uppercase();
        let hint = if countries.contains(upper.as_str()) || region(&upper).is_some() {
            format!("did you mean `{upper}`?")
        } else if let Some(best) = suggest(country, countries.iter().copied()) {
            format!("did you mean `{best}`?")
        } else {
            format!(
                "the providers' countries are {}; regions `EU` and `EEA` name their member states",
                countries
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Err(Error::Argument(format!(
            "`--lose-country {country}`: no provider in the catalog is in `{country}`\nhint: {hint}"
        )));
    }
    Ok(lost)
}

/// Every provider a plan routes to (a deployment's GPU vendor), ordered by id.
fn used_providers(catalog: &Catalog, scenario: &Scenario) -> BTreeSet<String> {
    scenario
        .plans
        .iter()
        .flat_map(|p| &p.routes)
        .filter_map(|r| catalog.target(&r.offer).ok())
        .map(|t| Host::of(catalog, t).provider.to_owned())
        .collect()
}

fn describe(lost: &Lost) -> String {
    let mut names: Vec<String> = lost.providers.iter().map(|p| format!("`{p}`")).collect();
    names.extend(
        lost.countries
            .iter()
            .map(|c| format!("the providers in {c}")),
    );
    names.join(", ")
}

fn last_day(month: YearMonth) -> Date {
    u8::try_from(month.days())
        .ok()
        .and_then(|day| Date::new(month.year(), month.month(), day))
        .unwrap_or_else(|| month.first_day())
}

/// The scenario with every lost route split at `from`, and what happened to each route of each
/// plan. A route lost from the horizon's start is replaced rather than split.
fn stressed(
    catalog: &Catalog,
    scenario: &Scenario,
    lost: &Lost,
    from: YearMonth,
    last_day: Date,
) -> Result<(Scenario, Vec<Vec<Outcome>>), Error> {
    let mut stressed = scenario.clone();
    let mut all = Vec::with_capacity(scenario.plans.len());
    for plan in &mut stressed.plans {
        let mut routes = Vec::with_capacity(plan.routes.len());
        let mut outcomes = Vec::new();
        for (index, route) in plan.routes.iter().enumerate() {
            let target = catalog
                .target(&route.offer)
                .expect("a validated route names a known offer or deployment");
            if !lost.hits(&Host::of(catalog, target)) {
                routes.push(route.clone());
                continue;
            }
            if from > scenario.start {
                routes.push(Route {
                    until: Some(from),
                    ..route.clone()
                });
            }
            let workload = &scenario.workloads[route.workload];
            let destination = destination(catalog, scenario, lost, route, workload, from, last_day)
                .map_err(|Overflow| Error::Overflow {
                    what: format!("the cost of workload `{}` at other hosts", workload.id),
                })?;
            let new_index = match &destination {
                Destination::Move(to, _) => {
                    routes.push(Route {
                        offer: to.clone(),
                        fallback: Vec::new(),
                        from: (from > scenario.start).then_some(from),
                        until: None,
                        ..route.clone()
                    });
                    Some(routes.len() - 1)
                }
                Destination::Stranded(_) => None,
            };
            outcomes.push(Outcome {
                index,
                destination,
                new_index,
            });
        }
        plan.routes = routes;
        all.push(outcomes);
    }
    Ok((stressed, all))
}

/// Where a lost route goes: its first fallback that is not lost, or the cheapest other host of
/// its model, or nowhere (with the reason).
fn destination(
    catalog: &Catalog,
    scenario: &Scenario,
    lost: &Lost,
    route: &Route,
    workload: &Workload,
    from: YearMonth,
    last_day: Date,
) -> Result<Destination, Overflow> {
    for fallback in &route.fallback {
        let target = catalog
            .target(fallback)
            .expect("a validated fallback names a known offer or deployment");
        if !lost.hits(&Host::of(catalog, target)) {
            return Ok(Destination::Move(fallback.clone(), MoveKind::Fallback));
        }
    }
    let own = Host::of(
        catalog,
        catalog
            .target(&route.offer)
            .expect("a validated route names a known offer or deployment"),
    );
    let mut refused = Vec::new();
    let mut best: Option<(Decimal, &str)> = None;
    let largest = workload.largest_prompt();
    for offer in catalog
        .offers()
        .filter(|o| o.model == own.model && o.id != route.offer)
    {
        let host = Host::of(catalog, Target::Api(offer));
        if lost.hits(&host) {
            refused.push(format!("`{}` is lost too", offer.id));
            continue;
        }
        if offer.deprecated.is_some_and(|d| d <= from.first_day()) {
            refused.push(format!("`{}` is retired by then", offer.id));
            continue;
        }
        if let (Some(limit), Some(largest)) = (offer.input_limit(catalog), largest)
            && largest > Decimal::from(limit)
        {
            refused.push(format!(
                "`{}` accepts at most {limit} prompt tokens",
                offer.id
            ));
            continue;
        }
        if let Some(policy) = &scenario.policy
            && let Some((rule, _)) = broken(policy, &workload.id, &host, last_day).first()
        {
            refused.push(format!(
                "`{}` breaks the policy's `{}`",
                offer.id,
                rule.key()
            ));
            continue;
        }
        let rate = if offer.currency == scenario.currency {
            Decimal::ONE
        } else if let Some(rate) = scenario.rates.get(&offer.currency) {
            rate.rate
        } else {
            refused.push(format!(
                "`{}` is priced in {} and the scenario has no rate for it",
                offer.id, offer.currency
            ));
            continue;
        };
        let Some(cost) = engine::request_cost(offer, workload, rate)? else {
            refused.push(format!(
                "`{}` does not price what the requests carry",
                offer.id
            ));
            continue;
        };
        if best.is_none_or(|(c, id)| (cost, offer.id.as_str()) < (c, id)) {
            best = Some((cost, offer.id.as_str()));
        }
    }
    if let Some((_, id)) = best {
        return Ok(Destination::Move(id.to_owned(), MoveKind::OtherHost));
    }
    let mut reason = if refused.is_empty() {
        match own.weights {
            crate::pricing::Weights::Closed => format!(
                "`{}` has closed weights and no other host serves it",
                own.model
            ),
            crate::pricing::Weights::Open => {
                format!("no other host in the catalog serves `{}`", own.model)
            }
        }
    } else {
        format!("no other host can take it: {}", refused.join("; "))
    };
    if !route.fallback.is_empty() {
        reason = format!("its fallbacks are lost too, and {reason}");
    }
    Ok(Destination::Stranded(reason))
}

/// The routes of an estimated plan in the plan's order.
fn flat(plan: &PlanEstimate) -> Vec<&RouteEstimate> {
    plan.workloads.iter().flat_map(|w| &w.routes).collect()
}

/// A route's cost and requests from `from` to the end of the horizon.
fn from_month(route: &RouteEstimate, from: YearMonth) -> Result<(Decimal, Decimal), Overflow> {
    let mut cost = Decimal::ZERO;
    let mut requests = Decimal::ZERO;
    for month in route.months.kept.iter().filter(|m| m.month >= from) {
        cost = cost.checked_add(month.cost).ok_or(Overflow)?;
        requests = requests.checked_add(month.requests).ok_or(Overflow)?;
    }
    Ok((cost, requests))
}

fn ratio(part: Decimal, whole: Decimal) -> Option<Decimal> {
    part.checked_div(whole).map(|r| r.normalize())
}

/// One plan under one loss, from its estimates before and after.
fn compare(
    before: &PlanEstimate,
    after: &PlanEstimate,
    outcomes: &[Outcome],
    from: YearMonth,
    first_year: &[YearMonth],
) -> Result<PlanStress, Overflow> {
    let old_routes = flat(before);
    let new_routes = flat(after);
    let mut plan_requests = Decimal::ZERO;
    for route in &old_routes {
        plan_requests = plan_requests
            .checked_add(from_month(route, from)?.1)
            .ok_or(Overflow)?;
    }
    let mut moves = Vec::new();
    let mut stranded = Vec::new();
    let mut stranded_cost = Decimal::ZERO;
    let mut stranded_requests = Decimal::ZERO;
    let mut stranded_first_year = Decimal::ZERO;
    for outcome in outcomes {
        let old = old_routes[outcome.index];
        let (cost_before, requests) = from_month(old, from)?;
        match (&outcome.destination, outcome.new_index) {
            (Destination::Move(to, by), Some(new_index)) => {
                let new = new_routes[new_index];
                moves.push(Move {
                    workload: workload_of(before, outcome.index),
                    offer: old.offer.clone(),
                    provider: old.provider.clone(),
                    share: old.share,
                    to: to.clone(),
                    to_provider: new.provider.clone(),
                    by: *by,
                    cost_before,
                    cost_after: new.cost,
                    extra_cost: new.cost.checked_sub(cost_before).ok_or(Overflow)?,
                });
            }
            (Destination::Stranded(reason), _) => {
                stranded_cost = stranded_cost.checked_add(cost_before).ok_or(Overflow)?;
                stranded_requests = stranded_requests.checked_add(requests).ok_or(Overflow)?;
                for month in old.months.iter().filter(|m| first_year.contains(&m.month)) {
                    stranded_first_year = stranded_first_year
                        .checked_add(month.cost)
                        .ok_or(Overflow)?;
                }
                stranded.push(Stranded {
                    workload: workload_of(before, outcome.index),
                    offer: old.offer.clone(),
                    provider: old.provider.clone(),
                    share: old.share,
                    requests,
                    traffic_share: ratio(requests, plan_requests),
                    cost: cost_before,
                    reason: reason.clone(),
                });
            }
            (Destination::Move(..), None) => unreachable!("a move adds a route"),
        }
    }
    let extra_cost = after
        .total_cost
        .checked_add(stranded_cost)
        .and_then(|c| c.checked_sub(before.total_cost))
        .ok_or(Overflow)?;
    let mut extra_cost_first_year = stranded_first_year;
    for (new, old) in after.monthly.iter().zip(&before.monthly) {
        if first_year.contains(&new.month) {
            extra_cost_first_year = extra_cost_first_year
                .checked_add(new.cost)
                .and_then(|c| c.checked_sub(old.cost))
                .ok_or(Overflow)?;
        }
    }
    Ok(PlanStress {
        plan: before.id.clone(),
        name: before.name.clone(),
        baseline: before.baseline,
        total_before: before.total_cost,
        total_after: after.total_cost,
        extra_cost,
        extra_cost_first_year,
        stranded_cost,
        stranded_traffic_share: if stranded.is_empty() {
            None
        } else {
            ratio(stranded_requests, plan_requests)
        },
        moves,
        stranded,
        exposure_after: after.exposure.clone(),
        compliant_after: after.policy.as_ref().map(|p| p.compliant),
    })
}

/// The workload of the plan's `index`-th route.
fn workload_of(plan: &PlanEstimate, index: usize) -> String {
    plan.workloads
        .iter()
        .flat_map(|w| w.routes.iter().map(move |_| &w.id))
        .nth(index)
        .cloned()
        .unwrap_or_default()
}

/// For each plan, the providers it uses ranked by damage: stranded traffic first, then extra
/// cost over the horizon, then id.
fn rank(before: &Estimate, losses: &[Loss]) -> Vec<PlanRanking> {
    before
        .plans
        .iter()
        .enumerate()
        .map(|(index, plan)| {
            let uses: BTreeSet<&str> = flat(plan).iter().map(|r| r.provider.as_str()).collect();
            let mut providers: Vec<Damage> = losses
                .iter()
                .filter(|l| l.providers.iter().any(|p| uses.contains(p.as_str())))
                .map(|loss| {
                    let stress = &loss.plans[index];
                    Damage {
                        provider: loss.providers.join(", "),
                        stranded_traffic_share: stress.stranded_traffic_share,
                        stranded_cost: stress.stranded_cost,
                        extra_cost: stress.extra_cost,
                        extra_cost_first_year: stress.extra_cost_first_year,
                    }
                })
                .collect();
            providers.sort_by(|a, b| {
                b.stranded_traffic_share
                    .unwrap_or_default()
                    .cmp(&a.stranded_traffic_share.unwrap_or_default())
                    .then_with(|| b.extra_cost.cmp(&a.extra_cost))
                    .then_with(|| a.provider.cmp(&b.provider))
            });
            let single_point_of_failure = providers
                .first()
                .filter(|d| d.stranded_traffic_share.is_some())
                .map(|d| d.provider.clone());
            PlanRanking {
                plan: plan.id.clone(),
                single_point_of_failure,
                providers,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
