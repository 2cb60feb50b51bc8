use rust_decimal_macros::dec;

use super::*;

#[test]
fn per_token_floats_become_exact_per_million_prices() {
    // 6.5e-07 per token x 1,000,000 = 0.65 per 1M, exactly.
    assert_eq!(exact("6.5e-07", 6), Ok(dec!(0.65)));
    assert_eq!(exact("1.25e-06", 6), Ok(dec!(1.25)));
    // Decimal strings (OpenRouter) and plain numbers (per 1M already) alike.
    assert_eq!(exact("\"0.0000025\"", 6), Ok(dec!(2.5)));
    assert_eq!(exact("2.50", 0), Ok(dec!(2.5)));
}

#[test]
fn float_noise_is_rounded_to_the_digits_the_source_meant() {
    // 17 significant digits: the double nearest 2e-06, written out in full. 15 digits give
    // 2.00000000000000e-06, so 2 per 1M.
    assert_eq!(exact("2.0000000000000002e-06", 6), Ok(dec!(2)));
    // 0.65000000000000001 per 1M is the noise the importer must never leave.
    assert_eq!(exact("6.5000000000000001e-07", 6), Ok(dec!(0.65)));
    // 2.9999900000000002e-06 -> 2.99999000000000 (15 digits) -> 2.99999 per 1M.
    assert_eq!(exact("2.9999900000000002e-06", 6), Ok(dec!(2.99999)));
    // Fifteen digits or fewer are kept as written, even if they look odd.
    assert_eq!(exact("3.33333333333333e-06", 6), Ok(dec!(3.33333333333333)));
}

#[test]
fn text_that_is_not_a_number_is_an_error() {
    assert!(exact("abc", 6).is_err());
    assert!(exact("1e400", 6).is_err());
}

#[test]
fn a_zero_cache_write_is_not_a_free_write() {
    let mut entry = Entry::default();
    entry.set(
        None,
        None,
        Component::CacheWrite5m,
        dec!(0),
        "cache_creation_input_token_cost",
    );
    entry.set(
        None,
        None,
        Component::CachedInput,
        dec!(0),
        "cache_read_input_token_cost",
    );
    assert_eq!(entry.prices.get(&Component::CacheWrite5m), None);
    // A zero cache read is a price (a free read), not left out.
    assert_eq!(entry.prices.get(&Component::CachedInput), Some(&dec!(0)));
    assert_eq!(entry.notes.len(), 1);
}

#[test]
fn tiers_stay_in_order_of_threshold() {
    let mut entry = Entry::default();
    entry.set(Some(272_000), None, Component::Input, dec!(10), "a");
    entry.set(Some(128_000), None, Component::Input, dec!(2.4), "b");
    entry.set(
        Some(272_000),
        Some(ServiceTier::Batch),
        Component::Input,
        dec!(5),
        "c",
    );
    let thresholds: Vec<u64> = entry.tiers.iter().map(|t| t.above_input_tokens).collect();
    assert_eq!(thresholds, [128_000, 272_000]);
    assert_eq!(
        entry.tiers[1].services[&ServiceTier::Batch][&Component::Input],
        dec!(5)
    );
}

/// The feed with one model of provider `p` whose `prices` are `prices` (JSON text).
fn feed(prices: &str, comments: &str) -> Arc<SourceFile> {
    SourceFile::new(
        "data.json".to_owned(),
        format!(
            r#"[{{"id": "p", "models": [{{"id": "m", "price_comments": "{comments}", "prices": {prices}}}]}}]"#
        ),
    )
}

fn entry(prices: &str, comments: &str, on: &str) -> Entry {
    let file = feed(prices, comments);
    let mut entries = genai_prices::parse(&file, Date::parse(on).unwrap()).unwrap();
    entries.remove("p/m").unwrap()
}

#[test]
fn dated_lists_that_differ_in_base_prices_become_history() {
    let found = entry(
        r#"[{"prices": {"input_mtok": 2, "output_mtok": 10}},
            {"constraint": {"start_date": "2026-09-01"}, "prices": {"input_mtok": 3, "output_mtok": 15}}]"#,
        "Standard pricing from 2026-09-01. Ref: https://example.com/news, more text",
        "2026-08-21",
    );
    assert!(found.history);
    // The prices in force on the as-of date are still the entry's own.
    assert_eq!(found.prices[&Component::Input], dec!(2));
    assert_eq!(found.periods.len(), 2);
    assert_eq!(found.periods[1].from, Date::parse("2026-09-01"));
    assert_eq!(found.periods[1].prices[&Component::Output], dec!(15));
    // The comment names the list's start date, so the page it cites is the list's source.
    assert_eq!(
        found.periods[1].source.as_deref(),
        Some("https://example.com/news")
    );
    assert!(found.notes.is_empty(), "{:?}", found.notes);
}

#[test]
fn a_cited_page_that_does_not_name_the_date_is_not_the_lists_source() {
    let found = entry(
        r#"[{"prices": {"input_mtok": 2, "output_mtok": 10}},
            {"constraint": {"start_date": "2027-01-01"}, "prices": {"input_mtok": 3, "output_mtok": 15}}]"#,
        "Introductory rates apply through 2026-12-31. Ref: https://example.com/pricing",
        "2026-08-21",
    );
    assert!(found.history);
    assert_eq!(found.periods[1].source, None);
}

#[test]
fn tiers_that_change_or_appear_keep_one_list_with_a_note() {
    let found = entry(
        r#"[{"prices": {"input_mtok": 1, "output_mtok": 6}},
            {"constraint": {"start_date": "2026-07-30"},
             "prices": {"input_mtok": {"base": 0.2, "tiers": [{"start": 272000, "price": 0.4}]}, "output_mtok": 1.2}}]"#,
        "",
        "2026-08-21",
    );
    assert!(!found.history);
    // The list in force on 2026-08-21, with its tier.
    assert_eq!(found.prices[&Component::Input], dec!(0.2));
    assert_eq!(found.tiers[0].above_input_tokens, 272_000);
    assert_eq!(
        found.notes,
        [
            "price history not imported: the list from 2026-07-30 adds a tier above 272000 \
          tokens, and a dated change restates base prices only; the list in force on \
          2026-08-21 is taken"
        ]
    );
}

#[test]
fn hours_of_the_day_are_not_history() {
    // DeepSeek's shape: an unconstrained (off-peak) list and one for UTC 00:30-16:30.
    let found = entry(
        r#"[{"prices": {"input_mtok": 0.135, "output_mtok": 0.55}},
            {"constraint": {"start_time": "00:30:00Z", "end_time": "16:30:00Z"},
             "prices": {"input_mtok": 0.27, "output_mtok": 1.1}}]"#,
        "",
        "2026-08-21",
    );
    assert!(!found.history);
    assert!(found.periods.is_empty());
    assert_eq!(
        found.notes,
        [
            "prices constrained by end_time, start_time left out",
            "price history not imported: a list constrained by end_time, start_time is not a \
             dated change; the list in force on 2026-08-21 is taken",
        ]
    );
}
