//! The JSON reports: the result as it is, every amount an exact decimal string, under a
//! `schema_version`. The README documents each shape.

use std::io::{self, Write};

use serde::Serialize;

use super::{Report, Style};
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

/// Writes the document straight into `out`: compact unless `style` asks for it indented, and
/// ended by a newline.
pub fn write(out: &mut dyn Write, report: Report<'_>, style: Style) -> io::Result<()> {
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
    // serde_json writes a few bytes at a time: into a buffer of a known type, whose writes
    // compile to a copy, rather than through `dyn Write` for each.
    let mut out = io::BufWriter::with_capacity(64 * 1024, out);
    // Plain structs of strings, decimals and vectors always serialize, so an error here is the
    // writer's, which serde_json hands back as the I/O error it was.
    if style.pretty {
        serde_json::to_writer_pretty(&mut out, &document)?;
    } else {
        serde_json::to_writer(&mut out, &document)?;
    }
    out.write_all(b"\n")?;
    out.flush()
}
