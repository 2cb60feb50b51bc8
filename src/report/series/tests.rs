use std::path::Path;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::*;
use crate::engine;
use crate::fixtures::exposure_estimate;
use crate::pricing::Catalog;
use crate::scenario::Scenario;

/// Against `tests/fixtures/exposure-pricing.toml`, a month of 1,000 requests of 1,000 input
/// tokens costs the offer's price per 1M tokens; `docs` has twice the tokens.
///   split (baseline): chat at closed-b@usa (3) = 3, docs at open-a@cna (1) = 2 x 1 = 2; 5 a month.
///   moved: chat at open-a@usa (1.5) = 1.5, docs at open-a@usb (2) = 2 x 2 = 4, plus 0.5 fixed
///   a month and a one-time 10 in the first month: 16, then 6, then 6.
const TWO_WORKLOADS: &str = r#"
[scenario]
name = "Two workloads"
start = "2027-01"
months = 3

[[workload]]
id = "chat"
requests_per_month = 1000
input_tokens = 1000
output_tokens = 0

[[workload]]
id = "docs"
requests_per_month = 1000
input_tokens = 2000
output_tokens = 0

[[plan]]
id = "split"
baseline = true

[[plan.route]]
workload = "chat"
offer = "closed-b@usa"

[[plan.route]]
workload = "docs"
offer = "open-a@cna"

[[plan]]
id = "moved"
one_time_cost = 10
monthly_fixed_cost = 0.5

[[plan.route]]
workload = "chat"
offer = "open-a@usa"

[[plan.route]]
workload = "docs"
offer = "open-a@usb"
"#;

#[test]
fn cumulative_spend_runs_month_by_month_to_the_horizon_total() {
    let estimate = exposure_estimate(TWO_WORKLOADS);
    let chart = cumulative(&estimate);
    let months: Vec<String> = chart.months.iter().map(ToString::to_string).collect();
    assert_eq!(months, ["2027-01", "2027-02", "2027-03"]);
    // split: 5, 10, 15; moved: 16 (10 + 0.5 + 1.5 + 4), 22, 28.
    assert_eq!(chart.lines[0].plan, "split");
    assert_eq!(chart.lines[0].values, [dec!(5), dec!(10), dec!(15)]);
    assert_eq!(chart.lines[1].plan, "moved");
    assert_eq!(chart.lines[1].values, [dec!(16), dec!(22), dec!(28)]);
    assert_eq!(estimate.plans[1].total_cost, dec!(28));
}

#[test]
fn workload_bars_stack_to_each_plans_total_with_the_fixed_costs_on_top() {
    let estimate = exposure_estimate(TWO_WORKLOADS);
    let chart = workloads(&estimate);
    assert_eq!(chart.bars, ["split", "moved"]);
    let labels: Vec<&str> = chart.parts.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["chat", "docs", FIXED_PART]);
    // split: chat 3 x 3 = 9, docs 3 x 2 = 6; moved: chat 3 x 1.5 = 4.5, docs 3 x 4 = 12, fixed
    // 10 + 3 x 0.5 = 11.5.
    assert_eq!(chart.parts[0].values, [dec!(9), dec!(4.5)]);
    assert_eq!(chart.parts[1].values, [dec!(6), dec!(12)]);
    assert_eq!(chart.parts[2].values, [dec!(0), dec!(11.5)]);
    assert_eq!(chart.totals(), [dec!(15), dec!(28)]);
}

#[test]
fn without_fixed_costs_there_is_no_fixed_part() {
    let estimate = exposure_estimate(crate::fixtures::EXPOSURE_SCENARIO);
    let chart = workloads(&estimate);
    let labels: Vec<&str> = chart.parts.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["chat"]);
}

#[test]
fn country_bars_hold_each_plans_token_charges_by_country() {
    let estimate = exposure_estimate(TWO_WORKLOADS);
    let chart = countries(&estimate);
    let labels: Vec<&str> = chart.parts.iter().map(|p| p.label.as_str()).collect();
    // split: US 9 (usa), CN 6 (cna); moved: US 4.5 + 12 = 16.5 (usa and usb), no CN. The fixed
    // costs are billed by no provider, so the moved bar is its token charges, 28 - 11.5.
    assert_eq!(labels, ["US", "CN"]);
    assert_eq!(chart.parts[0].values, [dec!(9), dec!(16.5)]);
    assert_eq!(chart.parts[1].values, [dec!(6), dec!(0)]);
    assert_eq!(chart.totals(), [dec!(15), dec!(16.5)]);
}

/// On every bundled scenario, against the built-in catalog: each cumulative line ends at its
/// plan's horizon total exactly (the same sums in the same order). Each workload bar adds up to
/// the total, and each country bar to the token charges, to the cent and to 20 significant
/// digits: a decimal keeps 28, and adding the same route-months by workload rather than by month
/// may round the last of them differently (eu-fintech's closed plan: ...04904 against ...04906).
fn cents(amount: Decimal) -> Decimal {
    crate::money::round_for_display(amount, 2)
}

/// Equal but for the last of a decimal's 28 significant digits.
fn same(a: Decimal, b: Decimal) -> bool {
    (a - b).abs() <= a.abs().max(b.abs()).max(Decimal::ONE) * Decimal::new(1, 20)
}

#[test]
fn on_every_bundled_scenario_the_charts_add_up_to_the_totals() {
    let catalog = Catalog::builtin().unwrap();
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 6, "{paths:?}");
    for path in paths {
        let scenario = Scenario::load(&path, &catalog).unwrap();
        let estimate = engine::estimate(&catalog, &scenario, &engine::Options::default()).unwrap();
        let lines = cumulative(&estimate).lines;
        let bars = workloads(&estimate).totals();
        let by_country = countries(&estimate).totals();
        for (index, plan) in estimate.plans.iter().enumerate() {
            let name = format!("{}: {}", path.display(), plan.id);
            assert_eq!(lines[index].values.len(), plan.monthly.len(), "{name}");
            assert_eq!(lines[index].values.last(), Some(&plan.total_cost), "{name}");
            assert_eq!(cents(bars[index]), cents(plan.total_cost), "{name}");
            assert!(same(bars[index], plan.total_cost), "{name}");
            assert_eq!(cents(by_country[index]), cents(plan.usage_cost), "{name}");
            assert!(same(by_country[index], plan.usage_cost), "{name}");
            assert!(plan.total_cost > Decimal::ZERO, "{name}");
        }
    }
}
