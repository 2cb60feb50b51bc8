//! Exposure and policy from the command line, on `tests/fixtures/exposure.toml` and its own
//! catalog, where every figure is worked out by hand in the fixture's comments.

use std::path::Path;

use insta_cmd::assert_cmd_snapshot;

use super::costcalc;

const PRICING: [&str; 3] = [
    "--no-default-pricing",
    "--pricing",
    "tests/fixtures/exposure-pricing.toml",
];

/// Checked by hand: `split` is 75% at `usa` and 25% at `cna`, an HHI of 6,250 and 25% portable;
/// the policy costs `spread` (21) minus `cn-only` (12) = 9.
#[test]
fn exposure_and_policy_as_a_table() {
    assert_cmd_snapshot!(
        costcalc()
            .arg("run")
            .args(PRICING)
            .arg("tests/fixtures/exposure.toml")
    );
}

#[test]
fn exposure_and_policy_in_markdown_and_csv() {
    for format in ["markdown", "csv"] {
        insta::with_settings!({ snapshot_suffix => format }, {
            assert_cmd_snapshot!(costcalc()
                .args(["run", "--format", format])
                .args(PRICING)
                .arg("tests/fixtures/exposure.toml"));
        });
    }
}

#[test]
fn the_json_report_with_a_policy_follows_the_schema() {
    let output = costcalc()
        .args(["run", "--format", "json"])
        .args(PRICING)
        .arg("tests/fixtures/exposure.toml")
        .output()
        .unwrap();
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/run-report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let scenario = &report["scenarios"][0];
    let split = &scenario["plans"][0];
    assert_eq!(split["exposure"]["hhi"], "6250");
    assert_eq!(split["exposure"]["by_provider"][0]["id"], "usa");
    assert_eq!(split["exposure"]["by_provider"][0]["share"], "0.75");
    assert_eq!(split["exposure"]["portable_share"], "0.25");
    assert_eq!(split["policy"]["compliant"], false);
    assert_eq!(
        split["policy"]["violations"][0]["rule"],
        "blocked_provider_countries"
    );
    assert_eq!(scenario["policy_cost"]["cheapest_compliant"], "spread");
    // Amounts keep the engine's scale; the value is exactly 9.
    let difference: rust_decimal::Decimal =
        scenario["policy_cost"]["difference_by_year"][0]["difference"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
    assert_eq!(difference, rust_decimal::Decimal::from(9));
    // The schema is not vacuous here either: an unknown rule fails it.
    let mut broken = report.clone();
    broken["scenarios"][0]["plans"][0]["policy"]["violations"][0]["rule"] =
        serde_json::json!("no_chinese_models");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn strict_policy_fails_listing_every_violation() {
    assert_cmd_snapshot!(
        costcalc()
            .args(["run", "--strict-policy"])
            .args(PRICING)
            .arg("tests/fixtures/exposure.toml")
    );
}

#[test]
fn strict_policy_passes_when_every_plan_complies() {
    let output = costcalc()
        .args(["run", "--strict-policy", "--format", "csv"])
        .args(PRICING)
        .arg("tests/fixtures/exposure-compliant.toml")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stderr.is_empty());
}

#[test]
fn strict_policy_without_a_policy_is_an_error() {
    let output = costcalc()
        .args(["run", "--strict-policy", "tests/fixtures/small.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "error: `--strict-policy` is given, but `tests/fixtures/small.toml` has no `[policy]` table\n\
         hint: add a `[policy]` table stating what the plans must respect, or drop `--strict-policy`\n"
    );
}

// The `[policy]` table's own errors are `tests/fixtures/errors/scenario-policy.toml`, checked with
// every other class of error in `main.rs`.
