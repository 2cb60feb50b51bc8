//! Break-evens with answers worked out by hand.

use rust_decimal_macros::dec;

use super::*;
use crate::error::SourceFile;

/// An API offer `m@api` at 0.3 per 1M output tokens (`m@dear` at 0.5), and deployments `m@own`:
/// one replica of one GPU at $1 an hour that serves 1,000 output tokens a second, and
/// `m@pricier`, the same at $1.0692 an hour.
const CATALOG: &str = r#"
[[provider]]
id = "api"
name = "API"
country = "US"
pricing_url = "https://example.com/pricing"

[[provider]]
id = "rent"
name = "Rent"
country = "US"
pricing_url = "https://example.com/gpus"

[[model]]
id = "m"
name = "M"
maker = "M"
weights = "open"
license = "MIT"
origin = "US"
context_window = 100000

[[offer]]
model = "m"
provider = "api"
as_of = 2026-11-20
source = "https://example.com/pricing"
input = 0
output = 0.3

[[offer]]
model = "m"
provider = "dear"
as_of = 2026-11-20
source = "https://example.com/pricing"
input = 0
output = 0.5

[[provider]]
id = "dear"
name = "Dear"
country = "US"
pricing_url = "https://example.com/pricing"

[[gpu]]
id = "g"
name = "G"
memory_gb = 80

[[gpu_offer]]
id = "rent/g"
gpu = "g"
provider = "rent"
pricing = "on_demand"
per_gpu_hour = 1
as_of = 2026-11-20
source = "https://example.com/gpus"

[[gpu_offer]]
id = "rent/h"
gpu = "g"
provider = "rent"
pricing = "on_demand"
per_gpu_hour = 1.0692
as_of = 2026-11-20
source = "https://example.com/gpus"

[[deployment]]
id = "pricier"
model = "m"
gpu_offer = "rent/h"
gpus_per_replica = 1
engine = "test"
output_tokens_per_second = 1000
input_tokens_per_second = 1000
measured_with = "test"
as_of = 2026-11-20
source = "https://example.com/bench"

[[deployment]]
id = "own"
model = "m"
gpu_offer = "rent/g"
gpus_per_replica = 1
engine = "test"
output_tokens_per_second = 1000
input_tokens_per_second = 1000
measured_with = "test"
as_of = 2026-11-20
source = "https://example.com/bench"
"#;

/// April 2027 has 30 days: 2,592,000 seconds. 2,592,000 requests of 1,000 output tokens fill one
/// replica exactly at 100% utilisation, and cost 2,592,000,000 x 0.3 / 1M = $777.60 at the API.
fn scenario(plans: &str) -> (Catalog, Scenario) {
    let catalog = Catalog::parse(&[SourceFile::new("c.toml", CATALOG)])
        .unwrap_or_else(|e| panic!("{}", e.report()));
    let text = format!(
        "[scenario]\nname = \"t\"\nstart = \"2027-04\"\nmonths = 1\n\
         [self_hosting]\ntarget_utilization = 1\n\
         [[workload]]\nid = \"w\"\nrequests_per_month = 2592000\ninput_tokens = 0\noutput_tokens = 1000\n{plans}"
    );
    let scenario = Scenario::parse(&SourceFile::new("s.toml", text), &catalog)
        .unwrap_or_else(|e| panic!("{}", e.report()));
    (catalog, scenario)
}

fn plan(id: &str, offer: &str, extra: &str) -> String {
    format!(
        "[[plan]]\nid = \"{id}\"\n{extra}\n[[plan.route]]\nworkload = \"w\"\noffer = \"{offer}\"\n"
    )
}

fn three_figures(value: Decimal) -> Decimal {
    value.round_sf(3).unwrap()
}

/// The factor of a `MetFrom` outcome.
fn met_from(solution: &Solution) -> Option<Decimal> {
    match &solution.outcome {
        Outcome::MetFrom { at } => Some(at.factor),
        _ => None,
    }
}

#[test]
fn a_closed_form_break_even_between_two_apis() {
    // `api` costs 777.60 k plus $300 a month fixed; `dear` costs 0.5 / 0.3 x 777.60 = 1,296 k.
    // They meet where 777.6 k + 300 = 1,296 k: k = 300 / 518.4 = 0.5787...
    let plans = plan(
        "cheap",
        "m@api",
        "baseline = true\nmonthly_fixed_cost = 300",
    ) + &plan("dear", "m@dear", "");
    let (catalog, scenario) = scenario(&plans);
    let range = Range {
        from: dec!(0.01),
        to: dec!(100),
    };
    let answer = breakeven(
        &catalog,
        &scenario,
        "cheap",
        "dear",
        range,
        Options::default(),
    )
    .unwrap();
    assert_eq!(answer.crossings.len(), 1);
    assert_eq!(three_figures(answer.crossings[0].factor), dec!(0.579));
    assert!(!answer.crossings[0].at_a_step);
    assert_eq!(answer.crossings[0].cheaper_above, "cheap");
    assert_eq!(answer.plan_cost_at_1, dec!(1077.6));
}

#[test]
fn self_hosting_crosses_an_api_several_times() {
    // Own GPUs cost $720 a month per replica (one GPU for 720 hours), one replica per 1x of
    // volume; the API costs $777.60 per 1x. Between 0.5x and 2.5x:
    //  - 720 = 777.6 k at k = 0.926 (own becomes cheaper),
    //  - at 1x own jumps to $1,440 > $777.60 (a step: the API is cheaper again),
    //  - 1,440 = 777.6 k at k = 1.85 (own cheaper),
    //  - at 2x own jumps to $2,160 > $1,555.20 (a step).
    let plans = plan("api", "m@api", "baseline = true") + &plan("own", "m@own", "");
    let (catalog, scenario) = scenario(&plans);
    let range = Range {
        from: dec!(0.5),
        to: dec!(2.5),
    };
    let answer = breakeven(&catalog, &scenario, "own", "api", range, Options::default()).unwrap();
    let found: Vec<(Decimal, bool, &str)> = answer
        .crossings
        .iter()
        .map(|c| {
            (
                three_figures(c.factor),
                c.at_a_step,
                c.cheaper_above.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (dec!(0.926), false, "own"),
            (dec!(1.00), true, "api"),
            (dec!(1.85), false, "own"),
            (dec!(2.00), true, "api"),
        ]
    );
}

#[test]
fn solve_finds_the_volume_for_a_target() {
    // Savings of `cheap` against `dear` are (1,296 - 777.6) k = 518.4 k; $1,000 needs k = 1.929.
    let plans = plan("dear", "m@dear", "baseline = true") + &plan("cheap", "m@api", "");
    let (catalog, scenario) = scenario(&plans);
    let range = Range {
        from: dec!(0.01),
        to: dec!(100),
    };
    let answer = solve(
        &catalog,
        &scenario,
        "cheap",
        dec!(1000),
        range,
        Options::default(),
    )
    .unwrap();
    assert_eq!(met_from(&answer).map(three_figures), Some(dec!(1.93)));
    assert_eq!(answer.savings_at_1, dec!(518.4));
    let never = solve(
        &catalog,
        &scenario,
        "cheap",
        dec!(1000000),
        range,
        Options::default(),
    )
    .unwrap();
    assert!(matches!(never.outcome, Outcome::NeverMet));
    assert!(
        solve(
            &catalog,
            &scenario,
            "dear",
            dec!(1),
            range,
            Options::default()
        )
        .is_err()
    );
    assert!(
        solve(
            &catalog,
            &scenario,
            "chaep",
            dec!(1),
            range,
            Options::default()
        )
        .is_err()
    );
}

#[test]
fn the_founders_claim_is_about_the_scenarios_volume() {
    // qwen-400k saves $408,191.72 in year 1 after a $30,000 migration; $400,000 needs a little
    // less volume: about 0.98x.
    let catalog = Catalog::builtin().unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/qwen-400k.toml");
    let scenario = Scenario::load(&path, &catalog).unwrap();
    let range = Range {
        from: dec!(0.01),
        to: dec!(100),
    };
    let answer = solve(
        &catalog,
        &scenario,
        "all-qwen",
        dec!(400000),
        range,
        Options::default(),
    )
    .unwrap();
    assert_eq!(met_from(&answer).map(three_figures), Some(dec!(0.981)));
}

#[test]
fn old_gpu_prices_are_flagged() {
    // The GPU price was read 2026-11-20; a horizon starting 2027-06-01 is 193 days later.
    let plans = plan("own", "m@own", "baseline = true");
    let (catalog, scenario) = scenario(&plans);
    let later = Scenario::parse(
        &SourceFile::new(
            "s.toml",
            format!(
                "[scenario]\nname = \"t\"\nstart = \"2027-06\"\nmonths = 1\n\
                 [[workload]]\nid = \"w\"\nrequests_per_month = 1\ninput_tokens = 0\noutput_tokens = 1\n{plans}"
            ),
        ),
        &catalog,
    )
    .unwrap();
    let fresh = engine::estimate(&catalog, &scenario, &Options::default()).unwrap();
    assert!(fresh.notes.is_empty(), "{:?}", fresh.notes);
    let stale = engine::estimate(&catalog, &later, &Options::default()).unwrap();
    assert!(stale.notes.iter().any(|n| matches!(
        n,
        crate::estimate::Note::StalePrice { offer, age_days: 193, .. } if offer == "rent/g"
    )));
}
