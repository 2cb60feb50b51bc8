//! The JSON reports: the result as it is, every amount an exact decimal string, under a
//! `schema_version`. The README documents each shape.

use serde::Serialize;

use super::Report;
use crate::estimate::query::{Listing, Quotes};
use crate::estimate::volume::{Breakeven, Solution};
use crate::estimate::{Estimate, SCHEMA_VERSION};

#[derive(Serialize)]
#[serde(untagged)]
enum Body<'a> {
    Run { scenarios: &'a [Estimate] },
    Models(&'a Listing),
    Quotes(&'a Quotes),
    Breakeven(&'a Breakeven),
    Solution(&'a Solution),
}

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    #[serde(flatten)]
    body: Body<'a>,
}

pub fn render(report: Report<'_>) -> String {
    let body = match report {
        Report::Run(scenarios) => Body::Run { scenarios },
        Report::Models(listing) => Body::Models(listing),
        Report::Quotes(quotes) => Body::Quotes(quotes),
        Report::Breakeven(breakeven) => Body::Breakeven(breakeven),
        Report::Solution(solution) => Body::Solution(solution),
    };
    let document = Document {
        schema_version: SCHEMA_VERSION,
        body,
    };
    // Plain structs of strings, decimals and vectors always serialize.
    let mut text = serde_json::to_string_pretty(&document).expect("reports serialize to JSON");
    text.push('\n');
    text
}
