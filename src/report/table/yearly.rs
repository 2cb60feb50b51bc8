//! The per-year table of a run report: each plan's cost, savings and cumulative savings in every
//! year of the horizon, then over the whole horizon.
//!
//! A year is a column, so a long horizon would make the table as wide as it is long: at most
//! [`YEARS_PER_TABLE`] years stand side by side, and later years continue in further tables
//! ("Years 6 to 10"). CSV and JSON carry every year in one row or array. A horizon of one year
//! (or less) has no such table: the summary already shows it.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::{Text, new_table, plan_label};
use crate::estimate::{Estimate, PlanEstimate, YearEstimate};
use crate::money::format_money;

/// The most years one terminal or Markdown table shows side by side.
pub(in crate::report) const YEARS_PER_TABLE: usize = 5;

/// One of the per-year tables: its title, header and rows, shared with the Markdown renderer.
pub(in crate::report) struct YearTable {
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// `Year 3`, or `Year 3 (6 months)` for a short last year.
fn year_heading(year: &YearEstimate) -> String {
    if year.months == 12 {
        format!("Year {}", year.year)
    } else {
        format!(
            "Year {} ({})",
            year.year,
            crate::calendar::months_text(year.months)
        )
    }
}

/// The per-year tables of an estimate; none for a horizon of one year or less.
pub(in crate::report) fn year_tables(estimate: &Estimate) -> Vec<YearTable> {
    let currency = &estimate.scenario.currency;
    let Some(first) = estimate.plans.first() else {
        return Vec::new();
    };
    let years = first.years.len();
    if years < 2 {
        return Vec::new();
    }
    let chunks: Vec<std::ops::Range<usize>> = (0..years)
        .step_by(YEARS_PER_TABLE)
        .map(|start| start..(start + YEARS_PER_TABLE).min(years))
        .collect();
    let count = chunks.len();
    chunks
        .into_iter()
        .enumerate()
        .map(|(index, range)| {
            let last = index + 1 == count;
            let title = if count == 1 {
                "Cost and savings by year (savings against the baseline; cumulative from the start)"
                    .to_owned()
            } else {
                format!(
                    "Cost and savings by year, years {} to {} of {years}",
                    range.start + 1,
                    range.end
                )
            };
            let mut header = vec!["Plan".to_owned(), "Figure".to_owned()];
            header.extend(first.years[range.clone()].iter().map(year_heading));
            if last {
                header.push("Horizon total".to_owned());
            }
            let rows = estimate
                .plans
                .iter()
                .flat_map(|plan| plan_rows(plan, range.clone(), last, currency))
                .collect();
            YearTable {
                title,
                header,
                rows,
            }
        })
        .collect()
}

/// The baseline's cost; for every other plan its cost, savings and cumulative savings.
fn plan_rows(
    plan: &PlanEstimate,
    range: std::ops::Range<usize>,
    with_total: bool,
    currency: &str,
) -> Vec<Vec<String>> {
    let money = |amount: Option<Decimal>| {
        amount.map_or_else(|| "-".to_owned(), |a| format_money(a, currency))
    };
    let years = &plan.years[range.clone()];
    let mut cost = vec![plan_label(plan), "cost".to_owned()];
    cost.extend(years.iter().map(|y| money(Some(y.cost))));
    if with_total {
        cost.push(money(Some(plan.total_cost)));
    }
    if plan.baseline {
        return vec![cost];
    }
    let mut savings = vec![String::new(), "savings".to_owned()];
    savings.extend(years.iter().map(|y| money(y.savings)));
    let mut cumulative = vec![String::new(), "cumulative savings".to_owned()];
    cumulative.extend(plan.cumulative_savings()[range].iter().map(|s| money(*s)));
    if with_total {
        savings.push(money(plan.savings));
        // The last year's cumulative savings are the horizon's: not repeated.
        cumulative.push(String::new());
    }
    vec![cost, savings, cumulative]
}

/// The per-year tables as terminal text, each after a blank line; nothing when there are none.
pub(super) fn section(out: &mut Text<'_>, estimate: &Estimate) {
    for year_table in year_tables(estimate) {
        let header: Vec<&str> = year_table.header.iter().map(String::as_str).collect();
        let mut table = new_table(&header, 2);
        for row in year_table.rows {
            table.add_row(row);
        }
        let _ = write!(out, "\n{}\n", year_table.title);
        out.table(&table);
    }
}
