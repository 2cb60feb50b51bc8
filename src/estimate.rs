//! The result of an estimate: the contract between the engine and the renderers.
//!
//! Every amount is an exact, unrounded [`Decimal`] in the scenario's report currency; renderers
//! round for display and nothing else. The JSON report is the serde form of these types, so
//! changing a field here changes the public schema: bump [`SCHEMA_VERSION`] when you do.
//!
//! Every command's answer lives here, so renderers import results and never the algorithms that
//! work them out: [`query`] for `models` and `quote`, [`volume`] for `breakeven` and `solve`, and
//! [`exposure`] and [`policy`] for the parts of a plan they name.

pub mod cheapest;
pub mod exposure;
pub mod policy;
pub mod query;
pub mod sensitivity;
pub mod stress;
pub mod volume;
pub mod yearly;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::calendar::{Date, YearMonth};
use crate::component::{Component, PerComponent};
use crate::money::Share;
use crate::pricing::{Overlay, ServiceTier, Weights};
use exposure::Exposure;
use policy::{PolicyCheck, PolicyCost};

/// The version of the JSON report's shape.
pub const SCHEMA_VERSION: u32 = 2;

/// Everything the engine worked out for one scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Estimate {
    pub scenario: ScenarioInfo,
    /// In the scenario's order; exactly one is the baseline.
    pub plans: Vec<PlanEstimate>,
    /// Every offer the plans use, ordered by id: what each price is and where it was read.
    pub offers: Vec<OfferInfo>,
    /// Assumptions the engine had to make, and prices worth a second look.
    pub notes: Vec<Note>,
    /// With a `[policy]`: the cheapest plan against the cheapest compliant one.
    pub policy_cost: Option<PolicyCost>,
}

/// The provenance of an offer's prices, so that every figure can be traced to its source.
#[derive(Debug, Clone, Serialize)]
pub struct OfferInfo {
    pub id: String,
    pub model_name: String,
    pub provider_name: String,
    pub maker: String,
    pub weights: Weights,
    pub license: String,
    /// Where the model's maker is based.
    pub origin: String,
    /// Where the provider is headquartered.
    pub provider_country: String,
    pub currency: String,
    /// Base prices in `currency` by component (per 1M tokens, per call or per request as the
    /// component's unit says); tiers and service-tier prices are in the catalog.
    pub prices: PerComponent<Option<Decimal>>,
    pub as_of: Date,
    /// A web address, or a plain description such as a contract's name.
    pub source: String,
    pub deprecated: Option<Date>,
    /// The `--pricing` file whose `overrides = true` entry set these prices (a negotiated
    /// price), or `None` for the catalog's own.
    pub overridden_by: Option<String>,
    /// The offer's dated changes that take effect inside the horizon (or on its first day),
    /// oldest first; `prices` above are those in force on the first day.
    pub changes: Vec<OfferChange>,
}

/// A dated change of an offer's base prices.
#[derive(Debug, Clone, Serialize)]
pub struct OfferChange {
    /// The first day the new prices are in force.
    pub from: Date,
    /// The prices the change states, in the offer's currency; `None` for those it keeps.
    pub prices: PerComponent<Option<Decimal>>,
    pub as_of: Date,
    pub source: String,
}

impl Estimate {
    /// The plan every other plan is compared with.
    ///
    /// # Panics
    /// Never for an estimate from the engine: a validated scenario has exactly one baseline.
    #[must_use]
    pub fn baseline(&self) -> &PlanEstimate {
        self.plans
            .iter()
            .find(|p| p.baseline)
            .expect("a validated scenario has exactly one baseline plan")
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioInfo {
    pub name: String,
    pub description: Option<String>,
    pub path: String,
    pub start: YearMonth,
    pub end: YearMonth,
    pub months: u32,
    pub currency: String,
    /// The workloads, in the scenario's order.
    pub workloads: Vec<WorkloadInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WorkloadInfo {
    pub id: String,
    pub name: String,
    /// Requests over the whole horizon, growth included.
    pub requests: Decimal,
    /// Requests in each month of the horizon. Not part of the JSON report.
    #[serde(skip)]
    pub months: Vec<Decimal>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanEstimate {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub baseline: bool,
    pub one_time_cost: Decimal,
    pub monthly_fixed_cost: Decimal,
    /// Everything paid over the horizon: token charges, fixed costs and the one-time cost.
    pub total_cost: Decimal,
    /// Token charges alone over the horizon.
    pub usage_cost: Decimal,
    /// `baseline.total_cost - total_cost`; `None` for the baseline itself.
    pub savings: Option<Decimal>,
    /// Savings as a percentage of the baseline's total; `None` for the baseline or a zero baseline.
    pub savings_pct: Option<Decimal>,
    /// Input (cached or not), output and reasoning tokens over the horizon.
    pub tokens: Decimal,
    /// Token charges per 1M tokens; `None` when no tokens flow.
    pub usage_cost_per_mtok: Option<Decimal>,
    /// How long the one-time cost takes to earn back; `None` for the baseline.
    pub payback: Option<Payback>,
    /// Consecutive 12-month years from the start; the last may be shorter.
    pub years: Vec<YearEstimate>,
    /// The plan's cost in each month, fixed and one-time costs included.
    pub monthly: Vec<MonthCost>,
    /// In the scenario's workload order.
    pub workloads: Vec<WorkloadEstimate>,
    /// The self-hosted deployments the plan runs, by id; their costs are also in the routes.
    pub deployments: Vec<DeploymentEstimate>,
    /// Where the plan's token charges go, and which of them could move host.
    pub exposure: Exposure,
    /// The plan judged against the scenario's `[policy]`; `None` without one.
    pub policy: Option<PolicyCheck>,
}

/// A self-hosted deployment in one plan: the capacity rented each month for all the workloads
/// routed to it.
#[derive(Debug, Clone, Serialize)]
pub struct DeploymentEstimate {
    /// `model@deployment`, as the plan names it.
    pub id: String,
    pub model: String,
    pub gpu_offer: String,
    pub gpu_name: String,
    pub gpu_memory_gb: u32,
    pub gpus_per_replica: u32,
    /// The GPU price in the report currency.
    pub per_gpu_hour: Decimal,
    pub gpu_price_as_of: Date,
    pub gpu_price_source: String,
    pub engine: String,
    /// Uncached prompt tokens one replica prefills a second; cache hits are not prefilled.
    pub prefill_tokens_per_second: Decimal,
    /// Tokens one replica generates a second.
    pub decode_tokens_per_second: Decimal,
    pub target_utilization: Decimal,
    pub measured_with: String,
    pub source: String,
    /// When the throughput was measured or read.
    pub as_of: Date,
    pub months: Vec<DeploymentMonth>,
    /// GPUs and operations over the horizon.
    pub cost: Decimal,
    pub tokens: Decimal,
    /// `cost` per 1M tokens served; `None` when none are.
    pub cost_per_mtok: Option<Decimal>,
    /// The most replicas any month needs.
    pub max_replicas: u64,
}

impl DeploymentEstimate {
    /// The mean of the monthly utilisations; `None` without months.
    #[must_use]
    pub fn average_utilization(&self) -> Option<Decimal> {
        let sum: Decimal = self.months.iter().map(|m| m.utilization).sum();
        sum.checked_div(Decimal::from(self.months.len()))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DeploymentMonth {
    pub month: YearMonth,
    pub replicas_peak: u64,
    pub replicas_off_peak: u64,
    pub gpu_hours: Decimal,
    /// Served over servable tokens at the measured rates, by the scarcer of input and output.
    pub utilization: Decimal,
    pub tokens: Decimal,
    /// GPU rental plus the operations cost.
    pub cost: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearEstimate {
    /// 1 for the first twelve months of the horizon.
    pub year: u32,
    pub start: YearMonth,
    pub months: u32,
    pub cost: Decimal,
    /// Against the baseline's same months; `None` for the baseline.
    pub savings: Option<Decimal>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthCost {
    pub month: YearMonth,
    pub cost: Decimal,
}

/// When a plan's savings have paid for its one-time cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Payback {
    /// The plan has no one-time cost and is ahead of the baseline from the start to the end.
    NotNeeded,
    /// Paid back after this many months, counted from the start, with a fractional last month:
    /// from then on the cumulative savings stay at or above zero to the end of the horizon.
    Months { months: Decimal },
    /// Still behind at the end of the horizon, but its last month saves money.
    BeyondHorizon,
    /// Behind at the end of the horizon and not saving in its last month.
    Never,
}

#[derive(Debug, Clone, Serialize)]
pub struct WorkloadEstimate {
    pub id: String,
    pub cost: Decimal,
    pub routes: Vec<RouteEstimate>,
}

/// How a route's cost arises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PricedBy {
    /// Tokens times an offer's prices: `per_request` holds the cost of the average request.
    Tokens,
    /// A share of a self-hosted deployment's GPU and operations cost, in proportion to the
    /// route's tokens; `per_request` holds only tokens.
    Capacity,
}

/// One share of a workload at one offer.
#[derive(Debug, Clone, Serialize)]
pub struct RouteEstimate {
    pub offer: String,
    pub priced_by: PricedBy,
    pub model: String,
    pub provider: String,
    pub share: Share,
    /// The offer's currency, and how many report-currency units one unit of it buys (1 if same).
    pub currency: String,
    pub exchange_rate: Decimal,
    /// The average request of this route: size classes and batch share weighted in, at the
    /// prices in force on the horizon's first day (a dated change or a trend may change them
    /// later; the months then hold what was billed).
    pub per_request: RequestCost,
    pub requests: Decimal,
    pub cost: Decimal,
    /// Requests and cost in each month, only when a report shows them (line items, or JSON with
    /// the month detail): kept, or worked out as they are written; left out of the JSON
    /// otherwise.
    #[serde(skip_serializing_if = "RouteMonths::is_empty")]
    pub months: RouteMonths,
}

/// A route's months. A route whose cost in a month is its workload's requests that month times
/// its share times its average request (one priced by tokens, at one price, in every month)
/// need not keep them: 120 rows per route are millions of rows on a large scenario. Such a
/// route may hold what works them out again instead, and does when a report will show them.
#[derive(Debug, Clone, Default)]
pub struct RouteMonths {
    /// The months kept, in order; empty where they were not kept.
    pub kept: Vec<RouteMonth>,
    /// What works out the months of a route that did not keep them, when they are to be shown.
    worked_out: Option<WorkedOut>,
}

/// What works out a route's months: its workload's requests in each month, from `start`, its
/// share, and what its average request costs.
#[derive(Debug, Clone)]
struct WorkedOut {
    workload_months: std::sync::Arc<[Decimal]>,
    start: YearMonth,
    share: Decimal,
    /// What the route costs for each of its workload's requests: its share times the cost of
    /// its average request.
    share_cost: Decimal,
}

impl RouteMonths {
    /// Months kept, one per month of the horizon (or none, where they are not needed).
    #[must_use]
    pub fn kept(months: Vec<RouteMonth>) -> Self {
        Self {
            kept: months,
            worked_out: None,
        }
    }

    /// The months of a route priced by tokens at one price in every month, worked out when they
    /// are read: `workload_months` from `start`, times `share` for the requests and times
    /// `share_cost` for the cost.
    ///
    /// Only for costs known to fit, and a share of at most one, so that no product can overflow
    /// when worked out: the engine either prices every month of such a route, checked, or
    /// multiplies the workload's total requests by `share_cost`, checked, where no month's
    /// requests are negative or above that total.
    #[must_use]
    pub(crate) fn worked_out(
        workload_months: std::sync::Arc<[Decimal]>,
        start: YearMonth,
        share: Decimal,
        share_cost: Decimal,
    ) -> Self {
        Self {
            kept: Vec::new(),
            worked_out: Some(WorkedOut {
                workload_months,
                start,
                share,
                share_cost,
            }),
        }
    }

    /// Whether there is no month to show.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
            && self
                .worked_out
                .as_ref()
                .is_none_or(|w| w.workload_months.is_empty())
    }

    /// How many months there are to show.
    #[must_use]
    pub fn len(&self) -> usize {
        self.kept.len()
            + self
                .worked_out
                .as_ref()
                .map_or(0, |w| w.workload_months.len())
    }

    /// Each month: as kept, or worked out exactly as the engine works it out: the workload's
    /// requests times the share, and times the route's cost for each of them.
    ///
    /// # Panics
    /// Never: the engine formed these same costs, checked, when it summed the route's months, or
    /// formed the larger product of the workload's total requests (none of the months negative)
    /// and the same cost; a share of at most one leaves the requests no larger than the
    /// workload's.
    pub fn iter(&self) -> impl Iterator<Item = RouteMonth> + '_ {
        let worked_out = self.worked_out.iter().flat_map(|w| {
            let calendar = std::iter::successors(Some(w.start), |m| Some(m.next()));
            calendar
                .zip(w.workload_months.iter())
                .map(|(month, workload_requests)| RouteMonth {
                    month,
                    requests: workload_requests
                        .checked_mul(w.share)
                        .expect("a share of at most one"),
                    cost: workload_requests
                        .checked_mul(w.share_cost)
                        .expect("the engine formed this product or a larger one, checked"),
                    capacity: None,
                })
        });
        self.kept.iter().cloned().chain(worked_out)
    }
}

/// Serializes `value` as its own `Serialize` does, to the byte: every digit of its scale, a minus
/// sign when negative (even on zero), `0` before a point with nothing in front of it. Faster, for
/// the millions of amounts of a large month detail: the mantissa is written as an integer, two
/// digits at a time (`itoa`), where the decimal crate divides the whole mantissa by ten for
/// every digit.
fn exact<S: serde::Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    let mut buffer = [0u8; EXACT_BYTES];
    serializer.serialize_str(exact_text(*value, &mut buffer))
}

/// The longest exact text: a sign, `0.`, then 28 digits of scale, or 29 of mantissa.
pub(crate) const EXACT_BYTES: usize = 40;

/// `value` as exact text, written into `buffer`: what its `Display` and `Serialize` write, to the
/// byte, faster.
pub(crate) fn exact_text(value: Decimal, buffer: &mut [u8; EXACT_BYTES]) -> &str {
    let mantissa = value.mantissa().unsigned_abs();
    let mut text = itoa::Buffer::new();
    // Most amounts fit 64 bits, whose digits come faster than 128 bits'.
    let digits = match u64::try_from(mantissa) {
        Ok(small) => text.format(small),
        Err(_) => text.format(mantissa),
    }
    .as_bytes();
    let scale = value.scale() as usize;
    let mut at = 0;
    let mut put = |bytes: &[u8]| {
        buffer[at..at + bytes.len()].copy_from_slice(bytes);
        at += bytes.len();
    };
    if value.is_sign_negative() {
        put(b"-");
    }
    if digits.len() > scale {
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        put(whole);
        if scale > 0 {
            put(b".");
            put(fraction);
        }
    } else {
        put(b"0");
        if scale > 0 {
            put(b".");
            for _ in digits.len()..scale {
                put(b"0");
            }
            put(digits);
        }
    }
    std::str::from_utf8(&buffer[..at]).expect("digits, a sign and a point are ASCII")
}

impl Serialize for RouteMonths {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq as _;
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for month in self.iter() {
            seq.serialize_element(&month)?;
        }
        seq.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteMonth {
    pub month: YearMonth,
    // Millions of these are written for a large month detail: see `exact`.
    #[serde(serialize_with = "exact")]
    pub requests: Decimal,
    #[serde(serialize_with = "exact")]
    pub cost: Decimal,
    /// For a route priced by capacity, its share of the deployment's month; absent otherwise.
    /// Boxed: most routes are priced by tokens, and a month of one is then 48 bytes, not 92.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<Box<CapacityShare>>,
}

/// A route's share of a self-hosted deployment's month, taken by the same fraction of its tokens
/// as its cost. `gpu_cost + ops_cost` is exactly the route-month's `cost`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CapacityShare {
    pub gpu_hours: Decimal,
    pub gpu_cost: Decimal,
    /// The operations cost: the rest of the route-month's cost.
    pub ops_cost: Decimal,
}

impl RouteEstimate {
    /// The route's cost per request over the horizon; `None` without requests.
    #[must_use]
    pub fn average_cost_per_request(&self) -> Option<Decimal> {
        self.cost.checked_div(self.requests)
    }

    /// A month's quantities and costs by component: its requests times the average request.
    /// Where the month was billed at other prices than the horizon's first day's (a dated change
    /// or a trend), each component's cost is scaled by the month's cost over the cost at those
    /// first prices, so that the parts still add up to the month's cost.
    ///
    /// Each product is at most the route's own total of that quantity over the horizon, which the
    /// engine has already computed with checked arithmetic, so none of them can overflow.
    #[must_use]
    pub fn month_detail(&self, month: &RouteMonth) -> RequestCost {
        let r = month.requests;
        let average = &self.per_request;
        let at_first_prices = r * average.total;
        let costs = if month.capacity.is_none()
            && at_first_prices != month.cost
            && let Some(ratio) = month.cost.checked_div(at_first_prices)
        {
            average.costs.map(|_, c| r * c * ratio)
        } else {
            average.costs.map(|_, c| r * c)
        };
        RequestCost {
            quantities: average.quantities.map(|_, q| r * q),
            costs,
            total: month.cost,
        }
    }
}

/// What a request carries, by component: tokens, calls or requests (see
/// [`Component::unit`]). The buckets are disjoint, so no token is counted twice.
pub type Quantities = PerComponent<Decimal>;

/// One request (or an average of many): what it carries and what each component costs, in the
/// report currency (the offer's currency where `quote` prices it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RequestCost {
    pub quantities: Quantities,
    pub costs: PerComponent<Decimal>,
    /// The sum of `costs`.
    pub total: Decimal,
}

impl RequestCost {
    /// The whole prompt: every prompt component, cached and uncached.
    ///
    /// A sum of parts the engine has already added with checked arithmetic.
    #[must_use]
    pub fn prompt_tokens(&self) -> Decimal {
        sum_where(&self.quantities, Component::in_prompt)
    }

    /// Prompt and generated tokens together.
    #[must_use]
    pub fn tokens(&self) -> Decimal {
        sum_where(&self.quantities, |c| c.in_prompt() || c.generated())
    }

    /// Generated tokens: output, reasoning and audio output.
    #[must_use]
    pub fn generated_tokens(&self) -> Decimal {
        sum_where(&self.quantities, Component::generated)
    }
}

fn sum_where(quantities: &Quantities, keep: impl Fn(Component) -> bool) -> Decimal {
    quantities
        .iter()
        .filter(|(component, _)| keep(*component))
        .map(|(_, quantity)| *quantity)
        .sum()
}

/// How a trend steps prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrendRule {
    Yearly,
    Once,
}

/// Something a reader of the report should know. Ordered and deduplicated by the engine.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Note {
    /// The offer lists no price for a component some requests carry: it is billed at the price
    /// of the component it falls back to (cache hits and writes at the input price).
    NoPrice {
        offer: String,
        component: Component,
        billed_at: Component,
        workloads: Vec<String>,
    },
    /// The offer has no prices for a service tier: its requests are billed at standard prices.
    NoServicePrice {
        offer: String,
        service: ServiceTier,
        workloads: Vec<String>,
    },
    /// The offer lists prices for a service tier, but not in this long-context tier: such
    /// requests in it pay the tier's standard prices.
    NoTierServicePrice {
        offer: String,
        service: ServiceTier,
        above_input_tokens: u64,
        workloads: Vec<String>,
    },
    /// The price was checked longer ago than the staleness threshold, counted at the start.
    StalePrice {
        offer: String,
        as_of: Date,
        age_days: i64,
    },
    /// The provider retires the offer on or before the end of the horizon (perhaps before its start).
    Deprecated { offer: String, date: Date },
    /// A tier or batch table changes the input price but not this cache price (`key`), so it
    /// keeps the price it is laid over.
    InheritedCachePrice {
        offer: String,
        overlay: Overlay,
        /// The tier's threshold; `None` for the offer's own batch prices.
        above_input_tokens: Option<u64>,
        key: String,
    },
    /// A dated change of an offer's price takes effect inside the horizon (or on its first day).
    PriceChange {
        offer: String,
        date: Date,
        component: Component,
        /// The price before the change, in the offer's currency; `None` where it stated none.
        old: Option<Decimal>,
        new: Decimal,
        source: String,
    },
    /// A scenario's trend scales the prices of the offers it applies to.
    PriceTrend {
        /// `yearly`: times `1 + change` at each anniversary of `from`; `once`: from `from` on.
        rule: TrendRule,
        /// A share: -0.2 for -20%.
        change: Decimal,
        from: Date,
        /// The offers the plans use that it applies to, by id; empty if none.
        offers: Vec<String>,
        source: Option<String>,
    },
    /// An exchange rate converted an offer's prices.
    ExchangeRate {
        currency: String,
        /// Units of the report currency per unit of `currency`.
        rate: Decimal,
        /// The rate as the scenario wrote it, naming both currencies: `1 CNY = 0.1404 USD`.
        quote: String,
        as_of: Date,
        source: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_month_stays_small() {
        // Line items of 1,000 workloads x 10 plans x 2 routes x 120 months hold 2.4 million of
        // these: 8 bytes of month, two 16-byte decimals and a pointer, 115 MiB in all.
        assert_eq!(std::mem::size_of::<RouteMonth>(), 48);
    }

    /// `value` as its own `Serialize` writes it.
    fn serde_text(value: Decimal) -> String {
        serde_json::to_string(&value).unwrap()
    }

    fn exact_json(value: Decimal) -> String {
        let mut buffer = [0u8; EXACT_BYTES];
        serde_json::to_string(exact_text(value, &mut buffer)).unwrap()
    }

    #[test]
    fn exact_text_is_what_the_decimal_writes() {
        // Worked by hand: 1.500 keeps its scale; 0.05 gets its `0`; -0 keeps its sign.
        assert_eq!(exact_json(Decimal::new(1500, 3)), "\"1.500\"");
        assert_eq!(exact_json(Decimal::new(5, 2)), "\"0.05\"");
        assert_eq!(exact_json(Decimal::new(-5, 0)), "\"-5\"");
        assert_eq!(exact_json(Decimal::new(0, 2)), "\"0.00\"");
        let mut minus_zero = Decimal::new(0, 1);
        minus_zero.set_sign_negative(true);
        assert_eq!(exact_json(minus_zero), serde_text(minus_zero));
        // Every scale, both signs, mantissas of every length up to the largest (2^96 - 1), and
        // those just either side of the 10^19 where the mantissa is cut in two.
        let mut mantissas: Vec<i128> = vec![0, 1, 9, 10, 99, 100, (1 << 96) - 1];
        let ten_pow_19: i128 = 10_000_000_000_000_000_000;
        mantissas.extend([ten_pow_19 - 1, ten_pow_19, ten_pow_19 + 1, ten_pow_19 * 10]);
        let mut seed: u128 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..2_000 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let bits = u32::try_from(seed % 97).unwrap();
            mantissas.push(
                i128::try_from(((seed >> 20) % (1u128 << 96)) >> (96 - bits.min(96))).unwrap(),
            );
        }
        for mantissa in mantissas {
            for scale in 0..=28 {
                for sign in [1, -1] {
                    let value = Decimal::from_i128_with_scale(mantissa * sign, scale);
                    assert_eq!(exact_json(value), serde_text(value), "{mantissa} e-{scale}");
                }
            }
        }
    }
}
