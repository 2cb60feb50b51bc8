//! `costcalc sensitivity` (and `run --sensitivity`) as terminal tables: per plan, a tornado
//! table of its savings at the low and high end of each assumption, largest swing first, with a
//! bar for the swing and the tipping point. The rows are shared with the Markdown renderer.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::{Text, Tone, new_table};
use crate::estimate::sensitivity::{Assumption, PlanSensitivity, Sensitivity};
use crate::money::{format_money, format_significant, round_for_display};

/// The widest bar, for the largest swing of a plan.
const BAR_WIDTH: u32 = 12;

pub(in crate::report) const HEADER: [&str; 10] = [
    "Assumption",
    "Low",
    "High",
    "Savings at low",
    "Savings at high",
    "Swing",
    "",
    "Year 1 at low",
    "Year 1 at high",
    "Savings reach zero at",
];

/// `volume`, `prices of openhost`, `EUR rate`.
pub(in crate::report) fn assumption_label(assumption: &Assumption) -> String {
    match assumption {
        Assumption::Volume => "volume".to_owned(),
        Assumption::Growth => "growth".to_owned(),
        Assumption::Prices { provider } => format!("prices of {provider}"),
        Assumption::ExchangeRate { currency } => format!("{currency} rate"),
        Assumption::CacheHitShare => "cache hit share".to_owned(),
        Assumption::Utilization => "utilisation".to_owned(),
    }
}

/// A multiple as a change (`-30%`, `+20%`) or points as points (`-10 pts`).
fn end_text(assumption: &Assumption, value: Decimal) -> String {
    let (number, unit) = if assumption.is_multiple() {
        ((value - Decimal::ONE) * Decimal::ONE_HUNDRED, "%")
    } else {
        (value * Decimal::ONE_HUNDRED, " pts")
    };
    let rounded = round_for_display(number, 1).normalize();
    let sign = if rounded > Decimal::ZERO { "+" } else { "" };
    format!("{sign}{rounded}{unit}")
}

/// The tipping point as a multiple (`x0.442`) or a shift (`+46.7 pts`); `none` if the savings
/// keep their sign over the whole range searched.
fn tipping_text(assumption: &Assumption, point: Option<Decimal>) -> String {
    match point {
        None => "none in range".to_owned(),
        Some(point) if assumption.is_multiple() => format!("x{}", format_significant(point, 3)),
        Some(point) => end_text(assumption, point),
    }
}

/// A bar as long as the swing is against the plan's largest.
fn bar(swing: Decimal, largest: Decimal) -> String {
    let cells = swing
        .checked_mul(Decimal::from(BAR_WIDTH))
        .and_then(|s| s.checked_div(largest))
        .map_or(0, |c| {
            u32::try_from(round_for_display(c, 0).mantissa()).unwrap_or(0)
        });
    "#".repeat(usize::try_from(cells.min(BAR_WIDTH)).unwrap_or(0))
}

/// A plan's title line: what it saves, or costs more than the baseline, over the horizon and
/// in year 1. A loss is said as one ("costs $2,178.35 more"), never as a negative saving.
pub(in crate::report) fn title(result: &Sensitivity, plan: &PlanSensitivity) -> String {
    let currency = &result.currency;
    let loses = |amount: Decimal| round_for_display(amount, 2) < Decimal::ZERO;
    let effect = |amount: Decimal| {
        if loses(amount) {
            format!("costs {} more", format_money(-amount, currency))
        } else {
            format!("saves {}", format_money(amount, currency))
        }
    };
    // Year 1 repeats only the amount when it goes the same way as the horizon.
    let year_one = if loses(plan.year_one_savings) == loses(plan.savings) {
        format_money(plan.year_one_savings.abs(), currency)
    } else {
        effect(plan.year_one_savings)
    };
    format!(
        "`{}` against `{}`: {} over {} ({year_one} in year 1) at the base values",
        plan.plan,
        result.baseline,
        effect(plan.savings),
        crate::calendar::months_text(result.months),
    )
}

/// A plan's rows, largest swing first.
pub(in crate::report) fn rows(result: &Sensitivity, plan: &PlanSensitivity) -> Vec<Vec<String>> {
    let currency = &result.currency;
    let largest = plan.assumptions.first().map_or(Decimal::ZERO, |s| s.swing);
    plan.assumptions
        .iter()
        .map(|s| {
            vec![
                assumption_label(&s.assumption),
                end_text(&s.assumption, s.low),
                end_text(&s.assumption, s.high),
                format_money(s.savings_low, currency),
                format_money(s.savings_high, currency),
                format_money(s.swing, currency),
                bar(s.swing, largest),
                format_money(s.year_one_low, currency),
                format_money(s.year_one_high, currency),
                tipping_text(&s.assumption, s.tipping_point),
            ]
        })
        .collect()
}

/// What the columns mean, under the tables.
pub(in crate::report) const FOOTER: &str = "Each assumption is moved alone to the ends of its range (the scenario's `[ranges]`) and the\n\
engine run again: volume, growth, prices and rates by a share of their value, the cache hit\n\
share and utilisation by points. \"Savings reach zero at\": the value nearest the base at which\n\
the plan's horizon savings change sign.";

pub(in crate::report) fn render(
    result: &Sensitivity,
    screen: crate::terminal::screen::Screen,
) -> String {
    let mut out = Text::new(screen);
    let _ = writeln!(out, "Sensitivity: {}", result.scenario);
    for plan in &result.plans {
        let mut table = new_table(&HEADER, 1);
        for row in rows(result, plan) {
            table.add_row(row);
        }
        table.align_left(6);
        // The bars have no heading; the line saying they were left out still names them.
        table.name(6, "Swing bar");
        for column in [3, 4, 7, 8] {
            table.tone(column, Tone::Savings);
        }
        // On a narrow screen the bar and year 1 go first: the horizon's savings and the
        // tipping point are what the table is for.
        table.optional(&[6, 8, 7]);
        let _ = write!(out, "\n{}\n", title(result, plan));
        out.table(&table);
    }
    if result.plans.is_empty() {
        let _ = write!(out, "\nNo plan besides the baseline.\n");
    } else {
        let _ = writeln!(out, "\n{FOOTER}");
    }
    out.finish()
}

#[cfg(test)]
mod tests;
