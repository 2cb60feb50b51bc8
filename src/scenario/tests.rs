//! Scenario validation: every rule, every problem reported with its place.

use rust_decimal_macros::dec;

use super::*;
use crate::fixtures;
use crate::pricing::Weights;

/// Model `small` at `small@p` and, priced in CNY, at `small@q`.
fn catalog_text() -> String {
    [
        fixtures::PROVIDER_P,
        &fixtures::model("small", "Small", Weights::Open, "US", 8000),
        &fixtures::offer("small", "p", "2026-11-20", "input = 1\noutput = 2"),
        &fixtures::offer(
            "small",
            "q",
            "2026-11-20",
            "currency = \"CNY\"\ninput = 1\noutput = 2",
        ),
        &fixtures::provider("q", "Q", "CN"),
    ]
    .concat()
}

fn catalog() -> Catalog {
    fixtures::catalog(&catalog_text())
}

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

fn problems(text: &str) -> Vec<String> {
    fixtures::problems(Scenario::parse(
        &SourceFile::new("s.toml", text),
        &catalog(),
    ))
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
fn a_horizon_past_the_year_9999_is_refused() {
    // 9999-01 plus 12 months is 9999-01 to 9999-12: the last month that has dates.
    let text = VALID.replace("start = \"2027-01\"", "start = \"9999-01\"");
    assert!(problems(&text).is_empty(), "{:?}", problems(&text));
    // 9999-01 plus 13 months ends in 10000-01, where no date exists: a change or trend on a
    // day of it could not be placed, so the horizon is refused rather than priced flat.
    let text = VALID.replace("start = \"2027-01\"", "start = \"9999-01\"\nmonths = 13");
    assert_eq!(
        problems(&text),
        ["s.toml:4:10: the horizon of 13 months from 9999-01 ends after 9999-12 (found 10000-01)"]
    );
    // Without `months`, the default year is located at `start`.
    let text = VALID.replace("start = \"2027-01\"", "start = \"9999-02\"");
    assert_eq!(
        problems(&text),
        ["s.toml:3:9: the horizon of 12 months from 9999-02 ends after 9999-12 (found 10000-01)"]
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
        "[[exchange_rate]]\nrate = \"1 CNY = 0.14 USD\"\nas_of = 2026-11-20\nsource = \"https://example.com\"\n\n[[workload]]",
    );
    assert!(problems(&with_rate).is_empty());
}

/// `VALID` in `currency`, with one `[[exchange_rate]]` whose `rate` line is `rate`.
fn with_rate(currency: &str, rate: &str) -> String {
    VALID.replace(
        "start = \"2027-01\"\n",
        &format!(
            "start = \"2027-01\"\ncurrency = \"{currency}\"\n\n[[exchange_rate]]\n{rate}\nas_of = 2026-11-20\nsource = \"https://example.com\"\n"
        ),
    )
}

fn rate_of(currency: &str, rate: &str, foreign: &str) -> Decimal {
    let text = with_rate(currency, rate);
    let scenario = Scenario::parse(&SourceFile::new("s.toml", text), &catalog())
        .unwrap_or_else(|e| panic!("{}", e.report()));
    scenario.rates[foreign].rate
}

#[test]
fn an_exchange_rate_names_both_currencies_and_reads_either_way() {
    // Written towards the report currency: 1 CNY = 0.14 USD is 0.14 USD per CNY.
    assert_eq!(
        rate_of("USD", "rate = \"1 CNY = 0.14 USD\"", "CNY"),
        dec!(0.14)
    );
    // Written away from it: 1 USD = 8 CNY is 1 / 8 = 0.125 USD per CNY.
    assert_eq!(
        rate_of("USD", "rate = \"1 USD = 8 CNY\"", "CNY"),
        dec!(0.125)
    );
    // The ECB's quote in a EUR report: 1 EUR = 1.16 USD is 1 / 1.16 EUR per USD,
    // 0.86206896551724137931034482758|62..., rounded to 28 decimal places.
    assert_eq!(
        rate_of("EUR", "rate = \"1 EUR = 1.16 USD\"", "USD"),
        dec!(0.8620689655172413793103448276)
    );
    // Any amount on either side: 100 JPY = 0.67 USD is 0.0067 USD per JPY.
    assert_eq!(
        rate_of("USD", "rate = \"100 JPY = 0.67 USD\"", "JPY"),
        dec!(0.0067)
    );
    // The note shows the rate as written, with single spaces.
    let text = with_rate("EUR", "rate = \"1  EUR=1.16 USD\"");
    let scenario = Scenario::parse(&SourceFile::new("s.toml", text), &catalog()).unwrap();
    assert_eq!(scenario.rates["USD"].quote, "1 EUR = 1.16 USD");
}

#[test]
fn a_bare_number_rate_is_refused_with_both_readings() {
    // The old form: `currency` and a number that does not say which way it converts.
    let text = with_rate("EUR", "currency = \"USD\"\nrate = 1.16");
    let Err(Error::Invalid(diagnostics)) =
        Scenario::parse(&SourceFile::new("s.toml", text), &catalog())
    else {
        panic!("expected an error");
    };
    // Reported once, at the rate; the routes priced in USD are not told again that it is missing.
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].location(), "s.toml:8:8");
    assert_eq!(
        diagnostics[0].message(),
        "`rate` must name both currencies, so that its direction is clear (found 1.16)"
    );
    assert!(diagnostics[0].to_string().ends_with(
        "hint: write `rate = \"1 USD = 1.16 EUR\"` if one USD buys 1.16 EUR, or `rate = \"1 EUR = 1.16 USD\"` if one EUR buys 1.16 USD, and remove `currency`"
    ));
}

#[test]
fn malformed_exchange_rates_are_located() {
    let cases = [
        (
            "rate = \"CNY 1 = 0.14 USD\"",
            "`rate` must read like \"1 EUR = 1.16 USD\" (found \"CNY 1 = 0.14 USD\")",
        ),
        (
            "rate = \"1 CNY = 0.14 usd\"",
            "`rate` must read like \"1 EUR = 1.16 USD\" (found \"1 CNY = 0.14 usd\")",
        ),
        (
            "rate = \"1 CNY = 0.14 USD cash\"",
            "`rate` must read like \"1 EUR = 1.16 USD\" (found \"1 CNY = 0.14 USD cash\")",
        ),
        (
            "rate = \"0 CNY = 0.14 USD\"",
            "the amounts of `rate` must be above 0 (found \"0 CNY = 0.14 USD\")",
        ),
        (
            "rate = \"1 CNY = 1 CNY\"",
            "`rate` converts `CNY` into itself (found \"1 CNY = 1 CNY\")",
        ),
        (
            "rate = \"1 CNY = 0.13 EUR\"",
            "`rate` must convert to or from the report currency USD (found \"1 CNY = 0.13 EUR\")",
        ),
        (
            "rate = \"0.0000000000000000000000000001 CNY = 79228162514264337593543950335 USD\"",
            "`rate` is outside the decimal range (found \"0.0000000000000000000000000001 CNY = 79228162514264337593543950335 USD\")",
        ),
        (
            "currency = \"CNY\"\nrate = \"1 CNY = 0.14 USD\"",
            "`currency` is not needed: `rate` names both currencies",
        ),
    ];
    for (rate, message) in cases {
        let text = with_rate("USD", rate).replace("small@p", "small@q");
        let found = problems(&text);
        // One problem, at the rate: never repeated as a missing rate at the CNY route.
        assert_eq!(found.len(), 1, "{rate}: {found:?}");
        assert!(found[0].starts_with("s.toml:7:"), "{rate}: {found:?}");
        assert!(found[0].ends_with(message), "{rate}: {found:?}");
    }
    // A rate that names no currency cannot stand for the missing CNY rate.
    let nameless = with_rate("USD", "rate = \"1.16\"").replace("small@p", "small@q");
    assert_eq!(
        problems(&nameless),
        [
            "s.toml:7:8: `rate` must read like \"1 EUR = 1.16 USD\" (found \"1.16\")",
            "s.toml:23:9: offer `small@q` is priced in CNY, but the scenario has no exchange rate for CNY",
        ]
    );
    let twice = with_rate("USD", "rate = \"1 CNY = 0.14 USD\"").replace(
        "[[workload]]",
        "[[exchange_rate]]\nrate = \"1 USD = 7 CNY\"\nas_of = 2026-11-20\nsource = \"https://example.com\"\n\n[[workload]]",
    );
    assert_eq!(
        problems(&twice),
        ["s.toml:12:8: a second exchange rate for `CNY`"]
    );
}

#[test]
fn a_missing_rate_is_reported_once_with_every_route_that_needs_it() {
    // Three plans route `chat` to `small@q`, priced in CNY: one problem, at the first route.
    let mut text = VALID.replace("small@p", "small@q");
    for plan in ["cheap", "mixed"] {
        text = format!(
            "{text}\n[[plan]]\nid = \"{plan}\"\n[[plan.route]]\nworkload = \"chat\"\noffer = \"small@q\"\n"
        );
    }
    let Err(Error::Invalid(diagnostics)) =
        Scenario::parse(&SourceFile::new("s.toml", text), &catalog())
    else {
        panic!("expected an error");
    };
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].location(), "s.toml:17:9");
    assert_eq!(
        diagnostics[0].message(),
        "offer `small@q` is priced in CNY, but the scenario has no exchange rate for CNY; 3 routes need it: offer `small@q` in plans `base`, `cheap`, `mixed`"
    );
    assert!(diagnostics[0].to_string().ends_with(
        "hint: add an `[[exchange_rate]]` with `rate = \"1 CNY = ... USD\"` (what one CNY is worth in USD), `as_of` and `source`"
    ));
}

#[test]
fn an_invalid_workload_value_does_not_hide_the_problems_of_its_routes() {
    // An out-of-range cache share, an unknown offer and shares summing to 0.5, all in one pass.
    let text = VALID
        .replace(
            "output_tokens = 100",
            "output_tokens = 100\ncache_hit_share = 1.5",
        )
        .replace("offer = \"small@p\"", "offer = \"smal@p\"\nshare = 0.5");
    assert_eq!(
        problems(&text),
        [
            "s.toml:10:19: `cache_hit_share` must be between 0 and 1 (found 1.5)",
            "s.toml:18:9: unknown offer `smal@p`",
            "s.toml:13:6: the shares of workload `chat` in plan `base` sum to 0.5, not 1",
        ]
    );
    // A workload without a size still has its routes checked, and its plans' routing.
    let sizeless = VALID
        .replace("input_tokens = 1000\noutput_tokens = 100\n", "")
        .replace("small@p", "small@q");
    assert_eq!(
        problems(&sizeless),
        [
            "s.toml:6:6: workload `chat` has no request size",
            "s.toml:15:9: offer `small@q` is priced in CNY, but the scenario has no exchange rate for CNY",
        ]
    );
}

/// `VALID` on the built-in catalog with replicas that scale down, routed to a self-hosted
/// deployment by two plans, with `peak` as the workload's `peak_to_average`.
fn scaling_down(peak: &str, hours: u32) -> Vec<String> {
    let offer = "qwen3-235b-a22b-instruct-2507@self-h100x4-vllm";
    let text = format!(
        "{}\n[[plan]]\nid = \"again\"\n[[plan.route]]\nworkload = \"chat\"\noffer = \"{offer}\"\n\n\
         [self_hosting]\ncapacity = \"scale_down\"\npeak_hours_per_day = {hours}\n",
        VALID
            .replace(
                "output_tokens = 100",
                &format!("output_tokens = 100\npeak_to_average = {peak}")
            )
            .replace("small@p", offer)
    );
    let catalog = Catalog::builtin().unwrap();
    match Scenario::parse(&SourceFile::new("s.toml", text), &catalog) {
        Ok(_) => Vec::new(),
        Err(Error::Invalid(diagnostics)) => diagnostics.iter().map(ToString::to_string).collect(),
        Err(other) => panic!("unexpected {other}"),
    }
}

#[test]
fn a_peak_longer_than_the_day_is_reported_once_at_peak_to_average() {
    // 3 x 8 = 24 hours of average traffic in the 8 peak hours: the whole day, allowed.
    assert!(scaling_down("3", 8).is_empty());
    // 3.5 x 8 = 28 > 24: once, at `peak_to_average` (line 10), though two plans route it.
    let found = scaling_down("3.5", 8);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with(
            "error: s.toml:10:19: workload `chat` peaks at 3.5x its average for 8 hours a day (`peak_hours_per_day`), more than its whole day's traffic"
        ),
        "{}",
        found[0]
    );
    assert!(found[0].ends_with(
        "hint: with `capacity = \"scale_down\"`, `peak_to_average` times `peak_hours_per_day` must be at most 24 (found 3.5 x 8 = 28.0); lower one of them"
    ), "{}", found[0]);
    // A product beyond the decimal range is the same problem, not a panic.
    let found = scaling_down("\"79228162514264337593543950335\"", 23);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].ends_with("(found 79228162514264337593543950335 x 23); lower one of them"),
        "{}",
        found[0]
    );
}
#[test]
fn requests_larger_than_the_context_window_are_an_error() {
    // The model takes 8,000 input tokens; a request of 8,001 cannot be served, so pricing it would
    // be a figure for something that cannot happen.
    assert!(problems(&VALID.replace("input_tokens = 1000", "input_tokens = 8000")).is_empty());
    assert_eq!(
        problems(&VALID.replace("input_tokens = 1000", "input_tokens = 8001")),
        [
            "s.toml:17:9: workload `chat` sends requests of 8001 prompt tokens, but `small@p` accepts at most 8000"
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

/// `small@voice`, which prices audio and searches.
const VOICE_OFFERS: &str = r#"
[[provider]]
id = "voice"
name = "VOICE"
country = "US"
pricing_url = "https://example.com/pricing"

[[offer]]
model = "small"
provider = "voice"
as_of = 2026-11-20
source = "https://example.com/pricing"
input = 1
output = 2
audio_input = 10
audio_output = 20
web_search = 0.01
"#;

/// Every problem with `text` against `CATALOG` plus `extra`, whole (location, message, hint).
fn problems_with(extra: &str, text: &str) -> Vec<String> {
    let catalog = Catalog::parse(&[
        SourceFile::new("catalog.toml", catalog_text()),
        SourceFile::new("extra.toml", extra),
    ])
    .unwrap_or_else(|e| panic!("{}", e.report()));
    match Scenario::parse(&SourceFile::new("s.toml", text), &catalog) {
        Ok(_) => Vec::new(),
        Err(Error::Invalid(diagnostics)) => diagnostics.iter().map(ToString::to_string).collect(),
        Err(other) => panic!("unexpected {other}"),
    }
}

/// `VALID` with `keys` added to the workload, routed to `offer`.
fn carrying(keys: &str, offer: &str) -> String {
    VALID
        .replace(
            "output_tokens = 100",
            &format!("output_tokens = 100\n{keys}"),
        )
        .replace("small@p", offer)
}

#[test]
fn a_refused_component_at_an_offer_without_its_price_is_located_at_the_route() {
    // `small@p` prices text only. The route's `offer` is on line 17 plus the lines added.
    let found = problems_with("", &carrying("audio_input_tokens = 500", "small@p"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with(
            "error: s.toml:18:9: workload `chat` carries `audio_input`, but `small@p` has no `audio_input` price"
        ),
        "{}",
        found[0]
    );
    assert!(
        found[0].ends_with(
            "hint: route it to an offer that prices `audio_input`, or add the price with `--pricing`"
        ),
        "{}",
        found[0]
    );
    for (key, component) in [
        ("audio_output_tokens = 50", "audio_output"),
        ("web_searches = 2", "web_search"),
        // Every audio token read from the cache: the missing price is still `audio_input`'s,
        // which a cache read falls back to.
        (
            "audio_input_tokens = 500\naudio_cache_hit_share = 1",
            "audio_input",
        ),
    ] {
        let found = problems_with("", &carrying(key, "small@p"));
        assert_eq!(found.len(), 1, "{key}: {found:?}");
        assert!(
            found[0].contains(&format!(
                "workload `chat` carries `{component}`, but `small@p` has no `{component}` price"
            )),
            "{key}: {}",
            found[0]
        );
    }
    // Images fall back to the input price, and zero audio is no audio.
    assert!(problems_with("", &carrying("image_input_tokens = 800", "small@p")).is_empty());
    assert!(problems_with("", &carrying("audio_input_tokens = 0", "small@p")).is_empty());
    // An offer with the prices takes all of them.
    let all = "audio_input_tokens = 500\naudio_output_tokens = 50\nweb_searches = 2";
    assert!(problems_with(VOICE_OFFERS, &carrying(all, "small@voice")).is_empty());
}

#[test]
fn a_price_only_a_service_table_states_covers_only_the_requests_sent_through_it() {
    // `small@flexvoice` prices audio in `[offer.flex]` alone: flex requests can be billed, standard
    // ones cannot.
    let flex_only = r#"
[[provider]]
id = "flexvoice"
name = "FLEXVOICE"
country = "US"
pricing_url = "https://example.com/pricing"

[[offer]]
model = "small"
provider = "flexvoice"
as_of = 2026-11-20
source = "https://example.com/pricing"
input = 1
output = 2
[offer.flex]
audio_input = 5
"#;
    let all_flex = carrying(
        "audio_input_tokens = 500\nflex_share = 1",
        "small@flexvoice",
    );
    assert!(problems_with(flex_only, &all_flex).is_empty());
    let half_flex = carrying(
        "audio_input_tokens = 500\nflex_share = 0.5",
        "small@flexvoice",
    );
    let found = problems_with(flex_only, &half_flex);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("`small@flexvoice` has no `audio_input` price"));
}

/// `text` on the built-in catalog, every problem whole.
fn builtin_problems(text: &str) -> Vec<String> {
    let catalog = Catalog::builtin().unwrap();
    match Scenario::parse(&SourceFile::new("s.toml", text), &catalog) {
        Ok(_) => Vec::new(),
        Err(Error::Invalid(diagnostics)) => diagnostics.iter().map(ToString::to_string).collect(),
        Err(other) => panic!("unexpected {other}"),
    }
}

#[test]
fn a_self_hosted_deployment_serves_audio_and_images_as_prompt_but_runs_no_search() {
    let deployment = "qwen3-235b-a22b-instruct-2507@self-h100x4-vllm";
    let tokens = "audio_input_tokens = 500\nimage_input_tokens = 300\naudio_output_tokens = 50";
    assert!(builtin_problems(&carrying(tokens, deployment)).is_empty());
    let found = builtin_problems(&carrying("web_searches = 1", deployment));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with(
            "error: s.toml:18:9: workload `chat` carries `web_search`, but self-hosted \
             `qwen3-235b-a22b-instruct-2507@self-h100x4-vllm` cannot run web searches"
        ),
        "{}",
        found[0]
    );
    assert!(found[0].contains("hint: route it to an offer that prices `web_search`"));
}

#[test]
fn cache_hits_and_writes_of_every_lifetime_are_shares_of_the_same_tokens() {
    // 0.5 + 0.3 + 0.3 = 1.1: reported at the last write share stated (line 12).
    let over = carrying(
        "cache_hit_share = 0.5\ncache_write_5m_share = 0.3\ncache_write_1h_share = 0.3",
        "small@p",
    );
    assert_eq!(
        problems(&over),
        [
            "s.toml:12:24: `cache_hit_share` plus `cache_write_5m_share` plus `cache_write_1h_share` is 1.1, above 1"
        ]
    );
    // Exactly 1 is allowed, and splits 1,000 text tokens into 500 hits, 200 + 100 + 200 writes
    // and no plain input.
    let whole = carrying(
        "cache_hit_share = 0.5\ncache_write_5m_share = 0.2\ncache_write_1h_share = 0.1\n\
         cache_write_12h_share = 0.2",
        "small@p",
    );
    let scenario = Scenario::parse(&SourceFile::new("s.toml", whole), &catalog()).unwrap();
    let workload = &scenario.workloads[0];
    let q = workload.quantities(&workload.sizes[0]).unwrap();
    assert_eq!(
        (
            q[Component::Input],
            q[Component::CachedInput],
            q[Component::CacheWrite5m],
            q[Component::CacheWrite1h],
            q[Component::CacheWrite12h],
        ),
        (dec!(0), dec!(500), dec!(200), dec!(100), dec!(200))
    );
    // The shorthand names one lifetime, 12 hours included: 1,000 x 0.25 = 250 written for 12h.
    let shorthand = carrying(
        "cache_write_share = 0.25\ncache_write_ttl = \"12h\"",
        "small@p",
    );
    let scenario = Scenario::parse(&SourceFile::new("s.toml", shorthand), &catalog()).unwrap();
    let workload = &scenario.workloads[0];
    let q = workload.quantities(&workload.sizes[0]).unwrap();
    assert_eq!(
        (q[Component::Input], q[Component::CacheWrite12h]),
        (dec!(750), dec!(250))
    );
}

#[test]
fn a_write_lifetime_needs_its_share_and_one_form_of_write_shares() {
    assert_eq!(
        problems(&carrying("cache_write_ttl = \"1h\"", "small@p")),
        ["s.toml:10:19: `cache_write_ttl` goes with `cache_write_share`"]
    );
    assert_eq!(
        problems(&carrying(
            "cache_write_share = 0.2\ncache_write_1h_share = 0.1",
            "small@p"
        )),
        ["s.toml:11:24: give `cache_write_share` or `cache_write_1h_share`, not both"]
    );
}

#[test]
fn batch_flex_and_priority_shares_together_are_at_most_one() {
    assert_eq!(
        problems(&carrying(
            "batch_share = 0.5\nflex_share = 0.3\npriority_share = 0.3",
            "small@p"
        )),
        ["s.toml:12:18: the batch, flex and priority shares add up to 1.1, above 1"]
    );
    // Exactly 1 leaves no standard requests.
    let all = carrying(
        "batch_share = 0.5\nflex_share = 0.3\npriority_share = 0.2",
        "small@p",
    );
    let scenario = Scenario::parse(&SourceFile::new("s.toml", all), &catalog()).unwrap();
    let shares: Vec<(Option<ServiceTier>, Decimal)> = scenario.workloads[0]
        .service_shares()
        .into_iter()
        .map(|(tier, share)| (tier, share.get()))
        .collect();
    assert_eq!(
        shares,
        [
            (None, dec!(0)),
            (Some(ServiceTier::Batch), dec!(0.5)),
            (Some(ServiceTier::Flex), dec!(0.3)),
            (Some(ServiceTier::Priority), dec!(0.2)),
        ]
    );
}

#[test]
fn the_context_window_holds_the_whole_prompt_images_and_audio_included() {
    // `small` takes at most 8,000 prompt tokens: 7,000 of text and 2,000 of images are 9,000.
    let text = VALID.replace(
        "input_tokens = 1000",
        "input_tokens = 7000\nimage_input_tokens = 2000",
    );
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .contains("sends requests of 9000 prompt tokens, but `small@p` accepts at most 8000"),
        "{found:?}"
    );
    // 7,000 of text and 1,000 of images fit exactly.
    let text = VALID.replace(
        "input_tokens = 1000",
        "input_tokens = 7000\nimage_input_tokens = 1000",
    );
    assert_eq!(problems(&text), Vec::<String>::new());
}

#[test]
fn a_trend_or_rate_date_whose_year_has_not_four_digits_is_named_as_out_of_range() {
    let text = format!(
        "{}\n[[trend]]\nchange = \"-10%\"\nfrom = 0001-01-01\n",
        with_rate("CNY", "rate = \"1 CNY = 1 CNY\"")
            .replace("currency = \"CNY\"", "currency = \"USD\"")
            .replace("rate = \"1 CNY = 1 CNY\"", "rate = \"1 CNY = 0.14 USD\"")
            .replace("as_of = 2026-11-20", "as_of = 0999-01-01")
    );
    assert_eq!(
        problems(&text),
        [
            "s.toml:8:9: `as_of` must be a date from 1000-01-01 to 9999-12-31 (found `0999-01-01`)",
            "s.toml:27:8: `from` must be a date from 1000-01-01 to 9999-12-31 (found `0001-01-01`)",
        ]
    );
}
