//! Price components on the command line: `quote` with every component flag and service tier,
//! offers without a price for what the request carries, and a scenario using every component
//! key, in every format. Prices are those of `tests/fixtures/components.toml`.

use insta_cmd::assert_cmd_snapshot;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::Value;

use super::{costcalc, quote};

const CATALOG: [&str; 3] = [
    "--pricing",
    "tests/fixtures/components.toml",
    "--no-default-pricing",
];

const SCENARIO: &str = "tests/fixtures/components-scenario.toml";

fn stdout_of(command: &mut std::process::Command) -> String {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Three cache-write lifetimes and images at flex prices.
const TEXT_AND_IMAGES: [&str; 16] = [
    "--input",
    "10000",
    "--cached",
    "4000",
    "--cache-write-5m",
    "1000",
    "--cache-write-1h",
    "1000",
    "--cache-write-12h",
    "1000",
    "--image-input",
    "2000",
    "--output",
    "500",
    "--service-tier",
    "flex",
];

#[test]
fn quote_with_every_write_lifetime_and_images_at_flex_prices() {
    // voice-1 at its flex prices: 3,000 plain x 1 + 4,000 cached x 0.1 + 1,000 x 1.25 (5-minute)
    // + 1,000 x 2 (1-hour) + 1,000 x 2.5 (12-hour) + 2,000 images x 0.5 + 500 output x 4
    // = 3,000 + 400 + 1,250 + 2,000 + 2,500 + 1,000 + 2,000 = 12,150 / 1M = $0.01215.
    // text-1 has no flex prices, no write prices and no image price: 3,000 x 0.5 + 4,000 x 0.05
    // + 3,000 writes x 0.5 + 2,000 images x 0.5 + 500 x 2 = 1,500 + 200 + 1,500 + 1,000 + 1,000
    // = 5,200 / 1M = $0.0052, noted for the image price and the flex prices (not for the writes:
    // it prices no write at all, and such providers bill writes as input).
    assert_cmd_snapshot!(quote(&CATALOG).args(TEXT_AND_IMAGES));
    let json: Value = serde_json::from_str(&stdout_of(
        quote(&CATALOG)
            .args(TEXT_AND_IMAGES)
            .args(["--format", "json"]),
    ))
    .unwrap();
    assert_eq!(json["quotes"][1]["offer"], "voice-1@acme");
    assert_eq!(json["quotes"][1]["total"], "0.01215");
    assert_eq!(
        json["quotes"][1]["per_request"]["costs"]["cache_write_12h"],
        "0.0025"
    );
    assert_cmd_snapshot!(
        quote(&CATALOG)
            .args(TEXT_AND_IMAGES)
            .args(["--format", "json", "--pretty"])
    );
}

/// Audio in (a third cached), audio out and a search at priority prices.
const AUDIO: [&str; 14] = [
    "--input",
    "1000",
    "--audio-input",
    "3000",
    "--cached-audio-input",
    "1000",
    "--audio-output",
    "400",
    "--output",
    "100",
    "--web-searches",
    "1",
    "--service-tier",
    "priority",
];

#[test]
fn quote_lists_an_offer_without_an_audio_price_apart() {
    // voice-1 at priority prices: 1,000 x 4 + 2,000 audio x 64 + 1,000 cached audio x 0.8 +
    // 400 audio out x 128 + 100 x 16 = 4,000 + 128,000 + 800 + 51,200 + 1,600 = 185,600 / 1M
    // = 0.1856, plus one search at 0.01 (per call, not doubled): $0.1956.
    // text-1 cannot bill audio: it is listed under the table, not priced at zero.
    assert_cmd_snapshot!(quote(&CATALOG).args(AUDIO));
    let table = stdout_of(quote(&CATALOG).args(AUDIO));
    assert!(
        table.contains(
            "Not priced, no price for `audio_input`, which the request carries: text-1@acme"
        ),
        "{table}"
    );
    let markdown = stdout_of(quote(&CATALOG).args(AUDIO).args(["--format", "markdown"]));
    assert!(
        markdown.contains(
            "Not priced, no price for `audio_input`, which the request carries: text-1@acme"
        ),
        "{markdown}"
    );
    let json: Value = serde_json::from_str(&stdout_of(
        quote(&CATALOG).args(AUDIO).args(["--format", "json"]),
    ))
    .unwrap();
    assert_eq!(
        json["unpriced"],
        serde_json::json!([{ "offer": "text-1@acme", "component": "audio_input" }])
    );
    assert_eq!(json["quotes"][0]["total"], "0.1956");
}

#[test]
fn quote_of_audio_at_a_named_text_only_offer_is_a_usage_error() {
    let output = quote(&CATALOG)
        .args([
            "--input",
            "1000",
            "--audio-input",
            "3000",
            "--output",
            "100",
        ])
        .arg("text-1@acme")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_cmd_snapshot!(
        quote(&CATALOG)
            .args([
                "--input",
                "1000",
                "--audio-input",
                "3000",
                "--output",
                "100"
            ])
            .arg("text-1@acme")
    );
}

// The scenario's figures, worked by hand once for every snapshot below.
//
// `docs` (20,000 requests a month; 8,000 text tokens: 60% hits, 10% 12-hour writes; 400 out;
// half in batch):
//   at voice-1, standard: 2,400 x 2 + 4,800 x 0.2 + 800 x 5 + 400 x 8 = 4,800 + 960 + 4,000 +
//   3,200 = 12,960 / 1M = 0.01296; batch at half, 0.00648; average 0.00972 a request, $9.72 per
//   1,000, 20,000 x 0.00972 = $194.40 a month, $388.80 over the two months.
//   at text-1 (no batch, no write price): 2,400 x 0.5 + 4,800 x 0.05 + 800 x 0.5 + 400 x 2 =
//   1,200 + 240 + 400 + 800 = 2,640 / 1M = 0.00264 a request, $52.80 a month, $105.60 in all.
// `voice` (10,000 requests a month at voice-1; 60% standard, 30% flex at half, 10% priority at
// double, so token prices weigh 0.6 + 0.15 + 0.2 = 0.95; searches are not scaled):
//   calls (80%): 1,000 text (500 hits, 200 5-minute, 100 1-hour writes, 200 plain), 4,000 audio
//   (1,000 cached), 100 out, 500 audio out, at standard prices:
//   200 x 2 + 500 x 0.2 + 200 x 2.5 + 100 x 4 + 3,000 x 32 + 1,000 x 0.4 + 100 x 8 + 500 x 64
//   = 400 + 100 + 500 + 400 + 96,000 + 400 + 800 + 32,000 = 130,600 / 1M = 0.1306, x 0.95 = 0.12407
//   lookups (20%): 5,000 text (2,500 hits, 1,000 5-minute, 500 1-hour, 1,000 plain), 1,000
//   images, 300 out, 3 searches:
//   1,000 x 2 + 2,500 x 0.2 + 1,000 x 2.5 + 500 x 4 + 1,000 x 1 + 300 x 8 = 2,000 + 500 +
//   2,500 + 2,000 + 1,000 + 2,400 = 10,400 / 1M = 0.0104, x 0.95 = 0.00988, + 3 x 0.01 = 0.03988
//   average 0.8 x 0.12407 + 0.2 x 0.03988 = 0.099256 + 0.007976 = 0.107232 a request,
//   $107.23 per 1,000, $1,072.32 a month, $2,144.64 over the two months.
// Plans: voice-for-all 2,144.64 + 388.80 = $2,533.44; text-for-docs 2,144.64 + 105.60 =
// $2,250.24; savings $283.20.
// One column of each format, checked against the snapshots:
// - table, "Per 1K requests" of `voice`: $107.23 (0.107232 x 1,000).
// - csv-lines, `docs` at text-1 in 2027-01: `input_cost` 2,400 x 0.5 / 1M x 20,000 = 24,
//   `cache_write_12h_cost` 800 x 0.5 / 1M x 20,000 = 8; `voice` in 2027-01: `audio_input_cost`
//   0.8 x 3,000 x 32 / 1M x 0.95 x 10,000 = 729.6, `web_search_cost` 0.2 x 3 x 0.01 x 10,000 = 60.
// - json: the totals asserted below.

#[test]
fn a_scenario_with_every_component_as_a_table() {
    // Wide enough that no component's column is left out.
    assert_cmd_snapshot!(
        costcalc()
            .args(["run", "--width", "400"])
            .args(CATALOG)
            .arg(SCENARIO)
    );
}

#[test]
fn a_scenario_with_every_component_as_csv_lines() {
    assert_cmd_snapshot!(
        costcalc()
            .args(["run", "--format", "csv-lines"])
            .args(CATALOG)
            .arg(SCENARIO)
    );
}

#[test]
fn a_scenario_with_every_component_as_json_following_the_schema() {
    let text = stdout_of(
        costcalc()
            .args(["run", "--format", "json"])
            .args(CATALOG)
            .arg(SCENARIO),
    );
    let report: Value = serde_json::from_str(&text).unwrap();
    let schema = std::fs::read_to_string("schema/run-report.schema.json").unwrap();
    let schema: Value = serde_json::from_str(&schema).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    if let Err(error) = validator.validate(&report) {
        panic!("the report does not follow the schema: {error}");
    }
    let plans = &report["scenarios"][0]["plans"];
    // JSON carries the exact value at the scale the sums reached; compare the numbers.
    let amount = |value: &Value| value.as_str().unwrap().parse::<Decimal>().unwrap();
    assert_eq!(amount(&plans[0]["total_cost"]), dec!(2533.44));
    assert_eq!(amount(&plans[1]["total_cost"]), dec!(2250.24));
    assert_eq!(amount(&plans[1]["savings"]), dec!(283.20));
    let voice = &plans[0]["workloads"][0]["routes"][0]["per_request"];
    assert_eq!(amount(&voice["total"]), dec!(0.107232));
    assert_cmd_snapshot!(
        costcalc()
            .args(["run", "--format", "json", "--pretty"])
            .args(CATALOG)
            .arg(SCENARIO)
    );
}
