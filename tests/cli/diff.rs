//! `costcalc diff`: reports and scenarios compared end to end, the Markdown comment, the JSON
//! schema, the budget guard's exit codes and the errors for inputs that cannot be compared.

use std::path::{Path, PathBuf};
use std::process::Output;

use insta_cmd::assert_cmd_snapshot;

use super::costcalc;

const CATALOG: [&str; 3] = [
    "--no-default-pricing",
    "--pricing",
    "tests/fixtures/diff/catalog.toml",
];
const PRICE_RISE: [&str; 2] = ["--pricing", "tests/fixtures/diff/price-rise.toml"];

/// A file in the test's own temporary folder.
fn scratch(name: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff");
    std::fs::create_dir_all(&folder).unwrap();
    folder.join(name)
}

/// The base report, saved by `run --format json` as a pull request's workflow would.
fn base_report(name: &str) -> PathBuf {
    let path = scratch(name);
    let output = costcalc()
        .args([
            "run",
            "--format",
            "json",
            "--detail",
            "months",
            // Indented, so the tests below can edit it line by line.
            "--pretty",
            "tests/fixtures/diff/base.toml",
            "-o",
        ])
        .arg(&path)
        .args(CATALOG)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    path
}

fn diff(args: &[&str], old: &Path, new: &str) -> Output {
    costcalc()
        .arg("diff")
        .arg(old)
        .arg(new)
        .args(CATALOG)
        .args(args)
        .output()
        .unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn today_year_1(report: &serde_json::Value) -> &serde_json::Value {
    &report["plans"][0]["periods"][0]
}

#[test]
fn a_saved_report_against_a_scenario_at_new_prices() {
    let base = base_report("report-vs-scenario.json");
    let mut args = vec!["--format", "json"];
    args.extend(PRICE_RISE);
    let output = diff(&args, &base, "tests/fixtures/diff/together.toml");
    assert!(output.status.success(), "{}", stderr(&output));
    let report = json(&output);
    assert_eq!(report["old"]["kind"], "report");
    assert_eq!(report["new"]["kind"], "scenario");
    let year = today_year_1(&report);
    // Worked in `src/diff/tests.rs` (`every_effect_together`): $9,540 -> $17,760.
    let amount = |v: &serde_json::Value| {
        v.as_str()
            .unwrap()
            .parse::<rust_decimal::Decimal>()
            .unwrap()
    };
    assert_eq!(amount(&year["before"]), rust_decimal_macros::dec!(9540));
    assert_eq!(amount(&year["after"]), rust_decimal_macros::dec!(17760));
    let parts: Vec<_> = ["volume", "mix", "routing", "prices", "fixed_costs"]
        .iter()
        .map(|k| amount(&year["explanation"][k]))
        .collect();
    assert_eq!(
        parts,
        [3600, 2700, -1980, 2700, 1200].map(rust_decimal::Decimal::from)
    );
    assert_eq!(
        parts.iter().sum::<rust_decimal::Decimal>(),
        amount(&year["change"])
    );
}

#[test]
fn the_same_estimate_twice_reports_no_change() {
    let base = base_report("same.json");
    let output = diff(
        &["--format", "json"],
        &base,
        "tests/fixtures/diff/base.toml",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let report = json(&output);
    for plan in report["plans"].as_array().unwrap() {
        assert_eq!(plan["status"], "unchanged");
        for period in plan["periods"].as_array().unwrap() {
            assert_eq!(
                period["change"].as_str().unwrap().parse::<f64>().ok(),
                Some(0.0)
            );
        }
    }
    // Two saved reports: the catalog flags have nothing to price, and a note says so.
    let output = diff(&[], &base, &base.display().to_string());
    assert!(output.status.success());
    assert!(
        stderr(&output)
            .starts_with("note: `--pricing` and `--no-default-pricing` apply to scenario inputs"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).contains("No change to plan `today` (baseline) in year 1: $9,540.00"));
    let output = diff(&[], &base, "tests/fixtures/diff/base.toml");
    assert!(
        stdout(&output).contains("No change to plan `today` (baseline) in year 1: $9,540.00"),
        "{}",
        stdout(&output)
    );
}

/// Run in the scratch folder with copies of the fixtures, so that every path in the comment is
/// relative, as in a CI job.
#[test]
fn the_markdown_comment() {
    let base = base_report("base.json");
    let folder = base.parent().unwrap();
    for name in ["together.toml", "catalog.toml", "price-rise.toml"] {
        std::fs::copy(
            Path::new("tests/fixtures/diff").join(name),
            folder.join(name),
        )
        .unwrap();
    }
    let mut command = costcalc();
    command.current_dir(folder).args([
        "diff",
        "base.json",
        "together.toml",
        "--no-default-pricing",
        "--pricing",
        "catalog.toml",
        "--pricing",
        "price-rise.toml",
        "--format",
        "markdown",
    ]);
    assert_cmd_snapshot!(command);
}

#[test]
fn the_table() {
    assert_cmd_snapshot!(
        costcalc()
            .args([
                "diff",
                "tests/fixtures/diff/base.toml",
                "tests/fixtures/diff/route.toml"
            ])
            .args(CATALOG)
    );
}

#[test]
fn every_json_diff_follows_the_schema() {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/diff-report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let base = base_report("schema.json");
    let mut checked = Vec::new();
    for (new, extra) in [
        (
            "tests/fixtures/diff/together.toml",
            vec!["--fail-above", "10%"],
        ),
        ("tests/fixtures/diff/volume.toml", vec!["--per", "horizon"]),
        (
            "tests/fixtures/diff/route.toml",
            vec!["--fail-above", "5000", "--plan", "mixed"],
        ),
        ("tests/fixtures/diff/base.toml", vec![]),
    ] {
        let mut args = vec!["--format", "json"];
        args.extend(extra);
        let output = diff(&args, &base, new);
        let report = json(&output);
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{new}: {errors:#?}");
        checked.push(report);
    }
    // The schema is not vacuous: an amount as a JSON number fails it.
    let mut report = checked.remove(0);
    report["plans"][0]["periods"][0]["change"] = serde_json::json!(8220);
    assert!(!validator.is_valid(&report));
}

#[test]
fn fail_above_exits_3_only_above_the_limit() {
    let base = base_report("guard.json");
    // today rises by $3,600 in year 1 (50,000 more chat requests a month x 12 x $0.006), 37.7%
    // of $9,540.
    let volume = "tests/fixtures/diff/volume.toml";
    for (limit, code) in [
        ("3599.99", 3),
        ("3600", 0),
        ("3,600", 0),
        ("37%", 3),
        ("38%", 0),
    ] {
        let output = diff(&["--fail-above", limit], &base, volume);
        assert_eq!(output.status.code(), Some(code), "--fail-above {limit}");
        // The report is written either way.
        assert!(stdout(&output).contains("Budget: plan `today`, year 1: +$3,600.00"));
    }
    let output = diff(&["--fail-above", "3000"], &base, volume);
    assert_eq!(
        stderr(&output),
        "error: plan `today` costs $3,600.00 more in year 1 (+37.7%), above the limit of \
         $3,000.00 (found $9,540.00 -> $13,140.00)\nhint: the report above explains the change; \
         raise `--fail-above` if it is intended\n"
    );
    // A named plan, over the horizon: mixed rises by $1,152.
    let output = diff(
        &[
            "--fail-above",
            "1152",
            "--plan",
            "mixed",
            "--per",
            "horizon",
        ],
        &base,
        volume,
    );
    assert_eq!(output.status.code(), Some(0));
    let output = diff(
        &[
            "--fail-above",
            "1151",
            "--plan",
            "mixed",
            "--per",
            "horizon",
        ],
        &base,
        volume,
    );
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains("in the horizon"),
        "{}",
        stderr(&output)
    );
    // A decrease never fails.
    let output = diff(
        &["--fail-above", "0"],
        &base,
        "tests/fixtures/diff/route.toml",
    );
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn inputs_that_cannot_be_compared() {
    let base = base_report("errors.json");
    let text = std::fs::read_to_string(&base).unwrap();

    // Another schema version.
    let old_version = scratch("version-1.json");
    std::fs::write(
        &old_version,
        text.replace("\"schema_version\": 2", "\"schema_version\": 1"),
    )
    .unwrap();
    let output = diff(&[], &old_version, "tests/fixtures/diff/base.toml");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("the report has schema version 1; this costcalc reads version 2"),
        "{}",
        stderr(&output)
    );

    // A compact report without each route's months cannot be explained month by month.
    let compact = scratch("compact.json");
    let output = costcalc()
        .args([
            "run",
            "--format",
            "json",
            "tests/fixtures/diff/base.toml",
            "-o",
        ])
        .arg(&compact)
        .args(CATALOG)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let output = diff(&[], &compact, "tests/fixtures/diff/base.toml");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("leaves out each route's months")
            && stderr(&output).contains("--detail months"),
        "{}",
        stderr(&output)
    );

    // Another currency.
    let euros = scratch("euros.json");
    std::fs::write(
        &euros,
        text.replace("\"currency\": \"USD\"", "\"currency\": \"EUR\""),
    )
    .unwrap();
    let output = diff(&[], &euros, "tests/fixtures/diff/base.toml");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("the report currency is USD, but OLD"),
        "{}",
        stderr(&output)
    );

    // Another scenario by name: compared, with a note.
    let renamed = scratch("renamed.json");
    std::fs::write(
        &renamed,
        text.replace("\"name\": \"Diff example\"", "\"name\": \"Other\""),
    )
    .unwrap();
    let output = diff(&[], &renamed, "tests/fixtures/diff/base.toml");
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout(&output).contains("the scenario is named `Other` in OLD and `Diff example` in NEW"),
        "{}",
        stdout(&output)
    );

    // A plan that is on neither side: a usage error.
    let output = diff(&["--plan", "mixd"], &base, "tests/fixtures/diff/base.toml");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: no plan `mixd` in OLD or NEW\nhint: did you mean `mixed`?\n"
    );

    // JSON that is not a report.
    let other = scratch("other.json");
    std::fs::write(&other, "{\"schema_version\": 2, \"offers\": []}\n").unwrap();
    let output = diff(&[], &other, "tests/fixtures/diff/base.toml");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("missing field `scenarios`"),
        "{}",
        stderr(&output)
    );

    // A catalog file is neither.
    let output = diff(&[], &base, "tests/fixtures/diff/catalog.toml");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("neither a `run --format json` report nor a scenario"),
        "{}",
        stderr(&output)
    );
}

/// The two costcalc commands of `docs/cost-diff.example.yml`, as it runs them: a base report
/// saved with `-o`, then the Markdown comment written with `-o` even when the guard fails.
#[test]
fn the_example_workflow_commands() {
    let workflow = std::fs::read_to_string("docs/cost-diff.example.yml").unwrap();
    assert!(workflow.contains(
        "costcalc run --format json --detail months ../base/costs/scenario.toml -o base.json"
    ));
    assert!(workflow.contains(
        "costcalc diff base.json costs/scenario.toml --format markdown --fail-above 10% -o cost-diff.md"
    ));
    let base = base_report("workflow-base.json");
    let comment = scratch("cost-diff.md");
    let _ = std::fs::remove_file(&comment);
    let output = costcalc()
        .arg("diff")
        .arg(&base)
        .arg("tests/fixtures/diff/volume.toml")
        .args(["--format", "markdown", "--fail-above", "10%", "-o"])
        .arg(&comment)
        .args(CATALOG)
        .output()
        .unwrap();
    // +37.7% is above 10%.
    assert_eq!(output.status.code(), Some(3));
    assert!(output.stdout.is_empty());
    let written = std::fs::read_to_string(&comment).unwrap();
    assert!(written.starts_with("**Cost change:** Plan `today` (baseline), year 1"));
    assert!(written.contains("**Budget: plan `today`, year 1: +$3,600.00 (+37.7%) against a limit of 10%: above the limit**"));
}
