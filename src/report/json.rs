//! The JSON report: the estimate as it is, every amount an exact decimal string, under a
//! `schema_version`. The README documents the shape.

use serde::Serialize;

use crate::estimate::{Estimate, SCHEMA_VERSION};

#[derive(Serialize)]
struct Report<'a> {
    schema_version: u32,
    scenarios: &'a [Estimate],
}

pub fn render(estimates: &[Estimate]) -> String {
    let report = Report {
        schema_version: SCHEMA_VERSION,
        scenarios: estimates,
    };
    // Serializing plain structs of strings, decimals and vectors cannot fail.
    let mut text = serde_json::to_string_pretty(&report).expect("the estimate serializes to JSON");
    text.push('\n');
    text
}
