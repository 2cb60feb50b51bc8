//! Listing and quoting against the built-in catalog, with figures worked out by hand.

use rust_decimal_macros::dec;

use super::*;

fn today() -> Staleness {
    Staleness {
        today: Date::new(2026, 11, 29).unwrap(),
        after_days: 180,
    }
}

fn request(input: Decimal, output: Decimal) -> QuoteRequest {
    QuoteRequest {
        input_tokens: input,
        cached_input_tokens: Decimal::ZERO,
        cache_write_tokens: Decimal::ZERO,
        cache_ttl: CacheTtl::FiveMinutes,
        output_tokens: output,
        reasoning_tokens: Decimal::ZERO,
        batch: false,
        requests: Decimal::ONE,
    }
}

#[test]
fn every_open_family_has_an_offer() {
    let catalog = Catalog::builtin().unwrap();
    let filter = Filter {
        weights: Some(Weights::Open),
        ..Filter::default()
    };
    let rows = list(&catalog, &filter, SortKey::Id, today());
    for family in [
        "qwen3-235b",
        "qwen3-coder-480b",
        "qwen2.5-72b",
        "deepseek-v3",
        "deepseek-r1",
        "deepseek-v4",
        "kimi-k2",
        "minimax-m1",
        "minimax-m2",
        "glm-4.5",
        "glm-4.6",
        "llama-3.3",
        "llama-4-maverick",
        "llama-4-scout",
        "mistral-large",
        "mistral-small",
        "gpt-oss-120b",
        "gpt-oss-20b",
    ] {
        let providers: Vec<&str> = rows
            .iter()
            .filter(|r| r.model.starts_with(family))
            .map(|r| r.provider.as_str())
            .collect();
        assert!(providers.len() >= 2, "{family}: {providers:?}");
    }
    assert!(rows.iter().all(|r| r.weights == Weights::Open));
}

#[test]
fn filters_and_blended_sort() {
    let catalog = Catalog::builtin().unwrap();
    let filter = Filter {
        provider: Some("deepinfra".to_owned()),
        model: Some("GPT-OSS".to_owned()),
        ..Filter::default()
    };
    // Blended at 3:1: 120b = (3 x 0.037 + 0.17) / 4 = 0.07025; 20b = (3 x 0.03 + 0.14) / 4 = 0.0575.
    let sort = SortKey::Blended {
        input: dec!(3),
        output: dec!(1),
    };
    let rows = list(&catalog, &filter, sort, today());
    let blended: Vec<(&str, Option<Decimal>)> = rows
        .iter()
        .map(|r| (r.offer.as_str(), r.blended_per_mtok))
        .collect();
    assert_eq!(
        blended,
        [
            ("gpt-oss-20b@deepinfra", Some(dec!(0.0575))),
            ("gpt-oss-120b@deepinfra", Some(dec!(0.07025)))
        ]
    );
}

#[test]
fn quotes_are_cheapest_first_with_multiples() {
    let catalog = Catalog::builtin().unwrap();
    let offers = [
        "gpt-5.4@openai".to_owned(),
        "qwen3-235b-a22b-instruct-2507@deepinfra".to_owned(),
    ];
    // GPT-5.4: 10,000 x 2.50 + 1,000 x 15 = 40,000 / 1M = 0.04.
    // Qwen3-235B at DeepInfra: 10,000 x 0.09 + 1,000 x 0.55 = 1,450 / 1M = 0.00145.
    // 0.04 / 0.00145 = 27.586...
    let quotes = quote(
        &catalog,
        &request(dec!(10000), dec!(1000)),
        &offers,
        &Filter::default(),
        today(),
    )
    .unwrap();
    assert_eq!(
        quotes.quotes[0].offer,
        "qwen3-235b-a22b-instruct-2507@deepinfra"
    );
    assert_eq!(quotes.quotes[0].total, dec!(0.00145));
    assert_eq!(quotes.quotes[0].multiple_of_cheapest, Some(Decimal::ONE));
    assert_eq!(quotes.quotes[1].total, dec!(0.04));
    assert_eq!(
        quotes.quotes[1].multiple_of_cheapest.map(|m| m.round_dp(3)),
        Some(dec!(27.586))
    );
}

#[test]
fn quote_rejects_impossible_requests() {
    let catalog = Catalog::builtin().unwrap();
    let mut asked = request(dec!(1000), dec!(10));
    asked.cached_input_tokens = dec!(800);
    asked.cache_write_tokens = dec!(300);
    let error = quote(&catalog, &asked, &[], &Filter::default(), today()).unwrap_err();
    assert!(matches!(error, Error::Argument(_)));
    assert_eq!(error.exit_code(), crate::error::EXIT_USAGE);
    let too_long = request(dec!(300000), dec!(10));
    let named = ["gpt-4o@openai".to_owned()];
    assert!(quote(&catalog, &too_long, &named, &Filter::default(), today()).is_err());
    // Unnamed offers that cannot take the request are listed apart, not priced.
    let all = quote(&catalog, &too_long, &[], &Filter::default(), today()).unwrap();
    assert!(all.too_long_for.contains(&"gpt-4o@openai".to_owned()));
    assert!(all.quotes.iter().all(|q| q.offer != "gpt-4o@openai"));
}

#[test]
fn ratios_parse_strictly() {
    assert_eq!(parse_ratio("3:1"), Ok((dec!(3), dec!(1))));
    assert!(parse_ratio("3").is_err());
    assert!(parse_ratio("0:0").is_err());
    assert!(parse_ratio("-1:2").is_err());
}
