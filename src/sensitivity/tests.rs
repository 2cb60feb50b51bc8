//! Sensitivity on `tests/fixtures/sensitivity.toml`, where every swing is worked out by hand.
//!
//! A month: 100M input tokens, a share h read from the cache. The closed plan costs
//! 100 x (10 (1 - h) + 1 h) = 100 (10 - 9h) dollars, the open one 1.5 x 100 x (2 (1 - h) + 0.5 h)
//! = 100 (3 - 2.25h). At h = 0.2: $820 and $255, saving $565 a month; over 24 months less the
//! one-time $6,000: $7,560, and $780 in year 1.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::*;
use crate::fixtures;

const CATALOG: &str = include_str!("../../tests/fixtures/sensitivity-pricing.toml");
const SCENARIO: &str = include_str!("../../tests/fixtures/sensitivity.toml");

fn setup() -> (Catalog, Scenario) {
    let catalog = fixtures::catalog(CATALOG);
    let scenario = fixtures::scenario(&catalog, SCENARIO);
    (catalog, scenario)
}

fn swing<'a>(result: &'a Sensitivity, assumption: &Assumption) -> &'a Swing {
    result.plans[0]
        .assumptions
        .iter()
        .find(|s| s.assumption == *assumption)
        .unwrap()
}

fn prices(provider: &str) -> Assumption {
    Assumption::Prices {
        provider: provider.to_owned(),
    }
}

#[test]
fn each_swing_is_the_hand_worked_one_and_they_are_ranked() {
    let (catalog, scenario) = setup();
    let result = sensitivity(&catalog, &scenario, &Options::default()).unwrap();
    assert_eq!(result.plans.len(), 1);
    let open = &result.plans[0];
    assert_eq!(
        (open.savings, open.year_one_savings),
        (dec!(7560), dec!(780))
    );
    // (assumption, savings at low, at high, year 1 at low, at high), each 24 or 12 months of the
    // monthly saving less $6,000:
    let expected = [
        // Volume x0.7 / x1.3: 565 x 0.7 = 395.5 and 565 x 1.3 = 734.5 a month.
        (
            Assumption::Volume,
            dec!(3492),
            dec!(11628),
            dec!(-1254),
            dec!(2814),
        ),
        // closedco x0.8 / x1.2: 820 x 0.8 = 656 and 984 against 255: 401 and 729 a month.
        (
            prices("closedco"),
            dec!(3624),
            dec!(11496),
            dec!(-1188),
            dec!(2748),
        ),
        // h = 0.1 / 0.3: 910 - 277.5 = 632.5 and 730 - 232.5 = 497.5 a month.
        (
            Assumption::CacheHitShare,
            dec!(9180),
            dec!(5940),
            dec!(1590),
            dec!(-30),
        ),
        // openhost x0.8 / x1.2: 820 against 204 and 306: 616 and 514 a month.
        (
            prices("openhost"),
            dec!(8784),
            dec!(6336),
            dec!(1392),
            dec!(168),
        ),
        // EUR at 1.35 / 1.65 USD: 820 against 229.5 and 280.5: 590.5 and 539.5 a month.
        (
            Assumption::ExchangeRate {
                currency: "EUR".to_owned(),
            },
            dec!(8172),
            dec!(6948),
            dec!(1086),
            dec!(474),
        ),
    ];
    let ranked: Vec<&Assumption> = open.assumptions.iter().map(|s| &s.assumption).collect();
    let order: Vec<&Assumption> = expected.iter().map(|e| &e.0).collect();
    // Swings 8,136, 7,872, 3,240, 2,448 and 1,224; no growth, so no growth row.
    assert_eq!(ranked, order);
    for (assumption, low, high, year_low, year_high) in &expected {
        let s = swing(&result, assumption);
        assert_eq!(
            (
                s.savings_low,
                s.savings_high,
                s.year_one_low,
                s.year_one_high
            ),
            (*low, *high, *year_low, *year_high),
            "{assumption:?}"
        );
        assert_eq!(s.swing, (*high - *low).abs());
    }
}

/// The tipping points by hand, where 24 x monthly saving = 6,000, a monthly saving of 250:
/// volume 565 f = 250, f = 0.4424...; closedco 820 f - 255 = 250, f = 505/820 = 0.6158...;
/// openhost 820 - 255 f = 250, f = 570/255 = 2.2352...; the same for the rate of EUR; cache
/// 100 (7 - 6.75 h) = 250, h = 2/3, a shift of 2/3 - 0.2 = 0.4666....
#[test]
fn tipping_points_are_the_hand_worked_ones() {
    let (catalog, scenario) = setup();
    let result = sensitivity(&catalog, &scenario, &Options::default()).unwrap();
    let close = |assumption: &Assumption, expected: Decimal| {
        let point = swing(&result, assumption).tipping_point.unwrap();
        assert!(
            (point - expected).abs() < dec!(0.000000001),
            "{assumption:?}: {point} against {expected}"
        );
    };
    close(&Assumption::Volume, dec!(250) / dec!(565));
    close(&prices("closedco"), dec!(505) / dec!(820));
    close(&prices("openhost"), dec!(570) / dec!(255));
    close(
        &Assumption::ExchangeRate {
            currency: "EUR".to_owned(),
        },
        dec!(570) / dec!(255),
    );
    close(&Assumption::CacheHitShare, dec!(2) / dec!(3) - dec!(0.2));
}

/// Re-running the engine at each tipping point: the savings are zero there, still positive a
/// hair's breadth towards the base and negative a hair's breadth beyond.
#[test]
fn the_savings_change_sign_at_each_tipping_point() {
    let (catalog, scenario) = setup();
    let options = Options::default();
    let result = sensitivity(&catalog, &scenario, &options).unwrap();
    for s in &result.plans[0].assumptions {
        let point = s.tipping_point.unwrap();
        let base = if s.assumption.is_multiple() {
            Decimal::ONE
        } else {
            Decimal::ZERO
        };
        let hair = dec!(0.000001);
        let (towards_base, away) = if base > point {
            (point + hair, point - hair)
        } else {
            (point - hair, point + hair)
        };
        let at = |value| {
            let estimate =
                estimate_with(&catalog, &scenario, &options, &s.assumption, value).unwrap();
            savings(&estimate, "open").unwrap().0
        };
        assert!(
            at(point).abs() < dec!(0.00001),
            "{:?} at {point}",
            s.assumption
        );
        assert!(at(towards_base) > Decimal::ZERO, "{:?}", s.assumption);
        assert!(at(away) < Decimal::ZERO, "{:?}", s.assumption);
    }
}

#[test]
fn ranges_come_from_the_scenario_and_default_otherwise() {
    let catalog = fixtures::catalog(CATALOG);
    let text = format!("{SCENARIO}\n[ranges]\nvolume = 0.5\ncache_hit_share = 0\n");
    let scenario = fixtures::scenario(&catalog, &text);
    let result = sensitivity(&catalog, &scenario, &Options::default()).unwrap();
    assert_eq!(result.ranges.volume, dec!(0.5));
    assert_eq!(result.ranges.prices, dec!(0.2));
    // Volume x0.5 / x1.5: 24 x 282.5 - 6,000 = 780 and 24 x 847.5 - 6,000 = 14,340.
    let volume = swing(&result, &Assumption::Volume);
    assert_eq!(
        (volume.savings_low, volume.savings_high),
        (dec!(780), dec!(14340))
    );
    // No movement, no swing: ranked last.
    let last = result.plans[0].assumptions.last().unwrap();
    assert_eq!(last.assumption, Assumption::CacheHitShare);
    assert_eq!(last.swing, Decimal::ZERO);
}

#[test]
fn a_range_out_of_bounds_is_a_located_error() {
    let catalog = fixtures::catalog(CATALOG);
    let text = format!("{SCENARIO}\n[ranges]\nvolume = 1\nprices = -0.1\ngrowth = 1\n");
    let problems = fixtures::problems(Scenario::parse(
        &crate::error::SourceFile::new("s.toml", &text),
        &catalog,
    ));
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].contains("`ranges.volume` must be at least 0 and below 1 (found 1)"));
    assert!(problems[1].contains("`ranges.prices` must be at least 0 and below 1 (found -0.1)"));
}

#[test]
fn progress_counts_both_ends_and_a_tipping_point_per_assumption() {
    let (catalog, scenario) = setup();
    let recorder = crate::progress::tests::Recorder::default();
    let result = sensitivity_observed(&catalog, &scenario, &Options::default(), &recorder).unwrap();
    // One plan besides the baseline: each assumption is estimated at two ends and searched once
    // for its tipping point, three steps each, and all of them are told.
    let steps = u64::try_from(result.plans[0].assumptions.len() * 3).unwrap();
    assert_eq!(
        *recorder.started.borrow(),
        [("assumptions".to_owned(), Some(steps))]
    );
    assert_eq!(*recorder.steps.borrow(), steps);
    assert_eq!(*recorder.finished.borrow(), 1);
}
