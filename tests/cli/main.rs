//! The command line end to end: every bundled scenario as table and JSON, and the whole stderr
//! and exit code of each class of error.

use std::path::Path;
use std::process::Command;

use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};

mod attack;
mod catalog;
mod clihabits;
mod components;
mod dated;
mod dated2;
mod diff;
mod duckdb;
mod exposure;
mod files;
mod genai;
mod html;
mod polish;
mod pricing;
mod reports;
mod scenario;
mod solve;
mod stream;
mod stress;
mod term;
mod term2;
mod usage;

/// `costcalc` run from the repository root with an empty environment, so paths in the output
/// are relative and nothing from the machine leaks in.
fn costcalc() -> Command {
    let mut command = Command::new(get_cargo_bin("costcalc"));
    command.current_dir(env!("CARGO_MANIFEST_DIR")).env_clear();
    command
}

fn relative(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .expect("a bundled scenario is inside the repository")
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn bundled_scenarios_as_tables() {
    insta::glob!("../../scenarios", "*.toml", |path| {
        assert_cmd_snapshot!(costcalc().args(["run", &relative(path)]));
    });
}

#[test]
fn bundled_scenarios_in_every_other_format() {
    for format in ["json", "csv", "csv-lines", "markdown"] {
        insta::glob!("../../scenarios", "*.toml", |path| {
            insta::with_settings!({ snapshot_suffix => format!("{format}@{}", path.file_name().unwrap().to_string_lossy()) }, {
                // JSON indented, so that a change to a report reads as a change to its lines.
                let pretty = if format == "json" { &["--pretty"][..] } else { &[] };
                assert_cmd_snapshot!(costcalc().args(["run", "--format", format, &relative(path)]).args(pretty));
            });
        });
    }
}

#[test]
fn every_bundled_json_report_follows_the_schema() {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/run-report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    insta::glob!("../../scenarios", "*.toml", |path| {
        let output = costcalc()
            .args(["run", "--format", "json", &relative(path)])
            .output()
            .unwrap();
        assert!(output.status.success());
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    });
    // The schema is not vacuous: a report with an amount as a JSON number fails it.
    let output = costcalc()
        .args(["run", "--format", "json", "scenarios/qwen-400k.toml"])
        .output()
        .unwrap();
    let mut report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    report["scenarios"][0]["plans"][0]["total_cost"] = serde_json::json!(553_578);
    assert!(!validator.is_valid(&report));
}

#[test]
fn csv_neutralises_formulas_in_text_and_keeps_numbers() {
    assert_cmd_snapshot!(costcalc().args([
        "run",
        "--format",
        "csv",
        "tests/fixtures/injection.toml"
    ]));
    assert_cmd_snapshot!(costcalc().args([
        "run",
        "--format",
        "csv-lines",
        "tests/fixtures/injection.toml"
    ]));
}

#[test]
fn output_goes_to_a_file_atomically() {
    let folder = std::env::temp_dir().join(format!("costcalc-cli-output-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    let target = folder.join("report.csv");
    std::fs::write(&target, "an older report\n").unwrap();
    let status = costcalc()
        .args([
            "run",
            "--format",
            "csv",
            "scenarios/qwen-400k.toml",
            "--output",
        ])
        .arg(&target)
        .status()
        .unwrap();
    assert!(status.success());
    let stdout = costcalc()
        .args(["run", "--format", "csv", "scenarios/qwen-400k.toml"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(std::fs::read(&target).unwrap(), stdout);
    // A report that cannot be produced leaves the existing file as it was.
    let output = costcalc()
        .args([
            "run",
            "--format",
            "csv",
            "tests/fixtures/no-baseline.toml",
            "--output",
        ])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(std::fs::read(&target).unwrap(), stdout);
    // A folder that does not exist is an error, and nothing is created.
    let output = costcalc()
        .args(["run", "scenarios/qwen-400k.toml", "--output"])
        .arg(folder.join("missing/report.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("the file is unchanged"));
    let names: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["report.csv"]);
    std::fs::remove_dir_all(folder).unwrap();
}

#[test]
fn models_and_quote_in_every_format() {
    for format in ["csv", "markdown"] {
        assert_cmd_snapshot!(
            format!("models_{format}"),
            models(&["--provider", "groq", "--format", format])
        );
        assert_cmd_snapshot!(
            format!("quote_{format}"),
            quote(&[
                "--input",
                "10000",
                "--output",
                "1000",
                "--provider",
                "groq",
                "--format",
                format
            ])
        );
    }
    assert_cmd_snapshot!(
        "models_json_groq",
        models(&["--provider", "groq", "--format", "json"])
    );
}

#[test]
fn json_has_the_documented_plan_fields() {
    let output = costcalc()
        .args(["run", "--format", "json", "scenarios/qwen-400k.toml"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["schema_version"], 2);
    let plans = report["scenarios"][0]["plans"].as_array().unwrap();
    let baseline = &plans[0];
    assert_eq!(baseline["baseline"], true);
    assert!(baseline["savings"].is_null() && baseline["savings_pct"].is_null());
    let all_qwen = plans.iter().find(|p| p["id"] == "all-qwen").unwrap();
    // Amounts are exact decimal strings, never JSON numbers.
    let savings: f64 = all_qwen["years"][0]["savings"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((380_000.0..=420_000.0).contains(&savings), "{savings}");
    assert!(all_qwen["total_cost"].is_string() && all_qwen["savings_pct"].is_string());
    assert_eq!(all_qwen["years"][0]["year"], 1);
}

#[test]
fn error_unknown_offer_suggests_the_closest() {
    assert_cmd_snapshot!(costcalc().args(["run", "tests/fixtures/unknown-offer.toml"]));
}

#[test]
fn error_shares_not_summing_to_one() {
    assert_cmd_snapshot!(costcalc().args(["run", "tests/fixtures/shares-not-one.toml"]));
}

#[test]
fn error_misspelt_key() {
    assert_cmd_snapshot!(costcalc().args(["run", "tests/fixtures/misspelt-key.toml"]));
}

#[test]
fn error_negative_price() {
    assert_cmd_snapshot!(costcalc().args([
        "run",
        "--pricing",
        "tests/fixtures/negative-price.toml",
        "tests/fixtures/small.toml"
    ]));
}

#[test]
fn error_no_baseline() {
    assert_cmd_snapshot!(costcalc().args(["run", "tests/fixtures/no-baseline.toml"]));
}

#[test]
fn error_files_that_cannot_be_read() {
    assert_cmd_snapshot!(costcalc().args(["run", "tests/fixtures/missing.toml"]));
    assert_cmd_snapshot!(costcalc().args(["run", "tests/fixtures"]));
    assert_cmd_snapshot!(costcalc().args(["run", "tests/fixtures/not-utf8.toml"]));
    assert_cmd_snapshot!(costcalc().args([
        "run",
        "tests/fixtures/small.toml",
        "tests/fixtures/small.toml"
    ]));
}

#[test]
fn usage_errors_exit_with_two() {
    let output = costcalc().args(["run"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = costcalc()
        .args(["run", "--format", "xml", "x.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_negotiated_price_overrides_the_builtin_offer() {
    assert_cmd_snapshot!(costcalc().args([
        "run",
        "--pricing",
        "tests/fixtures/negotiated.toml",
        "tests/fixtures/small.toml"
    ]));
}

#[test]
fn check_reports_ok_and_every_problem() {
    assert_cmd_snapshot!(costcalc().args([
        "check",
        "scenarios/qwen-400k.toml",
        "tests/fixtures/negotiated.toml"
    ]));
    assert_cmd_snapshot!(costcalc().args([
        "check",
        "tests/fixtures/no-baseline.toml",
        "tests/fixtures/shares-not-one.toml",
        "tests/fixtures/unknown-offer.toml"
    ]));
}

#[test]
fn a_closed_pipe_exits_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = costcalc()
        .args([
            "run",
            "scenarios/qwen-400k.toml",
            "scenarios/coding-agent-long-context.toml",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte and hang up, as `| head -c1` would.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "");
}

/// `costcalc quote` with a fixed date, so stale markers do not move with the calendar.
fn quote(args: &[&str]) -> Command {
    let mut command = costcalc();
    command.args(["quote", "--today", "2026-11-29"]).args(args);
    command
}

#[test]
fn quote_a_closed_and_an_open_offer() {
    // GPT-5.4: 10,000 x 2.50 + 1,000 x 15 = 40,000 / 1M = $0.04.
    // Qwen3-235B-2507 at DeepInfra: 10,000 x 0.09 + 1,000 x 0.55 = 1,450 / 1M = $0.00145 (27.59x).
    assert_cmd_snapshot!(quote(&[
        "--input",
        "10000",
        "--output",
        "1000",
        "gpt-5.4@openai",
        "qwen3-235b-a22b-instruct-2507@deepinfra"
    ]));
}

#[test]
fn quote_cache_read() {
    // Sonnet 4.6, 8,000 of 10,000 input tokens cached:
    // 2,000 x 3 + 8,000 x 0.30 + 500 x 15 = 6,000 + 2,400 + 7,500 = 15,900 / 1M = $0.0159.
    // Qwen-Plus has no cached price: 10,000 x 0.40 + 500 x 1.20 = 4,600 / 1M = $0.0046.
    assert_cmd_snapshot!(quote(&[
        "--input",
        "10000",
        "--cached",
        "8000",
        "--output",
        "500",
        "claude-sonnet-4-6@anthropic",
        "qwen-plus@alibaba"
    ]));
}

#[test]
fn quote_one_hour_cache_write() {
    // Sonnet 4.6, all 10,000 input tokens written with a 1-hour TTL: 10,000 x 6 = $0.06;
    // with the 5-minute TTL it would be 10,000 x 3.75 = $0.0375.
    assert_cmd_snapshot!(quote(&[
        "--input",
        "10000",
        "--cache-write",
        "10000",
        "--ttl",
        "1h",
        "--output",
        "0",
        "claude-sonnet-4-6@anthropic"
    ]));
}

#[test]
fn quote_batch() {
    // GPT-5.4 batch: 10,000 x 1.25 + 1,000 x 7.50 = 20,000 / 1M = $0.02, times 1,000,000 = $20,000.
    // Qwen-Plus has no batch API: 10,000 x 0.40 + 1,000 x 1.20 = 5,200 / 1M = $0.0052, $5,200.
    assert_cmd_snapshot!(quote(&[
        "--input",
        "10000",
        "--output",
        "1000",
        "--batch",
        "--requests",
        "1000000",
        "gpt-5.4@openai",
        "qwen-plus@alibaba"
    ]));
}

#[test]
fn quote_each_side_of_a_tier() {
    // Gemini 3.1 Pro at 200,000 input tokens (not above the threshold):
    // 200,000 x 2 + 1,000 x 12 = 412,000 / 1M = $0.412.
    assert_cmd_snapshot!(quote(&[
        "--input",
        "200000",
        "--output",
        "1000",
        "gemini-3.1-pro-preview@google"
    ]));
    // At 200,001, the whole request at the tier: 200,001 x 4 + 1,000 x 18 = 818,004 / 1M = $0.818004.
    assert_cmd_snapshot!(quote(&[
        "--input",
        "200001",
        "--output",
        "1000",
        "gemini-3.1-pro-preview@google"
    ]));
}

#[test]
fn quote_thinking_output() {
    // Qwen-Plus in thinking mode: 1,000 x 0.40 + 200 x 1.20 + 800 x 4 = 400 + 240 + 3,200 = 3,840 / 1M
    // = $0.00384. GPT-5.4 bills reasoning as output: 1,000 x 2.50 + 1,000 x 15 = 17,500 / 1M = $0.0175.
    assert_cmd_snapshot!(quote(&[
        "--input",
        "1000",
        "--output",
        "200",
        "--reasoning",
        "800",
        "qwen-plus@alibaba",
        "gpt-5.4@openai"
    ]));
}

#[test]
fn quote_per_request_fee() {
    // 2,000 x 0.50 + 500 x 1.50 = 1,750 / 1M = 0.00175, plus the 0.002 fee = $0.00375;
    // 100 requests = $0.375.
    assert_cmd_snapshot!(quote(&[
        "--input",
        "2000",
        "--output",
        "500",
        "--requests",
        "100",
        "--no-default-pricing",
        "--pricing",
        "tests/fixtures/request-fee.toml"
    ]));
}

#[test]
fn quote_every_open_offer_from_china_as_json() {
    assert_cmd_snapshot!(quote(&[
        "--input",
        "50000",
        "--output",
        "2000",
        "--weights",
        "open",
        "--origin",
        "CN",
        "--format",
        "json"
    ]));
}

#[test]
fn quote_errors() {
    assert_cmd_snapshot!(quote(&[
        "--input",
        "100",
        "--cached",
        "80",
        "--cache-write",
        "30",
        "--output",
        "1"
    ]));
    assert_cmd_snapshot!(quote(&["--input", "100", "--output", "1", "gpt-54@openai"]));
    assert_cmd_snapshot!(quote(&[
        "--input",
        "100",
        "--output",
        "1",
        "--provider",
        "deepinfr"
    ]));
}

fn models(args: &[&str]) -> Command {
    let mut command = costcalc();
    command.args(["models", "--today", "2026-11-29"]).args(args);
    command
}

#[test]
fn models_open_weights() {
    assert_cmd_snapshot!(models(&["--weights", "open"]));
}

#[test]
fn models_closed_by_input_price() {
    assert_cmd_snapshot!(models(&["--weights", "closed", "--sort", "input"]));
}

#[test]
fn models_one_host_by_blended_price() {
    assert_cmd_snapshot!(models(&[
        "--provider",
        "deepinfra",
        "--sort",
        "blended",
        "--ratio",
        "3:1"
    ]));
}

#[test]
fn models_by_origin_and_name_as_json() {
    assert_cmd_snapshot!(models(&[
        "--origin", "FR", "--model", "small", "--format", "json"
    ]));
}

#[test]
fn solve_checks_the_founders_claim() {
    // qwen-400k saves $408,191.72 at its own volume; $400,000 needs 0.981x.
    assert_cmd_snapshot!(costcalc().args([
        "solve",
        "scenarios/qwen-400k.toml",
        "--plan",
        "all-qwen",
        "--target-savings",
        "400000"
    ]));
}

#[test]
fn breakeven_of_self_hosting() {
    assert_cmd_snapshot!(costcalc().args([
        "breakeven",
        "scenarios/self-hosting-wins.toml",
        "--plan",
        "self-on-demand",
        "--versus",
        "gpt-mini"
    ]));
    assert_cmd_snapshot!(costcalc().args([
        "breakeven",
        "scenarios/self-hosting-loses.toml",
        "--plan",
        "self-hosted",
        "--versus",
        "deepinfra",
        "--format",
        "json"
    ]));
    assert_cmd_snapshot!(costcalc().args([
        "breakeven",
        "scenarios/self-hosting-loses.toml",
        "--plan",
        "self-hostd",
        "--versus",
        "deepinfra"
    ]));
}

/// One snapshot per class of error: the whole stderr and the exit code. Files named `catalog-*`
/// are checked as catalogs on top of the built-in one; the others are run as scenarios.
#[test]
fn every_class_of_error_is_located_and_explained() {
    insta::glob!("../fixtures/errors", "*.toml", |path| {
        let file = relative(path);
        let name = path.file_name().unwrap().to_string_lossy();
        let command = if name.starts_with("catalog-") {
            "check"
        } else {
            "run"
        };
        assert_cmd_snapshot!(costcalc().args([command, &file]));
    });
}

#[test]
fn the_readme_shows_what_the_first_command_prints() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let after = &readme[readme
        .find("The first command builds")
        .expect("the README introduces the output")..];
    let start = after.find("```text\n").unwrap() + "```text\n".len();
    let shown = &after[start..start + after[start..].find("```").unwrap()];
    let output = costcalc()
        .args(["run", "scenarios/qwen-400k.toml"])
        .output()
        .unwrap();
    assert_eq!(
        shown,
        String::from_utf8(output.stdout).unwrap(),
        "update the README's output"
    );
}

mod query;
