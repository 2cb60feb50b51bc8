//! The per-year columns of the summary CSV: `year2_cost`, `year2_savings`,
//! `year2_cumulative_savings`, then year 3 and on, up to the longest horizon of the report.
//! Year 1 keeps its own columns, `year1_cost` and `year1_savings`, earlier in the row (its
//! cumulative savings are its savings); a plan whose horizon is shorter leaves the rest empty.

use super::{Cell, optional};
use crate::estimate::{Estimate, PlanEstimate};

/// The most years any scenario of the report has.
pub(super) fn most_years(estimates: &[Estimate]) -> usize {
    estimates
        .iter()
        .filter_map(|e| e.plans.first())
        .map(|p| p.years.len())
        .max()
        .unwrap_or(0)
}

/// The header of the columns for years 2 to `years`.
pub(super) fn columns(years: usize) -> Vec<String> {
    (2..=years)
        .flat_map(|year| {
            [
                format!("year{year}_cost"),
                format!("year{year}_savings"),
                format!("year{year}_cumulative_savings"),
            ]
        })
        .collect()
}

/// A plan's cells for years 2 to `years`, exact; empty for the baseline's savings and for years
/// past its horizon.
pub(super) fn cells(plan: &PlanEstimate, years: usize) -> Vec<Cell<'static>> {
    let cumulative = plan.cumulative_savings();
    (1..years)
        .flat_map(|index| match plan.years.get(index) {
            Some(year) => [
                optional(Some(year.cost)),
                optional(year.savings),
                optional(cumulative.get(index).copied().flatten()),
            ],
            None => [Cell::Empty, Cell::Empty, Cell::Empty],
        })
        .collect()
}
