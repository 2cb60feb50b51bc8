//! `run --format markdown --mermaid`: a Mermaid `xychart-beta` block of each plan's cost by
//! year, which GitHub draws where the Markdown is shown. Mermaid's charts have no legend, so the
//! colours are set and named in a line under the block.
//!
//! Over two years or more, a line per plan across the years; over one year or less, a bar per
//! plan. Amounts are rounded to cents, as the tables show them; names are written in quoted
//! strings, with control characters escaped and double quotes made single, so that no name can
//! end a string or the block.

use std::fmt::Write as _;

use crate::calendar::months_text;
use crate::estimate::Estimate;
use crate::money::round_for_display;
use crate::terminal::escape;

/// The colours of the lines, in plan order and then again: those of the HTML report's charts.
const PALETTE: [(&str, &str); 10] = [
    ("#4E79A7", "blue"),
    ("#F28E2B", "orange"),
    ("#E15759", "red"),
    ("#76B7B2", "teal"),
    ("#59A14F", "green"),
    ("#EDC948", "yellow"),
    ("#B07AA1", "purple"),
    ("#FF9DA7", "pink"),
    ("#9C755F", "brown"),
    ("#BAB0AC", "grey"),
];

/// A Mermaid string: quoted, with nothing inside that could end it.
fn quoted(text: &str) -> String {
    format!("\"{}\"", escape(text).replace('"', "'"))
}

/// The block, after a blank line; empty for an estimate without plans.
pub(super) fn section(estimate: &Estimate) -> String {
    let Some(first) = estimate.plans.first() else {
        return String::new();
    };
    let currency = &estimate.scenario.currency;
    let mut out = String::new();
    let palette: Vec<&str> = PALETTE.iter().map(|(hex, _)| *hex).collect();
    let _ = write!(
        out,
        "\n```mermaid\n%%{{init: {{\"themeVariables\": {{\"xyChart\": {{\"plotColorPalette\": \"{}\"}}}}}}}}%%\nxychart-beta\n",
        palette.join(", ")
    );
    let amount = |cost| round_for_display(cost, 2).to_string();
    if first.years.len() < 2 {
        let _ = writeln!(
            out,
            "    title {}",
            quoted(&format!(
                "Cost over the horizon ({})",
                months_text(estimate.scenario.months)
            ))
        );
        let plans: Vec<String> = estimate.plans.iter().map(|p| quoted(&p.id)).collect();
        let _ = writeln!(out, "    x-axis [{}]", plans.join(", "));
        let _ = writeln!(out, "    y-axis {}", quoted(&format!("Cost ({currency})")));
        let costs: Vec<String> = estimate
            .plans
            .iter()
            .map(|p| amount(p.total_cost))
            .collect();
        let _ = writeln!(out, "    bar [{}]", costs.join(", "));
        out.push_str("```\n");
        return out;
    }
    let _ = writeln!(out, "    title {}", quoted("Cost per plan by year"));
    let years: Vec<String> = first
        .years
        .iter()
        .map(|year| {
            if year.months == 12 {
                quoted(&format!("Year {}", year.year))
            } else {
                quoted(&format!(
                    "Year {} ({})",
                    year.year,
                    months_text(year.months)
                ))
            }
        })
        .collect();
    let _ = writeln!(out, "    x-axis [{}]", years.join(", "));
    let _ = writeln!(out, "    y-axis {}", quoted(&format!("Cost ({currency})")));
    for plan in &estimate.plans {
        let costs: Vec<String> = plan.years.iter().map(|y| amount(y.cost)).collect();
        let _ = writeln!(out, "    line [{}]", costs.join(", "));
    }
    out.push_str("```\n\n");
    let legend: Vec<String> = estimate
        .plans
        .iter()
        .zip(PALETTE.iter().cycle())
        .map(|(plan, (_, name))| format!("{name}: `{}`", escape(&plan.id).replace('`', "'")))
        .collect();
    let _ = writeln!(out, "<sub>Lines: {}.</sub>", legend.join(", "));
    out
}
