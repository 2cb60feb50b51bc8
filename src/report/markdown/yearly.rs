//! The per-year tables in Markdown, the same rows as the terminal's (see
//! `report::table::yearly`): at most five years side by side, later years in further tables.

use std::fmt::Write as _;

use super::table;
use crate::estimate::Estimate;
use crate::report::table::yearly::year_tables;

/// Each per-year table under a bold title; empty for a horizon of one year or less.
pub(super) fn section(estimate: &Estimate) -> String {
    let mut out = String::new();
    for year_table in year_tables(estimate) {
        let _ = write!(out, "\n**{}**\n\n", super::text(&year_table.title));
        let header: Vec<&str> = year_table.header.iter().map(String::as_str).collect();
        table(&mut out, &header, 2..header.len(), &year_table.rows);
    }
    out
}
