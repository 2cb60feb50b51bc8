//! Dated prices outside `run`: usage repriced at the list in force on each record's day (and
//! the scenario it writes), `models --date`, the catalog's CSV export with price periods, and
//! the JSON run report's changes per offer.
//!
//! `tests/fixtures/usage/dated-pricing.toml`: `falling@lowcost` is 1.00 in / 4.00 out, input
//! 0.50 from 2027-03-01, 0.20 in / 2.00 out from 2027-04-11; `rising@lowcost` is 1.00 / 2.00,
//! input 2.00 from 2027-04-20.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::Value;

use super::costcalc;

const USAGE_PRICING: [&str; 2] = ["--pricing", "tests/fixtures/usage/dated-pricing.toml"];
const USAGE: &str = "tests/fixtures/usage/dated.csv";

fn json(command: &mut std::process::Command) -> Value {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn amount(value: &Value) -> Decimal {
    value.as_str().unwrap().parse().unwrap()
}

fn usage() -> std::process::Command {
    let mut command = costcalc();
    command
        .args(["usage", USAGE, "--today", "2027-05-01"])
        .args(USAGE_PRICING);
    command
}

#[test]
fn usage_prices_each_record_at_the_list_in_force_on_its_day() {
    // March 15: 1M input at 0.50 (the first change) = 0.50.
    // April 1 and April 10 (23:59:59): 1M in x 0.50 + 100k out x 4.00 = 0.50 + 0.40 = 0.90 each.
    // April 11 (00:00:00) : 1M x 0.20 + 100k x 2.00 = 0.20 + 0.20 = 0.40; April 30: 2M x 0.20
    // = 0.40. April = 0.90 + 0.90 + 0.40 + 0.40 = 2.60 (at the first prices it would be
    // 1.40 + 1.40 + 1.40 + 2.00 = 6.20). Total 3.10.
    let report = json(usage().args(["--format", "json"]));
    let months = report["groups"][0]["months"].as_array().unwrap();
    assert_eq!(months[0]["month"], "2027-03");
    assert_eq!(amount(&months[0]["cost"]), dec!(0.50));
    assert_eq!(months[1]["month"], "2027-04");
    assert_eq!(amount(&months[1]["cost"]), dec!(2.60));
    assert_eq!(amount(&report["total_cost"]), dec!(3.10));
    // The change on April 11 falls inside the traffic; the one on March 1 is before its first
    // day, which is simply priced at the list then in force.
    let notes: Vec<&str> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(
        notes,
        [
            "`falling@lowcost`: `input` changes from 0.5 to 0.2 on 2027-04-11 (https://example.com/announcement)",
            "`falling@lowcost`: `output` changes from 4 to 2 on 2027-04-11 (https://example.com/announcement)",
        ]
    );
}

#[test]
fn compared_offers_are_priced_at_their_own_list_on_each_day() {
    // `rising@lowcost` changes on April 20, which is no date of `falling`'s: March 15 1M x 1.00
    // = 1.00; April 1, 10 and 11: 1M x 1.00 + 100k x 2.00 = 1.20 each, 3.60; April 30 at the
    // new input: 2M x 2.00 = 4.00. Total 8.60, against 3.10 observed: a saving of -5.50.
    let report = json(usage().args([
        "--format",
        "json",
        "--compare",
        "falling@lowcost",
        "rising@lowcost",
    ]));
    let offers = report["comparison"]["offers"].as_array().unwrap();
    assert_eq!(offers[0]["offer"], "falling@lowcost");
    assert_eq!(amount(&offers[0]["cost"]), dec!(3.10));
    assert_eq!(offers[1]["offer"], "rising@lowcost");
    assert_eq!(amount(&offers[1]["cost"]), dec!(8.60));
    assert_eq!(amount(&offers[1]["saving"]), dec!(-5.50));
    assert_eq!(offers[1]["notes"][0], "price changes on 2027-04-20");
}

#[test]
fn a_scenario_from_usage_names_the_change_and_runs_at_the_list_then_in_force() {
    // April is the last full month: 400 requests, 5M input and 300k output, so 12,500 input and
    // 750 output tokens a request. It cost 2.60 at the lists of its days; the scenario starts in
    // May, where `run` prices it at 0.20 / 2.00: 400 x (12,500 x 0.20 + 750 x 2.00) / 1M = 1.60.
    let folder = std::env::temp_dir().join(format!("costcalc-dated2-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let scenario = folder.join("observed.toml");
    let scenario_arg = scenario.to_str().unwrap();
    json(usage().args(["--format", "json", "--scenario-out", scenario_arg]));
    let text = std::fs::read_to_string(&scenario).unwrap();
    assert!(text.contains("start = \"2027-05\""), "{text}");
    assert!(
        text.contains(
            "# Prices change in that time, so `run` prices 2027-05 at the list in force then, not at\n# 2027-04's:\n#   falling@lowcost from 2027-04-11\n"
        ),
        "{text}"
    );
    let run = json(
        costcalc()
            .args(["run", scenario_arg, "--format", "json"])
            .args(USAGE_PRICING),
    );
    let first = &run["scenarios"][0]["plans"][0]["monthly"][0]["cost"];
    assert_eq!(amount(first), dec!(1.60));
}

fn models(extra: &[&str]) -> std::process::Command {
    let mut command = costcalc();
    command
        .args(["models", "--provider", "lowcost", "--today", "2027-01-01"])
        .args(USAGE_PRICING)
        .args(extra);
    command
}

#[test]
fn models_lists_the_prices_in_force_on_the_date_and_the_next_change() {
    // Before any change (the default `--today`, 2027-01-01): `falling` 1.00 / 4.00, next change
    // 2027-03-01; `rising` 1.00 / 2.00, next change 2027-04-20.
    let listing = json(&mut models(&["--format", "json"]));
    assert_eq!(listing["date"], "2027-01-01");
    let falling = &listing["offers"][0];
    assert_eq!(amount(&falling["input_per_mtok"]), dec!(1.00));
    assert_eq!(amount(&falling["output_per_mtok"]), dec!(4.00));
    assert_eq!(falling["changed_on"], Value::Null);
    assert_eq!(falling["next_change"], "2027-03-01");
    // On 2027-04-11, `falling` is at its second change, 0.20 / 2.00, checked 2027-02-15 at the
    // announcement, with no change after it; `rising` still has its own.
    let listing = json(&mut models(&["--format", "json", "--date", "2027-04-11"]));
    let falling = &listing["offers"][0];
    assert_eq!(amount(&falling["input_per_mtok"]), dec!(0.20));
    assert_eq!(amount(&falling["output_per_mtok"]), dec!(2.00));
    assert_eq!(falling["as_of"], "2027-02-15");
    assert_eq!(falling["source"], "https://example.com/announcement");
    assert_eq!(falling["changed_on"], "2027-04-11");
    assert_eq!(falling["next_change"], Value::Null);
    assert_eq!(listing["offers"][1]["next_change"], "2027-04-20");
    // The table (here in Markdown, which does not wrap) says both in the Also column, and
    // names the date in its heading.
    let output = models(&["--date", "2027-03-31", "--format", "markdown"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("2 offers; prices per 1M tokens at base rates in force on 2027-03-31"),
        "{text}"
    );
    let falling_row = text
        .lines()
        .find(|l| l.contains("falling@lowcost"))
        .unwrap();
    assert!(falling_row.contains("$0.50"), "{text}");
    assert!(
        text.contains("changed on 2027-03-01, changes on 2027-04-11"),
        "{text}"
    );
}

#[test]
fn the_json_run_report_lists_each_offers_changes_inside_the_horizon() {
    // `tests/fixtures/dated.toml` runs January to June 2027 on `falling@lowcost` of
    // `tests/fixtures/dated-pricing.toml` (1.00 / 4.00; input 0.50 from March 1; 0.20 / 2.00
    // from April 11, checked 2027-02-15 at the announcement) and `gpt-5.4@openai`, which has
    // no change.
    let report = json(
        costcalc()
            .args(["run", "--format", "json"])
            .args(["--pricing", "tests/fixtures/dated-pricing.toml"])
            .arg("tests/fixtures/dated.toml"),
    );
    let schema = std::fs::read_to_string("schema/run-report.schema.json").unwrap();
    let schema: Value = serde_json::from_str(&schema).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    if let Err(error) = validator.validate(&report) {
        panic!("the report does not follow the schema: {error}");
    }
    let offers = report["scenarios"][0]["offers"].as_array().unwrap();
    let falling = offers
        .iter()
        .find(|o| o["id"] == "falling@lowcost")
        .unwrap();
    // The prices in force on the first day are the offer's own.
    assert_eq!(amount(&falling["prices"]["input"]), dec!(1.00));
    let changes = falling["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0]["from"], "2027-03-01");
    assert_eq!(amount(&changes[0]["prices"]["input"]), dec!(0.50));
    // A price a change does not state stays what it was: null here, not 4.00.
    assert_eq!(changes[0]["prices"]["output"], Value::Null);
    assert_eq!(changes[0]["as_of"], "2026-12-01");
    assert_eq!(changes[0]["source"], "https://example.com/pricing");
    assert_eq!(changes[1]["from"], "2027-04-11");
    assert_eq!(amount(&changes[1]["prices"]["input"]), dec!(0.20));
    assert_eq!(amount(&changes[1]["prices"]["output"]), dec!(2.00));
    assert_eq!(changes[1]["as_of"], "2027-02-15");
    assert_eq!(changes[1]["source"], "https://example.com/announcement");
    let closed = offers.iter().find(|o| o["id"] == "gpt-5.4@openai").unwrap();
    assert_eq!(closed["changes"], serde_json::json!([]));
}

#[test]
fn a_change_outside_the_horizon_is_not_listed() {
    // The same scenario started in May 2027, for two months: both changes are before it, and
    // the prices in force on May 1 are the second change's (0.20 / 2.00).
    let folder = std::env::temp_dir().join(format!("costcalc-dated2-run-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let scenario = folder.join("may.toml");
    let text = std::fs::read_to_string("tests/fixtures/dated.toml")
        .unwrap()
        .replace(
            "start = \"2027-01\"\nmonths = 6",
            "start = \"2027-05\"\nmonths = 2",
        );
    assert!(text.contains("2027-05"));
    std::fs::write(&scenario, text).unwrap();
    let report = json(
        costcalc()
            .args(["run", "--format", "json"])
            .args(["--pricing", "tests/fixtures/dated-pricing.toml"])
            .arg(&scenario),
    );
    let offers = report["scenarios"][0]["offers"].as_array().unwrap();
    let falling = offers
        .iter()
        .find(|o| o["id"] == "falling@lowcost")
        .unwrap();
    assert_eq!(amount(&falling["prices"]["input"]), dec!(0.20));
    assert_eq!(falling["changes"], serde_json::json!([]));
}
