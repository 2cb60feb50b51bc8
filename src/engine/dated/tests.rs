//! Prices over time worked by hand: a dated change on a month's first day and one inside a
//! month, a yearly trend over two years, and a dated change under a one-off trend. Each request
//! carries 1M input tokens and nothing else, so it costs exactly the input price.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::*;
use crate::estimate::{Estimate, Note, TrendRule};
use crate::fixtures;
use crate::pricing::Weights;

/// `x@p` (open weights) at input 1 with `changes`, and `y@p` (closed) at input 2 without any.
fn catalog_text(changes: &str) -> String {
    [
        fixtures::PROVIDER_P.to_owned(),
        fixtures::model("x", "X", Weights::Open, "US", 2_000_000),
        fixtures::model("y", "Y", Weights::Closed, "US", 2_000_000),
        fixtures::offer(
            "x",
            "p",
            "2026-12-01",
            &format!("input = 1\noutput = 1\n{changes}"),
        ),
        fixtures::offer("y", "p", "2026-12-01", "input = 2\noutput = 1"),
    ]
    .concat()
}

/// One workload of 1M-input-token requests routed to `offer`, with `extra` tables.
fn scenario_text(start: &str, months: u32, volume: &str, offer: &str, extra: &str) -> String {
    format!(
        "[scenario]\nname = \"t\"\nstart = \"{start}\"\nmonths = {months}\n\n\
         [[workload]]\nid = \"w\"\n{volume}\ninput_tokens = 1000000\noutput_tokens = 0\n\n\
         [[plan]]\nid = \"base\"\nbaseline = true\n[[plan.route]]\nworkload = \"w\"\n\
         offer = \"{offer}\"\n{extra}"
    )
}

fn month_costs(estimate: &Estimate) -> Vec<Decimal> {
    estimate.plans[0].monthly.iter().map(|m| m.cost).collect()
}

const TWO_CHANGES: &str = "
[[offer.change]]
from = 2027-03-01
input = 0.5

[[offer.change]]
from = 2027-04-11
input = 0.2
source = \"https://example.com/announcement\"
";

#[test]
fn a_month_is_billed_at_the_price_in_force_and_a_mid_month_change_by_its_days() {
    let estimate = fixtures::estimate(
        &catalog_text(TWO_CHANGES),
        &scenario_text("2027-01", 6, "requests_per_day = 10", "x@p", ""),
    );
    // January 31 x 10 x 1 = 310 and February 28 x 10 x 1 = 280, before any change; March
    // 31 x 10 x 0.5 = 155. April's 300 requests: 10 days (1 to 10) at 0.5 and 20 days at 0.2,
    // so 300 x (10 x 0.5 + 20 x 0.2) / 30 = 300 x 9 / 30 = 90. May 31 x 10 x 0.2 = 62, June
    // 30 x 10 x 0.2 = 60.
    assert_eq!(
        month_costs(&estimate),
        [
            dec!(310),
            dec!(280),
            dec!(155),
            dec!(90),
            dec!(62),
            dec!(60)
        ]
    );
    // 310 + 280 + 155 + 90 + 62 + 60 = 957.
    assert_eq!(estimate.plans[0].total_cost, dec!(957));
    let route = &estimate.plans[0].workloads[0].routes[0];
    assert_eq!(route.cost, dec!(957));
    // The route's average request is the one on the horizon's first day.
    assert_eq!(route.per_request.total, dec!(1));
    let changes: Vec<(String, Option<Decimal>, Decimal)> = estimate
        .notes
        .iter()
        .filter_map(|note| match note {
            Note::PriceChange { date, old, new, .. } => Some((date.to_string(), *old, *new)),
            _ => None,
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("2027-03-01".to_owned(), Some(dec!(1)), dec!(0.5)),
            ("2027-04-11".to_owned(), Some(dec!(0.5)), dec!(0.2)),
        ]
    );
}

#[test]
fn a_horizon_after_every_change_is_priced_and_shown_at_the_last_list() {
    let estimate = fixtures::estimate(
        &catalog_text(TWO_CHANGES),
        &scenario_text("2027-05", 2, "requests_per_day = 10", "x@p", ""),
    );
    // 31 x 10 x 0.2 = 62 and 30 x 10 x 0.2 = 60: no change inside the horizon, so no note.
    assert_eq!(month_costs(&estimate), [dec!(62), dec!(60)]);
    assert!(
        !estimate
            .notes
            .iter()
            .any(|n| matches!(n, Note::PriceChange { .. }))
    );
    assert_eq!(
        estimate.offers[0].prices[crate::component::Component::Input],
        Some(dec!(0.2))
    );
    assert_eq!(
        estimate.offers[0].source,
        "https://example.com/announcement"
    );
}

#[test]
fn a_yearly_trend_steps_at_the_anniversary_over_two_years() {
    let trend =
        "\n[[trend]]\nweights = \"closed\"\nchange_per_year = \"-20%\"\nfrom = 2027-01-01\n";
    let estimate = fixtures::estimate(
        &catalog_text(""),
        &scenario_text("2027-01", 24, "requests_per_month = 1000", "y@p", trend),
    );
    let costs = month_costs(&estimate);
    // Month 1: 1,000 requests x 2 = 2,000, and so every month of the first year.
    assert_eq!(costs[0], dec!(2000));
    assert_eq!(costs[11], dec!(2000));
    // Month 13 (2028-01) starts on the first anniversary: 1,000 x 2 x 0.8 = 1,600.
    assert_eq!(costs[12], dec!(1600));
    assert_eq!(costs[23], dec!(1600));
    // 12 x 2,000 + 12 x 1,600 = 24,000 + 19,200 = 43,200.
    assert_eq!(estimate.plans[0].total_cost, dec!(43200));
    assert!(estimate.notes.iter().any(|n| matches!(
        n,
        Note::PriceTrend { rule: TrendRule::Yearly, change, offers, .. }
            if *change == dec!(-0.2) && offers == &["y@p".to_owned()]
    )));
}

#[test]
fn a_dated_change_and_a_trend_multiply_list_first_then_trend() {
    let changes = "\n[[offer.change]]\nfrom = 2027-03-01\ninput = 0.5\n";
    let trend = "\n[[trend]]\noffers = [\"x@p\"]\nchange = \"-10%\"\nfrom = 2027-02-15\n";
    let estimate = fixtures::estimate(
        &catalog_text(changes),
        &scenario_text("2027-01", 3, "requests_per_day = 10", "x@p", trend),
    );
    // January: 310 x 1 = 310. February: 14 days (1 to 14) at 1 and 14 days at 1 x 0.9, so
    // 280 x (14 x 1 + 14 x 0.9) / 28 = 280 x 26.6 / 28 = 266. March: the list's 0.5 times the
    // trend's 0.9 = 0.45, so 310 x 0.45 = 139.5.
    assert_eq!(month_costs(&estimate), [dec!(310), dec!(266), dec!(139.5)]);
    // 310 + 266 + 139.5 = 715.5.
    assert_eq!(estimate.plans[0].total_cost, dec!(715.5));
}

#[test]
fn an_offer_without_changes_and_trends_has_no_schedule() {
    let catalog = fixtures::catalog(&catalog_text(TWO_CHANGES));
    let (start, end) = (
        Date::parse("2027-01-01").unwrap(),
        Date::parse("2028-01-01").unwrap(),
    );
    let plain = catalog.offer("y@p").unwrap();
    assert_eq!(Schedule::of(&catalog, plain, &[], start, end), Ok(None));
    let dated = catalog.offer("x@p").unwrap();
    let schedule = Schedule::of(&catalog, dated, &[], start, end)
        .unwrap()
        .unwrap();
    let starts: Vec<String> = schedule
        .periods
        .iter()
        .map(|p| p.start.to_string())
        .collect();
    assert_eq!(starts, ["2027-01-01", "2027-03-01", "2027-04-11"]);
}
