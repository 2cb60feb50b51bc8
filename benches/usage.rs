//! Times reading and aggregating generated usage files: a per-request costcalc CSV and a
//! Claude-Code-style JSON Lines log, against a bare `serde_json` parse of the same lines into a
//! minimal struct. Run with `cargo bench --bench usage`.
//!
//! A benchmark, not a test: timings on shared machines vary, so nothing here asserts a time.
//!
//! With no arguments it generates both files with `COSTCALC_BENCH_ROWS` rows (default
//! 1,000,000) in a temporary folder, times each path and prints rows per second. To measure
//! peak memory of one path alone, run the built benchmark binary under `/usr/bin/time -v`:
//!
//! ```text
//! usage-HASH generate FOLDER ROWS   # writes FOLDER/usage.csv and FOLDER/usage.jsonl
//! usage-HASH csv FOLDER/usage.csv   # reads and aggregates one file, prints the time
//! usage-HASH jsonl FOLDER/usage.jsonl
//! usage-HASH bare FOLDER/usage.jsonl
//! ```

use std::borrow::Cow;
use std::fs::File;
use std::hint::black_box;
use std::io::{BufRead, BufReader, BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use costcalc::usage::{self, Format, Options, native_header};
use serde::Deserialize;

const MODELS: [&str; 5] = [
    "claude-sonnet-4-5-20250929",
    "claude-haiku-4-5-20251001",
    "claude-opus-4-1-20250805",
    "gpt-4.1",
    "qwen-plus",
];

/// 2025-01-01T00:00:00Z in seconds since the epoch.
const START_S: u64 = 1_735_689_600;
/// Spread the rows over one year.
const YEAR_S: u64 = 365 * 86_400;

/// A small deterministic generator, so every run reads the same files.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

/// `2025-03-04T05:06:07.089Z` for a second and a millisecond.
fn rfc3339(seconds: u64, millis: u64) -> String {
    let days = i64::try_from(seconds / 86_400).expect("small");
    let date = costcalc::calendar::Date::from_days_since_epoch(days).expect("in range");
    let of_day = seconds % 86_400;
    format!(
        "{date}T{:02}:{:02}:{:02}.{millis:03}Z",
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    )
}

fn generate(folder: &Path, rows: u64) -> std::io::Result<(PathBuf, PathBuf)> {
    std::fs::create_dir_all(folder)?;
    let csv_path = folder.join("usage.csv");
    let jsonl_path = folder.join("usage.jsonl");
    let mut csv = BufWriter::new(File::create(&csv_path)?);
    let mut jsonl = BufWriter::new(File::create(&jsonl_path)?);
    writeln!(csv, "{}", native_header())?;
    let mut random = Lcg(42);
    for i in 0..rows {
        // Rows in time order, as logs are.
        let seconds = START_S + i * YEAR_S / rows;
        let time = rfc3339(seconds, random.next() % 1000);
        let model = MODELS[usize::try_from(random.next() % 5).expect("small")];
        let input = random.next() % 20_000;
        let cached = random.next() % 50_000;
        let write = random.next() % 5_000;
        let output = random.next() % 4_000;
        let reasoning = random.next() % 1_000;
        let project = random.next() % 8;
        writeln!(
            csv,
            "{time},{model},anthropic,{input},{cached},{write},0,0,0,0,0,{output},{reasoning},0,0,\
             1,proj-{project},,,false,,"
        )?;
        writeln!(
            jsonl,
            "{{\"parentUuid\":\"p{i}\",\"isSidechain\":false,\"userType\":\"external\",\
             \"cwd\":\"/home/dev/proj-{project}\",\"sessionId\":\"0f6c1c1e-1111-4000-8000-{project:012}\",\
             \"version\":\"2.0.14\",\"message\":{{\"id\":\"msg_{i:024}\",\"type\":\"message\",\
             \"role\":\"assistant\",\"model\":\"{model}\",\"content\":[{{\"type\":\"text\",\
             \"text\":\"Done with step {i}.\"}}],\"stop_reason\":\"end_turn\",\"usage\":{{\
             \"input_tokens\":{input},\"cache_creation_input_tokens\":{write},\
             \"cache_read_input_tokens\":{cached},\"cache_creation\":{{\
             \"ephemeral_5m_input_tokens\":{write},\"ephemeral_1h_input_tokens\":0}},\
             \"output_tokens\":{output},\"service_tier\":\"standard\"}}}},\
             \"requestId\":\"req_{i:024}\",\"type\":\"assistant\",\"uuid\":\"u{i}\",\
             \"timestamp\":\"{time}\"}}"
        )?;
    }
    csv.flush()?;
    jsonl.flush()?;
    Ok((csv_path, jsonl_path))
}

/// Reads and aggregates one file; returns the time, the records and the cells.
fn aggregate(path: &Path, format: Format) -> (Duration, u64, usize) {
    let options = Options {
        format: Some(format),
        ..Options::default()
    };
    let start = Instant::now();
    let aggregate = usage::read(&[path.to_owned()], &options).expect("the generated file is valid");
    let elapsed = start.elapsed();
    (
        elapsed,
        aggregate.tally().records,
        black_box(aggregate.len()),
    )
}

/// The fields a Claude Code reader needs, parsed with no checks and summed into integers.
#[derive(Deserialize)]
struct Minimal<'a> {
    #[serde(borrow)]
    timestamp: Option<Cow<'a, str>>,
    #[serde(rename = "requestId", borrow)]
    request_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    message: Option<MinimalMessage<'a>>,
}

#[derive(Deserialize)]
struct MinimalMessage<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    model: Option<Cow<'a, str>>,
    usage: Option<MinimalUsage>,
}

#[derive(Deserialize)]
#[expect(
    clippy::struct_field_names,
    reason = "the fields mirror the log's own names"
)]
struct MinimalUsage {
    input_tokens: u64,
    cache_creation_input_tokens: u64,
    cache_read_input_tokens: u64,
    output_tokens: u64,
}

fn bare(path: &Path) -> (Duration, u64) {
    let start = Instant::now();
    let mut reader = BufReader::with_capacity(1 << 16, File::open(path).expect("generated"));
    let mut line = Vec::new();
    let (mut lines, mut tokens) = (0u64, 0u64);
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).expect("readable") == 0 {
            break;
        }
        let entry: Minimal<'_> = serde_json::from_slice(&line).expect("valid JSON");
        lines += 1;
        if let Some(message) = entry.message
            && let Some(usage) = message.usage
        {
            tokens += usage.input_tokens
                + usage.cache_creation_input_tokens
                + usage.cache_read_input_tokens
                + usage.output_tokens;
            black_box((entry.timestamp, entry.request_id, message.id, message.model));
        }
    }
    black_box(tokens);
    (start.elapsed(), lines)
}

fn per_second(rows: u64, time: Duration) -> String {
    let thousands = u128::from(rows) * 1_000_000 / time.as_micros().max(1) / 1000;
    format!("{thousands}k rows/s")
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let mut out = std::io::stdout().lock();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["generate", folder, rows] => {
            let rows = rows.parse().expect("a row count");
            let (csv, jsonl) = generate(Path::new(folder), rows).expect("writable folder");
            let _ = writeln!(out, "wrote {} and {}", csv.display(), jsonl.display());
        }
        ["csv", file] => {
            let (time, rows, cells) = aggregate(Path::new(file), Format::Costcalc);
            let _ = writeln!(
                out,
                "csv: {rows} rows, {cells} cells in {time:?} ({})",
                per_second(rows, time)
            );
        }
        ["jsonl", file] => {
            let (time, rows, cells) = aggregate(Path::new(file), Format::ClaudeCode);
            let _ = writeln!(
                out,
                "jsonl: {rows} rows, {cells} cells in {time:?} ({})",
                per_second(rows, time)
            );
        }
        ["bare", file] => {
            let (time, rows) = bare(Path::new(file));
            let _ = writeln!(
                out,
                "bare serde_json: {rows} lines in {time:?} ({})",
                per_second(rows, time)
            );
        }
        _ => {
            let rows = std::env::var("COSTCALC_BENCH_ROWS")
                .ok()
                .and_then(|r| r.parse().ok())
                .unwrap_or(1_000_000);
            let folder =
                std::env::temp_dir().join(format!("costcalc-usage-bench-{}", std::process::id()));
            let (csv, jsonl) = generate(&folder, rows).expect("writable temp folder");
            let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len() / (1024 * 1024));
            let _ = writeln!(
                out,
                "generated {rows} rows: {} MiB of CSV, {} MiB of JSON Lines",
                size(&csv),
                size(&jsonl)
            );
            let (csv_time, csv_rows, cells) = aggregate(&csv, Format::Costcalc);
            let _ = writeln!(
                out,
                "  costcalc CSV, read + aggregate: {csv_time:?} ({}, {cells} cells)",
                per_second(csv_rows, csv_time)
            );
            let (jsonl_time, jsonl_rows, cells) = aggregate(&jsonl, Format::ClaudeCode);
            let _ = writeln!(
                out,
                "  Claude Code JSONL, read + aggregate: {jsonl_time:?} ({}, {cells} cells)",
                per_second(jsonl_rows, jsonl_time)
            );
            let (bare_time, lines) = bare(&jsonl);
            let _ = writeln!(
                out,
                "  bare serde_json parse of the same lines: {bare_time:?} ({})",
                per_second(lines, bare_time)
            );
            let ratio = jsonl_time.as_micros() * 100 / bare_time.as_micros().max(1);
            let _ = writeln!(
                out,
                "  JSONL path / bare parse: {}.{:02}x",
                ratio / 100,
                ratio % 100
            );
            let _ = std::fs::remove_dir_all(&folder);
        }
    }
}
