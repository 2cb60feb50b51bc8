//! One test per rule, on the catalog of `tests/fixtures/exposure-pricing.toml`, and the cost of
//! the policy worked by hand on `tests/fixtures/exposure.toml`.

use std::fmt::Write as _;

use rust_decimal_macros::dec;

use super::Rule;
use crate::fixtures::{EXPOSURE_SCENARIO as SCENARIO, exposure_estimate as estimate_of};

/// One workload `chat` (1,000 requests a month of 1,000 input tokens; a month costs the offer's
/// price) over `months` from 2027-01, a `[policy]`, and one plan routing `routes` (`offer` or
/// `offer:share` pairs).
fn scenario(months: u32, policy: &str, routes: &[&str]) -> String {
    let mut text = format!(
        "[scenario]\nname = \"t\"\nstart = \"2027-01\"\nmonths = {months}\n\n\
         [[workload]]\nid = \"chat\"\nrequests_per_month = 1000\ninput_tokens = 1000\noutput_tokens = 0\n\n\
         [policy]\n{policy}\n\n[[plan]]\nid = \"p\"\nbaseline = true\n"
    );
    for route in routes {
        let (offer, share) = route.split_once(':').unwrap_or((route, "1"));
        let _ = writeln!(
            text,
            "[[plan.route]]\nworkload = \"chat\"\noffer = \"{offer}\"\nshare = {share}"
        );
    }
    text
}

/// The rules a one-plan scenario breaks, with the offer each names.
fn broken(months: u32, policy: &str, routes: &[&str]) -> Vec<(Rule, Option<String>)> {
    let estimate = estimate_of(&scenario(months, policy, routes));
    let check = estimate.plans[0]
        .policy
        .as_ref()
        .expect("a policy is given");
    assert_eq!(check.compliant, check.violations.is_empty());
    check
        .violations
        .iter()
        .map(|v| (v.rule, v.offer.clone()))
        .collect()
}

#[test]
fn allowed_provider_countries_expand_region_names() {
    let eu = "allowed_provider_countries = [\"EU\"]";
    // usa is in the US, outside the EU.
    assert_eq!(
        broken(12, eu, &["open-a@usa"]),
        vec![(
            Rule::AllowedProviderCountries,
            Some("open-a@usa".to_owned())
        )]
    );
    // The deployment's GPUs are rented from `gpus` in NL, an EU member state.
    assert_eq!(broken(12, eu, &["open-a@self"]), vec![]);
    assert_eq!(
        broken(12, "allowed_provider_countries = [\"US\"]", &["open-a@usa"]),
        vec![]
    );
}

#[test]
fn blocked_provider_countries_catch_the_processing_country_not_the_origin() {
    let policy = "blocked_provider_countries = [\"CN\"]";
    assert_eq!(
        broken(12, policy, &["open-a@cna"]),
        vec![(
            Rule::BlockedProviderCountries,
            Some("open-a@cna".to_owned())
        )]
    );
    // The same Chinese-made weights at a US host are processed in the US.
    assert_eq!(broken(12, policy, &["open-a@usa"]), vec![]);
    // A region blocks its members: NL is in the EEA.
    assert_eq!(
        broken(
            12,
            "blocked_provider_countries = [\"EEA\"]",
            &["open-a@self"]
        ),
        vec![(
            Rule::BlockedProviderCountries,
            Some("open-a@self".to_owned())
        )]
    );
}

#[test]
fn blocked_origins_catch_the_model_makers_country_at_any_host() {
    let policy = "blocked_origins = [\"CN\"]";
    assert_eq!(
        broken(12, policy, &["open-a@usa"]),
        vec![(Rule::BlockedOrigins, Some("open-a@usa".to_owned()))]
    );
    assert_eq!(broken(12, policy, &["closed-b@usa"]), vec![]);
}

#[test]
fn open_weights_required_for_all_or_named_workloads() {
    assert_eq!(
        broken(12, "open_weights_required = true", &["closed-b@usa"]),
        vec![(Rule::OpenWeightsRequired, Some("closed-b@usa".to_owned()))]
    );
    assert_eq!(
        broken(12, "open_weights_required = true", &["open-a@usa"]),
        vec![]
    );
    assert_eq!(
        broken(
            12,
            "open_weights_required_for = [\"chat\"]",
            &["closed-b@usa:0.5", "open-a@usa:0.5"]
        ),
        vec![(Rule::OpenWeightsRequired, Some("closed-b@usa".to_owned()))]
    );
    assert_eq!(
        broken(12, "open_weights_required = false", &["closed-b@usa"]),
        vec![]
    );
}

#[test]
fn max_provider_share_caps_each_providers_share_of_token_charges() {
    // closed-b@usa 0.5 x 3 = 1.5 a month, open-a@cna 0.5 x 1 = 0.5: usa takes 75%.
    let routes = ["closed-b@usa:0.5", "open-a@cna:0.5"];
    let estimate = estimate_of(&scenario(12, "max_provider_share = 0.6", &routes));
    let violations = &estimate.plans[0].policy.as_ref().unwrap().violations;
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].rule, Rule::MaxProviderShare);
    assert_eq!(violations[0].offer, None);
    assert_eq!(
        violations[0].detail,
        "`usa` takes 75.0% of the plan's token charges, above the cap of 60.0%"
    );
    // A cap of exactly 75% is met.
    assert_eq!(broken(12, "max_provider_share = 0.75", &routes), vec![]);
}

#[test]
fn no_retired_offers_looks_at_the_horizon() {
    // old@usb is retired on 2027-06-30: inside a year from 2027-01, after three months.
    assert_eq!(
        broken(12, "no_retired_offers = true", &["old@usb"]),
        vec![(Rule::NoRetiredOffers, Some("old@usb".to_owned()))]
    );
    assert_eq!(broken(3, "no_retired_offers = true", &["old@usb"]), vec![]);
    assert_eq!(
        broken(12, "no_retired_offers = false", &["old@usb"]),
        vec![]
    );
}

#[test]
fn the_policy_costs_the_cheapest_compliant_plan_minus_the_cheapest() {
    // `cn-only` costs 12 and breaks the policy; `spread` costs 21 and complies: 9 in year 1.
    let estimate = estimate_of(SCENARIO);
    let cost = estimate.policy_cost.as_ref().unwrap();
    assert_eq!(cost.cheapest, "cn-only");
    assert_eq!(cost.cheapest_compliant.as_deref(), Some("spread"));
    assert_eq!(cost.difference, Some(dec!(9)));
    assert_eq!(cost.difference_by_year.len(), 1);
    let year = &cost.difference_by_year[0];
    assert_eq!(
        (
            year.cheapest_cost,
            year.cheapest_compliant_cost,
            year.difference
        ),
        (dec!(12), dec!(21), dec!(9))
    );
}

#[test]
fn without_a_compliant_plan_the_cost_is_unknown() {
    let estimate = estimate_of(&scenario(
        12,
        "blocked_provider_countries = [\"US\"]",
        &["open-a@usa"],
    ));
    let cost = estimate.policy_cost.as_ref().unwrap();
    assert_eq!(cost.cheapest, "p");
    assert_eq!(cost.cheapest_compliant, None);
    assert_eq!(cost.difference, None);
    assert!(cost.difference_by_year.is_empty());
}

#[test]
fn without_a_policy_nothing_is_judged() {
    let estimate = estimate_of(&scenario(12, "", &["open-a@usa"]).replace("[policy]\n", ""));
    assert!(estimate.plans[0].policy.is_none());
    assert!(estimate.policy_cost.is_none());
}

#[test]
fn every_region_lists_distinct_two_letter_codes_and_the_eea_contains_the_eu() {
    for (name, countries) in super::REGIONS {
        let unique: std::collections::BTreeSet<_> = countries.iter().collect();
        assert_eq!(unique.len(), countries.len(), "{name}");
        assert!(countries.iter().all(|c| c.len() == 2), "{name}");
    }
    let eu = super::region("EU").unwrap();
    let eea = super::region("EEA").unwrap();
    assert_eq!((eu.len(), eea.len()), (27, 30));
    assert!(eu.iter().all(|c| eea.contains(c)));
}
