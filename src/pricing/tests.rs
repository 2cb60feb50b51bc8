//! Catalog validation: the built-in catalog is complete and sourced, and bad entries are all
//! reported with their place.

use super::*;

const BASE: &str = r#"
[[provider]]
id = "p"
name = "P"
country = "US"
pricing_url = "https://example.com/pricing"

[[model]]
id = "m"
name = "M"
maker = "M"
weights = "open"
license = "MIT"
origin = "US"
context_window = 1000

[[offer]]
model = "m"
provider = "p"
as_of = 2026-11-20
source = "https://example.com/pricing"
input = 1
output = 2
"#;

fn problems(files: &[(&str, &str)]) -> Vec<String> {
    let files: Vec<_> = files
        .iter()
        .map(|(name, text)| SourceFile::new(*name, *text))
        .collect();
    match Catalog::parse(&files) {
        Ok(_) => Vec::new(),
        Err(Error::Invalid(diagnostics)) => diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.location(), d.message()))
            .collect(),
        Err(other) => panic!("unexpected {other}"),
    }
}

#[test]
fn the_builtin_catalog_is_valid_sourced_and_dated() {
    let catalog = Catalog::builtin().unwrap_or_else(|e| panic!("{}", e.report()));
    assert!(catalog.offers().count() >= 10);
    for offer in catalog.offers() {
        assert!(
            offer.source.starts_with("https://"),
            "{}: {}",
            offer.id,
            offer.source
        );
        assert!(
            offer.as_of >= Date::new(2025, 1, 1).unwrap(),
            "{}",
            offer.id
        );
        assert!(catalog.model(&offer.model).is_some(), "{}", offer.id);
        assert!(catalog.provider(&offer.provider).is_some(), "{}", offer.id);
        assert!(
            offer
                .tiers
                .windows(2)
                .all(|w| w[0].above_input_tokens < w[1].above_input_tokens),
            "{} tiers out of order",
            offer.id
        );
    }
}

#[test]
fn a_valid_file_builds_the_offer() {
    let catalog = Catalog::parse(&[SourceFile::new("a.toml", BASE)]).unwrap();
    let offer = catalog.offer("m@p").unwrap();
    assert_eq!(offer.base.input.get(), Decimal::ONE);
    assert_eq!(offer.batch, Batch::Unavailable);
    assert_eq!(offer.currency, "USD");
}

#[test]
fn every_problem_in_a_file_is_reported() {
    // The provider is invalid, so the offer that names it is not checked further.
    let text = BASE.replace("country = \"US\"", "country = \"usa\"");
    assert_eq!(
        problems(&[("a.toml", &text)]),
        ["a.toml:5:11: `country` must be a two-letter country code (found `usa`)"]
    );
    let text = BASE
        .replace("input = 1\n", "input = -1\ncached_input = -0.5\n")
        .replace("as_of = 2026-11-20", "as_of = 2026-11-20T10:00:00");
    assert_eq!(
        problems(&[("a.toml", &text)]),
        [
            "a.toml:20:9: `as_of` must be a date (found `2026-11-20T10:00:00`)",
            "a.toml:22:9: `input` must not be negative (found -1)",
            "a.toml:23:16: `cached_input` must not be negative (found -0.5)",
        ]
    );
}

#[test]
fn redefining_needs_overrides_and_overriding_needs_a_target() {
    let again = BASE
        .split("[[offer]]")
        .nth(1)
        .map(|o| format!("[[offer]]{o}"))
        .unwrap();
    assert_eq!(
        problems(&[("a.toml", BASE), ("b.toml", &again)]),
        ["b.toml:2:9: offer `m@p` is already defined in a.toml"]
    );
    let negotiated = again.replace("input = 1", "overrides = true\ninput = 0.5");
    let files = [
        SourceFile::new("a.toml", BASE),
        SourceFile::new("b.toml", negotiated),
    ];
    let catalog = Catalog::parse(&files).unwrap();
    assert_eq!(
        catalog.offer("m@p").unwrap().base.input.get(),
        Decimal::new(5, 1)
    );
    let nothing = BASE.replace(
        "[[offer]]\nmodel = \"m\"",
        "[[offer]]\noverrides = true\nmodel = \"m\"",
    );
    assert_eq!(
        problems(&[("a.toml", &nothing)]),
        ["a.toml:19:9: this offer overrides `m@p`, but no earlier file defines it"]
    );
}

#[test]
fn offers_must_name_known_models_and_providers() {
    let text = BASE.replace(
        "model = \"m\"\nprovider = \"p\"",
        "model = \"mm\"\nprovider = \"q\"",
    );
    assert_eq!(
        problems(&[("a.toml", &text)]),
        [
            "a.toml:18:9: unknown model `mm`",
            "a.toml:19:12: unknown provider `q`"
        ]
    );
}

#[test]
fn tiers_must_rise_and_change_a_price() {
    let text = format!(
        "{BASE}\n[[offer.tier]]\nabove_input_tokens = 500\ninput = 2\n\n\
         [[offer.tier]]\nabove_input_tokens = 500\ninput = 3\n\n[[offer.tier]]\nabove_input_tokens = 900\n"
    );
    assert_eq!(
        problems(&[("a.toml", &text)]),
        [
            "a.toml:30:22: tier threshold 500 is not above the previous tier's 500",
            "a.toml:34:22: this tier changes no price",
        ]
    );
}

#[test]
fn batch_is_a_discount_or_prices_not_both() {
    let both = format!("{BASE}batch_discount = 0.5\n[offer.batch]\ninput = 0.5\n");
    assert_eq!(
        problems(&[("a.toml", &both)]),
        ["a.toml:25:1: an offer has either `batch_discount` or a `[offer.batch]` table, not both"]
    );
    let too_big = format!("{BASE}batch_discount = 1.5\n");
    assert_eq!(
        problems(&[("a.toml", &too_big)]),
        ["a.toml:24:18: `batch_discount` must be between 0 and 1 (found 1.5)"]
    );
}
