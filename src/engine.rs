//! The cost engine: a validated catalog and scenario in, an unrounded [`Estimate`] out.
//!
//! Pure: no files, no printing, and no rounding but one: a growing workload's requests in a month
//! are held to [`REQUEST_DIGITS`] significant digits. The engine prices the average request of
//! each workload at each offer once ([`request`]), under each price list in force in the horizon,
//! and multiplies it by the requests of each calendar month. All arithmetic on user numbers is
//! checked; an overflow is an error naming the plan and workload.

pub mod capacity;
mod dated;
mod fleet;
pub mod request;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::calendar::{Date, YearMonth};
use crate::component::Component;
use crate::error::Error;
use crate::estimate::{
    Estimate, MonthCost, Note, OfferChange, OfferInfo, Payback, PlanEstimate, PricedBy,
    RequestCost, RouteEstimate, RouteMonth, ScenarioInfo, TrendRule, WorkloadEstimate,
    WorkloadInfo, YearEstimate,
};
use crate::money::{Price, TOKENS_PER_MTOK};
use crate::pricing::{Catalog, Offer, ServiceTier, Target};
use crate::scenario::trend::Step;
use crate::scenario::{Plan, Route, Scenario, Volume, Workload};
use crate::{exposure, policy};
use dated::Schedule;
use fleet::{Fleet, Fleets};
use request::{Fallbacks, Overflow, PriceError, Request, add, div, mul};

/// Choices that are not part of the scenario file.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Prices checked more than this many days before the horizon starts are flagged.
    pub stale_after_days: u32,
    /// Which routes keep their months ([`RouteEstimate::months`]), which only line items and
    /// the JSON month detail show. Without them a route, a plan's months and a workload's cost
    /// are still summed month by month as before, to the same figures; only the 120 rows a route
    /// would hold for a ten-year horizon are not kept.
    pub route_months: RouteMonths,
}

/// Which routes keep their months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteMonths {
    /// None: months are summed as they are made.
    Summed,
    /// Routes priced by capacity, whose months are shares of their deployment's, and routes
    /// whose price changes or that carry traffic in only some months; every other route holds
    /// what works its months out again, as they are read or written (its workload's requests
    /// each month, shared, not copied): every route's months are there to show, and few are kept.
    SelfHosted,
    /// Every route.
    All,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            stale_after_days: 180,
            route_months: RouteMonths::All,
        }
    }
}

/// Estimates every plan of a scenario.
///
/// # Errors
/// [`Error::Overflow`] if a cost leaves the decimal range.
///
/// # Panics
/// Only on a bug: the scenario was validated against this catalog, so every route names a known
/// offer and every currency has a rate.
pub fn estimate(
    catalog: &Catalog,
    scenario: &Scenario,
    options: &Options,
) -> Result<Estimate, Error> {
    let months: Vec<YearMonth> = scenario.months().collect();

    let mut demands = Vec::with_capacity(scenario.workloads.len());
    for workload in &scenario.workloads {
        let demand = Demand::of(workload, &months).map_err(|Overflow| Error::Overflow {
            what: format!("the request count of workload `{}`", workload.id),
        })?;
        demands.push(demand);
    }

    let (mut plans, mut notes) =
        estimate_plans(catalog, scenario, &months, &demands, options.route_months)?;
    compare_with_baseline(&mut plans)?;

    let start = scenario.start.first_day();
    let end = months.last().copied().unwrap_or(scenario.start);
    let last_day = last_day_of(end).unwrap_or(start);
    let requests: Vec<Requests<'_>> = demands.iter().map(Demand::requests).collect();
    let policy_cost = exposure_and_policy(catalog, scenario, &mut plans, &requests, last_day)?;
    let used: BTreeSet<&str> = scenario
        .plans
        .iter()
        .flat_map(|p| p.routes.iter().map(|r| r.offer.as_str()))
        .collect();
    let mut offers = Vec::with_capacity(used.len());
    for offer in used.iter().filter_map(|id| catalog.offers.get(*id)) {
        // The prices in force on the horizon's first day, with their own date and source.
        let in_force = offer.with_change(offer.change_in_force(start));
        let mut info = offer_info(catalog, &in_force);
        info.changes = changes_inside(offer, start, last_day);
        offers.push(info);
        price_changes(&mut notes, offer, start, last_day);
        notes.stale(&offer.id, in_force.as_of, start, options.stale_after_days);
        notes.inherited_cache_prices(offer);
        if let Some(date) = offer.deprecated.filter(|d| *d <= last_day) {
            notes.notes.insert(Note::Deprecated {
                offer: offer.id.clone(),
                date,
            });
        }
        if let Some(rate) = scenario.rates.get(&offer.currency) {
            notes.notes.insert(Note::ExchangeRate {
                currency: rate.currency.clone(),
                rate: rate.rate,
                quote: rate.quote.clone(),
                as_of: rate.as_of,
                source: rate.source.clone(),
            });
        }
    }
    trend_notes(&mut notes, catalog, scenario, &used);
    // GPU rental prices are prices too: flag old ones, and note conversions.
    let gpu_offers: BTreeSet<&str> = used
        .iter()
        .filter_map(|id| catalog.deployment(id))
        .map(|d| d.gpu_offer.as_str())
        .collect();
    for gpu_offer in gpu_offers.iter().filter_map(|id| catalog.gpu_offer(id)) {
        notes.stale(
            &gpu_offer.id,
            gpu_offer.as_of,
            start,
            options.stale_after_days,
        );
        if let Some(rate) = scenario.rates.get(&gpu_offer.currency) {
            notes.notes.insert(Note::ExchangeRate {
                currency: rate.currency.clone(),
                rate: rate.rate,
                quote: rate.quote.clone(),
                as_of: rate.as_of,
                source: rate.source.clone(),
            });
        }
    }

    let workloads = scenario
        .workloads
        .iter()
        .zip(demands)
        .map(|(w, demand)| WorkloadInfo {
            id: w.id.clone(),
            name: w.name.clone(),
            requests: demand.total,
            months: demand.months,
        })
        .collect();

    Ok(Estimate {
        scenario: ScenarioInfo {
            name: scenario.name.clone(),
            description: scenario.description.clone(),
            path: scenario.path.clone(),
            start: scenario.start,
            end,
            months: scenario.months,
            currency: scenario.currency.clone(),
            workloads,
        },
        plans,
        offers,
        notes: notes.finish(),
        policy_cost,
    })
}

/// Estimates every plan's costs and nothing else: no comparison with the baseline, no exposure,
/// policy, offers or notes. Each plan's figures are those [`estimate`] gives it; for searches
/// that only compare costs, such as `breakeven`.
///
/// # Errors
/// [`Error::Overflow`] if a cost leaves the decimal range.
pub fn plan_costs(
    catalog: &Catalog,
    scenario: &Scenario,
    options: &Options,
) -> Result<Vec<PlanEstimate>, Error> {
    let months: Vec<YearMonth> = scenario.months().collect();
    let mut demands = Vec::with_capacity(scenario.workloads.len());
    for workload in &scenario.workloads {
        let demand = Demand::of(workload, &months).map_err(|Overflow| Error::Overflow {
            what: format!("the request count of workload `{}`", workload.id),
        })?;
        demands.push(demand);
    }
    let (plans, _) = estimate_plans(catalog, scenario, &months, &demands, options.route_months)?;
    Ok(plans)
}

/// A note for each of the scenario's trends, naming the offers the plans use that it applies to.
fn trend_notes(
    notes: &mut NoteBook,
    catalog: &Catalog,
    scenario: &Scenario,
    used: &BTreeSet<&str>,
) {
    for trend in &scenario.trends {
        let applies_to = used
            .iter()
            .filter_map(|id| catalog.offers.get(*id))
            .filter(|offer| trend.applies_to(catalog, offer))
            .map(|offer| offer.id.clone())
            .collect();
        notes.notes.insert(Note::PriceTrend {
            rule: match trend.step {
                Step::Yearly => TrendRule::Yearly,
                Step::Once => TrendRule::Once,
            },
            change: trend.change,
            from: trend.from,
            offers: applies_to,
            source: trend.source.clone(),
        });
    }
}

/// A note for each price a dated change of `offer` changes from `start` to `last_day`.
fn price_changes(notes: &mut NoteBook, offer: &Offer, start: Date, last_day: Date) {
    for (index, change) in offer.changes.iter().enumerate() {
        if change.from < start || change.from > last_day {
            continue;
        }
        let before = index
            .checked_sub(1)
            .map_or(offer.base, |i| offer.changes[i].list);
        for (component, new) in change.stated.iter() {
            let Some(new) = new else { continue };
            let old = before.get(component);
            if old == Some(*new) {
                continue;
            }
            notes.notes.insert(Note::PriceChange {
                offer: offer.id.clone(),
                date: change.from,
                component,
                old: old.map(Price::get),
                new: new.get(),
                source: change.source.clone(),
            });
        }
    }
}

/// The dated changes of `offer` from `start` to `last_day`, with the prices each states.
fn changes_inside(offer: &Offer, start: Date, last_day: Date) -> Vec<OfferChange> {
    offer
        .changes
        .iter()
        .filter(|change| change.from >= start && change.from <= last_day)
        .map(|change| OfferChange {
            from: change.from,
            prices: change.stated.map(|_, price| price.map(Price::get)),
            as_of: change.as_of,
            source: change.source.clone(),
        })
        .collect()
}

/// The last day of a month.
fn last_day_of(month: YearMonth) -> Option<Date> {
    Date::new(
        month.year(),
        month.month(),
        u8::try_from(month.days()).ok()?,
    )
}

/// Fills in each plan's exposure and, with a policy, its compliance; returns what the policy
/// costs.
fn exposure_and_policy(
    catalog: &Catalog,
    scenario: &Scenario,
    plans: &mut [PlanEstimate],
    requests: &[Requests<'_>],
    last_day: Date,
) -> Result<Option<policy::PolicyCost>, Error> {
    let mut hosts = exposure::Hosts::new(catalog, scenario);
    for plan in plans.iter_mut() {
        plan.exposure =
            exposure::of(catalog, scenario, plan, requests, &mut hosts).map_err(|Overflow| {
                Error::Overflow {
                    what: format!("the exposure of plan `{}`", plan.id),
                }
            })?;
        plan.policy = scenario
            .policy
            .as_ref()
            .map(|p| policy::check(p, catalog, &plan.exposure, last_day));
    }
    policy::cost(plans).map_err(|Overflow| Error::Overflow {
        what: "the cost of the policy".to_owned(),
    })
}

/// What the average request of `workload` costs at `offer`, in the report currency (`rate` units
/// per unit of the offer's currency), priced exactly as a route there would be: for comparing a
/// route with the other hosts of its model. Notes on missing prices are not kept. `None` where
/// the offer has no price for something the workload's requests carry (audio at a text model).
///
/// # Errors
/// [`Overflow`] if the cost leaves the decimal range.
pub(crate) fn request_cost(
    offer: &Offer,
    workload: &Workload,
    rate: Decimal,
) -> Result<Option<Decimal>, Overflow> {
    let mut notes = NoteBook::default();
    match average_request(offer, workload, rate, &mut notes) {
        Ok(cost) => Ok(Some(cost.total)),
        Err(PriceError::Unpriced(_)) => Ok(None),
        Err(PriceError::Overflow) => Err(Overflow),
    }
}

/// The average requests [`cost_over_months`] has priced at offers whose price does not change,
/// by workload and offer: one estimate reprices the same workload at the same other host for
/// every plan that routes it to the same model. For one scenario (one report currency) only.
#[derive(Default)]
pub(crate) struct RequestPrices<'a> {
    totals: HashMap<(&'a str, &'a str), Option<Decimal>>,
}

/// What `share` of `requests` of `workload` in each month of the horizon (`months`) costs at
/// `offer`, in the report currency, priced as a route there would be: at the price in force on
/// each day, dated changes and the scenario's trends included, and summed as a route's months
/// are. `None` where the offer has no price for something the requests carry. `prices` keeps
/// the average requests priced at offers whose price does not change, for the next call.
///
/// # Errors
/// [`Overflow`] if the cost leaves the decimal range.
pub(crate) fn cost_over_months<'a>(
    (catalog, scenario): (&Catalog, &Scenario),
    offer: &'a Offer,
    workload: &'a Workload,
    rate: Decimal,
    (months, requests, share): (&[YearMonth], Requests<'_>, Decimal),
    prices: &mut RequestPrices<'a>,
) -> Result<Option<Decimal>, Overflow> {
    let mut notes = NoteBook::default();
    let mut price = |offer: &Offer| match average_request(offer, workload, rate, &mut notes) {
        Ok(cost) => Ok(Some(cost.total)),
        Err(PriceError::Unpriced(_)) => Ok(None),
        Err(PriceError::Overflow) => Err(Overflow),
    };
    let Some(schedule) = schedule_of(catalog, scenario, offer, months)? else {
        let key = (workload.id.as_str(), offer.id.as_str());
        let per_request = if let Some(total) = prices.totals.get(&key) {
            *total
        } else {
            let total = price(offer)?;
            prices.totals.insert(key, total);
            total
        };
        let Some(per_request) = per_request else {
            return Ok(None);
        };
        return months_cost(requests, mul(share, per_request)?).map(Some);
    };
    let mut lists = Vec::new();
    for change in schedule.changes() {
        let Some(total) = price(&offer.with_change(change))? else {
            return Ok(None);
        };
        lists.push((change, total));
    }
    let price_of = |period: &dated::Period| {
        let (_, total) = lists
            .iter()
            .find(|(change, _)| *change == period.change)
            .expect("the schedule's every list is priced");
        mul(*total, period.factor)
    };
    let mut cost = Decimal::ZERO;
    for (month, requests) in months.iter().zip(requests.months) {
        let requests = mul(*requests, share)?;
        cost = add(cost, schedule.month_cost(*month, requests, price_of)?)?;
    }
    Ok(Some(cost))
}

fn offer_info(catalog: &Catalog, offer: &Offer) -> OfferInfo {
    let model = catalog
        .model(&offer.model)
        .expect("a validated offer names a known model");
    let provider = catalog
        .provider(&offer.provider)
        .expect("a validated offer names a known provider");
    OfferInfo {
        id: offer.id.clone(),
        model_name: model.name.clone(),
        provider_name: provider.name.clone(),
        maker: model.maker.clone(),
        weights: model.weights,
        license: model.license.clone(),
        origin: model.origin.clone(),
        provider_country: provider.country.clone(),
        currency: offer.currency.clone(),
        prices: offer.base.prices().map(|_, price| price.map(Price::get)),
        as_of: offer.as_of,
        source: offer.source.clone(),
        deprecated: offer.deprecated,
        overridden_by: offer.overridden_by.clone(),
        changes: Vec::new(),
    }
}

/// Estimates every plan. Plans are independent of each other, so they are estimated on all
/// cores, in contiguous chunks whose results are joined back in the scenario's order.
fn estimate_plans(
    catalog: &Catalog,
    scenario: &Scenario,
    months: &[YearMonth],
    demands: &[Demand],
    route_months: RouteMonths,
) -> Result<(Vec<PlanEstimate>, NoteBook), Error> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let (prices, mut notes) = RoutePrices::of(catalog, scenario, threads);
    let prices = &prices;
    let chunk = scenario.plans.len().div_ceil(threads).max(1);
    let results: Vec<(Result<Vec<PlanEstimate>, Error>, NoteBook)> = std::thread::scope(|scope| {
        let handles: Vec<_> = scenario
            .plans
            .chunks(chunk)
            .map(|plans| {
                scope.spawn(move || {
                    let mut notes = NoteBook::default();
                    let estimates = plans
                        .iter()
                        .map(|plan| {
                            let context = Context {
                                catalog,
                                scenario,
                                months,
                                demands,
                                route_months,
                            };
                            estimate_plan(&context, plan, (&mut notes, prices)).map_err(
                                |(Overflow, workload)| Error::Overflow {
                                    what: format!("the cost of {workload} in plan `{}`", plan.id),
                                },
                            )
                        })
                        .collect();
                    (estimates, notes)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("estimating a plan does not panic"))
            .collect()
    });
    let mut plans = Vec::with_capacity(scenario.plans.len());
    for (estimates, chunk_notes) in results {
        plans.extend(estimates?);
        notes.merge(chunk_notes);
    }
    Ok((plans, notes))
}

/// The significant digits a growing workload's requests in a month are held to. Compounding
/// gives them ever more (1.01^n has 2n decimals); held to these, a month's requests times the
/// cost of a request fits the 28 digits a decimal holds, so the products that follow are exact,
/// and fast. A volume that does not grow is never rounded.
pub const REQUEST_DIGITS: u32 = 15;

/// The smallest mantissa with more than [`REQUEST_DIGITS`] digits.
const REQUEST_LIMIT: u128 = 10u128.pow(REQUEST_DIGITS);

/// `requests` held to [`REQUEST_DIGITS`] significant digits, half away from zero, where they
/// have more; as they are otherwise (`round_sf` would pad them with zeros to that many).
fn held(requests: Decimal) -> Result<Decimal, Overflow> {
    let mantissa = requests.mantissa().unsigned_abs();
    if mantissa < REQUEST_LIMIT {
        return Ok(requests);
    }
    // The digits beyond the kept ones; while they are all decimals, rounding is to decimal
    // places, without `round_sf`'s digit count by repeated division.
    let extra = mantissa.ilog10() + 1 - REQUEST_DIGITS;
    if extra <= requests.scale() {
        Ok(requests.round_dp_with_strategy(
            requests.scale() - extra,
            RoundingStrategy::MidpointAwayFromZero,
        ))
    } else {
        requests
            .round_sf_with_strategy(REQUEST_DIGITS, RoundingStrategy::MidpointAwayFromZero)
            .ok_or(Overflow)
    }
}

/// The requests of one workload, whatever plan serves it.
struct Demand {
    /// In each month: the volume (per day times the month's days, or per month), compounded by
    /// the growth rate from the first month; with growth, rounded to [`REQUEST_DIGITS`]
    /// significant digits, half away from zero.
    months: Vec<Decimal>,
    /// The same, shared with the routes that work their months out from it.
    shared: Arc<[Decimal]>,
    total: Decimal,
    /// Whether `total` is the exact sum of `months`, none of them negative: [`Requests`].
    summable: bool,
}

impl Demand {
    fn of(workload: &Workload, months: &[YearMonth]) -> Result<Demand, Overflow> {
        let growth = Decimal::ONE + workload.growth_per_month;
        let mut factor = Decimal::ONE;
        let mut requests = Vec::with_capacity(months.len());
        let mut total = Decimal::ZERO;
        let mut summable = true;
        for (index, month) in months.iter().enumerate() {
            if index > 0 {
                factor = mul(factor, growth)?;
            }
            let base = match workload.volume {
                Volume::PerDay(per_day) => mul(per_day, Decimal::from(month.days()))?,
                Volume::PerMonth(per_month) => per_month,
            };
            let mut month_requests = mul(base, factor)?;
            if !workload.growth_per_month.is_zero() {
                month_requests = held(month_requests)?;
            }
            let sum = add(total, month_requests)?;
            summable &= !month_requests.is_sign_negative() && exact_sum(total, month_requests, sum);
            total = sum;
            requests.push(month_requests);
        }
        Ok(Demand {
            shared: Arc::from(requests.as_slice()),
            months: requests,
            total,
            summable,
        })
    }

    fn requests(&self) -> Requests<'_> {
        Requests {
            months: &self.months,
            total: self.summable.then_some(self.total),
        }
    }
}

/// A workload's requests in each month of the horizon, and their total where it is their exact
/// sum and none is negative: then a route's cost can be worked out from the total alone
/// ([`months_cost`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Requests<'a> {
    pub months: &'a [Decimal],
    pub total: Option<Decimal>,
}

/// Whether `sum` of `a` and `b` was not rounded: rounding lowers the scale.
fn exact_sum(a: Decimal, b: Decimal, sum: Decimal) -> bool {
    sum.scale() == a.scale().max(b.scale()) || a.is_zero() || b.is_zero()
}

/// What `requests` in each month cost at `share_cost` a request, summed month by month as a
/// route's months are: `requests x share_cost` for each month, added up; [`short_cost`] where
/// it can stand for that sum.
///
/// # Errors
/// [`Overflow`] if the cost leaves the decimal range.
pub(crate) fn months_cost(
    requests: Requests<'_>,
    share_cost: Decimal,
) -> Result<Decimal, Overflow> {
    if let Some(cost) = short_cost(requests, share_cost)? {
        return Ok(cost);
    }
    requests
        .months
        .iter()
        .try_fold(Decimal::ZERO, |sum, r| add(sum, mul(*r, share_cost)?))
}

/// The total requests times `share_cost`, where that product is exact and the total known:
/// then it is the sum of the months' products to the digit (no month's requests exceed the
/// total or have more decimals, so no month's product or partial sum needs more digits than it
/// does). `None` where it cannot stand for that sum.
///
/// # Errors
/// [`Overflow`] if the cost leaves the decimal range.
fn short_cost(requests: Requests<'_>, share_cost: Decimal) -> Result<Option<Decimal>, Overflow> {
    let Some(total) = requests.total.filter(|_| !share_cost.is_sign_negative()) else {
        return Ok(None);
    };
    let product = mul(total, share_cost)?;
    Ok(
        (product.is_zero() || product.scale() == total.scale() + share_cost.scale())
            .then_some(product),
    )
}

/// The average request of each workload at each offer its routes name whose price does not
/// change, by workload and offer: the plans of a scenario route the same workloads to the same
/// offers, and each pair is priced once for all of them, on all cores (its notes recorded then).
/// An overflow is kept, for the first route that needs the price to report. For the plans of
/// one scenario only.
struct RoutePrices<'a> {
    requests: HashMap<(&'a str, &'a str), Result<RequestCost, Overflow>>,
}

impl<'a> RoutePrices<'a> {
    fn of(catalog: &'a Catalog, scenario: &'a Scenario, threads: usize) -> (Self, NoteBook) {
        let mut seen = std::collections::HashSet::new();
        let mut pairs: Vec<(&Workload, &Offer)> = Vec::new();
        for route in scenario.plans.iter().flat_map(|p| &p.routes) {
            let workload = &scenario.workloads[route.workload];
            if let Ok(Target::Api(offer)) = catalog.target(&route.offer)
                && offer.changes.is_empty()
                && scenario.trends.is_empty()
                && seen.insert((workload.id.as_str(), offer.id.as_str()))
            {
                pairs.push((workload, offer));
            }
        }
        let chunk = pairs.len().div_ceil(threads).max(1);
        let priced: Vec<(Vec<_>, NoteBook)> = std::thread::scope(|scope| {
            let handles: Vec<_> = pairs
                .chunks(chunk)
                .map(|pairs| {
                    scope.spawn(move || {
                        let mut notes = NoteBook::default();
                        let prices: Vec<_> = pairs
                            .iter()
                            .map(|(workload, offer)| {
                                let rate = rate_of(scenario, &offer.currency);
                                let cost = average_request(offer, workload, rate, &mut notes)
                                    .map_err(|error| match error {
                                        PriceError::Overflow => Overflow,
                                        PriceError::Unpriced(component) => unreachable!(
                                            "a validated scenario sends `{}` only to offers that price it",
                                            component.key()
                                        ),
                                    });
                                ((workload.id.as_str(), offer.id.as_str()), cost)
                            })
                            .collect();
                        (prices, notes)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("pricing a request does not panic"))
                .collect()
        });
        let mut notes = NoteBook::default();
        let mut requests = HashMap::with_capacity(pairs.len());
        for (prices, chunk_notes) in priced {
            requests.extend(prices);
            notes.merge(chunk_notes);
        }
        (RoutePrices { requests }, notes)
    }
}

/// What every plan of one estimate shares.
struct Context<'a> {
    catalog: &'a Catalog,
    scenario: &'a Scenario,
    months: &'a [YearMonth],
    demands: &'a [Demand],
    /// Which routes keep their months: [`Options::route_months`].
    route_months: RouteMonths,
}

fn estimate_plan<'a>(
    context: &Context<'a>,
    plan: &Plan,
    (notes, prices): (&mut NoteBook, &RoutePrices<'a>),
) -> Result<PlanEstimate, (Overflow, String)> {
    let &Context {
        catalog,
        scenario,
        months,
        demands,
        route_months,
    } = context;
    let mut usage = PlanMonths::new(months.len());
    let settled =
        |o: Overflow, index: usize| (o, format!("workload `{}`", scenario.workloads[index].id));
    let mut tokens = Decimal::ZERO;
    let mut workloads: Vec<WorkloadEstimate> = Vec::new();
    let mut fleets = Fleets::new();
    for route in &plan.routes {
        let workload = &scenario.workloads[route.workload];
        let fail = |o: Overflow| (o, format!("workload `{}`", workload.id));
        let demand = &demands[route.workload];
        let (estimate, route_tokens) = match catalog.target(&route.offer) {
            Ok(Target::Api(offer)) => {
                let rate = rate_of(scenario, &offer.currency);
                let schedule = schedule_of(catalog, scenario, offer, months).map_err(fail)?;
                usage
                    .reach(route.workload, demands)
                    .map_err(|(o, index)| settled(o, index))?;
                let (estimate, tokens, left) = estimate_route(
                    offer,
                    workload,
                    route,
                    rate,
                    (months, route_months, schedule.as_ref()),
                    demand,
                    &mut usage.months,
                    (notes, prices),
                )
                .map_err(fail)?;
                if let Some(share_cost) = left {
                    usage
                        .leave(route.workload, share_cost, demands)
                        .map_err(|(o, index)| settled(o, index))?;
                }
                (estimate, tokens)
            }
            Ok(Target::SelfHosted(deployment)) => {
                // Priced once the whole fleet's demand is known; the route carries its tokens.
                let fleet = fleets
                    .entry(deployment.id.as_str())
                    .or_insert_with(|| Fleet::new(deployment, months.len()));
                let position = workloads_position(&workloads, &workload.id);
                // A route carrying traffic in only some months keeps them, to sum its requests.
                let keep = route_months != RouteMonths::Summed || !route.always();
                fleet
                    .add(workload, route, demand, (months, keep), position)
                    .map_err(fail)?
            }
            Err(_) => unreachable!(
                "a validated scenario routes only to offers and deployments in its catalog"
            ),
        };
        tokens = add(tokens, route_tokens).map_err(fail)?;
        add_route(&mut workloads, &workload.id, estimate).map_err(fail)?;
    }
    let mut monthly_usage = usage
        .settle(demands)
        .map_err(|(o, index)| settled(o, index))?;
    let mut deployments = Vec::with_capacity(fleets.len());
    for fleet in fleets.into_values() {
        let fail = |o: Overflow| (o, format!("deployment `{}`", fleet.deployment.id));
        deployments.push(
            fleet
                .price(
                    catalog,
                    scenario,
                    months,
                    &mut workloads,
                    &mut monthly_usage,
                )
                .map_err(fail)?,
        );
    }

    let totals = plan_totals(plan, months, &monthly_usage, tokens)
        .map_err(|o| (o, "its totals".to_owned()))?;
    Ok(PlanEstimate {
        id: plan.id.clone(),
        name: plan.name.clone(),
        description: plan.description.clone(),
        baseline: plan.baseline,
        one_time_cost: plan.one_time_cost,
        monthly_fixed_cost: plan.monthly_fixed_cost,
        total_cost: totals.total_cost,
        usage_cost: totals.usage_cost,
        savings: None,
        savings_pct: None,
        tokens,
        usage_cost_per_mtok: totals.usage_cost_per_mtok,
        payback: None,
        years: totals.years,
        monthly: totals.monthly,
        workloads,
        deployments,
        exposure: crate::exposure::Exposure::default(),
        policy: None,
    })
}

/// Adds a route's estimate to its workload's, the last in `workloads` or a new one: routes are
/// ordered by workload, so a workload's routes are adjacent.
fn add_route(
    workloads: &mut Vec<WorkloadEstimate>,
    workload: &str,
    estimate: RouteEstimate,
) -> Result<(), Overflow> {
    match workloads.last_mut() {
        Some(last) if last.id == workload => {
            last.cost = add(last.cost, estimate.cost)?;
            last.routes.push(estimate);
        }
        _ => workloads.push(WorkloadEstimate {
            id: workload.to_owned(),
            cost: estimate.cost,
            routes: vec![estimate],
        }),
    }
    Ok(())
}

/// The day after the horizon's last.
fn horizon_end(months: &[YearMonth]) -> Option<Date> {
    months.last().map(|m| m.next().first_day())
}

/// When `offer`'s price changes inside the horizon; `None` when it does not, which is the plain
/// path.
fn schedule_of(
    catalog: &Catalog,
    scenario: &Scenario,
    offer: &Offer,
    months: &[YearMonth],
) -> Result<Option<Schedule>, Overflow> {
    if offer.changes.is_empty() && scenario.trends.is_empty() {
        return Ok(None);
    }
    let (Some(first), Some(end)) = (months.first(), horizon_end(months)) else {
        return Ok(None);
    };
    Schedule::of(catalog, offer, &scenario.trends, first.first_day(), end)
}

/// Every cost of `cost` times `factor`; its quantities stay.
fn scaled_cost(cost: &RequestCost, factor: Decimal) -> Result<RequestCost, Overflow> {
    if factor == Decimal::ONE {
        return Ok(*cost);
    }
    Ok(RequestCost {
        quantities: cost.quantities,
        costs: cost.costs.try_map(|_, c| mul(*c, factor))?,
        total: mul(cost.total, factor)?,
    })
}

/// Report-currency units per unit of `currency`.
fn rate_of(scenario: &Scenario, currency: &str) -> Decimal {
    if currency == scenario.currency {
        Decimal::ONE
    } else {
        scenario.rates[currency].rate
    }
}

/// Where the next route of a workload lands in the plan's workload list: the index of the
/// workload's entry (existing, or about to be pushed) and of the route within it.
fn workloads_position(workloads: &[WorkloadEstimate], workload: &str) -> (usize, usize) {
    match workloads.last() {
        Some(last) if last.id == workload => (workloads.len() - 1, last.routes.len()),
        _ => (workloads.len(), 0),
    }
}

/// A plan's sums over months and years.
struct Totals {
    monthly: Vec<MonthCost>,
    usage_cost: Decimal,
    total_cost: Decimal,
    years: Vec<YearEstimate>,
    usage_cost_per_mtok: Option<Decimal>,
}

/// Adds the plan's fixed costs to its token charges (the one-time cost in the first month) and
/// sums them by year and over the horizon.
fn plan_totals(
    plan: &Plan,
    months: &[YearMonth],
    monthly_usage: &[Decimal],
    tokens: Decimal,
) -> Result<Totals, Overflow> {
    let mut monthly = Vec::with_capacity(months.len());
    for (index, (month, usage)) in months.iter().zip(monthly_usage).enumerate() {
        let mut cost = add(*usage, plan.monthly_fixed_cost)?;
        if index == 0 {
            cost = add(cost, plan.one_time_cost)?;
        }
        monthly.push(MonthCost {
            month: *month,
            cost,
        });
    }
    let usage_cost = monthly_usage
        .iter()
        .try_fold(Decimal::ZERO, |a, b| add(a, *b))?;
    let total_cost = monthly
        .iter()
        .try_fold(Decimal::ZERO, |a, m| add(a, m.cost))?;
    let years = monthly
        .chunks(12)
        .zip(1u32..)
        .map(|(chunk, year)| {
            Ok(YearEstimate {
                year,
                start: chunk[0].month,
                months: u32::try_from(chunk.len()).unwrap_or(12),
                cost: chunk
                    .iter()
                    .try_fold(Decimal::ZERO, |a, m| add(a, m.cost))?,
                savings: None,
            })
        })
        .collect::<Result<Vec<_>, Overflow>>()?;
    let usage_cost_per_mtok = if tokens.is_zero() {
        None
    } else {
        Some(mul(usage_cost, TOKENS_PER_MTOK).and_then(|c| c.checked_div(tokens).ok_or(Overflow))?)
    };

    Ok(Totals {
        monthly,
        usage_cost,
        total_cost,
        years,
        usage_cost_per_mtok,
    })
}

/// The average request under each price list of an offer's schedule, by the change that set it
/// (`None` for the base list).
type Lists = Vec<(Option<usize>, RequestCost)>;

/// The average request of `workload` at `offer` in force on the horizon's first day, and with a
/// schedule, the average request under each price list the horizon uses.
fn route_prices<'a>(
    offer: &'a Offer,
    workload: &'a Workload,
    rate: Decimal,
    schedule: Option<&Schedule>,
    (notes, prices): (&mut NoteBook, &RoutePrices<'a>),
) -> Result<(RequestCost, Lists), Overflow> {
    let mut price = |offer: &Offer| {
        average_request(offer, workload, rate, notes).map_err(|error| match error {
            PriceError::Overflow => Overflow,
            PriceError::Unpriced(component) => unreachable!(
                "a validated scenario sends `{}` only to offers that price it",
                component.key()
            ),
        })
    };
    let mut lists: Lists = Vec::new();
    let per_request = match schedule {
        // Priced once for each workload and offer, however many plans route there.
        None => match prices
            .requests
            .get(&(workload.id.as_str(), offer.id.as_str()))
        {
            Some(cost) => (*cost)?,
            None => price(offer)?,
        },
        Some(schedule) => {
            for change in schedule.changes() {
                lists.push((change, price(&offer.with_change(change))?));
            }
            let first = &schedule.periods[0];
            scaled_cost(&lists[0].1, first.factor)?
        }
    };
    Ok((per_request, lists))
}

/// One route over the horizon: its average request priced once, then its requests and cost in
/// each month, added into the plan's `monthly_usage`. Also returns the route's tokens.
///
/// A route at one price in every month costs its workload's requests times its share of one
/// request's cost; where its total is that one product ([`short_cost`]), its months are left to
/// the caller, which adds each month's requests times the sum of these per-request costs over
/// the workload's routes ([`PlanMonths`]): one product a workload-month rather than one a
/// route-month. That per-request cost is returned third. Kept months are still filled in.
#[expect(
    clippy::too_many_arguments,
    reason = "the inputs are the route's context, passed unbundled"
)]
fn estimate_route<'a>(
    offer: &'a Offer,
    workload: &'a Workload,
    route: &Route,
    rate: Decimal,
    (months, shown, schedule): (&[YearMonth], RouteMonths, Option<&Schedule>),
    demand: &Demand,
    monthly_usage: &mut [Decimal],
    (notes, prices): (&mut NoteBook, &RoutePrices<'a>),
) -> Result<(RouteEstimate, Decimal, Option<Decimal>), Overflow> {
    let (per_request, lists) = route_prices(offer, workload, rate, schedule, (notes, prices))?;
    let price_of = |period: &dated::Period| {
        let (_, cost) = lists
            .iter()
            .find(|(change, _)| *change == period.change)
            .expect("the schedule's every list is priced");
        mul(cost.total, period.factor)
    };
    // A route whose price changes keeps its months: they cannot be worked out again from one
    // average request; nor can those of a route carrying traffic in only some months, whose
    // requests are summed from them.
    let keep_months = shown == RouteMonths::All || schedule.is_some() || !route.always();
    let tokens_per_request = per_request
        .quantities
        .iter()
        .filter(|(component, _)| component.in_prompt() || component.generated())
        .try_fold(Decimal::ZERO, |sum, (_, quantity)| add(sum, *quantity))?;
    let mut route_months = Vec::with_capacity(if keep_months { months.len() } else { 0 });
    // What the route costs for each request of its workload: one product a month, not two.
    let share_cost = mul(route.share.get(), per_request.total)?;
    // The route's cost in one product where that is its months' sum to the digit.
    let short_total = if schedule.is_none() && route.always() {
        short_cost(demand.requests(), share_cost)?
    } else {
        None
    };
    // Where the route's total is one product, the caller adds its months into the plan's,
    // whether or not they are kept: the figures do not depend on what a report shows.
    let left = short_total.map(|_| share_cost);
    let walked: &[YearMonth] = if left.is_some() && !keep_months {
        &[]
    } else {
        months
    };
    let mut cost_total = Decimal::ZERO;
    for ((month, workload_month), usage) in walked.iter().zip(&demand.months).zip(monthly_usage) {
        let active = route.active(*month);
        // The route's requests in the month, where they are kept or priced at a changing price.
        let requests = if active && (keep_months || schedule.is_some()) {
            mul(*workload_month, route.share.get())?
        } else {
            Decimal::ZERO
        };
        let cost = match schedule {
            _ if !active => Decimal::ZERO,
            None => mul(*workload_month, share_cost)?,
            Some(schedule) => schedule.month_cost(*month, requests, price_of)?,
        };
        if left.is_none() {
            cost_total = add(cost_total, cost)?;
            *usage = add(*usage, cost)?;
        }
        if keep_months {
            route_months.push(RouteMonth {
                month: *month,
                requests,
                cost,
                capacity: None,
            });
        }
    }
    // The share of the workload's total, rather than a sum over months: one multiplication
    // instead of one addition per month, on the engine's hottest loop.
    let requests_total = if route.always() {
        mul(demand.total, route.share.get())?
    } else {
        route_months
            .iter()
            .try_fold(Decimal::ZERO, |sum, m| add(sum, m.requests))?
    };
    let tokens = mul(requests_total, tokens_per_request)?;
    let estimate = RouteEstimate {
        offer: offer.id.clone(),
        priced_by: PricedBy::Tokens,
        model: offer.model.clone(),
        provider: offer.provider.clone(),
        share: route.share,
        currency: offer.currency.clone(),
        exchange_rate: rate,
        per_request,
        requests: requests_total,
        cost: short_total.unwrap_or(cost_total),
        months: if keep_months {
            crate::estimate::RouteMonths::kept(route_months)
        } else if let (RouteMonths::SelfHosted, Some(start)) = (shown, months.first()) {
            crate::estimate::RouteMonths::worked_out(
                Arc::clone(&demand.shared),
                *start,
                route.share.get(),
                share_cost,
            )
        } else {
            crate::estimate::RouteMonths::default()
        },
    };
    Ok((estimate, tokens, left))
}

/// A plan's token charges in each month, as its routes are estimated: routes whose months
/// [`estimate_route`] leaves are added a workload at a time, each month's requests times what
/// one request costs over those routes.
struct PlanMonths {
    months: Vec<Decimal>,
    /// The workload (by index) whose left routes are still to be added, and what one of its
    /// requests costs over them.
    left: Option<(usize, Decimal)>,
}

impl PlanMonths {
    fn new(months: usize) -> Self {
        Self {
            months: vec![Decimal::ZERO; months],
            left: None,
        }
    }

    /// Leaves a route of `workload` costing `per_request` for each of its requests; adds the
    /// routes left of another workload first. Errors name the workload that overflowed.
    fn leave(
        &mut self,
        workload: usize,
        per_request: Decimal,
        demands: &[Demand],
    ) -> Result<(), (Overflow, usize)> {
        self.reach(workload, demands)?;
        let sum = match self.left {
            Some((_, sum)) => add(sum, per_request).map_err(|o| (o, workload))?,
            None => per_request,
        };
        self.left = Some((workload, sum));
        Ok(())
    }

    /// Adds the routes left of a workload other than `workload`, before a route of `workload`
    /// adds its own months: the plan's months take the workloads' charges in the plan's order,
    /// so that an overflow names the workload whose route crosses the range, as it would
    /// route-month by route-month.
    fn reach(&mut self, workload: usize, demands: &[Demand]) -> Result<(), (Overflow, usize)> {
        match self.left {
            Some((index, _)) if index != workload => self.add_left(demands),
            _ => Ok(()),
        }
    }

    /// Every month's charges, with the routes left added.
    fn settle(mut self, demands: &[Demand]) -> Result<Vec<Decimal>, (Overflow, usize)> {
        self.add_left(demands)?;
        Ok(self.months)
    }

    fn add_left(&mut self, demands: &[Demand]) -> Result<(), (Overflow, usize)> {
        if let Some((index, per_request)) = self.left.take() {
            for (usage, requests) in self.months.iter_mut().zip(&demands[index].months) {
                let cost = mul(*requests, per_request).map_err(|o| (o, index))?;
                *usage = add(*usage, cost).map_err(|o| (o, index))?;
            }
        }
        Ok(())
    }
}

/// The average request of a workload at an offer, in the report currency: each size class and
/// each service tier's share of the requests weighted in.
fn average_request(
    offer: &Offer,
    workload: &Workload,
    rate: Decimal,
    notes: &mut NoteBook,
) -> Result<RequestCost, PriceError> {
    let mut average = RequestCost::default();
    let mut fallbacks = Fallbacks::default();
    for size in &workload.sizes {
        for (service, weight) in workload.service_shares() {
            if weight.get().is_zero() {
                continue;
            }
            let request = Request {
                quantities: workload.quantities(size)?,
                service,
            };
            let cost = request::price(offer, &request, &mut fallbacks)?;
            let weight = mul(size.share.get(), weight.get())?;
            accumulate(&mut average, &cost, weight, rate)?;
        }
    }
    notes.record(offer, workload, fallbacks);
    Ok(average)
}

/// Adds `weight` x a request's quantities, and `weight x rate` x its costs, to `average`.
fn accumulate(
    average: &mut RequestCost,
    request: &RequestCost,
    weight: Decimal,
    rate: Decimal,
) -> Result<(), Overflow> {
    // A zero part adds nothing, not even decimals: zero times anything is a plain 0.
    for (component, sum) in average.quantities.iter_mut() {
        let part = request.quantities[component];
        if !part.is_zero() {
            *sum = add(*sum, mul(part, weight)?)?;
        }
    }
    let money_weight = mul(weight, rate)?;
    for (component, sum) in average.costs.iter_mut() {
        let part = request.costs[component];
        if !part.is_zero() {
            *sum = add(*sum, mul(part, money_weight)?)?;
        }
    }
    average.total = add(average.total, mul(request.total, money_weight)?)?;
    Ok(())
}

/// Fills in savings, percentages, yearly savings and payback against the baseline.
///
/// # Errors
/// [`Error::Overflow`] naming the figure and the plan, if one leaves the decimal range (a
/// baseline of a millionth of a cent against a plan with a huge fixed cost makes the percentage
/// overflow).
fn compare_with_baseline(plans: &mut [PlanEstimate]) -> Result<(), Error> {
    let Some(baseline) = plans.iter().find(|p| p.baseline).cloned() else {
        return Ok(());
    };
    for plan in plans.iter_mut().filter(|p| !p.baseline) {
        let overflow = |figure: &str| Error::Overflow {
            what: format!("the {figure} of plan `{}` against the baseline", plan.id),
        };
        let savings = difference(baseline.total_cost, plan.total_cost)
            .map_err(|Overflow| overflow("savings"))?;
        let savings_pct = if baseline.total_cost.is_zero() {
            None
        } else {
            Some(
                mul(savings, Decimal::ONE_HUNDRED)
                    .and_then(|s| div(s, baseline.total_cost))
                    .map_err(|Overflow| overflow("savings percentage"))?,
            )
        };
        let mut years = Vec::with_capacity(plan.years.len());
        for (year, base_year) in plan.years.iter().zip(&baseline.years) {
            years.push(
                difference(base_year.cost, year.cost)
                    .map_err(|Overflow| overflow(&format!("year {} savings", year.year)))?,
            );
        }
        let payback = payback(&baseline, plan).map_err(|Overflow| overflow("payback"))?;
        plan.savings = Some(savings);
        plan.savings_pct = savings_pct;
        for (year, savings) in plan.years.iter_mut().zip(years) {
            year.savings = Some(savings);
        }
        plan.payback = Some(payback);
    }
    Ok(())
}

/// When the plan has paid for itself, from its cumulative savings over the baseline.
///
/// A month's running savings are the baseline's cost minus the plan's, neither counting its
/// one-time cost. The cumulative savings start at minus the plan's one-time cost and add each
/// month's running savings, spread evenly over the month. Then:
/// - [`Payback::NotNeeded`]: no one-time cost, the cumulative savings are never below zero and
///   are above zero at the end: the plan is ahead of the baseline from the start.
/// - [`Payback::Months`]: the cumulative savings are below zero at some point and at or above
///   zero at the end of the horizon; the answer is the moment they last reach zero, from which
///   point the plan stays ahead to the end of the horizon.
/// - [`Payback::BeyondHorizon`]: below zero at the end, but the last month saves money, so the
///   plan is still catching up.
/// - [`Payback::Never`]: otherwise: the plan has not saved money by the end of the horizon and is
///   not saving in its last month (this includes a plan that costs more every month, and one that
///   costs exactly the same as the baseline).
fn payback(baseline: &PlanEstimate, plan: &PlanEstimate) -> Result<Payback, Overflow> {
    let running = |p: &PlanEstimate, index: usize, cost: Decimal| {
        if index == 0 {
            difference(cost, p.one_time_cost)
        } else {
            Ok(cost)
        }
    };
    let mut cumulative = difference(Decimal::ZERO, plan.one_time_cost)?;
    // The last month that began behind the baseline: its index, the cumulative savings at its
    // start, and its running savings.
    let mut last_behind: Option<(usize, Decimal, Decimal)> = None;
    let mut last_savings = Decimal::ZERO;
    for (index, (base, own)) in baseline.monthly.iter().zip(&plan.monthly).enumerate() {
        last_savings = difference(
            running(baseline, index, base.cost)?,
            running(plan, index, own.cost)?,
        )?;
        if cumulative < Decimal::ZERO {
            last_behind = Some((index, cumulative, last_savings));
        }
        cumulative = add(cumulative, last_savings)?;
    }
    if cumulative < Decimal::ZERO {
        return Ok(if last_savings > Decimal::ZERO {
            Payback::BeyondHorizon
        } else {
            Payback::Never
        });
    }
    Ok(match last_behind {
        // The month began behind and every later month ended at or above zero, so this one saved
        // money: the shortfall at its start over its savings is the fraction of it needed.
        Some((index, behind, savings)) => Payback::Months {
            months: add(Decimal::from(index), div(-behind, savings)?)?,
        },
        None if cumulative > Decimal::ZERO => Payback::NotNeeded,
        None => Payback::Never,
    })
}

/// `a - b`, checked.
fn difference(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_sub(b).ok_or(Overflow)
}

/// A price the pricing of a route found missing, as a key for grouping workloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MissingPrice {
    /// A component billed at another's price.
    Component(Component, Component),
    Service(ServiceTier),
    TierService(ServiceTier, u64),
}

/// Collects notes, grouping the workloads that share a fallback at an offer.
#[derive(Default)]
struct NoteBook {
    notes: BTreeSet<Note>,
    grouped: BTreeMap<(MissingPrice, String), BTreeSet<String>>,
}

impl NoteBook {
    fn merge(&mut self, other: NoteBook) {
        self.notes.extend(other.notes);
        for (key, workloads) in other.grouped {
            self.grouped.entry(key).or_default().extend(workloads);
        }
    }

    fn record(&mut self, offer: &Offer, workload: &Workload, fallbacks: Fallbacks) {
        let taken = fallbacks
            .missing
            .into_iter()
            .map(|(component, billed_at)| MissingPrice::Component(component, billed_at))
            .chain(
                fallbacks
                    .no_service_price
                    .into_iter()
                    .map(MissingPrice::Service),
            )
            .chain(
                fallbacks
                    .no_tier_service_price
                    .into_iter()
                    .map(|(service, above)| MissingPrice::TierService(service, above)),
            );
        for fallback in taken {
            self.grouped
                .entry((fallback, offer.id.clone()))
                .or_default()
                .insert(workload.id.clone());
        }
    }

    /// A price checked longer ago than the staleness threshold, counted from `start`.
    fn stale(&mut self, offer: &str, as_of: Date, start: Date, stale_after_days: u32) {
        let age_days = as_of.days_until(start);
        if age_days > i64::from(stale_after_days) {
            self.notes.insert(Note::StalePrice {
                offer: offer.to_owned(),
                as_of,
                age_days,
            });
        }
    }

    /// Cache prices the offer's tiers or batch tables keep from below.
    fn inherited_cache_prices(&mut self, offer: &Offer) {
        for inherited in offer.inherited_cache_prices() {
            self.notes.insert(Note::InheritedCachePrice {
                offer: offer.id.clone(),
                overlay: inherited.overlay,
                above_input_tokens: inherited.above_input_tokens,
                key: inherited.key.to_owned(),
            });
        }
    }

    fn finish(mut self) -> Vec<Note> {
        for ((missing, offer), workloads) in self.grouped {
            let workloads = workloads.into_iter().collect();
            self.notes.insert(match missing {
                MissingPrice::Component(component, billed_at) => Note::NoPrice {
                    offer,
                    component,
                    billed_at,
                    workloads,
                },
                MissingPrice::Service(service) => Note::NoServicePrice {
                    offer,
                    service,
                    workloads,
                },
                MissingPrice::TierService(service, above_input_tokens) => {
                    Note::NoTierServicePrice {
                        offer,
                        service,
                        above_input_tokens,
                        workloads,
                    }
                }
            });
        }
        self.notes.into_iter().collect()
    }
}

#[cfg(test)]
mod tests;
