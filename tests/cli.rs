//! The command line end to end: every bundled scenario as table and JSON, and the whole stderr
//! and exit code of each class of error.

use std::path::Path;
use std::process::Command;

use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};

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
    insta::glob!("../scenarios", "*.toml", |path| {
        assert_cmd_snapshot!(costcalc().args(["run", &relative(path)]));
    });
}

#[test]
fn bundled_scenarios_as_json() {
    insta::glob!("../scenarios", "*.toml", |path| {
        assert_cmd_snapshot!(costcalc().args(["run", "--format", "json", &relative(path)]));
    });
}

#[test]
fn json_has_the_documented_plan_fields() {
    let output = costcalc()
        .args(["run", "--format", "json", "scenarios/qwen-400k.toml"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["schema_version"], 1);
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
