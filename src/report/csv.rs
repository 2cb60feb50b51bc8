//! CSV for spreadsheets: RFC 4180 quoting (by the `csv` crate), a header row, plain numbers with
//! `.` and no separators or symbols, exact values, ISO 8601 months and dates, UTF-8.
//!
//! A text cell that a spreadsheet would evaluate as a formula (starting with `=`, `+`, `-`, `@`,
//! a tab or a carriage return) gets a leading `'`, as the OWASP guidance on CSV injection advises;
//! numeric cells are written as numbers and left alone.

use std::borrow::Cow;
use std::io::{self, Write};

pub(super) mod monthly;
pub(super) mod sensitivity;
mod yearly;

use rust_decimal::Decimal;

use crate::component::{Component, PerComponent};
use crate::estimate::query::{Listing, Quotes};
use crate::estimate::{EXACT_BYTES, Estimate, Payback, RequestCost, exact_text};

/// Writes rows straight into the output, one cell at a time: nothing of the sheet is held but
/// the row being written.
struct Sheet<'w> {
    writer: csv::Writer<&'w mut dyn Write>,
}

impl<'w> Sheet<'w> {
    fn new(out: &'w mut dyn Write, header: &[&str]) -> io::Result<Self> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        writer.write_record(header).map_err(io_error)?;
        Ok(Self { writer })
    }

    fn row(&mut self, cells: &[Cell<'_>]) -> io::Result<()> {
        for cell in cells {
            match cell {
                Cell::Text(text) => self.writer.write_field(neutralise(text).as_bytes()),
                Cell::Number(number) => {
                    let mut text = [0u8; EXACT_BYTES];
                    let text = exact_text(number.normalize(), &mut text);
                    self.writer.write_field(text.as_bytes())
                }
                Cell::Empty => self.writer.write_field([]),
            }
            .map_err(io_error)?;
        }
        self.writer.write_record(None::<&[u8]>).map_err(io_error)
    }

    fn finish(mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// A sheet written into memory, for the small sections that are appended to a report as text.
fn in_memory(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> String {
    let mut bytes = Vec::new();
    write(&mut bytes).expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("every cell is UTF-8")
}

/// The `csv` crate's error as the I/O error it wraps, so that a closed pipe stays one.
fn io_error(error: csv::Error) -> io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => error,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// A cell: text to neutralise, or a number written as it is.
enum Cell<'a> {
    Text(Cow<'a, str>),
    Number(Decimal),
    Empty,
}

#[cfg(test)]
impl Cell<'_> {
    fn text(&self) -> String {
        match self {
            Cell::Text(text) => neutralise(text).into_owned(),
            Cell::Number(number) => number.normalize().to_string(),
            Cell::Empty => String::new(),
        }
    }
}

fn text<'a>(value: impl Into<Cow<'a, str>>) -> Cell<'a> {
    Cell::Text(value.into())
}

fn number<'a>(value: Decimal) -> Cell<'a> {
    Cell::Number(value)
}

fn optional<'a>(value: Option<Decimal>) -> Cell<'a> {
    value.map_or(Cell::Empty, Cell::Number)
}

/// Prefixes a formula-like text with `'` so that a spreadsheet shows it rather than runs it.
fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// One row per plan: the summary table's columns, exact.
pub fn summary(out: &mut dyn Write, estimates: &[Estimate]) -> io::Result<()> {
    let years = yearly::most_years(estimates);
    let year_columns = yearly::columns(years);
    let mut header = vec![
        "scenario",
        "plan",
        "plan_name",
        "baseline",
        "currency",
        "year1_cost",
        "year1_savings",
        "horizon_months",
        "horizon_total",
        "savings",
        "savings_pct",
        "usage_cost_per_mtok",
        "payback",
        "payback_months",
        "largest_provider",
        "largest_provider_share",
        "hhi",
        "portable_share",
        "policy_violations",
    ];
    header.extend(year_columns.iter().map(String::as_str));
    let mut sheet = Sheet::new(out, &header)?;
    for estimate in estimates {
        for plan in &estimate.plans {
            let year_one = plan.years.first();
            let (payback, months) = match plan.payback {
                None => (Cell::Empty, Cell::Empty),
                Some(Payback::NotNeeded) => (text("not_needed"), Cell::Empty),
                Some(Payback::Months { months }) => (text("months"), number(months)),
                Some(Payback::BeyondHorizon) => (text("beyond_horizon"), Cell::Empty),
                Some(Payback::Never) => (text("never"), Cell::Empty),
            };
            let exposure = exposure_cells(plan);
            let mut row = vec![
                text(&estimate.scenario.name),
                text(&plan.id),
                text(&plan.name),
                text(if plan.baseline { "true" } else { "false" }),
                text(&estimate.scenario.currency),
                optional(year_one.map(|y| y.cost)),
                optional(year_one.and_then(|y| y.savings)),
                number(Decimal::from(estimate.scenario.months)),
                number(plan.total_cost),
                optional(plan.savings),
                optional(plan.savings_pct),
                optional(plan.usage_cost_per_mtok),
                payback,
                months,
                exposure.0,
                exposure.1,
                exposure.2,
                exposure.3,
                exposure.4,
            ];
            row.extend(yearly::cells(plan, years));
            sheet.row(&row)?;
        }
    }
    sheet.finish()
}

/// Tidy line items: one row per plan, workload, offer and month, ready for a pivot table.
///
/// The cost columns of a row add up exactly to its `total_cost`. A route priced by tokens fills
/// the token cost columns and leaves `gpu_hours`, `gpu_cost` and `ops_cost` empty; a route to a
/// self-hosted deployment fills those three (its share of the deployment's month) and leaves the
/// token cost columns empty, and names the GPU's provider in `provider`.
pub fn lines(out: &mut dyn Write, estimates: &[Estimate]) -> io::Result<()> {
    let mut header = vec![
        "scenario",
        "plan",
        "workload",
        "offer",
        "model",
        "provider",
        "month",
        "requests",
        "input_tokens",
    ];
    header.extend(quantity_columns());
    header.extend(Component::ALL.map(Component::cost_column));
    header.extend([
        "gpu_hours",
        "gpu_cost",
        "ops_cost",
        "total_cost",
        "currency",
    ]);
    let mut sheet = Sheet::new(out, &header)?;
    for estimate in estimates {
        let currency = &estimate.scenario.currency;
        for plan in &estimate.plans {
            for workload in &plan.workloads {
                for route in &workload.routes {
                    for month in route.months.iter() {
                        let month = &month;
                        let detail = route.month_detail(month);
                        let costs = balanced(&detail);
                        let (token_cost, capacity): (fn(Decimal) -> Cell<'static>, [Cell<'_>; 3]) =
                            match &month.capacity {
                                None => (number, [Cell::Empty, Cell::Empty, Cell::Empty]),
                                Some(share) => (
                                    |_| Cell::Empty,
                                    [
                                        number(share.gpu_hours),
                                        number(share.gpu_cost),
                                        number(share.ops_cost),
                                    ],
                                ),
                            };
                        let mut row = vec![
                            text(&estimate.scenario.name),
                            text(&plan.id),
                            text(&workload.id),
                            text(&route.offer),
                            text(&route.model),
                            text(&route.provider),
                            text(month.month.to_string()),
                            number(month.requests),
                            number(detail.prompt_tokens()),
                        ];
                        row.extend(
                            detail
                                .quantities
                                .iter()
                                .filter(|(c, _)| *c != Component::Request)
                                .map(|(_, q)| number(*q)),
                        );
                        row.extend(costs.values().map(|c| token_cost(*c)));
                        row.extend(capacity);
                        row.extend([number(detail.total), text(currency)]);
                        sheet.row(&row)?;
                    }
                }
            }
        }
    }
    sheet.finish()
}

/// The quantity column of every component but the request fee, whose quantity is `requests`.
fn quantity_columns() -> impl Iterator<Item = &'static str> {
    Component::ALL
        .into_iter()
        .filter(|c| *c != Component::Request)
        .map(Component::quantity_column)
}

/// A month's costs by component, with the largest one taking whatever the others leave of the
/// total, so that the row adds up exactly.
///
/// Each component is the month's requests times the average request's component; a decimal keeps
/// 28 significant digits, so these products may round in the last one and miss the total (the
/// requests times the average request's total) by a unit there. The largest component absorbs
/// that unit, the smallest possible change to any figure.
fn balanced(cost: &RequestCost) -> PerComponent<Decimal> {
    let mut parts = cost.costs;
    let largest = Component::ALL
        .into_iter()
        .max_by_key(|c| parts[*c].abs())
        .unwrap_or(Component::Input);
    let others = parts
        .iter()
        .filter(|(c, _)| *c != largest)
        .try_fold(Decimal::ZERO, |sum, (_, part)| sum.checked_add(*part));
    if let Some(rest) = others.and_then(|others| cost.total.checked_sub(others)) {
        parts[largest] = rest;
    }
    parts
}

/// `costcalc models`: one row per offer.
pub fn models(out: &mut dyn Write, listing: &Listing) -> io::Result<()> {
    let mut sheet = Sheet::new(
        out,
        &[
            "offer",
            "model",
            "model_name",
            "provider",
            "provider_country",
            "weights",
            "license",
            "origin",
            "currency",
            "offer_currency",
            "exchange_rate",
            "input_per_mtok",
            "output_per_mtok",
            "cached_input_per_mtok",
            "blended_per_mtok",
            "has_tiers",
            "has_batch",
            "input_limit",
            "as_of",
            "source",
            "stale",
            "deprecated",
            "changed_on",
            "next_change",
        ],
    )?;
    for row in &listing.offers {
        sheet.row(&[
            text(&row.offer),
            text(&row.model),
            text(&row.model_name),
            text(&row.provider),
            text(&row.provider_country),
            text(super::weights_text(row.weights)),
            text(&row.license),
            text(&row.origin),
            text(&row.currency),
            text(&row.offer_currency),
            number(row.exchange_rate),
            number(row.input_per_mtok),
            number(row.output_per_mtok),
            optional(row.cached_input_per_mtok),
            optional(row.blended_per_mtok),
            text(bool_text(row.has_tiers)),
            text(bool_text(row.has_batch)),
            optional(row.input_limit.map(Decimal::from)),
            text(row.as_of.to_string()),
            text(&row.source),
            text(bool_text(row.stale)),
            row.deprecated.map_or(Cell::Empty, |d| text(d.to_string())),
            row.changed_on.map_or(Cell::Empty, |d| text(d.to_string())),
            row.next_change.map_or(Cell::Empty, |d| text(d.to_string())),
        ])?;
    }
    sheet.finish()
}

/// `costcalc quote`: one row per offer, cheapest first.
pub fn quotes(out: &mut dyn Write, quotes: &Quotes) -> io::Result<()> {
    let mut header = vec![
        "offer",
        "model_name",
        "weights",
        "origin",
        "currency",
        "offer_currency",
        "exchange_rate",
        "requests",
    ];
    header.extend(Component::ALL.map(Component::cost_column));
    header.extend([
        "per_request",
        "total",
        "multiple_of_cheapest",
        "as_of",
        "stale",
        "notes",
    ]);
    let mut sheet = Sheet::new(out, &header)?;
    for quote in &quotes.quotes {
        let c = &quote.per_request;
        let mut row = vec![
            text(&quote.offer),
            text(&quote.model_name),
            text(super::weights_text(quote.weights)),
            text(&quote.origin),
            text(&quote.currency),
            text(&quote.offer_currency),
            number(quote.exchange_rate),
            number(quotes.request.requests),
        ];
        row.extend(c.costs.values().map(|cost| number(*cost)));
        row.extend([
            number(c.total),
            number(quote.total),
            optional(quote.multiple_of_cheapest),
            text(quote.as_of.to_string()),
            text(bool_text(quote.stale)),
            text(quote.notes.join("; ")),
        ]);
        sheet.row(&row)?;
    }
    sheet.finish()
}

fn bool_text(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// The exposure columns of a plan's summary row: the largest provider and its share, the HHI,
/// the portable share, and the number of policy violations (empty without a policy).
fn exposure_cells(
    plan: &crate::estimate::PlanEstimate,
) -> (Cell<'_>, Cell<'_>, Cell<'_>, Cell<'_>, Cell<'_>) {
    let exposure = &plan.exposure;
    (
        exposure
            .by_provider
            .first()
            .map_or(Cell::Empty, |s| text(&s.id)),
        optional(exposure.largest_provider_share),
        optional(exposure.hhi),
        optional(exposure.portable_share),
        optional(
            plan.policy
                .as_ref()
                .map(|c| Decimal::from(c.violations.len())),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_neutralised_and_numbers_are_not() {
        for risky in ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"] {
            assert_eq!(neutralise(risky), format!("'{risky}"));
        }
        assert_eq!(neutralise("plain"), "plain");
        assert!(matches!(neutralise("plain"), Cow::Borrowed(_)));
        assert_eq!(Cell::Number(Decimal::new(-25, 1)).text(), "-2.5");
    }

    /// A pipe whose reader leaves after `left` bytes.
    struct ClosesAfter {
        left: usize,
    }

    impl Write for ClosesAfter {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            let n = bytes.len().min(self.left);
            self.left -= n;
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_reaches_the_caller_as_a_closed_pipe() {
        let mut out = ClosesAfter { left: 10 };
        let mut sheet = Sheet::new(&mut out, &["a", "b"]).unwrap();
        let mut result = Ok(());
        for _ in 0..10_000 {
            result = sheet.row(&[text("x"), number(Decimal::ONE)]);
            if result.is_err() {
                break;
            }
        }
        let result = result.and_then(|()| sheet.finish());
        assert_eq!(result.unwrap_err().kind(), io::ErrorKind::BrokenPipe);
    }

    #[test]
    fn rows_are_written_cell_by_cell_as_before() {
        let mut out = Vec::new();
        let mut sheet = Sheet::new(&mut out, &["name", "amount", "none"]).unwrap();
        sheet
            .row(&[text("=cmd"), number(Decimal::new(2500, 3)), Cell::Empty])
            .unwrap();
        sheet
            .row(&[text("a, b"), number(Decimal::new(-1, 0)), Cell::Empty])
            .unwrap();
        sheet.finish().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "name,amount,none\r\n'=cmd,2.5,\r\n\"a, b\",-1,\r\n"
        );
    }
}
