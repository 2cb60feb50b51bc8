//! Catalog validation: the built-in catalog is complete and sourced, and bad entries are all
//! reported with their place.

use super::*;
use crate::fixtures;
use rust_decimal_macros::dec;

/// Provider `p`, model `m` and its offer `m@p` at $1 input and $2 output.
fn base() -> String {
    [
        fixtures::PROVIDER_P,
        &fixtures::model("m", "M", Weights::Open, "US", 1000),
        &fixtures::offer("m", "p", "2026-11-20", "input = 1\noutput = 2"),
    ]
    .concat()
}

fn problems(files: &[(&str, &str)]) -> Vec<String> {
    let files: Vec<_> = files
        .iter()
        .map(|(name, text)| SourceFile::new(*name, *text))
        .collect();
    fixtures::problems(Catalog::parse(&files))
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
                .all(|w| w[0].threshold.below() < w[1].threshold.below()),
            "{} tiers out of order",
            offer.id
        );
    }
}

#[test]
fn a_valid_file_builds_the_offer() {
    let catalog = Catalog::parse(&[SourceFile::new("a.toml", base())]).unwrap();
    let offer = catalog.offer("m@p").unwrap();
    assert_eq!(
        offer.base.get(Component::Input).unwrap().get(),
        Decimal::ONE
    );
    assert_eq!(*offer.service(ServiceTier::Batch), Service::Unavailable);
    assert_eq!(offer.currency, "USD");
}

#[test]
fn every_problem_in_a_file_is_reported() {
    // The provider is invalid, so the offer that names it is not checked further.
    let text = base().replace("country = \"US\"", "country = \"usa\"");
    assert_eq!(
        problems(&[("a.toml", &text)]),
        ["a.toml:5:11: `country` must be a two-letter country code (found `usa`)"]
    );
    let text = base()
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
    let again = base()
        .split("[[offer]]")
        .nth(1)
        .map(|o| format!("[[offer]]{o}"))
        .unwrap();
    assert_eq!(
        problems(&[("a.toml", &base()), ("b.toml", &again)]),
        ["b.toml:2:9: offer `m@p` is already defined in a.toml"]
    );
    let negotiated = again.replace("input = 1", "overrides = true\ninput = 0.5");
    let files = [
        SourceFile::new("a.toml", base()),
        SourceFile::new("b.toml", negotiated),
    ];
    let catalog = Catalog::parse(&files).unwrap();
    assert_eq!(
        catalog
            .offer("m@p")
            .unwrap()
            .base
            .get(Component::Input)
            .unwrap()
            .get(),
        Decimal::new(5, 1)
    );
    let nothing = base().replace(
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
    let text = base().replace(
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
    let base = base();
    let text = format!(
        "{base}\n[[offer.tier]]\nabove_input_tokens = 500\ninput = 2\n\n\
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
    let base = base();
    let both = format!("{base}batch_discount = 0.5\n[offer.batch]\ninput = 0.5\n");
    assert_eq!(
        problems(&[("a.toml", &both)]),
        ["a.toml:25:1: an offer has either `batch_discount` or a `[offer.batch]` table, not both"]
    );
    let too_big = format!("{base}batch_discount = 1.5\n");
    assert_eq!(
        problems(&[("a.toml", &too_big)]),
        ["a.toml:24:18: `batch_discount` must be between 0 and 1 (found 1.5)"]
    );
}

/// `base()` with a cached price, and extra lines for the offer.
fn with_cache(extra: &str) -> String {
    format!(
        "{}{extra}",
        base().replace("input = 1\n", "input = 1\ncached_input = 0.1\n")
    )
}

#[test]
fn overlays_that_change_input_but_keep_a_cache_price_are_found() {
    // A $6 tier over a $1 base with no `cached_input` of its own would bill cache hits at $0.10.
    let text = with_cache("\n[[offer.tier]]\nabove_input_tokens = 500\ninput = 6\n");
    let catalog = Catalog::parse(&[SourceFile::new("a.toml", text)]).unwrap();
    let found = catalog.offer("m@p").unwrap().inherited_cache_prices();
    assert_eq!(
        found,
        [InheritedCachePrice {
            overlay: Overlay::Tier,
            above_input_tokens: Some(500),
            key: "cached_input",
            at: "a.toml:28:9".to_owned(),
        }]
    );

    // Batch prices, and a tier's batch prices laid over a tier that restates the cache price.
    let text = with_cache(
        "cache_write_5m = 1.25\n[offer.batch]\ninput = 0.5\ncached_input = 0.05\n\n\
         [[offer.tier]]\nabove_input_tokens = 500\ninput = 6\ncached_input = 0.6\n\
         cache_write_5m = 7.5\n[offer.tier.batch]\ninput = 3\n",
    );
    let catalog = Catalog::parse(&[SourceFile::new("a.toml", text)]).unwrap();
    let found: Vec<_> = catalog
        .offer("m@p")
        .unwrap()
        .inherited_cache_prices()
        .into_iter()
        .map(|i| (i.overlay, i.above_input_tokens, i.key))
        .collect();
    assert_eq!(
        found,
        [
            (Overlay::Service(ServiceTier::Batch), None, "cache_write_5m"),
            (
                Overlay::TierService(ServiceTier::Batch),
                Some(500),
                "cached_input"
            ),
            (
                Overlay::TierService(ServiceTier::Batch),
                Some(500),
                "cache_write_5m"
            ),
        ]
    );

    // Nothing to say: the tier restates the price, leaves input alone, or the base has none.
    for text in [
        with_cache("\n[[offer.tier]]\nabove_input_tokens = 500\ninput = 6\ncached_input = 0.6\n"),
        with_cache("\n[[offer.tier]]\nabove_input_tokens = 500\noutput = 6\n"),
        with_cache("\n[[offer.tier]]\nabove_input_tokens = 500\ninput = 1\n"),
        format!(
            "{}\n[[offer.tier]]\nabove_input_tokens = 500\ninput = 6\n",
            base()
        ),
    ] {
        let catalog = Catalog::parse(&[SourceFile::new("a.toml", text)]).unwrap();
        assert_eq!(catalog.offer("m@p").unwrap().inherited_cache_prices(), []);
    }
}

#[test]
fn the_builtin_catalog_restates_every_cache_price_its_overlays_change() {
    let catalog = Catalog::builtin().unwrap();
    let found: Vec<String> = catalog
        .offers()
        .flat_map(|o| {
            o.inherited_cache_prices()
                .into_iter()
                .map(move |i| format!("{}: {:?} {}", o.id, i.overlay, i.key))
        })
        .collect();
    assert_eq!(found, Vec::<String>::new());
}

/// A list price ($3 input, $0.30 cached, $15 output, batch at half, one tier) and files on top.
fn list() -> String {
    let offer = fixtures::offer(
        "m",
        "p",
        "2026-11-20",
        "deprecated = 2027-06-01\ninput = 3\noutput = 15\ncached_input = 0.3\nbatch_discount = 0.5",
    );
    format!(
        "{}\n[[model]]\nid = \"m\"\nname = \"M\"\nmaker = \"M\"\nweights = \"closed\"\n\
         license = \"proprietary\"\norigin = \"US\"\n{offer}\n[[offer.tier]]\n\
         above_input_tokens = 200000\ninput = 6\ncached_input = 0.6\noutput = 22.5\n",
        fixtures::PROVIDER_P
    )
}

fn with_override(text: &str) -> Result<Catalog, Error> {
    Catalog::parse(&[
        SourceFile::new("list.toml", list()),
        SourceFile::new("ours.toml", text),
    ])
}

#[test]
fn an_override_replaces_only_the_keys_it_states() {
    // Only `input` is negotiated: the cached price stays $0.30, output $15, and the batch
    // discount, tier, dates and source are the list's.
    let catalog = with_override(
        "[[offer]]\nmodel = \"m\"\nprovider = \"p\"\noverrides = true\ninput = 2.40\n",
    )
    .unwrap();
    let list = Catalog::parse(&[SourceFile::new("list.toml", list())]).unwrap();
    let (ours, list) = (catalog.offer("m@p").unwrap(), list.offer("m@p").unwrap());
    assert_eq!(ours.base.get(Component::Input).unwrap().get(), dec!(2.40));
    assert_eq!(
        ours.base.get(Component::CachedInput).map(Price::get),
        Some(dec!(0.3))
    );
    assert_eq!(ours.base.get(Component::Output).unwrap().get(), dec!(15));
    assert_eq!(
        *ours.service(ServiceTier::Batch),
        Service::Discount(Share::new(dec!(0.5)).unwrap())
    );
    assert_eq!(ours.tiers, list.tiers);
    assert_eq!((ours.as_of, &ours.source), (list.as_of, &list.source));
    assert_eq!(ours.deprecated, list.deprecated);
    assert_eq!(ours.overridden_by.as_deref(), Some("ours.toml"));
    assert_eq!(list.overridden_by, None);
}

#[test]
fn an_override_states_batch_prices_and_tiers_whole() {
    // A new tier list replaces the old one; a batch table replaces the discount.
    let catalog = with_override(
        "[[offer]]\nmodel = \"m\"\nprovider = \"p\"\noverrides = true\nsource = \"contract MSA-2027-04\"\n\
         [offer.batch]\ninput = 1\n[[offer.tier]]\nabove_input_tokens = 100000\noutput = 20\n",
    )
    .unwrap();
    let offer = catalog.offer("m@p").unwrap();
    assert_eq!(offer.source, "contract MSA-2027-04");
    assert!(matches!(
        offer.service(ServiceTier::Batch),
        Service::Prices(p) if p[Component::Input].map(Price::get) == Some(dec!(1))
    ));
    assert_eq!(offer.tiers.len(), 1);
    assert_eq!(offer.tiers[0].threshold.input_tokens, 100_000);
}

#[test]
fn replace_keeps_whole_entry_replacement() {
    let text = "[[offer]]\nmodel = \"m\"\nprovider = \"p\"\noverrides = true\nreplace = true\n\
                as_of = 2027-01-01\nsource = \"contract MSA-2027-04\"\ninput = 2.40\noutput = 12\n";
    let catalog = with_override(text).unwrap();
    let offer = catalog.offer("m@p").unwrap();
    assert_eq!(offer.base.get(Component::CachedInput), None);
    assert_eq!(*offer.service(ServiceTier::Batch), Service::Unavailable);
    assert!(offer.tiers.is_empty());
    assert_eq!(offer.deprecated, None);
    assert_eq!(offer.overridden_by.as_deref(), Some("ours.toml"));

    // A replacement, like a new offer, states every required key.
    let text = "[[offer]]\nmodel = \"m\"\nprovider = \"p\"\noverrides = true\nreplace = true\ninput = 2.40\n";
    let Err(Error::Invalid(problems)) = with_override(text) else {
        panic!("expected problems");
    };
    let messages: Vec<String> = problems
        .iter()
        .map(|d| format!("{}: {}", d.location(), d.message()))
        .collect();
    assert_eq!(
        messages,
        [
            "ours.toml:2:9: this offer has no `as_of`",
            "ours.toml:2:9: this offer has no `source`",
            "ours.toml:2:9: this offer has no `output`",
        ]
    );
}

#[test]
fn override_mistakes_are_reported() {
    let offer = "[[offer]]\nmodel = \"m\"\nprovider = \"p\"\n";
    assert_eq!(
        problems(&[
            ("list.toml", &list()),
            (
                "ours.toml",
                &format!("{offer}overrides = true\ncurrency = \"EUR\"\n")
            ),
            ("again.toml", &format!("{offer}replace = true\ninput = 1\n")),
        ]),
        [
            "ours.toml:5:12: this override changes the currency of `m@p` from USD to EUR, but would keep prices stated in USD",
            "again.toml:4:11: `replace` only applies to an offer with `overrides = true`",
            // Without `overrides`, this is a new offer, which states every required key.
            "again.toml:2:9: this offer has no `as_of`",
            "again.toml:2:9: this offer has no `source`",
            "again.toml:2:9: this offer has no `output`",
        ]
    );
    // Without `overrides`, an offer must state its prices.
    assert_eq!(
        problems(&[("a.toml", &base().replace("output = 2\n", ""))]),
        ["a.toml:18:9: this offer has no `output`"]
    );
}

#[test]
fn a_source_is_any_plain_text_but_not_empty_or_control_characters() {
    let contract = base().replace(
        "source = \"https://example.com/pricing\"\ninput",
        "source = \"contract MSA-2027-04\"\ninput",
    );
    let catalog = Catalog::parse(&[SourceFile::new("a.toml", contract)]).unwrap();
    assert_eq!(catalog.offer("m@p").unwrap().source, "contract MSA-2027-04");
    for (source, message) in [
        (
            "\" \"",
            "`source` must say where the figure was read (found an empty text)",
        ),
        (
            "\"contract\\u001b]0;x\"",
            "`source` must not hold control characters (found \\u{1b})",
        ),
    ] {
        let text = base().replace(
            "source = \"https://example.com/pricing\"\ninput",
            &format!("source = {source}\ninput"),
        );
        assert_eq!(
            problems(&[("a.toml", &text)]),
            [format!("a.toml:21:10: {message}")]
        );
    }
}

#[test]
fn exact_copies_of_builtin_files_are_recognised() {
    let builtin = Catalog::builtin_files();
    let google = builtin
        .iter()
        .find(|f| f.name == "pricing/google.toml")
        .unwrap();
    let copy = SourceFile::new("elsewhere/google.toml", google.text.clone());
    assert_eq!(Catalog::builtin_copy(&copy), Some("pricing/google.toml"));
    let edited = SourceFile::new("pricing/google.toml", format!("{}\n", google.text));
    assert_eq!(Catalog::builtin_copy(&edited), None);
}

#[test]
fn aliases_name_one_model_and_resolve_to_it() {
    let with_aliases = base().replace(
        "context_window = 1000",
        "context_window = 1000\naliases = [\"m-2025-01-01\"]",
    );
    let catalog = Catalog::parse(&[SourceFile::new("a.toml", with_aliases.as_str())]).unwrap();
    assert_eq!(catalog.model_by_alias("m-2025-01-01"), Some("m"));
    assert_eq!(catalog.model_by_alias("m"), None);

    // A second model claiming the same alias, an alias that is a model id, and one with `@`.
    let second = r#"
[[model]]
id = "n"
name = "N"
maker = "N"
weights = "open"
license = "MIT"
origin = "US"
aliases = ["m-2025-01-01", "m"]
"#;
    let found = problems(&[("a.toml", with_aliases.as_str()), ("b.toml", second)]);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0]
            .contains("b.toml:9:12: alias `m-2025-01-01` of model `n` is already an alias of `m`"),
        "{found:#?}"
    );
    assert!(found[1].contains("alias `m` of model `n` is the id of a model"));
    let at = second.replace("\"m\"]", "\"n@p\"]");
    let found = problems(&[("a.toml", with_aliases.as_str()), ("b.toml", at.as_str())]);
    assert!(
        found
            .iter()
            .any(|p| p.contains("alias `n@p` must be a non-empty name without `@`")),
        "{found:#?}"
    );
}

#[test]
fn builtin_aliases_cover_the_dated_names_of_usage_exports() {
    let catalog = Catalog::builtin().unwrap();
    for (alias, model) in [
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        ("claude-haiku-4-5-20251001", "claude-haiku-4-5"),
        ("claude-3-5-haiku-20241022", "claude-haiku-3-5"),
    ] {
        assert_eq!(catalog.model_by_alias(alias), Some(model), "{alias}");
    }
}

#[test]
fn a_date_whose_year_has_not_four_digits_is_named_as_out_of_range() {
    // TOML reads 0001-01-01 as a date, but dates hold years 1000 to 9999: the message says so
    // rather than that it is not a date.
    let text = format!(
        "{}\n[[offer.change]]\nfrom = 0001-01-01\ninput = 0.5\n",
        base().replace("as_of = 2026-11-20", "as_of = 0999-12-31")
    );
    assert_eq!(
        problems(&[("a.toml", &text)]),
        [
            "a.toml:20:9: `as_of` must be a date from 1000-01-01 to 9999-12-31 (found `0999-12-31`)",
            "a.toml:26:8: `from` must be a date from 1000-01-01 to 9999-12-31 (found `0001-01-01`)",
        ]
    );
    // The last day that a date holds is taken.
    let text = format!(
        "{}\n[[offer.change]]\nfrom = 9999-12-31\ninput = 0.5\n",
        base()
    );
    assert!(problems(&[("a.toml", &text)]).is_empty());
}
