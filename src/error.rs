//! The one error type of the library, its exit codes, and located diagnostics.
//!
//! Every expected failure (a file that cannot be read, TOML that does not parse, data that breaks a
//! rule, arithmetic that overflows on user numbers, a failed write) is a variant here carrying what
//! its message needs. Nothing in this module decides where messages are printed.

use std::fmt::{self, Write as _};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use crate::terminal;

/// Exit status of a successful run.
pub const EXIT_SUCCESS: u8 = 0;
/// Exit status for invalid input, I/O failures and arithmetic overflow.
pub const EXIT_INVALID: u8 = 1;
/// Exit status for command-line usage errors (clap uses the same code).
pub const EXIT_USAGE: u8 = 2;
/// Exit status of `diff --fail-above` when the increase is above the limit; the report is written.
pub const EXIT_OVER_BUDGET: u8 = 3;

/// The text of one input file and the name it is reported under.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user wrote it, or `pricing/NAME.toml` for the embedded catalog.
    pub name: String,
    pub text: String,
    /// Byte offsets at which lines start, built on the first lookup: a file with thousands of
    /// problems must not be scanned from its start for each one.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    #[must_use]
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        Arc::new(Self {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        })
    }

    /// One-based line and column (in characters) of a byte offset.
    #[must_use]
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        // The last line start at or before the offset; the first is 0, so there always is one.
        let index = starts.partition_point(|&start| start <= offset) - 1;
        let column = self.text[starts[index]..offset].chars().count() + 1;
        (index + 1, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One problem found in a file: where, what, and what to do about it.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    file: Arc<SourceFile>,
    span: Option<Range<usize>>,
    message: String,
    hint: Option<String>,
}

impl Diagnostic {
    /// A problem at a byte range of a file.
    #[must_use]
    pub fn at(file: &Arc<SourceFile>, span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            file: Arc::clone(file),
            span: Some(span),
            message: message.into(),
            hint: None,
        }
    }

    /// A problem with a whole file, with no single place to point at.
    #[must_use]
    pub fn in_file(file: &Arc<SourceFile>, message: impl Into<String>) -> Self {
        Self {
            file: Arc::clone(file),
            span: None,
            message: message.into(),
            hint: None,
        }
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    #[must_use]
    pub fn with_optional_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// `path:line:column`, or just the path when the problem has no position.
    #[must_use]
    pub fn location(&self) -> String {
        match &self.span {
            Some(span) => {
                let (line, column) = self.file.line_column(span.start);
                format!("{}:{line}:{column}", self.file.name)
            }
            None => self.file.name.clone(),
        }
    }

    /// The whole report: the location and message, the source line with a caret, then the hint.
    ///
    /// Text from the file (the message's names and values, the source line) reaches a terminal,
    /// so control characters in it are escaped; the caret is placed on the escaped line.
    fn render(&self, out: &mut String) {
        let _ = write!(
            out,
            "error: {}: {}",
            terminal::escape(&self.location()),
            terminal::escape(&self.message)
        );
        if let Some(span) = &self.span {
            let text = &self.file.text;
            let start = floor_char_boundary(text, span.start.min(text.len()));
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            let line_text = text[line_start..line_end].trim_end_matches('\r');
            let (line, _) = self.file.line_column(start);
            let gutter = line.to_string();
            let pad = " ".repeat(gutter.len());
            let end = floor_char_boundary(text, span.end.clamp(start, line_end));
            let end = end.min(line_start + line_text.len()).max(start);
            // A tab shows as four spaces, as rustc shows it; other control characters escaped.
            let shown = |part: &str| terminal::escape(&part.replace('\t', "    ")).into_owned();
            let line_text = shown(line_text);
            let caret_offset = shown(&text[line_start..start]).chars().count();
            let caret_len = shown(&text[start..end]).chars().count().max(1);
            let (shown, caret_offset, caret_len) = window(&line_text, caret_offset, caret_len);
            let _ = write!(
                out,
                "\n{pad} |\n{gutter} | {shown}\n{pad} | {}{}",
                " ".repeat(caret_offset),
                "^".repeat(caret_len)
            );
        }
        if let Some(hint) = &self.hint {
            let _ = write!(out, "\nhint: {}", terminal::escape(hint));
        }
    }
}

/// The widest source line shown under an error, in characters.
const MAX_SHOWN: usize = 100;

/// A long source line cut to about `MAX_SHOWN` characters around the caret, with `...` where
/// text was cut; returns the text and the caret's new offset and length.
fn window(line: &str, caret_offset: usize, caret_len: usize) -> (String, usize, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= MAX_SHOWN {
        return (line.to_owned(), caret_offset, caret_len);
    }
    let start = caret_offset.saturating_sub(MAX_SHOWN / 3);
    let end = (start + MAX_SHOWN).min(chars.len());
    let mut shown = String::new();
    if start > 0 {
        shown.push_str("...");
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push_str("...");
    }
    let prefix = if start > 0 { 3 } else { 0 };
    let caret_len = caret_len.min(end.saturating_sub(caret_offset)).max(1);
    (shown, caret_offset - start + prefix, caret_len)
}

/// Everything that can go wrong for a reason outside the program.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{}` is a folder; expected a TOML file", path.display())]
    IsFolder { path: PathBuf },
    #[error("{}:{line}:{column}: the file is not valid UTF-8; save it as UTF-8", path.display())]
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    /// Something other than a regular file where an input file belongs, such as `/dev/zero`.
    #[error("`{}` is {kind}, not a regular file; expected a TOML file", path.display())]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error(
        "`{}` is larger than the {} MiB limit for an input file (found {size} bytes)",
        path.display(),
        crate::input::MAX_INPUT_BYTES / (1024 * 1024)
    )]
    TooLarge { path: PathBuf, size: u64 },
    #[error("`{}` is given more than once", path.display())]
    DuplicateFile { path: PathBuf },
    #[error("`{}` has no `.toml` files", path.display())]
    EmptyFolder { path: PathBuf },
    /// One or more located problems in input files.
    #[error("{}", .0.first().map_or("", Diagnostic::message))]
    Invalid(Vec<Diagnostic>),
    /// `what` names the figure, such as "the cost of workload `chat` in plan `hybrid`".
    #[error("{what} overflows the decimal range (about 7.9e28)")]
    Overflow { what: String },
    /// An overflow of `breakeven` or `solve` that only the volumes scaled towards `--to` cause:
    /// at 1x every figure is in range.
    #[error("{what} overflows the decimal range (about 7.9e28)")]
    OverflowAtMultiple {
        what: String,
        to: rust_decimal::Decimal,
    },
    #[error("cannot write the report: {0}")]
    Write(#[source] std::io::Error),
    /// Output that is not a report, such as a completion script or a manual page, named by
    /// `what`.
    #[error("cannot write the {what}: {source}")]
    WriteOutput {
        what: &'static str,
        source: std::io::Error,
    },
    #[error("cannot write `{}`: {source}; the file is unchanged", path.display())]
    WriteFile {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A device or FIFO written through: there is no old content to keep.
    #[error("cannot write to `{}`: {source}", path.display())]
    WriteThrough {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `--output` names one of the files the report is computed from.
    #[error("`{}` is an input file; refusing to write the report over it", path.display())]
    OutputIsInput { path: PathBuf },
    #[error("`{}` is a folder; the report needs a file name", path.display())]
    OutputIsFolder { path: PathBuf },
    /// `--output` names a block device or a socket, which a report must not replace.
    #[error("`{}` is {kind}; refusing to write the report to it", path.display())]
    OutputNotAFile { path: PathBuf, kind: &'static str },
    /// `man --dir` names something other than an existing folder.
    #[error("`{}` {found}; expected a folder for the manual pages", path.display())]
    NotAFolder {
        path: PathBuf,
        found: &'static str,
        hint: String,
    },
    /// `man --dir` could not write one of its pages; `outcome` says what the folder holds now.
    #[error("cannot write the manual page `{}`: {reason}; {outcome}", path.display())]
    ManPage {
        path: PathBuf,
        reason: String,
        outcome: String,
        hint: String,
    },
    /// A command-line value that parses but makes no sense, such as more cached than input tokens.
    #[error("{0}")]
    Argument(String),
    /// `run --strict-policy` found plans that break the scenario's `[policy]`, or no policy.
    #[error("{message}")]
    Policy { message: String, hint: String },
    /// Usage that cannot be priced: model names that map to no offer, or components an offer
    /// has no price for, each listed on a line of its own.
    #[error("{message}")]
    Usage { message: String, hint: String },
    /// `diff --fail-above` found an increase above the limit.
    #[error("{message}")]
    OverBudget { message: String },
    /// `catalog drift --fail-on-drift` found prices beyond the threshold or offers to retire.
    #[error("the catalog drifted from the dataset: {count} findings beyond {threshold}%")]
    Drift {
        count: usize,
        threshold: rust_decimal::Decimal,
    },
}

impl Error {
    /// The exit status this error maps to.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Argument(_) => EXIT_USAGE,
            Error::OverBudget { .. } => EXIT_OVER_BUDGET,
            _ => EXIT_INVALID,
        }
    }

    /// The full text for standard error: one `error:` block per problem, each with its hint.
    #[must_use]
    pub fn report(&self) -> String {
        let mut out = String::new();
        match self {
            Error::Invalid(diagnostics) => {
                for (i, diagnostic) in diagnostics.iter().enumerate() {
                    if i > 0 {
                        out.push_str("\n\n");
                    }
                    diagnostic.render(&mut out);
                }
                if diagnostics.len() > 1 {
                    let _ = write!(out, "\n\n{} problems found", diagnostics.len());
                }
            }
            Error::Overflow { .. } => {
                let _ = write!(
                    out,
                    "error: {self}\nhint: check the volumes, growth and token counts for a typo; \
                     every count and cost must stay below 7.9e28"
                );
            }
            Error::OverflowAtMultiple { to, .. } => {
                let _ = write!(
                    out,
                    "error: {self}\nhint: at 1x every figure is in range; scaled towards \
                     `--to {}` the volumes leave it: lower `--to`",
                    to.normalize()
                );
            }
            Error::DuplicateFile { .. } => {
                let _ = write!(out, "error: {self}\nhint: pass each file once");
            }
            Error::OutputIsInput { .. } => {
                let _ = write!(
                    out,
                    "error: {self}\nhint: name another file with `--output`, or `-` for standard output"
                );
            }
            Error::OutputIsFolder { path } => {
                let _ = write!(
                    out,
                    "error: {self}\nhint: name a file in it, such as `{}`",
                    path.join("report.txt").display()
                );
            }
            Error::TooLarge { .. } => {
                let _ = write!(
                    out,
                    "error: {self}\nhint: a scenario or catalog is a few KiB; check that this is the file you meant"
                );
            }
            Error::Drift { .. } => {
                let _ = write!(
                    out,
                    "error: {self}\nhint: update the catalog (`costcalc catalog import`), or explain \
                     the difference in a comment and raise `--threshold`"
                );
            }
            Error::Policy { hint, .. }
            | Error::Usage { hint, .. }
            | Error::NotAFolder { hint, .. }
            | Error::ManPage { hint, .. } => {
                let _ = write!(out, "error: {self}\nhint: {hint}");
            }
            Error::WriteFile { path, source } | Error::WriteThrough { path, source } => {
                let _ = write!(out, "error: {self}");
                if let Some(hint) = write_hint(path, source) {
                    let _ = write!(out, "\nhint: {hint}");
                }
            }
            Error::Write(source) | Error::WriteOutput { source, .. }
                if crate::output::StandardOutputClosed::is(source) =>
            {
                // A closed standard output and /dev/null opened for reading and writing (as
                // Python's `subprocess.DEVNULL` opens it) look the same from inside.
                let _ = write!(
                    out,
                    "error: {self}\nhint: to discard the output, redirect it with `> /dev/null` \
                     (opened for writing only), or write the report with `--output /dev/null`"
                );
            }
            Error::OverBudget { .. } => {
                let _ = write!(
                    out,
                    "error: {self}\nhint: the report above explains the change; raise \
                     `--fail-above` if it is intended"
                );
            }
            _ => {
                let _ = write!(out, "error: {self}");
            }
        }
        out.push('\n');
        // Paths and command-line values in the other messages reach the terminal too.
        terminal::escape_lines(&out).into_owned()
    }
}

/// What to do about a failed write of `path`, where the cause is one a person can act on.
fn write_hint(path: &std::path::Path, source: &std::io::Error) -> Option<String> {
    use std::io::ErrorKind;
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => std::path::Path::new("."),
    };
    match source.kind() {
        ErrorKind::NotFound if !folder.is_dir() => Some(format!(
            "the folder `{}` does not exist; create it first (`mkdir -p {}`)",
            folder.display(),
            folder.display()
        )),
        ErrorKind::PermissionDenied => Some(format!(
            "check that you may write in `{}`, or name a file elsewhere",
            folder.display()
        )),
        ErrorKind::StorageFull => {
            Some("free some space, or name a file on another disk".to_owned())
        }
        ErrorKind::ReadOnlyFilesystem => {
            Some("the disk is mounted read-only; name a file elsewhere".to_owned())
        }
        _ => None,
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        self.render(&mut out);
        f.write_str(&out)
    }
}

/// The closest candidate to a misspelt name, if one is close enough to be a likely typo.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(name, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, candidate)| candidate)
}

/// Collects diagnostics so that a file reports every problem, not just the first.
#[derive(Debug, Default)]
pub struct Problems(Vec<Diagnostic>);

impl Problems {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: Problems) {
        self.0.extend(other.0);
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `Ok(value)` when nothing was found, else every problem as one error.
    ///
    /// # Errors
    /// [`Error::Invalid`] with all collected diagnostics.
    pub fn into_result<T>(self, value: T) -> Result<T, Error> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(Error::Invalid(self.0))
        }
    }
}

impl From<Error> for Problems {
    fn from(error: Error) -> Self {
        match error {
            Error::Invalid(diagnostics) => Problems(diagnostics),
            other => unreachable!("only located problems are collected, got {other}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let file = SourceFile::new("f.toml", "a = 1\nbé = -2\n");
        // Line 2 starts at byte 6: `b` 6, `é` 7..9, ` ` 9, `=` 10, ` ` 11, `-` 12.
        // `é` is two bytes but one column, so the `-` is column 6.
        assert_eq!(file.line_column(12), (2, 6));
        assert_eq!(file.line_column(0), (1, 1));
        // The newline ends its line; the next byte starts the next one; the end of a text that
        // ends in a newline is an empty last line.
        assert_eq!(file.line_column(5), (1, 6));
        assert_eq!(file.line_column(6), (2, 1));
        assert_eq!(file.line_column(16), (3, 1));
        assert_eq!(file.line_column(usize::MAX), (3, 1));
    }

    #[test]
    fn diagnostic_points_a_caret_at_the_span() {
        let file = SourceFile::new("f.toml", "[x]\ninput = -0.1\n");
        let diagnostic = Diagnostic::at(&file, 12..16, "`input` must not be negative (found -0.1)")
            .with_hint("prices are per 1M tokens");
        assert_eq!(
            diagnostic.to_string(),
            "error: f.toml:2:9: `input` must not be negative (found -0.1)\n  |\n2 | input = -0.1\n  |         ^^^^\nhint: prices are per 1M tokens"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let line = format!("a = {}x{}", "[".repeat(300), "]".repeat(300));
        let (shown, offset, len) = window(&line, 304, 1);
        assert!(
            shown.starts_with("...") && shown.ends_with("..."),
            "{shown}"
        );
        assert_eq!(shown.chars().nth(offset), Some('x'));
        assert_eq!(len, 1);
        assert_eq!(window("short", 2, 1), ("short".to_owned(), 2, 1));
    }

    #[test]
    fn suggestions_need_a_close_match() {
        let names = ["gpt-4.1-mini", "gpt-4.1", "claude-haiku-4-5"];
        assert_eq!(suggest("gpt-4.1-mnii", names), Some("gpt-4.1-mini"));
        assert_eq!(suggest("llama", names), None);
    }

    #[test]
    fn a_failed_write_says_what_to_do_where_a_person_can_act() {
        let error = |path: &str, kind: std::io::ErrorKind| {
            Error::WriteFile {
                path: PathBuf::from(path),
                source: std::io::Error::from(kind),
            }
            .report()
        };
        let missing = error("no-such-folder-here/r.html", std::io::ErrorKind::NotFound);
        assert!(
            missing.ends_with(
                "\nhint: the folder `no-such-folder-here` does not exist; create it first \
                 (`mkdir -p no-such-folder-here`)\n"
            ),
            "{missing}"
        );
        // A folder that exists but refuses the name (`/proc`) gets no wrong advice.
        assert!(!error("/proc/r.html", std::io::ErrorKind::NotFound).contains("hint:"));
        assert!(
            error("r.html", std::io::ErrorKind::PermissionDenied)
                .ends_with("\nhint: check that you may write in `.`, or name a file elsewhere\n")
        );
        let full = Error::WriteThrough {
            path: PathBuf::from("/dev/full"),
            source: std::io::Error::from(std::io::ErrorKind::StorageFull),
        }
        .report();
        assert!(
            full.ends_with("\nhint: free some space, or name a file on another disk\n"),
            "{full}"
        );
    }
}
