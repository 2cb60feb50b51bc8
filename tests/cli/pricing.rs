//! Catalog files on the command line: overrides that inherit what they leave out, overlays that
//! keep a cache price, contracts as sources, built-in files and scenarios among pricing files.

use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

use super::costcalc;

fn stdout_of(args: &[&str]) -> String {
    let output = costcalc().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The JSON report of `run`, checked against the published schema.
fn json_of(args: &[&str]) -> Value {
    let mut all = vec!["run", "--format", "json"];
    all.extend(args);
    let report: Value = serde_json::from_str(&stdout_of(&all)).unwrap();
    let schema = std::fs::read_to_string("schema/run-report.schema.json").unwrap();
    let schema: Value = serde_json::from_str(&schema).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    if let Err(error) = validator.validate(&report) {
        panic!("the report does not follow the schema: {error}");
    }
    report
}

#[test]
fn an_override_of_input_alone_keeps_the_list_cache_price_and_costs_less() {
    // 1,000 requests a day for January to March 2027 (90 days): 90,000 requests of 2,000 input
    // tokens, half of them cache hits, and 300 output tokens, at claude-sonnet-4-6@anthropic.
    // List ($3 input, $0.30 cached, $15 output), per request:
    //   1,000 x 3 / 1M + 1,000 x 0.30 / 1M + 300 x 15 / 1M = 0.003 + 0.0003 + 0.0045 = 0.0078
    //   x 90,000 = $702.00.
    // Negotiated input $2.40, the rest inherited:
    //   1,000 x 2.40 / 1M + 0.0003 + 0.0045 = 0.0072 x 90,000 = $648.00.
    // (Dropping the cached price, as a whole replacement did, would bill 2,000 x 2.40 / 1M +
    // 0.0045 = 0.0093 x 90,000 = $837.00: more than list.)
    let list = json_of(&["tests/fixtures/cached-chat.toml"]);
    assert_eq!(list["scenarios"][0]["plans"][0]["total_cost"], "702.0000");
    let ours = json_of(&[
        "--pricing",
        "tests/fixtures/negotiated-input-only.toml",
        "tests/fixtures/cached-chat.toml",
    ]);
    let scenario = &ours["scenarios"][0];
    assert_eq!(scenario["plans"][0]["total_cost"], "648.0000");
    let offer = &scenario["offers"][0];
    assert_eq!(offer["prices"]["input"], "2.4");
    assert_eq!(offer["prices"]["cached_input"], "0.3");
    assert_eq!(offer["prices"]["output"], "15");
    assert_eq!(offer["source"], "contract MSA-2027-04");
    assert_eq!(
        offer["overridden_by"],
        "tests/fixtures/negotiated-input-only.toml"
    );
    assert_eq!(
        list["scenarios"][0]["offers"][0]["overridden_by"],
        Value::Null
    );
}

#[test]
fn overridden_offers_are_marked_negotiated_in_every_report() {
    let args = [
        "--pricing",
        "tests/fixtures/negotiated-input-only.toml",
        "tests/fixtures/cached-chat.toml",
    ];
    assert_cmd_snapshot!(costcalc().arg("run").args(args));
    let markdown = stdout_of(&[&["run", "--format", "markdown"][..], &args[..]].concat());
    assert!(
        markdown.contains(
            "- `claude-sonnet-4-6@anthropic`: input $2.40, output $15.00 (as of 2026-11-20, \
             contract MSA-2027-04; negotiated: overridden by tests/fixtures/negotiated-input-only.toml)"
        ),
        "{markdown}"
    );
}

#[test]
fn a_tier_that_keeps_the_base_cache_price_is_noted_in_run_and_check() {
    let args = [
        "--pricing",
        "tests/fixtures/tier-keeps-cache-price.toml",
        "tests/fixtures/acme-chat.toml",
    ];
    let text = "`acme-1@acme`: the tier above 200,000 input tokens changes `input` but not \
                `cached_input`, so `cached_input` stays at the next lower level's price; state it \
                there too if the provider charges otherwise";
    // Wide enough that the note stays on one line.
    let table = stdout_of(&[&["run", "--width", "1000"][..], &args[..]].concat());
    assert!(table.contains(&format!("- {text}")), "{table}");
    let markdown = stdout_of(&[&["run", "--format", "markdown"][..], &args[..]].concat());
    assert!(markdown.contains(&format!("- {text}")), "{markdown}");
    let json = json_of(&args);
    let notes = json["scenarios"][0]["notes"].as_array().unwrap();
    assert!(
        notes.contains(&serde_json::json!({
            "kind": "inherited_cache_price",
            "offer": "acme-1@acme",
            "overlay": "tier",
            "above_input_tokens": 200_000,
            "key": "cached_input",
        })),
        "{notes:?}"
    );
    // A warning, not an error: check says where, and succeeds.
    assert_cmd_snapshot!(costcalc().args([
        "check",
        "tests/fixtures/tier-keeps-cache-price.toml",
        "tests/fixtures/acme-chat.toml"
    ]));
}

#[test]
fn the_builtin_files_are_recognised_by_check() {
    // The catalog files only: `pricing/import/` holds the importer's mapping, not prices.
    let mut files: Vec<String> = std::fs::read_dir("pricing")
        .unwrap()
        .map(|e| format!("pricing/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|name| {
            std::path::Path::new(name)
                .extension()
                .is_some_and(|e| e == "toml")
        })
        .collect();
    files.sort();
    let output = costcalc().arg("check").args(&files).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected: Vec<String> = files
        .iter()
        .map(|f| format!("ok: {f} (built-in catalog)"))
        .collect();
    assert_eq!(stdout.lines().collect::<Vec<_>>(), expected);
    // Without the built-in catalog they are checked as the user's own, and hold no overlay
    // that keeps a cache price.
    let output = costcalc()
        .args(["check", "--no-default-pricing"])
        .args(&files)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success());
    assert!(!stdout.contains("note:"), "{stdout}");
    assert!(
        stdout.contains("ok: pricing/google.toml (catalog)"),
        "{stdout}"
    );
}

#[test]
fn a_pricing_folder_with_a_scenario_in_it_skips_the_scenario() {
    assert_cmd_snapshot!(costcalc().args([
        "run",
        "--format",
        "csv",
        "--pricing",
        "tests/fixtures/pricing-folder",
        "tests/fixtures/pricing-folder/scenario.toml"
    ]));
    assert_cmd_snapshot!(costcalc().args([
        "check",
        "--pricing",
        "tests/fixtures/pricing-folder",
        "tests/fixtures/cached-chat.toml"
    ]));
}

#[test]
fn duplicate_keys_and_dates_where_text_belongs_get_a_hint() {
    assert_cmd_snapshot!(costcalc().args(["check", "tests/fixtures/duplicate-key.toml"]));
    assert_cmd_snapshot!(costcalc().args(["run", "tests/fixtures/date-not-string.toml"]));
}
