//! Pricing aggregated usage at the catalog's list prices, and repricing it at other offers.
//!
//! Each cell of an [`Aggregate`] (group, provider, model, month, batch, service tier) maps to an
//! offer ([`super::map`]) and is priced through [`request::price`], the engine's own per-request
//! pricing, so fallbacks, service tiers and long-context tiers follow the same rules as `run`:
//!
//! - Where the export counts requests, long-context tiers (chosen per request) are judged on the
//!   cell's average request (its quantities over its requests), and the report says so wherever
//!   an offer has tiers. Below every tier prices are linear, so the cell's totals are priced
//!   exactly; an average request in a tier is priced and multiplied by the requests.
//! - Where it does not (Anthropic's report), the totals are priced at the offer's base prices, as
//!   if no request reached a long-context tier, and without per-request fees, since neither can
//!   be judged without requests; the report says so wherever that could understate the cost.
//!
//! Each cell lies inside one price period (the aggregate is cut at every day a catalog price
//! changes, [`change_dates`]), and is priced at the list in force on its days, which is what the
//! invoice charged: an offer's own prices before its first dated change, then each change's.
//! Long-context tiers are judged on the average request of each such cell.
//!
//! A component the mapped offer cannot bill is an error, never a zero. Nothing here reads files
//! or renders.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::Serialize;

use super::map::{Mapping, resolve};
use super::{Aggregate, CellKey, Format, GroupBy, Totals};
use crate::calendar::{Date, YearMonth};
use crate::component::{Component, PerComponent};
use crate::engine::request::{self, Fallbacks, PriceError, Request};
use crate::error::Error;
use crate::estimate::Note;
use crate::money::Price;
use crate::money::format_count;
use crate::pricing::{Catalog, Offer, ServiceTier, Weights};
use crate::query::Filter;

/// What the report is asked for besides the traffic.
#[derive(Debug, Clone, Default)]
pub struct PriceOptions {
    /// Offers to reprice the traffic at; empty with `compare_all` for every offer matching
    /// `filter`.
    pub compare: Vec<String>,
    pub compare_all: bool,
    pub filter: Filter,
    /// Offers retired on or before this day are left out of an unnamed comparison.
    pub today: Option<Date>,
    /// Prices checked more than this many days before the traffic's first day are flagged.
    pub stale_after_days: u32,
}

/// The traffic of one group at one offer in one month.
#[derive(Debug, Clone, Serialize)]
pub struct MonthUsage {
    pub month: YearMonth,
    /// `None` where the export counts no requests.
    pub requests: Option<Decimal>,
    /// Disjoint quantities per component; `per_request` holds the requests the export counts.
    pub tokens: PerComponent<Decimal>,
    /// At the catalog's list prices, in the report currency, unrounded.
    pub cost: Decimal,
    /// What the export says was charged, where every record of the month states it.
    pub stated_cost: Option<Decimal>,
    /// `stated_cost - cost`: above zero, the invoice says more than the catalog.
    pub difference: Option<Decimal>,
    /// The same, split by the service tier the requests went through (`None` = standard).
    #[serde(skip)]
    pub services: BTreeMap<Option<ServiceTier>, ServiceUsage>,
}

/// The part of a month's traffic sent through one service tier.
#[derive(Debug, Clone, Default)]
pub struct ServiceUsage {
    pub quantities: PerComponent<Decimal>,
    pub requests: Option<Decimal>,
    pub cost: Decimal,
}

/// One group's traffic at one offer.
#[derive(Debug, Clone, Serialize)]
pub struct GroupUsage {
    pub group: String,
    pub offer: String,
    /// The model names of the export that map to the offer.
    pub names: Vec<String>,
    pub months: Vec<MonthUsage>,
    pub requests: Option<Decimal>,
    pub cost: Decimal,
    pub stated_cost: Option<Decimal>,
}

/// The observed traffic repriced at one offer.
#[derive(Debug, Clone, Serialize)]
pub struct Repriced {
    pub offer: String,
    pub model_name: String,
    pub weights: Weights,
    pub origin: String,
    /// The traffic it can take, at its prices.
    pub cost: Decimal,
    /// What the same traffic cost at the offers it was observed on.
    pub observed_cost: Decimal,
    /// `observed_cost - cost`.
    pub saving: Decimal,
    /// `cost` over the cheapest offer's that takes all the traffic; `None` for offers that
    /// cannot take all of it, or when the cheapest is zero.
    pub multiple_of_cheapest: Option<Decimal>,
    /// Requests it cannot take, because their (average) prompt exceeds its input limit.
    pub too_long_requests: Decimal,
    /// Groups with requests it cannot take, and the component it has no price for (`None`
    /// when too long).
    pub left_out: Vec<LeftOut>,
    /// What the prices had to assume, in words.
    pub notes: Vec<String>,
}

/// Traffic of one group and month that an offer cannot take.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LeftOut {
    pub group: String,
    pub month: YearMonth,
    /// `None` where the export counts no requests.
    pub requests: Option<Decimal>,
    /// The component it has no price for; `None` when the prompt is too long.
    pub unpriced: Option<Component>,
}

/// `--compare`: the traffic at each offer, cheapest first.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub offers: Vec<Repriced>,
    /// Offers left out because they are priced in another currency than the report's.
    pub other_currency: Vec<String>,
    /// Offers left out because their provider retired them (only when none is named).
    pub retired: Vec<String>,
}

/// The usage report: traffic and its cost per group, offer and month.
#[derive(Debug, Clone, Serialize)]
pub struct UsageReport {
    pub format: &'static str,
    pub group_by: &'static str,
    pub currency: String,
    /// The first and last day of the traffic.
    pub first_day: Option<Date>,
    pub last_day: Option<Date>,
    pub groups: Vec<GroupUsage>,
    pub requests: Option<Decimal>,
    pub total_cost: Decimal,
    pub total_stated_cost: Option<Decimal>,
    /// Notes in the words of `run`'s.
    pub notes: Vec<Note>,
    /// What reading and pricing the export assumed or left out.
    pub remarks: Vec<String>,
    pub comparison: Option<Comparison>,
}

/// The days the traffic spans.
#[derive(Debug, Clone, Copy, Default)]
pub struct Days {
    pub first: Option<Date>,
    pub last: Option<Date>,
}

impl Days {
    pub fn add(&mut self, date: Date) {
        self.first = Some(self.first.map_or(date, |d| d.min(date)));
        self.last = Some(self.last.map_or(date, |d| d.max(date)));
    }
}

/// Every day on which a price of the catalog changes, in order: the cuts the aggregate needs
/// so that each of its cells is priced at one list.
#[must_use]
pub fn change_dates(catalog: &Catalog) -> Vec<Date> {
    let days: BTreeSet<Date> = catalog
        .offers
        .values()
        .flat_map(|offer| offer.changes.iter().map(|change| change.from))
        .collect();
    days.into_iter().collect()
}

/// A cell and the offer it maps to.
struct Mapped<'a, 'c> {
    key: &'a CellKey,
    totals: &'a Totals,
    offer: &'c Offer,
    group: String,
    service: Option<ServiceTier>,
}

/// Prices aggregated usage at the offers its records map to.
///
/// One pass over the cells in key order builds the groups, months and totals; splitting it
/// would only pass the half-built report around.
///
/// # Errors
/// [`Error::Invalid`] listing every model name that maps to no offer (with its record count
/// and a did-you-mean), or every component an offer cannot bill; [`Error::Argument`] for an
/// unknown `--compare` offer; [`Error::Overflow`] for a cost beyond the decimal range.
#[expect(
    clippy::too_many_lines,
    reason = "one pass that builds the report in the order it is read"
)]
pub fn price(
    catalog: &Catalog,
    mapping: &Mapping,
    aggregate: &Aggregate,
    days: Days,
    source: &str,
    options: &PriceOptions,
) -> Result<UsageReport, Error> {
    let group_by = aggregate.group_by();
    let mut remarks = aggregate.tally().notes();
    let mut mapped = Vec::with_capacity(aggregate.len());
    let mut unmapped: BTreeMap<(Option<&str>, &str), (u64, String)> = BTreeMap::new();
    let mut dropped_dates: BTreeMap<&str, &str> = BTreeMap::new();
    let mut odd_tiers = BTreeSet::new();
    for (key, totals) in aggregate.cells() {
        match resolve(catalog, mapping, key.provider.as_deref(), &key.model) {
            Ok(found) => {
                if found.dropped_date {
                    dropped_dates.insert(&key.model, found.offer.id());
                }
                let service = service_of(key, &mut odd_tiers);
                mapped.push(Mapped {
                    key,
                    totals,
                    offer: found.offer,
                    group: group_name(group_by, key),
                    service,
                });
            }
            Err(why) => {
                let entry = unmapped
                    .entry((key.provider.as_deref(), key.model.as_str()))
                    .or_insert((0, why));
                entry.0 += totals.records;
            }
        }
    }
    if !unmapped.is_empty() {
        return Err(unmapped_error(source, &unmapped));
    }
    for (name, offer) in &dropped_dates {
        remarks.push(format!(
            "`{name}` is priced as `{offer}`: no model or alias has that name, so its date was dropped; snapshots can be priced differently, so add it as an alias or `--map` it to confirm"
        ));
    }
    for tier in odd_tiers {
        remarks.push(format!(
            "service tier `{tier}` has no prices of its own in the catalog: its requests are priced at standard prices"
        ));
    }

    let currencies: BTreeSet<&str> = mapped.iter().map(|m| m.offer.currency.as_str()).collect();
    if currencies.len() > 1 {
        return Err(Error::Argument(format!(
            "the usage maps to offers priced in several currencies ({})\nhint: `--map` the names to offers of one currency",
            currencies.into_iter().collect::<Vec<_>>().join(", ")
        )));
    }
    let currency = currencies.first().map_or("USD", |c| c).to_owned();

    let mut book = NoteBook::default();
    let mut unbillable = Vec::new();
    let mut groups: BTreeMap<(String, String), GroupUsage> = BTreeMap::new();
    let mut month_records: BTreeMap<(String, String, YearMonth), (u64, u64)> = BTreeMap::new();
    for cell in &mapped {
        let cost = match price_cell(
            &in_force(cell.offer, cell.key.since),
            cell.totals,
            cell.service,
            &mut book,
            &cell.group,
        ) {
            Ok(cost) => cost,
            Err(PriceError::Unpriced(component)) => {
                unbillable.push((
                    cell.key.model.clone(),
                    cell.offer.id.clone(),
                    component,
                    cell.totals.quantities[component],
                    cell.key.month,
                ));
                continue;
            }
            Err(PriceError::Overflow) => {
                return Err(Error::Overflow {
                    what: format!(
                        "the cost of `{}` in {} at `{}`",
                        cell.key.model, cell.key.month, cell.offer.id
                    ),
                });
            }
        };
        let overflow = |what: &str| Error::Overflow {
            what: format!("the {what} of group `{}` in {}", cell.group, cell.key.month),
        };
        let group = groups
            .entry((cell.group.clone(), cell.offer.id.clone()))
            .or_insert_with(|| GroupUsage {
                group: cell.group.clone(),
                offer: cell.offer.id.clone(),
                names: Vec::new(),
                months: Vec::new(),
                requests: None,
                cost: Decimal::ZERO,
                stated_cost: None,
            });
        if !group.names.contains(&cell.key.model) {
            group.names.push(cell.key.model.clone());
        }
        if !group.months.iter().any(|m| m.month == cell.key.month) {
            group.months.push(MonthUsage {
                month: cell.key.month,
                requests: None,
                tokens: PerComponent::default(),
                cost: Decimal::ZERO,
                stated_cost: None,
                difference: None,
                services: BTreeMap::new(),
            });
        }
        let Some(month) = group.months.iter_mut().find(|m| m.month == cell.key.month) else {
            unreachable!("the month was just added")
        };
        month.requests = add_optional(month.requests, known_requests(cell.totals))
            .map_err(|()| overflow("requests"))?;
        for (component, quantity) in cell.totals.quantities.iter() {
            month.tokens[component] = month.tokens[component]
                .checked_add(*quantity)
                .ok_or_else(|| overflow(component.key()))?;
        }
        month.cost = month
            .cost
            .checked_add(cost)
            .ok_or_else(|| overflow("cost"))?;
        month.stated_cost = add_optional(month.stated_cost, cell.totals.stated_cost)
            .map_err(|()| overflow("stated cost"))?;
        let service = month.services.entry(cell.service).or_default();
        for (component, quantity) in cell.totals.quantities.iter() {
            service.quantities[component] = service.quantities[component]
                .checked_add(*quantity)
                .ok_or_else(|| overflow(component.key()))?;
        }
        service.requests = add_optional(service.requests, known_requests(cell.totals))
            .map_err(|()| overflow("requests"))?;
        service.cost = service
            .cost
            .checked_add(cost)
            .ok_or_else(|| overflow("cost"))?;
        let counts = month_records
            .entry((cell.group.clone(), cell.offer.id.clone(), cell.key.month))
            .or_default();
        counts.0 += cell.totals.records;
        counts.1 += cell.totals.records_with_stated_cost;
    }
    if !unbillable.is_empty() {
        return Err(unbillable_error(source, &unbillable));
    }

    let mut partly_stated = 0u64;
    let mut total_cost = Decimal::ZERO;
    let mut total_stated: Option<Decimal> = None;
    let mut all_stated = true;
    let mut total_requests: Option<Decimal> = None;
    let mut groups: Vec<GroupUsage> = groups.into_values().collect();
    for group in &mut groups {
        group.months.sort_by_key(|m| m.month);
        let overflow = || Error::Overflow {
            what: format!("the cost of group `{}`", group.group),
        };
        let mut stated: Option<Decimal> = None;
        let mut group_all_stated = true;
        for month in &mut group.months {
            let (records, with_cost) =
                month_records[&(group.group.clone(), group.offer.clone(), month.month)];
            if with_cost < records {
                if with_cost > 0 {
                    partly_stated += records - with_cost;
                }
                month.stated_cost = None;
            }
            month.difference = month
                .stated_cost
                .map(|s| s.checked_sub(month.cost).ok_or_else(overflow))
                .transpose()?;
            group.cost = group.cost.checked_add(month.cost).ok_or_else(overflow)?;
            group.requests =
                add_optional(group.requests, month.requests).map_err(|()| overflow())?;
            match month.stated_cost {
                Some(s) => stated = add_optional(stated, Some(s)).map_err(|()| overflow())?,
                None => group_all_stated = false,
            }
        }
        group.stated_cost = stated.filter(|_| group_all_stated);
        all_stated &= group_all_stated;
        total_cost = total_cost.checked_add(group.cost).ok_or_else(overflow)?;
        total_requests = add_optional(total_requests, group.requests).map_err(|()| overflow())?;
        total_stated = add_optional(total_stated, group.stated_cost).map_err(|()| overflow())?;
    }
    if partly_stated > 0 {
        remarks.push(format!(
            "{partly_stated} {} no cost where others of the same month do: the stated cost is shown only for months where every record states one",
            if partly_stated == 1 { "record states" } else { "records state" }
        ));
    }
    let total_stated_cost = total_stated.filter(|_| all_stated && !groups.is_empty());

    let mut notes = book.finish();
    let used: BTreeSet<&str> = mapped.iter().map(|m| m.offer.id.as_str()).collect();
    for offer in used.iter().filter_map(|id| catalog.offers.get(*id)) {
        if let Some(first) = days.first {
            let age_days = offer.as_of.days_until(first);
            if age_days > i64::from(options.stale_after_days) {
                notes.push(Note::StalePrice {
                    offer: offer.id.clone(),
                    as_of: offer.as_of,
                    age_days,
                });
            }
        }
        if let (Some(first), Some(last)) = (days.first, days.last) {
            notes.extend(change_notes(offer, first, last));
        }
        for inherited in offer.inherited_cache_prices() {
            notes.push(Note::InheritedCachePrice {
                offer: offer.id.clone(),
                overlay: inherited.overlay,
                above_input_tokens: inherited.above_input_tokens,
                key: inherited.key.to_owned(),
            });
        }
    }
    notes.sort();
    notes.dedup();
    remarks.extend(pricing_remarks(&mapped));
    if let Some(first) = days.first
        && used
            .iter()
            .filter_map(|id| catalog.offers.get(*id))
            .any(|o| o.as_of > first)
    {
        remarks.push(
            "costs are at the list prices the catalog records for each day; prices checked after the traffic ran may differ from those then charged"
                .to_owned(),
        );
    }

    let comparison = if options.compare.is_empty() && !options.compare_all {
        None
    } else {
        Some(compare(catalog, &mapped, &currency, options, days)?)
    };

    Ok(UsageReport {
        format: aggregate.format().map_or("", Format::name),
        group_by: group_by.name(),
        currency,
        first_day: days.first,
        last_day: days.last,
        groups,
        requests: total_requests,
        total_cost,
        total_stated_cost,
        notes,
        remarks,
        comparison,
    })
}

/// The remarks on how cells were priced: tiers judged on averages, or not at all.
fn pricing_remarks(mapped: &[Mapped<'_, '_>]) -> Vec<String> {
    let mut averaged = BTreeSet::new();
    let mut unknown = BTreeSet::new();
    for cell in mapped {
        let tiered = !cell.offer.tiers.is_empty();
        let fee = cell.offer.base.get(Component::Request).is_some();
        match known_requests(cell.totals) {
            Some(_) if tiered => {
                averaged.insert(cell.offer.id.as_str());
            }
            None if tiered || fee => {
                unknown.insert(cell.offer.id.as_str());
            }
            _ => {}
        }
    }
    let list = |set: BTreeSet<&str>| {
        set.into_iter()
            .map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let averaged_count = averaged.len();
    let mut remarks = Vec::new();
    if !averaged.is_empty() {
        remarks.push(format!(
            "{} {} long-context tiers: they are judged on the average request of each group and month, so a few long requests among short ones are billed at base prices",
            list(averaged),
            if averaged_count == 1 { "has" } else { "have" }
        ));
    }
    if !unknown.is_empty() {
        remarks.push(format!(
            "the export counts no requests, so at {} tokens are priced at base prices, as if no request reached a long-context tier, and per-request fees are left out; the cost may be understated",
            list(unknown)
        ));
    }
    remarks
}

/// The requests of a cell, where every record counts them.
fn known_requests(totals: &Totals) -> Option<Decimal> {
    totals
        .requests
        .filter(|r| totals.records_with_requests == totals.records && !r.is_zero())
}

/// A note for each price a dated change of `offer` changes on a day from `first` (exclusive:
/// the traffic's first day is priced at the list then in force) to `last`.
fn change_notes(offer: &Offer, first: Date, last: Date) -> Vec<Note> {
    let mut notes = Vec::new();
    for (index, change) in offer.changes.iter().enumerate() {
        if change.from <= first || change.from > last {
            continue;
        }
        let before = index
            .checked_sub(1)
            .map_or(offer.base, |i| offer.changes[i].list);
        for (component, new) in change.stated.iter() {
            let Some(new) = new else { continue };
            let old = before.get(component);
            if old != Some(*new) {
                notes.push(Note::PriceChange {
                    offer: offer.id.clone(),
                    date: change.from,
                    component,
                    old: old.map(Price::get),
                    new: new.get(),
                    source: change.source.clone(),
                });
            }
        }
    }
    notes
}

/// A note of the comparison's Notes column, in few words; `None` for notes it does not show.
fn comparison_note(note: &Note) -> Option<String> {
    Some(match note {
        Note::NoPrice {
            component,
            billed_at,
            ..
        } => format!(
            "no `{}` price: billed at the `{}` price",
            component.key(),
            billed_at.key()
        ),
        Note::NoServicePrice { service, .. } => {
            format!("no {} prices: standard prices", service.key())
        }
        Note::NoTierServicePrice {
            service,
            above_input_tokens,
            ..
        } => format!(
            "no {} prices above {} input tokens: tier prices",
            service.key(),
            format_count(Decimal::from(*above_input_tokens))
        ),
        _ => return None,
    })
}

/// `price changes on DATE` for each day inside the traffic's days that a price of `offer`
/// changes, for the comparison's Notes column.
fn changed_on(offer: &Offer, days: Days) -> Vec<String> {
    let (Some(first), Some(last)) = (days.first, days.last) else {
        return Vec::new();
    };
    let changed: BTreeSet<Date> = change_notes(offer, first, last)
        .iter()
        .filter_map(|note| match note {
            Note::PriceChange { date, .. } => Some(*date),
            _ => None,
        })
        .collect();
    changed
        .into_iter()
        .map(|date| format!("price changes on {date}"))
        .collect()
}

/// `offer` as priced on `day`: with the dated change in force then as its base.
fn in_force(offer: &Offer, day: Date) -> std::borrow::Cow<'_, Offer> {
    offer.with_change(offer.change_in_force(day))
}

/// The cost of one cell at `offer`, in the offer's currency.
fn price_cell(
    offer: &Offer,
    totals: &Totals,
    service: Option<ServiceTier>,
    book: &mut NoteBook,
    group: &str,
) -> Result<Decimal, PriceError> {
    let mut fallbacks = Fallbacks::default();
    let requests = known_requests(totals);
    let average = requests
        .map(|r| {
            totals
                .quantities
                .try_map(|_, q| q.checked_div(r).ok_or(PriceError::Overflow))
        })
        .transpose()?;
    let prompt = |quantities: &PerComponent<Decimal>| {
        quantities
            .iter()
            .filter(|(c, _)| c.in_prompt())
            .try_fold(Decimal::ZERO, |sum, (_, q)| sum.checked_add(*q))
            .ok_or(PriceError::Overflow)
    };
    let in_a_tier = match &average {
        Some(average) => {
            let tokens = prompt(average)?;
            offer.tiers.iter().any(|t| t.threshold.holds(tokens))
        }
        None => false,
    };
    let cost = if let (true, Some(average), Some(requests)) = (in_a_tier, average, requests) {
        // The average request reaches a long-context tier: price it, times the requests.
        let request = Request {
            quantities: average,
            service,
        };
        request::price(offer, &request, &mut fallbacks)?
            .total
            .checked_mul(requests)
            .ok_or(PriceError::Overflow)?
    } else {
        // Below every tier (or without requests, where no tier can be judged), prices are
        // linear: the totals at base prices, exactly, with no quotient to round.
        let mut quantities = totals.quantities;
        if requests.is_none() {
            quantities[Component::Request] = Decimal::ZERO;
        }
        let request = Request {
            quantities,
            service,
        };
        if offer.tiers.is_empty() {
            request::price(offer, &request, &mut fallbacks)?.total
        } else {
            let mut base = offer.clone();
            base.tiers.clear();
            request::price(&base, &request, &mut fallbacks)?.total
        }
    };
    book.record(offer, group, fallbacks);
    Ok(cost)
}

/// The service tier of a cell; names costcalc does not price apart are collected.
fn service_of(key: &CellKey, odd: &mut BTreeSet<String>) -> Option<ServiceTier> {
    if key.batch {
        return Some(ServiceTier::Batch);
    }
    match key.service_tier.as_deref() {
        None | Some("default" | "standard" | "auto" | "on_demand") => None,
        Some("batch") => Some(ServiceTier::Batch),
        Some("flex") => Some(ServiceTier::Flex),
        Some("priority") => Some(ServiceTier::Priority),
        Some(other) => {
            odd.insert(other.to_owned());
            None
        }
    }
}

fn group_name(group_by: GroupBy, key: &CellKey) -> String {
    key.group
        .clone()
        .unwrap_or_else(|| format!("(no {})", group_by.name()))
}

/// `sum + value` where either may be absent; `Err` on overflow.
fn add_optional(sum: Option<Decimal>, value: Option<Decimal>) -> Result<Option<Decimal>, ()> {
    match (sum, value) {
        (sum, None) => Ok(sum),
        (None, Some(value)) => Ok(Some(value)),
        (Some(sum), Some(value)) => sum.checked_add(value).map(Some).ok_or(()),
    }
}

/// Fallbacks taken, grouped by offer, with the groups that took them: `run`'s notes.
#[derive(Default)]
struct NoteBook {
    missing: BTreeMap<(String, Component, Component), BTreeSet<String>>,
    service: BTreeMap<(String, ServiceTier), BTreeSet<String>>,
    tier_service: BTreeMap<(String, ServiceTier, u64), BTreeSet<String>>,
}

impl NoteBook {
    fn record(&mut self, offer: &Offer, group: &str, fallbacks: Fallbacks) {
        for (component, billed_at) in fallbacks.missing {
            self.missing
                .entry((offer.id.clone(), component, billed_at))
                .or_default()
                .insert(group.to_owned());
        }
        for service in fallbacks.no_service_price {
            self.service
                .entry((offer.id.clone(), service))
                .or_default()
                .insert(group.to_owned());
        }
        for (service, above) in fallbacks.no_tier_service_price {
            self.tier_service
                .entry((offer.id.clone(), service, above))
                .or_default()
                .insert(group.to_owned());
        }
    }

    fn finish(self) -> Vec<Note> {
        let mut notes = Vec::new();
        for ((offer, component, billed_at), groups) in self.missing {
            notes.push(Note::NoPrice {
                offer,
                component,
                billed_at,
                workloads: groups.into_iter().collect(),
            });
        }
        for ((offer, service), groups) in self.service {
            notes.push(Note::NoServicePrice {
                offer,
                service,
                workloads: groups.into_iter().collect(),
            });
        }
        for ((offer, service, above_input_tokens), groups) in self.tier_service {
            notes.push(Note::NoTierServicePrice {
                offer,
                service,
                above_input_tokens,
                workloads: groups.into_iter().collect(),
            });
        }
        notes
    }
}

fn located(source: &str, message: &str, hint: &str) -> Error {
    Error::Usage {
        message: format!("{source}: {message}"),
        hint: hint.to_owned(),
    }
}

/// One error naming every model name that maps to no offer.
fn unmapped_error(source: &str, unmapped: &BTreeMap<(Option<&str>, &str), (u64, String)>) -> Error {
    let count = unmapped.len();
    let mut message = format!(
        "{count} model name{} map{} to no offer in the catalog; nothing is priced at zero",
        if count == 1 { "" } else { "s" },
        if count == 1 { "s" } else { "" },
    );
    for ((provider, model), (records, why)) in unmapped {
        let from = provider.map_or_else(String::new, |p| format!(" from `{}`", p.escape_debug()));
        let _ = write!(
            message,
            "\n  `{}`{from} ({records} record{}): {why}",
            model.escape_debug(),
            if *records == 1 { "" } else { "s" }
        );
    }
    located(
        source,
        &message,
        "map each name to an offer with `--map NAME=MODEL@PROVIDER` or a `--map-file`, or add the model (or an alias) to the catalog with `--pricing`",
    )
}

/// One error naming every component an offer cannot bill.
fn unbillable_error(
    source: &str,
    unbillable: &[(String, String, Component, Decimal, YearMonth)],
) -> Error {
    let mut message = "the usage carries components its offers have no price for".to_owned();
    let mut seen = BTreeSet::new();
    for (model, offer, component, quantity, month) in unbillable {
        if seen.insert((model, offer, component)) {
            let _ = write!(
                message,
                "\n  `{}` at `{offer}`: no `{}` price (found {} in {month})",
                model.escape_debug(),
                component.key(),
                format_count(*quantity)
            );
        }
    }
    located(
        source,
        &message,
        "`--map` the name to an offer that prices it, or add the price with `--pricing`",
    )
}

/// Reprices every cell at each offer asked for.
fn compare(
    catalog: &Catalog,
    mapped: &[Mapped<'_, '_>],
    currency: &str,
    options: &PriceOptions,
    days: Days,
) -> Result<Comparison, Error> {
    let named = !options.compare.is_empty();
    let chosen: Vec<&Offer> = if named {
        options
            .compare
            .iter()
            .map(|id| {
                catalog
                    .offer(id)
                    .map_err(|(message, hint)| Error::Argument(format!("{message}\nhint: {hint}")))
            })
            .collect::<Result<_, _>>()?
    } else {
        catalog
            .offers()
            .filter(|o| options.filter.matches(catalog, o))
            .collect()
    };
    let mut other_currency = Vec::new();
    let mut retired = Vec::new();
    let mut offers = Vec::new();
    let mut observed_costs = Vec::with_capacity(mapped.len());
    for cell in mapped {
        let mut ignored = NoteBook::default();
        observed_costs.push(
            price_cell(
                &in_force(cell.offer, cell.key.since),
                cell.totals,
                cell.service,
                &mut ignored,
                &cell.group,
            )
            .map_err(|_| Error::Overflow {
                what: format!("the cost of `{}` in {}", cell.key.model, cell.key.month),
            })?,
        );
    }
    for offer in chosen {
        if offer.currency != currency {
            other_currency.push(offer.id.clone());
            continue;
        }
        if !named
            && let (Some(date), Some(today)) = (offer.deprecated, options.today)
            && date <= today
        {
            retired.push(offer.id.clone());
            continue;
        }
        offers.push(reprice(catalog, offer, mapped, &observed_costs, days)?);
    }
    let cheapest = offers
        .iter()
        .filter(|o| o.left_out.is_empty())
        .map(|o| o.cost)
        .min();
    for row in &mut offers {
        row.multiple_of_cheapest = match cheapest {
            Some(least) if row.left_out.is_empty() && !least.is_zero() => {
                Some(row.cost.checked_div(least).ok_or_else(|| Error::Overflow {
                    what: format!("the multiple of the cheapest cost at `{}`", row.offer),
                })?)
            }
            _ => None,
        };
    }
    offers.sort_by(|a, b| {
        (!a.left_out.is_empty())
            .cmp(&!b.left_out.is_empty())
            .then(a.cost.cmp(&b.cost))
            .then_with(|| a.offer.cmp(&b.offer))
    });
    Ok(Comparison {
        offers,
        other_currency,
        retired,
    })
}

/// The observed traffic at one offer.
fn reprice(
    catalog: &Catalog,
    offer: &Offer,
    mapped: &[Mapped<'_, '_>],
    observed_costs: &[Decimal],
    days: Days,
) -> Result<Repriced, Error> {
    let overflow = || Error::Overflow {
        what: format!("the cost of the usage at `{}`", offer.id),
    };
    let limit = offer.input_limit(catalog).map(Decimal::from);
    let mut book = NoteBook::default();
    let mut cost = Decimal::ZERO;
    let mut observed = Decimal::ZERO;
    let mut too_long = Decimal::ZERO;
    let mut left_out: BTreeMap<(String, YearMonth, Option<Component>), Option<Decimal>> =
        BTreeMap::new();
    for (cell, observed_cost) in mapped.iter().zip(observed_costs) {
        let requests = known_requests(cell.totals);
        if let (Some(limit), Some(requests)) = (limit, requests) {
            let prompt = cell
                .totals
                .quantities
                .iter()
                .filter(|(c, _)| c.in_prompt())
                .try_fold(Decimal::ZERO, |sum, (_, q)| sum.checked_add(*q))
                .ok_or_else(overflow)?;
            if prompt.checked_div(requests).ok_or_else(overflow)? > limit {
                too_long = too_long.checked_add(requests).ok_or_else(overflow)?;
                let entry = left_out
                    .entry((cell.group.clone(), cell.key.month, None))
                    .or_insert(Some(Decimal::ZERO));
                *entry = entry.and_then(|r| r.checked_add(requests));
                continue;
            }
        }
        let priced = in_force(offer, cell.key.since);
        match price_cell(&priced, cell.totals, cell.service, &mut book, &cell.group) {
            Ok(amount) => {
                cost = cost.checked_add(amount).ok_or_else(overflow)?;
                observed = observed.checked_add(*observed_cost).ok_or_else(overflow)?;
            }
            Err(PriceError::Unpriced(component)) => {
                let entry = left_out
                    .entry((cell.group.clone(), cell.key.month, Some(component)))
                    .or_insert(Some(Decimal::ZERO));
                *entry = match (*entry, requests) {
                    (Some(sum), Some(r)) => sum.checked_add(r),
                    _ => None,
                };
            }
            Err(PriceError::Overflow) => return Err(overflow()),
        }
    }
    let mut notes: Vec<String> = book.finish().iter().filter_map(comparison_note).collect();
    notes.extend(changed_on(offer, days));
    if let Some(date) = offer.deprecated {
        notes.push(format!("deprecated from {date}"));
    }
    let model = catalog.model(&offer.model);
    Ok(Repriced {
        offer: offer.id.clone(),
        model_name: model.map_or_else(String::new, |m| m.name.clone()),
        weights: model.map_or(Weights::Closed, |m| m.weights),
        origin: model.map_or_else(String::new, |m| m.origin.clone()),
        cost,
        observed_cost: observed,
        saving: observed.checked_sub(cost).ok_or_else(overflow)?,
        multiple_of_cheapest: None,
        too_long_requests: too_long,
        left_out: left_out
            .into_iter()
            .map(|((group, month, unpriced), requests)| LeftOut {
                group,
                month,
                requests,
                unpriced,
            })
            .collect(),
        notes,
    })
}

#[cfg(test)]
mod tests;
