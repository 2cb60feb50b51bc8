//! The validated catalog: models, providers and offers with their price lists.
//!
//! Catalog files are parsed into [`raw`] shapes, then checked here: every price non-negative, ids
//! unique unless an entry says it overrides an earlier one, every offer pointing at a known model
//! and provider, tiers in order. All problems in all files are reported together. Nothing here
//! computes a cost.

mod check;
mod default;
mod perturb;
pub mod raw;
mod self_hosted;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::calendar::Date;
use crate::component::{Component, Fallback, PerComponent, Unit};
use crate::error::{Error, SourceFile, suggest};
use crate::input;
use crate::money::{Price, Share};
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
    /// Other names of the model in usage exports; unique across the catalog.
    pub(crate) aliases: Vec<String>,
    defined_in: String,
}

/// Prices by component, in an offer's currency, each per its component's unit; `None` where a
/// list does not state one. An overlay (a tier, a batch table) states only what it changes.
pub type Prices = PerComponent<Option<Price>>;

/// An offer's own prices: `input` and `output` are always stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceList(Prices);

impl PriceList {
    /// `None` unless `input` and `output` are stated.
    #[must_use]
    pub fn new(prices: Prices) -> Option<PriceList> {
        (prices[Component::Input].is_some() && prices[Component::Output].is_some())
            .then_some(PriceList(prices))
    }

    /// The price stated for `component`, if any.
    #[must_use]
    pub fn get(&self, component: Component) -> Option<Price> {
        self.0[component]
    }

    /// Every stated or unstated price, by component.
    #[must_use]
    pub fn prices(&self) -> &Prices {
        &self.0
    }

    /// This list with `over`'s prices replacing its own where `over` states them.
    #[must_use]
    pub fn overlaid(&self, over: &Prices) -> PriceList {
        PriceList(self.0.map(|component, own| over[component].or(*own)))
    }

    /// Every token price times `factor` (a batch discount leaves `1 - discount`); fees per call
    /// or per request are not discounted.
    #[must_use]
    pub fn scaled(&self, factor: Share) -> PriceList {
        PriceList(self.0.map(|component, price| match component.unit() {
            Unit::PerMtok => price.map(|p| p.scaled(factor)),
            Unit::PerCall | Unit::PerRequest => *price,
        }))
    }
}

/// A way of sending a request that providers price apart from the standard one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceTier {
    /// Asynchronous batch jobs, usually at half price.
    Batch,
    /// Slower, interruptible processing at a discount (`OpenAI`'s and Google's flex).
    Flex,
    /// Faster, reserved processing at a premium.
    Priority,
}

impl ServiceTier {
    pub const ALL: [ServiceTier; 3] =
        [ServiceTier::Batch, ServiceTier::Flex, ServiceTier::Priority];

    /// The key of its price table in catalog files: `[offer.batch]`, `[offer.flex]`, ...
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            ServiceTier::Batch => "batch",
            ServiceTier::Flex => "flex",
            ServiceTier::Priority => "priority",
        }
    }
}

/// How an offer prices requests sent through a service tier.
#[derive(Debug, Clone, PartialEq, Eq)]
#[expect(
    clippy::large_enum_variant,
    reason = "an offer holds at most three, built once when the catalog is read"
)]
pub enum Service {
    /// Not offered: such requests are billed at standard prices, and the report says so.
    Unavailable,
    /// Every price times `1 - discount`.
    Discount(Share),
    /// Listed prices laid over the standard ones.
    Prices(Prices),
}

/// Where a long-context tier starts, as the provider's page words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Threshold {
    pub(crate) input_tokens: u64,
    /// `from_input_tokens = N`: a request of exactly N prompt tokens is in the tier, and with
    /// `applies_to = "excess"` the Nth token is the first one billed at its prices.
    /// `above_input_tokens = N`: only requests of more than N are, from token N + 1.
    pub(crate) inclusive: bool,
}

impl Threshold {
    /// Whether a request with this many prompt tokens falls into the tier.
    #[must_use]
    pub fn holds(self, prompt_tokens: Decimal) -> bool {
        let tokens = Decimal::from(self.input_tokens);
        prompt_tokens > tokens || (self.inclusive && prompt_tokens == tokens)
    }

    /// The prompt tokens billed below the tier: the boundary of an excess tier.
    #[must_use]
    pub fn below(self) -> Decimal {
        let tokens = Decimal::from(self.input_tokens);
        if self.inclusive && self.input_tokens > 0 {
            tokens - Decimal::ONE
        } else {
            tokens
        }
    }
}

/// A long-context tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tier {
    pub(crate) threshold: Threshold,
    pub(crate) scope: TierScope,
    /// Prices this tier changes; the others are those of the tier beneath it (or the base).
    pub(crate) prices: Prices,
    /// This tier's own prices per service tier, when the offer lists such prices rather than a
    /// discount; laid over the tier's prices.
    pub(crate) services: BTreeMap<ServiceTier, Prices>,
    /// `FILE:LINE:COL` of the tier's `input` and of each service table's `input`, where stated.
    input_at: Option<String>,
    service_input_at: BTreeMap<ServiceTier, String>,
}

/// A table laid over an offer's base prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Overlay {
    /// The offer's own service-tier prices (`[offer.batch]`, `[offer.flex]`, ...).
    Service(ServiceTier),
    /// A long-context tier.
    Tier,
    /// A tier's own service-tier prices, laid over the tier's.
    TierService(ServiceTier),
}

/// A price an overlay keeps from the prices it is laid over although it changes the price that
/// one falls back to: a $6 tier over a $3 base that states no `cached_input` bills cache hits at
/// the base's $0.30, which is rarely what the provider charges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InheritedCachePrice {
    pub overlay: Overlay,
    /// The tier's threshold; `None` for the offer's own service-tier prices.
    pub above_input_tokens: Option<u64>,
    /// The key kept, such as `cached_input`.
    pub key: &'static str,
    /// `FILE:LINE:COL` of the overlay's `input`.
    pub at: String,
}

/// The components whose price `over` keeps from `under` although it changes the price they fall
/// back to (a cache read's price is tied to the input price).
fn inherited_keys(over: &Prices, under: &PriceList) -> Vec<&'static str> {
    Component::ALL
        .into_iter()
        .filter(|component| {
            let Fallback::PriceOf {
                component: basis, ..
            } = component.fallback()
            else {
                return false;
            };
            let basis_changed = over[basis].is_some_and(|p| Some(p) != under.get(basis));
            basis_changed && under.get(*component).is_some() && over[*component].is_none()
        })
        .map(Component::key)
        .collect()
}

/// A dated change of an offer's base prices (`[[offer.change]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceChange {
    /// The first day the new prices are in force.
    pub(crate) from: Date,
    /// The prices the change states; the others are those in force before it.
    pub(crate) stated: Prices,
    /// The whole base list in force from `from`: the list before it with `stated` laid over.
    pub(crate) list: PriceList,
    /// The change's own, or the offer's.
    pub(crate) as_of: Date,
    pub(crate) source: String,
}

impl PriceChange {
    /// The first day the new prices are in force.
    #[must_use]
    pub fn from(&self) -> Date {
        self.from
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
    /// Batch, flex and priority pricing.
    pub(crate) services: BTreeMap<ServiceTier, Service>,
    /// Ordered by strictly increasing threshold.
    pub(crate) tiers: Vec<Tier>,
    /// Dated changes of `base`, by strictly increasing `from`; `base` is the list in force
    /// before the first. Empty for most offers, which then price every day alike.
    pub(crate) changes: Vec<PriceChange>,
    /// `FILE:LINE:COL` of the `input` of each `[offer.<service tier>]` table, where stated.
    service_input_at: BTreeMap<ServiceTier, String>,
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

    /// The dated changes of its base prices, oldest first.
    #[must_use]
    pub fn changes(&self) -> &[PriceChange] {
        &self.changes
    }

    /// The index of the change in force on `date`: `None` before the first (the offer's own
    /// prices).
    #[must_use]
    pub fn change_in_force(&self, date: Date) -> Option<usize> {
        self.changes
            .partition_point(|change| change.from <= date)
            .checked_sub(1)
    }

    /// This offer as priced from change `index` on: the change's list as its base, with the
    /// change's date and source. `None` is the offer itself. Tiers and service-tier tables keep
    /// the prices they state, and keep following the base where they state none.
    #[must_use]
    pub fn with_change(&self, index: Option<usize>) -> std::borrow::Cow<'_, Offer> {
        let Some(change) = index.and_then(|i| self.changes.get(i)) else {
            return std::borrow::Cow::Borrowed(self);
        };
        let mut offer = self.clone();
        offer.base = change.list;
        offer.as_of = change.as_of;
        offer.source.clone_from(&change.source);
        std::borrow::Cow::Owned(offer)
    }

    /// How this offer prices a service tier.
    #[must_use]
    pub fn service(&self, tier: ServiceTier) -> &Service {
        self.services.get(&tier).unwrap_or(&Service::Unavailable)
    }

    /// The prices of one level: the base (`None`) or long-context tier `k` with every tier
    /// beneath it laid over the base in order, so a price a tier leaves out is the one of the
    /// tier beneath, not the base's.
    #[must_use]
    pub fn level(&self, level: Option<usize>) -> PriceList {
        let top = level.map_or(0, |k| k + 1);
        self.tiers[..top]
            .iter()
            .fold(self.base, |prices, tier| prices.overlaid(&tier.prices))
    }

    /// Every price that a tier or service table keeps from below although it changes the price
    /// that one falls back to, in the order the tables are written.
    #[must_use]
    pub fn inherited_cache_prices(&self) -> Vec<InheritedCachePrice> {
        let mut found = Vec::new();
        let mut push = |overlay, above, over: &Prices, under: &PriceList, at: Option<&String>| {
            for key in inherited_keys(over, under) {
                found.push(InheritedCachePrice {
                    overlay,
                    above_input_tokens: above,
                    key,
                    at: at.cloned().unwrap_or_else(|| self.defined_in.clone()),
                });
            }
        };
        for (tier, service) in &self.services {
            if let Service::Prices(prices) = service {
                let at = self.service_input_at.get(tier);
                push(Overlay::Service(*tier), None, prices, &self.base, at);
            }
        }
        for (k, tier) in self.tiers.iter().enumerate() {
            let above = Some(tier.threshold.input_tokens);
            let beneath = self.level(k.checked_sub(1));
            push(
                Overlay::Tier,
                above,
                &tier.prices,
                &beneath,
                tier.input_at.as_ref(),
            );
            let level = self.level(Some(k));
            for (service, prices) in &tier.services {
                let at = tier.service_input_at.get(service);
                push(Overlay::TierService(*service), above, prices, &level, at);
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

    /// The id of the model that `alias` names, if one does.
    #[must_use]
    pub fn model_by_alias(&self, alias: &str) -> Option<&str> {
        self.models
            .iter()
            .find(|(_, model)| model.aliases.iter().any(|a| a == alias))
            .map(|(id, _)| id.as_str())
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
