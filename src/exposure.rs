//! Exposure: where a plan's money goes. Spend shares by provider, by the country where requests
//! are processed, by the model maker's origin and by open or closed weights; the largest
//! provider's share and the Herfindahl-Hirschman index on provider shares; and portability, the
//! spend on open weights that another host also serves, with each route's cheapest other host.
//!
//! Pure: an estimated plan, the catalog and the scenario in, an [`Exposure`] out. Shares are of
//! the plan's token charges (a self-hosted deployment's GPU and operations cost included), never
//! of its fixed or one-time costs, which no provider bills; a plan that spends nothing has no
//! shares (`None`) rather than a division by zero. Nothing is rounded here.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use crate::calendar::{Date, YearMonth};
use crate::engine::request::{Overflow, add, div, mul};
use crate::engine::{RequestPrices, Requests};
pub use crate::estimate::exposure::{Exposure, OtherHost, RouteHosts, Slice, Unpriced};
use crate::estimate::{PlanEstimate, RouteEstimate};
use crate::policy::host::Host;
use crate::pricing::{Catalog, Offer, Target, Weights};
use crate::scenario::{Scenario, Workload};

/// What the exposure of every plan of one estimate looks up: the offers of each model, where
/// each workload stands in the scenario, the horizon's months, and the average requests priced
/// at other hosts so far.
pub(crate) struct Hosts<'a> {
    offers_of: HashMap<&'a str, Vec<&'a Offer>>,
    positions: HashMap<&'a str, usize>,
    months: Vec<YearMonth>,
    prices: RequestPrices<'a>,
}

impl<'a> Hosts<'a> {
    pub(crate) fn new(catalog: &'a Catalog, scenario: &'a Scenario) -> Self {
        let mut offers_of: HashMap<&str, Vec<&Offer>> = HashMap::new();
        for offer in catalog.offers() {
            offers_of
                .entry(offer.model.as_str())
                .or_default()
                .push(offer);
        }
        Hosts {
            offers_of,
            positions: scenario
                .workloads
                .iter()
                .enumerate()
                .map(|(index, w)| (w.id.as_str(), index))
                .collect(),
            months: scenario.months().collect(),
            prices: RequestPrices::default(),
        }
    }
}

/// The exposure of one estimated plan. `requests` holds each workload's requests, in the
/// scenario's order: a route's own months are kept only when a report shows them. `hosts` keeps
/// the average requests priced at other hosts, for the next plan.
///
/// # Errors
/// [`Overflow`] if repricing a route at another host leaves the decimal range.
///
/// # Panics
/// Only on a bug: the plan was estimated from this catalog and scenario, so every route's offer,
/// model, provider and workload are known.
pub(crate) fn of<'a>(
    catalog: &'a Catalog,
    scenario: &'a Scenario,
    plan: &PlanEstimate,
    requests: &[Requests<'_>],
    hosts: &mut Hosts<'a>,
) -> Result<Exposure, Overflow> {
    let start = scenario.start.first_day();
    let mut routes = Vec::new();
    for workload in &plan.workloads {
        let index = hosts.positions[workload.id.as_str()];
        for route in &workload.routes {
            // The offers of the route's model: the other hosts are among them.
            let offers = hosts
                .offers_of
                .get(route.model.as_str())
                .map_or(&[][..], Vec::as_slice);
            routes.push(route_hosts(
                (catalog, scenario),
                offers,
                &scenario.workloads[index],
                requests[index],
                route,
                (start, &hosts.months),
                &mut hosts.prices,
            )?);
        }
    }
    let total = routes
        .iter()
        .try_fold(Decimal::ZERO, |sum, r| add(sum, r.cost))?;
    let group = |key: fn(&RouteHosts) -> String| slices(&routes, total, key);
    let by_provider = group(|r| r.provider.clone())?;
    let by_provider_country = group(|r| r.provider_country.clone())?;
    let by_origin = group(|r| r.origin.clone())?;
    let by_weights = group(|r| weights_id(r.weights).to_owned())?;
    let hhi = if total.is_zero() {
        None
    } else {
        let mut sum = Decimal::ZERO;
        for slice in &by_provider {
            let percent = mul(slice.share.unwrap_or_default(), Decimal::ONE_HUNDRED)?;
            sum = add(sum, mul(percent, percent)?)?;
        }
        Some(sum.normalize())
    };
    let largest_provider_share = by_provider.first().and_then(|s| s.share);
    let portable = routes
        .iter()
        .filter(|r| r.portable)
        .try_fold(Decimal::ZERO, |sum, r| add(sum, r.cost))?;
    let portable_share = share(portable, total)?;
    Ok(Exposure {
        by_provider,
        by_provider_country,
        by_origin,
        by_weights,
        hhi,
        largest_provider_share,
        portable_share,
        routes,
    })
}

/// The id of a weights group, as the JSON report spells the weights elsewhere.
fn weights_id(weights: Weights) -> &'static str {
    match weights {
        Weights::Open => "open",
        Weights::Closed => "closed",
    }
}

/// `part / whole` without trailing zeros, or `None` when nothing is spent.
fn share(part: Decimal, whole: Decimal) -> Result<Option<Decimal>, Overflow> {
    if whole.is_zero() {
        Ok(None)
    } else {
        div(part, whole).map(|s| Some(s.normalize()))
    }
}

/// Sums route costs by a key, ordered by cost (largest first), then by key.
fn slices(
    routes: &[RouteHosts],
    total: Decimal,
    key: impl Fn(&RouteHosts) -> String,
) -> Result<Vec<Slice>, Overflow> {
    let mut sums: BTreeMap<String, Decimal> = BTreeMap::new();
    for route in routes {
        let sum = sums.entry(key(route)).or_default();
        *sum = add(*sum, route.cost)?;
    }
    let mut slices = sums
        .into_iter()
        .map(|(id, cost)| {
            Ok(Slice {
                share: share(cost, total)?,
                id,
                cost,
            })
        })
        .collect::<Result<Vec<_>, Overflow>>()?;
    slices.sort_by(|a, b| b.cost.cmp(&a.cost).then_with(|| a.id.cmp(&b.id)));
    Ok(slices)
}

/// Where else `route` could run: `offers` are those of its model.
fn route_hosts<'a>(
    (catalog, scenario): (&'a Catalog, &'a Scenario),
    offers: &[&'a Offer],
    workload: &'a Workload,
    workload_requests: Requests<'_>,
    route: &RouteEstimate,
    (start, months): (Date, &[YearMonth]),
    prices: &mut RequestPrices<'a>,
) -> Result<RouteHosts, Overflow> {
    let target = catalog
        .target(&route.offer)
        .expect("an estimated route names a known offer or deployment");
    let own = Host::of(catalog, target);
    let largest = workload.largest_prompt();
    let mut other_hosts = Vec::new();
    let mut cheapest: Option<OtherHost> = None;
    let mut unpriced = Vec::new();
    for offer in offers.iter().copied().filter(|o| {
        o.id != route.offer
            && o.provider != own.provider
            // Already retired when the horizon starts: not a place to move to.
            && o.deprecated.is_none_or(|d| d > start)
            // It must accept the workload's largest request.
            && match (o.input_limit(catalog), largest) {
                (Some(limit), Some(largest)) => largest <= Decimal::from(limit),
                _ => true,
            }
    }) {
        let rate = if offer.currency == scenario.currency {
            Decimal::ONE
        } else if let Some(rate) = scenario.rates.get(&offer.currency) {
            rate.rate
        } else {
            other_hosts.push(offer.id.clone());
            unpriced.push(Unpriced {
                offer: offer.id.clone(),
                currency: offer.currency.clone(),
            });
            continue;
        };
        // A host without a price for something the requests carry cannot take them. Its price
        // on each day is the one in force, as for the route itself.
        let Some(cost) = crate::engine::cost_over_months(
            (catalog, scenario),
            offer,
            workload,
            rate,
            (months, workload_requests, route.share.get()),
            prices,
        )?
        else {
            continue;
        };
        other_hosts.push(offer.id.clone());
        let difference = cost.checked_sub(route.cost).ok_or(Overflow)?;
        // Named only when it is the cheapest so far: most hosts are not.
        if cheapest
            .as_ref()
            .is_none_or(|best| (cost, &offer.id) < (best.cost, &best.offer))
        {
            let other = Host::of(catalog, Target::Api(offer));
            cheapest = Some(OtherHost {
                offer: offer.id.clone(),
                provider: other.provider.to_owned(),
                provider_country: other.country.to_owned(),
                cost,
                difference,
            });
        }
    }
    for deployment in catalog.deployments.values().filter(|d| {
        d.model == route.model
            && d.id != route.offer
            && Host::of(catalog, Target::SelfHosted(d)).provider != own.provider
    }) {
        other_hosts.push(deployment.id.clone());
    }
    other_hosts.sort();
    Ok(RouteHosts {
        workload: workload.id.clone(),
        offer: route.offer.clone(),
        model: route.model.clone(),
        provider: own.provider.to_owned(),
        provider_country: own.country.to_owned(),
        origin: own.origin.to_owned(),
        weights: own.weights,
        cost: route.cost,
        portable: own.weights == Weights::Open && !other_hosts.is_empty(),
        other_hosts,
        cheapest_other_host: cheapest,
        unpriced,
    })
}

#[cfg(test)]
mod tests;
