//! Questions asked of the catalog alone: which offers match a filter (`costcalc models`), and
//! what one request costs at each of them (`costcalc quote`).
//!
//! Pure like the engine: a catalog and a question in, an unrounded answer out. Prices are in each
//! offer's currency; quotes are compared only among offers of the same currency.

use std::cmp::Ordering;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::calendar::Date;
use crate::engine::request::{self, Fallbacks, Request};
use crate::error::{Error, suggest};
use crate::estimate::{CostParts, TokenCounts};
use crate::money::{PerMtok, format_count};
use crate::pricing::{Batch, Catalog, Offer, Weights};
use crate::scenario::CacheTtl;

/// Which offers to consider. Every field left empty matches everything.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub weights: Option<Weights>,
    /// Two-letter country code of the model's maker.
    pub origin: Option<String>,
    pub provider: Option<String>,
    /// A case-insensitive part of the model's id or name.
    pub model: Option<String>,
}

impl Filter {
    fn matches(&self, catalog: &Catalog, offer: &Offer) -> bool {
        let model = catalog.model(&offer.model);
        self.weights
            .is_none_or(|w| model.is_some_and(|m| m.weights == w))
            && self
                .origin
                .as_ref()
                .is_none_or(|o| model.is_some_and(|m| m.origin.eq_ignore_ascii_case(o)))
            && self.provider.as_ref().is_none_or(|p| offer.provider == *p)
            && self.model.as_ref().is_none_or(|text| {
                let text = text.to_lowercase();
                offer.model.to_lowercase().contains(&text)
                    || model.is_some_and(|m| m.name.to_lowercase().contains(&text))
            })
    }
}

/// How `costcalc models` orders its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Id,
    Input,
    Output,
    /// The price of a token mix of `input` input tokens to `output` output tokens.
    Blended {
        input: Decimal,
        output: Decimal,
    },
}

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
    pub currency: String,
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
}

/// Days after which a price is flagged as stale, counted back from `today`.
#[derive(Debug, Clone, Copy)]
pub struct Staleness {
    pub today: Date,
    pub after_days: u32,
}

impl Staleness {
    fn is_stale(self, as_of: Date) -> bool {
        as_of.days_until(self.today) > i64::from(self.after_days)
    }
}

/// The offers that match `filter`, in the order `sort` asks for (ties by id).
#[must_use]
pub fn list(
    catalog: &Catalog,
    filter: &Filter,
    sort: SortKey,
    staleness: Staleness,
) -> Vec<OfferRow> {
    let mut rows: Vec<OfferRow> = catalog
        .offers()
        .filter(|offer| filter.matches(catalog, offer))
        .map(|offer| row(catalog, offer, sort, staleness))
        .collect();
    let key = |row: &OfferRow| match sort {
        SortKey::Id => None,
        SortKey::Input => Some(row.input_per_mtok),
        SortKey::Output => Some(row.output_per_mtok),
        SortKey::Blended { .. } => row.blended_per_mtok,
    };
    rows.sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.offer.cmp(&b.offer)));
    rows
}

fn row(catalog: &Catalog, offer: &Offer, sort: SortKey, staleness: Staleness) -> OfferRow {
    let model = catalog.model(&offer.model);
    let provider = catalog.provider(&offer.provider);
    let blended_per_mtok = match sort {
        SortKey::Blended { input, output } => {
            let total = input + output;
            (!total.is_zero()).then(|| {
                (offer.base.input.get() * input + offer.base.output.get() * output) / total
            })
        }
        _ => None,
    };
    OfferRow {
        offer: offer.id.clone(),
        model: offer.model.clone(),
        model_name: model.map_or_else(String::new, |m| m.name.clone()),
        provider: offer.provider.clone(),
        provider_country: provider.map_or_else(String::new, |p| p.country.clone()),
        weights: model.map_or(Weights::Closed, |m| m.weights),
        license: model.map_or_else(String::new, |m| m.license.clone()),
        origin: model.map_or_else(String::new, |m| m.origin.clone()),
        currency: offer.currency.clone(),
        input_per_mtok: offer.base.input.get(),
        output_per_mtok: offer.base.output.get(),
        cached_input_per_mtok: offer.base.cached_input.map(PerMtok::get),
        blended_per_mtok,
        has_tiers: !offer.tiers.is_empty(),
        has_batch: offer.batch != Batch::Unavailable,
        input_limit: offer.input_limit(catalog),
        as_of: offer.as_of,
        source: offer.source.clone(),
        stale: staleness.is_stale(offer.as_of),
        deprecated: offer.deprecated,
    }
}

/// One request, as `costcalc quote` takes it on the command line.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct QuoteRequest {
    /// The whole prompt, cached reads and cache writes included.
    pub input_tokens: Decimal,
    pub cached_input_tokens: Decimal,
    pub cache_write_tokens: Decimal,
    pub cache_ttl: CacheTtl,
    pub output_tokens: Decimal,
    /// Billed on top of the visible output.
    pub reasoning_tokens: Decimal,
    pub batch: bool,
    /// How many such requests to price.
    pub requests: Decimal,
}

/// The price of the request at one offer.
#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    pub offer: String,
    pub model_name: String,
    pub weights: Weights,
    pub origin: String,
    pub provider_country: String,
    pub currency: String,
    pub tokens: TokenCounts,
    /// One request, by component.
    pub per_request: CostParts,
    /// `per_request.total` times the number of requests.
    pub total: Decimal,
    /// This total over the cheapest total in the same currency; `None` if that is zero.
    pub multiple_of_cheapest: Option<Decimal>,
    /// What the price had to assume, in words.
    pub notes: Vec<String>,
    pub as_of: Date,
    pub stale: bool,
}

/// The quotes, cheapest first, and the offers that could not take the request.
#[derive(Debug, Clone, Serialize)]
pub struct Quotes {
    pub request: QuoteRequest,
    pub quotes: Vec<Quote>,
    /// Matching offers whose input limit is below the request's input tokens.
    pub too_long_for: Vec<String>,
}

/// Prices `request` at the named offers, or at every offer matching `filter` if none is named.
///
/// # Errors
/// [`Error::Argument`] for an unknown offer, an inconsistent request, a named offer that cannot
/// take the request, or an overflow.
pub fn quote(
    catalog: &Catalog,
    request: &QuoteRequest,
    offers: &[String],
    filter: &Filter,
    staleness: Staleness,
) -> Result<Quotes, Error> {
    let parts = request.cached_input_tokens + request.cache_write_tokens;
    if parts > request.input_tokens {
        return Err(Error::Argument(format!(
            "`--cached` plus `--cache-write` is {parts}, more than `--input` {}: input tokens are the whole prompt, and cached reads and writes are parts of it",
            request.input_tokens
        )));
    }
    let chosen: Vec<&Offer> = if offers.is_empty() {
        catalog
            .offers()
            .filter(|offer| filter.matches(catalog, offer))
            .collect()
    } else {
        offers
            .iter()
            .map(|id| {
                catalog
                    .offer(id)
                    .map_err(|(message, hint)| Error::Argument(format!("{message}\nhint: {hint}")))
            })
            .collect::<Result<_, _>>()?
    };
    let mut quotes = Vec::with_capacity(chosen.len());
    let mut too_long_for = Vec::new();
    for offer in chosen {
        if let Some(limit) = offer.input_limit(catalog)
            && request.input_tokens > Decimal::from(limit)
        {
            if offers.is_empty() {
                too_long_for.push(offer.id.clone());
                continue;
            }
            return Err(Error::Argument(format!(
                "`{}` accepts at most {limit} input tokens, fewer than the {} asked",
                offer.id, request.input_tokens
            )));
        }
        quotes.push(quote_one(catalog, offer, request, staleness)?);
    }
    quotes.sort_by(|a, b| {
        a.currency
            .cmp(&b.currency)
            .then(a.total.cmp(&b.total))
            .then_with(|| a.offer.cmp(&b.offer))
    });
    for currency in quotes
        .iter()
        .map(|q| q.currency.clone())
        .collect::<Vec<_>>()
    {
        let cheapest = quotes
            .iter()
            .filter(|q| q.currency == currency)
            .map(|q| q.total)
            .min()
            .unwrap_or_default();
        for quote in quotes.iter_mut().filter(|q| q.currency == currency) {
            quote.multiple_of_cheapest = (!cheapest.is_zero()).then(|| quote.total / cheapest);
        }
    }
    // USD first, then other currencies, each cheapest first.
    quotes.sort_by(|a, b| match (a.currency == "USD", b.currency == "USD") {
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        _ => Ordering::Equal,
    });
    Ok(Quotes {
        request: *request,
        quotes,
        too_long_for,
    })
}

fn quote_one(
    catalog: &Catalog,
    offer: &Offer,
    request: &QuoteRequest,
    staleness: Staleness,
) -> Result<Quote, Error> {
    let overflow = || {
        Error::Argument(format!(
            "the price at `{}` overflows the decimal range",
            offer.id
        ))
    };
    let mut fallbacks = Fallbacks::default();
    let priced = Request {
        input_tokens: request.input_tokens,
        cached_input_tokens: request.cached_input_tokens,
        cache_write_tokens: request.cache_write_tokens,
        output_tokens: request.output_tokens,
        reasoning_tokens: request.reasoning_tokens,
        cache_ttl: request.cache_ttl,
        batch: request.batch,
    };
    let (tokens, per_request) =
        request::price(offer, &priced, &mut fallbacks).map_err(|_| overflow())?;
    let total = per_request
        .total
        .checked_mul(request.requests)
        .ok_or_else(overflow)?;
    let model = catalog.model(&offer.model);
    let mut notes = Vec::new();
    if let Some(tier) = offer
        .tiers
        .iter()
        .rev()
        .find(|t| request.input_tokens > Decimal::from(t.above_input_tokens))
    {
        notes.push(format!(
            "long-context tier above {} input tokens",
            format_count(Decimal::from(tier.above_input_tokens))
        ));
    }
    if fallbacks.no_cached_price {
        notes.push("no cached-input price: cache reads at the input price".to_owned());
    }
    if fallbacks.no_cache_write_price {
        notes.push("no cache-write price for this TTL: writes at the input price".to_owned());
    }
    if fallbacks.no_batch_price {
        notes.push("no batch prices: normal prices".to_owned());
    }
    if let Some(threshold) = fallbacks.no_tier_batch_price {
        notes.push(format!(
            "no batch prices above {} input tokens: tier prices",
            format_count(Decimal::from(threshold))
        ));
    }
    if let Some(date) = offer.deprecated {
        notes.push(format!("deprecated from {date}"));
    }
    Ok(Quote {
        offer: offer.id.clone(),
        model_name: model.map_or_else(String::new, |m| m.name.clone()),
        weights: model.map_or(Weights::Closed, |m| m.weights),
        origin: model.map_or_else(String::new, |m| m.origin.clone()),
        provider_country: catalog
            .provider(&offer.provider)
            .map_or_else(String::new, |p| p.country.clone()),
        currency: offer.currency.clone(),
        tokens,
        per_request,
        total,
        multiple_of_cheapest: None,
        notes,
        as_of: offer.as_of,
        stale: staleness.is_stale(offer.as_of),
    })
}

/// Parses `IN:OUT` (such as `3:1`) into a token mix for blended prices.
///
/// # Errors
/// A message for the command line.
pub fn parse_ratio(text: &str) -> Result<(Decimal, Decimal), String> {
    let (input, output) = text
        .split_once(':')
        .ok_or_else(|| format!("expected IN:OUT, such as 3:1 (found `{text}`)"))?;
    let parse = |part: &str| {
        part.trim()
            .parse::<Decimal>()
            .ok()
            .filter(|d| !d.is_sign_negative())
            .ok_or_else(|| format!("`{part}` is not a non-negative number"))
    };
    let (input, output) = (parse(input)?, parse(output)?);
    if (input + output).is_zero() {
        return Err("the ratio needs at least one non-zero side".to_owned());
    }
    Ok((input, output))
}

/// The closest provider ids to an unknown one, for `--provider`.
#[must_use]
pub fn unknown_provider_hint(catalog: &Catalog, id: &str) -> Option<String> {
    if catalog.provider(id).is_some() {
        return None;
    }
    let names: Vec<&str> = catalog.providers.keys().map(String::as_str).collect();
    Some(match suggest(id, names.iter().copied()) {
        Some(best) => format!("no provider `{id}`; did you mean `{best}`?"),
        None => format!("no provider `{id}`; the providers are {}", names.join(", ")),
    })
}

#[cfg(test)]
mod tests;
