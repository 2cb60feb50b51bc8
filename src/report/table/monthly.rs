//! `run --by month`: each plan's cost in every month of the horizon, and with `--detail` each
//! workload's share of it, a table per plan. The rows are shared with the Markdown renderer.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::{Text, new_table};
use crate::estimate::{Estimate, PlanEstimate};
use crate::money::format_money;
use crate::terminal::escape;

/// One month table: its title, header and rows.
pub(in crate::report) struct MonthTable {
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A plan's cost in month `index` by workload (in the scenario's order), then what its fixed
/// and one-time costs add: the month's cost less the workloads'.
pub(in crate::report) fn month_parts(plan: &PlanEstimate, index: usize) -> (Vec<Decimal>, Decimal) {
    let workloads: Vec<Decimal> = plan
        .workloads
        .iter()
        .map(|w| {
            w.routes
                .iter()
                .filter_map(|r| r.months.kept.get(index))
                .map(|m| m.cost)
                .sum()
        })
        .collect();
    let total = plan.monthly.get(index).map_or(Decimal::ZERO, |m| m.cost);
    let fixed = total - workloads.iter().copied().sum::<Decimal>();
    (workloads, fixed)
}

/// The month tables of an estimate: one with a column per plan, and with `detail` one per plan
/// with a column per workload, its fixed and one-time costs, and its total.
pub(in crate::report) fn month_tables(estimate: &Estimate, detail: bool) -> Vec<MonthTable> {
    let currency = &estimate.scenario.currency;
    let name = escape(&estimate.scenario.name);
    let Some(first) = estimate.plans.first() else {
        return Vec::new();
    };
    let months: Vec<String> = first.monthly.iter().map(|m| m.month.to_string()).collect();
    let mut header = vec!["Month".to_owned()];
    header.extend(estimate.plans.iter().map(|p| p.id.clone()));
    let rows = months
        .iter()
        .enumerate()
        .map(|(index, month)| {
            let mut row = vec![month.clone()];
            row.extend(estimate.plans.iter().map(|p| {
                p.monthly
                    .get(index)
                    .map_or_else(String::new, |m| format_money(m.cost, currency))
            }));
            row
        })
        .collect();
    let mut tables = vec![MonthTable {
        title: format!("Cost by month: {name} (fixed and one-time costs included)"),
        header,
        rows,
    }];
    if !detail {
        return tables;
    }
    for plan in &estimate.plans {
        let mut header = vec!["Month".to_owned()];
        header.extend(estimate.scenario.workloads.iter().map(|w| w.id.clone()));
        header.extend(["fixed and one-time".to_owned(), "Total".to_owned()]);
        let rows = months
            .iter()
            .enumerate()
            .map(|(index, month)| {
                let (workloads, fixed) = month_parts(plan, index);
                let mut row = vec![month.clone()];
                row.extend(workloads.iter().map(|c| format_money(*c, currency)));
                row.push(format_money(fixed, currency));
                row.push(
                    plan.monthly
                        .get(index)
                        .map_or_else(String::new, |m| format_money(m.cost, currency)),
                );
                row
            })
            .collect();
        tables.push(MonthTable {
            title: format!("Cost by month of `{}` by workload", plan.id),
            header,
            rows,
        });
    }
    tables
}

/// The month tables of every estimate as terminal text, each after a blank line.
pub(in crate::report) fn section(
    estimates: &[Estimate],
    detail: bool,
    screen: crate::terminal::screen::Screen,
) -> String {
    let mut out = Text::new(screen);
    for estimate in estimates {
        for month_table in month_tables(estimate, detail) {
            let header: Vec<&str> = month_table.header.iter().map(String::as_str).collect();
            let mut table = new_table(&header, 1);
            for row in month_table.rows {
                table.add_row(row);
            }
            let _ = write!(out, "\n{}\n", month_table.title);
            out.table(&table);
        }
    }
    out.finish()
}
