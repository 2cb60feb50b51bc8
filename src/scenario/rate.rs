//! Exchange rates written as an equation, `"1 CNY = 0.1404 USD"`, so that their direction cannot
//! be misread.
//!
//! A bare number such as `1.16` is ambiguous: the ECB quotes 1.16 USD per EUR, while a report in
//! EUR needs EUR per USD. Writing both currencies on both sides of `=` says which way the rate
//! goes; either side may be the report currency, and the engine is handed report-currency units
//! per unit of the other currency. Text only: no files, no locations.

use std::str::FromStr;

use rust_decimal::Decimal;

/// A rate read from its equation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The currency that is not the report currency.
    pub currency: String,
    /// Units of the report currency per unit of `currency`.
    pub report_per_unit: Decimal,
    /// The equation as written, with single spaces: `1 CNY = 0.1404 USD`.
    pub text: String,
}

/// Why an equation was refused: the message and a hint.
pub type Refusal = (String, String);

/// Reads `"<amount> <CODE> = <amount> <CODE>"`, where one code is `report_currency`.
///
/// # Errors
/// A message and a hint when the text is not such an equation, an amount is not above zero, the
/// two codes are the same or neither is the report currency, or the rate leaves the decimal range.
pub fn parse(text: &str, report_currency: &str) -> Result<Quote, Refusal> {
    let shape = || {
        (
            format!("`rate` must read like \"1 EUR = 1.16 USD\" (found \"{text}\")"),
            example_hint(report_currency),
        )
    };
    let (left, right) = text.split_once('=').ok_or_else(shape)?;
    let (left_amount, left_code) = side(left).ok_or_else(shape)?;
    let (right_amount, right_code) = side(right).ok_or_else(shape)?;
    for amount in [left_amount, right_amount] {
        if amount <= Decimal::ZERO {
            return Err((
                format!("the amounts of `rate` must be above 0 (found \"{text}\")"),
                example_hint(report_currency),
            ));
        }
    }
    if left_code == right_code {
        return Err((
            format!("`rate` converts `{left_code}` into itself (found \"{text}\")"),
            example_hint(report_currency),
        ));
    }
    let (currency, foreign_amount, report_amount) = if right_code == report_currency {
        (left_code, left_amount, right_amount)
    } else if left_code == report_currency {
        (right_code, right_amount, left_amount)
    } else {
        return Err((
            format!(
                "`rate` must convert to or from the report currency {report_currency} (found \"{text}\")"
            ),
            format!(
                "every amount is converted into {report_currency}; write what one {left_code} is worth in {report_currency}, such as \"1 {left_code} = ... {report_currency}\""
            ),
        ));
    };
    let report_per_unit = report_amount
        .checked_div(foreign_amount)
        .filter(|rate| !rate.is_zero())
        .ok_or_else(|| {
            (
                format!("`rate` is outside the decimal range (found \"{text}\")"),
                "check the amounts for a typo".to_owned(),
            )
        })?;
    Ok(Quote {
        currency: currency.to_owned(),
        report_per_unit,
        text: format!("{left_amount} {left_code} = {right_amount} {right_code}"),
    })
}

/// `"1.16 USD"` as an amount and a three-letter code.
fn side(text: &str) -> Option<(Decimal, &str)> {
    let mut words = text.split_whitespace();
    let (amount, code) = (words.next()?, words.next()?);
    if words.next().is_some() || !is_currency_code(code) {
        return None;
    }
    let amount = Decimal::from_str(amount).ok()?;
    Some((amount, code))
}

/// Three ASCII capital letters, as in ISO 4217.
#[must_use]
pub fn is_currency_code(text: &str) -> bool {
    text.len() == 3 && text.chars().all(|c| c.is_ascii_uppercase())
}

fn example_hint(report_currency: &str) -> String {
    format!(
        "write what one unit of a currency is worth in the other, such as \"1 EUR = 1.16 USD\" (one euro buys 1.16 dollars); one side must be the report currency {report_currency}"
    )
}
