//! Terminal text laid out for a [`Screen`]: tables that fit its width, prose wrapped to it,
//! colour where it asks for it. Decides nothing about the screen; renderers hand their rows and
//! lines here and get text back.
//!
//! A table that fits as it is stays as it is. One that does not keeps its numbers whole (a
//! right-aligned column is never narrower than its widest value; its heading may wrap at
//! spaces) and wraps its text columns at word boundaries, a word too long for its column being
//! split. Where even that does not fit, the columns the renderer marked optional are left out,
//! in the order it gave, and a line after the table says which and what width shows them.
//!
//! Escaping: every cell and every piece of prose is escaped ([`crate::terminal::escape`]) as it
//! is added, so the colour escapes added last are the only control characters in the text.

use std::fmt::{self, Write as _};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ColumnConstraint};
use unicode_width::UnicodeWidthStr as _;

use crate::terminal::screen::Screen;
use crate::terminal::{escape, escape_lines, escape_owned};

/// A text column is not squeezed narrower than this (or its content, if shorter) before
/// optional columns are left out.
const TEXT_FLOOR: usize = 16;

/// How a column's values are coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tone {
    /// Not coloured.
    Plain,
    /// Savings: above zero green, below zero red (a loss).
    Savings,
    /// An extra cost: above zero red (dearer), below zero green (cheaper).
    Extra,
}

/// A terminal table: its header, its rows (escaped as added), and per column how it is aligned,
/// coloured and whether it may be left out.
#[derive(Debug, Clone)]
pub(super) struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    align: Vec<CellAlignment>,
    tone: Vec<Tone>,
    /// Columns that may be left out, in the order they go; the columns of one group go
    /// together.
    optional: Vec<Vec<usize>>,
    /// What the line about left-out columns calls each column: its heading unless named.
    names: Vec<String>,
    /// How many columns, from the first, say what a row is about: a table cut into several
    /// repeats them in each.
    keys: usize,
}

impl Table {
    /// A table whose columns from `right_aligned_from` on hold numbers, aligned right.
    pub fn new<S: AsRef<str>>(header: &[S], right_aligned_from: usize) -> Self {
        let header: Vec<String> = header
            .iter()
            .map(|h| escape(h.as_ref()).into_owned())
            .collect();
        let align = (0..header.len())
            .map(|i| {
                if i >= right_aligned_from {
                    CellAlignment::Right
                } else {
                    CellAlignment::Left
                }
            })
            .collect();
        Self {
            tone: vec![Tone::Plain; header.len()],
            names: header.clone(),
            keys: 1,
            header,
            rows: Vec::new(),
            align,
            optional: Vec::new(),
        }
    }

    /// Adds a row, escaping each cell.
    pub fn add_row(&mut self, cells: Vec<String>) {
        self.rows
            .push(cells.into_iter().map(escape_owned).collect());
    }

    /// Aligns column `index` left: a text column among the numbers.
    pub fn align_left(&mut self, index: usize) {
        if let Some(align) = self.align.get_mut(index) {
            *align = CellAlignment::Left;
        }
    }

    /// Colours the values of column `index` by `tone`.
    pub fn tone(&mut self, index: usize, tone: Tone) {
        if let Some(slot) = self.tone.get_mut(index) {
            *slot = tone;
        }
    }

    /// Repeats the first `count` columns (at least one) in each table a wide one is cut into:
    /// for rows told apart by more than their first cell.
    pub fn keys(&mut self, count: usize) {
        self.keys = count.clamp(1, self.header.len().max(1));
    }

    /// Names column `index` in the line that says it was left out, for a column whose heading
    /// says too little (or nothing, as a column of bars).
    pub fn name(&mut self, index: usize, name: &str) {
        if let Some(slot) = self.names.get_mut(index) {
            *slot = escape(name).into_owned();
        }
    }

    /// Marks columns that may be left out on a narrow screen, the first to go first.
    pub fn optional(&mut self, columns: &[usize]) {
        let groups: Vec<[usize; 1]> = columns.iter().map(|c| [*c]).collect();
        let groups: Vec<&[usize]> = groups.iter().map(|g| &g[..]).collect();
        self.optional_together(&groups);
    }

    /// Marks groups of columns that may be left out, each group as one (a value and the
    /// figure that belongs to it), the first group to go first.
    pub fn optional_together(&mut self, groups: &[&[usize]]) {
        self.optional = groups
            .iter()
            .map(|group| {
                group
                    .iter()
                    .copied()
                    .filter(|c| *c < self.header.len())
                    .collect::<Vec<usize>>()
            })
            .filter(|group| !group.is_empty())
            .collect();
    }

    /// The widest line of column `index`, header included.
    fn natural(&self, index: usize) -> usize {
        self.cells(index)
            .flat_map(str::lines)
            .map(str::width)
            .max()
            .unwrap_or(0)
    }

    /// The narrowest column `index` may be: numbers whole, headings and text wrapped.
    fn floor(&self, index: usize) -> usize {
        let longest_heading_word = self.header[index]
            .split_whitespace()
            .map(str::width)
            .max()
            .unwrap_or(0);
        let longest_value = self
            .rows
            .iter()
            .filter_map(|row| row.get(index))
            .flat_map(|cell| cell.lines())
            .map(str::width)
            .max()
            .unwrap_or(0);
        if self.align[index] == CellAlignment::Right {
            longest_value.max(longest_heading_word).max(1)
        } else {
            self.natural(index).clamp(1, TEXT_FLOOR)
        }
    }

    fn cells(&self, index: usize) -> impl Iterator<Item = &str> {
        std::iter::once(self.header[index].as_str()).chain(
            self.rows
                .iter()
                .filter_map(move |row| row.get(index).map(String::as_str)),
        )
    }

    /// The table laid out for `screen`, without a final line break, and the line that says
    /// which columns were left out, if any.
    pub fn fit(&self, screen: Screen) -> (String, Option<String>) {
        let count = self.header.len();
        let width = usize::from(screen.width);
        let natural: Vec<usize> = (0..count).map(|c| self.natural(c)).collect();
        let floor: Vec<usize> = (0..count).map(|c| self.floor(c)).collect();
        let mut shown = vec![true; count];
        let total = frame_width;
        let mut hint = None;
        let fits_as_is = total(&natural, &shown) <= width;
        if !fits_as_is {
            for group in &self.optional {
                if total(&floor, &shown) <= width {
                    break;
                }
                for column in group {
                    shown[*column] = false;
                }
            }
            let left_out: Vec<&str> = (0..count)
                .filter(|c| !shown[*c])
                .map(|c| match self.names[c].as_str() {
                    "" => "(unnamed)",
                    name => name,
                })
                .collect();
            if !left_out.is_empty() {
                let all = vec![true; count];
                hint = Some(format!(
                    "({} left out to fit {width} columns: {}; `--width {}` or wider shows {})",
                    if left_out.len() == 1 {
                        "1 column".to_owned()
                    } else {
                        format!("{} columns", left_out.len())
                    },
                    left_out.join(", "),
                    total(&floor, &all),
                    if left_out.len() == 1 { "it" } else { "them" }
                ));
            }
        }
        // Still too wide with only the columns it cannot do without: the table is cut into
        // several, one after the other in order, each repeating the key columns.
        let keys = self.keys.min(count);
        let mut parts: Vec<Vec<bool>> = Vec::new();
        let mut part = vec![false; count];
        for column in (keys..count).filter(|c| shown[*c]) {
            let mut wider = part.clone();
            wider[..keys].copy_from_slice(&shown[..keys]);
            wider[column] = true;
            if total(&floor, &wider) > width && part.iter().any(|p| *p) {
                parts.push(std::mem::replace(&mut part, vec![false; count]));
            }
            part[column] = true;
        }
        parts.push(part);
        let text: Vec<String> = parts
            .into_iter()
            .map(|mut part| {
                part[..keys].copy_from_slice(&shown[..keys]);
                self.draw(&part, &natural, &floor, screen)
            })
            .collect();
        (text.join("\n"), hint)
    }

    /// The columns in `shown`, wrapped to fit the screen where their natural widths do not.
    fn draw(&self, shown: &[bool], natural: &[usize], floor: &[usize], screen: Screen) -> String {
        let width = usize::from(screen.width);
        let widths = if frame_width(natural, shown) <= width {
            natural.to_vec()
        } else {
            let text: Vec<bool> = self
                .align
                .iter()
                .map(|a| *a != CellAlignment::Right)
                .collect();
            squeeze(natural, floor, shown, &text, width)
        };
        // Cells are wrapped here, to the widths chosen, so that comfy-table only draws them.
        let wrap = |index: usize, cell: &str| -> String {
            if widths[index] < natural[index] {
                wrap_cell(cell, widths[index])
            } else {
                cell.to_owned()
            }
        };
        let mut table = comfy_table::Table::new();
        table.load_style(UTF8_FULL_CONDENSED);
        table.force_no_tty();
        if screen.color {
            table.enforce_styling();
        }
        table.set_header(self.header.iter().enumerate().map(|(c, h)| {
            let cell = Cell::new(wrap(c, h));
            if screen.color {
                cell.add_attribute(Attribute::Bold)
            } else {
                cell
            }
        }));
        for row in &self.rows {
            table.add_row(row.iter().enumerate().map(|(c, text)| {
                let cell = Cell::new(wrap(c, text));
                match self.tone.get(c).and_then(|t| tint(*t, text)) {
                    Some(color) if screen.color => cell.fg(color),
                    _ => cell,
                }
            }));
        }
        for (index, align) in self.align.iter().enumerate() {
            if let Some(column) = table.column_mut(index) {
                column.set_cell_alignment(*align);
                if !shown[index] {
                    column.set_constraint(ColumnConstraint::Hidden);
                }
            }
        }
        table.to_string()
    }
}

/// How wide the columns in `shown` are drawn at `widths`: each has a space either side and a
/// rule after it, and there is one more rule before the first.
fn frame_width(widths: &[usize], shown: &[bool]) -> usize {
    widths
        .iter()
        .zip(shown)
        .filter(|(_, s)| **s)
        .map(|(w, _)| w + 3)
        .sum::<usize>()
        + 1
}

/// Column widths that fit `width`, from each shown column's floor: the room left goes first to
/// the text columns, evenly (each as wide as a common level allows, up to its natural width),
/// then the same way to the number columns, whose headings then wrap less.
fn squeeze(
    natural: &[usize],
    floor: &[usize],
    shown: &[bool],
    text: &[bool],
    width: usize,
) -> Vec<usize> {
    let count = natural.len();
    let visible: Vec<usize> = (0..count).filter(|c| shown[*c]).collect();
    let mut widths: Vec<usize> = (0..count)
        .map(|c| if shown[c] { floor[c] } else { 0 })
        .collect();
    let room = width.saturating_sub(visible.len() * 3 + 1);
    let mut spare = room.saturating_sub(widths.iter().sum());
    for wanted in [true, false] {
        let columns: Vec<usize> = visible
            .iter()
            .copied()
            .filter(|c| text[*c] == wanted)
            .collect();
        raise(&mut widths, &columns, natural, &mut spare);
    }
    widths
}

/// Widens `columns` towards their natural widths with up to `spare` columns of room: all to one
/// level as high as the room allows, the rest one at a time from the left.
fn raise(widths: &mut [usize], columns: &[usize], natural: &[usize], spare: &mut usize) {
    let cost = |widths: &[usize], level: usize| -> usize {
        columns
            .iter()
            .map(|c| level.min(natural[*c]).saturating_sub(widths[*c]))
            .sum()
    };
    let most = columns.iter().map(|c| natural[*c]).max().unwrap_or(0);
    let mut level = 0;
    while level < most && cost(widths, level + 1) <= *spare {
        level += 1;
    }
    *spare -= cost(widths, level);
    for c in columns {
        widths[*c] = widths[*c].max(level.min(natural[*c]));
    }
    for c in columns {
        if *spare == 0 {
            break;
        }
        if widths[*c] < natural[*c] {
            widths[*c] += 1;
            *spare -= 1;
        }
    }
}

/// `cell` wrapped to `width` columns: at spaces, and inside a word too long for the line after
/// a `-`, `/` or `,` or before an `@` (`model@provider` ids), or anywhere as a last resort.
pub(super) fn wrap_cell(cell: &str, width: usize) -> String {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    for source in cell.lines() {
        let mut line = String::new();
        for word in source.split(' ').filter(|w| !w.is_empty()) {
            // A word that fits a line is never cut; one that does not is cut into pieces.
            let whole = [Piece {
                text: word,
                joined: false,
            }];
            let cut = if word.width() <= width {
                Vec::new()
            } else {
                pieces(word)
            };
            let parts = if cut.is_empty() { &whole[..] } else { &cut[..] };
            for piece in parts {
                let glue = if line.is_empty() || piece.joined {
                    ""
                } else {
                    " "
                };
                if line.width() + glue.len() + piece.text.width() <= width {
                    line.push_str(glue);
                    line.push_str(piece.text);
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // Too long for a line of its own: cut where the line ends.
                let mut rest = piece.text;
                while rest.width() > width {
                    let cut = cut_at(rest, width);
                    lines.push(rest[..cut].to_owned());
                    rest = &rest[cut..];
                }
                line.push_str(rest);
            }
        }
        lines.push(line);
    }
    lines.join("\n")
}

/// The byte index at which the first `width` columns of `text` end (at least one character).
fn cut_at(text: &str, width: usize) -> usize {
    let mut used = 0;
    let mut cut = 0;
    for (at, c) in text.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width && at > 0 {
            break;
        }
        used += w;
        cut = at + c.len_utf8();
    }
    cut
}

/// A piece of a word, and whether it joins the piece before it without a space.
struct Piece<'a> {
    text: &'a str,
    joined: bool,
}

/// `word` cut where it may break: after `-`, `/` or `,`, and before `@`.
fn pieces(word: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (at, c) in word.char_indices() {
        let cut = match c {
            // Not inside or just after the `//` of a URL: the host stays with its scheme.
            '/' if word[at + 1..].starts_with('/') || word[..at].ends_with('/') => continue,
            '-' | '/' | ',' => at + c.len_utf8(),
            '@' => at,
            _ => continue,
        };
        if cut > start && cut < word.len() {
            pieces.push(Piece {
                text: &word[start..cut],
                joined: start > 0,
            });
            start = cut;
        }
    }
    pieces.push(Piece {
        text: &word[start..],
        joined: start > 0,
    });
    pieces
}

/// The colour of a value in a column of `tone`: by its sign, none for zero, a dash or words.
fn tint(tone: Tone, text: &str) -> Option<Color> {
    if tone == Tone::Plain {
        return None;
    }
    let mut digits = text.chars().filter(char::is_ascii_digit).peekable();
    digits.peek()?;
    if digits.all(|d| d == '0') {
        return None;
    }
    let below_zero = text.trim_start().starts_with('-');
    Some(match (tone, below_zero) {
        (Tone::Savings, false) | (Tone::Extra, true) => Color::Green,
        _ => Color::Red,
    })
}

/// An amount with its sign spelt out when above zero (`+$1,200.00`, `-$3.00`, `$0.00`): a
/// change or a difference, in every text format, whose sign [`Tone`] colours on a terminal.
pub(super) fn signed_money(amount: rust_decimal::Decimal, currency: &str) -> String {
    let text = crate::money::format_money(amount, currency);
    if crate::money::round_for_display(amount, 2) > rust_decimal::Decimal::ZERO {
        format!("+{text}")
    } else {
        text
    }
}

/// A terminal report being written: prose written into it (with `write!`) is escaped and, when
/// finished, wrapped to the screen's width; tables are laid out for the screen.
#[derive(Debug)]
pub(super) struct Text {
    screen: Screen,
    done: String,
    /// Prose not yet wrapped.
    prose: String,
}

impl fmt::Write for Text {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.prose.push_str(&escape_lines(text));
        Ok(())
    }
}

impl Text {
    pub fn new(screen: Screen) -> Self {
        Self {
            screen,
            done: String::new(),
            prose: String::new(),
        }
    }

    /// Adds a table laid out for the screen, on its own lines, and the line saying which
    /// columns it left out.
    pub fn table(&mut self, table: &Table) {
        self.flush();
        if !self.done.is_empty() && !self.done.ends_with('\n') {
            self.done.push('\n');
        }
        let (text, hint) = table.fit(self.screen);
        self.done.push_str(&text);
        self.done.push('\n');
        if let Some(hint) = hint {
            let _ = writeln!(self, "{hint}");
        }
    }

    /// The report.
    pub fn finish(mut self) -> String {
        self.flush();
        self.done
    }

    fn flush(&mut self) {
        let prose = std::mem::take(&mut self.prose);
        let width = usize::from(self.screen.width);
        let mut lines = prose.split('\n').peekable();
        while let Some(line) = lines.next() {
            wrap_into(&mut self.done, line, width);
            if lines.peek().is_some() {
                self.done.push('\n');
            }
        }
    }
}

/// Appends `line` wrapped at spaces to `width` columns. Continuation lines keep the line's
/// indentation, and a list item's (`- `) text lines up under its first word. A word longer
/// than the line (a URL) stays whole on a line of its own.
pub(super) fn wrap_into(out: &mut String, line: &str, width: usize) {
    if line.width() <= width {
        out.push_str(line);
        return;
    }
    let body = line.trim_start_matches(' ');
    let mut indent = line.len() - body.len();
    if body.starts_with("- ") {
        indent += 2;
    }
    let hang = " ".repeat(indent);
    let (first, rest) = line.split_at(indent.min(line.len()));
    out.push_str(first);
    let mut column = first.width();
    let mut on_line = 0;
    for word in rest.split(' ').filter(|w| !w.is_empty()) {
        let word_width = word.width();
        if on_line > 0 && column + 1 + word_width > width {
            out.push('\n');
            out.push_str(&hang);
            column = indent;
            on_line = 0;
        }
        if on_line > 0 {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += word_width;
        on_line += 1;
    }
}

#[cfg(test)]
mod tests;
