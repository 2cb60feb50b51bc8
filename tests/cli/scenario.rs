//! Scenario rules seen from the command line: exchange rates written with their direction.

use std::path::Path;

use insta_cmd::assert_cmd_snapshot;

use super::costcalc;

/// A EUR report pricing a USD offer at the ECB's quote, `1 EUR = 1.16 USD`: 1,000 requests of
/// 1M input tokens at $3.00 per 1M cost $3,000, which is 3,000 / 1.16 = EUR 2,586.2068..., shown
/// as EUR 2,586.21. Read the other way round it would be EUR 3,480: the trap the form avoids.
#[test]
fn a_rate_written_as_the_ecb_quotes_it_converts_the_right_way() {
    assert_cmd_snapshot!(costcalc().args(["run", "tests/fixtures/eur-report.toml"]));
}

#[test]
fn the_json_note_keeps_units_per_unit_and_the_rate_as_written() {
    let output = costcalc()
        .args(["run", "--format", "json", "tests/fixtures/eur-report.toml"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let notes = report["scenarios"][0]["notes"].as_array().unwrap();
    let note = notes
        .iter()
        .find(|n| n["kind"] == "exchange_rate")
        .expect("the conversion is noted");
    // 1 / 1.16 to 28 decimal places.
    assert_eq!(note["rate"], "0.8620689655172413793103448276");
    assert_eq!(note["quote"], "1 EUR = 1.16 USD");
    assert_eq!(note["currency"], "USD");
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/run-report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
