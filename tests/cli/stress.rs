//! `costcalc stress` and `costcalc cheapest` end to end, on `tests/fixtures/stress.toml` and the
//! exposure fixtures' catalog, where every figure is worked out by hand in the fixture's
//! comments; then each bad input with its whole message.

use std::path::Path;

use insta_cmd::assert_cmd_snapshot;
use rust_decimal::Decimal;
use serde_json::Value;

use super::costcalc;

const PRICING: [&str; 3] = [
    "--no-default-pricing",
    "--pricing",
    "tests/fixtures/exposure-pricing.toml",
];
const SCENARIO: &str = "tests/fixtures/stress.toml";

fn json_of(command: &str, args: &[&str]) -> Value {
    let output = costcalc()
        .args([command, "--format", "json"])
        .args(PRICING)
        .arg(SCENARIO)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn decimal(value: &Value) -> Decimal {
    value.as_str().unwrap().parse().unwrap()
}

fn follows(schema: &str, report: &Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(schema);
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema is not vacuous: another version, or an amount as a JSON number, fails it.
    let mut broken = report.clone();
    broken["schema_version"] = serde_json::json!(2);
    assert!(!validator.is_valid(&broken));
    let mut broken = report.clone();
    broken["currency"] = serde_json::json!(1);
    assert!(!validator.is_valid(&broken));
}

/// Losing `cna` from July: open weights move to another host of the same model, at the cost
/// worked in the fixture: 3 more for `open-cn` (to `usa`, not the cheaper `eub` in Germany,
/// which the policy does not allow), 6 for `open-fallback` (to its fallback `usb`), 1.5 for
/// `split`'s half.
#[test]
fn a_route_moves_to_another_host_of_the_same_open_model() {
    let report = json_of("stress", &["--lose", "cna", "--from", "2027-07"]);
    follows("schema/stress-report.schema.json", &report);
    let plans = report["losses"][0]["plans"].as_array().unwrap();
    let extra: Vec<Decimal> = plans.iter().map(|p| decimal(&p["extra_cost"])).collect();
    assert_eq!(
        extra,
        [
            Decimal::ZERO,
            Decimal::from(3),
            Decimal::from(6),
            Decimal::new(15, 1)
        ]
    );
    // The horizon ends six months after the loss: the first year after it is those months.
    assert_eq!(report["first_year"]["months"], 6);
    assert_eq!(
        decimal(&plans[1]["extra_cost_first_year"]),
        Decimal::from(3)
    );
    let moved = &plans[1]["moves"][0];
    assert_eq!(moved["to"], "open-a@usa");
    assert_eq!(moved["by"], "other_host");
    // Six months at 1 there, at 1.5 here.
    assert_eq!(decimal(&moved["cost_before"]), Decimal::from(6));
    assert_eq!(decimal(&moved["cost_after"]), Decimal::from(9));
    assert_eq!(plans[2]["moves"][0]["to"], "open-a@usb");
    assert_eq!(plans[2]["moves"][0]["by"], "fallback");
    // After the move, `open-cn` spends 6 at cna and 9 at usa: 60% at usa.
    assert_eq!(
        decimal(&plans[1]["exposure_after"]["largest_provider_share"]),
        Decimal::new(6, 1)
    );
    assert!(
        plans
            .iter()
            .all(|p| p["stranded"].as_array().unwrap().is_empty())
    );
}

/// Losing `usa` from July strands closed-b, which no other host serves: all of `closed`'s
/// traffic from then (6 x 3 = 18 not incurred) and half of `split`'s (6 x 0.5 x 3 = 9). The
/// cost that stops is not counted as a saving: the extra cost is 0.
#[test]
fn a_route_with_no_other_host_is_stranded() {
    let report = json_of("stress", &["--lose", "usa", "--from", "2027-07"]);
    follows("schema/stress-report.schema.json", &report);
    let plans = report["losses"][0]["plans"].as_array().unwrap();
    let closed = &plans[0];
    assert_eq!(decimal(&closed["stranded_traffic_share"]), Decimal::ONE);
    assert_eq!(decimal(&closed["stranded_cost"]), Decimal::from(18));
    assert_eq!(decimal(&closed["extra_cost"]), Decimal::ZERO);
    // Before: 12 x 3 = 36; after: the first six months, 18.
    assert_eq!(decimal(&closed["total_after"]), Decimal::from(18));
    let stranded = &closed["stranded"][0];
    assert_eq!(stranded["offer"], "closed-b@usa");
    assert_eq!(decimal(&stranded["requests"]), Decimal::from(6000));
    let split = &plans[3];
    assert_eq!(
        decimal(&split["stranded_traffic_share"]),
        Decimal::new(5, 1)
    );
    assert_eq!(decimal(&split["stranded_cost"]), Decimal::from(9));
    assert_eq!(decimal(&split["extra_cost"]), Decimal::ZERO);
}

#[test]
fn stress_as_a_table_and_in_markdown() {
    assert_cmd_snapshot!(costcalc().arg("stress").args(PRICING).args([
        SCENARIO, "--lose", "usa", "--lose", "cna", "--from", "2027-07"
    ]));
    insta::with_settings!({ snapshot_suffix => "markdown" }, {
        assert_cmd_snapshot!(costcalc()
            .args(["stress", "--format", "markdown"])
            .args(PRICING)
            .args([SCENARIO, "--lose-country", "CN"]));
    });
}

/// Each provider in turn: `closed` and `split` lose most to `usa` (stranded), `open-cn` and
/// `open-fallback` to `cna`, whose loss strands nothing: 12 x 0.5 = 6 more for `open-cn` from
/// the start, 12 x 1 = 12 for `open-fallback`.
#[test]
fn lose_each_ranks_each_plans_providers_by_damage() {
    let report = json_of("stress", &["--lose-each"]);
    follows("schema/stress-report.schema.json", &report);
    let ranking = report["ranking"].as_array().unwrap();
    let worst: Vec<&str> = ranking
        .iter()
        .map(|r| r["providers"][0]["provider"].as_str().unwrap())
        .collect();
    assert_eq!(worst, ["usa", "cna", "cna", "usa"]);
    assert_eq!(ranking[0]["single_point_of_failure"], "usa");
    assert_eq!(ranking[1]["single_point_of_failure"], Value::Null);
    assert_eq!(
        decimal(&ranking[1]["providers"][0]["extra_cost"]),
        Decimal::from(6)
    );
    assert_eq!(
        decimal(&ranking[2]["providers"][0]["extra_cost"]),
        Decimal::from(12)
    );
    // `split` uses both: losing usa strands half its traffic, losing cna costs 12 x 0.5 x 0.5.
    let split: Vec<&str> = ranking[3]["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["provider"].as_str().unwrap())
        .collect();
    assert_eq!(split, ["usa", "cna"]);
    assert_eq!(
        decimal(&ranking[3]["providers"][1]["extra_cost"]),
        Decimal::from(3)
    );
    assert_cmd_snapshot!(
        costcalc()
            .arg("stress")
            .args(PRICING)
            .args([SCENARIO, "--lose-each"])
    );
}

/// The cheapest offer, open-a@cna (12 a year), and the cheaper open-a@eub (14.4) break the
/// policy (US only), and old@usb (12) is retired within the horizon: the choice is open-a@usa,
/// 12 x 1.5 = 18.
#[test]
fn cheapest_rules_out_the_cheapest_offer_for_the_policy() {
    let report = json_of("cheapest", &[]);
    follows("schema/cheapest-report.schema.json", &report);
    let chat = &report["workloads"][0];
    assert_eq!(chat["choice"]["offer"], "open-a@usa");
    assert_eq!(decimal(&chat["choice"]["cost"]), Decimal::from(18));
    let ruled_out: Vec<(&str, &str)> = chat["ruled_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["offer"].as_str().unwrap(),
                r["reasons"][0]["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ruled_out,
        [
            ("old@usb", "retired"),
            ("open-a@cna", "policy"),
            ("open-a@eub", "policy")
        ]
    );
    assert_eq!(
        chat["ruled_out"][1]["reasons"][0]["rule"],
        "allowed_provider_countries"
    );
    assert_eq!(report["quality_considered"], false);
    assert_eq!(decimal(&report["plan_cost"]), Decimal::from(18));
    // `closed` costs 36: 18 above.
    assert_eq!(
        decimal(&report["plans"][0]["above_cheapest"]),
        Decimal::from(18)
    );
    assert_cmd_snapshot!(costcalc().arg("cheapest").args(PRICING).arg(SCENARIO));
    insta::with_settings!({ snapshot_suffix => "markdown" }, {
        assert_cmd_snapshot!(costcalc()
            .args(["cheapest", "--format", "markdown"])
            .args(PRICING)
            .arg("tests/fixtures/stress-candidates.toml"));
    });
}

/// With candidates, only they are considered, and the cheaper candidate that breaks the policy
/// is listed with its reason.
#[test]
fn cheapest_with_candidates_considers_only_them() {
    let output = costcalc()
        .args(["cheapest", "--format", "json"])
        .args(PRICING)
        .arg("tests/fixtures/stress-candidates.toml")
        .output()
        .unwrap();
    assert!(output.status.success());
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    follows("schema/cheapest-report.schema.json", &report);
    assert_eq!(report["quality_considered"], true);
    let chat = &report["workloads"][0];
    // open-a@usa is not a candidate: usb, at 12 x 2 = 24, is the cheapest that is.
    assert_eq!(chat["choice"]["offer"], "open-a@usb");
    assert_eq!(decimal(&chat["choice"]["cost"]), Decimal::from(24));
    assert_eq!(chat["ruled_out"][0]["offer"], "open-a@cna");
}

#[test]
fn bad_stress_input() {
    for (name, args) in [
        ("unknown_provider", vec!["--lose", "cnaa"]),
        ("unknown_country", vec!["--lose-country", "cn"]),
        (
            "from_outside_the_horizon",
            vec!["--lose", "cna", "--from", "2028-01"],
        ),
        ("from_not_a_month", vec!["--lose", "cna", "--from", "July"]),
        ("nothing_to_lose", vec![]),
    ] {
        insta::with_settings!({ snapshot_suffix => name }, {
            assert_cmd_snapshot!(costcalc().arg("stress").args(PRICING).arg(SCENARIO).args(args));
        });
    }
    // A fallback that is not an offer, and one that loops back to the route's own offer.
    assert_cmd_snapshot!(
        costcalc()
            .args(["stress", "--lose", "cna"])
            .args(PRICING)
            .arg("tests/fixtures/stress-bad-fallback.toml")
    );
}
