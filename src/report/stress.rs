//! The `costcalc stress` report: for each loss, what each plan's traffic costs elsewhere and
//! what is stranded (loudly, and apart from the cost), then the exposure after the moves; with
//! `--lose-each`, each plan's providers ranked by the damage their loss does.

use std::io::Write;

use super::Format;
use super::layout::{Tone, signed_money};
use super::sections::{Section, json, percent, write};
use crate::error::Error;
use crate::estimate::stress::{Loss, MoveKind, Stress};
use crate::money::{format_count, format_money};
use crate::terminal::screen::Screen;

/// The version of the JSON stress report's shape (`schema/stress-report.schema.json`).
pub const SCHEMA_VERSION: u32 = 1;

/// Renders the report into a string, for the caller to send where it goes; tables are laid out
/// for `screen`.
///
/// # Errors
/// Only if the report cannot be written into memory.
pub fn render(stress: &Stress, format: Format, screen: Screen) -> Result<String, Error> {
    let mut bytes = Vec::new();
    write_into(&mut bytes, stress, format, screen).map_err(Error::Write)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Writes the report in `format` (JSON, Markdown, or tables for any other, laid out for
/// `screen`).
///
/// # Errors
/// A failed write.
pub fn write_into(
    out: &mut dyn Write,
    stress: &Stress,
    format: Format,
    screen: Screen,
) -> std::io::Result<()> {
    if format == Format::Json {
        return json(out, SCHEMA_VERSION, stress);
    }
    let currency = &stress.currency;
    let what = if stress.ranking.is_some() {
        "each provider the plans use, one at a time".to_owned()
    } else {
        stress.losses.first().map_or_else(String::new, loss_name)
    };
    let mut heading = vec![
        format!("Losing {what} from {}: {}", stress.from, stress.scenario),
        format!(
            "{}: {} to {}, amounts in {currency}; the first 12 months after the loss: {} to {} ({})",
            stress.path,
            stress.start,
            stress.end,
            stress.first_year.start,
            stress.first_year.end,
            crate::calendar::months_text(stress.first_year.months)
        ),
        if stress.policy {
            "A lost route moves to its first fallback not lost, else to the same model at the cheapest other host that is not lost and meets the scenario's policy, else its traffic is stranded.".to_owned()
        } else {
            "A lost route moves to its first fallback not lost, else to the same model at the cheapest other host that is not lost (the scenario has no policy), else its traffic is stranded.".to_owned()
        },
        "Stranded traffic goes unserved: its cost stops, which is not a saving, so it is shown apart and left out of the extra cost.".to_owned(),
    ];
    heading.extend(stress.notes.iter().map(|n| format!("note: {n}")));
    let mut sections = Vec::new();
    if let Some(ranking) = &stress.ranking {
        let mut section = Section {
            title: "Single points of failure: each plan's providers, worst loss first".to_owned(),
            header: vec![
                "Plan",
                "Provider lost",
                "Stranded traffic",
                "Stranded cost (not incurred)",
                "Extra cost",
                "Extra, first 12 months",
            ],
            right_from: 2,
            tones: vec![(4, Tone::Extra), (5, Tone::Extra)],
            optional: vec![vec![5]],
            ..Section::default()
        };
        for plan in ranking {
            for (i, damage) in plan.providers.iter().enumerate() {
                section.rows.push(vec![
                    if i == 0 {
                        plan.plan.clone()
                    } else {
                        String::new()
                    },
                    damage.provider.clone(),
                    percent(damage.stranded_traffic_share),
                    format_money(damage.stranded_cost, currency),
                    signed_money(damage.extra_cost, currency),
                    signed_money(damage.extra_cost_first_year, currency),
                ]);
            }
            section.lines.push(match (&plan.single_point_of_failure, plan.providers.first()) {
                (Some(provider), Some(worst)) => format!(
                    "plan `{}`: single point of failure `{provider}`: losing it strands {} of the plan's traffic",
                    plan.plan,
                    percent(worst.stranded_traffic_share)
                ),
                (None, Some(worst)) if worst.extra_cost > rust_decimal::Decimal::ZERO => format!(
                    "plan `{}`: survives the loss of any one provider; the costliest loss is `{}` ({} over the horizon)",
                    plan.plan,
                    worst.provider,
                    signed_money(worst.extra_cost, currency)
                ),
                (None, Some(_)) => format!(
                    "plan `{}`: survives the loss of any one provider at no extra cost: the hosts its traffic moves to cost no more",
                    plan.plan
                ),
                _ => format!("plan `{}`: uses no provider", plan.plan),
            });
        }
        sections.push(section);
        for loss in &stress.losses {
            stranded_section(&mut sections, loss, stress);
        }
    } else {
        for loss in &stress.losses {
            loss_sections(&mut sections, loss, stress);
        }
    }
    write(out, &heading, &sections, format, screen)
}

fn loss_name(loss: &Loss) -> String {
    let mut names: Vec<String> = loss.providers.iter().map(|p| format!("`{p}`")).collect();
    if !loss.countries.is_empty() {
        names.push(format!("every provider in {}", loss.countries.join(", ")));
    }
    names.join(" and ")
}

fn loss_sections(sections: &mut Vec<Section>, loss: &Loss, stress: &Stress) {
    let currency = &stress.currency;
    let name = loss_name(loss);
    let mut summary = Section {
        title: format!("Each plan after losing {name}"),
        header: vec![
            "Plan",
            "Extra cost",
            "Extra, first 12 months",
            "Stranded traffic",
            "Stranded cost (not incurred)",
            "Largest provider after",
            "HHI after",
        ],
        right_from: 1,
        tones: vec![(1, Tone::Extra), (2, Tone::Extra)],
        // The exposure after the loss goes first: the cost and what is stranded stay.
        optional: vec![vec![6], vec![5], vec![2]],
        ..Section::default()
    };
    if stress.policy {
        summary.header.push("Policy after");
    }
    for plan in &loss.plans {
        let exposure = &plan.exposure_after;
        let mut row = vec![
            if plan.baseline {
                format!("{} (baseline)", plan.plan)
            } else {
                plan.plan.clone()
            },
            signed_money(plan.extra_cost, currency),
            signed_money(plan.extra_cost_first_year, currency),
            if plan.stranded.is_empty() {
                "-".to_owned()
            } else {
                format!("STRANDED {}", percent(plan.stranded_traffic_share))
            },
            format_money(plan.stranded_cost, currency),
            exposure.by_provider.first().map_or_else(
                || "-".to_owned(),
                |s| format!("{} {}", s.id, percent(s.share)),
            ),
            exposure.hhi.map_or_else(|| "-".to_owned(), format_count),
        ];
        if stress.policy {
            row.push(match plan.compliant_after {
                Some(true) => "ok".to_owned(),
                Some(false) => "breaks it".to_owned(),
                None => "-".to_owned(),
            });
        }
        summary.rows.push(row);
    }
    sections.push(summary);
    stranded_section(sections, loss, stress);
    let mut moves = Section {
        title: format!(
            "Routes moved after losing {name} (cost from the loss to the end of the horizon)"
        ),
        header: vec![
            "Plan", "Workload", "From", "To", "By", "There", "Here", "Extra",
        ],
        right_from: 5,
        tones: vec![(7, Tone::Extra)],
        optional: vec![vec![5, 6]],
        ..Section::default()
    };
    for plan in &loss.plans {
        for moved in &plan.moves {
            moves.rows.push(vec![
                plan.plan.clone(),
                format!("{} ({})", moved.workload, percent(Some(moved.share.get()))),
                moved.offer.clone(),
                moved.to.clone(),
                match moved.by {
                    MoveKind::Fallback => "fallback".to_owned(),
                    MoveKind::OtherHost => "same model, other host".to_owned(),
                },
                format_money(moved.cost_before, currency),
                format_money(moved.cost_after, currency),
                signed_money(moved.extra_cost, currency),
            ]);
        }
    }
    if moves.rows.is_empty() {
        moves.header.clear();
        moves.lines.push("No route moved.".to_owned());
    }
    sections.push(moves);
}

/// Every stranded route of a loss, one line each, in capitals: it is the news of the report.
fn stranded_section(sections: &mut Vec<Section>, loss: &Loss, stress: &Stress) {
    let currency = &stress.currency;
    let mut lines = Vec::new();
    for plan in &loss.plans {
        for stranded in &plan.stranded {
            lines.push(format!(
                "STRANDED: plan `{}`, workload `{}` at `{}` ({} of the workload, {} of the plan's requests from {}): {} requests unserved; {} of cost no longer incurred, not a saving. {}",
                plan.plan,
                stranded.workload,
                stranded.offer,
                percent(Some(stranded.share.get())),
                percent(stranded.traffic_share),
                stress.from,
                format_count(stranded.requests),
                format_money(stranded.cost, currency),
                capitalised(&stranded.reason),
            ));
        }
    }
    if lines.is_empty() {
        if stress.ranking.is_some() {
            return;
        }
        lines.push("Nothing is stranded: every lost route found another host.".to_owned());
    }
    sections.push(Section {
        title: format!("Stranded after losing {}", loss_name(loss)),
        lines,
        ..Section::default()
    });
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect::<String>()
    })
}
