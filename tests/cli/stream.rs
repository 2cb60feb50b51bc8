//! Reports streamed into their destination: compact JSON by default and indented with
//! `--pretty`, each route's months only with `--detail months`, and a reader that stops early.

use std::io::Read;
use std::path::Path;
use std::process::Stdio;

use insta_cmd::assert_cmd_snapshot;
use rust_decimal::Decimal;
use serde_json::Value;

use super::costcalc;

fn bundled() -> Vec<String> {
    let mut paths: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
            .unwrap()
            .map(|e| format!("scenarios/{}", e.unwrap().file_name().to_string_lossy()))
            .filter(|p| Path::new(p).extension().is_some_and(|e| e == "toml"))
            .collect();
    paths.sort();
    paths
}

fn stdout(args: &[&str]) -> String {
    let output = costcalc().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Every route of a run report.
fn routes(report: &Value) -> Vec<&Value> {
    report["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["plans"].as_array().unwrap())
        .flat_map(|p| p["workloads"].as_array().unwrap())
        .flat_map(|w| w["routes"].as_array().unwrap())
        .collect()
}

fn decimal(value: &Value) -> Decimal {
    value.as_str().unwrap().parse().unwrap()
}

#[test]
fn default_json_is_one_line_and_says_what_pretty_json_says() {
    for path in bundled() {
        let compact = stdout(&["run", "--format", "json", &path]);
        let pretty = stdout(&["run", "--format", "json", "--pretty", &path]);
        assert_eq!(compact.lines().count(), 1, "{path}");
        assert!(compact.ends_with("}\n"), "{path}");
        assert!(pretty.lines().count() > 100, "{path}");
        let compact: Value = serde_json::from_str(&compact).unwrap();
        let pretty: Value = serde_json::from_str(&pretty).unwrap();
        assert_eq!(compact, pretty, "{path}");
        assert!(
            routes(&compact).iter().all(|r| r.get("months").is_none()),
            "{path}: months without `--detail months`"
        );
    }
    // The other commands' JSON is compact too, and indented on request.
    for args in [
        &["models", "--format", "json", "--provider", "groq"][..],
        &[
            "quote",
            "--format",
            "json",
            "--input",
            "1000",
            "--output",
            "100",
            "--weights",
            "open",
        ],
    ] {
        let compact = stdout(args);
        let pretty = stdout(&[args, &["--pretty"]].concat());
        assert_eq!(compact.lines().count(), 1, "{args:?}");
        assert!(pretty.lines().count() > 10, "{args:?}");
        assert_eq!(
            serde_json::from_str::<Value>(&compact).unwrap(),
            serde_json::from_str::<Value>(&pretty).unwrap()
        );
    }
}

#[test]
fn the_month_detail_is_there_when_asked_adds_up_and_follows_the_schema() {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/run-report.schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for path in bundled() {
        let detailed: Value = serde_json::from_str(&stdout(&[
            "run", "--format", "json", "--detail", "months", &path,
        ]))
        .unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&detailed)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:#?}");
        let months = detailed["scenarios"][0]["scenario"]["months"]
            .as_u64()
            .unwrap();
        for route in routes(&detailed) {
            let route_months = route["months"].as_array().unwrap();
            assert_eq!(route_months.len() as u64, months, "{path}");
            // Summed month by month, as the engine sums them.
            let sum = route_months
                .iter()
                .fold(Decimal::ZERO, |sum, m| sum + decimal(&m["cost"]));
            assert_eq!(sum, decimal(&route["cost"]), "{path}: {}", route["offer"]);
        }
        // Without the detail, the report is the same less the months.
        let mut without = detailed.clone();
        for scenario in without["scenarios"].as_array_mut().unwrap() {
            for plan in scenario["plans"].as_array_mut().unwrap() {
                for workload in plan["workloads"].as_array_mut().unwrap() {
                    for route in workload["routes"].as_array_mut().unwrap() {
                        route.as_object_mut().unwrap().remove("months");
                    }
                }
            }
        }
        let summary: Value =
            serde_json::from_str(&stdout(&["run", "--format", "json", &path])).unwrap();
        assert_eq!(without, summary, "{path}");
    }
}

#[test]
fn the_month_detail_belongs_to_json() {
    assert_cmd_snapshot!(costcalc().args([
        "run",
        "--detail",
        "months",
        "scenarios/startup-small.toml"
    ]));
}

#[test]
fn a_reader_that_stops_early_ends_the_run_quietly() {
    // Line items of every bundled scenario are far more than a pipe holds (64 KiB), so the
    // reader goes away while the report is still being written.
    let mut args = vec![
        "run".to_owned(),
        "--format".to_owned(),
        "csv-lines".to_owned(),
    ];
    args.extend(bundled());
    let mut child = costcalc()
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    // The read end is dropped here: the pipe is closed.
    let output = child.wait_with_output().unwrap();
    assert!(head.starts_with(b"scenario,plan,workload"));
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn a_streamed_report_to_a_file_is_the_report_on_standard_output() {
    let folder = std::env::temp_dir().join(format!("costcalc-stream-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let target = folder.join("lines.csv");
    std::fs::write(&target, "old report\n").unwrap();
    let args = ["run", "--format", "csv-lines", "scenarios/qwen-400k.toml"];
    let output = costcalc()
        .args(args)
        .args(["--output", target.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), stdout(&args));
    std::fs::remove_dir_all(folder).unwrap();
}
