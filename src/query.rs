//! Questions asked of the catalog alone: which offers match a filter (`costcalc models`), and
//! what one request costs at each of them (`costcalc quote`).
//!
//! Pure like the engine: a catalog and a question in, an unrounded answer out. Prices are in each
//! offer's currency unless a [`Conversion`] turns them into one; without one, offers are ranked
//! only among offers of the same currency, never across currencies.

mod currency;

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::calendar::Date;
use crate::component::Component;
use crate::engine::request::{self, Fallbacks, PriceError, Request};
use crate::error::{Error, suggest};
use crate::estimate::RequestCost;
pub use crate::estimate::query::{
    Listing, OfferRow, Quote, QuoteRequest, Quotes, Retired, Unpriced,
};
use crate::money::Price;
use crate::money::format_count;
use crate::pricing::{Catalog, Offer, PriceChange, Service, ServiceTier, Weights};
use currency::Factor;
pub use currency::{Conversion, Rate, parse_rate};

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
    pub(crate) fn matches(&self, catalog: &Catalog, offer: &Offer) -> bool {
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

    /// Retired on or before `today`: the provider no longer serves it.
    fn is_retired(self, offer: &Offer) -> bool {
        offer.deprecated.is_some_and(|date| date <= self.today)
    }
}

/// USD first, then the other currencies by code: the order of currency groups.
fn currency_order(a: &str, b: &str) -> Ordering {
    (a != "USD").cmp(&(b != "USD")).then_with(|| a.cmp(b))
}

/// The offers that match `filter`, in the order `sort` asks for (ties by id), with prices in
/// `conversion`'s currency if given.
///
/// # Errors
/// [`Error::Argument`] when `conversion` lacks a rate for a currency the offers use;
/// [`Error::Overflow`] when a converted or blended price leaves the decimal range.
pub fn list(
    catalog: &Catalog,
    filter: &Filter,
    sort: SortKey,
    staleness: Staleness,
    conversion: Option<&Conversion>,
) -> Result<Listing, Error> {
    list_on(
        catalog,
        filter,
        sort,
        staleness,
        conversion,
        staleness.today,
    )
}

/// As [`list`], with each offer's prices those in force on `date` (its own before its first
/// dated change, then each change's).
///
/// # Errors
/// As [`list`].
pub fn list_on(
    catalog: &Catalog,
    filter: &Filter,
    sort: SortKey,
    staleness: Staleness,
    conversion: Option<&Conversion>,
    date: Date,
) -> Result<Listing, Error> {
    let chosen: Vec<&Offer> = catalog
        .offers()
        .filter(|offer| filter.matches(catalog, offer))
        .collect();
    if let Some(conversion) = conversion {
        conversion.check_covers(currencies_of(chosen.iter().copied()))?;
    }
    let mut rows = chosen
        .into_iter()
        .map(|offer| row(catalog, offer, sort, staleness, conversion, date))
        .collect::<Result<Vec<_>, _>>()?;
    let key = |row: &OfferRow| match sort {
        SortKey::Id => None,
        SortKey::Input => Some(row.input_per_mtok),
        SortKey::Output => Some(row.output_per_mtok),
        SortKey::Blended { .. } => row.blended_per_mtok,
    };
    let by_price = sort != SortKey::Id;
    rows.sort_by(|a, b| {
        let group = if by_price {
            currency_order(&a.currency, &b.currency)
        } else {
            Ordering::Equal
        };
        group
            .then_with(|| key(a).cmp(&key(b)))
            .then_with(|| a.offer.cmp(&b.offer))
    });
    let several = rows.iter().any(|r| r.currency != rows[0].currency);
    let dated = rows
        .iter()
        .any(|r| r.changed_on.is_some() || r.next_change.is_some());
    Ok(Listing {
        currency: conversion.map(|c| c.currency.clone()),
        sorted_within_currency: by_price && several,
        date,
        dated,
        offers: rows,
    })
}

/// Each currency the offers use, with the offers priced in it, in a stated order.
fn currencies_of<'a>(offers: impl Iterator<Item = &'a Offer>) -> Vec<(&'a str, Vec<&'a str>)> {
    let mut used: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for offer in offers {
        used.entry(offer.currency.as_str())
            .or_default()
            .push(offer.id.as_str());
    }
    used.into_iter().collect()
}

/// The factor that converts `offer`'s prices, checked to exist by `check_covers`.
fn factor_for(conversion: Option<&Conversion>, offer: &Offer) -> Factor {
    conversion
        .and_then(|c| c.factor(&offer.currency))
        .unwrap_or(Factor::SAME)
}

fn row(
    catalog: &Catalog,
    offer: &Offer,
    sort: SortKey,
    staleness: Staleness,
    conversion: Option<&Conversion>,
    date: Date,
) -> Result<OfferRow, Error> {
    let in_force = offer.change_in_force(date);
    let changed_on = in_force.map(|i| offer.changes[i].from);
    let next_change = offer
        .changes
        .get(in_force.map_or(0, |i| i + 1))
        .map(PriceChange::from);
    let offer = &*offer.with_change(in_force);
    let model = catalog.model(&offer.model);
    let provider = catalog.provider(&offer.provider);
    let factor = factor_for(conversion, offer);
    let overflow = |what: &str| Error::Overflow {
        what: format!("the {what} of `{}`", offer.id),
    };
    let convert = |price: Decimal, what: &str| factor.apply(price).ok_or_else(|| overflow(what));
    let price = |component: Component| offer.base.get(component).map(Price::get);
    let input_per_mtok = convert(
        price(Component::Input).unwrap_or_default(),
        "converted input price",
    )?;
    let output_per_mtok = convert(
        price(Component::Output).unwrap_or_default(),
        "converted output price",
    )?;
    let cached_input_per_mtok = price(Component::CachedInput)
        .map(|p| convert(p, "converted cached-input price"))
        .transpose()?;
    let blended_per_mtok = match sort {
        SortKey::Blended { input, output } => {
            let weighted = input_per_mtok
                .checked_mul(input)
                .zip(output_per_mtok.checked_mul(output))
                .and_then(|(i, o)| i.checked_add(o));
            let total = input.checked_add(output);
            Some(
                weighted
                    .zip(total)
                    .and_then(|(w, t)| w.checked_div(t))
                    .ok_or_else(|| overflow("blended price"))?,
            )
        }
        _ => None,
    };
    Ok(OfferRow {
        offer: offer.id.clone(),
        model: offer.model.clone(),
        model_name: model.map_or_else(String::new, |m| m.name.clone()),
        provider: offer.provider.clone(),
        provider_country: provider.map_or_else(String::new, |p| p.country.clone()),
        weights: model.map_or(Weights::Closed, |m| m.weights),
        license: model.map_or_else(String::new, |m| m.license.clone()),
        origin: model.map_or_else(String::new, |m| m.origin.clone()),
        currency: conversion.map_or_else(|| offer.currency.clone(), |c| c.currency.clone()),
        offer_currency: offer.currency.clone(),
        exchange_rate: factor.rate().ok_or_else(|| overflow("exchange rate"))?,
        input_per_mtok,
        output_per_mtok,
        cached_input_per_mtok,
        blended_per_mtok,
        has_tiers: !offer.tiers.is_empty(),
        has_batch: *offer.service(ServiceTier::Batch) != Service::Unavailable,
        input_limit: offer.input_limit(catalog),
        as_of: offer.as_of,
        source: offer.source.clone(),
        stale: staleness.is_stale(offer.as_of),
        deprecated: offer.deprecated,
        changed_on,
        next_change,
    })
}

/// What `costcalc quote` is asked, besides the request itself.
#[derive(Debug, Clone, Copy)]
pub struct QuoteOptions<'a> {
    pub staleness: Staleness,
    /// The day whose prices are quoted: each offer's list in force then.
    pub date: Date,
    /// Price retired offers too, instead of listing them apart.
    pub include_retired: bool,
    pub conversion: Option<&'a Conversion>,
}

/// Prices `request` at the named offers, or at every offer matching `filter` if none is named.
///
/// Linear in the number of offers (plus the sort): the cheapest quote of each currency is
/// found in one pass.
///
/// # Errors
/// [`Error::Argument`] for an unknown offer, an inconsistent request, a named offer that cannot
/// take the request, or a currency without a rate; [`Error::Overflow`] for an amount that
/// leaves the decimal range.
pub fn quote(
    catalog: &Catalog,
    request: &QuoteRequest,
    offers: &[String],
    filter: &Filter,
    options: QuoteOptions<'_>,
) -> Result<Quotes, Error> {
    let prompt_tokens = request.prompt_tokens()?;
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
    let mut priced = Vec::with_capacity(chosen.len());
    let mut too_long_for = Vec::new();
    let mut retired = Vec::new();
    for offer in chosen {
        if !options.include_retired
            && let Some(deprecated) = offer.deprecated
            && options.staleness.is_retired(offer)
        {
            retired.push(Retired {
                offer: offer.id.clone(),
                deprecated,
            });
            continue;
        }
        if let Some(limit) = offer.input_limit(catalog)
            && prompt_tokens > Decimal::from(limit)
        {
            if offers.is_empty() {
                too_long_for.push(offer.id.clone());
                continue;
            }
            return Err(Error::Argument(format!(
                "`{}` accepts at most {limit} input tokens, fewer than the {} asked",
                offer.id, prompt_tokens
            )));
        }
        priced.push(offer);
    }
    if let Some(conversion) = options.conversion {
        conversion.check_covers(currencies_of(priced.iter().copied()))?;
    }
    let mut quotes = Vec::with_capacity(priced.len());
    let mut unpriced = Vec::new();
    for offer in priced {
        match quote_one(catalog, offer, request, options)? {
            Ok(quote) => quotes.push(quote),
            Err(component) if offers.is_empty() => unpriced.push(Unpriced {
                offer: offer.id.clone(),
                component,
            }),
            Err(component) => {
                return Err(Error::Argument(format!(
                    "`{}` has no `{}` price, and the request carries {}\nhint: quote an offer that prices it, or add the price with `--pricing`",
                    offer.id,
                    component.key(),
                    component.label().to_lowercase()
                )));
            }
        }
    }

    let cheapest = set_multiples(&mut quotes)?;
    // USD first, then other currencies, each cheapest first.
    quotes.sort_by(|a, b| {
        currency_order(&a.currency, &b.currency)
            .then(a.total.cmp(&b.total))
            .then_with(|| a.offer.cmp(&b.offer))
    });
    let mut currencies: Vec<String> = cheapest.into_keys().collect();
    currencies.sort_by(|a, b| currency_order(a, b));
    Ok(Quotes {
        request: *request,
        currency: options.conversion.map(|c| c.currency.clone()),
        currencies,
        quotes,
        too_long_for,
        retired,
        unpriced,
    })
}

/// Sets each quote's multiple of the cheapest quote in its currency, in two passes, and returns
/// the cheapest total of each currency.
fn set_multiples(quotes: &mut [Quote]) -> Result<BTreeMap<String, Decimal>, Error> {
    // One pass for the cheapest total of each currency, one for the multiples.
    let mut cheapest: BTreeMap<String, Decimal> = BTreeMap::new();
    for quote in quotes.iter() {
        cheapest
            .entry(quote.currency.clone())
            .and_modify(|c| *c = (*c).min(quote.total))
            .or_insert(quote.total);
    }
    for quote in quotes.iter_mut() {
        let least = cheapest[&quote.currency];
        quote.multiple_of_cheapest = if least.is_zero() {
            None
        } else {
            Some(
                quote
                    .total
                    .checked_div(least)
                    .ok_or_else(|| Error::Overflow {
                        what: format!("the multiple of the cheapest price at `{}`", quote.offer),
                    })?,
            )
        };
    }
    Ok(cheapest)
}

/// What a quote says of an offer's dated changes: which one it is priced at, and the next.
fn dated_notes(offer: &Offer, in_force: Option<usize>, date: Date) -> Vec<String> {
    let next = offer
        .changes()
        .get(in_force.map_or(0, |i| i + 1))
        .map(PriceChange::from);
    let mut notes = Vec::new();
    if let Some(index) = in_force {
        notes.push(format!(
            "prices as changed on {} (in force on {date})",
            offer.changes()[index].from()
        ));
    }
    if let Some(next) = next {
        notes.push(format!("price changes on {next}"));
    }
    notes
}

/// The quote at one offer, or the component it has no price for.
fn quote_one(
    catalog: &Catalog,
    offer: &Offer,
    request: &QuoteRequest,
    options: QuoteOptions<'_>,
) -> Result<Result<Quote, Component>, Error> {
    let overflow = || Error::Overflow {
        what: format!("the price of the request at `{}`", offer.id),
    };
    let in_force = offer.change_in_force(options.date);
    let offer = &*offer.with_change(in_force);
    let mut fallbacks = Fallbacks::default();
    let priced = Request {
        quantities: request.quantities,
        service: request.service_tier,
    };
    let own = match request::price(offer, &priced, &mut fallbacks) {
        Ok(own) => own,
        Err(PriceError::Overflow) => return Err(overflow()),
        Err(PriceError::Unpriced(component)) => return Ok(Err(component)),
    };
    let factor = factor_for(options.conversion, offer);
    let convert = |amount: &Decimal| factor.apply(*amount).ok_or_else(overflow);
    let per_request = RequestCost {
        quantities: own.quantities,
        costs: own.costs.try_map(|_, amount| convert(amount))?,
        total: convert(&own.total)?,
    };
    let total = per_request
        .total
        .checked_mul(request.requests)
        .ok_or_else(overflow)?;
    let model = catalog.model(&offer.model);
    let mut notes = Vec::new();
    let prompt_tokens = request.prompt_tokens()?;
    if let Some(tier) = offer
        .tiers
        .iter()
        .rev()
        .find(|t| t.threshold.holds(prompt_tokens))
    {
        let (word, tokens) = if tier.threshold.inclusive {
            ("from", tier.threshold.input_tokens)
        } else {
            ("above", tier.threshold.input_tokens)
        };
        notes.push(format!(
            "long-context tier {word} {} input tokens",
            format_count(Decimal::from(tokens))
        ));
    }
    for (component, billed_at) in &fallbacks.missing {
        notes.push(format!(
            "no `{}` price: billed at the `{}` price",
            component.key(),
            billed_at.key()
        ));
    }
    for service in &fallbacks.no_service_price {
        notes.push(format!("no {} prices: standard prices", service.key()));
    }
    for (service, threshold) in &fallbacks.no_tier_service_price {
        notes.push(format!(
            "no {} prices above {} input tokens: tier prices",
            service.key(),
            format_count(Decimal::from(*threshold))
        ));
    }
    notes.extend(dated_notes(offer, in_force, options.date));
    if let Some(date) = offer.deprecated {
        if options.staleness.is_retired(offer) {
            notes.push(format!("retired from {date}"));
        } else {
            notes.push(format!("deprecated from {date}"));
        }
    }
    if let Some(rate) = options
        .conversion
        .filter(|c| c.currency != offer.currency)
        .and_then(|c| c.rate(&offer.currency))
    {
        notes.push(format!("priced in {}, converted at {rate}", offer.currency));
    }
    Ok(Ok(Quote {
        offer: offer.id.clone(),
        model_name: model.map_or_else(String::new, |m| m.name.clone()),
        weights: model.map_or(Weights::Closed, |m| m.weights),
        origin: model.map_or_else(String::new, |m| m.origin.clone()),
        provider_country: catalog
            .provider(&offer.provider)
            .map_or_else(String::new, |p| p.country.clone()),
        currency: options
            .conversion
            .map_or_else(|| offer.currency.clone(), |c| c.currency.clone()),
        offer_currency: offer.currency.clone(),
        exchange_rate: factor.rate().ok_or_else(overflow)?,
        per_request,
        total,
        multiple_of_cheapest: None,
        notes,
        as_of: offer.as_of,
        stale: options.staleness.is_stale(offer.as_of),
    }))
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
    if input.is_zero() && output.is_zero() {
        return Err("the ratio needs at least one non-zero side".to_owned());
    }
    // Blended prices divide by the sum of the sides, so it must exist.
    if input.checked_add(output).is_none() {
        return Err(format!(
            "the two sides add up to more than the decimal range (about 7.9e28); a smaller ratio such as 1:1 says the same (found `{text}`)"
        ));
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
