//! The serde mirror of a catalog file (`pricing/*.toml`): shapes only, no rules.
//!
//! Every struct denies unknown keys, so a typo such as `cahced_input` is an error rather than a
//! silently missing price. Values keep their spans so that validation can point at them.

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use crate::component::Component;
use crate::pricing::ServiceTier;

/// One catalog file: any number of providers, models and offers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    #[serde(default)]
    pub provider: Vec<Provider>,
    #[serde(default)]
    pub model: Vec<Model>,
    #[serde(default)]
    pub offer: Vec<Offer>,
    #[serde(default)]
    pub gpu: Vec<Gpu>,
    #[serde(default)]
    pub gpu_offer: Vec<GpuOffer>,
    #[serde(default)]
    pub deployment: Vec<Deployment>,
}

/// A GPU type.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gpu {
    pub id: Spanned<String>,
    pub name: String,
    pub memory_gb: Spanned<u32>,
    #[serde(default)]
    pub overrides: bool,
}

/// A GPU type for rent at one provider, priced per GPU-hour.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GpuOffer {
    pub id: Spanned<String>,
    pub gpu: Spanned<String>,
    pub provider: Spanned<String>,
    pub pricing: GpuPricing,
    pub per_gpu_hour: Spanned<Decimal>,
    pub currency: Option<Spanned<String>>,
    pub as_of: Spanned<Datetime>,
    pub source: Spanned<String>,
    #[serde(default)]
    pub overrides: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GpuPricing {
    OnDemand,
    Reserved,
}

/// An open model served on rented GPUs: one replica is `gpus_per_replica` GPUs with a measured
/// throughput. Named `model@id` in plans, like an offer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deployment {
    pub id: Spanned<String>,
    pub model: Spanned<String>,
    pub gpu_offer: Spanned<String>,
    pub gpus_per_replica: Spanned<u32>,
    /// The serving engine and version, such as "vLLM v0.11.0".
    pub engine: String,
    /// Uncached prompt tokens one replica prefills a second when it does nothing else. Required;
    /// optional here so that a file giving the old rates instead is told what replaced them.
    pub prefill_tokens_per_second: Option<Spanned<Decimal>>,
    /// Tokens one replica generates a second when it does nothing else. Required, as above.
    pub decode_tokens_per_second: Option<Spanned<Decimal>>,
    /// The earlier single-run rates, no longer read: named so that a catalog still giving them
    /// is told what replaced them.
    pub input_tokens_per_second: Option<Spanned<Decimal>>,
    pub output_tokens_per_second: Option<Spanned<Decimal>>,
    /// How the measurement was taken: workload and concurrency.
    pub measured_with: String,
    pub as_of: Spanned<Datetime>,
    pub source: Spanned<String>,
    #[serde(default)]
    pub overrides: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    pub id: Spanned<String>,
    pub name: String,
    /// ISO 3166-1 alpha-2 code of the headquarters.
    pub country: Spanned<String>,
    pub pricing_url: Spanned<String>,
    #[serde(default)]
    pub overrides: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    pub id: Spanned<String>,
    pub name: String,
    pub maker: String,
    pub weights: Weights,
    pub license: String,
    /// ISO 3166-1 alpha-2 code of the maker's home country.
    pub origin: Spanned<String>,
    /// The most input tokens one request may carry; absent where no source gives it.
    pub context_window: Option<Spanned<u64>>,
    /// Other names usage exports give the model, such as dated snapshots (`gpt-4o-2024-08-06`).
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    #[serde(default)]
    pub overrides: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Weights {
    Open,
    Closed,
}

/// Declares a table that may state a price for every component, one optional field per
/// component key, with `price()` to look one up by component. Its `match` covers every
/// component, so a new one cannot be left out of the file format.
macro_rules! priced_table {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $($(#[$field_meta:meta])* pub $field:ident : $ty:ty,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$field_meta])* pub $field: $ty,)*
            pub input: Option<Spanned<Decimal>>,
            pub cached_input: Option<Spanned<Decimal>>,
            pub cache_write_5m: Option<Spanned<Decimal>>,
            pub cache_write_1h: Option<Spanned<Decimal>>,
            pub cache_write_12h: Option<Spanned<Decimal>>,
            pub audio_input: Option<Spanned<Decimal>>,
            pub cached_audio_input: Option<Spanned<Decimal>>,
            pub image_input: Option<Spanned<Decimal>>,
            pub output: Option<Spanned<Decimal>>,
            pub reasoning: Option<Spanned<Decimal>>,
            pub audio_output: Option<Spanned<Decimal>>,
            /// Per search or grounding call, in the offer's currency (not per 1M).
            pub web_search: Option<Spanned<Decimal>>,
            /// Per request, in the offer's currency (not per 1M).
            pub per_request: Option<Spanned<Decimal>>,
        }

        impl $name {
            /// The price stated for `component`, with where it was written.
            #[must_use]
            pub fn price(&self, component: Component) -> Option<&Spanned<Decimal>> {
                match component {
                    Component::Input => self.input.as_ref(),
                    Component::CachedInput => self.cached_input.as_ref(),
                    Component::CacheWrite5m => self.cache_write_5m.as_ref(),
                    Component::CacheWrite1h => self.cache_write_1h.as_ref(),
                    Component::CacheWrite12h => self.cache_write_12h.as_ref(),
                    Component::AudioInput => self.audio_input.as_ref(),
                    Component::CachedAudioInput => self.cached_audio_input.as_ref(),
                    Component::ImageInput => self.image_input.as_ref(),
                    Component::Output => self.output.as_ref(),
                    Component::Reasoning => self.reasoning.as_ref(),
                    Component::AudioOutput => self.audio_output.as_ref(),
                    Component::WebSearch => self.web_search.as_ref(),
                    Component::Request => self.per_request.as_ref(),
                }
            }
        }
    };
}

priced_table! {
    /// One model at one provider with its price list. Prices are per 1M tokens in `currency`
    /// (per call or per request for `web_search` and `per_request`).
    pub struct Offer {
        pub model: Spanned<String>,
        pub provider: Spanned<String>,
        pub currency: Option<Spanned<String>>,
        pub as_of: Option<Spanned<Datetime>>,
        /// Where the prices were read: a web address, or a contract's name.
        pub source: Option<Spanned<String>>,
        /// Which dataset, of which date, and which of its entries the prices were imported
        /// from, where `costcalc catalog import` wrote them; not read by any computation.
        pub provenance: Option<Spanned<String>>,
        pub deprecated: Option<Spanned<Datetime>>,
        /// The most input tokens this provider accepts, where it is less than the model's window.
        pub max_input_tokens: Option<Spanned<u64>>,
        #[serde(default)]
        pub overrides: bool,
        /// With `overrides = true`: replace the whole earlier entry instead of only the keys stated.
        pub replace: Option<Spanned<bool>>,
        /// A share taken off every price for batch requests (0.5 = half price).
        pub batch_discount: Option<Spanned<Decimal>>,
        /// Batch prices, where the provider lists them rather than a discount.
        pub batch: Option<Spanned<Prices>>,
        /// Flex (slower, interruptible) prices.
        pub flex: Option<Spanned<Prices>>,
        /// Priority (faster, reserved) prices.
        pub priority: Option<Spanned<Prices>>,
        #[serde(default)]
        pub tier: Vec<Tier>,
        /// Dated changes of the base prices, oldest first: `[[offer.change]]` tables, or
        /// `change = [{ from = 2027-03-01, input = 0.20 }]`.
        #[serde(default)]
        pub change: Vec<Change>,
    }
}

impl Offer {
    /// The price table stated for a service tier, if any.
    #[must_use]
    pub fn service(&self, tier: ServiceTier) -> Option<&Spanned<Prices>> {
        match tier {
            ServiceTier::Batch => self.batch.as_ref(),
            ServiceTier::Flex => self.flex.as_ref(),
            ServiceTier::Priority => self.priority.as_ref(),
        }
    }
}

priced_table! {
    /// A dated change of an offer's base prices: from `from` on, the prices it states replace
    /// those in force before it; the others stay.
    pub struct Change {
        pub from: Spanned<Datetime>,
        /// Where the new prices were read; the offer's `source` when absent.
        pub source: Option<Spanned<String>>,
        /// When the new prices were checked; the offer's `as_of` when absent.
        pub as_of: Option<Spanned<Datetime>>,
    }
}

priced_table! {
    /// A partial price list: the prices a service tier changes; the others stay as they are.
    pub struct Prices {}
}

priced_table! {
    /// A long-context tier: applies to requests whose prompt is above (or from) a threshold.
    pub struct Tier {
        /// Requests of more than this many prompt tokens.
        pub above_input_tokens: Option<Spanned<u64>>,
        /// Requests of this many prompt tokens or more.
        pub from_input_tokens: Option<Spanned<u64>>,
        #[serde(default)]
        pub applies_to: TierScope,
        /// Batch prices inside this tier, where the offer lists batch prices rather than a discount.
        pub batch: Option<Spanned<Prices>>,
        pub flex: Option<Spanned<Prices>>,
        pub priority: Option<Spanned<Prices>>,
    }
}

impl Tier {
    /// The price table stated for a service tier inside this tier, if any.
    #[must_use]
    pub fn service(&self, tier: ServiceTier) -> Option<&Spanned<Prices>> {
        match tier {
            ServiceTier::Batch => self.batch.as_ref(),
            ServiceTier::Flex => self.flex.as_ref(),
            ServiceTier::Priority => self.priority.as_ref(),
        }
    }
}

/// Which tokens a tier's prices apply to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TierScope {
    /// Every token of the request, as the large API providers bill.
    #[default]
    WholeRequest,
    /// Only the input tokens above the threshold.
    Excess,
}
