//! The answers of `costcalc models` and `costcalc quote`: offers as rows, and one request priced
//! at each offer. Unrounded, in each offer's currency unless `--currency` converted them; the
//! JSON report is their serde form.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{Quantities, RequestCost};
use crate::calendar::Date;
use crate::component::Component;
use crate::error::Error;
use crate::pricing::{ServiceTier, Weights};

/// One row of `costcalc models`.
#[derive(Debug, Clone, Serialize)]
pub struct OfferRow {
    pub offer: String,
    pub model: String,
    pub model_name: String,
    pub provider: String,
    pub provider_country: String,
    pub weights: Weights,
    pub license: String,
    pub origin: String,
    /// The currency of the prices below: the offer's own, or `--currency`.
    pub currency: String,
    /// The currency the offer is priced in.
    pub offer_currency: String,
    /// Units of `currency` per unit of `offer_currency` (1 when they are the same).
    pub exchange_rate: Decimal,
    pub input_per_mtok: Decimal,
    pub output_per_mtok: Decimal,
    pub cached_input_per_mtok: Option<Decimal>,
    /// The blended price per 1M tokens, when sorted by it.
    pub blended_per_mtok: Option<Decimal>,
    pub has_tiers: bool,
    pub has_batch: bool,
    /// The most input tokens a request may carry, if known.
    pub input_limit: Option<u64>,
    pub as_of: Date,
    pub source: String,
    pub stale: bool,
    pub deprecated: Option<Date>,
    /// The day the dated change whose prices are listed took effect; `None` for the offer's
    /// own prices (those before its first change).
    pub changed_on: Option<Date>,
    /// The day of the offer's next dated change after the listing's date, if any.
    pub next_change: Option<Date>,
}

/// The answer of `costcalc models`.
#[derive(Debug, Clone, Serialize)]
pub struct Listing {
    /// The currency every price was converted to, with `--currency`.
    pub currency: Option<String>,
    /// Sorted by a price with offers in several currencies and no conversion: each currency's
    /// offers are sorted among themselves, USD first.
    pub sorted_within_currency: bool,
    /// The day whose prices are listed: offers with dated changes show the list in force then.
    pub date: Date,
    /// Whether any offer listed has dated changes, so that the date matters.
    pub dated: bool,
    pub offers: Vec<OfferRow>,
}

/// One request, as `costcalc quote` takes it on the command line.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct QuoteRequest {
    /// What the request carries, by component, in disjoint buckets: `input` is the prompt less
    /// its cached and written parts.
    pub quantities: Quantities,
    /// The service tier it is sent through; `None` for standard.
    pub service_tier: Option<ServiceTier>,
    /// How many such requests to price.
    pub requests: Decimal,
}

impl QuoteRequest {
    /// The whole prompt: every prompt component, cached or not.
    ///
    /// # Errors
    /// [`Error::Argument`] if the parts add up beyond the decimal range.
    pub fn prompt_tokens(&self) -> Result<Decimal, Error> {
        self.quantities
            .iter()
            .filter(|(component, _)| component.in_prompt())
            .try_fold(Decimal::ZERO, |sum, (_, q)| sum.checked_add(*q))
            .ok_or_else(|| {
                Error::Argument(
                    "the request's prompt tokens add up beyond the largest number costcalc can hold"
                        .to_owned(),
                )
            })
    }
}

/// An offer left out because it has no price for a component the request carries.
#[derive(Debug, Clone, Serialize)]
pub struct Unpriced {
    pub offer: String,
    pub component: Component,
}

/// The price of the request at one offer.
#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    pub offer: String,
    pub model_name: String,
    pub weights: Weights,
    pub origin: String,
    pub provider_country: String,
    /// The currency of the amounts below: the offer's own, or `--currency`.
    pub currency: String,
    /// The currency the offer is priced in.
    pub offer_currency: String,
    /// Units of `currency` per unit of `offer_currency` (1 when they are the same).
    pub exchange_rate: Decimal,
    /// One request, by component, in `currency`.
    pub per_request: RequestCost,
    /// `per_request.total` times the number of requests.
    pub total: Decimal,
    /// This total over the cheapest total in the same currency; `None` if that is zero.
    pub multiple_of_cheapest: Option<Decimal>,
    /// What the price had to assume, in words.
    pub notes: Vec<String>,
    pub as_of: Date,
    pub stale: bool,
}

/// An offer left out of the ranking because its provider has retired it.
#[derive(Debug, Clone, Serialize)]
pub struct Retired {
    pub offer: String,
    /// The date the provider retired it, on or before `--today`.
    pub deprecated: Date,
}

/// The quotes, cheapest first, and the offers that could not take the request.
#[derive(Debug, Clone, Serialize)]
pub struct Quotes {
    pub request: QuoteRequest,
    /// The currency every amount was converted to, with `--currency`.
    pub currency: Option<String>,
    /// The currencies of the quotes, USD first. With more than one, each quote's multiple is of
    /// the cheapest quote in its own currency.
    pub currencies: Vec<String>,
    pub quotes: Vec<Quote>,
    /// Matching offers whose input limit is below the request's input tokens.
    pub too_long_for: Vec<String>,
    /// Matching offers retired on or before `--today`, unless `--include-retired`.
    pub retired: Vec<Retired>,
    /// Matching offers without a price for a component the request carries (audio at a
    /// text-only model).
    pub unpriced: Vec<Unpriced>,
}
