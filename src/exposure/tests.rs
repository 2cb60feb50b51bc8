//! Exposure worked by hand on `tests/fixtures/exposure.toml` and its catalog, where a month of
//! the one workload costs exactly the offer's price per 1M tokens (1,000 requests of 1,000 input
//! tokens), and the year twelve times that.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::estimate::{Estimate, PlanEstimate};
use crate::fixtures::{EXPOSURE_SCENARIO as SCENARIO, exposure_estimate as estimate_of};

fn plan<'a>(estimate: &'a Estimate, id: &str) -> &'a PlanEstimate {
    estimate.plans.iter().find(|p| p.id == id).unwrap()
}

fn ids_costs_shares(slices: &[super::Slice]) -> Vec<(&str, Decimal, Option<Decimal>)> {
    slices
        .iter()
        .map(|s| (s.id.as_str(), s.cost, s.share))
        .collect()
}

#[test]
fn two_providers_at_75_and_25_percent_give_an_hhi_of_6250() {
    // `split`: closed-b@usa takes half the requests at 3 per 1M: 0.5 x 12 x 3 = 18; open-a@cna
    // the other half at 1: 0.5 x 12 x 1 = 6. Spend 24, so usa 18/24 = 0.75 and cna 0.25.
    // HHI = 75^2 + 25^2 = 5,625 + 625 = 6,250.
    let estimate = estimate_of(SCENARIO);
    let exposure = &plan(&estimate, "split").exposure;
    assert_eq!(
        ids_costs_shares(&exposure.by_provider),
        vec![
            ("usa", dec!(18), Some(dec!(0.75))),
            ("cna", dec!(6), Some(dec!(0.25)))
        ]
    );
    assert_eq!(exposure.hhi, Some(dec!(6250)));
    assert_eq!(exposure.largest_provider_share, Some(dec!(0.75)));
    // usa is in the US, cna in CN; closed-b is made in the US, open-a in CN.
    assert_eq!(
        ids_costs_shares(&exposure.by_provider_country),
        vec![
            ("US", dec!(18), Some(dec!(0.75))),
            ("CN", dec!(6), Some(dec!(0.25)))
        ]
    );
    assert_eq!(
        ids_costs_shares(&exposure.by_origin),
        vec![
            ("US", dec!(18), Some(dec!(0.75))),
            ("CN", dec!(6), Some(dec!(0.25)))
        ]
    );
    assert_eq!(
        ids_costs_shares(&exposure.by_weights),
        vec![
            ("closed", dec!(18), Some(dec!(0.75))),
            ("open", dec!(6), Some(dec!(0.25)))
        ]
    );
    // Only the open-a route (6 of 24) has other hosts: portable 0.25. closed-b has none.
    assert_eq!(exposure.portable_share, Some(dec!(0.25)));
    assert!(!exposure.routes[0].portable);
    assert!(exposure.routes[0].other_hosts.is_empty());
}

#[test]
fn each_route_names_the_cheapest_other_host_and_what_its_requests_would_cost_there() {
    let estimate = estimate_of(SCENARIO);
    let route = &plan(&estimate, "split").exposure.routes[1];
    assert_eq!(route.offer, "open-a@cna");
    // Every other host of open-a: three offers and the self-hosted deployment, by id.
    assert_eq!(
        route.other_hosts,
        vec!["open-a@eub", "open-a@self", "open-a@usa", "open-a@usb"]
    );
    // open-a@usa at 1.5: 6,000 requests x 1,000 tokens x 1.5 / 1M = 9, 3 more than the 6 paid.
    let cheapest = route.cheapest_other_host.as_ref().unwrap();
    assert_eq!(cheapest.offer, "open-a@usa");
    assert_eq!(cheapest.cost, dec!(9));
    assert_eq!(cheapest.difference, dec!(3));
    // open-a@eub is priced in EUR, and the scenario has no EUR rate: named, not compared.
    assert_eq!(route.unpriced.len(), 1);
    assert_eq!(route.unpriced[0].offer, "open-a@eub");
    assert_eq!(route.unpriced[0].currency, "EUR");
    // From `spread`, open-a@cna is cheaper than open-a@usb's 12: 6 - 12 = -6.
    let spread = &plan(&estimate, "spread").exposure.routes[1];
    assert_eq!(spread.offer, "open-a@usb");
    let cheapest = spread.cheapest_other_host.as_ref().unwrap();
    assert_eq!(
        (cheapest.offer.as_str(), cheapest.difference),
        ("open-a@cna", dec!(-6))
    );
}

#[test]
fn shares_of_a_three_way_split_keep_full_precision() {
    // `spread`: usa 9 and usb 12 of 21. usb 12/21 = 4/7, usa 3/7; HHI = (400/7)^2 + (300/7)^2
    // = 250,000 / 49 = 5,102.04...
    let estimate = estimate_of(SCENARIO);
    let exposure = &plan(&estimate, "spread").exposure;
    assert_eq!(exposure.by_provider[0].id, "usb");
    assert_eq!(exposure.by_provider[0].share, Some(dec!(12) / dec!(21)));
    let hhi = exposure.hhi.unwrap();
    assert!(
        (hhi - dec!(250000) / dec!(49)).abs() < dec!(0.000000000001),
        "{hhi}"
    );
    assert_eq!(exposure.portable_share, Some(Decimal::ONE));
}

#[test]
fn a_self_hosted_route_counts_under_its_gpu_vendor_and_country() {
    let scenario = "[scenario]\nname = \"t\"\nstart = \"2027-01\"\nmonths = 1\n\n\
        [[workload]]\nid = \"chat\"\nrequests_per_month = 1000\ninput_tokens = 1000\noutput_tokens = 0\n\n\
        [[plan]]\nid = \"own\"\nbaseline = true\n[[plan.route]]\nworkload = \"chat\"\noffer = \"open-a@self\"\n";
    let estimate = estimate_of(scenario);
    let exposure = &estimate.plans[0].exposure;
    // One replica of one GPU at 0.01 an hour for January's 744 hours: 7.44, all at `gpus` (NL).
    assert_eq!(
        ids_costs_shares(&exposure.by_provider),
        vec![("gpus", dec!(7.44), Some(Decimal::ONE))]
    );
    assert_eq!(exposure.by_provider_country[0].id, "NL");
    assert_eq!(exposure.by_origin[0].id, "CN");
    assert_eq!(exposure.hhi, Some(dec!(10000)));
    // Every API offer of open-a is another host; the cheapest, open-a@cna, costs 1 for the month.
    let route = &exposure.routes[0];
    assert!(route.portable);
    let cheapest = route.cheapest_other_host.as_ref().unwrap();
    assert_eq!(
        (cheapest.offer.as_str(), cheapest.cost),
        ("open-a@cna", dec!(1))
    );
    assert_eq!(cheapest.difference, dec!(1) - dec!(7.44));
}

#[test]
fn a_plan_that_spends_nothing_has_no_shares() {
    let scenario = "[scenario]\nname = \"t\"\nstart = \"2027-01\"\nmonths = 1\n\n\
        [[workload]]\nid = \"chat\"\nrequests_per_month = 0\ninput_tokens = 1000\noutput_tokens = 0\n\n\
        [[plan]]\nid = \"idle\"\nbaseline = true\nmonthly_fixed_cost = 100\n\
        [[plan.route]]\nworkload = \"chat\"\noffer = \"open-a@cna\"\n";
    let estimate = estimate_of(scenario);
    let plan = &estimate.plans[0];
    // The fixed cost is not a provider's: spend on tokens is zero, so no share is defined.
    assert_eq!(plan.total_cost, dec!(100));
    let exposure = &plan.exposure;
    assert_eq!(
        ids_costs_shares(&exposure.by_provider),
        vec![("cna", Decimal::ZERO, None)]
    );
    assert_eq!(exposure.hhi, None);
    assert_eq!(exposure.largest_provider_share, None);
    assert_eq!(exposure.portable_share, None);
}
