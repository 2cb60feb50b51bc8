//! Hand-worked estimates over calendar months: growth, leap years, routing shares, payback,
//! exchange rates and exactness. Each expected figure is worked out in the comment above it.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::*;
use crate::error::SourceFile;
use crate::estimate::Estimate;
use crate::fixtures;
use crate::pricing::Weights;

/// Two offers: `cheap@p` at 0.1 / 0.1 and `dear@p` at 2.50 / 2.50, and `yuan@p` priced in CNY.
fn catalog_text() -> String {
    [
        fixtures::PROVIDER_P.to_owned(),
        fixtures::model("cheap", "Cheap", Weights::Open, "US", 2_000_000),
        fixtures::model("dear", "Dear", Weights::Closed, "US", 2_000_000),
        fixtures::model("yuan", "Yuan", Weights::Open, "CN", 2_000_000),
        fixtures::offer("cheap", "p", "2026-11-20", "input = 0.1\noutput = 0.1"),
        fixtures::offer(
            "dear",
            "p",
            "2026-01-01",
            "deprecated = 2027-06-30\ninput = 2.50\noutput = 2.50",
        ),
        fixtures::offer(
            "yuan",
            "p",
            "2026-11-20",
            "currency = \"CNY\"\ninput = 1\noutput = 1",
        ),
    ]
    .concat()
}

fn estimate_of(scenario: &str) -> Estimate {
    fixtures::estimate(&catalog_text(), scenario)
}

/// A one-workload scenario: `plans` routes workload `w`.
fn scenario(start: &str, months: u32, workload: &str, plans: &str) -> String {
    format!(
        "[scenario]\nname = \"t\"\nstart = \"{start}\"\nmonths = {months}\n\n\
         [[workload]]\nid = \"w\"\n{workload}\n\n{plans}"
    )
}

const BASELINE_DEAR: &str = "[[plan]]\nid = \"base\"\nbaseline = true\n[[plan.route]]\nworkload = \"w\"\noffer = \"dear@p\"\n";

#[test]
fn per_day_volume_follows_calendar_months_with_a_leap_february() {
    // 2028 is a leap year. 100 requests a day of 1M input tokens at 0.1 cost 0.1 each, so a month
    // costs 10 x its days, and the year 10 x 366 = 3,660 exactly.
    let estimate = estimate_of(&scenario(
        "2028-01",
        12,
        "requests_per_day = 100\ninput_tokens = 1000000\noutput_tokens = 0",
        &BASELINE_DEAR.replace("dear@p", "cheap@p"),
    ));
    let plan = &estimate.plans[0];
    let costs: Vec<Decimal> = plan.monthly.iter().map(|m| m.cost).collect();
    assert_eq!(costs[0], dec!(310));
    assert_eq!(costs[1], dec!(290));
    assert_eq!(costs[3], dec!(300));
    assert_eq!(plan.total_cost, dec!(3660));
    assert_eq!(estimate.scenario.workloads[0].requests, dec!(36600));
}

#[test]
fn growth_compounds_monthly_from_the_first_month() {
    // 1,000 requests a month growing 10% a month: 1,000, 1,100, 1,210; at 0.1 each (1M tokens at
    // 0.1), 100 + 110 + 121 = 331 over three months.
    let estimate = estimate_of(&scenario(
        "2027-01",
        3,
        "requests_per_month = 1000\ngrowth_per_month = 0.10\ninput_tokens = 1000000\noutput_tokens = 0",
        &BASELINE_DEAR.replace("dear@p", "cheap@p"),
    ));
    let costs: Vec<Decimal> = estimate.plans[0].monthly.iter().map(|m| m.cost).collect();
    assert_eq!(costs, [dec!(100), dec!(110), dec!(121)]);
    assert_eq!(estimate.plans[0].total_cost, dec!(331));
}

#[test]
fn growth_over_twelve_months_including_a_leap_february() {
    // 10 requests a day from 2027-07 to 2028-06 (leap February 2028: 29 days), growing 1% a month.
    // 400,000 input tokens at 2.50 per 1M cost exactly 1.00, so month m costs 10 x days_m x 1.01^m,
    // held to 15 significant digits.
    let estimate = estimate_of(&scenario(
        "2027-07",
        12,
        "requests_per_day = 10\ngrowth_per_month = 0.01\ninput_tokens = 400000\noutput_tokens = 0",
        BASELINE_DEAR,
    ));
    let days = [31, 31, 30, 31, 30, 31, 31, 29, 31, 30, 31, 30];
    let mut factor = Decimal::ONE;
    let mut expected = Decimal::ZERO;
    for (m, d) in days.iter().enumerate() {
        if m > 0 {
            factor *= dec!(1.01);
        }
        let month = (dec!(10) * Decimal::from(*d) * factor)
            .round_sf_with_strategy(
                crate::engine::REQUEST_DIGITS,
                rust_decimal::RoundingStrategy::MidpointAwayFromZero,
            )
            .unwrap();
        assert_eq!(estimate.plans[0].monthly[m].cost, month, "month {m}");
        expected += month;
    }
    // February 2028 is the eighth month: 10 x 29 x 1.01^7 = 290 x 1.07213535210701 =
    // 310.9192521110329, 16 significant digits, held to 15.
    assert_eq!(estimate.plans[0].monthly[7].cost, dec!(310.919252111033));
    assert_eq!(estimate.plans[0].total_cost, expected);
}

#[test]
fn routing_shares_split_requests_and_savings_follow() {
    // 1,000 requests a month of 400,000 input tokens: 1.00 each on `dear`, 0.04 on `cheap`.
    // Baseline: 1,000 x 1.00 = 1,000. Hybrid 85/15: 850 x 0.04 + 150 x 1.00 = 34 + 150 = 184.
    // Savings 816, which is 81.6% of 1,000.
    let plans = format!(
        "{BASELINE_DEAR}\n[[plan]]\nid = \"hybrid\"\n\
         [[plan.route]]\nworkload = \"w\"\noffer = \"cheap@p\"\nshare = 0.85\n\
         [[plan.route]]\nworkload = \"w\"\noffer = \"dear@p\"\nshare = 0.15\n"
    );
    let estimate = estimate_of(&scenario(
        "2027-01",
        1,
        "requests_per_month = 1000\ninput_tokens = 400000\noutput_tokens = 0",
        &plans,
    ));
    let hybrid = &estimate.plans[1];
    let routes = &hybrid.workloads[0].routes;
    assert_eq!((routes[0].requests, routes[0].cost), (dec!(850), dec!(34)));
    assert_eq!((routes[1].requests, routes[1].cost), (dec!(150), dec!(150)));
    assert_eq!(hybrid.total_cost, dec!(184));
    assert_eq!(hybrid.savings, Some(dec!(816)));
    assert_eq!(hybrid.savings_pct, Some(dec!(81.6)));
    assert_eq!(hybrid.years[0].savings, Some(dec!(816)));
}

#[test]
fn payback_counts_whole_months_and_a_fraction() {
    // Baseline 1,000 a month; the plan 40 a month plus 2,400 once. Monthly savings 960, so
    // 2,400 is recovered after 2 months (1,920) and 480 / 960 = 0.5 of the third: 2.5 months.
    let plans = format!(
        "{BASELINE_DEAR}\n[[plan]]\nid = \"move\"\none_time_cost = 2400\n\
         [[plan.route]]\nworkload = \"w\"\noffer = \"cheap@p\"\n"
    );
    let workload = "requests_per_month = 1000\ninput_tokens = 400000\noutput_tokens = 0";
    let estimate = estimate_of(&scenario("2027-01", 12, workload, &plans));
    let plan = &estimate.plans[1];
    assert_eq!(plan.payback, Some(Payback::Months { months: dec!(2.5) }));
    // The one-time cost lands in the first month: 40 + 2,400.
    assert_eq!(plan.monthly[0].cost, dec!(2440));
    assert_eq!(plan.years[0].cost, dec!(2880));
    // Over two months only 1,920 is recovered, and savings are still positive.
    let short = estimate_of(&scenario("2027-01", 2, workload, &plans));
    assert_eq!(short.plans[1].payback, Some(Payback::BeyondHorizon));
    // A plan dearer every month never pays back; one without an upfront cost needs none.
    let dearer = format!(
        "{}\n[[plan]]\nid = \"worse\"\none_time_cost = 10\n[[plan.route]]\nworkload = \"w\"\noffer = \"dear@p\"\n",
        BASELINE_DEAR.replace("dear@p", "cheap@p")
    );
    let never = estimate_of(&scenario("2027-01", 12, workload, &dearer));
    assert_eq!(never.plans[1].payback, Some(Payback::Never));
    assert_eq!(never.plans[0].payback, None);
    let free = plans.replace("one_time_cost = 2400\n", "");
    assert_eq!(
        estimate_of(&scenario("2027-01", 12, workload, &free)).plans[1].payback,
        Some(Payback::NotNeeded)
    );
}

#[test]
fn a_plan_that_does_not_save_never_pays_back() {
    // 1,000 requests a month of 400,000 input tokens: 0.04 each on `cheap`, 1.00 on `dear`.
    // Baseline `cheap`: 40 a month. A plan on `dear` with no one-time cost costs 1,000 a month,
    // 960 more every month: nothing to pay back, but it never saves, so "never", not "no upfront
    // cost".
    let workload = "requests_per_month = 1000\ninput_tokens = 400000\noutput_tokens = 0";
    let dearer = format!(
        "{}\n[[plan]]\nid = \"worse\"\n[[plan.route]]\nworkload = \"w\"\noffer = \"dear@p\"\n",
        BASELINE_DEAR.replace("dear@p", "cheap@p")
    );
    let estimate = estimate_of(&scenario("2027-01", 12, workload, &dearer));
    assert_eq!(estimate.plans[1].savings, Some(dec!(-11520)));
    assert_eq!(estimate.plans[1].payback, Some(Payback::Never));
    // A plan that costs exactly what the baseline costs saves nothing either.
    let same = BASELINE_DEAR.to_owned()
        + "\n[[plan]]\nid = \"same\"\n[[plan.route]]\nworkload = \"w\"\noffer = \"dear@p\"\n";
    let estimate = estimate_of(&scenario("2027-01", 12, workload, &same));
    assert_eq!(estimate.plans[1].savings, Some(dec!(0)));
    assert_eq!(estimate.plans[1].payback, Some(Payback::Never));
}

#[test]
fn a_plan_without_upfront_cost_that_starts_behind_pays_back_when_it_catches_up() {
    // 1,000 requests in the first month, doubling each month, of 400,000 input tokens: 1.00 each
    // on `dear`, 0.04 on `cheap`, so `cheap` saves 960, 1,920, 3,840 before its fixed cost of
    // 1,920 a month. Running savings: -960, 0, 1,920; cumulative: -960, -960, 960. Month 3 begins
    // 960 behind and saves 1,920, so half of it is needed: 2.5 months, with no one-time cost.
    let plans = format!(
        "{BASELINE_DEAR}\n[[plan]]\nid = \"fixed\"\nmonthly_fixed_cost = 1920\n\
         [[plan.route]]\nworkload = \"w\"\noffer = \"cheap@p\"\n"
    );
    let workload =
        "requests_per_month = 1000\ngrowth_per_month = 1\ninput_tokens = 400000\noutput_tokens = 0";
    let estimate = estimate_of(&scenario("2027-01", 3, workload, &plans));
    assert_eq!(estimate.plans[1].savings, Some(dec!(960)));
    assert_eq!(
        estimate.plans[1].payback,
        Some(Payback::Months { months: dec!(2.5) })
    );
    // Over two months it is 960 behind at the end and its last month saves nothing: never.
    let estimate = estimate_of(&scenario("2027-01", 2, workload, &plans));
    assert_eq!(estimate.plans[1].savings, Some(dec!(-960)));
    assert_eq!(estimate.plans[1].payback, Some(Payback::Never));
}

#[test]
fn payback_is_the_last_time_the_plan_catches_up() {
    // 100 requests a day of 400,000 input tokens: 1.00 each on `dear`, 0.04 on `cheap`, so
    // `cheap` saves 96 a day before its fixed cost of 2,850 a month. Running savings in 2027:
    // January 31 x 96 - 2,850 = 126, February 28 x 96 - 2,850 = -162, March 126, April
    // 30 x 96 - 2,850 = 30. With 105 once, the cumulative savings are -105, then 21, -141, -15,
    // 15 at each month's end. The plan is ahead during January but behind again after February;
    // it catches up for good in April, which begins 15 behind and saves 30: 3 + 15 / 30 = 3.5.
    let plans = format!(
        "{BASELINE_DEAR}\n[[plan]]\nid = \"fixed\"\none_time_cost = 105\nmonthly_fixed_cost = 2850\n\
         [[plan.route]]\nworkload = \"w\"\noffer = \"cheap@p\"\n"
    );
    let workload = "requests_per_day = 100\ninput_tokens = 400000\noutput_tokens = 0";
    let estimate = estimate_of(&scenario("2027-01", 4, workload, &plans));
    assert_eq!(estimate.plans[1].savings, Some(dec!(15)));
    assert_eq!(
        estimate.plans[1].payback,
        Some(Payback::Months { months: dec!(3.5) })
    );
}

#[test]
fn a_savings_percentage_beyond_the_decimal_range_is_an_overflow_naming_it() {
    // The baseline costs 1 token at 0.1 per 1M: 0.0000001. A plan with a fixed cost of 1e22 saves
    // about -1e22, which is -1e24 percent of 0.0000001, times 1e7: -1e31, beyond 7.9e28.
    let catalog = fixtures::catalog(&catalog_text());
    let plans = "[[plan]]\nid = \"base\"\nbaseline = true\n[[plan.route]]\nworkload = \"w\"\noffer = \"cheap@p\"\n\
        [[plan]]\nid = \"huge\"\nmonthly_fixed_cost = \"1e22\"\n[[plan.route]]\nworkload = \"w\"\noffer = \"cheap@p\"\n";
    let text = scenario(
        "2027-01",
        1,
        "requests_per_month = 1\ninput_tokens = 1\noutput_tokens = 0",
        plans,
    );
    let scenario = Scenario::parse(&SourceFile::new("s.toml", text), &catalog).unwrap();
    let error = estimate(&catalog, &scenario, &Options::default()).unwrap_err();
    assert!(
        matches!(&error, Error::Overflow { what } if what == "the savings percentage of plan `huge` against the baseline"),
        "{error}"
    );
}

#[test]
fn toml_prices_applied_to_ten_million_requests_are_exact() {
    // 10,000,000 requests of 1 input token at 0.1 per 1M: 10,000,000 x 0.1 / 1,000,000 = 1 exactly,
    // and at 2.50: 25 exactly. With f64, 0.1 x 1e7 / 1e6 is 1.0000000000000002.
    let plans = format!(
        "{BASELINE_DEAR}\n[[plan]]\nid = \"c\"\n[[plan.route]]\nworkload = \"w\"\noffer = \"cheap@p\"\n"
    );
    let estimate = estimate_of(&scenario(
        "2027-01",
        1,
        "requests_per_month = 10000000\ninput_tokens = 1\noutput_tokens = 0",
        &plans,
    ));
    assert_eq!(estimate.plans[0].total_cost, dec!(25));
    assert_eq!(estimate.plans[1].total_cost, dec!(1));
    assert_eq!(estimate.plans[1].savings, Some(dec!(24)));
}

#[test]
fn a_million_small_costs_sum_without_drift() {
    // One token at 0.1 per 1M costs 0.0000001. A million of them, added one by one through the
    // same checked addition the engine uses, is 0.1 exactly: no drift.
    let price = crate::money::Price::new(dec!(0.1)).unwrap();
    let one = price
        .cost_of(Decimal::ONE, crate::component::Unit::PerMtok)
        .unwrap();
    assert_eq!(one, dec!(0.0000001));
    let sum = (0..1_000_000)
        .try_fold(Decimal::ZERO, |a, _| add(a, one))
        .unwrap();
    assert_eq!(sum, dec!(0.1));
}

#[test]
fn exchange_rates_convert_and_are_noted() {
    // 1,000 requests of 1M input tokens at CNY 1 = CNY 1,000, at 0.1404 USD per CNY = 140.40.
    let text = |rate: &str| {
        format!(
            "[scenario]\nname = \"t\"\nstart = \"2027-01\"\nmonths = 1\n\
             [[exchange_rate]]\nrate = \"{rate}\"\nas_of = 2026-11-20\nsource = \"https://example.com/fx\"\n\
             [[workload]]\nid = \"w\"\nrequests_per_month = 1000\ninput_tokens = 1000000\noutput_tokens = 0\n\
             [[plan]]\nid = \"b\"\nbaseline = true\n[[plan.route]]\nworkload = \"w\"\noffer = \"yuan@p\"\n"
        )
    };
    let estimate = estimate_of(&text("1 CNY = 0.1404 USD"));
    assert_eq!(estimate.plans[0].total_cost, dec!(140.4));
    // The note keeps report-currency units per unit, and the rate as written.
    assert!(estimate.notes.iter().any(|n| matches!(
        n,
        Note::ExchangeRate { currency, rate, quote, .. }
            if currency == "CNY" && *rate == dec!(0.1404) && quote == "1 CNY = 0.1404 USD"
    )));
    // Written the other way round: 1 USD = 8 CNY is 0.125 USD per CNY, so CNY 1,000 = 125.
    let estimate = estimate_of(&text("1 USD = 8 CNY"));
    assert_eq!(estimate.plans[0].total_cost, dec!(125));
    assert_eq!(
        estimate.plans[0].workloads[0].routes[0].exchange_rate,
        dec!(0.125)
    );
}

#[test]
fn stale_and_deprecated_offers_are_noted() {
    // `dear@p` was checked 2026-01-01, 365 days before 2027-01-01, and is deprecated on 2027-06-30,
    // inside a 12-month horizon.
    let estimate = estimate_of(&scenario(
        "2027-01",
        12,
        "requests_per_month = 1\ninput_tokens = 1\noutput_tokens = 0",
        BASELINE_DEAR,
    ));
    assert!(estimate.notes.contains(&Note::StalePrice {
        offer: "dear@p".to_owned(),
        as_of: crate::calendar::Date::new(2026, 1, 1).unwrap(),
        age_days: 365,
    }));
    assert!(
        estimate
            .notes
            .iter()
            .any(|n| matches!(n, Note::Deprecated { offer, .. } if offer == "dear@p"))
    );
    // Within the threshold and before deprecation, nothing is said.
    let fresh = estimate_of(&scenario(
        "2026-02",
        3,
        "requests_per_month = 1\ninput_tokens = 1\noutput_tokens = 0",
        BASELINE_DEAR,
    ));
    assert!(fresh.notes.is_empty(), "{:?}", fresh.notes);
}

#[test]
fn overflow_names_the_plan_and_workload() {
    let catalog = fixtures::catalog(&catalog_text());
    let text = scenario(
        "2027-01",
        600,
        "requests_per_day = 1000000000000\ngrowth_per_month = 9\ninput_tokens = 1000000\noutput_tokens = 0",
        BASELINE_DEAR,
    );
    let scenario = Scenario::parse(&SourceFile::new("s.toml", text), &catalog).unwrap();
    let error = estimate(&catalog, &scenario, &Options::default()).unwrap_err();
    assert!(
        matches!(&error, Error::Overflow { what } if what.contains("workload `w`")),
        "{error}"
    );
}

/// `media@p`: text, cache writes of two lifetimes, audio, images and searches, with flex prices
/// at half and priority prices at double every token price (searches stay at 0.01 a call).
const MEDIA: &str = r#"
[[model]]
id = "media"
name = "Media"
maker = "M"
weights = "closed"
license = "proprietary"
origin = "US"
context_window = 1000000

[[offer]]
model = "media"
provider = "p"
as_of = 2026-11-20
source = "https://example.com/pricing"
input = 2
output = 8
cached_input = 0.2
cache_write_5m = 2.5
cache_write_1h = 4
audio_input = 40
audio_output = 80
image_input = 1
web_search = 0.01

[offer.flex]
input = 1
output = 4
cached_input = 0.1
cache_write_5m = 1.25
cache_write_1h = 2
audio_input = 20
audio_output = 40
image_input = 0.5

[offer.priority]
input = 4
output = 16
cached_input = 0.4
cache_write_5m = 5
cache_write_1h = 8
audio_input = 80
audio_output = 160
image_input = 2
"#;

#[test]
fn a_route_averages_every_component_over_size_classes_and_service_tiers() {
    let catalog = Catalog::parse(&[
        SourceFile::new("catalog.toml", catalog_text()),
        SourceFile::new("media.toml", MEDIA),
    ])
    .unwrap();
    let workload = "requests_per_month = 1000\n\
        cache_hit_share = 0.5\ncache_write_5m_share = 0.2\ncache_write_1h_share = 0.1\n\
        flex_share = 0.25\npriority_share = 0.25\n\
        [[workload.size]]\nshare = 0.5\ninput_tokens = 10000\noutput_tokens = 500\n\
        audio_input_tokens = 1000\nimage_input_tokens = 2000\naudio_output_tokens = 200\nweb_searches = 2\n\
        [[workload.size]]\nshare = 0.5\ninput_tokens = 2000\noutput_tokens = 100";
    let text = scenario(
        "2027-01",
        2,
        workload,
        &BASELINE_DEAR.replace("dear@p", "media@p"),
    );
    let scenario = Scenario::parse(&SourceFile::new("s.toml", text), &catalog)
        .unwrap_or_else(|e| panic!("{}", e.report()));
    let estimate = estimate(&catalog, &scenario, &Options::default()).unwrap();
    let route = &estimate.plans[0].workloads[0].routes[0];
    let average = &route.per_request;

    // The media class's 10,000 text tokens: 5,000 hits, 2,000 5-minute and 1,000 1-hour writes,
    // 2,000 plain. At standard prices:
    //   text   2,000 x 2 + 5,000 x 0.2 + 2,000 x 2.5 + 1,000 x 4 = 4,000 + 1,000 + 5,000 + 4,000
    //          = 14,000
    //   audio  1,000 x 40 = 40,000; images 2,000 x 1 = 2,000
    //   output 500 x 8 = 4,000; audio out 200 x 80 = 16,000
    //   tokens 76,000 / 1M = 0.076, searches 2 x 0.01 = 0.02: 0.096 a request.
    // Flex halves the tokens, 0.038 + 0.02 = 0.058; priority doubles them, 0.152 + 0.02 = 0.172.
    // Half standard, a quarter each flex and priority: 0.048 + 0.0145 + 0.043 = 0.1055.
    // The text class's 2,000 tokens: 1,000 hits, 400 + 200 writes, 400 plain, and 100 out:
    //   400 x 2 + 1,000 x 0.2 + 400 x 2.5 + 200 x 4 + 100 x 8 = 800 + 200 + 1,000 + 800 + 800
    //   = 3,600 / 1M = 0.0036; flex 0.0018, priority 0.0072;
    //   weighted 0.0018 + 0.00045 + 0.0018 = 0.00405.
    // Each class is half the requests: (0.1055 + 0.00405) / 2 = 0.054775.
    assert_eq!(average.total, dec!(0.054775));
    // Quantities: half the requests carry 1,000 audio tokens and 2 searches; the 1-hour writes
    // are (1,000 + 200) / 2 = 600.
    assert_eq!(average.quantities[Component::AudioInput], dec!(500));
    assert_eq!(average.quantities[Component::WebSearch], dec!(1));
    assert_eq!(average.quantities[Component::CacheWrite1h], dec!(600));
    // Audio input costs 0.04 standard, 0.02 flex, 0.08 priority in the media class:
    // (0.02 + 0.005 + 0.02) / 2 = 0.0225. Searches are 0.02 whatever the tier: 0.01.
    assert_eq!(average.costs[Component::AudioInput], dec!(0.0225));
    assert_eq!(average.costs[Component::WebSearch], dec!(0.01));
    // 1,000 requests a month: 54.775 in each month, 109.55 over two.
    let months: Vec<Decimal> = route.months.iter().map(|m| m.cost).collect();
    assert_eq!(months, [dec!(54.775), dec!(54.775)]);
    assert_eq!(estimate.plans[0].total_cost, dec!(109.55));
    // Tokens: 13,700 a media request, 2,100 a text one, 7,900 on average, x 2,000 requests.
    assert_eq!(estimate.plans[0].tokens, dec!(15800000));
    // Every component has its price and every service tier its table: nothing to note.
    assert!(estimate.notes.is_empty(), "{:?}", estimate.notes);
}

#[test]
fn route_months_worked_out_again_are_the_months_the_engine_keeps() {
    // 1,000 requests a day growing 1.3% a month for ten years, 30% of them at `dear`: by the
    // last month the growth factor has 28 significant digits, so any difference in how the
    // months are worked out would show in the last one.
    let text = scenario(
        "2027-01",
        120,
        "requests_per_day = 1000\ngrowth_per_month = 0.013\ninput_tokens = 1234\noutput_tokens = 567",
        "[[plan]]\nid = \"base\"\nbaseline = true\n\
         [[plan.route]]\nworkload = \"w\"\noffer = \"cheap@p\"\nshare = 0.7\n\
         [[plan.route]]\nworkload = \"w\"\noffer = \"dear@p\"\nshare = 0.3\n",
    );
    let catalog = fixtures::catalog(&catalog_text());
    let scenario = fixtures::scenario(&catalog, &text);
    let kept = estimate(&catalog, &scenario, &Options::default()).unwrap();
    let summed = Options {
        route_months: RouteMonths::Summed,
        ..Options::default()
    };
    let without = estimate(&catalog, &scenario, &summed).unwrap();
    let shown = Options {
        route_months: RouteMonths::SelfHosted,
        ..Options::default()
    };
    let worked = estimate(&catalog, &scenario, &shown).unwrap();
    for ((route, bare), worked) in kept.plans[0].workloads[0]
        .routes
        .iter()
        .zip(&without.plans[0].workloads[0].routes)
        .zip(&worked.plans[0].workloads[0].routes)
    {
        assert_eq!(route.months.kept.len(), 120);
        assert!(bare.months.is_empty());
        assert_eq!(bare.months.iter().count(), 0);
        // Not kept, but there to be read.
        assert!(worked.months.kept.is_empty());
        assert_eq!(worked.months.len(), 120);
        assert_eq!(bare.cost, route.cost);
        let worked_out: Vec<_> = worked
            .months
            .iter()
            .map(|m| (m.month, m.requests, m.cost))
            .collect();
        let months: Vec<_> = route
            .months
            .kept
            .iter()
            .map(|m| (m.month, m.requests, m.cost))
            .collect();
        assert_eq!(worked_out, months);
        // Kept months are read as they are.
        assert_eq!(route.months.iter().count(), 120);
    }
    // The JSON form, months included, is the same byte for byte.
    assert_eq!(
        serde_json::to_string(&worked).unwrap(),
        serde_json::to_string(&kept).unwrap()
    );
    assert_eq!(
        without.plans[0]
            .monthly
            .iter()
            .map(|m| m.cost)
            .collect::<Vec<_>>(),
        kept.plans[0]
            .monthly
            .iter()
            .map(|m| m.cost)
            .collect::<Vec<_>>()
    );
}

#[test]
fn every_bundled_scenario_shows_the_same_months_worked_out_as_kept() {
    // Dated prices, trends, self-hosted fleets and currencies: whichever routes keep their months
    // and whichever work them out, the serde form (the JSON report) is the same.
    let catalog = Catalog::builtin().unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(paths.len() > 5);
    for path in paths {
        let Ok(scenario) = Scenario::load(&path, &catalog) else {
            // A scenario that needs its own catalog file is covered by the CLI tests.
            continue;
        };
        let json = |route_months| {
            let options = Options {
                route_months,
                ..Options::default()
            };
            serde_json::to_string(&estimate(&catalog, &scenario, &options).unwrap()).unwrap()
        };
        let kept = json(RouteMonths::All);
        assert!(kept.contains("\"months\":[{"), "{}", path.display());
        assert_eq!(json(RouteMonths::SelfHosted), kept, "{}", path.display());
    }
}

#[test]
fn a_route_with_traffic_in_some_months_keeps_them_and_counts_only_those() {
    // 1,000 requests a day in January 2027 (31 days) and February (28): 31,000 and 28,000. The
    // route carries traffic from February only, so its requests are 28,000, whether or not
    // months are shown, and its months read 0 and 28,000.
    let text = scenario(
        "2027-01",
        2,
        "requests_per_day = 1000\ninput_tokens = 1000\noutput_tokens = 0",
        "[[plan]]\nid = \"base\"\nbaseline = true\n\
         [[plan.route]]\nworkload = \"w\"\noffer = \"cheap@p\"\nshare = 1\n",
    );
    let catalog = fixtures::catalog(&catalog_text());
    let mut scenario = fixtures::scenario(&catalog, &text);
    scenario.plans[0].routes[0].from = YearMonth::new(2027, 2);
    for route_months in [
        RouteMonths::Summed,
        RouteMonths::SelfHosted,
        RouteMonths::All,
    ] {
        let options = Options {
            route_months,
            ..Options::default()
        };
        let estimate = estimate(&catalog, &scenario, &options).unwrap();
        let route = &estimate.plans[0].workloads[0].routes[0];
        assert_eq!(route.requests, dec!(28000), "{route_months:?}");
        // 28,000 x 1,000 input tokens at 0.1 per 1M: 2.8.
        assert_eq!(route.cost, dec!(2.8), "{route_months:?}");
        let requests: Vec<Decimal> = route.months.iter().map(|m| m.requests).collect();
        assert_eq!(requests, [dec!(0), dec!(28000)], "{route_months:?}");
    }
}

#[test]
fn a_plan_month_beyond_the_decimal_range_names_the_workload_whose_route_crosses_it() {
    // `fee@p` and `fee-dated@p` charge 1,000,000 a request (no tokens are sent); the second's
    // input price changes inside January, so its months are priced one by one. Workload `a`
    // costs 78,000,000,000,000,000,000,000 x 1,000,000 = 7.8e28 in January, below the decimal's
    // 7.92e28; `b` costs 2e21 x 1,000,000 = 2e27. The plan routes `a` first, so January reaches
    // 7.8e28 + 2e27 = 8.0e28 when `b`'s route is added: the overflow names `b`.
    let fees = [
        fixtures::model("fee", "Fee", Weights::Open, "US", 2_000_000),
        fixtures::model("fee-dated", "Fee dated", Weights::Open, "US", 2_000_000),
        fixtures::offer(
            "fee",
            "p",
            "2026-11-20",
            "input = 1\noutput = 1\nper_request = 1000000",
        ),
        fixtures::offer(
            "fee-dated",
            "p",
            "2026-11-20",
            "input = 1\noutput = 1\nper_request = 1000000\n\
             [[offer.change]]\nfrom = 2027-01-15\ninput = 0.5\n",
        ),
    ]
    .concat();
    let catalog = fixtures::catalog(&(catalog_text() + &fees));
    let text = "[scenario]\nname = \"t\"\nstart = \"2027-01\"\nmonths = 1\n\n\
        [[workload]]\nid = \"a\"\nrequests_per_month = \"78000000000000000000000\"\n\
        input_tokens = 0\noutput_tokens = 0\n\n\
        [[workload]]\nid = \"b\"\nrequests_per_month = \"2000000000000000000000\"\n\
        input_tokens = 0\noutput_tokens = 0\n\n\
        [[plan]]\nid = \"p\"\nbaseline = true\n\
        [[plan.route]]\nworkload = \"a\"\noffer = \"fee@p\"\n\
        [[plan.route]]\nworkload = \"b\"\noffer = \"fee-dated@p\"\n";
    let scenario = Scenario::parse(&SourceFile::new("s.toml", text.to_owned()), &catalog).unwrap();
    let error = estimate(&catalog, &scenario, &Options::default()).unwrap_err();
    assert!(
        matches!(&error, Error::Overflow { what } if what == "the cost of workload `b` in plan `p`"),
        "{error}"
    );
}

#[test]
fn replicas_are_sized_on_the_requests_as_held_to_fifteen_digits() {
    // `cheap@own`: one replica of one GPU at $1 an hour serving 10,000 output tokens a second,
    // planned at 100% utilisation. July 2027 (31 days, 2,678,400 s): 1,000,000 requests of
    // 26,784 output tokens are 26,784,000,000 tokens, 10,000 a second: one replica, exactly
    // full, 744 hours = $744. August grows by 1e-18: 1,000,000.000000000001 requests, 19
    // significant digits, held to 15 as 1,000,000.00000000, so again exactly one replica and
    // $744, where the unheld figure would be 1e-12 tokens a second over one replica and rent a
    // second. The README says so under "Rounding".
    let gpus = r#"
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

[[deployment]]
id = "own"
model = "cheap"
gpu_offer = "rent/g"
gpus_per_replica = 1
engine = "test"
decode_tokens_per_second = 10000
prefill_tokens_per_second = 1000000
measured_with = "test"
as_of = 2026-11-20
source = "https://example.com/bench"
"#;
    let estimate = fixtures::estimate(
        &(catalog_text() + gpus),
        &scenario(
            "2027-07",
            2,
            "requests_per_month = 1000000\ninput_tokens = 0\noutput_tokens = 26784\n\
             growth_per_month = 0.000000000000000001\n\n\
             [self_hosting]\ntarget_utilization = 1",
            &(BASELINE_DEAR.replace("dear@p", "cheap@p")
                + "[[plan]]\nid = \"own\"\n[[plan.route]]\nworkload = \"w\"\noffer = \"cheap@own\"\n"),
        ),
    );
    let own = &estimate.plans[1];
    let replicas: Vec<u64> = own.deployments[0]
        .months
        .iter()
        .map(|m| m.replicas_peak)
        .collect();
    assert_eq!(replicas, [1, 1]);
    assert_eq!(own.monthly[1].cost, dec!(744));
    assert_eq!(own.total_cost, dec!(1488));
}

#[test]
fn requests_are_held_to_fifteen_digits_as_round_sf_holds_them() {
    use rust_decimal::RoundingStrategy::MidpointAwayFromZero;
    // Worked by hand: 16 digits lose their last, half away from zero; 15 or fewer stay as they
    // are, trailing zeros and all; integral digits beyond 15 become zeros.
    assert_eq!(
        super::held(dec!(310.9192521110329)).unwrap().to_string(),
        "310.919252111033"
    );
    assert_eq!(
        super::held(dec!(1.234567890123450)).unwrap().to_string(),
        "1.23456789012345"
    );
    assert_eq!(
        super::held(dec!(12037.94400)).unwrap().to_string(),
        "12037.94400"
    );
    assert_eq!(
        super::held(dec!(1234567890123456789)).unwrap().to_string(),
        "1234567890123460000"
    );
    // Rounding up carries into a sixteenth digit, as it does in `round_sf`.
    assert_eq!(
        super::held(dec!(999999999999999.95)).unwrap().to_string(),
        "1000000000000000"
    );
    // Every length of mantissa at every scale: the same value as `round_sf` gives, and where it
    // rounds, the same text.
    let mut seed: u128 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..20_000 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let digits = u32::try_from(seed % 28).unwrap() + 1;
        let mantissa = i128::try_from((seed >> 16) % 10u128.pow(digits)).unwrap();
        let scale = u32::try_from((seed >> 8) % 29).unwrap();
        let requests = Decimal::from_i128_with_scale(mantissa, scale);
        let expected = requests
            .round_sf_with_strategy(super::REQUEST_DIGITS, MidpointAwayFromZero)
            .unwrap();
        let found = super::held(requests).unwrap();
        assert_eq!(found, expected, "{requests}");
        if requests.mantissa().unsigned_abs() >= 10u128.pow(super::REQUEST_DIGITS) {
            assert_eq!(found.to_string(), expected.to_string(), "{requests}");
        }
    }
}
