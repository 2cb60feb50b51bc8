//! Prices that change inside the horizon: an offer's dated changes and the scenario's trends,
//! as a schedule of periods over which the price is constant.
//!
//! The rules (the README's "Prices over time"):
//! - On each day the offer bills the list in force (its own prices before its first change,
//!   then each change's), times the factor of every trend that applies to it: a trend scales
//!   whatever list is in force, so a dated change and a trend combine by multiplication.
//! - A month's requests are spread evenly over its days, so a month in which the price changes
//!   is billed day-weighted: `requests x sum(days at price x price) / days in month`, with one
//!   division, last. A month at one price is `requests x price`, no division at all.
//!
//! An offer with no change and no trend has no schedule, and the engine prices it as before.

use rust_decimal::Decimal;

use super::request::{Overflow, add, div, mul};
use crate::calendar::{Date, YearMonth};
use crate::pricing::{Catalog, Offer};
use crate::scenario::trend::Trend;

/// A stretch of days at one price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Period {
    /// The first day.
    pub(crate) start: Date,
    /// The offer's change in force (`None`: its own prices).
    pub(crate) change: Option<usize>,
    /// The product of the trends' factors.
    pub(crate) factor: Decimal,
}

/// The periods of one offer over a horizon, in order, the first starting on its first day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Schedule {
    pub(crate) periods: Vec<Period>,
    /// The day after the horizon.
    pub(crate) end: Date,
}

impl Schedule {
    /// The schedule of `offer` from `start` to `end` (exclusive) under the trends that apply to
    /// it; `None` when nothing changes its price on any day of the horizon and it is priced at
    /// its own list, so the caller takes the plain path.
    ///
    /// # Errors
    /// [`Overflow`] if the trends' factors together leave the decimal range.
    pub(crate) fn of(
        catalog: &Catalog,
        offer: &Offer,
        trends: &[Trend],
        start: Date,
        end: Date,
    ) -> Result<Option<Schedule>, Overflow> {
        if offer.changes.is_empty() && trends.is_empty() {
            return Ok(None);
        }
        let applying: Vec<&Trend> = trends
            .iter()
            .filter(|t| t.applies_to(catalog, offer))
            .collect();
        if offer.changes.is_empty() && applying.is_empty() {
            return Ok(None);
        }
        let last = Date::from_days_since_epoch(end.days_since_epoch() - 1).unwrap_or(start);
        let mut days: Vec<Date> = vec![start];
        days.extend(
            offer
                .changes
                .iter()
                .map(|c| c.from)
                .filter(|d| *d > start && *d <= last),
        );
        for trend in &applying {
            days.extend(trend.steps_between(start, last));
        }
        days.sort_unstable();
        days.dedup();
        let mut periods: Vec<Period> = Vec::with_capacity(days.len());
        for day in days {
            let mut factor = Decimal::ONE;
            for trend in &applying {
                factor = mul(factor, trend.factor_on(day).ok_or(Overflow)?)?;
            }
            let period = Period {
                start: day,
                change: offer.change_in_force(day),
                factor,
            };
            if periods
                .last()
                .is_none_or(|p| (p.change, p.factor) != (period.change, period.factor))
            {
                periods.push(period);
            }
        }
        let flat =
            matches!(periods.as_slice(), [p] if p.change.is_none() && p.factor == Decimal::ONE);
        Ok((!flat).then_some(Schedule { periods, end }))
    }

    /// The changes the periods use, each once, in order of first use.
    pub(crate) fn changes(&self) -> Vec<Option<usize>> {
        let mut used = Vec::new();
        for period in &self.periods {
            if !used.contains(&period.change) {
                used.push(period.change);
            }
        }
        used
    }

    /// What `requests` spread evenly over `month` cost, where `price_of` gives one request's
    /// price under a period (its list's cost times its factor).
    ///
    /// # Errors
    /// [`Overflow`] if the cost leaves the decimal range.
    pub(crate) fn month_cost(
        &self,
        month: YearMonth,
        requests: Decimal,
        price_of: impl Fn(&Period) -> Result<Decimal, Overflow>,
    ) -> Result<Decimal, Overflow> {
        let first = month.first_day();
        let after = month.next().first_day().min(self.end);
        // The period in force on the month's first day, then every one starting inside it.
        let from = self
            .periods
            .partition_point(|p| p.start <= first)
            .saturating_sub(1);
        let inside: Vec<(&Period, i64)> = self.periods[from..]
            .iter()
            .enumerate()
            .take_while(|(_, p)| p.start < after)
            .map(|(i, p)| {
                let begins = p.start.max(first);
                let ends = self
                    .periods
                    .get(from + i + 1)
                    .map_or(after, |n| n.start.min(after));
                (p, begins.days_until(ends))
            })
            .collect();
        if let [(period, _)] = inside.as_slice() {
            return mul(requests, price_of(period)?);
        }
        let mut weighted = Decimal::ZERO;
        for (period, days) in inside {
            weighted = add(weighted, mul(Decimal::from(days), price_of(period)?)?)?;
        }
        div(
            mul(requests, weighted)?,
            Decimal::from(first.days_until(after)),
        )
    }
}

#[cfg(test)]
mod tests;
