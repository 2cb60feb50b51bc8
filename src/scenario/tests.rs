//! Scenario validation: every rule, every problem reported with its place.

use super::*;

const CATALOG: &str = r#"
[[provider]]
id = "p"
name = "P"
country = "US"
pricing_url = "https://example.com/pricing"

[[model]]
id = "small"
name = "Small"
maker = "M"
weights = "open"
license = "MIT"
origin = "US"
context_window = 8000

[[offer]]
model = "small"
provider = "p"
as_of = 2026-11-20
source = "https://example.com/pricing"
input = 1
output = 2

[[offer]]
model = "small"
provider = "q"
as_of = 2026-11-20
source = "https://example.com/pricing"
currency = "CNY"
input = 1
output = 2

[[provider]]
id = "q"
name = "Q"
country = "CN"
pricing_url = "https://example.com/pricing"
"#;

const VALID: &str = r#"[scenario]
name = "t"
start = "2027-01"

[[workload]]
id = "chat"
requests_per_day = 100
input_tokens = 1000
output_tokens = 100

[[plan]]
id = "base"
baseline = true

[[plan.route]]
workload = "chat"
offer = "small@p"
"#;

fn catalog() -> Catalog {
    Catalog::parse(&[SourceFile::new("catalog.toml", CATALOG)]).unwrap()
}

fn problems(text: &str) -> Vec<String> {
    match Scenario::parse(&SourceFile::new("s.toml", text), &catalog()) {
        Ok(_) => Vec::new(),
        Err(Error::Invalid(diagnostics)) => diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.location(), d.message()))
            .collect(),
        Err(other) => panic!("unexpected {other}"),
    }
}

#[test]
fn a_valid_scenario_has_defaults() {
    let scenario = Scenario::parse(&SourceFile::new("s.toml", VALID), &catalog()).unwrap();
    assert_eq!(scenario.months, 12);
    assert_eq!(scenario.currency, "USD");
    assert_eq!(scenario.workloads[0].sizes.len(), 1);
    assert_eq!(scenario.plans[0].routes[0].share, Share::ONE);
    assert_eq!(scenario.months().last(), YearMonth::new(2027, 12));
}

#[test]
fn horizon_and_dates_are_checked() {
    let text = VALID.replace("start = \"2027-01\"", "start = \"2027-13\"\nmonths = 601");
    assert_eq!(
        problems(&text),
        [
            "s.toml:3:9: `start` must be a month written `YYYY-MM` (found \"2027-13\")",
            "s.toml:4:10: `months` must be between 1 and 600 (found 601)",
        ]
    );
    assert_eq!(
        problems(&VALID.replace("start = \"2027-01\"", "start = \"2027-01\"\nmonths = 0")),
        ["s.toml:4:10: `months` must be between 1 and 600 (found 0)"]
    );
}

#[test]
fn workload_rules_are_all_reported() {
    let text = VALID.replace(
        "requests_per_day = 100\ninput_tokens = 1000\noutput_tokens = 100",
        "requests_per_day = -5\ninput_tokens = -1\noutput_tokens = 100\ncache_hit_share = 0.7\ncache_write_share = 0.4\ngrowth_per_month = -1",
    );
    assert_eq!(
        problems(&text),
        [
            "s.toml:7:20: the request volume must not be negative (found -5)",
            "s.toml:8:16: `input_tokens` must not be negative (found -1)",
            "s.toml:11:21: `cache_hit_share` plus `cache_write_share` is 1.1, above 1",
            "s.toml:12:20: `growth_per_month` must be above -1 (found -1)",
        ]
    );
}

#[test]
fn size_class_shares_sum_to_exactly_one() {
    let text = VALID.replace(
        "input_tokens = 1000\noutput_tokens = 100",
        "[[workload.size]]\nshare = 0.7\ninput_tokens = 1000\noutput_tokens = 10\n\
         [[workload.size]]\nshare = 0.2\ninput_tokens = 5000\noutput_tokens = 10",
    );
    assert_eq!(
        problems(&text),
        ["s.toml:9:9: the size-class shares of workload `chat` sum to 0.9, not 1"]
    );
    assert!(problems(&text.replace("share = 0.2", "share = 0.3")).is_empty());
}

#[test]
fn plans_need_one_baseline_and_full_routing() {
    assert_eq!(
        problems(&VALID.replace("baseline = true\n", "")),
        ["s.toml:12:6: no plan is the baseline"]
    );
    let two = format!(
        "{VALID}\n[[plan]]\nid = \"other\"\nbaseline = true\n[[plan.route]]\nworkload = \"chat\"\noffer = \"small@p\"\n"
    );
    assert_eq!(
        problems(&two),
        ["s.toml:21:12: more than one plan is the baseline"]
    );
    let split = VALID.replace("offer = \"small@p\"", "offer = \"small@p\"\nshare = 0.6");
    assert_eq!(
        problems(&split),
        ["s.toml:12:6: the shares of workload `chat` in plan `base` sum to 0.6, not 1"]
    );
    let unrouted = VALID.replace("workload = \"chat\"", "workload = \"chta\"");
    assert_eq!(
        problems(&unrouted),
        [
            "s.toml:16:12: unknown workload `chta`",
            "s.toml:12:6: plan `base` does not route workload `chat`",
        ]
    );
}

#[test]
fn unknown_offers_get_a_suggestion() {
    let text = VALID.replace("small@p", "smal@p");
    let Err(Error::Invalid(diagnostics)) =
        Scenario::parse(&SourceFile::new("s.toml", text), &catalog())
    else {
        panic!("expected an error");
    };
    assert_eq!(diagnostics[0].message(), "unknown offer `smal@p`");
    assert!(
        diagnostics[0]
            .to_string()
            .ends_with("hint: did you mean `small@p`?")
    );
}

#[test]
fn a_foreign_currency_needs_a_rate() {
    let text = VALID.replace("small@p", "small@q");
    assert_eq!(
        problems(&text),
        [
            "s.toml:17:9: offer `small@q` is priced in CNY, but the scenario has no exchange rate for CNY"
        ]
    );
    let with_rate = text.replace(
        "[[workload]]",
        "[[exchange_rate]]\ncurrency = \"CNY\"\nrate = 0.14\nas_of = 2026-11-20\nsource = \"https://example.com\"\n\n[[workload]]",
    );
    assert!(problems(&with_rate).is_empty());
}

#[test]
fn requests_larger_than_the_context_window_are_an_error() {
    // The model takes 8,000 input tokens; a request of 8,001 cannot be served, so pricing it would
    // be a figure for something that cannot happen.
    assert!(problems(&VALID.replace("input_tokens = 1000", "input_tokens = 8000")).is_empty());
    assert_eq!(
        problems(&VALID.replace("input_tokens = 1000", "input_tokens = 8001")),
        [
            "s.toml:17:9: workload `chat` sends requests of 8001 input tokens, but `small@p` accepts at most 8000"
        ]
    );
}

#[test]
fn an_empty_scenario_says_what_is_missing() {
    assert_eq!(
        problems("[scenario]\nname = \"t\"\nstart = \"2027-01\"\n"),
        [
            "s.toml:1:1: the scenario has no workloads",
            "s.toml:1:1: the scenario has no plans"
        ]
    );
}
