//! Reading input files and turning TOML text into the raw serde shapes.
//!
//! This is the only module that touches the file system for input. It knows nothing of what the
//! files mean: it reads bytes, insists on UTF-8, expands folders, and maps TOML parse errors to
//! located diagnostics with a did-you-mean for misspelt keys.

use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, Error, SourceFile, suggest};

/// The largest input file read, in bytes (64 MiB). The whole bundled catalog is under 100 KiB; a
/// file beyond this is almost surely not a scenario or catalog, and reading it whole would be
/// slow or exhaust memory.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads one file as UTF-8 text.
///
/// Only regular files are read, and only up to [`MAX_INPUT_BYTES`]: a FIFO or a device such as
/// `/dev/zero` would block or never end, so it is refused before it is opened.
///
/// # Errors
/// [`Error::IsFolder`], [`Error::NotAFile`], [`Error::TooLarge`], [`Error::Read`] or
/// [`Error::NotUtf8`].
pub fn read_file(path: &Path) -> Result<Arc<SourceFile>, Error> {
    let read_error = |source| Error::Read {
        path: path.to_owned(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(read_error)?;
    check_input_kind(path, &metadata)?;
    let file = std::fs::File::open(path).map_err(read_error)?;
    // The path may have been replaced between the look and the open: look again at what was
    // opened.
    check_input_kind(path, &file.metadata().map_err(read_error)?)?;
    let mut bytes = Vec::new();
    // One byte over the limit is enough to know that the file is too large.
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > MAX_INPUT_BYTES {
        return Err(Error::TooLarge {
            path: path.to_owned(),
            size: metadata.len().max(size),
        });
    }
    let text = String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        // The prefix is valid UTF-8 by definition, so this cannot fail.
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Error::NotUtf8 {
            path: path.to_owned(),
            line,
            column,
        }
    })?;
    Ok(SourceFile::new(path.display().to_string(), text))
}

/// A folder, a non-regular file or one over the size limit is refused before anything is read.
fn check_input_kind(path: &Path, metadata: &std::fs::Metadata) -> Result<(), Error> {
    if metadata.is_dir() {
        return Err(Error::IsFolder {
            path: path.to_owned(),
        });
    }
    if !metadata.is_file() {
        return Err(Error::NotAFile {
            path: path.to_owned(),
            kind: file_kind(metadata.file_type()),
        });
    }
    if metadata.len() > MAX_INPUT_BYTES {
        return Err(Error::TooLarge {
            path: path.to_owned(),
            size: metadata.len(),
        });
    }
    Ok(())
}

/// What a file system entry is, for messages: `a FIFO`, `a character device`, ...
#[must_use]
pub fn file_kind(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// The catalog files a user named, and the files of named folders that were left out.
#[derive(Debug, Default)]
pub struct CatalogPaths {
    pub files: Vec<Arc<SourceFile>>,
    /// Files in a named folder that hold a `[scenario]` table: scenarios kept beside the
    /// pricing files, which are not catalog files.
    pub skipped_scenarios: Vec<PathBuf>,
}

/// Reads the `.toml` files a user named: each path is a file, or a folder whose `*.toml` files are
/// read in name order, leaving out scenarios kept in the same folder. The same file named twice
/// is an error, since it would define everything twice.
///
/// # Errors
/// Any error of [`read_file`], [`Error::EmptyFolder`] or [`Error::DuplicateFile`].
pub fn read_paths(paths: &[PathBuf]) -> Result<CatalogPaths, Error> {
    let mut seen = BTreeSet::new();
    let mut read = CatalogPaths::default();
    for path in paths {
        let is_folder = path.is_dir();
        let expanded = if is_folder {
            let entries = std::fs::read_dir(path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
                .collect();
            if found.is_empty() {
                return Err(Error::EmptyFolder { path: path.clone() });
            }
            found.sort();
            found
        } else {
            vec![path.clone()]
        };
        for file in expanded {
            let identity = std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
            if !seen.insert(identity) {
                return Err(Error::DuplicateFile { path: file });
            }
            let source = read_file(&file)?;
            if is_folder && is_scenario(&source) {
                read.skipped_scenarios.push(file);
            } else {
                read.files.push(source);
            }
        }
    }
    Ok(read)
}

/// Whether a file is a scenario: it has a `[scenario]` table. Text that is not TOML is not.
#[must_use]
pub fn is_scenario(file: &SourceFile) -> bool {
    toml::from_str::<toml::Table>(&file.text).is_ok_and(|t| t.contains_key("scenario"))
}

/// Parses TOML text into a raw shape, turning any syntax or shape error into a located diagnostic.
///
/// # Errors
/// [`Error::Invalid`] with one diagnostic: TOML stops at its first error.
pub fn parse_toml<T: DeserializeOwned>(file: &Arc<SourceFile>) -> Result<T, Error> {
    toml::from_str(&file.text).map_err(|error| {
        let found = error
            .span()
            .and_then(|span| file.text.get(span))
            .unwrap_or_default();
        let (message, hint) = if error.message().starts_with("duplicate key") {
            (
                "duplicate key".to_owned(),
                Some(duplicate_hint(file, error.span())),
            )
        } else if error.message().contains("expected a string") && looks_like_date(found) {
            // toml hands a datetime to serde as a map, so serde's message says "map".
            (
                format!("expected a string, found the TOML date {found}"),
                Some(format!("write dates as strings here: \"{found}\"")),
            )
        } else {
            (clean_message(error.message()), hint_for(error.message()))
        };
        let diagnostic = match error.span() {
            Some(span) => Diagnostic::at(file, span, message),
            None => Diagnostic::in_file(file, message),
        };
        Error::Invalid(vec![diagnostic.with_optional_hint(hint)])
    })
}

/// Whether a value's text is a bare TOML date, time or datetime, such as `2027-01-01`.
fn looks_like_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let date = bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[7] == b'-';
    let time = bytes.len() >= 8 && bytes[..2].iter().all(u8::is_ascii_digit) && bytes[2] == b':';
    date || time
}

/// Where a key or table given twice was first given: the nearest earlier line that sets the
/// same key in the same table, or that opens the same table.
fn duplicate_hint(file: &SourceFile, span: Option<std::ops::Range<usize>>) -> String {
    let fallback = "each key may be set once in a table, and each table opened once; keep one";
    let Some(span) = span else {
        return fallback.to_owned();
    };
    let Some(found) = file.text.get(span.clone()) else {
        return fallback.to_owned();
    };
    let (line, _) = file.line_column(span.start);
    let line_text = file.text.lines().nth(line - 1).unwrap_or_default().trim();
    let lines: Vec<&str> = file.text.lines().take(line - 1).collect();
    let earlier = lines.iter().enumerate().rev();
    if line_text.starts_with('[') {
        // A table header given twice: `[scenario]` ... `[scenario]`.
        for (index, text) in earlier {
            if text.trim() == line_text {
                return format!(
                    "this table is already opened on line {}; keep one and move its keys there",
                    index + 1
                );
            }
        }
    } else {
        for (index, text) in earlier {
            let text = text.trim_start();
            if text.starts_with('[') {
                break;
            }
            if let Some(rest) = text.strip_prefix(found)
                && rest.trim_start().starts_with(['=', '.'])
            {
                return format!("`{found}` is already set on line {}; keep one", index + 1);
            }
        }
    }
    fallback.to_owned()
}

/// serde messages end in a newline or a period in places; house style has neither. The list of
/// expected keys after an unknown one moves to the hint, which names the likely one.
fn clean_message(message: &str) -> String {
    let message = message.trim().trim_end_matches('.').replace('\n', " ");
    if message.starts_with("unknown field ")
        && let Some((unknown, _)) = message.split_once(", expected")
    {
        return unknown.to_owned();
    }
    message
}

/// A hint for common serde messages: the likely key for an unknown one, how to write decimals.
fn hint_for(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        // serde writes: unknown field `cahced_input`, expected one of `input`, `output`, ...
        let mut names = rest.split('`').skip(1).step_by(2);
        let unknown = names.next()?;
        let candidates: Vec<&str> = names.collect();
        return Some(match suggest(unknown, candidates.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("the keys allowed here are {}", backticked(&candidates)),
        });
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        // serde writes: unknown variant `opn`, expected `open` or `closed`
        let mut names = rest.split('`').skip(1).step_by(2);
        let unknown = names.next()?;
        let allowed: Vec<&str> = names.collect();
        return Some(match suggest(unknown, allowed.iter().copied()) {
            Some(best) => format!(
                "did you mean `{best}`? the values allowed are {}",
                backticked(&allowed)
            ),
            None => format!("the values allowed are {}", backticked(&allowed)),
        });
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let field = rest.trim_matches('`');
        return Some(format!("add `{field} = ...` to this table; it is required"));
    }
    if message.contains("invalid date") {
        // A syntax error: the parser cannot know whether text or a date was meant.
        return Some(
            "a bare TOML date is a whole date such as 2026-11-20 (a month 01 to 12, a real day); \
             where text is expected, such as a month, quote it: \"2027-01\""
                .to_owned(),
        );
    }
    if message.contains("datetime") {
        return Some(
            "write a bare TOML date such as 2026-11-20: no quotes, a month 01 to 12, a real day"
                .to_owned(),
        );
    }
    if message.contains("expected i64") || message.contains("expected u64") {
        return Some("write a whole number, such as 12".to_owned());
    }
    if message.contains("a Decimal") {
        return Some(
            "write the number plainly, such as `2.50`; numbers with more than 15 significant digits \
             must be quoted, such as \"0.1234567890123456\""
                .to_owned(),
        );
    }
    None
}

fn backticked(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Prices {
        input: Decimal,
        #[expect(
            dead_code,
            reason = "only here so that the unknown-key message lists it"
        )]
        cached_input: Option<Decimal>,
    }

    fn parse(text: &str) -> Result<Prices, Error> {
        parse_toml(&SourceFile::new("p.toml", text))
    }

    #[test]
    fn toml_numbers_arrive_as_exact_decimals() {
        // A TOML float goes through f64, then through its shortest round-trip text, so any
        // number of up to 15 significant digits arrives exactly as written.
        assert_eq!(parse("input = 0.1").unwrap().input, dec!(0.1));
        assert_eq!(parse("input = 2.50").unwrap().input, dec!(2.5));
        assert_eq!(parse("input = 0.0375").unwrap().input, dec!(0.0375));
        assert_eq!(
            parse("input = 123456789.012345").unwrap().input,
            dec!(123456789.012345)
        );
        assert_eq!(parse("input = 15").unwrap().input, dec!(15));
        // Quoted strings carry any precision a Decimal holds.
        assert_eq!(
            parse(r#"input = "0.1234567890123456789""#).unwrap().input,
            dec!(0.1234567890123456789)
        );
    }

    #[test]
    fn more_than_fifteen_digits_must_be_quoted() {
        // 17 significant digits do not survive f64: this documents why the README asks for quotes.
        let parsed = parse("input = 0.12345678901234567").unwrap().input;
        assert_ne!(parsed, dec!(0.12345678901234567));
    }

    #[test]
    fn unknown_key_suggests_the_closest() {
        let Err(Error::Invalid(diagnostics)) = parse("input = 1\ncahced_input = 0.1") else {
            panic!("expected an error");
        };
        let text = diagnostics[0].to_string();
        assert!(
            text.starts_with("error: p.toml:2:1: unknown field `cahced_input`"),
            "{text}"
        );
        assert!(
            text.ends_with("hint: did you mean `cached_input`?"),
            "{text}"
        );
    }

    fn hint_of(text: &str) -> String {
        let Err(Error::Invalid(diagnostics)) = parse(text) else {
            panic!("expected an error");
        };
        diagnostics[0].to_string()
    }

    #[test]
    fn a_duplicate_key_names_the_line_that_set_it_first() {
        let text = hint_of("input = 1\ncached_input = 0.1\ninput = 2");
        assert!(
            text.starts_with("error: p.toml:3:1: duplicate key"),
            "{text}"
        );
        assert!(
            text.ends_with("hint: `input` is already set on line 1; keep one"),
            "{text}"
        );
    }

    #[test]
    fn a_date_where_text_belongs_says_to_quote_it() {
        #[derive(Debug, Deserialize)]
        struct Start {
            #[expect(dead_code, reason = "only its type matters")]
            start: String,
        }
        let Err(Error::Invalid(diagnostics)) =
            parse_toml::<Start>(&SourceFile::new("s.toml", "start = 2027-01-01"))
        else {
            panic!("expected an error");
        };
        let text = diagnostics[0].to_string();
        assert!(
            text.starts_with(
                "error: s.toml:1:9: expected a string, found the TOML date 2027-01-01"
            ),
            "{text}"
        );
        assert!(
            text.ends_with("hint: write dates as strings here: \"2027-01-01\""),
            "{text}"
        );
    }
}
