//! The validated catalog: models, providers and offers with their price lists.
//!
//! Catalog files are parsed into [`raw`] shapes, then checked here: every price non-negative, ids
//! unique unless an entry says it overrides an earlier one, every offer pointing at a known model
//! and provider, tiers in order. All problems in all files are reported together. Nothing here
//! computes a cost.

mod check;
mod default;
pub mod raw;
mod self_hosted;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::calendar::Date;
use crate::error::{Error, SourceFile, suggest};
use crate::input;
use crate::money::{PerMtok, Share};
pub use raw::{GpuPricing, TierScope, Weights};
pub use self_hosted::{Deployment, Gpu, GpuOffer};

/// Who serves models and bills for them.
#[derive(Debug, Clone)]
pub struct Provider {
    pub(crate) name: String,
    pub(crate) country: String,
    pub(crate) pricing_url: String,
    defined_in: String,
}

impl Provider {
    /// The provider's own pricing page.
    #[must_use]
    pub fn pricing_url(&self) -> &str {
        &self.pricing_url
    }
}

/// A set of weights (open) or a closed model.
#[derive(Debug, Clone)]
pub struct Model {
    pub(crate) name: String,
    pub(crate) maker: String,
    pub(crate) weights: Weights,
    pub(crate) license: String,
    pub(crate) origin: String,
    /// `None` where no source gives it; requests are then not checked against it.
    pub(crate) context_window: Option<u64>,
    defined_in: String,
}

/// A full price list, per 1M tokens in the offer's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceList {
    pub(crate) input: PerMtok,
    pub(crate) output: PerMtok,
    pub(crate) cached_input: Option<PerMtok>,
    pub(crate) cache_write_5m: Option<PerMtok>,
    pub(crate) cache_write_1h: Option<PerMtok>,
    /// `None` means reasoning tokens are billed at the output price.
    pub(crate) reasoning: Option<PerMtok>,
}

/// The prices a tier or a batch list changes; `None` keeps the price it is laid over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PartialPrices {
    pub(crate) input: Option<PerMtok>,
    pub(crate) output: Option<PerMtok>,
    pub(crate) cached_input: Option<PerMtok>,
    pub(crate) cache_write_5m: Option<PerMtok>,
    pub(crate) cache_write_1h: Option<PerMtok>,
    pub(crate) reasoning: Option<PerMtok>,
}

impl PriceList {
    /// This list with `over`'s prices replacing its own where `over` has them.
    #[must_use]
    pub fn overlaid(self, over: &PartialPrices) -> PriceList {
        PriceList {
            input: over.input.unwrap_or(self.input),
            output: over.output.unwrap_or(self.output),
            cached_input: over.cached_input.or(self.cached_input),
            cache_write_5m: over.cache_write_5m.or(self.cache_write_5m),
            cache_write_1h: over.cache_write_1h.or(self.cache_write_1h),
            reasoning: over.reasoning.or(self.reasoning),
        }
    }

    /// Every price times `factor` (a batch discount leaves `1 - discount`).
    #[must_use]
    pub fn scaled(self, factor: Share) -> PriceList {
        PriceList {
            input: self.input.scaled(factor),
            output: self.output.scaled(factor),
            cached_input: self.cached_input.map(|p| p.scaled(factor)),
            cache_write_5m: self.cache_write_5m.map(|p| p.scaled(factor)),
            cache_write_1h: self.cache_write_1h.map(|p| p.scaled(factor)),
            reasoning: self.reasoning.map(|p| p.scaled(factor)),
        }
    }
}

/// How an offer prices batch requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Batch {
    /// No batch API: batch requests are billed at normal prices, and the report says so.
    Unavailable,
    /// Every token price times `1 - discount`.
    Discount(Share),
    /// Listed batch prices laid over the normal ones.
    Prices(PartialPrices),
}

/// A long-context tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tier {
    /// Applies to requests whose input tokens are strictly above this.
    pub(crate) above_input_tokens: u64,
    pub(crate) scope: TierScope,
    pub(crate) prices: PartialPrices,
    /// Batch prices in this tier, when the offer lists batch prices rather than a discount.
    pub(crate) batch: Option<PartialPrices>,
    /// `FILE:LINE:COL` of the tier's `input` and of its batch `input`, where stated.
    input_at: Option<String>,
    batch_input_at: Option<String>,
}

/// A table laid over an offer's base prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Overlay {
    /// The offer's `[offer.batch]` prices.
    Batch,
    /// A long-context tier.
    Tier,
    /// A tier's own `batch` prices, laid over the tier's.
    TierBatch,
}

/// A cache price an overlay keeps from the prices it is laid over although it changes the input
/// price: a $6 tier over a $3 base that states no `cached_input` bills cache hits at the base's
/// $0.30, which is rarely what the provider charges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InheritedCachePrice {
    pub overlay: Overlay,
    /// The tier's threshold; `None` for the offer's own batch prices.
    pub above_input_tokens: Option<u64>,
    /// `cached_input`, `cache_write_5m` or `cache_write_1h`.
    pub key: &'static str,
    /// `FILE:LINE:COL` of the overlay's `input`.
    pub at: String,
}

impl PartialPrices {
    /// The cache prices `under` has that these prices keep although they change `input`.
    fn inherited_cache_keys(&self, under: &PriceList) -> Vec<&'static str> {
        if self.input.is_none_or(|input| input == under.input) {
            return Vec::new();
        }
        [
            ("cached_input", under.cached_input, self.cached_input),
            ("cache_write_5m", under.cache_write_5m, self.cache_write_5m),
            ("cache_write_1h", under.cache_write_1h, self.cache_write_1h),
        ]
        .into_iter()
        .filter(|(_, under, over)| under.is_some() && over.is_none())
        .map(|(key, _, _)| key)
        .collect()
    }
}

/// One model at one provider, with its prices and where they were read.
#[derive(Debug, Clone)]
pub struct Offer {
    /// `model@provider`.
    pub(crate) id: String,
    pub(crate) model: String,
    pub(crate) provider: String,
    pub(crate) currency: String,
    pub(crate) as_of: Date,
    pub(crate) source: String,
    pub(crate) deprecated: Option<Date>,
    /// The provider's own input limit, where it is below the model's context window.
    pub(crate) max_input_tokens: Option<u64>,
    pub(crate) base: PriceList,
    /// A fee per request in `currency`.
    pub(crate) per_request: Option<Decimal>,
    pub(crate) batch: Batch,
    /// Ordered by strictly increasing threshold.
    pub(crate) tiers: Vec<Tier>,
    /// `FILE:LINE:COL` of the `input` of `[offer.batch]`, where stated.
    batch_input_at: Option<String>,
    /// The file of the last `overrides = true` entry that changed this offer, if any.
    pub(crate) overridden_by: Option<String>,
    defined_in: String,
}

impl Offer {
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The most input tokens a request may carry here: the provider's limit, else the model's
    /// context window; `None` if neither is known.
    #[must_use]
    pub fn input_limit(&self, catalog: &Catalog) -> Option<u64> {
        self.max_input_tokens
            .or_else(|| catalog.model(&self.model).and_then(|m| m.context_window))
    }

    /// The file this offer was last defined or overridden in.
    #[must_use]
    pub fn defined_in(&self) -> &str {
        &self.defined_in
    }

    /// Every cache price that a tier or batch table keeps from below although it changes the
    /// input price, in the order the tables are written.
    #[must_use]
    pub fn inherited_cache_prices(&self) -> Vec<InheritedCachePrice> {
        let mut found = Vec::new();
        let mut push =
            |overlay, above, over: &PartialPrices, under: &PriceList, at: &Option<String>| {
                for key in over.inherited_cache_keys(under) {
                    found.push(InheritedCachePrice {
                        overlay,
                        above_input_tokens: above,
                        key,
                        at: at.clone().unwrap_or_else(|| self.defined_in.clone()),
                    });
                }
            };
        if let Batch::Prices(batch) = &self.batch {
            push(
                Overlay::Batch,
                None,
                batch,
                &self.base,
                &self.batch_input_at,
            );
        }
        for tier in &self.tiers {
            let above = Some(tier.above_input_tokens);
            push(
                Overlay::Tier,
                above,
                &tier.prices,
                &self.base,
                &tier.input_at,
            );
            if let Some(batch) = &tier.batch {
                let under = self.base.overlaid(&tier.prices);
                push(
                    Overlay::TierBatch,
                    above,
                    batch,
                    &under,
                    &tier.batch_input_at,
                );
            }
        }
        found
    }
}

/// Every model, provider and offer costcalc knows, keyed and ordered by id.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub(crate) providers: BTreeMap<String, Provider>,
    pub(crate) models: BTreeMap<String, Model>,
    pub(crate) offers: BTreeMap<String, Offer>,
    pub(crate) gpus: BTreeMap<String, Gpu>,
    pub(crate) gpu_offers: BTreeMap<String, GpuOffer>,
    /// Keyed `model@id`, like offers.
    pub(crate) deployments: BTreeMap<String, Deployment>,
    /// Scenario files found in a `--pricing` folder and left out, for a note.
    pub(crate) skipped_scenarios: Vec<PathBuf>,
}

/// What a route of a plan points at.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// Priced by token.
    Api(&'a Offer),
    /// Priced by capacity: GPUs rented whether busy or not.
    SelfHosted(&'a Deployment),
}

/// Where the catalog comes from.
#[derive(Debug, Clone, Default)]
pub struct CatalogSources {
    /// Files or folders of the user's, read after the default catalog.
    pub paths: Vec<PathBuf>,
    /// Leave the built-in catalog out and use only `paths`.
    pub no_default: bool,
}

impl Catalog {
    /// Reads the user's files and builds the catalog on top of the built-in one.
    ///
    /// # Errors
    /// An I/O error, or [`Error::Invalid`] with every problem in every file.
    pub fn load(sources: &CatalogSources) -> Result<Catalog, Error> {
        let read = input::read_paths(&sources.paths)?;
        let mut files = if sources.no_default {
            Vec::new()
        } else {
            default::files()
        };
        files.extend(
            read.files
                .into_iter()
                .filter(|f| sources.no_default || Catalog::builtin_copy(f).is_none()),
        );
        let mut catalog = Catalog::parse(&files)?;
        catalog.skipped_scenarios = read.skipped_scenarios;
        Ok(catalog)
    }

    /// The name of the built-in file that `file` is an exact copy of, if any. Such a copy adds
    /// nothing on top of the built-in catalog, so it is read once, not twice.
    #[must_use]
    pub fn builtin_copy(file: &SourceFile) -> Option<&'static str> {
        default::same_as(&file.text)
    }

    /// The built-in catalog alone.
    ///
    /// # Errors
    /// Only if the embedded files are invalid, which a test rules out.
    pub fn builtin() -> Result<Catalog, Error> {
        Catalog::parse(&default::files())
    }

    /// The files of the built-in catalog, to build on.
    #[must_use]
    pub fn builtin_files() -> Vec<Arc<SourceFile>> {
        default::files()
    }

    /// Scenario files found in a `--pricing` folder and left out of the catalog.
    #[must_use]
    pub fn skipped_scenarios(&self) -> &[PathBuf] {
        &self.skipped_scenarios
    }

    /// Builds a catalog from files in precedence order: a later file may replace an earlier
    /// entry only if it says `overrides = true`.
    ///
    /// # Errors
    /// [`Error::Invalid`] with every problem found.
    pub fn parse(files: &[Arc<SourceFile>]) -> Result<Catalog, Error> {
        check::parse(files)
    }

    /// The offer named `model@provider`, or an error message with the closest names.
    ///
    /// # Errors
    /// A message and a hint, for the caller to place.
    pub fn offer(&self, id: &str) -> Result<&Offer, (String, String)> {
        if let Some(offer) = self.offers.get(id) {
            return Ok(offer);
        }
        let message = format!("unknown offer `{id}`");
        let (model, provider) = id.split_once('@').unwrap_or((id, ""));
        let at_model: Vec<&str> = self
            .offers
            .values()
            .filter(|o| o.model == model)
            .map(|o| o.id.as_str())
            .collect();
        let hint = if let Some(best) = suggest(id, self.offers.keys().map(String::as_str)) {
            format!("did you mean `{best}`?")
        } else if !at_model.is_empty() {
            format!("`{model}` is offered as {}", list(&at_model))
        } else if provider.is_empty() {
            "name an offer as `model@provider`, such as `gpt-5@openai`; `costcalc check` on the \
             pricing files lists what is defined"
                .to_owned()
        } else {
            format!(
                "no offer of a model named `{model}` is in the catalog; add one with `--pricing`"
            )
        };
        Err((message, hint))
    }

    #[must_use]
    pub fn model(&self, id: &str) -> Option<&Model> {
        self.models.get(id)
    }

    #[must_use]
    pub fn provider(&self, id: &str) -> Option<&Provider> {
        self.providers.get(id)
    }

    /// Every offer, ordered by id.
    pub fn offers(&self) -> impl Iterator<Item = &Offer> {
        self.offers.values()
    }

    /// What a plan's route names: an API offer, or a self-hosted deployment.
    ///
    /// # Errors
    /// A message and a hint, for the caller to place.
    pub fn target(&self, id: &str) -> Result<Target<'_>, (String, String)> {
        if let Some(deployment) = self.deployments.get(id) {
            return Ok(Target::SelfHosted(deployment));
        }
        match self.offer(id) {
            Ok(offer) => Ok(Target::Api(offer)),
            Err((message, hint)) => {
                // A deployment may be the closer name.
                let names = self
                    .offers
                    .keys()
                    .chain(self.deployments.keys())
                    .map(String::as_str);
                match suggest(id, names) {
                    Some(best) => Err((message, format!("did you mean `{best}`?"))),
                    None => Err((message, hint)),
                }
            }
        }
    }

    #[must_use]
    pub fn deployment(&self, id: &str) -> Option<&Deployment> {
        self.deployments.get(id)
    }

    #[must_use]
    pub fn gpu_offer(&self, id: &str) -> Option<&GpuOffer> {
        self.gpu_offers.get(id)
    }

    #[must_use]
    pub fn gpu(&self, id: &str) -> Option<&Gpu> {
        self.gpus.get(id)
    }
}

/// The note for a scenario found in a `--pricing` folder and left out.
#[must_use]
pub fn skipped_scenario_note(path: &std::path::Path) -> String {
    format!(
        "note: skipped `{}`: it holds a `[scenario]` table, so it is a scenario, not pricing",
        path.display()
    )
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
