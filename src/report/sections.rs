//! Titled tables and lines, written either as terminal tables or as Markdown: the shape of the
//! `stress` and `cheapest` reports, whose two text formats show the same rows.

use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment};

use super::Format;
use crate::terminal::escape;

/// A titled table, with lines of text after it.
#[derive(Debug, Default)]
pub(super) struct Section {
    pub title: String,
    pub header: Vec<&'static str>,
    /// Columns from this one on hold numbers, aligned right.
    pub right_from: usize,
    pub rows: Vec<Vec<String>>,
    pub lines: Vec<String>,
}

/// Writes a heading (its first line a title), then each section. Markdown makes the title a
/// heading, the sections' titles smaller ones and their lines a list.
pub(super) fn write(
    out: &mut dyn Write,
    heading: &[String],
    sections: &[Section],
    format: Format,
) -> io::Result<()> {
    let markdown = format == Format::Markdown;
    for (i, line) in heading.iter().enumerate() {
        let line = escape(line);
        if markdown && i == 0 {
            writeln!(out, "## {line}\n")?;
        } else if markdown {
            writeln!(out, "{line}\n")?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    for section in sections {
        if markdown {
            writeln!(out, "### {}\n", escape(&section.title))?;
        } else {
            writeln!(out, "\n{}", escape(&section.title))?;
        }
        if !section.header.is_empty() {
            if markdown {
                markdown_table(out, section)?;
            } else {
                terminal_table(out, section)?;
            }
        }
        if markdown && !section.rows.is_empty() && !section.lines.is_empty() {
            writeln!(out)?;
        }
        for line in &section.lines {
            if markdown {
                writeln!(out, "- {}", escape(line).replace('|', "\\|"))?;
            } else {
                writeln!(out, "{}", escape(line))?;
            }
        }
        if markdown {
            writeln!(out)?;
        }
    }
    Ok(())
}

fn terminal_table(out: &mut dyn Write, section: &Section) -> io::Result<()> {
    let mut table = comfy_table::Table::new();
    table.load_style(UTF8_FULL_CONDENSED);
    table.set_header(section.header.iter().map(|h| Cell::new(escape(h))));
    for row in &section.rows {
        table.add_row(row.iter().map(|cell| Cell::new(escape(cell))));
    }
    for index in section.right_from..section.header.len() {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    writeln!(out, "{table}")
}

fn markdown_table(out: &mut dyn Write, section: &Section) -> io::Result<()> {
    let cell = |text: &str| escape(text).replace('|', "\\|");
    let header: Vec<String> = section.header.iter().map(|h| cell(h)).collect();
    writeln!(out, "| {} |", header.join(" | "))?;
    let rule: Vec<&str> = (0..section.header.len())
        .map(|i| {
            if i >= section.right_from {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    writeln!(out, "| {} |", rule.join(" | "))?;
    for row in &section.rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    Ok(())
}

/// A share as a percentage, or `-`.
pub(super) fn percent(share: Option<rust_decimal::Decimal>) -> String {
    share.map_or_else(
        || "-".to_owned(),
        |s| crate::money::format_percent(s * rust_decimal::Decimal::ONE_HUNDRED),
    )
}

/// An amount with its sign spelt out when above zero: `+$1,200.00`.
pub(super) fn signed_money(amount: rust_decimal::Decimal, currency: &str) -> String {
    let text = crate::money::format_money(amount, currency);
    if crate::money::round_for_display(amount, 2) > rust_decimal::Decimal::ZERO {
        format!("+{text}")
    } else {
        text
    }
}

/// Serializes a JSON answer with its schema version.
pub(super) fn json<T: serde::Serialize>(
    out: &mut dyn Write,
    schema_version: u32,
    body: &T,
) -> io::Result<()> {
    #[derive(serde::Serialize)]
    struct Document<'a, T> {
        schema_version: u32,
        #[serde(flatten)]
        body: &'a T,
    }
    serde_json::to_writer_pretty(
        &mut *out,
        &Document {
            schema_version,
            body,
        },
    )
    .map_err(io::Error::other)?;
    writeln!(out)
}
