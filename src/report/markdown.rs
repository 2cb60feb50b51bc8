//! GitHub-flavoured Markdown, fit for a pull-request comment: the summary and per-workload tables,
//! then the notes as a list. Amounts rounded for display like the terminal tables.

mod mermaid;
pub(super) mod monthly;
pub(super) mod sensitivity;
#[cfg(test)]
mod tests;
mod yearly;

use std::borrow::Cow;
use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::table::{
    EXPOSURE_TITLE, HOSTS_HEADER, HOSTS_TITLE, SUMMARY_HEADER, also_text, exposure_rows,
    hosts_rows, listing_heading, note_text, policy_cost_rows, policy_cost_title, policy_lines,
    quote_footer, summary_cells, unpriced_lines,
};
use super::weights_text;
use crate::component::Component;
use crate::estimate::Estimate;
use crate::estimate::query::{Listing, Quotes};
use crate::money::{
    format_count, format_money, format_money_fine, format_multiple, format_percent, format_price,
};
use crate::terminal::escape;

/// `markdown` with `<`, `>` and `&` written as character references outside code spans, so that
/// a name such as `<b>x</b>`, `<img src=x>` or `<!-- -->` is shown as it is written instead of
/// being read as inline HTML. Code spans are found as GitHub finds them (a run of backticks up to
/// the next run of the same length in the same paragraph; a backslash before punctuation keeps
/// it literal), and left alone, since GitHub shows their text literally and would show a
/// reference as typed. `markdown` is one inline context: a heading, a list item, a table cell
/// or a paragraph; every Markdown renderer passes the text it writes from input files through
/// here, and writes its own HTML (`<sub>`, `<details>`) around it.
pub(super) fn text(markdown: &str) -> Cow<'_, str> {
    if !markdown.contains(['<', '>', '&']) {
        return Cow::Borrowed(markdown);
    }
    let mut out = String::with_capacity(markdown.len() + 8);
    let mut rest = markdown;
    while let Some(c) = rest.chars().next() {
        match c {
            '\\' if rest[1..].starts_with(|n: char| n.is_ascii_punctuation()) => {
                // The punctuation after a backslash is literal: copy both as they are, so that
                // an escaped backtick opens no code span.
                let end = 1 + rest[1..].chars().next().map_or(0, char::len_utf8);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            '`' => {
                let run = rest.len() - rest.trim_start_matches('`').len();
                let end = closing_run(&rest[run..], run).map_or(run, |close| run + close + run);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            _ => {
                match c {
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '&' => out.push_str("&amp;"),
                    _ => out.push(c),
                }
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    Cow::Owned(out)
}

/// Where in `after` a run of exactly `length` backticks starts, before any blank line (which
/// ends the paragraph and so the code span).
fn closing_run(after: &str, length: usize) -> Option<usize> {
    let paragraph = after
        .match_indices('\n')
        .map(|(i, _)| i)
        .find(|&i| {
            after[i + 1..]
                .lines()
                .next()
                .is_some_and(|line| line.trim().is_empty())
        })
        .unwrap_or(after.len());
    let mut index = 0;
    while let Some(start) = after[index..paragraph].find('`') {
        let start = index + start;
        let run =
            after[start..paragraph].len() - after[start..paragraph].trim_start_matches('`').len();
        if run == length {
            return Some(start);
        }
        index = start + run;
    }
    None
}

/// A Markdown table; control characters in a cell are escaped (line breaks and carriage returns
/// included, see [`crate::terminal`]) and `|` becomes `\|`, so a cell cannot split the row or the
/// table. Columns in `right_aligned` (numbers) are aligned right. Every Markdown report's
/// tables are written here.
pub(super) fn table(
    out: &mut String,
    header: &[&str],
    right_aligned: std::ops::Range<usize>,
    rows: &[Vec<String>],
) {
    let cell_text = |cell: &str| text(&escape(cell).replace('|', "\\|")).into_owned();
    let _ = writeln!(
        out,
        "| {} |",
        header
            .iter()
            .map(|h| cell_text(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let rule: Vec<&str> = (0..header.len())
        .map(|i| {
            if right_aligned.contains(&i) {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    let _ = writeln!(out, "| {} |", rule.join(" | "));
    for row in rows {
        let _ = writeln!(
            out,
            "| {} |",
            row.iter()
                .map(|c| cell_text(c))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
}

/// The run report; with `mermaid`, a chart of each plan's cost by year after the yearly tables.
pub fn run(estimates: &[Estimate], mermaid: bool) -> String {
    let mut out = String::new();
    for (i, estimate) in estimates.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        scenario(&mut out, estimate, mermaid);
    }
    out
}

fn scenario(out: &mut String, estimate: &Estimate, mermaid: bool) {
    let info = &estimate.scenario;
    let currency = &info.currency;
    let _ = writeln!(out, "### {}\n", text(&escape(&info.name)));
    let _ = writeln!(
        out,
        "{}\n",
        text(&format!(
            "`{}`: {} to {} ({}), amounts in {}",
            info.path,
            info.start,
            info.end,
            crate::calendar::months_text(info.months),
            currency
        ))
    );
    let rows: Vec<Vec<String>> = estimate
        .plans
        .iter()
        .map(|plan| summary_cells(plan, currency).to_vec())
        .collect();
    table(out, &SUMMARY_HEADER, 1..SUMMARY_HEADER.len(), &rows);
    out.push_str(&yearly::section(estimate));
    if mermaid {
        out.push_str(&mermaid::section(estimate));
    }

    let _ = writeln!(out, "\n**Cost per workload over the horizon**\n");
    let mut header = vec!["Workload"];
    header.extend(estimate.plans.iter().map(|p| p.id.as_str()));
    let mut rows: Vec<Vec<String>> = info
        .workloads
        .iter()
        .enumerate()
        .map(|(index, workload)| {
            let mut row = vec![workload.id.clone()];
            row.extend(
                estimate
                    .plans
                    .iter()
                    .map(|p| format_money(p.workloads[index].cost, currency)),
            );
            row
        })
        .collect();
    // As in the terminal table, each column adds up to the plan's horizon total.
    let fixed: Vec<Decimal> = estimate
        .plans
        .iter()
        .map(|p| p.total_cost - p.usage_cost)
        .collect();
    if fixed.iter().any(|f| !f.is_zero()) {
        let mut row = vec!["fixed and one-time costs".to_owned()];
        row.extend(fixed.iter().map(|f| format_money(*f, currency)));
        rows.push(row);
    }
    let mut row = vec!["**total**".to_owned()];
    row.extend(
        estimate
            .plans
            .iter()
            .map(|p| format!("**{}**", format_money(p.total_cost, currency))),
    );
    rows.push(row);
    table(out, &header, 1..header.len(), &rows);

    deployments(out, estimate);
    exposure_sections(out, estimate);
    if !estimate.notes.is_empty() {
        let _ = writeln!(out, "\n**Notes**\n");
        for note in &estimate.notes {
            let _ = writeln!(out, "- {}", text(&note_text(note, currency)));
        }
    }
    let _ = writeln!(
        out,
        "\n<sub>Prices per 1M tokens, with the date each was read:</sub>\n"
    );
    for offer in &estimate.offers {
        let line = format!(
            "- `{}`: input {}, output {} (as of {}, {})",
            offer.id,
            offer.prices[Component::Input]
                .map_or_else(|| "-".to_owned(), |p| format_price(p, &offer.currency)),
            offer.prices[Component::Output]
                .map_or_else(|| "-".to_owned(), |p| format_price(p, &offer.currency)),
            offer.as_of,
            offer.overridden_by.as_ref().map_or_else(
                || offer.source.clone(),
                |file| format!("{}; negotiated: overridden by {file}", offer.source)
            )
        );
        let _ = writeln!(out, "{}", text(&line));
    }
}

/// The self-hosted deployments of every plan, if any.
fn deployments(out: &mut String, estimate: &Estimate) {
    let currency = &estimate.scenario.currency;
    let deployments: Vec<Vec<String>> = estimate
        .plans
        .iter()
        .flat_map(|plan| plan.deployments.iter().map(move |d| (plan, d)))
        .map(|(plan, d)| {
            vec![
                plan.id.clone(),
                format!("`{}`", d.id),
                format!("{} x {}", d.gpus_per_replica, d.gpu_name),
                d.max_replicas.to_string(),
                d.average_utilization().map_or_else(
                    || "-".to_owned(),
                    |u| format_percent(u * Decimal::ONE_HUNDRED),
                ),
                format_money(d.cost, currency),
                d.cost_per_mtok
                    .map_or_else(|| "-".to_owned(), |c| format_money(c, currency)),
            ]
        })
        .collect();
    if !deployments.is_empty() {
        let _ = writeln!(out, "\n**Self-hosted deployments** (priced by capacity)\n");
        table(
            out,
            &[
                "Plan",
                "Deployment",
                "GPUs per replica",
                "Replicas (max)",
                "Utilisation (avg)",
                "Cost",
                "Per 1M tokens",
            ],
            3..7,
            &deployments,
        );
    }
}

pub fn models(listing: &Listing) -> String {
    let mut out = format!("{}\n\n", text(&listing_heading(listing)));
    let cells: Vec<Vec<String>> = listing
        .offers
        .iter()
        .map(|row| {
            vec![
                format!("`{}`", row.offer),
                row.model_name.clone(),
                weights_text(row.weights).to_owned(),
                row.origin.clone(),
                format_price(row.input_per_mtok, &row.currency),
                format_price(row.output_per_mtok, &row.currency),
                row.cached_input_per_mtok
                    .map_or_else(|| "-".to_owned(), |p| format_price(p, &row.currency)),
                row.input_limit
                    .map_or_else(|| "?".to_owned(), |l| format_count(Decimal::from(l))),
                row.as_of.to_string(),
                also_text(row),
            ]
        })
        .collect();
    table(
        &mut out,
        &[
            "Offer",
            "Model",
            "Weights",
            "Origin",
            "Input",
            "Output",
            "Cached",
            "Max input",
            "As of",
            "Also",
        ],
        4..8,
        &cells,
    );
    out
}

pub fn quotes(quotes: &Quotes) -> String {
    let mut out = String::new();
    let cells: Vec<Vec<String>> = quotes
        .quotes
        .iter()
        .map(|quote| {
            vec![
                format!("`{}`", quote.offer),
                weights_text(quote.weights).to_owned(),
                quote.origin.clone(),
                format_money_fine(quote.per_request.total, &quote.currency),
                format_money_fine(quote.total, &quote.currency),
                quote
                    .multiple_of_cheapest
                    .map_or_else(|| "-".to_owned(), format_multiple),
                quote_notes(quote),
            ]
        })
        .collect();
    table(
        &mut out,
        &[
            "Offer",
            "Weights",
            "Origin",
            "Per request",
            "Total",
            "x cheapest",
            "Notes",
        ],
        3..6,
        &cells,
    );
    let footer = quote_footer(quotes);
    if !footer.is_empty() {
        out.push('\n');
        for line in footer {
            let _ = writeln!(out, "{}\n", text(&line));
        }
        out.pop();
    }
    out
}

fn quote_notes(quote: &crate::estimate::query::Quote) -> String {
    let mut notes = quote.notes.clone();
    if quote.stale {
        notes.push(format!("price checked {}", quote.as_of));
    }
    notes.join("; ")
}

/// The exposure, route hosts and policy sections, as in the terminal tables.
fn exposure_sections(out: &mut String, estimate: &Estimate) {
    let (header, rows) = exposure_rows(estimate);
    let _ = writeln!(out, "\n**{EXPOSURE_TITLE}**\n");
    table(out, &header, 4..header.len(), &rows);
    let _ = writeln!(out, "\n**{HOSTS_TITLE}**\n");
    table(
        out,
        &HOSTS_HEADER,
        4..HOSTS_HEADER.len(),
        &hosts_rows(estimate),
    );
    let unpriced = unpriced_lines(estimate);
    if !unpriced.is_empty() {
        out.push('\n');
        for line in unpriced {
            let _ = writeln!(out, "- {}", text(&line));
        }
    }
    if let Some(cost) = &estimate.policy_cost {
        let _ = writeln!(out, "\n**Policy**\n");
        for line in policy_lines(estimate) {
            let _ = writeln!(out, "- {}", text(&line));
        }
        let _ = writeln!(out, "\n**{}**\n", text(&policy_cost_title(cost)));
        if let Some((header, rows)) = policy_cost_rows(cost, &estimate.scenario.currency) {
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            table(out, &header, 1..header.len(), &rows);
        }
    }
}
