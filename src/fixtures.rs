//! Catalogs and scenarios shared by the unit tests: catalog entries as TOML text, and the steps
//! from text to a catalog, a scenario and an estimate, which panic with the whole error report.
//!
//! Each test keeps its own figures: these builders only write the lines every test catalog
//! repeats (who makes a model, where a price was read), so a test names what it prices. The
//! text is laid out exactly as a hand-written file would be, so locations in error messages
//! (`a.toml:24:18`) stay what a reader counts.

use crate::engine::{Options, estimate as run_engine};
use crate::error::{Error, SourceFile};
use crate::estimate::Estimate;
use crate::pricing::{Catalog, Weights};
use crate::scenario::Scenario;

/// Provider `p`, in the US: the host of most test offers.
pub(crate) const PROVIDER_P: &str = r#"
[[provider]]
id = "p"
name = "P"
country = "US"
pricing_url = "https://example.com/pricing"
"#;

/// The catalog of `tests/fixtures/exposure.toml`: a month of its one workload costs exactly an
/// offer's price per 1M tokens.
const EXPOSURE_CATALOG: &str = include_str!("../tests/fixtures/exposure-pricing.toml");
/// A scenario with one workload and plans that split it across providers and countries.
pub(crate) const EXPOSURE_SCENARIO: &str = include_str!("../tests/fixtures/exposure.toml");

/// A `[[provider]]` entry with the example pricing page.
pub(crate) fn provider(id: &str, name: &str, country: &str) -> String {
    format!(
        "\n[[provider]]\nid = \"{id}\"\nname = \"{name}\"\ncountry = \"{country}\"\n\
         pricing_url = \"https://example.com/pricing\"\n"
    )
}

/// A `[[model]]` entry made by `M`: open weights under MIT, closed ones proprietary.
pub(crate) fn model(
    id: &str,
    name: &str,
    weights: Weights,
    origin: &str,
    context_window: u64,
) -> String {
    let (weights, license) = match weights {
        Weights::Open => ("open", "MIT"),
        Weights::Closed => ("closed", "proprietary"),
    };
    format!(
        "\n[[model]]\nid = \"{id}\"\nname = \"{name}\"\nmaker = \"M\"\nweights = \"{weights}\"\n\
         license = \"{license}\"\norigin = \"{origin}\"\ncontext_window = {context_window}\n"
    )
}

/// An `[[offer]]` of `model` at `provider` read on `as_of` from the example pricing page, then
/// `lines` (prices, currency, deprecation), one per line.
pub(crate) fn offer(model: &str, provider: &str, as_of: &str, lines: &str) -> String {
    format!(
        "\n[[offer]]\nmodel = \"{model}\"\nprovider = \"{provider}\"\nas_of = {as_of}\n\
         source = \"https://example.com/pricing\"\n{lines}\n"
    )
}

/// The catalog in `text`, read as `catalog.toml`.
///
/// # Panics
/// With the whole error report, if the text is not a valid catalog.
pub(crate) fn catalog(text: &str) -> Catalog {
    Catalog::parse(&[SourceFile::new("catalog.toml", text)])
        .unwrap_or_else(|e| panic!("{}", e.report()))
}

/// The scenario in `text`, read as `scenario.toml` against `catalog`.
///
/// # Panics
/// With the whole error report, if the text is not a valid scenario.
pub(crate) fn scenario(catalog: &Catalog, text: &str) -> Scenario {
    Scenario::parse(&SourceFile::new("scenario.toml", text), catalog)
        .unwrap_or_else(|e| panic!("{}", e.report()))
}

/// The engine's estimate of `scenario` against `catalog`, both given as text.
///
/// # Panics
/// With the whole error report, if either text is invalid or the engine fails.
pub(crate) fn estimate(catalog: &str, scenario: &str) -> Estimate {
    let catalog = self::catalog(catalog);
    let scenario = self::scenario(&catalog, scenario);
    run_engine(&catalog, &scenario, &Options::default())
        .unwrap_or_else(|e| panic!("{}", e.report()))
}

/// The estimate of `scenario` against the catalog of [`EXPOSURE_SCENARIO`].
pub(crate) fn exposure_estimate(scenario: &str) -> Estimate {
    estimate(EXPOSURE_CATALOG, scenario)
}

/// Every problem a failed parse reports, as `location: message`; none for a success.
///
/// # Panics
/// On an error that is not a list of problems (a failed read, an overflow).
pub(crate) fn problems<T>(parsed: Result<T, Error>) -> Vec<String> {
    match parsed {
        Ok(_) => Vec::new(),
        Err(Error::Invalid(diagnostics)) => diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.location(), d.message()))
            .collect(),
        Err(other) => panic!("unexpected {other}"),
    }
}
