//! Text from input files made safe to show on a terminal.
//!
//! A name or id in a scenario or catalog can hold any character TOML allows, including ESC,
//! which starts terminal control sequences (set the window title, clear the screen, move the
//! cursor). Every renderer meant for people (tables, Markdown, error messages) passes such text
//! through here; JSON and CSV carry it exactly, since they are data for other programs.
//!
//! Control characters (C0, DEL and C1) and the Unicode bidirectional overrides, which can make
//! text display in another order than it is read, are written as Rust escapes, as rustc does:
//! `\n`, `\r`, `\t`, and `\u{1b}` for the others (hexadecimal code point).
//!
//! [`screen`] decides how wide a report is laid out and whether it is coloured; [`progress`]
//! draws a bar for long work on standard error.

pub mod progress;
pub mod screen;

use std::borrow::Cow;
use std::fmt::Write as _;

/// `text` with every control character escaped, line breaks included: for one cell or one name.
#[must_use]
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_except(text, None)
}

/// `text` with every control character escaped except the line breaks that separate its lines:
/// for a whole report or message whose own names were escaped with [`escape`].
#[must_use]
pub fn escape_lines(text: &str) -> Cow<'_, str> {
    escape_except(text, Some('\n'))
}

/// [`escape`] for a `String` already owned, returned as it is when nothing needs escaping.
#[must_use]
pub fn escape_owned(text: String) -> String {
    escape_except_owned(text, None)
}

/// [`escape_lines`] for a report already in a `String`, which is returned as it is when nothing
/// needs escaping (the usual case), without a copy.
#[must_use]
pub fn escape_lines_owned(text: String) -> String {
    escape_except_owned(text, Some('\n'))
}

fn escape_except_owned(text: String, keep: Option<char>) -> String {
    let escaped = match escape_except(&text, keep) {
        Cow::Owned(escaped) => Some(escaped),
        Cow::Borrowed(_) => None,
    };
    escaped.unwrap_or(text)
}

fn escape_except(text: &str, keep: Option<char>) -> Cow<'_, str> {
    let needs = |c: char| is_unsafe(c) && Some(c) != keep;
    if !text.chars().any(needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !needs(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
        }
    }
    Cow::Owned(out)
}

/// C0 controls, DEL and C1 controls (`char::is_control`), and the bidirectional embeddings,
/// overrides and isolates (U+202A to U+202E, U+2066 to U+2069) that rustc also refuses to show raw.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let text = "Qwen3 235B – café ✓ `id` \\ \"quoted\"";
        assert!(matches!(escape(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn every_control_character_is_escaped() {
        // ESC ] 0 ; title BEL sets the window title; ESC [ 2 J clears the screen.
        assert_eq!(
            escape("a\u{1b}]0;pwned\u{7}b\u{1b}[2J"),
            "a\\u{1b}]0;pwned\\u{7}b\\u{1b}[2J"
        );
        assert_eq!(escape("a\nb\rc\td"), "a\\nb\\rc\\td");
        // NUL, DEL, and C1's CSI (U+009B), which some terminals treat like ESC [.
        assert_eq!(escape("\0\u{7f}\u{9b}"), "\\u{0}\\u{7f}\\u{9b}");
        // A right-to-left override can make `admin` read as something else.
        assert_eq!(escape("\u{202e}nimda"), "\\u{202e}nimda");
    }

    #[test]
    fn line_breaks_survive_only_in_escape_lines() {
        assert_eq!(escape_lines("one\n\u{1b}two\r\n"), "one\n\\u{1b}two\\r\n");
        assert_eq!(escape("one\ntwo"), "one\\ntwo");
    }

    #[test]
    fn escaping_twice_changes_nothing_more() {
        let once = escape("\u{1b}[2J").into_owned();
        assert_eq!(escape(&once), once);
        assert_eq!(escape_lines(&once), once);
    }
}
