//! Decimal newtypes with their units in their names, and the one rounding rule for display.
//!
//! Nothing here rounds a value that is computed with later: [`round_for_display`] is only for text
//! that a person reads. CSV and JSON carry the exact values.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::component::Unit;

/// Tokens in one million: providers publish prices per 1M tokens.
pub const TOKENS_PER_MTOK: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// The price of one component of a bill, in the currency of the offer it belongs to: per one
/// million tokens, per call or per request, as the component's [`Unit`] says. Never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Price(Decimal);

impl Price {
    /// `None` if the price is negative.
    #[must_use]
    pub fn new(value: Decimal) -> Option<Self> {
        (!value.is_sign_negative() || value.is_zero()).then_some(Self(value))
    }

    #[must_use]
    pub fn get(self) -> Decimal {
        self.0
    }

    /// The cost of `quantity` at this price: tokens x price / 1,000,000 for a price per 1M
    /// tokens, calls or requests x price otherwise; exact, `None` on overflow.
    #[must_use]
    pub fn cost_of(self, quantity: Decimal, unit: Unit) -> Option<Decimal> {
        let cost = quantity.checked_mul(self.0)?;
        match unit {
            Unit::PerMtok => cost.checked_div(TOKENS_PER_MTOK),
            Unit::PerCall | Unit::PerRequest => Some(cost),
        }
    }

    /// This price scaled by a factor in 0..=1 (a batch discount leaves `1 - discount`).
    #[must_use]
    pub fn scaled(self, factor: Share) -> Self {
        // The factor is at most 1 in magnitude, so this cannot overflow.
        Self(self.0 * factor.get())
    }
}

/// A fraction between 0 and 1 inclusive: a routing share, a cache-hit share, a discount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Share(Decimal);

impl Share {
    pub const ZERO: Share = Share(Decimal::ZERO);
    pub const ONE: Share = Share(Decimal::ONE);

    /// `None` unless `0 <= value <= 1`.
    #[must_use]
    pub fn new(value: Decimal) -> Option<Self> {
        (value >= Decimal::ZERO && value <= Decimal::ONE).then_some(Self(value))
    }

    #[must_use]
    pub fn get(self) -> Decimal {
        self.0
    }

    /// `1 - self`, also a share.
    #[must_use]
    pub fn complement(self) -> Share {
        Share(Decimal::ONE - self.0)
    }
}

/// Rounds an amount for display: to `decimal_places`, half away from zero (2.345 -> 2.35,
/// -2.345 -> -2.35). The only rounding in costcalc; never banker's rounding, never truncation.
#[must_use]
pub fn round_for_display(amount: Decimal, decimal_places: u32) -> Decimal {
    amount.round_dp_with_strategy(decimal_places, RoundingStrategy::MidpointAwayFromZero)
}

/// The symbol written before amounts of a currency, or the code and a space.
fn currency_prefix(currency: &str) -> String {
    match currency {
        "USD" => "$".to_owned(),
        "EUR" => "€".to_owned(),
        "GBP" => "£".to_owned(),
        other => format!("{other} "),
    }
}

/// An amount as a person reads it: rounded to cents, thousands separated, `-$1,234.50`.
#[must_use]
pub fn format_money(amount: Decimal, currency: &str) -> String {
    let rounded = round_for_display(amount, 2);
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!(
        "{sign}{}{}",
        currency_prefix(currency),
        group_thousands(&format!("{:.2}", rounded.abs()))
    )
}

/// A price per 1M tokens for display: up to four decimals, so $0.0375 is shown whole.
#[must_use]
pub fn format_price(amount: Decimal, currency: &str) -> String {
    let rounded = round_for_display(amount, 4).normalize();
    let text = if rounded.scale() < 2 {
        format!("{rounded:.2}")
    } else {
        rounded.to_string()
    };
    format!("{}{}", currency_prefix(currency), group_thousands(&text))
}

/// An amount in a few characters, for a chart's axis: `$1.5M`, `$250k`, `-€900`, `$0.2`: in
/// millions, thousands or units, to at most two decimals (trailing zeros dropped). Two decimals,
/// not fewer, because an axis steps by round amounts such as 0.2 or 1.25k, and each tick must
/// keep its own label: to whole units, 0.2, 0.4 and 0.6 would all read `$0` or `$1`.
#[must_use]
pub fn format_money_short(amount: Decimal, currency: &str) -> String {
    let million = Decimal::from(1_000_000);
    let thousand = Decimal::from(1_000);
    let abs = amount.abs();
    let (scaled, suffix) = if abs >= million {
        (abs / million, "M")
    } else if abs >= thousand {
        (abs / thousand, "k")
    } else {
        (abs, "")
    };
    let rounded = round_for_display(scaled, 2).normalize();
    let sign = if amount.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!(
        "{sign}{}{}{suffix}",
        currency_prefix(currency),
        group_thousands(&rounded.to_string())
    )
}

/// A small amount, such as the cost of one request: up to six decimals, at least two, so that
/// $0.000185 is not shown as $0.00.
#[must_use]
pub fn format_money_fine(amount: Decimal, currency: &str) -> String {
    let rounded = round_for_display(amount, 6).normalize();
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    let abs = rounded.abs();
    let text = if abs.scale() < 2 {
        format!("{abs:.2}")
    } else {
        abs.to_string()
    };
    format!(
        "{sign}{}{}",
        currency_prefix(currency),
        group_thousands(&text)
    )
}

/// A percentage with one decimal: `81.3%`.
#[must_use]
pub fn format_percent(percent: Decimal) -> String {
    format!("{:.1}%", round_for_display(percent, 1))
}

/// A multiple of another amount with two decimals: `2.28x`.
#[must_use]
pub fn format_multiple(multiple: Decimal) -> String {
    format!("{:.2}x", round_for_display(multiple, 2))
}

/// A count (requests, tokens) rounded to a whole number with thousands separators.
#[must_use]
pub fn format_count(count: Decimal) -> String {
    group_thousands(&round_for_display(count, 0).to_string())
}

/// Rounds to `figures` significant figures, half away from zero (0.12345 -> 0.123 at three,
/// 123,456 -> 123,000), on the decimal's own digits, so any magnitude from 1e-28 to
/// [`Decimal::MAX`] rounds exactly. `None` only when rounding up leaves the decimal range (the
/// maximum, 7.9228...e28, to four figures would be 7.923e28); zero figures leave the value as it is.
#[must_use]
pub fn round_significant(value: Decimal, figures: u32) -> Option<Decimal> {
    let mantissa = value.mantissa().unsigned_abs();
    let digits = mantissa.checked_ilog10().map_or(1, |log| log + 1);
    if figures == 0 || digits <= figures {
        return Some(value);
    }
    // At most 29 digits (the mantissa is below 2^96), so at most 28 are dropped: 10^28 fits.
    let mut dropped = digits - figures;
    let unit = 10u128.checked_pow(dropped)?;
    let mut kept = mantissa / unit;
    if (mantissa % unit).checked_mul(2)? >= unit {
        kept = kept.checked_add(1)?;
    }
    // 0.9995 -> 1000 thousandths: a carry into a new digit keeps `figures` of them, 1.00.
    if kept == 10u128.checked_pow(figures)? {
        kept /= 10;
        dropped += 1;
    }
    let kept = i128::try_from(kept).ok()?;
    let kept = if value.is_sign_negative() {
        -kept
    } else {
        kept
    };
    let scale = value.scale();
    if dropped <= scale {
        Decimal::try_from_i128_with_scale(kept, scale - dropped).ok()
    } else {
        // The rounded value is `kept` followed by zeros in the integer part.
        let zeros = 10u128.checked_pow(dropped - scale)?;
        let zeros = Decimal::try_from_i128_with_scale(i128::try_from(zeros).ok()?, 0).ok()?;
        Decimal::try_from_i128_with_scale(kept, 0)
            .ok()?
            .checked_mul(zeros)
    }
}

/// A figure such as a volume multiple or a count of tokens, to `figures` significant figures
/// with thousands separated: `0.926`, `1.00`, `17,500,000,000`. Never wraps: a value whose
/// rounding would leave the decimal range is shown whole.
#[must_use]
pub fn format_significant(value: Decimal, figures: u32) -> String {
    let rounded = round_significant(value, figures).unwrap_or(value);
    group_thousands(&rounded.to_string())
}

/// An average count that may be fractional (0.6 searches a request): up to two decimals,
/// thousands separated, trailing zeros dropped.
#[must_use]
pub fn format_average(count: Decimal) -> String {
    group_thousands(&round_for_display(count, 2).normalize().to_string())
}

/// Inserts `,` every three digits into the integer part of a plain decimal string.
fn group_thousands(plain: &str) -> String {
    let (sign, unsigned) = plain
        .strip_prefix('-')
        .map_or(("", plain), |rest| ("-", rest));
    let (integer, fraction) = unsigned
        .split_once('.')
        .map_or((unsigned, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::with_capacity(plain.len() + integer.len() / 3);
    for (i, digit) in integer.chars().enumerate() {
        if i > 0 && (integer.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    match fraction {
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn display_rounds_half_away_from_zero() {
        assert_eq!(round_for_display(dec!(2.345), 2), dec!(2.35));
        assert_eq!(round_for_display(dec!(-2.345), 2), dec!(-2.35));
        // Banker's rounding would give 2.34 here; truncation would give 2.34 too.
        assert_eq!(round_for_display(dec!(2.3450000001), 2), dec!(2.35));
        assert_eq!(round_for_display(dec!(2.344999), 2), dec!(2.34));
    }

    #[test]
    fn money_is_rounded_once_and_grouped() {
        assert_eq!(format_money(dec!(1234567.005), "USD"), "$1,234,567.01");
        assert_eq!(format_money(dec!(-1234.5), "USD"), "-$1,234.50");
        assert_eq!(format_money(dec!(0.004), "USD"), "$0.00");
        assert_eq!(format_money(dec!(-0.004), "USD"), "$0.00");
        assert_eq!(format_money(dec!(999.995), "CNY"), "CNY 1,000.00");
    }

    #[test]
    fn prices_keep_sub_cent_digits() {
        assert_eq!(format_price(dec!(0.0375), "USD"), "$0.0375");
        assert_eq!(format_price(dec!(15), "USD"), "$15.00");
        assert_eq!(format_price(dec!(0.125), "USD"), "$0.125");
    }

    #[test]
    fn short_amounts_round_to_millions_thousands_or_units() {
        assert_eq!(format_money_short(dec!(1_550_000), "USD"), "$1.55M");
        assert_eq!(format_money_short(dec!(2_000_000), "EUR"), "€2M");
        assert_eq!(format_money_short(dec!(250_000), "USD"), "$250k");
        assert_eq!(format_money_short(dec!(-1_250), "USD"), "-$1.25k");
        // 1,234,567 / 1,000,000 = 1.234567, to two decimals 1.23.
        assert_eq!(format_money_short(dec!(1_234_567), "USD"), "$1.23M");
        assert_eq!(format_money_short(dec!(999.995), "CNY"), "CNY 1,000");
        assert_eq!(format_money_short(dec!(-0.004), "USD"), "$0");
        assert_eq!(format_money_short(dec!(2_500_000_000), "USD"), "$2,500M");
        // The ticks of a small axis keep apart: 0.2, 0.4 and 0.6 do not all read `$0`.
        assert_eq!(format_money_short(dec!(0.2), "USD"), "$0.2");
        assert_eq!(format_money_short(dec!(0.6), "USD"), "$0.6");
        assert_eq!(format_money_short(dec!(-0.4), "USD"), "-$0.4");
    }

    #[test]
    fn fine_amounts_keep_six_decimals() {
        assert_eq!(format_money_fine(dec!(0.0001855), "USD"), "$0.000186");
        assert_eq!(format_money_fine(dec!(12.5), "USD"), "$12.50");
        assert_eq!(format_money_fine(dec!(1234.0000004), "USD"), "$1,234.00");
    }

    #[test]
    fn averages_keep_two_decimals() {
        assert_eq!(format_average(dec!(0.6)), "0.6");
        assert_eq!(format_average(dec!(1234.567)), "1,234.57");
        assert_eq!(format_average(dec!(2.0)), "2");
    }

    #[test]
    fn percent_and_count() {
        assert_eq!(format_percent(dec!(81.25)), "81.3%");
        assert_eq!(format_count(dec!(21900000.5)), "21,900,001");
    }

    #[test]
    fn multiples_round_half_away_from_zero_to_two_decimals() {
        // 2.2785714... rounds to 2.28; the midpoint 1.385 goes up to 1.39, where banker's
        // rounding would give 1.38; a whole multiple keeps two decimals.
        assert_eq!(
            format_multiple(dec!(2.2785714285714285714285714286)),
            "2.28x"
        );
        assert_eq!(format_multiple(dec!(1.385)), "1.39x");
        assert_eq!(format_multiple(dec!(1)), "1.00x");
    }

    #[test]
    fn significant_figures_round_half_away_from_zero() {
        assert_eq!(round_significant(dec!(0.12345), 3), Some(dec!(0.123)));
        assert_eq!(round_significant(dec!(0.9265), 3), Some(dec!(0.927)));
        assert_eq!(round_significant(dec!(-0.9265), 3), Some(dec!(-0.927)));
        // 1.0000000000001 keeps its three figures: 1.00, shown with its zeros.
        assert_eq!(format_significant(dec!(1.0000000000001), 3), "1.00");
        assert_eq!(format_significant(dec!(0.9995), 3), "1.00");
        assert_eq!(format_significant(dec!(0.01), 3), "0.01");
        assert_eq!(format_significant(dec!(100), 3), "100");
        assert_eq!(format_significant(dec!(17543210987), 3), "17,500,000,000");
        assert_eq!(format_significant(Decimal::ZERO, 3), "0");
    }

    #[test]
    fn significant_figures_hold_at_the_extremes() {
        // 123,456,789,012,345,678,901,234 has 24 digits: three kept, 21 zeros. A power of ten
        // held in a u64 wraps above 1.8e19, which is what this guards against.
        assert_eq!(
            format_significant(dec!(123456789012345678901234), 3),
            "123,000,000,000,000,000,000,000"
        );
        assert_eq!(
            round_significant(dec!(123456789012345678901234), 3),
            Some(dec!(123000000000000000000000))
        );
        // Decimal::MAX = 79,228,162,514,264,337,593,543,950,335: 7.92e28 at three figures.
        assert_eq!(
            format_significant(Decimal::MAX, 3),
            "79,200,000,000,000,000,000,000,000,000"
        );
        assert_eq!(
            format_significant(Decimal::MIN, 3),
            "-79,200,000,000,000,000,000,000,000,000"
        );
        // 7.923e28 is above the maximum: not representable, so the value is shown whole.
        assert_eq!(round_significant(Decimal::MAX, 4), None);
        assert_eq!(
            format_significant(Decimal::MAX, 4),
            "79,228,162,514,264,337,593,543,950,335"
        );
        // All 29 digits kept, or all but two or one dropped (8e28 is out of range).
        assert_eq!(round_significant(Decimal::MAX, 29), Some(Decimal::MAX));
        assert_eq!(
            round_significant(Decimal::MAX, 2),
            Some(dec!(79000000000000000000000000000))
        );
        assert_eq!(round_significant(Decimal::MAX, 1), None);
        // The smallest positive decimal, 1e-28, and 28-place values rounded to three figures:
        // 1.2345e-24 -> 1.23e-24 and 1.2355e-24 -> 1.24e-24 (26 places).
        let tiny = Decimal::new(1, 28);
        assert_eq!(round_significant(tiny, 3), Some(tiny));
        assert_eq!(
            format_significant(tiny, 3),
            "0.0000000000000000000000000001"
        );
        assert_eq!(
            round_significant(Decimal::new(12345, 28), 3),
            Some(Decimal::new(123, 26))
        );
        assert_eq!(
            format_significant(Decimal::new(12355, 28), 3),
            "0.00000000000000000000000124"
        );
    }

    #[test]
    fn cost_of_tokens_is_exact() {
        // 3,000 tokens at $0.1 per 1M = 3,000 x 0.1 / 1,000,000 = $0.0003.
        let price = Price::new(dec!(0.1)).unwrap();
        assert_eq!(price.cost_of(dec!(3000), Unit::PerMtok), Some(dec!(0.0003)));
        // Per call and per request: 3 searches at $0.01 each.
        let fee = Price::new(dec!(0.01)).unwrap();
        assert_eq!(fee.cost_of(dec!(3), Unit::PerCall), Some(dec!(0.03)));
        assert_eq!(fee.cost_of(dec!(3), Unit::PerRequest), Some(dec!(0.03)));
        assert!(Price::new(dec!(-0.01)).is_none());
        assert!(Price::new(Decimal::ZERO).is_some());
    }

    #[test]
    fn shares_stay_within_zero_and_one() {
        assert!(Share::new(dec!(1.0001)).is_none());
        assert!(Share::new(dec!(-0.1)).is_none());
        assert_eq!(
            Share::new(dec!(0.15)).unwrap().complement().get(),
            dec!(0.85)
        );
    }
}
