//! One self-contained HTML page for `run --format html`: the assumptions, the summary and
//! per-year tables, charts drawn as inline SVG, the sensitivity tornado when asked for, then the
//! notes and the sources of every price. No script, no external style sheet, font or image: the
//! file reads the same offline, attached to an email or opened years later.
//!
//! Every text that came from an input file goes through [`text`], which shows control characters
//! as escapes (see [`crate::terminal`]) and then escapes HTML's own characters. Amounts use the
//! display rounding of the other reports; the charts take their figures from
//! [`super::series`] and only draw them.

mod charts;

use std::fmt::Write as _;
use std::io::{self, Write};

use rust_decimal::Decimal;

use super::series;
use super::table::sensitivity::{FOOTER as SENSITIVITY_FOOTER, HEADER as SENSITIVITY_HEADER};
use super::table::yearly::year_tables;
use super::table::{SUMMARY_HEADER, note_text, payback_text, summary_cells};
use crate::component::Component;
use crate::estimate::sensitivity::Sensitivity;
use crate::estimate::{Estimate, PlanEstimate};
use crate::money::{format_average, format_count, format_money, format_percent, format_price};
use crate::terminal::escape;

const STYLE: &str = include_str!("html/style.css");

/// Writes the page for `estimates`, with the tornado of each scenario whose sensitivity is in
/// `sensitivities` (matched by position; none without `--sensitivity`).
///
/// # Errors
/// Whatever `out` returns.
pub(super) fn write(
    out: &mut dyn Write,
    estimates: &[Estimate],
    sensitivities: &[Sensitivity],
) -> io::Result<()> {
    let title = match estimates {
        [one] => format!("{}: costcalc", text(&one.scenario.name)),
        _ => "costcalc report".to_owned(),
    };
    let mut page = String::new();
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n"
    );
    for (index, estimate) in estimates.iter().enumerate() {
        scenario(&mut page, estimate, sensitivities.get(index))?;
    }
    page.push_str("</main>\n<footer>Made by costcalc. Amounts are rounded for display; the JSON and CSV reports carry the exact figures.</footer>\n</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

/// Text from a result made safe for HTML, in an element or in a quoted attribute: control
/// characters shown as escapes, then `&`, `<`, `>` and both quotes as character references.
fn text(raw: &str) -> String {
    let shown = escape(raw);
    let mut out = String::with_capacity(shown.len());
    for c in shown.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// A table; the columns in `numbers` are aligned right.
fn table(out: &mut String, header: &[&str], numbers: std::ops::Range<usize>, rows: &[Vec<String>]) {
    let class = |index: usize| {
        if numbers.contains(&index) {
            " class=\"num\""
        } else {
            ""
        }
    };
    out.push_str("<div class=\"scroll\"><table>\n<thead><tr>");
    for (index, cell) in header.iter().enumerate() {
        let _ = write!(out, "<th{}>{}</th>", class(index), text(cell));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (index, cell) in row.iter().enumerate() {
            let _ = write!(out, "<td{}>{}</td>", class(index), text(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
}

/// A chart under its caption and a note on what it leaves out; `svg` comes from plotters, which
/// escapes what it writes.
fn figure(out: &mut String, caption: &str, note: &str, svg: &str) {
    let note = if note.is_empty() {
        String::new()
    } else {
        format!("<p class=\"small\">{}</p>\n", text(note))
    };
    let _ = write!(
        out,
        "<figure>\n<figcaption>{}</figcaption>\n{note}{}</figure>\n",
        text(caption),
        svg.replacen(
            "<svg ",
            &format!(
                "<svg class=\"chart\" role=\"img\" aria-label=\"{}\" ",
                text(caption)
            ),
            1
        )
    );
}

fn scenario(
    out: &mut String,
    estimate: &Estimate,
    sensitivity: Option<&Sensitivity>,
) -> io::Result<()> {
    let info = &estimate.scenario;
    let currency = &info.currency;
    out.push_str("<section class=\"scenario\">\n");
    let _ = writeln!(out, "<h1>{}</h1>", text(&info.name));
    if let Some(description) = &info.description {
        let _ = writeln!(out, "<p>{}</p>", text(description));
    }
    let _ = writeln!(
        out,
        "<p class=\"meta\"><code>{}</code>: {} to {} ({}), amounts in {}</p>",
        text(&info.path),
        info.start,
        info.end,
        crate::calendar::months_text(info.months),
        text(currency)
    );
    assumptions(out, estimate);

    out.push_str("<h2>Summary</h2>\n");
    let rows: Vec<Vec<String>> = estimate
        .plans
        .iter()
        .map(|plan| summary_cells(plan, currency).to_vec())
        .collect();
    // As in the terminal table, a first year shorter than twelve months says so.
    let year_one = match estimate.plans.first().and_then(|p| p.years.first()) {
        Some(year) if year.months != 12 => {
            format!("Year 1 ({})", crate::calendar::months_text(year.months))
        }
        _ => "Year 1".to_owned(),
    };
    let mut header = SUMMARY_HEADER;
    header[1] = &year_one;
    table(out, &header, 1..header.len(), &rows);
    for year_table in year_tables(estimate) {
        let _ = writeln!(out, "<h3>{}</h3>", text(&year_table.title));
        let header: Vec<&str> = year_table.header.iter().map(String::as_str).collect();
        table(out, &header, 2..header.len(), &year_table.rows);
    }

    out.push_str("<h2>Charts</h2>\n");
    figure(
        out,
        "Cumulative spend per plan, month by month",
        "Fixed costs included; the one-time cost falls in the first month.",
        &charts::cumulative(&series::cumulative(estimate), currency)?,
    );
    figure(
        out,
        "Cost per workload per plan over the horizon",
        "",
        &charts::stacked(&series::workloads(estimate), currency, "Workloads")?,
    );
    figure(
        out,
        "Token charges per plan by the country where requests are processed",
        "Fixed and one-time costs are billed by no provider and left out.",
        &charts::stacked(&series::countries(estimate), currency, "Processed in")?,
    );
    if let Some(result) = sensitivity {
        sensitivity_section(out, result)?;
    }
    notes_and_sources(out, estimate);
    out.push_str("</section>\n");
    Ok(())
}

/// What the estimate rests on: each workload's volume and average request, each plan's routes
/// and fixed costs.
fn assumptions(out: &mut String, estimate: &Estimate) {
    let info = &estimate.scenario;
    let currency = &info.currency;
    out.push_str("<h2>Assumptions</h2>\n");
    let rows: Vec<Vec<String>> = info
        .workloads
        .iter()
        .enumerate()
        .map(|(index, workload)| {
            let request = estimate
                .plans
                .first()
                .and_then(|plan| plan.workloads.get(index))
                .and_then(|w| w.routes.first())
                .map(|route| route.per_request);
            let name = if workload.name == workload.id {
                workload.id.clone()
            } else {
                format!("{} ({})", workload.name, workload.id)
            };
            vec![
                name,
                workload
                    .months
                    .first()
                    .map_or_else(|| "-".to_owned(), |r| format_count(*r)),
                workload
                    .months
                    .last()
                    .map_or_else(|| "-".to_owned(), |r| format_count(*r)),
                format_count(workload.requests),
                request.map_or_else(|| "-".to_owned(), |r| format_average(r.prompt_tokens())),
                request.map_or_else(|| "-".to_owned(), |r| format_average(r.generated_tokens())),
            ]
        })
        .collect();
    table(
        out,
        &[
            "Workload",
            "Requests, first month",
            "Requests, last month",
            "Requests over the horizon",
            "Prompt tokens a request",
            "Generated tokens a request",
        ],
        1..6,
        &rows,
    );
    let rows: Vec<Vec<String>> = estimate
        .plans
        .iter()
        .map(|plan| {
            vec![
                plan_label(plan),
                routes_text(plan),
                format_money(plan.one_time_cost, currency),
                format_money(plan.monthly_fixed_cost, currency),
            ]
        })
        .collect();
    table(
        out,
        &["Plan", "Routes", "One-time cost", "Fixed cost a month"],
        2..4,
        &rows,
    );
}

fn plan_label(plan: &PlanEstimate) -> String {
    let name = if plan.name == plan.id {
        plan.id.clone()
    } else {
        format!("{} ({})", plan.name, plan.id)
    };
    if plan.baseline {
        format!("{name}, baseline")
    } else {
        name
    }
}

/// `chat: 85% gpt-oss-120b@deepinfra, 15% gpt-5.4@openai; docs: ...`.
fn routes_text(plan: &PlanEstimate) -> String {
    plan.workloads
        .iter()
        .map(|workload| {
            let routes: Vec<String> = workload
                .routes
                .iter()
                .map(|route| {
                    format!(
                        "{} {}",
                        format_percent(route.share.get() * Decimal::ONE_HUNDRED),
                        route.offer
                    )
                })
                .collect();
            format!("{}: {}", workload.id, routes.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Each plan's tornado chart and table, with what the columns mean.
fn sensitivity_section(out: &mut String, result: &Sensitivity) -> io::Result<()> {
    use super::table::sensitivity::{rows, title};
    out.push_str("<h2>What the savings depend on</h2>\n");
    if result.plans.is_empty() {
        out.push_str("<p>No plan besides the baseline.</p>\n");
        return Ok(());
    }
    // The table's text bar (column 6) is drawn as a chart here.
    let keep = |row: &[String]| -> Vec<String> {
        row.iter()
            .enumerate()
            .filter(|(index, _)| *index != 6)
            .map(|(_, cell)| cell.clone())
            .collect()
    };
    let header: Vec<String> = keep(&SENSITIVITY_HEADER.map(str::to_owned));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    for (plan, tornado) in result.plans.iter().zip(series::tornadoes(result)) {
        let caption = title(result, plan).replace('`', "");
        figure(
            out,
            &caption,
            "Each bar: the horizon savings with one assumption moved to either end of its range, \
             the others at their base values; largest swing on top.",
            &charts::tornado(&tornado, &result.currency)?,
        );
        let rows: Vec<Vec<String>> = rows(result, plan).iter().map(|r| keep(r)).collect();
        table(out, &header, 1..header.len() - 1, &rows);
    }
    let _ = writeln!(
        out,
        "<p class=\"small\">{}</p>",
        text(&SENSITIVITY_FOOTER.replace('\n', " "))
    );
    Ok(())
}

/// The notes, then the price of every offer used with where and when it was read.
fn notes_and_sources(out: &mut String, estimate: &Estimate) {
    let currency = &estimate.scenario.currency;
    if !estimate.notes.is_empty() {
        out.push_str("<h2>Notes</h2>\n<ul>\n");
        for note in &estimate.notes {
            let _ = writeln!(out, "<li>{}</li>", text(&note_text(note, currency)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<h2>Sources</h2>\n<p>Prices per 1M tokens, in each offer's currency, with the date each was read.</p>\n");
    out.push_str(
        "<div class=\"scroll\"><table>\n<thead><tr><th>Offer</th><th>Model</th><th>Provider</th>\
         <th class=\"num\">Input</th><th class=\"num\">Output</th><th>As of</th><th>Source</th>\
         </tr></thead>\n<tbody>\n",
    );
    for offer in &estimate.offers {
        let price = |component: Component| {
            offer.prices[component]
                .map_or_else(|| "-".to_owned(), |p| format_price(p, &offer.currency))
        };
        let mut source = link(&offer.source);
        if let Some(file) = &offer.overridden_by {
            let _ = write!(source, "; negotiated: overridden by {}", text(file));
        }
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{} ({})</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td>{}</td><td>{source}</td></tr>",
            text(&offer.id),
            text(&offer.model_name),
            text(&offer.provider_name),
            text(&offer.provider_country),
            text(&price(Component::Input)),
            text(&price(Component::Output)),
            offer.as_of,
        );
    }
    out.push_str("</tbody>\n</table></div>\n");
    let payback_terms = [
        payback_text(crate::estimate::Payback::NotNeeded),
        payback_text(crate::estimate::Payback::BeyondHorizon),
    ];
    let _ = writeln!(
        out,
        "<p class=\"small\">Payback: months until the savings have paid for the one-time cost; \
         \"{}\" when there is none to pay back, \"{}\" when the plan still trails at the end but saves in its last month.</p>",
        text(&payback_terms[0]),
        text(&payback_terms[1])
    );
}

/// A source as a link when it is a web address, as text otherwise (a contract's name).
fn link(source: &str) -> String {
    let is_web = (source.starts_with("https://") || source.starts_with("http://"))
        && !source.chars().any(char::is_whitespace);
    if is_web {
        format!("<a href=\"{0}\">{0}</a>", text(source))
    } else {
        text(source)
    }
}

#[cfg(test)]
mod tests;
