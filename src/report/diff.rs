//! The `diff` report: two estimates compared, as terminal tables, a pull-request comment in
//! Markdown, or JSON with exact amounts. Renders a [`Diff`]; computes nothing.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::Serialize;

use super::Format;
use super::layout::{Table, Text, Tone, signed_money};
use super::markdown::{table as markdown_table, text};
use crate::diff::{
    Budget, Change, Diff, Effect, Kind, Limit, PerEffect, Period, PlanDiff, Side, Status,
    signed_percent,
};
use crate::money::format_money;
use crate::terminal::screen::Screen;

/// Renders a comparison in a format; `Csv`, `CsvLines` and `Html` are not offered for it and
/// render as a table, laid out for `screen`.
#[must_use]
pub fn render(diff: &Diff, format: Format, screen: Screen) -> String {
    match format {
        Format::Json => json(diff),
        Format::Markdown => crate::terminal::escape_lines_owned(markdown(diff)),
        Format::Table => table(diff, screen),
        Format::Csv | Format::CsvLines | Format::Html => table(
            diff,
            Screen {
                color: false,
                ..screen
            },
        ),
    }
}

fn percent_text(percent: Option<Decimal>) -> String {
    percent.map_or_else(|| "-".to_owned(), signed_percent)
}

fn status_text(status: Status) -> &'static str {
    match status {
        Status::Changed => "changed",
        Status::Unchanged => "unchanged",
        Status::Added => "added",
        Status::Removed => "removed",
    }
}

fn kind_text(kind: Kind) -> &'static str {
    match kind {
        Kind::Report => "report",
        Kind::Scenario => "scenario",
    }
}

fn is_baseline(plan: &PlanDiff) -> bool {
    plan.baseline_after || (plan.status == Status::Removed && plan.baseline_before)
}

fn plan_label(plan: &PlanDiff) -> String {
    if is_baseline(plan) {
        format!("{} (baseline)", plan.id)
    } else {
        plan.id.clone()
    }
}

/// The one-line summary of the focus plan.
fn headline(diff: &Diff, arrow: &str) -> String {
    let currency = &diff.currency;
    let period = diff.focus.period;
    let Some(plan) = diff.plans.iter().find(|p| p.id == diff.focus.plan) else {
        return format!("No plan `{}` to compare", diff.focus.plan);
    };
    let cost = &plan.period(period).cost;
    let label = if is_baseline(plan) {
        format!("`{}` (baseline)", plan.id)
    } else {
        format!("`{}`", plan.id)
    };
    match plan.status {
        Status::Added => format!(
            "Plan {label} is new: {} in {period}",
            format_money(cost.after, currency)
        ),
        Status::Removed => format!(
            "Plan {label} is removed: it cost {} in {period}",
            format_money(cost.before, currency)
        ),
        _ if cost.change.is_zero() => format!(
            "No change to plan {label} in {period}: {}",
            format_money(cost.after, currency)
        ),
        _ => format!(
            "Plan {label}, {period}: {} {arrow} {}, {} ({})",
            format_money(cost.before, currency),
            format_money(cost.after, currency),
            signed_money(cost.change, currency),
            percent_text(cost.percent),
        ),
    }
}

fn side_text(side: &Side) -> String {
    format!("{} ({})", side.path, kind_text(side.kind))
}

fn attribution_text() -> String {
    let order: Vec<String> = Effect::ALL
        .iter()
        .map(|e| format!("{} ({})", e.label().to_lowercase(), e.meaning()))
        .collect();
    format!(
        "Each change is split in this order, one factor at a time, so the parts add up to it \
         exactly: {}.",
        order.join(", then ")
    )
}

fn budget_text(budget: &Budget, currency: &str) -> String {
    let limit = match budget.limit {
        Limit::Amount(amount) => format_money(amount, currency),
        Limit::Percent(percent) => format!("{}%", percent.normalize()),
    };
    let verdict = if budget.exceeded {
        "above the limit"
    } else {
        "within the limit"
    };
    format!(
        "Budget: plan `{}`, {}: {} ({}) against a limit of {limit}: {verdict}",
        budget.plan,
        budget.period,
        signed_money(budget.change, currency),
        percent_text(budget.percent),
    )
}

/// The rows of every plan over one period: plan, status, before, after, change, percent.
fn plan_rows(diff: &Diff, period: Period) -> Vec<Vec<String>> {
    diff.plans
        .iter()
        .map(|plan| {
            let cost = &plan.period(period).cost;
            let mut row = vec![plan_label(plan), status_text(plan.status).to_owned()];
            row.extend(change_cells(cost, &diff.currency));
            row
        })
        .collect()
}

fn change_cells(cost: &Change, currency: &str) -> [String; 4] {
    [
        format_money(cost.before, currency),
        format_money(cost.after, currency),
        signed_money(cost.change, currency),
        percent_text(cost.percent),
    ]
}

fn effect_cells(explanation: &PerEffect, currency: &str) -> Vec<String> {
    explanation
        .iter()
        .map(|(_, amount)| signed_money(amount, currency))
        .collect()
}

/// The explanation of every plan on both sides over one period, with its total.
fn explanation_rows(diff: &Diff, period: Period) -> Vec<Vec<String>> {
    diff.plans
        .iter()
        .filter_map(|plan| {
            let cost = &plan.period(period).cost;
            let explanation = cost.explanation.as_ref()?;
            let mut row = vec![plan_label(plan)];
            row.extend(effect_cells(explanation, &diff.currency));
            row.push(signed_money(cost.change, &diff.currency));
            Some(row)
        })
        .collect()
}

/// Every workload of every plan over one period, with its explanation (fixed costs belong to
/// plans, so that column is left out).
fn workload_rows(diff: &Diff, period: Period) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for plan in &diff.plans {
        for workload in &plan.period(period).workloads {
            let mut row = vec![
                plan.id.clone(),
                workload.id.clone(),
                status_text(workload.status).to_owned(),
            ];
            row.extend(change_cells(&workload.cost, &diff.currency));
            if let Some(explanation) = &workload.cost.explanation {
                row.extend(
                    explanation
                        .iter()
                        .filter(|(e, _)| *e != Effect::FixedCosts)
                        .map(|(_, a)| signed_money(a, &diff.currency)),
                );
            }
            rows.push(row);
        }
    }
    rows
}

fn year_rows(diff: &Diff) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for plan in &diff.plans {
        for period in &plan.periods {
            let mut row = vec![plan_label(plan), period_text(period.period)];
            row.extend(change_cells(&period.cost, &diff.currency));
            rows.push(row);
        }
    }
    rows
}

fn period_text(period: Period) -> String {
    match period {
        Period::Year(n) => format!("Year {n}"),
        Period::Horizon => "Horizon".to_owned(),
    }
}

fn effect_header(first: &[&'static str], fixed: bool, last: &[&'static str]) -> Vec<&'static str> {
    let mut header = first.to_vec();
    header.extend(
        Effect::ALL
            .iter()
            .filter(|e| fixed || **e != Effect::FixedCosts)
            .map(|e| e.label()),
    );
    header.extend(last);
    header
}

const PLAN_HEADER: [&str; 6] = ["Plan", "Status", "Before", "After", "Change", "%"];
const WORKLOAD_FIRST: [&str; 7] = [
    "Plan", "Workload", "Status", "Before", "After", "Change", "%",
];
const YEAR_HEADER: [&str; 6] = ["Plan", "Period", "Before", "After", "Change", "%"];

// ---------------------------------------------------------------------------------------------
// Terminal tables

/// A terminal table of `rows`; every column from `right_aligned_from` on is a change in cost,
/// coloured as one (a rise red, a fall green), except `Before` and `After`.
fn terminal_table(header: &[&str], right_aligned_from: usize, rows: &[Vec<String>]) -> Table {
    let mut table = Table::new(header, right_aligned_from);
    for (index, name) in header.iter().enumerate().skip(right_aligned_from) {
        if !matches!(*name, "Before" | "After") {
            table.tone(index, Tone::Extra);
        }
    }
    for row in rows {
        table.add_row(row.clone());
    }
    table
}

fn table(diff: &Diff, screen: Screen) -> String {
    let mut out = Text::new(screen);
    let period = diff.focus.period;
    let _ = writeln!(
        out,
        "Cost change: {} -> {}, in {}",
        side_text(&diff.old),
        side_text(&diff.new),
        diff.currency
    );
    let _ = writeln!(out, "{}\n", headline(diff, "->"));
    let _ = writeln!(out, "By plan, {period}");
    let mut plans = terminal_table(&PLAN_HEADER, 2, &plan_rows(diff, period));
    plans.optional(&[1]);
    out.table(&plans);
    let rows = explanation_rows(diff, period);
    if !rows.is_empty() {
        let _ = writeln!(out, "\nWhy it changed, {period}");
        let header = effect_header(&["Plan"], true, &["Change"]);
        out.table(&terminal_table(&header, 1, &rows));
    }
    let _ = writeln!(out, "\nBy workload, {period}");
    let header = effect_header(&WORKLOAD_FIRST, false, &[]);
    let mut workloads = terminal_table(&header, 3, &workload_rows(diff, period));
    // The reasons stay (the table is cut in two if need be); the status and the share go.
    workloads.optional(&[2, 6]);
    workloads.keys(2);
    out.table(&workloads);
    let _ = writeln!(out, "\nBy year");
    let mut years = terminal_table(&YEAR_HEADER, 2, &year_rows(diff));
    years.optional(&[5]);
    out.table(&years);
    let _ = writeln!(out, "\n{}", attribution_text());
    if !diff.notes.is_empty() {
        let _ = writeln!(out, "\nNotes");
        for note in &diff.notes {
            let _ = writeln!(out, "- {note}");
        }
    }
    if let Some(budget) = &diff.budget {
        let _ = writeln!(out, "\n{}", budget_text(budget, &diff.currency));
    }
    out.finish()
}

// ---------------------------------------------------------------------------------------------
// Markdown

fn markdown(diff: &Diff) -> String {
    let mut out = String::new();
    let period = diff.focus.period;
    let _ = writeln!(out, "**Cost change:** {}\n", text(&headline(diff, "→")));
    markdown_table(
        &mut out,
        &PLAN_HEADER,
        2..PLAN_HEADER.len(),
        &plan_rows(diff, period),
    );
    if let Some(plan) = diff.plans.iter().find(|p| p.id == diff.focus.plan) {
        let cost = &plan.period(period).cost;
        if let Some(explanation) = cost.explanation.as_ref().filter(|_| !cost.change.is_zero()) {
            let title = format!("Why plan `{}` changed in {period}:", plan.id);
            let _ = writeln!(out, "\n**{}**\n", text(&title));
            for (effect, amount) in explanation.iter() {
                let _ = writeln!(
                    out,
                    "- {}: {} ({})",
                    effect.label(),
                    signed_money(amount, &diff.currency),
                    effect.meaning()
                );
            }
            let _ = writeln!(
                out,
                "- **Total: {}**",
                signed_money(cost.change, &diff.currency)
            );
        }
    }
    if let Some(budget) = &diff.budget {
        let mark = if budget.exceeded { "**" } else { "" };
        let budget = budget_text(budget, &diff.currency);
        let _ = writeln!(out, "\n{mark}{}{mark}", text(&budget));
    }
    let _ = writeln!(
        out,
        "\n<details>\n<summary>Every plan, workload and year</summary>\n"
    );
    let rows = explanation_rows(diff, period);
    if !rows.is_empty() {
        let _ = writeln!(out, "#### Why each plan changed, {period}\n");
        let header = effect_header(&["Plan"], true, &["Change"]);
        markdown_table(&mut out, &header, 1..header.len(), &rows);
        out.push('\n');
    }
    let _ = writeln!(out, "#### By workload, {period}\n");
    let header = effect_header(&WORKLOAD_FIRST, false, &[]);
    markdown_table(
        &mut out,
        &header,
        3..header.len(),
        &workload_rows(diff, period),
    );
    let _ = writeln!(out, "\n#### By year\n");
    markdown_table(
        &mut out,
        &YEAR_HEADER,
        2..YEAR_HEADER.len(),
        &year_rows(diff),
    );
    let compared = format!(
        "Compared `{}` ({}) with `{}` ({}), amounts in {}. {}",
        diff.old.path,
        kind_text(diff.old.kind),
        diff.new.path,
        kind_text(diff.new.kind),
        diff.currency,
        attribution_text()
    );
    let _ = writeln!(out, "\n{}", text(&compared));
    for note in &diff.notes {
        let _ = writeln!(out, "\n- {}", text(note));
    }
    let _ = writeln!(out, "\n</details>");
    out
}

// ---------------------------------------------------------------------------------------------
// JSON

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    old: SideView<'a>,
    new: SideView<'a>,
    currency: &'a str,
    scale: u32,
    attribution: Vec<&'static str>,
    focus: FocusView<'a>,
    plans: Vec<PlanView<'a>>,
    notes: &'a [String],
    budget: Option<BudgetView<'a>>,
}

#[derive(Serialize)]
struct SideView<'a> {
    path: &'a str,
    kind: Kind,
    scenario: &'a str,
    start: &'a str,
    months: u32,
}

#[derive(Serialize)]
struct FocusView<'a> {
    plan: &'a str,
    period: &'static str,
    year: Option<u32>,
}

#[derive(Serialize)]
struct PlanView<'a> {
    id: &'a str,
    name: &'a str,
    status: Status,
    baseline_before: bool,
    baseline_after: bool,
    periods: Vec<PeriodView<'a>>,
}

#[derive(Serialize)]
struct PeriodView<'a> {
    period: &'static str,
    year: Option<u32>,
    #[serde(flatten)]
    cost: ChangeView<'a>,
    workloads: Vec<WorkloadView<'a>>,
}

#[derive(Serialize)]
struct WorkloadView<'a> {
    id: &'a str,
    status: Status,
    #[serde(flatten)]
    cost: ChangeView<'a>,
}

#[derive(Serialize)]
struct ChangeView<'a> {
    before: Decimal,
    after: Decimal,
    change: Decimal,
    percent: Option<Decimal>,
    explanation: Option<&'a PerEffect>,
}

#[derive(Serialize)]
struct BudgetView<'a> {
    plan: &'a str,
    period: &'static str,
    year: Option<u32>,
    limit_amount: Option<Decimal>,
    limit_percent: Option<Decimal>,
    before: Decimal,
    after: Decimal,
    change: Decimal,
    percent: Option<Decimal>,
    exceeded: bool,
}

fn period_fields(period: Period) -> (&'static str, Option<u32>) {
    match period {
        Period::Year(n) => ("year", Some(n)),
        Period::Horizon => ("horizon", None),
    }
}

fn change_view(cost: &Change) -> ChangeView<'_> {
    ChangeView {
        before: cost.before,
        after: cost.after,
        change: cost.change,
        percent: cost.percent,
        explanation: cost.explanation.as_ref(),
    }
}

fn side_view(side: &Side) -> SideView<'_> {
    SideView {
        path: &side.path,
        kind: side.kind,
        scenario: &side.report.scenario.name,
        start: &side.report.scenario.start,
        months: side.report.scenario.months,
    }
}

fn json(diff: &Diff) -> String {
    let (period, year) = period_fields(diff.focus.period);
    let document = Document {
        schema_version: crate::estimate::SCHEMA_VERSION,
        old: side_view(&diff.old),
        new: side_view(&diff.new),
        currency: &diff.currency,
        scale: diff.scale,
        attribution: Effect::ALL.iter().map(|e| e.key()).collect(),
        focus: FocusView {
            plan: &diff.focus.plan,
            period,
            year,
        },
        plans: diff
            .plans
            .iter()
            .map(|plan| PlanView {
                id: &plan.id,
                name: &plan.name,
                status: plan.status,
                baseline_before: plan.baseline_before,
                baseline_after: plan.baseline_after,
                periods: plan
                    .periods
                    .iter()
                    .map(|p| {
                        let (period, year) = period_fields(p.period);
                        PeriodView {
                            period,
                            year,
                            cost: change_view(&p.cost),
                            workloads: p
                                .workloads
                                .iter()
                                .map(|w| WorkloadView {
                                    id: &w.id,
                                    status: w.status,
                                    cost: change_view(&w.cost),
                                })
                                .collect(),
                        }
                    })
                    .collect(),
            })
            .collect(),
        notes: &diff.notes,
        budget: diff.budget.as_ref().map(|b| {
            let (period, year) = period_fields(b.period);
            let (limit_amount, limit_percent) = match b.limit {
                Limit::Amount(amount) => (Some(amount), None),
                Limit::Percent(percent) => (None, Some(percent)),
            };
            BudgetView {
                plan: &b.plan,
                period,
                year,
                limit_amount,
                limit_percent,
                before: b.before,
                after: b.after,
                change: b.change,
                percent: b.percent,
                exceeded: b.exceeded,
            }
        }),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("reports serialize to JSON");
    text.push('\n');
    text
}
