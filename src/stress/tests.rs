//! The stressed scenario on the exposure fixtures' catalog: 1,000 requests a month of 1,000
//! input tokens, so a month at a price of P per 1M tokens costs P.

use rust_decimal::Decimal;

use super::{Request, stress};
use crate::calendar::YearMonth;
use crate::engine::{self, Options};
use crate::fixtures::{catalog, problems, scenario};
use crate::scenario::Scenario;

const SCENARIO: &str = include_str!("../../tests/fixtures/stress.toml");
const EXPOSURE_CATALOG: &str = include_str!("../../tests/fixtures/exposure-pricing.toml");

fn lose(providers: &[&str], from: &str) -> crate::estimate::stress::Stress {
    let catalog = catalog(EXPOSURE_CATALOG);
    let scenario = scenario(&catalog, SCENARIO);
    let request = Request {
        providers: providers.iter().map(|p| (*p).to_owned()).collect(),
        from: YearMonth::parse(from),
        ..Request::default()
    };
    stress(&catalog, &scenario, &request, &Options::default()).unwrap()
}

/// A route split at a month costs what it did before that month and what its new host charges
/// after: `open-cn` pays 1 a month at cna in January and February, then 1.5 at usa.
#[test]
fn a_split_route_costs_each_host_its_months() {
    let loss = &lose(&["cna"], "2027-03").losses[0];
    let open_cn = &loss.plans[1];
    // 2 x 1 + 10 x 1.5 = 17, against 12 as written: 5 more, all within the first 12 months.
    assert_eq!(open_cn.total_after, Decimal::from(17));
    assert_eq!(open_cn.extra_cost, Decimal::from(5));
    assert_eq!(open_cn.extra_cost_first_year, Decimal::from(5));
    assert_eq!(open_cn.moves[0].cost_before, Decimal::from(10));
}

/// Losing a provider no route uses changes nothing, and says so.
#[test]
fn losing_an_unused_provider_changes_nothing() {
    let stress = lose(&["usb"], "2027-01");
    assert!(
        stress.losses[0]
            .plans
            .iter()
            .all(|p| p.extra_cost.is_zero() && p.moves.is_empty() && p.stranded.is_empty())
    );
    assert_eq!(
        stress.notes,
        ["no plan uses `usb`: losing it changes nothing"]
    );
}

/// A route active from a month carries no requests before it, and the engine adds its months
/// rather than taking its share of the whole horizon.
#[test]
fn a_route_active_from_a_month_has_no_requests_before_it() {
    let catalog = catalog(EXPOSURE_CATALOG);
    let mut scenario: Scenario = scenario(&catalog, SCENARIO);
    let route = &mut scenario.plans[1].routes[0];
    route.from = YearMonth::parse("2027-10");
    let estimate = engine::estimate(&catalog, &scenario, &Options::default()).unwrap();
    let route = &estimate.plans[1].workloads[0].routes[0];
    // October to December: 3 x 1,000 requests at 1 a month.
    assert_eq!(route.requests, Decimal::from(3000));
    assert_eq!(route.cost, Decimal::from(3));
    assert!(route.months.kept[..9].iter().all(|m| m.requests.is_zero()));
}

#[test]
fn fallbacks_and_candidates_are_checked_against_the_catalog() {
    let catalog = catalog(EXPOSURE_CATALOG);
    let text = SCENARIO
        .replace(
            "fallback = [\"open-a@usb\"]",
            "fallback = [\"open-a@usb\", \"open-a@usb\"]",
        )
        .replace(
            "output_tokens = 0\n",
            "output_tokens = 0\ncandidates = [\"open-a@nowhere\"]\n",
        );
    let found = problems(Scenario::parse(
        &crate::error::SourceFile::new("scenario.toml", &text),
        &catalog,
    ));
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].contains("unknown offer `open-a@nowhere`"),
        "{found:#?}"
    );
    assert!(
        found[1].contains("`open-a@usb` is named twice in the fallbacks"),
        "{found:#?}"
    );
}

/// `--lose-each` estimates the scenario once as written and once per provider its plans use:
/// `usa` and `cna` in the fixture (`usb` is only a fallback, and fallbacks are not lost), so
/// three estimates, each told to the progress, which is then finished.
#[test]
fn lose_each_tells_its_progress_of_every_estimate() {
    let catalog = catalog(EXPOSURE_CATALOG);
    let scenario = scenario(&catalog, SCENARIO);
    let request = Request {
        each: true,
        ..Request::default()
    };
    let recorder = crate::progress::tests::Recorder::default();
    let answer = super::stress_observed(
        &catalog,
        &scenario,
        &request,
        &Options::default(),
        &recorder,
    )
    .unwrap();
    assert_eq!(answer.losses.len(), 2);
    assert_eq!(
        *recorder.started.borrow(),
        vec![("estimates".to_owned(), Some(3))]
    );
    assert_eq!(*recorder.steps.borrow(), 3);
    assert_eq!(*recorder.finished.borrow(), 1);
}
