//! The `usage` report in every format: per group, offer and month, the traffic and its cost at
//! list prices beside the cost the export states; then, with `--compare`, the same traffic at
//! each offer, cheapest first; then the notes. Tables and Markdown round to cents; CSV and JSON
//! carry exact values.

use std::fmt::{self, Write as _};

use rust_decimal::Decimal;
use serde::Serialize;

use super::layout::{Table, Text, Tone};
use super::table::note_text;
use super::{Format, weights_text};
use crate::component::{Component, PerComponent};
use crate::money::{format_count, format_money, round_for_display};
use crate::terminal::escape_lines_owned;
use crate::terminal::screen::Screen;
use crate::usage::price::{Comparison, GroupUsage, LeftOut, MonthUsage, UsageReport};

/// The version of the JSON shape in `schema/usage-report.schema.json`.
pub const SCHEMA_VERSION: u32 = 1;

/// Renders the report; text meant for people has control characters escaped, and tables are
/// laid out for `screen`.
#[must_use]
pub fn render(report: &UsageReport, format: Format, screen: Screen) -> String {
    match format {
        Format::Json => json(report),
        Format::Csv | Format::CsvLines => csv(report),
        // `usage` offers no HTML.
        Format::Table => text(report, Out::Terminal(Text::new(screen))),
        Format::Html => text(
            report,
            Out::Terminal(Text::new(Screen {
                color: false,
                ..screen
            })),
        ),
        Format::Markdown => text(report, Out::Markdown(String::new())),
    }
}

/// The components any month carries, besides the request count, in list order.
fn carried(report: &UsageReport) -> Vec<Component> {
    Component::ALL
        .into_iter()
        .filter(|c| *c != Component::Request)
        .filter(|c| {
            report
                .groups
                .iter()
                .flat_map(|g| &g.months)
                .any(|m| !m.tokens[*c].is_zero())
        })
        .collect()
}

fn money(amount: Decimal, currency: &str) -> String {
    format_money(amount, currency)
}

fn optional_money(amount: Option<Decimal>, currency: &str) -> String {
    amount.map_or_else(|| "-".to_owned(), |a| money(a, currency))
}

fn requests_text(requests: Option<Decimal>) -> String {
    requests.map_or_else(|| "?".to_owned(), format_count)
}

/// Every note, in words: `run`'s first, then what reading and pricing assumed.
fn note_lines(report: &UsageReport) -> Vec<String> {
    report
        .notes
        .iter()
        .map(|n| note_text(n, &report.currency))
        .chain(report.remarks.iter().cloned())
        .collect()
}

fn heading(report: &UsageReport) -> String {
    let span = match (report.first_day, report.last_day) {
        (Some(first), Some(last)) => format!(", {first} to {last}"),
        _ => String::new(),
    };
    format!(
        "Usage from {} export{span}, by {}, at list prices in {}",
        report.format, report.group_by, report.currency
    )
}

fn month_row(
    group: &GroupUsage,
    month: &MonthUsage,
    carried: &[Component],
    currency: &str,
) -> Vec<String> {
    let mut row = vec![
        group.group.clone(),
        group.offer.clone(),
        month.month.to_string(),
        requests_text(month.requests),
    ];
    row.extend(carried.iter().map(|c| format_count(month.tokens[*c])));
    row.extend([
        money(month.cost, currency),
        optional_money(month.stated_cost, currency),
        optional_money(month.difference, currency),
    ]);
    row
}

fn compare_rows(comparison: &Comparison, currency: &str) -> Vec<Vec<String>> {
    comparison
        .offers
        .iter()
        .map(|row| {
            let mut notes = row.notes.clone();
            if !row.left_out.is_empty() {
                notes.push(format!("cannot take: {}", left_out_text(&row.left_out)));
            }
            vec![
                row.offer.clone(),
                weights_text(row.weights).to_owned(),
                row.origin.clone(),
                money(row.cost, currency),
                row.multiple_of_cheapest.map_or_else(
                    || "-".to_owned(),
                    |m| format!("{:.2}x", round_for_display(m, 2)),
                ),
                money(row.saving, currency),
                notes.join("; "),
            ]
        })
        .collect()
}

fn left_out_text(left_out: &[LeftOut]) -> String {
    left_out
        .iter()
        .map(|l| {
            let why = l.unpriced.map_or_else(
                || "prompt longer than its input limit".to_owned(),
                |c| format!("no `{}` price", c.key()),
            );
            format!(
                "{} in {} ({} requests, {why})",
                l.group,
                l.month,
                requests_text(l.requests)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

const COMPARE_HEADER: [&str; 7] = [
    "Offer",
    "Weights",
    "Origin",
    "Cost",
    "x cheapest",
    "Saving",
    "Notes",
];

/// The columns of [`COMPARE_HEADER`] that hold numbers.
const COMPARE_NUMBERS: std::ops::Range<usize> = 3..6;

/// Where the text report goes: Markdown, or a terminal's tables and wrapped prose.
enum Out {
    Markdown(String),
    Terminal(Text<'static>),
}

impl fmt::Write for Out {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        match self {
            Self::Markdown(out) => out.write_str(text),
            Self::Terminal(out) => out.write_str(text),
        }
    }
}

impl Out {
    fn is_markdown(&self) -> bool {
        matches!(self, Self::Markdown(_))
    }

    /// A line of prose from input files: in Markdown, with HTML's characters written as
    /// references outside code spans (see [`super::markdown::text`]).
    fn line(&mut self, line: &str) {
        let _ = match self {
            Self::Markdown(out) => writeln!(out, "{}", super::markdown::text(line)),
            Self::Terminal(out) => writeln!(out, "{line}"),
        };
    }

    /// A table of `rows` whose `numbers` columns are aligned right; on a terminal, coloured by
    /// `tones`, fitted by leaving out `optional` columns, the first first, and cut into several
    /// that each repeat the first `keys` columns if still too wide.
    fn table(
        &mut self,
        header: &[&str],
        numbers: std::ops::Range<usize>,
        rows: &[Vec<String>],
        tones: &[(usize, Tone)],
        (optional, keys): (&[Vec<usize>], usize),
    ) {
        match self {
            Self::Markdown(out) => super::markdown::table(out, header, numbers, rows),
            Self::Terminal(out) => {
                let mut table = Table::new(header, numbers.start);
                for index in numbers.end..header.len() {
                    table.align_left(index);
                }
                for row in rows {
                    table.add_row(row.clone());
                }
                for (index, tone) in tones {
                    table.tone(*index, *tone);
                }
                let groups: Vec<&[usize]> = optional.iter().map(Vec::as_slice).collect();
                table.optional_together(&groups);
                table.keys(keys);
                out.table(&table);
            }
        }
    }

    fn finish(self) -> String {
        match self {
            Self::Markdown(out) => escape_lines_owned(out),
            Self::Terminal(out) => out.finish(),
        }
    }
}

/// The table (or Markdown) report.
fn text(report: &UsageReport, mut out: Out) -> String {
    let markdown = out.is_markdown();
    let currency = report.currency.as_str();
    let carried = carried(report);
    let mut header = vec!["Group", "Offer", "Month", "Requests"];
    header.extend(carried.iter().map(|c| c.label()));
    header.extend(["Cost", "Stated", "Difference"]);
    let rows: Vec<Vec<String>> = report
        .groups
        .iter()
        .flat_map(|g| g.months.iter().map(move |m| (g, m)))
        .map(|(g, m)| month_row(g, m, &carried, currency))
        .collect();
    out.line(&heading(report));
    if markdown {
        let _ = writeln!(out);
    }
    // On a narrow terminal the tokens go, cache, reasoning and the like first (the last
    // first), then the requests, then input and output together: the costs stay.
    let column = |c: &Component| 4 + carried.iter().position(|k| k == c).unwrap_or(0);
    let main = |c: &Component| matches!(c, Component::Input | Component::Output);
    let mut optional: Vec<Vec<usize>> = carried
        .iter()
        .rev()
        .filter(|c| !main(c))
        .map(|c| vec![column(c)])
        .collect();
    optional.push(vec![3]);
    optional.push(carried.iter().filter(|c| main(c)).map(column).collect());
    out.table(&header, 3..header.len(), &rows, &[], (&optional, 3));
    let _ = writeln!(
        out,
        "{}Total: {} for {} requests{}",
        if markdown { "\n" } else { "" },
        money(report.total_cost, currency),
        requests_text(report.requests),
        report
            .total_stated_cost
            .map_or_else(String::new, |stated| format!(
                "; the export states {} (difference {})",
                money(stated, currency),
                optional_money(stated.checked_sub(report.total_cost), currency)
            )),
    );
    if let Some(comparison) = &report.comparison {
        let _ = writeln!(
            out,
            "\nThe same traffic at each offer, cheapest first; the saving is against what that traffic cost at the offers it used"
        );
        if markdown {
            let _ = writeln!(out);
        }
        out.table(
            &COMPARE_HEADER,
            COMPARE_NUMBERS,
            &compare_rows(comparison, currency),
            &[(5, Tone::Savings)],
            (&[vec![2], vec![1]], 1),
        );
        for (what, offers) in [
            ("priced in another currency", &comparison.other_currency),
            ("retired by their provider", &comparison.retired),
        ] {
            if !offers.is_empty() {
                out.line(&format!("Not compared, {what}: {}", offers.join(", ")));
            }
        }
    }
    let notes = note_lines(report);
    if !notes.is_empty() {
        let _ = writeln!(out, "\nNotes");
        if markdown {
            let _ = writeln!(out);
        }
        for note in notes {
            out.line(&format!("- {note}"));
        }
    }
    out.finish()
}

/// CSV: one row per group, offer and month with every quantity; with `--compare`, one row per
/// offer instead.
fn csv(report: &UsageReport) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let exact = |d: Decimal| d.normalize().to_string();
    let optional = |d: Option<Decimal>| d.map_or_else(String::new, exact);
    let text = |t: &str| {
        if t.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{t}")
        } else {
            t.to_owned()
        }
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    if let Some(comparison) = &report.comparison {
        rows.push(
            [
                "offer",
                "weights",
                "origin",
                "currency",
                "cost",
                "observed_cost",
                "saving",
                "multiple_of_cheapest",
                "too_long_requests",
                "left_out",
            ]
            .map(str::to_owned)
            .to_vec(),
        );
        for row in &comparison.offers {
            rows.push(vec![
                text(&row.offer),
                weights_text(row.weights).to_owned(),
                text(&row.origin),
                report.currency.clone(),
                exact(row.cost),
                exact(row.observed_cost),
                exact(row.saving),
                optional(row.multiple_of_cheapest),
                exact(row.too_long_requests),
                text(&left_out_text(&row.left_out)),
            ]);
        }
    } else {
        let mut header: Vec<String> = ["group", "offer", "month", "currency"]
            .map(str::to_owned)
            .to_vec();
        header.extend(
            Component::ALL
                .iter()
                .map(|c| c.quantity_column().to_owned()),
        );
        header.extend(["cost", "stated_cost", "difference"].map(str::to_owned));
        rows.push(header);
        for group in &report.groups {
            for month in &group.months {
                let mut row = vec![
                    text(&group.group),
                    text(&group.offer),
                    month.month.to_string(),
                    report.currency.clone(),
                ];
                row.extend(Component::ALL.iter().map(|c| {
                    if *c == Component::Request {
                        optional(month.requests)
                    } else {
                        exact(month.tokens[*c])
                    }
                }));
                row.extend([
                    exact(month.cost),
                    optional(month.stated_cost),
                    optional(month.difference),
                ]);
                rows.push(row);
            }
        }
    }
    for row in rows {
        writer
            .write_record(row)
            .expect("writing to memory cannot fail");
    }
    let bytes = writer.into_inner().expect("flushing to memory cannot fail");
    String::from_utf8(bytes).expect("every cell is UTF-8")
}

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    format: &'a str,
    group_by: &'a str,
    currency: &'a str,
    first_day: Option<String>,
    last_day: Option<String>,
    groups: Vec<JsonGroup<'a>>,
    requests: Option<Decimal>,
    total_cost: Decimal,
    total_stated_cost: Option<Decimal>,
    notes: Vec<String>,
    comparison: Option<&'a Comparison>,
}

#[derive(Serialize)]
struct JsonGroup<'a> {
    group: &'a str,
    offer: &'a str,
    names: &'a [String],
    months: Vec<JsonMonth<'a>>,
    requests: Option<Decimal>,
    cost: Decimal,
    stated_cost: Option<Decimal>,
}

#[derive(Serialize)]
struct JsonMonth<'a> {
    month: String,
    requests: Option<Decimal>,
    tokens: &'a PerComponent<Decimal>,
    cost: Decimal,
    stated_cost: Option<Decimal>,
    difference: Option<Decimal>,
}

fn json(report: &UsageReport) -> String {
    let document = Document {
        schema_version: SCHEMA_VERSION,
        format: report.format,
        group_by: report.group_by,
        currency: &report.currency,
        first_day: report.first_day.map(|d| d.to_string()),
        last_day: report.last_day.map(|d| d.to_string()),
        groups: report
            .groups
            .iter()
            .map(|g| JsonGroup {
                group: &g.group,
                offer: &g.offer,
                names: &g.names,
                months: g
                    .months
                    .iter()
                    .map(|m| JsonMonth {
                        month: m.month.to_string(),
                        requests: m.requests,
                        tokens: &m.tokens,
                        cost: m.cost,
                        stated_cost: m.stated_cost,
                        difference: m.difference,
                    })
                    .collect(),
                requests: g.requests,
                cost: g.cost,
                stated_cost: g.stated_cost,
            })
            .collect(),
        requests: report.requests,
        total_cost: report.total_cost,
        total_stated_cost: report.total_stated_cost,
        notes: note_lines(report),
        comparison: report.comparison.as_ref(),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("reports serialize to JSON");
    text.push('\n');
    text
}
