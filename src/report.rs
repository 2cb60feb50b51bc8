//! Renderers: a result in, the bytes of a report written into a writer. One entry point,
//! [`write`], one module per format. Renderers know nothing of how figures were computed and
//! decide nothing about where the bytes go; they round for display (tables) or write exact values
//! (JSON, CSV), and nothing else. JSON and CSV are streamed into the writer as they are made, so a
//! report of hundreds of MiB is never held whole; the `run` tables are written a line at a time as
//! they are drawn; other tables and Markdown are small and are built first, to be escaped.

pub mod cheapest;
mod csv;
pub mod diff;
mod html;
mod json;
mod layout;
mod markdown;
mod sections;
mod series;
pub mod stress;
mod table;
pub mod usage;

use std::io::{self, Write};

pub use table::inherited_cache_text;

use crate::estimate::Estimate;
use crate::estimate::query::{Listing, Quotes};
use crate::estimate::volume::{Breakeven, Solution};
use crate::pricing::Weights;
use crate::terminal::screen::Screen;

/// The report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Tables for a terminal, amounts rounded to cents.
    Table,
    /// For spreadsheets: one row per plan (`run`), offer (`models`) or quote (`quote`), exact.
    Csv,
    /// For spreadsheets, `run` only: one row per plan, workload, offer and month.
    CsvLines,
    /// The whole result with exact decimal strings, for other tools.
    Json,
    /// GitHub-flavoured Markdown tables, for pull requests.
    Markdown,
    /// `run` only: one self-contained page with the tables and charts as inline SVG.
    Html,
}

/// What a command produced.
#[derive(Debug, Clone, Copy)]
pub enum Report<'a> {
    /// `costcalc run`: the estimates of one or more scenarios.
    Run(&'a [Estimate]),
    /// `costcalc models`: offers of the catalog.
    Models(&'a Listing),
    /// `costcalc quote`: one request priced at many offers.
    Quotes(&'a Quotes),
    /// `costcalc breakeven`: where two plans cost the same.
    Breakeven(&'a Breakeven),
    /// `costcalc solve`: the volume that saves a target.
    Solution(&'a Solution),
}

/// Choices about how a report is written that do not change what it says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// JSON indented for reading, rather than compact.
    pub pretty: bool,
    /// The width and colour of terminal tables; other formats ignore it.
    pub screen: Screen,
    /// Markdown run reports: a Mermaid chart of each plan's cost by year after the summary.
    pub mermaid: bool,
}

impl Style {
    /// The style of every report but `run`'s: no Mermaid chart.
    #[must_use]
    pub fn plain(pretty: bool, screen: Screen) -> Self {
        Self {
            pretty,
            screen,
            mermaid: false,
        }
    }
}

/// Renders a report in a format into a `String`, in the default style: for reports known to be
/// small, and for tests. [`write`] streams instead.
///
/// # Panics
/// Never: writing into memory cannot fail, and every renderer writes UTF-8.
#[must_use]
pub fn render(report: Report<'_>, format: Format) -> String {
    let mut bytes = Vec::new();
    write(&mut bytes, report, format, Style::default()).expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("every renderer writes UTF-8")
}

/// Writes a report in a format into `out`. Text meant for people (tables, Markdown, the short
/// answers) has control characters from input files escaped; JSON and CSV carry text exactly.
/// Terminal tables are laid out for `style.screen`; the short answers, which every text format
/// shows as a table, are coloured only in the table format.
/// `out` should be buffered: JSON and CSV write it in small pieces.
///
/// # Errors
/// Whatever `out` returns; a closed pipe keeps its [`io::ErrorKind::BrokenPipe`].
pub fn write(
    out: &mut dyn Write,
    report: Report<'_>,
    format: Format,
    style: Style,
) -> io::Result<()> {
    let plain = Screen {
        color: false,
        ..style.screen
    };
    let text = match (format, report) {
        (Format::Json, report) => return json::write(out, report, style),
        (Format::Csv, Report::Run(estimates)) => return csv::summary(out, estimates),
        (Format::CsvLines, Report::Run(estimates)) => return csv::lines(out, estimates),
        (Format::Csv | Format::CsvLines, Report::Models(rows)) => return csv::models(out, rows),
        (Format::Csv | Format::CsvLines, Report::Quotes(quotes)) => {
            return csv::quotes(out, quotes);
        }
        // Laid out and escaped, with colour, as they are made.
        (Format::Table, Report::Run(estimates)) => {
            return table::write(out, estimates, style.screen);
        }
        (Format::Table, Report::Models(rows)) => {
            return out.write_all(table::models(rows, style.screen).as_bytes());
        }
        (Format::Table, Report::Quotes(quotes)) => {
            return out.write_all(table::quotes(quotes, style.screen).as_bytes());
        }
        (Format::Table, Report::Breakeven(breakeven)) => {
            return out.write_all(table::breakeven(breakeven, style.screen).as_bytes());
        }
        (Format::Table, Report::Solution(solution)) => {
            return out.write_all(table::solution(solution, style.screen).as_bytes());
        }
        (Format::Markdown, Report::Run(estimates)) => markdown::run(estimates, style.mermaid),
        (Format::Markdown, Report::Models(rows)) => markdown::models(rows),
        (Format::Markdown, Report::Quotes(quotes)) => markdown::quotes(quotes),
        (Format::Html, Report::Run(estimates)) => return html::write(out, estimates, &[]),
        // Only `run` offers `--format html`; the other commands' format options leave it out.
        (Format::Html, _) => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "only `costcalc run` writes an HTML report",
            ));
        }
        // These answers are a few lines; every text format shows them the same way, Markdown
        // with HTML's characters outside code spans written as references.
        (Format::Markdown, Report::Breakeven(breakeven)) => {
            markdown::text(&table::breakeven(breakeven, plain)).into_owned()
        }
        (Format::Markdown, Report::Solution(solution)) => {
            markdown::text(&table::solution(solution, plain)).into_owned()
        }
        (_, Report::Breakeven(breakeven)) => table::breakeven(breakeven, plain),
        (_, Report::Solution(solution)) => table::solution(solution, plain),
    };
    out.write_all(crate::terminal::escape_lines_owned(text).as_bytes())
}

fn weights_text(weights: Weights) -> &'static str {
    match weights {
        Weights::Open => "open",
        Weights::Closed => "closed",
    }
}

/// `run --by month`: the month tables that follow a run report in `format`; empty for JSON and
/// `csv-lines`, which carry every month already. With `csv`, [`monthly_csv`] replaces the
/// summary instead.
#[must_use]
pub fn monthly_section(
    estimates: &[Estimate],
    detail: bool,
    format: Format,
    screen: Screen,
) -> String {
    let text = match format {
        Format::Table => return table::monthly::section(estimates, detail, screen),
        Format::Markdown => markdown::monthly::section(estimates, detail),
        // `run` refuses `--by month` with HTML, whose chart shows every month.
        Format::Csv | Format::CsvLines | Format::Json | Format::Html => return String::new(),
    };
    crate::terminal::escape_lines_owned(text)
}

/// `run --by month --format csv`: one row per plan and month (and per workload with `detail`).
#[must_use]
pub fn monthly_csv(estimates: &[Estimate], detail: bool) -> String {
    csv::monthly::render(estimates, detail)
}

/// `run --format html`: the page for `estimates`, with a tornado chart for each scenario's
/// sensitivity in `sensitivities` (by position; pass none without `--sensitivity`).
///
/// # Errors
/// Whatever `out` returns.
pub fn html(
    out: &mut dyn Write,
    estimates: &[Estimate],
    sensitivities: &[crate::estimate::sensitivity::Sensitivity],
) -> io::Result<()> {
    html::write(out, estimates, sensitivities)
}

/// `costcalc sensitivity`, or the section `run --sensitivity` adds, in `format`.
///
/// # Panics
/// Never: the result is strings, decimals and vectors, which always serialize.
#[must_use]
pub fn sensitivity(
    result: &crate::estimate::sensitivity::Sensitivity,
    format: Format,
    screen: Screen,
) -> String {
    match format {
        // `sensitivity` offers no HTML; `run --format html` draws the section itself.
        Format::Table | Format::Html => table::sensitivity::render(result, screen),
        Format::Markdown => {
            crate::terminal::escape_lines_owned(markdown::sensitivity::render(result))
        }
        Format::Csv | Format::CsvLines => csv::sensitivity::render(result),
        Format::Json => {
            #[derive(serde::Serialize)]
            struct Document<'a> {
                schema_version: u32,
                sensitivity: &'a crate::estimate::sensitivity::Sensitivity,
            }
            let document = Document {
                schema_version: crate::estimate::SCHEMA_VERSION,
                sensitivity: result,
            };
            // Strings, decimals and vectors always serialize.
            let mut text =
                serde_json::to_string_pretty(&document).expect("reports serialize to JSON");
            text.push('\n');
            text
        }
    }
}
