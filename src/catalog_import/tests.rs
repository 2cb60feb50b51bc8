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
