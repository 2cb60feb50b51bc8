//! Prices over time through the binary: a catalog whose offer changes price twice inside the
//! horizon, a scenario with a stated trend, `quote --date` on either side of a change, and the
//! JSON report's new note kinds against the schema. The errors of bad changes and trends are in
//! `tests/fixtures/errors/` (`catalog-change*`, `scenario-trend.toml`).

use insta_cmd::assert_cmd_snapshot;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::Value;

use super::{costcalc, quote};

const PRICING: [&str; 2] = ["--pricing", "tests/fixtures/dated-pricing.toml"];
const SCENARIO: &str = "tests/fixtures/dated.toml";

#[test]
fn run_notes_each_change_inside_the_horizon_and_the_trend() {
    // 100 requests a day of 100,000 input tokens: a day costs 10 x the input price.
    // `falling@lowcost`: January 31 x 10 x 1 = 310, February 280, March 31 x 10 x 0.5 = 155;
    // April 10 days at 0.5 and 20 at 0.2: 3,000 requests x 0.1 x (10 x 0.5 + 20 x 0.2) / 30
    // = 90; May 31 x 10 x 0.2 = 62; June 60. Total 957.
    // `gpt-5.4@openai` at 2.50, cut 10% from April: 775, 700, 775, then 675, 697.50, 675;
    // total 4,297.50.
    assert_cmd_snapshot!(
        costcalc()
            .args(["run", "--by", "month"])
            .args(PRICING)
            .arg(SCENARIO)
    );
}

#[test]
fn the_json_report_carries_the_changes_and_the_trend_following_the_schema() {
    let output = costcalc()
        .args(["run", "--format", "json"])
        .args(PRICING)
        .arg(SCENARIO)
        .output()
        .unwrap();
    assert!(output.status.success());
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let schema = std::fs::read_to_string("schema/run-report.schema.json").unwrap();
    let schema: Value = serde_json::from_str(&schema).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    if let Err(error) = validator.validate(&report) {
        panic!("the report does not follow the schema: {error}");
    }
    let scenario = &report["scenarios"][0];
    let amount = |value: &Value| value.as_str().unwrap().parse::<Decimal>().unwrap();
    assert_eq!(amount(&scenario["plans"][0]["total_cost"]), dec!(4297.50));
    assert_eq!(amount(&scenario["plans"][1]["total_cost"]), dec!(957));
    let notes = scenario["notes"].as_array().unwrap();
    let kinds: Vec<&str> = notes.iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "price_change",
            "price_change",
            "price_change",
            "price_trend"
        ]
    );
    assert_eq!(notes[1]["date"], "2027-04-11");
    assert_eq!(notes[1]["component"], "input");
    assert_eq!(amount(&notes[1]["old"]), dec!(0.5));
    assert_eq!(amount(&notes[1]["new"]), dec!(0.2));
    assert_eq!(notes[3]["rule"], "once");
    assert_eq!(amount(&notes[3]["change"]), dec!(-0.1));
    assert_eq!(notes[3]["offers"][0], "gpt-5.4@openai");
}

#[test]
fn the_markdown_report_lists_the_changes_and_the_trend() {
    let output = costcalc()
        .args(["run", "--format", "markdown"])
        .args(PRICING)
        .arg(SCENARIO)
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains(
        "- `falling@lowcost`: `input` changes from 0.5 to 0.2 on 2027-04-11 (https://example.com/announcement)"
    ));
    assert!(text.contains(
        "- assumed price trend: -10% once, from 2027-04-01, for `gpt-5.4@openai` (an announced cut)"
    ));
}

#[test]
fn quote_prices_at_the_list_in_force_on_the_date() {
    // 100,000 input and 100,000 output tokens. The day before the first change:
    // 0.1 x 1 + 0.1 x 4 = $0.50.
    assert_cmd_snapshot!(
        "before",
        quote(&[
            "--input",
            "100000",
            "--output",
            "100000",
            "--date",
            "2027-02-28"
        ])
        .args(PRICING)
        .arg("falling@lowcost")
    );
    // On the day of the first change, input only: 0.1 x 0.50 + 0.1 x 4 = $0.45.
    assert_cmd_snapshot!(
        "first_change",
        quote(&[
            "--input",
            "100000",
            "--output",
            "100000",
            "--date",
            "2027-03-01"
        ])
        .args(PRICING)
        .arg("falling@lowcost")
    );
    // After the second: 0.1 x 0.20 + 0.1 x 2 = $0.22, checked 2027-02-15 at the announcement.
    assert_cmd_snapshot!(
        "after",
        quote(&[
            "--input",
            "100000",
            "--output",
            "100000",
            "--date",
            "2027-05-01"
        ])
        .args(PRICING)
        .arg("falling@lowcost")
    );
}

#[test]
fn a_bad_date_for_quote_is_a_usage_error() {
    let output = quote(&["--input", "10", "--date", "2027-02-30"])
        .args(PRICING)
        .arg("falling@lowcost")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("expected a date such as 2026-11-29 (found `2027-02-30`)"));
}
