//! `costcalc sensitivity --format csv`: one row per plan and assumption, largest swing first,
//! exact. `low`, `high` and `tipping_point` are multiples of the base value for volume, growth,
//! prices and rates, and points added for the cache hit share and utilisation.

use super::{Sheet, number, optional, text};
use crate::estimate::sensitivity::Sensitivity;
use crate::report::table::sensitivity::assumption_label;

pub(in crate::report) fn render(result: &Sensitivity) -> String {
    super::in_memory(|out| {
        let mut sheet = Sheet::new(
            out,
            &[
                "scenario",
                "plan",
                "baseline",
                "assumption",
                "low",
                "high",
                "savings_low",
                "savings",
                "savings_high",
                "year1_savings_low",
                "year1_savings",
                "year1_savings_high",
                "swing",
                "tipping_point",
                "currency",
            ],
        )?;
        for plan in &result.plans {
            for s in &plan.assumptions {
                sheet.row(&[
                    text(&result.scenario),
                    text(&plan.plan),
                    text(&result.baseline),
                    text(assumption_label(&s.assumption)),
                    number(s.low),
                    number(s.high),
                    number(s.savings_low),
                    number(plan.savings),
                    number(s.savings_high),
                    number(s.year_one_low),
                    number(plan.year_one_savings),
                    number(s.year_one_high),
                    number(s.swing),
                    optional(s.tipping_point),
                    text(&result.currency),
                ])?;
            }
        }
        sheet.finish()
    })
}
