//! Renderers: a result in, the bytes of a report out. One entry point, one module per format.
//! Renderers know nothing of how figures were computed and decide nothing about where the bytes
//! go; they round for display (tables) or write exact values (JSON), and nothing else.

mod json;
mod table;

use crate::estimate::Estimate;
use crate::query::{OfferRow, Quotes};

/// The report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Tables for a terminal, amounts rounded to cents.
    Table,
    /// The whole result with exact decimal strings, for other tools.
    Json,
}

/// What a command produced.
#[derive(Debug, Clone, Copy)]
pub enum Report<'a> {
    /// `costcalc run`: the estimates of one or more scenarios.
    Run(&'a [Estimate]),
    /// `costcalc models`: offers of the catalog.
    Models(&'a [OfferRow]),
    /// `costcalc quote`: one request priced at many offers.
    Quotes(&'a Quotes),
}

/// Renders a report in a format.
#[must_use]
pub fn render(report: Report<'_>, format: Format) -> String {
    match (format, report) {
        (Format::Table, Report::Run(estimates)) => table::render(estimates),
        (Format::Table, Report::Models(rows)) => table::models(rows),
        (Format::Table, Report::Quotes(quotes)) => table::quotes(quotes),
        (Format::Json, report) => json::render(report),
    }
}
