//! The validated scenario: horizon, currency, workloads and plans, checked against the catalog.
//!
//! A scenario file is parsed into [`raw`] shapes, then every rule is checked here and every
//! problem reported together: shares within 0..=1 that sum exactly to 1, exactly one baseline,
//! every workload routed by every plan to a known offer whose currency has a rate, whose
//! context window holds the requests and which prices what they carry (audio at a text-only
//! offer, or a web search on own GPUs, is an error at the route, not a figure). The engine can only be handed a [`Scenario`] from here.

mod check;
mod perturb;
pub mod ranges;
pub mod rate;
pub mod raw;
pub mod trend;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::calendar::{Date, YearMonth};
use crate::component::Component;
use crate::engine::request::{Overflow, mul};
use crate::error::{Error, SourceFile};
use crate::estimate::Quantities;
use crate::input;
use crate::money::Share;
use crate::policy::Policy;
use crate::pricing::{Catalog, ServiceTier};
pub(crate) use check::unpriced;
pub use raw::{CacheTtl, Capacity};

/// The longest horizon accepted: fifty years of months.
pub const MAX_MONTHS: u32 = 600;

/// A rate that converts an offer's currency into the report currency.
#[derive(Debug, Clone)]
pub struct ExchangeRate {
    pub(crate) currency: String,
    /// Units of the report currency per unit of `currency`.
    pub(crate) rate: Decimal,
    /// The rate as written, naming both currencies: `1 CNY = 0.1404 USD`.
    pub(crate) quote: String,
    pub(crate) as_of: Date,
    pub(crate) source: String,
}

/// How many requests a workload makes in its first month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Volume {
    /// Multiplied by the days of each calendar month.
    PerDay(Decimal),
    /// The same count in every month, whatever its length.
    PerMonth(Decimal),
}

/// One class of request sizes, with its share of the workload's requests.
#[derive(Debug, Clone)]
pub struct SizeClass {
    pub(crate) share: Share,
    /// Text prompt tokens, cache reads and writes included.
    pub(crate) input_tokens: Decimal,
    pub(crate) output_tokens: Decimal,
    pub(crate) reasoning_tokens: Decimal,
    /// Audio prompt tokens, cache reads included.
    pub(crate) audio_input_tokens: Decimal,
    pub(crate) image_input_tokens: Decimal,
    pub(crate) audio_output_tokens: Decimal,
    /// Web searches (or grounding calls) per request.
    pub(crate) web_searches: Decimal,
}

/// One kind of traffic.
#[derive(Debug, Clone)]
pub struct Workload {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) volume: Volume,
    /// Shares sum exactly to 1.
    pub(crate) sizes: Vec<SizeClass>,
    /// Share of text prompt tokens read from the cache.
    pub(crate) cache_hit: Share,
    /// Shares of text prompt tokens written to the cache, by lifetime; with the hits, at most 1.
    pub(crate) cache_writes: Vec<(Component, Share)>,
    /// Share of audio prompt tokens read from the cache.
    pub(crate) audio_cache_hit: Share,
    /// Shares of requests sent through each service tier; the rest is standard.
    pub(crate) services: Vec<(ServiceTier, Share)>,
    /// Compound growth of the request volume per month (0.03 = 3%); above -1.
    pub(crate) growth_per_month: Decimal,
    /// Peak request rate over the average; at least 1.
    pub(crate) peak_to_average: Decimal,
    /// Offers or deployments that are good enough for it, known to the catalog; empty when the
    /// scenario does not say.
    pub(crate) candidates: Vec<String>,
}

impl SizeClass {
    /// The whole prompt of one request: text (cached or not), audio and images, which is what a
    /// context window or input limit holds. `None` beyond the decimal range.
    #[must_use]
    pub fn prompt_tokens(&self) -> Option<Decimal> {
        self.input_tokens
            .checked_add(self.audio_input_tokens)?
            .checked_add(self.image_input_tokens)
    }
}

impl Workload {
    /// The largest prompt of any of its requests; `None` beyond the decimal range or without
    /// size classes.
    #[must_use]
    pub fn largest_prompt(&self) -> Option<Decimal> {
        self.sizes
            .iter()
            .map(SizeClass::prompt_tokens)
            .collect::<Option<Vec<_>>>()?
            .into_iter()
            .max()
    }

    /// Each service tier (`None` = standard) with its share of the requests; the shares sum to 1.
    #[must_use]
    pub fn service_shares(&self) -> Vec<(Option<ServiceTier>, Share)> {
        let sent: Decimal = self.services.iter().map(|(_, share)| share.get()).sum();
        let standard = Share::new(Decimal::ONE - sent).unwrap_or(Share::ZERO);
        std::iter::once((None, standard))
            .chain(
                self.services
                    .iter()
                    .map(|(tier, share)| (Some(*tier), *share)),
            )
            .collect()
    }

    /// What one request of a size class carries, by component, in disjoint buckets: the text
    /// prompt split into cache reads, cache writes of each lifetime and the rest.
    ///
    /// # Errors
    /// [`Overflow`] if a token count times a share leaves the decimal range.
    pub fn quantities(&self, size: &SizeClass) -> Result<Quantities, Overflow> {
        let mut quantities = Quantities::default();
        let text = size.input_tokens;
        let cached = mul(text, self.cache_hit.get())?;
        let mut uncached = text - cached;
        quantities[Component::CachedInput] = cached;
        for (component, share) in &self.cache_writes {
            let written = mul(text, share.get())?;
            quantities[*component] = written;
            uncached -= written;
        }
        quantities[Component::Input] = uncached;
        let cached_audio = mul(size.audio_input_tokens, self.audio_cache_hit.get())?;
        quantities[Component::CachedAudioInput] = cached_audio;
        quantities[Component::AudioInput] = size.audio_input_tokens - cached_audio;
        quantities[Component::ImageInput] = size.image_input_tokens;
        quantities[Component::Output] = size.output_tokens;
        quantities[Component::Reasoning] = size.reasoning_tokens;
        quantities[Component::AudioOutput] = size.audio_output_tokens;
        quantities[Component::WebSearch] = size.web_searches;
        quantities[Component::Request] = Decimal::ONE;
        Ok(quantities)
    }

    /// Whether any of its requests carries `component`.
    #[must_use]
    pub fn carries(&self, component: Component) -> bool {
        self.sizes
            .iter()
            .any(|size| self.quantities(size).is_ok_and(|q| !q[component].is_zero()))
    }
}

/// How self-hosted deployments are run and what they cost besides GPUs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SelfHosting {
    /// The share of a replica's measured throughput planned for; above 0, at most 1.
    pub(crate) target_utilization: Share,
    pub(crate) capacity: Capacity,
    /// With `Capacity::ScaleDown`: hours a day at peak, 1 to 23.
    pub(crate) peak_hours_per_day: u32,
    /// Per deployment a plan uses, per month, in the report currency.
    pub(crate) ops_cost_per_month: Decimal,
}

impl Default for SelfHosting {
    fn default() -> Self {
        Self {
            target_utilization: Share::new(Decimal::new(7, 1)).expect("0.7 is a share"),
            capacity: Capacity::AlwaysOn,
            peak_hours_per_day: 8,
            ops_cost_per_month: Decimal::ZERO,
        }
    }
}

/// A share of one workload sent to one offer.
#[derive(Debug, Clone)]
pub struct Route {
    /// Index into [`Scenario::workloads`].
    pub(crate) workload: usize,
    /// `model@provider`, known to the catalog.
    pub(crate) offer: String,
    pub(crate) share: Share,
    /// Offers or deployments that take the traffic if the provider is lost, in order; each
    /// known to the catalog, able to take the workload's requests, none twice and none the
    /// route's own offer.
    pub(crate) fallback: Vec<String>,
    /// The months the route carries traffic: from `from` (inclusive) until `until` (exclusive),
    /// each open when `None`. A scenario file always gives the whole horizon; `costcalc stress`
    /// splits routes at the month a provider is lost.
    pub(crate) from: Option<YearMonth>,
    pub(crate) until: Option<YearMonth>,
}

impl Route {
    /// Whether the route carries traffic in `month`.
    #[must_use]
    pub fn active(&self, month: YearMonth) -> bool {
        self.from.is_none_or(|from| month >= from) && self.until.is_none_or(|until| month < until)
    }

    /// Whether the route carries traffic in every month.
    #[must_use]
    pub fn always(&self) -> bool {
        self.from.is_none() && self.until.is_none()
    }
}

/// A way to serve every workload.
#[derive(Debug, Clone)]
pub struct Plan {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) baseline: bool,
    pub(crate) one_time_cost: Decimal,
    pub(crate) monthly_fixed_cost: Decimal,
    /// Ordered by workload, then as written.
    pub(crate) routes: Vec<Route>,
}

/// One scenario file, validated against a catalog.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    /// The file it was read from, as the user named it.
    pub(crate) path: String,
    pub(crate) start: YearMonth,
    pub(crate) months: u32,
    pub(crate) currency: String,
    pub(crate) rates: BTreeMap<String, ExchangeRate>,
    pub(crate) workloads: Vec<Workload>,
    pub(crate) plans: Vec<Plan>,
    pub(crate) self_hosting: SelfHosting,
    /// What the company allows; `None` without a `[policy]` table.
    pub(crate) policy: Option<Policy>,
    /// How far `costcalc sensitivity` moves each assumption.
    pub(crate) ranges: ranges::Ranges,
    /// Stated price trends of API offers, as written.
    pub(crate) trends: Vec<trend::Trend>,
}

impl Scenario {
    /// The same scenario with every workload's volume multiplied by `factor`, for `breakeven` and
    /// `solve`. `None` if a volume would overflow.
    #[must_use]
    pub fn scaled(&self, factor: Decimal) -> Option<Scenario> {
        let mut scaled = self.clone();
        for workload in &mut scaled.workloads {
            workload.volume = match workload.volume {
                Volume::PerDay(v) => Volume::PerDay(v.checked_mul(factor)?),
                Volume::PerMonth(v) => Volume::PerMonth(v.checked_mul(factor)?),
            };
        }
        Some(scaled)
    }

    /// Reads and validates a scenario file.
    ///
    /// # Errors
    /// An I/O error, or [`Error::Invalid`] with every problem in the file.
    pub fn load(path: &Path, catalog: &Catalog) -> Result<Scenario, Error> {
        Scenario::parse(&input::read_file(path)?, catalog)
    }

    /// Validates scenario text against a catalog.
    ///
    /// # Errors
    /// [`Error::Invalid`] with every problem in the file.
    pub fn parse(file: &Arc<SourceFile>, catalog: &Catalog) -> Result<Scenario, Error> {
        check::parse(file, catalog)
    }

    /// Whether a workload's volume grows (or shrinks) from month to month, so that its
    /// requests in a month are held to [`crate::engine::REQUEST_DIGITS`] significant digits.
    #[must_use]
    pub fn grows(&self) -> bool {
        self.workloads.iter().any(|w| !w.growth_per_month.is_zero())
    }

    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The calendar months of the horizon, in order.
    pub fn months(&self) -> impl Iterator<Item = YearMonth> + use<> {
        std::iter::successors(Some(self.start), |m| Some(m.next())).take(self.months as usize)
    }
}

#[cfg(test)]
mod tests;
