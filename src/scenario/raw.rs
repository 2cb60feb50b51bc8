//! The serde mirror of a scenario file (`scenarios/*.toml`): shapes only, no rules.
//!
//! Every struct denies unknown keys; values keep their spans so that validation can point at them.

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub scenario: Spanned<Header>,
    #[serde(default)]
    pub exchange_rate: Vec<ExchangeRate>,
    #[serde(default)]
    pub workload: Vec<Workload>,
    #[serde(default)]
    pub plan: Vec<Plan>,
    pub self_hosting: Option<Spanned<SelfHosting>>,
    pub policy: Option<Spanned<Policy>>,
    pub ranges: Option<Ranges>,
    /// Stated price trends of API offers over the horizon.
    #[serde(default)]
    pub trend: Vec<Trend>,
}

/// A stated change of API prices over the horizon: a yearly trend or a one-off cut, for the
/// offers its filters pick (every API offer without a filter).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trend {
    /// Offer ids, `model@provider`.
    pub offers: Option<Vec<Spanned<String>>>,
    /// Only offers of open-weight (or closed) models.
    pub weights: Option<Spanned<crate::pricing::Weights>>,
    /// Only offers of this provider id.
    pub provider: Option<Spanned<String>>,
    /// A percentage such as "-20%", applied at each anniversary of `from`.
    pub change_per_year: Option<Spanned<String>>,
    /// A percentage such as "-30%", applied once, on `from`.
    pub change: Option<Spanned<String>>,
    pub from: Spanned<Datetime>,
    /// Why the trend is assumed: an announcement, an analyst's forecast.
    pub source: Option<Spanned<String>>,
}

/// How far `costcalc sensitivity` moves each assumption either way; defaults where absent.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ranges {
    /// A share of every workload's volume: 0.3 is 70% to 130%.
    pub volume: Option<Spanned<Decimal>>,
    /// A share of every workload's growth per month: 0.5 is half to one and a half times.
    pub growth: Option<Spanned<Decimal>>,
    /// A share of each provider's prices, GPU prices included.
    pub prices: Option<Spanned<Decimal>>,
    /// A share of each exchange rate.
    pub exchange_rates: Option<Spanned<Decimal>>,
    /// Points of cache hit share added and taken away: 0.1 is 10 points.
    pub cache_hit_share: Option<Spanned<Decimal>>,
    /// Points of self-hosting target utilisation added and taken away.
    pub utilization: Option<Spanned<Decimal>>,
}

/// What the company allows its plans to do.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Country codes or region names; requests may be processed only there.
    pub allowed_provider_countries: Option<Spanned<Vec<Spanned<String>>>>,
    pub blocked_provider_countries: Option<Vec<Spanned<String>>>,
    /// Countries of model makers whose models may not be used.
    pub blocked_origins: Option<Vec<Spanned<String>>>,
    pub open_weights_required: Option<Spanned<bool>>,
    /// Workload ids that must run on open weights.
    pub open_weights_required_for: Option<Spanned<Vec<Spanned<String>>>>,
    /// The largest share of token charges any one provider may take.
    pub max_provider_share: Option<Spanned<Decimal>>,
    pub no_retired_offers: Option<bool>,
}

/// How self-hosted deployments are run.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfHosting {
    /// The share of a replica's measured throughput that is planned for; 0.7 when absent.
    pub target_utilization: Option<Spanned<Decimal>>,
    #[serde(default)]
    pub capacity: Capacity,
    /// With `capacity = "scale_down"`: the hours a day at peak demand; 8 when absent.
    pub peak_hours_per_day: Option<Spanned<u32>>,
    /// Operations cost per month of each deployment a plan uses; 0 when absent.
    pub ops_cost_per_month: Option<Spanned<Decimal>>,
}

/// Whether replicas run all day at the peak's size, or shrink outside peak hours.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    #[default]
    AlwaysOn,
    ScaleDown,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub name: String,
    pub description: Option<String>,
    /// The first month of the horizon, `YYYY-MM`.
    pub start: Spanned<String>,
    /// The number of months in the horizon; 12 when absent.
    pub months: Option<Spanned<i64>>,
    /// The report currency; USD when absent.
    pub currency: Option<Spanned<String>>,
}

/// What one unit of a currency is worth in another, both named: `rate = "1 CNY = 0.1404 USD"`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExchangeRate {
    /// An equation in a string; a bare number is the old, ambiguous form, read only to explain
    /// its replacement.
    pub rate: Spanned<toml::Value>,
    /// Only in the old form, which named the currency apart from its number; refused with a hint.
    pub currency: Option<Spanned<String>>,
    pub as_of: Spanned<Datetime>,
    pub source: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workload {
    pub id: Spanned<String>,
    pub name: Option<String>,
    pub requests_per_day: Option<Spanned<Decimal>>,
    pub requests_per_month: Option<Spanned<Decimal>>,
    pub input_tokens: Option<Spanned<Decimal>>,
    pub output_tokens: Option<Spanned<Decimal>>,
    pub reasoning_tokens: Option<Spanned<Decimal>>,
    pub audio_input_tokens: Option<Spanned<Decimal>>,
    pub image_input_tokens: Option<Spanned<Decimal>>,
    pub audio_output_tokens: Option<Spanned<Decimal>>,
    pub web_searches: Option<Spanned<Decimal>>,
    #[serde(default)]
    pub size: Vec<Size>,
    pub cache_hit_share: Option<Spanned<Decimal>>,
    /// Shorthand for one lifetime's share: `cache_write_share` with `cache_write_ttl`.
    pub cache_write_share: Option<Spanned<Decimal>>,
    pub cache_write_ttl: Option<Spanned<CacheTtl>>,
    pub cache_write_5m_share: Option<Spanned<Decimal>>,
    pub cache_write_1h_share: Option<Spanned<Decimal>>,
    pub cache_write_12h_share: Option<Spanned<Decimal>>,
    pub audio_cache_hit_share: Option<Spanned<Decimal>>,
    pub batch_share: Option<Spanned<Decimal>>,
    pub flex_share: Option<Spanned<Decimal>>,
    pub priority_share: Option<Spanned<Decimal>>,
    pub growth_per_month: Option<Spanned<Decimal>>,
    /// Peak request rate over the average, for self-hosted capacity; 1 when absent.
    pub peak_to_average: Option<Spanned<Decimal>>,
    /// The offers or deployments good enough for this workload, for `costcalc cheapest`.
    pub candidates: Option<Spanned<Vec<Spanned<String>>>>,
}

/// One size class of a workload's requests.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Size {
    pub name: Option<String>,
    pub share: Spanned<Decimal>,
    pub input_tokens: Spanned<Decimal>,
    pub output_tokens: Spanned<Decimal>,
    pub reasoning_tokens: Option<Spanned<Decimal>>,
    pub audio_input_tokens: Option<Spanned<Decimal>>,
    pub image_input_tokens: Option<Spanned<Decimal>>,
    pub audio_output_tokens: Option<Spanned<Decimal>>,
    pub web_searches: Option<Spanned<Decimal>>,
}

/// How long a cache write lives; providers price each lifetime differently.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize,
)]
pub enum CacheTtl {
    #[default]
    #[serde(rename = "5m")]
    FiveMinutes,
    #[serde(rename = "1h")]
    OneHour,
    #[serde(rename = "12h")]
    TwelveHours,
}

impl CacheTtl {
    /// The component its writes are billed as.
    #[must_use]
    pub const fn component(self) -> crate::component::Component {
        use crate::component::Component;
        match self {
            CacheTtl::FiveMinutes => Component::CacheWrite5m,
            CacheTtl::OneHour => Component::CacheWrite1h,
            CacheTtl::TwelveHours => Component::CacheWrite12h,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub id: Spanned<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub baseline: Option<Spanned<bool>>,
    pub one_time_cost: Option<Spanned<Decimal>>,
    pub monthly_fixed_cost: Option<Spanned<Decimal>>,
    #[serde(default)]
    pub route: Vec<Route>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    pub workload: Spanned<String>,
    pub offer: Spanned<String>,
    /// The share of the workload's requests sent to this offer; 1 when absent.
    pub share: Option<Spanned<Decimal>>,
    /// Offers or deployments that take this route's traffic if its provider is lost, in order.
    pub fallback: Option<Vec<Spanned<String>>>,
}
