//! The drift report: every mapped offer's prices against a dataset, component by component,
//! and the offers a dataset retires, no longer lists, or the catalog keeps past retirement.
//!
//! Compares only; changes nothing. Prices are compared as billed: a batch discount is applied
//! to the base before it is set against a listed batch price, and a price the catalog leaves
//! out is compared through its fallback (reasoning at the output price), so a dataset that
//! states what the catalog implies is not a difference.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::Serialize;

use super::mapping::Mapping;
use super::{PriceTable, Snapshot};
use crate::calendar::Date;
use crate::component::{Component, Fallback};
use crate::pricing::{Catalog, Offer, PriceList, Service, ServiceTier};

/// One price that differs.
#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    pub offer: String,
    pub key: String,
    /// `base`, `batch`, `flex`, `priority`, or `above N` for a long-context tier.
    pub table: String,
    pub component: &'static str,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub catalog: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub dataset: Option<Decimal>,
    /// (dataset - catalog) / catalog x 100; `None` where either is missing or the catalog's is 0.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub change_percent: Option<Decimal>,
    /// Which was read later: `dataset`, `catalog` or `same day`.
    pub newer: &'static str,
    /// Beyond the threshold, or a text-token price, batch table or long-context tier the dataset
    /// has and the catalog lacks.
    pub beyond_threshold: bool,
}

/// An offer to retire or to look at again.
#[derive(Debug, Clone, Serialize)]
pub struct Retirement {
    pub offer: String,
    pub why: String,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Drift {
    pub source: &'static str,
    pub as_of: Date,
    #[serde(with = "rust_decimal::serde::str")]
    pub threshold_percent: Decimal,
    pub compared: usize,
    pub differences: Vec<Difference>,
    pub retirements: Vec<Retirement>,
    /// Mapped offers the catalog does not define: (offer, key).
    pub not_in_catalog: Vec<String>,
}

impl Drift {
    /// How many findings would fail a scheduled check.
    #[must_use]
    pub fn failures(&self) -> usize {
        self.differences
            .iter()
            .filter(|d| d.beyond_threshold)
            .count()
            + self.retirements.len()
    }
}

/// Compares every offer the mapping file maps for this dataset.
#[must_use]
pub fn compare(
    snapshot: &Snapshot,
    mapping: &Mapping,
    catalog: &Catalog,
    threshold_percent: Decimal,
) -> Drift {
    let mut drift = Drift {
        source: snapshot.source.key(),
        as_of: snapshot.as_of,
        threshold_percent,
        compared: 0,
        differences: Vec::new(),
        retirements: Vec::new(),
        not_in_catalog: Vec::new(),
    };
    for (line, key) in mapping.lines_for(snapshot.source) {
        let Ok(offer) = catalog.offer(&line.offer) else {
            drift.not_in_catalog.push(line.offer.clone());
            continue;
        };
        if let Some(date) = offer.deprecated.filter(|d| *d <= snapshot.as_of) {
            drift.retirements.push(Retirement {
                offer: line.offer.clone(),
                why: format!("past its retirement date {date}"),
            });
        }
        let Some(entry) = snapshot.entries.get(key) else {
            drift.retirements.push(Retirement {
                offer: line.offer.clone(),
                why: format!("the dataset no longer lists `{key}`"),
            });
            continue;
        };
        match entry.deprecated {
            Some(Some(date)) if offer.deprecated != Some(date) => {
                drift.retirements.push(Retirement {
                    offer: line.offer.clone(),
                    why: format!(
                        "the dataset retires it on {date}; the catalog says {}",
                        offer
                            .deprecated
                            .map_or("nothing".to_owned(), |d| d.to_string())
                    ),
                });
            }
            Some(None) if offer.deprecated.is_none() => drift.retirements.push(Retirement {
                offer: line.offer.clone(),
                why: "the dataset marks it deprecated".to_owned(),
            }),
            _ => {}
        }
        let currency = line.currency.as_deref().unwrap_or("USD");
        if offer.currency != currency {
            drift.retirements.push(Retirement {
                offer: line.offer.clone(),
                why: format!(
                    "priced in {} in the catalog, {currency} in the dataset; not compared",
                    offer.currency
                ),
            });
            continue;
        }
        drift.compared += 1;
        let mut row = Row {
            drift: &mut drift,
            offer,
            key,
            newer: newer(offer.as_of, snapshot.as_of),
        };
        let base = offer.level(None);
        row.compare("base", &base, &entry.prices);
        for tier in ServiceTier::ALL {
            let Some(listed) = entry.services.get(&tier) else {
                continue;
            };
            let catalog_prices = match offer.service(tier) {
                Service::Unavailable => None,
                Service::Discount(share) => Some(base.scaled(share.complement())),
                Service::Prices(prices) => Some(base.overlaid(prices)),
            };
            // Only the prices the dataset lists for the service tier: one it leaves out is not
            // stated, which says nothing against the catalog's discount.
            match catalog_prices {
                Some(prices) => row.compare(tier.key(), &prices, listed),
                None => row.missing_table(tier.key(), tier == ServiceTier::Batch),
            }
        }
        for tier in &entry.tiers {
            let table = format!("above {}", tier.above_input_tokens);
            let at = offer
                .tiers
                .iter()
                .position(|t| t.threshold.input_tokens == tier.above_input_tokens);
            match at {
                Some(k) => row.compare(&table, &offer.level(Some(k)), &tier.prices),
                None => row.missing_table(&table, true),
            }
        }
    }
    drift
}

fn newer(catalog: Date, dataset: Date) -> &'static str {
    match dataset.cmp(&catalog) {
        std::cmp::Ordering::Greater => "dataset",
        std::cmp::Ordering::Less => "catalog",
        std::cmp::Ordering::Equal => "same day",
    }
}

struct Row<'a, 'b> {
    drift: &'a mut Drift,
    offer: &'b Offer,
    key: &'b str,
    newer: &'static str,
}

impl Row<'_, '_> {
    fn push(
        &mut self,
        table: &str,
        component: &'static str,
        catalog: Option<Decimal>,
        dataset: Option<Decimal>,
        counts_when_missing: bool,
    ) {
        let change_percent = match (catalog, dataset) {
            (Some(c), Some(d)) if !c.is_zero() => d
                .checked_sub(c)
                .and_then(|x| x.checked_div(c))
                .and_then(|x| x.checked_mul(Decimal::ONE_HUNDRED)),
            _ => None,
        };
        let beyond_threshold = match (catalog, dataset, change_percent) {
            (_, _, Some(p)) => p.abs() > self.drift.threshold_percent,
            (Some(c), Some(d), None) => c != d,
            (None, Some(_), _) => counts_when_missing,
            (_, None, _) => false,
        };
        self.drift.differences.push(Difference {
            offer: self.offer.id.clone(),
            key: self.key.to_owned(),
            table: table.to_owned(),
            component,
            catalog,
            dataset,
            change_percent,
            newer: self.newer,
            beyond_threshold,
        });
    }

    /// Every component the dataset prices in this table, against the catalog's price as billed.
    fn compare(&mut self, table: &str, catalog: &PriceList, dataset: &PriceTable) {
        for (component, price) in dataset {
            let own = catalog.get(*component).map(crate::money::Price::get);
            let billed = own.or_else(|| match component.fallback() {
                Fallback::PriceOf {
                    component: basis, ..
                } => catalog.get(basis).map(crate::money::Price::get),
                Fallback::Free => Some(Decimal::ZERO),
                Fallback::Refused => None,
            });
            if billed != Some(*price) {
                self.push(
                    table,
                    component.key(),
                    own,
                    Some(*price),
                    billed_for_text(*component),
                );
            }
        }
    }

    /// A whole table (a service tier, a long-context tier) the dataset has and the catalog lacks;
    /// `counts` for a batch table or a long-context tier, which change what text requests cost.
    fn missing_table(&mut self, table: &str, counts: bool) {
        self.push(table, "(whole table)", None, Some(Decimal::ZERO), counts);
    }
}

/// Whether a price the catalog lacks changes what a text request costs there: the token
/// components every workload has. A missing audio price, search fee or 12-hour cache write is
/// listed but does not count as drift, since the catalog leaves such prices out on purpose until
/// a scenario needs them.
fn billed_for_text(component: Component) -> bool {
    matches!(
        component,
        Component::Input
            | Component::CachedInput
            | Component::CacheWrite5m
            | Component::CacheWrite1h
            | Component::Output
            | Component::Reasoning
    )
}

/// The report as a plain table, one line per finding.
#[must_use]
pub fn text(drift: &Drift) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "drift against {} as of {}: {} offers compared, {} differences ({} beyond {}%), {} to retire or check",
        drift.source,
        drift.as_of,
        drift.compared,
        drift.differences.len(),
        drift
            .differences
            .iter()
            .filter(|d| d.beyond_threshold)
            .count(),
        drift.threshold_percent,
        drift.retirements.len()
    );
    if !drift.differences.is_empty() {
        let rows: Vec<[String; 7]> = drift
            .differences
            .iter()
            .map(|d| {
                let show = |v: Option<Decimal>| {
                    v.map_or_else(|| "-".to_owned(), |x| x.normalize().to_string())
                };
                [
                    d.offer.clone(),
                    d.table.clone(),
                    d.component.to_owned(),
                    show(d.catalog),
                    if d.component == "(whole table)" {
                        "listed".to_owned()
                    } else {
                        show(d.dataset)
                    },
                    d.change_percent.map_or_else(
                        || "-".to_owned(),
                        |p| format!("{:+}%", crate::money::round_for_display(p, 1)),
                    ),
                    format!(
                        "{}{}",
                        d.newer,
                        if d.beyond_threshold { "" } else { " (within)" }
                    ),
                ]
            })
            .collect();
        let header = [
            "offer",
            "table",
            "component",
            "catalog",
            "dataset",
            "change",
            "newer",
        ];
        let mut widths = header.map(str::len);
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        out.push('\n');
        for row in std::iter::once(header.map(str::to_owned)).chain(rows) {
            let line: Vec<String> = row
                .iter()
                .zip(widths)
                .map(|(cell, w)| format!("{cell:<w$}"))
                .collect();
            let _ = writeln!(out, "{}", line.join("  ").trim_end());
        }
    }
    if !drift.retirements.is_empty() {
        out.push('\n');
        for r in &drift.retirements {
            let _ = writeln!(out, "{}: {}", r.offer, r.why);
        }
    }
    if !drift.not_in_catalog.is_empty() {
        let _ = writeln!(
            out,
            "\nmapped but not in the catalog (import adds them): {}",
            drift.not_in_catalog.join(", ")
        );
    }
    out
}
