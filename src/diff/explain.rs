//! The price-volume-mix decomposition: one plan's cost over a run of months, from OLD to NEW,
//! changed one factor at a time.
//!
//! A plan's cost is a sum over route-months (`requests x cost per request`) plus its fixed costs.
//! Six states are priced, each changing one more factor from OLD to NEW, in this order:
//!
//! | state | volume | mix and size | routing | prices | fixed costs |
//! |---|---|---|---|---|---|
//! | 0 = OLD | old | old | old | old | old |
//! | 1 | **new** | old | old | old | old |
//! | 2 | new | **new** | old | old | old |
//! | 3 | new | new | **new** | old | old |
//! | 4 | new | new | new | **new** | old |
//! | 5 = NEW | new | new | new | new | **new** |
//!
//! Each effect is the difference between two neighbouring states, so the effects telescope:
//! their sum is state 5 minus state 0, the whole change, with no remainder to place. States 0,
//! 4 and 5 are the reports' own route-month costs and fixed costs; only 1, 2 and 3 are computed.
//!
//! - **volume**: a workload's requests in each month (route requests summed). State 1 prices the
//!   new volume with the old shares and old cost per request. A workload that is added or
//!   removed is volume: it is priced in state 1 as its new requests at its new routes and old
//!   prices (see below), so it contributes nothing to mix or routing.
//! - **mix and size**: what an average request carries and how it is billed: tokens per request
//!   by component (size classes, cache hit and write shares) and the service-tier shares (batch).
//!   State 2 prices, on each old route whose offer the new plan still sends the workload to,
//!   the new route's average request at the offer's old prices; a route that is dropped keeps
//!   its old cost per request until state 3.
//! - **routing**: which offers serve a workload and with what shares. State 3 prices the new
//!   routes with the new request at old prices.
//! - **prices**: the offers' base prices (`offers[].prices`) and exchange rates. "A new request
//!   at old prices" scales each component's new cost by `old price / new price` of that offer
//!   (a price missing from the list falls back as the engine bills it: cache and image at the
//!   input price, reasoning at output). An offer that OLD does not list has no old price: its
//!   new prices are used, so its cost shows under routing or volume, none under prices. A
//!   change to batch or long-context tier prices that leaves the base prices alone shows under
//!   mix. A self-hosted route's "price" is its cost per token in each month: state 2 scales its
//!   old cost per request by the new tokens per request.
//! - **fixed costs**: the plan's monthly fixed cost and one-time cost.
//!
//! Months are matched by their position in the horizon.

use std::collections::BTreeMap;
use std::ops::Range;

use rust_decimal::Decimal;
use serde::Serialize;

use super::mirror::{Plan, PricedBy, Route, ScenarioReport, Workload};
use crate::component::{Component, Fallback, PerComponent, Unit};
use crate::error::Error;
use crate::money::TOKENS_PER_MTOK;

/// One factor of the change, in the order of attribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    Volume,
    Mix,
    Routing,
    Prices,
    FixedCosts,
}

impl Effect {
    /// Every effect, in the order they are attributed.
    pub const ALL: [Effect; 5] = [
        Effect::Volume,
        Effect::Mix,
        Effect::Routing,
        Effect::Prices,
        Effect::FixedCosts,
    ];

    /// Its JSON field.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Effect::Volume => "volume",
            Effect::Mix => "mix",
            Effect::Routing => "routing",
            Effect::Prices => "prices",
            Effect::FixedCosts => "fixed_costs",
        }
    }

    /// Its heading in tables.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Effect::Volume => "Volume",
            Effect::Mix => "Mix and size",
            Effect::Routing => "Routing",
            Effect::Prices => "Prices",
            Effect::FixedCosts => "Fixed costs",
        }
    }

    /// What it covers, in a few words.
    #[must_use]
    pub const fn meaning(self) -> &'static str {
        match self {
            Effect::Volume => "requests per month, workloads added or removed",
            Effect::Mix => "tokens per request, cache and batch shares",
            Effect::Routing => "offers and shares of each workload",
            Effect::Prices => "offers' base prices and exchange rates",
            Effect::FixedCosts => "monthly fixed and one-time costs",
        }
    }
}

/// One amount per effect, in [`Effect::ALL`] order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PerEffect(pub [Decimal; Effect::ALL.len()]);

impl PerEffect {
    /// Every effect with its amount.
    pub fn iter(&self) -> impl Iterator<Item = (Effect, Decimal)> + '_ {
        Effect::ALL.into_iter().zip(self.0.iter().copied())
    }

    /// The effects between neighbouring states: `states[k + 1] - states[k]`.
    ///
    /// Exact when every state has at most `28 - scale` integer digits and at most `scale`
    /// decimals, and no state is negative: each difference then fits the decimal's 96 bits.
    #[must_use]
    pub fn between(states: &States) -> PerEffect {
        PerEffect(std::array::from_fn(|k| states[k + 1] - states[k]))
    }

    /// The sum of the parts, in order; each partial sum is a difference of two states.
    #[must_use]
    pub fn total(&self) -> Decimal {
        self.0.iter().copied().sum()
    }
}

impl std::ops::Index<Effect> for PerEffect {
    type Output = Decimal;

    fn index(&self, effect: Effect) -> &Decimal {
        &self.0[effect as usize]
    }
}

impl Serialize for PerEffect {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(Effect::ALL.len()))?;
        for (effect, amount) in self.iter() {
            map.serialize_entry(effect.key(), &amount)?;
        }
        map.end()
    }
}

/// The cost in each state, from OLD (0) to NEW (5).
pub type States = [Decimal; Effect::ALL.len() + 1];

/// Every offer's base prices in the report currency, per unit of its quantity (per token, per
/// call, per request), with missing prices resolved as the engine bills them.
#[derive(Debug, Default)]
pub struct Prices(BTreeMap<String, PerComponent<Option<Decimal>>>);

impl Prices {
    /// The prices of a report's offers. An offer in a currency the report gives no rate for has
    /// no known prices.
    #[must_use]
    pub fn of(report: &ScenarioReport) -> Prices {
        let rate = |currency: &str| {
            if currency == report.scenario.currency {
                return Some(Decimal::ONE);
            }
            report
                .notes
                .iter()
                .find(|n| n.kind == "exchange_rate" && n.currency.as_deref() == Some(currency))
                .and_then(|n| n.rate)
        };
        let offers = report.offers.iter().map(|offer| {
            let rate = rate(&offer.currency);
            let per_unit = PerComponent::from_fn(|component| {
                let listed = resolve(&offer.prices, component)?;
                let converted = listed.checked_mul(rate?)?;
                match component.unit() {
                    Unit::PerMtok => converted.checked_div(TOKENS_PER_MTOK),
                    Unit::PerCall | Unit::PerRequest => Some(converted),
                }
            });
            (offer.id.clone(), per_unit)
        });
        Prices(offers.collect())
    }

    fn get(&self, offer: &str, component: Component) -> Option<Decimal> {
        self.0.get(offer).and_then(|prices| prices[component])
    }
}

/// A component's listed price, or the price it falls back to.
fn resolve(prices: &PerComponent<Option<Decimal>>, component: Component) -> Option<Decimal> {
    let mut current = component;
    for _ in 0..Component::COUNT {
        if let Some(price) = prices[current] {
            return Some(price);
        }
        match current.fallback() {
            Fallback::PriceOf { component, .. } => current = component,
            Fallback::Free => return Some(Decimal::ZERO),
            Fallback::Refused => return None,
        }
    }
    None
}

/// Both sides of a comparison: their prices, and what an overflow is called.
pub struct Context<'a> {
    pub old_prices: &'a Prices,
    pub new_prices: &'a Prices,
    /// Names the figure in an overflow error, such as "the comparison of plan `hybrid`".
    pub what: &'a str,
}

impl Context<'_> {
    fn overflow(&self) -> Error {
        Error::Overflow {
            what: self.what.to_owned(),
        }
    }

    fn add(&self, a: Decimal, b: Decimal) -> Result<Decimal, Error> {
        a.checked_add(b).ok_or_else(|| self.overflow())
    }

    fn mul(&self, a: Decimal, b: Decimal) -> Result<Decimal, Error> {
        a.checked_mul(b).ok_or_else(|| self.overflow())
    }

    fn div(&self, a: Decimal, b: Decimal) -> Result<Decimal, Error> {
        if b.is_zero() {
            return Ok(Decimal::ZERO);
        }
        a.checked_div(b).ok_or_else(|| self.overflow())
    }

    /// The states of one workload over `months` (positions in the horizon).
    ///
    /// # Errors
    /// [`Error::Overflow`] naming the comparison.
    pub fn workload(
        &self,
        old: Option<&Workload>,
        new: Option<&Workload>,
        months: Range<usize>,
    ) -> Result<States, Error> {
        let no_routes: &[Route] = &[];
        let old_routes = old.map_or(no_routes, |w| &w.routes);
        let new_routes = new.map_or(no_routes, |w| &w.routes);
        let mut states = States::default();
        for i in months {
            let new_requests = self.requests(new_routes, i)?;
            let mut state = States::default();
            state[0] = self.costs(old_routes, i)?;
            state[4] = self.costs(new_routes, i)?;
            if old.is_none() {
                // An added workload: all volume, priced at its new routes and old prices.
                let priced = self.at_old_prices(new_routes, old_routes, new_requests, i)?;
                state[1] = priced;
                state[2] = priced;
                state[3] = priced;
            } else {
                for route in old_routes {
                    let requests = self.mul(new_requests, route.share)?;
                    let old_unit = self.unit_cost(route, i)?;
                    state[1] = self.add(state[1], self.mul(requests, old_unit)?)?;
                    let mix_unit = match same_offer(new_routes, &route.offer) {
                        Some(new_route) => self.unit_at_old_prices(new_route, old_routes, i)?,
                        None => old_unit,
                    };
                    state[2] = self.add(state[2], self.mul(requests, mix_unit)?)?;
                }
                state[3] = self.at_old_prices(new_routes, old_routes, new_requests, i)?;
            }
            state[5] = state[4];
            for (sum, value) in states.iter_mut().zip(state) {
                *sum = self.add(*sum, value)?;
            }
        }
        Ok(states)
    }

    /// `requests` of a workload sent along `routes` at their shares, each request its new shape
    /// at old prices.
    fn at_old_prices(
        &self,
        routes: &[Route],
        old_routes: &[Route],
        requests: Decimal,
        month: usize,
    ) -> Result<Decimal, Error> {
        let mut sum = Decimal::ZERO;
        for route in routes {
            let unit = self.unit_at_old_prices(route, old_routes, month)?;
            sum = self.add(sum, self.mul(self.mul(requests, route.share)?, unit)?)?;
        }
        Ok(sum)
    }

    /// A workload's requests in a month: the sum over its routes.
    fn requests(&self, routes: &[Route], month: usize) -> Result<Decimal, Error> {
        routes.iter().try_fold(Decimal::ZERO, |sum, route| {
            self.add(
                sum,
                route
                    .months
                    .get(month)
                    .map_or(Decimal::ZERO, |m| m.requests),
            )
        })
    }

    /// The reported cost of routes in a month.
    fn costs(&self, routes: &[Route], month: usize) -> Result<Decimal, Error> {
        routes.iter().try_fold(Decimal::ZERO, |sum, route| {
            self.add(
                sum,
                route.months.get(month).map_or(Decimal::ZERO, |m| m.cost),
            )
        })
    }

    /// A route's cost per request in a month: the average request's for a route priced by
    /// tokens; for one priced by capacity the month's cost over its requests, or the horizon's
    /// average where the month has none.
    fn unit_cost(&self, route: &Route, month: usize) -> Result<Decimal, Error> {
        match route.priced_by {
            PricedBy::Tokens => Ok(route.per_request.total),
            PricedBy::Capacity => match route.months.get(month) {
                Some(m) if !m.requests.is_zero() => self.div(m.cost, m.requests),
                _ => self.div(route.cost, route.requests),
            },
        }
    }

    /// A new route's average request at the old prices (see the module docs).
    fn unit_at_old_prices(
        &self,
        route: &Route,
        old_routes: &[Route],
        month: usize,
    ) -> Result<Decimal, Error> {
        match route.priced_by {
            PricedBy::Tokens => {
                let mut sum = Decimal::ZERO;
                for component in Component::ALL {
                    sum = self.add(sum, self.component_at_old_price(route, component)?)?;
                }
                Ok(sum)
            }
            PricedBy::Capacity => {
                let old = same_offer(old_routes, &route.offer)
                    .filter(|old| old.priced_by == PricedBy::Capacity);
                match old {
                    Some(old) if !self.tokens(old)?.is_zero() => {
                        let per_token = self.div(self.unit_cost(old, month)?, self.tokens(old)?)?;
                        self.mul(per_token, self.tokens(route)?)
                    }
                    _ => self.unit_cost(route, month),
                }
            }
        }
    }

    /// One component of a new request at the offer's old price.
    fn component_at_old_price(
        &self,
        route: &Route,
        component: Component,
    ) -> Result<Decimal, Error> {
        let cost = route.per_request.costs[component];
        let old = self.old_prices.get(&route.offer, component);
        let new = self.new_prices.get(&route.offer, component);
        match (old, new) {
            (Some(old), Some(new)) if old == new => Ok(cost),
            (Some(old), Some(new)) if !new.is_zero() => self.div(self.mul(cost, old)?, new),
            // Free at the new price: the quantity at the old price, undiscounted.
            (Some(old), Some(_)) => self.mul(route.per_request.quantities[component], old),
            // No old price known: the new one stands.
            _ => Ok(cost),
        }
    }

    /// The fixed costs a plan pays over `months`: the monthly cost in each month of its horizon
    /// and the one-time cost in the first.
    ///
    /// # Errors
    /// [`Error::Overflow`] naming the comparison.
    pub fn fixed(
        &self,
        plan: Option<&Plan>,
        horizon: usize,
        months: &Range<usize>,
    ) -> Result<Decimal, Error> {
        let Some(plan) = plan else {
            return Ok(Decimal::ZERO);
        };
        let paid = months.start.min(horizon)..months.end.min(horizon);
        let mut sum = self.mul(plan.monthly_fixed_cost, Decimal::from(paid.len()))?;
        if paid.contains(&0) {
            sum = self.add(sum, plan.one_time_cost)?;
        }
        Ok(sum)
    }

    /// Tokens in a route's average request: prompt and generated.
    fn tokens(&self, route: &Route) -> Result<Decimal, Error> {
        route
            .per_request
            .quantities
            .iter()
            .filter(|(c, _)| c.in_prompt() || c.generated())
            .try_fold(Decimal::ZERO, |sum, (_, q)| self.add(sum, *q))
    }
}

fn same_offer<'a>(routes: &'a [Route], offer: &str) -> Option<&'a Route> {
    routes.iter().find(|r| r.offer == offer)
}
