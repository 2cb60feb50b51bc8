//! Exchange rates given on the command line (`--rate "1 EUR = 1.16 USD"`) and the conversion of
//! prices into one currency (`--currency USD`), so that offers in different currencies can be
//! ranked together.
//!
//! A rate states both currencies and which way it goes, so it cannot be read backwards. Either
//! direction converts: `1 EUR = 1.16 USD` turns euros into dollars by multiplying by 1.16 and
//! dollars into euros by dividing by 1.16. The division is done last, on the amount itself,
//! rather than by multiplying with a rounded inverse.

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::Error;

/// `amount_from` units of `from` buy `amount_to` units of `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rate {
    pub from: String,
    pub amount_from: Decimal,
    pub to: String,
    pub amount_to: Decimal,
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} = {} {}",
            self.amount_from.normalize(),
            self.from,
            self.amount_to.normalize(),
            self.to
        )
    }
}

/// Parses `1 EUR = 1.16 USD` (any positive amounts) or `EUR:USD=1.16` (the market's pair
/// notation: one EUR is 1.16 USD). Currency codes are three letters, in any case.
///
/// # Errors
/// A message for the command line.
pub fn parse_rate(text: &str) -> Result<Rate, String> {
    let expected = || {
        format!(
            "expected a rate such as \"1 EUR = 1.16 USD\" or EUR:USD=1.16, meaning one euro buys 1.16 dollars (found `{text}`)"
        )
    };
    let (left, right) = text.split_once('=').ok_or_else(expected)?;
    let rate = if let Some((from, to)) = left.split_once(':') {
        Rate {
            from: code(from).ok_or_else(expected)?,
            amount_from: Decimal::ONE,
            to: code(to).ok_or_else(expected)?,
            amount_to: amount(right).ok_or_else(expected)?,
        }
    } else {
        let (amount_from, from) = amount_and_code(left).ok_or_else(expected)?;
        let (amount_to, to) = amount_and_code(right).ok_or_else(expected)?;
        Rate {
            from,
            amount_from,
            to,
            amount_to,
        }
    };
    if rate.amount_from.is_zero() || rate.amount_to.is_zero() {
        return Err(format!(
            "an exchange rate must be above zero on both sides (found `{text}`)"
        ));
    }
    if rate.from == rate.to {
        return Err(format!(
            "an exchange rate needs two different currencies (found `{text}`)"
        ));
    }
    Ok(rate)
}

fn code(text: &str) -> Option<String> {
    let text = text.trim();
    (text.len() == 3 && text.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| text.to_ascii_uppercase())
}

fn amount(text: &str) -> Option<Decimal> {
    text.trim()
        .replace('_', "")
        .parse::<Decimal>()
        .ok()
        .filter(|d| !d.is_sign_negative())
}

/// `1.16 USD`, or `1.16USD`.
fn amount_and_code(text: &str) -> Option<(Decimal, String)> {
    let text = text.trim();
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    Some((amount(&text[..split])?, code(&text[split..])?))
}

/// Every price turned into `currency` with the given rates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    pub currency: String,
    rates: Vec<Rate>,
}

/// How to convert one currency: multiply by `times`, then divide by `over`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Factor {
    times: Decimal,
    over: Decimal,
}

impl Factor {
    pub(crate) const SAME: Factor = Factor {
        times: Decimal::ONE,
        over: Decimal::ONE,
    };

    /// `amount` in the target currency; `None` on overflow.
    pub(crate) fn apply(self, amount: Decimal) -> Option<Decimal> {
        if self == Factor::SAME {
            return Some(amount);
        }
        amount.checked_mul(self.times)?.checked_div(self.over)
    }

    /// Target units per unit of the source currency, for display.
    pub(crate) fn rate(self) -> Option<Decimal> {
        self.times.checked_div(self.over)
    }
}

impl Conversion {
    /// Conversion into `currency` with `rates`, each of which must involve `currency`.
    ///
    /// # Errors
    /// [`Error::Argument`] for a rate that does not involve `currency`, or two rates for the same
    /// currency.
    pub fn new(currency: &str, rates: Vec<Rate>) -> Result<Self, Error> {
        let currency = code(currency).ok_or_else(|| {
            Error::Argument(format!(
                "`--currency`: expected a three-letter currency code such as USD (found `{currency}`)"
            ))
        })?;
        for (index, rate) in rates.iter().enumerate() {
            if rate.from != currency && rate.to != currency {
                return Err(Error::Argument(format!(
                    "`--rate {rate}`: neither side is the `--currency` {currency}\nhint: give each currency's rate against {currency}, such as `--rate \"1 {} = ... {currency}\"`",
                    rate.from
                )));
            }
            let other = rate.other(&currency);
            if rates[..index].iter().any(|r| r.other(&currency) == other) {
                return Err(Error::Argument(format!(
                    "`--rate {rate}`: a second rate between {other} and {currency}\nhint: give one rate per currency"
                )));
            }
        }
        Ok(Self { currency, rates })
    }

    /// How to turn amounts in `from` into the target currency; `None` without a rate.
    pub(crate) fn factor(&self, from: &str) -> Option<Factor> {
        if from == self.currency {
            return Some(Factor::SAME);
        }
        self.rates.iter().find_map(|rate| {
            if rate.from == from {
                // amount_from FROM = amount_to TARGET: x FROM = x * amount_to / amount_from.
                Some(Factor {
                    times: rate.amount_to,
                    over: rate.amount_from,
                })
            } else if rate.to == from {
                // amount_from TARGET = amount_to FROM: x FROM = x * amount_from / amount_to.
                Some(Factor {
                    times: rate.amount_from,
                    over: rate.amount_to,
                })
            } else {
                None
            }
        })
    }

    /// The rate that converts `from`, as the user wrote it.
    pub(crate) fn rate(&self, from: &str) -> Option<&Rate> {
        self.rates.iter().find(|r| r.from == from || r.to == from)
    }

    /// Checks that every currency in `used` (currency, offers priced in it) can be converted.
    pub(crate) fn check_covers<'a>(
        &self,
        used: impl IntoIterator<Item = (&'a str, Vec<&'a str>)>,
    ) -> Result<(), Error> {
        let missing: Vec<String> = used
            .into_iter()
            .filter(|(currency, _)| self.factor(currency).is_none())
            .map(|(currency, offers)| {
                let shown: Vec<String> = offers.iter().take(3).map(|o| format!("`{o}`")).collect();
                let more = offers.len().saturating_sub(3);
                format!(
                    "{currency} ({}{})",
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                )
            })
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let first = missing[0].split(' ').next().unwrap_or_default().to_owned();
        Err(Error::Argument(format!(
            "`--currency {}`: no `--rate` for {}\nhint: add `--rate \"1 {first} = R {}\"`, where R is what one {first} buys in {}",
            self.currency,
            missing.join("; "),
            self.currency,
            self.currency
        )))
    }
}

impl Rate {
    /// The side that is not `currency`.
    fn other(&self, currency: &str) -> &str {
        if self.from == currency {
            &self.to
        } else {
            &self.from
        }
    }
}
