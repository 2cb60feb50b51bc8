//! What one request costs at one offer: tiers, cache, service tiers and every other component, in
//! the offer's currency.
//!
//! The rules (the README's "Rules for numbers"):
//! - A request's tier is the last one whose threshold its prompt (every prompt component, cached
//!   or not) meets. Its prices are the base with every tier up to it laid over in order, so a
//!   price a tier leaves out is the one of the tier beneath.
//! - A whole-request tier bills every component at its prices. An excess tier bills only the
//!   prompt tokens above its threshold at its prices and those below at the level beneath; each
//!   prompt component (uncached input, cache reads, writes of each lifetime, audio, images) has
//!   its proportional part in each range. Generated tokens, searches and the request fee are
//!   billed at the prices of the request's own tier.
//! - A component without a price falls back as [`Component::fallback`] says: cache reads and
//!   writes at the input price (noted; writes only when the offer prices another lifetime, since
//!   without any write price providers bill writes as plain input), reasoning at the output
//!   price, no request fee, and audio or searches at an offer without their price refused.
//! - Requests sent through a service tier (batch, flex, priority) pay its prices or discount;
//!   without them, standard prices and a note.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::component::{Component, Fallback, PerComponent};
use crate::estimate::{Quantities, RequestCost};
use crate::money::Price;
use crate::pricing::{Offer, PriceList, Service, ServiceTier, TierScope};

/// A request as the engine prices it.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    /// What it carries, by component, in disjoint buckets; `quantities[Request]` is 1 for one
    /// request.
    pub quantities: Quantities,
    /// The service tier it is sent through; `None` for standard.
    pub service: Option<ServiceTier>,
}

impl Request {
    /// The whole prompt, by which the tier is chosen.
    ///
    /// # Errors
    /// [`Overflow`] if the prompt components add up beyond the decimal range.
    pub fn prompt_tokens(&self) -> Result<Decimal, Overflow> {
        self.quantities
            .iter()
            .filter(|(component, _)| component.in_prompt())
            .try_fold(Decimal::ZERO, |sum, (_, quantity)| add(sum, *quantity))
    }
}

/// Fallbacks taken while pricing, for the report's notes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fallbacks {
    /// Components billed at another component's price, with that component.
    pub missing: BTreeSet<(Component, Component)>,
    /// Service tiers the offer has no prices for, billed at standard prices.
    pub no_service_price: BTreeSet<ServiceTier>,
    /// Service tiers a long-context tier (by its threshold) has no prices for.
    pub no_tier_service_price: BTreeSet<(ServiceTier, u64)>,
}

/// The arithmetic overflowed the decimal range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

/// Why a request could not be priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceError {
    Overflow,
    /// The request carries a component the offer has no price for and that has no sensible
    /// fallback (audio at a text-only offer).
    Unpriced(Component),
}

impl From<Overflow> for PriceError {
    fn from(Overflow: Overflow) -> Self {
        PriceError::Overflow
    }
}

pub(crate) fn add(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_add(b).ok_or(Overflow)
}

pub(crate) fn mul(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_mul(b).ok_or(Overflow)
}

/// `a / b`; a zero divisor is a bug in the caller and reported as an overflow, never a panic.
pub(crate) fn div(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_div(b).ok_or(Overflow)
}

/// Prices one request at `offer`, in the offer's currency.
///
/// # Errors
/// [`PriceError::Overflow`] if a quantity times a price leaves the decimal range;
/// [`PriceError::Unpriced`] for a component the offer cannot bill.
pub fn price(
    offer: &Offer,
    request: &Request,
    fallbacks: &mut Fallbacks,
) -> Result<RequestCost, PriceError> {
    let prompt = request.prompt_tokens()?;
    let top = offer
        .tiers
        .iter()
        .rposition(|tier| tier.threshold.holds(prompt));
    let mut costs = PerComponent::<Decimal>::default();

    // Walk down from the request's tier, billing each range of prompt tokens at its level.
    let mut level = top;
    let mut upper = prompt;
    loop {
        let prices = level_prices(offer, level, request.service, fallbacks);
        let (range, next) = match level.map(|k| &offer.tiers[k]) {
            Some(tier) if tier.scope == TierScope::Excess => {
                let below = tier.threshold.below();
                (upper - below, Some(below))
            }
            _ => (upper, None),
        };
        for component in Component::ALL.into_iter().filter(|c| c.in_prompt()) {
            // A range holds its proportional part of each prompt component; the usual single
            // range is the whole prompt, which holds them all, exactly.
            let quantity = request.quantities[component];
            // Nothing of it costs nothing and needs no price (no fallback, no note).
            if quantity.is_zero() {
                continue;
            }
            let part = if range == prompt {
                quantity
            } else if prompt.is_zero() {
                Decimal::ZERO
            } else {
                div(mul(quantity, range)?, prompt)?
            };
            let cost = bill(&prices, component, part, fallbacks)?;
            costs[component] = add(costs[component], cost)?;
        }
        match next {
            Some(threshold) => {
                upper = threshold;
                level = level.and_then(|k| k.checked_sub(1));
            }
            None => break,
        }
    }

    let prices = level_prices(offer, top, request.service, fallbacks);
    for component in Component::ALL.into_iter().filter(|c| !c.in_prompt()) {
        let quantity = request.quantities[component];
        if !quantity.is_zero() {
            costs[component] = bill(&prices, component, quantity, fallbacks)?;
        }
    }
    let total = costs
        .values()
        .try_fold(Decimal::ZERO, |sum, c| add(sum, *c))?;
    Ok(RequestCost {
        quantities: request.quantities,
        costs,
        total,
    })
}

/// The cost of `quantity` of `component` at `prices`, following the component's fallback where
/// the list has no price for it.
fn bill(
    prices: &PriceList,
    component: Component,
    quantity: Decimal,
    fallbacks: &mut Fallbacks,
) -> Result<Decimal, PriceError> {
    let Some(price) = resolve(prices, component, quantity, fallbacks)? else {
        return Ok(Decimal::ZERO);
    };
    Ok(price.cost_of(quantity, component.unit()).ok_or(Overflow)?)
}

/// The price `component` is billed at: its own, or the one it falls back to (noted where that
/// is an assumption and the request carries the component); `None` if it is free.
fn resolve(
    prices: &PriceList,
    component: Component,
    quantity: Decimal,
    fallbacks: &mut Fallbacks,
) -> Result<Option<Price>, PriceError> {
    let mut current = component;
    // Fallback chains are short and end (a unit test of the component list checks it).
    for _ in 0..Component::COUNT {
        if let Some(price) = prices.get(current) {
            if current != component && noted(prices, component) && !quantity.is_zero() {
                fallbacks.missing.insert((component, current));
            }
            return Ok(Some(price));
        }
        match current.fallback() {
            Fallback::PriceOf {
                component: next, ..
            } => current = next,
            Fallback::Free => return Ok(None),
            Fallback::Refused if quantity.is_zero() => return Ok(None),
            Fallback::Refused => return Err(PriceError::Unpriced(component)),
        }
    }
    unreachable!("fallback chains end, as the component list's tests check")
}

/// Whether billing `component` at its fallback price is an assumption worth a note. A missing
/// cache-write price is one only where the offer prices another lifetime: without any write
/// price, providers (`OpenAI`, Google, Alibaba) bill writes as plain input.
fn noted(prices: &PriceList, component: Component) -> bool {
    let Fallback::PriceOf { noted, .. } = component.fallback() else {
        return false;
    };
    if component.is_cache_write() {
        return Component::ALL
            .into_iter()
            .any(|other| other.is_cache_write() && prices.get(other).is_some());
    }
    noted
}

/// The prices of one level (`None` = base, `Some(k)` = tier k over those beneath), with the
/// service tier's prices applied where asked.
fn level_prices(
    offer: &Offer,
    level: Option<usize>,
    service: Option<ServiceTier>,
    fallbacks: &mut Fallbacks,
) -> PriceList {
    let prices = offer.level(level);
    let Some(service) = service else {
        return prices;
    };
    let tier = level.map(|k| &offer.tiers[k]);
    match (offer.service(service), tier) {
        (Service::Unavailable, _) => {
            fallbacks.no_service_price.insert(service);
            prices
        }
        (Service::Discount(discount), _) => prices.scaled(discount.complement()),
        (Service::Prices(service_prices), None) => prices.overlaid(service_prices),
        (Service::Prices(_), Some(tier)) => {
            if let Some(tier_prices) = tier.services.get(&service) {
                prices.overlaid(tier_prices)
            } else {
                fallbacks
                    .no_tier_service_price
                    .insert((service, tier.threshold.input_tokens));
                prices
            }
        }
    }
}

#[cfg(test)]
mod tests;
