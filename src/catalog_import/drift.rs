//! The drift report: every mapped offer's prices against a dataset, component by component,
//! and the offers a dataset retires, no longer lists, or the catalog keeps past retirement.
//!
//! Compares only; changes nothing. The catalog's prices are those in force on the dataset's
//! date; where the dataset has dated price lists, each other list is compared with the
//! catalog's prices in force on one of its days, and a dated change the catalog lacks is listed. Prices are compared as billed: a batch discount is applied
//! to the base before it is set against a listed batch price, and a price the catalog leaves
//! out is compared through its fallback (reasoning at the output price), so a dataset that
//! states what the catalog implies is not a difference.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::Serialize;

use super::mapping::Mapping;
use super::{Entry, PriceTable, Snapshot};
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
    /// has and the catalog lacks; never for a `history` row.
    pub beyond_threshold: bool,
    /// A dataset price list that ended before the dataset's date: listed, never counted.
    pub history: bool,
}

/// A dated price change the dataset has and the catalog lacks: the catalog has no change of
/// the offer on that day.
#[derive(Debug, Clone, Serialize)]
pub struct MissingChange {
    pub offer: String,
    pub key: String,
    pub from: Date,
    /// Whether `catalog import` writes it as a dated change (the dataset's lists differ in
    /// base prices only); when not, the import's note says why.
    pub importable: bool,
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
    /// Dated changes of base prices the dataset has and the catalog lacks. Listed, not counted:
    /// the rows of the periods they start (`base from DATE`) count where the prices differ.
    pub changes_not_in_catalog: Vec<MissingChange>,
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
        changes_not_in_catalog: Vec::new(),
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
        // The catalog's prices in force on the dataset's date, against the dataset's.
        let priced = offer.with_change(offer.change_in_force(snapshot.as_of));
        let offer = priced.as_ref();
        let mut row = Row {
            drift: &mut drift,
            offer,
            key,
            newer: newer(offer.as_of, snapshot.as_of),
            history: false,
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
        let offer = catalog
            .offer(&line.offer)
            .unwrap_or_else(|_| unreachable!("the offer was found above"));
        periods(&mut drift, offer, key, entry, snapshot.as_of);
    }
    drift
}

/// Every other dated list of the dataset against the catalog's prices in force on a day of it
/// (its first day; the day before the next list for an undated first one), base prices only;
/// and each change of base prices the catalog has no change for on that day.
fn periods(drift: &mut Drift, offer: &Offer, key: &str, entry: &Entry, on: Date) {
    let periods = entry.periods.as_slice();
    let current = periods
        .iter()
        .rposition(|p| p.from.is_none_or(|start| start <= on));
    for (k, period) in periods.iter().enumerate() {
        let next = periods.get(k + 1).and_then(|p| p.from);
        if let (Some(from), Some(before)) = (period.from, k.checked_sub(1))
            && period.prices != periods[before].prices
            && !offer.changes().iter().any(|c| c.from() == from)
        {
            drift.changes_not_in_catalog.push(MissingChange {
                offer: offer.id.clone(),
                key: key.to_owned(),
                from,
                importable: entry.history,
            });
        }
        if Some(k) == current {
            continue;
        }
        let (day, table) = match (period.from, next) {
            (Some(from), _) => (from, format!("base from {from}")),
            (None, Some(next)) => match Date::from_days_since_epoch(next.days_since_epoch() - 1) {
                Some(day) => (day, format!("base before {next}")),
                None => continue,
            },
            (None, None) => continue,
        };
        let priced = offer.with_change(offer.change_in_force(day));
        let priced = priced.as_ref();
        let mut row = Row {
            drift: &mut *drift,
            offer: priced,
            key,
            newer: newer(priced.as_of, on),
            history: next.is_some_and(|next| next <= on),
        };
        row.compare(&table, &priced.level(None), &period.prices);
    }
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
    /// Rows of a dataset list that ended before the dataset's date, which never count.
    history: bool,
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
        let beyond_threshold = !self.history
            && match (catalog, dataset, change_percent) {
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
            history: self.history,
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
                        if d.history {
                            " (history)"
                        } else if d.beyond_threshold {
                            ""
                        } else {
                            " (within)"
                        }
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
    lists(&mut out, drift);
    out
}

/// The report's lists after the table: offers to retire or check, dated changes the catalog
/// lacks, and mapped offers it does not define.
fn lists(out: &mut String, drift: &Drift) {
    if !drift.retirements.is_empty() {
        out.push('\n');
        for r in &drift.retirements {
            let _ = writeln!(out, "{}: {}", r.offer, r.why);
        }
    }
    if !drift.changes_not_in_catalog.is_empty() {
        let _ = writeln!(
            out,
            "\ndated changes the dataset has and the catalog lacks:"
        );
        for c in &drift.changes_not_in_catalog {
            let _ = writeln!(
                out,
                "{}: from {} (`{}`), {}",
                c.offer,
                c.from,
                c.key,
                if c.importable {
                    "which `catalog import` writes"
                } else {
                    "which `catalog import` cannot write (its note says why)"
                }
            );
        }
    }
    if !drift.not_in_catalog.is_empty() {
        let _ = writeln!(
            out,
            "\nmapped but not in the catalog (import adds them): {}",
            drift.not_in_catalog.join(", ")
        );
    }
}
