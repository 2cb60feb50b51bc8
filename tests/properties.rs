//! Property tests: generated scenarios and mutated TOML go through parsing, validation, the
//! engine and every renderer. Whatever the input, the outcome is a report or an error that says
//! where the problem is; never a panic. Bounded to stay well under a minute in CI.
//!
//! The cases come from a fixed seed, so a red run is a real regression that reproduces on any
//! machine. `COSTCALC_PROPTEST_RANDOM=1` draws fresh cases (2,000 per property unless
//! `PROPTEST_CASES` says otherwise); a failure found that way is saved to
//! `tests/properties.proptest-regressions`, which is committed and replayed before every run.

use std::fmt::Write as _;
use std::sync::OnceLock;

use costcalc::engine::{self, Options};
use costcalc::error::{Error, SourceFile};
use costcalc::estimate::Estimate;
use costcalc::pricing::Catalog;
use costcalc::report::{self, Format, Report};
use costcalc::scenario::Scenario;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};
use rust_decimal::Decimal;

/// The seed of the default, deterministic run.
const SEED: u64 = 0x00C0_57CA_1C00;

fn config() -> Config {
    // `Config::default()` already reads the `PROPTEST_*` variables; only their absence is
    // replaced here.
    let defaults = Config::default();
    let random = std::env::var_os("COSTCALC_PROPTEST_RANDOM").is_some();
    let cases_given = std::env::var_os("PROPTEST_CASES").is_some();
    let cases = match (cases_given, random) {
        (true, _) => defaults.cases,
        (false, true) => 2000,
        (false, false) => 200,
    };
    let rng_seed = match (random, defaults.rng_seed) {
        (true, _) => RngSeed::Random,
        (false, seed @ RngSeed::Fixed(_)) => seed,
        (false, RngSeed::Random) => RngSeed::Fixed(SEED),
    };
    Config {
        cases,
        rng_seed,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/properties.proptest-regressions",
        ))),
        ..defaults
    }
}

/// An offer that prices every component: audio (with cache reads), images, searches, writes of
/// three lifetimes, flex and priority tables, and an inclusive excess tier with its own priority
/// prices but no flex prices. The built-in catalog prices none of audio, images or searches.
const MEDIA: &str = r#"
[[provider]]
id = "mediahost"
name = "Media Host"
country = "US"
pricing_url = "https://example.com/pricing"

[[model]]
id = "media-1"
name = "Media 1"
maker = "Media Host"
weights = "closed"
license = "proprietary"
origin = "US"
context_window = 200000

[[offer]]
model = "media-1"
provider = "mediahost"
as_of = 2026-11-20
source = "https://example.com/pricing"
input = 2
output = 8
cached_input = 0.2
cache_write_5m = 2.5
cache_write_1h = 4
audio_input = 32
cached_audio_input = 0.4
image_input = 1
audio_output = 64
web_search = 0.01
per_request = 0.0001
batch_discount = 0.5

[offer.flex]
input = 1
output = 4
audio_input = 16

[offer.priority]
input = 4
output = 16
cached_input = 0.4
audio_input = 64

[[offer.tier]]
from_input_tokens = 20000
applies_to = "excess"
input = 4
output = 12
cached_input = 0.4
cache_write_5m = 5
audio_input = 48

[offer.tier.priority]
input = 8
output = 24
"#;

const MEDIA_OFFER: &str = "media-1@mediahost";

/// The built-in catalog with [`MEDIA`] on top.
fn builtin() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut files = Catalog::builtin_files();
        files.push(SourceFile::new("media.toml", MEDIA));
        Catalog::parse(&files).unwrap_or_else(|e| panic!("{}", e.report()))
    })
}

/// Runs text as a scenario through everything; fails the property on a panic (proptest catches
/// it) or on an error without a position.
fn pipeline(text: &str) -> Result<(), TestCaseError> {
    let file = SourceFile::new("p.toml", text);
    let scenario = match Scenario::parse(&file, builtin()) {
        Ok(scenario) => scenario,
        Err(error) => return located(&error),
    };
    let estimate = match engine::estimate(builtin(), &scenario, &Options::default()) {
        Ok(estimate) => estimate,
        Err(error @ Error::Overflow { .. }) => {
            prop_assert!(error.report().contains("overflows"));
            return Ok(());
        }
        Err(error) => return Err(TestCaseError::fail(format!("unexpected error: {error}"))),
    };
    money_adds_up(&estimate)?;
    api_cost_scales_with_volume(&scenario, &estimate)?;
    let estimates = [estimate];
    summary_csv_matches_the_estimate(&estimates[0])?;
    for format in [
        Format::Table,
        Format::Csv,
        Format::CsvLines,
        Format::Json,
        Format::Markdown,
    ] {
        let rendered = report::render(Report::Run(&estimates), format);
        prop_assert!(!rendered.is_empty());
    }
    Ok(())
}

/// `a` and `b` are equal but for the last of the 28 digits a decimal keeps: sums of the same
/// parts in another order may round differently there, and nowhere else.
fn close(a: Decimal, b: Decimal) -> bool {
    let scale = a.abs().max(b.abs()).max(Decimal::ONE);
    (a - b).abs() <= scale * Decimal::new(1, 20)
}

macro_rules! prop_assert_close {
    ($a:expr, $b:expr, $($what:tt)+) => {{
        let (a, b) = ($a, $b);
        prop_assert!(close(a, b), "{}: {} != {}", format!($($what)+), a, b);
    }};
}

/// Parts add up to totals, and savings are the baseline's cost minus the plan's, everywhere in
/// the result.
fn money_adds_up(estimate: &Estimate) -> Result<(), TestCaseError> {
    let baseline = estimate.baseline();
    for plan in &estimate.plans {
        let id = &plan.id;
        let monthly: Decimal = plan.monthly.iter().map(|m| m.cost).sum();
        prop_assert_close!(monthly, plan.total_cost, "months of `{id}`");
        let yearly: Decimal = plan.years.iter().map(|y| y.cost).sum();
        prop_assert_close!(yearly, plan.total_cost, "years of `{id}`");
        let by_workload: Decimal = plan.workloads.iter().map(|w| w.cost).sum();
        prop_assert_close!(by_workload, plan.usage_cost, "workloads of `{id}`");
        let months = Decimal::from(plan.monthly.len());
        let fixed = plan.monthly_fixed_cost * months + plan.one_time_cost;
        prop_assert_close!(
            plan.usage_cost + fixed,
            plan.total_cost,
            "fixed costs of `{id}`"
        );
        for workload in &plan.workloads {
            let routes: Decimal = workload.routes.iter().map(|r| r.cost).sum();
            prop_assert_close!(routes, workload.cost, "routes of `{id}`/`{}`", workload.id);
            for route in &workload.routes {
                let months: Decimal = route.months.iter().map(|m| m.cost).sum();
                prop_assert_close!(months, route.cost, "months of route `{}`", route.offer);
            }
        }
        for (index, month) in plan.monthly.iter().enumerate() {
            let routes: Decimal = plan
                .workloads
                .iter()
                .flat_map(|w| &w.routes)
                .map(|r| r.months.kept[index].cost)
                .sum();
            let one_time = if index == 0 {
                plan.one_time_cost
            } else {
                Decimal::ZERO
            };
            prop_assert_close!(
                routes + plan.monthly_fixed_cost + one_time,
                month.cost,
                "month {} of `{id}`",
                month.month
            );
        }
        if plan.baseline {
            prop_assert!(plan.savings.is_none());
            continue;
        }
        prop_assert_eq!(plan.savings, Some(baseline.total_cost - plan.total_cost));
        for (year, base) in plan.years.iter().zip(&baseline.years) {
            prop_assert_eq!(year.savings, Some(base.cost - year.cost));
        }
    }
    Ok(())
}

/// Token charges of a plan served only by API offers are linear in the volume: three times the
/// requests cost exactly three times as much, or, where a workload grows and its requests in a
/// month are held to 15 significant digits, as much to within that rounding.
fn api_cost_scales_with_volume(
    scenario: &Scenario,
    estimate: &Estimate,
) -> Result<(), TestCaseError> {
    let factor = Decimal::from(3);
    let Some(scaled) = scenario.scaled(factor) else {
        return Ok(());
    };
    let Ok(tripled) = engine::estimate(builtin(), &scaled, &Options::default()) else {
        return Ok(()); // An overflow at three times the volume is a located error already.
    };
    // Each month's requests move by at most half a unit in their 15th digit at either volume.
    let rounded = scenario.grows();
    assert_eq!(engine::REQUEST_DIGITS, 15);
    for (plan, more) in estimate.plans.iter().zip(&tripled.plans) {
        if !plan.deployments.is_empty() {
            continue;
        }
        let (expected, found) = (plan.usage_cost * factor, more.usage_cost);
        if rounded {
            prop_assert!(
                (expected - found).abs() <= found.abs() * Decimal::new(2, 14),
                "usage of `{}` at 3x: {expected} != {found}",
                plan.id
            );
        } else {
            prop_assert_close!(expected, found, "usage of `{}` at 3x", plan.id);
        }
    }
    Ok(())
}

/// The CSV summary carries the estimate's exact figures.
fn summary_csv_matches_the_estimate(estimate: &Estimate) -> Result<(), TestCaseError> {
    let text = report::render(Report::Run(std::slice::from_ref(estimate)), Format::Csv);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (total, savings) = (column("horizon_total"), column("savings"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    prop_assert_eq!(rows.len(), estimate.plans.len());
    for (row, plan) in rows.iter().zip(&estimate.plans) {
        prop_assert_eq!(row[total].parse::<Decimal>().unwrap(), plan.total_cost);
        let stated = (!row[savings].is_empty()).then(|| row[savings].parse::<Decimal>().unwrap());
        prop_assert_eq!(stated, plan.savings);
    }
    Ok(())
}

/// An invalid input must be reported with the file and, where the parser gives one, a line and
/// column.
fn located(error: &Error) -> Result<(), TestCaseError> {
    let Error::Invalid(diagnostics) = error else {
        return Err(TestCaseError::fail(format!(
            "unexpected error class: {error}"
        )));
    };
    prop_assert!(!diagnostics.is_empty());
    for diagnostic in diagnostics {
        prop_assert!(
            diagnostic.location().starts_with("p.toml"),
            "{}",
            diagnostic
        );
    }
    prop_assert!(error.report().starts_with("error: p.toml"));
    Ok(())
}

const OFFERS: &[&str] = &[
    "claude-haiku-4-5@anthropic",
    "gpt-5@openai",
    "deepseek-v3.2@deepinfra",
    "llama-3.3-70b@self-h100x2-trtllm",
    "claude-sonnet-4-6@anthropic",
    "gpt-5.4@openai",
    "gpt-5.4-mini@openai",
    "gemini-3.1-pro-preview@google",
    "qwen-plus@alibaba",
    "qwen3-coder-plus@alibaba",
    "qwen3-max@alibaba",
    "qwen3-235b-a22b-instruct-2507@deepinfra",
    "gpt-oss-120b@groq",
    "gpt-oss-120b@self-h100x2-vllm",
    "qwen3-235b-a22b-instruct-2507@self-h100x4-vllm",
    "deepseek-v4-pro@deepseek",
    MEDIA_OFFER,
    "no-such-model@nowhere",
];

/// A number as TOML writes it: small, large, fractional, negative, or absurd.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        60 => (0u64..5_000_000).prop_map(|n| n.to_string()),
        30 => (0u32..10_000, 0u32..1000).prop_map(|(a, b)| format!("{a}.{b:03}")),
        1 => Just("0".to_owned()),
        1 => Just("-1".to_owned()),
        1 => Just("1e30".to_owned()),
        1 => Just("\"79228162514264337593543950335\"".to_owned()),
        1 => Just("9223372036854775807".to_owned()),
    ]
}

fn share() -> impl Strategy<Value = String> {
    prop_oneof![
        80 => (0u32..=40).prop_map(|p| format!("0.{p:02}")),
        1 => Just("1.5".to_owned()),
        1 => Just("-0.1".to_owned()),
    ]
}

/// Tokens per request: mostly within every model's context window, sometimes not.
fn tokens() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => (0u32..30_000).prop_map(|n| n.to_string()),
        1 => number(),
    ]
}

/// A share of at most `max` hundredths.
fn small_share(max: u32) -> impl Strategy<Value = String> {
    (0..=max).prop_map(|p| format!("0.{p:02}"))
}

/// The keys of the other components, for a workload that carries them: audio in (some of it
/// cached), images, audio out, searches, and flex and priority shares (with the batch share at
/// most 0.40, these two at most 0.30 each keep the three within 1).
fn media_keys() -> impl Strategy<Value = String> {
    (
        0u32..4000,
        0u32..3000,
        0u32..1000,
        prop_oneof![3 => Just(0u32), 1 => 1u32..4],
        small_share(100),
        small_share(30),
        small_share(30),
    )
        .prop_map(
            |(audio, images, audio_out, searches, audio_hit, flex, priority)| {
                format!(
                    "audio_input_tokens = {audio}
image_input_tokens = {images}
                 audio_output_tokens = {audio_out}
web_searches = {searches}
                 audio_cache_hit_share = {audio_hit}
flex_share = {flex}
priority_share = {priority}
"
                )
            },
        )
}

/// Cache writes: one share for one lifetime (the shorthand), or a share per lifetime (at most
/// 0.20 each, so that with hits of at most 0.40 they stay within 1).
fn cache_writes() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (share(), prop_oneof![Just("5m"), Just("1h"), Just("12h")]).prop_map(|(w, ttl)| {
            format!("cache_write_share = {w}\ncache_write_ttl = \"{ttl}\"\n")
        }),
        1 => (small_share(20), small_share(20), small_share(20)).prop_map(|(a, b, c)| {
            format!(
                "cache_write_5m_share = {a}\ncache_write_1h_share = {b}\ncache_write_12h_share = {c}\n"
            )
        }),
    ]
}

/// A scenario of up to three workloads and three plans, mostly valid, sometimes not. A quarter
/// of the workloads carry audio, images and searches and use flex and priority; nearly all of
/// those are routed to the one offer that prices them, the others to any offer (mostly an
/// error at the route).
fn scenario() -> impl Strategy<Value = String> {
    let workload = (
        number(),
        tokens(),
        tokens(),
        tokens(),
        share(),
        cache_writes(),
        share(),
        prop_oneof![4 => Just("0"), 4 => Just("0.02"), 1 => Just("-0.5"), 1 => Just("3")],
        prop_oneof![10 => Just("1"), 10 => Just("2.5"), 1 => Just("0.5")],
        any::<bool>(),
        prop::option::weighted(0.25, (media_keys(), prop::bool::weighted(0.9))),
    );
    // Per plan and workload: an offer, and sometimes a second one sharing half the requests.
    let route = (
        0..OFFERS.len(),
        prop::option::weighted(0.3, 0..OFFERS.len()),
    );
    (
        prop::collection::vec(workload, 1..4),
        prop::collection::vec(prop::collection::vec(route, 3), 1..4),
        1u32..40,
        prop_oneof![Just("always_on"), Just("scale_down")],
    )
        .prop_map(|(workloads, plans, months, capacity)| {
            let mut text = format!(
                "[scenario]\nname = \"generated\"\nstart = \"2027-11\"\nmonths = {months}\n\n\
                 [self_hosting]\ncapacity = \"{capacity}\"\n\n"
            );
            for (i, (volume, input, output, reasoning, hit, writes, batch, growth, peak, per_day, media)) in
                workloads.iter().enumerate()
            {
                let volume_key = if *per_day { "requests_per_day" } else { "requests_per_month" };
                let media = media.as_ref().map_or("", |(keys, _)| keys.as_str());
                let _ = write!(
                    text,
                    "[[workload]]\nid = \"w{i}\"\n{volume_key} = {volume}\ninput_tokens = {input}\n\
                     output_tokens = {output}\nreasoning_tokens = {reasoning}\ncache_hit_share = {hit}\n\
                     {writes}batch_share = {batch}\ngrowth_per_month = {growth}\n\
                     peak_to_average = {peak}\n{media}\n"
                );
            }
            for (p, routes) in plans.iter().enumerate() {
                let _ = write!(text, "[[plan]]\nid = \"p{p}\"\nbaseline = {}\n", p == 0);
                for (workload, (offer, second)) in routes.iter().enumerate().take(workloads.len()) {
                    if let Some((_, true)) = &workloads[workload].10 {
                        let _ = write!(
                            text,
                            "[[plan.route]]\nworkload = \"w{workload}\"\noffer = \"{MEDIA_OFFER}\"\n"
                        );
                        continue;
                    }
                    let share = if second.is_some() { "0.5" } else { "1" };
                    let _ = write!(
                    text,
                        "[[plan.route]]\nworkload = \"w{workload}\"\noffer = \"{}\"\nshare = {share}\n",
                        OFFERS[*offer]
                    );
                    if let Some(second) = second {
                        let _ = write!(
                    text,
                            "[[plan.route]]\nworkload = \"w{workload}\"\noffer = \"{}\"\nshare = 0.5\n",
                            OFFERS[*second]
                        );
                    }
                }
                text.push('\n');
            }
            text
        })
}

/// The bundled scenarios, as mutation seeds.
fn seeds() -> Vec<String> {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    SwapValues(usize, usize),
    InsertBytes(usize, Vec<u8>),
    HugeNumber(usize),
    DeepNesting(usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapValues(a, b)),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Mutation::InsertBytes(at, bytes)),
        any::<usize>().prop_map(Mutation::HugeNumber),
        (1usize..3000).prop_map(Mutation::DeepNesting),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

/// Applies one mutation. Total: every mutation of any text, the empty text included, is
/// defined, so the test's own helper can never be what fails.
fn mutate(text: &str, mutation: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let n = lines.len();
    match mutation {
        Mutation::DeleteLine(i) => {
            if n > 0 {
                lines.remove(i % n);
            }
        }
        Mutation::SwapValues(a, b) => {
            if n == 0 {
                return text.to_owned();
            }
            let value = |line: &str| line.split_once(" = ").map(|(_, v)| v.to_owned());
            let (a, b) = (a % n, b % n);
            if let (Some(va), Some(vb)) = (value(&lines[a]), value(&lines[b])) {
                let key = |line: &str| {
                    line.split_once(" = ")
                        .map(|(k, _)| k.to_owned())
                        .unwrap_or_default()
                };
                let (ka, kb) = (key(&lines[a]), key(&lines[b]));
                lines[a] = format!("{ka} = {vb}");
                lines[b] = format!("{kb} = {va}");
            }
        }
        Mutation::InsertBytes(at, bytes) => {
            let mut joined = lines.join("\n").into_bytes();
            let at = at % (joined.len() + 1);
            joined.splice(at..at, bytes.iter().copied());
            return String::from_utf8_lossy(&joined).into_owned();
        }
        Mutation::HugeNumber(i) => {
            if n == 0 {
                return text.to_owned();
            }
            let i = i % n;
            if let Some((key, _)) = lines[i].split_once(" = ") {
                lines[i] = format!("{key} = 79228162514264337593543950335");
            }
        }
        Mutation::DeepNesting(depth) => {
            lines.push(format!(
                "deep = {}1{}",
                "[".repeat(*depth),
                "]".repeat(*depth)
            ));
        }
        Mutation::Truncate(at) => {
            let joined = lines.join("\n");
            let mut at = at % (joined.len() + 1);
            while !joined.is_char_boundary(at) {
                at -= 1;
            }
            return joined[..at].to_owned();
        }
    }
    lines.join("\n")
}

/// Every mutation of the empty text and of a one-line text is defined.
#[test]
fn mutations_are_total_on_empty_and_one_line_texts() {
    let every = |i: usize| {
        [
            Mutation::DeleteLine(i),
            Mutation::SwapValues(i, i.wrapping_add(1)),
            Mutation::InsertBytes(i, vec![b'x']),
            Mutation::HugeNumber(i),
            Mutation::DeepNesting(2),
            Mutation::Truncate(i),
        ]
    };
    for text in ["", "a = 1", "\n"] {
        for i in [0, 1, 7, usize::MAX] {
            for mutation in every(i) {
                let _ = mutate(text, &mutation);
            }
        }
    }
    assert_eq!(mutate("", &Mutation::DeleteLine(0)), "");
    assert_eq!(mutate("a = 1", &Mutation::DeleteLine(5)), "");
    assert_eq!(
        mutate("a = 1", &Mutation::HugeNumber(3)),
        "a = 79228162514264337593543950335"
    );
}

/// The case that once failed CI at random: a truncation to nothing, then mutations that pick a
/// line of the (now empty) text.
#[test]
fn regression_truncated_to_nothing_then_mutated() {
    let mut text = seeds()[0].clone();
    for mutation in [
        Mutation::Truncate(0),
        Mutation::HugeNumber(0),
        Mutation::SwapValues(0, 0),
        Mutation::DeleteLine(0),
    ] {
        text = mutate(&text, &mutation);
    }
    assert_eq!(text, "");
    pipeline(&text).unwrap();
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_scenarios_give_a_report_or_a_located_error(text in scenario()) {
        pipeline(&text)?;
    }

    #[test]
    fn mutated_scenarios_give_a_report_or_a_located_error(
        seed in 0usize..16,
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let seeds = seeds();
        let mut text = seeds[seed % seeds.len()].clone();
        for mutation in &mutations {
            text = mutate(&text, mutation);
        }
        pipeline(&text)?;
    }

    #[test]
    fn arbitrary_text_gives_a_located_error(text in "\\PC{0,400}") {
        pipeline(&text)?;
    }
}

/// The generator must reach the engine and renderers, not only validation errors: at least a
/// fifth of generated scenarios are valid.
#[test]
fn generated_scenarios_often_reach_the_engine() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = scenario();
    let mut valid = 0;
    for _ in 0..200 {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        match Scenario::parse(&SourceFile::new("p.toml", text), builtin()) {
            Ok(_) => valid += 1,
            Err(e) => {
                if std::env::var_os("SHOW").is_some() {
                    eprintln!("{}", e.report());
                }
            }
        }
    }
    assert!(
        valid >= 40,
        "only {valid} of 200 generated scenarios are valid"
    );
}

/// The invariants hold at the size the engine's shortcuts are for: 120 months of compounding
/// (requests held to 15 digits), a euro report converting dollar prices at 1 / 1.16 (products
/// that fill all 28 digits), two routes a workload, a self-hosted deployment beside API routes,
/// and more plans than cores.
#[test]
fn a_large_scenario_adds_up_in_every_format() {
    const OFFERS: [&str; 4] = [
        "claude-sonnet-4-6@anthropic",
        "qwen3-235b-a22b-instruct-2507@fireworks",
        "qwen3-235b-a22b-instruct-2507@scaleway",
        "gpt-5.4@openai",
    ];
    let mut text = String::from(
        "[scenario]\nname = \"large\"\nstart = \"2027-01\"\nmonths = 120\ncurrency = \"EUR\"\n\n\
         [[exchange_rate]]\nrate = \"1 EUR = 1.16 USD\"\nas_of = 2026-11-20\n\
         source = \"https://www.ecb.europa.eu/\"\n\n",
    );
    for w in 0..60 {
        let _ = write!(
            text,
            "[[workload]]\nid = \"w{w}\"\nrequests_per_day = {}\ngrowth_per_month = 0.0{}\n\
             cache_hit_share = 0.4\nbatch_share = 0.25\ninput_tokens = {}\noutput_tokens = 333\n\n",
            900 + w * 37,
            1 + w % 4,
            1_000 + w * 113,
        );
    }
    for p in 0..5 {
        let _ = write!(text, "[[plan]]\nid = \"p{p}\"\nbaseline = {}\n", p == 0);
        for w in 0..60 {
            if p == 4 && w % 10 == 0 {
                let _ = write!(
                    text,
                    "[[plan.route]]\nworkload = \"w{w}\"\noffer = \"qwen3-235b-a22b-instruct-2507@self-h100x8-vllm\"\n"
                );
                continue;
            }
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
    let file = SourceFile::new("large.toml", &text);
    let scenario = Scenario::parse(&file, builtin()).unwrap_or_else(|e| panic!("{}", e.report()));
    assert!(scenario.grows());
    let estimate = engine::estimate(builtin(), &scenario, &Options::default()).unwrap();
    assert_eq!(estimate.plans.len(), 5);
    assert!(!estimate.plans[4].deployments.is_empty());
    pipeline(&text).unwrap();
    // A route's months, summed in order as the engine sums them, are its cost to the digit.
    for route in estimate
        .plans
        .iter()
        .flat_map(|p| &p.workloads)
        .flat_map(|w| &w.routes)
    {
        let months = route
            .months
            .iter()
            .fold(Decimal::ZERO, |sum, month| sum + month.cost);
        assert_eq!(months, route.cost, "{}", route.offer);
    }
    // Without the month detail, every figure is the same.
    let summed = engine::estimate(
        builtin(),
        &scenario,
        &Options {
            route_months: engine::RouteMonths::Summed,
            ..Options::default()
        },
    )
    .unwrap();
    for (kept, summed) in estimate.plans.iter().zip(&summed.plans) {
        assert_eq!(kept.total_cost, summed.total_cost);
        assert_eq!(
            kept.monthly.iter().map(|m| m.cost).collect::<Vec<_>>(),
            summed.monthly.iter().map(|m| m.cost).collect::<Vec<_>>()
        );
        for (a, b) in kept.workloads.iter().zip(&summed.workloads) {
            assert_eq!(a.cost, b.cost, "{}", a.id);
        }
    }
}
