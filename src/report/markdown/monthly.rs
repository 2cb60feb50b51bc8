//! `run --by month` in Markdown: the same tables as the terminal's (see
//! `report::table::monthly`).

use std::fmt::Write as _;

use super::table;
use crate::estimate::Estimate;
use crate::report::table::monthly::month_tables;

/// Every estimate's month tables under bold titles.
pub(in crate::report) fn section(estimates: &[Estimate], detail: bool) -> String {
    let mut out = String::new();
    for estimate in estimates {
        for month_table in month_tables(estimate, detail) {
            let _ = write!(out, "\n**{}**\n\n", super::text(&month_table.title));
            let header: Vec<&str> = month_table.header.iter().map(String::as_str).collect();
            table(&mut out, &header, 1..header.len(), &month_table.rows);
        }
    }
    out
}
