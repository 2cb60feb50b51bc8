//! Break-evens with answers worked out by hand.

use rust_decimal_macros::dec;

use super::*;
use crate::error::SourceFile;
use crate::fixtures;
use crate::pricing::Weights;

/// An API offer `m@api` at 0.3 per 1M output tokens (`m@dear` at 0.5), and deployments `m@own`:
/// one replica of one GPU at $1 an hour that serves 1,000 output tokens a second, and
/// `m@pricier`, the same at $1.0692 an hour.
fn catalog_text() -> String {
    [
        &fixtures::provider("api", "API", "US"),
        &fixtures::model("m", "M", Weights::Open, "US", 100_000),
        &fixtures::offer("m", "api", "2026-11-20", "input = 0\noutput = 0.3"),
        &fixtures::offer("m", "dear", "2026-11-20", "input = 0\noutput = 0.5"),
        &fixtures::provider("dear", "Dear", "US"),
        GPUS,
    ]
    .concat()
}

/// The GPU vendor `rent`, its GPU `g` at $1 (`rent/g`) and $1.0692 (`rent/h`) an hour, and the
/// deployments `m@own` and `m@pricier` on them.
const GPUS: &str = r#"
[[provider]]
id = "rent"
name = "Rent"
country = "US"
pricing_url = "https://example.com/gpus"

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
decode_tokens_per_second = 1000
prefill_tokens_per_second = 2000
measured_with = "test"
as_of = 2026-11-20
source = "https://example.com/bench"

[[deployment]]
id = "own"
model = "m"
gpu_offer = "rent/g"
gpus_per_replica = 1
engine = "test"
decode_tokens_per_second = 1000
prefill_tokens_per_second = 2000
measured_with = "test"
as_of = 2026-11-20
source = "https://example.com/bench"
"#;

/// April 2027 has 30 days: 2,592,000 seconds. 2,592,000 requests of 1,000 output tokens fill one
/// replica exactly at 100% utilisation, and cost 2,592,000,000 x 0.3 / 1M = $777.60 at the API.
fn scenario(plans: &str) -> (Catalog, Scenario) {
    let catalog = fixtures::catalog(&catalog_text());
    let text = format!(
        "[scenario]\nname = \"t\"\nstart = \"2027-04\"\nmonths = 1\n\
         [self_hosting]\ntarget_utilization = 1\n\
         [[workload]]\nid = \"w\"\nrequests_per_month = 2592000\ninput_tokens = 0\noutput_tokens = 1000\n{plans}"
    );
    let scenario = fixtures::scenario(&catalog, &text);
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
        Over::YEAR_ONE,
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
    let answer = breakeven(
        &catalog,
        &scenario,
        "own",
        "api",
        range,
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap();
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
        Over::YEAR_ONE,
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
        Over::YEAR_ONE,
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
            Over::YEAR_ONE,
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
            Over::YEAR_ONE,
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
        Over::YEAR_ONE,
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

/// The precision the README promises: a factor to one part in 10^9, and costs that meet to one
/// part in 10^9 of the larger.
const PRECISION: Decimal = dec!(0.000000001);

/// Both plans' costs over `period` at `factor`, from the whole engine on the whole scenario.
fn costs_at(
    catalog: &Catalog,
    scenario: &Scenario,
    period: &Period,
    factor: Decimal,
    a: &str,
    b: &str,
) -> (Decimal, Decimal) {
    let estimate = estimate_at(catalog, scenario, Options::default(), factor).unwrap();
    (
        period_cost(super::plan(&estimate, a), period),
        period_cost(super::plan(&estimate, b), period),
    )
}

/// Which of two plans is cheaper at a factor, or `None` where they cost the same.
fn cheaper_at<'a>(
    catalog: &Catalog,
    scenario: &Scenario,
    period: &Period,
    factor: Decimal,
    a: &'a str,
    b: &'a str,
) -> Option<&'a str> {
    let (cost_a, cost_b) = costs_at(catalog, scenario, period, factor, a, b);
    match cost_a.cmp(&cost_b) {
        std::cmp::Ordering::Less => Some(a),
        std::cmp::Ordering::Greater => Some(b),
        std::cmp::Ordering::Equal => None,
    }
}

/// About 40 factors spread geometrically over the range, both ends included.
fn probes(range: Range) -> Vec<Decimal> {
    let grid = search::grid(range.from, range.to);
    let every = (grid.len() / 40).max(1);
    let mut probes: Vec<Decimal> = grid.iter().copied().step_by(every).collect();
    probes.push(range.to);
    probes
}

/// Checks a break-even answer by running the engine again: at each crossing that is not a step
/// the two year-1 costs are equal to one part in 10^9, and the plan named cheaper above it is
/// cheaper just above (the other just below); between crossings and at the probes, the plan
/// the answer says is cheaper is never the dearer one.
fn assert_breakeven_holds(catalog: &Catalog, scenario: &Scenario, answer: &Breakeven) {
    let (plan, versus) = (answer.plan.as_str(), answer.versus.as_str());
    let other = |id: &str| if id == plan { versus } else { plan };
    for crossing in &answer.crossings {
        let factor = crossing.factor;
        let (cost_plan, cost_versus) =
            costs_at(catalog, scenario, &answer.period, factor, plan, versus);
        if !crossing.at_a_step {
            let gap = (cost_plan - cost_versus).abs();
            assert!(
                gap <= cost_plan.max(cost_versus) * PRECISION,
                "costs differ by {gap} at {factor}x: {cost_plan} and {cost_versus}"
            );
        }
        let above = factor * (Decimal::ONE + PRECISION);
        let below = factor * (Decimal::ONE - PRECISION);
        let cheaper = crossing.cheaper_above.as_str();
        assert_eq!(
            cheaper_at(catalog, scenario, &answer.period, above, plan, versus),
            Some(cheaper),
            "above {factor}x"
        );
        assert_eq!(
            cheaper_at(catalog, scenario, &answer.period, below, plan, versus),
            Some(other(cheaper)),
            "below {factor}x"
        );
    }
    // Who is cheaper at each probe: after the last crossing below it, or from the verdict.
    for probe in probes(answer.range) {
        let expected = match (
            &answer.verdict,
            answer.crossings.iter().rfind(|c| c.factor <= probe),
        ) {
            (BreakevenVerdict::EqualThroughout, _) => None,
            (BreakevenVerdict::CheaperThroughout { plan }, _) => Some(plan.as_str()),
            (BreakevenVerdict::Crossings, Some(last)) => Some(last.cheaper_above.as_str()),
            (BreakevenVerdict::Crossings, None) => {
                Some(other(answer.crossings[0].cheaper_above.as_str()))
            }
        };
        let found = cheaper_at(catalog, scenario, &answer.period, probe, plan, versus);
        assert!(
            found.is_none() || found == expected,
            "at {probe}x `{found:?}` is cheaper, the answer says `{expected:?}`"
        );
    }
}

/// Checks a solution by running the engine again: the target is met at the factor named and
/// not just past it (below it for `MetFrom`, above it for `MetUpTo`), and the probes agree with
/// the outcome and the list of changes.
fn assert_solution_holds(catalog: &Catalog, scenario: &Scenario, solution: &Solution) {
    let baseline = scenario
        .plans
        .iter()
        .find(|p| p.baseline)
        .unwrap()
        .id
        .clone();
    let met = |factor: Decimal| {
        let (base, plan) = costs_at(
            catalog,
            scenario,
            &solution.period,
            factor,
            &baseline,
            &solution.plan,
        );
        base - plan >= solution.target_savings
    };
    let range = solution.range;
    match &solution.outcome {
        Outcome::MetFrom { at } => {
            assert!(!met(range.from));
            assert!(met(at.factor), "not met at {}x", at.factor);
            assert!(
                !met(at.factor * (Decimal::ONE - PRECISION)),
                "met below {}x",
                at.factor
            );
        }
        Outcome::MetUpTo { at } => {
            assert!(met(range.from));
            assert!(met(at.factor), "not met at {}x", at.factor);
            assert!(
                !met(at.factor * (Decimal::ONE + PRECISION)),
                "met above {}x",
                at.factor
            );
        }
        Outcome::MetThroughout | Outcome::NeverMet => assert!(solution.changes.is_empty()),
    }
    for change in &solution.changes {
        assert!(
            met(change.factor),
            "not met at the change at {}x",
            change.factor
        );
    }
    for probe in probes(range) {
        let expected = solution.changes.iter().rfind(|c| c.factor < probe).map_or(
            matches!(
                solution.outcome,
                Outcome::MetUpTo { .. } | Outcome::MetThroughout
            ),
            |c| c.met_above,
        );
        assert_eq!(met(probe), expected, "at {probe}x");
    }
}

fn range(from: Decimal, to: Decimal) -> Range {
    Range { from, to }
}

#[test]
fn breakeven_answers_hold_when_the_engine_runs_again() {
    let plans = plan(
        "cheap",
        "m@api",
        "baseline = true\nmonthly_fixed_cost = 300",
    ) + &plan("dear", "m@dear", "")
        + &plan("own", "m@own", "");
    let (catalog, scenario) = scenario(&plans);
    for (a, b) in [
        ("cheap", "dear"),
        ("own", "cheap"),
        ("own", "dear"),
        ("dear", "own"),
    ] {
        for r in [
            range(dec!(0.01), dec!(100)),
            range(dec!(0.5), dec!(2.5)),
            range(dec!(3), dec!(7)),
        ] {
            let answer = breakeven(
                &catalog,
                &scenario,
                a,
                b,
                r,
                Over::YEAR_ONE,
                Options::default(),
            )
            .unwrap();
            assert_breakeven_holds(&catalog, &scenario, &answer);
        }
    }
}

#[test]
fn two_crossings_inside_one_grid_cell_are_both_found() {
    // `pricier` costs 720 x 1.0692 = $769.824 a month per replica, one replica per 1x; the API
    // costs 777.6 k. They meet at k = 769.824 / 777.6 = 0.99, and at 1x the second replica makes
    // own GPUs dearer again: two crossings 1% apart, inside one 2% grid cell, with the API
    // cheaper at both ends of the cell (at 0.985x: 765.94 < 769.82; at 1.0047x: 781.25 < 1,539.65).
    let plans = plan("api", "m@api", "baseline = true") + &plan("own", "m@pricier", "");
    let (catalog, scenario) = scenario(&plans);
    for r in [range(dec!(0.985), dec!(1.02)), range(dec!(0.01), dec!(100))] {
        let answer = breakeven(
            &catalog,
            &scenario,
            "own",
            "api",
            r,
            Over::YEAR_ONE,
            Options::default(),
        )
        .unwrap();
        let near_one: Vec<(Decimal, bool, &str)> = answer
            .crossings
            .iter()
            .filter(|c| c.factor > dec!(0.98) && c.factor < dec!(1.01))
            .map(|c| {
                (
                    three_figures(c.factor),
                    c.at_a_step,
                    c.cheaper_above.as_str(),
                )
            })
            .collect();
        assert_eq!(
            near_one,
            [(dec!(0.990), false, "own"), (dec!(1.00), true, "api")],
            "{r:?}"
        );
        assert_breakeven_holds(&catalog, &scenario, &answer);
    }
    // The meeting point is solved exactly: 0.99 to every digit of the decimal.
    let answer = breakeven(
        &catalog,
        &scenario,
        "own",
        "api",
        range(dec!(0.985), dec!(1.02)),
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap();
    assert_eq!(answer.crossings[0].factor.round_dp(20), dec!(0.99));
}

#[test]
fn the_verdict_is_about_costs_inside_the_range() {
    // `cheap` (777.6 k + 300) and `dear` (1,296 k) meet at 0.579x; at 1x `cheap` is cheaper
    // ($1,077.60 against $1,296), but between 0.01x and 0.5x `dear` is cheaper throughout: at
    // 0.5x, $688.80 against $648.
    let plans = plan(
        "cheap",
        "m@api",
        "baseline = true\nmonthly_fixed_cost = 300",
    ) + &plan("dear", "m@dear", "");
    let (catalog, scenario) = scenario(&plans);
    let answer = breakeven(
        &catalog,
        &scenario,
        "cheap",
        "dear",
        range(dec!(0.01), dec!(0.5)),
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap();
    assert!(answer.crossings.is_empty());
    assert_eq!(
        answer.verdict,
        BreakevenVerdict::CheaperThroughout {
            plan: "dear".to_owned()
        }
    );
    assert_eq!(answer.plan_cost_at_1, dec!(1077.6));
    assert_eq!(
        (answer.at_to.plan_cost, answer.at_to.versus_cost),
        (dec!(688.8), dec!(648))
    );
    assert_breakeven_holds(&catalog, &scenario, &answer);
    // Above the crossing, the other way round, though 1x is again outside the range.
    let answer = breakeven(
        &catalog,
        &scenario,
        "cheap",
        "dear",
        range(dec!(2), dec!(50)),
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap();
    assert_eq!(
        answer.verdict,
        BreakevenVerdict::CheaperThroughout {
            plan: "cheap".to_owned()
        }
    );
}

#[test]
fn plans_that_always_cost_the_same_are_said_to() {
    let plans = plan("a", "m@api", "baseline = true") + &plan("b", "m@api", "");
    let (catalog, scenario) = scenario(&plans);
    let answer = breakeven(
        &catalog,
        &scenario,
        "a",
        "b",
        range(dec!(0.01), dec!(100)),
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap();
    assert_eq!(answer.verdict, BreakevenVerdict::EqualThroughout);
    assert!(answer.crossings.is_empty());
}

#[test]
fn a_plan_against_itself_is_a_usage_error() {
    let plans = plan("a", "m@api", "baseline = true") + &plan("b", "m@dear", "");
    let (catalog, scenario) = scenario(&plans);
    let error = breakeven(
        &catalog,
        &scenario,
        "b",
        "b",
        range(dec!(0.01), dec!(100)),
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap_err();
    assert_eq!(error.exit_code(), crate::error::EXIT_USAGE);
    assert!(error.to_string().contains("both name `b`"), "{error}");
}

#[test]
fn ranges_are_checked() {
    let plans = plan("a", "m@api", "baseline = true") + &plan("b", "m@dear", "");
    let (catalog, scenario) = scenario(&plans);
    let refused = |from: Decimal, to: Decimal| {
        let error = breakeven(
            &catalog,
            &scenario,
            "a",
            "b",
            range(from, to),
            Over::YEAR_ONE,
            Options::default(),
        )
        .unwrap_err();
        assert_eq!(error.exit_code(), crate::error::EXIT_USAGE, "{error}");
        let solved = solve(
            &catalog,
            &scenario,
            "b",
            dec!(1),
            range(from, to),
            Over::YEAR_ONE,
            Options::default(),
        )
        .unwrap_err();
        assert_eq!(solved.exit_code(), crate::error::EXIT_USAGE, "{solved}");
        error.to_string()
    };
    // Below a millionth: 2.5e-27 made the old grid step round back to itself forever.
    assert!(
        refused(dec!(0.0000000000000000000000000025), dec!(1))
            .contains("`--from` must be at least 0.000001")
    );
    assert!(refused(dec!(0.0000009), dec!(1)).contains("at least"));
    assert!(refused(dec!(1), Decimal::MAX).contains("`--to` must be at most 1000000000"));
    assert!(refused(dec!(5), dec!(5)).contains("`--from` must be below `--to`"));
    assert!(refused(dec!(5), dec!(4)).contains("below"));
    // The extreme ends themselves are accepted.
    let widest = breakeven(
        &catalog,
        &scenario,
        "a",
        "b",
        range(MIN_FACTOR, MAX_FACTOR),
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap();
    assert_eq!(
        widest.verdict,
        BreakevenVerdict::CheaperThroughout {
            plan: "a".to_owned()
        }
    );
}

#[test]
fn an_overflow_at_the_top_of_the_range_is_located() {
    // 1e20 requests a month at 1e9x is 1e29 requests, above the decimal maximum of 7.9e28.
    let catalog = fixtures::catalog(&catalog_text());
    let text = "[scenario]\nname = \"t\"\nstart = \"2027-04\"\nmonths = 1\n\
         [[workload]]\nid = \"w\"\nrequests_per_month = \"100000000000000000000\"\ninput_tokens = 0\noutput_tokens = 1\n"
        .to_owned()
        + &plan("a", "m@api", "baseline = true")
        + &plan("b", "m@dear", "");
    let scenario = fixtures::scenario(&catalog, &text);
    let error = breakeven(
        &catalog,
        &scenario,
        "a",
        "b",
        range(dec!(1), MAX_FACTOR),
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap_err();
    // At 1x every figure is in range, so the overflow is the range's: lower `--to`.
    assert!(
        matches!(error, Error::OverflowAtMultiple { to, .. } if to == MAX_FACTOR),
        "{error}"
    );
    assert_eq!(error.exit_code(), crate::error::EXIT_INVALID);
    assert!(error.to_string().contains("scaled"), "{error}");
    let report = error.report();
    assert!(
        report.ends_with(&format!(
            "\nhint: at 1x every figure is in range; scaled towards `--to {}` the volumes \
             leave it: lower `--to`\n",
            MAX_FACTOR.normalize()
        )),
        "{report}"
    );
    let error = solve(
        &catalog,
        &scenario,
        "b",
        dec!(1),
        range(dec!(1), MAX_FACTOR),
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap_err();
    assert!(
        matches!(error, Error::OverflowAtMultiple { to, .. } if to == MAX_FACTOR),
        "{error}"
    );
}

#[test]
fn an_overflow_of_the_scenario_itself_still_points_at_its_volumes() {
    // 7e28 requests a month of 2 output tokens is 1.4e29 tokens at 1x already: the scenario's
    // own overflow, whatever the range, so the hint is to look for a typo, not to lower `--to`.
    let catalog = fixtures::catalog(&catalog_text());
    let text = "[scenario]\nname = \"t\"\nstart = \"2027-04\"\nmonths = 1\n\
         [[workload]]\nid = \"w\"\nrequests_per_month = \"70000000000000000000000000000\"\ninput_tokens = 0\noutput_tokens = 2\n"
        .to_owned()
        + &plan("a", "m@api", "baseline = true")
        + &plan("b", "m@dear", "");
    let scenario = fixtures::scenario(&catalog, &text);
    for error in [
        breakeven(
            &catalog,
            &scenario,
            "a",
            "b",
            range(dec!(1), dec!(10)),
            Over::YEAR_ONE,
            Options::default(),
        )
        .unwrap_err(),
        solve(
            &catalog,
            &scenario,
            "b",
            dec!(1),
            range(dec!(0.5), dec!(10)),
            Over::YEAR_ONE,
            Options::default(),
        )
        .unwrap_err(),
    ] {
        assert!(matches!(error, Error::Overflow { .. }), "{error}");
        assert!(
            error.report().contains("hint: check the volumes"),
            "{error}"
        );
    }
}

#[test]
fn solve_takes_the_direction_of_the_target_into_account() {
    // `cheap` against `dear` saves 518.4 k with no fixed costs: $5 is met from k = 0.00965,
    // below the range's 0.01x, so it is met throughout (the old search said "never").
    let plans = plan("dear", "m@dear", "baseline = true") + &plan("cheap", "m@api", "");
    let (catalog, scenario) = scenario(&plans);
    let r = range(dec!(0.01), dec!(100));
    let answer = solve(
        &catalog,
        &scenario,
        "cheap",
        dec!(5),
        r,
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap();
    assert!(
        matches!(answer.outcome, Outcome::MetThroughout),
        "{:?}",
        answer.outcome
    );
    assert_solution_holds(&catalog, &scenario, &answer);
    for target in [dec!(1000), dec!(1000000), dec!(-1), dec!(518.4)] {
        let answer = solve(
            &catalog,
            &scenario,
            "cheap",
            target,
            r,
            Over::YEAR_ONE,
            Options::default(),
        )
        .unwrap();
        assert_solution_holds(&catalog, &scenario, &answer);
    }
    // Met exactly at 1x: 518.4 = 518.4 k at k = 1.
    let exact = solve(
        &catalog,
        &scenario,
        "cheap",
        dec!(518.4),
        r,
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap();
    assert_eq!(met_from(&exact), Some(dec!(1)));

    // With a baseline of `cheap` plus $300 a month against `dear`, savings are
    // 777.6 k + 300 - 1,296 k = 300 - 518.4 k: they fall with volume. $100 is met up to
    // k = 200 / 518.4 = 0.3858 (the old search called that the volume where it starts).
    let plans = plan(
        "cheap",
        "m@api",
        "baseline = true\nmonthly_fixed_cost = 300",
    ) + &plan("dear", "m@dear", "");
    let (catalog, scenario) = self::scenario(&plans);
    let answer = solve(
        &catalog,
        &scenario,
        "dear",
        dec!(100),
        r,
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap();
    match &answer.outcome {
        Outcome::MetUpTo { at } => assert_eq!(three_figures(at.factor), dec!(0.386)),
        other => panic!("{other:?}"),
    }
    assert_solution_holds(&catalog, &scenario, &answer);
    // $300 or more is never met above 0.01x (300 - 5.184 at 0.01x).
    let answer = solve(
        &catalog,
        &scenario,
        "dear",
        dec!(300),
        r,
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap();
    assert!(
        matches!(answer.outcome, Outcome::NeverMet),
        "{:?}",
        answer.outcome
    );
    assert_solution_holds(&catalog, &scenario, &answer);
}

#[test]
fn solve_lists_every_change_across_replica_steps() {
    // Savings of own GPUs against the API: 777.6 k - 720 x replicas. Breaking even (target 0)
    // between 0.5x and 2.5x: met from 0.926x, short above 1x (second replica), met from 1.85x,
    // short above 2x (third replica).
    let plans = plan("api", "m@api", "baseline = true") + &plan("own", "m@own", "");
    let (catalog, scenario) = scenario(&plans);
    let answer = solve(
        &catalog,
        &scenario,
        "own",
        dec!(0),
        range(dec!(0.5), dec!(2.5)),
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap();
    let changes: Vec<(Decimal, bool, bool)> = answer
        .changes
        .iter()
        .map(|c| (three_figures(c.factor), c.met_above, c.at_a_step))
        .collect();
    assert_eq!(
        changes,
        [
            (dec!(0.926), true, false),
            (dec!(1.00), false, true),
            (dec!(1.85), true, false),
            (dec!(2.00), false, true),
        ]
    );
    assert_eq!(met_from(&answer).map(three_figures), Some(dec!(0.926)));
    assert_solution_holds(&catalog, &scenario, &answer);
}

#[test]
fn solve_with_a_target_near_the_decimal_maximum() {
    let plans = plan("dear", "m@dear", "baseline = true") + &plan("cheap", "m@api", "");
    let (catalog, scenario) = scenario(&plans);
    let r = range(dec!(0.01), dec!(100));
    let never = solve(
        &catalog,
        &scenario,
        "cheap",
        Decimal::MAX,
        r,
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap();
    assert!(matches!(never.outcome, Outcome::NeverMet));
    let always = solve(
        &catalog,
        &scenario,
        "cheap",
        Decimal::MIN,
        r,
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap();
    assert!(matches!(always.outcome, Outcome::MetThroughout));
    // Savings below zero against a target near the maximum: the difference is out of range.
    let plans = plan("cheap", "m@api", "baseline = true") + &plan("dear", "m@dear", "");
    let (catalog, scenario) = self::scenario(&plans);
    let never = solve(
        &catalog,
        &scenario,
        "dear",
        Decimal::MAX,
        r,
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap();
    assert!(matches!(never.outcome, Outcome::NeverMet));
}

mod grid {
    use super::*;

    #[test]
    fn the_grid_depends_only_on_the_ratio_and_is_capped() {
        let default = search::grid(dec!(0.01), dec!(100));
        // 1.02^465 = 9,930 < 10,000 <= 1.02^466: 466 cells of 2%.
        assert_eq!(default.len(), 467);
        assert_eq!(search::grid(dec!(1), dec!(10000)).len(), 467);
        assert_eq!(search::grid(dec!(0.0001), dec!(1)).len(), 467);
        // The widest range, 1e-6 to 1e9, needs 1,745 steps of 2% (1.02^1745 > 1e15): more than
        // 500, so four at a time, 437 cells and 438 points.
        let widest = search::grid(MIN_FACTOR, MAX_FACTOR);
        assert_eq!(widest.len(), 438);
        for grid in [&default, &widest, &search::grid(dec!(1), dec!(1.001))] {
            assert!(grid.windows(2).all(|w| w[0] < w[1]));
        }
        assert_eq!(widest.first(), Some(&MIN_FACTOR));
        assert_eq!(widest.last(), Some(&MAX_FACTOR));
        assert_eq!(search::grid(dec!(1), dec!(1.001)), [dec!(1), dec!(1.001)]);
    }

    fn line(factor: Decimal) -> search::Sample {
        // left = 10 + 2 k, right = 3 k: they meet at k = 10.
        search::Sample {
            factor,
            left: dec!(10) + dec!(2) * factor,
            right: dec!(3) * factor,
            replicas: vec![],
        }
    }

    #[test]
    fn an_affine_crossing_is_solved_from_its_two_ends() {
        let mut evaluations = 0;
        let scan = search::scan(dec!(1), dec!(100), Decimal::ZERO, &mut |k| {
            evaluations += 1;
            Ok(line(k))
        })
        .unwrap();
        assert!(scan.meets_at_from);
        assert_eq!(
            scan.changes,
            [search::Change {
                below: dec!(10),
                above: dec!(10),
                at_a_step: false,
                meets_above: false
            }]
        );
        // The grid (1 to 100: 233 points) and one run at the solved point.
        assert_eq!(evaluations, search::grid(dec!(1), dec!(100)).len() + 1);
    }

    #[test]
    fn steps_are_isolated_and_the_search_is_bounded() {
        // A cost of ceil(1000 k) - 0.5 against a line of 1000 k: the line overtakes it half way
        // along each step of 1/1000 and the next step lifts it above again. Two crossings for
        // each thousandth: far more than the search may take between 1x and 100x.
        let sawtooth = |factor: Decimal| {
            let steps = (factor * dec!(1000)).ceil();
            search::Sample {
                factor,
                left: steps - dec!(0.5),
                right: factor * dec!(1000),
                replicas: vec![u64::try_from(steps).unwrap()],
            }
        };
        let error =
            search::scan(dec!(1), dec!(100), Decimal::ZERO, &mut |k| Ok(sawtooth(k))).unwrap_err();
        assert!(error.to_string().contains("narrow the range"), "{error}");
        assert_eq!(error.exit_code(), crate::error::EXIT_USAGE);
        // Between 1x and 1.01x every crossing is found. At 1x the cost is 999.5 against 1,000;
        // just above, the next step lifts it to 1,000.5: a step up at 1x, then the line meets it
        // at 1.0005x, a step at 1.001x, ..., a step at 1.009x and a meeting at 1.0095x (the step
        // at 1.01x itself is just outside): 20 changes.
        let scan =
            search::scan(dec!(1), dec!(1.01), Decimal::ZERO, &mut |k| Ok(sawtooth(k))).unwrap();
        assert!(!scan.meets_at_from);
        assert_eq!(scan.changes.len(), 20);
        for (i, change) in scan.changes.iter().enumerate() {
            let n = Decimal::from(i / 2) / dec!(1000);
            if i % 2 == 0 {
                assert!(change.at_a_step && change.meets_above, "{change:?}");
                assert_eq!(change.above.round_dp(9), dec!(1) + n);
                assert!(change.above - change.below <= change.below * dec!(0.000000000001));
            } else {
                assert!(!change.at_a_step && !change.meets_above, "{change:?}");
                assert_eq!(change.above, dec!(1.0005) + n);
            }
        }
    }
}

mod properties {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed};

    use super::*;

    /// Two API offers with generated prices, and a scenario with one workload and two plans
    /// with generated fixed and one-time costs.
    fn api_only(
        prices: [(u32, u32); 2],
        requests: u32,
        tokens: (u32, u32),
        growth_pct: u32,
        fixed: [(u32, u32); 2],
    ) -> (Catalog, Scenario) {
        let mut catalog = catalog_text();
        for (i, (input, output)) in prices.iter().enumerate() {
            write_offer(&mut catalog, i, *input, *output);
        }
        let catalog = fixtures::catalog(&catalog);
        let mut text = format!(
            "[scenario]\nname = \"p\"\nstart = \"2027-01\"\nmonths = 18\n\
             [[workload]]\nid = \"w\"\nrequests_per_day = {requests}\ninput_tokens = {}\n\
             output_tokens = {}\ngrowth_per_month = {}\n",
            tokens.0,
            tokens.1,
            Decimal::new(i64::from(growth_pct), 2)
        );
        for (i, (one_time, monthly)) in fixed.iter().enumerate() {
            let baseline = if i == 0 { "baseline = true\n" } else { "" };
            text += &plan(
                &format!("p{i}"),
                &format!("m@gen{i}"),
                &format!("{baseline}one_time_cost = {one_time}\nmonthly_fixed_cost = {monthly}"),
            );
        }
        let scenario = fixtures::scenario(&catalog, &text);
        (catalog, scenario)
    }

    fn write_offer(catalog: &mut String, i: usize, input: u32, output: u32) {
        let provider = format!("gen{i}");
        catalog.push_str(&fixtures::provider(&provider, &format!("G{i}"), "US"));
        catalog.push_str(&fixtures::offer(
            "m",
            &provider,
            "2026-11-20",
            &format!(
                "input = {}\noutput = {}",
                Decimal::new(i64::from(input), 3),
                Decimal::new(i64::from(output), 3)
            ),
        ));
    }

    proptest! {
        #![proptest_config(Config {
            cases: 24,
            rng_seed: RngSeed::Fixed(0x50_17E5),
            failure_persistence: None,
            ..Config::default()
        })]

        /// For two API-only plans: at most one crossing, where the engine run again finds the
        /// two costs equal; the verdict holds across the range; and `solve`'s answer meets the
        /// target where it says and not just short of it.
        #[test]
        fn answers_hold_when_the_engine_runs_again(
            prices in [(0u32..20_000, 0u32..60_000), (0u32..20_000, 0u32..60_000)],
            requests in 1u32..1_000_000,
            tokens in (0u32..20_000, 1u32..4_000),
            growth_pct in 0u32..10,
            fixed in [(0u32..100_000, 0u32..10_000), (0u32..100_000, 0u32..10_000)],
            from_milli in 1u32..5_000,
            ratio in 2u32..60,
            target in -200_000i64..2_000_000,
        ) {
            let (catalog, scenario) = api_only(prices, requests, tokens, growth_pct, fixed);
            let r = range(Decimal::new(i64::from(from_milli), 3), Decimal::new(i64::from(from_milli), 3) * Decimal::from(ratio));
            let answer = breakeven(&catalog, &scenario, "p1", "p0", r, Over::YEAR_ONE, Options::default()).unwrap();
            prop_assert!(answer.crossings.len() <= 1, "{:?}", answer.crossings);
            prop_assert!(answer.crossings.iter().all(|c| !c.at_a_step));
            assert_breakeven_holds(&catalog, &scenario, &answer);
            let solution = solve(&catalog, &scenario, "p1", Decimal::from(target), r, Over::YEAR_ONE, Options::default()).unwrap();
            prop_assert!(solution.changes.len() <= 1);
            assert_solution_holds(&catalog, &scenario, &solution);
        }
    }
}

/// Two API plans over a 24-month horizon, year 1 being its first 12 months: `cheap` costs
/// 777.6 k + 1,036.8 a month and `dear` 1,296 k a month at k times the volume.
fn two_years(extra_cheap: &str) -> (Catalog, Scenario) {
    let catalog = fixtures::catalog(&catalog_text());
    let plans = plan("dear", "m@dear", "baseline = true")
        + &plan("cheap", "m@api", extra_cheap)
        + &plan("own", "m@own", "");
    let text = format!(
        "[scenario]\nname = \"t\"\nstart = \"2027-04\"\nmonths = 24\n\
         [self_hosting]\ntarget_utilization = 1\n\
         [[workload]]\nid = \"w\"\nrequests_per_month = 2592000\ninput_tokens = 0\noutput_tokens = 1000\n{plans}"
    );
    let scenario = fixtures::scenario(&catalog, &text);
    (catalog, scenario)
}

#[test]
fn an_affine_break_even_is_the_exact_crossing() {
    // Year 1: 12 x (777.6 k + 1,036.8) against 12 x 1,296 k, equal where 518.4 k = 1,036.8:
    // k = 2 exactly. Neither plan is self-hosted, so the search follows the line through the
    // engine's costs at 0.01x and 100x, and the engine confirms the point.
    let (catalog, scenario) = two_years("monthly_fixed_cost = 1036.8");
    let answer = breakeven(
        &catalog,
        &scenario,
        "cheap",
        "dear",
        range(dec!(0.01), dec!(100)),
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap();
    assert_eq!(answer.crossings.len(), 1);
    assert_eq!(answer.crossings[0].factor, dec!(2));
    assert!(!answer.crossings[0].at_a_step);
    assert_eq!(answer.crossings[0].cheaper_above, "cheap");
    // At 1x: 12 x (777.6 + 1,036.8) = 21,772.8 against 12 x 1,296 = 15,552: year 1 only.
    assert_eq!(answer.plan_cost_at_1, dec!(21772.8));
    assert_eq!(answer.versus_cost_at_1, dec!(15552));
    // At 2x: 2 x 2,592,000 requests of 1,000 output tokens a month.
    assert_eq!(answer.crossings[0].tokens_per_month, dec!(5184000000));
    assert_breakeven_holds(&catalog, &scenario, &answer);
}

#[test]
fn an_affine_target_is_met_from_the_exact_volume() {
    // Without the fixed cost `cheap` saves 12 x 518.4 k = 6,220.8 k a year against `dear`;
    // $12,441.60 is met from k = 2 exactly.
    let (catalog, scenario) = two_years("");
    let answer = solve(
        &catalog,
        &scenario,
        "cheap",
        dec!(12441.6),
        range(dec!(0.01), dec!(100)),
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap();
    assert_eq!(met_from(&answer), Some(dec!(2)));
    assert_eq!(answer.savings_at_1, dec!(6220.8));
    assert_solution_holds(&catalog, &scenario, &answer);
}

/// `cheap` (`m@api`, 0.3 per 1M output tokens) against the baseline `dear` (`m@dear`, 0.5), on
/// one workload of 1,000,000 requests a month of 1,000 output tokens: 1e9 tokens, so at a
/// factor k `dear` costs 500k a month and `cheap` 300k, 200k less, plus what `cheap_extra` adds
/// to its plan.
fn over_the_years(months: u32, growth: &str, cheap_extra: &str) -> (Catalog, Scenario) {
    let catalog = fixtures::catalog(&catalog_text());
    let text = format!(
        "[scenario]\nname = \"t\"\nstart = \"2027-01\"\nmonths = {months}\n\
         [[workload]]\nid = \"w\"\nrequests_per_month = 1000000\ninput_tokens = 0\noutput_tokens = 1000\n\
         growth_per_month = {growth}\n{}{}",
        plan("dear", "m@dear", "baseline = true"),
        plan("cheap", "m@api", cheap_extra)
    );
    let scenario = fixtures::scenario(&catalog, &text);
    (catalog, scenario)
}

/// The one crossing of a break-even answer.
fn only_crossing(answer: &Breakeven) -> Decimal {
    assert_eq!(answer.crossings.len(), 1, "{answer:?}");
    answer.crossings[0].factor
}

#[test]
fn a_one_time_cost_moves_the_answer_between_years_and_the_horizon() {
    // 18 months, `cheap` with a one-time $6,000 (paid in its first month). Its saving is 200k a
    // month, so over a period of n months `cheap` saves 200k n, less 6,000 if the period holds
    // the first month:
    //  - year 1 (12 months): costs meet where 2,400k = 6,000, k = 2.5;
    //  - year 2 (months 13 to 18, a partial year of 6 months): no one-time cost, `cheap` is
    //    cheaper at every volume;
    //  - the horizon (18 months): 3,600k = 6,000, k = 5/3.
    // A saving of $2,400: year 1, 2,400k - 6,000 = 2,400, k = 3.5; year 2, 1,200k = 2,400, k = 2;
    // the horizon, 3,600k - 6,000 = 2,400, k = 7/3.
    let (catalog, scenario) = over_the_years(18, "0", "one_time_cost = 6000");
    let r = range(dec!(0.01), dec!(100));
    let ask = |over| {
        breakeven(
            &catalog,
            &scenario,
            "cheap",
            "dear",
            r,
            over,
            Options::default(),
        )
    };

    let year_one = ask(Over::YEAR_ONE).unwrap();
    assert_eq!(only_crossing(&year_one), dec!(2.5));
    assert_eq!(year_one.crossings[0].cheaper_above, "cheap");
    // At 1x: `cheap` 12 x 300 + 6,000 = 9,600; `dear` 12 x 500 = 6,000.
    assert_eq!(
        (year_one.plan_cost_at_1, year_one.versus_cost_at_1),
        (dec!(9600), dec!(6000))
    );
    assert_breakeven_holds(&catalog, &scenario, &year_one);

    let year_two = ask(Over::Year(2)).unwrap();
    assert_eq!(
        year_two.period,
        Period {
            kind: PeriodKind::Year,
            year: Some(2),
            start: crate::calendar::YearMonth::new(2028, 1).unwrap(),
            end: crate::calendar::YearMonth::new(2028, 6).unwrap(),
            months: 6,
        }
    );
    assert!(year_two.period.is_partial_year());
    assert_eq!(
        year_two.verdict,
        BreakevenVerdict::CheaperThroughout {
            plan: "cheap".to_owned()
        }
    );
    // At 1x: 6 x 300 = 1,800 against 6 x 500 = 3,000.
    assert_eq!(
        (year_two.plan_cost_at_1, year_two.versus_cost_at_1),
        (dec!(1800), dec!(3000))
    );
    assert_breakeven_holds(&catalog, &scenario, &year_two);

    let horizon = ask(Over::Horizon).unwrap();
    assert_eq!(horizon.period.kind, PeriodKind::Horizon);
    assert_eq!(horizon.period.months, 18);
    // 5/3 has no finite decimal: the answer is the engine-confirmed decimal nearest it.
    let crossing = only_crossing(&horizon);
    assert!(
        (crossing - dec!(5) / dec!(3)).abs() <= dec!(1e-20),
        "{crossing}"
    );
    assert_breakeven_holds(&catalog, &scenario, &horizon);

    let target = |over| {
        solve(
            &catalog,
            &scenario,
            "cheap",
            dec!(2400),
            r,
            over,
            Options::default(),
        )
        .unwrap()
    };
    let year_one = target(Over::YEAR_ONE);
    assert_eq!(met_from(&year_one), Some(dec!(3.5)));
    // At 1x: 2,400 - 6,000.
    assert_eq!(year_one.savings_at_1, dec!(-3600));
    assert_solution_holds(&catalog, &scenario, &year_one);
    let year_two = target(Over::Year(2));
    assert_eq!(met_from(&year_two), Some(dec!(2)));
    assert_eq!(year_two.savings_at_1, dec!(1200));
    // The traffic at the answer is year 2's: 2 x 1,000,000 requests of 1,000 tokens a month.
    match &year_two.outcome {
        Outcome::MetFrom { at } => {
            assert_eq!(at.requests_per_month, dec!(2000000));
            assert_eq!(at.tokens_per_month, dec!(2000000000));
        }
        other => panic!("{other:?}"),
    }
    assert_solution_holds(&catalog, &scenario, &year_two);
    let horizon = target(Over::Horizon);
    let at = met_from(&horizon).unwrap();
    assert!((at - dec!(7) / dec!(3)).abs() <= dec!(1e-20), "{at}");
    assert_solution_holds(&catalog, &scenario, &horizon);
}

#[test]
fn growth_makes_year_two_cross_at_a_lower_volume() {
    // 24 months growing 10% a month; `cheap` pays $200 a month fixed. Month i (from 0) has
    // 1.1^i times the requests, so `cheap` saves 200k x 1.1^i - 200 in it, and over a year
    // whose growth multiples add up to S the costs meet where 200k S = 2,400, k = 12 / S.
    //  - year 1: S1 = 1 + 1.1 + ... + 1.1^11 = (1.1^12 - 1) / 0.1 = 21.384283767210, and
    //    k1 = 12 / 21.38428376721 = 0.56116...;
    //  - year 2: every month 1.1^12 = 3.138428376721 times year 1's, S2 = 3.138428376721 S1,
    //    k2 = k1 / 3.138428376721 = 0.17880...: the volume that pays for the fixed cost in
    //    year 2 is less than a third of year 1's.
    let (catalog, scenario) = over_the_years(24, "0.1", "monthly_fixed_cost = 200");
    let r = range(dec!(0.01), dec!(100));
    let growth_year = dec!(3.138428376721);
    let s1 = (growth_year - Decimal::ONE) / dec!(0.1);
    assert_eq!(s1, dec!(21.38428376721));
    let k1 = dec!(12) / s1;
    let k2 = k1 / growth_year;
    // A growing workload's requests are held to 15 significant digits, so costs are affine in
    // the volume to about that precision, and so is the crossing.
    let close = |found: Decimal, expected: Decimal| {
        assert!(
            (found - expected).abs() <= expected * dec!(1e-13),
            "{found} against {expected}"
        );
    };
    let year_one = breakeven(
        &catalog,
        &scenario,
        "cheap",
        "dear",
        r,
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap();
    close(only_crossing(&year_one), k1);
    assert_eq!(three_figures(only_crossing(&year_one)), dec!(0.561));
    assert_breakeven_holds(&catalog, &scenario, &year_one);
    let year_two = breakeven(
        &catalog,
        &scenario,
        "cheap",
        "dear",
        r,
        Over::Year(2),
        Options::default(),
    )
    .unwrap();
    close(only_crossing(&year_two), k2);
    assert_eq!(three_figures(only_crossing(&year_two)), dec!(0.179));
    assert!(!year_two.period.is_partial_year());
    assert_breakeven_holds(&catalog, &scenario, &year_two);
    // The engine, run on the whole 24 months at the year-2 answer, agrees the costs of year 2
    // meet there, and that year 1 still favours `dear` (cheap is dearer by the fixed cost
    // less the saving on year 1's smaller volume).
    let estimate = estimate_at(
        &catalog,
        &scenario,
        Options::default(),
        only_crossing(&year_two),
    )
    .unwrap();
    let year = |id: &str, n: usize| super::plan(&estimate, id).years[n].cost;
    assert!((year("cheap", 1) - year("dear", 1)).abs() <= year("dear", 1) * PRECISION);
    assert!(year("cheap", 0) > year("dear", 0));

    // Solving for a $0 saving asks the same question from the baseline's side.
    let solution = solve(
        &catalog,
        &scenario,
        "cheap",
        Decimal::ZERO,
        r,
        Over::Year(2),
        Options::default(),
    )
    .unwrap();
    close(met_from(&solution).unwrap(), k2);
    assert_solution_holds(&catalog, &scenario, &solution);
}

#[test]
fn a_year_outside_the_horizon_is_a_usage_error_naming_its_years() {
    let (catalog, scenario) = over_the_years(18, "0", "");
    let r = range(dec!(0.01), dec!(100));
    for year in [0, 3] {
        let error = breakeven(
            &catalog,
            &scenario,
            "cheap",
            "dear",
            r,
            Over::Year(year),
            Options::default(),
        )
        .unwrap_err();
        assert_eq!(error.exit_code(), crate::error::EXIT_USAGE);
        assert_eq!(
            error.to_string(),
            format!(
                "`--year {year}` is not a year of the horizon of `{}`, which has 2 years (18 \
                 months)\nhint: name a year from 1 to 2, or `--horizon` for all of it",
                scenario.path
            )
        );
    }
    // A horizon shorter than a year has one, partial.
    let (catalog, short) = over_the_years(3, "0", "");
    let found = period(&short, Over::YEAR_ONE).unwrap();
    assert_eq!((found.months, found.is_partial_year()), (3, true));
    assert!(
        solve(
            &catalog,
            &short,
            "cheap",
            dec!(1),
            r,
            Over::Year(2),
            Options::default()
        )
        .is_err()
    );
    let horizon = period(&short, Over::Horizon).unwrap();
    assert!(!horizon.is_partial_year());
    assert_eq!(
        horizon.end,
        crate::calendar::YearMonth::new(2027, 3).unwrap()
    );
}

#[test]
fn self_hosted_steps_of_year_two_are_found_in_year_two() {
    // Own GPUs ($1 an hour a replica, 1,000 output tokens a second at full use) against the API
    // over 24 months growing 5% a month: year 2 carries 1.05^12 = 1.8 times year 1's traffic,
    // so its replica steps fall at lower volumes than year 1's. Each answer is checked by the
    // engine on the whole horizon: the costs meet at every crossing that is not a step, and
    // the plan named cheaper is never the dearer at about 40 probes.
    let catalog = fixtures::catalog(&catalog_text());
    let text = format!(
        "[scenario]\nname = \"t\"\nstart = \"2027-01\"\nmonths = 24\n\
         [self_hosting]\ntarget_utilization = 1\n\
         [[workload]]\nid = \"w\"\nrequests_per_month = 2592000\ninput_tokens = 0\noutput_tokens = 1000\n\
         growth_per_month = 0.05\n{}{}",
        plan("api", "m@api", "baseline = true"),
        plan("own", "m@own", "")
    );
    let scenario = fixtures::scenario(&catalog, &text);
    let r = range(dec!(0.2), dec!(3));
    let year_one = breakeven(
        &catalog,
        &scenario,
        "own",
        "api",
        r,
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap();
    assert_breakeven_holds(&catalog, &scenario, &year_one);
    let year_two = breakeven(
        &catalog,
        &scenario,
        "own",
        "api",
        r,
        Over::Year(2),
        Options::default(),
    )
    .unwrap();
    assert_breakeven_holds(&catalog, &scenario, &year_two);
    assert!(!year_two.crossings.is_empty());
    assert_ne!(
        year_one.crossings.first().map(|c| c.factor),
        year_two.crossings.first().map(|c| c.factor)
    );
    let horizon = breakeven(
        &catalog,
        &scenario,
        "own",
        "api",
        r,
        Over::Horizon,
        Options::default(),
    )
    .unwrap();
    assert_breakeven_holds(&catalog, &scenario, &horizon);
}

#[test]
fn each_run_of_the_engine_is_told_to_the_progress_observer() {
    let plans = plan("dear", "m@dear", "baseline = true") + &plan("cheap", "m@api", "");
    let (catalog, scenario) = scenario(&plans);
    let range = Range {
        from: dec!(0.01),
        to: dec!(100),
    };
    let recorder = crate::progress::tests::Recorder::default();
    let observed = solve_observed(
        &catalog,
        &scenario,
        "cheap",
        dec!(1000),
        range,
        Over::YEAR_ONE,
        Options::default(),
        &recorder,
    )
    .unwrap();
    // The same answer as without an observer, and every sample told.
    let silent = solve(
        &catalog,
        &scenario,
        "cheap",
        dec!(1000),
        range,
        Over::YEAR_ONE,
        Options::default(),
    )
    .unwrap();
    assert_eq!(met_from(&observed), met_from(&silent));
    assert_eq!(
        *recorder.started.borrow(),
        [("estimates run".to_owned(), None)]
    );
    // At least the two ends of the range and 1x are sampled.
    assert!(*recorder.steps.borrow() >= 3, "{}", recorder.steps.borrow());
    assert_eq!(*recorder.finished.borrow(), 1);
    let recorder = crate::progress::tests::Recorder::default();
    breakeven_observed(
        &catalog,
        &scenario,
        "cheap",
        "dear",
        range,
        Over::YEAR_ONE,
        Options::default(),
        &recorder,
    )
    .unwrap();
    assert!(*recorder.steps.borrow() >= 3);
    assert_eq!(*recorder.finished.borrow(), 1);
    // A question refused is finished too, so that nothing is left on the screen.
    let recorder = crate::progress::tests::Recorder::default();
    let refused = breakeven_observed(
        &catalog,
        &scenario,
        "cheap",
        "cheap",
        range,
        Over::YEAR_ONE,
        Options::default(),
        &recorder,
    );
    assert!(refused.is_err());
    assert_eq!(*recorder.finished.borrow(), 1);
}
