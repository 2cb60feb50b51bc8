use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::field::parse_instant;
use super::*;
use crate::calendar::YearMonth;
use crate::component::Component::{
    AudioInput, AudioOutput, CacheWrite1h, CacheWrite5m, CachedInput, Input, Output, Reasoning,
    Request, WebSearch,
};
use crate::component::{Component, PerComponent};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/usage")
        .join(name)
}

/// A file in a folder of this test process, written fresh.
fn temp(name: &str, text: &str) -> PathBuf {
    let folder = std::env::temp_dir().join(format!("costcalc-usage-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn by_model(paths: &[PathBuf]) -> Result<Aggregate, Error> {
    read(paths, &Options::default())
}

fn quantities(parts: &[(Component, Decimal)]) -> PerComponent<Decimal> {
    let mut q = PerComponent::default();
    for &(component, value) in parts {
        q[component] = value;
    }
    q
}

/// The one cell of `model` in `month` (`YYYY-MM`) with the given batch flag.
fn cell<'a>(aggregate: &'a Aggregate, model: &str, month: &str, batch: bool) -> &'a Totals {
    let month = YearMonth::parse(month).unwrap();
    let found: Vec<_> = aggregate
        .cells()
        .filter(|(k, _)| k.model == model && k.month == month && k.batch == batch)
        .collect();
    assert_eq!(found.len(), 1, "{model} {month} batch={batch}: {found:?}");
    found[0].1
}

fn error_text(result: Result<Aggregate, Error>) -> String {
    match result {
        Ok(aggregate) => panic!("expected an error, got {aggregate:?}"),
        Err(error) => error.report(),
    }
}

#[test]
fn detects_every_fixture_by_its_content() {
    for (name, format) in [
        ("openai.json", Format::OpenAi),
        ("anthropic.json", Format::Anthropic),
        ("openrouter.json", Format::OpenRouter),
        ("claude-code/proj-a/session-1.jsonl", Format::ClaudeCode),
        ("litellm.csv", Format::LiteLlm),
        ("costcalc.csv", Format::Costcalc),
    ] {
        let head = std::fs::read(fixture(name)).unwrap();
        assert_eq!(detect(&head), Some(format), "{name}");
    }
    assert_eq!(detect(b"hello, world\n"), None);
    assert_eq!(detect(b"{\"something\": 1}"), None);
    let header = native_header();
    assert_eq!(detect(header.as_bytes()), Some(Format::Costcalc));
}

#[test]
fn formats_are_named_and_misspellings_suggested() {
    for format in Format::ALL {
        assert_eq!(Format::from_name(format.name()).unwrap(), format);
    }
    let error = Format::from_name("claude_code").unwrap_err().to_string();
    assert!(error.contains("did you mean `claude-code`?"), "{error}");
}

#[test]
fn the_native_header_comes_from_the_component_list() {
    assert_eq!(
        native_header(),
        "time,model,provider,input,cached_input,cache_write_5m,cache_write_1h,cache_write_12h,\
         audio_input,cached_audio_input,image_input,output,reasoning,audio_output,web_search,\
         requests,project,key,workload,batch,service_tier,stated_cost"
    );
}

#[test]
fn openai_pages_split_cached_and_audio_input() {
    let aggregate = by_model(&[fixture("openai.json")]).unwrap();
    assert_eq!(aggregate.format(), Some(Format::OpenAi));
    assert_eq!(aggregate.len(), 3);
    // 2025-01, not batch: uncached = 120,000 input - 20,000 cached = 100,000.
    let january = cell(&aggregate, "gpt-4o-2024-08-06", "2025-01", false);
    assert_eq!(
        january.quantities,
        quantities(&[
            (Input, dec!(100000)),
            (CachedInput, dec!(20000)),
            (Output, dec!(30000)),
            (Request, dec!(100)),
        ])
    );
    assert_eq!(january.requests, Some(dec!(100)));
    assert_eq!(january.stated_cost, None);
    // The batch row is an old-style page: `input_tokens` (50,000) is text only, so the 4,000
    // audio tokens are on top of it, not inside.
    let batch = cell(&aggregate, "gpt-4o-2024-08-06", "2025-01", true);
    assert_eq!(
        batch.quantities,
        quantities(&[
            (Input, dec!(50000)),
            (AudioInput, dec!(4000)),
            (Output, dec!(10000)),
            (AudioOutput, dec!(2000)),
            (Request, dec!(20)),
        ])
    );
    // 2025-02: 80,000 - 30,000 = 50,000 uncached.
    let february = cell(&aggregate, "gpt-4o-2024-08-06", "2025-02", false);
    assert_eq!(february.quantities[Input], dec!(50000));
    assert_eq!(february.quantities[CachedInput], dec!(30000));
    assert_eq!(february.requests, Some(dec!(40)));
}

#[test]
fn openai_pages_broken_out_by_modality_include_everything_in_input_tokens() {
    // input_tokens 10,000 includes 1,000 cached (of which 200 cached audio), 1,500 audio and
    // 500 image tokens (100 of them cached). Uncached audio = 1,500 - 200 = 1,300; uncached
    // image = 500 - 100 = 400; cached text and image = 1,000 - 200 = 800; uncached text =
    // 10,000 - 1,000 - 1,300 - 400 = 7,300. Output 3,000 includes 600 audio: 2,400 text.
    let page = r#"{"object": "page", "has_more": false, "data": [{"object": "bucket",
        "start_time": 1735689600, "end_time": 1735693200, "results": [{
        "object": "organization.usage.completions.result", "model": "gpt-4o-audio-preview",
        "input_tokens": 10000, "input_cached_tokens": 1000, "input_text_tokens": 8000,
        "input_audio_tokens": 1500, "input_cached_audio_tokens": 200,
        "input_image_tokens": 500, "input_cached_image_tokens": 100,
        "output_tokens": 3000, "output_text_tokens": 2400, "output_audio_tokens": 600,
        "num_model_requests": 7}]}]}"#;
    let aggregate = by_model(&[temp("modality.json", page)]).unwrap();
    let totals = cell(&aggregate, "gpt-4o-audio-preview", "2025-01", false);
    assert_eq!(
        totals.quantities,
        quantities(&[
            (Input, dec!(7300)),
            (CachedInput, dec!(800)),
            (AudioInput, dec!(1300)),
            (Component::CachedAudioInput, dec!(200)),
            (Component::ImageInput, dec!(400)),
            (Output, dec!(2400)),
            (AudioOutput, dec!(600)),
            (Request, dec!(7)),
        ])
    );
}

#[test]
fn anthropic_reports_are_disjoint_already() {
    let aggregate = by_model(&[fixture("anthropic.json")]).unwrap();
    // Standard tier, March: input 1,500 + 2,500; reads 200 + 800; 5m writes 500 + 300;
    // 1h writes 1,000; output 500 + 900; searches 10 + 0. No request counts.
    let standard = cell(&aggregate, "claude-sonnet-4-5-20250929", "2025-03", false);
    assert_eq!(
        standard.quantities,
        quantities(&[
            (Input, dec!(4000)),
            (CachedInput, dec!(1000)),
            (CacheWrite5m, dec!(800)),
            (CacheWrite1h, dec!(1000)),
            (Output, dec!(1400)),
            (WebSearch, dec!(10)),
        ])
    );
    assert_eq!(standard.requests, None);
    assert_eq!(standard.records, 2);
    let batch = cell(&aggregate, "claude-sonnet-4-5-20250929", "2025-03", true);
    assert_eq!(
        batch.quantities,
        quantities(&[(Input, dec!(3000)), (Output, dec!(700))])
    );
    let (key, _) = aggregate.cells().find(|(k, _)| k.batch).unwrap();
    assert_eq!(key.service_tier.as_deref(), Some("batch"));
}

#[test]
fn openrouter_completion_tokens_include_reasoning() {
    let aggregate = by_model(&[fixture("openrouter.json")]).unwrap();
    // August: prompt 50 + 10,000; completion 125 + 2,000 of which reasoning 25 + 0, so
    // output 100 + 2,000 = 2,100; requests 5 + 10; stated 0.015 + 0.012 + 0.5 + 0 = 0.527.
    let august = cell(&aggregate, "openai/gpt-4.1", "2025-08", false);
    assert_eq!(
        august.quantities,
        quantities(&[
            (Input, dec!(10050)),
            (Output, dec!(2100)),
            (Reasoning, dec!(25)),
            (Request, dec!(15)),
        ])
    );
    assert_eq!(august.stated_cost, Some(dec!(0.527)));
    assert_eq!(august.records_with_stated_cost, 2);
    // September: completion 900 - reasoning 600 = 300 output.
    let qwen = cell(&aggregate, "qwen/qwen3-235b-a22b", "2025-09", false);
    assert_eq!(qwen.quantities[Output], dec!(300));
    assert_eq!(qwen.quantities[Reasoning], dec!(600));
    assert_eq!(qwen.stated_cost, Some(dec!(0.0021)));
    let providers: Vec<_> = aggregate
        .cells()
        .map(|(k, _)| k.provider.as_deref())
        .collect();
    assert_eq!(providers, [Some("OpenAI"), Some("DeepInfra")]);
}

#[test]
fn claude_code_folders_are_walked_and_deduplicated() {
    let aggregate = by_model(&[fixture("claude-code")]).unwrap();
    let tally = aggregate.tally();
    assert_eq!(tally.files, 2);
    // msg_01A twice in session 1, msg_01B again in the resumed session 2.
    assert_eq!(tally.duplicates, 2);
    assert_eq!(tally.synthetic, 1);
    // The summary and the user turn of session 1, the tool result of session 2.
    assert_eq!(tally.without_usage, 3);
    assert_eq!(tally.records, 3);
    // msg_01A, 2025-06-30 just before midnight UTC: 10 fresh, 2,000 writes with no split
    // (5-minute), 50 out, cost 0.00825 stated once though logged twice.
    let june = cell(&aggregate, "claude-sonnet-4-5-20250929", "2025-06", false);
    assert_eq!(
        june.quantities,
        quantities(&[
            (Input, dec!(10)),
            (CacheWrite5m, dec!(2000)),
            (Output, dec!(50)),
            (Request, dec!(1)),
        ])
    );
    assert_eq!(june.stated_cost, Some(dec!(0.00825)));
    // msg_01B: the 300 writes are all 1-hour writes by the split; one search.
    let july = cell(&aggregate, "claude-sonnet-4-5-20250929", "2025-07", false);
    assert_eq!(
        july.quantities,
        quantities(&[
            (Input, dec!(5)),
            (CachedInput, dec!(2000)),
            (CacheWrite1h, dec!(300)),
            (Output, dec!(120)),
            (WebSearch, dec!(1)),
            (Request, dec!(1)),
        ])
    );
    assert_eq!(july.stated_cost, None);
    let haiku = cell(&aggregate, "claude-haiku-4-5-20251001", "2025-07", false);
    assert_eq!(haiku.requests, Some(dec!(1)));
    assert_eq!(haiku.quantities[Input], dec!(100));
    assert_eq!(tally.notes().len(), 3);
}

#[test]
fn claude_code_projects_come_from_the_working_folder() {
    let options = Options {
        group_by: GroupBy::Project,
        ..Options::default()
    };
    let aggregate = read(&[fixture("claude-code")], &options).unwrap();
    let groups: Vec<_> = aggregate
        .cells()
        .map(|(k, _)| k.group.as_deref().unwrap())
        .collect();
    assert_eq!(groups, ["/home/dev/app", "/home/dev/app", "/home/dev/lib"]);
}

#[test]
fn litellm_prompt_tokens_include_cache_reads_and_writes() {
    let aggregate = by_model(&[fixture("litellm.csv")]).unwrap();
    assert_eq!(aggregate.tally().failed, 1);
    // 500 prompt - 100 cached = 400 uncached.
    let mini = cell(&aggregate, "gpt-4o-mini", "2025-05", false);
    assert_eq!(
        mini.quantities,
        quantities(&[
            (Input, dec!(400)),
            (CachedInput, dec!(100)),
            (Output, dec!(200)),
            (Request, dec!(1)),
        ])
    );
    assert_eq!(mini.stated_cost, Some(dec!(0.00175)));
    // 3,000 prompt - 1,000 reads - 500 writes = 1,500; 400 completion - 150 reasoning = 250.
    let sonnet = cell(&aggregate, "claude-sonnet-4-5-20250929", "2025-05", false);
    assert_eq!(
        sonnet.quantities,
        quantities(&[
            (Input, dec!(1500)),
            (CachedInput, dec!(1000)),
            (CacheWrite5m, dec!(500)),
            (Output, dec!(250)),
            (Reasoning, dec!(150)),
            (Request, dec!(1)),
        ])
    );
    assert_eq!(sonnet.stated_cost, Some(dec!(0.0123)));
}

#[test]
fn litellm_json_reads_the_same_as_csv() {
    let json = r#"[{"request_id": "chatcmpl-0a1b", "call_type": "acompletion",
        "spend": 0.00175, "prompt_tokens": 500, "completion_tokens": 200, "total_tokens": 700,
        "startTime": "2025-05-01T10:00:00.123000Z", "model": "gpt-4o-mini",
        "custom_llm_provider": "openai", "team_id": "team-a",
        "metadata": {"usage_object": {"prompt_tokens_details": {"cached_tokens": 100}}}}]"#;
    let aggregate = by_model(&[temp("litellm.json", json)]).unwrap();
    assert_eq!(aggregate.format(), Some(Format::LiteLlm));
    let mini = cell(&aggregate, "gpt-4o-mini", "2025-05", false);
    assert_eq!(mini.quantities[Input], dec!(400));
    assert_eq!(mini.quantities[CachedInput], dec!(100));
    assert_eq!(mini.stated_cost, Some(dec!(0.00175)));
}

#[test]
fn costcalc_csv_sums_buckets_per_month() {
    let aggregate = by_model(&[fixture("costcalc.csv")]).unwrap();
    // January qwen-plus: input 1,000,000 + 2,000,000; cached 200,000; writes 50,000; output
    // 300,000 + 100,000; reasoning 20,000; requests 1,000 + 500; one of two rows states 1.25.
    let january = cell(&aggregate, "qwen-plus", "2025-01", false);
    assert_eq!(
        january.quantities,
        quantities(&[
            (Input, dec!(3000000)),
            (CachedInput, dec!(200000)),
            (CacheWrite5m, dec!(50000)),
            (Output, dec!(400000)),
            (Reasoning, dec!(20000)),
            (Request, dec!(1500)),
        ])
    );
    assert_eq!(january.requests, Some(dec!(1500)));
    assert_eq!(january.stated_cost, Some(dec!(1.25)));
    assert_eq!((january.records, january.records_with_stated_cost), (2, 1));
    let gpt = cell(&aggregate, "gpt-4.1", "2025-01", false);
    assert_eq!(gpt.stated_cost, Some(dec!(0.0036)));
    assert_eq!(
        cell(&aggregate, "qwen-plus", "2025-02", false).quantities[CachedInput],
        dec!(500000)
    );
}

#[test]
fn records_are_visited_with_their_location() {
    let mut seen = Vec::new();
    visit(&[fixture("costcalc.csv")], &Options::default(), |record| {
        seen.push(record.source.to_string());
        Ok(())
    })
    .unwrap();
    assert_eq!(seen.len(), 4);
    assert!(seen[2].ends_with("costcalc.csv:4"), "{seen:?}");
}

#[test]
fn truncated_json_is_located() {
    let text = std::fs::read_to_string(fixture("openai.json")).unwrap();
    let cut = temp("cut.json", &text[..text.len() / 2]);
    let error = error_text(by_model(&[cut]));
    assert!(error.contains("cut.json:"), "{error}");
    assert!(error.contains("the JSON ends early"), "{error}");
}

#[test]
fn a_page_of_the_wrong_format_is_named() {
    let forced = Options {
        format: Some(Format::OpenAi),
        ..Options::default()
    };
    let error = error_text(read(&[fixture("anthropic.json")], &forced));
    assert!(error.contains("is not an OpenAI usage page"), "{error}");
    let embeddings = r#"{"object": "page", "data": [{"object": "bucket", "start_time": 1735689600,
        "end_time": 1735776000, "results": [{"object": "organization.usage.embeddings.result",
        "input_tokens": 10, "num_model_requests": 1, "model": "text-embedding-3-small"}]}]}"#;
    let error = error_text(by_model(&[temp("embeddings.json", embeddings)]));
    assert!(
        error.contains(
            "`data[0].results[0]`: is `organization.usage.embeddings.result`, not completions usage"
        ),
        "{error}"
    );
}

#[test]
fn mixed_formats_in_one_call_are_refused() {
    let error = error_text(by_model(&[
        fixture("openai.json"),
        fixture("anthropic.json"),
    ]));
    assert!(
        error.contains("is an Anthropic usage report but")
            && error.contains("is an OpenAI usage page; one call reads one format"),
        "{error}"
    );
}

#[test]
fn negative_missing_and_non_numeric_counts_are_located() {
    let csv = "time,model,provider,input,output,requests\n\
               2025-01-01,m,p,-5,1,1\n\
               2025-01-02,m,p,abc,1,1\n\
               2025-01-03,m,p,1,1,\n";
    let error = error_text(by_model(&[temp("bad.csv", csv)]));
    assert!(
        error.contains("bad.csv:2: `input` must not be negative (found -5)"),
        "{error}"
    );
    assert!(
        error.contains("bad.csv:3: `input` must be a number (found `abc`)"),
        "{error}"
    );
    assert!(error.contains("bad.csv:4: `requests` is empty"), "{error}");
    assert!(error.contains("3 problems found"), "{error}");

    let missing = r#"{"data": [{"starting_at": "2025-03-01T00:00:00Z", "results": [
        {"model": "claude-sonnet-4-5", "output_tokens": 1}]}]}"#;
    let error = error_text(by_model(&[temp("missing.json", missing)]));
    assert!(
        error.contains("`data[0].results[0]`: `uncached_input_tokens` is missing"),
        "{error}"
    );

    let more_cached = r#"{"object": "page", "data": [{"object": "bucket", "start_time": 1735689600,
        "results": [{"input_tokens": 10, "input_cached_tokens": 20, "output_tokens": 1,
        "num_model_requests": 1, "model": "gpt-4o"}]}]}"#;
    let error = error_text(by_model(&[temp("more-cached.json", more_cached)]));
    assert!(
        error.contains("`input_cached_tokens` (20) is more than `input_tokens` (10)"),
        "{error}"
    );
}

#[test]
fn unknown_columns_get_a_suggestion() {
    let csv = "time,model,provider,input,cahced_input,requests\n2025-01-01,m,p,1,1,1\n";
    let error = error_text(by_model(&[temp("typo.csv", csv)]));
    assert!(
        error.contains("typo.csv:1: unknown column `cahced_input`")
            && error.contains("hint: did you mean `cached_input`?"),
        "{error}"
    );
    let csv = "time,model,input\n2025-01-01,m,1\n";
    let error = error_text(by_model(&[temp("short.csv", csv)]));
    assert!(
        error.contains("the column `provider` is missing"),
        "{error}"
    );
    assert!(
        error.contains("the column `requests` is missing"),
        "{error}"
    );
}

#[test]
fn records_outside_the_window_are_counted_not_dropped_silently() {
    let options = Options {
        since: Date::new(2025, 1, 2),
        until: Date::new(2025, 1, 31),
        ..Options::default()
    };
    let aggregate = read(&[fixture("costcalc.csv")], &options).unwrap();
    // 2025-01-01 is before, 2025-02-01 after: two left out, two kept.
    assert_eq!(aggregate.tally().outside_window, 2);
    assert_eq!(aggregate.tally().records, 2);
    assert_eq!(
        aggregate.tally().notes(),
        ["2 records outside --since/--until are left out"]
    );
    assert_eq!(
        cell(&aggregate, "qwen-plus", "2025-01", false).quantities[Input],
        dec!(2000000)
    );
}

#[test]
fn overlapping_files_name_both() {
    let text = std::fs::read_to_string(fixture("costcalc.csv")).unwrap();
    let copy = temp("copy.csv", &text);
    let error = error_text(by_model(&[fixture("costcalc.csv"), copy]));
    assert!(
        error.contains("copy.csv: model `gpt-4.1` provider `openai` (and 1 more series) covers the same time as in `")
            && error.contains("costcalc.csv`; both files would be counted"),
        "{error}"
    );
    // Claude Code sessions overlap in time by nature and are deduplicated instead.
    assert!(by_model(&[fixture("claude-code/proj-a"), fixture("claude-code/proj-b")]).is_ok());
}

#[test]
fn a_file_given_twice_is_refused() {
    let error = error_text(by_model(&[
        fixture("costcalc.csv"),
        fixture("costcalc.csv"),
    ]));
    assert!(error.contains("is given more than once"), "{error}");
}

#[test]
fn an_unrecognisable_file_asks_for_the_format() {
    let error = error_text(by_model(&[temp("what.txt", "hello\n")]));
    assert!(
        error.contains("what.txt: cannot tell which usage export this is")
            && error.contains("--input-format"),
        "{error}"
    );
}

#[test]
fn a_cut_claude_code_line_is_located() {
    let text = std::fs::read_to_string(fixture("claude-code/proj-b/session-2.jsonl")).unwrap();
    let cut = temp("cut.jsonl", &text[..text.len() - 40]);
    let error = error_text(by_model(&[cut]));
    assert!(
        error.contains("cut.jsonl:3:") && error.contains("the file looks cut short"),
        "{error}"
    );
}

#[test]
fn control_characters_in_names_are_kept_as_data() {
    let csv = "time,model,provider,input,requests\n2025-01-01,\"evil\u{1b}[31m\nmodel\",p,1,1\n";
    let aggregate = by_model(&[temp("control.csv", csv)]).unwrap();
    let (key, _) = aggregate.cells().next().unwrap();
    assert_eq!(key.model, "evil\u{1b}[31m\nmodel");
}

#[test]
fn overflowing_sums_are_errors_not_panics() {
    let big = "79228162514264337593543950335";
    let csv = format!(
        "time,model,provider,input,requests\n2025-01-01,m,p,{big},1\n2025-01-02,m,p,{big},1\n"
    );
    let error = error_text(by_model(&[temp("big.csv", &csv)]));
    assert!(
        error.contains("the input of model `m` in 2025-01 overflows"),
        "{error}"
    );
}

#[test]
fn instants_parse_with_offsets_and_fractions() {
    // 2025-01-01T00:00:00Z is 1,735,689,600 s after the epoch.
    let base = 1_735_689_600_000;
    assert_eq!(parse_instant("2025-01-01T00:00:00Z"), Some(base));
    assert_eq!(
        parse_instant("2025-01-01 00:00:00.123456"),
        Some(base + 123)
    );
    assert_eq!(
        parse_instant("2025-01-01T01:30:00+01:30"),
        Some(base),
        "an offset is subtracted"
    );
    assert_eq!(parse_instant("2024-12-31T19:00:00-0500"), Some(base));
    for bad in [
        "2025-01-01",
        "2025-01-01T25:00:00Z",
        "2025-01-01T00:00:00+1",
        "2025-13-01T00:00Z",
    ] {
        assert_eq!(parse_instant(bad), None, "{bad}");
    }
}

/// Splitting a costcalc CSV into two files gives the one-file aggregate whenever the split
/// keeps each series' time ranges apart, and is refused as an overlap otherwise: never a
/// different total.
#[test]
fn splitting_a_csv_never_changes_the_aggregate() {
    let row = (
        0u32..60,
        0usize..3,
        0u32..1_000_000,
        0u32..100_000,
        1u32..500,
    );
    let strategy = (
        proptest::collection::vec(row, 1..40),
        proptest::collection::vec(any::<bool>(), 40),
        0usize..40,
    );
    let config = Config {
        cases: 64,
        rng_seed: RngSeed::Fixed(11),
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let case = std::sync::atomic::AtomicU32::new(0);
    runner
        .run(&strategy, |(mut rows, mask, cut)| {
            let case = case.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            rows.sort_unstable();
            rows.dedup_by_key(|r| (r.0, r.1));
            let models = ["qwen-plus", "gpt-4.1", "claude-haiku-4-5"];
            let line = |r: &(u32, usize, u32, u32, u32)| {
                let date = Date::from_days_since_epoch(20_089 + i64::from(r.0)).unwrap();
                format!("{date},{},p,{},{},{}\n", models[r.1], r.2, r.3, r.4)
            };
            let header = "time,model,provider,input,output,requests\n";
            let whole: String = std::iter::once(header.to_owned())
                .chain(rows.iter().map(line))
                .collect();
            let one = by_model(&[temp(&format!("whole-{case}.csv"), &whole)]).unwrap();
            let cells = |a: &Aggregate| {
                a.cells()
                    .map(|(k, t)| (k.clone(), t.clone()))
                    .collect::<Vec<_>>()
            };
            let split = |name: &str, pick: &dyn Fn(usize) -> bool| {
                let (mut a, mut b) = (header.to_owned(), header.to_owned());
                for (i, r) in rows.iter().enumerate() {
                    if pick(i) {
                        a.push_str(&line(r));
                    } else {
                        b.push_str(&line(r));
                    }
                }
                by_model(&[
                    temp(&format!("{name}-a-{case}.csv"), &a),
                    temp(&format!("{name}-b-{case}.csv"), &b),
                ])
            };
            // A cut in time order keeps every series apart: always the same aggregate.
            let contiguous = split("cut", &|i| i < cut).unwrap();
            prop_assert_eq!(cells(&contiguous), cells(&one));
            // Any other split: the same aggregate, or refused as an overlap.
            match split("mask", &|i| mask[i]) {
                Ok(two) => prop_assert_eq!(cells(&two), cells(&one)),
                Err(error) => prop_assert!(
                    error.report().contains("covers the same time"),
                    "{}",
                    error.report()
                ),
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_month_is_cut_at_each_price_change_and_nowhere_else() {
    // Changes on 2027-03-01 (a month's first day) and 2027-04-11: March is one cell starting
    // on its first day; April is cut in two, the records of the 1st and 10th before the cut
    // (1M + 1M input) and those of the 11th and 30th after it (1M + 2M).
    let day = |text| Date::parse(text).unwrap();
    let options = Options {
        price_changes: vec![day("2027-04-11"), day("2027-03-01")],
        ..Options::default()
    };
    let aggregate = read(&[fixture("dated.csv")], &options).unwrap();
    let cells: Vec<(String, String, Decimal)> = aggregate
        .cells()
        .map(|(k, t)| {
            (
                k.month.to_string(),
                k.since.to_string(),
                t.quantities[Input],
            )
        })
        .collect();
    assert_eq!(
        cells,
        [
            ("2027-03".into(), "2027-03-01".into(), dec!(1000000)),
            ("2027-04".into(), "2027-04-01".into(), dec!(2000000)),
            ("2027-04".into(), "2027-04-11".into(), dec!(3000000)),
        ]
    );
}
