//! Titled tables and lines, written either as terminal tables or as Markdown: the shape of the
//! `stress` and `cheapest` reports, whose two text formats show the same rows.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::Format;
use super::layout::{Table, Text, Tone};
use crate::terminal::escape;
use crate::terminal::screen::Screen;

/// A titled table, with lines of text after it.
#[derive(Debug, Default)]
pub(super) struct Section {
    pub title: String,
    pub header: Vec<&'static str>,
    /// Columns from this one on hold numbers, aligned right.
    pub right_from: usize,
    /// Text columns among the numbers, aligned left.
    pub left: Vec<usize>,
    /// How columns are coloured on a terminal; the others are not.
    pub tones: Vec<(usize, Tone)>,
    /// Groups of columns a narrow terminal may leave out, each as one, the first to go first.
    pub optional: Vec<Vec<usize>>,
    pub rows: Vec<Vec<String>>,
    pub lines: Vec<String>,
}

impl Section {
    /// The section's table, laid out for a terminal by [`Text::table`].
    fn terminal_table(&self) -> Table {
        let mut table = Table::new(&self.header, self.right_from);
        for row in &self.rows {
            table.add_row(row.clone());
        }
        for column in &self.left {
            table.align_left(*column);
        }
        for (column, tone) in &self.tones {
            table.tone(*column, *tone);
        }
        let groups: Vec<&[usize]> = self.optional.iter().map(Vec::as_slice).collect();
        table.optional_together(&groups);
        table
    }
}

/// Writes a heading (its first line a title), then each section. Markdown makes the title a
/// heading, the sections' titles smaller ones and their lines a list; a terminal gets tables
/// and prose fitted to `screen`.
pub(super) fn write(
    out: &mut dyn Write,
    heading: &[String],
    sections: &[Section],
    format: Format,
    screen: Screen,
) -> io::Result<()> {
    if format != Format::Markdown {
        // Formats the report does not offer are shown as its tables, never coloured.
        let screen = Screen {
            color: screen.color && format == Format::Table,
            ..screen
        };
        return out.write_all(terminal(heading, sections, screen).as_bytes());
    }
    for (i, line) in heading.iter().enumerate() {
        let line = super::markdown::text(&escape(line)).into_owned();
        if i == 0 {
            writeln!(out, "## {line}\n")?;
        } else {
            writeln!(out, "{line}\n")?;
        }
    }
    for section in sections {
        writeln!(
            out,
            "### {}\n",
            super::markdown::text(&escape(&section.title))
        )?;
        if !section.header.is_empty() {
            let mut table = String::new();
            super::markdown::table(
                &mut table,
                &section.header,
                section.right_from..section.header.len(),
                &section.rows,
            );
            out.write_all(table.as_bytes())?;
        }
        if !section.rows.is_empty() && !section.lines.is_empty() {
            writeln!(out)?;
        }
        for line in &section.lines {
            let line = escape(line).replace('|', "\\|");
            writeln!(out, "- {}", super::markdown::text(&line))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The heading and sections as terminal text: each line escaped and wrapped, each table fitted.
fn terminal(heading: &[String], sections: &[Section], screen: Screen) -> String {
    let mut text = Text::new(screen);
    for line in heading {
        let _ = writeln!(text, "{}", escape(line));
    }
    for section in sections {
        let _ = writeln!(text, "\n{}", escape(&section.title));
        if !section.header.is_empty() {
            text.table(&section.terminal_table());
        }
        for line in &section.lines {
            let _ = writeln!(text, "{}", escape(line));
        }
    }
    text.finish()
}

/// A share as a percentage, or `-`.
pub(super) fn percent(share: Option<rust_decimal::Decimal>) -> String {
    share.map_or_else(
        || "-".to_owned(),
        |s| crate::money::format_percent(s * rust_decimal::Decimal::ONE_HUNDRED),
    )
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
