//! Validation of the `[ranges]` table: every range a share of at least 0 and below 1 (so that a
//! low end keeps volumes, prices and rates above zero), growth up to 1.

use rust_decimal::Decimal;
use toml::Spanned;

use super::Checker;
use crate::scenario::ranges::Ranges;
use crate::scenario::raw;

impl Checker<'_> {
    /// The validated ranges; an invalid one is reported and its default kept.
    pub(super) fn ranges(&mut self, raw: Option<&raw::Ranges>) -> Ranges {
        let defaults = Ranges::default();
        let Some(raw) = raw else { return defaults };
        Ranges {
            volume: self.range("volume", raw.volume.as_ref(), defaults.volume, false),
            growth: self.range("growth", raw.growth.as_ref(), defaults.growth, true),
            prices: self.range("prices", raw.prices.as_ref(), defaults.prices, false),
            exchange_rates: self.range(
                "exchange_rates",
                raw.exchange_rates.as_ref(),
                defaults.exchange_rates,
                false,
            ),
            cache_hit_share: self.range(
                "cache_hit_share",
                raw.cache_hit_share.as_ref(),
                defaults.cache_hit_share,
                true,
            ),
            utilization: self.range(
                "utilization",
                raw.utilization.as_ref(),
                defaults.utilization,
                false,
            ),
        }
    }

    /// A range within 0 and 1: `one_allowed` for growth and the cache share, whose low end may
    /// reach zero; the others must stay below 1 so that their low end does.
    fn range(
        &mut self,
        key: &str,
        value: Option<&Spanned<Decimal>>,
        default: Decimal,
        one_allowed: bool,
    ) -> Decimal {
        let Some(value) = value else { return default };
        let range = *value.get_ref();
        let valid = range >= Decimal::ZERO
            && (range < Decimal::ONE || (one_allowed && range == Decimal::ONE));
        if valid {
            return range;
        }
        let bound = if one_allowed {
            "between 0 and 1"
        } else {
            "at least 0 and below 1"
        };
        self.push(
            value.span(),
            format!("`ranges.{key}` must be {bound} (found {range})"),
            "a range is a fraction either way: 0.2 means from 20% below to 20% above",
        );
        default
    }
}
