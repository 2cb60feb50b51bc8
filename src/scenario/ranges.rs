//! The `[ranges]` table of a scenario: how far `costcalc sensitivity` moves each assumption to
//! its low and high ends. Every key is optional, with the defaults below.

use rust_decimal::Decimal;
use serde::Serialize;

/// How far each assumption moves either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Ranges {
    /// A share of every workload's volume (default 0.3: 70% to 130%).
    pub volume: Decimal,
    /// A share of every workload's growth per month (default 0.5: half to 1.5 times).
    pub growth: Decimal,
    /// A share of each provider's prices, its GPU prices included (default 0.2).
    pub prices: Decimal,
    /// A share of each exchange rate (default 0.1).
    pub exchange_rates: Decimal,
    /// Points of every workload's cache hit share (default 0.1: 10 points either way).
    pub cache_hit_share: Decimal,
    /// Points of the self-hosting target utilisation (default 0.1).
    pub utilization: Decimal,
}

impl Default for Ranges {
    fn default() -> Self {
        Self {
            volume: Decimal::new(3, 1),
            growth: Decimal::new(5, 1),
            prices: Decimal::new(2, 1),
            exchange_rates: Decimal::new(1, 1),
            cache_hit_share: Decimal::new(1, 1),
            utilization: Decimal::new(1, 1),
        }
    }
}
