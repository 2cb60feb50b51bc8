//! The `costcalc cheapest` report: the choice for each workload with the cheaper offers ruled
//! out and why, then the scenario's plans against the plan the choices make.

use std::io::Write;

use super::Format;
use super::layout::{Tone, signed_money};
use super::sections::{Section, json, write};
use crate::error::Error;
use crate::estimate::cheapest::{Cheapest, Reason};
use crate::money::format_money;
use crate::terminal::screen::Screen;

/// The version of the JSON cheapest report's shape (`schema/cheapest-report.schema.json`).
pub const SCHEMA_VERSION: u32 = 1;

/// Renders the report into a string, for the caller to send where it goes; tables are laid out
/// for `screen`.
///
/// # Errors
/// Only if the report cannot be written into memory.
pub fn render(cheapest: &Cheapest, format: Format, screen: Screen) -> Result<String, Error> {
    let mut bytes = Vec::new();
    write_into(&mut bytes, cheapest, format, screen).map_err(Error::Write)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Writes the report in `format` (JSON, Markdown, or tables for any other, laid out for
/// `screen`).
///
/// # Errors
/// A failed write.
pub fn write_into(
    out: &mut dyn Write,
    cheapest: &Cheapest,
    format: Format,
    screen: Screen,
) -> std::io::Result<()> {
    if format == Format::Json {
        return json(out, SCHEMA_VERSION, cheapest);
    }
    let currency = &cheapest.currency;
    let mut heading = vec![
        format!(
            "The cheapest way to serve each workload: {}",
            cheapest.scenario
        ),
        format!(
            "{}: {} to {}, amounts in {currency} over the horizon",
            cheapest.path, cheapest.start, cheapest.end
        ),
        if cheapest.policy {
            "Each choice takes the workload's requests (its largest prompt fits, everything they carry is priced) and meets the scenario's policy.".to_owned()
        } else {
            "Each choice takes the workload's requests (its largest prompt fits, everything they carry is priced); the scenario has no policy.".to_owned()
        },
    ];
    let unlimited: Vec<String> = cheapest
        .workloads
        .iter()
        .filter(|w| !w.candidates_only)
        .map(|w| format!("`{}`", w.workload))
        .collect();
    if !unlimited.is_empty() {
        heading.push(format!(
            "Quality is not considered for {}: any model in the catalog may be chosen. List the offers good enough for a workload with `candidates = [...]`.",
            unlimited.join(", ")
        ));
    }
    heading.push("A suggestion with its reasons, not a replacement for your plans.".to_owned());
    let (choices, ruled_out) = choice_sections(cheapest);
    write(
        out,
        &heading,
        &[choices, ruled_out, plans_section(cheapest)],
        format,
        screen,
    )
}

/// The choice for each workload, and the cheaper offers ruled out.
fn choice_sections(cheapest: &Cheapest) -> (Section, Section) {
    let currency = &cheapest.currency;
    let mut choices = Section {
        title: "Cheapest choice per workload".to_owned(),
        header: vec![
            "Workload",
            "Choice",
            "Cost",
            "Cheapest self-hosted",
            "Its cost",
        ],
        right_from: 2,
        // The self-hosted choice is an id, wrapped like the choice.
        left: vec![3],
        optional: vec![vec![3, 4]],
        ..Section::default()
    };
    let mut ruled_out = Section {
        title: "Cheaper offers ruled out".to_owned(),
        header: vec!["Workload", "Offer", "Why not", "Cost"],
        right_from: 3,
        ..Section::default()
    };
    for workload in &cheapest.workloads {
        let (choice, cost) = workload.choice.as_ref().map_or_else(
            || ("NONE: no offer can take it".to_owned(), "-".to_owned()),
            |c| (c.offer.clone(), format_money(c.cost, currency)),
        );
        let (hosted, hosted_cost) = workload.self_hosted.as_ref().map_or_else(
            || ("-".to_owned(), "-".to_owned()),
            |c| (c.offer.clone(), format_money(c.cost, currency)),
        );
        choices.rows.push(vec![
            if workload.candidates_only {
                format!("{} (candidates)", workload.workload)
            } else {
                workload.workload.clone()
            },
            choice,
            cost,
            hosted,
            hosted_cost,
        ]);
        if workload.choice.is_none() {
            choices.lines.push(format!(
                "NO OFFER can take workload `{}`{}: see the offers ruled out below",
                workload.workload,
                if cheapest.policy {
                    " under the policy"
                } else {
                    ""
                }
            ));
        }
        for out in &workload.ruled_out {
            ruled_out.rows.push(vec![
                workload.workload.clone(),
                out.offer.clone(),
                out.reasons
                    .iter()
                    .map(reason_text)
                    .collect::<Vec<_>>()
                    .join("; "),
                out.cost
                    .map_or_else(|| "-".to_owned(), |c| format_money(c, currency)),
            ]);
        }
    }
    if ruled_out.rows.is_empty() {
        ruled_out.header.clear();
        ruled_out
            .lines
            .push("None: nothing cheaper was ruled out.".to_owned());
    }
    (choices, ruled_out)
}

/// The scenario's plans against the cheapest choices.
fn plans_section(cheapest: &Cheapest) -> Section {
    let currency = &cheapest.currency;
    let mut plans = Section {
        title: "Your plans against the cheapest choices".to_owned(),
        header: vec!["Plan", "Total", "Above the cheapest"],
        right_from: 1,
        tones: vec![(2, Tone::Extra)],
        ..Section::default()
    };
    if cheapest.policy {
        plans.header.push("Policy");
    }
    plans.rows.push({
        let mut row = vec![
            "cheapest choices".to_owned(),
            cheapest
                .plan_cost
                .map_or_else(|| "-".to_owned(), |c| format_money(c, currency)),
            "-".to_owned(),
        ];
        if cheapest.policy {
            row.push(compliance(cheapest.plan_compliant));
        }
        row
    });
    for plan in &cheapest.plans {
        let mut row = vec![
            plan.plan.clone(),
            format_money(plan.total_cost, currency),
            plan.above_cheapest
                .map_or_else(|| "-".to_owned(), |d| signed_money(d, currency)),
        ];
        if cheapest.policy {
            row.push(compliance(plan.compliant));
        }
        plans.rows.push(row);
    }
    plans.lines.push(
        "The plans' totals include their one-time and monthly fixed costs; the cheapest choices have none, and a move to them would."
            .to_owned(),
    );
    if cheapest.policy {
        plans.lines.push("The choices meet the policy route by route; its cap on one provider's share is a rule on a whole plan, judged in the Policy column.".to_owned());
    }
    plans
}

fn compliance(compliant: Option<bool>) -> String {
    match compliant {
        Some(true) => "ok".to_owned(),
        Some(false) => "breaks it".to_owned(),
        None => "-".to_owned(),
    }
}

fn reason_text(reason: &Reason) -> String {
    match reason {
        Reason::Policy { rule, detail } => format!("policy `{rule}`: {detail}"),
        Reason::TooLong {
            prompt_tokens,
            limit,
        } => format!("too long: prompts of {prompt_tokens} tokens, at most {limit} accepted"),
        Reason::Unpriced { component } => format!("no `{component}` price"),
        Reason::NoRate { currency } => {
            format!("priced in {currency}, and the scenario has no rate for it")
        }
        Reason::Retired { date } => format!("retired on {date}"),
    }
}
