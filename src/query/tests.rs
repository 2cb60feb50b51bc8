//! Listing and quoting against the built-in catalog, with figures worked out by hand.

use rust_decimal_macros::dec;

use super::*;
use crate::component::Component;
use crate::estimate::Quantities;
use crate::fixtures;

fn today() -> Staleness {
    Staleness {
        today: Date::new(2026, 11, 29).unwrap(),
        after_days: 180,
    }
}

fn options() -> QuoteOptions<'static> {
    QuoteOptions {
        staleness: today(),
        date: today().today,
        include_retired: false,
        conversion: None,
    }
}

fn request(input: Decimal, output: Decimal) -> QuoteRequest {
    let mut quantities = Quantities::default();
    quantities[Component::Input] = input;
    quantities[Component::Output] = output;
    quantities[Component::Request] = Decimal::ONE;
    QuoteRequest {
        quantities,
        service_tier: None,
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
    let rows = list(&catalog, &filter, SortKey::Id, today(), None)
        .unwrap()
        .offers;
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
    let rows = list(&catalog, &filter, sort, today(), None).unwrap().offers;
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
        options(),
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
    // Parts of the prompt larger than it are refused where the flags are read (`cli`).
    let too_long = request(dec!(300000), dec!(10));
    let named = ["gpt-4o@openai".to_owned()];
    assert!(quote(&catalog, &too_long, &named, &Filter::default(), options()).is_err());
    // Unnamed offers that cannot take the request are listed apart, not priced.
    let all = quote(&catalog, &too_long, &[], &Filter::default(), options()).unwrap();
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

/// Two hosts of two models, one billing in euros and one in dollars.
fn two_currencies() -> Catalog {
    fixtures::catalog(
        &[
            fixtures::provider("host-eu", "Host EU", "FR"),
            fixtures::provider("host-us", "Host US", "US"),
            fixtures::model("model-a", "Model A", Weights::Open, "FR", 131_072),
            fixtures::model("model-b", "Model B", Weights::Open, "US", 131_072),
            fixtures::offer(
                "model-a",
                "host-eu",
                "2026-11-01",
                "currency = \"EUR\"\ninput = 1.00\noutput = 2.00",
            ),
            fixtures::offer(
                "model-b",
                "host-us",
                "2026-11-01",
                "input = 1.20\noutput = 2.00",
            ),
        ]
        .concat(),
    )
}

fn quote_in(catalog: &Catalog, conversion: Option<&Conversion>) -> Quotes {
    quote(
        catalog,
        &request(dec!(10000), dec!(1000)),
        &[],
        &Filter::default(),
        QuoteOptions {
            conversion,
            ..options()
        },
    )
    .unwrap()
}

fn total_of(quotes: &Quotes, offer: &str) -> (Decimal, Option<Decimal>) {
    let quote = quotes.quotes.iter().find(|q| q.offer == offer).unwrap();
    (quote.total, quote.multiple_of_cheapest)
}

#[test]
fn quotes_in_two_currencies_are_ranked_apart_without_a_conversion() {
    // Model A at Host EU: 10,000 x 1.00 + 1,000 x 2.00 = 12,000 / 1M = EUR 0.012.
    // Model B at Host US: 10,000 x 1.20 + 1,000 x 2.00 = 14,000 / 1M = USD 0.014.
    // Each is the cheapest of its own currency; neither is compared with the other.
    let quotes = quote_in(&two_currencies(), None);
    assert_eq!(quotes.currencies, ["USD", "EUR"]);
    assert_eq!(quotes.currency, None);
    let order: Vec<&str> = quotes.quotes.iter().map(|q| q.offer.as_str()).collect();
    assert_eq!(order, ["model-b@host-us", "model-a@host-eu"]);
    assert_eq!(
        total_of(&quotes, "model-a@host-eu"),
        (dec!(0.012), Some(Decimal::ONE))
    );
    assert_eq!(
        total_of(&quotes, "model-b@host-us"),
        (dec!(0.014), Some(Decimal::ONE))
    );
}

#[test]
fn a_conversion_ranks_both_currencies_together_in_either_direction() {
    let catalog = two_currencies();
    let eur_in_usd = parse_rate("1 EUR = 1.16 USD").unwrap();

    // Into USD: model A is 0.012 x 1.16 = USD 0.01392, now the cheapest; model B stays
    // USD 0.014, 0.014 / 0.01392 = 175 / 174 = 1.00574... times the cheapest.
    let usd = Conversion::new("USD", vec![eur_in_usd.clone()]).unwrap();
    let quotes = quote_in(&catalog, Some(&usd));
    assert_eq!(quotes.currencies, ["USD"]);
    let order: Vec<&str> = quotes.quotes.iter().map(|q| q.offer.as_str()).collect();
    assert_eq!(order, ["model-a@host-eu", "model-b@host-us"]);
    assert_eq!(
        total_of(&quotes, "model-a@host-eu"),
        (dec!(0.01392), Some(Decimal::ONE))
    );
    let (b, multiple) = total_of(&quotes, "model-b@host-us");
    assert_eq!(b, dec!(0.014));
    assert_eq!(multiple.map(|m| m.round_dp(6)), Some(dec!(1.005747)));
    let a = &quotes.quotes[0];
    assert_eq!(
        (a.offer_currency.as_str(), a.exchange_rate),
        ("EUR", dec!(1.16))
    );
    assert_eq!(a.per_request.costs[Component::Input], dec!(0.0116)); // 10,000 x 1.00 / 1M x 1.16
    assert!(
        a.notes
            .contains(&"priced in EUR, converted at 1 EUR = 1.16 USD".to_owned())
    );

    // Into EUR with the same rate, read backwards: model B is 0.014 / 1.16 = EUR 0.0120689655...,
    // still dearer than model A's EUR 0.012 by the same 175 / 174.
    let eur = Conversion::new("EUR", vec![eur_in_usd]).unwrap();
    let quotes = quote_in(&catalog, Some(&eur));
    let (b, multiple) = total_of(&quotes, "model-b@host-us");
    assert_eq!(b.round_dp(10), dec!(0.0120689655));
    assert_eq!((b * dec!(1.16)).round_dp(20), dec!(0.014));
    assert_eq!(multiple.map(|m| m.round_dp(6)), Some(dec!(1.005747)));
    assert_eq!(total_of(&quotes, "model-a@host-eu").0, dec!(0.012));

    // The rate written the other way: 1 USD = 0.862 EUR makes model B 0.014 x 0.862 = EUR 0.012068.
    let eur = Conversion::new("EUR", vec![parse_rate("USD:EUR=0.862").unwrap()]).unwrap();
    let quotes = quote_in(&catalog, Some(&eur));
    assert_eq!(total_of(&quotes, "model-b@host-us").0, dec!(0.012068));
}

#[test]
fn a_conversion_without_a_needed_rate_is_a_usage_error() {
    let usd = Conversion::new("USD", Vec::new()).unwrap();
    let error = quote(
        &two_currencies(),
        &request(dec!(10), dec!(1)),
        &[],
        &Filter::default(),
        QuoteOptions {
            conversion: Some(&usd),
            ..options()
        },
    )
    .unwrap_err();
    assert_eq!(error.exit_code(), crate::error::EXIT_USAGE);
    let message = error.to_string();
    assert!(
        message.contains("no `--rate` for EUR (`model-a@host-eu`)"),
        "{message}"
    );
    // A rate that does not involve the target currency, or a second rate for one currency.
    let gbp = parse_rate("1 EUR = 0.85 GBP").unwrap();
    assert!(Conversion::new("USD", vec![gbp]).is_err());
    let twice = vec![
        parse_rate("1 EUR = 1.16 USD").unwrap(),
        parse_rate("1 USD = 0.86 EUR").unwrap(),
    ];
    assert!(Conversion::new("USD", twice).is_err());
}

#[test]
fn rates_state_their_direction() {
    let expected = Rate {
        from: "EUR".to_owned(),
        amount_from: Decimal::ONE,
        to: "USD".to_owned(),
        amount_to: dec!(1.16),
    };
    assert_eq!(parse_rate("1 EUR = 1.16 USD"), Ok(expected.clone()));
    assert_eq!(parse_rate("1eur=1.16usd"), Ok(expected.clone()));
    assert_eq!(parse_rate("EUR:USD=1.16"), Ok(expected));
    assert_eq!(
        parse_rate("100 JPY = 0.65 USD").map(|r| (r.amount_from, r.amount_to)),
        Ok((dec!(100), dec!(0.65)))
    );
    for bad in [
        "1.16",
        "EUR=1.16",
        "1 EUR = 0 USD",
        "1 EUR = 1 EUR",
        "1 EURO = 1.16 USD",
        "-1 EUR = 1 USD",
    ] {
        assert!(parse_rate(bad).is_err(), "{bad}");
    }
}

#[test]
fn models_converted_and_grouped_by_currency() {
    let catalog = two_currencies();
    // Sorted by input price without a conversion: USD first, then EUR, each among its own.
    let listing = list(&catalog, &Filter::default(), SortKey::Input, today(), None).unwrap();
    assert!(listing.sorted_within_currency);
    let ids: Vec<&str> = listing.offers.iter().map(|r| r.offer.as_str()).collect();
    assert_eq!(ids, ["model-b@host-us", "model-a@host-eu"]);
    // In USD at 1 EUR = 1.16 USD: model A's input is 1.00 x 1.16 = 1.16 < 1.20, so it comes first.
    let usd = Conversion::new("USD", vec![parse_rate("1 EUR = 1.16 USD").unwrap()]).unwrap();
    let listing = list(
        &catalog,
        &Filter::default(),
        SortKey::Input,
        today(),
        Some(&usd),
    )
    .unwrap();
    assert!(!listing.sorted_within_currency);
    let prices: Vec<(&str, Decimal)> = listing
        .offers
        .iter()
        .map(|r| (r.offer.as_str(), r.input_per_mtok))
        .collect();
    assert_eq!(
        prices,
        [
            ("model-a@host-eu", dec!(1.16)),
            ("model-b@host-us", dec!(1.20))
        ]
    );
}

#[test]
fn retired_offers_are_listed_apart_unless_asked_for() {
    let catalog = Catalog::builtin().unwrap();
    let named = ["o4-mini@openai".to_owned(), "gpt-5-mini@openai".to_owned()];
    // o4-mini was retired on 2026-10-23, before 2026-11-29; gpt-5-mini retires on 2026-12-11,
    // after it, so it is still priced (with a note).
    let quotes = quote(
        &catalog,
        &request(dec!(1000), dec!(100)),
        &named,
        &Filter::default(),
        options(),
    )
    .unwrap();
    let priced: Vec<&str> = quotes.quotes.iter().map(|q| q.offer.as_str()).collect();
    assert_eq!(priced, ["gpt-5-mini@openai"]);
    assert_eq!(quotes.retired.len(), 1);
    assert_eq!(quotes.retired[0].offer, "o4-mini@openai");
    assert_eq!(
        quotes.retired[0].deprecated,
        Date::new(2026, 10, 23).unwrap()
    );
    assert!(
        quotes.quotes[0]
            .notes
            .contains(&"deprecated from 2026-12-11".to_owned())
    );
    // The same among every offer: never ranked, always listed.
    let all = quote(
        &catalog,
        &request(dec!(1000), dec!(100)),
        &[],
        &Filter::default(),
        options(),
    )
    .unwrap();
    assert!(all.quotes.iter().all(|q| q.offer != "o4-mini@openai"));
    assert!(all.retired.iter().any(|r| r.offer == "o4-mini@openai"));
    // On the retirement date itself the offer is retired.
    let on_the_day = QuoteOptions {
        staleness: Staleness {
            today: Date::new(2026, 10, 23).unwrap(),
            after_days: 180,
        },
        ..options()
    };
    let quotes = quote(
        &catalog,
        &request(dec!(1000), dec!(100)),
        &named,
        &Filter::default(),
        on_the_day,
    )
    .unwrap();
    assert_eq!(quotes.retired.len(), 1);
    // `--include-retired` prices it: 1,000 x 1.1 + 100 x 4.4 = 1,540 / 1M = 0.00154.
    let included = QuoteOptions {
        include_retired: true,
        ..options()
    };
    let quotes = quote(
        &catalog,
        &request(dec!(1000), dec!(100)),
        &named,
        &Filter::default(),
        included,
    )
    .unwrap();
    assert!(quotes.retired.is_empty());
    let o4 = quotes
        .quotes
        .iter()
        .find(|q| q.offer == "o4-mini@openai")
        .unwrap();
    assert_eq!(o4.total, dec!(0.00154));
    assert!(o4.notes.contains(&"retired from 2026-10-23".to_owned()));
}

#[test]
fn huge_counts_are_refused_or_reported_never_a_panic() {
    let catalog = Catalog::builtin().unwrap();
    // Prompt parts that add up beyond the decimal range: a usage error, never a panic.
    let mut asked = request(Decimal::MAX, dec!(1));
    asked.quantities[Component::CachedInput] = Decimal::MAX;
    let error = quote(&catalog, &asked, &[], &Filter::default(), options()).unwrap_err();
    assert_eq!(error.exit_code(), crate::error::EXIT_USAGE);
    // A prompt that fits but costs more than the decimal range: 1,000,000 x 2.50 / 1M = 2.50
    // per request, times 7.9e28 requests. An overflow naming the offer.
    let named = ["gpt-5.4@openai".to_owned()];
    let mut asked = request(dec!(1_000_000), dec!(0));
    asked.requests = Decimal::MAX;
    let error = quote(&catalog, &asked, &named, &Filter::default(), options()).unwrap_err();
    assert!(
        matches!(&error, Error::Overflow { what } if what.contains("`gpt-5.4@openai`")),
        "{error}"
    );
    assert_eq!(error.exit_code(), crate::error::EXIT_INVALID);
}

#[test]
fn the_largest_ratio_is_refused_and_the_blended_price_is_checked() {
    let max = Decimal::MAX.to_string();
    assert!(parse_ratio(&format!("{max}:{max}")).is_err());
    assert_eq!(
        parse_ratio(&format!("{max}:0")),
        Ok((Decimal::MAX, Decimal::ZERO))
    );
    // MAX:0 parses, but MAX x an input price above 1 overflows: an error, not a panic.
    let catalog = Catalog::builtin().unwrap();
    let sort = SortKey::Blended {
        input: Decimal::MAX,
        output: Decimal::ZERO,
    };
    let error = list(&catalog, &Filter::default(), sort, today(), None).unwrap_err();
    assert!(matches!(error, Error::Overflow { .. }), "{error}");
}
