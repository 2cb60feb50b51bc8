//! Renderers: an [`Estimate`] in, the bytes of a report out. One entry point, one module per
//! format. Renderers know nothing of how figures were computed and decide nothing about where the
//! bytes go; they round for display (tables) or write exact values (JSON), and nothing else.

mod json;
mod table;

use crate::estimate::Estimate;

/// The report formats of `costcalc run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Tables for a terminal, amounts rounded to cents.
    Table,
    /// The whole estimate with exact decimal strings, for other tools.
    Json,
}

/// Renders the estimates of one or more scenarios.
#[must_use]
pub fn render(estimates: &[Estimate], format: Format) -> String {
    match format {
        Format::Table => table::render(estimates),
        Format::Json => json::render(estimates),
    }
}
