//! How wide a terminal report may be and whether it is coloured: decided once, from the command
//! line, the environment and whether standard output is a terminal, then handed to the
//! renderers as a [`Screen`]. Renderers only follow it; nothing else here looks at the terminal.

use std::io::IsTerminal as _;

/// The width a report is laid out for when nothing else says: what fits a wide editor pane or a
/// pull-request comment, and what the bundled scenarios are tested against.
pub const DEFAULT_WIDTH: u16 = 120;

/// The narrowest width `--width` accepts: below it a table has no room for its numbers.
pub const MIN_WIDTH: u16 = 40;

/// The widest width `--width` accepts.
pub const MAX_WIDTH: u16 = 1000;

/// The terminal a report is laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screen {
    /// Display columns a line may take; tables wrap or drop columns to fit, prose wraps.
    pub width: u16,
    /// Whether headers are bold and savings and losses coloured (ANSI escapes).
    pub color: bool,
}

impl Default for Screen {
    /// [`DEFAULT_WIDTH`] columns, no colour: what a file, a pipe or a test gets.
    fn default() -> Self {
        Self {
            width: DEFAULT_WIDTH,
            color: false,
        }
    }
}

/// `--color`: when to colour terminal tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    /// When standard output is a terminal and `NO_COLOR` is unset or empty.
    #[default]
    Auto,
    /// Always, even into a file or a pipe.
    Always,
    /// Never.
    Never,
}

impl Screen {
    /// The screen of this process: `width` from `--width`, else the terminal's width when
    /// standard output is a terminal, else `COLUMNS`, else [`DEFAULT_WIDTH`]; colour by
    /// [`color`].
    #[must_use]
    pub fn detect(width: Option<u16>, choice: ColorChoice) -> Self {
        let stdout = std::io::stdout();
        let is_terminal = stdout.is_terminal();
        let terminal_width = if is_terminal {
            console::Term::stdout()
                .size_checked()
                .map(|(_rows, columns)| columns)
        } else {
            None
        };
        Self {
            width: choose_width(
                width,
                terminal_width,
                std::env::var("COLUMNS").ok().as_deref(),
            ),
            color: color(choice, std::env::var_os("NO_COLOR").as_deref(), is_terminal),
        }
    }
}

/// The width to lay out for: the flag's, else the terminal's, else a valid `COLUMNS`, else
/// [`DEFAULT_WIDTH`]. A terminal or `COLUMNS` narrower than [`MIN_WIDTH`] (or wider than
/// [`MAX_WIDTH`]) is held to it, as the flag is checked to be.
#[must_use]
pub fn choose_width(flag: Option<u16>, terminal: Option<u16>, columns: Option<&str>) -> u16 {
    // A number too large for a `u16` is still a width, held to the maximum like any other.
    let columns = columns.map(str::trim).and_then(|text| {
        (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse::<u16>().unwrap_or(u16::MAX))
    });
    flag.or(terminal.filter(|w| *w > 0))
        .or(columns.filter(|w| *w > 0))
        .map_or(DEFAULT_WIDTH, |w| w.clamp(MIN_WIDTH, MAX_WIDTH))
}

/// Whether to colour: `always` and `never` as they say; `auto` when standard output is a
/// terminal and `NO_COLOR` is unset or empty (no-color.org: any non-empty value disables it).
#[must_use]
pub fn color(choice: ColorChoice, no_color: Option<&std::ffi::OsStr>, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && no_color.is_none_or(std::ffi::OsStr::is_empty),
    }
}

/// Parses `--width`: a whole number of columns from [`MIN_WIDTH`] to [`MAX_WIDTH`].
///
/// # Errors
/// A message saying what was expected and what was found.
pub fn parse_width(text: &str) -> Result<u16, String> {
    match text.parse::<u16>() {
        Ok(width) if (MIN_WIDTH..=MAX_WIDTH).contains(&width) => Ok(width),
        _ => Err(format!(
            "expected a number of columns from {MIN_WIDTH} to {MAX_WIDTH} (found `{text}`)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn the_flag_wins_then_the_terminal_then_columns_then_120() {
        assert_eq!(choose_width(Some(80), Some(200), Some("100")), 80);
        assert_eq!(choose_width(None, Some(200), Some("100")), 200);
        assert_eq!(choose_width(None, None, Some("100")), 100);
        assert_eq!(choose_width(None, None, None), 120);
    }

    #[test]
    fn an_invalid_columns_is_ignored_and_a_tiny_one_held_to_the_minimum() {
        assert_eq!(choose_width(None, None, Some("wide")), 120);
        assert_eq!(choose_width(None, None, Some("")), 120);
        assert_eq!(choose_width(None, None, Some("0")), 120);
        assert_eq!(choose_width(None, None, Some("-5")), 120);
        assert_eq!(choose_width(None, None, Some("12")), MIN_WIDTH);
        assert_eq!(choose_width(None, Some(5000), None), MAX_WIDTH);
        // COLUMNS beyond 65,535 is as wide as 5,000: the maximum, not the default of 120.
        assert_eq!(choose_width(None, None, Some("5000")), MAX_WIDTH);
        assert_eq!(choose_width(None, None, Some("99999")), MAX_WIDTH);
        assert_eq!(
            choose_width(None, None, Some("18446744073709551616")),
            MAX_WIDTH
        );
    }

    #[test]
    fn auto_colours_a_terminal_unless_no_color_is_set_and_not_empty() {
        assert!(color(ColorChoice::Auto, None, true));
        assert!(!color(ColorChoice::Auto, None, false));
        assert!(!color(ColorChoice::Auto, Some(OsStr::new("1")), true));
        // An empty NO_COLOR is as if it were unset.
        assert!(color(ColorChoice::Auto, Some(OsStr::new("")), true));
        assert!(color(ColorChoice::Always, Some(OsStr::new("1")), false));
        assert!(!color(ColorChoice::Never, None, true));
    }

    #[test]
    fn width_flag_accepts_40_to_1000_only() {
        assert_eq!(parse_width("40"), Ok(40));
        assert_eq!(parse_width("1000"), Ok(1000));
        for bad in ["39", "1001", "0", "-80", "eighty", "80.5", ""] {
            let message = parse_width(bad).unwrap_err();
            assert!(message.contains(&format!("(found `{bad}`)")), "{message}");
        }
    }
}
