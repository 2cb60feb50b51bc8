//! `cheapest` checked against the engine itself: each choice's cost is what the engine charges
//! for the workload at that offer, and every offer the engine finds cheaper was ruled out, with
//! a reason, rather than overlooked.

use std::path::Path;

use rust_decimal::Decimal;

use super::*;
use crate::money::Share;
use crate::scenario::unpriced;

/// The engine's cost over the horizon of one workload sent whole to one offer.
fn alone(catalog: &Catalog, scenario: &Scenario, workload: usize, offer: &str) -> Decimal {
    let mut alone = scenario.clone();
    alone.plans = vec![Plan {
        id: "alone".to_owned(),
        name: "alone".to_owned(),
        description: None,
        baseline: true,
        one_time_cost: Decimal::ZERO,
        monthly_fixed_cost: Decimal::ZERO,
        routes: vec![Route {
            workload,
            offer: offer.to_owned(),
            share: Share::ONE,
            fallback: Vec::new(),
            from: None,
            until: None,
        }],
    }];
    engine::estimate(catalog, &alone, &engine::Options::default())
        .unwrap()
        .plans[0]
        .total_cost
}

/// Equal but for the 28th significant digit: the engine adds month by month, `cheapest` multiplies
/// the average request by the horizon's requests, and a decimal may round the last digit of each.
fn same(a: Decimal, b: Decimal) -> bool {
    (a - b).abs() <= a.abs().max(b.abs()).max(Decimal::ONE) * Decimal::new(1, 20)
}

#[test]
fn every_choice_is_the_engines_cheapest_or_the_cheaper_ones_are_ruled_out() {
    let catalog = Catalog::builtin().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["qwen-400k.toml", "eu-fintech.toml", "startup-small.toml"] {
        let scenario = Scenario::load(&root.join("scenarios").join(name), &catalog).unwrap();
        let answer = cheapest(&catalog, &scenario, &engine::Options::default()).unwrap();
        for (index, (workload, judged)) in
            scenario.workloads.iter().zip(&answer.workloads).enumerate()
        {
            let choice = judged
                .choice
                .as_ref()
                .expect("every bundled workload has one");
            let engine_cost = alone(&catalog, &scenario, index, &choice.offer);
            assert!(
                same(engine_cost, choice.cost),
                "{name}: `{}` at `{}`: engine {engine_cost}, cheapest {}",
                workload.id,
                choice.offer,
                choice.cost
            );
            for ruled_out in &judged.ruled_out {
                if let (Some(cost), Some(_)) =
                    (ruled_out.cost, catalog.offers.get(&ruled_out.offer))
                {
                    assert!(same(
                        alone(&catalog, &scenario, index, &ruled_out.offer),
                        cost
                    ));
                    assert!(!ruled_out.reasons.is_empty(), "{}", ruled_out.offer);
                }
            }
            // Every offer the engine can price for this workload and finds cheaper than the
            // choice is listed as ruled out, with its reason (among the workload's candidates,
            // where it names some).
            let considered = |offer: &str| {
                workload.candidates.is_empty() || workload.candidates.iter().any(|c| c == offer)
            };
            for offer in catalog.offers().filter(|o| considered(&o.id)) {
                let priceable = (offer.currency == scenario.currency
                    || scenario.rates.contains_key(&offer.currency))
                    && unpriced(offer, workload).is_none();
                if !priceable || offer.id == choice.offer {
                    continue;
                }
                let cost = alone(&catalog, &scenario, index, &offer.id);
                if cost < choice.cost && !same(cost, choice.cost) {
                    assert!(
                        judged.ruled_out.iter().any(|r| r.offer == offer.id),
                        "{name}: `{}` is cheaper than `{}` for `{}` but not ruled out",
                        offer.id,
                        choice.offer,
                        workload.id
                    );
                }
            }
        }
    }
}

/// One step per workload judged, told to the progress, which is then finished: three for
/// `qwen-400k` (support, extraction, coding).
#[test]
fn cheapest_tells_its_progress_of_every_workload() {
    let catalog = Catalog::builtin().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scenario = Scenario::load(&root.join("scenarios/qwen-400k.toml"), &catalog).unwrap();
    let recorder = crate::progress::tests::Recorder::default();
    let answer =
        cheapest_observed(&catalog, &scenario, &engine::Options::default(), &recorder).unwrap();
    assert_eq!(answer.workloads.len(), 3);
    assert_eq!(
        *recorder.started.borrow(),
        vec![("workloads".to_owned(), Some(3))]
    );
    assert_eq!(*recorder.steps.borrow(), 3);
    assert_eq!(*recorder.finished.borrow(), 1);
}
