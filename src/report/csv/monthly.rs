//! `run --by month --format csv`: one row per scenario, plan and month with the plan's cost,
//! fixed and one-time costs included; with `--detail`, one row per workload too, and one for the
//! fixed and one-time costs, in the `part` column. Exact values.
//!
//! Rows whose `part` is `total` are the plan's months; the other parts of a month add up to it,
//! so a pivot table sums either the totals or the parts, never both.

use super::{Sheet, number, text};
use crate::estimate::Estimate;
use crate::report::table::monthly::month_parts;

pub(in crate::report) fn render(estimates: &[Estimate], detail: bool) -> String {
    super::in_memory(|out| {
        let mut sheet = Sheet::new(
            out,
            &["scenario", "plan", "month", "part", "cost", "currency"],
        )?;
        for estimate in estimates {
            let currency = &estimate.scenario.currency;
            for plan in &estimate.plans {
                for (index, month) in plan.monthly.iter().enumerate() {
                    let row = |part: &str, cost| {
                        [
                            text(&estimate.scenario.name),
                            text(&plan.id),
                            text(month.month.to_string()),
                            text(part.to_owned()),
                            number(cost),
                            text(currency),
                        ]
                    };
                    sheet.row(&row("total", month.cost))?;
                    if detail {
                        let (workloads, fixed) = month_parts(plan, index);
                        for (info, cost) in estimate.scenario.workloads.iter().zip(workloads) {
                            sheet.row(&row(&format!("workload:{}", info.id), cost))?;
                        }
                        sheet.row(&row("fixed_and_one_time", fixed))?;
                    }
                }
            }
        }
        sheet.finish()
    })
}
