//! Reading usage exports into typed records and aggregating them per group and month.
//!
//! A usage export is what a provider or gateway says happened: time buckets or single requests,
//! a model, tokens and requests, sometimes the cost it charged. Each supported format has its own
//! module that turns its fields into [`UsageRecord`]s whose quantities are **disjoint** buckets
//! (uncached input, cache reads, cache writes per lifetime, audio, visible output, reasoning,
//! searches), so that pricing every component and adding never counts a token twice. Which
//! export fields include which others is written down in each module.
//!
//! Files are read streaming: JSON pages through `serde_json` from a reader, JSON Lines line by
//! line, CSV record by record. [`visit`] hands each valid record to a callback and keeps only
//! what it must (the Claude Code deduplication keys and one time span per series and file);
//! [`read`] folds the records into an [`Aggregate`] whose size depends on the number of groups
//! and months, not on the number of rows.
//!
//! The readers price nothing and know nothing of the catalog: [`map`] resolves a record's model to
//! an offer, [`price`] prices the aggregate at the catalog's prices, [`scenario`] writes a
//! scenario from it; rendering belongs to the caller.
#![expect(
    clippy::doc_markdown,
    reason = "provider and product names (OpenAI, LiteLLM) are prose here, not code"
)]

mod aggregate;
mod anthropic;
mod claude_code;
mod field;
mod litellm;
pub mod map;
mod native;
mod openai;
mod openrouter;
pub mod price;
pub mod scenario;
mod seen;

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::fs::File;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::calendar::Date;
use crate::component::PerComponent;
use crate::error::{Diagnostic, Error, SourceFile, suggest};

pub use aggregate::{Aggregate, Cell, CellKey, Totals};
pub use native::header as native_header;

/// A usage export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// OpenAI Usage API completions pages (`/v1/organization/usage/completions`), JSON.
    OpenAi,
    /// Anthropic Admin API messages usage report (`/v1/organizations/usage_report/messages`), JSON.
    Anthropic,
    /// OpenRouter activity (`/api/v1/activity`), JSON.
    OpenRouter,
    /// Claude Code session logs, JSON Lines: a file, or a folder walked recursively.
    ClaudeCode,
    /// LiteLLM proxy spend logs (`LiteLLM_SpendLogs`), CSV or JSON.
    LiteLlm,
    /// costcalc's own CSV: one row per request or per time bucket.
    Costcalc,
}

impl Format {
    /// Every format, in the order they are listed to users.
    pub const ALL: [Format; 6] = [
        Format::OpenAi,
        Format::Anthropic,
        Format::OpenRouter,
        Format::ClaudeCode,
        Format::LiteLlm,
        Format::Costcalc,
    ];

    /// The name a user forces the format by (`--input-format NAME`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Format::OpenAi => "openai",
            Format::Anthropic => "anthropic",
            Format::OpenRouter => "openrouter",
            Format::ClaudeCode => "claude-code",
            Format::LiteLlm => "litellm",
            Format::Costcalc => "costcalc",
        }
    }

    /// What the format is, for messages.
    #[must_use]
    pub const fn description(self) -> &'static str {
        match self {
            Format::OpenAi => "an OpenAI usage page",
            Format::Anthropic => "an Anthropic usage report",
            Format::OpenRouter => "an OpenRouter activity export",
            Format::ClaudeCode => "a Claude Code session log",
            Format::LiteLlm => "a LiteLLM spend log",
            Format::Costcalc => "a costcalc usage CSV",
        }
    }

    /// The format named `name`.
    ///
    /// # Errors
    /// [`Error::Argument`] naming the formats, with the likely one.
    pub fn from_name(name: &str) -> Result<Format, Error> {
        if let Some(format) = Format::ALL.into_iter().find(|f| f.name() == name) {
            return Ok(format);
        }
        let names = Format::ALL.map(Format::name);
        let hint = match suggest(name, names) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("the formats are {}", backticked(&names)),
        };
        Err(Error::Argument(format!(
            "unknown usage format `{name}`\nhint: {hint}"
        )))
    }

    /// Whether one request or bucket of this format can appear in two files legitimately, so
    /// that overlapping time spans are not an error: Claude Code sessions run side by side and
    /// resumed sessions repeat earlier messages, which deduplication removes instead.
    const fn checks_overlap(self) -> bool {
        !matches!(self, Format::ClaudeCode)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How many leading bytes [`detect`] needs to see.
pub const DETECT_BYTES: usize = 8192;

/// The format of a file from its first bytes (up to [`DETECT_BYTES`]), if it is recognisable.
///
/// Detection looks for the field names that only one format uses; a file too short or too
/// unusual to tell is `None`, and the caller asks for `--input-format`.
#[must_use]
pub fn detect(head: &[u8]) -> Option<Format> {
    let text = String::from_utf8_lossy(&head[..head.len().min(DETECT_BYTES)]);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let has = |needle: &str| text.contains(needle);
    if text.starts_with('{') || text.starts_with('[') {
        if has("organization.usage.") || (has("\"page\"") && has("\"bucket\"")) {
            return Some(Format::OpenAi);
        }
        if has("uncached_input_tokens") || has("\"starting_at\"") {
            return Some(Format::Anthropic);
        }
        if has("model_permaslug") || has("byok_usage_inference") || has("\"endpoint_id\"") {
            return Some(Format::OpenRouter);
        }
        if has("\"request_id\"") && has("\"spend\"") {
            return Some(Format::LiteLlm);
        }
        if has("\"sessionId\"") || has("\"leafUuid\"") || has("\"parentUuid\"") {
            return Some(Format::ClaudeCode);
        }
        return None;
    }
    let header = text.lines().next().unwrap_or_default();
    let columns: Vec<&str> = header
        .split(',')
        .map(|c| c.trim().trim_matches('"'))
        .collect();
    let column = |name: &str| columns.contains(&name);
    if column("request_id") && column("spend") {
        return Some(Format::LiteLlm);
    }
    if column("time") && column("model") {
        return Some(Format::Costcalc);
    }
    None
}

/// Where a record came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as the user named it (or as found in a folder).
    pub file: Arc<Path>,
    pub at: At,
}

/// A position inside a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// A one-based line: JSON Lines, or the line a CSV record starts on.
    Line(u64),
    /// A path into a JSON document, such as `data[0].results[2]`.
    Json(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            At::Line(line) => write!(f, "{}:{line}", self.file.display()),
            At::Json(path) => write!(f, "{}: {path}", self.file.display()),
        }
    }
}

/// A time span in milliseconds since 1970-01-01 UTC, half open: `start <= t < end`.
///
/// A bucket of an export covers its bucket; a single request covers its one millisecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start_ms: i64,
    pub end_ms: i64,
}

impl Span {
    fn overlaps(self, other: Span) -> bool {
        self.start_ms < other.end_ms && other.start_ms < self.end_ms
    }

    fn union(self, other: Span) -> Span {
        Span {
            start_ms: self.start_ms.min(other.start_ms),
            end_ms: self.end_ms.max(other.end_ms),
        }
    }
}

/// What one export record says happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageRecord {
    pub source: Location,
    /// The UTC calendar day the bucket starts on, or of the request.
    pub date: Date,
    /// The bucket or the instant of the request.
    pub span: Span,
    /// The provider as the export names it (`openai` for OpenAI's own export, the serving host
    /// for OpenRouter, `custom_llm_provider` for LiteLLM).
    pub provider: Option<String>,
    /// The model as exported, dates and prefixes included (`gpt-4o-2024-08-06`).
    pub model: String,
    /// A project or workspace, where the export has one.
    pub project: Option<String>,
    /// An API key id, where the export has one.
    pub key: Option<String>,
    /// A workload named by the user, where the export has one (costcalc CSV only).
    pub workload: Option<String>,
    /// Whether the requests went through a batch API.
    pub batch: bool,
    /// The service tier as exported (`default`, `flex`, `priority`, `standard`, `batch`, ...).
    pub service_tier: Option<String>,
    /// Disjoint quantities: tokens per token component, calls for web searches, and for the
    /// request fee component the request count where the export gives one (else zero).
    pub quantities: PerComponent<Decimal>,
    /// How many requests, where the export counts them (Anthropic's report does not).
    pub requests: Option<Decimal>,
    /// The cost the export states, in USD, where it states one.
    pub stated_cost: Option<Decimal>,
}

/// What records are grouped by, besides provider, model, month, batch and service tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum GroupBy {
    #[default]
    Model,
    Provider,
    Project,
    Key,
    Workload,
}

impl GroupBy {
    pub const ALL: [GroupBy; 5] = [
        GroupBy::Model,
        GroupBy::Provider,
        GroupBy::Project,
        GroupBy::Key,
        GroupBy::Workload,
    ];

    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            GroupBy::Model => "model",
            GroupBy::Provider => "provider",
            GroupBy::Project => "project",
            GroupBy::Key => "key",
            GroupBy::Workload => "workload",
        }
    }

    /// The group a record belongs to; `None` when the export does not carry the field.
    #[must_use]
    pub fn group_of(self, record: &UsageRecord) -> Option<&str> {
        match self {
            GroupBy::Model => Some(&record.model),
            GroupBy::Provider => record.provider.as_deref(),
            GroupBy::Project => record.project.as_deref(),
            GroupBy::Key => record.key.as_deref(),
            GroupBy::Workload => record.workload.as_deref(),
        }
    }
}

/// How to read a set of usage files.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Read every file as this format instead of detecting it.
    pub format: Option<Format>,
    pub group_by: GroupBy,
    /// Records dated before this day are counted and left out.
    pub since: Option<Date>,
    /// Records dated after this day are counted and left out.
    pub until: Option<Date>,
    /// The days a price changes: each month's records are summed apart on either side of
    /// them ([`Aggregate::split_at`]).
    pub price_changes: Vec<Date>,
}

/// Records read, and records left out with the reason, so that nothing is dropped unseen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Files read (a folder counts its files).
    pub files: u64,
    /// Records handed on.
    pub records: u64,
    /// Records dated outside `since..=until`.
    pub outside_window: u64,
    /// Claude Code entries seen before with the same `message.id` and `requestId`.
    pub duplicates: u64,
    /// Claude Code entries without `message.id` or `requestId`, counted without deduplication.
    pub not_deduplicable: u64,
    /// Claude Code lines that carry no usage (user turns, summaries, tool results).
    pub without_usage: u64,
    /// Claude Code entries of the `<synthetic>` model: local messages no API call produced.
    pub synthetic: u64,
    /// LiteLLM rows whose `status` is `failure`: nothing was billed.
    pub failed: u64,
}

impl Tally {
    /// One sentence per non-zero count of records left out or treated specially.
    #[must_use]
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let mut note = |count: u64, text: &str| {
            if count > 0 {
                notes.push(format!("{count} {text}"));
            }
        };
        note(
            self.outside_window,
            "records outside --since/--until are left out",
        );
        note(
            self.duplicates,
            "repeated Claude Code entries (same message id and request id) are counted once",
        );
        note(
            self.not_deduplicable,
            "Claude Code entries without a message id or request id are counted without deduplication",
        );
        note(
            self.without_usage,
            "Claude Code lines carry no usage (user turns, summaries) and are skipped",
        );
        note(
            self.synthetic,
            "Claude Code entries of the `<synthetic>` model made no API call and are skipped",
        );
        note(
            self.failed,
            "LiteLLM requests that failed (status `failure`) are skipped",
        );
        notes
    }
}

/// The most problems reported from one call before reading stops.
const MAX_PROBLEMS: usize = 20;

/// Reads `paths` and folds every record into an [`Aggregate`] grouped by `options.group_by`.
///
/// # Errors
/// [`Error::Invalid`] for bad input (every problem found, up to a limit), [`Error::Read`] and
/// friends for files that cannot be read, [`Error::Overflow`] when a sum leaves the decimal range.
pub fn read(paths: &[PathBuf], options: &Options) -> Result<Aggregate, Error> {
    let mut aggregate = Aggregate::new(options.group_by).split_at(options.price_changes.clone());
    let (format, tally) = visit(paths, options, |record| aggregate.add(record))?;
    aggregate.finish(format, tally);
    Ok(aggregate)
}

/// Reads `paths` and hands every valid record inside the window to `each`, in file order.
///
/// Returns the format read and the tally of records. Files of two formats, a record of one file
/// whose series (provider, model, project, key, workload, batch, tier) overlaps in time with the
/// same series in another file, and every bad record are errors.
///
/// # Errors
/// As [`read`], and any error `each` returns.
pub fn visit(
    paths: &[PathBuf],
    options: &Options,
    mut each: impl FnMut(UsageRecord) -> Result<(), Error>,
) -> Result<(Format, Tally), Error> {
    let files = expand(paths, options.format)?;
    let format = choose_format(&files, options.format)?;
    let mut state = State::default();
    let mut problems = Vec::new();
    let mut tally = Tally::default();
    let mut spans: Vec<(Arc<Path>, SeriesSpans)> = Vec::new();
    let (mut outside_window, mut records) = (0, 0);
    for file in &files {
        tally.files += 1;
        let mut file_spans = SeriesSpans::default();
        let mut sink = |record: UsageRecord| -> Result<(), Error> {
            if options.since.is_some_and(|since| record.date < since)
                || options.until.is_some_and(|until| record.date > until)
            {
                outside_window += 1;
                return Ok(());
            }
            if format.checks_overlap() {
                let series = series_hash(&record);
                file_spans
                    .entry(series)
                    .and_modify(|s| s.span = s.span.union(record.span))
                    .or_insert_with(|| SeriesSpan {
                        span: record.span,
                        label: series_label(&record),
                    });
            }
            records += 1;
            each(record)
        };
        let mut context = Context {
            file: Arc::clone(&file.path),
            problems: &mut problems,
            state: &mut state,
            tally: &mut tally,
        };
        read_file(format, file, &mut context, &mut sink)?;
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
        for (earlier, earlier_spans) in &spans {
            if let Some(diagnostic) = overlap(&file.path, &file_spans, earlier, earlier_spans) {
                problems.push(diagnostic);
            }
        }
        spans.push((Arc::clone(&file.path), file_spans));
    }
    tally.outside_window = outside_window;
    tally.records = records;
    if problems.is_empty() {
        Ok((format, tally))
    } else {
        Err(Error::Invalid(problems))
    }
}

/// The time covered by one series in one file, and how to name it.
struct SeriesSpan {
    span: Span,
    label: String,
}

/// The first series of `file` whose time span meets the same series in `earlier`, as an error.
fn overlap(
    file: &Path,
    spans: &SeriesSpans,
    earlier: &Path,
    earlier_spans: &SeriesSpans,
) -> Option<Diagnostic> {
    let mut clashes: Vec<&SeriesSpan> = spans
        .iter()
        .filter(|(series, s)| {
            earlier_spans
                .get(series)
                .is_some_and(|e| e.span.overlaps(s.span))
        })
        .map(|(_, s)| s)
        .collect();
    clashes.sort_by(|a, b| a.label.cmp(&b.label));
    let first = clashes.first()?;
    let more = match clashes.len() {
        1 => String::new(),
        n => format!(" (and {} more series)", n - 1),
    };
    Some(
        problem(
            file,
            None,
            format!(
                "{}{more} covers the same time as in `{}`; both files would be counted",
                first.label,
                earlier.display()
            ),
        )
        .with_hint(
            "pass each export once; split exports must cover different time ranges".to_owned(),
        ),
    )
}

/// A hash identifying the series a record belongs to, whatever the grouping.
fn series_hash(record: &UsageRecord) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    (
        &record.provider,
        &record.model,
        &record.project,
        &record.key,
        &record.workload,
        record.batch,
        &record.service_tier,
    )
        .hash(&mut hasher);
    hasher.finish()
}

fn series_label(record: &UsageRecord) -> String {
    let mut label = format!("model `{}`", record.model.escape_debug());
    for (name, value) in [
        ("provider", &record.provider),
        ("project", &record.project),
        ("key", &record.key),
        ("workload", &record.workload),
        ("service tier", &record.service_tier),
    ] {
        if let Some(value) = value {
            let _ = write!(label, " {name} `{}`", value.escape_debug());
        }
    }
    if record.batch {
        label.push_str(" (batch)");
    }
    label
}

/// One file to read.
struct InputFile {
    path: Arc<Path>,
    /// Its first bytes, for detection.
    head: Vec<u8>,
}

/// The files behind `paths`: a folder stands for its `.jsonl` files (Claude Code), found
/// recursively and read in name order.
fn expand(paths: &[PathBuf], forced: Option<Format>) -> Result<Vec<InputFile>, Error> {
    let mut seen = HashSet::new();
    let mut files = Vec::new();
    for path in paths {
        let found = if path.is_dir() {
            if forced.is_some_and(|f| f != Format::ClaudeCode) {
                return Err(Error::Invalid(vec![problem(
                    path,
                    None,
                    "is a folder; only Claude Code logs are read from folders".to_owned(),
                )]));
            }
            let mut found = Vec::new();
            walk(path, &mut found)?;
            if found.is_empty() {
                return Err(Error::Invalid(vec![
                    problem(path, None, "has no `.jsonl` files".to_owned())
                        .with_hint("Claude Code keeps its logs in ~/.claude/projects".to_owned()),
                ]));
            }
            found
        } else {
            vec![path.clone()]
        };
        for file in found {
            let identity = std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
            if !seen.insert(identity) {
                return Err(Error::DuplicateFile { path: file });
            }
            let head = read_head(&file)?;
            files.push(InputFile {
                path: Arc::from(file),
                head,
            });
        }
    }
    Ok(files)
}

fn walk(folder: &Path, found: &mut Vec<PathBuf>) -> Result<(), Error> {
    let entries = std::fs::read_dir(folder).map_err(|source| Error::Read {
        path: folder.to_owned(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "jsonl") {
            found.push(path);
        }
    }
    Ok(())
}

fn open(path: &Path) -> Result<File, Error> {
    File::open(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })
}

fn read_head(path: &Path) -> Result<Vec<u8>, Error> {
    let mut head = Vec::with_capacity(DETECT_BYTES);
    open(path)?
        .take(DETECT_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
    Ok(head)
}

/// The one format of all files: forced, or detected and the same for each.
fn choose_format(files: &[InputFile], forced: Option<Format>) -> Result<Format, Error> {
    if let Some(format) = forced {
        return Ok(format);
    }
    let mut chosen: Option<(Format, &Path)> = None;
    for file in files {
        let Some(format) = detect(&file.head) else {
            return Err(Error::Invalid(vec![
                problem(
                    &file.path,
                    None,
                    "cannot tell which usage export this is".to_owned(),
                )
                .with_hint(format!(
                    "name the format with --input-format: {}",
                    backticked(&Format::ALL.map(Format::name))
                )),
            ]));
        };
        match chosen {
            None => chosen = Some((format, &file.path)),
            Some((first, first_path)) if first != format => {
                return Err(Error::Invalid(vec![
                    problem(
                        &file.path,
                        None,
                        format!(
                            "is {} but `{}` is {}; one call reads one format",
                            format.description(),
                            first_path.display(),
                            first.description()
                        ),
                    )
                    .with_hint("read each format in its own call".to_owned()),
                ]));
            }
            Some(_) => {}
        }
    }
    chosen
        .map(|(format, _)| format)
        .ok_or_else(|| Error::Argument("no usage files given".to_owned()))
}

/// State shared by the files of one call.
#[derive(Default)]
struct State {
    /// Hashes of the `message.id` and `requestId` of every Claude Code entry seen.
    seen: seen::Seen,
}

/// A hasher for keys that are already 64-bit hashes: hashing them again only costs time.
#[derive(Default)]
pub(crate) struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used; fold anything else in so the hasher stays total.
        for byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// Per-file time spans of each series, keyed by the series hash.
type SeriesSpans = HashMap<u64, SeriesSpan, BuildHasherDefault<Prehashed>>;

/// What a format reader needs besides the bytes: where it is, and where problems go.
struct Context<'a> {
    file: Arc<Path>,
    problems: &'a mut Vec<Diagnostic>,
    state: &'a mut State,
    tally: &'a mut Tally,
}

/// Where records go; an error from it stops the reading.
type Sink<'a> = dyn FnMut(UsageRecord) -> Result<(), Error> + 'a;

impl Context<'_> {
    fn location(&self, at: At) -> Location {
        Location {
            file: Arc::clone(&self.file),
            at,
        }
    }

    /// Records a problem; `true` once enough are found to stop reading.
    fn problem(&mut self, at: &At, message: String, hint: Option<String>) -> bool {
        self.problems
            .push(problem(&self.file, Some(at), message).with_optional_hint(hint));
        self.problems.len() >= MAX_PROBLEMS
    }

    fn is_full(&self) -> bool {
        self.problems.len() >= MAX_PROBLEMS
    }

    fn read_error(&self, source: std::io::Error) -> Error {
        Error::Read {
            path: self.file.to_path_buf(),
            source,
        }
    }
}

/// A diagnostic at a line or JSON path of a file whose text is not kept: usage files are
/// streamed, so the location is part of the reported name rather than a span.
fn problem(file: &Path, at: Option<&At>, message: String) -> Diagnostic {
    let (name, message) = match at {
        None => (file.display().to_string(), message),
        Some(At::Line(line)) => (format!("{}:{line}", file.display()), message),
        Some(At::Json(path)) => (file.display().to_string(), format!("`{path}`: {message}")),
    };
    Diagnostic::in_file(&SourceFile::new(name, String::new()), message)
}

fn read_file(
    format: Format,
    file: &InputFile,
    context: &mut Context<'_>,
    sink: &mut Sink<'_>,
) -> Result<(), Error> {
    let reader = BufReader::with_capacity(1 << 16, open(&file.path)?);
    match format {
        Format::OpenAi => openai::read(reader, context, sink),
        Format::Anthropic => anthropic::read(reader, context, sink),
        Format::OpenRouter => openrouter::read(reader, context, sink),
        Format::ClaudeCode => claude_code::read(reader, context, sink),
        Format::LiteLlm => litellm::read(reader, &file.head, context, sink),
        Format::Costcalc => native::read(reader, context, sink),
    }
}

/// A JSON document that does not parse or has the wrong shape, located at its line and column.
fn json_error(context: &mut Context<'_>, error: &serde_json::Error) {
    let message = if error.is_eof() {
        "the JSON ends early; the file looks cut short".to_owned()
    } else {
        let text = error.to_string();
        match text.rfind(" at line ") {
            Some(cut) => text[..cut].to_owned(),
            None => text,
        }
    };
    let name = format!(
        "{}:{}:{}",
        context.file.display(),
        error.line(),
        error.column()
    );
    context.problems.push(Diagnostic::in_file(
        &SourceFile::new(name, String::new()),
        message,
    ));
}

/// The first non-space byte of a reader, without consuming it.
fn peek(reader: &mut impl BufRead) -> std::io::Result<Option<u8>> {
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok(None);
        }
        let skip = buffer
            .iter()
            .take_while(|b| b.is_ascii_whitespace() || **b == 0xef || **b == 0xbb || **b == 0xbf)
            .count();
        if skip < buffer.len() {
            let first = buffer[skip];
            reader.consume(skip);
            return Ok(Some(first));
        }
        let all = buffer.len();
        reader.consume(all);
    }
}

/// `a`, `b`, `c`.
fn backticked(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
