//! Sums of usage records per group, provider, model, calendar month, batch and service tier.
//!
//! The aggregate holds one cell per key, never the records: its size grows with the number of
//! groups and months, not with the number of rows read. A month is cut further at each date a
//! price changes ([`Aggregate::split_at`]), so that every cell falls inside one price period and
//! is priced at the list in force on its days. Sums are checked; leaving the decimal
//! range is an [`Error::Overflow`] naming the figure.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::{Format, GroupBy, Tally, UsageRecord};
use crate::calendar::{Date, YearMonth};
use crate::component::PerComponent;
use crate::error::Error;

/// What records are summed under. Ordered by group, provider, model, month, the first day of
/// the price period inside the month, batch, tier.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellKey {
    /// The value of the grouping field (the model itself when grouping by model); `None` when
    /// the export does not carry the field.
    pub group: Option<String>,
    pub provider: Option<String>,
    pub model: String,
    pub month: YearMonth,
    /// The first day of the stretch of the month the cell covers: the month's first day, or
    /// the last price change date on or before the records' days. Any day of the stretch has
    /// the same prices in force.
    pub since: Date,
    pub batch: bool,
    pub service_tier: Option<String>,
}

/// The sums of one cell.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Totals {
    /// Disjoint quantities per component, as in [`UsageRecord::quantities`].
    pub quantities: PerComponent<Decimal>,
    /// The sum of the records that count requests; `None` if none does.
    pub requests: Option<Decimal>,
    /// The sum of the costs the records state; `None` if none states one.
    pub stated_cost: Option<Decimal>,
    /// Records summed.
    pub records: u64,
    /// Of those, records that count requests.
    pub records_with_requests: u64,
    /// Of those, records that state a cost.
    pub records_with_stated_cost: u64,
}

/// One cell: its key and sums.
pub type Cell<'a> = (&'a CellKey, &'a Totals);

/// Usage summed per cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aggregate {
    group_by: GroupBy,
    cells: BTreeMap<CellKey, Totals>,
    /// The days a price changes, in increasing order.
    breaks: Vec<Date>,
    format: Option<Format>,
    tally: Tally,
}

impl Aggregate {
    #[must_use]
    pub fn new(group_by: GroupBy) -> Self {
        Self {
            group_by,
            cells: BTreeMap::new(),
            breaks: Vec::new(),
            format: None,
            tally: Tally::default(),
        }
    }

    /// Cuts each month at these days (the days a price changes), so that no cell spans two
    /// price lists. Call before adding records.
    #[must_use]
    pub fn split_at(mut self, mut days: Vec<Date>) -> Self {
        days.sort_unstable();
        days.dedup();
        self.breaks = days;
        self
    }

    /// Adds one record to its cell.
    ///
    /// # Errors
    /// [`Error::Overflow`] when a sum leaves the decimal range; the aggregate is then unchanged.
    pub fn add(&mut self, record: UsageRecord) -> Result<(), Error> {
        let month = record.date.year_month();
        let since = self
            .breaks
            .partition_point(|day| *day <= record.date)
            .checked_sub(1)
            .map_or(month.first_day(), |i| self.breaks[i].max(month.first_day()));
        let key = CellKey {
            group: self.group_by.group_of(&record).map(str::to_owned),
            provider: record.provider,
            model: record.model,
            month,
            since,
            batch: record.batch,
            service_tier: record.service_tier,
        };
        let totals = match self.cells.get_mut(&key) {
            Some(totals) => totals,
            None => self.cells.entry(key.clone()).or_default(),
        };
        totals
            .add(&record.quantities, record.requests, record.stated_cost)
            .map_err(|what| Error::Overflow {
                what: format!(
                    "the {what} of model `{}` in {}",
                    key.model.escape_debug(),
                    key.month
                ),
            })
    }

    /// Records how the cells were read: the format and what was left out.
    pub fn finish(&mut self, format: Format, tally: Tally) {
        self.format = Some(format);
        self.tally = tally;
    }

    #[must_use]
    pub fn group_by(&self) -> GroupBy {
        self.group_by
    }

    /// The format read, once [`Aggregate::finish`] has run.
    #[must_use]
    pub fn format(&self) -> Option<Format> {
        self.format
    }

    #[must_use]
    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// Every cell in key order: group, provider, model, month, period, batch, tier.
    pub fn cells(&self) -> impl Iterator<Item = Cell<'_>> {
        self.cells.iter()
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}

impl Totals {
    /// Adds one record's figures, all or none; on overflow, the name of the figure.
    fn add(
        &mut self,
        quantities: &PerComponent<Decimal>,
        requests: Option<Decimal>,
        stated_cost: Option<Decimal>,
    ) -> Result<(), &'static str> {
        let mut sums = self.quantities;
        for (component, value) in quantities.iter() {
            if !value.is_zero() {
                sums[component] = sums[component].checked_add(*value).ok_or(component.key())?;
            }
        }
        let requests_sum = add_optional(self.requests, requests).map_err(|()| "requests")?;
        let stated_sum = add_optional(self.stated_cost, stated_cost).map_err(|()| "stated cost")?;
        self.quantities = sums;
        self.requests = requests_sum;
        self.stated_cost = stated_sum;
        self.records += 1;
        self.records_with_requests += u64::from(requests.is_some());
        self.records_with_stated_cost += u64::from(stated_cost.is_some());
        Ok(())
    }
}

/// `sum + value` where either may be absent; `Err` on overflow.
fn add_optional(sum: Option<Decimal>, value: Option<Decimal>) -> Result<Option<Decimal>, ()> {
    match (sum, value) {
        (sum, None) => Ok(sum),
        (None, Some(value)) => Ok(Some(value)),
        (Some(sum), Some(value)) => sum.checked_add(value).map(Some).ok_or(()),
    }
}
