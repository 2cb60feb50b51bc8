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

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::io;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color};
use unicode_width::UnicodeWidthStr as _;

use crate::terminal::screen::Screen;
use crate::terminal::{escape, escape_lines};

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
///
/// A table of a large scenario has tens of thousands of rows, so their cells are kept one after
/// another in one string rather than one `String` each, and the table is drawn a line at a time
/// into its reader ([`Text`]), which passes the lines on as they come: nothing holds the drawn
/// table whole.
#[derive(Debug, Clone)]
pub(super) struct Table {
    header: Vec<String>,
    /// Every row's cells, escaped, one after another.
    text: String,
    /// Where each cell ends in `text`.
    cell_ends: Vec<usize>,
    /// Where each row's cells end in `cell_ends`.
    row_ends: Vec<usize>,
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
            text: String::new(),
            cell_ends: Vec::new(),
            row_ends: Vec::new(),
            align,
            optional: Vec::new(),
        }
    }

    /// Adds a row, escaping each cell. A row has at most as many cells as the header.
    pub fn add_row(&mut self, cells: Vec<String>) {
        debug_assert!(
            cells.len() <= self.header.len(),
            "a row wider than its header"
        );
        for cell in cells {
            self.text.push_str(&escape(&cell));
            self.cell_ends.push(self.text.len());
        }
        self.row_ends.push(self.cell_ends.len());
    }

    /// Each row's cells.
    fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        let starts = std::iter::once(0).chain(self.row_ends.iter().copied());
        starts.zip(&self.row_ends).map(|(first, end)| Row {
            table: self,
            cells: first..*end,
        })
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
            .rows()
            .filter_map(|row| row.get(index))
            .flat_map(str::lines)
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
        std::iter::once(self.header[index].as_str())
            .chain(self.rows().filter_map(move |row| row.get(index)))
    }

    /// The table laid out for `screen`, without a final line break, and the line that says
    /// which columns were left out, if any.
    #[cfg(test)]
    pub fn fit(&self, screen: Screen) -> (String, Option<String>) {
        let mut text = String::new();
        let hint = self.fit_into(screen, &mut |line| {
            text.push_str(line);
            text.push('\n');
        });
        text.pop();
        (text, hint)
    }

    /// Draws the table laid out for `screen` into `line`, a line at a time (without its line
    /// break), and returns the line that says which columns were left out, if any.
    fn fit_into(&self, screen: Screen, line: &mut dyn FnMut(&str)) -> Option<String> {
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
        for mut part in parts {
            part[..keys].copy_from_slice(&shown[..keys]);
            self.draw(&part, &natural, &floor, screen, line);
        }
        hint
    }

    /// Draws the columns in `shown`, wrapped to fit the screen where their natural widths do
    /// not, a line at a time into `line`.
    ///
    /// The lines are those comfy-table's `UTF8_FULL_CONDENSED` style draws for the same cells:
    /// each column as wide as its widest line once wrapped (at least one), with a space either
    /// side; a cell's lines aligned and then, in colour, styled with the space around them; a
    /// row as tall as its tallest shown cell, shorter cells topped up with unstyled spaces.
    fn draw(
        &self,
        shown: &[bool],
        natural: &[usize],
        floor: &[usize],
        screen: Screen,
        line: &mut dyn FnMut(&str),
    ) {
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
        // Cells are wrapped to the widths chosen; each column is then as wide as its widest
        // line. Only shown columns are measured and drawn.
        let wrapped = |index: usize, cell| wrapped_to(cell, widths[index], natural[index]);
        let columns: Vec<usize> = (0..self.header.len()).filter(|c| shown[*c]).collect();
        let content: Vec<usize> = columns
            .iter()
            .map(|c| {
                self.cells(*c)
                    .map(|cell| widest(&wrapped(*c, cell)))
                    .max()
                    .unwrap_or(0)
                    .max(1)
            })
            .collect();
        let styles = screen.color.then(Styles::new);
        let mut buffer = String::new();
        rule(&content, ['┌', '─', '┬', '┐'], &mut buffer, line);
        let header_style = styles.as_ref().map(|s| &s.bold);
        let header = columns.iter().map(|c| {
            let cell = wrapped(*c, &self.header[*c]);
            (Some(cell), header_style)
        });
        let header: Vec<StyledCell<'_>> = header.collect();
        self.draw_row(&columns, &content, &header, &mut buffer, line);
        rule(&content, ['╞', '═', '╪', '╡'], &mut buffer, line);
        for row in self.rows() {
            let cells = columns.iter().map(|c| match row.get(*c) {
                Some(text) => {
                    let style = styles.as_ref().and_then(|s| {
                        self.tone
                            .get(*c)
                            .and_then(|t| tint(*t, text))
                            .map(|color| match color {
                                Color::Green => &s.green,
                                _ => &s.red,
                            })
                    });
                    (Some(wrapped(*c, text)), style)
                }
                None => (None, None),
            });
            let cells: Vec<StyledCell<'_>> = cells.collect();
            self.draw_row(&columns, &content, &cells, &mut buffer, line);
        }
        rule(&content, ['└', '─', '┴', '┘'], &mut buffer, line);
    }

    /// Draws one row's lines: `cells` are the shown columns' (wrapped) text, `None` past the
    /// end of a short row, and the style of each.
    fn draw_row(
        &self,
        columns: &[usize],
        content: &[usize],
        cells: &[StyledCell<'_>],
        buffer: &mut String,
        line: &mut dyn FnMut(&str),
    ) {
        let mut lines: Vec<std::str::Split<'_, char>> = cells
            .iter()
            .map(|(cell, _)| cell.as_deref().unwrap_or("").split('\n'))
            .collect();
        let height = lines.iter().map(|l| l.clone().count()).max().unwrap_or(0);
        for _ in 0..height {
            buffer.clear();
            buffer.push('│');
            for (k, (&column, cell_lines)) in columns.iter().zip(&mut lines).enumerate() {
                if k > 0 {
                    buffer.push('┆');
                }
                let (cell, style) = &cells[k];
                match cell_lines.next().filter(|_| cell.is_some()) {
                    Some(text) => {
                        let remaining = content[k].saturating_sub(text.width());
                        let (left, right) = if self.align[column] == CellAlignment::Right {
                            (remaining, 0)
                        } else {
                            (0, remaining)
                        };
                        if let Some((before, _)) = style {
                            buffer.push_str(before);
                        }
                        buffer.extend(std::iter::repeat_n(' ', 1 + left));
                        buffer.push_str(text);
                        buffer.extend(std::iter::repeat_n(' ', right + 1));
                        if let Some((_, after)) = style {
                            buffer.push_str(after);
                        }
                    }
                    None => buffer.extend(std::iter::repeat_n(' ', content[k] + 2)),
                }
            }
            buffer.push('│');
            line(buffer);
        }
    }
}

/// A shown cell being drawn: its text, wrapped (`None` past the end of a short row), and the
/// escapes around it in colour.
type StyledCell<'a> = (Option<Cow<'a, str>>, Option<&'a (String, String)>);

/// One row of a [`Table`]: its cells, by column.
#[derive(Debug, Clone)]
struct Row<'a> {
    table: &'a Table,
    /// The row's cells' indexes in `table.cell_ends`.
    cells: std::ops::Range<usize>,
}

impl<'a> Row<'a> {
    /// The cell in column `index`, if the row reaches that far.
    fn get(&self, index: usize) -> Option<&'a str> {
        let cell = self.cells.start + index;
        if cell >= self.cells.end {
            return None;
        }
        let start = cell
            .checked_sub(1)
            .map_or(0, |before| self.table.cell_ends[before]);
        Some(&self.table.text[start..self.table.cell_ends[cell]])
    }
}

/// `cell` wrapped to `width` columns if its natural width is more.
fn wrapped_to(cell: &str, width: usize, natural: usize) -> Cow<'_, str> {
    if width < natural {
        Cow::Owned(wrap_cell(cell, width))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Draws a rule across columns `content` wide (each with a space either side): the left end,
/// the fill, the junction between columns and the right end.
fn rule(
    content: &[usize],
    [left, fill, junction, right]: [char; 4],
    buffer: &mut String,
    line: &mut dyn FnMut(&str),
) {
    buffer.clear();
    buffer.push(left);
    for (k, w) in content.iter().enumerate() {
        if k > 0 {
            buffer.push(junction);
        }
        buffer.extend(std::iter::repeat_n(fill, w + 2));
    }
    buffer.push(right);
    line(buffer);
}

/// The widest line of `text`, its lines split at line feeds only, as comfy-table splits them.
fn widest(text: &str) -> usize {
    text.split('\n').map(str::width).max().unwrap_or(0)
}

/// The escapes that colour a cell, before and after its padded text, for bold headings and
/// green and red values.
struct Styles {
    bold: (String, String),
    green: (String, String),
    red: (String, String),
}

impl Styles {
    /// The escapes comfy-table writes around a styled cell, taken from a one-cell table it
    /// draws, so that colour tables are byte for byte what it would draw (the terminal library
    /// beneath it, for one, writes no colour when `NO_COLOR` is set).
    fn new() -> Self {
        let around = |cell: Cell| -> (String, String) {
            let mut table = comfy_table::Table::new();
            table.load_style(UTF8_FULL_CONDENSED);
            table.force_no_tty();
            table.enforce_styling();
            table.add_row(vec![cell]);
            let drawn = table.lines().nth(1).unwrap_or_default();
            let inner = drawn
                .strip_prefix('│')
                .and_then(|l| l.strip_suffix('│'))
                .unwrap_or_default();
            let (before, after) = inner.split_once(" x ").unwrap_or_default();
            (before.to_owned(), after.to_owned())
        };
        Self {
            bold: around(Cell::new("x").add_attribute(Attribute::Bold)),
            green: around(Cell::new("x").fg(Color::Green)),
            red: around(Cell::new("x").fg(Color::Red)),
        }
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
/// finished, wrapped to the screen's width; tables are laid out for the screen. Written into a
/// writer ([`Text::into_writer`]), the report is passed on as it is made, a table's lines as they
/// are drawn; otherwise it is kept, for [`Text::finish`].
pub(super) struct Text<'w> {
    screen: Screen,
    done: String,
    /// Prose not yet wrapped.
    prose: String,
    /// Where finished text goes once there is enough of it, if anywhere.
    sink: Option<&'w mut dyn io::Write>,
    /// Whether text already passed to the sink ended in the middle of a line.
    sent_partial_line: bool,
    /// The first error the sink returned; nothing more is written after it.
    error: Option<io::Error>,
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Text")
            .field("screen", &self.screen)
            .field("done", &self.done)
            .field("prose", &self.prose)
            .finish_non_exhaustive()
    }
}

impl fmt::Write for Text<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.prose.push_str(&escape_lines(text));
        Ok(())
    }
}

/// How much finished text is gathered before it is passed to the sink.
const SPILL_BYTES: usize = 64 * 1024;

impl<'w> Text<'w> {
    /// A report kept whole, for [`Text::finish`].
    pub fn new(screen: Screen) -> Self {
        Self {
            screen,
            done: String::new(),
            prose: String::new(),
            sink: None,
            sent_partial_line: false,
            error: None,
        }
    }

    /// A report written into `sink` as it is made; [`Text::end`] writes the rest.
    pub fn into_writer(screen: Screen, sink: &'w mut dyn io::Write) -> Self {
        Self {
            screen,
            done: String::new(),
            prose: String::new(),
            sink: Some(sink),
            sent_partial_line: false,
            error: None,
        }
    }

    /// Adds a table laid out for the screen, on its own lines, and the line saying which
    /// columns it left out.
    pub fn table(&mut self, table: &Table) {
        self.flush();
        let mid_line = match self.done.chars().last() {
            Some(last) => last != '\n',
            None => self.sent_partial_line,
        };
        if mid_line {
            self.done.push('\n');
        }
        let hint = table.fit_into(self.screen, &mut |line| {
            self.done.push_str(line);
            self.done.push('\n');
            if self.done.len() >= SPILL_BYTES {
                self.spill();
            }
        });
        if let Some(hint) = hint {
            let _ = writeln!(self, "{hint}");
        }
    }

    /// The report.
    pub fn finish(mut self) -> String {
        self.flush();
        self.done
    }

    /// Writes the rest of the report into the sink.
    ///
    /// # Errors
    /// The first error the sink returned.
    pub fn end(mut self) -> io::Result<()> {
        self.flush();
        self.spill();
        self.error.map_or(Ok(()), Err)
    }

    /// Passes the finished text to the sink, if there is one.
    fn spill(&mut self) {
        let Some(sink) = self.sink.as_mut() else {
            return;
        };
        if self.done.is_empty() {
            return;
        }
        if self.error.is_none()
            && let Err(error) = sink.write_all(self.done.as_bytes())
        {
            self.error = Some(error);
        }
        self.sent_partial_line = !self.done.ends_with('\n');
        self.done.clear();
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
