//! `costcalc sensitivity` in Markdown: the same tornado tables as the terminal's (see
//! `report::table::sensitivity`).

use std::fmt::Write as _;

use super::{table, text};
use crate::estimate::sensitivity::Sensitivity;
use crate::report::table::sensitivity::{FOOTER, HEADER, rows, title};

pub(in crate::report) fn render(result: &Sensitivity) -> String {
    let mut out = format!("### Sensitivity: {}\n", text(&result.scenario));
    for plan in &result.plans {
        let _ = write!(out, "\n**{}**\n\n", text(&title(result, plan)));
        table(&mut out, &HEADER, 1..HEADER.len(), &rows(result, plan));
    }
    if !result.plans.is_empty() {
        let _ = writeln!(out, "\n<sub>{FOOTER}</sub>");
    }
    out
}
