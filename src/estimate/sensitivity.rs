//! The answer of `costcalc sensitivity`: each plan's savings against the baseline at the low and
//! high end of every assumption, ranked by swing, with the point at which each assumption turns
//! the plan's horizon savings from a gain to a loss (or back). Unrounded, in the report currency.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::scenario::ranges::Ranges;

#[derive(Debug, Clone, Serialize)]
pub struct Sensitivity {
    pub scenario: String,
    pub currency: String,
    pub months: u32,
    pub baseline: String,
    /// The ranges used: the scenario's `[ranges]`, with defaults where it has none.
    pub ranges: Ranges,
    /// Every plan but the baseline, in the scenario's order.
    pub plans: Vec<PlanSensitivity>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanSensitivity {
    pub plan: String,
    /// Over the horizon, at every assumption's base value.
    pub savings: Decimal,
    pub year_one_savings: Decimal,
    /// Largest swing first; equal swings in the order of [`Assumption`].
    pub assumptions: Vec<Swing>,
}

/// What is moved.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Assumption {
    /// Every workload's volume, as a multiple.
    Volume,
    /// Every workload's growth per month, as a multiple.
    Growth,
    /// Every price of one provider (GPU prices included), as a multiple.
    Prices { provider: String },
    /// One exchange rate, as a multiple.
    ExchangeRate { currency: String },
    /// Every workload's cache hit share, shifted by points.
    CacheHitShare,
    /// The self-hosting target utilisation, shifted by points.
    Utilization,
}

impl Assumption {
    /// Whether the assumption moves by a multiple (`true`) or by points added (`false`).
    #[must_use]
    pub fn is_multiple(&self) -> bool {
        !matches!(self, Assumption::CacheHitShare | Assumption::Utilization)
    }
}

/// One assumption at its low and high ends.
#[derive(Debug, Clone, Serialize)]
pub struct Swing {
    pub assumption: Assumption,
    /// A multiple of the base value (volume, growth, prices, rates; base 1) or points added to
    /// it (cache hit share, utilisation; base 0), at each end.
    pub low: Decimal,
    pub high: Decimal,
    /// Horizon savings at each end.
    pub savings_low: Decimal,
    pub savings_high: Decimal,
    /// Year-1 savings at each end.
    pub year_one_low: Decimal,
    pub year_one_high: Decimal,
    /// `|savings_high - savings_low|`.
    pub swing: Decimal,
    /// The multiple or shift nearest the base at which the horizon savings change sign: from
    /// there on (away from the base) the plan saves nothing, or starts to save if it did not.
    /// `None` if they keep their sign over the whole range searched.
    pub tipping_point: Option<Decimal>,
}
