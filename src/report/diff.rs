//! The `diff` report: two estimates compared, as terminal tables, a pull-request comment in
//! Markdown, or JSON with exact amounts. Renders a [`Diff`]; computes nothing.

use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment};
use rust_decimal::Decimal;
use serde::Serialize;

use super::Format;
use crate::diff::{
    Budget, Change, Diff, Effect, Kind, Limit, PerEffect, Period, PlanDiff, Side, Status,
    signed_percent,
};
use crate::money::format_money;
use crate::terminal::escape;

/// Renders a comparison in a format; `Csv`, `CsvLines` and `Html` are not offered for it and
/// render as a table.
#[must_use]
pub fn render(diff: &Diff, format: Format) -> String {
    match format {
        Format::Json => json(diff),
        Format::Markdown => crate::terminal::escape_lines_owned(markdown(diff)),
        Format::Table | Format::Csv | Format::CsvLines | Format::Html => {
            crate::terminal::escape_lines_owned(table(diff))
        }
    }
}

/// `+$1,234.50`, `-$3.00`, `$0.00`.
fn signed_money(amount: Decimal, currency: &str) -> String {
    let text = format_money(amount, currency);
    if text.starts_with('-') || crate::money::round_for_display(amount, 2).is_zero() {
        text
    } else {
        format!("+{text}")
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

fn terminal_table(header: &[&str], right_aligned_from: usize, rows: &[Vec<String>]) -> String {
    let mut table = comfy_table::Table::new();
    table.load_style(UTF8_FULL_CONDENSED);
    table.set_header(header.iter().map(|h| Cell::new(escape(h))));
    for row in rows {
        table.add_row(row.iter().map(|cell| Cell::new(escape(cell))));
    }
    for index in right_aligned_from..header.len() {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table.to_string()
}

fn table(diff: &Diff) -> String {
    let mut out = String::new();
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
    let _ = writeln!(
        out,
        "{}\n",
        terminal_table(&PLAN_HEADER, 2, &plan_rows(diff, period))
    );
    let rows = explanation_rows(diff, period);
    if !rows.is_empty() {
        let _ = writeln!(out, "Why it changed, {period}");
        let header = effect_header(&["Plan"], true, &["Change"]);
        let _ = writeln!(out, "{}\n", terminal_table(&header, 1, &rows));
    }
    let _ = writeln!(out, "By workload, {period}");
    let header = effect_header(&WORKLOAD_FIRST, false, &[]);
    let _ = writeln!(
        out,
        "{}\n",
        terminal_table(&header, 3, &workload_rows(diff, period))
    );
    let _ = writeln!(out, "By year");
    let _ = writeln!(
        out,
        "{}\n",
        terminal_table(&YEAR_HEADER, 2, &year_rows(diff))
    );
    let _ = writeln!(out, "{}", attribution_text());
    if !diff.notes.is_empty() {
        let _ = writeln!(out, "\nNotes");
        for note in &diff.notes {
            let _ = writeln!(out, "- {note}");
        }
    }
    if let Some(budget) = &diff.budget {
        let _ = writeln!(out, "\n{}", budget_text(budget, &diff.currency));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Markdown

/// A Markdown table; `|` in a cell is escaped so that it cannot split the row.
fn markdown_table(
    out: &mut String,
    header: &[&str],
    right_aligned_from: usize,
    rows: &[Vec<String>],
) {
    let cell = |text: &str| escape(text).replace('|', "\\|");
    let line = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
    let _ = writeln!(out, "{}", line(header.iter().map(|h| cell(h)).collect()));
    let rule = (0..header.len())
        .map(|i| {
            if i >= right_aligned_from {
                "---:"
            } else {
                "---"
            }
            .to_owned()
        })
        .collect();
    let _ = writeln!(out, "{}", line(rule));
    for row in rows {
        let _ = writeln!(out, "{}", line(row.iter().map(|c| cell(c)).collect()));
    }
}

fn markdown(diff: &Diff) -> String {
    let mut out = String::new();
    let period = diff.focus.period;
    let _ = writeln!(out, "**Cost change:** {}\n", headline(diff, "→"));
    markdown_table(&mut out, &PLAN_HEADER, 2, &plan_rows(diff, period));
    if let Some(plan) = diff.plans.iter().find(|p| p.id == diff.focus.plan) {
        let cost = &plan.period(period).cost;
        if let Some(explanation) = cost.explanation.as_ref().filter(|_| !cost.change.is_zero()) {
            let _ = writeln!(out, "\n**Why plan `{}` changed in {period}:**\n", plan.id);
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
        let _ = writeln!(out, "\n{mark}{}{mark}", budget_text(budget, &diff.currency));
    }
    let _ = writeln!(
        out,
        "\n<details>\n<summary>Every plan, workload and year</summary>\n"
    );
    let rows = explanation_rows(diff, period);
    if !rows.is_empty() {
        let _ = writeln!(out, "#### Why each plan changed, {period}\n");
        markdown_table(
            &mut out,
            &effect_header(&["Plan"], true, &["Change"]),
            1,
            &rows,
        );
        out.push('\n');
    }
    let _ = writeln!(out, "#### By workload, {period}\n");
    markdown_table(
        &mut out,
        &effect_header(&WORKLOAD_FIRST, false, &[]),
        3,
        &workload_rows(diff, period),
    );
    let _ = writeln!(out, "\n#### By year\n");
    markdown_table(&mut out, &YEAR_HEADER, 2, &year_rows(diff));
    let _ = writeln!(
        out,
        "\nCompared `{}` ({}) with `{}` ({}), amounts in {}. {}",
        diff.old.path,
        kind_text(diff.old.kind),
        diff.new.path,
        kind_text(diff.new.kind),
        diff.currency,
        attribution_text()
    );
    for note in &diff.notes {
        let _ = writeln!(out, "\n- {note}");
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
