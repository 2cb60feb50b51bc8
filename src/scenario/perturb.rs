//! Small, pure changes to a validated scenario for `costcalc sensitivity`: each returns a copy
//! with one assumption moved, so the engine can be run on it unchanged. A change that would
//! leave what validation allows is clamped to it (shares) or refused with `None` (growth at or
//! below -100% a month, a value beyond the decimal range).

use rust_decimal::Decimal;

use super::Scenario;
use crate::money::Share;

/// The lowest target utilisation a shift leaves: one percent.
const MIN_UTILIZATION: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

impl Scenario {
    /// Every workload's growth per month times `factor`; `None` if one would reach -100% or
    /// overflow.
    #[must_use]
    pub fn with_growth_scaled(&self, factor: Decimal) -> Option<Scenario> {
        let mut changed = self.clone();
        for workload in &mut changed.workloads {
            let growth = workload.growth_per_month.checked_mul(factor)?;
            if growth <= Decimal::NEGATIVE_ONE {
                return None;
            }
            workload.growth_per_month = growth;
        }
        Some(changed)
    }

    /// Every workload's cache hit share moved by `points` (0.1 = ten points), kept between 0 and
    /// what its cache writes leave.
    #[must_use]
    pub fn with_cache_hit_shifted(&self, points: Decimal) -> Scenario {
        let mut changed = self.clone();
        for workload in &mut changed.workloads {
            let written: Decimal = workload.cache_writes.iter().map(|(_, s)| s.get()).sum();
            let most = Decimal::ONE - written;
            let hit = (workload.cache_hit.get() + points).clamp(Decimal::ZERO, most);
            workload.cache_hit = Share::new(hit).unwrap_or(workload.cache_hit);
        }
        changed
    }

    /// The self-hosting target utilisation moved by `points`, kept between 0.01 and 1.
    #[must_use]
    pub fn with_utilization_shifted(&self, points: Decimal) -> Scenario {
        let mut changed = self.clone();
        let hosting = &mut changed.self_hosting;
        let utilization =
            (hosting.target_utilization.get() + points).clamp(MIN_UTILIZATION, Decimal::ONE);
        hosting.target_utilization = Share::new(utilization).unwrap_or(hosting.target_utilization);
        changed
    }

    /// The exchange rate of `currency` times `factor`; `None` if it would overflow or the
    /// scenario has no such rate.
    #[must_use]
    pub fn with_rate_scaled(&self, currency: &str, factor: Decimal) -> Option<Scenario> {
        let mut changed = self.clone();
        let rate = changed.rates.get_mut(currency)?;
        rate.rate = rate.rate.checked_mul(factor)?;
        Some(changed)
    }

    /// How far `costcalc sensitivity` moves each assumption.
    #[must_use]
    pub fn ranges(&self) -> super::ranges::Ranges {
        self.ranges
    }
}
