//! What one request costs at one offer: tiers, cache, batch and reasoning, in the offer's currency.
//!
//! The rules (DESIGN.md, "Rules for numbers"):
//! - A request's tier is the last one whose threshold its input tokens are strictly above.
//!   A whole-request tier bills every token at its prices; an excess tier bills only the input
//!   tokens above its threshold at its prices, and the tokens below at the level beneath it.
//!   Output and reasoning tokens are billed at the prices of the request's tier.
//! - Of each input token range, its part of the cache reads is billed at the cached-input price
//!   and its part of the cache writes at the write price of its TTL; the rest at the input price. Without a
//!   cached price, hits pay the input price and a flag says so; without a write price, writes
//!   pay the input price (flagged only when the offer prices the other TTL).
//! - Batch requests pay the batch prices (or the discount); without them, normal prices and a flag.
//! - Reasoning tokens pay the reasoning price, or the output price where there is none.

use rust_decimal::Decimal;

use crate::estimate::{CostParts, TokenCounts};
use crate::money::PerMtok;
use crate::pricing::{Batch, Offer, PriceList, TierScope};
use crate::scenario::CacheTtl;

/// A request as the engine prices it.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    /// The whole prompt, cache reads and writes included.
    pub input_tokens: Decimal,
    /// The part of `input_tokens` read from the cache.
    pub cached_input_tokens: Decimal,
    /// The part of `input_tokens` written to the cache; reads plus writes are at most the input.
    pub cache_write_tokens: Decimal,
    pub output_tokens: Decimal,
    pub reasoning_tokens: Decimal,
    pub cache_ttl: CacheTtl,
    pub batch: bool,
}

/// Fallbacks taken while pricing, for the report's notes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fallbacks {
    pub no_cached_price: bool,
    pub no_cache_write_price: bool,
    pub no_batch_price: bool,
    /// The threshold of a tier without batch prices that a batch request fell into.
    pub no_tier_batch_price: Option<u64>,
}

/// The arithmetic overflowed the decimal range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

pub(crate) fn add(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_add(b).ok_or(Overflow)
}

pub(crate) fn mul(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_mul(b).ok_or(Overflow)
}

/// `a / b`; a zero divisor is a bug in the caller and reported as an overflow, never a panic.
pub(crate) fn div(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_div(b).ok_or(Overflow)
}

fn cost(tokens: Decimal, price: PerMtok) -> Result<Decimal, Overflow> {
    price.cost_of(tokens).ok_or(Overflow)
}

/// Prices one request at `offer`, in the offer's currency.
///
/// # Errors
/// [`Overflow`] if a token count times a price leaves the decimal range.
pub fn price(
    offer: &Offer,
    request: &Request,
    fallbacks: &mut Fallbacks,
) -> Result<(TokenCounts, CostParts), Overflow> {
    let top = offer
        .tiers
        .iter()
        .rposition(|tier| request.input_tokens > Decimal::from(tier.above_input_tokens));
    let mut tokens = TokenCounts {
        input: request.input_tokens,
        output: request.output_tokens,
        reasoning: request.reasoning_tokens,
        ..TokenCounts::default()
    };
    let mut parts = CostParts::default();

    // Walk down from the request's tier, billing each range of input tokens at its level.
    let mut level = top;
    let mut upper = request.input_tokens;
    loop {
        let prices = level_prices(offer, level, request.batch, fallbacks);
        let (range, next) = match level.map(|k| &offer.tiers[k]) {
            Some(tier) if tier.scope == TierScope::Excess => {
                let threshold = Decimal::from(tier.above_input_tokens);
                (upper - threshold, Some(threshold))
            }
            _ => (upper, None),
        };
        bill_input(range, &prices, request, &mut tokens, &mut parts, fallbacks)?;
        match next {
            Some(threshold) => {
                upper = threshold;
                level = level.and_then(|k| k.checked_sub(1));
            }
            None => break,
        }
    }

    let prices = level_prices(offer, top, request.batch, fallbacks);
    parts.output = cost(request.output_tokens, prices.output)?;
    parts.reasoning = cost(
        request.reasoning_tokens,
        prices.reasoning.unwrap_or(prices.output),
    )?;
    parts.request_fee = offer.per_request.unwrap_or_default();
    parts.total = [
        parts.input,
        parts.cached_input,
        parts.cache_write,
        parts.output,
        parts.reasoning,
        parts.request_fee,
    ]
    .into_iter()
    .try_fold(Decimal::ZERO, add)?;
    Ok((tokens, parts))
}

/// The prices of one level (`None` = base, `Some(k)` = tier k), batch applied where asked.
fn level_prices(
    offer: &Offer,
    level: Option<usize>,
    batch: bool,
    fallbacks: &mut Fallbacks,
) -> PriceList {
    let tier = level.map(|k| &offer.tiers[k]);
    let prices = tier.map_or(offer.base, |t| offer.base.overlaid(&t.prices));
    if !batch {
        return prices;
    }
    match (&offer.batch, tier) {
        (Batch::Unavailable, _) => {
            fallbacks.no_batch_price = true;
            prices
        }
        (Batch::Discount(discount), _) => prices.scaled(discount.complement()),
        (Batch::Prices(batch_prices), None) => prices.overlaid(batch_prices),
        (Batch::Prices(_), Some(tier)) => {
            if let Some(tier_batch) = &tier.batch {
                prices.overlaid(tier_batch)
            } else {
                fallbacks.no_tier_batch_price = Some(tier.above_input_tokens);
                prices
            }
        }
    }
}

/// Bills `range` input tokens at `prices`, split into cache hits, cache writes and the rest.
fn bill_input(
    range: Decimal,
    prices: &PriceList,
    request: &Request,
    tokens: &mut TokenCounts,
    parts: &mut CostParts,
    fallbacks: &mut Fallbacks,
) -> Result<(), Overflow> {
    // A range holds its proportional part of the cache reads and writes; the usual single range
    // is the whole prompt, which holds them all, exactly.
    let (cached, written) = if range == request.input_tokens {
        (request.cached_input_tokens, request.cache_write_tokens)
    } else if request.input_tokens.is_zero() {
        (Decimal::ZERO, Decimal::ZERO)
    } else {
        let part = |tokens: Decimal| mul(tokens, range).map(|t| t / request.input_tokens);
        (
            part(request.cached_input_tokens)?,
            part(request.cache_write_tokens)?,
        )
    };
    let uncached = range - cached - written;

    let cached_price = prices.cached_input.unwrap_or_else(|| {
        fallbacks.no_cached_price |= !cached.is_zero();
        prices.input
    });
    let (write_price, other_ttl_price) = match request.cache_ttl {
        CacheTtl::FiveMinutes => (prices.cache_write_5m, prices.cache_write_1h),
        CacheTtl::OneHour => (prices.cache_write_1h, prices.cache_write_5m),
    };
    // Without any write price the provider bills writes as plain input (OpenAI, Google, Alibaba
    // do), so that is no assumption; a price for the other TTL only means this one is missing.
    let write_price = write_price.unwrap_or_else(|| {
        fallbacks.no_cache_write_price |= !written.is_zero() && other_ttl_price.is_some();
        prices.input
    });

    tokens.input_uncached = add(tokens.input_uncached, uncached)?;
    tokens.cached_input = add(tokens.cached_input, cached)?;
    tokens.cache_write = add(tokens.cache_write, written)?;
    parts.input = add(parts.input, cost(uncached, prices.input)?)?;
    parts.cached_input = add(parts.cached_input, cost(cached, cached_price)?)?;
    parts.cache_write = add(parts.cache_write, cost(written, write_price)?)?;
    Ok(())
}

#[cfg(test)]
mod tests;
