//! A small, pure change to a validated catalog for `costcalc sensitivity`: every price of one
//! provider scaled by a factor, so the engine can be run on the copy unchanged.

use rust_decimal::Decimal;

use super::{Catalog, PriceList, Prices, Service};
use crate::money::Price;

/// Every stated price times `factor`; `None` beyond the decimal range.
fn scale(prices: &Prices, factor: Decimal) -> Option<Prices> {
    let mut scaled = *prices;
    for (_, price) in scaled.iter_mut() {
        if let Some(p) = price {
            *price = Some(Price::new(p.get().checked_mul(factor)?)?);
        }
    }
    Some(scaled)
}

impl Catalog {
    /// Every price `provider` charges times `factor` (a non-negative number): each offer's base
    /// (dated changes included), tier and service-tier prices, fees included, and the hourly
    /// price of its GPUs. Discounts stay as they are, so discounted prices scale too. `None`
    /// beyond the decimal range.
    #[must_use]
    pub fn with_provider_prices_scaled(&self, provider: &str, factor: Decimal) -> Option<Catalog> {
        let mut changed = self.clone();
        for offer in changed
            .offers
            .values_mut()
            .filter(|o| o.provider == provider)
        {
            offer.base = PriceList(scale(&offer.base.0, factor)?);
            for change in &mut offer.changes {
                change.stated = scale(&change.stated, factor)?;
                change.list = PriceList(scale(&change.list.0, factor)?);
            }
            for service in offer.services.values_mut() {
                if let Service::Prices(prices) = service {
                    *prices = scale(prices, factor)?;
                }
            }
            for tier in &mut offer.tiers {
                tier.prices = scale(&tier.prices, factor)?;
                for prices in tier.services.values_mut() {
                    *prices = scale(prices, factor)?;
                }
            }
        }
        for gpu_offer in changed
            .gpu_offers
            .values_mut()
            .filter(|g| g.provider == provider)
        {
            gpu_offer.per_gpu_hour = gpu_offer.per_gpu_hour.checked_mul(factor)?;
        }
        Some(changed)
    }
}
