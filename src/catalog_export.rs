//! `costcalc catalog export`: every offer's prices as one tidy table, for pricing usage where it
//! lives (a warehouse, `DuckDB`) rather than through the command line.
//!
//! One row per offer, component, long-context tier and service tier, with the price costcalc
//! bills that component at in that tier and service tier: the one the catalog states for it,
//! or the one it keeps from the table it is laid over (a tier's unstated prices are those of
//! the tier beneath; a service tier's prices are laid over, or a discount applied to, the
//! standard ones), exactly as the engine builds its price lists. Fallbacks between components
//! (a cache read at the input price, reasoning at the output price) are not written: a price
//! the catalog does not state is no row, and the SQL recipe in `docs/price-usage.sql` applies
//! the fallbacks itself. A service tier an offer does not price is no row either; its requests
//! are billed at standard prices.
//!
//! An offer with dated changes has one set of rows per price period: its own prices (from no
//! date) until the day before its first change, then each change's list until the day before
//! the next (the last to no date), with that period's `as_of` and `source`. `effective_from` and
//! `effective_to` are the period's first and last days, inclusive, empty where open-ended, so
//! that a usage row joins the period whose dates hold its day.
//!
//! This module reads the validated catalog and writes text; it computes no cost.

use std::io::Write;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::calendar::Date;
use crate::cli::{ExportArgs, ExportFormatArg};
use crate::component::{Component, Unit};
use crate::error::Error;
use crate::pricing::{Catalog, Offer, PriceList, Service, ServiceTier, Threshold, TierScope};

/// The columns of the exported CSV, in order.
pub const HEADER: [&str; 15] = [
    "offer",
    "provider",
    "model",
    "component",
    "unit",
    "tier_input_tokens",
    "tier_boundary",
    "tier_applies_to",
    "service_tier",
    "price",
    "currency",
    "as_of",
    "source",
    "effective_from",
    "effective_to",
];

/// The long-context tier a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierKey {
    /// The tier's threshold in prompt tokens.
    pub input_tokens: u64,
    /// `true` for `from_input_tokens` (a request of exactly the threshold is in the tier),
    /// `false` for `above_input_tokens`.
    pub inclusive: bool,
    pub applies_to: TierScope,
}

impl TierKey {
    fn new(threshold: Threshold, applies_to: TierScope) -> Self {
        Self {
            input_tokens: threshold.input_tokens,
            inclusive: threshold.inclusive,
            applies_to,
        }
    }

    /// `above` or `from`, as the catalog key that states the threshold.
    #[must_use]
    pub const fn boundary(self) -> &'static str {
        if self.inclusive { "from" } else { "above" }
    }

    #[must_use]
    pub const fn applies_to_key(self) -> &'static str {
        match self.applies_to {
            TierScope::WholeRequest => "whole_request",
            TierScope::Excess => "excess",
        }
    }
}

/// One price of one offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceRow<'c> {
    pub offer: &'c str,
    pub provider: &'c str,
    pub model: &'c str,
    pub component: Component,
    /// `None` for the offer's base prices.
    pub tier: Option<TierKey>,
    /// `None` for standard processing.
    pub service: Option<ServiceTier>,
    /// Per 1M tokens for token components, per call or per request otherwise, exact.
    pub price: Decimal,
    pub currency: &'c str,
    pub as_of: Date,
    pub source: &'c str,
    /// The first day of the price period, inclusive; `None` before the offer's first change.
    pub effective_from: Option<Date>,
    /// The last day of the price period, inclusive; `None` for the last period.
    pub effective_to: Option<Date>,
}

/// Every price of every offer, in offer id order; within an offer by price period, oldest
/// first; within a period the base first, then each long-context tier by threshold; within
/// each, standard then batch, flex and priority; within each, components in
/// [`Component::ALL`] order.
#[must_use]
pub fn rows(catalog: &Catalog) -> Vec<PriceRow<'_>> {
    let mut rows = Vec::new();
    for offer in catalog.offers() {
        for period in std::iter::once(None).chain((0..offer.changes.len()).map(Some)) {
            period_rows(offer, period, &mut rows);
        }
    }
    rows
}

/// The rows of `offer` in one price period: its own prices (`None`) or change `period`'s.
fn period_rows<'c>(offer: &'c Offer, period: Option<usize>, rows: &mut Vec<PriceRow<'c>>) {
    let change = period.map(|i| &offer.changes[i]);
    let effective_to = offer
        .changes
        .get(period.map_or(0, |i| i + 1))
        .and_then(|next| Date::from_days_since_epoch(next.from.days_since_epoch() - 1));
    // Tiers and service tables are laid over the period's base prices, as the engine does.
    let priced = offer.with_change(period);
    let levels = std::iter::once(None).chain((0..offer.tiers.len()).map(Some));
    for level in levels {
        let tier = level.map(|k| {
            let tier = &offer.tiers[k];
            TierKey::new(tier.threshold, tier.scope)
        });
        let standard = priced.level(level);
        let services = ServiceTier::ALL
            .into_iter()
            .filter_map(|s| service_prices(&priced, level, s).map(|p| (Some(s), p)));
        for (service, prices) in std::iter::once((None, standard)).chain(services) {
            for component in Component::ALL {
                let Some(price) = prices.get(component) else {
                    continue;
                };
                rows.push(PriceRow {
                    offer: &offer.id,
                    provider: &offer.provider,
                    model: &offer.model,
                    component,
                    tier,
                    service,
                    price: price.get().normalize(),
                    currency: &offer.currency,
                    as_of: change.map_or(offer.as_of, |c| c.as_of),
                    source: change.map_or(&offer.source, |c| &c.source),
                    effective_from: change.map(|c| c.from),
                    effective_to,
                });
            }
        }
    }
}

/// The prices requests sent through `service` pay at `level` (`None` = base, `Some(k)` = tier
/// `k` over those beneath), as the engine builds them; `None` where the offer does not price
/// the service tier there, so that its requests pay standard prices.
fn service_prices(offer: &Offer, level: Option<usize>, service: ServiceTier) -> Option<PriceList> {
    let prices = offer.level(level);
    match (offer.service(service), level.map(|k| &offer.tiers[k])) {
        (Service::Unavailable, _) => None,
        (Service::Discount(discount), _) => Some(prices.scaled(discount.complement())),
        (Service::Prices(listed), None) => Some(prices.overlaid(listed)),
        (Service::Prices(_), Some(tier)) => tier
            .services
            .get(&service)
            .map(|listed| prices.overlaid(listed)),
    }
}

/// The rows as CSV with [`HEADER`]; empty cells for the base tier and for standard processing.
#[must_use]
pub fn csv(rows: &[PriceRow<'_>]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let written = writer.write_record(HEADER).and_then(|()| {
        rows.iter().try_for_each(|row| {
            let tier = row.tier;
            writer.write_record([
                row.offer,
                row.provider,
                row.model,
                row.component.key(),
                unit_key(row.component.unit()),
                &tier.map_or(String::new(), |t| t.input_tokens.to_string()),
                tier.map_or("", TierKey::boundary),
                tier.map_or("", TierKey::applies_to_key),
                row.service.map_or("", ServiceTier::key),
                &row.price.to_string(),
                row.currency,
                &row.as_of.to_string(),
                row.source,
                &row.effective_from.map_or(String::new(), |d| d.to_string()),
                &row.effective_to.map_or(String::new(), |d| d.to_string()),
            ])
        })
    });
    // Writing into memory cannot fail.
    written.unwrap_or_else(|e| unreachable!("CSV into memory: {e}"));
    writer
        .into_inner()
        .unwrap_or_else(|e| unreachable!("CSV into memory: {e}"))
}

const fn unit_key(unit: Unit) -> &'static str {
    match unit {
        Unit::PerMtok => "per_mtok",
        Unit::PerCall => "per_call",
        Unit::PerRequest => "per_request",
    }
}

/// Runs `costcalc catalog export`.
///
/// # Errors
/// An invalid catalog, an output that is one of the catalog files, or a failed write.
pub fn run(args: &ExportArgs, out: &mut dyn Write) -> Result<(), Error> {
    let catalog = Catalog::load(&args.catalog.sources())?;
    let bytes = match args.format {
        ExportFormatArg::Csv => csv(&rows(&catalog)),
    };
    match args
        .destination
        .output
        .as_deref()
        .filter(|p| !crate::output::is_standard_output(p))
    {
        Some(path) => {
            let inputs: Vec<&Path> = args.catalog.pricing.iter().map(PathBuf::as_path).collect();
            crate::output::refuse_inputs(path, &inputs)?;
            crate::output::write_file(path, &bytes)
        }
        None => match out.write_all(&bytes).and_then(|()| out.flush()) {
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            result => result.map_err(Error::Write),
        },
    }
}

#[cfg(test)]
mod tests;
