//! The decomposition on the small scenario of `tests/fixtures/diff/`, worked by hand, and a
//! property: for any two generated scenarios, every change is exactly the sum of its parts.

use std::fmt::Write as _;
use std::sync::Arc;

use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::*;
use crate::error::SourceFile;

const CATALOG: &str = include_str!("../../tests/fixtures/diff/catalog.toml");
const PRICE_RISE: &str = include_str!("../../tests/fixtures/diff/price-rise.toml");
const BASE: &str = include_str!("../../tests/fixtures/diff/base.toml");
const VOLUME: &str = include_str!("../../tests/fixtures/diff/volume.toml");
const ROUTE: &str = include_str!("../../tests/fixtures/diff/route.toml");
const TOGETHER: &str = include_str!("../../tests/fixtures/diff/together.toml");

fn catalog(files: &[(&str, &str)]) -> Catalog {
    let files: Vec<Arc<SourceFile>> = files
        .iter()
        .map(|(name, text)| SourceFile::new(*name, *text))
        .collect();
    Catalog::parse(&files).expect("the test catalog is valid")
}

fn side(text: &str, catalog: &Catalog) -> Side {
    Side::new(
        Source::Scenario(SourceFile::new("s.toml", text)),
        Some(catalog),
    )
    .expect("the test scenario is valid")
}

/// Compares two scenarios, OLD priced with `old_catalog` and NEW with `new_catalog`.
fn compare_with(old: &str, new: &str, old_catalog: &Catalog, new_catalog: &Catalog) -> Diff {
    let diff = compare(
        side(old, old_catalog),
        side(new, new_catalog),
        &Options::default(),
    )
    .expect("the comparison succeeds");
    assert_adds_up(&diff);
    diff
}

fn plain() -> Catalog {
    catalog(&[("catalog.toml", CATALOG)])
}

fn dearer() -> Catalog {
    catalog(&[("catalog.toml", CATALOG), ("price-rise.toml", PRICE_RISE)])
}

/// Every explained change, of a plan or of a workload, is exactly the sum of its parts.
fn assert_adds_up(diff: &Diff) {
    for plan in &diff.plans {
        for period in &plan.periods {
            let costs =
                std::iter::once(&period.cost).chain(period.workloads.iter().map(|w| &w.cost));
            for cost in costs {
                assert_eq!(cost.change, cost.after - cost.before);
                if let Some(explanation) = &cost.explanation {
                    assert_eq!(
                        explanation.total(),
                        cost.change,
                        "plan `{}`, {}: {explanation:?}",
                        plan.id,
                        period.period
                    );
                }
            }
        }
    }
}

fn explained(diff: &Diff, plan: &str) -> (Decimal, [Decimal; 5]) {
    let cost = &diff
        .plans
        .iter()
        .find(|p| p.id == plan)
        .unwrap()
        .period(Period::Year(1))
        .cost;
    (cost.change, cost.explanation.unwrap().0)
}

#[test]
fn only_the_volume_changes() {
    let diff = compare_with(BASE, VOLUME, &plain(), &plain());
    // today: 50,000 more chat requests a month x 12 x $0.006 = $3,600.
    assert_eq!(
        explained(&diff, "today"),
        (dec!(3600), [dec!(3600), dec!(0), dec!(0), dec!(0), dec!(0)])
    );
    // mixed: a chat request costs 0.8 x $0.0009 (small: 1,000 x 0.5/1M + 200 x 2/1M) + 0.2 x
    // $0.006 = $0.00192; 600,000 more of them = $1,152.
    assert_eq!(
        explained(&diff, "mixed"),
        (dec!(1152), [dec!(1152), dec!(0), dec!(0), dec!(0), dec!(0)])
    );
}

#[test]
fn only_a_price_changes() {
    let diff = compare_with(BASE, BASE, &plain(), &dearer());
    // big's input goes from $3 to $4: chat +1,000 x 1/1M = $0.001 x 1,200,000 = $1,200;
    // extract +4,000 x 1/1M = $0.004 x 120,000 = $480; together $1,680.
    assert_eq!(
        explained(&diff, "today"),
        (dec!(1680), [dec!(0), dec!(0), dec!(0), dec!(1680), dec!(0)])
    );
    // mixed sends 20% of chat to big: 240,000 x $0.001 = $240.
    assert_eq!(
        explained(&diff, "mixed"),
        (dec!(240), [dec!(0), dec!(0), dec!(0), dec!(240), dec!(0)])
    );
}

#[test]
fn only_a_route_moves() {
    let diff = compare_with(BASE, ROUTE, &plain(), &plain());
    // today's extraction moves from big ($0.0195 a request) to small (4,000 x 0.5/1M + 500 x
    // 2/1M = $0.003): 120,000 x -$0.0165 = -$1,980.
    assert_eq!(
        explained(&diff, "today"),
        (
            dec!(-1980),
            [dec!(0), dec!(0), dec!(-1980), dec!(0), dec!(0)]
        )
    );
    let mixed = diff.plans.iter().find(|p| p.id == "mixed").unwrap();
    assert_eq!(mixed.status, Status::Unchanged);
}

#[test]
fn every_effect_together() {
    let diff = compare_with(BASE, TOGETHER, &plain(), &dearer());
    // today, year 1 (states in the order of attribution):
    //   0 old:      $9,540 (chat $7,200 + extract $2,340)
    //   1 volume:   chat 1,800,000 x $0.006 = $10,800; extract $2,340 -> $13,140 (+$3,600)
    //   2 mix:      chat's new request at old prices: 1,500 x 3/1M + 200 x 15/1M = $0.0075;
    //               x 1,800,000 = $13,500; extract keeps its old route -> $15,840 (+$2,700)
    //   3 routing:  extract at small, $0.003 x 120,000 = $360 -> $13,860 (-$1,980)
    //   4 prices:   chat at $4 input: 1,500 x 4/1M + $0.003 = $0.009 x 1,800,000 = $16,200;
    //               + $360 -> $16,560 (+$2,700)
    //   5 fixed:    + $100 x 12 = $17,760 (+$1,200)
    // Total $8,220 = 3,600 + 2,700 - 1,980 + 2,700 + 1,200.
    assert_eq!(
        explained(&diff, "today"),
        (
            dec!(8220),
            [dec!(3600), dec!(2700), dec!(-1980), dec!(2700), dec!(1200)]
        )
    );
}

#[test]
fn an_estimate_against_itself_has_no_change() {
    let diff = compare_with(BASE, BASE, &plain(), &plain());
    for plan in &diff.plans {
        assert_eq!(plan.status, Status::Unchanged);
        for period in &plan.periods {
            assert!(period.cost.change.is_zero());
            assert_eq!(period.cost.explanation, Some(PerEffect::default()));
            assert!(
                period
                    .workloads
                    .iter()
                    .all(|w| w.status == Status::Unchanged)
            );
        }
    }
    assert!(diff.notes.is_empty());
}

#[test]
fn added_and_removed_plans_and_workloads_are_listed_as_such() {
    // NEW drops `mixed` and the extraction workload, and adds a plan `small-only`.
    let new = BASE
        .split("[[workload]]\nid = \"extract\"")
        .next()
        .unwrap()
        .to_owned()
        + "[[plan]]\nid = \"today\"\nbaseline = true\n\n[[plan.route]]\nworkload = \"chat\"\noffer = \"big@acme\"\n\n\
           [[plan]]\nid = \"small-only\"\n\n[[plan.route]]\nworkload = \"chat\"\noffer = \"small@acme\"\n";
    let diff = compare_with(BASE, &new, &plain(), &plain());
    let status = |id: &str| diff.plans.iter().find(|p| p.id == id).unwrap().status;
    assert_eq!(status("today"), Status::Changed);
    assert_eq!(status("small-only"), Status::Added);
    assert_eq!(status("mixed"), Status::Removed);
    let today = diff.plans.iter().find(|p| p.id == "today").unwrap();
    let extract = &today.period(Period::Year(1)).workloads[1];
    assert_eq!(
        (extract.id.as_str(), extract.status),
        ("extract", Status::Removed)
    );
    // A workload removed is volume: all of its $2,340.
    assert_eq!(
        explained(&diff, "today"),
        (
            dec!(-2340),
            [dec!(-2340), dec!(0), dec!(0), dec!(0), dec!(0)]
        )
    );
    // small-only: 1,200,000 chat requests x $0.0009 = $1,080.
    let added = &diff.plans[1].period(Period::Year(1)).cost;
    assert_eq!(
        (added.before, added.after, added.explanation),
        (dec!(0), dec!(1080), None)
    );
    // The new plan, in NEW's order, then the removed one.
    let ids: Vec<&str> = diff.plans.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["today", "small-only", "mixed"]);
}

#[test]
fn the_guard_compares_the_increase_with_the_limit() {
    let guarded = |limit: Limit, plan: Option<&str>| {
        let options = Options {
            plan: plan.map(str::to_owned),
            per_horizon: false,
            limit: Some(limit),
        };
        let diff = compare(side(BASE, &plain()), side(VOLUME, &plain()), &options).unwrap();
        diff.budget.unwrap().exceeded
    };
    // today rises by $3,600, 37.7...% of $9,540.
    assert!(guarded(Limit::Amount(dec!(3599.99)), None));
    assert!(!guarded(Limit::Amount(dec!(3600)), None));
    assert!(guarded(Limit::Percent(dec!(37)), None));
    assert!(!guarded(Limit::Percent(dec!(38)), None));
    // mixed rises by $1,152.
    assert!(!guarded(Limit::Amount(dec!(2000)), Some("mixed")));
    let error = compare(
        side(BASE, &plain()),
        side(VOLUME, &plain()),
        &Options {
            plan: Some("mixd".to_owned()),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "no plan `mixd` in OLD or NEW\nhint: did you mean `mixed`?"
    );
}

#[test]
fn a_currency_change_is_refused() {
    let eur = BASE.replace("months = 12", "months = 12\ncurrency = \"EUR\"\n\n[[exchange_rate]]\nrate = \"1 USD = 0.9 EUR\"\nas_of = 2026-11-01\nsource = \"test\"");
    let error = compare(
        side(BASE, &plain()),
        side(&eur, &plain()),
        &Options::default(),
    )
    .unwrap_err();
    assert!(
        error
            .report()
            .contains("the report currency is EUR, but OLD"),
        "{}",
        error.report()
    );
}

#[test]
fn the_working_scale_keeps_27_integer_digits() {
    let states = [[dec!(1234.5), dec!(0), dec!(0), dec!(0), dec!(0), dec!(0)]];
    assert_eq!(working_scale(states.iter()), Some(20));
    let big = [[
        dec!(123456789012),
        dec!(0),
        dec!(0),
        dec!(0),
        dec!(0),
        dec!(0),
    ]];
    assert_eq!(working_scale(big.iter()), Some(15));
    let huge = [[Decimal::MAX, dec!(0), dec!(0), dec!(0), dec!(0), dec!(0)]];
    assert_eq!(working_scale(huge.iter()), None);
}

// ---------------------------------------------------------------------------------------------
// The property

/// Offers of the built-in catalog: tiers, cache and batch prices, an open model at a host, and
/// a self-hosted deployment priced by capacity.
const OFFERS: [&str; 4] = [
    "claude-sonnet-4-6@anthropic",
    "gpt-5.4-mini@openai",
    "gpt-oss-120b@deepinfra",
    "gpt-oss-120b@self-h100x2-vllm",
];

#[derive(Debug, Clone)]
struct WorkloadSpec {
    id: usize,
    requests_per_day: u32,
    input: u32,
    output: u32,
    cache_tenths: u32,
    batch_tenths: u32,
    growth: bool,
}

#[derive(Debug, Clone)]
struct PlanSpec {
    id: usize,
    fixed: u32,
    one_time: u32,
    /// Per workload: the first offer, the second, and the first's share in tenths.
    routes: Vec<(usize, usize, u32)>,
}

#[derive(Debug, Clone)]
struct ScenarioSpec {
    months: u32,
    workloads: Vec<WorkloadSpec>,
    plans: Vec<PlanSpec>,
}

fn workload_spec() -> impl Strategy<Value = WorkloadSpec> {
    (
        0usize..4,
        0u32..200_000,
        1u32..60_000,
        1u32..4_000,
        0u32..10,
        0u32..=10,
        any::<bool>(),
    )
        .prop_map(
            |(id, requests_per_day, input, output, cache_tenths, batch_tenths, growth)| {
                WorkloadSpec {
                    id,
                    requests_per_day,
                    input,
                    output,
                    cache_tenths,
                    batch_tenths,
                    growth,
                }
            },
        )
}

fn plan_spec() -> impl Strategy<Value = PlanSpec> {
    (
        0usize..4,
        prop_oneof![Just(0u32), 1u32..50_000],
        prop_oneof![Just(0u32), 1u32..100_000],
        proptest::collection::vec((0usize..OFFERS.len(), 0usize..OFFERS.len(), 1u32..=10), 4),
    )
        .prop_map(|(id, fixed, one_time, routes)| PlanSpec {
            id,
            fixed,
            one_time,
            routes,
        })
}

fn scenario_spec() -> impl Strategy<Value = ScenarioSpec> {
    (
        1u32..=30,
        proptest::collection::vec(workload_spec(), 1..=3),
        proptest::collection::vec(plan_spec(), 1..=3),
    )
        .prop_map(|(months, workloads, plans)| ScenarioSpec {
            months,
            workloads,
            plans,
        })
}

/// The TOML of a spec; repeated ids are dropped, so ids match across two specs by chance.
fn scenario_text(spec: &ScenarioSpec) -> String {
    let mut text = format!(
        "[scenario]\nname = \"p\"\nstart = \"2027-01\"\nmonths = {}\n\n",
        spec.months
    );
    let mut workloads: Vec<&WorkloadSpec> = Vec::new();
    for w in &spec.workloads {
        if workloads.iter().all(|o| o.id != w.id) {
            workloads.push(w);
        }
    }
    for w in &workloads {
        let _ = write!(
            text,
            "[[workload]]\nid = \"w{}\"\nrequests_per_day = {}\ninput_tokens = {}\n\
             output_tokens = {}\ncache_hit_share = 0.{}\nbatch_share = {}\ngrowth_per_month = {}\n\n",
            w.id,
            w.requests_per_day,
            w.input,
            w.output,
            w.cache_tenths,
            Decimal::new(i64::from(w.batch_tenths), 1),
            if w.growth { "0.07" } else { "0" },
        );
    }
    let mut seen = Vec::new();
    for plan in &spec.plans {
        if seen.contains(&plan.id) {
            continue;
        }
        let _ = write!(
            text,
            "[[plan]]\nid = \"p{}\"\nbaseline = {}\nmonthly_fixed_cost = {}\none_time_cost = {}\n\n",
            plan.id,
            seen.is_empty(),
            plan.fixed,
            plan.one_time
        );
        seen.push(plan.id);
        for (w, (first, second, tenths)) in workloads.iter().zip(&plan.routes) {
            let split = first != second && *tenths < 10;
            let share = if split {
                Decimal::new(i64::from(*tenths), 1)
            } else {
                Decimal::ONE
            };
            let _ = write!(
                text,
                "[[plan.route]]\nworkload = \"w{}\"\noffer = \"{}\"\nshare = {share}\n\n",
                w.id, OFFERS[*first]
            );
            if split {
                let _ = write!(
                    text,
                    "[[plan.route]]\nworkload = \"w{}\"\noffer = \"{}\"\nshare = {}\n\n",
                    w.id,
                    OFFERS[*second],
                    Decimal::ONE - share
                );
            }
        }
    }
    text
}

fn builtin_with(input_price: Option<u32>) -> Catalog {
    let mut files = Catalog::builtin_files();
    if let Some(price) = input_price {
        files.push(SourceFile::new(
            "override.toml",
            format!(
                "[[offer]]\nmodel = \"claude-sonnet-4-6\"\nprovider = \"anthropic\"\n\
                 overrides = true\ninput = {}\n",
                Decimal::new(i64::from(price), 2)
            ),
        ));
    }
    Catalog::parse(&files).expect("the built-in catalog with an override is valid")
}

/// A side, or `None` when the generated scenario is refused (too long a prompt for a model)
/// or overflows: those are tested elsewhere.
fn try_side(text: &str, catalog: &Catalog) -> Option<Side> {
    Side::new(
        Source::Scenario(SourceFile::new("p.toml", text)),
        Some(catalog),
    )
    .ok()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x00D1_FF00),
        ..ProptestConfig::default()
    })]

    #[test]
    fn parts_always_add_up_to_the_change(
        old in scenario_spec(),
        new in scenario_spec(),
        price in proptest::option::of(1u32..2_000),
    ) {
        let old_catalog = builtin_with(None);
        let new_catalog = builtin_with(price);
        let (Some(old), Some(new)) = (
            try_side(&scenario_text(&old), &old_catalog),
            try_side(&scenario_text(&new), &new_catalog),
        ) else {
            return Ok(());
        };
        let diff = compare(old, new, &Options::default()).unwrap();
        for plan in &diff.plans {
            for period in &plan.periods {
                let costs = std::iter::once(&period.cost)
                    .chain(period.workloads.iter().map(|w| &w.cost));
                for cost in costs {
                    prop_assert_eq!(cost.change, cost.after - cost.before);
                    if let Some(explanation) = &cost.explanation {
                        prop_assert_eq!(explanation.total(), cost.change, "plan `{}`", plan.id);
                    }
                }
            }
        }
    }
}

/// The schema lists exactly the effects, in the order of attribution.
#[test]
fn the_diff_schema_lists_every_effect_in_order() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../schema/diff-report.schema.json")).unwrap();
    let keys: Vec<&str> = Effect::ALL.iter().map(|e| e.key()).collect();
    assert_eq!(
        schema["$defs"]["explanation"]["required"],
        serde_json::json!(keys)
    );
    assert_eq!(
        schema["properties"]["attribution"]["const"],
        serde_json::json!(keys)
    );
}
