//! The charts of the HTML report, drawn with plotters' SVG backend from the series that
//! `report::series` worked out: this module only turns decimals into pixels and draws them.
//!
//! The text is laid out by plotters' own estimate of a font's widths (the crate is built without
//! its `ttf` feature), so no font file is read, a machine without fonts draws the same chart, and
//! the same estimate always gives the same SVG: the browser picks the font when it shows it.
//! Every label passes through [`crate::terminal::escape`] first, and plotters escapes `<`, `&`
//! and quotes in what it writes.

use std::io;

use plotters::coord::Shift;
use plotters::coord::combinators::WithKeyPoints;
use plotters::coord::types::RangedCoordi32;
use plotters::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::calendar::YearMonth;
use crate::money::format_money_short;
use crate::report::series::{Cumulative, Stacked, Tornado};
use crate::terminal::escape;

/// The width of every chart, in SVG pixels; CSS scales it down to the page.
const WIDTH: u32 = 960;
/// The height of the line and bar charts.
const HEIGHT: u32 = 420;
/// The panel on the right that holds the legend.
const LEGEND_WIDTH: u32 = 230;
/// Legend entries that fit beside a chart of [`HEIGHT`]; more are summed up in one line.
const LEGEND_ROWS: usize = 16;
/// The longest label drawn whole, in characters; longer ones end in `…`.
const LABEL_CHARS: usize = 26;
const FONT: &str = "sans-serif";

/// Colours for plans, workloads and countries, in order, repeated after the tenth: Tableau 10,
/// which stays apart for most kinds of colour blindness.
const PALETTE: [RGBColor; 10] = [
    RGBColor(0x4E, 0x79, 0xA7),
    RGBColor(0xF2, 0x8E, 0x2B),
    RGBColor(0xE1, 0x57, 0x59),
    RGBColor(0x76, 0xB7, 0xB2),
    RGBColor(0x59, 0xA1, 0x4F),
    RGBColor(0xED, 0xC9, 0x48),
    RGBColor(0xB0, 0x7A, 0xA1),
    RGBColor(0xFF, 0x9D, 0xA7),
    RGBColor(0x9C, 0x75, 0x5F),
    RGBColor(0xBA, 0xB0, 0xAC),
];
const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);

fn colour(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// Drawing into a string cannot fail; plotters' errors are kept as I/O errors all the same.
fn failed(error: impl std::fmt::Display) -> io::Error {
    io::Error::other(format!("drawing a chart: {error}"))
}

/// A label for the chart: control characters escaped, cut to [`LABEL_CHARS`].
fn label(text: &str) -> String {
    let text = escape(text);
    if text.chars().count() <= LABEL_CHARS {
        return text.into_owned();
    }
    let mut cut: String = text.chars().take(LABEL_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// The pixel position of an amount: the only place a figure becomes a float, for drawing.
fn pixels(amount: Decimal) -> f64 {
    amount.to_f64().unwrap_or(0.0)
}

/// An axis tick back as a short amount; ticks are round numbers that plotters picked.
fn tick(value: f64, currency: &str) -> String {
    Decimal::from_f64_retain(value).map_or_else(String::new, |d| format_money_short(d, currency))
}

/// An axis from zero (or below, for a negative value) to a little above the largest value, so
/// the highest bar or line does not touch the frame.
#[expect(
    clippy::float_arithmetic,
    reason = "pixel geometry only; no figure is computed here"
)]
fn value_range(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (low, high) = values.fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let pad = (high - low).max(1.0) * 0.08;
    let low = if low < 0.0 { low - pad } else { 0.0 };
    low..high + pad
}

/// One line of a legend: a filled square for bars, a short line for lines.
struct Entry {
    text: String,
    colour: RGBColor,
    line: bool,
}

impl Entry {
    fn filled(text: &str, colour: RGBColor) -> Self {
        Entry {
            text: text.to_owned(),
            colour,
            line: false,
        }
    }

    fn line(text: &str, colour: RGBColor) -> Self {
        Entry {
            text: text.to_owned(),
            colour,
            line: true,
        }
    }
}

/// The legend panel: a swatch and a label per entry, top to bottom.
fn legend(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    title: &str,
    entries: &[Entry],
) -> io::Result<()> {
    let text = (FONT, 15).into_font().color(&INK);
    area.draw(&Text::new(label(title), (8, 24), text.clone()))
        .map_err(failed)?;
    let shown = if entries.len() > LEGEND_ROWS {
        LEGEND_ROWS - 1
    } else {
        entries.len()
    };
    let mut y = 48;
    for entry in &entries[..shown] {
        if entry.line {
            area.draw(&PathElement::new(
                [(6, y + 7), (24, y + 7)],
                entry.colour.stroke_width(3),
            ))
            .map_err(failed)?;
        } else {
            area.draw(&Rectangle::new(
                [(8, y), (22, y + 14)],
                entry.colour.filled(),
            ))
            .map_err(failed)?;
        }
        area.draw(&Text::new(label(&entry.text), (30, y), text.clone()))
            .map_err(failed)?;
        y += 22;
    }
    if shown < entries.len() {
        let more = format!("and {} more", entries.len() - shown);
        area.draw(&Text::new(more, (30, y), text)).map_err(failed)?;
    }
    Ok(())
}

/// The x-axis ticks of a horizon of `months`: every month of a year or less, then every
/// quarter, half year, or whole number of years that keeps about ten ticks, and the end. A
/// regular tick closer to the end than half a step is left out, so that the two labels do not
/// print over each other.
fn month_ticks(months: i32) -> Vec<i32> {
    let step = match months {
        ..=12 => 1,
        13..=36 => 3,
        37..=72 => 6,
        _ => 12 * ((months + 119) / 120),
    };
    let mut ticks: Vec<i32> = (0..months)
        .step_by(usize::try_from(step).unwrap_or(1))
        .collect();
    if ticks.len() > 1 && ticks.last().is_some_and(|&last| 2 * (months - last) < step) {
        ticks.pop();
    }
    ticks.push(months);
    ticks
}

/// The room for an amount axis's labels, in pixels: enough for the longest of them, which is
/// the one at either end of `range`, at about 7 pixels a character of a 13-pixel font (digits
/// are a little wider, commas much narrower), and never less than the 72 that eight fit in.
fn amount_label_width(range: &std::ops::Range<f64>, currency: &str) -> u32 {
    let longest = [range.start, range.end]
        .into_iter()
        .map(|end| tick(end, currency).chars().count())
        .max()
        .unwrap_or(0);
    (u32::try_from(longest).unwrap_or(u32::MAX).saturating_mul(7) + 16).max(72)
}

/// (a) Each plan's spend from the start to each month's end: one line per plan, starting at
/// zero. The tick at `k` is the start of the `k`-th month after the start.
pub(super) fn cumulative(chart: &Cumulative, currency: &str) -> io::Result<String> {
    let months = i32::try_from(chart.months.len()).map_err(failed)?;
    let month_at = |k: i32| -> String {
        usize::try_from(k)
            .ok()
            .and_then(|k| chart.months.get(k).copied())
            .or_else(|| chart.months.last().map(|m: &YearMonth| m.next()))
            .map_or_else(String::new, |m| m.to_string())
    };
    let range = value_range(
        chart
            .lines
            .iter()
            .flat_map(|line| line.values.iter().copied().map(pixels)),
    );
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let (plot, side) = root.split_horizontally(WIDTH - LEGEND_WIDTH);
        let mut cartesian = ChartBuilder::on(&plot)
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(amount_label_width(&range, currency))
            .build_cartesian_2d((0..months).with_key_points(month_ticks(months)), range)
            .map_err(failed)?;
        cartesian
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .x_label_formatter(&|k| month_at(*k))
            .y_label_formatter(&|v| tick(*v, currency))
            .x_desc("spend from the start of the horizon to the start of each month")
            .label_style((FONT, 13).into_font().color(&INK))
            .axis_desc_style((FONT, 14).into_font().color(&INK))
            .draw()
            .map_err(failed)?;
        for (index, line) in chart.lines.iter().enumerate() {
            let points = std::iter::once((0, 0.0)).chain(
                (1..)
                    .zip(&line.values)
                    .map(|(month, value)| (month, pixels(*value))),
            );
            cartesian
                .draw_series(LineSeries::new(points, colour(index).stroke_width(3)))
                .map_err(failed)?;
        }
        let entries: Vec<Entry> = chart
            .lines
            .iter()
            .enumerate()
            .map(|(index, line)| Entry::line(&line.plan, colour(index)))
            .collect();
        legend(&side, "Plans", &entries)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// (b), (c) Bars of stacked parts: one bar per plan, parts bottom to top in the series' order,
/// each part in its colour in every bar.
pub(super) fn stacked(chart: &Stacked, currency: &str, legend_title: &str) -> io::Result<String> {
    let bars = i32::try_from(chart.bars.len()).map_err(failed)?;
    let range = value_range(chart.totals().into_iter().map(pixels));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let (plot, side) = root.split_horizontally(WIDTH - LEGEND_WIDTH);
        let mut cartesian = ChartBuilder::on(&plot)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(amount_label_width(&range, currency))
            .build_cartesian_2d(slots(bars), range)
            .map_err(failed)?;
        cartesian
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .x_label_formatter(&|at| slot_label(*at, &chart.bars))
            .y_label_formatter(&|v| tick(*v, currency))
            .label_style((FONT, 13).into_font().color(&INK))
            .draw()
            .map_err(failed)?;
        let mut bottoms = vec![Decimal::ZERO; chart.bars.len()];
        for (index, part) in chart.parts.iter().enumerate() {
            let style = colour(index).filled();
            let mut rectangles = Vec::new();
            for ((bar, bottom), value) in (0..bars).zip(&mut bottoms).zip(&part.values) {
                if value.is_zero() {
                    continue;
                }
                let top = *bottom + *value;
                let mut rectangle = Rectangle::new(
                    [(2 * bar, pixels(*bottom)), (2 * bar + 2, pixels(top))],
                    style,
                );
                rectangle.set_margin(0, 0, 16, 16);
                rectangles.push(rectangle);
                *bottom = top;
            }
            cartesian.draw_series(rectangles).map_err(failed)?;
        }
        // Parts are listed top first, as they stand in the bars.
        let entries: Vec<Entry> = chart
            .parts
            .iter()
            .enumerate()
            .rev()
            .map(|(index, part)| Entry::filled(&part.label, colour(index)))
            .collect();
        legend(&side, legend_title, &entries)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// An axis of `count` categories: category `i` fills `2i..2i + 2` and is labelled at `2i + 1`,
/// so bars have whole-number edges and their labels sit in their middles.
fn slots(count: i32) -> WithKeyPoints<RangedCoordi32> {
    let count = count.max(1);
    (0..2 * count).with_key_points((0..count).map(|i| 2 * i + 1).collect())
}

/// The label of the category whose middle is at `at`.
fn slot_label<T: AsRef<str>>(at: i32, labels: &[T]) -> String {
    usize::try_from((at - 1) / 2)
        .ok()
        .and_then(|index| labels.get(index))
        .map_or_else(String::new, |text| label(text.as_ref()))
}

/// The tornado's colours: savings with an assumption at its low end, and at its high end.
const LOW_END: RGBColor = RGBColor(0x4E, 0x79, 0xA7);
const HIGH_END: RGBColor = RGBColor(0xF2, 0x8E, 0x2B);
const ZERO_LINE: RGBColor = RGBColor(0xC0, 0x39, 0x2B);

/// (d) One plan's tornado: a bar per assumption, largest swing on top, from the base savings to
/// the savings at each end of its range; a line at the base and one at zero (no saving).
pub(super) fn tornado(chart: &Tornado, currency: &str) -> io::Result<String> {
    let rows = i32::try_from(chart.bars.len()).map_err(failed)?;
    let height = 110 + 34 * u32::try_from(rows.max(1)).map_err(failed)?;
    let range = value_range(
        chart
            .bars
            .iter()
            .flat_map(|bar| [bar.at_low, bar.at_high])
            .chain([chart.base])
            .map(pixels),
    );
    let base = pixels(chart.base);
    // The largest swing is drawn on top: the first bar takes the last slot from the bottom.
    let labels: Vec<&str> = chart
        .bars
        .iter()
        .rev()
        .map(|bar| bar.label.as_str())
        .collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let (plot, side) = root.split_horizontally(WIDTH - LEGEND_WIDTH);
        let mut cartesian = ChartBuilder::on(&plot)
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(170)
            .build_cartesian_2d(range.clone(), slots(rows))
            .map_err(failed)?;
        cartesian
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .y_label_formatter(&|at| slot_label(*at, &labels))
            .x_label_formatter(&|v| tick(*v, currency))
            .x_desc("savings over the horizon")
            .label_style((FONT, 13).into_font().color(&INK))
            .axis_desc_style((FONT, 14).into_font().color(&INK))
            .draw()
            .map_err(failed)?;
        for (slot, bar) in (0..rows).rev().zip(&chart.bars) {
            for (value, colour) in [(bar.at_low, LOW_END), (bar.at_high, HIGH_END)] {
                let end = pixels(value);
                let mut rectangle = Rectangle::new(
                    [(base.min(end), 2 * slot), (base.max(end), 2 * slot + 2)],
                    colour.filled(),
                );
                rectangle.set_margin(6, 6, 0, 0);
                cartesian.draw_series([rectangle]).map_err(failed)?;
            }
        }
        for (x, colour) in [(base, INK), (0.0, ZERO_LINE)] {
            if range.contains(&x) {
                cartesian
                    .draw_series([PathElement::new(
                        [(x, 0), (x, 2 * rows.max(1))],
                        colour.stroke_width(2),
                    )])
                    .map_err(failed)?;
            }
        }
        legend(
            &side,
            "Assumption moved to",
            &[
                Entry::filled("its low end", LOW_END),
                Entry::filled("its high end", HIGH_END),
                Entry::line("savings at base values", INK),
                Entry::line("no savings", ZERO_LINE),
            ],
        )?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_are_cut_and_control_characters_shown() {
        assert_eq!(label("chat"), "chat");
        assert_eq!(label("a\u{1b}[2J"), "a\\u{1b}[2J");
        let long = "x".repeat(40);
        let cut = label(&long);
        assert_eq!(cut.chars().count(), LABEL_CHARS);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn month_ticks_end_at_the_horizon() {
        assert_eq!(month_ticks(3), [0, 1, 2, 3]);
        assert_eq!(month_ticks(24), [0, 3, 6, 9, 12, 15, 18, 21, 24]);
        assert_eq!(month_ticks(40), [0, 6, 12, 18, 24, 30, 36, 40]);
    }

    #[test]
    fn long_horizons_keep_about_ten_ticks_and_none_crowds_the_end() {
        // 600 months at every 12th month were 51 labels over some 600 pixels, printed over
        // each other; 12 x ceil(600 / 120) = 60 months apart, 11 labels.
        assert_eq!(
            month_ticks(600),
            [0, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600]
        );
        // 13 months: 12 and 13 would sit one month apart; 12 is left out.
        assert_eq!(month_ticks(13), [0, 3, 6, 9, 13]);
        // 73 months at every 12th: 72 is one month from the end.
        assert_eq!(month_ticks(73), [0, 12, 24, 36, 48, 60, 73]);
        assert_eq!(month_ticks(1), [0, 1]);
    }

    #[test]
    fn the_amount_axis_is_as_wide_as_its_longest_label() {
        // Small amounts keep the 72 pixels the labels always had.
        assert_eq!(amount_label_width(&(0.0..1_500.0), "USD"), 72);
        // "$2,383,619,967,807.04M" is 22 characters: 22 x 7 + 16 = 170 pixels, where 72 cut
        // the label's front off.
        assert_eq!(
            amount_label_width(&(0.0..2_383_619_967_807_039_080.0), "USD"),
            170
        );
        // A negative end can be the longer one: "-CHF 25k" is 8 characters and fits in 72;
        // "-CHF 25,000M" is 12, 12 x 7 + 16 = 100.
        assert_eq!(amount_label_width(&(-25_000.0..10.0), "CHF"), 72);
        assert_eq!(amount_label_width(&(-25_000_000_000.0..10.0), "CHF"), 100);
    }
}
