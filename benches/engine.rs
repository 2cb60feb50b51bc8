//! Times the whole library path on a generated scenario of 1,000 workloads x 10 plans x 120
//! months: parsing and validation, the engine (with and without each route's months), and the
//! renderers streaming into a sink, as they stream into a file. Run with `cargo bench`.
//!
//! A benchmark, not a test: timings on shared machines vary, so nothing here asserts a time.
//!
//! To measure the binary (time, peak memory) on the same scenario, write it to a file instead:
//! `COSTCALC_BENCH_SCENARIO=/tmp/bench.toml COSTCALC_BENCH_WORKLOADS=5000 cargo bench --bench
//! engine` writes the scenario of that many workloads (1,000 unless given) and exits.
//!
//! `COSTCALC_BENCH_WORKLOADS=5000` changes the number of workloads (for the scaling table);
//! `COSTCALC_BENCH_ENGINE_ONLY=1` stops after the engine. The engine's CPU time (all its threads,
//! from `/proc/self/stat`, Linux only) is shown beside its best wall time: run under
//! `taskset -c 0` for one core.

use std::fmt::Write as _;
use std::hint::black_box;
use std::io::Write as _;
use std::time::{Duration, Instant};

use costcalc::engine::{self, Options};
use costcalc::error::SourceFile;
use costcalc::pricing::Catalog;
use costcalc::report::{self, Format, Report, Style};
use costcalc::scenario::Scenario;

const PLANS: usize = 10;
const MONTHS: usize = 120;
const RUNS: u32 = 5;

/// Offers of the built-in catalog whose context windows hold 100,000-token requests.
const OFFERS: [&str; 6] = [
    "claude-sonnet-4-6@anthropic",
    "gpt-5.4@openai",
    "gemini-3.1-pro-preview@google",
    "qwen-plus@alibaba",
    "qwen3-coder-plus@alibaba",
    "qwen3-235b-a22b-instruct-2507@fireworks",
];

/// The number of workloads: `COSTCALC_BENCH_WORKLOADS`, or 1,000.
fn workloads() -> usize {
    std::env::var("COSTCALC_BENCH_WORKLOADS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000)
}

/// The CPU time of the whole process so far (user and system, every thread), where the system
/// says it.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // Clock ticks are 1/100 s on Linux.
    Some(Duration::from_millis(ticks * 10))
}

/// The best wall time of `runs` calls, the mean CPU time of one, and the last value.
fn timed<T>(runs: u32, f: impl FnMut() -> T) -> (Duration, Option<Duration>, T) {
    let before = cpu_time();
    let (best, value) = best_of(runs, f);
    let cpu = cpu_time()
        .zip(before)
        .and_then(|(after, before)| after.checked_sub(before))
        .map(|spent| spent / runs);
    (best, cpu, value)
}

fn generated_scenario(workloads: usize) -> String {
    let mut text =
        format!("[scenario]\nname = \"generated\"\nstart = \"2027-01\"\nmonths = {MONTHS}\n\n");
    for w in 0..workloads {
        let _ = write!(
            text,
            "[[workload]]\nid = \"w{w}\"\nrequests_per_day = {}\ngrowth_per_month = 0.01\n\
             cache_hit_share = 0.5\ncache_write_share = 0.1\nbatch_share = 0.2\n\
             [[workload.size]]\nshare = 0.7\ninput_tokens = {}\noutput_tokens = 400\nreasoning_tokens = 200\n\
             [[workload.size]]\nshare = 0.3\ninput_tokens = 100000\noutput_tokens = 1500\n\n",
            1_000 + w,
            2_000 + w * 10,
        );
    }
    for p in 0..PLANS {
        let _ = write!(
            text,
            "[[plan]]\nid = \"p{p}\"\nbaseline = {}\none_time_cost = 5000\n",
            p == 0
        );
        for w in 0..workloads {
            let first = OFFERS[(p + w) % OFFERS.len()];
            let second = OFFERS[(p + w + 1) % OFFERS.len()];
            let _ = write!(
                text,
                "[[plan.route]]\nworkload = \"w{w}\"\noffer = \"{first}\"\nshare = 0.85\n\
                 [[plan.route]]\nworkload = \"w{w}\"\noffer = \"{second}\"\nshare = 0.15\n"
            );
        }
        text.push('\n');
    }
    text
}

fn best_of<T>(runs: u32, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let value = black_box(f());
        best = best.min(start.elapsed());
        last = Some(value);
    }
    (best, last.expect("at least one run"))
}

fn main() {
    if let Some(path) = std::env::var_os("COSTCALC_BENCH_SCENARIO") {
        std::fs::write(path, generated_scenario(workloads())).expect("the scenario is written");
        return;
    }
    let catalog = Catalog::builtin().expect("the built-in catalog is valid");
    let workloads = workloads();
    let engine_only = std::env::var_os("COSTCALC_BENCH_ENGINE_ONLY").is_some();
    let text = generated_scenario(workloads);
    let file = SourceFile::new("generated.toml", text);
    let (parse, scenario) = best_of(RUNS, || Scenario::parse(&file, &catalog).expect("valid"));
    let summary = Options {
        route_months: engine::RouteMonths::Summed,
        ..Options::default()
    };
    let (run, run_cpu, estimate) = timed(RUNS, || {
        engine::estimate(&catalog, &scenario, &summary).expect("no overflow")
    });
    let mut out = std::io::stdout().lock();
    if engine_only {
        let _ = writeln!(
            out,
            "generated scenario: {workloads} workloads x {PLANS} plans x {MONTHS} months, best of {RUNS}\n  \
             engine:             {run:?} (CPU {run_cpu:?} a run)"
        );
        return;
    }
    let (run_months, detailed) = best_of(RUNS, || {
        engine::estimate(&catalog, &scenario, &Options::default()).expect("no overflow")
    });
    let estimates = [estimate];
    let detailed = [detailed];
    let write = |estimates: &[costcalc::estimate::Estimate], format| {
        let mut sink = Counter(0);
        let mut out = std::io::BufWriter::new(&mut sink);
        report::write(&mut out, Report::Run(estimates), format, Style::default())
            .expect("a sink takes every byte");
        drop(out);
        sink.0
    };
    let (table, _) = best_of(RUNS, || write(&estimates, Format::Table));
    let (json, bytes) = best_of(RUNS, || write(&estimates, Format::Json));
    let (json_months, months_bytes) = best_of(RUNS, || write(&detailed, Format::Json));
    let (lines, lines_bytes) = best_of(RUNS, || write(&detailed, Format::CsvLines));
    let _ = writeln!(
        out,
        "generated scenario: {workloads} workloads x {PLANS} plans x {MONTHS} months ({} KiB of TOML), best of {RUNS}",
        file.text.len() / 1024
    );
    let _ = writeln!(out, "  parse and validate: {parse:?}");
    let _ = writeln!(out, "  engine:             {run:?} (CPU {run_cpu:?} a run)");
    let _ = writeln!(out, "  engine with months: {run_months:?}");
    let _ = writeln!(out, "  parse + engine:     {:?}", parse + run);
    let _ = writeln!(out, "  table report:       {table:?}");
    let mib = |bytes: usize| bytes / (1024 * 1024);
    let _ = writeln!(out, "  json report:        {json:?} ({} MiB)", mib(bytes));
    let _ = writeln!(
        out,
        "  json with months:   {json_months:?} ({} MiB)",
        mib(months_bytes)
    );
    let _ = writeln!(
        out,
        "  csv-lines report:   {lines:?} ({} MiB)",
        mib(lines_bytes)
    );
}

/// A writer that counts the bytes it is given and keeps none.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
