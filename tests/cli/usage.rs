//! `costcalc usage`: every export format priced end to end, the report's JSON against its
//! schema, unmapped names, `--compare`, and a scenario written from usage that `run` prices
//! back to the observed month's cost.

use std::path::{Path, PathBuf};

use insta_cmd::assert_cmd_snapshot;
use rust_decimal::Decimal;

use super::costcalc;

const FIXTURES: &str = "tests/fixtures/usage";
const SEARCH_PRICES: &str = "tests/fixtures/usage/web-search-pricing.toml";

/// Each fixture with the extra arguments it needs: the bundled catalog has no web-search price
/// for Anthropic. The `OpenAI` fixture carries audio tokens no bundled offer prices; it is
/// tested as an error below.
fn cases() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("openrouter.json", vec![]),
        ("costcalc.csv", vec![]),
        ("litellm.csv", vec![]),
        ("anthropic.json", vec!["--pricing", SEARCH_PRICES]),
        (
            "claude-code",
            vec!["--pricing", SEARCH_PRICES, "--group-by", "project"],
        ),
    ]
}

fn usage(file: &str, extra: &[&str]) -> std::process::Command {
    let mut command = costcalc();
    command
        .args([
            "usage",
            &format!("{FIXTURES}/{file}"),
            "--today",
            "2026-12-01",
        ])
        .args(extra);
    command
}

#[test]
fn every_format_as_a_table() {
    for (file, extra) in cases() {
        insta::with_settings!({ snapshot_suffix => file }, {
            assert_cmd_snapshot!(usage(file, &extra));
        });
    }
}

#[test]
fn every_format_in_json_follows_the_schema() {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/usage-report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for (file, extra) in cases() {
        for compare in [
            &[][..],
            &["--compare", "gpt-4.1@openai", "qwen-plus@alibaba"][..],
        ] {
            let output = usage(file, &extra)
                .args(["--format", "json"])
                .args(compare)
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "{file}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&report)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{file}: {errors:#?}");
        }
    }
    // Not vacuous: an amount as a JSON number fails it.
    let output = usage("costcalc.csv", &["--format", "json"])
        .output()
        .unwrap();
    let mut report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    report["total_cost"] = serde_json::json!(2.3236);
    assert!(!validator.is_valid(&report));
}

#[test]
fn the_costcalc_fixture_in_csv_and_markdown() {
    // January qwen-plus: 3,250,000 prompt tokens at 0.4 (no cache prices) = 1.30, 400,000
    // output at 1.2 = 0.48, 20,000 reasoning at 4 = 0.08: 1.86.
    assert_cmd_snapshot!(usage("costcalc.csv", &["--format", "csv"]));
    assert_cmd_snapshot!(usage("costcalc.csv", &["--format", "markdown"]));
}

#[test]
fn compare_ranks_offers_on_the_observed_traffic() {
    assert_cmd_snapshot!(usage(
        "costcalc.csv",
        &[
            "--compare",
            "gpt-4.1@openai",
            "qwen-plus@alibaba",
            "deepseek-v3.2@deepseek"
        ]
    ));
    // Without offers: every offer the filters match.
    assert_cmd_snapshot!(usage(
        "costcalc.csv",
        &[
            "--compare",
            "--provider",
            "openai",
            "--model",
            "gpt-4.1",
            "--format",
            "csv"
        ]
    ));
}

#[test]
fn unpriceable_usage_is_an_error_not_a_zero() {
    // Audio tokens at an offer without an audio price.
    assert_cmd_snapshot!(usage("openai.json", &[]));
    // Every unmapped name, once, with its record count and a suggestion.
    let folder = temp_folder("unmapped");
    let file = folder.join("usage.csv");
    std::fs::write(
        &file,
        "time,model,provider,input,output,requests\n\
         2025-01-01,gpt-4o-mimi,openai,10,1,1\n\
         2025-01-02,gpt-4o-mimi,openai,10,1,1\n\
         2025-01-02,llama-9,perplexity,10,1,1\n",
    )
    .unwrap();
    let output = costcalc()
        .args(["usage", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("2 model names map to no offer in the catalog"),
        "{stderr}"
    );
    assert!(stderr.contains("`gpt-4o-mimi` from `openai` (2 records): no model or alias is named so; did you mean `gpt-4o-mini`?"), "{stderr}");
    assert!(
        stderr.contains(
            "`llama-9` from `perplexity` (1 record): the provider `perplexity` is not in the catalog"
        ),
        "{stderr}"
    );
    // `--map` settles them.
    let output = costcalc()
        .args([
            "usage",
            file.to_str().unwrap(),
            "--map",
            "gpt-4o-mimi=gpt-4o-mini@openai",
        ])
        .args(["--map", "llama-9=gpt-4o-mini@openai"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn temp_folder(name: &str) -> PathBuf {
    let folder =
        std::env::temp_dir().join(format!("costcalc-usage-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

fn json(command: &mut std::process::Command) -> serde_json::Value {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn decimal(value: &serde_json::Value) -> Decimal {
    value.as_str().unwrap().parse().unwrap()
}

/// Rounded to cents, half away from zero, as reports show money.
fn cents(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

#[test]
fn a_scenario_from_usage_passes_check_and_run_reproduces_the_last_full_month() {
    for (file, extra, month) in [
        ("costcalc.csv", vec![], "2025-01"),
        ("claude-code", vec!["--pricing", SEARCH_PRICES], "2025-06"),
        ("litellm.csv", vec![], "2025-05"),
    ] {
        let scenario = temp_folder(file).join("observed.toml");
        let report = json(usage(file, &extra).args([
            "--format",
            "json",
            "--scenario-out",
            scenario.to_str().unwrap(),
        ]));
        // The observed cost of the last full month, over every group.
        let observed: Decimal = report["groups"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["months"].as_array().unwrap())
            .filter(|m| m["month"] == month)
            .map(|m| decimal(&m["cost"]))
            .sum();
        assert!(!observed.is_zero(), "{file}");
        let scenario_arg = scenario.to_str().unwrap();
        let pricing: Vec<&str> = extra.clone();
        let check = costcalc()
            .args(["check", scenario_arg])
            .args(&pricing)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&check.stderr)
        );
        // The fixtures span at most two months, so growth is 0 already; set it anyway.
        let text = std::fs::read_to_string(&scenario).unwrap();
        let zero: String = text
            .lines()
            .map(|l| {
                if l.starts_with("growth_per_month") {
                    "growth_per_month = 0"
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(&scenario, zero).unwrap();
        let run = json(
            costcalc()
                .args(["run", scenario_arg, "--format", "json"])
                .args(&pricing),
        );
        let first_month = &run["scenarios"][0]["plans"][0]["monthly"][0]["cost"];
        assert_eq!(cents(decimal(first_month)), cents(observed), "{file}");
    }
}

#[test]
fn the_report_goes_to_a_file_atomically() {
    let folder = temp_folder("output");
    let out = folder.join("usage.json");
    let output = usage(
        "costcalc.csv",
        &["--format", "json", "--output", out.to_str().unwrap()],
    )
    .output()
    .unwrap();
    assert!(output.status.success());
    assert!(output.stdout.is_empty());
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written["total_cost"], "2.3236");
    // A scenario may not overwrite the export it is made from.
    let output = usage(
        "costcalc.csv",
        &["--scenario-out", &format!("{FIXTURES}/costcalc.csv")],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(1));
}
