//! Stated price trends of API offers: a yearly change stepped in at each anniversary of its
//! start, or a one-off change on a date. Exact by construction: a trend's factor on a day is a
//! whole power of `1 + change`, never a root, and validation refuses one whose powers over the
//! horizon would need more digits than a decimal holds. Self-hosted deployments are priced by
//! GPU-hour and no trend touches them.

use rust_decimal::Decimal;

use crate::calendar::Date;
use crate::pricing::{Catalog, Offer, Weights};

/// How a trend changes prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Prices times `1 + change` at each anniversary of `from`: after n anniversaries,
    /// `(1 + change)^n`. The first year from `from` is at the prices in force.
    Yearly,
    /// Prices times `1 + change` from `from` on.
    Once,
}

/// A validated trend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trend {
    /// Offer ids it names; empty when it names none.
    pub(crate) offers: Vec<String>,
    pub(crate) weights: Option<Weights>,
    pub(crate) provider: Option<String>,
    pub(crate) step: Step,
    /// A share: -0.2 for "-20%"; above -1.
    pub(crate) change: Decimal,
    pub(crate) from: Date,
    pub(crate) source: Option<String>,
}

impl Trend {
    /// Whether the trend applies to `offer`: every filter it states holds.
    #[must_use]
    pub fn applies_to(&self, catalog: &Catalog, offer: &Offer) -> bool {
        (self.offers.is_empty() || self.offers.contains(&offer.id))
            && self
                .provider
                .as_ref()
                .is_none_or(|provider| *provider == offer.provider)
            && self.weights.is_none_or(|weights| {
                catalog
                    .model(&offer.model)
                    .is_some_and(|model| model.weights == weights)
            })
    }

    /// How many steps have been taken by `date`.
    #[must_use]
    pub fn steps_by(&self, date: Date) -> u32 {
        if date < self.from {
            return 0;
        }
        match self.step {
            Step::Once => 1,
            Step::Yearly => {
                let mut years = u32::try_from(date.year() - self.from.year()).unwrap_or(0);
                while years > 0 && anniversary(self.from, years).is_none_or(|a| a > date) {
                    years -= 1;
                }
                years
            }
        }
    }

    /// The days on which the trend's factor changes, from `start` (exclusive) to `end`
    /// (inclusive).
    #[must_use]
    pub fn steps_between(&self, start: Date, end: Date) -> Vec<Date> {
        match self.step {
            Step::Once => [self.from]
                .into_iter()
                .filter(|d| *d > start && *d <= end)
                .collect(),
            Step::Yearly => (1..)
                .map_while(|n| anniversary(self.from, n).filter(|d| *d <= end))
                .filter(|d| *d > start)
                .collect(),
        }
    }

    /// The factor on `date`: `(1 + change)^steps`; `None` if it is not exact (validation
    /// rules that out within the horizon).
    #[must_use]
    pub fn factor_on(&self, date: Date) -> Option<Decimal> {
        power(Decimal::ONE + self.change, self.steps_by(date))
    }
}

/// The `n`th anniversary of `date`; the 29th of February's is the 28th in a common year.
#[must_use]
pub fn anniversary(date: Date, n: u32) -> Option<Date> {
    let year = date.year().checked_add(i32::try_from(n).ok()?)?;
    Date::new(year, date.month(), date.day()).or_else(|| Date::new(year, date.month(), 28))
}

/// `a x b` when the product holds every digit, `None` when the decimal would round it or it
/// leaves the range.
#[must_use]
pub fn exact_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    let (a, b) = (a.normalize(), b.normalize());
    let product = a.checked_mul(b)?;
    (product.scale() == a.scale() + b.scale()).then_some(product)
}

/// `base^n`, exact or `None`.
#[must_use]
pub fn power(base: Decimal, n: u32) -> Option<Decimal> {
    (0..n).try_fold(Decimal::ONE, |product, _| exact_mul(product, base))
}

/// Reads a percentage such as `"-20%"` as a share (-0.2); `None` unless it is a number
/// followed by `%`.
#[must_use]
pub fn parse_percent(text: &str) -> Option<Decimal> {
    let number = text.trim().strip_suffix('%')?.trim();
    let percent: Decimal = number.parse().ok()?;
    percent.checked_div(Decimal::ONE_HUNDRED)
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn yearly(change: Decimal, from: &str) -> Trend {
        Trend {
            offers: Vec::new(),
            weights: None,
            provider: None,
            step: Step::Yearly,
            change,
            from: date(from),
            source: None,
        }
    }

    #[test]
    fn a_percentage_is_read_as_an_exact_share() {
        assert_eq!(parse_percent("-20%"), Some(dec!(-0.2)));
        assert_eq!(parse_percent(" 12.5 % "), Some(dec!(0.125)));
        assert_eq!(parse_percent("-20"), None);
        assert_eq!(parse_percent("a%"), None);
    }

    #[test]
    fn a_yearly_trend_steps_at_each_anniversary() {
        let trend = yearly(dec!(-0.2), "2027-01-15");
        assert_eq!(trend.factor_on(date("2027-01-14")), Some(dec!(1)));
        assert_eq!(trend.factor_on(date("2028-01-14")), Some(dec!(1)));
        assert_eq!(trend.factor_on(date("2028-01-15")), Some(dec!(0.8)));
        // 0.8 x 0.8 = 0.64.
        assert_eq!(trend.factor_on(date("2029-06-01")), Some(dec!(0.64)));
        assert_eq!(
            trend.steps_between(date("2027-01-01"), date("2029-12-31")),
            [date("2028-01-15"), date("2029-01-15")]
        );
    }

    #[test]
    fn the_29th_of_february_has_its_anniversary_on_the_28th() {
        let trend = yearly(dec!(-0.5), "2028-02-29");
        assert_eq!(anniversary(date("2028-02-29"), 1), Some(date("2029-02-28")));
        assert_eq!(trend.factor_on(date("2029-02-27")), Some(dec!(1)));
        assert_eq!(trend.factor_on(date("2029-02-28")), Some(dec!(0.5)));
        assert_eq!(trend.factor_on(date("2032-02-29")), Some(dec!(0.0625)));
    }

    #[test]
    fn a_power_that_would_round_is_refused() {
        // 0.8^10 = 0.1073741824, exact.
        assert_eq!(power(dec!(0.8), 10), Some(dec!(0.1073741824)));
        // 0.873^10 needs 30 decimals, more than the 28 a decimal holds.
        assert_eq!(power(dec!(0.873), 10), None);
        assert_eq!(power(dec!(0.873), 9).map(|p| p.scale()), Some(27));
    }
}
